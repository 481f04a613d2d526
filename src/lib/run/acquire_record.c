/*
 * acquire_record.c - what an acquisition writes into its record (see
 * acquire.c for the sequence): the run, the case and the parameters at the
 * start, the result at the end, the outputs, the reading totals; the case
 * metadata the sinks get from it; the record files and the checksum
 * sidecars of each copy.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <forage/acquire.h>
#include <forage/hash.h>
#include <forage/mapfile.h>
#include <forage/record.h>
#include <forage/source.h>

#include "base/base_int.h"
#include "run/acquire_int.h"

/* The program that makes the record: its path and the SHA-256 of its
 * file (/proc/self/exe, the very file even if replaced since), null when
 * it cannot be read. */
void fg_acq_record_executable(struct fg_record *rec)
{
	char path[4096], hx[FG_NHASH][FG_HASH_HEX_MAX];
	struct fg_error e;
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n > 0) {
		path[n] = '\0';
		fg_record_set_str(rec, "tool.executable", path);
	} else {
		fg_record_set_null(rec, "tool.executable");
	}
	fg_error_clear(&e);
	if (fg_hash_file("/proc/self/exe", FG_HASH_SHA256, hx, NULL, &e) ==
	    FG_OK)
		fg_record_set_str(rec, "tool.executable_sha256", hx[2]);
	else
		fg_record_set_null(rec, "tool.executable_sha256");
}

void fg_acq_record_start(struct fg_acq *r)
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
	fg_acq_record_executable(rec);
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
	for (i = 0; i < FG_NHASH; i++) {
		if (!(o->hash_mask & fg_hash_set[i]))
			continue;
		size_t n = strlen(list);
		snprintf(list + n, sizeof(list) - n, "%s%s", n ? "," : "",
			 fg_hash_name(fg_hash_set[i]));
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
				  o->ewf.compression);
		fg_record_set_str(rec, "parameters.ewf_format",
				  o->ewf.ewf_format);
		fg_record_set_int(rec, "parameters.chunk_size",
				  (int64_t)o->ewf.chunk_size);
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

void fg_acq_record_end(struct fg_acq *r, int status, const struct fg_error *err)
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
void fg_acq_case_meta(struct fg_case_meta *m, const struct fg_record *rec)
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

int fg_acq_write_record(struct fg_acq *r, int final, struct fg_error *err)
{
	unsigned i;
	int rc = FG_OK, rc2;

	for (i = 0; i < r->ncopies; i++) {
		struct fg_acq_copy *c = &r->copies[i];
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

int fg_acq_write_sidecars(struct fg_acq *r, struct fg_error *err)
{
	unsigned i;
	int rc;

	for (i = 0; i < r->ncopies; i++) {
		struct fg_acq_copy *c = &r->copies[i];
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

/* The absolute form of path (a file the run writes, in a folder that
 * exists), malloc'd, so that a record read later, from elsewhere, still
 * says where the file was written.  NULL when the folder does not resolve:
 * the caller keeps the path as given (relative to run.working_directory)
 * and a warning says so. */
char *fg_acq_absolute_path(struct fg_acq *r, const char *path)
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

/* An output file in the record (outputs[]), by its absolute path, with
 * the copy it belongs to: the copy whose sink wrote it. */
void fg_acq_record_output(struct fg_acq *r, const struct fg_outfile *f)
{
	struct fg_outfile a = *f;
	char *abs = fg_acq_absolute_path(r, f->path);
	unsigned i, copy = 1;
	size_t k;

	for (i = 0; i < r->ncopies; i++)
		for (k = 0; k < r->copies[i].sink->nfiles; k++)
			if (&r->copies[i].sink->files[k] == f)
				copy = i + 1;
	if (abs != NULL)
		a.path = abs;
	fg_record_add_output_copy(r->rec, &a, copy);
	free(abs);
}

/* The totals for the record: over the whole acquisition (the map), and
 * the retries of this run and the runs it resumes. */
void fg_acq_record_reading(struct fg_acq *r, const struct fg_reader_stats *st)
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
