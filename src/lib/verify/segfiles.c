/*
 * segfiles.c - the evidence files' own checks: their sizes, and the
 * digests of E01 segment files and split raw files, hashed as files
 * (see verify_int.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/container.h>
#include <forage/filehash.h>
#include <forage/hash.h>
#include <forage/pipeline.h>
#include <forage/reader.h>
#include <forage/record.h>
#include <forage/verify.h>

#include "base/base_int.h"
#include "verify/verify_int.h"

/* ---- Indexes -----------------------------------------------------------
 *
 * A record or a checksum file may list many files (a split raw image of
 * thousands); every look-up below goes through two indexes, so the work
 * grows with the number of files, never with its square. */

static const char *seg_base(const struct plan *p, size_t i)
{
	return fg_path_base(p->img->segs[i].path);
}

static int cmp_seg_name(const void *a, const void *b, void *ctx)
{
	const struct plan *p = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(seg_base(p, x), seg_base(p, y));

	return c != 0 ? c : x < y ? -1 : x > y;
}

const struct fg_image_segment *fg_verify_seg_named(struct plan *p,
						   const char *name)
{
	const char *base = fg_path_base(name);
	const size_t n = p->img->nsegs;
	size_t lo = 0, hi = n, i;

	if (n == 0)
		return NULL;
	if (p->seg_by_name == NULL) {
		p->seg_by_name = calloc(n, sizeof(*p->seg_by_name));
		if (p->seg_by_name == NULL) {
			p->oom = 1;
			return NULL;
		}
		for (i = 0; i < n; i++)
			p->seg_by_name[i] = i;
		qsort_r(p->seg_by_name, n, sizeof(*p->seg_by_name),
			cmp_seg_name, p);
	}
	/* The last segment of that name, as a scan of them all would
	 * find: the first past it, one back. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(seg_base(p, p->seg_by_name[mid]), base) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strcmp(seg_base(p, p->seg_by_name[lo - 1]), base) != 0)
		return NULL;
	return &p->img->segs[p->seg_by_name[lo - 1]];
}

/* The expectations of files by segment (a counting sort); p->oom when
 * there is no memory for it. */
static void index_files(struct plan *p)
{
	const size_t n = p->img->nsegs;
	size_t i, *pos;

	if (p->fx_at != NULL && p->fx_indexed == p->nfx)
		return;
	free(p->fx_at);
	free(p->fx_of);
	p->fx_at = calloc(n + 1, sizeof(*p->fx_at));
	p->fx_of = calloc(p->nfx + 1, sizeof(*p->fx_of));
	pos = calloc(n + 1, sizeof(*pos));
	if (p->fx_at == NULL || p->fx_of == NULL || pos == NULL) {
		free(p->fx_at);
		free(p->fx_of);
		free(pos);
		p->fx_at = p->fx_of = NULL;
		p->oom = 1;
		return;
	}
	for (i = 0; i < p->nfx; i++)
		if (p->fx[i].seg != NULL)
			p->fx_at[p->fx[i].seg - p->img->segs + 1]++;
	for (i = 0; i < n; i++)
		p->fx_at[i + 1] += p->fx_at[i];
	memcpy(pos, p->fx_at, (n + 1) * sizeof(*pos));
	for (i = 0; i < p->nfx; i++)
		if (p->fx[i].seg != NULL)
			p->fx_of[pos[p->fx[i].seg - p->img->segs]++] = i;
	free(pos);
	p->fx_indexed = p->nfx;
}

/* The expectations of segment s: *idx, the count returned (0 without the
 * index). */
static size_t seg_fx(const struct plan *p, const struct fg_image_segment *s,
		     const size_t **idx)
{
	size_t i;

	if (p->fx_at == NULL || p->fx_indexed != p->nfx || s == NULL)
		return 0;
	i = (size_t)(s - p->img->segs);
	*idx = p->fx_of + p->fx_at[i];
	return p->fx_at[i + 1] - p->fx_at[i];
}

void fg_verify_files_index_free(struct plan *p)
{
	free(p->seg_by_name);
	free(p->fx_at);
	free(p->fx_of);
	p->seg_by_name = p->fx_at = p->fx_of = NULL;
}

/* Has the verification been told to stop? */
static int stopping(const struct plan *p)
{
	return p->o->stop != NULL && *p->o->stop;
}

/* Is s shorter than an expectation says it was written? */
static int file_short(const struct plan *p, const struct fg_image_segment *s)
{
	const size_t *idx = NULL;
	size_t i, n = seg_fx(p, s, &idx);

	for (i = 0; i < n; i++)
		if (p->fx[idx[i]].alg == 0 && s->size < p->fx[idx[i]].size)
			return 1;
	return 0;
}

/* file_short of every segment, once: NULL when out of memory (p->oom). */
static unsigned char *files_short(struct plan *p)
{
	unsigned char *sh = calloc(p->img->nsegs + 1, 1);
	size_t i;

	if (sh == NULL) {
		p->oom = 1;
		return NULL;
	}
	for (i = 0; i < p->img->nsegs; i++)
		sh[i] = (unsigned char)file_short(p, &p->img->segs[i]);
	return sh;
}

void fg_verify_compare_files(struct plan *p)
{
	unsigned char *sh;
	size_t i;

	index_files(p);
	sh = files_short(p);
	if (sh == NULL)
		return;
	for (i = 0; i < p->nfx && !stopping(p); i++) {
		const struct fexpect *f = &p->fx[i];
		const struct fg_image_segment *s = f->seg;
		char what[300], num[2][32];
		const char *got = NULL;

		snprintf(what, sizeof(what), "%s %s", f->alg ? "file" : "size of",
			 fg_path_base(f->name));
		if (s == NULL) {
			fg_verify_add_check(
			    p, what, f->alg, f->alg ? f->hex : "",
			    "(file missing)", f->source, FG_CHECK_UNVERIFIABLE);
			continue;
		}
		if (f->alg == 0) {
			snprintf(num[0], sizeof(num[0]), "%llu",
				 (unsigned long long)f->size);
			snprintf(num[1], sizeof(num[1]), "%llu",
				 (unsigned long long)s->size);
			fg_verify_add_check(
			    p, what, 0, num[0], num[1], f->source,
			    s->size == f->size	? FG_CHECK_MATCH
			    : s->size < f->size ? FG_CHECK_UNVERIFIABLE
						: FG_CHECK_MISMATCH);
			continue;
		}
		if (p->img->kind == FG_CONTAINER_EWF || p->img->nsegs > 1) {
			/* Filled in by fg_verify_compare_seg_files. */
			continue;
		}
		got = fg_verify_computed_media(
		    p, &(struct expect){f->alg, "", 0, NULL});
		if (got == NULL || got[0] == '\0') {
			fg_verify_add_check(p, what, f->alg, f->hex, "",
					    f->source, FG_CHECK_UNVERIFIABLE);
			continue;
		}
		fg_verify_add_check(p, what, f->alg, f->hex, got, f->source,
				    (fg_verify_overlaps_unreadable(
					 p->it, s->media_start,
					 s->media_start + s->media_len) ||
				     sh[s - p->img->segs])
					? FG_CHECK_UNVERIFIABLE
				    : strcmp(got, f->hex) == 0
					? FG_CHECK_MATCH
					: FG_CHECK_MISMATCH);
	}
	free(sh);
}

/* ---- Segment files, hashed as files ---------------------------------------
 *
 * The files of an E01 set, and of a raw image split in several, have digests
 * of their own (record, checksum files).
 *
 * E01: a thread hashes the files while the media is streamed (the two
 * compete only for CPU).  A file's MD5 is not recomputed when its SHA-256
 * is and every MD5 expected of it is the one the record holds: if the
 * SHA-256 then matches, the bytes are those the record hashed; if it does
 * not, the MD5 is computed after all.
 *
 * Split raw: the files are the media cut at the recorded sizes.  When the
 * media digests match, a file has its recorded size and every digest
 * expected of it is the one the record holds, it is settled without being
 * read again; any other file is hashed after the media pass. */

struct seg_digest {
	unsigned mask; /* computed */
	char hx[FG_NHASH][FG_HASH_HEX_MAX];
	int rc;
	struct fg_error e;
};

struct seg_files {
	const struct fg_image *img;
	struct seg_digest *d;
	volatile sig_atomic_t *stop; /* the verification's (may be NULL) */
	pthread_t th;
	int started;
	/* Riding: when an E01's files need only their SHA-256 and the media's
	 * is computed, the media's SHA-256 consumer reads the files and
	 * hashes them beside the media, two digests at once (sha256.c: about
	 * 1.8 times one digest's rate); ride_finish hashes what is left
	 * after the media pass. */
	int ride;
	size_t ride_i;           /* the file being read */
	int ride_fd;             /* -1: none open */
	uint64_t ride_off;       /* bytes of it read */
	struct fg_hash *ride_h;
	unsigned char *ride_buf; /* RIDE_BUF bytes */
	size_t ride_len, ride_pos;
};

#define RIDE_BUF (1u << 20)

/* Is there a recorded expectation of segment s for alg (0: its size), and
 * do all the others agree with it? */
static int record_agrees(const struct plan *p,
			 const struct fg_image_segment *s, unsigned alg)
{
	const struct fexpect *first = NULL;
	const size_t *idx = NULL;
	int recorded = 0;
	size_t k, n = seg_fx(p, s, &idx);

	for (k = 0; k < n; k++) {
		const struct fexpect *f = &p->fx[idx[k]];
		if (f->alg != alg)
			continue;
		recorded |= f->recorded;
		if (first != NULL && (alg == 0 ? first->size != f->size
					       : strcmp(first->hex, f->hex) != 0))
			return 0;
		first = f;
	}
	return recorded;
}

/* The digests expected of segment s; with lean (E01), without an MD5 that
 * its SHA-256 can settle. */
static unsigned seg_file_mask(const struct plan *p,
			      const struct fg_image_segment *s, int lean)
{
	unsigned mask = 0;
	const size_t *idx = NULL;
	size_t k, n = seg_fx(p, s, &idx);

	for (k = 0; k < n; k++)
		mask |= p->fx[idx[k]].alg;
	if (lean && (mask & FG_HASH_SHA256) && (mask & FG_HASH_MD5) &&
	    record_agrees(p, s, FG_HASH_MD5))
		mask &= ~(unsigned)FG_HASH_MD5;
	return mask;
}

/* Files smaller than this are hashed on the calling thread: starting the
 * two threads of fg_filehash_fd costs about 2 ms, which a set of
 * thousands of small files would pay thousands of times. */
#define TWO_THREADS_FROM (64u << 20)

/* stop (may be NULL) abandons the file between blocks: FG_EINTR.  size:
 * the file's size as the set was found. */
static void hash_one_file(const char *path, uint64_t size, unsigned mask,
			  volatile sig_atomic_t *stop, struct seg_digest *d)
{
	fg_error_clear(&d->e);
	d->mask = mask;
	if (mask == (FG_HASH_MD5 | FG_HASH_SHA256) &&
	    size >= TWO_THREADS_FROM) {
		/* MD5 and SHA-256 on two threads. */
		struct fg_outfile of;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		memset(&of, 0, sizeof(of));
		if (fd < 0) {
			d->rc = fg_error_set(&d->e, FG_EIO, errno,
					     "%s: cannot open: %s", path,
					     strerror(errno));
			return;
		}
		d->rc = fg_filehash_fd(fd, path, &of, stop, &d->e);
		close(fd);
		memcpy(d->hx[0], of.md5, sizeof(d->hx[0]));
		memcpy(d->hx[2], of.sha256, sizeof(d->hx[2]));
	} else {
		d->rc = fg_hash_file_until(path, mask, d->hx, NULL, stop,
					   &d->e);
	}
}

/* Done with the file being read: on to the next. */
static void ride_close(struct seg_files *sf)
{
	if (sf->ride_fd >= 0)
		close(sf->ride_fd);
	sf->ride_fd = -1;
	fg_hash_free(sf->ride_h);
	sf->ride_h = NULL;
	sf->ride_len = sf->ride_pos = 0;
	sf->ride_off = 0;
	sf->ride_i++;
}

/* Unhashed bytes of the file being read in ride_buf (1), or every file
 * done (0).  A file is opened when reached, its digest written into its
 * seg_digest at its end; a file that cannot be read gets the error. */
static int ride_ready(struct seg_files *sf)
{
	while (sf->ride_i < sf->img->nsegs) {
		struct seg_digest *d = &sf->d[sf->ride_i];
		const char *path = sf->img->segs[sf->ride_i].path;
		ssize_t n;

		if (d->mask == 0) {
			sf->ride_i++;
			continue;
		}
		if (sf->ride_pos < sf->ride_len)
			return 1;
		if (sf->ride_fd < 0) {
			fg_error_clear(&d->e);
			sf->ride_fd = open(path, O_RDONLY | O_CLOEXEC);
			if (sf->ride_fd < 0) {
				d->rc = fg_error_set(&d->e, FG_EIO, errno,
						     "%s: cannot open: %s",
						     path, strerror(errno));
				ride_close(sf);
				continue;
			}
			d->rc = fg_hash_new(&sf->ride_h, FG_HASH_SHA256,
					    &d->e);
			if (d->rc != FG_OK) {
				ride_close(sf);
				continue;
			}
		}
		n = read(sf->ride_fd, sf->ride_buf, RIDE_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			d->rc = fg_error_set(&d->e, FG_EIO, errno,
					     "%s: read error at offset %llu: "
					     "%s",
					     path,
					     (unsigned long long)sf->ride_off,
					     strerror(errno));
			ride_close(sf);
			continue;
		}
		if (n == 0) {
			fg_hash_final(sf->ride_h, d->hx[2]);
			d->rc = FG_OK;
			ride_close(sf);
			continue;
		}
		sf->ride_len = (size_t)n;
		sf->ride_pos = 0;
		sf->ride_off += (uint64_t)n;
		return 1;
	}
	return 0;
}

int fg_verify_seg_files_riding(const struct plan *p)
{
	return p->segf != NULL && p->segf->ride;
}

/* The media's SHA-256, and the files' beside it while they last. */
int fg_verify_consume_media_riding(void *ctx, const struct fg_block *b,
				   struct fg_error *err)
{
	struct plan *p = ctx;
	struct seg_files *sf = p->segf;
	const unsigned char *data = b->data;
	size_t len = b->len;

	(void)err;
	while (len > 0 && ride_ready(sf)) {
		size_t k = sf->ride_len - sf->ride_pos;

		if (k > len)
			k = len;
		fg_hash_update_two(p->media[2], data, sf->ride_h,
				   sf->ride_buf + sf->ride_pos, k);
		sf->ride_pos += k;
		data += k;
		len -= k;
	}
	return fg_hash_update(p->media[2], data, len);
}

/* After the media pass: the rest of the files, alone.  An interrupt leaves
 * the files not yet finished with the reason. */
static void ride_finish(struct seg_files *sf)
{
	for (;;) {
		if (sf->stop != NULL && *sf->stop) {
			for (; sf->ride_i < sf->img->nsegs;) {
				struct seg_digest *d = &sf->d[sf->ride_i];
				if (d->mask != 0)
					d->rc = fg_error_set(
					    &d->e, FG_EINTR, 0,
					    "%s: hashing abandoned at "
					    "offset %llu",
					    sf->img->segs[sf->ride_i].path,
					    (unsigned long long)(sf->ride_off -
								 sf->ride_len +
								 sf->ride_pos));
				ride_close(sf);
			}
			return;
		}
		if (!ride_ready(sf))
			return;
		fg_hash_update(sf->ride_h, sf->ride_buf + sf->ride_pos,
			       sf->ride_len - sf->ride_pos);
		sf->ride_pos = sf->ride_len;
	}
}

static void *seg_files_main(void *arg)
{
	struct seg_files *sf = arg;
	size_t i;

	for (i = 0; i < sf->img->nsegs; i++)
		if (sf->d[i].mask != 0)
			hash_one_file(sf->img->segs[i].path,
				      sf->img->segs[i].size, sf->d[i].mask,
				      sf->stop, &sf->d[i]);
	return NULL;
}

static void *seg_files_thread(void *arg)
{
	fg_thread_give_way(); /* it runs beside the media pass */
	return seg_files_main(arg);
}

/* Plan the segment files; for an E01, start hashing them (if no thread
 * can be started, seg_files_join hashes them). */
void fg_verify_seg_files_start(struct plan *p)
{
	struct seg_files *sf;
	int ewf = p->img->kind == FG_CONTAINER_EWF;
	size_t i;

	if (!ewf && p->img->nsegs < 2)
		return; /* one raw file: its digests are the media's */
	index_files(p);
	sf = calloc(1, sizeof(*sf));
	if (sf == NULL ||
	    (sf->d = calloc(p->img->nsegs, sizeof(*sf->d))) == NULL) {
		free(sf);
		p->oom = 1;
		return;
	}
	sf->img = p->img;
	sf->stop = p->o->stop;
	sf->ride_fd = -1;
	p->segf = sf;
	if (!ewf)
		return;
	sf->ride = (p->media_mask & FG_HASH_SHA256) != 0;
	for (i = 0; i < p->img->nsegs && !stopping(p); i++) {
		sf->d[i].mask = seg_file_mask(p, &p->img->segs[i], 1);
		if (sf->d[i].mask & ~(unsigned)FG_HASH_SHA256)
			sf->ride = 0;
	}
	if (sf->ride && (sf->ride_buf = malloc(RIDE_BUF)) != NULL)
		return; /* run_stream's SHA-256 consumer reads them */
	sf->ride = 0;
	sf->started = pthread_create(&sf->th, NULL, seg_files_thread, sf) == 0;
	if (!sf->started)
		seg_files_main(sf);
}

static void seg_files_join(struct plan *p)
{
	if (p->segf != NULL && p->segf->started) {
		pthread_join(p->segf->th, NULL);
		p->segf->started = 0;
	}
}

void fg_verify_seg_files_free(struct plan *p)
{
	if (p->segf == NULL)
		return;
	seg_files_join(p);
	if (p->segf->ride_fd >= 0)
		close(p->segf->ride_fd);
	fg_hash_free(p->segf->ride_h);
	free(p->segf->ride_buf);
	free(p->segf->d);
	free(p->segf);
	p->segf = NULL;
}

/* Does the SHA-256 computed for segment i match all that is expected? */
static int seg_sha_holds(const struct plan *p, size_t i)
{
	const struct seg_digest *d = &p->segf->d[i];
	const size_t *idx = NULL;
	size_t k, n = seg_fx(p, &p->img->segs[i], &idx);

	if (d->rc != FG_OK || !(d->mask & FG_HASH_SHA256))
		return 0;
	for (k = 0; k < n; k++)
		if (p->fx[idx[k]].alg == FG_HASH_SHA256 &&
		    strcmp(p->fx[idx[k]].hex, d->hx[2]) != 0)
			return 0;
	return 1;
}

/* A split raw file settled by the media digests (see above)? */
static int raw_file_settled(const struct plan *p,
			    const struct fg_image_segment *s, unsigned want)
{
	const size_t *idx = NULL;
	unsigned i;
	size_t k, n = seg_fx(p, s, &idx);

	if (!record_agrees(p, s, 0))
		return 0;
	for (k = 0; k < n; k++)
		if (p->fx[idx[k]].alg == 0 && p->fx[idx[k]].size != s->size)
			return 0;
	for (i = 0; i < FG_NHASH; i++)
		if ((want & fg_hash_set[i]) && !record_agrees(p, s, fg_hash_set[i]))
			return 0;
	return 1;
}

void fg_verify_compare_seg_files(struct plan *p)
{
	const int ewf = p->img->kind == FG_CONTAINER_EWF;
	int media_ok;
	size_t i, k;

	if (p->segf == NULL)
		return;
	seg_files_join(p);
	if (p->segf->ride)
		ride_finish(p->segf);
	index_files(p);
	media_ok = !ewf && fg_verify_digests_settled(p, p->img->media_size);
	for (i = 0; i < p->img->nsegs && !stopping(p); i++) {
		const struct fg_image_segment *s = &p->img->segs[i];
		struct seg_digest *d = &p->segf->d[i];
		unsigned want = seg_file_mask(p, s, 0), settled = 0;
		const size_t *idx = NULL;
		const size_t nidx = seg_fx(p, s, &idx);
		const int is_short = !ewf && file_short(p, s);
		const char *why;
		char what[300];

		if (want == 0)
			continue;
		if (!ewf && media_ok && raw_file_settled(p, s, want)) {
			settled = want;
		} else if (!ewf) {
			hash_one_file(s->path, s->size, want, p->segf->stop,
				      d);
		} else if ((want & ~d->mask) == FG_HASH_MD5) {
			if (seg_sha_holds(p, i)) {
				settled = FG_HASH_MD5;
			} else {
				/* Something differs: the MD5 after all. */
				struct seg_digest m;
				memset(&m, 0, sizeof(m));
				hash_one_file(s->path, s->size, FG_HASH_MD5,
					      p->segf->stop, &m);
				memcpy(d->hx[0], m.hx[0], sizeof(d->hx[0]));
				if (m.rc != FG_OK && d->rc == FG_OK) {
					d->rc = m.rc;
					d->e = m.e;
				}
				d->mask |= FG_HASH_MD5;
			}
		}
		why = ewf ? "not recomputed: the SHA-256 of the same file "
			    "matches, and this is the MD5 the record holds "
			    "for it"
			  : "not recomputed: the media digests match, the "
			    "file has its recorded size, and this is the "
			    "digest the record holds for it";
		snprintf(what, sizeof(what), "file %s", fg_path_base(s->path));
		for (k = 0; k < nidx; k++) {
			const struct fexpect *f = &p->fx[idx[k]];
			const char *got;
			if (f->alg == 0)
				continue;
			got = d->hx[fg_hash_index(f->alg)];
			if (settled & f->alg)
				fg_verify_add_check(p, what, f->alg, f->hex,
						    why, f->source,
						    FG_CHECK_NOT_NEEDED);
			else if (d->rc != FG_OK)
				fg_verify_add_check(p, what, f->alg, f->hex,
						    d->e.msg, f->source,
						    FG_CHECK_UNVERIFIABLE);
			else
				fg_verify_add_check(
				    p, what, f->alg, f->hex, got, f->source,
				    (!ewf &&
				     (fg_verify_overlaps_unreadable(
					  p->it, s->media_start,
					  s->media_start + s->media_len) ||
				      is_short))
					? FG_CHECK_UNVERIFIABLE
				    : strcmp(got, f->hex) == 0
					? FG_CHECK_MATCH
					: FG_CHECK_MISMATCH);
		}
	}
}
