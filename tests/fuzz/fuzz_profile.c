/*
 * fuzz_profile.c - the profile parser (fg_profile_load, src/tool/profile.c,
 * compiled into this harness) on a profile file given by path, as
 * `forage acquire --profile FILE` reads it, against acquire's option names
 * (a copy of cmd_acquire.c's table, whose table is file-local).
 */
#include <getopt.h>
#include <stdio.h>

#include "tool.h"
#include "fuzz.h"

static const struct fg_optdef fz_opts[] = {
	{ "output", required_argument, 'o', "OUTBASE", "" },
	{ "format", required_argument, 'f', "FMT", "" },
	{ "case", required_argument, 1, "ID", "" },
	{ "evidence", required_argument, 2, "ID", "" },
	{ "examiner", required_argument, 3, "NAME", "" },
	{ "description", required_argument, 4, "TEXT", "" },
	{ "notes", required_argument, 5, "TEXT", "" },
	{ "case-db", required_argument, 6, "FILE", "" },
	{ "hash", required_argument, 7, "LIST", "" },
	{ "retries", required_argument, 8, "N", "" },
	{ "segment-size", required_argument, 9, "SIZE", "" },
	{ "compression", required_argument, 10, "LEVEL", "" },
	{ "chunk-size", required_argument, 11, "SIZE", "" },
	{ "hash-window", required_argument, 12, "SIZE", "" },
	{ "verify", no_argument, 13, NULL, "" },
	{ "resume", no_argument, 14, NULL, "" },
	{ "mapfile", required_argument, 15, "FILE", "" },
	{ "no-write-block", no_argument, 16, NULL, "" },
	{ "profile", required_argument, 17, "NAME", "" },
	{ "help", no_argument, 'h', NULL, "" },
	{ NULL, 0, 0, NULL, NULL }
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_profile p;
	char path[1024], err[1024], buf[1100];
	int i;

	fz_write("fuzz.profile", data, size, path, sizeof(path));
	if (fg_profile_load(&p, path, fz_opts, err, sizeof(err)) == 0) {
		for (i = 0; i < p.argc; i++)
			(void)fg_profile_origin(&p, i, buf, sizeof(buf));
		fg_profile_free(&p);
	}
	fz_clean();
	return 0;
}
