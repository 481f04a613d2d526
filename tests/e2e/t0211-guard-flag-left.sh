#!/bin/sh
# Issue 21: the kernel read-only flag the guard sets stays on the source
# (and outlives a loop detach); the last lines say which devices keep it
# and the command that clears it, whatever the run's result.  With
# --no-write-block nothing is said.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/device.sh"
need_loop
need_cmd sfdisk partx

make_data disk.img 4194304
printf 'label: dos\n2048,2048,83\n4096,,83\n' | sfdisk -q disk.img >/dev/null 2>&1 ||
	{ fail "sfdisk"; done_testing; }
attach_loop L disk.img
scan_partitions "$L"
mkdir out
expect_exit 0 "acquire a loop device" -- "$FORAGE" acquire "$L" -o out/HD --format raw \
	--progress none --case C1 --examiner E
tail -n 3 err.txt >tail.txt
want="the kernel read-only flag stays set on $L ${L}p1 ${L}p2 (the write block leaves it); once done with the source, clear it with:"
[ "$(sed -n 1p tail.txt)" = "$want" ] && ok "names the devices that keep the flag" ||
	fail "line: $(sed -n 1p tail.txt)"
[ "$(sed -n 2p tail.txt)" = "  blockdev --setrw $L ${L}p1 ${L}p2" ] && ok "gives the command" ||
	fail "command line: $(sed -n 2p tail.txt)"
[ "$(sed -n 3p tail.txt)" = SUCCESS ] || fail "last line: $(sed -n 3p tail.txt)"
[ "$(getro "$L")" = 1 ] && [ "$(getro "${L}p1")" = 1 ] && ok "the flag is on" || fail "flag not on"
# The command given clears it.
cmd=$(sed -n 2p tail.txt)
$cmd && [ "$(getro "$L")" = 0 ] && [ "$(getro "${L}p2")" = 0 ] && ok "the command clears it" ||
	fail "flag still on after: $cmd"

# Refused before the guard (the output exists): nothing set, nothing said.
expect_exit 2 "refused before the guard" -- "$FORAGE" acquire "$L" -o out/HD --format raw \
	--progress none --case C1 --examiner E
grep -q "blockdev --setrw" err.txt && fail "flag mentioned though not set" || ok "nothing set, nothing said"
[ "$(getro "$L")" = 0 ] || fail "flag set by a refused run"

# A failure once the flag is set (the destination is too small) says it.
mkdir small
mount -t tmpfs -o size=1m forage-test-small small || skip "cannot mount a tmpfs"
at_exit "umount $T/small"
expect_exit 2 "failed after the guard" -- "$FORAGE" acquire "$L" -o small/HD --format raw \
	--progress none --case C1 --examiner E
expect_in err.txt "^  blockdev --setrw $L ${L}p1 ${L}p2$" "failure: the command is given"
last_line err.txt | grep -q "^FAILURE: small: destination too small" || fail "last: $(last_line err.txt)"
setrw "$L" "${L}p1" "${L}p2"

# --progress json: the same as JSON lines.
expect_exit 0 "json" -- "$FORAGE" acquire "$L" -o out/HD2 --format raw --progress json \
	--case C1 --examiner E
[ "$(jq -r 'select(.event == "write_block") | .text' err.txt | tail -n 1)" = "  blockdev --setrw $L ${L}p1 ${L}p2" ] &&
	ok "json: write_block event" || fail "json: $(cat err.txt)"
setrw "$L" "${L}p1" "${L}p2"

# --no-write-block: the flag is not set, nothing to say.
expect_exit 0 "--no-write-block" -- "$FORAGE" acquire "$L" -o out/HD3 --format raw \
	--progress none --case C1 --examiner E --no-write-block
grep -q "read-only flag stays set" err.txt && fail "flag mentioned with --no-write-block" ||
	ok "--no-write-block: nothing said"
[ "$(getro "$L")" = 0 ] || fail "flag set with --no-write-block"
done_testing
