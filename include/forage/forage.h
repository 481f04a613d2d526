/*
 * forage.h - what every forage module shares: status codes, the error
 * record a handle carries, exit codes and the version.
 *
 * Promise: every library function returns FG_OK (0) or one of the negative
 * FG_E* codes below, and when it fails it leaves a message on the error
 * record it was given (never in a global), naming the thing, the place and
 * the cause.  Callers turn a status into an exit code with
 * fg_exit_for_status().
 */
#ifndef FORAGE_FORAGE_H
#define FORAGE_FORAGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ---------------------------------------------------- */

enum fg_status {
	FG_OK = 0,
	FG_EINVAL = -1,     /* bad argument or usage */
	FG_ENOMEM = -2,     /* allocation failed */
	FG_EIO = -3,        /* an I/O error on the source or an output */
	FG_EEXIST = -4,     /* an output exists already: never overwritten */
	FG_ENOSPC = -5,     /* destination full */
	FG_ESOURCE = -6,    /* source cannot be opened or used */
	FG_EOUTPUT = -7,    /* output cannot be created or written */
	FG_EGUARD = -8,     /* the write-block guard refused the source */
	FG_EFORMAT = -9,    /* input is not in the format it claims */
	FG_EMISMATCH = -10, /* a check failed: hash mismatch, corruption */
	FG_EINTR = -11,     /* interrupted by a signal */
	FG_EBADSECT = -12,  /* finished, but some sectors were filled */
	FG_EDB = -13,       /* case database error */
	FG_ESTATE = -14     /* function called in the wrong state */
};

/* ---- Exit codes (docs/design.md; the same for every verb) ----------- */

enum fg_exit {
	FG_EXIT_OK = 0,          /* done, all read, all checks passed */
	FG_EXIT_CHECK = 1,       /* a check failed */
	FG_EXIT_TROUBLE = 2,     /* usage, source, output, guard, full */
	FG_EXIT_PARTIAL = 3,     /* finished; some sectors filled */
	FG_EXIT_INTERRUPTED = 4  /* interrupted by a signal */
};

/* ---- The error record ------------------------------------------------- */

#define FG_ERRMSG_MAX 1024

struct fg_error {
	int code;                 /* FG_OK or an FG_E* code */
	int sys_errno;            /* errno at the failure, 0 if none */
	char msg[FG_ERRMSG_MAX];  /* for a person: thing, place, cause */
};

/* Record a failure on err (which may be NULL) and return code, so that a
 * caller can write "return fg_error_set(err, FG_EIO, errno, ...);". */
int fg_error_set(struct fg_error *err, int code, int sys_errno,
		 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Forget any earlier failure. */
void fg_error_clear(struct fg_error *err);

/* Copy src to dst (both may be NULL); returns src->code. */
int fg_error_copy(struct fg_error *dst, const struct fg_error *src);

/* A short fixed name for a status code ("I/O error", ...). */
const char *fg_status_name(int code);

/* The exit code docs/design.md assigns to a status. */
int fg_exit_for_status(int code);

/* ---- Progress --------------------------------------------------------- */

/* Where a long pass is, handed to a progress callback (acquisition, the
 * reader's passes, verification). */
struct fg_progress {
	uint64_t done;	      /* bytes settled (read, or failed alone) */
	uint64_t total;	      /* bytes to acquire */
	uint64_t bad_sectors; /* failing sectors so far */
	double elapsed;	      /* seconds since start */
	int finished;	      /* last call */
	const char *phase;    /* "copying", "splitting", "retrying",
			       * "filling", "hashing the image"; NULL when
			       * reading in order */
	unsigned pass;	      /* within the phase, from 1 */
	unsigned passes;      /* passes of the phase, 0 if open-ended */
};

/* ---- Files ------------------------------------------------------------ */

/* Write len bytes to path through a temporary name in the same folder,
 * fsync, rename (refusing to replace unless replace), fsync the folder:
 * every writer of a record, sidecar, mapfile or report uses it. */
int fg_write_file_atomic(const char *path, const void *data, size_t len,
			 int replace, struct fg_error *err);

/* ---- Text from evidence ------------------------------------------------ */

/* s as printable text, malloc'd (NULL when out of memory): every byte that
 * is not printable ASCII becomes \xHH, so that no string read from
 * evidence, a record or a case database can drive the terminal it is
 * printed on (ESC, BEL, CSI).  The one escaping of libforage and the
 * program (base/text.c).  By default a backslash becomes \x5c too, so
 * that every escape is unambiguous; flags keep more:
 *   FG_PRINTABLE_KEEP_BACKSLASH  a backslash as it is (text that escapes
 *                                itself, or a Windows path)
 *   FG_PRINTABLE_UTF8            well-formed UTF-8 other than the C1
 *                                controls (U+0080-U+009F)
 *   FG_PRINTABLE_LINES           line feed and tab (text that may span
 *                                lines, shown as such)
 * FG_PRINTABLE_TEXT is for what a person wrote: the three together, so
 * that what is escaped is what the text report escapes (C0 controls but
 * line feed and tab, DEL), and C1 controls and broken UTF-8. */
#define FG_PRINTABLE_KEEP_BACKSLASH 2
#define FG_PRINTABLE_UTF8 4
#define FG_PRINTABLE_LINES 8
#define FG_PRINTABLE_TEXT                                        \
	(FG_PRINTABLE_KEEP_BACKSLASH | FG_PRINTABLE_UTF8 | FG_PRINTABLE_LINES)
char *fg_printable_dup(const char *s, int flags);

/* ---- Version ----------------------------------------------------------- */

/* "forage 0.1.0" style version string of the library. */
const char *fg_version(void);

#ifdef __cplusplus
}
#endif
#endif
