#!/bin/sh
# A crash (SIGKILL) in the middle of a failing-drive acquisition: the
# record still says "running", the mapfile on disk (last rewritten at a
# checkpoint) never calls unwritten data finished, and --resume on the
# drive attached again (another loop device, as after re-plugging) gives
# the image, hashes and bad list of an uninterrupted run.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
need_cmd jq md5sum sha256sum cmp dd awk
faultdev_need

make_data src.img 8388608
bad="--bad 100,3000-3002,9000,16383"
set -- 100 3000+3 9000 16383

fd_case ref src.img 512 1M 2 0 "$bad" "$@"

# Slow large reads: pass 1 takes longer than the first mapfile checkpoint
# (5 s); kill -9 as soon as a checkpoint has written finished blocks.
# shellcheck disable=SC2086
faultdev_start src.img 512 $bad --delay-ms 500 || exit 1
mkdir crash
"$FORAGE" acquire "$FAULTDEV" -o crash/HD1 --format raw --retries 2 \
	--mapfile crash/HD1.map --progress none >crash.out 2>crash.err &
pid=$!
i=0
until [ -f crash/HD1.map ] && fd_map_blocks crash/HD1.map | grep -q ' +$'; do
	i=$((i + 1))
	if [ "$i" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
		fail "no mapfile checkpoint with finished blocks while the run lasted"
		break
	fi
	sleep 0.05
done
kill -KILL "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 137 ] && ok "killed with SIGKILL" || fail "exit $rc after SIGKILL"
faultdev_stop
[ "$(json_get crash/HD1.json .result.status)" = running ] &&
	ok "crash: the record honestly says running" || fail "crash: record status"
fd_map_blocks crash/HD1.map >crash.blocks
lies=0
while read -r p s st; do
	[ "$st" = + ] || continue
	cmp -s -n "$s" -i "$p:$p" crash/HD1.raw.incomplete src.img || lies=1
done <crash.blocks
[ "$lies" -eq 0 ] && ok "crash: every finished block in the mapfile is in the image" ||
	fail "crash: the mapfile calls unwritten data finished"

# The drive attached again, without delays, under another loop device.
# shellcheck disable=SC2086
faultdev_start src.img 512 $bad --log "$T/crash.log" || exit 1
"$FORAGE" acquire "$FAULTDEV" -o crash/HD1 --format raw --retries 2 \
	--mapfile crash/HD1.map --resume --progress none >out.txt 2>err.txt
fd_rc=$?
faultdev_stop
fd_check_run crash-resumed crash src.img 512 0 "$@"
cmp ref/HD1.raw crash/HD1.raw && ok "crash: image = uninterrupted run's" || fail "crash: image"
for k in .hashes.md5 .hashes.sha256 '.bad_ranges|tostring'; do
	[ "$(json_get crash/HD1.json "$k")" = "$(json_get ref/HD1.json "$k")" ] ||
		fail "crash: $k differs from the uninterrupted run's"
done
ok "crash: hashes and bad list = uninterrupted run's"
json_get crash/HD1.json '.run.earlier_runs[0]' | grep -q ', running: ' &&
	ok "crash: the record names the crashed run" || fail "crash: run.earlier_runs"
done_testing
