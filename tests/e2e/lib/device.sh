# device.sh - loop-device helpers for the block-device tests; sourced after
# common.sh.  Every device attached here is made writable again, its
# partitions deleted, and detached at exit (forage's guard leaves the
# kernel read-only flag on the node, and the flag outlives the detach).

# Skip unless real loop devices can be made here.
need_loop() {
	need_root
	need_cmd losetup blockdev
	[ -e /dev/loop-control ] || skip "no /dev/loop-control (loop module not loaded)"
	truncate -s 1M "$T/.probe.img"
	probe=$(losetup -f --show "$T/.probe.img" 2>/dev/null) ||
		skip "cannot attach a loop device here (losetup -f failed)"
	losetup -d "$probe"
	rm -f "$T/.probe.img"
}

# attach_loop VAR FILE [losetup options]: attach FILE, writable, and put
# the device node in VAR.
attach_loop() {
	_var=$1; _file=$2; shift 2
	_dev=$(losetup -f --show "$@" "$_file") || {
		fail "losetup -f --show $* $_file"; done_testing; }
	# Partitions added with partx outlive the detach unless deleted.
	at_exit "blockdev --setrw $_dev 2>/dev/null; partx -d $_dev 2>/dev/null; losetup -d $_dev 2>/dev/null"
	blockdev --setrw "$_dev"
	eval "$_var=\$_dev"
}

# scan_partitions DEV: make sure the partition nodes DEVp1... exist (this
# kernel may not scan partition tables itself: partx asks it to).
scan_partitions() {
	[ -b "${1}p1" ] || partx -a "$1" 2>/dev/null
	wait_until 2 test -b "${1}p1" || { fail "no partition nodes for $1"; done_testing; }
}

# setrw DEV...: clear the kernel read-only flag (the guard leaves it on).
setrw() { for _d in "$@"; do blockdev --setrw "$_d"; done; }

# do_mount DEV DIR [mount options]: mount, unmounted at exit.
do_mount() {
	_d=$1; _m=$2; shift 2
	mkdir -p "$_m"
	mount "$@" "$_d" "$_m" || { fail "mount $* $_d $_m"; done_testing; }
	at_exit "umount $_m 2>/dev/null"
}

# getro DEV: the kernel read-only flag (0 or 1).
getro() { blockdev --getro "$1"; }

# hold_excl DEV: hold DEV the way a program that claims it does (open
# O_RDONLY|O_EXCL) until released; sets HOLD_PID.  perl-base is always
# there on Debian.
hold_excl() {
	rm -f "$T/.held"
	perl -MFcntl -e 'sysopen(my $fh, $ARGV[0], O_RDONLY | O_EXCL) or
		die "hold_excl: $ARGV[0]: $!\n"; open(my $r, ">", $ARGV[1]);
		close($r); sleep 60;' "$1" "$T/.held" &
	HOLD_PID=$!
	at_exit "kill $HOLD_PID 2>/dev/null"
	wait_until 5 test -e "$T/.held" || { fail "could not hold $1 exclusively"; done_testing; }
}

# release_excl: stop what hold_excl started.
release_excl() { kill "$HOLD_PID" 2>/dev/null; wait "$HOLD_PID" 2>/dev/null; }
