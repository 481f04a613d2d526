#!/bin/sh
# forage's own E01 evidence: acquire --verify reads it back (odd sizes
# included: the E01 holds the media padded to whole sectors, the record both
# digests); forage verify checks the image, its record, hash windows and
# segment files; a damaged segment is named down to the chunk and the
# window; verify --case does the same from the case database.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/verify.sh"
need_cmd jq ewfverify
need_e01_writer
unset FORAGE_CASE_DB

# An odd size: the E01 pads to whole sectors.
make_data odd.bin 3000001
mkdir o
expect_exit 0 "acquire --verify, odd size" -- "$FORAGE" acquire odd.bin -o o/ODD --format e01 --verify --progress none
j=o/ODD.json
[ "$(json_get $j .verification.status)" = verified ] && ok "odd: verified after acquisition" || fail "odd: $(json_get $j .verification)"
[ "$(json_get $j '[.verification.checks[] | select(.what == "sector padding" and .result == "match")] | length')" = 1 ] &&
	ok "odd: the padding is zeros" || fail "odd: padding check"
[ "$(json_get $j '[.verification.checks[] | select(.result != "match")] | length')" = 0 ] || fail "odd: a check failed"
expect_exit 0 "verify ODD.E01" -- "$FORAGE" verify --json --progress none o/ODD.E01
v='.verifications[0]'
jq -r "$v.image.format" out.txt | grep -q 'EnCase 6), read by forage' &&
	ok "an intact E01 is opened without libewf" || fail "format: $(jq -r "$v.image.format" out.txt)"
[ "$(jq -r "$v.chunks_read_through_libewf" out.txt)" = 0 ] &&
	ok "an intact E01 is read straight from its file" ||
	fail "chunks through libewf: $(jq -r "$v.chunks_read_through_libewf" out.txt)"
jq -e "$v.tool.md5 | startswith(\"forage md5.c\")" out.txt >/dev/null &&
	ok "verify records which MD5 it used" || fail "verify: tool.md5 missing"
jq -e "$v.tool.sha256 | startswith(\"forage sha256.c\") or startswith(\"OpenSSL (\")" out.txt >/dev/null &&
	ok "verify records which SHA-256 it used" || fail "verify: tool.sha256 missing"
has_check ".what == \"media, first 3000001 bytes\" and .algorithm == \"sha256\" and .result == \"match\"" &&
	ok "odd: the record's SHA-256 of the exact bytes matches" || fail "odd: exact sha256"
has_check ".source == \"the record ODD.json (hashes.e01_padded.md5)\" and .result == \"match\"" &&
	ok "odd: the padded digest matches" || fail "odd: padded digest"
has_check ".source == \"the image ODD.E01 (the hash stored in it)\" and .result == \"match\"" &&
	ok "odd: the E01's own MD5 matches" || fail "odd: stored md5"
[ "$(jq -r "$v.computed.bytes" out.txt)" = 3000320 ] && ok "odd: the E01 holds whole sectors" || fail "odd: padded media size"

# Several segments, hash windows.
make_data ev.bin $((5 * 1024 * 1024))
mkdir e
expect_exit 0 "acquire E01 in segments" -- "$FORAGE" acquire ev.bin -o e/EV --format e01 \
	--segment-size 2M --hash-window 1M --verify --case C1 --evidence EV --progress none
[ -f e/EV.E02 ] || fail "no second segment"
for input in e/EV.E01 e/EV.json; do
	expect_exit 0 "verify $input" -- "$FORAGE" verify --json --progress none "$input"
	[ "$(count_checks ".result != \"match\" and .result != \"not needed\"")" = 0 ] &&
		ok "$input: every check matches" || fail "$input: a check failed"
	has_check ".what == \"hash windows\" and .result == \"not needed\"" &&
		ok "$input: hash windows settled by the media digests" || fail "$input: windows"
	has_check ".what == \"file EV.E02\" and .algorithm == \"sha256\" and .result == \"match\"" &&
		ok "$input: segment file hashes compared" || fail "$input: segment hashes"
done
[ "$(jq -r "$v.image.files | length" out.txt)" -ge 3 ] && ok "every segment read" || fail "segments"
# Intact segment files: their SHA-256 matches, so the MD5 the record and the
# sidecar agree on is not recomputed (and the check says why).
has_check ".what == \"file EV.E02\" and .algorithm == \"md5\" and .result == \"not needed\" and (.computed | test(\"SHA-256 of the same file matches\"))" &&
	ok "segment MD5 settled by its SHA-256" || fail "segment MD5: $(jq -c "[$v.checks[] | select(.what == \"file EV.E02\")]" out.txt)"
# A sidecar MD5 that disagrees with the record: the MD5 is computed after all.
cp e/EV.md5 md5.keep
chmod u+w e/EV.md5
awk 'NR == 2 { c = substr($0, 1, 1); $0 = (c == "0" ? "1" : "0") substr($0, 2) } { print }' md5.keep >e/EV.md5
cmp -s e/EV.md5 md5.keep && fail "the sidecar did not change"
expect_exit 1 "verify with a changed EV.md5" -- "$FORAGE" verify --json --progress none e/EV.E01
[ "$(count_checks ".algorithm == \"md5\" and (.what | startswith(\"file \")) and .result == \"MISMATCH\"")" = 1 ] &&
	ok "the changed sidecar line is the one mismatch" || fail "changed sidecar: $(jq -c "[$v.checks[] | select(.algorithm == \"md5\")]" out.txt)"
[ "$(count_checks ".algorithm == \"md5\" and .result == \"not needed\"")" = 4 ] &&
	ok "the other segments' MD5 still settled" || fail "other segments"
cp md5.keep e/EV.md5

# A damaged second segment: the chunk and the window named.
chmod u+w e/EV.E02
flip_byte e/EV.E02 1000000
expect_exit 1 "damaged EV.E02" -- "$FORAGE" verify --json --progress none e/EV.E01
d="$v.damage"
jq -e "$d[] | select(.kind == \"damaged\" and (.file | endswith(\"EV.E02\")) and .file_offset <= 1000000 and .file_offset + .file_length > 1000000)" out.txt >/dev/null &&
	ok "the damaged chunk is named in EV.E02 around offset 1000000" || fail "damaged chunk: $(jq -c "$d" out.txt)"
[ "$(jq -r "[$d[] | select(.kind == \"hash window\")] | length" out.txt)" = 1 ] &&
	ok "one hash window differs" || fail "windows: $(jq -c "[$d[] | select(.kind == \"hash window\")]" out.txt)"
jq -e "$v.checks[] | select(.what == \"hash windows\") | .computed | test(\"4 match, 1 differ\")" out.txt >/dev/null &&
	ok "the other windows still prove intact" || fail "intact windows"
ewfverify -q e/EV.E01 >/dev/null 2>&1 && fail "ewfverify did not notice" || ok "ewfverify agrees it is damaged"
# The damaged file's SHA-256 differs, so its MD5 is computed too.
for a in md5 sha256; do
	[ "$(count_checks ".what == \"file EV.E02\" and .algorithm == \"$a\" and .result == \"MISMATCH\"")" = 2 ] &&
		ok "damaged EV.E02: $a computed, differs from record and sidecar" || fail "damaged EV.E02 $a: $(jq -c "[$v.checks[] | select(.what == \"file EV.E02\")]" out.txt)"
done
expect_exit 1 "verify --case C1" -- "$FORAGE" verify --case C1 --case-db e/case.db --progress none
expect_in out.txt "^  EV +acquisition 1 +MISMATCH " "the case summary names the damaged item"
flip_byte e/EV.E02 1000000
expect_exit 0 "verify --case C1, repaired" -- "$FORAGE" verify --case C1 --case-db e/case.db --progress none
# Digests settled without recomputing compared nothing: no hash rows for
# them (their reason stays in the verification's record), and the report
# does not list them as compared.
last=$(sql e/case.db 'SELECT max(id) FROM verifications')
[ "$(sql e/case.db "SELECT count(*) FROM verification_hashes WHERE verification_id = $last AND (computed IS NULL OR computed LIKE 'not recomputed%' OR match = 0)")" = 0 ] &&
	ok "case db: only digests actually compared, all equal" ||
	fail "case db: $(sql e/case.db "SELECT what, algorithm, computed, match FROM verification_hashes WHERE verification_id = $last")"
[ "$(sql e/case.db "SELECT count(*) FROM verifications WHERE id = $last AND record LIKE '%not recomputed: the SHA-256 of the same file matches%'")" = 1 ] &&
	ok "case db: the settled MD5s are in the verification's record" || fail "case db: settled MD5s missing from the record"
"$FORAGE" report --case C1 --case-db e/case.db --format text -o rep.txt >/dev/null 2>&1
grep -q "not recomputed" rep.txt && fail "the report lists a settled digest as compared: $(grep -B3 'not recomputed' rep.txt | head -8)" ||
	ok "the report lists only digests actually compared"
done_testing
