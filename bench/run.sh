#!/bin/sh
# bench/run.sh - forage against the anchors, side by side in the same run.
#
#   sh bench/run.sh            (or: make bench, from a build folder)
#
# Builds a test source of real data (an ext4 file system filled from
# /usr/lib, BENCH_SIZE bytes, default 2G), warms the page cache, then runs,
# alternating, BENCH_RUNS times each (default 3):
#   forage raw + MD5 + SHA-256          vs  dc3dd hash=md5 hash=sha256
#     (with its default 64 MiB hash windows, and without: --hash-window 0)
#   forage E01 fast + MD5 + SHA-256     vs  ewfacquire -c fast -d sha256
#   forage verify of that E01           vs  ewfverify -d sha256
# and prints the median throughput of each, its CPU time, the ratio
# forage/anchor, and the peak RSS (from /usr/bin/time -v), with the MD5 and
# SHA-256 rates of one core (openssl speed, and forage's own MD5) for scale,
# and the size of each E01 (forage's fast is igzip level 0, ewfacquire's is
# zlib level 1: they differ in size as well as speed).  Every output made is
# checked (the raw images against the source's hashes, the E01s with
# ewfverify).  Timing is never a test: this is run by hand.
#
# Environment: FORAGE (the binary; default build/src/forage), HASHRATE
# (bench/hashrate, built by make bench: forage's own MD5 and SHA-256 rates;
# default next to FORAGE's build folder, skipped when absent), BENCH_DIR
# (work folder; default bench/work, needs ~3x BENCH_SIZE free), BENCH_SIZE,
# BENCH_RUNS, BENCH_WHAT (default "raw e01 verify"; verify needs e01),
# BENCH_KEEP=1 keeps the results file, FORAGE_BEFORE (another forage binary,
# e.g. one built before a change: its raw, E01 and verify runs take turns
# with FORAGE's in the same run, and a before/after table ends the output).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
FORAGE=${FORAGE:-$top/build/src/forage}
DIR=${BENCH_DIR:-$here/work}
SIZE=${BENCH_SIZE:-2G}
RUNS=${BENCH_RUNS:-3}

for c in dc3dd ewfacquire ewfverify mkfs.ext4 /usr/bin/time md5sum sha256sum; do
	command -v "$c" >/dev/null 2>&1 || { echo "bench: needs $c" >&2; exit 2; }
done
[ -x "$FORAGE" ] || { echo "bench: no forage binary at $FORAGE (set FORAGE)" >&2; exit 2; }
BEFORE=${FORAGE_BEFORE:-}
[ -z "$BEFORE" ] || [ -x "$BEFORE" ] || { echo "bench: no forage binary at $BEFORE (FORAGE_BEFORE)" >&2; exit 2; }

mkdir -p "$DIR"
src=$DIR/source.img
if [ ! -f "$src" ]; then
	echo "== building $SIZE of real data: ext4 filled from /usr/lib"
	stage=$DIR/stage
	rm -rf "$stage"; mkdir -p "$stage"
	bytes=$(numfmt --from=iec "$SIZE")
	budget=$((bytes * 85 / 100))
	# Hard links, no copies: the staging tree costs nothing.
	find /usr/lib -xdev -type f -size -64M -printf '%s %p\n' 2>/dev/null |
		awk -v b="$budget" '{ s += $1; if (s > b) exit; print $2 }' |
		while IFS= read -r f; do cp -l --parents "$f" "$stage" 2>/dev/null || true; done
	truncate -s "$SIZE" "$src.tmp"
	mkfs.ext4 -q -F -d "$stage" "$src.tmp"
	mv "$src.tmp" "$src"
	rm -rf "$stage"
fi
bytes=$(stat -c %s "$src")
echo "== source: $src, $bytes bytes; warming the page cache"
cat "$src" >/dev/null
want_md5=$(md5sum <"$src" | cut -d' ' -f1)
want_sha=$(sha256sum <"$src" | cut -d' ' -f1)

# The ceiling for any single MD5 stream on this machine, for the ratios.
speed() { openssl speed -evp "$1" -bytes 1048576 -seconds 1 2>/dev/null |
	awk -v a="$1" '$1 == a { v = $2; sub(/k$/, "", v); printf "%.0f", v * 1000 / 1000000 }'; }
md5_ceiling=$(speed md5)
echo "== one core here: MD5 ${md5_ceiling:-?} MB/s, SHA-256 $(speed sha256) MB/s (openssl speed)"
# forage hashes MD5 with its own code (src/lib/digest/md5.c): its rate is the
# ceiling that counts.
HASHRATE=${HASHRATE:-$(dirname "$FORAGE")/../bench/hashrate}
if [ -x "$HASHRATE" ] && rates=$("$HASHRATE"); then
	own=$(echo "$rates" | awk '$1 == "forage-md5" { print $2 }')
	echo "== forage's MD5 on one core: $own MB/s (OpenSSL's in the same run: $(echo "$rates" | awk '$1 == "openssl-md5" { print $2 }') MB/s; two digests at once, as for a split raw image's media and files: $(echo "$rates" | awk '$1 == "forage-md5x2" { print $2 }') MB/s)"
	md5_ceiling=$own
	sha=$(echo "$rates" | awk '$1 == "forage-sha256x2" { print $2 }')
	[ -n "$sha" ] && echo "== SHA-256 on one core: OpenSSL's $(echo "$rates" | awk '$1 == "openssl-sha256" { print $2 }') MB/s, forage's $(echo "$rates" | awk '$1 == "forage-sha256" { print $2 }') MB/s, two digests of the same bytes at once (media + hash windows) $sha MB/s"
fi

results=$DIR/results.txt
: >"$results"
fail=0

# measure NAME CMD...: run under /usr/bin/time -v, append "NAME secs rss_kib"
measure() {
	name=$1; shift
	# No write-back of an earlier run's outputs during this one.
	sync
	/usr/bin/time -v -o "$DIR/time.txt" "$@" >"$DIR/out.txt" 2>"$DIR/err.txt" || {
		echo "bench: $name failed:" >&2; tail -n 5 "$DIR/err.txt" >&2; fail=1; return 1; }
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, t, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + t[i]
		print s }' "$DIR/time.txt")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$DIR/time.txt")
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$DIR/time.txt")
	echo "$name $secs $rss $cpu" >>"$results"
	printf '  %-16s %6.2f s  %7.1f MB/s  CPU %6.2f s  peak RSS %6.1f MiB\n' "$name" "$secs" \
		"$(echo "$bytes / $secs / 1000000" | bc -l)" "$cpu" "$(echo "$rss / 1024" | bc -l)"
}

check_raw() { # FILE
	[ "$(md5sum <"$1" | cut -d' ' -f1)" = "$want_md5" ] || { echo "bench: $1: MD5 differs" >&2; fail=1; }
}

WHAT=${BENCH_WHAT:-raw e01 verify}
want() { case " $WHAT " in *" $1 "*) return 0;; esac; return 1; }

i=1
while [ "$i" -le "$RUNS" ]; do
	echo "== run $i of $RUNS"
	out=$DIR/run; rm -rf "$out"; mkdir -p "$out"
	if want raw; then
		# The run after another's check (2 GiB read back from disk)
		# and removal is a few per cent slower here: the two forage
		# raw runs take turns at going first.
		if [ $((i % 2)) -eq 1 ]; then order="win nowin"; else order="nowin win"; fi
		for w in $order; do
			if [ "$w" = win ]; then
				measure forage-raw "$FORAGE" acquire "$src" -o "$out/F" --format raw \
					--progress none && check_raw "$out/F.raw"
			else
				measure forage-raw-nowin "$FORAGE" acquire "$src" -o "$out/F" --format raw \
					--hash-window 0 --progress none && check_raw "$out/F.raw"
			fi
			rm -f "$out"/F.*
		done
		if [ -n "$BEFORE" ]; then
			measure before-raw "$BEFORE" acquire "$src" -o "$out/B" --format raw \
				--progress none && check_raw "$out/B.raw"
			rm -f "$out"/B.*
		fi
		measure dc3dd-raw dc3dd if="$src" of="$out/D.raw" hash=md5 hash=sha256 log="$out/D.log" &&
			check_raw "$out/D.raw"
		rm -f "$out"/D.*
	fi
	if want e01 && measure forage-e01 "$FORAGE" acquire "$src" -o "$out/F" --format e01 \
		--compression fast --progress none; then
		ewfverify -q "$out/F.E01" >/dev/null 2>&1 || { echo "bench: forage E01 fails ewfverify" >&2; fail=1; }
		size_f=$(stat -c %s "$out"/F.E?? | awk '{ s += $1 } END { print s }')
	fi
	if want e01 && [ -n "$BEFORE" ] && measure before-e01 "$BEFORE" acquire "$src" -o "$out/B" \
		--format e01 --compression fast --progress none; then
		ewfverify -q "$out/B.E01" >/dev/null 2>&1 || { echo "bench: before's E01 fails ewfverify" >&2; fail=1; }
	fi
	want e01 && measure ewfacquire-e01 ewfacquire -u -q -c fast -d sha256 -S 4TiB -t "$out/A" "$src" &&
		size_a=$(stat -c %s "$out"/A.E?? | awk '{ s += $1 } END { print s }')
	if want verify && [ -f "$out/F.E01" ]; then
		measure forage-verify "$FORAGE" verify "$out/F.E01"
	fi
	if want verify && [ -n "$BEFORE" ] && [ -f "$out/B.E01" ]; then
		measure before-verify "$BEFORE" verify "$out/B.E01"
	fi
	want verify && [ -f "$out/A.E01" ] && measure ewfverify ewfverify -q -d sha256 "$out/A.E01"
	rm -rf "$out"
	i=$((i + 1))
done

median() { # NAME -> median seconds and max rss
	awk -v n="$1" '$1 == n { print $2 }' "$results" | sort -n |
		awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "" }'
}
peak() { awk -v n="$1" '$1 == n && $3 > m { m = $3 } END { print m + 0 }' "$results"; }
cpu_median() {
	awk -v n="$1" '$1 == n { print $4 }' "$results" | sort -n |
		awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print 0 }'
}

echo
echo "== medians over $RUNS runs ($bytes bytes, page cache warm)"
printf '%-16s %10s %8s %10s %10s\n' what "MB/s" "CPU s" "peak MiB" "ratio"
pair() { # FORAGE-NAME ANCHOR-NAME TARGET
	fs=$(median "$1"); as=$(median "$2")
	for n in "$2" "$1"; do
		s=$(median "$n")
		[ -n "$s" ] || { printf '%-16s %10s\n' "$n" "n/a"; continue; }
		printf '%-16s %10.1f %8.2f %10.1f' "$n" "$(echo "$bytes / $s / 1000000" | bc -l)" \
			"$(cpu_median "$n")" "$(echo "$(peak "$n") / 1024" | bc -l)"
		if [ "$n" = "$1" ] && [ -n "$as" ]; then
			printf ' %9.2fx (target %sx)' "$(echo "$as / $fs" | bc -l)" "$3"
		fi
		echo
	done
}
pair forage-raw dc3dd-raw 2.5
pair forage-raw-nowin dc3dd-raw 2.5
if [ -n "$md5_ceiling" ] && [ -n "$(median dc3dd-raw)" ]; then
	printf '(raw: 2.5x dc3dd is %.0f MB/s; one MD5 stream (forage own, when measured) tops out at %s MB/s here)\n' \
		"$(echo "2.5 * $bytes / $(median dc3dd-raw) / 1000000" | bc -l)" "$md5_ceiling"
fi
pair forage-e01 ewfacquire-e01 4
if [ -n "${size_f:-}" ] && [ -n "${size_a:-}" ]; then
	printf '(E01 size: forage %.0f MB, ewfacquire %.0f MB: %.2fx)\n' \
		"$(echo "$size_f / 1000000" | bc -l)" "$(echo "$size_a / 1000000" | bc -l)" \
		"$(echo "$size_f / $size_a" | bc -l)"
fi
pair forage-verify ewfverify 2.5
if [ -n "$BEFORE" ]; then
	echo
	echo "== before ($BEFORE) and after ($FORAGE), medians of the same run"
	for w in raw e01 verify; do
		b=$(median "before-$w"); a=$(median "forage-$w")
		[ -n "$b" ] && [ -n "$a" ] || continue
		printf '%-8s before %7.1f MB/s  after %7.1f MB/s  after/before %5.3f\n' "$w" \
			"$(echo "$bytes / $b / 1000000" | bc -l)" "$(echo "$bytes / $a / 1000000" | bc -l)" \
			"$(echo "$b / $a" | bc -l)"
	done
fi
[ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$results"
[ "$fail" -eq 0 ] || { echo "bench: some output did not verify (see above)" >&2; exit 1; }
