# src/lib/digest: MD5, SHA-256, the hash set and hash windows, file digests.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/blocks.c \
	%reldir%/digest_int.h \
	%reldir%/filehash.c \
	%reldir%/hash.c \
	%reldir%/md5.c \
	%reldir%/sha256.c
