/*
 * image_int.h - what the image part's files share: an image kind's table,
 * the helpers that fill an image, the kinds' openers, and the pool that
 * makes EWF chunks media again.
 */
#ifndef FORAGE_IMAGE_INT_H
#define FORAGE_IMAGE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <forage/forage.h>

#include "ewf/ewf_int.h"

struct fg_image;
struct fg_pipe;
struct fg_image_read_opts;
struct fg_image_read_stats;

/* An image kind's table (container.h). */
struct fg_image_ops {
	const char *kind;
	size_t (*block_size)(const struct fg_image *img);
	int (*stream)(struct fg_image *img, struct fg_pipe *pipe,
		      const struct fg_image_read_opts *o,
		      struct fg_image_read_stats *st, struct fg_error *err);
	void (*close)(struct fg_image *img); /* frees priv only */
};

/* A new empty image of ops (container.c); NULL when out of memory. */
struct fg_image *fg_image_alloc(const struct fg_image_ops *ops, int kind);
/* Add a segment / a problem / a metadata value to an image: FG_OK or
 * FG_ENOMEM. */
int fg_image_add_segment(struct fg_image *img, const char *path,
			 uint64_t size);
int fg_image_add_problem(struct fg_image *img, const char *file,
			 uint64_t offset, const char *text);
int fg_image_add_meta(struct fg_image *img, const char *key,
		      const char *value);

/* The kinds' openers. */
int fg_image_open_ewf(struct fg_image **out, const char *path,
		      unsigned flags, struct fg_error *err);
int fg_image_open_rawset(struct fg_image **out, const char *const *paths,
			 size_t n, int kind, unsigned flags,
			 struct fg_error *err);

/* ---- EWF chunks (ewf_chunk.c) --------------------------------------------
 * The EWF reader (ewf_stream.c) reads a batch of packed chunks into jobs; a
 * pool of threads makes each media again (inflate, or the Adler-32 of an
 * uncompressed chunk) straight into the pipeline block. */
#define FG_EWF_MAX_WORKERS 64

struct fg_ewf_job {
	uint64_t chunk;
	unsigned char *raw;   /* packed chunk as stored (read directly, or
			       * as libewf returned it) */
	size_t rawlen;
	int compressed;
	uint32_t checksum;    /* uncompressed: the stored Adler-32 */
	unsigned char *out;   /* in the pipeline block */
	size_t outlen;        /* media bytes of the chunk */
	size_t room;          /* the media's last chunk, ending inside
			       * it: bytes it may hold past the media's
			       * end (else 0) */
	unsigned char *past;  /* where those go (room bytes) */
	size_t npast;         /* bytes it holds past the media's end,
			       * its checks holding over all */
	int beyond;           /* a chunk the tables list past the media's
			       * last chunk: no media (outlen 0), all it
			       * holds past the end; read from its file,
			       * never through libewf (which reads only
			       * the media) */
	int status;           /* 0, FG_DAMAGE_CHECKSUM, FG_DAMAGE_UNREADABLE */
	int kept;             /* damaged, but the stored data was handed on */
	char detail[512];
	struct fg_ewf_loc loc;
	int loc_ok;
	int counted;          /* libewf, counting chunks, finds it in place */
	int direct;           /* read straight from the file, not by libewf */
};

struct fg_ewf_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_done;
	pthread_t th[FG_EWF_MAX_WORKERS];
	unsigned nth;
	struct fg_ewf_job *jobs;
	size_t njobs, next, done;
	int quit;
};

/* Inflate or check one chunk into j->out (zeros when nothing usable is
 * stored), setting j->status, j->kept and j->detail; bytes the media's
 * last chunk holds past the media's end go to j->past (j->npast). */
void fg_ewf_inflate_job(struct fg_ewf_job *j);
/* A worker thread of the pool (arg: the pool). */
void *fg_ewf_pool_worker(void *arg);
/* Hand the workers a batch of n jobs. */
void fg_ewf_pool_start_batch(struct fg_ewf_pool *pl, struct fg_ewf_job *jobs,
			     size_t n);
/* The caller helps with the batch, then waits for the rest of it. */
void fg_ewf_pool_finish_batch(struct fg_ewf_pool *pl);
/* Stop the workers and join them. */
void fg_ewf_pool_stop(struct fg_ewf_pool *pl);

#endif
