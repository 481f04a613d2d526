/*
 * util.c - small file-system helpers shared by the modules (internal.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <forage/reader.h>

#include "internal.h"

int fg_fd_write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fg_fd_pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int fg_fsync_parent(const char *path)
{
	char *dir = strdup(path);
	char *slash;
	int fd, rc;

	if (dir == NULL)
		return -1;
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		dir[0] = '.';
		dir[1] = '\0';
	} else if (slash == dir) {
		dir[1] = '\0';
	} else {
		*slash = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int fg_rename_noreplace(const char *from, const char *to)
{
#ifdef SYS_renameat2
	if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to,
		    1 /* RENAME_NOREPLACE */) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	/* File systems without renameat2 flags: link() never replaces. */
	if (link(from, to) != 0)
		return -1;
	return unlink(from);
}

char *fg_strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

int fg_status_for_write_errno(int e)
{
	return (e == ENOSPC || e == EDQUOT) ? FG_ENOSPC : FG_EOUTPUT;
}

const char *fg_path_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

void fg_hex(const unsigned char *bin, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[bin[i] >> 4];
		hex[2 * i + 1] = digits[bin[i] & 15];
	}
	hex[2 * n] = '\0';
}

void fg_feed_million_a(void (*update)(void *ctx, const void *p, size_t n),
		       void *ctx)
{
	unsigned char a[333];
	size_t i, k;

	memset(a, 'a', sizeof(a));
	for (i = 0; i < 1000000; i += k) {
		k = (i / 1000) % 2 ? 333 : 61;
		if (k > 1000000 - i)
			k = 1000000 - i;
		update(ctx, a, k);
	}
}

void fg_blocks_pad(unsigned char buf[64], uint64_t *len, int big_endian,
		   fg_blocks_fn *blocks, void *state)
{
	static const unsigned char pad[64] = {0x80};
	const uint64_t bits = *len * 8;
	unsigned char tail[8];
	size_t have = (size_t)(*len & 63);
	int i;

	for (i = 0; i < 8; i++)
		tail[i] = (unsigned char)(bits >> (big_endian ? 56 - 8 * i
							      : 8 * i));
	fg_blocks_feed(buf, len, pad, have < 56 ? 56 - have : 120 - have,
		       blocks, state);
	fg_blocks_feed(buf, len, tail, 8, blocks, state);
}

size_t fg_blocks_two(uint64_t *lena, void *sa, const void *pa, uint64_t *lenb,
		     void *sb, const void *pb, size_t len,
		     fg_blocks2_fn *blocks2)
{
	size_t whole;

	if ((*lena & 63) != 0 || (*lenb & 63) != 0)
		return 0;
	whole = len & ~(size_t)63;
	blocks2(sa, pa, sb, pb, whole / 64);
	*lena += whole;
	*lenb += whole;
	return whole;
}

void fg_blocks_feed(unsigned char buf[64], uint64_t *len, const void *data,
		    size_t n, fg_blocks_fn *blocks, void *state)
{
	const unsigned char *p = data;
	size_t have = (size_t)(*len & 63);

	*len += n;
	if (have > 0) {
		size_t take = 64 - have < n ? 64 - have : n;

		memcpy(buf + have, p, take);
		p += take;
		n -= take;
		if (have + take < 64)
			return;
		blocks(state, buf, 1);
	}
	if (n >= 64) {
		blocks(state, p, n / 64);
		p += n & ~(size_t)63;
		n &= 63;
	}
	if (n > 0)
		memcpy(buf, p, n);
}

char *fg_path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

char *fg_path_absolute(const char *path)
{
	char *dir = fg_path_dir(path), *real = NULL, *abs = NULL;
	int e = ENOMEM;

	if (dir != NULL) {
		real = realpath(dir, NULL);
		if (real == NULL)
			e = errno;
		else
			abs = fg_strdup_printf(
			    "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/",
			    fg_path_base(path));
	}
	free(dir);
	free(real);
	if (abs == NULL)
		errno = e;
	return abs;
}

double fg_now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void fg_thread_give_way(void)
{
	id_t tid = (id_t)syscall(SYS_gettid);
	int cur;

	errno = 0;
	cur = getpriority(PRIO_PROCESS, tid);
	if (errno == 0 && cur < 19)
		(void)setpriority(PRIO_PROCESS, tid,
				  cur + FG_YIELD_NICE > 19 ? 19
							   : cur + FG_YIELD_NICE);
}

void fg_progress_tick(void (*fn)(void *, const struct fg_progress *),
		      void *ctx, struct fg_progress *p, double t0,
		      double *last, uint64_t done, int finished)
{
	double t;

	if (fn == NULL)
		return;
	t = fg_now_seconds();
	if (!finished && t - *last < 0.5)
		return;
	*last = t;
	p->done = done;
	p->elapsed = t - t0;
	p->finished = finished;
	fn(ctx, p);
}

void fg_buf_put(struct fg_buf *b, const char *s, size_t n)
{
	if (b->failed || n == 0)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 4096;
		char *np;

		while (ncap < b->len + n + 1)
			ncap *= 2;
		np = realloc(b->p, ncap);
		if (np == NULL) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void fg_buf_puts(struct fg_buf *b, const char *s)
{
	fg_buf_put(b, s, strlen(s));
}

void fg_buf_printf(struct fg_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	fg_buf_put(b, s, (size_t)n);
	free(s);
}
