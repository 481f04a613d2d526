#!/bin/sh
# Hardware in the loop (tests/hw/README): Debian's kernel under QEMU (TCG)
# with an emulated NVMe controller (serial FGNVME01) holding two
# namespaces, one guest boot for both scenarios:
#   ns1  32 MiB of 512-byte blocks, EUI-64 given: identity through the
#        NVMe admin ioctl (Identify Controller and Identify Namespace) is
#        what QEMU was told; a clean acquisition whose digests are the
#        host's md5sum/sha256sum of the namespace's file.
#   ns2  4096-byte logical and physical blocks, 20 MiB + 5 blocks (not a
#        whole number of MiB), reads failing (blkdebug, EIO; the
#        controller answers Unrecovered Read Error) at block 0, a cluster
#        across the 8 MiB boundary, two singles and the last block: the
#        bad list is in 4096-byte sectors and exact.
# The raw Identify Controller and Namespace pages in the record have the
# SHA-256 of their bytes and hold the serial, model and size QEMU was
# given; the SMART / Health log page was read before and after (Get Log
# Page through the admin ioctl) and compared.
# validate: R1 all 65536 blocks of ns1 and 5125 of ns2 (not a whole number of MiB) are in the images
# validate: R2 each image is the namespace byte for byte (bad blocks aside); MD5/SHA-256 as on the host
# validate: R3 ns2: exit 3, COMPLETED WITH ERRORS; bad list exactly blocks 0, 2046-2049, 3000, 3003, 5124 in 4096-byte sectors
# validate: R4 exactly those blocks filled with zeros, their count in the record
# validate: R6 the checksum files forage wrote check with sha256sum -c and md5sum -c
# validate: R7 the mapfiles say finished, bad blocks exactly where the errors were
# validate: R9 the namespaces' files have the same SHA-256 after the boot
# validate: R10 NVMe Identify Controller/Namespace through the admin ioctl as QEMU was told; the raw pages in the record with their SHA-256
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
. "$FG_SRCDIR/tests/e2e/lib/hwrig.sh"
hw_need
need_cmd jq md5sum sha256sum cmp dd awk base64 od
QEMU=${RIG_QEMU:-qemu-system-x86_64}

SERIAL=FGNVME01
EUI64=0x0011223344556677
# QEMU names its NVMe controller itself and gives its own version as the
# firmware revision (8 bytes at most).
MODEL="QEMU NVMe Ctrl"
FW=$("$QEMU" --version | awk 'NR == 1 { print substr($4, 1, 8) }')

make_data ns1.img 33554432
# 5125 blocks of 4096 bytes: 20 MiB and 20 KiB.
make_data ns2.img 20992000
hw_sources ns1.img ns2.img
# Bad 4096-byte blocks: 0, 2046-2049 (across 8 MiB = block 2048), two
# singles three apart, the last (5124).  blkdebug counts 512-byte sectors: a read that touches
# sector 8 * block fails.
BAD4K="0 2046 2047 2048 2049 3000 3003 5124"
EXPECT4K="0 2046+4 3000 3003 5124"
: >rules.cfg
for b in $BAD4K; do
	printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%s"\n\n' \
		$((b * 8)) >>rules.cfg
done

cat >scenario.sh <<'SCEN'
n1=$(rig_nvme FGNVME01 1) || exit 98
n2=$(rig_nvme FGNVME01 2) || exit 98
echo "namespaces $n1 $n2"
echo "$n1 $n2" >/out/nodes
for f in logical_block_size physical_block_size; do
	echo "$f $(cat /sys/block/${n2#/dev/}/queue/$f)"
done
mkdir /out/ns1 /out/ns2
forage acquire "$n1" -o /out/ns1/HD1 --format raw --mapfile /out/ns1/HD1.map \
	--progress none 2>/out/ns1.err
echo $? >/out/ns1.rc
forage acquire "$n2" -o /out/ns2/HD1 --format raw --mapfile /out/ns2/HD1.map \
	--progress none 2>/out/ns2.err
echo $? >/out/ns2.rc
exit 0
SCEN

hw_boot 300 \
	-drive "if=none,id=n1,file=ns1.img,format=raw" \
	-drive "if=none,id=n2,file=blkdebug:rules.cfg:ns2.img,format=raw" \
	-device "nvme,id=nvme0,serial=$SERIAL" \
	-device "nvme-ns,drive=n1,bus=nvme0,nsid=1,eui64=$(printf %d $EUI64)" \
	-device "nvme-ns,drive=n2,bus=nvme0,nsid=2,logical_block_size=4096,physical_block_size=4096"
hw_sources_unchanged

# ns1: identity from the admin ioctl, and a clean acquisition.
j=guest/ns1/HD1.json
[ "$(json_get $j .source.transport)" = nvme ] && ok "ns1: transport nvme" ||
	fail "ns1: transport $(json_get $j .source.transport)"
[ "$(json_get $j .source.nvme.via)" = "NVMe Identify Controller and Namespace (admin ioctl)" ] &&
	ok "ns1: identity asked through the NVMe admin ioctl" ||
	fail "ns1: source.nvme: $(jq -c .source.nvme $j); notes: $(jq -c .source.identity_notes $j)"
[ "$(json_get $j .source.nvme.model)" = "$MODEL" ] &&
	[ "$(json_get $j .source.nvme.serial)" = "$SERIAL" ] &&
	[ "$(json_get $j .source.nvme.firmware_revision)" = "$FW" ] &&
	ok "ns1: Identify Controller: model '$MODEL', serial $SERIAL, firmware $FW" ||
	fail "ns1: Identify Controller: $(jq -c .source.nvme $j)"
[ "$(json_get $j .source.model)" = "$MODEL" ] &&
	[ "$(json_get $j .source.serial)" = "$SERIAL" ] &&
	[ "$(json_get $j .source.firmware_revision)" = "$FW" ] &&
	[ "$(json_get $j .source.identity_from.serial)" = "NVMe Identify Controller" ] &&
	ok "ns1: summary model/serial/firmware from Identify Controller" ||
	fail "ns1: summary $(jq -c '[.source.model, .source.serial, .source.firmware_revision, .source.identity_from]' $j)"
[ "$(json_get $j .source.nvme.namespace_id)" = 1 ] &&
	[ "$(json_get $j .source.nvme.namespace_size_blocks)" = 65536 ] &&
	[ "$(json_get $j .source.nvme.logical_block_size)" = 512 ] &&
	[ "$(json_get $j .source.nvme.eui64)" = "$EUI64" ] &&
	[ "$(json_get $j .source.size)" = 33554432 ] &&
	ok "ns1: Identify Namespace: nsid 1, 65536 blocks of 512 bytes, EUI-64 $EUI64" ||
	fail "ns1: Identify Namespace: $(jq -c .source.nvme $j), size $(json_get $j .source.size)"
# The raw Identify pages: SN (bytes 4-23) and MN (24-63), space-padded;
# NSZE (bytes 0-7, little-endian) and the EUI-64 (120-127).
if hw_raw_page $j .source.raw_pages.nvme_identify_controller idctrl.bin; then
	sn=$(dd if=idctrl.bin bs=1 skip=4 count=20 2>/dev/null)
	mn=$(dd if=idctrl.bin bs=1 skip=24 count=40 2>/dev/null)
	[ "$sn" = "$(printf '%-20s' "$SERIAL")" ] && [ "$mn" = "$(printf '%-40s' "$MODEL")" ] &&
		[ "$(wc -c <idctrl.bin | tr -d ' ')" = 4096 ] &&
		ok "ns1: Identify Controller page: serial and model bytes as QEMU gave them" ||
		fail "ns1: Identify Controller page: serial '$sn', model '$mn'"
fi
if hw_raw_page $j .source.raw_pages.nvme_identify_namespace idns.bin; then
	[ "$(od -An -tu8 -N8 idns.bin | tr -d ' ')" = 65536 ] &&
		[ "0x$(od -An -tx1 -j120 -N8 idns.bin | tr -d ' \n')" = "$EUI64" ] &&
		ok "ns1: Identify Namespace page: NSZE 65536, EUI-64 $EUI64" ||
		fail "ns1: Identify Namespace page: $(od -An -tx1 -N16 idns.bin)"
fi
# Health before the first read and after the last: the SMART / Health
# page and the Error Information log through Get Log Page.
for w in before after; do
	[ "$(json_get $j .health.$w.available)" = true ] &&
		[ "$(json_get $j .health.$w.nvme.critical_warning)" = 0 ] &&
		[ "$(json_get $j ".health.$w.nvme.temperature_kelvin | numbers > 0")" = true ] &&
		[ -n "$(json_get $j ".health.$w.nvme.media_errors | numbers")" ] &&
		ok "ns1: NVMe health $w: $(jq -c ".health.$w.nvme" $j)" ||
		fail "ns1: NVMe health $w: $(jq -c ".health.$w | del(.raw_pages)" $j)"
	hw_raw_page $j .health.$w.raw_pages.nvme_smart_health health-$w.bin &&
		[ "$(od -An -tu2 -j1 -N2 health-$w.bin | tr -d ' ')" = "$(json_get $j .health.$w.nvme.temperature_kelvin)" ] &&
		ok "ns1: the health page's temperature is the record's"
done
[ "$(json_get $j .health.comparison)" = "compared: no change worth noting" ] &&
	ok "ns1: health compared, no change worth noting" ||
	fail "ns1: health comparison: $(json_get $j .health.comparison) $(jq -c .health.changes $j)"
# fd_check_run (faultdev.sh) reads the exit status from fd_rc and err.txt.
# shellcheck disable=SC2034
fd_rc=$(cat guest/ns1.rc)
cp guest/ns1.err err.txt
fd_check_run ns1 guest/ns1 ns1.img 512 0

# ns2: 4096-byte logical sectors, a size that is not a whole number of
# MiB, medium errors: the bad list counts 4096-byte sectors.
j=guest/ns2/HD1.json
[ "$(json_get $j .source.logical_sector_size)" = 4096 ] &&
	[ "$(json_get $j .source.physical_sector_size)" = 4096 ] &&
	[ "$(json_get $j .source.size)" = 20992000 ] &&
	ok "ns2: 4096-byte logical and physical sectors, 20992000 bytes" ||
	fail "ns2: geometry $(jq -c '[.source.logical_sector_size, .source.physical_sector_size, .source.size]' $j)"
[ "$(json_get $j .source.nvme.namespace_id)" = 2 ] &&
	[ "$(json_get $j .source.nvme.namespace_size_blocks)" = 5125 ] &&
	[ "$(json_get $j .source.nvme.logical_block_size)" = 4096 ] &&
	[ "$(json_get $j .source.nvme.serial)" = "$SERIAL" ] &&
	ok "ns2: Identify Namespace: nsid 2, 5125 blocks of 4096 bytes" ||
	fail "ns2: Identify Namespace: $(jq -c .source.nvme $j)"
json_get $j .health.comparison | grep -q "^compared: " &&
	ok "ns2: health compared: $(json_get $j .health.comparison) $(jq -c '.health.changes // []' $j)" ||
	fail "ns2: health comparison: $(json_get $j .health.comparison)"
# shellcheck disable=SC2034
fd_rc=$(cat guest/ns2.rc)
cp guest/ns2.err err.txt
# shellcheck disable=SC2086
fd_check_run ns2 guest/ns2 ns2.img 4096 0 $EXPECT4K
n2=$(cut -d' ' -f2 guest/nodes)
grep -q "critical medium error, dev ${n2#/dev/}, sector " guest/dmesg.txt &&
	ok "ns2: the guest kernel logged medium errors on $n2" ||
	fail "ns2: no medium error from the guest kernel on $n2"
done_testing
