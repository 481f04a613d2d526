#!/bin/sh
# `forage case show --evidence ID` finds the item by its id alone (issue
# 21): an item acquired with --evidence but no --case (its acquisitions
# under no case), in a database with no case or several; the item of the
# one case that holds that id among several cases; the case's item and the
# acquisitions under no case with the same id together.  When several
# cases hold the id, it is refused (exit 2) naming them; an id nowhere is
# refused naming it.  (`case custody add` still wants --case when the
# database holds several cases: the item may be a new one.)
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq sqlite3
unset FORAGE_CASE_DB FORAGE_EXAMINER

make_data a.bin 40000
mkdir o
db=o/case.db
acq() { # NAME DESCRIPTION forage-acquire-options...
	aq_name=$1 aq_what=$2
	shift 2
	expect_exit 0 "$aq_what" -- "$FORAGE" acquire a.bin -o "o/$aq_name" --format raw \
		--case-db $db --progress none "$@"
}
show_ok() { # WHAT show-options...
	so_what=$1
	shift
	expect_exit 0 "$so_what" -- "$FORAGE" case show --case-db $db "$@"
}

# 1. Evidence without a case, in a database holding no case.
acq S1 "acquire --evidence HD-S, no --case" --evidence HD-S
[ "$(sql $db "SELECT count(*) FROM cases")" = 0 ] && ok "no case in the database" || fail "cases exist"
show_ok "show --evidence HD-S (no case in the database)" --evidence HD-S
expect_in out.txt "^Acquisitions not filed under a case" "show: the item's acquisitions under no case"
expect_in out.txt "^    command .* --evidence HD-S$" "show: the acquisition given --evidence HD-S"
grep -q "holds no case yet" err.txt out.txt && fail "show: still asks for a case" || ok "show: no 'give --case'"
show_ok "show --evidence HD-S --json" --evidence HD-S --json
[ "$(jq -c '[(.cases | length), (.unfiled_acquisitions | map(.evidence_id))]' out.txt)" = '[0,["HD-S"]]' ] &&
	ok "show --json: no case, the one acquisition of HD-S under no case" ||
	fail "show --json: $(jq -c '[(.cases | length), (.unfiled_acquisitions | length)]' out.txt)"

# 2. Two cases, an item in one of them, another under no case.
acq T1 "acquire --case C1 --evidence HD-T" --case C1 --evidence HD-T
acq U2 "acquire --case C2 --evidence HD-U" --case C2 --evidence HD-U
acq N1 "acquire with no evidence id and no case"
show_ok "show --evidence HD-S (two cases in the database)" --evidence HD-S
grep -q "^Case C" out.txt && fail "show HD-S: lists a case" || ok "show HD-S: no case listed"
[ "$(grep -c '^  Acquisition ' out.txt)" = 1 ] && ok "show HD-S: its one acquisition only" ||
	fail "show HD-S: $(grep -c '^  Acquisition ' out.txt) acquisitions listed"
show_ok "show --evidence HD-T (held by C1 only)" --evidence HD-T
expect_in out.txt "^Case C1" "show HD-T: case C1"
expect_in out.txt "^Evidence HD-T" "show HD-T: item HD-T"
grep -q "^Case C2" out.txt && fail "show HD-T: lists C2" || ok "show HD-T: C2 not listed"
show_ok "show --evidence HD-T --json" --evidence HD-T --json
[ "$(jq -c '[.cases[] | [.case_id, (.evidence | map(.evidence_id))]] + [.unfiled_acquisitions | length]' out.txt)" = \
	'[["C1",["HD-T"]],0]' ] && ok "show --json HD-T: C1 with HD-T alone" ||
	fail "show --json HD-T: $(jq -c '[.cases[] | [.case_id, (.evidence | map(.evidence_id))]]' out.txt)"

# 3. The same id in the one case and under no case: both shown.
acq S2 "acquire --case C1 --evidence HD-S" --case C1 --evidence HD-S
show_ok "show --evidence HD-S (in C1 and under no case)" --evidence HD-S
expect_in out.txt "^Case C1" "show HD-S: case C1"
expect_in out.txt "^Evidence HD-S" "show HD-S: C1's item"
expect_in out.txt "^Acquisitions not filed under a case" "show HD-S: and the one under no case"
[ "$(grep -c '^  Acquisition ' out.txt)" = 2 ] && ok "show HD-S: its two acquisitions" ||
	fail "show HD-S: $(grep -c '^  Acquisition ' out.txt) acquisitions listed"

# 4. The same id in two cases: refused, naming them.
acq T2 "acquire --case C2 --evidence HD-T" --case C2 --evidence HD-T
expect_exit 2 "show --evidence HD-T (in C1 and C2) refused" -- "$FORAGE" case show --case-db $db --evidence HD-T
expect_in err.txt "o/case.db: evidence item 'HD-T' is in 2 cases \(C1, C2\): give --case" "names both cases"
show_ok "show --case C2 --evidence HD-T" --case C2 --evidence HD-T
expect_in out.txt "^Case C2" "with --case: C2"
expect_exit 2 "show --evidence NOPE refused" -- "$FORAGE" case show --case-db $db --evidence NOPE
expect_in err.txt "o/case.db: no evidence item 'NOPE' in any case, nor any acquisition of it" "names the unknown id"


# 5. custody add still asks for --case when the database holds several
# (the item may be a new one of another case).
expect_exit 2 "custody add --evidence HD-U, two cases, no --case: refused" -- "$FORAGE" case custody add \
	--case-db $db --evidence HD-U --action stored
expect_in err.txt "o/case.db holds several cases: give --case" "custody: --case asked for"
done_testing
