#!/bin/sh
# A case database on PostgreSQL (issue 23), for real: a temporary
# PostgreSQL 15 cluster; forage case init, acquire, verify --case, show,
# audit and report against --case-db postgresql://...; the event chain,
# recomputed with sha256sum from the rows, as on SQLite; the same case
# exported from PostgreSQL, imported into SQLite and audited there with the
# same verdict, and back; a tampered row (as the superuser, triggers off)
# caught by the audit.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/pg.sh"
heavy
need_cmd jq
need_cmd sqlite3
# A password in the URI is refused (records and logs name the database
# by its URI), and never shown.
expect_exit 2 "a URI with a password" -- "$FORAGE" case show \
	--case-db "postgresql://examiner:s3cr3t@localhost/forage"
expect_in err.txt "a password in the URI is refused" "password refused, said why"
grep -q s3cr3t out.txt err.txt && fail "the password was shown" || ok "the password is not shown"
expect_exit 2 "a URI with the TLS key's password" -- "$FORAGE" case show \
	--case-db "postgresql://localhost/forage?sslmode=require&sslpassword=s3cr3t"
expect_in err.txt "a password in the URI is refused" "sslpassword refused"
pg_start || { done_testing; exit 1; }
DB=$FG_PG_URL
psql_q() { $FG_PG_PSQL -At -c "$1"; }

# ---- init, acquire, verify, show ----------------------------------------
expect_exit 0 "case init on PostgreSQL" -- "$FORAGE" case init --case-db "$DB" \
	--case C1 --description "lab case" --examiner "A. Lab"
expect_in out.txt "case C1 created in postgresql:" "init names the server's database"
[ "$(psql_q 'SELECT version FROM forage_schema')" = 4 ] && ok "forage_schema: version 4" ||
	fail "forage_schema: $(psql_q 'SELECT * FROM forage_schema')"

make_data disk.bin 3000000
mkdir ev
expect_exit 0 "acquire into PostgreSQL" -- "$FORAGE" acquire disk.bin -o ev/HD1 --format raw \
	--case C1 --evidence HD1 --examiner "A. Lab" --case-db "$DB" --progress none
[ "$(json_get ev/HD1.json '.case_db.path')" = "$DB" ] && ok "record names the URI" ||
	fail "record case_db.path: $(json_get ev/HD1.json '.case_db.path')"
[ "$(json_get ev/HD1.json '.case_db.recorded')" = true ] && ok "record: recorded" ||
	fail "record: recorded $(json_get ev/HD1.json '.case_db.recorded') $(json_get ev/HD1.json '.case_db.error')"
want_md5=$(md5sum <disk.bin | cut -d' ' -f1)
want_sha=$(sha256sum <disk.bin | cut -d' ' -f1)
[ "$(psql_q "SELECT hex FROM media_hashes WHERE algorithm = 'md5'")" = "$want_md5" ] &&
	ok "media md5 in PostgreSQL is the bytes' md5" || fail "media md5"
[ "$(psql_q "SELECT hex FROM media_hashes WHERE algorithm = 'sha256'")" = "$want_sha" ] &&
	ok "media sha256 in PostgreSQL is the bytes' sha256" || fail "media sha256"
[ "$(psql_q "SELECT status, bytes FROM acquisitions WHERE id = 1")" = "success|3000000" ] &&
	ok "acquisition row: success, 3000000 bytes" || fail "acquisition row: $(psql_q 'SELECT status, bytes FROM acquisitions')"

expect_exit 0 "verify --case against PostgreSQL" -- "$FORAGE" verify --case C1 --case-db "$DB"
[ "$(psql_q "SELECT result FROM verifications")" = match ] && ok "verification row: match" ||
	fail "verification rows: $(psql_q 'SELECT id, result FROM verifications')"
expect_exit 0 "case show" -- "$FORAGE" case show --case-db "$DB" --case C1
expect_in out.txt "Acquisition 1: success" "show: acquisition 1 success"
expect_in out.txt "$want_sha" "show: the media sha256"
expect_exit 0 "case audit" -- "$FORAGE" case audit --case-db "$DB"
n=$(psql_q "SELECT count(*) FROM events")
expect_in out.txt "all $n events intact" "audit: all $n events intact"

# The chain as a third party recomputes it: each event's prev_sha256 is
# the sha256 of the one before, the first's 64 zeros.
prev=0000000000000000000000000000000000000000000000000000000000000000
bad=0
for id in $(psql_q "SELECT id FROM events ORDER BY id"); do
	[ "$(psql_q "SELECT prev_sha256 FROM events WHERE id = $id")" = "$prev" ] || bad=$id
	prev=$(psql_q "SELECT sha256 FROM events WHERE id = $id")
done
[ "$bad" = 0 ] && ok "prev_sha256 links every event to the one before" || fail "link broken at $bad"

# ---- the report ---------------------------------------------------------
expect_exit 0 "report from PostgreSQL" -- "$FORAGE" report --case C1 --case-db "$DB" -o rep.txt
expect_in rep.txt "$want_sha" "report: the media sha256"
expect_in rep.txt "intact" "report: the chain intact"

# ---- across backends: export from PostgreSQL, import into SQLite --------
expect_exit 0 "export from PostgreSQL" -- "$FORAGE" case export --case-db "$DB" --case C1 -o c1.jsonl
expect_exit 0 "import into SQLite" -- "$FORAGE" case import c1.jsonl --case-db lab.db --examiner "B. Lab"
expect_exit 0 "audit the SQLite copy" -- "$FORAGE" case audit --case-db lab.db
expect_in out.txt "imported chain 1: case C1 .*all $n events intact" "SQLite: the PostgreSQL chain intact"
[ "$(sql lab.db "SELECT hex FROM media_hashes WHERE algorithm = 'sha256'")" = "$want_sha" ] &&
	ok "SQLite copy: the same media sha256" || fail "SQLite copy media hash"
# and a field laptop's SQLite case into the lab's PostgreSQL.
mkdir field
expect_exit 0 "field acquisition (SQLite)" -- "$FORAGE" acquire disk.bin -o field/L1 --format raw \
	--case F9 --evidence L1 --examiner "C. Field" --case-db field/case.db --progress none
expect_exit 0 "export the field case" -- "$FORAGE" case export --case-db field/case.db --case F9 -o f9.jsonl
expect_exit 0 "import the field case into PostgreSQL" -- "$FORAGE" case import f9.jsonl \
	--case-db "$DB" --examiner "A. Lab"
expect_exit 0 "audit PostgreSQL after the import" -- "$FORAGE" case audit --case-db "$DB"
expect_in out.txt "imported chain 1: case F9 .*intact" "PostgreSQL: the field chain intact"
[ "$(psql_q "SELECT count(*) FROM acquisitions WHERE case_id = 'F9' AND status = 'success'")" = 1 ] &&
	ok "the field acquisition is in PostgreSQL" || fail "field acquisition rows"

# ---- long walks: more rows than one batch of a cursor (1000) ------------
# 2,600 hash windows: case export lists every one of them, in order, read
# through a cursor a batch at a time.
make_data win.bin 10649600
expect_exit 0 "acquire with 2,600 hash windows" -- "$FORAGE" acquire win.bin -o ev/W1 --format raw \
	--hash-window 4K --case C1 --evidence W1 --case-db "$DB" --progress none
w1=$(psql_q "SELECT id FROM acquisitions WHERE evidence_id = 'W1'")
expect_exit 0 "export the windows" -- "$FORAGE" case export --case-db "$DB" --case C1 -o w.jsonl
[ "$(jq -c --argjson a "$w1" 'select(.table == "hash_windows" and .row.acquisition_id == $a) | .row.idx' w.jsonl | wc -l)" = 2600 ] &&
	ok "export: all 2600 windows" || fail "export windows: $(jq -c --argjson a "$w1" 'select(.table == "hash_windows" and .row.acquisition_id == $a)' w.jsonl | wc -l)"
jq -r --argjson a "$w1" 'select(.table == "hash_windows" and .row.acquisition_id == $a) | .row.idx' w.jsonl >idx.txt
seq 0 2599 | cmp -s - idx.txt && ok "export: windows 0 to 2599 in order" || fail "export: windows out of order"
last=$(dd if=win.bin bs=4096 skip=2599 count=1 2>/dev/null | sha256sum | cut -d' ' -f1)
jq -r --argjson a "$w1" 'select(.table == "hash_windows" and .row.acquisition_id == $a and .row.idx == 2599) | .row.hex' w.jsonl | grep -qx "$last" &&
	ok "export: window 2599 is the sha256 of its bytes" || fail "window 2599 hash"

# ---- tampering is caught ------------------------------------------------
# The superuser can switch a guard off; the audit names what it did.
psql_q "ALTER TABLE media_hashes DISABLE TRIGGER USER;
	UPDATE media_hashes SET hex = repeat('0', 64) WHERE algorithm = 'sha256' AND acquisition_id = 1;
	ALTER TABLE media_hashes ENABLE TRIGGER USER" >/dev/null
expect_exit 1 "audit after a hash was rewritten" -- "$FORAGE" case audit --case-db "$DB"
expect_in out.txt "BROKEN" "audit: BROKEN"
done_testing
