#!/bin/sh
# Checksum files planted beside the evidence (issue 19, 3 and 6): a FIFO
# named X.md5 or X.sha256 is never opened for a blocking read (exit 2,
# named); a folder likewise; a checksum file of more than 100,000 lines is
# a failed check naming the line; 80,000 lines naming the image are
# checked (each line once: this was quadratic).  Every run is under
# `timeout -s KILL 120`: killed means a failure.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd python3 mkfifo

make_data X.raw 65536
md5=$(md5sum <X.raw | cut -d' ' -f1)

mkfifo X.md5
expect_exit 2 "a FIFO X.md5" -- timeout -s KILL 120 "$FORAGE" verify --progress none X.raw
expect_in err.txt "^FAILURE: X.md5: the checksum file beside the evidence is not a regular file \(a FIFO\)$" "the FIFO named"
rm X.md5
mkfifo X.sha256
expect_exit 2 "a FIFO X.sha256" -- timeout -s KILL 120 "$FORAGE" verify --json --progress none X.raw
expect_in err.txt "^FAILURE: X.sha256: the checksum file beside the evidence is not a regular file \(a FIFO\)$" "the FIFO named (JSON)"
rm X.sha256
mkdir X.md5
expect_exit 2 "a folder X.md5" -- timeout -s KILL 120 "$FORAGE" verify --progress none X.raw
expect_in err.txt "^FAILURE: X.md5: the checksum file beside the evidence is not a regular file \(a directory\)$" "the folder named"
rmdir X.md5

python3 -c "
import sys
open('X.md5', 'w').write('$md5  X.raw\n' * 100001)
"
expect_exit 1 "100,001 lines" -- timeout -s KILL 120 "$FORAGE" verify --progress none X.raw
expect_in out.txt "X.md5, line 100001: more than 100000 checksum lines" "the line past the cap named"

python3 -c "
open('X.md5', 'w').write('$md5  X.raw\n' * 80000)
"
expect_exit 0 "80,000 lines naming the image" -- timeout -s KILL 120 "$FORAGE" verify --json --progress none X.raw
[ "$(jq '[.verifications[0].checks[] | select(.source | test("X.md5, line")) | select(.result == "match")] | length' out.txt)" = 80000 ] &&
	ok "80,000 lines: each a match" || fail "80,000 lines: not each a match"
rm out.txt # 80,000 checks: the schema check of it would take minutes
done_testing
