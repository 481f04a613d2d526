#!/bin/sh
# forage verify: help, usage errors, and the man page's VERIFY section lists
# exactly the options `forage verify --help` knows.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"

expect_exit 0 "forage --help" -- "$FORAGE" --help
expect_in out.txt '^  verify ' "--help lists verify"
expect_exit 0 "forage verify --help" -- "$FORAGE" verify --help
expect_in out.txt '^usage: forage verify IMAGE\.\.\.' "verify --help usage line"
expect_exit 2 "verify without IMAGE" -- "$FORAGE" verify
expect_in err.txt "no IMAGE given" "missing IMAGE named"
[ "$(last_line err.txt)" = "FAILURE: bad usage" ] && ok "no IMAGE: FAILURE line" || fail "no IMAGE: last line"
expect_exit 2 "unknown option" -- "$FORAGE" verify --frobnicate x.E01
expect_in err.txt "unknown option.*--frobnicate" "unknown option named"
expect_exit 2 "bad --md5" -- "$FORAGE" verify --md5 1234 x.raw
expect_in err.txt "\-\-md5 '1234': want 32 hex digits" "bad --md5 named"
expect_exit 2 "bad --sha256" -- "$FORAGE" verify --sha256 xyz x.raw
expect_in err.txt "\-\-sha256 'xyz'" "bad --sha256 named"
expect_exit 2 "--md5 with two images" -- "$FORAGE" verify --md5 3ebb0b7dcd6b5fcd59a0020625d70994 a.raw b.raw
expect_in err.txt "one IMAGE" "--md5 with two images explained"

"$FORAGE" verify --help >help.txt
man_options_agree VERIFY help.txt "verify --help"
done_testing
