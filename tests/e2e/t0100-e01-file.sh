#!/bin/sh
# E01 (the default format) of regular files: sizes 0, 1, 511, 512, 513,
# 1 MiB + 700 bytes, an all-zero file and a few MiB of real data.  libewf's
# tools read every set back: ewfverify succeeds, ewfexport gives back the
# source's bytes, ewfinfo shows the header values and the MD5.  Odd sizes
# are padded with zeros to the next sector inside the E01 only.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/e01.sh"

find /usr/share/doc -type f 2>/dev/null | head -n 400 | xargs cat 2>/dev/null | head -c 3500000 >real.bin
head -c 4194304 /dev/zero >zero.bin
for size in 0 1 511 512 513 1049276 zero real; do
	case $size in
	real | zero) src=$T/$size.bin ;;
	*) src=$T/src-$size.bin; make_data "$src" "$size" ;;
	esac
	mkdir "out-$size"
	expect_exit 0 "acquire $size" -- "$FORAGE" acquire "$src" -o "out-$size/HD1" \
		--case "$E01_CASE" --evidence "$E01_EVIDENCE" --examiner "$E01_EXAMINER" \
		--description "$E01_DESCRIPTION" --notes "$E01_NOTES" --progress none
	[ "$(last_line err.txt)" = SUCCESS ] && ok "$size: SUCCESS" || fail "$size: last line $(last_line err.txt)"
	e01_check "out-$size/HD1" "$src" "$size"
	e01_header "out-$size/HD1" "$size"
	j=out-$size/HD1.json
	[ "$(json_get "$j" .parameters.format)" = e01 ] || fail "$size: format recorded"
	[ "$(json_get "$j" .container.ewf_format)" = encase6 ] || fail "$size: ewf format recorded"
	[ "$(json_get "$j" .container.segment_files)" = 1 ] || fail "$size: one segment"
	[ "$(json_get "$j" .container.compressor)" = "ISA-L igzip level 0" ] ||
		[ "$(json_get "$j" .container.compressor)" = "zlib level 1" ] ||
		fail "$size: compressor and level recorded: $(json_get "$j" .container.compressor)"
	case "$(json_get "$j" .tool.md5)" in
	"forage md5.c (its self-test against RFC 1321 and OpenSSL passed)") ;;
	*) fail "$size: MD5 implementation recorded: $(json_get "$j" .tool.md5)" ;;
	esac
	# forage's SHA-256 where the CPU has the SHA extensions, else OpenSSL's.
	if grep -qw sha_ni /proc/cpuinfo; then want_sha="forage sha256.c with the x86 SHA extensions (its self-test against FIPS 180-4 and OpenSSL passed)"
	else want_sha="OpenSSL (this CPU has no x86 SHA extensions for forage's own)"; fi
	[ "$(json_get "$j" .tool.sha256)" = "$want_sha" ] ||
		fail "$size: SHA-256 implementation recorded: $(json_get "$j" .tool.sha256)"
	# Recorded absolute: the folder it was written to, resolved.
	[ "$(json_get "$j" '.outputs[0].path')" = "$(pwd -P)/out-$size/HD1.E01" ] ||
		fail "$size: output listed: $(json_get "$j" '.outputs[0].path')"
	[ "$(json_get "$j" .result.status)" = success ] || fail "$size: result"
	expect_in info.txt "Is physical:[[:space:]]+no" "$size: a file is not a physical medium"
	expect_in info.txt "Media type:[[:space:]]+fixed disk" "$size: media type fixed by default"
	[ -z "$(find "out-$size" -name '*incomplete*')" ] || fail "$size: leftovers"
	[ "$(stat -c %a "out-$size/HD1.E01")" = 444 ] && ok "$size: E01 read-only" || fail "$size: E01 mode"
done

# Text the E01 header cannot hold as is (it is tab- and line-separated)
# becomes spaces there; the record keeps it exactly.  UTF-8 goes through.
mkdir hdr
expect_exit 0 "header text" -- "$FORAGE" acquire src-513.bin -o hdr/HD1 \
	--examiner "José Ñandú" --notes "line one
line two	tab" --progress none
ewfinfo hdr/HD1.E01 >hdr.txt
expect_in hdr.txt "Examiner name:[[:space:]]+José Ñandú\$" "UTF-8 examiner in the E01"
expect_in hdr.txt "Notes:[[:space:]]+line one line two tab\$" "newline and tab become spaces in the E01"
[ "$(json_get hdr/HD1.json .case.notes)" = "line one
line two	tab" ] && ok "record keeps the notes exactly" || fail "record notes"
done_testing
