/*
 * cmd_verify.c - "forage verify": options, one fg_verify_item_run per
 * IMAGE, every comparison printed (or the results as JSON), the closing
 * line.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/container.h>
#include <forage/hash.h>
#include <forage/record.h>
#include <forage/verify.h>

#include "tool.h"

enum {
	OPT_MD5 = 256, OPT_SHA1, OPT_SHA256, OPT_JSON, OPT_THREADS,
	OPT_PROGRESS, OPT_EXAMINER, OPT_HELP
};

static const struct fg_optdef verify_opts[] = {
	{"md5", required_argument, OPT_MD5, "HEX",
	 "expected MD5 of the media (one IMAGE only)"},
	{"sha1", required_argument, OPT_SHA1, "HEX",
	 "expected SHA-1 of the media (one IMAGE only)"},
	{"sha256", required_argument, OPT_SHA256, "HEX",
	 "expected SHA-256 of the media (one IMAGE only)"},
	{"examiner", required_argument, OPT_EXAMINER, "NAME",
	 "who verifies, recorded (default: $FORAGE_EXAMINER)"},
	{"threads", required_argument, OPT_THREADS, "N",
	 "decompression threads (default: all cores)"},
	{"progress", required_argument, OPT_PROGRESS, "auto|bar|json|none",
	 "progress on stderr (default auto: a bar on a terminal)"},
	{"json", no_argument, OPT_JSON, NULL,
	 "print the results as JSON on stdout"},
	{"help", no_argument, OPT_HELP, NULL, "this text"},
	{NULL, 0, 0, NULL, NULL}
};

static void usage(FILE *to)
{
	fprintf(to, "usage: forage verify IMAGE... [options]\n");
	if (to == stderr) {
		fprintf(to, "Try 'forage verify --help'.\n");
		return;
	}
	printf("\nRe-read evidence and compare its hashes with everything "
	       "that claims a value:\nthe hashes stored in an E01, forage's "
	       "record (IMAGE's OUTBASE.json, its hash\nwindows) and its "
	       ".md5/.sha256 files, and --md5/--sha1/--sha256.  IMAGE is an\n"
	       ".E01 (the other segments are found), a .raw/.dd or the first "
	       "file of a split\nraw set (.001 or .000), or a record "
	       "OUTBASE.json.  Damage is localised: EWF\nchunks whose checksum "
	       "fails, unreadable ranges, hash windows that differ,\nas LBA "
	       "ranges and segment-file offsets.\n\nOptions:\n");
	fg_tool_print_options(verify_opts);
	printf("\nExit: 0 every comparison matched, 1 a hash differs or the "
	       "evidence is damaged,\n2 cannot verify (missing or truncated "
	       "segment, unreadable, not evidence,\nnothing to compare "
	       "with), 4 interrupted.  See forage(1).\n");
}

static void ui_progress(void *ctx, const struct fg_progress *p)
{
	enum fg_progress_mode *mode = ctx;

	fg_tool_progress(*mode, p);
}

static int bad_arg(const char *opt, const char *val, const char *why)
{
	fg_tool_error("verify", "--%s '%s': %s", opt, val, why);
	usage(stderr);
	return fg_tool_finish(FG_EINVAL, "bad usage");
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static void print_range(const struct fg_verify_damage *d)
{
	if (d->kind == FG_VDAMAGE_WINDOW)
		printf("  hash window %" PRIu64 " (", d->window);
	else if (d->chunks == 1)
		printf("  chunk %" PRIu64 " (", d->first_chunk);
	else if (d->chunks > 1)
		printf("  chunks %" PRIu64 "-%" PRIu64 " (", d->first_chunk,
		       d->first_chunk + d->chunks - 1);
	else
		printf("  (");
	printf("LBA %" PRIu64 "-%" PRIu64 ", media bytes %" PRIu64 "-%" PRIu64
	       ")",
	       d->first_lba, d->first_lba + d->sectors - 1, d->offset,
	       d->offset + d->length - 1);
	if (d->file != NULL && d->has_file_offset && d->file_length > 0)
		printf(" in %s at offset %" PRIu64 "-%" PRIu64,
		       base_name(d->file), d->file_offset,
		       d->file_offset + d->file_length - 1);
	else if (d->file != NULL && d->has_file_offset)
		printf(" in %s at offset %" PRIu64, base_name(d->file),
		       d->file_offset);
	else if (d->file != NULL)
		printf(" in %s", base_name(d->file));
	printf(": %s: %s%s\n",
	       d->kind == FG_VDAMAGE_CHECKSUM   ? "damaged"
	       : d->kind == FG_VDAMAGE_WINDOW ? "differs"
					      : "unreadable",
	       d->detail,
	       d->zero_filled ? "; zeros hashed in its place" : "");
}

static void print_item(const struct fg_verify_item *it)
{
	size_t i;

	printf("== %s\n", it->input);
	if (it->format != NULL) {
		printf("container: %s\n", it->format);
		printf("content:   %s\n", it->description);
		printf("files:    ");
		for (i = 0; i < it->nfiles; i++)
			printf(" %s (%" PRIu64 " bytes)", base_name(it->files[i]),
			       it->file_sizes[i]);
		printf("\n");
		printf("media:     %" PRIu64 " bytes, %" PRIu64
		       " sectors of %u bytes",
		       it->media_size,
		       (it->media_size + it->sector_size - 1) / it->sector_size,
		       it->sector_size);
		if (it->chunk_size)
			printf(", %" PRIu64 " chunks of %u bytes", it->chunks,
			       it->chunk_size);
		printf("\n");
		printf("record:    %s\n",
		       it->record_path ? it->record_path : "none");
		for (i = 0; i < it->nmeta; i++)
			printf("header:    %s: %s\n", it->meta_keys[i],
			       it->meta_values[i]);
		if (it->computed.md5[0])
			printf("computed:  md5    %s\n", it->computed.md5);
		if (it->computed.sha1[0])
			printf("computed:  sha1   %s\n", it->computed.sha1);
		if (it->computed.sha256[0])
			printf("computed:  sha256 %s\n", it->computed.sha256);
	}
	for (i = 0; i < it->nproblems; i++)
		printf("problem:   %s\n", it->problems[i]);
	if (it->nchecks > 0)
		printf("checks:\n");
	for (i = 0; i < it->nchecks; i++) {
		const struct fg_check *c = &it->checks[i];
		printf("  %s%s%s: %s\n", c->alg ? fg_hash_name(c->alg) : "",
		       c->alg ? " of " : "", c->what,
		       c->result == FG_CHECK_MATCH      ? "match"
		       : c->result == FG_CHECK_MISMATCH ? "MISMATCH"
							: "NOT VERIFIABLE");
		printf("      expected %s  from %s\n", c->expected, c->source);
		printf("      computed %s\n", c->computed);
	}
	if (it->format != NULL) {
		if (it->ndamage == 0)
			printf("damage:    none found%s\n",
			       it->chunk_size ? " (every chunk checksum "
						"holds)"
					      : "");
		else
			printf("damage:\n");
		for (i = 0; i < it->ndamage; i++)
			print_range(&it->damage[i]);
	}
	for (i = 0; i < it->nnotes; i++)
		printf("note:      %s\n", it->notes[i]);
	printf("result:    %s%s%s\n\n", fg_verify_status_word(it->status),
	       it->status != FG_OK ? ": " : "",
	       it->status != FG_OK ? it->err.msg : "");
	fflush(stdout);
}

int fg_cmd_verify(int argc, char **argv)
{
	struct fg_verify_opts o;
	struct fg_record *all = NULL;
	enum fg_progress_mode mode;
	const char *progress = "auto";
	char *cmdline = NULL;
	char reason[FG_ERRMSG_MAX] = "";
	int json = 0, c, i, status = FG_OK;
	int nmis = 0, nfail = 0, nintr = 0;
	unsigned uval;

	fg_verify_opts_init(&o);
	o.examiner = getenv("FORAGE_EXAMINER");
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "",
				fg_tool_longopts(verify_opts), NULL)) != -1) {
		switch (c) {
		case OPT_MD5:
			if (strlen(optarg) != 32 ||
			    strspn(optarg, "0123456789abcdefABCDEF") != 32)
				return bad_arg("md5", optarg,
					       "want 32 hex digits");
			o.expect_md5 = optarg;
			break;
		case OPT_SHA1:
			if (strlen(optarg) != 40 ||
			    strspn(optarg, "0123456789abcdefABCDEF") != 40)
				return bad_arg("sha1", optarg,
					       "want 40 hex digits");
			o.expect_sha1 = optarg;
			break;
		case OPT_SHA256:
			if (strlen(optarg) != 64 ||
			    strspn(optarg, "0123456789abcdefABCDEF") != 64)
				return bad_arg("sha256", optarg,
					       "want 64 hex digits");
			o.expect_sha256 = optarg;
			break;
		case OPT_EXAMINER: o.examiner = optarg; break;
		case OPT_THREADS:
			if (fg_parse_uint(optarg, &uval) != 0 || uval > 64)
				return bad_arg("threads", optarg,
					       "want a number from 0 to 64");
			o.threads = uval;
			break;
		case OPT_PROGRESS: progress = optarg; break;
		case OPT_JSON: json = 1; break;
		case OPT_HELP: usage(stdout); return FG_EXIT_OK;
		default:
			if (optopt != 0 && optopt < 256)
				fg_tool_error("verify", "unknown option -%c",
					      optopt);
			else
				fg_tool_error("verify",
					      "unknown option or missing "
					      "argument: %s",
					      argv[optind - 1]);
			usage(stderr);
			return fg_tool_finish(FG_EINVAL, "bad usage");
		}
	}
	if (optind >= argc) {
		fg_tool_error("verify", "no IMAGE given");
		usage(stderr);
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	if ((o.expect_md5 || o.expect_sha1 || o.expect_sha256) &&
	    argc - optind > 1) {
		fg_tool_error("verify", "--md5, --sha1 and --sha256 describe "
			      "one image; give one IMAGE with them");
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	if (fg_tool_progress_mode(progress, &mode) != 0)
		return bad_arg("progress", progress,
			       "want auto, bar, json or none");
	cmdline = fg_tool_command_line(argc + 1, argv - 1);
	o.command_line = cmdline;
	o.stop = &fg_tool_stop;
	o.on_progress = mode != FG_PROGRESS_NONE ? ui_progress : NULL;
	o.ctx = &mode;
	fg_tool_signals();
	if (json && fg_record_new(&all) != FG_OK) {
		free(cmdline);
		return fg_tool_finish(FG_ENOMEM, "out of memory");
	}

	for (i = optind; i < argc; i++) {
		struct fg_verify_item *it = NULL;
		int rc = fg_verify_item_run(&o, argv[i], &it);

		if (it == NULL) {
			fg_tool_error("verify", "%s: out of memory", argv[i]);
			nfail++;
			continue;
		}
		if (json) {
			struct fg_record *r = fg_verify_item_record(it, &o);
			if (r == NULL ||
			    fg_record_append_record(all, "verifications", r) !=
				    FG_OK)
				nfail++;
			fg_record_free(r);
		} else {
			print_item(it);
		}
		if (rc != FG_OK) {
			fg_tool_error("verify", "%s", it->err.msg);
			if (reason[0] == '\0' ||
			    (rc == FG_EMISMATCH && nmis == 0))
				snprintf(reason, sizeof(reason), "%s",
					 it->err.msg);
		}
		if (rc == FG_EMISMATCH)
			nmis++;
		else if (rc == FG_EINTR)
			nintr++;
		else if (rc != FG_OK)
			nfail++;
		fg_verify_item_free(it);
		if (rc == FG_EINTR)
			break;
	}
	/* A mismatch is the news that matters most; then trouble. */
	status = nintr ? FG_EINTR
		 : nmis ? FG_EMISMATCH
		 : nfail ? FG_ESOURCE
			 : FG_OK;
	if (json) {
		char *text;
		fg_record_set_str(all, "result.status",
				  fg_verify_status_word(status));
		fg_record_set_int(all, "result.exit_code",
				  fg_exit_for_status(status));
		fg_record_set_int(all, "result.images", argc - optind);
		fg_record_set_int(all, "result.verified",
				  argc - optind - nmis - nfail - nintr);
		fg_record_set_int(all, "result.mismatched", nmis);
		fg_record_set_int(all, "result.not_verified", nfail);
		text = fg_record_dump(all);
		if (text != NULL)
			printf("%s\n", text);
		free(text);
		fg_record_free(all);
	}
	if (argc - optind > 1 && status != FG_OK && status != FG_EINTR) {
		char one[FG_ERRMSG_MAX];
		snprintf(one, sizeof(one), "%s", reason);
		snprintf(reason, sizeof(reason),
			 "%d of %d images not verified (%d mismatched); "
			 "first: %.900s",
			 nmis + nfail, argc - optind, nmis, one);
	}
	free(cmdline);
	return fg_tool_finish(status, reason);
}
