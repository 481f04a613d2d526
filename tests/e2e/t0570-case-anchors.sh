#!/bin/sh
# Anchors of the event log (issue: a custody log that cannot be quietly
# rewritten).  The two edits a chain checked only against itself misses,
# made here with sqlite3 and sha256sum as an insider would: the newest
# events deleted (triggers dropped, rows deleted, triggers recreated), and
# the chain recomputed after an edit.  Without anchors `forage case audit`
# says "intact" and that this proves self-consistency only; with a seal
# (`forage case seal`, signed) or the acquisition record beside the
# database, it says BROKEN and names the anchor, the event and the hashes.
# A seal whose signature was altered, or whose JSON was edited to fit a
# rewritten log, is caught by its signature.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy
need_cmd sqlite3 sha256sum openssl jq

db=case.db
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout jo.key -out jo.pem -days 3650 \
	-subj "/CN=Jo Smith/O=Forage Test Lab" 2>/dev/null || { fail "openssl req"; done_testing; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other.key -out other.pem -days 3650 \
	-subj "/CN=Mallory" 2>/dev/null

expect_exit 0 "case init" -- "$FORAGE" case init --case 2026-041 --examiner "Jo Smith"
for a in received checked-out; do
	expect_exit 0 "custody $a" -- "$FORAGE" case custody add --evidence HD1 --action $a \
		--from "locker 12" --to "Jo Smith" --examiner "Jo Smith" --new
done
make_data src.bin 100000
expect_exit 0 "acquisition" -- "$FORAGE" acquire src.bin -o HD1 --format raw --case 2026-041 \
	--evidence HD1 --examiner "Jo Smith" --progress none
done_ev=$(jq -r '.case_db.completed_event' HD1.json)
done_sha=$(jq -r '.case_db.completed_event_sha256' HD1.json)
expect_exit 0 "custody checked-in" -- "$FORAGE" case custody add --evidence HD1 --action checked-in \
	--from "Jo Smith" --to "locker 12" --examiner "Jo Smith"

# No seal yet: the record beside the database is an anchor already.
n=$(sql $db "SELECT count(*) FROM events")
expect_exit 0 "audit: record as anchor" -- "$FORAGE" case audit
expect_in out.txt "all $n events intact" "audit: $n events intact"
expect_in out.txt "anchor: event $done_ev matches the record HD1.json" "the record's completed event is an anchor"
expect_in out.txt "anchored up to event $done_ev by HD1.json; $((n - done_ev)) event" \
	"says up to where the log is anchored and how many events are not"

# A seal, signed.
expect_exit 0 "case seal" -- "$FORAGE" case seal --sign jo.key --cert jo.pem --examiner "Jo Smith"
head_sha=$(sql $db "SELECT sha256 FROM events WHERE id = $n")
expect_in out.txt "sealed case.db at event $n, sha256 $head_sha" "seal names the head"
seal=$(ls case.db.seal-$n-*.json)
[ -f "$seal" ] && [ -f "$seal.p7s" ] && ok "seal and its signature beside the database" || fail "seal files: $(ls)"
[ "$(jq -r '.chain.head_event_sha256' "$seal")" = "$head_sha" ] && ok "seal JSON holds the head's sha256" ||
	fail "seal JSON: $(cat "$seal")"
openssl cms -verify -binary -inform DER -in "$seal.p7s" -content "$seal" -CAfile jo.pem -purpose any \
	-out /dev/null 2>/dev/null && ok "openssl cms verifies the seal's signature" || fail "openssl cms -verify"
expect_exit 0 "audit with a seal" -- "$FORAGE" case audit --trust-cert jo.pem
expect_in out.txt "anchor: event $n matches the seal $seal \(signed by /CN=Jo Smith/O=Forage Test Lab, certificate trusted\)" \
	"the audit checks the seal's signature and names the signer"
expect_in out.txt "anchored up to event $n \(the last\) by $seal" "anchored up to the last event"
expect_exit 1 "audit trusting another certificate" -- "$FORAGE" case audit --trust-cert other.pem
expect_in out.txt "BROKEN: the seal .*$seal: its signature does not verify" "a seal signed by someone else is not trusted"
expect_exit 2 "seal: --sign without --cert" -- "$FORAGE" case seal --sign jo.key
expect_in err.txt -- "--sign and --cert go together" "--sign needs --cert"

cp $db keep.db
# Triggers as they are, to put them back after an attack.
sql keep.db "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('events', 'custody', 'seals')" >triggers.sql
[ "$(sql keep.db "SELECT head_event || ' ' || head_sha256 || ' ' || name FROM seals")" = "$n $head_sha $seal" ] &&
	ok "the seal is stored in the database too" || fail "seals table: $(sql keep.db "SELECT id, name FROM seals")"

# The seal stored in the database catches what the file would: events
# removed by an insider who left the table seals alone, with no seal file
# anywhere near.
mkdir -p stored && cp keep.db stored/case.db
sql stored/case.db "DROP TRIGGER events_no_delete; DROP TRIGGER custody_no_delete;
	DELETE FROM events WHERE id = $n; DELETE FROM custody WHERE id = (SELECT max(id) FROM custody);"
grep -E "events_no_delete|custody_no_delete" triggers.sql | sql stored/case.db
expect_exit 1 "audit, removed, seal stored in the database" -- "$FORAGE" case audit --case-db stored/case.db
expect_in out.txt "BROKEN: the seal $seal \(stored in the database\) names event $n \(SHA-256 $head_sha\), but the database's log ends at event $((n - 1))" \
	"removed events: caught by the seal stored in the database, named"

# attack NAME: copy of the database; the edit comes from stdin (SQL).  The
# insider also empties the table seals: only the seal file is left.
attack() {
	rm -f "$1.db" "$1.db-wal" "$1.db-shm"
	cp keep.db "$1.db"
	{ echo "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;"
	  echo "DROP TRIGGER custody_no_update; DROP TRIGGER custody_no_delete;"
	  echo "DROP TRIGGER seals_no_update; DROP TRIGGER seals_no_delete; DELETE FROM seals;"
	  cat; cat triggers.sql; } | sql "$1.db" || fail "$1: sqlite3 refused the attack"
}

# 1. The newest events deleted: the last custody event and its row.
attack removed <<EOF
DELETE FROM events WHERE id = $n;
DELETE FROM custody WHERE id = (SELECT max(id) FROM custody);
EOF
mkdir -p alone && cp removed.db alone/case.db
expect_exit 0 "audit, removed, no anchors" -- "$FORAGE" case audit --case-db alone/case.db
expect_in out.txt "all $((n - 1)) events intact" "without anchors the shortened log reads as intact"
expect_in out.txt "no anchors: this shows only that the log is consistent with itself" \
	"an audit without anchors says it proves self-consistency only"
expect_exit 1 "audit, removed, with the seal" -- "$FORAGE" case audit --case-db removed.db --anchor "$seal"
expect_in out.txt "BROKEN: the seal $seal names event $n \(SHA-256 $head_sha\), but the database's log ends at event $((n - 1)): events were removed" \
	"removed events: the seal, the event and the head named"
expect_in err.txt "^FAILURE" "FAILURE"

# 2. The chain recomputed after an edit: custody event 3 now says the
# drive went to Mallory, in its row and its event, and every hash from
# event 3 on is recomputed with sqlite3 + sha256sum.
ev=$(sql keep.db "SELECT id FROM events WHERE kind = 'custody' AND subject_id = 2")
attack rewritten <<EOF
UPDATE custody SET to_party = 'Mallory' WHERE id = 2;
UPDATE events SET details = replace(details, '"to_party":"Jo Smith"', '"to_party":"Mallory"') WHERE id = $ev;
EOF
sql rewritten.db "DROP TRIGGER events_no_update"
prev=$(sql rewritten.db "SELECT prev_sha256 FROM events WHERE id = $ev")
i=$ev; while [ $i -le "$n" ]; do
	sql rewritten.db "UPDATE events SET prev_sha256 = '$prev' WHERE id = $i"
	prev=$(event_sha rewritten.db $i)
	sql rewritten.db "UPDATE events SET sha256 = '$prev' WHERE id = $i"
	i=$((i + 1))
done
grep "events_no_update" triggers.sql | sql rewritten.db
[ "$(sql rewritten.db "SELECT to_party FROM custody WHERE id = 2")" = Mallory ] && ok "the rewrite took" ||
	fail "the rewrite did not take"
mkdir -p alone2 && cp rewritten.db alone2/case.db
expect_exit 0 "audit, rewritten, no anchors" -- "$FORAGE" case audit --case-db alone2/case.db
expect_in out.txt "all $n events intact" "without anchors the recomputed chain reads as intact"
expect_in out.txt "no anchors" "and says it has none"
expect_exit 1 "audit, rewritten, with the seal" -- "$FORAGE" case audit --case-db rewritten.db --anchor "$seal"
new_sha=$(sql rewritten.db "SELECT sha256 FROM events WHERE id = $n")
expect_in out.txt "BROKEN: the seal $seal says event $n has SHA-256 $head_sha; the database's event $n has $new_sha" \
	"recomputed chain: caught by the seal, both hashes named"
expect_exit 1 "audit, rewritten, with the record" -- "$FORAGE" case audit --case-db rewritten.db --anchor HD1.json
start_ev=$(jq -r '.case_db.started_event' HD1.json)
start_sha=$(jq -r '.case_db.started_event_sha256' HD1.json)
expect_in out.txt "BROKEN: the record HD1.json says event $start_ev has SHA-256 $start_sha" \
	"recomputed chain: caught by the acquisition record"

# 3. The insider edits the seal to fit: its signature no longer verifies.
mkdir -p forged && cp rewritten.db forged/case.db
fseal=forged/$(basename "$seal")
jq --arg h "$new_sha" '.chain.head_event_sha256 = $h | .case_db.path = "'"$T"'/forged/case.db"' "$seal" >"$fseal"
cp "$seal.p7s" "$fseal.p7s"
expect_exit 1 "audit, forged seal" -- "$FORAGE" case audit --case-db forged/case.db
expect_in out.txt "BROKEN: the seal $fseal: its signature does not verify" "an edited seal is caught by its signature"
# ... the same edited seal stored in the database (a row added with
# sqlite3; INSERT is what the guards allow): caught the same way.
mkdir -p forged2 && cp rewritten.db forged2/case.db
sql forged2/case.db "INSERT INTO seals(name, utc, head_event, head_sha256, document, signature)
	VALUES ('$(basename "$seal")', '2026-12-07T00:00:00Z', $n, '$new_sha', readfile('$fseal'), readfile('$seal.p7s'))" ||
	fail "forged2: inserting the seal"
expect_exit 1 "audit, forged seal stored in the database" -- "$FORAGE" case audit --case-db forged2/case.db
expect_in out.txt "BROKEN: the seal $(basename "$seal") \(stored in the database\): its signature does not verify" \
	"an edited seal stored in the database is caught by its signature"
# ... or re-signs it with a key of their own: the signer is named, and
# with --trust-cert it is refused.
rm "$fseal.p7s"
openssl cms -sign -binary -outform DER -in "$fseal" -signer other.pem -inkey other.key -out "$fseal.p7s" 2>/dev/null
expect_exit 0 "audit, re-signed seal, no trust" -- "$FORAGE" case audit --case-db forged/case.db
expect_in out.txt "signed by /CN=Mallory; unchanged since signed, signer not checked" \
	"a re-signed seal names its signer and says it was not checked"
expect_exit 1 "audit, re-signed seal, trusted cert" -- "$FORAGE" case audit --case-db forged/case.db --trust-cert jo.pem
expect_in out.txt "its signature does not verify" "with --trust-cert the re-signed seal is refused"

# 4. A signature altered by one byte (in the signature value, at its end).
cp "$seal.p7s" keep.p7s
flip_byte "$seal.p7s" $(($(wc -c <"$seal.p7s") - 20))
expect_exit 1 "audit, altered signature" -- "$FORAGE" case audit
expect_in out.txt "BROKEN: the seal $seal: its signature does not verify" "altered signature caught"
cp keep.p7s "$seal.p7s"

# 5. The database copied to another case folder: the seal files stay
# behind; the seal stored in it goes with it and says which database it
# sealed.
mkdir -p other-case && cp keep.db other-case/case.db
expect_exit 0 "audit of a copy elsewhere" -- "$FORAGE" case audit --case-db other-case/case.db
expect_in out.txt "matches the seal $seal \(stored in the database\) .*; it names the database $T/case.db" \
	"a copy: its stored seal names the database it was made of"
cp "$seal" "$seal.p7s" other-case/
expect_exit 0 "audit of a copy with the seals" -- "$FORAGE" case audit --case-db other-case/case.db
expect_in out.txt "1 file beside it anchors another database: not checked" \
	"a seal of the original database beside a copy is named, not taken"
expect_exit 0 "audit of a copy, seal given" -- "$FORAGE" case audit --case-db other-case/case.db --anchor "$seal"
expect_in out.txt "matches the seal $seal .*; it names the database $T/case.db" \
	"a seal given explicitly is checked and says which database it sealed"

# A given file that is no anchor.
echo '{"x": 1}' >junk.json
expect_exit 2 "audit --anchor junk" -- "$FORAGE" case audit --anchor junk.json
expect_in err.txt "junk.json: neither a seal, an acquisition record nor a JSON report of forage" "a non-anchor is refused by name"
mkfifo fifo.json
expect_exit 2 "audit --anchor FIFO" -- "$FORAGE" case audit --anchor fifo.json
expect_in err.txt "fifo.json: is a FIFO" "a FIFO as anchor is refused"

# 5b. Reports carry the anchors' verdict: on the summary and in the JSON.
expect_exit 0 "report, anchored" -- "$FORAGE" report --format json -o rep-anchored.json
[ "$(jq -r .audit.anchored_event rep-anchored.json)" = "$n" ] &&
	[ "$(jq -r .audit.anchored_by rep-anchored.json)" = "$seal" ] &&
	ok "report JSON: anchored up to event $n by the seal" || fail "report audit: $(jq -c .audit rep-anchored.json)"
expect_exit 0 "report text, anchored" -- "$FORAGE" report --format text -o rep-anchored.txt
expect_in rep-anchored.txt "anchored outside the database up to the last event by $seal" "report text names the anchor"
mkdir -p rep && (cd rep && "$FORAGE" case init --case 2026-043 >/dev/null 2>&1 &&
	"$FORAGE" case custody add --evidence HD2 --action received --new >/dev/null 2>&1 &&
	"$FORAGE" case seal >/dev/null 2>&1) || fail "rep: making a sealed case"
rn=$(sql rep/case.db "SELECT max(id) FROM events")
sql rep/case.db "DROP TRIGGER events_no_delete; DROP TRIGGER custody_no_delete; DROP TRIGGER seals_no_delete;
	DELETE FROM events WHERE id = $rn; DELETE FROM custody; DELETE FROM seals;" || fail "rep: the attack"
grep -E "events_no_delete|custody_no_delete|seals_no_delete" triggers.sql | sql rep/case.db
[ "$(sql rep/case.db "SELECT count(*) FROM seals")" = 0 ] || fail "rep: the stored seal is still there"
expect_exit 1 "report of a shortened log" -- "$FORAGE" report --case-db rep/case.db --format text -o rep-broken.txt
expect_in rep-broken.txt "BROKEN: the seal rep/case.db.seal-$rn-.*names event $rn .*events were removed" \
	"the stored seal deleted: the seal file beside the database still catches the cut, and the report says so"
expect_in err.txt "event log broken: the seal" "report exits 1 naming the seal"
rm -rf rep

# 6. RFC 3161 time-stamps from a local authority (tests/tools/tsa-server:
# `openssl ts -reply` behind HTTP on 127.0.0.1, its own test CA; never the
# network).
need_cmd python3
mkdir -p tsa && cd tsa || exit 99
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 3650 \
	-subj "/CN=Forage Test TSA CA" -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign" 2>/dev/null &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout tsa.key -out tsa.csr -subj "/CN=Forage Test TSA" 2>/dev/null &&
	printf 'extendedKeyUsage=critical,timeStamping\nbasicConstraints=CA:FALSE\n' >tsa.ext &&
	openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out tsa.pem \
		-days 3650 -extfile tsa.ext 2>/dev/null || fail "making the test TSA's certificates"
echo 01 >serial
cat >tsa.cnf <<EOF
[ tsa_config1 ]
dir = $T/tsa
serial = \$dir/serial
crypto_device = builtin
signer_cert = \$dir/tsa.pem
certs = \$dir/ca.pem
signer_key = \$dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
EOF
"$FG_SRCDIR/tests/tools/tsa-server" tsa.cnf port 2>tsa.err &
tsa_pid=$!
at_exit "kill $tsa_pid 2>/dev/null"
wait_for "the test TSA to listen" test -s port
url=http://127.0.0.1:$(cat port)/tsa
expect_exit 0 "tsa: case init" -- "$FORAGE" case init --case 2026-042 --examiner "Jo Smith"
expect_exit 0 "seal, time-stamped" -- "$FORAGE" case seal --sign ../jo.key --cert ../jo.pem --tsa "$url"
expect_in out.txt "time-stamp: case.db.seal-1-.*\.json\.tsr \(RFC 3161, 20[0-9-]+T[0-9:]+Z\)" "seal says it was time-stamped"
tseal=$(ls case.db.seal-1-*.json)
openssl ts -verify -in "$tseal.tsr" -data "$tseal" -CAfile ca.pem >/dev/null 2>&1 &&
	ok "openssl ts -verify accepts the token for the seal" || fail "openssl ts -verify"
expect_exit 0 "audit, time-stamp trusted" -- "$FORAGE" case audit --trust-cert ../jo.pem --tsa-cert ca.pem
expect_in out.txt "matches the seal $tseal \(signed by /CN=Jo Smith/O=Forage Test Lab, certificate trusted\); time-stamped 20.* by /CN=Forage Test TSA, authority trusted" \
	"the audit names the signer and the time-stamping authority"
expect_exit 1 "audit, time-stamp against another CA" -- "$FORAGE" case audit --tsa-cert ../other.pem
expect_in out.txt "BROKEN: the seal $tseal: its time-stamp does not verify" "a token from an untrusted authority is refused"
# A token for another hash: the token of one seal put beside another.
expect_exit 0 "custody, then a second seal" -- "$FORAGE" case custody add --evidence HD9 --action received --new
expect_exit 0 "second seal" -- "$FORAGE" case seal --tsa "$url"
tseal2=$(ls case.db.seal-*.json | grep -v "^$tseal\$")
cp "$tseal2.tsr" keep2.tsr
cp "$tseal.tsr" "$tseal2.tsr"
expect_exit 1 "audit, token of another seal" -- "$FORAGE" case audit
expect_in out.txt "BROKEN: the seal $tseal2: its time-stamp does not verify: .*is NOT a time-stamp of $tseal2" \
	"a time-stamp token for another hash is caught"
cp keep2.tsr "$tseal2.tsr"
expect_exit 0 "audit, tokens in place" -- "$FORAGE" case audit
# An authority that fails (HTTP 500: its openssl ts is given a section it
# does not have): no seal is left behind.  (One that is down costs
# OpenSSL's 30 s of connection retries before the same outcome.)
kill $tsa_pid 2>/dev/null; wait $tsa_pid 2>/dev/null
"$FG_SRCDIR/tests/tools/tsa-server" tsa.cnf port2 no_such_section 2>tsa2.err &
tsa2_pid=$!
at_exit "kill $tsa2_pid 2>/dev/null"
wait_for "the failing test TSA to listen" test -s port2
url2=http://127.0.0.1:$(cat port2)/tsa
n_before=$(ls case.db.seal-* | wc -l)
expect_exit 2 "seal, authority fails" -- "$FORAGE" case seal --tsa "$url2"
expect_in err.txt "time-stamp authority $url2: no answer" "the failing authority is named"
[ "$(ls case.db.seal-* | wc -l)" -eq "$n_before" ] && ok "no seal written when the time-stamp failed" ||
	fail "a seal was left behind: $(ls case.db.seal-*)"
cd "$T" || exit 99

done_testing
