#!/bin/sh
# Issue 21: the --verify and --verify-source re-reads show their own
# progress (phase, bytes, ETA) instead of leaving the copy's "100.0% ETA 0s"
# on screen.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq
export FORAGE_EXAMINER=E
make_data src.bin 8388608
mkdir a b

expect_exit 0 "json" -- "$FORAGE" acquire src.bin -o a/HD1 --second-output b/HD1 --format raw \
	--verify --verify-source --case C --progress json
# The finished object of each pass, in the order they ran.
jq -r 'select(.finished == true) | "\(.phase) \(.done) \(.total)"' err.txt >passes.txt
printf '%s\n' "copying 8388608 8388608" "verifying the image 8388608 8388608" \
	"verifying the second copy 8388608 8388608" "verifying the source 8388608 8388608" >want.txt
cmp -s passes.txt want.txt && ok "each re-read reports its own pass to 100%" ||
	{ fail "passes"; sed 's/^/  | /' passes.txt >&2; }
# Every object of a re-read is about that pass: its own total, a rate and
# an ETA that are numbers, and done counted from 0 again.
[ "$(jq -s '[.[] | select(.phase != null and (.phase | startswith("verifying")))
	| select(.total != 8388608 or (.eta_s | type) != "number" or .done > .total)] | length' err.txt)" = 0 ] &&
	ok "re-read objects well formed" || fail "re-read objects"
[ "$(jq -s '[.[] | select(.phase == "verifying the source")] | .[0].done' err.txt)" -lt 8388608 ] &&
	ok "the source re-read starts from its own beginning" || fail "source re-read starts at the end"

# The bar names the pass.
expect_exit 0 "bar" -- "$FORAGE" acquire src.bin -o a/HD2 --format raw --verify --case C --progress bar
tr '\r' '\n' <err.txt | grep -q "^ *100.0%  8 / 8 MiB .*verifying the image" &&
	ok "bar: the verify pass is shown" || fail "bar: $(tr '\r' '\n' <err.txt | tail -n 5)"
done_testing
