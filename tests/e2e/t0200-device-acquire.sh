#!/bin/sh
# Block devices as sources (real loop devices, as root): 512- and
# 4096-byte logical sectors, odd sector counts (not multiples of 64, 128 or
# 2048), a few MiB each.  The image is byte-identical to the backing file,
# the hashes are md5sum's and sha256sum's, the last sector is there, the
# kernel read-only flag is on afterwards and the record holds the state
# before and after, the geometry, the loop device's identity and what the
# first sectors hold.  --offset/--length take exactly the asked range and
# must be sector multiples.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/device.sh"
need_loop
need_cmd jq cmp md5sum sha256sum dd mkfs.ext4 file head

# SECTOR-SIZE SECTORS CONTENT
for spec in "512 8191 random" "512 20487 ext4" "4096 1021 random" \
	"4096 2563 ext4"; do
	set -- $spec
	ss=$1; n=$2; kind=$3; bytes=$((ss * n)); t="$ss x $n ($kind)"
	img=$T/disk-$ss-$n.img
	if [ "$kind" = ext4 ]; then
		truncate -s "$bytes" "$img"
		mkfs.ext4 -q -F -b 4096 -d "$FG_SRCDIR/docs" "$img" 2>mkfs.err ||
			{ fail "$t: mkfs.ext4"; continue; }
	else
		make_data "$img" "$bytes"
	fi
	# A marker in the last sector, to see it arrive.
	printf 'THE LAST SECTOR %s' "$t" |
		dd of="$img" bs=1 seek=$((bytes - ss + 100)) conv=notrunc 2>/dev/null
	attach_loop L "$img" --sector-size "$ss"
	name=${L#/dev/}
	[ "$(blockdev --getss "$L")" = "$ss" ] || fail "$t: loop sector size"
	[ "$(blockdev --getsize64 "$L")" = "$bytes" ] || fail "$t: loop size"
	[ "$(getro "$L")" = 0 ] || fail "$t: flag set before the run"
	out=$T/out-$ss-$n; mkdir "$out"
	expect_exit 0 "$t: acquire" -- "$FORAGE" acquire "$L" -o "$out/HD" \
		--format raw --progress none --case C1 --evidence "$t"
	[ "$(last_line err.txt)" = SUCCESS ] && ok "$t: SUCCESS" || fail "$t: last line"
	cmp "$img" "$out/HD.raw" && ok "$t: image identical to the backing file" ||
		fail "$t: image differs"
	dd if="$out/HD.raw" bs="$ss" skip=$((n - 1)) count=1 2>/dev/null >last.bin
	dd if="$img" bs="$ss" skip=$((n - 1)) count=1 2>/dev/null | cmp - last.bin &&
		grep -q "THE LAST SECTOR $t" last.bin &&
		ok "$t: last sector (LBA $((n - 1))) present" || fail "$t: last sector"
	[ "$(stat -c %s "$out/HD.raw")" = "$bytes" ] || fail "$t: image size"
	j=$out/HD.json
	[ "$(json_get "$j" .hashes.md5)" = "$(md5sum <"$img" | cut -d' ' -f1)" ] &&
		ok "$t: md5 = md5sum" || fail "$t: md5"
	[ "$(json_get "$j" .hashes.sha256)" = "$(sha256sum <"$img" | cut -d' ' -f1)" ] &&
		ok "$t: sha256 = sha256sum" || fail "$t: sha256"
	(cd "$out" && sha256sum --strict -c HD.sha256 >/dev/null) || fail "$t: sha256sum -c"
	# Geometry and identity.
	[ "$(json_get "$j" .source.kind)" = "block device" ] || fail "$t: kind"
	[ "$(json_get "$j" .source.logical_sector_size)" = "$ss" ] &&
		ok "$t: record has the sector size" || fail "$t: sector size in record"
	[ "$(json_get "$j" .source.size)" = "$bytes" ] || fail "$t: size in record"
	[ "$(json_get "$j" .reading.sectors_read)" = "$n" ] &&
		ok "$t: $n sectors read" || fail "$t: sectors read $(json_get "$j" .reading.sectors_read)"
	[ "$(json_get "$j" .source.device.name)" = "$name" ] || fail "$t: device name"
	[ "$(json_get "$j" .source.transport)" = loop ] || fail "$t: transport"
	[ "$(json_get "$j" .source.loop.backing_file)" = "$img" ] &&
		ok "$t: backing file recorded" || fail "$t: backing file"
	# A loop device keeps no SMART: not available, and why; not an error.
	[ "$(json_get "$j" .health.before.available)" = false ] &&
		[ "$(json_get "$j" .health.before.note)" = "$name is a loop device, not a drive that keeps SMART data" ] &&
		[ "$(json_get "$j" .health.after.available)" = false ] &&
		json_get "$j" .health.comparison | grep -q "^not compared: health was not available before" &&
		ok "$t: health: not available (a loop device)" ||
		fail "$t: health $(jq -c .health "$j")"
	[ "$(json_get "$j" .source.loop.logical_sector_size)" = "$ss" ] || fail "$t: loop sector size"
	[ "$(json_get "$j" .source.loop.offset)" = 0 ] || fail "$t: loop offset"
	json_get "$j" .source.loop.direct_io | grep -qE '^(true|false)$' || fail "$t: direct_io"
	# Unknown is null, never made up.
	for k in model serial firmware_revision wwn vendor; do
		[ "$(jq -c ".source.$k" "$j")" = null ] || fail "$t: $k should be null"
	done
	[ "$(jq -c '.source.hpa.state' "$j")" = null ] || fail "$t: hpa state should be null"
	json_get "$j" .source.hpa.note | grep -q 'not a drive' || fail "$t: hpa note"
	if [ "$kind" = ext4 ]; then
		json_get "$j" .source.content | grep -q 'ext4 filesystem data' &&
			ok "$t: content is ext4 (libmagic)" || fail "$t: content $(json_get "$j" .source.content)"
	fi
	# Whatever the bytes are (random data matches a libmagic rule now
	# and then), the record says what libmagic says of the first 64 KiB.
	[ "$(json_get "$j" .source.content)" = "$(head -c 65536 "$img" | file -b -)" ] &&
		ok "$t: content = file(1) of the first 64 KiB" ||
		fail "$t: content $(json_get "$j" .source.content) vs $(head -c 65536 "$img" | file -b -)"
	# The guard: flag on afterwards, before/after recorded.
	[ "$(getro "$L")" = 1 ] && ok "$t: blockdev --getro says 1 afterwards" ||
		fail "$t: flag not set afterwards"
	[ "$(json_get "$j" .write_block.readonly_before)" = false ] &&
		[ "$(json_get "$j" .write_block.readonly_after)" = true ] &&
		ok "$t: record: read-only before false, after true" || fail "$t: before/after"
	[ "$(json_get "$j" ".write_block.devices[\"$name\"].flag_set_by_forage")" = true ] &&
		[ "$(json_get "$j" ".write_block.devices[\"$name\"].node")" = "$L" ] ||
		fail "$t: per-device record"
	[ "$(json_get "$j" .write_block.exclusive_open)" = true ] || fail "$t: exclusive open"
	expect_in "$out/HD.txt" "^Transport: +loop$" "$t: text record has the identity"
	# The case database beside the outputs holds the same device facts.
	if command -v sqlite3 >/dev/null; then
		q="SELECT logical_sector_size, model IS NULL, serial IS NULL,
			json_extract(write_block, '\$.devices.$name.readonly_after')
			FROM acquisitions"
		[ "$(sql "$out/case.db" "$q")" = "$ss|1|1|1" ] &&
			ok "$t: case database: sector size, unknown model/serial, flag after" ||
			fail "$t: case database: $(sql "$out/case.db" "$q")"
	fi
done

# --offset/--length on the 4096-byte device (the last one attached).
img=$T/disk-4096-2563.img
mkdir rng
expect_exit 0 "offset/length on a device" -- "$FORAGE" acquire "$L" -o rng/HD \
	--format raw --progress none --offset 8192 --length 40960
dd if="$img" bs=4096 skip=2 count=10 2>/dev/null | cmp - rng/HD.raw &&
	ok "offset/length: exactly sectors 2..11" || fail "offset/length: content"
[ "$(json_get rng/HD.json .source.offset)" = 8192 ] && [ "$(json_get rng/HD.json .source.size)" = 40960 ] ||
	fail "offset/length: record"
[ "$(json_get rng/HD.json .hashes.md5)" = "$(dd if="$img" bs=4096 skip=2 count=10 2>/dev/null | md5sum | cut -d' ' -f1)" ] &&
	ok "offset/length: md5 of the range" || fail "offset/length: md5"
mkdir rng2
expect_exit 0 "offset to the end" -- "$FORAGE" acquire "$L" -o rng2/HD \
	--format raw --progress none --offset $((4096 * 2500))
tail -c $((4096 * 63)) "$img" | cmp - rng2/HD.raw && ok "offset: to the last sector" || fail "offset to end"
mkdir rng3
expect_exit 2 "misaligned offset" -- "$FORAGE" acquire "$L" -o rng3/HD \
	--format raw --progress none --offset 512 --length 4096
expect_in err.txt "multiples of the sector size \(4096 bytes\)" "misaligned offset named"
expect_exit 2 "misaligned length" -- "$FORAGE" acquire "$L" -o rng3/HD \
	--format raw --progress none --offset 4096 --length 6000
expect_exit 2 "range past the end" -- "$FORAGE" acquire "$L" -o rng3/HD \
	--format raw --progress none --offset $((4096 * 2562)) --length 8192
expect_in err.txt "is past the end" "range past the end named"
[ -z "$(ls -A rng3)" ] && ok "refused ranges leave nothing" || fail "refused ranges left files"
done_testing
