#!/bin/sh
# A case's re-verification as one task per evidence item (verify --plan, the
# work of a Slurm job array; scripts/check-lab.sh runs it through a real
# Slurm): the plan lists each item with evidence on disk and names the one
# without; it is never replaced; several tasks record into one SQLite case
# database at once; --status names per item verified, MISMATCH or not run
# (nothing recorded since the plan, even with older verifications there);
# --search-dir travels in the plan; a task out of range, a file that is no
# plan and the options that do not go together are refused; the case
# audits clean.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/verify.sh"
need_cmd sqlite3 jq
unset FORAGE_CASE_DB
export FORAGE_EXAMINER="Pat Planner"

mkdir ev
for x in "HD1 raw 400000" "HD2 e01 300000" "HD3 raw 200000" "HD4 raw 100000"; do
	set -- $x
	make_data "$1.bin" "$3"
	expect_exit 0 "acquire $1" -- "$FORAGE" acquire "$1.bin" -o "ev/$1" --format "$2" \
		--case C1 --evidence "$1" --progress none
done
rm ev/HD4.raw
db=ev/case.db
here=$(pwd -P)
# Verifications before the plan are not the plan's.
expect_exit 2 "verify --case before the plan (HD4 gone)" -- \
	"$FORAGE" verify --case C1 --case-db $db --progress none

expect_exit 0 "write the plan" -- "$FORAGE" verify --case C1 --case-db $db --plan C1.plan
expect_in out.txt "^task 2     HD2, acquisition 2, $here/ev/HD2.E01$" "plan: task 2 printed"
expect_in out.txt "^not planned: HD4: no evidence on disk: HD4.raw of acquisition 4 " "plan: HD4 named as not planned"
expect_in out.txt "^submit:    sbatch --array=1-3 forage-verify.sbatch C1.plan$" "plan: the sbatch line"
expect_in err.txt "^forage verify: 1 item of case C1 not planned" "plan: the left-out item told on stderr"
printf '# forage verification plan 1\n# case-db: %s\n# case: C1\n' "$here/ev/case.db" >want.txt
printf '1\tHD1\t1\t%s\n2\tHD2\t2\t%s\n3\tHD3\t3\t%s\n' "$here/ev/HD1.raw" "$here/ev/HD2.E01" "$here/ev/HD3.raw" >>want.txt
{ sed -n '1,3p' C1.plan; grep -v '^#' C1.plan; } >got.txt
cmp -s want.txt got.txt && ok "plan: header and item lines" || { fail "plan lines"; diff want.txt got.txt >&2; }
grep -qx "# after-verification: $(sql $db "select max(id) from verifications")" C1.plan &&
	ok "plan: the verifications before it" || fail "plan: after-verification"
cp C1.plan before.plan
expect_exit 2 "a plan is never replaced" -- "$FORAGE" verify --case C1 --case-db $db --plan C1.plan
cmp -s C1.plan before.plan && ok "the plan untouched" || fail "the plan was changed"

expect_exit 2 "status before any task" -- "$FORAGE" verify --plan C1.plan --status
[ "$(grep -cE '^  [1-3] +HD[1-3] +not run +- +-$' out.txt)" = 3 ] && ok "status: three items not run" || fail "status: not run"

# HD2 damaged; tasks 1 and 2 twice each, all four at once.
chmod u+w ev/HD2.E01
flip_byte ev/HD2.E01 200000
n=0
for t in 1 2 1 2; do
	n=$((n + 1))
	"$FORAGE" verify --plan C1.plan --task $t --progress none >task$n.out 2>&1 &
	pids="${pids:-} $!:$t"
done
for pt in $pids; do
	wait "${pt%%:*}"
	rc=$?
	want=0; [ "${pt#*:}" = 2 ] && want=1
	[ $rc -eq $want ] && ok "task ${pt#*:} at once with three others (exit $rc)" ||
		fail "task ${pt#*:}: exit $rc, want $want"
done
[ "$(sql $db "select count(*) from verifications where id > $(sed -n 's/^# after-verification: //p' C1.plan)")" = 4 ] &&
	ok "four tasks at once: four verifications recorded" || fail "concurrent tasks: verification count"
expect_exit 1 "status: a mismatch, one not run" -- "$FORAGE" verify --plan C1.plan --status
expect_in out.txt "^plan:      C1.plan: case C1 in $here/ev/case.db, written [0-9T:Z-]+, 3 items$" "status: the plan named"
expect_in out.txt "^  1     HD1              verified       [0-9]+ +[0-9T:Z-]+$" "status: HD1 verified"
expect_in out.txt "^  2     HD2              MISMATCH       [0-9]+ +[0-9T:Z-]+$" "status: HD2 MISMATCH"
expect_in out.txt "^        why: $here/ev/HD2.E01: damaged: " "status: why HD2 failed"
expect_in out.txt "^  3     HD3              not run        -             -$" "status: HD3 not run"
expect_in out.txt "^summary:   1 verified, 1 MISMATCH, 0 cannot verify, 1 not run$" "status: summary"
expect_in err.txt "^FAILURE: plan C1.plan: 2 of 3 items not verified \(1 MISMATCH, 1 not run\); first: task 2, HD2: MISMATCH$" "status: FAILURE line"

expect_exit 0 "task 3" -- "$FORAGE" verify --plan C1.plan --task 3 --progress none
expect_in out.txt "^task:      3 of 3 of the plan C1.plan: evidence HD3 of case C1$" "task: what it verifies"
expect_in out.txt "^  HD3 +acquisition 3 +verified " "task: the item verified"
flip_byte ev/HD2.E01 200000
expect_exit 0 "task 2 again, HD2 repaired" -- "$FORAGE" verify --plan C1.plan --task 2 --progress none --json
[ "$(jq -r '.verifications | length' out.txt)" = 1 ] && ok "task --json: one item" || fail "task --json"
expect_exit 0 "status: all verified" -- "$FORAGE" verify --plan C1.plan --status
expect_in out.txt "^  2     HD2              verified " "status: the latest verification of HD2"
expect_in out.txt "^summary:   3 verified, 0 MISMATCH, 0 cannot verify, 0 not run$" "status: all verified"

# Files moved: the plan keeps --search-dir for its tasks.
mkdir moved
mv ev/HD3.raw moved/
expect_exit 0 "plan with --search-dir" -- "$FORAGE" verify --case C1 --case-db $db --plan moved.plan --search-dir moved
grep -q "^3	HD3	3	$here/moved/HD3.raw$" moved.plan && ok "plan: the file found in the search folder" || fail "plan: search-dir path"
expect_exit 0 "task 3 finds the moved file" -- "$FORAGE" verify --plan moved.plan --task 3 --progress none

# Refused.
expect_exit 2 "no task 4" -- "$FORAGE" verify --plan C1.plan --task 4
expect_in err.txt "C1.plan: no task 4: the plan has tasks 1 to 3" "task out of range named"
printf 'hello\n' >not.plan
expect_exit 2 "not a plan" -- "$FORAGE" verify --plan not.plan --status
expect_in err.txt "not.plan: not a forage verification plan" "not a plan named"
{ sed -n '1,6p' C1.plan; printf '2\tHD2\t2\t/x\n'; } >skip.plan
expect_exit 2 "a plan whose first task is 2" -- "$FORAGE" verify --plan skip.plan --status
expect_in err.txt "skip.plan, line 7: not 'TASK<tab>EVIDENCE<tab>ACQUISITION<tab>PATH' with the next task number" "the bad line named"
{ sed -n 1p C1.plan; printf '1\tHD1\t1\t/x\n'; } >bare.plan
expect_exit 2 "a plan without its header" -- "$FORAGE" verify --plan bare.plan --task 1
expect_in err.txt "bare.plan: not a complete verification plan" "the missing header named"
expect_exit 2 "--task without --plan" -- "$FORAGE" verify --task 1
expect_exit 2 "--plan alone" -- "$FORAGE" verify --plan C1.plan
expect_exit 2 "--task and --status" -- "$FORAGE" verify --plan C1.plan --task 1 --status
expect_exit 2 "--case with --status" -- "$FORAGE" verify --case C1 --plan C1.plan --status
expect_exit 2 "--task 0" -- "$FORAGE" verify --plan C1.plan --task 0
expect_exit 2 "--status --json" -- "$FORAGE" verify --plan C1.plan --status --json
expect_exit 2 "plan of an unknown case" -- "$FORAGE" verify --case C9 --case-db $db --plan c9.plan
[ -e c9.plan ] && fail "a plan written for an unknown case" || ok "no plan for an unknown case"

expect_exit 0 "case audit" -- "$FORAGE" case audit --case-db $db
done_testing
