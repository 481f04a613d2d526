/*
 * tool.h - what the verbs of the forage program share: option tables,
 * size parsing, progress display, the closing status line.  The program
 * only parses, prints and calls libforage.
 */
#ifndef FORAGE_TOOL_H
#define FORAGE_TOOL_H

#include <signal.h>
#include <stdint.h>

#include <forage/forage.h>
#include <forage/reader.h>

/* One option of a verb: the same table drives getopt_long, --help and
 * (later) profile files. */
struct fg_optdef {
	const char *name;  /* long name without "--" */
	int has_arg;       /* no_argument / required_argument */
	int key;           /* value getopt_long returns */
	const char *arg;   /* argument name for --help, NULL if none */
	const char *help;  /* one line */
};

extern volatile sig_atomic_t fg_tool_stop;
extern const char *fg_tool_argv0;

/* Install SIGINT/SIGTERM handlers that set fg_tool_stop. */
void fg_tool_signals(void);

/* The case database a verb reads or writes: named (--case-db, else
 * $FORAGE_CASE_DB), or else the one found from the current folder up
 * (fg_casedb_find; *found 1 then, 0 when named); a database found in a
 * parent folder is said on stderr, one line.  Never NULL (out of memory:
 * "case.db"). */
const char *fg_tool_case_db(const char *named, int *found);

/* Parse "4096", "64K", "1.5G", "2GiB", "1MB" (K/M/G/T are powers of 1024;
 * KB/MB/GB/TB powers of 1000).  Returns 0 or -1. */
int fg_parse_size(const char *s, uint64_t *out);

/* Parse a non-negative integer that fits in unsigned; 0 or -1. */
int fg_parse_uint(const char *s, unsigned *out);

/* Build the struct option array for getopt_long from a table (static
 * storage, up to 64 options). */
struct option;
const struct option *fg_tool_longopts(const struct fg_optdef *defs);

/* Print "  --name ARG   help" lines for a table. */
void fg_tool_print_options(const struct fg_optdef *defs);

/* The whole command line, shell-quoted, malloc'd. */
char *fg_tool_command_line(int argc, char **argv);

/* s as fg_printable_dup (include/forage/forage.h) shows it with flags:
 * every string that comes from evidence, a record or a case database is
 * printed through it.  The result lives until 8 more calls (NULL for
 * NULL), so that one printf may show several. */
const char *fg_tool_shown(const char *s, int flags);
/* One line (line feeds and tabs escaped too); a text that may span lines
 * keeps them. */
#define FG_TOOL_LINE (FG_PRINTABLE_KEEP_BACKSLASH | FG_PRINTABLE_UTF8)
#define FG_TOOL_TEXT FG_PRINTABLE_TEXT

/* Print "forage VERB: message" to stderr, control bytes escaped (the
 * message may quote evidence). */
void fg_tool_error(const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* After getopt_long returned an unknown option or one missing its
 * argument: say which, naming the verb. */
void fg_tool_bad_option(const char *verb, char **argv);

/* Print the last line (SUCCESS, COMPLETED WITH ERRORS, FAILURE: ...,
 * INTERRUPTED) for status and return the exit code. */
int fg_tool_finish(int status, const char *reason);

/* Progress: mode "auto" (bar on a terminal), "bar", "json", "none".
 * Choosing "json" makes every later line on stderr a JSON object (see
 * fg_tool_say): progress lines, and {"event": "...", "text": "..."}. */
enum fg_progress_mode { FG_PROGRESS_NONE, FG_PROGRESS_BAR, FG_PROGRESS_JSON };
int fg_tool_progress_mode(const char *s, enum fg_progress_mode *out);
/* Lines for the examiner on stderr: as they are, or with --progress json
 * one {"event": event, "text": line} object per line.  Control bytes are
 * escaped (the text may quote evidence).  The usage text is not affected. */
void fg_tool_say(const char *event, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fg_tool_progress(enum fg_progress_mode mode, const struct fg_progress *p);

/* ---- Profiles (profile.c) ---------------------------------------------- */

struct fg_profile {
	char *path;        /* the file read */
	char *name;        /* as asked for */
	char sha256[129];  /* of the file's content, recorded */
	char **argv;       /* "--name" "value" ..., NULL-terminated */
	unsigned *lines;   /* line of each argv entry */
	int argc;
};

/* Load profile NAME (NAME.profile in $FORAGE_PROFILE_DIR, the installed
 * forensics-profiles folder, the source tree's) or FILE (has a slash) as
 * arguments for the option table defs.  Returns 0, or -1 with err saying
 * file, line and key. */
int fg_profile_load(struct fg_profile *p, const char *name,
		    const struct fg_optdef *defs, char *err, size_t errlen);
/* "FILE:LINE" of argv entry index of the profile, or NULL. */
const char *fg_profile_origin(const struct fg_profile *p, int index,
			      char *buf, size_t len);
void fg_profile_free(struct fg_profile *p);
/* The value of --profile on a command line, or NULL. */
const char *fg_profile_find_arg(int argc, char **argv);

/* ---- The pass phrase of a signing key (keypass.c) --------------------- */

struct fg_key_pass {
	const char *key;  /* the key file, for the prompt */
	const char *file; /* --key-pass-file, or NULL */
};
/* An fg_sign_pass_fn (sign.h), ctx a struct fg_key_pass: the first line of
 * file; else $FORAGE_KEY_PASS; else asked on the terminal (echo off);
 * else -1. */
int fg_tool_key_pass(char *buf, int size, void *ctx);

/* ---- Sealing the case database's log (seal.c; anchor.h) --------------- */

struct fg_tool_seal {
	int seal;                  /* --seal, or a profile's seal = yes */
	const char *key, *cert;    /* --sign, --cert */
	const char *key_pass_file; /* --key-pass-file, or NULL */
	const char *tsa;           /* --tsa, or NULL: $FORAGE_TSA_URL */
};
struct fg_casedb;

/* given, else $FORAGE_TSA_URL; NULL when neither (or empty). */
const char *fg_tool_tsa_url(const char *given);
/* --seal needs --sign and --cert: 0, or -1 after saying so. */
int fg_tool_seal_usage(const char *verb, const struct fg_tool_seal *s);
/* Seal db's log (fg_seal_make; db open for writing) and say what was
 * written to out, the database shown as shown.  Returns an FG_ status. */
int fg_tool_seal_db(struct fg_casedb *db, const char *shown,
		    const struct fg_tool_seal *s, const char *examiner,
		    FILE *out, struct fg_error *err);
/* The same for the database at path, opened for writing here. */
int fg_tool_seal_path(const char *path, const struct fg_tool_seal *s,
		      const char *examiner, FILE *out, struct fg_error *err);

/* Verbs. */
int fg_cmd_acquire(int argc, char **argv);
int fg_cmd_verify(int argc, char **argv);
int fg_cmd_case(int argc, char **argv);
int fg_cmd_report(int argc, char **argv);
int fg_cmd_info(int argc, char **argv);

#endif
