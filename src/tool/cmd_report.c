/*
 * cmd_report.c - "forage report": read the case database (read-only), audit
 * its event log, render the report (report.h), write it to standard output
 * or to a new file, optionally with a detached signature beside it
 * (sign.h); "forage report verify-signature" checks such a signature.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <forage/casedb.h>
#include <forage/record.h>
#include <forage/report.h>
#include <forage/sign.h>

#include "tool.h"

enum {
	OPT_CASE = 256, OPT_EVIDENCE, OPT_FORMAT, OPT_CASE_DB, OPT_SIGN,
	OPT_CERT, OPT_KEY_PASS_FILE, OPT_SEAL, OPT_TSA, OPT_HELP
};

/* "text, html, json, dfxml or case-uco (default text)": the formats the
 * library knows, filled in by fg_cmd_report(). */
static char format_help[160];

static const struct fg_optdef report_opts[] = {
	{"case", required_argument, OPT_CASE, "ID",
	 "the case (may be left out when the database holds one case)"},
	{"evidence", required_argument, OPT_EVIDENCE, "ID",
	 "only this evidence item of the case"},
	{"format", required_argument, OPT_FORMAT, "FORMAT", format_help},
	{"output", required_argument, 'o', "FILE",
	 "write the report to FILE, a new file (default: standard output)"},
	{"case-db", required_argument, OPT_CASE_DB, "PATH",
	 "case database, opened read-only (default: $FORAGE_CASE_DB, else "
	 "case.db here or in the nearest parent folder that has one)"},
	{"sign", required_argument, OPT_SIGN, "KEY",
	 "sign FILE with this PEM private key: FILE.p7s (needs -o, --cert)"},
	{"cert", required_argument, OPT_CERT, "CERT",
	 "the signer's PEM certificate (--sign); the trusted one "
	 "(verify-signature)"},
	{"key-pass-file", required_argument, OPT_KEY_PASS_FILE, "FILE",
	 "pass phrase of an encrypted --sign key: FILE's first line "
	 "(else $FORAGE_KEY_PASS, else asked on the terminal)"},
	{"seal", no_argument, OPT_SEAL, NULL,
	 "then seal the event log's head with the --sign key, as forage "
	 "case seal does (beside the database and in it)"},
	{"tsa", required_argument, OPT_TSA, "URL",
	 "time-stamp the seal at this RFC 3161 authority (--seal; default: "
	 "$FORAGE_TSA_URL)"},
	{"help", no_argument, OPT_HELP, NULL, "this text"},
	{NULL, 0, 0, NULL, NULL}
};

/* The help of --format, from the library's table of formats. */
static void set_format_help(void)
{
	char list[128];

	fg_report_format_list(list, sizeof(list), " or ");
	snprintf(format_help, sizeof(format_help), "%s (default %s)", list,
		 fg_report_format_name(FG_REPORT_TEXT));
}

static void usage(FILE *to)
{
	fprintf(to, "usage: forage report [--case ID] [--evidence ID] "
		    "[--format FORMAT] [-o FILE]\n"
		    "                     [--case-db PATH] [--sign KEY "
		    "--cert CERT [--seal [--tsa URL]]]\n"
		    "       forage report verify-signature REPORT SIG "
		    "--cert CERT\n");
	if (to == stderr) {
		fprintf(to, "Try 'forage report --help'.\n");
		return;
	}
	printf("\nReport what the case database knows about a case: case and "
	       "evidence,\nexaminers, device identity, tool, host, UTC times, "
	       "sources and outputs,\nevery hash, unreadable sectors, "
	       "write-block state, verifications, the\nchain of custody and "
	       "the audit of the event log.  Facts the database does\nnot "
	       "hold read \"unknown\".  The signature is a detached CMS "
	       "signature in\nDER (openssl cms -verify -binary -inform DER).\n"
	       "PDF is the HTML report printed by headless Chromium (the "
	       "Debian package\nchromium, or $FORAGE_CHROMIUM).\n"
	       "\nOptions:\n");
	fg_tool_print_options(report_opts);
	printf("\nExit: 0 done (signature good), 1 the event log is broken "
	       "(the report says\nwhere) or the signature is bad, 2 trouble "
	       "(usage, database, output, cannot\ncheck).  See forage(1).\n");
}

/* "forage report: what[: 'arg']", the usage line, exit 2. */
static int bad_usage(const char *what, const char *arg)
{
	if (arg != NULL)
		fg_tool_error("report", "%s: '%s'", what, arg);
	else
		fg_tool_error("report", "%s", what);
	usage(stderr);
	return fg_tool_finish(FG_EINVAL, "bad usage");
}

struct ropts {
	const char *case_id, *evidence_id, *format, *output, *db, *key,
		*cert, *key_pass_file, *tsa;
	int seal;
};

static int verify_signature(int argc, char **argv, const char *cert)
{
	struct fg_sign_info info;
	struct fg_error err;
	int rc;

	if (argc != 2 || cert == NULL)
		return bad_usage(argc != 2 ? "verify-signature wants "
					     "REPORT and SIG"
					   : "verify-signature needs --cert "
					     "CERT",
				 NULL);
	fg_error_clear(&err);
	rc = fg_sign_verify(argv[0], argv[1], cert, &info, &err);
	if (rc == FG_OK) {
		printf("%s: good signature by %s%s%s, checked against %s\n",
		       argv[0], info.signer[0] ? info.signer : "(unknown)",
		       info.signing_time[0] ? ", signed " : "",
		       info.signing_time, cert);
		return fg_tool_finish(FG_OK, NULL);
	}
	if (rc == FG_EMISMATCH)
		printf("%s: BAD signature\n", argv[0]);
	fg_tool_error("report verify-signature", "%s", err.msg);
	return fg_tool_finish(rc, rc == FG_EMISMATCH ? "bad signature"
						     : err.msg);
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int write_report(const struct ropts *o, const char *text, size_t len,
			struct fg_error *err)
{
	char *sigpath = NULL;
	int written = 0, rc;

	if (o->output == NULL) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
			return fg_error_set(err, FG_EOUTPUT, 0,
					    "cannot write the report to "
					    "standard output");
		return FG_OK;
	}
	struct fg_key_pass kp = {o->key, o->key_pass_file};

	rc = fg_sign_write_file_pass(o->output, text, len, o->key, o->cert,
				     fg_tool_key_pass, &kp, &sigpath,
				     &written, err);
	if (rc != FG_OK && written)
		fg_tool_error("report",
			      "the report %s was written but not its "
			      "signature",
			      o->output);
	if (rc == FG_OK) {
		fprintf(stderr, "report: %s\n", o->output);
		if (sigpath != NULL)
			fprintf(stderr, "signature: %s (CMS, DER, detached)\n",
				sigpath);
	}
	free(sigpath);
	return rc;
}

static int report_main(struct ropts *o)
{
	struct fg_casedb *db = NULL;
	struct fg_casedb_audit a;
	struct fg_report_input in;
	struct fg_error err, aerr;
	enum fg_report_format fmt = FG_REPORT_TEXT;
	char *export_json = NULL, *text = NULL, *only = NULL;
	size_t len = 0;
	int64_t ncases = 0;
	int rc;

	fg_error_clear(&err);
	if (o->format != NULL &&
	    fg_report_format_parse(o->format, &fmt, &err) != FG_OK)
		return bad_usage(err.msg, NULL);
	if (o->output != NULL && exists(o->output)) {
		fg_tool_error("report", "%s: exists already; forage never "
					"overwrites",
			      o->output);
		return fg_tool_finish(FG_EEXIST, "output exists");
	}
	fg_tool_signals();
	rc = fg_casedb_open_stop(&db, o->db, FG_CASEDB_READONLY, &fg_tool_stop,
				 &err);
	if (rc == FG_OK && o->case_id == NULL) {
		rc = fg_casedb_only_case(db, &only, &ncases, &err);
		if (rc == FG_OK && only == NULL)
			rc = fg_error_set(&err, FG_EINVAL, 0,
					  ncases == 0
						  ? "%s holds no case: "
						    "nothing to report"
						  : "%s holds several cases: "
						    "give --case",
					  o->db);
		o->case_id = only;
	}
	if (rc == FG_OK)
		rc = fg_report_input_from_casedb(db, o->case_id, o->evidence_id,
						 &in, &export_json, &a, &aerr,
						 &err);
	if (rc == FG_OK)
		rc = fg_report_render(&in, fmt, &text, &len, &err);
	if (rc == FG_OK)
		rc = write_report(o, text, len, &err);
	fg_casedb_close(db);
	free(export_json);
	free(text);
	if (rc != FG_OK) {
		free(only);
		fg_tool_error("report", "%s", err.msg);
		return fg_tool_finish(rc == FG_EMISMATCH ? FG_EINVAL : rc,
				      err.msg);
	}
	free(only);
	/* Sealed as it is signed: the head of an intact log (a broken one
	 * is not sealed, and the exit below says why). */
	if (o->seal && in.audit.state == FG_REPORT_AUDIT_INTACT) {
		struct fg_tool_seal ts = {1, o->key, o->cert, o->key_pass_file,
					  o->tsa};
		fg_error_clear(&err);
		rc = fg_tool_seal_path(o->db, &ts, NULL, stderr, &err);
		if (rc != FG_OK) {
			fg_tool_error("report", "the report was written, not "
						"the seal: %s",
				      err.msg);
			return fg_tool_finish(rc == FG_EMISMATCH ? FG_EINVAL
								 : rc,
					      err.msg);
		}
	} else if (o->seal) {
		fg_tool_error("report", "not sealed: the event log is not "
					"intact");
	}
	/* The report is out; a broken event log is still a failed check. */
	if (in.audit.state == FG_REPORT_AUDIT_BROKEN) {
		char why[1200];
		if (in.audit.first_bad_id == 0)
			snprintf(why, sizeof(why), "event log broken: %s",
				 in.audit.problem != NULL ? in.audit.problem
							  : a.problem);
		else
			snprintf(why, sizeof(why),
				 "event log broken at event %" PRId64 ": %s",
				 a.first_bad_id, a.problem);
		fg_tool_error("report", "%s (the report says so)", why);
		return fg_tool_finish(FG_EMISMATCH, why);
	}
	if (in.audit.state == FG_REPORT_AUDIT_FAILED) {
		fg_tool_error("report", "the event log could not be audited: "
					"%s (the report says so)",
			      aerr.msg);
		return fg_tool_finish(aerr.code ? aerr.code : FG_EDB,
				      "event log not audited");
	}
	return fg_tool_finish(FG_OK, NULL);
}

int fg_cmd_report(int argc, char **argv)
{
	struct ropts o;
	int c, verify = 0;

	memset(&o, 0, sizeof(o));
	set_format_help();
	o.db = getenv("FORAGE_CASE_DB");
	if (argc >= 2 && strcmp(argv[1], "verify-signature") == 0) {
		verify = 1;
		argc--;
		argv++;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:",
				fg_tool_longopts(report_opts), NULL)) != -1) {
		switch (c) {
		case OPT_CASE: o.case_id = optarg; break;
		case OPT_EVIDENCE: o.evidence_id = optarg; break;
		case OPT_FORMAT: o.format = optarg; break;
		case 'o': o.output = optarg; break;
		case OPT_CASE_DB: o.db = optarg; break;
		case OPT_SIGN: o.key = optarg; break;
		case OPT_CERT: o.cert = optarg; break;
		case OPT_KEY_PASS_FILE: o.key_pass_file = optarg; break;
		case OPT_SEAL: o.seal = 1; break;
		case OPT_TSA: o.tsa = optarg; break;
		case OPT_HELP: usage(stdout); return FG_EXIT_OK;
		default:
			return bad_usage("unknown option or missing argument",
					 argv[optind - 1]);
		}
	}
	if (verify) {
		if (o.case_id || o.evidence_id || o.format || o.output ||
		    o.key || o.key_pass_file || o.seal || o.tsa)
			return bad_usage("verify-signature takes only "
					 "REPORT SIG --cert CERT",
					 NULL);
		return verify_signature(argc - optind, argv + optind, o.cert);
	}
	if (optind != argc)
		return bad_usage("unexpected argument", argv[optind]);
	if (o.key_pass_file != NULL && o.key == NULL)
		return bad_usage("--key-pass-file goes with --sign KEY", NULL);
	if ((o.key != NULL) != (o.cert != NULL))
		return bad_usage("--sign KEY and --cert CERT go together",
				 NULL);
	if (o.seal && o.key == NULL)
		return bad_usage("--seal needs --sign KEY and --cert CERT: a "
				 "seal is signed with the examiner's key (an "
				 "unsigned one: forage case seal)",
				 NULL);
	if (o.tsa != NULL && !o.seal)
		return bad_usage("--tsa goes with --seal", NULL);
	if (o.key != NULL && o.output == NULL)
		return bad_usage("--sign needs -o FILE (the signature is "
				 "written to FILE.p7s)",
				 NULL);
	if (o.evidence_id != NULL && o.case_id == NULL)
		return bad_usage("--evidence needs --case", NULL);
	o.db = fg_tool_case_db(o.db, NULL);
	return report_main(&o);
}
