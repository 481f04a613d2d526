/*
 * report.c - the court report (see report.h): the case database's export
 * plus the audit result, rendered as text, HTML, JSON, DFXML or CASE/UCO.
 *
 * Text and HTML share one walk over the export (walk_document) that talks
 * to a small table of output operations (struct emit_ops), so that both say
 * the same things in the same order.  DFXML and CASE/UCO have walks of
 * their own because their shapes are fixed by their schemas.
 *
 * Nothing is invented: a value absent or null in the export is "unknown"
 * (text, HTML), stays null (JSON) or is left out (DFXML, CASE/UCO).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <forage/hash.h>
#include <forage/record.h>
#include <forage/report.h>

#include "base/base_int.h"

#define UNKNOWN "unknown"

/* ---- Output ---------------------------------------------------------------- */

/* Escaping of stored strings: a device model or a file name is data, never
 * markup or terminal control. */
enum esc { ESC_TEXT, ESC_MARKUP };

static void put_esc(struct fg_buf *o, const char *s, enum esc how)
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

/* ---- Reading the export ----------------------------------------------------- */

/* A value of obj as text: strings as they are, integers in decimal,
 * booleans "yes"/"no"; NULL when absent or null (unknown).  buf holds
 * numbers. */
static const char *jtext(json_t *obj, const char *key, char *buf, size_t n)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	switch (v != NULL ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	case JSON_REAL:
		snprintf(buf, n, "%.17g", json_real_value(v));
		return buf;
	case JSON_TRUE:
		return "yes";
	case JSON_FALSE:
		return "no";
	default:
		return NULL;
	}
}

/* A string member or NULL. */
static const char *jstr(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An integer member into *v; 0 when absent or not an integer. */
static int jint(json_t *obj, const char *key, int64_t *v)
{
	json_t *j = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	if (!json_is_integer(j))
		return 0;
	*v = (int64_t)json_integer_value(j);
	return 1;
}

/* An array member (never NULL: an absent array is empty). */
static json_t *jarr(json_t *obj, const char *key)
{
	static json_t *empty;
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	if (json_is_array(v))
		return v;
	if (empty == NULL)
		empty = json_array(); /* never freed: one per process */
	return empty;
}

/* A member that holds JSON either as an object or as JSON text (columns
 * such as write_block and parameters); *owned is set when the caller
 * must json_decref the result. */
static json_t *jobj(json_t *obj, const char *key, int *owned)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	*owned = 0;
	if (json_is_object(v))
		return v;
	if (json_is_string(v)) {
		json_t *p = json_loads(json_string_value(v), 0, NULL);
		if (json_is_object(p)) {
			*owned = 1;
			return p;
		}
		json_decref(p);
	}
	return NULL;
}

/* A fact about the source that the acquisition row or its record may hold
 * (HPA and DCO state): the acquisition's own member, then the record's
 * source.NAME. */
static json_t *source_fact(json_t *acq, const char *name)
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
static const char *window_index(json_t *w, char *buf, size_t n)
{
	const char *s = jtext(w, "index", buf, n);

	return s != NULL ? s : jtext(w, "idx", buf, n);
}

/* Hash algorithms in the order a person expects them. */
static const char *const hash_order[] = {"md5", "sha1", "sha256", NULL};

static const char *hash_label(const char *alg)
{
	if (strcmp(alg, "md5") == 0)
		return "MD5";
	if (strcmp(alg, "sha1") == 0)
		return "SHA-1";
	if (strcmp(alg, "sha256") == 0)
		return "SHA-256";
	return alg;
}

/* Call fn for every media hash: the known algorithms first, in order,
 * then any other the database holds. */
static void each_media_hash(json_t *acq,
			    void (*fn)(void *ctx, const char *alg,
				       const char *hex),
			    void *ctx)
{
	json_t *mh = json_object_get(acq, "media_hashes");
	const char *alg;
	json_t *v;
	int i;

	if (!json_is_object(mh))
		return;
	for (i = 0; hash_order[i] != NULL; i++) {
		v = json_object_get(mh, hash_order[i]);
		if (json_is_string(v))
			fn(ctx, hash_order[i], json_string_value(v));
	}
	json_object_foreach(mh, alg, v) {
		int known = 0;
		for (i = 0; hash_order[i] != NULL; i++)
			known |= strcmp(alg, hash_order[i]) == 0;
		if (!known && json_is_string(v))
			fn(ctx, alg, json_string_value(v));
	}
}

/* ---- The report as a whole ------------------------------------------------ */

struct report {
	const struct fg_report_input *in;
	json_t *doc;                /* the export */
	char generated[32];
	struct fg_buf o;
	const struct emit_ops *ops; /* text and HTML */
	int kv_open;                /* HTML: a key/value table is open */
	int ncols;                  /* columns of the open table */
	const char *cols[12];
};

static const char *audit_state_name(enum fg_report_audit_state s)
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
static char *audit_sentence(const struct fg_report_audit *a)
{
	switch (a->state) {
	case FG_REPORT_AUDIT_INTACT:
		return fg_strdup_printf(
			"intact: %" PRId64 " event(s) recomputed, every link "
			"holds; last event sha256 %s",
			a->events,
			a->head_sha256 && *a->head_sha256 ? a->head_sha256
							  : "(no events)");
	case FG_REPORT_AUDIT_BROKEN:
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

/* ---- Text and HTML: output operations ---------------------------------------- */

enum { F_HASH = 1, F_ALERT = 2, F_GOOD = 4, F_CODE = 8 };

struct emit_ops {
	void (*begin)(struct report *r, const char *title);
	void (*end)(struct report *r);
	/* level 1..4; page: start a new printed page (evidence items) */
	void (*heading)(struct report *r, int level, const char *text,
			int page);
	/* value NULL: unknown */
	void (*field)(struct report *r, const char *label, const char *value,
		      unsigned flags);
	void (*table)(struct report *r, const char *const *cols, int n);
	void (*row)(struct report *r, const char *const *cells,
		    const unsigned *flags);
	void (*table_end)(struct report *r);
	void (*note)(struct report *r, const char *text);
	/* an evidence item's block opens and closes (HTML: page breaks) */
	void (*block)(struct report *r, int open);
};

/* -- text -- */

static void t_begin(struct report *r, const char *title)
{
	size_t i, n = strlen(title);

	put_esc(&r->o, title, ESC_TEXT);
	fg_buf_puts(&r->o, "\n");
	for (i = 0; i < n; i++)
		fg_buf_puts(&r->o, "=");
	fg_buf_puts(&r->o, "\n");
}

static void t_end(struct report *r)
{
	fg_buf_puts(&r->o, "\n-- end of report --\n");
}

static void t_heading(struct report *r, int level, const char *text,
		      int page)
{
	static const char *const under[] = {"", "=", "-", "~", "."};
	size_t i, n = strlen(text);

	(void)page;
	fg_buf_puts(&r->o, level <= 2 ? "\n\n" : "\n");
	put_esc(&r->o, text, ESC_TEXT);
	fg_buf_puts(&r->o, "\n");
	if (level <= 3) {
		for (i = 0; i < n; i++)
			fg_buf_puts(&r->o, under[level]);
		fg_buf_puts(&r->o, "\n");
	}
}

static void t_field(struct report *r, const char *label, const char *value,
		    unsigned flags)
{
	const char *p;
	size_t n = strlen(label);

	(void)flags;
	fg_buf_puts(&r->o, "  ");
	put_esc(&r->o, label, ESC_TEXT);
	fg_buf_puts(&r->o, ":");
	for (; n < 24; n++)
		fg_buf_puts(&r->o, " ");
	fg_buf_puts(&r->o, " ");
	if (value == NULL) {
		fg_buf_puts(&r->o, UNKNOWN "\n");
		return;
	}
	/* Continuation lines line up under the value. */
	for (p = value; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);

		if (line == NULL) {
			r->o.failed = 1;
			return;
		}
		put_esc(&r->o, line, ESC_TEXT);
		free(line);
		fg_buf_puts(&r->o, "\n");
		if (nl == NULL)
			break;
		p = nl + 1;
		fg_buf_puts(&r->o, "                            ");
	}
	if (*value == '\0')
		fg_buf_puts(&r->o, "\n");
}

static void t_table(struct report *r, const char *const *cols, int n)
{
	int i;

	r->ncols = n;
	for (i = 0; i < n && i < 12; i++)
		r->cols[i] = cols[i];
}

static void t_row(struct report *r, const char *const *cells,
		  const unsigned *flags)
{
	int i;

	(void)flags;
	for (i = 0; i < r->ncols; i++) {
		size_t n = strlen(r->cols[i]);

		fg_buf_puts(&r->o, i == 0 ? "  - " : "    ");
		put_esc(&r->o, r->cols[i], ESC_TEXT);
		fg_buf_puts(&r->o, ":");
		for (; n < 14; n++)
			fg_buf_puts(&r->o, " ");
		fg_buf_puts(&r->o, " ");
		put_esc(&r->o, cells[i] != NULL ? cells[i] : UNKNOWN,
			ESC_TEXT);
		fg_buf_puts(&r->o, "\n");
	}
}

static void t_table_end(struct report *r)
{
	r->ncols = 0;
}

static void t_note(struct report *r, const char *text)
{
	fg_buf_puts(&r->o, "  ");
	put_esc(&r->o, text, ESC_TEXT);
	fg_buf_puts(&r->o, "\n");
}

static void t_block(struct report *r, int open)
{
	(void)r;
	(void)open;
}

static const struct emit_ops text_ops = {
	t_begin, t_end, t_heading, t_field, t_table, t_row, t_table_end,
	t_note, t_block
};

/* -- HTML -- */

static const char html_css[] =
	"body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,"
	"sans-serif;font-size:11pt;line-height:1.35;margin:2em auto;"
	"max-width:62em;padding:0 1em;color:#000;background:#fff}\n"
	"h1{font-size:19pt;border-bottom:2px solid #222;padding-bottom:.2em}\n"
	"h2{font-size:15pt;border-bottom:1px solid #555;margin-top:1.6em}\n"
	"h3{font-size:13pt;margin-top:1.3em}\n"
	"h4{font-size:11pt;margin-top:1em}\n"
	"table{border-collapse:collapse;width:100%;margin:.3em 0 1em}\n"
	"th,td{border:1px solid #999;padding:3px 6px;text-align:left;"
	"vertical-align:top}\n"
	"th{background:#e8e8e8}\n"
	"table.kv th{width:13em;background:#f3f3f3;font-weight:normal}\n"
	".hash,code{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\","
	"monospace;font-size:9.5pt;word-break:break-all;"
	"overflow-wrap:anywhere}\n"
	".unknown{color:#666;font-style:italic}\n"
	".alert{color:#a00;font-weight:bold}\n"
	".ok{color:#060;font-weight:bold}\n"
	"p.note{margin:.3em 0 .8em}\n"
	"@media print{\n"
	" body{margin:0;max-width:none;padding:0;font-size:10pt}\n"
	" @page{margin:15mm}\n"
	" section.item{break-before:page;page-break-before:always}\n"
	" tr,table.kv{break-inside:avoid;page-break-inside:avoid}\n"
	" thead{display:table-header-group}\n"
	" h1,h2,h3,h4{break-after:avoid;page-break-after:avoid}\n"
	"}\n";

static void h_kv_close(struct report *r)
{
	if (r->kv_open) {
		fg_buf_puts(&r->o, "</table>\n");
		r->kv_open = 0;
	}
}

static void h_begin(struct report *r, const char *title)
{
	fg_buf_puts(&r->o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		     "<meta charset=\"utf-8\">\n<title>");
	put_esc(&r->o, title, ESC_MARKUP);
	fg_buf_puts(&r->o, "</title>\n<style>\n");
	fg_buf_puts(&r->o, html_css);
	fg_buf_puts(&r->o, "</style>\n</head>\n<body>\n<h1>");
	put_esc(&r->o, title, ESC_MARKUP);
	fg_buf_puts(&r->o, "</h1>\n");
}

static void h_end(struct report *r)
{
	h_kv_close(r);
	fg_buf_puts(&r->o, "<p class=\"note\">End of report.</p>\n</body>\n"
		     "</html>\n");
}

static void h_heading(struct report *r, int level, const char *text,
		      int page)
{
	(void)page;
	h_kv_close(r);
	fg_buf_printf(&r->o, "<h%d>", level + 1 > 4 ? 4 : level + 1);
	put_esc(&r->o, text, ESC_MARKUP);
	fg_buf_printf(&r->o, "</h%d>\n", level + 1 > 4 ? 4 : level + 1);
}

static void h_value(struct report *r, const char *value, unsigned flags)
{
	if (value == NULL) {
		fg_buf_puts(&r->o, "<span class=\"unknown\">unknown</span>");
		return;
	}
	if (flags & (F_HASH | F_CODE))
		fg_buf_puts(&r->o, "<span class=\"hash\">");
	else if (flags & F_ALERT)
		fg_buf_puts(&r->o, "<span class=\"alert\">");
	else if (flags & F_GOOD)
		fg_buf_puts(&r->o, "<span class=\"ok\">");
	put_esc(&r->o, value, ESC_MARKUP);
	if (flags & (F_HASH | F_CODE | F_ALERT | F_GOOD))
		fg_buf_puts(&r->o, "</span>");
}

static void h_field(struct report *r, const char *label, const char *value,
		    unsigned flags)
{
	if (!r->kv_open) {
		fg_buf_puts(&r->o, "<table class=\"kv\">\n");
		r->kv_open = 1;
	}
	fg_buf_puts(&r->o, "<tr><th>");
	put_esc(&r->o, label, ESC_MARKUP);
	fg_buf_puts(&r->o, "</th><td>");
	h_value(r, value, flags);
	fg_buf_puts(&r->o, "</td></tr>\n");
}

static void h_table(struct report *r, const char *const *cols, int n)
{
	int i;

	h_kv_close(r);
	r->ncols = n;
	fg_buf_puts(&r->o, "<table>\n<thead><tr>");
	for (i = 0; i < n; i++) {
		fg_buf_puts(&r->o, "<th>");
		put_esc(&r->o, cols[i], ESC_MARKUP);
		fg_buf_puts(&r->o, "</th>");
	}
	fg_buf_puts(&r->o, "</tr></thead>\n<tbody>\n");
}

static void h_row(struct report *r, const char *const *cells,
		  const unsigned *flags)
{
	int i;

	fg_buf_puts(&r->o, "<tr>");
	for (i = 0; i < r->ncols; i++) {
		fg_buf_puts(&r->o, "<td>");
		h_value(r, cells[i], flags ? flags[i] : 0);
		fg_buf_puts(&r->o, "</td>");
	}
	fg_buf_puts(&r->o, "</tr>\n");
}

static void h_table_end(struct report *r)
{
	fg_buf_puts(&r->o, "</tbody>\n</table>\n");
	r->ncols = 0;
}

static void h_note(struct report *r, const char *text)
{
	h_kv_close(r);
	fg_buf_puts(&r->o, "<p class=\"note\">");
	put_esc(&r->o, text, ESC_MARKUP);
	fg_buf_puts(&r->o, "</p>\n");
}

static void h_block(struct report *r, int open)
{
	h_kv_close(r);
	fg_buf_puts(&r->o, open ? "<section class=\"item\">\n" : "</section>\n");
}

static const struct emit_ops html_ops = {
	h_begin, h_end, h_heading, h_field, h_table, h_row, h_table_end,
	h_note, h_block
};

/* ---- Text and HTML: the walk ------------------------------------------------ */

#define FIELD(r, label, value, flags) (r)->ops->field((r), (label), (value), (flags))

/* A field from a member of obj. */
static void field_from(struct report *r, const char *label, json_t *obj,
		       const char *key, unsigned flags)
{
	char buf[64];

	FIELD(r, label, jtext(obj, key, buf, sizeof(buf)), flags);
}

/* Every member of a JSON object (write-block state, parameters) as
 * fields "Label: key", nested objects as dotted keys. */
static void fields_of_object(struct report *r, const char *label,
			     const char *prefix, json_t *obj)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		char *name = prefix ? fg_strdup_printf("%s.%s", prefix, key)
				    : strdup(key);
		char *lab;

		if (name == NULL) {
			r->o.failed = 1;
			return;
		}
		if (json_is_object(v)) {
			fields_of_object(r, label, name, v);
		} else {
			lab = fg_strdup_printf("%s: %s", label, name);
			if (lab == NULL) {
				r->o.failed = 1;
			} else if (json_is_array(v)) {
				char *s = json_dumps(v, JSON_COMPACT);
				FIELD(r, lab, s, F_CODE);
				free(s);
			} else {
				char buf[64];
				json_t *tmp = json_pack("{s:O}", "v", v);
				FIELD(r, lab, jtext(tmp, "v", buf, sizeof(buf)),
				      0);
				json_decref(tmp);
			}
			free(lab);
		}
		free(name);
	}
}

static void media_hash_field(void *ctx, const char *alg, const char *hex)
{
	struct report *r = ctx;
	char *lab = fg_strdup_printf("Media %s", hash_label(alg));

	if (lab == NULL) {
		r->o.failed = 1;
		return;
	}
	FIELD(r, lab, hex, F_HASH);
	free(lab);
}

static void bad_ranges(struct report *r, json_t *acq)
{
	static const char *const cols[] = {"First LBA", "Last LBA", "Sectors",
					   "Byte offset", "Bytes"};
	static const unsigned fl[] = {F_ALERT, F_ALERT, F_ALERT, 0, 0};
	json_t *arr = jarr(acq, "bad_ranges"), *b;
	int64_t ss = 0;
	size_t i;

	if (!jint(acq, "logical_sector_size", &ss) || ss <= 0)
		ss = 0;
	if (json_array_size(arr) == 0) {
		FIELD(r, "Unreadable sectors", "none recorded", F_GOOD);
		return;
	}
	r->ops->heading(r, 4, "Unreadable sectors (filled in the image)", 0);
	r->ops->table(r, cols, 5);
	json_array_foreach(arr, i, b) {
		int64_t lba = 0, cnt = 0;
		char s0[32], s1[32], s2[32], s3[32], s4[32];
		const char *cells[5] = {NULL, NULL, NULL, NULL, NULL};

		if (jint(b, "first_lba", &lba)) {
			snprintf(s0, sizeof(s0), "%" PRId64, lba);
			cells[0] = s0;
		}
		if (jint(b, "count", &cnt)) {
			snprintf(s2, sizeof(s2), "%" PRId64, cnt);
			cells[2] = s2;
		}
		if (cells[0] && cells[2] && cnt > 0) {
			snprintf(s1, sizeof(s1), "%" PRId64, lba + cnt - 1);
			cells[1] = s1;
		}
		if (cells[0] && cells[2] && ss > 0) {
			snprintf(s3, sizeof(s3), "%" PRId64, lba * ss);
			snprintf(s4, sizeof(s4), "%" PRId64, cnt * ss);
			cells[3] = s3;
			cells[4] = s4;
		}
		r->ops->row(r, cells, fl);
	}
	r->ops->table_end(r);
}

/* Output files one by one, one hash a line: hashes are never squeezed
 * side by side into narrow columns (they must print whole). */
static void outputs(struct report *r, json_t *acq)
{
	json_t *arr = jarr(acq, "outputs"), *f;
	size_t i;
	char b[64];

	if (json_array_size(arr) == 0) {
		FIELD(r, "Output files", "none recorded", 0);
		return;
	}
	json_array_foreach(arr, i, f) {
		snprintf(b, sizeof(b), "Output file %zu", i + 1);
		r->ops->heading(r, 4, b, 0);
		FIELD(r, "File", jstr(f, "path"), F_CODE);
		field_from(r, "Size (bytes)", f, "size", 0);
		FIELD(r, "MD5", jstr(f, "md5"), F_HASH);
		FIELD(r, "SHA-256", jstr(f, "sha256"), F_HASH);
	}
}

static void hash_windows(struct report *r, json_t *acq)
{
	static const char *const cols[] = {"Window", "Offset", "Length",
					   "Algorithm", "Digest"};
	static const unsigned fl[] = {0, 0, 0, 0, F_HASH};
	json_t *arr = jarr(acq, "hash_windows"), *w;
	size_t i;

	if (json_array_size(arr) == 0)
		return;
	r->ops->heading(r, 4, "Hash windows", 0);
	r->ops->table(r, cols, 5);
	json_array_foreach(arr, i, w) {
		char b0[32], b1[32], b2[32];
		const char *cells[5];

		cells[0] = window_index(w, b0, sizeof(b0));
		cells[1] = jtext(w, "offset", b1, sizeof(b1));
		cells[2] = jtext(w, "length", b2, sizeof(b2));
		cells[3] = jstr(w, "algorithm");
		cells[4] = jstr(w, "hex");
		r->ops->row(r, cells, fl);
	}
	r->ops->table_end(r);
}

static void acquisition(struct report *r, json_t *acq)
{
	char b[64], b2[64], *s;
	const char *state = jstr(acq, "state");
	const char *status = jstr(acq, "status");
	int64_t ls = 0, ps = 0, never = 0;
	json_t *v;
	int owned;

	s = fg_strdup_printf("Acquisition %s",
			     jtext(acq, "id", b, sizeof(b)) ?: UNKNOWN);
	r->ops->heading(r, 3, s ? s : "Acquisition", 0);
	free(s);
	if (state == NULL)
		state = status;
	jint(acq, "never_completed", &never);
	if (json_is_true(json_object_get(acq, "never_completed")))
		never = 1;
	FIELD(r, "Result", state,
	      state && strcmp(state, "success") == 0 ? F_GOOD : F_ALERT);
	if (never)
		FIELD(r, "Completed", "no: the run never recorded its end",
		      F_ALERT);
	field_from(r, "Exit code", acq, "exit_code", 0);
	if (jstr(acq, "message") != NULL)
		field_from(r, "Message", acq, "message", 0);
	field_from(r, "Examiner", acq, "examiner", 0);
	field_from(r, "Started (UTC)", acq, "started_utc", 0);
	field_from(r, "Finished (UTC)", acq, "finished_utc", 0);
	field_from(r, "Duration (seconds)", acq, "duration_seconds", 0);
	{
		const char *tn = jstr(acq, "tool_name");
		const char *tv = jstr(acq, "tool_version");
		s = tn || tv ? fg_strdup_printf("%s %s", tn ? tn : UNKNOWN,
						tv ? tv : "(version unknown)")
			     : NULL;
		FIELD(r, "Tool", s, 0);
		free(s);
	}
	field_from(r, "Host", acq, "host", 0);
	field_from(r, "Command line", acq, "command_line", F_CODE);
	field_from(r, "Source", acq, "source_path", F_CODE);
	field_from(r, "Source kind", acq, "source_kind", 0);
	field_from(r, "Device model", acq, "model", 0);
	field_from(r, "Device serial", acq, "serial", 0);
	field_from(r, "Source size (bytes)", acq, "source_total_size", 0);
	field_from(r, "Acquired from offset", acq, "source_offset", 0);
	field_from(r, "Acquired length (bytes)", acq, "source_size", 0);
	if (!jint(acq, "logical_sector_size", &ls) || ls <= 0)
		FIELD(r, "Logical sector size", NULL, 0);
	else
		field_from(r, "Logical sector size", acq,
			   "logical_sector_size", 0);
	if (!jint(acq, "physical_sector_size", &ps) || ps <= 0)
		FIELD(r, "Physical sector size", NULL, 0);
	else
		field_from(r, "Physical sector size", acq,
			   "physical_sector_size", 0);
	v = source_fact(acq, "hpa");
	s = v ? (json_is_string(v) ? strdup(json_string_value(v))
				   : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY))
	      : NULL;
	FIELD(r, "HPA", s, 0);
	free(s);
	v = source_fact(acq, "dco");
	s = v ? (json_is_string(v) ? strdup(json_string_value(v))
				   : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY))
	      : NULL;
	FIELD(r, "DCO", s, 0);
	free(s);
	field_from(r, "Container format", acq, "format", 0);
	{
		const char *nwb = jtext(acq, "no_write_block", b2, sizeof(b2));
		int off = nwb && (strcmp(nwb, "yes") == 0 ||
				  strcmp(nwb, "1") == 0);
		FIELD(r, "Write block",
		      nwb == NULL ? NULL
		      : off	  ? "DISABLED (--no-write-block)"
				  : "not disabled (no --no-write-block)",
		      off ? F_ALERT : 0);
	}
	v = jobj(acq, "write_block", &owned);
	if (v != NULL)
		fields_of_object(r, "Write block", NULL, v);
	else
		FIELD(r, "Write-block state", NULL, 0);
	if (owned)
		json_decref(v);
	field_from(r, "Bytes acquired", acq, "bytes", 0);
	field_from(r, "Sectors filled", acq, "sectors_filled", 0);
	v = jobj(acq, "parameters", &owned);
	if (v != NULL)
		fields_of_object(r, "Parameter", NULL, v);
	if (owned)
		json_decref(v);
	if (!json_is_object(json_object_get(acq, "media_hashes")) ||
	    json_object_size(json_object_get(acq, "media_hashes")) == 0)
		FIELD(r, "Media hashes", NULL, 0);
	each_media_hash(acq, media_hash_field, r);
	bad_ranges(r, acq);
	outputs(r, acq);
	hash_windows(r, acq);
}

static void verification(struct report *r, json_t *ver)
{
	static const char *const dcols[] = {"File", "Offset", "Length",
					    "What"};
	static const unsigned dfl[] = {F_CODE, F_ALERT, F_ALERT, F_ALERT};
	char b[64];
	const char *res = jstr(ver, "result");
	json_t *arr, *e;
	size_t i;
	char *s;

	s = fg_strdup_printf("Verification %s",
			     jtext(ver, "id", b, sizeof(b)) ?: UNKNOWN);
	r->ops->heading(r, 4, s ? s : "Verification", 0);
	free(s);
	FIELD(r, "Result", res,
	      res && strcmp(res, "match") == 0 ? F_GOOD : F_ALERT);
	field_from(r, "Exit code", ver, "exit_code", 0);
	if (jstr(ver, "message") != NULL)
		field_from(r, "Message", ver, "message", 0);
	field_from(r, "Acquisition", ver, "acquisition_id", 0);
	field_from(r, "Examiner", ver, "examiner", 0);
	field_from(r, "Started (UTC)", ver, "started_utc", 0);
	field_from(r, "Finished (UTC)", ver, "finished_utc", 0);
	field_from(r, "Target", ver, "target", F_CODE);
	field_from(r, "Method", ver, "method", 0);
	arr = jarr(ver, "hashes");
	if (json_array_size(arr) == 0)
		FIELD(r, "Hashes compared", "none recorded", 0);
	json_array_foreach(arr, i, e) {
		const char *alg = jstr(e, "algorithm");
		const char *m = jtext(e, "match", b, sizeof(b));
		int yes = m && (strcmp(m, "1") == 0 || strcmp(m, "yes") == 0);
		/* The subject as verify named it ("media, first 3000001
		 * bytes" and "media" are two digests of one E01); rows of a
		 * database before schema version 2 have only the file. */
		char *what = fg_strdup_printf("%s of %s",
					      alg ? hash_label(alg) : UNKNOWN,
					      jstr(e, "what") ?: jstr(e, "file")
					      ?: "the media");
		char *l1 = fg_strdup_printf("%s: expected", what ?: "");
		char *l4 = fg_strdup_printf("%s: expected from", what ?: "");
		char *l2 = fg_strdup_printf("%s: computed", what ?: "");
		char *l3 = fg_strdup_printf("%s: equal", what ?: "");

		if (what == NULL || l1 == NULL || l2 == NULL || l3 == NULL ||
		    l4 == NULL)
			r->o.failed = 1;
		else {
			FIELD(r, l1, jstr(e, "expected"), F_HASH);
			FIELD(r, l4, jstr(e, "source"), 0);
			FIELD(r, l2, jstr(e, "computed"), F_HASH);
			FIELD(r, l3, m == NULL ? NULL : yes ? "yes" : "NO",
			      yes ? F_GOOD : F_ALERT);
		}
		free(what);
		free(l1);
		free(l2);
		free(l3);
		free(l4);
	}
	arr = jarr(ver, "diffs");
	if (json_array_size(arr) > 0) {
		r->ops->table(r, dcols, 4);
		json_array_foreach(arr, i, e) {
			char b1[32], b2[32];
			const char *cells[4];

			cells[0] = jstr(e, "file") ?: "(the media)";
			cells[1] = jtext(e, "offset", b1, sizeof(b1));
			cells[2] = jtext(e, "length", b2, sizeof(b2));
			cells[3] = jstr(e, "what");
			r->ops->row(r, cells, dfl);
		}
		r->ops->table_end(r);
	}
}

static void custody(struct report *r, json_t *arr, int with_item)
{
	static const char *const cols[] = {"#", "UTC", "Action", "From",
					   "To", "Location", "Reason",
					   "Recorded by", "Item"};
	static const unsigned fl[] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
	json_t *c;
	size_t i;

	r->ops->heading(r, 3, "Chain of custody", 0);
	if (json_array_size(arr) == 0) {
		r->ops->note(r, "No custody event is recorded.");
		return;
	}
	r->ops->table(r, cols, with_item ? 9 : 8);
	json_array_foreach(arr, i, c) {
		char b[32];
		const char *cells[9];

		cells[0] = jtext(c, "id", b, sizeof(b));
		cells[1] = jstr(c, "utc");
		cells[2] = jstr(c, "action");
		cells[3] = jstr(c, "from_party");
		cells[4] = jstr(c, "to_party");
		cells[5] = jstr(c, "location");
		cells[6] = jstr(c, "reason");
		cells[7] = jstr(c, "examiner");
		cells[8] = jstr(c, "evidence_id");
		r->ops->row(r, cells, fl);
	}
	r->ops->table_end(r);
}

static void unfiled(struct report *r, json_t *arr, const char *title)
{
	json_t *a;
	size_t i;

	if (json_array_size(arr) == 0)
		return;
	r->ops->block(r, 1);
	r->ops->heading(r, 2, title, 1);
	json_array_foreach(arr, i, a)
		acquisition(r, a);
	r->ops->block(r, 0);
}

static void event_log(struct report *r)
{
	json_t *arr = json_object_get(r->doc, "events"), *e;
	size_t i;

	r->ops->block(r, 1);
	r->ops->heading(r, 1, "Event log", 1);
	if (!json_is_array(arr)) {
		r->ops->note(r, "The export holds no event log: unknown.");
		r->ops->block(r, 0);
		return;
	}
	r->ops->note(r,
		     "Every event carries the SHA-256 of the previous event "
		     "and of its own canonical content (casedb.h), so that a "
		     "third party can recompute the chain with sqlite3 and "
		     "sha256sum.  \"-\" is a NULL column.");
	if (json_array_size(arr) == 0)
		r->ops->note(r, "No event is recorded.");
	json_array_foreach(arr, i, e) {
		char b[64], id[32], *h;
		const char *v;

		h = fg_strdup_printf("Event %s: %s",
				     jtext(e, "id", id, sizeof(id)) ?: "?",
				     jstr(e, "kind") ?: UNKNOWN);
		r->ops->heading(r, 4, h ? h : "Event", 0);
		free(h);
		field_from(r, "UTC", e, "utc", 0);
		field_from(r, "Examiner", e, "examiner", 0);
		/* A NULL column is part of the canonical content: "-". */
		FIELD(r, "Case", jstr(e, "case_id") ?: "-", 0);
		FIELD(r, "Evidence", jstr(e, "evidence_id") ?: "-", 0);
		v = jtext(e, "subject_id", b, sizeof(b));
		FIELD(r, "Subject", v ? v : "-", 0);
		FIELD(r, "Details", jstr(e, "details") ?: "-", F_CODE);
		field_from(r, "Previous SHA-256", e, "prev_sha256", F_HASH);
		field_from(r, "SHA-256", e, "sha256", F_HASH);
	}
	r->ops->block(r, 0);
}

static void walk_document(struct report *r)
{
	const struct fg_report_input *in = r->in;
	json_t *cases = jarr(r->doc, "cases"), *c, *e, *x;
	size_t i, j, k;
	char *title, *audit;
	char b[32];

	title = fg_strdup_printf("Evidence report: case %s",
				 in->case_id ? in->case_id : "(all cases)");
	r->ops->begin(r, title ? title : "Evidence report");
	free(title);
	r->ops->heading(r, 1, "About this report", 0);
	FIELD(r, "Case", in->case_id ? in->case_id : "all cases", 0);
	FIELD(r, "Evidence item",
	      in->evidence_id ? in->evidence_id : "all items", 0);
	FIELD(r, "Generated (UTC)", r->generated, 0);
	FIELD(r, "Generated by", fg_version(), 0);
	field_from(r, "Case database", r->doc, "database", F_CODE);
	field_from(r, "Schema version", r->doc, "schema_version", 0);
	field_from(r, "Exported (UTC)", r->doc, "exported_utc", 0);
	audit = audit_sentence(&in->audit);
	FIELD(r, "Event-log audit", audit,
	      in->audit.state == FG_REPORT_AUDIT_INTACT ? F_GOOD : F_ALERT);
	free(audit);
	r->ops->note(r, "Every statement below comes from the case database; "
			"what it does not hold reads \"unknown\".  Times are "
			"UTC.");

	json_array_foreach(cases, i, c) {
		char *h = fg_strdup_printf("Case %s",
					   jstr(c, "case_id") ?: UNKNOWN);
		r->ops->heading(r, 1, h ? h : "Case", 0);
		free(h);
		field_from(r, "Description", c, "description", 0);
		field_from(r, "Opened (UTC)", c, "created_utc", 0);
		field_from(r, "Opened by", c, "examiner", 0);
		FIELD(r, "Evidence items",
		      (snprintf(b, sizeof(b), "%zu",
				json_array_size(jarr(c, "evidence"))),
		       b),
		      0);
		json_array_foreach(jarr(c, "evidence"), j, e) {
			r->ops->block(r, 1);
			h = fg_strdup_printf("Evidence item %s",
					     jstr(e, "evidence_id") ?: UNKNOWN);
			r->ops->heading(r, 2, h ? h : "Evidence item", 1);
			free(h);
			field_from(r, "Case", c, "case_id", 0);
			field_from(r, "Description", e, "description", 0);
			field_from(r, "Added (UTC)", e, "created_utc", 0);
			field_from(r, "Added by", e, "examiner", 0);
			if (json_array_size(jarr(e, "acquisitions")) == 0)
				r->ops->note(r, "No acquisition is recorded "
						"for this item.");
			json_array_foreach(jarr(e, "acquisitions"), k, x)
				acquisition(r, x);
			r->ops->heading(r, 3, "Verifications", 0);
			if (json_array_size(jarr(e, "verifications")) == 0)
				r->ops->note(r, "No verification is "
						"recorded.");
			json_array_foreach(jarr(e, "verifications"), k, x)
				verification(r, x);
			custody(r, jarr(e, "custody"), 0);
			r->ops->block(r, 0);
		}
		/* Verifications and custody kept at case level, if any. */
		if (json_array_size(jarr(c, "verifications")) > 0) {
			r->ops->heading(r, 3, "Verifications of the case", 0);
			json_array_foreach(jarr(c, "verifications"), k, x)
				verification(r, x);
		}
		if (json_array_size(jarr(c, "custody")) > 0)
			custody(r, jarr(c, "custody"), 1);
		h = fg_strdup_printf("Acquisitions of case %s not filed "
				     "under an evidence item",
				     jstr(c, "case_id") ?: UNKNOWN);
		unfiled(r, jarr(c, "unfiled_acquisitions"),
			h ? h : "Unfiled acquisitions");
		free(h);
		if (json_array_size(jarr(c, "unfiled_verifications")) > 0) {
			r->ops->heading(r, 3, "Verifications not filed under "
					      "an evidence item",
					0);
			json_array_foreach(jarr(c, "unfiled_verifications"), k,
					   x)
				verification(r, x);
		}
	}
	unfiled(r, jarr(r->doc, "unfiled_acquisitions"),
		"Acquisitions not filed under any case");
	if (json_array_size(jarr(r->doc, "unfiled_verifications")) > 0) {
		r->ops->heading(r, 2, "Verifications not filed under any case",
				0);
		json_array_foreach(jarr(r->doc, "unfiled_verifications"), k, x)
			verification(r, x);
	}
	event_log(r);
	r->ops->end(r);
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *audit_json(const struct fg_report_audit *a)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "state", json_string(audit_state_name(a->state)));
	if (a->state == FG_REPORT_AUDIT_INTACT ||
	    a->state == FG_REPORT_AUDIT_BROKEN) {
		json_object_set_new(o, "events", json_integer(a->events));
		json_object_set_new(o, "first_bad_id",
				    a->first_bad_id
					    ? json_integer(a->first_bad_id)
					    : json_null());
		json_object_set_new(o, "head_sha256",
				    a->head_sha256 && *a->head_sha256
					    ? json_string(a->head_sha256)
					    : json_null());
	} else {
		json_object_set_new(o, "events", json_null());
		json_object_set_new(o, "first_bad_id", json_null());
		json_object_set_new(o, "head_sha256", json_null());
	}
	json_object_set_new(o, "problem",
			    a->problem && *a->problem ? json_string(a->problem)
						      : json_null());
	return o;
}

/* Append root (consumed; NULL means out of memory) as indented JSON and a
 * line feed to the report. */
static int emit_json(struct report *r, json_t *root)
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

static int render_json(struct report *r)
{
	const struct fg_report_input *in = r->in;
	json_t *root;

	root = json_pack("{s:s, s:{s:s, s:s, s:o, s:o}, s:o, s:O}",
			 "format", "forage-report-1",
			 "report",
			 "generated_utc", r->generated,
			 "generator", fg_version(),
			 "case_id", in->case_id ? json_string(in->case_id)
						: json_null(),
			 "evidence_id", in->evidence_id
						? json_string(in->evidence_id)
						: json_null(),
			 "audit", audit_json(&in->audit),
			 "export", r->doc);
	return emit_json(r, root);
}

/* ---- DFXML ------------------------------------------------------------------- */

static void x_elem(struct fg_buf *o, int depth, const char *name,
		   const char *value)
{
	int i;

	if (value == NULL)
		return; /* absent: not known */
	for (i = 0; i < depth; i++)
		fg_buf_puts(o, "  ");
	fg_buf_printf(o, "<%s>", name);
	put_esc(o, value, ESC_MARKUP);
	fg_buf_printf(o, "</%s>\n", name);
}

/* Attribute name="value" when value is known. */
static void x_attr(struct fg_buf *o, const char *name, const char *value)
{
	if (value == NULL)
		return;
	fg_buf_printf(o, " %s=\"", name);
	put_esc(o, value, ESC_MARKUP);
	fg_buf_puts(o, "\"");
}

static void x_indent(struct fg_buf *o, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fg_buf_puts(o, "  ");
}

struct xhash {
	struct fg_buf *o;
	int depth;
};

static void x_hashdigest(void *ctx, const char *alg, const char *hex)
{
	struct xhash *x = ctx;

	x_indent(x->o, x->depth);
	fg_buf_puts(x->o, "<hashdigest");
	x_attr(x->o, "type", alg);
	fg_buf_puts(x->o, ">");
	put_esc(x->o, hex, ESC_MARKUP);
	fg_buf_puts(x->o, "</hashdigest>\n");
}

/* Element <forage:NAME> for every listed member known. */
static void x_members(struct fg_buf *o, int depth, json_t *obj,
		      const char *const *keys)
{
	char b[64], name[80];

	for (; *keys != NULL; keys++) {
		snprintf(name, sizeof(name), "forage:%s", *keys);
		x_elem(o, depth, name, jtext(obj, *keys, b, sizeof(b)));
	}
}

static const char *const acq_keys[] = {
	"state", "status", "exit_code", "message", "examiner", "started_utc",
	"finished_utc", "duration_seconds", "tool_name", "tool_version", "host", "pid",
	"command_line", "source_path", "source_kind", "source_total_size",
	"source_offset", "source_size", "model", "serial",
	"logical_sector_size", "physical_sector_size", "format",
	"no_write_block", "bytes", "sectors_filled", NULL
};

static void x_json_member(struct fg_buf *o, int depth, const char *name,
			  json_t *v)
{
	char *s;

	if (v == NULL || json_is_null(v))
		return;
	s = json_is_string(v) ? strdup(json_string_value(v))
			      : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
						      JSON_SORT_KEYS);
	if (s == NULL) {
		o->failed = 1;
		return;
	}
	x_elem(o, depth, name, s);
	free(s);
}

static void x_acquisition(void *ctx, json_t *c, json_t *e, json_t *acq)
{
	struct report *r = ctx;
	struct fg_buf *o = &r->o;
	json_t *arr, *b, *w;
	struct xhash xh = {o, 4};
	int64_t ss = 0;
	size_t i;
	char b1[32], b2[32], b3[32];
	const char *len;

	if (!jint(acq, "logical_sector_size", &ss) || ss < 0)
		ss = 0;
	fg_buf_puts(o, "  <diskimageobject>\n    <forage:acquisition");
	x_attr(o, "id", jtext(acq, "id", b1, sizeof(b1)));
	x_attr(o, "case_id", c ? jstr(c, "case_id") : jstr(acq, "case_id"));
	x_attr(o, "evidence_id",
	       e ? jstr(e, "evidence_id") : jstr(acq, "evidence_id"));
	fg_buf_puts(o, ">\n");
	x_members(o, 3, acq, acq_keys);
	x_json_member(o, 3, "forage:hpa", source_fact(acq, "hpa"));
	x_json_member(o, 3, "forage:dco", source_fact(acq, "dco"));
	x_json_member(o, 3, "forage:write_block",
		      json_object_get(acq, "write_block"));
	x_json_member(o, 3, "forage:parameters",
		      json_object_get(acq, "parameters"));
	json_array_foreach(jarr(acq, "bad_ranges"), i, b) {
		int64_t lba = 0, cnt = 0;

		fg_buf_puts(o, "      <forage:bad_range");
		x_attr(o, "first_lba", jtext(b, "first_lba", b1, sizeof(b1)));
		x_attr(o, "count", jtext(b, "count", b2, sizeof(b2)));
		if (ss > 0 && jint(b, "first_lba", &lba) &&
		    jint(b, "count", &cnt)) {
			snprintf(b3, sizeof(b3), "%" PRId64, lba * ss);
			x_attr(o, "img_offset", b3);
			snprintf(b3, sizeof(b3), "%" PRId64, cnt * ss);
			x_attr(o, "len", b3);
		}
		fg_buf_puts(o, "/>\n");
	}
	fg_buf_puts(o, "    </forage:acquisition>\n");

	/* The image: one run over all acquired bytes with the media
	 * hashes, then the hash windows. */
	len = jtext(acq, "bytes", b1, sizeof(b1));
	if (len == NULL)
		len = jtext(acq, "source_size", b1, sizeof(b1));
	fg_buf_puts(o, "    <byte_runs>\n      <byte_run img_offset=\"0\"");
	x_attr(o, "len", len);
	fg_buf_puts(o, " forage:kind=\"media\">\n");
	each_media_hash(acq, x_hashdigest, &xh);
	fg_buf_puts(o, "      </byte_run>\n");
	arr = jarr(acq, "hash_windows");
	json_array_foreach(arr, i, w) {
		fg_buf_puts(o, "      <byte_run");
		x_attr(o, "img_offset", jtext(w, "offset", b1, sizeof(b1)));
		x_attr(o, "len", jtext(w, "length", b2, sizeof(b2)));
		fg_buf_puts(o, " forage:kind=\"hash-window\"");
		x_attr(o, "forage:index", window_index(w, b3, sizeof(b3)));
		fg_buf_puts(o, ">\n");
		if (jstr(w, "algorithm") && jstr(w, "hex"))
			x_hashdigest(&xh, jstr(w, "algorithm"),
				     jstr(w, "hex"));
		fg_buf_puts(o, "      </byte_run>\n");
	}
	json_array_foreach(jarr(acq, "bad_ranges"), i, b) {
		int64_t lba = 0, cnt = 0;

		if (ss <= 0 || !jint(b, "first_lba", &lba) ||
		    !jint(b, "count", &cnt))
			continue;
		snprintf(b1, sizeof(b1), "%" PRId64, lba * ss);
		snprintf(b2, sizeof(b2), "%" PRId64, cnt * ss);
		fg_buf_puts(o, "      <byte_run");
		x_attr(o, "img_offset", b1);
		x_attr(o, "len", b2);
		fg_buf_puts(o, " forage:kind=\"unreadable\"");
		x_attr(o, "forage:first_lba", jtext(b, "first_lba", b3,
						     sizeof(b3)));
		x_attr(o, "forage:sectors", jtext(b, "count", b3, sizeof(b3)));
		fg_buf_puts(o, "/>\n");
	}
	fg_buf_puts(o, "    </byte_runs>\n");
	if (ss > 0)
		fg_buf_printf(o, "    <sector_size>%" PRId64 "</sector_size>\n", ss);
	if (json_array_size(jarr(acq, "bad_ranges")) > 0) {
		int64_t filled = 0;
		char *msg;

		jint(acq, "sectors_filled", &filled);
		msg = fg_strdup_printf(
			"%zu range(s) of sectors could not be read and were "
			"filled in the image (see forage:bad_range)",
			json_array_size(jarr(acq, "bad_ranges")));
		x_elem(o, 2, "error", msg);
		free(msg);
	}
	fg_buf_puts(o, "  </diskimageobject>\n");
}

static void x_fileobjects(struct report *r, json_t *acq)
{
	struct fg_buf *o = &r->o;
	json_t *f;
	size_t i;
	char b[32];
	struct xhash xh = {o, 2};

	json_array_foreach(jarr(acq, "outputs"), i, f) {
		fg_buf_puts(o, "  <fileobject>\n");
		x_elem(o, 2, "filename", jstr(f, "path"));
		x_elem(o, 2, "filesize", jtext(f, "size", b, sizeof(b)));
		if (jstr(f, "md5"))
			x_hashdigest(&xh, "md5", jstr(f, "md5"));
		if (jstr(f, "sha256"))
			x_hashdigest(&xh, "sha256", jstr(f, "sha256"));
		fg_buf_puts(o, "  </fileobject>\n");
	}
}

/* Call fn(ctx, case, item, acquisition) for every acquisition of the
 * export, filed or not (case and item NULL when it names none). */
typedef void (*acq_fn)(void *ctx, json_t *c, json_t *e, json_t *a);

static void each_acquisition(json_t *doc, acq_fn fn, void *ctx)
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

static void x_source(void *ctx, json_t *c, json_t *e, json_t *a)
{
	struct report *r = ctx;

	(void)c;
	(void)e;
	x_elem(&r->o, 2, "image_filename", jstr(a, "source_path"));
}

static void x_files(void *ctx, json_t *c, json_t *e, json_t *a)
{
	(void)c;
	(void)e;
	x_fileobjects(ctx, a);
}

static const char *const ver_keys[] = {
	"acquisition_id", "examiner", "started_utc", "finished_utc",
	"target", "method", "result", "exit_code", "message", NULL
};
static const char *const cus_keys[] = {
	"utc", "action", "from_party", "to_party", "location", "reason",
	"examiner", NULL
};
static const char *const evt_keys[] = {
	"utc", "kind", "examiner", "case_id", "evidence_id", "subject_id",
	"details", "prev_sha256", "sha256", NULL
};

static void x_verification(struct fg_buf *o, json_t *v, const char *item)
{
	json_t *h;
	size_t i;
	char b[32], b2[32], b3[32];

	fg_buf_puts(o, "    <forage:verification");
	x_attr(o, "id", jtext(v, "id", b, sizeof(b)));
	x_attr(o, "evidence_id", item);
	fg_buf_puts(o, ">\n");
	x_members(o, 3, v, ver_keys);
	json_array_foreach(jarr(v, "hashes"), i, h) {
		fg_buf_puts(o, "      <forage:hash");
		x_attr(o, "file", jstr(h, "file"));
		x_attr(o, "type", jstr(h, "algorithm"));
		x_attr(o, "match", jtext(h, "match", b, sizeof(b)));
		x_attr(o, "what", jstr(h, "what"));
		fg_buf_puts(o, ">\n");
		x_elem(o, 4, "forage:source", jstr(h, "source"));
		x_elem(o, 4, "forage:expected", jstr(h, "expected"));
		x_elem(o, 4, "forage:computed", jstr(h, "computed"));
		fg_buf_puts(o, "      </forage:hash>\n");
	}
	json_array_foreach(jarr(v, "diffs"), i, h) {
		fg_buf_puts(o, "      <forage:diff");
		x_attr(o, "file", jstr(h, "file"));
		x_attr(o, "offset", jtext(h, "offset", b2, sizeof(b2)));
		x_attr(o, "length", jtext(h, "length", b3, sizeof(b3)));
		fg_buf_puts(o, ">");
		put_esc(o, jstr(h, "what") ?: "", ESC_MARKUP);
		fg_buf_puts(o, "</forage:diff>\n");
	}
	fg_buf_puts(o, "    </forage:verification>\n");
}

static void x_custody(struct fg_buf *o, json_t *cu, const char *item)
{
	char b[32];

	fg_buf_puts(o, "    <forage:custody");
	x_attr(o, "id", jtext(cu, "id", b, sizeof(b)));
	x_attr(o, "evidence_id", item ? item : jstr(cu, "evidence_id"));
	fg_buf_puts(o, ">\n");
	x_members(o, 3, cu, cus_keys);
	fg_buf_puts(o, "    </forage:custody>\n");
}

static int render_dfxml(struct report *r)
{
	const struct fg_report_input *in = r->in;
	struct fg_buf *o = &r->o;
	json_t *c, *e, *x;
	size_t i, j, k;
	char b[32], *audit;

	fg_buf_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<dfxml xmlns=\"http://www.forensicswiki.org/wiki/"
		 "Category:Digital_Forensics_XML\"\n"
		 "       xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		 "       xmlns:forage=\"" FG_REPORT_DFXML_NS "\"\n"
		 "       version=\"" FG_REPORT_DFXML_VERSION "\">\n");
	fg_buf_puts(o, "  <metadata>\n"
		 "    <dc:type>Evidence report</dc:type>\n");
	x_elem(o, 2, "dc:date", r->generated);
	x_elem(o, 2, "forage:case_id", in->case_id);
	x_elem(o, 2, "forage:evidence_id", in->evidence_id);
	x_elem(o, 2, "forage:database", jstr(r->doc, "database"));
	x_elem(o, 2, "forage:schema_version",
	       jtext(r->doc, "schema_version", b, sizeof(b)));
	x_elem(o, 2, "forage:exported_utc", jstr(r->doc, "exported_utc"));
	fg_buf_puts(o, "    <forage:audit");
	x_attr(o, "state", audit_state_name(in->audit.state));
	if (in->audit.state == FG_REPORT_AUDIT_INTACT ||
	    in->audit.state == FG_REPORT_AUDIT_BROKEN) {
		snprintf(b, sizeof(b), "%" PRId64, in->audit.events);
		x_attr(o, "events", b);
		if (in->audit.first_bad_id) {
			snprintf(b, sizeof(b), "%" PRId64,
				 in->audit.first_bad_id);
			x_attr(o, "first_bad_id", b);
		}
		if (in->audit.head_sha256 && *in->audit.head_sha256)
			x_attr(o, "head_sha256", in->audit.head_sha256);
	}
	fg_buf_puts(o, ">");
	audit = audit_sentence(&in->audit);
	put_esc(o, audit ? audit : "", ESC_MARKUP);
	free(audit);
	fg_buf_puts(o, "</forage:audit>\n  </metadata>\n");
	fg_buf_puts(o, "  <creator>\n    <program>" PACKAGE_NAME "</program>\n"
		 "    <version>" PACKAGE_VERSION "</version>\n"
		 "    <execution_environment>\n");
	x_elem(o, 3, "start_time", r->generated);
	fg_buf_puts(o, "    </execution_environment>\n  </creator>\n");
	fg_buf_puts(o, "  <source>\n");
	each_acquisition(r->doc, x_source, r);
	fg_buf_puts(o, "  </source>\n");
	each_acquisition(r->doc, x_acquisition, r);
	each_acquisition(r->doc, x_files, r);

	/* What DFXML has no element for. */
	json_array_foreach(jarr(r->doc, "cases"), i, c) {
		fg_buf_puts(o, "  <forage:case");
		x_attr(o, "case_id", jstr(c, "case_id"));
		fg_buf_puts(o, ">\n");
		x_elem(o, 2, "forage:description", jstr(c, "description"));
		x_elem(o, 2, "forage:created_utc", jstr(c, "created_utc"));
		x_elem(o, 2, "forage:examiner", jstr(c, "examiner"));
		json_array_foreach(jarr(c, "evidence"), j, e) {
			const char *item = jstr(e, "evidence_id");

			fg_buf_puts(o, "    <forage:evidence");
			x_attr(o, "evidence_id", item);
			fg_buf_puts(o, ">\n");
			x_elem(o, 3, "forage:description",
			       jstr(e, "description"));
			x_elem(o, 3, "forage:created_utc",
			       jstr(e, "created_utc"));
			x_elem(o, 3, "forage:examiner", jstr(e, "examiner"));
			fg_buf_puts(o, "    </forage:evidence>\n");
			json_array_foreach(jarr(e, "verifications"), k, x)
				x_verification(o, x, item);
			json_array_foreach(jarr(e, "custody"), k, x)
				x_custody(o, x, item);
		}
		json_array_foreach(jarr(c, "verifications"), k, x)
			x_verification(o, x, NULL);
		json_array_foreach(jarr(c, "unfiled_verifications"), k, x)
			x_verification(o, x, NULL);
		json_array_foreach(jarr(c, "custody"), k, x)
			x_custody(o, x, NULL);
		fg_buf_puts(o, "  </forage:case>\n");
	}
	json_array_foreach(jarr(r->doc, "unfiled_verifications"), k, x)
		x_verification(o, x, NULL);
	json_array_foreach(jarr(r->doc, "events"), i, x) {
		fg_buf_puts(o, "  <forage:event");
		x_attr(o, "id", jtext(x, "id", b, sizeof(b)));
		fg_buf_puts(o, ">\n");
		x_members(o, 2, x, evt_keys);
		fg_buf_puts(o, "  </forage:event>\n");
	}
	fg_buf_puts(o, "</dfxml>\n");
	return FG_OK;
}

/* ---- CASE/UCO JSON-LD ---------------------------------------------------------- */

/* Node identifiers are derived from what they name, so the same database
 * gives the same graph: "kb:KIND-" and a UUID-shaped SHA-256 prefix of the
 * case, the kind and the local id. */
static json_t *node_id(const char *kind, const char *case_id,
		       const char *local)
{
	struct fg_hash *h = NULL;
	char hex[FG_HASH_HEX_MAX], *s = NULL;
	json_t *id = NULL;
	char *text = fg_strdup_printf("%s\n%s\n%s", case_id ? case_id : "",
				      kind, local ? local : "");

	if (text == NULL || fg_hash_new(&h, FG_HASH_SHA256, NULL) != FG_OK)
		goto out;
	fg_hash_update(h, text, strlen(text));
	fg_hash_final(h, hex);
	s = fg_strdup_printf("kb:%s-%.8s-%.4s-%.4s-%.4s-%.12s", kind, hex,
			     hex + 8, hex + 12, hex + 16, hex + 20);
	if (s != NULL)
		id = json_string(s);
out:
	free(text);
	free(s);
	fg_hash_free(h);
	return id;
}

/* {"@id": id}; ref() keeps the caller's reference, ref_new() takes it. */
static json_t *ref(json_t *id)
{
	return json_pack("{s:O}", "@id", id);
}

static json_t *ref_new(json_t *id)
{
	return json_pack("{s:o}", "@id", id);
}

static json_t *typed(const char *type, const char *value)
{
	return json_pack("{s:s, s:s}", "@type", type, "@value", value);
}

/* Set key to a string when known. */
static void set_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, key, json_string(v));
}

static void set_time(json_t *o, const char *key, const char *utc)
{
	if (utc != NULL)
		json_object_set_new(o, key, typed("xsd:dateTime", utc));
}

static void set_int(json_t *o, const char *key, json_t *from,
		    const char *fkey)
{
	int64_t v;

	if (jint(from, fkey, &v))
		json_object_set_new(o, key, json_integer(v));
}

static const char *uco_hash_method(const char *alg)
{
	if (strcmp(alg, "md5") == 0)
		return "MD5";
	if (strcmp(alg, "sha1") == 0)
		return "SHA1";
	if (strcmp(alg, "sha256") == 0)
		return "SHA256";
	return alg;
}

struct uco {
	struct report *r;
	json_t *graph;
	json_t *inv_objects; /* the investigation's uco-core:object */
	const char *case_id;
	unsigned seq;        /* hashes and facets of one node */
	char owner[300];     /* local id of the node being built */
};

/* Add a node to the graph and to the investigation's objects; a node
 * that could not be built (out of memory) fails the report. */
static void add(struct uco *u, json_t *node)
{
	json_t *id = json_object_get(node, "@id");

	if (node == NULL || id == NULL ||
	    json_array_append_new(u->inv_objects, ref(id)) != 0) {
		u->r->o.failed = 1;
		json_decref(node);
		return;
	}
	if (json_array_append_new(u->graph, node) != 0)
		u->r->o.failed = 1;
}

static json_t *uco_hash(struct uco *u, const char *alg, const char *hex)
{
	char local[sizeof(u->owner) + 24];
	json_t *h;

	snprintf(local, sizeof(local), "%s/hash/%u", u->owner, u->seq++);
	h = json_pack("{s:o, s:s, s:s, s:o}", "@id",
		      node_id("hash", u->case_id, local), "@type",
		      "uco-types:Hash", "uco-types:hashMethod",
		      uco_hash_method(alg), "uco-types:hashValue",
		      typed("xsd:hexBinary", hex));
	return h;
}

struct hash_list {
	struct uco *u;
	json_t *arr;
};

static void uco_media_hash(void *ctx, const char *alg, const char *hex)
{
	struct hash_list *hl = ctx;

	json_array_append_new(hl->arr, uco_hash(hl->u, alg, hex));
}

static json_t *facet(struct uco *u, const char *type)
{
	char local[sizeof(u->owner) + 24];

	snprintf(local, sizeof(local), "%s/facet/%u", u->owner, u->seq++);
	return json_pack("{s:o, s:s}", "@id",
			 node_id("facet", u->case_id, local), "@type", type);
}

static json_t *annotation(struct uco *u, const char *local,
			  const char *tag, const char *text, json_t *about)
{
	json_t *a = json_pack("{s:o, s:s, s:[s], s:s, s:[o]}", "@id",
			      node_id("annotation", u->case_id, local),
			      "@type", "uco-core:Annotation", "uco-core:tag",
			      tag, "uco-core:description", text,
			      "uco-core:object", ref(about));

	return a;
}

static json_t *person(struct uco *u, const char *name)
{
	json_t *id = node_id("person", u->case_id, name ? name : UNKNOWN);
	json_t *p;
	size_t i;
	json_t *n;

	/* One node per examiner. */
	json_array_foreach(u->graph, i, n)
		if (json_equal(json_object_get(n, "@id"), id))
			return id;
	p = json_pack("{s:O, s:s, s:s}", "@id", id, "@type",
		      "uco-identity:Person", "uco-core:name",
		      name ? name : UNKNOWN);
	add(u, p);
	return id;
}

static json_t *tool(struct uco *u, const char *name, const char *version)
{
	char *local = fg_strdup_printf("%s %s", name ? name : UNKNOWN,
				       version ? version : UNKNOWN);
	json_t *id = node_id("tool", u->case_id, local);
	json_t *t, *n;
	size_t i;

	free(local);
	json_array_foreach(u->graph, i, n)
		if (json_equal(json_object_get(n, "@id"), id))
			return id;
	t = json_pack("{s:O, s:s, s:s}", "@id", id, "@type", "uco-tool:Tool",
		      "uco-tool:toolType", "acquisition");
	set_str(t, "uco-core:name", name);
	set_str(t, "uco-tool:version", version);
	add(u, t);
	return id;
}

/* The computer an acquisition ran on (one node per host name). */
static json_t *host(struct uco *u, const char *name)
{
	json_t *id = node_id("host", u->case_id, name);
	json_t *h, *n;
	size_t i;

	json_array_foreach(u->graph, i, n)
		if (json_equal(json_object_get(n, "@id"), id))
			return id;
	h = json_pack("{s:O, s:s, s:s}", "@id", id, "@type",
		      "uco-observable:Device", "uco-core:name", name);
	add(u, h);
	return id;
}

static void uco_acquisition(struct uco *u, json_t *c, json_t *e,
			    json_t *acq)
{
	char b[32], local[300], *s;
	const char *aid = jtext(acq, "id", b, sizeof(b));
	const char *item = e ? jstr(e, "evidence_id") : jstr(acq, "evidence_id");
	json_t *act, *dev, *img, *devid, *imgid, *results, *f, *fc, *hashes;
	json_t *facets;
	struct hash_list hl;
	const char *kind;
	int is_dev;
	size_t i;

	(void)c;
	snprintf(local, sizeof(local), "acquisition/%s", aid ? aid : "?");
	fg_copy_str(u->owner, sizeof(u->owner), local);
	u->seq = 0;

	/* The source: a device (or a file) with what is known of it. */
	kind = jstr(acq, "source_kind");
	is_dev = kind && (strstr(kind, "block") || strstr(kind, "device"));
	devid = node_id("device", u->case_id, local);
	dev = json_pack("{s:O, s:s}", "@id", devid, "@type",
			is_dev ? "uco-observable:Device"
			: kind && strstr(kind, "file")
				? "uco-observable:File"
				: "uco-observable:ObservableObject");
	facets = json_array();
	if (is_dev) {
		fc = facet(u, "uco-observable:DeviceFacet");
		set_str(fc, "uco-observable:model", jstr(acq, "model"));
		set_str(fc, "uco-observable:serialNumber",
			jstr(acq, "serial"));
		json_array_append_new(facets, fc);
	}
	fc = facet(u, "uco-observable:FileFacet");
	set_str(fc, "uco-observable:filePath", jstr(acq, "source_path"));
	set_int(fc, "uco-observable:sizeInBytes", acq, "source_total_size");
	json_array_append_new(facets, fc);
	json_object_set_new(dev, "uco-core:hasFacet", facets);
	s = fg_strdup_printf("Source of acquisition %s (evidence item %s)",
			     aid ? aid : UNKNOWN, item ? item : UNKNOWN);
	set_str(dev, "uco-core:description", s);
	free(s);
	add(u, dev);

	/* The image: the acquired bytes and their media hashes. */
	imgid = node_id("image", u->case_id, local);
	img = json_pack("{s:O, s:s}", "@id", imgid, "@type",
			"uco-observable:Image");
	fc = facet(u, "uco-observable:ContentDataFacet");
	set_int(fc, "uco-observable:sizeInBytes", acq, "bytes");
	hl.u = u;
	hl.arr = json_array();
	each_media_hash(acq, uco_media_hash, &hl);
	json_object_set_new(fc, "uco-observable:hash", hl.arr);
	json_object_set_new(img, "uco-core:hasFacet", json_pack("[o]", fc));
	add(u, img);

	results = json_array();
	json_array_append_new(results, ref(imgid));
	json_array_foreach(jarr(acq, "outputs"), i, f) {
		json_t *file, *fid, *ff, *cf;
		char flocal[600];

		snprintf(flocal, sizeof(flocal), "%s/output/%zu", local, i);
		fid = node_id("file", u->case_id, flocal);
		file = json_pack("{s:O, s:s}", "@id", fid, "@type",
				 "uco-observable:File");
		ff = facet(u, "uco-observable:FileFacet");
		set_str(ff, "uco-observable:filePath", jstr(f, "path"));
		if (jstr(f, "path")) {
			const char *base = strrchr(jstr(f, "path"), '/');
			set_str(ff, "uco-observable:fileName",
				base ? base + 1 : jstr(f, "path"));
		}
		set_int(ff, "uco-observable:sizeInBytes", f, "size");
		cf = facet(u, "uco-observable:ContentDataFacet");
		set_int(cf, "uco-observable:sizeInBytes", f, "size");
		hashes = json_array();
		if (jstr(f, "md5"))
			json_array_append_new(hashes,
					      uco_hash(u, "md5", jstr(f, "md5")));
		if (jstr(f, "sha256"))
			json_array_append_new(
				hashes, uco_hash(u, "sha256", jstr(f, "sha256")));
		json_object_set_new(cf, "uco-observable:hash", hashes);
		json_object_set_new(file, "uco-core:hasFacet",
				    json_pack("[o, o]", ff, cf));
		json_array_append_new(results, ref(fid));
		add(u, file);
		json_decref(fid);
	}

	act = json_pack("{s:o, s:s, s:s}", "@id",
			node_id("action", u->case_id, local), "@type",
			"case-investigation:InvestigativeAction",
			"uco-core:name", "acquisition");
	s = fg_strdup_printf("Acquisition %s of evidence item %s: %s",
			     aid ? aid : UNKNOWN, item ? item : UNKNOWN,
			     jstr(acq, "state") ?: jstr(acq, "status")
							   ?: UNKNOWN);
	set_str(act, "uco-core:description", s);
	free(s);
	set_time(act, "uco-action:startTime", jstr(acq, "started_utc"));
	set_time(act, "uco-action:endTime", jstr(acq, "finished_utc"));
	json_object_set_new(act, "uco-action:performer",
			    ref_new(person(u, jstr(acq, "examiner"))));
	json_object_set_new(act, "uco-action:instrument",
			    ref_new(tool(u, jstr(acq, "tool_name"),
				     jstr(acq, "tool_version"))));
	json_object_set_new(act, "uco-action:object",
			    json_pack("[o]", ref(devid)));
	json_object_set_new(act, "uco-action:result", results);
	if (jstr(acq, "host") != NULL)
		json_object_set_new(act, "uco-action:environment",
				    ref_new(host(u, jstr(acq, "host"))));
	add(u, act);

	if (json_array_size(jarr(acq, "bad_ranges")) > 0) {
		json_t *br;
		struct fg_buf t = {NULL, 0, 0, 0};
		char alocal[320];

		fg_buf_puts(&t, "Unreadable sectors, filled in the image (first LBA "
			  "+ count):");
		json_array_foreach(jarr(acq, "bad_ranges"), i, br) {
			char x1[32], x2[32];
			fg_buf_printf(&t, " %s+%s",
			     jtext(br, "first_lba", x1, sizeof(x1)) ?: UNKNOWN,
			     jtext(br, "count", x2, sizeof(x2)) ?: UNKNOWN);
		}
		snprintf(alocal, sizeof(alocal), "%s/bad-ranges", local);
		if (!t.failed)
			add(u, annotation(u, alocal, "unreadable-sectors", t.p,
					  imgid));
		else
			u->r->o.failed = 1;
		free(t.p);
	}
	if (json_array_size(jarr(acq, "hash_windows")) > 0) {
		json_t *w;
		struct fg_buf t = {NULL, 0, 0, 0};
		char alocal[320];

		fg_buf_puts(&t, "Hash windows of the image (index, offset+length, "
			  "algorithm, digest):");
		json_array_foreach(jarr(acq, "hash_windows"), i, w) {
			char x1[32], x2[32], x3[32];
			fg_buf_printf(&t, "\n%s %s+%s %s %s",
			     window_index(w, x1, sizeof(x1)) ?: UNKNOWN,
			     jtext(w, "offset", x2, sizeof(x2)) ?: UNKNOWN,
			     jtext(w, "length", x3, sizeof(x3)) ?: UNKNOWN,
			     jstr(w, "algorithm") ?: UNKNOWN,
			     jstr(w, "hex") ?: UNKNOWN);
		}
		snprintf(alocal, sizeof(alocal), "%s/hash-windows", local);
		if (!t.failed)
			add(u, annotation(u, alocal, "hash-windows", t.p,
					  imgid));
		else
			u->r->o.failed = 1;
		free(t.p);
	}
	json_decref(devid);
	json_decref(imgid);
}

static void uco_acq_cb(void *ctx, json_t *c, json_t *e, json_t *a)
{
	uco_acquisition(ctx, c, e, a);
}

static void uco_custody(struct uco *u, json_t *cu, const char *item)
{
	char b[32], local[64];
	json_t *act;
	struct fg_buf t = {NULL, 0, 0, 0};
	char *name;

	snprintf(local, sizeof(local), "custody/%s",
		 jtext(cu, "id", b, sizeof(b)) ?: "?");
	name = fg_strdup_printf("custody-%s", jstr(cu, "action") ?: UNKNOWN);
	act = json_pack("{s:o, s:s, s:s}", "@id",
			node_id("action", u->case_id, local), "@type",
			"case-investigation:InvestigativeAction",
			"uco-core:name", name ? name : "custody");
	free(name);
	fg_buf_printf(&t, "Custody event %s of evidence item %s: %s; from: %s; to: %s;"
		 " location: %s; reason: %s",
	     jtext(cu, "id", b, sizeof(b)) ?: UNKNOWN,
	     item ?: jstr(cu, "evidence_id") ?: UNKNOWN,
	     jstr(cu, "action") ?: UNKNOWN,
	     jstr(cu, "from_party") ?: UNKNOWN,
	     jstr(cu, "to_party") ?: UNKNOWN,
	     jstr(cu, "location") ?: UNKNOWN, jstr(cu, "reason") ?: UNKNOWN);
	if (!t.failed)
		set_str(act, "uco-core:description", t.p);
	free(t.p);
	set_time(act, "uco-action:startTime", jstr(cu, "utc"));
	json_object_set_new(act, "uco-action:performer",
			    ref_new(person(u, jstr(cu, "examiner"))));
	add(u, act);
}

static void uco_verification(struct uco *u, json_t *v)
{
	char b[32], local[64];
	json_t *act, *h, *res;
	struct fg_buf t = {NULL, 0, 0, 0};
	size_t i;

	snprintf(local, sizeof(local), "verification/%s",
		 jtext(v, "id", b, sizeof(b)) ?: "?");
	fg_copy_str(u->owner, sizeof(u->owner), local);
	u->seq = 0;
	act = json_pack("{s:o, s:s, s:s}", "@id",
			node_id("action", u->case_id, local), "@type",
			"case-investigation:InvestigativeAction",
			"uco-core:name", "verification");
	{
		char x1[32], x2[32], x3[32];
		fg_buf_printf(&t, "Verification %s of acquisition %s: %s (exit %s); "
			 "target: %s; method: %s",
		     jtext(v, "id", x1, sizeof(x1)) ?: UNKNOWN,
		     jtext(v, "acquisition_id", x2, sizeof(x2)) ?: UNKNOWN,
		     jstr(v, "result") ?: UNKNOWN,
		     jtext(v, "exit_code", x3, sizeof(x3)) ?: UNKNOWN,
		     jstr(v, "target") ?: UNKNOWN,
		     jstr(v, "method") ?: UNKNOWN);
	}
	json_array_foreach(jarr(v, "hashes"), i, h) {
		char x[32];
		fg_buf_printf(&t, "; %s %s%s%s expected %s%s%s%s computed %s "
			      "match %s",
		     jstr(h, "file") ?: "(media)",
		     jstr(h, "algorithm") ?: UNKNOWN,
		     jstr(h, "what") ? " of " : "", jstr(h, "what") ?: "",
		     jstr(h, "expected") ?: UNKNOWN,
		     jstr(h, "source") ? " (from " : "",
		     jstr(h, "source") ?: "", jstr(h, "source") ? ")" : "",
		     jstr(h, "computed") ?: UNKNOWN,
		     jtext(h, "match", x, sizeof(x)) ?: UNKNOWN);
	}
	json_array_foreach(jarr(v, "diffs"), i, h) {
		char x1[32], x2[32];
		fg_buf_printf(&t, "; differs: %s offset %s length %s: %s",
		     jstr(h, "file") ?: "(media)",
		     jtext(h, "offset", x1, sizeof(x1)) ?: UNKNOWN,
		     jtext(h, "length", x2, sizeof(x2)) ?: UNKNOWN,
		     jstr(h, "what") ?: UNKNOWN);
	}
	if (!t.failed)
		set_str(act, "uco-core:description", t.p);
	free(t.p);
	set_time(act, "uco-action:startTime", jstr(v, "started_utc"));
	set_time(act, "uco-action:endTime", jstr(v, "finished_utc"));
	json_object_set_new(act, "uco-action:performer",
			    ref_new(person(u, jstr(v, "examiner"))));
	/* The computed digests are the verification's result. */
	res = json_array();
	json_array_foreach(jarr(v, "hashes"), i, h) {
		if (jstr(h, "computed") && jstr(h, "algorithm"))
			json_array_append_new(
				res, uco_hash(u, jstr(h, "algorithm"),
					      jstr(h, "computed")));
	}
	if (json_array_size(res) > 0) {
		json_t *cd = json_pack("{s:o, s:s, s:[{s:s, s:O}]}", "@id",
				       node_id("content", u->case_id, local),
				       "@type", "uco-observable:ContentData",
				       "uco-core:hasFacet", "@type",
				       "uco-observable:ContentDataFacet",
				       "uco-observable:hash", res);
		json_t *fac = json_array_get(
			json_object_get(cd, "uco-core:hasFacet"), 0);
		char flocal[80];

		snprintf(flocal, sizeof(flocal), "%s/facet", local);
		json_object_set_new(fac, "@id",
				    node_id("facet", u->case_id, flocal));
		json_object_set_new(act, "uco-action:result",
				    json_pack("[o]", ref(json_object_get(
							     cd, "@id"))));
		add(u, cd);
	}
	json_decref(res);
	add(u, act);
}

static int render_case_uco(struct report *r)
{
	const struct fg_report_input *in = r->in;
	struct uco u;
	json_t *root, *ctx, *inv, *c, *e, *x, *invid;
	size_t i, j, k;
	char *s, b[32];
	struct fg_buf t = {NULL, 0, 0, 0};

	memset(&u, 0, sizeof(u));
	u.r = r;
	u.graph = json_array();
	u.inv_objects = json_array();
	u.case_id = in->case_id ? in->case_id : "";
	ctx = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kb",
		"urn:x-forage:kb:", "case-investigation",
		"https://ontology.caseontology.org/case/investigation/",
		"uco-action", "https://ontology.unifiedcyberontology.org/uco/action/",
		"uco-core", "https://ontology.unifiedcyberontology.org/uco/core/",
		"uco-identity",
		"https://ontology.unifiedcyberontology.org/uco/identity/",
		"uco-observable",
		"https://ontology.unifiedcyberontology.org/uco/observable/",
		"uco-tool", "https://ontology.unifiedcyberontology.org/uco/tool/",
		"uco-types", "https://ontology.unifiedcyberontology.org/uco/types/",
		"uco-vocabulary",
		"https://ontology.unifiedcyberontology.org/uco/vocabulary/",
		"xsd", "http://www.w3.org/2001/XMLSchema#");
	if (u.graph == NULL || u.inv_objects == NULL || ctx == NULL)
		goto nomem;

	/* The investigation comes first; its object list is filled as the
	 * other nodes are added. */
	invid = node_id("investigation", u.case_id, "case");
	inv = json_pack("{s:o, s:s}", "@id", invid, "@type",
			"case-investigation:Investigation");
	json_array_append_new(u.graph, inv);
	c = json_array_get(jarr(r->doc, "cases"), 0);
	set_str(inv, "uco-core:name", in->case_id ? in->case_id
						  : jstr(c, "case_id"));
	set_str(inv, "uco-core:description", jstr(c, "description"));
	set_time(inv, "uco-core:objectCreatedTime", jstr(c, "created_utc"));

	json_array_foreach(jarr(r->doc, "cases"), i, c) {
		json_array_foreach(jarr(c, "evidence"), j, e) {
			char local[300];
			json_t *pr;

			snprintf(local, sizeof(local), "evidence/%s",
				 jstr(e, "evidence_id") ?: "?");
			pr = json_pack("{s:o, s:s}", "@id",
				       node_id("provenance-record", u.case_id,
					       local),
				       "@type",
				       "case-investigation:ProvenanceRecord");
			set_str(pr, "case-investigation:exhibitNumber",
				jstr(e, "evidence_id"));
			set_str(pr, "uco-core:description",
				jstr(e, "description"));
			set_time(pr, "uco-core:objectCreatedTime",
				 jstr(e, "created_utc"));
			/* Its objects: the sources of its acquisitions. */
			{
				json_t *objs = json_array(), *a;
				json_array_foreach(jarr(e, "acquisitions"), k,
						   a) {
					char al[64];
					snprintf(al, sizeof(al),
						 "acquisition/%s",
						 jtext(a, "id", b, sizeof(b))
							 ?: "?");
					json_array_append_new(
						objs,
						json_pack("{s:o}", "@id",
							  node_id("device",
								  u.case_id,
								  al)));
				}
				json_object_set_new(pr, "uco-core:object",
						    objs);
			}
			add(&u, pr);
		}
	}
	each_acquisition(r->doc, uco_acq_cb, &u);
	json_array_foreach(jarr(r->doc, "cases"), i, c) {
		json_array_foreach(jarr(c, "evidence"), j, e) {
			json_array_foreach(jarr(e, "verifications"), k, x)
				uco_verification(&u, x);
			json_array_foreach(jarr(e, "custody"), k, x)
				uco_custody(&u, x, jstr(e, "evidence_id"));
		}
		json_array_foreach(jarr(c, "verifications"), k, x)
			uco_verification(&u, x);
		json_array_foreach(jarr(c, "unfiled_verifications"), k, x)
			uco_verification(&u, x);
		json_array_foreach(jarr(c, "custody"), k, x)
			uco_custody(&u, x, NULL);
	}
	json_array_foreach(jarr(r->doc, "unfiled_verifications"), k, x)
		uco_verification(&u, x);
	/* The event log and its audit. */
	json_array_foreach(jarr(r->doc, "events"), i, x) {
		char x1[32];

		fg_buf_printf(&t, "%sevent %s %s %s %s sha256 %s prev %s",
		     i ? "\n" : "", jtext(x, "id", x1, sizeof(x1)) ?: "?",
		     jstr(x, "utc") ?: UNKNOWN, jstr(x, "kind") ?: UNKNOWN,
		     jstr(x, "examiner") ?: UNKNOWN,
		     jstr(x, "sha256") ?: UNKNOWN,
		     jstr(x, "prev_sha256") ?: UNKNOWN);
	}
	if (json_array_size(jarr(r->doc, "events")) > 0 && !t.failed)
		add(&u, annotation(&u, "event-log", "event-log", t.p, invid));
	free(t.p);
	s = audit_sentence(&in->audit);
	if (s != NULL) {
		char *txt = fg_strdup_printf("Event-log audit: %s", s);
		if (txt != NULL)
			add(&u, annotation(&u, "audit", "audit", txt, invid));
		free(txt);
	}
	free(s);
	json_object_set_new(inv, "uco-core:object", u.inv_objects);
	u.inv_objects = NULL;

	root = json_pack("{s:o, s:o}", "@context", ctx, "@graph", u.graph);
	ctx = NULL;
	u.graph = NULL;
	if (root == NULL)
		goto nomem;
	return emit_json(r, root);
nomem:
	json_decref(ctx);
	json_decref(u.graph);
	json_decref(u.inv_objects);
	return FG_ENOMEM;
}

/* ---- Entry points ------------------------------------------------------------- */

static const char *const format_names[] = {"text", "html", "json", "dfxml",
					   "case-uco"};

int fg_report_format_parse(const char *name, enum fg_report_format *out,
			   struct fg_error *err)
{
	size_t i;

	for (i = 0; name != NULL && i < 5; i++) {
		if (strcmp(name, format_names[i]) == 0) {
			*out = (enum fg_report_format)i;
			return FG_OK;
		}
	}
	return fg_error_set(err, FG_EINVAL, 0,
			    "unknown report format '%s' (known: text, html, "
			    "json, dfxml, case-uco)",
			    name ? name : "");
}

const char *fg_report_format_name(enum fg_report_format f)
{
	return (unsigned)f < 5 ? format_names[f] : "unknown";
}

int fg_report_render(const struct fg_report_input *in,
		     enum fg_report_format f, char **out, size_t *len,
		     struct fg_error *err)
{
	struct report r;
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

	switch (f) {
	case FG_REPORT_TEXT:
		r.ops = &text_ops;
		walk_document(&r);
		break;
	case FG_REPORT_HTML:
		r.ops = &html_ops;
		walk_document(&r);
		break;
	case FG_REPORT_JSON:
		rc = render_json(&r);
		break;
	case FG_REPORT_DFXML:
		rc = render_dfxml(&r);
		break;
	case FG_REPORT_CASE_UCO:
		rc = render_case_uco(&r);
		break;
	default:
		rc = fg_error_set(err, FG_EINVAL, 0, "report: unknown format");
		break;
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
