# src/lib/sink: the sink table, the raw sink, the EWF sink.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/sink.c \
	%reldir%/sink_ewf.c \
	%reldir%/sink_ewf_int.h \
	%reldir%/sink_ewf_meta.c \
	%reldir%/sink_int.h \
	%reldir%/sink_raw.c
