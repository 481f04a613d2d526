/*
 * reader.h - reads the source into the pipeline, surviving bad sectors
 * (design.md, "Reading, bad sectors and retries").
 *
 * Promise: every byte of the acquired range is handed to the pipeline
 * exactly once, in order.  A block that fails is split into logical
 * sectors; each failing sector is retried (direct I/O) up to `retries`
 * times and then filled with fill_byte and reported through on_bad().  A
 * readable sector is never filled.
 */
#ifndef FORAGE_READER_H
#define FORAGE_READER_H

#include <signal.h>
#include <forage/forage.h>

struct fg_source;
struct fg_pipe;

struct fg_progress {
	uint64_t done;          /* bytes handed on */
	uint64_t total;         /* bytes to acquire */
	uint64_t bad_sectors;   /* filled so far */
	double elapsed;         /* seconds since start */
	int finished;           /* last call */
};

struct fg_reader_opts {
	unsigned retries;            /* per failing sector after the first */
	int fill_byte;               /* 0..255 */
	volatile sig_atomic_t *stop; /* set by a signal handler: stop soon */
	/* A bad range (already filled), in logical sectors. */
	void (*on_bad)(void *ctx, uint64_t lba, uint64_t count);
	/* Progress, at most a few times a second and once at the end. */
	void (*on_progress)(void *ctx, const struct fg_progress *p);
	void *ctx;
};

struct fg_reader_stats {
	uint64_t bytes;           /* bytes handed on (fill included) */
	uint64_t sectors_read;    /* sectors read from the source */
	uint64_t sectors_filled;  /* sectors filled */
	uint64_t retries;         /* extra reads spent on failing sectors */
	uint64_t bad_ranges;      /* ranges reported */
};

/* Read the whole range.  Returns FG_OK (even with filled sectors: see
 * stats), FG_EINTR when *stop was set, or the pipeline's failure. */
int fg_reader_run(struct fg_source *src, struct fg_pipe *pipe,
		  const struct fg_reader_opts *o, struct fg_reader_stats *st,
		  struct fg_error *err);

#endif
