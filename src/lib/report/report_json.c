/*
 * report_json.c - the report for programs: {"format":"forage-report-1",
 * "report":{...},"audit":{...},"export":<the export, unchanged>}.
 */
#include "config.h"

#include <stdlib.h>

#include "report/report_int.h"

/* ---- JSON -------------------------------------------------------------- */

static json_t *audit_json(const struct fg_report_audit *a)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "state",
			    json_string(fg_report_audit_state_name(a->state)));
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
		/* The head as an anchor (anchor.c reads NAME_event and
		 * NAME_event_sha256): only of a log found intact. */
		if (a->state == FG_REPORT_AUDIT_INTACT && a->events > 0 &&
		    a->head_sha256 != NULL && *a->head_sha256) {
			json_object_set_new(o, "head_event",
					    json_integer(a->events));
			json_object_set_new(o, "head_event_sha256",
					    json_string(a->head_sha256));
		}
		json_object_set_new(o, "anchors", json_integer((json_int_t)a->anchors));
		json_object_set_new(o, "anchored_event",
				    a->anchored > 0 ? json_integer(a->anchored)
						    : json_null());
		json_object_set_new(o, "anchored_by",
				    a->anchored_by[0] != '\0'
					    ? json_string(a->anchored_by)
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

int fg_report_render_json(struct fg_report *r)
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
	if (root != NULL && in->audit.case_db[0] != '\0')
		json_object_set_new(root, "case_db",
				    json_pack("{s:s}", "path",
					      in->audit.case_db));
	return fg_report_emit_json(r, root);
}
