#!/bin/sh
# One database per case (issue 21): the case database is found in the
# output folder or its parents, as git finds .git.  A case made with
# `forage case init` in its folder, acquired into three output folders under
# it, ends in that one database (no case.db in the output folders); case
# show and report from a subfolder find it and say which one on stderr;
# $FORAGE_CASE_DB and --case-db still name another; with none found, a new
# one is made beside the outputs; case init makes its database where it
# runs, not in a parent's.  A case.db found in a parent that is a symbolic
# link is refused, not followed, unless named with --case-db (issue 19,
# item 5).
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd sqlite3 jq
unset FORAGE_CASE_DB
export FORAGE_EXAMINER="Olga One"
make_data src.bin 65536
top=$(pwd -P)

mkdir case1
(cd case1 && "$FORAGE" case init --case C1 --description "one case") >out.txt 2>err.txt ||
	fail "case init in case1"
[ -f case1/case.db ] && ok "case init: case1/case.db" || fail "no case1/case.db"
mkdir -p case1/day1 case1/day2 case1/day3/sub
i=0
for d in day1 day2 day3/sub; do
	i=$((i + 1))
	expect_exit 0 "acquire into case1/$d" -- "$FORAGE" acquire src.bin -o "case1/$d/HD$i" \
		--format raw --case C1 --evidence "HD$i" --progress none
	expect_in err.txt "^case database: $top/case1/case.db \(acquisition $i\)$" "acquire into $d: names the case's database"
	[ ! -e "case1/$d/case.db" ] && ok "no case.db in case1/$d" || fail "case1/$d/case.db made"
done
[ "$(sql case1/case.db "SELECT count(*) FROM acquisitions WHERE case_id = 'C1'")" = 3 ] &&
	ok "one case, three output folders, one database: 3 acquisitions" ||
	fail "acquisitions in case1/case.db: $(sql case1/case.db "SELECT count(*) FROM acquisitions")"
[ "$(find . -name case.db | wc -l)" = 1 ] && ok "one case.db in all" || fail "case.db files: $(find . -name case.db)"
[ "$(jq -r .case_db.path case1/day2/HD2.json)" = "$top/case1/case.db" ] &&
	ok "the record names the database" || fail "record case_db.path: $(jq -r .case_db.path case1/day2/HD2.json)"

# Reading from a subfolder.
(cd case1/day3/sub && "$FORAGE" case show) >out.txt 2>err.txt || fail "case show from day3/sub"
expect_in err.txt "^forage: case database $top/case1/case.db \(found in a parent folder\)$" "show: says which database"
[ "$(grep -c '^Evidence HD' out.txt)" = 3 ] && ok "show from a subfolder: the three items" || fail "show items"
(cd case1/day1 && "$FORAGE" report --format text -o ../r.txt) >out.txt 2>err.txt || fail "report from day1"
expect_in case1/r.txt "HD3" "report from a subfolder: the case's database"
(cd case1 && "$FORAGE" case show) >out.txt 2>err.txt || fail "show in case1"
! grep -q "case database" err.txt && ok "in the case folder itself: nothing said" || fail "stderr: $(cat err.txt)"

# Named databases still win.
mkdir case1/day4
expect_exit 0 "acquire with FORAGE_CASE_DB" -- env FORAGE_CASE_DB=other.db "$FORAGE" acquire src.bin \
	-o case1/day4/HD4 --format raw --case C1 --evidence HD4 --progress none
[ -f other.db ] && [ "$(sql case1/case.db "SELECT count(*) FROM acquisitions")" = 3 ] &&
	ok "FORAGE_CASE_DB names another database" || fail "FORAGE_CASE_DB"

# No database found: a new one beside the outputs.
mkdir -p loose/out
expect_exit 0 "acquire, no database anywhere" -- "$FORAGE" acquire src.bin -o loose/out/HD9 \
	--format raw --case C9 --evidence HD9 --progress none
[ -f loose/out/case.db ] && ok "none found: case.db beside the outputs" || fail "loose/out/case.db missing"

# case init in a subfolder makes its own.
mkdir case1/other
(cd case1/other && "$FORAGE" case init --case C2) >out.txt 2>err.txt || fail "case init in case1/other"
[ -f case1/other/case.db ] && [ "$(sql case1/case.db "SELECT count(*) FROM cases")" = 1 ] &&
	ok "case init: its own database where it runs" || fail "case init in a subfolder"

# A link found in a parent is refused, not followed; named, it is used.
mkdir -p linked/real linked/out
"$FORAGE" case init --case L --case-db linked/real/real.db >/dev/null 2>&1 || fail "init real.db"
ln -s real/real.db linked/case.db
before=$(sql linked/real/real.db "SELECT count(*) FROM acquisitions")
expect_exit 2 "acquire: a case.db link in a parent folder" -- "$FORAGE" acquire src.bin -o linked/out/HDL \
	--format raw --case L --evidence HDL --progress none
expect_in err.txt "is a symbolic link" "acquire: the link named"
(cd linked/out && "$FORAGE" case show) >out.txt 2>err.txt && fail "show followed a found link" ||
	expect_in err.txt "is a symbolic link" "show: a found link refused"
[ "$(sql linked/real/real.db "SELECT count(*) FROM acquisitions")" = "$before" ] &&
	ok "the database the link points to is unchanged" || fail "real.db changed"
expect_exit 0 "acquire --case-db naming the link" -- "$FORAGE" acquire src.bin -o linked/out/HDL \
	--format raw --case L --evidence HDL --progress none --case-db linked/case.db

# A case.db of another user in a parent folder (a shared /tmp, say) is
# passed over: this user's acquisition never goes into it.
if [ "$(id -u)" -eq 0 ]; then
	mkdir -p shared/mine
	"$FORAGE" case init --case X --case-db shared/case.db >/dev/null 2>&1 || fail "init shared/case.db"
	chown 65534 shared/case.db
	before=$(sql shared/case.db "SELECT count(*) FROM events")
	expect_exit 0 "acquire below another user's case.db" -- "$FORAGE" acquire src.bin \
		-o shared/mine/HDS --format raw --case S --evidence HDS --progress none
	[ -f shared/mine/case.db ] && [ "$(sql shared/case.db "SELECT count(*) FROM events")" = "$before" ] &&
		ok "another user's case.db in a parent is passed over; a new one beside the outputs" ||
		fail "another user's database was used: $(ls shared/mine)"
fi
done_testing
