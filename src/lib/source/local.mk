# src/lib/source: sources, block devices, the write-block guard, drive identity, content identification, info.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/blkdev.c \
	%reldir%/guard.c \
	%reldir%/health.c \
	%reldir%/health_parse.c \
	%reldir%/identity.c \
	%reldir%/identity_parse.c \
	%reldir%/info.c \
	%reldir%/magic.c \
	%reldir%/source.c \
	%reldir%/source_dev.c \
	%reldir%/source_int.h
