/*
 * deflate.h - chunk compression for EWF containers: each chunk on its own
 * into a zlib stream (RFC 1950: two header bytes, deflate data, Adler-32
 * of the input, big-endian), which is what an E01 stores for a compressed
 * chunk.  ISA-L's igzip (its level 0) does the fast level when forage is
 * built with it (HAVE_ISAL), zlib everything else.
 *
 * Two layers:
 *  - struct fg_deflate: one compressor, used by one thread at a time;
 *  - struct fg_zpool: an ordered parallel compressor.  The caller fills
 *    chunk buffers in order, worker threads compress them, and finished
 *    chunks come back through the caller's emit callback, on the caller's
 *    thread, strictly in the order they were submitted.  Memory is fixed at
 *    creation (a ring of a few chunks per thread), whatever the media size.
 *
 * Promise: a chunk is stored compressed only when its stream is shorter
 * than the chunk (unless the pool is told to always compress, as the
 * EWF-S01 family requires); a chunk stored as is carries the Adler-32 of
 * its bytes.  Either way inflating or reading it back gives exactly the
 * bytes submitted.
 */
#ifndef FORAGE_DEFLATE_H
#define FORAGE_DEFLATE_H

#include <sys/types.h>
#include <forage/forage.h>

/* What is compressed. */
enum fg_zmode {
	FG_Z_NONE,	  /* nothing: every chunk stored as is */
	FG_Z_EMPTY_BLOCK, /* only chunks whose bytes are all the same */
	FG_Z_FAST,	  /* every chunk, fastest level */
	FG_Z_BEST	  /* every chunk, smallest output (zlib level 9) */
};

/* ---- One compressor ------------------------------------------------------ */

struct fg_deflate;

/* A compressor for mode (FG_Z_FAST or FG_Z_BEST; FG_Z_EMPTY_BLOCK uses the
 * fast level).  Returns FG_OK, FG_EINVAL, FG_ENOMEM. */
int fg_deflate_new(struct fg_deflate **out, enum fg_zmode mode,
		   struct fg_error *err);

/* Compress len bytes of src into a zlib stream in dst (cap bytes).
 * Returns the stream's length, 0 when it does not fit in cap (then the
 * chunk is better stored as is), or -1 on an internal failure. */
ssize_t fg_deflate_zlib(struct fg_deflate *d, const void *src, size_t len,
			void *dst, size_t cap);

/* Room that always holds the stream of len bytes. */
size_t fg_deflate_bound(size_t len);

void fg_deflate_free(struct fg_deflate *d);

/* Adler-32 of buf (initial value 1), as zlib and EWF compute it. */
uint32_t fg_adler32(const void *buf, size_t len);

/* "ISA-L igzip level 0" or "zlib level 1": what does the fast level in
 * this build. */
const char *fg_deflate_backend(void);

/* ---- Ordered parallel compression ------------------------------------- */

/* A finished chunk, valid during the emit call. */
struct fg_zchunk {
	uint64_t index;	     /* 0, 1, 2 ... in submission order */
	size_t raw_len;	     /* bytes submitted */
	int compressed;	     /* data is a zlib stream */
	unsigned char *data; /* the stream, or the raw bytes */
	size_t len;	     /* bytes of data */
	/* Raw chunks: Adler-32 of the bytes, and 4 writable spare bytes
	 * right after them (data + len) where it may be stored.  Compressed
	 * chunks: the stream's last four bytes (its own Adler-32), NULL. */
	uint32_t checksum;
	unsigned char *checksum_buf;
};

/* Called on the submitting thread, in order; a non-FG_OK return (with err
 * saying why) stops the pool, and every later call returns it. */
typedef int (*fg_zemit_fn)(void *ctx, const struct fg_zchunk *c,
			   struct fg_error *err);

struct fg_zpool_opts {
	enum fg_zmode mode;
	int always_compress; /* store every chunk compressed (EWF-S01) */
	size_t chunk_size;   /* largest chunk submitted */
	unsigned threads;    /* workers; 0: one per online CPU */
	fg_zemit_fn emit;
	void *ctx;
};

struct fg_zpool;

/* Start the workers.  Returns FG_OK, FG_EINVAL, FG_ENOMEM. */
int fg_zpool_new(struct fg_zpool **out, const struct fg_zpool_opts *o,
		 struct fg_error *err);

/* The buffer (chunk_size bytes) for the next chunk.  When every buffer is
 * in flight this waits for the oldest and emits it.  Returns FG_OK or the
 * error that stopped the pool (err says why). */
int fg_zpool_get(struct fg_zpool *z, unsigned char **buf, struct fg_error *err);

/* Submit the buffer from the last fg_zpool_get holding len bytes (1 ..
 * chunk_size), then emit whatever is finished in order.  Returns FG_OK or
 * the error that stopped the pool. */
int fg_zpool_put(struct fg_zpool *z, size_t len, struct fg_error *err);

/* Wait for every submitted chunk and emit it.  Returns FG_OK or the error
 * that stopped the pool. */
int fg_zpool_flush(struct fg_zpool *z, struct fg_error *err);

/* Stop the workers and free (NULL is fine); unemitted chunks are
 * dropped. */
void fg_zpool_free(struct fg_zpool *z);

/* Number of worker threads running. */
unsigned fg_zpool_threads(const struct fg_zpool *z);

#endif
