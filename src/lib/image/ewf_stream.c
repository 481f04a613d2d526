/*
 * ewf_stream.c - reading an EWF set's chunks (ewf_read.c opens the set).
 *
 * One thread (the caller's) reads packed chunks in order, a batch of
 * chunks per pipeline block, into one of two staging areas: where the
 * walker knows exactly where a run of chunks lies in a whole segment file,
 * with one pread for the run; any other chunk with
 * libewf_handle_read_chunk (so libewf's messages still say what is wrong
 * with it).  Worker threads (ewf_chunk.c) inflate (ISA-L igzip when built
 * with it, else zlib) or checksum (Adler-32) the batch straight into the
 * pipeline block while the reader fills the other staging area; the
 * block is handed on when its batch is done, so the digests downstream see
 * the media in order.  A chunk that fails its checksum or cannot be
 * inflated, and one libewf cannot read, is handed on as zeros and reported
 * with its chunk number, media range and, from the section walker, its
 * segment file and offset.  Bytes the media's last chunk holds past the
 * media's end, or a chunk the tables list past the media's last one, their
 * checks holding, are reported through on_past_end: neither media nor
 * damage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <libewf.h>

#include <forage/container.h>
#include <forage/deflate.h>
#include <forage/pipeline.h>
#include <forage/reader.h>

#include "base/base_int.h"
#include "ewf/ewf_int.h"
#include "image/image_int.h"
#include "image/ewf_read_int.h"

/* ---- Stream ----------------------------------------------------------------- */

struct stage {
	struct fg_ewf_job *jobs;
	size_t njobs;
	unsigned char *raw; /* per_block x rawcap */
	uint64_t offset;    /* media offset of the block */
	size_t len;
};

/* The start of a reason when the chunk table that lists j is damaged. */
static const char *table_bad_text(const struct fg_ewf_job *j)
{
	if (!j->loc_ok || j->loc.table_bad == 0)
		return "";
	return j->loc.table_bad == 2
		       ? "both copies of the chunk table that lists this chunk "
			 "fail their checksum; "
		       : "the chunk table that lists this chunk fails its "
			 "checksum and has no copy; ";
}

/* Why libewf could not read chunk j, from what the walker knows. */
static void explain_unreadable(struct fg_image *img, struct fg_ewf_job *j,
			       const char *libewf_msg)
{
	struct ewf_priv *p = img->priv;

	if (!j->loc_ok) {
		char why[200];
		size_t seg;

		if (fg_ewf_map_why(p->map, j->chunk, &seg, why, sizeof(why)))
			snprintf(j->detail, sizeof(j->detail), "%s", why);
		else
			snprintf(j->detail, sizeof(j->detail),
				 "%s (its segment file is missing or "
				 "truncated)",
				 why);
		return;
	}
	if (!j->loc.size_known &&
	    j->loc.offset >= img->segs[j->loc.seg].size) {
		snprintf(j->detail, sizeof(j->detail),
			 "%sthe chunk table of %s places the chunk's data at "
			 "offset %llu, past the end of the file at %llu",
			 table_bad_text(j), fg_path_base(j->loc.path),
			 (unsigned long long)j->loc.offset,
			 (unsigned long long)img->segs[j->loc.seg].size);
		return;
	}
	if (j->loc.size_known &&
	    j->loc.offset + j->loc.size > img->segs[j->loc.seg].size) {
		const struct fg_ewf_seginfo *si =
			fg_ewf_map_seg(p->map, j->loc.seg);

		if (si != NULL && !si->truncated) {
			/* The file ends where its sections say: its table
			 * points past that. */
			snprintf(j->detail, sizeof(j->detail),
				 "the chunk table of %s points outside the "
				 "file: the chunk's data would lie at offset "
				 "%llu..%llu, the file ends at %llu",
				 fg_path_base(j->loc.path),
				 (unsigned long long)j->loc.offset,
				 (unsigned long long)(j->loc.offset +
						      j->loc.size),
				 (unsigned long long)img->segs[j->loc.seg].size);
			return;
		}
		snprintf(j->detail, sizeof(j->detail),
			 "%s is truncated: the chunk's data lies at "
			 "offset %llu..%llu, the file ends at %llu",
			 fg_path_base(j->loc.path),
			 (unsigned long long)j->loc.offset,
			 (unsigned long long)(j->loc.offset + j->loc.size),
			 (unsigned long long)img->segs[j->loc.seg].size);
		return;
	}
	snprintf(j->detail, sizeof(j->detail), "%slibewf cannot read it: %.380s",
		 table_bad_text(j), libewf_msg);
}

/* Can chunk j be read straight from its segment file?  When the walker
 * knows exactly where its bytes lie, in a file it found whole; anything
 * else goes through libewf, whose messages say what is wrong. */
static int direct_ok(const struct fg_image *img, const struct ewf_priv *p,
		     const struct fg_ewf_job *j, size_t rawcap)
{
	const struct fg_ewf_seginfo *si;

	if (!p->direct || !j->loc_ok || !j->loc.size_known ||
	    j->loc.size > rawcap ||
	    j->loc.size < 4 || j->loc.offset + j->loc.size >
				   img->segs[j->loc.seg].size)
		return 0;
	/* Past a lost chunk table libewf, which places chunks by counting
	 * them, would read another chunk, and past the media's end none:
	 * the walker's place it is. */
	if (!j->counted || j->beyond)
		return 1;
	if (p->via_libewf)
		return 0;
	si = fg_ewf_map_seg(p->map, j->loc.seg);
	return si != NULL && !si->truncated && !si->broken &&
	       si->lost_tables == 0;
}

static int seg_rfd(struct fg_image *img, struct ewf_priv *p, size_t seg)
{
	if (p->rfd >= 0 && p->rfd_seg == seg)
		return p->rfd;
	if (p->rfd >= 0)
		close(p->rfd);
	p->rfd = open(img->segs[seg].path, O_RDONLY | O_CLOEXEC);
	p->rfd_seg = seg;
	return p->rfd;
}

/* The stored bytes of chunk j are in j->raw (rawlen of them): split off
 * the checksum an uncompressed chunk carries after its data. */
static void take_stored(struct fg_ewf_job *j, int have_sum, uint32_t sum)
{
	if (j->compressed)
		return;
	if (j->rawlen < 4) {
		j->status = FG_DAMAGE_CHECKSUM;
		snprintf(j->detail, sizeof(j->detail),
			 "the stored chunk is only %zu bytes", j->rawlen);
		return;
	}
	j->rawlen -= 4;
	j->checksum = have_sum ? sum
			       : (uint32_t)j->raw[j->rawlen] |
					 (uint32_t)j->raw[j->rawlen + 1] << 8 |
					 (uint32_t)j->raw[j->rawlen + 2] << 16 |
					 (uint32_t)j->raw[j->rawlen + 3] << 24;
}

/* Chunk j through libewf into buf (rawcap bytes); returns the bytes it
 * took there. */
static size_t libewf_chunk(struct fg_image *img, struct fg_ewf_job *j,
			   unsigned char *buf, size_t rawcap,
			   struct fg_image_read_stats *stats)
{
	struct ewf_priv *p = img->priv;
	const uint64_t off = j->chunk * img->chunk_size;
	libewf_error_t *e = NULL;
	int8_t isc = 0, rck = 0;
	uint32_t sum = 0;
	uint8_t sumbuf[4];
	ssize_t got;

	j->raw = buf;
	j->direct = 0;
	stats->chunks_libewf++;
	if (p->h == NULL) {
		/* An intact set was opened without libewf: open it now. */
		struct fg_error oe;

		fg_error_clear(&oe);
		if (fg_ewf_read_reopen(img, off, &oe) != FG_OK) {
			j->status = FG_DAMAGE_UNREADABLE;
			explain_unreadable(img, j, oe.msg);
			return 0;
		}
	}
	if (libewf_handle_seek_offset(p->h, (off64_t)off, SEEK_SET, NULL) !=
	    (off64_t)off) {
		j->status = FG_DAMAGE_UNREADABLE;
		explain_unreadable(img, j, "libewf cannot seek to it");
		return 0;
	}
	got = libewf_handle_read_chunk(p->h, j->raw, rawcap, &isc, sumbuf,
				       &sum, &rck, &e);
	if (got <= 0) {
		char msg[512];
		fg_ewf_read_msg(&e, msg, sizeof(msg));
		j->status = FG_DAMAGE_UNREADABLE;
		explain_unreadable(img, j, msg);
		return 0;
	}
	p->libewf_reads++;
	j->compressed = isc != 0;
	j->rawlen = (size_t)got;
	take_stored(j, rck != 0, sum);
	return (size_t)got;
}

/* Read the packed chunks of one block into sg (the reading thread).  A run
 * of chunks that lie one after the other in a segment file is read with
 * one pread, and each job points at its bytes there; the others, and a
 * run whose read comes up short, go through libewf one by one. */
static void fill_stage(struct fg_image *img, struct stage *sg,
		       uint64_t first_chunk, size_t rawcap,
		       struct fg_image_read_stats *stats)
{
	struct ewf_priv *p = img->priv;
	size_t k, used = 0;

	sg->njobs = 0;
	sg->offset = first_chunk * img->chunk_size;
	sg->len = 0;
	for (k = 0; k < p->per_block && first_chunk + k < p->nchunks; k++) {
		struct fg_ewf_job *j = &sg->jobs[k];
		uint64_t c = first_chunk + k;
		uint64_t off = c * img->chunk_size;

		memset(j, 0, sizeof(*j));
		j->chunk = c;
		j->outlen = img->media_size - off < img->chunk_size
				    ? (size_t)(img->media_size - off)
				    : img->chunk_size;
		if (off + j->outlen == img->media_size &&
		    j->outlen < img->chunk_size && p->past != NULL &&
		    p->extra == 0) {
			j->room = img->chunk_size - j->outlen;
			j->past = p->past;
		}
		j->loc_ok = fg_ewf_map_locate(p->map, c, &j->loc) == FG_OK;
		j->counted = c < fg_ewf_map_counted(p->map);
		sg->len += j->outlen;
		sg->njobs++;
		stats->chunks++;
	}
	if (p->extra > 0 && first_chunk + sg->njobs == p->nchunks) {
		/* With the media's last chunk, the one the tables list
		 * past it: no media, up to a chunk past the media's end
		 * (the stage has room for one job more). */
		struct fg_ewf_job *j = &sg->jobs[sg->njobs];

		memset(j, 0, sizeof(*j));
		j->chunk = p->nchunks;
		j->beyond = 1;
		j->room = img->chunk_size;
		j->past = p->past;
		j->loc_ok = fg_ewf_map_locate(p->map, j->chunk, &j->loc) ==
			    FG_OK;
		j->counted = j->chunk < fg_ewf_map_counted(p->map);
		sg->njobs++;
	}
	for (k = 0; k < sg->njobs;) {
		struct fg_ewf_job *j = &sg->jobs[k];
		size_t n = 1, span, i;
		int fd;

		/* What the walker knows cannot be read is not asked of
		 * libewf, which would first allocate what the table claims
		 * (gigabytes, from a crafted entry). */
		if (j->loc_ok && j->loc.size_known && j->loc.size > rawcap) {
			j->status = FG_DAMAGE_UNREADABLE;
			snprintf(j->detail, sizeof(j->detail),
				 "%sthe chunk table gives it %llu stored "
				 "bytes, more than a chunk of %u can take",
				 table_bad_text(j),
				 (unsigned long long)j->loc.size,
				 img->chunk_size);
			k++;
			continue;
		}
		if (j->loc_ok && !j->loc.size_known &&
		    j->loc.offset >= img->segs[j->loc.seg].size) {
			j->status = FG_DAMAGE_UNREADABLE;
			explain_unreadable(img, j, "");
			k++;
			continue;
		}
		if (!direct_ok(img, p, j, rawcap) && j->beyond) {
			/* libewf reads no chunk past the media's end. */
			j->status = FG_DAMAGE_UNREADABLE;
			if (j->loc_ok)
				snprintf(j->detail, sizeof(j->detail),
					 "the chunk table of %s places it at "
					 "offset %llu, where it cannot be "
					 "read whole",
					 fg_path_base(j->loc.path),
					 (unsigned long long)j->loc.offset);
			else
				explain_unreadable(img, j, "");
			k++;
			continue;
		}
		if (!direct_ok(img, p, j, rawcap) && !j->counted) {
			/* libewf would give another chunk's bytes. */
			j->status = FG_DAMAGE_UNREADABLE;
			if (j->loc_ok)
				snprintf(j->detail, sizeof(j->detail),
					 "a chunk table of the set is lost, "
					 "and this chunk cannot be read "
					 "where its table places it");
			else
				explain_unreadable(img, j, "");
			k++;
			continue;
		}
		if (!direct_ok(img, p, j, rawcap)) {
			used += libewf_chunk(img, j, sg->raw + used, rawcap,
					     stats);
			k++;
			continue;
		}
		span = (size_t)j->loc.size;
		while (k + n < sg->njobs) {
			const struct fg_ewf_job *q = &sg->jobs[k + n];
			if (!direct_ok(img, p, q, rawcap) ||
			    q->loc.seg != j->loc.seg ||
			    q->loc.offset != j->loc.offset + span)
				break;
			span += (size_t)q->loc.size;
			n++;
		}
		fd = seg_rfd(img, p, j->loc.seg);
		if (fd < 0 || fg_fd_pread_full(fd, sg->raw + used, span,
					       j->loc.offset) != (ssize_t)span) {
			for (i = 0; i < n; i++) {
				struct fg_ewf_job *q = &sg->jobs[k + i];

				if (q->counted && !q->beyond) {
					used += libewf_chunk(img, q,
							     sg->raw + used,
							     rawcap, stats);
					continue;
				}
				q->status = FG_DAMAGE_UNREADABLE;
				snprintf(q->detail, sizeof(q->detail),
					 "read error in %s at offset %llu",
					 fg_path_base(q->loc.path),
					 (unsigned long long)q->loc.offset);
			}
			k += n;
			continue;
		}
		for (i = 0; i < n; i++) {
			struct fg_ewf_job *q = &sg->jobs[k + i];
			q->raw = sg->raw + used;
			q->rawlen = (size_t)q->loc.size;
			q->compressed = q->loc.compressed;
			q->direct = 1;
			used += q->rawlen;
			take_stored(q, 0, 0);
		}
		k += n;
	}
}

/* A chunk read straight from its file that failed its checks is read
 * again through libewf and checked again, so that a place the walker got
 * wrong can never be reported as damage: what is reported is what libewf
 * reads, as if it had read every chunk. */
static void recheck_direct(struct fg_image *img, struct stage *sg,
			   size_t rawcap, struct fg_image_read_stats *stats)
{
	struct ewf_priv *p = img->priv;
	size_t k;

	for (k = 0; k < sg->njobs; k++) {
		struct fg_ewf_job *j = &sg->jobs[k];

		if (j->status != 0 && j->loc_ok && j->loc.table_bad) {
			/* libewf has no better copy of the table: the
			 * chunk's own checks decide, and say so. */
			char d[sizeof(j->detail)];

			snprintf(d, sizeof(d),
				 "%swhere it places the chunk: %.150s",
				 table_bad_text(j), j->detail);
			memcpy(j->detail, d, sizeof(d));
			continue;
		}
		if (j->status == 0 || !j->direct || !j->counted || j->beyond)
			continue;
		j->status = 0;
		j->kept = 0;
		j->npast = 0;
		j->detail[0] = '\0';
		j->checksum = 0;
		(void)libewf_chunk(img, j, p->scratch, rawcap, stats);
		fg_ewf_inflate_job(j);
	}
}

static void report_stage(struct fg_image *img, struct stage *sg,
			 const struct fg_image_read_opts *o,
			 struct fg_image_read_stats *st)
{
	struct ewf_priv *p = img->priv;
	size_t k;

	for (k = 0; k < sg->njobs; k++) {
		struct fg_ewf_job *j = &sg->jobs[k];
		struct fg_damage d;

		if (j->status == 0 || j->beyond)
			continue;
		if (j->status == FG_DAMAGE_UNREADABLE)
			st->unreadable_bytes += j->outlen;
		else
			st->damaged_bytes += j->outlen;
		if (o->on_damage == NULL)
			continue;
		memset(&d, 0, sizeof(d));
		d.kind = j->status;
		d.offset = j->chunk * img->chunk_size;
		d.length = j->outlen;
		d.chunk = j->chunk;
		d.has_chunk = 1;
		if (j->loc_ok) {
			d.file = j->loc.path;
			d.file_offset = j->loc.offset;
			d.file_length = j->loc.size_known ? j->loc.size : 0;
			d.has_file_offset = 1;
		} else {
			/* The segment file it lies in, when that is known;
			 * where in it is not. */
			char why[8];
			size_t seg;

			(void)fg_ewf_map_why(p->map, j->chunk, &seg, why,
					     sizeof(why));
			d.file = fg_ewf_map_path(p->map, seg);
		}
		d.zero_filled = !j->kept;
		d.detail = j->detail;
		o->on_damage(o->ctx, &d);
	}
	for (k = 0; k < sg->njobs; k++) {
		const struct fg_ewf_job *j = &sg->jobs[k];
		struct fg_past_end x;

		/* A chunk of their own that fails its checks is reported
		 * here too: it holds no media. */
		if ((j->status != 0 || j->npast == 0) &&
		    !(j->beyond && j->status != 0))
			continue;
		if (j->status == 0)
			st->past_end_bytes += j->npast;
		if (o->on_past_end == NULL)
			continue;
		memset(&x, 0, sizeof(x));
		x.chunk = j->chunk;
		x.chunk_offset = j->chunk * img->chunk_size;
		if (j->status == 0) {
			x.chunk_bytes = j->outlen + j->npast;
			x.data = j->past;
			x.length = j->npast;
		} else {
			x.chunk_bytes = j->rawlen;
			x.damaged = j->detail;
		}
		if (j->loc_ok) {
			x.file = j->loc.path;
			x.file_offset = j->loc.offset;
			x.file_length = j->loc.size_known ? j->loc.size : 0;
			x.has_file_offset = 1;
		}
		o->on_past_end(o->ctx, &x);
	}
}

int fg_ewf_read_stream(struct fg_image *img, struct fg_pipe *pipe,
		       const struct fg_image_read_opts *o,
		       struct fg_image_read_stats *st, struct fg_error *err)
{
	struct ewf_priv *p = img->priv;
	const size_t bs = fg_ewf_read_block_size(img);
	const size_t rawcap = (size_t)img->chunk_size * 2 + 4096;
	struct stage stage[2];
	struct fg_ewf_pool pl;
	struct fg_progress pr;
	uint64_t nblocks, b;
	unsigned nth, i;
	long cores;
	const uint64_t reopen =
		o->reopen_chunks ? o->reopen_chunks
		: p->nchunks / REOPEN_MAX > REOPEN_CHUNKS
			? p->nchunks / REOPEN_MAX
			: REOPEN_CHUNKS;
	double t0 = fg_now_seconds(), last = 0;
	int rc = FG_OK, rrc = FG_OK;

	memset(stage, 0, sizeof(stage));
	memset(&pl, 0, sizeof(pl));
	p->via_libewf = o->via_libewf;
	p->libewf_reads = 0;
	memset(&pr, 0, sizeof(pr));
	pr.total = img->media_size;
	if (fg_pipe_block_size(pipe) != bs)
		return fg_error_set(err, FG_EINVAL, 0,
				    "EWF stream: the pipeline's block size "
				    "%zu is not the image's %zu",
				    fg_pipe_block_size(pipe), bs);
	if (p->h != NULL &&
	    libewf_handle_seek_offset(p->h, 0, SEEK_SET, NULL) != 0)
		return fg_error_set(err, FG_EIO, 0,
				    "%s: libewf cannot seek to the start",
				    img->segs[0].path);
	p->scratch = malloc(rawcap);
	if (img->media_size % img->chunk_size != 0 || p->extra > 0)
		p->past = malloc(img->chunk_size);
	if (p->scratch == NULL ||
	    ((img->media_size % img->chunk_size != 0 || p->extra > 0) &&
	     p->past == NULL)) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < 2; i++) {
		/* One job more than a block's chunks: a chunk the tables
		 * list past the media's last one. */
		stage[i].jobs =
			calloc(p->per_block + 1, sizeof(struct fg_ewf_job));
		stage[i].raw = malloc((p->per_block + 1) * rawcap);
		if (stage[i].jobs == NULL || stage[i].raw == NULL) {
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory for %zu chunks",
					  p->per_block);
			goto out;
		}
	}
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	nth = o->threads ? o->threads : (cores > 0 ? (unsigned)cores : 1);
	if (nth > FG_EWF_MAX_WORKERS)
		nth = FG_EWF_MAX_WORKERS;
	pthread_mutex_init(&pl.mu, NULL);
	pthread_cond_init(&pl.cv_work, NULL);
	pthread_cond_init(&pl.cv_done, NULL);
	for (i = 0; i < nth; i++) {
		if (pthread_create(&pl.th[i], NULL, fg_ewf_pool_worker, &pl) !=
		    0)
			break;
		pl.nth++;
	}

	nblocks = (p->nchunks + p->per_block - 1) / p->per_block;
	if (nblocks > 0)
		fill_stage(img, &stage[0], 0, rawcap, st);
	for (b = 0; b < nblocks; b++) {
		struct stage *cur = &stage[b % 2];
		struct fg_block *blk;
		size_t k;

		if (o->stop != NULL && *o->stop) {
			rc = fg_error_set(err, FG_EINTR, EINTR,
					  "interrupted at media offset %llu",
					  (unsigned long long)cur->offset);
			break;
		}
		blk = fg_pipe_get(pipe);
		if (blk == NULL) {
			rc = fg_error_set(err, FG_EIO, 0,
					  "a digest of the verification "
					  "failed");
			break;
		}
		/* (A chunk past the media's last one makes no media: its
		 * out is never written.) */
		for (k = 0; k < cur->njobs; k++)
			cur->jobs[k].out =
				blk->data + (cur->jobs[k].beyond
						     ? 0
						     : k * img->chunk_size);
		fg_ewf_pool_start_batch(&pl, cur->jobs, cur->njobs);
		if (b + 1 < nblocks) {
			uint64_t next = (b + 1) * p->per_block;
			if (p->libewf_reads >= reopen) {
				rrc = fg_ewf_read_reopen(img, next * img->chunk_size,
						 err);
				p->libewf_reads = 0;
			}
			if (rrc == FG_OK)
				fill_stage(img, &stage[(b + 1) % 2], next,
					   rawcap, st);
		}
		fg_ewf_pool_finish_batch(&pl);
		recheck_direct(img, cur, rawcap, st);
		report_stage(img, cur, o, st);
		blk->offset = cur->offset;
		blk->len = cur->len;
		fg_pipe_put(pipe, blk);
		st->bytes = cur->offset + cur->len;
		fg_progress_tick(o->on_progress, o->ctx, &pr, t0, &last,
				 st->bytes, 0);
		if (rrc != FG_OK) {
			rc = rrc;
			break;
		}
	}
	fg_ewf_pool_stop(&pl);
	pthread_mutex_destroy(&pl.mu);
	pthread_cond_destroy(&pl.cv_work);
	pthread_cond_destroy(&pl.cv_done);
	fg_progress_tick(o->on_progress, o->ctx, &pr, t0, &last, st->bytes,
			 1);
out:
	for (i = 0; i < 2; i++) {
		free(stage[i].jobs);
		free(stage[i].raw);
	}
	free(p->scratch);
	p->scratch = NULL;
	free(p->past);
	p->past = NULL;
	return rc;
}
