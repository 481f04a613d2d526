#!/bin/sh
# Hardware in the loop (tests/hw/README): drives pulled out in the middle
# of an acquisition, and a disk behind a UAS bridge.  Debian's kernel
# under QEMU (TCG), one guest boot:
#   uas   a UAS bridge (usb-uas on an xHCI controller, the uas driver)
#         with an 8 MiB SCSI disk behind it (product FG-UAS-DISK, serial
#         FGUAS01): identity from INQUIRY and VPD page 80h is what QEMU was
#         told, and a clean acquisition has the host's digests.  (Removing
#         a UAS device mid-I/O aborts QEMU 7.2 itself: dev-uas.c,
#         "canceled usb packet not found"; it is not removed here.)
#   usb   a 32 MiB usb-storage disk (Bulk-Only Transport, the usb-storage
#         driver), serial FGUSB01, removed mid-acquisition (device_del of
#         the USB device: the cable pulled).
#   nvme  a 32 MiB NVMe controller (serial FGNVME02), removed
#         mid-acquisition (device_del: a PCI hot-unplug through ACPI).
# Reads of the two removed drives are throttled to 4 MiB/s so that an
# acquisition lasts long enough to be interrupted.  forage runs with JSON
# progress; once it has reported bytes read, the guest says so on the
# serial console, and the host, watching the console, removes that drive
# with QEMU's monitor.  The synchronisation is that message, not a sleep.
# On the host, for each removed drive: exit 2, FAILURE, the record and the
# case database say failed, at which offset and why; no file that could
# pass for complete evidence is left (no HD1.raw, no checksum files, no
# digests in the record); what was read is in HD1.raw.incomplete and is
# the drive's own bytes; the mapfile is finished up to that offset (or up
# to where the message says nothing more was acquired, when the drive's
# last reads failed before it went) and nowhere else.
# validate: R2 the UAS disk's image has the host's digests
# validate: R7 the removed drives' mapfiles are finished up to where the drive went, the case database says failed and why
# validate: R8 a pulled USB disk and a hot-unplugged NVMe drive: exit 2, FAILURE with where and why, no HD1.raw, no digests
# validate: R9 the drives' images have the same SHA-256 after the boot
# validate: R10 UAS and usb-storage disks: INQUIRY product and VPD 80h serial as QEMU was told
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
. "$FG_SRCDIR/tests/e2e/lib/hwrig.sh"
hw_need
need_cmd jq mkfifo cmp sqlite3

SIZE=33554432
make_data usb.img $SIZE
make_data nvme.img $SIZE
make_data uas.img 8388608
hw_sources usb.img nvme.img uas.img

cat >scenario.sh <<'SCEN'
# pulled NAME DEV: acquire DEV into /out/NAME and say on the console once
# forage has read something.
pulled() {
	echo "$1: source $2"
	mkdir "/out/$1"
	forage acquire "$2" -o "/out/$1/HD1" --format raw \
		--mapfile "/out/$1/HD1.map" --progress json 2>"/out/$1.err" &
	pid=$!
	said=0
	while kill -0 "$pid" 2>/dev/null; do
		if grep -q '"done":[1-9]' "/out/$1.err"; then
			echo "rig: $1 acquisition in progress" >/dev/console
			said=1
			break
		fi
		sleep 0.1
	done
	wait "$pid"
	echo $? >"/out/$1.rc"
	echo "$1: forage exit $(cat "/out/$1.rc"), progress seen before: $said"
}
uas=$(rig_disk FG-UAS-DISK) || exit 98
usb=$(rig_disk "QEMU HARDDISK") || exit 98
nvme=$(rig_nvme FGNVME02 1) || exit 98
echo "uas: source $uas"
mkdir /out/uas
forage acquire "$uas" -o /out/uas/HD1 --format raw --mapfile /out/uas/HD1.map \
	--progress none 2>/out/uas.err
echo $? >/out/uas.rc
pulled usb "$usb"
pulled nvme "$nvme"
exit 0
SCEN

hw_monitor_open
hw_start 300 \
	-device qemu-xhci,id=xhci \
	-drive "if=none,id=u1,file=usb.img,format=raw,throttling.bps-read=4194304" \
	-device "usb-storage,bus=xhci.0,drive=u1,id=usbdisk,serial=FGUSB01" \
	-drive "if=none,id=u2,file=uas.img,format=raw" \
	-device "usb-uas,bus=xhci.0,id=uasbridge" \
	-device "scsi-hd,bus=uasbridge.0,scsi-id=0,lun=0,drive=u2,product=FG-UAS-DISK,serial=FGUAS01" \
	-drive "if=none,id=n1,file=nvme.img,format=raw,throttling.bps-read=4194304" \
	-device "nvme,id=nvmedev,serial=FGNVME02,drive=n1"
# The guest's word that forage is reading, then the drive goes.  The time
# limit only bounds a guest that never gets there.
reading() { grep -q "rig: $1 acquisition in progress" guest/console.log 2>/dev/null; }
# Stop waiting when the guest says so, or when QEMU is gone.
reading_or_gone() { reading "$1" || ! kill -0 "$HW_PID" 2>/dev/null; }
for d in usb:usbdisk nvme:nvmedev; do
	wait_until 240 reading_or_gone "${d%%:*}"
	if reading "${d%%:*}"; then
		hw_monitor "device_del ${d#*:}"
		ok "${d%%:*}: removed (device_del ${d#*:}) once forage reported progress"
	else
		fail "${d%%:*}: the guest never said forage was reading"
	fi
done
hw_wait
hw_sources_unchanged
grep -q "USB disconnect" guest/dmesg.txt && ok "the guest kernel logged the USB disconnect" ||
	fail "no USB disconnect in the guest's dmesg"
# Each USB disk went through the driver it is there for.
grep -q "scsi host[0-9]*: uas" guest/dmesg.txt && grep -q "scsi host[0-9]*: usb-storage" guest/dmesg.txt &&
	ok "the guest's uas and usb-storage drivers each took a disk" ||
	fail "drivers: $(grep "scsi host" guest/dmesg.txt | tr '\n' ' ')"

# usb_identity NAME PRODUCT SERIAL: identity from INQUIRY and VPD 80h.
usb_identity() {
	j=guest/$1/HD1.json
	[ "$(json_get $j .source.transport)" = usb ] &&
		[ "$(json_get $j .source.scsi.product)" = "$2" ] &&
		[ "$(json_get $j .source.serial)" = "$3" ] &&
		[ "$(json_get $j .source.identity_from.serial)" = "SCSI VPD page 80h" ] &&
		ok "$1: transport usb, INQUIRY product '$2', VPD 80h serial $3" ||
		fail "$1: identity $(jq -c '[.source.transport, .source.scsi, .source.serial, .source.identity_from.serial]' $j)"
}

# check_pulled NAME IMAGE: a drive removed mid-acquisition.  forage says
# where either as the LBA whose read failed (ENODEV: the device is gone)
# or as the offset where the device suddenly ended (its size went to 0).
check_pulled() {
	n=$1 img=$2 j=guest/$1/HD1.json
	rc=$(cat guest/$n.rc)
	[ "$rc" = 2 ] && ok "$n: exit 2" || fail "$n: exit $rc, want 2"
	msg=$(json_get $j .result.message)
	[ "$(last_line guest/$n.err)" = "FAILURE: $msg" ] &&
		ok "$n: FAILURE: $msg" || fail "$n: last line: $(last_line guest/$n.err)"
	[ "$(json_get $j .result.status)" = failed ] && [ "$(json_get $j .result.exit_code)" = 2 ] &&
		ok "$n: record: failed, exit code 2" || fail "$n: record: $(jq -c .result $j)"
	# The last reads before an unplug may fail with EIO first: then the
	# message also says where the bytes not acquired begin.
	from=$(echo "$msg" | sed -n 's/^.*; nothing from offset \([0-9]*\) up to there was acquired$/\1/p')
	why=${msg%; nothing from offset * up to there was acquired}
	lba=$(echo "$why" | sed -n 's/^read error at LBA \([0-9]*\) (.*): No such device; stopping: the source was removed or went offline$/\1/p')
	off=$(echo "$why" | sed -n 's/^.*: the source ended at offset \([0-9]*\), before its size of '$SIZE' bytes: was it removed, or did the device change?$/\1/p')
	[ -z "$lba" ] || off=$((lba * 512))
	if [ -n "$off" ] && [ "$off" -gt 0 ] && [ "$off" -lt $SIZE ] &&
		{ [ -z "$from" ] || [ "$from" -lt "$off" ]; }; then
		ok "$n: record: where (offset $off${from:+, nothing acquired from $from}) and why"
		off=${from:-$off}
	else
		fail "$n: record message: $msg"
		off=0
	fi
	[ ! -e guest/$n/HD1.raw ] && [ ! -e guest/$n/HD1.md5 ] && [ ! -e guest/$n/HD1.sha256 ] &&
		ok "$n: no HD1.raw, HD1.md5 or HD1.sha256" || fail "$n: left: $(ls guest/$n)"
	[ "$(jq -c .hashes $j)" = null ] && ok "$n: record: no digest that could pass for the drive's" ||
		fail "$n: record hashes: $(jq -c .hashes $j)"
	if [ -f guest/$n/HD1.raw.incomplete ]; then
		sz=$(stat -c %s guest/$n/HD1.raw.incomplete)
		[ "$sz" -le "$off" ] && cmp -n "$sz" guest/$n/HD1.raw.incomplete "$img" &&
			ok "$n: HD1.raw.incomplete: the drive's first $sz bytes, no more than were read" ||
			fail "$n: HD1.raw.incomplete: $sz bytes, not the drive's first bytes up to $off"
	fi
	# The mapfile: finished up to there and nowhere else, the rest still
	# to read (a run with the drive back can continue from there).  The
	# rest is not tried ('?'): forage stops at the first read that says
	# the device is gone (ENODEV) or that meets its end inside the size
	# it had ('*', non-trimmed, is accepted too: no read of it failed as
	# a bad sector).
	fd_map_blocks guest/$n/HD1.map >$n.blocks
	awk -v off="$off" -v size=$SIZE '
		NR == 1 && off > 0 && !($1 == 0 && $2 == off && $3 == "+") { bad = 1 }
		(NR > 1 || off == 0) && ($3 == "+" || $3 == "-") { bad = 1 }
		{ sum += $2 }
		END { exit bad || sum != size }' $n.blocks &&
		ok "$n: mapfile: finished up to $off and nowhere else, nothing called bad" ||
		{ fail "$n: mapfile blocks"; cat $n.blocks >&2; }
	# Health after the last read: the drive is gone, so not available,
	# with the reason; never compared as if nothing happened.
	[ "$(json_get $j .health.after.available)" = false ] &&
		[ -n "$(json_get $j '.health.after.note // empty')" ] &&
		json_get $j .health.comparison | grep -q "^not compared: " &&
		ok "$n: health after: not available: $(json_get $j .health.after.note)" ||
		fail "$n: health: $(jq -c '.health | del(.before.raw_pages)' $j)"
	# The case database (beside the outputs) says failed and why.
	[ "$(sql guest/$n/case.db "SELECT status, exit_code, message FROM acquisitions")" = "failed|2|$msg" ] &&
		ok "$n: case database: failed, exit 2, and the message" ||
		fail "$n: case database: $(sql guest/$n/case.db "SELECT status, exit_code, message FROM acquisitions")"
}

usb_identity uas FG-UAS-DISK FGUAS01
# fd_check_run (faultdev.sh) reads the exit status from fd_rc and err.txt.
# shellcheck disable=SC2034
fd_rc=$(cat guest/uas.rc)
cp guest/uas.err err.txt
fd_check_run uas guest/uas uas.img 512 0
usb_identity usb "QEMU HARDDISK" FGUSB01
check_pulled usb usb.img
[ "$(json_get guest/nvme/HD1.json .source.nvme.serial)" = FGNVME02 ] &&
	ok "nvme: Identify Controller serial FGNVME02" ||
	fail "nvme: $(jq -c .source.nvme guest/nvme/HD1.json)"
[ "$(json_get guest/nvme/HD1.json .health.before.available)" = true ] &&
	ok "nvme: health read before the first read" ||
	fail "nvme: health before: $(jq -c '.health.before | del(.raw_pages)' guest/nvme/HD1.json)"
check_pulled nvme nvme.img
done_testing
