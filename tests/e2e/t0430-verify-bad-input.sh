#!/bin/sh
# Evidence that cannot be verified: a missing segment, a truncated segment,
# an empty file named .E01, a text file named .E01, a directory, a file
# that is not evidence, broken or foreign JSON, EWF files cut short or
# filled with garbage: exit 2 with a message naming the file (and the
# offset where known), never a crash.  Content wins over the name: an E01
# named .bin is read as EWF.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq ewfacquire truncate

make_data src.bin $((3 * 1024 * 1024))
sha=$(sha256sum <src.bin | cut -d' ' -f1)
ewfacquire -u -t EA -c fast -S 1MiB src.bin >ea.log 2>&1 || fail "ewfacquire: $(tail -n 3 ea.log)"
[ -f EA.E03 ] || fail "ewfacquire did not make three segments or more"
mkdir keep && cp EA.E0? keep/
restore() { cp keep/EA.E0? . ; }
expect_exit 0 "the intact set verifies" -- "$FORAGE" verify --progress none --sha256 "$sha" EA.E01

# The second segment missing.
rm EA.E02
expect_exit 2 "missing EA.E02" -- "$FORAGE" verify --progress none EA.E01
expect_in err.txt "^FAILURE: EA.E02: segment missing: EA.E01 ends with a 'next' section \(offset [0-9]+\), so the set continues in segment 2, but EA.E02 does not exist$" \
	"missing second segment named"
expect_exit 2 "missing EA.E02, JSON" -- "$FORAGE" verify --json --progress none EA.E01
[ "$(jq -r '.verifications[0].result.status, .verifications[0].result.exit_code, .result.exit_code' out.txt | tr '\n' ' ')" = "cannot verify 2 2 " ] &&
	ok "JSON: cannot verify, exit 2" || fail "JSON result"
jq -r '.verifications[0].result.message' out.txt | grep -q 'EA.E02: segment missing' && ok "JSON: message" || fail "JSON message"
restore
# The last segment missing.
rm EA.E03
expect_exit 2 "missing EA.E03" -- "$FORAGE" verify --progress none EA.E01
expect_in err.txt "EA.E03: segment missing: EA.E02 ends with a 'next' section" "missing last segment named"
restore

# A truncated segment: read to the end, what is missing is listed.
truncate -s 400000 EA.E02
expect_exit 2 "truncated EA.E02" -- "$FORAGE" verify --json --progress none EA.E01
v='.verifications[0]'
# Damaged: libewf opens it, as before.
jq -r "$v.image.format" out.txt | grep -q 'through libewf' &&
	ok "a damaged set is opened by libewf" || fail "damaged set: $(jq -r "$v.image.format" out.txt)"
jq -r "$v.problems[0]" out.txt | grep -qE '^EA.E02: truncated: .* the file ends at 400000$' &&
	ok "truncation named with file and offset" || fail "truncation: $(jq -r "$v.problems" out.txt)"
[ "$(jq -r "$v.unreadable_bytes > 0" out.txt)" = true ] && ok "unreadable media counted" || fail "unreadable bytes"
# The chunks whose table the truncation lost are not handed to libewf
# either: past a lost table, libewf cannot place chunks (it counts them);
# the others are read straight from their files.
[ "$(jq -r "$v.chunks_read_through_libewf" out.txt)" = 0 ] &&
	ok "no chunk past the lost table read through libewf" ||
	fail "chunks through libewf: $(jq -r "$v.chunks_read_through_libewf, $v.chunks" out.txt | tr '\n' ' ')"
[ "$(jq -r "[$v.damage[] | select(.kind == \"unreadable\" and .zero_filled)] | length > 0" out.txt)" = true ] &&
	ok "unreadable chunks listed" || fail "unreadable damage"
[ "$(jq -r "[$v.checks[]? | select(.result == \"match\")] | length" out.txt)" = 0 ] &&
	ok "no hash called a match over missing data" || fail "a match over missing data"
restore
truncate -s 900000 EA.E03
expect_exit 2 "truncated EA.E03" -- "$FORAGE" verify --progress none EA.E01
expect_in err.txt "EA.E03: truncated" "truncated last segment named"
restore

# Not evidence.
: >empty.E01
expect_exit 2 "empty file named .E01" -- "$FORAGE" verify empty.E01
[ "$(last_line err.txt)" = "FAILURE: empty.E01: empty file (0 bytes): not evidence" ] && ok "empty: FAILURE line" || fail "empty: $(last_line err.txt)"
echo "case notes, not an image" >text.E01
expect_exit 2 "text file named .E01" -- "$FORAGE" verify text.E01
expect_in err.txt "^FAILURE: text.E01: not an EWF segment file: no EWF signature at offset 0 \(content: ASCII text\)$" "text .E01 named"
mkdir dir.E01
expect_exit 2 "a directory" -- "$FORAGE" verify dir.E01
expect_in err.txt "^FAILURE: dir.E01: is a directory, not evidence" "directory named"
expect_exit 2 "a missing file" -- "$FORAGE" verify nowhere.E01
expect_in err.txt "^FAILURE: nowhere.E01: cannot open: No such file or directory$" "missing file named"
echo "some notes" >notes.txt
expect_exit 2 "a text file" -- "$FORAGE" verify notes.txt
expect_in err.txt "notes.txt: not recognised as evidence \(content: ASCII text\)" "text file refused"
echo '{"a": 1}' >other.json
expect_exit 2 "foreign JSON" -- "$FORAGE" verify other.json
expect_in err.txt "other.json: JSON, but not a forage acquisition record" "foreign JSON named"
printf '{"record_format": "forage-acquisition-1",\n "outputs": [\n' >broken.json
expect_exit 2 "broken JSON" -- "$FORAGE" verify broken.json
expect_in err.txt "broken.json: not a forage record: line [0-9]+, column [0-9]+" "broken JSON: line named"

# EWF files cut short or damaged in their structure.
head -c 13 keep/EA.E01 >short.E01
expect_exit 2 "EWF header only" -- "$FORAGE" verify short.E01
expect_in err.txt "short.E01: truncated: the section descriptor at offset 13" "header-only file: truncation named"
head -c 13 keep/EA.E01 >garbage.E01
head -c 200000 src.bin >>garbage.E01
expect_exit 2 "EWF signature, then garbage" -- "$FORAGE" verify garbage.E01
expect_in err.txt "garbage.E01: .*(damaged|libewf cannot open)" "garbage after the signature named"
for f in keep/EA.E0?; do cp "$f" "sect.${f##*.}"; done
chmod u+w sect.E01
printf 'XXXX' | dd of=sect.E01 bs=1 seek=20 conv=notrunc 2>/dev/null
expect_exit 2 "damaged first section descriptor" -- "$FORAGE" verify sect.E01
expect_in err.txt "sect.E01: the section descriptor at offset 13 is damaged \(checksum mismatch\)" "damaged descriptor named"

# A long segment set with a low (soft) limit of open files: forage raises
# it as far as the hard limit allows.
make_data long.bin $((40 * 1024 * 1024))
ewfacquire -u -t LONG -c none -S 1MiB long.bin >long.log 2>&1 || fail "ewfacquire: $(tail -n 3 long.log)"
[ -f LONG.E40 ] || fail "40 segments expected"
expect_exit 0 "40 segments, soft limit 32 descriptors" -- sh -c "ulimit -S -n 32 && exec \"\$0\" verify --progress none --sha256 $(sha256sum <long.bin | cut -d' ' -f1) LONG.E01" "$FORAGE"
rm -f long.bin LONG.E*

# Content wins over the name.
ewfacquire -u -t ONE -c fast src.bin >one.log 2>&1 || fail "ewfacquire: $(tail -n 3 one.log)"
mv ONE.E01 image.bin
expect_exit 0 "an E01 named image.bin" -- "$FORAGE" verify --json --progress none --sha256 "$sha" image.bin
[ "$(jq -r '.verifications[0].image.kind' out.txt)" = EWF ] && ok "image.bin read as EWF" || fail "image.bin kind"
done_testing
