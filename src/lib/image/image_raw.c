/*
 * image_raw.c - raw images on the reading side: one file (or a block
 * device), or the files of a split raw set in order, read into the
 * pipeline.
 *
 * With FG_IMAGE_BYPASS_CACHE each file is fsynced and dropped from the page
 * cache when opened, and read through a second O_DIRECT descriptor where
 * the file system allows it; parts of a block that O_DIRECT cannot take
 * (unaligned, after an EINVAL) go through the ordinary descriptor, whose
 * pages were dropped.  A read error is narrowed down to 4096-byte units:
 * those that fail are handed on as zeros and reported with the file and
 * the offset; a file that ends early is reported the same way.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <forage/container.h>
#include <forage/pipeline.h>
#include <forage/reader.h>

#include "base/base_int.h"
#include "image/image_int.h"

#define RAW_BLOCK (1u << 20)
#define UNIT 4096u

/* Only the segment being read is open: a long split set never runs out
 * of descriptors. */
struct rawset {
	size_t cur;   /* segment fd/dfd belong to; nsegs: none */
	int fd;
	int dfd;      /* O_DIRECT, -1 when not available */
	int direct;   /* try O_DIRECT (FG_IMAGE_BYPASS_CACHE) */
};

static void rs_close(struct rawset *rs)
{
	if (rs->fd >= 0)
		close(rs->fd);
	if (rs->dfd >= 0)
		close(rs->dfd);
	rs->fd = rs->dfd = -1;
}

/* Open segment i for reading; -1 with errno when it cannot be. */
static int rs_open(struct fg_image *img, size_t i)
{
	struct rawset *rs = img->priv;

	if (rs->cur == i && rs->fd >= 0)
		return 0;
	rs_close(rs);
	rs->cur = i;
	rs->fd = open(img->segs[i].path, O_RDONLY | O_CLOEXEC);
	if (rs->fd < 0)
		return -1;
	if (rs->direct)
		rs->dfd = open(img->segs[i].path,
			       O_RDONLY | O_DIRECT | O_CLOEXEC);
	return 0;
}

static size_t raw_block_size(const struct fg_image *img)
{
	(void)img;
	return RAW_BLOCK;
}

static void raw_close(struct fg_image *img)
{
	struct rawset *rs = img->priv;

	if (rs == NULL)
		return;
	rs_close(rs);
	free(rs);
	img->priv = NULL;
}

/* An open damage range, reported when it stops growing. */
struct pending {
	struct fg_damage d;
	char detail[256];
	int open;
};

static void flush_pending(const struct fg_image_read_opts *o,
			  struct pending *p)
{
	if (!p->open)
		return;
	p->d.detail = p->detail;
	if (o->on_damage != NULL)
		o->on_damage(o->ctx, &p->d);
	p->open = 0;
}

static void note_unreadable(const struct fg_image_read_opts *o,
			    struct pending *p, const struct fg_image_segment *s,
			    uint64_t media_off, uint64_t file_off,
			    uint64_t len, const char *why)
{
	if (p->open && p->d.file == s->path &&
	    p->d.offset + p->d.length == media_off &&
	    strcmp(p->detail, why) == 0) {
		p->d.length += len;
		p->d.file_length += len;
		return;
	}
	flush_pending(o, p);
	memset(&p->d, 0, sizeof(p->d));
	p->d.kind = FG_DAMAGE_UNREADABLE;
	p->d.offset = media_off;
	p->d.length = len;
	p->d.file = s->path;
	p->d.file_offset = file_off;
	p->d.file_length = len;
	p->d.has_file_offset = 1;
	p->d.zero_filled = 1;
	snprintf(p->detail, sizeof(p->detail), "%s", why);
	p->open = 1;
}

/* Read n bytes of segment i at file offset in into dst, all of them:
 * unreadable units become zeros and damage. */
static void read_part(struct fg_image *img, size_t i, unsigned char *dst,
		      size_t n, uint64_t in, const struct fg_image_read_opts *o,
		      struct pending *pend, struct fg_image_read_stats *st)
{
	struct rawset *rs = img->priv;
	const struct fg_image_segment *s = &img->segs[i];
	size_t done = 0;
	ssize_t got = -1;

	if (rs_open(img, i) != 0) {
		char why[160];
		snprintf(why, sizeof(why), "cannot open: %s", strerror(errno));
		memset(dst, 0, n);
		st->unreadable_bytes += n;
		note_unreadable(o, pend, s, s->media_start + in, in, n, why);
		return;
	}
	if (rs->dfd >= 0 && ((uintptr_t)dst % UNIT) == 0 && in % UNIT == 0) {
		size_t want = (n + UNIT - 1) / UNIT * UNIT;
		got = fg_fd_pread_full(rs->dfd, dst, want, in);
		if (got < 0 && errno == EINVAL) {
			/* This file system refuses O_DIRECT here. */
			close(rs->dfd);
			rs->dfd = -1;
		} else if (got >= (ssize_t)n) {
			return;
		} else if (got > 0) {
			done = (size_t)got / UNIT * UNIT;
		}
	}
	if (done < n) {
		got = fg_fd_pread_full(rs->fd, dst + done, n - done,
				       in + done);
		if (got == (ssize_t)(n - done))
			return;
		if (got > 0)
			done += (size_t)got / UNIT * UNIT;
	}
	/* Narrow the trouble down to units. */
	while (done < n) {
		size_t u = n - done < UNIT ? n - done : UNIT;
		char why[160];

		got = fg_fd_pread_full(rs->fd, dst + done, u, in + done);
		if (got == (ssize_t)u) {
			done += u;
			continue;
		}
		if (got < 0)
			snprintf(why, sizeof(why), "read error: %s",
				 strerror(errno));
		else
			snprintf(why, sizeof(why),
				 "the file ends early (%llu bytes when "
				 "opened)",
				 (unsigned long long)s->size);
		memset(dst + done, 0, u);
		st->unreadable_bytes += u;
		note_unreadable(o, pend, s, s->media_start + in + done,
				in + done, u, why);
		done += u;
	}
}

static int raw_stream(struct fg_image *img, struct fg_pipe *pipe,
		      const struct fg_image_read_opts *o,
		      struct fg_image_read_stats *st, struct fg_error *err)
{
	const size_t bs = fg_pipe_block_size(pipe);
	struct pending pend;
	struct fg_progress pr;
	double t0 = fg_now_seconds(), last = 0;
	uint64_t off = 0;
	size_t seg = 0;
	int rc = FG_OK;

	memset(&pend, 0, sizeof(pend));
	memset(&pr, 0, sizeof(pr));
	pr.total = img->media_size;
	if (bs % UNIT != 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "raw image: block size %zu is not a "
				    "multiple of %u",
				    bs, UNIT);
	while (off < img->media_size) {
		size_t want = img->media_size - off < bs
				      ? (size_t)(img->media_size - off)
				      : bs;
		size_t filled = 0;
		struct fg_block *b;

		if (o->stop != NULL && *o->stop) {
			rc = fg_error_set(err, FG_EINTR, EINTR,
					  "interrupted at media offset %llu",
					  (unsigned long long)off);
			break;
		}
		b = fg_pipe_get(pipe);
		if (b == NULL) {
			rc = fg_error_set(err, FG_EIO, 0,
					  "a digest of the verification "
					  "failed");
			break;
		}
		while (filled < want) {
			const struct fg_image_segment *s = &img->segs[seg];
			uint64_t pos = off + filled;
			uint64_t left;
			size_t n;

			if (pos - s->media_start >= s->media_len) {
				seg++;
				continue;
			}
			left = s->media_len - (pos - s->media_start);
			n = want - filled < left ? want - filled : (size_t)left;
			read_part(img, seg, b->data + filled, n,
				  pos - s->media_start, o, &pend, st);
			filled += n;
		}
		b->offset = off;
		b->len = want;
		fg_pipe_put(pipe, b);
		off += want;
		st->bytes = off;
		fg_progress_tick(o->on_progress, o->ctx, &pr, t0, &last, off,
				 0);
	}
	flush_pending(o, &pend);
	fg_progress_tick(o->on_progress, o->ctx, &pr, t0, &last, off, 1);
	return rc;
}

static const struct fg_image_ops raw_ops = {
	.kind = "raw",
	.block_size = raw_block_size,
	.stream = raw_stream,
	.close = raw_close,
};

int fg_image_open_rawset(struct fg_image **out, const char *const *paths,
			 size_t n, int kind, unsigned flags,
			 struct fg_error *err)
{
	struct fg_image *img;
	struct rawset *rs;
	uint64_t total = 0;
	int direct_all = 1, in_memory = 0;
	size_t i;
	int rc = FG_OK;

	*out = NULL;
	if (n == 0)
		return fg_error_set(err, FG_EINVAL, 0, "no raw image files");
	img = fg_image_alloc(&raw_ops, kind);
	rs = calloc(1, sizeof(*rs));
	if (img == NULL || rs == NULL) {
		free(rs);
		fg_image_close(img);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	img->priv = rs;
	rs->fd = rs->dfd = -1;
	rs->cur = n;
	rs->direct = (flags & FG_IMAGE_BYPASS_CACHE) != 0;
	img->format = strdup(kind == FG_CONTAINER_SPLIT_RAW ? "split raw"
							    : "raw");
	if (img->format == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct stat st;
		uint64_t size = 0;
		int fd;

		if (fg_image_add_segment(img, paths[i], 0) != FG_OK) {
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
			goto out;
		}
		fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			rc = fg_error_set(err, FG_ESOURCE, errno,
					  "%s: cannot open: %s", paths[i],
					  strerror(errno));
			goto out;
		}
		if (fstat(fd, &st) != 0) {
			rc = fg_error_set(err, FG_ESOURCE, errno,
					  "%s: cannot stat: %s", paths[i],
					  strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = fg_error_set(err, FG_ESOURCE, EISDIR,
					  "%s: is a directory, not evidence",
					  paths[i]);
		} else if (S_ISBLK(st.st_mode)) {
			if (ioctl(fd, BLKGETSIZE64, &size) != 0)
				rc = fg_error_set(err, FG_ESOURCE, errno,
						  "%s: cannot get the device "
						  "size: %s",
						  paths[i], strerror(errno));
		} else if (S_ISREG(st.st_mode)) {
			size = (uint64_t)st.st_size;
		} else {
			rc = fg_error_set(err, FG_ESOURCE, 0,
					  "%s: not a regular file or block "
					  "device",
					  paths[i]);
		}
		if (rc == FG_OK && (flags & FG_IMAGE_BYPASS_CACHE)) {
			struct statfs sf;
			int dfd;

			if (fstatfs(fd, &sf) == 0 &&
			    (sf.f_type == TMPFS_MAGIC ||
			     sf.f_type == RAMFS_MAGIC))
				in_memory = 1;
			fg_fd_drop_cache(fd);
			dfd = open(paths[i], O_RDONLY | O_DIRECT | O_CLOEXEC);
			if (dfd < 0)
				direct_all = 0;
			else
				close(dfd);
		}
		close(fd);
		if (rc != FG_OK)
			goto out;
		img->segs[i].size = size;
		img->segs[i].media_start = total;
		img->segs[i].media_len = size;
		total += size;
	}
	/* Every segment but the last holds as much as the first. */
	for (i = 1; i + 1 < n; i++)
		if (img->segs[i].size != img->segs[0].size) {
			char *t = fg_strdup_printf(
				"%s: %llu bytes, but the first segment has "
				"%llu: a split raw set has segments of one "
				"size (only the last may be smaller)",
				paths[i],
				(unsigned long long)img->segs[i].size,
				(unsigned long long)img->segs[0].size);
			if (t == NULL ||
			    fg_image_add_problem(img, paths[i], 0, t) != FG_OK) {
				free(t);
				rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
						  "out of memory");
				goto out;
			}
			free(t);
		}
	img->media_size = total;
	if (flags & FG_IMAGE_BYPASS_CACHE)
		img->cache_bypass =
			in_memory ? "none possible (the files are on tmpfs, "
				    "in memory)"
			: direct_all
				? "O_DIRECT reads after fsync and "
				  "posix_fadvise(DONTNEED)"
				: "fsync and posix_fadvise(DONTNEED) before "
				  "reading";
out:
	if (rc != FG_OK) {
		fg_image_close(img);
		return rc;
	}
	*out = img;
	return FG_OK;
}
