#!/bin/sh
# Bad input: each gives its exit code, a message naming the path and the
# cause, and leaves nothing behind that could pass for evidence.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
make_data src.bin 10000

mkdir o1
expect_exit 2 "missing source" -- "$FORAGE" acquire nowhere.bin -o o1/HD1 --format raw
expect_in err.txt "nowhere.bin: cannot open source: No such file or directory" "missing source named with cause"
[ "$(last_line err.txt)" = "FAILURE: nowhere.bin: cannot open source: No such file or directory" ] &&
	ok "missing source: FAILURE line" || fail "missing source: last line"
nothing_left o1 "missing source"

expect_exit 2 "directory as source" -- "$FORAGE" acquire o1 -o o1/HD1 --format raw
expect_in err.txt "o1: is a directory" "directory source named"
nothing_left o1 "directory source"

if [ "$(id -u)" -eq 0 ]; then
	# root reads anything; use a file root cannot read either: none
	# exists portably, so check with a dropped user when one is there.
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		chmod 000 src.bin; chmod 777 o1 "$T"
		expect_exit 2 "unreadable source" -- setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$FORAGE" acquire "$T/src.bin" -o "$T/o1/HD1" --format raw
		expect_in err.txt "src.bin: cannot open source: Permission denied" "unreadable source named"
		nothing_left o1 "unreadable source"
		chmod 644 src.bin; chmod 755 o1 "$T"
	else
		echo "note: no setpriv/nobody; unreadable-source case not run" >&2
	fi
else
	chmod 000 src.bin
	expect_exit 2 "unreadable source" -- "$FORAGE" acquire src.bin -o o1/HD1 --format raw
	expect_in err.txt "src.bin: cannot open source: Permission denied" "unreadable source named"
	chmod 644 src.bin
fi

expect_exit 2 "missing output folder" -- "$FORAGE" acquire src.bin -o nofolder/HD1 --format raw
expect_in err.txt "nofolder: output folder: No such file or directory" "missing folder named"
[ -e nofolder ] && fail "missing folder created" || ok "missing folder not created"

mkdir ro
chmod 555 ro
if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	chmod 755 "$T"; chmod 644 src.bin
	expect_exit 2 "read-only output folder" -- setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$FORAGE" acquire "$T/src.bin" -o "$T/ro/HD1" --format raw
else
	expect_exit 2 "read-only output folder" -- "$FORAGE" acquire src.bin -o ro/HD1 --format raw
fi
expect_in err.txt "ro: output folder is not writable: Permission denied" "read-only folder named"
nothing_left ro "read-only folder"

# Existing outputs: each one refused, nothing touched.
for existing in HD1.raw HD1.json HD1.md5 HD1.sha256 HD1.txt HD1.raw.incomplete; do
	rm -rf ex; mkdir ex; echo "old evidence" >"ex/$existing"
	before=$(ls ex); sum=$(md5sum "ex/$existing")
	expect_exit 2 "existing $existing" -- "$FORAGE" acquire src.bin -o ex/HD1 --format raw
	expect_in err.txt "ex/$existing: " "existing $existing named"
	[ "$(ls ex)" = "$before" ] && [ "$(md5sum "ex/$existing")" = "$sum" ] &&
		ok "existing $existing: untouched, nothing added" || fail "existing $existing: changed"
done

mkdir o2
expect_exit 2 "unknown option" -- "$FORAGE" acquire --frobnicate src.bin -o o2/HD1
expect_in err.txt "unknown option.*--frobnicate" "unknown option named"
expect_exit 2 "bad --fill" -- "$FORAGE" acquire src.bin -o o2/HD1 --fill 0x1ff
expect_in err.txt "\-\-fill '0x1ff'" "bad --fill named"
expect_exit 2 "bad --hash" -- "$FORAGE" acquire src.bin -o o2/HD1 --hash md5,crc
expect_in err.txt "unknown hash 'crc'" "bad --hash named"
expect_exit 2 "range past the end" -- "$FORAGE" acquire src.bin -o o2/HD1 --format raw --offset 9000 --length 2000
expect_in err.txt "src.bin: offset 9000 \+ length 2000 is past the end" "range named"
expect_exit 2 "no output" -- "$FORAGE" acquire src.bin
expect_in err.txt "no -o OUTBASE" "missing -o named"
expect_exit 2 "output is a folder" -- "$FORAGE" acquire src.bin -o o2/ --format raw
nothing_left o2 "usage errors"

# The source itself as output: refused, source untouched.
cp src.bin ev.raw; before=$(md5sum <ev.raw)
expect_exit 2 "output is the source" -- "$FORAGE" acquire ev.raw -o ev --format raw
expect_in err.txt "ev.raw: exists already" "output-is-source named"
[ "$(md5sum <ev.raw)" = "$before" ] && ok "source untouched" || fail "source changed"

# Offset/length acquire exactly the asked range.
mkdir rng
expect_exit 0 "offset/length" -- "$FORAGE" acquire src.bin -o rng/HD1 --format raw --offset 1024 --length 4096
tail -c +1025 src.bin | head -c 4096 | cmp - rng/HD1.raw && ok "range exact" || fail "range content"
done_testing
