/*
 * report_words.c - what the text and HTML reports say in words rather than
 * as stored: sizes ("8192 sectors of 512 bytes = 4194304 bytes (4.19 MB,
 * 4 MiB)"), the acquisition's settings with their human labels ("Chunk
 * size: 32 KiB (auto, default)") and the write-block state as one
 * sentence per device, both in the words of the imaging log
 * (fg_record_settings_words, fg_record_devices_words in record/), what an
 * event of the event log did.  The JSON export keeps every stored value
 * as it is; these words only read it.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/record.h>

#include "report/report_int.h"

/* ---- Sizes -------------------------------------------------------------- */

char *fg_report_size_words(int64_t bytes, int64_t sector_size)
{
	char both[64];

	fg_size_both(both, sizeof(both), bytes > 0 ? (uint64_t)bytes : 0);
	if (sector_size > 0 && bytes % sector_size == 0)
		return fg_strdup_printf("%" PRId64 " sectors of %" PRId64
					" bytes = %" PRId64 " bytes (%s)",
					bytes / sector_size, sector_size,
					bytes, both);
	return fg_strdup_printf("%" PRId64 " bytes (%s)", bytes, both);
}

/* ---- Settings ------------------------------------------------------------ */

/* Put label: value where it belongs: the details take what was set or
 * matters (always), the appendix what was left at its default. */
struct settings {
	struct fg_report *r;
	int appendix;
	int n; /* fields put */
};

static void put(void *arg, const struct fg_record_setting *st)
{
	struct settings *s = arg;
	int here = s->appendix ? st->is_default && !st->always
			       : !st->is_default || st->always;

	if (!here)
		return;
	/* The appendix holds only defaults: no mark needed there. */
	s->r->ops->field(s->r, st->label, s->appendix ? st->bare : st->value,
			 0);
	s->n++;
}

int fg_report_settings(struct fg_report *r, json_t *acq, json_t *p,
		       int appendix)
{
	struct settings s = {r, appendix, 0};
	const char *fmt = jstr(acq, "format");
	json_t *own = NULL;

	if (!json_is_object(p))
		return 0;
	/* The settings in the words of the imaging log; the format from
	 * the acquisition's row when the parameters lack it. */
	if (jstr(p, "format") == NULL && fmt != NULL) {
		own = json_copy(p);
		if (own != NULL)
			json_object_set_new(own, "format", json_string(fmt));
	}
	fg_record_settings_words(own != NULL ? own : p,
				 json_object_get(acq, "record"), put, &s);
	json_decref(own);
	return s.n;
}

/* ---- Write block --------------------------------------------------------- */

char *fg_report_write_block_words(json_t *wb)
{
	struct fg_buf o = {NULL, 0, 0, 0};
	const char *lead = fg_record_write_block_words(wb);
	int nwb = json_is_true(json_object_get(wb, "no_write_block"));
	char *devs;

	if (!json_is_object(wb))
		return NULL;
	/* In the words of the imaging log: disabled first; each device;
	 * the state as recorded when there is no device. */
	if (nwb)
		fg_buf_printf(&o, "%s", lead);
	devs = fg_record_devices_words(json_object_get(wb, "devices"));
	if (devs == NULL)
		o.failed = 1;
	else if (devs[0] != '\0')
		fg_buf_printf(&o, "%s%s", o.len ? "\n" : "", devs);
	else if (!nwb && lead != NULL)
		fg_buf_printf(&o, "%s", lead);
	free(devs);
	if (o.len == 0) {
		/* A shape these words do not know: as stored. */
		char *j = json_dumps(wb, JSON_COMPACT | JSON_SORT_KEYS);
		fg_buf_printf(&o, "as recorded: %s", j ? j : "?");
		free(j);
	}
	if (json_is_true(json_object_get(wb, "held_by_others")))
		fg_buf_printf(&o, "%sAnother program held the device open.",
			      o.len ? "\n" : "");
	if (o.failed) {
		free(o.p);
		return NULL;
	}
	return o.p;
}

/* ---- The event log -------------------------------------------------------- */

/* A digest shortened for the eye (the JSON export has it whole). */
static void short_hash(struct fg_buf *o, const char *h)
{
	fg_buf_printf(o, "%.12s%s", h, strlen(h) > 12 ? "..." : "");
}

/* The media hashes of an object {"md5":..,"sha256":..}, shortened. */
static void short_hashes(struct fg_buf *o, json_t *mh)
{
	const char *k;
	json_t *v;

	json_object_foreach(mh, k, v) {
		if (!json_is_string(v))
			continue;
		fg_buf_printf(o, ", %s ", fg_report_hash_label(k));
		short_hash(o, json_string_value(v));
	}
}

char *fg_report_event_words(json_t *e)
{
	struct fg_buf o = {NULL, 0, 0, 0};
	const char *kind = jstr(e, "kind") ?: UNKNOWN;
	json_t *d = json_loads(jstr(e, "details") ?: "", 0, NULL);
	char b1[32], b2[32];
	const char *v;

	if (!json_is_object(d)) {
		fg_buf_printf(&o, "%s", kind);
	} else if (strcmp(kind, "case-created") == 0) {
		fg_buf_printf(&o, "case %s opened", jstr(d, "case_id") ?: "?");
		if ((v = jstr(d, "description")) != NULL)
			fg_buf_printf(&o, ": %s", v);
	} else if (strcmp(kind, "evidence-added") == 0) {
		fg_buf_printf(&o, "evidence item %s added",
			      jstr(d, "evidence_id") ?: "?");
		if ((v = jstr(d, "description")) != NULL)
			fg_buf_printf(&o, ": %s", v);
	} else if (strcmp(kind, "acquisition-started") == 0) {
		fg_buf_printf(&o, "acquisition %s started",
			      jtext(d, "acquisition_id", b1, sizeof(b1)) ?: "?");
		if ((v = jstr(d, "source_path")) != NULL)
			fg_buf_printf(&o, " from %s", v);
	} else if (strcmp(kind, "acquisition-completed") == 0 ||
		   strcmp(kind, "acquisition-ended") == 0) {
		fg_buf_printf(&o, "acquisition %s ended: %s (exit %s)",
			      jtext(d, "acquisition_id", b1, sizeof(b1)) ?: "?",
			      jstr(d, "status") ?: jstr(d, "state") ?: "?",
			      jtext(d, "exit_code", b2, sizeof(b2)) ?: "?");
		short_hashes(&o, json_object_get(d, "media_hashes"));
	} else if (strcmp(kind, "verification") == 0) {
		fg_buf_printf(&o, "verification of acquisition %s: %s",
			      jtext(d, "acquisition_id", b1, sizeof(b1)) ?: "?",
			      jstr(d, "result") ?: "?");
	} else if (strcmp(kind, "custody") == 0) {
		fg_buf_printf(&o, "custody: %s, %s to %s",
			      jstr(d, "action") ?: "?",
			      jstr(d, "from_party") ?: "?",
			      jstr(d, "to_party") ?: "?");
		if ((v = jstr(d, "location")) != NULL)
			fg_buf_printf(&o, ", at %s", v);
		if ((v = jstr(d, "reason")) != NULL)
			fg_buf_printf(&o, " (%s)", v);
	} else {
		/* A kind this report has no words for: its name and the
		 * details as stored, cut short (the JSON export has them). */
		const char *det = jstr(e, "details");
		fg_buf_printf(&o, "%s", kind);
		if (det != NULL)
			fg_buf_printf(&o, ": %.160s%s", det,
				      strlen(det) > 160 ? "..." : "");
	}
	json_decref(d);
	if (o.failed) {
		free(o.p);
		return NULL;
	}
	return o.p;
}

char *fg_report_health_words(json_t *acq)
{
	json_t *h = json_object_get(json_object_get(acq, "record"), "health");
	json_t *before = json_object_get(h, "before");
	const char *cmp = jstr(h, "comparison");
	size_t n = json_array_size(json_object_get(h, "changes"));

	if (!json_is_object(h))
		return NULL;
	if (!json_is_true(json_object_get(before, "available")))
		return fg_strdup_printf("not available: %s.",
					jstr(before, "note") ?: UNKNOWN);
	if (!json_is_true(json_object_get(json_object_get(h, "after"),
					  "available")))
		return fg_strdup_printf(
		    "read before the acquisition, not after: %s.",
		    jstr(json_object_get(h, "after"), "note") ?: UNKNOWN);
	if (n > 0)
		return fg_strdup_printf("read before and after; %zu value%s "
					"changed during the acquisition "
					"(below).",
					n, n == 1 ? "" : "s");
	return fg_strdup_printf("read before and after (%s).",
				cmp != NULL ? cmp : "not compared");
}
