# tests/fuzz/local.mk - the fuzz harnesses built as replayers by `make
# check` (replay.c's main(), the normal compiler and flags), and the test
# that replays every saved input of tests/fuzz/regress/ with them.
# scripts/fuzz.sh builds the same harnesses with libFuzzer (`make fuzz`).
# fuzz_ewf_set.c and fuzz_casedb_rw.c include fuzz_ewf_meta.c and
# fuzz_casedb.c.

FUZZ_REPLAYERS = \
	tests/fuzz/replay_ewf_meta \
	tests/fuzz/replay_ewf_set \
	tests/fuzz/replay_image_ewf \
	tests/fuzz/replay_mapfile \
	tests/fuzz/replay_record \
	tests/fuzz/replay_sidecar \
	tests/fuzz/replay_casedb \
	tests/fuzz/replay_casedb_rw \
	tests/fuzz/replay_sign \
	tests/fuzz/replay_profile \
	tests/fuzz/replay_report \
	tests/fuzz/replay_anchor \
	tests/fuzz/replay_case_import \
	tests/fuzz/replay_drive
check_PROGRAMS += $(FUZZ_REPLAYERS)
FUZZ_REPLAY_COMMON = tests/fuzz/replay.c tests/fuzz/fuzz_util.c \
	tests/fuzz/fuzz.h

tests_fuzz_replay_ewf_meta_SOURCES = tests/fuzz/fuzz_ewf_meta.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_ewf_meta_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_ewf_set_SOURCES = tests/fuzz/fuzz_ewf_set.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_ewf_set_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_image_ewf_SOURCES = tests/fuzz/fuzz_image_ewf.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_image_ewf_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_mapfile_SOURCES = tests/fuzz/fuzz_mapfile.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_mapfile_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_record_SOURCES = tests/fuzz/fuzz_record.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_record_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_sidecar_SOURCES = tests/fuzz/fuzz_sidecar.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_sidecar_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_casedb_SOURCES = tests/fuzz/fuzz_casedb.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_casedb_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_casedb_rw_SOURCES = tests/fuzz/fuzz_casedb_rw.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_casedb_rw_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_sign_SOURCES = tests/fuzz/fuzz_sign.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_sign_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_profile_SOURCES = tests/fuzz/fuzz_profile.c \
	$(FUZZ_REPLAY_COMMON) src/tool/profile.c src/tool/tool.h
tests_fuzz_replay_profile_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/tool
tests_fuzz_replay_profile_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_report_SOURCES = tests/fuzz/fuzz_report.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_report_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_anchor_SOURCES = tests/fuzz/fuzz_anchor.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_anchor_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_case_import_SOURCES = tests/fuzz/fuzz_case_import.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_case_import_LDADD = $(LIBFORAGE_TEST_LDADD)
tests_fuzz_replay_drive_SOURCES = tests/fuzz/fuzz_drive.c \
	$(FUZZ_REPLAY_COMMON)
tests_fuzz_replay_drive_LDADD = $(LIBFORAGE_TEST_LDADD)

TESTS += tests/fuzz/replay.sh
