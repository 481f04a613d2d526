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

#endif
