#!/bin/sh
# The lab's database server stops in the middle of an acquisition (issue
# 23): the evidence is complete on disk (its sidecars check with md5sum -c
# and sha256sum -c), the record says the database could not be written
# and why, the run says so; once the server is back, `forage case
# import-record` files the acquisition and its --verify from its record,
# the audit is intact, and filing it again changes nothing.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/pg.sh"
heavy sanitizers
need_cmd jq
pg_start || { done_testing; exit 1; }
DB=$FG_PG_URL
psql_q() { $FG_PG_PSQL -At -c "$1"; }

expect_exit 0 "case init" -- "$FORAGE" case init --case-db "$DB" --case C --examiner "A. Lab"
# A source slow enough to stop the server while it is read: 512 MiB, sparse,
# read in 4 KiB blocks.
truncate -s 512M big.img
printf 'some bytes that are not zero' | dd of=big.img bs=1 seek=123456789 conv=notrunc 2>/dev/null
mkdir ev
"$FORAGE" acquire big.img -o ev/HD1 --format raw --case C --evidence HD1 --block-size 4K --verify \
	--examiner "A. Lab" --case-db "$DB" --progress none >acq.out 2>acq.err &
pid=$!
at_exit "kill -9 $pid 2>/dev/null"
running() { [ "$(psql_q "SELECT count(*) FROM acquisitions WHERE status = 'running'" 2>/dev/null)" = 1 ]; }
if wait_until 30 running; then ok "the acquisition's row is running"; else fail "no running row"; fi
pg_stop
kill -0 $pid 2>/dev/null && ok "the server stopped while the acquisition reads" ||
	fail "the acquisition ended before the server stopped: the test proves nothing"
wait $pid; rc=$?
# Exit 2, loud: the run did not do all it was asked (the evidence is
# complete, its record in the database is not).
[ $rc -eq 2 ] && ok "the acquisition ends: exit 2" ||
	{ fail "acquisition exit $rc, want 2"; sed 's/^/  | /' acq.err >&2; }
last_line acq.err | grep -q "^FAILURE: case database postgresql:.*" &&
	ok "its FAILURE line names the case database" || fail "FAILURE line: $(last_line acq.err)"
[ "$(json_get ev/HD1.json '.case_db.recorded')" = false ] && ok "record: case_db.recorded false" ||
	fail "record: recorded is $(json_get ev/HD1.json '.case_db.recorded')"
[ -n "$(json_get ev/HD1.json '.case_db.error // empty')" ] && ok "record: case_db.error says why" ||
	fail "record: no case_db.error"
[ "$(json_get ev/HD1.json '.result.status')" = success ] && ok "record: the acquisition succeeded" ||
	fail "record: result $(json_get ev/HD1.json '.result.status')"
(cd ev && md5sum -c HD1.md5 >/dev/null) && ok "md5sum -c of the evidence" || fail "md5sum -c"
(cd ev && sha256sum -c HD1.sha256 >/dev/null) && ok "sha256sum -c of the evidence" || fail "sha256sum -c"
out=$(json_get ev/HD1.json '.outputs[0].path')
[ "$(sha256sum <"$out" | cut -d' ' -f1)" = "$(sha256sum <big.img | cut -d' ' -f1)" ] &&
	ok "the evidence is the source's bytes" || fail "evidence bytes differ"

# The server back: file the record.
pg_up && ok "server back" || fail "server did not come back"
[ "$(psql_q "SELECT status FROM acquisitions WHERE id = 1")" = running ] &&
	ok "the row is still running (nothing filed behind our back)" || fail "row: $(psql_q 'SELECT status FROM acquisitions')"
expect_exit 0 "case import-record" -- "$FORAGE" case import-record ev/HD1.json
expect_in out.txt "acquisition 1 filed from ev/HD1.json" "import-record: filed"
expect_in out.txt "recorded as event 4 \(acquisition-completed\)" "import-record: the event"
expect_in out.txt "its read-back check filed as a verification \(verification\)" "import-record: --verify filed"
expect_in out.txt "log head: event 5, sha256 [0-9a-f]{64}" "import-record: the log's head"
[ "$(psql_q "SELECT acquisition_id, result, exit_code FROM verifications")" = "1|match|0" ] &&
	ok "the run's --verify is a verification row: match" || fail "verifications: $(psql_q 'SELECT * FROM verifications')"
[ "$(psql_q "SELECT status, bytes FROM acquisitions WHERE id = 1")" = "success|536870912" ] &&
	ok "row: success, all bytes" || fail "row: $(psql_q 'SELECT status, bytes FROM acquisitions')"
[ "$(psql_q "SELECT hex FROM media_hashes WHERE algorithm = 'sha256'")" = "$(json_get ev/HD1.json '.hashes.sha256')" ] &&
	ok "the record's sha256 is in the database" || fail "media sha256 in the database"
expect_exit 0 "audit" -- "$FORAGE" case audit --case-db "$DB"
expect_in out.txt "all 5 events intact" "audit: all 5 events intact"
expect_exit 0 "import-record again" -- "$FORAGE" case import-record ev/HD1.json
expect_in out.txt "complete already: nothing filed" "again: nothing filed"
[ "$(psql_q 'SELECT count(*) FROM events')" = 5 ] && ok "again: no new event" || fail "events after the second filing"

# Another run's record is refused, nothing written.
jq '.run.started_utc = "2001-01-01T00:00:00Z" | .case_db.recorded = false' ev/HD1.json >other.json
expect_exit 1 "a record of another run" -- "$FORAGE" case import-record other.json --case-db "$DB"
done_testing
