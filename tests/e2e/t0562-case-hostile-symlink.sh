#!/bin/sh
# A case.db found by default beside the outputs (or the evidence) is never
# a symbolic link (issue 19, item 5, the case database part): a dangling
# link once made acquire create the database, and its -wal and -shm,
# wherever the link pointed.  Refused with exit 2 naming the link, nothing
# created where it points, no evidence written; a link at case.db-wal is
# refused the same way.  Named explicitly with --case-db, a link is
# followed as before.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3 sha256sum

make_data src.bin 100000
mkdir elsewhere out
ln -s ../elsewhere/planted.db out/case.db
expect_exit 2 "dangling case.db link beside the output: refused" -- timeout 60 "$FORAGE" \
	acquire src.bin -o out/HD1 --format raw --case C --evidence E --progress none
expect_in err.txt "case database out/case.db: out/case.db is a symbolic link; found beside the files, not named with --case-db, it is not followed" \
	"the link named"
nothing_left elsewhere "nothing created where the link points"
[ -z "$(ls out | grep -v '^case.db$')" ] && ok "no evidence written beside the link" ||
	fail "left in out: $(ls out | tr '\n' ' ')"

# Without --case, the default database is still not reached through it.
expect_exit 2 "dangling link, no case options: refused" -- timeout 60 "$FORAGE" \
	acquire src.bin -o out/HD2 --format raw --progress none
nothing_left elsewhere "still nothing where the link points"

# A link to an existing forage database is refused too, the database unchanged.
"$FORAGE" case init --case C --case-db elsewhere/real.db >/dev/null 2>&1 || fail "init real.db"
rm -f elsewhere/real.db-wal elsewhere/real.db-shm
before=$(sha256sum <elsewhere/real.db)
mkdir out2
ln -s ../elsewhere/real.db out2/case.db
expect_exit 2 "case.db link to a real database: refused" -- timeout 60 "$FORAGE" \
	acquire src.bin -o out2/HD1 --format raw --case C --evidence E --progress none
expect_in err.txt "out2/case.db is a symbolic link" "the link named"
[ "$(sha256sum <elsewhere/real.db)" = "$before" ] && ok "real.db untouched" || fail "real.db changed"

# A link planted at the log of a real case.db.
mkdir out3
"$FORAGE" acquire src.bin -o out3/HD1 --format raw --case C --evidence E --progress none \
	>/dev/null 2>&1 || fail "acquisition into out3"
rm -f out3/case.db-wal out3/case.db-shm
ln -s ../elsewhere/wal out3/case.db-wal
expect_exit 2 "case.db-wal a link: refused" -- timeout 60 "$FORAGE" \
	acquire src.bin -o out3/HD2 --format raw --case C --evidence E2 --progress none
expect_in err.txt "case database out3/case.db: out3/case.db-wal is a symbolic link" "the -wal link named"
[ ! -e elsewhere/wal ] && ok "nothing created at the -wal link's target" || fail "elsewhere/wal created"
[ ! -e out3/HD2.raw ] && ok "no evidence written" || fail "out3/HD2.raw written"

# Found by default beside the evidence by verify: not followed, not recorded.
ln -s ../elsewhere/real.db out3/case.db.tmp && rm out3/case.db-wal &&
	mv out3/case.db out3/real-case.db && mv out3/case.db.tmp out3/case.db
expect_exit 0 "verify beside a case.db link: the verification stands" -- timeout 60 "$FORAGE" \
	verify out3/HD1.raw
expect_in err.txt "out3/case.db is a symbolic link" "verify says why it was not recorded"
[ "$(sha256sum <elsewhere/real.db)" = "$before" ] && ok "verify: real.db untouched" ||
	fail "verify: real.db changed"

# Named with --case-db, a link is followed.
mkdir out4
expect_exit 0 "--case-db naming a dangling link: created where it points" -- timeout 60 "$FORAGE" \
	acquire src.bin -o out4/HD1 --format raw --case C --evidence E --case-db out/case.db \
	--progress none
[ "$(sql elsewhere/planted.db "SELECT count(*) FROM acquisitions")" = 1 ] &&
	ok "the acquisition is in the database the link names" || fail "planted.db has no acquisition"
done_testing
