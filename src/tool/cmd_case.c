/*
 * cmd_case.c - "forage case": its options and usage, and the subcommands
 * init, list, show, edit and custody add (seal, audit, export, import and
 * import-record are in case_chain.c): options to calls of the case
 * database module (casedb.h), and what they return printed for a person
 * (or as JSON).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <forage/acquire.h>
#include <forage/anchor.h>
#include <forage/casedb.h>
#include <forage/record.h>

#include "tool.h"
#include "cmd_case.h"

enum {
	OPT_CASE_DB = 256, OPT_EXAMINER, OPT_CASE, OPT_EVIDENCE,
	OPT_DESCRIPTION, OPT_JSON, OPT_ACTION, OPT_FROM, OPT_TO,
	OPT_LOCATION, OPT_REASON, OPT_AT, OPT_NEW, OPT_SIGN, OPT_CERT, OPT_TSA,
	OPT_ANCHOR, OPT_TRUST_CERT, OPT_TSA_CERT, OPT_HELP,
	OPT_OUTPUT = 'o'
};

/* Every option of the case verbs; each subcommand accepts some. */
static const struct fg_optdef case_opts[] = {
	{"case-db", required_argument, OPT_CASE_DB, "PATH",
	 "case database (default: $FORAGE_CASE_DB, else case.db here or in "
	 "the nearest parent folder that has one; init: here)"},
	{"examiner", required_argument, OPT_EXAMINER, "NAME",
	 "who does this (default: $FORAGE_EXAMINER, else recorded as unknown)"},
	{"case", required_argument, OPT_CASE, "ID",
	 "case number (may be left out when the database holds one case; "
	 "for show, when one case holds the --evidence item)"},
	{"evidence", required_argument, OPT_EVIDENCE, "ID", "evidence number"},
	{"description", required_argument, OPT_DESCRIPTION, "TEXT",
	 "what the case is about (init); the new description (edit: of the "
	 "case, or of the --evidence item)"},
	{"json", no_argument, OPT_JSON, NULL,
	 "print everything as one JSON document (show)"},
	{"action", required_argument, OPT_ACTION, "ACTION",
	 "received|transferred|checked-out|checked-in|stored|returned|disposed"},
	{"from", required_argument, OPT_FROM, "WHO",
	 "who handed the evidence over (custody add)"},
	{"to", required_argument, OPT_TO, "WHO",
	 "who received it (custody add)"},
	{"location", required_argument, OPT_LOCATION, "WHERE",
	 "where it happened or where the evidence is now (custody add)"},
	{"reason", required_argument, OPT_REASON, "WHY",
	 "why (custody add, edit)"},
	{"at", required_argument, OPT_AT, "TIME",
	 "when the handover happened, with its time zone: "
	 "2026-12-01T14:30Z, 2026-12-01T15:30:00+01:00 (custody add; "
	 "default: now, when it is entered)"},
	{"new", no_argument, OPT_NEW, NULL,
	 "the --evidence item is new to the case: add it (custody add; "
	 "without it an unknown item is refused)"},
	{"sign", required_argument, OPT_SIGN, "KEY",
	 "sign the seal with this PEM private key (needs --cert)"},
	{"cert", required_argument, OPT_CERT, "CERT",
	 "the certificate of the --sign key (PEM)"},
	{"tsa", required_argument, OPT_TSA, "URL",
	 "time-stamp the seal at this RFC 3161 authority, http://HOST/PATH "
	 "(default: $FORAGE_TSA_URL)"},
	{"anchor", required_argument, OPT_ANCHOR, "FILE",
	 "also check the log against this seal or acquisition record "
	 "(repeatable)"},
	{"trust-cert", required_argument, OPT_TRUST_CERT, "CERT",
	 "check seals' signatures against this certificate (else against "
	 "the one each carries: unchanged, not who)"},
	{"tsa-cert", required_argument, OPT_TSA_CERT, "CERT",
	 "check seals' time-stamps against this authority's CA (PEM)"},
	{"output", required_argument, OPT_OUTPUT, "FILE",
	 "write the export to FILE, a new file (export)"},
	{"help", no_argument, OPT_HELP, NULL, "this text"},
	{NULL, 0, 0, NULL, NULL}
};

static const int init_keys[] = {OPT_CASE, OPT_DESCRIPTION, OPT_CASE_DB,
				OPT_EXAMINER, OPT_HELP, 0};
static const int list_keys[] = {OPT_CASE_DB, OPT_HELP, 0};
static const int show_keys[] = {OPT_CASE, OPT_EVIDENCE, OPT_JSON,
				OPT_CASE_DB, OPT_HELP, 0};
static const int custody_keys[] = {OPT_EVIDENCE, OPT_ACTION, OPT_FROM,
				   OPT_TO, OPT_LOCATION, OPT_REASON,
				   OPT_AT, OPT_NEW,
				   OPT_CASE, OPT_CASE_DB, OPT_EXAMINER,
				   OPT_HELP, 0};
static const int edit_keys[] = {OPT_CASE, OPT_EVIDENCE, OPT_DESCRIPTION,
				OPT_REASON, OPT_CASE_DB, OPT_EXAMINER,
				OPT_HELP, 0};
static const int seal_keys[] = {OPT_SIGN, OPT_CERT, OPT_TSA, OPT_CASE_DB,
				OPT_EXAMINER, OPT_HELP, 0};
static const int audit_keys[] = {OPT_ANCHOR, OPT_TRUST_CERT, OPT_TSA_CERT,
				 OPT_CASE_DB, OPT_HELP, 0};

static const int export_keys[] = {OPT_CASE, OPT_OUTPUT, OPT_CASE_DB,
				  OPT_HELP, 0};
static const int import_keys[] = {OPT_CASE_DB, OPT_EXAMINER, OPT_HELP, 0};
static const int import_record_keys[] = {OPT_CASE_DB, OPT_HELP, 0};

static const struct sub subs[] = {
	{"init", "init --case ID [--description TEXT] [options]",
	 "make the case database (when new) and the case", init_keys},
	{"list", "list [options]", "the cases in the database", list_keys},
	{"show", "show [--case ID] [--evidence ID] [--json] [options]",
	 "everything known about a case or one evidence item", show_keys},
	{"custody add",
	 "custody add --evidence ID --action ACTION [--from WHO] [--to WHO]\n"
	 "                   [--location WHERE] [--reason WHY] [--at TIME] "
	 "[--new]\n                   [--case ID] [options]",
	 "append a custody event", custody_keys},
	{"edit",
	 "edit [--case ID] [--evidence ID] --description TEXT [--reason WHY] "
	 "[options]",
	 "amend the description of a case or an evidence item (an event)",
	 edit_keys},
	{"seal", "seal [--sign KEY --cert CERT] [--tsa URL] [options]",
	 "write a seal of the event log's head beside the database",
	 seal_keys},
	{"audit",
	 "audit [--anchor FILE]... [--trust-cert CERT] [--tsa-cert CERT]\n"
	 "                   [options]",
	 "recompute the event log's hash chain and check it against its "
	 "anchors",
	 audit_keys},
	{"export", "export [--case ID] -o FILE [options]",
	 "write a case, its rows and the whole event log, to a file for "
	 "'case import'",
	 export_keys},
	{"import", "import FILE [options]",
	 "add a case exported by 'case export' to this database, its chain "
	 "checked first and kept",
	 import_keys},
	{"import-record", "import-record RECORD [options]",
	 "file an acquisition whose end the case database could not take "
	 "(its record says case_db.recorded false) from its final record, "
	 "with its read-back check",
	 import_record_keys},
	{NULL, NULL, NULL, NULL}
};

static int has_key(const int *keys, int key)
{
	for (; *keys != 0; keys++)
		if (*keys == key)
			return 1;
	return 0;
}

static void print_opts(const int *keys)
{
	struct fg_optdef shown[sizeof(case_opts) / sizeof(case_opts[0])];
	size_t i, n = 0;

	for (i = 0; case_opts[i].name != NULL; i++)
		if (keys == NULL || has_key(keys, case_opts[i].key))
			shown[n++] = case_opts[i];
	memset(&shown[n], 0, sizeof(shown[n]));
	fg_tool_print_options(shown);
}

static void usage(FILE *to, const struct sub *s)
{
	const struct sub *x;

	if (s != NULL) {
		fprintf(to, "usage: forage case %s\n", s->usage);
	} else {
		for (x = subs; x->name != NULL; x++)
			fprintf(to, "%s forage case %s\n",
				x == subs ? "usage:" : "      ", x->usage);
	}
	if (to == stderr) {
		fprintf(to, "Try 'forage case %s%s--help'.\n",
			s != NULL ? s->name : "", s != NULL ? " " : "");
		return;
	}
	if (s != NULL) {
		printf("\n%c%s.\n\nOptions:\n", s->what[0] - 'a' + 'A',
		       s->what + 1);
		print_opts(s->keys);
	} else {
		printf("\nThe case database: cases, evidence items, "
		       "acquisitions, verifications,\ncustody, and a "
		       "hash-chained event log.\n\n");
		for (x = subs; x->name != NULL; x++)
			printf("  %-12s %s\n", x->name, x->what);
		printf("\nOptions:\n");
		print_opts(NULL);
	}
	printf("\nExit: 0 done, 1 a check failed (audit: broken chain), 2 "
	       "trouble (usage,\nunusable database).  See forage(1).\n");
}

int fg_case_bad_usage(const struct sub *s, const char *fmt, ...)
{
	char what[256], msg[512];
	va_list ap;

	snprintf(what, sizeof(what), "case%s%s", s ? " " : "",
		 s ? s->name : "");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fg_tool_error(what, "%s", msg);
	usage(stderr, s);
	return fg_tool_finish(FG_EINVAL, "bad usage");
}

/* Parse the options of s; returns -1 to go on, else an exit code. */
static int parse(const struct sub *s, int argc, char **argv, struct copts *c)
{
	int ch;

	memset(c, 0, sizeof(*c));
	c->db = getenv("FORAGE_CASE_DB");
	c->examiner = getenv("FORAGE_EXAMINER");
	c->tsa = getenv("FORAGE_TSA_URL");
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "o:", fg_tool_longopts(case_opts),
				 NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			return fg_case_bad_usage(s,
						 "unknown option or missing "
						 "argument: %s",
						 argv[optind - 1]);
		}
		if (!has_key(s->keys, ch))
			return fg_case_bad_usage(s, "%s does not apply here",
						 argv[optind - 1]);
		switch (ch) {
		case OPT_CASE_DB: c->db = optarg; break;
		case OPT_EXAMINER: c->examiner = optarg; break;
		case OPT_CASE: c->case_id = optarg; break;
		case OPT_EVIDENCE: c->evidence_id = optarg; break;
		case OPT_DESCRIPTION: c->description = optarg; break;
		case OPT_JSON: c->json = 1; break;
		case OPT_ACTION: c->action = optarg; break;
		case OPT_FROM: c->from = optarg; break;
		case OPT_TO: c->to = optarg; break;
		case OPT_LOCATION: c->location = optarg; break;
		case OPT_REASON: c->reason = optarg; break;
		case OPT_AT: c->at = optarg; break;
		case OPT_NEW: c->new_item = 1; break;
		case OPT_SIGN: c->sign = optarg; break;
		case OPT_CERT: c->cert = optarg; break;
		case OPT_TRUST_CERT: c->trust_cert = optarg; break;
		case OPT_TSA: c->tsa = optarg; break;
		case OPT_TSA_CERT: c->tsa_cert = optarg; break;
		case OPT_ANCHOR:
			if (c->nanchors == MAX_ANCHORS)
				return fg_case_bad_usage(
				    s, "at most %d --anchor", MAX_ANCHORS);
			c->anchors[c->nanchors++] = optarg;
			break;
		case OPT_OUTPUT: c->output = optarg; break;
		case OPT_HELP: usage(stdout, s); return FG_EXIT_OK;
		}
	}
	if ((strcmp(s->name, "import") == 0 ||
	     strcmp(s->name, "import-record") == 0) &&
	    optind == argc - 1)
		c->file = argv[optind++];
	if (optind != argc)
		return fg_case_bad_usage(s, "unexpected argument '%s'",
					 argv[optind]);
	/* init makes the database in the current folder unless named; the
	 * others use the one found from here up. */
	if (strcmp(s->name, "init") == 0 && (c->db == NULL || *c->db == '\0'))
		c->db = FG_CASEDB_DEFAULT_NAME;
	else if (strcmp(s->name, "import-record") == 0 &&
		 (c->db == NULL || *c->db == '\0'))
		c->db = NULL; /* the one the record names */
	else
		c->db = fg_tool_case_db(c->db, &c->found);
	return -1;
}

int fg_case_fail(const struct sub *s, const struct fg_error *err)
{
	char what[64];

	snprintf(what, sizeof(what), "case %s", s->name);
	fg_tool_error(what, "%s", err->msg);
	return fg_tool_finish(err->code, err->msg);
}

/* --case; or, for show (unfiled not NULL) --evidence ID alone, the one
 * case that holds that item, or none when only acquisitions under no case
 * name it (*unfiled says how many do); or the one case of the database
 * (custody add: the item may be new, so the database must leave no
 * doubt). */
static int pick_case(struct fg_casedb *db, const struct copts *c,
		     char **case_id, int64_t *unfiled, struct fg_error *err)
{
	char *cases = NULL;
	int64_t n, nu;
	int rc;

	*case_id = NULL;
	if (c->case_id != NULL) {
		*case_id = strdup(c->case_id);
		return *case_id ? FG_OK
				: fg_error_set(err, FG_ENOMEM, 0, "out of memory");
	}
	if (c->evidence_id != NULL && unfiled != NULL) {
		rc = fg_casedb_evidence_cases(db, c->evidence_id, &cases, &n,
					      &nu, err);
		if (rc != FG_OK)
			return rc;
		if (n == 1 || (n == 0 && nu > 0)) {
			*case_id = cases; /* the one case, or NULL */
			*unfiled = nu;
			return FG_OK;
		}
		if (n > 1)
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "%s: evidence item '%s' is in %lld "
					  "cases (%s)%s: give --case",
					  fg_casedb_path(db), c->evidence_id,
					  (long long)n, cases,
					  nu > 0 ? " and under no case" : "");
		else
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "%s: no evidence item '%s' in any "
					  "case, nor any acquisition of it",
					  fg_casedb_path(db), c->evidence_id);
		free(cases);
		return rc;
	}
	rc = fg_casedb_only_case(db, case_id, &n, err);
	if (rc != FG_OK)
		return rc;
	if (*case_id == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    n == 0 ? "%s holds no case yet: give --case"
					   : "%s holds several cases: give "
					     "--case",
				    fg_casedb_path(db));
	return FG_OK;
}

/* ---- init -------------------------------------------------------------- */

/* Open the database, a query of it interruptible by SIGINT and SIGTERM
 * (exit 4). */
int fg_case_open_db(struct fg_casedb **db, const char *path, unsigned flags,
		    struct fg_error *err)
{
	fg_tool_signals();
	return fg_casedb_open_stop(db, path, flags, &fg_tool_stop, err);
}

static int do_init(const struct sub *s, const struct copts *c)
{
	struct fg_casedb *db = NULL;
	struct fg_error err;
	int created = 0, rc;

	fg_error_clear(&err);
	if (c->case_id == NULL || *c->case_id == '\0')
		return fg_case_bad_usage(s, "%s", "--case ID is required");
	rc = fg_case_open_db(&db, c->db, FG_CASEDB_CREATE, &err);
	if (rc == FG_OK)
		rc = fg_casedb_set_examiner(db, c->examiner);
	if (rc == FG_OK)
		rc = fg_casedb_case_ensure(db, c->case_id, c->description,
					   &created, &err);
	if (rc == FG_OK && !created)
		rc = fg_error_set(&err, FG_EEXIST, 0,
				  "case '%s' exists already in %s; nothing "
				  "changed",
				  c->case_id, c->db);
	fg_casedb_close(db);
	if (rc != FG_OK)
		return fg_case_fail(s, &err);
	printf("case %s created in %s\n", D(c->case_id), D(c->db));
	return fg_tool_finish(FG_OK, NULL);
}

/* ---- list -------------------------------------------------------------- */

static int list_one(void *ctx, const struct fg_casedb_case *k)
{
	int *n = ctx;

	if ((*n)++ == 0)
		printf("%-16s %5s %5s  %-20s  %-16s %s\n", "CASE", "ITEMS",
		       "ACQ", "CREATED", "BY", "DESCRIPTION");
	printf("%-16s %5" PRId64 " %5" PRId64 "  %-20s  %-16s %s\n",
	       D(k->case_id), k->evidence_items, k->acquisitions,
	       D(k->created_utc), D(k->examiner),
	       k->description ? D(k->description) : "");
	return 0;
}

static int do_list(const struct sub *s, const struct copts *c)
{
	struct fg_casedb *db = NULL;
	struct fg_error err;
	int n = 0, rc;

	fg_error_clear(&err);
	rc =
	    fg_case_open_db(&db, c->db, FG_CASEDB_READONLY | NOFOLLOW(c), &err);
	if (rc == FG_OK)
		rc = fg_casedb_cases_each(db, list_one, &n, &err);
	fg_casedb_close(db);
	if (rc != FG_OK)
		return fg_case_fail(s, &err);
	if (n == 0)
		printf("no cases in %s\n", c->db);
	return fg_tool_finish(FG_OK, NULL);
}

/* ---- show -------------------------------------------------------------- */

struct show {
	struct fg_casedb *db;
	struct fg_error *err;
	int rc;
	uint64_t count, sectors;
	uint64_t wsize;
};

static int show_output(void *ctx, const struct fg_casedb_output *o)
{
	(void)ctx;
	printf("      %s  %" PRIu64 " bytes\n", D(o->path), o->size);
	if (o->md5)
		printf("        md5     %s\n", D(o->md5));
	if (o->sha256)
		printf("        sha256  %s\n", D(o->sha256));
	return 0;
}

static int show_bad(void *ctx, const struct fg_casedb_bad_range *b)
{
	struct show *sh = ctx;

	if (sh->count < 20)
		printf("      LBA %" PRIu64 " (%" PRIu64 " sector%s)\n",
		       b->first_lba, b->count, b->count == 1 ? "" : "s");
	sh->count++;
	sh->sectors += b->count;
	return 0;
}

static int show_window(void *ctx, const struct fg_casedb_window *w)
{
	struct show *sh = ctx;

	if (sh->count++ == 0)
		sh->wsize = w->length;
	return 0;
}

static int show_acq(void *ctx, const struct fg_casedb_acquisition *a)
{
	struct show *sh = ctx;

	printf("  Acquisition %" PRId64 ": %s", a->id, D(a->state));
	if (a->never_completed)
		printf(" (started, never completed)");
	else if (a->exit_code < 0)
		printf(" (started, not completed: still running, or run on "
		       "another host %s)",
		       or_none(a->host));
	else if (a->exit_code >= 0)
		printf(" (exit %d)", a->exit_code);
	printf("\n");
	printf("    started   %s by %s\n", D(a->started_utc), D(a->examiner));
	printf("    finished  %s\n", or_none(a->finished_utc));
	if (a->message)
		printf("    message   %s\n", D(a->message));
	printf("    source    %s (%s), %" PRIu64 " bytes from offset %" PRIu64
	       ", sectors %u/%u\n",
	       or_none(a->source_path), or_none(a->source_kind),
	       a->source_size, a->source_offset, a->logical_sector_size,
	       a->physical_sector_size);
	if (a->model || a->serial)
		printf("    device    model %s, serial %s\n",
		       a->model ? D(a->model) : "unknown",
		       a->serial ? D(a->serial) : "unknown");
	printf("    write block  %s%s\n", or_none(a->write_block_state),
	       a->no_write_block ? " (--no-write-block given)" : "");
	printf("    format    %s   tool %s %s on %s\n", or_none(a->format),
	       or_none(a->tool_name), or_none(a->tool_version),
	       or_none(a->host));
	printf("    command   %s\n", or_none(a->command_line));
	if (a->md5)
		printf("    md5       %s\n", D(a->md5));
	if (a->sha1)
		printf("    sha1      %s\n", D(a->sha1));
	if (a->sha256)
		printf("    sha256    %s\n", D(a->sha256));
	if (a->md5 || a->sha256)
		printf("    over      %" PRIu64 " bytes\n", a->bytes);
	printf("    outputs\n");
	sh->rc = fg_casedb_outputs_each(sh->db, a->id, show_output, sh,
					sh->err);
	if (sh->rc != FG_OK)
		return 1;
	sh->count = sh->sectors = 0;
	printf("    bad ranges\n");
	sh->rc = fg_casedb_bad_ranges_each(sh->db, a->id, show_bad, sh,
					   sh->err);
	if (sh->rc != FG_OK)
		return 1;
	if (sh->count == 0)
		printf("      none\n");
	else
		printf("      %" PRIu64 " range(s), %" PRIu64
		       " sector(s) filled%s\n",
		       sh->count, sh->sectors,
		       sh->count > 20 ? " (first 20 shown; --json has all)"
				      : "");
	sh->count = 0;
	sh->rc = fg_casedb_hash_windows_each(sh->db, a->id, show_window, sh,
					     sh->err);
	if (sh->rc != FG_OK)
		return 1;
	if (sh->count > 0)
		printf("    hash windows  %" PRIu64 " of %" PRIu64
		       " bytes (SHA-256)\n",
		       sh->count, sh->wsize);
	return 0;
}

/* A verified hash's outcome.  The table keeps match 1/0 only; a 0 whose
 * computed value is a sentence (verify settled it another way, e.g. "not
 * recomputed: the SHA-256 of the same file matches") was not compared. */
static const char *vhash_outcome(const struct fg_casedb_verify_hash *h)
{
	const char *c = h->computed;

	if (h->match)
		return "match";
	if (c == NULL)
		return "not computed";
	if (h->expected == NULL)
		return "nothing expected";
	for (; *c != '\0'; c++)
		if (!strchr("0123456789abcdefABCDEF", *c))
			return "not compared";
	return "MISMATCH";
}

/* One hash a verification compared: which digest of what, against which
 * expected value from where, as forage verify prints it.  Rows from before
 * schema version 2 do not say which digest (what) nor where the expected
 * value came from. */
static int show_vhash(void *ctx, const struct fg_casedb_verify_hash *h)
{
	struct show *sh = ctx;

	sh->count++;
	if (h->what != NULL)
		printf("      %s of %s: %s\n", D(h->algorithm), D(h->what),
		       vhash_outcome(h));
	else
		printf("      %s of %s%s (which digest: not recorded): %s\n",
		       D(h->algorithm), h->file != NULL ? "file " : "the media",
		       h->file != NULL ? D(h->file) : "", vhash_outcome(h));
	printf("        expected  %s  from %s\n", or_none(h->expected),
	       h->source != NULL ? D(h->source) : "(not recorded)");
	printf("        computed  %s\n", or_none(h->computed));
	return 0;
}

static int show_verif(void *ctx, const struct fg_casedb_verification_row *v)
{
	struct show *sh = ctx;

	printf("  Verification %" PRId64 ": %s (exit %d)\n", v->id,
	       D(v->v.result), v->v.exit_code);
	printf("    when      %s to %s by %s\n", D(v->v.started_utc),
	       D(v->v.finished_utc), D(v->examiner));
	if (v->v.acquisition_id > 0)
		printf("    of        acquisition %" PRId64 "\n",
		       v->v.acquisition_id);
	printf("    checked   %s\n", or_none(v->v.target));
	printf("    method    %s\n", or_none(v->v.method));
	if (v->v.message)
		printf("    message   %s\n", D(v->v.message));
	printf("    hashes\n");
	sh->count = 0;
	sh->rc = fg_casedb_verify_hashes_each(sh->db, v->id, show_vhash, sh,
					      sh->err);
	if (sh->rc != FG_OK)
		return 1;
	if (sh->count == 0)
		printf("      none recorded\n");
	return 0;
}

static int show_custody(void *ctx, const struct fg_casedb_custody *k)
{
	int *n = ctx;

	if ((*n)++ == 0)
		printf("  Custody\n");
	printf("    %s  %s  from %s  to %s  at %s  (by %s",
	       D(k->happened_utc != NULL ? k->happened_utc : k->utc),
	       D(k->action), or_none(k->from_party), or_none(k->to_party),
	       or_none(k->location), D(k->examiner));
	if (k->happened_utc != NULL)
		printf(", entered %s", D(k->utc));
	printf(")\n");
	if (k->reason)
		printf("      reason: %s\n", D(k->reason));
	return 0;
}

static int show_amend(void *ctx, const struct fg_casedb_amendment *m)
{
	(void)ctx;
	printf("  %s amended %s by %s: was %s%s%s\n", D(m->field),
	       D(m->utc), D(m->examiner),
	       m->before != NULL ? "\"" : "(none)",
	       m->before != NULL ? D(m->before) : "",
	       m->before != NULL ? "\"" : "");
	if (m->reason != NULL)
		printf("    reason: %s\n", D(m->reason));
	return 0;
}

static int show_item(void *ctx, const struct fg_casedb_evidence *e)
{
	struct show *sh = ctx;
	int n = 0;

	printf("\nEvidence %s%s%s%s\n", D(e->evidence_id),
	       e->description ? ": " : "",
	       e->description ? D(e->description) : "",
	       e->amended ? " (amended)" : "");
	printf("  added %s by %s\n", D(e->created_utc), D(e->examiner));
	if (e->amended)
		sh->rc = fg_casedb_amendments_each(sh->db, e->case_id,
						   e->evidence_id, show_amend,
						   NULL, sh->err);
	if (sh->rc != FG_OK)
		return 1;
	sh->rc = fg_casedb_acquisitions_each(sh->db, e->case_id,
					     e->evidence_id, 0, show_acq, sh,
					     sh->err);
	if (sh->rc == FG_OK)
		sh->rc = fg_casedb_verifications_each(
			sh->db, e->case_id, e->evidence_id, show_verif, sh,
			sh->err);
	if (sh->rc == FG_OK)
		sh->rc = fg_casedb_custody_each(sh->db, e->case_id,
						e->evidence_id, show_custody,
						&n, sh->err);
	if (sh->rc == FG_OK && n == 0)
		printf("  Custody\n    none recorded\n");
	return sh->rc != FG_OK;
}

struct only_item {
	const char *want;
	struct show *sh;
	int found;
};

static int show_only(void *ctx, const struct fg_casedb_evidence *e)
{
	struct only_item *o = ctx;

	if (o->want != NULL && strcmp(o->want, e->evidence_id) != 0)
		return 0;
	o->found = 1;
	return show_item(o->sh, e);
}

struct unfiled {
	struct show *sh;
	int nocase; /* 1: those without a case; 0: without an item */
	int n;
};

static int show_unfiled(void *ctx, const struct fg_casedb_acquisition *a)
{
	struct unfiled *u = ctx;

	if (u->nocase ? a->case_id != NULL : a->evidence_id != NULL)
		return 0;
	if (u->n++ == 0)
		printf(u->nocase ? "\nAcquisitions not filed under a case (no "
				   "--case given)\n"
				 : "\nAcquisitions without an evidence id\n");
	return show_acq(u->sh, a);
}

struct show_cases {
	struct show *sh;
	const char *want_case, *want_item;
	int n;
};

static int show_case(void *ctx, const struct fg_casedb_case *k)
{
	struct show_cases *sc = ctx;
	struct only_item oi;
	struct unfiled u;
	int rc;

	if (sc->want_case != NULL && strcmp(sc->want_case, k->case_id) != 0)
		return 0;
	sc->n++;
	printf("\nCase %s%s%s%s\n", D(k->case_id),
	       k->description ? ": " : "",
	       k->description ? D(k->description) : "",
	       k->amended ? " (amended)" : "");
	printf("  created %s by %s\n", D(k->created_utc), D(k->examiner));
	if (k->amended) {
		rc = fg_casedb_amendments_each(sc->sh->db, k->case_id, NULL,
					       show_amend, NULL, sc->sh->err);
		if (rc != FG_OK) {
			sc->sh->rc = rc;
			return 1;
		}
	}
	oi.want = sc->want_item;
	oi.sh = sc->sh;
	oi.found = 0;
	rc = fg_casedb_evidence_each(sc->sh->db, k->case_id, show_only, &oi,
				     sc->sh->err);
	if (rc == FG_OK && sc->want_item == NULL) {
		u.sh = sc->sh;
		u.nocase = 0;
		u.n = 0;
		rc = fg_casedb_acquisitions_each(sc->sh->db, k->case_id, NULL,
						 0, show_unfiled, &u,
						 sc->sh->err);
	}
	if (rc != FG_OK && sc->sh->rc == FG_OK)
		sc->sh->rc = rc;
	return rc != FG_OK;
}

/* The seals stored in the database (of the whole log, whatever case or
 * item is shown): name, time, head, signed, time-stamped; the first 20
 * (--json lists them all). */
#define SHOW_SEALS 20

static int show_seal(void *ctx, const struct fg_casedb_seal *s)
{
	struct show *sh = ctx;

	if (sh->count++ == 0)
		printf("\nSeals of the event log\n");
	if (sh->count > SHOW_SEALS)
		return 0;
	printf("  %s\n    %s  event %lld, sha256 %.16s...  %s, %s\n",
	       D(s->name), D(s->utc), (long long)s->head_event,
	       D(s->head_sha256), s->signature != NULL ? "signed" : "unsigned",
	       s->tsr != NULL ? "time-stamped" : "not time-stamped");
	return 0;
}

/* The export, to standard output as it is read. */
static int put_stdout(void *ctx, const char *s, size_t n,
		      struct fg_error *err)
{
	(void)ctx;
	if (fwrite(s, 1, n, stdout) != n)
		return fg_error_set(err, FG_EOUTPUT, errno,
				    "cannot write to standard output: %s",
				    strerror(errno));
	return FG_OK;
}

static int do_show(const struct sub *s, const struct copts *c)
{
	struct fg_casedb *db = NULL;
	struct fg_error err;
	struct show sh;
	char *case_id = NULL;
	int64_t unfiled = 0;
	int rc, by_item = c->case_id == NULL && c->evidence_id != NULL;

	fg_error_clear(&err);
	rc =
	    fg_case_open_db(&db, c->db, FG_CASEDB_READONLY | NOFOLLOW(c), &err);
	/* An item is named within a case: --case, or the one case that
	 * holds it; or under no case, when acquired without --case. */
	if (rc == FG_OK && (c->case_id != NULL || c->evidence_id != NULL))
		rc = pick_case(db, c, &case_id, &unfiled, &err);
	/* Everything, or what was asked for (an unknown case or item is an
	 * error here, before anything is printed; an item named alone,
	 * wherever it is).  Text and JSON alike are printed row by row as
	 * they are read. */
	if (rc == FG_OK && c->json) {
		rc = fg_casedb_export_json_put(db, by_item ? NULL : case_id,
					       c->evidence_id,
					       FG_CASEDB_EXPORT_WINDOWS |
						       FG_CASEDB_EXPORT_RECORDS |
						       FG_CASEDB_EXPORT_EVENTS,
					       put_stdout, NULL, &err);
		if (rc == FG_OK)
			rc = put_stdout(NULL, "\n", 1, &err);
	} else if (rc == FG_OK) {
		rc = fg_casedb_check_named(db, by_item ? NULL : case_id,
					   c->evidence_id, &err);
	}
	if (rc == FG_OK && !c->json) {
		struct show_cases sc;
		struct unfiled u;

		memset(&sh, 0, sizeof(sh));
		sh.db = db;
		sh.err = &err;
		memset(&sc, 0, sizeof(sc));
		sc.sh = &sh;
		sc.want_case = case_id;
		sc.want_item = c->evidence_id;
		printf("Case database %s\n", c->db);
		if (case_id != NULL || !by_item)
			rc = fg_casedb_cases_each(db, show_case, &sc, &err);
		if (rc == FG_OK && (case_id == NULL || unfiled > 0)) {
			u.sh = &sh;
			u.nocase = 1;
			u.n = 0;
			rc = fg_casedb_acquisitions_each(
				db, NULL, by_item ? c->evidence_id : NULL, 0,
				show_unfiled, &u, &err);
			if (rc == FG_OK && sc.n == 0 && u.n == 0)
				printf("\nNothing recorded yet.\n");
		}
		sh.count = 0;
		if (rc == FG_OK)
			rc = fg_casedb_seals_each(db, show_seal, &sh, &err);
		if (rc == FG_OK && sh.count > SHOW_SEALS)
			printf("  (%" PRIu64 " seals; the first %d shown; "
			       "--json has all)\n",
			       sh.count, SHOW_SEALS);
		if (rc != FG_OK && sh.rc != FG_OK)
			rc = sh.rc;
	}
	if (rc == FG_OK && fflush(stdout) != 0)
		rc = fg_error_set(&err, FG_EOUTPUT, errno,
				  "cannot write to standard output: %s",
				  strerror(errno));
	free(case_id);
	fg_casedb_close(db);
	if (rc != FG_OK)
		return fg_case_fail(s, &err);
	return fg_tool_finish(FG_OK, NULL);
}

/* ---- custody add ------------------------------------------------------- */

/* --at TIME: RFC 3339 with its zone ("2026-12-01T14:30Z", seconds and a
 * ' ' for the 'T' optional, "+01:00" for 'Z'), not in the future, into
 * out as UTC "YYYY-MM-DDTHH:MM:SSZ". */
static int parse_at(const char *s, char *out, size_t len,
		    struct fg_error *err)
{
	struct tm tm;
	int y, mo, d, h, mi, sec = 0, n = 0, zh = 0, zm = 0, sign = 0;
	const char *p;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d%n", &y, &mo, &d, &h, &mi,
		   &n) != 5 || n == 0)
		goto bad;
	p = s + n;
	if (*p == ':') {
		n = 0;
		if (sscanf(p, ":%2d%n", &sec, &n) != 1 || n != 3)
			goto bad;
		p += n;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		n = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &zh, &zm, &n) != 2 || n != 5 ||
		    zh > 23 || zm > 59)
			goto bad;
		p += 1 + n;
	} else {
		return fg_error_set(err, FG_EINVAL, 0,
				    "--at '%s': give the time zone (Z for "
				    "UTC, or like +01:00)",
				    s);
	}
	if (*p != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60)
		goto bad;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (tm.tm_mday != d) /* 2026-02-31 */
		goto bad;
	t -= sign * (time_t)(zh * 3600 + zm * 60);
	if (t > time(NULL) + 60)
		return fg_error_set(err, FG_EINVAL, 0,
				    "--at '%s': in the future", s);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		goto bad;
	return FG_OK;
bad:
	return fg_error_set(err, FG_EINVAL, 0,
			    "--at '%s': want a time like 2026-12-01T14:30Z "
			    "or 2026-12-01T15:30:00+01:00",
			    s);
}

static int do_custody(const struct sub *s, const struct copts *c)
{
	struct fg_casedb *db = NULL;
	struct fg_casedb_custody k;
	struct fg_error err;
	char *case_id = NULL, at[32];
	int64_t id = 0;
	int rc;

	fg_error_clear(&err);
	if (c->evidence_id == NULL)
		return fg_case_bad_usage(s, "%s", "--evidence ID is required");
	if (c->action == NULL)
		return fg_case_bad_usage(s, "%s",
					 "--action ACTION is required");
	if (!fg_casedb_custody_action_valid(c->action))
		return fg_case_bad_usage(
		    s,
		    "--action '%s': want received, transferred, "
		    "checked-out, checked-in, stored, returned "
		    "or disposed",
		    c->action);
	if (c->at != NULL && parse_at(c->at, at, sizeof(at), &err) != FG_OK)
		return fg_case_bad_usage(s, "%s", err.msg);
	rc = fg_case_open_db(&db, c->db, NOFOLLOW(c), &err);
	if (rc == FG_OK)
		rc = fg_casedb_set_examiner(db, c->examiner);
	if (rc == FG_OK)
		rc = pick_case(db, c, &case_id, NULL, &err);
	if (rc == FG_OK) {
		memset(&k, 0, sizeof(k));
		k.happened_utc = c->at != NULL ? at : NULL;
		k.new_item = c->new_item;
		k.case_id = case_id;
		k.evidence_id = c->evidence_id;
		k.action = c->action;
		k.from_party = c->from;
		k.to_party = c->to;
		k.location = c->location;
		k.reason = c->reason;
		rc = fg_casedb_custody_add(db, &k, &id, &err);
	}
	if (rc == FG_OK)
		printf("custody event %" PRId64 ": %s %s/%s, recorded in %s\n",
		       id, D(c->action), D(case_id), D(c->evidence_id),
		       D(c->db));
	free(case_id);
	fg_casedb_close(db);
	if (rc != FG_OK)
		return fg_case_fail(s, &err);
	return fg_tool_finish(FG_OK, NULL);
}

/* ---- edit -------------------------------------------------------------- */

static int do_edit(const struct sub *s, const struct copts *c)
{
	struct fg_casedb *db = NULL;
	struct fg_error err;
	char *case_id = NULL;
	int64_t id = 0;
	int rc;

	fg_error_clear(&err);
	if (c->description == NULL)
		return fg_case_bad_usage(
		    s, "%s",
		    "--description TEXT is required (what to "
		    "amend)");
	rc = fg_case_open_db(&db, c->db, NOFOLLOW(c), &err);
	if (rc == FG_OK)
		rc = fg_casedb_set_examiner(db, c->examiner);
	if (rc == FG_OK)
		rc = pick_case(db, c, &case_id, NULL, &err);
	if (rc == FG_OK)
		rc = fg_casedb_amend(db, case_id, c->evidence_id, "description",
				     c->description, c->reason, &id, &err);
	if (rc == FG_OK)
		printf("amendment %" PRId64 ": description of %s%s%s amended, "
		       "recorded in %s\n",
		       id, D(case_id), c->evidence_id ? "/" : "",
		       c->evidence_id ? D(c->evidence_id) : "", D(c->db));
	free(case_id);
	fg_casedb_close(db);
	if (rc != FG_OK)
		return fg_case_fail(s, &err);
	return fg_tool_finish(FG_OK, NULL);
}

/* ---- seal and audit ---------------------------------------------------- */

int fg_cmd_case(int argc, char **argv)
{
	const struct sub *s;
	int skip = 2, rc;

	if (argc < 2) {
		usage(stderr, NULL);
		return fg_tool_finish(FG_EINVAL, "no case command given");
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout, NULL);
		return FG_EXIT_OK;
	}
	if (strcmp(argv[1], "custody") == 0) {
		if (argc < 3 || strcmp(argv[2], "add") != 0) {
			if (argc >= 3 && strcmp(argv[2], "--help") == 0) {
				usage(stdout, &subs[3]);
				return FG_EXIT_OK;
			}
			fg_tool_error("case custody", "want 'custody add'");
			usage(stderr, &subs[3]);
			return fg_tool_finish(FG_EINVAL, "bad usage");
		}
		skip = 3;
	}
	for (s = subs; s->name != NULL; s++)
		if (strncmp(s->name, argv[1], strlen(argv[1])) == 0 &&
		    (s->name[strlen(argv[1])] == '\0' ||
		     s->name[strlen(argv[1])] == ' '))
			break;
	if (s->name == NULL) {
		fg_tool_error("case", "unknown case command '%s'", argv[1]);
		usage(stderr, NULL);
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	{
		struct copts c;
		/* getopt sees "case SUB" as its program name. */
		rc = parse(s, argc - skip + 1, argv + skip - 1, &c);
		if (rc >= 0)
			return rc;
		if (strcmp(s->name, "init") == 0)
			return do_init(s, &c);
		if (strcmp(s->name, "list") == 0)
			return do_list(s, &c);
		if (strcmp(s->name, "show") == 0)
			return do_show(s, &c);
		if (strcmp(s->name, "custody add") == 0)
			return do_custody(s, &c);
		if (strcmp(s->name, "edit") == 0)
			return do_edit(s, &c);
		if (strcmp(s->name, "seal") == 0)
			return fg_case_seal(s, &c);
		if (strcmp(s->name, "export") == 0)
			return fg_case_export(s, &c);
		if (strcmp(s->name, "import") == 0)
			return fg_case_import(s, &c);
		if (strcmp(s->name, "import-record") == 0)
			return fg_case_import_record(s, &c);
		return fg_case_audit(s, &c);
	}
}
