#!/bin/sh
# Weak sectors on a real failing drive (FUSE + loop): sectors that read on
# the 2nd or 3rd try are acquired correctly, not filled, with --retries 3;
# with --retries 1 only the one that reads on the 2nd try is; with
# --retries 0 both are filled and listed.  On 512- and 4096-byte sectors.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
need_cmd jq md5sum sha256sum cmp dd awk
faultdev_need

make_data src.img 2097152

# 512: LBA 100 reads on the 2nd try alone, LBA 3000 on the 3rd.
fd_case weak-r3 src.img 512 64K 3 0 "--weak 100:1,3000:2"
fd_check_reads weak-r3 512 2 100
fd_check_reads weak-r3 512 3 3000
[ "$(json_get weak-r3/HD1.json .reading.retries)" = 3 ] &&
	ok "weak-r3: 3 retries spent (1 + 2)" ||
	fail "weak-r3: retries $(json_get weak-r3/HD1.json .reading.retries)"
fd_case weak-r1 src.img 512 64K 1 0 "--weak 100:1,3000:2" 3000
fd_case weak-r0 src.img 512 64K 0 0 "--weak 100:1,3000:2" 100 3000
fd_check_reads weak-r0 512 1 100 3000

# A weak sector next to a bad one: the bad one is filled, the weak one read.
fd_case weak-bad src.img 512 64K 3 0 "--bad 2000 --weak 2001:2" 2000

# 4096-byte sectors: LBA 10 on the 2nd try, LBA 300 on the 3rd.
fd_case weak4k-r3 src.img 4096 64K 3 0 "--weak 10:1,300:2"
fd_check_reads weak4k-r3 4096 2 10
fd_check_reads weak4k-r3 4096 3 300
fd_case weak4k-r0 src.img 4096 64K 0 0 "--weak 10:1,300:2" 10 300
done_testing
