/*
 * export.c - the case database as one JSON document (see casedb.h,
 * fg_casedb_export_json_put and fg_casedb_export_json), read in one
 * snapshot and written as it is read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "casedb/casedb_int.h"

/* ---- Writing as it is read --------------------------------------------- */

/* The document goes out through put() in the very bytes json_dumps() with
 * JSON_INDENT(2) | JSON_PRESERVE_ORDER gives for the whole tree: the
 * containers are opened and closed here, each row is dumped on its own
 * and its lines are indented to where it stands.  Memory holds one row at
 * a time (an acquisition: its row, media hashes and record), never a list
 * of rows, whatever the size of the database. */

#define XW_DEPTH 10 /* the document nests 8 deep */

struct xw {
	struct fg_casedb *db;
	fg_casedb_put_fn put;
	void *ctx;
	struct fg_error *err;
	unsigned flags;
	int rc;              /* the first failure: later writes do nothing */
	const char *item_case; /* the case whose items export_item writes */
	int depth;           /* containers open */
	size_t n[XW_DEPTH];  /* members written so far in each */
};

static void xw_raw(struct xw *w, const char *s, size_t n)
{
	if (w->rc == FG_OK && n > 0)
		w->rc = w->put(w->ctx, s, n, w->err);
}

/* A line feed and the indentation of depth d. */
static void xw_newline(struct xw *w, int d)
{
	static const char sp[] = "\n                    "; /* 2 * XW_DEPTH */

	xw_raw(w, sp, 1 + 2 * (size_t)(d < XW_DEPTH ? d : XW_DEPTH));
}

/* Text from json_dumps() (consumed) with its lines indented to the
 * current depth; NULL is out of memory. */
static void xw_dumped(struct xw *w, char *s)
{
	char *p, *nl;

	if (s == NULL) {
		if (w->rc == FG_OK)
			w->rc = cdb_oom(w->err);
		return;
	}
	for (p = s; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		xw_raw(w, p, (size_t)(nl - p));
		xw_newline(w, w->depth);
	}
	xw_raw(w, p, strlen(p));
	free(s);
}

/* Start a member named key (NULL: an element of an array) of the open
 * container. */
static void xw_key(struct xw *w, const char *key)
{
	json_t *k;

	if (w->depth > 0) {
		if (w->n[w->depth - 1]++ > 0)
			xw_raw(w, ",", 1);
		xw_newline(w, w->depth);
	}
	if (key == NULL || w->rc != FG_OK)
		return;
	k = json_string(key);
	xw_dumped(w, k != NULL ? json_dumps(k, JSON_ENCODE_ANY) : NULL);
	json_decref(k);
	xw_raw(w, ": ", 2);
}

/* Open an object ('{') or an array ('[') as member key. */
static void xw_open(struct xw *w, const char *key, char c)
{
	if (w->depth >= XW_DEPTH) {
		if (w->rc == FG_OK)
			w->rc = fg_error_set(w->err, FG_EINVAL, 0,
					     "case database %s: export nested "
					     "too deep",
					     w->db->path);
		return;
	}
	xw_key(w, key);
	xw_raw(w, &c, 1);
	w->n[w->depth++] = 0;
}

/* Close what xw_open opened with '}' or ']': "{}" and "[]" when empty. */
static void xw_close(struct xw *w, char c)
{
	if (w->depth == 0)
		return;
	if (w->n[--w->depth] > 0)
		xw_newline(w, w->depth);
	xw_raw(w, &c, 1);
}

/* v (consumed; NULL is out of memory) as member key. */
static void xw_value(struct xw *w, const char *key, json_t *v)
{
	xw_key(w, key);
	if (v == NULL) {
		if (w->rc == FG_OK)
			w->rc = cdb_oom(w->err);
		return;
	}
	if (w->rc == FG_OK)
		xw_dumped(w, json_dumps(v, JSON_INDENT(2) |
						   JSON_PRESERVE_ORDER |
						   JSON_ENCODE_ANY));
	json_decref(v);
}

/* Every member of o as a member of the open object. */
static void xw_members(struct xw *w, json_t *o)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
		xw_value(w, k, json_incref(v));
}

/* Prepare sql into *st, bound to up to two texts (NULL binds NULL). */
static int xw_prep(struct xw *w, struct cdb_st **st, const char *sql,
		   const char *k1, const char *k2)
{
	if (w->rc == FG_OK)
		w->rc = cdb_prep(w->db, st, sql, w->err);
	if (w->rc != FG_OK)
		return 0;
	if (cdb_param_count(*st) >= 1)
		cdb_bind_text(*st, 1, k1);
	if (cdb_param_count(*st) >= 2)
		cdb_bind_text(*st, 2, k2);
	return 1;
}

/* End a walk over st's rows: SQLite's error, if any, as what was being
 * read.  Finalizes st. */
static void xw_done(struct xw *w, struct cdb_st *st, int step,
		    const char *what)
{
	if (w->rc == FG_OK && step != CDB_DONE && step != CDB_ROW)
		w->rc = cdb_fail(w->db, w->err, what);
	cdb_fin(st);
}

/* One row of st as an object, an element of the open array. */
static void xw_row(struct xw *w, struct cdb_st *st)
{
	xw_value(w, NULL, cdb_row_object(st));
}

/* Every row of st (finalized), each written by row(), as the array member
 * key.  With FG_CASEDB_EXPORT_CAP, of more than FG_CASEDB_EXPORT_CAP_ROWS
 * rows only the first and the last half, and the member key_omitted after
 * the array.  The rows are counted by stepping over them, then listed: two
 * walks, one row in memory.  Every list of the export that can be long
 * (evidence items, acquisitions, custody, events, outputs, bad ranges,
 * hash windows, verifications, their hashes and diffs) goes through here. */
static void xw_rows_capped(struct xw *w, const char *key, struct cdb_st *st,
			   const char *what,
			   void (*row)(struct xw *, struct cdb_st *))
{
	const int64_t half = FG_CASEDB_EXPORT_CAP_ROWS / 2;
	int64_t total = 0, i;
	int step = CDB_DONE;
	char *okey;

	cdb_walk(st);
	if (w->flags & FG_CASEDB_EXPORT_CAP) {
		while (w->rc == FG_OK &&
		       (step = cdb_step(st)) == CDB_ROW)
			total++;
		if (w->rc != FG_OK || step != CDB_DONE) {
			xw_done(w, st, step, what);
			return;
		}
		cdb_reset(st);
	}
	xw_open(w, key, '[');
	for (i = 0; w->rc == FG_OK && (step = cdb_step(st)) == CDB_ROW;
	     i++)
		if (total <= 2 * half || i < half || i >= total - half)
			row(w, st);
	xw_done(w, st, step, what);
	xw_close(w, ']');
	if (total <= 2 * half || w->rc != FG_OK)
		return;
	okey = fg_strdup_printf("%s_omitted", key);
	if (okey == NULL) {
		w->rc = cdb_oom(w->err);
		return;
	}
	xw_value(w, okey,
		 json_pack("{s:I, s:I}", "count",
			   (json_int_t)(total - 2 * half), "after",
			   (json_int_t)half));
	free(okey);
}

/* The rows of sql bound to id as the array member key. */
static void xw_id_rows(struct xw *w, const char *key, const char *sql,
		       int64_t id, const char *what)
{
	struct cdb_st *st = NULL;

	if (w->rc == FG_OK)
		w->rc = cdb_prep(w->db, &st, sql, w->err);
	if (w->rc != FG_OK)
		return;
	cdb_bind_i64(st, 1, id);
	xw_rows_capped(w, key, st, what, xw_row);
}

/* ---- Export ------------------------------------------------------------ */

/* What belongs to acquisition id, members of its open object. */
static void export_acq_rows(struct xw *w, int64_t id, const char *rtext)
{
	const struct cdb_subq *q;
	json_t *v = NULL;

	if (w->rc == FG_OK)
		w->rc = cdb_media_hashes(w->db, id, &v, w->err);
	if (w->rc != FG_OK)
		return;
	xw_value(w, "media_hashes", v);
	for (q = cdb_acq_subs; q->key != NULL; q++)
		xw_id_rows(w, q->key, q->sql, id, "reading an acquisition");
	if (w->flags & FG_CASEDB_EXPORT_WINDOWS) {
		xw_id_rows(w, "hash_windows",
			   "SELECT algorithm, idx, \"offset\", length, hex FROM "
			   "hash_windows WHERE acquisition_id = ? ORDER BY "
			   "algorithm, idx",
			   id, "reading hash windows");
	} else {
		if (w->rc == FG_OK)
			w->rc = cdb_id_rows(w->db,
					    "SELECT count(*) FROM hash_windows "
					    "WHERE acquisition_id = ?",
					    id, 1, &v, w->err);
		if (w->rc != FG_OK)
			return;
		xw_value(w, "hash_window_count",
			 json_incref(json_array_get(v, 0)));
		json_decref(v);
	}
	if ((w->flags & FG_CASEDB_EXPORT_RECORDS) && rtext != NULL) {
		v = json_loads(rtext, 0, NULL);
		xw_value(w, "record", v != NULL ? v : json_string(rtext));
	}
}

/* One acquisition row of st as an object. */
static void export_acq(struct xw *w, struct cdb_st *st)
{
	int64_t id = cdb_col_i64(st, 0);
	int never;
	const char *state = cdb_acq_state(
	    w->db, cdb_col_text(st, 4), cdb_col_text(st, 12),
	    cdb_col_text(st, 30), cdb_col_i64(st, 13),
	    cdb_col_i64(st, 31), &never);
	const char *rtext = cdb_col_text(st, 33) ? cdb_col_text(st, 33)
					     : cdb_col_text(st, 32);
	json_t *o = cdb_row_object(st);

	if (o == NULL) {
		w->rc = cdb_oom(w->err);
		return;
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
				    ? json_loads(json_string_value(t), 0, NULL)
				    : NULL;
		if (p != NULL)
			json_object_set_new(o, *k, p);
	}
	if (json_object_set_new(o, "state", json_string(state)) != 0 ||
	    json_object_set_new(o, "never_completed", json_boolean(never)) !=
		    0) {
		json_decref(o);
		w->rc = cdb_oom(w->err);
		return;
	}
	xw_open(w, NULL, '{');
	xw_members(w, o);
	json_decref(o);
	export_acq_rows(w, id, rtext);
	xw_close(w, '}');
}

/* Acquisitions matching "WHERE <where>" (bound to k1, k2) as the array
 * member key. */
static void export_acqs(struct xw *w, const char *key, const char *where,
			const char *k1, const char *k2)
{
	struct cdb_st *st = NULL;
	char *sql;

	if (w->rc != FG_OK)
		return;
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
	if (sql == NULL) {
		w->rc = cdb_oom(w->err);
		return;
	}
	if (!xw_prep(w, &st, sql, k1, k2)) {
		free(sql);
		return;
	}
	free(sql);
	xw_rows_capped(w, key, st, "reading the acquisitions", export_acq);
}

/* One verification row of st, with its hashes and diffs, as an object. */
static void export_verif(struct xw *w, struct cdb_st *st)
{
	const struct cdb_subq *q;
	int64_t id = cdb_col_i64(st, 0);
	json_t *o = cdb_row_object(st);

	if (o == NULL) {
		w->rc = cdb_oom(w->err);
		return;
	}
	xw_open(w, NULL, '{');
	xw_members(w, o);
	json_decref(o);
	for (q = cdb_verif_subs_of(w->db); q->key != NULL; q++)
		xw_id_rows(w, q->key, q->sql, id, "reading a verification");
	xw_close(w, '}');
}

/* Verifications matching where (bound to k1, k2), with hashes and diffs,
 * as the array member key. */
static void export_verifs(struct xw *w, const char *key, const char *where,
			  const char *k1, const char *k2)
{
	struct cdb_st *st = NULL;
	char *sql;

	if (w->rc != FG_OK)
		return;
	sql = fg_strdup_printf(
		"SELECT id, acquisition_id, case_id, evidence_id, examiner, "
		"started_utc, finished_utc, target, method, result, "
		"exit_code, message FROM verifications WHERE %s ORDER BY id",
		where);
	if (sql == NULL) {
		w->rc = cdb_oom(w->err);
		return;
	}
	if (!xw_prep(w, &st, sql, k1, k2)) {
		free(sql);
		return;
	}
	free(sql);
	xw_rows_capped(w, key, st, "reading the verifications",
		       export_verif);
}

/* The custody of one item as the member "custody". */
static void export_custody(struct xw *w, const char *case_id,
			   const char *evidence_id)
{
	struct cdb_st *st = NULL;

	if (xw_prep(w, &st,
		    w->db->version < 3
			    ? "SELECT id, utc, examiner, action, from_party, "
			      "to_party, location, reason FROM custody WHERE "
			      "case_id = ?1 AND evidence_id = ?2 ORDER BY id"
			    : "SELECT id, utc, happened_utc, examiner, action, "
			      "from_party, to_party, location, reason FROM "
			      "custody WHERE case_id = ?1 AND evidence_id = ?2 "
			      "ORDER BY id",
		    case_id, evidence_id))
		xw_rows_capped(w, "custody", st, "reading custody",
			       xw_row);
}

/* The amendments of a case (evidence_id NULL) or an item as the member
 * "amendments" (schema version 3 on). */
static void export_amendments(struct xw *w, const char *case_id,
			      const char *evidence_id)
{
	struct cdb_st *st = NULL;

	if (w->db->version >= 3 &&
	    xw_prep(w, &st,
		    "SELECT id, utc, examiner, field, value, reason FROM "
		    "amendments WHERE case_id = ?1 AND evidence_id IS NOT "
		    "DISTINCT FROM ?2 ORDER BY id",
		    case_id, evidence_id))
		xw_rows_capped(w, "amendments", st, "reading amendments",
			       xw_row);
}

/* The current description of t and the one first recorded. */
#define CURRENT_DESC(t, item)                                                \
	CDB_CURRENT_DESC(t, item) " AS description, " t                     \
	".description AS description_recorded"

/* One evidence item of w->item_case (a row of st) with what belongs to
 * it, as an object. */
static void export_item(struct xw *w, struct cdb_st *st)
{
	const char *case_id = w->item_case, *ev;
	json_t *o = cdb_row_object(st);

	if (o == NULL) {
		w->rc = cdb_oom(w->err);
		return;
	}
	ev = json_string_value(json_object_get(o, "evidence_id"));
	xw_open(w, NULL, '{');
	xw_members(w, o);
	export_amendments(w, case_id, ev);
	export_acqs(w, "acquisitions", "case_id = ?1 AND evidence_id = ?2",
		    case_id, ev);
	export_verifs(w, "verifications",
		      "case_id = ?1 AND evidence_id = ?2", case_id, ev);
	export_custody(w, case_id, ev);
	xw_close(w, '}');
	json_decref(o);
}

/* The evidence items of case_id (only evidence_id when given). */
static void export_items(struct xw *w, const char *case_id,
			 const char *evidence_id)
{
	struct cdb_st *st = NULL;

	if (!xw_prep(w, &st,
		     w->db->version < 3
			     ? "SELECT evidence_id, description, created_utc, "
			       "examiner FROM evidence WHERE case_id = ?1 AND "
			       "(CAST(?2 AS TEXT) IS NULL OR evidence_id = ?2) "
			       "ORDER BY created_utc, evidence_id"
			     : "SELECT evidence_id, "
			       CURRENT_DESC("v", "= v.evidence_id")
			       ", created_utc, examiner FROM evidence v WHERE "
			       "case_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR "
			       "evidence_id = ?2) ORDER BY created_utc, "
			       "evidence_id",
		     case_id, evidence_id))
		return;
	w->item_case = case_id;
	xw_rows_capped(w, "evidence", st, "reading the evidence items",
		       export_item);
}

/* The cases (only case_id when given) as the member "cases". */
static void export_cases(struct xw *w, const char *case_id,
			 const char *evidence_id)
{
	struct cdb_st *st = NULL;
	int step = CDB_DONE;

	/* An item named without its case: the cases that hold it. */
	if (!xw_prep(w, &st,
		     w->db->version < 3
			     ? "SELECT case_id, description, created_utc, "
			       "examiner FROM cases WHERE (CAST(?1 AS TEXT) IS "
			       "NULL OR case_id = ?1) AND (?1 IS NOT NULL OR "
			       "CAST(?2 AS TEXT) IS NULL OR case_id IN (SELECT "
			       "case_id FROM evidence WHERE evidence_id = ?2)) "
			       "ORDER BY created_utc, case_id"
			     : "SELECT case_id, " CURRENT_DESC("c", "IS NULL")
			       ", created_utc, examiner FROM cases c WHERE "
			       "(CAST(?1 AS TEXT) IS NULL OR case_id = ?1) AND "
			       "(?1 IS NOT NULL OR CAST(?2 AS TEXT) IS NULL OR "
			       "case_id IN (SELECT case_id FROM evidence WHERE "
			       "evidence_id = ?2)) ORDER BY created_utc, case_id",
		     case_id, evidence_id))
		return;
	xw_open(w, "cases", '[');
	while (w->rc == FG_OK && (step = cdb_step(st)) == CDB_ROW) {
		json_t *o = cdb_row_object(st);
		const char *c;

		if (o == NULL) {
			w->rc = cdb_oom(w->err);
			break;
		}
		c = json_string_value(json_object_get(o, "case_id"));
		xw_open(w, NULL, '{');
		xw_members(w, o);
		export_amendments(w, c, NULL);
		export_items(w, c, evidence_id);
		if (evidence_id == NULL) {
			export_acqs(w, "unfiled_acquisitions",
				    "case_id = ?1 AND evidence_id IS NULL", c,
				    NULL);
			export_verifs(w, "unfiled_verifications",
				      "case_id = ?1 AND evidence_id IS NULL",
				      c, NULL);
		}
		xw_close(w, '}');
		json_decref(o);
	}
	xw_done(w, st, step, "reading the cases");
	xw_close(w, ']');
}

/* One stored seal's metadata (casedb.h, table seals), not its bytes: the
 * SHA-256 of its document stands for them. */
static void export_seal(struct xw *w, struct cdb_st *st)
{
	const void *doc = cdb_col_blob(st, 4);
	char sha[65];

	if (fg_sha256_hex(doc != NULL ? doc : "",
			  (size_t)cdb_col_bytes(st, 4), sha) != 0) {
		if (w->rc == FG_OK)
			w->rc = fg_error_set(w->err, FG_EINVAL, 0,
					     "case database %s: SHA-256 of a "
					     "seal failed",
					     w->db->path);
		return;
	}
	xw_value(w, NULL,
		 json_pack("{s:s?, s:s?, s:I, s:s?, s:b, s:b, s:s}", "name",
			   cdb_col_text(st, 0), "utc", cdb_col_text(st, 1),
			   "head_event",
			   (json_int_t)cdb_col_i64(st, 2),
			   "head_sha256", cdb_col_text(st, 3),
			   "has_signature", cdb_col_int(st, 5),
			   "has_timestamp", cdb_col_int(st, 6),
			   "document_sha256", sha));
}

/* The seals of the log's head stored in the database, oldest first (of
 * the whole log, whatever case or item is asked for); none before schema
 * version 4. */
static void export_seals(struct xw *w)
{
	struct cdb_st *st = NULL;

	if (w->db->version < 4) {
		xw_open(w, "seals", '[');
		xw_close(w, ']');
		return;
	}
	if (xw_prep(w, &st,
		    "SELECT name, utc, head_event, head_sha256, document, "
		    "signature IS NOT NULL, tsr IS NOT NULL FROM seals ORDER BY "
		    "id",
		    NULL, NULL))
		xw_rows_capped(w, "seals", st, "reading the seals",
			       export_seal);
}

static int export_run(struct xw *w, const char *case_id,
		      const char *evidence_id)
{
	struct cdb_st *st = NULL;
	char now[32];

	fg_record_utc_now(now, sizeof(now));
	xw_open(w, NULL, '{');
	xw_value(w, "format", json_string("forage-case-1"));
	xw_value(w, "database", json_string(w->db->path));
	xw_value(w, "schema_version", json_integer((int)w->db->version));
	xw_value(w, "exported_utc", json_string(now));
	export_cases(w, case_id, evidence_id);
	if (case_id == NULL) {
		export_acqs(w, "unfiled_acquisitions",
			    "case_id IS NULL AND CAST(?1 AS TEXT) IS NULL AND "
			    "(CAST(?2 AS TEXT) IS NULL OR evidence_id = ?2)",
			    NULL, evidence_id);
		export_verifs(w, "unfiled_verifications",
			      "case_id IS NULL AND CAST(?1 AS TEXT) IS NULL AND "
			      "(CAST(?2 AS TEXT) IS NULL OR evidence_id = ?2)",
			      NULL, evidence_id);
	}
	if ((w->flags & FG_CASEDB_EXPORT_EVENTS) &&
	    xw_prep(w, &st,
		    "SELECT * FROM events WHERE (CAST(?1 AS TEXT) IS NULL OR "
		    "case_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR "
		    "evidence_id = ?2) ORDER BY id",
		    case_id, evidence_id))
		xw_rows_capped(w, "events", st, "reading events", xw_row);
	export_seals(w);
	xw_close(w, '}');
	return w->rc;
}

int fg_casedb_check_named(struct fg_casedb *db, const char *case_id,
			  const char *evidence_id, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc, found;

	/* An item named alone is looked for in every case and among the
	 * unfiled acquisitions (case show --evidence). */
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
	if (cdb_step(st) != CDB_ROW) {
		rc = cdb_fail(db, err, "reading");
		cdb_fin(st);
		return rc;
	}
	found = cdb_col_i64(st, 0) > 0 ? 1 : 0;
	if (found && evidence_id != NULL)
		found = cdb_col_i64(st, 1) > 0 ? 1 : 2;
	cdb_fin(st);
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

/* A writer of db's rows through put(ctx), its errors into err. */
static void xw_start(struct xw *w, struct fg_casedb *db, fg_casedb_put_fn put,
		     void *ctx, struct fg_error *err)
{
	memset(w, 0, sizeof(*w));
	w->db = db;
	w->put = put;
	w->ctx = ctx;
	w->err = err;
}

int fg_casedb_export_json_put(struct fg_casedb *db, const char *case_id,
			      const char *evidence_id, unsigned flags,
			      fg_casedb_put_fn put, void *ctx,
			      struct fg_error *err)
{
	struct xw w;
	int rc;

	xw_start(&w, db, put, ctx, err);
	w.flags = flags;
	rc = cdb_read_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = fg_casedb_check_named(db, case_id, evidence_id, err);
	if (rc == FG_OK)
		rc = export_run(&w, case_id, evidence_id);
	cdb_read_end(db);
	return rc;
}

/* put() into a growing buffer. */
static int put_buf(void *ctx, const char *s, size_t n, struct fg_error *err)
{
	struct fg_buf *b = ctx;

	fg_buf_put(b, s, n);
	return b->failed ? cdb_oom(err) : FG_OK;
}

int fg_casedb_export_json(struct fg_casedb *db, const char *case_id,
			  const char *evidence_id, unsigned flags, char **json,
			  struct fg_error *err)
{
	struct fg_buf b = {NULL, 0, 0, 0};
	int rc;

	*json = NULL;
	rc = fg_casedb_export_json_put(db, case_id, evidence_id, flags,
				       put_buf, &b, err);
	if (rc != FG_OK) {
		free(b.p);
		return rc;
	}
	*json = b.p;
	return FG_OK;
}

/* ---- A case's export for import (casedb.h, "forage-case-export-1") ----- */

/* One line of the export: o (consumed; NULL is out of memory) as compact
 * JSON and a line feed. */
static int cx_line(struct xw *w, json_t *o)
{
	char *s;

	if (o == NULL) {
		if (w->rc == FG_OK)
			w->rc = cdb_oom(w->err);
		return w->rc;
	}
	s = w->rc == FG_OK ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)
			   : NULL;
	json_decref(o);
	if (w->rc == FG_OK && s == NULL)
		w->rc = cdb_oom(w->err);
	if (s != NULL) {
		xw_raw(w, s, strlen(s));
		xw_raw(w, "\n", 1);
		free(s);
	}
	return w->rc;
}

/* Every row of sql (bound to the case id, or to id when id > 0) as lines
 * {"table": table, "row": {...}} or, table NULL, {"event": {...}}; each
 * row's own id is handed to then() (may be NULL) after its line. */
static void cx_rows(struct xw *w, const char *table, const char *sql,
		    const char *case_id, int64_t id, int64_t *count,
		    void (*then)(struct xw *, int64_t, int64_t *))
{
	struct cdb_st *st = NULL;
	int step = CDB_DONE;

	if (w->rc == FG_OK)
		w->rc = cdb_prep(w->db, &st, sql, w->err);
	if (w->rc != FG_OK)
		return;
	if (id > 0)
		cdb_bind_i64(st, 1, id);
	else
		cdb_bind_text(st, 1, case_id);
	cdb_walk(st);
	while (w->rc == FG_OK && (step = cdb_step(st)) == CDB_ROW) {
		json_t *o = cdb_row_object(st);
		if (table != NULL)
			o = o != NULL ? json_pack("{s:s,s:o}", "table", table,
						  "row", o)
				      : NULL;
		else
			o = o != NULL ? json_pack("{s:o}", "event", o) : NULL;
		if (cx_line(w, o) != FG_OK)
			break;
		(*count)++;
		if (then != NULL)
			then(w, cdb_col_i64(st, 0), count);
	}
	xw_done(w, st, step, "reading the case for its export");
}

static void cx_acq_rows(struct xw *w, int64_t id, int64_t *count)
{
	cx_rows(w, "outputs",
		"SELECT * FROM outputs WHERE acquisition_id = ? ORDER BY id",
		NULL, id, count, NULL);
	cx_rows(w, "media_hashes",
		"SELECT * FROM media_hashes WHERE acquisition_id = ? ORDER BY "
		"algorithm",
		NULL, id, count, NULL);
	cx_rows(w, "hash_windows",
		"SELECT * FROM hash_windows WHERE acquisition_id = ? ORDER BY "
		"algorithm, idx",
		NULL, id, count, NULL);
	cx_rows(w, "bad_ranges",
		"SELECT * FROM bad_ranges WHERE acquisition_id = ? ORDER BY id",
		NULL, id, count, NULL);
}

static void cx_verif_rows(struct xw *w, int64_t id, int64_t *count)
{
	cx_rows(w, "verification_hashes",
		"SELECT * FROM verification_hashes WHERE verification_id = ? "
		"ORDER BY id",
		NULL, id, count, NULL);
	cx_rows(w, "verification_diffs",
		"SELECT * FROM verification_diffs WHERE verification_id = ? "
		"ORDER BY id",
		NULL, id, count, NULL);
}

static int cx_run(struct xw *w, const char *case_id)
{
	struct cdb_st *st = NULL;
	int64_t events = 0, rows = 0, head_id = 0;
	char now[32], head[FG_HASH_HEX_MAX] = "";

	w->rc = cdb_prep(w->db, &st,
			 "SELECT id, sha256 FROM events ORDER BY id DESC "
			 "LIMIT 1",
			 w->err);
	if (w->rc != FG_OK)
		return w->rc;
	if (cdb_step(st) == CDB_ROW) {
		head_id = cdb_col_i64(st, 0);
		snprintf(head, sizeof(head), "%s",
			 cdb_col_text(st, 1) ? cdb_col_text(st, 1) : "");
	}
	xw_done(w, st, CDB_DONE, "reading the event log");
	fg_record_utc_now(now, sizeof(now));
	cx_line(w, json_pack("{s:s,s:s,s:s,s:I,s:s,s:{s:I,s:s}}", "format",
			     FG_CASE_EXPORT_FORMAT, "case_id", case_id,
			     "database", w->db->path, "schema_version",
			     (json_int_t)w->db->version, "exported_utc", now,
			     "head", "id", (json_int_t)head_id, "sha256",
			     head));
	cx_rows(w, NULL,
		"SELECT id, utc, kind, examiner, case_id, evidence_id, "
		"subject_id, details, prev_sha256, sha256 FROM events WHERE "
		"CAST(?1 AS TEXT) IS NOT NULL ORDER BY id",
		case_id, 0, &events, NULL);
	cx_rows(w, "cases", "SELECT * FROM cases WHERE case_id = ?1", case_id,
		0, &rows, NULL);
	/* The items in the order they were added (SQLite's rowid order
	 * before; PostgreSQL has no rowid): the order of their
	 * evidence-added events, then any that has none (added outside
	 * forage) by its id. */
	cx_rows(w, "evidence",
		"SELECT v.* FROM evidence v LEFT JOIN (SELECT evidence_id, "
		"min(id) AS n FROM events WHERE kind = 'evidence-added' AND "
		"case_id = ?1 GROUP BY evidence_id) a ON a.evidence_id = "
		"v.evidence_id WHERE v.case_id = ?1 ORDER BY a.n NULLS LAST, "
		"v.evidence_id",
		case_id, 0, &rows, NULL);
	if (w->db->version >= 3)
		cx_rows(w, "amendments",
			"SELECT * FROM amendments WHERE case_id = ?1 ORDER BY "
			"id",
			case_id, 0, &rows, NULL);
	cx_rows(w, "acquisitions",
		"SELECT * FROM acquisitions WHERE case_id = ?1 ORDER BY id",
		case_id, 0, &rows, cx_acq_rows);
	cx_rows(w, "verifications",
		"SELECT * FROM verifications WHERE case_id = ?1 ORDER BY id",
		case_id, 0, &rows, cx_verif_rows);
	cx_rows(w, "custody",
		"SELECT * FROM custody WHERE case_id = ?1 ORDER BY id", case_id,
		0, &rows, NULL);
	cx_line(w, json_pack("{s:{s:I,s:I}}", "end", "events",
			     (json_int_t)events, "rows", (json_int_t)rows));
	return w->rc;
}

int fg_casedb_case_export(struct fg_casedb *db, const char *case_id,
			  fg_casedb_put_fn put, void *ctx,
			  struct fg_error *err)
{
	struct xw w;
	char *only = NULL;
	int64_t n = 0;
	int rc;

	xw_start(&w, db, put, ctx, err);
	rc = cdb_read_begin(db, err);
	if (rc != FG_OK)
		return rc;
	if (case_id == NULL) {
		rc = fg_casedb_only_case(db, &only, &n, err);
		if (rc == FG_OK && only == NULL)
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "case database %s: %lld cases; "
					  "name the one to export (--case)",
					  db->path, (long long)n);
		case_id = only;
	}
	if (rc == FG_OK)
		rc = fg_casedb_check_named(db, case_id, NULL, err);
	/* Rows an import brought are recorded by the imported chain, which
	 * an export does not carry (yet): the case would not import. */
	if (rc == FG_OK && db->version >= 4) {
		struct cdb_st *st = NULL;
		rc = cdb_prep(db, &st,
			      "SELECT id, file FROM imports WHERE case_id = ? "
			      "ORDER BY id LIMIT 1",
			      err);
		if (rc == FG_OK) {
			cdb_bind_text(st, 1, case_id);
			if (cdb_step(st) == CDB_ROW)
				rc = fg_error_set(
				    err, FG_EINVAL, 0,
				    "case database %s: case %s holds rows "
				    "imported (import %lld, from %s), recorded "
				    "by an imported chain that an export does "
				    "not carry yet: export it from its source",
				    db->path, case_id,
				    (long long)cdb_col_i64(st, 0),
				    cdb_col_text(st, 1) ? cdb_col_text(st, 1)
							: "?");
			cdb_fin(st);
		}
	}
	if (rc == FG_OK)
		rc = cx_run(&w, case_id);
	cdb_read_end(db);
	free(only);
	return rc;
}
