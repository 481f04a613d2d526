/*
 * base_int.h - the helpers every part of libforage may use: file I/O that
 * finishes what it starts, text, paths, time and progress.  They depend on
 * nothing else in the library (docs/design.md, "Parts").  Each helper
 * lives in one file here and nowhere else.
 */
#ifndef FORAGE_BASE_INT_H
#define FORAGE_BASE_INT_H

#include <sys/types.h>
#include <forage/forage.h>

/* ---- File I/O (fileio.c) ---------------------------------------------- */

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

/* Drop a file's pages from the page cache after an fsync, so that the next
 * read comes from the device.  Returns 0 or -1 with errno. */
int fg_fd_drop_cache(int fd);

/* Map an errno from writing an output to a status (ENOSPC, EDQUOT ->
 * FG_ENOSPC; anything else -> FG_EOUTPUT). */
int fg_status_for_write_errno(int e);

/* ---- Text (text.c) ---------------------------------------------------- */

/* A malloc'd printf; NULL when out of memory. */
char *fg_strdup_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* n bytes as 2n lowercase hex digits and a NUL into hex. */
void fg_hex(const unsigned char *bin, size_t n, char *hex);

/* n bytes as base64 (RFC 4648, padded, one line): a malloc'd string, or
 * NULL when out of memory. */
char *fg_base64(const unsigned char *bin, size_t n);

/* The SHA-256 of n bytes as 64 lowercase hex digits and a NUL into hex
 * (a one-shot for small buffers: drive pages; bulk data goes through the
 * digest part).  0, or -1 when OpenSSL fails. */
int fg_sha256_hex(const unsigned char *bin, size_t n, char hex[65]);

/* Room for element n of an array of elem-byte elements that holds n and
 * grows only through this (it may shrink): its allocation is the next
 * power of two of n, so n additions copy O(n) elements, not O(n^2).
 * Returns the array (arr, or where realloc moved it), or NULL when out of
 * memory (arr is then unchanged). */
void *fg_grow(void *arr, size_t n, size_t elem);

/* A growing text buffer.  Appends never fail loudly: when memory runs out, failed is set,
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

/* Copy src (srclen bytes, or up to NUL when srclen is (size_t)-1) to dst
 * as printable text: other bytes become \xHH, so that what a device, the
 * kernel or a file said is kept exactly and cannot drive a terminal.  The
 * FG_PRINTABLE_* flags (include/forage/forage.h) say what else is kept;
 * FG_PRINTABLE_TRIM drops leading and trailing spaces.  Cut short rather
 * than split an escape; always NUL-terminates.  fg_printable_dup
 * (forage.h) is the same, malloc'd. */
#define FG_PRINTABLE_TRIM 1
void fg_printable(char *dst, size_t dstlen, const char *src, size_t srclen,
		  int flags);

/* Numbers and sizes in words, into out (len bytes; 32 is enough), which
 * the size functions return: n with thousands separators ("4,194,304");
 * a size as options take it, in binary units ("32 KiB", "700 bytes",
 * "1.5 GiB (1,610,612,736 bytes)"); a medium's size in decimal and binary
 * units, two decimals at most ("4.19 MB, 4 MiB"). */
void fg_commas(char *out, size_t len, uint64_t n);
const char *fg_size_binary(char *out, size_t len, uint64_t v);
const char *fg_size_both(char *out, size_t len, uint64_t v);

/* Copy src into dst (len bytes), cut short if needed; NUL-terminated. */
void fg_copy_str(char *dst, size_t len, const char *src);

/* Read the first line of a small file (sysfs, procfs) into buf without
 * its line feed.  Returns the length, or -1 with errno. */
ssize_t fg_read_line(const char *path, char *buf, size_t len);

/* ---- Opening inputs (openin.c) ---------------------------------------- */

/* What a file of st_mode mode is, for a message: "a FIFO", "a character
 * device", "a folder", ... */
const char *fg_file_kind(unsigned mode);

/* Open path read-only for input without ever blocking: a FIFO, a
 * character device, a socket or a folder is refused with "PATH: is a
 * FIFO, not a regular file".  FG_OPEN_BLOCKDEV also takes a block device
 * (evidence may be one); FG_OPEN_NOFOLLOW refuses a symbolic link.
 * Returns FG_OK with *fdp open (O_CLOEXEC, blocking reads), or FG_EINVAL
 * (not a file of that kind, absent), FG_EIO; *fdp is -1 then. */
#define FG_OPEN_BLOCKDEV 1
#define FG_OPEN_NOFOLLOW 2
int fg_open_input(const char *path, int flags, int *fdp,
		  struct fg_error *err);

/* 1 when anything at all is at path, a dangling symbolic link included
 * (lstat), or it cannot be told; 0 when nothing is there. */
int fg_path_taken(const char *path);

/* ---- Paths (util.c) --------------------------------------------------- */

/* The last component of path (after the last '/'), inside path. */
const char *fg_path_base(const char *path);

/* The folder of path, malloc'd: "." when it has none, "/" for "/x";
 * NULL when out of memory. */
char *fg_path_dir(const char *path);

/* path made absolute: the real path of its folder (symbolic links and
 * ".." resolved; the folder must exist) followed by its last component,
 * malloc'd.  NULL with errno when the folder cannot be resolved. */
char *fg_path_absolute(const char *path);

/* ---- Time, threads, progress (util.c) --------------------------------- */

/* Seconds on the monotonic clock, for rates and progress. */
double fg_now_seconds(void);

/* Let the calling thread give way (nice +FG_YIELD_NICE, Linux per-thread)
 * to the one that bounds a pass: the single MD5 stream, which cannot be
 * split.  Called by the threads that work beside it (compression,
 * inflate, the other digests); they still get every cycle it leaves. */
#define FG_YIELD_NICE 10
void fg_thread_give_way(void);

/* Report progress through fn (NULL: none) at most twice a second, and
 * always when finished: p->done = done, elapsed since t0. */
struct fg_progress;
void fg_progress_tick(void (*fn)(void *, const struct fg_progress *),
		      void *ctx, struct fg_progress *p, double t0,
		      double *last, uint64_t done, int finished);

#endif
