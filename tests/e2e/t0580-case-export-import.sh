#!/bin/sh
# forage case export / case import (issue 23): a field laptop's case moved
# into the lab's database.  Round trip into an empty database: the audit's
# verdict and the report's acquisitions, hashes, verifications and custody
# are those of the source; two field cases merged into one lab database,
# both imported chains audited; the same case (same identity) merged, a
# case of the same id that is another one refused; a tampered export (an
# event edited, an event removed, a chain recomputed after an edit with its
# head changed) refused naming the event; a damaged file refused naming the
# line and byte offset; the same export imported twice refused, nothing
# changed.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3 jq sha256sum
# About 12 s; 50 s under the sanitizers, where test_casedb and the
# case_import fuzz replays run the same code: once, in the plain suite.
heavy sanitizers

export FORAGE_EXAMINER="Field One"
make_data src.bin 200000
make_data srcb.bin 100000
mkdir a b

# ---- Field laptop A: an acquisition, a verification, custody, an edit.
expect_exit 0 "acquire into field A" -- "$FORAGE" acquire src.bin -o a/HD1 --format raw \
	--case FA --evidence HD1 --case-db fa.db --progress none
expect_exit 0 "verify into field A" -- "$FORAGE" verify a/HD1.raw --case-db fa.db
expect_exit 0 "custody in field A" -- "$FORAGE" case custody add --case-db fa.db \
	--evidence HD1 --action transferred --from "Field One" --to "Lab" --location "van"
expect_exit 0 "edit in field A" -- "$FORAGE" case edit --case-db fa.db --description "seized at desk 3"
expect_exit 0 "export field A" -- "$FORAGE" case export --case-db fa.db -o fa.jsonl
n=$(sql fa.db "SELECT count(*) FROM events")
[ "$(head -n 1 fa.jsonl | jq -r '.format + " " + .case_id + " " + (.head.id | tostring)')" = "forage-case-export-1 FA $n" ] &&
	ok "export header: format, case, head event $n" || fail "header: $(head -n 1 fa.jsonl)"
[ "$(head -n 1 fa.jsonl | jq -r .head.sha256)" = "$(sql fa.db "SELECT sha256 FROM events WHERE id = $n")" ] &&
	ok "export head: the database's head sha256" || fail "head sha256"
[ "$(grep -c '^{"event"' fa.jsonl)" = "$n" ] && ok "every event exported" || fail "events in the export"
[ "$(grep '^{"event"' fa.jsonl | sed -n 3p | jq -r .event.sha256)" = "$(sql fa.db "SELECT sha256 FROM events WHERE id = 3")" ] &&
	[ "$(grep '^{"event"' fa.jsonl | sed -n 3p | jq -r .event.details)" = "$(sql fa.db "SELECT details FROM events WHERE id = 3")" ] &&
	ok "an event verbatim: details and sha256" || fail "event 3 not verbatim"
[ "$(tail -n 1 fa.jsonl | jq -c .end)" = "{\"events\":$n,\"rows\":$(($(wc -l <fa.jsonl) - n - 2))}" ] &&
	ok "end line counts events and rows" || fail "end line: $(tail -n 1 fa.jsonl)"
expect_exit 2 "export never overwrites" -- "$FORAGE" case export --case-db fa.db -o fa.jsonl
expect_in err.txt "never overwritten" "export: an existing file is named"

# ---- Round trip into an empty database.
expect_exit 0 "import into an empty database" -- "$FORAGE" case import fa.jsonl --case-db rt.db
expect_in out.txt "^case FA imported from fa.jsonl into rt.db" "import: what was imported"
expect_in out.txt "^source chain: $n events intact, head event $n" "import: the source chain"
[ "$(sql rt.db "SELECT kind || ' ' || json_extract(details, '$.head_sha256') FROM events")" = \
  "case-imported $(sql fa.db "SELECT sha256 FROM events WHERE id = $n")" ] &&
	ok "the import is an event naming the source's head" || fail "case-imported event"
[ "$(sql rt.db "SELECT count(*) FROM imported_events")" = "$n" ] && ok "the source chain kept" || fail "imported_events"
expect_exit 0 "audit the source" -- "$FORAGE" case audit --case-db fa.db
expect_exit 0 "audit the copy" -- "$FORAGE" case audit --case-db rt.db
expect_in out.txt "^imported chain 1: case FA from fa.jsonl: all $n events intact" "audit: the imported chain's verdict"
proj='{audit: .audit.state, cases: [.export.cases[] | {case_id, description, description_recorded,
	evidence: [.evidence[] | {evidence_id, description, created_utc, examiner,
	acquisitions: [.acquisitions[] | {status, state, source_path, source_size, started_utc, finished_utc,
		media_hashes, outputs, bad_ranges, hash_windows, examiner, format}],
	verifications: [.verifications[] | {result, started_utc, finished_utc, method, target, hashes, diffs}],
	custody: [.custody[] | del(.id)], amendments: [.amendments[] | del(.id)]}]}]}'
expect_exit 0 "report of the source" -- "$FORAGE" report --case-db fa.db --case FA --format json -o fa-r.json
expect_exit 0 "report of the copy" -- "$FORAGE" report --case-db rt.db --case FA --format json -o rt-r.json
jq -S "$proj" fa-r.json >fa-p.json
jq -S "$proj" rt-r.json >rt-p.json
[ "$(jq '.cases[0].evidence[0].acquisitions | length' fa-p.json)" = 1 ] &&
	[ "$(jq '.cases[0].evidence[0].verifications | length' fa-p.json)" = 1 ] &&
	[ "$(jq '.cases[0].evidence[0].custody | length' fa-p.json)" = 1 ] || fail "the projection is empty"
if cmp -s fa-p.json rt-p.json; then
	ok "round trip: the same audit verdict, acquisitions, hashes, verifications, custody"
else
	fail "round trip: the reports differ"; diff fa-p.json rt-p.json >&2
fi

# An imported chain edited in the database (its guard dropped and put back).
sql rt.db ".backup rt2.db"
trig=$(sql rt2.db "SELECT sql FROM sqlite_master WHERE name = 'imported_events_no_update'")
sql rt2.db "DROP TRIGGER imported_events_no_update;
	UPDATE imported_events SET details = replace(details, '\"success\"', '\"failed\"') WHERE id = 4;
	$trig;"
expect_exit 1 "audit of an edited imported chain" -- "$FORAGE" case audit --case-db rt2.db
expect_in out.txt "^imported chain 1: case FA from fa.jsonl: BROKEN: event 4 \(acquisition-completed\): its content does not match its sha256" \
	"audit: the imported chain's broken event named"
expect_in out.txt "BROKEN: imported chain 1 \(case FA, from fa.jsonl\): event 4" "audit: the database's verdict names it"

# ---- Two field cases merged into one lab database.
expect_exit 0 "acquire into field B" -- env FORAGE_EXAMINER="Field Two" "$FORAGE" acquire srcb.bin \
	-o b/HD7 --format raw --case FB --evidence HD7 --case-db fb.db --progress none
expect_exit 0 "export field B" -- "$FORAGE" case export --case-db fb.db --case FB -o fb.jsonl
expect_exit 0 "lab case" -- env FORAGE_EXAMINER=Lab "$FORAGE" case init --case-db lab.db --case LAB1
expect_exit 0 "import A into the lab" -- "$FORAGE" case import fa.jsonl --case-db lab.db --examiner Lab
expect_exit 0 "import B into the lab" -- "$FORAGE" case import fb.jsonl --case-db lab.db --examiner Lab
[ "$(sql lab.db "SELECT group_concat(case_id, ' ') FROM (SELECT case_id FROM cases ORDER BY case_id)")" = "FA FB LAB1" ] &&
	ok "lab: three cases" || fail "lab cases: $(sql lab.db "SELECT case_id FROM cases")"
[ "$(sql lab.db "SELECT group_concat(id || ':' || case_id || ':' || evidence_id, ' ') FROM acquisitions")" = "1:FA:HD1 2:FB:HD7" ] &&
	ok "lab: acquisitions numbered by the lab" || fail "lab acquisitions: $(sql lab.db "SELECT id, case_id FROM acquisitions")"
[ "$(sql lab.db "SELECT group_concat(kind, ' ') FROM events")" = "case-created case-imported case-imported" ] &&
	ok "lab chain: its case and two imports" || fail "lab events"
expect_exit 0 "audit the lab" -- "$FORAGE" case audit --case-db lab.db
expect_in out.txt "^lab.db: all 3 events intact" "lab audit: its own chain"
expect_in out.txt "^imported chain 1: case FA from fa.jsonl: all $n events intact" "lab audit: chain of A"
expect_in out.txt "^imported chain 2: case FB from fb.jsonl: all 4 events intact" "lab audit: chain of B"
expect_exit 0 "report of B from the lab" -- "$FORAGE" report --case-db lab.db --case FB --format json -o lb.json
[ "$(jq -r '.export.cases[0].evidence[0].acquisitions[0].media_hashes.sha256' lb.json)" = "$(sha256sum <srcb.bin | cut -d' ' -f1)" ] &&
	ok "lab report of B: its hash" || fail "lab report of B"

# A case that came by import is not exported again (its chain would not go
# with it): said plainly.
expect_exit 2 "export of an imported case" -- "$FORAGE" case export --case-db lab.db --case FA -o again.jsonl
expect_in err.txt "case FA holds rows imported \(import 1, from fa.jsonl\).*export it from its source" \
	"export of an imported case: refused, said why"
[ ! -e again.jsonl ] && ok "no file left" || fail "again.jsonl left"

# ---- The same export twice: refused, nothing changed.
sum=$(sql lab.db "SELECT count(*) || ' ' || (SELECT count(*) FROM imported_events) || ' ' || (SELECT count(*) FROM acquisitions) FROM events")
expect_exit 2 "the same export again" -- "$FORAGE" case import fa.jsonl --case-db lab.db
expect_in err.txt "already imported into lab.db \(import 1, on .*\): the same case up to the same head; nothing done" \
	"double import: said plainly"
[ "$(sql lab.db "SELECT count(*) || ' ' || (SELECT count(*) FROM imported_events) || ' ' || (SELECT count(*) FROM acquisitions) FROM events")" = "$sum" ] &&
	ok "double import: nothing changed" || fail "double import changed the lab database"

# ---- The same case (same identity) merged; another case of the same id refused.
sql lab.db ".backup laptop.db"
mkdir c
expect_exit 0 "acquire into the laptop's copy of LAB1" -- "$FORAGE" acquire srcb.bin -o c/HD9 --format raw \
	--case LAB1 --evidence HD9 --case-db laptop.db --progress none
expect_exit 0 "export LAB1 from the laptop" -- "$FORAGE" case export --case-db laptop.db --case LAB1 -o lab1.jsonl
expect_exit 0 "import LAB1 back: the same case" -- "$FORAGE" case import lab1.jsonl --case-db lab.db
expect_in out.txt "merged: the same case was there" "same case: merged"
[ "$(sql lab.db "SELECT count(*) FROM cases WHERE case_id = 'LAB1'") $(sql lab.db "SELECT evidence_id FROM acquisitions WHERE case_id = 'LAB1'")" = "1 HD9" ] &&
	ok "same case: one case row, the laptop's acquisition added" || fail "merge of LAB1"
expect_exit 0 "audit after the merge" -- "$FORAGE" case audit --case-db lab.db
expect_in out.txt "^imported chain 3: case LAB1 from lab1.jsonl: all" "merged chain audited"
expect_exit 0 "another case FA" -- env FORAGE_EXAMINER=Other "$FORAGE" case init --case-db other.db --case FA \
	--description "another case"
expect_exit 0 "export the other FA" -- "$FORAGE" case export --case-db other.db -o ofa.jsonl
expect_exit 2 "import of another case of the same id" -- "$FORAGE" case import ofa.jsonl --case-db lab.db
expect_in err.txt "case FA is already in lab.db and is another one .*nothing imported" "another case: refused, named"

# ---- Tampered exports: refused naming the event; nothing written.
evline() { grep -n '^{"event"' fa.jsonl | sed -n "$1p" | cut -d: -f1; }
l4=$(evline 4)
jq -c 'if .event.id == 4 then .event.details |= sub("\"success\""; "\"failed\"") else . end' fa.jsonl >edited.jsonl
cmp -s fa.jsonl edited.jsonl && fail "the edit did not change the export"
expect_exit 1 "an edited event" -- "$FORAGE" case import edited.jsonl --case-db t1.db
expect_in err.txt "edited.jsonl: line $l4 \(byte offset [0-9]+\): event 4 \(acquisition-completed\): its content does not match its sha256: edited" \
	"edited event: named"
sed "$(evline 3)d" fa.jsonl >removed.jsonl
expect_exit 1 "a removed event" -- "$FORAGE" case import removed.jsonl --case-db t1.db
expect_in err.txt "event 3 is missing \(the export goes from event 2 to 4\): removed" "removed event: named"
[ "$(sql t1.db "SELECT count(*) FROM events") $(sql t1.db "SELECT count(*) FROM cases")" = "0 0" ] &&
	ok "refused imports wrote nothing" || fail "t1.db was written"
# The chain recomputed after an edit, the head changed to match.
sql t.db "CREATE TABLE events(id INTEGER PRIMARY KEY, utc TEXT, kind TEXT, examiner TEXT, case_id TEXT,
	evidence_id TEXT, subject_id INTEGER, details TEXT, prev_sha256 TEXT, sha256 TEXT);
	INSERT INTO events SELECT json_extract(value, '$.event.id'), json_extract(value, '$.event.utc'),
	json_extract(value, '$.event.kind'), json_extract(value, '$.event.examiner'),
	json_extract(value, '$.event.case_id'), json_extract(value, '$.event.evidence_id'),
	json_extract(value, '$.event.subject_id'), json_extract(value, '$.event.details'),
	json_extract(value, '$.event.prev_sha256'), json_extract(value, '$.event.sha256')
	FROM json_each('[' || replace(trim(readfile('fa.jsonl'), char(10)), char(10), ',') || ']')
	WHERE json_extract(value, '$.event') IS NOT NULL;
	UPDATE events SET details = json_set(details, '$.media_hashes.md5', '00000000000000000000000000000000')
	WHERE id = 4"
[ "$(event_sha t.db 3)" = "$(sql t.db "SELECT sha256 FROM events WHERE id = 3")" ] ||
	fail "the test's canonical form is not forage's"
i=4
while [ $i -le "$n" ]; do
	sql t.db "UPDATE events SET prev_sha256 = (SELECT sha256 FROM events WHERE id = $i - 1) WHERE id = $i"
	sql t.db "UPDATE events SET sha256 = '$(event_sha t.db $i)' WHERE id = $i"
	i=$((i + 1))
done
head -n 1 fa.jsonl | jq -c --arg h "$(sql t.db "SELECT sha256 FROM events WHERE id = $n")" '.head.sha256 = $h' >recomputed.jsonl
sql t.db "SELECT json_object('event', json_object('id', id, 'utc', utc, 'kind', kind, 'examiner', examiner,
	'case_id', case_id, 'evidence_id', evidence_id, 'subject_id', subject_id, 'details', details,
	'prev_sha256', prev_sha256, 'sha256', sha256)) FROM events ORDER BY id" >>recomputed.jsonl
grep -v '^{"event"' fa.jsonl | tail -n +2 >>recomputed.jsonl
expect_exit 0 "the recomputed chain checks on its own" -- sh -c "jq -e . recomputed.jsonl >/dev/null"
expect_exit 1 "a recomputed chain, head changed" -- "$FORAGE" case import recomputed.jsonl --case-db t1.db
expect_in err.txt "recomputed.jsonl: event 4 \(acquisition-completed\): the rows it recorded differ \(media_hashes\); nothing imported" \
	"recomputed chain: the event whose rows differ named"
# The head changed alone.
{ head -n 1 fa.jsonl | jq -c '.head.sha256 = "'"$(printf '%064d' 7)"'"'; tail -n +2 fa.jsonl; } >head.jsonl
expect_exit 1 "a head that is not the chain's end" -- "$FORAGE" case import head.jsonl --case-db t1.db
expect_in err.txt "the chain ends at event $n .* but the export's head is event $n" "changed head: named"
# A row no event of the chain recorded: an acquisition added to the file.
{ grep -v '^{"end"' fa.jsonl; grep '^{"table":"acquisitions"' fa.jsonl | jq -c '.row.id = 99 | .row.status = "running"';
  tail -n 1 fa.jsonl | jq -c '.end.rows += 1'; } >added.jsonl
expect_exit 1 "an acquisition no event recorded" -- "$FORAGE" case import added.jsonl --case-db t1.db
expect_in err.txt "added.jsonl: once imported, acquisition 2 has no acquisition-started event; nothing imported" \
	"added row: named"
[ "$(sql t1.db "SELECT count(*) FROM events") $(sql t1.db "SELECT count(*) FROM imports")" = "0 0" ] &&
	ok "tampered imports wrote nothing" || fail "t1.db was written"

# ---- Damaged files: the line, its byte offset, the cause.
head -n 5 fa.jsonl >cut.jsonl
expect_exit 2 "a cut export" -- "$FORAGE" case import cut.jsonl --case-db t1.db
expect_in err.txt "cut.jsonl: line 6 \(byte offset [0-9]+\): cut short: the end line is missing" "cut export: named"
{ head -n 2 fa.jsonl; printf '{"event": nonsense}\n'; } >bad.jsonl
off=$(head -n 2 fa.jsonl | wc -c)
expect_exit 2 "a line that is not JSON" -- "$FORAGE" case import bad.jsonl --case-db t1.db
expect_in err.txt "bad.jsonl: line 3 \(byte offset $((off + 18))\): not JSON: invalid token" "not JSON: line and offset"
printf 'hello\n' >notexport.jsonl
expect_exit 2 "not an export" -- "$FORAGE" case import notexport.jsonl --case-db t1.db
expect_in err.txt "notexport.jsonl: line 1 \(byte offset 5\): not JSON" "not an export: named"
expect_exit 2 "a folder" -- "$FORAGE" case import a --case-db t1.db
expect_in err.txt "not a regular file" "a folder: refused"
mkfifo fifo
expect_exit 2 "a FIFO, without waiting for a writer" -- timeout 20 "$FORAGE" case import fifo --case-db t1.db
expect_in err.txt "fifo: not a regular file" "a FIFO: refused"

done_testing
