#!/bin/sh
# The destination fills up during an E01 write: exit 2 with a message that
# names the file and says the destination is full, the record says failed,
# and nothing that could pass for complete evidence is left (the partial set
# stays in OUTBASE.E01.incomplete/ and does not verify).  The reserve set
# aside before the first read lets the record and the case database say so:
# neither stays "running".  An E01's size is not known in advance, so a
# destination smaller than the source is only warned about.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/e01.sh"
need_root
need_cmd mount umount

mkdir full
mount -t tmpfs -o size=7m forage-test-full full || skip "cannot mount a tmpfs"
at_exit "umount $T/full"
head -c 8388608 /dev/urandom >noise.bin
expect_exit 2 "destination full" -- "$FORAGE" acquire noise.bin -o full/HD1 --progress none
expect_in err.txt "full/HD1.E01.incomplete/HD1.E01: destination full \(ENOSPC while writing the chunk at offset [0-9]+;" "message names the file, the cause and the offset"
expect_in err.txt "warning: full: [0-9]+ bytes free for 8388608 bytes of source: the e01 fits only if the media compresses" "warned before the first read"
last_line err.txt | grep -q "^FAILURE: .*destination full" && ok "FAILURE line" || fail "last line: $(last_line err.txt)"
[ ! -e full/HD1.E01 ] && ok "no HD1.E01" || fail "HD1.E01 exists"
[ -z "$(ls full | grep -E '\.(E[0-9]+|md5|sha256)$')" ] && ok "no segment or checksum file under a final name" ||
	fail "left: $(ls full)"
[ "$(json_get full/HD1.json .result.status)" = failed ] && ok "record says failed" ||
	fail "record: $(json_get full/HD1.json .result.status)"
json_get full/HD1.json .result.message | grep -q "destination full" && ok "record says why" || fail "record message"
[ "$(json_get full/HD1.json .result.exit_code)" = 2 ] || fail "record exit code"
[ "$(json_get full/HD1.json .case_db.recorded)" = true ] && ok "the database row was completed" ||
	fail "case_db.recorded: $(json_get full/HD1.json .case_db.recorded)"
"$FORAGE" case show --case-db full/case.db >show.txt 2>&1 || fail "case show: $(cat show.txt)"
expect_in show.txt "Acquisition 1: failed \(exit 2\)" "the case database says failed"
expect_in show.txt "message +full/HD1.E01.incomplete/HD1.E01: destination full" "the case database says why"
[ -z "$(ls full | grep reserve)" ] && ok "the reserve was given back" || fail "left: $(ls full)"
if [ -f full/HD1.E01.incomplete/HD1.E01 ]; then
	ewfverify -q full/HD1.E01.incomplete/HD1.E01 >v.txt 2>&1 &&
		fail "the partial set verifies" || ok "the partial set does not verify"
fi
done_testing
