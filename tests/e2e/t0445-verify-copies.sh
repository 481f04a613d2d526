#!/bin/sh
# A second copy (--second-output): the record says which output files are
# which copy (outputs[].copy); verify RECORD verifies each copy on its own
# (its own result, its own row in the case database), --copy N one of
# them; verify --case likewise; a damaged copy 2 fails alone, named as
# copy 2.  Raw, split raw and E01.  A record written before outputs[].copy
# has its copies told by their names, or is refused when they do not tell.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq sqlite3
unset FORAGE_CASE_DB

make_data src.bin $((3 * 1024 * 1024 + 4096))

# copies_ok FMT NAME SEGS...: acquire to a/NAME and b/NAME, verify each copy.
copies_ok() {
	fmt=$1 n=$2; shift 2
	db=$n.db
	expect_exit 0 "$n: acquire $fmt with a second copy" -- "$FORAGE" acquire src.bin \
		-o a/$n --second-output b/$n --format $fmt "$@" --case-db $db \
		--case C1 --evidence $n --progress none || return
	[ "$(json_get a/$n.json '[.outputs[] | select(.copy == 1) | .path | test("/a/'$n'\\.")] | all')" = true ] &&
	[ "$(json_get a/$n.json '[.outputs[] | select(.copy == 2) | .path | test("/b/'$n'\\.")] | all')" = true ] &&
	[ "$(json_get a/$n.json '[.outputs[] | select(.copy == 1)] | length')" = \
	  "$(json_get a/$n.json '[.outputs[] | select(.copy == 2)] | length')" ] &&
		ok "$n: the record says which outputs are which copy" ||
		fail "$n: outputs: $(jq -c '[.outputs[] | {path, copy}]' a/$n.json)"
	expect_exit 0 "$n: verify the record (both copies)" -- "$FORAGE" verify a/$n.json \
		--case-db $db --progress none
	[ "$(grep -c '^result:    verified' out.txt)" = 2 ] && ok "$n: two results, both verified" ||
		fail "$n: results: $(grep '^result' out.txt)"
	expect_in out.txt "^copy:      1 of 2 \(a/$n\." "$n: copy 1 read from a/"
	expect_in out.txt "^copy:      2 of 2 \(.*/b/$n\." "$n: copy 2 read from b/"
	[ "$(sql $db "select count(*) from verifications where result = 'match'")" = 2 ] &&
	[ "$(sql $db "select count(*) from verifications")" = 2 ] &&
	[ "$(sql $db "select count(*) from verifications where target like '%/b/$n.%'")" = 1 ] &&
		ok "$n: two verification rows, both passed, one of copy 2's files" ||
		fail "$n: rows: $(sql $db "select id, result, target from verifications")"
	expect_exit 0 "$n: verify --json" -- "$FORAGE" verify --json a/$n.json --progress none
	[ "$(jq -c '[.verifications[] | [.copy.number, .copy.of, .result.status]]' out.txt)" = \
	  '[[1,2,"verified"],[2,2,"verified"]]' ] && ok "$n: JSON names each copy" ||
		fail "$n: JSON copies: $(jq -c '[.verifications[] | .copy]' out.txt)"
	expect_exit 0 "$n: verify --case" -- "$FORAGE" verify --case C1 --case-db $db --progress none
	expect_in out.txt "^-- case C1, evidence $n, acquisition 1, copy 2 of 2" "$n: --case verifies copy 2"
	[ "$(grep -c '^result:    verified' out.txt)" = 2 ] && ok "$n: --case: both copies verified" ||
		fail "$n: --case results: $(grep '^result' out.txt)"
	# (--json recorded two rows too: the record names its database.)
	[ "$(sql $db "select count(*) from verifications where result = 'match'")" = 6 ] &&
	[ "$(sql $db "select count(*) from verifications where id > 4 and target like '%/b/$n.%'")" = 1 ] &&
		ok "$n: --case recorded two more passed rows, one of copy 2" ||
		fail "$n: rows after --case: $(sql $db "select id, result, target from verifications")"
}

mkdir a b
copies_ok raw R
copies_ok raw S --segment-size 1M
[ -f b/S.004 ] || fail "S: not split"
if "$FORAGE" acquire --help | grep -q 'e01|raw'; then
	copies_ok e01 E --segment-size 1M
	[ -f b/E.E02 ] || fail "E: not in segments"
fi

# One copy damaged: copy 1 passes, copy 2 fails, exit 1, named.
flip_byte b/S.002 1000
expect_exit 1 "S: copy 2 damaged" -- "$FORAGE" verify a/S.json --case-db S.db --progress none
[ "$(grep -c '^result:    verified' out.txt)" = 1 ] && ok "S: copy 1 still verified" || fail "S: copy 1: $(grep '^result' out.txt)"
expect_in out.txt "^result:    MISMATCH: copy 2 of 2: a/S.json: md5 of media differs from the record S.json" "S: the mismatch names copy 2"
expect_in err.txt "copy 2 of 2: a/S.json: md5 of media differs" "S: the error names copy 2"
[ "$(sql S.db "select result from verifications order by id desc limit 2" | tr '\n' ' ')" = "mismatch match " ] &&
	ok "S: rows: copy 1 match, copy 2 mismatch" || fail "S: rows: $(sql S.db "select id, result, target from verifications")"
expect_exit 0 "S: --copy 1 alone" -- "$FORAGE" verify a/S.json --copy 1 --progress none
[ "$(grep -c '^result:' out.txt)" = 1 ] && ok "S: --copy 1 verifies one copy" || fail "S: --copy 1: $(grep '^result' out.txt)"
expect_exit 1 "S: --copy 2 alone" -- "$FORAGE" verify a/S.json --copy 2 --progress none
expect_in out.txt "^copy:      2 of 2" "S: --copy 2 is copy 2"
expect_exit 2 "S: --copy 3" -- "$FORAGE" verify a/S.json --copy 3 --progress none
expect_in err.txt "--copy 3: the record S.json names 2 copies" "S: no copy 3"
# An image given by its own name: its copy only.
expect_exit 1 "S: verify b/S.001" -- "$FORAGE" verify b/S.001 --progress none
expect_in out.txt "^copy:      2 of 2 \(b/S.001\)" "S: b/S.001 is copy 2"
[ "$(grep -c '^result:' out.txt)" = 1 ] && ok "S: an image verifies its copy alone" || fail "S: image: $(grep '^result' out.txt)"
expect_exit 0 "S: verify a/S.001" -- "$FORAGE" verify a/S.001 --progress none
expect_exit 2 "S: verify b/S.001 --copy 1" -- "$FORAGE" verify b/S.001 --copy 1 --progress none
expect_in err.txt "--copy 1: S.001 is copy 2 of the record S.json" "S: --copy against the image's copy"

# A record written before outputs[].copy: told by the names.  (Beside its
# first copy: a record file reads only the files beside it, and a second
# copy's where they were written, by the names of the first's.)
jq 'del(.outputs[].copy)' a/R.json >a/R-old.json
expect_exit 0 "old record: copies told by names" -- "$FORAGE" verify a/R-old.json --progress none
[ "$(grep -c '^result:    verified' out.txt)" = 2 ] && ok "old record: both copies verified" || fail "old record: $(grep '^result' out.txt)"
expect_in out.txt "does not say which outputs belong to which copy .* told by their names" "old record: says how copies were told"
jq 'del(.outputs[].copy) | .parameters.second_output = "c/OTHER"' a/R.json >a/R-old.json
expect_exit 2 "old record: names do not tell" -- "$FORAGE" verify a/R-old.json --progress none
expect_in err.txt "names two copies \(--second-output c/OTHER\) but not which of its 2 outputs belong to which" "old record: refused, saying why"
done_testing
