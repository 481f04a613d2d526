/* test_casedb_pg.c - the case database's schema on PostgreSQL.
 *
 * Without arguments (the unit test): every guard trigger schema.c lists
 * is in cdb_pg_schema under its name, with a function of its name.
 * With arguments, a tool for tests/e2e/t0590-pg-schema.sh:
 *   test_casedb_pg schema      print cdb_pg_schema
 *   test_casedb_pg check URL   cdb_pg_check on the database at URL: prints
 *                              "version N" (exit 0) or the error (exit 1);
 *                              exit 2 when the check left something behind
 *                              (an open transaction, a temporary table). */
#include "config.h"

#include <libpq-fe.h>

#include "casedb/casedb_int.h"
#include "unit.h"

/* cdb_pg_schema has the text before name after. */
static void has(const char *before, const char *name, const char *after)
{
	char want[256];

	snprintf(want, sizeof(want), "%s%s%s", before, name, after);
	unit_checks++;
	if (strstr(cdb_pg_schema, want) == NULL) {
		unit_failures++;
		fprintf(stderr, "FAILED: cdb_pg_schema has no \"%s\"\n", want);
	}
}

static void test_guards(void)
{
	const char *const *lists[] = {cdb_guard_triggers,
				      cdb_guard_triggers_v3,
				      cdb_guard_triggers_v4,
				      cdb_guard_triggers_v4_import, NULL};
	const char *const *const *l;
	const char *const *t;

	for (l = lists; *l != NULL; l++) {
		for (t = *l; *t != NULL; t++) {
			has("CREATE TRIGGER ", *t, " BEFORE ");
			has("CREATE FUNCTION ", *t, "() RETURNS trigger");
			has("EXECUTE FUNCTION ", *t, "();");
		}
	}
	/* forage_schema says version 4 with forage's application id. */
	CHECK(FG_CASEDB_SCHEMA_VERSION == 4);
	CHECK(strstr(cdb_pg_schema, "VALUES (1179075650, 4);") != NULL);
}

static int check(const char *url)
{
	PGconn *conn = PQconnectdb(url);
	struct fg_error err;
	PGresult *res;
	int64_t version = -1;
	int rc, left;

	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return 99;
	}
	rc = cdb_pg_check(conn, "the test database", &version, &err);
	if (rc == FG_OK)
		printf("version %lld\n", (long long)version);
	else
		printf("%s: %s\n", fg_status_name(rc), err.msg);
	/* Nothing of the check is left on the connection. */
	res = PQexec(conn, "SELECT count(*) FROM pg_class WHERE "
			   "relnamespace = pg_my_temp_schema()");
	left = PQresultStatus(res) != PGRES_TUPLES_OK ||
	       strcmp(PQgetvalue(res, 0, 0), "0") != 0 ||
	       PQtransactionStatus(conn) != PQTRANS_IDLE;
	PQclear(res);
	PQfinish(conn);
	if (left) {
		fprintf(stderr, "the check left a transaction or a temporary "
				"table behind\n");
		return 2;
	}
	return rc == FG_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "schema") == 0) {
		fputs(cdb_pg_schema, stdout);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "check") == 0)
		return check(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: test_casedb_pg [schema | check URL]\n");
		return 99;
	}
	unit_run("guard triggers", test_guards);
	return unit_done();
}
