/*
 * pipeline.c - a bounded ring of aligned buffers, one producer, up to 16
 * consumer threads (see pipeline.h).
 *
 * Life cycle: NEW --add_consumer*--> --start--> RUNNING --finish|cancel-->
 * JOINED --free.  Slot k of the ring holds block number n when
 * n % depth == k; it is free again when all consumers have passed it
 * (pending == 0).  One mutex guards the counters; blocks are 1 MiB, so the
 * lock is taken a few thousand times a second at most.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <forage/pipeline.h>

#include "base/base_int.h"

#define FG_PIPE_MAX_CONSUMERS 16

enum pipe_state { PIPE_NEW, PIPE_RUNNING, PIPE_JOINED };

struct slot {
	struct fg_block block;
	unsigned pending;
};

struct consumer {
	struct fg_consumer c;
	struct fg_pipe *pipe;
	pthread_t thread;
	uint64_t seen; /* blocks this consumer has finished */
	struct fg_error err;
};

struct fg_pipe {
	enum pipe_state state;
	size_t block_size;
	unsigned depth;
	struct slot *slots;
	struct consumer cons[FG_PIPE_MAX_CONSUMERS];
	unsigned ncons, nstarted;
	pthread_mutex_t mu;
	pthread_cond_t cv_data, cv_free;
	uint64_t produced;
	int eof, failed;
	struct fg_error err; /* the first consumer failure */
};

unsigned fg_pipe_depth_for(size_t block_size)
{
	size_t d = block_size > 0 ? ((size_t)32 << 20) / block_size : 8;

	return d > 8 ? 8 : d < 3 ? 3 : (unsigned)d;
}

int fg_pipe_new(struct fg_pipe **out, size_t block_size, unsigned depth,
		struct fg_error *err)
{
	struct fg_pipe *p;
	unsigned i;

	*out = NULL;
	if (block_size == 0 || depth < 2)
		return fg_error_set(err, FG_EINVAL, 0,
				    "pipeline: bad block size or depth");
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		goto nomem;
	p->block_size = block_size;
	p->depth = depth;
	p->slots = calloc(depth, sizeof(*p->slots));
	if (p->slots == NULL)
		goto nomem;
	for (i = 0; i < depth; i++) {
		void *mem = NULL;
		if (posix_memalign(&mem, 4096, block_size) != 0)
			goto nomem;
		p->slots[i].block.data = mem;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv_data, NULL);
	pthread_cond_init(&p->cv_free, NULL);
	*out = p;
	return FG_OK;
nomem:
	if (p != NULL && p->slots != NULL) {
		for (i = 0; i < depth; i++)
			free(p->slots[i].block.data);
		free(p->slots);
	}
	free(p);
	return fg_error_set(err, FG_ENOMEM, ENOMEM,
			    "pipeline: cannot allocate %u x %zu bytes", depth,
			    block_size);
}

int fg_pipe_add_consumer(struct fg_pipe *p, const struct fg_consumer *c)
{
	if (p->state != PIPE_NEW || p->ncons == FG_PIPE_MAX_CONSUMERS)
		return FG_ESTATE;
	p->cons[p->ncons].c = *c;
	p->cons[p->ncons].pipe = p;
	p->ncons++;
	return FG_OK;
}

static void *consumer_main(void *arg)
{
	struct consumer *me = arg;
	struct fg_pipe *p = me->pipe;
	unsigned i;

	for (i = 0; i < p->ncons && !me->c.critical; i++)
		if (p->cons[i].c.critical) {
			fg_thread_give_way();
			break;
		}
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct slot *s;
		int rc;

		while (me->seen == p->produced && !p->eof && !p->failed)
			pthread_cond_wait(&p->cv_data, &p->mu);
		if (p->failed || me->seen == p->produced)
			break;
		s = &p->slots[me->seen % p->depth];
		pthread_mutex_unlock(&p->mu);
		rc = FG_OK;
		if (!(me->c.in_order_only && s->block.out_of_order))
			rc = me->c.consume(me->c.ctx, &s->block, &me->err);
		pthread_mutex_lock(&p->mu);
		if (rc != FG_OK) {
			if (!p->failed) {
				if (me->err.code == FG_OK)
					fg_error_set(&me->err, rc, 0,
						     "%s failed: %s",
						     me->c.name,
						     fg_status_name(rc));
				fg_error_copy(&p->err, &me->err);
				p->failed = 1;
			}
			pthread_cond_broadcast(&p->cv_data);
			pthread_cond_broadcast(&p->cv_free);
			break;
		}
		me->seen++;
		if (--s->pending == 0)
			pthread_cond_broadcast(&p->cv_free);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int fg_pipe_start(struct fg_pipe *p, struct fg_error *err)
{
	unsigned i;
	int e;

	if (p->state != PIPE_NEW)
		return fg_error_set(err, FG_ESTATE, 0, "pipeline started twice");
	p->state = PIPE_RUNNING;
	for (i = 0; i < p->ncons; i++) {
		e = pthread_create(&p->cons[i].thread, NULL, consumer_main,
				   &p->cons[i]);
		if (e != 0) {
			fg_pipe_cancel(p);
			return fg_error_set(err, FG_ENOMEM, e,
					    "pipeline: cannot start thread: %s",
					    strerror(e));
		}
		p->nstarted++;
	}
	return FG_OK;
}

struct fg_block *fg_pipe_get(struct fg_pipe *p)
{
	struct slot *s;
	int failed;

	if (p->state != PIPE_RUNNING)
		return NULL;
	pthread_mutex_lock(&p->mu);
	s = &p->slots[p->produced % p->depth];
	while (s->pending > 0 && !p->failed)
		pthread_cond_wait(&p->cv_free, &p->mu);
	failed = p->failed;
	pthread_mutex_unlock(&p->mu);
	if (failed)
		return NULL;
	s->block.len = 0;
	s->block.out_of_order = 0;
	return &s->block;
}

void fg_pipe_put(struct fg_pipe *p, struct fg_block *b)
{
	struct slot *s = &p->slots[p->produced % p->depth];

	(void)b;
	pthread_mutex_lock(&p->mu);
	s->pending = p->ncons;
	p->produced++;
	pthread_cond_broadcast(&p->cv_data);
	pthread_mutex_unlock(&p->mu);
}

int fg_pipe_drain(struct fg_pipe *p, struct fg_error *err)
{
	unsigned i;
	int failed;

	if (p->state != PIPE_RUNNING)
		return fg_error_set(err, FG_ESTATE, 0,
				    "pipeline drained while not running");
	pthread_mutex_lock(&p->mu);
	for (i = 0; i < p->depth && !p->failed; i++)
		while (p->slots[i].pending > 0 && !p->failed)
			pthread_cond_wait(&p->cv_free, &p->mu);
	failed = p->failed;
	pthread_mutex_unlock(&p->mu);
	if (failed)
		return fg_error_copy(err, &p->err);
	return FG_OK;
}

static void join_all(struct fg_pipe *p)
{
	unsigned i;

	for (i = 0; i < p->nstarted; i++)
		pthread_join(p->cons[i].thread, NULL);
	p->nstarted = 0;
	p->state = PIPE_JOINED;
}

int fg_pipe_finish(struct fg_pipe *p, struct fg_error *err)
{
	if (p->state != PIPE_RUNNING)
		return fg_error_set(err, FG_ESTATE, 0,
				    "pipeline finished while not running");
	pthread_mutex_lock(&p->mu);
	p->eof = 1;
	pthread_cond_broadcast(&p->cv_data);
	pthread_mutex_unlock(&p->mu);
	join_all(p);
	if (p->failed)
		return fg_error_copy(err, &p->err);
	return FG_OK;
}

void fg_pipe_cancel(struct fg_pipe *p)
{
	if (p->state != PIPE_RUNNING)
		return;
	pthread_mutex_lock(&p->mu);
	if (!p->failed) {
		p->failed = 1;
		fg_error_set(&p->err, FG_EINTR, 0, "pipeline cancelled");
	}
	pthread_cond_broadcast(&p->cv_data);
	pthread_cond_broadcast(&p->cv_free);
	pthread_mutex_unlock(&p->mu);
	join_all(p);
}

void fg_pipe_free(struct fg_pipe *p)
{
	unsigned i;

	if (p == NULL)
		return;
	fg_pipe_cancel(p);
	for (i = 0; i < p->depth; i++)
		free(p->slots[i].block.data);
	free(p->slots);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv_data);
	pthread_cond_destroy(&p->cv_free);
	free(p);
}

size_t fg_pipe_block_size(const struct fg_pipe *p)
{
	return p->block_size;
}
