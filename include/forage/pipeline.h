/*
 * pipeline.h - the bounded ring of buffers between one producer (the
 * reader) and several consumers (each digest, each sink), each consumer on
 * its own thread.
 *
 * Promise: every consumer sees every block, in order, exactly once, from
 * the same buffer (no copies).  A slot is reused only when all consumers
 * are done with it, so memory is depth x block_size whatever the media
 * size.  When a consumer fails, the producer's next fg_pipe_get() returns
 * NULL and fg_pipe_finish() returns that consumer's error.
 *
 * Blocks normally continue the media in order.  A producer that fills
 * holes later (the failing-drive passes) marks a block out_of_order; a
 * consumer that needs the media in order (a digest) sets in_order_only and
 * never sees such blocks, so it sees exactly the in-order blocks, in order.
 */
#ifndef FORAGE_PIPELINE_H
#define FORAGE_PIPELINE_H

#include <forage/forage.h>

struct fg_block {
	uint64_t offset;     /* media offset of data[0] */
	size_t len;          /* bytes valid in data */
	unsigned char *data; /* aligned to 4096, capacity block_size */
	int out_of_order;    /* not the next bytes of the media (0 after get) */
};

struct fg_consumer {
	const char *name;
	/* Called on the consumer's thread for each block, in order. */
	int (*consume)(void *ctx, const struct fg_block *b,
		       struct fg_error *err);
	void *ctx;
	int in_order_only;   /* skip blocks marked out_of_order */
	int critical;        /* bounds the pass (the MD5 stream): when one
			      * consumer is, the others give way to it */
};

struct fg_pipe;

/* How many slots a pipeline of blocks of block_size bytes gets: 8, fewer
 * for blocks over 4 MiB so that the ring stays within 32 MiB, and never
 * fewer than 3 (64M blocks: 192 MiB). */
unsigned fg_pipe_depth_for(size_t block_size);

/* depth slots of block_size bytes each.  Returns FG_OK or FG_ENOMEM. */
int fg_pipe_new(struct fg_pipe **out, size_t block_size, unsigned depth,
		struct fg_error *err);

/* Add a consumer before fg_pipe_start.  At most 16. */
int fg_pipe_add_consumer(struct fg_pipe *p, const struct fg_consumer *c);

/* Start the consumer threads. */
int fg_pipe_start(struct fg_pipe *p, struct fg_error *err);

/* Producer: the next free slot (waits), or NULL when a consumer failed. */
struct fg_block *fg_pipe_get(struct fg_pipe *p);

/* Producer: hand the filled slot to all consumers. */
void fg_pipe_put(struct fg_pipe *p, struct fg_block *b);

/* Producer: wait until the consumers have finished every block put so
 * far (a checkpoint: what was handed on is now written).  Returns FG_OK or
 * the first consumer failure (copied to err). */
int fg_pipe_drain(struct fg_pipe *p, struct fg_error *err);

/* Producer: end of stream; wait for the consumers.  Returns FG_OK or the
 * first consumer failure (copied to err). */
int fg_pipe_finish(struct fg_pipe *p, struct fg_error *err);

/* Stop early (producer failed): consumers stop, threads are joined. */
void fg_pipe_cancel(struct fg_pipe *p);

void fg_pipe_free(struct fg_pipe *p);

size_t fg_pipe_block_size(const struct fg_pipe *p);

#endif
