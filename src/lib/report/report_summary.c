/*
 * report_summary.c - the first page of the text and HTML reports: what a
 * prosecutor reads.  The case, the report's id, the examiners, and for
 * each evidence item the source's identity and size, when it was acquired,
 * its MD5 and SHA-256, the result, the unreadable sectors, every
 * verification with its date and verdict (--verify and --verify-source
 * from the acquisition record, forage verify from the database), custody
 * one line a handover, and the verdict of the audit of the event log.
 * And the attestation and signature block that ends the report.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <forage/hash.h>

#include "report/report_int.h"

/* The bad ranges listed in the summary, and the verifications and
 * handovers of an item; the details list them all. */
#define SUMMARY_RANGES 12
#define SUMMARY_LINES 10

static void put_owned(struct fg_report *r, const char *label, char *value,
		      unsigned flags)
{
	FIELD(r, label, value, flags);
	free(value);
}

/* "68 sectors in 3 ranges: LBA 77, 1500-1502, 6000-6063". */
static char *unreadable_words(json_t *acq)
{
	struct fg_buf o = {NULL, 0, 0, 0};
	json_t *arr = jarr(acq, "bad_ranges"), *b;
	int64_t filled = -1, n, lba, cnt;
	size_t i, after;

	n = (int64_t)json_array_size(arr) +
	    fg_report_omitted(acq, "bad_ranges", &after);
	if (!jint(acq, "sectors_filled", &filled)) {
		filled = 0;
		json_array_foreach(arr, i, b)
			if (jint(b, "count", &cnt))
				filled += cnt;
	}
	if (n == 0 && filled == 0)
		return strdup("none");
	fg_buf_printf(&o, "%" PRId64 " sector%s in %" PRId64 " range%s:",
		      filled, filled == 1 ? "" : "s", n, n == 1 ? "" : "s");
	json_array_foreach(arr, i, b) {
		if (i == SUMMARY_RANGES)
			break;
		if (!jint(b, "first_lba", &lba) || !jint(b, "count", &cnt))
			continue;
		fg_buf_printf(&o, "%s %" PRId64, i ? "," : " LBA", lba);
		if (cnt > 1)
			fg_buf_printf(&o, "-%" PRId64, lba + cnt - 1);
	}
	if (n > SUMMARY_RANGES)
		fg_buf_printf(&o, " and %" PRId64 " more (see the details)",
			      n - SUMMARY_RANGES);
	if (o.failed) {
		free(o.p);
		return NULL;
	}
	return o.p;
}

static void hash_line(void *ctx, const char *alg, const char *hex)
{
	struct fg_report *r = ctx;

	FIELD(r, fg_report_hash_label(alg), hex, F_HASH);
}

/* A verdict of the record's --verify or --verify-source run. */
static char *reread_words(json_t *v)
{
	const char *st = jstr(v, "status");
	const char *at = jstr(v, "finished_utc") ?: jstr(v, "started_utc");
	const char *msg = jstr(v, "message");

	if (!json_is_object(v))
		return NULL;
	return fg_strdup_printf("%s%s%s%s%s", st ? st : UNKNOWN,
				at ? ", " : "", at ? at : "", msg ? ": " : "",
				msg ? msg : "");
}

static int good_status(const char *st)
{
	return st != NULL &&
	       (strcmp(st, "verified") == 0 || strcmp(st, "match") == 0);
}

static void acquisition_summary(struct fg_report *r, json_t *acq, int many)
{
	json_t *rec = json_object_get(acq, "record");
	json_t *src = json_object_get(rec, "source");
	const char *state = jstr(acq, "state") ?: jstr(acq, "status");
	const char *model = jstr(acq, "model"), *serial = jstr(acq, "serial");
	const char *vendor = jstr(src, "vendor"), *notes;
	int64_t size = 0, ss = 0, code = 0;
	char b[48], *s;
	json_t *v;

	if (many) {
		s = fg_strdup_printf("Acquisition %s",
				     jtext(acq, "id", b, sizeof(b)) ?: UNKNOWN);
		r->ops->heading(r, 4, s ? s : "Acquisition", 0);
		free(s);
	}
	s = fg_strdup_printf("%s%s%s, serial %s, at %s (%s)",
			     vendor ? vendor : "", vendor ? " " : "",
			     model ? model : "model unknown",
			     serial ? serial : UNKNOWN,
			     jstr(acq, "source_path") ?: UNKNOWN,
			     jstr(acq, "source_kind") ?: "kind unknown");
	put_owned(r, "Source", s, 0);
	if (!jint(acq, "logical_sector_size", &ss))
		ss = 0;
	if (jint(acq, "source_total_size", &size) ||
	    jint(acq, "source_size", &size))
		put_owned(r, "Source size", fg_report_size_words(size, ss), 0);
	else
		FIELD(r, "Source size", NULL, 0);
	if (jint(acq, "source_size", &code) && code != size)
		put_owned(r, "Acquired",
			  fg_report_size_words(code,
					       ss),
			  F_ALERT);
	s = fg_strdup_printf("%s, by %s", jstr(acq, "started_utc") ?: UNKNOWN,
			     jstr(acq, "examiner") ?: "examiner unknown");
	put_owned(r, "Acquired (UTC)", s, 0);
	if (!json_is_object(json_object_get(acq, "media_hashes")) ||
	    json_object_size(json_object_get(acq, "media_hashes")) == 0)
		FIELD(r, "Media hashes", NULL, F_ALERT);
	fg_report_each_media_hash(acq, hash_line, r);
	code = -1;
	jint(acq, "exit_code", &code);
	if (code >= 0)
		s = fg_strdup_printf("%s (exit %" PRId64 ")",
				     state ? state : UNKNOWN, code);
	else
		s = state ? strdup(state) : NULL;
	put_owned(r, "Result", s,
		  state && strcmp(state, "success") == 0 ? F_GOOD : F_ALERT);
	s = unreadable_words(acq);
	put_owned(r, "Unreadable sectors", s,
		  s && strcmp(s, "none") == 0 ? F_GOOD : F_ALERT);
	v = json_object_get(rec, "verification");
	s = reread_words(v);
	put_owned(r, "Evidence re-read (--verify)",
		  s ? s : strdup("not asked for"),
		  s == NULL ? 0 : good_status(jstr(v, "status")) ? F_GOOD
								: F_ALERT);
	v = json_object_get(rec, "verify_source");
	s = reread_words(v);
	put_owned(r, "Source re-read (--verify-source)",
		  s ? s : strdup("not asked for"),
		  s == NULL ? 0 : good_status(jstr(v, "status")) ? F_GOOD
								: F_ALERT);
	notes = jstr(json_object_get(rec, "case"), "notes");
	if (notes != NULL)
		FIELD(r, "Notes", notes, 0);
}

/* Every verification of the item, one line each, up to SUMMARY_LINES;
 * of more, the rest counted by verdict (the details list them). */
static void verification_lines(struct fg_report *r, json_t *e)
{
	json_t *x;
	size_t i, after;
	int64_t omitted = fg_report_omitted(e, "verifications", &after);
	int64_t more = 0, good = 0;
	char b[32];

	json_array_foreach(jarr(e, "verifications"), i, x) {
		const char *res = jstr(x, "result");
		char *s;

		if (i >= SUMMARY_LINES) {
			more++;
			good += res != NULL && strcmp(res, "match") == 0;
			continue;
		}
		s = fg_strdup_printf(
			"%s, %s, by %s (acquisition %s)", res ? res : UNKNOWN,
			jstr(x, "finished_utc") ?: jstr(x, "started_utc")
			?: "time unknown",
			jstr(x, "examiner") ?: "examiner unknown",
			jtext(x, "acquisition_id", b, sizeof(b)) ?: "?");
		put_owned(r, "Verified (forage verify)", s,
			  res && strcmp(res, "match") == 0 ? F_GOOD : F_ALERT);
	}
	if (more > 0)
		put_owned(r, "Verified (forage verify)",
			  fg_strdup_printf("%" PRId64 " more listed in the "
					   "details: %" PRId64 " match, %" PRId64
					   " do not",
					   more, good, more - good),
			  good == more ? F_GOOD : F_ALERT);
	if (omitted > 0) {
		char *s = fg_strdup_printf("%" PRId64 " more verifications "
					   "not listed in this report (see "
					   "the details)",
					   omitted);
		put_owned(r, "Verified (forage verify)", s, F_ALERT);
	}
	if (json_array_size(jarr(e, "verifications")) == 0)
		FIELD(r, "Verified (forage verify)", "not yet", 0);
}

/* Custody, one line a handover. */
static void custody_lines(struct fg_report *r, json_t *e)
{
	json_t *c;
	size_t i, after;
	int64_t omitted = fg_report_omitted(e, "custody", &after);

	json_array_foreach(jarr(e, "custody"), i, c) {
		const char *loc = jstr(c, "location"), *why = jstr(c, "reason");
		char *s;

		if (i == SUMMARY_LINES) {
			put_owned(r, "Custody",
				  fg_strdup_printf(
					  "%zu more handovers: the details "
					  "list them",
					  json_array_size(jarr(e, "custody")) -
						  SUMMARY_LINES),
				  0);
			break;
		}
		char *when = fg_report_custody_when(c);

		s = fg_strdup_printf(
			"%s %s: %s to %s%s%s%s%s%s",
			when ? when : "time unknown",
			jstr(c, "action") ?: "handover",
			jstr(c, "from_party") ?: "?", jstr(c, "to_party") ?: "?",
			loc ? ", at " : "", loc ? loc : "", why ? " (" : "",
			why ? why : "", why ? ")" : "");
		free(when);
		put_owned(r, "Custody", s, 0);
	}
	if (omitted > 0)
		put_owned(r, "Custody",
			  fg_strdup_printf("%" PRId64 " more handovers (see "
					   "the details)",
					   omitted),
			  F_ALERT);
	if (json_array_size(jarr(e, "custody")) == 0 && omitted == 0)
		FIELD(r, "Custody", "no handover recorded", 0);
}

/* The examiners named by the export, each once, joined by ", ". */
static void examiner_of(void *ctx, json_t *c, json_t *e, json_t *a)
{
	struct fg_buf *o = ctx;
	const char *ex = jstr(a, "examiner");

	(void)c;
	(void)e;
	if (ex == NULL)
		return;
	if (o->p != NULL) {
		/* Already named?  Compare whole names between the ", ". */
		const char *p = o->p;
		size_t n = strlen(ex);
		while ((p = strstr(p, ex)) != NULL) {
			if ((p == o->p || (p - o->p >= 2 && p[-2] == ',')) &&
			    (p[n] == '\0' || p[n] == ','))
				return;
			p += n;
		}
	}
	fg_buf_printf(o, "%s%s", o->len ? ", " : "", ex);
}

char *fg_report_custody_when(json_t *c)
{
	const char *at = jstr(c, "happened_utc"), *utc = jstr(c, "utc");

	if (at == NULL || (utc != NULL && strcmp(at, utc) == 0))
		return strdup(utc ? utc : UNKNOWN);
	return fg_strdup_printf("%s (entered %s)", at, utc ? utc : UNKNOWN);
}

void fg_report_summary(struct fg_report *r)
{
	const struct fg_report_input *in = r->in;
	json_t *c, *e, *a;
	size_t i, j, k;
	struct fg_buf ex = {NULL, 0, 0, 0};
	char *s, b[32];

	r->ops->heading(r, 1, "Summary", 0);
	c = json_array_get(jarr(r->doc, "cases"), 0);
	if (in->case_id != NULL && c != NULL &&
	    jstr(c, "description") != NULL)
		s = fg_strdup_printf("%s: %s", in->case_id,
				     jstr(c, "description"));
	else
		s = strdup(in->case_id ? in->case_id : "all cases");
	put_owned(r, "Case", s, 0);
	if (in->evidence_id != NULL)
		FIELD(r, "Evidence item", in->evidence_id, 0);
	FIELD(r, "Report ID", r->report_id, 0);
	s = fg_strdup_printf("%s UTC; local time %s", r->generated,
			     r->generated_local);
	put_owned(r, "Generated", s, 0);
	fg_report_each_acquisition(r->doc, examiner_of, &ex);
	if (ex.failed)
		r->o.failed = 1;
	FIELD(r, "Examiner(s)", ex.p, 0);
	free(ex.p);
	s = fg_report_audit_sentence(&in->audit);
	FIELD(r, "Event-log audit", s,
	      in->audit.state == FG_REPORT_AUDIT_INTACT ? F_GOOD : F_ALERT);
	free(s);
	fg_report_cut_lists(r);

	json_array_foreach(jarr(r->doc, "cases"), i, c) {
		json_array_foreach(jarr(c, "evidence"), j, e) {
			const char *d = jstr(e, "description");
			size_t n = json_array_size(jarr(e, "acquisitions"));

			s = fg_strdup_printf("Evidence item %s%s%s",
					     jstr(e, "evidence_id") ?: UNKNOWN,
					     d ? ": " : "", d ? d : "");
			r->ops->heading(r, 2, s ? s : "Evidence item", 0);
			free(s);
			if (n == 0)
				FIELD(r, "Acquisition", "none recorded",
				      F_ALERT);
			json_array_foreach(jarr(e, "acquisitions"), k, a)
				acquisition_summary(r, a, n > 1);
			verification_lines(r, e);
			custody_lines(r, e);
		}
		k = json_array_size(jarr(c, "unfiled_acquisitions"));
		if (k > 0) {
			snprintf(b, sizeof(b), "%zu", k);
			FIELD(r, "Acquisitions not filed under an item", b,
			      F_ALERT);
		}
	}
	k = json_array_size(jarr(r->doc, "unfiled_acquisitions"));
	if (k > 0) {
		snprintf(b, sizeof(b), "%zu", k);
		FIELD(r, "Acquisitions not filed under any case", b, F_ALERT);
	}
}

void fg_report_attestation(struct fg_report *r)
{
	static const char *const lines[] = {"Name", "Role", "Signature",
					    "Date", "Place"};
	char *s;

	r->ops->heading(r, 1, "Attestation", 0);
	s = fg_strdup_printf(
		"I, the examiner named below, attest that this report (ID %s) "
		"states what the case database held when it was generated "
		"(%s), that the evidence items listed were acquired and "
		"verified as stated, and that the hashes above identify the "
		"acquired data.",
		r->report_id, r->generated);
	r->ops->note(r, s ? s : "");
	if (s == NULL)
		r->o.failed = 1;
	free(s);
	r->ops->sign_block(r, lines, 5);
}

void fg_report_times(struct fg_report *r)
{
	struct tm tm;
	time_t t;
	struct fg_hash *h = NULL;
	char hex[65];

	memset(&tm, 0, sizeof(tm));
	snprintf(r->generated_local, sizeof(r->generated_local), "%s",
		 UNKNOWN);
	if (strptime(r->generated, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL &&
	    (t = timegm(&tm)) != (time_t)-1 && localtime_r(&t, &tm) != NULL)
		strftime(r->generated_local, sizeof(r->generated_local),
			 "%Y-%m-%d %H:%M:%S %Z (UTC%z)", &tm);
	/* The id: the first hex digits of the SHA-256 of what the report is
	 * made from and when, so that the same report has the same id. */
	snprintf(r->report_id, sizeof(r->report_id), "%s", UNKNOWN);
	if (fg_hash_new(&h, FG_HASH_SHA256, NULL) == FG_OK) {
		fg_hash_update(h, r->in->export_json,
			       strlen(r->in->export_json));
		fg_hash_update(h, r->generated, strlen(r->generated));
		if (fg_hash_final(h, hex) == FG_OK)
			snprintf(r->report_id, sizeof(r->report_id),
				 "FR-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8);
	}
	fg_hash_free(h);
}
