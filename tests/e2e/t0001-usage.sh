#!/bin/sh
# The program's help, version and usage errors.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"

expect_exit 0 "forage --help" -- "$FORAGE" --help
expect_in out.txt '^usage: forage VERB' "--help prints the usage"
expect_in out.txt 'acquire' "--help lists acquire"
expect_exit 0 "forage --version" -- "$FORAGE" --version
expect_in out.txt '^forage [0-9]+\.[0-9]+\.[0-9]+$' "--version prints name and version"
expect_exit 0 "forage acquire --help" -- "$FORAGE" acquire --help
expect_in out.txt '^usage: forage acquire SOURCE -o OUTBASE' "acquire --help usage line"
for opt in --format --case --evidence --examiner --description --notes --hash \
	--retries --fill --segment-size --offset --length --progress; do
	expect_in out.txt -- "$opt" "acquire --help documents $opt"
done
expect_exit 2 "no verb" -- "$FORAGE"
[ "$(last_line err.txt)" = "FAILURE: no verb given" ] && ok "no verb: FAILURE line" || fail "no verb: last line"
expect_exit 2 "unknown verb" -- "$FORAGE" frobnicate
expect_in err.txt "unknown verb 'frobnicate'" "unknown verb named"

# The man page documents every acquire option the program knows, and the
# program knows every option the man page documents.
"$FORAGE" acquire --help >help.txt
man_options_agree ACQUIRE help.txt "acquire --help"
done_testing
