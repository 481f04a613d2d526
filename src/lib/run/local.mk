# src/lib/run: the sequences: an acquisition, and verifications into the case database.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/acquire.c \
	%reldir%/verify_case.c
