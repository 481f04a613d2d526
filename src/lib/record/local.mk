# src/lib/record: the acquisition record and its sidecars.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/record.c \
	%reldir%/record_keys.c \
	%reldir%/record_text.c \
	%reldir%/record_log.c \
	%reldir%/record_log_health.c \
	%reldir%/record_log_setup.c \
	%reldir%/record_words.c \
	%reldir%/record_int.h
