# common.sh - shared by the end-to-end tests (sourced).  Each test runs in a
# fresh temporary folder, removed at the end; exit 0 pass, 1 fail, 77 skip.
# The helpers, one line each: tests/e2e/lib/README.
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
# heavy [sanitizers]: a slow test (tens of seconds) runs once in CI: in
# the plain suite, not again inside make distcheck (scripts/test-all.sh
# sets FG_DISTCHECK there) nor, with "sanitizers", in the sanitizer build
# (for tests whose work is in other programs or in waiting).
heavy() {
	[ -z "${FG_DISTCHECK:-}" ] ||
		skip "a slow test: it ran in the suite, not again in make distcheck"
	if [ "${1:-}" = sanitizers ] && [ "${FG_SANITIZERS:-no}" != no ]; then
		skip "a slow test whose work is not forage's memory: run in the suite without sanitizers"
	fi
}
# check_schemas: every forage document the test left in its folder (an
# acquisition record, forage info --json or forage verify --json output)
# must match its JSON Schema in docs/schema/ (tests/tools/check-json-schema;
# nothing is checked, and the test says so, without python3-jsonschema).
check_schemas() {
	cs_tool="$FG_SRCDIR/tests/tools/check-json-schema"
	"$cs_tool" --auto "$FG_SRCDIR/docs/schema" /dev/null >/dev/null 2>&1
	if [ $? -eq 77 ]; then
		echo "note: python3-jsonschema missing, documents not checked against docs/schema/" >&2
		return 0
	fi
	find "$T" -xdev -type f -size -16M \
		-exec "$cs_tool" --auto "$FG_SRCDIR/docs/schema" {} + ||
		fail "a forage document does not match its schema (docs/schema/)"
}

done_testing() {
	check_schemas
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

# last_line FILE: the last line of a file; with --progress json, the text
# of its closing {"event":"end"} object (SUCCESS, FAILURE: ..., ...).
last_line() {
	ll_line=$(tail -n 1 "$1")
	case $ll_line in
	'{"event":"end",'*) printf '%s\n' "$ll_line" | jq -r .text ;;
	*) printf '%s\n' "$ll_line" ;;
	esac
}

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

# sql DB QUERY...: run QUERY with sqlite3 itself (not forage) on DB; rows
# one a line, columns joined by '|', no header.
sql() { sqlite3 -batch -noheader "$@"; }

# nothing_left DIR DESCRIPTION: DIR is empty (or absent): a refused run
# wrote nothing there.
nothing_left() {
	if [ -z "$(ls -A "$1" 2>/dev/null)" ]; then ok "$2: nothing left behind"; else
		fail "$2: left $(ls -A "$1" | tr '\n' ' ')"; fi
}

# wait_until SECONDS COMMAND...: run COMMAND every 0.05 s until it
# succeeds; 1 if it has not within about SECONDS (a bound against hanging,
# not a timing assertion).
wait_until() {
	wu_n=$(($1 * 20))
	shift
	wu_i=0
	until "$@"; do
		wu_i=$((wu_i + 1))
		[ "$wu_i" -gt "$wu_n" ] && return 1
		sleep 0.05
	done
	return 0
}

# wait_for DESCRIPTION COMMAND...: wait_until 60 COMMAND, a failure
# "gave up waiting for DESCRIPTION" when it never succeeds.
wait_for() {
	wf_what=$1
	shift
	wait_until 60 "$@" || { fail "gave up waiting for $wf_what"; return 1; }
}

# flip_byte FILE OFFSET: invert the byte at OFFSET of FILE in place.
flip_byte() {
	fb_old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' \n')
	[ -n "$fb_old" ] || { fail "flip_byte: $1 has no byte at $2"; return 1; }
	# shellcheck disable=SC2059
	printf "\\$(printf %o $((fb_old ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# man_options_agree SECTION HELP-FILE WHAT: the long options in HELP-FILE
# (WHAT: the --help text it holds) are those the man page's SECTION lists;
# writes help-opts.txt, man-opts.txt and opts.diff.
man_options_agree() {
	grep -oE -- '--[a-z][a-z0-9-]+' "$2" | sort -u >help-opts.txt
	sed -n "/^\\.SH $1/,/^\\.SH /p" "$FG_SRCDIR/docs/forage.1" |
		grep -oE -- '\\-\\-[a-z][a-z0-9\\-]+' | sed 's/\\//g' | sort -u >man-opts.txt
	[ -s man-opts.txt ] || fail "the man page has no $1 section with options"
	if diff -u help-opts.txt man-opts.txt >opts.diff; then
		ok "man page $1 section and $3 list the same options"
	else
		fail "man page $1 section and $3 differ"; cat opts.diff >&2
	fi
}

# need_e01_writer: SKIP unless this build writes E01 (a small acquisition
# into probe/ tells); a failure if it fails otherwise.
need_e01_writer() {
	make_data probe.bin 4096
	mkdir probe
	if ! "$FORAGE" acquire probe.bin -o probe/P --format e01 --progress none >probe.out 2>&1; then
		grep -q 'not available in this build' probe.out &&
			skip "this build does not write E01 yet (the E01 sink is another branch)"
		fail "E01 acquisition of a small file failed: $(tail -n 2 probe.out)"
	fi
}

# handling PID: is PID forage already (not the shell's child before its
# exec: it may still hold the shell's traps, and a signal then would run
# the test's own EXIT trap there), and has it installed its SIGTERM
# handler (SigCgt bit 15)?
handling() {
	case $(cat "/proc/$1/comm" 2>/dev/null) in
	forage | lt-forage) ;;
	*) return 1 ;;
	esac
	c=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
	[ -n "$c" ] && [ $(( 0x$c & 0x4000 )) -ne 0 ]
}

# holding_db PID: forage PID handles signals and has a *.db file open (it
# is at or past the first read of a case database).
holding_db() {
	handling "$1" && ls -l "/proc/$1/fd" 2>/dev/null | grep -q '\.db$'
}

# interrupt NAME SIGNAL WHEN CMD...: run CMD (NAME.out, NAME.err), send
# SIGNAL once it has started (WHEN: "progress", its first progress line;
# "handler", its signal handler installed; "db", that and a case database
# open), expect exit 4 and INTERRUPTED.
# It must end within 20 s of the signal (killed then: a failure); no
# tighter duration is asserted.
interrupt() {
	ir_n=$1 ir_sig=$2 ir_when=$3
	shift 3
	"$@" >"$ir_n.out" 2>"$ir_n.err" &
	ir_pid=$!
	if [ "$ir_when" = progress ]; then
		wait_for "$ir_n: started" grep -q '"progress"\|bytes' "$ir_n.err"
	elif [ "$ir_when" = db ]; then
		wait_for "$ir_n: the database open" holding_db "$ir_pid"
	else
		wait_for "$ir_n: started" handling "$ir_pid"
	fi
	kill -"$ir_sig" "$ir_pid"
	( sleep 20; kill -KILL "$ir_pid" 2>/dev/null ) &
	ir_dog=$!
	wait "$ir_pid"
	ir_rc=$?
	# SIGKILL: a bash subshell that a SIGTERM reaches may run the test's
	# EXIT trap, which removes the test's folder.
	kill -KILL "$ir_dog" 2>/dev/null
	wait "$ir_dog" 2>/dev/null
	if [ "$ir_rc" = 4 ]; then
		ok "$ir_n: SIG$ir_sig ends it, exit 4"
	else
		fail "$ir_n: SIG$ir_sig: exit $ir_rc, want 4 (137: still running 20 s after the signal)"
		tail -n 3 "$ir_n.err" >&2
	fi
	[ "$(last_line "$ir_n.err")" = INTERRUPTED ] && ok "$ir_n: INTERRUPTED" ||
		fail "$ir_n: last line: $(last_line "$ir_n.err")"
}

# event_sha DB ID: the SHA-256 of event ID's canonical content, made with
# sqlite3 and sha256sum alone from its definition in casedb.h (forage(1)).
fg_canon_sql="SELECT 'forage-event-1' || char(10)
 || 'id:' || length(CAST(id AS TEXT)) || ':' || id || char(10)
 || 'utc:' || length(CAST(utc AS BLOB)) || ':' || utc || char(10)
 || 'kind:' || length(CAST(kind AS BLOB)) || ':' || kind || char(10)
 || 'examiner:' || length(CAST(examiner AS BLOB)) || ':' || examiner || char(10)
 || 'case_id:' || CASE WHEN case_id IS NULL THEN '-' ELSE length(CAST(case_id AS BLOB)) || ':' || case_id END || char(10)
 || 'evidence_id:' || CASE WHEN evidence_id IS NULL THEN '-' ELSE length(CAST(evidence_id AS BLOB)) || ':' || evidence_id END || char(10)
 || 'subject_id:' || CASE WHEN subject_id IS NULL THEN '-' ELSE length(CAST(subject_id AS TEXT)) || ':' || subject_id END || char(10)
 || 'details:' || length(CAST(details AS BLOB)) || ':' || details || char(10)
 || 'prev_sha256:' || length(CAST(prev_sha256 AS BLOB)) || ':' || prev_sha256 || char(10)
 FROM events WHERE id = "
event_sha() {
	sql "$1" "$fg_canon_sql $2" | head -c -1 | sha256sum | cut -d' ' -f1
}
