# src/lib/base: errors, text buffers, file I/O and path helpers, progress.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/error.c \
	%reldir%/util.c
