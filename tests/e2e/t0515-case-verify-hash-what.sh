#!/bin/sh
# verification_hashes says which digest each row is (what) and where its
# expected value came from (source): an odd-size E01 has two different MD5s
# of the media (the exact source bytes and the sector-padded media the E01
# stores), and both the acquisition's own --verify and a later forage verify
# tell them apart in the database, in `forage case show` and in the reports.
# A database made by the previous forage (schema version 1, loaded from
# casedb-v1.sql) is read as it is by show/audit/report without being
# changed, is upgraded in place on the first write (old rows NULL in the new
# columns), and its event chain still verifies; an edit of an old row's new
# columns is caught by the audit.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq sqlite3
unset FORAGE_CASE_DB
export FORAGE_EXAMINER="Wanda What"

# ---- A new database: an odd-size E01 ------------------------------------
need_e01_writer
make_data odd.bin 300001
mkdir o
db=o/case.db
expect_exit 0 "acquire --verify, odd size, into a case" -- "$FORAGE" acquire odd.bin -o o/ODD \
	--format e01 --verify --case C1 --evidence ODD --progress none
[ "$(sql $db "PRAGMA user_version")" = 4 ] && ok "new database: schema version 4" || fail "user_version $(sql $db "PRAGMA user_version")"
expect_exit 0 "verify --case C1" -- "$FORAGE" verify --case C1 --case-db $db --progress none

# Each verification: the media's MD5s are two rows with different subjects.
for v in 1 2; do
	rows=$(sql $db "SELECT what || '|' || source FROM verification_hashes WHERE verification_id = $v
		AND file IS NULL AND algorithm = 'md5' ORDER BY what")
	n=$(printf '%s\n' "$rows" | grep -c .)
	[ "$n" -ge 2 ] || fail "verification $v: $n media md5 rows: $rows"
	printf '%s\n' "$rows" | grep -q '^media|' &&
		printf '%s\n' "$rows" | grep -q '^media, first 300001 bytes|' &&
		ok "verification $v: md5 of 'media' and of 'media, first 300001 bytes'" ||
		fail "verification $v: media md5 subjects: $rows"
	[ "$(sql $db "SELECT count(DISTINCT what) FROM verification_hashes WHERE verification_id = $v
		AND file IS NULL AND algorithm = 'md5'")" = 2 ] &&
		ok "verification $v: the two media MD5s have different subjects" || fail "verification $v: what not distinct"
	[ "$(sql $db "SELECT count(DISTINCT expected) FROM verification_hashes WHERE verification_id = $v
		AND file IS NULL AND algorithm = 'md5'")" = 2 ] &&
		ok "verification $v: and different values" || fail "verification $v: values"
	[ "$(sql $db "SELECT count(*) FROM verification_hashes WHERE verification_id = $v
		AND (what IS NULL OR source IS NULL OR source = '')")" = 0 ] &&
		ok "verification $v: every row has what and source" || fail "verification $v: a row without what/source"
	[ "$(sql $db "SELECT count(*) FROM verification_hashes WHERE verification_id = $v
		AND file IS NOT NULL AND what <> 'file ' || file")" = 0 ] &&
		ok "verification $v: file rows say 'file NAME'" || fail "verification $v: file vs what"
done
# Where the expected values came from (forage verify: the image's own hash,
# and the record from the case database).
[ "$(sql $db "SELECT source FROM verification_hashes WHERE verification_id = 2 AND algorithm = 'md5'
	AND what = 'media' AND source LIKE 'the image%'")" = "the image ODD.E01 (the hash stored in it)" ] &&
	ok "forage verify: the E01's stored MD5 named as such" || fail "stored md5 source"
[ "$(sql $db "SELECT source FROM verification_hashes WHERE verification_id = 2 AND algorithm = 'md5'
	AND what = 'media, first 300001 bytes'")" = "the case database case.db, acquisition 1 (hashes.md5)" ] &&
	ok "forage verify: the exact bytes' MD5 comes from acquisition 1's hashes.md5" ||
	fail "exact md5 source: $(sql $db "SELECT source FROM verification_hashes WHERE verification_id = 2")"
[ "$(sql $db "SELECT count(*) FROM verification_hashes WHERE verification_id = 2 AND what = 'file ODD.E01'
	AND algorithm = 'sha256' AND source = 'the checksum file ODD.sha256, line 1'")" = 1 ] &&
	ok "forage verify: the sidecar line named" || fail "sidecar source"
# The file's MD5, settled by its SHA-256 and not recomputed, is no hash row.
[ "$(sql $db "SELECT count(*) FROM verification_hashes WHERE verification_id = 2 AND what = 'file ODD.E01'
	AND algorithm = 'md5'")" = 0 ] &&
	ok "forage verify: a settled MD5 is not stored as compared" || fail "settled md5 stored"
expect_exit 0 "audit, new database" -- "$FORAGE" case audit --case-db $db
expect_in out.txt "all 6 events intact" "audit: new database intact"
# The event's details carry what and source (the chain covers them).
sql $db "SELECT details FROM events WHERE kind = 'verification' AND subject_id = 2" |
	jq -e '.hashes[] | select(.what == "media, first 300001 bytes" and (.source | startswith("the case database")))' >/dev/null &&
	ok "the verification event records what and source" || fail "event details lack what/source"

# case show and the reports.
expect_exit 0 "case show" -- "$FORAGE" case show --case-db $db
expect_in out.txt "^      md5 of media, first 300001 bytes: match$" "show: md5 of the exact bytes"
expect_in out.txt "^      md5 of media: match$" "show: md5 of the padded media"
expect_in out.txt "^        expected  [0-9a-f]{32}  from the image ODD.E01 \(the hash stored in it\)$" "show: the source"
expect_exit 0 "case show --json" -- "$FORAGE" case show --case-db $db --json
jq -e '[.. | objects | select(.hashes? | type == "array") | .hashes[] | select(.what == "media, first 300001 bytes")] | length >= 2' out.txt >/dev/null &&
	ok "show --json: what in the hashes" || fail "show --json"
for f in text html json dfxml case-uco; do
	expect_exit 0 "report --format $f" -- "$FORAGE" report --case-db $db --case C1 --format $f -o "r.$f"
done
# (a digest equal to the one expected is one line: what, equal to its source)
expect_in r.text "MD5 of media, first 300001 bytes: equal to the case database" "text report: the exact bytes' MD5"
expect_in r.text "MD5 of media: equal to the image ODD.E01 \(the hash stored in it\): +[0-9a-f]{32}" "text report: the source"
expect_in r.html "MD5 of media, first 300001 bytes: equal to the case database" "html report: what and source"
jq -e '[.. | objects | select(.what? == "media, first 300001 bytes" and .source? != null)] | length >= 2' r.json >/dev/null &&
	ok "json report: what and source" || fail "json report"
expect_in r.dfxml '<forage:hash type="md5" match="1" what="media, first 300001 bytes">' "dfxml: what"
expect_in r.dfxml "<forage:source>the image ODD.E01 \(the hash stored in it\)</forage:source>" "dfxml: source"
expect_in r.case-uco "md5 of media, first 300001 bytes expected [0-9a-f]{32} \(from the case database" "case-uco: what and source"

# ---- A database of schema version 1 --------------------------------------
sqlite3 old.db <"$FG_SRCDIR/tests/e2e/casedb-v1.sql" || fail "loading casedb-v1.sql"
[ "$(sql old.db "PRAGMA user_version")" = 1 ] || fail "fixture is not schema version 1"
sum=$(sha256sum old.db)
expect_exit 0 "case show on a version 1 database" -- "$FORAGE" case show --case-db old.db
expect_in out.txt "^      md5 of the media \(which digest: not recorded\): match$" "show v1: which digest not recorded, said so"
expect_in out.txt "from \(not recorded\)$" "show v1: source not recorded, said so"
expect_exit 0 "audit a version 1 database, read-only" -- "$FORAGE" case audit --case-db old.db
expect_in out.txt "all 6 events intact" "audit v1: intact"
expect_exit 0 "report on a version 1 database" -- "$FORAGE" report --case-db old.db --case C1 --format json -o old.json
[ "$(jq -r .export.schema_version old.json)" = 1 ] && ok "report v1: says schema version 1" || fail "report schema_version"
[ "$(sha256sum old.db)" = "$sum" ] && [ "$(sql old.db "PRAGMA user_version")" = 1 ] &&
	ok "reading left the version 1 database as it was" || fail "reading changed old.db"

# The first write upgrades it.
nrows=$(sql old.db "SELECT count(*) FROM verification_hashes")
ntrig=$(sql old.db "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
cp old.db keep1.db
expect_exit 0 "custody add upgrades" -- "$FORAGE" case custody add --case-db old.db --case C1 \
	--evidence ODD --action stored --location "Locker 3"
[ "$(sql old.db "PRAGMA user_version")" = 4 ] && ok "upgraded to schema version 4" || fail "not upgraded"
[ "$(sql old.db "SELECT count(*) FROM verification_hashes WHERE what IS NULL AND source IS NULL")" = "$nrows" ] &&
	ok "old rows: what and source NULL ($nrows rows)" || fail "old rows not NULL"
[ "$(sql old.db "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name NOT IN ('amendments', 'seals', 'imports', 'imported_events', 'imported_rows')")" = "$ntrig" ] &&
	ok "the append-only triggers are all still there" || fail "triggers"
sql old.db "UPDATE verification_hashes SET what = 'media' WHERE id = 1" 2>sq.err &&
	fail "UPDATE of an upgraded row allowed" || expect_in sq.err "append-only" "upgraded table: UPDATE refused"
expect_exit 0 "audit the upgraded database" -- "$FORAGE" case audit --case-db old.db
expect_in out.txt "all 7 events intact" "audit: the events of version 1 and the new one intact"

# An attacker who fills in an old row's what is caught.
cp keep1.db t.db
sql t.db "DROP TRIGGER verification_hashes_no_update" >/dev/null
"$FORAGE" case custody add --case-db t.db --case C1 --evidence ODD --action stored --location X >/dev/null 2>&1 ||
	fail "upgrading t.db"
sql t.db "UPDATE verification_hashes SET what = 'media, first 300001 bytes' WHERE id = 3" || fail "tamper"
expect_exit 1 "audit after what was filled in on an old row" -- "$FORAGE" case audit --case-db t.db
expect_in out.txt "event 5 .*hashes differs" "audit names the verification event whose hashes changed"
done_testing
