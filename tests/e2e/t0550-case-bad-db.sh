#!/bin/sh
# A case database forage must not use stops an acquisition before any
# evidence is written (exit 2, a message naming the file and the cause),
# and is left exactly as it was: a file that is not SQLite, a corrupt
# database, another program's database, a database of a newer schema, a
# read-only database (mode 0444, and an immutable file even root cannot
# write).  `forage case` verbs refuse them the same way.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3 sha256sum

make_data src.bin 100000

# casedb_refused NAME DB MESSAGE [readable]: acquisition refused, file
# untouched, no evidence; case show refused too unless the database is only
# read-only.
casedb_refused() {
	name=$1; dbf=$2; msg=$3; readable=${4:-}
	before=$(sha256sum <"$dbf")
	rm -rf "o-$name"; mkdir "o-$name"
	expect_exit 2 "$name: acquire refused" -- "$FORAGE" acquire src.bin -o "o-$name/HD1" \
		--format raw --case C --evidence E --case-db "$dbf" --progress none
	expect_in err.txt "case database $dbf: $msg" "$name: cause named"
	expect_in err.txt "^FAILURE: case database $dbf" "$name: FAILURE line"
	[ -z "$(ls -A "o-$name")" ] && ok "$name: no evidence written" ||
		fail "$name: left $(ls -A "o-$name" | tr '\n' ' ')"
	[ "$(sha256sum <"$dbf")" = "$before" ] && ok "$name: file untouched (sha256)" ||
		fail "$name: file changed"
	[ ! -e "$dbf-wal" ] && [ ! -e "$dbf-journal" ] && ok "$name: no journal left beside it" ||
		fail "$name: journal files left: $(ls "$dbf"*)"
	if [ -n "$readable" ]; then
		expect_exit 0 "$name: case show still reads it" -- "$FORAGE" case show --case-db "$dbf"
	else
		expect_exit 2 "$name: case show refused" -- "$FORAGE" case show --case-db "$dbf"
	fi
	expect_exit 2 "$name: case custody add refused" -- "$FORAGE" case custody add --case-db "$dbf" \
		--case C --evidence E --action stored
	[ "$(sha256sum <"$dbf")" = "$before" ] && ok "$name: still untouched after case verbs" ||
		fail "$name: changed by case verbs"
}

printf 'Minutes of the meeting of 3 March.\nNothing here is a database.\n' >notes.db
casedb_refused "not SQLite" notes.db "not an SQLite database \(63 bytes, it begins 4d 69 6e"

head -c 8192 /dev/urandom >random.db
casedb_refused "random bytes" random.db "not an SQLite database"

# A real case database with one page overwritten.
"$FORAGE" case init --case C --case-db corrupt.db >/dev/null 2>&1 || fail "init corrupt.db"
[ "$(sql corrupt.db 'PRAGMA page_count')" -ge 3 ] || fail "corrupt.db has fewer pages than expected"
head -c 1000 /dev/urandom | dd of=corrupt.db bs=1 seek=8200 conv=notrunc 2>/dev/null
casedb_refused "corrupt" corrupt.db "damaged"

sql other.db "CREATE TABLE invoices(id INTEGER PRIMARY KEY, amount REAL); INSERT INTO invoices VALUES (1, 9.5)"
casedb_refused "another program's database" other.db "an SQLite database with 1 table\(s\) but no forage schema"

"$FORAGE" case init --case C --case-db newer.db >/dev/null 2>&1 || fail "init newer.db"
sql newer.db "PRAGMA user_version = 7"
casedb_refused "newer schema" newer.db "schema version 7 was made by a newer forage \(this one knows up to 4\)"

"$FORAGE" case init --case C --case-db ro.db >/dev/null 2>&1 || fail "init ro.db"
chmod 444 ro.db
casedb_refused "read-only (mode 0444)" ro.db "read-only \(mode 0444\)" readable
expect_exit 0 "read-only database: audit still reads it" -- "$FORAGE" case audit --case-db ro.db

# Immutable: even root cannot write it (where the file system supports it).
"$FORAGE" case init --case C --case-db immutable.db >/dev/null 2>&1 || fail "init immutable.db"
if [ "$(id -u)" -eq 0 ] && command -v chattr >/dev/null && chattr +i immutable.db 2>/dev/null; then
	at_exit "chattr -i '$T/immutable.db'"
	casedb_refused "immutable" immutable.db "cannot open for writing: Operation not permitted" readable
else
	echo "note: chattr +i not available here; immutable case not run" >&2
fi

# A folder where the database should be, and a database folder that is missing.
mkdir folder.db
expect_exit 2 "a folder as --case-db" -- "$FORAGE" acquire src.bin -o HDX --format raw --case-db folder.db --progress none
expect_in err.txt "case database folder.db: not a regular file" "folder named"
[ ! -e HDX.raw ] && [ ! -e HDX.json ] && ok "folder: no evidence written" || fail "folder: evidence written"
expect_exit 2 "--case-db in a missing folder" -- "$FORAGE" acquire src.bin -o HDY --format raw \
	--case-db nowhere/case.db --progress none
expect_in err.txt "nowhere: output folder: No such file or directory" "missing folder named"
[ ! -e HDY.raw ] && [ ! -e HDY.json ] && ok "missing folder: no evidence written" || fail "missing folder: evidence"
expect_exit 2 "case show: no database" -- "$FORAGE" case show --case-db none.db
expect_in err.txt "case database none.db: does not exist" "missing database named"
[ ! -e none.db ] && ok "case show does not create a database" || fail "case show created none.db"
done_testing
