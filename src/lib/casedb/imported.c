/*
 * imported.c - the chains a case import kept (import.c, see casedb.h,
 * "Moving a case between databases"), checked again: each chain from its
 * event 1 as stored, the head its import recorded, and each event of the
 * case against the rows it recorded, through the ids the import gave them
 * here.  The import runs it before it commits, the audit every time.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "casedb/casedb_int.h"

/* The table whose row an event of kind names by its subject, and the key
 * its details give that row's id under. */
static const struct {
	const char *kind, *table, *key;
} subject_of[] = {
	{"acquisition-started", "acquisitions", "acquisition_id"},
	{"acquisition-completed", "acquisitions", "acquisition_id"},
	{"custody", "custody", "custody_id"},
	{"verification", "verifications", "verification_id"},
	{"amended", "amendments", "amendment_id"},
};

/* The id a row has here (dir 0: from its source id) or had in the source
 * (dir 1: from its id here); 0 when it was not imported by import_id. */
int cdb_import_map_id(struct fg_casedb *db, int64_t import_id, const char *table,
		  int64_t id, int dir, int64_t *out, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc = cdb_prep(db, &st,
			  dir == 0 ? "SELECT target_id FROM imported_rows WHERE "
				     "import_id = ?1 AND tbl = ?2 AND "
				     "source_id = ?3"
				   : "SELECT source_id FROM imported_rows WHERE "
				     "import_id = ?1 AND tbl = ?2 AND "
				     "target_id = ?3",
			  err);

	*out = 0;
	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, import_id);
	cdb_bind_text(st, 2, table);
	cdb_bind_i64(st, 3, id);
	rc = cdb_step(st);
	if (rc == CDB_ROW)
		*out = cdb_col_i64(st, 0);
	rc = rc == CDB_ROW || rc == CDB_DONE
		     ? FG_OK
		     : cdb_fail(db, err, "reading the imported rows");
	cdb_fin(st);
	return rc;
}

/* Is an imported event of case_id what its rows here say, through the id
 * map?  *why set (non-empty) when not. */
static int check_details(struct fg_casedb *db, int64_t import_id,
			 struct cdb_st *ev, char *why, size_t whylen,
			 struct fg_error *err)
{
	const char *kind = cdb_col_text(ev, 2);
	int64_t subject = cdb_col_i64(ev, 6), here = 0, src;
	json_t *stored = NULL, *now = NULL, *a;
	const char *key = NULL;
	size_t i;
	int rc;

	why[0] = '\0';
	if (strcmp(kind, "case-imported") == 0)
		return FG_OK; /* the source's own import: its hash only */
	for (i = 0; i < sizeof(subject_of) / sizeof(subject_of[0]); i++)
		if (strcmp(kind, subject_of[i].kind) == 0)
			break;
	if (i < sizeof(subject_of) / sizeof(subject_of[0])) {
		key = subject_of[i].key;
		rc = cdb_import_map_id(db, import_id, subject_of[i].table, subject, 0,
			    &here, err);
		if (rc != FG_OK)
			return rc;
		if (here == 0) {
			snprintf(why, whylen,
				 "the row it recorded was not in the export");
			return FG_OK;
		}
	}
	rc = cdb_details_for(db, kind, cdb_col_text(ev, 4),
			     cdb_col_text(ev, 5), here, &now, err);
	if (rc == FG_EINVAL) {
		snprintf(why, whylen, "unknown event kind '%s'", kind);
		return FG_OK;
	}
	if (rc != FG_OK)
		return rc;
	if (now == NULL) {
		snprintf(why, whylen, "the row it recorded is not here");
		return FG_OK;
	}
	/* The ids the source gave. */
	if (key != NULL)
		json_object_set_new(now, key, json_integer(subject));
	a = json_object_get(now, "acquisition_id");
	if (strcmp(kind, "verification") == 0 && json_is_integer(a)) {
		rc = cdb_import_map_id(db, import_id, "acquisitions",
			    json_integer_value(a), 1, &src, err);
		if (rc == FG_OK && src > 0)
			json_object_set_new(now, "acquisition_id",
					    json_integer(src));
	}
	stored = json_loads(cdb_col_text(ev, 7), 0, NULL);
	if (rc == FG_OK && !json_equal(stored, now)) {
		const char *k;
		json_t *v;
		snprintf(why, whylen, "the rows it recorded differ");
		json_object_foreach(stored, k, v) {
			if (!json_equal(v, json_object_get(now, k))) {
				snprintf(why, whylen,
					 "the rows it recorded differ (%s)",
					 k);
				break;
			}
		}
	}
	json_decref(stored);
	json_decref(now);
	return rc;
}

/* Re-check import import_id of case case_id: the chain from event 1 as
 * stored, the head it recorded, the events of the case against the rows.
 * *intact 0 and problem set when not. */
int cdb_import_check(struct fg_casedb *db, int64_t import_id,
			const char *case_id, int64_t head_id,
			const char *head_sha256, int64_t *events, int *intact,
			char *problem, size_t len, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	char prev[FG_HASH_HEX_MAX], hex[FG_HASH_HEX_MAX], why[200];
	int64_t want = 1;
	int rc;

	*intact = 0;
	*events = 0;
	snprintf(prev, sizeof(prev), "%s", CDB_ZERO_SHA256);
	rc = cdb_prep(db, &st,
		      "SELECT id, utc, kind, examiner, case_id, evidence_id, "
		      "subject_id, details, prev_sha256, sha256 FROM "
		      "imported_events WHERE import_id = ? ORDER BY id",
		      err);
	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, import_id);
	cdb_walk(st);
	while ((rc = cdb_step(st)) == CDB_ROW) {
		int64_t id = cdb_col_i64(st, 0);
		const char *sprev = cdb_col_text(st, 8);
		const char *stored = cdb_col_text(st, 9);
		const char *ecase = cdb_col_text(st, 4);

		if (id != want) {
			snprintf(problem, len,
				 "event %lld is missing (the chain goes from "
				 "event %lld to %lld): deleted",
				 (long long)want, (long long)want - 1,
				 (long long)id);
			goto out;
		}
		if (sprev == NULL || strcmp(sprev, prev) != 0) {
			snprintf(problem, len,
				 "event %lld: its prev_sha256 is not the "
				 "sha256 of event %lld: the chain is broken "
				 "here",
				 (long long)id, (long long)id - 1);
			goto out;
		}
		rc = cdb_event_sha256(id, cdb_col_text(st, 1),
				      cdb_col_text(st, 2), cdb_col_text(st, 3),
				      ecase, cdb_col_text(st, 5),
				      cdb_col_i64(st, 6),
				      cdb_col_text(st, 7), sprev, hex, err);
		if (rc != FG_OK)
			goto fail;
		if (stored == NULL || strcmp(stored, hex) != 0) {
			snprintf(problem, len,
				 "event %lld (%s): its content does not match "
				 "its sha256: edited after it was written",
				 (long long)id, cdb_col_text(st, 2));
			goto out;
		}
		if (ecase != NULL && strcmp(ecase, case_id) == 0) {
			rc = check_details(db, import_id, st, why, sizeof(why),
					   err);
			if (rc != FG_OK)
				goto fail;
			if (why[0] != '\0') {
				snprintf(problem, len, "event %lld (%s): %s",
					 (long long)id, cdb_col_text(st, 2),
					 why);
				goto out;
			}
		}
		snprintf(prev, sizeof(prev), "%s", stored);
		(*events)++;
		want++;
	}
	if (rc != CDB_DONE) {
		rc = cdb_fail(db, err, "reading an imported chain");
		goto fail;
	}
	if (*events != head_id || strcmp(prev, head_sha256) != 0) {
		snprintf(problem, len,
			 "the chain ends at event %lld, not at the head the "
			 "import recorded (event %lld, sha256 %.12s...)",
			 (long long)*events, (long long)head_id, head_sha256);
		goto out;
	}
	*intact = 1;
out:
	rc = FG_OK;
fail:
	cdb_fin(st);
	return rc;
}

int fg_casedb_imports_audit(struct fg_casedb *db,
			    int (*fn)(void *ctx,
				      const struct fg_casedb_import_audit *a),
			    void *ctx, int64_t *broken, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	char problem[512];
	int rc;

	*broken = 0;
	if (db->version < 4)
		return FG_OK;
	rc = cdb_prep(db, &st,
		      "SELECT id, case_id, file, source_database, utc, "
		      "head_id, head_sha256 FROM imports ORDER BY id",
		      err);
	if (rc != FG_OK)
		return rc;
	while ((rc = cdb_step(st)) == CDB_ROW) {
		struct fg_casedb_import_audit a;
		memset(&a, 0, sizeof(a));
		problem[0] = '\0';
		a.import_id = cdb_col_i64(st, 0);
		a.case_id = cdb_col_text(st, 1);
		a.file = cdb_col_text(st, 2);
		a.source_database = cdb_col_text(st, 3);
		a.utc = cdb_col_text(st, 4);
		a.head_id = cdb_col_i64(st, 5);
		a.head_sha256 = cdb_col_text(st, 6);
		rc = cdb_import_check(db, a.import_id, a.case_id ? a.case_id : "",
				  a.head_id, a.head_sha256 ? a.head_sha256 : "",
				  &a.events, &a.intact, problem,
				  sizeof(problem), err);
		if (rc != FG_OK)
			break;
		a.problem = problem;
		if (!a.intact)
			(*broken)++;
		if (fn != NULL && (rc = fn(ctx, &a)) != 0)
			break;
	}
	if (rc == CDB_DONE)
		rc = FG_OK;
	else if (rc == CDB_ROW || rc > 0)
		rc = cdb_fail(db, err, "reading the imports");
	cdb_fin(st);
	return rc;
}

/* The first broken import's problem, for the audit. */
struct first_broken {
	char *problem;
	size_t len;
};

static int note_broken(void *ctx, const struct fg_casedb_import_audit *a)
{
	struct first_broken *f = ctx;

	if (!a->intact && f->problem[0] == '\0')
		snprintf(f->problem, f->len,
			 "imported chain %lld (case %s, from %s): %s",
			 (long long)a->import_id, a->case_id,
			 a->file ? a->file : "?", a->problem);
	return 0;
}

int cdb_imports_check_all(struct fg_casedb *db, int64_t *broken,
			  char *problem, size_t len, struct fg_error *err)
{
	struct first_broken f = {problem, len};

	problem[0] = '\0';
	return fg_casedb_imports_audit(db, note_broken, &f, broken, err);
}

int cdb_details_import(struct fg_casedb *db, int64_t id, json_t **out,
		       struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc;

	*out = NULL;
	if (db->version < 4)
		return FG_OK;
	rc = cdb_prep(db, &st,
		      "SELECT id AS import_id, case_id, file, source_database, "
		      "source_schema_version, exported_utc, root_sha256, "
		      "head_id, head_sha256, events, rows_added, merged, utc, "
		      "examiner FROM imports WHERE id = ?",
		      err);
	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, id);
	rc = cdb_step(st);
	if (rc == CDB_ROW) {
		*out = cdb_row_object(st);
		rc = *out != NULL ? FG_OK : cdb_oom(err);
	} else {
		rc = rc == CDB_DONE ? FG_OK
				       : cdb_fail(db, err, "reading imports");
	}
	cdb_fin(st);
	return rc;
}
