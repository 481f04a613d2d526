/*
 * reader.c - the source into the pipeline, in order, surviving bad sectors.
 *
 * A block is read with one large read.  When that fails (or comes back
 * short), the rest of the block is read sector by sector through the
 * source's direct path (no page cache, no read-ahead: one bad sector stays
 * one bad sector), each failing sector retried `retries` times and then
 * filled and reported.  Neighbouring filled sectors are reported as one
 * range.  A readable sector is never filled.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <forage/pipeline.h>
#include <forage/reader.h>
#include <forage/source.h>

struct bad_run {
	uint64_t lba, count; /* count 0: none open */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void flush_bad(const struct fg_reader_opts *o, struct bad_run *run,
		      struct fg_reader_stats *st)
{
	if (run->count == 0)
		return;
	if (o->on_bad != NULL)
		o->on_bad(o->ctx, run->lba, run->count);
	st->bad_ranges++;
	run->count = 0;
}

static void note_bad(const struct fg_reader_opts *o, struct bad_run *run,
		     struct fg_reader_stats *st, uint64_t lba)
{
	if (run->count > 0 && run->lba + run->count == lba) {
		run->count++;
		return;
	}
	flush_bad(o, run, st);
	run->lba = lba;
	run->count = 1;
}

/* Read [from, to) of the block sector by sector into dst. */
static void read_sectors(struct fg_source *src, const struct fg_reader_opts *o,
			 unsigned char *dst, uint64_t from, uint64_t to,
			 unsigned char *bounce, struct bad_run *run,
			 struct fg_reader_stats *st)
{
	const uint32_t ss = src->sector_size;
	uint64_t pos = from;

	while (pos < to) {
		size_t n = (size_t)(to - pos < ss ? to - pos : ss);
		unsigned attempt;
		int ok = 0;

		for (attempt = 0; attempt <= o->retries; attempt++) {
			ssize_t got;

			if (attempt > 0)
				st->retries++;
			got = fg_source_pread_direct(src, bounce, n, pos);
			if (got == (ssize_t)n) {
				ok = 1;
				break;
			}
			if (o->stop != NULL && *o->stop)
				break;
		}
		if (ok) {
			memcpy(dst + (pos - from), bounce, n);
			st->sectors_read++;
		} else {
			memset(dst + (pos - from), o->fill_byte, n);
			st->sectors_filled++;
			note_bad(o, run, st, pos / ss);
		}
		pos += n;
	}
}

int fg_reader_run(struct fg_source *src, struct fg_pipe *pipe,
		  const struct fg_reader_opts *o, struct fg_reader_stats *st,
		  struct fg_error *err)
{
	const size_t bs = fg_pipe_block_size(pipe);
	const uint32_t ss = src->sector_size;
	struct bad_run run = {0, 0};
	unsigned char *bounce = NULL;
	uint64_t off = 0;
	double t0 = now_s(), last = 0;
	struct fg_progress pr;
	int rc = FG_OK;

	memset(st, 0, sizeof(*st));
	if (bs % ss != 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "block size %zu is not a multiple of the "
				    "sector size %u",
				    bs, ss);
	if (posix_memalign((void **)&bounce, 4096, ss < 4096 ? 4096 : ss) != 0)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	memset(&pr, 0, sizeof(pr));
	pr.total = src->size;
	while (off < src->size) {
		struct fg_block *b;
		size_t want = (size_t)(src->size - off < bs ? src->size - off
							    : bs);
		ssize_t got;

		if (o->stop != NULL && *o->stop) {
			rc = fg_error_set(err, FG_EINTR, EINTR,
					  "interrupted at offset %llu",
					  (unsigned long long)off);
			break;
		}
		b = fg_pipe_get(pipe);
		if (b == NULL) {
			rc = fg_error_set(err, FG_EIO, 0,
					  "a writer or digest failed");
			break;
		}
		got = fg_source_pread(src, b->data, want, off);
		if (got == (ssize_t)want) {
			st->sectors_read += (want + ss - 1) / ss;
		} else {
			/* Keep the whole sectors that did arrive. */
			uint64_t good = got > 0 ? (uint64_t)got / ss * ss : 0;
			st->sectors_read += good / ss;
			read_sectors(src, o, b->data + good, off + good,
				     off + want, bounce, &run, st);
		}
		b->offset = off;
		b->len = want;
		fg_pipe_put(pipe, b);
		off += want;
		st->bytes = off;
		if (o->on_progress != NULL) {
			double t = now_s();
			if (t - last >= 0.5) {
				last = t;
				pr.done = off;
				pr.bad_sectors = st->sectors_filled;
				pr.elapsed = t - t0;
				o->on_progress(o->ctx, &pr);
			}
		}
	}
	flush_bad(o, &run, st);
	if (o->on_progress != NULL) {
		pr.done = off;
		pr.bad_sectors = st->sectors_filled;
		pr.elapsed = now_s() - t0;
		pr.finished = 1;
		o->on_progress(o->ctx, &pr);
	}
	free(bounce);
	return rc;
}
