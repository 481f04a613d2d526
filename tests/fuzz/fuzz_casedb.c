/*
 * fuzz_casedb.c - the case database opener (fg_casedb_open, its schema
 * and header checks) on a database file found beside evidence, opened
 * read-only as `forage report` and `case show` open it; then the audit of
 * the event chain, every listing, the JSON export and the report in every
 * format, as `forage report` renders it.  The input is the file case.db.
 *
 * With FZ_CASEDB_WRITABLE (fuzz_casedb_rw.c) the same file is opened for
 * writing, as acquire and verify open a case database: the migrations run.
 */
#include <stdlib.h>
#include <string.h>

#include <forage/casedb.h>
#include <forage/report.h>

#include "fuzz.h"

/* Rows a listing looks at before it stops (a crafted database may hold
 * many; bounded memory and time are the reader's promise, not ours). */
#define FZ_ROWS_MAX 1000

static int fz_rows;

static int fz_case(void *ctx, const struct fg_casedb_case *c)
{
	(void)ctx;
	(void)c;
	return ++fz_rows > FZ_ROWS_MAX;
}

static int fz_evidence(void *ctx, const struct fg_casedb_evidence *e)
{
	(void)ctx;
	(void)e;
	return ++fz_rows > FZ_ROWS_MAX;
}

static int fz_output(void *ctx, const struct fg_casedb_output *o)
{
	(void)ctx;
	(void)o;
	return ++fz_rows > FZ_ROWS_MAX;
}

static int fz_bad(void *ctx, const struct fg_casedb_bad_range *b)
{
	(void)ctx;
	(void)b;
	return ++fz_rows > FZ_ROWS_MAX;
}

static int fz_window(void *ctx, const struct fg_casedb_window *w)
{
	(void)ctx;
	(void)w;
	return ++fz_rows > FZ_ROWS_MAX;
}

static int fz_acq(void *ctx, const struct fg_casedb_acquisition *a)
{
	struct fg_casedb *db = ctx;
	struct fg_error err;

	fg_error_clear(&err);
	(void)fg_casedb_outputs_each(db, a->id, fz_output, NULL, &err);
	(void)fg_casedb_bad_ranges_each(db, a->id, fz_bad, NULL, &err);
	(void)fg_casedb_hash_windows_each(db, a->id, fz_window, NULL, &err);
	return ++fz_rows > FZ_ROWS_MAX;
}

static int fz_custody(void *ctx, const struct fg_casedb_custody *c)
{
	(void)ctx;
	(void)c;
	return ++fz_rows > FZ_ROWS_MAX;
}

static int fz_vhash(void *ctx, const struct fg_casedb_verify_hash *h)
{
	(void)ctx;
	(void)h;
	return ++fz_rows > FZ_ROWS_MAX;
}

static int fz_verification(void *ctx,
			   const struct fg_casedb_verification_row *v)
{
	struct fg_casedb *db = ctx;
	struct fg_error err;

	fg_error_clear(&err);
	(void)fg_casedb_verify_hashes_each(db, v->id, fz_vhash, NULL, &err);
	return ++fz_rows > FZ_ROWS_MAX;
}

static int fz_event(void *ctx, const struct fg_casedb_event *e)
{
	(void)ctx;
	(void)e;
	return ++fz_rows > FZ_ROWS_MAX;
}

static void fz_report(const char *json, const struct fg_casedb_audit *a,
		      int arc)
{
	static const enum fg_report_format formats[] = {
		FG_REPORT_TEXT, FG_REPORT_HTML, FG_REPORT_JSON,
		FG_REPORT_DFXML, FG_REPORT_CASE_UCO
	};
	struct fg_report_input in;
	struct fg_error err;
	size_t i, len;
	char *out;

	memset(&in, 0, sizeof(in));
	in.export_json = json;
	in.generated_utc = "2026-01-01T00:00:00Z";
	in.audit.state = arc == FG_OK		? FG_REPORT_AUDIT_INTACT
			 : arc == FG_EMISMATCH	? FG_REPORT_AUDIT_BROKEN
						: FG_REPORT_AUDIT_FAILED;
	in.audit.events = a->events;
	in.audit.first_bad_id = a->first_bad_id;
	in.audit.head_sha256 = a->head_sha256;
	in.audit.problem = a->problem;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		out = NULL;
		fg_error_clear(&err);
		if (fg_report_render(&in, formats[i], &out, &len, &err) ==
		    FG_OK)
			free(out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_casedb *db = NULL;
	struct fg_casedb_audit a;
	struct fg_error err;
	char path[1024];
	char *json = NULL;
	unsigned flags = FG_CASEDB_READONLY;
	int arc;

#ifdef FZ_CASEDB_WRITABLE
	flags = 0;
#endif
	fz_write("case.db", data, size, path, sizeof(path));
	fg_error_clear(&err);
	if (fg_casedb_open(&db, path, flags, &err) != FG_OK)
		goto out;
	memset(&a, 0, sizeof(a));
	arc = fg_casedb_audit(db, &a, &err);
	fz_rows = 0;
	fg_error_clear(&err);
	(void)fg_casedb_cases_each(db, fz_case, NULL, &err);
	(void)fg_casedb_evidence_each(db, NULL, fz_evidence, NULL, &err);
	(void)fg_casedb_acquisitions_each(db, NULL, NULL, 0, fz_acq, db,
					  &err);
	(void)fg_casedb_verifications_each(db, NULL, NULL, fz_verification,
					   db, &err);
	(void)fg_casedb_events_each(db, NULL, fz_event, NULL, &err);
	fz_rows = 0;
	{
		char *case_id = NULL;
		int64_t ncases = 0;
		if (fg_casedb_only_case(db, &case_id, &ncases, &err) ==
			    FG_OK &&
		    case_id != NULL)
			(void)fg_casedb_custody_each(db, case_id, NULL,
						     fz_custody, NULL, &err);
		free(case_id);
	}
	fg_error_clear(&err);
	if (fg_casedb_export_json(db, NULL, NULL,
				  FG_CASEDB_EXPORT_WINDOWS |
					  FG_CASEDB_EXPORT_RECORDS |
					  FG_CASEDB_EXPORT_EVENTS,
				  &json, &err) == FG_OK && json != NULL)
		fz_report(json, &a, arc);
	free(json);
out:
	fg_casedb_close(db);
	fz_clean();
	return 0;
}
