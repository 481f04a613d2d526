#!/bin/sh
# The acquisition record's text form, OUTBASE.txt, is an imaging log an
# examiner reads and signs: the case fields, then the source, then the
# status and the MD5 and SHA-256 of the acquired data in the first 30
# lines; the unreadable ranges under ERRORS with their exact LBAs; no raw
# JSON; at most 80 columns; a signature block; and every short value of
# the JSON record somewhere in it.  For a raw image, a split raw image, an
# E01 with a second copy and --verify, and (as root, with FUSE) a failing
# drive read as raw.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq md5sum sha256sum awk

# head30 LOG REGEX WHAT: REGEX matches a line among the first 30 of LOG.
head30() {
	if head -n 30 "$1" | grep -qE -- "$2"; then ok "$3"; else
		fail "$3: /$2/ not in the first 30 lines of $1"
		sed 's/^/  | /' "$1" | head -n 40 >&2
	fi
}

# layout LOG: what every log holds, whatever the acquisition.
layout() {
	l=$1
	[ "$(head -n 1 "$l")" = "FORAGE ACQUISITION LOG" ] && ok "$l: title on line 1" ||
		fail "$l: first line '$(head -n 1 "$l")'"
	n=$(grep -c '[{}]' "$l")
	[ "$n" -eq 0 ] && ok "$l: no JSON braces" || fail "$l: $n lines with braces"
	n=$(LC_ALL=C awk 'length > 80' "$l" | wc -l)
	[ "$n" -eq 0 ] && ok "$l: no line over 80 columns" ||
		fail "$l: $n lines over 80 columns: $(LC_ALL=C awk 'length > 80' "$l" | head -n 3)"
	# The sections, in the order an examiner reads them.
	want="CASE SOURCE RESULT SOURCE_DETAILS ERRORS DRIVE_HEALTH OUTPUT_FILES PARAMETERS RUN SIGNATURE"
	got=$(sed -n 's/^---- \([A-Z :]*[A-Z]\) -*$/\1/p' "$l" | tr ' ' _ |
		grep -vx 'VERIFICATION\|OTHER_RECORDED_VALUES' | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$want" ] && ok "$l: sections in order" || fail "$l: sections '$got'"
	expect_in "$l" "^Examiner: _+  Date: _+$" "$l: signature block"
	# Every short value of the record (a word of up to 40 characters),
	# but the few shown in words (status, digests list, formats) and the
	# hash window list the log counts.
	jq -r 'del(.hash_windows.sha256, .result.status, .parameters.hashes,
		.parameters.format, .container.format, .second_container.format,
		.record_format)
		| [paths(scalars) as $p | getpath($p) | strings] | .[]' "${l%.txt}.json" |
		awk 'length <= 40 && !/ / {
			# A time is shown as "2026-12-07 10:40:00 UTC".
			if ($0 ~ /^[0-9-]+T[0-9:]+Z$/) { sub("T", " "); sub("Z", " UTC") }
			print }' | sort -u >values.txt
	missing=
	while IFS= read -r v; do
		grep -qiF -- "$v" "$l" || missing="$missing $v"
	done <values.txt
	[ -z "$missing" ] && ok "$l: every short value of the record is in the log" ||
		fail "$l: not in the log:$missing"
}

make_data src.raw 3000000
md5=$(md5sum <src.raw | cut -d' ' -f1)
sha=$(sha256sum <src.raw | cut -d' ' -f1)

mkdir r s e e2
expect_exit 0 "raw acquisition" -- "$FORAGE" acquire src.raw -o r/HD1 --format raw \
	--case 2026-041 --evidence HD1 --examiner "Jo Smith" \
	--description "Seagate 500 GB from desk 3" --notes "seized at 10:40" --progress none
l=r/HD1.txt
layout "$l"
expect_in "$l" "^Case number: +2026-041$" "raw: case number"
expect_in "$l" "^Evidence: +HD1$" "raw: evidence"
expect_in "$l" "^Examiner: +Jo Smith$" "raw: examiner"
expect_in "$l" "^Description: +Seagate 500 GB from desk 3$" "raw: description"
expect_in "$l" "^Notes: +seized at 10:40$" "raw: notes"
expect_in "$l" "^Size: +3,000,000 bytes \(3 MB, 2.86 MiB\)$" "raw: size in bytes, MB and MiB"
expect_in "$l" "^Sectors: +5,859 x 512 bytes, and 192 bytes more$" "raw: size in sectors"
head30 "$l" "^Status: +COMPLETE$" "raw: status COMPLETE at the top"
head30 "$l" "^MD5: +$md5$" "raw: MD5 at the top"
head30 "$l" "^SHA-256: +$sha$" "raw: SHA-256 at the top"
head30 "$l" "^Unreadable: +none: every sector was read$" "raw: no unreadable sectors"
expect_in "$l" "^No unreadable sectors\.$" "raw: ERRORS says none"
expect_in "$l" "^Segment size: +not split \(default\)$" "raw: segment size in words"
expect_in "$l" "^Read size: +1 MiB \(default\)$" "raw: read size with its unit"
expect_in "$l" "^Image re-read: +not asked \(no --verify\)$" "raw: --verify not asked"
expect_in "$l" "^  $T/r/HD1.raw$" "raw: the image named"
expect_in "$l" "^HPA: +not applicable: the source is not a block device\.$" "raw: HPA of a file in a sentence"
expect_in "$l" "^Write block: +not a block device: " "raw: write block of a file in a sentence"

expect_exit 0 "split raw acquisition, --verify, --verify-source" -- "$FORAGE" acquire src.raw \
	-o s/HD1 --format raw --segment-size 1M --verify --verify-source --progress none
l=s/HD1.txt
layout "$l"
expect_in "$l" "^Case number: +none given$" "split: no case said so"
head30 "$l" "^Image re-read: +VERIFIED: the image read back gives the same MD5 and SHA-256$" \
	"split: --verify verdict at the top"
head30 "$l" "^Source re-read: +MATCH: the source read again gives the same digests$" \
	"split: --verify-source verdict at the top"
expect_in "$l" "^Segment size: +split into files of at most 1 MiB$" "split: segment size"
for f in 001 002 003; do
	fm=$(md5sum <"s/HD1.$f" | cut -d' ' -f1)
	grep -A 2 "^  $T/s/HD1.$f\$" "$l" | grep -qE "^    MD5: +$fm\$" &&
		ok "split: HD1.$f listed with its MD5" || fail "split: HD1.$f"
done

expect_exit 0 "E01 acquisition, second copy, --verify" -- "$FORAGE" acquire src.raw -o e/HD1 \
	--format e01 --second-output e2/HD1 --verify --case C1 --progress none
l=e/HD1.txt
layout "$l"
head30 "$l" "^MD5: +$md5$" "E01: MD5 at the top"
head30 "$l" "^Copy 2 re-read: +VERIFIED" "E01: the second copy's verdict at the top"
expect_in "$l" "^Chunk size: +32 KiB \(auto, default\)$" "E01: chunk size (auto)"
expect_in "$l" "^Copy 2 \(--second-output e2/HD1\):$" "E01: the second copy"
expect_in "$l" "^  $T/e2/HD1.E01$" "E01: the second copy's file"
pmd5=$(json_get e/HD1.json .hashes.e01_padded.md5)
expect_in "$l" "^    MD5: +$pmd5$" "E01: the padded media's MD5"

# Control bytes a person typed are shown escaped: they cannot drive the
# terminal the log is read on.
E=$(printf '\033]0;PWNED\a\033[2J')
mkdir h
expect_exit 0 "acquisition with hostile case values" -- "$FORAGE" acquire src.raw -o h/HD1 \
	--format raw --case "C$E" --examiner "X$E" --notes "N$E" --progress none
n=$(LC_ALL=C tr -d '\n\040-\176\200-\377' <h/HD1.txt | wc -c)
[ "$n" -eq 0 ] && ok "hostile: no control byte in the log" || fail "hostile: $n control bytes in the log"
expect_in h/HD1.txt '^Examiner: +X\\x1b\]0;PWNED\\x07\\x1b\[2J$' "hostile: the examiner shown escaped"

# A failing drive (FUSE + loop): the exact ranges under ERRORS.
if [ "$(id -u)" -eq 0 ] && [ -c /dev/fuse ] && [ -x "$FG_BUILDDIR/tests/tools/faultyfs" ]; then
	. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
	faultdev_need
	make_data disk.img 4194304
	faultdev_start disk.img 512 --bad 0,1000-1015,6140-6150,8191
	mkdir f
	"$FORAGE" acquire "$FAULTDEV" -o f/HD1 --format raw --retries 1 --fill 0xee \
		--block-size 64K --case 2026-041 --evidence HD-F --examiner "Jo Smith" \
		--progress none >out.txt 2>err.txt
	rc=$?
	faultdev_stop
	[ "$rc" -eq 3 ] && ok "failing: exit 3" || fail "failing: exit $rc"
	l=f/HD1.txt
	layout "$l"
	head30 "$l" "^Status: +COMPLETE WITH ERRORS: 29 unreadable sectors filled with 0xEE$" \
		"failing: status at the top"
	head30 "$l" "^Unreadable: +29 sectors in 4 ranges, filled with 0xEE \(see ERRORS\)$" \
		"failing: unreadable count at the top"
	head30 "$l" "^SHA-256: +$(json_get f/HD1.json .hashes.sha256)$" "failing: SHA-256 at the top"
	head30 "$l" "^Source: +$FAULTDEV \(block device\)$" "failing: the device named"
	sed -n '/^---- ERRORS/,/^----/p' "$l" | grep '^  LBA' >ranges.txt
	printf '  LBA %s\n' "0 (1 sector)" "1000 - 1015 (16 sectors)" \
		"6140 - 6150 (11 sectors)" "8191 (1 sector)" | diff -u - ranges.txt &&
		ok "failing: ERRORS lists exactly the bad LBA ranges" ||
		fail "failing: ranges under ERRORS"
	expect_in "$l" "^29 unreadable sectors in 4 ranges, each sector filled with 0xEE:$" \
		"failing: the fill said under ERRORS"
	expect_in "$l" "^  $FAULTDEV \(source\): kernel read-only flag" "failing: write block of the device in a sentence"
	expect_in "$l" "^HPA: +not known: " "failing: HPA in a sentence"
else
	echo "SKIP: the failing drive part needs root, /dev/fuse and tests/tools/faultyfs" >&2
fi

done_testing
