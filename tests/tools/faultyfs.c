/*
 * faultyfs.c - a failing disk for the tests: serves one image file through
 * FUSE as MOUNTPOINT/disk and fails reads (EIO) on listed sectors.  Attach
 * it with `losetup -r --direct-io=on [--sector-size 4096] -f --show
 * MOUNTPOINT/disk` and the tests have a real block device that fails where
 * they want it to (see tests/e2e/lib/faultdev.sh).
 *
 *   bad sector:  every read that touches it fails;
 *   weak sector: every read of more than one sector that touches it fails,
 *                and so do the first K reads of that sector alone; the
 *                (K+1)th single-sector read returns the data.  Only the
 *                single-sector reads count: the kernel's page cache and
 *                read-ahead decide how often large reads touch a sector,
 *                the reader under test decides how often it retries one.
 *
 * A failing read fails whole, as a drive fails a whole command.  Options
 * slow down reads of more than one sector (--delay-ms) and failing reads
 * (--bad-delay-ms, as a dying drive retries inside), so that a test can
 * interrupt a run half way; sector-sized good reads stay fast, so
 * splitting a failed block into sectors does not take minutes.
 * --log FILE writes one line per read: "OFFSET SIZE ok|EIO".
 *
 * A test tool: built by `make check`, never installed.
 */
#define FUSE_USE_VERSION 31
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct range {
	uint64_t lba, count;
};

struct weak {
	uint64_t lba;
	unsigned fails; /* single-sector reads that fail */
	unsigned reads; /* single-sector reads so far */
};

static struct {
	const char *image;
	const char *name;
	int fd;
	uint64_t size;
	uint32_t ss;
	struct range *bad;
	size_t nbad;
	struct weak *weak;
	size_t nweak;
	unsigned delay_ms, bad_delay_ms;
	FILE *log;
	pthread_mutex_t mu;
} g = {.name = "disk", .fd = -1, .ss = 512, .mu = PTHREAD_MUTEX_INITIALIZER};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "faultyfs: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

static void add_bad(uint64_t lba, uint64_t count)
{
	struct range *r = realloc(g.bad, (g.nbad + 1) * sizeof(*r));

	if (r == NULL)
		die("%s", "out of memory");
	g.bad = r;
	g.bad[g.nbad].lba = lba;
	g.bad[g.nbad].count = count;
	g.nbad++;
}

static void add_weak(uint64_t lba, unsigned fails)
{
	struct weak *w = realloc(g.weak, (g.nweak + 1) * sizeof(*w));

	if (w == NULL)
		die("%s", "out of memory");
	g.weak = w;
	g.weak[g.nweak].lba = lba;
	g.weak[g.nweak].fails = fails;
	g.weak[g.nweak].reads = 0;
	g.nweak++;
}

/* "LBA" or "FIRST-LAST" (inclusive), comma separated. */
static void parse_bad_list(const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;

	if (copy == NULL)
		die("%s", "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		uint64_t a, b;

		if (dash != NULL)
			*dash = '\0';
		if (parse_u64(tok, &a) != 0 ||
		    (dash != NULL && (parse_u64(dash + 1, &b) != 0 || b < a)))
			die("--bad: cannot read '%s' (want LBA or FIRST-LAST)",
			    arg);
		add_bad(a, dash != NULL ? b - a + 1 : 1);
	}
	free(copy);
}

/* "LBA:K", comma separated. */
static void parse_weak_list(const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;

	if (copy == NULL)
		die("%s", "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		uint64_t a, k;

		if (colon == NULL)
			die("--weak: cannot read '%s' (want LBA:K)", arg);
		*colon = '\0';
		if (parse_u64(tok, &a) != 0 || parse_u64(colon + 1, &k) != 0 ||
		    k > 1000000)
			die("--weak: cannot read '%s' (want LBA:K)", arg);
		add_weak(a, (unsigned)k);
	}
	free(copy);
}

/* Lines "bad LBA [COUNT]" and "weak LBA K"; '#' starts a comment. */
static void parse_map_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned lineno = 0;

	if (f == NULL)
		die("cannot open map file %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *hash = strchr(line, '#');
		char kind[16], a[64], b[64];
		uint64_t x, y = 1;
		int n;

		lineno++;
		if (hash != NULL)
			*hash = '\0';
		n = sscanf(line, "%15s %63s %63s", kind, a, b);
		if (n <= 0)
			continue;
		if (n < 2 || parse_u64(a, &x) != 0 ||
		    (n == 3 && parse_u64(b, &y) != 0) ||
		    (strcmp(kind, "bad") != 0 && strcmp(kind, "weak") != 0) ||
		    (strcmp(kind, "weak") == 0 && n != 3)) {
			fprintf(stderr,
				"faultyfs: %s:%u: want 'bad LBA [COUNT]' "
				"or 'weak LBA K'\n",
				path, lineno);
			exit(2);
		}
		if (strcmp(kind, "bad") == 0)
			add_bad(x, y);
		else
			add_weak(x, (unsigned)y);
	}
	fclose(f);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000),
			      (long)(ms % 1000) * 1000000L};

	while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Does a read of sectors [first, last] fail?  Counts weak reads. */
static int read_fails(uint64_t first, uint64_t last)
{
	size_t i;
	int fails = 0;

	for (i = 0; i < g.nbad; i++)
		if (g.bad[i].lba <= last &&
		    g.bad[i].lba + g.bad[i].count > first)
			fails = 1;
	for (i = 0; i < g.nweak; i++) {
		struct weak *w = &g.weak[i];
		if (w->lba < first || w->lba > last)
			continue;
		if (first != last) {
			fails = 1;
			continue;
		}
		if (w->reads++ < w->fails)
			fails = 1;
	}
	return fails;
}

static int ff_getattr(const char *path, struct stat *st,
		      struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		return 0;
	}
	if (path[0] == '/' && strcmp(path + 1, g.name) == 0) {
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = (off_t)g.size;
		st->st_blksize = (blksize_t)g.ss;
		return 0;
	}
	return -ENOENT;
}

static int ff_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
		      off_t off, struct fuse_file_info *fi,
		      enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, g.name, NULL, 0, 0);
	return 0;
}

static int ff_open(const char *path, struct fuse_file_info *fi)
{
	if (path[0] != '/' || strcmp(path + 1, g.name) != 0)
		return -ENOENT;
	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EROFS;
	/* No FUSE page cache: every read the kernel makes reaches us. */
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return 0;
}

static int ff_read(const char *path, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	uint64_t first, last;
	ssize_t n;
	int fails;

	(void)path;
	(void)fi;
	if ((uint64_t)off >= g.size || size == 0)
		return 0;
	if ((uint64_t)off + size > g.size)
		size = (size_t)(g.size - (uint64_t)off);
	first = (uint64_t)off / g.ss;
	last = ((uint64_t)off + size - 1) / g.ss;
	pthread_mutex_lock(&g.mu);
	fails = read_fails(first, last);
	if (g.log != NULL) {
		fprintf(g.log, "%" PRIu64 " %zu %s\n", (uint64_t)off, size,
			fails ? "EIO" : "ok");
		fflush(g.log);
	}
	pthread_mutex_unlock(&g.mu);
	if (first != last)
		sleep_ms(g.delay_ms);
	if (fails) {
		sleep_ms(g.bad_delay_ms);
		return -EIO;
	}
	n = pread(g.fd, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static const struct fuse_operations ff_ops = {
    .getattr = ff_getattr,
    .readdir = ff_readdir,
    .open = ff_open,
    .read = ff_read,
};

static void usage(void)
{
	printf("usage: faultyfs [options] IMAGE MOUNTPOINT\n"
	       "Serve IMAGE as MOUNTPOINT/disk, failing reads on listed "
	       "sectors.\n"
	       "  -s, --sector-size N    sector size (default 512)\n"
	       "  -b, --bad LIST         bad sectors: LBA or FIRST-LAST, "
	       "comma separated\n"
	       "  -w, --weak LIST        weak sectors: LBA:K (first K "
	       "single-sector reads fail)\n"
	       "  -m, --map FILE         lines 'bad LBA [COUNT]', 'weak LBA "
	       "K'\n"
	       "  -d, --delay-ms N       reads of more than one sector take N "
	       "ms\n"
	       "  -D, --bad-delay-ms N   failing reads take N ms (more)\n"
	       "  -l, --log FILE         one line per read: OFFSET SIZE "
	       "ok|EIO\n"
	       "  -n, --name NAME        name of the file (default disk)\n"
	       "Runs in the foreground until unmounted (fusermount3 -u).\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"sector-size", required_argument, NULL, 's'},
	    {"bad", required_argument, NULL, 'b'},
	    {"weak", required_argument, NULL, 'w'},
	    {"map", required_argument, NULL, 'm'},
	    {"delay-ms", required_argument, NULL, 'd'},
	    {"bad-delay-ms", required_argument, NULL, 'D'},
	    {"log", required_argument, NULL, 'l'},
	    {"name", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	char *fargv[8];
	struct stat st;
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "s:b:w:m:d:D:l:n:h", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 's':
			if (parse_u64(optarg, &v) != 0 || v < 512 ||
			    v > 65536 || (v & (v - 1)) != 0)
				die("--sector-size '%s': want a power of two "
				    "from 512 to 65536",
				    optarg);
			g.ss = (uint32_t)v;
			break;
		case 'b': parse_bad_list(optarg); break;
		case 'w': parse_weak_list(optarg); break;
		case 'm': parse_map_file(optarg); break;
		case 'd':
		case 'D':
			if (parse_u64(optarg, &v) != 0 || v > 60000)
				die("delay '%s': want milliseconds (<= 60000)",
				    optarg);
			if (c == 'd')
				g.delay_ms = (unsigned)v;
			else
				g.bad_delay_ms = (unsigned)v;
			break;
		case 'l':
			g.log = fopen(optarg, "a");
			if (g.log == NULL)
				die("cannot open log %s", optarg);
			break;
		case 'n':
			if (strchr(optarg, '/') != NULL || *optarg == '\0' ||
			    *optarg == '.')
				die("--name '%s': want a plain file name",
				    optarg);
			g.name = optarg;
			break;
		case 'h': usage(); return 0;
		default: usage(); return 2;
		}
	}
	if (argc - optind != 2) {
		usage();
		return 2;
	}
	g.image = argv[optind];
	g.fd = open(g.image, O_RDONLY | O_CLOEXEC);
	if (g.fd < 0 || fstat(g.fd, &st) != 0 || !S_ISREG(st.st_mode))
		die("cannot open image %s (a regular file)", g.image);
	g.size = (uint64_t)st.st_size;
	fargv[0] = argv[0];
	fargv[1] = argv[optind + 1];
	fargv[2] = "-f";
	fargv[3] = "-s";
	fargv[4] = "-o";
	fargv[5] = "ro,fsname=faultyfs,subtype=faultyfs";
	fargv[6] = NULL;
	return fuse_main(6, fargv, &ff_ops, NULL);
}
