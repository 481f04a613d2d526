/*
 * forage.c - the forage program: picks the verb and hands over.  Each verb
 * lives in its own cmd_*.c; the engine is libforage.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/forage.h>
#include <forage/hash.h>

#include "tool.h"

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct verb verbs[] = {
	{"acquire", fg_cmd_acquire,
	 "read a drive or file into evidence (E01 or raw) with its record"},
	{"verify", fg_cmd_verify,
	 "re-verify evidence (E01, raw, a record) and localise damage"},
	{"case", fg_cmd_case,
	 "the case database: init, list, show, custody add, audit"},
	{"report", fg_cmd_report,
	 "the court report of a case (text, HTML, JSON, DFXML, CASE/UCO)"},
	{"info", fg_cmd_info,
	 "what a drive or file is: geometry, identity, flags, content"},
	{NULL, NULL, NULL}
};

static void usage(FILE *to)
{
	const struct verb *v;

	fprintf(to, "usage: forage VERB [options] ...\n"
		    "       forage --help | --version\n\n"
		    "Forensic acquisition and evidence toolkit.\n\nVerbs:\n");
	for (v = verbs; v->name != NULL; v++)
		fprintf(to, "  %-10s %s\n", v->name, v->summary);
	fprintf(to, "\n'forage VERB --help' shows a verb's options; "
		    "forage(1) has the details.\n");
}

int main(int argc, char **argv)
{
	const struct verb *v;
	const char *digests;

	if (argc < 2) {
		usage(stderr);
		return fg_tool_finish(FG_EINVAL, "no verb given");
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return FG_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("%s\n", fg_version());
		return FG_EXIT_OK;
	}
	digests = getenv("FORAGE_DIGESTS");
	if (digests != NULL && strcmp(digests, "openssl") == 0)
		fg_hash_openssl_only();
	else if (digests != NULL && *digests != '\0' &&
		 strcmp(digests, "forage") != 0) {
		fprintf(stderr, "forage: FORAGE_DIGESTS='%s': want openssl or "
				"forage\n",
			digests);
		return fg_tool_finish(FG_EINVAL, "bad FORAGE_DIGESTS");
	}
	for (v = verbs; v->name != NULL; v++)
		if (strcmp(argv[1], v->name) == 0)
			return v->run(argc - 1, argv + 1);
	fprintf(stderr, "forage: unknown verb '%s'\n", argv[1]);
	usage(stderr);
	return fg_tool_finish(FG_EINVAL, "unknown verb");
}
