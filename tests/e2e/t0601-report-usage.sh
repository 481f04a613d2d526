#!/bin/sh
# forage report --help, its usage errors, and the man page's REPORT section
# listing the same options as --help.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"

expect_exit 0 "forage --help lists report" -- "$FORAGE" --help
expect_in out.txt '^  report ' "report is a verb"
expect_exit 0 "forage report --help" -- "$FORAGE" report --help
expect_in out.txt '^usage: forage report \[--case ID\]' "report usage line"
expect_in out.txt 'forage report verify-signature REPORT SIG --cert CERT' \
	"verify-signature usage line"
for opt in --case --evidence --format --output --case-db --sign --cert; do
	expect_in out.txt -- "$opt" "report --help documents $opt"
done
expect_exit 2 "unknown option" -- "$FORAGE" report --frobnicate
expect_in err.txt "unknown option or missing argument: '--frobnicate'" "the option is named"
[ "$(last_line err.txt)" = "FAILURE: bad usage" ] && ok "last line" || fail "last line"
expect_exit 2 "--cert without --sign" -- "$FORAGE" report --cert c.pem -o r.txt
expect_exit 2 "--evidence without --case" -- "$FORAGE" report --evidence HD1
expect_exit 2 "stray argument" -- "$FORAGE" report extra

man=$FG_SRCDIR/docs/forage.1
"$FORAGE" report --help >help.txt
man_options_agree REPORT help.txt "report --help"
grep -q 'verify\\-signature' "$man" && ok "the man page documents verify-signature" ||
	fail "verify-signature not in the man page"
done_testing
