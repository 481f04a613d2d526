/*
 * deflate.c - chunk compression (see deflate.h): ISA-L igzip or zlib behind
 * one small interface, and the ordered parallel pool.
 *
 * The pool is a ring of nslots chunk slots.  Chunk i lives in slot
 * i % nslots and moves FREE -> (filled by the caller) QUEUED -> WORKING (a
 * worker compresses it) -> DONE -> (emitted by the caller) FREE.  Three
 * counters under one mutex say where things are:
 *
 *     next_emit <= next_work <= next_get,   next_get - next_emit <= nslots
 *
 * chunks [next_emit, next_get) are in flight, [next_work, next_get) wait
 * for a worker.  Workers take chunks in order but finish in any order;
 * only the caller emits, in order, so the consumer of the chunks (libewf)
 * is used by one thread only.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include <forage/deflate.h>

#include "base/base_int.h"

/* ---- One compressor ------------------------------------------------------ */

struct fg_deflate {
	enum fg_zmode mode;
	z_stream zs;
	int zs_ready;
#ifdef HAVE_ISAL
	int use_isal;
#endif
};

const char *fg_deflate_backend(void)
{
#ifdef HAVE_ISAL
	return "ISA-L igzip level 0";
#else
	return "zlib level 1";
#endif
}

size_t fg_deflate_bound(size_t len)
{
	/* zlib's bound covers ISA-L's stored-block worst case too; the
	 * margin is for the zlib header and trailer. */
	return (size_t)compressBound((uLong)len) + 64;
}

uint32_t fg_adler32(const void *buf, size_t len)
{
#ifdef HAVE_ISAL
	return isal_adler32(1, buf, len);
#else
	uLong a = adler32(0L, Z_NULL, 0);
	const unsigned char *p = buf;

	while (len > 0) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
		a = adler32(a, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)a;
#endif
}

int fg_deflate_new(struct fg_deflate **out, enum fg_zmode mode,
		   struct fg_error *err)
{
	struct fg_deflate *d;
	int level;

	*out = NULL;
	if (mode != FG_Z_FAST && mode != FG_Z_BEST && mode != FG_Z_EMPTY_BLOCK)
		return fg_error_set(err, FG_EINVAL, 0,
				    "deflate: no compressor for mode %d", mode);
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	d->mode = mode;
#ifdef HAVE_ISAL
	if (mode != FG_Z_BEST) {
		d->use_isal = 1;
		*out = d;
		return FG_OK;
	}
#endif
	level = mode == FG_Z_BEST ? Z_BEST_COMPRESSION : Z_BEST_SPEED;
	if (deflateInit(&d->zs, level) != Z_OK) {
		free(d);
		return fg_error_set(err, FG_ENOMEM, ENOMEM,
				    "deflate: zlib cannot start a stream");
	}
	d->zs_ready = 1;
	*out = d;
	return FG_OK;
}

void fg_deflate_free(struct fg_deflate *d)
{
	if (d == NULL)
		return;
	if (d->zs_ready)
		deflateEnd(&d->zs);
	free(d);
}

#ifdef HAVE_ISAL
static ssize_t isal_zlib(const void *src, size_t len, void *dst, size_t cap)
{
	struct isal_zstream zs;
	int rc;

	if (len > UINT32_MAX || cap > UINT32_MAX)
		return -1;
	/* Level 0, igzip's fastest (it needs no level buffer): against
	 * level 1, about 10% less CPU and output that inflates about a third
	 * faster (E01 acquire -4%, verify -6% in bench/run.sh), for files 12%
	 * larger (785 MB against 698 MB of /usr/lib; zlib level 1: 690). */
	isal_deflate_stateless_init(&zs);
	zs.level = 0;
	zs.gzip_flag = IGZIP_ZLIB;
	zs.end_of_stream = 1;
	zs.flush = NO_FLUSH;
	zs.next_in = (uint8_t *)src;
	zs.avail_in = (uint32_t)len;
	zs.next_out = dst;
	zs.avail_out = (uint32_t)cap;
	rc = isal_deflate_stateless(&zs);
	if (rc == STATELESS_OVERFLOW)
		return 0;
	if (rc != COMP_OK || zs.avail_in != 0)
		return -1;
	return (ssize_t)zs.total_out;
}
#endif

ssize_t fg_deflate_zlib(struct fg_deflate *d, const void *src, size_t len,
			void *dst, size_t cap)
{
	int rc;

	if (cap == 0)
		return 0;
#ifdef HAVE_ISAL
	if (d->use_isal)
		return isal_zlib(src, len, dst, cap);
#endif
	if (len > UINT32_MAX || cap > UINT32_MAX)
		return -1;
	if (deflateReset(&d->zs) != Z_OK)
		return -1;
	d->zs.next_in = (Bytef *)src;
	d->zs.avail_in = (uInt)len;
	d->zs.next_out = dst;
	d->zs.avail_out = (uInt)cap;
	rc = deflate(&d->zs, Z_FINISH);
	if (rc == Z_STREAM_END)
		return (ssize_t)d->zs.total_out;
	if (rc == Z_OK || rc == Z_BUF_ERROR)
		return 0; /* out of room */
	return -1;
}

/* ---- The pool ------------------------------------------------------------ */

enum { SLOT_FREE, SLOT_QUEUED, SLOT_WORKING, SLOT_DONE };

/* The most the pool's slots take, unless four slots of large chunks need
 * more (see fg_zpool_new): 2M chunks (--chunk-size auto past 2 TiB) get
 * four slots and two workers, which write the bench source as fast as six
 * slots (5.3-5.6 s) in 8 MiB less; more workers than MD5 can feed gain
 * nothing (one igzip worker deflates about 470 MB/s). */
#define SLOT_BUDGET ((size_t)16 << 20)

/* From this chunk size on (--chunk-size auto past 1 TiB, where libewf's
 * table already takes 8 MiB or more), a slot has no output buffer of its
 * own: each worker deflates into its own and copies the stream back over
 * the slot's input, which it no longer needs (a stream is kept only when
 * shorter than the chunk).  Four slots of 2M chunks and two workers then
 * take 12 MiB instead of 16; the bench source in 2M chunks is written as
 * fast either way (5.3-5.6 s). */
#define LEAN_CHUNK ((size_t)1 << 20)

struct zslot {
	unsigned char *in;  /* chunk_size + 4 spare bytes for a checksum;
			     * lean: also the stream, when compressed */
	unsigned char *out; /* fg_deflate_bound(chunk_size); lean: NULL */
	size_t len, out_len;
	int compressed, failed, state;
	uint32_t checksum;
	uint64_t index; /* the chunk it holds */
};

struct worker {
	struct fg_zpool *z;
	pthread_t thread;
	struct fg_deflate *d; /* NULL in FG_Z_NONE without always_compress */
	unsigned char *out;   /* lean pools: out_cap bytes, else NULL */
};

struct fg_zpool {
	struct fg_zpool_opts o;
	size_t out_cap;
	size_t in_cap; /* a slot's input buffer */
	int lean;      /* workers own the output buffers (LEAN_CHUNK) */
	struct zslot *slots;
	unsigned nslots;
	struct worker *workers;
	unsigned nworkers, nstarted;
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_done;
	uint64_t next_get, next_work, next_emit;
	int holding;   /* the caller holds slot next_get (got, not put) */
	unsigned idle; /* workers waiting for a chunk */
	int waiting;   /* the caller waits for chunk wake_index */
	uint64_t wake_index;
	int stopping; /* workers leave */
	int failed;   /* err holds why; every call returns it */
	struct fg_error err;
};

static int all_same(const unsigned char *p, size_t len)
{
	return len == 0 || memcmp(p, p + 1, len - 1) == 0;
}

static void compress_slot(struct fg_zpool *z, struct worker *w, struct zslot *s)
{
	int want = z->o.always_compress;
	unsigned char *out = z->lean ? w->out : s->out;
	ssize_t n = 0;

	if (!want) {
		switch (z->o.mode) {
		case FG_Z_NONE: want = 0; break;
		case FG_Z_EMPTY_BLOCK: want = all_same(s->in, s->len); break;
		case FG_Z_FAST:
		case FG_Z_BEST: want = 1; break;
		}
	}
	s->failed = 0;
	s->compressed = 0;
	if (want) {
		/* Stored compressed only when shorter, except where the
		 * format wants every chunk compressed. */
		size_t cap = z->o.always_compress ? z->out_cap : s->len - 1;
		n = fg_deflate_zlib(w->d, s->in, s->len, out, cap);
		if (n < 0 || (n == 0 && z->o.always_compress)) {
			s->failed = 1;
			return;
		}
	}
	if (n > 0) {
		s->compressed = 1;
		s->out_len = (size_t)n;
		memcpy(&s->checksum, out + n - 4, 4);
		if (z->lean)
			memcpy(s->in, out, (size_t)n);
	} else {
		s->checksum = fg_adler32(s->in, s->len);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct fg_zpool *z = w->z;

	fg_thread_give_way();
	pthread_mutex_lock(&z->mu);
	for (;;) {
		struct zslot *s;

		while (!z->stopping && z->next_work == z->next_get) {
			z->idle++;
			pthread_cond_wait(&z->cv_work, &z->mu);
			z->idle--;
		}
		if (z->stopping)
			break;
		s = &z->slots[z->next_work % z->nslots];
		s->index = z->next_work;
		z->next_work++;
		s->state = SLOT_WORKING;
		pthread_mutex_unlock(&z->mu);
		compress_slot(z, w, s);
		pthread_mutex_lock(&z->mu);
		s->state = SLOT_DONE;
		/* Wake the caller only for the chunk it waits for: one
		 * wake-up a batch, not one a chunk. */
		if (z->waiting && s->index == z->wake_index)
			pthread_cond_signal(&z->cv_done);
	}
	pthread_mutex_unlock(&z->mu);
	return NULL;
}

static void stop_workers(struct fg_zpool *z)
{
	unsigned i;

	pthread_mutex_lock(&z->mu);
	z->stopping = 1;
	pthread_cond_broadcast(&z->cv_work);
	pthread_mutex_unlock(&z->mu);
	for (i = 0; i < z->nstarted; i++)
		pthread_join(z->workers[i].thread, NULL);
	z->nstarted = 0;
}

void fg_zpool_free(struct fg_zpool *z)
{
	unsigned i;

	if (z == NULL)
		return;
	stop_workers(z);
	for (i = 0; z->workers != NULL && i < z->nworkers; i++) {
		fg_deflate_free(z->workers[i].d);
		free(z->workers[i].out);
	}
	free(z->workers);
	for (i = 0; z->slots != NULL && i < z->nslots; i++) {
		free(z->slots[i].in);
		free(z->slots[i].out);
	}
	free(z->slots);
	pthread_mutex_destroy(&z->mu);
	pthread_cond_destroy(&z->cv_work);
	pthread_cond_destroy(&z->cv_done);
	free(z);
}

int fg_zpool_new(struct fg_zpool **out, const struct fg_zpool_opts *o,
		 struct fg_error *err)
{
	struct fg_zpool *z;
	unsigned i, n = o->threads;
	size_t budget;
	int rc, need_deflate;

	*out = NULL;
	if (o->chunk_size == 0 || o->chunk_size > (64u << 20) ||
	    o->emit == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "deflate pool: bad chunk size or no "
				    "emit function");
	if (n == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		n = c > 0 ? (unsigned)c : 1;
	}
	if (n > 256)
		n = 256;
	z = calloc(1, sizeof(*z));
	if (z == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	z->o = *o;
	z->out_cap = fg_deflate_bound(o->chunk_size);
	z->lean = o->chunk_size >= LEAN_CHUNK;
	/* A lean slot holds the stream too: with always_compress it may be
	 * longer than the chunk. */
	z->in_cap =
	    z->lean && o->always_compress ? z->out_cap : o->chunk_size + 4;
	pthread_mutex_init(&z->mu, NULL);
	pthread_cond_init(&z->cv_work, NULL);
	pthread_cond_init(&z->cv_done, NULL);
	/* About 4 MiB of chunks in flight, at most 32 a worker and at least
	 * two a worker and two more: enough that workers stay busy while the
	 * caller waits for its input or emits a batch; the ring bounds
	 * memory.  Each slot costs about twice a chunk (in and out; lean
	 * pools: once, and each worker once), and the slots are counted at
	 * most SLOT_BUDGET unless 4 slots need more: large chunks
	 * (--chunk-size up to 16M) get fewer slots, and as many workers as
	 * leave two slots free, whatever the number of cores. */
	z->nslots = (unsigned)((4u << 20) / o->chunk_size);
	if (z->nslots > 32 * n)
		z->nslots = 32 * n;
	if (z->nslots < 2 * n + 2)
		z->nslots = 2 * n + 2;
	budget = SLOT_BUDGET / (2 * o->chunk_size);
	if (z->nslots > budget)
		z->nslots = budget > 4 ? (unsigned)budget : 4;
	if (n > z->nslots - 2)
		n = z->nslots - 2;
	z->slots = calloc(z->nslots, sizeof(*z->slots));
	z->workers = calloc(n, sizeof(*z->workers));
	if (z->slots == NULL || z->workers == NULL)
		goto nomem;
	z->nworkers = n;
	for (i = 0; i < z->nslots; i++) {
		z->slots[i].in = malloc(z->in_cap);
		z->slots[i].out = z->lean ? NULL : malloc(z->out_cap);
		if (z->slots[i].in == NULL ||
		    (!z->lean && z->slots[i].out == NULL))
			goto nomem;
	}
	for (i = 0; z->lean && i < n; i++)
		if ((z->workers[i].out = malloc(z->out_cap)) == NULL)
			goto nomem;
	need_deflate = o->mode != FG_Z_NONE || o->always_compress;
	for (i = 0; i < n; i++) {
		z->workers[i].z = z;
		if (need_deflate &&
		    (rc = fg_deflate_new(
			 &z->workers[i].d,
			 o->mode == FG_Z_NONE ? FG_Z_FAST : o->mode, err)) !=
			FG_OK) {
			fg_zpool_free(z);
			return rc;
		}
	}
	for (i = 0; i < n; i++) {
		int e = pthread_create(&z->workers[i].thread, NULL, worker_main,
				       &z->workers[i]);
		if (e != 0) {
			fg_zpool_free(z);
			return fg_error_set(err, FG_ENOMEM, e,
					    "deflate pool: cannot start a "
					    "thread: %s",
					    strerror(e));
		}
		z->nstarted++;
	}
	*out = z;
	return FG_OK;
nomem:
	fg_zpool_free(z);
	return fg_error_set(err, FG_ENOMEM, ENOMEM,
			    "deflate pool: out of memory");
}

unsigned fg_zpool_threads(const struct fg_zpool *z)
{
	return z->nworkers;
}

static int fail(struct fg_zpool *z, struct fg_error *err)
{
	return fg_error_copy(err, &z->err);
}

/* Emit finished chunks in order; with wait, until `until` is reached.
 * Called and returns with z->mu held. */
static void emit_ready(struct fg_zpool *z, uint64_t until, int wait)
{
	while (!z->failed && z->next_emit < until) {
		struct zslot *s = &z->slots[z->next_emit % z->nslots];
		struct fg_zchunk c;
		int rc;

		if (s->state != SLOT_DONE) {
			const struct zslot *last;
			if (!wait)
				return;
			/* Sleep until the batch's last chunk is done (those
			 * before it, taken earlier, mostly are by then); if
			 * it is done already, until this one is. */
			last = &z->slots[(until - 1) % z->nslots];
			z->wake_index =
			    last->state != SLOT_DONE ? until - 1 : z->next_emit;
			z->waiting = 1;
			pthread_cond_wait(&z->cv_done, &z->mu);
			z->waiting = 0;
			continue;
		}
		if (s->failed) {
			fg_error_set(&z->err, FG_EIO, 0,
				     "compression of chunk %llu (%zu bytes) "
				     "failed in %s",
				     (unsigned long long)z->next_emit, s->len,
				     z->o.mode == FG_Z_BEST
					 ? "zlib level 9"
					 : fg_deflate_backend());
			z->failed = 1;
			return;
		}
		memset(&c, 0, sizeof(c));
		c.index = z->next_emit;
		c.raw_len = s->len;
		c.compressed = s->compressed;
		c.data = s->compressed && !z->lean ? s->out : s->in;
		c.len = s->compressed ? s->out_len : s->len;
		c.checksum = s->checksum;
		c.checksum_buf = s->compressed ? NULL : s->in + s->len;
		pthread_mutex_unlock(&z->mu);
		fg_error_clear(&z->err);
		rc = z->o.emit(z->o.ctx, &c, &z->err);
		pthread_mutex_lock(&z->mu);
		if (rc != FG_OK) {
			if (z->err.code == FG_OK)
				fg_error_set(
				    &z->err, rc, 0,
				    "chunk %llu could not be stored: %s",
				    (unsigned long long)c.index,
				    fg_status_name(rc));
			z->failed = 1;
			return;
		}
		s->state = SLOT_FREE;
		z->next_emit++;
	}
}

int fg_zpool_get(struct fg_zpool *z, unsigned char **buf, struct fg_error *err)
{
	struct zslot *s;

	*buf = NULL;
	pthread_mutex_lock(&z->mu);
	if (!z->failed && z->next_get - z->next_emit == z->nslots)
		emit_ready(z, z->next_emit + z->nslots / 2, 1);
	if (z->failed) {
		pthread_mutex_unlock(&z->mu);
		return fail(z, err);
	}
	s = &z->slots[z->next_get % z->nslots];
	z->holding = 1;
	pthread_mutex_unlock(&z->mu);
	*buf = s->in;
	return FG_OK;
}

int fg_zpool_put(struct fg_zpool *z, size_t len, struct fg_error *err)
{
	struct zslot *s;

	pthread_mutex_lock(&z->mu);
	if (z->failed) {
		pthread_mutex_unlock(&z->mu);
		return fail(z, err);
	}
	if (!z->holding || len == 0 || len > z->o.chunk_size) {
		pthread_mutex_unlock(&z->mu);
		return fg_error_set(err, FG_ESTATE, 0,
				    "deflate pool: put of %zu bytes without "
				    "a buffer or out of range",
				    len);
	}
	s = &z->slots[z->next_get % z->nslots];
	s->len = len;
	s->state = SLOT_QUEUED;
	z->holding = 0;
	z->next_get++;
	if (z->idle > 0)
		pthread_cond_signal(&z->cv_work);
	emit_ready(z, z->next_get, 0);
	pthread_mutex_unlock(&z->mu);
	return z->failed ? fail(z, err) : FG_OK;
}

int fg_zpool_flush(struct fg_zpool *z, struct fg_error *err)
{
	pthread_mutex_lock(&z->mu);
	emit_ready(z, z->next_get, 1);
	pthread_mutex_unlock(&z->mu);
	return z->failed ? fail(z, err) : FG_OK;
}
