/*
 * fuzz_image_ewf.c - forage's EWF image reader (image/ewf_read.c through
 * fg_image_open and fg_image_stream): opens the set, then streams every
 * chunk of the media into a small pipeline, as verify does (the consumer
 * touches each block's ends instead of hashing it: hashing under the
 * sanitizers would take most of the time).
 * The input: one flags byte (bit 0: read every chunk through libewf
 * instead of straight from the files; bit 1: reopen the set every chunk),
 * then the segment files X.E01, X.E02 ... cut by fz_split.
 *
 * Work is bounded by what the files can hold (issue 19, 2): deflate
 * packs at most 1032 bytes into one, so streaming more than 1100 times the
 * input (at least FZ_MEDIA_FLOOR) means media the set cannot hold, such as
 * zeros for chunks no table lists: a finding (abort).  FG_FUZZ_LENIENT in
 * the environment stops such a stream quietly instead.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/container.h>
#include <forage/pipeline.h>

#include "fuzz.h"

#define FZ_SEGS_MAX 4
#define FZ_MEDIA_FLOOR (64ull << 20)

struct fz_sink {
	uint64_t bytes, cap;
	unsigned sum;
	volatile sig_atomic_t *stop;
};

static volatile sig_atomic_t fz_stop;

static int fz_consume(void *ctx, const struct fg_block *b,
		      struct fg_error *err)
{
	struct fz_sink *s = ctx;

	(void)err;
	s->bytes += b->len;
	if (s->bytes > s->cap) {
		if (getenv("FG_FUZZ_LENIENT") == NULL) {
			fprintf(stderr, "fuzz_image_ewf: more than %llu media "
				"bytes streamed: more than the set's files "
				"can hold\n", (unsigned long long)s->cap);
			abort();
		}
		*s->stop = 1;
	}
	if (b->len > 0)
		s->sum += b->data[0] + b->data[b->len - 1];
	return FG_OK;
}

static void fz_on_damage(void *ctx, const struct fg_damage *d)
{
	size_t *n = ctx;

	*n += (d->detail != NULL ? strlen(d->detail) : 0) +
	      (d->file != NULL ? strlen(d->file) : 0);
}

/* Every byte stored past the media's end is read, and the cause when a
 * chunk of their own fails, so that the sanitizers see a read outside the
 * buffer that holds them. */
static void fz_on_past_end(void *ctx, const struct fg_past_end *x)
{
	size_t *n = ctx, i;

	for (i = 0; i < x->length; i++)
		*n += x->data[i];
	*n += x->file != NULL ? strlen(x->file) : 0;
	*n += x->damaged != NULL ? strlen(x->damaged) : 0;
}

static void fz_stream(struct fg_image *img, unsigned flags, size_t size)
{
	struct fg_pipe *pipe = NULL;
	struct fz_sink s;
	struct fg_consumer c;
	struct fg_image_read_opts o;
	struct fg_image_read_stats st;
	struct fg_error err;
	size_t damage = 0;
	int rc;

	memset(&s, 0, sizeof(s));
	fg_error_clear(&err);
	fz_stop = 0;
	s.stop = &fz_stop;
	s.cap = (uint64_t)size * 1100;
	if (s.cap < FZ_MEDIA_FLOOR)
		s.cap = FZ_MEDIA_FLOOR;
	if (fg_pipe_new(&pipe, fg_image_block_size(img), 3, &err) != FG_OK)
		goto out;
	memset(&c, 0, sizeof(c));
	c.name = "ends";
	c.consume = fz_consume;
	c.ctx = &s;
	c.critical = 1;
	if (fg_pipe_add_consumer(pipe, &c) != FG_OK ||
	    fg_pipe_start(pipe, &err) != FG_OK)
		goto out;
	memset(&o, 0, sizeof(o));
	memset(&st, 0, sizeof(st));
	o.threads = 1;
	o.via_libewf = (flags & 1) != 0;
	o.reopen_chunks = (flags & 2) != 0 ? 1 : 0;
	o.stop = &fz_stop;
	o.on_damage = fz_on_damage;
	o.on_past_end = fz_on_past_end;
	o.ctx = &damage;
	rc = fg_image_stream(img, pipe, &o, &st, &err);
	if (rc == FG_OK)
		rc = fg_pipe_finish(pipe, &err);
	else
		fg_pipe_cancel(pipe);
out:
	fg_pipe_free(pipe);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[FZ_SEGS_MAX][1024];
	const uint8_t *part[FZ_SEGS_MAX];
	size_t plen[FZ_SEGS_MAX], n, i;
	struct fg_image *img = NULL;
	struct fg_error err;
	unsigned flags;

	if (size < 1)
		return 0;
	flags = data[0];
	n = fz_split(data + 1, size - 1, part, plen, FZ_SEGS_MAX);
	for (i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "X.E%02zu", i + 1);
		fz_write(name, part[i], plen[i], path[i], sizeof(path[i]));
	}
	fg_error_clear(&err);
	if (fg_image_open(&img, path[0], FG_CONTAINER_EWF, 0, &err) == FG_OK) {
		for (i = 0; i < img->nproblems; i++)
			(void)strlen(img->problems[i].text);
		for (i = 0; i < img->nmeta; i++)
			(void)strlen(img->meta[i].value);
		fz_stream(img, flags, size);
		fg_image_close(img);
	}
	fz_clean();
	return 0;
}
