/*
 * report_words.c - what the text and HTML reports say in words rather than
 * as stored: sizes ("8192 sectors of 512 bytes = 4194304 bytes (4.19 MB,
 * 4 MiB)"), the acquisition's settings with their human labels ("Chunk
 * size: 32 KiB (auto)"), the write-block state as one sentence per device
 * (in the words of the imaging log, fg_record_devices_words), what an
 * event of the event log did.  The JSON export keeps
 * every stored value as it is; these words only read it.
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

/* A parameter: p.key as a boolean (1 yes, 0 no, -1 absent). */
static int pbool(json_t *p, const char *key)
{
	json_t *v = json_object_get(p, key);

	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	return -1;
}

static int64_t pint(json_t *p, const char *key, int64_t dflt)
{
	int64_t v;

	return jint(p, key, &v) ? v : dflt;
}

/* Put label: value where it belongs: the details take what was set or
 * matters (always), the appendix what was left at its default. */
struct settings {
	struct fg_report *r;
	int appendix;
	int n; /* fields put */
};

static void put(struct settings *s, int is_default, int always,
		const char *label, const char *value)
{
	int here = s->appendix ? is_default && !always
			       : !is_default || always;

	if (!here)
		return;
	s->r->ops->field(s->r, label, value, 0);
	s->n++;
}

int fg_report_settings(struct fg_report *r, json_t *acq, json_t *p,
		       int appendix)
{
	struct settings s = {r, appendix, 0};
	json_t *rec = json_object_get(acq, "record");
	json_t *cont = json_object_get(rec, "container");
	const char *fmt = jstr(p, "format") ?: jstr(acq, "format");
	int e01 = fmt != NULL && strcmp(fmt, "e01") == 0;
	char b1[96], b2[40], *t;
	int64_t v, w;
	const char *sv;

	if (!json_is_object(p))
		return 0;
	put(&s, 0, 1, "Image format",
	    fmt == NULL ? NULL : e01 ? "E01 (Expert Witness)" : "raw (dd)");
	sv = jstr(p, "hashes");
	t = NULL;
	if (sv != NULL) {
		struct fg_buf o = {NULL, 0, 0, 0};
		char *dup = strdup(sv), *tok, *save = NULL;
		for (tok = dup ? strtok_r(dup, ",", &save) : NULL; tok;
		     tok = strtok_r(NULL, ",", &save))
			fg_buf_printf(&o, "%s%s", o.len ? ", " : "",
				      fg_report_hash_label(tok));
		free(dup);
		t = o.failed ? NULL : o.p;
		if (o.failed)
			free(o.p);
	}
	put(&s, sv != NULL && strcmp(sv, "md5,sha256") == 0, 1, "Hashes",
	    t ? t : sv);
	free(t);
	if (e01) {
		v = pint(p, "chunk_size", 0);
		if (v > 0) {
			fg_size_binary(b1, sizeof(b1), (uint64_t)v);
		} else if (jint(cont, "chunk_size", &w) && w > 0) {
			fg_size_binary(b2, sizeof(b2), (uint64_t)w);
			snprintf(b1, sizeof(b1), "%s (auto)", b2);
		} else {
			snprintf(b1, sizeof(b1), "auto");
		}
		put(&s, v <= 0, 1, "Chunk size", b1);
		sv = jstr(p, "compression");
		put(&s, sv == NULL || strcmp(sv, "fast") == 0, 0,
		    "Compression", sv);
		sv = jstr(p, "ewf_format");
		put(&s, sv == NULL || strcmp(sv, "encase6") == 0, 0,
		    "E01 flavour", sv);
	}
	v = pint(p, "segment_size", 0);
	if (v > 0) {
		fg_size_binary(b2, sizeof(b2), (uint64_t)v);
		snprintf(b1, sizeof(b1), "split into files of at most %s", b2);
	} else if (e01 && jint(cont, "segment_size_limit", &w) && w > 0) {
		fg_size_binary(b2, sizeof(b2), (uint64_t)w);
		snprintf(b1, sizeof(b1), "at most %s a file (default)", b2);
	} else {
		snprintf(b1, sizeof(b1), "not split");
	}
	put(&s, v <= 0, 1, "Segment size", b1);
	sv = jstr(p, "second_output");
	put(&s, sv == NULL, 1, "Second copy", sv ? sv : "none");
	v = pint(p, "retries", 3);
	snprintf(b1, sizeof(b1), "%" PRId64 " extra read(s) of a failing sector",
		 v);
	put(&s, v == 3, 1, "Retries", b1);
	v = pint(p, "fill_byte", 0);
	snprintf(b1, sizeof(b1), "0x%02" PRIx64 "%s", v & 0xff,
		 v == 0 ? " (zero bytes)" : "");
	put(&s, v == 0, 1, "Unreadable sectors filled with", b1);
	v = pint(p, "block_size", 1048576);
	if (v > 0)
		fg_size_binary(b1, sizeof(b1), (uint64_t)v);
	else
		snprintf(b1, sizeof(b1), "%" PRId64 " bytes", v);
	put(&s, v == 1048576, 0, "Read size", b1);
	v = pint(p, "offset", 0);
	w = pint(p, "length", 0);
	if (v == 0 && w == 0)
		snprintf(b1, sizeof(b1), "the whole source");
	else if (w == 0)
		snprintf(b1, sizeof(b1), "from byte %" PRId64 " to the end", v);
	else
		snprintf(b1, sizeof(b1),
			 "%" PRId64 " bytes from byte %" PRId64, w, v);
	put(&s, v == 0 && w == 0, 0, "Range acquired", b1);
	v = pint(p, "hash_window", 0);
	if (v > 0) {
		fg_size_binary(b2, sizeof(b2), (uint64_t)v);
		snprintf(b1, sizeof(b1), "SHA-256 of every %s", b2);
	}
	put(&s, v <= 0, 0, "Hash windows", v > 0 ? b1 : "none");
	v = pbool(p, "verify");
	put(&s, v != 1, 0, "Evidence re-read after writing (--verify)",
	    v == 1 ? "yes" : v == 0 ? "no" : NULL);
	v = pbool(p, "verify_source");
	put(&s, v != 1, 0, "Source re-read (--verify-source)",
	    v == 1 ? "yes" : v == 0 ? "no" : NULL);
	v = pbool(p, "no_write_block");
	put(&s, v != 1, 0, "Write block",
	    v == 1 ? "DISABLED (--no-write-block)" : "on (the default)");
	sv = jstr(p, "mapfile");
	put(&s, sv == NULL, 0, "Mapfile", sv ? sv : "none");
	v = pbool(p, "resume");
	put(&s, v != 1, 0, "Resumed run", v == 1 ? "yes" : "no");
	return s.n;
}

/* ---- Write block --------------------------------------------------------- */

char *fg_report_write_block_words(json_t *wb)
{
	struct fg_buf o = {NULL, 0, 0, 0};
	const char *st = jstr(wb, "state");
	char *devs;

	if (!json_is_object(wb))
		return NULL;
	if (json_is_true(json_object_get(wb, "no_write_block")))
		fg_buf_printf(&o, "DISABLED by --no-write-block: %s.\n",
			      st ? st : "the kernel read-only flag was not set");
	/* Each device in the words of the imaging log. */
	devs = fg_record_devices_words(json_object_get(wb, "devices"));
	if (devs == NULL)
		o.failed = 1;
	else if (devs[0] != '\0')
		fg_buf_printf(&o, "%s", devs);
	else if (st != NULL)
		fg_buf_printf(&o, "%s%s.", o.len ? "\n" : "", st);
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
