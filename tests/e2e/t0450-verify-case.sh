#!/bin/sh
# Verifications in the case database: a single verification is recorded
# against the acquisition that wrote the evidence (who, when, which files,
# which hashes, result, where it differed); `forage verify --case` re-verifies
# every evidence item the database knows, records one verification each
# and prints a summary; one damaged item gives exit 1 and is named; files
# moved elsewhere are found with --search-dir; an item never acquired and
# an unknown case cannot be verified (exit 2); the event log stays intact.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/verify.sh"
need_cmd jq sqlite3
unset FORAGE_CASE_DB
export FORAGE_EXAMINER="Vera Verifier"

make_data a.bin 3000000
make_data b.bin 2500000
make_data c.bin 700000
mkdir ev
for x in "a HD1" "b HD2 --segment-size 1M" "c HD3"; do
	set -- $x
	f=$1; id=$2; shift 2
	expect_exit 0 "acquire $id" -- "$FORAGE" acquire "$f.bin" -o "ev/$id" --format raw \
		--case C1 --evidence "$id" --hash-window 256K --progress none "$@"
done
[ -f ev/case.db ] || fail "no case database beside the outputs"
db=ev/case.db
here=$(pwd -P)

# One image: recorded against its acquisition.
expect_exit 0 "verify HD1.raw" -- "$FORAGE" verify --progress none ev/HD1.raw
expect_in out.txt "^recorded:  verification [0-9]+ of acquisition 1 in $here/ev/case.db$" "HD1: recorded against acquisition 1"
[ "$(sql $db "select count(*) from verifications where acquisition_id = 1 and result = 'match' and examiner = 'Vera Verifier'")" = 1 ] &&
	ok "HD1: row with examiner and result" || fail "HD1: verification row"
[ "$(sql $db "select count(*) from verification_hashes h join verifications v on v.id = h.verification_id where v.acquisition_id = 1 and h.file is null and h.match = 1")" -ge 2 ] &&
	ok "HD1: media hashes recorded" || fail "HD1: hashes"
sql $db "select target from verifications where acquisition_id = 1" | grep -q 'ev/HD1.raw' && ok "HD1: target recorded" || fail "HD1: target"
[ "$(sql $db "select count(*) from events where kind = 'verification'")" = 1 ] && ok "HD1: event written" || fail "HD1: event"

# The whole case.
expect_exit 0 "verify --case C1" -- "$FORAGE" verify --case C1 --case-db $db --progress none
expect_in out.txt "^summary of case C1 \(ev/case.db\):$" "summary printed"
for id in HD1 HD2 HD3; do
	expect_in out.txt "^  $id +acquisition [0-9]+ +verified " "summary: $id verified"
done
[ "$(sql $db "select count(*) from verifications")" = 4 ] && ok "one verification recorded per item" || fail "verification count"

# One item damaged: exit 1, named in the summary and in the database.
chmod u+w ev/HD2.002
flip_byte ev/HD2.002 600000
expect_exit 1 "verify --case C1, HD2 damaged" -- "$FORAGE" verify --case C1 --case-db $db --progress none
expect_in out.txt "^  HD2 +acquisition 2 +MISMATCH +$here/ev/HD2.001: " "summary: HD2 MISMATCH"
expect_in out.txt "^  HD1 +acquisition 1 +verified " "summary: HD1 still verified"
expect_in out.txt "^  hash window 6 \(LBA 3072-3583, media bytes 1572864-1835007\) in HD2.002 at offset 524288-786431: differs" \
	"HD2: the damaged window named with its file and offset"
expect_in err.txt "^FAILURE: case 'C1': 1 of 3 verifications found differences$" "FAILURE line"
[ "$(sql $db "select result, exit_code from verifications where id = (select max(id) from verifications where acquisition_id = 2)")" = "mismatch|1" ] &&
	ok "HD2: mismatch recorded" || fail "HD2: result row"
sql $db "select file, offset, length, what from verification_diffs d join verifications v on v.id = d.verification_id where v.acquisition_id = 2" |
	grep -q "^$here/ev/HD2.002|524288|262144|hash window 6 " && ok "HD2: where it differed recorded" || fail "HD2: diffs"
[ "$(sql $db "select count(*) from verification_hashes h join verifications v on v.id = h.verification_id where v.acquisition_id = 2 and h.file = 'HD2.002' and h.match = 0")" -ge 1 ] &&
	ok "HD2: the segment's hash mismatch recorded" || fail "HD2: segment hash row"
expect_exit 0 "audit after the verifications" -- "$FORAGE" case audit --case-db $db
flip_byte ev/HD2.002 600000

# JSON, one item.
expect_exit 0 "verify --case --evidence HD3 --json" -- "$FORAGE" verify --case C1 --evidence HD3 --case-db $db --json --progress none
[ "$(jq -r '.verifications | length' out.txt)" = 1 ] && ok "JSON: one item" || fail "JSON: items"
[ "$(jq -r '.verifications[0].case_db.acquisition_id' out.txt)" = 3 ] && ok "JSON: acquisition named" || fail "JSON: acquisition"
[ "$(jq -r '.result.status' out.txt)" = verified ] || fail "JSON: result"

# Files moved: not found, then found with --search-dir.
mkdir moved
mv ev/HD3.raw moved/
expect_exit 2 "HD3 moved away" -- "$FORAGE" verify --case C1 --evidence HD3 --case-db $db --progress none
expect_in out.txt "HD3.raw: segment missing: the case database case.db, acquisition 3 names it" "moved file named"
expect_exit 0 "HD3 with --search-dir" -- "$FORAGE" verify --case C1 --evidence HD3 --case-db $db --search-dir moved --progress none
expect_in out.txt "^== moved/HD3.raw$" "found in the search folder"
mv moved/HD3.raw ev/

# An item in custody, never acquired; unknown case and item.
expect_exit 0 "custody of HD5" -- "$FORAGE" case custody add --case-db $db --case C1 --evidence HD5 --action received --from "Desk 3" --new
expect_exit 2 "HD5 never acquired" -- "$FORAGE" verify --case C1 --evidence HD5 --case-db $db --progress none
expect_in out.txt "^  HD5 +no acquisition +cannot verify +no acquisition of this item is recorded$" "HD5 listed, not verifiable"
expect_exit 2 "unknown case" -- "$FORAGE" verify --case NOPE --case-db $db
expect_in err.txt "ev/case.db: the case database knows no case 'NOPE'" "unknown case named"
expect_exit 2 "unknown item" -- "$FORAGE" verify --case C1 --evidence HD9 --case-db $db
expect_in err.txt "case 'C1' has no evidence item 'HD9'" "unknown item named"
expect_exit 2 "--case with an IMAGE" -- "$FORAGE" verify --case C1 ev/HD1.raw
expect_exit 2 "--search-dir without --case" -- "$FORAGE" verify --search-dir moved ev/HD1.raw
expect_exit 2 "no database" -- "$FORAGE" verify --case C1 --case-db nowhere.db
expect_in err.txt "nowhere.db" "missing database named"

# An image no acquisition wrote, into a database named for it: unfiled.
make_data other.dd 40000
expect_exit 0 "verify other.dd into new.db" -- "$FORAGE" verify --progress none --case-db new.db \
	--md5 "$(md5sum <other.dd | cut -d' ' -f1)" other.dd
expect_in out.txt "^recorded:  verification 1 in new.db \(no acquisition there wrote other.dd\)$" "unfiled verification recorded"
[ "$(sql new.db "select count(*) from verifications where acquisition_id is null or acquisition_id = 0")" = 1 ] || fail "new.db row"
# Evidence without a database beside it: verified, not recorded, said so.
expect_exit 0 "verify without a database" -- "$FORAGE" verify --progress none --md5 "$(md5sum <other.dd | cut -d' ' -f1)" other.dd
expect_in out.txt "^recorded:  not recorded: no case database" "not recorded: said"
expect_exit 0 "audit at the end" -- "$FORAGE" case audit --case-db $db

# The records name their outputs and database by absolute path; the whole
# folder moved elsewhere (the old one gone) still verifies: files are found
# beside the record, or beside the database, by their names.
[ "$(jq -r '.outputs[0].path' ev/HD1.json)" = "$here/ev/HD1.raw" ] && [ "$(jq -r .case_db.path ev/HD1.json)" = "$here/ev/case.db" ] &&
	ok "record paths absolute" || fail "record paths: $(jq -c '[.outputs[0].path, .case_db.path]' ev/HD1.json)"
mkdir archive
mv ev archive/2026
expect_exit 0 "verify a moved record" -- "$FORAGE" verify --progress none archive/2026/HD2.json
expect_in out.txt "^== archive/2026/HD2.json$" "moved record verified"
expect_in out.txt "^recorded:  verification [0-9]+ of acquisition 2 in archive/2026/case.db$" "recorded in the database moved with it"
expect_exit 0 "verify --case of the moved folder" -- "$FORAGE" verify --case C1 --evidence HD2 --case-db archive/2026/case.db --progress none
expect_in out.txt "^== archive/2026/HD2.001$" "verify --case finds the moved files beside the database"
expect_in out.txt "^  HD2 +acquisition 2 +verified " "summary: HD2 verified where it now lies"
expect_exit 0 "audit of the moved database" -- "$FORAGE" case audit --case-db archive/2026/case.db
done_testing
