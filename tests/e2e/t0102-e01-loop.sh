#!/bin/sh
# E01 of real block devices (loop devices): an ext4 file system on a
# 512-byte-sector device, a FAT file system on a 4096-byte-sector (4Kn)
# device, and devices whose sector count is no multiple of the chunk.
# libewf's tools verify and export them; The Sleuth Kit's img_stat reads
# the E01 and fls lists the files inside.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/e01.sh"
. "$FG_SRCDIR/tests/e2e/lib/device.sh"
need_loop
need_cmd mkfs.ext4 mkfs.vfat mcopy img_stat fls

mkdir -p tree/sub
echo "forage marker" >tree/forage-marker.txt
echo "inner" >tree/sub/inner.txt
find /usr/share/doc -maxdepth 2 -type f -name 'copyright' 2>/dev/null | head -n 30 |
	while read -r f; do cp "$f" "tree/$(echo "$f" | tr / _)"; done

# ext4 on a 512-byte-sector device.
truncate -s 24M ext4.img
mkfs.ext4 -q -F -d tree ext4.img || fail "mkfs.ext4 -d"
attach_loop dev ext4.img
mkdir e4
expect_exit 0 "ext4 device" -- "$FORAGE" acquire "$dev" -o e4/HD1 \
	--case "$E01_CASE" --evidence "$E01_EVIDENCE" --examiner "$E01_EXAMINER" \
	--description "$E01_DESCRIPTION" --notes "$E01_NOTES" --progress none
e01_check e4/HD1 ext4.img "ext4 device"
e01_header e4/HD1 "ext4 device"
expect_in info.txt "Is physical:[[:space:]]+yes" "ext4 device: physical"
[ "$(json_get e4/HD1.json .container.physical)" = true ] || fail "ext4 device: physical recorded"
img_stat e4/HD1.E01 >stat.txt 2>&1
expect_in stat.txt "Image Type:[[:space:]]+ewf" "img_stat reads the E01"
expect_in stat.txt "Size of data in bytes:[[:space:]]+25165824" "img_stat: size"
expect_in stat.txt "Sector size:[[:space:]]+512" "img_stat: sector size"
fls -r -p e4/HD1.E01 >fls.txt 2>&1
expect_in fls.txt "r/r [0-9]+:[[:space:]]+forage-marker.txt\$" "fls lists forage-marker.txt"
expect_in fls.txt "r/r [0-9]+:[[:space:]]+sub/inner.txt\$" "fls lists sub/inner.txt"
n_src=$(find tree -type f | wc -l)
n_fls=$(grep -c '^r/r' fls.txt)
[ "$n_fls" -eq "$n_src" ] && ok "fls lists all $n_src files" || fail "fls lists $n_fls of $n_src files"

# FAT on a 4096-byte-sector device.
truncate -s 16M fat.img
mkfs.vfat -S 4096 fat.img >/dev/null || fail "mkfs.vfat"
mcopy -i fat.img tree/forage-marker.txt ::/MARKER.TXT || fail "mcopy"
mcopy -i fat.img tree/sub/inner.txt ::/INNER.TXT || fail "mcopy"
attach_loop dev fat.img --sector-size 4096
[ "$(blockdev --getss "$dev")" = 4096 ] || skip "loop device did not take 4096-byte sectors"
mkdir fat
expect_exit 0 "FAT 4Kn device" -- "$FORAGE" acquire "$dev" -o fat/HD1 --progress none
e01_check fat/HD1 fat.img "FAT 4Kn device" 4096
[ "$(json_get fat/HD1.json .container.bytes_per_sector)" = 4096 ] || fail "4Kn: recorded"
img_stat fat/HD1.E01 >stat.txt 2>&1
expect_in stat.txt "Sector size:[[:space:]]+4096" "img_stat: 4096-byte sectors"
fls -r -p fat/HD1.E01 >fls.txt 2>&1
expect_in fls.txt "r/r [0-9]+:[[:space:]]+MARKER.TXT\$" "fls lists MARKER.TXT"
expect_in fls.txt "r/r [0-9]+:[[:space:]]+INNER.TXT\$" "fls lists INNER.TXT"

# Sector counts that are no multiple of the chunk (64 sectors), the last
# sector included; several segments.
make_data odd512.img $((3001 * 512))
make_data odd4k.img $((777 * 4096))
attach_loop dev odd512.img
mkdir o5
expect_exit 0 "3001-sector device" -- "$FORAGE" acquire "$dev" -o o5/HD1 --progress none
e01_check o5/HD1 odd512.img "3001-sector device"
expect_in info.txt "Number of sectors:[[:space:]]+3001\$" "3001 sectors"
attach_loop dev odd4k.img --sector-size 4096
mkdir o4
expect_exit 0 "777-sector 4Kn device" -- "$FORAGE" acquire "$dev" -o o4/HD1 \
	--segment-size 1M --progress none
e01_check o4/HD1 odd4k.img "777-sector 4Kn device" 4096
expect_in info.txt "Number of sectors:[[:space:]]+777\$" "777 sectors"
for f in o4/HD1.E??; do
	[ "$(stat -c %s "$f")" -le 1048576 ] || fail "4Kn segments: $f too large"
done
[ "$(ls o4/HD1.E?? | wc -l)" -ge 3 ] && ok "4Kn: several segments" || fail "4Kn: segments"
done_testing
