#!/bin/sh
# forage acquire --verify: after the evidence is final it is read back past
# the page cache, its hashes compared with the acquisition's, and the
# outcome recorded under "verification" (and "verification_second_output").
# Hash windows are recorded by default for raw (64 MiB), not for E01 (its
# chunks carry checksums) unless asked, and --hash-window 0 turns them off.
. "$FG_SRCDIR/tests/e2e/lib.sh"
need_cmd jq

make_data src.bin 3000000
md5=$(md5sum <src.bin | cut -d' ' -f1)
sha=$(sha256sum <src.bin | cut -d' ' -f1)
mkdir a b s
expect_exit 0 "acquire --verify, two copies" -- "$FORAGE" acquire src.bin -o a/HD1 \
	--second-output b/HD1 --format raw --verify --progress none
expect_in err.txt "^verify: the evidence read back matches$" "verify line printed"
[ "$(last_line err.txt)" = SUCCESS ] && ok "SUCCESS" || fail "last line $(last_line err.txt)"
for j in a/HD1.json b/HD1.json; do
	[ "$(json_get $j .parameters.verify)" = true ] || fail "$j: parameters.verify"
	[ "$(json_get $j .verification.status)" = verified ] && ok "$j: verified" || fail "$j: status $(json_get $j .verification.status)"
	[ "$(json_get $j .verification.md5)" = "$md5" ] && [ "$(json_get $j .verification.sha256)" = "$sha" ] &&
		ok "$j: hashes read back = md5sum/sha256sum" || fail "$j: hashes read back"
	[ "$(json_get $j .verification_second_output.status)" = verified ] && ok "$j: second copy verified" ||
		fail "$j: second copy status"
	json_get $j .verification.page_cache_bypass | grep -qE '^(O_DIRECT|fsync|none possible)' &&
		ok "$j: page cache bypass recorded" || fail "$j: bypass $(json_get $j .verification.page_cache_bypass)"
	[ "$(json_get $j '[.verification.checks[] | select(.result == "match")] | length')" = 2 ] &&
		ok "$j: both digests compared" || fail "$j: checks"
	[ "$(json_get $j .result.status)" = success ] || fail "$j: result"
done
(cd a && sha256sum --strict -c HD1.sha256 >/dev/null) && ok "sidecars still check" || fail "sidecars"

expect_exit 0 "acquire --verify, split" -- "$FORAGE" acquire src.bin -o s/HD1 --format raw \
	--segment-size 1M --verify --hash-window 0 --progress none
[ "$(json_get s/HD1.json .verification.status)" = verified ] && ok "split: verified" || fail "split: status"
[ "$(json_get s/HD1.json .hash_windows)" = null ] && ok "--hash-window 0: no windows" || fail "--hash-window 0"
expect_exit 0 "the split evidence verifies later" -- "$FORAGE" verify --progress none s/HD1.json

# Default hash windows: 64 MiB, one for a small source.
[ "$(json_get a/HD1.json .hash_windows.size)" = 67108864 ] && ok "default window 64 MiB" || fail "default window"
[ "$(json_get a/HD1.json '.hash_windows.sha256 | length')" = 1 ] || fail "one window"
[ "$(json_get a/HD1.json '.hash_windows.sha256[0]')" = "$sha" ] && ok "one window = the media SHA-256" || fail "window hash"

# E01: no windows unless asked.
mkdir e w
expect_exit 0 "acquire E01" -- "$FORAGE" acquire src.bin -o e/HD1 --format e01 --progress none
[ "$(json_get e/HD1.json .hash_windows)" = null ] && [ "$(json_get e/HD1.json .parameters.hash_window)" = 0 ] &&
	ok "E01: no hash windows by default" || fail "E01 default windows: $(json_get e/HD1.json .parameters.hash_window)"
expect_exit 0 "acquire E01 with windows" -- "$FORAGE" acquire src.bin -o w/HD1 --format e01 --hash-window 1M --progress none
[ "$(json_get w/HD1.json '.hash_windows.sha256 | length')" = 3 ] && [ "$(json_get w/HD1.json .hash_windows.size)" = 1048576 ] &&
	ok "E01: --hash-window 1M gives 3 windows" || fail "E01 windows asked"
done_testing
