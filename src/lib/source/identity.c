/*
 * identity.c - who a block device is (see identity.h).
 *
 * Order of trust for the summary facts (source.model ...): what the drive
 * itself answers to ATA IDENTIFY DEVICE, then to SCSI INQUIRY (standard
 * data and VPD pages; the kernel's cached copies in sysfs are the same
 * bytes and are read first, so that a drive is asked as little as
 * possible), then the kernel's other sysfs attributes, then udev's
 * database.  Each summary fact names its origin in source.identity_from,
 * and each origin's own answer is kept too (source.ata, source.scsi,
 * source.sysfs, source.udev), so a reader can see where they differ (a USB
 * bridge, for one, answers INQUIRY with its own names).
 *
 * The only commands sent are INQUIRY and, inside SAT ATA PASS-THROUGH(16),
 * IDENTIFY DEVICE, READ NATIVE MAX ADDRESS (EXT) and DEVICE CONFIGURATION
 * IDENTIFY; sg_run() refuses anything else (fg_sat_cdb_is_read_only).  An
 * NVMe namespace is sent Identify Controller and Identify Namespace
 * through the NVMe admin ioctl and nothing else
 * (fg_nvme_admin_is_read_only).
 *
 * This file is the side that talks to the device (sysfs, udev, SG_IO) and
 * puts the answers together; what decodes the bytes it gets back, and
 * builds the commands, is in identity_parse.c.  The drive's health
 * (health.c) asks through the same two doors, fg_src_ata_cmd and
 * fg_src_nvme_admin.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nvme_ioctl.h>
#include <scsi/sg.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/health.h>
#include <forage/identity.h>
#include <forage/record.h>

#include "base/base_int.h"
#include "source/source_int.h"

#define SG_TIMEOUT_MS 15000

/* ---- Collecting --------------------------------------------------------- */

static void note(struct idctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(struct idctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->rc |= fg_record_append_str(c->rec, "source.identity_notes", msg);
}

static void put_str(struct idctx *c, const char *key, const char *v)
{
	c->rc |= fg_record_set_str(c->rec, key, v);
}

static void put_int(struct idctx *c, const char *key, int64_t v)
{
	c->rc |= fg_record_set_int(c->rec, key, v);
}

static void put_bool(struct idctx *c, const char *key, int v)
{
	c->rc |= fg_record_set_bool(c->rec, key, v);
}

static void put_null(struct idctx *c, const char *key)
{
	c->rc |= fg_record_set_null(c->rec, key);
}

/* A page as the drive (or the kernel's copy of it) gave it, under
 * PREFIXraw_pages.NAME: where from, its length, SHA-256 and the bytes in
 * base64, apart from the keys decoded from it.  FG_OK or FG_ENOMEM. */
int fg_src_put_raw_page(struct fg_record *rec, const char *prefix,
			const char *name, const char *from, const uint8_t *buf,
			size_t len)
{
	char key[160], hex[65];
	char *b64 = fg_base64(buf, len);
	int rc = FG_OK;

	if (b64 == NULL || fg_sha256_hex(buf, len, hex) != 0) {
		free(b64);
		return FG_ENOMEM;
	}
	snprintf(key, sizeof(key), "%sraw_pages.%s.from", prefix, name);
	rc |= fg_record_set_str(rec, key, from);
	snprintf(key, sizeof(key), "%sraw_pages.%s.bytes", prefix, name);
	rc |= fg_record_set_int(rec, key, (int64_t)len);
	snprintf(key, sizeof(key), "%sraw_pages.%s.sha256", prefix, name);
	rc |= fg_record_set_str(rec, key, hex);
	snprintf(key, sizeof(key), "%sraw_pages.%s.base64", prefix, name);
	rc |= fg_record_set_str(rec, key, b64);
	free(b64);
	return rc != FG_OK ? FG_ENOMEM : FG_OK;
}

static void raw_page(struct idctx *c, const char *name, const char *from,
		     const uint8_t *buf, size_t len)
{
	c->rc |= fg_src_put_raw_page(c->rec, "source.", name, from, buf, len);
}

/* A sysfs attribute of dev, printable; "" when absent. */
static int attr(const struct fg_blkdev *dev, const char *file, char *out,
		size_t outlen)
{
	char raw[1024];
	ssize_t n = fg_blkdev_attr(dev, file, raw, sizeof(raw));

	out[0] = '\0';
	if (n < 0)
		return -1;
	fg_printable(out, outlen, raw, (size_t)n, FG_PRINTABLE_TRIM);
	return out[0] != '\0' ? 0 : -1;
}

static int attr_u64(const struct fg_blkdev *dev, const char *file, uint64_t *v)
{
	char buf[64], *end;
	unsigned long long x;

	if (fg_blkdev_attr(dev, file, buf, sizeof(buf)) <= 0)
		return -1;
	errno = 0;
	x = strtoull(buf, &end, 10);
	if (errno != 0 || end == buf)
		return -1;
	*v = x;
	return 0;
}

/* A binary sysfs file (device/inquiry, device/vpd_pgXX). */
static ssize_t attr_bin(const struct fg_blkdev *dev, const char *file,
			uint8_t *buf, size_t len)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dev->sysdir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	n = fg_fd_pread_full(fd, buf, len, 0);
	close(fd);
	return n;
}

/* The transport, from where the kernel put the device: the first match in
 * its sysfs path wins (a USB disk's path also holds "/host"). */
void fg_src_classify_transport(struct idctx *c)
{
	static const struct {
		const char *in_path, *also, *name;
		int virtual_dev; /* no drive to ask */
	} t[] = {
	    {"/devices/virtual/block/loop", NULL, "loop", 1},
	    {"/devices/virtual/block/dm-", NULL, "device-mapper", 1},
	    {"/devices/virtual/block/md", NULL, "md", 1},
	    {"/devices/virtual/", NULL, "virtual", 1},
	    {"/usb", NULL, "usb", 0},
	    {"/nvme", NULL, "nvme", 0},
	    {"/ata", NULL, "ata", 0},
	    {"/mmc", NULL, "mmc", 0},
	    {"/virtio", NULL, "virtio", 0},
	    {"/host", "/target", "scsi", 0},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strstr(c->disk.sysdir, t[i].in_path) == NULL ||
		    (t[i].also != NULL &&
		     strstr(c->disk.sysdir, t[i].also) == NULL))
			continue;
		fg_copy_str(c->transport, sizeof(c->transport), t[i].name);
		c->virtual_dev = t[i].virtual_dev;
		return;
	}
}

/* The first of the attributes (a NULL-ended list) that says something;
 * returns its origin ("sysfs device/model") or NULL. */
static const char *first_attr(const struct fg_blkdev *dev, char *out,
			      size_t outlen, ...)
{
	static const char *const names[][2] = {
	    {"device/model", "sysfs device/model"},
	    {"device/name", "sysfs device/name"},
	    {"device/rev", "sysfs device/rev"},
	    {"device/firmware_rev", "sysfs device/firmware_rev"},
	    {"device/fwrev", "sysfs device/fwrev"},
	    {"device/serial", "sysfs device/serial"},
	    {"serial", "sysfs serial"},
	    {"device/wwid", "sysfs device/wwid"},
	    {"wwid", "sysfs wwid"}};
	const char *file;
	va_list ap;
	size_t i;

	va_start(ap, outlen);
	while ((file = va_arg(ap, const char *)) != NULL) {
		if (attr(dev, file, out, outlen) != 0)
			continue;
		va_end(ap);
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(names[i][0], file) == 0)
				return names[i][1];
		return "sysfs";
	}
	va_end(ap);
	return NULL;
}

static void read_sysfs(struct idctx *c)
{
	const struct fg_blkdev *d = &c->disk;
	char v[64], v2[128];
	uint64_t n;

	c->s_removable = -1;
	c->s_rotational = -1;
	if (attr(d, "device/vendor", c->s_vendor, sizeof(c->s_vendor)) == 0)
		put_str(c, "source.sysfs.vendor", c->s_vendor);
	/* SCSI and NVMe say model, SD/MMC cards name. */
	c->s_model_from =
	    first_attr(d, c->s_model, sizeof(c->s_model), "device/model",
		       "device/name", (const char *)NULL);
	if (c->s_model_from != NULL)
		put_str(c, "source.sysfs.model", c->s_model);
	c->s_rev_from = first_attr(d, c->s_rev, sizeof(c->s_rev), "device/rev",
				   "device/firmware_rev", "device/fwrev",
				   (const char *)NULL);
	if (c->s_rev_from != NULL)
		put_str(c, "source.sysfs.firmware_revision", c->s_rev);
	if (attr(d, "device/cid", v2, sizeof(v2)) == 0)
		put_str(c, "source.sysfs.mmc_cid", v2);
	c->s_serial_from =
	    first_attr(d, c->s_serial, sizeof(c->s_serial), "device/serial",
		       "serial", (const char *)NULL);
	if (c->s_serial_from != NULL)
		put_str(c, "source.sysfs.serial", c->s_serial);
	c->s_wwid_from = first_attr(d, c->s_wwid, sizeof(c->s_wwid),
				    "device/wwid", "wwid", (const char *)NULL);
	if (c->s_wwid_from != NULL)
		put_str(c, "source.sysfs.wwid", c->s_wwid);
	if (attr(d, "removable", v, sizeof(v)) == 0 &&
	    (v[0] == '0' || v[0] == '1')) {
		c->s_removable = v[0] == '1';
		put_bool(c, "source.sysfs.removable", c->s_removable);
	}
	if (attr(d, "queue/rotational", v, sizeof(v)) == 0 &&
	    (v[0] == '0' || v[0] == '1')) {
		c->s_rotational = v[0] == '1';
		put_bool(c, "source.sysfs.rotational", c->s_rotational);
	}
	if (attr(&c->b, "ro", v, sizeof(v)) == 0)
		put_bool(c, "source.sysfs.read_only", v[0] == '1');
	if (attr_u64(&c->b, "size", &n) == 0)
		put_int(c, "source.sysfs.size_512_byte_sectors", (int64_t)n);
	if (attr(d, "queue/logical_block_size", v, sizeof(v)) == 0)
		put_int(c, "source.sysfs.logical_block_size",
			strtoll(v, NULL, 10));
	if (attr(d, "queue/physical_block_size", v, sizeof(v)) == 0)
		put_int(c, "source.sysfs.physical_block_size",
			strtoll(v, NULL, 10));
}

static void read_loop_dm(struct idctx *c)
{
	const struct fg_blkdev *d = &c->disk;
	char v[PATH_MAX];
	uint64_t n;

	if (attr(d, "loop/backing_file", v, sizeof(v)) == 0) {
		put_str(c, "source.loop.backing_file", v);
		if (attr_u64(d, "loop/offset", &n) == 0)
			put_int(c, "source.loop.offset", (int64_t)n);
		if (attr_u64(d, "loop/sizelimit", &n) == 0)
			put_int(c, "source.loop.sizelimit", (int64_t)n);
		if (attr(d, "loop/dio", v, sizeof(v)) == 0)
			put_bool(c, "source.loop.direct_io", v[0] == '1');
		if (attr(d, "loop/autoclear", v, sizeof(v)) == 0)
			put_bool(c, "source.loop.autoclear", v[0] == '1');
		if (attr(d, "loop/partscan", v, sizeof(v)) == 0)
			put_bool(c, "source.loop.partscan", v[0] == '1');
		if (attr(d, "queue/logical_block_size", v, sizeof(v)) == 0)
			put_int(c, "source.loop.logical_sector_size",
				strtoll(v, NULL, 10));
	} else if (strcmp(c->transport, "loop") == 0) {
		put_null(c, "source.loop.backing_file");
		note(c, "loop device %s has no backing file attached", d->name);
	}
	if (attr(d, "dm/name", v, sizeof(v)) == 0) {
		put_str(c, "source.dm.name", v);
		if (attr(d, "dm/uuid", v, sizeof(v)) == 0)
			put_str(c, "source.dm.uuid", v);
	}
}

static const char *const udev_keys[] = {"ID_BUS",
					"ID_TYPE",
					"ID_VENDOR",
					"ID_MODEL",
					"ID_REVISION",
					"ID_SERIAL",
					"ID_SERIAL_SHORT",
					"ID_WWN",
					"ID_WWN_WITH_EXTENSION",
					"ID_PATH",
					"ID_ATA_ROTATION_RATE_RPM",
					"ID_USB_DRIVER",
					"ID_PART_TABLE_TYPE",
					"ID_PART_TABLE_UUID",
					NULL};

static void read_udev(struct idctx *c, const char *udevdir)
{
	char path[PATH_MAX], val[512], key[64];
	size_t i, len = 0, cap = 65536;
	int fd, found = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/b%u:%u", udevdir, c->disk.major,
		 c->disk.minor);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		put_null(c, "source.udev");
		note(c, "udev: no record (%s: %s)", path, strerror(errno));
		return;
	}
	c->udev = malloc(cap);
	if (c->udev == NULL) {
		close(fd);
		c->rc |= FG_ENOMEM;
		return;
	}
	while (len + 1 < cap &&
	       (n = read(fd, c->udev + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	c->udev[len] = '\0';
	for (i = 0; udev_keys[i] != NULL; i++) {
		if (fg_udev_lookup(c->udev, udev_keys[i], val, sizeof(val)) !=
		    0)
			continue;
		snprintf(key, sizeof(key), "source.udev.%s", udev_keys[i]);
		put_str(c, key, val);
		found = 1;
	}
	if (!found) {
		put_null(c, "source.udev");
		note(c, "udev: %s holds no identity properties", path);
	}
}

static const char *udev_get(struct idctx *c, const char *key, char *buf,
			    size_t len)
{
	if (c->udev == NULL || fg_udev_lookup(c->udev, key, buf, len) != 0)
		return NULL;
	return buf;
}

/* ---- SG_IO -------------------------------------------------------------- */

struct sgres {
	int scsi_status;
	uint8_t sense[64];
	size_t sense_len;
	size_t got;
	char why[160];
};

static int sense_key(const struct sgres *r)
{
	if (r->sense_len < 3)
		return -1;
	if ((r->sense[0] & 0x7f) >= 0x72)
		return r->sense[1] & 0x0f;
	return r->sense[2] & 0x0f;
}

static int can_ask(const struct idctx *c)
{
	return c->sim != NULL || c->sgfd >= 0;
}

/* Send one command.  0: the command went through (look at scsi_status
 * and sense); -1: it did not (why says so).  Nothing off the read-only
 * list reaches the device, or the simulated one. */
static int sg_run(const struct idctx *c, const uint8_t *cdb, size_t cdblen,
		  uint8_t *data, size_t datalen, struct sgres *r)
{
	struct sg_io_hdr io;

	memset(r, 0, sizeof(*r));
	if (!fg_sat_cdb_is_read_only(cdb, cdblen)) {
		snprintf(r->why, sizeof(r->why),
			 "refused to send command %02Xh: not on the "
			 "read-only list",
			 cdb[0]);
		errno = EPERM;
		return -1;
	}
	if (c->sim != NULL) {
		size_t got = 0, slen = 0;
		int st = c->sim->answer(c->sim->ctx, cdb, cdblen, data, datalen,
					&got, r->sense, &slen);
		if (st < 0) {
			snprintf(r->why, sizeof(r->why), "SG_IO: %s",
				 strerror(-st));
			return -1;
		}
		r->scsi_status = st;
		r->sense_len =
		    slen < sizeof(r->sense) ? slen : sizeof(r->sense);
		r->got = got < datalen ? got : datalen;
		return 0;
	}
	memset(&io, 0, sizeof(io));
	io.interface_id = 'S';
	io.dxfer_direction = datalen > 0 ? SG_DXFER_FROM_DEV : SG_DXFER_NONE;
	io.cmd_len = (unsigned char)cdblen;
	io.cmdp = (unsigned char *)cdb;
	io.mx_sb_len = sizeof(r->sense);
	io.sbp = r->sense;
	io.dxfer_len = (unsigned)datalen;
	io.dxferp = data;
	io.timeout = SG_TIMEOUT_MS;
	if (ioctl(c->sgfd, SG_IO, &io) != 0) {
		snprintf(r->why, sizeof(r->why), "SG_IO: %s", strerror(errno));
		return -1;
	}
	if (io.host_status != 0 || (io.driver_status & 0x07) != 0) {
		snprintf(r->why, sizeof(r->why),
			 "SG_IO: host status %02Xh, driver status %02Xh",
			 io.host_status, io.driver_status);
		return -1;
	}
	r->scsi_status = io.status & 0x7e;
	r->sense_len = io.sb_len_wr;
	r->got = io.resid >= 0 && (size_t)io.resid <= datalen
		     ? datalen - (size_t)io.resid
		     : datalen;
	return 0;
}

/* INQUIRY (standard when page < 0), from sysfs when the kernel keeps a
 * copy, else asked through SG_IO.  Returns bytes or -1 (why filled). */
static ssize_t inquiry(struct idctx *c, int page, uint8_t *buf, size_t len,
		       char *why, size_t whylen)
{
	char file[32];
	uint8_t cdb[6] = {0x12, 0, 0, 0, 0, 0};
	struct sgres r;
	ssize_t n;

	if (page < 0)
		snprintf(file, sizeof(file), "device/inquiry");
	else
		snprintf(file, sizeof(file), "device/vpd_pg%02x", page);
	n = attr_bin(&c->disk, file, buf, len);
	c->inq_from = page < 0 ? "sysfs device/inquiry (the kernel's copy)"
			       : "sysfs device/vpd_pg (the kernel's copy)";
	if (n > 0)
		return n;
	c->inq_from = "SCSI INQUIRY (SG_IO)";
	if (!can_ask(c)) {
		snprintf(why, whylen, "no copy in sysfs and no commands sent");
		return -1;
	}
	if (page >= 0) {
		cdb[1] = 1;
		cdb[2] = (uint8_t)page;
	}
	cdb[3] = (uint8_t)(len >> 8);
	cdb[4] = (uint8_t)len;
	if (sg_run(c, cdb, sizeof(cdb), buf, len, &r) != 0) {
		fg_copy_str(why, whylen, r.why);
		return -1;
	}
	if (r.scsi_status != 0) {
		snprintf(why, whylen, "CHECK CONDITION, sense key %Xh",
			 sense_key(&r) & 0xf);
		return -1;
	}
	return (ssize_t)r.got;
}

static void probe_scsi(struct idctx *c)
{
	uint8_t buf[1024];
	char why[200];
	struct fg_error err;
	ssize_t n;

	n = inquiry(c, -1, buf, 96, why, sizeof(why));
	if (n > 0)
		raw_page(c, "scsi_inquiry", c->inq_from, buf, (size_t)n);
	if (n < 0) {
		put_null(c, "source.scsi");
		note(c, "SCSI INQUIRY: no answer from %s (%s)", c->disk.name,
		     why);
		return;
	}
	if (fg_scsi_inquiry_parse(buf, (size_t)n, &c->inq, &err) != FG_OK) {
		put_null(c, "source.scsi");
		note(c, "SCSI INQUIRY: %s", err.msg);
		return;
	}
	c->have_inq = 1;
	put_str(c, "source.scsi.vendor", c->inq.vendor);
	put_str(c, "source.scsi.product", c->inq.product);
	put_str(c, "source.scsi.revision", c->inq.revision);
	put_int(c, "source.scsi.peripheral_device_type",
		c->inq.peripheral_type);
	put_bool(c, "source.scsi.removable_medium", c->inq.removable);
	n = inquiry(c, 0x80, buf, 255, why, sizeof(why));
	if (n > 0)
		raw_page(c, "scsi_vpd_80", c->inq_from, buf, (size_t)n);
	if (n > 0 &&
	    fg_scsi_vpd_serial_parse(buf, (size_t)n, c->vpd_serial,
				     sizeof(c->vpd_serial), &err) == FG_OK)
		put_str(c, "source.scsi.unit_serial_number", c->vpd_serial);
	else
		put_null(c, "source.scsi.unit_serial_number");
	n = inquiry(c, 0x83, buf, sizeof(buf), why, sizeof(why));
	if (n > 0)
		raw_page(c, "scsi_vpd_83", c->inq_from, buf, (size_t)n);
	if (n > 0 && fg_scsi_vpd_naa_parse(buf, (size_t)n, c->vpd_wwn,
					   sizeof(c->vpd_wwn), &err) == FG_OK)
		put_str(c, "source.scsi.naa", c->vpd_wwn);
	else
		put_null(c, "source.scsi.naa");
}

/* One ATA command through SAT; data: 512 bytes or NULL (non-data).
 * Returns 0 with *ret filled when the drive completed it, -1 with why. */
int fg_src_ata_cmd(struct idctx *c, enum fg_ata_cmd cmd, uint8_t *data,
		   struct fg_ata_return *ret, char *why, size_t whylen)
{
	uint8_t cdb[16];
	struct sgres r;
	struct fg_error err;
	int ext = cmd == FG_ATA_READ_NATIVE_MAX_EXT;
	int have_regs;

	fg_error_clear(&err);
	memset(ret, 0, sizeof(*ret));
	fg_sat_build_cdb(cdb, cmd);
	if (sg_run(c, cdb, sizeof(cdb), data, data ? 512 : 0, &r) != 0) {
		fg_copy_str(why, whylen, r.why);
		return -1;
	}
	have_regs =
	    r.sense_len > 0 &&
	    fg_ata_return_parse(r.sense, r.sense_len, ext, ret, &err) == FG_OK;
	if (have_regs && (ret->status & 0x01)) {
		snprintf(why, whylen,
			 "the drive aborted it (status %02Xh, error %02Xh)",
			 ret->status, ret->error);
		return -1;
	}
	if (r.scsi_status != 0 && !have_regs) {
		int sk = sense_key(&r);
		snprintf(why, whylen,
			 sk == 5 ? "the device or its bridge does not take "
				   "ATA PASS-THROUGH (ILLEGAL REQUEST)"
				 : "CHECK CONDITION, sense key %Xh",
			 sk & 0xf);
		return -1;
	}
	if (data == NULL && !have_regs) {
		fg_copy_str(why, whylen,
			    r.sense_len > 0 ? err.msg
					    : "no ATA registers returned");
		return -1;
	}
	return 0;
}

static void probe_ata(struct idctx *c)
{
	uint8_t buf[1024];
	const uint8_t *idbuf;
	char why[200] = "", why89[200] = "";
	struct fg_ata_return ret;
	struct fg_error err;
	ssize_t n;
	int got = 0;

	c->native_max = FG_UNKNOWN_LBA;
	c->dco_max = FG_UNKNOWN_LBA;
	fg_error_clear(&err);
	/* First the drive itself, then the copy libata and some bridges
	 * keep in VPD page 89h. */
	if (!can_ask(c)) {
		snprintf(why, sizeof(why), "no commands sent");
	} else if (fg_src_ata_cmd(c, FG_ATA_IDENTIFY, buf, &ret, why, sizeof(why)) ==
		   0) {
		raw_page(c, "ata_identify",
			 "ATA IDENTIFY DEVICE (SAT ATA PASS-THROUGH)", buf, 512);
		if (fg_ata_identify_parse(buf, 512, &c->ata, &err) == FG_OK) {
			got = 1;
			put_str(c, "source.ata.via",
				"ATA IDENTIFY DEVICE (SAT ATA PASS-THROUGH)");
		} else {
			fg_copy_str(why, sizeof(why), err.msg);
		}
	}
	if (!got) {
		n = inquiry(c, 0x89, buf, sizeof(buf), why89, sizeof(why89));
		idbuf = n > 0 ? fg_scsi_vpd_ata_identify(buf, (size_t)n) : NULL;
		if (n > 0 && idbuf == NULL)
			snprintf(why89, sizeof(why89), "not ATA information");
		if (idbuf != NULL)
			raw_page(c, "ata_identify",
				 "ATA IDENTIFY DEVICE (SCSI VPD page 89h)",
				 idbuf, 512);
		if (idbuf != NULL &&
		    fg_ata_identify_parse(idbuf, 512, &c->ata, &err) == FG_OK) {
			got = 1;
			put_str(c, "source.ata.via",
				"ATA IDENTIFY DEVICE (SCSI VPD page 89h)");
		} else if (idbuf != NULL) {
			fg_copy_str(why89, sizeof(why89), err.msg);
		}
	}
	if (!got) {
		put_null(c, "source.ata");
		snprintf(c->why_native, sizeof(c->why_native),
			 "no ATA IDENTIFY DEVICE data from %s (pass-through: "
			 "%s; VPD page 89h: %s)",
			 c->disk.name, why, why89[0] ? why89 : "not there");
		note(c, "ATA: %s", c->why_native);
		return;
	}
	c->have_ata = 1;
	put_str(c, "source.ata.model", c->ata.model);
	put_str(c, "source.ata.serial", c->ata.serial);
	put_str(c, "source.ata.firmware_revision", c->ata.firmware);
	put_int(c, "source.ata.user_addressable_sectors",
		(int64_t)c->ata.user_sectors);
	put_bool(c, "source.ata.lba48", c->ata.lba48);
	put_int(c, "source.ata.logical_sector_size",
		c->ata.logical_sector_size);
	put_int(c, "source.ata.physical_sector_size",
		c->ata.physical_sector_size);
	if (c->ata.wwn[0])
		put_str(c, "source.ata.wwn", c->ata.wwn);
	else
		put_null(c, "source.ata.wwn");
	if (c->ata.rotation_rate)
		put_int(c, "source.ata.nominal_rotation_rate",
			c->ata.rotation_rate);
	else
		put_null(c, "source.ata.nominal_rotation_rate");
	if (c->ata.serial_ata >= 0)
		put_str(c, "source.ata.transport",
			c->ata.serial_ata ? "serial" : "parallel");
	else
		put_null(c, "source.ata.transport");
	put_str(c, "source.ata.identify_checksum",
		c->ata.checksum == 1 ? "valid" : "not provided");
	put_bool(c, "source.ata.hpa_feature_supported", c->ata.hpa_supported);
	put_bool(c, "source.ata.hpa_feature_enabled", c->ata.hpa_enabled);
	put_bool(c, "source.ata.dco_feature_supported", c->ata.dco_supported);
	put_bool(c, "source.ata.security.supported", c->ata.security_supported);
	put_bool(c, "source.ata.security.enabled", c->ata.security_enabled);
	put_bool(c, "source.ata.security.locked", c->ata.security_locked);
	put_bool(c, "source.ata.security.frozen", c->ata.security_frozen);
	if (c->ata.security_locked)
		note(c, "ATA: the drive is security-LOCKED: its user data "
			"cannot be read until it is unlocked");

	/* The native maximum address, for the HPA. */
	if (!c->ata.hpa_supported) {
		snprintf(c->why_native, sizeof(c->why_native), "not asked");
	} else if (!can_ask(c)) {
		snprintf(c->why_native, sizeof(c->why_native),
			 "READ NATIVE MAX ADDRESS: no commands sent");
	} else if (fg_src_ata_cmd(c,
			   c->ata.lba48 ? FG_ATA_READ_NATIVE_MAX_EXT
					: FG_ATA_READ_NATIVE_MAX,
			   NULL, &ret, why, sizeof(why)) == 0) {
		c->native_max = ret.lba;
	} else {
		snprintf(c->why_native, sizeof(c->why_native),
			 "READ NATIVE MAX ADDRESS%s: %s",
			 c->ata.lba48 ? " EXT" : "", why);
	}
	if (!c->ata.dco_supported) {
		snprintf(c->why_dco, sizeof(c->why_dco), "not asked");
	} else if (!can_ask(c)) {
		snprintf(c->why_dco, sizeof(c->why_dco),
			 "DEVICE CONFIGURATION IDENTIFY: no commands sent");
	} else if (fg_src_ata_cmd(c, FG_ATA_DCO_IDENTIFY, buf, &ret, why,
			   sizeof(why)) != 0) {
		snprintf(c->why_dco, sizeof(c->why_dco),
			 "DEVICE CONFIGURATION IDENTIFY: %s (a frozen DCO "
			 "also refuses it)",
			 why);
	} else if (fg_ata_dco_parse(buf, 512, &c->dco_max, &err) != FG_OK) {
		c->dco_max = FG_UNKNOWN_LBA;
		snprintf(c->why_dco, sizeof(c->why_dco),
			 "DEVICE CONFIGURATION IDENTIFY: %.200s", err.msg);
	}
}

/* One NVMe admin command with a data-in buffer of cmd->data_len bytes at
 * cmd->addr.  0, or -1 with why.  Nothing off the read-only list
 * (fg_nvme_admin_is_read_only) reaches the controller. */
int fg_src_nvme_admin(int fd, struct nvme_admin_cmd *cmd, char *why,
		      size_t whylen)
{
	int st;

	cmd->timeout_ms = SG_TIMEOUT_MS;
	if (!fg_nvme_admin_is_read_only(cmd->opcode, cmd->cdw10)) {
		snprintf(why, whylen,
			 "refused to send admin command %02Xh: not on the "
			 "read-only list",
			 cmd->opcode);
		return -1;
	}
	memset((void *)(uintptr_t)cmd->addr, 0, cmd->data_len);
	st = ioctl(fd, NVME_IOCTL_ADMIN_CMD, cmd);
	if (st < 0) {
		snprintf(why, whylen, "NVME_IOCTL_ADMIN_CMD: %s",
			 strerror(errno));
		return -1;
	}
	if (st > 0) {
		/* The completion's status field: type and code. */
		snprintf(why, whylen,
			 "the controller answered status %03Xh (type %u, "
			 "code %02Xh)",
			 st & 0x7ff, (st >> 8) & 0x7, st & 0xff);
		return -1;
	}
	return 0;
}

/* One NVMe Identify through the admin ioctl into buf (4096 bytes).
 * 0, or -1 with why. */
static int nvme_identify(int fd, uint32_t nsid, uint32_t cns, uint8_t *buf,
			 char *why, size_t whylen)
{
	struct nvme_admin_cmd cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = 0x06;
	cmd.nsid = nsid;
	cmd.cdw10 = cns;
	cmd.addr = (uint64_t)(uintptr_t)buf;
	cmd.data_len = 4096;
	return fg_src_nvme_admin(fd, &cmd, why, whylen);
}

/* NVMe: Identify Controller and Identify Namespace through the admin
 * ioctl on the namespace's own node. */
static void probe_nvme(struct idctx *c, int fd)
{
	uint8_t buf[4096];
	struct fg_nvme_id_ns ns;
	struct fg_error err;
	char why[200];
	int nsid, asked;

	fg_error_clear(&err);
	if (fd < 0) {
		put_null(c, "source.nvme");
		note(c, "NVMe: %s was not asked (no device open)",
		     c->disk.name);
		return;
	}
	nsid = ioctl(fd, NVME_IOCTL_ID);
	if (nsid <= 0) {
		put_null(c, "source.nvme");
		note(c,
		     "NVMe: %s did not say its namespace (NVME_IOCTL_ID: "
		     "%s)",
		     c->disk.name, nsid < 0 ? strerror(errno) : "0");
		return;
	}
	asked = nvme_identify(fd, 0, 0x01, buf, why, sizeof(why));
	if (asked == 0)
		raw_page(c, "nvme_identify_controller",
			 "NVMe Identify Controller (admin ioctl)", buf,
			 sizeof(buf));
	if (asked != 0 ||
	    fg_nvme_id_ctrl_parse(buf, sizeof(buf), &c->nvme, &err) != FG_OK) {
		put_null(c, "source.nvme");
		note(c, "NVMe Identify Controller: no answer from %s (%s)",
		     c->disk.name, err.msg[0] ? err.msg : why);
		return;
	}
	c->have_nvme = 1;
	put_str(c, "source.nvme.via",
		"NVMe Identify Controller and Namespace (admin ioctl)");
	put_str(c, "source.nvme.model", c->nvme.model);
	put_str(c, "source.nvme.serial", c->nvme.serial);
	put_str(c, "source.nvme.firmware_revision", c->nvme.firmware);
	put_int(c, "source.nvme.pci_vendor_id", c->nvme.pci_vendor_id);
	put_int(c, "source.nvme.namespace_count", c->nvme.namespaces);
	put_int(c, "source.nvme.namespace_id", nsid);
	asked = nvme_identify(fd, (uint32_t)nsid, 0x00, buf, why, sizeof(why));
	if (asked == 0)
		raw_page(c, "nvme_identify_namespace",
			 "NVMe Identify Namespace (admin ioctl)", buf,
			 sizeof(buf));
	if (asked != 0 ||
	    fg_nvme_id_ns_parse(buf, sizeof(buf), &ns, &err) != FG_OK) {
		static const char *const k[] = {
		    "source.nvme.namespace_size_blocks",
		    "source.nvme.namespace_capacity_blocks",
		    "source.nvme.logical_block_size",
		    "source.nvme.metadata_size",
		    "source.nvme.eui64",
		    "source.nvme.nguid"};
		size_t i;
		for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
			put_null(c, k[i]);
		note(c, "NVMe Identify Namespace %d: no answer from %s (%s)",
		     nsid, c->disk.name, err.msg[0] ? err.msg : why);
		return;
	}
	put_int(c, "source.nvme.namespace_size_blocks",
		(int64_t)ns.size_blocks);
	put_int(c, "source.nvme.namespace_capacity_blocks",
		(int64_t)ns.capacity_blocks);
	put_int(c, "source.nvme.logical_block_size", ns.block_size);
	put_int(c, "source.nvme.metadata_size", ns.metadata_size);
	if (ns.eui64[0])
		put_str(c, "source.nvme.eui64", ns.eui64);
	else
		put_null(c, "source.nvme.eui64");
	if (ns.nguid[0])
		put_str(c, "source.nvme.nguid", ns.nguid);
	else
		put_null(c, "source.nvme.nguid");
}

/* ---- Summary ------------------------------------------------------------ */

struct cand {
	const char *v;
	const char *from;
};

static void pick(struct idctx *c, const char *field, const struct cand *cs,
		 size_t n)
{
	char key[96], from[96];
	size_t i;

	snprintf(key, sizeof(key), "source.%s", field);
	snprintf(from, sizeof(from), "source.identity_from.%s", field);
	for (i = 0; i < n; i++) {
		if (cs[i].v != NULL && cs[i].v[0] != '\0') {
			put_str(c, key, cs[i].v);
			put_str(c, from, cs[i].from);
			return;
		}
	}
	put_null(c, key);
	put_null(c, from);
}

static void summary(struct idctx *c)
{
	char u[6][256], u7[64];
	const char *ata_model = c->have_ata ? c->ata.model : NULL;
	const char *ata_serial = c->have_ata ? c->ata.serial : NULL;
	const char *ata_fw = c->have_ata ? c->ata.firmware : NULL;
	const char *ata_wwn = c->have_ata ? c->ata.wwn : NULL;
	const char *nv_model = c->have_nvme ? c->nvme.model : NULL;
	const char *nv_serial = c->have_nvme ? c->nvme.serial : NULL;
	const char *nv_fw = c->have_nvme ? c->nvme.firmware : NULL;
	const char *inq_v = c->have_inq ? c->inq.vendor : NULL;
	const char *inq_p = c->have_inq ? c->inq.product : NULL;
	const char *inq_r = c->have_inq ? c->inq.revision : NULL;
	const char *rpm;
	char *end;
	long r;

	const struct {
		const char *field;
		struct cand c[5];
	} t[] = {
	    {"model",
	     {{ata_model, "ATA IDENTIFY DEVICE"},
	      {nv_model, "NVMe Identify Controller"},
	      {inq_p, "SCSI INQUIRY"},
	      {c->s_model, c->s_model_from},
	      {udev_get(c, "ID_MODEL", u[0], sizeof(u[0])), "udev ID_MODEL"}}},
	    {"vendor",
	     {{inq_v, "SCSI INQUIRY"},
	      {c->s_vendor, "sysfs device/vendor"},
	      {udev_get(c, "ID_VENDOR", u[1], sizeof(u[1])),
	       "udev ID_VENDOR"}}},
	    {"serial",
	     {{ata_serial, "ATA IDENTIFY DEVICE"},
	      {nv_serial, "NVMe Identify Controller"},
	      {c->vpd_serial, "SCSI VPD page 80h"},
	      {c->s_serial, c->s_serial_from},
	      {udev_get(c, "ID_SERIAL_SHORT", u[2], sizeof(u[2])),
	       "udev ID_SERIAL_SHORT"}}},
	    {"firmware_revision",
	     {{ata_fw, "ATA IDENTIFY DEVICE"},
	      {nv_fw, "NVMe Identify Controller"},
	      {inq_r, "SCSI INQUIRY"},
	      {c->s_rev, c->s_rev_from},
	      {udev_get(c, "ID_REVISION", u[3], sizeof(u[3])),
	       "udev ID_REVISION"}}},
	    {"wwn",
	     {{ata_wwn, "ATA IDENTIFY DEVICE"},
	      {c->vpd_wwn, "SCSI VPD page 83h"},
	      {c->s_wwid, c->s_wwid_from},
	      {udev_get(c, "ID_WWN", u[4], sizeof(u[4])), "udev ID_WWN"}}},
	    {"transport",
	     {{c->transport, "sysfs device path"},
	      {udev_get(c, "ID_BUS", u[5], sizeof(u[5])), "udev ID_BUS"}}},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		pick(c, t[i].field, t[i].c, 5);
	if (c->s_removable >= 0) {
		put_bool(c, "source.removable", c->s_removable);
		put_str(c, "source.identity_from.removable", "sysfs removable");
	} else if (c->have_inq) {
		put_bool(c, "source.removable", c->inq.removable);
		put_str(c, "source.identity_from.removable", "SCSI INQUIRY");
	} else {
		put_null(c, "source.removable");
		put_null(c, "source.identity_from.removable");
	}
	rpm = udev_get(c, "ID_ATA_ROTATION_RATE_RPM", u7, sizeof(u7));
	if (c->have_ata && c->ata.rotation_rate != 0) {
		put_bool(c, "source.rotational", c->ata.rotation_rate != 1);
		put_str(c, "source.identity_from.rotational",
			"ATA IDENTIFY DEVICE (nominal media rotation rate)");
	} else if (c->s_rotational >= 0 && !c->virtual_dev) {
		put_bool(c, "source.rotational", c->s_rotational);
		put_str(c, "source.identity_from.rotational",
			"sysfs queue/rotational (as the kernel reports it)");
	} else if (rpm != NULL && (r = strtol(rpm, &end, 10)) >= 0 &&
		   end != rpm) {
		put_bool(c, "source.rotational", r != 0);
		put_str(c, "source.identity_from.rotational",
			"udev ID_ATA_ROTATION_RATE_RPM");
	} else {
		put_null(c, "source.rotational");
		put_null(c, "source.identity_from.rotational");
	}
}

/* Every summary fact starts as unknown, in this order, so the record
 * reads the same for every device and nothing is left out. */
static void all_unknown(struct idctx *c)
{
	static const char *const f[] = {
	    "model", "vendor",	  "serial",    "firmware_revision",
	    "wwn",   "transport", "removable", "rotational",
	    NULL};
	char key[96];
	size_t i;

	for (i = 0; f[i] != NULL; i++) {
		snprintf(key, sizeof(key), "source.%s", f[i]);
		put_null(c, key);
	}
	for (i = 0; f[i] != NULL; i++) {
		snprintf(key, sizeof(key), "source.identity_from.%s", f[i]);
		put_null(c, key);
	}
}

/* For SG_IO on a partition, ask its whole disk. */
static int open_disk(struct idctx *c, int fd)
{
	char node[PATH_MAX];
	int dfd;

	if (fd < 0)
		return -1;
	if (!c->b.is_partition)
		return fd;
	if (fg_blkdev_node(c->disk.name, c->disk.major, c->disk.minor, node,
			   sizeof(node)) != 0) {
		note(c,
		     "the whole disk of %s has no device node /dev/%s (%s): "
		     "it was not asked",
		     c->b.name, c->disk.name, strerror(errno));
		return -1;
	}
	dfd = open(node, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (dfd < 0)
		note(c, "%s: cannot open to ask the drive: %s", node,
		     strerror(errno));
	return dfd;
}

static int describe(struct fg_record *rec, int fd,
		    const struct fg_drive_sim *sim, unsigned major,
		    unsigned minor, const char *sysroot, const char *udevdir)
{
	struct idctx c;
	uint64_t v;

	memset(&c, 0, sizeof(c));
	c.rec = rec;
	c.sysroot = sysroot;
	c.sgfd = -1;
	c.sim = sim;
	put_int(&c, "source.device.major", major);
	put_int(&c, "source.device.minor", minor);
	all_unknown(&c);
	if (fg_blkdev_from_dev(&c.b, major, minor, sysroot) != 0) {
		note(&c,
		     "sysfs does not know block device %u:%u (%s): "
		     "identity unknown",
		     major, minor, strerror(errno));
		fg_hpa_dco_record(rec, "source.", NULL, FG_UNKNOWN_LBA,
				  "sysfs does not know the device",
				  FG_UNKNOWN_LBA, NULL);
		return c.rc != FG_OK ? FG_ENOMEM : FG_OK;
	}
	put_str(&c, "source.device.name", c.b.name);
	put_str(&c, "source.device.sysfs_path", c.b.sysdir);
	c.disk = c.b;
	if (c.b.is_partition) {
		if (fg_blkdev_from_name(&c.disk, c.b.disk, sysroot) != 0) {
			note(&c,
			     "sysfs does not know the whole disk %s of "
			     "%s",
			     c.b.disk, c.b.name);
			c.disk = c.b;
		}
		put_int(&c, "source.partition.number", c.b.partno);
		put_str(&c, "source.partition.disk", c.disk.name);
		if (attr_u64(&c.b, "start", &v) == 0)
			put_int(&c, "source.partition.offset_bytes",
				(int64_t)(v * 512));
		if (attr_u64(&c.b, "size", &v) == 0)
			put_int(&c, "source.partition.size_bytes",
				(int64_t)(v * 512));
		note(&c,
		     "%s is partition %u of %s: the identity below is "
		     "that of the whole disk",
		     c.b.name, c.b.partno, c.disk.name);
	}
	fg_src_classify_transport(&c);
	read_sysfs(&c);
	read_loop_dm(&c);
	read_udev(&c, udevdir);
	if (c.virtual_dev) {
		put_null(&c, "source.scsi");
		put_null(&c, "source.ata");
		snprintf(c.why_native, sizeof(c.why_native),
			 "%s is a %s device, not a drive: no ATA commands "
			 "apply",
			 c.disk.name, c.transport);
		note(&c, "%s", c.why_native);
	} else if (strcmp(c.transport, "nvme") == 0 ||
		   strcmp(c.transport, "mmc") == 0) {
		/* Neither speaks SCSI or ATA.  An NVMe controller is asked
		 * through its admin ioctl; for a card, the kernel's copy
		 * of its identity (sysfs) is what there is. */
		put_null(&c, "source.scsi");
		put_null(&c, "source.ata");
		if (strcmp(c.transport, "nvme") == 0 && sim == NULL) {
			c.sgfd = open_disk(&c, fd);
			probe_nvme(&c, c.sgfd);
		}
		snprintf(c.why_native, sizeof(c.why_native),
			 "%s is an %s device: HPA and DCO are ATA features "
			 "and cannot be asked of it",
			 c.disk.name,
			 strcmp(c.transport, "nvme") == 0 ? "NVMe" : "SD/MMC");
		note(&c, "%s", c.why_native);
	} else {
		if (sim == NULL)
			c.sgfd = open_disk(&c, fd);
		probe_scsi(&c);
		probe_ata(&c);
	}
	summary(&c);
	fg_hpa_dco_record(rec, "source.", c.have_ata ? &c.ata : NULL,
			  c.native_max, c.why_native, c.dco_max, c.why_dco);
	if (c.sgfd >= 0 && c.sgfd != fd)
		close(c.sgfd);
	free(c.udev);
	return c.rc != FG_OK ? FG_ENOMEM : FG_OK;
}

int fg_identity_describe(struct fg_record *rec, int fd, unsigned major,
			 unsigned minor, const char *sysroot,
			 const char *udevdir)
{
	return describe(rec, fd, NULL, major, minor, sysroot, udevdir);
}

int fg_identity_describe_sim(struct fg_record *rec,
			     const struct fg_drive_sim *sim, unsigned major,
			     unsigned minor, const char *sysroot,
			     const char *udevdir)
{
	return describe(rec, -1, sim, major, minor, sysroot, udevdir);
}
