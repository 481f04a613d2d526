#!/bin/sh
# Interrupt and resume on a real failing drive (FUSE + loop, slowed down):
# SIGINT half way through pass 1, SIGTERM in the middle of the retries.
# Each time forage stops within a read or two, exits 4 with INTERRUPTED,
# records the run as interrupted, leaves the .incomplete image and a
# mapfile that never calls unwritten data finished; --resume then gives
# the same image, hashes, bad list and retry count as an uninterrupted run,
# every bad sector having been read alone exactly 1 + --retries times over
# both runs.  Resuming with the wrong mapfile, options or state is refused
# and changes nothing.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
need_cmd jq md5sum sha256sum cmp dd awk
faultdev_need

make_data src.img 8388608
faults="--bad 100,3000-3002,9000,16383 --weak 5000:2,12000:4"
set -- 100 3000+3 9000 12000 16383 # LBA 12000 needs 5 reads: filled

# The uninterrupted reference.
fd_case ref src.img 512 1M 3 0 "$faults" "$@"
ref_retries=$(json_get ref/HD1.json .reading.retries)

log_lines_at_least() { [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ]; }
single_eio_at_least() { [ "$(awk '$2 == 512 && $3 == "EIO"' "$1" | wc -l)" -ge "$2" ]; }

# Every block the mapfile calls finished holds the source's bytes.
map_truthful() { # NAME MAP IMAGE
	mt_bad=0
	fd_map_blocks "$2" | while read -r p s st; do
		[ "$st" = + ] || continue
		cmp -s -n "$s" -i "$p:$p" "$3" src.img || { echo "$p $s"; }
	done >"$1.lies"
	[ -s "$1.lies" ] && fail "$1: the mapfile calls unwritten data finished: $(cat "$1.lies")" ||
		ok "$1: every finished block in the mapfile is in the image"
}

# run_interrupted NAME SIGNAL PHASE WAIT-COMMAND...: start an acquisition
# on $FAULTDEV, signal it when the wait command succeeds, check the
# interrupted state.
run_interrupted() {
	ri_name=$1 ri_sig=$2 ri_phase=$3
	shift 3
	mkdir "$ri_name"
	"$FORAGE" acquire "$FAULTDEV" -o "$ri_name/HD1" --format raw --retries 3 \
		--mapfile "$ri_name/HD1.map" --progress json >"$ri_name.out" 2>"$ri_name.err" &
	ri_pid=$!
	wait_for "$ri_name: the device to be read that far" "$@"
	ri_before=$(wc -l <"$T/$ri_name.log")
	kill -"$ri_sig" "$ri_pid"
	wait "$ri_pid"
	ri_rc=$?
	ri_after=$(wc -l <"$T/$ri_name.log")
	[ "$ri_rc" -eq 4 ] && ok "$ri_name: SIG$ri_sig: exit 4" ||
		{ fail "$ri_name: SIG$ri_sig: exit $ri_rc, want 4"; sed 's/^/  | /' "$ri_name.err" >&2; }
	[ "$(last_line "$ri_name.err")" = INTERRUPTED ] && ok "$ri_name: INTERRUPTED" ||
		fail "$ri_name: last line '$(last_line "$ri_name.err")'"
	[ $((ri_after - ri_before)) -le 3 ] &&
		ok "$ri_name: stopped within a read ($((ri_after - ri_before)) device reads after the signal)" ||
		fail "$ri_name: $((ri_after - ri_before)) device reads after the signal"
	[ "$(json_get "$ri_name/HD1.json" .result.status)" = interrupted ] &&
		ok "$ri_name: record says interrupted" || fail "$ri_name: record status"
	expect_in "$ri_name/HD1.txt" "^Status: +INTERRUPTED" "$ri_name: text record says interrupted"
	[ -f "$ri_name/HD1.raw.incomplete" ] && [ ! -e "$ri_name/HD1.raw" ] &&
		ok "$ri_name: only the .incomplete image is left" ||
		fail "$ri_name: files $(ls "$ri_name")"
	[ ! -e "$ri_name/HD1.sha256" ] && ok "$ri_name: no checksum files for unfinished evidence" ||
		fail "$ri_name: checksum files written"
	grep -qE "^0x[0-9A-F]+ +[$ri_phase] +[0-9]+\$" "$ri_name/HD1.map" &&
		ok "$ri_name: mapfile status line in phase '$ri_phase'" ||
		fail "$ri_name: mapfile status line $(grep -E '^0x[0-9A-F]+ +[^ ]+ +[0-9]+$' "$ri_name/HD1.map")"
	map_truthful "$ri_name" "$ri_name/HD1.map" "$ri_name/HD1.raw.incomplete"
	[ "$(fd_map_blocks "$ri_name/HD1.map" | grep -c ' +$')" -ge 1 ] &&
		ok "$ri_name: the interrupted mapfile has finished blocks" ||
		fail "$ri_name: no finished block in the interrupted mapfile"
}

# resume_and_compare NAME: --resume, then the same result as ref.
resume_and_compare() {
	rc_name=$1
	shift
	"$FORAGE" acquire "$FAULTDEV" -o "$rc_name/HD1" --format raw --retries 3 \
		--mapfile "$rc_name/HD1.map" --resume --progress none >out.txt 2>err.txt
	fd_rc=$?
	fd_check_run "$rc_name-resumed" "$rc_name" src.img 512 0 "$@"
	cmp ref/HD1.raw "$rc_name/HD1.raw" && ok "$rc_name: image = uninterrupted run's" ||
		fail "$rc_name: image differs from the uninterrupted run's"
	for k in .hashes.md5 .hashes.sha256 '.bad_ranges|tostring' .reading.sectors_filled \
		.reading.sectors_read .reading.bytes; do
		[ "$(json_get "$rc_name/HD1.json" "$k")" = "$(json_get ref/HD1.json "$k")" ] ||
			fail "$rc_name: $k differs from the uninterrupted run's"
	done
	ok "$rc_name: hashes, bad list and totals = uninterrupted run's"
	[ "$(json_get "$rc_name/HD1.json" .reading.retries)" = "$ref_retries" ] &&
		ok "$rc_name: $ref_retries retries over both runs, as uninterrupted" ||
		fail "$rc_name: retries $(json_get "$rc_name/HD1.json" .reading.retries), want $ref_retries"
	[ "$(json_get "$rc_name/HD1.json" '.run.earlier_runs | length')" = 1 ] &&
		json_get "$rc_name/HD1.json" '.run.earlier_runs[0]' | grep -q ', interrupted: ' &&
		ok "$rc_name: the record names the interrupted run it resumed" ||
		fail "$rc_name: run.earlier_runs"
	[ "$(json_get "$rc_name/HD1.json" .parameters.resume)" = true ] &&
		ok "$rc_name: --resume recorded" || fail "$rc_name: parameters.resume"
	# Every bad sector read alone 1 + 3 times over both runs; the weak
	# one that reads on the 3rd try, 3 times.
	fd_check_reads "$rc_name" 512 4 100 3000+3 9000 12000 16383
	fd_check_reads "$rc_name" 512 3 5000
}

# 1. SIGINT in pass 1 (large reads slowed down: 8 MiB in 1 MiB reads,
# each 2 device reads).  Blocks 0, 2 and 4 fail (LBA 100, weak 5000, 9000)
# and pass 1 skips 1, 3 and 5; after 8 device reads block 6 is being read.
# Reads take 120 ms so that a loaded machine (ASan, CI) still signals
# within pass 1: the test polls every 50 ms.
# shellcheck disable=SC2086
faultdev_start src.img 512 $faults --delay-ms 120 --bad-delay-ms 20 --log "$T/p1.log" || exit 1
run_interrupted p1 INT '?' log_lines_at_least "$T/p1.log" 8

# Resuming wrongly is refused and changes nothing.
md5sum p1/* >p1.before
resume_refused() { # DESCRIPTION MESSAGE-REGEX forage-args...
	rf_what=$1 rf_msg=$2
	shift 2
	"$FORAGE" acquire "$@" >out.txt 2>err.txt
	rf_rc=$?
	[ "$rf_rc" -eq 2 ] && ok "resume refused: $rf_what (exit 2)" ||
		{ fail "resume $rf_what: exit $rf_rc, want 2"; sed 's/^/  | /' err.txt >&2; }
	expect_in err.txt "$rf_msg" "resume refused: $rf_what: says why"
	md5sum p1/* | cmp -s - p1.before && ok "resume refused: $rf_what: nothing changed" ||
		fail "resume refused: $rf_what: files changed"
}
resume_refused "no mapfile" "--resume needs --mapfile PATH" \
	"$FAULTDEV" -o p1/HD1 --format raw --retries 3 --resume
mkdir fresh nowhere
resume_refused "existing mapfile without --resume" "p1/HD1.map: exists already" \
	"$FAULTDEV" -o fresh/HD1 --format raw --retries 3 --mapfile p1/HD1.map
resume_refused "other --retries" "cannot resume: --retries differs: 3 in p1/HD1.json, 1 now" \
	"$FAULTDEV" -o p1/HD1 --format raw --retries 1 --mapfile p1/HD1.map --resume
resume_refused "other --fill" "cannot resume: --fill differs" \
	"$FAULTDEV" -o p1/HD1 --format raw --retries 3 --fill 0x11 --mapfile p1/HD1.map --resume
resume_refused "other range" "cannot resume: p1/HD1.map describes 8388608 bytes at offset 0 of the source, this run acquires 4194304" \
	"$FAULTDEV" -o p1/HD1 --format raw --retries 3 --length 4M --mapfile p1/HD1.map --resume
sed '$ s/[-+?*/]$/x/' p1/HD1.map >bad.map # the last block's status
resume_refused "corrupt mapfile" "bad.map:[0-9]+: block status 'x' is not one of" \
	"$FAULTDEV" -o p1/HD1 --format raw --retries 3 --mapfile bad.map --resume
resume_refused "missing record" "cannot resume without the record of the interrupted run: nowhere/HD1.json: No such file" \
	"$FAULTDEV" -o nowhere/HD1 --format raw --retries 3 --mapfile p1/HD1.map --resume
mv p1/HD1.raw.incomplete p1.keep
md5sum p1/* >p1.before
resume_refused "missing image" "p1/HD1.raw.incomplete: cannot resume: No such file" \
	"$FAULTDEV" -o p1/HD1 --format raw --retries 3 --mapfile p1/HD1.map --resume
mv p1.keep p1/HD1.raw.incomplete
md5sum p1/* >p1.before
resume_refused "a finished run" "ref/HD1.json says that run completed with errors; nothing to resume" \
	"$FAULTDEV" -o ref/HD1 --format raw --retries 3 --mapfile ref/HD1.map --resume

resume_and_compare p1 "$@"
faultdev_stop

# 2. SIGTERM during the retries (failing reads slowed down): after the 8
# failing reads alone of the split and 2 more of retry pass 1.
# shellcheck disable=SC2086
faultdev_start src.img 512 $faults --bad-delay-ms 30 --log "$T/r2.log" || exit 1
run_interrupted r2 TERM '-' single_eio_at_least "$T/r2.log" 10
[ "$(json_get r2/HD1.json .reading.retries)" -ge 1 ] && ok "r2: retries so far recorded" ||
	fail "r2: reading.retries in the interrupted record"
resume_and_compare r2 "$@"
faultdev_stop
done_testing
