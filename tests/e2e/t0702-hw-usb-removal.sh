#!/bin/sh
# Hardware in the loop (tests/hw/README): a USB disk pulled out in the
# middle of an acquisition, and a disk behind a UAS bridge.  Debian's
# kernel under QEMU (TCG) with an xHCI controller and two USB disks:
#   uas  a UAS bridge (usb-uas, the uas driver) with an 8 MiB SCSI disk
#        behind it (product FG-UAS-DISK, serial FGUAS01): identity from
#        INQUIRY and VPD page 80h is what QEMU was told, and a clean
#        acquisition has the host's digests.  (Removing a UAS device
#        mid-I/O aborts QEMU 7.2 itself: dev-uas.c, "canceled usb packet
#        not found"; so the removal is done on usb-storage.)
#   usb  a usb-storage disk (Bulk-Only Transport, the usb-storage driver)
#        of 32 MiB, serial FGUSB01, reads throttled to 4 MiB/s so that the
#        acquisition lasts long enough to be interrupted.  Once forage has
#        reported bytes read (JSON progress), the guest says so on the
#        serial console, and the host, watching the console, removes the
#        disk with QEMU's monitor (device_del).  The synchronisation is
#        that message, not a sleep.  On the host: identity from INQUIRY and
#        VPD page 80h; exit 2, FAILURE, the record and the case database
#        say failed, at which LBA and why; no file that could pass for
#        complete evidence is left (no HD1.raw, no checksum files, no
#        digests in the record); what was read is in HD1.raw.incomplete
#        and is the disk's own bytes; the mapfile says how far it got.
# One guest boot.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
. "$FG_SRCDIR/tests/e2e/lib/hwrig.sh"
hw_need
need_cmd jq mkfifo cmp sqlite3

SIZE=33554432
make_data usb.img $SIZE
make_data uas.img 8388608
md5_usb=$(md5sum <usb.img) md5_uas=$(md5sum <uas.img)

cat >scenario.sh <<'SCEN'
# pulled NAME MODEL: acquire the disk with that SCSI model into /out/NAME
# and say on the console once forage has read something.
pulled() {
	src=$(rig_disk "$2") || return 98
	echo "$1: source $src"
	mkdir "/out/$1"
	forage acquire "$src" -o "/out/$1/HD1" --format raw \
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
echo "uas: source $uas"
mkdir /out/uas
forage acquire "$uas" -o /out/uas/HD1 --format raw --mapfile /out/uas/HD1.map \
	--progress none 2>/out/uas.err
echo $? >/out/uas.rc
pulled usb "QEMU HARDDISK"
exit 0
SCEN

hw_monitor_open
hw_start 300 \
	-device qemu-xhci,id=xhci \
	-drive "if=none,id=u1,file=usb.img,format=raw,throttling.bps-read=4194304" \
	-device "usb-storage,bus=xhci.0,drive=u1,id=usbdisk,serial=FGUSB01" \
	-drive "if=none,id=u2,file=uas.img,format=raw" \
	-device "usb-uas,bus=xhci.0,id=uasbridge" \
	-device "scsi-hd,bus=uasbridge.0,scsi-id=0,lun=0,drive=u2,product=FG-UAS-DISK,serial=FGUAS01"
# The guest's word that forage is reading, then the disk goes.  The time
# limit only bounds a guest that never gets there.
reading() { grep -q "rig: $1 acquisition in progress" guest/console.log 2>/dev/null; }
# Stop waiting when the guest says so, or when QEMU is gone.
reading_or_gone() { reading "$1" || ! kill -0 "$HW_PID" 2>/dev/null; }
wait_until 240 reading_or_gone usb
if reading usb; then
	hw_monitor "device_del usbdisk"
	ok "usb: removed (device_del usbdisk) once forage reported progress"
else
	fail "usb: the guest never said forage was reading"
fi
hw_wait
[ "$(md5sum <usb.img)" = "$md5_usb" ] && [ "$(md5sum <uas.img)" = "$md5_uas" ] &&
	ok "the disk images were not changed" || fail "a disk image changed under the guest"
grep -q "USB disconnect" guest/dmesg.txt && ok "the guest kernel logged the USB disconnect" ||
	fail "no USB disconnect in the guest's dmesg"
# Each disk went through the driver it is there for.
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

# check_pulled NAME IMAGE PRODUCT SERIAL
check_pulled() {
	n=$1 img=$2 j=guest/$1/HD1.json
	usb_identity "$n" "$3" "$4"
	rc=$(cat guest/$n.rc)
	[ "$rc" = 2 ] && ok "$n: exit 2" || fail "$n: exit $rc, want 2"
	last_line guest/$n.err |
		grep -q "^FAILURE: read error at LBA [0-9]* (/dev/sd[a-z]*): No such device; stopping" &&
		ok "$n: FAILURE: $(last_line guest/$n.err | cut -c10-)" ||
		fail "$n: last line: $(last_line guest/$n.err)"
	[ "$(json_get $j .result.status)" = failed ] && [ "$(json_get $j .result.exit_code)" = 2 ] &&
		ok "$n: record: failed, exit code 2" || fail "$n: record: $(jq -c .result $j)"
	lba=$(json_get $j .result.message |
		sed -n 's/^read error at LBA \([0-9]*\) .*No such device.*/\1/p')
	if [ -n "$lba" ] && [ "$lba" -gt 0 ] && [ "$lba" -lt $((SIZE / 512)) ]; then
		ok "$n: record: the read that failed, LBA $lba (offset $((lba * 512))), and why (No such device)"
	else
		fail "$n: record message: $(json_get $j .result.message)"
		lba=0
	fi
	# What was read is kept under a name that says incomplete, and is the
	# disk's own bytes; nothing could pass for complete evidence.
	[ ! -e guest/$n/HD1.raw ] && [ ! -e guest/$n/HD1.md5 ] && [ ! -e guest/$n/HD1.sha256 ] &&
		ok "$n: no HD1.raw, HD1.md5 or HD1.sha256" || fail "$n: left: $(ls guest/$n)"
	[ "$(jq -c .hashes $j)" = null ] && ok "$n: record: no digest that could pass for the disk's" ||
		fail "$n: record hashes: $(jq -c .hashes $j)"
	if [ -f guest/$n/HD1.raw.incomplete ]; then
		sz=$(stat -c %s guest/$n/HD1.raw.incomplete)
		[ "$sz" -le $((lba * 512)) ] && cmp -n "$sz" guest/$n/HD1.raw.incomplete "$img" &&
			ok "$n: HD1.raw.incomplete: the disk's first $sz bytes, no more than were read" ||
			fail "$n: HD1.raw.incomplete: $sz bytes, not the disk's first bytes up to LBA $lba"
	fi
	# The mapfile: read up to the failed LBA, the rest not tried (a run
	# with the disk back can continue from there).
	fd_map_blocks guest/$n/HD1.map >$n.blocks
	printf '0 %s +\n%s %s ?\n' $((lba * 512)) $((lba * 512)) $((SIZE - lba * 512)) >$n.want
	diff -u $n.want $n.blocks >&2 && ok "$n: mapfile: finished up to LBA $lba, the rest not tried" ||
		fail "$n: mapfile blocks"
	# The case database (beside the outputs) says failed and why.
	[ "$(sql guest/$n/case.db "SELECT status, exit_code FROM acquisitions")" = "failed|2" ] &&
		sql guest/$n/case.db "SELECT message FROM acquisitions" | grep -q "No such device" &&
		ok "$n: case database: failed, exit 2, and the message" ||
		fail "$n: case database: $(sql guest/$n/case.db "SELECT status, exit_code, message FROM acquisitions")"
}
usb_identity uas FG-UAS-DISK FGUAS01
# fd_check_run (faultdev.sh) reads the exit status from fd_rc and err.txt.
# shellcheck disable=SC2034
fd_rc=$(cat guest/uas.rc)
cp guest/uas.err err.txt
fd_check_run uas guest/uas uas.img 512 0
check_pulled usb usb.img "QEMU HARDDISK" FGUSB01
done_testing
