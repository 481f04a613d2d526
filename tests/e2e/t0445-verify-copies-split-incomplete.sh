#!/bin/sh
# A split raw set whose first file is missing, verified with --md5: not a
# MISMATCH but "cannot verify: the set is incomplete", naming the missing
# file and where what is there starts (exit 2); NAME.NNN and split(1)'s
# NAME.aa names.  A lone file named like a later one is hashed as it is.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
unset FORAGE_CASE_DB

make_data src.bin $((3 * 1024 * 1024))
md5=$(md5sum src.bin | cut -d' ' -f1)
split -b 1M -d -a 3 --numeric-suffixes=1 src.bin N.
split -b 1M src.bin L.
[ -f N.003 ] && [ -f L.ac ] || fail "split did not make the sets"
expect_exit 0 "the whole set N.001" -- "$FORAGE" verify N.001 --md5 "$md5" --progress none
rm N.001 L.aa
expect_exit 2 "N.002, N.001 missing" -- "$FORAGE" verify N.002 --md5 "$md5" --progress none
expect_in out.txt "^result:    cannot verify: the set is incomplete: N.001 is missing: the set starts at N.002$" "N: says the set is incomplete"
grep -q MISMATCH out.txt && fail "N: called a MISMATCH" || ok "N: not called a MISMATCH"
expect_exit 2 "N.003, N.001 missing" -- "$FORAGE" verify N.003 --md5 "$md5" --progress none
expect_in err.txt "the set is incomplete: N.001 is missing: the set starts at N.002" "N.003: names where the set starts"
expect_exit 2 "L.ab, L.aa missing" -- "$FORAGE" verify L.ab --md5 "$md5" --progress none
expect_in out.txt "^result:    cannot verify: the set is incomplete: L.aa is missing: the set starts at L.ab$" "L: says the set is incomplete"
grep -q MISMATCH out.txt && fail "L: called a MISMATCH" || ok "L: not called a MISMATCH"
expect_exit 2 "L.ac, L.aa missing" -- "$FORAGE" verify L.ac --md5 "$md5" --progress none
expect_in err.txt "L.aa is missing: the set starts at L.ab" "L.ac: names where the set starts"
# A file alone, named like split(1)'s second: hashed as it is.
cp src.bin whole.ab
expect_exit 0 "a lone whole.ab" -- "$FORAGE" verify whole.ab --md5 "$md5" --progress none
done_testing
