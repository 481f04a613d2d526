/*
 * source_int.h - what the source part's files share: the block-device
 * source, block devices as sysfs knows them, and what drive identity's
 * two halves (identity.c asks, identity_parse.c decodes) agree on.
 */
#ifndef FORAGE_SOURCE_INT_H
#define FORAGE_SOURCE_INT_H

#include <sys/types.h>
#include <forage/forage.h>

struct fg_source;

/* An LBA a drive did not tell (identity.c, identity_parse.c): what
 * fg_hpa_dco_record takes for "unknown". */
#define FG_UNKNOWN_LBA UINT64_MAX

/* n bytes (at most 8) at b as a little-endian number (identity_parse.c;
 * NVMe and ATA pages are little-endian). */
uint64_t fg_src_le(const uint8_t *b, unsigned n);

/* The block-device source (source_dev.c). */
int fg_source_open_device(struct fg_source **out, const char *path,
			  uint64_t offset, uint64_t length,
			  struct fg_error *err);

/* ---- Block devices as sysfs knows them (blkdev.c) ---------------------- */

#define FG_BLKNAME_MAX 64

struct fg_blkdev {
	char name[FG_BLKNAME_MAX];      /* "sdb1", "loop0", "nvme0n1" */
	unsigned major, minor;
	char sysdir[4096];              /* real path of SYSROOT/dev/block/M:m */
	int is_partition;               /* a "partition" file is there */
	unsigned partno;                /* its number, 0 for a whole disk */
	char disk[FG_BLKNAME_MAX];      /* the whole disk ("sdb"), = name */
	char disksysdir[4096];          /* the whole disk's sysfs folder */
};

/* Fill b for the block device dev (st_rdev), looking in sysroot ("/sys",
 * or a fake tree in tests).  Returns 0, or -1 with errno when sysfs does
 * not know it. */
int fg_blkdev_from_dev(struct fg_blkdev *b, unsigned major, unsigned minor,
		       const char *sysroot);

/* Fill b for a sysfs block name ("sdb1") under sysroot. */
int fg_blkdev_from_name(struct fg_blkdev *b, const char *name,
			const char *sysroot);

/* Read a one-line attribute of b (file relative to its sysfs folder,
 * e.g. "queue/rotational"); same returns as fg_read_line. */
ssize_t fg_blkdev_attr(const struct fg_blkdev *b, const char *file,
		       char *buf, size_t len);

/* The partitions of the whole disk dir (a sysfs folder), as names in a
 * malloc'd array of *n entries (free with free()); 0 or -1 (ENOMEM). */
int fg_blkdev_partitions(const char *disksysdir,
			 char (**names)[FG_BLKNAME_MAX], size_t *n);

/* The names in a sysfs folder's holders/ (or slaves/) list, as above. */
int fg_blkdev_list(const char *sysdir, const char *sub,
		   char (**names)[FG_BLKNAME_MAX], size_t *n);

/* "/dev/NAME" when that node exists and is this device (major:minor);
 * 0, or -1 with errno (ENOENT, or ENODEV when it is another device). */
int fg_blkdev_node(const char *name, unsigned major, unsigned minor,
		   char *path, size_t len);

#endif
