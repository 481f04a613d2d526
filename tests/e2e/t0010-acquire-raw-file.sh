#!/bin/sh
# Raw acquisition of regular files: sizes 0, 1, 511, 512, 513 bytes and a few
# MiB of real data.  The image is byte-identical, the hashes are those of
# md5sum/sha256sum, the coreutils sidecars check, the record holds the facts.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq md5sum sha256sum cmp

# Real data: a few MiB of the system's own files.
find /usr/share/doc -type f 2>/dev/null | head -n 400 | xargs cat 2>/dev/null | head -c 3500000 >real.bin
for size in 0 1 511 512 513 real; do
	if [ "$size" = real ]; then src=$T/real.bin; else
		src=$T/src-$size.bin; make_data "$src" "$size"; fi
	mkdir "out-$size"
	expect_exit 0 "acquire $size" -- "$FORAGE" acquire "$src" -o "out-$size/HD1" \
		--format raw --case 2026-041 --evidence "HD $size" --examiner "Jo Smith" \
		--description "test source of $size" --notes "a note" --progress none
	[ "$(last_line err.txt)" = SUCCESS ] && ok "$size: SUCCESS" || fail "$size: last line $(last_line err.txt)"
	cmp "$src" "out-$size/HD1.raw" && ok "$size: image identical" || fail "$size: image differs"
	md5=$(md5sum <"$src" | cut -d' ' -f1)
	sha=$(sha256sum <"$src" | cut -d' ' -f1)
	j=out-$size/HD1.json
	[ "$(json_get "$j" .hashes.md5)" = "$md5" ] && ok "$size: md5 = md5sum" || fail "$size: md5"
	[ "$(json_get "$j" .hashes.sha256)" = "$sha" ] && ok "$size: sha256 = sha256sum" || fail "$size: sha256"
	(cd "out-$size" && sha256sum --strict -c HD1.sha256 && md5sum --strict -c HD1.md5) >/dev/null &&
		ok "$size: sha256sum -c / md5sum -c pass" || fail "$size: sidecar check"
	[ "$(json_get "$j" .case.case_id)" = 2026-041 ] || fail "$size: case id"
	[ "$(json_get "$j" .case.evidence_id)" = "HD $size" ] || fail "$size: evidence id"
	[ "$(json_get "$j" .case.examiner)" = "Jo Smith" ] || fail "$size: examiner"
	[ "$(json_get "$j" .case.description)" = "test source of $size" ] || fail "$size: description"
	[ "$(json_get "$j" .case.notes)" = "a note" ] || fail "$size: notes"
	[ "$(json_get "$j" .source.size)" = "$(stat -c %s "$src")" ] || fail "$size: source size"
	[ "$(json_get "$j" .result.status)" = success ] || fail "$size: result"
	[ "$(json_get "$j" .tool.name)" = forage ] || fail "$size: tool"
	# A file is no drive: health not available, and why, before and after.
	[ "$(jq -c '[.health.before.available, .health.before.note, .health.after.available]' "$j")" = \
		'[false,"the source is a file, not a drive: it has no SMART data",false]' ] ||
		fail "$size: health $(jq -c .health "$j")"
	json_get "$j" .run.started_utc | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' || fail "$size: start time"
	json_get "$j" .run.finished_utc | grep -qE 'Z$' || fail "$size: end time"
	json_get "$j" .run.command_line | grep -q -- '--evidence' || fail "$size: command line"
	[ -n "$(json_get "$j" .run.host)" ] || fail "$size: host"
	expect_in "out-$size/HD1.txt" "^Examiner: +Jo Smith$" "$size: text record"
	expect_in "out-$size/HD1.txt" "^SHA-256: +$sha$" "$size: text record hash"
	[ -z "$(ls "out-$size" | grep incomplete)" ] && ok "$size: no incomplete files" || fail "$size: leftovers"
done

# Split raw: no segment larger than asked, segments check with coreutils.
mkdir split
expect_exit 0 "split raw" -- "$FORAGE" acquire real.bin -o split/HD1 --format raw \
	--segment-size 1M --progress none
n=$(ls split/HD1.0?? | wc -l)
[ "$n" -eq 4 ] && ok "split: 4 segments" || fail "split: $n segments"
for f in split/HD1.0??; do [ "$(stat -c %s "$f")" -le 1048576 ] || fail "split: $f too large"; done
cat split/HD1.001 split/HD1.002 split/HD1.003 split/HD1.004 | cmp - real.bin && ok "split: concatenation identical" || fail "split: data"
(cd split && sha256sum --strict -c HD1.sha256 && md5sum --strict -c HD1.md5) >/dev/null && ok "split: sidecars check" || fail "split: sidecars"
[ "$(json_get split/HD1.json .hashes.md5)" = "$(md5sum <real.bin | cut -d' ' -f1)" ] && ok "split: media md5" || fail "split: media md5"
# The first copy's files' MD5 carries the media's MD5 (two digests in one
# pass); a second split copy hashes its own files; without MD5 asked for
# the media, the files still get theirs.
mkdir s2a s2b s3
expect_exit 0 "split raw, two copies" -- "$FORAGE" acquire real.bin -o s2a/HD1 --second-output s2b/HD1 \
	--format raw --segment-size 1M --progress none
for d in s2a s2b; do
	(cd "$d" && sha256sum --strict -c HD1.sha256 && md5sum --strict -c HD1.md5) >/dev/null &&
		ok "split, two copies: $d sidecars check" || fail "split, two copies: $d sidecars"
	[ "$(json_get "$d/HD1.json" .hashes.md5)" = "$(md5sum <real.bin | cut -d' ' -f1)" ] &&
		ok "split, two copies: $d media md5" || fail "split, two copies: $d media md5"
done
expect_exit 0 "split raw, --hash sha256" -- "$FORAGE" acquire real.bin -o s3/HD1 --format raw \
	--segment-size 1M --hash sha256 --progress none
(cd s3 && sha256sum --strict -c HD1.sha256 && md5sum --strict -c HD1.md5) >/dev/null &&
	ok "split, --hash sha256: sidecars check" || fail "split, --hash sha256: sidecars"
[ "$(json_get s3/HD1.json .hashes.sha256)" = "$(sha256sum <real.bin | cut -d' ' -f1)" ] &&
	ok "split, --hash sha256: media sha256" || fail "split, --hash sha256: media sha256"

# The record names the program that made it and its SHA-256 (issue 21).
[ "$(json_get s3/HD1.json .tool.executable_sha256)" = "$(sha256sum <"$FORAGE" | cut -d' ' -f1)" ] &&
	ok "record: SHA-256 of the forage binary" ||
	fail "tool.executable_sha256: $(json_get s3/HD1.json .tool.executable_sha256)"
[ "$(json_get s3/HD1.json .tool.executable)" = "$(readlink -f "$FORAGE")" ] &&
	ok "record: path of the forage binary" || fail "tool.executable: $(json_get s3/HD1.json .tool.executable)"

# Two copies in the same pass, SHA-1 on request, progress as JSON lines.
mkdir a b
expect_exit 0 "second output" -- "$FORAGE" acquire real.bin -o a/HD1 --second-output b/HD1 \
	--format raw --hash md5,sha1,sha256 --progress json
cmp a/HD1.raw b/HD1.raw && cmp a/HD1.raw real.bin && ok "second copy identical" || fail "second copy"
[ "$(json_get a/HD1.json .hashes.sha1)" = "$(sha1sum <real.bin | cut -d' ' -f1)" ] && ok "sha1 = sha1sum" || fail "sha1"
grep '^{"done"' err.txt | tail -n 1 | jq -e '.finished == true and .done == .total' >/dev/null &&
	ok "json progress ends finished" || fail "json progress"
# A destination without O_DIRECT (tmpfs) gets buffered writes, same result.
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
	shm=$(mktemp -d /dev/shm/forage-e2e.XXXXXX); at_exit "rm -rf '$shm'"
	expect_exit 0 "tmpfs destination" -- "$FORAGE" acquire real.bin -o "$shm/HD1" --format raw --progress none
	cmp real.bin "$shm/HD1.raw" && ok "tmpfs: image identical" || fail "tmpfs: image differs"
else
	echo "note: /dev/shm is not tmpfs; buffered-write fallback not exercised" >&2
fi
# --block-size 64M: the pipeline keeps 3 blocks of 64 MiB, not 8 (which
# took 520 MiB of peak RSS), over 576 MiB of zeros; the image and its
# digests hold.
head -c $((576 * 1024 * 1024)) /dev/zero >z576.bin && mkdir big
if [ -x /usr/bin/time ]; then
	expect_exit 0 "--block-size 64M" -- /usr/bin/time -f "rss %M" "$FORAGE" acquire z576.bin -o big/HD1 \
		--format raw --block-size 64M --progress none
	rss=$(sed -n 's/^rss //p' err.txt)
	[ -n "$rss" ] && [ "$rss" -lt $((300 * 1024)) ] &&
		ok "64M blocks: peak RSS ${rss} KiB, under 300 MiB" || fail "64M blocks: peak RSS '${rss}' KiB"
else
	expect_exit 0 "--block-size 64M" -- "$FORAGE" acquire z576.bin -o big/HD1 --format raw \
		--block-size 64M --progress none
	echo "note: no /usr/bin/time: the 64M memory bound was not measured" >&2
fi
[ "$(json_get big/HD1.json .hashes.sha256)" = "$(sha256sum <z576.bin | cut -d' ' -f1)" ] &&
	cmp -s z576.bin big/HD1.raw && ok "64M blocks: image and SHA-256 right" || fail "64M blocks: image or SHA-256"
rm -rf z576.bin big
# Windows are held in memory and in the record until the end: more than
# 262144 of them are refused up front (2 GiB in 4K windows: 524288).
truncate -s 2G sparse2g.bin && mkdir w4k
expect_exit 2 "--hash-window 4K over 2 GiB" -- "$FORAGE" acquire sparse2g.bin -o w4k/HD1 \
	--format raw --hash-window 4K --progress none
expect_in err.txt "--hash-window 4096: 524288 windows for the 2147483648 bytes of sparse2g.bin; at most 262144, .*: use --hash-window 8192 or more, or 0 for none" \
	"too many windows: refused, the least window named"
[ -z "$(ls w4k)" ] && ok "too many windows: nothing created" || fail "w4k: $(ls w4k)"
rm -rf sparse2g.bin w4k
done_testing
