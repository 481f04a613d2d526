#!/bin/sh
# Raw acquisitions are recorded in the case database without being asked:
# sqlite3 finds the case, the evidence item, the acquisition with its
# facts, the media hashes (equal to the record's and the sidecars'), every
# output file with its hashes (equal to the .md5/.sha256 lines), and the
# hash windows.  case.db lies beside the outputs unless --case-db or
# FORAGE_CASE_DB say otherwise; the examiner is recorded on every event.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3 jq md5sum sha256sum

make_data src.bin 3000000
mkdir out
expect_exit 0 "raw acquisition" -- env FORAGE_EXAMINER="Jo Smith" "$FORAGE" acquire src.bin \
	-o out/HD1 --format raw --case 2026-041 --evidence HD1 --description "desk 3 disk" \
	--hash-window 1M --progress none
[ -f out/case.db ] && ok "case.db beside the outputs" || fail "no out/case.db"
expect_in err.txt "^case database: out/case.db \(acquisition 1\)" "acquire names the database row"
db=out/case.db
[ "$(sql $db 'PRAGMA user_version')" = 4 ] && ok "schema version 4" || fail "user_version"
[ "$(sql $db 'PRAGMA journal_mode')" = wal ] && ok "WAL mode" || fail "journal_mode"
[ "$(sql $db 'PRAGMA integrity_check')" = ok ] && ok "integrity_check ok" || fail "integrity"
[ "$(sql $db "SELECT case_id FROM cases")" = 2026-041 ] && ok "case created on first use" || fail "case"
[ "$(sql $db "SELECT evidence_id || '|' || description FROM evidence")" = "HD1|desk 3 disk" ] &&
	ok "evidence item created on first use" || fail "evidence"
row=$(sql $db "SELECT case_id, evidence_id, examiner, status, exit_code, source_path, source_kind,
	source_size, logical_sector_size, format, tool_name FROM acquisitions WHERE id = 1")
[ "$row" = "2026-041|HD1|Jo Smith|success|0|src.bin|file|3000000|512|raw|forage" ] &&
	ok "acquisition row: $row" || fail "acquisition row: $row"
j=out/HD1.json
[ "$(sql $db "SELECT started_utc || ' ' || finished_utc || ' ' || host FROM acquisitions")" = \
  "$(jq -r '.run.started_utc + " " + .run.finished_utc + " " + .run.host' $j)" ] &&
	ok "times and host as in the record" || fail "times/host"
sql $db "SELECT command_line FROM acquisitions" | grep -q -- '--evidence HD1' &&
	ok "command line recorded" || fail "command line"
[ "$(sql $db "SELECT json_extract(write_block, '$.state') FROM acquisitions")" = "$(jq -r .write_block.state $j)" ] &&
	ok "write-block state recorded" || fail "write-block state"
[ "$(sql $db "SELECT json_extract(parameters, '$.hash_window') FROM acquisitions")" = 1048576 ] &&
	ok "parameters recorded" || fail "parameters"
[ "$(sql $db "SELECT json_extract(record_final, '$.hashes.sha256') FROM acquisitions")" = "$(jq -r .hashes.sha256 $j)" ] &&
	ok "whole final record kept" || fail "record_final"
[ "$(jq -r .case_db.acquisition_id $j)" = 1 ] && [ "$(jq -r .case_db.recorded $j)" = true ] &&
	ok "the record names its database row" || fail "record case_db"
for w in started completed; do
	id=$(jq -r ".case_db.${w}_event" $j)
	[ "$(jq -r ".case_db.${w}_event_sha256" $j)" = "$(sql $db "SELECT sha256 FROM events WHERE id = $id
		AND kind = 'acquisition-$w' AND subject_id = 1")" ] &&
		ok "the record anchors the acquisition-$w event ($id)" || fail "record anchor $w"
done

# Hashes: database = record = sidecars = md5sum/sha256sum.
md5=$(md5sum <src.bin | cut -d' ' -f1); sha=$(sha256sum <src.bin | cut -d' ' -f1)
[ "$(sql $db "SELECT hex FROM media_hashes WHERE acquisition_id = 1 AND algorithm = 'md5'")" = "$md5" ] &&
	ok "media md5 = md5sum" || fail "media md5"
[ "$(sql $db "SELECT hex FROM media_hashes WHERE acquisition_id = 1 AND algorithm = 'sha256'")" = "$sha" ] &&
	ok "media sha256 = sha256sum" || fail "media sha256"
[ "$(jq -r .hashes.md5 $j)" = "$md5" ] || fail "record md5"
# Output paths are absolute (the folder resolved when written); the
# sidecars name the files alone, as sha256sum -c in that folder wants.
here=$(pwd -P)
[ "$(sql $db "SELECT path FROM outputs WHERE acquisition_id = 1")" = "$here/out/HD1.raw" ] &&
	ok "output path recorded absolute" || fail "output path: $(sql $db 'SELECT path FROM outputs')"
[ "$(jq -r '.outputs[0].path' $j)" = "$here/out/HD1.raw" ] && [ "$(jq -r .case_db.path $j)" = "$here/out/case.db" ] &&
	ok "record: outputs[].path and case_db.path absolute" || fail "record paths: $(jq -c '[.outputs[0].path, .case_db.path]' $j)"
[ "$(jq -r .run.working_directory $j)" = "$here" ] && ok "record: run.working_directory" ||
	fail "run.working_directory: $(jq -r .run.working_directory $j)"
sql $db "SELECT md5 || '  ' || replace(path, '$here/out/', '') FROM outputs WHERE acquisition_id = 1" >db.md5
sql $db "SELECT sha256 || '  ' || replace(path, '$here/out/', '') FROM outputs WHERE acquisition_id = 1" >db.sha256
diff -u out/HD1.md5 db.md5 && ok "outputs md5 = HD1.md5" || fail "outputs md5"
diff -u out/HD1.sha256 db.sha256 && ok "outputs sha256 = HD1.sha256" || fail "outputs sha256"
[ "$(sql $db "SELECT size FROM outputs")" = 3000000 ] && ok "output size" || fail "output size"
[ "$(sql $db "SELECT count(*) || ' ' || sum(length) FROM hash_windows WHERE acquisition_id = 1")" = "3 3000000" ] &&
	ok "3 hash windows over 3000000 bytes" || fail "hash windows"
jq -r '.hash_windows.sha256[]' $j >rec-win.txt
sql $db "SELECT hex FROM hash_windows ORDER BY idx" >db-win.txt
diff -u rec-win.txt db-win.txt && ok "hash windows = record's" || fail "hash windows differ"
[ "$(sql $db "SELECT count(*) FROM bad_ranges")" = 0 ] && ok "no bad ranges on a healthy source" || fail "bad ranges"
[ "$(sql $db "SELECT group_concat(kind || ':' || examiner, ',') FROM events")" = \
  "case-created:Jo Smith,evidence-added:Jo Smith,acquisition-started:Jo Smith,acquisition-completed:Jo Smith" ] &&
	ok "four events, each with its examiner" || fail "events: $(sql $db 'SELECT kind, examiner FROM events')"

# Split raw into the same case: every segment is an output with its hashes.
expect_exit 0 "split raw, second evidence item" -- "$FORAGE" acquire src.bin -o out/HD2 \
	--format raw --segment-size 1M --case 2026-041 --evidence HD2 --progress none
sql $db "SELECT md5 || '  ' || replace(path, '$here/out/', '') FROM outputs WHERE acquisition_id = 2 ORDER BY path" >db2.md5
diff -u out/HD2.md5 db2.md5 && ok "3 segments: outputs md5 = HD2.md5" || fail "split outputs"
[ "$(sql $db "SELECT count(*) FROM outputs WHERE acquisition_id = 2")" = 3 ] || fail "3 outputs"
[ "$(sql $db "SELECT examiner FROM acquisitions WHERE id = 2")" = unknown ] &&
	ok "no --examiner, no FORAGE_EXAMINER: recorded as unknown" || fail "examiner unknown"
[ "$(sql $db "SELECT count(*) FROM cases")" = 1 ] && ok "same case reused" || fail "case reused"

# No case given: recorded, not filed under a case (never guessed).
mkdir nocase
expect_exit 0 "acquisition without --case" -- "$FORAGE" acquire src.bin -o nocase/X --format raw --progress none
[ "$(sql nocase/case.db "SELECT coalesce(case_id, 'NULL') || ' ' || status FROM acquisitions")" = "NULL success" ] &&
	ok "no case: case_id NULL" || fail "no case"
expect_exit 0 "case show without a case" -- "$FORAGE" case show --case-db nocase/case.db
expect_in out.txt "^Acquisitions not filed under a case" "show: acquisitions without a case listed"
expect_in out.txt "Acquisition 1: success" "show: the unfiled acquisition"

# --case-db and FORAGE_CASE_DB choose the database.
mkdir o2 o3 dbs
expect_exit 0 "--case-db" -- "$FORAGE" acquire src.bin -o o2/HD1 --format raw --case C --evidence E \
	--case-db dbs/mine.db --progress none
[ -f dbs/mine.db ] && [ ! -f o2/case.db ] && ok "--case-db used" || fail "--case-db"
expect_exit 0 "FORAGE_CASE_DB" -- env FORAGE_CASE_DB=dbs/env.db "$FORAGE" acquire src.bin -o o3/HD1 \
	--format raw --case C --evidence E --progress none
[ -f dbs/env.db ] && [ ! -f o3/case.db ] && ok "FORAGE_CASE_DB used" || fail "FORAGE_CASE_DB"
[ "$(jq -r .case_db.path o3/HD1.json)" = "$here/dbs/env.db" ] && ok "FORAGE_CASE_DB recorded absolute" ||
	fail "env db path: $(jq -r .case_db.path o3/HD1.json)"
# Through a symbolic link and "..": the folder resolved.
ln -s o2 link
expect_exit 0 "outputs through a link" -- "$FORAGE" acquire src.bin -o link/../o3/../link/HD2 --format raw \
	--case C --evidence E2 --case-db dbs/mine.db --progress none
[ "$(jq -r '.outputs[0].path' o2/HD2.json)" = "$here/o2/HD2.raw" ] && ok "link and .. resolved" ||
	fail "resolved path: $(jq -r '.outputs[0].path' o2/HD2.json)"

# What forage case show tells a person, and as JSON.
expect_exit 0 "case show" -- "$FORAGE" case show --case-db $db
expect_in out.txt '^Case 2026-041' "show: the case"
expect_in out.txt '^Evidence HD1: desk 3 disk' "show: the item"
expect_in out.txt 'Acquisition 1: success \(exit 0\)' "show: the acquisition"
expect_in out.txt "sha256 +$sha" "show: the media sha256"
expect_in out.txt 'hash windows +3 of 1048576 bytes' "show: hash windows"
expect_exit 0 "case show --json" -- "$FORAGE" case show --case-db $db --json
[ "$(jq -r '.cases[0].evidence[] | select(.evidence_id == "HD1") | .acquisitions[0].media_hashes.md5' out.txt)" = "$md5" ] &&
	ok "show --json: media md5" || fail "show --json md5"
[ "$(jq -r '.cases[0].evidence[1].acquisitions[0].outputs | length' out.txt)" = 3 ] &&
	ok "show --json: three outputs of HD2" || fail "show --json outputs"
[ "$(jq -r ".events | length" out.txt)" = 7 ] && ok "show --json: seven events" || fail "show --json events"
expect_exit 0 "case show --evidence HD2" -- "$FORAGE" case show --case-db $db --evidence HD2
grep -q 'Evidence HD1' out.txt && fail "show --evidence HD2 shows HD1" || ok "show --evidence: only HD2"
expect_exit 2 "case show --evidence unknown" -- "$FORAGE" case show --case-db $db --evidence HD9
expect_in err.txt "no evidence item 'HD9'" "unknown item named"
expect_exit 0 "case list" -- "$FORAGE" case list --case-db $db
expect_in out.txt '^2026-041 +2 +2 ' "list: case with 2 items, 2 acquisitions"
done_testing
