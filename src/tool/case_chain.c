/*
 * case_chain.c - "forage case seal|audit|export|import|import-record": the
 * event chain's seals and audit, and moving a case or a record between
 * databases (see cmd_case.c for the options and the other subcommands).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <forage/acquire.h>
#include <forage/anchor.h>
#include <forage/casedb.h>
#include <forage/record.h>

#include "tool.h"
#include "cmd_case.h"

int fg_case_seal(const struct sub *s, const struct copts *c)
{
	struct fg_casedb *db = NULL;
	struct fg_tool_seal ts;
	struct fg_error err;
	int rc;

	fg_error_clear(&err);
	if ((c->sign != NULL) != (c->cert != NULL))
		return fg_case_bad_usage(s, "%s",
					 "--sign and --cert go together");
	memset(&ts, 0, sizeof(ts));
	ts.key = c->sign;
	ts.cert = c->cert;
	ts.tsa = c->tsa;
	rc = fg_case_open_db(&db, c->db, NOFOLLOW(c), &err);
	if (rc == FG_OK)
		rc = fg_tool_seal_db(db, c->db, &ts, c->examiner, stdout, &err);
	fg_casedb_close(db);
	if (rc != FG_OK)
		return fg_case_fail(s, &err);
	return fg_tool_finish(FG_OK, NULL);
}

/* After an intact chain: the anchors, and what the audit proves. */
static int anchored(struct fg_casedb *db, const struct copts *c,
		    const struct fg_casedb_audit *a, struct fg_error *err)
{
	int64_t events = a->events;
	struct fg_anchor_audit au;
	size_t i;
	int rc;

	rc = fg_anchor_audit(db, c->anchors, c->nanchors, c->trust_cert,
			     c->tsa_cert, &au, err);
	if (rc == FG_EMISMATCH) {
		printf("%s: BROKEN: %s\n", D(c->db), D(au.problem));
		fg_anchor_audit_free(&au);
		return rc;
	}
	if (rc != FG_OK) {
		fg_anchor_audit_free(&au);
		return rc;
	}
	printf("%s: all %" PRId64 " events intact", D(c->db), events);
	if (events > 0)
		printf("; last event %" PRId64 ", sha256 %s", events,
		       a->head_sha256);
	printf("\n");
	for (i = 0; i < au.n; i++) {
		const struct fg_anchor *x = &au.a[i];
		printf("anchor: event %" PRId64 " matches the %s %s", x->event,
		       x->kind, D(x->file));
		if (x->sig > 0)
			printf(" (signed by %s%s)", D(x->signer),
			       x->signer_trusted
				   ? ", certificate trusted"
				   : "; unchanged since signed, signer "
				     "not checked: give --trust-cert");
		else if (strcmp(x->kind, "seal") == 0)
			printf(" (not signed)");
		if (x->ts > 0)
			printf("; time-stamped %s by %s%s", x->ts_time,
			       D(x->tsa),
			       x->tsa_trusted ? ", authority trusted"
					      : ", authority not checked: "
						"give --tsa-cert");
		if (x->note[0] != '\0')
			printf("; %s", D(x->note));
		printf("\n");
	}
	if (au.skipped > 0)
		printf("%zu file%s beside it anchor%s another database: not "
		       "checked\n",
		       au.skipped, au.skipped == 1 ? "" : "s",
		       au.skipped == 1 ? "s" : "");
	if (au.n == 0)
		printf("no anchors: this shows only that the log is consistent "
		       "with itself; removing its newest events, or "
		       "recomputing the chain after an edit, would not show "
		       "(forage case seal makes an anchor)\n");
	else if (au.anchored < events)
		printf("anchored up to event %" PRId64 " by %s; %" PRId64
		       " event%s since not yet anchored\n",
		       au.anchored, D(au.by->file), events - au.anchored,
		       events - au.anchored == 1 ? "" : "s");
	else
		printf("anchored up to event %" PRId64 " (the last) by %s\n",
		       au.anchored, D(au.by->file));
	fg_anchor_audit_free(&au);
	return FG_OK;
}

/* ---- export, import ---------------------------------------------------- */

/* The export into a new file. */
static int put_file(void *ctx, const char *s, size_t n, struct fg_error *err)
{
	if (fwrite(s, 1, n, (FILE *)ctx) != n)
		return fg_error_set(err, FG_EOUTPUT, errno, "cannot write: %s",
				    strerror(errno));
	return FG_OK;
}

int fg_case_export(const struct sub *s, const struct copts *c)
{
	struct fg_casedb *db = NULL;
	struct fg_error err;
	FILE *f = NULL;
	int rc, fd;

	fg_error_clear(&err);
	if (c->output == NULL || *c->output == '\0')
		return fg_case_bad_usage(s, "%s", "-o FILE is required");
	rc =
	    fg_case_open_db(&db, c->db, FG_CASEDB_READONLY | NOFOLLOW(c), &err);
	if (rc == FG_OK) {
		fd = open(c->output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			  0644);
		if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
			rc = fg_error_set(
			    &err, errno == EEXIST ? FG_EEXIST : FG_EOUTPUT,
			    errno, "%s: cannot create: %s%s", c->output,
			    strerror(errno),
			    errno == EEXIST ? " (never "
					      "overwritten)"
					    : "");
			if (fd >= 0)
				close(fd);
		}
	}
	if (rc == FG_OK)
		rc = fg_casedb_case_export(db, c->case_id, put_file, f, &err);
	if (f != NULL) {
		if (rc == FG_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0))
			rc = fg_error_set(&err, FG_EOUTPUT, errno,
					  "%s: cannot write: %s", c->output,
					  strerror(errno));
		if (fclose(f) != 0 && rc == FG_OK)
			rc = fg_error_set(&err, FG_EOUTPUT, errno,
					  "%s: cannot write: %s", c->output,
					  strerror(errno));
		if (rc != FG_OK)
			unlink(c->output); /* never half an export */
	}
	fg_casedb_close(db);
	if (rc != FG_OK)
		return fg_case_fail(s, &err);
	printf("case exported from %s to %s\n", D(c->db), D(c->output));
	return fg_tool_finish(FG_OK, NULL);
}

int fg_case_import(const struct sub *s, const struct copts *c)
{
	struct fg_casedb *db = NULL;
	struct fg_case_export_info in;
	struct fg_casedb_import_result res;
	struct fg_error err;
	int rc;

	fg_error_clear(&err);
	if (c->file == NULL)
		return fg_case_bad_usage(s, "%s",
					 "the export FILE is required");
	rc = fg_case_open_db(&db, c->db, FG_CASEDB_CREATE | NOFOLLOW(c), &err);
	if (rc == FG_OK)
		rc = fg_casedb_set_examiner(db, c->examiner);
	if (rc == FG_OK)
		rc = fg_casedb_case_import(db, c->file, &in, &res, &err);
	fg_casedb_close(db);
	if (rc != FG_OK)
		return fg_case_fail(s, &err);
	printf("case %s imported from %s into %s%s\n", D(in.case_id),
	       D(c->file), D(c->db),
	       res.merged ? " (merged: the same case was there)" : "");
	printf("source chain: %" PRId64 " events intact, head event %" PRId64
	       ", sha256 %s; kept as imported chain %" PRId64 "\n",
	       in.events, in.head_id, in.head_sha256, res.import_id);
	printf("rows added: %" PRId64 "; already there, the same: %" PRId64
	       "\n",
	       res.rows_added, res.rows_kept);
	printf("recorded as event %" PRId64 " (case-imported)\n", res.event_id);
	return fg_tool_finish(FG_OK, NULL);
}

int fg_case_import_record(const struct sub *s, const struct copts *c)
{
	struct fg_casedb *db = NULL;
	struct fg_acquire_filed f;
	struct fg_record *rec = NULL;
	struct fg_error err;
	char *named = NULL;
	const char *path = c->db;
	int rc = FG_OK;

	fg_error_clear(&err);
	if (c->file == NULL)
		return fg_case_bad_usage(
		    s, "%s", "the RECORD (OUTBASE.json) is required");
	if (path == NULL) {
		rc = fg_record_load(&rec, c->file, &err);
		if (rc == FG_OK &&
		    (path = fg_record_get_str(rec, "case_db.path")) == NULL)
			rc = fg_error_set(&err, FG_EINVAL, 0,
					  "%s: names no case database "
					  "(case_db.path); give --case-db",
					  c->file);
		if (rc == FG_OK && (path = named = strdup(path)) == NULL)
			rc = fg_error_set(&err, FG_ENOMEM, ENOMEM,
					  "out of memory");
		fg_record_free(rec);
	}
	if (rc == FG_OK)
		rc = fg_case_open_db(&db, path, 0, &err);
	if (rc == FG_OK)
		rc = fg_acquire_file_record(db, c->file, &f, &err);
	fg_casedb_close(db);
	if (rc != FG_OK) {
		free(named);
		return fg_case_fail(s, &err);
	}
	if (f.already) {
		printf("acquisition %" PRId64 " in %s is complete already: "
		       "nothing filed\n",
		       f.acquisition_id, D(path));
		free(named);
		return fg_tool_finish(FG_OK, NULL);
	}
	printf("acquisition %" PRId64 " filed from %s into %s\n",
	       f.acquisition_id, D(c->file), D(path));
	free(named);
	printf("recorded as event %" PRId64 " (acquisition-completed)\n",
	       f.completed_event);
	if (f.filed[0] != '\0')
		printf("its read-back check filed as a verification (%s)\n",
		       f.filed);
	printf("log head: event %" PRId64 ", sha256 %s\n", f.event,
	       f.event_sha256);
	if (f.not_filed[0] != '\0')
		printf("not filed: the record's --verify outcome (%s: cannot "
		       "verify); 'forage verify' records a verification\n",
		       f.not_filed);
	return fg_tool_finish(FG_OK, NULL);
}

/* The verdict on each chain imported with a case (case audit). */
static int imported_one(void *ctx, const struct fg_casedb_import_audit *a)
{
	(void)ctx;
	printf("imported chain %" PRId64 ": case %s from %s: ", a->import_id,
	       D(a->case_id), or_none(a->file));
	if (a->intact)
		printf("all %" PRId64 " events intact; head event %" PRId64
		       ", sha256 %s\n",
		       a->events, a->head_id, D(a->head_sha256));
	else
		printf("BROKEN: %s\n", D(a->problem));
	return 0;
}

static void imported_chains(struct fg_casedb *db)
{
	struct fg_error err;
	int64_t broken = 0;

	fg_error_clear(&err);
	if (fg_casedb_imports_audit(db, imported_one, NULL, &broken, &err) !=
	    FG_OK)
		printf("imported chains: cannot check: %s\n", D(err.msg));
}

int fg_case_audit(const struct sub *s, const struct copts *c)
{
	struct fg_casedb *db = NULL;
	struct fg_casedb_audit a;
	struct fg_error err;
	int rc;

	fg_error_clear(&err);
	memset(&a, 0, sizeof(a));
	rc =
	    fg_case_open_db(&db, c->db, FG_CASEDB_READONLY | NOFOLLOW(c), &err);
	if (rc == FG_OK)
		rc = fg_casedb_audit(db, &a, &err);
	if (rc == FG_OK)
		rc = anchored(db, c, &a, &err);
	if (db != NULL)
		imported_chains(db);
	fg_casedb_close(db);
	if (rc == FG_OK)
		return fg_tool_finish(FG_OK, NULL);
	if (rc == FG_EMISMATCH && a.problem[0] != '\0') {
		printf("%s: BROKEN: %s\n", D(c->db), D(a.problem));
		if (a.first_bad_id > 1)
			printf("first broken link: event %" PRId64
			       "; the events before it (1 to %" PRId64
			       ") are intact\n",
			       a.first_bad_id, a.first_bad_id - 1);
		else if (a.first_bad_id == 1)
			printf("first broken link: event 1\n");
	}
	return fg_case_fail(s, &err);
}
