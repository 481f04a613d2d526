/*
 * seal.c - sealing the case database's log from any verb: `forage case
 * seal`, and --seal of report, acquire and verify (and a profile's
 * "seal = yes").  One set of options everywhere: --sign KEY --cert CERT
 * (--key-pass-file where the verb has it), --tsa URL, default
 * $FORAGE_TSA_URL (anchor.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/anchor.h>
#include <forage/casedb.h>

#include "tool.h"

const char *fg_tool_tsa_url(const char *given)
{
	const char *url = given != NULL ? given : getenv("FORAGE_TSA_URL");

	return url != NULL && *url != '\0' ? url : NULL;
}

int fg_tool_seal_usage(const char *verb, const struct fg_tool_seal *s)
{
	if (!s->seal)
		return 0;
	if (s->key != NULL && s->cert != NULL)
		return 0;
	fg_tool_error(verb,
		      "--seal needs --sign KEY and --cert CERT: a seal is "
		      "signed with the examiner's key (an unsigned one: "
		      "forage case seal)");
	return -1;
}

int fg_tool_seal_db(struct fg_casedb *db, const char *shown,
		    const struct fg_tool_seal *s, const char *examiner,
		    FILE *out, struct fg_error *err)
{
	struct fg_key_pass kp = {s->key, s->key_pass_file};
	struct fg_seal_opts o;
	struct fg_seal_result r;
	int rc;

	memset(&o, 0, sizeof(o));
	o.examiner = examiner != NULL ? examiner : getenv("FORAGE_EXAMINER");
	o.key_path = s->key;
	o.cert_path = s->cert;
	o.tsa_url = fg_tool_tsa_url(s->tsa);
	o.tool_version = PACKAGE_VERSION;
	o.pass = s->key != NULL ? fg_tool_key_pass : NULL;
	o.pass_ctx = &kp;
	rc = fg_seal_make(db, &o, &r, err);
	if (rc != FG_OK)
		return rc;
	fprintf(out, "sealed %s at event %" PRId64 ", sha256 %s\n",
		fg_tool_shown(shown, FG_TOOL_LINE), r.event, r.sha256);
	fprintf(out, "seal: %s (also stored in the database, seal %" PRId64
		     ")\n",
		fg_tool_shown(r.path, FG_TOOL_LINE), r.stored);
	if (r.sig_path != NULL)
		fprintf(out, "signature: %s (CMS, DER, detached)\n",
			fg_tool_shown(r.sig_path, FG_TOOL_LINE));
	else
		fprintf(out, "not signed: anyone who can write the folder can "
			     "replace it; give --sign and --cert\n");
	if (r.tsr_path != NULL)
		fprintf(out, "time-stamp: %s (RFC 3161, %s)\n",
			fg_tool_shown(r.tsr_path, FG_TOOL_LINE),
			r.ts_time[0] != '\0' ? r.ts_time : "time unknown");
	fg_seal_result_free(&r);
	return FG_OK;
}

int fg_tool_seal_path(const char *path, const struct fg_tool_seal *s,
		      const char *examiner, FILE *out, struct fg_error *err)
{
	struct fg_casedb *db = NULL;
	int rc;

	rc = fg_casedb_open_stop(&db, path, 0, &fg_tool_stop, err);
	if (rc == FG_OK)
		rc = fg_tool_seal_db(db, path, s, examiner, out, err);
	fg_casedb_close(db);
	return rc;
}
