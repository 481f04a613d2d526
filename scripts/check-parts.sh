#!/bin/sh
# check-parts.sh - the parts of libforage call each other in one direction
# only (docs/design.md, "Parts").  Reads the symbols of the built objects
# under BUILD-LIB-DIR (src/lib of a build folder): a part may use what the
# parts before it in ORDER define, never what a later part defines, so no
# two parts call each other in a loop and base depends on nothing.
#   Usage: check-parts.sh BUILD-LIB-DIR
ORDER="base record source read digest ewf sink image verify casedb report run"
dir=${1:?usage: check-parts.sh BUILD-LIB-DIR}
command -v nm >/dev/null 2>&1 || { echo "check-parts: needs nm (binutils)" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
rank=0
for p in $ORDER; do
	rank=$((rank + 1))
	[ -d "$dir/$p" ] || { echo "check-parts: no folder $dir/$p" >&2; exit 1; }
	for o in "$dir/$p"/*.o; do
		[ -f "$o" ] || continue
		nm --defined-only -g "$o" | awk -v p="$p" -v r="$rank" '$2 ~ /^[TDRBC]$/ { print $3, p, r }' >>"$tmp/defs"
		nm -u "$o" | awk -v p="$p" -v r="$rank" -v f="${o##*/}" '{ print $2, p, r, f }' >>"$tmp/uses"
	done
done
for d in "$dir"/*/; do
	p=$(basename "$d")
	case " $ORDER " in *" $p "*) ;; *)
		echo "check-parts: src/lib/$p is not in ORDER (scripts/check-parts.sh)" >&2; exit 1 ;;
	esac
done
sort -k1,1 "$tmp/defs" >"$tmp/defs.s"
sort -k1,1 "$tmp/uses" >"$tmp/uses.s"
bad=$(join "$tmp/uses.s" "$tmp/defs.s" |
	awk '$3 < $6 { sub(/^libforage_a-/, "", $4); printf "  %s (%s/%s) uses %s, defined in %s\n", $2, $2, $4, $1, $5 }')
if [ -n "$bad" ]; then
	echo "check-parts: a part calls a later one (order: $ORDER):" >&2
	echo "$bad" >&2
	exit 1
fi
exit 0
