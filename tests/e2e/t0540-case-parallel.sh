#!/bin/sh
# Two (and three) acquisitions at the same time into one case database that
# does not exist yet: every run succeeds and is recorded, with its own
# hashes, and the event log is one intact chain.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3 md5sum

for x in a b c; do make_data $x.bin 8000000; done
mkdir out
round=1
while [ $round -le 3 ]; do
	db=out/r$round.db
	pids=""
	for x in a b c; do
		[ $round -eq 1 ] && [ $x = c ] && continue # round 1: two runs
		"$FORAGE" acquire $x.bin -o out/$x$round --format raw --case PAR \
			--evidence $x --case-db $db --examiner "E $x" --block-size 64K \
			--progress none >out/$x$round.out 2>out/$x$round.err &
		pids="$pids $!"
	done
	bad=0
	for p in $pids; do wait $p || bad=$((bad + 1)); done
	runs=$([ $round -eq 1 ] && echo 2 || echo 3)
	[ $bad -eq 0 ] && ok "round $round: $runs runs at once, all succeeded" ||
		{ fail "round $round: $bad run(s) failed"; cat out/*$round.err >&2; }
	[ "$(sql $db "SELECT count(*) FROM acquisitions WHERE status = 'success'")" = $runs ] &&
		ok "round $round: $runs acquisitions recorded" || fail "round $round: rows"
	for x in a b c; do
		[ $round -eq 1 ] && [ $x = c ] && continue
		[ "$(sql $db "SELECT hex FROM media_hashes m JOIN acquisitions a ON a.id = m.acquisition_id
			WHERE a.evidence_id = '$x' AND m.algorithm = 'md5'")" = "$(md5sum <$x.bin | cut -d' ' -f1)" ] ||
			fail "round $round: md5 of $x"
		[ "$(sql $db "SELECT examiner FROM acquisitions WHERE evidence_id = '$x'")" = "E $x" ] ||
			fail "round $round: examiner of $x"
	done
	[ "$(sql $db "SELECT count(*) FROM cases")" = 1 ] && ok "round $round: one case" || fail "round $round: cases"
	expect_exit 0 "round $round: audit" -- "$FORAGE" case audit --case-db $db
	expect_in out.txt "all $((1 + 3 * runs)) events intact" "round $round: one intact chain"
	round=$((round + 1))
done
done_testing
