#!/bin/sh
# Memory that the other lists of a case database can demand (issue 19,
# item 8, report): an acquisition with 300,000 bad ranges, 100,000 hash
# windows and 20,000 outputs, a verification of it with 300,000 diffs and
# 12,000 hashes, and 12,000 verifications of its item once made report
# --format html peak at about 700 MB.  The report lists the first and the
# last 5,000 rows of each, as it does custody and the event log, says in
# every place how many it leaves out, and stays below 200 MiB (measured
# with GNU time, not under the sanitizers); case show --json still lists
# them all.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy
need_cmd sqlite3
[ -x /usr/bin/time ] || skip "GNU time (/usr/bin/time) is not installed"
[ "${FG_SANITIZERS:-no}" = no ] || skip "peak memory is not measured under the sanitizers"

make_data src.bin 100000
"$FORAGE" acquire src.bin -o HD1 --format raw --case C --evidence E \
	--case-db big.db --progress none >/dev/null 2>&1 || fail "acquisition into big.db"
# 12,001 verifications of the item, in a database of their own (the
# hashes and diffs of each are looked up by a scan of their tables).
cp big.db many.db
sql many.db "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 12001)
	INSERT INTO verifications(acquisition_id, case_id, evidence_id, examiner,
	started_utc, finished_utc, target, method, result, exit_code) SELECT 1,
	'C', 'E', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z',
	'verified target ' || i, 'reread', 'match', 0 FROM r" || fail "verifications added"
# Rows of an acquisition are only added while it runs (forage's triggers):
# a second one is recorded as running, filled, then closed.  Its events
# were never written: the audit finds the log broken, the report exits 1.
sql big.db "INSERT INTO acquisitions(case_id, evidence_id, examiner, status,
	started_utc, tool_name, host, source_path, logical_sector_size,
	physical_sector_size, format) VALUES ('C', 'E', 'x', 'running',
	'2026-01-01T00:00:00Z', 'forage', 'elsewhere', 'dev.bin', 512, 512, 'raw');
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 300000)
	INSERT INTO bad_ranges(acquisition_id, first_lba, count) SELECT 2, 2 * i, 1 FROM r;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100000)
	INSERT INTO hash_windows(acquisition_id, algorithm, idx, offset, length, hex)
	SELECT 2, 'sha256', i - 1, 4096 * (i - 1), 4096, printf('%064d', i) FROM r;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 20000)
	INSERT INTO outputs(acquisition_id, path, size) SELECT 2, 'out-' || i || '.raw', i FROM r;
UPDATE acquisitions SET status = 'completed with errors', exit_code = 1,
	finished_utc = '2026-01-01T01:00:00Z' WHERE id = 2;
INSERT INTO verifications(acquisition_id, case_id, evidence_id, examiner,
	started_utc, finished_utc, target, method, result, exit_code) VALUES (2,
	'C', 'E', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z',
	'verified target 1', 'reread', 'mismatch', 1);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 300000)
	INSERT INTO verification_diffs(verification_id, file, offset, length, what)
	SELECT 1, 'dev.raw', 512 * i, 512, 'differs number ' || i FROM r;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 12000)
	INSERT INTO verification_hashes(verification_id, file, algorithm, expected,
	computed, match) SELECT 1, 'part-' || i, 'sha256', printf('%064d', i),
	printf('%064d', i + 1), 0 FROM r" || fail "rows added with sqlite3"
[ "$(sql big.db "SELECT (SELECT count(*) FROM bad_ranges) || ' ' ||
	(SELECT count(*) FROM verification_diffs)")" = "300000 300000" ] &&
	ok "300,000 bad ranges and 300,000 diffs" || fail "rows: $(sql big.db "SELECT count(*) FROM bad_ranges")"

for f in html text; do
	expect_exit 1 "report --format $f (the event log is broken)" -- \
		/usr/bin/time -f 'maxrss %M' -o rss.txt \
		"$FORAGE" report --format "$f" --case-db big.db -o "report.$f"
	kb=$(sed -n 's/^maxrss //p' rss.txt)
	[ -n "$kb" ] && [ "$kb" -lt 204800 ] && ok "report $f: peak resident size ${kb} KiB < 200 MiB" ||
		fail "report $f: peak resident size ${kb:-unknown} KiB (bound 200 MiB)"
	see="and no more.  forage case show --case C --evidence E --json lists them all."
	expect_in "report.$f" "290000 bad ranges are NOT listed here, after #5000 and before #295001: of the 300000 in the case database this report lists the first 5000 and the last 5000, $see" \
		"report $f: where the bad ranges are cut, and how much"
	expect_in "report.$f" "90000 hash windows are NOT listed here, after #5000 and before #95001: of the 100000 .*$see" \
		"report $f: where the hash windows are cut"
	expect_in "report.$f" "10000 output files are NOT listed here, after #5000 and before #15001: of the 20000 .*$see" \
		"report $f: where the outputs are cut"
	expect_in "report.$f" "290000 verification differences are NOT listed here, after #5000 and before #295001: of the 300000 .*$see" \
		"report $f: where the diffs are cut"
	expect_in "report.$f" "2000 verification hashes are NOT listed here, after #5000 and before #7001: of the 12000 .*$see" \
		"report $f: where the verification hashes are cut"
	expect_in "report.$f" "Lists cut short.*yes: 10000 output files, 290000 bad ranges, 90000 hash windows, 2000 verification hashes and 290000 verification differences are not listed" \
		"report $f: the cuts are stated at the top"
	for n in 1 5000 295001 300000; do
		expect_in "report.$f" "differs number $n<|differs number $n\$" "report $f: diff #$n listed"
	done
	grep -qE "differs number 5001(<|\$)" "report.$f" && fail "report $f: diff #5001 listed" ||
		ok "report $f: diff #5001 not listed"
	expect_exit 1 "report --format $f of 12,001 verifications" -- \
		"$FORAGE" report --format "$f" --case-db many.db -o "many.$f"
	expect_in "many.$f" "2001 verifications are NOT listed here, after #5000 and before #7002: of the 12001 .*$see" \
		"report $f: where the verifications are cut"
	expect_in "many.$f" "Lists cut short.*yes: 2001 verifications are not listed" \
		"report $f: the verifications cut stated at the top"
	expect_in "many.$f" "verified target 7002" "report $f: verification #7002 listed"
	grep -qE "verified target 5001(<|\$)" "many.$f" && fail "report $f: verification #5001 listed" ||
		ok "report $f: verification #5001 not listed"
done
# The summary on page 1 names 10 verifications of the item, counts the
# others listed by verdict and says how many are not listed.
n=$(grep -c '^  Verified (forage verify):' many.text)
[ "$n" -eq 12 ] && ok "text summary: 10 verifications, then 2 lines of counts" ||
	fail "text summary: $n verification lines"
expect_in many.text 'Verified \(forage verify\): +9990 more listed in the details: 9990 match, 0 do not' \
	"text summary: the verifications listed in the details, counted"
expect_in many.text 'Verified \(forage verify\): +2001 more verifications not listed in this report' \
	"text summary: the verifications not listed, counted"
for f in json dfxml case-uco; do
	expect_exit 1 "report --format $f" -- "$FORAGE" report --format "$f" --case-db big.db -o "report.$f"
	[ "$f" = json ] && continue
	expect_in "report.$f" "290000 bad ranges are NOT listed here" "report $f: the bad ranges cut"
	expect_in "report.$f" "290000 verification differences are NOT listed here" \
		"report $f: the diffs cut"
done
for k in outputs bad_ranges hash_windows hashes diffs; do
	expect_in report.json "\"${k}_omitted\": \\{" "report json: ${k}_omitted"
done

# case show --json: every row, none cut.
expect_exit 0 "case show --json" -- "$FORAGE" case show --json --case-db big.db
n=$(grep -c '"what": "differs number [0-9]*"' out.txt)
[ "$n" -eq 300000 ] && ok "every diff in case show --json" || fail "diffs in case show --json: $n"
grep -q '_omitted' out.txt && fail "case show --json: a list cut" || ok "case show --json: no list cut"
done_testing
