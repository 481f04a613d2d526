# src/lib/read: the block pipeline, the reader passes with retries, the mapfile.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/mapfile.c \
	%reldir%/pipeline.c \
	%reldir%/reader.c
