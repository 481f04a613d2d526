#!/bin/sh
# Memory that a case database can demand (issue 19, item 8, case show): a
# database of 300,000 custody rows once made `case show` and `case show
# --json` build the whole JSON export in memory (over 600 MB).  Both now
# print row by row as they read: their peak resident size stays below 200
# MiB (measured with GNU time, not under the sanitizers, whose shadow
# memory counts too), and every row is shown.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3
[ -x /usr/bin/time ] || skip "GNU time (/usr/bin/time) is not installed"
[ "${FG_SANITIZERS:-no}" = no ] || skip "peak memory is not measured under the sanitizers"

make_data src.bin 100000
"$FORAGE" acquire src.bin -o HD1 --format raw --case C --evidence E \
	--case-db big.db --progress none >/dev/null 2>&1 || fail "acquisition into big.db"
sql big.db "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r
	WHERE i < 300000) INSERT INTO custody(case_id, evidence_id, utc, examiner,
	action, from_party, to_party, location, reason) SELECT 'C', 'E',
	'2026-01-01T00:00:00Z', 'examiner ' || i, 'transferred', 'party ' || i,
	'party ' || (i + 1), 'room ' || (i % 100), 'hand-over number ' || i FROM r"
[ "$(sql big.db "SELECT count(*) FROM custody")" = 300000 ] && ok "300,000 custody rows" ||
	fail "custody rows: $(sql big.db 'SELECT count(*) FROM custody')"
# And 300,000 events after forage's 4 (their hashes made up: the audit
# finds the log broken, the report is still written, exit 1).
sql big.db "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r
	WHERE i < 300000) INSERT INTO events(utc, kind, examiner, case_id,
	evidence_id, subject_id, details, prev_sha256, sha256) SELECT
	'2026-01-01T00:00:00Z', 'custody', 'examiner ' || i, 'C', 'E', i,
	'{\"n\":' || i || '}', printf('%064d', i), printf('%064d', i + 1) FROM r"
[ "$(sql big.db "SELECT count(*) FROM events")" = 300004 ] && ok "300,004 events" ||
	fail "events: $(sql big.db 'SELECT count(*) FROM events')"

expect_exit 0 "case show of 300,000 custody rows" -- /usr/bin/time -f 'maxrss %M' -o rss.txt \
	"$FORAGE" case show --case-db big.db
kb=$(sed -n 's/^maxrss //p' rss.txt)
[ -n "$kb" ] && [ "$kb" -lt 204800 ] && ok "case show: peak resident size ${kb} KiB < 200 MiB" ||
	fail "case show: peak resident size ${kb:-unknown} KiB (bound 200 MiB)"
n=$(grep -c 'hand-over number' out.txt)
[ "$n" -eq 300000 ] && ok "every custody row shown" || fail "custody rows shown: $n"

# --json: the document is written as it is read, every row in it.
expect_exit 0 "case show --json of 300,000 custody rows" -- /usr/bin/time -f 'maxrss %M' \
	-o rss.txt "$FORAGE" case show --json --case-db big.db
kb=$(sed -n 's/^maxrss //p' rss.txt)
[ -n "$kb" ] && [ "$kb" -lt 204800 ] && ok "case show --json: peak resident size ${kb} KiB < 200 MiB" ||
	fail "case show --json: peak resident size ${kb:-unknown} KiB (bound 200 MiB)"
n=$(grep -c '"reason": "hand-over number [0-9]*"' out.txt)
[ "$n" -eq 300000 ] && ok "every custody row in the JSON" || fail "custody rows in the JSON: $n"
expect_in out.txt '"reason": "hand-over number 300000"' "the last custody row in the JSON"
[ "$(last_line out.txt)" = "}" ] && ok "the JSON document is whole" || fail "JSON ends: $(last_line out.txt)"
# report: the custody and the event log are cut to their first and last
# 5,000 rows, and every format says so where they are cut (issue 19, item
# 8, report).  Before: over 1.4 GB for html and text.
for f in html text; do
	expect_exit 1 "report --format $f (the event log is broken)" -- \
		/usr/bin/time -f 'maxrss %M' -o rss.txt \
		"$FORAGE" report --format "$f" --case-db big.db -o "report.$f"
	kb=$(sed -n 's/^maxrss //p' rss.txt)
	[ -n "$kb" ] && [ "$kb" -lt 204800 ] && ok "report $f: peak resident size ${kb} KiB < 200 MiB" ||
		fail "report $f: peak resident size ${kb:-unknown} KiB (bound 200 MiB)"
	expect_in err.txt "event log broken" "report $f: the broken log named"
	if [ "$f" = html ]; then cell='<td>%s</td>'; else cell='Reason: +%s$'; fi
	# shellcheck disable=SC2059
	for n in 1 5000 295001 300000; do
		expect_in "report.$f" "$(printf "$cell" "hand-over number $n")" \
			"report $f: custody #$n listed"
	done
	# shellcheck disable=SC2059
	grep -qE "$(printf "$cell" "hand-over number 5001")" "report.$f" &&
		fail "report $f: custody #5001 listed" || ok "report $f: custody #5001 not listed"
	expect_in "report.$f" "290000 custody entries are NOT listed here, after #5000 and before #295001: of the 300000 in the case database this report lists the first 5000 and the last 5000, and no more.  forage case show --case C --evidence E lists them all." \
		"report $f: where custody is cut, and how much"
	expect_in "report.$f" "290004 events are NOT listed here, after #5000 and before #295005: of the 300004 in the case database" \
		"report $f: where the event log is cut, and how much"
	expect_in "report.$f" "Lists cut short.*yes: 290000 custody entries of 1 evidence item\(s\) and 290004 events of the event log are not listed" \
		"report $f: the cut is stated at the top"
	# The event log appendix: a row (html) or an entry (text) an event.
	if [ "$f" = html ]; then
		ev='<tr><td>%s</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>custody: '
	else
		ev='^  - #: +%s$'
	fi
	# shellcheck disable=SC2059
	expect_in "report.$f" "$(printf "$ev" 295005)" "report $f: the last events listed"
	# shellcheck disable=SC2059
	grep -qE "$(printf "$ev" 5001)" "report.$f" && fail "report $f: event 5001 listed" ||
		ok "report $f: event 5001 not listed"
done
done_testing
