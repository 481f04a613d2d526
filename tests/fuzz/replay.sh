#!/bin/sh
# replay.sh - every input saved in tests/fuzz/regress/HARNESS/ (one that
# once crashed, hung or blew memory, or a valid input that proves the
# mechanism) is fed to its harness, each in a process of its own, built
# as a replayer by `make check` (tests/fuzz/local.mk).  Fails naming the
# input when one crashes, trips a sanitizer or takes longer than 60 s.
# FG_FUZZ_OPEN=1 replays tests/fuzz/open/ too: findings whose fix has not
# landed yet (open/README); they move to regress/ with their fix.
set -u
: "${FG_SRCDIR:?}" "${FG_BUILDDIR:?}"
folders=$FG_SRCDIR/tests/fuzz/regress
[ -n "${FG_FUZZ_OPEN:-}" ] && folders="$folders $FG_SRCDIR/tests/fuzz/open"
limit=
command -v timeout >/dev/null 2>&1 && limit="timeout -s KILL 60"
log=${TMPDIR:-/tmp}/forage-replay.$$
trap 'rm -f "$log"' EXIT
n=0
bad=0
for dir in $(for f in $folders; do ls -d "$f"/*/; done); do
	[ -d "$dir" ] || continue
	h=$(basename "$dir")
	where=$(basename "$(dirname "$dir")")/$h
	prog=$FG_BUILDDIR/tests/fuzz/replay_$h
	if [ ! -x "$prog" ]; then
		echo "FAIL: tests/fuzz/$where: no replayer $prog"
		bad=$((bad + 1))
		continue
	fi
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		# As scripts/fuzz.sh runs it: libewf's allocations of what a
		# damaged chunk table claims (up to 4 GiB) fail under ASan.
		asan=${ASAN_OPTIONS:-}
		[ "$h" = image_ewf ] &&
			asan=${asan:+$asan:}allocator_may_return_null=1:max_allocation_size_mb=256
		if ASAN_OPTIONS=$asan $limit "$prog" "$f" >"$log" 2>&1; then
			echo "ok: $where/$(basename "$f")"
		else
			rc=$?
			echo "FAIL: $where/$(basename "$f") (exit $rc):"
			tail -n 30 "$log"
			bad=$((bad + 1))
		fi
	done
done
echo "$n input(s) replayed, $bad failed"
[ "$bad" -eq 0 ]
