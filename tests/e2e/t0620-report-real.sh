#!/bin/sh
# forage report on a case made entirely by forage itself: a raw acquisition
# of a file (HD1), an E01 acquisition of a real failing drive (HD2: FUSE +
# loop, two unreadable ranges), `forage verify --case` of both, two custody
# events.  Every format states every hash, bad range and custody event the
# database holds, and the verifications with their results.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/report.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
need_cmd jq xmllint sqlite3
faultdev_need
DB=$T/case.db
export FORAGE_EXAMINER="Jo Smith"

make_data hd1.img 1048576
expect_exit 0 "HD1: raw acquisition" -- "$FORAGE" acquire hd1.img -o HD1 --format raw \
	--case 2026-041 --evidence HD1 --case-db "$DB" --hash-window 256K --progress none
make_data hd2.img 2097152
faultdev_start hd2.img 512 --bad "77,1500-1502"
expect_exit 3 "HD2: E01 of a failing drive" -- "$FORAGE" acquire "$FAULTDEV" -o HD2 \
	--format e01 --case 2026-041 --evidence HD2 --case-db "$DB" --retries 1 --progress none
faultdev_stop
add_custody "$DB"
expect_exit 0 "verify --case: both items" -- env FORAGE_EXAMINER="Kim Lee" "$FORAGE" verify \
	--case 2026-041 --case-db "$DB" --progress none
expect_exit 0 "the event log is intact" -- "$FORAGE" case audit --case-db "$DB"

report_facts "$DB"
[ "$(cat lbas.txt | tr '\n' ' ')" = "77 1500 " ] && ok "bad ranges 77 and 1500 in the database" ||
	fail "bad ranges: $(cat lbas.txt)"
[ "$(sql "$DB" "SELECT count(*) FROM verifications WHERE result = 'match'")" -eq 2 ] &&
	ok "2 verifications recorded, both match" || fail "verifications: $(sql "$DB" 'SELECT result FROM verifications')"

for f in text html json dfxml case-uco; do
	expect_exit 0 "report --format $f" -- "$FORAGE" report --case 2026-041 \
		--case-db "$DB" --format "$f" -o "report.$f"
	every_fact "report.$f" "$f"
	grep -q "Kim Lee" "report.$f" && ok "$f: the verifier is named" || fail "$f: verifier missing"
done
jq -e '[.export.cases[0].evidence[].verifications[] | .result] == ["match","match"]' report.json >/dev/null &&
	ok "JSON: both verifications match" || fail "JSON verifications"
xmllint --noout report.dfxml && ok "DFXML well-formed" || fail "DFXML"
jq -e '."@graph" | length > 0' report.case-uco >/dev/null && ok "CASE/UCO parses" || fail "CASE/UCO"
expect_in report.text 'Result: +completed with errors' "HD2's result in the text report"
done_testing
