#!/bin/sh
# Damaged E01s: a flipped byte in chunk data, in a chunk's checksum, in the
# second segment, in compressed chunks (libewf's and FTK Imager's), several
# chunks at once: exit 1, and each damaged chunk named with its LBA range,
# media bytes, segment file and offset.  The whole image is read to the
# end.  Offsets come from the fixtures' layout, as measured:
#   dfvfs-ext2.split.E01: chunk k (uncompressed, 32768 + 4 bytes) at
#     1946 + k * 32772; dfvfs-ext2.split.E02: chunk k >= 95 at
#     1217 + (k - 95) * 32772
#   dfvfs-ext2.E01: chunk 0 (compressed) at 1947..2448
#   tsk-imageformat_mmls_1.E01: chunk 0 (compressed) at 1635..2167
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/verify.sh"
need_cmd jq od dd
need_fixtures
EXT2_MD5=196066add11fb71c4c49cf1bb50d6d24

# Chunk data in the first segment.
copy_fixture dfvfs-ext2.split.E01 dfvfs-ext2.split.E02
flip_byte dfvfs-ext2.split.E01 $((1946 + 10 * 32772 + 100))
expect_exit 1 "flipped byte in chunk 10" -- "$FORAGE" verify --progress none dfvfs-ext2.split.E01
expect_in out.txt "^  chunk 10 \(LBA 640-703, media bytes 327680-360447\) in dfvfs-ext2.split.E01 at offset 329666-362437: damaged: Adler-32 checksum mismatch" \
	"chunk 10 named with LBA, segment file and offset"
expect_in out.txt "^  md5 of media: MISMATCH$" "chunk 10: the media MD5 differs"
expect_in err.txt "^FAILURE: dfvfs-ext2.split.E01: damaged: 32768 bytes" "chunk 10: FAILURE line"
expect_exit 1 "flipped byte in chunk 10, JSON" -- "$FORAGE" verify --json --progress none dfvfs-ext2.split.E01
d='.verifications[0].damage'
[ "$(jq -r "$d | length" out.txt)" = 1 ] && ok "JSON: one damaged range" || fail "JSON: damage count"
[ "$(jq -r "$d[0].first_chunk, $d[0].chunks, $d[0].first_lba, $d[0].sectors, $d[0].file_offset, $d[0].kind" out.txt | tr '\n' ' ')" = "10 1 640 64 329666 damaged " ] &&
	ok "JSON: chunk, LBA, file offset" || fail "JSON: damage fields $(jq -c "$d[0]" out.txt)"
jq -r "$d[0].file" out.txt | grep -q 'dfvfs-ext2.split.E01$' && ok "JSON: segment file" || fail "JSON: file"
[ "$(jq -r '.verifications[0].result.exit_code' out.txt)" = 1 ] || fail "JSON: exit code"
# Read straight from the file, the damaged chunk is read again through
# libewf before it is reported: that one chunk, no other.
[ "$(jq -r '.verifications[0].chunks_read_through_libewf' out.txt)" = 1 ] &&
	ok "JSON: the damaged chunk checked again through libewf" ||
	fail "JSON: chunks through libewf: $(jq -r '.verifications[0].chunks_read_through_libewf' out.txt)"

# Only the stored checksum of chunk 11 damaged: the data is intact, so the
# MD5 still matches, and the chunk is named.
copy_fixture dfvfs-ext2.split.E01
flip_byte dfvfs-ext2.split.E01 $((1946 + 11 * 32772 + 32768))
expect_exit 1 "flipped checksum of chunk 11" -- "$FORAGE" verify --progress none dfvfs-ext2.split.E01
expect_in out.txt "^  chunk 11 \(LBA 704-767, media bytes 360448-393215\) in dfvfs-ext2.split.E01 at offset 362438-395209: damaged: Adler-32 checksum mismatch" \
	"chunk 11 named"
expect_in out.txt "^  md5 of media: match$" "checksum only: media MD5 still matches"
expect_in out.txt "computed $EXT2_MD5" "checksum only: MD5 unchanged"

# Several chunks, and the second segment: all listed, in order, merged
# where they touch.
copy_fixture dfvfs-ext2.split.E01 dfvfs-ext2.split.E02
flip_byte dfvfs-ext2.split.E01 $((1946 + 20 * 32772 + 7))
flip_byte dfvfs-ext2.split.E01 $((1946 + 21 * 32772 + 9))
flip_byte dfvfs-ext2.split.E01 $((1946 + 50 * 32772 + 11))
flip_byte dfvfs-ext2.split.E02 $((1217 + 0 * 32772 + 5000))
expect_exit 1 "four damaged chunks" -- "$FORAGE" verify --json --progress none dfvfs-ext2.split.E01
[ "$(jq -r "[$d[] | \"\(.first_chunk):\(.chunks)\"] | join(\" \")" out.txt)" = "20:2 50:1 95:1" ] &&
	ok "all damage listed: chunks 20-21, 50, 95" || fail "damage list: $(jq -c "[$d[] | [.first_chunk, .chunks]]" out.txt)"
[ "$(jq -r "$d[2].file_offset" out.txt)" = 1217 ] && jq -r "$d[2].file" out.txt | grep -q 'E02$' &&
	ok "chunk 95 found in the second segment at offset 1217" || fail "chunk 95 place"
[ "$(jq -r '.verifications[0].damaged_bytes' out.txt)" = $((4 * 32768)) ] && ok "damaged bytes counted" || fail "damaged bytes"
expect_exit 1 "four damaged chunks, text" -- "$FORAGE" verify --progress none dfvfs-ext2.split.E01
expect_in out.txt "^  chunks 20-21 \(LBA 1280-1407, media bytes 655360-720895\) in dfvfs-ext2.split.E01 at offset 657386-722929: damaged: Adler-32 checksum mismatch$" \
	"chunks 20-21 as one range"

# Compressed chunks (libewf best compression; FTK Imager).
copy_fixture dfvfs-ext2.E01 tsk-imageformat_mmls_1.E01
flip_byte dfvfs-ext2.E01 2047
expect_exit 1 "damaged compressed chunk" -- "$FORAGE" verify --progress none dfvfs-ext2.E01
expect_in out.txt "^  chunk 0 \(LBA 0-63, media bytes 0-32767\) in dfvfs-ext2.E01 at offset 1947-2448: damaged: (damaged deflate data|Adler-32 checksum mismatch)" \
	"compressed chunk 0 named"
flip_byte tsk-imageformat_mmls_1.E01 $((1635 + 200))
expect_exit 1 "damaged FTK Imager chunk" -- "$FORAGE" verify --progress none tsk-imageformat_mmls_1.E01
expect_in out.txt "^  chunk 0 \(LBA 0-63, media bytes 0-32767\) in tsk-imageformat_mmls_1.E01 at offset 1635-2167: damaged: " \
	"FTK chunk 0 named"

# Chunks of zeros.  One whose stored bytes are those of a zero chunk
# already inflated is not inflated again (ewf_read.c); a damaged one still
# is, and is named.  forage's E01 of 2 MiB of zeros holds 64 identical
# small chunks from the data of its "sectors" section on (after the 76-byte
# section descriptor).
head -c $((2 * 1024 * 1024)) /dev/zero >zero.bin && mkdir z
expect_exit 0 "E01 of zeros" -- "$FORAGE" acquire zero.bin -o z/Z --format e01 --progress none
sect=$(grep -obUa sectors z/Z.E01 | head -n 1 | cut -d: -f1)
if [ -n "$sect" ]; then
	cp z/Z.E01 Z.E01 && chmod u+w Z.E01
	expect_exit 0 "E01 of zeros verifies" -- "$FORAGE" verify --progress none Z.E01
	# About 60 bytes a chunk: 1500 bytes in is a chunk past the first.
	flip_byte Z.E01 $((sect + 76 + 1500))
	expect_exit 1 "damaged zero chunk" -- "$FORAGE" verify --json --progress none Z.E01
	[ "$(jq -r "$d | length" out.txt)" = 1 ] && [ "$(jq -r "$d[0].chunks" out.txt)" = 1 ] &&
		[ "$(jq -r "$d[0].first_chunk" out.txt)" -gt 0 ] &&
		ok "zero chunks: the damaged one (not the first) named, no other" ||
		fail "zero chunks: damage $(jq -c "$d" out.txt)"
	[ "$(jq -r '.verifications[0].damaged_bytes' out.txt)" = 32768 ] || fail "zero chunks: damaged bytes"
	# The first chunk damaged: the others, all alike, still verify.
	cp z/Z.E01 Z.E01 && chmod u+w Z.E01
	flip_byte Z.E01 $((sect + 76 + 20))
	expect_exit 1 "damaged first zero chunk" -- "$FORAGE" verify --json --progress none Z.E01
	[ "$(jq -r "[$d[] | \"\(.first_chunk):\(.chunks)\"] | join(\" \")" out.txt)" = "0:1" ] &&
		ok "zero chunks: the first one damaged, the 63 like it verify" ||
		fail "zero chunks: damage $(jq -c "$d" out.txt)"
else
	fail "no sectors section in z/Z.E01"
fi

# An E01 that ewfacquire writes here, three segments, damaged in the middle.
if command -v ewfacquire >/dev/null 2>&1; then
	make_data src.bin $((3 * 1024 * 1024))
	sha=$(sha256sum <src.bin | cut -d' ' -f1)
	ewfacquire -u -t EA -c fast -S 1MiB src.bin >ea.log 2>&1 || fail "ewfacquire failed: $(tail -n 3 ea.log)"
	expect_exit 0 "ewfacquire E01 verifies" -- "$FORAGE" verify --progress none --sha256 "$sha" EA.E01
	expect_in out.txt "^files: +EA.E01 .* EA.E02 .* EA.E03 " "three segments found"
	flip_byte EA.E02 500000
	expect_exit 1 "ewfacquire E01, damaged E02" -- "$FORAGE" verify --progress none --sha256 "$sha" EA.E01
	expect_in out.txt "^  chunk [0-9]+ \(LBA [0-9]+-[0-9]+, media bytes [0-9]+-[0-9]+\) in EA.E02 at offset [0-9]+-[0-9]+: damaged: " \
		"damage found in EA.E02"
	expect_in out.txt "^  sha256 of media: MISMATCH" "damaged E02: SHA-256 differs"
else
	echo "note: no ewfacquire; the ewfacquire case was not run" >&2
fi
done_testing
