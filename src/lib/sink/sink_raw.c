/*
 * sink_raw.c - raw evidence: OUTBASE.raw, or OUTBASE.001, .002 ... of at
 * most segment_size bytes each.
 *
 * Each file is written as NAME.incomplete (created O_EXCL) and renamed to
 * NAME without replacing at finish, so an unfinished run never leaves a
 * file that passes for evidence.  Writes may come at any offset (the
 * failing-drive passes fill holes later).  Per-file digests: one file ->
 * the media digests; several -> computed on the fly while writes come in
 * order (by two pipeline consumers when the caller takes them, see
 * raw_digest_consumers, the MD5 one with the media's MD5 in the same pass;
 * taken from a first copy cut the same, see raw_share_digests; else as
 * raw_write writes), else by re-reading the finished files.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/sink.h>

#include "base/base_int.h"
#include "sink/sink_int.h"

#define DIRECT_ALIGN 4096

struct seg {
	char *final;
	char *work;
	int fd;
	int dfd; /* O_DIRECT descriptor of the same file, -1 if refused */
	uint64_t start, len;
	struct fg_hash *md5, *sha256;
};

struct raw_priv;

/* One per-file digest computed by a pipeline consumer beside the writes
 * (raw_digest_consumers): the MD5 or the SHA-256 of every segment. */
struct seg_digester {
	struct raw_priv *rp;
	unsigned alg;
	struct fg_hash *media; /* the media's MD5 as well, or NULL */
	uint64_t next; /* media offset expected next */
	int broken;    /* a block came out of order: re-read at finish */
};

struct raw_priv {
	struct seg *segs;
	size_t nsegs;
	uint64_t media_size;
	uint64_t next_inorder; /* media offset expected next if in order */
	int in_order;          /* every write so far came in order */
	int ext_digests;       /* the digesters hash, not raw_write */
	struct seg_digester dig[2];
	/* A second copy: the per-file digests are those of this sink, fed
	 * the same writes and finished first (raw_share_digests). */
	const struct fg_sink *from;
};

static void seg_close(struct seg *g)
{
	if (g->dfd >= 0)
		close(g->dfd);
	g->dfd = -1;
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
}

static void raw_free_priv(struct fg_sink *s)
{
	struct raw_priv *rp = s->priv;
	size_t i;

	if (rp == NULL)
		return;
	for (i = 0; i < rp->nsegs; i++) {
		seg_close(&rp->segs[i]);
		free(rp->segs[i].final);
		free(rp->segs[i].work);
		fg_hash_free(rp->segs[i].md5);
		fg_hash_free(rp->segs[i].sha256);
	}
	free(rp->segs);
	free(rp);
	s->priv = NULL;
}

/* Names, sizes and digests of the segments; nothing on disk yet. */
static int raw_setup(struct fg_sink *s, const struct fg_sink_params *p)
{
	struct raw_priv *rp;
	uint64_t segsize = p->segment_size;
	size_t i, n;

	if (segsize != 0 && segsize % p->sector_size != 0)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "segment size %llu is not a multiple of "
				    "the sector size %u",
				    (unsigned long long)segsize,
				    p->sector_size);
	n = 1;
	if (segsize != 0 && p->media_size > segsize)
		n = (size_t)((p->media_size + segsize - 1) / segsize);
	if (segsize != 0 && n > 999)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "segment size %llu gives %zu segments; "
				    "raw split names stop at .999",
				    (unsigned long long)segsize, n);
	rp = calloc(1, sizeof(*rp));
	if (rp == NULL)
		return fg_error_set(&s->err, FG_ENOMEM, ENOMEM, "out of memory");
	s->priv = rp;
	s->random_access = 1;
	rp->segs = calloc(n, sizeof(*rp->segs));
	if (rp->segs == NULL)
		return fg_error_set(&s->err, FG_ENOMEM, ENOMEM, "out of memory");
	rp->nsegs = n;
	rp->media_size = p->media_size;
	rp->in_order = 1;
	for (i = 0; i < n; i++) {
		struct seg *g = &rp->segs[i];
		g->fd = -1;
		g->dfd = -1;
		g->final = segsize == 0
				   ? fg_strdup_printf("%s.raw", p->outbase)
				   : fg_strdup_printf("%s.%03zu", p->outbase,
						      i + 1);
		g->work = g->final != NULL
				  ? fg_strdup_printf("%s.incomplete", g->final)
				  : NULL;
		if (g->work == NULL)
			return fg_error_set(&s->err, FG_ENOMEM, ENOMEM,
					    "out of memory");
		g->start = segsize == 0 ? 0 : (uint64_t)i * segsize;
		g->len = segsize == 0 ? p->media_size
				      : (p->media_size - g->start < segsize
						 ? p->media_size - g->start
						 : segsize);
		if (n > 1 && (fg_hash_new(&g->md5, FG_HASH_MD5, &s->err) ||
			      fg_hash_new(&g->sha256, FG_HASH_SHA256,
					  &s->err)))
			return s->err.code;
	}
	return FG_OK;
}

static int is_symlink(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* The O_DIRECT descriptor of the file g->fd has open, or -1 (buffered
 * writes then).  The name is opened again, so it must still be that
 * file: never through a symbolic link put there since, and the same
 * device and inode as g->fd. */
static int open_direct(const struct seg *g)
{
	struct stat a, b;
	int dfd = open(g->work, O_WRONLY | O_DIRECT | O_CLOEXEC | O_NOFOLLOW);

	if (dfd < 0)
		return -1;
	if (fstat(g->fd, &a) != 0 || fstat(dfd, &b) != 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		close(dfd);
		return -1;
	}
	return dfd;
}

static int raw_open(struct fg_sink *s, const struct fg_sink_params *p)
{
	struct raw_priv *rp;
	size_t i, n;
	int rc = raw_setup(s, p);

	if (rc != FG_OK)
		return rc;
	rp = s->priv;
	n = rp->nsegs;
	/* Refuse before creating anything. */
	for (i = 0; i < n; i++) {
		/* lstat: a symbolic link, dangling or not, is taken too. */
		if (is_symlink(rp->segs[i].final) ||
		    is_symlink(rp->segs[i].work))
			return fg_error_set(&s->err, FG_EEXIST, EEXIST,
					    "%s: is a symbolic link; forage "
					    "never writes an output through "
					    "one (move it away)",
					    is_symlink(rp->segs[i].final)
						    ? rp->segs[i].final
						    : rp->segs[i].work);
		if (fg_path_taken(rp->segs[i].final))
			return fg_error_set(&s->err, FG_EEXIST, EEXIST,
					    "%s: exists already; forage never "
					    "overwrites evidence",
					    rp->segs[i].final);
		if (fg_path_taken(rp->segs[i].work))
			return fg_error_set(&s->err, FG_EEXIST, EEXIST,
					    "%s: an unfinished earlier run "
					    "left this; resume it or move it "
					    "away",
					    rp->segs[i].work);
	}
	for (i = 0; i < n; i++) {
		struct seg *g = &rp->segs[i];
		g->fd = open(g->work,
			     O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (g->fd < 0) {
			int e = errno;
			rc = fg_error_set(
				&s->err, e == EEXIST ? FG_EEXIST : FG_EOUTPUT,
				e, "%s: cannot create: %s", g->work,
				strerror(e));
			/* Remove what this call created; nothing else. */
			while (i-- > 0) {
				seg_close(&rp->segs[i]);
				unlink(rp->segs[i].work);
			}
			return rc;
		}
		/* Aligned blocks go to the disk directly: no copy into the
		 * page cache, no cache pollution, and the data is on the
		 * device when fsync returns.  File systems that refuse
		 * O_DIRECT (tmpfs) get buffered writes. */
		g->dfd = open_direct(g);
	}
	return FG_OK;
}

/* --resume: the .incomplete files of the interrupted run, as they are. */
static int raw_reopen(struct fg_sink *s, const struct fg_sink_params *p)
{
	struct raw_priv *rp;
	struct stat st;
	size_t i;
	int rc = raw_setup(s, p);

	if (rc != FG_OK)
		return rc;
	rp = s->priv;
	rp->in_order = 0;
	for (i = 0; i < rp->nsegs; i++) {
		struct seg *g = &rp->segs[i];
		if (fg_path_taken(g->final))
			return fg_error_set(&s->err, FG_EEXIST, EEXIST,
					    "%s: exists already: that run "
					    "finished; nothing to resume",
					    g->final);
		g->fd = open(g->work, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (g->fd < 0)
			return fg_error_set(&s->err, FG_EOUTPUT, errno,
					    "%s: cannot resume: %s", g->work,
					    strerror(errno));
		if (fstat(g->fd, &st) != 0 || !S_ISREG(st.st_mode) ||
		    (uint64_t)st.st_size > g->len)
			return fg_error_set(&s->err, FG_EOUTPUT, 0,
					    "%s: cannot resume: not a regular "
					    "file of at most %llu bytes; was "
					    "it made with other options?",
					    g->work,
					    (unsigned long long)g->len);
		g->dfd = open_direct(g);
	}
	return FG_OK;
}

/* The segment holding media offset off. */
static struct seg *seg_at(struct raw_priv *rp, uint64_t off)
{
	size_t i = rp->nsegs > 1 ? (size_t)(off / rp->segs[0].len) : 0;

	return &rp->segs[i];
}

static int raw_read(struct fg_sink *s, void *buf, size_t len, uint64_t off)
{
	struct raw_priv *rp = s->priv;
	unsigned char *p = buf;

	if (off > rp->media_size || len > rp->media_size - off)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "raw sink: read past the media end");
	while (len > 0) {
		struct seg *g = seg_at(rp, off);
		uint64_t in_seg = off - g->start;
		size_t n = len;
		ssize_t got;

		if (n > g->len - in_seg)
			n = (size_t)(g->len - in_seg);
		got = fg_fd_pread_full(g->fd, p, n, in_seg);
		if (got != (ssize_t)n)
			return fg_error_set(&s->err, FG_EOUTPUT,
					    got < 0 ? errno : 0,
					    "%s: cannot read back %zu bytes "
					    "at offset %llu: %s",
					    g->work, n,
					    (unsigned long long)in_seg,
					    got < 0 ? strerror(errno)
						    : "the file is shorter");
		p += n;
		off += n;
		len -= n;
	}
	return FG_OK;
}

static int raw_sync(struct fg_sink *s)
{
	struct raw_priv *rp = s->priv;
	size_t i;

	for (i = 0; i < rp->nsegs; i++) {
		if (rp->segs[i].fd >= 0 && fsync(rp->segs[i].fd) != 0) {
			int e = errno;
			return fg_error_set(&s->err,
					    fg_status_for_write_errno(e), e,
					    "%s: cannot sync: %s",
					    rp->segs[i].work, strerror(e));
		}
	}
	return FG_OK;
}

/* O_DIRECT when buffer, offset and length allow it, else buffered. */
static int write_at(struct seg *g, const void *p, size_t n, uint64_t off)
{
	if (g->dfd >= 0 && ((uintptr_t)p % DIRECT_ALIGN) == 0 &&
	    off % DIRECT_ALIGN == 0 && n % DIRECT_ALIGN == 0) {
		if (fg_fd_pwrite_full(g->dfd, p, n, off) == 0)
			return 0;
		if (errno != EINVAL)
			return -1;
		/* Refused after all: buffered from now on. */
		close(g->dfd);
		g->dfd = -1;
	}
	return fg_fd_pwrite_full(g->fd, p, n, off);
}

static int raw_write(struct fg_sink *s, const void *buf, size_t len,
		     uint64_t off)
{
	struct raw_priv *rp = s->priv;
	const unsigned char *p = buf;

	if (off + len > rp->media_size)
		return fg_error_set(&s->err, FG_EINVAL, 0,
				    "raw sink: write past the media end");
	if (off != rp->next_inorder)
		rp->in_order = 0;
	rp->next_inorder = off + len;
	while (len > 0) {
		size_t i = 0;
		struct seg *g;
		uint64_t in_seg;
		size_t n;

		if (rp->nsegs > 1)
			i = (size_t)(off / rp->segs[0].len);
		g = &rp->segs[i];
		in_seg = off - g->start;
		n = len;
		if (n > g->len - in_seg)
			n = (size_t)(g->len - in_seg);
		if (write_at(g, p, n, in_seg) != 0) {
			int e = errno;
			if (fg_status_for_write_errno(e) == FG_ENOSPC)
				return fg_error_set(
				    &s->err, FG_ENOSPC, e,
				    "%s: destination full (%s at offset "
				    "%llu)",
				    g->work, e == ENOSPC ? "ENOSPC" : "EDQUOT",
				    (unsigned long long)in_seg);
			return fg_error_set(&s->err,
					    fg_status_for_write_errno(e), e,
					    "%s: write error at offset %llu: %s",
					    g->work, (unsigned long long)in_seg,
					    strerror(e));
		}
		if (rp->in_order && g->md5 != NULL && !rp->ext_digests) {
			fg_hash_update(g->md5, p, n);
			fg_hash_update(g->sha256, p, n);
		}
		p += n;
		off += n;
		len -= n;
	}
	return FG_OK;
}

/* Whether the sink this one shares its digests with (a first copy, cut
 * the same) computed them from the very blocks both were written, in
 * order, and this one got them in order too: then they are this one's. */
static int digests_shared(const struct raw_priv *rp)
{
	const struct raw_priv *fp = rp->from->priv;

	return rp->in_order && fp->in_order && fp->ext_digests &&
	       fp->from == NULL && !fp->dig[0].broken && !fp->dig[1].broken &&
	       rp->from->nfiles == rp->nsegs;
}

static int raw_finish(struct fg_sink *s, const struct fg_media_hashes *h)
{
	struct raw_priv *rp = s->priv;
	size_t i;
	int e;

	for (i = 0; i < rp->nsegs; i++) {
		struct seg *g = &rp->segs[i];
		/* A run that wrote nothing past a point still has the size
		 * it promises. */
		/* Evidence is read-only once complete. */
		if (ftruncate(g->fd, (off_t)g->len) != 0 ||
		    fchmod(g->fd, 0444) != 0 || fsync(g->fd) != 0 ||
		    close(g->fd) != 0) {
			e = errno;
			g->fd = -1;
			return fg_error_set(&s->err,
					    fg_status_for_write_errno(e), e,
					    "%s: cannot finish writing: %s",
					    g->work, strerror(e));
		}
		g->fd = -1;
	}
	for (i = 0; i < rp->nsegs; i++) {
		struct seg *g = &rp->segs[i];
		struct fg_outfile *f;

		if (fg_rename_noreplace(g->work, g->final) != 0) {
			e = errno;
			return fg_error_set(&s->err, e == EEXIST ? FG_EEXIST
								 : FG_EOUTPUT,
					    e, "%s: cannot rename to %s: %s",
					    g->work, g->final, strerror(e));
		}
		if (fg_sink_add_file(s, g->final) != FG_OK)
			return fg_error_set(&s->err, FG_ENOMEM, ENOMEM,
					    "out of memory");
		f = &s->files[s->nfiles - 1];
		f->size = g->len;
		if (rp->nsegs == 1) {
			memcpy(f->md5, h->md5, sizeof(f->md5));
			memcpy(f->sha256, h->sha256, sizeof(f->sha256));
		} else if (rp->from != NULL && digests_shared(rp)) {
			memcpy(f->md5, rp->from->files[i].md5, sizeof(f->md5));
			memcpy(f->sha256, rp->from->files[i].sha256,
			       sizeof(f->sha256));
		} else if (rp->from == NULL && rp->in_order &&
			   (!rp->ext_digests ||
			    (!rp->dig[0].broken && !rp->dig[1].broken))) {
			fg_hash_final(g->md5, f->md5);
			fg_hash_final(g->sha256, f->sha256);
		} else {
			char hx[FG_NHASH][FG_HASH_HEX_MAX];
			int rc = fg_hash_file(g->final,
					      FG_HASH_MD5 | FG_HASH_SHA256, hx,
					      NULL, &s->err);
			if (rc != FG_OK)
				return rc;
			memcpy(f->md5, hx[0], sizeof(f->md5));
			memcpy(f->sha256, hx[2], sizeof(f->sha256));
		}
	}
	if (rp->nsegs > 0)
		fg_fsync_parent(rp->segs[0].final);
	return FG_OK;
}

/* The blocks in media order into the digests of the segments they fall
 * in; any other order breaks the digester (the files are read again at
 * finish, as when writes come out of order).  The MD5 digester may also
 * carry the media's MD5 (media != NULL): fed the blocks in order, as its
 * own consumer would be, in one pass with the files' MD5 (md5.c). */
static int consume_seg_digest(void *ctx, const struct fg_block *b,
			      struct fg_error *err)
{
	struct seg_digester *d = ctx;
	struct raw_priv *rp = d->rp;
	const unsigned char *p = b->data;
	uint64_t off = b->offset;
	size_t len = b->len;

	(void)err;
	if (d->broken || off != d->next || off + len > rp->media_size) {
		d->broken = 1;
		/* The media's MD5 goes on with the blocks in order. */
		return d->media != NULL && !b->out_of_order
			   ? fg_hash_update(d->media, p, len)
			   : FG_OK;
	}
	d->next = off + len;
	while (len > 0) {
		struct seg *g = &rp->segs[off / rp->segs[0].len];
		struct fg_hash *h = d->alg == FG_HASH_MD5 ? g->md5 : g->sha256;
		size_t n = len;
		int rc;

		if (n > g->start + g->len - off)
			n = (size_t)(g->start + g->len - off);
		rc = d->media != NULL ? fg_hash_update_two(d->media, p, h, p, n)
				      : fg_hash_update(h, p, n);
		if (rc != FG_OK)
			return rc;
		p += n;
		off += n;
		len -= n;
	}
	return FG_OK;
}

/* A split image's per-file MD5 and SHA-256 on two threads of their own,
 * rather than on the writer's; with media_md5, the files' MD5 thread
 * computes the media's MD5 too, two digests in one pass at about 1.75
 * times one digest's rate, and is the run's critical MD5 stream. */
static size_t raw_digest_consumers(struct fg_sink *s, struct fg_consumer *c,
				   size_t max, struct fg_hash *media_md5,
				   int *took)
{
	struct raw_priv *rp = s->priv;
	size_t k;

	if (rp->nsegs < 2 || max < 2 || rp->ext_digests)
		return 0;
	rp->ext_digests = 1;
	memset(c, 0, 2 * sizeof(*c));
	for (k = 0; k < 2; k++) {
		rp->dig[k].rp = rp;
		rp->dig[k].alg = k == 0 ? FG_HASH_MD5 : FG_HASH_SHA256;
		rp->dig[k].media = k == 0 ? media_md5 : NULL;
		rp->dig[k].next = 0;
		rp->dig[k].broken = 0;
		c[k].name = k == 1 ? "sha256 of the files"
			    : media_md5 != NULL
				? "md5 of the media and the files"
				: "md5 of the files";
		c[k].consume = consume_seg_digest;
		c[k].ctx = &rp->dig[k];
		c[k].critical = k == 0 && media_md5 != NULL;
	}
	if (took != NULL)
		*took = media_md5 != NULL;
	return 2;
}

/* A second copy cut the same as the first (from, whose digest consumers
 * are in the pipeline and whose finish comes first) takes the first's
 * per-file digests instead of hashing the same bytes again. */
static int raw_share_digests(struct fg_sink *s, const struct fg_sink *from)
{
	struct raw_priv *rp = s->priv;
	const struct raw_priv *fp = from->priv;
	size_t i;

	if (from->ops != s->ops || rp->nsegs < 2 || rp->nsegs != fp->nsegs ||
	    !fp->ext_digests || fp->from != NULL || rp->ext_digests)
		return FG_EINVAL;
	for (i = 0; i < rp->nsegs; i++)
		if (rp->segs[i].start != fp->segs[i].start ||
		    rp->segs[i].len != fp->segs[i].len)
			return FG_EINVAL;
	rp->ext_digests = 1; /* raw_write hashes nothing */
	rp->from = from;
	return FG_OK;
}

static void raw_abort(struct fg_sink *s)
{
	struct raw_priv *rp = s->priv;
	size_t i;

	if (rp == NULL)
		return;
	for (i = 0; i < rp->nsegs; i++) {
		if (rp->segs[i].fd >= 0)
			fsync(rp->segs[i].fd);
		seg_close(&rp->segs[i]);
	}
}

const struct fg_sink_ops fg_sink_raw_ops = {
	.format = "raw",
	.flags = 0,
	.open = raw_open,
	.write = raw_write,
	.mark_bad = NULL,
	.finish = raw_finish,
	.abort = raw_abort,
	.free_priv = raw_free_priv,
	.reopen = raw_reopen,
	.read = raw_read,
	.sync = raw_sync,
	.digest_consumers = raw_digest_consumers,
	.share_digests = raw_share_digests,
};

int fg_sink_new_raw(struct fg_sink **out, struct fg_error *err)
{
	*out = fg_sink_alloc(&fg_sink_raw_ops);
	if (*out == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	return FG_OK;
}
