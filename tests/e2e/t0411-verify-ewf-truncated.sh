#!/bin/sh
# A truncated segment of a multi-segment E01 set loses its own chunks, and
# only those: every chunk is placed by its own segment's place in the set
# (from the segments before it, or from the media's number of chunks and
# the segments after it), never by counting the chunks already seen.  The
# lost chunks are hashed as zeros in place, named by LBA and segment file;
# the MD5 computed is the original media's with exactly those chunks
# zeroed.  Where a chunk's place cannot be known, the damage says so.
# The set: 10 MiB in 320 chunks of 32 KiB, forage's E01, 8 segments:
# X.E01-X.E07 hold 42 chunks each, X.E08 the last 26.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq dd md5sum truncate
need_e01_writer

make_data media.raw $((10 * 1024 * 1024))
"$FORAGE" acquire media.raw -o X --format e01 --compression none \
	--segment-size 1400K --chunk-size 32K --progress none >acq.txt 2>&1 ||
	fail "acquire: $(tail -n 3 acq.txt)"
[ -f X.E08 ] && [ ! -f X.E09 ] && ok "8 segment files" || fail "not 8 segments: $(ls X.E*)"
mkdir keep && cp X.E0? keep/ && chmod u+w X.E0?
restore() { cp keep/X.E0? . && chmod u+w X.E0?; }
# The layout the cuts rely on: in X.E02..X.E07 'sectors' at 1141, 'table'
# at 1377641 (42 chunks of 32772 bytes).
[ "$(grep -obUa sectors keep/X.E03 | head -n 1 | cut -d: -f1)" = 1141 ] &&
	[ "$(grep -obUa table keep/X.E03 | head -n 1 | cut -d: -f1)" = 1377641 ] &&
	ok "layout of X.E03 as expected" || fail "layout of X.E03 changed"

# md5_zeroed FIRST COUNT...: the MD5 of the media with chunks
# [FIRST, FIRST + COUNT) zeroed, for each pair.
md5_zeroed() {
	cp media.raw truth.raw
	while [ $# -ge 2 ]; do
		dd if=/dev/zero of=truth.raw bs=32768 seek="$1" count="$2" \
			conv=notrunc 2>/dev/null
		shift 2
	done
	md5sum <truth.raw | cut -d' ' -f1
}
# damage_is WHAT "FIRST_CHUNK:CHUNKS:FIRST_LBA:SECTORS ...": the JSON
# damage list of out.txt, exactly.
damage_is() {
	got=$(jq -r '[.verifications[0].damage[] | "\(.first_chunk):\(.chunks):\(.first_lba):\(.sectors)"] | join(" ")' out.txt)
	[ "$got" = "$2" ] && ok "$1: damage $2" || fail "$1: damage '$got', expected '$2'"
}
md5_is() {
	got=$(jq -r '.verifications[0].computed.md5' out.txt)
	[ "$got" = "$2" ] && ok "$1: MD5 of the media with exactly the lost chunks zeroed" ||
		fail "$1: MD5 $got, expected $2"
}

expect_exit 0 "the intact set verifies" -- "$FORAGE" verify --progress none X.E01

# X.E03 cut in the middle of its 'sectors' section: its 42 chunks (84-125,
# LBA 5376-8063) are lost, X.E04-X.E08 are read in place.
truncate -s $((1141 + 76 + 20 * 32772 + 100)) X.E03
expect_exit 2 "X.E03 cut in its sectors" -- "$FORAGE" verify --json --progress none X.E01
damage_is "X.E03 cut in its sectors" "84:42:5376:2688"
[ "$(jq -r '.verifications[0].damage[0] | "\(.kind) \(.file) \(.zero_filled)"' out.txt)" = "unreadable X.E03 true" ] &&
	ok "lost chunks: unreadable, in X.E03, zeros hashed" || fail "lost chunks: $(jq -c '.verifications[0].damage[0]' out.txt)"
md5_is "X.E03 cut in its sectors" "$(md5_zeroed 84 42)"
expect_exit 2 "X.E03 cut in its sectors, text" -- "$FORAGE" verify --progress none X.E01
expect_in out.txt "^  chunks 84-125 \(LBA 5376-8063, media bytes 2752512-4128767\) in X.E03: unreadable: X.E03 is truncated at offset 656757, after its 'sectors' section at offset 1141: the chunk table that lists this chunk is lost; zeros hashed in its place$" \
	"the lost chunks named with their segment file and where it is cut"
restore

# X.E03 cut inside its 'table' section: the same chunks lost.
truncate -s $((1377641 + 76 + 24 + 40)) X.E03
expect_exit 2 "X.E03 cut in its table" -- "$FORAGE" verify --json --progress none X.E01
damage_is "X.E03 cut in its table" "84:42:5376:2688"
md5_is "X.E03 cut in its table" "$(md5_zeroed 84 42)"
restore

# The first and the last segment cut.
truncate -s $((1821 + 76 + 5 * 32772)) X.E01
expect_exit 2 "X.E01 cut in its sectors" -- "$FORAGE" verify --json --progress none X.E01
damage_is "X.E01 cut in its sectors" "0:42:0:2688"
md5_is "X.E01 cut in its sectors" "$(md5_zeroed 0 42)"
restore
truncate -s $((1141 + 76 + 3 * 32772)) X.E08
expect_exit 2 "X.E08 cut in its sectors" -- "$FORAGE" verify --json --progress none X.E01
damage_is "X.E08 cut in its sectors" "294:26:18816:1664"
md5_is "X.E08 cut in its sectors" "$(md5_zeroed 294 26)"
restore

# X.E03 and X.E05 cut: X.E04's chunks are whole, but where they lie in
# the media cannot be known (how many chunks X.E03 held is lost); X.E06
# and after are placed from the end of the set.  Chunks 84-209 cannot be
# read in place, and the damage says where they lie and that no more is
# known.
truncate -s 700000 X.E03
truncate -s 900000 X.E05
expect_exit 2 "X.E03 and X.E05 cut" -- "$FORAGE" verify --json --progress none X.E01
damage_is "X.E03 and X.E05 cut" "84:126:5376:8064"
md5_is "X.E03 and X.E05 cut" "$(md5_zeroed 84 126)"
jq -r '.verifications[0].damage[0].detail' out.txt |
	grep -q "^it lies in one of X.E03 to X.E05, whose chunk tables are lost: where in them cannot be known$" &&
	ok "unknown places said to be unknown" || fail "detail: $(jq -r '.verifications[0].damage[0].detail' out.txt)"
jq -r '.verifications[0].problems[]' out.txt |
	grep -q "^X.E04: its chunk tables list 42 chunks, but where they lie in the media cannot be known" &&
	ok "X.E04's chunks: their place unknown, a problem" || fail "no problem for X.E04"
restore

done_testing
