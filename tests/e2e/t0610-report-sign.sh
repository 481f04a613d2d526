#!/bin/sh
# forage report --sign KEY --cert CERT writes a detached CMS signature
# (DER) beside the report; forage report verify-signature checks it: good
# (0), one byte changed in the report or the signature, or another
# certificate: bad (1), files it cannot read: cannot check (2).  OpenSSL's
# own command agrees.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd openssl
DB=$T/case.db
export FORAGE_EXAMINER="Jo Smith"

make_data disk.img 65536
expect_exit 0 "acquisition" -- "$FORAGE" acquire disk.img -o HD1 --format raw \
	--case C-7 --evidence HD1 --case-db "$DB" --progress none
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
	-days 2 -subj "/CN=Jo Smith/O=Test Lab" >openssl.log 2>&1 ||
	{ cat openssl.log >&2; fail "openssl req"; done_testing; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
	-days 2 -subj "/CN=Someone Else" >>openssl.log 2>&1

expect_exit 0 "signed report" -- "$FORAGE" report --case C-7 --case-db "$DB" \
	--format html -o report.html --sign key.pem --cert cert.pem
[ -s report.html.p7s ] && ok "report.html.p7s written" || fail "no signature file"
expect_in err.txt 'signature: report.html.p7s \(CMS, DER, detached\)' "the signature is named"
expect_exit 0 "verify-signature: good" -- "$FORAGE" report verify-signature \
	report.html report.html.p7s --cert cert.pem
expect_in out.txt 'good signature by .*CN *= *Jo Smith' "the signer is named"
if openssl cms -verify -binary -inform DER -in report.html.p7s \
	-content report.html -CAfile cert.pem -purpose any -out /dev/null \
	>cms.log 2>&1; then ok "openssl cms -verify agrees"; else
	fail "openssl cms -verify refuses the signature"; cat cms.log >&2; fi

# One byte changed in the report: bad.
cp report.html changed.html
chmod u+w changed.html
flip_byte changed.html 100
cmp -s report.html changed.html && fail "the byte was not changed"
expect_exit 1 "verify-signature: one byte changed" -- "$FORAGE" report \
	verify-signature changed.html report.html.p7s --cert cert.pem
expect_in out.txt 'BAD signature' "says BAD"
[ "$(last_line err.txt)" = "FAILURE: bad signature" ] && ok "last line: bad signature" ||
	fail "last line: $(last_line err.txt)"

# One byte changed in the signature: bad.
cp report.html.p7s changed.p7s
chmod u+w changed.p7s
size=$(wc -c <changed.p7s)
flip_byte changed.p7s $((size - 20))
cmp -s report.html.p7s changed.p7s && fail "the signature byte was not changed"
expect_exit 1 "verify-signature: signature changed" -- "$FORAGE" report \
	verify-signature report.html changed.p7s --cert cert.pem
# Not a signature at all: bad.
expect_exit 1 "verify-signature: not a signature" -- "$FORAGE" report \
	verify-signature report.html report.html --cert cert.pem
# Another certificate: bad.
expect_exit 1 "verify-signature: another certificate" -- "$FORAGE" report \
	verify-signature report.html report.html.p7s --cert other.pem
# Cannot check: exit 2.
expect_exit 2 "verify-signature: report missing" -- "$FORAGE" report \
	verify-signature nothere.html report.html.p7s --cert cert.pem
expect_exit 2 "verify-signature: certificate unreadable" -- "$FORAGE" report \
	verify-signature report.html report.html.p7s --cert nothere.pem
expect_exit 2 "verify-signature: no --cert" -- "$FORAGE" report \
	verify-signature report.html report.html.p7s

# Signing refusals leave nothing behind.
expect_exit 2 "key of another certificate" -- "$FORAGE" report --case C-7 \
	--case-db "$DB" -o r2.txt --sign other.key --cert cert.pem
[ -e r2.txt ] || [ -e r2.txt.p7s ] && fail "a refused signing left files" ||
	ok "nothing written when the key does not match"
: >r3.txt.p7s
expect_exit 2 "an existing signature file" -- "$FORAGE" report --case C-7 \
	--case-db "$DB" -o r3.txt --sign key.pem --cert cert.pem
[ -e r3.txt ] && fail "report written although its signature exists" ||
	ok "no report when its signature file exists"
done_testing
