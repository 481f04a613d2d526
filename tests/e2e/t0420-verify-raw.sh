#!/bin/sh
# forage's own raw evidence verifies (from the image, from the first split
# segment, from the record); a flipped byte in a raw image or a split
# segment is localised to its hash window, LBA range, file and offset; a
# damaged checksum file or record hash is named; a truncated or missing
# segment cannot be verified (exit 2).
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/verify.sh"
need_cmd jq od dd

make_data src.bin 5000000
md5=$(md5sum <src.bin | cut -d' ' -f1)
sha=$(sha256sum <src.bin | cut -d' ' -f1)
mkdir one split
expect_exit 0 "acquire raw" -- "$FORAGE" acquire src.bin -o one/HD1 --format raw --hash-window 64K --progress none
expect_exit 0 "acquire split raw" -- "$FORAGE" acquire src.bin -o split/HD1 --format raw --segment-size 1M --hash-window 256K --progress none
[ "$(json_get one/HD1.json .hash_windows.size)" = 65536 ] || fail "record: window size"

for input in one/HD1.raw one/HD1.json split/HD1.001 split/HD1.json; do
	expect_exit 0 "verify $input" -- "$FORAGE" verify --json --progress none "$input"
	v='.verifications[0]'
	[ "$(jq -r "$v.computed.md5" out.txt)" = "$md5" ] && [ "$(jq -r "$v.computed.sha256" out.txt)" = "$sha" ] &&
		ok "$input: hashes = md5sum/sha256sum" || fail "$input: hashes"
	jq -r "$v.record" out.txt | grep -q 'HD1.json$' && ok "$input: record used" || fail "$input: record"
	for src in "hashes.md5" "hashes.sha256"; do
		has_check "(.source | endswith(\"($src)\")) and .result == \"match\"" &&
			ok "$input: $src compared" || fail "$input: $src not compared"
	done
	# Intact evidence is read once: the windows are settled by the media
	# digests over the same bytes (they are recomputed when those differ).
	has_check ".what == \"hash windows\" and .result == \"not needed\"" &&
		ok "$input: hash windows settled by the media digests" || fail "$input: windows check"
	case $input in
	one/*)	has_check "(.source | startswith(\"the checksum file HD1.sha256\")) and .result == \"match\"" &&
			ok "$input: sidecar compared" || fail "$input: sidecar not compared" ;;
	*)	# Split: the files are the media cut at the recorded sizes, so
		# with the media digests matching they are not read again.
		[ "$(count_checks "(.source | startswith(\"the checksum file HD1.\")) and .result == \"not needed\" and (.computed | test(\"media digests match, the file has its recorded size\"))")" = 10 ] &&
			ok "$input: sidecar lines settled by the media digests" || fail "$input: sidecar lines $(jq -c "[$v.checks[] | select(.source | startswith(\"the checksum file\"))]" out.txt)" ;;
	esac
	[ "$(count_checks ".result != \"match\" and .result != \"not needed\"")" = 0 ] || fail "$input: a check failed"
done
[ "$(jq -r '.verifications[0].image.files | length' out.txt)" = 5 ] && ok "split: 5 segments read" || fail "split: segments"
[ "$(count_checks '.what == "file HD1.003"')" -ge 2 ] &&
	ok "split: segment files compared one by one" || fail "split: file checks"

# A flipped byte in the raw image: window 45 of 64K (bytes 2949120-3014655).
cp -p one/HD1.raw keep.raw
chmod u+w one/HD1.raw
flip_byte one/HD1.raw 3000000
expect_exit 1 "flipped byte in HD1.raw" -- "$FORAGE" verify --progress none one/HD1.raw
expect_in out.txt "^  hash window 45 \(LBA 5760-5887, media bytes 2949120-3014655\) in HD1.raw at offset 2949120-3014655: differs: " \
	"raw: the differing window named with LBA, file and offset"
expect_in out.txt "^      computed 77 windows: 76 match, 1 differ$" "raw: the intact windows counted"
expect_in out.txt "^intact:    hash windows 0-44 \(LBA 0-5759\), 46-76 \(LBA 5888-9765\): the data they cover matches the record$" \
	"raw: the windows that still prove intact named"
expect_in out.txt "^  sha256 of media: MISMATCH$" "raw: SHA-256 differs"
expect_in out.txt "^  md5 of file HD1.raw: MISMATCH$" "raw: sidecar/record file hash differs"
cp keep.raw one/HD1.raw

# A flipped byte in the third split segment: window 9 of 256K.
chmod u+w split/HD1.003
flip_byte split/HD1.003 300000
expect_exit 1 "flipped byte in HD1.003" -- "$FORAGE" verify --json --progress none split/HD1.001
d='.verifications[0].damage'
[ "$(jq -r "$d | length" out.txt)" = 1 ] && ok "split: one damaged range" || fail "split: damage count"
[ "$(jq -r "$d[0].kind, $d[0].window, $d[0].first_lba, $d[0].file_offset, $d[0].file_length" out.txt | tr '\n' ' ')" = "hash window 9 4608 262144 262144 " ] &&
	ok "split: window 9, LBA 4608, offset 262144 in its file" || fail "split: damage $(jq -c "$d[0]" out.txt)"
jq -r "$d[0].file" out.txt | grep -q 'HD1.003$' && ok "split: HD1.003 named" || fail "split: file"
has_check '.what == "file HD1.003" and .result == "MISMATCH"' &&
	ok "split: HD1.003's own hash differs" || fail "split: HD1.003 hash"
[ "$(jq -c '[.verifications[0].hash_windows.intact[] | [.first_window, .last_window]]' out.txt)" = "[[0,8],[10,19]]" ] &&
	ok "split: intact windows in JSON" || fail "split: intact $(jq -c '.verifications[0].hash_windows' out.txt)"
has_check '.what == "file HD1.002" and .result == "match"' &&
	ok "split: HD1.002 still matches" || fail "split: HD1.002"
flip_byte split/HD1.003 300000
# A split sidecar line that is not the record's: that file is hashed again.
cp split/HD1.md5 md5.keep
chmod u+w split/HD1.md5
awk 'NR == 2 { c = substr($0, 1, 1); $0 = (c == "0" ? "1" : "0") substr($0, 2) } { print }' md5.keep >split/HD1.md5
expect_exit 1 "split: HD1.md5 line 2 changed" -- "$FORAGE" verify --json --progress none split/HD1.json
[ "$(count_checks '.result == "MISMATCH"')" = 1 ] &&
	has_check '.what == "file HD1.002" and .result == "MISMATCH" and (.source | startswith("the checksum file HD1.md5, line 2"))' &&
	ok "split: only the changed sidecar line differs" || fail "split: changed line $(jq -c '[.verifications[0].checks[] | select(.result != "not needed")]' out.txt)"
has_check '.what == "file HD1.002" and .algorithm == "sha256" and .result == "match"' &&
	ok "split: HD1.002 hashed again, its SHA-256 matches" || fail "split: HD1.002 sha256"
cp md5.keep split/HD1.md5

# A damaged sidecar: one hex digit changed, then a broken line.
chmod u+w one/HD1.sha256
sed 's/^./0/' one/HD1.sha256 >x && [ "$(cut -c1 one/HD1.sha256)" != 0 ] || sed 's/^./1/' one/HD1.sha256 >x
cat x >one/HD1.sha256
expect_exit 1 "damaged HD1.sha256" -- "$FORAGE" verify --progress none one/HD1.raw
expect_in out.txt "^  sha256 of file HD1.raw: MISMATCH$" "sidecar: mismatch printed"
expect_in err.txt "HD1.raw: sha256 of file HD1.raw differs from the checksum file HD1.sha256, line 1" "sidecar: named with its line"
echo "this is not a checksum line" >one/HD1.sha256
expect_exit 1 "broken HD1.sha256" -- "$FORAGE" verify --progress none one/HD1.raw
expect_in out.txt "HD1.sha256, line 1: not a sha256 checksum line" "broken sidecar: line named"
sed "s/^.*\$/$sha  HD1.raw/" x >one/HD1.sha256

# A damaged record hash.
chmod u+w one/HD1.json
jq ".hashes.md5 = \"$(echo "$md5" | tr 0-9a-f 1-9a-f0)\"" one/HD1.json >x && cat x >one/HD1.json
expect_exit 1 "damaged record hash" -- "$FORAGE" verify --progress none one/HD1.raw
expect_in err.txt "md5 of media differs from the record HD1.json \(hashes.md5\)" "record: hashes.md5 named"

# A truncated segment and a missing last segment: cannot verify.
cp split/HD1.005 keep.005
chmod u+w split/HD1.005
truncate -s 500000 split/HD1.005
expect_exit 2 "truncated HD1.005" -- "$FORAGE" verify --progress none split/HD1.json
expect_in out.txt "size of HD1.005: NOT VERIFIABLE" "truncated: size check"
expect_in err.txt "^FAILURE: split/HD1.json: the media holds 4694304 bytes, the record HD1.json \\(hashes.md5\\) says 5000000" "truncated: media shorter than the record says"
rm split/HD1.005
expect_exit 2 "missing HD1.005 (record)" -- "$FORAGE" verify --progress none split/HD1.json
expect_in err.txt "HD1.005: segment missing: the record HD1.json names it" "missing last segment named (record)"
expect_exit 2 "missing HD1.005 (sidecar)" -- "$FORAGE" verify --progress none split/HD1.001
expect_in out.txt "file HD1.005: NOT VERIFIABLE" "missing last segment: listed file missing"
cp keep.005 split/HD1.005
rm split/HD1.003
expect_exit 2 "gap: HD1.003 missing" -- "$FORAGE" verify --progress none split/HD1.001
expect_in err.txt "HD1.003: segment missing: .* but split/HD1.004 exists" "gap named"
expect_exit 2 "not the first segment" -- "$FORAGE" verify --progress none split/HD1.002
expect_in err.txt "split/HD1.002 is not the first segment of its set; give split/HD1.001" "later segment refused"
# A long split set read with few file descriptors: one segment is open
# at a time.
make_data small.bin 409600
mkdir many
expect_exit 0 "acquire 100 segments" -- "$FORAGE" acquire small.bin -o many/M --format raw --segment-size 4K --progress none
[ -f many/M.100 ] || fail "100 segments expected"
expect_exit 0 "verify 100 segments with 40 descriptors" -- sh -c "ulimit -n 40 && exec \"\$0\" verify --progress none many/M.001" "$FORAGE"
done_testing
