#!/bin/sh
# Hardware in the loop, for make validate only (not in make check: one more
# guest boot of CI time).  Debian's kernel under QEMU (TCG), one boot:
#   e01   a 24 MiB SATA disk on AHCI (model FG-E01-DISK), acquired as E01
#         with --verify in the guest; on the host, libewf's own tools
#         (ewfverify, ewfexport, ewfinfo) check the set against the disk
#         image, and the record's read-back says verified.
#   full  the same disk acquired as E01 onto a 12 MiB ext2 disk (model
#         FG-SMALL-OUT) that fills up: exit 2, FAILURE saying the
#         destination is full, the record and the case database say failed
#         and why, and no segment, checksum file or E01 under a final name.
# validate: R1 all 49152 sectors of the disk are in the E01 (ewfexport, ewfinfo's media size)
# validate: R2 ewfexport gives back the disk's bytes; the record's MD5/SHA-256 are the host's md5sum/sha256sum of the disk
# validate: R6 forage's --verify in the guest says verified with the acquisition's digests; ewfverify on the host succeeds
# validate: R7 the record and the case database of the filled destination say failed and why
# validate: R8 destination full: exit 2, FAILURE naming the full destination, no E01/segment/checksum file under a final name
# validate: R9 the disk image's SHA-256 is the same after the boot
# validate: R10 ATA IDENTIFY (SAT) gives the model and serial QEMU was told
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/hwrig.sh"
hw_need
need_cmd jq md5sum sha256sum cmp mkfs.ext2
. "$FG_SRCDIR/tests/e2e/lib/e01.sh"
# The guest mounts the small disk: ext2 through the ext4 driver.
RIG_MODULES="${RIG_MODULES:-ahci sd_mod sg nvme xhci_pci usb_storage uas virtio_pci virtio_scsi} ext4"
export RIG_MODULES

SIZE=25165824
make_data disk.img $SIZE
hw_sources disk.img
truncate -s 12M small.img
mkfs.ext2 -q -F -m 0 small.img >mkfs.txt 2>&1 || { fail "mkfs.ext2: $(cat mkfs.txt)"; done_testing; }

cat >scenario.sh <<'SCEN'
src=$(rig_disk FG-E01-DISK) || exit 98
small=$(rig_disk FG-SMALL-OUT) || exit 98
echo "source $src, small destination $small"
mkdir /out/e01 /out/full /mnt /mnt/small
forage acquire "$src" -o /out/e01/HD1 --format e01 --verify --progress none 2>/out/e01.err
echo $? >/out/e01.rc
mount -t ext2 "$small" /mnt/small || exit 97
df -k /mnt/small
forage acquire "$src" -o /mnt/small/HD1 --format e01 --progress none 2>/out/full.err
echo $? >/out/full.rc
ls -a /mnt/small >/out/full.ls
ls -a /mnt/small/HD1.E01.incomplete >/out/full.incomplete.ls 2>/dev/null
cp /mnt/small/HD1.json /mnt/small/case.db /out/full/
umount /mnt/small
exit 0
SCEN

hw_boot 400 \
	-device ahci,id=ahci \
	-drive "if=none,id=d0,file=disk.img,format=raw" \
	-device "ide-hd,drive=d0,bus=ahci.0,model=FG-E01-DISK,serial=FGE01" \
	-drive "if=none,id=d1,file=small.img,format=raw" \
	-device "ide-hd,drive=d1,bus=ahci.1,model=FG-SMALL-OUT,serial=FGSMALL"
hw_sources_unchanged

# e01: --verify in the guest, libewf's tools on the host.
j=guest/e01/HD1.json
rc=$(cat guest/e01.rc)
[ "$rc" = 0 ] && [ "$(last_line guest/e01.err)" = SUCCESS ] && ok "e01: exit 0, SUCCESS" ||
	{ fail "e01: exit $rc, last line $(last_line guest/e01.err)"; sed 's/^/  | /' guest/e01.err >&2; }
[ "$(json_get $j .source.ata.model)" = FG-E01-DISK ] && [ "$(json_get $j .source.ata.serial)" = FGE01 ] &&
	ok "e01: ATA IDENTIFY model FG-E01-DISK, serial FGE01" || fail "e01: identity $(jq -c .source.ata $j)"
md5=$(md5sum <disk.img | cut -d' ' -f1)
sha=$(sha256sum <disk.img | cut -d' ' -f1)
[ "$(json_get $j .hashes.md5)" = "$md5" ] && [ "$(json_get $j .hashes.sha256)" = "$sha" ] &&
	ok "e01: record digests = host md5sum $md5, sha256sum $sha of the disk" ||
	fail "e01: record digests $(jq -c .hashes $j), host md5 $md5 sha256 $sha"
[ "$(json_get $j .verification.status)" = verified ] &&
	[ "$(json_get $j .verification.md5)" = "$md5" ] &&
	[ "$(json_get $j .verification.sha256)" = "$sha" ] &&
	ok "e01: --verify in the guest: verified, read back MD5 $md5 and SHA-256 $sha" ||
	fail "e01: --verify: $(jq -c '.verification | del(.checks)' $j)"
e01_check guest/e01/HD1 disk.img e01

# full: the destination filled up.
j=guest/full/HD1.json
rc=$(cat guest/full.rc)
[ "$rc" = 2 ] && ok "full: exit 2" || fail "full: exit $rc, want 2"
last_line guest/full.err | grep -q "^FAILURE: .*destination full" &&
	ok "full: $(last_line guest/full.err)" || fail "full: last line: $(last_line guest/full.err)"
[ -z "$(grep -E '^HD1\.(E[0-9]+|md5|sha256)$' guest/full.ls)" ] &&
	ok "full: no segment or checksum file under a final name (left: $(grep -v '^\.' guest/full.ls | tr '\n' ' '))" ||
	fail "full: left $(tr '\n' ' ' <guest/full.ls)"
[ "$(json_get $j .result.status)" = failed ] && [ "$(json_get $j .result.exit_code)" = 2 ] &&
	json_get $j .result.message | grep -q "destination full" &&
	ok "full: record: failed, exit code 2: $(json_get $j .result.message)" ||
	fail "full: record: $(jq -c .result $j)"
[ "$(jq -c .hashes $j)" = null ] && ok "full: no digest that could pass for the disk's" ||
	fail "full: record hashes $(jq -c .hashes $j)"
[ "$(sql guest/full/case.db "SELECT status, exit_code FROM acquisitions")" = "failed|2" ] &&
	sql guest/full/case.db "SELECT message FROM acquisitions" | grep -q "destination full" &&
	ok "full: case database: failed, exit 2, destination full" ||
	fail "full: case database: $(sql guest/full/case.db "SELECT status, exit_code, message FROM acquisitions")"
done_testing
