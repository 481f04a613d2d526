/*
 * casedb.c - the case database (see casedb.h): opening, with the checks
 * that come before any write, the migrations (the schema itself is in
 * schema.c), WAL mode, closing; and the small SQL helpers the other files
 * of src/lib/casedb/ share (casedb_int.h).  src/lib/casedb/ is the only part of forage that
 * includes sqlite3.h.
 *
 * A handle:       fg_casedb_open --> OPEN (read-only | read-write) --close-->
 * Every write is one call = one BEGIN IMMEDIATE ... COMMIT, so another
 * process waits (busy timeout) rather than failing, and a crash leaves all
 * or nothing of a call.
 *
 * Opening checks, in this order and before any write: the file (regular,
 * writable when asked), the SQLite magic, application_id and user_version,
 * then PRAGMA quick_check; only then WAL mode and migrations.  A refused
 * file is closed without a checkpoint, so it is left exactly as it was.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/base_int.h"
#include "casedb/casedb_int.h"

/* Start time of process pid (clock ticks since boot, /proc/PID/stat field
 * 22), or -1 when there is no such process. */
int64_t cdb_proc_start_time(long pid)
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
	p++; /* the space before field 3 */
	for (field = 3; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	return strtoll(p + 1, NULL, 10);
}

/* ---- Opening ----------------------------------------------------------- */

/* A database found by default is never reached through a symbolic link,
 * nor are its log and shared memory. */
static int check_links(const char *path, struct fg_error *err)
{
	static const char *const tails[] = {"", "-wal", "-shm", NULL};
	const char *const *t;
	struct stat st;

	for (t = tails; *t != NULL; t++) {
		char *p = fg_strdup_printf("%s%s", path, *t);
		int link;
		if (p == NULL)
			return cdb_oom(err);
		link = lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
		if (link)
			fg_error_set(err, FG_EDB, 0,
				     "case database %s: %s is a symbolic link; "
				     "found beside the files, not named with "
				     "--case-db, it is not followed",
				     path, p);
		free(p);
		if (link)
			return FG_EDB;
	}
	return FG_OK;
}

/* SQLite's progress handler: a query ends (SQLITE_INTERRUPT) once the stop
 * flag is set. */
static int progress(void *arg)
{
	const struct fg_casedb *db = arg;

	return db->stop != NULL && *db->stop != 0;
}

/* SQLite's busy handler: wait for another program's lock up to
 * FG_CASEDB_BUSY_MS, 20 ms at a time, and no longer once the stop flag is
 * set (SQLite's own busy timeout would sleep through a SIGTERM). */
static int busy(void *arg, int count)
{
	const struct fg_casedb *db = arg;

	if ((db->stop != NULL && *db->stop != 0) ||
	    (long)count * 20 >= FG_CASEDB_BUSY_MS)
		return 0;
	sqlite3_sleep(20);
	return 1;
}

/* What a connection may do whatever the file holds: no writes to the schema
 * by SQL (SQLITE_DBCONFIG_DEFENSIVE), no function or virtual table of
 * side effects run from the schema (trusted_schema off), and a query
 * interruptible by the stop flag. */
static int harden(struct fg_casedb *db, struct fg_error *err)
{
	if (sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) !=
	    SQLITE_OK)
		return cdb_fail(db, err, "setting defensive mode");
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
	if (sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
			      NULL) != SQLITE_OK)
		return cdb_fail(db, err, "distrusting the schema");
#endif
	sqlite3_progress_handler(db->h, 1000, progress, db);
	return FG_OK;
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

static int check_objects(struct fg_casedb *db, int64_t version,
			 struct fg_error *err);

static int check_schema(struct fg_casedb *db, int exists, int64_t *version,
			struct fg_error *err)
{
	struct cdb_st *hs = NULL;
	int64_t appid = 0, ntables = 0;
	int rc;

	/* One statement, one snapshot: another process may be creating the
	 * schema right now. */
	rc = cdb_prep(db, &hs,
		      "SELECT (SELECT user_version FROM pragma_user_version), "
		      "(SELECT application_id FROM pragma_application_id), "
		      "(SELECT count(*) FROM sqlite_master WHERE type = "
		      "'table')",
		      err);
	if (rc == FG_OK && cdb_step(hs) == CDB_ROW) {
		*version = cdb_col_i64(hs, 0);
		appid = cdb_col_i64(hs, 1);
		ntables = cdb_col_i64(hs, 2);
	} else if (rc == FG_OK) {
		rc = FG_EDB;
	}
	cdb_fin(hs);
	if (rc != FG_OK && db->stop != NULL && *db->stop != 0)
		return fg_error_set(err, FG_EINTR, EINTR,
				    "case database %s: interrupted while "
				    "waiting for another program's lock",
				    db->path);
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
	if (*version < 0)
		return fg_error_set(err, FG_EDB, 0,
				    "case database %s: schema version %lld "
				    "is not one forage makes; left as it is",
				    db->path, (long long)*version);
	if (*version > 0 && appid != FG_CASEDB_APPLICATION_ID)
		return fg_error_set(err, FG_EDB, 0,
				    "case database %s: schema version %lld "
				    "but no forage application_id (0x%08llx); "
				    "left as it is",
				    db->path, (long long)*version,
				    (unsigned long long)appid);
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
		struct cdb_st *st = NULL;
		const char *res;
		rc = cdb_prep(db, &st, "PRAGMA quick_check(1)", err);
		if (rc == FG_EINTR)
			return rc;
		if (rc != FG_OK)
			return fg_error_set(err, FG_EDB, 0,
					    "case database %s: damaged: %s; "
					    "left as it is",
					    db->path, sqlite3_errmsg(db->h));
		rc = cdb_step(st);
		res = rc == CDB_ROW ? cdb_col_text(st, 0) : NULL;
		if (res == NULL && db->stop != NULL && *db->stop != 0) {
			cdb_fin(st);
			return cdb_fail(db, err, "checking the database");
		}
		if (res == NULL || strcmp(res, "ok") != 0) {
			fg_error_set(err, FG_EDB, 0,
				     "case database %s: damaged (%s); left as "
				     "it is",
				     db->path,
				     res != NULL ? res : sqlite3_errmsg(db->h));
			cdb_fin(st);
			return FG_EDB;
		}
		cdb_fin(st);
	}
	if (exists && *version > 0)
		return check_objects(db, *version, err);
	return FG_OK;
}

/* The schema forage made at version v, in a private database in memory:
 * what an existing database is compared with. */
static int reference_schema(sqlite3 **ref, int64_t v)
{
	int64_t i;

	*ref = NULL;
	if (sqlite3_open_v2(":memory:", ref, SQLITE_OPEN_READWRITE,
			    NULL) != SQLITE_OK)
		return FG_ENOMEM;
	for (i = 0; i < v && i < FG_CASEDB_SCHEMA_VERSION; i++)
		if (sqlite3_exec(*ref, cdb_migrations[i], NULL, NULL, NULL) !=
		    SQLITE_OK)
			return FG_EDB;
	return FG_OK;
}

/* The columns of table t in h, "name type notnull pk hidden;" each, in
 * order (hidden and generated columns too); NULL when out of memory or
 * the read failed (sqlite3_errcode(h) says which). */
static char *table_columns(sqlite3 *h, const char *t)
{
	sqlite3_stmt *st = NULL;
	char *all = strdup(""), *next;
	int step = SQLITE_DONE;

	if (all == NULL || sqlite3_prepare_v2(h,
		"SELECT name, type, \"notnull\", pk, hidden FROM "
		"pragma_table_xinfo(?1)", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		free(all);
		return NULL;
	}
	sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
	while (all != NULL && (step = sqlite3_step(st)) == SQLITE_ROW) {
		next = fg_strdup_printf("%s%s %s %lld %lld %lld;", all,
					(const char *)sqlite3_column_text(st, 0),
					(const char *)sqlite3_column_text(st, 1),
					(long long)sqlite3_column_int64(st, 2),
					(long long)sqlite3_column_int64(st, 3),
					(long long)sqlite3_column_int64(st, 4));
		free(all);
		all = next;
	}
	if (step != SQLITE_DONE) { /* out of memory, or the read failed */
		free(all);
		all = NULL;
	}
	sqlite3_finalize(st);
	return all;
}

/* Before any query of its tables: the schema of an existing database is
 * forage's own of its version.  Every table forage made is a plain table
 * (not a view, not a virtual table) with exactly its columns; every
 * trigger, view and index is one forage made, word for word (a guard
 * trigger that was dropped is left for the audit to name; an index of
 * forage's that was dropped only makes queries slower, and they stay
 * interruptible).  (A view or a trigger can hold a query that never ends.)
 * An index forage did not make is refused too: harmless as a plain list
 * of columns, but an index on expressions or a partial index (WHERE) runs
 * its expressions on every write of its table and may be chosen by a
 * read; trusted_schema=OFF keeps functions with side effects out of them,
 * not expressions that are merely expensive.  Only sqlite_master is read
 * here, and parsing the schema runs none of it. */
static int check_objects(struct fg_casedb *db, int64_t version,
			 struct fg_error *err)
{
	sqlite3 *ref = NULL;
	sqlite3_stmt *rs = NULL, *ds = NULL;
	int rc;

	rc = reference_schema(&ref, version);
	if (rc != FG_OK) {
		sqlite3_close(ref);
		return rc == FG_ENOMEM ? cdb_oom(err)
				       : fg_error_set(err, FG_EDB, 0,
						      "case database %s: "
						      "cannot build forage's "
						      "schema to compare",
						      db->path);
	}
	/* Every table, trigger, view and index forage made is there, the
	 * same. */
	if (sqlite3_prepare_v2(ref,
		"SELECT type, name, sql FROM sqlite_master WHERE type IN "
		"('table', 'trigger', 'view', 'index') ORDER BY name", -1, &rs,
		NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h,
		"SELECT type, sql FROM sqlite_master WHERE name = ?1", -1,
		&ds, NULL) != SQLITE_OK) {
		rc = cdb_fail(db, err, "reading the schema");
		goto out;
	}
	while (rc == FG_OK && sqlite3_step(rs) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(rs, 0);
		const char *name = (const char *)sqlite3_column_text(rs, 1);
		const char *sql = (const char *)sqlite3_column_text(rs, 2);
		const char *dtype, *dsql;

		int step;

		sqlite3_reset(ds);
		sqlite3_bind_text(ds, 1, name, -1, SQLITE_TRANSIENT);
		step = sqlite3_step(ds);
		if (step != SQLITE_ROW && step != SQLITE_DONE) {
			/* Not "missing": the read failed (busy past the
			 * timeout, interrupted, damaged). */
			rc = cdb_fail(db, err, "reading the schema");
			break;
		}
		if (step == SQLITE_DONE && strcmp(type, "trigger") == 0)
			continue; /* a guard dropped: the audit names it */
		if (step == SQLITE_DONE && strcmp(type, "index") == 0)
			continue; /* an index dropped: slower, no harm */
		if (step == SQLITE_DONE) {
			rc = fg_error_set(err, FG_EDB, 0,
					  "case database %s: forage's %s %s "
					  "is missing; left as it is",
					  db->path, type, name);
			break;
		}
		dtype = (const char *)sqlite3_column_text(ds, 0);
		dsql = (const char *)sqlite3_column_text(ds, 1);
		if (dtype == NULL || strcmp(dtype, type) != 0) {
			rc = fg_error_set(err, FG_EDB, 0,
					  "case database %s: %s is a %s, not "
					  "forage's %s; left as it is",
					  db->path, name,
					  dtype != NULL ? dtype : "?", type);
		} else if (strcmp(type, "table") == 0) {
			char *want = table_columns(ref, name);
			char *have = table_columns(db->h, name);
			if (want == NULL)
				rc = cdb_oom(err);
			else if (have == NULL)
				rc = sqlite3_errcode(db->h) == SQLITE_NOMEM
					     ? cdb_oom(err)
					     : cdb_fail(db, err,
							"reading the schema");
			else if (dsql == NULL ||
				 strncmp(dsql, "CREATE TABLE", 12) != 0)
				rc = fg_error_set(err, FG_EDB, 0,
						  "case database %s: table "
						  "%s is not a plain table; "
						  "left as it is",
						  db->path, name);
			else if (strcmp(want, have) != 0)
				rc = fg_error_set(err, FG_EDB, 0,
						  "case database %s: table "
						  "%s does not have forage's "
						  "columns; left as it is",
						  db->path, name);
			free(want);
			free(have);
		} else if (strcmp(type, "index") == 0 && dsql == NULL &&
			   sql == NULL) {
			/* an index of a table's own key: the table's
			 * columns were compared */
		} else if (dsql == NULL || sql == NULL ||
			   strcmp(dsql, sql) != 0) {
			rc = fg_error_set(err, FG_EDB, 0,
					  "case database %s: %s %s is not "
					  "the one forage made; left as it is",
					  db->path, type, name);
		}
	}
	sqlite3_finalize(ds);
	ds = NULL;
	if (rc != FG_OK)
		goto out;
	/* No trigger, view or index forage did not make. */
	if (sqlite3_prepare_v2(db->h,
		"SELECT type, name FROM sqlite_master WHERE type IN "
		"('trigger', 'view', 'index') ORDER BY name", -1, &ds,
		NULL) != SQLITE_OK) {
		rc = cdb_fail(db, err, "reading the schema");
		goto out;
	}
	sqlite3_finalize(rs);
	rs = NULL;
	if (sqlite3_prepare_v2(ref,
		"SELECT 1 FROM sqlite_master WHERE name = ?1 AND type = ?2",
		-1, &rs, NULL) != SQLITE_OK) {
		rc = fg_error_set(err, FG_EDB, 0,
				  "case database %s: cannot read forage's "
				  "schema to compare",
				  db->path);
		goto out;
	}
	while (rc == FG_OK && sqlite3_step(ds) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(ds, 0);
		const char *name = (const char *)sqlite3_column_text(ds, 1);

		sqlite3_reset(rs);
		sqlite3_bind_text(rs, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(rs, 2, type, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(rs) != SQLITE_ROW)
			rc = fg_error_set(err, FG_EDB, 0,
					  "case database %s: a %s forage did "
					  "not make: %s; left as it is",
					  db->path, type,
					  name != NULL ? name : "?");
	}
out:
	sqlite3_finalize(rs);
	sqlite3_finalize(ds);
	sqlite3_close(ref);
	return rc;
}

static int migrate(struct fg_casedb *db, struct fg_error *err)
{
	int64_t v = 0;
	int rc;

	rc = cdb_tx_begin(db, err);
	if (rc != FG_OK)
		return rc;
	/* Another process may have migrated while we waited. */
	rc = cdb_pragma_int(db, "PRAGMA user_version", &v, err);
	if (rc != FG_OK)
		goto fail;
	if (v < 0 || v > FG_CASEDB_SCHEMA_VERSION) {
		rc = fg_error_set(err, FG_EDB, 0,
				  "case database %s: schema version %lld was "
				  "not made by this forage; left as it is",
				  db->path, (long long)v);
		goto fail;
	}
	for (; v < FG_CASEDB_SCHEMA_VERSION; v++) {
		rc = cdb_exec(db, cdb_migrations[v], "creating the schema", err);
		if (rc != FG_OK)
			goto fail;
	}
	{
		char sql[96];
		snprintf(sql, sizeof(sql),
			 "PRAGMA user_version = %d; PRAGMA application_id = %d",
			 FG_CASEDB_SCHEMA_VERSION, FG_CASEDB_APPLICATION_ID);
		rc = cdb_exec(db, sql, "setting the schema version", err);
		if (rc != FG_OK)
			goto fail;
	}
	return cdb_tx_commit(db, err);
fail:
	cdb_tx_rollback(db);
	return rc;
}

/* Switch to WAL mode.  The switch takes an exclusive lock without going
 * through the busy handler, so a database being created by another process
 * at the same moment is waited for here, up to the busy timeout. */
static int set_wal(struct fg_casedb *db, struct fg_error *err)
{
	int waited = 0, rc;

	for (;;) {
		struct cdb_st *st = NULL;
		const char *mode;

		rc = cdb_prep(db, &st, "PRAGMA journal_mode = WAL", err);
		if (rc != FG_OK && (sqlite3_errcode(db->h) == SQLITE_BUSY ||
				    sqlite3_errcode(db->h) == SQLITE_LOCKED))
			goto wait;
		if (rc != FG_OK)
			return rc;
		rc = cdb_step(st);
		mode = rc == CDB_ROW ? cdb_col_text(st, 0) : NULL;
		if (mode != NULL && strcmp(mode, "wal") == 0) {
			cdb_fin(st);
			return FG_OK;
		}
		if (mode == NULL &&
		    ((sqlite3_errcode(db->h) & 0xff) == SQLITE_BUSY ||
		     (sqlite3_errcode(db->h) & 0xff) == SQLITE_LOCKED)) {
			cdb_fin(st);
			goto wait;
		}
		rc = fg_error_set(err, FG_EDB, 0,
				  "case database %s: cannot use WAL mode: %s",
				  db->path,
				  mode ? mode : sqlite3_errmsg(db->h));
		cdb_fin(st);
		return rc;
wait:
		if (db->stop != NULL && *db->stop != 0)
			return fg_error_set(err, FG_EINTR, EINTR,
					    "case database %s: interrupted",
					    db->path);
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
	return fg_casedb_open_stop(out, path, flags, NULL, err);
}

/* A handle of either backend, not connected yet. */
static int new_handle(struct fg_casedb **out, const char *path, int ro,
		      volatile sig_atomic_t *stop, struct fg_error *err)
{
	struct fg_casedb *db = calloc(1, sizeof(*db));

	*out = db;
	if (db == NULL)
		return cdb_oom(err);
	db->readonly = ro;
	db->stop = stop;
	db->path = strdup(path);
	db->examiner = strdup(FG_CASEDB_EXAMINER_UNKNOWN);
	if (db->path == NULL || db->examiner == NULL)
		return cdb_oom(err);
	if (gethostname(db->host, sizeof(db->host)) != 0)
		db->host[0] = '\0';
	db->host[sizeof(db->host) - 1] = '\0';
	if (fg_read_line("/proc/sys/kernel/random/boot_id", db->boot_id,
			 sizeof(db->boot_id)) < 0)
		db->boot_id[0] = '\0';
	return FG_OK;
}

/* Open a PostgreSQL case database (pg.c). */
static int open_pg(struct fg_casedb **out, const char *uri, unsigned flags,
		   volatile sig_atomic_t *stop, struct fg_error *err)
{
	struct fg_casedb *db = NULL;
	int rc = new_handle(&db, uri, (flags & FG_CASEDB_READONLY) != 0, stop,
			    err);

	if (rc == FG_OK)
		rc = cdb_pg_open(db, uri, flags, err);
	if (rc != FG_OK) {
		fg_casedb_close(db);
		return rc;
	}
	*out = db;
	return FG_OK;
}

int fg_casedb_open_stop(struct fg_casedb **out, const char *path,
			unsigned flags, volatile sig_atomic_t *stop,
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
	if (fg_casedb_is_server(path))
		return open_pg(out, path, flags, stop, err);
	if (flags & FG_CASEDB_NOFOLLOW) {
		rc = check_links(path, err);
		if (rc != FG_OK)
			return rc;
	}
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
		return cdb_oom(err);
	had_wal = access(wal, F_OK) == 0;
	free(wal);
	rc = new_handle(&db, path, ro, stop, err);
	if (rc != FG_OK)
		goto fail;
	oflags = (flags & FG_CASEDB_NOFOLLOW) ? SQLITE_OPEN_NOFOLLOW : 0;
	oflags |= ro ? SQLITE_OPEN_READONLY
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
	sqlite3_busy_handler(db->h, busy, db);
	rc = harden(db, err);
	if (rc != FG_OK)
		goto fail;
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
	rc = cdb_exec(db, "PRAGMA foreign_keys = ON", "enabling foreign keys",
		      err);
	if (rc != FG_OK)
		goto fail;
	if (!ro) {
		rc = set_wal(db, err);
		if (rc != FG_OK)
			goto fail;
		rc = cdb_exec(db, "PRAGMA synchronous = FULL",
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
	fg_casedb_close(db);
	return rc;
}

void fg_casedb_close(struct fg_casedb *db)
{
	if (db == NULL)
		return;
	if (db->h != NULL || db->pg != NULL)
		cdb_tx_rollback(db);
	if (db->h != NULL)
		sqlite3_close_v2(db->h);
	if (db->pg != NULL)
		PQfinish(db->pg);
	free(db->path);
	free(db->examiner);
	free(db);
}

const char *fg_casedb_path(const struct fg_casedb *db)
{
	return db->path;
}

char *fg_casedb_absolute(const char *path)
{
	return fg_casedb_is_server(path) ? strdup(path)
					 : fg_path_absolute(path);
}

char *fg_casedb_dir(const char *path, int *none)
{
	*none = fg_casedb_is_server(path);
	return *none ? NULL : fg_path_dir(path);
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

void fg_casedb_set_stop(struct fg_casedb *db, volatile sig_atomic_t *stop)
{
	db->stop = stop;
}

int64_t fg_casedb_last_event(const struct fg_casedb *db, char *sha256)
{
	if (sha256 != NULL)
		snprintf(sha256, 65, "%.64s", db->last_sha256);
	return db->last_event;
}

/* "dir/case.db", or "case.db" for ".". */
static char *name_in(const char *dir)
{
	if (strcmp(dir, ".") == 0)
		return strdup(FG_CASEDB_DEFAULT_NAME);
	return fg_strdup_printf("%s%s%s", dir,
				dir[strlen(dir) - 1] == '/' ? "" : "/",
				FG_CASEDB_DEFAULT_NAME);
}

char *fg_casedb_find(const char *dir, int *where)
{
	struct stat st, top;
	char *p, *abs, *cut;

	if (where != NULL)
		*where = 0;
	if (dir == NULL || *dir == '\0')
		dir = ".";
	p = name_in(dir);
	if (p == NULL || lstat(p, &st) == 0) {
		if (p != NULL && where != NULL)
			*where = 1;
		return p;
	}
	/* The parents, up to / or the file system's top. */
	abs = realpath(dir, NULL);
	if (abs == NULL || stat(abs, &top) != 0) {
		free(abs);
		return p;
	}
	while ((cut = strrchr(abs, '/')) != NULL && abs[1] != '\0') {
		char *q;
		struct stat ds;
		cut[cut == abs ? 1 : 0] = '\0';
		if (stat(abs, &ds) != 0 || ds.st_dev != top.st_dev)
			break;
		q = name_in(abs);
		if (q == NULL)
			break;
		/* Only a database of this user's: one that another user
		 * left in a shared parent (/tmp) would otherwise receive
		 * this user's acquisitions (git refuses such a .git too). */
		if (lstat(q, &st) == 0 && st.st_uid == geteuid()) {
			free(abs);
			free(p);
			if (where != NULL)
				*where = 2;
			return q;
		}
		free(q);
	}
	free(abs);
	return p;
}

char *fg_casedb_default_path(const char *outbase)
{
	const char *slash = strrchr(outbase, '/');
	char *dir, *p;

	if (slash == NULL)
		return fg_casedb_find(".", NULL);
	dir = slash == outbase ? strdup("/")
			       : fg_strdup_printf("%.*s",
						  (int)(slash - outbase),
						  outbase);
	if (dir == NULL)
		return NULL;
	p = fg_casedb_find(dir, NULL);
	free(dir);
	return p;
}
