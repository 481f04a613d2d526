#!/bin/sh
# Schema version 3 (issue 19, item 8): a database of schema version 2 (made
# here from casedb-v1.sql and the statements of the version 1 -> 2
# migration, as the previous forage made it) is read as it is by show,
# audit and report, and the first write brings it to version 3: the
# indexes on the rows a verification owns (and on verifications and
# custody by item), custody.happened_utc (NULL in old rows), the table
# amendments with its guards; the old events still verify.  A report of a
# database with 300 verifications of 300 differences each finishes, and its
# lookups use the indexes (EXPLAIN QUERY PLAN: an outcome, not a time).
# The schema check covers indexes: one forage did not make, or one of its
# own rewritten, is refused and left as it is; one of its own dropped is
# only slower and is opened.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq sqlite3 sha256sum timeout
unset FORAGE_CASE_DB
export FORAGE_EXAMINER="Vera Three"

sqlite3 v2.db <"$FG_SRCDIR/tests/e2e/casedb-v1.sql" || fail "loading casedb-v1.sql"
sql v2.db "ALTER TABLE verification_hashes ADD COLUMN what TEXT;
	ALTER TABLE verification_hashes ADD COLUMN source TEXT;
	PRAGMA user_version = 2;" || fail "making version 2"
[ "$(sql v2.db "PRAGMA user_version")" = 2 ] || fail "fixture is not schema version 2"

# Many verifications x many differences (rows without events: the audit
# of this copy names them; the report is what is measured).
cp v2.db big.db
sql big.db "
WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE i < 302)
INSERT INTO verifications(id, acquisition_id, case_id, evidence_id, examiner,
	started_utc, finished_utc, target, method, result, exit_code)
	SELECT i, 1, 'C1', 'ODD', 'Bulk', '2026-12-01T00:00:00Z',
	'2026-12-01T00:00:01Z', 'ODD.E01', 'forage verify', 'mismatch', 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE i < 302),
	d(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM d WHERE j < 300)
INSERT INTO verification_diffs(verification_id, file, offset, length, what)
	SELECT i, 'ODD.E01', j * 512, 512, 'differs' FROM n, d;
WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE i < 302)
INSERT INTO verification_hashes(verification_id, file, algorithm, expected,
	computed, match) SELECT i, NULL, 'md5', 'aa', 'bb', 0 FROM n;" ||
	fail "filling big.db"
[ "$(sql big.db "SELECT count(*) FROM verification_diffs")" = 90000 ] || fail "big.db diffs"
plan() { sql "$1" "EXPLAIN QUERY PLAN SELECT file, offset FROM verification_diffs
	WHERE verification_id = 7 ORDER BY id; EXPLAIN QUERY PLAN SELECT file FROM
	verification_hashes WHERE verification_id = 7 ORDER BY id"; }
plan big.db | grep -q "SCAN verification_diffs" &&
	ok "version 2: a verification's diffs are found by reading the whole table" ||
	fail "version 2 plan: $(plan big.db)"

# ---- Read-only: left as it is ----------------------------------------------
sum=$(sha256sum <v2.db)
expect_exit 0 "case show on a version 2 database" -- "$FORAGE" case show --case-db v2.db
expect_in out.txt "^Case C1" "show v2: the case"
expect_exit 0 "audit a version 2 database" -- "$FORAGE" case audit --case-db v2.db
expect_in out.txt "all 6 events intact" "audit v2: intact"
expect_exit 0 "report on a version 2 database" -- "$FORAGE" report --case-db v2.db --case C1 --format json -o v2.json
[ "$(jq -r .export.schema_version v2.json)" = 2 ] && ok "report v2: schema version 2" || fail "report schema_version"
[ "$(sha256sum <v2.db)" = "$sum" ] && [ "$(sql v2.db "PRAGMA user_version")" = 2 ] &&
	ok "reading left the version 2 database as it was" || fail "reading changed v2.db"

# ---- The first write migrates ----------------------------------------------
ntrig=$(sql v2.db "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
expect_exit 0 "custody add upgrades" -- "$FORAGE" case custody add --case-db v2.db --case C1 \
	--evidence ODD --action stored --location "Locker 3"
[ "$(sql v2.db "PRAGMA user_version")" = 4 ] && ok "upgraded to schema version 4" || fail "not upgraded"
idx=$(sql v2.db "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name" | tr '\n' ' ')
[ "$idx" = "acquisitions_by_item amendments_by_item bad_ranges_by_acq custody_by_item events_by_subject imported_events_by_subject imported_rows_by_target outputs_by_acq verification_diffs_by_verification verification_hashes_by_verification verifications_by_item " ] &&
	ok "version 3 and 4 indexes: $idx" || fail "indexes: $idx"
[ "$(sql v2.db "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")" = $((ntrig + 2 + 2 + 6)) ] &&
	ok "the guards all still there, and those of amendments, seals and case import (version 4)" || fail "triggers"
[ "$(sql v2.db "SELECT count(*) FROM custody WHERE happened_utc IS NULL")" = 1 ] &&
	ok "custody.happened_utc: NULL when not said" || fail "happened_utc"
expect_exit 0 "audit the upgraded database" -- "$FORAGE" case audit --case-db v2.db
expect_in out.txt "all 7 events intact" "audit: the events of version 2 and the new one intact"
cp v2.db am.db
sql am.db "INSERT INTO amendments(case_id, field, value, utc, examiner) VALUES ('C1', 'description', 'x', 'now', 'me')"
sql am.db "UPDATE amendments SET value = 'y'" 2>sq.err &&
	fail "UPDATE of amendments allowed" || expect_in sq.err "append-only" "amendments: UPDATE refused"
expect_exit 1 "audit: an amendment added outside forage" -- "$FORAGE" case audit --case-db am.db
expect_in out.txt "amendment 1 has no amended event" "audit names the amendment no event recorded"

# ---- Version 3 -> 4: the tables seals and of case import -------------------
# A database of version 3 is one of version 4 without the tables seals,
# imports, imported_events, imported_rows and their guards (version 4 only
# adds them).
cp v2.db v3.db
rm -f v3.db-wal v3.db-shm
sql v3.db "DROP TRIGGER seals_no_update; DROP TRIGGER seals_no_delete; DROP TABLE seals;
	DROP TRIGGER imported_rows_no_update; DROP TRIGGER imported_rows_no_delete;
	DROP TRIGGER imported_events_no_update; DROP TRIGGER imported_events_no_delete;
	DROP TRIGGER imports_no_update; DROP TRIGGER imports_no_delete;
	DROP TABLE imported_rows; DROP TABLE imported_events; DROP TABLE imports;
	PRAGMA user_version = 3;" || fail "making version 3"
sum=$(sha256sum <v3.db)
expect_exit 0 "audit a version 3 database" -- "$FORAGE" case audit --case-db v3.db
expect_in out.txt "all 7 events intact" "audit v3: intact, no seals table needed"
[ "$(sha256sum <v3.db)" = "$sum" ] && ok "reading left the version 3 database as it was" || fail "reading changed v3.db"
expect_exit 0 "case seal upgrades a version 3 database" -- "$FORAGE" case seal --case-db v3.db
[ "$(sql v3.db "PRAGMA user_version")" = 4 ] && ok "v3 upgraded to schema version 4" || fail "v3 not upgraded"
[ "$(sql v3.db "SELECT head_event || ' ' || name FROM seals")" = "7 $(ls v3.db.seal-7-*.json)" ] &&
	ok "the seal is stored in the table seals" || fail "seals: $(sql v3.db "SELECT * FROM seals")"
sql v3.db "DELETE FROM seals" 2>sq.err && fail "DELETE of seals allowed" ||
	expect_in sq.err "seals is append-only: DELETE refused" "seals: DELETE refused"
sql v3.db "DROP TRIGGER seals_no_delete"
expect_exit 1 "audit: the guard of seals dropped" -- "$FORAGE" case audit --case-db v3.db
expect_in out.txt "triggers that refuse changes were removed: seals_no_delete" "audit names the dropped guard of seals"

# ---- Many verifications x many differences ---------------------------------
expect_exit 0 "custody add upgrades big.db" -- "$FORAGE" case custody add --case-db big.db --case C1 \
	--evidence ODD --action stored
[ "$(sql big.db "PRAGMA user_version")" = 4 ] || fail "big.db not upgraded"
plan big.db | grep -q "SEARCH verification_diffs USING INDEX verification_diffs_by_verification" &&
	plan big.db | grep -q "SEARCH verification_hashes USING INDEX verification_hashes_by_verification" &&
	ok "version 3: a verification's diffs and hashes are found by their index" ||
	fail "version 3 plan: $(plan big.db)"
"$FORAGE" report --case-db big.db --case C1 --format json -o big.json >out.txt 2>err.txt
[ -s big.json ] && [ "$(jq '[.. | objects | select(has("verification_id") or (has("result") and has("method")))] | length' big.json)" -ge 300 ] &&
	ok "report of 300 verifications x 300 differences written" || fail "big report: $(tail -3 err.txt)"

# ---- Indexes in the schema check ------------------------------------------
cp v2.db idx.db
rm -f idx.db-wal idx.db-shm
sql idx.db "CREATE INDEX custody_odd ON custody(abs(length(reason)) + 1) WHERE reason IS NOT NULL"
before=$(sha256sum <idx.db)
expect_exit 2 "an index forage did not make: show" -- timeout 60 "$FORAGE" case show --case-db idx.db
expect_in err.txt "case database idx.db: a index forage did not make: custody_odd; left as it is" "unknown index named"
expect_exit 2 "an index forage did not make: custody add" -- timeout 60 "$FORAGE" case custody add \
	--case-db idx.db --case C1 --evidence ODD --action stored
[ "$(sha256sum <idx.db)" = "$before" ] && ok "unknown index: file untouched" || fail "idx.db changed"
cp v2.db rw.db
rm -f rw.db-wal rw.db-shm
sql rw.db "DROP INDEX verification_diffs_by_verification;
	CREATE INDEX verification_diffs_by_verification ON verification_diffs(verification_id, length(what))"
expect_exit 2 "a forage index rewritten: report" -- timeout 60 "$FORAGE" report --case-db rw.db --format json -o rw.json
expect_in err.txt "case database rw.db: index verification_diffs_by_verification is not the one forage made; left as it is" \
	"rewritten index named"
cp v2.db dropped.db
rm -f dropped.db-wal dropped.db-shm
sql dropped.db "DROP INDEX custody_by_item"
expect_exit 0 "a forage index dropped: show still reads" -- timeout 60 "$FORAGE" case show --case-db dropped.db
done_testing
