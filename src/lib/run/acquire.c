/*
 * acquire.c - the acquisition engine (see acquire.h).
 *
 *   NEW -> SOURCE OPEN -> OUTPUTS CHECKED -> GUARDED -> SINKS OPEN
 *       -> RECORD "running" -> READING -> SINKS FINISHED -> RECORD final
 *                          \-> (failure | signal) -> SINKS ABORTED
 *                                                 -> RECORD final
 * Nothing is created before the source, the output folder and every output
 * name have been checked, so a refused run leaves no file behind.  From the
 * moment the first output exists, the record exists too and ends with an
 * honest result.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <forage/acquire.h>
#include <forage/casedb.h>
#include <forage/hash.h>
#include <forage/mapfile.h>
#include <forage/pipeline.h>
#include <forage/record.h>
#include <forage/source.h>
#include <forage/verify.h>

#include "base/base_int.h"

#define MAX_COPIES 2
#define DEFAULT_BLOCK (1u << 20)
#define MAP_SAVE_S 5.0 /* the mapfile is rewritten at most this often */

static const unsigned hash_order[3] = {FG_HASH_MD5, FG_HASH_SHA1,
				       FG_HASH_SHA256};

struct copy {
	const char *outbase;
	char *json, *txt, *md5, *sha256;
	struct fg_sink *sink;
	int record_written; /* OUTBASE.json exists, written by this run */
	int verified;	    /* --verify read it back; verify_rc says how */
	int verify_rc;
};

struct bad_list {
	uint64_t (*r)[2];
	size_t n, cap;
	int oom;
};

struct run {
	const struct fg_acquire_opts *o;
	struct fg_record *rec;
	struct fg_source *src;
	struct fg_guard *guard;
	struct copy copies[MAX_COPIES];
	unsigned ncopies;
	struct fg_hash *hash[3];
	struct fg_hashwin *win;
	uint64_t win_size;      /* the hash window in force (0: none) */
	struct bad_list bad;
	time_t t_start;
	char *db_path;          /* the case database */
	struct fg_casedb *db;
	int64_t db_acq;         /* its acquisition row, 0 before it exists */
	/* Failing drives (the part of the engine at the end of this file). */
	struct fg_map *map;          /* what was read; always kept */
	char map_started[32];        /* UTC start, for the mapfile header */
	uint64_t earlier_retries;    /* spent by runs this one resumes */
	uint64_t earlier_errors;
	uint64_t in_order;           /* bytes hashed while reading */
	int read_in_order;           /* a sink needs the media in order */
};

static int map_prepare(struct run *r, struct fg_error *err);
static int map_save(struct run *r, const struct fg_map *m, int first,
		    struct fg_error *err);
static int map_checkpoint(void *ctx, const struct fg_map *m,
			  struct fg_error *err);
static int rehash_image(struct run *r, struct fg_error *err);
static void add_digests(struct run *r, struct fg_pipe *pipe, int md5_taken);
static void record_reading(struct run *r, const struct fg_reader_stats *st);
static int verify_source(struct run *r, const struct fg_media_hashes *h,
			 struct fg_error *err);

void fg_acquire_opts_init(struct fg_acquire_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = "e01";
	o->compression = "fast";
	o->ewf_format = "encase6";
	o->hash_mask = FG_HASH_MD5 | FG_HASH_SHA256;
	o->retries = 3;
	o->fill_byte = 0;
	o->block_size = DEFAULT_BLOCK;
	o->hash_window = FG_HASH_WINDOW_AUTO; /* issue 8: localise damage */
}

/* How many windows of w bytes cover size bytes. */
static uint64_t windows_for(uint64_t size, uint64_t w)
{
	return size / w + (size % w != 0);
}

uint64_t fg_acquire_default_hash_window(uint64_t media_size)
{
	uint64_t w = FG_HASH_WINDOW_RAW;

	while (windows_for(media_size, w) > FG_HASH_WINDOWS_DEFAULT_MAX)
		w *= 2;
	return w;
}

/* The hash window in force for the source: as asked, or by format and
 * size (FG_HASH_WINDOW_AUTO); FG_EINVAL, saying why, when the windows
 * asked for would be too many to hold. */
static int hash_window_of(struct run *r, struct fg_error *err)
{
	const struct fg_acquire_opts *o = r->o;
	const uint64_t size = r->src->size;
	uint64_t n, least;

	if (o->hash_window == FG_HASH_WINDOW_AUTO) {
		const struct fg_sink_ops *f = fg_sink_format(o->format);

		/* A format whose chunks carry checksums needs none. */
		r->win_size = f != NULL && !(f->flags & FG_SINK_CHUNK_CHECKSUMS)
				  ? fg_acquire_default_hash_window(size)
				  : 0;
		return FG_OK;
	}
	r->win_size = o->hash_window;
	if (r->win_size == 0)
		return FG_OK;
	n = windows_for(size, r->win_size);
	if (n <= FG_HASH_WINDOWS_MAX)
		return FG_OK;
	least = (size + FG_HASH_WINDOWS_MAX - 1) / FG_HASH_WINDOWS_MAX;
	least = (least + 4095) / 4096 * 4096;
	return fg_error_set(err, FG_EINVAL, 0,
			    "--hash-window %llu: %llu windows for the %llu "
			    "bytes of %s; at most %llu, since each is held "
			    "in memory and in the record until the end: use "
			    "--hash-window %llu or more, or 0 for none",
			    (unsigned long long)o->hash_window,
			    (unsigned long long)n, (unsigned long long)size,
			    o->source, (unsigned long long)FG_HASH_WINDOWS_MAX,
			    (unsigned long long)least);
}

/* The pipeline of --block-size blocks (memory: see fg_pipe_depth_for). */
static int new_pipe(const struct fg_acquire_opts *o, struct fg_pipe **pipe,
		    struct fg_error *err)
{
	size_t bs = o->block_size ? o->block_size : DEFAULT_BLOCK;

	return fg_pipe_new(pipe, bs, fg_pipe_depth_for(bs), err);
}

/* ---- Consumers ---------------------------------------------------------- */

static int consume_hash(void *ctx, const struct fg_block *b,
			struct fg_error *err)
{
	(void)err;
	return fg_hash_update(ctx, b->data, b->len);
}

static int consume_win(void *ctx, const struct fg_block *b,
		       struct fg_error *err)
{
	int rc = fg_hashwin_update(ctx, b->data, b->len);

	if (rc != FG_OK)
		return fg_error_set(err, rc, 0, "hash windows: %s",
				    fg_status_name(rc));
	return FG_OK;
}

/* The media's SHA-256 and the hash windows in one pass (hash.c). */
static int consume_sha256_win(void *ctx, const struct fg_block *b,
			      struct fg_error *err)
{
	struct run *r = ctx;
	int rc = fg_hashwin_update_with(r->win, r->hash[2], b->data, b->len);

	if (rc != FG_OK)
		return fg_error_set(err, rc, 0, "SHA-256 and hash windows: %s",
				    fg_status_name(rc));
	return FG_OK;
}

static int consume_sink(void *ctx, const struct fg_block *b,
			struct fg_error *err)
{
	struct fg_sink *s = ctx;
	int rc = fg_sink_write(s, b->data, b->len, b->offset);

	if (rc != FG_OK)
		fg_error_copy(err, &s->err);
	return rc;
}

static void on_bad(void *ctx, uint64_t lba, uint64_t count)
{
	struct run *r = ctx;
	struct bad_list *bl = &r->bad;

	if (bl->n == bl->cap) {
		size_t ncap = bl->cap ? bl->cap * 2 : 64;
		void *p = realloc(bl->r, ncap * sizeof(*bl->r));
		if (p == NULL) {
			bl->oom = 1;
			return;
		}
		bl->r = p;
		bl->cap = ncap;
	}
	bl->r[bl->n][0] = lba;
	bl->r[bl->n][1] = count;
	bl->n++;
	if (r->o->warn != NULL) {
		char msg[512];
		snprintf(msg, sizeof(msg),
			 "read error at LBA %llu (%llu sector%s, %s): %u "
			 "retries, filled with 0x%02x",
			 (unsigned long long)lba, (unsigned long long)count,
			 count == 1 ? "" : "s", r->src->path, r->o->retries,
			 r->o->fill_byte);
		r->o->warn(r->o->ctx, msg);
	}
}

static void on_progress(void *ctx, const struct fg_progress *p)
{
	struct run *r = ctx;

	if (r->o->on_progress != NULL)
		r->o->on_progress(r->o->ctx, p);
}

/* ---- Record -------------------------------------------------------------- */

static void record_start(struct run *r)
{
	const struct fg_acquire_opts *o = r->o;
	struct fg_record *rec = r->rec;
	char host[256], when[32], list[32] = "", *cwd;
	size_t i;

	fg_record_set_str(rec, "record_format", "forage-acquisition-1");
	fg_record_set_str(rec, "tool.name", PACKAGE_NAME);
	fg_record_set_str(rec, "tool.version", PACKAGE_VERSION);
	fg_record_set_str(rec, "tool.md5", fg_hash_md5_implementation());
	fg_record_set_str(rec, "tool.sha256", fg_hash_sha256_implementation());
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		fg_record_set_str(rec, "run.host", host);
	} else {
		fg_record_set_null(rec, "run.host");
	}
	fg_record_set_str(rec, "run.command_line", o->command_line);
	/* What the command line's relative paths are relative to. */
	cwd = getcwd(NULL, 0);
	fg_record_set_str(rec, "run.working_directory", cwd);
	free(cwd);
	fg_record_utc_now(when, sizeof(when));
	fg_record_set_str(rec, "run.started_utc", when);
	fg_record_set_null(rec, "run.finished_utc");
	fg_record_set_str(rec, "case.case_id", o->case_id);
	fg_record_set_str(rec, "case.evidence_id", o->evidence_id);
	fg_record_set_str(rec, "case.examiner", o->examiner);
	fg_record_set_str(rec, "case.description", o->description);
	fg_record_set_str(rec, "case.notes", o->notes);

	fg_record_set_str(rec, "parameters.format", o->format);
	for (i = 0; i < 3; i++) {
		if (!(o->hash_mask & hash_order[i]))
			continue;
		size_t n = strlen(list);
		snprintf(list + n, sizeof(list) - n, "%s%s", n ? "," : "",
			 fg_hash_name(hash_order[i]));
	}
	fg_record_set_str(rec, "parameters.hashes", list);
	fg_record_set_int(rec, "parameters.block_size",
			  (int64_t)o->block_size);
	fg_record_set_int(rec, "parameters.retries", o->retries);
	fg_record_set_int(rec, "parameters.fill_byte", o->fill_byte);
	fg_record_set_int(rec, "parameters.segment_size",
			  (int64_t)o->segment_size);
	if (fg_sink_format_flags(o->format) & FG_SINK_EWF_OPTIONS) {
		fg_record_set_str(rec, "parameters.compression",
				  o->compression);
		fg_record_set_str(rec, "parameters.ewf_format", o->ewf_format);
		fg_record_set_int(rec, "parameters.chunk_size",
				  (int64_t)o->chunk_size);
	}
	fg_record_set_int(rec, "parameters.offset", (int64_t)o->offset);
	fg_record_set_int(rec, "parameters.length", (int64_t)o->length);
	fg_record_set_bool(rec, "parameters.verify", o->verify);
	fg_record_set_bool(rec, "parameters.verify_source", o->verify_source);
	fg_record_set_bool(rec, "parameters.no_write_block",
			   o->no_write_block);
	fg_record_set_str(rec, "parameters.second_output", o->second_outbase);
	if (o->profile_name != NULL) {
		fg_record_set_str(rec, "parameters.profile", o->profile_name);
		fg_record_set_str(rec, "parameters.profile_sha256",
				  o->profile_sha256);
	}
	fg_record_set_str(rec, "result.status", "running");
}

static const char *status_word(int status)
{
	switch (status) {
	case FG_OK: return "success";
	case FG_EBADSECT: return "completed with errors";
	case FG_EINTR: return "interrupted";
	case FG_EMISMATCH: return "verification failed";
	}
	return "failed";
}

static void record_end(struct run *r, int status, const struct fg_error *err)
{
	char when[32];

	fg_record_utc_now(when, sizeof(when));
	fg_record_set_str(r->rec, "run.finished_utc", when);
	fg_record_set_int(r->rec, "run.duration_seconds",
			  (int64_t)(time(NULL) - r->t_start));
	fg_record_set_str(r->rec, "result.status", status_word(status));
	fg_record_set_int(r->rec, "result.exit_code",
			  fg_exit_for_status(status));
	if (status != FG_OK && status != FG_EBADSECT && err != NULL &&
	    err->msg[0] != '\0')
		fg_record_set_str(r->rec, "result.message", err->msg);
	else
		fg_record_set_null(r->rec, "result.message");
}

/* What the container headers say of the case and the source (the sinks
 * see these, not the record): as the record has them when the sinks are
 * opened.  The strings stay the record's. */
static void case_meta_from_record(struct fg_case_meta *m,
				  const struct fg_record *rec)
{
	int removable = 0;

	memset(m, 0, sizeof(*m));
	m->case_number = fg_record_get_str(rec, "case.case_id");
	m->evidence_number = fg_record_get_str(rec, "case.evidence_id");
	m->examiner = fg_record_get_str(rec, "case.examiner");
	m->description = fg_record_get_str(rec, "case.description");
	m->notes = fg_record_get_str(rec, "case.notes");
	m->source_path = fg_record_get_str(rec, "source.path");
	m->source_kind = fg_record_get_str(rec, "source.kind");
	m->media_type = fg_record_get_str(rec, "source.media_type");
	m->removable =
	    fg_record_get_bool(rec, "source.removable", &removable) == FG_OK &&
	    removable;
	m->model = fg_record_get_str(rec, "source.model");
	m->serial = fg_record_get_str(rec, "source.serial");
	m->tool_name = fg_record_get_str(rec, "tool.name");
	m->tool_version = fg_record_get_str(rec, "tool.version");
	m->started_utc = fg_record_get_str(rec, "run.started_utc");
	m->host = fg_record_get_str(rec, "run.host");
	m->command_line = fg_record_get_str(rec, "run.command_line");
}

/* ---- Outputs --------------------------------------------------------- */

static int copy_names(struct copy *c, const char *outbase,
		      struct fg_error *err)
{
	c->outbase = outbase;
	c->json = fg_strdup_printf("%s.json", outbase);
	c->txt = fg_strdup_printf("%s.txt", outbase);
	c->md5 = fg_strdup_printf("%s.md5", outbase);
	c->sha256 = fg_strdup_printf("%s.sha256", outbase);
	if (!c->json || !c->txt || !c->md5 || !c->sha256)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	return FG_OK;
}

static int check_folder(const char *outbase, struct fg_error *err)
{
	char *dir = strdup(outbase);
	char *slash;
	struct stat st;
	int rc = FG_OK;

	if (dir == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	if (outbase[0] == '\0' || outbase[strlen(outbase) - 1] == '/') {
		free(dir);
		return fg_error_set(err, FG_EINVAL, 0,
				    "-o '%s': give a base name for the "
				    "outputs, not a folder (e.g. "
				    "/cases/2026-041/HD1)",
				    outbase);
	}
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, strlen(outbase) + 1, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) != 0)
		rc = fg_error_set(err, FG_EOUTPUT, errno,
				  "%s: output folder: %s", dir,
				  strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		rc = fg_error_set(err, FG_EOUTPUT, ENOTDIR,
				  "%s: output folder is not a folder", dir);
	else if (access(dir, W_OK | X_OK) != 0)
		rc = fg_error_set(err, FG_EOUTPUT, errno,
				  "%s: output folder is not writable: %s", dir,
				  strerror(errno));
	free(dir);
	return rc;
}

static int check_free(const char *path, struct fg_error *err)
{
	if (access(path, F_OK) == 0)
		return fg_error_set(err, FG_EEXIST, EEXIST,
				    "%s: exists already; forage never "
				    "overwrites evidence",
				    path);
	return FG_OK;
}

static int write_record(struct run *r, int final, struct fg_error *err)
{
	unsigned i;
	int rc = FG_OK, rc2;

	for (i = 0; i < r->ncopies; i++) {
		struct copy *c = &r->copies[i];
		rc2 = fg_record_write_json(r->rec, c->json, c->record_written,
					   err);
		if (rc2 == FG_OK)
			c->record_written = 1;
		else if (rc == FG_OK)
			rc = rc2;
		if (final) {
			rc2 = fg_record_write_text(r->rec, c->txt,
						   r->o->resume, err);
			if (rc2 != FG_OK && rc == FG_OK)
				rc = rc2;
		}
	}
	return rc;
}

static int write_sidecars(struct run *r, struct fg_error *err)
{
	unsigned i;
	int rc;

	for (i = 0; i < r->ncopies; i++) {
		struct copy *c = &r->copies[i];
		struct fg_sink *s = c->sink;
		rc = fg_sidecar_write(c->md5, FG_HASH_MD5, s->files, s->nfiles,
				      err);
		if (rc == FG_OK)
			rc = fg_sidecar_write(c->sha256, FG_HASH_SHA256,
					      s->files, s->nfiles, err);
		if (rc != FG_OK)
			return rc;
	}
	return FG_OK;
}

/* Open the case database r->db_path when it exists, or, when it does not,
 * check that its folder can take it and (create set) make it. */
static int casedb_open(struct run *r, int create, struct fg_error *err)
{
	int rc;

	if (r->db != NULL)
		return FG_OK;
	if (!create && access(r->db_path, F_OK) != 0)
		return check_folder(r->db_path, err);
	rc = fg_casedb_open(&r->db, r->db_path, FG_CASEDB_CREATE, err);
	if (rc == FG_OK && fg_casedb_set_examiner(r->db, r->o->examiner) !=
			   FG_OK)
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	return rc;
}

/* Keep the id and sha256 of the event just written in the record: the
 * event log is then anchored outside the database too. */
static void casedb_anchor(struct run *r, const char *which)
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
static void casedb_end(struct run *r, struct fg_error *dberr)
{
	if (r->db == NULL || r->db_acq <= 0)
		return;
	if (fg_casedb_acquisition_end(r->db, r->db_acq, r->rec, dberr) ==
	    FG_OK) {
		fg_record_set_bool(r->rec, "case_db.recorded", 1);
		casedb_anchor(r, "completed");
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
static void casedb_verifications(struct run *r)
{
	size_t first = 0;
	unsigned i;
	int done;

	for (i = 0; i < r->ncopies; i++) {
		struct copy *c = &r->copies[i];
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
			casedb_anchor(r, p);
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

/* The absolute form of path (a file the run writes, in a folder that
 * exists), malloc'd, so that a record read later, from elsewhere, still
 * says where the file was written.  NULL when the folder does not resolve:
 * the caller keeps the path as given (relative to run.working_directory)
 * and a warning says so. */
static char *absolute_path(struct run *r, const char *path)
{
	char *abs = fg_path_absolute(path);

	if (abs == NULL && r->o->warn != NULL) {
		char msg[FG_ERRMSG_MAX];
		snprintf(msg, sizeof(msg),
			 "%s: its folder's absolute path is unknown (%s); the "
			 "record keeps the path as given",
			 path, strerror(errno));
		r->o->warn(r->o->ctx, msg);
	}
	return abs;
}

/* An output file in the record (outputs[]), by its absolute path. */
static void record_output(struct run *r, const struct fg_outfile *f)
{
	struct fg_outfile a = *f;
	char *abs = absolute_path(r, f->path);

	if (abs != NULL)
		a.path = abs;
	fg_record_add_output(r->rec, &a);
	free(abs);
}

/* ---- The run ------------------------------------------------------------- */

static int run_pipeline(struct run *r, struct fg_reader_stats *st,
			struct fg_error *err)
{
	const struct fg_acquire_opts *o = r->o;
	struct fg_pipe *pipe = NULL;
	struct fg_reader_opts ro;
	struct fg_consumer c;
	unsigned i;
	int rc, media_md5_taken = 0;

	memset(&ro, 0, sizeof(ro));

	rc = new_pipe(o, &pipe, err);
	if (rc != FG_OK)
		return rc;
	memset(&c, 0, sizeof(c));
	ro.in_order = 0;
	for (i = 0; i < r->ncopies; i++) {
		if (!r->copies[i].sink->random_access)
			ro.in_order = 1;
		struct fg_consumer dc[2];
		size_t k, nd;
		int took = 0;

		c.name = r->copies[i].outbase;
		c.consume = consume_sink;
		c.ctx = r->copies[i].sink;
		fg_pipe_add_consumer(pipe, &c);
		/* The first copy's per-file MD5 (a split raw image) may carry
		 * the media's MD5 in the same pass; a second copy cut the
		 * same takes the first's per-file digests. */
		if (i > 0 && fg_sink_share_digests(r->copies[i].sink,
						   r->copies[0].sink) == FG_OK)
			continue;
		nd = fg_sink_digest_consumers(r->copies[i].sink, dc, 2,
					      media_md5_taken ? NULL
							      : r->hash[0],
					      &took);
		media_md5_taken |= took;
		for (k = 0; k < nd; k++)
			fg_pipe_add_consumer(pipe, &dc[k]);
	}
	add_digests(r, pipe, media_md5_taken);
	rc = fg_pipe_start(pipe, err);
	if (rc != FG_OK)
		goto out;
	ro.retries = o->retries;
	ro.fill_byte = o->fill_byte;
	ro.stop = o->stop;
	ro.map = r->map;
	ro.on_bad = on_bad;
	ro.on_progress = on_progress;
	ro.on_checkpoint = o->mapfile != NULL ? map_checkpoint : NULL;
	ro.checkpoint_s = MAP_SAVE_S;
	ro.ctx = r;
	r->read_in_order = ro.in_order;
	rc = fg_reader_run(r->src, pipe, &ro, st, err);
	r->in_order = st->in_order;
	if (rc == FG_OK) {
		rc = fg_pipe_finish(pipe, err);
		if (rc == FG_OK && o->mapfile != NULL)
			rc = map_checkpoint(r, r->map, err);
	} else {
		struct fg_error perr;
		fg_error_clear(&perr);
		/* A consumer failure explains a reader stop best.  The last
		 * mapfile is written only over a pipeline that wrote all it
		 * was given, so it never calls unwritten bytes finished. */
		if (fg_pipe_finish(pipe, &perr) != FG_OK) {
			if (rc != FG_EINTR)
				rc = fg_error_copy(err, &perr);
		} else if (o->mapfile != NULL) {
			struct fg_error merr;
			fg_error_clear(&merr);
			if (map_checkpoint(r, r->map, &merr) != FG_OK &&
			    o->warn != NULL)
				o->warn(o->ctx, merr.msg);
		}
	}
out:
	fg_pipe_free(pipe);
	return rc;
}

int fg_acquire_run(const struct fg_acquire_opts *o,
		   struct fg_acquire_result *res, struct fg_error *err)
{
	struct fg_error dberr;
	struct run r;
	struct fg_reader_stats st;
	struct fg_sink_params sp;
	struct fg_case_meta meta;
	struct fg_ewf_options eo;
	const char *outputs[2 * MAX_COPIES * 8 + 1];
	size_t nout = 0;
	unsigned i;
	int rc, status;

	memset(&r, 0, sizeof(r));
	memset(res, 0, sizeof(*res));
	memset(&st, 0, sizeof(st));
	fg_error_clear(&dberr);
	r.o = o;
	r.t_start = time(NULL);

	if (fg_record_new(&r.rec) != FG_OK) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	record_start(&r);

	/* 1. The source. */
	rc = fg_source_open(&r.src, o->source, o->offset, o->length, err);
	if (rc != FG_OK)
		goto out;
	if (fg_source_describe(r.src, r.rec) != FG_OK) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = hash_window_of(&r, err)) != FG_OK)
		goto out;
	fg_record_set_int(r.rec, "parameters.hash_window",
			  (int64_t)r.win_size);

	/* 2. The outputs: folders exist, every name is free. */
	r.ncopies = o->second_outbase != NULL ? 2 : 1;
	for (i = 0; i < r.ncopies; i++) {
		struct copy *c = &r.copies[i];
		rc = copy_names(c, i == 0 ? o->outbase : o->second_outbase,
				err);
		if (rc == FG_OK)
			rc = check_folder(c->outbase, err);
		/* --resume replaces the record of the run it continues. */
		if (rc == FG_OK && !o->resume)
			rc = check_free(c->json, err);
		if (rc == FG_OK && !o->resume)
			rc = check_free(c->txt, err);
		/* (--resume checks these after the earlier record.) */
		if (rc == FG_OK && !o->resume)
			rc = check_free(c->md5, err);
		if (rc == FG_OK && !o->resume)
			rc = check_free(c->sha256, err);
		if (rc != FG_OK)
			goto out;
		outputs[nout++] = c->json;
		outputs[nout++] = c->txt;
		outputs[nout++] = c->md5;
		outputs[nout++] = c->sha256;
		outputs[nout++] = c->outbase;
	}
	if (o->mapfile != NULL)
		outputs[nout++] = o->mapfile;
	r.db_path = o->case_db != NULL && *o->case_db != '\0'
			    ? strdup(o->case_db)
			    : fg_casedb_default_path(o->outbase);
	if (r.db_path == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	outputs[nout++] = r.db_path;
	outputs[nout] = NULL;
	rc = map_prepare(&r, err);
	if (rc != FG_OK)
		goto out;

	/* 3. The guard, before anything is created or read. */
	rc = fg_guard_engage(&r.guard, r.src, outputs, o->no_write_block,
			     r.rec, o->warn, o->ctx, err);
	if (rc != FG_OK)
		goto out;

	/* 3b. The case database, before any evidence is written: a bad or
	 * read-only one stops the run here.  A new one is only made once
	 * the sinks have accepted their names (a refused run leaves no
	 * file behind). */
	rc = casedb_open(&r, 0, err);
	if (rc != FG_OK)
		goto out;
	{
		char *abs = absolute_path(&r, r.db_path);
		fg_record_set_str(r.rec, "case_db.path",
				  abs != NULL ? abs : r.db_path);
		free(abs);
	}

	/* 4. Digests. */
	for (i = 0; i < 3; i++)
		if ((o->hash_mask & hash_order[i]) &&
		    (rc = fg_hash_new(&r.hash[i], hash_order[i], err)) != FG_OK)
			goto out;
	if (r.win_size > 0 &&
	    (rc = fg_hashwin_new(&r.win, r.win_size, err)) != FG_OK)
		goto out;

	/* 5. Sinks: this creates the first files. */
	memset(&sp, 0, sizeof(sp));
	sp.media_size = r.src->size;
	sp.sector_size = r.src->sector_size;
	sp.segment_size = o->segment_size;
	sp.hash_mask = o->hash_mask;
	sp.threads = o->threads;
	case_meta_from_record(&meta, r.rec);
	sp.meta = &meta;
	memset(&eo, 0, sizeof(eo));
	eo.compression = o->compression;
	eo.ewf_format = o->ewf_format;
	eo.chunk_size = o->chunk_size;
	sp.ewf = &eo;
	for (i = 0; i < r.ncopies; i++) {
		struct copy *c = &r.copies[i];
		rc = fg_sink_new(&c->sink, o->format, err);
		if (rc != FG_OK)
			goto out;
		sp.outbase = c->outbase;
		rc = o->resume ? fg_sink_reopen(c->sink, &sp)
			       : fg_sink_open(c->sink, &sp);
		if (rc != FG_OK) {
			fg_error_copy(err, &c->sink->err);
			fg_sink_free(c->sink);
			c->sink = NULL;
			goto out;
		}
	}
	/* 6. The honest "running" record, in the files and the database
	 * (and the mapfile).  --resume replaces the interrupted run's. */
	for (i = 0; o->resume && i < r.ncopies; i++)
		r.copies[i].record_written = 1;
	rc = casedb_open(&r, 1, err);
	if (rc == FG_OK)
		rc = write_record(&r, 0, err);
	if (rc == FG_OK && o->mapfile != NULL)
		rc = map_save(&r, r.map, !o->resume, err);
	if (rc != FG_OK)
		goto out;
	rc = fg_casedb_acquisition_begin(r.db, r.rec, &r.db_acq, err);
	if (rc != FG_OK)
		goto out;
	fg_record_set_int(r.rec, "case_db.acquisition_id", r.db_acq);
	casedb_anchor(&r, "started");

	/* 7. Read. */
	rc = run_pipeline(&r, &st, err);
	fg_guard_release(r.guard, r.rec);
	r.guard = NULL;
	fg_record_set_int(r.rec, "reading.bytes", (int64_t)st.bytes);
	fg_record_set_int(r.rec, "reading.sectors_read",
			  (int64_t)st.sectors_read);
	fg_record_set_int(r.rec, "reading.sectors_filled",
			  (int64_t)st.sectors_filled);
	fg_record_set_int(r.rec, "reading.retries", (int64_t)st.retries);
	fg_record_set_int(r.rec, "reading.bad_ranges", (int64_t)r.bad.n);
	for (i = 0; i < r.bad.n; i++)
		fg_record_add_bad_range(r.rec, r.bad.r[i][0], r.bad.r[i][1]);
	record_reading(&r, &st);
	if (rc == FG_OK)
		rc = rehash_image(&r, err);
	if (rc == FG_OK && r.bad.oom)
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
				  "out of memory for the bad-sector list");
	if (rc != FG_OK)
		goto out;

	/* 8. Digests, then the evidence made final. */
	{
		char *dst[3] = {res->hashes.md5, res->hashes.sha1,
				res->hashes.sha256};
		char *pad[3] = {res->hashes.padded_md5, res->hashes.padded_sha1,
				res->hashes.padded_sha256};
		uint32_t ss = r.src->sector_size;
		res->hashes.pad_bytes =
			r.src->size % ss ? (uint32_t)(ss - r.src->size % ss)
					 : 0;
		for (i = 0; i < 3; i++) {
			char key[40];
			if (r.hash[i] == NULL)
				continue;
			if (res->hashes.pad_bytes > 0)
				fg_hash_peek_padded(r.hash[i],
						    res->hashes.pad_bytes,
						    pad[i]);
			fg_hash_final(r.hash[i], dst[i]);
			snprintf(key, sizeof(key), "hashes.%s",
				 fg_hash_name(hash_order[i]));
			fg_record_set_str(r.rec, key, dst[i]);
		}
		fg_record_set_str(r.rec, "hashes.over",
				  "the bytes written to the image, in order, "
				  "fill included");
		fg_record_set_int(r.rec, "hashes.bytes", (int64_t)r.src->size);
		if (res->hashes.pad_bytes > 0 &&
		    (fg_sink_format_flags(o->format) & FG_SINK_WHOLE_SECTORS)) {
			fg_record_set_str(r.rec, "hashes.e01_padded.over",
					  "the media followed by zero bytes "
					  "up to a whole sector, as the E01 "
					  "stores it");
			fg_record_set_int(r.rec, "hashes.e01_padded.bytes",
					  (int64_t)(r.src->size +
						    res->hashes.pad_bytes));
			for (i = 0; i < 3; i++) {
				char key[40];
				if (r.hash[i] == NULL)
					continue;
				snprintf(key, sizeof(key),
					 "hashes.e01_padded.%s",
					 fg_hash_name(hash_order[i]));
				fg_record_set_str(r.rec, key, pad[i]);
			}
		}
	}
	if (r.win != NULL) {
		fg_hashwin_final(r.win);
		fg_record_set_int(r.rec, "hash_windows.size",
				  (int64_t)fg_hashwin_size(r.win));
		fg_record_set_str(r.rec, "hash_windows.algorithm", "sha256");
		for (i = 0; i < fg_hashwin_count(r.win); i++)
			fg_record_append_str(r.rec, "hash_windows.sha256",
					     fg_hashwin_get(r.win, i));
	}
	for (i = 0; i < r.ncopies; i++) {
		struct fg_sink *s = r.copies[i].sink;
		size_t k;
		for (k = 0; k < r.bad.n; k++)
			if ((rc = fg_sink_mark_bad(s, r.bad.r[k][0],
						   r.bad.r[k][1])) != FG_OK) {
				fg_error_copy(err, &s->err);
				goto out;
			}
		rc = fg_sink_finish(s, &res->hashes);
		if (rc != FG_OK) {
			fg_error_copy(err, &s->err);
			goto out;
		}
		for (k = 0; k < s->nfiles; k++)
			record_output(&r, &s->files[k]);
		fg_sink_describe(s, r.rec, i == 0 ? "container"
						 : "second_container");
	}
	res->bytes = st.bytes;
	res->sectors_filled = st.sectors_filled;
	rc = st.sectors_filled > 0 ? FG_EBADSECT : FG_OK;
	/* 9. --verify: re-read what was written, past the page cache. */
	for (i = 0; o->verify && i < r.ncopies; i++) {
		struct fg_sink *s = r.copies[i].sink;
		int vrc = fg_verify_written(s->files, s->nfiles, o->format,
					    &res->hashes, st.bytes, o->threads,
					    r.rec,
					    i == 0 ? "verification"
						   : "verification_second_output",
					    err);
		r.copies[i].verified = 1;
		r.copies[i].verify_rc = vrc;
		res->verified = vrc == FG_EMISMATCH ? -1
				: (vrc == FG_OK && res->verified >= 0) ? 1
								       : 0;
		if (vrc != FG_OK) {
			rc = vrc;
			break;
		}
	}
	/* 10. --verify-source: read the source again, compare digests. */
	if (o->verify_source && (rc == FG_OK || rc == FG_EBADSECT)) {
		int vrc = verify_source(&r, &res->hashes, err);
		res->source_verified = vrc == FG_OK ? 1
				       : vrc == FG_EMISMATCH ? -1 : 0;
		if (vrc != FG_OK)
			rc = vrc;
	}

out:
	status = rc;
	for (i = 0; i < r.ncopies; i++)
		fg_sink_abort(r.copies[i].sink);
	if (r.guard != NULL) {
		fg_guard_release(r.guard, r.rec);
		r.guard = NULL;
	}
	if (r.copies[0].record_written) {
		struct fg_error werr;
		fg_error_clear(&werr);
		/* Checksum files first: the record's result must say whether
		 * they were written. */
		if ((status == FG_OK || status == FG_EBADSECT ||
		     status == FG_EMISMATCH) &&
		    write_sidecars(&r, &werr) != FG_OK)
			status = fg_error_copy(err, &werr);
		record_end(&r, status, err);
		casedb_end(&r, &dberr);
		casedb_verifications(&r);
		if (write_record(&r, 1, &werr) != FG_OK && (status == FG_OK ||
		    status == FG_EBADSECT))
			status = fg_error_copy(err, &werr);
		snprintf(res->record_path, sizeof(res->record_path), "%s",
			 r.copies[0].json);
	}
	if (dberr.code != FG_OK && (status == FG_OK || status == FG_EBADSECT))
		status = fg_error_copy(err, &dberr);
	if (r.db != NULL) {
		snprintf(res->case_db, sizeof(res->case_db), "%s", r.db_path);
		res->case_db_acquisition = r.db_acq;
	}
	fg_casedb_close(r.db);
	free(r.db_path);
	res->status = status;
	for (i = 0; i < MAX_COPIES; i++) {
		struct copy *c = &r.copies[i];
		fg_sink_free(c->sink);
		free(c->json);
		free(c->txt);
		free(c->md5);
		free(c->sha256);
	}
	for (i = 0; i < 3; i++)
		fg_hash_free(r.hash[i]);
	fg_hashwin_free(r.win);
	free(r.bad.r);
	fg_map_free(r.map);
	fg_source_close(r.src);
	fg_record_free(r.rec);
	return status;
}

/* ---- Failing drives: the map, --mapfile, --resume, re-read hashes ------ */

/* The mapfile's heading comments hold the command line: keep it one line. */
static char *one_line(const char *s)
{
	char *t = strdup(s != NULL ? s : "");
	char *p;

	for (p = t; p != NULL && *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return t;
}

static int map_save(struct run *r, const struct fg_map *m, int first,
		    struct fg_error *err)
{
	char now[32], *cmd, *comments;
	int rc;

	fg_record_utc_now(now, sizeof(now));
	cmd = one_line(r->o->command_line);
	comments = cmd == NULL ? NULL
		   : fg_strdup_printf("# Mapfile. Created by %s %s (GNU "
				      "ddrescue mapfile format)\n"
				      "# Command line: %s\n"
				      "# Start time: %s\n"
				      "# Current time: %s\n",
				      PACKAGE_NAME, PACKAGE_VERSION, cmd,
				      r->map_started, now);
	free(cmd);
	if (comments == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	rc = fg_map_write(m, r->o->mapfile, comments, !first, err);
	free(comments);
	return rc;
}

/* The reader drained the pipeline: make the image durable, then say so in
 * the mapfile (never the other way round). */
static int map_checkpoint(void *ctx, const struct fg_map *m,
			  struct fg_error *err)
{
	struct run *r = ctx;
	unsigned i;

	for (i = 0; i < r->ncopies; i++) {
		struct fg_sink *s = r->copies[i].sink;
		if (fg_sink_sync(s) != FG_OK)
			return fg_error_copy(err, &s->err);
	}
	return map_save(r, m, 0, err);
}

/* --resume: the mapfile must describe this source range in whole sectors. */
static int map_fits(struct run *r, struct fg_error *err)
{
	const struct fg_source *src = r->src;
	const char *path = r->o->mapfile;
	uint64_t ss = src->sector_size, pos;
	size_t i;
	char phase;
	unsigned pass;

	if (fg_map_base(r->map) != src->offset ||
	    fg_map_size(r->map) != src->size)
		return fg_error_set(err, FG_EINVAL, 0,
				    "cannot resume: %s describes %llu bytes "
				    "at offset %llu of the source, this run "
				    "acquires %llu bytes at offset %llu of "
				    "%s (same source, --offset, --length?)",
				    path,
				    (unsigned long long)fg_map_size(r->map),
				    (unsigned long long)fg_map_base(r->map),
				    (unsigned long long)src->size,
				    (unsigned long long)src->offset,
				    src->path);
	for (i = 0; i < fg_map_count(r->map); i++) {
		pos = fg_map_extent(r->map, i)->pos;
		if (pos % ss != 0)
			return fg_error_set(err, FG_EINVAL, 0,
					    "cannot resume: %s: the block at "
					    "0x%llX is not on a boundary of "
					    "the %llu-byte sectors of %s",
					    path,
					    (unsigned long long)(src->offset +
								 pos),
					    (unsigned long long)ss, src->path);
	}
	fg_map_current(r->map, &pos, &phase, &pass);
	if (pos % ss != 0 && pos != src->size)
		return fg_error_set(err, FG_EINVAL, 0,
				    "cannot resume: %s: the current position "
				    "0x%llX is not on a sector boundary",
				    path,
				    (unsigned long long)(src->offset + pos));
	return FG_OK;
}

/* --resume: the record of the run being continued must exist, say it did
 * not finish, and have used the options that decide the result. */
static int earlier_record(struct run *r, struct fg_error *err)
{
	const struct fg_acquire_opts *o = r->o;
	const char *json = r->copies[0].json, *st, *s;
	struct fg_record *old = NULL;
	int64_t v;
	size_t i;
	char *line;
	int rc;
	struct {
		const char *key, *opt;
		int64_t want;
	} same[] = {
		{"parameters.retries", "--retries", o->retries},
		{"parameters.fill_byte", "--fill", o->fill_byte},
		{"parameters.segment_size", "--segment-size",
		 (int64_t)o->segment_size},
		{"source.size", "the source size", (int64_t)r->src->size},
		{"source.logical_sector_size", "the sector size",
		 r->src->sector_size},
	};

	if (access(json, F_OK) != 0)
		return fg_error_set(err, FG_EINVAL, errno,
				    "cannot resume without the record of the "
				    "interrupted run: %s: %s",
				    json, strerror(errno));
	rc = fg_record_load(&old, json, err);
	if (rc != FG_OK) {
		char why[FG_ERRMSG_MAX];
		snprintf(why, sizeof(why), "%s", err->msg);
		return fg_error_set(err, rc, err->sys_errno,
				    "cannot resume: %s", why);
	}
	st = fg_record_get_str(old, "result.status");
	if (st == NULL || (strcmp(st, "interrupted") != 0 &&
			   strcmp(st, "running") != 0 &&
			   strcmp(st, "failed") != 0)) {
		rc = fg_error_set(err, FG_EEXIST, 0,
				  "cannot resume: %s says that run %s; "
				  "nothing to resume",
				  json, st != NULL ? st : "has no result");
		goto out;
	}
	s = fg_record_get_str(old, "parameters.format");
	if (s == NULL || strcmp(s, o->format) != 0) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "cannot resume: %s was written with "
				  "--format %s, this run asks for %s",
				  json, s != NULL ? s : "(unknown)",
				  o->format);
		goto out;
	}
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		if (fg_record_get_int(old, same[i].key, &v) != FG_OK ||
		    v != same[i].want) {
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "cannot resume: %s differs: %lld "
					  "in %s, %lld now; give the options "
					  "of the interrupted run",
					  same[i].opt, (long long)v, json,
					  (long long)same[i].want);
			goto out;
		}
	}
	if (fg_record_get_int(old, "reading.retries", &v) == FG_OK && v > 0)
		r->earlier_retries = (uint64_t)v;
	if (fg_record_get_int(old, "reading.read_errors", &v) == FG_OK &&
	    v > 0)
		r->earlier_errors = (uint64_t)v;
	for (i = 0; (s = fg_record_get_array_str(old, "run.earlier_runs",
						  i)) != NULL;
	     i++)
		fg_record_append_str(r->rec, "run.earlier_runs", s);
	s = fg_record_get_str(old, "run.finished_utc");
	line = fg_strdup_printf(
		"%s to %s, %s: %s",
		fg_record_get_str(old, "run.started_utc") != NULL
			? fg_record_get_str(old, "run.started_utc")
			: "unknown",
		s != NULL ? s : "unknown", st,
		fg_record_get_str(old, "run.command_line") != NULL
			? fg_record_get_str(old, "run.command_line")
			: "");
	if (line == NULL ||
	    fg_record_append_str(r->rec, "run.earlier_runs", line) != FG_OK)
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	free(line);
out:
	fg_record_free(old);
	return rc;
}

/* The mapfile must not take a name the outputs will take (OUTBASE.json,
 * .txt, .md5, .sha256, the image and its segments): found at the end of a
 * long run, that would fail it. */
static int map_name_free(struct run *r, struct fg_error *err)
{
	const char *map = r->o->mapfile;
	unsigned i;

	for (i = 0; i < r->ncopies; i++) {
		const char *base = r->copies[i].outbase, *suf;
		size_t n = strlen(base);
		if (strncmp(map, base, n) != 0 || map[n] != '.')
			continue;
		suf = map + n + 1;
		if (strcmp(suf, "json") == 0 || strcmp(suf, "txt") == 0 ||
		    strcmp(suf, "md5") == 0 || strcmp(suf, "sha256") == 0 ||
		    strncmp(suf, "raw", 3) == 0 ||
		    (suf[0] >= '0' && suf[0] <= '9') ||
		    ((suf[0] == 'E' || suf[0] == 'e' || suf[0] == 'L' ||
		      suf[0] == 'l') && suf[1] != '\0' && suf[2] != '\0' &&
		     (suf[3] == '\0' || suf[3] == '.')))
			return fg_error_set(err, FG_EINVAL, 0,
					    "--mapfile %s: that name is one "
					    "of the outputs of -o %s; choose "
					    "another (e.g. %s.map)",
					    map, base, base);
	}
	return FG_OK;
}

static int map_prepare(struct run *r, struct fg_error *err)
{
	const struct fg_acquire_opts *o = r->o;
	unsigned i;
	int rc;

	if (o->mapfile != NULL && (rc = map_name_free(r, err)) != FG_OK)
		return rc;
	fg_record_utc_now(r->map_started, sizeof(r->map_started));
	fg_record_set_str(r->rec, "parameters.mapfile", o->mapfile);
	fg_record_set_bool(r->rec, "parameters.resume", o->resume);
	if (!o->resume) {
		if (o->mapfile != NULL &&
		    (rc = check_free(o->mapfile, err)) != FG_OK)
			return rc;
		return fg_map_new(&r->map, r->src->offset, r->src->size, err);
	}
	if (o->mapfile == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "--resume needs --mapfile PATH");
	rc = fg_map_load(&r->map, o->mapfile, err);
	if (rc == FG_OK)
		rc = map_fits(r, err);
	if (rc == FG_OK)
		rc = earlier_record(r, err);
	for (i = 0; rc == FG_OK && i < r->ncopies; i++) {
		rc = check_free(r->copies[i].md5, err);
		if (rc == FG_OK)
			rc = check_free(r->copies[i].sha256, err);
	}
	return rc;
}

/* The digests and hash windows as consumers.  They need the media in
 * order: they skip the blocks the failing-drive passes hand on out of
 * order, and rehash_image finishes them from the image.  The media's
 * SHA-256 and the windows (SHA-256 too) share one consumer, which hashes
 * both in one pass, at about 1.8 times one digest's rate (sha256.c).
 * No MD5 consumer when a sink took the media's MD5 (md5_taken). */
static void add_digests(struct run *r, struct fg_pipe *pipe, int md5_taken)
{
	const int sha_win = r->hash[2] != NULL && r->win != NULL;
	struct fg_consumer c;
	unsigned i;

	memset(&c, 0, sizeof(c));
	c.in_order_only = 1;
	for (i = 0; i < 3; i++) {
		if (r->hash[i] == NULL || (i == 2 && sha_win) ||
		    (i == 0 && md5_taken))
			continue;
		c.name = fg_hash_name(hash_order[i]);
		c.consume = consume_hash;
		c.ctx = r->hash[i];
		c.critical = hash_order[i] == FG_HASH_MD5;
		fg_pipe_add_consumer(pipe, &c);
	}
	c.critical = 0; /* only the MD5 stream bounds the pass */
	if (sha_win) {
		c.name = "sha256 and hash windows";
		c.consume = consume_sha256_win;
		c.ctx = r;
		fg_pipe_add_consumer(pipe, &c);
	} else if (r->win != NULL) {
		c.name = "hash windows";
		c.consume = consume_win;
		c.ctx = r->win;
		fg_pipe_add_consumer(pipe, &c);
	}
}

/* When the passes handed on holes out of order, the digests saw the media
 * in order up to the first hole only; they are finished by reading the
 * image back from there (never the source), memory bounded as ever. */
static int rehash_image(struct run *r, struct fg_error *err)
{
	const struct fg_acquire_opts *o = r->o;
	uint64_t from = r->in_order, size = r->src->size, off;
	struct fg_pipe *pipe = NULL;
	struct fg_progress pr;
	struct timespec t0, t;
	double last = -1;
	size_t bs = o->block_size ? o->block_size : DEFAULT_BLOCK;
	int rc;

	if (from >= size) {
		fg_record_set_str(r->rec, "hashes.computed",
				  "while reading, in one pass");
		return FG_OK;
	}
	fg_record_set_str(r->rec, "hashes.computed",
			  "while reading, in order, up to the first area "
			  "that was read later; from there by re-reading "
			  "the image (never the source) once every area "
			  "was read or filled");
	fg_record_set_int(r->rec, "hashes.image_reread_from", (int64_t)from);
	rc = new_pipe(o, &pipe, err);
	if (rc != FG_OK)
		return rc;
	add_digests(r, pipe, 0);
	rc = fg_pipe_start(pipe, err);
	if (rc != FG_OK)
		goto out;
	memset(&pr, 0, sizeof(pr));
	pr.total = size - from;
	pr.phase = "hashing the image";
	pr.pass = pr.passes = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (off = from; off < size;) {
		struct fg_block *b;
		size_t n = (size_t)(size - off < bs ? size - off : bs);
		struct fg_sink *s = r->copies[0].sink;

		if (o->stop != NULL && *o->stop) {
			rc = fg_error_set(err, FG_EINTR, EINTR,
					  "interrupted while hashing the "
					  "image at offset %llu",
					  (unsigned long long)off);
			break;
		}
		b = fg_pipe_get(pipe);
		if (b == NULL)
			break; /* a digest failed: finish says why */
		if (fg_sink_read(s, b->data, n, off) != FG_OK) {
			rc = fg_error_copy(err, &s->err);
			break;
		}
		b->offset = off;
		b->len = n;
		fg_pipe_put(pipe, b);
		off += n;
		clock_gettime(CLOCK_MONOTONIC, &t);
		pr.elapsed = (double)(t.tv_sec - t0.tv_sec) +
			     (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
		pr.done = off - from;
		pr.finished = off == size;
		if (pr.finished || pr.elapsed - last >= 0.5) {
			last = pr.elapsed;
			on_progress(r, &pr);
		}
	}
	if (rc == FG_OK)
		rc = fg_pipe_finish(pipe, err);
out:
	fg_pipe_free(pipe);
	return rc;
}

/* The totals for the record: over the whole acquisition (the map), and
 * the retries of this run and the runs it resumes. */
static void record_reading(struct run *r, const struct fg_reader_stats *st)
{
	const struct fg_map *m = r->map;
	uint64_t ss = r->src->sector_size, filled = 0, done;
	size_t i;

	for (i = 0; i < r->bad.n; i++)
		filled += r->bad.r[i][1] * ss;
	done = fg_map_bytes(m, FG_MAP_FINISHED) + filled;
	if (done > r->src->size)
		done = r->src->size;
	fg_record_set_str(r->rec, "reading.mode",
			  r->read_in_order
				  ? "in order: a failed block is split into "
				    "sectors where it is met"
				  : "passes: good areas first, then failed "
				    "blocks split into sectors, then retries, "
				    "then fill");
	fg_record_set_int(r->rec, "reading.bytes", (int64_t)done);
	fg_record_set_int(r->rec, "reading.bytes_not_read",
			  (int64_t)(fg_map_bytes(m, FG_MAP_NONTRIED) +
				    fg_map_bytes(m, FG_MAP_NONTRIMMED) +
				    fg_map_bytes(m, FG_MAP_NONSCRAPED)));
	fg_record_set_int(r->rec, "reading.sectors_read",
			  (int64_t)((fg_map_bytes(m, FG_MAP_FINISHED) + ss -
				     1) / ss));
	fg_record_set_int(r->rec, "reading.retries",
			  (int64_t)(r->earlier_retries + st->retries));
	fg_record_set_int(r->rec, "reading.read_errors",
			  (int64_t)(r->earlier_errors + st->read_errors));
}

/* ---- --verify-source ---------------------------------------------------- */

static void count_bad(void *ctx, uint64_t lba, uint64_t count)
{
	uint64_t *n = ctx;

	(void)lba;
	*n += count;
}

/* Read the whole source again, in order, with the same retries and fill,
 * into fresh digests, and compare them with the acquisition's: the
 * strongest evidence that the source did not change while it was read.
 * The outcome goes into the record under "verify_source.".  Returns FG_OK,
 * FG_EMISMATCH when a digest differs, FG_EINTR, or a read failure. */
static int verify_source(struct run *r, const struct fg_media_hashes *h,
			 struct fg_error *err)
{
	const struct fg_acquire_opts *o = r->o;
	const char *want[3] = {h->md5, h->sha1, h->sha256};
	struct fg_hash *hash[3] = {NULL, NULL, NULL};
	struct fg_pipe *pipe = NULL;
	struct fg_reader_opts ro;
	struct fg_reader_stats st;
	struct fg_consumer c;
	uint64_t bad = 0;
	char when[32], hex[FG_HASH_HEX_MAX];
	int rc, differ = 0;
	unsigned i;

	fg_record_utc_now(when, sizeof(when));
	fg_record_set_str(r->rec, "verify_source.started_utc", when);
	fg_record_set_str(r->rec, "verify_source.method",
			  "the source read again, in order, after the "
			  "evidence was final, with the same retries and "
			  "fill");
	rc = new_pipe(o, &pipe, err);
	if (rc != FG_OK)
		return rc;
	memset(&c, 0, sizeof(c));
	for (i = 0; i < 3; i++) {
		if (r->hash[i] == NULL)
			continue;
		rc = fg_hash_new(&hash[i], hash_order[i], err);
		if (rc != FG_OK)
			goto out;
		c.name = fg_hash_name(hash_order[i]);
		c.consume = consume_hash;
		c.ctx = hash[i];
		fg_pipe_add_consumer(pipe, &c);
	}
	rc = fg_pipe_start(pipe, err);
	if (rc != FG_OK)
		goto out;
	memset(&ro, 0, sizeof(ro));
	ro.retries = o->retries;
	ro.fill_byte = o->fill_byte;
	ro.in_order = 1;
	ro.stop = o->stop;
	ro.on_bad = count_bad;
	ro.ctx = &bad;
	rc = fg_reader_run(r->src, pipe, &ro, &st, err);
	{
		struct fg_error perr;
		int prc;

		fg_error_clear(&perr);
		prc = fg_pipe_finish(pipe, &perr);
		if (rc == FG_OK && prc != FG_OK)
			rc = fg_error_copy(err, &perr);
	}
	if (rc != FG_OK) {
		fg_record_set_str(r->rec, "verify_source.status",
				  rc == FG_EINTR ? "interrupted" : "failed");
		fg_record_set_str(r->rec, "verify_source.message", err->msg);
		goto out;
	}
	for (i = 0; i < 3; i++) {
		char key[48];

		if (hash[i] == NULL)
			continue;
		fg_hash_final(hash[i], hex);
		snprintf(key, sizeof(key), "verify_source.%s",
			 fg_hash_name(hash_order[i]));
		fg_record_set_str(r->rec, key, hex);
		if (strcmp(hex, want[i]) != 0)
			differ = 1;
	}
	fg_record_set_int(r->rec, "verify_source.sectors_filled",
			  (int64_t)bad);
	fg_record_utc_now(when, sizeof(when));
	fg_record_set_str(r->rec, "verify_source.finished_utc", when);
	fg_record_set_str(r->rec, "verify_source.status",
			  differ ? "mismatch" : "match");
	if (differ)
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "%s: read again after the acquisition, the "
				  "source gives other digests (%llu sector(s) "
				  "unreadable this time): it changed, or it "
				  "reads differently; see verify_source in "
				  "the record",
				  r->src->path, (unsigned long long)bad);
out:
	for (i = 0; i < 3; i++)
		fg_hash_free(hash[i]);
	fg_pipe_free(pipe);
	return rc;
}

