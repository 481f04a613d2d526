/*
 * source.c - the source table's common part and the regular-file source.
 * Block devices live in source_dev.c.
 *
 * Every source is opened O_RDONLY | O_CLOEXEC; there is no code path in
 * forage that opens a source for writing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/health.h>
#include <forage/magic.h>
#include <forage/record.h>
#include <forage/source.h>

#include "base/base_int.h"
#include "source/source_int.h"

struct file_priv {
	int fd;
	int dfd; /* O_DIRECT descriptor, opened on first use; -1 if none */
};

int fg_source_set_range(struct fg_source *src, uint64_t offset,
			uint64_t length, struct fg_error *err)
{
	if (offset > src->total_size)
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: offset %llu is past the end "
				    "(size %llu bytes)",
				    src->path, (unsigned long long)offset,
				    (unsigned long long)src->total_size);
	if (length == 0)
		length = src->total_size - offset;
	if (length > src->total_size - offset)
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: offset %llu + length %llu is past "
				    "the end (size %llu bytes)",
				    src->path, (unsigned long long)offset,
				    (unsigned long long)length,
				    (unsigned long long)src->total_size);
	src->offset = offset;
	src->size = length;
	return FG_OK;
}

ssize_t fg_source_pread(struct fg_source *src, void *buf, size_t len,
			uint64_t off)
{
	if (off >= src->size)
		return 0;
	if (len > src->size - off)
		len = (size_t)(src->size - off);
	return src->ops->pread(src, buf, len, off);
}

ssize_t fg_source_pread_direct(struct fg_source *src, void *buf, size_t len,
			       uint64_t off)
{
	if (off >= src->size)
		return 0;
	if (len > src->size - off)
		len = (size_t)(src->size - off);
	if (src->ops->pread_direct != NULL)
		return src->ops->pread_direct(src, buf, len, off);
	return src->ops->pread(src, buf, len, off);
}

int fg_source_describe(struct fg_source *src, struct fg_record *rec)
{
	int rc = FG_OK;

	rc |= fg_record_set_str(rec, "source.path", src->path);
	rc |= fg_record_set_str(rec, "source.kind", src->ops->kind);
	rc |= fg_record_set_int(rec, "source.total_size", (int64_t)src->total_size);
	rc |= fg_record_set_int(rec, "source.offset", (int64_t)src->offset);
	rc |= fg_record_set_int(rec, "source.size", (int64_t)src->size);
	rc |= fg_record_set_int(rec, "source.logical_sector_size",
				src->sector_size);
	rc |= fg_record_set_int(rec, "source.physical_sector_size",
				src->physical_sector_size);
	if (rc != FG_OK)
		return FG_ENOMEM;
	if (src->ops->describe != NULL &&
	    src->ops->describe(src, rec) != FG_OK)
		return FG_ENOMEM;
	/* What the first sectors hold (libmagic), read read-only. */
	return fg_magic_describe_source(src, rec);
}

int fg_source_health(struct fg_source *src, struct fg_record *rec,
		     const char *when)
{
	char why[160];

	if (src->ops->health != NULL)
		return src->ops->health(src, rec, when);
	snprintf(why, sizeof(why), "the source is a %s, not a drive: it has "
		 "no SMART data", src->ops->kind);
	return fg_health_none(rec, when, why);
}

void fg_source_close(struct fg_source *src)
{
	if (src == NULL)
		return;
	if (src->ops != NULL && src->ops->close != NULL)
		src->ops->close(src);
	free(src->path);
	free(src);
}

/* ---- Regular files ------------------------------------------------------ */

static ssize_t file_pread(struct fg_source *src, void *buf, size_t len,
			  uint64_t off)
{
	struct file_priv *fp = src->priv;

	return fg_fd_pread_full(fp->fd, buf, len, src->offset + off);
}

static void file_close(struct fg_source *src)
{
	struct file_priv *fp = src->priv;

	if (fp == NULL)
		return;
	if (fp->fd >= 0)
		close(fp->fd);
	if (fp->dfd >= 0)
		close(fp->dfd);
	free(fp);
	src->priv = NULL;
}

static int file_describe(struct fg_source *src, struct fg_record *rec)
{
	struct file_priv *fp = src->priv;
	struct stat st;

	if (fstat(fp->fd, &st) == 0) {
		fg_record_set_int(rec, "source.inode", (int64_t)st.st_ino);
		fg_record_set_int(rec, "source.device_number",
				  (int64_t)st.st_dev);
	}
	return FG_OK;
}

static const struct fg_source_ops file_ops = {
	.kind = "file",
	.pread = file_pread,
	.pread_direct = NULL,
	.describe = file_describe,
	.close = file_close,
};

int fg_source_open_file(struct fg_source **out, const char *path,
			uint64_t offset, uint64_t length, struct fg_error *err)
{
	struct fg_source *src = NULL;
	struct file_priv *fp = NULL;
	struct stat st;
	int fd = -1, rc;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		rc = fg_error_set(err, FG_ESOURCE, errno,
				  "%s: cannot open source: %s", path,
				  strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) != 0) {
		rc = fg_error_set(err, FG_ESOURCE, errno, "%s: cannot stat: %s",
				  path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = fg_error_set(err, FG_ESOURCE, 0,
				  "%s: not a regular file or block device",
				  path);
		goto fail;
	}
	src = calloc(1, sizeof(*src));
	fp = calloc(1, sizeof(*fp));
	if (src == NULL || fp == NULL || (src->path = strdup(path)) == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto fail;
	}
	fp->fd = fd;
	fp->dfd = -1;
	fd = -1;
	src->ops = &file_ops;
	src->priv = fp;
	fp = NULL;
	src->total_size = (uint64_t)st.st_size;
	src->sector_size = 512;
	src->physical_sector_size = 512;
	rc = fg_source_set_range(src, offset, length, err);
	if (rc != FG_OK)
		goto fail;
	*out = src;
	return FG_OK;
fail:
	if (fd >= 0)
		close(fd);
	free(fp);
	fg_source_close(src);
	return rc;
}

int fg_source_open(struct fg_source **out, const char *path, uint64_t offset,
		   uint64_t length, struct fg_error *err)
{
	struct stat st;

	*out = NULL;
	if (stat(path, &st) != 0)
		return fg_error_set(err, FG_ESOURCE, errno,
				    "%s: cannot open source: %s", path,
				    strerror(errno));
	if (S_ISBLK(st.st_mode))
		return fg_source_open_device(out, path, offset, length, err);
	if (S_ISDIR(st.st_mode))
		return fg_error_set(err, FG_ESOURCE, EISDIR,
				    "%s: is a directory, not a file or "
				    "block device",
				    path);
	/* Checked before open(): opening a FIFO would wait for a writer. */
	if (!S_ISREG(st.st_mode))
		return fg_error_set(err, FG_ESOURCE, 0,
				    "%s: is %s, not a regular file or a "
				    "block device",
				    path, fg_file_kind(st.st_mode));
	return fg_source_open_file(out, path, offset, length, err);
}
