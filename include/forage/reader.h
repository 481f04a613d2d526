/*
 * reader.h - reads the source into the pipeline, surviving bad sectors
 * (docs/design.md, "Reading, bad sectors and retries").
 *
 * Two ways, chosen by the caller (the engine, which knows the sinks):
 *
 * in_order (an E01 sink): every block is handed on in order.  A block that
 *   fails is split where it is met into logical sectors; each failing
 *   sector is read again up to `retries` times, then filled with fill_byte
 *   and reported through on_bad().
 *
 * passes (sinks that accept any offset, raw): good data first, as GNU
 *   ddrescue does.  Pass 1 reads large blocks and never stalls: a block
 *   that fails is marked non-trimmed and the reader skips ahead, further
 *   while errors continue; pass 2 reads what was skipped.  Then every
 *   failed block is split into single sectors, each read once; then
 *   `retries` passes read each still failing sector again; then what is
 *   left is filled and reported through on_bad(), in LBA order.
 *
 * Every read goes through the source's direct path (O_DIRECT where it has
 * one): the page cache and read-ahead neither turn one bad sector into
 * eight nor re-read a failing area behind the reader's back, which on a
 * dying drive is where the time goes.
 *
 * Promise: every byte of the acquired range is handed to the pipeline
 * exactly once (fill included), as one of: the source's bytes, read in a
 * successful read; or fill_byte, for a logical sector that failed
 * 1 + retries reads of that sector alone.  A readable sector is never
 * filled.  Blocks that do not continue the media in order are marked
 * out_of_order; stats->in_order says how many bytes at the start of the
 * media went in order, so in-order consumers (digests) saw exactly
 * [0, in_order).  The map says at every moment what was handed on; when
 * on_checkpoint is called, the pipeline is drained, so everything the map
 * calls finished has been consumed.
 */
#ifndef FORAGE_READER_H
#define FORAGE_READER_H

#include <signal.h>
#include <forage/forage.h>

struct fg_source;
struct fg_pipe;
struct fg_map;

struct fg_reader_opts {
	unsigned retries;	     /* per failing sector after the first */
	int fill_byte;		     /* 0..255 */
	int in_order;		     /* see above; 0: passes */
	volatile sig_atomic_t *stop; /* set by a signal handler: stop soon */
	/* The map to keep (and, when resuming, to continue from: its
	 * status line says where).  NULL: the reader keeps its own. */
	struct fg_map *map;
	/* A bad range (already filled), in logical sectors. */
	void (*on_bad)(void *ctx, uint64_t lba, uint64_t count);
	/* Progress, at most a few times a second and once at the end. */
	void (*on_progress)(void *ctx, const struct fg_progress *p);
	/* Called at most every checkpoint_s seconds (0: never) with the
	 * pipeline drained; a failure stops the reader with that status. */
	int (*on_checkpoint)(void *ctx, const struct fg_map *map,
			     struct fg_error *err);
	double checkpoint_s;
	void *ctx;
};

struct fg_reader_stats {
	uint64_t bytes;		 /* bytes handed on (fill included) */
	uint64_t in_order;	 /* bytes at the start handed on in order */
	uint64_t sectors_read;	 /* sectors read from the source */
	uint64_t sectors_filled; /* sectors filled */
	uint64_t retries;	 /* extra reads spent on failing sectors */
	uint64_t bad_ranges;	 /* ranges reported */
	uint64_t read_errors;	 /* reads that failed, any size */
};

/* Read the whole range (or, with a map from an interrupted run, what it
 * says is left).  Returns FG_OK (even with filled sectors: see stats),
 * FG_EINTR when *stop was set, FG_ESOURCE when the source went away (no
 * such device, ...), or the pipeline's or the checkpoint's failure.
 * Counts in st are for this call only. */
int fg_reader_run(struct fg_source *src, struct fg_pipe *pipe,
		  const struct fg_reader_opts *o, struct fg_reader_stats *st,
		  struct fg_error *err);

#endif
