# src/lib/report: reports in every format, and their signatures.
# Included by the top Makefile.am; %reldir% is this folder.
src_libforage_a_SOURCES += \
	%reldir%/report_int.h \
	%reldir%/report.c \
	%reldir%/report_walk.c \
	%reldir%/report_summary.c \
	%reldir%/report_words.c \
	%reldir%/report_pdf.c \
	%reldir%/report_text.c \
	%reldir%/report_html.c \
	%reldir%/report_json.c \
	%reldir%/report_dfxml.c \
	%reldir%/report_uco.c \
	%reldir%/report_casedb.c \
	%reldir%/sign.c \
	%reldir%/anchor.c \
	%reldir%/tsa.c
