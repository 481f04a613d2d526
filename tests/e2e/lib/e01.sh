# e01.sh - checks shared by the E01 tests (sourced after common.sh): what
# forage wrote is read back by libewf's own tools, never by forage.
need_cmd ewfverify ewfinfo ewfexport jq md5sum sha256sum cmp

# e01_check OUTBASE DATA WHAT [SECTOR] [EXT]: the set verifies with
# ewfverify, ewfexport gives back exactly DATA's bytes (then zeros up to
# the next sector), ewfinfo states the sector size, the media size and the
# MD5 of the padded media, the record holds the MD5 of exactly DATA and of
# the padded media, the coreutils sidecars check, nothing is left
# incomplete.  DATA is the file holding the source's bytes.
e01_check() {
	e_ob=$1; e_data=$2; e_what=$3; e_ss=${4:-512}; e_ext=${5:-E01}
	e_size=$(stat -c %s "$e_data")
	e_padded=$(( (e_size + e_ss - 1) / e_ss * e_ss ))
	e_pad=$((e_padded - e_size))
	e_md5=$(md5sum <"$e_data" | cut -d' ' -f1)
	e_pmd5=$({ cat "$e_data"; head -c "$e_pad" /dev/zero; } | md5sum | cut -d' ' -f1)
	e_j=$e_ob.json

	if ewfverify -q "$e_ob.$e_ext" >verify.txt 2>&1 &&
		grep -q "MD5 hash stored in file:[[:space:]]*$e_pmd5" verify.txt &&
		grep -q "MD5 hash calculated over data:[[:space:]]*$e_pmd5" verify.txt; then
		ok "$e_what: ewfverify succeeds, MD5 $e_pmd5"
	else
		fail "$e_what: ewfverify"; sed 's/^/  | /' verify.txt >&2
	fi
	rm -f exp.raw exp.raw.info
	if [ "$e_size" -gt 0 ]; then
		ewfexport -q -u -f raw -t exp "$e_ob.$e_ext" >export.txt 2>&1
		if [ "$(stat -c %s exp.raw 2>/dev/null)" = "$e_padded" ] &&
			head -c "$e_size" exp.raw | cmp -s - "$e_data" &&
			[ "$(tail -c "+$((e_size + 1))" exp.raw | tr -d '\000' | wc -c)" -eq 0 ]; then
			ok "$e_what: ewfexport gives back the source's $e_size bytes (+$e_pad zero bytes)"
		else
			fail "$e_what: ewfexport data differs"; sed 's/^/  | /' export.txt >&2
		fi
		rm -f exp.raw exp.raw.info
	fi
	ewfinfo "$e_ob.$e_ext" >info.txt 2>&1
	expect_in info.txt "Bytes per sector:[[:space:]]+$e_ss\$" "$e_what: ewfinfo bytes per sector $e_ss"
	expect_in info.txt "Media size:.*\\($e_padded bytes\\)" "$e_what: ewfinfo media size $e_padded"
	expect_in info.txt "MD5:[[:space:]]+$e_pmd5" "$e_what: ewfinfo MD5"
	[ "$(json_get "$e_j" .hashes.md5)" = "$e_md5" ] && ok "$e_what: record md5 = md5sum of the source" ||
		fail "$e_what: record md5 $(json_get "$e_j" .hashes.md5), want $e_md5"
	if [ "$e_pad" -gt 0 ]; then
		[ "$(json_get "$e_j" .hashes.e01_padded.md5)" = "$e_pmd5" ] &&
			[ "$(json_get "$e_j" .hashes.e01_padded.bytes)" = "$e_padded" ] &&
			ok "$e_what: record has the padded MD5 of the E01" || fail "$e_what: record padded md5"
	else
		[ "$(json_get "$e_j" .hashes.e01_padded)" = null ] || fail "$e_what: padded hashes without padding"
	fi
	[ "$(json_get "$e_j" .container.media_size)" = "$e_padded" ] &&
		[ "$(json_get "$e_j" .container.padding_bytes)" = "$e_pad" ] &&
		ok "$e_what: record container sizes" || fail "$e_what: record container sizes"
	(cd "$(dirname "$e_ob")" && md5sum --strict -c "$(basename "$e_ob").md5" &&
		sha256sum --strict -c "$(basename "$e_ob").sha256") >/dev/null 2>&1 &&
		ok "$e_what: md5sum -c / sha256sum -c of the segment files" || fail "$e_what: sidecars"
	[ ! -e "$e_ob.$e_ext.incomplete" ] && ok "$e_what: no working folder left" ||
		fail "$e_what: $e_ob.$e_ext.incomplete left"
}

# e01_header OUTBASE WHAT: ewfinfo shows the header values the tests give
# (the E01_* values below, given as --case, --evidence, --examiner,
# --description and --notes).
E01_CASE=2026-041; E01_EVIDENCE="HD 1"; E01_EXAMINER="Jo Smith"
E01_DESCRIPTION="Seagate 500 GB from desk 3"; E01_NOTES="seal 7781"
e01_header() {
	ewfinfo "$1.E01" >hdr.txt 2>&1
	expect_in hdr.txt "Case number:[[:space:]]+$E01_CASE\$" "$2: ewfinfo case number"
	expect_in hdr.txt "Evidence number:[[:space:]]+$E01_EVIDENCE\$" "$2: ewfinfo evidence number"
	expect_in hdr.txt "Examiner name:[[:space:]]+$E01_EXAMINER\$" "$2: ewfinfo examiner"
	expect_in hdr.txt "Description:[[:space:]]+$E01_DESCRIPTION\$" "$2: ewfinfo description"
	expect_in hdr.txt "Notes:[[:space:]]+$E01_NOTES\$" "$2: ewfinfo notes"
	expect_in hdr.txt "Software version used:[[:space:]]+forage [0-9]+\.[0-9]+\.[0-9]+\$" "$2: ewfinfo tool name and version"
	expect_in hdr.txt "Acquisition date:[[:space:]]+[A-Z][a-z]{2} [A-Z][a-z]{2} " "$2: ewfinfo acquisition date"
	expect_in hdr.txt "System date:[[:space:]]+[A-Z][a-z]{2} [A-Z][a-z]{2} " "$2: ewfinfo system date"
}
