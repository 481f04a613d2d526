#!/bin/sh
# validate.sh - forage's validation report: every scenario of the
# hardware-in-the-loop rig (tests/hw/README) run against Debian's kernel
# under QEMU, and a report (HTML and JSON) saying, for each requirement of
# tests/hw/requirements, which scenarios test it, what they expected, what
# was observed and whether it passed.  docs/validation.md says how a lab
# runs it and files the output.
#
#   validate.sh [-o DIR] [-j JOBS] [-t SECONDS] [SCENARIO...]
#       run the scenarios (default: every tests/hw/scenarios/*.sh and
#       tests/e2e/t07NN-hw-*.sh), at most JOBS guests at once (default 2),
#       each killed after SECONDS (default 900); their outputs in
#       DIR/results, the report in DIR/validation.html and
#       DIR/validation.json (DIR default: ./validation).  Exit 0 when every
#       requirement tested passed, 1 when one failed or a scenario did not
#       run, 77 when the rig cannot run here.
#   validate.sh report RESULTS DIR
#       only write the report from RESULTS (the layout run leaves):
#         RESULTS/meta                  KEY<TAB>VALUE lines: forage, commit,
#                                       kernel, qemu, host, date
#         RESULTS/scenarios/NAME/log    the scenario's output ("ok: ...",
#                                       "FAIL: ...", "SKIP: ..." lines)
#         RESULTS/scenarios/NAME/rc     its exit status (0, 1, 77, 124...)
#         RESULTS/scenarios/NAME/seconds
#         RESULTS/scenarios/NAME/claims its "# validate: REQ EXPECTED" lines
#
# Environment: FORAGE (the forage binary; make validate sets it),
# FG_SRCDIR (the source tree), and the rig's (RIG_KERNEL, RIG_QEMU...).
set -u
self=$0
FG_SRCDIR=${FG_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
export FG_SRCDIR

die() { echo "validate: $*" >&2; exit 2; }

# The report as JSON from RESULTS: each requirement with the scenarios that
# claim it, their checks whose text matches its regular expression, and a
# result; each scenario with its status.
report_json() {
	res=$1
	reqs=$FG_SRCDIR/tests/hw/requirements
	[ -r "$res/meta" ] || die "$res/meta: missing"
	for d in "$res"/scenarios/*/; do
		[ -d "$d" ] || continue
		n=$(basename "$d")
		for f in log rc claims; do [ -r "$d$f" ] || die "$d$f: missing"; done
		jq -n --arg name "$n" --rawfile log "${d}log" --rawfile claims "${d}claims" \
			--arg rc "$(cat "${d}rc")" \
			--arg secs "$(cat "${d}seconds" 2>/dev/null)" '
			($log | split("\n")) as $lines |
			($rc | tonumber? // -1) as $rc |
			{ name: $name, exit_status: $rc,
			  seconds: ($secs | tonumber? // null),
			  status: (if $rc == 0 then "pass" elif $rc == 77 then "skipped"
				elif $rc == 124 or $rc == 137 then "time limit" else "fail" end),
			  skip_reason: ([$lines[] | select(startswith("SKIP: ")) | .[6:]] | first),
			  claims: [$claims | split("\n")[] | select(length > 0) |
				capture("^(?<id>[A-Za-z0-9]+) +(?<expected>.*)$")],
			  checks: [$lines[] | select(startswith("ok: ") or startswith("FAIL: ")) |
				if startswith("ok: ") then { result: "pass", text: .[4:] }
				else { result: "fail", text: .[6:] } end] }'
	done | jq -s --rawfile reqs "$reqs" --rawfile meta "$res/meta" '
		. as $sc |
		([$meta | split("\n")[] | select(length > 0) | split("\t") |
			{ key: .[0], value: (.[1:] | join("\t")) }] | from_entries) as $m |
		[$reqs | split("\n")[] | select(length > 0 and (startswith("#") | not)) |
			split("\t") | { id: .[0], requirement: .[1], checks_re: .[2],
			not_tested_why: (if .[3] == "-" or .[3] == null then null else .[3] end) }] |
		. as $all |
		map(. as $r |
			[$sc[] | . as $s | ($s.claims[] | select(.id == $r.id)) as $c |
				# A failed check that bears on none of the requirements
				# the scenario claims counts against each of them.
				([$all[] | select(.id as $i | any($s.claims[]; .id == $i)) |
					.checks_re]) as $res |
				([$s.checks[] | select((.text | test($r.checks_re)) or
					(.result == "fail" and
					 (. as $k | any($res[]; . as $re | $k.text | test($re)) | not)))]) as $ch |
				{ scenario: $s.name, expected: $c.expected,
				  observed: $ch,
				  result: (if $s.status == "skipped" then "not run"
					elif $s.status == "time limit" then "fail"
					elif any($ch[]; .result == "fail") then "fail"
					elif $s.status != "pass" then "fail"
					elif ($ch | length) == 0 then "fail"
					else "pass" end),
				  why: (if $s.status == "skipped" then "skipped: \($s.skip_reason // "no reason given")"
					elif $s.status == "time limit" then "the scenario ran out of time"
					elif any($ch[]; .result == "fail") then "a check failed"
					elif $s.status != "pass" then "the scenario failed (exit \($s.exit_status)): " +
						([$s.checks[] | select(.result == "fail") | .text] as $f |
						if ($f | length) > 0 then "FAIL: " + ($f | join("; FAIL: "))
						else "no check failed: the guest or the scenario itself (see its log)" end)
					elif ($ch | length) == 0 then "no check of the scenario bears on it"
					else null end) }] as $rows |
			$r + { tests: $rows,
			  result: (if ($rows | length) == 0 then "not tested here"
				elif any($rows[]; .result == "fail") then "FAIL"
				elif all($rows[]; .result == "pass") then "PASS"
				else "NOT RUN" end),
			  not_tested_why: (if ($rows | length) == 0 then
				($r.not_tested_why // "no scenario of the rig claims it") else null end) } |
			del(.checks_re)) as $rq |
		{ report: "forage validation report",
		  forage_version: $m.forage, forage_commit: $m.commit,
		  guest_kernel: $m.kernel, qemu: $m.qemu, host: $m.host, date: $m.date,
		  result: (if any($rq[]; .result == "FAIL") then "FAIL"
			elif any($rq[]; .result == "NOT RUN") then "INCOMPLETE"
			elif any($rq[]; .result == "PASS") then "PASS" else "NOT RUN" end),
		  requirements: $rq,
		  scenarios: [$sc[] | { name, status, exit_status, seconds, skip_reason,
			checks_passed: ([.checks[] | select(.result == "pass")] | length),
			checks_failed: ([.checks[] | select(.result == "fail")] | length),
			requirements: [.claims[].id] }] }'
}

# The HTML report from the JSON one, in the court report's layout.
report_html() {
	jq -r '
		def e: if . == null then "unknown" else tostring | @html end;
		def res: if . == "PASS" or . == "pass" then "<span class=\"ok\">\(e)</span>"
			elif . == "FAIL" or . == "fail" then "<span class=\"alert\">\(e)</span>"
			else "<span class=\"unknown\">\(e)</span>" end;
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">",
		"<title>forage validation report</title>\n<style>",
		"body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;font-size:11pt;line-height:1.35;margin:2em auto;max-width:62em;padding:0 1em;color:#000;background:#fff}",
		"h1{font-size:19pt;border-bottom:2px solid #222;padding-bottom:.2em}",
		"h2{font-size:15pt;border-bottom:1px solid #555;margin-top:1.6em}",
		"h3{font-size:13pt;margin-top:1.3em}",
		"table{border-collapse:collapse;width:100%;margin:.3em 0 1em}",
		"th,td{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}",
		"th{background:#e8e8e8}",
		"td.sc{white-space:nowrap}",
		"table.kv th{width:11em;background:#f3f3f3;font-weight:normal}",
		"code,ul.obs{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\",monospace;font-size:9pt;overflow-wrap:anywhere}",
		"ul.obs{margin:0;padding-left:1.2em}",
		".unknown{color:#666;font-style:italic}",
		".alert{color:#a00;font-weight:bold}",
		".ok{color:#060;font-weight:bold}",
		"p.note{margin:.3em 0 .8em}",
		"@page{size:A4;margin:20mm 15mm 20mm 15mm;@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);font-size:8.5pt}}",
		"@media print{body{margin:0;max-width:none;padding:0;font-size:9.5pt;line-height:1.25}}",
		"</style>\n</head>\n<body>\n<h1>forage validation report</h1>",
		"<table class=\"kv\">",
		"<tr><th>Result</th><td>\(.result | res)</td></tr>",
		"<tr><th>forage</th><td>\(.forage_version | e)</td></tr>",
		"<tr><th>Commit</th><td><code>\(.forage_commit | e)</code></td></tr>",
		"<tr><th>Guest kernel</th><td>\(.guest_kernel | e)</td></tr>",
		"<tr><th>QEMU</th><td>\(.qemu | e)</td></tr>",
		"<tr><th>Host</th><td>\(.host | e)</td></tr>",
		"<tr><th>Date</th><td>\(.date | e)</td></tr>",
		"</table>",
		"<p class=\"note\">Each requirement below is what forage must do when it images a drive, in its own words, modelled on the disk-imaging requirements of NIST CFTT.  Each scenario boots Debian&#39;s kernel under QEMU with emulated drives; forage runs in the guest, and every observed value is checked on the host (cmp, md5sum, sha256sum, ewfverify, sqlite3) against what QEMU was told and the disk images themselves.</p>",
		"<h2>Summary</h2>\n<table>\n<tr><th>ID</th><th>Requirement</th><th>Scenarios</th><th>Result</th></tr>",
		(.requirements[] | "<tr><td><a href=\"#\(.id | e)\">\(.id | e)</a></td><td>\(.requirement | e)</td><td class=\"sc\">\(if (.tests | length) == 0 then "<span class=\"unknown\">not tested here</span>" else ([.tests[].scenario | e] | join("<br>")) end)</td><td>\(.result | res)</td></tr>"),
		"</table>",
		"<h2>Requirements</h2>",
		(.requirements[] |
			"<h3 id=\"\(.id | e)\">\(.id | e): \(.requirement | e)</h3>",
			"<p class=\"note\">Result: \(.result | res)</p>",
			(if (.tests | length) == 0 then
				"<p class=\"note\">Not tested here: \(.not_tested_why | e)</p>"
			else
				"<table>\n<tr><th>Scenario</th><th>Expected</th><th>Observed (checked on the host)</th><th>Result</th></tr>",
				(.tests[] | "<tr><td class=\"sc\">\(.scenario | e)</td><td>\(.expected | e)</td><td>\(if (.observed | length) == 0 then "<span class=\"unknown\">no check</span>" else "<ul class=\"obs\">\([.observed[] | "<li>\(if .result == "fail" then "<span class=\"alert\">FAIL</span> " else "" end)\(.text | e)</li>"] | join(""))</ul>" end)\(if .why then "<p class=\"note\">\(.why | e)</p>" else "" end)</td><td>\(.result | res)</td></tr>"),
				"</table>"
			end)),
		"<h2>Scenarios</h2>\n<table>\n<tr><th>Scenario</th><th>Result</th><th>Exit</th><th>Seconds</th><th>Checks passed</th><th>Checks failed</th><th>Requirements</th></tr>",
		(.scenarios[] | "<tr><td class=\"sc\">\(.name | e)</td><td>\(.status | res)\(if .skip_reason then ": \(.skip_reason | e)" else "" end)</td><td>\(.exit_status | e)</td><td>\(.seconds | e)</td><td>\(.checks_passed)</td><td>\(.checks_failed)</td><td>\(.requirements | join(", ") | e)</td></tr>"),
		"</table>",
		"<p class=\"note\">Each scenario'"'"'s whole output is in results/scenarios/NAME/log beside this report.</p>",
		"<p class=\"note\">End of report.</p>\n</body>\n</html>"' "$1"
}

cmd_report() {
	[ $# -eq 2 ] || die "usage: validate.sh report RESULTS DIR"
	mkdir -p "$2" || exit 2
	report_json "$1" >"$2/validation.json.tmp" &&
		report_html "$2/validation.json.tmp" >"$2/validation.html.tmp" || {
		rm -f "$2/validation.json.tmp" "$2/validation.html.tmp"
		die "could not write the report"
	}
	mv "$2/validation.json.tmp" "$2/validation.json" &&
		mv "$2/validation.html.tmp" "$2/validation.html" || exit 2
	r=$(jq -r .result "$2/validation.json")
	echo "validate: $r; report in $2/validation.html and $2/validation.json"
	[ "$r" = PASS ]
}

# run-one SCRIPT RESULTS SECONDS: one scenario, as make check would run
# it, killed after SECONDS.
cmd_run_one() {
	script=$1 res=$2 secs=$3
	n=$(basename "$script" .sh)
	d=$res/scenarios/$n
	mkdir -p "$d" || exit 2
	sed -n 's/^# validate: //p' "$script" >"$d/claims"
	echo "validate: $n: started"
	t0=$(date +%s)
	timeout -k 10 "$secs" "${SHELL:-/bin/sh}" "$script" >"$d/log" 2>&1
	rc=$?
	echo $(($(date +%s) - t0)) >"$d/seconds"
	echo "$rc" >"$d/rc"
	echo "validate: $n: exit $rc after $(cat "$d/seconds") s"
}

cmd_run() {
	out=validation jobs=2 secs=900
	while [ $# -gt 0 ]; do
		case $1 in
		-o) out=$2; shift 2 ;;
		-j) jobs=$2; shift 2 ;;
		-t) secs=$2; shift 2 ;;
		-*) die "usage: validate.sh [-o DIR] [-j JOBS] [-t SECONDS] [SCENARIO...] | report RESULTS DIR" ;;
		*) break ;;
		esac
	done
	: "${FORAGE:?FORAGE must point at the forage binary (make validate sets it)}"
	[ -x "$FORAGE" ] || die "$FORAGE: not an executable"
	sh "$FG_SRCDIR/tests/hw/rig.sh" need || exit $?
	# The validate-only scenarios first: the longest (the 1,000-sector
	# scratch) is among them, and started first it ends with the others.
	if [ $# -eq 0 ]; then
		set -- "$FG_SRCDIR"/tests/hw/scenarios/*.sh "$FG_SRCDIR"/tests/e2e/t07[0-9][0-9]-hw-*.sh
	fi
	res=$out/results
	rm -rf "$res" && mkdir -p "$res/scenarios" || exit 2
	res=$(cd "$res" && pwd)
	qemu=${RIG_QEMU:-qemu-system-x86_64}
	commit=$(git -C "$FG_SRCDIR" rev-parse HEAD 2>/dev/null) || commit="unknown (not a git checkout)"
	[ -n "$(git -C "$FG_SRCDIR" status --porcelain --untracked-files=no 2>/dev/null)" ] &&
		commit="$commit, with local changes"
	{
		printf 'forage\t%s\n' "$("$FORAGE" --version | head -n 1)"
		printf 'commit\t%s\n' "$commit"
		printf 'kernel\t%s\n' "$(basename "$(sh "$FG_SRCDIR/tests/hw/rig.sh" kernel)" | sed 's/^vmlinuz-//')"
		printf 'qemu\t%s\n' "$("$qemu" --version | head -n 1)"
		printf 'host\t%s\n' "$(uname -srm), $(nproc) cores"
		printf 'date\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	} >"$res/meta"
	# The rig's tests skip inside make distcheck; here they run.
	unset FG_DISTCHECK
	FG_SANITIZERS=${FG_SANITIZERS:-no}
	export FORAGE FG_SANITIZERS
	printf '%s\n' "$@" | xargs -P "$jobs" -I '{}' sh "$self" run-one '{}' "$res" "$secs"
	cmd_report "$res" "$out"
}

command -v jq >/dev/null 2>&1 || die "needs jq"
case ${1:-} in
report) shift; cmd_report "$@" ;;
run-one) shift; cmd_run_one "$@" ;;
*) cmd_run "$@" ;;
esac
