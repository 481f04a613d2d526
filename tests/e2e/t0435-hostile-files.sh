#!/bin/sh
# Files planted where forage writes or reads (issue 19, items 5 and 6).
# A symbolic link, even a dangling one, at any name acquire would create
# (OUTBASE.json, .txt, .md5, .sha256, the image, its .incomplete name, a
# segment, the mapfile) is refused by name with exit 2 before anything is
# created: the folder is the same after as before.  A FIFO (or /dev/zero)
# given as the evidence, planted beside it as X.json, or given to
# "report verify-signature" never blocks: "is a FIFO, not a regular
# file", exit 2.  Each run is under timeout 60 so that a regression fails
# instead of hanging.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq mkfifo timeout openssl

make_data src.bin 262144

listing() { ls -la --time-style=+ "$1" | sed 1d; }

# ---- Symbolic links at output names ------------------------------------
try_link() { # NAME FORMAT [options...]: a dangling link at out/NAME
	name=$1; fmt=$2; shift 2
	rm -rf out && mkdir out && ln -s "$T/nowhere/x" "out/$name"
	before=$(listing out)
	expect_exit 2 "dangling link at $name" -- timeout 60 "$FORAGE" acquire \
		src.bin -o out/HD1 --format "$fmt" --progress none "$@"
	expect_in err.txt "out/$name: (is a symbolic link; forage never writes an output through one|exists already)" \
		"$name: refused by name"
	[ "$(listing out)" = "$before" ] && ok "$name: nothing created" ||
		{ fail "$name: the folder changed"; listing out >&2; }
	[ ! -e "$T/nowhere" ] && ok "$name: nothing where it points" ||
		fail "$name: something made where the link points"
}
for n in HD1.json HD1.txt HD1.md5 HD1.sha256 HD1.raw HD1.raw.incomplete; do
	try_link "$n" raw
done
expect_in err.txt "out/HD1.raw.incomplete: is a symbolic link" "the .incomplete link named as a link"
try_link HD1.002 raw --segment-size 128K
try_link HD1.map raw --mapfile out/HD1.map
expect_in err.txt "out/HD1.map: is a symbolic link" "the mapfile link named as a link"
try_link HD1.json raw --mapfile out/HD1.map
# The record's link, the case the issue found: the next run is not
# blocked by a left .raw.incomplete.
rm out/HD1.json
expect_exit 0 "after the link is moved away, acquire runs" -- \
	"$FORAGE" acquire src.bin -o out/HD1 --format raw --progress none
cmp -s src.bin out/HD1.raw && ok "the image is the source" || fail "image differs"
for n in HD1.json HD1.E01 HD1.E01.incomplete; do
	rm -rf eo && mkdir eo
	ln -s "$T/nowhere/x" "eo/$n"
	before=$(listing eo)
	expect_exit 2 "E01: dangling link at $n" -- timeout 60 "$FORAGE" \
		acquire src.bin -o eo/HD1 --format e01 --progress none
	[ "$(listing eo)" = "$before" ] && ok "E01 $n: nothing created" ||
		{ fail "E01 $n: the folder changed"; listing eo >&2; }
done

# A link to a file that exists is refused the same way, and the file it
# points to is untouched.
rm -rf out && mkdir out && echo keep >target && ln -s "$T/target" out/HD1.txt
expect_exit 2 "link to a file at HD1.txt" -- timeout 60 "$FORAGE" acquire \
	src.bin -o out/HD1 --format raw --progress none
[ "$(cat target)" = keep ] && ok "the linked file is untouched" || fail "target changed"

# ---- FIFOs and devices as inputs -----------------------------------------
rm -rf out
mkdir f && mkfifo f/ev.E01 f/ev.raw
for v in verify info; do
	for e in f/ev.E01 f/ev.raw; do
		expect_exit 2 "$v on a FIFO $e" -- timeout 60 "$FORAGE" $v "$e"
		expect_in err.txt "$e: is a FIFO, not a regular file" "$v $e: named a FIFO"
	done
done

mkdir v
expect_exit 0 "an acquisition to verify" -- "$FORAGE" acquire src.bin -o v/HD1 \
	--format raw --progress none
mv v/HD1.json v/HD1.json.real
mkfifo v/HD1.json
expect_exit 2 "a FIFO planted as HD1.json beside the evidence" -- \
	timeout 60 "$FORAGE" verify --progress none v/HD1.raw
expect_in err.txt "v/HD1.json: is a FIFO, not a regular file" "the planted FIFO named"
expect_exit 2 "the FIFO record given itself" -- \
	timeout 60 "$FORAGE" verify --progress none v/HD1.json
expect_in err.txt "v/HD1.json: is a FIFO, not a regular file" "the FIFO record named"
rm v/HD1.json && mv v/HD1.json.real v/HD1.json
expect_exit 0 "with the record back, verify passes" -- \
	"$FORAGE" verify --progress none v/HD1.raw

# report verify-signature: a FIFO or /dev/zero as the report, the signature
# or the certificate.
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
	-days 2 -subj "/CN=Jo Smith" >openssl.log 2>&1 || fail "openssl req"
echo "<html></html>" >report.html
openssl cms -sign -binary -outform DER -in report.html -signer cert.pem \
	-inkey key.pem -out report.html.p7s >>openssl.log 2>&1 || fail "openssl cms"
expect_exit 0 "verify-signature: good" -- "$FORAGE" report verify-signature \
	report.html report.html.p7s --cert cert.pem
mkfifo fifo
for args in "fifo report.html.p7s" "report.html fifo" "/dev/zero report.html.p7s" \
	"report.html /dev/zero"; do
	set -- $args
	expect_exit 2 "verify-signature $args" -- timeout 60 "$FORAGE" report \
		verify-signature "$1" "$2" --cert cert.pem
	expect_in err.txt "(fifo: is a FIFO|/dev/zero: is a character device), not a regular file" \
		"verify-signature $args: named"
done
expect_exit 2 "verify-signature, a FIFO as the certificate" -- timeout 60 \
	"$FORAGE" report verify-signature report.html report.html.p7s --cert fifo
expect_in err.txt "the certificate: fifo: is a FIFO, not a regular file" "certificate FIFO named"
done_testing
