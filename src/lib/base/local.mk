# src/lib/base: errors, text buffers, file I/O and path helpers, progress.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/base_int.h \
	%reldir%/error.c \
	%reldir%/fileio.c \
	%reldir%/openin.c \
	%reldir%/text.c \
	%reldir%/util.c
