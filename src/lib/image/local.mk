# src/lib/image: evidence images for verification: detection, raw and split raw, EWF.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/container.c \
	%reldir%/ewf_chunk.c \
	%reldir%/ewf_read.c \
	%reldir%/ewf_read_int.h \
	%reldir%/ewf_stream.c \
	%reldir%/image_info.c \
	%reldir%/image_int.h \
	%reldir%/image_raw.c
