# src/lib/casedb: the case database.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/casedb.c \
	%reldir%/casedb_int.h \
	%reldir%/events.c \
	%reldir%/export.c \
	%reldir%/import.c \
	%reldir%/imported.c \
	%reldir%/pg.c \
	%reldir%/pg_check.c \
	%reldir%/read.c \
	%reldir%/schema.c \
	%reldir%/schema_pg.c \
	%reldir%/stmt.c \
	%reldir%/write.c
