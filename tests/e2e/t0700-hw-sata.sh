#!/bin/sh
# Hardware in the loop (tests/hw/README): Debian's kernel under QEMU (TCG)
# acquires a 64 MiB SATA disk on AHCI whose reads fail with EIO, injected
# by QEMU's blkdebug, at LBA 0, at single sectors in the middle, at four
# sectors across a 1 MiB boundary and at the last LBA.  The errors go
# through libata's error handling and sd as they would from a real drive.
# On the host: exit 3, COMPLETED WITH ERRORS, the bad list is exactly the
# injected sectors, the image is the disk with exactly those sectors
# filled, the record's MD5/SHA-256 are md5sum/sha256sum of that image, the
# mapfile is exact, the identity (model, serial, size) is what QEMU was
# given, and the disk image itself was not changed.  In the same boot, a
# SCSI disk on virtio-scsi: INQUIRY and VPD pages 80h/83h give the vendor,
# product, revision, serial and NAA QEMU was given, and a clean
# acquisition has the host's digests.  The raw IDENTIFY, INQUIRY and VPD
# pages in the records have the SHA-256 of their bytes and hold the model,
# serial and NAA QEMU was given; SMART was read before and after and
# compared (none behind virtio-scsi, and said why).  One guest boot.
# validate: R1 all 131072 sectors of the SATA disk and the 16384 of the SCSI disk are in the images
# validate: R2 each image is the disk byte for byte (bad sectors aside); MD5/SHA-256 as md5sum/sha256sum on the host
# validate: R3 exit 3, COMPLETED WITH ERRORS; the bad list is exactly LBA 0, 40000, 65534-65537, 100003, 131071
# validate: R4 exactly those sectors filled with zeros, their count in the record
# validate: R6 the checksum files forage wrote check with sha256sum -c and md5sum -c
# validate: R7 the mapfile says finished, bad blocks exactly where the errors were
# validate: R9 the disk images' SHA-256 is the same after the boot
# validate: R10 ATA IDENTIFY (SAT) model/serial/size, SCSI INQUIRY and VPD 80h/83h as QEMU was told; the raw pages in the record with their SHA-256
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
. "$FG_SRCDIR/tests/e2e/lib/hwrig.sh"
hw_need
need_cmd jq md5sum sha256sum cmp dd awk base64 od

# The sectors whose reads fail: LBA 0, two singles, a cluster across the
# 32 MiB boundary (65536 = 32 MiB / 512), the last LBA.
BAD="0 40000 65534 65535 65536 65537 100003 131071"
EXPECT="0 40000 65534+4 100003 131071"
MODEL=FORAGE-TEST-DISK
SERIAL=FG0001

# A SCSI disk on virtio-scsi: 8 MiB, read cleanly; its identity is
# INQUIRY (vendor, product, revision) and VPD pages 80h and 83h (NAA).
SCSI_WWN=0x5000c50012345678
make_data scsi.img 8388608
make_data disk.img 67108864
hw_sources disk.img scsi.img
: >rules.cfg
for s in $BAD; do
	printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%s"\n\n' "$s" >>rules.cfg
done

# In the guest: find the disk by the model QEMU gives it (the output disk
# may take /dev/sda), acquire it with the options the issue names.
cat >scenario.sh <<'SCEN'
src=$(rig_disk FORAGE-TEST-DISK) || exit 98
echo "source $src"
echo "$src" >/out/source-node
read -r up0 rest </proc/uptime
forage acquire "$src" -o /out/HD1 --format raw --mapfile /out/HD1.map --progress none
rc=$?
read -r up1 rest </proc/uptime
echo "forage: started at uptime $up0 s, ended at $up1 s"
# The SCSI disk on virtio-scsi, clean.
scsi=$(rig_disk FG-SCSI-DISK) || exit 98
mkdir /out/scsi
forage acquire "$scsi" -o /out/scsi/HD1 --format raw --mapfile /out/scsi/HD1.map \
	--progress none 2>/out/scsi.err
echo $? >/out/scsi.rc
exit $rc
SCEN

hw_boot 300 \
	-device ahci,id=ahci \
	-drive "if=none,id=d0,file=blkdebug:rules.cfg:disk.img,format=raw" \
	-device "ide-hd,drive=d0,bus=ahci.0,model=$MODEL,serial=$SERIAL" \
	-device virtio-scsi-pci,id=vscsi \
	-drive "if=none,id=s1,file=scsi.img,format=raw" \
	-device "scsi-hd,bus=vscsi.0,drive=s1,vendor=FORAGE,product=FG-SCSI-DISK,ver=1.23,serial=FGSCSI01,wwn=$(printf %d $SCSI_WWN)"
hw_sources_unchanged

src=$(cat guest/source-node)
# fd_check_run (faultdev.sh) reads the exit status from fd_rc.
# shellcheck disable=SC2034
fd_rc=$(cat guest/scenario.rc)
cp guest/scenario.err err.txt
# shellcheck disable=SC2086
fd_check_run sata guest disk.img 512 0 $EXPECT

# The errors came through the kernel's block layer, not from forage itself.
grep -q "I/O error, dev ${src#/dev/}, sector " guest/dmesg.txt &&
	ok "the guest kernel logged I/O errors on $src" ||
	fail "no I/O error from the guest kernel on $src"

# Identity from the real path: IDENTIFY through SAT over libata.
j=guest/HD1.json
[ "$(json_get $j .source.transport)" = ata ] && ok "transport ata" ||
	fail "transport $(json_get $j .source.transport)"
[ "$(json_get $j .source.model)" = "$MODEL" ] && [ "$(json_get $j .source.serial)" = "$SERIAL" ] &&
	ok "record: model $MODEL, serial $SERIAL" ||
	fail "record: model '$(json_get $j .source.model)', serial '$(json_get $j .source.serial)'"
[ "$(json_get $j .source.ata.model)" = "$MODEL" ] &&
	[ "$(json_get $j .source.ata.serial)" = "$SERIAL" ] &&
	json_get $j .source.ata.via | grep -q "ATA PASS-THROUGH" &&
	ok "ATA IDENTIFY (SAT pass-through) gave model and serial" ||
	fail "ATA IDENTIFY: $(jq -c .source.ata $j)"
[ "$(json_get $j .source.ata.user_addressable_sectors)" = 131072 ] &&
	[ "$(json_get $j .source.size)" = 67108864 ] &&
	ok "size: 131072 sectors, 64 MiB" || fail "size in the record"

# The raw IDENTIFY page: its SHA-256 is sha256sum of its bytes here, and
# the model (words 27-46) and serial (words 10-19) QEMU was given are in
# it, two characters a word, the first in the high byte (dd conv=swab).
if hw_raw_page $j .source.raw_pages.ata_identify identify.bin; then
	[ "$(json_get $j .source.raw_pages.ata_identify.from)" = "ATA IDENTIFY DEVICE (SAT ATA PASS-THROUGH)" ] &&
		ok "IDENTIFY page: from SAT ATA PASS-THROUGH" ||
		fail "IDENTIFY page from $(json_get $j .source.raw_pages.ata_identify.from)"
	m=$(dd if=identify.bin bs=2 skip=27 count=20 conv=swab 2>/dev/null)
	s=$(dd if=identify.bin bs=2 skip=10 count=10 conv=swab 2>/dev/null)
	[ "$m" = "$(printf '%-40s' "$MODEL")" ] && [ "$s" = "$(printf '%-20s' "$SERIAL")" ] &&
		ok "IDENTIFY page: model and serial bytes as QEMU was given them" ||
		fail "IDENTIFY page: model '$m', serial '$s'"
fi

# SMART before the first read and after the last: QEMU's IDE answers
# SMART READ DATA (its attributes include 5, reallocated sectors) and
# READ LOG 01h; both readings and their comparison are in the record and
# the log.
for w in before after; do
	[ "$(json_get $j .health.$w.available)" = true ] &&
		[ "$(json_get $j ".health.$w.ata.attributes[\"5\"].name")" = "Reallocated sector count" ] &&
		[ -n "$(json_get $j ".health.$w.ata.attributes[\"5\"].raw | numbers")" ] &&
		[ -n "$(json_get $j ".health.$w.ata.error_count | numbers")" ] &&
		ok "SMART $w: attributes (5: Reallocated sector count) and the error log" ||
		fail "SMART $w: $(jq -c ".health.$w | del(.raw_pages)" $j)"
	hw_raw_page $j .health.$w.raw_pages.smart_read_data smart-$w.bin &&
		[ "$(od -An -tu1 -j2 -N1 smart-$w.bin | tr -d ' ')" = 1 ] &&
		ok "SMART $w: the page's first attribute is 1, as in the record"
done
json_get $j .health.comparison | grep -q "^compared: " &&
	ok "SMART compared: $(json_get $j .health.comparison) $(jq -c '.health.changes // []' $j)" ||
	fail "SMART not compared: $(json_get $j .health.comparison)"
grep -q "^Before:         read at .*SMART READ DATA" guest/HD1.txt &&
	grep -q "^---- DRIVE HEALTH ----" guest/HD1.txt &&
	ok "the imaging log has the DRIVE HEALTH section" ||
	fail "the imaging log has no DRIVE HEALTH readings"

# SCSI on virtio-scsi: INQUIRY and VPD pages 80h/83h, and a clean copy.
j=guest/scsi/HD1.json
[ "$(json_get $j .source.scsi.vendor)" = FORAGE ] &&
	[ "$(json_get $j .source.scsi.product)" = FG-SCSI-DISK ] &&
	[ "$(json_get $j .source.scsi.revision)" = 1.23 ] &&
	ok "scsi: INQUIRY vendor FORAGE, product FG-SCSI-DISK, revision 1.23" ||
	fail "scsi: INQUIRY $(jq -c .source.scsi $j)"
[ "$(json_get $j .source.scsi.unit_serial_number)" = FGSCSI01 ] &&
	[ "$(json_get $j .source.scsi.naa)" = "$SCSI_WWN" ] &&
	[ "$(json_get $j .source.serial)" = FGSCSI01 ] &&
	[ "$(json_get $j .source.wwn)" = "$SCSI_WWN" ] &&
	[ "$(json_get $j .source.identity_from.wwn)" = "SCSI VPD page 83h" ] &&
	ok "scsi: VPD 80h serial FGSCSI01, VPD 83h NAA $SCSI_WWN" ||
	fail "scsi: VPD $(jq -c '[.source.scsi, .source.serial, .source.wwn, .source.identity_from]' $j)"
[ "$(json_get $j .source.ata)" = null ] && ok "scsi: no ATA identity claimed" ||
	fail "scsi: source.ata $(jq -c .source.ata $j)"
# The INQUIRY and VPD pages as the device gave them: the serial QEMU was
# given is in page 80h from byte 4, the NAA in page 83h.
hw_raw_page $j .source.raw_pages.scsi_inquiry inquiry.bin &&
	[ "$(dd if=inquiry.bin bs=1 skip=8 count=14 2>/dev/null)" = "FORAGE  FG-SCS" ] &&
	ok "scsi: INQUIRY page: vendor and product bytes"
hw_raw_page $j .source.raw_pages.scsi_vpd_80 vpd80.bin &&
	[ "$(dd if=vpd80.bin bs=1 skip=4 2>/dev/null)" = FGSCSI01 ] &&
	ok "scsi: VPD 80h page: serial FGSCSI01 from byte 4"
hw_raw_page $j .source.raw_pages.scsi_vpd_83 vpd83.bin &&
	od -An -tx1 vpd83.bin | tr -d ' \n' | grep -q "${SCSI_WWN#0x}" &&
	ok "scsi: VPD 83h page holds NAA ${SCSI_WWN#0x}"
# No SMART behind virtio-scsi: not available, and why; not an error.
[ "$(json_get $j .health.before.available)" = false ] &&
	json_get $j .health.before.note | grep -q "SMART READ DATA" &&
	ok "scsi: SMART not available: $(json_get $j .health.before.note)" ||
	fail "scsi: health $(jq -c .health $j)"
# shellcheck disable=SC2034
fd_rc=$(cat guest/scsi.rc)
cp guest/scsi.err err.txt
fd_check_run scsi guest/scsi scsi.img 512 0
done_testing
