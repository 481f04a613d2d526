#!/bin/sh
# Custody and amendments (issue 21): `custody add --at TIME` records when
# the handover happened (custody.happened_utc, in UTC) beside when it was
# entered (custody.utc); an evidence id the case does not have is refused
# unless --new (a mistyped id made a phantom item); `forage case edit`
# amends the description of a case or an item as an event of the chain:
# the audit still passes, case show prints the current value and that it
# was amended, show --json and the report's data carry description,
# description_recorded and amendments.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq sqlite3
unset FORAGE_CASE_DB
export FORAGE_EXAMINER="Cleo Custody"
db=case.db
expect_exit 0 "case init" -- "$FORAGE" case init --case-db $db --case C1 --description "Burglary"
n() { sql $db "SELECT (SELECT count(*) FROM custody) || ' ' || (SELECT count(*) FROM evidence) || ' ' || (SELECT count(*) FROM events)"; }

# ---- An unknown item ---------------------------------------------------
expect_exit 2 "custody add, unknown item" -- "$FORAGE" case custody add --case-db $db \
	--evidence HD1 --action received
expect_in err.txt "case 'C1' has no evidence item 'HD1' \(mistyped\?\).*give --new to add it" "unknown item refused, --new named"
[ "$(n)" = "0 0 1" ] && ok "no phantom item, no custody row, no event" || fail "rows: $(n)"

# ---- --at ------------------------------------------------------------------
expect_exit 2 "--at without a zone" -- "$FORAGE" case custody add --case-db $db --evidence HD1 \
	--action received --new --at "2026-12-01 14:30"
expect_in err.txt "give the time zone" "no zone: said"
expect_exit 2 "--at in the future" -- "$FORAGE" case custody add --case-db $db --evidence HD1 \
	--action received --new --at 2999-01-01T00:00Z
expect_in err.txt "in the future" "future: said"
expect_exit 2 "--at not a time" -- "$FORAGE" case custody add --case-db $db --evidence HD1 \
	--action received --new --at 2026-02-30T10:00Z
expect_in err.txt "want a time like" "not a time: said"
[ "$(n)" = "0 0 1" ] && ok "refused --at: nothing written" || fail "rows: $(n)"

expect_exit 0 "custody add --new --at with an offset" -- "$FORAGE" case custody add --case-db $db \
	--evidence HD1 --action received --new --at 2026-12-01T15:30+01:00 --from "PC Kim" --to Lab
[ "$(sql $db "SELECT happened_utc FROM custody WHERE id = 1")" = 2026-12-01T14:30:00Z ] &&
	ok "happened_utc in UTC" || fail "happened_utc $(sql $db "SELECT happened_utc FROM custody")"
entered=$(sql $db "SELECT utc FROM custody WHERE id = 1")
[ "$entered" != 2026-12-01T14:30:00Z ] && [ -n "$entered" ] && ok "utc: when it was entered ($entered)" || fail "utc $entered"
expect_exit 0 "custody add, known item, no --at" -- "$FORAGE" case custody add --case-db $db \
	--evidence HD1 --action stored --location "Locker 4"
[ "$(sql $db "SELECT happened_utc IS NULL FROM custody WHERE id = 2")" = 1 ] &&
	ok "no --at: happened_utc NULL" || fail "happened_utc not NULL"
expect_exit 0 "case show" -- "$FORAGE" case show --case-db $db
expect_in out.txt "^    2026-12-01T14:30:00Z  received  from PC Kim  to Lab  at \(none\)  \(by Cleo Custody, entered $entered\)$" \
	"show: when it happened, and when entered"
expect_in out.txt "^    [0-9T:-]+Z  stored  from \(none\)  to \(none\)  at Locker 4  \(by Cleo Custody\)$" "show: no --at, one time"
expect_exit 0 "case show --json" -- "$FORAGE" case show --case-db $db --json
[ "$(jq -r '.cases[0].evidence[0].custody[0].happened_utc' out.txt)" = 2026-12-01T14:30:00Z ] &&
	[ "$(jq -r '.cases[0].evidence[0].custody[0].utc' out.txt)" = "$entered" ] &&
	ok "show --json: happened_utc and utc" || fail "show --json custody"
[ "$(sql $db "SELECT details FROM events WHERE kind = 'custody' AND subject_id = 1" | jq -r .happened_utc)" = 2026-12-01T14:30:00Z ] &&
	ok "the custody event records happened_utc" || fail "event details"

# ---- case edit -------------------------------------------------------------
expect_exit 2 "edit: no --description" -- "$FORAGE" case edit --case-db $db
expect_exit 2 "edit: unknown item" -- "$FORAGE" case edit --case-db $db --evidence HD9 --description x
expect_in err.txt "case 'C1' has no evidence item 'HD9'" "edit: unknown item named"
expect_exit 0 "edit the case" -- "$FORAGE" case edit --case-db $db --description "Burglary at 5 Elm St" \
	--reason "address added"
expect_in out.txt "^amendment 1: description of C1 amended, recorded in case.db$" "edit: says what it did"
expect_exit 0 "edit the item" -- env FORAGE_EXAMINER="Dan Desk" "$FORAGE" case edit --case-db $db \
	--evidence HD1 --description "Seagate 1 TB, serial Z1"
[ "$(sql $db "SELECT description FROM cases")" = Burglary ] && ok "the case row keeps what was first recorded" ||
	fail "cases row changed"
expect_exit 0 "case show after edits" -- "$FORAGE" case show --case-db $db
expect_in out.txt "^Case C1: Burglary at 5 Elm St \(amended\)$" "show: the current case description, amended"
expect_in out.txt "^  description amended [0-9T:-]+Z by Cleo Custody: was \"Burglary\"$" "show: what it replaced"
expect_in out.txt "^    reason: address added$" "show: the reason"
expect_in out.txt "^Evidence HD1: Seagate 1 TB, serial Z1 \(amended\)$" "show: the item's description"
expect_in out.txt "^  description amended [0-9T:-]+Z by Dan Desk: was \(none\)$" "show: the item had none"
expect_exit 0 "show --json after edits" -- "$FORAGE" case show --case-db $db --json
jq -e '.cases[0] | .description == "Burglary at 5 Elm St" and .description_recorded == "Burglary"
	and (.amendments | length) == 1 and .amendments[0].reason == "address added"
	and .evidence[0].description == "Seagate 1 TB, serial Z1" and .evidence[0].amendments[0].examiner == "Dan Desk"' \
	out.txt >/dev/null && ok "show --json: description, description_recorded, amendments" || fail "show --json amendments"
expect_exit 0 "report --format json" -- "$FORAGE" report --case-db $db --case C1 --format json -o r.json
jq -e '[.. | objects | select(has("amendments"))] | length == 2' r.json >/dev/null &&
	jq -e '[.. | objects | select(.happened_utc? == "2026-12-01T14:30:00Z")] | length == 1' r.json >/dev/null &&
	ok "the report's data: amendments and happened_utc" || fail "report json"
expect_exit 0 "report --format text" -- "$FORAGE" report --case-db $db --case C1 --format text -o r.txt
expect_in r.txt "2026-12-01T14:30:00Z \(entered $entered\)" "text report: when it happened, and when entered"
expect_exit 0 "audit" -- "$FORAGE" case audit --case-db $db
expect_in out.txt "all 6 events intact" "audit: the amendments are events of the chain"
[ "$(sql $db "SELECT count(*) FROM events WHERE kind = 'amended'")" = 2 ] && ok "two amended events" || fail "amended events"

# Tampering with an amendment is caught.
sql $db "UPDATE amendments SET value = 'Robbery' WHERE id = 1" 2>sq.err &&
	fail "UPDATE of amendments allowed" || expect_in sq.err "append-only" "amendments: UPDATE refused"
cp $db t.db
sql t.db "DROP TRIGGER amendments_no_update; UPDATE amendments SET value = 'Robbery' WHERE id = 1"
expect_exit 1 "audit after an amendment was changed" -- "$FORAGE" case audit --case-db t.db
expect_in out.txt "event 5 \(amended of row 1\): the rows it recorded were changed \(value differs\)" "audit names the amended event"
done_testing
