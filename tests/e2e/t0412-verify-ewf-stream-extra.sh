#!/bin/sh
# An E01 whose last chunk holds more bytes than the media it declares, as
# ewfacquirestream writes a source that is not whole sectors (issue 18,
# item 4): 4097 bytes read from stdin become a media of 8 sectors (4096
# bytes) in a chunk holding all 4097, and the stored MD5 is that of the
# 4097.  The chunk's checksum holds: forage calls nothing damaged, says
# where the byte past the media's end lies, checks the stored MD5 against
# the media and that byte (a match) and gives the MD5 of the declared
# media beside it.  The same for a compressed chunk, and for the last of
# several chunks; a flipped byte past the media's end is damage.  32769,
# 65537 and 33279 bytes make a media of whole chunks and a chunk of its own
# holding the last bytes, which the chunk tables list past the media's last
# chunk: the same checks, the note naming that chunk; a flipped byte there
# fails its checksum, which is said, and is no damage of the media.  Each
# set is made here by ewfacquirestream (which cannot make that chunk
# compressed: libewf 20140813 fails to pack a chunk of 1 byte).
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd ewfacquirestream jq od dd md5sum

# acquire DIR DATA [ewfacquirestream options]: DIR/img.E01 from DATA.
acquire() {
	aq_dir=$1
	aq_data=$2
	shift 2
	mkdir -p "$aq_dir"
	if ! (cd "$aq_dir" && ewfacquirestream -q "$@" -t img -C case -D desc \
		-e examiner -E ev -N notes <"../$aq_data" >acquire.log 2>&1); then
		fail "ewfacquirestream $* failed"
		sed 's/^/  | /' "$aq_dir/acquire.log" >&2
		return 1
	fi
	[ -s "$aq_dir/img.E01" ] || fail "ewfacquirestream wrote no $aq_dir/img.E01"
}

md5_of() { md5sum | cut -c1-32; }

# One chunk, uncompressed: 4097 bytes.
make_data plain.bin 4097
ALL=$(md5_of <plain.bin)
DECL=$(head -c 4096 plain.bin | md5_of)
acquire plain plain.bin
expect_exit 0 "one chunk holding 1 byte past the media's end: verified" -- \
	"$FORAGE" verify --progress none plain/img.E01
expect_in out.txt "^media:     4096 bytes, 8 sectors of 512 bytes, 1 chunks of 32768 bytes; 1 byte stored past its end$" \
	"the media line gives the declared size and the byte past it"
expect_in out.txt "^computed:  md5    $DECL$" "the computed MD5 is that of the 4096 declared bytes"
expect_in out.txt "^  md5 of media and the 1 byte past its end \(4097 bytes\): match$" \
	"the stored MD5 checked against the media and the byte past its end"
expect_in out.txt "^      expected $ALL  from the image img\.E01 \(the hash stored in it\)$" \
	"expected: the stored MD5, that of all 4097 bytes"
expect_in out.txt "^      computed $ALL$" "computed: the MD5 of the 4097 bytes"
expect_in out.txt "^damage:    none found \(every chunk checksum holds\)$" "no damage"
expect_in out.txt "^note:      chunk 0 \(img\.E01 at offset [0-9]+-[0-9]+\) holds 4097 bytes: media bytes 0-4095 and 1 byte past the media's end, which the set declares at 4096 bytes \(8 sectors of 512\); its checksum holds over all 4097 bytes, so the chunk is not damaged; the computed digests cover the media only$" \
	"note: where the byte past the end lies, and that the chunk's checksum holds"
expect_in out.txt "^note:      md5 $ALL from the image img\.E01 \(the hash stored in it\) is the md5 of all 4097 bytes stored: the media's 4096 and the 1 byte past its end; the md5 of the 4096 bytes the set declares as media is $DECL \(the computed md5\)$" \
	"note: the stored MD5 is of the chunk's 4097 bytes, not of the declared media"
expect_in out.txt "^result:    verified$" "result: verified"
expect_in err.txt "^SUCCESS$" "SUCCESS line"
# (The note's "not damaged" aside.)
if sed 's/so the chunk is not damaged//' out.txt err.txt |
	grep -qiE "fail their checks|damaged|MISMATCH|FAILURE"; then
	fail "something called damaged or a mismatch:"
	grep -iE "fail their checks|damaged|MISMATCH|FAILURE" out.txt err.txt | sed 's/^/  | /' >&2
else
	ok "nothing called damaged, nothing a mismatch"
fi
OFF=$(sed -n 's/^note:      chunk 0 (img\.E01 at offset \([0-9]*\)-.*/\1/p' out.txt)

expect_exit 0 "the same, JSON" -- "$FORAGE" verify --json --progress none plain/img.E01
cp out.txt plain.json
v='.verifications[0]'
[ "$(jq -r "$v.bytes_past_media_end, $v.damaged_bytes, ($v.damage | length), $v.image.media_size, $v.computed.md5" out.txt | tr '\n' ' ')" = "1 0 0 4096 $DECL " ] &&
	ok "JSON: 1 byte past the end, no damage, the declared media's MD5" ||
	fail "JSON: $(jq -c "[$v.bytes_past_media_end, $v.damaged_bytes, $v.damage, $v.image.media_size, $v.computed.md5]" out.txt)"
[ "$(jq -r "$v.checks[] | select(.algorithm == \"md5\") | [.what, .expected, .computed, .result] | join(\"|\")" out.txt)" = \
	"media and the 1 byte past its end (4097 bytes)|$ALL|$ALL|match" ] &&
	ok "JSON: the MD5 check names the 4097 bytes" || fail "JSON: checks $(jq -c "$v.checks" out.txt)"
[ "$(jq -r "$v.result.status, $v.result.exit_code" out.txt | tr '\n' ' ')" = "verified 0 " ] &&
	ok "JSON: verified" || fail "JSON: result $(jq -c "$v.result" out.txt)"

# The byte past the media's end flipped: the chunk's checksum fails, and
# that is damage, named as such.
if [ -n "$OFF" ]; then
	mkdir flipped && cp plain/img.E01 flipped/ && flip_byte flipped/img.E01 $((OFF + 4096))
	expect_exit 1 "the byte past the media's end flipped: damage" -- \
		"$FORAGE" verify --progress none flipped/img.E01
	expect_in out.txt "^  chunk 0 \(LBA 0-7, media bytes 0-4095\) in img\.E01 at offset $OFF-[0-9]+: damaged: Adler-32 checksum mismatch \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8} over the 4097 bytes the chunk holds, 1 past the media's end\)$" \
		"flipped: the chunk named, its checksum failing over the 4097 bytes"
	expect_in err.txt "^FAILURE: flipped/img\.E01: damaged: 4096 bytes of media in chunks that fail their checks$" \
		"flipped: FAILURE line"
	if grep -q "byte stored past its end\|holds 4097 bytes: media bytes" out.txt; then
		fail "flipped: a chunk whose checksum fails reported as bytes past the end"
	else
		ok "flipped: no bytes past the end reported"
	fi
else
	fail "no chunk offset in the note: the flipped case not run"
fi

# One compressed chunk: it inflates to 4097 bytes, its Adler-32 holding.
yes "forage stream test line" | head -c 4097 >text.bin
ALL=$(md5_of <text.bin)
DECL=$(head -c 4096 text.bin | md5_of)
acquire packed text.bin -c fast
expect_exit 0 "one compressed chunk holding 1 byte past the media's end: verified" -- \
	"$FORAGE" verify --progress none packed/img.E01
expect_in out.txt "^note:      chunk 0 \(img\.E01 at offset [0-9]+-[0-9]+\) holds 4097 bytes: media bytes 0-4095 and 1 byte past the media's end" \
	"compressed: the note names the byte past the end"
a=$(sed -n 's/^note:      chunk 0 (img\.E01 at offset \([0-9]*\)-\([0-9]*\)).*/\1 \2/p' out.txt)
set -- $a
[ $# -eq 2 ] && [ $(($2 - $1 + 1)) -lt 4097 ] && ok "compressed: the chunk is stored compressed ($(($2 - $1 + 1)) bytes)" ||
	fail "compressed: the chunk is not stored compressed ($a)"
expect_in out.txt "^  md5 of media and the 1 byte past its end \(4097 bytes\): match$" "compressed: the stored MD5 matches the 4097 bytes"
expect_in out.txt "^      computed $ALL$" "compressed: the MD5 of the 4097 bytes"
expect_in out.txt "^computed:  md5    $DECL$" "compressed: the declared media's MD5"
expect_in out.txt "^damage:    none found \(every chunk checksum holds\)$" "compressed: no damage"

# The last of five chunks of 8192 bytes (-b 16): 36865 bytes.
make_data five.bin 36865
ALL=$(md5_of <five.bin)
acquire five five.bin -b 16
expect_exit 0 "the last of five chunks holding 1 byte past the media's end: verified" -- \
	"$FORAGE" verify --progress none five/img.E01
expect_in out.txt "^media:     36864 bytes, 72 sectors of 512 bytes, 5 chunks of 8192 bytes; 1 byte stored past its end$" \
	"five chunks: the media line"
expect_in out.txt "^note:      chunk 4 \(img\.E01 at offset [0-9]+-[0-9]+\) holds 4097 bytes: media bytes 32768-36863 and 1 byte past the media's end, which the set declares at 36864 bytes \(72 sectors of 512\); its checksum holds" \
	"five chunks: chunk 4 named"
expect_in out.txt "^  md5 of media and the 1 byte past its end \(36865 bytes\): match$" "five chunks: the stored MD5 matches"
expect_in out.txt "^      computed $ALL$" "five chunks: the MD5 of the 36865 bytes"
expect_in out.txt "^damage:    none found \(every chunk checksum holds\)$" "five chunks: no damage"

# A media of one whole chunk and the last byte in a chunk of its own: 32769
# bytes make 64 sectors (32768 bytes), chunk 0 holding them, and chunk 1,
# which the tables list past the media's last chunk, holding the byte.
make_data own.bin 32769
ALL=$(md5_of <own.bin)
DECL=$(head -c 32768 own.bin | md5_of)
acquire own own.bin
expect_exit 0 "a chunk of its own holding 1 byte past the media's end: verified" -- \
	"$FORAGE" verify --progress none own/img.E01
expect_in out.txt "^media:     32768 bytes, 64 sectors of 512 bytes, 1 chunks of 32768 bytes; 1 byte stored past its end$" \
	"own chunk: the media line gives the declared size and the byte past it"
expect_in out.txt "^computed:  md5    $DECL$" "own chunk: the computed MD5 is that of the 32768 declared bytes"
expect_in out.txt "^  md5 of media and the 1 byte past its end \(32769 bytes\): match$" \
	"own chunk: the stored MD5 checked against the media and the byte past its end"
expect_in out.txt "^      expected $ALL  from the image img\.E01 \(the hash stored in it\)$" \
	"own chunk: expected, the stored MD5, that of all 32769 bytes"
expect_in out.txt "^      computed $ALL$" "own chunk: computed, the MD5 of the 32769 bytes"
expect_in out.txt "^damage:    none found \(every chunk checksum holds\)$" "own chunk: no damage"
expect_in out.txt "^note:      chunk 1 \(img\.E01 at offset [0-9]+-[0-9]+\), which the chunk tables list past the media's last chunk \(chunk 0\), holds 1 byte past the media's end, which the set declares at 32768 bytes \(64 sectors of 512\), and no media bytes; its checksum holds over it, so the chunk is not damaged; the computed digests cover the media only$" \
	"own chunk: note, the chunk listed past the media's last one, where it lies, its checksum holding"
expect_in out.txt "^note:      md5 $ALL from the image img\.E01 \(the hash stored in it\) is the md5 of all 32769 bytes stored: the media's 32768 and the 1 byte past its end; the md5 of the 32768 bytes the set declares as media is $DECL \(the computed md5\)$" \
	"own chunk: note, the stored MD5 is of the 32769 bytes, not of the declared media"
expect_in out.txt "^result:    verified$" "own chunk: result verified"
expect_in err.txt "^SUCCESS$" "own chunk: SUCCESS line"
if sed 's/so the chunk is not damaged//' out.txt err.txt |
	grep -qiE "fail their checks|damaged|MISMATCH|FAILURE"; then
	fail "own chunk: something called damaged or a mismatch:"
	grep -iE "fail their checks|damaged|MISMATCH|FAILURE" out.txt err.txt | sed 's/^/  | /' >&2
else
	ok "own chunk: nothing called damaged, nothing a mismatch"
fi
a=$(sed -n 's/^note:      chunk 1 (img\.E01 at offset \([0-9]*\)-\([0-9]*\)).*/\1 \2/p' out.txt)
set -- $a
[ $# -eq 2 ] && [ $(($2 - $1 + 1)) -eq 5 ] &&
	ok "own chunk: stored as the byte and its Adler-32 (5 bytes)" ||
	fail "own chunk: the chunk's place in the file ($a)"
OFF=${1:-}

expect_exit 0 "own chunk, JSON" -- "$FORAGE" verify --json --progress none own/img.E01
[ "$(jq -r "$v.bytes_past_media_end, $v.damaged_chunks_past_media_end, $v.damaged_bytes, ($v.damage | length), $v.image.media_size, $v.chunks, $v.computed.md5" out.txt | tr '\n' ' ')" = "1 0 0 0 32768 1 $DECL " ] &&
	ok "own chunk, JSON: 1 byte past the end, no damage, 1 chunk of media, the declared media's MD5" ||
	fail "own chunk, JSON: $(jq -c "[$v.bytes_past_media_end, $v.damaged_chunks_past_media_end, $v.damaged_bytes, $v.damage, $v.image.media_size, $v.chunks, $v.computed.md5]" out.txt)"
[ "$(jq -r "$v.checks[] | select(.algorithm == \"md5\") | [.what, .expected, .computed, .result] | join(\"|\")" out.txt)" = \
	"media and the 1 byte past its end (32769 bytes)|$ALL|$ALL|match" ] &&
	ok "own chunk, JSON: the MD5 check names the 32769 bytes" || fail "own chunk, JSON: checks $(jq -c "$v.checks" out.txt)"
[ "$(jq -r "$v.result.status, $v.result.exit_code" out.txt | tr '\n' ' ')" = "verified 0 " ] &&
	ok "own chunk, JSON: verified" || fail "own chunk, JSON: result $(jq -c "$v.result" out.txt)"

# The byte in the chunk of its own flipped: that chunk's checksum fails.  It
# holds no media: the media is not called damaged, and the stored MD5,
# matching neither, is a MISMATCH whose reason the notes give.
if [ -n "$OFF" ]; then
	mkdir ownflip && cp own/img.E01 ownflip/ && flip_byte ownflip/img.E01 "$OFF"
	expect_exit 1 "own chunk flipped: a mismatch, its reason given" -- \
		"$FORAGE" verify --progress none ownflip/img.E01
	expect_in out.txt "^media:     32768 bytes, 64 sectors of 512 bytes, 1 chunks of 32768 bytes$" \
		"own chunk flipped: the media line, no bytes past the end known"
	expect_in out.txt "^  md5 of media: MISMATCH$" "own chunk flipped: the stored MD5 is not the media's"
	expect_in out.txt "^damage:    none found in the media; 1 chunk past the media's end fails its checks \(see the note\)$" \
		"own chunk flipped: the damage line says the chunk past the end fails"
	expect_in out.txt "^note:      chunk 1 \(img\.E01 at offset $OFF-$((OFF + 4))\), which the chunk tables list past the media's last chunk \(chunk 0\), fails its checks: Adler-32 checksum mismatch \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8} over the 1 byte the chunk holds\); it holds no media bytes, so the media is not damaged, but the bytes it holds past the media's end \(which the set declares at 32768 bytes, 64 sectors of 512\) are not known, so no hash of the media and them can be checked$" \
		"own chunk flipped: note, the chunk, its checksum failing, what that means"
	expect_in err.txt "^FAILURE: ownflip/img\.E01: md5 of media differs from the image img\.E01 \(the hash stored in it\)$" \
		"own chunk flipped: FAILURE line"
	expect_exit 1 "own chunk flipped, JSON" -- "$FORAGE" verify --json --progress none ownflip/img.E01
	[ "$(jq -r "$v.bytes_past_media_end, $v.damaged_chunks_past_media_end, $v.damaged_bytes, ($v.damage | length)" out.txt | tr '\n' ' ')" = "0 1 0 0 " ] &&
		ok "own chunk flipped, JSON: 1 damaged chunk past the end, no media damage" ||
		fail "own chunk flipped, JSON: $(jq -c "[$v.bytes_past_media_end, $v.damaged_chunks_past_media_end, $v.damaged_bytes, $v.damage]" out.txt)"
else
	fail "no chunk offset in the note: the flipped chunk of its own not run"
fi

# Two whole chunks and the last byte in chunk 2: 65537 bytes.
make_data own2.bin 65537
ALL=$(md5_of <own2.bin)
DECL=$(head -c 65536 own2.bin | md5_of)
acquire own2 own2.bin
expect_exit 0 "chunk 2 of its own holding 1 byte past the media's end: verified" -- \
	"$FORAGE" verify --progress none own2/img.E01
expect_in out.txt "^media:     65536 bytes, 128 sectors of 512 bytes, 2 chunks of 32768 bytes; 1 byte stored past its end$" \
	"65537: the media line"
expect_in out.txt "^note:      chunk 2 \(img\.E01 at offset [0-9]+-[0-9]+\), which the chunk tables list past the media's last chunk \(chunk 1\), holds 1 byte past the media's end, which the set declares at 65536 bytes \(128 sectors of 512\), and no media bytes; its checksum holds over it, so the chunk is not damaged; the computed digests cover the media only$" \
	"65537: chunk 2 named"
expect_in out.txt "^  md5 of media and the 1 byte past its end \(65537 bytes\): match$" "65537: the stored MD5 matches"
expect_in out.txt "^      computed $ALL$" "65537: the MD5 of the 65537 bytes"
expect_in out.txt "^computed:  md5    $DECL$" "65537: the declared media's MD5"
expect_in out.txt "^damage:    none found \(every chunk checksum holds\)$" "65537: no damage"
expect_in out.txt "^result:    verified$" "65537: result verified"

# 511 bytes past the media's end, in a chunk of their own after four
# chunks of 8192 bytes (-b 16): 33279 bytes.
make_data own3.bin 33279
ALL=$(md5_of <own3.bin)
acquire own3 own3.bin -b 16
expect_exit 0 "a chunk of its own holding 511 bytes past the media's end: verified" -- \
	"$FORAGE" verify --progress none own3/img.E01
expect_in out.txt "^media:     32768 bytes, 64 sectors of 512 bytes, 4 chunks of 8192 bytes; 511 bytes stored past its end$" \
	"33279: the media line"
expect_in out.txt "^note:      chunk 4 \(img\.E01 at offset [0-9]+-[0-9]+\), which the chunk tables list past the media's last chunk \(chunk 3\), holds 511 bytes past the media's end, which the set declares at 32768 bytes \(64 sectors of 512\), and no media bytes; its checksum holds over all of them, so the chunk is not damaged" \
	"33279: chunk 4 named, 511 bytes"
expect_in out.txt "^  md5 of media and the 511 bytes past its end \(33279 bytes\): match$" "33279: the stored MD5 matches"
expect_in out.txt "^      computed $ALL$" "33279: the MD5 of the 33279 bytes"
expect_in out.txt "^result:    verified$" "33279: result verified"

done_testing
