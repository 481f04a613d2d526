# common.sh - shared by the end-to-end tests (sourced).  Each test runs in a
# fresh temporary folder, removed at the end; exit 0 pass, 1 fail, 77 skip.
set -u
: "${FORAGE:?FORAGE must point at the forage binary (make check sets it)}"
: "${FG_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
FG_FIXTURES=${FG_FIXTURES:-$FG_SRCDIR/../shared/fixtures/external}
T=$(mktemp -d /tmp/forage-e2e.XXXXXX)
fg_failures=0
fg_cleanups=""
fg_at_exit() {
	eval "$fg_cleanups"
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap fg_at_exit EXIT
cd "$T" || exit 99

# Run cleanup code at exit (loop devices, mounts), last added first.
at_exit() { fg_cleanups="$1; $fg_cleanups"; }

fail() { echo "FAIL: $*" >&2; fg_failures=$((fg_failures + 1)); }
ok() { echo "ok: $*"; }
skip() { echo "SKIP: $*" >&2; exit 77; }
done_testing() {
	if [ "$fg_failures" -ne 0 ]; then
		echo "$fg_failures check(s) failed" >&2
		exit 1
	fi
	exit 0
}

# expect_exit CODE DESCRIPTION -- command...: run, keep stdout/stderr in
# out.txt/err.txt, check the exit code.
expect_exit() {
	want=$1; what=$2; shift 3
	"$@" >out.txt 2>err.txt
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$what: exit $got, want $want"
		sed 's/^/  | /' err.txt >&2
		return 1
	fi
	ok "$what (exit $got)"
	return 0
}

# expect_in FILE REGEX DESCRIPTION
expect_in() {
	if grep -qE -- "$2" "$1"; then ok "$3"; else
		fail "$3: /$2/ not in $1"; sed 's/^/  | /' "$1" >&2
	fi
}

# last_line FILE: the last line of a file
last_line() { tail -n 1 "$1"; }

need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root (loop devices)"; }
need_cmd() {
	for c in "$@"; do command -v "$c" >/dev/null 2>&1 || skip "needs $c"; done
}

# make_data FILE BYTES: repeatable pseudo-random content
make_data() {
	head -c "$2" /dev/urandom >"$1"
}

# json_get FILE JQ-FILTER
json_get() { jq -r "$2" "$1"; }
