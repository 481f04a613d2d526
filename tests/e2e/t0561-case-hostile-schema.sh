#!/bin/sh
# A case database whose schema is not forage's own is refused before any
# query of it (issue 19, item 4): a table replaced by a VIEW that never
# ends (a recursive CTE), a trigger forage did not make (or one of its
# guards rewritten) running such a query, a table with a column forage
# does not know.  report, case show, case audit, custody add, verify
# --case-db and acquire refuse it at once: exit 2, the object named, the
# file's bytes unchanged.  Each run is under `timeout 60`, so a regression
# fails (exit 124) instead of hanging; no duration is asserted.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3 sha256sum timeout

make_data src.bin 100000
"$FORAGE" acquire src.bin -o ev --format raw --case C --evidence E \
	--case-db good.db --progress none >/dev/null 2>&1 || fail "acquisition into good.db"
"$FORAGE" case custody add --case-db good.db --case C --evidence E \
	--action stored >/dev/null 2>&1 || fail "custody add into good.db"
rm -f good.db-wal good.db-shm

# The query that never ends, as the columns of a forage table.
forever="WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)"

# hostile NAME SQL MESSAGE VERB...: good.db changed by SQL is refused by
# each VERB (report, show, audit, custody, verify, acquire) naming MESSAGE.
hostile() {
	name=$1; change=$2; msg=$3; shift 3
	dbf="$(echo "$name" | tr -c 'a-z0-9\n' '-').db"
	cp good.db "$dbf"
	sql "$dbf" "$change"
	rm -f "$dbf-wal" "$dbf-shm"
	before=$(sha256sum <"$dbf")
	for verb in "$@"; do
		case $verb in
		report) set -- report --case-db "$dbf" --format html -o "$dbf.html" ;;
		show) set -- case show --case-db "$dbf" ;;
		audit) set -- case audit --case-db "$dbf" ;;
		custody) set -- case custody add --case-db "$dbf" --case C --evidence E --action stored ;;
		verify) set -- verify ev.raw --case-db "$dbf" ;;
		acquire) rm -rf "o-$dbf"; mkdir "o-$dbf"
			set -- acquire src.bin -o "o-$dbf/HD1" --format raw --case C \
				--evidence E --case-db "$dbf" --progress none ;;
		esac
		expect_exit 2 "$name: $verb refused" -- timeout 60 "$FORAGE" "$@"
		expect_in err.txt "case database $dbf: $msg; left as it is" "$name: $verb names it"
	done
	[ ! -e "$dbf.html" ] && ok "$name: no report written" || fail "$name: report written"
	[ "$(sha256sum <"$dbf")" = "$before" ] && ok "$name: file untouched (sha256)" ||
		fail "$name: file changed"
}

all="report show audit custody verify acquire"

hostile "events a recursive view" "DROP TABLE events; CREATE VIEW events AS $forever
	SELECT i AS id, '' AS utc, '' AS kind, '' AS examiner, NULL AS case_id,
	NULL AS evidence_id, NULL AS subject_id, '' AS details, '' AS prev_sha256,
	'' AS sha256 FROM r" "events is a view, not forage's table" $all

hostile "custody a recursive view" "DROP TABLE custody; CREATE VIEW custody AS $forever
	SELECT i AS id, 'C' AS case_id, 'E' AS evidence_id, '' AS utc, '' AS examiner,
	'stored' AS action, NULL AS from_party, NULL AS to_party, NULL AS location,
	NULL AS reason FROM r" "custody is a view, not forage's table" $all

hostile "a trigger of its own" "CREATE TRIGGER slow AFTER INSERT ON custody BEGIN
	SELECT count(*) FROM ($forever SELECT i FROM r); END" \
	"a trigger forage did not make: slow" $all

hostile "a guard rewritten" "DROP TRIGGER events_no_update;
	CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN
	SELECT count(*) FROM ($forever SELECT i FROM r); END" \
	"trigger events_no_update is not the one forage made" $all

hostile "a view of its own" "CREATE VIEW everything AS $forever SELECT i FROM r" \
	"a view forage did not make: everything" show custody

hostile "a column more" "ALTER TABLE custody ADD COLUMN note TEXT" \
	"table custody does not have forage's columns" show custody

hostile "a virtual table" "DROP TABLE custody; CREATE VIRTUAL TABLE custody USING
	fts5(id, case_id, evidence_id, utc, examiner, action, from_party, to_party,
	location, reason)" "table custody is not a plain table" show custody

# The same database found by default beside the evidence: the verification
# stands, is not recorded, says why, and ends.
mkdir plain
"$FORAGE" acquire src.bin -o plain/ev --format raw --progress none >/dev/null 2>&1 ||
	fail "plain acquisition"
rm -f plain/case.db-wal plain/case.db-shm
cp a-trigger-of-its-own.db plain/case.db
expect_exit 0 "verify with a hostile case.db beside the evidence" -- timeout 60 "$FORAGE" \
	verify plain/ev.raw
expect_in err.txt "case database [^ ]*plain/case.db: a trigger forage did not make: slow" \
	"verify says why it was not recorded"

# forage's own database is still read and written.
expect_exit 0 "good.db: case show" -- timeout 60 "$FORAGE" case show --case-db good.db
expect_exit 0 "good.db: custody add" -- timeout 60 "$FORAGE" case custody add --case-db good.db \
	--case C --evidence E --action checked-out
expect_exit 0 "good.db: audit" -- timeout 60 "$FORAGE" case audit --case-db good.db
done_testing
