/*
 * test_acqverify.c - what `forage acquire --verify` leaves in the case
 * database: fg_verify_written re-reads real evidence files (intact, changed
 * expectations, missing), and fg_verify_written_to_casedb turns each
 * outcome it recorded into a row of the verifications table with its
 * hashes, its own JSON subtree and its event.
 */
#include "config.h"

#include <jansson.h>

#include <forage/casedb.h>
#include <forage/hash.h>
#include <forage/record.h>
#include <forage/sink.h>
#include <forage/verify.h>

#include "unit.h"

#define SIZE 10240

struct row {
	int n;
	int64_t id[4], acq[4];
	char result[4][16];
	int exit_code[4];
	char target[4][256];
	char method[4][512];
	char message[4][512];
	char *json[4];
};

static int collect(void *ctx, const struct fg_casedb_verification_row *v)
{
	struct row *r = ctx;
	int i = r->n;

	if (i >= 4)
		return 1;
	r->id[i] = v->id;
	r->acq[i] = v->v.acquisition_id;
	snprintf(r->result[i], sizeof(r->result[i]), "%s", v->v.result);
	r->exit_code[i] = v->v.exit_code;
	snprintf(r->target[i], sizeof(r->target[i]), "%s",
		 v->v.target ? v->v.target : "(null)");
	snprintf(r->method[i], sizeof(r->method[i]), "%s",
		 v->v.method ? v->v.method : "(null)");
	snprintf(r->message[i], sizeof(r->message[i]), "%s",
		 v->v.message ? v->v.message : "(null)");
	r->json[i] = v->v.record_json ? strdup(v->v.record_json) : NULL;
	r->n++;
	return 0;
}

/* The minimal finished acquisition the rows are tied to. */
static int64_t add_acquisition(struct fg_casedb *db, struct fg_record *rec)
{
	struct fg_error err;
	int64_t id = 0;

	fg_error_clear(&err);
	fg_record_set_str(rec, "case.case_id", "C1");
	fg_record_set_str(rec, "case.evidence_id", "HD1");
	fg_record_set_str(rec, "parameters.format", "raw");
	fg_record_set_str(rec, "result.status", "running");
	CHECK_MSG(fg_casedb_acquisition_begin(db, rec, &id, &err) == FG_OK,
		  &err);
	fg_record_set_str(rec, "result.status", "success");
	fg_record_set_int(rec, "result.exit_code", 0);
	CHECK_MSG(fg_casedb_acquisition_end(db, id, rec, &err) == FG_OK, &err);
	return id;
}

/* The hashes of verification id from the export, as "file|alg|expected|
 * computed|match;" in order. */
static void hashes_of(struct fg_casedb *db, int64_t id, char *out, size_t len)
{
	struct fg_error err;
	char *text = NULL;
	json_t *doc, *c, *e, *v, *h;
	size_t i, k, j, m;
	size_t used = 0;

	out[0] = '\0';
	fg_error_clear(&err);
	CHECK_MSG(fg_casedb_export_json(db, "C1", NULL, 0, &text, &err) ==
		      FG_OK,
		  &err);
	doc = text ? json_loads(text, 0, NULL) : NULL;
	CHECK(doc != NULL);
	json_array_foreach(json_object_get(doc, "cases"), i, c)
	    json_array_foreach(json_object_get(c, "evidence"), k, e)
		json_array_foreach(json_object_get(e, "verifications"), j, v)
	{
		if (json_integer_value(json_object_get(v, "id")) != id)
			continue;
		json_array_foreach(json_object_get(v, "hashes"), m, h)
		{
			const char *f =
			    json_string_value(json_object_get(h, "file"));
			const char *ex =
			    json_string_value(json_object_get(h, "expected"));
			const char *co =
			    json_string_value(json_object_get(h, "computed"));
			int w = snprintf(
			    out + used, len - used, "%s|%s|%s|%s|%d;",
			    f ? f : "-",
			    json_string_value(json_object_get(h, "algorithm")),
			    ex ? ex : "-", co ? co : "-",
			    (int)json_integer_value(
				json_object_get(h, "match")));
			if (w > 0 && (size_t)w < len - used)
				used += (size_t)w;
		}
	}
	json_decref(doc);
	free(text);
}

static void test_rows(void)
{
	struct fg_casedb *db = NULL;
	struct fg_record *rec = NULL;
	struct fg_error err;
	struct fg_outfile files[2];
	struct fg_media_hashes h, bad;
	struct fg_casedb_audit a;
	char hex[FG_NHASH][FG_HASH_HEX_MAX], want[1024], got[1024];
	uint64_t size = 0;
	struct row rows;
	int64_t acq, id = 0;
	char *sub;
	int i, rc;

	fg_error_clear(&err);
	memset(&rows, 0, sizeof(rows));
	unit_write_pattern("HD1.raw", SIZE, 7);
	CHECK_MSG(fg_hash_file("HD1.raw", FG_HASH_MD5 | FG_HASH_SHA256, hex,
			       &size, &err) == FG_OK,
		  &err);
	memset(&h, 0, sizeof(h));
	snprintf(h.md5, sizeof(h.md5), "%s", hex[0]);
	snprintf(h.sha256, sizeof(h.sha256), "%s", hex[2]);
	bad = h;
	bad.sha256[0] = bad.sha256[0] == '0' ? '1' : '0';
	memset(files, 0, sizeof(files));
	files[0].path = "HD1.raw";
	files[0].size = SIZE;
	snprintf(files[0].md5, sizeof(files[0].md5), "%s", hex[0]);
	snprintf(files[0].sha256, sizeof(files[0].sha256), "%s", hex[2]);
	files[1] = files[0];
	files[1].path = "gone.raw";

	if (fg_record_new(&rec) != FG_OK)
		exit(99);
	fg_record_add_output(rec, &files[0]);
	fg_record_add_output(rec, &files[1]);
	CHECK_MSG(fg_casedb_open(&db, "case.db", FG_CASEDB_CREATE, &err) ==
		      FG_OK,
		  &err);
	if (db == NULL)
		exit(99);
	acq = add_acquisition(db, rec);

	/* Intact: match, exit 0. */
	rc = fg_verify_written(&files[0], 1, "raw", &h, SIZE, 1, rec, "v_ok",
			       &err);
	CHECK_MSG(rc == FG_OK, &err);
	CHECK_MSG(fg_verify_written_to_casedb(db, acq, rec, "v_ok", 0, 1, rc,
					      &id, &err) == FG_OK,
		  &err);
	CHECK(id == 1);
	/* The expected SHA-256 changed: a real mismatch of the re-read. */
	fg_error_clear(&err);
	rc = fg_verify_written(&files[0], 1, "raw", &bad, SIZE, 1, rec, "v_bad",
			       &err);
	CHECK(rc == FG_EMISMATCH);
	CHECK_MSG(fg_verify_written_to_casedb(db, acq, rec, "v_bad", 0, 1, rc,
					      &id, &err) == FG_OK,
		  &err);
	CHECK(id == 2);
	/* The file is gone: cannot verify, an error row with the reason. */
	fg_error_clear(&err);
	rc = fg_verify_written(&files[1], 1, "raw", &h, SIZE, 1, rec, "v_gone",
			       &err);
	CHECK(rc != FG_OK && rc != FG_EMISMATCH);
	CHECK_MSG(fg_verify_written_to_casedb(db, acq, rec, "v_gone", 1, 1, rc,
					      &id, &err) == FG_OK,
		  &err);
	CHECK(id == 3);

	/* Refused: nothing recorded under the prefix, outputs not there. */
	fg_error_clear(&err);
	CHECK(fg_verify_written_to_casedb(db, acq, rec, "v_none", 0, 1, 0, &id,
					  &err) == FG_EINVAL);
	CHECK(id == 0);
	CHECK(strstr(err.msg, "v_none.status") != NULL);
	CHECK(fg_verify_written_to_casedb(db, acq, rec, "v_ok", 1, 2, 0, &id,
					  &err) == FG_EINVAL);
	CHECK(fg_verify_written_to_casedb(db, acq, rec, "v_ok", 0, 0, 0, &id,
					  &err) == FG_EINVAL);

	CHECK_MSG(fg_casedb_verifications_each(db, "C1", NULL, collect, &rows,
					       &err) == FG_OK,
		  &err);
	CHECK(rows.n == 3);
	for (i = 0; i < rows.n; i++) {
		CHECK(rows.id[i] == i + 1);
		CHECK(rows.acq[i] == acq);
		CHECK(strncmp(rows.method[i],
			      PACKAGE_NAME " " PACKAGE_VERSION
					   " acquire --verify: re-read of the "
					   "written evidence",
			      strlen(PACKAGE_NAME
				     " " PACKAGE_VERSION
				     " acquire --verify: re-read of the "
				     "written evidence")) == 0);
		CHECK(strstr(rows.method[i], "; page cache: ") != NULL);
	}
	CHECK_STR(rows.result[0], "match");
	CHECK(rows.exit_code[0] == 0);
	CHECK_STR(rows.target[0], "HD1.raw");
	CHECK_STR(rows.message[0], "(null)");
	CHECK_STR(rows.result[1], "mismatch");
	CHECK(rows.exit_code[1] == 1);
	CHECK(strstr(rows.message[1], "SHA-256") != NULL ||
	      strstr(rows.message[1], "sha256") != NULL);
	CHECK_STR(rows.result[2], "error");
	CHECK(rows.exit_code[2] == 2);
	CHECK_STR(rows.target[2], "gone.raw");
	CHECK(strstr(rows.message[2], "gone.raw") != NULL);
	/* record_json is the verification's own subtree of the record. */
	sub = fg_record_dump_at(rec, "v_bad");
	CHECK(sub != NULL && rows.json[1] != NULL &&
	      strcmp(sub, rows.json[1]) == 0);
	free(sub);
	CHECK(fg_record_dump_at(rec, "v_none") == NULL);

	/* The hashes compared, the media's (file NULL). */
	snprintf(want, sizeof(want), "-|md5|%s|%s|1;-|sha256|%s|%s|1;", h.md5,
		 h.md5, h.sha256, h.sha256);
	hashes_of(db, 1, got, sizeof(got));
	CHECK_STR(got, want);
	snprintf(want, sizeof(want), "-|md5|%s|%s|1;-|sha256|%s|%s|0;", h.md5,
		 h.md5, bad.sha256, h.sha256);
	hashes_of(db, 2, got, sizeof(got));
	CHECK_STR(got, want);

	/* Each row has its event; the chain holds. */
	memset(&a, 0, sizeof(a));
	CHECK_MSG(fg_casedb_audit(db, &a, &err) == FG_OK, &err);
	CHECK(a.events == 7); /* case, item, started, completed, 3 rows */
	CHECK(fg_casedb_last_event(db, NULL) == 7);

	for (i = 0; i < rows.n; i++)
		free(rows.json[i]);
	fg_casedb_close(db);
	fg_record_free(rec);
}

/* The places a verification found damaged become its diffs, in the words
 * forage verify uses (an E01 chunk, a hash window). */
static void test_damage(void)
{
	struct fg_casedb *db = NULL;
	struct fg_record *rec = NULL, *x = NULL;
	struct fg_outfile f;
	struct fg_error err;
	char *text = NULL;
	int64_t acq, id = 0;

	fg_error_clear(&err);
	if (fg_record_new(&rec) != FG_OK || fg_record_new(&x) != FG_OK)
		exit(99);
	memset(&f, 0, sizeof(f));
	f.path = "/cases/HD1.E01";
	f.size = 1000;
	fg_record_add_output(rec, &f);
	fg_record_set_str(rec, "verification.status", "mismatch");
	fg_record_set_str(rec, "verification.message", "2 places differ");
	fg_record_set_str(x, "kind", "damaged");
	fg_record_set_int(x, "first_lba", 320);
	fg_record_set_int(x, "sectors", 64);
	fg_record_set_int(x, "offset", 163840);
	fg_record_set_int(x, "length", 32768);
	fg_record_set_int(x, "first_chunk", 5);
	fg_record_set_int(x, "chunks", 1);
	fg_record_set_str(x, "file", "/cases/HD1.E01");
	fg_record_set_int(x, "file_offset", 4242);
	fg_record_set_int(x, "file_length", 1234);
	fg_record_set_str(x, "detail", "checksum differs");
	fg_record_append_record(rec, "verification.damage", x);
	fg_record_free(x);
	if (fg_record_new(&x) != FG_OK)
		exit(99);
	fg_record_set_str(x, "kind", "hash window");
	fg_record_set_int(x, "first_lba", 0);
	fg_record_set_int(x, "sectors", 8);
	fg_record_set_int(x, "offset", 0);
	fg_record_set_int(x, "length", 4096);
	fg_record_set_int(x, "window", 0);
	fg_record_set_str(x, "detail", "SHA-256 differs");
	fg_record_append_record(rec, "verification.damage", x);
	fg_record_free(x);
	CHECK_MSG(fg_casedb_open(&db, "case.db", FG_CASEDB_CREATE, &err) ==
		      FG_OK,
		  &err);
	if (db == NULL)
		exit(99);
	acq = add_acquisition(db, rec);
	CHECK_MSG(fg_verify_written_to_casedb(db, acq, rec, "verification", 0,
					      1, FG_EMISMATCH, &id,
					      &err) == FG_OK,
		  &err);
	CHECK(id == 1);
	CHECK_MSG(fg_casedb_export_json(db, "C1", NULL, 0, &text, &err) ==
		      FG_OK,
		  &err);
	CHECK(text != NULL &&
	      strstr(text, "\"target\": \"/cases/HD1.E01\"") != NULL);
	CHECK(text != NULL &&
	      strstr(text, "\"what\": \"chunk 5 (LBA 320-383): damaged: "
			   "checksum differs\"") != NULL);
	CHECK(text != NULL && strstr(text, "\"offset\": 4242") != NULL &&
	      strstr(text, "\"length\": 1234") != NULL);
	CHECK(text != NULL &&
	      strstr(text, "\"what\": \"hash window 0 (LBA 0-7): differs: "
			   "SHA-256 differs\"") != NULL);
	CHECK(text != NULL && strstr(text, "\"length\": 4096") != NULL);
	CHECK(text != NULL &&
	      strstr(text, "\"message\": \"2 places differ\"") != NULL);
	free(text);
	fg_casedb_close(db);
	fg_record_free(rec);
}

int main(void)
{
	unit_run("acquire --verify outcomes become verification rows",
		 test_rows);
	unit_run("the places it found damaged become the row's diffs",
		 test_damage);
	return unit_done();
}
