# src/lib/ewf: the EWF format: segment names, section walker, metadata,
# chunk compression.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/deflate.c \
	%reldir%/ewf_int.h \
	%reldir%/ewf_map.c \
	%reldir%/ewf_meta.c \
	%reldir%/ewf_name.c
