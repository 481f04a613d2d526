#!/bin/sh
# Profiles: shipped presets run, the command line wins, the profile is
# recorded, a broken profile is an error naming file, line and key.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq sha256sum md5sum ewfverify ewfexport openssl sqlite3
make_data src.bin 300000
md5=$(md5sum <src.bin | cut -d' ' -f1)

# Every shipped profile runs an acquisition end to end; e01-court seals
# the case database's log, so it is given the examiner's key.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout jo.key -out jo.pem -days 3650 \
	-subj "/CN=Jo Smith" 2>/dev/null || fail "openssl req"
for p in default e01-court raw-fast failing-drive removable-media; do
	mkdir "o-$p"
	key=
	[ "$p" = e01-court ] && key="--sign jo.key --cert jo.pem"
	# shellcheck disable=SC2086
	expect_exit 0 "profile $p" -- "$FORAGE" acquire src.bin -o "o-$p/HD1" --profile "$p" --progress none $key
	fmt=$(json_get "o-$p/HD1.json" .parameters.format)
	if [ "$fmt" = raw ]; then
		cmp src.bin "o-$p/HD1.raw" && ok "$p: image identical" || fail "$p: image"
	else
		ewfverify -q "o-$p/HD1.E01" >/dev/null 2>&1 && ok "$p: ewfverify passes" || fail "$p: ewfverify"
		ewfexport -q -u -t "o-$p/x" -f raw "o-$p/HD1.E01" >/dev/null 2>&1
		head -c 300000 "o-$p/x.raw" | cmp - src.bin && ok "$p: E01 media identical" || fail "$p: E01 media"
	fi
	[ "$(json_get "o-$p/HD1.json" .hashes.md5)" = "$md5" ] && ok "$p: md5" || fail "$p: md5"
	(cd "o-$p" && sha256sum --strict -c HD1.sha256 >/dev/null) && ok "$p: sidecars check" || fail "$p: sidecars"
	[ "$(json_get "o-$p/HD1.json" .parameters.profile)" = "$p" ] && ok "$p: name recorded" || fail "$p: name"
	want=$(sha256sum <"$FG_SRCDIR/forensics-profiles/$p.profile" | cut -d' ' -f1)
	[ "$(json_get "o-$p/HD1.json" .parameters.profile_sha256)" = "$want" ] && ok "$p: content hash recorded" || fail "$p: hash"
done
[ "$(json_get o-raw-fast/HD1.json .parameters.block_size)" = 4194304 ] && ok "raw-fast: block size from profile" || fail "raw-fast block size"
[ "$(json_get o-raw-fast/HD1.json .parameters.retries)" = 1 ] && ok "raw-fast: retries from profile" || fail "raw-fast retries"
[ "$(json_get o-e01-court/HD1.json .parameters.hashes)" = md5,sha1,sha256 ] && ok "e01-court: three digests" || fail "e01-court hashes"
[ "$(json_get o-e01-court/HD1.json .parameters.compression)" = best ] && ok "e01-court: best compression" || fail "e01-court compression"
[ "$(json_get o-e01-court/HD1.json .parameters.verify)" = true ] && ok "e01-court: verify after" || fail "e01-court verify"
seal=$(ls o-e01-court/case.db.seal-*.json 2>/dev/null)
[ -n "$seal" ] && [ -f "$seal.p7s" ] && [ "$(jq -r .chain.head_event "$seal")" = "$(sql o-e01-court/case.db "SELECT max(id) FROM events")" ] &&
	ok "e01-court: the case database's log sealed at the end, signed" || fail "e01-court seal: $(ls o-e01-court)"
expect_exit 0 "e01-court: audit the sealed database" -- "$FORAGE" case audit --case-db o-e01-court/case.db --trust-cert jo.pem
expect_in out.txt "anchored up to event [0-9]+ \(the last\) by o-e01-court/case.db.seal-" "e01-court: the audit lists the seal"
expect_exit 2 "e01-court without a key" -- "$FORAGE" acquire src.bin -o nokey/HD1 --profile e01-court --progress none
expect_in err.txt "--seal needs --sign KEY and --cert CERT" "e01-court without a key: refused, saying why"
[ ! -e nokey/HD1.E01 ] && ok "refused before anything was written" || fail "nokey: evidence written"
[ "$(json_get o-failing-drive/HD1.json .parameters.retries)" = 8 ] && ok "failing-drive: 8 retries" || fail "failing-drive retries"
[ -f o-failing-drive/HD1.mapfile ] && ok "failing-drive: mapfile beside the image" || fail "failing-drive: no mapfile"
[ "$(json_get o-removable-media/HD1.json .parameters.segment_size)" = 681574400 ] && ok "removable-media: 650M segments" || fail "removable-media segments"

# The command line wins over the profile; a profile given by path.
cat >my.profile <<'P'
# my lab's preset
format = raw
retries = 7
notes = "  spaced  "
verify = no
P
mkdir o-cl
expect_exit 0 "command line wins" -- "$FORAGE" acquire src.bin -o o-cl/HD1 --profile ./my.profile --retries 2
[ "$(json_get o-cl/HD1.json .parameters.retries)" = 2 ] && ok "retries from command line" || fail "cl retries"
[ "$(json_get o-cl/HD1.json .case.notes)" = "  spaced  " ] && ok "quoted value kept" || fail "quoted value"
[ "$(json_get o-cl/HD1.json .parameters.profile)" = ./my.profile ] && ok "path profile recorded" || fail "path profile"

# Broken profiles: file, line and key named; nothing written.
mkdir o-bad
printf 'format = raw\n\nfrobnicate = 1\n' >bad1.profile
expect_exit 2 "unknown key" -- "$FORAGE" acquire src.bin -o o-bad/HD1 --profile ./bad1.profile
expect_in err.txt "bad1.profile:3: unknown key 'frobnicate'" "unknown key: file, line, key"
printf '# x\nformat = raw\nretries = many\n' >bad2.profile
expect_exit 2 "bad value" -- "$FORAGE" acquire src.bin -o o-bad/HD1 --profile ./bad2.profile
expect_in err.txt "bad2.profile:3: key 'retries': bad value 'many'" "bad value: file, line, key"
printf 'verify = maybe\n' >bad3.profile
expect_exit 2 "bad yes/no" -- "$FORAGE" acquire src.bin -o o-bad/HD1 --profile ./bad3.profile
expect_in err.txt "bad3.profile:1: key 'verify': bad value 'maybe'" "bad yes/no named"
printf 'format raw\n' >bad4.profile
expect_exit 2 "no equals sign" -- "$FORAGE" acquire src.bin -o o-bad/HD1 --profile ./bad4.profile
expect_in err.txt "bad4.profile:1: 'format raw': want 'key = value'" "syntax error named"
expect_exit 2 "missing profile" -- "$FORAGE" acquire src.bin -o o-bad/HD1 --profile nosuchprofile
expect_in err.txt "profile 'nosuchprofile' not found" "missing profile named"
[ -z "$(ls o-bad)" ] && ok "bad profiles: nothing written" || fail "bad profiles wrote files"
# A profile cannot name itself or help.
printf 'profile = raw-fast\n' >bad5.profile
expect_exit 2 "profile key in a profile" -- "$FORAGE" acquire src.bin -o o-bad/HD1 --profile ./bad5.profile
expect_in err.txt "bad5.profile:1: unknown key 'profile'" "profile key refused"
# FORAGE_PROFILE_DIR is searched first.
mkdir pd; printf 'format = raw\nretries = 5\n' >pd/lab.profile; mkdir o-env
expect_exit 0 "FORAGE_PROFILE_DIR" -- env FORAGE_PROFILE_DIR="$T/pd" "$FORAGE" acquire src.bin -o o-env/HD1 --profile lab
[ "$(json_get o-env/HD1.json .parameters.retries)" = 5 ] && ok "profile from FORAGE_PROFILE_DIR" || fail "env profile"

# Fuzz the profile parser a little: random bytes never crash it.
# (Random bytes can form a valid profile, e.g. one comment line: that run
# then acquires, exit 0, into its own folder.)
i=0
while [ $i -lt 30 ]; do
	head -c $((i * 37 + 1)) /dev/urandom >fz.profile
	mkdir "o-fz$i"
	"$FORAGE" acquire src.bin -o "o-fz$i/F" --profile ./fz.profile >/dev/null 2>fz.err
	rc=$?
	[ $rc -eq 2 ] || [ $rc -eq 0 ] || { fail "fuzz $i: exit $rc"; cat fz.err >&2; }
	i=$((i + 1))
done
ok "30 random profiles: refused (exit 2) or read (exit 0), never a crash"
done_testing
