#!/bin/sh
# The write-block guard on real loop devices (as root): the kernel
# read-only flag goes on the device and its partitions and is recorded per
# node; a device mounted read-write, an output inside a mount of the
# source, a device held exclusively by another program, a loop device
# stacked on the source and mounted read-write: each refused with exit 2,
# a message that says why and what to do, nothing created and no flag
# changed; mounted read-only: acquired with a warning, recorded;
# --no-write-block leaves the flag as it was, recorded; a partition as the
# source; swap; a source file attached as a loop device and mounted.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/device.sh"
need_loop
need_cmd jq cmp sfdisk partx mkfs.ext4 mount umount perl dd

flags_clear() { # DESCRIPTION DEV...
	_what=$1; shift
	for _d in "$@"; do
		[ "$(getro "$_d")" = 0 ] || { fail "$_what: flag changed on $_d"; return; }
	done
	ok "$_what: no flag changed"
}

# A 16 MiB disk: DOS label, partition 1 empty (2 MiB), partition 2 ext4.
truncate -s 16M disk.img
printf 'label: dos\n,2M\n,\n' | sfdisk -q disk.img || { fail sfdisk; done_testing; }
attach_loop L disk.img -P
scan_partitions "$L"
P1=${L}p1; P2=${L}p2; name=${L#/dev/}
setrw "$P1" "$P2"
mkfs.ext4 -q -F "$P2" 2>mkfs.err || { fail "mkfs.ext4 $P2"; done_testing; }
echo "evidence" >note.txt

# 1. The whole disk: flag on the device and both partitions.
mkdir o1
expect_exit 0 "partitioned disk" -- "$FORAGE" acquire "$L" -o o1/HD --format raw --progress none
cmp disk.img o1/HD.raw && ok "partitioned disk: image identical" || fail "partitioned disk: image"
for d in "$L" "$P1" "$P2"; do
	[ "$(getro "$d")" = 1 ] && ok "flag on $d afterwards" || fail "flag not on $d"
done
j=o1/HD.json
for p in "${name}p1" "${name}p2"; do
	[ "$(json_get "$j" ".write_block.devices[\"$p\"].role")" = partition ] &&
		[ "$(json_get "$j" ".write_block.devices[\"$p\"].readonly_before")" = false ] &&
		[ "$(json_get "$j" ".write_block.devices[\"$p\"].flag_set_by_forage")" = true ] &&
		[ "$(json_get "$j" ".write_block.devices[\"$p\"].readonly_after")" = true ] &&
		ok "record: $p before false, set, after true" || fail "record for $p"
done
json_get "$j" .write_block.state | grep -q 'its 2 partitions' || fail "state names the partitions"
json_get "$j" ".source.partitions[\"${name}p2\"].content" | grep -q 'ext4 filesystem' &&
	ok "record: partition 2 holds ext4" || fail "partition 2 content"
[ "$(json_get "$j" ".source.partitions[\"${name}p2\"].offset_bytes")" = 3145728 ] || fail "partition 2 offset"
json_get "$j" .source.content | grep -q 'DOS/MBR boot sector' &&
	ok "record: the disk starts with a DOS/MBR boot sector" || fail "disk content"
setrw "$L" "$P1" "$P2"

# 2. A partition as the source: its flag, a warning about the disk.
mkdir o2
expect_exit 0 "partition as source" -- "$FORAGE" acquire "$P2" -o o2/P2 --format raw --progress none
dd if=disk.img bs=1M skip=3 2>/dev/null | cmp - o2/P2.raw && ok "partition image = its range" || fail "partition image"
[ "$(getro "$P2")" = 1 ] || fail "partition flag"
expect_in err.txt "only it is flagged read-only, not the whole disk $L" "partition source: warning about the disk"
[ "$(json_get o2/P2.json .source.partition.number)" = 2 ] &&
	[ "$(json_get o2/P2.json .source.partition.disk)" = "$name" ] || fail "partition record"
json_get o2/P2.json .source.content | grep -q 'ext4 filesystem' || fail "partition content"
setrw "$L" "$P1" "$P2"

# 3. A partition mounted read-write: refused, nothing changed.
do_mount "$P2" "$T/m"
cp note.txt m/
mkdir o3
expect_exit 2 "mounted read-write" -- "$FORAGE" acquire "$L" -o o3/HD --format raw --progress none
expect_in err.txt "$P2 is mounted read-write at $T/m \(ext4\).*umount $T/m" "mounted read-write: why and what to do"
expect_in err.txt "^FAILURE: $P2 is mounted read-write" "mounted read-write: FAILURE line"
nothing_left o3 "mounted read-write"
flags_clear "mounted read-write" "$L" "$P1" "$P2"

# 4. The output inside a mount of the source: refused.
expect_exit 2 "output on the source" -- "$FORAGE" acquire "$L" -o m/HD --format raw --progress none
expect_in err.txt "m/HD.json: the output lies on a file system on the source \($P2, mounted at $T/m\)" \
	"output on the source: named"
[ "$(ls m)" = "lost+found
note.txt" ] && ok "output on the source: nothing written there" || fail "output on source wrote: $(ls m)"
flags_clear "output on the source" "$L" "$P1" "$P2"
# ... also when only the second copy is there (the first folder is clear).
mkdir o4
expect_exit 2 "second copy on the source" -- "$FORAGE" acquire "$L" -o o4/HD --second-output m/HD \
	--format raw --progress none
expect_in err.txt "m/HD\.[a-z0-9]*: the output lies on a file system on the source \($P2, mounted at $T/m\)" \
	"second copy on the source: named"
nothing_left o4 "second copy on the source"
flags_clear "second copy on the source" "$L" "$P1" "$P2"
umount m

# 5. Mounted read-only: acquired, with a warning, recorded.
do_mount "$P2" "$T/m" -o ro
mkdir o5
expect_exit 0 "mounted read-only" -- "$FORAGE" acquire "$L" -o o5/HD --format raw --progress none
expect_in err.txt "warning: $P2 is mounted read-only at $T/m \(ext4\)" "mounted read-only: warned"
json_get o5/HD.json '.write_block.mounted_read_only[0]' | grep -q "$P2 at $T/m (ext4, read-only)" &&
	ok "mounted read-only: recorded" || fail "mounted read-only: record"
json_get o5/HD.json '.write_block.warnings[]' | grep -q 'mounted read-only' || fail "warning in the record"
cmp disk.img o5/HD.raw && ok "mounted read-only: image identical" || fail "mounted read-only: image"
umount m
setrw "$L" "$P1" "$P2"

# 6. Held exclusively by another program: refused, the program named.
hold_excl "$L"
mkdir o6
expect_exit 2 "held exclusively" -- "$FORAGE" acquire "$L" -o o6/HD --format raw --progress none
expect_in err.txt "$L is held exclusively by another program .*open by: perl \(pid $HOLD_PID\)" \
	"held exclusively: why and who"
nothing_left o6 "held exclusively"
flags_clear "held exclusively" "$L" "$P1" "$P2"
release_excl

# 7. --no-write-block: the flag stays as it was (clear, then set), recorded.
mkdir o7 o7b
expect_exit 0 "--no-write-block" -- "$FORAGE" acquire "$L" -o o7/HD --format raw --progress none --no-write-block
expect_in err.txt "warning: --no-write-block: the kernel read-only flag is NOT set" "--no-write-block: loud"
flags_clear "--no-write-block" "$L" "$P1" "$P2"
[ "$(json_get o7/HD.json .write_block.no_write_block)" = true ] &&
	[ "$(json_get o7/HD.json .parameters.no_write_block)" = true ] &&
	[ "$(json_get o7/HD.json ".write_block.devices[\"$name\"].flag_set_by_forage")" = false ] &&
	[ "$(json_get o7/HD.json .write_block.readonly_before)" = false ] &&
	[ "$(json_get o7/HD.json .write_block.readonly_after)" = false ] &&
	ok "--no-write-block: recorded, flag before/after false" || fail "--no-write-block record"
json_get o7/HD.json .write_block.state | grep -q 'disabled by --no-write-block' || fail "--no-write-block state"
blockdev --setro "$L"
expect_exit 0 "--no-write-block, flag already on" -- "$FORAGE" acquire "$L" -o o7b/HD --format raw --progress none --no-write-block
[ "$(getro "$L")" = 1 ] && [ "$(json_get o7b/HD.json .write_block.readonly_before)" = true ] &&
	[ "$(json_get o7b/HD.json .write_block.readonly_after)" = true ] &&
	ok "--no-write-block: a flag that was on stays on" || fail "--no-write-block with flag on"
setrw "$L"

# 8. A loop device stacked on the source, mounted read-write: refused.
attach_loop L2 "$P2"
do_mount "$L2" "$T/m2"
mkdir o8
expect_exit 2 "stacked loop mounted" -- "$FORAGE" acquire "$L" -o o8/HD --format raw --progress none
expect_in err.txt "$L2 \(a loop device attached to $P2\) is mounted read-write at $T/m2" "stacked loop: named"
nothing_left o8 "stacked loop"
expect_exit 2 "output on a stacked loop" -- "$FORAGE" acquire "$L" -o m2/HD --format raw --progress none
expect_in err.txt "m2/HD.json: the output lies on a file system on the source \($L2 \(a loop device attached to $P2\), mounted at $T/m2\)" \
	"output on a stacked loop: named"
umount m2
losetup -d "$L2"
setrw "$L" "$P1" "$P2"

# 9. In use as swap: refused.
if command -v mkswap >/dev/null && command -v swapon >/dev/null; then
	truncate -s 8M swap.img
	attach_loop LS swap.img
	mkswap "$LS" >/dev/null 2>&1 && swapon "$LS" 2>/dev/null && at_exit "swapoff $LS 2>/dev/null"
	if grep -q "^$LS " /proc/swaps; then
		mkdir o10
		expect_exit 2 "swap" -- "$FORAGE" acquire "$LS" -o o10/HD --format raw --progress none
		expect_in err.txt "$LS is in use as swap space \($LS\): the system writes to it; run swapoff $LS" \
			"swap: why and what to do"
		nothing_left o10 "swap"
		swapoff "$LS"
	else
		echo "note: swapon on a loop device failed here; swap case not run" >&2
	fi
else
	echo "note: no mkswap/swapon; swap case not run" >&2
fi

# 10. A source file attached as a loop device and mounted read-write:
# refused; read-only: a warning.
truncate -s 8M fs.img
mkfs.ext4 -q -F fs.img 2>mkfs.err
attach_loop L3 fs.img
do_mount "$L3" "$T/m3"
mkdir o9
expect_exit 2 "source file mounted through a loop" -- "$FORAGE" acquire fs.img -o o9/F --format raw --progress none
expect_in err.txt "$L3 \(a loop device attached to the source file\) is mounted read-write at $T/m3" \
	"source file mounted: named"
nothing_left o9 "source file mounted"
umount m3
do_mount "$L3" "$T/m3" -o ro
expect_exit 0 "source file mounted read-only" -- "$FORAGE" acquire fs.img -o o9/F --format raw --progress none
expect_in err.txt "warning: $L3 \(a loop device attached to the source file\) is mounted read-only" \
	"source file mounted read-only: warned"
cmp fs.img o9/F.raw && ok "source file: image identical" || fail "source file image"
done_testing
