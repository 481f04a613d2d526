# src/lib/verify: verification of one evidence item.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/damage.c \
	%reldir%/expect.c \
	%reldir%/result.c \
	%reldir%/segfiles.c \
	%reldir%/verify.c \
	%reldir%/verify_int.h
