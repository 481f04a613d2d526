/*
 * casedb.c - the case database (see casedb.h).  The only file of forage that
 * includes sqlite3.h.
 *
 * A handle:       fg_casedb_open --> OPEN (read-only | read-write) --close-->
 * Every write is one call = one BEGIN IMMEDIATE ... COMMIT, so another
 * process waits (busy timeout) rather than failing, and a crash leaves all
 * or nothing of a call.
 *
 * An acquisition row:
 *   acquisition_begin --> "running" --acquisition_end--> success |
 *       completed with errors | failed | interrupted
 *   (killed: stays "running"; readers show it as interrupted, never
 *    completed, once its process is known to be gone)
 *
 * Opening checks, in this order and before any write: the file (regular,
 * writable when asked), the SQLite magic, application_id and user_version,
 * then PRAGMA quick_check; only then WAL mode and migrations.  A refused
 * file is closed without a checkpoint, so it is left exactly as it was.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include <forage/casedb.h>
#include <forage/hash.h>
#include <forage/record.h>

#include "base/base_int.h"

struct fg_casedb {
	sqlite3 *h;
	char *path;
	char *examiner;
	int readonly;
	int64_t version;          /* the schema version, once open */
	char host[256];
	char boot_id[64];
	int64_t last_event;       /* the last event this handle wrote */
	char last_sha256[FG_HASH_HEX_MAX];
};

static const char zero_sha256[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

const char *const fg_casedb_custody_actions[] = {
	"received", "transferred", "checked-out", "checked-in",
	"stored",   "returned",    "disposed",    NULL};

/* ---- Schema ------------------------------------------------------------ */

/* The triggers that keep the log and the facts append-only.  The audit
 * checks that each of them is still there. */
static const char *const guard_triggers[] = {
	"events_no_update", "events_no_delete",
	"cases_no_update", "cases_no_delete",
	"evidence_no_update", "evidence_no_delete",
	"acquisitions_no_delete", "acquisitions_only_running_update",
	"outputs_no_change", "outputs_no_update", "outputs_no_delete",
	"media_hashes_no_change", "media_hashes_no_update", "media_hashes_no_delete",
	"hash_windows_no_change", "hash_windows_no_update", "hash_windows_no_delete",
	"bad_ranges_no_change", "bad_ranges_no_update", "bad_ranges_no_delete",
	"verifications_no_update", "verifications_no_delete",
	"verification_hashes_no_update", "verification_hashes_no_delete",
	"verification_diffs_no_update", "verification_diffs_no_delete",
	"custody_no_update", "custody_no_delete", NULL};

#define APPEND_ONLY(t)                                                       \
	"CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t " BEGIN "        \
	"SELECT RAISE(ABORT, '" t " is append-only: UPDATE refused'); END;\n" \
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t " BEGIN "        \
	"SELECT RAISE(ABORT, '" t " is append-only: DELETE refused'); END;\n"

/* Rows of a running acquisition's detail tables may be added, never
 * changed; none may be added once the acquisition is completed. */
#define DETAIL_GUARD(t)                                                      \
	"CREATE TRIGGER " t "_no_change BEFORE INSERT ON " t " WHEN "         \
	"(SELECT status FROM acquisitions WHERE id = NEW.acquisition_id) "   \
	"IS NOT 'running' BEGIN SELECT RAISE(ABORT, '" t ": the acquisition " \
	"is not running'); END;\n"                                            \
	"CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t " BEGIN "        \
	"SELECT RAISE(ABORT, '" t " is append-only: UPDATE refused'); END;\n" \
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t " BEGIN "        \
	"SELECT RAISE(ABORT, '" t " is append-only: DELETE refused'); END;\n"

/* Version 0 -> 1. */
static const char schema_v1[] =
	"CREATE TABLE cases(\n"
	"  case_id TEXT PRIMARY KEY NOT NULL CHECK(length(case_id) > 0),\n"
	"  description TEXT,\n"
	"  created_utc TEXT NOT NULL,\n"
	"  examiner TEXT NOT NULL);\n"
	"CREATE TABLE evidence(\n"
	"  case_id TEXT NOT NULL REFERENCES cases(case_id),\n"
	"  evidence_id TEXT NOT NULL CHECK(length(evidence_id) > 0),\n"
	"  description TEXT,\n"
	"  created_utc TEXT NOT NULL,\n"
	"  examiner TEXT NOT NULL,\n"
	"  PRIMARY KEY(case_id, evidence_id));\n"
	"CREATE TABLE acquisitions(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  case_id TEXT REFERENCES cases(case_id),\n"
	"  evidence_id TEXT,\n"
	"  examiner TEXT NOT NULL,\n"
	"  status TEXT NOT NULL CHECK(status IN ('running', 'success',\n"
	"    'completed with errors', 'failed', 'interrupted')),\n"
	"  exit_code INTEGER,\n"
	"  message TEXT,\n"
	"  started_utc TEXT NOT NULL,\n"
	"  finished_utc TEXT,\n"
	"  duration_seconds INTEGER,\n"
	"  tool_name TEXT,\n"
	"  tool_version TEXT,\n"
	"  host TEXT,\n"
	"  pid INTEGER,\n"
	"  boot_id TEXT,\n"
	"  proc_start INTEGER,\n"
	"  command_line TEXT,\n"
	"  source_path TEXT,\n"
	"  source_kind TEXT,\n"
	"  source_size INTEGER,\n"
	"  source_total_size INTEGER,\n"
	"  source_offset INTEGER,\n"
	"  logical_sector_size INTEGER,\n"
	"  physical_sector_size INTEGER,\n"
	"  model TEXT,\n"
	"  serial TEXT,\n"
	"  format TEXT,\n"
	"  parameters TEXT,\n"
	"  write_block TEXT,\n"
	"  no_write_block INTEGER,\n"
	"  bytes INTEGER,\n"
	"  sectors_filled INTEGER,\n"
	"  record_start TEXT,\n"
	"  record_final TEXT,\n"
	"  FOREIGN KEY(case_id, evidence_id)\n"
	"    REFERENCES evidence(case_id, evidence_id));\n"
	"CREATE INDEX acquisitions_by_item ON acquisitions(case_id,\n"
	"  evidence_id);\n"
	"CREATE TABLE outputs(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),\n"
	"  path TEXT NOT NULL,\n"
	"  size INTEGER NOT NULL,\n"
	"  md5 TEXT,\n"
	"  sha256 TEXT);\n"
	"CREATE INDEX outputs_by_acq ON outputs(acquisition_id);\n"
	"CREATE TABLE media_hashes(\n"
	"  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),\n"
	"  algorithm TEXT NOT NULL CHECK(algorithm IN ('md5', 'sha1',\n"
	"    'sha256')),\n"
	"  hex TEXT NOT NULL,\n"
	"  PRIMARY KEY(acquisition_id, algorithm));\n"
	"CREATE TABLE hash_windows(\n"
	"  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),\n"
	"  algorithm TEXT NOT NULL,\n"
	"  idx INTEGER NOT NULL,\n"
	"  offset INTEGER NOT NULL,\n"
	"  length INTEGER NOT NULL,\n"
	"  hex TEXT NOT NULL,\n"
	"  PRIMARY KEY(acquisition_id, algorithm, idx));\n"
	"CREATE TABLE bad_ranges(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),\n"
	"  first_lba INTEGER NOT NULL,\n"
	"  count INTEGER NOT NULL CHECK(count > 0));\n"
	"CREATE INDEX bad_ranges_by_acq ON bad_ranges(acquisition_id);\n"
	"CREATE TABLE verifications(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  acquisition_id INTEGER REFERENCES acquisitions(id),\n"
	"  case_id TEXT,\n"
	"  evidence_id TEXT,\n"
	"  examiner TEXT NOT NULL,\n"
	"  started_utc TEXT NOT NULL,\n"
	"  finished_utc TEXT NOT NULL,\n"
	"  target TEXT,\n"
	"  method TEXT,\n"
	"  result TEXT NOT NULL CHECK(result IN ('match', 'mismatch',\n"
	"    'error')),\n"
	"  exit_code INTEGER,\n"
	"  message TEXT,\n"
	"  record TEXT);\n"
	"CREATE TABLE verification_hashes(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  verification_id INTEGER NOT NULL REFERENCES verifications(id),\n"
	"  file TEXT,\n"
	"  algorithm TEXT NOT NULL,\n"
	"  expected TEXT,\n"
	"  computed TEXT,\n"
	"  match INTEGER NOT NULL);\n"
	"CREATE TABLE verification_diffs(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  verification_id INTEGER NOT NULL REFERENCES verifications(id),\n"
	"  file TEXT,\n"
	"  offset INTEGER NOT NULL,\n"
	"  length INTEGER NOT NULL,\n"
	"  what TEXT);\n"
	"CREATE TABLE custody(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  case_id TEXT NOT NULL,\n"
	"  evidence_id TEXT NOT NULL,\n"
	"  utc TEXT NOT NULL,\n"
	"  examiner TEXT NOT NULL,\n"
	"  action TEXT NOT NULL CHECK(action IN ('received', 'transferred',\n"
	"    'checked-out', 'checked-in', 'stored', 'returned',\n"
	"    'disposed')),\n"
	"  from_party TEXT,\n"
	"  to_party TEXT,\n"
	"  location TEXT,\n"
	"  reason TEXT,\n"
	"  FOREIGN KEY(case_id, evidence_id)\n"
	"    REFERENCES evidence(case_id, evidence_id));\n"
	"CREATE TABLE events(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  utc TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  examiner TEXT NOT NULL,\n"
	"  case_id TEXT,\n"
	"  evidence_id TEXT,\n"
	"  subject_id INTEGER,\n"
	"  details TEXT NOT NULL,\n"
	"  prev_sha256 TEXT NOT NULL,\n"
	"  sha256 TEXT NOT NULL);\n"
	"CREATE INDEX events_by_subject ON events(kind, subject_id);\n"
	APPEND_ONLY("events")
	APPEND_ONLY("cases")
	APPEND_ONLY("evidence")
	"CREATE TRIGGER acquisitions_no_delete BEFORE DELETE ON acquisitions\n"
	"  BEGIN SELECT RAISE(ABORT, 'acquisitions: DELETE refused'); END;\n"
	"CREATE TRIGGER acquisitions_only_running_update BEFORE UPDATE ON\n"
	"  acquisitions WHEN OLD.status IS NOT 'running' BEGIN\n"
	"  SELECT RAISE(ABORT, 'acquisitions: a completed acquisition is\n"
	"  never changed'); END;\n"
	DETAIL_GUARD("outputs")
	DETAIL_GUARD("media_hashes")
	DETAIL_GUARD("hash_windows")
	DETAIL_GUARD("bad_ranges")
	APPEND_ONLY("verifications")
	APPEND_ONLY("verification_hashes")
	APPEND_ONLY("verification_diffs")
	APPEND_ONLY("custody");

/* Version 1 -> 2: which digest each verified hash is, and where its
 * expected value came from.  ADD COLUMN rewrites no row (old rows read
 * NULL), so neither the append-only triggers nor the event chain are
 * touched. */
static const char schema_v2[] =
	"ALTER TABLE verification_hashes ADD COLUMN what TEXT;\n"
	"ALTER TABLE verification_hashes ADD COLUMN source TEXT;\n";

/* migrations[v] brings a database of version v to v + 1. */
static const char *const migrations[FG_CASEDB_SCHEMA_VERSION] = {
	schema_v1,
	schema_v2,
};

/* ---- Small helpers ----------------------------------------------------- */

static int db_fail(struct fg_casedb *db, struct fg_error *err,
		   const char *what)
{
	int code = sqlite3_extended_errcode(db->h);
	const char *hint = "";

	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		hint = " (another program held the database for longer "
		       "than the busy timeout)";
	else if ((code & 0xff) == SQLITE_CORRUPT ||
		 (code & 0xff) == SQLITE_NOTADB)
		hint = " (the database is damaged)";
	else if ((code & 0xff) == SQLITE_READONLY)
		hint = " (the database cannot be written)";
	else if ((code & 0xff) == SQLITE_FULL)
		return fg_error_set(err, FG_ENOSPC, ENOSPC,
				    "case database %s: %s: %s", db->path,
				    what, sqlite3_errmsg(db->h));
	return fg_error_set(err, FG_EDB, 0, "case database %s: %s: %s%s",
			    db->path, what, sqlite3_errmsg(db->h), hint);
}

static int oom(struct fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
}

static int exec_sql(struct fg_casedb *db, const char *sql, const char *what,
		    struct fg_error *err)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, what);
	return FG_OK;
}

static int prep(struct fg_casedb *db, sqlite3_stmt **st, const char *sql,
		struct fg_error *err)
{
	*st = NULL;
	if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(db, err, "preparing a query");
	return FG_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_i64(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

/* Run a statement that returns no rows, then finalize it. */
static int step_done(struct fg_casedb *db, sqlite3_stmt *st,
		     const char *what, struct fg_error *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, what);
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(st);
	return FG_OK;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static uint64_t col_u64(sqlite3_stmt *st, int i)
{
	sqlite3_int64 v = sqlite3_column_int64(st, i);

	return v < 0 ? 0 : (uint64_t)v;
}

static int tx_begin(struct fg_casedb *db, struct fg_error *err)
{
	if (db->readonly)
		return fg_error_set(err, FG_ESTATE, 0,
				    "case database %s: opened read-only",
				    db->path);
	return exec_sql(db, "BEGIN IMMEDIATE", "starting a transaction",
			err);
}

static int tx_commit(struct fg_casedb *db, struct fg_error *err)
{
	if (sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = db_fail(db, err, "committing");
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return FG_OK;
}

static void tx_rollback(struct fg_casedb *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

/* One column as a JSON value of its SQLite type. */
static json_t *col_json(sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		return json_integer((json_int_t)sqlite3_column_int64(st, i));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(st, i));
	case SQLITE_TEXT:
		return json_stringn(col_text(st, i),
				    (size_t)sqlite3_column_bytes(st, i));
	case SQLITE_BLOB:
		return json_string("(binary)");
	}
	return json_null();
}

/* The current row as an object {column name: value}. */
static json_t *row_object(sqlite3_stmt *st)
{
	json_t *o = json_object();
	int i, n = sqlite3_column_count(st);

	if (o == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		json_t *v = col_json(st, i);
		if (v == NULL || json_object_set_new(o, sqlite3_column_name(st, i),
						     v) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* Every row of a prepared statement as an array of objects (or of the
 * first column's values when scalar).  Finalizes st. */
static int rows_array(struct fg_casedb *db, sqlite3_stmt *st, int scalar,
		      json_t **out, struct fg_error *err)
{
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if (arr == NULL) {
		sqlite3_finalize(st);
		return oom(err);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *v = scalar ? col_json(st, 0) : row_object(st);
		if (v == NULL || json_array_append_new(arr, v) != 0) {
			sqlite3_finalize(st);
			json_decref(arr);
			return oom(err);
		}
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, "reading");
		sqlite3_finalize(st);
		json_decref(arr);
		return rc;
	}
	sqlite3_finalize(st);
	*out = arr;
	return FG_OK;
}

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

/* Read a small text file's first line (no new line) into buf. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f == NULL)
		return;
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* Start time of process pid (clock ticks since boot, /proc/PID/stat field
 * 22), or -1 when there is no such process. */
static int64_t proc_start_time(long pid)
{
	char path[64], buf[1024];
	const char *p;
	int field;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (p == NULL)
		return -1;
	p++;
	for (field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	return strtoll(p + 1, NULL, 10);
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

static char *json_text(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
}

/* Append an event inside the caller's transaction.  details is consumed
 * (reference stolen). */
static int event_append(struct fg_casedb *db, const char *kind,
			const char *case_id, const char *evidence_id,
			int64_t subject_id, json_t *details,
			struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	char prev[FG_HASH_HEX_MAX], hex[FG_HASH_HEX_MAX], utc[32];
	char *dtext = NULL, *canon = NULL;
	int64_t id = 1;
	size_t clen;
	int rc;

	if (details == NULL)
		return oom(err);
	dtext = json_text(details);
	json_decref(details);
	if (dtext == NULL)
		return oom(err);
	snprintf(prev, sizeof(prev), "%s", zero_sha256);
	rc = prep(db, &st,
		  "SELECT id, sha256 FROM events ORDER BY id DESC LIMIT 1",
		  err);
	if (rc != FG_OK)
		goto out;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s",
			 col_text(st, 1) ? col_text(st, 1) : "");
	} else if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, "reading the event log");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	fg_record_utc_now(utc, sizeof(utc));
	canon = fg_casedb_event_canonical(id, utc, kind, db->examiner, case_id,
					  evidence_id, subject_id, dtext,
					  prev, &clen);
	if (canon == NULL) {
		rc = oom(err);
		goto out;
	}
	rc = sha256_hex(canon, clen, hex, err);
	if (rc != FG_OK)
		goto out;
	rc = prep(db, &st,
		  "INSERT INTO events(id, utc, kind, examiner, case_id, "
		  "evidence_id, subject_id, details, prev_sha256, sha256) "
		  "VALUES (?,?,?,?,?,?,?,?,?,?)",
		  err);
	if (rc != FG_OK)
		goto out;
	bind_i64(st, 1, id);
	bind_text(st, 2, utc);
	bind_text(st, 3, kind);
	bind_text(st, 4, db->examiner);
	bind_text(st, 5, case_id);
	bind_text(st, 6, evidence_id);
	if (subject_id > 0)
		bind_i64(st, 7, subject_id);
	else
		sqlite3_bind_null(st, 7);
	bind_text(st, 8, dtext);
	bind_text(st, 9, prev);
	bind_text(st, 10, hex);
	rc = step_done(db, st, "appending to the event log", err);
	st = NULL;
	if (rc == FG_OK) {
		db->last_event = id;
		snprintf(db->last_sha256, sizeof(db->last_sha256), "%s", hex);
	}
out:
	sqlite3_finalize(st);
	free(dtext);
	free(canon);
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
	sqlite3_stmt *st = NULL;
	int rc;

	*out = NULL;
	rc = prep(db, &st, sql, err);
	if (rc != FG_OK)
		return rc;
	if (k1 != NULL) {
		bind_text(st, 1, k1);
		if (k2 != NULL)
			bind_text(st, 2, k2);
	} else {
		bind_i64(st, 1, id);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = row_object(st);
		rc = *out != NULL ? FG_OK : oom(err);
	} else if (rc == SQLITE_DONE) {
		rc = FG_OK;
	} else {
		rc = db_fail(db, err, "reading");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Rows of sql bound to id, as an array (scalar: first column only). */
static int id_rows(struct fg_casedb *db, const char *sql, int64_t id,
		   int scalar, json_t **out, struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(db, &st, sql, err);

	*out = NULL;
	if (rc != FG_OK)
		return rc;
	bind_i64(st, 1, id);
	return rows_array(db, st, scalar, out, err);
}

static int set_sub(json_t *o, const char *key, json_t *v,
		   struct fg_error *err)
{
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		return oom(err);
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
	return set_sub(o, key, json_pack("{s:s}", "sha256", hex), err);
}

static int details_case(struct fg_casedb *db, const char *case_id,
			json_t **out, struct fg_error *err)
{
	return one_row(db,
		       "SELECT case_id, description, created_utc, examiner "
		       "FROM cases WHERE case_id = ?",
		       case_id, NULL, 0, out, err);
}

static int details_evidence(struct fg_casedb *db, const char *case_id,
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
static int details_acq_started(struct fg_casedb *db, int64_t id,
			       json_t **out, struct fg_error *err)
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
	sqlite3_stmt *st = NULL;
	struct fg_hash *h = NULL;
	char hex[FG_HASH_HEX_MAX];
	int64_t n = 0;
	int rc;

	*out = NULL;
	rc = fg_hash_new(&h, FG_HASH_SHA256, err);
	if (rc != FG_OK)
		return rc;
	rc = prep(db, &st,
		  "SELECT algorithm, idx, offset, length, hex FROM "
		  "hash_windows WHERE acquisition_id = ? ORDER BY algorithm, "
		  "idx",
		  err);
	if (rc != FG_OK)
		goto out;
	bind_i64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char line[256];
		int len = snprintf(line, sizeof(line), "%s:%lld:%lld:%lld:%s\n",
				   col_text(st, 0),
				   (long long)sqlite3_column_int64(st, 1),
				   (long long)sqlite3_column_int64(st, 2),
				   (long long)sqlite3_column_int64(st, 3),
				   col_text(st, 4));
		if (len > 0 && (size_t)len < sizeof(line))
			fg_hash_update(h, line, (size_t)len);
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, "reading hash windows");
		goto out;
	}
	fg_hash_final(h, hex);
	*out = n > 0 ? json_pack("{s:I,s:s}", "count", (json_int_t)n,
				 "sha256", hex)
		     : json_null();
	rc = *out != NULL ? FG_OK : oom(err);
out:
	sqlite3_finalize(st);
	fg_hash_free(h);
	return rc;
}

/* The rows of other tables that belong to one row, as named arrays. */
struct subq {
	const char *key, *sql; /* sql takes the row's id as its parameter */
};

static const struct subq acq_subs[] = {
	{"outputs", "SELECT path, size, md5, sha256 FROM outputs WHERE "
		    "acquisition_id = ? ORDER BY id"},
	{"bad_ranges", "SELECT first_lba, count FROM bad_ranges WHERE "
		       "acquisition_id = ? ORDER BY first_lba, id"},
	{NULL, NULL}};

static const struct subq verif_subs[] = {
	{"hashes", "SELECT file, algorithm, expected, computed, match, what, "
		   "source FROM verification_hashes WHERE verification_id = ? "
		   "ORDER BY id"},
	{"diffs", "SELECT file, offset, length, what FROM verification_diffs "
		  "WHERE verification_id = ? ORDER BY id"},
	{NULL, NULL}};

/* The same from a database of schema version 1 opened read-only (not
 * migrated): it has no what and source, they read as not known. */
static const struct subq verif_subs_v1[] = {
	{"hashes", "SELECT file, algorithm, expected, computed, match, NULL "
		   "AS what, NULL AS source FROM verification_hashes WHERE "
		   "verification_id = ? ORDER BY id"},
	{"diffs", "SELECT file, offset, length, what FROM verification_diffs "
		  "WHERE verification_id = ? ORDER BY id"},
	{NULL, NULL}};

static const struct subq *verif_subs_of(const struct fg_casedb *db)
{
	return db->version < 2 ? verif_subs_v1 : verif_subs;
}

static int add_subs(struct fg_casedb *db, json_t *o, int64_t id,
		    const struct subq *q, struct fg_error *err)
{
	json_t *v = NULL;
	int rc = FG_OK;

	for (; rc == FG_OK && q->key != NULL; q++) {
		rc = id_rows(db, q->sql, id, 0, &v, err);
		if (rc == FG_OK)
			rc = set_sub(o, q->key, v, err);
	}
	return rc;
}

/* {algorithm: hex} of an acquisition's media hashes. */
static int media_hashes(struct fg_casedb *db, int64_t id, json_t **out,
			struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *o = json_object();
	int rc;

	*out = NULL;
	if (o == NULL)
		return oom(err);
	rc = prep(db, &st,
		  "SELECT algorithm, hex FROM media_hashes WHERE "
		  "acquisition_id = ? ORDER BY algorithm",
		  err);
	if (rc != FG_OK) {
		json_decref(o);
		return rc;
	}
	bind_i64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (json_object_set_new(o, col_text(st, 0),
					json_string(col_text(st, 1))) != 0)
			break;
	rc = rc == SQLITE_DONE ? FG_OK
	     : rc == SQLITE_ROW ? oom(err)
				: db_fail(db, err, "reading media hashes");
	sqlite3_finalize(st);
	if (rc != FG_OK)
		json_decref(o);
	else
		*out = o;
	return rc;
}

/* What an acquisition's completion records. */
static int details_acq_completed(struct fg_casedb *db, int64_t id,
				 json_t **out, struct fg_error *err)
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
		rc = media_hashes(db, id, &v, err);
	if (rc == FG_OK)
		rc = set_sub(o, "media_hashes", v, err);
	if (rc == FG_OK)
		rc = add_subs(db, o, id, acq_subs, err);
	if (rc == FG_OK)
		rc = windows_digest(db, id, &v, err);
	if (rc == FG_OK)
		rc = set_sub(o, "hash_windows", v, err);
out:
	if (rc != FG_OK) {
		json_decref(o);
		o = NULL;
	}
	*out = o;
	return rc;
}

static int details_custody(struct fg_casedb *db, int64_t id, json_t **out,
			   struct fg_error *err)
{
	return one_row(db,
		       "SELECT id AS custody_id, case_id, evidence_id, utc, "
		       "examiner, action, from_party, to_party, location, "
		       "reason FROM custody WHERE id = ?",
		       NULL, NULL, id, out, err);
}

static int details_verification(struct fg_casedb *db, int64_t id,
				json_t **out, struct fg_error *err)
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
		rc = add_subs(db, o, id, verif_subs_of(db), err);
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
static int details_for(struct fg_casedb *db, const char *kind,
		       const char *case_id, const char *evidence_id,
		       int64_t subject, json_t **out, struct fg_error *err)
{
	*out = NULL;
	if (strcmp(kind, "case-created") == 0)
		return case_id ? details_case(db, case_id, out, err) : FG_OK;
	if (strcmp(kind, "evidence-added") == 0)
		return case_id && evidence_id
			       ? details_evidence(db, case_id, evidence_id,
						  out, err)
			       : FG_OK;
	if (strcmp(kind, "acquisition-started") == 0)
		return details_acq_started(db, subject, out, err);
	if (strcmp(kind, "acquisition-completed") == 0)
		return details_acq_completed(db, subject, out, err);
	if (strcmp(kind, "custody") == 0)
		return details_custody(db, subject, out, err);
	if (strcmp(kind, "verification") == 0)
		return details_verification(db, subject, out, err);
	return fg_error_set(err, FG_EINVAL, 0, "unknown event kind '%s'",
			    kind);
}

/* ---- Opening ----------------------------------------------------------- */

static int pragma_int(struct fg_casedb *db, const char *sql, int64_t *v,
		      struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(db, &st, sql, err);

	if (rc != FG_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = FG_OK;
	} else {
		rc = db_fail(db, err, "reading the database header");
	}
	sqlite3_finalize(st);
	return rc;
}

/* The file at path before SQLite sees it: a regular file whose first bytes
 * are SQLite's, writable when asked.  *exists 0 for a missing or empty
 * file (a new database). */
static int check_file(const char *path, int want_write, int *exists,
		      struct fg_error *err)
{
	static const char magic[16] = "SQLite format 3";
	unsigned char head[100];
	struct stat st;
	struct statvfs vfs;
	ssize_t n;
	int fd;

	*exists = 0;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return FG_OK;
		return fg_error_set(err, FG_EDB, errno,
				    "case database %s: %s", path,
				    strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return fg_error_set(err, FG_EDB, 0,
				    "case database %s: not a regular file",
				    path);
	if (want_write && (st.st_mode & 0222) == 0)
		return fg_error_set(err, FG_EDB, EACCES,
				    "case database %s: read-only (mode %04o); "
				    "forage does not write to a case database "
				    "made read-only",
				    path, (unsigned)(st.st_mode & 07777));
	if (want_write && statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
		return fg_error_set(err, FG_EDB, EROFS,
				    "case database %s: on a read-only file "
				    "system",
				    path);
	fd = open(path, (want_write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return fg_error_set(err, FG_EDB, errno,
				    "case database %s: cannot open%s: %s",
				    path, want_write ? " for writing" : "",
				    strerror(errno));
	n = fg_fd_pread_full(fd, head, sizeof(head), 0);
	close(fd);
	if (n < 0)
		return fg_error_set(err, FG_EDB, errno,
				    "case database %s: cannot read: %s", path,
				    strerror(errno));
	if (n == 0)
		return FG_OK;
	if (n < (ssize_t)sizeof(head) || memcmp(head, magic, 16) != 0) {
		char shown[40];
		ssize_t i;
		size_t k = 0;
		for (i = 0; i < n && i < 12 && k + 4 < sizeof(shown); i++)
			k += (size_t)snprintf(shown + k, sizeof(shown) - k,
					      "%02x ", head[i]);
		if (k > 0)
			shown[k - 1] = '\0';
		return fg_error_set(err, FG_EDB, 0,
				    "case database %s: not an SQLite "
				    "database (%zd bytes, it begins %s); "
				    "left as it is",
				    path, n, shown);
	}
	*exists = 1;
	return FG_OK;
}

static int check_schema(struct fg_casedb *db, int exists, int64_t *version,
			struct fg_error *err)
{
	sqlite3_stmt *hs = NULL;
	int64_t appid = 0, ntables = 0;
	int rc;

	/* One statement, one snapshot: another process may be creating the
	 * schema right now. */
	rc = prep(db, &hs,
		  "SELECT (SELECT user_version FROM pragma_user_version), "
		  "(SELECT application_id FROM pragma_application_id), "
		  "(SELECT count(*) FROM sqlite_master WHERE type = 'table')",
		  err);
	if (rc == FG_OK && sqlite3_step(hs) == SQLITE_ROW) {
		*version = sqlite3_column_int64(hs, 0);
		appid = sqlite3_column_int64(hs, 1);
		ntables = sqlite3_column_int64(hs, 2);
	} else if (rc == FG_OK) {
		rc = FG_EDB;
	}
	sqlite3_finalize(hs);
	if (rc != FG_OK)
		return fg_error_set(err, FG_EDB, 0,
				    "case database %s: cannot be read: %s; "
				    "left as it is",
				    db->path, sqlite3_errmsg(db->h));
	if (appid != 0 && appid != FG_CASEDB_APPLICATION_ID)
		return fg_error_set(err, FG_EDB, 0,
				    "case database %s: an SQLite database of "
				    "another program (application_id "
				    "0x%08llx); left as it is",
				    db->path, (unsigned long long)appid);
	if (*version == 0 && ntables > 0)
		return fg_error_set(err, FG_EDB, 0,
				    "case database %s: an SQLite database "
				    "with %lld table(s) but no forage "
				    "schema; left as it is",
				    db->path, (long long)ntables);
	if (*version > FG_CASEDB_SCHEMA_VERSION)
		return fg_error_set(err, FG_EDB, 0,
				    "case database %s: schema version %lld "
				    "was made by a newer forage (this one "
				    "knows up to %d); left as it is",
				    db->path, (long long)*version,
				    FG_CASEDB_SCHEMA_VERSION);
	if (exists && ntables > 0) {
		sqlite3_stmt *st = NULL;
		const char *res;
		rc = prep(db, &st, "PRAGMA quick_check(1)", err);
		if (rc != FG_OK)
			return fg_error_set(err, FG_EDB, 0,
					    "case database %s: damaged: %s; "
					    "left as it is",
					    db->path, sqlite3_errmsg(db->h));
		rc = sqlite3_step(st);
		res = rc == SQLITE_ROW ? col_text(st, 0) : NULL;
		if (res == NULL || strcmp(res, "ok") != 0) {
			fg_error_set(err, FG_EDB, 0,
				     "case database %s: damaged (%s); left as "
				     "it is",
				     db->path,
				     res != NULL ? res : sqlite3_errmsg(db->h));
			sqlite3_finalize(st);
			return FG_EDB;
		}
		sqlite3_finalize(st);
	}
	return FG_OK;
}

static int migrate(struct fg_casedb *db, struct fg_error *err)
{
	int64_t v = 0;
	int rc;

	rc = tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	/* Another process may have migrated while we waited. */
	rc = pragma_int(db, "PRAGMA user_version", &v, err);
	if (rc != FG_OK)
		goto fail;
	if (v > FG_CASEDB_SCHEMA_VERSION) {
		rc = fg_error_set(err, FG_EDB, 0,
				  "case database %s: schema version %lld was "
				  "made by a newer forage; left as it is",
				  db->path, (long long)v);
		goto fail;
	}
	for (; v < FG_CASEDB_SCHEMA_VERSION; v++) {
		rc = exec_sql(db, migrations[v], "creating the schema", err);
		if (rc != FG_OK)
			goto fail;
	}
	{
		char sql[96];
		snprintf(sql, sizeof(sql),
			 "PRAGMA user_version = %d; PRAGMA application_id = %d",
			 FG_CASEDB_SCHEMA_VERSION, FG_CASEDB_APPLICATION_ID);
		rc = exec_sql(db, sql, "setting the schema version", err);
		if (rc != FG_OK)
			goto fail;
	}
	return tx_commit(db, err);
fail:
	tx_rollback(db);
	return rc;
}

/* Switch to WAL mode.  The switch takes an exclusive lock without going
 * through the busy handler, so a database being created by another process
 * at the same moment is waited for here, up to the busy timeout. */
static int set_wal(struct fg_casedb *db, struct fg_error *err)
{
	int waited = 0, rc;

	for (;;) {
		sqlite3_stmt *st = NULL;
		const char *mode;

		rc = prep(db, &st, "PRAGMA journal_mode = WAL", err);
		if (rc != FG_OK && (sqlite3_errcode(db->h) == SQLITE_BUSY ||
				    sqlite3_errcode(db->h) == SQLITE_LOCKED))
			goto wait;
		if (rc != FG_OK)
			return rc;
		rc = sqlite3_step(st);
		mode = rc == SQLITE_ROW ? col_text(st, 0) : NULL;
		if (mode != NULL && strcmp(mode, "wal") == 0) {
			sqlite3_finalize(st);
			return FG_OK;
		}
		if (mode == NULL && ((rc & 0xff) == SQLITE_BUSY ||
				     (rc & 0xff) == SQLITE_LOCKED)) {
			sqlite3_finalize(st);
			goto wait;
		}
		rc = fg_error_set(err, FG_EDB, 0,
				  "case database %s: cannot use WAL mode: %s",
				  db->path,
				  mode ? mode : sqlite3_errmsg(db->h));
		sqlite3_finalize(st);
		return rc;
wait:
		if (waited >= FG_CASEDB_BUSY_MS)
			return fg_error_set(err, FG_EDB, 0,
					    "case database %s: cannot use WAL "
					    "mode: still locked by another "
					    "program after %d s",
					    db->path, FG_CASEDB_BUSY_MS / 1000);
		sqlite3_sleep(20);
		waited += 20;
	}
}

int fg_casedb_open(struct fg_casedb **out, const char *path, unsigned flags,
		   struct fg_error *err)
{
	struct fg_casedb *db = NULL;
	int ro = (flags & FG_CASEDB_READONLY) != 0;
	int exists = 0, rc, oflags, had_wal;
	char *wal;
	int64_t version = 0;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: no path given");
	rc = check_file(path, !ro, &exists, err);
	if (rc != FG_OK)
		return rc;
	if (!exists && access(path, F_OK) != 0 &&
	    (ro || !(flags & FG_CASEDB_CREATE)))
		return fg_error_set(err, FG_EDB, ENOENT,
				    "case database %s: does not exist%s", path,
				    ro ? "" : " ('forage case init' makes one)");
	/* A write-ahead log left by another program holds its changes: a
	 * refused database must not have them checkpointed into it. */
	wal = fg_strdup_printf("%s-wal", path);
	if (wal == NULL)
		return oom(err);
	had_wal = access(wal, F_OK) == 0;
	free(wal);
	db = calloc(1, sizeof(*db));
	if (db == NULL)
		return oom(err);
	db->readonly = ro;
	db->path = strdup(path);
	db->examiner = strdup(FG_CASEDB_EXAMINER_UNKNOWN);
	if (db->path == NULL || db->examiner == NULL) {
		rc = oom(err);
		goto fail;
	}
	if (gethostname(db->host, sizeof(db->host)) != 0)
		db->host[0] = '\0';
	db->host[sizeof(db->host) - 1] = '\0';
	read_line("/proc/sys/kernel/random/boot_id", db->boot_id,
		  sizeof(db->boot_id));
	oflags = ro ? SQLITE_OPEN_READONLY
		    : SQLITE_OPEN_READWRITE |
			      ((flags & FG_CASEDB_CREATE) ? SQLITE_OPEN_CREATE
							  : 0);
	if (sqlite3_open_v2(path, &db->h, oflags,
			    NULL) != SQLITE_OK) {
		rc = fg_error_set(err, FG_EDB, 0,
				  "case database %s: cannot open: %s", path,
				  db->h ? sqlite3_errmsg(db->h)
					: "out of memory");
		goto fail;
	}
	/* Until the checks pass, closing must not write into the file: no
	 * checkpoint of a log that was there before us.  (An empty log of
	 * our own is removed on close without touching the database.) */
	if (had_wal)
		sqlite3_db_config(db->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
				  NULL);
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, FG_CASEDB_BUSY_MS);
	if (!ro && sqlite3_db_readonly(db->h, "main") == 1) {
		rc = fg_error_set(err, FG_EDB, EACCES,
				  "case database %s: can only be opened "
				  "read-only; not written",
				  path);
		goto fail;
	}
	rc = check_schema(db, exists, &version, err);
	if (rc != FG_OK)
		goto fail;
	/* An older schema is read as it is (an archived case cannot be
	 * migrated, and reading must not change it); what it lacks reads as
	 * not known. */
	if (ro && version == 0) {
		rc = fg_error_set(err, FG_EDB, 0,
				  "case database %s: empty, not a forage "
				  "case database yet",
				  path);
		goto fail;
	}
	db->version = ro ? version : FG_CASEDB_SCHEMA_VERSION;
	rc = exec_sql(db, "PRAGMA foreign_keys = ON", "enabling foreign keys",
		      err);
	if (rc != FG_OK)
		goto fail;
	if (!ro) {
		rc = set_wal(db, err);
		if (rc != FG_OK)
			goto fail;
		rc = exec_sql(db, "PRAGMA synchronous = FULL",
			      "setting synchronous writes", err);
		if (rc == FG_OK && version < FG_CASEDB_SCHEMA_VERSION)
			rc = migrate(db, err);
		if (rc != FG_OK)
			goto fail;
	}
	if (had_wal)
		sqlite3_db_config(db->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0,
				  NULL);
	*out = db;
	return FG_OK;
fail:
	if (db != NULL) {
		if (db->h != NULL)
			sqlite3_close_v2(db->h);
		free(db->path);
		free(db->examiner);
		free(db);
	}
	return rc;
}

void fg_casedb_close(struct fg_casedb *db)
{
	if (db == NULL)
		return;
	tx_rollback(db);
	sqlite3_close_v2(db->h);
	free(db->path);
	free(db->examiner);
	free(db);
}

const char *fg_casedb_path(const struct fg_casedb *db)
{
	return db->path;
}

int fg_casedb_set_examiner(struct fg_casedb *db, const char *examiner)
{
	char *e = strdup(examiner != NULL && *examiner != '\0'
				 ? examiner
				 : FG_CASEDB_EXAMINER_UNKNOWN);

	if (e == NULL)
		return FG_ENOMEM;
	free(db->examiner);
	db->examiner = e;
	return FG_OK;
}

int64_t fg_casedb_last_event(const struct fg_casedb *db, char *sha256)
{
	if (sha256 != NULL)
		snprintf(sha256, 65, "%.64s", db->last_sha256);
	return db->last_event;
}

char *fg_casedb_default_path(const char *outbase)
{
	const char *slash = strrchr(outbase, '/');

	if (slash == NULL)
		return strdup(FG_CASEDB_DEFAULT_NAME);
	return fg_strdup_printf("%.*s/%s", (int)(slash - outbase), outbase,
				FG_CASEDB_DEFAULT_NAME);
}

/* ---- Cases and evidence ------------------------------------------------ */

/* Inside a transaction: create the case when missing. */
static int case_ensure_tx(struct fg_casedb *db, const char *case_id,
			  const char *description, int *created,
			  struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *d = NULL;
	char utc[32];
	int rc;

	rc = prep(db, &st,
		  "INSERT INTO cases(case_id, description, created_utc, "
		  "examiner) VALUES (?,?,?,?) ON CONFLICT(case_id) DO NOTHING",
		  err);
	if (rc != FG_OK)
		return rc;
	fg_record_utc_now(utc, sizeof(utc));
	bind_text(st, 1, case_id);
	bind_text(st, 2, description);
	bind_text(st, 3, utc);
	bind_text(st, 4, db->examiner);
	rc = step_done(db, st, "adding the case", err);
	if (rc != FG_OK)
		return rc;
	*created = sqlite3_changes(db->h) > 0;
	if (!*created)
		return FG_OK;
	rc = details_case(db, case_id, &d, err);
	if (rc != FG_OK)
		return rc;
	return event_append(db, "case-created", case_id, NULL, 0, d, err);
}

static int evidence_ensure_tx(struct fg_casedb *db, const char *case_id,
			      const char *evidence_id,
			      const char *description, int *created,
			      struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *d = NULL;
	char utc[32];
	int rc, case_created;

	rc = case_ensure_tx(db, case_id, NULL, &case_created, err);
	if (rc != FG_OK)
		return rc;
	rc = prep(db, &st,
		  "INSERT INTO evidence(case_id, evidence_id, description, "
		  "created_utc, examiner) VALUES (?,?,?,?,?) "
		  "ON CONFLICT(case_id, evidence_id) DO NOTHING",
		  err);
	if (rc != FG_OK)
		return rc;
	fg_record_utc_now(utc, sizeof(utc));
	bind_text(st, 1, case_id);
	bind_text(st, 2, evidence_id);
	bind_text(st, 3, description);
	bind_text(st, 4, utc);
	bind_text(st, 5, db->examiner);
	rc = step_done(db, st, "adding the evidence item", err);
	if (rc != FG_OK)
		return rc;
	*created = sqlite3_changes(db->h) > 0;
	if (!*created)
		return FG_OK;
	rc = details_evidence(db, case_id, evidence_id, &d, err);
	if (rc != FG_OK)
		return rc;
	return event_append(db, "evidence-added", case_id, evidence_id, 0, d,
			    err);
}

int fg_casedb_case_ensure(struct fg_casedb *db, const char *case_id,
			  const char *description, int *created,
			  struct fg_error *err)
{
	int rc, c = 0;

	if (case_id == NULL || *case_id == '\0')
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: empty case id");
	rc = tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = case_ensure_tx(db, case_id, description, &c, err);
	if (rc == FG_OK)
		rc = tx_commit(db, err);
	else
		tx_rollback(db);
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
	rc = tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = evidence_ensure_tx(db, case_id, evidence_id, description, &c,
				err);
	if (rc == FG_OK)
		rc = tx_commit(db, err);
	else
		tx_rollback(db);
	if (created != NULL)
		*created = rc == FG_OK ? c : 0;
	return rc;
}

int fg_casedb_only_case(struct fg_casedb *db, char **case_id,
			int64_t *ncases, struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*case_id = NULL;
	*ncases = 0;
	rc = pragma_int(db, "SELECT count(*) FROM cases", ncases, err);
	if (rc != FG_OK || *ncases != 1)
		return rc;
	rc = prep(db, &st, "SELECT case_id FROM cases", err);
	if (rc != FG_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*case_id = strdup(col_text(st, 0));
		rc = *case_id != NULL ? FG_OK : oom(err);
	} else {
		rc = db_fail(db, err, "reading the cases");
	}
	sqlite3_finalize(st);
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
static void bind_jint(sqlite3_stmt *st, int i, json_t *root, const char *key)
{
	json_t *v = jget(root, key);

	if (json_is_integer(v))
		bind_i64(st, i, (int64_t)json_integer_value(v));
	else if (json_is_boolean(v))
		bind_i64(st, i, json_is_true(v));
	else
		sqlite3_bind_null(st, i);
}

/* Bind the object at key as compact JSON text, or NULL. */
static int bind_jobj(sqlite3_stmt *st, int i, json_t *root, const char *key)
{
	json_t *v = jget(root, key);
	char *s;

	if (v == NULL) {
		sqlite3_bind_null(st, i);
		return FG_OK;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER |
				  JSON_ENCODE_ANY);
	if (s == NULL)
		return FG_ENOMEM;
	sqlite3_bind_text(st, i, s, -1, free);
	return FG_OK;
}

int fg_casedb_acquisition_begin(struct fg_casedb *db,
				const struct fg_record *rec, int64_t *acq_id,
				struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *j = NULL, *d = NULL;
	char *text = NULL, utc[32];
	const char *case_id, *evidence_id, *started;
	int rc, created;
	int64_t id = 0;

	*acq_id = 0;
	j = record_json(rec, &text);
	if (j == NULL) {
		rc = oom(err);
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
	rc = tx_begin(db, err);
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
	rc = prep(db, &st,
		  "INSERT INTO acquisitions(case_id, evidence_id, examiner, "
		  "status, started_utc, tool_name, tool_version, host, pid, "
		  "boot_id, proc_start, command_line, source_path, "
		  "source_kind, source_size, source_total_size, "
		  "source_offset, logical_sector_size, physical_sector_size, "
		  "model, serial, format, parameters, write_block, "
		  "no_write_block, record_start) VALUES "
		  "(?,?,?,'running',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
		  "?)",
		  err);
	if (rc != FG_OK)
		goto fail;
	bind_text(st, 1, case_id);
	bind_text(st, 2, evidence_id);
	bind_text(st, 3, db->examiner);
	bind_text(st, 4, started);
	bind_text(st, 5, jstr(j, "tool.name"));
	bind_text(st, 6, jstr(j, "tool.version"));
	bind_text(st, 7, jstr(j, "run.host"));
	bind_i64(st, 8, (int64_t)getpid());
	bind_text(st, 9, db->boot_id[0] ? db->boot_id : NULL);
	bind_i64(st, 10, proc_start_time((long)getpid()));
	bind_text(st, 11, jstr(j, "run.command_line"));
	bind_text(st, 12, jstr(j, "source.path"));
	bind_text(st, 13, jstr(j, "source.kind"));
	bind_jint(st, 14, j, "source.size");
	bind_jint(st, 15, j, "source.total_size");
	bind_jint(st, 16, j, "source.offset");
	bind_jint(st, 17, j, "source.logical_sector_size");
	bind_jint(st, 18, j, "source.physical_sector_size");
	bind_text(st, 19, jstr(j, "source.model"));
	bind_text(st, 20, jstr(j, "source.serial"));
	bind_text(st, 21, jstr(j, "parameters.format"));
	if (bind_jobj(st, 22, j, "parameters") != FG_OK ||
	    bind_jobj(st, 23, j, "write_block") != FG_OK) {
		rc = oom(err);
		goto fail;
	}
	bind_jint(st, 24, j, "parameters.no_write_block");
	bind_text(st, 25, text);
	rc = step_done(db, st, "adding the acquisition", err);
	st = NULL;
	if (rc != FG_OK)
		goto fail;
	id = sqlite3_last_insert_rowid(db->h);
	rc = details_acq_started(db, id, &d, err);
	if (rc == FG_OK)
		rc = event_append(db, "acquisition-started", case_id,
				  evidence_id, id, d, err);
	if (rc != FG_OK)
		goto fail;
	rc = tx_commit(db, err);
	if (rc == FG_OK)
		*acq_id = id;
	goto out;
fail:
	sqlite3_finalize(st);
	tx_rollback(db);
out:
	json_decref(j);
	free(text);
	return rc;
}

/* Inside a transaction: is acquisition id running?  FG_ESTATE if not. */
static int acq_running(struct fg_casedb *db, int64_t id,
		       struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(db, &st, "SELECT status FROM acquisitions WHERE id = ?",
		      err);

	if (rc != FG_OK)
		return rc;
	bind_i64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && strcmp(col_text(st, 0), "running") == 0)
		rc = FG_OK;
	else if (rc == SQLITE_ROW)
		rc = fg_error_set(err, FG_ESTATE, 0,
				  "case database %s: acquisition %lld is "
				  "%s, not running; it is never changed",
				  db->path, (long long)id, col_text(st, 0));
	else if (rc == SQLITE_DONE)
		rc = fg_error_set(err, FG_ESTATE, 0,
				  "case database %s: no acquisition %lld",
				  db->path, (long long)id);
	else
		rc = db_fail(db, err, "reading the acquisition");
	sqlite3_finalize(st);
	return rc;
}

static int add_output_tx(struct fg_casedb *db, int64_t acq, const char *path,
			 uint64_t size, const char *md5, const char *sha256,
			 struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(db, &st,
		      "INSERT INTO outputs(acquisition_id, path, size, md5, "
		      "sha256) VALUES (?,?,?,?,?)",
		      err);

	if (rc != FG_OK)
		return rc;
	bind_i64(st, 1, acq);
	bind_text(st, 2, path);
	bind_i64(st, 3, (int64_t)size);
	bind_text(st, 4, md5 && *md5 ? md5 : NULL);
	bind_text(st, 5, sha256 && *sha256 ? sha256 : NULL);
	return step_done(db, st, "adding an output file", err);
}

static int add_media_hash_tx(struct fg_casedb *db, int64_t acq,
			     const char *alg, const char *hex,
			     struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(db, &st,
		      "INSERT INTO media_hashes(acquisition_id, algorithm, hex) "
		      "VALUES (?,?,?)",
		      err);

	if (rc != FG_OK)
		return rc;
	bind_i64(st, 1, acq);
	bind_text(st, 2, alg);
	bind_text(st, 3, hex);
	return step_done(db, st, "adding a media hash", err);
}

static int add_bad_range_tx(struct fg_casedb *db, int64_t acq, uint64_t lba,
			    uint64_t count, struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(db, &st,
		      "INSERT INTO bad_ranges(acquisition_id, first_lba, count) "
		      "VALUES (?,?,?)",
		      err);

	if (rc != FG_OK)
		return rc;
	bind_i64(st, 1, acq);
	bind_i64(st, 2, (int64_t)lba);
	bind_i64(st, 3, (int64_t)count);
	return step_done(db, st, "adding a bad range", err);
}

static int add_windows_tx(struct fg_casedb *db, int64_t acq, const char *alg,
			  uint64_t wsize, uint64_t media, uint64_t first,
			  const char *const *hex, size_t n,
			  struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	if (wsize == 0 && n > 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: hash windows of size 0");
	rc = prep(db, &st,
		  "INSERT INTO hash_windows(acquisition_id, algorithm, idx, "
		  "offset, length, hex) VALUES (?,?,?,?,?,?)",
		  err);
	if (rc != FG_OK)
		return rc;
	for (i = 0; i < n; i++) {
		uint64_t idx = first + i, off = idx * wsize;
		uint64_t len = media > off ? media - off : 0;
		if (len > wsize)
			len = wsize;
		sqlite3_reset(st);
		bind_i64(st, 1, acq);
		bind_text(st, 2, alg);
		bind_i64(st, 3, (int64_t)idx);
		bind_i64(st, 4, (int64_t)off);
		bind_i64(st, 5, (int64_t)len);
		bind_text(st, 6, hex[i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = db_fail(db, err, "adding a hash window");
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	return FG_OK;
}


/* Everything the final record lists, inside the transaction: the detail
 * rows first (the triggers accept them only while the row is running),
 * then the row itself. */
static int end_from_record(struct fg_casedb *db, int64_t id, json_t *j,
			   const char *text, struct fg_error *err)
{
	static const char *const algs[] = {"md5", "sha1", "sha256"};
	sqlite3_stmt *st = NULL;
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
	for (i = 0; i < 3; i++) {
		char key[32];
		const char *hex;
		snprintf(key, sizeof(key), "hashes.%s", algs[i]);
		hex = jstr(j, key);
		if (hex != NULL && *hex != '\0' &&
		    (rc = add_media_hash_tx(db, id, algs[i], hex, err)) != FG_OK)
			return rc;
	}
	arr = jget(j, "hash_windows.sha256");
	if (json_is_array(arr) && json_array_size(arr) > 0) {
		size_t n = json_array_size(arr);
		const char **hex = calloc(n, sizeof(*hex));
		json_t *ws = jget(j, "hash_windows.size");
		json_t *mb = jget(j, "hashes.bytes");
		if (hex == NULL)
			return oom(err);
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
	rc = prep(db, &st,
		  "UPDATE acquisitions SET status = ?, exit_code = ?, "
		  "message = ?, finished_utc = ?, duration_seconds = ?, "
		  "write_block = ?, bytes = ?, sectors_filled = ?, "
		  "record_final = ? WHERE id = ?",
		  err);
	if (rc != FG_OK)
		return rc;
	bind_text(st, 1, jstr(j, "result.status"));
	bind_jint(st, 2, j, "result.exit_code");
	bind_text(st, 3, jstr(j, "result.message"));
	bind_text(st, 4, jstr(j, "run.finished_utc"));
	bind_jint(st, 5, j, "run.duration_seconds");
	if (bind_jobj(st, 6, j, "write_block") != FG_OK) {
		sqlite3_finalize(st);
		return oom(err);
	}
	bind_jint(st, 7, j, "reading.bytes");
	bind_jint(st, 8, j, "reading.sectors_filled");
	bind_text(st, 9, text);
	bind_i64(st, 10, id);
	return step_done(db, st, "completing the acquisition", err);
}

/* The case and evidence ids of acquisition id (malloc'd, NULL when none). */
static int acq_ids(struct fg_casedb *db, int64_t id, char **case_id,
		   char **evidence_id, struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*case_id = *evidence_id = NULL;
	rc = prep(db, &st,
		  "SELECT case_id, evidence_id FROM acquisitions WHERE id = ?",
		  err);
	if (rc != FG_OK)
		return rc;
	bind_i64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (col_text(st, 0) != NULL)
			*case_id = strdup(col_text(st, 0));
		if (col_text(st, 1) != NULL)
			*evidence_id = strdup(col_text(st, 1));
		rc = FG_OK;
		if ((col_text(st, 0) != NULL && *case_id == NULL) ||
		    (col_text(st, 1) != NULL && *evidence_id == NULL))
			rc = oom(err);
	} else if (rc == SQLITE_DONE) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "case database %s: no acquisition %lld",
				  db->path, (long long)id);
	} else {
		rc = db_fail(db, err, "reading the acquisition");
	}
	sqlite3_finalize(st);
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
		return oom(err);
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
	rc = tx_begin(db, err);
	if (rc != FG_OK)
		goto out;
	rc = acq_running(db, acq_id, err);
	if (rc == FG_OK)
		rc = acq_ids(db, acq_id, &case_id, &evidence_id, err);
	if (rc == FG_OK)
		rc = end_from_record(db, acq_id, j, text, err);
	if (rc == FG_OK)
		rc = details_acq_completed(db, acq_id, &d, err);
	if (rc == FG_OK)
		rc = event_append(db, "acquisition-completed", case_id,
				  evidence_id, acq_id, d, err);
	if (rc == FG_OK)
		rc = tx_commit(db, err);
	else
		tx_rollback(db);
out:
	json_decref(j);
	free(text);
	free(case_id);
	free(evidence_id);
	return rc;
}

int fg_casedb_add_output(struct fg_casedb *db, int64_t acq_id,
			 const char *path, uint64_t size, const char *md5,
			 const char *sha256, struct fg_error *err)
{
	int rc;

	if (path == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: output without a path");
	rc = tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = acq_running(db, acq_id, err);
	if (rc == FG_OK)
		rc = add_output_tx(db, acq_id, path, size, md5, sha256, err);
	if (rc == FG_OK)
		return tx_commit(db, err);
	tx_rollback(db);
	return rc;
}

int fg_casedb_add_media_hash(struct fg_casedb *db, int64_t acq_id,
			     const char *algorithm, const char *hex,
			     struct fg_error *err)
{
	int rc;

	if (algorithm == NULL || hex == NULL ||
	    (strcmp(algorithm, "md5") != 0 && strcmp(algorithm, "sha1") != 0 &&
	     strcmp(algorithm, "sha256") != 0))
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: media hash needs md5, "
				    "sha1 or sha256 and a value");
	rc = tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = acq_running(db, acq_id, err);
	if (rc == FG_OK)
		rc = add_media_hash_tx(db, acq_id, algorithm, hex, err);
	if (rc == FG_OK)
		return tx_commit(db, err);
	tx_rollback(db);
	return rc;
}

int fg_casedb_add_bad_range(struct fg_casedb *db, int64_t acq_id,
			    uint64_t first_lba, uint64_t count,
			    struct fg_error *err)
{
	int rc;

	if (count == 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: bad range of 0 sectors");
	rc = tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = acq_running(db, acq_id, err);
	if (rc == FG_OK)
		rc = add_bad_range_tx(db, acq_id, first_lba, count, err);
	if (rc == FG_OK)
		return tx_commit(db, err);
	tx_rollback(db);
	return rc;
}

int fg_casedb_add_hash_windows(struct fg_casedb *db, int64_t acq_id,
			       const char *algorithm, uint64_t window_size,
			       uint64_t media_bytes, uint64_t first_index,
			       const char *const *hex, size_t n,
			       struct fg_error *err)
{
	int rc;

	if (algorithm == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: hash windows without an "
				    "algorithm");
	rc = tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = acq_running(db, acq_id, err);
	if (rc == FG_OK)
		rc = add_windows_tx(db, acq_id, algorithm, window_size,
				    media_bytes, first_index, hex, n, err);
	if (rc == FG_OK)
		return tx_commit(db, err);
	tx_rollback(db);
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
	sqlite3_stmt *st = NULL;
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
	rc = tx_begin(db, err);
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
	rc = prep(db, &st,
		  "INSERT INTO verifications(acquisition_id, case_id, "
		  "evidence_id, examiner, started_utc, finished_utc, target, "
		  "method, result, exit_code, message, record) VALUES "
		  "(?,?,?,?,?,?,?,?,?,?,?,?)",
		  err);
	if (rc != FG_OK)
		goto fail;
	if (v->acquisition_id > 0)
		bind_i64(st, 1, v->acquisition_id);
	else
		sqlite3_bind_null(st, 1);
	bind_text(st, 2, case_id);
	bind_text(st, 3, evidence_id);
	bind_text(st, 4, db->examiner);
	bind_text(st, 5, v->started_utc ? v->started_utc : now);
	bind_text(st, 6, v->finished_utc ? v->finished_utc : now);
	bind_text(st, 7, v->target);
	bind_text(st, 8, v->method);
	bind_text(st, 9, v->result);
	bind_i64(st, 10, v->exit_code);
	bind_text(st, 11, v->message);
	bind_text(st, 12, v->record_json);
	rc = step_done(db, st, "adding the verification", err);
	st = NULL;
	if (rc != FG_OK)
		goto fail;
	id = sqlite3_last_insert_rowid(db->h);
	for (i = 0; i < nhashes; i++) {
		const struct fg_casedb_verify_hash *h = &hashes[i];
		rc = prep(db, &st,
			  "INSERT INTO verification_hashes(verification_id, "
			  "file, algorithm, expected, computed, match, what, "
			  "source) VALUES (?,?,?,?,?,?,?,?)",
			  err);
		if (rc != FG_OK)
			goto fail;
		bind_i64(st, 1, id);
		bind_text(st, 2, h->file);
		bind_text(st, 3, h->algorithm ? h->algorithm : "");
		bind_text(st, 4, h->expected);
		bind_text(st, 5, h->computed);
		bind_i64(st, 6, h->match ? 1 : 0);
		bind_text(st, 7, h->what);
		bind_text(st, 8, h->source);
		rc = step_done(db, st, "adding a verified hash", err);
		st = NULL;
		if (rc != FG_OK)
			goto fail;
	}
	for (i = 0; i < ndiffs; i++) {
		const struct fg_casedb_verify_diff *x = &diffs[i];
		rc = prep(db, &st,
			  "INSERT INTO verification_diffs(verification_id, "
			  "file, offset, length, what) VALUES (?,?,?,?,?)",
			  err);
		if (rc != FG_OK)
			goto fail;
		bind_i64(st, 1, id);
		bind_text(st, 2, x->file);
		bind_i64(st, 3, (int64_t)x->offset);
		bind_i64(st, 4, (int64_t)x->length);
		bind_text(st, 5, x->what);
		rc = step_done(db, st, "adding a difference", err);
		st = NULL;
		if (rc != FG_OK)
			goto fail;
	}
	rc = details_verification(db, id, &d, err);
	if (rc == FG_OK)
		rc = event_append(db, "verification", case_id, evidence_id, id,
				  d, err);
	if (rc != FG_OK)
		goto fail;
	rc = tx_commit(db, err);
	if (rc == FG_OK && ver_id != NULL)
		*ver_id = id;
	goto out;
fail:
	sqlite3_finalize(st);
	tx_rollback(db);
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

int fg_casedb_custody_add(struct fg_casedb *db,
			  const struct fg_casedb_custody *c, int64_t *id,
			  struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	json_t *d = NULL;
	char now[32];
	int64_t cid;
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
	rc = tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = evidence_ensure_tx(db, c->case_id, c->evidence_id, NULL,
				&created, err);
	if (rc != FG_OK)
		goto fail;
	rc = prep(db, &st,
		  "INSERT INTO custody(case_id, evidence_id, utc, examiner, "
		  "action, from_party, to_party, location, reason) VALUES "
		  "(?,?,?,?,?,?,?,?,?)",
		  err);
	if (rc != FG_OK)
		goto fail;
	bind_text(st, 1, c->case_id);
	bind_text(st, 2, c->evidence_id);
	bind_text(st, 3, c->utc ? c->utc : now);
	bind_text(st, 4, db->examiner);
	bind_text(st, 5, c->action);
	bind_text(st, 6, c->from_party);
	bind_text(st, 7, c->to_party);
	bind_text(st, 8, c->location);
	bind_text(st, 9, c->reason);
	rc = step_done(db, st, "adding the custody event", err);
	if (rc != FG_OK)
		goto fail;
	cid = sqlite3_last_insert_rowid(db->h);
	rc = details_custody(db, cid, &d, err);
	if (rc == FG_OK)
		rc = event_append(db, "custody", c->case_id, c->evidence_id,
				  cid, d, err);
	if (rc != FG_OK)
		goto fail;
	rc = tx_commit(db, err);
	if (rc == FG_OK && id != NULL)
		*id = cid;
	return rc;
fail:
	tx_rollback(db);
	return rc;
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
static int audit_details(struct fg_casedb *db, sqlite3_stmt *ev, int *same,
			 char *why, size_t whylen, struct fg_error *err)
{
	const char *kind = col_text(ev, 2);
	json_t *stored, *now = NULL;
	int rc;

	*same = 0;
	stored = json_loads(col_text(ev, 7), 0, NULL);
	if (stored == NULL) {
		snprintf(why, whylen, "its details are not JSON");
		return FG_OK;
	}
	rc = details_for(db, kind, col_text(ev, 4), col_text(ev, 5),
			 sqlite3_column_int64(ev, 6), &now, err);
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

/* Rows that no event recorded: (sql giving one id or key per row, what). */
static const struct {
	const char *sql, *what, *after;
} uncovered[] = {
	{"SELECT case_id FROM cases WHERE case_id NOT IN (SELECT case_id "
	 "FROM events WHERE kind = 'case-created' AND case_id IS NOT NULL)",
	 "case ", " has no case-created event"},
	{"SELECT case_id || '/' || evidence_id FROM evidence v WHERE NOT "
	 "EXISTS (SELECT 1 FROM events e WHERE e.kind = 'evidence-added' AND "
	 "e.case_id = v.case_id AND e.evidence_id = v.evidence_id)",
	 "evidence item ", " has no evidence-added event"},
	{"SELECT id FROM acquisitions WHERE id NOT IN (SELECT subject_id "
	 "FROM events WHERE kind = 'acquisition-started')",
	 "acquisition ", " has no acquisition-started event"},
	{"SELECT id FROM acquisitions WHERE status <> 'running' AND id NOT "
	 "IN (SELECT subject_id FROM events WHERE kind = "
	 "'acquisition-completed')",
	 "acquisition ",
	 " is completed but has no acquisition-completed event"},
	{"SELECT id FROM custody WHERE id NOT IN (SELECT subject_id FROM "
	 "events WHERE kind = 'custody')",
	 "custody row ", " has no custody event"},
	{"SELECT id FROM verifications WHERE id NOT IN (SELECT subject_id "
	 "FROM events WHERE kind = 'verification')",
	 "verification ", " has no verification event"},
};

static int audit_run(struct fg_casedb *db, struct fg_casedb_audit *a,
		     struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	char prev[FG_HASH_HEX_MAX], hex[FG_HASH_HEX_MAX], missing[256] = "";
	int64_t want = 1;
	size_t i;
	int rc;

	memset(a, 0, sizeof(*a));
	/* The guard triggers. */
	for (i = 0; guard_triggers[i] != NULL; i++) {
		int64_t n = 0;
		char sql[160];
		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM sqlite_master WHERE type = "
			 "'trigger' AND name = '%s'",
			 guard_triggers[i]);
		rc = pragma_int(db, sql, &n, err);
		if (rc != FG_OK)
			return rc;
		if (n == 0 && strlen(missing) + strlen(guard_triggers[i]) + 3 <
				      sizeof(missing)) {
			size_t k = strlen(missing);
			snprintf(missing + k, sizeof(missing) - k, "%s%s",
				 k ? ", " : "", guard_triggers[i]);
		}
	}
	/* The chain. */
	snprintf(prev, sizeof(prev), "%s", zero_sha256);
	rc = prep(db, &st,
		  "SELECT id, utc, kind, examiner, case_id, evidence_id, "
		  "subject_id, details, prev_sha256, sha256 FROM events ORDER "
		  "BY id",
		  err);
	if (rc != FG_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *stored = col_text(st, 9);
		const char *sprev = col_text(st, 8);
		char *canon, why[200];
		size_t clen;
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
		canon = fg_casedb_event_canonical(
			id, col_text(st, 1), col_text(st, 2), col_text(st, 3),
			col_text(st, 4), col_text(st, 5),
			sqlite3_column_int64(st, 6), col_text(st, 7), sprev,
			&clen);
		if (canon == NULL) {
			rc = oom(err);
			goto out;
		}
		rc = sha256_hex(canon, clen, hex, err);
		free(canon);
		if (rc != FG_OK)
			goto out;
		if (stored == NULL || strcmp(stored, hex) != 0) {
			rc = audit_broken(a, err, id,
					  "event %lld (%s): its content does "
					  "not match its sha256: edited after "
					  "it was written",
					  (long long)id, col_text(st, 2));
			goto out;
		}
		rc = audit_details(db, st, &same, why, sizeof(why), err);
		if (rc != FG_OK)
			goto out;
		if (!same) {
			rc = audit_broken(a, err, id,
					  "event %lld (%s%s%s): %s",
					  (long long)id, col_text(st, 2),
					  sqlite3_column_type(st, 6) ==
							  SQLITE_NULL
						  ? ""
						  : " of row ",
					  sqlite3_column_type(st, 6) ==
							  SQLITE_NULL
						  ? ""
						  : col_text(st, 6),
					  why);
			goto out;
		}
		snprintf(prev, sizeof(prev), "%s", stored);
		a->events++;
		want++;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, "reading the event log");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (a->events > 0)
		snprintf(a->head_sha256, sizeof(a->head_sha256), "%.64s", prev);
	/* Rows no event recorded. */
	for (i = 0; i < sizeof(uncovered) / sizeof(uncovered[0]); i++) {
		rc = prep(db, &st, uncovered[i].sql, err);
		if (rc != FG_OK)
			goto out;
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			char what[300];
			snprintf(what, sizeof(what), "%s%s%s",
				 uncovered[i].what, col_text(st, 0),
				 uncovered[i].after);
			rc = audit_broken(a, err, 0,
					  "%s (added outside forage?)", what);
			goto out;
		}
		if (rc != SQLITE_DONE) {
			rc = db_fail(db, err, "reading");
			goto out;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	rc = FG_OK;
	if (missing[0] != '\0')
		rc = audit_broken(a, err, 0,
				  "all %lld events are intact, but the "
				  "triggers that refuse changes were "
				  "removed: %s",
				  (long long)a->events, missing);
out:
	sqlite3_finalize(st);
	if (rc == FG_EMISMATCH && missing[0] != '\0' && a->first_bad_id != 0) {
		size_t k = strlen(a->problem);
		snprintf(a->problem + k, sizeof(a->problem) - k,
			 "; the triggers that refuse changes were removed");
		fg_error_set(err, FG_EMISMATCH, 0, "%s", a->problem);
	}
	return rc;
}

/* ---- Reading ----------------------------------------------------------- */

/* What a person should be told about an acquisition's status. */
static const char *acq_state(struct fg_casedb *db, const char *status,
			     const char *host, const char *boot_id,
			     int64_t pid, int64_t start, int *never)
{
	*never = 0;
	if (status == NULL || strcmp(status, "running") != 0)
		return status;
	if (host == NULL || strcmp(host, db->host) != 0)
		return "running"; /* another host: cannot tell */
	if (boot_id == NULL || strcmp(boot_id, db->boot_id) != 0 || pid <= 0 ||
	    proc_start_time((long)pid) != start) {
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
	} fn;
};

/* Hand every row of st to row(); the callback's non-zero answer stops
 * the walk and is returned.  Finalizes st. */
static int each_row(sqlite3_stmt *st,
		    int (*row)(sqlite3_stmt *st, const struct each *e),
		    const struct each *e, const char *what,
		    struct fg_error *err)
{
	int rc, r;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((r = row(st, e)) != 0) {
			sqlite3_finalize(st);
			return r;
		}
	}
	rc = rc == SQLITE_DONE ? FG_OK : db_fail(e->db, err, what);
	sqlite3_finalize(st);
	return rc;
}

/* Prepare sql and bind up to two texts (?1, ?2) and an integer (?3). */
static int prep_each(struct fg_casedb *db, sqlite3_stmt **st,
		     const char *sql, const char *t1, const char *t2,
		     int64_t i3, struct fg_error *err)
{
	int rc = prep(db, st, sql, err);

	if (rc != FG_OK)
		return rc;
	if (sqlite3_bind_parameter_count(*st) >= 1)
		bind_text(*st, 1, t1);
	if (sqlite3_bind_parameter_count(*st) >= 2)
		bind_text(*st, 2, t2);
	if (sqlite3_bind_parameter_count(*st) >= 3)
		bind_i64(*st, 3, i3);
	return FG_OK;
}

static int row_case(sqlite3_stmt *st, const struct each *e)
{
	struct fg_casedb_case c;

	c.case_id = col_text(st, 0);
	c.description = col_text(st, 1);
	c.created_utc = col_text(st, 2);
	c.examiner = col_text(st, 3);
	c.evidence_items = sqlite3_column_int64(st, 4);
	c.acquisitions = sqlite3_column_int64(st, 5);
	return e->fn.cases(e->ctx, &c);
}

int fg_casedb_cases_each(struct fg_casedb *db, fg_casedb_case_fn fn,
			 void *ctx, struct fg_error *err)
{
	struct each e = {db, ctx, {.cases = fn}};
	sqlite3_stmt *st = NULL;
	int rc = prep_each(db, &st,
			   "SELECT case_id, description, created_utc, "
			   "examiner, (SELECT count(*) FROM evidence e WHERE "
			   "e.case_id = c.case_id), (SELECT count(*) FROM "
			   "acquisitions a WHERE a.case_id = c.case_id) FROM "
			   "cases c ORDER BY created_utc, case_id",
			   NULL, NULL, 0, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_case, &e, "reading the cases",
				      err);
}

static int row_evidence(sqlite3_stmt *st, const struct each *e)
{
	struct fg_casedb_evidence v;

	v.case_id = col_text(st, 0);
	v.evidence_id = col_text(st, 1);
	v.description = col_text(st, 2);
	v.created_utc = col_text(st, 3);
	v.examiner = col_text(st, 4);
	return e->fn.evidence(e->ctx, &v);
}

int fg_casedb_evidence_each(struct fg_casedb *db, const char *case_id,
			    fg_casedb_evidence_fn fn, void *ctx,
			    struct fg_error *err)
{
	struct each e = {db, ctx, {.evidence = fn}};
	sqlite3_stmt *st = NULL;
	int rc = prep_each(db, &st,
			   "SELECT case_id, evidence_id, description, "
			   "created_utc, examiner FROM evidence WHERE ?1 IS "
			   "NULL OR case_id = ?1 ORDER BY case_id, "
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
	"CASE WHEN json_valid(write_block) THEN "
	"json_extract(write_block, '$.state') END, "
	"(SELECT hex FROM media_hashes m WHERE m.acquisition_id = a.id AND "
	"m.algorithm = 'md5'), "
	"(SELECT hex FROM media_hashes m WHERE m.acquisition_id = a.id AND "
	"m.algorithm = 'sha1'), "
	"(SELECT hex FROM media_hashes m WHERE m.acquisition_id = a.id AND "
	"m.algorithm = 'sha256') "
	"FROM acquisitions a WHERE (?1 IS NULL OR case_id = ?1) AND "
	"(?2 IS NULL OR evidence_id = ?2) AND (?3 = 0 OR id = ?3) ORDER BY id";

static int row_acq(sqlite3_stmt *st, const struct each *e)
{
	struct fg_casedb_acquisition a;

	memset(&a, 0, sizeof(a));
	a.id = sqlite3_column_int64(st, 0);
	a.case_id = col_text(st, 1);
	a.evidence_id = col_text(st, 2);
	a.examiner = col_text(st, 3);
	a.status = col_text(st, 4);
	a.exit_code = sqlite3_column_type(st, 5) == SQLITE_NULL
			      ? -1
			      : sqlite3_column_int(st, 5);
	a.message = col_text(st, 6);
	a.started_utc = col_text(st, 7);
	a.finished_utc = col_text(st, 8);
	a.tool_name = col_text(st, 9);
	a.tool_version = col_text(st, 10);
	a.host = col_text(st, 11);
	a.command_line = col_text(st, 12);
	a.source_path = col_text(st, 13);
	a.source_kind = col_text(st, 14);
	a.model = col_text(st, 15);
	a.serial = col_text(st, 16);
	a.source_size = col_u64(st, 17);
	a.source_offset = col_u64(st, 18);
	a.logical_sector_size = (uint32_t)col_u64(st, 19);
	a.physical_sector_size = (uint32_t)col_u64(st, 20);
	a.format = col_text(st, 21);
	a.parameters = col_text(st, 22);
	a.write_block = col_text(st, 23);
	a.no_write_block = sqlite3_column_int(st, 24);
	a.bytes = col_u64(st, 25);
	a.sectors_filled = col_u64(st, 26);
	a.record_final = col_text(st, 27);
	a.write_block_state = col_text(st, 31);
	a.md5 = col_text(st, 32);
	a.sha1 = col_text(st, 33);
	a.sha256 = col_text(st, 34);
	a.state = acq_state(e->db, a.status, a.host, col_text(st, 29),
			    sqlite3_column_int64(st, 28),
			    sqlite3_column_int64(st, 30), &a.never_completed);
	return e->fn.acq(e->ctx, &a);
}

int fg_casedb_acquisitions_each(struct fg_casedb *db, const char *case_id,
				const char *evidence_id, int64_t acq_id,
				fg_casedb_acquisition_fn fn, void *ctx,
				struct fg_error *err)
{
	struct each e = {db, ctx, {.acq = fn}};
	sqlite3_stmt *st = NULL;
	int rc = prep_each(db, &st, acq_select, case_id, evidence_id, acq_id,
			   err);

	return rc != FG_OK ? rc
			   : each_row(st, row_acq, &e,
				      "reading the acquisitions", err);
}

static int row_output(sqlite3_stmt *st, const struct each *e)
{
	struct fg_casedb_output o;

	o.acquisition_id = sqlite3_column_int64(st, 0);
	o.path = col_text(st, 1);
	o.md5 = col_text(st, 2);
	o.sha256 = col_text(st, 3);
	o.size = col_u64(st, 4);
	return e->fn.output(e->ctx, &o);
}

int fg_casedb_outputs_each(struct fg_casedb *db, int64_t acq_id,
			   fg_casedb_output_fn fn, void *ctx,
			   struct fg_error *err)
{
	struct each e = {db, ctx, {.output = fn}};
	sqlite3_stmt *st = NULL;
	int rc = prep_each(db, &st,
			   "SELECT acquisition_id, path, md5, sha256, size "
			   "FROM outputs WHERE ?3 = acquisition_id ORDER BY id",
			   NULL, NULL, acq_id, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_output, &e, "reading outputs",
				      err);
}

static int row_window(sqlite3_stmt *st, const struct each *e)
{
	struct fg_casedb_window w;

	w.acquisition_id = sqlite3_column_int64(st, 0);
	w.index = col_u64(st, 1);
	w.offset = col_u64(st, 2);
	w.length = col_u64(st, 3);
	w.algorithm = col_text(st, 4);
	w.hex = col_text(st, 5);
	return e->fn.window(e->ctx, &w);
}

int fg_casedb_hash_windows_each(struct fg_casedb *db, int64_t acq_id,
				fg_casedb_window_fn fn, void *ctx,
				struct fg_error *err)
{
	struct each e = {db, ctx, {.window = fn}};
	sqlite3_stmt *st = NULL;
	int rc = prep_each(db, &st,
			   "SELECT acquisition_id, idx, offset, length, "
			   "algorithm, hex FROM hash_windows WHERE ?3 = "
			   "acquisition_id ORDER BY "
			   "algorithm, idx",
			   NULL, NULL, acq_id, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_window, &e,
				      "reading hash windows", err);
}

static int row_bad(sqlite3_stmt *st, const struct each *e)
{
	struct fg_casedb_bad_range b;

	b.acquisition_id = sqlite3_column_int64(st, 0);
	b.first_lba = col_u64(st, 1);
	b.count = col_u64(st, 2);
	return e->fn.bad(e->ctx, &b);
}

int fg_casedb_bad_ranges_each(struct fg_casedb *db, int64_t acq_id,
			      fg_casedb_bad_range_fn fn, void *ctx,
			      struct fg_error *err)
{
	struct each e = {db, ctx, {.bad = fn}};
	sqlite3_stmt *st = NULL;
	int rc = prep_each(db, &st,
			   "SELECT acquisition_id, first_lba, count FROM "
			   "bad_ranges WHERE ?3 = acquisition_id ORDER BY "
			   "first_lba, id",
			   NULL, NULL, acq_id, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_bad, &e, "reading bad ranges",
				      err);
}

static int row_custody(sqlite3_stmt *st, const struct each *e)
{
	struct fg_casedb_custody c;

	c.id = sqlite3_column_int64(st, 0);
	c.case_id = col_text(st, 1);
	c.evidence_id = col_text(st, 2);
	c.utc = col_text(st, 3);
	c.examiner = col_text(st, 4);
	c.action = col_text(st, 5);
	c.from_party = col_text(st, 6);
	c.to_party = col_text(st, 7);
	c.location = col_text(st, 8);
	c.reason = col_text(st, 9);
	return e->fn.custody(e->ctx, &c);
}

int fg_casedb_custody_each(struct fg_casedb *db, const char *case_id,
			   const char *evidence_id, fg_casedb_custody_fn fn,
			   void *ctx, struct fg_error *err)
{
	struct each e = {db, ctx, {.custody = fn}};
	sqlite3_stmt *st = NULL;
	int rc = prep_each(db, &st,
			   "SELECT id, case_id, evidence_id, utc, examiner, "
			   "action, from_party, to_party, location, reason "
			   "FROM custody WHERE (?1 IS NULL OR case_id = ?1) "
			   "AND (?2 IS NULL OR evidence_id = ?2) ORDER BY id",
			   case_id, evidence_id, 0, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_custody, &e, "reading custody",
				      err);
}

static int row_verif(sqlite3_stmt *st, const struct each *e)
{
	struct fg_casedb_verification_row v;

	memset(&v, 0, sizeof(v));
	v.id = sqlite3_column_int64(st, 0);
	v.v.acquisition_id = sqlite3_column_int64(st, 1);
	v.v.case_id = col_text(st, 2);
	v.v.evidence_id = col_text(st, 3);
	v.v.started_utc = col_text(st, 4);
	v.v.finished_utc = col_text(st, 5);
	v.v.target = col_text(st, 6);
	v.v.method = col_text(st, 7);
	v.v.result = col_text(st, 8);
	v.v.exit_code = sqlite3_column_int(st, 9);
	v.v.message = col_text(st, 10);
	v.v.record_json = col_text(st, 11);
	v.examiner = col_text(st, 12);
	return e->fn.verif(e->ctx, &v);
}

int fg_casedb_verifications_each(struct fg_casedb *db, const char *case_id,
				 const char *evidence_id,
				 fg_casedb_verification_fn fn, void *ctx,
				 struct fg_error *err)
{
	struct each e = {db, ctx, {.verif = fn}};
	sqlite3_stmt *st = NULL;
	int rc = prep_each(db, &st,
			   "SELECT id, acquisition_id, case_id, evidence_id, "
			   "started_utc, finished_utc, target, method, "
			   "result, exit_code, message, record, examiner "
			   "FROM verifications WHERE (?1 IS NULL OR case_id = "
			   "?1) AND (?2 IS NULL OR evidence_id = ?2) ORDER BY "
			   "id",
			   case_id, evidence_id, 0, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_verif, &e,
				      "reading verifications", err);
}

static int row_vhash(sqlite3_stmt *st, const struct each *e)
{
	struct fg_casedb_verify_hash h;

	memset(&h, 0, sizeof(h));
	h.file = col_text(st, 0);
	h.algorithm = col_text(st, 1);
	h.expected = col_text(st, 2);
	h.computed = col_text(st, 3);
	h.match = sqlite3_column_int(st, 4);
	h.what = col_text(st, 5);
	h.source = col_text(st, 6);
	return e->fn.vhash(e->ctx, &h);
}

int fg_casedb_verify_hashes_each(struct fg_casedb *db, int64_t ver_id,
				 fg_casedb_verify_hash_fn fn, void *ctx,
				 struct fg_error *err)
{
	struct each e = {db, ctx, {.vhash = fn}};
	sqlite3_stmt *st = NULL;
	int rc = prep_each(db, &st,
			   db->version < 2
				   ? "SELECT file, algorithm, expected, "
				     "computed, match, NULL, NULL FROM "
				     "verification_hashes WHERE "
				     "verification_id = ?3 ORDER BY id"
				   : "SELECT file, algorithm, expected, "
				     "computed, match, what, source FROM "
				     "verification_hashes WHERE "
				     "verification_id = ?3 ORDER BY id",
			   NULL, NULL, ver_id, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_vhash, &e,
				      "reading verified hashes", err);
}

static int row_event(sqlite3_stmt *st, const struct each *e)
{
	struct fg_casedb_event v;

	v.id = sqlite3_column_int64(st, 0);
	v.utc = col_text(st, 1);
	v.kind = col_text(st, 2);
	v.examiner = col_text(st, 3);
	v.case_id = col_text(st, 4);
	v.evidence_id = col_text(st, 5);
	v.subject_id = sqlite3_column_int64(st, 6);
	v.details = col_text(st, 7);
	v.prev_sha256 = col_text(st, 8);
	v.sha256 = col_text(st, 9);
	return e->fn.event(e->ctx, &v);
}

int fg_casedb_events_each(struct fg_casedb *db, const char *case_id,
			  fg_casedb_event_fn fn, void *ctx,
			  struct fg_error *err)
{
	struct each e = {db, ctx, {.event = fn}};
	sqlite3_stmt *st = NULL;
	int rc = prep_each(db, &st,
			   "SELECT id, utc, kind, examiner, case_id, "
			   "evidence_id, subject_id, details, prev_sha256, "
			   "sha256 FROM events WHERE ?1 IS NULL OR case_id = "
			   "?1 ORDER BY id",
			   case_id, NULL, 0, err);

	return rc != FG_OK ? rc
			   : each_row(st, row_event, &e, "reading events",
				      err);
}

/* ---- Export ------------------------------------------------------------ */

/* Rows of sql bound to up to two texts (NULL binds NULL). */
static int text_rows(struct fg_casedb *db, const char *sql, const char *k1,
		     const char *k2, json_t **out, struct fg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(db, &st, sql, err);

	*out = NULL;
	if (rc != FG_OK)
		return rc;
	bind_text(st, 1, k1);
	bind_text(st, 2, k2);
	return rows_array(db, st, 0, out, err);
}

/* Acquisitions matching "WHERE <where>" (bound to k1, k2) as objects. */
/* What belongs to acquisition id, added to its object o. */
static int export_acq_rows(struct fg_casedb *db, json_t *o, int64_t id,
			   unsigned flags, const char *rtext,
			   struct fg_error *err)
{
	json_t *v = NULL;
	int rc;

	rc = media_hashes(db, id, &v, err);
	if (rc == FG_OK)
		rc = set_sub(o, "media_hashes", v, err);
	if (rc == FG_OK)
		rc = add_subs(db, o, id, acq_subs, err);
	if (rc == FG_OK && (flags & FG_CASEDB_EXPORT_WINDOWS)) {
		rc = id_rows(db,
			     "SELECT algorithm, idx, offset, length, hex FROM "
			     "hash_windows WHERE acquisition_id = ? ORDER BY "
			     "algorithm, idx",
			     id, 0, &v, err);
		if (rc == FG_OK)
			rc = set_sub(o, "hash_windows", v, err);
	} else if (rc == FG_OK) {
		rc = id_rows(db,
			     "SELECT count(*) FROM hash_windows WHERE "
			     "acquisition_id = ?",
			     id, 1, &v, err);
		if (rc == FG_OK)
			rc = set_sub(o, "hash_window_count",
				     json_incref(json_array_get(v, 0)), err);
		json_decref(v);
	}
	if (rc == FG_OK && (flags & FG_CASEDB_EXPORT_RECORDS) &&
	    rtext != NULL) {
		json_t *r = json_loads(rtext, 0, NULL);
		rc = set_sub(o, "record", r != NULL ? r : json_string(rtext),
			     err);
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
		return oom(err);
	}
	rc = prep(db, &st, sql, err);
	free(sql);
	if (rc != FG_OK) {
		json_decref(arr);
		return rc;
	}
	bind_text(st, 1, k1);
	bind_text(st, 2, k2);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int never;
		const char *state = acq_state(
			db, col_text(st, 4), col_text(st, 12), col_text(st, 30),
			sqlite3_column_int64(st, 13),
			sqlite3_column_int64(st, 31), &never);
		const char *rtext = col_text(st, 33) ? col_text(st, 33)
						     : col_text(st, 32);

		o = row_object(st);
		if (o == NULL) {
			rc = oom(err);
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
		rc = set_sub(o, "state", json_string(state), err);
		if (rc == FG_OK)
			rc = set_sub(o, "never_completed",
				     json_boolean(never), err);
		if (rc == FG_OK)
			rc = export_acq_rows(db, o, id, flags, rtext, err);
		if (rc != FG_OK)
			goto out;
		if (json_array_append_new(arr, o) != 0) {
			o = NULL;
			rc = oom(err);
			goto out;
		}
		o = NULL;
	}
	rc = rc == SQLITE_DONE ? FG_OK
			       : db_fail(db, err, "reading the acquisitions");
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
		return oom(err);
	rc = text_rows(db, sql, k1, k2, &arr, err);
	free(sql);
	if (rc != FG_OK)
		return rc;
	json_array_foreach(arr, i, e) {
		rc = add_subs(db, e, json_integer_value(json_object_get(e, "id")),
			      verif_subs_of(db), err);
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
			rc = set_sub(e, "acquisitions", v, err);
		if (rc == FG_OK)
			rc = export_verifs(db,
					   "case_id = ?1 AND evidence_id = ?2",
					   case_id, ev, &v, err);
		if (rc == FG_OK)
			rc = set_sub(e, "verifications", v, err);
		if (rc == FG_OK)
			rc = text_rows(db,
				       "SELECT id, utc, examiner, action, "
				       "from_party, to_party, location, reason "
				       "FROM custody WHERE case_id = ?1 AND "
				       "evidence_id = ?2 ORDER BY id",
				       case_id, ev, &v, err);
		if (rc == FG_OK)
			rc = set_sub(e, "custody", v, err);
		if (rc != FG_OK) {
			json_decref(items);
			return rc;
		}
	}
	rc = set_sub(c, "evidence", items, err);
	if (rc != FG_OK || evidence_id != NULL)
		return rc;
	rc = export_acqs(db, "case_id = ?1 AND evidence_id IS NULL", case_id,
			 NULL, flags, &v, err);
	if (rc == FG_OK)
		rc = set_sub(c, "unfiled_acquisitions", v, err);
	if (rc == FG_OK)
		rc = export_verifs(db, "case_id = ?1 AND evidence_id IS NULL",
				   case_id, NULL, &v, err);
	if (rc == FG_OK)
		rc = set_sub(c, "unfiled_verifications", v, err);
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
		return oom(err);
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
	rc = set_sub(root, "cases", cases, err);
	if (rc == FG_OK && case_id == NULL) {
		rc = export_acqs(db, "case_id IS NULL AND ?1 IS NULL", NULL,
				 NULL, flags, &v, err);
		if (rc == FG_OK)
			rc = set_sub(root, "unfiled_acquisitions", v, err);
		if (rc == FG_OK)
			rc = export_verifs(db, "case_id IS NULL AND ?1 IS NULL",
					   NULL, NULL, &v, err);
		if (rc == FG_OK)
			rc = set_sub(root, "unfiled_verifications", v, err);
	}
	if (rc == FG_OK && (flags & FG_CASEDB_EXPORT_EVENTS)) {
		rc = text_rows(db,
			       "SELECT * FROM events WHERE (?1 IS NULL OR "
			       "case_id = ?1) AND (?2 IS NULL OR evidence_id "
			       "= ?2) ORDER BY id",
			       case_id, evidence_id, &v, err);
		if (rc == FG_OK)
			rc = set_sub(root, "events", v, err);
	}
	if (rc != FG_OK)
		goto out;
	*json = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (*json == NULL)
		rc = oom(err);
out:
	json_decref(root);
	return rc;
}

/* Readers that make several queries see one snapshot of the database,
 * whatever other processes write meanwhile. */
static int read_begin(struct fg_casedb *db, struct fg_error *err)
{
	return exec_sql(db, "BEGIN", "starting a read transaction", err);
}

static void read_end(struct fg_casedb *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
}

int fg_casedb_audit(struct fg_casedb *db, struct fg_casedb_audit *a,
		    struct fg_error *err)
{
	int rc;

	memset(a, 0, sizeof(*a));
	rc = read_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = audit_run(db, a, err);
	read_end(db);
	return rc;
}

int fg_casedb_export_json(struct fg_casedb *db, const char *case_id,
			  const char *evidence_id, unsigned flags, char **json,
			  struct fg_error *err)
{
	int rc;

	*json = NULL;
	rc = read_begin(db, err);
	if (rc != FG_OK)
		return rc;
	rc = export_run(db, case_id, evidence_id, flags, json, err);
	read_end(db);
	return rc;
}
