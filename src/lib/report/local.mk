# src/lib/report: reports in every format, and their signatures.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/report.c \
	%reldir%/sign.c
