#!/bin/sh
# forage info on EWF evidence (issue 18, item 4): the external fixtures
# (libewf, FTK Imager, a two-segment set, best compression) and an E01
# forage writes with case fields: media size, sectors, chunk size,
# compression, segment files, the MD5 and SHA-1 stored, the writer
# (program version, operating system) and the case fields, from forage's
# own EWF metadata reader; an Ex01 (EWF2) is named as EWF2, and not
# verifiable.  Every document is checked against docs/schema/.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
. "$FG_SRCDIR/tests/e2e/lib/verify.sh"
need_cmd jq

# info_json FILE NAME: forage info --json FILE into NAME.json
info_json() {
	expect_exit 0 "info $2" -- "$FORAGE" info --json "$1" || return 1
	cp out.txt "$2.json"
}

# is NAME FILTER WANT: .evidence FILTER of NAME.json is WANT
is() {
	got=$(jq -r ".evidence$2" "$1.json")
	[ "$got" = "$3" ] && ok "$1: $2 = $3" || fail "$1: $2 is '$got', want '$3'"
}

if [ -n "${FG_FIXTURES:-}" ] && [ -f "$FG_FIXTURES/tsk-image.E01" ]; then
	info_json "$FG_FIXTURES/tsk-image.E01" tsk && {
		is tsk .kind EWF
		is tsk .verifiable true
		is tsk .media_size 102400
		is tsk .sectors 200
		is tsk .bytes_per_sector 512
		is tsk .chunk_size 32768
		is tsk .compression none
		is tsk .stored_md5 3ebb0b7dcd6b5fcd59a0020625d70994
		is tsk .stored_sha1 null
		is tsk '.segment_files | length' 1
		is tsk .writer.operating_system Linux
		is tsk .writer.software_version 20140406
	}
	info_json "$FG_FIXTURES/tsk-imageformat_mmls_1.E01" ftk && {
		is ftk .sectors 122881
		is ftk .stored_md5 8ec671e301095c258224aad701740503
		is ftk .stored_sha1 067bc6ab29685ee19b0cf82c9d15ac510d1e7d95
		is ftk .writer.software_version ADI2.9.0.13
		is ftk .writer.operating_system "Windows 200x"
		is ftk .metadata.examiner_name Rishwanth
		is ftk .metadata.case_number 1
		is ftk .metadata.description "Test E01 for sleuthkit"
		is ftk '.format | startswith("EWF (FTK Imager)")' true
	}
	info_json "$FG_FIXTURES/dfvfs-ext2.split.E01" split && {
		is split '.segment_files | length' 2
		is split '.segment_files[1] | endswith("dfvfs-ext2.split.E02")' true
		is split .media_size 4194304
	}
	info_json "$FG_FIXTURES/dfvfs-ext2.E01" best && is best .compression best
	# The text form says the same.
	expect_exit 0 "info text" -- "$FORAGE" info "$FG_FIXTURES/tsk-imageformat_mmls_1.E01" &&
		expect_in out.txt "^  Stored sha1: 067bc6ab29685ee19b0cf82c9d15ac510d1e7d95$" "text: stored SHA-1" &&
		expect_in out.txt "^    Software version: ADI2.9.0.13$" "text: writer"
else
	echo "note: FG_FIXTURES not set, the external fixtures not examined" >&2
fi

# An E01 forage writes, with its case fields.
need_e01_writer
make_data ev.bin 1000000
mkdir e
expect_exit 0 "acquire E01" -- "$FORAGE" acquire ev.bin -o e/EV --format e01 \
	--case 2026-041 --evidence "HD 1" --examiner "Jo Smith" \
	--description "desk 3" --notes "seal 7781" --compression best \
	--progress none
md5=$(json_get e/EV.json .hashes.e01_padded.md5) # the media padded to whole sectors
info_json e/EV.E01 own && {
	is own .kind EWF
	is own .media_size 1000448
	is own .sectors 1954
	is own .compression best
	is own .stored_md5 "$md5"
	is own .metadata.case_number 2026-041
	is own .metadata.evidence_number "HD 1"
	is own .metadata.examiner_name "Jo Smith"
	is own .metadata.description "desk 3"
	is own .metadata.notes "seal 7781"
	is own .writer.software_version "forage $(json_get e/EV.json .tool.version)"
	is own '.writer.operating_system | length > 0' true
}

# An Ex01 (EWF2): named as such, not verifiable.
{ printf 'EVF2\r\n\201\000'; head -c 4088 /dev/zero; } >x.Ex01
info_json x.Ex01 ex01 && {
	is ex01 .kind "foreign container"
	is ex01 .format EWF2
	is ex01 .verifiable false
	is ex01 '.note | test("EWF2")' true
}
expect_exit 2 "verify Ex01" -- "$FORAGE" verify --progress none x.Ex01 &&
	expect_in err.txt "x.Ex01: an EWF2 \\(Ex01\\) segment file" "verify names EWF2"
done_testing
