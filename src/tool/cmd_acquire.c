/*
 * cmd_acquire.c - "forage acquire": options to struct fg_acquire_opts, then
 * fg_acquire_run, then the closing line.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <forage/acquire.h>
#include <forage/hash.h>

#include "tool.h"

enum {
	OPT_FORMAT = 256, OPT_CASE, OPT_EVIDENCE, OPT_EXAMINER,
	OPT_DESCRIPTION, OPT_NOTES, OPT_CASE_DB, OPT_HASH, OPT_RETRIES,
	OPT_FILL, OPT_SEGMENT_SIZE, OPT_COMPRESSION, OPT_EWF_FORMAT,
	OPT_OFFSET, OPT_LENGTH, OPT_VERIFY, OPT_VERIFY_SOURCE, OPT_MAPFILE,
	OPT_RESUME, OPT_SECOND_OUTPUT, OPT_HASH_WINDOW, OPT_THREADS,
	OPT_NO_WRITE_BLOCK, OPT_PROGRESS, OPT_JSON, OPT_BLOCK_SIZE, OPT_HELP,
	OPT_PROFILE, OPT_CHUNK_SIZE, OPT_SEAL, OPT_SIGN, OPT_CERT, OPT_TSA
};

static const struct fg_optdef acquire_opts[] = {
	{"output", required_argument, 'o', "OUTBASE",
	 "base name of the outputs (OUTBASE.raw/.E01, .json, .txt, .md5, "
	 ".sha256; a .E01 or .raw given is dropped)"},
	{"format", required_argument, OPT_FORMAT, "e01|raw",
	 "evidence container, in any case (default e01)"},
	{"case", required_argument, OPT_CASE, "ID", "case number"},
	{"evidence", required_argument, OPT_EVIDENCE, "ID", "evidence number"},
	{"examiner", required_argument, OPT_EXAMINER, "NAME",
	 "examiner (default: $FORAGE_EXAMINER)"},
	{"description", required_argument, OPT_DESCRIPTION, "TEXT",
	 "what the evidence is"},
	{"notes", required_argument, OPT_NOTES, "TEXT", "free notes"},
	{"case-db", required_argument, OPT_CASE_DB, "PATH",
	 "case database (default: $FORAGE_CASE_DB, else case.db of the "
	 "output folder or its nearest parent that has one, else a new one "
	 "beside the outputs)"},
	{"hash", required_argument, OPT_HASH, "LIST",
	 "digests: md5,sha256[,sha1] (default md5,sha256)"},
	{"retries", required_argument, OPT_RETRIES, "N",
	 "extra reads of a failing sector before it is filled (default 3)"},
	{"fill", required_argument, OPT_FILL, "zero|0xHH",
	 "byte for unreadable sectors (default zero)"},
	{"segment-size", required_argument, OPT_SEGMENT_SIZE, "SIZE",
	 "split the image into files of at most SIZE (e.g. 2G)"},
	{"compression", required_argument, OPT_COMPRESSION,
	 "none|empty-block|fast|best", "E01 compression (default fast)"},
	{"ewf-format", required_argument, OPT_EWF_FORMAT, "NAME",
	 "E01 flavour (default encase6)"},
	{"chunk-size", required_argument, OPT_CHUNK_SIZE, "SIZE|auto",
	 "E01 chunk size (default auto: 32K, more past 64G)"},
	{"offset", required_argument, OPT_OFFSET, "N",
	 "start at byte N of the source"},
	{"length", required_argument, OPT_LENGTH, "N",
	 "acquire N bytes (default: to the end)"},
	{"block-size", required_argument, OPT_BLOCK_SIZE, "SIZE",
	 "size of the large reads (default 1M)"},
	{"hash-window", required_argument, OPT_HASH_WINDOW, "SIZE",
	 "also SHA-256 every SIZE bytes (default raw: 64M, more over "
	 "1T; e01: 0)"},
	{"verify", no_argument, OPT_VERIFY, NULL,
	 "re-read the written evidence and compare hashes"},
	{"verify-source", no_argument, OPT_VERIFY_SOURCE, NULL,
	 "re-read the source afterwards and compare hashes"},
	{"mapfile", required_argument, OPT_MAPFILE, "PATH",
	 "keep a GNU ddrescue mapfile of what was read"},
	{"resume", no_argument, OPT_RESUME, NULL,
	 "continue the run the mapfile describes, in its case"},
	{"second-output", required_argument, OPT_SECOND_OUTPUT, "OUTBASE2",
	 "write an identical second copy in the same pass"},
	{"threads", required_argument, OPT_THREADS, "N",
	 "compression threads (default: all cores)"},
	{"no-write-block", no_argument, OPT_NO_WRITE_BLOCK, NULL,
	 "do NOT set the kernel read-only flag (recorded)"},
	{"progress", required_argument, OPT_PROGRESS, "auto|bar|json|none",
	 "progress on stderr (default auto: a bar on a terminal)"},
	{"json", no_argument, OPT_JSON, NULL,
	 "print the acquisition record as JSON on stdout"},
	{"profile", required_argument, OPT_PROFILE, "NAME|FILE",
	 "settings from forensics-profiles/NAME.profile (command line wins)"},
	{"seal", no_argument, OPT_SEAL, NULL,
	 "at the end, seal the case database's log with the --sign key, as "
	 "forage case seal does"},
	{"sign", required_argument, OPT_SIGN, "KEY",
	 "the examiner's PEM private key for --seal (needs --cert)"},
	{"cert", required_argument, OPT_CERT, "CERT",
	 "the certificate of the --sign key (PEM)"},
	{"tsa", required_argument, OPT_TSA, "URL",
	 "time-stamp the seal at this RFC 3161 authority (default: "
	 "$FORAGE_TSA_URL)"},
	{"help", no_argument, OPT_HELP, NULL, "this text"},
	{NULL, 0, 0, NULL, NULL}
};

static void usage(FILE *to)
{
	if (to == stderr) {
		fg_tool_say("usage", "usage: forage acquire SOURCE -o OUTBASE "
				     "[options]\nTry 'forage acquire --help'.");
		return;
	}
	fprintf(to, "usage: forage acquire SOURCE -o OUTBASE [options]\n");
	printf("\nRead SOURCE (a block device or a file) without changing it, "
	       "hash it with\nMD5 and SHA-256 in the same pass, and write "
	       "evidence and its record.\n\nOptions:\n");
	fg_tool_print_options(acquire_opts);
	printf("\nExit: 0 success, 1 a check failed, 2 trouble (usage, "
	       "source, output),\n3 finished with unreadable sectors, "
	       "4 interrupted.\nSee forage(1).\n");
}

struct ui {
	enum fg_progress_mode mode;
};

static void ui_warn(void *ctx, const char *msg)
{
	struct ui *u = ctx;

	if (u->mode == FG_PROGRESS_BAR)
		fputc('\n', stderr);
	fg_tool_say("warning", "forage acquire: warning: %s", msg);
}

static void ui_progress(void *ctx, const struct fg_progress *p)
{
	struct ui *u = ctx;

	fg_tool_progress(u->mode, p);
}

/* The profile in use, to say which file and line a bad value came from. */
static const struct fg_profile *cur_profile;

static int bad_arg(const char *opt, const char *val, const char *why)
{
	char where[4200];

	/* Profile arguments sit at argv[1 .. profile argc]. */
	if (fg_profile_origin(cur_profile, optind - 2, where, sizeof(where)))
		fg_tool_error("acquire", "%s: key '%s': bad value '%s': %s",
			      where, opt, val, why);
	else
		fg_tool_error("acquire", "--%s '%s': %s", opt, val, why);
	usage(stderr);
	return fg_tool_finish(FG_EINVAL, "bad usage");
}

/* What the verb allocates, freed in one place whatever way it returns. */
struct acq_mem {
	struct fg_profile prof;
	char **all;
	char *cmdline;
	char *mapfile_auto;
	char *outbase, *second_outbase; /* without their extension */
};

static int acquire_main(int argc, char **argv, struct acq_mem *m);

/* The image name's extension forage adds itself, for each format. */
static const struct {
	const char *format, *ext;
} image_exts[] = {
	{"e01", ".e01"}, {"e01", ".s01"}, {"raw", ".raw"},
};

/* -o ev/HD1.E01: the extension the format adds is dropped (*outbase made
 * a copy in *own); one another format adds is refused. */
static int outbase_ext(const char *opt, const char **outbase,
		       const char *format, char **own)
{
	size_t n = strlen(*outbase), i, el;

	for (i = 0; i < sizeof(image_exts) / sizeof(image_exts[0]); i++) {
		el = strlen(image_exts[i].ext);
		if (n <= el || strcasecmp(*outbase + n - el,
					  image_exts[i].ext) != 0)
			continue;
		if (strcmp(image_exts[i].format, format) != 0) {
			fg_tool_error("acquire",
				      "%s '%s': ends in %s, an extension of "
				      "--format %s, but the format is %s: "
				      "give the base name (forage adds the "
				      "extension) or --format %s",
				      opt, *outbase, *outbase + n - el,
				      image_exts[i].format, format,
				      image_exts[i].format);
			return fg_tool_finish(FG_EINVAL, "bad usage");
		}
		*own = strndup(*outbase, n - el);
		if (*own == NULL)
			return fg_tool_finish(FG_ENOMEM, "out of memory");
		*outbase = *own;
		return -1;
	}
	return -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files an interrupted run left under OUTBASE (its record, its text
 * record, its .incomplete image, files or folder), sorted, added to
 * list[*n] (room for cap); each malloc'd. */
static void left_behind(const char *outbase, char **list, size_t *n,
			size_t cap)
{
	const char *slash = strrchr(outbase, '/');
	const char *base = slash != NULL ? slash + 1 : outbase;
	size_t dlen = slash != NULL ? (size_t)(slash - outbase) + 1 : 0;
	size_t blen = strlen(base);
	char dir[4096];
	struct dirent *e;
	DIR *d;

	if (dlen >= sizeof(dir))
		return;
	memcpy(dir, outbase, dlen);
	dir[dlen] = '\0';
	d = opendir(dlen > 0 ? dir : ".");
	if (d == NULL)
		return;
	while (*n < cap && (e = readdir(d)) != NULL) {
		const char *rest = e->d_name + blen + 1;
		size_t rlen;
		if (strncmp(e->d_name, base, blen) != 0 ||
		    e->d_name[blen] != '.')
			continue;
		rlen = strlen(rest);
		if (strcmp(rest, "json") != 0 && strcmp(rest, "txt") != 0 &&
		    (rlen < 11 || strcmp(rest + rlen - 11, ".incomplete") != 0))
			continue;
		list[*n] = malloc(dlen + strlen(e->d_name) + 1);
		if (list[*n] == NULL)
			break;
		memcpy(list[*n], dir, dlen);
		memcpy(list[*n] + dlen, e->d_name, strlen(e->d_name) + 1);
		(*n)++;
	}
	closedir(d);
}

/* After an interrupted run, how to go on: a raw image with a mapfile (and
 * the record of the run) is continued by the same command with --resume,
 * shell-quoted as given; anything else starts again, once the files the
 * run left are out of the way. */
static void how_to_go_on(const struct fg_acquire_opts *o,
			 const struct fg_acquire_result *res,
			 const char *cmdline, int resume_given)
{
	char *list[64], why[128];
	size_t n = 0, i;

	if (cmdline == NULL)
		return;
	if (strcmp(o->format, "raw") == 0 && o->mapfile != NULL &&
	    access(o->mapfile, F_OK) == 0 && res->record_path[0] != '\0') {
		fg_tool_say("resume", "to continue where it stopped, run:\n"
				      "  %s%s",
			    cmdline, resume_given ? "" : " --resume");
		return;
	}
	left_behind(o->outbase, list, &n, sizeof(list) / sizeof(list[0]));
	if (o->second_outbase != NULL)
		left_behind(o->second_outbase, list, &n,
			    sizeof(list) / sizeof(list[0]));
	if (o->mapfile != NULL && access(o->mapfile, F_OK) == 0 &&
	    n < sizeof(list) / sizeof(list[0]) &&
	    (list[n] = strdup(o->mapfile)) != NULL)
		n++;
	qsort(list, n, sizeof(list[0]), by_name);
	if (strcmp(o->format, "raw") != 0)
		snprintf(why, sizeof(why), "--format %s cannot be resumed "
			 "(raw with --mapfile can)", o->format);
	else if (o->mapfile == NULL)
		snprintf(why, sizeof(why), "it kept no --mapfile of what was "
			 "read");
	else
		snprintf(why, sizeof(why), "it stopped before its record and "
			 "mapfile were written");
	if (n == 0) {
		fg_tool_say("restart", "this run cannot be continued: %s;\n"
			    "it left nothing in the way: to start again, "
			    "run the same command", why);
		return;
	}
	fg_tool_say("restart", "this run cannot be continued: %s;\nto start "
		    "again, move away (or delete) what it left, then run the "
		    "same command%s:", why,
		    resume_given ? " without --resume" : "");
	for (i = 0; i < n; i++) {
		fg_tool_say("restart", "  %s", list[i]);
		free(list[i]);
	}
}

int fg_cmd_acquire(int argc, char **argv)
{
	struct acq_mem m;
	int rc;

	memset(&m, 0, sizeof(m));
	rc = acquire_main(argc, argv, &m);
	fg_profile_free(&m.prof);
	free(m.all);
	free(m.cmdline);
	free(m.mapfile_auto);
	free(m.outbase);
	free(m.second_outbase);
	cur_profile = NULL;
	return rc;
}

/* --seal: the case database's log, once the acquisition is in it.  A
 * seal that fails makes a run that succeeded exit 2 (the evidence is
 * written; the message says so). */
static void seal_at_end(const struct fg_tool_seal *ts,
			const struct fg_acquire_opts *o,
			const struct fg_acquire_result *res, int *status,
			struct fg_error *err)
{
	struct fg_error e;
	int rc;

	if (res->case_db[0] == '\0') {
		fg_tool_error("acquire", "not sealed: the acquisition is in no "
					 "case database");
		if (*status == FG_OK)
			*status = fg_error_set(err, FG_EDB, 0,
					       "not sealed: no case database");
		return;
	}
	fg_error_clear(&e);
	rc = fg_tool_seal_path(res->case_db, ts, o->examiner, stderr, &e);
	if (rc != FG_OK) {
		fg_tool_error("acquire", "the evidence is written, not the "
					 "seal: %s",
			      e.msg);
		if (*status == FG_OK)
			*status = fg_error_set(err,
					       rc == FG_EMISMATCH ? FG_EDB : rc,
					       0, "not sealed: %s", e.msg);
	}
}

static int acquire_main(int argc, char **argv, struct acq_mem *m)
{
	struct fg_acquire_opts o;
	struct fg_acquire_result res;
	struct fg_error err;
	struct fg_tool_seal ts;
	struct ui u;
	const char *progress = "auto";
	const char *profile_name;
	const char *env_examiner = getenv("FORAGE_EXAMINER");
	const char *env_case_db = getenv("FORAGE_CASE_DB");
	int json = 0, c, status, i, rc, resume_given = 0;

	fg_acquire_opts_init(&o);
	fg_error_clear(&err);
	memset(&ts, 0, sizeof(ts));
	o.examiner = env_examiner;
	o.case_db = env_case_db;
	/* The command line as given (no profile), to say how to resume. */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--resume") == 0)
			resume_given = 1;
		else if (strcmp(argv[i], "--") == 0)
			break;
	/* A profile's settings go first, so the command line wins. */
	m->cmdline = fg_tool_command_line(argc + 1, argv - 1);
	profile_name = fg_profile_find_arg(argc, argv);
	if (profile_name != NULL) {
		char perr[4400];
		if (fg_profile_load(&m->prof, profile_name, acquire_opts, perr,
				    sizeof(perr)) != 0) {
			fg_tool_error("acquire", "%s", perr);
			return fg_tool_finish(FG_EINVAL, "bad profile");
		}
		m->all = calloc((size_t)(argc + m->prof.argc + 1),
				sizeof(*m->all));
		if (m->all == NULL)
			return fg_tool_finish(FG_ENOMEM, "out of memory");
		m->all[0] = argv[0];
		for (i = 0; i < m->prof.argc; i++)
			m->all[1 + i] = m->prof.argv[i];
		for (i = 1; i < argc; i++)
			m->all[m->prof.argc + i] = argv[i];
		argc += m->prof.argc;
		argv = m->all;
		cur_profile = &m->prof;
		o.profile_name = m->prof.name;
		o.profile_sha256 = m->prof.sha256;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:",
				fg_tool_longopts(acquire_opts), NULL)) != -1) {
		unsigned uval;
		uint64_t sz;

		switch (c) {
		case 'o': o.outbase = optarg; break;
		case OPT_FORMAT: {
			/* E01 or e01 alike. */
			static char fmt[16];
			size_t k;
			for (k = 0; optarg[k] != '\0' && k + 1 < sizeof(fmt);
			     k++)
				fmt[k] = (char)tolower((unsigned char)optarg[k]);
			fmt[k] = '\0';
			if (optarg[k] != '\0' || fg_sink_format(fmt) == NULL)
				return bad_arg("format", optarg,
					       "known formats: e01, raw");
			o.format = fmt;
			break;
		}
		case OPT_CASE: o.case_id = optarg; break;
		case OPT_EVIDENCE: o.evidence_id = optarg; break;
		case OPT_EXAMINER: o.examiner = optarg; break;
		case OPT_DESCRIPTION: o.description = optarg; break;
		case OPT_NOTES: o.notes = optarg; break;
		case OPT_CASE_DB: o.case_db = optarg; break;
		case OPT_HASH:
			if (fg_hash_parse_list(optarg, &o.hash_mask, &err) !=
			    FG_OK)
				return bad_arg("hash", optarg, err.msg);
			break;
		case OPT_RETRIES:
			if (fg_parse_uint(optarg, &uval) != 0 || uval > 1000)
				return bad_arg("retries", optarg,
					       "want a number from 0 to 1000");
			o.retries = uval;
			break;
		case OPT_FILL:
			if (strcmp(optarg, "zero") == 0) {
				o.fill_byte = 0;
			} else {
				char *end;
				unsigned long v = strtoul(optarg, &end, 16);
				if (strncmp(optarg, "0x", 2) != 0 ||
				    *end != '\0' || v > 255 ||
				    strlen(optarg) < 3)
					return bad_arg("fill", optarg,
						       "want zero or a byte "
						       "0x00..0xff");
				o.fill_byte = (int)v;
			}
			break;
		case OPT_SEGMENT_SIZE:
			if (fg_parse_size(optarg, &sz) != 0 || sz < 512)
				return bad_arg("segment-size", optarg,
					       "want a size such as 650M or "
					       "2G (at least 512)");
			o.segment_size = sz;
			break;
		case OPT_CHUNK_SIZE:
			if (strcmp(optarg, "auto") == 0)
				sz = 0;
			else if (fg_parse_size(optarg, &sz) != 0 || sz == 0)
				return bad_arg("chunk-size", optarg,
					       "want a size such as 64K, "
					       "or auto");
			o.ewf.chunk_size = sz;
			break;
		case OPT_COMPRESSION: o.ewf.compression = optarg; break;
		case OPT_EWF_FORMAT: o.ewf.ewf_format = optarg; break;
		case OPT_OFFSET:
			if (fg_parse_size(optarg, &o.offset) != 0)
				return bad_arg("offset", optarg,
					       "want a byte count");
			break;
		case OPT_LENGTH:
			if (fg_parse_size(optarg, &o.length) != 0 ||
			    o.length == 0)
				return bad_arg("length", optarg,
					       "want a byte count > 0");
			break;
		case OPT_BLOCK_SIZE:
			if (fg_parse_size(optarg, &sz) != 0 || sz < 4096 ||
			    sz > (64u << 20) || sz % 4096 != 0)
				return bad_arg("block-size", optarg,
					       "want a multiple of 4096 up "
					       "to 64M");
			o.block_size = (size_t)sz;
			break;
		case OPT_HASH_WINDOW:
			if (fg_parse_size(optarg, &sz) != 0 ||
			    (sz < 4096 && sz != 0))
				return bad_arg("hash-window", optarg,
					       "want a size of at least 4K, "
					       "or 0 for none");
			o.hash_window = sz;
			break;
		case OPT_VERIFY: o.verify = 1; break;
		case OPT_VERIFY_SOURCE: o.verify_source = 1; break;
		case OPT_MAPFILE: o.mapfile = optarg; break;
		case OPT_RESUME: o.resume = 1; break;
		case OPT_SECOND_OUTPUT: o.second_outbase = optarg; break;
		case OPT_THREADS:
			if (fg_parse_uint(optarg, &uval) != 0 || uval > 256)
				return bad_arg("threads", optarg,
					       "want a number from 0 to 256");
			o.threads = uval;
			break;
		case OPT_NO_WRITE_BLOCK: o.no_write_block = 1; break;
		case OPT_PROGRESS:
			if (fg_tool_progress_mode(optarg, &u.mode) != 0)
				return bad_arg("progress", optarg,
					       "want auto, bar, json or none");
			progress = optarg;
			break;
		case OPT_JSON: json = 1; break;
		case OPT_PROFILE: break; /* read above */
		case OPT_SEAL: ts.seal = 1; break;
		case OPT_SIGN: ts.key = optarg; break;
		case OPT_CERT: ts.cert = optarg; break;
		case OPT_TSA: ts.tsa = optarg; break;
		case OPT_HELP: usage(stdout); return FG_EXIT_OK;
		default:
			fg_tool_bad_option("acquire", argv);
			usage(stderr);
			return fg_tool_finish(FG_EINVAL, "bad usage");
		}
	}
	if (optind != argc - 1 || o.outbase == NULL) {
		fg_tool_error("acquire", optind >= argc
						 ? "no SOURCE given"
						 : (optind < argc - 1
							    ? "more than one SOURCE given"
							    : "no -o OUTBASE given"));
		usage(stderr);
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	if ((rc = outbase_ext("-o", &o.outbase, o.format, &m->outbase)) >= 0)
		return rc;
	if (o.second_outbase != NULL &&
	    (rc = outbase_ext("--second-output", &o.second_outbase, o.format,
			      &m->second_outbase)) >= 0)
		return rc;
	if (fg_tool_seal_usage("acquire", &ts) != 0)
		return fg_tool_finish(FG_EINVAL, "bad usage");
	if (o.resume && o.mapfile == NULL) {
		fg_tool_error("acquire", "--resume needs --mapfile PATH");
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	/* A resumed run's examiner and case database are the interrupted
	 * run's (its record), not those of the environment. */
	if (o.resume && o.examiner == env_examiner)
		o.examiner = NULL;
	if (o.resume && o.case_db == env_case_db)
		o.case_db = NULL;
	if (fg_tool_progress_mode(progress, &u.mode) != 0)
		return bad_arg("progress", progress,
			       "want auto, bar, json or none");
	/* "--mapfile auto" (profiles): OUTBASE.mapfile beside the image. */
	if (o.mapfile != NULL && strcmp(o.mapfile, "auto") == 0) {
		size_t n = strlen(o.outbase);
		m->mapfile_auto = malloc(n + sizeof(".mapfile"));
		if (m->mapfile_auto == NULL)
			return fg_tool_finish(FG_ENOMEM, "out of memory");
		memcpy(m->mapfile_auto, o.outbase, n);
		memcpy(m->mapfile_auto + n, ".mapfile", sizeof(".mapfile"));
		o.mapfile = m->mapfile_auto;
	}
	/* (A resumed run takes them from the record it continues.) */
	if (!o.resume && (o.case_id == NULL || *o.case_id == '\0'))
		ui_warn(&u, "no --case given: the acquisition is filed under "
			    "no case (give --case ID)");
	if (!o.resume && (o.examiner == NULL || *o.examiner == '\0'))
		ui_warn(&u, "no --examiner given and FORAGE_EXAMINER is not "
			    "set: the record names no examiner");
	o.source = argv[optind];
	o.command_line = m->cmdline;
	o.stop = &fg_tool_stop;
	o.on_progress = u.mode != FG_PROGRESS_NONE ? ui_progress : NULL;
	o.warn = ui_warn;
	o.ctx = &u;
	fg_tool_signals();

	status = fg_acquire_run(&o, &res, &err);
	if (status != FG_OK && status != FG_EBADSECT && status != FG_EINTR)
		fg_tool_error("acquire", "%s", err.msg);
	if (res.case_db_acquisition > 0)
		fg_tool_say("case_db", "case database: %s (acquisition %lld)",
			    res.case_db, (long long)res.case_db_acquisition);
	if (res.record_path[0] != '\0') {
		fg_tool_say("record", "record: %s", res.record_path);
		if (json) {
			FILE *f = fopen(res.record_path, "r");
			char buf[65536];
			size_t n;
			while (f != NULL &&
			       (n = fread(buf, 1, sizeof(buf), f)) > 0)
				fwrite(buf, 1, n, stdout);
			if (f != NULL)
				fclose(f);
		}
	}
	if (status == FG_OK || status == FG_EBADSECT ||
	    status == FG_EMISMATCH) {
		if (res.hashes.md5[0])
			fg_tool_say("md5", "md5:    %s", res.hashes.md5);
		if (res.hashes.sha1[0])
			fg_tool_say("sha1", "sha1:   %s", res.hashes.sha1);
		if (res.hashes.sha256[0])
			fg_tool_say("sha256", "sha256: %s",
				    res.hashes.sha256);
		if (res.verified != 0)
			fg_tool_say("verify", "verify: %s",
				res.verified < 0
					? "MISMATCH: the evidence read back "
					  "differs; see the record"
					: "the evidence read back matches");
		if (res.source_verified != 0)
			fg_tool_say("verify_source", "verify-source: %s",
				res.source_verified < 0
					? "MISMATCH: the source read again "
					  "gives other digests; see the record"
					: "the source read again gives the "
					  "same digests");
		if (res.sectors_filled)
			fg_tool_say("sectors_filled",
				    "%llu sector(s) could not be read and "
				    "were filled; see the record",
				    (unsigned long long)res.sectors_filled);
	}
	/* The flag outlives the run, and a loop device's its detach.  (How
	 * to go on after an interruption stays next to the last line.) */
	if (res.flags_left[0] != '\0')
		fg_tool_say("write_block",
			    "the kernel read-only flag stays set on %s (the "
			    "write block leaves it); once done with the "
			    "source, clear it with:\n  blockdev --setrw %s",
			    res.flags_left, res.flags_left);
	if (status == FG_EINTR)
		how_to_go_on(&o, &res, m->cmdline, resume_given);
	else if (ts.seal)
		seal_at_end(&ts, &o, &res, &status, &err);
	return fg_tool_finish(status, err.msg);
}
