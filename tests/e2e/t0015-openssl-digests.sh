#!/bin/sh
# FORAGE_DIGESTS=openssl: OpenSSL's MD5 and SHA-256 only, not forage's own
# (a lab bound to an OpenSSL FIPS provider, say).  It is also the path
# forage takes on a CPU without the SHA extensions or when its own digests
# fail their self-tests, run here on purpose: a split raw image with hash
# windows and an E01 give coreutils' digests, ewfverify passes, verify of
# the E01 (files hashed beside the media, one digest after the other)
# passes, and the records say which digests were used.  Any other value
# than openssl or forage is refused.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq md5sum sha256sum
make_data src.bin $((3 * 1024 * 1024 + 512))
md5=$(md5sum <src.bin | cut -d' ' -f1)
sha=$(sha256sum <src.bin | cut -d' ' -f1)
ossl="OpenSSL (forage's own not used, as asked)"
mkdir r e
FORAGE_DIGESTS=openssl
export FORAGE_DIGESTS

expect_exit 0 "raw, split, 64K windows" -- "$FORAGE" acquire src.bin -o r/HD1 --format raw \
	--segment-size 1M --hash-window 64K --progress none
[ "$(json_get r/HD1.json .hashes.md5)" = "$md5" ] && [ "$(json_get r/HD1.json .hashes.sha256)" = "$sha" ] &&
	ok "raw: md5sum's and sha256sum's digests" || fail "raw: media digests"
(cd r && md5sum --strict -c HD1.md5 >/dev/null && sha256sum --strict -c HD1.sha256 >/dev/null) &&
	ok "raw: the files' checksum files check" || fail "raw: checksum files"
[ "$(json_get r/HD1.json '.hash_windows.sha256 | length')" = 49 ] &&
	[ "$(json_get r/HD1.json '.hash_windows.sha256[48]')" = "$(tail -c 512 src.bin | sha256sum | cut -d' ' -f1)" ] &&
	[ "$(json_get r/HD1.json '.hash_windows.sha256[1]')" = "$(head -c 131072 src.bin | tail -c 65536 | sha256sum | cut -d' ' -f1)" ] &&
	ok "raw: hash windows" || fail "raw: hash windows"
[ "$(json_get r/HD1.json .tool.md5)" = "$ossl" ] && [ "$(json_get r/HD1.json .tool.sha256)" = "$ossl" ] &&
	ok "raw: the record names OpenSSL's digests" ||
	fail "raw: tool $(json_get r/HD1.json .tool.md5) / $(json_get r/HD1.json .tool.sha256)"

expect_exit 0 "E01" -- "$FORAGE" acquire src.bin -o e/HD1 --format e01 --progress none
[ "$(json_get e/HD1.json .hashes.md5)" = "$md5" ] && ok "E01: md5sum's digest" || fail "E01: media MD5"
if command -v ewfverify >/dev/null 2>&1; then
	ewfverify -q e/HD1.E01 >ewfverify.txt 2>&1 && ok "E01: ewfverify passes" || fail "E01: ewfverify: $(tail -n 3 ewfverify.txt)"
fi
expect_exit 0 "verify the E01" -- "$FORAGE" verify --json --progress none e/HD1.E01
v='.verifications[0]'
[ "$(jq -r "$v.tool.sha256" out.txt)" = "$ossl" ] && ok "verify: the record names OpenSSL's SHA-256" ||
	fail "verify: tool.sha256 $(jq -r "$v.tool.sha256" out.txt)"
jq -e "[$v.checks[] | select(.what == \"file HD1.E01\" and .algorithm == \"sha256\")] | length > 0 and all(.result == \"match\")" out.txt >/dev/null &&
	ok "verify: the file's SHA-256 matches" || fail "verify: file SHA-256 $(jq -c "[$v.checks[] | select(.what == \"file HD1.E01\")]" out.txt)"

expect_exit 2 "FORAGE_DIGESTS=sha3" -- env FORAGE_DIGESTS=sha3 "$FORAGE" verify --progress none e/HD1.E01
expect_in err.txt "FORAGE_DIGESTS='sha3': want openssl or forage" "a bad FORAGE_DIGESTS is named"
unset FORAGE_DIGESTS
expect_exit 0 "verify with forage's digests" -- "$FORAGE" verify --json --progress none e/HD1.E01
jq -r "$v.tool.md5" out.txt | grep -q '^forage md5.c' && ok "unset: forage's own MD5" || fail "unset: $(jq -r "$v.tool.md5" out.txt)"
done_testing
