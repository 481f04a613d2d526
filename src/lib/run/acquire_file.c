/*
 * acquire_file.c - `forage case import-record`: the end of an acquisition
 * filed into its case database from the final record, when the database
 * could not be written as the run ended (a server stopped, the network
 * gone).  The evidence and its record are complete on disk; the record
 * says case_db.recorded false and why (case_db.error).  Filing it later
 * completes the row the run began, exactly as the run would have.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <forage/acquire.h>
#include <forage/casedb.h>
#include <forage/record.h>
#include <forage/verify.h>

#include "base/base_int.h"

/* The row the record names, as the database has it. */
struct row {
	int found;
	char status[32], started[64], host[256], case_id[256],
		evidence_id[256], source[4096];
};

static int take_row(void *ctx, const struct fg_casedb_acquisition *a)
{
	struct row *r = ctx;

	r->found = 1;
	fg_copy_str(r->status, sizeof(r->status), a->status);
	fg_copy_str(r->started, sizeof(r->started),
		    a->started_utc != NULL ? a->started_utc : "");
	fg_copy_str(r->host, sizeof(r->host), a->host != NULL ? a->host : "");
	fg_copy_str(r->case_id, sizeof(r->case_id),
		    a->case_id != NULL ? a->case_id : "");
	fg_copy_str(r->evidence_id, sizeof(r->evidence_id),
		    a->evidence_id != NULL ? a->evidence_id : "");
	fg_copy_str(r->source, sizeof(r->source),
		    a->source_path != NULL ? a->source_path : "");
	return 0;
}

/* The record's value at key, "" when absent. */
static const char *rstr(const struct fg_record *rec, const char *key)
{
	const char *s = fg_record_get_str(rec, key);

	return s != NULL ? s : "";
}

/* The run's row and the record disagree on what (or agree: 0). */
static int differs(const struct fg_record *rec, const struct row *r,
		   const char **what, const char **have, const char **want)
{
	static const struct {
		const char *key, *name;
		size_t off;
	} f[] = {
		{"run.started_utc", "start time", offsetof(struct row, started)},
		{"run.host", "host", offsetof(struct row, host)},
		{"case.case_id", "case", offsetof(struct row, case_id)},
		{"case.evidence_id", "evidence item",
		 offsetof(struct row, evidence_id)},
		{"source.path", "source", offsetof(struct row, source)},
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const char *in_db = (const char *)r + f[i].off;
		if (strcmp(in_db, rstr(rec, f[i].key)) != 0) {
			*what = f[i].name;
			*have = in_db;
			*want = rstr(rec, f[i].key);
			return 1;
		}
	}
	return 0;
}

/* Add what-list entry name to list (", " between). */
static void note(char *list, size_t len, const char *name)
{
	size_t k = strlen(list);

	snprintf(list + k, len - k, "%s%s", k ? ", " : "", name);
}

/* The outputs of copy (1, 2: --second-output) in rec: *first and *n. */
static void copy_outputs(const struct fg_record *rec, int64_t copy,
			 size_t *first, size_t *n)
{
	size_t i, all = fg_record_array_size(rec, "outputs");
	int64_t c;

	*first = *n = 0;
	for (i = 0; i < all; i++) {
		if (fg_record_array_int(rec, "outputs", i, "copy", &c) !=
			    FG_OK ||
		    c != copy)
			continue;
		if (*n == 0)
			*first = i;
		(*n)++;
	}
}

/* Each --verify outcome of the record (verified or mismatch) as the row
 * the run would have written; "cannot verify" is not filed (the record
 * keeps the text, not the exact failure the exit code came from). */
static int file_verifications(struct fg_casedb *db, int64_t id,
			      const struct fg_record *rec,
			      struct fg_acquire_filed *f,
			      struct fg_error *err)
{
	static const char *const prefix[] = {"verification",
					     "verification_second_output"};
	size_t i, first, n;

	for (i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++) {
		char key[64];
		const char *word;
		int64_t vid = 0;
		int rc, status;

		snprintf(key, sizeof(key), "%s.status", prefix[i]);
		word = fg_record_get_str(rec, key);
		if (word == NULL)
			continue;
		status = strcmp(word, "verified") == 0	 ? FG_OK
			 : strcmp(word, "mismatch") == 0 ? FG_EMISMATCH
							 : -1;
		copy_outputs(rec, (int64_t)i + 1, &first, &n);
		if (status < 0 || n == 0) {
			note(f->not_filed, sizeof(f->not_filed), prefix[i]);
			continue;
		}
		rc = fg_verify_written_to_casedb(db, id, rec, prefix[i], first,
						 n, status, &vid, err);
		if (rc != FG_OK)
			return rc;
		note(f->filed, sizeof(f->filed), prefix[i]);
		f->event = fg_casedb_last_event(db, f->event_sha256);
	}
	return FG_OK;
}

int fg_acquire_file_record(struct fg_casedb *db, const char *path,
			   struct fg_acquire_filed *f, struct fg_error *err)
{
	struct fg_record *rec = NULL;
	struct row r;
	int64_t id = 0;
	const char *what, *have, *want;
	int rc;

	memset(f, 0, sizeof(*f));
	memset(&r, 0, sizeof(r));
	rc = fg_record_load(&rec, path, err);
	if (rc != FG_OK)
		return rc;
	if (fg_record_get_int(rec, "case_db.acquisition_id", &id) != FG_OK ||
	    id <= 0) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: names no acquisition of a case "
				  "database (no case_db.acquisition_id): "
				  "nothing to file",
				  path);
		goto out;
	}
	f->acquisition_id = id;
	rc = fg_casedb_acquisitions_each(db, NULL, NULL, id, take_row, &r,
					 err);
	if (rc != FG_OK)
		goto out;
	if (!r.found) {
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "%s: acquisition %lld is not in %s: the "
				  "record's run began in another database "
				  "(case_db.path: %s)",
				  path, (long long)id, fg_casedb_path(db),
				  rstr(rec, "case_db.path"));
		goto out;
	}
	if (differs(rec, &r, &what, &have, &want)) {
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "%s: acquisition %lld of %s is another "
				  "run's: its %s is '%s', the record's '%s'; "
				  "nothing filed",
				  path, (long long)id, fg_casedb_path(db),
				  what, have, want);
		goto out;
	}
	if (strcmp(r.status, "running") != 0) {
		f->already = 1;
		goto out;
	}
	rc = fg_casedb_acquisition_end(db, id, rec, err);
	if (rc != FG_OK)
		goto out;
	f->completed_event = fg_casedb_last_event(db, NULL);
	f->event = f->completed_event;
	fg_casedb_last_event(db, f->event_sha256);
	rc = file_verifications(db, id, rec, f, err);
out:
	fg_record_free(rec);
	return rc;
}
