#!/bin/sh
# Issue 21: an acquisition without --case or --examiner is warned about;
# with --progress json every line on stderr is a JSON object (progress,
# warnings, errors, the closing lines), none plain text.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq

make_data src.bin 1048576

# all_json FILE DESCRIPTION: each line of FILE parses as one JSON object.
all_json() {
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s\n' "$line" | jq -e 'type == "object"' >/dev/null 2>&1 ||
			{ fail "$2: line $n is not a JSON object: $line"; return; }
	done <"$1"
	[ "$n" -gt 0 ] && ok "$2: all $n lines are JSON objects" || fail "$2: no lines"
}

unset FORAGE_EXAMINER
mkdir -p a
expect_exit 0 "no case, no examiner" -- "$FORAGE" acquire src.bin -o a/HD1 --format raw --progress none
expect_in err.txt "^forage acquire: warning: no --case given: the acquisition is filed under no case \(give --case ID\)$" \
	"warned about the missing case"
expect_in err.txt "^forage acquire: warning: no --examiner given and FORAGE_EXAMINER is not set: the record names no examiner$" \
	"warned about the missing examiner"
[ "$(json_get a/HD1.json .case.examiner)" = null ] || fail "examiner recorded"

FORAGE_EXAMINER="J. Doe" expect_exit 0 "case and examiner (environment)" -- \
	"$FORAGE" acquire src.bin -o a/HD2 --format raw --progress none --case 2026-041
grep -q "warning" err.txt && fail "warned although case and examiner were given: $(cat err.txt)" ||
	ok "no warning with --case and FORAGE_EXAMINER"

# --progress json: success, with warnings and --verify.
expect_exit 0 "json success" -- "$FORAGE" acquire src.bin -o a/HD3 --format raw --verify --progress json
all_json err.txt "success"
[ "$(jq -r 'select(.event == "warning") | .text' err.txt | wc -l)" = 2 ] && ok "two warning events" ||
	fail "warnings: $(cat err.txt)"
[ "$(jq -r 'select(.event == "end") | .text' err.txt)" = SUCCESS ] && ok "end event SUCCESS" || fail "no end event"
[ "$(tail -n 1 err.txt | jq -r .event)" = end ] && ok "the end event is last" || fail "last: $(tail -n 1 err.txt)"
[ "$(jq -r 'select(.event == "md5") | .text' err.txt)" = "md5:    $(md5sum <src.bin | cut -d' ' -f1)" ] &&
	ok "md5 event" || fail "md5 event"
[ "$(jq -r 'select(.event == "verify") | .text' err.txt)" = "verify: the evidence read back matches" ] &&
	ok "verify event" || fail "verify event"
[ "$(jq -s 'map(select(.phase == "copying" and .done == 1048576 and .finished == true)) | length' err.txt)" = 1 ] && ok "progress objects kept" ||
	fail "no finished progress object"

# A failure, a bad usage and verify's usage: JSON too.
expect_exit 2 "json failure" -- "$FORAGE" acquire src.bin -o a/HD3 --format raw --progress json
all_json err.txt "failure"
jq -r 'select(.event == "error") | .text' err.txt | grep -q "^forage acquire: a/HD3.json: exists already" &&
	ok "error event" || fail "error event: $(cat err.txt)"
expect_exit 2 "json bad usage" -- "$FORAGE" acquire --progress json --no-such-option
all_json err.txt "bad usage"
expect_exit 2 "json verify usage" -- "$FORAGE" verify --progress json
all_json err.txt "verify usage"

# Text from the command line that is not JSON-safe stays valid JSON.
expect_exit 2 "json hostile name" -- "$FORAGE" acquire "$(printf 'no"such\\\tfile\033')" \
	-o a/HD4 --progress json --case x --examiner y
all_json err.txt "quotes, backslashes and control bytes"
done_testing
