#!/bin/sh
# forage report: a case with two evidence items (a raw acquisition by
# forage acquire, and an E01 acquisition of a failing drive with two
# unreadable ranges written through the case database API), one
# verification, two custody events (forage case custody add), in every
# format: JSON and CASE/UCO parse, DFXML is well-formed, HTML prints to PDF
# in headless Chromium, and every hash, bad range, custody event and event
# of the database appears in each.  Then a broken event log, and the
# refusals (missing case or database, existing output).
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/report.sh"
need_cmd jq xmllint sqlite3
FIXTURE=$FG_BUILDDIR/tests/e2e/casedb-fixture
[ -x "$FIXTURE" ] || skip "needs $FIXTURE (make builds it)"
DB=$T/case.db
export FORAGE_EXAMINER="Jo Smith"

# ---- the case ---------------------------------------------------------------
make_data disk.img 1048576
expect_exit 0 "raw acquisition of HD1" -- "$FORAGE" acquire disk.img -o HD1 \
	--format raw --case 2026-041 --evidence HD1 --case-db "$DB" \
	--description "USB stick from desk 3" --hash-window 256K --progress none
expect_exit 0 "E01 acquisition of the failing HD2 (casedb API)" -- \
	"$FIXTURE" "$DB" failing-acquisition 2026-041 HD2 "Jo Smith"
add_custody "$DB"
expect_exit 0 "verification of acquisition 1 (casedb API)" -- \
	"$FIXTURE" "$DB" verification 1 "Kim Lee"
expect_exit 0 "the event log is intact" -- "$FORAGE" case audit --case-db "$DB"
cp "$DB" db-before
sql "$DB" 'PRAGMA wal_checkpoint' >/dev/null 2>&1

# What the database holds, from sqlite3 itself (not from forage).
report_facts "$DB"
[ "$(cat hashes.txt events.txt | wc -l)" -ge 20 ] && ok "$(cat hashes.txt events.txt | wc -l) distinct digests in the database" ||
	fail "too few digests in the database: $(cat hashes.txt events.txt | wc -l)"
[ "$(wc -l <lbas.txt)" -eq 2 ] && ok "2 bad ranges in the database" || fail "bad ranges: $(cat lbas.txt)"
[ "$(wc -l <custody.txt)" -eq 2 ] && ok "2 custody events in the database" || fail "custody rows"
[ "$(sql "$DB" 'SELECT count(*) FROM verifications')" -eq 1 ] &&
	ok "1 verification in the database" || fail "verification rows"

for f in text html json dfxml case-uco; do
	expect_exit 0 "report --format $f" -- "$FORAGE" report --case 2026-041 \
		--case-db "$DB" --format "$f" -o "report.$f"
	[ "$(last_line err.txt)" = "SUCCESS" ] || fail "$f: last line"
	every_fact "report.$f" "$f"
done
cmp -s "$DB" db-before && ok "the database is unchanged by the reports" ||
	fail "the reports changed the database"

# text is the default, on standard output
expect_exit 0 "report to stdout" -- "$FORAGE" report --case-db "$DB"
expect_in out.txt '^Evidence report: case 2026-041' "text on stdout, the one case found"
expect_in out.txt 'Event-log audit: +intact: ' "the audit result is stated"
expect_in out.txt 'Device serial: +unknown' "an unknown serial reads unknown"
expect_in out.txt 'Result: +completed with errors' "HD2's result"
expect_in out.txt 'Examiner: +Kim Lee' "the verification's examiner"
expect_exit 0 "report --evidence HD2" -- "$FORAGE" report --case 2026-041 \
	--evidence HD2 --case-db "$DB"
grep -q 'Evidence item HD1' out.txt && fail "--evidence HD2 shows HD1" ||
	ok "--evidence HD2 shows only HD2"

# JSON and CASE/UCO parse; DFXML is well-formed
jq -e '.format == "forage-report-1" and .audit.state == "intact"' report.json >/dev/null &&
	ok "JSON parses, audit intact" || fail "JSON report"
[ "$(jq '[.export.cases[0].evidence[].acquisitions[]] | length' report.json)" -eq 2 ] &&
	ok "JSON: two acquisitions" || fail "JSON acquisitions"
jq -e '."@context"["uco-core"] and ."@context"["uco-observable"] and
	."@context"["uco-action"] and ."@context"["uco-tool"] and ."@context"["uco-types"]' \
	report.case-uco >/dev/null && ok "CASE/UCO: @context" || fail "CASE/UCO @context"
[ "$(jq '[."@graph"[] | select(."@type" == "case-investigation:InvestigativeAction"
	and ."uco-core:name" == "acquisition" and ."uco-action:performer"
	and ."uco-action:instrument" and ."uco-action:object")] | length' report.case-uco)" -eq 2 ] &&
	ok "CASE/UCO: two acquisition actions with performer, instrument, object" ||
	fail "CASE/UCO acquisition actions"
if xmllint --noout report.dfxml 2>xml.err; then ok "DFXML is well-formed"; else
	fail "DFXML not well-formed"; cat xml.err >&2; fi
[ "$(xmllint --xpath 'count(//*[local-name()="diskimageobject"])' report.dfxml)" = 2 ] &&
	ok "DFXML: two diskimageobjects" || fail "DFXML diskimageobjects"

# HTML: self-contained, prints in headless Chromium
grep -qiE '<(link|script|img)|src=|url\(' report.html && fail "HTML refers to other files" ||
	ok "HTML is self-contained"
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ] || ! command -v pdftotext >/dev/null 2>&1; then
	echo "SKIP (part): HTML print check needs chromium and pdftotext (poppler-utils)" >&2
else
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$T/chromium" \
		--no-pdf-header-footer --print-to-pdf="$T/report.pdf" \
		"file://$T/report.html" >chromium.log 2>&1
	if [ -s report.pdf ] && pdftotext report.pdf report.pdf.txt; then
		ok "Chromium printed the HTML report to PDF"
		# wrapped hashes continue on the next line: compare without blanks
		tr -d ' \n\f' <report.pdf.txt >report.pdf.flat
		every_fact report.pdf.flat "PDF of the HTML" flat
	else
		fail "Chromium made no PDF"; tail -n 20 chromium.log >&2
	fi
fi

# ---- a broken event log ----------------------------------------------------------
cp "$DB" tampered.db
trig=$(sql tampered.db "SELECT sql FROM sqlite_master WHERE name='events_no_update'")
sql tampered.db "DROP TRIGGER events_no_update;
	UPDATE events SET examiner='Mallory' WHERE id=3; $trig;"
expect_exit 1 "report on a tampered database: exit 1" -- "$FORAGE" report \
	--case 2026-041 --case-db tampered.db -o broken.txt
expect_in broken.txt 'Event-log audit: +BROKEN: first broken link at event 3' \
	"the report names the first broken link"
expect_in err.txt 'event log broken at event 3' "stderr names it too"

# ---- refusals --------------------------------------------------------------------
cp report.text before.txt
expect_exit 2 "an existing output is never overwritten" -- "$FORAGE" report \
	--case 2026-041 --case-db "$DB" -o report.text
cmp -s report.text before.txt && ok "the existing report is unchanged" ||
	fail "the existing report was changed"
expect_exit 2 "a missing case" -- "$FORAGE" report --case NOPE --case-db "$DB"
expect_in err.txt "NOPE" "the missing case is named"
expect_exit 2 "a missing evidence item" -- "$FORAGE" report --case 2026-041 \
	--evidence HD9 --case-db "$DB"
expect_exit 2 "a missing database" -- "$FORAGE" report --case 2026-041 \
	--case-db nowhere.db
[ -e nowhere.db ] && fail "a missing database was created" || ok "no database created"
head -c 8192 /dev/urandom >junk.db
cp junk.db junk.before
expect_exit 2 "a file that is not a database" -- "$FORAGE" report \
	--case 2026-041 --case-db junk.db
cmp -s junk.db junk.before && ok "the non-database is untouched" || fail "junk.db changed"
expect_exit 2 "an unknown format" -- "$FORAGE" report --case-db "$DB" --format png
expect_in err.txt "unknown report format 'png'" "the format is named"
expect_exit 2 "--sign without -o" -- "$FORAGE" report --case-db "$DB" \
	--sign k.pem --cert c.pem
done_testing
