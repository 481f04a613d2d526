# verify.sh - helpers of the verify tests (sourced after common.sh).

# need_fixtures: SKIP unless the external fixtures are at $FG_FIXTURES.
need_fixtures() {
	[ -r "$FG_FIXTURES/README.md" ] || skip "fixtures not found at $FG_FIXTURES (set FG_FIXTURES)"
}

# copy_fixture NAME...: writable copies of fixtures in the test folder.
copy_fixture() {
	for cf in "$@"; do
		cp "$FG_FIXTURES/$cf" . && chmod u+w "$cf" || fail "cannot copy $cf"
	done
}

# has_check FILTER: out.txt (verify --json) has a check of its first
# verification for which the jq FILTER holds.
has_check() {
	jq -e ".verifications[0].checks[] | select($1)" out.txt >/dev/null
}

# count_checks FILTER: how many checks of the first verification in
# out.txt the jq FILTER holds for.
count_checks() {
	jq -r "[.verifications[0].checks[] | select($1)] | length" out.txt
}
