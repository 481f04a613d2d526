/*
 * verify_case.c - verifications and the case database (see verify.h): the
 * sequence after a verification, as fg_acquire_run is the one of an
 * acquisition.  It decides which database a verification belongs in
 * (named, else the one its record names, else case.db beside the
 * evidence, else none), opens it, and records the verification with its
 * hashes and where it differed; and it re-verifies every evidence item of
 * a case from the final records the database keeps.
 *
 * The database is only reached through casedb.h, and a verification only
 * through one writer, fg_casedb_verification_add; this file decides what
 * of a verification goes into it.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/casedb.h>
#include <forage/container.h>
#include <forage/hash.h>
#include <forage/record.h>
#include <forage/verify.h>

#include "base/base_int.h"

static int file_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

/* The case database a verification of it belongs in when none is named:
 * the one its record names (case_db.path, where it is, else beside the
 * record), else the one fg_casedb_find finds from the first evidence
 * file's folder (beside it or in a parent folder).  malloc'd; NULL
 * when out of memory. */
static char *default_casedb(const struct fg_verify_item *it)
{
	char *dir, *p;

	if (it->record_case_db != NULL) {
		if (file_exists(it->record_case_db) ||
		    fg_casedb_is_server(it->record_case_db))
			return strdup(it->record_case_db);
		/* Moved with the evidence: beside the record. */
		if (it->record_path != NULL && file_exists(it->record_path)) {
			dir = fg_path_dir(it->record_path);
			p = dir != NULL ? fg_strdup_printf(
						  "%s/%s", dir,
						  fg_path_base(it->record_case_db))
					: NULL;
			free(dir);
			if (p == NULL || file_exists(p))
				return p;
			free(p);
		}
	}
	dir = fg_path_dir(it->nfiles > 0 ? it->files[0] : it->input);
	if (dir == NULL)
		return NULL;
	p = fg_casedb_find(dir, NULL);
	free(dir);
	return p;
}

/* ---- Which acquisition ---------------------------------------------------- */

struct find {
	struct fg_casedb *db;
	const char *name;
	uint64_t size;
	int64_t found;
	int64_t cur;
	struct fg_error *err;
};

static int find_output(void *ctx, const struct fg_casedb_output *o)
{
	struct find *f = ctx;

	if (o->path != NULL && strcmp(fg_path_base(o->path), f->name) == 0 &&
	    o->size == f->size)
		f->found = f->cur;
	return 0;
}

static int find_acq(void *ctx, const struct fg_casedb_acquisition *a)
{
	struct find *f = ctx;

	f->cur = a->id;
	return fg_casedb_outputs_each(f->db, a->id, find_output, f, f->err);
}

/* Is the database at path the one db has open? */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (fg_casedb_is_server(a) || fg_casedb_is_server(b))
		return strcmp(a, b) == 0;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int which_acquisition(struct fg_casedb *db,
			     const struct fg_verify_item *it, int64_t *acq,
			     struct fg_error *err)
{
	struct find f;
	int rc;

	*acq = 0;
	if (it->record_acquisition_id > 0 && it->record_case_db != NULL &&
	    same_file(it->record_case_db, fg_casedb_path(db))) {
		*acq = it->record_acquisition_id;
		return FG_OK;
	}
	if (it->nfiles == 0)
		return FG_OK;
	memset(&f, 0, sizeof(f));
	f.db = db;
	f.name = fg_path_base(it->files[0]);
	f.size = it->file_sizes[0];
	f.err = err;
	rc = fg_casedb_acquisitions_each(db, NULL, NULL, 0, find_acq, &f, err);
	if (rc != FG_OK)
		return rc;
	*acq = f.found;
	return FG_OK;
}

/* ---- Recording ----------------------------------------------------------- */

/* Is a check a digest compared, a row of verification_hashes?  Not a check
 * without a digest, not the hash windows (what differs in them is a diff),
 * and not a digest another check settled: it compared nothing, and the
 * verification's record keeps it with the reason. */
static int is_hash_row(int has_alg, const char *what, int settled)
{
	return has_alg && !settled &&
	       (what == NULL || strcmp(what, "hash windows") != 0);
}

static const char *file_of_check(const struct fg_check *c)
{
	if (strncmp(c->what, "file ", 5) == 0)
		return c->what + 5;
	return NULL;
}

static char *damage_words(const struct fg_verify_damage *d)
{
	char where[96];

	if (d->kind == FG_VDAMAGE_WINDOW)
		snprintf(where, sizeof(where), "hash window %" PRIu64,
			 d->window);
	else if (d->chunks > 1)
		snprintf(where, sizeof(where), "chunks %" PRIu64 "-%" PRIu64,
			 d->first_chunk, d->first_chunk + d->chunks - 1);
	else if (d->chunks == 1)
		snprintf(where, sizeof(where), "chunk %" PRIu64,
			 d->first_chunk);
	else
		snprintf(where, sizeof(where), "media bytes %" PRIu64
			 "-%" PRIu64, d->offset, d->offset + d->length - 1);
	return fg_strdup_printf("%s (LBA %" PRIu64 "-%" PRIu64 "): %s: %s",
				where, d->first_lba,
				d->first_lba + d->sectors - 1,
				d->kind == FG_VDAMAGE_CHECKSUM ? "damaged"
				: d->kind == FG_VDAMAGE_WINDOW ? "differs"
							       : "unreadable",
				d->detail);
}

/* The row of verification_diffs for one damaged range; what is malloc'd
 * (NULL when out of memory). */
static void diff_of_damage(struct fg_casedb_verify_diff *d,
			   const struct fg_verify_damage *x)
{
	d->file = x->has_file_offset ? x->file : NULL;
	d->offset = x->has_file_offset ? x->file_offset : x->offset;
	d->length = x->has_file_offset && x->file_length > 0 ? x->file_length
							     : x->length;
	d->what = damage_words(x);
}

/* Record it in db: the verification row (who, when, which files, method,
 * result, the whole verification record), one row per hash compared and
 * one per place it differed, and the "verification" event.  The
 * acquisition verified is it->acquisition_id when set, else the one the
 * record names when db is its database, else the latest acquisition that
 * wrote the first evidence file (same name and size), else none.  Sets
 * it->case_db, it->acquisition_id and it->verification_id.  Returns FG_OK,
 * FG_EDB, FG_ENOMEM. */
static int item_to_casedb(struct fg_casedb *db, struct fg_verify_item *it,
			  const struct fg_verify_opts *o, struct fg_error *err)
{
	struct fg_casedb_verification v;
	struct fg_casedb_verify_hash *h = NULL;
	struct fg_casedb_verify_diff *d = NULL;
	struct fg_record *rec = NULL;
	char *json = NULL, *target = NULL, *method = NULL;
	size_t nh = 0, nd = 0, i, tlen = 0;
	int64_t acq = it->acquisition_id, id = 0;
	int rc;

	if (acq == 0) {
		rc = which_acquisition(db, it, &acq, err);
		if (rc != FG_OK)
			return rc;
	}
	rec = fg_verify_item_record(it, o);
	json = rec != NULL ? fg_record_dump(rec) : NULL;
	for (i = 0; i < it->nfiles; i++)
		tlen += strlen(it->files[i]) + 2;
	target = malloc(tlen + strlen(it->input) + 8);
	h = calloc(it->nchecks + 1, sizeof(*h));
	d = calloc(it->ndamage + 1, sizeof(*d));
	method = fg_strdup_printf("%s verify: %s; page cache: %s", fg_version(),
				  it->format ? it->format : "not opened",
				  it->cache_bypass ? it->cache_bypass : "n/a");
	if (json == NULL || target == NULL || h == NULL || d == NULL ||
	    method == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	/* What was checked: the input, then the files read. */
	{
		size_t cap = tlen + strlen(it->input) + 8, pos;
		pos = (size_t)snprintf(target, cap, "%s", it->input);
		for (i = 0; i < it->nfiles && pos < cap; i++)
			if (strcmp(it->files[i], it->input) != 0)
				pos += (size_t)snprintf(target + pos,
							cap - pos, "; %s",
							it->files[i]);
	}
	for (i = 0; i < it->nchecks; i++) {
		const struct fg_check *c = &it->checks[i];
		if (!is_hash_row(c->alg != 0, c->what,
				 c->result == FG_CHECK_NOT_NEEDED))
			continue;
		h[nh].file = file_of_check(c);
		h[nh].algorithm = fg_hash_name(c->alg);
		h[nh].expected = c->expected[0] ? c->expected : NULL;
		h[nh].computed = c->computed[0] && c->result !=
							   FG_CHECK_UNVERIFIABLE
					 ? c->computed
					 : NULL;
		h[nh].match = c->result == FG_CHECK_MATCH;
		h[nh].what = c->what;
		h[nh].source = c->source != NULL && c->source[0] ? c->source
								 : NULL;
		nh++;
	}
	for (i = 0; i < it->ndamage; i++) {
		diff_of_damage(&d[nd], &it->damage[i]);
		if (d[nd].what == NULL) {
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
			goto out;
		}
		nd++;
	}
	memset(&v, 0, sizeof(v));
	v.acquisition_id = acq;
	v.started_utc = it->started_utc;
	v.finished_utc = it->finished_utc;
	v.target = target;
	v.method = method;
	v.result = it->status == FG_OK ? "match"
		   : it->status == FG_EMISMATCH ? "mismatch"
						: "error";
	v.exit_code = fg_exit_for_status(it->status);
	v.message = it->status != FG_OK && it->err.msg[0] ? it->err.msg : NULL;
	v.record_json = json;
	rc = fg_casedb_verification_add(db, &v, h, nh, d, nd, &id, err);
	if (rc == FG_OK) {
		free(it->case_db);
		/* Absolute, as records name it: a saved verify --json is an
		 * anchor of this database wherever it is kept. */
		it->case_db = fg_casedb_absolute(fg_casedb_path(db));
		if (it->case_db == NULL)
			it->case_db = strdup(fg_casedb_path(db));
		it->acquisition_id = acq;
		it->verification_id = id;
		it->event = fg_casedb_last_event(db, it->event_sha256);
		if (it->case_db == NULL)
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
	}
out:
	for (i = 0; i < nd; i++)
		free((char *)d[i].what);
	free(d);
	free(h);
	free(method);
	free(target);
	free(json);
	fg_record_free(rec);
	return rc;
}

/* ---- One verification: the database it belongs in ------------------------ */

int fg_verify_item_record_casedb(struct fg_verify_item *it,
				 const struct fg_verify_opts *o,
				 const char *path, char *note, size_t notelen,
				 struct fg_error *err)
{
	struct fg_casedb *db = NULL;
	struct fg_error e;
	char *p;
	int rc;

	fg_error_clear(&e);
	if (notelen > 0)
		note[0] = '\0';
	if (it->status == FG_EINTR)
		return FG_OK;
	p = path != NULL ? strdup(path) : default_casedb(it);
	if (p == NULL) {
		snprintf(note, notelen, "NOT recorded: out of memory");
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	if (path == NULL && access(p, F_OK) != 0) {
		snprintf(note, notelen,
			 "not recorded: no case database (none at %s; "
			 "--case-db names one)",
			 p);
		free(p);
		return FG_OK;
	}
	rc = fg_casedb_open_stop(&db, p,
				 path != NULL ? FG_CASEDB_CREATE
					      : FG_CASEDB_NOFOLLOW,
				 o->stop, &e);
	if (rc == FG_OK && fg_casedb_set_examiner(db, o->examiner) != FG_OK)
		rc = fg_error_set(&e, FG_ENOMEM, ENOMEM, "out of memory");
	if (rc == FG_OK)
		rc = item_to_casedb(db, it, o, &e);
	if (rc == FG_OK && it->acquisition_id > 0)
		snprintf(note, notelen,
			 "verification %" PRId64 " of acquisition %" PRId64
			 " in %s",
			 it->verification_id, it->acquisition_id, p);
	else if (rc == FG_OK)
		snprintf(note, notelen,
			 "verification %" PRId64 " in %s (no acquisition "
			 "there wrote %s)",
			 it->verification_id, p,
			 it->nfiles ? fg_path_base(it->files[0]) : it->input);
	else
		snprintf(note, notelen, "NOT recorded: %s", e.msg);
	fg_casedb_close(db);
	free(p);
	if (rc == FG_OK)
		return FG_OK;
	fg_error_copy(err, &e);
	/* A database found by default that cannot be written is told, but
	 * the verification stands; one named had to be written. */
	return path != NULL ? rc : FG_OK;
}

/* ---- A whole case --------------------------------------------------------- */

struct acq_copy {
	int64_t id;
	char *evidence_id;
	char *state;
	char *record_final;
	int completed;
};

struct collect {
	struct acq_copy *a;
	size_t n, cap;
	char **items; /* evidence items of the case */
	size_t nitems, icap;
	int found_case;
	const char *case_id;
	int oom;
};

static int collect_acq(void *ctx, const struct fg_casedb_acquisition *a)
{
	struct collect *c = ctx;
	struct acq_copy *x;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 8;
		void *p = realloc(c->a, ncap * sizeof(*c->a));
		if (p == NULL) {
			c->oom = 1;
			return 1;
		}
		c->a = p;
		c->cap = ncap;
	}
	x = &c->a[c->n];
	memset(x, 0, sizeof(*x));
	x->id = a->id;
	x->evidence_id = a->evidence_id ? strdup(a->evidence_id) : NULL;
	x->state = strdup(a->state ? a->state : "unknown");
	x->record_final = a->record_final ? strdup(a->record_final) : NULL;
	x->completed = a->state != NULL &&
		       (strcmp(a->state, "success") == 0 ||
			strcmp(a->state, "completed with errors") == 0);
	c->n++;
	if ((a->evidence_id && x->evidence_id == NULL) || x->state == NULL ||
	    (a->record_final && x->record_final == NULL)) {
		c->oom = 1;
		return 1;
	}
	return 0;
}

static int collect_item(void *ctx, const struct fg_casedb_evidence *e)
{
	struct collect *c = ctx;

	if (c->nitems == c->icap) {
		size_t ncap = c->icap ? c->icap * 2 : 8;
		void *p = realloc(c->items, ncap * sizeof(*c->items));
		if (p == NULL) {
			c->oom = 1;
			return 1;
		}
		c->items = p;
		c->icap = ncap;
	}
	if ((c->items[c->nitems] = strdup(e->evidence_id)) == NULL) {
		c->oom = 1;
		return 1;
	}
	c->nitems++;
	return 0;
}

static int collect_case(void *ctx, const struct fg_casedb_case *cs)
{
	struct collect *c = ctx;

	if (strcmp(cs->case_id, c->case_id) == 0)
		c->found_case = 1;
	return 0;
}

static int same_item(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	       (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void free_collect(struct collect *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->a[i].evidence_id);
		free(c->a[i].state);
		free(c->a[i].record_final);
	}
	free(c->a);
	for (i = 0; i < c->nitems; i++)
		free(c->items[i]);
	free(c->items);
}

/* Verify one copy of acquisition a's evidence (o->copy) into e, and
 * record it in db; *ncopies: the copies to verify (the record's, when
 * o->copy was 0).  Returns e->status, or FG_ENOMEM (err set). */
static int verify_acq_copy(struct fg_casedb *db, const struct fg_verify_opts *o,
			   const struct acq_copy *a, const char *label,
			   const char *search_dir, const char *dbdir,
			   struct fg_verify_case_entry *e, char *note,
			   size_t notelen, unsigned *ncopies,
			   struct fg_error *err)
{
	e->status = fg_verify_item_run_record(o, a->record_final, label,
					      search_dir, dbdir, &e->item);
	if (e->item == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	if (e->item->all_copies)
		*ncopies = e->item->ncopies;
	e->item->acquisition_id = a->id;
	if (e->status != FG_EINTR) {
		struct fg_error de;
		fg_error_clear(&de);
		if (item_to_casedb(db, e->item, o, &de) != FG_OK) {
			snprintf(note, notelen, "not recorded: %s", de.msg);
			e->note = note;
			if (e->status == FG_OK)
				e->status = de.code;
		}
	}
	return e->status;
}

/* Re-verify every acquisition of case_id in db (evidence_id: only that
 * item), as fg_verify_case_in says. */
static int verify_case(struct fg_casedb *db, const struct fg_verify_opts *o,
		       const char *case_id, const char *evidence_id,
		       const char *search_dir, fg_verify_case_fn fn, void *ctx,
		       struct fg_error *err)
{
	struct collect c;
	char *dbdir = NULL;
	int none = 0;
	size_t i, k;
	int rc, nmis = 0, nfail = 0, nok = 0;

	memset(&c, 0, sizeof(c));
	c.case_id = case_id;
	rc = fg_casedb_cases_each(db, collect_case, &c, err);
	if (rc != FG_OK)
		return rc;
	if (!c.found_case)
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: the case database knows no case '%s'",
				    fg_casedb_path(db), case_id);
	rc = fg_casedb_evidence_each(db, case_id, collect_item, &c, err);
	if (rc == FG_OK)
		rc = fg_casedb_acquisitions_each(db, case_id, evidence_id, 0,
						 collect_acq, &c, err);
	if (rc == FG_OK && c.oom)
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	if (rc != FG_OK)
		goto out;
	if (evidence_id != NULL) {
		int known = 0;
		for (i = 0; i < c.nitems; i++)
			if (strcmp(c.items[i], evidence_id) == 0)
				known = 1;
		if (!known) {
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "%s: case '%s' has no evidence "
					  "item '%s'",
					  fg_casedb_path(db), case_id,
					  evidence_id);
			goto out;
		}
	}
	dbdir = fg_casedb_dir(fg_casedb_path(db), &none);
	if (dbdir == NULL && !none) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	/* Items without any acquisition. */
	for (i = 0; i < c.nitems; i++) {
		struct fg_verify_case_entry e;
		int has = 0;

		if (evidence_id != NULL && strcmp(c.items[i], evidence_id) != 0)
			continue;
		for (k = 0; k < c.n; k++)
			if (same_item(c.a[k].evidence_id, c.items[i]))
				has = 1;
		if (has)
			continue;
		memset(&e, 0, sizeof(e));
		e.case_db = fg_casedb_path(db);
		e.case_id = case_id;
		e.evidence_id = c.items[i];
		e.status = FG_ESOURCE;
		e.note = "no acquisition of this item is recorded";
		nfail++;
		if (fn != NULL)
			fn(ctx, &e);
	}
	for (k = 0; k < c.n; k++) {
		struct acq_copy *a = &c.a[k];
		struct fg_verify_case_entry e;
		char label[1024], dberr_note[FG_ERRMSG_MAX + 64];
		struct fg_verify_opts oc;
		unsigned copy, ncopies;
		int other_done = 0;
		size_t j;

		memset(&e, 0, sizeof(e));
		e.case_db = fg_casedb_path(db);
		e.case_id = case_id;
		e.evidence_id = a->evidence_id;
		e.acquisition_id = a->id;
		e.state = a->state;
		if (!a->completed || a->record_final == NULL) {
			for (j = 0; j < c.n; j++)
				if (j != k && c.a[j].completed &&
				    same_item(c.a[j].evidence_id,
					      a->evidence_id))
					other_done = 1;
			e.status = FG_ESOURCE;
			e.skipped = other_done;
			e.note = "the acquisition did not complete: no "
				 "evidence to verify";
			if (!other_done)
				nfail++;
			if (fn != NULL)
				fn(ctx, &e);
			continue;
		}
		snprintf(label, sizeof(label),
			 "the case database %s, acquisition %" PRId64,
			 fg_casedb_is_server(fg_casedb_path(db))
				 ? fg_casedb_path(db)
				 : fg_path_base(fg_casedb_path(db)),
			 a->id);
		/* Each copy of the evidence (--second-output) on its own. */
		oc = *o;
		for (copy = 1, ncopies = 1; copy <= ncopies; copy++) {
			if (copy > 1)
				oc.copy = copy;
			e.note = NULL;
			rc = verify_acq_copy(db, &oc, a, label, search_dir,
					     dbdir, &e, dberr_note,
					     sizeof(dberr_note), &ncopies, err);
			if (rc == FG_ENOMEM)
				goto out;
			if (e.status == FG_OK)
				nok++;
			else if (e.status == FG_EMISMATCH)
				nmis++;
			else
				nfail++;
			if (fn != NULL)
				fn(ctx, &e);
			fg_verify_item_free(e.item);
			e.item = NULL;
			if (rc == FG_EINTR) {
				fg_error_set(err, FG_EINTR, EINTR,
					     "interrupted");
				goto out;
			}
		}
	}
	if (nok + nmis + nfail == 0)
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: nothing to verify: case '%s'%s%s%s has "
				  "no evidence item and no acquisition",
				  fg_casedb_path(db), case_id,
				  evidence_id ? " (item '" : "",
				  evidence_id ? evidence_id : "",
				  evidence_id ? "')" : "");
	else if (nmis > 0)
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "case '%s': %d of %d verification%s found "
				  "differences%s",
				  case_id, nmis, nok + nmis + nfail,
				  nok + nmis + nfail == 1 ? "" : "s",
				  nfail ? ", and some evidence could not be "
					  "verified"
					: "");
	else if (nfail > 0)
		rc = fg_error_set(err, FG_ESOURCE, 0,
				  "case '%s': %d of %d item%s could not be "
				  "verified",
				  case_id, nfail, nok + nfail,
				  nok + nfail == 1 ? "" : "s");
	else
		rc = FG_OK;
out:
	free(dbdir);
	free_collect(&c);
	return rc;
}

int fg_verify_case_in(const char *path, const struct fg_verify_opts *o,
		      const char *case_id, const char *evidence_id,
		      const char *search_dir, fg_verify_case_fn fn, void *ctx,
		      struct fg_error *err)
{
	struct fg_casedb *db = NULL;
	char *found = path != NULL ? NULL : fg_casedb_find(".", NULL);
	int rc;

	if (path == NULL && found == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	rc = fg_casedb_open_stop(&db, path != NULL ? path : found,
				 path != NULL ? 0 : FG_CASEDB_NOFOLLOW, o->stop,
				 err);
	free(found);
	if (rc == FG_OK && fg_casedb_set_examiner(db, o->examiner) != FG_OK)
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	if (rc == FG_OK)
		rc = verify_case(db, o, case_id, evidence_id, search_dir, fn,
				 ctx, err);
	fg_casedb_close(db);
	return rc;
}

/* ---- acquire --verify --------------------------------------------------- */

/* Member field of element i of the array at key, 0 when absent. */
static uint64_t elem_u64(const struct fg_record *rec, const char *key, size_t i,
			 const char *field)
{
	int64_t v;

	return fg_record_array_int(rec, key, i, field, &v) == FG_OK && v >= 0
		   ? (uint64_t)v
		   : 0;
}

/* A damage entry of a verification's record, back as the struct it was
 * written from (enough for damage_words). */
static void damage_from_record(const struct fg_record *rec, const char *key,
			       size_t i, struct fg_verify_damage *x)
{
	const char *kind = fg_record_array_str(rec, key, i, "kind");
	int64_t v;

	memset(x, 0, sizeof(*x));
	x->kind = kind == NULL			     ? FG_VDAMAGE_UNREADABLE
		  : strcmp(kind, "damaged") == 0     ? FG_VDAMAGE_CHECKSUM
		  : strcmp(kind, "hash window") == 0 ? FG_VDAMAGE_WINDOW
						     : FG_VDAMAGE_UNREADABLE;
	x->first_lba = elem_u64(rec, key, i, "first_lba");
	x->sectors = elem_u64(rec, key, i, "sectors");
	x->offset = elem_u64(rec, key, i, "offset");
	x->length = elem_u64(rec, key, i, "length");
	x->first_chunk = elem_u64(rec, key, i, "first_chunk");
	x->chunks = elem_u64(rec, key, i, "chunks");
	x->window = elem_u64(rec, key, i, "window");
	x->file_length = elem_u64(rec, key, i, "file_length");
	if (fg_record_array_int(rec, key, i, "file_offset", &v) == FG_OK &&
	    v >= 0) {
		x->file_offset = (uint64_t)v;
		x->has_file_offset = 1;
	}
	x->file = (char *)fg_record_array_str(rec, key, i, "file");
	x->detail = (char *)fg_record_array_str(rec, key, i, "detail");
	if (x->detail == NULL)
		x->detail = (char *)"";
}

int fg_verify_written_to_casedb(struct fg_casedb *db, int64_t acq_id,
				const struct fg_record *rec, const char *prefix,
				size_t first_output, size_t noutputs,
				int status, int64_t *ver_id,
				struct fg_error *err)
{
	struct fg_casedb_verification v;
	struct fg_casedb_verify_hash *h = NULL;
	struct fg_casedb_verify_diff *d = NULL;
	struct fg_buf target = {NULL, 0, 0, 0};
	char *json = NULL, *method = NULL;
	char skey[128], ckey[128], dkey[128], key[128];
	const char *word, *how, *bypass;
	size_t nchecks, ndamage, nh = 0, nd = 0, i;
	int rc;

	*ver_id = 0;
	snprintf(skey, sizeof(skey), "%s.status", prefix);
	snprintf(ckey, sizeof(ckey), "%s.checks", prefix);
	snprintf(dkey, sizeof(dkey), "%s.damage", prefix);
	word = fg_record_get_str(rec, skey);
	if (word == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "the acquisition record holds no %s", skey);
	if (noutputs == 0 ||
	    first_output + noutputs > fg_record_array_size(rec, "outputs"))
		return fg_error_set(err, FG_EINVAL, 0,
				    "the acquisition record lists no outputs "
				    "%zu to %zu for %s",
				    first_output, first_output + noutputs,
				    prefix);
	/* What was checked: the files re-read, as the record names them. */
	for (i = 0; i < noutputs; i++) {
		const char *p = fg_record_array_str(rec, "outputs",
						    first_output + i, "path");
		if (p == NULL) {
			free(target.p);
			return fg_error_set(err, FG_EINVAL, 0,
					    "the acquisition record's "
					    "outputs[%zu] has no path",
					    first_output + i);
		}
		fg_buf_printf(&target, "%s%s", i ? "; " : "", p);
	}
	snprintf(key, sizeof(key), "%s.method", prefix);
	how = fg_record_get_str(rec, key);
	snprintf(key, sizeof(key), "%s.page_cache_bypass", prefix);
	bypass = fg_record_get_str(rec, key);
	method = fg_strdup_printf("%s acquire --verify: %s; page cache: %s",
				  fg_version(),
				  how ? how : "re-read of the written evidence",
				  bypass ? bypass : "unknown");
	json = fg_record_dump_at(rec, prefix);
	nchecks = fg_record_array_size(rec, ckey);
	ndamage = fg_record_array_size(rec, dkey);
	h = calloc(nchecks + 1, sizeof(*h));
	d = calloc(ndamage + 1, sizeof(*d));
	if (target.failed || method == NULL || json == NULL || h == NULL ||
	    d == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nchecks; i++) {
		const char *alg =
		    fg_record_array_str(rec, ckey, i, "algorithm");
		const char *what = fg_record_array_str(rec, ckey, i, "what");
		const char *ex = fg_record_array_str(rec, ckey, i, "expected");
		const char *co = fg_record_array_str(rec, ckey, i, "computed");
		const char *res = fg_record_array_str(rec, ckey, i, "result");
		const char *src = fg_record_array_str(rec, ckey, i, "source");

		if (!is_hash_row(alg != NULL, what,
				 res != NULL && strcmp(res, "not needed") == 0))
			continue;
		h[nh].file = what != NULL && strncmp(what, "file ", 5) == 0
				 ? what + 5
				 : NULL;
		h[nh].algorithm = alg;
		h[nh].expected = ex != NULL && ex[0] ? ex : NULL;
		h[nh].computed =
		    co != NULL && co[0] &&
			    (res == NULL || strcmp(res, "not verifiable") != 0)
			? co
			: NULL;
		h[nh].match = res != NULL && strcmp(res, "match") == 0;
		h[nh].what = what;
		h[nh].source = src != NULL && src[0] ? src : NULL;
		nh++;
	}
	for (i = 0; i < ndamage; i++) {
		struct fg_verify_damage x;
		damage_from_record(rec, dkey, i, &x);
		diff_of_damage(&d[nd], &x);
		if (d[nd].what == NULL) {
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
			goto out;
		}
		nd++;
	}
	memset(&v, 0, sizeof(v));
	v.acquisition_id = acq_id;
	snprintf(key, sizeof(key), "%s.started_utc", prefix);
	v.started_utc = fg_record_get_str(rec, key);
	snprintf(key, sizeof(key), "%s.finished_utc", prefix);
	v.finished_utc = fg_record_get_str(rec, key);
	v.target = target.p;
	v.method = method;
	v.result = strcmp(word, "verified") == 0   ? "match"
		   : strcmp(word, "mismatch") == 0 ? "mismatch"
						   : "error";
	v.exit_code = fg_exit_for_status(status);
	snprintf(key, sizeof(key), "%s.message", prefix);
	v.message = fg_record_get_str(rec, key);
	v.record_json = json;
	rc = fg_casedb_verification_add(db, &v, h, nh, d, nd, ver_id, err);
out:
	for (i = 0; i < nd; i++)
		free((char *)d[i].what);
	free(d);
	free(h);
	free(method);
	free(json);
	free(target.p);
	return rc;
}
