#!/bin/sh
# E01 options: every compression mode, the segment-size limit (several
# segments, none larger than asked), the EWF flavours that store SHA-1 or
# SHA-256, chunk sizes, and the refusals, each before anything is created.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy
. "$FG_SRCDIR/tests/e2e/lib/e01.sh"
need_cmd sha1sum

# Mixed content: zeros, text, noise, a run of one byte value.
{
	head -c 1048576 /dev/zero
	find /usr/share/doc -type f 2>/dev/null | head -n 200 | xargs cat 2>/dev/null | head -c 2097152
	head -c 1048576 /dev/urandom
	head -c 1048576 /dev/zero | tr '\000' '\132'
	head -c 333 /dev/urandom
} >mixed.bin

for c in none empty-block fast best; do
	mkdir "c-$c"
	expect_exit 0 "compression $c" -- "$FORAGE" acquire mixed.bin -o "c-$c/HD1" \
		--compression "$c" --progress none
	e01_check "c-$c/HD1" mixed.bin "compression $c"
	[ "$(json_get "c-$c/HD1.json" .container.compression)" = "$c" ] || fail "$c: recorded"
	eval "size_$(echo "$c" | tr - _)=$(stat -c %s "c-$c/HD1.E01")"
done
# shellcheck disable=SC2154 # set by eval above
{
	[ "$size_none" -gt "$(stat -c %s mixed.bin)" ] &&
		[ "$size_empty_block" -lt "$size_none" ] &&
		[ "$size_fast" -lt "$size_empty_block" ] &&
		[ "$size_best" -le "$size_fast" ]
} && ok "none > empty-block > fast >= best ($size_none $size_empty_block $size_fast $size_best)" ||
	fail "sizes: none $size_none, empty-block $size_empty_block, fast $size_fast, best $size_best"
expect_in c-none/HD1.txt "" "text record written"
ewfinfo c-none/HD1.E01 | grep -q "Compression level:.*no compression" && ok "none: ewfinfo says no compression" || fail "none: level"
ewfinfo c-best/HD1.E01 | grep -q "Compression level:.*best compression" && ok "best: ewfinfo says best" || fail "best: level"

# Several segments, none larger than asked; the sidecars list each one.
head -c 7340032 /dev/urandom >noise.bin
mkdir seg
expect_exit 0 "segments of 1M" -- "$FORAGE" acquire noise.bin -o seg/HD1 --segment-size 1M \
	--compression fast --progress none
n=$(ls seg/HD1.E?? | wc -l)
[ "$n" -ge 8 ] && ok "segments: $n files" || fail "segments: $n files"
for f in seg/HD1.E??; do
	[ "$(stat -c %s "$f")" -le 1048576 ] || fail "segments: $f is $(stat -c %s "$f") bytes"
done
i=1; for f in seg/HD1.E??; do
	[ "$f" = "seg/HD1.E$(printf %02d $i)" ] || fail "segments: $f out of sequence"; i=$((i + 1))
done
[ "$(wc -l <seg/HD1.md5)" -eq "$n" ] && ok "segments: one checksum line each" || fail "segments: md5 lines"
[ "$(json_get seg/HD1.json .container.segment_files)" = "$n" ] || fail "segments: recorded"
e01_check seg/HD1 noise.bin "segments"

# encase6 stores SHA-1 when asked; ewfx stores SHA-256 too (xhash) and
# names its segments .e01 ...
mkdir sha1 x
expect_exit 0 "encase6 with sha1" -- "$FORAGE" acquire mixed.bin -o sha1/HD1 \
	--hash md5,sha1,sha256 --progress none
msize=$(stat -c %s mixed.bin); mpad=$(( (512 - msize % 512) % 512 ))
pad_sha1=$({ cat mixed.bin; head -c "$mpad" /dev/zero; } | sha1sum | cut -d' ' -f1)
ewfinfo sha1/HD1.E01 | grep -qE "SHA1:[[:space:]]+$pad_sha1" && ok "encase6: SHA-1 in the E01" || fail "encase6: SHA-1"
[ "$(json_get sha1/HD1.json .container.hashes_stored)" = MD5,SHA1 ] || fail "encase6: hashes_stored"
expect_exit 0 "ewfx" -- "$FORAGE" acquire mixed.bin -o x/HD1 --ewf-format ewfx \
	--hash md5,sha1,sha256 --progress none
pad_sha256=$({ cat mixed.bin; head -c "$mpad" /dev/zero; } | sha256sum | cut -d' ' -f1)
[ -f x/HD1.e01 ] && ok "ewfx: x/HD1.e01" || fail "ewfx: names: $(ls x)"
ewfinfo x/HD1.e01 | grep -qE "SHA256:[[:space:]]+$pad_sha256" && ok "ewfx: SHA-256 in the E01" || fail "ewfx: SHA-256"
# ewfverify 20140813 prints a stored SHA-256 only when it computes one too.
ewfverify -q -d sha256 x/HD1.e01 >v.txt 2>&1 && grep -q "SHA256 hash calculated over data:[[:space:]]*$pad_sha256" v.txt &&
	ok "ewfx: ewfverify -d sha256" || { fail "ewfx: ewfverify"; cat v.txt >&2; }
[ "$(json_get x/HD1.json .container.hashes_stored)" = MD5,SHA1,SHA256 ] || fail "ewfx: hashes_stored"
mkdir e5
expect_exit 0 "encase5" -- "$FORAGE" acquire mixed.bin -o e5/HD1 --ewf-format encase5 --progress none
e01_check e5/HD1 mixed.bin "encase5"
ewfinfo e5/HD1.E01 | grep -q "File format:.*EnCase 5" && ok "encase5: ewfinfo says EnCase 5" || fail "encase5: format"

# Refused with exit 2 and a reason, leaving nothing behind.
mkdir r
for args in "--ewf-format encase7" "--ewf-format nonsense" "--compression zip" \
	"--segment-size 4096" "--hash sha256" "--ewf-format encase5 --segment-size 3G"; do
	# shellcheck disable=SC2086
	expect_exit 2 "refused: $args" -- "$FORAGE" acquire mixed.bin -o r/HD1 $args --progress none
	[ -z "$(ls -A r)" ] && ok "refused: $args: nothing created" || fail "refused: $args: left $(ls r)"
done
expect_exit 2 "refused: encase7" -- "$FORAGE" acquire mixed.bin -o r/HD1 --ewf-format encase7
expect_in err.txt "encase7.*EnCase 5 without acquiry errors" "encase7: says why"
# An existing segment name, in any case, is never overwritten.
: >r/hd1.e02
expect_exit 2 "existing hd1.e02" -- "$FORAGE" acquire mixed.bin -o r/HD1 --progress none
expect_in err.txt "r/hd1.e02: exists already" "existing segment named"
[ "$(ls r)" = hd1.e02 ] && ok "existing segment: nothing else created" || fail "existing: $(ls r)"

# More than libewf can index (134217727 chunks of 32 KiB, just under 4 TiB):
# refused before anything is created, naming the limit (a sparse file).
# (The default, auto, takes larger chunks there: t0106.)
mkdir huge
truncate -s $((134217727 * 32768 + 512)) huge.bin
expect_exit 2 "refused: more chunks than libewf holds" -- "$FORAGE" acquire huge.bin -o huge/HD1 --chunk-size 32K --progress none
expect_in err.txt "holds at most 134217727 chunks of 32768 bytes \(4398046478336 bytes\); the media has 4398046478848 bytes: use a larger --chunk-size, or --format raw" \
	"the chunk limit named"
[ -z "$(ls huge)" ] && ok "over the chunk limit: nothing created" || fail "huge: $(ls huge)"
rm -f huge.bin
# --chunk-size 64K doubles that limit (8 TiB).
mkdir huge64
truncate -s $((134217727 * 65536 + 512)) huge.bin
expect_exit 2 "64K chunks: refused past 8 TiB" -- "$FORAGE" acquire huge.bin -o huge64/HD1 --chunk-size 64K --progress none
expect_in err.txt "holds at most 134217727 chunks of 65536 bytes \(8796092956672 bytes\)" "64K chunks: the doubled limit named"
[ -z "$(ls huge64)" ] && ok "past 8 TiB: nothing created" || fail "huge64: $(ls huge64)"
rm -f huge.bin

# Larger chunks: 64K and 2M (more than a pipeline block), read back by
# ewfverify, ewfexport, ewfinfo and forage verify; sizes that are not a
# power of two of sectors from 64 to 32768 sectors (at most 16M) refused.
for cs in 64K 2M; do
	mkdir "k-$cs"
	expect_exit 0 "--chunk-size $cs" -- "$FORAGE" acquire mixed.bin -o "k-$cs/HD1" \
		--chunk-size "$cs" --verify --progress none
	e01_check "k-$cs/HD1" mixed.bin "chunk size $cs"
	spc=$(( $(numfmt --from=iec "$cs") / 512 ))
	expect_in info.txt "Sectors per chunk:[[:space:]]+$spc\$" "$cs: ewfinfo says $spc sectors per chunk"
	[ "$(json_get "k-$cs/HD1.json" .container.sectors_per_chunk)" = "$spc" ] &&
		[ "$(json_get "k-$cs/HD1.json" .parameters.chunk_size)" = "$(numfmt --from=iec "$cs")" ] &&
		ok "$cs: recorded" || fail "$cs: record"
	expect_exit 0 "forage verify, $cs chunks" -- "$FORAGE" verify --progress none "k-$cs/HD1.E01"
done
# The largest chunks, 16M, on many threads: the deflate pool keeps four
# chunks in flight and two workers, not a ring sized for 32K chunks (16
# workers, 128 slots: 1.8 GiB of buffers filled as 272 MiB of zeros pass),
# and the E01 still checks out.
head -c $((272 * 1024 * 1024)) /dev/zero >zero272.bin
mkdir k-16M
if [ -x /usr/bin/time ]; then
	expect_exit 0 "--chunk-size 16M --threads 16" -- /usr/bin/time -f "rss %M" \
		"$FORAGE" acquire zero272.bin -o k-16M/HD1 --chunk-size 16M --threads 16 --progress none
	rss=$(sed -n 's/^rss //p' err.txt)
	[ -n "$rss" ] && [ "$rss" -lt $((200 * 1024)) ] &&
		ok "16M chunks: peak RSS ${rss} KiB, under 200 MiB" || fail "16M chunks: peak RSS '${rss}' KiB"
else
	expect_exit 0 "--chunk-size 16M --threads 16" -- "$FORAGE" acquire zero272.bin -o k-16M/HD1 \
		--chunk-size 16M --threads 16 --progress none
	echo "note: no /usr/bin/time: the 16M memory bound was not measured" >&2
fi
[ "$(json_get k-16M/HD1.json .container.compression_threads)" = 2 ] &&
	ok "16M chunks: two compression workers" ||
	fail "16M chunks: $(json_get k-16M/HD1.json .container.compression_threads) workers"
e01_check k-16M/HD1 zero272.bin "chunk size 16M"
# Verifying it: pipeline blocks of 16 MiB, 3 of them, not 8 (which took
# 136 MiB of peak RSS; now 56 MiB, 92 MiB under AddressSanitizer).
if [ -x /usr/bin/time ]; then
	expect_exit 0 "verify, 16M chunks" -- /usr/bin/time -f "rss %M" \
		"$FORAGE" verify --progress none k-16M/HD1.E01
	rss=$(sed -n 's/^rss //p' err.txt)
	[ -n "$rss" ] && [ "$rss" -lt $((120 * 1024)) ] &&
		ok "verify, 16M chunks: peak RSS ${rss} KiB, under 120 MiB" ||
		fail "verify, 16M chunks: peak RSS '${rss}' KiB"
fi
rm -f zero272.bin k-16M/*

mkdir kbad
for bad in 1000 16K 96K 32M; do
	expect_exit 2 "--chunk-size $bad refused" -- "$FORAGE" acquire mixed.bin -o kbad/HD1 --chunk-size "$bad" --progress none
	expect_in err.txt "an E01 chunk is a power of two of 512-byte sectors, from 64 sectors" "--chunk-size $bad: the rule named"
done
[ -z "$(ls kbad)" ] && ok "refused chunk sizes: nothing created" || fail "kbad: $(ls kbad)"
done_testing
