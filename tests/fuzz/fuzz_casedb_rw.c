/*
 * fuzz_casedb_rw.c - fuzz_casedb.c with the database opened for writing,
 * as acquire, verify, `case init` and `custody add` open it: the schema
 * checks and the migrations (issue 19, 1) run on the crafted file.
 */
#define FZ_CASEDB_WRITABLE 1
#include "fuzz_casedb.c"
