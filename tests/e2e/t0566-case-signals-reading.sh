#!/bin/sh
# SIGTERM and SIGINT end the reading verbs (case show, case audit, case
# list, report) with exit 4 and INTERRUPTED while they wait for another
# program's lock on the case database (issue 19, "Always on"): sqlite3
# holds the database in exclusive locking mode (PRAGMA locking_mode =
# EXCLUSIVE; BEGIN EXCLUSIVE), which in WAL mode keeps even readers out,
# so each verb sits in its busy handler while the opening checks read the
# database.  Each must end within 20 s of the signal (the `interrupt`
# helper; the busy timeout is 60 s); no tighter duration is asserted.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy sanitizers
need_cmd sqlite3 mkfifo timeout

make_data src.bin 65536
expect_exit 0 "an acquisition into case.db" -- "$FORAGE" acquire src.bin -o HD1 \
	--format raw --case C --evidence E --case-db case.db --progress none

mkfifo lock.fifo
sqlite3 case.db <lock.fifo >lock.out 2>&1 &
lock_pid=$!
exec 3>lock.fifo
at_exit "exec 3>&-; kill $lock_pid 2>/dev/null"
echo "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; SELECT 'locked';" >&3
wait_for "sqlite3 to hold the database" grep -q locked lock.out

# The wait is real: still waiting (not refused) when `timeout` ends it.
expect_exit 124 "case show waits for the lock" -- timeout 2 "$FORAGE" case show --case-db case.db

for sig in TERM INT; do
	interrupt "show-$sig" $sig db "$FORAGE" case show --case-db case.db
	interrupt "audit-$sig" $sig db "$FORAGE" case audit --case-db case.db
	interrupt "list-$sig" $sig db "$FORAGE" case list --case-db case.db
	interrupt "report-$sig" $sig db "$FORAGE" report --case-db case.db \
		--format text -o "r-$sig.txt"
	expect_in "show-$sig.err" "case database case.db: interrupted while waiting for another program's lock" \
		"show-$sig: says it was waiting for a lock"
	[ ! -e "r-$sig.txt" ] && ok "report-$sig: no report left" || fail "report-$sig: r-$sig.txt left"
done

echo "ROLLBACK;" >&3
exec 3>&-
wait "$lock_pid"
expect_exit 0 "once the lock is gone, case show reads" -- "$FORAGE" case show --case-db case.db
expect_in out.txt "^Case C" "case show: the case"
done_testing
