/*
 * report_casedb.c - what a report of a case database is made from: the
 * export with everything every format states, and the audit of the event
 * log as the report states it.  The one file of the report that calls the
 * case database (through casedb.h; it knows no SQL).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <forage/anchor.h>
#include <forage/casedb.h>

#include "report/report_int.h"

/* What every format states beside the cases, items, acquisitions,
 * verifications and custody: hash windows, whole records (HPA, DCO) and
 * the event log; the custody of an item, the event log and the other
 * lists that can be long (outputs, bad ranges, hash windows,
 * verifications, their hashes and diffs) cut to the first and last rows
 * when longer than FG_CASEDB_EXPORT_CAP_ROWS (each format says where and
 * how much), so that a database of a million rows in one of them does
 * not need gigabytes to report. */
static const unsigned report_export = FG_CASEDB_EXPORT_WINDOWS |
				      FG_CASEDB_EXPORT_RECORDS |
				      FG_CASEDB_EXPORT_EVENTS |
				      FG_CASEDB_EXPORT_CAP;

/* The audit result as the report states it. */
static void audit_input(struct fg_casedb *db, struct fg_casedb_audit *a,
			struct fg_report_audit *out, struct fg_error *aerr)
{
	int rc;

	memset(a, 0, sizeof(*a));
	fg_error_clear(aerr);
	{
		char *abs = fg_casedb_absolute(fg_casedb_path(db));
		fg_copy_str(out->case_db, sizeof(out->case_db),
			    abs != NULL ? abs : "");
		free(abs);
	}
	rc = fg_casedb_audit(db, a, aerr);
	out->events = a->events;
	out->first_bad_id = a->first_bad_id;
	out->head_sha256 = a->head_sha256;
	out->problem = a->problem[0] ? a->problem : NULL;
	if (rc == FG_OK) {
		struct fg_anchor_audit au;
		struct fg_error e;

		out->state = FG_REPORT_AUDIT_INTACT;
		/* Then the anchors found beside the database (seals,
		 * records), as `forage case audit` checks them. */
		fg_error_clear(&e);
		rc = fg_anchor_audit(db, NULL, 0, NULL, NULL, &au, &e);
		out->anchors = au.n;
		out->anchored = au.anchored;
		if (au.by != NULL)
			fg_copy_str(out->anchored_by, sizeof(out->anchored_by),
				    fg_path_base(au.by->file));
		if (rc == FG_EMISMATCH) {
			out->state = FG_REPORT_AUDIT_BROKEN;
			fg_copy_str(out->anchor_note,
				    sizeof(out->anchor_note), au.problem);
			out->problem = out->anchor_note;
		} else if (rc != FG_OK) {
			snprintf(out->anchor_note, sizeof(out->anchor_note),
				 "the anchors could not be checked: %.900s",
				 e.msg);
		}
		fg_anchor_audit_free(&au);
	} else if (rc == FG_EMISMATCH) {
		out->state = FG_REPORT_AUDIT_BROKEN;
	} else {
		out->state = FG_REPORT_AUDIT_FAILED;
		out->problem = aerr->msg;
	}
}

int fg_report_input_from_casedb(struct fg_casedb *db, const char *case_id,
				const char *evidence_id,
				struct fg_report_input *in,
				char **export_json,
				struct fg_casedb_audit *a,
				struct fg_error *aerr, struct fg_error *err)
{
	int rc;

	rc = fg_casedb_export_json(db, case_id, evidence_id, report_export,
				   export_json, err);
	if (rc != FG_OK)
		return rc;
	memset(in, 0, sizeof(*in));
	audit_input(db, a, &in->audit, aerr);
	in->export_json = *export_json;
	in->case_id = case_id;
	in->evidence_id = evidence_id;
	return FG_OK;
}
