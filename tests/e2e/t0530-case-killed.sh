#!/bin/sh
# A run killed with kill -9 while reading leaves its acquisition row
# "running" (written when reading started); the database opens cleanly
# (PRAGMA integrity_check), `forage case show` tells it as interrupted
# (started, never completed), and the audit finds the log intact.  A run
# stopped by a signal it can catch is completed as "interrupted", exit 4.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3

# A slow source: a large sparse file read in small blocks.
truncate -s 4G big.img

# row_running DB: the acquisition row says running.
row_running() {
	[ "$(sql "$1" "SELECT count(*) FROM acquisitions WHERE status = 'running'" 2>/dev/null)" = 1 ]
}

mkdir k
"$FORAGE" acquire big.img -o k/HD1 --format raw --case C --evidence HD1 --block-size 4K \
	--progress none >k.out 2>k.err &
pid=$!
at_exit "kill -9 $pid 2>/dev/null"
if wait_until 20 row_running k/case.db; then ok "row is running while reading"; else fail "no running row"; fi
kill -9 $pid
wait $pid; rc=$?
[ $rc -eq 137 ] && ok "killed (exit $rc)" || fail "exit $rc after kill -9"
[ "$(sql k/case.db 'PRAGMA integrity_check')" = ok ] && ok "integrity_check ok after kill -9" || fail "integrity_check"
[ "$(sql k/case.db "SELECT status || ' ' || coalesce(finished_utc, 'NULL') || ' ' || coalesce(exit_code, 'NULL') FROM acquisitions")" = \
	"running NULL NULL" ] && ok "stored: running, never finished" || fail "stored row"
expect_exit 0 "case show after kill" -- "$FORAGE" case show --case-db k/case.db
expect_in out.txt "Acquisition 1: interrupted \(started, never completed\)" "show: interrupted, never completed"
expect_exit 0 "case show --json after kill" -- "$FORAGE" case show --case-db k/case.db --json
grep -q '"never_completed": true' out.txt && grep -q '"state": "interrupted"' out.txt &&
	ok "show --json: state interrupted, never_completed" || fail "show --json state"
expect_exit 0 "audit after kill" -- "$FORAGE" case audit --case-db k/case.db
expect_in out.txt "all 3 events intact" "audit: case, item, started intact"
# The same database takes the next run.
make_data small.bin 50000
expect_exit 0 "next acquisition into the same database" -- "$FORAGE" acquire small.bin -o k/HD2 \
	--format raw --case C --evidence HD2 --progress none
[ "$(sql k/case.db "SELECT group_concat(id || ':' || status, ',') FROM acquisitions")" = "1:running,2:success" ] &&
	ok "both runs recorded" || fail "runs: $(sql k/case.db 'SELECT id, status FROM acquisitions')"

# SIGTERM: caught, the run ends as interrupted with exit 4.
mkdir t
"$FORAGE" acquire big.img -o t/HD1 --format raw --case C --evidence HD1 --block-size 4K \
	--progress none >t.out 2>t.err &
pid=$!
at_exit "kill -9 $pid 2>/dev/null"
wait_until 20 row_running t/case.db || fail "no running row (SIGTERM run)"
kill -TERM $pid
wait $pid; rc=$?
[ $rc -eq 4 ] && ok "SIGTERM: exit 4" || fail "SIGTERM: exit $rc"
[ "$(last_line t.err)" = INTERRUPTED ] && ok "SIGTERM: INTERRUPTED" || fail "SIGTERM: last line $(last_line t.err)"
[ "$(sql t/case.db "SELECT status || ' ' || exit_code FROM acquisitions")" = "interrupted 4" ] &&
	ok "SIGTERM: row completed as interrupted, exit 4" || fail "SIGTERM row"
[ "$(sql t/case.db "SELECT count(*) FROM events WHERE kind = 'acquisition-completed'")" = 1 ] &&
	ok "SIGTERM: completion event written" || fail "SIGTERM: completion event"
done_testing
