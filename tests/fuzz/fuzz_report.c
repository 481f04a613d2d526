/*
 * fuzz_report.c - the report renderer (fg_report_render, report/report.c)
 * on a case database export ("forage-case-1" JSON) in every format, as
 * `forage report` renders what a crafted database holds.  The first input
 * byte picks the audit result handed with it, the rest is the export.
 */
#include <stdlib.h>
#include <string.h>

#include <forage/report.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum fg_report_format formats[] = {
		FG_REPORT_TEXT, FG_REPORT_HTML, FG_REPORT_JSON,
		FG_REPORT_DFXML, FG_REPORT_CASE_UCO
	};
	struct fg_report_input in;
	struct fg_error err;
	size_t i, len;
	char *json, *out;

	if (size < 1)
		return 0;
	json = malloc(size);
	if (json == NULL)
		return 0;
	memcpy(json, data + 1, size - 1);
	json[size - 1] = '\0';
	memset(&in, 0, sizeof(in));
	in.export_json = json;
	in.generated_utc = "2026-01-01T00:00:00Z";
	in.audit.state = (enum fg_report_audit_state)(data[0] % 4);
	if (in.audit.state == FG_REPORT_AUDIT_BROKEN) {
		in.audit.events = 3;
		in.audit.first_bad_id = 2;
		in.audit.problem = "event 2: sha256 does not match";
	} else if (in.audit.state == FG_REPORT_AUDIT_INTACT) {
		in.audit.events = 3;
		in.audit.head_sha256 = "00112233445566778899aabbccddeeff"
				       "00112233445566778899aabbccddeeff";
	}
	in.case_id = (data[0] & 4) != 0 ? "C-1" : NULL;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		out = NULL;
		fg_error_clear(&err);
		if (fg_report_render(&in, formats[i], &out, &len, &err) ==
		    FG_OK)
			free(out);
	}
	free(json);
	return 0;
}
