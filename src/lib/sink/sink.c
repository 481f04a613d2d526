/*
 * sink.c - calls through the sink table, with the life cycle of sink.h
 * enforced here once for every format.
 *
 *   NEW --open|reopen--> OPEN --write|mark_bad|read|sync*--> OPEN
 *                          OPEN --finish--> DONE
 *                          OPEN --abort--> ABORTED
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <forage/sink.h>

#include "base/base_int.h"
#include "sink/sink_int.h"

enum { SINK_NEW, SINK_OPEN, SINK_DONE, SINK_ABORTED };

/* The life-cycle state sits beside the public struct: every sink is
 * allocated by fg_sink_alloc. */
struct sink_box {
	struct fg_sink s;
	int state;
};

static struct sink_box *box(struct fg_sink *s)
{
	return (struct sink_box *)s;
}

struct fg_sink *fg_sink_alloc(const struct fg_sink_ops *ops)
{
	struct sink_box *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->s.ops = ops;
	b->state = SINK_NEW;
	return &b->s;
}

/* Every format there is a sink for: a new format is one more table. */
static const struct fg_sink_ops *const formats[] = {
    &fg_sink_raw_ops,
    &fg_sink_ewf_ops,
};

const struct fg_sink_ops *fg_sink_format(const char *format)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(format, formats[i]->format) == 0)
			return formats[i];
	return NULL;
}

unsigned fg_sink_format_flags(const char *format)
{
	const struct fg_sink_ops *ops = fg_sink_format(format);

	return ops != NULL ? ops->flags : 0;
}

int fg_sink_new(struct fg_sink **out, const char *format,
		struct fg_error *err)
{
	const struct fg_sink_ops *ops = fg_sink_format(format);

	*out = NULL;
	if (ops == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "unknown format '%s' (known: e01, raw)",
				    format);
	*out = fg_sink_alloc(ops);
	if (*out == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	return FG_OK;
}

static int wrong_state(struct fg_sink *s, const char *what)
{
	return fg_error_set(&s->err, FG_ESTATE, 0,
			    "%s sink: %s called in the wrong state",
			    s->ops->format, what);
}

int fg_sink_open(struct fg_sink *s, const struct fg_sink_params *p)
{
	int rc;

	if (box(s)->state != SINK_NEW)
		return wrong_state(s, "open");
	rc = s->ops->open(s, p);
	if (rc == FG_OK)
		box(s)->state = SINK_OPEN;
	return rc;
}

int fg_sink_write(struct fg_sink *s, const void *buf, size_t len,
		  uint64_t off)
{
	if (box(s)->state != SINK_OPEN)
		return wrong_state(s, "write");
	return s->ops->write(s, buf, len, off);
}

int fg_sink_mark_bad(struct fg_sink *s, uint64_t lba, uint64_t count)
{
	if (box(s)->state != SINK_OPEN)
		return wrong_state(s, "mark_bad");
	if (s->ops->mark_bad == NULL)
		return FG_OK;
	return s->ops->mark_bad(s, lba, count);
}

int fg_sink_finish(struct fg_sink *s, const struct fg_media_hashes *h)
{
	int rc;

	if (box(s)->state != SINK_OPEN)
		return wrong_state(s, "finish");
	rc = s->ops->finish(s, h);
	box(s)->state = rc == FG_OK ? SINK_DONE : SINK_ABORTED;
	return rc;
}

int fg_sink_reopen(struct fg_sink *s, const struct fg_sink_params *p)
{
	int rc;

	if (box(s)->state != SINK_NEW)
		return wrong_state(s, "reopen");
	if (s->ops->reopen == NULL)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "%s output cannot be resumed; start a "
				    "new acquisition",
				    s->ops->format);
	rc = s->ops->reopen(s, p);
	if (rc == FG_OK)
		box(s)->state = SINK_OPEN;
	return rc;
}

int fg_sink_read(struct fg_sink *s, void *buf, size_t len, uint64_t off)
{
	if (box(s)->state != SINK_OPEN)
		return wrong_state(s, "read");
	if (s->ops->read == NULL)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "%s output cannot be read back",
				    s->ops->format);
	return s->ops->read(s, buf, len, off);
}

size_t fg_sink_digest_consumers(struct fg_sink *s, struct fg_consumer *c,
				size_t max, struct fg_hash *media_md5,
				int *took)
{
	*took = 0;
	if (box(s)->state != SINK_OPEN || s->ops->digest_consumers == NULL)
		return 0;
	return s->ops->digest_consumers(s, c, max, media_md5, took);
}

int fg_sink_share_digests(struct fg_sink *s, const struct fg_sink *from)
{
	if (box(s)->state != SINK_OPEN || s->ops->share_digests == NULL ||
	    box((struct fg_sink *)from)->state != SINK_OPEN)
		return FG_EINVAL;
	return s->ops->share_digests(s, from);
}

int fg_sink_sync(struct fg_sink *s)
{
	if (box(s)->state != SINK_OPEN)
		return wrong_state(s, "sync");
	if (s->ops->sync == NULL)
		return FG_OK;
	return s->ops->sync(s);
}

void fg_sink_abort(struct fg_sink *s)
{
	if (s == NULL || box(s)->state != SINK_OPEN)
		return;
	s->ops->abort(s);
	box(s)->state = SINK_ABORTED;
}

void fg_sink_free(struct fg_sink *s)
{
	size_t i;

	if (s == NULL)
		return;
	fg_sink_abort(s);
	if (s->ops->free_priv != NULL)
		s->ops->free_priv(s);
	for (i = 0; i < s->nfiles; i++)
		free(s->files[i].path);
	free(s->files);
	free(box(s));
}

int fg_sink_describe(struct fg_sink *s, struct fg_record *rec,
		     const char *key)
{
	if (box(s)->state != SINK_DONE)
		return wrong_state(s, "describe");
	if (s->ops->describe == NULL)
		return FG_OK;
	return s->ops->describe(s, rec, key);
}

int fg_sink_add_file(struct fg_sink *s, const char *path)
{
	struct fg_outfile *nf;

	nf = fg_grow(s->files, s->nfiles, sizeof(*nf));
	if (nf == NULL)
		return FG_ENOMEM;
	s->files = nf;
	memset(&nf[s->nfiles], 0, sizeof(*nf));
	nf[s->nfiles].path = strdup(path);
	if (nf[s->nfiles].path == NULL)
		return FG_ENOMEM;
	s->nfiles++;
	return FG_OK;
}
