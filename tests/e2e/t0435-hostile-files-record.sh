#!/bin/sh
# Records and profiles that say more than forage may act on (issue 19,
# item 10).  A record given to verify reads only the files beside it:
# outputs[].path "../../../../etc/passwd" (or an absolute path elsewhere)
# is refused, "points outside its folder", exit 2, and the file is never
# opened.  An unknown record_format and a wrongly typed hash_windows are
# refused naming the file and the key.  A key given twice in a profile is
# refused naming file, line and key.  --resume with a record that lacks a
# compared parameter says the record has none (it printed an
# uninitialised number).
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq timeout

make_data src.bin 262144
mkdir ev
expect_exit 0 "an acquisition" -- "$FORAGE" acquire src.bin -o ev/HD1 \
	--format raw --progress none
cp ev/HD1.json good.json
expect_exit 0 "its record verifies" -- "$FORAGE" verify --progress none ev/HD1.json

# ---- outputs[].path outside the record's folder --------------------------
mkdir -p a/b/c
echo "secret" >a/secret.txt
ms=$(md5sum <a/secret.txt | cut -d' ' -f1)
for bad in ../../../../etc/passwd "$T/a/secret.txt" a/secret.txt; do
	jq --arg p "$bad" --arg m "$ms" \
		'.outputs = [{"path": $p, "size": 7, "md5": $m}]' good.json >a/b/X.json
	expect_exit 2 "record naming $bad" -- timeout 60 "$FORAGE" verify \
		--progress none a/b/X.json
	expect_in err.txt "^FAILURE: the record X.json points outside its folder: outputs\[0\] is $bad, not beside it in a/b" \
		"$bad: refused, the record points outside its folder"
	grep -q "match" out.txt && fail "$bad: something was compared" ||
		ok "$bad: nothing read or compared"
done
# The same outputs beside the evidence: the record is not used, the files
# it names elsewhere are not read.
# (copy 1: the file is one of the one copy the record names)
jq '.outputs += [{"path": "../../../../etc/passwd", "size": 5, "copy": 1}]' good.json >ev/HD1.json
expect_exit 2 "record beside the image naming /etc/passwd too" -- \
	timeout 60 "$FORAGE" verify --json --progress none ev/HD1.raw
jq -r '.. | strings' out.txt | grep -q 'root:' && fail "/etc/passwd content shown" ||
	ok "/etc/passwd not read"
expect_exit 2 "given itself" -- timeout 60 "$FORAGE" verify --progress none ev/HD1.json
expect_in err.txt "the record HD1.json points outside its folder: outputs\[1\] is ../../../../etc/passwd" \
	"the record given itself: outputs[1] named"
# A second copy is read where it was written only under the names of the
# copy beside the record: one named otherwise is outside its folder.
jq '.outputs[0].copy = 1 | .outputs += [{"path": "/etc/passwd", "size": 5, "copy": 2}]' \
	good.json >ev/HD1.json
expect_exit 2 "a second copy naming /etc/passwd" -- \
	timeout 60 "$FORAGE" verify --copy 2 --progress none ev/HD1.json
expect_in err.txt "the record HD1.json points outside its folder: outputs\[1\] is /etc/passwd" \
	"a second copy of another name is refused"
grep -q "root:" out.txt err.txt && fail "/etc/passwd content shown" ||
	ok "a second copy of another name: /etc/passwd not read"
# A record moved away from its evidence no longer reaches it.
cp good.json a/HD1.json
expect_exit 2 "record moved away from its evidence" -- \
	timeout 60 "$FORAGE" verify --progress none a/HD1.json
expect_in err.txt "points outside its folder: outputs\[0\] is $T/ev/HD1.raw" \
	"moved record: the evidence elsewhere is refused"
cp good.json ev/HD1.json

# ---- record_format and hash_windows ----------------------------------------
check_bad() { # FILTER WHAT REGEX [REGEX given itself]
	jq "$1" good.json >ev/HD1.json
	expect_exit 2 "$2: given itself" -- timeout 60 "$FORAGE" verify \
		--progress none ev/HD1.json
	expect_in err.txt "^FAILURE: ev/HD1.json: ${4:-$3}" "$2: named"
	expect_exit 2 "$2: beside the image" -- timeout 60 "$FORAGE" verify \
		--progress none ev/HD1.raw
	expect_in err.txt "ev/HD1.json: $3" "$2 beside the image: named"
}
check_bad '.record_format = "forage-acquisition-2"' "unknown record_format" \
	'record_format "forage-acquisition-2": not a record this forage reads'
# (Given itself, detection already says it is not a forage record.)
check_bad '.record_format = 1' "record_format a number" 'record_format 1: not a record' \
	'JSON, but not a forage acquisition record'
check_bad 'del(.record_format)' "no record_format" 'record_format missing: not a record' \
	'JSON, but not a forage acquisition record'
check_bad '.hash_windows.size = "65536"' "hash_windows.size a string" \
	'hash_windows.size: not a positive whole number of bytes'
check_bad '.hash_windows.size = -1' "hash_windows.size negative" \
	'hash_windows.size: not a positive whole number'
check_bad '.hash_windows.sha256 = "00"' "hash_windows.sha256 a string" \
	'hash_windows.sha256: not a list'
check_bad '.hash_windows.sha256[0] = 7' "hash_windows.sha256[0] a number" \
	'hash_windows.sha256\[0\]: not a SHA-256 in hex'
check_bad '.hash_windows.algorithm = "md5"' "hash_windows.algorithm md5" \
	'hash_windows.algorithm: not "sha256"'
cp good.json ev/HD1.json
expect_exit 0 "the good record verifies again" -- "$FORAGE" verify --progress none ev/HD1.raw

# ---- a profile key given twice -------------------------------------------------
printf 'format = raw\n# c\nretries = 2\n\nretries = 5\n' >dup.profile
mkdir o-dup
expect_exit 2 "profile key twice" -- "$FORAGE" acquire src.bin -o o-dup/HD1 \
	--profile ./dup.profile --progress none
expect_in err.txt "dup.profile:5: key 'retries' given twice \(first on line 3\)" \
	"duplicate key: file, line, key"
nothing_left o-dup "duplicate profile key"
printf 'verify = yes\nformat = raw\nverify = no\n' >dup2.profile
expect_exit 2 "profile switch twice" -- "$FORAGE" acquire src.bin -o o-dup/HD1 \
	--profile ./dup2.profile --progress none
expect_in err.txt "dup2.profile:3: key 'verify' given twice \(first on line 1\)" \
	"duplicate switch: file, line, key"

# ---- --resume with a record lacking a compared parameter ---------------------
mkdir r
expect_exit 0 "an acquisition with a mapfile" -- "$FORAGE" acquire src.bin -o r/HD1 \
	--format raw --mapfile r/HD1.map --progress none
jq '.result.status = "interrupted" | del(.parameters.retries)' r/HD1.json >r/x &&
	mv r/x r/HD1.json
expect_exit 2 "--resume, the record has no parameters.retries" -- "$FORAGE" acquire \
	src.bin -o r/HD1 --format raw --mapfile r/HD1.map --resume --progress none
expect_in err.txt "cannot resume: --retries differs: r/HD1.json has no parameters.retries, 3 now" \
	"the missing parameter is said missing, not a number"
# The crafted records do not stand for forage's documents.
rm -f r/HD1.json a/b/X.json
done_testing
