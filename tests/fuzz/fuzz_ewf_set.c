/*
 * fuzz_ewf_set.c - forage's own EWF walker and metadata reader on a set of
 * up to 4 segment files (X.E01, X.E02 ...): the input is cut by fz_split
 * (each segment but the last prefixed with its 32-bit length).  Reaches
 * what a single file cannot: sections continued in the next segment,
 * segment numbers and chunk tables that disagree across files.
 */
#include <stdio.h>

#define FZ_EWF_SET 1
#include "fuzz_ewf_meta.c"

#define FZ_SEGS_MAX 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[FZ_SEGS_MAX][1024];
	const char *paths[FZ_SEGS_MAX];
	const uint8_t *part[FZ_SEGS_MAX];
	size_t plen[FZ_SEGS_MAX], n, i;

	n = fz_split(data, size, part, plen, FZ_SEGS_MAX);
	for (i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "X.E%02zu", i + 1);
		fz_write(name, part[i], plen[i], path[i], sizeof(path[i]));
		paths[i] = path[i];
	}
	fz_ewf_walk(paths, n);
	fz_clean();
	return 0;
}
