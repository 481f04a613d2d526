#!/bin/sh
# forage case init / custody add / list / show / audit, and tampering: an
# attacker who drops the triggers and edits or deletes rows with sqlite3 is
# caught by `forage case audit`, which names the first broken event (exit 1).
# The chain is recomputed here with sqlite3 and sha256sum alone, from the
# definition in casedb.h, so a third party can repeat it.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3 sha256sum

db=case.db

expect_exit 0 "case init" -- "$FORAGE" case init --case 2026-041 --description "burglary, Main St" \
	--examiner "Jo Smith"
expect_in out.txt "case 2026-041 created in case.db" "init says what it made"
expect_exit 2 "case init again" -- "$FORAGE" case init --case 2026-041
expect_in err.txt "case '2026-041' exists already in case.db; nothing changed" "init refuses an existing case"
expect_exit 2 "init without --case" -- "$FORAGE" case init
expect_in err.txt -- "--case ID is required" "init: --case required"

# Custody: the only case is implied; the item is created on first use.
expect_exit 0 "custody received" -- env FORAGE_EXAMINER="Al Baker" "$FORAGE" case custody add \
	--evidence HD1 --action received --from "PC Kim (seizing officer)" --to "Al Baker" \
	--location "Lab 3, locker 12" --reason "seized under warrant 17" --new
expect_in out.txt "custody event 1: received 2026-041/HD1" "custody add reports its id"
expect_exit 0 "custody checked-out" -- "$FORAGE" case custody add --evidence HD1 \
	--action checked-out --from "locker 12" --to "Jo Smith" --reason "imaging" --examiner "Jo Smith"
expect_exit 2 "custody: bad action" -- "$FORAGE" case custody add --evidence HD1 --action lost
expect_in err.txt "'lost': want received, transferred" "bad action named"
expect_exit 2 "custody: no --evidence" -- "$FORAGE" case custody add --action stored
expect_in err.txt -- "--evidence ID is required" "missing --evidence named"
expect_exit 2 "custody: --json does not apply" -- "$FORAGE" case custody add --evidence HD1 --action stored --json
row=$(sql $db "SELECT case_id, evidence_id, action, from_party, to_party, location, reason, examiner FROM custody WHERE id = 1")
[ "$row" = "2026-041|HD1|received|PC Kim (seizing officer)|Al Baker|Lab 3, locker 12|seized under warrant 17|Al Baker" ] &&
	ok "custody row: $row" || fail "custody row: $row"
[ "$(sql $db "SELECT examiner FROM custody WHERE id = 2")" = "Jo Smith" ] && ok "--examiner recorded" || fail "examiner"

# An acquisition goes into the same case and log.
make_data src.bin 100000
expect_exit 0 "acquisition" -- "$FORAGE" acquire src.bin -o HD1 --format raw --case 2026-041 \
	--evidence HD1 --examiner "Jo Smith" --progress none
expect_exit 0 "custody checked-in" -- "$FORAGE" case custody add --evidence HD1 --action checked-in \
	--from "Jo Smith" --to "locker 12" --examiner "Jo Smith"

expect_exit 0 "case show" -- "$FORAGE" case show
expect_in out.txt 'received +from PC Kim \(seizing officer\) +to Al Baker +at Lab 3, locker 12 +\(by Al Baker\)' "show: custody line"
expect_in out.txt 'reason: seized under warrant 17' "show: custody reason"
expect_in out.txt 'Acquisition 1: success' "show: acquisition"

n=$(sql $db "SELECT count(*) FROM events")
expect_exit 0 "audit, intact" -- "$FORAGE" case audit
expect_in out.txt "case.db: all $n events intact; last event $n, sha256 [0-9a-f]{64}" "audit: all $n events intact"
[ "$(last_line err.txt)" = SUCCESS ] && ok "audit: SUCCESS" || fail "audit last line"

# The chain by hand: canonical content with sqlite3, digest with sha256sum
# (event_sha).
bad=0; prev=0000000000000000000000000000000000000000000000000000000000000000
i=1; while [ $i -le "$n" ]; do
	got=$(event_sha $db $i)
	[ "$got" = "$(sql $db "SELECT sha256 FROM events WHERE id = $i")" ] || bad=$((bad + 1))
	[ "$prev" = "$(sql $db "SELECT prev_sha256 FROM events WHERE id = $i")" ] || bad=$((bad + 1))
	prev=$got; i=$((i + 1))
done
[ $bad -eq 0 ] && ok "all $n event hashes recomputed with sqlite3 + sha256sum" || fail "$bad event hashes differ"

# The triggers refuse changes.
cp $db keep.db
sql $db "UPDATE events SET examiner = 'Mallory' WHERE id = 3" 2>sq.err && fail "UPDATE on events allowed" ||
	expect_in sq.err "events is append-only: UPDATE refused" "UPDATE on events refused"
sql $db "DELETE FROM events WHERE id = $n" 2>sq.err && fail "DELETE on events allowed" ||
	expect_in sq.err "events is append-only: DELETE refused" "DELETE on events refused"
sql $db "DELETE FROM custody" 2>sq.err && fail "DELETE on custody allowed" ||
	expect_in sq.err "custody is append-only" "DELETE on custody refused"
sql $db "UPDATE acquisitions SET status = 'failed'" 2>sq.err && fail "UPDATE of a completed acquisition allowed" ||
	expect_in sq.err "a completed acquisition is" "completed acquisition never changed"
cmp -s $db keep.db && ok "refused changes left the database as it was" || fail "database changed"

# tamper NAME SQL: an attacker's edit on a copy; audit must fail naming it.
tamper() {
	cp keep.db "$1.db"; rm -f "$1.db-wal" "$1.db-shm"
	sql "$1.db" "$2" || { fail "$1: sqlite3 refused the attack"; return; }
	expect_exit 1 "audit after $1" -- "$FORAGE" case audit --case-db "$1.db"
}
tamper edited "DROP TRIGGER events_no_update; UPDATE events SET examiner = 'Mallory' WHERE id = 3"
expect_in out.txt "BROKEN: event 3 \(.*\): its content does not match its sha256" "edited event 3 named"
expect_in out.txt "first broken link: event 3" "first broken link: event 3"
expect_in err.txt "^FAILURE: event 3 " "FAILURE line names event 3"

tamper deleted "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 2"
expect_in out.txt "event 2 is missing \(the log goes from event 1 to 3\): deleted" "deleted event 2 named"

# A careful attacker recomputes the edited event's own hash: the next link breaks.
sha3=$(sql keep.db "SELECT sha256 FROM events WHERE id = 3")
cp keep.db rehashed.db
sql rehashed.db "DROP TRIGGER events_no_update; UPDATE events SET examiner = 'Mallory' WHERE id = 3" &&
	new=$(event_sha rehashed.db 3) &&
	sql rehashed.db "UPDATE events SET sha256 = '$new' WHERE id = 3"
expect_exit 1 "audit after a rehashed edit" -- "$FORAGE" case audit --case-db rehashed.db
expect_in out.txt "event 4: its prev_sha256 is not the sha256 of event 3" "rehashed edit: link 4 named"

# The rows an event recorded, edited behind its back.
tamper custody "DROP TRIGGER custody_no_update; UPDATE custody SET to_party = 'Mallory' WHERE id = 1"
cid=$(sql keep.db "SELECT id FROM events WHERE kind = 'custody' AND subject_id = 1")
expect_in out.txt "event $cid \(custody of row 1\): the rows it recorded were changed \(to_party differs\)" \
	"edited custody row: its event $cid named"
tamper hash "DROP TRIGGER media_hashes_no_update; UPDATE media_hashes SET hex = '00' WHERE algorithm = 'md5'"
aid=$(sql keep.db "SELECT id FROM events WHERE kind = 'acquisition-completed'")
expect_in out.txt "event $aid \(acquisition-completed of row 1\): the rows it recorded were changed \(media_hashes differs\)" \
	"edited media hash: its event $aid named"
tamper added "INSERT INTO custody(case_id, evidence_id, utc, examiner, action)
	VALUES ('2026-041', 'HD1', '2026-01-01T00:00:00Z', 'Mallory', 'disposed')"
expect_in out.txt "custody row [0-9]+ has no custody event" "row added outside forage named"
tamper untrig "DROP TRIGGER events_no_update"
expect_in out.txt "all $n events are intact, but the triggers that refuse changes were removed: events_no_update" \
	"removed trigger reported"

# A second case: --case is then needed where the database cannot tell.
expect_exit 0 "second case" -- "$FORAGE" case init --case 2026-099
expect_exit 2 "custody add, two cases, no --case" -- "$FORAGE" case custody add --evidence HD1 --action stored
expect_in err.txt "case.db holds several cases: give --case" "several cases: --case asked for"
expect_exit 0 "custody add --case" -- "$FORAGE" case custody add --case 2026-099 --evidence X1 --action received --new
expect_exit 0 "case show, every case" -- "$FORAGE" case show
expect_in out.txt "^Case 2026-041: burglary, Main St" "show: first case"
expect_in out.txt "^Case 2026-099" "show: second case"
expect_exit 0 "case list, two cases" -- "$FORAGE" case list
[ "$(grep -c '^2026-0' out.txt)" = 2 ] && ok "list: two cases" || fail "list: $(cat out.txt)"
expect_exit 0 "audit, two cases" -- "$FORAGE" case audit
done_testing
