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
 *
 * This file is the sequence, its pipeline and its outputs' names; what
 * the acquisition writes into its record is in acquire_record.c, its case
 * database rows in acquire_db.c, the failing-drive parts (map, --mapfile,
 * --resume, re-read digests) in acquire_map.c and --verify-source in
 * acquire_verify_source.c; acquire_int.h is what they share.
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
#include <forage/health.h>
#include <forage/mapfile.h>
#include <forage/pipeline.h>
#include <forage/record.h>
#include <forage/source.h>
#include <forage/verify.h>

#include "base/base_int.h"
#include "run/acquire_int.h"

#define MAP_SAVE_S 5.0 /* the mapfile is rewritten at most this often */

void fg_acquire_opts_init(struct fg_acquire_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = "e01";
	o->ewf.compression = "fast";
	o->ewf.ewf_format = "encase6";
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
static int hash_window_of(struct fg_acq *r, struct fg_error *err)
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
int fg_acq_new_pipe(const struct fg_acquire_opts *o, struct fg_pipe **pipe,
		    struct fg_error *err)
{
	size_t bs = o->block_size ? o->block_size : DEFAULT_BLOCK;

	return fg_pipe_new(pipe, bs, fg_pipe_depth_for(bs), err);
}

/* ---- Consumers ---------------------------------------------------------- */

int fg_acq_consume_hash(void *ctx, const struct fg_block *b,
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
	struct fg_acq *r = ctx;
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
	struct fg_acq *r = ctx;
	struct fg_acq_bad *bl = &r->bad;

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

void fg_acq_on_progress(void *ctx, const struct fg_progress *p)
{
	struct fg_acq *r = ctx;

	if (r->o->on_progress != NULL)
		r->o->on_progress(r->o->ctx, p);
}

void fg_acq_pass_progress(struct fg_acq *r, const struct fg_progress *p,
			  const char *phase)
{
	struct fg_progress q = *p;

	q.phase = phase;
	q.pass = 1;
	q.passes = 1;
	if (r->o->on_progress != NULL)
		r->o->on_progress(r->o->ctx, &q);
}

/* --verify of copy r->verifying. */
static void verify_progress(void *ctx, const struct fg_progress *p)
{
	struct fg_acq *r = ctx;

	fg_acq_pass_progress(r, p,
			     r->verifying == 0 ? "verifying the image"
					       : "verifying the second copy");
}

/* ---- Outputs --------------------------------------------------------- */

static int copy_names(struct fg_acq_copy *c, const char *outbase,
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

int fg_acq_check_folder(const char *outbase, struct fg_error *err)
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

/* lstat: a symbolic link at an output's name, even one that points
 * nowhere, is refused before anything is created. */
static int no_symlink(const char *path, struct fg_error *err)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return fg_error_set(err, FG_EEXIST, EEXIST,
				    "%s: is a symbolic link; forage never "
				    "writes an output through one (move it "
				    "away)",
				    path);
	return FG_OK;
}

int fg_acq_check_free(const char *path, struct fg_error *err)
{
	int rc = no_symlink(path, err);

	if (rc != FG_OK)
		return rc;
	if (fg_path_taken(path))
		return fg_error_set(err, FG_EEXIST, EEXIST,
				    "%s: exists already; forage never "
				    "overwrites evidence",
				    path);
	return FG_OK;
}

/* ---- The run ------------------------------------------------------------- */

static int run_pipeline(struct fg_acq *r, struct fg_reader_stats *st,
			struct fg_error *err)
{
	const struct fg_acquire_opts *o = r->o;
	struct fg_pipe *pipe = NULL;
	struct fg_reader_opts ro;
	struct fg_consumer c;
	unsigned i;
	int rc, media_md5_taken = 0;

	memset(&ro, 0, sizeof(ro));

	rc = fg_acq_new_pipe(o, &pipe, err);
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
	fg_acq_add_digests(r, pipe, media_md5_taken);
	rc = fg_pipe_start(pipe, err);
	if (rc != FG_OK)
		goto out;
	ro.retries = o->retries;
	ro.fill_byte = o->fill_byte;
	ro.stop = o->stop;
	ro.map = r->map;
	ro.on_bad = on_bad;
	ro.on_progress = fg_acq_on_progress;
	ro.on_checkpoint = o->mapfile != NULL ? fg_acq_map_checkpoint : NULL;
	ro.checkpoint_s = MAP_SAVE_S;
	ro.ctx = r;
	r->read_in_order = ro.in_order;
	rc = fg_reader_run(r->src, pipe, &ro, st, err);
	r->in_order = st->in_order;
	if (rc == FG_OK) {
		rc = fg_pipe_finish(pipe, err);
		if (rc == FG_OK && o->mapfile != NULL)
			rc = fg_acq_map_checkpoint(r, r->map, err);
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
			if (fg_acq_map_checkpoint(r, r->map, &merr) != FG_OK &&
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
	struct fg_acq r;
	struct fg_reader_stats st;
	struct fg_sink_params sp;
	struct fg_case_meta meta;
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
	fg_acq_record_start(&r);

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
		struct fg_acq_copy *c = &r.copies[i];
		rc =
		    copy_names(c, i == 0 ? o->outbase : o->second_outbase, err);
		if (rc == FG_OK)
			rc = fg_acq_check_folder(c->outbase, err);
		/* --resume replaces the record of the run it continues (the
		 * name itself, never where a symbolic link there points). */
		if (rc == FG_OK && o->resume)
			rc = no_symlink(c->json, err);
		if (rc == FG_OK && o->resume)
			rc = no_symlink(c->txt, err);
		if (rc == FG_OK && !o->resume)
			rc = fg_acq_check_free(c->json, err);
		if (rc == FG_OK && !o->resume)
			rc = fg_acq_check_free(c->txt, err);
		/* (--resume checks these after the earlier record.) */
		if (rc == FG_OK && !o->resume)
			rc = fg_acq_check_free(c->md5, err);
		if (rc == FG_OK && !o->resume)
			rc = fg_acq_check_free(c->sha256, err);
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
	/* (--resume takes the case and its database from the record of the
	 * run it continues.)  A database not named with --case-db is never
	 * a symbolic link. */
	rc = fg_acq_map_prepare(&r, err);
	if (rc != FG_OK)
		goto out;
	r.db_default = o->case_db == NULL || *o->case_db == '\0';
	if (r.db_path == NULL)
		r.db_path = !r.db_default ? strdup(o->case_db)
					  : fg_casedb_default_path(o->outbase);
	if (r.db_path == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	if (!fg_casedb_is_server(r.db_path))
		outputs[nout++] = r.db_path;
	outputs[nout] = NULL;

	/* 3. The guard, before anything is created or read. */
	rc = fg_guard_engage(&r.guard, r.src, outputs, o->no_write_block,
			     r.rec, o->warn, o->ctx, err);
	if (rc != FG_OK)
		goto out;
	/* 3a. Room for the outputs (nothing is created yet). */
	rc = fg_acq_space_check(&r, err);
	if (rc != FG_OK)
		goto out;

	/* 3b. The case database, before any evidence is written: a bad or
	 * read-only one stops the run here.  A new one is only made once
	 * the sinks have accepted their names (a refused run leaves no
	 * file behind). */
	rc = fg_acq_db_open(&r, 0, err);
	if (rc != FG_OK)
		goto out;
	{
		char *abs = fg_casedb_is_server(r.db_path)
				    ? NULL
				    : fg_acq_absolute_path(&r, r.db_path);
		fg_record_set_str(r.rec, "case_db.path",
				  abs != NULL ? abs : r.db_path);
		free(abs);
	}

	/* 4. Digests. */
	for (i = 0; i < FG_NHASH; i++)
		if ((o->hash_mask & fg_hash_set[i]) &&
		    (rc = fg_hash_new(&r.hash[i], fg_hash_set[i], err)) !=
			FG_OK)
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
	fg_acq_case_meta(&meta, r.rec);
	sp.meta = &meta;
	sp.ewf = &o->ewf;
	for (i = 0; i < r.ncopies; i++) {
		struct fg_acq_copy *c = &r.copies[i];
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
	/* 5b. The reserve that lets a full destination still take the
	 * final record and the database row. */
	rc = fg_acq_reserve(&r, err);
	if (rc != FG_OK)
		goto out;
	/* 5c. The drive's health before the first read (health.h). */
	if (fg_source_health(r.src, r.rec, "before") != FG_OK) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	r.health_read = 1;
	/* 6. The honest "running" record, in the files and the database
	 * (and the mapfile).  --resume replaces the interrupted run's. */
	for (i = 0; o->resume && i < r.ncopies; i++)
		r.copies[i].record_written = 1;
	rc = fg_acq_db_open(&r, 1, err);
	if (rc == FG_OK)
		rc = fg_acq_write_record(&r, 0, err);
	if (rc == FG_OK && o->mapfile != NULL)
		rc = fg_acq_map_save(&r, r.map, !o->resume, err);
	if (rc != FG_OK)
		goto out;
	/* Waiting here for another program's lock ends on a signal; once
	 * the row is there, its end is always written (t0530). */
	fg_casedb_set_stop(r.db, o->stop);
	rc = fg_casedb_acquisition_begin(r.db, r.rec, &r.db_acq, err);
	fg_casedb_set_stop(r.db, NULL);
	if (rc != FG_OK)
		goto out;
	fg_record_set_int(r.rec, "case_db.acquisition_id", r.db_acq);
	fg_acq_db_anchor(&r, "started");

	/* 7. Read. */
	rc = run_pipeline(&r, &st, err);
	fg_guard_flags_left(r.guard, res->flags_left,
			    sizeof(res->flags_left));
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
	fg_acq_record_reading(&r, &st);
	if (rc == FG_OK)
		rc = fg_acq_rehash_image(&r, err);
	if (rc == FG_OK && r.bad.oom)
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
				  "out of memory for the bad-sector list");
	if (rc != FG_OK)
		goto out;

	/* 8. Digests, then the evidence made final. */
	{
		uint32_t ss = r.src->sector_size;
		res->hashes.pad_bytes =
			r.src->size % ss ? (uint32_t)(ss - r.src->size % ss)
					 : 0;
		for (i = 0; i < FG_NHASH; i++) {
			char key[40];
			char *hex = fg_media_hash_hex(&res->hashes, i, 0);
			if (r.hash[i] == NULL)
				continue;
			if (res->hashes.pad_bytes > 0)
				fg_hash_peek_padded(
				    r.hash[i], res->hashes.pad_bytes,
				    fg_media_hash_hex(&res->hashes, i, 1));
			fg_hash_final(r.hash[i], hex);
			snprintf(key, sizeof(key), "hashes.%s",
				 fg_hash_name(fg_hash_set[i]));
			fg_record_set_str(r.rec, key, hex);
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
			for (i = 0; i < FG_NHASH; i++) {
				char key[40];
				if (r.hash[i] == NULL)
					continue;
				snprintf(key, sizeof(key),
					 "hashes.e01_padded.%s",
					 fg_hash_name(fg_hash_set[i]));
				fg_record_set_str(
				    r.rec, key,
				    fg_media_hash_hex(&res->hashes, i, 1));
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
			fg_acq_record_output(&r, &s->files[k]);
		fg_sink_describe(s, r.rec,
				 i == 0 ? "container" : "second_container");
	}
	res->bytes = st.bytes;
	res->sectors_filled = st.sectors_filled;
	rc = st.sectors_filled > 0 ? FG_EBADSECT : FG_OK;
	/* 9. --verify: re-read what was written, past the page cache. */
	for (i = 0; o->verify && i < r.ncopies; i++) {
		struct fg_sink *s = r.copies[i].sink;
		int vrc;

		r.verifying = i;
		vrc = fg_verify_written_progress(
		    s->files, s->nfiles, o->format, &res->hashes, st.bytes,
		    o->threads, o->on_progress != NULL ? verify_progress : NULL,
		    &r, r.rec,
		    i == 0 ? "verification" : "verification_second_output",
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
		int vrc = fg_acq_verify_source(&r, &res->hashes, err);
		res->source_verified = vrc == FG_OK	     ? 1
				       : vrc == FG_EMISMATCH ? -1
							     : 0;
		if (vrc != FG_OK)
			rc = vrc;
	}

out:
	status = rc;
	for (i = 0; i < r.ncopies; i++)
		fg_sink_abort(r.copies[i].sink);
	if (r.guard != NULL) {
		fg_guard_flags_left(r.guard, res->flags_left,
				    sizeof(res->flags_left));
		fg_guard_release(r.guard, r.rec);
		r.guard = NULL;
	}
	/* The drive's health after the last read, and what changed. */
	if (r.health_read && (fg_source_health(r.src, r.rec, "after") != FG_OK ||
			      fg_health_compare(r.rec) < 0) &&
	    o->warn != NULL)
		o->warn(o->ctx, "out of memory for the drive's health");
	fg_acq_reserve_release(&r);
	if (r.copies[0].record_written) {
		struct fg_error werr;
		fg_error_clear(&werr);
		/* Checksum files first: the record's result must say whether
		 * they were written. */
		if ((status == FG_OK || status == FG_EBADSECT ||
		     status == FG_EMISMATCH) &&
		    fg_acq_write_sidecars(&r, &werr) != FG_OK)
			status = fg_error_copy(err, &werr);
		fg_acq_record_end(&r, status, err);
		fg_acq_db_end(&r, &dberr);
		fg_acq_db_verifications(&r);
		if (fg_acq_write_record(&r, 1, &werr) != FG_OK &&
		    (status == FG_OK || status == FG_EBADSECT))
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
		struct fg_acq_copy *c = &r.copies[i];
		fg_sink_free(c->sink);
		free(c->json);
		free(c->txt);
		free(c->md5);
		free(c->sha256);
	}
	for (i = 0; i < FG_NHASH; i++)
		fg_hash_free(r.hash[i]);
	fg_hashwin_free(r.win);
	free(r.bad.r);
	fg_map_free(r.map);
	fg_source_close(r.src);
	fg_record_free(r.rec);
	return status;
}

/* The digests and hash windows as consumers.  They need the media in
 * order: they skip the blocks the failing-drive passes hand on out of
 * order, and rehash_image finishes them from the image.  The media's
 * SHA-256 and the windows (SHA-256 too) share one consumer, which hashes
 * both in one pass, at about 1.8 times one digest's rate (sha256.c).
 * No MD5 consumer when a sink took the media's MD5 (md5_taken). */
void fg_acq_add_digests(struct fg_acq *r, struct fg_pipe *pipe, int md5_taken)
{
	const int sha_win = r->hash[2] != NULL && r->win != NULL;
	struct fg_consumer c;
	unsigned i;

	memset(&c, 0, sizeof(c));
	c.in_order_only = 1;
	for (i = 0; i < FG_NHASH; i++) {
		if (r->hash[i] == NULL || (i == 2 && sha_win) ||
		    (i == 0 && md5_taken))
			continue;
		c.name = fg_hash_name(fg_hash_set[i]);
		c.consume = fg_acq_consume_hash;
		c.ctx = r->hash[i];
		c.critical = fg_hash_set[i] == FG_HASH_MD5;
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
