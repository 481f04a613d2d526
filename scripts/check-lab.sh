#!/bin/sh
# check-lab.sh - re-verification through a real Slurm job array (docs/lab.md):
# starts a single-node Slurm on localhost (munged with a generated key,
# slurmctld and slurmd with a generated slurm.conf, all in a temporary
# folder, all as root), makes a case of five small items (raw and E01, one
# damaged on purpose), writes the plan, submits
# contrib/slurm/forage-verify.sbatch as a held array, cancels task 5
# before it starts (scancel), runs tasks 1 to 3 at once, all three
# waiting for the write lock sqlite3 holds until they all run, then task 4
# while sqlite3 holds the lock again, cancelled while it runs (Slurm's
# SIGTERM: forage is INTERRUPTED and records nothing), and checks that
# `forage verify --plan --status` names each item's outcome exactly (4 and
# 5 "not run") and that `forage case audit` passes.  Then the same on a
# PostgreSQL 15 cluster of its own (a case of three items; task 2
# cancelled while it waits for the writers' lock).  Every
# daemon and the folder go whatever happens; the whole run has a time
# limit (LAB_SECONDS, default 90).
# Prints one line: PASS: check-lab, FAIL: check-lab: WHY (exit 1) or
# SKIP: check-lab: WHY (exit 77; Slurm or munge missing, not root).
#   Usage: FORAGE=build/src/forage sh scripts/check-lab.sh   (make check-lab)
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
limit=${LAB_SECONDS:-90}

skip() { echo "SKIP: check-lab: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (munged, slurmctld and slurmd run as root)"
for c in munged slurmctld slurmd sbatch squeue scancel scontrol sinfo timeout sqlite3 mkfifo pgrep; do
	command -v "$c" >/dev/null 2>&1 ||
		skip "$c not found: slurm-wlm and munge are not installed (scripts/setup-debian.sh installs them)"
done
FORAGE=${FORAGE:-$src/build/src/forage}
[ -x "$FORAGE" ] || { echo "FAIL: check-lab: no forage program at $FORAGE (set FORAGE)"; exit 1; }
FORAGE=$(cd "$(dirname "$FORAGE")" && pwd)/$(basename "$FORAGE")
export FORAGE

# The time limit: the whole run under timeout(1), which sends SIGTERM (the
# trap below cleans up), then SIGKILL 15 s later.
if [ -z "${FG_LAB_TIMED:-}" ]; then
	FG_LAB_TIMED=1 timeout -k 15 "$limit" sh "$0" "$@"
	rc=$?
	# 124: the time limit's SIGTERM, said by the trap; 137: SIGKILL.
	[ $rc -eq 137 ] && echo "FAIL: check-lab: over the time limit of $limit s, killed"
	exit $rc
fi

T=$(mktemp -d /tmp/forage-lab.XXXXXX) || exit 1
chmod 700 "$T"
daemons=""
ctld=""
pgdata=""
pgbin=/usr/lib/postgresql/15/bin
log=$T/lab.log

stop_all() {
	if [ -n "$daemons" ]; then
		# The jobs first (slurmd may leave a running step behind), while
		# slurmctld lives (timeout(1) signals the whole process group),
		# then the daemons, each by its own process id.
		if [ -n "$ctld" ] && kill -0 "$ctld" 2>/dev/null; then
			timeout 5 scancel --quiet --full --user=root >/dev/null 2>&1
			i=0
			while [ $i -lt 25 ] &&
				[ -n "$(timeout 2 squeue -h 2>/dev/null)" ]; do
				sleep 0.2; i=$((i + 1))
			done
		fi
		for p in $daemons; do kill -TERM "$p" 2>/dev/null; done
		i=0
		while [ $i -lt 25 ]; do
			alive=""
			for p in $daemons; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
			[ -z "$alive" ] && break
			sleep 0.2; i=$((i + 1))
		done
		for p in $daemons; do kill -KILL "$p" 2>/dev/null; done
		daemons=""
	fi
	if [ -n "$pgdata" ]; then
		runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -m immediate \
			-w -t 20 stop >/dev/null 2>&1
		pgdata=""
	fi
	rm -rf "$T"
}
trap 'stop_all' EXIT
trap 'echo "FAIL: check-lab: stopped by a signal (over the time limit of $limit s?)"; exit 1' INT TERM HUP

failed=""
bad() {
	echo "  not ok: $*" >>"$log"
	failed="${failed:-$*}"
}
die() {
	bad "$*"
	echo "FAIL: check-lab: $failed"
	for f in "$log" "$T"/slurmctld.log "$T"/slurmd.log "$T"/munged.log "$T"/pg/server.log; do
		[ -s "$f" ] && { echo "---- $f"; tail -n 25 "$f"; }
	done
	exit 1
}

# ---- A case of five items ---------------------------------------------------
export FORAGE_EXAMINER="Lab Examiner"
unset FORAGE_CASE_DB
mkdir "$T/ev" "$T/out"
n=0
for x in "HD1 raw 1500000" "HD2 e01 1200000" "HD3 raw 900000" "HD4 e01 700000" "HD5 raw 500000"; do
	set -- $x
	n=$((n + 1))
	head -c "$3" /dev/urandom >"$T/$1.bin"
	"$FORAGE" acquire "$T/$1.bin" -o "$T/ev/$1" --format "$2" --case LAB \
		--evidence "$1" --progress none >>"$log" 2>&1 || die "acquiring $1"
done
# HD3 damaged on purpose: one byte in the middle.
chmod u+w "$T/ev/HD3.raw"
printf '\377' | dd of="$T/ev/HD3.raw" bs=1 seek=450000 conv=notrunc 2>/dev/null
db=$T/ev/case.db

# ---- Slurm on localhost -----------------------------------------------------
node=$(hostname -s)
# Four slots whatever the machine has (SlurmdParameters=config_overrides),
# so that tasks 1 to 3 run at once and record into one SQLite database at
# the same time.
cpus=4
# Ports of our own, away from a Slurm the machine may run already.
base=$((20000 + ($$ % 5000) * 2))
mkdir -m 700 "$T/munge" "$T/state" "$T/spool"
head -c 1024 /dev/urandom >"$T/munge/munge.key"
chmod 400 "$T/munge/munge.key"
sock=$T/munge/munge.socket
munged -F -f --key-file="$T/munge/munge.key" --socket="$sock" \
	--pid-file="$T/munge/munged.pid" --log-file="$T/munged.log" \
	--seed-file="$T/munge/munged.seed" >>"$log" 2>&1 &
daemons="$daemons $!"
cat >"$T/slurm.conf" <<EOF
ClusterName=foragelab
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
MessageTimeout=5
SlurmdParameters=config_overrides
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MailProg=/bin/true
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=lab Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$T/slurm.conf
i=0
while [ ! -S "$sock" ]; do
	i=$((i + 1)); [ $i -gt 50 ] && die "munged did not start"
	sleep 0.1
done
slurmctld -D -i -f "$SLURM_CONF" >>"$log" 2>&1 &
ctld=$!
daemons="$daemons $!"
slurmd -D -N "$node" -f "$SLURM_CONF" >>"$log" 2>&1 &
daemons="$daemons $!"
i=0
until sinfo -h -o %T 2>/dev/null | grep -qx idle; do
	i=$((i + 1)); [ $i -gt 100 ] && die "the Slurm node did not become idle in 20 s"
	sleep 0.2
done

# ---- The plan, submitted as an array ----------------------------------------
cd "$T" || die "cd $T"
"$FORAGE" verify --case LAB --case-db "$db" --plan "$T/LAB.plan" >plan.out 2>>"$log" ||
	die "writing the plan"
grep -q '^submit:    sbatch --array=1-5 forage-verify.sbatch ' plan.out || bad "the plan's submit line"
[ "$(grep -c '^[1-5]	HD[1-5]	[0-9]*	/' LAB.plan)" = 5 ] || bad "the plan lists five items"
job=$(sbatch --parsable --hold --array=1-5%4 --chdir="$T" -o "$T/out/%A_%a.out" \
	"$src/contrib/slurm/forage-verify.sbatch" "$T/LAB.plan" 2>>"$log") ||
	die "sbatch refused the job array"
job=${job%%;*}
# Task 5 cancelled before it starts: it never runs.
scancel "${job}_5" >>"$log" 2>&1 || die "scancel ${job}_5"

# sqlite3 holds the database's write lock (BEGIN IMMEDIATE) while tasks
# start: no task can record its verification before the lock is let go.
mkfifo "$T/lock.fifo"
sqlite3 "$db" <"$T/lock.fifo" >"$T/lock.out" 2>&1 &
lockpid=$!
daemons="$daemons $lockpid"
exec 3>"$T/lock.fifo"
locked() { # WORD: sqlite3 said WORD, holding the lock
	echo "BEGIN IMMEDIATE; SELECT '$1';" >&3
	i=0
	until grep -qx "$1" "$T/lock.out"; do
		i=$((i + 1)); [ $i -gt 50 ] && die "sqlite3 did not take the lock"
		sleep 0.1
	done
}
# running N: task N's forage (the job script execs it) runs, its SIGTERM
# handler in place and the case database open.
running() {
	i=0
	while :; do
		i=$((i + 1)); [ $i -gt 150 ] && die "task $1's forage did not start in 30 s"
		tp=$(pgrep -f -- "--plan $T/LAB.plan --task $1 " | head -n 1)
		if [ -n "$tp" ] &&
			[ $(( 0x$(awk '/^SigCgt:/ { print $2 }' "/proc/$tp/status" 2>/dev/null || echo 0) & 0x4000 )) -ne 0 ] &&
			ls -l "/proc/$tp/fd" 2>/dev/null | grep -q 'case\.db$'; then
			return 0
		fi
		sleep 0.2
	done
}
# What is left of the array but the held task 4 (squeue: JOB_TASK STATE).
left() { squeue -h -j "$job" -o '%i %T' 2>/dev/null | grep -v "^${job}_4 PENDING"; }

# Tasks 1 to 3 at once (four slots), all three waiting for the lock, then
# recording one after the other when it is let go.
locked first
for t in 1 2 3; do
	scontrol release "${job}_$t" >>"$log" 2>&1 || die "scontrol release ${job}_$t"
done
for t in 1 2 3; do running $t; done
echo "ROLLBACK;" >&3
i=0
while [ -n "$(left)" ]; do
	i=$((i + 1)); [ $i -gt 300 ] && die "tasks 1 to 3 did not finish in 60 s"
	sleep 0.2
done

# Task 4 killed while it runs: it cannot record (the lock is held again);
# scancel sends it SIGTERM.
locked again
scontrol release "${job}_4" >>"$log" 2>&1 || die "scontrol release ${job}_4"
running 4
scancel "${job}_4" >>"$log" 2>&1 || die "scancel ${job}_4"
i=0
while [ -n "$(squeue -h -j "$job" 2>/dev/null)" ]; do
	i=$((i + 1)); [ $i -gt 150 ] && die "task 4 did not end in 30 s after scancel"
	sleep 0.2
done
echo "ROLLBACK;" >&3
exec 3>&-
wait "$lockpid"
grep -qx 'INTERRUPTED' "out/${job}_4.out" || bad "task 4 was not interrupted while it ran"

# ---- What the examiner reads ------------------------------------------------
"$FORAGE" verify --plan "$T/LAB.plan" --status >status.out 2>status.err
rc=$?
cat status.out status.err >>"$log"
[ $rc -eq 1 ] || bad "--status exit $rc, want 1 (a mismatch)"
grep -Eq '^  1 +HD1 +verified +[0-9]+ ' status.out || bad "status: HD1 verified"
grep -Eq '^  2 +HD2 +verified +[0-9]+ ' status.out || bad "status: HD2 verified"
grep -Eq '^  3 +HD3 +MISMATCH +[0-9]+ ' status.out || bad "status: HD3 MISMATCH"
grep -Eq '^  4 +HD4 +not run +- +-$' status.out || bad "status: HD4 (killed) not run"
grep -Eq '^  5 +HD5 +not run +- +-$' status.out || bad "status: HD5 (cancelled) not run"
grep -qx 'summary:   2 verified, 1 MISMATCH, 0 cannot verify, 2 not run' status.out ||
	bad "status: the summary line"
grep -qx 'FAILURE: plan '"$T"'/LAB.plan: 3 of 5 items not verified (1 MISMATCH, 2 not run); first: task 3, HD3: MISMATCH' \
	status.err || bad "status: the FAILURE line"
for t in 1 2 3 4; do
	grep -q "^task:      $t of 5 of the plan " "out/${job}_$t.out" 2>/dev/null ||
		bad "task $t wrote no output of its verification"
done
[ -e "out/${job}_5.out" ] && bad "the cancelled task 5 ran"
[ "$(sqlite3 "$db" "select group_concat(evidence_id || ':' || result, ' ') from (select evidence_id, result from verifications order by evidence_id)")" = \
	"HD1:match HD2:match HD3:mismatch" ] || bad "the database holds one verification of each task that finished"
"$FORAGE" case audit --case-db "$db" >audit.out 2>&1 || bad "case audit: $(tail -n 1 audit.out)"
cat audit.out >>"$log"

# ---- The same on the lab's PostgreSQL case database -------------------------
# A PostgreSQL 15 cluster of our own (unix socket in $T only); a case of
# three items acquired into it; the plan submitted as a held array; tasks 1
# and 3 verify and record; task 2 is cancelled (SIGTERM) while it waits for
# the writers' lock a psql session holds: it records nothing and is "not
# run"; the audit passes.
[ -x "$pgbin/initdb" ] && id postgres >/dev/null 2>&1 && command -v runuser >/dev/null ||
	die "PostgreSQL 15 (Debian postgresql) is not installed: scripts/setup-debian.sh installs it"
chmod o+x "$T"
mkdir "$T/pg" "$T/pgev" && chown postgres "$T/pg" || die "mkdir $T/pg"
pgport=$((base + 2))
runuser -u postgres -- "$pgbin/initdb" -D "$T/pg/data" -A trust -U postgres --locale=C \
	-E UTF8 --no-sync >>"$log" 2>&1 || die "initdb"
pgdata=$T/pg/data
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -w -t 60 -l "$T/pg/server.log" \
	-o "-c listen_addresses='' -c unix_socket_directories='$T/pg' -p $pgport -c fsync=off" \
	start >>"$log" 2>&1 || die "the PostgreSQL cluster did not start"
"$pgbin/psql" -X -q -d "postgresql:///postgres?host=$T/pg&port=$pgport&user=postgres" \
	-c "CREATE DATABASE forage" >>"$log" 2>&1 || die "CREATE DATABASE forage"
pgdb="postgresql:///forage?host=$T/pg&port=$pgport&user=postgres"
for x in "PG1 raw 800000" "PG2 e01 600000" "PG3 raw 400000"; do
	set -- $x
	head -c "$3" /dev/urandom >"$T/$1.bin"
	"$FORAGE" acquire "$T/$1.bin" -o "$T/pgev/$1" --format "$2" --case LAB2 \
		--evidence "$1" --case-db "$pgdb" --progress none >>"$log" 2>&1 ||
		die "acquiring $1 into PostgreSQL"
done
"$FORAGE" verify --case LAB2 --case-db "$pgdb" --plan "$T/LAB2.plan" >plan2.out 2>>"$log" ||
	die "writing the plan of the PostgreSQL case"
grep -q '^submit:    sbatch --array=1-3 forage-verify.sbatch ' plan2.out || bad "PostgreSQL: the plan's submit line"
job2=$(sbatch --parsable --hold --array=1-3 --chdir="$T" -o "$T/out/%A_%a.out" \
	"$src/contrib/slurm/forage-verify.sbatch" "$T/LAB2.plan" 2>>"$log") ||
	die "sbatch refused the second job array"
job2=${job2%%;*}
for t in 1 3; do
	scontrol release "${job2}_$t" >>"$log" 2>&1 || die "scontrol release ${job2}_$t"
done
i=0
while [ -n "$(squeue -h -j "$job2" -o '%i %T' 2>/dev/null | grep -v "^${job2}_2 PENDING")" ]; do
	i=$((i + 1)); [ $i -gt 300 ] && die "PostgreSQL tasks 1 and 3 did not finish in 60 s"
	sleep 0.2
done
# psql holds the writers' lock; task 2 waits for it, and is cancelled.
mkfifo "$T/pglock.fifo"
"$pgbin/psql" -X -q -At -d "$pgdb" <"$T/pglock.fifo" >"$T/pglock.out" 2>&1 &
pglockpid=$!
daemons="$daemons $pglockpid"
exec 4>"$T/pglock.fifo"
echo "BEGIN; SELECT pg_advisory_xact_lock(112628846389093); SELECT 'held';" >&4
i=0
until grep -qx held "$T/pglock.out"; do
	i=$((i + 1)); [ $i -gt 50 ] && die "psql did not take the writers' lock"
	sleep 0.1
done
scontrol release "${job2}_2" >>"$log" 2>&1 || die "scontrol release ${job2}_2"
waiting() {
	[ "$("$pgbin/psql" -X -At -d "$pgdb" -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted" 2>/dev/null)" = 1 ]
}
i=0
until waiting; do
	i=$((i + 1)); [ $i -gt 150 ] && die "PostgreSQL task 2 did not wait for the lock in 30 s"
	sleep 0.2
done
scancel "${job2}_2" >>"$log" 2>&1 || die "scancel ${job2}_2"
i=0
while [ -n "$(squeue -h -j "$job2" 2>/dev/null)" ]; do
	i=$((i + 1)); [ $i -gt 150 ] && die "PostgreSQL task 2 did not end in 30 s after scancel"
	sleep 0.2
done
echo "ROLLBACK;" >&4
exec 4>&-
wait "$pglockpid"
grep -qx 'INTERRUPTED' "out/${job2}_2.out" || bad "PostgreSQL task 2 was not interrupted while it waited"
"$FORAGE" verify --plan "$T/LAB2.plan" --status >status2.out 2>status2.err
rc=$?
cat status2.out status2.err >>"$log"
[ $rc -eq 2 ] || bad "PostgreSQL --status exit $rc, want 2 (one not run, none differs)"
grep -qx 'FAILURE: plan '"$T"'/LAB2.plan: 1 of 3 items not verified (0 MISMATCH, 1 not run); first: task 2, PG2: not run' \
	status2.err || bad "PostgreSQL status: the FAILURE line"
grep -Eq '^  1 +PG1 +verified +[0-9]+ ' status2.out || bad "PostgreSQL status: PG1 verified"
grep -Eq '^  2 +PG2 +not run +- +-$' status2.out || bad "PostgreSQL status: PG2 (cancelled) not run"
grep -Eq '^  3 +PG3 +verified +[0-9]+ ' status2.out || bad "PostgreSQL status: PG3 verified"
[ "$("$pgbin/psql" -X -At -d "$pgdb" -c "SELECT string_agg(evidence_id || ':' || result, ' ' ORDER BY evidence_id) FROM verifications")" = \
	"PG1:match PG3:match" ] || bad "PostgreSQL holds one verification of each task that finished"
"$FORAGE" case audit --case-db "$pgdb" >audit2.out 2>&1 ||
	bad "PostgreSQL case audit: $(tail -n 1 audit2.out)"
cat audit2.out >>"$log"

if [ -n "$failed" ]; then
	die "$failed"
fi
echo "PASS: check-lab"
exit 0
