/*
 * export.c - the case database as one JSON document (see casedb.h,
 * fg_casedb_export_json), read in one snapshot.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "casedb/casedb_int.h"

/* ---- Export ------------------------------------------------------------ */

/* Rows of sql bound to up to two texts (NULL binds NULL). */
static int text_rows(struct fg_casedb *db, const char *sql, const char *k1,
		     const char *k2, json_t **out, struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = cdb_prep(db, &st, sql, err);

	*out = NULL;
	if (rc != FG_OK)
		return rc;
	cdb_bind_text(st, 1, k1);
	cdb_bind_text(st, 2, k2);
	return cdb_rows_array(db, st, 0, out, err);
}

/* Acquisitions matching "WHERE <where>" (bound to k1, k2) as objects. */
/* What belongs to acquisition id, added to its object o. */
static int export_acq_rows(struct fg_casedb *db, json_t *o, int64_t id,
			   unsigned flags, const char *rtext,
			   struct fg_error *err)
{
	json_t *v = NULL;
	int rc;

	rc = cdb_media_hashes(db, id, &v, err);
	if (rc == FG_OK)
		rc = cdb_set_sub(o, "media_hashes", v, err);
	if (rc == FG_OK)
		rc = cdb_add_subs(db, o, id, cdb_acq_subs, err);
	if (rc == FG_OK && (flags & FG_CASEDB_EXPORT_WINDOWS)) {
		rc = cdb_id_rows(db,
				 "SELECT algorithm, idx, offset, length, hex "
				 "FROM hash_windows WHERE acquisition_id = ? "
				 "ORDER BY algorithm, idx",
				 id, 0, &v, err);
		if (rc == FG_OK)
			rc = cdb_set_sub(o, "hash_windows", v, err);
	} else if (rc == FG_OK) {
		rc = cdb_id_rows(db,
				 "SELECT count(*) FROM hash_windows WHERE "
				 "acquisition_id = ?",
				 id, 1, &v, err);
		if (rc == FG_OK)
			rc =
			    cdb_set_sub(o, "hash_window_count",
					json_incref(json_array_get(v, 0)), err);
		json_decref(v);
	}
	if (rc == FG_OK && (flags & FG_CASEDB_EXPORT_RECORDS) &&
	    rtext != NULL) {
		json_t *r = json_loads(rtext, 0, NULL);
		rc = cdb_set_sub(o, "record",
				 r != NULL ? r : json_string(rtext), err);
	}
	return rc;
}

static int export_acqs(struct fg_casedb *db, const char *where,
		       const char *k1, const char *k2, unsigned flags,
		       json_t **out, struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array(), *o = NULL;
	char *sql;
	int rc;

	*out = NULL;
	sql = fg_strdup_printf(
		"SELECT id, case_id, evidence_id, examiner, status, exit_code, "
		"message, started_utc, finished_utc, duration_seconds, "
		"tool_name, tool_version, host, pid, command_line, "
		"source_path, source_kind, source_size, source_total_size, "
		"source_offset, logical_sector_size, physical_sector_size, "
		"model, serial, format, parameters, write_block, "
		"no_write_block, bytes, sectors_filled, boot_id, proc_start, "
		"record_start, record_final FROM acquisitions WHERE %s "
		"ORDER BY id",
		where);
	if (sql == NULL || arr == NULL) {
		free(sql);
		json_decref(arr);
		return cdb_oom(err);
	}
	rc = cdb_prep(db, &st, sql, err);
	free(sql);
	if (rc != FG_OK) {
		json_decref(arr);
		return rc;
	}
	cdb_bind_text(st, 1, k1);
	cdb_bind_text(st, 2, k2);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int never;
		const char *state = cdb_acq_state(
		    db, cdb_col_text(st, 4), cdb_col_text(st, 12),
		    cdb_col_text(st, 30), sqlite3_column_int64(st, 13),
		    sqlite3_column_int64(st, 31), &never);
		const char *rtext = cdb_col_text(st, 33) ? cdb_col_text(st, 33)
						     : cdb_col_text(st, 32);

		o = cdb_row_object(st);
		if (o == NULL) {
			rc = cdb_oom(err);
			goto out;
		}
		json_object_del(o, "boot_id");
		json_object_del(o, "proc_start");
		json_object_del(o, "record_start");
		json_object_del(o, "record_final");
		for (const char *const *k = (const char *const[]){
			     "parameters", "write_block", NULL};
		     *k != NULL; k++) {
			json_t *t = json_object_get(o, *k);
			json_t *p = json_is_string(t)
					    ? json_loads(json_string_value(t), 0,
							 NULL)
					    : NULL;
			if (p != NULL)
				json_object_set_new(o, *k, p);
		}
		rc = cdb_set_sub(o, "state", json_string(state), err);
		if (rc == FG_OK)
			rc = cdb_set_sub(o, "never_completed",
					 json_boolean(never), err);
		if (rc == FG_OK)
			rc = export_acq_rows(db, o, id, flags, rtext, err);
		if (rc != FG_OK)
			goto out;
		if (json_array_append_new(arr, o) != 0) {
			o = NULL;
			rc = cdb_oom(err);
			goto out;
		}
		o = NULL;
	}
	rc = rc == SQLITE_DONE ? FG_OK
			       : cdb_fail(db, err, "reading the acquisitions");
out:
	sqlite3_finalize(st);
	json_decref(o);
	if (rc != FG_OK) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return FG_OK;
}

/* Verifications matching where (bound to k1, k2), with hashes and diffs. */
static int export_verifs(struct fg_casedb *db, const char *where,
			 const char *k1, const char *k2, json_t **out,
			 struct fg_error *err)
{
	json_t *arr = NULL, *e;
	char *sql;
	size_t i;
	int rc;

	sql = fg_strdup_printf(
		"SELECT id, acquisition_id, case_id, evidence_id, examiner, "
		"started_utc, finished_utc, target, method, result, "
		"exit_code, message FROM verifications WHERE %s ORDER BY id",
		where);
	if (sql == NULL)
		return cdb_oom(err);
	rc = text_rows(db, sql, k1, k2, &arr, err);
	free(sql);
	if (rc != FG_OK)
		return rc;
	json_array_foreach(arr, i, e) {
		rc = cdb_add_subs(db, e,
				  json_integer_value(json_object_get(e, "id")),
				  cdb_verif_subs_of(db), err);
		if (rc != FG_OK) {
			json_decref(arr);
			return rc;
		}
	}
	*out = arr;
	return FG_OK;
}

static int export_case(struct fg_casedb *db, json_t *c,
		       const char *evidence_id, unsigned flags,
		       struct fg_error *err)
{
	const char *case_id = json_string_value(json_object_get(c, "case_id"));
	json_t *items = NULL, *e, *v;
	size_t i;
	int rc;

	rc = text_rows(db,
		       "SELECT evidence_id, description, created_utc, "
		       "examiner FROM evidence WHERE case_id = ?1 AND (?2 IS "
		       "NULL OR evidence_id = ?2) ORDER BY created_utc, "
		       "evidence_id",
		       case_id, evidence_id, &items, err);
	if (rc != FG_OK)
		return rc;
	if (evidence_id != NULL && json_array_size(items) == 0) {
		json_decref(items);
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database %s: case '%s' has no "
				    "evidence item '%s'",
				    db->path, case_id, evidence_id);
	}
	json_array_foreach(items, i, e) {
		const char *ev =
			json_string_value(json_object_get(e, "evidence_id"));
		rc = export_acqs(db, "case_id = ?1 AND evidence_id = ?2",
				 case_id, ev, flags, &v, err);
		if (rc == FG_OK)
			rc = cdb_set_sub(e, "acquisitions", v, err);
		if (rc == FG_OK)
			rc = export_verifs(db,
					   "case_id = ?1 AND evidence_id = ?2",
					   case_id, ev, &v, err);
		if (rc == FG_OK)
			rc = cdb_set_sub(e, "verifications", v, err);
		if (rc == FG_OK)
			rc = text_rows(db,
				       "SELECT id, utc, examiner, action, "
				       "from_party, to_party, location, reason "
				       "FROM custody WHERE case_id = ?1 AND "
				       "evidence_id = ?2 ORDER BY id",
				       case_id, ev, &v, err);
		if (rc == FG_OK)
			rc = cdb_set_sub(e, "custody", v, err);
		if (rc != FG_OK) {
			json_decref(items);
			return rc;
		}
	}
	rc = cdb_set_sub(c, "evidence", items, err);
	if (rc != FG_OK || evidence_id != NULL)
		return rc;
	rc = export_acqs(db, "case_id = ?1 AND evidence_id IS NULL", case_id,
			 NULL, flags, &v, err);
	if (rc == FG_OK)
		rc = cdb_set_sub(c, "unfiled_acquisitions", v, err);
	if (rc == FG_OK)
		rc = export_verifs(db, "case_id = ?1 AND evidence_id IS NULL",
				   case_id, NULL, &v, err);
	if (rc == FG_OK)
		rc = cdb_set_sub(c, "unfiled_verifications", v, err);
	return rc;
}

static int export_run(struct fg_casedb *db, const char *case_id,
		      const char *evidence_id, unsigned flags, char **json,
		      struct fg_error *err)
{
	json_t *root = NULL, *cases = NULL, *c, *v;
	char now[32];
	size_t i;
	int rc;

	*json = NULL;
	if (evidence_id != NULL && case_id == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "an evidence item is named within a case: "
				    "give the case too");
	fg_record_utc_now(now, sizeof(now));
	root = json_pack("{s:s,s:s,s:i,s:s}", "format", "forage-case-1",
			 "database", db->path, "schema_version",
			 (int)db->version, "exported_utc", now);
	if (root == NULL)
		return cdb_oom(err);
	rc = text_rows(db,
		       "SELECT case_id, description, created_utc, examiner "
		       "FROM cases WHERE ?1 IS NULL OR case_id = ?1 ORDER BY "
		       "created_utc, case_id",
		       case_id, NULL, &cases, err);
	if (rc != FG_OK)
		goto out;
	if (case_id != NULL && json_array_size(cases) == 0) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "case database %s: no case '%s'", db->path,
				  case_id);
		json_decref(cases);
		goto out;
	}
	json_array_foreach(cases, i, c) {
		rc = export_case(db, c, evidence_id, flags, err);
		if (rc != FG_OK) {
			json_decref(cases);
			goto out;
		}
	}
	rc = cdb_set_sub(root, "cases", cases, err);
	if (rc == FG_OK && case_id == NULL) {
		rc = export_acqs(db, "case_id IS NULL AND ?1 IS NULL", NULL,
				 NULL, flags, &v, err);
		if (rc == FG_OK)
			rc = cdb_set_sub(root, "unfiled_acquisitions", v, err);
		if (rc == FG_OK)
			rc = export_verifs(db, "case_id IS NULL AND ?1 IS NULL",
					   NULL, NULL, &v, err);
		if (rc == FG_OK)
			rc = cdb_set_sub(root, "unfiled_verifications", v, err);
	}
	if (rc == FG_OK && (flags & FG_CASEDB_EXPORT_EVENTS)) {
		rc = text_rows(db,
			       "SELECT * FROM events WHERE (?1 IS NULL OR "
			       "case_id = ?1) AND (?2 IS NULL OR evidence_id "
			       "= ?2) ORDER BY id",
			       case_id, evidence_id, &v, err);
		if (rc == FG_OK)
			rc = cdb_set_sub(root, "events", v, err);
	}
	if (rc != FG_OK)
		goto out;
	*json = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (*json == NULL)
		rc = cdb_oom(err);
out:
	json_decref(root);
	return rc;
}

int fg_casedb_check_named(struct fg_casedb *db, const char *case_id,
			  const char *evidence_id, struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc, found;

	if (evidence_id != NULL && case_id == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "an evidence item is named within a case: "
				    "give the case too");
	if (case_id == NULL)
		return FG_OK;
	rc = cdb_prep(db, &st,
		      "SELECT (SELECT count(*) FROM cases WHERE case_id = ?1), "
		      "(SELECT count(*) FROM evidence WHERE case_id = ?1 AND "
		      "evidence_id = ?2)",
		      err);
	if (rc != FG_OK)
		return rc;
	cdb_bind_text(st, 1, case_id);
	cdb_bind_text(st, 2, evidence_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = cdb_fail(db, err, "reading");
		sqlite3_finalize(st);
		return rc;
	}
	found = sqlite3_column_int64(st, 0) > 0 ? 1 : 0;
	if (found && evidence_id != NULL)
		found = sqlite3_column_int64(st, 1) > 0 ? 1 : 2;
	sqlite3_finalize(st);
	if (found == 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database %s: no case '%s'", db->path,
				    case_id);
	if (found == 2)
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database %s: case '%s' has no "
				    "evidence item '%s'",
				    db->path, case_id, evidence_id);
	return FG_OK;
}

int fg_casedb_export_json(struct fg_casedb *db, const char *case_id,
			  const char *evidence_id, unsigned flags, char **json,
			  struct fg_error *err)
{
	int rc;

	*json = NULL;
	rc = cdb_read_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = export_run(db, case_id, evidence_id, flags, json, err);
	cdb_read_end(db);
	return rc;
}
