#!/bin/sh
# The court report of a case as an examiner makes it (issue 21): a failing
# drive (FUSE + loop, three unreadable ranges) acquired as E01 with
# --notes, --verify and --verify-source, a USB stick as raw, custody
# handovers and forage verify.  Page 1 of the PDF (headless Chromium) is
# the summary: the hashes, the unreadable ranges, the re-reads and
# "Page 1 of N"; page 1 renders to a PNG of A4 size that is not blank.
# Text and HTML say the same in the same order, with the notes and the
# re-read results that only the acquisition record held; the HTML has the
# sector map.  A missing Chromium is refused with exit 2 and no file.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
need_cmd jq sqlite3
faultdev_need
DB=$T/case.db
export FORAGE_EXAMINER="Jo Smith"

make_data hd1.img 1048576
make_data hd2.img 4194304
expect_exit 0 "case init" -- "$FORAGE" case init --case-db "$DB" --case 2026-041 \
	--description "Burglary, 12 High St"
expect_exit 0 "HD1: raw acquisition with --notes and --verify" -- "$FORAGE" acquire hd1.img \
	-o HD1 --format raw --case 2026-041 --evidence HD1 --case-db "$DB" \
	--description "USB stick from desk 3" --notes "Seized by PC Dunn, bag 77/26-3" \
	--verify --progress none
faultdev_start hd2.img 512 --bad "77,1500-1502,6000-6063"
expect_exit 3 "HD2: E01 of a failing drive, --verify --verify-source" -- "$FORAGE" acquire \
	"$FAULTDEV" -o HD2 --format e01 --case 2026-041 --evidence HD2 --case-db "$DB" \
	--description "Laptop SATA drive" --notes "Drive clicks on power-up" --retries 1 \
	--verify --verify-source --progress none
faultdev_stop
expect_exit 0 "custody: received" -- "$FORAGE" case custody add --case-db "$DB" \
	--case 2026-041 --evidence HD1 --action received --from "PC Dunn" \
	--to "Jo Smith" --location "Lab intake" --reason "warrant 77/26"
expect_exit 0 "custody: stored" -- "$FORAGE" case custody add --case-db "$DB" \
	--case 2026-041 --evidence HD2 --action stored --from "Jo Smith" \
	--to "Evidence store" --location "Locker 12" --reason "end of day"
expect_exit 0 "verify --case" -- env FORAGE_EXAMINER="Kim Lee" "$FORAGE" verify \
	--case 2026-041 --case-db "$DB" --progress none

md5=$(sql "$DB" "SELECT hex FROM media_hashes WHERE acquisition_id = 2 AND algorithm = 'md5'")
sha=$(sql "$DB" "SELECT hex FROM media_hashes WHERE acquisition_id = 2 AND algorithm = 'sha256'")
[ ${#sha} -eq 64 ] && ok "HD2's SHA-256 from the database" || fail "HD2's SHA-256: '$sha'"

# ---- text and HTML: the summary first, the record's facts in it ---------------
for f in text html; do
	expect_exit 0 "report --format $f" -- "$FORAGE" report --case-db "$DB" --format "$f" \
		-o "report.$f"
	for v in "Drive clicks on power-up" "Seized by PC Dunn, bag 77/26-3" \
		"68 sectors in 3 ranges: LBA 77, 1500-1502, 6000-6063" \
		"8192 sectors of 512 bytes = 4194304 bytes (4.19 MB, 4 MiB)" \
		"Report ID" "local time" "Attestation"; do
		grep -qF -- "$v" "report.$f" && ok "$f: '$v'" || fail "$f: '$v' missing"
	done
	sum=$(grep -n "Summary" "report.$f" | head -n 1 | cut -d: -f1)
	det=$(grep -n "Details: case" "report.$f" | head -n 1 | cut -d: -f1)
	hash=$(grep -n "$sha" "report.$f" | head -n 1 | cut -d: -f1)
	[ -n "$sum" ] && [ -n "$hash" ] && [ -n "$det" ] && [ "$sum" -lt "$hash" ] &&
		[ "$hash" -lt "$det" ] && ok "$f: HD2's SHA-256 in the summary, before the details" ||
		fail "$f: summary at $sum, hash at $hash, details at $det"
done
expect_in report.text 'Source re-read \(--verify-source\): +match, ' "text: the --verify-source result"
expect_in report.text 'Evidence re-read \(--verify\): +verified, ' "text: the --verify result"
expect_in report.text 'Verified \(forage verify\): +match, .*by Kim Lee' "text: forage verify's verdict"
expect_in report.text 'Custody: +[0-9T:Z-]+ stored: Jo Smith to Evidence store, at Locker 12 \(end of day\)' \
	"text: a custody handover in one line"
expect_in report.text 'Chunk size: +32 KiB \(auto, default\)' "text: the chunk size in words"
expect_in report.text 'Second copy: +none' "text: no second copy"
# (already set when an earlier run left it: issue 21)
expect_in report.text 'Write block: +/dev/loop[0-9]+ \(source\): kernel read-only flag (already set before the run; still set after it|set by forage; still set after the run)\.' \
	"text: the write block as a sentence"
# 64 characters of 128 sectors: LBA 77 in the 1st, 1500-1502 in the 12th,
# 6000-6063 across the 47th and 48th.
grep -qxF '  [X..........X..................................XX................]' report.text &&
	ok "text: the sector map marks the three ranges" || fail "text: sector map"
grep -q 'Parameter: ' report.text && fail "text: raw parameter keys" || ok "text: no raw parameter keys"
grep -q '<svg class="map"' report.html && ok "html: an inline SVG sector map" || fail "html: no sector map"
expect_in report.html '>1500-1502</text>' "html: the map names a bad range by its LBAs"
expect_in report.html 'counter\(page\) " of " counter\(pages\)' "html: Page X of Y on every page"
grep -qiE '<(link|script|img)|src=|url\(' report.html && fail "HTML refers to other files" ||
	ok "HTML is self-contained"

# ---- PDF ------------------------------------------------------------------------
expect_exit 2 "--format pdf without Chromium" -- env FORAGE_CHROMIUM=/nonexistent/chromium \
	"$FORAGE" report --case-db "$DB" --format pdf -o none.pdf
expect_in err.txt 'needs Chromium.*install the Debian package chromium' "the missing printer is named"
[ -e none.pdf ] && fail "a PDF was written without Chromium" || ok "no PDF written without Chromium"
ls ./*.tmp* .none.pdf* 2>/dev/null | grep -q . && fail "a temporary file is left" ||
	ok "no temporary file left"
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ] || ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
	echo "SKIP (part): the PDF checks need chromium and poppler-utils (scripts/setup-debian.sh installs both)" >&2
	done_testing
fi
expect_exit 0 "report --format pdf" -- "$FORAGE" report --case-db "$DB" --format pdf -o report.pdf
head -c 5 report.pdf | grep -q '%PDF-' && ok "a PDF" || fail "not a PDF"
pdftotext -f 1 -l 1 report.pdf page1.txt || fail "pdftotext"
pages=$(pdfinfo report.pdf 2>/dev/null | sed -n 's/^Pages: *//p')
[ -n "$pages" ] || pages=$(pdftotext report.pdf - | grep -c 'Page [0-9]* of')
expect_in page1.txt "Page 1 of $pages" "page 1 says Page 1 of $pages"
tr -d ' \n\f' <page1.txt >page1.flat
for h in "$md5" "$sha"; do
	grep -qF "$h" page1.flat && ok "page 1 has $h" || fail "page 1 lacks $h"
done
expect_in page1.txt "Case 2026-041" "page 1's header names the case"
expect_in page1.txt "Report FR-" "page 1's header names the report id"
pdftotext -f "$pages" -l "$pages" report.pdf last.txt
expect_in last.txt "Attestation" "the last page is the attestation"
expect_in last.txt "Page $pages of $pages" "the last page: Page $pages of $pages"
pdftoppm -r 50 -png -f 1 -l 1 report.pdf p1 || fail "pdftoppm"
png=$(ls p1*.png 2>/dev/null | head -n 1)
if [ -n "$png" ] && [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
	# A4 at 50 dpi: 414 x 585 pixels (IHDR width and height, big-endian).
	w=$(od -An -tu1 -j 16 -N 4 "$png" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}')
	h=$(od -An -tu1 -j 20 -N 4 "$png" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}')
	[ "$w" -eq 414 ] && [ "$h" -eq 585 ] && ok "page 1 renders to a ${w}x$h PNG (A4)" ||
		fail "page 1 PNG is ${w}x$h, want 414x585"
	# Not blank: a blank page compresses to a few hundred bytes.
	[ "$(stat -c %s "$png")" -gt 10000 ] && ok "page 1 is not blank ($(stat -c %s "$png") bytes)" ||
		fail "page 1 looks blank ($(stat -c %s "$png") bytes)"
else
	fail "pdftoppm made no PNG of page 1"
fi
expect_exit 2 "an existing PDF is never overwritten" -- "$FORAGE" report --case-db "$DB" \
	--format pdf -o report.pdf
# A signed PDF: the signature covers the PDF's bytes.
if command -v openssl >/dev/null 2>&1 &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
		-days 2 -subj "/CN=Jo Smith/O=Test Lab" >openssl.log 2>&1; then
	expect_exit 0 "report --format pdf --sign" -- "$FORAGE" report --case-db "$DB" \
		--format pdf -o signed.pdf --sign key.pem --cert cert.pem
	expect_exit 0 "the signed PDF verifies" -- "$FORAGE" report verify-signature \
		signed.pdf signed.pdf.p7s --cert cert.pem
	head -c 5 signed.pdf | grep -q '%PDF-' && ok "the signed report is a PDF" ||
		fail "the signed report is not a PDF"
fi
done_testing
