/*
 * cmd_info.c - "forage info": what a device or file is (geometry,
 * identity, write-block flags, content), as text or JSON.  The work is
 * fg_info_collect; this only parses and prints.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/container.h>
#include <forage/info.h>
#include <forage/record.h>

#include "tool.h"

enum { OPT_JSON = 256, OPT_HELP };

static const struct fg_optdef info_opts[] = {
	{"json", no_argument, OPT_JSON, NULL,
	 "print what is known as one JSON object"},
	{"help", no_argument, OPT_HELP, NULL, "this text"},
	{NULL, 0, 0, NULL, NULL}
};

static void usage(FILE *to)
{
	fprintf(to, "usage: forage info DEVICE|FILE [--json]\n");
	if (to == stderr) {
		fprintf(to, "Try 'forage info --help'.\n");
		return;
	}
	printf("\nSay what DEVICE or FILE is, without changing it: size and "
	       "sector sizes;\nfor a drive its identity (model, serial, "
	       "firmware, vendor, transport,\nWWN, HPA/DCO), partitions and "
	       "read-only flags, mounts and holders; for a\nloop device its "
	       "backing file; and what the first sectors hold or what\n"
	       "container a file is (libmagic).  Unknown facts are shown as "
	       "unknown (null).\n\nOptions:\n");
	fg_tool_print_options(info_opts);
	printf("\nExit: 0 success, 2 trouble (usage, a source that cannot be "
	       "opened).\nSee forage(1).\n");
}

int fg_cmd_info(int argc, char **argv)
{
	struct fg_record *rec = NULL;
	struct fg_error err;
	char *text;
	int json = 0, c, rc;

	fg_error_clear(&err);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", fg_tool_longopts(info_opts),
				NULL)) != -1) {
		switch (c) {
		case OPT_JSON: json = 1; break;
		case OPT_HELP: usage(stdout); return FG_EXIT_OK;
		default:
			fg_tool_bad_option("info", argv);
			usage(stderr);
			return fg_tool_finish(FG_EINVAL, "bad usage");
		}
	}
	if (optind != argc - 1) {
		fg_tool_error("info", optind >= argc
					      ? "no DEVICE or FILE given"
					      : "more than one DEVICE or FILE "
						"given");
		usage(stderr);
		return fg_tool_finish(FG_EINVAL, "bad usage");
	}
	rc = fg_info_collect(argv[optind], &rec, &err);
	if (rc == FG_OK)
		rc = fg_container_info(argv[optind], rec, &err);
	if (rc != FG_OK) {
		fg_record_free(rec);
		fg_tool_error("info", "%s", err.msg);
		return fg_tool_finish(rc, err.msg);
	}
	text = json ? fg_record_dump(rec) : fg_record_dump_text(rec);
	if (text == NULL) {
		fg_record_free(rec);
		return fg_tool_finish(FG_ENOMEM, "out of memory");
	}
	if (!json)
		printf("forage info: %s\n\n",
		       fg_tool_shown(argv[optind], FG_TOOL_LINE));
	fputs(text, stdout);
	if (json)
		fputc('\n', stdout);
	free(text);
	fg_record_free(rec);
	if (fflush(stdout) != 0) {
		fg_tool_error("info", "cannot write the output");
		return fg_tool_finish(FG_EOUTPUT, "cannot write the output");
	}
	return fg_tool_finish(FG_OK, NULL);
}
