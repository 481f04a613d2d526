/*
 * health_parse.c - the pure side of drive health (see health.h): ATA
 * SMART READ DATA and the summary SMART error log, the NVMe SMART /
 * Health and Error Information log pages, each decoded from a buffer; and
 * the comparison of health.before with health.after in the record.
 * identity.c asks the drive and hands these what it answered; the unit
 * tests feed them canned bytes.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <forage/health.h>
#include <forage/record.h>

#include "base/base_int.h"
#include "source/source_int.h"

static int sums_to_zero(const uint8_t *buf)
{
	uint8_t sum = 0;
	unsigned i;

	for (i = 0; i < 512; i++)
		sum = (uint8_t)(sum + buf[i]);
	return sum == 0;
}

static int all_zero(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != 0)
			return 0;
	return 1;
}

int fg_ata_smart_parse(const uint8_t *buf, size_t len,
		       struct fg_ata_smart *s, struct fg_error *err)
{
	unsigned i;

	memset(s, 0, sizeof(*s));
	if (len < 512)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "SMART READ DATA: %zu bytes, want 512",
				    len);
	if (all_zero(buf, 512))
		return fg_error_set(err, FG_EFORMAT, 0,
				    "SMART READ DATA: all zero bytes");
	/* The checksum byte is required by ATA-8 and later; a drive that
	 * leaves it 0 with a sum that is not 0 has not filled it in. */
	s->checksum_ok = sums_to_zero(buf);
	if (!s->checksum_ok && buf[511] != 0)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "SMART READ DATA: checksum wrong");
	s->revision = (unsigned)fg_src_le(buf, 2);
	for (i = 0; i < 30; i++) {
		const uint8_t *e = buf + 2 + 12 * i;
		struct fg_smart_attr *a;

		if (e[0] == 0)
			continue;
		a = &s->attr[s->nattr++];
		a->id = e[0];
		a->flags = (unsigned)fg_src_le(e + 1, 2);
		a->value = e[3];
		a->worst = e[4];
		a->raw = fg_src_le(e + 5, 6);
	}
	return FG_OK;
}

int fg_ata_errlog_parse(const uint8_t *buf, size_t len,
			struct fg_ata_errlog *l, struct fg_error *err)
{
	memset(l, 0, sizeof(*l));
	if (len < 512)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "SMART error log: %zu bytes, want 512",
				    len);
	if (buf[511] != 0 && !sums_to_zero(buf))
		return fg_error_set(err, FG_EFORMAT, 0,
				    "SMART error log: checksum wrong");
	if (buf[1] > 5)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "SMART error log: entry index %u is not "
				    "0-5",
				    buf[1]);
	l->version = buf[0];
	l->index = buf[1];
	l->error_count = (unsigned)fg_src_le(buf + 452, 2);
	return FG_OK;
}

/* Names as most drives and tools use them; only where vendors agree. */
static const struct {
	unsigned id;
	const char *name;
} attr_names[] = {
    {1, "Raw read error rate"},
    {2, "Throughput performance"},
    {3, "Spin-up time"},
    {4, "Start/stop count"},
    {5, "Reallocated sector count"},
    {7, "Seek error rate"},
    {8, "Seek time performance"},
    {9, "Power-on hours"},
    {10, "Spin retry count"},
    {11, "Calibration retry count"},
    {12, "Power cycle count"},
    {183, "Runtime bad block count"},
    {184, "End-to-end error count"},
    {187, "Reported uncorrectable errors"},
    {188, "Command timeout count"},
    {190, "Airflow temperature"},
    {191, "G-sense error rate"},
    {192, "Power-off retract count"},
    {193, "Load cycle count"},
    {194, "Temperature"},
    {195, "Hardware ECC recovered"},
    {196, "Reallocation event count"},
    {197, "Current pending sector count"},
    {198, "Offline uncorrectable sector count"},
    {199, "UDMA CRC error count"},
    {200, "Multi-zone error rate"},
};

const char *fg_smart_attr_name(unsigned id)
{
	size_t i;

	for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (attr_names[i].id == id)
			return attr_names[i].name;
	return NULL;
}

/* A 128-bit little-endian counter: its value when it fits in 63 bits. */
static uint64_t counter(const uint8_t *b, int *too_big)
{
	uint64_t lo = fg_src_le(b, 8);

	if (fg_src_le(b + 8, 8) != 0 || lo > (uint64_t)INT64_MAX) {
		*too_big = 1;
		return UINT64_MAX;
	}
	return lo;
}

int fg_nvme_health_parse(const uint8_t *buf, size_t len,
			 struct fg_nvme_health *h, struct fg_error *err)
{
	memset(h, 0, sizeof(*h));
	if (len < 512)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "SMART / Health log page: %zu bytes, "
				    "want 512",
				    len);
	h->critical_warning = buf[0];
	h->temperature_kelvin = (unsigned)fg_src_le(buf + 1, 2);
	h->available_spare = buf[3];
	h->spare_threshold = buf[4];
	h->percentage_used = buf[5];
	h->data_units_read = counter(buf + 32, &h->too_big);
	h->data_units_written = counter(buf + 48, &h->too_big);
	h->power_cycles = counter(buf + 112, &h->too_big);
	h->power_on_hours = counter(buf + 128, &h->too_big);
	h->unsafe_shutdowns = counter(buf + 144, &h->too_big);
	h->media_errors = counter(buf + 160, &h->too_big);
	h->error_log_entries = counter(buf + 176, &h->too_big);
	return FG_OK;
}

size_t fg_nvme_errlog_entries(const uint8_t *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i + 64 <= len; i += 64)
		if (fg_src_le(buf + i, 8) != 0)
			n++;
	return n;
}

/* ---- Before and after ------------------------------------------------- */

struct cmp {
	struct fg_record *rec;
	int n, oom;
};

/* One value of health.before and health.after (key below them); how it
 * moved, in words, when it moved the way that matters (dir 1: grew,
 * -1: fell, 0: changed at all). */
static void compare_one(struct cmp *c, const char *key, const char *what,
			int dir)
{
	char kb[160], ka[160], msg[320];
	int64_t b, a;

	snprintf(kb, sizeof(kb), "health.before.%s", key);
	snprintf(ka, sizeof(ka), "health.after.%s", key);
	if (fg_record_get_int(c->rec, kb, &b) != FG_OK ||
	    fg_record_get_int(c->rec, ka, &a) != FG_OK || a == b || a < 0 ||
	    b < 0)
		return;
	if ((dir > 0 && a < b) || (dir < 0 && a > b))
		return;
	snprintf(msg, sizeof(msg),
		 "%s %s from %" PRId64 " to %" PRId64 " during acquisition",
		 what,
		 dir == 0 ? "changed"
		 : a > b  ? "grew"
			  : "fell",
		 b, a);
	if (fg_record_append_str(c->rec, "health.changes", msg) != FG_OK)
		c->oom = 1;
	c->n++;
}

/* The SMART attributes whose raw value counts trouble: growth during an
 * acquisition is worth a line in the report. */
static const unsigned trouble_ids[] = {1,   5,	 10,  183, 184, 187, 188,
				       196, 197, 198, 199, 200};

int fg_health_compare(struct fg_record *rec)
{
	struct cmp c = {rec, 0, 0};
	char why[400], key[96], what[128];
	const char *nb, *na;
	int ab = 0, aa = 0;
	size_t i;

	(void)fg_record_get_bool(rec, "health.before.available", &ab);
	(void)fg_record_get_bool(rec, "health.after.available", &aa);
	nb = fg_record_get_str(rec, "health.before.note");
	na = fg_record_get_str(rec, "health.after.note");
	if (!ab || !aa) {
		snprintf(why, sizeof(why), "not compared: health was %s%s%s",
			 !ab ? "not available before the acquisition"
			     : "not available after the acquisition",
			 (!ab ? nb : na) != NULL ? ": " : "",
			 (!ab ? nb : na) != NULL ? (!ab ? nb : na) : "");
		return fg_record_set_str(rec, "health.comparison", why) ==
			       FG_OK
			   ? 0
			   : -1;
	}
	for (i = 0; i < sizeof(trouble_ids) / sizeof(trouble_ids[0]); i++) {
		const char *name = fg_smart_attr_name(trouble_ids[i]);
		snprintf(key, sizeof(key), "ata.attributes.%u.raw",
			 trouble_ids[i]);
		snprintf(what, sizeof(what), "%s",
			 name != NULL ? name : "A SMART attribute");
		compare_one(&c, key, what, 1);
	}
	compare_one(&c, "ata.error_count", "The drive's error count", 1);
	compare_one(&c, "nvme.critical_warning", "Critical warning", 0);
	compare_one(&c, "nvme.media_errors", "Media and data integrity errors",
		    1);
	compare_one(&c, "nvme.error_log_entries", "Error log entries", 1);
	compare_one(&c, "nvme.available_spare_percent", "Available spare",
		    -1);
	compare_one(&c, "nvme.percentage_used", "Percentage used", 1);
	if (c.n == 0)
		snprintf(why, sizeof(why), "compared: no change worth noting");
	else
		snprintf(why, sizeof(why), "compared: %d change%s", c.n,
			 c.n == 1 ? "" : "s");
	if (c.oom || fg_record_set_str(rec, "health.comparison", why) != FG_OK)
		return -1;
	return c.n;
}
