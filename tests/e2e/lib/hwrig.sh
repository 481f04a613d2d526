# hwrig.sh - the hardware-in-the-loop tests (t07NN-hw-*.sh; sourced after
# common.sh): a Debian kernel under QEMU with emulated drives, through
# tests/hw/rig.sh (tests/hw/README).
#
#   hw_need
#       SKIP unless the rig can run here (rig.sh need), and in a sanitizer
#       build or inside make distcheck: a guest boot costs half a minute of
#       CI, so CI boots each scenario once, in the plain suite
#       (scripts/test-all.sh sets FG_DISTCHECK in distcheck).
#   hw_boot SECONDS [QEMU-ARGS...]
#       build initrd.gz from $FORAGE, boot it once with ./scenario.sh and
#       the drives in QEMU-ARGS, the guest's outputs in ./guest.  0 when
#       the guest brought them back; otherwise a failure is counted, the
#       console's end shown, and the test ends (done_testing).  SECONDS
#       only bounds a hung guest; the verdict never depends on timing.
#   hw_start SECONDS [QEMU-ARGS...] / hw_wait
#       the same in two halves: hw_start boots in the background (HW_PID),
#       hw_wait waits for the guest to power off and checks as above.
#   hw_monitor COMMAND
#       send COMMAND (device_del ID ...) to QEMU's monitor; needs
#       RIG_MONITOR=PATH exported before hw_start (hw_monitor_open).
#   hw_monitor_open
#       export RIG_MONITOR=$T/monitor, make its FIFOs, and keep what QEMU
#       answers in monitor.log.
#   hw_raw_page JSON KEY FILE
#       the raw page at KEY of the record JSON (source.raw_pages.NAME,
#       health.before.raw_pages.NAME) decoded from base64 into FILE; ok
#       when its length and SHA-256 (sha256sum, on the host) are the ones
#       the record gives, else a failure.  0 when ok.
#   hw_sources FILE...
#       note the SHA-256 of each disk image the guest is given (before the
#       boot), for hw_sources_unchanged.
#   hw_sources_unchanged
#       after the boot: every image noted still has the same SHA-256 (the
#       source is never written); one check naming the files and digests.
# A scenario script also runs under scripts/validate.sh (make validate),
# which reads its "# validate: REQ EXPECTED" header lines (tests/hw/README).
RIG=$FG_SRCDIR/tests/hw/rig.sh

hw_need() {
	[ -z "${FG_SANITIZERS:-}" ] || [ "$FG_SANITIZERS" = no ] ||
		skip "hardware rig: run in the suite without sanitizers"
	[ -z "${FG_DISTCHECK:-}" ] ||
		skip "hardware rig: run in the suite, not again in make distcheck"
	sh "$RIG" need 2>need.txt || {
		hn_rc=$?
		[ "$hn_rc" -eq 77 ] && skip "hardware rig: $(cat need.txt)"
		cat need.txt >&2
		exit 99
	}
}

hw_boot() {
	hw_start "$@"
	hw_wait
}

hw_start() {
	hb_secs=$1
	shift
	sh "$RIG" initramfs "$FORAGE" initrd.gz || {
		fail "building the initramfs"
		done_testing
	}
	ok "initramfs built ($(wc -c <initrd.gz) bytes)"
	hb_start=$(date +%s)
	mkdir -p guest
	sh "$RIG" boot initrd.gz scenario.sh guest "$hb_secs" "$@" &
	HW_PID=$!
}

hw_wait() {
	wait "$HW_PID"
	hb_rc=$?
	echo "note: guest boot to poweroff took $(($(date +%s) - hb_start)) s"
	if [ "$hb_rc" -ne 0 ]; then
		fail "the guest did not bring its outputs back (rig exit $hb_rc)"
		tail -n 40 guest/console.log >&2
		done_testing
	fi
	cat guest/scenario.out
	return 0
}

hw_monitor_open() {
	RIG_MONITOR=$T/monitor
	export RIG_MONITOR
	mkfifo "$RIG_MONITOR.in" "$RIG_MONITOR.out" || {
		fail "mkfifo $RIG_MONITOR.in/.out"
		done_testing
	}
	# QEMU opens both FIFOs read-write: what it answers is drained here,
	# and the reader ends with the test.
	cat "$RIG_MONITOR.out" >monitor.log &
	at_exit "kill $! 2>/dev/null"
}

hw_monitor() {
	printf '%s\n' "$1" >"$RIG_MONITOR.in"
}

hw_sources() {
	sha256sum "$@" >sources.sha256 || { fail "sha256sum $*"; done_testing; }
}

hw_sources_unchanged() {
	if sha256sum --quiet -c sources.sha256 >sources.check 2>&1; then
		ok "the source images were not changed: sha256 before and after: $(awk '{ printf "%s%s %s", n++ ? ", " : "", $2, $1 }' sources.sha256)"
	else
		fail "a source image changed under the guest: $(tr '\n' ' ' <sources.check)"
	fi
}

hw_raw_page() {
	hr_b64=$(jq -r "$2.base64 // empty" "$1")
	if [ -z "$hr_b64" ]; then
		fail "$2: not in $1"
		return 1
	fi
	printf '%s' "$hr_b64" | base64 -d >"$3" || {
		fail "$2: not base64"
		return 1
	}
	hr_len=$(wc -c <"$3" | tr -d ' ')
	hr_sha=$(sha256sum <"$3" | cut -d' ' -f1)
	if [ "$hr_len" = "$(jq -r "$2.bytes" "$1")" ] &&
		[ "$hr_sha" = "$(jq -r "$2.sha256" "$1")" ]; then
		ok "$2: $hr_len bytes, SHA-256 as recorded ($hr_sha)"
		return 0
	fi
	fail "$2: $hr_len bytes, SHA-256 $hr_sha; the record: $(jq -c "[$2.bytes, $2.sha256]" "$1")"
	return 1
}
