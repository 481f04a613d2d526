/*
 * internal.h - what modules of libforage share and the public headers do
 * not promise.  Keep it short: each helper lives in one place.
 */
#ifndef FORAGE_INTERNAL_H
#define FORAGE_INTERNAL_H

#include <sys/types.h>
#include <forage/forage.h>

struct fg_source;
struct fg_sink;
struct fg_sink_ops;

/* pread() that retries short reads and EINTR until len bytes or EOF.
 * Returns bytes read, or -1 with errno when nothing could be read. */
ssize_t fg_fd_pread_full(int fd, void *buf, size_t len, uint64_t off);

/* write() all of len bytes; returns 0 or -1 with errno. */
int fg_fd_write_full(int fd, const void *buf, size_t len);

/* pwrite() all of len bytes at off; returns 0 or -1 with errno. */
int fg_fd_pwrite_full(int fd, const void *buf, size_t len, uint64_t off);

/* fsync the folder holding path (after a rename into it). */
int fg_fsync_parent(const char *path);

/* rename from -> to, failing with EEXIST instead of replacing to. */
int fg_rename_noreplace(const char *from, const char *to);

/* A malloc'd printf; NULL when out of memory. */
char *fg_strdup_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* The block-device source (source_dev.c). */
int fg_source_open_device(struct fg_source **out, const char *path,
			  uint64_t offset, uint64_t length,
			  struct fg_error *err);

/* Map an errno from writing an output to a status (ENOSPC, EDQUOT ->
 * FG_ENOSPC; anything else -> FG_EOUTPUT). */
int fg_status_for_write_errno(int e);

/* A new sink of ops with its life-cycle state (sink.c); NULL when out of
 * memory.  Free with fg_sink_free. */
struct fg_sink *fg_sink_alloc(const struct fg_sink_ops *ops);

/* A growing text buffer (report.c; record.c and casedb.c could use it
 * too).  Appends never fail loudly: when memory runs out, failed is set,
 * later appends do nothing, and the writer checks failed once at the end.
 * p is NUL-terminated once anything was added; free(p) when done. */
struct fg_buf {
	char *p;
	size_t len, cap;
	int failed;
};
void fg_buf_put(struct fg_buf *b, const char *s, size_t n);
void fg_buf_puts(struct fg_buf *b, const char *s);
void fg_buf_printf(struct fg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* ---- Block devices as sysfs knows them (blkdev.c) ---------------------- */

#define FG_BLKNAME_MAX 64

struct fg_blkdev {
	char name[FG_BLKNAME_MAX];      /* "sdb1", "loop0", "nvme0n1" */
	unsigned major, minor;
	char sysdir[4096];              /* real path of SYSROOT/dev/block/M:m */
	int is_partition;               /* a "partition" file is there */
	unsigned partno;                /* its number, 0 for a whole disk */
	char disk[FG_BLKNAME_MAX];      /* the whole disk ("sdb"), = name */
	char disksysdir[4096];          /* the whole disk's sysfs folder */
};

/* Copy src (srclen bytes, or up to NUL when srclen is (size_t)-1) to dst
 * as printable ASCII: other bytes become \xHH, so that what a device or
 * the kernel said is kept exactly and is valid UTF-8.  A backslash becomes
 * \x5c too (so every escape is unambiguous), unless the text escapes
 * itself (libmagic, udev): FG_PRINTABLE_KEEP_BACKSLASH.  FG_PRINTABLE_TRIM
 * drops leading and trailing spaces.  Always NUL-terminates. */
#define FG_PRINTABLE_TRIM 1
#define FG_PRINTABLE_KEEP_BACKSLASH 2
void fg_printable(char *dst, size_t dstlen, const char *src, size_t srclen,
		  int flags);

/* Copy src into dst (len bytes), cut short if needed; NUL-terminated. */
void fg_copy_str(char *dst, size_t len, const char *src);

/* Read the first line of a small file (sysfs, procfs) into buf without
 * its line feed.  Returns the length, or -1 with errno. */
ssize_t fg_read_line(const char *path, char *buf, size_t len);

/* Fill b for the block device dev (st_rdev), looking in sysroot ("/sys",
 * or a fake tree in tests).  Returns 0, or -1 with errno when sysfs does
 * not know it. */
int fg_blkdev_from_dev(struct fg_blkdev *b, unsigned major, unsigned minor,
		       const char *sysroot);

/* Fill b for a sysfs block name ("sdb1") under sysroot. */
int fg_blkdev_from_name(struct fg_blkdev *b, const char *name,
			const char *sysroot);

/* Read a one-line attribute of b (file relative to its sysfs folder,
 * e.g. "queue/rotational"); same returns as fg_read_line. */
ssize_t fg_blkdev_attr(const struct fg_blkdev *b, const char *file,
		       char *buf, size_t len);

/* The partitions of the whole disk dir (a sysfs folder), as names in a
 * malloc'd array of *n entries (free with free()); 0 or -1 (ENOMEM). */
int fg_blkdev_partitions(const char *disksysdir,
			 char (**names)[FG_BLKNAME_MAX], size_t *n);

/* The names in a sysfs folder's holders/ (or slaves/) list, as above. */
int fg_blkdev_list(const char *sysdir, const char *sub,
		   char (**names)[FG_BLKNAME_MAX], size_t *n);

/* "/dev/NAME" when that node exists and is this device (major:minor);
 * 0, or -1 with errno (ENOENT, or ENODEV when it is another device). */
int fg_blkdev_node(const char *name, unsigned major, unsigned minor,
		   char *path, size_t len);

#endif
