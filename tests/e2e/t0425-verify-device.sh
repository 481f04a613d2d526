#!/bin/sh
# A block device verifies as raw media (a loop device over an image): the
# hash given with --md5/--sha256 is compared, a wrong one is a MISMATCH.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_root
need_cmd losetup md5sum sha256sum
make_data disk.img $((4 * 1024 * 1024 + 512))
md5=$(md5sum <disk.img | cut -d' ' -f1)
sha=$(sha256sum <disk.img | cut -d' ' -f1)
dev=$(losetup -f --show -r disk.img) || skip "no loop device could be attached"
at_exit "losetup -d $dev"
expect_exit 0 "verify $dev" -- "$FORAGE" verify --progress none --md5 "$md5" --sha256 "$sha" "$dev"
expect_in out.txt "^content:   block device$" "recognised as a block device"
expect_in out.txt "^media:     4194816 bytes, 8193 sectors of 512 bytes$" "its whole size read"
expect_exit 1 "a wrong --sha256" -- "$FORAGE" verify --progress none --sha256 "$(echo "$sha" | tr 0-9a-f 1-9a-f0)" "$dev"
expect_in out.txt "^  sha256 of media: MISMATCH$" "MISMATCH printed"
done_testing
