#!/bin/sh
# Reports of a case database with more evidence items, and more
# acquisitions of one item, than a report lists (issue 19, item 8): the
# export keeps the first and the last 5,000 of each, every format says how
# many it leaves out and where, the summary names the cut, and case show
# --json still lists them all.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy
need_cmd sqlite3 jq

make_data src.bin 4096
"$FORAGE" acquire src.bin -o HD1 --format raw --case C --evidence E00000 \
	--case-db many.db --progress none >/dev/null 2>&1 || fail "acquisition into many.db"
# Rows added behind forage's back (no events: the audit says BROKEN and
# report exits 1, which is not what is tested here).
sql many.db "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 10001)
	INSERT INTO evidence(case_id, evidence_id, created_utc, examiner)
	SELECT 'C', printf('E%05d', i), '2026-01-01T00:00:00Z', 'x' FROM r;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 10002)
	INSERT INTO acquisitions(case_id, evidence_id, examiner, status, exit_code,
	started_utc, finished_utc, tool_name, host, source_path,
	logical_sector_size, physical_sector_size, format)
	SELECT 'C', 'E00000', 'x', 'success', 0, '2026-01-01T00:00:00Z',
	'2026-01-01T00:00:01Z', 'forage', 'elsewhere', 'dev' || i, 512, 512, 'raw' FROM r" ||
	fail "rows added with sqlite3"
[ "$(sql many.db "SELECT (SELECT count(*) FROM evidence) || ' ' || (SELECT count(*) FROM acquisitions)")" = "10002 10003" ] &&
	ok "10,002 evidence items, 10,003 acquisitions" || fail "row counts"

expect_exit 1 "report --format json (log broken: rows added outside forage)" -- \
	"$FORAGE" report --case-db many.db --case C --format json -o r.json
[ "$(jq '.export.cases[0].evidence | length' r.json)" = 10000 ] &&
	[ "$(jq -c '.export.cases[0].evidence_omitted' r.json)" = '{"count":2,"after":5000}' ] &&
	ok "json: 10,000 items listed, evidence_omitted says 2 after 5,000" ||
	fail "json items: $(jq -c '.export.cases[0].evidence_omitted' r.json)"
e0=$(jq '[.export.cases[0].evidence[] | select(.evidence_id == "E00000")][0]' r.json)
[ "$(echo "$e0" | jq '.acquisitions | length')" = 10000 ] &&
	[ "$(echo "$e0" | jq -c .acquisitions_omitted)" = '{"count":3,"after":5000}' ] &&
	ok "json: 10,000 acquisitions of E00000 listed, 3 omitted" ||
	fail "json acquisitions: $(echo "$e0" | jq -c .acquisitions_omitted)"

expect_exit 1 "report --format text" -- "$FORAGE" report --case-db many.db --case C --format text -o r.txt
expect_in r.txt "Lists cut short: +yes: .*2 evidence items.*3 acquisitions" "text: the summary names both cuts"
expect_in r.txt "2 evidence items are NOT listed here, after #.* and before #.*: of the 10002 in the case database this report lists the first 5000 and the last 5000" \
	"text: where the items are cut"
expect_in r.txt "3 acquisitions are NOT listed here, after #.* and before #.*: of the 10003 in the case database" \
	"text: where the acquisitions are cut"
# Under the sanitizers (ten times slower) json and text are enough: the
# other formats read the same export through the same cut helpers.
if [ "${FG_SANITIZERS:-no}" != no ]; then
	done_testing
fi
expect_exit 1 "report --format dfxml" -- "$FORAGE" report --case-db many.db --case C --format dfxml -o r.xml
grep -c "<forage:not_listed" r.xml | grep -qx 2 && ok "dfxml: two not_listed elements" || fail "dfxml not_listed: $(grep -c '<forage:not_listed' r.xml)"
expect_exit 1 "report --format case-uco" -- "$FORAGE" report --case-db many.db --case C --format case-uco -o r.jsonld
grep -q "evidence-not-listed" r.jsonld && grep -q "acquisitions-not-listed" r.jsonld &&
	ok "case-uco: both cuts annotated" || fail "case-uco annotations"

expect_exit 0 "case show --json lists all" -- "$FORAGE" case show --case-db many.db --case C --json
[ "$(jq '.cases[0].evidence | length' out.txt)" = 10002 ] && ok "case show --json: all 10,002 items" ||
	fail "case show --json items: $(jq '.cases[0].evidence | length' out.txt)"
done_testing
