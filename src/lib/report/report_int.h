/*
 * report_int.h - what the report's files share (report.h is the contract):
 * the report being rendered, the output operations of text and HTML, the
 * escaping of stored strings and the reading of the export.
 *
 * report.c         entry points, the table of formats, the shared helpers
 * report_walk.c    the walk over the export that text and HTML share
 * report_summary.c its first page (the summary) and last (attestation)
 * report_words.c   sizes, settings, write block, HPA/DCO, events in words
 * report_text.c    text output operations
 * report_html.c    HTML output operations
 * report_json.c    JSON
 * report_dfxml.c   DFXML
 * report_uco.c     CASE/UCO JSON-LD
 * report_casedb.c  the input from a case database (export and audit)
 * report_pdf.c     PDF: the HTML printed by headless Chromium
 * sign.c           detached CMS signatures of a report (sign.h)
 * tsa.c            RFC 3161 time-stamps (sign.h)
 * anchor.c         seals of the case log and the audit against anchors
 */
#ifndef FORAGE_REPORT_INT_H
#define FORAGE_REPORT_INT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include <forage/report.h>

#include "base/base_int.h"

#define UNKNOWN "unknown"

/* ---- The report as a whole (report.c) ---------------------------------- */

/* The report being rendered. */
struct fg_report {
	const struct fg_report_input *in;
	struct fg_error *err;            /* what went wrong (PDF), or NULL */
	json_t *doc;                     /* the export */
	char generated[32];              /* generated_utc, or now */
	char generated_local[64];        /* the same in local time */
	char report_id[32];              /* FR-xxxx-xxxx-xxxx */
	struct fg_buf o;                 /* the output */
	const struct fg_report_ops *ops; /* text and HTML */
	int kv_open;                     /* HTML: a key/value table is open */
	int ncols;                       /* columns of the open table */
	const char *cols[12];
};

/* How a field or a table cell is shown: a hash (monospace, may wrap), an
 * alert, a good result, code (paths, command lines). */
enum { F_HASH = 1, F_ALERT = 2, F_GOOD = 4, F_CODE = 8 };

/* What the walk (report_walk.c) writes through: the text operations
 * (report_text.c) or the HTML ones (report_html.c). */
struct fg_report_ops {
	void (*begin)(struct fg_report *r, const char *title);
	void (*end)(struct fg_report *r);
	/* level 1..4; page: start a new printed page (evidence items) */
	void (*heading)(struct fg_report *r, int level, const char *text,
			int page);
	/* value NULL: unknown */
	void (*field)(struct fg_report *r, const char *label, const char *value,
		      unsigned flags);
	void (*table)(struct fg_report *r, const char *const *cols, int n);
	void (*row)(struct fg_report *r, const char *const *cells,
		    const unsigned *flags);
	void (*table_end)(struct fg_report *r);
	void (*note)(struct fg_report *r, const char *text);
	/* an evidence item's block opens and closes (HTML: page breaks) */
	void (*block)(struct fg_report *r, int open);
	/* the sector map of a source of sectors sectors with unreadable
	 * ranges (the array bad_ranges of acq, as the export holds it) */
	void (*sector_map)(struct fg_report *r, json_t *acq, int64_t sectors);
	/* lines to sign by hand: label and an empty line each */
	void (*sign_block)(struct fg_report *r, const char *const *labels,
			   int n);
};

/* A field through r's operations. */
#define FIELD(r, label, value, flags) \
	(r)->ops->field((r), (label), (value), (flags))

/* The audit state in a word ("intact", ...; "unknown" when not run). */
const char *fg_report_audit_state_name(enum fg_report_audit_state s);

/* One sentence on the audit, for a person; malloc'd, NULL when out of
 * memory. */
char *fg_report_audit_sentence(const struct fg_report_audit *a);

/* Append root (consumed; NULL means out of memory) as indented JSON and a
 * line feed to the report.  Returns FG_OK or FG_ENOMEM. */
int fg_report_emit_json(struct fg_report *r, json_t *root);

/* ---- Output (report.c) ------------------------------------------------- */

/* Escaping of stored strings: a device model or a file name is data, never
 * markup or terminal control. */
enum fg_report_esc { ESC_TEXT, ESC_MARKUP };

/* Append s to o: C0 controls (but line feed and tab) and DEL as \xNN;
 * with ESC_MARKUP also & < > " ' as entities. */
void fg_report_put_esc(struct fg_buf *o, const char *s,
		       enum fg_report_esc how);

/* ---- Reading the export ------------------------------------------------ */

/* These accessors are small and read on nearly every line of a renderer,
 * so each file has them inline. */

/* A value of obj as text: strings as they are, integers in decimal,
 * booleans "yes"/"no"; NULL when absent or null (unknown).  buf holds
 * numbers. */
static inline const char *jtext(json_t *obj, const char *key, char *buf,
				size_t n)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	switch (v != NULL ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
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
static inline const char *jstr(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An integer member into *v; 0 when absent or not an integer. */
static inline int jint(json_t *obj, const char *key, int64_t *v)
{
	json_t *j = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	if (!json_is_integer(j))
		return 0;
	*v = (int64_t)json_integer_value(j);
	return 1;
}

/* An array member (never NULL: an absent array is empty). */
static inline json_t *jarr(json_t *obj, const char *key)
{
	static json_t *empty;
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	if (json_is_array(v))
		return v;
	if (empty == NULL)
		empty = json_array(); /* never freed: one per file */
	return empty;
}

/* A fact about the source that the acquisition row or its record may hold
 * (HPA and DCO state), or NULL (report.c). */
json_t *fg_report_source_fact(json_t *acq, const char *name);

/* The window index (the export may name it index or idx). */
const char *fg_report_window_index(json_t *w, char *buf, size_t n);

/* What a person ("SHA-1") and CASE/UCO ("SHA1") call a hash algorithm
 * ("sha1"); an algorithm the report does not know keeps its own name. */
const char *fg_report_hash_label(const char *alg);
const char *fg_report_hash_uco(const char *alg);

/* Call fn for every media hash: md5, sha1, sha256 first, in that order,
 * then any other the database holds. */
void fg_report_each_media_hash(json_t *acq,
			       void (*fn)(void *ctx, const char *alg,
					  const char *hex),
			       void *ctx);

/* Call fn(ctx, case, item, acquisition) for every acquisition of the
 * export, filed or not (case and item NULL when it names none). */
typedef void (*fg_report_acq_fn)(void *ctx, json_t *c, json_t *e, json_t *a);
void fg_report_each_acquisition(json_t *doc, fg_report_acq_fn fn, void *ctx);

/* A list the export cut (FG_CASEDB_EXPORT_CAP): how many rows of the
 * array member key of obj are left out (0: the list is whole), and in
 * *after how many are listed before them (never more than the array). */
int64_t fg_report_omitted(json_t *obj, const char *key, size_t *after);

/* The sentence every format puts where such a list is cut: how many what
 * ("custody entries", "events") are not listed, between which ids, how
 * many the database holds and how many are listed, and see, the command
 * that lists them all.  malloc'd; NULL when out of memory. */
char *fg_report_omitted_sentence(json_t *obj, const char *key,
				 const char *what, const char *see);

/* What the rows of the list key of the export are called in a report
 * ("bad ranges", "verification differences", ...). */
const char *fg_report_list_what(const char *key);

/* Where row i of the list key of obj is about to be put (i: the array's
 * size after its last row): when the export cut the list there, the
 * sentence of fg_report_omitted_sentence, with forage case show --json of
 * case_id and evidence_id as the command that lists them all (malloc'd);
 * otherwise NULL.  Out of memory sets *failed. */
char *fg_report_cut_at(json_t *obj, const char *key, size_t i,
		       const char *case_id, const char *evidence_id,
		       int *failed);

/* The command that lists every row the report leaves out: "forage case
 * show --case ID [--evidence ID] [--json]"; malloc'd, NULL when out of
 * memory. */
char *fg_report_see(const char *case_id, const char *evidence_id, int json);

/* ---- The renderers ----------------------------------------------------- */

/* Each renders r->doc into r->o; FG_OK, or FG_ENOMEM (r->o.failed is
 * checked by the caller too). */

/* Text and HTML: the walk over the export (report_walk.c), through r->ops:
 * the text operations (report_text.c) or the HTML ones (report_html.c). */
int fg_report_walk(struct fg_report *r);

/* report_summary.c: the first page, the attestation at the end, and
 * r->generated_local and r->report_id (set before the walk). */
void fg_report_summary(struct fg_report *r);
void fg_report_attestation(struct fg_report *r);
void fg_report_times(struct fg_report *r);
/* When a custody handover c happened: its happened_utc (schema version 3,
 * custody add --at) with "(entered UTC)" when that differs, else utc;
 * malloc'd, NULL when out of memory. */
char *fg_report_custody_when(json_t *c);

/* report_walk.c: in the summary, which lists the export cut, if any. */
void fg_report_cut_lists(struct fg_report *r);

/* report_words.c. */
/* "8192 sectors of 512 bytes = 4194304 bytes (4.19 MB, 4 MiB)";
 * sector_size 0: no sectors.  malloc'd, NULL when out of memory. */
char *fg_report_size_words(int64_t bytes, int64_t sector_size);
/* The settings p (an acquisition's parameters) of acq as fields with
 * human labels: appendix 0 those that were set or matter, 1 those left
 * at their defaults.  Returns how many fields were put. */
int fg_report_settings(struct fg_report *r, json_t *acq, json_t *p,
		       int appendix);
/* The write-block state wb (the record's write_block) as one sentence a
 * device (fg_record_devices_words), joined by line feeds; NULL when wb is not an object or out of
 * memory. */
char *fg_report_write_block_words(json_t *wb);
/* The drive's health before and after the acquisition (the record's
 * health) in one sentence; NULL when the record has none or out of
 * memory. */
char *fg_report_health_words(json_t *acq);
/* What an event of the event log did, in words, digests shortened;
 * malloc'd, NULL when out of memory. */
char *fg_report_event_words(json_t *e);

/* report_pdf.c: print the HTML report in r->o to PDF, which replaces it. */
int fg_report_render_pdf(struct fg_report *r);
extern const struct fg_report_ops fg_report_text_ops;
extern const struct fg_report_ops fg_report_html_ops;

int fg_report_render_json(struct fg_report *r);
int fg_report_render_dfxml(struct fg_report *r);
int fg_report_render_case_uco(struct fg_report *r);

/* ---- OpenSSL's errors (sign.c) ----------------------------------------- */

/* OpenSSL's last error as text into buf ("" when none), clearing its
 * queue; returns buf. */
const char *rpt_ossl_reason(char *buf, size_t len);

#endif
