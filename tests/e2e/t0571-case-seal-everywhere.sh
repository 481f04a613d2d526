#!/bin/sh
# Anchors from every verb (issue 22): `acquire --seal`, `verify --seal` and
# `report --seal` each seal the case database's log (beside it and in it)
# and the audit lists those seals; verify's output (text and JSON) names
# the log's head it left; a JSON report in the case folder is an anchor of
# the head it states, and catches a log cut after it was made even when
# the insider also removed every seal (files and rows), and so does a saved
# `verify --json` when the reports and the record are gone too (one of
# another database is skipped).  case show (text and --json) and the
# reports list the seals stored.  --seal without a key is refused before
# anything is read.  The seal files are checked
# against docs/schema/seal.schema.json (check_schemas).
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3 openssl jq
unset FORAGE_CASE_DB FORAGE_TSA_URL
export FORAGE_EXAMINER="Jo Smith"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout jo.key -out jo.pem -days 3650 \
	-subj "/CN=Jo Smith" 2>/dev/null || { fail "openssl req"; done_testing; }
make_data src.bin 65536

# --seal without a key: refused, nothing read or written.
expect_exit 2 "acquire --seal without a key" -- "$FORAGE" acquire src.bin -o nokey/HD0 --format raw --seal --progress none
expect_in err.txt -- "--seal needs --sign KEY and --cert CERT" "acquire: --seal without a key refused"
nothing_left nokey "acquire --seal without a key"
expect_exit 2 "verify --seal without a key" -- "$FORAGE" verify src.bin --raw --seal --progress none
expect_in err.txt -- "--seal needs --sign KEY and --cert CERT" "verify: --seal without a key refused"
expect_exit 2 "report --seal without a key" -- "$FORAGE" report --case-db x.db --seal
expect_in err.txt -- "--seal needs --sign KEY and --cert CERT" "report: --seal without a key refused"

# acquire --seal: the head after the acquisition, sealed.
expect_exit 0 "acquire --seal" -- "$FORAGE" acquire src.bin -o HD1 --format raw --case 2026-050 --evidence HD1 \
	--progress none --seal --sign jo.key --cert jo.pem
n=$(sql case.db "SELECT max(id) FROM events")
expect_in err.txt "sealed case.db at event $n, sha256 " "acquire --seal: sealed at the last event"
[ "$(sql case.db "SELECT count(*) || ' ' || max(head_event) FROM seals")" = "1 $n" ] &&
	ok "acquire --seal: the seal is stored in the database" || fail "seals: $(sql case.db "SELECT id, head_event FROM seals")"

# verify --seal: the head in the output, then sealed.
expect_exit 0 "verify --seal --json" -- "$FORAGE" verify HD1.json --json --progress none --seal --sign jo.key --cert jo.pem
cp out.txt verify.json
vn=$(sql case.db "SELECT max(id) FROM events WHERE kind = 'verification'")
vsha=$(sql case.db "SELECT sha256 FROM events WHERE id = $vn")
[ "$(jq -r '.verifications[0].case_db.verification_event' verify.json)" = "$vn" ] &&
	[ "$(jq -r '.verifications[0].case_db.verification_event_sha256' verify.json)" = "$vsha" ] &&
	ok "verify JSON: the log's head it left (event $vn and its hash)" ||
	fail "verify JSON case_db: $(jq -c '.verifications[0].case_db' verify.json)"
expect_in err.txt "sealed .*case.db at event $vn, sha256 $vsha" "verify --seal: the head sealed, after the verification"
expect_exit 0 "verify, text" -- "$FORAGE" verify HD1.json --progress none
vn2=$(sql case.db "SELECT max(id) FROM events")
expect_in out.txt "^log head:  event $vn2, sha256 $(sql case.db "SELECT sha256 FROM events WHERE id = $vn2") \(after this verification\)$" \
	"verify text: the log's head it left"

# report --seal: as it signs.
expect_exit 0 "report --seal" -- "$FORAGE" report --format json -o rep1.json --sign jo.key --cert jo.pem --seal
expect_in err.txt "sealed case.db at event $vn2" "report --seal: the head sealed"
[ -f rep1.json.p7s ] && ok "report signed" || fail "rep1.json.p7s missing"
[ "$(jq -r .audit.head_event rep1.json)" = "$vn2" ] && [ "$(jq -r .case_db.path rep1.json)" = "$T/case.db" ] &&
	ok "report JSON: the head and the database it names" || fail "report JSON: $(jq -c '.case_db, .audit' rep1.json)"

expect_exit 0 "report, HTML" -- "$FORAGE" report --format html -o rep1.html
grep -qF '<meta name="forage-anchor" content="{&quot;format&quot;:&quot;forage-report-1&quot;,&quot;case_db&quot;:{&quot;path&quot;:&quot;'"$T/case.db"'&quot;},&quot;audit&quot;:{&quot;head_event&quot;:'"$vn2"',' rep1.html &&
	ok "HTML report: the head for programs in its <head>" || fail "HTML anchor: $(grep forage-anchor rep1.html)"

# A saved verify --json of another database in the folder: skipped (its
# record and database moved out of the folder, so that it alone is).
mkdir other
expect_exit 0 "acquire into another database" -- "$FORAGE" acquire src.bin -o other/HD2 --format raw \
	--case-db other/other.db --case 2026-051 --evidence HD2 --progress none
expect_exit 0 "verify --json of the other database" -- "$FORAGE" verify other/HD2.json --json --progress none
cp out.txt verify-other.json
[ "$(jq -r '.verifications[0].case_db.path' verify-other.json)" = "$T/other/other.db" ] &&
	ok "the other verification names its database" || fail "verify-other: $(jq -c '.verifications[0].case_db' verify-other.json)"
mkdir -p far/a/b/c && mv other far/a/b/c/ || fail "moving the other database away"

# The seals stored, listed by case show (text and JSON) and the reports.
expect_exit 0 "case show" -- "$FORAGE" case show
expect_in out.txt "^Seals of the event log$" "case show: a Seals section"
for s in $(sql case.db "SELECT id FROM seals ORDER BY id"); do
	nm=$(sql case.db "SELECT name FROM seals WHERE id = $s")
	he=$(sql case.db "SELECT head_event FROM seals WHERE id = $s")
	hs=$(sql case.db "SELECT substr(head_sha256, 1, 16) FROM seals WHERE id = $s")
	ut=$(sql case.db "SELECT utc FROM seals WHERE id = $s")
	grep -A1 -xF "  $nm" out.txt | grep -qxF "    $ut  event $he, sha256 $hs...  signed, not time-stamped" &&
		ok "case show: seal $s ($nm, event $he, signed)" || fail "case show seal $s: $(cat out.txt)"
done
expect_exit 0 "case show --json" -- "$FORAGE" case show --json
cp out.txt show.json
ns=$(sql case.db "SELECT count(*) FROM seals")
[ "$ns" = 3 ] && [ "$(jq '.seals | length' show.json)" = 3 ] && ok "case show --json: the three seals" ||
	fail "seals: $ns stored, $(jq -c '.seals' show.json)"
fine=0
for i in 0 1 2; do
	nm=$(jq -r ".seals[$i].name" show.json)
	row=$(sql case.db "SELECT utc || ' ' || head_event || ' ' || head_sha256 FROM seals WHERE name = '$nm'")
	[ "$(jq -r ".seals[$i] | \"\(.utc) \(.head_event) \(.head_sha256)\"" show.json)" = "$row" ] &&
		[ "$(jq -c ".seals[$i] | [.has_signature, .has_timestamp]" show.json)" = "[true,false]" ] &&
		[ "$(jq -r ".seals[$i].document_sha256" show.json)" = "$(sha256sum <"$nm" | cut -c1-64)" ] &&
		[ "$(jq -r ".seals[$i] | keys | join(\",\")" show.json)" = "document_sha256,has_signature,has_timestamp,head_event,head_sha256,name,utc" ] &&
		fine=$((fine + 1))
done
[ $fine = 3 ] && ok "case show --json: each seal's row, signed, not time-stamped, the SHA-256 of its file, no BLOB" ||
	fail "case show --json seals: $(jq -c .seals show.json)"
# The JSON report was made before report --seal sealed: two seals in it.
[ "$(jq -r '[.export.seals[].head_event] | join(" ")' rep1.json)" = "$n $vn" ] &&
	ok "JSON report: the seals made before it" || fail "JSON report seals: $(jq -c .export.seals rep1.json)"
expect_exit 0 "report, text" -- "$FORAGE" report --format text -o rep1.txt
s3=$(jq -r '.seals[2].name' show.json)
expect_in rep1.txt "Appendix: seals of the event log" "text report: the seals appendix"
expect_in rep1.txt "$s3" "text report: the last seal listed"
grep -q "Appendix: seals of the event log" rep1.html && grep -qF "$s3" rep1.html &&
	ok "HTML report: the seals appendix with the last seal" || fail "HTML report: no seals appendix"
rm -f rep1.txt

# The audit lists every seal, the record, the reports and verify's output.
expect_exit 0 "audit" -- "$FORAGE" case audit --trust-cert jo.pem
[ "$(grep -c "^anchor: .* matches the seal case.db.seal-.*certificate trusted); also stored in the database$" out.txt)" = 3 ] &&
	ok "audit: the three seals (acquire, verify, report), each also stored" || fail "audit: $(cat out.txt)"
expect_in out.txt "^anchor: event $vn2 matches the report rep1.json$" "audit: the report in the folder is an anchor"
expect_in out.txt "^anchor: event $vn2 matches the report rep1.html$" "audit: the HTML report too"
expect_in out.txt "anchored up to event $vn2 \(the last\)" "audit: anchored to the last event"
expect_in out.txt "^anchor: event $vn matches the verification verify.json$" "audit: verify's output in the folder is an anchor"
expect_in out.txt "^1 file beside it anchors another database: not checked$" "audit: verify's output of another database skipped"
grep -q "verify-other" out.txt && fail "verify-other.json checked: $(cat out.txt)" || ok "verify-other.json not checked"

# The seal's JSON Schema: each seal made here is valid; one with a key it
# does not know, or a hash that is not one, is not.
cs="$FG_SRCDIR/tests/tools/check-json-schema"
if "$cs" --auto "$FG_SRCDIR/docs/schema" /dev/null >/dev/null 2>&1; then
	s1=$(ls case.db.seal-*.json | head -n 1)
	"$cs" "$FG_SRCDIR/docs/schema/seal.schema.json" case.db.seal-*.json 2>cs.err &&
		ok "every seal matches docs/schema/seal.schema.json" || fail "seal schema: $(cat cs.err)"
	jq '.chain.head_event_sha256 = "xyz" | .extra = 1' "$s1" >odd-seal.txt
	"$cs" "$FG_SRCDIR/docs/schema/seal.schema.json" odd-seal.txt 2>cs.err &&
		fail "an odd seal passed the schema" || expect_in cs.err "head_event_sha256.*does not match" "the schema refuses a seal with a bad hash"
	rm -f odd-seal.txt
else
	echo "note: python3-jsonschema missing, the seal schema not checked" >&2
fi

# A report catches a cut log when the seals are gone: the insider drops
# the triggers, deletes the newest events (the last verification and its
# rows), every stored seal and every seal file, and puts the triggers back.
sql case.db "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger'" >triggers.sql
cut_from=$vn
sql case.db "DROP TRIGGER events_no_delete; DROP TRIGGER seals_no_delete;
	DROP TRIGGER verifications_no_delete; DROP TRIGGER verification_hashes_no_delete;
	DROP TRIGGER verification_diffs_no_delete;
	DELETE FROM verification_hashes WHERE verification_id IN (SELECT subject_id FROM events WHERE id >= $cut_from);
	DELETE FROM verification_diffs WHERE verification_id IN (SELECT subject_id FROM events WHERE id >= $cut_from);
	DELETE FROM verifications WHERE id IN (SELECT subject_id FROM events WHERE id >= $cut_from);
	DELETE FROM events WHERE id >= $cut_from; DELETE FROM seals;" || fail "the cut"
grep -E "TRIGGER (events|seals|verification[a-z_]*)_no_delete" triggers.sql | sql case.db || fail "triggers back"
rm -f case.db.seal-*
expect_exit 1 "audit of the cut log, seals gone" -- "$FORAGE" case audit
expect_in out.txt "BROKEN: the report rep1.(json|html) names event $vn2 \(SHA-256 .*\), but the database's log ends at event $((cut_from - 1)): events were removed" \
	"the report in the folder names the cut"
rm -f rep1.json rep1.json.p7s
expect_exit 1 "audit of the cut log, the HTML report left" -- "$FORAGE" case audit
expect_in out.txt "BROKEN: the report rep1.html names event $vn2 .*events were removed" "the HTML report names the cut"
# Every seal, report and record gone: verify's output names the cut.
rm -f rep1.html
mv HD1.json far/a/b/c/ || fail "moving the record away"
expect_exit 1 "audit of the cut log, verify's output left" -- "$FORAGE" case audit
expect_in out.txt "BROKEN: the verification verify.json names event $vn \(SHA-256 $vsha\), but the database's log ends at event $((cut_from - 1)): events were removed" \
	"verify's output names the cut"
# Given with --anchor from elsewhere, the same.
mv verify.json far/a/b/c/ || fail "moving verify's output away"
expect_exit 1 "audit --anchor verify's output" -- "$FORAGE" case audit --anchor far/a/b/c/verify.json
expect_in out.txt "BROKEN: the verification far/a/b/c/verify.json names event $vn .*events were removed" \
	"--anchor: verify's output names the cut"
# A relative case_db.path (verify --case-db case.db) is taken from the
# output's folder: this database when it is there, another when not.
jq '.verifications[0].case_db.path = "case.db"' far/a/b/c/verify.json >rel-verify.json
jq '.verifications[0].case_db.path = "far/case.db"' far/a/b/c/verify.json >far/rel-verify.json
expect_exit 1 "audit, verify's output with a relative path" -- "$FORAGE" case audit
expect_in out.txt "BROKEN: the verification rel-verify.json names event $vn .*events were removed" \
	"a relative path to this database: verify's output taken"
grep -q "far/rel-verify.json" out.txt && fail "far/rel-verify.json taken: $(cat out.txt)" ||
	ok "a relative path to another database: not taken"
rm -f rel-verify.json far/rel-verify.json
mv far/a/b/c/HD1.json . || fail "the record back"
expect_exit 0 "audit without the report" -- "$FORAGE" case audit
expect_in out.txt "all $((cut_from - 1)) events intact" "without the report only the record is left, older than the cut"

# An unsigned seal: listed as such by case show, --json and the report.
expect_exit 0 "case seal, unsigned" -- "$FORAGE" case seal
un=$(sql case.db "SELECT name FROM seals ORDER BY id DESC LIMIT 1")
expect_exit 0 "case show, an unsigned seal" -- "$FORAGE" case show
grep -A1 -xF "  $un" out.txt | grep -q "  event $((cut_from - 1)), sha256 .*  unsigned, not time-stamped$" &&
	ok "case show: the unsigned seal" || fail "case show unsigned: $(cat out.txt)"
expect_exit 0 "case show --json, an unsigned seal" -- "$FORAGE" case show --json
[ "$(jq -c --arg n "$un" '.seals[] | select(.name == $n) | [.head_event, .has_signature, .has_timestamp]' out.txt)" = "[$((cut_from - 1)),false,false]" ] &&
	ok "case show --json: the unsigned seal" || fail "unsigned in JSON: $(jq -c .seals out.txt)"

done_testing
