# report.sh - shared by the report tests (sourced after common.sh): what a
# case database holds, read with sqlite3 itself (not with forage), and a
# check that a report states all of it.

# report_facts DB: write hashes.txt (every digest but the event log's),
# lbas.txt (first LBA of every bad range), custody.txt
# (utc|from|to|location|reason) and events.txt (every event's sha256, and
# the sha256 of the event before it) in the current folder.
report_facts() {
	sql "$1" "SELECT hex FROM media_hashes UNION SELECT md5 FROM outputs
		UNION SELECT sha256 FROM outputs UNION SELECT hex FROM hash_windows
		UNION SELECT expected FROM verification_hashes
		UNION SELECT computed FROM verification_hashes" |
		grep -v '^$' | sort -u >hashes.txt
	sql "$1" "SELECT first_lba FROM bad_ranges" >lbas.txt
	sql "$1" "SELECT utc, from_party, to_party, location, reason FROM custody" >custody.txt
	sql "$1" "SELECT sha256 FROM events UNION SELECT prev_sha256 FROM events" |
		grep -v '^$' | sort -u >events.txt
}

# every_fact FILE FORMAT [flat]: every digest, bad range, custody event and
# event of the database appears in FILE (flat: FILE has no blanks, so the
# custody facts are looked for without theirs).  The event log's digests
# are whole in json, dfxml and case-uco; text, HTML and PDF show their
# first 8 hex digits (the event log as a person reads it).
every_fact() {
	miss=0
	flat=${3:-}
	while read -r h; do
		grep -qF -- "$h" "$1" || { echo "  missing digest $h" >&2; miss=1; }
	done <hashes.txt
	while read -r h; do
		case $2 in json | dfxml | case-uco) ;; *) h=$(printf '%.8s' "$h") ;; esac
		[ "$h" = 00000000 ] && continue # the first event's "previous"
		grep -qF -- "$h" "$1" || { echo "  missing event digest $h" >&2; miss=1; }
	done <events.txt
	while read -r l; do
		grep -qF -- "$l" "$1" || { echo "  missing bad range LBA $l" >&2; miss=1; }
	done <lbas.txt
	while IFS='|' read -r utc from to loc why; do
		for v in "$utc" "$from" "$to" "$loc" "$why"; do
			[ "$flat" = flat ] && v=$(printf '%s' "$v" | tr -d ' ')
			grep -qF -- "$v" "$1" || { echo "  missing custody fact '$v'" >&2; miss=1; }
		done
	done <custody.txt
	if [ $miss -eq 0 ]; then ok "$2: every hash, bad range, custody event and event"
	else fail "$2: facts of the database missing"; fi
}

# add_custody DB: two custody events of case 2026-041, HD1 received and
# HD2 stored, with every field filled in (what the reports must state).
add_custody() {
	expect_exit 0 "custody: received" -- "$FORAGE" case custody add --case-db "$1" \
		--case 2026-041 --evidence HD1 --action received --from "PC Dunn" \
		--to "Jo Smith" --location "Lab intake" --reason "warrant 77/26"
	expect_exit 0 "custody: stored" -- "$FORAGE" case custody add --case-db "$1" \
		--case 2026-041 --evidence HD2 --action stored --from "Jo Smith" \
		--to "Evidence store" --location "Locker 12" --reason "end of day"
}
