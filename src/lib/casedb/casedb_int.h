/*
 * casedb_int.h - what the files of the case database share (see casedb.h):
 * the handle, the small SQL helpers every writer and reader uses, and the
 * details of events, which the writers record and the audit and the export
 * read again.  Only src/lib/casedb/ includes it, and with it sqlite3.h and
 * libpq-fe.h.
 *
 *   casedb.c  opening (file checks, schema, migrations, WAL), closing, the
 *             SQL helpers below
 *   events.c  the canonical event form, the event log, event details, the
 *             audit
 *   write.c   cases, evidence items, acquisitions, verifications, custody
 *   read.c    the fg_casedb_*_each readers
 *   export.c  the JSON export, and a case's export for import
 *   import.c  checking an export, importing it, auditing imported chains
 */
#ifndef FORAGE_CASEDB_INT_H
#define FORAGE_CASEDB_INT_H

#include <signal.h>
#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <forage/casedb.h>
#include <forage/hash.h>

struct fg_casedb {
	sqlite3 *h;  /* SQLite, or NULL */
	PGconn *pg;  /* PostgreSQL, or NULL */
	char pg_msg[512]; /* PostgreSQL: the last failure's first line */
	char pg_state[6]; /* and its SQLSTATE */
	int64_t pg_changes; /* rows the last command changed */
	unsigned pg_cursors; /* cursors opened, for their names */
	char *path;
	char *examiner;
	int readonly;
	volatile sig_atomic_t *stop; /* a query ends once it is set */
	int64_t version; /* the schema version, once open */
	char host[256];
	char boot_id[64];
	int64_t last_event; /* the last event this handle wrote */
	char last_sha256[FG_HASH_HEX_MAX];
};

/* ---- The schema (casedb.c) --------------------------------------------- */

/* The triggers that keep the log and the facts append-only, NULL-ended;
 * the audit checks that each of them is still there. */
/* The prev_sha256 of a chain's first event: 64 zeros. */
#define CDB_ZERO_SHA256 \
	"0000000000000000000000000000000000000000000000000000000000000000"

extern const char *const cdb_guard_triggers[];
/* Those schema version 3 added (checked from that version on). */
extern const char *const cdb_guard_triggers_v3[];
/* Those schema version 4 added (seals). */
extern const char *const cdb_guard_triggers_v4[];
/* Those schema version 4 added for case import (import.c). */
extern const char *const cdb_guard_triggers_v4_import[];

/* cdb_migrations[v] brings a database of version v to v + 1 (schema.c). */
extern const char *const cdb_migrations[FG_CASEDB_SCHEMA_VERSION];

/* The current description of the row t of cases or evidence (its latest
 * amendment, else its own) and how many amendments it has, as SQL
 * expressions; item: "IS NULL" for a case, "= t.evidence_id" for an item.
 * Schema version 3 on (the table amendments). */
#define CDB_CURRENT_DESC(t, item)                                            \
	"coalesce((SELECT value FROM amendments m WHERE m.case_id = " t      \
	".case_id AND m.evidence_id " item " AND m.field = 'description' "  \
	"ORDER BY m.id DESC LIMIT 1), " t ".description)"
#define CDB_AMEND_COUNT(t, item)                                             \
	"(SELECT count(*) FROM amendments m WHERE m.case_id = " t           \
	".case_id AND m.evidence_id " item ")"

/* ---- Statements (stmt.c) ---------------------------------------------- */

/* A prepared statement of either backend.  SQL is written once, in the
 * dialect both engines accept: parameters ?N (or ?, numbered in order),
 * identifiers that are reserved words in double quotes ("offset"), and a
 * new row's id given in the INSERT (write.c's NEXT_ID: an identity
 * sequence would skip the ids of rolled-back transactions).  The column getters read the current row
 * (after cdb_step returned CDB_ROW). */
struct cdb_st;

/* What cdb_step returns: a row, the end, or a failure (cdb_fail says
 * what: the backend's words are kept on the handle). */
enum { CDB_ERROR = 1, CDB_ROW = 100, CDB_DONE = 101 };

/* A column's type as cdb_col_type says it. */
enum { CDB_INTEGER = 1, CDB_FLOAT, CDB_TEXT, CDB_BLOB, CDB_NULL };

/* Set err from db's last failure: the database, what was being done, the
 * backend's words and a hint (busy, damaged, read-only, connection lost).
 * Returns FG_EINTR once the stop flag is set, FG_ENOSPC when the disk is
 * full, else FG_EDB. */
int cdb_fail(struct fg_casedb *db, struct fg_error *err, const char *what);

/* The backend's words for db's last failure. */
const char *cdb_errmsg(struct fg_casedb *db);

/* "out of memory" in err; returns FG_ENOMEM. */
int cdb_oom(struct fg_error *err);

/* Run sql (one or more statements, no parameters, no rows wanted). */
int cdb_exec(struct fg_casedb *db, const char *sql, const char *what,
	     struct fg_error *err);

/* Prepare sql into *st (NULL on failure).  Returns FG_OK, FG_EDB, or
 * FG_EINTR once the handle's stop flag is set. */
int cdb_prep(struct fg_casedb *db, struct cdb_st **st, const char *sql,
	     struct fg_error *err);

/* Bind parameter i (from 1): text (NULL binds NULL), an integer, a real,
 * bytes, NULL.  Values are copied. */
void cdb_bind_text(struct cdb_st *st, int i, const char *s);
void cdb_bind_textn(struct cdb_st *st, int i, const char *s, size_t n);
void cdb_bind_i64(struct cdb_st *st, int i, int64_t v);
void cdb_bind_double(struct cdb_st *st, int i, double v);
void cdb_bind_blob(struct cdb_st *st, int i, const void *p, size_t n);
void cdb_bind_null(struct cdb_st *st, int i);
int cdb_param_count(struct cdb_st *st);

/* st walks rows that may be many (every event, an export, a list): on
 * PostgreSQL read through a cursor a batch at a time, not all at once.
 * Call before its first cdb_step. */
void cdb_walk(struct cdb_st *st);

/* The next row: CDB_ROW, CDB_DONE or CDB_ERROR. */
int cdb_step(struct cdb_st *st);

/* Back to before the first row, bindings kept; and the end of st (NULL is
 * fine). */
void cdb_reset(struct cdb_st *st);
void cdb_fin(struct cdb_st *st);

/* Run a statement that returns no rows, then finalize it. */
int cdb_step_done(struct fg_casedb *db, struct cdb_st *st, const char *what,
		  struct fg_error *err);

/* The current row's column i: its type, as text (NULL for NULL; an
 * integer as its digits), as an integer, as a count (negative reads 0),
 * as a real, as bytes (cdb_col_bytes long), and the column's name. */
int cdb_col_type(struct cdb_st *st, int i);
const char *cdb_col_text(struct cdb_st *st, int i);
int64_t cdb_col_i64(struct cdb_st *st, int i);
int cdb_col_int(struct cdb_st *st, int i);
uint64_t cdb_col_u64(struct cdb_st *st, int i);
double cdb_col_double(struct cdb_st *st, int i);
const void *cdb_col_blob(struct cdb_st *st, int i);
int cdb_col_bytes(struct cdb_st *st, int i);
int cdb_col_count(struct cdb_st *st);
const char *cdb_col_name(struct cdb_st *st, int i);

/* How many rows the last INSERT, UPDATE or DELETE changed. */
int64_t cdb_changes(struct fg_casedb *db);

/* Run sql on db's PostgreSQL server and wait for it, cancelled once the
 * stop flag is set (n < 0: no parameters, several statements allowed);
 * the result (the first failure, else the last), NULL when the connection
 * failed.  PQclear it. */
PGresult *cdb_pg_run(struct fg_casedb *db, const char *sql, int n,
		     const Oid *typ, const char *const *val, const int *len,
		     const int *fmt);

/* Keep a PostgreSQL result's failure on the handle for cdb_fail; 1 when
 * res (NULL too) is a failure. */
int cdb_pg_keep(struct fg_casedb *db, const PGresult *res);

/* Connect db (made by casedb.c, path set) to the PostgreSQL database at
 * uri and check, or make, its schema (pg.c). */
int cdb_pg_open(struct fg_casedb *db, const char *uri, unsigned flags,
		struct fg_error *err);

/* The advisory lock every PostgreSQL writer takes ("forage" in ASCII). */
#define CDB_PG_WRITE_LOCK "112628846389093"

/* The current row as an object {column name: value}; NULL when out of
 * memory. */
json_t *cdb_row_object(struct cdb_st *st);

/* Every row of st as an array of objects (or of the first column's values
 * when scalar) into *out.  Finalizes st. */
int cdb_rows_array(struct fg_casedb *db, struct cdb_st *st, int scalar,
		   json_t **out, struct fg_error *err);

/* The first column of the first row of sql (a count) into *v. */
int cdb_pragma_int(struct fg_casedb *db, const char *sql, int64_t *v,
		   struct fg_error *err);

/* One write: BEGIN IMMEDIATE (FG_ESTATE on a read-only handle), COMMIT
 * (rolled back when it fails), ROLLBACK of an open transaction.  Writers
 * are serialised: on SQLite by the database's write lock, on PostgreSQL
 * by a transaction-wide advisory lock, so the event chain never forks. */
int cdb_tx_begin(struct fg_casedb *db, struct fg_error *err);
int cdb_tx_commit(struct fg_casedb *db, struct fg_error *err);
void cdb_tx_rollback(struct fg_casedb *db);

/* A reader that makes several queries sees one snapshot between these. */
int cdb_read_begin(struct fg_casedb *db, struct fg_error *err);
void cdb_read_end(struct fg_casedb *db);

/* Start time of process pid (clock ticks since boot), or -1 when there is
 * no such process: with the boot id, tells a live run from a killed one. */
int64_t cdb_proc_start_time(long pid);

/* ---- The event log (events.c) ------------------------------------------ */

/* Append an event inside the caller's transaction; details is consumed
 * (NULL: out of memory).  Sets the handle's last event. */
int cdb_event_append(struct fg_casedb *db, const char *kind,
		     const char *case_id, const char *evidence_id,
		     int64_t subject_id, json_t *details, struct fg_error *err);

/* The sha256 (hex, 65 bytes) of an event's canonical content. */
int cdb_event_sha256(int64_t id, const char *utc, const char *kind,
		     const char *examiner, const char *case_id,
		     const char *evidence_id, int64_t subject_id,
		     const char *details, const char *prev_sha256, char *hex,
		     struct fg_error *err);

/* The details an event of kind should have, from today's rows (*out NULL
 * when the rows it recorded are gone); FG_EINVAL for an unknown kind. */
int cdb_details_for(struct fg_casedb *db, const char *kind,
		    const char *case_id, const char *evidence_id,
		    int64_t subject, json_t **out, struct fg_error *err);

/* The first row no event recorded (a case without its case-created event,
 * ...; rows a case import added count as recorded by the imported chain's
 * event of them) into what, or "" when there is none. */
int cdb_uncovered(struct fg_casedb *db, char *what, size_t len,
		  struct fg_error *err);

/* ---- Case import (import.c, imported.c) -------------------------------- */

/* The id a row has here (dir 0: from its source id) or had in
 * the source (dir 1: from its id here) by import import_id; 0 when it was
 * not imported by it. */
int cdb_import_map_id(struct fg_casedb *db, int64_t import_id,
		      const char *table, int64_t id, int dir, int64_t *out,
		      struct fg_error *err);

/* Re-check import import_id of case case_id: the chain from
 * event 1 as stored, the head it recorded, the events of the case against
 * the rows.  *intact 0 and problem set when not. */
int cdb_import_check(struct fg_casedb *db, int64_t import_id,
		     const char *case_id, int64_t head_id,
		     const char *head_sha256, int64_t *events, int *intact,
		     char *problem, size_t len, struct fg_error *err);

/* The details of a "case-imported" event: its imports row. */
int cdb_details_import(struct fg_casedb *db, int64_t id, json_t **out,
		       struct fg_error *err);

/* Re-check every imported chain (schema version 4); *broken counts those
 * not intact, the first one's problem into problem. */
int cdb_imports_check_all(struct fg_casedb *db, int64_t *broken,
			  char *problem, size_t len, struct fg_error *err);

/* What each kind of event says about its rows, from the rows as they are
 * now: the writers record it, the audit compares it.  *out is NULL when
 * the row is gone. */
int cdb_details_case(struct fg_casedb *db, const char *case_id, json_t **out,
		     struct fg_error *err);
int cdb_details_evidence(struct fg_casedb *db, const char *case_id,
			 const char *evidence_id, json_t **out,
			 struct fg_error *err);
int cdb_details_acq_started(struct fg_casedb *db, int64_t id, json_t **out,
			    struct fg_error *err);
int cdb_details_acq_completed(struct fg_casedb *db, int64_t id, json_t **out,
			      struct fg_error *err);
int cdb_details_custody(struct fg_casedb *db, int64_t id, json_t **out,
			struct fg_error *err);
int cdb_details_amendment(struct fg_casedb *db, int64_t id, json_t **out,
			  struct fg_error *err);
int cdb_details_verification(struct fg_casedb *db, int64_t id, json_t **out,
			     struct fg_error *err);

/* ---- Rows that belong to a row (events.c; the export uses them too) ---- */

/* The rows of other tables that belong to one row, as named arrays. */
struct cdb_subq {
	const char *key, *sql; /* sql takes the row's id as its parameter */
};

/* An acquisition's outputs and bad ranges (key NULL ends it). */
extern const struct cdb_subq cdb_acq_subs[];

/* A verification's hashes and diffs, as db's schema version has them. */
const struct cdb_subq *cdb_verif_subs_of(const struct fg_casedb *db);

/* Add to o each q->key: the rows of q->sql bound to id. */
int cdb_add_subs(struct fg_casedb *db, json_t *o, int64_t id,
		 const struct cdb_subq *q, struct fg_error *err);

/* {algorithm: hex} of acquisition id's media hashes into *out. */
int cdb_media_hashes(struct fg_casedb *db, int64_t id, json_t **out,
		     struct fg_error *err);

/* Rows of sql bound to id, as an array (scalar: first column only). */
int cdb_id_rows(struct fg_casedb *db, const char *sql, int64_t id, int scalar,
		json_t **out, struct fg_error *err);

/* o[key] = v (consumed); FG_ENOMEM when v is NULL or cannot be set. */
int cdb_set_sub(json_t *o, const char *key, json_t *v, struct fg_error *err);

/* ---- Reading (read.c) -------------------------------------------------- */

/* What a person should be told about an acquisition's status: status, or
 * "interrupted" (*never 1) for a running row whose process on this host
 * is gone. */
const char *cdb_acq_state(struct fg_casedb *db, const char *status,
			  const char *host, const char *boot_id, int64_t pid,
			  int64_t start, int *never);

/* ---- PostgreSQL (schema_pg.c, pg_check.c) ------------------------------ */

/* The current schema (version FG_CASEDB_SCHEMA_VERSION) in PostgreSQL's
 * dialect: one text of statements, made in the first schema of the
 * search_path; it also inserts the row of forage_schema. */
extern const char cdb_pg_schema[];

/* Check that the database conn reaches sorts bytewise (collation C) and
 * holds UTF-8, and has exactly forage's schema in the first schema of its
 * search_path: forage's tables, their columns (name,
 * type, nullability, default, order), constraints, indexes, triggers
 * (enabled) and the triggers' functions (language, settings, source),
 * and nothing forage did not make attached to them (another trigger, a
 * rule, a policy, inheritance); *version from forage_schema.  Runs in a
 * transaction of its own (conn must have none open) that it rolls back,
 * on a session with no temporary tables of its own; needs no right but
 * TEMP on the database.  FG_EDB with a message naming where (the
 * database, password never shown) and the first difference ("table
 * events: column utc is bigint NOT NULL, expected text NOT NULL", "table
 * events: trigger events_no_update is missing", "... is disabled,
 * expected enabled"), or a schema version other than
 * FG_CASEDB_SCHEMA_VERSION; FG_ENOMEM. */
int cdb_pg_check(PGconn *conn, const char *where, int64_t *version,
		 struct fg_error *err);

#endif
