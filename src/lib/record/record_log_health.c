/*
 * record_log_health.c - the imaging log's lines for a drive's pages as it
 * gave them (source.raw_pages: name, size, SHA-256; the bytes stay in the
 * JSON) and its health before and after the acquisition (health.*: what
 * was read, each SMART attribute or NVMe value, and what changed), see
 * record_log.c.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/base_int.h"
#include "record/record_int.h"

void fg_log_raw_pages(struct fg_log *l, const char *lab, const char *key)
{
	json_t *pages = fg_record_json_at(l->root, key), *pg;
	const char *name;
	char k[200];

	json_object_foreach(pages, name, pg)
	{
		const char *sha, *from;
		int64_t bytes = 0;
		char *n, *f;

		snprintf(k, sizeof(k), "%s.%s.sha256", key, name);
		sha = fg_log_str(l, k);
		snprintf(k, sizeof(k), "%s.%s.from", key, name);
		from = fg_log_str(l, k);
		snprintf(k, sizeof(k), "%s.%s.bytes", key, name);
		fg_log_int(l, k, &bytes);
		/* The bytes themselves are for the JSON. */
		snprintf(k, sizeof(k), "%s.%s.base64", key, name);
		fg_log_take(l, k);
		n = fg_log_shown_or(name, "");
		f = fg_log_shown_or(from, "unknown");
		if (n != NULL && f != NULL)
			fg_log_fieldf(l, lab,
				      "%s, %" PRId64 " bytes from %s, SHA-256 "
				      "%s (the bytes are in the record)",
				      n, bytes, f, sha != NULL ? sha : "unknown");
		free(n);
		free(f);
	}
	fg_log_take(l, key);
}

/* The NVMe values of one reading, in one line. */
static void nvme_line(struct fg_log *l, const char *p)
{
	static const struct {
		const char *leaf, *words;
	} f[] = {
	    {"critical_warning", "critical warning"},
	    {"temperature_kelvin", "temperature (K)"},
	    {"available_spare_percent", "available spare %"},
	    {"available_spare_threshold_percent", "spare threshold %"},
	    {"percentage_used", "percentage used"},
	    {"media_errors", "media errors"},
	    {"error_log_entries", "error log entries"},
	    {"error_information_entries", "entries in the error log read"},
	    {"unsafe_shutdowns", "unsafe shutdowns"},
	    {"power_cycles", "power cycles"},
	    {"power_on_hours", "power-on hours"},
	    {"data_units_read", "data units read"},
	    {"data_units_written", "data units written"},
	};
	struct fg_buf s = {NULL, 0, 0, 0};
	char k[160];
	size_t i;

	if (fg_record_json_at(l->root, fg_log_sub(l, "%s.nvme", p)) == NULL)
		return;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		int64_t v;
		json_t *j;
		snprintf(k, sizeof(k), "%s.nvme.%s", p, f[i].leaf);
		j = fg_record_json_at(l->root, k);
		if (j == NULL)
			continue;
		if (fg_log_int(l, k, &v))
			fg_buf_printf(&s, "%s%s %" PRId64, s.len ? ", " : "",
				      f[i].words, v);
		else
			fg_buf_printf(&s, "%s%s too large", s.len ? ", " : "",
				      f[i].words);
	}
	if (s.failed)
		l->b->failed = 1;
	else if (s.p != NULL)
		fg_log_field(l, "NVMe", s.p);
	free(s.p);
	fg_log_take(l, fg_log_sub(l, "%s.nvme", p));
}

static void reading(struct fg_log *l, const char *lab, const char *p)
{
	const char *t;
	char *w, utc[40];
	int avail;

	if (fg_record_json_at(l->root, p) == NULL)
		return;
	avail = fg_log_bool(l, fg_log_sub(l, "%s.available", p));
	t = fg_log_str(l, fg_log_sub(l, "%s.read_utc", p));
	if (t != NULL)
		fg_log_utc(utc, sizeof(utc), t);
	if (avail == 1) {
		w = fg_log_shown_or(
		    fg_log_str(l, fg_log_sub(l, "%s.via", p)), "read");
		if (w != NULL)
			fg_log_fieldf(l, lab, "read at %s: %s",
				      t != NULL ? utc : "an unknown time", w);
	} else {
		w = fg_log_shown_or(
		    fg_log_str(l, fg_log_sub(l, "%s.note", p)), "unknown");
		if (w != NULL)
			fg_log_fieldf(l, lab, "not available: %s", w);
	}
	free(w);
	fg_log_list(l, "Note", fg_log_sub(l, "%s.notes", p));
}

/* The SMART attributes: before, and after where it moved. */
static void attributes(struct fg_log *l)
{
	json_t *before =
	    fg_record_json_at(l->root, "health.before.ata.attributes");
	json_t *a;
	const char *id;
	char k[200];
	int64_t v;

	json_object_foreach(before, id, a)
	{
		struct fg_buf s = {NULL, 0, 0, 0};
		int64_t value = 0, worst = 0, raw = 0, flags = 0, after;
		const char *name;
		char *n;

		snprintf(k, sizeof(k), "health.before.ata.attributes.%s.name",
			 id);
		name = fg_log_str(l, k);
		n = fg_log_shown_or(name, "(no common name)");
#define GET(leaf, var)                                                         \
	snprintf(k, sizeof(k), "health.before.ata.attributes.%s." leaf, id);   \
	fg_log_int(l, k, &(var))
		GET("value", value);
		GET("worst", worst);
		GET("raw", raw);
		GET("flags", flags);
		GET("id", v);
#undef GET
		fg_buf_printf(&s,
			      "%3s %s: value %" PRId64 ", worst %" PRId64
			      ", raw %" PRId64 ", flags %04" PRIx64,
			      id, n != NULL ? n : "", value, worst, raw,
			      (uint64_t)flags);
		snprintf(k, sizeof(k), "health.after.ata.attributes.%s.raw", id);
		if (fg_record_json_at(l->root, k) != NULL &&
		    fg_log_int(l, k, &after) && after != raw)
			fg_buf_printf(&s, "; raw %" PRId64 " after", after);
		if (s.failed)
			l->b->failed = 1;
		else
			fg_log_field(l, "Attribute", s.p);
		free(s.p);
		free(n);
	}
}

void fg_log_health(struct fg_log *l)
{
	int64_t v;

	if (fg_record_json_at(l->root, "health") == NULL)
		return;
	fg_log_heading(l, "DRIVE HEALTH");
	reading(l, "Before", "health.before");
	reading(l, "After", "health.after");
	fg_log_key_if(l, "Compared", "health.comparison");
	fg_log_list(l, "Change", "health.changes");
	attributes(l);
	if (fg_log_int(l, "health.before.ata.error_count", &v))
		fg_log_fieldf(l, "Error count", "%" PRId64 " before", v);
	if (fg_log_int(l, "health.after.ata.error_count", &v))
		fg_log_fieldf(l, "Error count", "%" PRId64 " after", v);
	nvme_line(l, "health.before");
	nvme_line(l, "health.after");
	fg_log_raw_pages(l, "Log page", "health.before.raw_pages");
	fg_log_raw_pages(l, "Log page", "health.after.raw_pages");
	/* What is left (the readings after, the error log index) is in the
	 * record: everything read has been said above. */
	fg_log_take(l, "health");
}
