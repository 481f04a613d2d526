#!/bin/sh
# SIGTERM and SIGINT end an acquisition with exit 4 and INTERRUPTED,
# however early they come (issue 19, "Always on"), and leave nothing that
# passes for finished evidence: the source is a sparse file of 40 GiB, so
# the run is still going when the signal comes, as soon as its handler is
# in place or after its first progress line.  Each must end within 20 s of
# the signal (the `interrupt` helper); no tighter duration is asserted.
# (verify: t0437-bounded-signals; the case database's verbs end on the
# stop flag at their next query: test_casedb's test_stop.)
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd truncate
need_e01_writer

truncate -s 40G src.img

# left_unfinished NAME EXT: NAME/HD1 was interrupted: its image is still
# .incomplete, its record says so, no checksum file claims it.
left_unfinished() {
	[ -e "$1/HD1.$2.incomplete" ] && [ ! -e "$1/HD1.$2" ] &&
		ok "$1: only the .incomplete image is left" ||
		fail "$1: files $(ls "$1" | tr '\n' ' ')"
	[ "$(json_get "$1/HD1.json" .result.status)" = interrupted ] &&
		ok "$1: the record says interrupted" ||
		fail "$1: record status $(json_get "$1/HD1.json" .result.status)"
	[ ! -e "$1/HD1.md5" ] && [ ! -e "$1/HD1.sha256" ] &&
		ok "$1: no checksum file for unfinished evidence" ||
		fail "$1: a checksum file was written"
}

for name in e01-early e01 raw-int; do mkdir "$name"; done
interrupt e01-early TERM handler "$FORAGE" acquire src.img -o e01-early/HD1 \
	--format e01 --progress json --case-db e01-early.db
left_unfinished e01-early E01
interrupt e01 TERM progress "$FORAGE" acquire src.img -o e01/HD1 \
	--format e01 --progress json --case-db e01.db
left_unfinished e01 E01
[ "$(sql e01.db "SELECT status FROM acquisitions")" = interrupted ] &&
	ok "e01: the case database says interrupted" ||
	fail "e01: database status $(sql e01.db 'SELECT status FROM acquisitions')"
interrupt raw-int INT progress "$FORAGE" acquire src.img -o raw-int/HD1 \
	--format raw --mapfile raw-int/HD1.map --progress json --case-db raw-int.db
left_unfinished raw-int raw
expect_in raw-int.err "--resume" "raw-int: the way to resume is printed"
done_testing
