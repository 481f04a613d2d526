/*
 * result.c - a verification as a record: the verify JSON (see verify.h),
 * and the checks and damage lists fg_verify_written adds to an
 * acquisition's record.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/container.h>
#include <forage/filehash.h>
#include <forage/hash.h>
#include <forage/pipeline.h>
#include <forage/reader.h>
#include <forage/record.h>
#include <forage/verify.h>

#include "base/base_int.h"
#include "verify/verify_int.h"

/* ---- The verification as a record ------------------------------------ */

static const char *result_word(int r)
{
	return r == FG_CHECK_MATCH	   ? "match"
	       : r == FG_CHECK_MISMATCH   ? "MISMATCH"
	       : r == FG_CHECK_NOT_NEEDED ? "not needed"
					  : "not verifiable";
}

int fg_verify_checks_to_record(struct fg_record *r, const char *key,
			       const struct fg_verify_item *it)
{
	size_t i;
	int rc = FG_OK;

	for (i = 0; i < it->nchecks && rc == FG_OK; i++) {
		const struct fg_check *c = &it->checks[i];
		struct fg_record *e = NULL;

		if (fg_record_new(&e) != FG_OK)
			return FG_ENOMEM;
		rc |= fg_record_set_str(e, "what", c->what);
		rc |= fg_record_set_str(e, "algorithm",
					c->alg ? fg_hash_name(c->alg) : NULL);
		rc |= fg_record_set_str(e, "expected", c->expected);
		rc |= fg_record_set_str(e, "computed", c->computed);
		rc |= fg_record_set_str(e, "source", c->source);
		rc |= fg_record_set_str(e, "result", result_word(c->result));
		if (rc == FG_OK)
			rc = fg_record_append_record(r, key, e);
		fg_record_free(e);
	}
	return rc != FG_OK ? FG_ENOMEM : FG_OK;
}

static const char *damage_word(int kind)
{
	return kind == FG_VDAMAGE_CHECKSUM   ? "damaged"
	       : kind == FG_VDAMAGE_WINDOW ? "hash window"
					   : "unreadable";
}

int fg_verify_damage_to_record(struct fg_record *r, const char *key,
			       const struct fg_verify_item *it)
{
	size_t i;
	int rc = FG_OK;

	for (i = 0; i < it->ndamage && rc == FG_OK; i++) {
		const struct fg_verify_damage *d = &it->damage[i];
		struct fg_record *e = NULL;

		if (fg_record_new(&e) != FG_OK)
			return FG_ENOMEM;
		rc |= fg_record_set_str(e, "kind", damage_word(d->kind));
		rc |= fg_record_set_int(e, "first_lba", (int64_t)d->first_lba);
		rc |= fg_record_set_int(e, "sectors", (int64_t)d->sectors);
		rc |= fg_record_set_int(e, "offset", (int64_t)d->offset);
		rc |= fg_record_set_int(e, "length", (int64_t)d->length);
		if (d->chunks > 0) {
			rc |= fg_record_set_int(e, "first_chunk",
						(int64_t)d->first_chunk);
			rc |= fg_record_set_int(e, "chunks",
						(int64_t)d->chunks);
		}
		if (d->kind == FG_VDAMAGE_WINDOW)
			rc |= fg_record_set_int(e, "window",
						(int64_t)d->window);
		rc |= fg_record_set_str(e, "file", d->file);
		if (d->has_file_offset) {
			rc |= fg_record_set_int(e, "file_offset",
						(int64_t)d->file_offset);
			rc |= fg_record_set_int(e, "file_length",
						(int64_t)d->file_length);
		}
		rc |= fg_record_set_bool(e, "zero_filled", d->zero_filled);
		rc |= fg_record_set_str(e, "detail", d->detail);
		if (rc == FG_OK)
			rc = fg_record_append_record(r, key, e);
		fg_record_free(e);
	}
	return rc != FG_OK ? FG_ENOMEM : FG_OK;
}

struct fg_record *fg_verify_item_record(const struct fg_verify_item *it,
					const struct fg_verify_opts *o)
{
	struct fg_record *r = NULL;
	char host[256];
	size_t i;
	int rc = FG_OK;

	if (fg_record_new(&r) != FG_OK)
		return NULL;
	rc |= fg_record_set_str(r, "record_format", "forage-verification-1");
	rc |= fg_record_set_str(r, "tool.name", PACKAGE_NAME);
	rc |= fg_record_set_str(r, "tool.version", PACKAGE_VERSION);
	rc |= fg_record_set_str(r, "tool.md5", fg_hash_md5_implementation());
	rc |= fg_record_set_str(r, "tool.sha256",
				fg_hash_sha256_implementation());
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		rc |= fg_record_set_str(r, "run.host", host);
	} else {
		rc |= fg_record_set_null(r, "run.host");
	}
	rc |= fg_record_set_str(r, "run.examiner", o ? o->examiner : NULL);
	rc |= fg_record_set_str(r, "run.command_line",
				o ? o->command_line : NULL);
	rc |= fg_record_set_str(r, "run.started_utc", it->started_utc);
	rc |= fg_record_set_str(r, "run.finished_utc", it->finished_utc);
	rc |= fg_record_set_str(r, "input", it->input);
	rc |= fg_record_set_str(r, "record", it->record_path);
	if (it->ncopies > 1) {
		rc |= fg_record_set_int(r, "copy.number", it->copy);
		rc |= fg_record_set_int(r, "copy.of", it->ncopies);
	}
	if (it->format != NULL) {
		rc |= fg_record_set_str(r, "image.kind",
					fg_container_kind_name(it->kind));
		rc |= fg_record_set_str(r, "image.format", it->format);
		rc |= fg_record_set_str(r, "image.content", it->description);
		rc |= fg_record_set_int(r, "image.media_size",
					(int64_t)it->media_size);
		rc |= fg_record_set_int(r, "image.sector_size",
					it->sector_size);
		if (it->chunk_size)
			rc |= fg_record_set_int(r, "image.chunk_size",
						it->chunk_size);
		rc |= fg_record_set_str(r, "image.page_cache_bypass",
					it->cache_bypass);
		for (i = 0; i < it->nfiles && rc == FG_OK; i++) {
			struct fg_record *f = NULL;
			if (fg_record_new(&f) != FG_OK) {
				rc = FG_ENOMEM;
				break;
			}
			rc |= fg_record_set_str(f, "path", it->files[i]);
			rc |= fg_record_set_int(f, "size",
						(int64_t)it->file_sizes[i]);
			if (rc == FG_OK)
				rc = fg_record_append_record(r, "image.files",
							     f);
			fg_record_free(f);
		}
		for (i = 0; i < it->nmeta; i++) {
			char key[96];
			snprintf(key, sizeof(key), "image.metadata.%s",
				 it->meta_keys[i]);
			rc |= fg_record_set_str(r, key, it->meta_values[i]);
		}
		rc |= fg_record_set_str(r, "computed.md5",
					it->computed.md5[0] ? it->computed.md5
							    : NULL);
		rc |= fg_record_set_str(r, "computed.sha1",
					it->computed.sha1[0] ? it->computed.sha1
							     : NULL);
		rc |= fg_record_set_str(r, "computed.sha256",
					it->computed.sha256[0]
						? it->computed.sha256
						: NULL);
		rc |= fg_record_set_int(r, "computed.bytes",
					(int64_t)it->media_size);
	}
	rc |= fg_verify_checks_to_record(r, "checks", it);
	rc |= fg_verify_damage_to_record(r, "damage", it);
	if (it->kind == FG_CONTAINER_EWF) {
		rc |= fg_record_set_int(r, "chunks", (int64_t)it->chunks);
		rc |= fg_record_set_int(r, "chunks_read_through_libewf",
					(int64_t)it->chunks_libewf);
		rc |= fg_record_set_int(r, "bytes_past_media_end",
					(int64_t)it->past_end_bytes);
		rc |= fg_record_set_int(r, "damaged_chunks_past_media_end",
					(int64_t)it->past_end_damaged);
	}
	rc |= fg_record_set_int(r, "damaged_bytes", (int64_t)it->damaged_bytes);
	rc |= fg_record_set_int(r, "unreadable_bytes",
				(int64_t)it->unreadable_bytes);
	if (it->windows > 0) {
		rc |= fg_record_set_int(r, "hash_windows.size",
					(int64_t)it->window_size);
		rc |= fg_record_set_int(r, "hash_windows.count",
					(int64_t)it->windows);
		rc |= fg_record_set_int(r, "hash_windows.differing",
					(int64_t)it->windows_bad);
		rc |= fg_record_set_int(r, "hash_windows.not_verifiable",
					(int64_t)it->windows_unverifiable);
		for (i = 0; i < it->nintact && rc == FG_OK; i++) {
			struct fg_record *x = NULL;
			uint64_t a = it->intact[i][0], b = it->intact[i][1];
			uint64_t end = (b + 1) * it->window_size;
			if (end > it->media_size)
				end = it->media_size;
			if (fg_record_new(&x) != FG_OK) {
				rc = FG_ENOMEM;
				break;
			}
			rc |= fg_record_set_int(x, "first_window", (int64_t)a);
			rc |= fg_record_set_int(x, "last_window", (int64_t)b);
			rc |= fg_record_set_int(x, "offset",
						(int64_t)(a * it->window_size));
			rc |= fg_record_set_int(x, "length",
						(int64_t)(end -
							  a * it->window_size));
			if (rc == FG_OK)
				rc = fg_record_append_record(
					r, "hash_windows.intact", x);
			fg_record_free(x);
		}
	}
	for (i = 0; i < it->nproblems; i++)
		rc |= fg_record_append_str(r, "problems", it->problems[i]);
	for (i = 0; i < it->nnotes; i++)
		rc |= fg_record_append_str(r, "notes", it->notes[i]);
	rc |= fg_record_set_str(r, "result.status",
				fg_verify_status_word(it->status));
	rc |= fg_record_set_int(r, "result.exit_code",
				fg_exit_for_status(it->status));
	rc |= fg_record_set_str(r, "result.message",
				it->status != FG_OK && it->err.msg[0]
					? it->err.msg
					: NULL);
	if (rc != FG_OK) {
		fg_record_free(r);
		return NULL;
	}
	return r;
}
