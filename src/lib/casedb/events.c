/*
 * events.c - the event log of the case database (see casedb.h): the
 * canonical content of an event, appending an event to the hash chain, the
 * details each kind of event records about its rows, and the audit that
 * recomputes the chain and checks the rows against their events.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "casedb/casedb_int.h"

static int sha256_hex(const void *data, size_t len, char *hex,
		      struct fg_error *err)
{
	struct fg_hash *h = NULL;
	int rc = fg_hash_new(&h, FG_HASH_SHA256, err);

	if (rc != FG_OK)
		return rc;
	rc = fg_hash_update(h, data, len);
	if (rc == FG_OK)
		rc = fg_hash_final(h, hex);
	fg_hash_free(h);
	if (rc != FG_OK)
		return fg_error_set(err, rc, 0, "SHA-256: %s",
				    fg_status_name(rc));
	return FG_OK;
}

/* ---- Canonical content and the event log ------------------------------- */

/* One field: "name:LEN:value\n", or "name:-\n" for NULL. */
static void canon_field(FILE *f, const char *name, const char *v)
{
	if (v == NULL)
		fprintf(f, "%s:-\n", name);
	else
		fprintf(f, "%s:%zu:%s\n", name, strlen(v), v);
}

char *fg_casedb_event_canonical(int64_t id, const char *utc,
				const char *kind, const char *examiner,
				const char *case_id, const char *evidence_id,
				int64_t subject_id, const char *details,
				const char *prev_sha256, size_t *len)
{
	char idbuf[32], subbuf[32], *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	if (f == NULL)
		return NULL;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	snprintf(subbuf, sizeof(subbuf), "%lld", (long long)subject_id);
	fputs("forage-event-1\n", f);
	canon_field(f, "id", idbuf);
	canon_field(f, "utc", utc);
	canon_field(f, "kind", kind);
	canon_field(f, "examiner", examiner);
	canon_field(f, "case_id", case_id);
	canon_field(f, "evidence_id", evidence_id);
	canon_field(f, "subject_id", subject_id > 0 ? subbuf : NULL);
	canon_field(f, "details", details);
	canon_field(f, "prev_sha256", prev_sha256);
	if (ferror(f)) {
		fclose(f);
		free(p);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(p);
		return NULL;
	}
	*len = n;
	return p;
}

int cdb_event_sha256(int64_t id, const char *utc, const char *kind,
		     const char *examiner, const char *case_id,
		     const char *evidence_id, int64_t subject_id,
		     const char *details, const char *prev_sha256, char *hex,
		     struct fg_error *err)
{
	size_t clen;
	char *canon = fg_casedb_event_canonical(id, utc, kind, examiner,
						case_id, evidence_id,
						subject_id, details,
						prev_sha256, &clen);
	int rc;

	if (canon == NULL)
		return cdb_oom(err);
	rc = sha256_hex(canon, clen, hex, err);
	free(canon);
	return rc;
}

static char *json_text(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
}

/* Append an event inside the caller's transaction.  details is consumed
 * (reference stolen). */
int cdb_event_append(struct fg_casedb *db, const char *kind,
		     const char *case_id, const char *evidence_id,
		     int64_t subject_id, json_t *details, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	char prev[FG_HASH_HEX_MAX], hex[FG_HASH_HEX_MAX], utc[32];
	char *dtext = NULL;
	int64_t id = 1;
	int rc;

	if (details == NULL)
		return cdb_oom(err);
	dtext = json_text(details);
	json_decref(details);
	if (dtext == NULL)
		return cdb_oom(err);
	snprintf(prev, sizeof(prev), "%s", CDB_ZERO_SHA256);
	rc = cdb_prep(db, &st,
		      "SELECT id, sha256 FROM events ORDER BY id DESC LIMIT 1",
		      err);
	if (rc != FG_OK)
		goto out;
	rc = cdb_step(st);
	if (rc == CDB_ROW) {
		id = cdb_col_i64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s",
			 cdb_col_text(st, 1) ? cdb_col_text(st, 1) : "");
	} else if (rc != CDB_DONE) {
		rc = cdb_fail(db, err, "reading the event log");
		goto out;
	}
	cdb_fin(st);
	st = NULL;
	fg_record_utc_now(utc, sizeof(utc));
	rc = cdb_event_sha256(id, utc, kind, db->examiner, case_id,
			      evidence_id, subject_id, dtext, prev, hex, err);
	if (rc != FG_OK)
		goto out;
	rc = cdb_prep(db, &st,
		      "INSERT INTO events(id, utc, kind, examiner, case_id, "
		      "evidence_id, subject_id, details, prev_sha256, sha256) "
		      "VALUES (?,?,?,?,?,?,?,?,?,?)",
		      err);
	if (rc != FG_OK)
		goto out;
	cdb_bind_i64(st, 1, id);
	cdb_bind_text(st, 2, utc);
	cdb_bind_text(st, 3, kind);
	cdb_bind_text(st, 4, db->examiner);
	cdb_bind_text(st, 5, case_id);
	cdb_bind_text(st, 6, evidence_id);
	if (subject_id > 0)
		cdb_bind_i64(st, 7, subject_id);
	else
		cdb_bind_null(st, 7);
	cdb_bind_text(st, 8, dtext);
	cdb_bind_text(st, 9, prev);
	cdb_bind_text(st, 10, hex);
	rc = cdb_step_done(db, st, "appending to the event log", err);
	st = NULL;
	if (rc == FG_OK) {
		db->last_event = id;
		snprintf(db->last_sha256, sizeof(db->last_sha256), "%s", hex);
	}
out:
	cdb_fin(st);
	free(dtext);
	return rc;
}

/* ---- Details: what an event says about its rows -------------------------
 *
 * Each event's details are built from the rows it records, by the same
 * functions when the event is written and when the audit checks the rows
 * against it. */

/* One row of sql (bound to the text/integer keys) as an object;
 * *out NULL when there is no such row. */
static int one_row(struct fg_casedb *db, const char *sql, const char *k1,
		   const char *k2, int64_t id, json_t **out,
		   struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc;

	*out = NULL;
	rc = cdb_prep(db, &st, sql, err);
	if (rc != FG_OK)
		return rc;
	if (k1 != NULL) {
		cdb_bind_text(st, 1, k1);
		if (k2 != NULL)
			cdb_bind_text(st, 2, k2);
	} else {
		cdb_bind_i64(st, 1, id);
	}
	rc = cdb_step(st);
	if (rc == CDB_ROW) {
		*out = cdb_row_object(st);
		rc = *out != NULL ? FG_OK : cdb_oom(err);
	} else if (rc == CDB_DONE) {
		rc = FG_OK;
	} else {
		rc = cdb_fail(db, err, "reading");
	}
	cdb_fin(st);
	return rc;
}

/* Rows of sql bound to id, as an array (scalar: first column only). */
int cdb_id_rows(struct fg_casedb *db, const char *sql, int64_t id, int scalar,
		json_t **out, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc = cdb_prep(db, &st, sql, err);

	*out = NULL;
	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, id);
	return cdb_rows_array(db, st, scalar, out, err);
}

int cdb_set_sub(json_t *o, const char *key, json_t *v, struct fg_error *err)
{
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		return cdb_oom(err);
	return FG_OK;
}

/* Replace the (possibly long) text at key by {"sha256": its digest}. */
static int digest_key(json_t *o, const char *key, struct fg_error *err)
{
	json_t *v = json_object_get(o, key);
	char hex[FG_HASH_HEX_MAX];
	int rc;

	if (!json_is_string(v))
		return FG_OK;
	rc = sha256_hex(json_string_value(v), json_string_length(v), hex,
			err);
	if (rc != FG_OK)
		return rc;
	return cdb_set_sub(o, key, json_pack("{s:s}", "sha256", hex), err);
}

int cdb_details_case(struct fg_casedb *db, const char *case_id, json_t **out,
		     struct fg_error *err)
{
	return one_row(db,
		       "SELECT case_id, description, created_utc, examiner "
		       "FROM cases WHERE case_id = ?",
		       case_id, NULL, 0, out, err);
}

int cdb_details_evidence(struct fg_casedb *db, const char *case_id,
			 const char *evidence_id, json_t **out,
			 struct fg_error *err)
{
	return one_row(db,
		       "SELECT case_id, evidence_id, description, created_utc, "
		       "examiner FROM evidence WHERE case_id = ? AND "
		       "evidence_id = ?",
		       case_id, evidence_id, 0, out, err);
}

/* What does not change after the start of an acquisition. */
int cdb_details_acq_started(struct fg_casedb *db, int64_t id, json_t **out,
			    struct fg_error *err)
{
	int rc = one_row(
		db,
		"SELECT id AS acquisition_id, case_id, evidence_id, examiner, "
		"started_utc, tool_name, tool_version, host, pid, "
		"command_line, source_path, source_kind, source_size, "
		"source_total_size, source_offset, logical_sector_size, "
		"physical_sector_size, model, serial, format, parameters, "
		"no_write_block, record_start FROM acquisitions WHERE id = ?",
		NULL, NULL, id, out, err);
	if (rc == FG_OK && *out != NULL)
		rc = digest_key(*out, "record_start", err);
	return rc;
}

/* Digest of an acquisition's hash windows (they can be many; the event
 * keeps their count and the SHA-256 of "alg:idx:offset:length:hex\n"
 * lines in order). */
static int windows_digest(struct fg_casedb *db, int64_t id, json_t **out,
			  struct fg_error *err)
{
	struct cdb_st *st = NULL;
	struct fg_hash *h = NULL;
	char hex[FG_HASH_HEX_MAX];
	int64_t n = 0;
	int rc;

	*out = NULL;
	rc = fg_hash_new(&h, FG_HASH_SHA256, err);
	if (rc != FG_OK)
		return rc;
	rc = cdb_prep(db, &st,
		      "SELECT algorithm, idx, \"offset\", length, hex FROM "
		      "hash_windows WHERE acquisition_id = ? ORDER BY "
		      "algorithm, idx",
		      err);
	if (rc != FG_OK)
		goto out;
	cdb_bind_i64(st, 1, id);
	while ((rc = cdb_step(st)) == CDB_ROW) {
		char line[256];
		int len = snprintf(line, sizeof(line), "%s:%lld:%lld:%lld:%s\n",
				   cdb_col_text(st, 0),
				   (long long)cdb_col_i64(st, 1),
				   (long long)cdb_col_i64(st, 2),
				   (long long)cdb_col_i64(st, 3),
				   cdb_col_text(st, 4));
		if (len > 0 && (size_t)len < sizeof(line))
			fg_hash_update(h, line, (size_t)len);
		n++;
	}
	if (rc != CDB_DONE) {
		rc = cdb_fail(db, err, "reading hash windows");
		goto out;
	}
	fg_hash_final(h, hex);
	*out = n > 0 ? json_pack("{s:I,s:s}", "count", (json_int_t)n,
				 "sha256", hex)
		     : json_null();
	rc = *out != NULL ? FG_OK : cdb_oom(err);
out:
	cdb_fin(st);
	fg_hash_free(h);
	return rc;
}

const struct cdb_subq cdb_acq_subs[] = {
	{"outputs", "SELECT path, size, md5, sha256 FROM outputs WHERE "
		    "acquisition_id = ? ORDER BY id"},
	{"bad_ranges", "SELECT first_lba, count FROM bad_ranges WHERE "
		       "acquisition_id = ? ORDER BY first_lba, id"},
	{NULL, NULL}};

const struct cdb_subq verif_subs[] = {
	{"hashes", "SELECT file, algorithm, expected, computed, match, what, "
		   "source FROM verification_hashes WHERE verification_id = ? "
		   "ORDER BY id"},
	{"diffs", "SELECT file, \"offset\", length, what FROM "
		  "verification_diffs WHERE verification_id = ? ORDER BY id"},
	{NULL, NULL}};

/* The same from a database of schema version 1 opened read-only (not
 * migrated): it has no what and source, they read as not known. */
const struct cdb_subq verif_subs_v1[] = {
	{"hashes", "SELECT file, algorithm, expected, computed, match, NULL "
		   "AS what, NULL AS source FROM verification_hashes WHERE "
		   "verification_id = ? ORDER BY id"},
	{"diffs", "SELECT file, \"offset\", length, what FROM "
		  "verification_diffs WHERE verification_id = ? ORDER BY id"},
	{NULL, NULL}};

const struct cdb_subq *cdb_verif_subs_of(const struct fg_casedb *db)
{
	return db->version < 2 ? verif_subs_v1 : verif_subs;
}

int cdb_add_subs(struct fg_casedb *db, json_t *o, int64_t id,
		 const struct cdb_subq *q, struct fg_error *err)
{
	json_t *v = NULL;
	int rc = FG_OK;

	for (; rc == FG_OK && q->key != NULL; q++) {
		rc = cdb_id_rows(db, q->sql, id, 0, &v, err);
		if (rc == FG_OK)
			rc = cdb_set_sub(o, q->key, v, err);
	}
	return rc;
}

/* {algorithm: hex} of an acquisition's media hashes. */
int cdb_media_hashes(struct fg_casedb *db, int64_t id, json_t **out,
		     struct fg_error *err)
{
	struct cdb_st *st = NULL;
	json_t *o = json_object();
	int rc;

	*out = NULL;
	if (o == NULL)
		return cdb_oom(err);
	rc = cdb_prep(db, &st,
		      "SELECT algorithm, hex FROM media_hashes WHERE "
		      "acquisition_id = ? ORDER BY algorithm",
		      err);
	if (rc != FG_OK) {
		json_decref(o);
		return rc;
	}
	cdb_bind_i64(st, 1, id);
	while ((rc = cdb_step(st)) == CDB_ROW)
		if (json_object_set_new(o, cdb_col_text(st, 0),
					json_string(cdb_col_text(st, 1))) != 0)
			break;
	rc = rc == CDB_DONE ? FG_OK
	     : rc == CDB_ROW ? cdb_oom(err)
				: cdb_fail(db, err, "reading media hashes");
	cdb_fin(st);
	if (rc != FG_OK)
		json_decref(o);
	else
		*out = o;
	return rc;
}

/* What an acquisition's completion records. */
int cdb_details_acq_completed(struct fg_casedb *db, int64_t id, json_t **out,
			      struct fg_error *err)
{
	json_t *o = NULL, *v = NULL;
	int rc;

	rc = one_row(db,
		     "SELECT id AS acquisition_id, status, exit_code, message, "
		     "finished_utc, duration_seconds, write_block, bytes, "
		     "sectors_filled, record_final FROM acquisitions WHERE "
		     "id = ?",
		     NULL, NULL, id, &o, err);
	if (rc != FG_OK || o == NULL)
		goto out;
	rc = digest_key(o, "record_final", err);
	if (rc == FG_OK)
		rc = cdb_media_hashes(db, id, &v, err);
	if (rc == FG_OK)
		rc = cdb_set_sub(o, "media_hashes", v, err);
	if (rc == FG_OK)
		rc = cdb_add_subs(db, o, id, cdb_acq_subs, err);
	if (rc == FG_OK)
		rc = windows_digest(db, id, &v, err);
	if (rc == FG_OK)
		rc = cdb_set_sub(o, "hash_windows", v, err);
out:
	if (rc != FG_OK) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	return rc;
}

/* happened_utc only when known: an event written before schema version 3
 * has none (casedb.h). */
int cdb_details_custody(struct fg_casedb *db, int64_t id, json_t **out,
			struct fg_error *err)
{
	int rc = one_row(db,
			 db->version < 3
				 ? "SELECT id AS custody_id, case_id, "
				   "evidence_id, utc, examiner, action, "
				   "from_party, to_party, location, reason "
				   "FROM custody WHERE id = ?"
				 : "SELECT id AS custody_id, case_id, "
				   "evidence_id, utc, examiner, action, "
				   "from_party, to_party, location, reason, "
				   "happened_utc FROM custody WHERE id = ?",
			 NULL, NULL, id, out, err);

	if (rc == FG_OK && *out != NULL &&
	    json_is_null(json_object_get(*out, "happened_utc")))
		json_object_del(*out, "happened_utc");
	return rc;
}

int cdb_details_amendment(struct fg_casedb *db, int64_t id, json_t **out,
			  struct fg_error *err)
{
	*out = NULL;
	if (db->version < 3)
		return FG_OK;
	return one_row(db,
		       "SELECT id AS amendment_id, case_id, evidence_id, "
		       "field, value, utc, examiner, reason FROM amendments "
		       "WHERE id = ?",
		       NULL, NULL, id, out, err);
}

int cdb_details_verification(struct fg_casedb *db, int64_t id, json_t **out,
			     struct fg_error *err)
{
	json_t *o = NULL;
	int rc;

	rc = one_row(db,
		     "SELECT id AS verification_id, acquisition_id, case_id, "
		     "evidence_id, examiner, started_utc, finished_utc, "
		     "target, method, result, exit_code, message, record FROM "
		     "verifications WHERE id = ?",
		     NULL, NULL, id, &o, err);
	if (rc == FG_OK && o != NULL)
		rc = digest_key(o, "record", err);
	if (rc == FG_OK && o != NULL)
		rc = cdb_add_subs(db, o, id, cdb_verif_subs_of(db), err);
	if (rc == FG_OK && o != NULL) {
		/* what and source only when known: an event written before
		 * schema version 2 listed neither (casedb.h). */
		json_t *h;
		size_t i;
		json_array_foreach(json_object_get(o, "hashes"), i, h) {
			if (json_is_null(json_object_get(h, "what")))
				json_object_del(h, "what");
			if (json_is_null(json_object_get(h, "source")))
				json_object_del(h, "source");
		}
	}
	if (rc != FG_OK) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	return rc;
}

/* The details an event of kind should have, from today's rows.  *out is
 * NULL when the rows it recorded are gone. */
int cdb_details_for(struct fg_casedb *db, const char *kind,
		    const char *case_id, const char *evidence_id,
		    int64_t subject, json_t **out, struct fg_error *err)
{
	*out = NULL;
	if (strcmp(kind, "case-created") == 0)
		return case_id ? cdb_details_case(db, case_id, out, err)
			       : FG_OK;
	if (strcmp(kind, "evidence-added") == 0)
		return case_id && evidence_id
			       ? cdb_details_evidence(db, case_id, evidence_id,
						      out, err)
			       : FG_OK;
	if (strcmp(kind, "acquisition-started") == 0)
		return cdb_details_acq_started(db, subject, out, err);
	if (strcmp(kind, "acquisition-completed") == 0)
		return cdb_details_acq_completed(db, subject, out, err);
	if (strcmp(kind, "custody") == 0)
		return cdb_details_custody(db, subject, out, err);
	if (strcmp(kind, "verification") == 0)
		return cdb_details_verification(db, subject, out, err);
	if (strcmp(kind, "amended") == 0)
		return cdb_details_amendment(db, subject, out, err);
	if (strcmp(kind, "case-imported") == 0)
		return cdb_details_import(db, subject, out, err);
	return fg_error_set(err, FG_EINVAL, 0, "unknown event kind '%s'",
			    kind);
}

/* ---- Audit ------------------------------------------------------------- */

static int audit_broken(struct fg_casedb_audit *a, struct fg_error *err,
			int64_t id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int audit_broken(struct fg_casedb_audit *a, struct fg_error *err,
			int64_t id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->problem, sizeof(a->problem), fmt, ap);
	va_end(ap);
	a->first_bad_id = id;
	return fg_error_set(err, FG_EMISMATCH, 0, "%s", a->problem);
}

/* Is the event's details what its rows say today? *same 1 if so; why
 * says what differs. */
static int audit_details(struct fg_casedb *db, struct cdb_st *ev, int *same,
			 char *why, size_t whylen, struct fg_error *err)
{
	const char *kind = cdb_col_text(ev, 2);
	json_t *stored, *now = NULL;
	int rc;

	*same = 0;
	stored = json_loads(cdb_col_text(ev, 7), 0, NULL);
	if (stored == NULL) {
		snprintf(why, whylen, "its details are not JSON");
		return FG_OK;
	}
	rc = cdb_details_for(db, kind, cdb_col_text(ev, 4), cdb_col_text(ev, 5),
			 cdb_col_i64(ev, 6), &now, err);
	if (rc == FG_EINVAL) {
		snprintf(why, whylen, "unknown event kind '%s'", kind);
		rc = FG_OK;
	} else if (rc == FG_OK && now == NULL) {
		snprintf(why, whylen,
			 "the row it recorded is no longer in the database");
	} else if (rc == FG_OK) {
		/* Report the first key that differs. */
		const char *key;
		json_t *v;
		*same = json_equal(stored, now);
		snprintf(why, whylen, "the rows it recorded were changed");
		json_object_foreach(stored, key, v) {
			if (!json_equal(v, json_object_get(now, key))) {
				snprintf(why, whylen,
					 "the rows it recorded were changed "
					 "(%s differs)",
					 key);
				break;
			}
		}
	}
	json_decref(stored);
	json_decref(now);
	return rc;
}

/* Rows that no event recorded: (sql giving one id or key per row, what);
 * from schema version 4 on, imp is added to the query: rows a case import
 * added are recorded by the imported chain's events instead.  The first
 * such row by its key (order) is named, the same on either backend. */
static const struct {
	const char *sql, *what, *after, *imp, *order;
	int64_t since; /* the schema version that has the table */
} uncovered[] = {
	{"SELECT case_id FROM cases WHERE case_id NOT IN (SELECT case_id "
	 "FROM events WHERE kind = 'case-created' AND case_id IS NOT NULL)",
	 "case ", " has no case-created event",
	 " AND case_id NOT IN (SELECT case_id FROM imported_events WHERE "
	 "kind = 'case-created' AND case_id IS NOT NULL)",
	 " ORDER BY case_id", 1},
	{"SELECT case_id || '/' || evidence_id FROM evidence v WHERE NOT "
	 "EXISTS (SELECT 1 FROM events e WHERE e.kind = 'evidence-added' AND "
	 "e.case_id = v.case_id AND e.evidence_id = v.evidence_id)",
	 "evidence item ", " has no evidence-added event",
	 " AND NOT EXISTS (SELECT 1 FROM imported_events e WHERE e.kind = "
	 "'evidence-added' AND e.case_id = v.case_id AND e.evidence_id = "
	 "v.evidence_id)",
	 " ORDER BY case_id, evidence_id", 1},
	{"SELECT id FROM acquisitions WHERE id NOT IN (SELECT subject_id "
	 "FROM events WHERE kind = 'acquisition-started')",
	 "acquisition ", " has no acquisition-started event",
	 " AND id NOT IN (SELECT r.target_id FROM imported_rows r JOIN "
	 "imported_events e ON e.import_id = r.import_id AND e.subject_id = "
	 "r.source_id AND e.kind = 'acquisition-started' WHERE r.tbl = "
	 "'acquisitions')",
	 " ORDER BY id", 1},
	{"SELECT id FROM acquisitions WHERE status <> 'running' AND id NOT "
	 "IN (SELECT subject_id FROM events WHERE kind = "
	 "'acquisition-completed')",
	 "acquisition ",
	 " is completed but has no acquisition-completed event",
	 " AND id NOT IN (SELECT r.target_id FROM imported_rows r JOIN "
	 "imported_events e ON e.import_id = r.import_id AND e.subject_id = "
	 "r.source_id AND e.kind = 'acquisition-completed' WHERE r.tbl = "
	 "'acquisitions')",
	 " ORDER BY id", 1},
	{"SELECT id FROM custody WHERE id NOT IN (SELECT subject_id FROM "
	 "events WHERE kind = 'custody')",
	 "custody row ", " has no custody event",
	 " AND id NOT IN (SELECT r.target_id FROM imported_rows r JOIN "
	 "imported_events e ON e.import_id = r.import_id AND e.subject_id = "
	 "r.source_id AND e.kind = 'custody' WHERE r.tbl = 'custody')",
	 " ORDER BY id", 1},
	{"SELECT id FROM verifications WHERE id NOT IN (SELECT subject_id "
	 "FROM events WHERE kind = 'verification')",
	 "verification ", " has no verification event",
	 " AND id NOT IN (SELECT r.target_id FROM imported_rows r JOIN "
	 "imported_events e ON e.import_id = r.import_id AND e.subject_id = "
	 "r.source_id AND e.kind = 'verification' WHERE r.tbl = "
	 "'verifications')",
	 " ORDER BY id", 1},
	{"SELECT id FROM amendments WHERE id NOT IN (SELECT subject_id "
	 "FROM events WHERE kind = 'amended')",
	 "amendment ", " has no amended event",
	 " AND id NOT IN (SELECT r.target_id FROM imported_rows r JOIN "
	 "imported_events e ON e.import_id = r.import_id AND e.subject_id = "
	 "r.source_id AND e.kind = 'amended' WHERE r.tbl = 'amendments')",
	 " ORDER BY id", 3},
};

int cdb_uncovered(struct fg_casedb *db, char *what, size_t len,
		  struct fg_error *err)
{
	struct cdb_st *st = NULL;
	size_t i;
	int rc;

	what[0] = '\0';
	for (i = 0; i < sizeof(uncovered) / sizeof(uncovered[0]); i++) {
		char *sql;
		if (db->version < uncovered[i].since)
			continue;
		sql = fg_strdup_printf("%s%s%s", uncovered[i].sql,
				       db->version >= 4 ? uncovered[i].imp
							: "",
				       uncovered[i].order);
		if (sql == NULL)
			return cdb_oom(err);
		rc = cdb_prep(db, &st, sql, err);
		free(sql);
		if (rc != FG_OK)
			return rc;
		rc = cdb_step(st);
		if (rc == CDB_ROW)
			snprintf(what, len, "%s%s%s", uncovered[i].what,
				 cdb_col_text(st, 0), uncovered[i].after);
		else if (rc != CDB_DONE)
			rc = cdb_fail(db, err, "reading");
		cdb_fin(st);
		if (rc == CDB_ROW)
			return FG_OK;
		if (rc != CDB_DONE)
			return rc;
	}
	return FG_OK;
}

static int audit_run(struct fg_casedb *db, struct fg_casedb_audit *a,
		     struct fg_error *err)
{
	struct cdb_st *st = NULL;
	char prev[FG_HASH_HEX_MAX], hex[FG_HASH_HEX_MAX], missing[256] = "";
	int64_t want = 1;
	size_t i;
	int rc;

	memset(a, 0, sizeof(*a));
	/* The guard triggers (those a later version added from that
	 * version on). */
	for (i = 0; i < 4; i++) {
		const char *const *g = i == 0	? cdb_guard_triggers
				       : i == 1 ? cdb_guard_triggers_v3
				       : i == 2 ? cdb_guard_triggers_v4
						: cdb_guard_triggers_v4_import;
		if (db->version < (i == 0 ? 1 : i == 1 ? 3 : 4))
			break;
		for (; *g != NULL; g++) {
			int64_t n = 0;
			char sql[320];
			snprintf(sql, sizeof(sql),
				 db->pg != NULL
					 ? "SELECT count(*) FROM "
					   "pg_catalog.pg_trigger t JOIN "
					   "pg_catalog.pg_class c ON c.oid = "
					   "t.tgrelid JOIN "
					   "pg_catalog.pg_namespace n ON n.oid "
					   "= c.relnamespace WHERE t.tgname = "
					   "'%s' AND t.tgenabled <> 'D' AND "
					   "n.nspname = current_schema()"
					 : "SELECT count(*) FROM sqlite_master "
					   "WHERE type = 'trigger' AND name = "
					   "'%s'",
				 *g);
			rc = cdb_pragma_int(db, sql, &n, err);
			if (rc != FG_OK)
				return rc;
			if (n == 0 &&
			    strlen(missing) + strlen(*g) + 3 < sizeof(missing)) {
				size_t k = strlen(missing);
				snprintf(missing + k, sizeof(missing) - k,
					 "%s%s", k ? ", " : "", *g);
			}
		}
	}
	/* The chain. */
	snprintf(prev, sizeof(prev), "%s", CDB_ZERO_SHA256);
	rc = cdb_prep(db, &st,
		      "SELECT id, utc, kind, examiner, case_id, evidence_id, "
		      "subject_id, details, prev_sha256, sha256 FROM events "
		      "ORDER BY id",
		      err);
	if (rc != FG_OK)
		return rc;
	cdb_walk(st);
	while ((rc = cdb_step(st)) == CDB_ROW) {
		int64_t id = cdb_col_i64(st, 0);
		const char *stored = cdb_col_text(st, 9);
		const char *sprev = cdb_col_text(st, 8);
		char why[200];
		int same;

		if (id != want) {
			rc = audit_broken(a, err, want,
					  "event %lld is missing (the log "
					  "goes from event %lld to %lld): "
					  "deleted",
					  (long long)want, (long long)want - 1,
					  (long long)id);
			goto out;
		}
		if (sprev == NULL || strcmp(sprev, prev) != 0) {
			rc = audit_broken(a, err, id,
					  "event %lld: its prev_sha256 is not "
					  "the sha256 of event %lld: the chain "
					  "is broken here",
					  (long long)id, (long long)id - 1);
			goto out;
		}
		rc = cdb_event_sha256(id, cdb_col_text(st, 1),
				      cdb_col_text(st, 2), cdb_col_text(st, 3),
				      cdb_col_text(st, 4), cdb_col_text(st, 5),
				      cdb_col_i64(st, 6),
				      cdb_col_text(st, 7), sprev, hex, err);
		if (rc != FG_OK)
			goto out;
		if (stored == NULL || strcmp(stored, hex) != 0) {
			rc = audit_broken(a, err, id,
					  "event %lld (%s): its content does "
					  "not match its sha256: edited after "
					  "it was written",
					  (long long)id, cdb_col_text(st, 2));
			goto out;
		}
		rc = audit_details(db, st, &same, why, sizeof(why), err);
		if (rc != FG_OK)
			goto out;
		if (!same) {
			rc = audit_broken(a, err, id,
					  "event %lld (%s%s%s): %s",
					  (long long)id, cdb_col_text(st, 2),
					  cdb_col_type(st, 6) ==
							  CDB_NULL
						  ? ""
						  : " of row ",
					  cdb_col_type(st, 6) ==
							  CDB_NULL
						  ? ""
						  : cdb_col_text(st, 6),
					  why);
			goto out;
		}
		snprintf(prev, sizeof(prev), "%s", stored);
		a->events++;
		want++;
	}
	if (rc != CDB_DONE) {
		rc = cdb_fail(db, err, "reading the event log");
		goto out;
	}
	cdb_fin(st);
	st = NULL;
	if (a->events > 0)
		snprintf(a->head_sha256, sizeof(a->head_sha256), "%.64s", prev);
	/* Rows no event recorded. */
	{
		char what[300];
		rc = cdb_uncovered(db, what, sizeof(what), err);
		if (rc != FG_OK)
			goto out;
		if (what[0] != '\0') {
			rc = audit_broken(a, err, 0,
					  "%s (added outside forage?)", what);
			goto out;
		}
	}
	/* The chains imported with cases. */
	if (db->version >= 4) {
		int64_t broken = 0;
		rc = cdb_imports_check_all(db, &broken, a->problem,
					   sizeof(a->problem), err);
		if (rc != FG_OK)
			goto out;
		if (broken > 0) {
			rc = fg_error_set(err, FG_EMISMATCH, 0, "%s",
					  a->problem);
			goto out;
		}
	}
	rc = FG_OK;
	if (missing[0] != '\0')
		rc = audit_broken(a, err, 0,
				  "all %lld events are intact, but the "
				  "triggers that refuse changes were "
				  "removed: %s",
				  (long long)a->events, missing);
out:
	cdb_fin(st);
	if (rc == FG_EMISMATCH && missing[0] != '\0' && a->first_bad_id != 0) {
		size_t k = strlen(a->problem);
		snprintf(a->problem + k, sizeof(a->problem) - k,
			 "; the triggers that refuse changes were removed");
		fg_error_set(err, FG_EMISMATCH, 0, "%s", a->problem);
	}
	return rc;
}

int fg_casedb_audit(struct fg_casedb *db, struct fg_casedb_audit *a,
		    struct fg_error *err)
{
	int rc;

	memset(a, 0, sizeof(*a));
	rc = cdb_read_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = audit_run(db, a, err);
	cdb_read_end(db);
	return rc;
}
