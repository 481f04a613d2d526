#!/bin/sh
# A case database forage did not make, or made by a future forage, is
# refused untouched whatever its header says (issue 19, item 1): a
# negative user_version (-1, -2, -100000: once an index before forage's
# table of migrations, a crash or a stray pointer run as SQL), and a
# schema version without forage's application_id.  Every verb that opens
# the database for writing (acquire, verify, case init, case custody add)
# and every reader (case show, case audit) refuses it: exit 2, a message
# naming the file and what is wrong, the file's bytes unchanged.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3 sha256sum

make_data src.bin 100000
"$FORAGE" acquire src.bin -o ev --format raw --progress none >/dev/null 2>&1 ||
	fail "plain acquisition"
rm -f case.db case.db-wal case.db-shm

# hostile NAME DB MESSAGE: every verb refuses DB with MESSAGE, DB unchanged.
hostile() {
	name=$1; dbf=$2; msg=$3
	before=$(sha256sum <"$dbf")
	rm -rf "o-$name"; mkdir "o-$name"
	expect_exit 2 "$name: acquire refused" -- timeout 60 "$FORAGE" acquire src.bin \
		-o "o-$name/HD1" --format raw --case C --evidence E --case-db "$dbf" --progress none
	expect_in err.txt "case database $dbf: $msg" "$name: acquire names file and cause"
	nothing_left "o-$name" "$name: acquire"
	expect_exit 2 "$name: verify --case-db refused" -- timeout 60 "$FORAGE" verify ev.raw \
		--case-db "$dbf"
	expect_in err.txt "case database $dbf: $msg" "$name: verify names file and cause"
	expect_exit 2 "$name: case init refused" -- timeout 60 "$FORAGE" case init --case C2 \
		--case-db "$dbf"
	expect_in err.txt "case database $dbf: $msg" "$name: case init names file and cause"
	expect_exit 2 "$name: custody add refused" -- timeout 60 "$FORAGE" case custody add \
		--case-db "$dbf" --case C --evidence E --action stored
	expect_in err.txt "case database $dbf: $msg" "$name: custody add names file and cause"
	[ ! -e "$dbf-wal" ] && [ ! -e "$dbf-journal" ] && ok "$name: no journal left by the writers" ||
		fail "$name: journal files left: $(ls "$dbf"*)"
	expect_exit 2 "$name: case show refused" -- timeout 60 "$FORAGE" case show --case-db "$dbf"
	expect_in err.txt "case database $dbf: $msg" "$name: case show names file and cause"
	expect_exit 2 "$name: case audit refused" -- timeout 60 "$FORAGE" case audit --case-db "$dbf"
	[ "$(sha256sum <"$dbf")" = "$before" ] && ok "$name: file untouched (sha256)" ||
		fail "$name: file changed"
}

# A real case database, its header then rewritten.
mkdb() {
	"$FORAGE" acquire src.bin -o "mk-$1" --format raw --case C --evidence E \
		--case-db "$1" --progress none >/dev/null 2>&1 || fail "acquire into $1"
	sql "$1" "$2"
	rm -f "$1-wal" "$1-shm"
}

for v in -1 -2 -100000; do
	mkdb "neg$v.db" "PRAGMA user_version = $v"
	hostile "user_version $v" "neg$v.db" \
		"schema version $v is not one forage makes; left as it is"
done

mkdb noappid.db "PRAGMA application_id = 0"
hostile "no application_id" noappid.db \
	"schema version 4 but no forage application_id \(0x00000000\); left as it is"

mkdb otherapp.db "PRAGMA application_id = 1179012424"
hostile "another application_id" otherapp.db \
	"an SQLite database of another program \(application_id 0x46464d48\); left as it is"

# Found by default beside the evidence: the verification stands, is not
# recorded, and says why; the database is left as it was.
cp neg-100000.db case.db
before=$(sha256sum <case.db)
expect_exit 0 "verify with a hostile case.db beside the evidence" -- timeout 60 "$FORAGE" verify ev.raw
expect_in err.txt "case database [^ ]*case.db: schema version -100000 is not one forage makes" \
	"verify says why it was not recorded"
[ "$(sha256sum <case.db)" = "$before" ] && ok "case.db beside: untouched" || fail "case.db beside: changed"
done_testing
