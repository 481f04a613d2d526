/*
 * fuzz_sidecar.c - the coreutils checksum file parser (fg_sidecar_parse,
 * verify/verify.c), as verify reads OUTBASE.md5 / OUTBASE.sha256 beside
 * the evidence.  The first input byte picks the algorithm, the rest is
 * the file.
 */
#include <string.h>

#include <forage/hash.h>
#include <forage/verify.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned algs[] = { FG_HASH_MD5, FG_HASH_SHA1,
					 FG_HASH_SHA256 };
	struct fg_sidecar_entry *e = NULL;
	struct fg_error err;
	size_t n = 0, i, sum = 0;

	if (size < 1)
		return 0;
	fg_error_clear(&err);
	if (fg_sidecar_parse((const char *)data + 1, size - 1,
			     algs[data[0] % 3], "fuzz.md5", &e, &n,
			     &err) != FG_OK)
		return 0;
	for (i = 0; i < n; i++)
		sum += strlen(e[i].name) + strlen(e[i].hex) + e[i].line;
	(void)sum;
	fg_sidecar_free(e, n);
	return 0;
}
