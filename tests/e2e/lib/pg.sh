# pg.sh - a temporary PostgreSQL 15 cluster for one test (sourced after
# common.sh).  pg_start makes it in $T/pg (owned by postgres; initdb and
# pg_ctl run as postgres, tests run as root), listening on a unix socket in
# that folder only (no TCP), and creates the database forage; pg_stop (also
# run at exit) stops it by its postmaster's pid file.  Measured here:
# initdb and start take a few seconds, so a test using it calls heavy.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# pg_start: SKIP without PostgreSQL 15 (or not as root); exports
# FG_PG_URL (a libpq URI of the database forage as user postgres),
# FG_PG_PSQL (psql for it: quiet, no ~/.psqlrc, stops at the first error)
# and FG_PG_DIR (the cluster's folder, its socket there).
pg_start() {
	[ -x "$PG_BIN/initdb" ] || skip "needs PostgreSQL 15 ($PG_BIN/initdb; Debian postgresql)"
	[ -x "$PG_BIN/psql" ] || skip "needs psql ($PG_BIN/psql; Debian postgresql-client-15)"
	need_root
	id postgres >/dev/null 2>&1 || skip "needs the user postgres (Debian postgresql)"
	need_cmd runuser
	FG_PG_DIR=$T/pg
	# postgres must reach its folder through $T (0700, root's).
	chmod o+x "$T"
	mkdir "$FG_PG_DIR" && chown postgres: "$FG_PG_DIR" || {
		fail "cannot make $FG_PG_DIR for the cluster"; return 1; }
	# The socket is in the cluster's own folder, so any port is free
	# there; one of our own anyway, in case a socket folder is shared.
	pg_port=$((20000 + $$ % 20000))
	if ! runuser -u postgres -- "$PG_BIN/initdb" -D "$FG_PG_DIR/data" \
		-A trust -U postgres --locale=C -E UTF8 --no-sync \
		>"$FG_PG_DIR/initdb.log" 2>&1; then
		fail "initdb failed"; sed 's/^/  | /' "$FG_PG_DIR/initdb.log" >&2
		return 1
	fi
	# Stopped at exit whatever happens (a failed check, a signal).
	at_exit pg_stop
	pg_up || return 1
	FG_PG_URL="postgresql:///forage?host=$FG_PG_DIR&port=$pg_port&user=postgres"
	FG_PG_PSQL="$PG_BIN/psql -X -q -v ON_ERROR_STOP=1 -d $FG_PG_URL"
	export FG_PG_URL FG_PG_PSQL FG_PG_DIR
	if ! "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
		-d "postgresql:///postgres?host=$FG_PG_DIR&port=$pg_port&user=postgres" \
		-c "CREATE DATABASE forage" >"$FG_PG_DIR/createdb.log" 2>&1; then
		fail "cannot create the database forage"
		sed 's/^/  | /' "$FG_PG_DIR/createdb.log" >&2
		return 1
	fi
	return 0
}

# pg_up: start the cluster pg_start made (again, after pg_stop).
pg_up() {
	if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$FG_PG_DIR/data" -w \
		-t 60 -l "$FG_PG_DIR/server.log" \
		-o "-c listen_addresses='' -c unix_socket_directories='$FG_PG_DIR' -p $pg_port -c fsync=off" \
		start >"$FG_PG_DIR/pg_ctl.log" 2>&1; then
		fail "the PostgreSQL cluster did not start"
		sed 's/^/  | /' "$FG_PG_DIR/pg_ctl.log" "$FG_PG_DIR/server.log" >&2
		return 1
	fi
}

# pg_stop: stop the cluster (fast shutdown), and if it does not go, its
# postmaster by the pid in its pid file; nothing when it is not running.
pg_stop() {
	[ -f "${FG_PG_DIR:-}/data/postmaster.pid" ] || return 0
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$FG_PG_DIR/data" -m fast \
		-w -t 30 stop >/dev/null 2>&1 && return 0
	ps_pid=$(head -n 1 "$FG_PG_DIR/data/postmaster.pid" 2>/dev/null)
	[ -n "$ps_pid" ] && kill -9 "$ps_pid" 2>/dev/null
	return 0
}
