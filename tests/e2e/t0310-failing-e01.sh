#!/bin/sh
# A real failing drive (FUSE + loop) acquired as E01: the unreadable ranges
# are E01 acquiry errors (ewfinfo -e), the media ewfexport gives back is the
# source with exactly those sectors filled, ewfverify agrees with the stored
# MD5, exit 3, and the case database holds the same bad ranges.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/faultdev.sh"
need_cmd jq md5sum cmp ewfinfo ewfverify ewfexport sqlite3
faultdev_need

for ss in 512 4096; do
	make_data "src-$ss.img" 2097152
	faultdev_start "src-$ss.img" "$ss" --bad "5,300-303,$((2097152 / ss - 1))"
	mkdir "e$ss"
	expect_exit 3 "$ss: E01 of a failing drive" -- "$FORAGE" acquire "$FAULTDEV" \
		-o "e$ss/HD1" --format e01 --retries 1 --progress none --case C --evidence "E$ss"
	[ "$(last_line err.txt)" = "COMPLETED WITH ERRORS" ] && ok "$ss: COMPLETED WITH ERRORS" ||
		fail "$ss: last line $(last_line err.txt)"
	last=$((2097152 / ss - 1))
	want=$(fd_ranges_json 5 300+4 "$last")
	got=$(jq -c '[.bad_ranges[] | [.first_lba, .count]]' "e$ss/HD1.json")
	[ "$got" = "$want" ] && ok "$ss: record lists $want" || fail "$ss: record lists $got, want $want"
	# Acquiry errors as ewfinfo prints them: "at sector(s): FIRST - LAST
	# number: COUNT", in the E01's sectors.
	ewfinfo -e "e$ss/HD1.E01" >ewfinfo.txt 2>&1
	for r in "5 5 1" "300 303 4" "$last $last 1"; do
		set -- $r
		grep -Eq "at sector\(s\): $1 - $2 number: $3" ewfinfo.txt &&
			ok "$ss: ewfinfo -e lists sectors $1-$2" ||
			{ fail "$ss: ewfinfo -e lacks $1-$2"; cat ewfinfo.txt >&2; }
	done
	ewfverify -q "e$ss/HD1.E01" >/dev/null 2>&1 && ok "$ss: ewfverify passes" || fail "$ss: ewfverify"
	fd_expected "src-$ss.img" "want-$ss.img" "$ss" 0 5 300+4 "$last"
	ewfexport -q -u -t "exp-$ss" -f raw "e$ss/HD1.E01" >/dev/null 2>&1
	cmp "want-$ss.img" "exp-$ss.raw" && ok "$ss: ewfexport gives the source with exactly those sectors filled" ||
		fail "$ss: exported media differs from the expected image"
	[ "$(json_get "e$ss/HD1.json" .hashes.md5)" = "$(md5sum <"want-$ss.img" | cut -d' ' -f1)" ] &&
		ok "$ss: MD5 is that of the expected image" || fail "$ss: MD5"
	n=$(sql "e$ss/case.db" "SELECT group_concat(first_lba || '+' || count, ' ') FROM
		(SELECT first_lba, count FROM bad_ranges ORDER BY first_lba)")
	[ "$n" = "5+1 300+4 $last+1" ] && ok "$ss: case database bad ranges" || fail "$ss: case db has '$n'"
	faultdev_stop
done
done_testing
