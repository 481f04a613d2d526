/*
 * guard.c - software write-block safeguards (see guard.h).
 *
 * Life cycle: fg_guard_engage (checks, then flag on) -> reads ->
 * fg_guard_release (state after recorded; the flag stays on).
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
#include <unistd.h>

#include <forage/guard.h>
#include <forage/record.h>
#include <forage/source.h>

#include "internal.h"

struct fg_guard {
	char *dev;    /* device path, NULL for a file source */
	int engaged;  /* the read-only flag was set by us */
};

/* The folder an output will be created in (outputs do not exist yet). */
static int stat_parent(const char *path, struct stat *st)
{
	char *dir = strdup(path);
	char *slash;
	int rc;

	if (dir == NULL)
		return -1;
	slash = strrchr(dir, '/');
	if (slash == NULL)
		rc = stat(".", st);
	else if (slash == dir)
		rc = stat("/", st);
	else {
		*slash = '\0';
		rc = stat(dir, st);
	}
	free(dir);
	return rc;
}

static int check_outputs_file(struct fg_source *src,
			      const char *const *outputs, struct fg_error *err)
{
	struct stat sst, ost;
	size_t i;

	if (stat(src->path, &sst) != 0)
		return FG_OK;
	for (i = 0; outputs != NULL && outputs[i] != NULL; i++) {
		if (stat(outputs[i], &ost) == 0 && ost.st_dev == sst.st_dev &&
		    ost.st_ino == sst.st_ino)
			return fg_error_set(err, FG_EGUARD, 0,
					    "%s: an output is the source "
					    "itself; choose another output",
					    outputs[i]);
	}
	return FG_OK;
}

static int ro_get(const char *dev, int *ro)
{
	int fd = open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int rc;

	if (fd < 0)
		return -1;
	rc = ioctl(fd, BLKROGET, ro);
	close(fd);
	return rc;
}

static int ro_set(const char *dev)
{
	int fd = open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int one = 1, rc;

	if (fd < 0)
		return -1;
	rc = ioctl(fd, BLKROSET, &one);
	close(fd);
	return rc;
}

int fg_guard_engage(struct fg_guard **out, struct fg_source *src,
		    const char *const *outputs, int no_write_block,
		    struct fg_record *rec, fg_warn_fn warn, void *warn_ctx,
		    struct fg_error *err)
{
	struct fg_guard *g;
	int ro = 0, rc;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	if (!src->is_block_device) {
		rc = check_outputs_file(src, outputs, err);
		if (rc != FG_OK) {
			free(g);
			return rc;
		}
		fg_record_set_bool(rec, "write_block.applicable", 0);
		fg_record_set_str(rec, "write_block.state",
				  "not a block device: source opened "
				  "read-only, no kernel flag applies");
		*out = g;
		return FG_OK;
	}
	(void)stat_parent;
	g->dev = strdup(src->path);
	if (g->dev == NULL) {
		free(g);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	fg_record_set_bool(rec, "write_block.applicable", 1);
	if (ro_get(g->dev, &ro) == 0)
		fg_record_set_bool(rec, "write_block.readonly_before", ro);
	else
		fg_record_set_null(rec, "write_block.readonly_before");
	if (no_write_block) {
		if (warn != NULL)
			warn(warn_ctx, "--no-write-block: the kernel "
				       "read-only flag is NOT set on the "
				       "source; this is recorded");
		fg_record_set_bool(rec, "write_block.no_write_block", 1);
		fg_record_set_str(rec, "write_block.state",
				  "disabled by --no-write-block");
		*out = g;
		return FG_OK;
	}
	fg_record_set_bool(rec, "write_block.no_write_block", 0);
	if (ro_set(g->dev) != 0 || ro_get(g->dev, &ro) != 0 || !ro) {
		int e = errno;
		fg_record_set_str(rec, "write_block.state",
				  "could not set the read-only flag");
		free(g->dev);
		free(g);
		return fg_error_set(err, FG_EGUARD, e,
				    "%s: cannot set the kernel read-only "
				    "flag (BLKROSET): %s; run as root, or "
				    "use a hardware write blocker and "
				    "--no-write-block",
				    src->path, strerror(e));
	}
	g->engaged = 1;
	fg_record_set_str(rec, "write_block.state",
			  "kernel read-only flag set (BLKROSET) and checked");
	*out = g;
	return FG_OK;
}

int fg_guard_release(struct fg_guard *g, struct fg_record *rec)
{
	int ro = 0;

	if (g == NULL)
		return FG_OK;
	if (g->dev != NULL) {
		if (ro_get(g->dev, &ro) == 0)
			fg_record_set_bool(rec, "write_block.readonly_after",
					   ro);
		else
			fg_record_set_null(rec, "write_block.readonly_after");
	}
	free(g->dev);
	free(g);
	return FG_OK;
}
