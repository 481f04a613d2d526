# verify.sh - helpers of the verify tests (sourced after common.sh).

# flip_byte FILE OFFSET: invert the byte at OFFSET of FILE in place.
flip_byte() {
	fb_old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' \n')
	[ -n "$fb_old" ] || { fail "flip_byte: $1 has no byte at $2"; return 1; }
	# shellcheck disable=SC2059
	printf "\\$(printf %o $((fb_old ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# copy_fixture NAME...: writable copies of fixtures in the test folder.
copy_fixture() {
	for cf in "$@"; do
		cp "$FG_FIXTURES/$cf" . && chmod u+w "$cf" || fail "cannot copy $cf"
	done
}
