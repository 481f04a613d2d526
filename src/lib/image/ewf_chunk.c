/*
 * ewf_chunk.c - EWF chunks made media again, on a pool of threads: a
 * compressed chunk inflated (ISA-L igzip when built with it, else zlib),
 * an uncompressed one checked against its Adler-32.  A chunk that fails
 * is handed on as stored when all of it is there, else as zeros, with a
 * detail saying why.  The media's last chunk may hold bytes past the
 * media's end, its checks holding over all of them: those are set aside
 * (j->past), not called damage.  ewf_stream.c fills the jobs and hands on
 * the blocks; nothing here includes libewf (see image_int.h).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include <forage/container.h>
#include <forage/deflate.h>

#include "base/base_int.h"
#include "image/image_int.h"

/* The last compressed chunk this thread inflated to all zeros.  A chunk
 * stored as the same bytes, with the same size, is all zeros as well:
 * inflating is deterministic and the earlier inflate checked the Adler-32
 * those bytes carry.  Unused and wiped areas are such chunks (a fifth of
 * the bench image); inflating one takes ISA-L about 33 us, comparing and
 * clearing it well under 1 us. */
#define ZERO_RAW_MAX 256
static __thread struct {
	unsigned char raw[ZERO_RAW_MAX];
	size_t rawlen, outlen;
} zero_chunk;

static int known_zero_chunk(const struct fg_ewf_job *j)
{
	return zero_chunk.rawlen != 0 && j->rawlen == zero_chunk.rawlen &&
	       j->outlen == zero_chunk.outlen &&
	       memcmp(j->raw, zero_chunk.raw, j->rawlen) == 0;
}

static void note_zero_chunk(const struct fg_ewf_job *j)
{
	if (j->rawlen > ZERO_RAW_MAX || j->outlen == 0 || j->out[0] != 0 ||
	    memcmp(j->out, j->out + 1, j->outlen - 1) != 0)
		return;
	memcpy(zero_chunk.raw, j->raw, j->rawlen);
	zero_chunk.rawlen = j->rawlen;
	zero_chunk.outlen = j->outlen;
}

void fg_ewf_inflate_job(struct fg_ewf_job *j)
{
	/* The bytes the chunk may make (the media's last chunk may hold
	 * more than the media, up to j->room past its end), and made. */
	size_t cap = j->outlen, done;

	if (j->status != 0)
		goto zero;
	if (j->compressed && known_zero_chunk(j))
		goto zero;
	if (j->compressed) {
#ifdef HAVE_ISAL
		struct inflate_state s;
		int r;

		isal_inflate_init(&s);
		s.next_in = j->raw;
		s.avail_in = (uint32_t)j->rawlen;
		s.next_out = j->out;
		s.avail_out = (uint32_t)j->outlen;
		s.crc_flag = ISAL_ZLIB;
		r = isal_inflate(&s);
		if (r == ISAL_DECOMP_OK && s.block_state != ISAL_BLOCK_FINISH &&
		    s.avail_out == 0 && j->room > 0) {
			/* Past the media's end: on into j->past. */
			s.next_out = j->past;
			s.avail_out = (uint32_t)j->room;
			cap += j->room;
			r = isal_inflate(&s);
		}
		done = cap - s.avail_out;
		if (r == ISAL_DECOMP_OK && s.block_state == ISAL_BLOCK_FINISH &&
		    done >= j->outlen) {
			j->npast = done - j->outlen;
			if (j->npast == 0)
				note_zero_chunk(j);
			return;
		}
		j->status = FG_DAMAGE_CHECKSUM;
		if (r == ISAL_INCORRECT_CHECKSUM && done >= j->outlen) {
			/* All of it inflated: hand on what is stored. */
			j->kept = 1;
			snprintf(j->detail, sizeof(j->detail),
				 "Adler-32 checksum mismatch (the inflated "
				 "data does not match the compressed "
				 "chunk's checksum)");
			return;
		}
		if (r == ISAL_OUT_OVERFLOW ||
		    (r == ISAL_DECOMP_OK && s.avail_out == 0))
			snprintf(j->detail, sizeof(j->detail),
				 "damaged deflate data (it does not end "
				 "after %zu bytes)",
				 cap);
		else if (r == ISAL_DECOMP_OK && done < j->outlen)
			snprintf(j->detail, sizeof(j->detail),
				 "damaged deflate data (it ends after %zu of "
				 "%zu bytes)",
				 done, j->outlen);
		else if (r == ISAL_DECOMP_OK)
			snprintf(j->detail, sizeof(j->detail),
				 "damaged deflate data (it breaks off after "
				 "%zu bytes, unfinished)",
				 done);
		else
			snprintf(j->detail, sizeof(j->detail),
				 "damaged deflate data (igzip error %d)", r);
#else
		z_stream z;
		int r;

		memset(&z, 0, sizeof(z));
		if (inflateInit(&z) != Z_OK) {
			j->status = FG_DAMAGE_UNREADABLE;
			snprintf(j->detail, sizeof(j->detail),
				 "zlib: cannot start inflate");
			goto zero;
		}
		z.next_in = j->raw;
		z.avail_in = (uInt)j->rawlen;
		z.next_out = j->out;
		z.avail_out = (uInt)j->outlen;
		r = inflate(&z, Z_FINISH);
		if (r == Z_BUF_ERROR && z.avail_out == 0 && j->room > 0) {
			/* Past the media's end: on into j->past. */
			z.next_out = j->past;
			z.avail_out = (uInt)j->room;
			cap += j->room;
			r = inflate(&z, Z_FINISH);
		}
		done = cap - z.avail_out;
		if (r == Z_STREAM_END && done >= j->outlen) {
			inflateEnd(&z);
			j->npast = done - j->outlen;
			if (j->npast == 0)
				note_zero_chunk(j);
			return;
		}
		j->status = FG_DAMAGE_CHECKSUM;
		if (r == Z_DATA_ERROR && done >= j->outlen && z.msg != NULL &&
		    strcmp(z.msg, "incorrect data check") == 0) {
			/* All of it inflated: hand on what is stored. */
			j->kept = 1;
			snprintf(j->detail, sizeof(j->detail),
				 "Adler-32 checksum mismatch (the inflated "
				 "data does not match the compressed "
				 "chunk's checksum)");
			inflateEnd(&z);
			return;
		}
		if (r == Z_STREAM_END)
			snprintf(j->detail, sizeof(j->detail),
				 "damaged deflate data (it ends after %zu of "
				 "%zu bytes)",
				 done, j->outlen);
		else if (r == Z_BUF_ERROR && z.avail_out == 0)
			snprintf(j->detail, sizeof(j->detail),
				 "damaged deflate data (it does not end "
				 "after %zu bytes)",
				 cap);
		else
			snprintf(j->detail, sizeof(j->detail),
				 "damaged deflate data (zlib: %s)",
				 z.msg != NULL ? z.msg : "stream ends early");
		inflateEnd(&z);
#endif
	} else {
		uint32_t sum;

		if (j->rawlen != j->outlen) {
			sum = fg_adler32(j->raw, j->rawlen);
			if (j->rawlen > j->outlen &&
			    j->rawlen - j->outlen <= j->room &&
			    sum == j->checksum) {
				/* The media's last chunk, holding bytes
				 * past the media's end: not damage. */
				memcpy(j->out, j->raw, j->outlen);
				j->npast = j->rawlen - j->outlen;
				memcpy(j->past, j->raw + j->outlen, j->npast);
				return;
			}
			j->status = FG_DAMAGE_CHECKSUM;
			if (j->rawlen > j->outlen &&
			    j->rawlen - j->outlen <= j->room) {
				/* As many as the last chunk may hold, but
				 * the checksum fails: hand on what is
				 * stored, as for any chunk. */
				memcpy(j->out, j->raw, j->outlen);
				j->kept = 1;
				if (j->beyond)
					snprintf(j->detail, sizeof(j->detail),
						 "Adler-32 checksum mismatch "
						 "(stored 0x%08x, computed "
						 "0x%08x over the %zu byte%s "
						 "the chunk holds)",
						 j->checksum, sum, j->rawlen,
						 j->rawlen == 1 ? "" : "s");
				else
					snprintf(j->detail, sizeof(j->detail),
						 "Adler-32 checksum mismatch "
						 "(stored 0x%08x, computed "
						 "0x%08x over the %zu bytes "
						 "the chunk holds, %zu past "
						 "the media's end)",
						 j->checksum, sum, j->rawlen,
						 j->rawlen - j->outlen);
				return;
			}
			if (j->rawlen > j->outlen && sum == j->checksum) {
				/* More than a chunk holds, or not at the
				 * media's end. */
				memcpy(j->out, j->raw, j->outlen);
				j->kept = 1;
				snprintf(j->detail, sizeof(j->detail),
					 "the stored chunk holds %zu bytes, "
					 "the media size allows %zu (its "
					 "checksum holds; the first %zu are "
					 "hashed)",
					 j->rawlen, j->outlen, j->outlen);
				return;
			}
			snprintf(j->detail, sizeof(j->detail),
				 "the stored chunk holds %zu bytes, %zu "
				 "expected",
				 j->rawlen, j->outlen);
			goto zero;
		}
		sum = fg_adler32(j->raw, j->rawlen);
		memcpy(j->out, j->raw, j->outlen);
		if (sum == j->checksum)
			return;
		/* Hand on what is stored: if only the checksum is
		 * damaged, the media hashes still come out right. */
		j->status = FG_DAMAGE_CHECKSUM;
		j->kept = 1;
		snprintf(j->detail, sizeof(j->detail),
			 "Adler-32 checksum mismatch (stored 0x%08x, "
			 "computed 0x%08x)",
			 j->checksum, sum);
		return;
	}
zero:
	memset(j->out, 0, j->outlen);
}

void *fg_ewf_pool_worker(void *arg)
{
	struct fg_ewf_pool *pl = arg;

	fg_thread_give_way();

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		struct fg_ewf_job *j;

		while (!pl->quit && pl->next >= pl->njobs)
			pthread_cond_wait(&pl->cv_work, &pl->mu);
		if (pl->quit)
			break;
		j = &pl->jobs[pl->next++];
		pthread_mutex_unlock(&pl->mu);
		fg_ewf_inflate_job(j);
		pthread_mutex_lock(&pl->mu);
		if (++pl->done == pl->njobs)
			pthread_cond_broadcast(&pl->cv_done);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

void fg_ewf_pool_start_batch(struct fg_ewf_pool *pl, struct fg_ewf_job *jobs,
			     size_t n)
{
	pthread_mutex_lock(&pl->mu);
	pl->jobs = jobs;
	pl->njobs = n;
	pl->next = 0;
	pl->done = 0;
	pthread_cond_broadcast(&pl->cv_work);
	pthread_mutex_unlock(&pl->mu);
}

/* The caller helps with the batch, then waits for the rest of it. */
void fg_ewf_pool_finish_batch(struct fg_ewf_pool *pl)
{
	pthread_mutex_lock(&pl->mu);
	while (pl->next < pl->njobs) {
		struct fg_ewf_job *j = &pl->jobs[pl->next++];
		pthread_mutex_unlock(&pl->mu);
		fg_ewf_inflate_job(j);
		pthread_mutex_lock(&pl->mu);
		if (++pl->done == pl->njobs)
			pthread_cond_broadcast(&pl->cv_done);
	}
	while (pl->done < pl->njobs)
		pthread_cond_wait(&pl->cv_done, &pl->mu);
	pl->jobs = NULL;
	pl->njobs = pl->next = pl->done = 0;
	pthread_mutex_unlock(&pl->mu);
}

void fg_ewf_pool_stop(struct fg_ewf_pool *pl)
{
	unsigned i;

	pthread_mutex_lock(&pl->mu);
	pl->quit = 1;
	pthread_cond_broadcast(&pl->cv_work);
	pthread_mutex_unlock(&pl->mu);
	for (i = 0; i < pl->nth; i++)
		pthread_join(pl->th[i], NULL);
	pl->nth = 0;
}
