# faultdev.sh - a real failing block device for the end-to-end tests
# (sourced after common.sh).  An image is served by tests/tools/faultyfs through
# FUSE with read errors where the test wants them, and attached as a loop
# device with direct I/O (without it one bad 512-byte sector would fail its
# whole 4 KiB page), so forage reads a block device that fails exactly there.
#
#   faultdev_need
#       SKIP (exit 77) with the reason unless root, /dev/fuse, fusermount3,
#       losetup and the faultyfs tool are there.
#   faultdev_start IMAGE SECTOR_SIZE [faultyfs options...]
#       serve IMAGE with SECTOR_SIZE-byte sectors (512 or 4096) and attach it;
#       sets FAULTDEV (/dev/loopN), FAULTMNT, FAULTPID.  Options (see
#       `faultyfs --help`): --bad LBA,FIRST-LAST  --weak LBA:K  --map FILE
#       --delay-ms N  --bad-delay-ms N  --log FILE.  Torn down at exit.
#   faultfs_mount IMAGE SECTOR_SIZE [faultyfs options...]
#       serve IMAGE as $FAULTMNT/disk only, with no loop device (a file of
#       any size, such as an E01 segment); sets FAULTMNT, FAULTPID.
#   faultdev_stop
#       detach and unmount every device started so far (also run at exit).
#   fd_expected SOURCE OUT SECTOR_SIZE FILL_BYTE [LBA[+COUNT]...]
#       build the image forage should produce: SOURCE with exactly those
#       sectors filled with FILL_BYTE (0..255), with dd, not forage.
#   fd_ranges_json [LBA[+COUNT]...]
#       the same list as forage's record writes it: [[lba,count],...]
#   fd_map_blocks MAPFILE
#       the data blocks of a ddrescue mapfile, one "POS SIZE STATUS" a line,
#       numbers in decimal.
#   fd_expected_blocks SIZE SECTOR_SIZE [LBA[+COUNT]...]
#       the blocks a finished mapfile must have for that bad list.
#
# E01 tests (branch ewf) use it the same way:
#   . "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"; faultdev_need
#   faultdev_start img 512 --bad 100,2048-2050
#   "$FORAGE" acquire "$FAULTDEV" -o out/HD1 --format e01 ...
: "${FG_BUILDDIR:=$(pwd)}"
# A test killed by a signal still detaches and unmounts (the EXIT trap of
# common.sh runs on exit, and a signal now exits).
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
FAULTYFS=${FAULTYFS:-$FG_BUILDDIR/tests/tools/faultyfs}
fg_fault_list=""
fg_fault_n=0

faultdev_need() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (FUSE mount, loop devices)"
	[ -c /dev/fuse ] || skip "needs /dev/fuse (FUSE)"
	[ -e /dev/loop-control ] || skip "needs loop devices (/dev/loop-control)"
	need_cmd fusermount3 losetup blockdev mountpoint
	[ -x "$FAULTYFS" ] ||
		skip "needs tests/tools/faultyfs (built by make check when libfuse3-dev is installed)"
}

faultfs_mount() {
	fd_img=$1 fd_ss=$2
	shift 2
	fg_fault_n=$((fg_fault_n + 1))
	FAULTMNT=$T/faultmnt$fg_fault_n
	mkdir "$FAULTMNT" || return 1
	"$FAULTYFS" --sector-size "$fd_ss" "$@" "$fd_img" "$FAULTMNT" \
		2>"$T/faultyfs$fg_fault_n.err" &
	FAULTPID=$!
	if [ -z "$fg_fault_list" ]; then at_exit faultdev_stop; fi
	fg_fault_list="$fg_fault_list none:$FAULTMNT:$FAULTPID"
	fd_i=0
	while ! mountpoint -q "$FAULTMNT" || [ ! -e "$FAULTMNT/disk" ]; do
		fd_i=$((fd_i + 1))
		if [ "$fd_i" -gt 200 ] || ! kill -0 "$FAULTPID" 2>/dev/null; then
			sed 's/^/  | /' "$T/faultyfs$fg_fault_n.err" >&2
			fail "faultyfs did not mount $FAULTMNT"
			return 1
		fi
		sleep 0.05
	done
	return 0
}

faultdev_start() {
	faultfs_mount "$@" || return 1
	FAULTDEV=$(losetup -f --show -r --direct-io=on --sector-size "$fd_ss" \
		"$FAULTMNT/disk") || { fail "losetup of $FAULTMNT/disk"; return 1; }
	fg_fault_list=$(echo "$fg_fault_list" | sed "s#none:$FAULTMNT:#$FAULTDEV:$FAULTMNT:#")
	if [ "$(losetup -n -O DIO -l "$FAULTDEV" | tr -d ' ')" != 1 ]; then
		fail "$FAULTDEV: direct I/O is not on; the device would fail whole pages"
		return 1
	fi
	if [ "$(blockdev --getss "$FAULTDEV")" != "$fd_ss" ]; then
		fail "$FAULTDEV: sector size $(blockdev --getss "$FAULTDEV"), want $fd_ss"
		return 1
	fi
	if [ "$(blockdev --getsize64 "$FAULTDEV")" != "$(stat -c %s "$fd_img")" ]; then
		fail "$FAULTDEV: $(blockdev --getsize64 "$FAULTDEV") bytes, want $(stat -c %s "$fd_img")"
		return 1
	fi
	return 0
}

# faultdev_intact: the loop device still serves our FUSE file (tests on
# this machine share the loop devices; say so if another one took ours).
faultdev_intact() {
	if [ "$(losetup -n -O BACK-FILE -l "$FAULTDEV" 2>/dev/null | sed 's/ *$//')" != "$FAULTMNT/disk" ]; then
		fail "$FAULTDEV no longer serves $FAULTMNT/disk: detached or taken over by another program during the test"
		return 1
	fi
	return 0
}

faultdev_stop() {
	for fd_e in $fg_fault_list; do
		fd_dev=${fd_e%%:*}
		fd_rest=${fd_e#*:}
		fd_mnt=${fd_rest%%:*}
		fd_pid=${fd_rest#*:}
		[ "$fd_dev" = none ] || losetup -d "$fd_dev" 2>/dev/null
		# The loop device lets go of the file asynchronously.
		fd_i=0
		while mountpoint -q "$fd_mnt" && ! fusermount3 -u "$fd_mnt" 2>/dev/null; do
			fd_i=$((fd_i + 1))
			if [ "$fd_i" -gt 50 ]; then
				fusermount3 -uz "$fd_mnt" 2>/dev/null
				break
			fi
			sleep 0.1
		done
		fd_i=0
		while kill -0 "$fd_pid" 2>/dev/null; do
			fd_i=$((fd_i + 1))
			[ "$fd_i" -eq 50 ] && kill "$fd_pid" 2>/dev/null
			[ "$fd_i" -gt 100 ] && break
			sleep 0.1
		done
	done
	fg_fault_list=""
}

# fd_fill_bytes N BYTE: N bytes of value BYTE on stdout
fd_fill_bytes() {
	head -c "$1" /dev/zero | tr '\000' "\\$(printf '%03o' "$2")"
}

fd_expected() {
	fd_src=$1 fd_out=$2 fd_ss=$3 fd_fill=$4
	shift 4
	cp "$fd_src" "$fd_out" || return 1
	chmod u+w "$fd_out"
	for fd_r in "$@"; do
		fd_lba=${fd_r%%+*}
		fd_cnt=1
		case $fd_r in *+*) fd_cnt=${fd_r#*+} ;; esac
		fd_fill_bytes $((fd_cnt * fd_ss)) "$fd_fill" |
			dd of="$fd_out" bs="$fd_ss" seek="$fd_lba" conv=notrunc status=none ||
			return 1
	done
	# A bad last sector of an odd-sized source is filled only up to the end.
	truncate -s "$(stat -c %s "$fd_src")" "$fd_out"
}

fd_ranges_json() {
	fd_j=""
	for fd_r in "$@"; do
		fd_lba=${fd_r%%+*}
		fd_cnt=1
		case $fd_r in *+*) fd_cnt=${fd_r#*+} ;; esac
		fd_j="$fd_j${fd_j:+,}[$fd_lba,$fd_cnt]"
	done
	echo "[$fd_j]"
}

fd_map_blocks() {
	# Skip comments and the status line; print blocks in decimal.
	sed 's/#.*//' "$1" | awk 'NF > 0 { if (!seen) { seen = 1; next } print }' |
		while read -r fd_p fd_s fd_st; do
			printf '%d %d %s\n' "$fd_p" "$fd_s" "$fd_st"
		done
}

fd_expected_blocks() {
	fd_size=$1 fd_ss=$2
	shift 2
	fd_pos=0
	for fd_r in "$@"; do
		fd_lba=${fd_r%%+*}
		fd_cnt=1
		case $fd_r in *+*) fd_cnt=${fd_r#*+} ;; esac
		fd_b=$((fd_lba * fd_ss))
		fd_e=$(((fd_lba + fd_cnt) * fd_ss))
		[ "$fd_e" -gt "$fd_size" ] && fd_e=$fd_size
		[ "$fd_b" -gt "$fd_pos" ] && echo "$fd_pos $((fd_b - fd_pos)) +"
		echo "$fd_b $((fd_e - fd_b)) -"
		fd_pos=$fd_e
	done
	[ "$fd_pos" -lt "$fd_size" ] && echo "$fd_pos $((fd_size - fd_pos)) +"
	return 0
}

# fd_check_run NAME OUTDIR SOURCE SECTOR_SIZE FILL_BYTE [LBA[+COUNT]...]
#   After `forage acquire ... -o OUTDIR/HD1 --format raw --mapfile
#   OUTDIR/HD1.map` (exit status in $fd_rc, stderr in err.txt): the exit
#   status and last line, the image (against fd_expected), the media hashes
#   (against md5sum/sha256sum of the expected image), the checksum files,
#   the bad list, the filled count, the finished mapfile, no leftovers.
fd_check_run() {
	fc_name=$1 fc_dir=$2 fc_src=$3 fc_ss=$4 fc_fill=$5
	shift 5
	if [ $# -gt 0 ]; then fc_want=3 fc_line="COMPLETED WITH ERRORS"; else
		fc_want=0 fc_line=SUCCESS; fi
	[ "$fd_rc" -eq "$fc_want" ] && ok "$fc_name: exit $fc_want" ||
		{ fail "$fc_name: exit $fd_rc, want $fc_want"; sed 's/^/  | /' err.txt >&2; }
	[ "$(last_line err.txt)" = "$fc_line" ] && ok "$fc_name: $fc_line" ||
		fail "$fc_name: last line '$(last_line err.txt)'"
	fd_expected "$fc_src" "$fc_dir.expected" "$fc_ss" "$fc_fill" "$@"
	if [ $# -gt 0 ] && cmp -s "$fc_src" "$fc_dir.expected"; then
		fail "$fc_name: the expected image equals the source: the check would prove nothing"
	fi
	cmp "$fc_dir.expected" "$fc_dir/HD1.raw" &&
		ok "$fc_name: image = source with exactly those sectors filled" ||
		fail "$fc_name: image differs from the expected image"
	fc_j=$fc_dir/HD1.json
	[ "$(json_get "$fc_j" .hashes.md5)" = "$(md5sum <"$fc_dir.expected" | cut -d' ' -f1)" ] &&
		[ "$(json_get "$fc_j" .hashes.sha256)" = "$(sha256sum <"$fc_dir.expected" | cut -d' ' -f1)" ] &&
		ok "$fc_name: md5/sha256 = md5sum/sha256sum of the expected image" ||
		fail "$fc_name: media hashes"
	(cd "$fc_dir" && sha256sum --strict -c HD1.sha256 && md5sum --strict -c HD1.md5) >/dev/null &&
		ok "$fc_name: sha256sum -c / md5sum -c" || fail "$fc_name: checksum files"
	[ "$(jq -c '[.bad_ranges[]? | [.first_lba, .count]]' "$fc_j")" = "$(fd_ranges_json "$@")" ] &&
		ok "$fc_name: bad list exact: $(fd_ranges_json "$@")" ||
		fail "$fc_name: bad list $(jq -c '[.bad_ranges[]? | [.first_lba, .count]]' "$fc_j"), want $(fd_ranges_json "$@")"
	fc_n=0
	for fc_r in "$@"; do
		case $fc_r in *+*) fc_n=$((fc_n + ${fc_r#*+})) ;; *) fc_n=$((fc_n + 1)) ;; esac
	done
	[ "$(json_get "$fc_j" .reading.sectors_filled)" = "$fc_n" ] &&
		ok "$fc_name: $fc_n sectors filled" ||
		fail "$fc_name: sectors_filled $(json_get "$fc_j" .reading.sectors_filled), want $fc_n"
	fd_map_blocks "$fc_dir/HD1.map" >"$fc_dir.blocks"
	fd_expected_blocks "$(stat -c %s "$fc_src")" "$fc_ss" "$@" >"$fc_dir.want-blocks"
	diff -u "$fc_dir.want-blocks" "$fc_dir.blocks" >&2 &&
		ok "$fc_name: mapfile blocks exact" || fail "$fc_name: mapfile blocks"
	grep -qE '^0x[0-9A-F]+ +\+ +1$' "$fc_dir/HD1.map" &&
		ok "$fc_name: mapfile status line: finished" || fail "$fc_name: mapfile status line"
	[ -z "$(ls "$fc_dir" | grep incomplete)" ] && ok "$fc_name: no .incomplete left" ||
		fail "$fc_name: leftovers: $(ls "$fc_dir")"
}

# fd_reads_alone LOG SECTOR_SIZE LBA: how often LBA was read alone
fd_reads_alone() {
	awk -v o=$(($3 * $2)) -v s="$2" '$1 == o && $2 == s' "$1" | wc -l
}

# fd_case NAME IMAGE SECTOR_SIZE BLOCK_SIZE RETRIES FILL_BYTE "FAULTYFS_OPTS" \
#         [LBA[+COUNT]...]
#   Serve IMAGE with the faults in FAULTYFS_OPTS (reads logged in
#   $T/NAME.log), acquire it raw into NAME/HD1 with a mapfile (and the
#   options in $FD_EXTRA), and check the result against the expected bad
#   list (fd_check_run).
fd_case() {
	fk_name=$1 fk_img=$2 fk_ss=$3 fk_bs=$4 fk_retries=$5 fk_fill=$6 fk_opts=$7
	shift 7
	# shellcheck disable=SC2086
	faultdev_start "$fk_img" "$fk_ss" $fk_opts --log "$T/$fk_name.log" || return 1
	mkdir "$fk_name"
	# shellcheck disable=SC2086
	"$FORAGE" acquire "$FAULTDEV" -o "$fk_name/HD1" --format raw ${FD_EXTRA:-} \
		--retries "$fk_retries" --fill "$(printf '0x%02x' "$fk_fill")" \
		--block-size "$fk_bs" --mapfile "$fk_name/HD1.map" --progress none \
		>out.txt 2>err.txt
	fd_rc=$?
	faultdev_intact
	faultdev_stop
	fd_check_run "$fk_name" "$fk_name" "$fk_img" "$fk_ss" "$fk_fill" "$@"
}

# fd_check_reads NAME SECTOR_SIZE TIMES LBA[+COUNT]...
#   every listed sector was read alone exactly TIMES times (from the log).
fd_check_reads() {
	fr_name=$1 fr_ss=$2 fr_times=$3
	shift 3
	fr_wrong=0
	for fr_r in "$@"; do
		fr_lba=${fr_r%%+*} fr_cnt=1
		case $fr_r in *+*) fr_cnt=${fr_r#*+} ;; esac
		fr_i=0
		while [ "$fr_i" -lt "$fr_cnt" ]; do
			fr_n=$(fd_reads_alone "$T/$fr_name.log" "$fr_ss" $((fr_lba + fr_i)))
			if [ "$fr_n" -ne "$fr_times" ]; then
				fail "$fr_name: LBA $((fr_lba + fr_i)) read alone $fr_n times, want $fr_times"
				fr_wrong=1
			fi
			fr_i=$((fr_i + 1))
		done
	done
	[ "$fr_wrong" -eq 0 ] && ok "$fr_name: $* read alone $fr_times times each"
}
