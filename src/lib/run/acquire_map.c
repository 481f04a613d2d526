/*
 * acquire_map.c - the acquisition of a failing drive: the map of what was
 * read, --mapfile (a GNU ddrescue mapfile, rewritten at checkpoints only
 * over durable writes), --resume (the mapfile and the record of the run it
 * continues, checked), and the digests finished by re-reading the image
 * when the passes read the media out of order.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <forage/acquire.h>
#include <forage/casedb.h>
#include <forage/mapfile.h>
#include <forage/pipeline.h>
#include <forage/record.h>
#include <forage/source.h>

#include "base/base_int.h"
#include "run/acquire_int.h"

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

int fg_acq_map_save(struct fg_acq *r, const struct fg_map *m, int first,
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
int fg_acq_map_checkpoint(void *ctx, const struct fg_map *m,
			  struct fg_error *err)
{
	struct fg_acq *r = ctx;
	unsigned i;

	for (i = 0; i < r->ncopies; i++) {
		struct fg_sink *s = r->copies[i].sink;
		if (fg_sink_sync(s) != FG_OK)
			return fg_error_copy(err, &s->err);
	}
	return fg_acq_map_save(r, m, 0, err);
}

/* --resume: the mapfile must describe this source range in whole sectors. */
static int map_fits(struct fg_acq *r, struct fg_error *err)
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

/* --resume: the case the interrupted run was filed under (the record's
 * case.* and case_db.path) is this run's too.  What the command line leaves
 * out is taken from the record; what it gives must be what the record
 * says, or the resumed evidence would be filed apart from its start. */
static int earlier_case(struct fg_acq *r, const struct fg_record *old,
			struct fg_error *err)
{
	const struct fg_acquire_opts *o = r->o;
	const char *json = r->copies[0].json, *was;
	char *abs;
	size_t i;
	struct {
		const char *key, *opt, *given;
	} who[] = {
		{"case.case_id", "--case", o->case_id},
		{"case.evidence_id", "--evidence", o->evidence_id},
		{"case.examiner", "--examiner", o->examiner},
		{"case.description", "--description", o->description},
		{"case.notes", "--notes", o->notes},
	};

	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		was = fg_record_get_str(old, who[i].key);
		if (who[i].given == NULL) {
			if (fg_record_set_str(r->rec, who[i].key, was) != FG_OK)
				return fg_error_set(err, FG_ENOMEM, ENOMEM,
						    "out of memory");
			continue;
		}
		if (was != NULL && strcmp(was, who[i].given) == 0)
			continue;
		return fg_error_set(err, FG_EINVAL, 0,
				    "cannot resume: %s differs: %s is %s%s%s "
				    "in %s, '%s' now; leave %s out to keep "
				    "the interrupted run's",
				    who[i].opt, who[i].key,
				    was != NULL ? "'" : "",
				    was != NULL ? was : "none",
				    was != NULL ? "'" : "", json,
				    who[i].given, who[i].opt);
	}
	was = fg_record_get_str(old, "case_db.path");
	if (was == NULL)
		return FG_OK;
	if (o->case_db == NULL || *o->case_db == '\0') {
		r->db_path = strdup(was);
		return r->db_path != NULL
			       ? FG_OK
			       : fg_error_set(err, FG_ENOMEM, ENOMEM,
					      "out of memory");
	}
	abs = fg_casedb_is_server(o->case_db) ? strdup(o->case_db)
					      : fg_path_absolute(o->case_db);
	if (abs != NULL && strcmp(abs, was) == 0) {
		free(abs);
		return FG_OK;
	}
	fg_error_set(err, FG_EINVAL, 0,
		     "cannot resume: --case-db differs: case_db.path is '%s' "
		     "in %s, '%s' now; leave --case-db out to keep the "
		     "interrupted run's",
		     was, json, abs != NULL ? abs : o->case_db);
	free(abs);
	return FG_EINVAL;
}

/* --resume: the record of the run being continued must exist, say it did
 * not finish, and have used the options that decide the result. */
static int earlier_record(struct fg_acq *r, struct fg_error *err)
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
		/* A record without the key (or not a number there) says
		 * so; v is not read then. */
		if (fg_record_get_int(old, same[i].key, &v) != FG_OK) {
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "cannot resume: %s differs: %s "
					  "has no %s, %lld now; give the "
					  "options of the interrupted run",
					  same[i].opt, json, same[i].key,
					  (long long)same[i].want);
			goto out;
		}
		if (v != same[i].want) {
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "cannot resume: %s differs: %lld "
					  "in %s, %lld now; give the options "
					  "of the interrupted run",
					  same[i].opt, (long long)v, json,
					  (long long)same[i].want);
			goto out;
		}
	}
	if ((rc = earlier_case(r, old, err)) != FG_OK)
		goto out;
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
static int map_name_free(struct fg_acq *r, struct fg_error *err)
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

int fg_acq_map_prepare(struct fg_acq *r, struct fg_error *err)
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
		    (rc = fg_acq_check_free(o->mapfile, err)) != FG_OK)
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
		rc = fg_acq_check_free(r->copies[i].md5, err);
		if (rc == FG_OK)
			rc = fg_acq_check_free(r->copies[i].sha256, err);
	}
	return rc;
}

/* When the passes handed on holes out of order, the digests saw the media
 * in order up to the first hole only; they are finished by reading the
 * image back from there (never the source), memory bounded as ever. */
int fg_acq_rehash_image(struct fg_acq *r, struct fg_error *err)
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
	rc = fg_acq_new_pipe(o, &pipe, err);
	if (rc != FG_OK)
		return rc;
	fg_acq_add_digests(r, pipe, 0);
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
			fg_acq_on_progress(r, &pr);
		}
	}
	if (rc == FG_OK)
		rc = fg_pipe_finish(pipe, err);
out:
	fg_pipe_free(pipe);
	return rc;
}
