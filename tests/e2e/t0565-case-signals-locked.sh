#!/bin/sh
# SIGTERM and SIGINT end a verb that waits for another program's lock on
# the case database with exit 4 and INTERRUPTED, at once rather than after
# the 60 s busy timeout (issue 19, item 3 and "Always on"): sqlite3 holds
# the write lock (BEGIN IMMEDIATE) while custody add, case init, an
# acquisition and a verification try to write.  Nothing is written.  Each
# must end within 20 s of the signal (the `interrupt` helper); no tighter
# duration is asserted.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy sanitizers
need_cmd sqlite3 mkfifo

make_data src.bin 65536
expect_exit 0 "an acquisition into case.db" -- "$FORAGE" acquire src.bin -o HD1 \
	--format raw --case C --evidence E --case-db case.db --progress none
rows() { sql case.db "SELECT (SELECT count(*) FROM custody) || ' ' ||
	(SELECT count(*) FROM cases) || ' ' || (SELECT count(*) FROM acquisitions)
	|| ' ' || (SELECT count(*) FROM verifications)"; }
before=$(rows)

# sqlite3 holds the write lock until its input ends.
mkfifo lock.fifo
sqlite3 case.db <lock.fifo >lock.out 2>&1 &
lock_pid=$!
exec 3>lock.fifo
at_exit "exec 3>&-; kill $lock_pid 2>/dev/null"
echo "BEGIN IMMEDIATE; SELECT 'locked';" >&3
wait_for "sqlite3 to hold the lock" grep -q locked lock.out

interrupt custody TERM handler "$FORAGE" case custody add --case-db case.db \
	--case C --evidence E --action transferred --from A --to B --examiner X
interrupt init INT handler "$FORAGE" case init --case-db case.db --case C2
mkdir acq
interrupt acquire TERM handler "$FORAGE" acquire src.bin -o acq/HD2 \
	--format raw --case C --evidence E2 --case-db case.db --progress none
interrupt verify TERM handler "$FORAGE" verify --case-db case.db \
	--progress none HD1.json

echo "ROLLBACK;" >&3
exec 3>&-
wait "$lock_pid"
[ "$(rows)" = "$before" ] && ok "nothing was written to the database" ||
	fail "rows before: $before, after: $(rows)"
[ ! -e acq/HD2.raw ] && ok "the acquisition left no image that passes for evidence" ||
	fail "acq/HD2.raw exists"
done_testing
