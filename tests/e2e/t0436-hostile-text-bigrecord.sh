#!/bin/sh
# Memory a file can demand: a record larger than a record can be (64 MiB)
# is not read, whether it lies beside the evidence or is given directly,
# and the message names it, its size and the cap; exit 2.  One is a valid
# record padded with a 70 MiB string (read whole before, some 200 MB of
# memory), one a 400 MB sparse file (truncate).  Peak memory is checked
# with /usr/bin/time where it is installed.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq truncate head tr

make_data src.raw 65536
expect_exit 0 "acquire" -- "$FORAGE" acquire --progress none --format raw src.raw -o ev
[ -f ev.json ] || fail "acquire wrote no record"
cp ev.json keep.json

# A valid record, padded past the cap with one long string.
{
	head -c $(($(wc -c <keep.json) - 2)) keep.json
	printf ',\n  "pad": "'
	head -c $((70 * 1024 * 1024)) /dev/zero | tr '\0' a
	printf '"\n}\n'
} >ev.json
size=$(wc -c <ev.json)
jq -e .record_format ev.json >/dev/null && ok "the padded record is valid JSON" ||
	fail "the padded record is not JSON"

rss() { # WHAT: peak RSS (KiB) of the last run, from time.txt
	if [ -s time.txt ]; then
		kb=$(tail -n 1 time.txt)
		[ "$kb" -lt 122880 ] && ok "$1: peak memory $kb KiB, under 120 MiB" ||
			fail "$1: peak memory $kb KiB"
	fi
}
T_CMD=
[ -x /usr/bin/time ] && T_CMD="/usr/bin/time -o time.txt -f %M"

rm -f time.txt
expect_exit 2 "verify beside a 70 MiB record" -- $T_CMD "$FORAGE" verify --progress none ev.raw
expect_in err.txt "^FAILURE: ev.json: $size bytes, more than a record can be \(64 MiB\); not read$" \
	"beside the evidence: the record named with its size and the cap"
rss "beside the evidence"

rm -f time.txt
expect_exit 2 "verify a 70 MiB record given directly" -- $T_CMD "$FORAGE" verify --progress none ev.json
expect_in err.txt "^FAILURE: ev.json: $size bytes, more than a record can be \(64 MiB\); not read$" \
	"given directly: the record named with its size and the cap"
rss "given directly"

# 400 MB of nothing.
rm ev.json
truncate -s 400000000 ev.json
expect_exit 2 "verify beside a 400 MB record" -- "$FORAGE" verify --progress none ev.raw
expect_in err.txt "^FAILURE: ev.json: 400000000 bytes, more than a record can be \(64 MiB\); not read$" \
	"400 MB: named with its size and the cap"
rm ev.json

done_testing
