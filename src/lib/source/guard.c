/*
 * guard.c - software write-block safeguards (see guard.h).
 *
 * Life cycle:
 *
 *   fg_guard_engage: SCOPE (the source node, its partitions; the loop and
 *     device-mapper devices stacked on them: the "watch list")
 *     -> CHECKS, each refusing with FG_EGUARD before anything is changed:
 *        outputs on the source, mounted read-write, swap, holders,
 *        exclusive open
 *     -> FLAGS BEFORE (BLKROGET on every node) -> BLKROSET -> BLKROGET
 *     -> ENGAGED (an O_EXCL descriptor is held when one could be had, so
 *        that nothing can mount the source while it is read)
 *   reads
 *   fg_guard_release: FLAGS AFTER recorded, descriptor closed; the flags
 *     stay set (the examiner unsets them: blockdev --setrw).
 *
 * fg_guard_inspect runs the scope and the look-only checks for
 * `forage info` and changes nothing.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <forage/guard.h>
#include <forage/record.h>
#include <forage/source.h>

#include "base/base_int.h"
#include "source/source_int.h"

#define SYSROOT	  "/sys"
#define MAX_DEPTH 8

/* A device node whose flag the guard sets and records. */
struct gnode {
	char name[FG_BLKNAME_MAX]; /* sysfs name, "" if sysfs does not know */
	char path[PATH_MAX];	   /* node opened for the ioctls */
	unsigned major, minor;
	const char *role; /* "source", "partition" */
	int ro_before;	  /* 1, 0, -1 unknown */
	int flag_set;	  /* set by this run */
};

/* A device whose use would reach the source: the nodes above, and loop
 * and device-mapper devices stacked on them. */
struct watch {
	unsigned major, minor;
	char what[320]; /* for messages: "/dev/loop0", "loop1 (...)" */
};

struct fg_guard {
	struct gnode *nodes;
	size_t nnodes;
	struct watch *watch;
	size_t nwatch, capwatch;
	int src_is_partition;
	char disk_node[PATH_MAX]; /* whole disk of a partition source */
	int excl_fd;
	int no_write_block;
	int ro_mounted; /* a read-only mount of the source was found */
	int oom;
	/* a file source */
	int is_file;
	dev_t file_dev;
	ino_t file_ino;
	char file_real[PATH_MAX];
};

/* ---- Small helpers ------------------------------------------------------ */

static void warnf(fg_warn_fn warn, void *ctx, struct fg_record *rec,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void warnf(fg_warn_fn warn, void *ctx, struct fg_record *rec,
		  const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (warn != NULL)
		warn(ctx, msg);
	if (rec != NULL)
		fg_record_append_str(rec, "write_block.warnings", msg);
}

static int ro_get(const char *dev, int *ro)
{
	int fd = open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int rc, e;

	if (fd < 0)
		return -1;
	rc = ioctl(fd, BLKROGET, ro);
	e = errno;
	close(fd);
	errno = e; /* the ioctl's, for the message */
	return rc;
}

static int ro_set(const char *dev)
{
	int fd = open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int one = 1, rc, e;

	if (fd < 0)
		return -1;
	rc = ioctl(fd, BLKROSET, &one);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* stat() a path only when it names a device node under /dev: paths from
 * the mount table, loop devices and /proc can lie on any file system,
 * and a stuck FUSE server would hang a stat() there. */
static int stat_dev_node(const char *path, struct stat *st)
{
	if (strncmp(path, "/dev/", 5) != 0) {
		errno = ENODEV;
		return -1;
	}
	if (stat(path, st) != 0)
		return -1;
	if (!S_ISBLK(st->st_mode)) {
		errno = ENOTBLK;
		return -1;
	}
	return 0;
}

/* Undo the \ooo escapes of /proc/self/mountinfo and /proc/swaps. */
static void unescape(char *s)
{
	char *o = s;

	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

static int has_opt(const char *opts, const char *want)
{
	size_t wl = strlen(want);
	const char *p = opts;

	while (p != NULL && *p != '\0') {
		const char *comma = strchr(p, ',');
		size_t l = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (l == wl && memcmp(p, want, wl) == 0)
			return 1;
		p = comma != NULL ? comma + 1 : NULL;
	}
	return 0;
}

/* ---- Mounts --------------------------------------------------------- */

struct mnt {
	unsigned major, minor;
	char point[PATH_MAX];
	char fstype[64];
	char source[PATH_MAX];
	int rw;
};

/* Parse one /proc/self/mountinfo line; 0 or -1 when malformed. */
static int mnt_parse(char *line, struct mnt *m)
{
	char *save = NULL, *tok, *mopts = NULL;
	int field = 0, after_dash = 0;

	memset(m, 0, sizeof(*m));
	for (tok = strtok_r(line, " \n", &save); tok != NULL;
	     tok = strtok_r(NULL, " \n", &save), field++) {
		if (!after_dash) {
			if (field == 2 &&
			    sscanf(tok, "%u:%u", &m->major, &m->minor) != 2)
				return -1;
			if (field == 4) {
				unescape(tok);
				fg_copy_str(m->point, sizeof(m->point), tok);
			}
			if (field == 5)
				mopts = tok;
			if (field >= 6 && strcmp(tok, "-") == 0)
				after_dash = field;
			continue;
		}
		if (field == after_dash + 1) {
			fg_copy_str(m->fstype, sizeof(m->fstype), tok);
		} else if (field == after_dash + 2) {
			unescape(tok);
			fg_copy_str(m->source, sizeof(m->source), tok);
		} else if (field == after_dash + 3) {
			/* Writable when the superblock or this mount is. */
			m->rw = has_opt(tok, "rw") ||
				(mopts != NULL && has_opt(mopts, "rw"));
			return 0;
		}
	}
	return -1;
}

/* The watch entry a mount sits on, or -1. */
static long mnt_on_watch(const struct fg_guard *g, const struct mnt *m)
{
	struct stat st;
	size_t i;

	for (i = 0; i < g->nwatch; i++)
		if (g->watch[i].major == m->major &&
		    g->watch[i].minor == m->minor)
			return (long)i;
	/* Btrfs and others show an anonymous device number: the mount's
	 * source names the block device. */
	if (stat_dev_node(m->source, &st) == 0)
		for (i = 0; i < g->nwatch; i++)
			if (g->watch[i].major == major(st.st_rdev) &&
			    g->watch[i].minor == minor(st.st_rdev))
				return (long)i;
	return -1;
}

/* ---- Scope -------------------------------------------------------------- */

static int add_watch(struct fg_guard *g, unsigned ma, unsigned mi,
		     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int add_watch(struct fg_guard *g, unsigned ma, unsigned mi,
		     const char *fmt, ...)
{
	va_list ap;
	size_t i;

	for (i = 0; i < g->nwatch; i++)
		if (g->watch[i].major == ma && g->watch[i].minor == mi)
			return 0;
	if (g->nwatch == g->capwatch) {
		size_t ncap = g->capwatch ? g->capwatch * 2 : 16;
		void *p = realloc(g->watch, ncap * sizeof(*g->watch));
		if (p == NULL) {
			g->oom = 1;
			return -1;
		}
		g->watch = p;
		g->capwatch = ncap;
	}
	g->watch[g->nwatch].major = ma;
	g->watch[g->nwatch].minor = mi;
	va_start(ap, fmt);
	vsnprintf(g->watch[g->nwatch].what, sizeof(g->watch[0].what), fmt, ap);
	va_end(ap);
	g->nwatch++;
	return 0;
}

static int add_node(struct fg_guard *g, const char *name, const char *path,
		    unsigned ma, unsigned mi, const char *role)
{
	struct gnode *n;
	void *p = realloc(g->nodes, (g->nnodes + 1) * sizeof(*g->nodes));

	if (p == NULL) {
		g->oom = 1;
		return -1;
	}
	g->nodes = p;
	n = &g->nodes[g->nnodes++];
	memset(n, 0, sizeof(*n));
	fg_copy_str(n->name, sizeof(n->name), name);
	fg_copy_str(n->path, sizeof(n->path), path);
	n->major = ma;
	n->minor = mi;
	n->role = role;
	n->ro_before = -1;
	return add_watch(g, ma, mi, "%s", path);
}

/* Loop devices whose backing file is a watched block device (or, for a
 * file source, the source file), and their partitions. */
static void add_stacked_loops(struct fg_guard *g)
{
	DIR *d = opendir(SYSROOT "/block");
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		struct fg_blkdev lb;
		char back[PATH_MAX];
		struct stat st;
		size_t i;
		long hit = -1;

		if (strncmp(e->d_name, "loop", 4) != 0 ||
		    fg_blkdev_from_name(&lb, e->d_name, SYSROOT) != 0 ||
		    fg_blkdev_attr(&lb, "loop/backing_file", back,
				   sizeof(back)) <= 0)
			continue;
		if (g->is_file) {
			/* The kernel shows the backing file's real path:
			 * compare names first, then make sure by inode. */
			if (strcmp(back, g->file_real) == 0 &&
			    stat(back, &st) == 0 && S_ISREG(st.st_mode) &&
			    st.st_dev == g->file_dev &&
			    st.st_ino == g->file_ino)
				hit = 0;
		} else if (stat_dev_node(back, &st) == 0) {
			for (i = 0; i < g->nwatch; i++)
				if (g->watch[i].major == major(st.st_rdev) &&
				    g->watch[i].minor == minor(st.st_rdev))
					hit = (long)i;
		}
		if (hit < 0)
			continue;
		if (add_watch(g, lb.major, lb.minor,
			      "/dev/%s (a loop device attached to %s)", lb.name,
			      g->is_file ? "the source file" : back) == 0) {
			char(*parts)[FG_BLKNAME_MAX] = NULL;
			size_t np = 0, k;
			if (fg_blkdev_partitions(lb.sysdir, &parts, &np) == 0)
				for (k = 0; k < np; k++) {
					struct fg_blkdev pb;
					if (fg_blkdev_from_name(&pb, parts[k],
								SYSROOT) == 0)
						add_watch(
						    g, pb.major, pb.minor,
						    "/dev/%s (a partition "
						    "of /dev/%s, attached "
						    "to %s)",
						    pb.name, lb.name,
						    g->is_file
							? "the source file"
							: back);
				}
			free(parts);
		}
	}
	closedir(d);
}

/* Build nodes and the watch list for a block-device source. */
static int build_scope(struct fg_guard *g, const char *path,
		       struct fg_error *err)
{
	struct fg_blkdev b;
	struct stat st;
	char(*parts)[FG_BLKNAME_MAX] = NULL;
	size_t np = 0, i;

	if (stat(path, &st) != 0 || !S_ISBLK(st.st_mode))
		return fg_error_set(err, FG_EGUARD, errno,
				    "%s: cannot stat the source device: %s",
				    path, strerror(errno));
	if (fg_blkdev_from_dev(&b, major(st.st_rdev), minor(st.st_rdev),
			       SYSROOT) != 0) {
		/* Unknown to sysfs: guard the node itself only. */
		add_node(g, "", path, major(st.st_rdev), minor(st.st_rdev),
			 "source");
		return g->oom ? fg_error_set(err, FG_ENOMEM, ENOMEM,
					     "out of memory")
			      : FG_OK;
	}
	add_node(g, b.name, path, b.major, b.minor, "source");
	if (b.is_partition) {
		g->src_is_partition = 1;
		snprintf(g->disk_node, sizeof(g->disk_node), "/dev/%s", b.disk);
	} else if (fg_blkdev_partitions(b.sysdir, &parts, &np) == 0) {
		for (i = 0; i < np; i++) {
			struct fg_blkdev pb;
			char node[PATH_MAX];
			if (fg_blkdev_from_name(&pb, parts[i], SYSROOT) != 0)
				continue;
			if (fg_blkdev_node(pb.name, pb.major, pb.minor, node,
					   sizeof(node)) != 0) {
				int e = errno;
				free(parts);
				return fg_error_set(
				    err, FG_EGUARD, e,
				    "%s: its partition %s has no usable "
				    "device node /dev/%s (%s), so its "
				    "read-only flag cannot be set; create "
				    "the node (udevadm trigger, or mknod "
				    "/dev/%s b %u %u) and retry",
				    path, pb.name, pb.name, strerror(e),
				    pb.name, pb.major, pb.minor);
			}
			add_node(g, pb.name, node, pb.major, pb.minor,
				 "partition");
		}
		free(parts);
	}
	if (g->oom)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	/* Device-mapper and md devices stacked on a node show as holders;
	 * loop devices over the device do not: look for them. */
	add_stacked_loops(g);
	return g->oom ? fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory")
		      : FG_OK;
}

/* ---- Checks ------------------------------------------------------------- */

/* Is the block device ma:mi, or what it is built on, watched?  Follows
 * device-mapper/md slaves and loop backing files. */
static long dev_on_watch(const struct fg_guard *g, unsigned ma, unsigned mi,
			 int depth)
{
	struct fg_blkdev b;
	char(*sl)[FG_BLKNAME_MAX] = NULL;
	char back[PATH_MAX];
	struct stat st;
	size_t n = 0, i;
	long hit = -1;

	for (i = 0; i < g->nwatch; i++)
		if (g->watch[i].major == ma && g->watch[i].minor == mi)
			return (long)i;
	if (depth >= MAX_DEPTH || fg_blkdev_from_dev(&b, ma, mi, SYSROOT) != 0)
		return -1;
	if (fg_blkdev_list(b.sysdir, "slaves", &sl, &n) == 0) {
		for (i = 0; i < n && hit < 0; i++) {
			struct fg_blkdev s;
			if (fg_blkdev_from_name(&s, sl[i], SYSROOT) == 0)
				hit = dev_on_watch(g, s.major, s.minor,
						   depth + 1);
		}
		free(sl);
	}
	/* A loop device: the device its backing file is, or lies on. */
	if (hit < 0 &&
	    fg_blkdev_attr(&b, "loop/backing_file", back, sizeof(back)) > 0 &&
	    stat(back, &st) == 0) {
		dev_t d = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
		hit = dev_on_watch(g, major(d), minor(d), depth + 1);
	}
	/* A partition: what its whole disk is built on. */
	if (hit < 0 && b.is_partition) {
		struct fg_blkdev w;
		if (fg_blkdev_from_name(&w, b.disk, SYSROOT) == 0)
			hit = dev_on_watch(g, w.major, w.minor, depth + 1);
	}
	return hit;
}

/* The block device a folder's file system lives on (st_dev, or for
 * file systems with anonymous device numbers, the mount's source). */
static long folder_on_watch(const struct fg_guard *g, const struct stat *st,
			    char *mnt_point, size_t mlen)
{
	unsigned ma = major(st->st_dev), mi = minor(st->st_dev);
	long hit = dev_on_watch(g, ma, mi, 0);
	FILE *f;
	char *line = NULL;
	size_t cap = 0;

	mnt_point[0] = '\0';
	f = fopen("/proc/self/mountinfo", "re");
	if (f == NULL)
		return hit;
	while (getline(&line, &cap, f) > 0) {
		struct mnt m;
		struct stat ss;
		if (mnt_parse(line, &m) != 0 || m.major != ma || m.minor != mi)
			continue;
		if (mnt_point[0] == '\0')
			fg_copy_str(mnt_point, mlen, m.point);
		if (hit < 0 && stat_dev_node(m.source, &ss) == 0)
			hit = dev_on_watch(g, major(ss.st_rdev),
					   minor(ss.st_rdev), 0);
		if (hit >= 0) {
			fg_copy_str(mnt_point, mlen, m.point);
			break;
		}
	}
	free(line);
	fclose(f);
	return hit;
}

/* The folder an output will be created in (outputs do not exist yet). */
static int stat_parent(const char *path, struct stat *st)
{
	char *dir = strdup(path);
	char *slash;
	int rc;

	if (dir == NULL)
		return -1;
	slash = strrchr(dir, '/');
	if (slash == NULL)
		rc = stat(".", st);
	else if (slash == dir)
		rc = stat("/", st);
	else {
		*slash = '\0';
		rc = stat(dir, st);
	}
	free(dir);
	return rc;
}

static int check_outputs(const struct fg_guard *g, const char *const *outputs,
			 struct fg_error *err)
{
	char point[PATH_MAX];
	struct stat st;
	dev_t clear[8]; /* folders' devices found off the source */
	size_t i, nclear = 0, k;
	long hit;

	for (i = 0; outputs != NULL && outputs[i] != NULL; i++) {
		const char *o = outputs[i];
		if (stat(o, &st) == 0) {
			if (g->is_file && S_ISREG(st.st_mode) &&
			    st.st_dev == g->file_dev &&
			    st.st_ino == g->file_ino)
				return fg_error_set(
				    err, FG_EGUARD, 0,
				    "%s: an output is the source itself; "
				    "choose another output",
				    o);
			if (S_ISBLK(st.st_mode) &&
			    dev_on_watch(g, major(st.st_rdev),
					 minor(st.st_rdev), 0) >= 0)
				return fg_error_set(
				    err, FG_EGUARD, 0,
				    "%s: an output is the source device "
				    "itself; choose another output",
				    o);
		}
		if (stat_parent(o, &st) != 0)
			continue;
		/* The outputs share a folder or two: one walk of sysfs and
		 * the mount table for each device is enough. */
		for (k = 0; k < nclear && clear[k] != st.st_dev; k++)
			;
		if (k < nclear)
			continue;
		hit = folder_on_watch(g, &st, point, sizeof(point));
		if (hit < 0 && nclear < sizeof(clear) / sizeof(clear[0]))
			clear[nclear++] = st.st_dev;
		if (hit >= 0)
			return fg_error_set(
			    err, FG_EGUARD, 0,
			    "%s: the output lies on a file system on the "
			    "source (%s, mounted at %s): writing there "
			    "would change the evidence; write the outputs "
			    "to another drive",
			    o, g->watch[hit].what,
			    point[0] ? point : "an unknown place");
	}
	return FG_OK;
}

/* Mounts of watched devices: each is recorded; a read-write one refuses
 * (the first named in err), read-only ones are warned about through warn
 * (when given) if nothing refuses. */
static int check_mounts(struct fg_guard *g, struct fg_record *rec,
			fg_warn_fn warn, void *wctx, struct fg_error *err)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, **ro = NULL;
	size_t cap = 0, nro = 0, i;
	int rc = FG_OK;

	if (f == NULL)
		return fg_error_set(err, FG_EGUARD, errno,
				    "/proc/self/mountinfo: cannot read the "
				    "mount table (%s), so whether the source "
				    "is mounted cannot be checked",
				    strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		char what[PATH_MAX + 512];
		struct mnt m;
		long hit;
		if (mnt_parse(line, &m) != 0 || (hit = mnt_on_watch(g, &m)) < 0)
			continue;
		snprintf(what, sizeof(what), "%s at %s (%s, %s)",
			 g->watch[hit].what, m.point, m.fstype,
			 m.rw ? "read-write" : "read-only");
		if (m.rw) {
			fg_record_append_str(
			    rec, "write_block.mounted_read_write", what);
			if (rc == FG_OK)
				rc = fg_error_set(
				    err, FG_EGUARD, 0,
				    "%s is mounted read-write at %s (%s): "
				    "a mounted file system writes to its "
				    "device. Unmount it (umount %s) or "
				    "remount it read-only (mount -o "
				    "remount,ro %s), then retry",
				    g->watch[hit].what, m.point, m.fstype,
				    m.point, m.point);
			continue;
		}
		g->ro_mounted = 1;
		fg_record_append_str(rec, "write_block.mounted_read_only",
				     what);
		if (warn != NULL) {
			char **p = realloc(ro, (nro + 1) * sizeof(*ro));
			if (p == NULL) {
				g->oom = 1;
				continue;
			}
			ro = p;
			ro[nro] = fg_strdup_printf(
			    "%s is mounted read-only at %s (%s): "
			    "acquiring anyway, as recorded; note that "
			    "mounting may already have written to it (a "
			    "journal replay, for one)",
			    g->watch[hit].what, m.point, m.fstype);
			if (ro[nro] != NULL)
				nro++;
		}
	}
	for (i = 0; i < nro; i++) {
		if (rc == FG_OK)
			warnf(warn, wctx, rec, "%s", ro[i]);
		free(ro[i]);
	}
	free(ro);
	free(line);
	fclose(f);
	return rc;
}

static int check_swap(const struct fg_guard *g, struct fg_error *err)
{
	FILE *f = fopen("/proc/swaps", "re");
	char *line = NULL;
	size_t cap = 0;
	int rc = FG_OK, first = 1;

	if (f == NULL)
		return FG_OK; /* no swap support */
	while (getline(&line, &cap, f) > 0) {
		char *sp;
		struct stat st;
		long hit;
		if (first) {
			first = 0;
			continue;
		}
		sp = strpbrk(line, " \t\n");
		if (sp != NULL)
			*sp = '\0';
		unescape(line);
		if (stat_dev_node(line, &st) != 0)
			continue;
		hit = dev_on_watch(g, major(st.st_rdev), minor(st.st_rdev), 0);
		if (hit >= 0) {
			rc = fg_error_set(err, FG_EGUARD, 0,
					  "%s is in use as swap space (%s): "
					  "the system writes to it; run "
					  "swapoff %s, then retry",
					  g->watch[hit].what, line, line);
			break;
		}
	}
	free(line);
	fclose(f);
	return rc;
}

static int check_holders(const struct fg_guard *g, struct fg_record *rec,
			 struct fg_error *err)
{
	size_t i, k;

	for (i = 0; i < g->nnodes; i++) {
		struct fg_blkdev b;
		char(*h)[FG_BLKNAME_MAX] = NULL;
		size_t n = 0;
		if (g->nodes[i].name[0] == '\0' ||
		    fg_blkdev_from_name(&b, g->nodes[i].name, SYSROOT) != 0 ||
		    fg_blkdev_list(b.sysdir, "holders", &h, &n) != 0 ||
		    n == 0) {
			free(h);
			continue;
		}
		for (k = 0; k < n; k++) {
			struct fg_blkdev hb;
			char dmname[256] = "", what[512];
			if (fg_blkdev_from_name(&hb, h[k], SYSROOT) == 0)
				fg_blkdev_attr(&hb, "dm/name", dmname,
					       sizeof(dmname));
			snprintf(what, sizeof(what), "%s%s%s%s", h[k],
				 dmname[0] ? " (" : "", dmname,
				 dmname[0] ? ")" : "");
			fg_record_append_str(rec, "write_block.holders", what);
		}
		fg_error_set(err, FG_EGUARD, 0,
			     "%s is held by %s%s, stacked on it "
			     "(device-mapper, RAID or cache): that layer can "
			     "write to it. Stop it first (dmsetup remove, "
			     "vgchange -an, cryptsetup close or mdadm --stop), "
			     "then retry",
			     g->nodes[i].path, h[0],
			     n > 1 ? " and others" : "");
		free(h);
		return FG_EGUARD;
	}
	return FG_OK;
}

/* Name up to a few processes that have the device open. */
static void openers(unsigned ma, unsigned mi, char *out, size_t len)
{
	DIR *proc = opendir("/proc");
	struct dirent *p;
	size_t o = 0, found = 0;
	pid_t self = getpid();

	out[0] = '\0';
	if (proc == NULL)
		return;
	while ((p = readdir(proc)) != NULL && found < 5) {
		char dir[300], path[600], comm[64] = "?";
		struct dirent *f;
		DIR *fds;
		int hit = 0;
		if (p->d_name[0] < '1' || p->d_name[0] > '9' ||
		    strtol(p->d_name, NULL, 10) == self)
			continue;
		snprintf(dir, sizeof(dir), "/proc/%s/fd", p->d_name);
		fds = opendir(dir);
		if (fds == NULL)
			continue;
		while (!hit && (f = readdir(fds)) != NULL) {
			struct stat st;
			char target[PATH_MAX];
			ssize_t n;
			snprintf(path, sizeof(path), "%s/%s", dir, f->d_name);
			if (f->d_name[0] == '.' ||
			    (n = readlink(path, target, sizeof(target) - 1)) <=
				0)
				continue;
			target[n] = '\0';
			if (stat_dev_node(target, &st) == 0 &&
			    major(st.st_rdev) == ma && minor(st.st_rdev) == mi)
				hit = 1;
		}
		closedir(fds);
		if (!hit)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", p->d_name);
		fg_read_line(path, comm, sizeof(comm));
		if (o + 1 < len)
			o += (size_t)snprintf(out + o, len - o, "%s%s (pid %s)",
					      found ? ", " : "", comm,
					      p->d_name);
		found++;
	}
	closedir(proc);
	if (o >= len && len > 0)
		out[len - 1] = '\0';
}

static int check_exclusive(struct fg_guard *g, struct fg_record *rec, int keep,
			   struct fg_error *err)
{
	const struct gnode *s = &g->nodes[0];
	char who[512];
	int fd = open(s->path, O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK);
	int e = errno;

	if (fd >= 0) {
		if (keep)
			g->excl_fd = fd;
		else
			close(fd);
		fg_record_set_bool(rec, "write_block.held_by_others", 0);
		return FG_OK;
	}
	if (e == EBUSY && g->ro_mounted) {
		fg_record_set_bool(rec, "write_block.held_by_others", 1);
		fg_record_append_str(rec, "write_block.notes",
				     "the exclusive open failed (EBUSY): "
				     "the read-only mount holds the device");
		return FG_OK;
	}
	if (e != EBUSY) {
		fg_record_set_null(rec, "write_block.held_by_others");
		return fg_error_set(err, FG_EGUARD, e,
				    "%s: cannot open it to check that no "
				    "other program holds it: %s",
				    s->path, strerror(e));
	}
	fg_record_set_bool(rec, "write_block.held_by_others", 1);
	openers(s->major, s->minor, who, sizeof(who));
	return fg_error_set(err, FG_EGUARD, e,
			    "%s is held exclusively by another program (an "
			    "O_EXCL open fails: %s); open by: %s. Stop that "
			    "program or let it release the device (fuser -v "
			    "%s shows who), then retry",
			    s->path, strerror(e),
			    who[0] ? who
				   : "no process (a kernel user: a file "
				     "system, RAID or swap)",
			    s->path);
}

/* ---- Records ------------------------------------------------------------ */

static void node_key(char *key, size_t len, const struct gnode *n,
		     const char *leaf)
{
	char name[FG_BLKNAME_MAX];
	char *p;

	fg_copy_str(name, sizeof(name), n->name[0] ? n->name : "source");
	for (p = name; *p != '\0'; p++)
		if (*p == '.')
			*p = '_';
	snprintf(key, len, "write_block.devices.%s.%s", name, leaf);
}

static void record_nodes(const struct fg_guard *g, struct fg_record *rec)
{
	char key[160];
	size_t i;

	for (i = 0; i < g->nnodes; i++) {
		const struct gnode *n = &g->nodes[i];
		node_key(key, sizeof(key), n, "node");
		fg_record_set_str(rec, key, n->path);
		node_key(key, sizeof(key), n, "role");
		fg_record_set_str(rec, key, n->role);
	}
}

static void free_guard(struct fg_guard *g)
{
	if (g == NULL)
		return;
	if (g->excl_fd >= 0)
		close(g->excl_fd);
	free(g->nodes);
	free(g->watch);
	free(g);
}

static struct fg_guard *new_guard(void)
{
	struct fg_guard *g = calloc(1, sizeof(*g));

	if (g != NULL)
		g->excl_fd = -1;
	return g;
}

/* The source's HPA/DCO/security state (recorded by its describe()) is
 * what the examiner must hear before the run: hidden sectors are not
 * acquired, and forage never changes a drive to reveal them. */
static void warn_hidden(const struct fg_source *src, struct fg_record *rec,
			fg_warn_fn warn, void *wctx)
{
	static const char *const what[2][2] = {
	    {"hpa", "a Host Protected Area (HPA)"},
	    {"dco", "a Device Configuration Overlay (DCO)"}};
	char key[64];
	int64_t hidden = 0, first = 0;
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *st;
		snprintf(key, sizeof(key), "source.%s.state", what[i][0]);
		st = fg_record_get_str(rec, key);
		if (st == NULL || strcmp(st, "present") != 0)
			continue;
		snprintf(key, sizeof(key), "source.%s.hidden_sectors",
			 what[i][0]);
		fg_record_get_int(rec, key, &hidden);
		snprintf(key, sizeof(key), "source.%s.hidden_first_lba",
			 what[i][0]);
		fg_record_get_int(rec, key, &first);
		warnf(warn, wctx, rec,
		      "%s: the drive has %s hiding %lld sectors from LBA "
		      "%lld on; they are NOT acquired. forage does not "
		      "change the drive; remove it with a hardware tool "
		      "(or hdparm, which writes to the drive's "
		      "configuration) if they must be acquired",
		      src->path, what[i][1], (long long)hidden,
		      (long long)first);
	}
}

/* ---- Public ------------------------------------------------------------- */

static int engage_file(struct fg_guard *g, struct fg_source *src,
		       const char *const *outputs, struct fg_record *rec,
		       fg_warn_fn warn, void *wctx, struct fg_error *err)
{
	struct stat st;
	int rc;
	size_t i;

	g->is_file = 1;
	if (stat(src->path, &st) == 0 &&
	    realpath(src->path, g->file_real) != NULL) {
		g->file_dev = st.st_dev;
		g->file_ino = st.st_ino;
		add_stacked_loops(g);
		if (g->oom)
			return fg_error_set(err, FG_ENOMEM, ENOMEM,
					    "out of memory");
	} else {
		g->is_file = 0; /* nothing to compare with */
	}
	rc = check_outputs(g, outputs, err);
	if (rc == FG_OK && g->nwatch > 0)
		rc = check_mounts(g, rec, warn, wctx, err);
	if (rc != FG_OK)
		return rc;
	for (i = 0; i < g->nwatch; i++)
		warnf(warn, wctx, rec,
		      "the source file is attached as %s: writes through "
		      "it would change the source; detach it (losetup -d) "
		      "when it is not needed",
		      g->watch[i].what);
	warn_hidden(src, rec, warn, wctx);
	fg_record_set_bool(rec, "write_block.applicable", 0);
	fg_record_set_str(rec, "write_block.state",
			  "not a block device: source opened read-only, no "
			  "kernel flag applies");
	return FG_OK;
}

int fg_guard_engage(struct fg_guard **out, struct fg_source *src,
		    const char *const *outputs, int no_write_block,
		    struct fg_record *rec, fg_warn_fn warn, void *warn_ctx,
		    struct fg_error *err)
{
	struct fg_guard *g;
	size_t i;
	int rc, ro;
	char key[160];

	*out = NULL;
	g = new_guard();
	if (g == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	g->no_write_block = no_write_block;
	if (!src->is_block_device) {
		rc = engage_file(g, src, outputs, rec, warn, warn_ctx, err);
		if (rc != FG_OK) {
			free_guard(g);
			return rc;
		}
		*out = g;
		return FG_OK;
	}

	/* 1. Scope and checks; nothing is changed before they all pass. */
	fg_record_set_bool(rec, "write_block.applicable", 1);
	fg_record_set_bool(rec, "write_block.no_write_block", no_write_block);
	fg_record_set_null(rec, "write_block.state");
	fg_record_set_null(rec, "write_block.readonly_before");
	fg_record_set_null(rec, "write_block.readonly_after");
	rc = build_scope(g, src->path, err);
	if (rc == FG_OK)
		rc = check_outputs(g, outputs, err);
	if (rc == FG_OK)
		rc = check_mounts(g, rec, warn, warn_ctx, err);
	if (rc == FG_OK)
		rc = check_swap(g, err);
	if (rc == FG_OK)
		rc = check_holders(g, rec, err);
	if (rc == FG_OK)
		rc = check_exclusive(g, rec, 1, err);
	if (rc != FG_OK) {
		fg_record_set_str(rec, "write_block.state",
				  "refused by the guard");
		free_guard(g);
		return rc;
	}
	fg_record_set_bool(rec, "write_block.exclusive_open", g->excl_fd >= 0);
	for (i = g->nnodes; i < g->nwatch; i++)
		warnf(warn, warn_ctx, rec,
		      "%s: writes through it would reach the source; it is "
		      "not flagged read-only; detach it when not needed",
		      g->watch[i].what);
	if (g->src_is_partition)
		warnf(warn, warn_ctx, rec,
		      "%s is a partition: only it is flagged read-only, not "
		      "the whole disk %s, through which it could still be "
		      "written; acquire the whole disk, or run blockdev "
		      "--setro %s first",
		      src->path, g->disk_node, g->disk_node);
	warn_hidden(src, rec, warn, warn_ctx);

	/* 2. Flags before. */
	record_nodes(g, rec);
	for (i = 0; i < g->nnodes; i++) {
		struct gnode *n = &g->nodes[i];
		node_key(key, sizeof(key), n, "readonly_before");
		if (ro_get(n->path, &ro) == 0) {
			n->ro_before = ro != 0;
			fg_record_set_bool(rec, key, n->ro_before);
		} else {
			fg_record_set_null(rec, key);
		}
	}
	if (g->nodes[0].ro_before >= 0)
		fg_record_set_bool(rec, "write_block.readonly_before",
				   g->nodes[0].ro_before);
	else
		fg_record_set_null(rec, "write_block.readonly_before");

	if (no_write_block) {
		warnf(warn, warn_ctx, NULL,
		      "--no-write-block: the kernel read-only flag is NOT "
		      "set on %s%s; this is recorded",
		      src->path, g->nnodes > 1 ? " or its partitions" : "");
		fg_record_set_bool(rec, "write_block.no_write_block", 1);
		fg_record_set_str(rec, "write_block.state",
				  "disabled by --no-write-block: the kernel "
				  "read-only flag was not set");
		for (i = 0; i < g->nnodes; i++) {
			node_key(key, sizeof(key), &g->nodes[i],
				 "flag_set_by_forage");
			fg_record_set_bool(rec, key, 0);
		}
		*out = g;
		return FG_OK;
	}
	fg_record_set_bool(rec, "write_block.no_write_block", 0);

	/* 3. BLKROSET on each node, then BLKROGET on each. */
	for (i = 0; i < g->nnodes; i++) {
		struct gnode *n = &g->nodes[i];
		if (ro_set(n->path) != 0) {
			int e = errno;
			fg_record_set_str(rec, "write_block.state",
					  "could not set the read-only flag");
			rc = fg_error_set(err, FG_EGUARD, e,
					  "%s: cannot set the kernel read-only "
					  "flag (BLKROSET): %s; run as root, "
					  "or use a hardware write blocker "
					  "and --no-write-block",
					  n->path, strerror(e));
			free_guard(g);
			return rc;
		}
		n->flag_set = 1;
		node_key(key, sizeof(key), n, "flag_set_by_forage");
		fg_record_set_bool(rec, key, 1);
	}
	for (i = 0; i < g->nnodes; i++) {
		struct gnode *n = &g->nodes[i];
		const int failed = ro_get(n->path, &ro) != 0;
		if (failed || !ro) {
			int e = failed ? errno : 0;
			fg_record_set_str(rec, "write_block.state",
					  "the read-only flag did not hold");
			rc = fg_error_set(err, FG_EGUARD, e,
					  "%s: the kernel read-only flag is "
					  "not set after BLKROSET (BLKROGET "
					  "says %s); refusing to read",
					  n->path, failed ? "error" : "0");
			free_guard(g);
			return rc;
		}
	}
	if (g->nnodes > 1) {
		char state[200];
		snprintf(state, sizeof(state),
			 "kernel read-only flag set (BLKROSET) and checked "
			 "(BLKROGET) on the device and its %zu partition%s",
			 g->nnodes - 1, g->nnodes == 2 ? "" : "s");
		fg_record_set_str(rec, "write_block.state", state);
	} else {
		fg_record_set_str(rec, "write_block.state",
				  "kernel read-only flag set (BLKROSET) and "
				  "checked");
	}
	*out = g;
	return FG_OK;
}

int fg_guard_release(struct fg_guard *g, struct fg_record *rec)
{
	char key[160];
	size_t i;
	int ro = 0;

	if (g == NULL)
		return FG_OK;
	for (i = 0; i < g->nnodes; i++) {
		const struct gnode *n = &g->nodes[i];
		int ok = ro_get(n->path, &ro) == 0;
		node_key(key, sizeof(key), n, "readonly_after");
		if (ok)
			fg_record_set_bool(rec, key, ro != 0);
		else
			fg_record_set_null(rec, key);
		if (i == 0) {
			if (ok)
				fg_record_set_bool(
				    rec, "write_block.readonly_after", ro != 0);
			else
				fg_record_set_null(
				    rec, "write_block.readonly_after");
		}
	}
	free_guard(g);
	return FG_OK;
}

size_t fg_guard_flags_left(const struct fg_guard *g, char *buf, size_t len)
{
	size_t i, n = 0, used = 0;
	int ro = 0;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; g != NULL && i < g->nnodes; i++) {
		const struct gnode *nd = &g->nodes[i];
		int w;
		if (!nd->flag_set || ro_get(nd->path, &ro) != 0 || !ro)
			continue;
		w = snprintf(buf + used, len - used, "%s%s", n ? " " : "",
			     nd->path);
		if (w < 0 || (size_t)w >= len - used) {
			buf[used] = '\0'; /* (a node that does not fit) */
			break;
		}
		used += (size_t)w;
		n++;
	}
	return n;
}

int fg_guard_inspect(struct fg_source *src, struct fg_record *rec)
{
	struct fg_guard *g = new_guard();
	struct fg_error err;
	char key[160];
	size_t i;
	int ro, oom;

	if (g == NULL)
		return FG_ENOMEM;
	fg_error_clear(&err);
	if (!src->is_block_device) {
		struct stat st;
		fg_record_set_bool(rec, "write_block.applicable", 0);
		if (stat(src->path, &st) == 0 &&
		    realpath(src->path, g->file_real) != NULL) {
			g->is_file = 1;
			g->file_dev = st.st_dev;
			g->file_ino = st.st_ino;
			add_stacked_loops(g);
			for (i = 0; i < g->nwatch; i++)
				fg_record_append_str(rec,
						     "write_block.attached_as",
						     g->watch[i].what);
			check_mounts(g, rec, NULL, NULL, &err);
		}
		goto out;
	}
	fg_record_set_bool(rec, "write_block.applicable", 1);
	if (build_scope(g, src->path, &err) != FG_OK) {
		fg_record_append_str(rec, "write_block.notes", err.msg);
		goto out;
	}
	record_nodes(g, rec);
	for (i = 0; i < g->nnodes; i++) {
		node_key(key, sizeof(key), &g->nodes[i], "readonly");
		if (ro_get(g->nodes[i].path, &ro) == 0)
			fg_record_set_bool(rec, key, ro != 0);
		else
			fg_record_set_null(rec, key);
	}
	for (i = g->nnodes; i < g->nwatch; i++)
		fg_record_append_str(rec, "write_block.stacked",
				     g->watch[i].what);
	if (check_mounts(g, rec, NULL, NULL, &err) != FG_OK)
		fg_record_append_str(rec, "write_block.notes", err.msg);
	if (check_swap(g, &err) != FG_OK)
		fg_record_append_str(rec, "write_block.notes", err.msg);
	if (check_holders(g, rec, &err) != FG_OK)
		fg_record_append_str(rec, "write_block.notes", err.msg);
	if (check_exclusive(g, rec, 0, &err) != FG_OK)
		fg_record_append_str(rec, "write_block.notes", err.msg);
out:
	oom = g->oom;
	free_guard(g);
	return oom ? FG_ENOMEM : FG_OK;
}
