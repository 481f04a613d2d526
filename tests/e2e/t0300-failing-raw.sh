#!/bin/sh
# A real failing drive (FUSE + loop, 512-byte sectors, direct I/O) acquired
# as raw: one bad sector in the middle of a block, at LBA 0, at the last
# LBA, runs of bad sectors (one across a block boundary), bad sectors at
# both ends of a pass-1 block, scattered singles, --fill 0xHH.  Each time:
# the image is the source with exactly those sectors filled (built with dd
# and compared with cmp), the list is exact, the hashes are those of
# md5sum/sha256sum of the expected image, exit 3, COMPLETED WITH ERRORS,
# the mapfile is exact, and every bad sector was read alone exactly
# 1 + --retries times.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
need_cmd jq md5sum sha256sum cmp dd awk
faultdev_need

# 4 MiB, 8192 sectors.  Pass-1 blocks of 64 KiB (128 sectors) keep the
# splitting of a failed block into sectors short; the first case uses the
# default 1 MiB.
make_data src.img 4194304

fd_case middle src.img 512 1M 3 0 "--bad 3000" 3000
fd_check_reads middle 512 4 3000
expect_in err.txt "read error at LBA 3000 \(1 sector, $FAULTDEV\): 3 retries, filled with 0x00" \
	"middle: the message names LBA, device, retries and fill"
# Pass 1 did not stall: the failing block was read whole once (pass 2
# reads only what pass 1 skipped).
n=$(awk '$2 > 512 && $1 <= 3000*512 && $1 + $2 > 3000*512' "$T/middle.log" | wc -l)
[ "$n" -eq 1 ] && ok "middle: the failing block was read whole once" ||
	fail "middle: the failing block was read whole $n times"
# Hashed in order while reading up to the bad sector (the split block's
# good start and the fill of LBA 3000 continued the order), and from the
# image after it; the record says so.
[ "$(json_get middle/HD1.json .hashes.image_reread_from)" = $((3001 * 512)) ] &&
	ok "middle: hashed while reading up to LBA 3001, from the image after" ||
	fail "middle: image_reread_from $(json_get middle/HD1.json .hashes.image_reread_from)"
json_get middle/HD1.json .hashes.computed | grep -q "re-reading the image (never the source)" &&
	ok "middle: the record says how the hashes were computed" ||
	fail "middle: hashes.computed"

fd_case lba0 src.img 512 64K 3 0 "--bad 0" 0
fd_check_reads lba0 512 4 0
fd_case last src.img 512 64K 2 0 "--bad 8191" 8191
fd_check_reads last 512 3 8191
fd_case runs src.img 512 64K 1 0 "--bad 1000-1015,6140-6150" 1000+16 6140+11
fd_check_reads runs 512 2 1000+16 6140+11
fd_case block-ends src.img 512 64K 3 0 "--bad 2048,2175" 2048 2175
fd_check_reads block-ends 512 4 2048 2175
# The readable neighbours of the block ends were read alone once (and are
# in the image, checked above): never filled.
fd_check_reads block-ends 512 1 2049 2174
fd_case scattered src.img 512 64K 0 0 "--bad 7,777,2049,3333,4094,4097,5555,8000" \
	7 777 2049 3333 4094 4097 5555 8000
fd_check_reads scattered 512 1 7 777 2049 3333 4094 4097 5555 8000
fd_case fill-a5 src.img 512 64K 3 165 "--bad 100,6144" 100 6144
[ "$(json_get fill-a5/HD1.json .parameters.fill_byte)" = 165 ] &&
	ok "fill-a5: fill byte recorded" || fail "fill-a5: fill byte in the record"
expect_in err.txt "filled with 0xa5" "fill-a5: the message names the fill byte"

# Hash windows and a second copy, when the holes are filled later: the
# windows are those of the expected image (sha256sum of each MiB), and the
# second copy is the same image.
mkdir windows-b
FD_EXTRA="--hash-window 1M --hash md5,sha1,sha256 --second-output windows-b/HD1" \
	fd_case windows src.img 512 64K 1 0 "--bad 10,2100,5000-5001" 10 2100 5000+2
i=0
while [ "$i" -lt 4 ]; do
	want=$(dd if=windows.expected bs=1M skip=$i count=1 status=none | sha256sum | cut -d' ' -f1)
	[ "$(json_get windows/HD1.json ".hash_windows.sha256[$i]")" = "$want" ] ||
		fail "windows: window $i is not the sha256 of that MiB of the expected image"
	i=$((i + 1))
done
[ "$(json_get windows/HD1.json '.hash_windows.sha256 | length')" = 4 ] &&
	ok "windows: 4 hash windows = sha256sum of each MiB of the expected image" ||
	fail "windows: hash window count"
[ "$(json_get windows/HD1.json .hashes.sha1)" = "$(sha1sum <windows.expected | cut -d' ' -f1)" ] &&
	ok "windows: sha1 = sha1sum of the expected image" || fail "windows: sha1"
cmp windows.expected windows-b/HD1.raw && ok "windows: the second copy is the same image" ||
	fail "windows: second copy"
(cd windows-b && sha256sum --strict -c HD1.sha256 >/dev/null) &&
	ok "windows: the second copy's checksum file checks" || fail "windows: second copy sidecar"

# Split raw: bad sectors on both sides of a segment boundary; the segments
# are the expected image cut in 1 MiB pieces, and their checksum files
# check (their own hashes come from re-reading them: written out of order).
faultdev_start src.img 512 --bad 2047,2048,4100 || exit 1
mkdir split
"$FORAGE" acquire "$FAULTDEV" -o split/HD1 --format raw --segment-size 1M --retries 1 \
	--block-size 64K --progress none >out.txt 2>err.txt
fd_rc=$?
faultdev_stop
[ "$fd_rc" -eq 3 ] && ok "split: exit 3" || fail "split: exit $fd_rc"
fd_expected src.img split.expected 512 0 2047+2 4100
cat split/HD1.001 split/HD1.002 split/HD1.003 split/HD1.004 | cmp - split.expected &&
	ok "split: the segments are the expected image" || fail "split: segments"
(cd split && sha256sum --strict -c HD1.sha256 >/dev/null && md5sum --strict -c HD1.md5 >/dev/null) &&
	ok "split: segment checksum files check" || fail "split: segment checksum files"
[ "$(jq -c '[.bad_ranges[] | [.first_lba, .count]]' split/HD1.json)" = "[[2047,2],[4100,1]]" ] &&
	ok "split: bad list across the segment boundary" || fail "split: bad list"
# The media's MD5 rode with the files' MD5 up to the first bad area, and
# was finished from the image.
[ "$(json_get split/HD1.json .hashes.md5)" = "$(md5sum <split.expected | cut -d' ' -f1)" ] &&
	[ "$(json_get split/HD1.json .hashes.sha256)" = "$(sha256sum <split.expected | cut -d' ' -f1)" ] &&
	ok "split: media md5 and sha256 of the expected image" || fail "split: media digests"

# The mapfile may not take the name of an output.
mkdir clash
for name in HD1.raw HD1.json HD1.001 HD1.E01 HD1.sha256; do
	expect_exit 2 "mapfile named $name" -- "$FORAGE" acquire src.img -o clash/HD1 \
		--format raw --mapfile "clash/$name"
	expect_in err.txt "mapfile clash/$name: that name is one of the outputs" \
		"mapfile named $name: refused, says why"
done
[ -z "$(ls clash)" ] && ok "clashing mapfile names: nothing created" || fail "clash: $(ls clash)"

# The failing-drive profile (raw, 64K blocks, 8 retries, mapfile auto).
faultdev_start src.img 512 --bad 4000-4001 --log "$T/profile.log" || exit 1
mkdir profile
"$FORAGE" acquire "$FAULTDEV" -o profile/HD1 --profile failing-drive --progress json \
	>out.txt 2>err.txt
fd_rc=$?
faultdev_intact
faultdev_stop
[ "$fd_rc" -eq 3 ] && ok "profile failing-drive: exit 3" || fail "profile: exit $fd_rc"
fd_expected src.img profile.expected 512 0 4000+2
cmp profile.expected profile/HD1.raw && ok "profile failing-drive: image exact" ||
	fail "profile: image"
fd_map_blocks profile/HD1.mapfile >profile.blocks
fd_expected_blocks 4194304 512 4000+2 | diff -u - profile.blocks &&
	ok "profile failing-drive: OUTBASE.mapfile exact" || fail "profile: mapfile"
fd_check_reads profile 512 9 4000+2
# Progress as JSON lines names the passes and counts the bad sectors.
for phase in copying splitting retrying filling; do
	grep -q "\"phase\":\"$phase\"" err.txt || fail "profile: no progress line in phase $phase"
done
grep '^{' err.txt | grep '"phase":"filling"' | tail -n 1 |
	jq -e '.bad_sectors == 2 and .finished == true and .passes == 1' >/dev/null &&
	ok "profile failing-drive: progress lines name the passes, 2 bad sectors" ||
	fail "profile: progress lines"

# A healthy device: one pass, hashed while reading, exit 0, SUCCESS.
fd_case healthy src.img 512 1M 3 0 ""
[ "$(json_get healthy/HD1.json .hashes.computed)" = "while reading, in one pass" ] &&
	ok "healthy: hashed in one pass" || fail "healthy: hashes.computed"

# Other tools read the mapfile (GNU ddrescuelog), when installed.
if command -v ddrescuelog >/dev/null 2>&1; then
	ddrescuelog -l- -b512 runs/HD1.map >bad-list.txt 2>&1
	{ seq 1000 1015; seq 6140 6150; } >want-list.txt
	diff -u want-list.txt bad-list.txt && ok "ddrescuelog lists the same bad sectors" ||
		fail "ddrescuelog -l- on our mapfile"
else
	echo "note: ddrescuelog (gddrescue) not installed; interoperability check not run" >&2
fi
done_testing
