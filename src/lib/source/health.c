/*
 * health.c - a drive's health read before and after an acquisition (see
 * health.h): ATA SMART READ DATA and the summary error log through SAT
 * ATA PASS-THROUGH, the NVMe SMART / Health and Error Information log
 * pages through the admin ioctl.  Read-only commands only: they go
 * through identity.c's fg_src_ata_cmd and fg_src_nvme_admin, which send
 * nothing off the read-only lists (guard.c).  What decodes the pages is
 * in health_parse.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nvme_ioctl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <forage/health.h>
#include <forage/identity.h>
#include <forage/record.h>

#include "base/base_int.h"
#include "source/source_int.h"

struct hctx {
	struct idctx c; /* for sg_run/ata_cmd: sgfd, sim */
	char pfx[40];	/* "health.before." */
};

static void h_key(const struct hctx *h, char *key, size_t len,
		  const char *leaf)
{
	snprintf(key, len, "%s%s", h->pfx, leaf);
}

static void h_str(struct hctx *h, const char *leaf, const char *v)
{
	char key[160];

	h_key(h, key, sizeof(key), leaf);
	h->c.rc |= fg_record_set_str(h->c.rec, key, v);
}

static void h_int(struct hctx *h, const char *leaf, int64_t v)
{
	char key[160];

	h_key(h, key, sizeof(key), leaf);
	h->c.rc |= fg_record_set_int(h->c.rec, key, v);
}

static void h_note(struct hctx *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void h_note(struct hctx *h, const char *fmt, ...)
{
	char key[160], msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	h_key(h, key, sizeof(key), "notes");
	h->c.rc |= fg_record_append_str(h->c.rec, key, msg);
}

static void h_unavailable(struct hctx *h, const char *why)
{
	char key[160];

	h_key(h, key, sizeof(key), "available");
	h->c.rc |= fg_record_set_bool(h->c.rec, key, 0);
	h_str(h, "note", why);
}

static void h_raw(struct hctx *h, const char *name, const char *from,
		  const uint8_t *buf, size_t len)
{
	h->c.rc |= fg_src_put_raw_page(h->c.rec, h->pfx, name, from, buf, len);
}

/* ATA: SMART READ DATA and the summary error log, through SAT. */
static void health_ata(struct hctx *h)
{
	struct idctx *c = &h->c;
	uint8_t buf[512];
	struct fg_ata_return ret;
	struct fg_ata_smart sm;
	struct fg_ata_errlog el;
	struct fg_error err;
	char why[200], key[160], leaf[96];
	size_t i;

	fg_error_clear(&err);
	if (fg_src_ata_cmd(c, FG_ATA_SMART_READ_DATA, buf, &ret, why, sizeof(why)) !=
	    0) {
		char msg[300];
		snprintf(msg, sizeof(msg),
			 "SMART READ DATA (SAT ATA PASS-THROUGH): %s", why);
		h_unavailable(h, msg);
		return;
	}
	h_key(h, key, sizeof(key), "available");
	c->rc |= fg_record_set_bool(c->rec, key, 1);
	h_str(h, "via", "ATA SMART READ DATA and READ LOG 01h (SAT ATA "
			"PASS-THROUGH)");
	h_raw(h, "smart_read_data", "ATA SMART READ DATA", buf, sizeof(buf));
	if (fg_ata_smart_parse(buf, sizeof(buf), &sm, &err) != FG_OK) {
		h_note(h, "%s", err.msg);
	} else {
		h_int(h, "ata.revision", sm.revision);
		for (i = 0; i < sm.nattr; i++) {
			const struct fg_smart_attr *a = &sm.attr[i];
			const char *name = fg_smart_attr_name(a->id);
			snprintf(leaf, sizeof(leaf), "ata.attributes.%u.id",
				 a->id);
			h_int(h, leaf, a->id);
			snprintf(leaf, sizeof(leaf), "ata.attributes.%u.name",
				 a->id);
			if (name != NULL) {
				h_str(h, leaf, name);
			} else {
				h_key(h, key, sizeof(key), leaf);
				c->rc |= fg_record_set_null(c->rec, key);
			}
			snprintf(leaf, sizeof(leaf),
				 "ata.attributes.%u.value", a->id);
			h_int(h, leaf, a->value);
			snprintf(leaf, sizeof(leaf),
				 "ata.attributes.%u.worst", a->id);
			h_int(h, leaf, a->worst);
			snprintf(leaf, sizeof(leaf), "ata.attributes.%u.raw",
				 a->id);
			h_int(h, leaf, (int64_t)a->raw);
			snprintf(leaf, sizeof(leaf),
				 "ata.attributes.%u.flags", a->id);
			h_int(h, leaf, a->flags);
		}
	}
	if (fg_src_ata_cmd(c, FG_ATA_SMART_READ_ERROR_LOG, buf, &ret, why,
		    sizeof(why)) != 0) {
		h_note(h, "SMART READ LOG 01h (summary error log): %s", why);
		return;
	}
	h_raw(h, "smart_error_log_summary",
	      "ATA SMART READ LOG 01h (summary error log)", buf, sizeof(buf));
	if (fg_ata_errlog_parse(buf, sizeof(buf), &el, &err) != FG_OK) {
		h_note(h, "%s", err.msg);
		return;
	}
	h_int(h, "ata.error_count", el.error_count);
	h_int(h, "ata.error_log_index", el.index);
}

/* One NVMe Get Log Page (controller-wide) into buf.  0, or -1 with why.
 * RAE set: an asynchronous event the controller holds stays held. */
static int nvme_get_log(int fd, uint8_t lid, uint8_t *buf, size_t len,
			char *why, size_t whylen)
{
	struct nvme_admin_cmd cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = 0x02;
	cmd.nsid = 0xffffffffu;
	cmd.cdw10 = lid | 0x8000u | (uint32_t)((len / 4 - 1) & 0xffff) << 16;
	cmd.addr = (uint64_t)(uintptr_t)buf;
	cmd.data_len = (uint32_t)len;
	return fg_src_nvme_admin(fd, &cmd, why, whylen);
}

/* A 63-bit counter, or null when it did not fit. */
static void h_counter(struct hctx *h, const char *leaf, uint64_t v)
{
	char key[160];

	if (v == UINT64_MAX) {
		h_key(h, key, sizeof(key), leaf);
		h->c.rc |= fg_record_set_null(h->c.rec, key);
	} else {
		h_int(h, leaf, (int64_t)v);
	}
}

/* NVMe: the SMART / Health log page and the Error Information log. */
static void health_nvme(struct hctx *h, int fd)
{
	uint8_t buf[512], elog[16 * 64];
	struct fg_nvme_health nh;
	struct fg_error err;
	char why[200], key[160];

	fg_error_clear(&err);
	if (nvme_get_log(fd, 0x02, buf, sizeof(buf), why, sizeof(why)) != 0) {
		char msg[300];
		snprintf(msg, sizeof(msg),
			 "NVMe Get Log Page 02h (SMART / Health): %s", why);
		h_unavailable(h, msg);
		return;
	}
	h_key(h, key, sizeof(key), "available");
	h->c.rc |= fg_record_set_bool(h->c.rec, key, 1);
	h_str(h, "via", "NVMe Get Log Page 02h and 01h (admin ioctl)");
	h_raw(h, "nvme_smart_health", "NVMe Get Log Page 02h (SMART / Health)",
	      buf, sizeof(buf));
	if (fg_nvme_health_parse(buf, sizeof(buf), &nh, &err) != FG_OK) {
		h_note(h, "%s", err.msg);
	} else {
		h_int(h, "nvme.critical_warning", nh.critical_warning);
		h_int(h, "nvme.temperature_kelvin", nh.temperature_kelvin);
		h_int(h, "nvme.available_spare_percent", nh.available_spare);
		h_int(h, "nvme.available_spare_threshold_percent",
		      nh.spare_threshold);
		h_int(h, "nvme.percentage_used", nh.percentage_used);
		h_counter(h, "nvme.data_units_read", nh.data_units_read);
		h_counter(h, "nvme.data_units_written", nh.data_units_written);
		h_counter(h, "nvme.power_cycles", nh.power_cycles);
		h_counter(h, "nvme.power_on_hours", nh.power_on_hours);
		h_counter(h, "nvme.unsafe_shutdowns", nh.unsafe_shutdowns);
		h_counter(h, "nvme.media_errors", nh.media_errors);
		h_counter(h, "nvme.error_log_entries", nh.error_log_entries);
	}
	if (nvme_get_log(fd, 0x01, elog, sizeof(elog), why, sizeof(why)) !=
	    0) {
		h_note(h, "NVMe Get Log Page 01h (Error Information): %s", why);
		return;
	}
	h_raw(h, "nvme_error_information",
	      "NVMe Get Log Page 01h (Error Information, 16 entries asked)",
	      elog, sizeof(elog));
	h_int(h, "nvme.error_information_entries",
	      (int64_t)fg_nvme_errlog_entries(elog, sizeof(elog)));
}

static void h_start(struct hctx *h, struct fg_record *rec, const char *when)
{
	char utc[40];

	memset(h, 0, sizeof(*h));
	h->c.rec = rec;
	h->c.sgfd = -1;
	snprintf(h->pfx, sizeof(h->pfx), "health.%s.", when);
	fg_record_utc_now(utc, sizeof(utc));
	h_str(h, "read_utc", utc);
}

int fg_health_none(struct fg_record *rec, const char *when, const char *why)
{
	struct hctx h;

	h_start(&h, rec, when);
	h_unavailable(&h, why);
	return h.c.rc != FG_OK ? FG_ENOMEM : FG_OK;
}

int fg_health_read_sim(struct fg_record *rec, const char *when,
		       const struct fg_drive_sim *sim)
{
	struct hctx h;

	h_start(&h, rec, when);
	h.c.sim = sim;
	health_ata(&h);
	return h.c.rc != FG_OK ? FG_ENOMEM : FG_OK;
}

int fg_health_read(struct fg_record *rec, const char *when, int fd,
		   unsigned major, unsigned minor, const char *sysroot)
{
	struct hctx h;
	struct idctx *c = &h.c;
	char node[PATH_MAX], msg[400];
	int dfd = fd;

	h_start(&h, rec, when);
	if (fg_blkdev_from_dev(&c->b, major, minor, sysroot) != 0) {
		snprintf(msg, sizeof(msg),
			 "sysfs does not know block device %u:%u (%s)", major,
			 minor, strerror(errno));
		h_unavailable(&h, msg);
		return c->rc != FG_OK ? FG_ENOMEM : FG_OK;
	}
	c->disk = c->b;
	if (c->b.is_partition &&
	    fg_blkdev_from_name(&c->disk, c->b.disk, sysroot) != 0)
		c->disk = c->b;
	fg_src_classify_transport(c);
	if (c->virtual_dev || strcmp(c->transport, "mmc") == 0) {
		snprintf(msg, sizeof(msg),
			 "%s is a%s %s device, not a drive that keeps SMART "
			 "data",
			 c->disk.name, c->transport[0] == 'm' ? "n" : "",
			 c->transport);
		h_unavailable(&h, msg);
		return c->rc != FG_OK ? FG_ENOMEM : FG_OK;
	}
	/* A partition: ask its whole disk. */
	if (fd >= 0 && c->b.is_partition) {
		dfd = -1;
		if (fg_blkdev_node(c->disk.name, c->disk.major, c->disk.minor,
				   node, sizeof(node)) == 0)
			dfd = open(node, O_RDONLY | O_CLOEXEC | O_NOCTTY |
					     O_NONBLOCK);
	}
	if (dfd < 0) {
		snprintf(msg, sizeof(msg),
			 "the whole disk %s could not be opened to ask it",
			 c->disk.name);
		h_unavailable(&h, msg);
	} else if (strcmp(c->transport, "nvme") == 0) {
		health_nvme(&h, dfd);
	} else {
		c->sgfd = dfd;
		health_ata(&h);
	}
	if (dfd >= 0 && dfd != fd)
		close(dfd);
	return c->rc != FG_OK ? FG_ENOMEM : FG_OK;
}
