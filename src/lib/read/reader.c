/*
 * reader.c - the source into the pipeline, surviving bad sectors (see
 * reader.h for the two ways and the promise).
 *
 * Passes (random-access sinks), after GNU ddrescue:
 *
 *   copying   pass 1  large blocks forwards over non-tried ('?') areas; a
 *                     failed block becomes non-trimmed ('*') and the next
 *                     read skips ahead (block size, doubling while errors
 *                     continue, at most 1% of the media or 1 GiB), leaving
 *                     the skipped area non-tried;
 *             pass 2  large blocks over what is still non-tried, no skips;
 *   splitting         every sector of the non-trimmed areas read alone:
 *                     finished ('+') or bad ('-');
 *   retrying  1..N    every bad sector read alone again, once a pass;
 *   filling           every bad sector filled and reported, in LBA order.
 *
 * The map's status line holds the next position to try with the phase and
 * pass, so a resumed run continues exactly where this one stopped: each
 * sector gets the same reads as in an uninterrupted run.  Good sectors met
 * while splitting or retrying are gathered in one pipeline slot (`cur`)
 * and handed on when the run of good sectors ends; the map calls bytes
 * finished only once they are handed on.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <forage/mapfile.h>
#include <forage/pipeline.h>
#include <forage/reader.h>
#include <forage/source.h>

#define PROGRESS_S 0.5
#define MAX_SKIP   (1ull << 30)

struct rd {
	struct fg_source *src;
	struct fg_pipe *pipe;
	const struct fg_reader_opts *o;
	struct fg_reader_stats *st;
	struct fg_error *err;
	struct fg_map *map;
	uint32_t ss;
	size_t bs;
	uint64_t size;
	unsigned char *bounce; /* one sector, aligned for O_DIRECT */
	struct fg_block *cur;  /* good sectors being gathered, or NULL */
	double t0, last_progress, last_checkpoint;
	const char *phase;
	unsigned pass, passes;
	uint64_t run_lba, run_count; /* in order: the bad run being built */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t sectors(const struct rd *r, uint64_t bytes)
{
	return (bytes + r->ss - 1) / r->ss;
}

/* The bytes from s to the next sector boundary or end, whichever first. */
static size_t piece(const struct rd *r, uint64_t s, uint64_t end)
{
	return (size_t)(min64((s / r->ss + 1) * r->ss, end) - s);
}

/* Errors that say the source itself is gone or unusable, not that a
 * sector is unreadable: stop instead of filling the rest of the drive. */
static int source_gone(int e)
{
	switch (e) {
	case ENODEV:
	case ENXIO:
	case ENOMEDIUM:
	case EBADF:
	case EINVAL:
	case EFAULT:
	case ENOMEM:
	case EACCES:
	case EPERM:
	case EISDIR: return 1;
	}
	return 0;
}

/* Where the unacquired bytes that run up to off begin: the end of the
 * last finished extent before off, or 0.  Once the source is gone, the
 * reads that failed just before (an unplugged drive's last reads fail
 * with EIO before it is gone) and what pass 1 skipped after them are
 * not acquired either, and the message must not imply they were. */
static uint64_t unacquired_from(const struct rd *r, uint64_t off)
{
	size_t i, n = fg_map_count(r->map);
	uint64_t from = 0;

	for (i = 0; i < n; i++) {
		const struct fg_map_extent *x = fg_map_extent(r->map, i);

		if (x->pos >= off)
			break;
		if (x->status == FG_MAP_FINISHED)
			from = min64(x->pos + x->size, off);
	}
	return from;
}

/* The source is gone (why, at off): the error, and where the bytes not
 * acquired begin when that is before off. */
static int source_stopped(struct rd *r, uint64_t off, int e, const char *why)
{
	uint64_t from = unacquired_from(r, off);

	if (from < off)
		return fg_error_set(r->err, FG_ESOURCE, e,
				    "%s; nothing from offset %llu up to there "
				    "was acquired",
				    why, (unsigned long long)from);
	return fg_error_set(r->err, FG_ESOURCE, e, "%s", why);
}

static int fatal_read(struct rd *r, uint64_t off, int e)
{
	char why[FG_ERRMSG_MAX];

	snprintf(why, sizeof(why),
		 "read error at LBA %llu (%s): %s; stopping: the source %s",
		 (unsigned long long)(off / r->ss), r->src->path, strerror(e),
		 e == ENODEV || e == ENXIO || e == ENOMEDIUM
			 ? "was removed or went offline"
			 : "cannot be read any more");
	return source_stopped(r, off, e, why);
}

/* The source gave no bytes at off, inside the size it had when opened:
 * it shrank or went away (a drive pulled, a namespace deleted). */
static int source_ended(struct rd *r, uint64_t off)
{
	char why[FG_ERRMSG_MAX];

	snprintf(why, sizeof(why),
		 "%s: the source ended at offset %llu, before its size of "
		 "%llu bytes: was it removed, or did the device change?",
		 r->src->path, (unsigned long long)off,
		 (unsigned long long)r->size);
	return source_stopped(r, off, 0, why);
}

static int map_failed(struct rd *r)
{
	return fg_error_set(r->err, FG_ENOMEM, ENOMEM,
			    "out of memory for the map of the source");
}

/* ---- Progress and checkpoints ------------------------------------------ */

/* Progress at most every PROGRESS_S, and always when forced (a new phase,
 * the end). */
static void progress(struct rd *r, int force, int finished)
{
	const struct fg_reader_opts *o = r->o;
	struct fg_progress pr;
	double t = now_s();

	if (o->on_progress == NULL ||
	    (!force && t - r->last_progress < PROGRESS_S))
		return;
	r->last_progress = t;
	memset(&pr, 0, sizeof(pr));
	pr.total = r->size;
	pr.done = r->size - fg_map_bytes(r->map, FG_MAP_NONTRIED) -
		  fg_map_bytes(r->map, FG_MAP_NONTRIMMED) -
		  fg_map_bytes(r->map, FG_MAP_NONSCRAPED);
	pr.bad_sectors = sectors(r, fg_map_bytes(r->map, FG_MAP_BAD));
	pr.elapsed = t - r->t0;
	pr.finished = finished;
	pr.phase = r->phase;
	pr.pass = r->pass;
	pr.passes = r->passes;
	o->on_progress(o->ctx, &pr);
}

static void set_phase(struct rd *r, const char *phase, unsigned pass,
		      unsigned passes)
{
	r->phase = phase;
	r->pass = pass;
	r->passes = passes;
	progress(r, 1, 0);
}

/* A block continues the in-order stream exactly when it starts where the
 * stream ends. */
static void hand_on(struct rd *r, struct fg_block *b, uint64_t off, size_t len)
{
	b->offset = off;
	b->len = len;
	b->out_of_order = off != r->st->in_order;
	if (!b->out_of_order)
		r->st->in_order += len;
	fg_pipe_put(r->pipe, b);
	r->st->bytes += len;
}

/* The pipeline lends the producer one slot at a time (the next one in the
 * ring), so no slot may be asked for while `cur` holds one. */
static struct fg_block *get_slot(struct rd *r)
{
	struct fg_block *b;

	if (r->cur != NULL) {
		fg_error_set(r->err, FG_ESTATE, 0,
			     "reader: a slot asked for while one is held");
		return NULL;
	}
	b = fg_pipe_get(r->pipe);
	if (b == NULL)
		fg_error_set(r->err, FG_EIO, 0, "a writer or digest failed");
	return b;
}

/* Hand on the gathered good sectors and call them finished. */
static int flush_cur(struct rd *r)
{
	struct fg_block *b = r->cur;
	uint64_t off;
	size_t len;

	r->cur = NULL;
	if (b == NULL || b->len == 0)
		return FG_OK; /* an unused slot: the next get returns it */
	off = b->offset;
	len = b->len;
	hand_on(r, b, off, len);
	if (fg_map_set(r->map, off, len, FG_MAP_FINISHED) != FG_OK)
		return map_failed(r);
	return FG_OK;
}

/* Gather n good bytes read at off. */
static int cur_append(struct rd *r, uint64_t off, const void *data, size_t n)
{
	int rc;

	if (r->cur != NULL &&
	    (r->cur->offset + r->cur->len != off || r->cur->len + n > r->bs)) {
		rc = flush_cur(r);
		if (rc != FG_OK)
			return rc;
	}
	if (r->cur == NULL) {
		r->cur = get_slot(r);
		if (r->cur == NULL)
			return r->err->code;
		r->cur->offset = off;
		r->cur->len = 0;
	}
	memcpy(r->cur->data + r->cur->len, data, n);
	r->cur->len += n;
	return FG_OK;
}

static int checkpoint(struct rd *r)
{
	const struct fg_reader_opts *o = r->o;
	double t = now_s();
	int rc;

	if (o->on_checkpoint == NULL)
		return FG_OK;
	if (o->checkpoint_s <= 0 || t - r->last_checkpoint < o->checkpoint_s)
		return FG_OK;
	rc = flush_cur(r);
	if (rc == FG_OK)
		rc = fg_pipe_drain(r->pipe, r->err);
	if (rc == FG_OK)
		rc = o->on_checkpoint(o->ctx, r->map, r->err);
	r->last_checkpoint = now_s();
	return rc;
}

/* Between two reads: progress, a checkpoint when due, the stop flag. */
static int tick(struct rd *r, uint64_t off)
{
	int rc;

	progress(r, 0, 0);
	rc = checkpoint(r);
	if (rc != FG_OK)
		return rc;
	if (r->o->stop != NULL && *r->o->stop) {
		rc = flush_cur(r);
		if (rc != FG_OK)
			return rc;
		return fg_error_set(r->err, FG_EINTR, EINTR,
				    "interrupted at offset %llu",
				    (unsigned long long)off);
	}
	return FG_OK;
}

/* ---- Reads -------------------------------------------------------------- */

/* Read the sector piece [off, off + n) alone into the bounce buffer:
 * *ok is 1 when it came whole.  Fails only when the source is gone. */
static int read_sector(struct rd *r, uint64_t off, size_t n, int *ok)
{
	ssize_t got;
	int e;

	errno = 0;
	got = fg_source_pread_direct(r->src, r->bounce, n, off);
	e = errno;
	*ok = got == (ssize_t)n;
	if (*ok) {
		r->st->sectors_read++;
		return FG_OK;
	}
	r->st->read_errors++;
	if (got >= 0)
		return source_ended(r, off + (uint64_t)got);
	if (source_gone(e))
		return fatal_read(r, off, e);
	return FG_OK;
}

/* One large read of [off, off + len) into b.  Returns the bytes of whole
 * sectors that came (len when all did) or -1 (err set) when the source
 * is gone. */
static int64_t read_block(struct rd *r, struct fg_block *b, uint64_t off,
			  size_t len)
{
	ssize_t got;
	int e;

	errno = 0;
	got = fg_source_pread_direct(r->src, b->data, len, off);
	e = errno;
	if (got == (ssize_t)len) {
		r->st->sectors_read += sectors(r, len);
		return (int64_t)len;
	}
	r->st->read_errors++;
	if (got < 0 && source_gone(e)) {
		fatal_read(r, off, e);
		return -1;
	}
	if (got == 0) {
		/* Not a bad sector: nothing at all where the source had
		 * bytes.  Walking on would mark the rest of the drive. */
		source_ended(r, off);
		return -1;
	}
	if (got < 0)
		return 0;
	r->st->sectors_read += (uint64_t)got / r->ss;
	return (int64_t)((uint64_t)got / r->ss * r->ss);
}

/* ---- Passes ------------------------------------------------------------- */

static int copy_pass(struct rd *r, unsigned pass, uint64_t from, int skipping,
		     int *did)
{
	uint64_t pos = from, skip = 0, a, end, max_skip;
	int wrapped = skipping || from == 0;

	if (fg_map_bytes(r->map, FG_MAP_NONTRIED) == 0)
		return FG_OK;
	max_skip = min64(r->size / 100 / r->bs * r->bs, MAX_SKIP);
	if (max_skip < r->bs)
		max_skip = r->bs;
	set_phase(r, "copying", pass, 2);
	for (;;) {
		struct fg_block *b;
		uint64_t grid_end;
		size_t len;
		int64_t good;
		int rc;

		if (!fg_map_next(r->map, pos, "?", &a, &end)) {
			if (wrapped)
				break;
			wrapped = 1;
			pos = 0;
			continue;
		}
		rc = tick(r, a);
		if (rc != FG_OK)
			return rc;
		*did = 1;
		grid_end = (a / r->bs + 1) * r->bs;
		len = (size_t)(min64(end, grid_end) - a);
		b = get_slot(r);
		if (b == NULL)
			return r->err->code;
		good = read_block(r, b, a, len);
		if (good < 0)
			return r->err->code;
		if (good > 0) {
			hand_on(r, b, a, (size_t)good);
			if (fg_map_set(r->map, a, (uint64_t)good,
				       FG_MAP_FINISHED) != FG_OK)
				return map_failed(r);
		}
		pos = a + len;
		if ((uint64_t)good == len) {
			skip = 0;
		} else {
			if (fg_map_set(r->map, a + (uint64_t)good,
				       len - (uint64_t)good,
				       FG_MAP_NONTRIMMED) != FG_OK)
				return map_failed(r);
			if (skipping) {
				skip = skip == 0 ? r->bs
						 : min64(skip * 2, max_skip);
				pos = min64(pos + skip, r->size);
			}
		}
		fg_map_set_current(r->map, pos, FG_MAP_NONTRIED, pass);
	}
	return FG_OK;
}

/* Read every sector of [a, end) alone: good ones are gathered and handed
 * on; when splitting, a failing one becomes bad ('-'); when retrying, it
 * stays bad and the read counts as a retry.  The status line follows. */
static int read_alone(struct rd *r, uint64_t a, uint64_t end, char phase,
		      unsigned pass)
{
	uint64_t s;
	int rc;

	for (s = a; s < end;) {
		size_t n = piece(r, s, end);
		int ok;

		rc = tick(r, s);
		if (rc != FG_OK)
			return rc;
		if (phase == FG_MAP_BAD)
			r->st->retries++;
		rc = read_sector(r, s, n, &ok);
		if (rc != FG_OK)
			return rc;
		if (ok)
			rc = cur_append(r, s, r->bounce, n);
		else if (phase != FG_MAP_BAD &&
			 fg_map_set(r->map, s, n, FG_MAP_BAD) != FG_OK)
			rc = map_failed(r);
		if (rc != FG_OK)
			return rc;
		s += n;
		fg_map_set_current(r->map, s, phase, pass);
	}
	return flush_cur(r);
}

/* Every sector of the failed blocks, read alone. */
static int split_phase(struct rd *r, uint64_t from, int *did)
{
	uint64_t pos = from, a, end;
	int wrapped = from == 0, rc;

	if (fg_map_bytes(r->map, FG_MAP_NONTRIMMED) == 0 &&
	    fg_map_bytes(r->map, FG_MAP_NONSCRAPED) == 0)
		return FG_OK;
	set_phase(r, "splitting", 1, 1);
	fg_map_set_current(r->map, from, FG_MAP_NONSCRAPED, 1);
	for (;;) {
		if (!fg_map_next(r->map, pos, "*/", &a, &end)) {
			if (wrapped)
				break;
			wrapped = 1;
			pos = 0;
			continue;
		}
		*did = 1;
		rc = read_alone(r, a, end, FG_MAP_NONSCRAPED, 1);
		if (rc != FG_OK)
			return rc;
		pos = end;
	}
	return FG_OK;
}

/* Retry passes first..retries; the first one starts at from. */
static int retry_passes(struct rd *r, unsigned first, uint64_t from)
{
	unsigned p;
	int rc;

	for (p = first; p <= r->o->retries; p++) {
		uint64_t pos = p == first ? from : 0, a, end;

		if (fg_map_bytes(r->map, FG_MAP_BAD) == 0)
			break;
		set_phase(r, "retrying", p, r->o->retries);
		fg_map_set_current(r->map, pos, FG_MAP_BAD, p);
		while (fg_map_next(r->map, pos, "-", &a, &end)) {
			rc = read_alone(r, a, end, FG_MAP_BAD, p);
			if (rc != FG_OK)
				return rc;
			pos = end;
		}
	}
	return FG_OK;
}

/* What is still bad is filled and reported, in LBA order. */
static int fill_phase(struct rd *r)
{
	const struct fg_reader_opts *o = r->o;
	uint64_t pos = 0, a, end;

	if (fg_map_bytes(r->map, FG_MAP_BAD) == 0)
		return FG_OK;
	set_phase(r, "filling", 1, 1);
	fg_map_set_current(r->map, 0, FG_MAP_PHASE_FILL, 1);
	while (fg_map_next(r->map, pos, "-", &a, &end)) {
		uint64_t off;
		int rc = tick(r, a);

		if (rc != FG_OK)
			return rc;
		for (off = a; off < end;) {
			size_t n = (size_t)min64(r->bs, end - off);
			struct fg_block *b;

			if (off > a && (rc = tick(r, off)) != FG_OK)
				return rc;
			b = get_slot(r);
			if (b == NULL)
				return r->err->code;
			memset(b->data, o->fill_byte, n);
			hand_on(r, b, off, n);
			off += n;
		}
		r->st->sectors_filled += sectors(r, end - a);
		r->st->bad_ranges++;
		if (o->on_bad != NULL)
			o->on_bad(o->ctx, a / r->ss, sectors(r, end - a));
		pos = end;
		fg_map_set_current(r->map, pos, FG_MAP_PHASE_FILL, 1);
	}
	return FG_OK;
}

static int run_passes(struct rd *r)
{
	uint64_t cpos, split_from;
	char cphase;
	unsigned cpass, first = 1;
	int did = 0, rc;

	fg_map_current(r->map, &cpos, &cphase, &cpass);
	if (cpos > r->size)
		cpos = r->size;
	if (fg_map_bytes(r->map, FG_MAP_NONTRIED) > 0) {
		if (cphase == FG_MAP_NONTRIED && cpass <= 1) {
			rc = copy_pass(r, 1, cpos, 1, &did);
			if (rc == FG_OK)
				rc = copy_pass(r, 2, 0, 0, &did);
		} else {
			rc = copy_pass(r, 2,
				       cphase == FG_MAP_NONTRIED ? cpos : 0, 0,
				       &did);
		}
		if (rc != FG_OK)
			return rc;
	}
	split_from = 0;
	if (cphase == FG_MAP_NONTRIMMED || cphase == FG_MAP_NONSCRAPED)
		split_from = cpos;
	rc = split_phase(r, split_from, &did);
	if (rc != FG_OK)
		return rc;
	/* Where an interrupted run was retrying, continue its pass; if this
	 * run found new bad sectors, they get every pass. */
	if (!did && cphase == FG_MAP_BAD)
		first = cpass;
	else if (!did &&
		 (cphase == FG_MAP_PHASE_FILL || cphase == FG_MAP_FINISHED))
		first = r->o->retries + 1;
	rc = retry_passes(r, first, !did && cphase == FG_MAP_BAD ? cpos : 0);
	if (rc != FG_OK)
		return rc;
	rc = fill_phase(r);
	if (rc != FG_OK)
		return rc;
	fg_map_set_current(r->map, r->size, FG_MAP_FINISHED, 1);
	return FG_OK;
}

/* ---- In order (E01) ---------------------------------------------------- */

static void report_run(struct rd *r)
{
	if (r->run_count == 0)
		return;
	if (r->o->on_bad != NULL)
		r->o->on_bad(r->o->ctx, r->run_lba, r->run_count);
	r->st->bad_ranges++;
	r->run_count = 0;
}

static void note_bad(struct rd *r, uint64_t lba)
{
	if (r->run_count > 0 && r->run_lba + r->run_count == lba) {
		r->run_count++;
		return;
	}
	report_run(r);
	r->run_lba = lba;
	r->run_count = 1;
}

static int run_in_order(struct rd *r)
{
	const struct fg_reader_opts *o = r->o;
	uint64_t off = 0, *bad = NULL;
	int rc = FG_OK;

	/* The bad sectors of the current block, reported once it is handed
	 * on (an interrupted block is never handed on nor reported). */
	bad = malloc((r->bs / r->ss + 1) * sizeof(*bad));
	if (bad == NULL)
		return fg_error_set(r->err, FG_ENOMEM, ENOMEM, "out of memory");
	while (off < r->size) {
		size_t want = (size_t)min64(r->bs, r->size - off), nbad = 0, i;
		struct fg_block *b;
		int64_t good;
		uint64_t s;

		rc = tick(r, off);
		if (rc != FG_OK)
			break;
		b = get_slot(r);
		if (b == NULL) {
			rc = r->err->code;
			break;
		}
		good = read_block(r, b, off, want);
		if (good < 0) {
			rc = r->err->code;
			break;
		}
		for (s = off + (uint64_t)good; s < off + want;) {
			size_t n = (size_t)min64(r->ss, off + want - s);
			unsigned attempt;
			int ok = 0;

			for (attempt = 0; attempt <= o->retries && !ok;
			     attempt++) {
				if (attempt > 0) {
					rc = tick(r, s);
					if (rc != FG_OK)
						goto out;
					r->st->retries++;
				}
				rc = read_sector(r, s, n, &ok);
				if (rc != FG_OK)
					goto out;
			}
			if (ok) {
				memcpy(b->data + (s - off), r->bounce, n);
			} else {
				memset(b->data + (s - off), o->fill_byte, n);
				bad[nbad++] = s;
			}
			s += n;
			if (s < off + want && (rc = tick(r, s)) != FG_OK)
				goto out;
		}
		hand_on(r, b, off, want);
		if (fg_map_set(r->map, off, want, FG_MAP_FINISHED) != FG_OK) {
			rc = map_failed(r);
			break;
		}
		for (i = 0; i < nbad; i++) {
			uint64_t n = min64(r->ss, r->size - bad[i]);
			if (fg_map_set(r->map, bad[i], n, FG_MAP_BAD) !=
			    FG_OK) {
				rc = map_failed(r);
				goto out;
			}
			note_bad(r, bad[i] / r->ss);
			r->st->sectors_filled++;
		}
		off += want;
		fg_map_set_current(r->map, off, FG_MAP_NONTRIED, 1);
	}
	if (rc == FG_OK)
		fg_map_set_current(r->map, r->size, FG_MAP_FINISHED, 1);
out:
	report_run(r);
	free(bad);
	return rc;
}

int fg_reader_run(struct fg_source *src, struct fg_pipe *pipe,
		  const struct fg_reader_opts *o, struct fg_reader_stats *st,
		  struct fg_error *err)
{
	struct fg_map *own = NULL;
	struct rd r;
	int rc, rc2;

	memset(st, 0, sizeof(*st));
	memset(&r, 0, sizeof(r));
	r.src = src;
	r.pipe = pipe;
	r.o = o;
	r.st = st;
	r.err = err;
	r.ss = src->sector_size;
	r.bs = fg_pipe_block_size(pipe);
	r.size = src->size;
	r.map = o->map;
	if (r.ss == 0 || r.bs % r.ss != 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "block size %zu is not a multiple of the "
				    "sector size %u",
				    r.bs, r.ss);
	if (r.map == NULL) {
		rc = fg_map_new(&own, src->offset, src->size, err);
		if (rc != FG_OK)
			return rc;
		r.map = own;
	}
	if (fg_map_size(r.map) != src->size) {
		fg_map_free(own);
		return fg_error_set(err, FG_EINVAL, 0,
				    "the map covers %llu bytes, the source "
				    "range %llu",
				    (unsigned long long)fg_map_size(r.map),
				    (unsigned long long)src->size);
	}
	if (posix_memalign((void **)&r.bounce, 4096,
			   r.ss < 4096 ? 4096 : r.ss) != 0) {
		fg_map_free(own);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	r.t0 = r.last_checkpoint = now_s();
	r.last_progress = r.t0 - PROGRESS_S;
	rc = o->in_order ? run_in_order(&r) : run_passes(&r);
	/* Whatever was read is handed on, whatever the outcome. */
	rc2 = flush_cur(&r);
	if (rc == FG_OK)
		rc = rc2;
	progress(&r, 1, 1);
	free(r.bounce);
	fg_map_free(own);
	return rc;
}
