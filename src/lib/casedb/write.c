/*
 * write.c - the writers of the case database (see casedb.h): cases and
 * evidence items, acquisitions from their records, verifications, custody.
 * Each call is one transaction that also appends its event.
 *
 * An acquisition row:
 *   acquisition_begin --> "running" --acquisition_end--> success |
 *       completed with errors | failed | interrupted
 *   (killed: stays "running"; readers show it as interrupted, never
 *    completed, once its process is known to be gone)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "casedb/casedb_int.h"

/* A new row's id, as SQL: one more than the highest, the id SQLite gives
 * a row that names none (its rowid), given the same way on PostgreSQL,
 * whose identity columns would skip the ids a rolled-back transaction
 * drew (an acquisition 3 missing between 2 and 4).  Every writer holds
 * the database's write lock (cdb_tx_begin), so no other one draws it
 * meanwhile; the row added last is then the one of max(id). */
#define NEXT_ID(t) "(SELECT coalesce(max(id), 0) + 1 FROM " t ")"
#define ADDED_ID(t) "SELECT max(id) FROM " t

const char *const fg_casedb_custody_actions[] = {
	"received", "transferred", "checked-out", "checked-in",
	"stored",   "returned",    "disposed",    NULL};

/* ---- Cases and evidence ------------------------------------------------ */

/* Inside a transaction: create the case when missing. */
static int case_ensure_tx(struct fg_casedb *db, const char *case_id,
			  const char *description, int *created,
			  struct fg_error *err)
{
	struct cdb_st *st = NULL;
	json_t *d = NULL;
	char utc[32];
	int rc;

	rc = cdb_prep(db, &st,
		      "INSERT INTO cases(case_id, description, created_utc, "
		      "examiner) VALUES (?,?,?,?) ON CONFLICT(case_id) DO "
		      "NOTHING",
		      err);
	if (rc != FG_OK)
		return rc;
	fg_record_utc_now(utc, sizeof(utc));
	cdb_bind_text(st, 1, case_id);
	cdb_bind_text(st, 2, description);
	cdb_bind_text(st, 3, utc);
	cdb_bind_text(st, 4, db->examiner);
	rc = cdb_step_done(db, st, "adding the case", err);
	if (rc != FG_OK)
		return rc;
	*created = cdb_changes(db) > 0;
	if (!*created)
		return FG_OK;
	rc = cdb_details_case(db, case_id, &d, err);
	if (rc != FG_OK)
		return rc;
	return cdb_event_append(db, "case-created", case_id, NULL, 0, d, err);
}

static int evidence_ensure_tx(struct fg_casedb *db, const char *case_id,
			      const char *evidence_id,
			      const char *description, int *created,
			      struct fg_error *err)
{
	struct cdb_st *st = NULL;
	json_t *d = NULL;
	char utc[32];
	int rc, case_created;

	rc = case_ensure_tx(db, case_id, NULL, &case_created, err);
	if (rc != FG_OK)
		return rc;
	rc = cdb_prep(db, &st,
		      "INSERT INTO evidence(case_id, evidence_id, description, "
		      "created_utc, examiner) VALUES (?,?,?,?,?) "
		      "ON CONFLICT(case_id, evidence_id) DO NOTHING",
		      err);
	if (rc != FG_OK)
		return rc;
	fg_record_utc_now(utc, sizeof(utc));
	cdb_bind_text(st, 1, case_id);
	cdb_bind_text(st, 2, evidence_id);
	cdb_bind_text(st, 3, description);
	cdb_bind_text(st, 4, utc);
	cdb_bind_text(st, 5, db->examiner);
	rc = cdb_step_done(db, st, "adding the evidence item", err);
	if (rc != FG_OK)
		return rc;
	*created = cdb_changes(db) > 0;
	if (!*created)
		return FG_OK;
	rc = cdb_details_evidence(db, case_id, evidence_id, &d, err);
	if (rc != FG_OK)
		return rc;
	return cdb_event_append(db, "evidence-added", case_id, evidence_id, 0,
				d, err);
}

int fg_casedb_case_ensure(struct fg_casedb *db, const char *case_id,
			  const char *description, int *created,
			  struct fg_error *err)
{
	int rc, c = 0;

	if (case_id == NULL || *case_id == '\0')
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: empty case id");
	rc = cdb_tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = case_ensure_tx(db, case_id, description, &c, err);
	if (rc == FG_OK)
		rc = cdb_tx_commit(db, err);
	else
		cdb_tx_rollback(db);
	if (created != NULL)
		*created = rc == FG_OK ? c : 0;
	return rc;
}

int fg_casedb_evidence_ensure(struct fg_casedb *db, const char *case_id,
			      const char *evidence_id,
			      const char *description, int *created,
			      struct fg_error *err)
{
	int rc, c = 0;

	if (case_id == NULL || *case_id == '\0' || evidence_id == NULL ||
	    *evidence_id == '\0')
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: an evidence item needs a "
				    "case id and an evidence id");
	rc = cdb_tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = evidence_ensure_tx(db, case_id, evidence_id, description, &c,
				err);
	if (rc == FG_OK)
		rc = cdb_tx_commit(db, err);
	else
		cdb_tx_rollback(db);
	if (created != NULL)
		*created = rc == FG_OK ? c : 0;
	return rc;
}

int fg_casedb_only_case(struct fg_casedb *db, char **case_id,
			int64_t *ncases, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc;

	*case_id = NULL;
	*ncases = 0;
	rc = cdb_pragma_int(db, "SELECT count(*) FROM cases", ncases, err);
	if (rc != FG_OK || *ncases != 1)
		return rc;
	rc = cdb_prep(db, &st, "SELECT case_id FROM cases", err);
	if (rc != FG_OK)
		return rc;
	if (cdb_step(st) == CDB_ROW) {
		*case_id = strdup(cdb_col_text(st, 0));
		rc = *case_id != NULL ? FG_OK : cdb_oom(err);
	} else {
		rc = cdb_fail(db, err, "reading the cases");
	}
	cdb_fin(st);
	return rc;
}

int fg_casedb_evidence_cases(struct fg_casedb *db, const char *evidence_id,
			     char **cases, int64_t *ncases,
			     int64_t *nunfiled, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc, step;

	*cases = NULL;
	*ncases = *nunfiled = 0;
	rc = cdb_prep(db, &st,
		      "SELECT case_id FROM evidence WHERE evidence_id = ?1 "
		      "ORDER BY case_id",
		      err);
	if (rc != FG_OK)
		return rc;
	cdb_bind_text(st, 1, evidence_id);
	while ((step = cdb_step(st)) == CDB_ROW) {
		const char *id = cdb_col_text(st, 0);
		char *more = *cases == NULL
				     ? strdup(id != NULL ? id : "")
				     : fg_strdup_printf("%s, %s", *cases,
							id != NULL ? id : "");
		if (more == NULL) {
			rc = cdb_oom(err);
			break;
		}
		free(*cases);
		*cases = more;
		(*ncases)++;
	}
	if (rc == FG_OK && step != CDB_DONE)
		rc = cdb_fail(db, err, "reading the evidence items");
	cdb_fin(st);
	if (rc == FG_OK)
		rc = cdb_prep(db, &st,
			      "SELECT count(*) FROM acquisitions WHERE case_id "
			      "IS NULL AND evidence_id = ?1",
			      err);
	if (rc == FG_OK) {
		cdb_bind_text(st, 1, evidence_id);
		if (cdb_step(st) == CDB_ROW)
			*nunfiled = cdb_col_i64(st, 0);
		else
			rc = cdb_fail(db, err, "reading the acquisitions");
		cdb_fin(st);
	}
	if (rc != FG_OK) {
		free(*cases);
		*cases = NULL;
	}
	return rc;
}

/* ---- Acquisitions ----------------------------------------------------- */

/* A parsed copy of a record, and typed access to it by dotted key. */
static json_t *record_json(const struct fg_record *rec, char **text)
{
	json_t *j;

	*text = fg_record_dump(rec);
	if (*text == NULL)
		return NULL;
	j = json_loads(*text, 0, NULL);
	return j;
}

static json_t *jget(json_t *root, const char *key)
{
	char part[128];
	const char *dot;

	while ((dot = strchr(key, '.')) != NULL) {
		size_t n = (size_t)(dot - key);
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, key, n);
		part[n] = '\0';
		root = json_object_get(root, part);
		if (!json_is_object(root))
			return NULL;
		key = dot + 1;
	}
	return json_object_get(root, key);
}

static const char *jstr(json_t *root, const char *key)
{
	json_t *v = jget(root, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Bind the integer at key, or NULL when absent. */
static void bind_jint(struct cdb_st *st, int i, json_t *root, const char *key)
{
	json_t *v = jget(root, key);

	if (json_is_integer(v))
		cdb_bind_i64(st, i, (int64_t)json_integer_value(v));
	else if (json_is_boolean(v))
		cdb_bind_i64(st, i, json_is_true(v));
	else
		cdb_bind_null(st, i);
}

/* Bind the object at key as compact JSON text, or NULL. */
static int bind_jobj(struct cdb_st *st, int i, json_t *root, const char *key)
{
	json_t *v = jget(root, key);
	char *s;

	if (v == NULL) {
		cdb_bind_null(st, i);
		return FG_OK;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER |
				  JSON_ENCODE_ANY);
	if (s == NULL)
		return FG_ENOMEM;
	cdb_bind_text(st, i, s);
	free(s);
	return FG_OK;
}

int fg_casedb_acquisition_begin(struct fg_casedb *db,
				const struct fg_record *rec, int64_t *acq_id,
				struct fg_error *err)
{
	struct cdb_st *st = NULL;
	json_t *j = NULL, *d = NULL;
	char *text = NULL, utc[32];
	const char *case_id, *evidence_id, *started;
	int rc, created;
	int64_t id = 0;

	*acq_id = 0;
	j = record_json(rec, &text);
	if (j == NULL) {
		rc = cdb_oom(err);
		goto out;
	}
	case_id = jstr(j, "case.case_id");
	evidence_id = jstr(j, "case.evidence_id");
	if (case_id != NULL && *case_id == '\0')
		case_id = NULL;
	if (evidence_id != NULL && *evidence_id == '\0')
		evidence_id = NULL;
	started = jstr(j, "run.started_utc");
	if (started == NULL) {
		fg_record_utc_now(utc, sizeof(utc));
		started = utc;
	}
	rc = cdb_tx_begin(db, err);
	if (rc != FG_OK)
		goto out;
	if (case_id != NULL && evidence_id != NULL)
		rc = evidence_ensure_tx(db, case_id, evidence_id,
					jstr(j, "case.description"), &created,
					err);
	else if (case_id != NULL)
		rc = case_ensure_tx(db, case_id, NULL, &created, err);
	if (rc != FG_OK)
		goto fail;
	rc = cdb_prep(db, &st,
		      "INSERT INTO acquisitions(id, case_id, evidence_id, "
		      "examiner, status, started_utc, tool_name, tool_version, "
		      "host, pid, boot_id, proc_start, command_line, "
		      "source_path, source_kind, source_size, "
		      "source_total_size, source_offset, logical_sector_size, "
		      "physical_sector_size, model, serial, format, "
		      "parameters, write_block, no_write_block, record_start) "
		      "VALUES (" NEXT_ID("acquisitions") ",?,?,?,'running',?,?,"
		      "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		      err);
	if (rc != FG_OK)
		goto fail;
	cdb_bind_text(st, 1, case_id);
	cdb_bind_text(st, 2, evidence_id);
	cdb_bind_text(st, 3, db->examiner);
	cdb_bind_text(st, 4, started);
	cdb_bind_text(st, 5, jstr(j, "tool.name"));
	cdb_bind_text(st, 6, jstr(j, "tool.version"));
	cdb_bind_text(st, 7, jstr(j, "run.host"));
	cdb_bind_i64(st, 8, (int64_t)getpid());
	cdb_bind_text(st, 9, db->boot_id[0] ? db->boot_id : NULL);
	cdb_bind_i64(st, 10, cdb_proc_start_time((long)getpid()));
	cdb_bind_text(st, 11, jstr(j, "run.command_line"));
	cdb_bind_text(st, 12, jstr(j, "source.path"));
	cdb_bind_text(st, 13, jstr(j, "source.kind"));
	bind_jint(st, 14, j, "source.size");
	bind_jint(st, 15, j, "source.total_size");
	bind_jint(st, 16, j, "source.offset");
	bind_jint(st, 17, j, "source.logical_sector_size");
	bind_jint(st, 18, j, "source.physical_sector_size");
	cdb_bind_text(st, 19, jstr(j, "source.model"));
	cdb_bind_text(st, 20, jstr(j, "source.serial"));
	cdb_bind_text(st, 21, jstr(j, "parameters.format"));
	if (bind_jobj(st, 22, j, "parameters") != FG_OK ||
	    bind_jobj(st, 23, j, "write_block") != FG_OK) {
		rc = cdb_oom(err);
		goto fail;
	}
	bind_jint(st, 24, j, "parameters.no_write_block");
	cdb_bind_text(st, 25, text);
	rc = cdb_step_done(db, st, "adding the acquisition", err);
	st = NULL;
	if (rc == FG_OK)
		rc = cdb_pragma_int(db, ADDED_ID("acquisitions"), &id, err);
	if (rc != FG_OK)
		goto fail;
	rc = cdb_details_acq_started(db, id, &d, err);
	if (rc == FG_OK)
		rc = cdb_event_append(db, "acquisition-started", case_id,
				      evidence_id, id, d, err);
	if (rc != FG_OK)
		goto fail;
	rc = cdb_tx_commit(db, err);
	if (rc == FG_OK)
		*acq_id = id;
	goto out;
fail:
	cdb_fin(st);
	cdb_tx_rollback(db);
out:
	json_decref(j);
	free(text);
	return rc;
}

/* Inside a transaction: is acquisition id running?  FG_ESTATE if not. */
static int acq_running(struct fg_casedb *db, int64_t id,
		       struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc = cdb_prep(db, &st,
			  "SELECT status FROM acquisitions WHERE id = ?", err);

	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, id);
	rc = cdb_step(st);
	if (rc == CDB_ROW && strcmp(cdb_col_text(st, 0), "running") == 0)
		rc = FG_OK;
	else if (rc == CDB_ROW)
		rc = fg_error_set(err, FG_ESTATE, 0,
				  "case database %s: acquisition %lld is "
				  "%s, not running; it is never changed",
				  db->path, (long long)id, cdb_col_text(st, 0));
	else if (rc == CDB_DONE)
		rc = fg_error_set(err, FG_ESTATE, 0,
				  "case database %s: no acquisition %lld",
				  db->path, (long long)id);
	else
		rc = cdb_fail(db, err, "reading the acquisition");
	cdb_fin(st);
	return rc;
}

static int add_output_tx(struct fg_casedb *db, int64_t acq, const char *path,
			 uint64_t size, const char *md5, const char *sha256,
			 struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc = cdb_prep(db, &st,
			  "INSERT INTO outputs(id, acquisition_id, path, size, "
			  "md5, sha256) VALUES (" NEXT_ID("outputs") ",?,?,?,?,?)",
			  err);

	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, acq);
	cdb_bind_text(st, 2, path);
	cdb_bind_i64(st, 3, (int64_t)size);
	cdb_bind_text(st, 4, md5 && *md5 ? md5 : NULL);
	cdb_bind_text(st, 5, sha256 && *sha256 ? sha256 : NULL);
	return cdb_step_done(db, st, "adding an output file", err);
}

static int add_media_hash_tx(struct fg_casedb *db, int64_t acq,
			     const char *alg, const char *hex,
			     struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc = cdb_prep(db, &st,
			  "INSERT INTO media_hashes(acquisition_id, algorithm, "
			  "hex) VALUES (?,?,?)",
			  err);

	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, acq);
	cdb_bind_text(st, 2, alg);
	cdb_bind_text(st, 3, hex);
	return cdb_step_done(db, st, "adding a media hash", err);
}

static int add_bad_range_tx(struct fg_casedb *db, int64_t acq, uint64_t lba,
			    uint64_t count, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc = cdb_prep(db, &st,
			  "INSERT INTO bad_ranges(id, acquisition_id, first_lba, "
			  "count) VALUES (" NEXT_ID("bad_ranges") ",?,?,?)",
			  err);

	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, acq);
	cdb_bind_i64(st, 2, (int64_t)lba);
	cdb_bind_i64(st, 3, (int64_t)count);
	return cdb_step_done(db, st, "adding a bad range", err);
}

static int add_windows_tx(struct fg_casedb *db, int64_t acq, const char *alg,
			  uint64_t wsize, uint64_t media, uint64_t first,
			  const char *const *hex, size_t n,
			  struct fg_error *err)
{
	struct cdb_st *st = NULL;
	size_t i;
	int rc;

	if (wsize == 0 && n > 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: hash windows of size 0");
	rc = cdb_prep(db, &st,
		      "INSERT INTO hash_windows(acquisition_id, algorithm, "
		      "idx, \"offset\", length, hex) VALUES (?,?,?,?,?,?)",
		      err);
	if (rc != FG_OK)
		return rc;
	for (i = 0; i < n; i++) {
		uint64_t idx = first + i, off = idx * wsize;
		uint64_t len = media > off ? media - off : 0;
		if (len > wsize)
			len = wsize;
		cdb_reset(st);
		cdb_bind_i64(st, 1, acq);
		cdb_bind_text(st, 2, alg);
		cdb_bind_i64(st, 3, (int64_t)idx);
		cdb_bind_i64(st, 4, (int64_t)off);
		cdb_bind_i64(st, 5, (int64_t)len);
		cdb_bind_text(st, 6, hex[i]);
		if (cdb_step(st) != CDB_DONE) {
			rc = cdb_fail(db, err, "adding a hash window");
			cdb_fin(st);
			return rc;
		}
	}
	cdb_fin(st);
	return FG_OK;
}


/* Everything the final record lists, inside the transaction: the detail
 * rows first (the triggers accept them only while the row is running),
 * then the row itself. */
static int end_from_record(struct fg_casedb *db, int64_t id, json_t *j,
			   const char *text, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	json_t *arr, *e;
	size_t i;
	int rc = FG_OK;

	arr = jget(j, "outputs");
	json_array_foreach(arr, i, e) {
		json_t *sz = json_object_get(e, "size");
		rc = add_output_tx(db, id, jstr(e, "path"),
				   json_is_integer(sz)
					   ? (uint64_t)json_integer_value(sz)
					   : 0,
				   jstr(e, "md5"), jstr(e, "sha256"), err);
		if (rc != FG_OK)
			return rc;
	}
	for (i = 0; i < FG_NHASH; i++) {
		const char *alg = fg_hash_name(fg_hash_set[i]);
		char key[32];
		const char *hex;
		snprintf(key, sizeof(key), "hashes.%s", alg);
		hex = jstr(j, key);
		if (hex != NULL && *hex != '\0' &&
		    (rc = add_media_hash_tx(db, id, alg, hex, err)) != FG_OK)
			return rc;
	}
	arr = jget(j, "hash_windows.sha256");
	if (json_is_array(arr) && json_array_size(arr) > 0) {
		size_t n = json_array_size(arr);
		const char **hex = calloc(n, sizeof(*hex));
		json_t *ws = jget(j, "hash_windows.size");
		json_t *mb = jget(j, "hashes.bytes");
		if (hex == NULL)
			return cdb_oom(err);
		json_array_foreach(arr, i, e) hex[i] =
			json_is_string(e) ? json_string_value(e) : "";
		rc = add_windows_tx(
			db, id, "sha256",
			json_is_integer(ws) ? (uint64_t)json_integer_value(ws)
					    : 0,
			json_is_integer(mb) ? (uint64_t)json_integer_value(mb)
					    : 0,
			0, hex, n, err);
		free(hex);
		if (rc != FG_OK)
			return rc;
	}
	arr = jget(j, "bad_ranges");
	json_array_foreach(arr, i, e) {
		json_t *l = json_object_get(e, "first_lba");
		json_t *c = json_object_get(e, "count");
		if (!json_is_integer(l) || !json_is_integer(c))
			continue;
		rc = add_bad_range_tx(db, id, (uint64_t)json_integer_value(l),
				      (uint64_t)json_integer_value(c), err);
		if (rc != FG_OK)
			return rc;
	}
	rc = cdb_prep(db, &st,
		      "UPDATE acquisitions SET status = ?, exit_code = ?, "
		      "message = ?, finished_utc = ?, duration_seconds = ?, "
		      "write_block = ?, bytes = ?, sectors_filled = ?, "
		      "record_final = ? WHERE id = ?",
		      err);
	if (rc != FG_OK)
		return rc;
	cdb_bind_text(st, 1, jstr(j, "result.status"));
	bind_jint(st, 2, j, "result.exit_code");
	cdb_bind_text(st, 3, jstr(j, "result.message"));
	cdb_bind_text(st, 4, jstr(j, "run.finished_utc"));
	bind_jint(st, 5, j, "run.duration_seconds");
	if (bind_jobj(st, 6, j, "write_block") != FG_OK) {
		cdb_fin(st);
		return cdb_oom(err);
	}
	bind_jint(st, 7, j, "reading.bytes");
	bind_jint(st, 8, j, "reading.sectors_filled");
	cdb_bind_text(st, 9, text);
	cdb_bind_i64(st, 10, id);
	return cdb_step_done(db, st, "completing the acquisition", err);
}

/* The case and evidence ids of acquisition id (malloc'd, NULL when none). */
static int acq_ids(struct fg_casedb *db, int64_t id, char **case_id,
		   char **evidence_id, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc;

	*case_id = *evidence_id = NULL;
	rc = cdb_prep(db, &st,
		      "SELECT case_id, evidence_id FROM acquisitions WHERE id "
		      "= ?",
		      err);
	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, id);
	rc = cdb_step(st);
	if (rc == CDB_ROW) {
		if (cdb_col_text(st, 0) != NULL)
			*case_id = strdup(cdb_col_text(st, 0));
		if (cdb_col_text(st, 1) != NULL)
			*evidence_id = strdup(cdb_col_text(st, 1));
		rc = FG_OK;
		if ((cdb_col_text(st, 0) != NULL && *case_id == NULL) ||
		    (cdb_col_text(st, 1) != NULL && *evidence_id == NULL))
			rc = cdb_oom(err);
	} else if (rc == CDB_DONE) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "case database %s: no acquisition %lld",
				  db->path, (long long)id);
	} else {
		rc = cdb_fail(db, err, "reading the acquisition");
	}
	cdb_fin(st);
	return rc;
}

int fg_casedb_acquisition_end(struct fg_casedb *db, int64_t acq_id,
			      const struct fg_record *rec,
			      struct fg_error *err)
{
	json_t *j = NULL, *d = NULL;
	char *text = NULL, *case_id = NULL, *evidence_id = NULL;
	const char *status;
	int rc;

	j = record_json(rec, &text);
	if (j == NULL) {
		free(text);
		return cdb_oom(err);
	}
	status = jstr(j, "result.status");
	if (status == NULL || (strcmp(status, "success") != 0 &&
			       strcmp(status, "completed with errors") != 0 &&
			       strcmp(status, "failed") != 0 &&
			       strcmp(status, "interrupted") != 0)) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "case database %s: acquisition %lld: the "
				  "record's result.status '%s' is not a final "
				  "result",
				  db->path, (long long)acq_id,
				  status ? status : "(none)");
		goto out;
	}
	rc = cdb_tx_begin(db, err);
	if (rc != FG_OK)
		goto out;
	rc = acq_running(db, acq_id, err);
	if (rc == FG_OK)
		rc = acq_ids(db, acq_id, &case_id, &evidence_id, err);
	if (rc == FG_OK)
		rc = end_from_record(db, acq_id, j, text, err);
	if (rc == FG_OK)
		rc = cdb_details_acq_completed(db, acq_id, &d, err);
	if (rc == FG_OK)
		rc = cdb_event_append(db, "acquisition-completed", case_id,
				      evidence_id, acq_id, d, err);
	if (rc == FG_OK)
		rc = cdb_tx_commit(db, err);
	else
		cdb_tx_rollback(db);
out:
	json_decref(j);
	free(text);
	free(case_id);
	free(evidence_id);
	return rc;
}

/* ---- Verifications --------------------------------------------------- */

int fg_casedb_verification_add(struct fg_casedb *db,
			       const struct fg_casedb_verification *v,
			       const struct fg_casedb_verify_hash *hashes,
			       size_t nhashes,
			       const struct fg_casedb_verify_diff *diffs,
			       size_t ndiffs, int64_t *ver_id,
			       struct fg_error *err)
{
	struct cdb_st *st = NULL;
	json_t *d = NULL;
	char *acase = NULL, *aev = NULL, now[32];
	const char *case_id, *evidence_id;
	int64_t id = 0;
	size_t i;
	int rc, created;

	if (ver_id != NULL)
		*ver_id = 0;
	if (v->result == NULL || (strcmp(v->result, "match") != 0 &&
				  strcmp(v->result, "mismatch") != 0 &&
				  strcmp(v->result, "error") != 0))
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: verification result '%s' "
				    "is not match, mismatch or error",
				    v->result ? v->result : "(none)");
	fg_record_utc_now(now, sizeof(now));
	rc = cdb_tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	if (v->acquisition_id > 0) {
		rc = acq_ids(db, v->acquisition_id, &acase, &aev, err);
		if (rc != FG_OK)
			goto fail;
	}
	case_id = v->case_id != NULL ? v->case_id : acase;
	evidence_id = v->evidence_id != NULL ? v->evidence_id : aev;
	if (case_id != NULL && evidence_id != NULL)
		rc = evidence_ensure_tx(db, case_id, evidence_id, NULL,
					&created, err);
	else if (case_id != NULL)
		rc = case_ensure_tx(db, case_id, NULL, &created, err);
	if (rc != FG_OK)
		goto fail;
	rc = cdb_prep(db, &st,
		      "INSERT INTO verifications(id, acquisition_id, case_id, "
		      "evidence_id, examiner, started_utc, finished_utc, "
		      "target, method, result, exit_code, message, record) "
		      "VALUES (" NEXT_ID("verifications") ",?,?,?,?,?,?,?,?,?,?,"
		      "?,?)",
		      err);
	if (rc != FG_OK)
		goto fail;
	if (v->acquisition_id > 0)
		cdb_bind_i64(st, 1, v->acquisition_id);
	else
		cdb_bind_null(st, 1);
	cdb_bind_text(st, 2, case_id);
	cdb_bind_text(st, 3, evidence_id);
	cdb_bind_text(st, 4, db->examiner);
	cdb_bind_text(st, 5, v->started_utc ? v->started_utc : now);
	cdb_bind_text(st, 6, v->finished_utc ? v->finished_utc : now);
	cdb_bind_text(st, 7, v->target);
	cdb_bind_text(st, 8, v->method);
	cdb_bind_text(st, 9, v->result);
	cdb_bind_i64(st, 10, v->exit_code);
	cdb_bind_text(st, 11, v->message);
	cdb_bind_text(st, 12, v->record_json);
	rc = cdb_step_done(db, st, "adding the verification", err);
	st = NULL;
	if (rc == FG_OK)
		rc = cdb_pragma_int(db, ADDED_ID("verifications"), &id, err);
	if (rc != FG_OK)
		goto fail;
	for (i = 0; i < nhashes; i++) {
		const struct fg_casedb_verify_hash *h = &hashes[i];
		rc = cdb_prep(db, &st,
			      "INSERT INTO verification_hashes(id, "
			      "verification_id, file, algorithm, expected, "
			      "computed, match, what, source) VALUES ("
			      NEXT_ID("verification_hashes") ",?,?,?,?,?,?,?,"
			      "?)",
			      err);
		if (rc != FG_OK)
			goto fail;
		cdb_bind_i64(st, 1, id);
		cdb_bind_text(st, 2, h->file);
		cdb_bind_text(st, 3, h->algorithm ? h->algorithm : "");
		cdb_bind_text(st, 4, h->expected);
		cdb_bind_text(st, 5, h->computed);
		cdb_bind_i64(st, 6, h->match ? 1 : 0);
		cdb_bind_text(st, 7, h->what);
		cdb_bind_text(st, 8, h->source);
		rc = cdb_step_done(db, st, "adding a verified hash", err);
		st = NULL;
		if (rc != FG_OK)
			goto fail;
	}
	for (i = 0; i < ndiffs; i++) {
		const struct fg_casedb_verify_diff *x = &diffs[i];
		rc = cdb_prep(db, &st,
			      "INSERT INTO verification_diffs(id, "
			      "verification_id, file, \"offset\", length, what) "
			      "VALUES (" NEXT_ID("verification_diffs")
			      ",?,?,?,?,?)",
			      err);
		if (rc != FG_OK)
			goto fail;
		cdb_bind_i64(st, 1, id);
		cdb_bind_text(st, 2, x->file);
		cdb_bind_i64(st, 3, (int64_t)x->offset);
		cdb_bind_i64(st, 4, (int64_t)x->length);
		cdb_bind_text(st, 5, x->what);
		rc = cdb_step_done(db, st, "adding a difference", err);
		st = NULL;
		if (rc != FG_OK)
			goto fail;
	}
	rc = cdb_details_verification(db, id, &d, err);
	if (rc == FG_OK)
		rc = cdb_event_append(db, "verification", case_id, evidence_id,
				      id, d, err);
	if (rc != FG_OK)
		goto fail;
	rc = cdb_tx_commit(db, err);
	if (rc == FG_OK && ver_id != NULL)
		*ver_id = id;
	goto out;
fail:
	cdb_fin(st);
	cdb_tx_rollback(db);
out:
	free(acase);
	free(aev);
	return rc;
}

/* ---- Custody ----------------------------------------------------------- */

int fg_casedb_custody_action_valid(const char *action)
{
	size_t i;

	for (i = 0; action != NULL && fg_casedb_custody_actions[i]; i++)
		if (strcmp(action, fg_casedb_custody_actions[i]) == 0)
			return 1;
	return 0;
}

/* After the INSERT of a row one event records, inside the transaction:
 * the event kind with the row's details, then COMMIT; *id (may be NULL)
 * the row's id (added_sql: ADDED_ID of its table).  Rolled back on
 * failure. */
static int commit_with_event(struct fg_casedb *db, const char *kind,
			     const char *added_sql,
			     int (*details)(struct fg_casedb *, int64_t,
					    json_t **, struct fg_error *),
			     const char *case_id, const char *evidence_id,
			     int64_t *id, struct fg_error *err)
{
	int64_t rid = 0;
	json_t *d = NULL;
	int rc = cdb_pragma_int(db, added_sql, &rid, err);

	if (rc == FG_OK)
		rc = details(db, rid, &d, err);
	if (rc == FG_OK)
		rc = cdb_event_append(db, kind, case_id, evidence_id, rid, d,
				      err);
	if (rc == FG_OK)
		rc = cdb_tx_commit(db, err);
	else
		cdb_tx_rollback(db);
	if (rc == FG_OK && id != NULL)
		*id = rid;
	return rc;
}

/* *n: 1 when case_id has the item evidence_id (when NULL: when the case
 * exists), else 0. */
static int item_count(struct fg_casedb *db, const char *case_id,
		      const char *evidence_id, int64_t *n,
		      struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc = cdb_prep(db, &st,
			  evidence_id != NULL
				  ? "SELECT count(*) FROM evidence WHERE "
				    "case_id = ?1 AND evidence_id = ?2"
				  : "SELECT count(*) FROM cases WHERE "
				    "case_id = ?1",
			  err);

	if (rc != FG_OK)
		return rc;
	cdb_bind_text(st, 1, case_id);
	if (evidence_id != NULL)
		cdb_bind_text(st, 2, evidence_id);
	if (cdb_step(st) == CDB_ROW)
		*n = cdb_col_i64(st, 0);
	else
		rc = cdb_fail(db, err, "reading");
	cdb_fin(st);
	return rc;
}

int fg_casedb_custody_add(struct fg_casedb *db,
			  const struct fg_casedb_custody *c, int64_t *id,
			  struct fg_error *err)
{
	struct cdb_st *st = NULL;
	char now[32];
	int rc, created;

	if (id != NULL)
		*id = 0;
	if (!fg_casedb_custody_action_valid(c->action))
		return fg_error_set(err, FG_EINVAL, 0,
				    "custody action '%s' is not one of "
				    "received, transferred, checked-out, "
				    "checked-in, stored, returned, disposed",
				    c->action ? c->action : "(none)");
	if (c->case_id == NULL || *c->case_id == '\0' ||
	    c->evidence_id == NULL || *c->evidence_id == '\0')
		return fg_error_set(err, FG_EINVAL, 0,
				    "a custody event needs a case id and an "
				    "evidence id");
	fg_record_utc_now(now, sizeof(now));
	rc = cdb_tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	if (!c->new_item) {
		int64_t n = 0;
		rc = item_count(db, c->case_id, c->evidence_id, &n, err);
		if (rc == FG_OK && n == 0)
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "%s: case '%s' has no evidence item "
					  "'%s' (mistyped?); 'forage case "
					  "show' lists its items; give --new "
					  "to add it",
					  db->path, c->case_id, c->evidence_id);
		if (rc != FG_OK)
			goto fail;
	}
	rc = evidence_ensure_tx(db, c->case_id, c->evidence_id, NULL,
				&created, err);
	if (rc != FG_OK)
		goto fail;
	rc = cdb_prep(db, &st,
		      "INSERT INTO custody(id, case_id, evidence_id, utc, "
		      "examiner, action, from_party, to_party, location, "
		      "reason, happened_utc) VALUES (" NEXT_ID("custody")
		      ",?,?,?,?,?,?,?,?,?,?)",
		      err);
	if (rc != FG_OK)
		goto fail;
	cdb_bind_text(st, 1, c->case_id);
	cdb_bind_text(st, 2, c->evidence_id);
	cdb_bind_text(st, 3, c->utc ? c->utc : now);
	cdb_bind_text(st, 4, db->examiner);
	cdb_bind_text(st, 5, c->action);
	cdb_bind_text(st, 6, c->from_party);
	cdb_bind_text(st, 7, c->to_party);
	cdb_bind_text(st, 8, c->location);
	cdb_bind_text(st, 9, c->reason);
	cdb_bind_text(st, 10, c->happened_utc);
	rc = cdb_step_done(db, st, "adding the custody event", err);
	if (rc != FG_OK)
		goto fail;
	return commit_with_event(db, "custody", ADDED_ID("custody"),
				 cdb_details_custody,
				 c->case_id, c->evidence_id, id, err);
fail:
	cdb_tx_rollback(db);
	return rc;
}

int fg_casedb_amend(struct fg_casedb *db, const char *case_id,
		    const char *evidence_id, const char *field,
		    const char *value, const char *reason, int64_t *id,
		    struct fg_error *err)
{
	struct cdb_st *st = NULL;
	char now[32];
	int64_t n = 0;
	int rc;

	if (id != NULL)
		*id = 0;
	if (field == NULL || strcmp(field, "description") != 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "only a description can be amended");
	if (case_id == NULL || *case_id == '\0' || value == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "an amendment needs a case id and a value");
	if (db->version < 3)
		return fg_error_set(err, FG_ESTATE, 0,
				    "case database %s: schema version %lld "
				    "has no amendments",
				    db->path, (long long)db->version);
	fg_record_utc_now(now, sizeof(now));
	rc = cdb_tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = item_count(db, case_id, evidence_id, &n, err);
	if (rc == FG_OK && n == 0)
		rc = evidence_id != NULL
			     ? fg_error_set(err, FG_EINVAL, 0,
					    "%s: case '%s' has no evidence "
					    "item '%s'",
					    db->path, case_id, evidence_id)
			     : fg_error_set(err, FG_EINVAL, 0,
					    "%s: no case '%s'", db->path,
					    case_id);
	if (rc != FG_OK)
		goto fail;
	rc = cdb_prep(db, &st,
		      "INSERT INTO amendments(id, case_id, evidence_id, "
		      "field, value, utc, examiner, reason) VALUES ("
		      NEXT_ID("amendments") ",?,?,?,?,?,?,?)",
		      err);
	if (rc != FG_OK)
		goto fail;
	cdb_bind_text(st, 1, case_id);
	cdb_bind_text(st, 2, evidence_id);
	cdb_bind_text(st, 3, field);
	cdb_bind_text(st, 4, value);
	cdb_bind_text(st, 5, now);
	cdb_bind_text(st, 6, db->examiner);
	cdb_bind_text(st, 7, reason);
	rc = cdb_step_done(db, st, "adding the amendment", err);
	if (rc != FG_OK)
		goto fail;
	return commit_with_event(db, "amended", ADDED_ID("amendments"),
				 cdb_details_amendment,
				 case_id, evidence_id, id, err);
fail:
	cdb_tx_rollback(db);
	return rc;
}

/* ---- Seals ---------------------------------------------------------------- */

static void bind_blob(struct cdb_st *st, int i, const void *p, size_t n)
{
	if (p == NULL)
		cdb_bind_null(st, i);
	else
		cdb_bind_blob(st, i, p, n);
}

int fg_casedb_seal_add(struct fg_casedb *db, const struct fg_casedb_seal *s,
		       int64_t *id, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	char now[32];
	int rc;

	if (id != NULL)
		*id = 0;
	if (s->name == NULL || *s->name == '\0' || s->document == NULL ||
	    s->head_sha256 == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "a seal needs a name, a head and a "
				    "document");
	if (db->version < 4)
		return fg_error_set(err, FG_ESTATE, 0,
				    "case database %s: schema version %lld "
				    "has no seals",
				    db->path, (long long)db->version);
	fg_record_utc_now(now, sizeof(now));
	rc = cdb_tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = cdb_prep(db, &st,
		      "INSERT INTO seals(id, name, utc, head_event, "
		      "head_sha256, document, signature, tsr) VALUES ("
		      NEXT_ID("seals") ",?,?,?,?,?,?,?)",
		      err);
	if (rc != FG_OK)
		goto fail;
	cdb_bind_text(st, 1, s->name);
	cdb_bind_text(st, 2, s->utc != NULL ? s->utc : now);
	cdb_bind_i64(st, 3, s->head_event);
	cdb_bind_text(st, 4, s->head_sha256);
	bind_blob(st, 5, s->document, s->document_len);
	bind_blob(st, 6, s->signature, s->signature_len);
	bind_blob(st, 7, s->tsr, s->tsr_len);
	rc = cdb_step_done(db, st, "storing the seal", err);
	if (rc == FG_OK && id != NULL)
		rc = cdb_pragma_int(db, ADDED_ID("seals"), id, err);
	if (rc != FG_OK)
		goto fail;
	return cdb_tx_commit(db, err);
fail:
	cdb_tx_rollback(db);
	return rc;
}
