#!/bin/sh
# Evidence kept on failing media: an E01 whose file has an unreadable
# sector (served by faultyfs through FUSE) is verified through a record
# beside a link to it.  Exit 2 (cannot verify), the chunk that cannot be
# read named with its LBA range and file offset around the bad sector, the
# media hashes NOT VERIFIABLE (zeros hashed in its place), and each digest
# of the file saying where reading it failed; the rest is read to the end.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
faultdev_need
need_cmd jq
make_data src.bin $((4 * 1024 * 1024))
mkdir a d
expect_exit 0 "acquire E01" -- "$FORAGE" acquire src.bin -o a/F --format e01 --progress none
# The E01 file served as it is (not a whole number of sectors, so no loop
# device); its sector 4000 (byte 2048000) is in the chunk data.
faultfs_mount a/F.E01 512 --bad 4000 || exit 1
cp a/F.json a/F.md5 a/F.sha256 d/ && ln -s "$FAULTMNT/disk" d/F.E01
expect_exit 2 "verify over an unreadable sector" -- "$FORAGE" verify --json --progress none d/F.json
v='.verifications[0]'
[ "$(jq -r "$v.damage | length" out.txt)" = 1 ] &&
	jq -e "$v.damage[0] | .kind == \"unreadable\" and .chunks == 1 and .file_offset <= 2048000 and .file_offset + .file_length > 2048000" out.txt >/dev/null &&
	ok "the unreadable chunk is named around file offset 2048000" ||
	fail "damage: $(jq -c "$v.damage" out.txt)"
[ "$(jq -r "$v.unreadable_bytes" out.txt)" = 32768 ] || fail "unreadable bytes: $(jq -r "$v.unreadable_bytes" out.txt)"
[ "$(jq -r "[$v.checks[] | select(.what == \"media\") | .result] | unique | join(\",\")" out.txt)" = "not verifiable" ] &&
	ok "media hashes: not verifiable" || fail "media checks: $(jq -c "[$v.checks[] | select(.what == \"media\")]" out.txt)"
for a in md5 sha256; do
	jq -e "[$v.checks[] | select(.what == \"file F.E01\" and .algorithm == \"$a\")] | length > 0 and all(.result == \"not verifiable\" and (.computed | test(\"read error at offset [0-9]+: Input/output error\")))" out.txt >/dev/null &&
		ok "file $a: the read error and its offset" ||
		fail "file $a: $(jq -c "[$v.checks[] | select(.what == \"file F.E01\" and .algorithm == \"$a\")]" out.txt)"
done
done_testing
