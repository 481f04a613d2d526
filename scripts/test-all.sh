#!/bin/sh
# test-all.sh - the whole test suite: unit and end-to-end tests with warnings
# as errors, the same again under AddressSanitizer + UBSan, then
# `make distcheck`.  Ends with one line "N passed, N failed, N skipped".
# Needs the build tools (scripts/setup-debian.sh installs them).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
# Interoperability fixtures written by other tools live beside the project.
if [ -z "${FG_FIXTURES:-}" ] && [ -d "$top/../shared/fixtures/external" ]; then
	FG_FIXTURES=$(cd "$top/../shared/fixtures/external" && pwd)
	export FG_FIXTURES
fi
pass=0; fail=0; skip=0
rc=0

count() { # LOGFILE: add automake's totals
	p=$(sed -n 's/^# PASS: *//p' "$1" | tail -n 1)
	f=$(sed -n 's/^# FAIL: *//p' "$1" | tail -n 1)
	e=$(sed -n 's/^# ERROR: *//p' "$1" | tail -n 1)
	x=$(sed -n 's/^# XPASS: *//p' "$1" | tail -n 1)
	s=$(sed -n 's/^# SKIP: *//p' "$1" | tail -n 1)
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0} + ${e:-0} + ${x:-0}))
	skip=$((skip + ${s:-0}))
	if [ -z "$p" ]; then fail=$((fail + 1)); fi
}

[ -x configure ] || ./bootstrap >/dev/null

run_suite() { # NAME DIR CONFIGURE-ARGS...
	name=$1; dir=$2; shift 2
	echo "== $name"
	mkdir -p "$dir"
	(cd "$dir" && "$top/configure" -q "$@" && make -s -j"$(nproc)") >"$dir.build.log" 2>&1 || {
		echo "build failed ($name):"; tail -n 40 "$dir.build.log"
		fail=$((fail + 1)); rc=1; return
	}
	(cd "$dir" && make -s -j"$(nproc)" check) >"$dir.check.log" 2>&1 || rc=1
	grep -E '^(PASS|FAIL|SKIP|ERROR|XPASS):' "$dir.check.log"
	count "$dir.check.log"
	if grep -qE '^(FAIL|ERROR):' "$dir.check.log"; then
		for t in $(sed -n 's/^\(FAIL\|ERROR\): //p' "$dir.check.log"); do
			# automake names a script's log without its .sh.
			echo "---- ${t%.sh}.log"
			grep -E '^(FAIL|FAILED)' "$dir/${t%.sh}.log" | head -n 20
			tail -n 40 "$dir/${t%.sh}.log"
		done
	fi
}

run_suite "tests, warnings as errors" build-test --enable-werror
# Re-verification through a real single-node Slurm (make check-lab,
# docs/lab.md): once, with the plain build; one line, SKIP with the reason
# when Slurm or munge is missing.
echo "== make check-lab"
if [ -x build-test/src/forage ]; then
	(cd build-test && make -s check-lab) >build-lab.log 2>&1
	lrc=$?
	line=$(grep -E '^(PASS|FAIL|SKIP): check-lab' build-lab.log | tail -n 1)
	case $lrc:$line in
	0:PASS*) echo "PASS: check-lab"; pass=$((pass + 1)) ;;
	0:SKIP*) echo "$line"; skip=$((skip + 1)) ;;
	*)	tail -n 40 build-lab.log
		echo "FAIL: check-lab"; fail=$((fail + 1)); rc=1 ;;
	esac
else
	echo "FAIL: check-lab: no build"; fail=$((fail + 1)); rc=1
fi

run_suite "tests under -fsanitize=address,undefined" build-asan --enable-werror --enable-sanitizers

echo "== make distcheck"
# (FG_DISTCHECK: the QEMU rig's tests, which already ran above, are not run
# again there.)
if (cd build-test && FG_DISTCHECK=1 make -s -j"$(nproc)" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror) >build-distcheck.log 2>&1; then
	echo "PASS: make distcheck"; pass=$((pass + 1))
else
	echo "FAIL: make distcheck"; tail -n 40 build-distcheck.log; fail=$((fail + 1)); rc=1
fi

# Every fuzz harness briefly (scripts/fuzz.sh): one line, SKIP only when
# clang or libFuzzer is missing.
fuzz_s=${FUZZ_SECONDS:-12}
echo "== fuzzing, ${fuzz_s}s a harness"
FUZZ_SECONDS=$fuzz_s FUZZ_BUILD=$top/build-fuzz FUZZ_JOBS=$(nproc) \
	sh scripts/fuzz.sh >build-fuzz.log 2>&1
frc=$?
case $frc in
0)	grep '^clean:' build-fuzz.log
	echo "PASS: fuzzing"; pass=$((pass + 1)) ;;
77)	echo "SKIP: fuzzing: $(grep -m1 '^SKIP' build-fuzz.log)"
	skip=$((skip + 1)) ;;
*)	grep -E '^(clean|FOUND|  reproducer|  replay|  log|fuzz: )' build-fuzz.log
	tail -n 20 build-fuzz.log
	echo "FAIL: fuzzing"; fail=$((fail + 1)); rc=1 ;;
esac

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$rc" -eq 0 ]
