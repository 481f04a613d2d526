#!/bin/sh
# forage info: on a loop device (geometry, identity, partitions and what
# they hold, read-only flags, mounts), on files (an E01 container, a file
# system image), on a non-existent path and a folder (exit 2, named); it
# changes nothing.  Its --help and the man page's INFO section list the
# same options.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq timeout mkfifo

# --help and the man page agree.
expect_exit 0 "info --help" -- "$FORAGE" info --help
expect_in out.txt '^usage: forage info DEVICE\|FILE' "info --help usage line"
"$FORAGE" info --help >help.txt
man_options_agree INFO help.txt "info --help"
expect_exit 0 "forage --help" -- "$FORAGE" --help
expect_in out.txt '^  info ' "forage --help lists info"

# Usage errors and sources that cannot be opened: exit 2, named.
expect_exit 2 "info without a path" -- "$FORAGE" info
expect_in err.txt "no DEVICE or FILE given" "missing path named"
expect_exit 2 "info with two paths" -- "$FORAGE" info a b
expect_exit 2 "info with an unknown option" -- "$FORAGE" info --frobnicate x
expect_in err.txt "unknown option.*--frobnicate" "unknown option named"
expect_exit 2 "non-existent path" -- "$FORAGE" info "$T/nowhere.img"
expect_in err.txt "nowhere.img: cannot open source: No such file or directory" "non-existent path named with cause"
[ "$(last_line err.txt)" = "FAILURE: $T/nowhere.img: cannot open source: No such file or directory" ] &&
	ok "non-existent path: FAILURE line" || fail "non-existent path: last line"
[ -s out.txt ] && fail "non-existent path: printed on stdout" || ok "non-existent path: nothing on stdout"
mkdir folder
expect_exit 2 "a folder" -- "$FORAGE" info folder
expect_in err.txt "folder: is a directory" "folder named"

mkfifo fifo
expect_exit 2 "a FIFO (not waited on)" -- timeout 10 "$FORAGE" info fifo
expect_in err.txt "fifo: is a FIFO, not a regular file or a block device" "FIFO named"

# A container file: what it is (the EVF signature that starts every EWF
# segment file, then filler).
printf 'EVF\011\015\012\377\000\001\001\000\000\000header' >case.E01
head -c 4096 /dev/zero >>case.E01
expect_exit 0 "info on an E01 file" -- "$FORAGE" info case.E01
expect_in out.txt "^  Content: EWF/Expert Witness/EnCase image file format$" "E01 named by libmagic"
expect_in out.txt "^  Kind: file$" "E01 is a file"
[ "$(last_line err.txt)" = SUCCESS ] && ok "info: SUCCESS line" || fail "info: last line"
expect_exit 0 "info --json on an E01 file" -- "$FORAGE" info --json case.E01
jq -e --argjson size "$(stat -c %s case.E01)" \
	'.source.content == "EWF/Expert Witness/EnCase image file format" and
	.source.size == $size and .write_block.applicable == false' out.txt >/dev/null &&
	ok "E01: JSON" || fail "E01: JSON"

if [ "$(id -u)" -ne 0 ] || ! command -v losetup >/dev/null || [ ! -e /dev/loop-control ]; then
	skip "needs root and loop devices for the block-device part"
fi
. "$FG_SRCDIR/tests/e2e/lib/device.sh"
need_loop
need_cmd sfdisk partx mkfs.ext4 mount umount md5sum

# A partitioned loop device of 4096-byte sectors, ext4 in partition 2.
truncate -s 24M disk.img
attach_loop L disk.img --sector-size 4096
printf 'label: gpt\n,2M\n,\n' | sfdisk -q "$L" 2>sfdisk.err || { fail sfdisk; done_testing; }
scan_partitions "$L"
P2=${L}p2; name=${L#/dev/}
setrw "${L}p1" "$P2"
mkfs.ext4 -q -F -L EVIDENCE "$P2" 2>mkfs.err || { fail "mkfs.ext4"; done_testing; }
blockdev --setro "${L}p1"
before=$(md5sum <disk.img)

expect_exit 0 "info on a loop device" -- "$FORAGE" info "$L"
expect_in out.txt "^forage info: $L$" "text: title"
expect_in out.txt "^  Kind: block device$" "text: kind"
expect_in out.txt "^  Logical sector size: 4096$" "text: sector size"
expect_in out.txt "^    Backing file: $T/disk.img$" "text: backing file"
expect_in out.txt "^  Serial: unknown$" "text: unknown serial says so"
expect_in out.txt "^  Transport: loop$" "text: transport"
expect_exit 0 "info --json on a loop device" -- "$FORAGE" info "$L" --json
j=out.txt
[ "$(json_get "$j" .source.total_size)" = $((24 * 1048576)) ] && ok "json: size" || fail "json: size"
[ "$(json_get "$j" .source.logical_sector_size)" = 4096 ] || fail "json: sector size"
[ "$(json_get "$j" .source.loop.backing_file)" = "$T/disk.img" ] && ok "json: backing file" || fail "json: backing file"
[ "$(jq -c .source.model "$j")" = null ] && [ "$(jq -c .source.identity_from.model "$j")" = null ] &&
	ok "json: unknown model is null" || fail "json: model"
json_get "$j" .source.content | grep -q 'DOS/MBR boot sector' && ok "json: protective MBR of the GPT disk" ||
	fail "json: content $(json_get "$j" .source.content)"
json_get "$j" ".source.partitions[\"${name}p2\"].content" | grep -q 'ext4 filesystem data.*volume name "EVIDENCE"' &&
	ok "json: partition 2 holds ext4 EVIDENCE" || fail "json: partition content"
[ "$(json_get "$j" ".write_block.devices[\"$name\"].readonly")" = false ] &&
	[ "$(json_get "$j" ".write_block.devices[\"${name}p1\"].readonly")" = true ] &&
	[ "$(json_get "$j" ".write_block.devices[\"${name}p2\"].readonly")" = false ] &&
	ok "json: the read-only flag of each node" || fail "json: flags"
[ "$(json_get "$j" .write_block.held_by_others)" = false ] || fail "json: not held"
[ "$(getro "$L")" = 0 ] && [ "$(getro "$P2")" = 0 ] && [ "$(getro "${L}p1")" = 1 ] &&
	ok "info changed no flag" || fail "info changed a flag"

# Mounted: info says so (and still changes nothing).
do_mount "$P2" "$T/m" -o ro
expect_exit 0 "info on a mounted device" -- "$FORAGE" info "$L" --json
json_get out.txt '.write_block.mounted_read_only[0]' | grep -q "$P2 at $T/m (ext4, read-only)" &&
	ok "json: read-only mount listed" || fail "json: mount"
umount m
[ "$(md5sum <disk.img)" = "$before" ] && ok "info changed no byte of the device" || fail "device changed"

# The backing file of a loop device: info on the file says it is attached.
expect_exit 0 "info on an attached image file" -- "$FORAGE" info disk.img --json
json_get out.txt '.write_block.attached_as[0]' | grep -q "^$L (a loop device attached to the source file)$" &&
	ok "json: the file is attached as $L" || fail "json: attached_as"

# A partition: its place and its disk.
expect_exit 0 "info on a partition" -- "$FORAGE" info "$P2" --json
[ "$(json_get out.txt .source.partition.number)" = 2 ] &&
	[ "$(json_get out.txt .source.partition.disk)" = "$name" ] &&
	[ "$(json_get out.txt .source.partition.offset_bytes)" = 3145728 ] &&
	ok "json: partition place" || fail "json: partition place"
done_testing
