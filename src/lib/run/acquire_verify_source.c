/*
 * acquire_verify_source.c - --verify-source: once the evidence is final,
 * the whole source is read again into fresh digests and compared with the
 * acquisition's.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <forage/acquire.h>
#include <forage/hash.h>
#include <forage/pipeline.h>
#include <forage/record.h>
#include <forage/source.h>

#include "base/base_int.h"
#include "run/acquire_int.h"

struct reread {
	struct fg_acq *r;
	uint64_t bad;
};

static void count_bad(void *ctx, uint64_t lba, uint64_t count)
{
	struct reread *rr = ctx;

	(void)lba;
	rr->bad += count;
}

/* This pass's own progress, named as such. */
static void reread_progress(void *ctx, const struct fg_progress *p)
{
	struct reread *rr = ctx;

	fg_acq_pass_progress(rr->r, p, "verifying the source");
}

/* Read the whole source again, in order, with the same retries and fill,
 * into fresh digests, and compare them with the acquisition's: the
 * strongest evidence that the source did not change while it was read.
 * The outcome goes into the record under "verify_source.".  Returns FG_OK,
 * FG_EMISMATCH when a digest differs, FG_EINTR, or a read failure. */
int fg_acq_verify_source(struct fg_acq *r, const struct fg_media_hashes *h,
			 struct fg_error *err)
{
	const struct fg_acquire_opts *o = r->o;
	struct fg_hash *hash[FG_NHASH] = {NULL};
	struct fg_pipe *pipe = NULL;
	struct fg_reader_opts ro;
	struct fg_reader_stats st;
	struct fg_consumer c;
	struct reread rr = {r, 0};
	char when[32], hex[FG_HASH_HEX_MAX];
	int rc, differ = 0;
	unsigned i;

	fg_record_utc_now(when, sizeof(when));
	fg_record_set_str(r->rec, "verify_source.started_utc", when);
	fg_record_set_str(r->rec, "verify_source.method",
			  "the source read again, in order, after the "
			  "evidence was final, with the same retries and "
			  "fill");
	rc = fg_acq_new_pipe(o, &pipe, err);
	if (rc != FG_OK)
		return rc;
	memset(&c, 0, sizeof(c));
	for (i = 0; i < FG_NHASH; i++) {
		if (r->hash[i] == NULL)
			continue;
		rc = fg_hash_new(&hash[i], fg_hash_set[i], err);
		if (rc != FG_OK)
			goto out;
		c.name = fg_hash_name(fg_hash_set[i]);
		c.consume = fg_acq_consume_hash;
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
	ro.on_progress = o->on_progress != NULL ? reread_progress : NULL;
	ro.ctx = &rr;
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
	for (i = 0; i < FG_NHASH; i++) {
		char key[48];

		if (hash[i] == NULL)
			continue;
		fg_hash_final(hash[i], hex);
		snprintf(key, sizeof(key), "verify_source.%s",
			 fg_hash_name(fg_hash_set[i]));
		fg_record_set_str(r->rec, key, hex);
		if (strcmp(hex, fg_media_hash_hex(h, i, 0)) != 0)
			differ = 1;
	}
	fg_record_set_int(r->rec, "verify_source.sectors_filled",
			  (int64_t)rr.bad);
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
				  r->src->path, (unsigned long long)rr.bad);
out:
	for (i = 0; i < FG_NHASH; i++)
		fg_hash_free(hash[i]);
	fg_pipe_free(pipe);
	return rc;
}
