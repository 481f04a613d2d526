/*
 * blkdev.c - block devices as sysfs knows them: name, numbers, whole disk,
 * partitions, holders, the /dev node (source_int.h).  Shared by the device
 * source, the identity module and the guard, so that each asks sysfs the
 * same way.  Everything here only reads.
 *
 * sysroot is "/sys" in forage and a fake tree in unit tests.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/base_int.h"
#include "source/source_int.h"

/* ---- Text ----------------------------------------------------------- */

/* ---- Topology ------------------------------------------------------- */

static void base_name(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');

	fg_copy_str(out, len, slash != NULL ? slash + 1 : path);
}

static int fill(struct fg_blkdev *b, const char *link)
{
	char real[PATH_MAX], buf[64], *slash;
	unsigned ma, mi;

	if (realpath(link, real) == NULL)
		return -1;
	memset(b, 0, sizeof(*b));
	snprintf(b->sysdir, sizeof(b->sysdir), "%s", real);
	base_name(real, b->name, sizeof(b->name));
	if (fg_blkdev_attr(b, "dev", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%u:%u", &ma, &mi) != 2) {
		errno = ENODEV;
		return -1;
	}
	b->major = ma;
	b->minor = mi;
	if (fg_blkdev_attr(b, "partition", buf, sizeof(buf)) >= 0) {
		char *end;
		unsigned long v = strtoul(buf, &end, 10);
		b->is_partition = 1;
		b->partno = (end != buf && v < 1u << 20) ? (unsigned)v : 0;
		snprintf(b->disksysdir, sizeof(b->disksysdir), "%s", real);
		slash = strrchr(b->disksysdir, '/');
		if (slash != NULL)
			*slash = '\0';
		base_name(b->disksysdir, b->disk, sizeof(b->disk));
	} else {
		snprintf(b->disksysdir, sizeof(b->disksysdir), "%s", real);
		snprintf(b->disk, sizeof(b->disk), "%s", b->name);
	}
	return 0;
}

int fg_blkdev_from_dev(struct fg_blkdev *b, unsigned major, unsigned minor,
		       const char *sysroot)
{
	char link[PATH_MAX];

	snprintf(link, sizeof(link), "%s/dev/block/%u:%u", sysroot, major,
		 minor);
	return fill(b, link);
}

int fg_blkdev_from_name(struct fg_blkdev *b, const char *name,
			const char *sysroot)
{
	char link[PATH_MAX];

	if (strchr(name, '/') != NULL || name[0] == '.' || name[0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	snprintf(link, sizeof(link), "%s/class/block/%s", sysroot, name);
	return fill(b, link);
}

ssize_t fg_blkdev_attr(const struct fg_blkdev *b, const char *file, char *buf,
		       size_t len)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", b->sysdir, file);
	return fg_read_line(path, buf, len);
}

static int name_cmp(const void *a, const void *b)
{
	const char *x = a, *y = b;
	size_t lx = strlen(x), ly = strlen(y);

	/* "sdb2" before "sdb10". */
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

static int list_dir(const char *dir, int want_partitions,
		    char (**names)[FG_BLKNAME_MAX], size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char(*v)[FG_BLKNAME_MAX] = NULL;
	size_t cnt = 0, cap = 0;

	*names = NULL;
	*n = 0;
	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= FG_BLKNAME_MAX)
			continue;
		if (want_partitions) {
			char p[PATH_MAX + 2 * FG_BLKNAME_MAX];
			struct stat st;
			snprintf(p, sizeof(p), "%s/%s/partition", dir,
				 e->d_name);
			if (stat(p, &st) != 0)
				continue;
		}
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			void *nv = realloc(v, ncap * sizeof(*v));
			if (nv == NULL) {
				free(v);
				closedir(d);
				errno = ENOMEM;
				return -1;
			}
			v = nv;
			cap = ncap;
		}
		snprintf(v[cnt++], FG_BLKNAME_MAX, "%s", e->d_name);
	}
	closedir(d);
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), name_cmp);
	*names = v;
	*n = cnt;
	return 0;
}

int fg_blkdev_partitions(const char *disksysdir, char (**names)[FG_BLKNAME_MAX],
			 size_t *n)
{
	return list_dir(disksysdir, 1, names, n);
}

int fg_blkdev_list(const char *sysdir, const char *sub,
		   char (**names)[FG_BLKNAME_MAX], size_t *n)
{
	char dir[PATH_MAX + 32];

	snprintf(dir, sizeof(dir), "%s/%s", sysdir, sub);
	return list_dir(dir, 0, names, n);
}

int fg_blkdev_node(const char *name, unsigned major, unsigned minor, char *path,
		   size_t len)
{
	struct stat st;

	snprintf(path, len, "/dev/%s", name);
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISBLK(st.st_mode) || major(st.st_rdev) != major ||
	    minor(st.st_rdev) != minor) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}
