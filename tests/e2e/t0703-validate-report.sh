#!/bin/sh
# The validation report's writer (scripts/validate.sh report, what make
# validate runs after the rig's scenarios) on canned scenario results, no
# guest boot: a requirement passes only when every scenario claiming it
# passed and checked it; a failed check, a failed scenario or one whose
# checks do not bear on it makes it FAIL; a skipped scenario leaves it NOT
# RUN (a failed scenario's row names its failed checks); a failed check that bears on none of the requirements its scenario
# claims counts against each of them; a requirement no scenario claims is "not tested here", with why.
# The HTML says what the JSON says; the observed values are the
# scenarios' own check lines.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd jq
V=$FG_SRCDIR/scripts/validate.sh

# scenario NAME RC CLAIMS LOG: a canned scenario result.
scenario() {
	mkdir -p res/scenarios/$1
	echo "$2" >res/scenarios/$1/rc
	echo 42 >res/scenarios/$1/seconds
	printf '%s\n' "$3" >res/scenarios/$1/claims
	printf '%s\n' "$4" >res/scenarios/$1/log
}
mkdir res
printf 'forage\tforage 9.8.7\ncommit\tabc123\nkernel\t6.1.0-test\nqemu\tQEMU emulator version 7.2.0\nhost\tLinux test\ndate\t2026-01-02T03:04:05Z\n' >res/meta
scenario sata 0 "R2 the image is the disk, bad sectors aside
R3 bad list exactly LBA 0
R9 the image's SHA-256 is the same after" "ok: initramfs built (1 bytes)
ok: sata: image = source with exactly those sectors filled
ok: sata: bad list exact: [[0,1]]
ok: the source images were not changed: sha256 before and after: disk.img 1111"
scenario removal 1 "R8 a pulled USB disk: exit 2, FAILURE, no HD1.raw
R9 the images' SHA-256 is the same after" "ok: usb: exit 2
FAIL: usb: left: HD1.raw HD1.md5
FAIL: usb: record: exit code 0
ok: the source images were not changed: sha256 before and after: usb.img 2222"
scenario skipped 77 "R6 ewfverify on the host succeeds" "SKIP: hardware rig: needs root"
scenario quiet 0 "R10 INQUIRY as QEMU was told" "ok: something else entirely"
scenario nvme 1 "R2 the image is the namespace
R7 the mapfile is exact" "ok: nvme: image = source with exactly those sectors filled
FAIL: nvme: mapfile blocks"
sh "$V" report res out >report.out 2>&1
rc=$?
[ "$rc" -eq 1 ] && ok "a failing requirement: exit 1" || fail "exit $rc: $(cat report.out)"
grep -q "^validate: FAIL; report in out/validation.html and out/validation.json$" report.out &&
	ok "says FAIL and where the report is" || fail "said: $(cat report.out)"
j=out/validation.json
req() { jq -r --arg id "$1" ".requirements[] | select(.id == \$id) | $2" $j; }
reqc() { jq -c --arg id "$1" '.requirements[] | select(.id == $id)' $j; }
[ "$(json_get $j .result)" = FAIL ] && ok "report: FAIL" || fail "report result $(json_get $j .result)"
[ "$(jq -r '[.forage_version, .forage_commit, .guest_kernel, .qemu, .date] | join("|")' $j)" = \
	"forage 9.8.7|abc123|6.1.0-test|QEMU emulator version 7.2.0|2026-01-02T03:04:05Z" ] &&
	ok "report: forage's version and commit, kernel, QEMU, date" || fail "report header $(jq -c 'del(.requirements, .scenarios)' $j)"
[ "$(req R3 .result)" = PASS ] && ok "R3: PASS" || fail "R3 $(req R3 .result)"
[ "$(req R2 .result)" = FAIL ] && [ "$(req R2 '[.tests[] | .scenario + " " + .result] | join(", ")')" = "nvme fail, sata pass" ] &&
	[ "$(req R2 '.tests[0].observed | map(.result + " " + .text) | join("|")')" = "pass nvme: image = source with exactly those sectors filled" ] &&
	[ "$(req R2 .tests[0].why)" = "the scenario failed (exit 1): FAIL: nvme: mapfile blocks" ] &&
	[ "$(req R7 .result)" = FAIL ] && [ "$(req R7 .tests[0].why)" = "a check failed" ] &&
	ok "R2: its checks passed but its scenario failed (a check of R7): FAIL, saying which check" ||
	fail "R2: $(reqc R2); R7: $(reqc R7)"
[ "$(req R3 '.tests[0].observed | map(.text) | join("|")')" = "sata: bad list exact: [[0,1]]" ] &&
	[ "$(req R3 .tests[0].expected)" = "bad list exactly LBA 0" ] &&
	ok "R3: expected from the claim, observed the scenario's matching check" ||
	fail "R3: $(reqc R3)"
[ "$(req R8 .result)" = FAIL ] && [ "$(req R8 .tests[0].why)" = "a check failed" ] &&
	[ "$(req R8 '.tests[0].observed | map(.result + " " + .text) | join("|")')" = "pass usb: exit 2|fail usb: left: HD1.raw HD1.md5|fail usb: record: exit code 0" ] &&
	ok "R8: a failed check makes it FAIL, a failed check bearing on no requirement too" || fail "R8: $(reqc R8)"
[ "$(req R9 .result)" = FAIL ] && [ "$(req R9 '[.tests[] | .scenario + " " + .result] | join(", ")')" = "removal fail, sata pass" ] &&
	[ "$(req R9 '.tests[0].observed | map(.result) | join(" ")')" = "fail fail pass" ] &&
	ok "R9: passed in one scenario; in the other its check passed, an unattributed one failed: FAIL" || fail "R9: $(reqc R9)"
[ "$(req R10 .result)" = FAIL ] && [ "$(req R10 .tests[0].why)" = "no check of the scenario bears on it" ] &&
	ok "R10: a scenario whose checks do not bear on it: FAIL" || fail "R10: $(reqc R10)"
[ "$(req R6 .result)" = "NOT RUN" ] && [ "$(req R6 .tests[0].why)" = "skipped: hardware rig: needs root" ] &&
	ok "R6: its only scenario skipped: NOT RUN, and why" || fail "R6: $(reqc R6)"
[ "$(req R5 .result)" = "not tested here" ] && req R5 .not_tested_why | grep -q "SET MAX ADDRESS" &&
	req R5 .not_tested_why | grep -q "tests/unit/test_identity.c" &&
	ok "R5 (HPA/DCO): not tested here, why, and the unit test that covers it" || fail "R5: $(reqc R5)"
[ "$(req R1 .result)" = "not tested here" ] && [ "$(req R1 .not_tested_why)" = "no scenario of the rig claims it" ] &&
	ok "R1: claimed by no scenario: not tested here" || fail "R1: $(reqc R1)"
[ "$(jq -r '.scenarios | map(.name + ":" + .status) | join(" ")' $j)" = "nvme:fail quiet:pass removal:fail sata:pass skipped:skipped" ] &&
	ok "scenarios and their status" || fail "scenarios $(jq -c .scenarios $j)"

# The HTML says the same.
h=out/validation.html
expect_in $h '<tr><th>Result</th><td><span class="alert">FAIL</span></td></tr>' "html: the result"
expect_in $h '<td>abc123</td>|<code>abc123</code>' "html: the commit"
expect_in $h '<tr><td><a href="#R5">R5</a></td><td>Notice hidden areas.*<span class="unknown">not tested here</span></td><td><span class="unknown">not tested here</span></td></tr>' "html: R5 not tested here in the summary"
expect_in $h '<p class="note">Not tested here: QEMU.{1,6}s emulated ATA drives .*tests/unit/test_identity.c' "html: R5 says why"
expect_in $h '<li><span class="alert">FAIL</span> usb: left: HD1.raw HD1.md5</li>' "html: the failed check"
expect_in $h '<tr><td><a href="#R8">R8</a></td><td>Behave safely.*</td><td class="sc">removal</td><td><span class="alert">FAIL</span></td></tr>' "html: R8 FAIL in the summary"
expect_in $h '<tr><td><a href="#R3">R3</a></td><td>.*</td><td class="sc">sata</td><td><span class="ok">PASS</span></td></tr>' "html: R3 PASS in the summary"
expect_in $h '<p class="note">the scenario failed \(exit 1\): FAIL: nvme: mapfile blocks</p>' "html: why R2 failed"
expect_in $h '<li>sata: bad list exact: \[\[0,1\]\]</li>' "html: the observed value"
expect_in $h 'End of report.</p>' "html: ends"

# Markup in a check line stays text.
scenario removal 0 "R8 <b>safe</b>" "ok: usb: exit 2 <script>x</script>"
sh "$V" report res out2 >report2.out 2>&1
grep -q '<script>' out2/validation.html && fail "html: markup from a scenario got through" ||
	ok "html: markup from a scenario is escaped"
expect_in out2/validation.html '&lt;script&gt;x&lt;/script&gt;' "html: shown as text"

# Every requirement tested passes: PASS, exit 0.
rm -rf res/scenarios/quiet res/scenarios/skipped res/scenarios/nvme
scenario removal 0 "R9 same" "ok: the source images were not changed: sha256 before and after: usb.img 2222"
sh "$V" report res out3 >report3.out 2>&1 && [ "$(json_get out3/validation.json .result)" = PASS ] &&
	ok "all passed: PASS, exit 0" || fail "all passed: $(cat report3.out)"
done_testing
