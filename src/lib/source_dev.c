/*
 * source_dev.c - block devices as sources: geometry from the kernel
 * (BLKGETSIZE64, BLKSSZGET, BLKPBSZGET), reads through a buffered and an
 * O_DIRECT descriptor, both O_RDONLY.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/record.h>
#include <forage/source.h>

#include "internal.h"

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

static const struct fg_source_ops dev_ops = {
	.kind = "block device",
	.pread = dev_pread,
	.pread_direct = dev_pread_direct,
	.describe = NULL,
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
