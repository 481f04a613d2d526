/*
 * cmd_case.h - what the two files of "forage case" share: cmd_case.c
 * (options, usage, the subcommands that write and show cases) and
 * case_chain.c (seal, audit, export, import, import-record: the event
 * chain and moving a case).  Only they include it.
 */
#ifndef FORAGE_CMD_CASE_H
#define FORAGE_CMD_CASE_H

#include <forage/casedb.h>
#include <forage/forage.h>

#include "tool.h"

#define MAX_ANCHORS 64

struct sub {
	const char *name;  /* "init", "custody add", ... */
	const char *usage; /* after "forage case " */
	const char *what;  /* one line */
	const int *keys;   /* options accepted, 0-terminated */
};

struct copts {
	const char *db, *examiner, *case_id, *evidence_id, *description;
	const char *action, *from, *to, *location, *reason, *at;
	const char *sign, *cert, *trust_cert, *tsa, *tsa_cert;
	const char *anchors[MAX_ANCHORS];
	size_t nanchors;
	const char *output, *file; /* export -o FILE, import FILE, RECORD */
	int json, new_item;
	int found; /* the database was found, not named: never a link */
};

/* A database found, not named, is never reached through a link. */
#define NOFOLLOW(c) ((c)->found ? FG_CASEDB_NOFOLLOW : 0u)

/* A usage error of s: the message, the usage, exit 2. */
int fg_case_bad_usage(const struct sub *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* err as the FAILURE of s; its exit code. */
int fg_case_fail(const struct sub *s, const struct fg_error *err);

/* A string from the database as it is printed: escaped (NULL stays);
 * or "(none)" for NULL. */
static inline const char *D(const char *s)
{
	return fg_tool_shown(s, FG_TOOL_LINE);
}

static inline const char *or_none(const char *s)
{
	return s != NULL ? D(s) : "(none)";
}

/* Open the database, a query of it interruptible by SIGINT and SIGTERM
 * (exit 4). */
int fg_case_open_db(struct fg_casedb **db, const char *path, unsigned flags,
		    struct fg_error *err);

/* The subcommands of case_chain.c; each returns the exit code. */
int fg_case_seal(const struct sub *s, const struct copts *c);
int fg_case_audit(const struct sub *s, const struct copts *c);
int fg_case_export(const struct sub *s, const struct copts *c);
int fg_case_import(const struct sub *s, const struct copts *c);
int fg_case_import_record(const struct sub *s, const struct copts *c);

#endif
