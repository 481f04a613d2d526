/*
 * fuzz_case_import.c - the case import (import.c) on a file that claims to
 * be a case export ("forage-case-export-1"), as `forage case import FILE`
 * meets it: first the check of the file alone (fg_case_export_check,
 * read from memory), then the import itself into a database made once in
 * a folder of its own (removed at exit); the input is written there as
 * x.jsonl and removed after each run.  An input that imports leaves its
 * case in the database: a later one of the same case is refused, which is
 * a path too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

	snprintf(fz_folder, sizeof(fz_folder), "%s/fz-import-XXXXXX",
		 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(fz_folder) == NULL)
		abort();
	snprintf(fz_dbpath, sizeof(fz_dbpath), "%s/case.db", fz_folder);
	snprintf(fz_input, sizeof(fz_input), "%s/x.jsonl", fz_folder);
	fg_error_clear(&err);
	if (fg_casedb_open(&fz_db, fz_dbpath, FG_CASEDB_CREATE, &err) != FG_OK)
		abort();
	atexit(fz_done);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_case_export_info info;
	struct fg_casedb_import_result res;
	struct fg_casedb_audit a;
	struct fg_error err;
	int64_t broken = 0;
	FILE *f;
	int rc;

	if (fz_db == NULL)
		fz_setup();
	fg_error_clear(&err);
	f = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (f == NULL)
		return 0; /* fmemopen of 0 bytes fails on older glibc */
	rc = fg_case_export_check(f, "fuzz.jsonl", &info, &err);
	fclose(f);
	if (rc != FG_OK)
		return 0;
	f = fopen(fz_input, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	fg_error_clear(&err);
	rc = fg_casedb_case_import(fz_db, fz_input, &info, &res, &err);
	if (rc == FG_OK) {
		/* What was imported audits (or the audit says why not). */
		fg_error_clear(&err);
		(void)fg_casedb_audit(fz_db, &a, &err);
		fg_error_clear(&err);
		(void)fg_casedb_imports_audit(fz_db, NULL, NULL, &broken, &err);
	}
	unlink(fz_input);
	return 0;
}
