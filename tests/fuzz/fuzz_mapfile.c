/*
 * fuzz_mapfile.c - the ddrescue mapfile parser (fg_map_parse,
 * read/mapfile.c), as --resume reads a mapfile.  A map it accepts must
 * keep its promise: written out again (fg_map_format) it parses to the
 * same extents; anything else aborts (a finding).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/mapfile.h>

#include "fuzz.h"

static void fz_same(const struct fg_map *a, const struct fg_map *b)
{
	size_t i;

	if (fg_map_count(a) != fg_map_count(b) ||
	    fg_map_base(a) != fg_map_base(b) ||
	    fg_map_size(a) != fg_map_size(b)) {
		fprintf(stderr, "fuzz_mapfile: a map written and parsed "
			"again differs\n");
		abort();
	}
	for (i = 0; i < fg_map_count(a); i++) {
		const struct fg_map_extent *x = fg_map_extent(a, i);
		const struct fg_map_extent *y = fg_map_extent(b, i);
		if (x->pos != y->pos || x->size != y->size ||
		    x->status != y->status) {
			fprintf(stderr, "fuzz_mapfile: extent %zu differs "
				"after writing and parsing again\n", i);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_map *m = NULL, *again = NULL;
	struct fg_error err;
	char *text, phase;
	char buf[128];
	uint64_t pos, end, p;
	unsigned pass;
	int rc;

	fg_error_clear(&err);
	if (fg_map_parse(&m, (const char *)data, size, "fuzz.map", &err) !=
	    FG_OK)
		return 0;
	fg_map_current(m, &pos, &phase, &pass);
	(void)fg_map_phase_text(phase, pass, buf, sizeof(buf));
	(void)fg_map_bytes(m, FG_MAP_BAD);
	for (p = 0; fg_map_next(m, p, "?*/-", &pos, &end) && end > p; p = end)
		(void)fg_map_status(m, pos, NULL);
	text = fg_map_format(m, "# fuzz\n");
	if (text != NULL) {
		fg_error_clear(&err);
		rc = fg_map_parse(&again, text, strlen(text), "again.map",
				  &err);
		if (rc == FG_OK)
			fz_same(m, again);
		else if (rc != FG_ENOMEM) {
			fprintf(stderr, "fuzz_mapfile: a map forage wrote "
				"does not parse again: %s\n%s", err.msg,
				text);
			abort();
		}
		fg_map_free(again);
		free(text);
	}
	fg_map_free(m);
	return 0;
}
