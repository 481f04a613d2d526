#!/bin/sh
# forage info on evidence written by other tools (the external fixtures,
# $FG_FIXTURES; docs/conventions.md, "Tests"): E01 files from ewfacquire and FTK Imager are named as EWF
# containers, a raw ext2 image as ext2 with its volume name; the fixtures
# are only read.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq
[ -d "$FG_FIXTURES" ] || skip "fixtures not found: $FG_FIXTURES (FG_FIXTURES)"
for f in tsk-image.E01 tsk-imageformat_mmls_1.E01 dfvfs-ext2.E01 \
	dfvfs-ext2.splitraw.000 tsk-image.dd; do
	[ -r "$FG_FIXTURES/$f" ] || skip "fixture missing: $FG_FIXTURES/$f"
done
for f in tsk-image.E01 tsk-imageformat_mmls_1.E01 dfvfs-ext2.E01; do
	expect_exit 0 "info $f" -- "$FORAGE" info --json "$FG_FIXTURES/$f"
	[ "$(json_get out.txt .source.content)" = "EWF/Expert Witness/EnCase image file format" ] &&
		ok "$f: an EWF container" || fail "$f: content $(json_get out.txt .source.content)"
	[ "$(json_get out.txt .source.size)" = "$(stat -c %s "$FG_FIXTURES/$f")" ] || fail "$f: size"
done
expect_exit 0 "info on a raw ext2 image" -- "$FORAGE" info "$FG_FIXTURES/dfvfs-ext2.splitraw.000"
expect_in out.txt 'Content: Linux rev 1.0 ext2 filesystem data, .*volume name "ext2_test"' "raw image: ext2 named"
expect_exit 0 "info on tsk-image.dd" -- "$FORAGE" info --json "$FG_FIXTURES/tsk-image.dd"
json_get out.txt .source.content | grep -q 'ext2 filesystem data' && ok "tsk-image.dd: ext2" || fail "tsk-image.dd content"
done_testing
