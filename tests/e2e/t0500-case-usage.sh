#!/bin/sh
# forage case: --help on the verb and on each subcommand, usage errors,
# and the man page's CASE section documents exactly the options the
# subcommands know.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"

expect_exit 0 "forage --help" -- "$FORAGE" --help
expect_in out.txt '^  case ' "forage --help lists case"
expect_exit 0 "forage case --help" -- "$FORAGE" case --help
expect_in out.txt '^usage: forage case init --case ID' "case --help: usage"
for sub in init list show "custody add" audit export import import-record; do
	expect_in out.txt "^  $sub " "case --help lists $sub"
done
: >help-all.txt
for sub in init list show "custody add" audit export import import-record; do
	# shellcheck disable=SC2086
	expect_exit 0 "forage case $sub --help" -- "$FORAGE" case $sub --help
	expect_in out.txt "^usage: forage case $sub" "$sub --help: usage line"
	expect_in out.txt -- "--case-db PATH" "$sub --help: --case-db"
	cat out.txt >>help-all.txt
done
expect_exit 0 "forage case custody --help" -- "$FORAGE" case custody --help
expect_in out.txt "^usage: forage case custody add" "custody --help"

expect_exit 2 "case without subcommand" -- "$FORAGE" case
[ "$(last_line err.txt)" = "FAILURE: no case command given" ] && ok "no subcommand: FAILURE line" ||
	fail "no subcommand: last line"
expect_exit 2 "unknown subcommand" -- "$FORAGE" case frobnicate
expect_in err.txt "unknown case command 'frobnicate'" "unknown subcommand named"
expect_exit 2 "custody without add" -- "$FORAGE" case custody
expect_exit 2 "unknown option" -- "$FORAGE" case list --frobnicate
expect_in err.txt "unknown option or missing argument: --frobnicate" "unknown option named"
expect_exit 2 "option of another subcommand" -- "$FORAGE" case audit --json
expect_in err.txt -- "--json does not apply here" "misplaced option named"
expect_exit 2 "stray argument" -- "$FORAGE" case list extra
expect_in err.txt "unexpected argument 'extra'" "stray argument named"

# The man page's CASE section and the subcommands' --help agree.
{ "$FORAGE" case --help; cat help-all.txt; } >help.txt
man_options_agree CASE help.txt "case --help"
done_testing
