/*
 * test_report.c - the court report rendered from a hand-made case database
 * export (tests/unit/report-export.json, shaped as casedb.h documents it):
 * every hash, bad range, custody event and event-log entry appears in
 * every format; unknown facts read "unknown"; stored strings cannot inject
 * markup or terminal controls; the same input gives the same bytes.  And
 * the table of formats, and the input gathered from a real case database.
 */
#include "config.h"

#include <jansson.h>

#include <forage/casedb.h>
#include <forage/report.h>

#include "unit.h"

static char *export_text;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(99);
	}
	p = malloc((size_t)n + 1);
	if (p == NULL || fread(p, 1, (size_t)n, f) != (size_t)n)
		exit(99);
	p[n] = '\0';
	fclose(f);
	return p;
}

static void input_init(struct fg_report_input *in)
{
	memset(in, 0, sizeof(*in));
	in->export_json = export_text;
	in->case_id = "2026-041";
	in->generated_utc = "2026-11-27T10:00:00Z";
	in->audit.state = FG_REPORT_AUDIT_INTACT;
	in->audit.events = 3;
	in->audit.head_sha256 =
		"e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3";
}

static char *render(const struct fg_report_input *in, enum fg_report_format f)
{
	struct fg_error err;
	char *out = NULL;
	size_t len = 0;
	int rc;

	fg_error_clear(&err);
	rc = fg_report_render(in, f, &out, &len, &err);
	CHECK_MSG(rc == FG_OK, &err);
	CHECK(out == NULL || strlen(out) == len);
	return out;
}

/* Every string of the export that is a hex digest (32, 40 or 64 hex
 * digits) must appear in out. */
static int is_digest(const char *s)
{
	size_t n = strlen(s);

	return (n == 32 || n == 40 || n == 64) &&
	       strspn(s, "0123456789abcdef") == n;
}

/* shorten: the digests of the event log, which text and HTML show by
 * their first 8 hex digits (the JSON export has them whole). */
static void all_digests_in(json_t *v, const char *out, const char *fmt,
			   int *count, int shorten)
{
	const char *key;
	json_t *e;
	size_t i;

	if (json_is_string(v) && is_digest(json_string_value(v))) {
		char want[65];

		snprintf(want, sizeof(want), "%.*s", shorten ? 8 : 64,
			 json_string_value(v));
		(*count)++;
		if (strspn(want, "0") != strlen(want) &&
		    strstr(out, want) == NULL) {
			unit_failures++;
			fprintf(stderr, "FAILED: %s: digest %s missing\n", fmt,
				want);
		}
		unit_checks++;
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, e)
			all_digests_in(e, out, fmt, count,
				       shorten || (strcmp(key, "events") == 0 &&
						   (strcmp(fmt, "text") == 0 ||
						    strcmp(fmt, "html") == 0)));
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			all_digests_in(e, out, fmt, count, shorten);
	}
}

static const char *const fmts[] = {"text", "html", "json", "dfxml",
				   "case-uco"};

static void test_everything_in_every_format(void)
{
	struct fg_report_input in;
	json_t *doc = json_loads(export_text, 0, NULL);
	int f;

	CHECK(doc != NULL);
	input_init(&in);
	for (f = 0; f < 5; f++) {
		char *out = render(&in, (enum fg_report_format)f);
		int n = 0;

		if (out == NULL)
			continue;
		all_digests_in(doc, out, fmts[f], &n, 0);
		/* HD1: 2 media, 2 windows, 2 file, 4 verification; HD2: 3
		 * media, 4 file; events: 3 + 3 */
		CHECK(n == 23);
		/* bad ranges: first LBA and count */
		CHECK(strstr(out, "2049") != NULL);
		CHECK(strstr(out, "3100") != NULL);
		/* custody events */
		CHECK(strstr(out, "PC Dunn") != NULL);
		CHECK(strstr(out, "seized under warrant 77/26") != NULL);
		CHECK(strstr(out, "Locker 12") != NULL);
		CHECK(strstr(out, "2026-11-26T17:00:00Z") != NULL);
		CHECK(strstr(out, "Evidence store") != NULL);
		/* device identity, examiner, tool, host */
		CHECK(strstr(out, "Z3T7QX9A") != NULL);
		CHECK(strstr(out, "WDC WD800JD") != NULL);
		CHECK(strstr(out, "Kim Lee") != NULL);
		CHECK(strstr(out, "lab-ws-07") != NULL);
		CHECK(strstr(out, "0.1.0") != NULL);
		/* never a raw terminal control from stored data */
		CHECK(strchr(out, '\x1b') == NULL);
		if (f == FG_REPORT_HTML || f == FG_REPORT_DFXML)
			CHECK(strstr(out, "<script>") == NULL);
		if (unit_failures)
			fprintf(stderr, "--- %s output ---\n%s\n", fmts[f],
				out);
		free(out);
	}
	json_decref(doc);
}

/* The word after label (spaces skipped), for "Label: value" lines. */
static int value_after(const char *out, const char *label, int nth,
		       const char *want)
{
	const char *p = out;
	int i;

	for (i = 0; i <= nth; i++) {
		p = strstr(p, label);
		if (p == NULL)
			return 0;
		p += strlen(label);
	}
	while (*p == ' ')
		p++;
	return strncmp(p, want, strlen(want)) == 0;
}

static void test_text(void)
{
	struct fg_report_input in;
	char *out;

	input_init(&in);
	out = render(&in, FG_REPORT_TEXT);
	if (out == NULL)
		return;
	CHECK(strncmp(out, "Evidence report: case 2026-041\n", 31) == 0);
	/* HD1's serial is known, HD2's is not. */
	CHECK(value_after(out, "Device serial:", 0, "Z3T7QX9A"));
	CHECK(value_after(out, "Device serial:", 1, "unknown\n"));
	/* HPA recorded for HD1, nothing for HD2; DCO for neither */
	CHECK(value_after(out, "HPA:", 0, "none.\n"));
	CHECK(value_after(out, "HPA:", 1, "unknown\n"));
	CHECK(value_after(out, "DCO:", 0, "unknown\n"));
	/* the drive's health: HD1 changed during the acquisition; HD2 has
	 * no health recorded (an older record) and says nothing */
	CHECK(value_after(out, "Drive health (SMART):", 0,
			  "read before and after; 1 value changed during the "
			  "acquisition (below).\n"));
	CHECK(value_after(out, "Health change:", 0,
			  "Reallocated sector count grew from 0 to 8 during "
			  "acquisition\n"));
	CHECK(strstr(strstr(out, "Health change:") + 1, "Health change:") ==
	      NULL);
	/* a write-block state of a shape the words do not know: as stored */
	CHECK(value_after(out, "Write block:", 0,
			  "as recorded: {\"kernel_ro_after\":true"));
	CHECK(value_after(out, "Write block:", 1, "not disabled"));
	/* settings with their labels; the defaults in the appendix */
	CHECK(value_after(out, "Retries:", 0,
			  "3 extra reads of a failing sector (default)\n"));
	CHECK(value_after(out, "Retries:", 1,
			  "8 extra reads of a failing sector\n"));
	CHECK(strstr(out, "Appendix: settings left at their defaults") != NULL);
	/* the appendix holds only defaults: their values unmarked there */
	CHECK(value_after(out, "Read size:", 0, "1 MiB\n"));
	CHECK(strstr(strstr(out, "Appendix: settings left") ?: "",
		     "(default)") == NULL);
	CHECK(value_after(out, "Physical sector size:", 0, "4096\n"));
	CHECK(strstr(out, "ST500DM002 <script>alert(1)</script>\\x1b[31m") !=
	      NULL);
	CHECK(value_after(out, "Event-log audit:", 0,
			  "intact: 3 event(s) recomputed"));
	CHECK(strstr(out, "Unreadable sectors:") != NULL);
	/* the summary first, then the details */
	CHECK(value_after(out, "Unreadable sectors:", 0, "none\n"));
	CHECK(value_after(out, "Unreadable sectors:", 2, "none recorded"));
	CHECK(strstr(out, "Summary\n=======\n") != NULL &&
	      strstr(out, "Summary\n") < strstr(out, "Details: case"));
	CHECK(strstr(out, "Report ID:") != NULL);
	CHECK(strstr(out, "Page ") == NULL); /* pages are HTML's and PDF's */
	CHECK(strstr(out, "Attestation\n") != NULL);
	CHECK(strstr(out, "  [") != NULL); /* the sector map of HD2 */
	CHECK(value_after(out, "First LBA:", 0, "2049\n"));
	CHECK(value_after(out, "Last LBA:", 1, "3107\n"));
	CHECK(value_after(out, "Byte offset:", 1, "1587200\n"));
	CHECK(value_after(out, "Generated (UTC):", 0,
			  "2026-11-27T10:00:00Z\n"));
	free(out);
}

static void test_html(void)
{
	struct fg_report_input in;
	char *out;

	input_init(&in);
	out = render(&in, FG_REPORT_HTML);
	if (out == NULL)
		return;
	CHECK(strncmp(out, "<!DOCTYPE html>", 15) == 0);
	CHECK(strstr(out, "@media print") != NULL);
	CHECK(strstr(out, "page-break-before:always") != NULL);
	CHECK(strstr(out, "word-break:break-all") != NULL);
	/* self-contained: nothing fetched from elsewhere */
	CHECK(strstr(out, "<link") == NULL);
	CHECK(strstr(out, "<script") == NULL);
	CHECK(strstr(out, "src=") == NULL);
	CHECK(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(out, "Fraud at &lt;Acme &amp; Sons&gt;") != NULL);
	CHECK(strstr(out, "<section class=\"item\">") != NULL);
	CHECK(strstr(out, "</html>\n") != NULL);
	/* every printed page: case, report id, Page X of Y, both times */
	CHECK(strstr(out, "@top-left{content:\"Case 2026-041\"") != NULL);
	CHECK(strstr(out, "@top-right{content:\"Report FR-") != NULL);
	CHECK(strstr(out, "\"Page \" counter(page) \" of \" counter(pages)") !=
	      NULL);
	CHECK(strstr(out, "Generated 2026-11-27T10:00:00Z (local ") != NULL);
	/* the sector map of HD2 */
	CHECK(strstr(out, "<svg class=\"map\"") != NULL);
	free(out);
	/* a case id is data in the page boxes too: no way out of the CSS
	 * string or the style element */
	in.case_id = "C\"}</style><script>x";
	out = render(&in, FG_REPORT_HTML);
	if (out == NULL)
		return;
	CHECK(strstr(out, "<script") == NULL);
	CHECK(strstr(out, "</style>") != NULL &&
	      strstr(strstr(out, "</style>") + 1, "</style>") == NULL);
	CHECK(strstr(out, "Case C\\22 }\\3c /style\\3e \\3c script\\3e x\"") !=
	      NULL);
	free(out);
}

static void test_json(void)
{
	struct fg_report_input in;
	json_error_t je;
	json_t *doc, *orig;
	char *out;

	input_init(&in);
	out = render(&in, FG_REPORT_JSON);
	if (out == NULL)
		return;
	doc = json_loads(out, JSON_REJECT_DUPLICATES, &je);
	CHECK(doc != NULL);
	orig = json_loads(export_text, 0, NULL);
	CHECK_STR(json_string_value(json_object_get(doc, "format")),
		  "forage-report-1");
	CHECK(json_equal(json_object_get(doc, "export"), orig));
	CHECK_STR(json_string_value(json_object_get(
			  json_object_get(doc, "audit"), "state")),
		  "intact");
	CHECK(json_integer_value(json_object_get(
		      json_object_get(doc, "audit"), "events")) == 3);
	CHECK_STR(json_string_value(json_object_get(
			  json_object_get(doc, "report"), "generated_utc")),
		  "2026-11-27T10:00:00Z");
	json_decref(doc);
	json_decref(orig);
	free(out);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void test_dfxml(void)
{
	struct fg_report_input in;
	char *out;

	input_init(&in);
	out = render(&in, FG_REPORT_DFXML);
	if (out == NULL)
		return;
	CHECK(strstr(out, "<dfxml xmlns=\"http://www.forensicswiki.org/wiki/"
			  "Category:Digital_Forensics_XML\"") != NULL);
	CHECK(count(out, "<diskimageobject>") == 2);
	CHECK(count(out, "<fileobject>") == 3);
	CHECK(strstr(out, "<program>forage</program>") != NULL);
	CHECK(strstr(out, "<hashdigest type=\"md5\">4444444444444444444444444"
			  "4444444</hashdigest>") != NULL);
	CHECK(strstr(out, "<hashdigest type=\"sha1\">") != NULL);
	CHECK(strstr(out, "<byte_run img_offset=\"1049088\" len=\"512\" "
			  "forage:kind=\"unreadable\"") != NULL);
	/* HD2's serial is unknown: no element rather than a guess */
	CHECK(count(out, "<forage:serial>") == 1);
	CHECK(count(out, "<forage:custody ") == 2);
	CHECK(count(out, "<forage:event ") == 3);
	CHECK(strstr(out, "&lt;script&gt;") != NULL);
	free(out);
}

static void test_case_uco(void)
{
	struct fg_report_input in;
	json_t *doc, *g, *n, *ctx;
	char *out;
	size_t i;
	int actions = 0, acq = 0, persons = 0, hashes = 0;

	input_init(&in);
	out = render(&in, FG_REPORT_CASE_UCO);
	if (out == NULL)
		return;
	doc = json_loads(out, 0, NULL);
	CHECK(doc != NULL);
	ctx = json_object_get(doc, "@context");
	CHECK(json_is_string(json_object_get(ctx, "uco-core")));
	CHECK(json_is_string(json_object_get(ctx, "uco-observable")));
	CHECK(json_is_string(json_object_get(ctx, "uco-action")));
	CHECK(json_is_string(json_object_get(ctx, "uco-tool")));
	CHECK(json_is_string(json_object_get(ctx, "uco-types")));
	CHECK(json_is_string(json_object_get(ctx, "case-investigation")));
	g = json_object_get(doc, "@graph");
	CHECK(json_is_array(g));
	json_array_foreach(g, i, n) {
		const char *t = json_string_value(json_object_get(n, "@type"));
		const char *name =
			json_string_value(json_object_get(n, "uco-core:name"));

		CHECK(json_is_string(json_object_get(n, "@id")));
		if (t && strcmp(t, "case-investigation:InvestigativeAction") ==
				 0) {
			actions++;
			if (name && strcmp(name, "acquisition") == 0) {
				acq++;
				CHECK(json_object_get(n, "uco-action:performer"));
				CHECK(json_object_get(n, "uco-action:instrument"));
				CHECK(json_object_get(n, "uco-action:object"));
				CHECK(json_array_size(json_object_get(
					      n, "uco-action:result")) >= 2);
			}
		}
		if (t && strcmp(t, "uco-identity:Person") == 0)
			persons++;
	}
	hashes = (int)count(out, "\"uco-types:Hash\"");
	CHECK(acq == 2);
	CHECK(actions == 2 + 2 + 1); /* acquisitions, custody, verification */
	CHECK(persons == 2);         /* Jo Smith, Kim Lee: one node each */
	CHECK(hashes == 2 + 3 + 6 + 2);
	json_decref(doc);
	free(out);
}

static void test_audit_states(void)
{
	struct fg_report_input in;
	char *out;
	int f;

	input_init(&in);
	in.audit.state = FG_REPORT_AUDIT_BROKEN;
	in.audit.first_bad_id = 2;
	in.audit.problem = "event 2: sha256 does not match its content";
	for (f = 0; f < 5; f++) {
		out = render(&in, (enum fg_report_format)f);
		if (out == NULL)
			continue;
		CHECK(strstr(out, "event 2: sha256 does not match its content") !=
		      NULL);
		if (f != FG_REPORT_JSON)
			CHECK(strstr(out, "BROKEN: first broken link at event 2") !=
			      NULL);
		free(out);
	}
	in.audit.state = FG_REPORT_AUDIT_NOT_RUN;
	out = render(&in, FG_REPORT_TEXT);
	CHECK(out && value_after(out, "Event-log audit:", 0, "unknown"));
	free(out);
}

static void test_deterministic(void)
{
	struct fg_report_input in;
	int f;

	input_init(&in);
	for (f = 0; f < 5; f++) {
		char *a = render(&in, (enum fg_report_format)f);
		char *b = render(&in, (enum fg_report_format)f);

		CHECK(a && b && strcmp(a, b) == 0);
		free(a);
		free(b);
	}
}

static void test_bad_input(void)
{
	struct fg_report_input in;
	struct fg_error err;
	enum fg_report_format f;
	char *out = NULL;

	input_init(&in);
	in.export_json = "{\"format\":\"forage-case-1\",";
	CHECK(fg_report_render(&in, FG_REPORT_TEXT, &out, NULL, &err) ==
	      FG_EFORMAT);
	CHECK(out == NULL && strstr(err.msg, "line 1") != NULL);
	in.export_json = "{\"format\":\"something-else\"}";
	CHECK(fg_report_render(&in, FG_REPORT_TEXT, &out, NULL, &err) ==
	      FG_EFORMAT);
	CHECK(strstr(err.msg, "something-else") != NULL);
	in.export_json = NULL;
	CHECK(fg_report_render(&in, FG_REPORT_TEXT, &out, NULL, &err) ==
	      FG_EINVAL);
	CHECK(fg_report_format_parse("case-uco", &f, &err) == FG_OK &&
	      f == FG_REPORT_CASE_UCO);
	CHECK(fg_report_format_parse("png", &f, &err) == FG_EINVAL);
	CHECK(strstr(err.msg, "'png'") != NULL);
	CHECK_STR(fg_report_format_name(FG_REPORT_DFXML), "dfxml");
}

/* The table of formats: every name parses back to its format, and the
 * list of names is the one --help and the error message show. */
static void test_format_table(void)
{
	enum fg_report_format f, g;
	struct fg_error err;
	char buf[128], tiny[8];
	size_t n;

	fg_error_clear(&err);
	for (f = FG_REPORT_TEXT; f <= FG_REPORT_PDF; f++) {
		CHECK(fg_report_format_parse(fg_report_format_name(f), &g,
					     &err) == FG_OK &&
		      g == f);
	}
	CHECK_STR(fg_report_format_name((enum fg_report_format)99),
		  "unknown");
	n = fg_report_format_list(buf, sizeof(buf), " or ");
	CHECK_STR(buf, "text, html, json, dfxml, case-uco or pdf");
	CHECK(n == strlen(buf));
	CHECK(fg_report_format_list(tiny, sizeof(tiny), ", ") == n - 2 &&
	      strcmp(tiny, "text, h") == 0);
	CHECK(fg_report_format_parse("png", &g, &err) == FG_EINVAL);
	CHECK(strstr(err.msg,
		     "(known: text, html, json, dfxml, case-uco, pdf)") !=
	      NULL);
}

/* The input from a case database: the export with the event log in it,
 * the audit stated as intact; a case the database does not hold is the
 * export's error, and the input is left alone. */
static void test_input_from_casedb(void)
{
	struct fg_casedb *db = NULL;
	struct fg_casedb_audit a;
	struct fg_report_input in;
	struct fg_error err, aerr;
	char *ex = NULL, *out;

	fg_error_clear(&err);
	CHECK_MSG(fg_casedb_open(&db, "case.db", FG_CASEDB_CREATE, &err) ==
			  FG_OK,
		  &err);
	CHECK_MSG(fg_casedb_evidence_ensure(db, "C1", "HD1", "a stick", NULL,
					    &err) == FG_OK,
		  &err);
	CHECK_MSG(fg_report_input_from_casedb(db, "C1", NULL, &in, &ex, &a,
					      &aerr, &err) == FG_OK,
		  &err);
	CHECK(ex != NULL && in.export_json == ex);
	CHECK(in.audit.state == FG_REPORT_AUDIT_INTACT && in.audit.events > 0);
	CHECK(in.generated_utc == NULL && in.evidence_id == NULL);
	CHECK_STR(in.case_id, "C1");
	out = render(&in, FG_REPORT_TEXT);
	CHECK(out && strstr(out, "What:           case C1 opened") != NULL);
	CHECK(out && strstr(out, "Event-log audit:") != NULL &&
	      strstr(out, "intact: ") != NULL);
	free(out);
	free(ex);
	ex = NULL;
	in.case_id = "unchanged";
	CHECK(fg_report_input_from_casedb(db, "NOPE", NULL, &in, &ex, &a,
					  &aerr, &err) != FG_OK);
	CHECK(strstr(err.msg, "NOPE") != NULL);
	CHECK_STR(in.case_id, "unchanged");
	free(ex);
	fg_casedb_close(db);
}

/* An empty case: nothing to list, and the report says so instead of
 * inventing anything. */
static void test_empty_case(void)
{
	struct fg_report_input in;
	char *out;

	input_init(&in);
	in.export_json =
		"{\"format\":\"forage-case-1\",\"cases\":[{\"case_id\":\"E\","
		"\"evidence\":[{\"evidence_id\":\"X\"}]}],\"events\":[]}";
	out = render(&in, FG_REPORT_TEXT);
	CHECK(out && strstr(out, "No acquisition is recorded") != NULL);
	CHECK(out && strstr(out, "No custody event is recorded") != NULL);
	CHECK(out && value_after(out, "Description:", 0, "unknown\n"));
	CHECK(out && value_after(out, "Case database:", 0, "unknown\n"));
	free(out);
	out = render(&in, FG_REPORT_DFXML);
	CHECK(out && strstr(out, "<diskimageobject>") == NULL);
	free(out);
	out = render(&in, FG_REPORT_CASE_UCO);
	CHECK(out && strstr(out, "InvestigativeAction") == NULL);
	free(out);
}

/* Lists the export cut (FG_CASEDB_EXPORT_CAP): every format says how
 * many rows are not listed, where, and which command lists them. */
static void test_cut_lists(void)
{
	static const char *const custody =
		"7 custody entries are NOT listed here, after #1 and before "
		"#9: of the 9 in the case database this report lists the "
		"first 1 and the last 1, and no more.  forage case show "
		"--case E --evidence X lists them all.";
	static const char *const events =
		"18 events are NOT listed here, after #1 and before #20: of "
		"the 20 in the case database this report lists the first 1 "
		"and the last 1, and no more.  forage case show --case E "
		"--json lists them all.";
	struct fg_report_input in;
	const char *p1, *p2, *p3, *det;
	char *out;

	input_init(&in);
	in.case_id = "E";
	in.export_json =
		"{\"format\":\"forage-case-1\",\"cases\":[{\"case_id\":\"E\","
		"\"evidence\":[{\"evidence_id\":\"X\",\"custody\":["
		"{\"id\":1,\"action\":\"received\",\"reason\":\"first one\"},"
		"{\"id\":9,\"action\":\"stored\",\"reason\":\"last one\"}],"
		"\"custody_omitted\":{\"count\":7,\"after\":1}}]}],"
		"\"events\":[{\"id\":1,\"kind\":\"case-created\"},"
		"{\"id\":20,\"kind\":\"custody\"}],"
		"\"events_omitted\":{\"count\":18,\"after\":1}}";
	out = render(&in, FG_REPORT_TEXT);
	CHECK(out && strstr(out, "Lists cut short:") != NULL);
	CHECK(out && strstr(out, "7 custody entries of 1 evidence item(s) and "
				 "18 events of the event log are not listed") !=
			     NULL);
	CHECK(out && strstr(out, "Custody entries:          9 in the case "
				 "database; only the first 1 and the last 1 "
				 "are listed below") != NULL);
	/* Where the list is cut, between the rows it lists. */
	/* (in the details: the summary names every custody entry listed) */
	det = out ? strstr(out, "Details: case") : NULL;
	p1 = det ? strstr(det, "first one") : NULL;
	p2 = det ? strstr(det, custody) : NULL;
	p3 = det ? strstr(det, "last one") : NULL;
	CHECK(p1 != NULL && p2 != NULL && p3 != NULL && p1 < p2 && p2 < p3);
	p1 = out ? strstr(out, "What:           case-created\n") : NULL;
	p2 = out ? strstr(out, events) : NULL;
	p3 = out ? strstr(out, "What:           custody\n") : NULL;
	CHECK(p1 != NULL && p2 != NULL && p3 != NULL && p1 < p2 && p2 < p3);
	free(out);
	out = render(&in, FG_REPORT_HTML);
	CHECK(out && strstr(out, "<span class=\"alert\">7 custody entries "
				 "are NOT listed here") != NULL);
	CHECK(out && strstr(out, events) != NULL);
	free(out);
	out = render(&in, FG_REPORT_DFXML);
	CHECK(out && strstr(out, "<forage:not_listed kind=\"custody\" "
				 "evidence_id=\"X\" count=\"7\">") != NULL);
	CHECK(out && strstr(out, custody) != NULL);
	CHECK(out && strstr(out, "<forage:not_listed kind=\"event\" "
				 "count=\"18\">") != NULL);
	free(out);
	out = render(&in, FG_REPORT_CASE_UCO);
	CHECK(out && strstr(out, "custody-not-listed") != NULL);
	CHECK(out && strstr(out, custody) != NULL);
	CHECK(out && strstr(out, events) != NULL);
	free(out);
	out = render(&in, FG_REPORT_JSON);
	CHECK(out && strstr(out, "\"custody_omitted\"") != NULL);
	CHECK(out && strstr(out, "\"events_omitted\"") != NULL);
	free(out);
	/* A whole list says nothing of the kind. */
	input_init(&in);
	out = render(&in, FG_REPORT_TEXT);
	CHECK(out && strstr(out, "NOT listed") == NULL);
	CHECK(out && strstr(out, "Lists cut short") == NULL);
	free(out);
}

/* The lists of an acquisition and of a verification, cut the same way:
 * rows without an id are named by their place in the list. */
static void test_cut_sublists(void)
{
	static const char *const bad =
		"5 bad ranges are NOT listed here, after #1 and before #7: of "
		"the 7 in the case database this report lists the first 1 "
		"and the last 1, and no more.  forage case show --case E "
		"--evidence X --json lists them all.";
	static const char *const diffs =
		"3 verification differences are NOT listed here, after #1 "
		"and before #5: of the 5 in the case database this report "
		"lists the first 1 and the last 1, and no more.  forage case "
		"show --case E --evidence X --json lists them all.";
	static const enum fg_report_format cut_fmts[] = {
		FG_REPORT_TEXT, FG_REPORT_HTML, FG_REPORT_DFXML,
		FG_REPORT_CASE_UCO};
	struct fg_report_input in;
	const char *p1, *p2, *p3, *det;
	size_t i;
	char *out;

	input_init(&in);
	in.case_id = "E";
	in.export_json =
		"{\"format\":\"forage-case-1\",\"cases\":[{\"case_id\":\"E\","
		"\"evidence\":[{\"evidence_id\":\"X\",\"acquisitions\":[{"
		"\"id\":1,\"case_id\":\"E\",\"evidence_id\":\"X\","
		"\"logical_sector_size\":512,\"bad_ranges\":["
		"{\"first_lba\":123456787,\"count\":1},"
		"{\"first_lba\":876543211,\"count\":1}],"
		"\"bad_ranges_omitted\":{\"count\":5,\"after\":1}}],"
		"\"verifications\":[{\"id\":1,\"case_id\":\"E\","
		"\"evidence_id\":\"X\",\"result\":\"mismatch\",\"diffs\":["
		"{\"offset\":1,\"length\":1,\"what\":\"first diff\"},"
		"{\"offset\":9,\"length\":1,\"what\":\"last diff\"}],"
		"\"diffs_omitted\":{\"count\":3,\"after\":1}}]}]}],"
		"\"events\":[]}";
	for (i = 0; i < sizeof(cut_fmts) / sizeof(cut_fmts[0]); i++) {
		out = render(&in, cut_fmts[i]);
		CHECK(out != NULL);
		/* (text and HTML: in the details, after the summary) */
		det = out ? strstr(out, "Details: case") : NULL;
		det = det ? det : out;
		p1 = det ? strstr(det, "123456787") : NULL;
		p2 = det ? strstr(det, bad) : NULL;
		p3 = det ? strstr(det, "876543211") : NULL;
		CHECK(p1 != NULL && p2 != NULL && p3 != NULL && p1 < p2 &&
		      p2 < p3);
		p1 = out ? strstr(out, "first diff") : NULL;
		p2 = out ? strstr(out, diffs) : NULL;
		p3 = out ? strstr(out, "last diff") : NULL;
		CHECK(p1 != NULL && p2 != NULL && p3 != NULL && p1 < p2 &&
		      p2 < p3);
		if (cut_fmts[i] == FG_REPORT_TEXT)
			CHECK(out && strstr(out, "yes: 5 bad ranges and 3 "
						 "verification differences "
						 "are not listed") != NULL);
		free(out);
	}
	out = render(&in, FG_REPORT_JSON);
	CHECK(out && strstr(out, "\"bad_ranges_omitted\"") != NULL);
	CHECK(out && strstr(out, "\"diffs_omitted\"") != NULL);
	free(out);
}

/* A handover entered after it happened (custody add --at, schema version
 * 3): the summary and the timeline say when it happened and when it was
 * entered. */
static void test_custody_happened(void)
{
	struct fg_report_input in;
	const char *want = "2026-11-20T09:00:00Z (entered "
			   "2026-11-26T17:00:00Z)";
	char *out;

	input_init(&in);
	in.case_id = "E";
	in.export_json =
		"{\"format\":\"forage-case-1\",\"cases\":[{\"case_id\":\"E\","
		"\"evidence\":[{\"evidence_id\":\"X\",\"custody\":["
		"{\"id\":1,\"utc\":\"2026-11-26T17:00:00Z\","
		"\"happened_utc\":\"2026-11-20T09:00:00Z\","
		"\"action\":\"received\",\"from_party\":\"PC Dunn\","
		"\"to_party\":\"Jo Smith\"},"
		"{\"id\":2,\"utc\":\"2026-11-27T08:00:00Z\","
		"\"action\":\"stored\",\"from_party\":\"Jo Smith\","
		"\"to_party\":\"Locker 12\"}]}]}],\"events\":[]}";
	out = render(&in, FG_REPORT_TEXT);
	if (out == NULL)
		return;
	CHECK(value_after(out, "Custody:", 0, want));
	CHECK(value_after(out, "Custody:", 1,
			  "2026-11-27T08:00:00Z stored: Jo Smith to Locker 12\n"));
	CHECK(value_after(out, "When (UTC):", 0, want));
	CHECK(value_after(out, "When (UTC):", 1, "2026-11-27T08:00:00Z\n"));
	free(out);
}

/* Each examiner once, whole names compared: "o" is not "Jo", and a name
 * that is part of the first one is still named (it read a byte before
 * the list once). */
static void test_examiners(void)
{
	struct fg_report_input in;
	char *out;

	input_init(&in);
	in.case_id = "E";
	in.export_json =
		"{\"format\":\"forage-case-1\",\"cases\":[{\"case_id\":\"E\","
		"\"evidence\":[{\"evidence_id\":\"X\",\"acquisitions\":["
		"{\"id\":1,\"examiner\":\"Jo\"},{\"id\":2,\"examiner\":\"o\"},"
		"{\"id\":3,\"examiner\":\"Jo\"},"
		"{\"id\":4,\"examiner\":\"Jo Smith\"},"
		"{\"id\":5,\"examiner\":\"o\"}]}]}],\"events\":[]}";
	out = render(&in, FG_REPORT_TEXT);
	if (out == NULL)
		return;
	CHECK(value_after(out, "Examiner(s):", 0, "Jo, o, Jo Smith\n"));
	free(out);
}

int main(void)
{
	const char *src = getenv("FG_SRCDIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/tests/unit/report-export.json",
		 src ? src : ".");
	export_text = slurp(path);
	unit_run("everything in every format", test_everything_in_every_format);
	unit_run("text", test_text);
	unit_run("html", test_html);
	unit_run("json", test_json);
	unit_run("dfxml", test_dfxml);
	unit_run("case-uco", test_case_uco);
	unit_run("audit states", test_audit_states);
	unit_run("deterministic", test_deterministic);
	unit_run("bad input", test_bad_input);
	unit_run("format table", test_format_table);
	unit_run("input from a case database", test_input_from_casedb);
	unit_run("empty case", test_empty_case);
	unit_run("cut lists", test_cut_lists);
	unit_run("cut lists of acquisitions and verifications",
		 test_cut_sublists);
	unit_run("custody: when it happened, when entered",
		 test_custody_happened);
	unit_run("examiners, each once", test_examiners);
	free(export_text);
	return unit_done();
}
