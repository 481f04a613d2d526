/*
 * casedb-fixture.c - writes through the case database API what the report
 * tests need and no merged verb writes yet (forage verify, an E01 from a
 * failing drive):
 *
 *   casedb-fixture DB verification ACQ_ID EXAMINER
 *       a verification of acquisition ACQ_ID that compared its media
 *       hashes and found them equal (result "match")
 *   casedb-fixture DB failing-acquisition CASE EVIDENCE EXAMINER
 *       an E01 acquisition of a 2 MiB device that left two unreadable
 *       ranges (LBA 2049 x1, LBA 3100 x8): status "completed with errors"
 *
 * Prints the new row's id.  Exit 0, or 1 with the library's message.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/casedb.h>
#include <forage/record.h>

struct hashes {
	char md5[129], sha1[129], sha256[129];
	int found;
};

static int get_hashes(void *ctx, const struct fg_casedb_acquisition *a)
{
	struct hashes *h = ctx;

	snprintf(h->md5, sizeof(h->md5), "%s", a->md5 ? a->md5 : "");
	snprintf(h->sha1, sizeof(h->sha1), "%s", a->sha1 ? a->sha1 : "");
	snprintf(h->sha256, sizeof(h->sha256), "%s",
		 a->sha256 ? a->sha256 : "");
	h->found = 1;
	return 0;
}

static int verification(struct fg_casedb *db, int64_t acq,
			struct fg_error *err)
{
	struct fg_casedb_verification v;
	struct fg_casedb_verify_hash vh[2];
	struct hashes h;
	int64_t id = 0;
	int rc;

	memset(&h, 0, sizeof(h));
	rc = fg_casedb_acquisitions_each(db, NULL, NULL, acq, get_hashes, &h,
					 err);
	if (rc != FG_OK)
		return rc;
	if (!h.found || !h.md5[0] || !h.sha256[0])
		return fg_error_set(err, FG_EINVAL, 0,
				    "acquisition %" PRId64 " has no hashes",
				    acq);
	memset(&v, 0, sizeof(v));
	memset(vh, 0, sizeof(vh));
	v.acquisition_id = acq;
	v.target = "HD1.raw";
	v.method = "casedb-fixture (test)";
	v.result = "match";
	v.exit_code = 0;
	vh[0].algorithm = "md5";
	vh[0].expected = vh[0].computed = h.md5;
	vh[0].match = 1;
	vh[1].algorithm = "sha256";
	vh[1].expected = vh[1].computed = h.sha256;
	vh[1].match = 1;
	rc = fg_casedb_verification_add(db, &v, vh, 2, NULL, 0, &id, err);
	if (rc == FG_OK)
		printf("%" PRId64 "\n", id);
	return rc;
}

static int failing_acquisition(struct fg_casedb *db, const char *case_id,
			       const char *evidence_id, struct fg_error *err)
{
	struct fg_record *r = NULL;
	struct fg_outfile f[2];
	int64_t id = 0;
	int rc;

	memset(f, 0, sizeof(f));
	rc = fg_record_new(&r);
	if (rc != FG_OK)
		return fg_error_set(err, rc, 0, "out of memory");
	fg_record_set_str(r, "case.case_id", case_id);
	fg_record_set_str(r, "case.evidence_id", evidence_id);
	fg_record_set_str(r, "case.description", "failing WD 80 GB");
	fg_record_set_str(r, "tool.name", "forage");
	fg_record_set_str(r, "tool.version", "0.1.0");
	fg_record_set_str(r, "run.host", "lab-ws-07");
	fg_record_set_str(r, "run.started_utc", "2026-11-25T14:01:00Z");
	fg_record_set_str(r, "source.path", "/dev/sdc");
	fg_record_set_str(r, "source.kind", "block device");
	fg_record_set_str(r, "source.model", "WDC WD800JD");
	fg_record_set_int(r, "source.size", 2097152);
	fg_record_set_int(r, "source.total_size", 2097152);
	fg_record_set_int(r, "source.offset", 0);
	fg_record_set_int(r, "source.logical_sector_size", 512);
	fg_record_set_int(r, "source.physical_sector_size", 512);
	fg_record_set_str(r, "parameters.format", "e01");
	fg_record_set_int(r, "parameters.retries", 8);
	rc = fg_casedb_acquisition_begin(db, r, &id, err);
	fg_record_free(r);
	r = NULL;
	if (rc != FG_OK)
		return rc;
	if (fg_record_new(&r) != FG_OK)
		return fg_error_set(err, FG_ENOMEM, 0, "out of memory");
	fg_record_set_str(r, "result.status", "completed with errors");
	fg_record_set_int(r, "result.exit_code", 3);
	fg_record_set_str(r, "result.message", "9 sector(s) filled");
	fg_record_set_str(r, "run.finished_utc", "2026-11-25T15:30:00Z");
	fg_record_set_int(r, "reading.bytes", 2097152);
	fg_record_set_int(r, "reading.sectors_filled", 9);
	fg_record_set_str(r, "hashes.md5", "44444444444444444444444444444444");
	fg_record_set_str(r, "hashes.sha1",
			  "4444444444444444444444444444444444444444");
	fg_record_set_str(r, "hashes.sha256",
			  "4444444444444444444444444444444444444444444444444444"
			  "444444444444");
	fg_record_add_bad_range(r, 2049, 1);
	fg_record_add_bad_range(r, 3100, 8);
	f[0].path = (char *)"HD2.E01";
	f[0].size = 700000;
	snprintf(f[0].md5, sizeof(f[0].md5), "%s",
		 "22222222222222222222222222222222");
	snprintf(f[0].sha256, sizeof(f[0].sha256), "%s",
		 "2222222222222222222222222222222222222222222222222222222222222222");
	f[1].path = (char *)"HD2.E02";
	f[1].size = 300000;
	snprintf(f[1].md5, sizeof(f[1].md5), "%s",
		 "33333333333333333333333333333333");
	snprintf(f[1].sha256, sizeof(f[1].sha256), "%s",
		 "3333333333333333333333333333333333333333333333333333333333333333");
	fg_record_add_output(r, &f[0]);
	fg_record_add_output(r, &f[1]);
	rc = fg_casedb_acquisition_end(db, id, r, err);
	fg_record_free(r);
	if (rc == FG_OK)
		printf("%" PRId64 "\n", id);
	return rc;
}

int main(int argc, char **argv)
{
	struct fg_casedb *db = NULL;
	struct fg_error err;
	int rc;

	fg_error_clear(&err);
	if (argc < 4) {
		fprintf(stderr, "usage: casedb-fixture DB verification ACQ_ID "
				"EXAMINER\n"
				"       casedb-fixture DB failing-acquisition "
				"CASE EVIDENCE EXAMINER\n");
		return 2;
	}
	rc = fg_casedb_open(&db, argv[1], 0, &err);
	if (rc == FG_OK && strcmp(argv[2], "verification") == 0 && argc == 5) {
		rc = fg_casedb_set_examiner(db, argv[4]);
		if (rc == FG_OK)
			rc = verification(db, strtoll(argv[3], NULL, 10), &err);
	} else if (rc == FG_OK && strcmp(argv[2], "failing-acquisition") == 0 &&
		   argc == 6) {
		rc = fg_casedb_set_examiner(db, argv[5]);
		if (rc == FG_OK)
			rc = failing_acquisition(db, argv[3], argv[4], &err);
	} else if (rc == FG_OK) {
		rc = fg_error_set(&err, FG_EINVAL, 0, "bad arguments");
	}
	fg_casedb_close(db);
	if (rc != FG_OK) {
		fprintf(stderr, "casedb-fixture: %s\n", err.msg);
		return 1;
	}
	return 0;
}
