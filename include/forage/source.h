/*
 * source.h - what is acquired: a regular file or a block device, or, in
 * tests, a scripted source.  A source is a function table plus geometry.
 *
 * Promise: a source is opened O_RDONLY and nothing here can open it any
 * other way.  Offsets given to fg_source_pread() are relative to the start
 * of the acquired range (--offset), and reads never go past its end.
 */
#ifndef FORAGE_SOURCE_H
#define FORAGE_SOURCE_H

#include <sys/types.h>
#include <forage/forage.h>

struct fg_source;
struct fg_record;

struct fg_source_ops {
	const char *kind; /* "file", "block device", "scripted" */
	/* Read up to len bytes at off (relative, see above).  Returns the
	 * number read (short only at the end) or -1 with errno set. */
	ssize_t (*pread)(struct fg_source *src, void *buf, size_t len,
			 uint64_t off);
	/* Like pread but bypassing caches (O_DIRECT), for retries of single
	 * sectors; buf is aligned to 4096.  May be NULL: pread is used. */
	ssize_t (*pread_direct)(struct fg_source *src, void *buf, size_t len,
				uint64_t off);
	/* Add what is known of the source's identity and geometry to the
	 * record under "source." (model, serial ...; unknown stays null).
	 * May be NULL. */
	int (*describe)(struct fg_source *src, struct fg_record *rec);
	void (*close)(struct fg_source *src);
	/* Add the drive's health (SMART) under "health.WHEN." (health.h).
	 * May be NULL: a source that is no drive has none. */
	int (*health)(struct fg_source *src, struct fg_record *rec,
		      const char *when);
};

struct fg_source {
	const struct fg_source_ops *ops;
	void *priv;
	char *path;               /* as given by the user */
	int is_block_device;
	uint64_t total_size;      /* the whole file or device, bytes */
	uint64_t offset;          /* start of the acquired range, bytes */
	uint64_t size;            /* length of the acquired range, bytes */
	uint32_t sector_size;     /* logical sector size (512 for files) */
	uint32_t physical_sector_size;
};

/* Open path read-only as a source.  offset/length select part of it
 * (length 0: to the end).  Regular files only in this function; block
 * devices go through fg_source_open(), which picks the right kind.
 * Returns FG_OK, FG_ESOURCE (missing, unreadable, a directory ...) or
 * FG_EINVAL (range outside the source). */
int fg_source_open_file(struct fg_source **out, const char *path,
			uint64_t offset, uint64_t length,
			struct fg_error *err);

/* Open any supported source (file or block device). */
int fg_source_open(struct fg_source **out, const char *path,
		   uint64_t offset, uint64_t length, struct fg_error *err);

/* Read through the table. */
ssize_t fg_source_pread(struct fg_source *src, void *buf, size_t len,
			uint64_t off);
ssize_t fg_source_pread_direct(struct fg_source *src, void *buf, size_t len,
			       uint64_t off);

/* Record the common geometry, then the kind's own description. */
int fg_source_describe(struct fg_source *src, struct fg_record *rec);

/* Record the source's health under "health.WHEN." ("before", "after"):
 * SMART of a drive; "not available" and why for anything else.  Returns
 * FG_OK or FG_ENOMEM; a drive that does not answer is not an error. */
int fg_source_health(struct fg_source *src, struct fg_record *rec,
		     const char *when);

/* Close and free (NULL is fine). */
void fg_source_close(struct fg_source *src);

/* Fill in the common fields and the range; used by source implementations.
 * Returns FG_OK or FG_EINVAL when offset/length do not fit total_size. */
int fg_source_set_range(struct fg_source *src, uint64_t offset,
			uint64_t length, struct fg_error *err);

#endif
