#!/bin/sh
# Free space is checked before the first read (issue 21): a raw image
# needs the source's size on its file system, for each copy written there,
# plus the reserve for the final record and the case database; a
# destination too small is refused before anything is created.  A run that
# fits leaves no reserve behind.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_root
need_cmd mount umount

mkdir small
mount -t tmpfs -o size=14m forage-test-small small || skip "cannot mount a tmpfs"
at_exit "umount $T/small"
make_data src.bin 8388608

# Two raw copies of 8 MiB on 14 MiB: refused, nothing written.
expect_exit 2 "two raw copies do not fit" -- "$FORAGE" acquire src.bin --format raw \
	-o small/HD1 --second-output small/HD2 --progress none
expect_in err.txt "^forage acquire: small: destination too small: [0-9]+ bytes free, 20972032 needed \(the images written there and a reserve of 4194816 for the record and the case database\); nothing was read or written$" \
	"the message says how much is free and needed"
last_line err.txt | grep -q "^FAILURE: small: destination too small" && ok "FAILURE line" ||
	fail "last line: $(last_line err.txt)"
[ -z "$(ls -A small)" ] && ok "nothing created" || fail "left: $(ls -A small)"

# One copy fits: success, and the reserve is gone.
expect_exit 0 "one raw copy fits" -- "$FORAGE" acquire src.bin --format raw \
	-o small/HD1 --progress none
cmp -s src.bin small/HD1.raw && ok "image identical" || fail "image differs"
[ -z "$(ls -A small | grep reserve)" ] && ok "no reserve left" || fail "left: $(ls -A small)"
[ "$(json_get small/HD1.json .result.status)" = success ] || fail "record status"

# A second copy on another file system counts there, not here.
rm -f small/HD1.*
mkdir other
mount -t tmpfs -o size=6m forage-test-other other || skip "cannot mount a second tmpfs"
at_exit "umount $T/other"
expect_exit 2 "the second copy's file system is too small" -- "$FORAGE" acquire src.bin \
	--format raw -o small/HD3 --second-output other/HD3 --progress none
expect_in err.txt "^forage acquire: other: destination too small: [0-9]+ bytes free, 12583424 needed \(the image and" \
	"names the second copy's folder"
[ ! -e small/HD3.json ] && [ -z "$(ls -A other)" ] && ok "nothing created" ||
	fail "left: $(ls -A small other)"
done_testing
