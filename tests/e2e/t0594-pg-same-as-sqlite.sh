#!/bin/sh
# The same commands on SQLite and on PostgreSQL give the same answers
# (issue 23): one scenario run against a SQLite file and against a
# temporary PostgreSQL 15 database, its outputs compared once what must
# differ is masked (times, the database's name, digests that cover them).
# The scenario reaches the queries whose SQL differs between the engines:
# items added out of their ids' order (their order in a case export), an
# amendment of an item (IS NOT DISTINCT FROM), unfiled acquisitions and
# filters by NULL (parameters PostgreSQL cannot type alone), hash windows
# and differences ("offset"), the write-block state (json_extract), the
# ids after an import refused halfway (a PostgreSQL sequence would have
# skipped them), and the audit naming the first of two rows added outside
# forage.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/pg.sh"
heavy sanitizers
need_cmd jq sqlite3
pg_start || { done_testing; exit 1; }
export FORAGE_EXAMINER=tester

make_data disk.bin 300000
mkdir field
"$FORAGE" acquire disk.bin -o field/L1 --format raw --case F9 --evidence L1 \
	--case-db field/f.db --progress none >/dev/null 2>&1 &&
	"$FORAGE" case export --case-db field/f.db --case F9 -o f9.jsonl >/dev/null 2>&1 ||
	fail "the field case to import"
# The same export with one media hash changed: its rows are added, then
# the check of its events refuses it, and all is rolled back.
sed 's/"algorithm":"sha256","hex":"[0-9a-f]*"/"algorithm":"sha256","hex":"'"$(printf '%064d' 0)"'"/' \
	f9.jsonl >bad.jsonl
cmp -s f9.jsonl bad.jsonl && fail "bad.jsonl: no media hash changed"

# scenario DIR DB: the commands, in DIR, each one's output and exit in
# DIR/NN.txt.
scenario() {
	mkdir "$1" && cd "$1" || return 1
	n=10
	run() {
		"$FORAGE" "$@" >"$n.txt" 2>&1
		echo "exit $?" >>"$n.txt"
		n=$((n + 1))
	}
	run case init --case-db "$2" --case C1 --description "first"
	run case custody add --case-db "$2" --case C1 --evidence E2 --action received --new
	run case custody add --case-db "$2" --case C1 --evidence E1 --action received --new
	run case edit --case-db "$2" --case C1 --evidence E1 --description "item one" --reason r
	run acquire ../disk.bin -o E1 --format raw --case C1 --evidence E1 --hash-window 64K \
		--case-db "$2" --progress none
	run acquire ../disk.bin -o U1 --format raw --evidence U1 --case-db "$2" --progress none
	run case import ../bad.jsonl --case-db "$2"
	run acquire ../disk.bin -o E2 --format raw --case C1 --evidence E2 --case-db "$2" --progress none
	flip_byte E1.raw 100000
	run verify --case C1 --case-db "$2"
	run case show --case-db "$2" --case C1 --evidence E1
	run case show --case-db "$2" --evidence U1
	run case show --case-db "$2" --case C1 --evidence E2 --json
	run case export --case-db "$2" --case C1 -o c1.jsonl
	cat c1.jsonl >>"$((n - 1)).txt"
	cd .. || return 1
}
scenario s s.db
scenario p "$FG_PG_URL"

# Rows added outside forage, in the same order on both: the audit names
# the lower id.
sql s/s.db "INSERT INTO custody(id, case_id, evidence_id, utc, examiner, action)
	VALUES (12, 'C1', 'E1', 'x', 'x', 'stored'), (11, 'C1', 'E2', 'x', 'x', 'stored')"
$FG_PG_PSQL -c "INSERT INTO custody(id, case_id, evidence_id, utc, examiner, action)
	VALUES (12, 'C1', 'E1', 'x', 'x', 'stored'), (11, 'C1', 'E2', 'x', 'x', 'stored')"
for d in s p; do
	(cd $d && "$FORAGE" case audit --case-db "$([ $d = s ] && echo s.db || echo "$FG_PG_URL")" \
		>90.txt 2>&1; echo "exit $?" >>90.txt)
done

# What must differ: times, the database's name and folder (and the
# digests of events, records and details that hold them), the anchors
# found beside a database file (PostgreSQL's has no folder), process ids,
# inodes and durations.
mask() {
	sed -E -e "s#'?$(printf '%s' "$FG_PG_URL" | sed 's/[.?&]/\\&/g')'?#<DB>#g" \
		-e "s#$T/[sp]#<DIR>#g; s#s\\.db|pg&port=[0-9]+&user=postgres#<DB>#g" \
		-e 's#<DIR>/<DB>#<DB>#g' \
		-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/<UTC>/g' \
		-e 's/[0-9a-f]{64}/<SHA256>/g; s/[0-9a-f]{12}\.\.\./<SHA>.../g' \
		-e 's/(pid|proc_start|inode|duration_seconds)(\\?")?: ?[0-9]+/\1: N/g' \
		-e 's/(Duration \(seconds\): +)[0-9]+/\1N/' \
		-e 's/"set_identifier": "[^"]*"/"set_identifier": ""/g' \
		-e '/^anchor|beside it|^anchored|^no anchors/d' "$1"
}
same=0 total=0
for f in s/[0-9][0-9].txt; do
	p=p/${f#s/}
	total=$((total + 1))
	mask "$f" >a.txt
	mask "$p" >b.txt
	if cmp -s a.txt b.txt; then
		same=$((same + 1))
	else
		fail "$f: SQLite and PostgreSQL differ"
		diff a.txt b.txt | head -n 20 | sed 's/^/  | /' >&2
	fi
done
[ "$same" = "$total" ] && [ "$total" = 14 ] && ok "all $total outputs the same on both" ||
	fail "$same of $total outputs the same"

# And what they hold is what the scenario meant.
expect_in s/90.txt "custody row 11 has no custody event" "the audit: row 11 named"
[ "$(grep -c '"table":"evidence"' s/22.txt)" = 2 ] &&
	[ "$(grep '"table":"evidence"' s/22.txt | jq -r .row.evidence_id | tr '\n' ' ')" = "E2 E1 " ] &&
	ok "export: the items in the order they were added" || fail "export: evidence order"
expect_in p/17.txt "acquisition 3" "the acquisition after the refused import is 3 on PostgreSQL"
expect_in p/16.txt "nothing imported" "the changed export refused"
expect_in p/19.txt "write block +not a block device" "show: the write-block state"
done_testing
