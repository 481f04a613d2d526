#!/bin/sh
# Hardware in the loop, for make validate only (not in make check: one more
# guest boot of CI time).  Debian's kernel under QEMU (TCG), one boot: a
# 16 MiB SCSI disk behind an emulated HBA (`-device megasas`, an LSI
# MegaRAID SAS 1078, the guest's megaraid_sas driver; `-device scsi-hd,vendor=FGHBA,
# product=FG-HBA-DISK,ver=3.21,serial=FGHBA001,wwn=...`) whose reads fail
# (QEMU's blkdebug, EIO) at a cluster of four sectors across the 1 MiB
# boundary (2046-2049) and at a 1,000-sector scratch (20000-20999).  On the
# host: INQUIRY and VPD pages 80h/83h give what QEMU was told; exit 3,
# COMPLETED WITH ERRORS, the bad list is exactly those sectors, the image
# is the disk with exactly those sectors zeroed, the digests, checksum
# files and mapfile are exact, the record says with what they were filled,
# and the disk image was not changed.  forage runs with --retries 1 (each
# bad sector read alone twice, not four times): every failed read costs
# the guest about 80 ms, and the default of 3 made the boot last six
# minutes here.  The retry count itself is tested against the simulated
# faulty device (fd_check_reads in the e2e tests).
# validate: R1 all 32768 sectors of the disk behind the HBA are in the image
# validate: R2 the image is the disk byte for byte (bad sectors aside); MD5/SHA-256 as md5sum/sha256sum on the host
# validate: R3 exit 3, COMPLETED WITH ERRORS; the bad list is exactly 2046-2049 and the scratch 20000-20999
# validate: R4 exactly those 1004 sectors filled with zeros, the record saying 0x00 and how many
# validate: R6 the checksum files forage wrote check with sha256sum -c and md5sum -c
# validate: R7 the mapfile says finished, bad blocks exactly where the errors were
# validate: R9 the disk image's SHA-256 is the same after the boot
# validate: R10 SCSI INQUIRY (vendor, product, revision) and VPD 80h/83h through the HBA as QEMU was told
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
. "$FG_SRCDIR/tests/e2e/lib/hwrig.sh"
hw_need
need_cmd jq md5sum sha256sum cmp dd awk
# The HBA's driver.
RIG_MODULES="${RIG_MODULES:-ahci sd_mod sg nvme xhci_pci usb_storage uas virtio_pci virtio_scsi} megaraid_sas"
export RIG_MODULES

WWN=0x5000c500abcdef01
EXPECT="2046+4 20000+1000"
make_data disk.img 16777216
hw_sources disk.img
: >rules.cfg
for r in $EXPECT; do
	s=${r%+*} n=${r#*+}
	i=0
	while [ "$i" -lt "$n" ]; do
		printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%s"\n\n' $((s + i))
		i=$((i + 1))
	done
done >rules.cfg

cat >scenario.sh <<'SCEN'
src=$(rig_disk FG-HBA-DISK) || exit 98
echo "source $src"
echo "$src" >/out/source-node
mkdir /out/hba
forage acquire "$src" -o /out/hba/HD1 --format raw --mapfile /out/hba/HD1.map --progress none \
	--retries 1 2>/out/hba.err
echo $? >/out/hba.rc
exit 0
SCEN

hw_boot 600 \
	-device megasas,id=hba \
	-drive "if=none,id=d0,file=blkdebug:rules.cfg:disk.img,format=raw" \
	-device "scsi-hd,bus=hba.0,scsi-id=0,drive=d0,vendor=FGHBA,product=FG-HBA-DISK,ver=3.21,serial=FGHBA001,wwn=$(printf %d $WWN)"
hw_sources_unchanged

grep -q "megaraid_sas" guest/dmesg.txt && ok "the guest's megaraid_sas driver took the HBA" ||
	fail "no megaraid_sas HBA in the guest's dmesg"
j=guest/hba/HD1.json
[ "$(json_get $j .source.scsi.vendor)" = FGHBA ] &&
	[ "$(json_get $j .source.scsi.product)" = FG-HBA-DISK ] &&
	[ "$(json_get $j .source.scsi.revision)" = 3.21 ] &&
	ok "hba: INQUIRY vendor FGHBA, product FG-HBA-DISK, revision 3.21" ||
	fail "hba: INQUIRY $(jq -c .source.scsi $j)"
[ "$(json_get $j .source.scsi.unit_serial_number)" = FGHBA001 ] &&
	[ "$(json_get $j .source.scsi.naa)" = "$WWN" ] &&
	[ "$(json_get $j .source.serial)" = FGHBA001 ] &&
	[ "$(json_get $j .source.wwn)" = "$WWN" ] &&
	ok "hba: VPD 80h serial FGHBA001, VPD 83h NAA $WWN" ||
	fail "hba: VPD $(jq -c '[.source.scsi, .source.serial, .source.wwn, .source.identity_from]' $j)"
[ "$(json_get $j .source.size)" = 16777216 ] && ok "hba: size 16777216 bytes, 32768 sectors" ||
	fail "hba: size $(json_get $j .source.size)"
# fd_check_run (faultdev.sh) reads the exit status from fd_rc and err.txt.
# shellcheck disable=SC2034
fd_rc=$(cat guest/hba.rc)
cp guest/hba.err err.txt
# shellcheck disable=SC2086
fd_check_run hba guest/hba disk.img 512 0 $EXPECT
[ "$(json_get $j .parameters.fill_byte)" = 0 ] && [ "$(json_get $j .parameters.retries)" = 1 ] &&
	[ "$(json_get $j .reading.retries)" -gt 0 ] &&
	grep -q "^Unreadable sectors filled with: *0x00" guest/hba/HD1.txt &&
	ok "hba: the record says the fill: 0x00 (fill_byte 0; the text record: $(grep "^Unreadable sectors filled with:" guest/hba/HD1.txt | tr -s ' ')), after $(json_get $j .reading.retries) retries" ||
	fail "hba: fill/retries in the record: $(jq -c '[.parameters.fill_byte, .parameters.retries, .reading]' $j); $(grep "^Unreadable sectors filled with:" guest/hba/HD1.txt)"
src=$(cat guest/source-node)
grep -q "I/O error, dev ${src#/dev/}, sector " guest/dmesg.txt &&
	ok "hba: the guest kernel logged I/O errors on $src" ||
	fail "hba: no I/O error from the guest kernel on $src"
done_testing
