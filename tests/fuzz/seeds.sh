#!/bin/sh
# seeds.sh - make the seed corpora of the fuzz harnesses by running forage
# (never from files committed from elsewhere): small E01 sets with and
# without compression and segment splitting, records, sidecars, mapfiles,
# a case database, its export, a signed report and the profiles.
#   FORAGE=PROGRAM FG_FUZZ_SEEDS=FOLDER sh seeds.sh
# Writes FOLDER/HARNESS/NAME for each harness of scripts/fuzz.sh.  EWF sets
# of other tools in $FG_FIXTURES are added when present.
set -eu
: "${FORAGE:?FORAGE names the forage program}"
: "${FG_FUZZ_SEEDS:?FG_FUZZ_SEEDS names the seed folder}"
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
out=$FG_FUZZ_SEEDS
rm -rf "$out"
for h in ewf_meta ewf_set image_ewf mapfile record sidecar casedb casedb_rw \
	sign profile report anchor case_import drive; do
	mkdir -p "$out/$h"
done
work=$(mktemp -d "${TMPDIR:-/tmp}/forage-seeds.XXXXXX")
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cd "$work"
export FORAGE_EXAMINER="Fuzz Seed"

byte() { printf "\\$(printf %03o "$1")"; }
le32() { # N: four bytes, little-endian
	byte $(($1 & 255)); byte $(($1 >> 8 & 255))
	byte $(($1 >> 16 & 255)); byte $(($1 >> 24 & 255))
}
size() { wc -c <"$1" | tr -d ' '; }
pack() { # FILE...: fz_split's form (each but the last after its length)
	while [ $# -gt 1 ]; do
		le32 "$(size "$1")"; cat "$1"; shift
	done
	cat "$1"
}
acquire() { # OUTBASE ARGS...: one acquisition of small.img
	o=$1; shift
	"$FORAGE" acquire small.img -o "$o" --progress none --case C-1 \
		--evidence HD1 --case-db case.db "$@" >"$o.out" 2>&1 ||
		{ cat "$o.out" >&2; exit 1; }
}

# A small image: counting text, zeros, letters (compressible, not all
# alike), and a larger one for sets of 1 MiB segments (the least forage
# writes).
{ seq 1 20000 | head -c 32768; head -c 16384 /dev/zero
  seq 1 9000 | tr 0-9 a-j | head -c 16384; } >small.img
{ cat small.img; seq 1 300000 | head -c 1179648; } >large.img

acquire none --format e01 --compression none
acquire fast --format e01 --compression fast --chunk-size 64K
acquire best --format e01 --compression best --ewf-format encase5 \
	--description "seed: best" --notes "made by seeds.sh"
acquire empty --format e01 --compression empty-block --hash md5,sha1,sha256
acquire raw --format raw --hash-window 16K --mapfile raw.map
"$FORAGE" acquire large.img -o split --progress none --format e01 \
	--compression none --segment-size 1M --case C-1 --evidence HD2 \
	--case-db case.db >split.out 2>&1 || { cat split.out >&2; exit 1; }
"$FORAGE" verify none.E01 --case-db case.db >verify.out 2>&1 || true
"$FORAGE" case custody add --case-db case.db --evidence HD1 \
	--action transferred --from "Jo" --to "Lab" --location "Locker 3" \
	--reason "seed" --new --at 2026-01-02T03:04Z >custody.out 2>&1 || { cat custody.out >&2; exit 1; }

for s in none fast best empty; do
	cp "$s.E01" "$out/ewf_meta/$s.E01"
	cp "$s.E01" "$out/ewf_set/$s.E01"
	{ byte 0; cat "$s.E01"; } >"$out/image_ewf/$s"
done
{ byte 1; cat fast.E01; } >"$out/image_ewf/fast-libewf"
{ byte 2; cat best.E01; } >"$out/image_ewf/best-reopen"
ls split.E0* >segs.txt
[ "$(wc -l <segs.txt)" -ge 2 ] || { echo "split.E01 was not split" >&2; exit 1; }
# The 1 MiB segments only where a set is read: large inputs slow the
# single-file harness down for little.
# shellcheck disable=SC2046
pack $(cat segs.txt) >"$out/ewf_set/split"
# shellcheck disable=SC2046
{ byte 0; pack $(cat segs.txt); } >"$out/image_ewf/split"
if [ -n "${FG_FIXTURES:-}" ] && [ -d "$FG_FIXTURES" ]; then
	for f in "$FG_FIXTURES"/*.E01; do
		[ -f "$f" ] || continue
		[ "$(size "$f")" -le 524288 ] || continue
		n=ext-$(basename "$f")
		cp "$f" "$out/ewf_meta/$n"
		cp "$f" "$out/ewf_set/$n"
		{ byte 0; cat "$f"; } >"$out/image_ewf/$n"
	done
fi

for s in none fast best empty raw split; do
	cp "$s.json" "$out/record/$s.json"
done
"$FORAGE" verify none.E01 --json >"$out/record/verification.json" \
	2>/dev/null || true
for s in none raw; do
	{ byte 0; cat "$s.md5"; } >"$out/sidecar/$s.md5"
	{ byte 2; cat "$s.sha256"; } >"$out/sidecar/$s.sha256"
done
{ byte 0; cat split.md5; } >"$out/sidecar/split.md5"
{ byte 1; printf 'SHA1 (a b.raw) = %s\n# c\n\n%s *x\\\\y\n' \
	0123456789abcdef0123456789abcdef01234567 \
	0123456789abcdef0123456789abcdef01234567; } >"$out/sidecar/bsd.sha1"

cp raw.map "$out/mapfile/finished.map"
# ddrescue's own form, as its manual shows it: a run stopped in the
# trimming phase with bad and untried areas.
cat >"$out/mapfile/ddrescue.map" <<'EOF'
# Mapfile. Created by GNU ddrescue version 1.27
# Command line: ddrescue -d /dev/sdb disk.img disk.map
# Start time:   2026-11-25 13:00:43
# Current time: 2026-11-25 13:05:10
# Trimming failed blocks... (forwards)
# current_pos  current_status  current_pass
0x10000000     *               1
#      pos        size  status
0x00000000  0x0FFF0000  +
0x0FFF0000  0x00010000  *
0x10000000  0x00000200  -
0x10000200  0x0FFFFE00  /
0x20000000  0x20000000  ?
EOF
printf '0x00000000     ?               1\n0x00000000  0x00100000  ?\n' \
	>"$out/mapfile/untried.map"

# The case database, closed (no -wal left), as forage left it.
[ ! -e case.db-wal ] || { echo "case.db-wal left behind" >&2; exit 1; }
cp case.db "$out/casedb/case.db"
cp case.db "$out/casedb_rw/case.db"
"$FORAGE" case init --case-db new.db --case C-2 --description "empty" \
	>init.out 2>&1 || { cat init.out >&2; exit 1; }
cp new.db "$out/casedb/new.db"
cp new.db "$out/casedb_rw/new.db"

# A database of schema version 1 (the project's own dump, made by an older
# forage): what the migrations start from.
v1=$srcdir/tests/e2e/casedb-v1.sql
if [ -f "$v1" ] && command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 v1.db <"$v1" && cp v1.db "$out/casedb/v1.db" &&
		cp v1.db "$out/casedb_rw/v1.db"
else
	echo "seeds: no sqlite3 or $v1: no schema-1 database seed" >&2
fi

"$FORAGE" report --case-db case.db --case C-1 --format json -o report.json \
	>report.out 2>&1 || { cat report.out >&2; exit 1; }
if command -v jq >/dev/null 2>&1; then
	{ byte 1; jq -c .export report.json; } >"$out/report/intact.json"
	{ byte 2; jq -c .export report.json; } >"$out/report/broken.json"
	{ byte 7; jq .export report.json; } >"$out/report/one-case.json"
	"$FORAGE" report --case-db new.db --case C-2 --format json \
		-o c2.json >report.out 2>&1 || { cat report.out >&2; exit 1; }
	{ byte 5; jq .export c2.json; } >"$out/report/empty-case.json"
else
	echo "seeds: no jq, the report harness starts from no seed" >&2
fi

if command -v openssl >/dev/null 2>&1; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout key.pem -out cert.pem -days 2 \
		-subj "/CN=Fuzz Seed/O=Test Lab" >openssl.log 2>&1 ||
		{ cat openssl.log >&2; exit 1; }
	"$FORAGE" report --case-db new.db --case C-2 --format text -o rep.txt \
		--sign key.pem --cert cert.pem >sign.out 2>&1 ||
		{ cat sign.out >&2; exit 1; }
	pack rep.txt cert.pem rep.txt.p7s >"$out/sign/good"
	openssl x509 -in cert.pem -outform DER -out cert.der
	pack rep.txt cert.der rep.txt.p7s >"$out/sign/good-der"
	openssl cms -sign -binary -in rep.txt -signer cert.pem -inkey key.pem \
		-outform PEM -out rep.pem.p7s >>openssl.log 2>&1 &&
		pack rep.txt cert.pem rep.pem.p7s >"$out/sign/pem"
else
	echo "seeds: no openssl, the sign harness starts from no seed" >&2
fi

# Anchors: the records made above (their case_db events), and a seal.
for s in none raw; do
	cp "$s.json" "$out/anchor/$s.json"
done
"$FORAGE" case seal --case-db new.db >seal.out 2>&1 ||
	{ cat seal.out >&2; exit 1; }
cp new.db.seal-*.json "$out/anchor/"

# A case export: the case database made above, its case C-1.
"$FORAGE" case export --case-db case.db --case C-1 -o case.jsonl \
	>export.out 2>&1 || { cat export.out >&2; exit 1; }
cp case.jsonl "$out/case_import/case.jsonl"

# Drive pages: each parser's selector byte, then a page of spaces (ATA
# and NVMe strings) or of 01h bytes, as long as the page it parses.
for sel in 0 1 2 3 4 5 6 7 8 9 10 11 12; do
	{ byte $sel; head -c 4096 /dev/zero | tr '\000' ' '; } \
		>"$out/drive/spaces-$sel"
	{ byte $sel; head -c 512 /dev/zero | tr '\000' '\001'; } \
		>"$out/drive/ones-$sel"
done

for p in "$srcdir"/forensics-profiles/*.profile; do
	cp "$p" "$out/profile/"
done
printf 'verify = yes\ndescription = "a b = c"\n# x\n\n  hash=md5 \n' \
	>"$out/profile/quoted.profile"

for h in "$out"/*; do
	echo "$(basename "$h"): $(ls "$h" | wc -l) seed(s)"
done
