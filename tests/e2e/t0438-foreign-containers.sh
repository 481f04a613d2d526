#!/bin/sh
# Containers forage does not read (issue 18, item 3): an AFF, an AFF4 (a
# ZIP with container.description and information.turtle), QCOW2, VMDK, VHD
# (dynamic and fixed), VHDX and VDI virtual disks, ZIP, 7z and tar
# archives, gzip, xz, bzip2 and zstd files, each made here around the same
# media.  verify --md5 MEDIA-MD5 FILE used to hash the container's bytes
# and report MISMATCH (exit 1) on intact evidence; now it refuses with
# exit 2, naming the format and what to use instead.  verify --raw hashes
# the file's own bytes (exit 0 with their MD5).  info names the format.
# Raw disk images that hold a file system or a partition table are still
# raw.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy
need_cmd jq qemu-img zip 7z tar gzip xz bzip2 zstd mkfs.ext4 sfdisk md5sum

make_data d.raw 1048576
MEDIA=$(md5sum <d.raw | cut -d' ' -f1)

# The containers.
qemu-img convert -q -f raw -O qcow2 d.raw d.qcow2 &&
qemu-img convert -q -f raw -O vmdk d.raw d.vmdk &&
qemu-img convert -q -f raw -O vpc d.raw d.vhd &&
qemu-img convert -q -f raw -O vpc -o subformat=fixed d.raw fixed.vhd &&
qemu-img convert -q -f raw -O vhdx d.raw d.vhdx &&
qemu-img convert -q -f raw -O vdi d.raw d.vdi || fail "qemu-img convert"
zip -q d.zip d.raw || fail "zip"
7z a -bd d.7z d.raw >/dev/null || fail "7z a"
tar -cf d.tar d.raw || fail "tar"
gzip -c d.raw >d.raw.gz && xz -c d.raw >d.raw.xz &&
bzip2 -c d.raw >d.raw.bz2 && zstd -q -c d.raw >d.raw.zst || fail "compress"
{ printf 'AFF10\r\n\000'; cat d.raw; } >d.aff
# AFF4: a ZIP whose first member is container.description (the volume's
# URN), with information.turtle (its RDF description) and the stream.
mkdir aff4 && (
	cd aff4 &&
	printf 'aff4://685e15cc-d0fb-4dbc-ba47-48117fc77044' >container.description &&
	printf '@prefix aff4: <http://aff4.org/Schema#> .\n' >information.turtle &&
	mkdir -p stream && cp ../d.raw stream/data &&
	zip -q -0 ../d.aff4 container.description stream/data information.turtle
) || fail "aff4 zip"

# check FILE FORMAT NAME: refused (exit 2) naming it and what to use
# instead; --raw hashes its own bytes; info names it.
check() {
	f=$1; short=$2; name=$3; use=$4
	expect_exit 2 "$f: verify --md5" -- "$FORAGE" verify --progress none \
		--md5 "$MEDIA" "$f" &&
		ok "$f: verify refuses it (exit 2)"
	expect_in err.txt "^forage verify: $f: $name \\(.*\\): forage does not read $short; .*$use.* or give --raw to hash this file's own bytes$" \
		"$f: the message names $name and $use"
	expect_in err.txt "^FAILURE: $f: $name" "$f: the closing line says so"
	grep -q MISMATCH out.txt err.txt && fail "$f: a mismatch reported"
	own=$(md5sum <"$f" | cut -d' ' -f1)
	expect_exit 0 "$f: verify --raw" -- "$FORAGE" verify --progress none \
		--json --raw --md5 "$own" "$f" && ok "$f: --raw hashes it"
	[ "$(json_get out.txt '.verifications[0].computed.md5')" = "$own" ] ||
		fail "$f: --raw computed another md5"
	json_get out.txt '.verifications[0].image.content' |
		grep -Eq "^$name .*its own bytes hashed \(--raw\)$" ||
		fail "$f: --raw does not say what it hashed"
	expect_exit 0 "$f: info" -- "$FORAGE" info --json "$f" || return
	[ "$(json_get out.txt .evidence.kind)" = "foreign container" ] &&
	[ "$(json_get out.txt .evidence.format)" = "$short" ] &&
	[ "$(json_get out.txt .evidence.verifiable)" = false ] &&
		ok "$f: info names $short" || fail "$f: info: $(jq -c .evidence out.txt)"
	cp out.txt "info-$f.json"
	expect_exit 0 "$f: info (text)" -- "$FORAGE" info "$f" &&
		expect_in out.txt "^  Format: $short$" "$f: info text names $short"
}

check d.aff AFF "AFF image" "affconvert -r d.aff"
check d.aff4 AFF4 "AFF4 image" "aff4imager"
check d.qcow2 QCOW2 "QCOW2 virtual disk" "qemu-img convert -O raw d.qcow2"
check d.vmdk VMDK "VMDK virtual disk" "qemu-img convert -O raw d.vmdk"
check d.vhd VHD "VHD virtual disk" "qemu-img convert -O raw d.vhd"
check fixed.vhd VHD "VHD virtual disk \\(fixed\\)" "qemu-img convert -O raw fixed.vhd"
check d.vhdx VHDX "VHDX virtual disk" "qemu-img convert -O raw d.vhdx"
check d.vdi VDI "VDI virtual disk" "qemu-img convert -O raw d.vdi"
check d.zip ZIP "ZIP archive" "unzip d.zip"
check d.7z 7z "7z archive" "7z x d.7z"
check d.tar tar "tar archive" "tar -xf d.tar"
check d.raw.gz gzip "gzip-compressed file" "gunzip -k d.raw.gz"
check d.raw.xz xz "xz-compressed file" "unxz -k d.raw.xz"
check d.raw.bz2 bzip2 "bzip2-compressed file" "bunzip2 -k d.raw.bz2"
check d.raw.zst zstd "zstd-compressed file" "unzstd d.raw.zst"

# A container under a raw image's name is refused all the same.
cp d.qcow2 disguised.dd
expect_exit 2 "qcow2 named .dd" -- "$FORAGE" verify --progress none \
	--md5 "$MEDIA" disguised.dd &&
	expect_in err.txt "disguised.dd: QCOW2 virtual disk" "qcow2 named .dd: named"

# Raw images holding a file system or a partition table stay raw.
truncate -s 8M ext4.img && mkfs.ext4 -q -F ext4.img || fail "mkfs.ext4"
truncate -s 8M mbr.img &&
	printf 'label: dos\n2048,,83\n' | sfdisk -q mbr.img >/dev/null ||
	fail "sfdisk"
for f in ext4.img mbr.img; do
	m=$(md5sum <"$f" | cut -d' ' -f1)
	expect_exit 0 "$f: verify" -- "$FORAGE" verify --progress none \
		--md5 "$m" "$f" && ok "$f: verified as raw"
	expect_exit 0 "$f: info" -- "$FORAGE" info --json "$f" &&
		[ "$(json_get out.txt .evidence.kind)" = raw ] &&
		[ "$(json_get out.txt .evidence.verifiable)" = true ] &&
		ok "$f: info says raw" || fail "$f: info: $(jq -c .evidence out.txt)"
done
done_testing
