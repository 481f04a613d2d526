/*
 * acquire_db.c - an acquisition in the case database (see acquire.c for
 * when): the database opened (or, before any evidence exists, only its
 * folder checked), the acquisition's row completed from the final record,
 * each --verify of a copy as a row of the verifications table, and the
 * event log anchored in the record.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/acquire.h>
#include <forage/casedb.h>
#include <forage/record.h>
#include <forage/verify.h>

#include "base/base_int.h"
#include "run/acquire_int.h"

/* Open the case database r->db_path when it exists, or, when it does not,
 * check that its folder can take it and (create set) make it.  One on a
 * server is reached at once (its schema made if it has none yet). */
int fg_acq_db_open(struct fg_acq *r, int create, struct fg_error *err)
{
	struct stat st;
	int rc;

	if (r->db != NULL)
		return FG_OK;
	/* A link found by default, even a dangling one, goes on to be
	 * refused before any evidence is written. */
	if (!create && !fg_casedb_is_server(r->db_path) &&
	    access(r->db_path, F_OK) != 0 &&
	    !(r->db_default && lstat(r->db_path, &st) == 0))
		return fg_acq_check_folder(r->db_path, err);
	rc = fg_casedb_open(&r->db, r->db_path,
			    FG_CASEDB_CREATE |
				    (r->db_default ? FG_CASEDB_NOFOLLOW : 0),
			    err);
	/* The record's examiner: a resumed run's is the interrupted one's. */
	if (rc == FG_OK &&
	    fg_casedb_set_examiner(
		r->db, fg_record_get_str(r->rec, "case.examiner")) != FG_OK)
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	return rc;
}

/* Keep the id and sha256 of the event just written in the record: the
 * event log is then anchored outside the database too. */
void fg_acq_db_anchor(struct fg_acq *r, const char *which)
{
	char key[64], hex[65];
	int64_t id = fg_casedb_last_event(r->db, hex);

	snprintf(key, sizeof(key), "case_db.%s_event", which);
	fg_record_set_int(r->rec, key, id);
	snprintf(key, sizeof(key), "case_db.%s_event_sha256", which);
	fg_record_set_str(r->rec, key, hex);
}

/* Complete the acquisition's row from the final record.  A failure does not
 * change the acquisition's own result (the evidence is what it is) but is
 * written into the record and returned in dberr. */
void fg_acq_db_end(struct fg_acq *r, struct fg_error *dberr)
{
	if (r->db == NULL || r->db_acq <= 0)
		return;
	if (fg_casedb_acquisition_end(r->db, r->db_acq, r->rec, dberr) ==
	    FG_OK) {
		fg_record_set_bool(r->rec, "case_db.recorded", 1);
		fg_acq_db_anchor(r, "completed");
		return;
	}
	fg_record_set_bool(r->rec, "case_db.recorded", 0);
	fg_record_set_str(r->rec, "case_db.error", dberr->msg);
	if (r->o->warn != NULL)
		r->o->warn(r->o->ctx, dberr->msg);
}

/* Each copy --verify read back becomes a row of the verifications table,
 * once the acquisition's row is complete.  A failure leaves the
 * acquisition's result as it is (the evidence and its check are what they
 * are) but is written into the record and warned about. */
void fg_acq_db_verifications(struct fg_acq *r)
{
	size_t first = 0;
	unsigned i;
	int done;

	for (i = 0; i < r->ncopies; i++) {
		struct fg_acq_copy *c = &r->copies[i];
		const char *p =
		    i == 0 ? "verification" : "verification_second_output";
		size_t n = c->sink != NULL ? c->sink->nfiles : 0;
		struct fg_error e;
		char key[96], msg[FG_ERRMSG_MAX + 96];
		int64_t id = 0;

		first += n;
		if (!c->verified || r->db == NULL || r->db_acq <= 0)
			continue;
		fg_error_clear(&e);
		if (fg_record_get_bool(r->rec, "case_db.recorded", &done) !=
			FG_OK ||
		    !done)
			fg_error_set(&e, FG_EDB, 0,
				     "%s: the acquisition's row could not "
				     "be completed",
				     r->db_path);
		else if (fg_verify_written_to_casedb(
			     r->db, r->db_acq, r->rec, p, first - n, n,
			     c->verify_rc, &id, &e) == FG_OK) {
			snprintf(key, sizeof(key), "case_db.%s_id", p);
			fg_record_set_int(r->rec, key, id);
			fg_acq_db_anchor(r, p);
			continue;
		}
		snprintf(msg, sizeof(msg),
			 "--verify of %s: not recorded in the case database's "
			 "verifications: %s",
			 c->outbase, e.msg);
		snprintf(key, sizeof(key), "case_db.%s_error", p);
		fg_record_set_str(r->rec, key, msg);
		if (r->o->warn != NULL)
			r->o->warn(r->o->ctx, msg);
	}
}
