#!/bin/sh
# Issue 21, small slips: -o with the image's extension, --format in capitals,
# a mistyped profile name or profile key.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
export FORAGE_EXAMINER="Jo Smith"
make_data src.bin 65536
mkdir ev

# -o ev/HD1.E01 writes ev/HD1.E01, not ev/HD1.E01.E01; --format E01 works.
expect_exit 0 "-o HD1.E01 --format E01" -- "$FORAGE" acquire src.bin -o ev/HD1.E01 --format E01 \
	--case C1 --progress none
[ -f ev/HD1.E01 ] && [ -f ev/HD1.json ] && [ ! -e ev/HD1.E01.E01 ] && [ ! -e ev/HD1.E01.json ] &&
	ok "outputs named HD1.E01, HD1.json" || fail "outputs: $(ls ev)"
[ "$(json_get ev/HD1.json .parameters.format)" = e01 ] && ok "format recorded as e01" ||
	fail "format: $(json_get ev/HD1.json .parameters.format)"
# The same, lower case, raw, and a second copy.
expect_exit 0 "-o HD2.RAW --format Raw" -- "$FORAGE" acquire src.bin -o ev/HD2.RAW --format Raw \
	--second-output ev/HD2b.raw --case C1 --progress none
cmp -s src.bin ev/HD2.raw && cmp -s src.bin ev/HD2b.raw && [ ! -e ev/HD2.RAW.raw ] &&
	ok "raw images HD2.raw, HD2b.raw" || fail "outputs: $(ls ev)"
# Another format's extension is refused before anything is written.
expect_exit 2 "-o HD3.raw with e01" -- "$FORAGE" acquire src.bin -o ev/HD3.raw --case C1 --progress none
expect_in err.txt "^forage acquire: -o 'ev/HD3.raw': ends in .raw, an extension of --format raw, but the format is e01: give the base name \(forage adds the extension\) or --format raw$" \
	"mismatch explained"
expect_exit 2 "--second-output HD4.E01 with raw" -- "$FORAGE" acquire src.bin -o ev/HD4 --format raw \
	--second-output ev/HD4b.E01 --case C1 --progress none
expect_in err.txt "^forage acquire: --second-output 'ev/HD4b.E01': ends in .E01" "second copy mismatch"
[ -z "$(ls ev | grep -E '^HD[34]')" ] && ok "nothing written for refused runs" || fail "left: $(ls ev)"
expect_exit 2 "--format e02" -- "$FORAGE" acquire src.bin -o ev/HD5 --format e02 --progress none
expect_in err.txt "^forage acquire: --format 'e02': known formats: e01, raw$" "unknown format"

# A mistyped profile: did you mean, and the profiles there are.
expect_exit 2 "mistyped profile" -- "$FORAGE" acquire src.bin -o ev/HD6 --profile e01-cort
expect_in err.txt "^forage acquire: profile 'e01-cort' not found \(looked in .*\); did you mean 'e01-court'\? profiles: default, e01-court, failing-drive, raw-fast, removable-media$" \
	"profile: did you mean, and the list"
expect_exit 2 "unknown profile" -- "$FORAGE" acquire src.bin -o ev/HD6 --profile qqqqqqqqqq
expect_in err.txt "\); profiles: default, e01-court," "no near profile: the list only"
# A mistyped key.
printf 'format = raw\nhashes = md5\n' >typo.profile
expect_exit 2 "mistyped key" -- "$FORAGE" acquire src.bin -o ev/HD6 --profile ./typo.profile
expect_in err.txt "typo.profile:2: unknown key 'hashes'; did you mean 'hash'\?$" "key: did you mean"
printf 'zzzzzzzzzz = 1\n' >far.profile
expect_exit 2 "unknown key" -- "$FORAGE" acquire src.bin -o ev/HD6 --profile ./far.profile
expect_in err.txt "far.profile:1: unknown key 'zzzzzzzzzz'; the keys are the long options of forage acquire --help$" \
	"key: where the keys are"
[ ! -e ev/HD6.json ] && ok "nothing written" || fail "HD6 written"
done_testing
