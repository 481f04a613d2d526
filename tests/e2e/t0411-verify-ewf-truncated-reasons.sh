#!/bin/sh
# What the damage of an E01 says, when it is not the chunk data (issue 18
# item 4): both copies of a chunk table failing their checksum are named
# as such, not as "no chunk table lists this chunk", and the chunks they
# misplace are checked by their own checksums (libewf would give up on the
# whole table); a set of 0 chunks is "not checked", never "no damage".
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq dd truncate
need_e01_writer

# 4 segments of 42 chunks of 32 KiB (forage's E01, no compression): in
# X.E02 'table' at 1377641 and 'table2' at 1377913, each a 76-byte
# descriptor, a 24-byte header, then one 4-byte entry a chunk and the
# entries' Adler-32.
make_data media.raw $((4 * 42 * 32768))
"$FORAGE" acquire media.raw -o X --format e01 --compression none \
	--segment-size 1400K --chunk-size 32K --progress none >acq.txt 2>&1 ||
	fail "acquire: $(tail -n 3 acq.txt)"
chmod u+w X.E0?
[ "$(grep -obUa table X.E02 | cut -d: -f1 | tr '\n' ' ')" = "1377641 1377913 " ] &&
	ok "layout of X.E02 as expected" || fail "layout of X.E02 changed"

# One byte of entry 5 (chunk 47) in both copies: chunks 46 and 47 are
# misplaced (46 ends where 47 starts); every other chunk of the table is
# read, checked by its own checksum.
flip_byte X.E02 $((1377641 + 76 + 24 + 4 * 5 + 1))
flip_byte X.E02 $((1377913 + 76 + 24 + 4 * 5 + 1))
expect_exit 1 "both table copies damaged" -- "$FORAGE" verify --progress none X.E01
expect_in out.txt "^problem:   X.E02: the 'table' section at offset 1377641 is damaged \(its entries fail their checksum\)$" \
	"the damaged table is a problem"
expect_in out.txt "^  chunk 46 \(LBA 2944-3007, media bytes 1507328-1540095\) in X.E02 at offset [0-9-]+: damaged: both copies of the chunk table that lists this chunk fail their checksum; where it places the chunk: " \
	"chunk 46: the table named as the cause"
expect_in out.txt "^  chunk 47 \(LBA 3008-3071, media bytes 1540096-1572863\) in X.E02 at offset [0-9-]+: damaged: both copies of the chunk table that lists this chunk fail their checksum; where it places the chunk: " \
	"chunk 47: the table named as the cause"
if grep -q "no chunk table" out.txt; then fail "a listed chunk said to be in no table"; else ok "no chunk said to be in no table"; fi
expect_exit 1 "both table copies damaged, JSON" -- "$FORAGE" verify --json --progress none X.E01
[ "$(jq -r '[.verifications[0].damage[] | "\(.first_chunk):\(.chunks)"] | join(" ")' out.txt)" = "46:1 47:1" ] &&
	ok "only chunks 46-47 damaged" || fail "damage: $(jq -c '[.verifications[0].damage[] | [.first_chunk, .chunks]]' out.txt)"

# An empty medium: 0 chunks.  Intact, or with a damaged section
# descriptor, nothing is checked, and the output says so.
mkdir z && : >z/empty.raw
"$FORAGE" acquire z/empty.raw -o z/Z --format e01 --progress none >acq.txt 2>&1 ||
	fail "acquire of an empty file: $(tail -n 3 acq.txt)"
expect_exit 0 "the empty set verifies" -- "$FORAGE" verify --progress none z/Z.E01
expect_in out.txt "^damage:    not checked: the media holds no chunk$" "0 chunks: not checked"
chmod u+w z/Z.E01
off=$(grep -obUa hash z/Z.E01 | tail -n 1 | cut -d: -f1)
flip_byte z/Z.E01 $((off + 40))
expect_exit 2 "the empty set, a damaged descriptor" -- "$FORAGE" verify --progress none z/Z.E01
expect_in out.txt "^problem:   Z.E01: the section descriptor at offset $off is damaged \(checksum mismatch\)$" \
	"the damaged descriptor named"
expect_in out.txt "^damage:    not checked: the media holds no chunk$" "0 chunks, damaged: not checked"
if grep -q "none found" out.txt; then fail "nothing checked, yet 'none found'"; else ok "no 'none found'"; fi

done_testing
