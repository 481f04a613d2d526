#!/bin/sh
# Issue 21: a signing key protected by a pass phrase is accepted: the pass
# phrase comes from --key-pass-file (its first line), else FORAGE_KEY_PASS,
# else it is asked on the terminal (echo off).  Without one, or with a
# wrong one, the report is refused before anything is written.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd openssl
DB=$T/case.db
export FORAGE_EXAMINER="Jo Smith"
unset FORAGE_KEY_PASS

make_data disk.img 65536
expect_exit 0 "acquisition" -- "$FORAGE" acquire disk.img -o HD1 --format raw \
	--case C-7 --evidence HD1 --case-db "$DB" --progress none
openssl req -x509 -newkey rsa:2048 -passout pass:'s3cret phrase' -keyout key.pem -out cert.pem \
	-days 2 -subj "/CN=Jo Smith/O=Test Lab" >openssl.log 2>&1 ||
	{ cat openssl.log >&2; fail "openssl req"; done_testing; }
grep -q "ENCRYPTED" key.pem && ok "the key is encrypted" || fail "key not encrypted"

# --key-pass-file: its first line.
printf 's3cret phrase\nignored\n' >pass.txt
expect_exit 0 "--key-pass-file" -- "$FORAGE" report --case C-7 --case-db "$DB" \
	-o r1.txt --sign key.pem --cert cert.pem --key-pass-file pass.txt
expect_exit 0 "r1 signature good" -- "$FORAGE" report verify-signature r1.txt r1.txt.p7s --cert cert.pem
# FORAGE_KEY_PASS.
FORAGE_KEY_PASS='s3cret phrase' expect_exit 0 "FORAGE_KEY_PASS" -- "$FORAGE" report --case C-7 \
	--case-db "$DB" -o r2.txt --sign key.pem --cert cert.pem </dev/null
expect_exit 0 "r2 signature good" -- "$FORAGE" report verify-signature r2.txt r2.txt.p7s --cert cert.pem

# None (no terminal): refused, nothing written.
expect_exit 2 "no pass phrase" -- "$FORAGE" report --case C-7 --case-db "$DB" \
	-o r3.txt --sign key.pem --cert cert.pem </dev/null
expect_in err.txt "key.pem: the key is encrypted and no pass phrase was given" "says no pass phrase"
[ ! -e r3.txt ] && [ ! -e r3.txt.p7s ] && ok "nothing written" || fail "r3 written"
# A wrong one: refused, nothing written.
printf 'wrong\n' >bad.txt
expect_exit 2 "wrong pass phrase" -- "$FORAGE" report --case C-7 --case-db "$DB" \
	-o r4.txt --sign key.pem --cert cert.pem --key-pass-file bad.txt
expect_in err.txt "key.pem: the pass phrase does not decrypt the key" "says it does not decrypt"
[ ! -e r4.txt ] && ok "nothing written" || fail "r4 written"
# A pass file that is not there.
expect_exit 2 "missing pass file" -- "$FORAGE" report --case C-7 --case-db "$DB" \
	-o r5.txt --sign key.pem --cert cert.pem --key-pass-file nothere.txt
expect_in err.txt "--key-pass-file nothere.txt: No such file or directory" "names the pass file"
expect_exit 2 "--key-pass-file without --sign" -- "$FORAGE" report --case C-7 --case-db "$DB" \
	-o r6.txt --key-pass-file pass.txt
expect_in err.txt "--key-pass-file goes with --sign KEY" "usage"

# On a terminal: asked for, without echo (script(1) gives one).
if command -v script >/dev/null 2>&1; then
	printf 's3cret phrase\n' | script -qec "'$FORAGE' report --case C-7 --case-db '$DB' -o r7.txt \
		--sign key.pem --cert cert.pem" /dev/null >tty.txt 2>&1
	[ -s r7.txt.p7s ] && ok "terminal: signed" || { fail "terminal: not signed"; cat tty.txt >&2; }
	grep -q "pass phrase of the signing key key.pem: " tty.txt && ok "terminal: asked" ||
		fail "terminal: no prompt"
	expect_exit 0 "r7 signature good" -- "$FORAGE" report verify-signature r7.txt r7.txt.p7s --cert cert.pem
else
	echo "note: script(1) missing, terminal prompt not tested" >&2
fi
done_testing
