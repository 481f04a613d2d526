#!/bin/sh
# An E01 acquisition interrupted by SIGINT: exit 4, INTERRUPTED, the record
# says interrupted, and no set under a final name; what was written stays
# in OUTBASE.E01.incomplete/ and holds no MD5.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/e01.sh"

# 16 GiB of zeros (sparse): minutes of work, so the signal always comes
# while it runs; the signal is sent as soon as the run has started.
truncate -s 16G big.bin
mkdir o
"$FORAGE" acquire big.bin -o o/HD1 --progress none >out.txt 2>err.txt &
pid=$!
wait_until 30 test -f o/HD1.json
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 4 ] && ok "exit 4" || { fail "exit $rc, want 4"; cat err.txt >&2; }
[ "$(last_line err.txt)" = INTERRUPTED ] && ok "INTERRUPTED" || fail "last line: $(last_line err.txt)"
[ "$(json_get o/HD1.json .result.status)" = interrupted ] && ok "record says interrupted" ||
	fail "record: $(json_get o/HD1.json .result.status)"
[ ! -e o/HD1.E01 ] && ok "no HD1.E01" || fail "HD1.E01 exists"
[ -d o/HD1.E01.incomplete ] && ok "working folder kept" || fail "no working folder"
# (ewfverify of the partial set reads 16 GiB of missing chunks before it
# fails; t0104 runs it on a small one.)  No MD5 was stored in this one.
if [ -f o/HD1.E01.incomplete/HD1.E01 ]; then
	ewfinfo o/HD1.E01.incomplete/HD1.E01 >i.txt 2>&1
	grep -q "MD5:" i.txt && fail "the partial set holds an MD5" ||
		ok "the partial set holds no MD5"
fi
done_testing
