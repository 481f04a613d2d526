/*
 * report.c - the court report (see report.h): the case database's export
 * plus the audit result, rendered as text, HTML, JSON, DFXML or CASE/UCO.
 *
 * This file holds the entry points, the table of formats (a format is a
 * row here and a file of its own, report_int.h lists them) and what the
 * formats share: escaping, reading facts of the export, the names of hash
 * algorithms, the audit in words.
 *
 * Text and HTML share one walk over the export (fg_report_walk) that talks
 * to a small table of output operations (struct fg_report_ops), so that
 * both say the same things in the same order.  DFXML and CASE/UCO have
 * walks of their own because their shapes are fixed by their schemas.
 *
 * Nothing is invented: a value absent or null in the export is "unknown"
 * (text, HTML), stays null (JSON) or is left out (DFXML, CASE/UCO).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/record.h>

#include "report/report_int.h"

/* ---- Output ------------------------------------------------------------ */

void fg_report_put_esc(struct fg_buf *o, const char *s,
		       enum fg_report_esc how)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		char hex[8];

		if (*p < 0x20 && *p != '\n' && *p != '\t') {
			/* XML 1.0 has no way to carry most C0 controls, and a
			 * terminal must not receive them: show them. */
			snprintf(hex, sizeof(hex), "\\x%02x", *p);
			fg_buf_puts(o, hex);
		} else if (*p == 0x7f) {
			fg_buf_puts(o, "\\x7f");
		} else if (how == ESC_MARKUP && *p == '&') {
			fg_buf_puts(o, "&amp;");
		} else if (how == ESC_MARKUP && *p == '<') {
			fg_buf_puts(o, "&lt;");
		} else if (how == ESC_MARKUP && *p == '>') {
			fg_buf_puts(o, "&gt;");
		} else if (how == ESC_MARKUP && *p == '"') {
			fg_buf_puts(o, "&quot;");
		} else if (how == ESC_MARKUP && *p == '\'') {
			fg_buf_puts(o, "&#39;");
		} else {
			fg_buf_put(o, (const char *)p, 1);
		}
	}
}

/* ---- Reading the export ------------------------------------------------ */

/* A fact about the source that the acquisition row or its record may hold
 * (HPA and DCO state): the acquisition's own member, then the record's
 * source.NAME. */
json_t *fg_report_source_fact(json_t *acq, const char *name)
{
	json_t *v = json_object_get(acq, name);
	json_t *rec;

	if (v != NULL && !json_is_null(v))
		return v;
	rec = json_object_get(acq, "record");
	v = json_object_get(json_object_get(rec, "source"), name);
	return v != NULL && !json_is_null(v) ? v : NULL;
}

/* The window index (the export may name it index or idx). */
const char *fg_report_window_index(json_t *w, char *buf, size_t n)
{
	const char *s = jtext(w, "index", buf, n);

	return s != NULL ? s : jtext(w, "idx", buf, n);
}

/* What a person and CASE/UCO call a digest the database names alg (the
 * hash set's names, digest/hash.c); an unknown name as it is. */
const char *fg_report_hash_label(const char *alg)
{
	const char *l = fg_hash_label(fg_hash_from_name(alg));

	return l != NULL ? l : alg;
}

const char *fg_report_hash_uco(const char *alg)
{
	const char *u = fg_hash_uco_name(fg_hash_from_name(alg));

	return u != NULL ? u : alg;
}

/* Call fn for every media hash: the known algorithms first, in order,
 * then any other the database holds. */
void fg_report_each_media_hash(json_t *acq,
			       void (*fn)(void *ctx, const char *alg,
					  const char *hex),
			       void *ctx)
{
	json_t *mh = json_object_get(acq, "media_hashes");
	const char *alg;
	json_t *v;
	size_t i;

	if (!json_is_object(mh))
		return;
	for (i = 0; i < FG_NHASH; i++) {
		alg = fg_hash_name(fg_hash_set[i]);
		v = json_object_get(mh, alg);
		if (json_is_string(v))
			fn(ctx, alg, json_string_value(v));
	}
	json_object_foreach(mh, alg, v) {
		if (fg_hash_from_name(alg) == 0 && json_is_string(v))
			fn(ctx, alg, json_string_value(v));
	}
}

/* Every acquisition, filed or not. */
void fg_report_each_acquisition(json_t *doc, fg_report_acq_fn fn, void *ctx)
{
	json_t *c, *e, *a;
	size_t i, j, k;

	json_array_foreach(jarr(doc, "cases"), i, c) {
		json_array_foreach(jarr(c, "evidence"), j, e)
			json_array_foreach(jarr(e, "acquisitions"), k, a)
				fn(ctx, c, e, a);
		json_array_foreach(jarr(c, "unfiled_acquisitions"), k, a)
			fn(ctx, c, NULL, a);
	}
	json_array_foreach(jarr(doc, "unfiled_acquisitions"), k, a)
		fn(ctx, NULL, NULL, a);
}

/* ---- Lists the export cut ---------------------------------------------- */

int64_t fg_report_omitted(json_t *obj, const char *key, size_t *after)
{
	char okey[64];
	json_t *om;
	int64_t n = 0, at = 0;
	size_t size = json_array_size(jarr(obj, key));

	*after = size;
	snprintf(okey, sizeof(okey), "%s_omitted", key);
	om = json_is_object(obj) ? json_object_get(obj, okey) : NULL;
	if (!jint(om, "count", &n) || n <= 0)
		return 0;
	if (jint(om, "after", &at) && at >= 0 && (uint64_t)at < size)
		*after = (size_t)at;
	return n;
}

char *fg_report_omitted_sentence(json_t *obj, const char *key,
				 const char *what, const char *see)
{
	json_t *arr = jarr(obj, key);
	size_t after, size = json_array_size(arr);
	int64_t n = fg_report_omitted(obj, key, &after);
	char b1[32], b2[32];
	const char *id1 = after > 0 ? jtext(json_array_get(arr, after - 1),
					    "id", b1, sizeof(b1))
				    : NULL;
	const char *id2 = after < size ? jtext(json_array_get(arr, after),
					       "id", b2, sizeof(b2))
				       : NULL;

	/* Rows without an id (bad ranges, diffs, ...): their place in the
	 * list, counted from 1. */
	if (id1 == NULL && id2 == NULL && n > 0) {
		snprintf(b1, sizeof(b1), "%zu", after);
		snprintf(b2, sizeof(b2), "%" PRId64, (int64_t)after + n + 1);
		id1 = after > 0 ? b1 : NULL;
		id2 = b2;
	}

	return fg_strdup_printf(
		"%" PRId64 " %s %s NOT listed here%s%s%s%s%s: of the %" PRId64
		" in the case database this report lists the first %zu and "
		"the last %zu, and no more.  %s lists them all.",
		n, what, n == 1 ? "is" : "are", id1 || id2 ? ", " : "",
		id1 ? "after #" : "", id1 ? id1 : "",
		id1 && id2 ? " and before #" : id2 ? "before #" : "",
		id2 ? id2 : "", n + (int64_t)size, after, size - after, see);
}

char *fg_report_see(const char *case_id, const char *evidence_id, int json)
{
	return fg_strdup_printf("forage case show%s%s%s%s%s",
				case_id ? " --case " : "",
				case_id ? case_id : "",
				evidence_id ? " --evidence " : "",
				evidence_id ? evidence_id : "",
				json ? " --json" : "");
}

static const struct {
	const char *key, *what;
} list_whats[] = {
	{"evidence", "evidence items"},
	{"acquisitions", "acquisitions"},
	{"unfiled_acquisitions", "acquisitions"},
	{"custody", "custody entries"},
	{"events", "events"},
	{"outputs", "output files"},
	{"bad_ranges", "bad ranges"},
	{"hash_windows", "hash windows"},
	{"verifications", "verifications"},
	{"unfiled_verifications", "verifications"},
	{"hashes", "verification hashes"},
	{"diffs", "verification differences"},
	{NULL, NULL}};

const char *fg_report_list_what(const char *key)
{
	size_t i;

	for (i = 0; list_whats[i].key != NULL; i++)
		if (strcmp(list_whats[i].key, key) == 0)
			return list_whats[i].what;
	return "rows";
}

char *fg_report_cut_at(json_t *obj, const char *key, size_t i,
		       const char *case_id, const char *evidence_id,
		       int *failed)
{
	size_t after;
	char *see, *s;

	if (fg_report_omitted(obj, key, &after) == 0 || i != after)
		return NULL;
	see = fg_report_see(case_id, evidence_id, 1);
	s = see ? fg_report_omitted_sentence(obj, key,
					     fg_report_list_what(key), see)
		: NULL;
	if (s == NULL)
		*failed = 1;
	free(see);
	return s;
}

/* ---- The report as a whole --------------------------------------------- */

const char *fg_report_audit_state_name(enum fg_report_audit_state s)
{
	switch (s) {
	case FG_REPORT_AUDIT_INTACT: return "intact";
	case FG_REPORT_AUDIT_BROKEN: return "broken";
	case FG_REPORT_AUDIT_FAILED: return "could not be checked";
	case FG_REPORT_AUDIT_NOT_RUN: break;
	}
	return UNKNOWN;
}

/* One sentence on the audit, for a person. */
char *fg_report_audit_sentence(const struct fg_report_audit *a)
{
	switch (a->state) {
	case FG_REPORT_AUDIT_INTACT: {
		char anch[1200];

		if (a->anchor_note[0] != '\0')
			snprintf(anch, sizeof(anch), "; %s", a->anchor_note);
		else if (a->anchored > 0 && a->anchored < a->events)
			snprintf(anch, sizeof(anch),
				 "; anchored outside the database up to event "
				 "%" PRId64 " by %s, %" PRId64
				 " event(s) since not yet anchored",
				 a->anchored, a->anchored_by,
				 a->events - a->anchored);
		else if (a->anchored > 0)
			snprintf(anch, sizeof(anch),
				 "; anchored outside the database up to the "
				 "last event by %s",
				 a->anchored_by);
		else
			snprintf(anch, sizeof(anch),
				 "; no anchor outside the database: this "
				 "shows self-consistency only");
		return fg_strdup_printf(
			"intact: %" PRId64 " event(s) recomputed, every link "
			"holds; last event sha256 %s%s",
			a->events,
			a->head_sha256 && *a->head_sha256 ? a->head_sha256
							  : "(no events)",
			a->events > 0 ? anch : "");
	}
	case FG_REPORT_AUDIT_BROKEN:
		if (a->first_bad_id == 0)
			return fg_strdup_printf("BROKEN: %s",
						a->problem ? a->problem
							   : UNKNOWN);
		return fg_strdup_printf(
			"BROKEN: first broken link at event %" PRId64
			" (%" PRId64 " event(s) checked): %s",
			a->first_bad_id, a->events,
			a->problem ? a->problem : UNKNOWN);
	case FG_REPORT_AUDIT_FAILED:
		return fg_strdup_printf("could not be checked: %s",
					a->problem ? a->problem : UNKNOWN);
	case FG_REPORT_AUDIT_NOT_RUN:
		break;
	}
	return fg_strdup_printf("unknown (no audit was run)");
}

/* Append root (consumed; NULL means out of memory) as indented JSON and a
 * line feed to the report. */
int fg_report_emit_json(struct fg_report *r, json_t *root)
{
	char *s;

	if (root == NULL)
		return FG_ENOMEM;
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (s == NULL)
		return FG_ENOMEM;
	fg_buf_puts(&r->o, s);
	fg_buf_puts(&r->o, "\n");
	free(s);
	return FG_OK;
}

/* ---- Entry points ------------------------------------------------------ */

/* The formats, in the order of enum fg_report_format: a new format is a
 * new row and a new file. */
static const struct fg_report_format_def {
	const char *name;
	int (*render)(struct fg_report *r);
	const struct fg_report_ops *ops; /* the walk's output (text, HTML) */
} formats[] = {
	[FG_REPORT_TEXT] = {"text", fg_report_walk, &fg_report_text_ops},
	[FG_REPORT_HTML] = {"html", fg_report_walk, &fg_report_html_ops},
	[FG_REPORT_JSON] = {"json", fg_report_render_json, NULL},
	[FG_REPORT_DFXML] = {"dfxml", fg_report_render_dfxml, NULL},
	[FG_REPORT_CASE_UCO] = {"case-uco", fg_report_render_case_uco, NULL},
	[FG_REPORT_PDF] = {"pdf", fg_report_render_pdf, &fg_report_html_ops},
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

size_t fg_report_format_list(char *buf, size_t n, const char *last_sep)
{
	size_t i, len = 0;

	if (n > 0)
		buf[0] = '\0';
	for (i = 0; i < NFORMATS; i++) {
		const char *sep = i + 1 < NFORMATS ? ", " : last_sep;
		size_t at = len < n ? len : n;
		int k = snprintf(buf + at, n - at, "%s%s", i > 0 ? sep : "",
				 formats[i].name);

		if (k > 0)
			len += (size_t)k;
	}
	return len;
}

int fg_report_format_parse(const char *name, enum fg_report_format *out,
			   struct fg_error *err)
{
	char known[128];
	size_t i;

	for (i = 0; name != NULL && i < NFORMATS; i++) {
		if (strcmp(name, formats[i].name) == 0) {
			*out = (enum fg_report_format)i;
			return FG_OK;
		}
	}
	fg_report_format_list(known, sizeof(known), ", ");
	return fg_error_set(err, FG_EINVAL, 0,
			    "unknown report format '%s' (known: %s)",
			    name ? name : "", known);
}

const char *fg_report_format_name(enum fg_report_format f)
{
	return (unsigned)f < NFORMATS ? formats[f].name : "unknown";
}

int fg_report_render(const struct fg_report_input *in,
		     enum fg_report_format f, char **out, size_t *len,
		     struct fg_error *err)
{
	struct fg_report r;
	json_error_t je;
	const char *fmt;
	int rc = FG_OK;

	*out = NULL;
	if (len != NULL)
		*len = 0;
	if (in == NULL || in->export_json == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "report: no case database export given");
	memset(&r, 0, sizeof(r));
	r.in = in;
	r.err = err;
	r.doc = json_loads(in->export_json, JSON_REJECT_DUPLICATES, &je);
	if (r.doc == NULL)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "report: the case database export is not "
				    "JSON: line %d, column %d: %s",
				    je.line, je.column, je.text);
	fmt = jstr(r.doc, "format");
	if (!json_is_object(r.doc) || fmt == NULL ||
	    strcmp(fmt, "forage-case-1") != 0) {
		fg_error_set(err, FG_EFORMAT, 0,
			     "report: the case database export is not a "
			     "\"forage-case-1\" document (format: %s)",
			     fmt ? fmt : "missing");
		json_decref(r.doc);
		return FG_EFORMAT;
	}
	if (in->generated_utc != NULL)
		snprintf(r.generated, sizeof(r.generated), "%s",
			 in->generated_utc);
	else
		fg_record_utc_now(r.generated, sizeof(r.generated));
	fg_report_times(&r);

	if ((unsigned)f < NFORMATS) {
		r.ops = formats[f].ops;
		rc = formats[f].render(&r);
	} else {
		rc = fg_error_set(err, FG_EINVAL, 0, "report: unknown format");
	}
	json_decref(r.doc);
	if (rc == FG_OK && (r.o.failed || r.o.p == NULL))
		rc = FG_ENOMEM;
	if (rc != FG_OK) {
		free(r.o.p);
		if (rc == FG_ENOMEM)
			return fg_error_set(err, FG_ENOMEM, ENOMEM,
					    "report: out of memory");
		return rc;
	}
	*out = r.o.p;
	if (len != NULL)
		*len = r.o.len;
	return FG_OK;
}
