/*
 * fuzz_ewf_meta.c - forage's own EWF walker and metadata reader
 * (fg_ewf_meta_open, ewf/ewf_map.c + ewf/ewf_meta.c) on one segment file:
 * the input is the file X.E01.  Every chunk the tables list is located
 * (up to a bound), every header value and problem is read.
 */
#include <string.h>

#include <ewf/ewf_int.h>

#include "fuzz.h"

/* Chunks located per input: enough to walk a few tables. */
#define FZ_LOCATE_MAX 4096

void fz_ewf_walk(const char *const *paths, size_t n);

void fz_ewf_walk(const char *const *paths, size_t n)
{
	struct fg_ewf_meta *m = NULL;
	struct fg_error err;
	size_t i, sum = 0;
	uint64_t c, chunks;

	fg_error_clear(&err);
	if (fg_ewf_meta_open(&m, paths, n, &err) != FG_OK)
		return;
	for (i = 0; i < FG_EWF_NHEADER; i++)
		if (m->header[i] != NULL)
			sum += strlen(m->header[i]);
	for (i = 0; i < m->nerrors; i++)
		sum += (size_t)(m->errors[i].first + m->errors[i].count);
	if (m->map != NULL) {
		const struct fg_ewf_seginfo *si;

		for (i = 0; (si = fg_ewf_map_seg(m->map, i)) != NULL; i++)
			sum += strlen(si->last_type) + si->number;
		for (i = 0; i < fg_ewf_map_problem_count(m->map); i++)
			sum += strlen(fg_ewf_map_problem(m->map, i)->text);
		chunks = fg_ewf_map_chunks(m->map);
		for (c = 0; c < chunks && c < FZ_LOCATE_MAX; c++) {
			struct fg_ewf_loc loc;

			memset(&loc, 0, sizeof(loc));
			if (fg_ewf_map_locate(m->map, c, &loc) == FG_OK)
				sum += (size_t)(loc.offset + loc.size);
		}
		(void)fg_ewf_map_missing_next(m->map);
	}
	(void)fg_ewf_meta_header(m, "case_number");
	(void)sum;
	fg_ewf_meta_free(m);
}

#ifndef FZ_EWF_SET
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[1024];
	const char *paths[1];

	fz_write("X.E01", data, size, path, sizeof(path));
	paths[0] = path;
	fz_ewf_walk(paths, 1);
	fz_clean();
	return 0;
}
#endif
