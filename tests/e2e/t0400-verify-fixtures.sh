#!/bin/sh
# Evidence written by other tools (the external fixtures, $FG_FIXTURES;
# docs/conventions.md, "Tests"): every E01 (libewf, FTK Imager, best
# compression, split in two segments, an odd sector count) and every raw
# twin verifies with exit 0 and the MD5 and SHA-256 below; the hashes stored in the E01s are
# compared and named.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/verify.sh"
need_cmd jq
need_fixtures

TSK_MD5=3ebb0b7dcd6b5fcd59a0020625d70994
TSK_SHA=0add63db3dc87ee60438e0fb94b526462502ba9f87e7a78bb0efe858668b1108
MMLS_MD5=8ec671e301095c258224aad701740503
MMLS_SHA=e7eb6fca46bebeedc4af4cc5bfe9675691bab8ce471315317b561a28899e7902
MMLS_SHA1=067bc6ab29685ee19b0cf82c9d15ac510d1e7d95
EXT2_MD5=196066add11fb71c4c49cf1bb50d6d24
EXT2_SHA=a6c2f0e39afe6c6ab432ca5465349fcefe8dc944398e97b2d957d3f89dbb5d80

# check FILE MD5 SHA256 NFILES: verify with the README's SHA-256 given, JSON
check() {
	f=$1; md5=$2; sha=$3; nfiles=$4; shift 4
	expect_exit 0 "verify $f" -- "$FORAGE" verify --json --progress none \
		--sha256 "$sha" "$@" "$FG_FIXTURES/$f" || return
	[ "$(last_line err.txt)" = SUCCESS ] && ok "$f: SUCCESS" || fail "$f: last line $(last_line err.txt)"
	v='.verifications[0]'
	[ "$(jq -r "$v.computed.md5" out.txt)" = "$md5" ] && ok "$f: md5 = README" || fail "$f: md5"
	[ "$(jq -r "$v.computed.sha256" out.txt)" = "$sha" ] && ok "$f: sha256 = README" || fail "$f: sha256"
	[ "$(jq -r "$v.image.files | length" out.txt)" = "$nfiles" ] && ok "$f: $nfiles file(s) read" || fail "$f: files"
	[ "$(jq -r "$v.result.status" out.txt)" = verified ] || fail "$f: result"
	[ "$(count_checks ".result != \"match\"")" = 0 ] &&
		ok "$f: every check matches" || fail "$f: a check does not match"
	has_check ".algorithm == \"sha256\" and .source == \"the command line (--sha256)\" and .result == \"match\"" &&
		ok "$f: --sha256 compared" || fail "$f: --sha256 not compared"
	[ "$(jq -r "$v.damage | length" out.txt)" = 0 ] || fail "$f: damage reported"
}

# stored_md5 FILE: the E01's own MD5 was compared and named as such.
stored_md5() {
	has_check ".algorithm == \"md5\" and (.source | startswith(\"the image $1\")) and .result == \"match\"" &&
		ok "$1: stored MD5 compared" || fail "$1: stored MD5 not compared"
}

check tsk-image.E01 $TSK_MD5 $TSK_SHA 1; stored_md5 tsk-image.E01
[ "$(jq -r '.verifications[0].image.kind' out.txt)" = EWF ] && ok "tsk-image.E01 recognised as EWF" || fail "kind"
check tsk-imageformat_mmls_1.E01 $MMLS_MD5 $MMLS_SHA 1; stored_md5 tsk-imageformat_mmls_1.E01
has_check '.algorithm == "sha1" and .expected == "'$MMLS_SHA1'" and .result == "match"' &&
	ok "FTK image: stored SHA-1 compared" || fail "FTK image: SHA-1"
[ "$(jq -r '.verifications[0].image.media_size' out.txt)" = 62915072 ] && ok "FTK image: odd sector count, exact size" || fail "FTK size"
jq -r '.verifications[0].image.format' out.txt | grep -q 'FTK Imager' && ok "FTK image: format named" || fail "FTK format"
# Intact: opened from forage's own reading of the metadata, no libewf.
jq -r '.verifications[0].image.format' out.txt | grep -q 'read by forage' &&
	ok "FTK image: opened without libewf" || fail "FTK image: $(jq -r '.verifications[0].image.format' out.txt)"
check dfvfs-ext2.E01 $EXT2_MD5 $EXT2_SHA 1; stored_md5 dfvfs-ext2.E01
check dfvfs-ext2.split.E01 $EXT2_MD5 $EXT2_SHA 2; stored_md5 dfvfs-ext2.split.E01
check tsk-image.dd $TSK_MD5 $TSK_SHA 1 --md5 $TSK_MD5
[ "$(jq -r '.verifications[0].image.kind' out.txt)" = raw ] && ok "tsk-image.dd recognised as raw" || fail "raw kind"
check dfvfs-ext2.splitraw.000 $EXT2_MD5 $EXT2_SHA 2 --md5 $EXT2_MD5
[ "$(jq -r '.verifications[0].image.kind' out.txt)" = "split raw" ] && ok "splitraw: split raw from .000" || fail "split kind"

# Text output: every comparison printed with algorithm, expected, computed,
# source and result.
expect_exit 0 "text output" -- "$FORAGE" verify --progress none "$FG_FIXTURES/tsk-image.E01"
expect_in out.txt "^  md5 of media: match$" "text: md5 match line"
expect_in out.txt "^      expected $TSK_MD5  from the image tsk-image.E01 \(the hash stored in it\)$" "text: expected and source"
expect_in out.txt "^      computed $TSK_MD5$" "text: computed"
expect_in out.txt "^computed:  sha256 $TSK_SHA$" "text: sha256 computed"
expect_in out.txt "^result:    verified$" "text: result"

# Several images in one run, and a wrong --md5 fails.
expect_exit 0 "several images" -- "$FORAGE" verify --progress none \
	"$FG_FIXTURES/tsk-image.E01" "$FG_FIXTURES/dfvfs-ext2.split.E01" "$FG_FIXTURES/tsk-imageformat_mmls_1.E01"
[ "$(grep -c '^result:    verified$' out.txt)" = 3 ] && ok "three results" || fail "three results"
expect_exit 1 "wrong --md5" -- "$FORAGE" verify --progress none --md5 $EXT2_MD5 "$FG_FIXTURES/tsk-image.dd"
expect_in out.txt "^  md5 of media: MISMATCH$" "wrong --md5: MISMATCH printed"
expect_in err.txt "^FAILURE: .*tsk-image.dd: md5 of media differs from the command line \(--md5\)$" "wrong --md5: FAILURE names it"

# A raw twin alone has nothing to compare with: exit 2, hashes still shown.
expect_exit 2 "raw without expectation" -- "$FORAGE" verify --progress none "$FG_FIXTURES/tsk-image.dd"
expect_in err.txt "nothing to compare with" "nothing to compare: said"
expect_in out.txt "$TSK_SHA" "nothing to compare: hash still printed"
done_testing
