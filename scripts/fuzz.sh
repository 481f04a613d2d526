#!/bin/sh
# fuzz.sh - build the libFuzzer harnesses of tests/fuzz/ against a copy of
# libforage instrumented by clang, make their seed corpora by running
# forage, and run each harness for FUZZ_SECONDS (default 60).
#
#   scripts/fuzz.sh [HARNESS...]        (default: every harness)
#
# Environment:
#   FUZZ_SECONDS  seconds a harness (default 60)
#   FUZZ_BUILD    the instrumented build folder (default build-fuzz); its
#                 corpus/HARNESS/ folders grow from run to run, its
#                 findings/HARNESS/ hold what crashed, hung or blew memory
#   FUZZ_JOBS     make -j, and harnesses built and run at once (default 2)
#   FORAGE        a forage program to make the seeds with (default: the
#                 one built in FUZZ_BUILD)
#   FG_FIXTURES   EWF sets written by other tools, used as extra seeds when
#                 present (never committed)
#   CC            clang (default clang)
#
# Limits an input gets: -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048
# (for image_ewf, which reads through libewf, an allocation over 256 MiB
# fails instead: see below); a slower or larger input is a finding like a
# crash.  Exit: 0 every harness ran clean, 1 a harness found something
# (the reproducer's path is printed: copy it to tests/fuzz/regress/HARNESS/
# once the cause is fixed), 2 the build or the seeds failed, 77 clang or
# libFuzzer is missing (nothing was fuzzed).
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD:-$top/build-fuzz}
jobs=${FUZZ_JOBS:-2}
cc=${CC:-clang}
case $build in /*) ;; *) build=$top/$build ;; esac

all_harnesses="ewf_meta ewf_set image_ewf mapfile record sidecar casedb
casedb_rw sign profile report anchor case_import drive"
harnesses=${*:-$all_harnesses}

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
lib_cflags="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $san"

say() { echo "fuzz: $*"; }
die() { echo "fuzz: $*" >&2; exit 2; }

# ---- clang and libFuzzer ----------------------------------------------------
probe=$(mktemp -d "${TMPDIR:-/tmp}/forage-fuzz-probe.XXXXXX") || die "mktemp"
trap 'rm -rf "$probe"' EXIT
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	'{ (void)d; (void)n; return 0; }' >"$probe/probe.c"
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "SKIP: fuzzing: $cc not found (Debian: apt-get install clang" \
		"libclang-rt-14-dev)"
	exit 77
fi
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/probe.c" \
	-o "$probe/probe" >"$probe/probe.log" 2>&1; then
	echo "SKIP: fuzzing: $cc cannot link -fsanitize=fuzzer (libFuzzer" \
		"missing; Debian: apt-get install libclang-rt-14-dev):"
	tail -n 3 "$probe/probe.log"
	exit 77
fi

# ---- the instrumented library ---------------------------------------------
[ -x configure ] || ./bootstrap >/dev/null 2>&1 || die "bootstrap failed"
mkdir -p "$build" || die "cannot make $build"
srcdir=$top
if [ -f "$top/config.status" ]; then
	# Configured in place: automake builds nowhere else from this tree,
	# so the instrumented build gets a clean copy of the tracked files.
	command -v git >/dev/null 2>&1 && [ -d "$top/.git" ] || [ -f "$top/.git" ] ||
		die "$top is configured in place: run make distclean there, or configure in a separate folder"
	srcdir=$build/tree
	mkdir -p "$srcdir"
	git -C "$top" ls-files -z | (cd "$top" && xargs -0 tar -cf -) |
		tar -C "$srcdir" -xf - || die "cannot copy the sources"
	[ -x "$srcdir/configure" ] || (cd "$srcdir" && ./bootstrap >/dev/null 2>&1) ||
		die "bootstrap failed in $srcdir"
	build=$build/obj
	mkdir -p "$build"
fi
if [ ! -f "$build/Makefile" ] || [ "$srcdir/configure" -nt "$build/Makefile" ]; then
	say "configuring $build (CC=$cc, $lib_cflags)"
	(cd "$build" && "$srcdir/configure" -q CC="$cc" CFLAGS="$lib_cflags") \
		>"$build/configure.out" 2>&1 ||
		{ tail -n 30 "$build/configure.out"; die "configure failed"; }
fi
say "building libforage and forage in $build"
# The program and the library are built with clang's sanitizers, but not
# for leaks: seeds come from forage runs, and a leak there is not the
# harnesses' business.
ASAN_OPTIONS=detect_leaks=0 make -C "$build" -s -j"$jobs" src/libforage.a \
	src/forage >"$build/make.out" 2>&1 ||
	{ tail -n 40 "$build/make.out"; die "building libforage failed"; }

deps="libewf libcrypto sqlite3 libpq libmagic jansson zlib"
grep -q '^#define HAVE_ISAL 1' "$build/config.h" && deps="$deps libisal"
dep_cflags=$(pkg-config --cflags $deps) || die "pkg-config $deps failed"
dep_libs=$(pkg-config --libs $deps) || die "pkg-config $deps failed"

bin=$build/fuzz
mkdir -p "$bin"

# in_lanes FN: FN HARNESS for every harness, FUZZ_JOBS lanes at once (a
# lane takes every FUZZ_JOBS-th harness, one after the other); returns
# non-zero when FN failed for one.
in_lanes() {
	lane=0
	pids=
	while [ "$lane" -lt "$jobs" ]; do
		(
			i=0 bad=0
			for h in $harnesses; do
				[ $((i % jobs)) -eq "$lane" ] && { "$1" "$h" || bad=1; }
				i=$((i + 1))
			done
			exit $bad
		) &
		pids="$pids $!"
		lane=$((lane + 1))
	done
	bad=0
	for p in $pids; do wait "$p" || bad=1; done
	return $bad
}

build_one() {
	h=$1
	src=$top/tests/fuzz/fuzz_$h.c
	[ -f "$src" ] || { echo "fuzz: no harness $h (tests/fuzz/fuzz_$h.c)" >&2; return 1; }
	extra=
	[ "$h" = profile ] && extra=$top/src/tool/profile.c
	if [ -x "$bin/fuzz_$h" ] && [ "$bin/fuzz_$h" -nt "$src" ] &&
		[ "$bin/fuzz_$h" -nt "$build/src/libforage.a" ] &&
		[ "$bin/fuzz_$h" -nt "$top/tests/fuzz/fuzz_util.c" ]; then
		return 0
	fi
	say "building fuzz_$h"
	# shellcheck disable=SC2086
	"$cc" -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer $san \
		-I"$top/include" -I"$top/src/lib" -I"$top/src/tool" -I"$build" \
		-I"$top/tests/fuzz" -pthread $dep_cflags \
		-DFG_SRC_PROFILEDIR="\"$top/forensics-profiles\"" \
		-o "$bin/fuzz_$h" "$src" "$top/tests/fuzz/fuzz_util.c" $extra \
		"$build/src/libforage.a" $dep_libs -pthread \
		>"$bin/fuzz_$h.log" 2>&1 ||
		{ cat "$bin/fuzz_$h.log"; echo "fuzz: building fuzz_$h failed" >&2; return 1; }
}
in_lanes build_one || die "building the harnesses failed"

# ---- seeds, made by running forage ---------------------------------------
forage=${FORAGE:-$build/src/forage}
[ -x "$forage" ] || die "no forage program at $forage"
seeds=$build/seeds
say "making seeds in $seeds with $forage"
FORAGE=$forage FG_FUZZ_SEEDS=$seeds ASAN_OPTIONS=detect_leaks=0 \
	sh "$top/tests/fuzz/seeds.sh" >"$build/seeds.out" 2>&1 ||
	{ tail -n 30 "$build/seeds.out"; die "making the seeds failed"; }

# ---- running ------------------------------------------------------------------
# The harnesses write each input to a file: in memory when there is room.
fuzz_tmp=${TMPDIR:-/tmp}
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && fuzz_tmp=/dev/shm
# One folder for the run: a harness killed by a timeout or a crash leaves
# its files behind, removed here.
fuzz_tmp=$(mktemp -d "$fuzz_tmp/forage-fuzz-run.XXXXXX") || die "mktemp"
trap 'rm -rf "$probe" "$fuzz_tmp"' EXIT
# run_one HARNESS: its lines into $build/fuzz_HARNESS.result, printed in
# harness order once every lane is done; non-zero when it found something.
run_one() {
	h=$1
	(
		corpus=$build/corpus/$h
		findings=$build/findings/$h
		mkdir -p "$corpus" "$findings" "$seeds/$h"
		set -- "$corpus" "$seeds/$h"
		[ -d "$top/tests/fuzz/regress/$h" ] && set -- "$@" "$top/tests/fuzz/regress/$h"
		log=$build/fuzz_$h.log
		before=$(ls "$findings" | wc -l)
		# libewf 20140813 allocates a chunk's stored size as its own reading
		# of the chunk table gives it (a 32-bit value: up to 4 GiB of address
		# space) before it reads what the file holds.  forage refuses before
		# libewf the chunks whose size its own walk of the tables finds too
		# large (ewf_stream.c); where libewf reads a damaged table otherwise,
		# the allocation is libewf's own.  Outside the sanitizers it costs
		# address space only (or fails, and the chunk is reported
		# unreadable); under ASan it is slow.  The harness that reads through
		# libewf runs with allocations over 64 MiB failing (NULL), as under
		# `ulimit -v`: forage must then report the chunk, not crash.  (At
		# 256 MiB an image whose 2,286 damaged chunks each made libewf
		# allocate some 200 MiB took 18 s under ASan, a "slow unit", and
		# 0.14 s without it; at 64 MiB, 2.3 s.)
		asan=detect_leaks=1
		[ "$h" = image_ewf ] &&
			asan=$asan:allocator_may_return_null=1:max_allocation_size_mb=64
		say "fuzz_$h for ${seconds}s (seeds: $(ls "$seeds/$h" | wc -l), corpus: $(ls "$corpus" | wc -l))"
		(cd "$findings" && TMPDIR=$fuzz_tmp ASAN_OPTIONS=$asan \
			UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			"$bin/fuzz_$h" -max_total_time="$seconds" -timeout=10 \
			-rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix="$findings/" "$@") >"$log" 2>&1
		rc=$?
		after=$(ls "$findings" | wc -l)
		stats=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
		if [ "$rc" -ne 0 ] || [ "$after" -ne "$before" ]; then
			echo "FOUND: fuzz_$h (exit $rc):"
			grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|ALARM|.*out-of-memory|artifact_prefix|Test unit written)' "$log" | head -n 12
			for f in $(ls -t "$findings" | head -n 5); do
				echo "  reproducer: $findings/$f"
				echo "  replay: $bin/fuzz_$h $findings/$f"
			done
			echo "  log: $log"
		else
			echo "clean: fuzz_$h: ${stats:-?} inputs in ${seconds}s, coverage ${cov:-?}"
		fi
	) >"$build/fuzz_$h.result"
}
in_lanes run_one
found=0
ran=0
for h in $harnesses; do
	cat "$build/fuzz_$h.result"
	ran=$((ran + 1))
	grep -q '^FOUND:' "$build/fuzz_$h.result" && found=$((found + 1))
done
say "$ran harness(es) run, $found with findings"
[ "$found" -eq 0 ] || exit 1
exit 0
