#!/bin/sh
# A real failing drive with 4096-byte logical sectors (4Kn: FUSE + loop
# --sector-size 4096, direct I/O) acquired as raw: bad sectors at LBA 0,
# in the middle of a block, at both ends of a block, at the last LBA, runs
# (one across a block boundary), scattered singles; --fill 0xHH.  The
# error granularity is one 4096-byte sector: the image is the source with
# exactly those sectors filled, the list is in 4096-byte LBAs, the hashes
# are those of the expected image, exit 3.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
need_cmd jq md5sum sha256sum cmp dd awk
faultdev_need

# 8 MiB, 2048 sectors of 4096 bytes; 64 KiB blocks are 16 sectors.
make_data src.img 8388608

fd_case 4k-middle src.img 4096 1M 2 0 "--bad 1000" 1000
fd_check_reads 4k-middle 4096 3 1000
[ "$(json_get 4k-middle/HD1.json .source.logical_sector_size)" = 4096 ] &&
	ok "4k-middle: 4096-byte sectors recorded" || fail "4k-middle: sector size"
fd_case 4k-ends src.img 4096 64K 3 0 "--bad 0,16,31,2047" 0 16 31 2047
fd_check_reads 4k-ends 4096 4 0 16 31 2047
fd_check_reads 4k-ends 4096 1 1 17 30 2046
fd_case 4k-runs src.img 4096 64K 1 255 "--bad 500-503,1020-1030,1500,1777" \
	500+4 1020+11 1500 1777
fd_check_reads 4k-runs 4096 2 500+4 1020+11 1500 1777
done_testing
