/*
 * fuzz_anchor.c - the anchor reader of the case audit (fg_anchor_audit,
 * report/anchor.c) on a file that claims to be a seal or an acquisition
 * record: given with --anchor, and found beside the database, as `forage
 * case audit` meets it.  The database is made once (one case: one event)
 * in a folder of its own, removed at exit; the input is written there as
 * x.json and removed after each run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <forage/anchor.h>
#include <forage/casedb.h>

#include "fuzz.h"

static struct fg_casedb *fz_db;
static char fz_folder[256], fz_dbpath[300], fz_input[300];

static void fz_done(void)
{
	fg_casedb_close(fz_db);
	fz_remove_db(fz_dbpath);
	unlink(fz_input);
	rmdir(fz_folder);
}

static void fz_setup(void)
{
	struct fg_error err;
	int created = 0;

	snprintf(fz_folder, sizeof(fz_folder), "%s/fz-anchor-XXXXXX",
		 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(fz_folder) == NULL)
		abort();
	snprintf(fz_dbpath, sizeof(fz_dbpath), "%s/case.db", fz_folder);
	snprintf(fz_input, sizeof(fz_input), "%s/x.json", fz_folder);
	fg_error_clear(&err);
	if (fg_casedb_open(&fz_db, fz_dbpath, FG_CASEDB_CREATE, &err) !=
		    FG_OK ||
	    fg_casedb_case_ensure(fz_db, "C-1", "fuzz", &created, &err) !=
		    FG_OK)
		abort();
	atexit(fz_done);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_anchor_audit au;
	struct fg_error err;
	const char *files[1] = {fz_input};
	FILE *f;

	if (fz_db == NULL)
		fz_setup();
	f = fopen(fz_input, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	/* Given (--anchor), then only found beside the database. */
	fg_error_clear(&err);
	(void)fg_anchor_audit(fz_db, files, 1, NULL, NULL, &au, &err);
	fg_anchor_audit_free(&au);
	fg_error_clear(&err);
	(void)fg_anchor_audit(fz_db, NULL, 0, NULL, NULL, &au, &err);
	fg_anchor_audit_free(&au);
	unlink(fz_input);
	return 0;
}
