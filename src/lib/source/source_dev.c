/*
 * source_dev.c - block devices as sources: geometry from the kernel
 * (BLKGETSIZE64, BLKSSZGET, BLKPBSZGET), reads through a buffered and an
 * O_DIRECT descriptor, both O_RDONLY.  describe() adds the device's
 * identity (identity.c) and, for a whole disk, its partitions as sysfs
 * lists them with libmagic's description of each one's first sectors.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <forage/identity.h>
#include <forage/health.h>
#include <forage/magic.h>
#include <forage/record.h>
#include <forage/source.h>

#include "base/base_int.h"
#include "source/source_int.h"

struct dev_priv {
	int fd;
	int dfd; /* O_DIRECT, or -1 when the device refuses it */
};

static ssize_t dev_pread(struct fg_source *src, void *buf, size_t len,
			 uint64_t off)
{
	struct dev_priv *dp = src->priv;

	return fg_fd_pread_full(dp->fd, buf, len, src->offset + off);
}

static ssize_t dev_pread_direct(struct fg_source *src, void *buf, size_t len,
				uint64_t off)
{
	struct dev_priv *dp = src->priv;

	if (dp->dfd < 0)
		return dev_pread(src, buf, len, off);
	return fg_fd_pread_full(dp->dfd, buf, len, src->offset + off);
}

static void dev_close(struct fg_source *src)
{
	struct dev_priv *dp = src->priv;

	if (dp == NULL)
		return;
	if (dp->fd >= 0)
		close(dp->fd);
	if (dp->dfd >= 0)
		close(dp->dfd);
	free(dp);
	src->priv = NULL;
}

static const char *pkey(char *key, size_t len, const char *part,
			const char *leaf)
{
	snprintf(key, len, "source.partitions.%s.%s", part, leaf);
	return key;
}

/* The partitions of a whole disk, each with what its first sectors hold
 * (read through our own read-only descriptor). */
static int describe_partitions(struct fg_source *src, struct fg_record *rec,
			       unsigned major, unsigned minor)
{
	struct dev_priv *dp = src->priv;
	struct fg_blkdev disk, part;
	char (*names)[FG_BLKNAME_MAX] = NULL;
	struct fg_magic *m = NULL;
	struct fg_error err;
	char key[160], desc[1024], *buf = NULL;
	size_t n = 0, i;
	int rc = FG_OK;

	fg_error_clear(&err);
	if (fg_blkdev_from_dev(&disk, major, minor, "/sys") != 0 ||
	    disk.is_partition)
		return FG_OK;
	if (fg_blkdev_partitions(disk.sysdir, &names, &n) != 0)
		return errno == ENOMEM ? FG_ENOMEM : FG_OK;
	if (n == 0)
		goto out;
	buf = malloc(FG_MAGIC_PROBE);
	if (buf == NULL) {
		rc = FG_ENOMEM;
		goto out;
	}
	if (fg_magic_open(&m, &err) != FG_OK)
		m = NULL;
#define K(leaf) pkey(key, sizeof(key), names[i], leaf)
	for (i = 0; i < n; i++) {
		uint64_t start = 0, sectors = 0;
		char v[64];
		ssize_t got;

		if (strchr(names[i], '.') != NULL ||
		    fg_blkdev_from_name(&part, names[i], "/sys") != 0)
			continue;
		rc |= fg_record_set_int(rec, K("number"), part.partno);
		if (fg_blkdev_attr(&part, "start", v, sizeof(v)) > 0)
			start = strtoull(v, NULL, 10);
		if (fg_blkdev_attr(&part, "size", v, sizeof(v)) > 0)
			sectors = strtoull(v, NULL, 10);
		rc |= fg_record_set_int(rec, K("offset_bytes"),
					(int64_t)(start * 512));
		rc |= fg_record_set_int(rec, K("size_bytes"),
					(int64_t)(sectors * 512));
		got = fg_fd_pread_full(dp->fd, buf,
				       sectors * 512 < FG_MAGIC_PROBE
					       ? (size_t)(sectors * 512)
					       : FG_MAGIC_PROBE,
				       start * 512);
		if (m != NULL && got >= 0 &&
		    fg_magic_buffer(m, buf, (size_t)got, desc, sizeof(desc),
				    &err) == FG_OK)
			rc |= fg_record_set_str(rec, K("content"), desc);
		else
			rc |= fg_record_set_null(rec, K("content"));
	}
#undef K
out:
	fg_magic_close(m);
	free(buf);
	free(names);
	return rc != FG_OK ? FG_ENOMEM : FG_OK;
}

static int dev_describe(struct fg_source *src, struct fg_record *rec)
{
	struct dev_priv *dp = src->priv;
	struct stat st;
	int rc;

	if (fstat(dp->fd, &st) != 0 || !S_ISBLK(st.st_mode)) {
		fg_record_append_str(rec, "source.identity_notes",
				     "cannot stat the open device: identity "
				     "unknown");
		return FG_OK;
	}
	rc = fg_identity_describe(rec, dp->fd, major(st.st_rdev),
				  minor(st.st_rdev), "/sys",
				  "/run/udev/data");
	if (rc == FG_OK)
		rc = describe_partitions(src, rec, major(st.st_rdev),
					 minor(st.st_rdev));
	return rc;
}

static int dev_health(struct fg_source *src, struct fg_record *rec,
		      const char *when)
{
	struct dev_priv *dp = src->priv;
	struct stat st;

	if (fstat(dp->fd, &st) != 0 || !S_ISBLK(st.st_mode))
		return fg_health_none(rec, when,
				      "cannot stat the open device");
	return fg_health_read(rec, when, dp->fd, major(st.st_rdev),
			      minor(st.st_rdev), "/sys");
}

static const struct fg_source_ops dev_ops = {
	.kind = "block device",
	.pread = dev_pread,
	.pread_direct = dev_pread_direct,
	.describe = dev_describe,
	.health = dev_health,
	.close = dev_close,
};

int fg_source_open_device(struct fg_source **out, const char *path,
			  uint64_t offset, uint64_t length,
			  struct fg_error *err)
{
	struct fg_source *src = NULL;
	struct dev_priv *dp = NULL;
	uint64_t size = 0;
	int lss = 0;
	unsigned int pss = 0;
	int rc;

	*out = NULL;
	src = calloc(1, sizeof(*src));
	dp = calloc(1, sizeof(*dp));
	if (src == NULL || dp == NULL || (src->path = strdup(path)) == NULL) {
		free(dp);
		fg_source_close(src);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	dp->dfd = -1;
	src->ops = &dev_ops;
	src->priv = dp;
	src->is_block_device = 1;
	dp->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (dp->fd < 0) {
		rc = fg_error_set(err, FG_ESOURCE, errno,
				  "%s: cannot open device: %s", path,
				  strerror(errno));
		goto fail;
	}
	if (ioctl(dp->fd, BLKGETSIZE64, &size) != 0 ||
	    ioctl(dp->fd, BLKSSZGET, &lss) != 0 || lss <= 0) {
		rc = fg_error_set(err, FG_ESOURCE, errno,
				  "%s: cannot read the device geometry: %s",
				  path, strerror(errno));
		goto fail;
	}
	if (ioctl(dp->fd, BLKPBSZGET, &pss) != 0 || pss == 0)
		pss = (unsigned int)lss;
	dp->dfd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_DIRECT);
	src->total_size = size;
	src->sector_size = (uint32_t)lss;
	src->physical_sector_size = pss;
	if ((offset % (uint64_t)lss) != 0 || (length % (uint64_t)lss) != 0) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: --offset and --length must be "
				  "multiples of the sector size (%d bytes)",
				  path, lss);
		goto fail;
	}
	rc = fg_source_set_range(src, offset, length, err);
	if (rc != FG_OK)
		goto fail;
	*out = src;
	return FG_OK;
fail:
	fg_source_close(src);
	return rc;
}
