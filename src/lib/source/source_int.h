/*
 * source_int.h - what the source part's files share: the block-device
 * source, block devices as sysfs knows them, and what drive identity's
 * two halves (identity.c asks, identity_parse.c decodes) agree on.
 */
#ifndef FORAGE_SOURCE_INT_H
#define FORAGE_SOURCE_INT_H

#include <sys/types.h>
#include <forage/forage.h>
#include <forage/identity.h>

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

/* ---- Asking a drive (identity.c; health.c asks the same way) ----------- */

/* What identity.c gathers about a device while it asks it (health.c uses
 * the device, the SG_IO descriptor and the simulated drive). */
struct idctx {
	struct fg_record *rec;
	int rc;
	const char *sysroot;
	struct fg_blkdev b;    /* the device itself */
	struct fg_blkdev disk; /* its whole disk (a copy of b if whole) */
	int sgfd;	       /* for SG_IO, -1 if none */
	const struct fg_drive_sim *sim; /* tests: a simulated drive */
	int virtual_dev;		/* loop, dm, md ...: no drive to ask */
	char transport[32];
	/* sysfs */
	char s_vendor[128], s_model[256], s_rev[64], s_serial[256], s_wwid[256];
	/* which sysfs attribute said it, for identity_from */
	const char *s_model_from, *s_rev_from, *s_serial_from, *s_wwid_from;
	int s_removable, s_rotational;
	/* udev */
	char *udev;
	/* SCSI */
	int have_inq;
	struct fg_scsi_inquiry inq;
	char vpd_serial[256], vpd_wwn[80];
	/* ATA */
	int have_ata;
	struct fg_ata_identify ata;
	uint64_t native_max, dco_max;
	char why_native[256], why_dco[256];
	/* NVMe */
	int have_nvme;
	struct fg_nvme_id_ctrl nvme;
	/* where the last INQUIRY answer came from (inquiry()) */
	const char *inq_from;
};

/* A page as the drive (or the kernel's copy of it) gave it, under
 * PREFIXraw_pages.NAME: where from, its length, SHA-256 and the bytes in
 * base64, apart from the keys decoded from it.  FG_OK or FG_ENOMEM. */
int fg_src_put_raw_page(struct fg_record *rec, const char *prefix,
			const char *name, const char *from, const uint8_t *buf,
			size_t len);

/* c->transport and c->virtual_dev from sysfs (c->disk set). */
void fg_src_classify_transport(struct idctx *c);

/* One ATA command on the read-only list through SAT ATA PASS-THROUGH(16)
 * (or c->sim), its 512 bytes of data in data: 0, or -1 with why. */
int fg_src_ata_cmd(struct idctx *c, enum fg_ata_cmd cmd, uint8_t *data,
		   struct fg_ata_return *ret, char *why, size_t whylen);

/* One NVMe admin command with a data-in buffer of cmd->data_len bytes at
 * cmd->addr.  0, or -1 with why.  Nothing off the read-only list
 * (fg_nvme_admin_is_read_only) reaches the controller. */
struct nvme_admin_cmd;
int fg_src_nvme_admin(int fd, struct nvme_admin_cmd *cmd, char *why,
		      size_t whylen);

#endif
