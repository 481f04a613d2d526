/*
 * report.h - the court report: renders what the case database knows about a
 * case (or one evidence item of it) for a person or a program.
 *
 * The input is the case database's export (fg_casedb_export_json(): one
 * JSON document "forage-case-1" with cases, evidence items, acquisitions
 * with their outputs, media hashes, bad ranges and hash windows,
 * verifications with their hashes and differences, custody events and the
 * event log) plus the result of the audit of the event chain.  This module
 * knows no SQL: fg_report_input_from_casedb() gathers both through the
 * case database's own interface (casedb.h), and rendering reads only them.
 *
 * Formats:
 *   text      for the terminal (control characters in stored strings are
 *             shown as \xNN, never sent to the terminal)
 *   html      one self-contained page (inline CSS and SVG, no scripts, no
 *             external files) that prints cleanly: a summary first (what
 *             a prosecutor reads: each item's source, size, hashes,
 *             result, unreadable sectors, verifications, custody, the
 *             audit), then the details of each item on pages of their own
 *             (settings in words, a sector map of unreadable ranges), the
 *             settings left at their defaults, the event log, and an
 *             attestation to sign; every printed page names the case, the
 *             report id, "Page X of Y" and the time of generation (CSS
 *             page margin boxes); table rows are not cut, hashes are
 *             monospace and wrap
 *   pdf       the HTML printed by headless Chromium (the Debian package
 *             chromium, or $FORAGE_CHROMIUM): FG_EOUTPUT when it is
 *             missing or fails, and then no PDF at all
 *   json      for programs: {"format":"forage-report-1","report":{...},
 *             "audit":{...},"export":<the export, unchanged>}
 *   dfxml     Digital Forensics XML (schema 2.0.0-beta.0: one
 *             diskimageobject per acquisition, its media hashes as a
 *             byte_run over the whole image, hash windows as byte_runs,
 *             output files as fileobjects), with what DFXML has no element
 *             for (case, custody, verifications, audit, bad ranges) in the
 *             extension namespace FG_REPORT_DFXML_NS
 *   case-uco  CASE/UCO 1.x JSON-LD: the investigation, one
 *             InvestigativeAction "acquisition" per acquisition (performer,
 *             instrument tool, object source device, results: the image
 *             and the output files with Hash facets), one per custody
 *             event and per verification, and Annotations for bad ranges,
 *             the event log and the audit
 *
 * Promises:
 *  - Every fact comes from the export or the audit; a fact the database
 *    does not hold reads "unknown" (text, HTML), is null (JSON), or is left
 *    out (DFXML, CASE/UCO, where an absent element means "not known").
 *  - Every media hash, file hash, verification hash, hash window, bad
 *    range, custody event and event-log entry of the export appears in
 *    every format; text, HTML and PDF shorten the event log's digests to
 *    their first 8 hex digits (the others keep them whole).
 *  - A list the export cut (the custody of an item, the event log, the
 *    outputs, bad ranges and hash windows of an acquisition, the
 *    verifications and their hashes and diffs: see FG_CASEDB_EXPORT_CAP
 *    in casedb.h) is never passed off as whole: text and HTML say so
 *    in the summary and above the list, and every format says
 *    where it is cut, how many rows are not listed, between which ids (or
 *    places in the list, for rows without one), and which command lists
 *    them all (JSON: the export's KEY_omitted members).
 *  - The same export, audit and generated_utc give the same bytes (but
 *    PDF, whose printer stamps its own time), and the same report id.
 */
#ifndef FORAGE_REPORT_H
#define FORAGE_REPORT_H

#include <forage/forage.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FG_REPORT_DFXML_NS "urn:x-forage:dfxml:1"
#define FG_REPORT_DFXML_VERSION "2.0.0-beta.0"

enum fg_report_format {
	FG_REPORT_TEXT,
	FG_REPORT_HTML,
	FG_REPORT_JSON,
	FG_REPORT_DFXML,
	FG_REPORT_CASE_UCO,
	FG_REPORT_PDF
};

/* What the audit of the event chain found (fg_casedb_audit()). */
enum fg_report_audit_state {
	FG_REPORT_AUDIT_NOT_RUN = 0, /* no audit result given: "unknown" */
	FG_REPORT_AUDIT_INTACT,      /* every event checked and intact */
	FG_REPORT_AUDIT_BROKEN,      /* first_bad_id and problem say where */
	FG_REPORT_AUDIT_FAILED       /* the audit could not run: problem */
};

struct fg_report_audit {
	enum fg_report_audit_state state;
	int64_t events;              /* events checked */
	int64_t first_bad_id;        /* 0 unless BROKEN at a link of the
				      * chain (a broken anchor: 0) */
	const char *head_sha256;     /* sha256 of the last event, or NULL */
	const char *problem;         /* NULL or what is wrong */
	/* The anchors outside the database (anchor.h), checked when the
	 * chain is intact: how many, the highest event one confirms (0:
	 * none) and by which file; anchor_note says why they could not be
	 * checked, or what is broken (problem then points at it). */
	size_t anchors;
	int64_t anchored;
	char anchored_by[512];
	char anchor_note[1024];
	/* The database's absolute path ("" when unknown): the JSON report
	 * names it, with the head (events, head_sha256) of an intact log,
	 * so that `forage case audit` takes the report as an anchor. */
	char case_db[4096];
};

/* How an HTML report carries its anchor for `forage case audit`: a
 * <meta> element in its <head> whose content (& < > " ' as the entities
 * &amp; &lt; &gt; &quot; &#39;, nothing else escaped) is {"format":
 * "forage-report-1", "case_db": {"path": ...}, "audit": {"head_event": N,
 * "head_event_sha256": ...}}, when the log was found intact. */
#define FG_REPORT_HTML_ANCHOR "<meta name=\"forage-anchor\" content=\""

struct fg_report_input {
	const char *export_json;     /* fg_casedb_export_json() output */
	struct fg_report_audit audit;
	const char *case_id;         /* as asked for (NULL: every case) */
	const char *evidence_id;     /* as asked for (NULL: every item) */
	const char *generated_utc;   /* NULL: now */
};

/* ---- Formats ------------------------------------------------------------ */

/* "text", "html", "json", "dfxml", "case-uco", "pdf" to *out.  Returns FG_OK or
 * FG_EINVAL naming the word and the known formats. */
int fg_report_format_parse(const char *name, enum fg_report_format *out,
			   struct fg_error *err);

/* The name of a format ("case-uco", ...; "unknown" for no format). */
const char *fg_report_format_name(enum fg_report_format f);

/* The names of every format, in order, joined by ", " and by last_sep
 * before the last one ("text, html, json, dfxml or case-uco" with " or ")
 * into buf, cut short if need be and always NUL-terminated when n > 0.
 * Returns the length of the whole list, as snprintf() does. */
size_t fg_report_format_list(char *buf, size_t n, const char *last_sep);

/* ---- Rendering ------------------------------------------------------------ */

/* Render in into format f: *out is malloc'd (NUL-terminated, *len bytes
 * without the NUL).  Returns FG_OK; FG_EFORMAT when export_json is not a
 * "forage-case-1" export (the message names the line, column and cause);
 * FG_EINVAL (no input); FG_ENOMEM; FG_EOUTPUT (pdf: no Chromium, or it
 * failed: the message says which). */
int fg_report_render(const struct fg_report_input *in,
		     enum fg_report_format f, char **out, size_t *len,
		     struct fg_error *err);

/* ---- From a case database ------------------------------------------------ */

struct fg_casedb;
struct fg_casedb_audit;

/* Gather what a report of db is made from: the export of case_id
 * (evidence_id NULL: every item) with what every format states (hash
 * windows, whole records, the event log), every long list of it (custody,
 * events, outputs, bad ranges, hash windows, verifications, their hashes
 * and diffs) cut to FG_CASEDB_EXPORT_CAP_ROWS rows (FG_CASEDB_EXPORT_CAP,
 * so that memory does not grow with them), into *export_json (malloc'd, for
 * the caller to free), then the audit of the event log into *a and *aerr
 * (the audit reads every event, cut or not).
 * Fills *in: export_json, case_id, evidence_id, and audit as the report
 * states it (pointing into *a and *aerr, which must outlive *in);
 * generated_utc NULL.  An audit that finds a broken chain or cannot run
 * does not fail the call: in->audit.state says so.  Returns FG_OK, or the
 * export's error in err (then *in is untouched and nothing is audited). */
int fg_report_input_from_casedb(struct fg_casedb *db, const char *case_id,
				const char *evidence_id,
				struct fg_report_input *in,
				char **export_json,
				struct fg_casedb_audit *a,
				struct fg_error *aerr, struct fg_error *err);

#ifdef __cplusplus
}
#endif
#endif
