#!/bin/sh
# Many hosts appending to one chain (issue 23): 8 acquisitions at once,
# then 8 verifications and 8 more acquisitions at once, against one
# PostgreSQL case database; the chain is one line (ids 1..N, no fork, no
# lost event) and the audit finds it intact.  Then forage run as a login
# user of the append-only role (contrib/postgresql/roles.sql): it acquires
# and verifies, and PostgreSQL itself refuses that user an UPDATE or a
# DELETE of the log.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/pg.sh"
heavy
need_cmd jq
pg_start || { done_testing; exit 1; }
DB=$FG_PG_URL
psql_q() { $FG_PG_PSQL -At -c "$1"; }

expect_exit 0 "case init" -- "$FORAGE" case init --case-db "$DB" --case LAB --examiner "A. Lab"
mkdir ev
i=1
while [ $i -le 16 ]; do
	make_data "d$i.bin" $((200000 + i * 4096))
	i=$((i + 1))
done

# acquire_bg I: acquisition of item I in the background, its exit code
# in rc.I.
acquire_bg() {
	( "$FORAGE" acquire "d$1.bin" -o "ev/HD$1" --format raw --case LAB --evidence "HD$1" \
		--examiner "Examiner $1" --case-db "$DB" --progress none >"acq$1.out" 2>&1
	  echo $? >"rc.$1" ) &
}

i=1
while [ $i -le 8 ]; do acquire_bg $i; i=$((i + 1)); done
wait
all_ok=1
i=1
while [ $i -le 8 ]; do
	[ "$(cat rc.$i)" = 0 ] || { all_ok=0; sed 's/^/  | /' "acq$i.out" >&2; }
	i=$((i + 1))
done
[ $all_ok = 1 ] && ok "8 concurrent acquisitions: all exit 0" || fail "a concurrent acquisition failed"

# Round 2: 8 verifications of the first items and 8 new acquisitions at once.
i=1
while [ $i -le 8 ]; do
	( "$FORAGE" verify "ev/HD$i.json" --case-db "$DB" >"ver$i.out" 2>&1; echo $? >"vrc.$i" ) &
	acquire_bg $((i + 8))
	i=$((i + 1))
done
wait
all_ok=1
i=1
while [ $i -le 8 ]; do
	[ "$(cat vrc.$i)" = 0 ] && [ "$(cat rc.$((i + 8)))" = 0 ] ||
		{ all_ok=0; sed 's/^/  | /' "ver$i.out" "acq$((i + 8)).out" >&2; }
	i=$((i + 1))
done
[ $all_ok = 1 ] && ok "8 verifications and 8 acquisitions at once: all exit 0" ||
	fail "a concurrent run failed"

# 1 case + 16 x (item, acquisition started, completed) + 8 verifications.
nev=$((1 + 16 * 3 + 8))
[ "$(psql_q 'SELECT count(*), min(id), max(id) FROM events')" = "$nev|1|$nev" ] &&
	ok "events 1..$nev: none lost, none doubled" ||
	fail "events: $(psql_q 'SELECT count(*), min(id), max(id) FROM events'), want $nev"
[ "$(psql_q 'SELECT count(DISTINCT prev_sha256) FROM events')" = "$nev" ] &&
	ok "no two events follow the same one (no fork)" || fail "a fork in the chain"
[ "$(psql_q "SELECT count(*) FROM acquisitions WHERE status = 'success'")" = 16 ] &&
	ok "16 acquisitions, all success" || fail "acquisitions: $(psql_q 'SELECT status, count(*) FROM acquisitions GROUP BY status')"
[ "$(psql_q "SELECT count(*) FROM verifications WHERE result = 'match'")" = 8 ] &&
	ok "8 verifications, all match" || fail "verifications: $(psql_q 'SELECT result, count(*) FROM verifications GROUP BY result')"
expect_exit 0 "audit after concurrent writers" -- "$FORAGE" case audit --case-db "$DB"
expect_in out.txt "all $nev events intact" "audit: all $nev events intact"

# ---- the append-only role ----------------------------------------------
$FG_PG_PSQL -f "$FG_SRCDIR/contrib/postgresql/roles.sql" >roles.out 2>&1 &&
	ok "roles.sql runs" || { fail "roles.sql"; sed 's/^/  | /' roles.out >&2; }
psql_q "CREATE ROLE examiner1 LOGIN IN ROLE forage_append" >/dev/null &&
	ok "a login user in forage_append" || fail "create examiner1"
DB1=$(printf '%s' "$DB" | sed 's/user=postgres/user=examiner1/')
make_data d17.bin 123457
expect_exit 0 "acquire as the append-only user" -- "$FORAGE" acquire d17.bin -o ev/HD17 --format raw \
	--case LAB --evidence HD17 --examiner "Examiner 1" --case-db "$DB1" --progress none
expect_exit 0 "verify as the append-only user" -- "$FORAGE" verify ev/HD17.json --case-db "$DB1"
psql1() { "$PG_BIN/psql" -X -q -At -d "$DB1" -c "$1"; }
psql1 "UPDATE events SET examiner = 'X' WHERE id = 1" >upd.out 2>&1 &&
	fail "UPDATE of events as examiner1 was allowed" ||
	{ grep -q "permission denied" upd.out && ok "UPDATE of events refused by PostgreSQL: permission denied" ||
		fail "UPDATE refused, but not by permission: $(cat upd.out)"; }
psql1 "DELETE FROM events WHERE id = 1" >del.out 2>&1 &&
	fail "DELETE of events as examiner1 was allowed" ||
	{ grep -q "permission denied" del.out && ok "DELETE of events refused: permission denied" ||
		fail "DELETE refused, but not by permission: $(cat del.out)"; }
psql1 "UPDATE acquisitions SET status = 'failed' WHERE id = 1" >upd2.out 2>&1 &&
	fail "a completed acquisition changed as examiner1" ||
	ok "a completed acquisition cannot be changed: $(head -n 1 upd2.out)"
expect_exit 0 "audit as the append-only user" -- "$FORAGE" case audit --case-db "$DB1"
expect_in out.txt "all $((nev + 4)) events intact" "audit: all $((nev + 4)) events intact"
done_testing
