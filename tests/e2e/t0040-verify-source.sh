#!/bin/sh
# --verify-source: the source read again after the acquisition gives the
# same digests (exit 0, recorded); a source that reads differently the
# second time (a failing device whose weak sector recovers) is a mismatch,
# exit 1, recorded.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq
make_data src.bin 3000000
mkdir a
expect_exit 0 "raw + --verify-source" -- "$FORAGE" acquire src.bin -o a/HD1 --format raw \
	--verify-source --progress none
expect_in err.txt "verify-source: the source read again gives the same digests" "match said"
[ "$(json_get a/HD1.json .verify_source.status)" = match ] && ok "record: match" || fail "record status"
[ "$(json_get a/HD1.json .verify_source.md5)" = "$(json_get a/HD1.json .hashes.md5)" ] &&
	ok "record: the re-read MD5" || fail "record md5"
[ "$(json_get a/HD1.json .parameters.verify_source)" = true ] && ok "parameter recorded" || fail "parameter"
mkdir b
expect_exit 0 "E01 + --verify-source" -- "$FORAGE" acquire src.bin -o b/HD1 --verify-source --progress none
[ "$(json_get b/HD1.json .verify_source.status)" = match ] && ok "E01: record match" || fail "E01 record"

# A weak sector read fails once at acquisition, reads on the retry: same
# data both times, so still a match.  With --retries 0 it is filled the
# first time, and read correctly the second time: a mismatch.
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
if ( faultdev_need ) >/dev/null 2>&1; then
	make_data dev.img 2097152
	faultdev_start dev.img 512 --weak 100:1
	mkdir c
	expect_exit 1 "weak sector, --retries 0, --verify-source" -- "$FORAGE" acquire "$FAULTDEV" \
		-o c/HD1 --format raw --retries 0 --verify-source --progress none
	expect_in err.txt "verify-source: MISMATCH" "mismatch said"
	expect_in err.txt "source gives other digests" "the cause named"
	[ "$(json_get c/HD1.json .verify_source.status)" = mismatch ] && ok "record: mismatch" || fail "record mismatch"
	[ "$(json_get c/HD1.json .result.exit_code)" = 1 ] && ok "record: exit 1" || fail "record exit code"
	faultdev_stop
else
	echo "note: no FUSE failing device here; the mismatch case is not run" >&2
fi
done_testing
