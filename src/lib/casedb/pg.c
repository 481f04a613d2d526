/*
 * pg.c - a case database on PostgreSQL (see casedb.h): `--case-db
 * postgresql://...` (or postgres://) opens a lab's shared database through
 * libpq instead of an SQLite file.  The tables, the event chain, the
 * append-only guards (as PostgreSQL triggers, schema_pg.c) and every query
 * (stmt.c) are the same; what differs is only the opening:
 *
 *   connect (the URI as libpq reads it: host, port, user, password file,
 *   sslmode ...; application_name forage) --> the schema: forage's own,
 *   checked (cdb_pg_check), or, for a writer allowed to create it
 *   (FG_CASEDB_CREATE), made in one transaction under the writers' lock
 *   --> OPEN
 *
 * The database is named in every message and record by its URI, so a URI
 * with a password is refused: libpq reads it from ~/.pgpass instead.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base_int.h"
#include "casedb/casedb_int.h"

int fg_casedb_is_server(const char *path)
{
	return path != NULL && (strncmp(path, "postgresql://", 13) == 0 ||
				strncmp(path, "postgres://", 11) == 0);
}

/* uri has a password (user:PASSWORD@host, password=... or the TLS key's
 * sslpassword=...). */
static int has_password(const char *uri)
{
	const char *p = strstr(uri, "://"), *at, *colon;
	const char *const keys[] = {"password=", "sslpassword="};
	size_t i;

	if (p != NULL) {
		p += 3;
		at = strchr(p, '@');
		colon = strchr(p, ':');
		if (at != NULL && colon != NULL && colon < at &&
		    strcspn(p, "/?") > (size_t)(at - p))
			return 1;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		for (p = strstr(uri, keys[i]); p != NULL;
		     p = strstr(p + 1, keys[i]))
			if (p > uri && (p[-1] == '?' || p[-1] == '&'))
				return 1;
	return 0;
}

/* 1 when the database has forage's table forage_schema, else 0. */
static const char has_schema[] =
    "SELECT CAST(to_regclass('forage_schema') IS NOT NULL AS INTEGER)";

/* Make forage's schema in an empty database, unless another writer made
 * it meanwhile (the writers' lock is held while looking). */
static int pg_create(struct fg_casedb *db, struct fg_error *err)
{
	int64_t have = -1;
	int rc = cdb_tx_begin(db, err);

	if (rc == FG_OK)
		rc = cdb_pragma_int(db, has_schema, &have, err);
	if (rc == FG_OK && have == 0)
		rc = cdb_exec(db, cdb_pg_schema, "creating the schema", err);
	if (rc == FG_OK)
		return cdb_tx_commit(db, err);
	cdb_tx_rollback(db);
	return rc;
}

/* What the database holds: forage's schema of some version (*version), or
 * nothing yet (0); anything else is refused, left as it is. */
static int pg_schema(struct fg_casedb *db, unsigned flags, int64_t *version,
		     struct fg_error *err)
{
	int64_t have = 0, tables = 0;
	int rc;

	*version = 0;
	rc = cdb_pragma_int(db, has_schema, &have, err);
	if (rc == FG_OK && have == 0)
		rc = cdb_pragma_int(db,
				    "SELECT count(*) FROM pg_catalog.pg_tables "
				    "WHERE schemaname = current_schema()",
				    &tables, err);
	if (rc != FG_OK)
		return rc;
	if (have == 0 && tables > 0)
		return fg_error_set(err, FG_EDB, 0,
				    "case database %s: a PostgreSQL database "
				    "with %lld table(s) but no forage schema; "
				    "left as it is",
				    db->path, (long long)tables);
	if (have == 0) {
		if (db->readonly || !(flags & FG_CASEDB_CREATE))
			return fg_error_set(err, FG_EDB, ENOENT,
					    "case database %s: no forage case "
					    "database there yet%s",
					    db->path,
					    db->readonly ? ""
							 : " ('forage case "
							   "init' makes one)");
		rc = pg_create(db, err);
		if (rc != FG_OK)
			return rc;
	}
	/* Also refuses a schema version other than this forage's (a newer
	 * one named as such). */
	return cdb_pg_check(db->pg, db->path, version, err);
}

int cdb_pg_open(struct fg_casedb *db, const char *uri, unsigned flags,
		struct fg_error *err)
{
	const char *keys[] = {"dbname", "application_name", "client_encoding",
			      "connect_timeout", NULL};
	const char *vals[] = {uri, "forage", "UTF8", "10", NULL};
	int64_t version = 0;
	int rc;

	if (has_password(uri))
		return fg_error_set(err, FG_EINVAL, 0,
				    "case database: a password in the URI "
				    "is refused (the URI is written to "
				    "records and logs); put it in ~/.pgpass "
				    "or the file $PGPASSFILE names");
	db->pg = PQconnectdbParams(keys, vals, 1);
	if (db->pg == NULL)
		return cdb_oom(err);
	if (PQstatus(db->pg) != CONNECTION_OK) {
		const char *m = PQerrorMessage(db->pg);
		size_t n = strcspn(m, "\n");
		return fg_error_set(err, FG_EDB, 0,
				    "case database %s: cannot connect: %.*s",
				    db->path, (int)n, m);
	}
	/* The check builds forage's schema in a temporary schema to compare
	 * (rolled back): a read-only handle turns read-only after it. */
	rc = pg_schema(db, flags, &version, err);
	if (rc == FG_OK) {
		char sql[128];
		/* A wait for another writer's lock ends like SQLite's busy
		 * timeout. */
		snprintf(sql, sizeof(sql),
			 "SET lock_timeout = %d; "
			 "SET default_transaction_read_only = %s",
			 FG_CASEDB_BUSY_MS, db->readonly ? "on" : "off");
		rc = cdb_exec(db, sql, "setting up the session", err);
	}
	if (rc != FG_OK)
		return rc;
	db->version = version;
	return FG_OK;
}
