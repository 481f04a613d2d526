/*
 * read.c - the readers of the case database (see casedb.h): each
 * fg_casedb_*_each hands the rows of one table to a callback, one at a
 * time, and says what a person should be told about an acquisition still
 * marked running.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "casedb/casedb_int.h"

/* ---- Reading ----------------------------------------------------------- */

/* What a person should be told about an acquisition's status. */
const char *cdb_acq_state(struct fg_casedb *db, const char *status,
			  const char *host, const char *boot_id, int64_t pid,
			  int64_t start, int *never)
{
	*never = 0;
	if (status == NULL || strcmp(status, "running") != 0)
		return status;
	if (host == NULL || strcmp(host, db->host) != 0)
		return "running"; /* another host: cannot tell */
	if (boot_id == NULL || strcmp(boot_id, db->boot_id) != 0 || pid <= 0 ||
	    cdb_proc_start_time((long)pid) != start) {
		*never = 1;
		return "interrupted";
	}
	return "running";
}

/* The caller's callback and context, for the row functions below. */
struct each {
	struct fg_casedb *db;
	void *ctx;
	union {
		fg_casedb_case_fn cases;
		fg_casedb_evidence_fn evidence;
		fg_casedb_acquisition_fn acq;
		fg_casedb_output_fn output;
		fg_casedb_window_fn window;
		fg_casedb_bad_range_fn bad;
		fg_casedb_custody_fn custody;
		fg_casedb_verification_fn verif;
		fg_casedb_verify_hash_fn vhash;
		fg_casedb_event_fn event;
		fg_casedb_amendment_fn amend;
		fg_casedb_seal_fn seal;
	} fn;
};

/* Hand every row of st to row(); the callback's non-zero answer stops
 * the walk and is returned.  Finalizes st. */
static int each_row(struct cdb_st *st,
		    int (*row)(struct cdb_st *st, const struct each *e),
		    const struct each *e, const char *what,
		    struct fg_error *err)
{
	int rc, r;

	cdb_walk(st);
	while ((rc = cdb_step(st)) == CDB_ROW) {
		if ((r = row(st, e)) != 0) {
			cdb_fin(st);
			return r;
		}
	}
	rc = rc == CDB_DONE ? FG_OK : cdb_fail(e->db, err, what);
	cdb_fin(st);
	return rc;
}

/* Prepare sql and bind up to two texts (?1, ?2) and an integer (?3). */
static int prep_each(struct fg_casedb *db, struct cdb_st **st,
		     const char *sql, const char *t1, const char *t2,
		     int64_t i3, struct fg_error *err)
{
	int rc = cdb_prep(db, st, sql, err);

	if (rc != FG_OK)
		return rc;
	if (cdb_param_count(*st) >= 1)
		cdb_bind_text(*st, 1, t1);
	if (cdb_param_count(*st) >= 2)
		cdb_bind_text(*st, 2, t2);
	if (cdb_param_count(*st) >= 3)
		cdb_bind_i64(*st, 3, i3);
	return FG_OK;
}

/* Prepare sql and bind an integer to ?1. */
static int prep_id(struct fg_casedb *db, struct cdb_st **st, const char *sql,
		   int64_t id, struct fg_error *err)
{
	int rc = cdb_prep(db, st, sql, err);

	if (rc == FG_OK)
		cdb_bind_i64(*st, 1, id);
	return rc;
}

static int row_case(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_case c;

	c.case_id = cdb_col_text(st, 0);
	c.description = cdb_col_text(st, 1);
	c.created_utc = cdb_col_text(st, 2);
	c.examiner = cdb_col_text(st, 3);
	c.evidence_items = cdb_col_i64(st, 4);
	c.acquisitions = cdb_col_i64(st, 5);
	c.amended = cdb_col_i64(st, 6);
	return e->fn.cases(e->ctx, &c);
}

int fg_casedb_cases_each(struct fg_casedb *db, fg_casedb_case_fn fn,
			 void *ctx, struct fg_error *err)
{
	struct each e = {db, ctx, {.cases = fn}};
	struct cdb_st *st = NULL;
	int rc = prep_each(db, &st,
			   db->version < 3
				   ? "SELECT case_id, description, "
				     "created_utc, examiner, (SELECT count(*) "
				     "FROM evidence e WHERE e.case_id = "
				     "c.case_id), (SELECT count(*) FROM "
				     "acquisitions a WHERE a.case_id = "
				     "c.case_id), 0 FROM cases c ORDER BY "
				     "created_utc, case_id"
				   : "SELECT case_id, " CDB_CURRENT_DESC("c", "IS NULL")
				     ", created_utc, examiner, (SELECT count(*) "
				     "FROM evidence e WHERE e.case_id = "
				     "c.case_id), (SELECT count(*) FROM "
				     "acquisitions a WHERE a.case_id = "
				     "c.case_id), " CDB_AMEND_COUNT("c", "IS NULL")
				     " FROM cases c ORDER BY created_utc, "
				     "case_id",
			   NULL, NULL, 0, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_case, &e, "reading the cases",
				      err);
}

static int row_evidence(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_evidence v;

	v.case_id = cdb_col_text(st, 0);
	v.evidence_id = cdb_col_text(st, 1);
	v.description = cdb_col_text(st, 2);
	v.created_utc = cdb_col_text(st, 3);
	v.examiner = cdb_col_text(st, 4);
	v.amended = cdb_col_i64(st, 5);
	return e->fn.evidence(e->ctx, &v);
}

int fg_casedb_evidence_each(struct fg_casedb *db, const char *case_id,
			    fg_casedb_evidence_fn fn, void *ctx,
			    struct fg_error *err)
{
	struct each e = {db, ctx, {.evidence = fn}};
	struct cdb_st *st = NULL;
	int rc = prep_each(db, &st,
			   db->version < 3
				   ? "SELECT case_id, evidence_id, "
				     "description, created_utc, examiner, 0 "
				     "FROM evidence WHERE CAST(?1 AS TEXT) IS "
				     "NULL OR case_id = ?1 ORDER BY case_id, "
				     "created_utc, evidence_id"
				   : "SELECT case_id, evidence_id, "
				     CDB_CURRENT_DESC("v", "= v.evidence_id")
				     ", created_utc, examiner, "
				     CDB_AMEND_COUNT("v", "= v.evidence_id")
				     " FROM evidence v WHERE CAST(?1 AS TEXT) "
				     "IS NULL OR case_id = ?1 ORDER BY case_id, "
				     "created_utc, evidence_id",
			   case_id, NULL, 0, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_evidence, &e,
				      "reading the evidence items", err);
}

static const char acq_select[] =
	"SELECT id, case_id, evidence_id, examiner, status, exit_code, "
	"message, started_utc, finished_utc, tool_name, tool_version, host, "
	"command_line, source_path, source_kind, model, serial, source_size, "
	"source_offset, logical_sector_size, physical_sector_size, format, "
	"parameters, write_block, no_write_block, bytes, sectors_filled, "
	"record_final, pid, boot_id, proc_start, "
	"(SELECT hex FROM media_hashes m WHERE m.acquisition_id = a.id AND "
	"m.algorithm = 'md5'), "
	"(SELECT hex FROM media_hashes m WHERE m.acquisition_id = a.id AND "
	"m.algorithm = 'sha1'), "
	"(SELECT hex FROM media_hashes m WHERE m.acquisition_id = a.id AND "
	"m.algorithm = 'sha256') "
	"FROM acquisitions a WHERE (CAST(?1 AS TEXT) IS NULL OR case_id = ?1) "
	"AND (CAST(?2 AS TEXT) IS NULL OR evidence_id = ?2) AND (CAST(?3 AS "
	"BIGINT) = 0 OR id = ?3) ORDER BY id";

/* The "state" of an acquisition's write_block (JSON text) as SQLite's
 * json_extract(write_block, '$.state') gives it, in C so that it is the
 * same on either backend: NULL when write_block is not JSON or has no
 * state, else a copy (text as it is, true/false as 1/0, anything else as
 * compact JSON).  A person reads it; out of memory it reads as NULL. */
static char *write_block_state(const char *wb)
{
	json_t *j = wb != NULL ? json_loads(wb, 0, NULL) : NULL;
	json_t *v = json_object_get(j, "state");
	char *s = NULL;

	if (json_is_string(v))
		s = strdup(json_string_value(v));
	else if (json_is_boolean(v))
		s = strdup(json_is_true(v) ? "1" : "0");
	else if (v != NULL && !json_is_null(v))
		s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER |
					  JSON_ENCODE_ANY);
	json_decref(j);
	return s;
}

static int row_acq(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_acquisition a;
	char *wbs;
	int rc;

	memset(&a, 0, sizeof(a));
	a.id = cdb_col_i64(st, 0);
	a.case_id = cdb_col_text(st, 1);
	a.evidence_id = cdb_col_text(st, 2);
	a.examiner = cdb_col_text(st, 3);
	a.status = cdb_col_text(st, 4);
	a.exit_code = cdb_col_type(st, 5) == CDB_NULL
			      ? -1
			      : cdb_col_int(st, 5);
	a.message = cdb_col_text(st, 6);
	a.started_utc = cdb_col_text(st, 7);
	a.finished_utc = cdb_col_text(st, 8);
	a.tool_name = cdb_col_text(st, 9);
	a.tool_version = cdb_col_text(st, 10);
	a.host = cdb_col_text(st, 11);
	a.command_line = cdb_col_text(st, 12);
	a.source_path = cdb_col_text(st, 13);
	a.source_kind = cdb_col_text(st, 14);
	a.model = cdb_col_text(st, 15);
	a.serial = cdb_col_text(st, 16);
	a.source_size = cdb_col_u64(st, 17);
	a.source_offset = cdb_col_u64(st, 18);
	a.logical_sector_size = (uint32_t)cdb_col_u64(st, 19);
	a.physical_sector_size = (uint32_t)cdb_col_u64(st, 20);
	a.format = cdb_col_text(st, 21);
	a.parameters = cdb_col_text(st, 22);
	a.write_block = cdb_col_text(st, 23);
	a.no_write_block = cdb_col_int(st, 24);
	a.bytes = cdb_col_u64(st, 25);
	a.sectors_filled = cdb_col_u64(st, 26);
	a.record_final = cdb_col_text(st, 27);
	wbs = write_block_state(a.write_block);
	a.write_block_state = wbs;
	a.md5 = cdb_col_text(st, 31);
	a.sha1 = cdb_col_text(st, 32);
	a.sha256 = cdb_col_text(st, 33);
	a.state =
	    cdb_acq_state(e->db, a.status, a.host, cdb_col_text(st, 29),
			  cdb_col_i64(st, 28),
			  cdb_col_i64(st, 30), &a.never_completed);
	rc = e->fn.acq(e->ctx, &a);
	free(wbs);
	return rc;
}

int fg_casedb_acquisitions_each(struct fg_casedb *db, const char *case_id,
				const char *evidence_id, int64_t acq_id,
				fg_casedb_acquisition_fn fn, void *ctx,
				struct fg_error *err)
{
	struct each e = {db, ctx, {.acq = fn}};
	struct cdb_st *st = NULL;
	int rc = prep_each(db, &st, acq_select, case_id, evidence_id, acq_id,
			   err);

	return rc != FG_OK ? rc
			   : each_row(st, row_acq, &e,
				      "reading the acquisitions", err);
}

static int row_output(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_output o;

	o.acquisition_id = cdb_col_i64(st, 0);
	o.path = cdb_col_text(st, 1);
	o.md5 = cdb_col_text(st, 2);
	o.sha256 = cdb_col_text(st, 3);
	o.size = cdb_col_u64(st, 4);
	return e->fn.output(e->ctx, &o);
}

int fg_casedb_outputs_each(struct fg_casedb *db, int64_t acq_id,
			   fg_casedb_output_fn fn, void *ctx,
			   struct fg_error *err)
{
	struct each e = {db, ctx, {.output = fn}};
	struct cdb_st *st = NULL;
	int rc = prep_id(db, &st,
			 "SELECT acquisition_id, path, md5, sha256, size FROM "
			 "outputs WHERE acquisition_id = ?1 ORDER BY id",
			 acq_id, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_output, &e, "reading outputs",
				      err);
}

static int row_window(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_window w;

	w.acquisition_id = cdb_col_i64(st, 0);
	w.index = cdb_col_u64(st, 1);
	w.offset = cdb_col_u64(st, 2);
	w.length = cdb_col_u64(st, 3);
	w.algorithm = cdb_col_text(st, 4);
	w.hex = cdb_col_text(st, 5);
	return e->fn.window(e->ctx, &w);
}

int fg_casedb_hash_windows_each(struct fg_casedb *db, int64_t acq_id,
				fg_casedb_window_fn fn, void *ctx,
				struct fg_error *err)
{
	struct each e = {db, ctx, {.window = fn}};
	struct cdb_st *st = NULL;
	int rc = prep_id(db, &st,
			 "SELECT acquisition_id, idx, \"offset\", length, "
			 "algorithm, hex FROM hash_windows WHERE "
			 "acquisition_id = ?1 ORDER BY algorithm, idx",
			 acq_id, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_window, &e,
				      "reading hash windows", err);
}

static int row_bad(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_bad_range b;

	b.acquisition_id = cdb_col_i64(st, 0);
	b.first_lba = cdb_col_u64(st, 1);
	b.count = cdb_col_u64(st, 2);
	return e->fn.bad(e->ctx, &b);
}

int fg_casedb_bad_ranges_each(struct fg_casedb *db, int64_t acq_id,
			      fg_casedb_bad_range_fn fn, void *ctx,
			      struct fg_error *err)
{
	struct each e = {db, ctx, {.bad = fn}};
	struct cdb_st *st = NULL;
	int rc = prep_id(db, &st,
			 "SELECT acquisition_id, first_lba, count FROM "
			 "bad_ranges WHERE acquisition_id = ?1 ORDER BY "
			 "first_lba, id",
			 acq_id, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_bad, &e, "reading bad ranges",
				      err);
}

static int row_custody(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_custody c;

	c.id = cdb_col_i64(st, 0);
	c.case_id = cdb_col_text(st, 1);
	c.evidence_id = cdb_col_text(st, 2);
	c.utc = cdb_col_text(st, 3);
	c.examiner = cdb_col_text(st, 4);
	c.action = cdb_col_text(st, 5);
	c.from_party = cdb_col_text(st, 6);
	c.to_party = cdb_col_text(st, 7);
	c.location = cdb_col_text(st, 8);
	c.reason = cdb_col_text(st, 9);
	c.happened_utc = cdb_col_text(st, 10);
	c.new_item = 0;
	return e->fn.custody(e->ctx, &c);
}

int fg_casedb_custody_each(struct fg_casedb *db, const char *case_id,
			   const char *evidence_id, fg_casedb_custody_fn fn,
			   void *ctx, struct fg_error *err)
{
	struct each e = {db, ctx, {.custody = fn}};
	struct cdb_st *st = NULL;
	int rc = prep_each(db, &st,
			   db->version < 3
				   ? "SELECT id, case_id, evidence_id, utc, "
				     "examiner, action, from_party, to_party, "
				     "location, reason, NULL FROM custody "
				     "WHERE (CAST(?1 AS TEXT) IS NULL OR "
				     "case_id = ?1) AND (CAST(?2 AS TEXT) IS "
				     "NULL OR evidence_id = ?2) ORDER BY id"
				   : "SELECT id, case_id, evidence_id, utc, "
				     "examiner, action, from_party, to_party, "
				     "location, reason, happened_utc FROM "
				     "custody WHERE (CAST(?1 AS TEXT) IS NULL "
				     "OR case_id = ?1) AND (CAST(?2 AS TEXT) IS "
				     "NULL OR evidence_id = ?2) ORDER BY id",
			   case_id, evidence_id, 0, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_custody, &e, "reading custody",
				      err);
}

static int row_verif(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_verification_row v;

	memset(&v, 0, sizeof(v));
	v.id = cdb_col_i64(st, 0);
	v.v.acquisition_id = cdb_col_i64(st, 1);
	v.v.case_id = cdb_col_text(st, 2);
	v.v.evidence_id = cdb_col_text(st, 3);
	v.v.started_utc = cdb_col_text(st, 4);
	v.v.finished_utc = cdb_col_text(st, 5);
	v.v.target = cdb_col_text(st, 6);
	v.v.method = cdb_col_text(st, 7);
	v.v.result = cdb_col_text(st, 8);
	v.v.exit_code = cdb_col_int(st, 9);
	v.v.message = cdb_col_text(st, 10);
	v.v.record_json = cdb_col_text(st, 11);
	v.examiner = cdb_col_text(st, 12);
	return e->fn.verif(e->ctx, &v);
}

int fg_casedb_verifications_each(struct fg_casedb *db, const char *case_id,
				 const char *evidence_id,
				 fg_casedb_verification_fn fn, void *ctx,
				 struct fg_error *err)
{
	struct each e = {db, ctx, {.verif = fn}};
	struct cdb_st *st = NULL;
	int rc = prep_each(db, &st,
			   "SELECT id, acquisition_id, case_id, evidence_id, "
			   "started_utc, finished_utc, target, method, "
			   "result, exit_code, message, record, examiner "
			   "FROM verifications WHERE (CAST(?1 AS TEXT) IS NULL "
			   "OR case_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR "
			   "evidence_id = ?2) ORDER BY id",
			   case_id, evidence_id, 0, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_verif, &e,
				      "reading verifications", err);
}

static int row_vhash(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_verify_hash h;

	memset(&h, 0, sizeof(h));
	h.file = cdb_col_text(st, 0);
	h.algorithm = cdb_col_text(st, 1);
	h.expected = cdb_col_text(st, 2);
	h.computed = cdb_col_text(st, 3);
	h.match = cdb_col_int(st, 4);
	h.what = cdb_col_text(st, 5);
	h.source = cdb_col_text(st, 6);
	return e->fn.vhash(e->ctx, &h);
}

int fg_casedb_verify_hashes_each(struct fg_casedb *db, int64_t ver_id,
				 fg_casedb_verify_hash_fn fn, void *ctx,
				 struct fg_error *err)
{
	struct each e = {db, ctx, {.vhash = fn}};
	struct cdb_st *st = NULL;
	int rc = prep_id(db, &st,
			 db->version < 2
				 ? "SELECT file, algorithm, expected, "
				   "computed, match, NULL, NULL FROM "
				   "verification_hashes WHERE "
				   "verification_id = ?1 ORDER BY id"
				 : "SELECT file, algorithm, expected, "
				   "computed, match, what, source FROM "
				   "verification_hashes WHERE "
				   "verification_id = ?1 ORDER BY id",
			 ver_id, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_vhash, &e,
				      "reading verified hashes", err);
}

static int row_event(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_event v;

	v.id = cdb_col_i64(st, 0);
	v.utc = cdb_col_text(st, 1);
	v.kind = cdb_col_text(st, 2);
	v.examiner = cdb_col_text(st, 3);
	v.case_id = cdb_col_text(st, 4);
	v.evidence_id = cdb_col_text(st, 5);
	v.subject_id = cdb_col_i64(st, 6);
	v.details = cdb_col_text(st, 7);
	v.prev_sha256 = cdb_col_text(st, 8);
	v.sha256 = cdb_col_text(st, 9);
	return e->fn.event(e->ctx, &v);
}

int fg_casedb_events_each(struct fg_casedb *db, const char *case_id,
			  fg_casedb_event_fn fn, void *ctx,
			  struct fg_error *err)
{
	struct each e = {db, ctx, {.event = fn}};
	struct cdb_st *st = NULL;
	int rc = prep_each(db, &st,
			   "SELECT id, utc, kind, examiner, case_id, "
			   "evidence_id, subject_id, details, prev_sha256, "
			   "sha256 FROM events WHERE CAST(?1 AS TEXT) IS NULL "
			   "OR case_id = ?1 ORDER BY id",
			   case_id, NULL, 0, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_event, &e, "reading events",
				      err);
}

static int row_amend(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_amendment m;

	m.id = cdb_col_i64(st, 0);
	m.case_id = cdb_col_text(st, 1);
	m.evidence_id = cdb_col_text(st, 2);
	m.field = cdb_col_text(st, 3);
	m.value = cdb_col_text(st, 4);
	m.utc = cdb_col_text(st, 5);
	m.examiner = cdb_col_text(st, 6);
	m.reason = cdb_col_text(st, 7);
	m.before = cdb_col_text(st, 8);
	return e->fn.amend(e->ctx, &m);
}

int fg_casedb_amendments_each(struct fg_casedb *db, const char *case_id,
			      const char *evidence_id,
			      fg_casedb_amendment_fn fn, void *ctx,
			      struct fg_error *err)
{
	struct each e = {db, ctx, {.amend = fn}};
	struct cdb_st *st = NULL;
	int rc;

	if (db->version < 3)
		return FG_OK;
	/* before: the previous amendment's value, else the row's own. */
	rc = prep_each(db, &st,
		       "SELECT id, case_id, evidence_id, field, value, utc, "
		       "examiner, reason, coalesce((SELECT p.value FROM "
		       "amendments p WHERE p.case_id = m.case_id AND "
		       "p.evidence_id IS NOT DISTINCT FROM m.evidence_id AND "
		       "p.field = m.field "
		       "AND p.id < m.id ORDER BY p.id DESC LIMIT 1), CASE "
		       "WHEN m.evidence_id IS NULL THEN (SELECT description "
		       "FROM cases c WHERE c.case_id = m.case_id) ELSE "
		       "(SELECT description FROM evidence v WHERE v.case_id "
		       "= m.case_id AND v.evidence_id = m.evidence_id) END) "
		       "FROM amendments m WHERE case_id = ?1 AND evidence_id "
		       "IS NOT DISTINCT FROM ?2 ORDER BY id",
		       case_id, evidence_id, 0, err);
	return rc != FG_OK ? rc
			   : each_row(st, row_amend, &e,
				      "reading the amendments", err);
}

/* ---- Seals ---------------------------------------------------------------- */

/* Column i as a blob: NULL for NULL, else its bytes (a zero-length blob,
 * which SQLite reads as a NULL pointer, as ""); the pointer before the
 * length (SQLite's rule). */
static const void *col_blob(struct cdb_st *st, int i, size_t *len)
{
	const void *p;

	*len = 0;
	if (cdb_col_type(st, i) == CDB_NULL)
		return NULL;
	p = cdb_col_blob(st, i);
	*len = (size_t)cdb_col_bytes(st, i);
	return p != NULL ? p : "";
}

static int row_seal(struct cdb_st *st, const struct each *e)
{
	struct fg_casedb_seal s;

	memset(&s, 0, sizeof(s));
	s.id = cdb_col_i64(st, 0);
	s.name = cdb_col_text(st, 1);
	s.utc = cdb_col_text(st, 2);
	s.head_event = cdb_col_i64(st, 3);
	s.head_sha256 = cdb_col_text(st, 4);
	s.document = col_blob(st, 5, &s.document_len);
	s.signature = col_blob(st, 6, &s.signature_len);
	s.tsr = col_blob(st, 7, &s.tsr_len);
	if (s.document == NULL)
		s.document = "";
	if (s.name == NULL)
		s.name = "";
	if (s.head_sha256 == NULL)
		s.head_sha256 = "";
	return e->fn.seal(e->ctx, &s);
}

int fg_casedb_seals_each(struct fg_casedb *db, fg_casedb_seal_fn fn,
			 void *ctx, struct fg_error *err)
{
	struct each e = {db, ctx, {.seal = fn}};
	struct cdb_st *st = NULL;
	int rc;

	if (db->version < 4)
		return FG_OK;
	rc = prep_each(db, &st,
		       "SELECT id, name, utc, head_event, head_sha256, "
		       "document, signature, tsr FROM seals ORDER BY id",
		       NULL, NULL, 0, err);
	return rc != FG_OK ? rc
			   : each_row(st, row_seal, &e, "reading the seals",
				      err);
}
