# src/lib/run: the sequences: an acquisition, and verifications into the case database.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/acquire.c \
	%reldir%/acquire_db.c \
	%reldir%/acquire_file.c \
	%reldir%/acquire_int.h \
	%reldir%/acquire_map.c \
	%reldir%/acquire_record.c \
	%reldir%/acquire_space.c \
	%reldir%/acquire_verify_source.c \
	%reldir%/verify_case.c \
	%reldir%/verify_plan.c
