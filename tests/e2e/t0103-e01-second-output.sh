#!/bin/sh
# --second-output with E01: two copies in the same pass, each with its own
# record and checksum files; both verify, both give back the same media,
# and they are the same set (same set identifier).  The segment files are
# byte-identical unless the two copies' headers were written in different
# seconds: libewf stamps each header with the time it writes it.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/e01.sh"

find /usr/share/doc -type f 2>/dev/null | head -n 300 | xargs cat 2>/dev/null | head -c 3000000 >real.bin
head -c 1500333 /dev/urandom >>real.bin
mkdir a b
expect_exit 0 "two copies" -- "$FORAGE" acquire real.bin -o a/HD1 --second-output b/HD1 \
	--segment-size 1M --hash md5,sha1,sha256 --progress none
e01_check a/HD1 real.bin "first copy"
e01_check b/HD1 real.bin "second copy"
[ "$(ls a | grep -c '\.E[0-9][0-9]$')" = "$(ls b | grep -c '\.E[0-9][0-9]$')" ] &&
	ok "same number of segments" || fail "segment counts differ"
ida=$(json_get a/HD1.json .container.set_identifier)
[ "$ida" = "$(json_get b/HD1.json .second_container.set_identifier)" ] &&
	ewfinfo b/HD1.E01 | grep -q "Set identifier:[[:space:]]*$ida" &&
	ok "same set identifier $ida" || fail "set identifiers differ"
differ=""
for f in a/HD1.E??; do
	g=b/${f#a/}
	if ! cmp -s "$f" "$g"; then
		# Only the header sections at the start of a segment (before its
		# volume or data section) may differ: the date.
		# If the dates compress to a different length, everything after
		# the header moves by that much: then the first difference is in
		# the header and the data sections start at different offsets.
		first=$(cmp "$f" "$g" | awk '{ sub(/,$/, "", $5); print $5 }')
		last=$(cmp -l "$f" "$g" | tail -n 1 | awk '{print $1}')
		vol=$(grep -obaE 'volume|data' "$f" | head -n 1 | cut -d: -f1)
		volg=$(grep -obaE 'volume|data' "$g" | head -n 1 | cut -d: -f1)
		if [ -n "$vol" ] && [ "$last" -lt "$vol" ]; then
			differ="$differ $f"
		elif [ -n "$vol" ] && [ -n "$volg" ] && [ "$vol" != "$volg" ] &&
			[ "$first" -lt "$vol" ]; then
			differ="$differ $f (header of another length: $vol vs $volg bytes, the rest moved; not compared byte for byte)"
		else
			fail "$f and $g differ beyond the header (bytes $first to $last; data at $vol, $volg)"
		fi
	fi
done
[ -z "$differ" ] && ok "segment files byte-identical" || ok "segment files differ only in the header date:$differ"
done_testing
