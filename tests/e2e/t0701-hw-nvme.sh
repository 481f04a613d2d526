#!/bin/sh
# Hardware in the loop (tests/hw/README): Debian's kernel under QEMU (TCG)
# with an emulated NVMe controller (serial FGNVME01), one guest boot:
#   ns1  32 MiB of 512-byte blocks, EUI-64 given: identity through the
#        NVMe admin ioctl (Identify Controller and Identify Namespace) is
#        what QEMU was told; a clean acquisition whose digests are the
#        host's md5sum/sha256sum of the namespace's file.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
. "$FG_SRCDIR/tests/e2e/lib/hwrig.sh"
hw_need
need_cmd jq md5sum sha256sum cmp dd awk
QEMU=${RIG_QEMU:-qemu-system-x86_64}

SERIAL=FGNVME01
EUI64=0x0011223344556677
# QEMU names its NVMe controller itself and gives its own version as the
# firmware revision (8 bytes at most).
MODEL="QEMU NVMe Ctrl"
FW=$("$QEMU" --version | awk 'NR == 1 { print substr($4, 1, 8) }')

make_data ns1.img 33554432
md5_1=$(md5sum <ns1.img)

cat >scenario.sh <<'SCEN'
n1=$(rig_nvme FGNVME01 1) || exit 98
echo "namespace $n1"
mkdir /out/ns1
forage acquire "$n1" -o /out/ns1/HD1 --format raw --mapfile /out/ns1/HD1.map \
	--progress none 2>/out/ns1.err
echo $? >/out/ns1.rc
exit 0
SCEN

hw_boot 300 \
	-drive "if=none,id=n1,file=ns1.img,format=raw" \
	-device "nvme,id=nvme0,serial=$SERIAL" \
	-device "nvme-ns,drive=n1,bus=nvme0,nsid=1,eui64=$(printf %d $EUI64)"
[ "$(md5sum <ns1.img)" = "$md5_1" ] &&
	ok "the namespace's file was not changed" ||
	fail "the namespace's file changed under the guest"

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
# fd_check_run (faultdev.sh) reads the exit status from fd_rc and err.txt.
# shellcheck disable=SC2034
fd_rc=$(cat guest/ns1.rc)
cp guest/ns1.err err.txt
fd_check_run ns1 guest/ns1 ns1.img 512 0

done_testing
