#!/bin/sh
# --resume keeps the case (issue 21): an acquisition interrupted with
# --case, --evidence, --examiner, --description and --case-db is resumed
# without them, and the resumed run's record and its row in the interrupted
# run's database carry the first run's values (not "none", not
# $FORAGE_EXAMINER, not a case.db beside the outputs).  A different value
# on the command line is refused, naming the option, the record key, both
# values and the record (exit 2, nothing changed).  The INTERRUPTED output
# ends with the command that resumes the run, shell-quoted; run as printed
# it completes the acquisition.  An E01, or a raw image without a mapfile,
# says instead which files are in the way of starting again.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
need_cmd jq sqlite3 cmp md5sum
faultdev_need

make_data src.img 8388608
# Slow reads (1 MiB blocks, 2 device reads each): a signal after 4 device
# reads comes long before the end.
faultdev_start src.img 512 --delay-ms 100 --log "$T/dev.log" || exit 1
reads_at_least() { [ "$(wc -l <"$T/dev.log")" -ge "$1" ]; }

# interrupt NAME forage-acquire-args...: run, SIGINT after 4 more device
# reads, check exit 4 and INTERRUPTED (stderr in NAME.err).
interrupt() {
	in_name=$1
	shift
	in_from=$(wc -l <"$T/dev.log")
	"$FORAGE" acquire "$@" >"$in_name.out" 2>"$in_name.err" &
	in_pid=$!
	wait_for "$in_name: 4 device reads" reads_at_least $((in_from + 4))
	kill -INT "$in_pid"
	wait "$in_pid"
	in_rc=$?
	[ "$in_rc" -eq 4 ] && ok "$in_name: interrupted, exit 4" ||
		{ fail "$in_name: exit $in_rc, want 4"; sed 's/^/  | /' "$in_name.err" >&2; }
	[ "$(last_line "$in_name.err")" = INTERRUPTED ] && ok "$in_name: INTERRUPTED last" ||
		fail "$in_name: last line '$(last_line "$in_name.err")'"
}

# 1. Interrupted with the case, resumed without it.
mkdir o db
interrupt first "$FAULTDEV" -o o/HD1 --format raw --mapfile o/HD1.map \
	--case 2026-041 --evidence "HD S" --examiner "Jo O'Neil" --description "desk 3 disk" \
	--case-db db/case.db --progress none
[ "$(sql db/case.db "SELECT case_id || '|' || evidence_id || '|' || examiner || '|' || status FROM acquisitions")" = \
	"2026-041|HD S|Jo O'Neil|interrupted" ] && ok "first: database row filed under the case" ||
	fail "first: row $(sql db/case.db 'SELECT * FROM acquisitions')"

# A different value given is refused, and nothing changes.
md5sum o/* db/* >before.md5
refused() { # WHAT MESSAGE-REGEX extra-args...
	rf_what=$1 rf_msg=$2
	shift 2
	"$FORAGE" acquire "$FAULTDEV" -o o/HD1 --format raw --mapfile o/HD1.map --resume \
		--progress none "$@" >out.txt 2>err.txt
	rf_rc=$?
	[ "$rf_rc" -eq 2 ] && ok "resume with $rf_what refused (exit 2)" ||
		{ fail "resume with $rf_what: exit $rf_rc, want 2"; sed 's/^/  | /' err.txt >&2; }
	expect_in err.txt "$rf_msg" "resume with $rf_what: says why"
	md5sum o/* db/* | cmp -s - before.md5 && ok "resume with $rf_what: nothing changed" ||
		fail "resume with $rf_what: files changed: $(md5sum o/* db/* | diff before.md5 -)"
}
refused "another --case" \
	"cannot resume: --case differs: case.case_id is '2026-041' in o/HD1.json, '2026-999' now; leave --case out" \
	--case 2026-999
refused "another --evidence" \
	"cannot resume: --evidence differs: case.evidence_id is 'HD S' in o/HD1.json, 'HD1' now" \
	--evidence HD1
refused "a --notes the first run had not" \
	"cannot resume: --notes differs: case.notes is none in o/HD1.json, 'later' now" \
	--notes later
refused "another --case-db" \
	"cannot resume: --case-db differs: case_db.path is '$(pwd -P)/db/case.db' in o/HD1.json, '$(pwd -P)/o/other.db' now" \
	--case-db o/other.db

expect_exit 0 "resumed without --case, --evidence, --examiner, --description, --case-db" -- \
	env FORAGE_EXAMINER="Somebody Else" "$FORAGE" acquire "$FAULTDEV" -o o/HD1 --format raw \
	--mapfile o/HD1.map --resume --progress none
cmp o/HD1.raw src.img && ok "resumed image = source" || fail "resumed image differs from the source"
[ "$(jq -c '[.case.case_id, .case.evidence_id, .case.examiner, .case.description, .case.notes]' o/HD1.json)" = \
	'["2026-041","HD S","Jo O'"'"'Neil","desk 3 disk",null]' ] &&
	ok "resumed record: the interrupted run's case, evidence, examiner, description" ||
	fail "resumed record: $(jq -c .case o/HD1.json)"
[ "$(json_get o/HD1.json .case_db.path)" = "$(pwd -P)/db/case.db" ] &&
	ok "resumed record: the interrupted run's database" ||
	fail "resumed record: case_db.path $(json_get o/HD1.json .case_db.path)"
[ ! -e o/case.db ] && ok "no case.db made beside the outputs" || fail "o/case.db made"
[ "$(sql db/case.db "SELECT case_id || '|' || evidence_id || '|' || examiner || '|' || status FROM acquisitions WHERE id = 2")" = \
	"2026-041|HD S|Jo O'Neil|success" ] && ok "resumed: database row as the first run's" ||
	fail "resumed: rows $(sql db/case.db 'SELECT id, case_id, evidence_id, examiner, status FROM acquisitions')"
[ "$(sql db/case.db "SELECT count(*) FROM events WHERE examiner <> 'Jo O''Neil'")" = 0 ] &&
	ok "every event by the first run's examiner" ||
	fail "events: $(sql db/case.db 'SELECT kind, examiner FROM events')"
[ "$(sql db/case.db "SELECT count(*) FROM cases")" = 1 ] && ok "one case in the database" ||
	fail "cases: $(sql db/case.db 'SELECT case_id FROM cases')"

# 2. The INTERRUPTED output gives the command that resumes; run as
# printed, it completes the acquisition.
mkdir "p q"
interrupt second "$FAULTDEV" -o "p q/HD1" --format raw --mapfile "p q/HD1.map" \
	--case 2026-041 --evidence "HD S2" --examiner "Jo O'Neil" --case-db db/case.db --progress none
expect_in second.err "^to continue where it stopped, run:$" "second: says how to continue"
cmd=$(sed -n '/^to continue where it stopped, run:$/{n;s/^  //p;}' second.err)
[ "$cmd" = "$FORAGE acquire $FAULTDEV -o 'p q/HD1' --format raw --mapfile 'p q/HD1.map' --case 2026-041 --evidence 'HD S2' --examiner 'Jo O'\\''Neil' --case-db db/case.db --progress none --resume" ] &&
	ok "second: the command as given, shell-quoted, with --resume" || fail "second: command '$cmd'"
sh -c "$cmd" >third.out 2>third.err
rc=$?
[ "$rc" -eq 0 ] && [ "$(last_line third.err)" = SUCCESS ] && ok "the printed command completes it (exit 0)" ||
	{ fail "the printed command: exit $rc"; sed 's/^/  | /' third.err >&2; }
cmp "p q/HD1.raw" src.img && ok "image by the printed command = source" || fail "image differs"
[ "$(sql db/case.db "SELECT evidence_id || '|' || status FROM acquisitions WHERE id = 4")" = "HD S2|success" ] &&
	ok "the printed command's run is filed with the case" || fail "row 4: $(sql db/case.db 'SELECT * FROM acquisitions WHERE id = 4')"

# 3. Runs that cannot be continued say what is in the way of starting again.
mkdir r
interrupt nomap "$FAULTDEV" -o r/HD1 --format raw --progress none
expect_in nomap.err "^this run cannot be continued: it kept no --mapfile of what was read;$" "no mapfile: cannot be continued"
sed -n '/^to start again, move away/,/^INTERRUPTED$/p' nomap.err | sed '1d;$d' >nomap.left
printf '  r/HD1.json\n  r/HD1.raw.incomplete\n  r/HD1.txt\n' | diff -u - nomap.left &&
	ok "no mapfile: names the files in the way" || fail "no mapfile: files named"
mkdir e
interrupt e01 "$FAULTDEV" -o e/HD1 --format e01 --mapfile e/HD1.map --progress none
if grep -q 'not available in this build' e01.err; then
	echo "note: this build writes no E01: its message not checked"
else
	expect_in e01.err "^this run cannot be continued: --format e01 cannot be resumed" "e01: cannot be continued"
	sed -n '/^to start again, move away/,/^INTERRUPTED$/p' e01.err | sed '1d;$d' >e01.left
	printf '  e/HD1.E01.incomplete\n  e/HD1.json\n  e/HD1.map\n  e/HD1.txt\n' | diff -u - e01.left &&
		ok "e01: names the files in the way" || fail "e01: files named"
fi
faultdev_stop
done_testing
