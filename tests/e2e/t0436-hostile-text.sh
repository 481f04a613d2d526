#!/bin/sh
# Text from evidence, a record or a case database cannot drive the
# terminal: EWF header values (case number, examiner, notes, description),
# a section type a file makes up, and the case, examiner and custody
# strings of a case database carry ESC, BEL and CSI sequences; `forage
# verify`, `forage info`, `case show`, `case list` print them with every
# control byte as \xNN (as the text report does), no byte below 0x20 but
# line feed and tab.  The E01 is forage's own with those values; its last
# section is renamed in place, its descriptor checksum made good again.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd od dd awk sqlite3 jq
need_e01_writer

E=$(printf '\033]0;PWNED\a\033[2J')
SHOWN='\\x1b\]0;PWNED\\x07\\x1b\[2J'

# No byte below 0x20 but line feed and tab, no DEL, in each file.
clean() { # WHAT FILE...
	what=$1
	shift
	for f in "$@"; do
		n=$(LC_ALL=C tr -d '\n\t\040-\176\200-\377' <"$f" | wc -c)
		[ "$n" -eq 0 ] && ok "$what: $f has no control byte" ||
			fail "$what: $f has $n control bytes: $(od -c "$f" | head -n 5)"
	done
}

# Write the number V as N little-endian bytes at OFFSET of FILE.
put_le() { # FILE OFFSET V N
	v=$3 s= i=0
	while [ "$i" -lt "$4" ]; do
		s="$s$(printf '\\%03o' $((v & 255)))"
		v=$((v >> 8)) i=$((i + 1))
	done
	printf "$s" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# Make the Adler-32 of the section descriptor at OFFSET good again.
fix_descriptor() { # FILE OFFSET
	sum=$(od -An -v -tu1 -j "$2" -N 72 "$1" | awk 'BEGIN { a = 1; b = 0 }
		{ for (i = 1; i <= NF; i++) { a = (a + $i) % 65521; b = (b + a) % 65521 } }
		END { printf "%.0f", b * 65536 + a }')
	put_le "$1" $(($2 + 72)) "$sum" 4
}

make_data src.raw 1048576
expect_exit 0 "acquire with hostile case values" -- "$FORAGE" acquire --progress none \
	--case "C$E" --examiner "X$E" --notes "N$E" --description "D$E" src.raw -o ev
clean "acquire" out.txt err.txt

# The header values, read back from the E01.
expect_exit 0 "verify the E01" -- "$FORAGE" verify --progress none ev.E01
clean "verify" out.txt err.txt
expect_in out.txt "^header:    case_number: C$SHOWN$" "case number shown escaped"
expect_in out.txt "^header:    examiner_name: X$SHOWN$" "examiner shown escaped"
expect_in out.txt "^header:    notes: N$SHOWN$" "notes shown escaped"
expect_in out.txt "^header:    description: D$SHOWN$" "description shown escaped"
# JSON keeps the value itself (jansson escapes it).
expect_exit 0 "verify the E01, JSON" -- "$FORAGE" verify --json --progress none ev.E01
[ "$(jq -r '.verifications[0].image.metadata.case_number' out.txt)" = "C$E" ] &&
	ok "JSON: the case number kept as it is" ||
	fail "JSON: case number $(jq -c '.verifications[0].image.metadata' out.txt)"
clean "verify --json" out.txt

# A section type made up by the file: the last section ("done") renamed,
# pointing past the end of the file.
cp ev.E01 h.E01
off=$(LC_ALL=C grep -boa done h.E01 | tail -n 1 | cut -d: -f1)
printf '%s\0\0\0' "$E" | dd of=h.E01 bs=1 seek="$off" conv=notrunc 2>/dev/null
size=$(wc -c <h.E01)
put_le h.E01 $((off + 16)) $((size + 4096)) 8
fix_descriptor h.E01 "$off"
expect_exit 2 "verify an E01 with a hostile section type" -- "$FORAGE" verify --progress none h.E01
clean "section type" out.txt err.txt
expect_in err.txt "^FAILURE: h.E01: truncated: the '$SHOWN' section at offset $off \(0 bytes\) continues to offset $((size + 4096)), the file ends at $size$" \
	"the section type shown escaped, with its offset"

# The case database: what acquire put there, and custody and evidence
# strings written by hand.
expect_exit 0 "custody with hostile parties" -- "$FORAGE" case custody add --case-db case.db \
	--examiner "X$E" --evidence "V$E" --action received --from "F$E" --to "T$E" --location "L$E" --reason "R$E" --new
clean "custody add" out.txt err.txt
# A case written straight into the database (tables are append-only).
sql case.db "INSERT INTO cases VALUES ('Z' || char(27) || '[31m', 'K' || char(27) || '[31m' || char(155) || 'x', '2026-01-01T00:00:00Z', 'Y' || char(7))" ||
	fail "sqlite3 could not add a case"
expect_exit 0 "case show" -- "$FORAGE" case show --case-db case.db
clean "case show" out.txt err.txt
expect_in out.txt "^Case C$SHOWN" "case show: case id escaped"
expect_in out.txt "^  created .* by X$SHOWN$" "case show: examiner escaped"
expect_in out.txt "^Evidence V$SHOWN$" "case show: evidence id escaped"
expect_in out.txt "from F$SHOWN  to T$SHOWN  at L$SHOWN  \(by X$SHOWN\)$" "case show: custody parties escaped"
expect_in out.txt "^      reason: R$SHOWN$" "case show: custody reason escaped"
expect_exit 0 "case list" -- "$FORAGE" case list --case-db case.db
clean "case list" out.txt err.txt
expect_in out.txt "^C$SHOWN +1 +1 .* X$SHOWN" "case list: case and examiner escaped"
expect_in out.txt '^Z\\x1b\[31m +0 +0 +2026-01-01T00:00:00Z +Y\\x07 +K\\x1b\[31m\\xc2\\x9bx$' \
	"case list: a case written by hand escaped, a C1 control (U+009B) too"

# forage info: the name of what it is given, and what it says of it.
cp src.raw "n$E.raw"
expect_exit 0 "info on a file with a hostile name" -- "$FORAGE" info "n$E.raw"
clean "info" out.txt err.txt
expect_in out.txt "^forage info: n$SHOWN.raw$" "info: the name escaped"
expect_in out.txt "^  Path: n$SHOWN.raw$" "info: the path escaped"

done_testing
