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
done_testing
