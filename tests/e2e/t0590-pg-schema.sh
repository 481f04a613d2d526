#!/bin/sh
# The case database's schema on PostgreSQL (issue 23), in a temporary
# PostgreSQL 15 cluster: cdb_pg_schema loads and cdb_pg_check passes on it
# (version 4), in public and in another schema, and refuses a database
# not sorted bytewise or not UTF-8; each tampering (a trigger
# dropped, a trigger disabled, a trigger function's body replaced, a column
# added, a trigger added, a rule added, a column's type changed,
# forage_schema dropped, a newer version in it) makes the check fail
# naming it, and no check leaves anything behind; the guard
# triggers refuse UPDATE, DELETE and TRUNCATE of events and cases with
# their messages, and a change of a completed acquisition; a login role in
# forage_append (contrib/postgresql/roles.sql) inserts but is refused
# UPDATE, DELETE and TRUNCATE by PostgreSQL itself ("permission
# denied"), and its check passes; a pg_dump restored into an empty
# database passes the check and holds the same rows; the tables and their
# columns, in order, are those of the SQLite schema `forage case init`
# makes.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/pg.sh"
need_cmd sqlite3
# About 8 s here (initdb and start about 2 s of it), the same under the
# sanitizers (where it passed when written); the work is mostly
# PostgreSQL's and psql's: once, in the plain suite.
heavy sanitizers
pg_start || { done_testing; }

PGTOOL=$FG_BUILDDIR/tests/unit/test_casedb_pg
# psql_as URL SQL [psql options]
psql_as() { pa_url=$1; shift; "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$pa_url" -c "$@"; }
# the URL of the database with search_path set to schema $1
url_in() { printf '%s&options=-csearch_path%%3D%s' "$FG_PG_URL" "$1"; }

# check WHAT URL REGEX: cdb_pg_check on URL fails (exit 1) with a message
# matching REGEX, or passes (REGEX "version 4"); never leaves anything.
schema_check() {
	"$PGTOOL" check "$2" >check.out 2>check.err
	c_rc=$?
	c_want=1
	[ "$3" = "^version 4\$" ] && c_want=0
	# (nothing on stderr: no sanitizer report either)
	if [ "$c_rc" -ne "$c_want" ] || [ -s check.err ]; then
		fail "$1: check exit $c_rc, want $c_want"
		sed 's/^/  | /' check.out check.err >&2
		return 1
	fi
	expect_in check.out "$3" "$1"
}

# ---- (a) the schema loads; the check passes and says version 4.
"$PGTOOL" schema >schema.sql || fail "test_casedb_pg schema"
$FG_PG_PSQL -f schema.sql >load.out 2>&1 || { fail "cdb_pg_schema does not load"; cat load.out >&2; }
schema_check "the check passes on the schema as made" "$FG_PG_URL" "^version 4\$"
psql_as "$FG_PG_URL" "CREATE TABLE lab_notes(a text)"
schema_check "a table forage does not know, beside its own, is no difference" "$FG_PG_URL" "^version 4\$"

# ---- (b) each tampering, in a schema of its own, is named.  All the
# schemas are made in one psql session and tampered in another.
TAMPERS="drop disable body addcol addtrg rule coltype nover newer"
for s in $TAMPERS; do
	echo "CREATE SCHEMA $s; SET search_path = $s;"
	cat schema.sql
done >schemas.sql
$FG_PG_PSQL -f schemas.sql >load.out 2>&1 || { fail "cannot make the schemas"; cat load.out >&2; }
schema_check "the schema as made passes in another schema than public" \
	"$(url_in drop)" "^version 4\$"
$FG_PG_PSQL >tamper.out 2>&1 <<'EOF' || { fail "cannot tamper"; cat tamper.out >&2; }
DROP TRIGGER events_no_update ON drop.events;
ALTER TABLE disable.events DISABLE TRIGGER events_no_delete;
CREATE OR REPLACE FUNCTION body.cases_no_update() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog AS $$BEGIN RETURN NEW; END$$;
ALTER TABLE addcol.events ADD COLUMN note text;
CREATE FUNCTION addtrg.sneak() RETURNS trigger LANGUAGE plpgsql AS
	$$BEGIN NEW.details = '{}'; RETURN NEW; END$$;
CREATE TRIGGER sneak BEFORE INSERT ON addtrg.events FOR EACH ROW
	EXECUTE FUNCTION addtrg.sneak();
CREATE RULE keep AS ON DELETE TO rule.custody DO INSTEAD NOTHING;
ALTER TABLE coltype.events ALTER COLUMN utc TYPE bigint USING 0;
DROP TABLE nover.forage_schema;
ALTER TABLE newer.forage_schema DISABLE TRIGGER forage_schema_no_update;
UPDATE newer.forage_schema SET version = 5;
ALTER TABLE newer.forage_schema ENABLE TRIGGER forage_schema_no_update;
EOF
tampered() { schema_check "$1: named" "$(url_in "$1")" "$2"; }
tampered drop "\\(schema drop\\): not forage's schema: table events: trigger events_no_update is missing\$"
tampered disable "table events: trigger events_no_delete is disabled, expected enabled\$"
tampered body "table cases: trigger cases_no_update: function differs from forage's\$"
tampered addcol "table events: column note was not made by forage: text\$"
tampered addtrg "table events: trigger sneak was not made by forage: CREATE TRIGGER sneak BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION sneak\\(\\)\$"
tampered rule "table custody: rule keep was not made by forage: CREATE RULE keep AS ON DELETE TO custody DO INSTEAD NOTHING;\$"
tampered coltype "table events: column utc is bigint NOT NULL, expected text NOT NULL\$"
tampered nover "no forage schema \\(no table forage_schema\\)\$"
tampered newer "schema version 5, made by a newer forage \\(this one knows version 4\\)\$"
schema_check "an empty schema: no forage schema" "$(url_in nowhere)" \
	"no schema of the search_path exists$"

# A database that does not sort bytewise, or is not UTF-8, is refused.
psql_as "$FG_PG_URL" "CREATE DATABASE cutf8 TEMPLATE template0 ENCODING 'UTF8'
	LC_COLLATE 'C.utf8' LC_CTYPE 'C.utf8'" &&
	psql_as "$FG_PG_URL" "CREATE DATABASE latin1 TEMPLATE template0
	ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'" ||
	fail "cannot create the databases cutf8 and latin1"
schema_check "collation C.utf8: refused" \
	"$(printf '%s' "$FG_PG_URL" | sed 's|^postgresql:///forage|postgresql:///cutf8|')" \
	"its collation is C.utf8; forage needs C "
schema_check "encoding LATIN1: refused" \
	"$(printf '%s' "$FG_PG_URL" | sed 's|^postgresql:///forage|postgresql:///latin1|')" \
	"its encoding is LATIN1; forage needs UTF8 "

# ---- (c) the guard triggers refuse, with SQLite's words.
refused() { # WHAT SQL MESSAGE
	if psql_as "$FG_PG_URL" "$2" >ref.out 2>&1; then
		fail "$1: not refused"
	else
		expect_in ref.out "ERROR:  $3" "$1 refused: $3"
	fi
}
$FG_PG_PSQL >/dev/null <<'EOF' || fail "cannot insert the first rows"
INSERT INTO cases VALUES ('C1', NULL, '2026-01-01T00:00:00Z', 'Ex');
INSERT INTO events(utc, kind, examiner, case_id, details, prev_sha256, sha256)
	VALUES ('2026-01-01T00:00:00Z', 'case-created', 'Ex', 'C1', '{}', '0', '1');
INSERT INTO acquisitions(case_id, examiner, status, started_utc)
	VALUES ('C1', 'Ex', 'running', '2026-01-01T00:00:00Z');
UPDATE acquisitions SET status = 'success' WHERE id = 1;
EOF
refused "UPDATE of events" "UPDATE events SET kind = 'x'" "events is append-only: UPDATE refused"
refused "DELETE of events" "DELETE FROM events" "events is append-only: DELETE refused"
refused "TRUNCATE of events" "TRUNCATE events" "events is append-only: TRUNCATE refused"
refused "UPDATE of cases" "UPDATE cases SET description = 'x'" "cases is append-only: UPDATE refused"
refused "DELETE of cases" "DELETE FROM cases" "cases is append-only: DELETE refused"
refused "change of a completed acquisition" "UPDATE acquisitions SET bytes = 1" \
	"acquisitions: a completed acquisition is"
refused "an output of a completed acquisition" \
	"INSERT INTO outputs(acquisition_id, path, size) VALUES (1, 'x', 1)" \
	"outputs: the acquisition is not running"
[ "$($FG_PG_PSQL -At -c "SELECT count(*) || ' ' || min(kind) FROM events")" = "1 case-created" ] &&
	ok "events unchanged" || fail "events changed"

# ---- (d) roles: PostgreSQL itself refuses the append-only role.
psql_as "$FG_PG_URL" "CREATE ROLE examiner1 LOGIN; CREATE ROLE auditor1 LOGIN" ||
	fail "cannot create the login roles"
$FG_PG_PSQL -v append_login=examiner1 -v read_login=auditor1 \
	-f "$FG_SRCDIR/contrib/postgresql/roles.sql" >roles.out 2>&1 ||
	{ fail "roles.sql failed"; cat roles.out >&2; }
EX=${FG_PG_URL%user=postgres}user=examiner1
AU=${FG_PG_URL%user=postgres}user=auditor1
psql_as "$EX" "INSERT INTO events(utc, kind, examiner, case_id, details, prev_sha256, sha256)
	VALUES ('2026-01-01T00:00:01Z', 'note', 'Ex', 'C1', '{}', '1', '2')" &&
	ok "forage_append inserts an event" || fail "forage_append cannot insert an event"
psql_as "$EX" "INSERT INTO acquisitions(case_id, examiner, status, started_utc)
	VALUES ('C1', 'Ex', 'running', '2026-01-01T00:00:02Z');
	INSERT INTO outputs(acquisition_id, path, size) VALUES (2, 'HD1.raw', 9);
	UPDATE acquisitions SET status = 'success', bytes = 9 WHERE id = 2" &&
	ok "forage_append records and ends an acquisition" ||
	fail "forage_append cannot record and end an acquisition"
denied() { # WHAT URL SQL
	if psql_as "$2" "$3" >den.out 2>&1; then
		fail "$1: allowed"
	else
		expect_in den.out "ERROR:  permission denied for table" "$1: permission denied by PostgreSQL"
	fi
}
denied "UPDATE of events by forage_append" "$EX" "UPDATE events SET kind = 'x'"
denied "DELETE of events by forage_append" "$EX" "DELETE FROM events"
denied "TRUNCATE of events by forage_append" "$EX" "TRUNCATE events"
denied "UPDATE of cases by forage_append" "$EX" "UPDATE cases SET description = 'x'"
denied "an acquisition's case changed by forage_append" "$EX" "UPDATE acquisitions SET case_id = 'C2'"
denied "INSERT by forage_read" "$AU" "INSERT INTO cases VALUES ('C2', NULL, 'u', 'Ex')"
psql_as "$EX" "CREATE TABLE mine(a int)" >den.out 2>&1 && fail "forage_append creates a table"
expect_in den.out "ERROR:  permission denied for schema public" "forage_append creates nothing in the schema"
schema_check "the check passes as forage_append" "$EX" "^version 4\$"
schema_check "the check passes as forage_read" "$AU" "^version 4\$"
[ "$($FG_PG_PSQL -At -c "SELECT count(*) FROM events")" = 2 ] &&
	ok "events: 2 rows, none changed" || fail "events changed"

# ---- A backup (docs/lab.md): pg_dump, then pg_restore into an empty
# database; the rows of an ended acquisition load (its outputs too).
"$PG_BIN/pg_dump" -Fc -d "$FG_PG_URL" -f forage.dump 2>dump.err ||
	{ fail "pg_dump"; cat dump.err >&2; }
psql_as "$FG_PG_URL" "CREATE DATABASE restored TEMPLATE template0 ENCODING 'UTF8'
	LC_COLLATE 'C' LC_CTYPE 'C'" || fail "cannot create the database restored"
RE=$(printf '%s' "$FG_PG_URL" | sed 's|^postgresql:///forage|postgresql:///restored|')
"$PG_BIN/pg_restore" -d "$RE" forage.dump 2>restore.err &&
	ok "pg_restore into an empty database" || { fail "pg_restore"; cat restore.err >&2; }
schema_check "the check passes on the restored database" "$RE" "^version 4\$"
rows="SELECT (SELECT string_agg(sha256, ',' ORDER BY id) FROM events) || ' ' ||
	(SELECT count(*) FROM outputs) || ' ' || (SELECT string_agg(status, ',' ORDER BY id) FROM acquisitions)"
# (the events' sha256 as inserted above: 1 and 2)
for u in "$FG_PG_URL" "$RE"; do
	got=$(psql_as "$u" "$rows" -At 2>&1)
	[ "$got" = "1,2 1 success,success" ] &&
		ok "${u%%\?*}: the events, outputs and acquisitions recorded" ||
		fail "${u%%\?*}: events, outputs, acquisitions: $got"
done

# ---- (e) the tables and their columns are SQLite's, in order.
expect_exit 0 "forage case init" -- "$FORAGE" case init --case-db case.db --case C1
sql case.db "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
	WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid" >lite-cols.txt
$FG_PG_PSQL -At -c "SELECT table_name, column_name FROM information_schema.columns
	WHERE table_schema = 'public' AND table_name NOT IN ('forage_schema', 'lab_notes')
	ORDER BY table_name COLLATE \"C\", ordinal_position" >pg-cols.txt
[ "$(cut -d'|' -f1 lite-cols.txt | sort -u | wc -l)" -ge 17 ] || fail "SQLite's tables not read"
if diff -u lite-cols.txt pg-cols.txt >cols.diff; then
	ok "the same $(cut -d'|' -f1 pg-cols.txt | sort -u | wc -l) tables, each with SQLite's columns in order"
else
	fail "the tables or their columns differ from SQLite's"; cat cols.diff >&2
fi

pg_stop
done_testing
