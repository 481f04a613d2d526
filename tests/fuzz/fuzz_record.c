/*
 * fuzz_record.c - the acquisition record parser (fg_record_parse,
 * record/record.c), as verify reads an OUTBASE.json found beside the
 * evidence; then the record's readers and its dumps (JSON and text) over
 * whatever it accepted.
 */
#include <stdlib.h>
#include <string.h>

#include <forage/record.h>

#include "fuzz.h"

static const char *const fz_keys[] = {
	"record_format", "status", "source.path", "source.model",
	"hashes.md5", "hashes.sha256", "media.size", "output.format",
	"case_db", "acquisition_id", "hash_windows", "outputs", "bad_ranges",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_record *r = NULL;
	struct fg_error err;
	size_t i, j, n;
	int64_t v;
	int b;
	char *s;

	fg_error_clear(&err);
	if (fg_record_parse(&r, (const char *)data, size, "fuzz.json",
			    &err) != FG_OK)
		return 0;
	for (i = 0; i < sizeof(fz_keys) / sizeof(fz_keys[0]); i++) {
		(void)fg_record_get_str(r, fz_keys[i]);
		(void)fg_record_get_int(r, fz_keys[i], &v);
		(void)fg_record_get_bool(r, fz_keys[i], &b);
		(void)fg_record_get_array_str(r, fz_keys[i], 0);
		n = fg_record_array_size(r, fz_keys[i]);
		for (j = 0; j < n && j < 64; j++) {
			(void)fg_record_array_str(r, fz_keys[i], j, NULL);
			(void)fg_record_array_str(r, fz_keys[i], j, "path");
			(void)fg_record_array_int(r, fz_keys[i], j, "size",
						  &v);
		}
	}
	s = fg_record_dump(r);
	free(s);
	s = fg_record_dump_at(r, "source");
	free(s);
	s = fg_record_dump_text(r);
	free(s);
	/* The imaging log takes any shape of record: a key of another type
	 * than forage writes, an array where an object was, ... */
	s = fg_record_dump_log(r, "fuzz/HD1.txt");
	free(s);
	fg_record_free(r);
	return 0;
}
