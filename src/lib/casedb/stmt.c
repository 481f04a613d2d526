/*
 * stmt.c - statements of the case database on either backend (see
 * casedb_int.h): SQLite (a file, the default) or PostgreSQL through libpq
 * (a lab's shared database).  Every query of src/lib/casedb/ is written
 * once and runs here on the one its handle has; what differs between the
 * engines is kept to this file and to the opening (casedb.c, pg.c).
 *
 * PostgreSQL: a statement runs when its first row is asked for
 * (PQexecParams: integers typed bigint, bytes bytea in binary, text left
 * for the query to type), its rows are then read from the result.  A walk
 * over rows that may be many (cdb_walk: the events, an export, a list)
 * reads them through a cursor, CDB_PG_BATCH at a time, so memory stays
 * bounded whatever the database holds.  ?N and ? become $N.  Result columns keep
 * SQLite's meaning: an integer reads as its digits, a boolean as 1 or 0,
 * bytea as its bytes.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base_int.h"
#include "casedb/casedb_int.h"

/* PostgreSQL's type oids forage reads (pg_type.h). */
enum {
	PG_BOOL = 16, PG_BYTEA = 17, PG_INT8 = 20, PG_INT2 = 21,
	PG_INT4 = 23, PG_OID = 26, PG_FLOAT4 = 700, PG_FLOAT8 = 701,
	PG_NUMERIC = 1700
};

struct cdb_st {
	struct fg_casedb *db;
	sqlite3_stmt *s; /* SQLite */
	/* PostgreSQL */
	char *sql;  /* with $N */
	int np;     /* parameters */
	char **val; /* NULL: NULL */
	int *len, *fmt;
	Oid *typ; /* bigint, float8, bytea; 0 (text, NULL): from the query */
	PGresult *res; /* once run */
	int row, nrows;
	int walk;         /* read through a cursor (cdb_walk) */
	char cursor[32];  /* its name while it is open, else "" */
	unsigned char *blob; /* column blob_col of row blob_row, decoded */
	size_t blob_len;
	int blob_col, blob_row;
};

/* ---- Failures ------------------------------------------------------------ */

static int pg_fail(struct fg_casedb *db, struct fg_error *err,
		   const char *what)
{
	const char *st = db->pg_state, *hint = "";

	if (strcmp(st, "57014") == 0 || (db->stop != NULL && *db->stop != 0))
		return fg_error_set(err, FG_EINTR, EINTR,
				    "case database %s: %s: interrupted",
				    db->path, what);
	if (strcmp(st, "53100") == 0)
		return fg_error_set(err, FG_ENOSPC, ENOSPC,
				    "case database %s: %s: %s", db->path, what,
				    db->pg_msg);
	if (PQstatus(db->pg) != CONNECTION_OK || strncmp(st, "08", 2) == 0)
		hint = " (the database server cannot be reached)";
	else if (strcmp(st, "55P03") == 0)
		hint = " (another program held the database for longer than "
		       "the lock timeout)";
	else if (strcmp(st, "42501") == 0)
		hint = " (this database user may not do it)";
	else if (strcmp(st, "25006") == 0)
		hint = " (the database cannot be written)";
	return fg_error_set(err, FG_EDB, 0, "case database %s: %s: %s%s",
			    db->path, what, db->pg_msg, hint);
}

int cdb_fail(struct fg_casedb *db, struct fg_error *err, const char *what)
{
	int code;
	const char *hint = "";

	if (db->pg != NULL)
		return pg_fail(db, err, what);
	code = sqlite3_extended_errcode(db->h);
	if ((code & 0xff) == SQLITE_INTERRUPT ||
	    (((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) &&
	     db->stop != NULL && *db->stop != 0))
		return fg_error_set(err, FG_EINTR, EINTR,
				    "case database %s: %s: interrupted",
				    db->path, what);
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

const char *cdb_errmsg(struct fg_casedb *db)
{
	return db->pg != NULL ? db->pg_msg : sqlite3_errmsg(db->h);
}

int cdb_oom(struct fg_error *err)
{
	return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
}

/* Keep a PostgreSQL result's failure on the handle (its first line and
 * SQLSTATE) for cdb_fail; 1 when res is a failure. */
int cdb_pg_keep(struct fg_casedb *db, const PGresult *res)
{
	ExecStatusType s = res != NULL ? PQresultStatus(res)
				       : PGRES_FATAL_ERROR;
	const char *m, *state;
	size_t n;

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
		return 0;
	m = res != NULL ? PQresultErrorMessage(res) : NULL;
	if (m == NULL || *m == '\0')
		m = PQerrorMessage(db->pg);
	if (m == NULL || *m == '\0')
		m = "failed";
	if (strncmp(m, "ERROR:  ", 8) == 0)
		m += 8;
	n = strcspn(m, "\n");
	snprintf(db->pg_msg, sizeof(db->pg_msg), "%.*s", (int)n, m);
	state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db->pg_state, sizeof(db->pg_state), "%s",
		 state != NULL ? state : "08000");
	return 1;
}

/* Run sql on db's server (with n parameters when n >= 0, else sql may hold
 * several statements) and wait for its result, interruptibly: once the
 * stop flag is set, the server is asked to cancel it (a wait for the
 * writers' lock ends at once) and its failure says so.  The last result,
 * or NULL when the connection failed. */
PGresult *cdb_pg_run(struct fg_casedb *db, const char *sql, int n,
		     const Oid *typ, const char *const *val, const int *len,
		     const int *fmt)
{
	PGresult *r, *last = NULL;
	int sent, cancelled = 0;

	sent = n >= 0 ? PQsendQueryParams(db->pg, sql, n, typ, val, len, fmt,
					  0)
		      : PQsendQuery(db->pg, sql);
	if (!sent)
		return NULL;
	for (;;) {
		while (PQisBusy(db->pg)) {
			struct pollfd p = {PQsocket(db->pg), POLLIN, 0};
			if (!cancelled && db->stop != NULL && *db->stop != 0) {
				PGcancel *c = PQgetCancel(db->pg);
				char buf[256];
				if (c != NULL) {
					PQcancel(c, buf, sizeof(buf));
					PQfreeCancel(c);
				}
				cancelled = 1;
			}
			if (p.fd < 0)
				break;
			if (poll(&p, 1, 200) < 0 && errno != EINTR)
				break;
			if (!PQconsumeInput(db->pg))
				break;
		}
		r = PQgetResult(db->pg);
		if (r == NULL)
			break;
		/* Keep the first failure, else the last result. */
		if (last != NULL && PQresultStatus(last) != PGRES_COMMAND_OK &&
		    PQresultStatus(last) != PGRES_TUPLES_OK) {
			PQclear(r);
			continue;
		}
		PQclear(last);
		last = r;
	}
	return last;
}

/* ---- Statements ---------------------------------------------------------- */

/* sql with ?N and ? as $N, outside quotes; *np the highest number.  A
 * parameter's number has at most 5 digits ($ and 5 for ?: 6 times). */
static char *pg_sql(const char *sql, int *np)
{
	size_t n = strlen(sql) * 6 + 1;
	char *out = malloc(n), *o = out;
	char quote = 0;
	int next = 0;

	*np = 0;
	if (out == NULL)
		return NULL;
	for (; *sql != '\0'; sql++) {
		if (quote != 0) {
			if (*sql == quote)
				quote = 0;
			*o++ = *sql;
		} else if (*sql == '\'' || *sql == '"') {
			quote = *sql;
			*o++ = *sql;
		} else if (*sql == '?') {
			int k = 0;
			while (sql[1] >= '0' && sql[1] <= '9' && k < 10000)
				k = k * 10 + (*++sql - '0');
			if (k == 0)
				k = ++next;
			else
				next = k;
			if (k > *np)
				*np = k;
			o += snprintf(o, n - (size_t)(o - out), "$%d", k);
		} else {
			*o++ = *sql;
		}
	}
	*o = '\0';
	return out;
}

int cdb_prep(struct fg_casedb *db, struct cdb_st **out, const char *sql,
	     struct fg_error *err)
{
	struct cdb_st *st;

	*out = NULL;
	if (db->stop != NULL && *db->stop != 0)
		return fg_error_set(err, FG_EINTR, EINTR,
				    "case database %s: interrupted", db->path);
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return cdb_oom(err);
	st->db = db;
	st->row = -1;
	st->blob_col = -1;
	if (db->pg == NULL) {
		if (sqlite3_prepare_v2(db->h, sql, -1, &st->s, NULL) !=
		    SQLITE_OK) {
			free(st);
			return cdb_fail(db, err, "preparing a query");
		}
		*out = st;
		return FG_OK;
	}
	st->sql = pg_sql(sql, &st->np);
	if (st->sql == NULL || (st->np > 0 &&
		((st->val = calloc((size_t)st->np, sizeof(*st->val))) == NULL ||
		 (st->len = calloc((size_t)st->np, sizeof(int))) == NULL ||
		 (st->fmt = calloc((size_t)st->np, sizeof(int))) == NULL ||
		 (st->typ = calloc((size_t)st->np, sizeof(Oid))) == NULL))) {
		cdb_fin(st);
		return cdb_oom(err);
	}
	*out = st;
	return FG_OK;
}

/* Parameter i of a PostgreSQL statement: n bytes of p (NULL: NULL). */
static void pg_bind(struct cdb_st *st, int i, const void *p, size_t n,
		    Oid type)
{
	if (i < 1 || i > st->np)
		return;
	free(st->val[i - 1]);
	st->val[i - 1] = NULL;
	st->typ[i - 1] = p != NULL ? type : 0;
	if (p == NULL)
		return;
	st->val[i - 1] = malloc(n + 1);
	if (st->val[i - 1] == NULL) {
		st->np = -1; /* out of memory: cdb_step says so */
		return;
	}
	memcpy(st->val[i - 1], p, n);
	st->val[i - 1][n] = '\0';
	st->len[i - 1] = (int)n;
	st->fmt[i - 1] = type == PG_BYTEA; /* bytes as they are */
}

void cdb_bind_textn(struct cdb_st *st, int i, const char *s, size_t n)
{
	if (st->s != NULL)
		sqlite3_bind_text64(st->s, i, s, n, SQLITE_TRANSIENT,
				    SQLITE_UTF8);
	else
		pg_bind(st, i, s, n, 0);
}

void cdb_bind_text(struct cdb_st *st, int i, const char *s)
{
	if (s == NULL)
		cdb_bind_null(st, i);
	else
		cdb_bind_textn(st, i, s, strlen(s));
}

void cdb_bind_i64(struct cdb_st *st, int i, int64_t v)
{
	char b[32];

	if (st->s != NULL) {
		sqlite3_bind_int64(st->s, i, (sqlite3_int64)v);
		return;
	}
	snprintf(b, sizeof(b), "%" PRId64, v);
	pg_bind(st, i, b, strlen(b), PG_INT8);
}

void cdb_bind_double(struct cdb_st *st, int i, double v)
{
	char b[64];

	if (st->s != NULL) {
		sqlite3_bind_double(st->s, i, v);
		return;
	}
	snprintf(b, sizeof(b), "%.17g", v);
	pg_bind(st, i, b, strlen(b), PG_FLOAT8);
}

void cdb_bind_blob(struct cdb_st *st, int i, const void *p, size_t n)
{
	if (st->s != NULL)
		sqlite3_bind_blob64(st->s, i, p != NULL ? p : "", n,
				    SQLITE_TRANSIENT);
	else
		pg_bind(st, i, p != NULL ? p : "", n, PG_BYTEA);
}

void cdb_bind_null(struct cdb_st *st, int i)
{
	if (st->s != NULL)
		sqlite3_bind_null(st->s, i);
	else
		pg_bind(st, i, NULL, 0, 0);
}

int cdb_param_count(struct cdb_st *st)
{
	return st->s != NULL ? sqlite3_bind_parameter_count(st->s) : st->np;
}

/* Rows fetched from a walk's cursor at a time. */
#define CDB_PG_BATCH 1000

void cdb_walk(struct cdb_st *st)
{
	st->walk = 1;
}

/* A walk's next batch of rows into st->res: the cursor declared on the
 * first; 0, or -1 (the failure kept on the handle). */
static int pg_fetch(struct cdb_st *st)
{
	struct fg_casedb *db = st->db;
	char sql[64];

	if (st->cursor[0] == '\0') {
		char *decl;
		PGresult *r;
		int bad;
		snprintf(st->cursor, sizeof(st->cursor), "forage_walk_%u",
			 ++db->pg_cursors);
		/* WITH HOLD: it outlives the statement's own transaction
		 * (none, or the reader's). */
		decl = fg_strdup_printf("DECLARE %s NO SCROLL CURSOR WITH HOLD "
					"FOR %s",
					st->cursor, st->sql);
		if (decl == NULL) {
			st->cursor[0] = '\0';
			snprintf(db->pg_msg, sizeof(db->pg_msg),
				 "out of memory");
			snprintf(db->pg_state, sizeof(db->pg_state), "53200");
			return -1;
		}
		r = cdb_pg_run(db, decl, st->np, st->typ,
			       (const char *const *)st->val, st->len, st->fmt);
		free(decl);
		bad = cdb_pg_keep(db, r);
		PQclear(r);
		if (bad) {
			st->cursor[0] = '\0';
			return -1;
		}
	}
	PQclear(st->res);
	snprintf(sql, sizeof(sql), "FETCH %d FROM %s", CDB_PG_BATCH,
		 st->cursor);
	st->res = cdb_pg_run(db, sql, -1, NULL, NULL, NULL, NULL);
	if (cdb_pg_keep(db, st->res)) {
		PQclear(st->res);
		st->res = NULL;
		return -1;
	}
	st->nrows = PQntuples(st->res);
	st->row = -1;
	st->blob_col = -1;
	return 0;
}

/* Close a walk's cursor, if open. */
static void pg_close(struct cdb_st *st)
{
	char sql[64];

	if (st->cursor[0] == '\0')
		return;
	snprintf(sql, sizeof(sql), "CLOSE %s", st->cursor);
	PQclear(cdb_pg_run(st->db, sql, -1, NULL, NULL, NULL, NULL));
	st->cursor[0] = '\0';
}

int cdb_step(struct cdb_st *st)
{
	struct fg_casedb *db = st->db;
	int rc;

	if (st->s != NULL) {
		rc = sqlite3_step(st->s);
		return rc == SQLITE_ROW ? CDB_ROW
		       : rc == SQLITE_DONE ? CDB_DONE
					   : CDB_ERROR;
	}
	if (st->res == NULL) {
		if (st->np < 0) {
			snprintf(db->pg_msg, sizeof(db->pg_msg),
				 "out of memory");
			snprintf(db->pg_state, sizeof(db->pg_state), "53200");
			return CDB_ERROR;
		}
		if (db->stop != NULL && *db->stop != 0) {
			snprintf(db->pg_state, sizeof(db->pg_state), "57014");
			return CDB_ERROR;
		}
		if (st->walk) {
			if (pg_fetch(st) != 0)
				return CDB_ERROR;
			goto next;
		}
		st->res = cdb_pg_run(db, st->sql, st->np, st->typ,
				     (const char *const *)st->val, st->len,
				     st->fmt);
		if (cdb_pg_keep(db, st->res)) {
			PQclear(st->res);
			st->res = NULL;
			return CDB_ERROR;
		}
		if (PQresultStatus(st->res) == PGRES_COMMAND_OK) {
			const char *n = PQcmdTuples(st->res);
			db->pg_changes = *n != '\0' ? strtoll(n, NULL, 10) : 0;
		}
		st->nrows = PQntuples(st->res);
		st->row = -1;
	}
next:
	if (st->row < st->nrows)
		st->row++;
	/* A walk's batch read to its end: the next one, unless it was the
	 * last (shorter than a batch). */
	if (st->row == st->nrows && st->cursor[0] != '\0' &&
	    st->nrows == CDB_PG_BATCH) {
		if (db->stop != NULL && *db->stop != 0) {
			snprintf(db->pg_state, sizeof(db->pg_state), "57014");
			return CDB_ERROR;
		}
		if (pg_fetch(st) != 0)
			return CDB_ERROR;
		if (st->nrows > 0)
			st->row = 0;
	}
	return st->row >= 0 && st->row < st->nrows ? CDB_ROW : CDB_DONE;
}

void cdb_reset(struct cdb_st *st)
{
	if (st == NULL)
		return;
	if (st->s != NULL) {
		sqlite3_reset(st->s);
		return;
	}
	pg_close(st);
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->blob_col = -1;
}

void cdb_fin(struct cdb_st *st)
{
	int i;

	if (st == NULL)
		return;
	if (st->db->pg != NULL)
		pg_close(st);
	sqlite3_finalize(st->s);
	PQclear(st->res);
	for (i = 0; st->val != NULL && i < st->np; i++)
		free(st->val[i]);
	free(st->val);
	free(st->len);
	free(st->fmt);
	free(st->typ);
	free(st->sql);
	PQfreemem(st->blob);
	free(st);
}

int cdb_step_done(struct fg_casedb *db, struct cdb_st *st, const char *what,
		  struct fg_error *err)
{
	int rc = cdb_step(st);

	if (rc != CDB_DONE) {
		rc = cdb_fail(db, err, what);
		cdb_fin(st);
		return rc;
	}
	cdb_fin(st);
	return FG_OK;
}

/* ---- Columns ------------------------------------------------------------- */

/* Column i of the current PostgreSQL row exists and is not NULL. */
static int pg_has(struct cdb_st *st, int i)
{
	return st->res != NULL && st->row >= 0 && st->row < st->nrows &&
	       i >= 0 && i < PQnfields(st->res) &&
	       !PQgetisnull(st->res, st->row, i);
}

int cdb_col_type(struct cdb_st *st, int i)
{
	if (st->s != NULL) {
		switch (sqlite3_column_type(st->s, i)) {
		case SQLITE_INTEGER: return CDB_INTEGER;
		case SQLITE_FLOAT: return CDB_FLOAT;
		case SQLITE_TEXT: return CDB_TEXT;
		case SQLITE_BLOB: return CDB_BLOB;
		}
		return CDB_NULL;
	}
	if (!pg_has(st, i))
		return CDB_NULL;
	switch (PQftype(st->res, i)) {
	case PG_BOOL: case PG_INT8: case PG_INT2: case PG_INT4: case PG_OID:
		return CDB_INTEGER;
	case PG_FLOAT4: case PG_FLOAT8:
		return CDB_FLOAT;
	case PG_NUMERIC:
		return strchr(PQgetvalue(st->res, st->row, i), '.') != NULL
			       ? CDB_FLOAT
			       : CDB_INTEGER;
	case PG_BYTEA:
		return CDB_BLOB;
	}
	return CDB_TEXT;
}

const char *cdb_col_text(struct cdb_st *st, int i)
{
	const char *v;

	if (st->s != NULL)
		return (const char *)sqlite3_column_text(st->s, i);
	if (!pg_has(st, i))
		return NULL;
	v = PQgetvalue(st->res, st->row, i);
	if (PQftype(st->res, i) == PG_BOOL)
		return *v == 't' ? "1" : "0";
	return v;
}

int64_t cdb_col_i64(struct cdb_st *st, int i)
{
	const char *v;

	if (st->s != NULL)
		return sqlite3_column_int64(st->s, i);
	v = cdb_col_text(st, i);
	return v != NULL ? strtoll(v, NULL, 10) : 0;
}

int cdb_col_int(struct cdb_st *st, int i)
{
	return (int)cdb_col_i64(st, i);
}

uint64_t cdb_col_u64(struct cdb_st *st, int i)
{
	int64_t v = cdb_col_i64(st, i);

	return v < 0 ? 0 : (uint64_t)v;
}

double cdb_col_double(struct cdb_st *st, int i)
{
	const char *v;

	if (st->s != NULL)
		return sqlite3_column_double(st->s, i);
	v = cdb_col_text(st, i);
	return v != NULL ? strtod(v, NULL) : 0.0;
}

/* Column i of the current PostgreSQL row as bytes, decoded once. */
static int pg_blob(struct cdb_st *st, int i)
{
	if (st->blob_col == i && st->blob_row == st->row)
		return st->blob != NULL;
	PQfreemem(st->blob);
	st->blob = NULL;
	st->blob_len = 0;
	st->blob_col = i;
	st->blob_row = st->row;
	if (!pg_has(st, i))
		return 0;
	st->blob = PQunescapeBytea(
		(const unsigned char *)PQgetvalue(st->res, st->row, i),
		&st->blob_len);
	return st->blob != NULL;
}

const void *cdb_col_blob(struct cdb_st *st, int i)
{
	if (st->s != NULL)
		return sqlite3_column_blob(st->s, i);
	if (pg_has(st, i) && PQftype(st->res, i) != PG_BYTEA)
		return PQgetvalue(st->res, st->row, i);
	return pg_blob(st, i) ? st->blob : NULL;
}

int cdb_col_bytes(struct cdb_st *st, int i)
{
	if (st->s != NULL)
		return sqlite3_column_bytes(st->s, i);
	if (!pg_has(st, i))
		return 0;
	if (PQftype(st->res, i) != PG_BYTEA)
		return (int)strlen(cdb_col_text(st, i));
	return pg_blob(st, i) ? (int)st->blob_len : 0;
}

int cdb_col_count(struct cdb_st *st)
{
	if (st->s != NULL)
		return sqlite3_column_count(st->s);
	return st->res != NULL ? PQnfields(st->res) : 0;
}

const char *cdb_col_name(struct cdb_st *st, int i)
{
	if (st->s != NULL)
		return sqlite3_column_name(st->s, i);
	return st->res != NULL ? PQfname(st->res, i) : NULL;
}

int64_t cdb_changes(struct fg_casedb *db)
{
	return db->pg != NULL ? db->pg_changes : sqlite3_changes(db->h);
}

/* ---- Rows as JSON -------------------------------------------------------- */

/* One column as a JSON value of its type. */
static json_t *col_json(struct cdb_st *st, int i)
{
	switch (cdb_col_type(st, i)) {
	case CDB_INTEGER:
		return json_integer((json_int_t)cdb_col_i64(st, i));
	case CDB_FLOAT:
		return json_real(cdb_col_double(st, i));
	case CDB_TEXT:
		return json_stringn(cdb_col_text(st, i),
				    (size_t)cdb_col_bytes(st, i));
	case CDB_BLOB:
		return json_string("(binary)");
	}
	return json_null();
}

json_t *cdb_row_object(struct cdb_st *st)
{
	json_t *o = json_object();
	int i, n = cdb_col_count(st);

	if (o == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		json_t *v = col_json(st, i);
		if (v == NULL ||
		    json_object_set_new(o, cdb_col_name(st, i), v) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

int cdb_rows_array(struct fg_casedb *db, struct cdb_st *st, int scalar,
		   json_t **out, struct fg_error *err)
{
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if (arr == NULL) {
		cdb_fin(st);
		return cdb_oom(err);
	}
	while ((rc = cdb_step(st)) == CDB_ROW) {
		json_t *v = scalar ? col_json(st, 0) : cdb_row_object(st);
		if (v == NULL || json_array_append_new(arr, v) != 0) {
			cdb_fin(st);
			json_decref(arr);
			return cdb_oom(err);
		}
	}
	if (rc != CDB_DONE) {
		rc = cdb_fail(db, err, "reading");
		cdb_fin(st);
		json_decref(arr);
		return rc;
	}
	cdb_fin(st);
	*out = arr;
	return FG_OK;
}

int cdb_pragma_int(struct fg_casedb *db, const char *sql, int64_t *v,
		   struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc = cdb_prep(db, &st, sql, err);

	if (rc != FG_OK)
		return rc;
	if (cdb_step(st) == CDB_ROW) {
		*v = cdb_col_i64(st, 0);
		rc = FG_OK;
	} else {
		rc = cdb_fail(db, err, "reading the database");
	}
	cdb_fin(st);
	return rc;
}

/* ---- Transactions -------------------------------------------------------- */

int cdb_exec(struct fg_casedb *db, const char *sql, const char *what,
	     struct fg_error *err)
{
	if (db->pg != NULL) {
		PGresult *r;
		int bad;
		if (db->stop != NULL && *db->stop != 0)
			return fg_error_set(err, FG_EINTR, EINTR,
					    "case database %s: %s: "
					    "interrupted",
					    db->path, what);
		r = cdb_pg_run(db, sql, -1, NULL, NULL, NULL, NULL);
		bad = cdb_pg_keep(db, r);
		PQclear(r);
		return bad ? cdb_fail(db, err, what) : FG_OK;
	}
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return cdb_fail(db, err, what);
	return FG_OK;
}

/* A transaction is open on db. */
static int in_tx(struct fg_casedb *db)
{
	if (db->pg != NULL)
		return PQtransactionStatus(db->pg) != PQTRANS_IDLE &&
		       PQtransactionStatus(db->pg) != PQTRANS_UNKNOWN;
	return !sqlite3_get_autocommit(db->h);
}

int cdb_tx_begin(struct fg_casedb *db, struct fg_error *err)
{
	if (db->readonly)
		return fg_error_set(err, FG_ESTATE, 0,
				    "case database %s: opened read-only",
				    db->path);
	/* One writer at a time over every host: the lock is held until
	 * COMMIT or ROLLBACK, and each statement after it sees every write
	 * committed before (READ COMMITTED), the chain's head included. */
	return cdb_exec(db,
			db->pg != NULL
				? "BEGIN; SELECT pg_advisory_xact_lock("
				  CDB_PG_WRITE_LOCK ")"
				: "BEGIN IMMEDIATE",
			"starting a transaction", err);
}

int cdb_tx_commit(struct fg_casedb *db, struct fg_error *err)
{
	int rc = cdb_exec(db, "COMMIT", "committing", err);

	if (rc != FG_OK)
		cdb_tx_rollback(db);
	return rc;
}

void cdb_tx_rollback(struct fg_casedb *db)
{
	struct fg_error ignored;

	if (in_tx(db))
		cdb_exec(db, "ROLLBACK", "rolling back", &ignored);
}

/* Readers that make several queries see one snapshot of the database,
 * whatever other processes write meanwhile. */
int cdb_read_begin(struct fg_casedb *db, struct fg_error *err)
{
	return cdb_exec(db,
			db->pg != NULL ? "BEGIN ISOLATION LEVEL REPEATABLE "
					 "READ"
				       : "BEGIN",
			"starting a read transaction", err);
}

void cdb_read_end(struct fg_casedb *db)
{
	struct fg_error ignored;

	if (in_tx(db))
		cdb_exec(db, "COMMIT", "ending a read transaction", &ignored);
}
