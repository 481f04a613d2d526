/*
 * verify.c - re-verifying evidence (see verify.h).
 *
 * One verification goes:
 *
 *   input --detect--> image (+ the record beside it, or named by it)
 *         --gather--> expectations: media hashes (whole media or its first
 *                     N bytes), file hashes and sizes, hash windows
 *         --stream--> pipeline: one thread per digest over the same blocks
 *                     (whole media, first N bytes, per raw segment, hash
 *                     windows); damage reported by the reader in order
 *         --compare-> checks, damage list, status
 *
 * Nothing here writes evidence: the only files opened for writing are the
 * ones fg_verify_written's caller owns (the record of its run).
 *
 * This file holds the plan and its sequence; the expectations, the
 * segment files, the damage and the record of the result are in the
 * files verify_int.h lists.
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

void fg_verify_opts_init(struct fg_verify_opts *o)
{
	memset(o, 0, sizeof(*o));
}

const char *fg_verify_status_word(int status)
{
	if (status == FG_OK)
		return "verified";
	if (status == FG_EMISMATCH)
		return "MISMATCH";
	if (status == FG_EINTR)
		return "interrupted";
	return "cannot verify";
}

/* path without its last extension ("dir/HD1.E01" -> "dir/HD1"). */
static char *strip_ext(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');

	if (dot == NULL || (slash != NULL && dot < slash) || dot == path ||
	    (slash != NULL && dot == slash + 1))
		return strdup(path);
	return strndup(path, (size_t)(dot - path));
}

/* ---- The item ------------------------------------------------------------ */

void fg_verify_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

void fg_verify_item_free(struct fg_verify_item *it)
{
	size_t i;

	if (it == NULL)
		return;
	free(it->input);
	free(it->record_path);
	free(it->format);
	free(it->description);
	fg_verify_strv_free(it->files, it->nfiles);
	free(it->file_sizes);
	free(it->cache_bypass);
	fg_verify_strv_free(it->meta_keys, it->nmeta);
	fg_verify_strv_free(it->meta_values, it->nmeta);
	for (i = 0; i < it->nchecks; i++) {
		free(it->checks[i].what);
		free(it->checks[i].expected);
		free(it->checks[i].computed);
		free(it->checks[i].source);
	}
	free(it->checks);
	for (i = 0; i < it->ndamage; i++) {
		free(it->damage[i].file);
		free(it->damage[i].detail);
	}
	free(it->damage);
	fg_verify_strv_free(it->problems, it->nproblems);
	fg_verify_strv_free(it->notes, it->nnotes);
	free(it->record_case_db);
	free(it->case_db);
	free(it->intact);
	free(it);
}

/* Append a printf'd string to a vector; sets *oom on failure. */
void fg_verify_strv_add(char ***v, size_t *n, int *oom, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	char **nv;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	nv = s != NULL ? fg_grow(*v, *n, sizeof(**v)) : NULL;
	if (nv == NULL) {
		free(s);
		*oom = 1;
		return;
	}
	*v = nv;
	nv[(*n)++] = s;
}

static void plan_free(struct plan *p)
{
	size_t i;

	free(p->out_copy);
	for (i = 0; i < p->nex; i++)
		free(p->ex[i].source);
	free(p->ex);
	for (i = 0; i < p->nfx; i++) {
		free(p->fx[i].name);
		free(p->fx[i].source);
	}
	free(p->fx);
	for (i = 0; i < FG_NHASH; i++) {
		fg_hash_free(p->media[i]);
		fg_hash_free(p->prefix[i].h);
	}
	fg_hashwin_free(p->win.w);
	free(p->past.data);
	free(p->past.file);
	free(p->past.damaged);
	fg_verify_seg_files_free(p);
	fg_verify_files_index_free(p);
	fg_record_free(p->rec);
	free(p->rec_name);
	fg_image_close(p->img);
}

void fg_verify_add_check(struct plan *p, const char *what, unsigned alg,
			 const char *expected, const char *computed,
			 const char *source, int result)
{
	struct fg_verify_item *it = p->it;
	struct fg_check *c;

	c = fg_grow(it->checks, it->nchecks, sizeof(*c));
	if (c == NULL) {
		p->oom = 1;
		return;
	}
	it->checks = c;
	c = &it->checks[it->nchecks];
	c->what = strdup(what);
	c->expected = strdup(expected != NULL ? expected : "");
	c->computed = strdup(computed != NULL ? computed : "");
	c->source = strdup(source != NULL ? source : "");
	c->alg = alg;
	c->result = result;
	if (c->what == NULL || c->expected == NULL || c->computed == NULL ||
	    c->source == NULL) {
		free(c->what);
		free(c->expected);
		free(c->computed);
		free(c->source);
		p->oom = 1;
		return;
	}
	it->nchecks++;
}

/* ---- Consumers ----------------------------------------------------------- */

static int consume_media(void *ctx, const struct fg_block *b,
			 struct fg_error *err)
{
	(void)err;
	return fg_hash_update(ctx, b->data, b->len);
}

static int consume_prefix(void *ctx, const struct fg_block *b,
			  struct fg_error *err)
{
	struct range_hash *r = ctx;
	size_t n = 0;

	(void)err;
	if (b->offset < r->end) {
		n = r->end - b->offset < b->len ? (size_t)(r->end - b->offset)
						: b->len;
		fg_hash_update(r->h, b->data, n);
	}
	if (r->watch_tail && r->tail_nonzero_at == 0) {
		size_t i;
		for (i = n; i < b->len; i++)
			if (b->data[i] != 0) {
				r->tail_nonzero_at = b->offset + i + 1;
				break;
			}
	}
	return FG_OK;
}

static int consume_win(void *ctx, const struct fg_block *b,
		       struct fg_error *err)
{
	struct win_hash *w = ctx;
	size_t n;

	if (b->offset >= w->end)
		return FG_OK;
	n = w->end - b->offset < b->len ? (size_t)(w->end - b->offset)
					: b->len;
	if (fg_hashwin_update(w->w, b->data, n) != FG_OK)
		return fg_error_set(err, FG_ENOMEM, ENOMEM,
				    "hash windows: out of memory");
	return FG_OK;
}

/* ---- Reading and hashing ----------------------------------------------- */

static void on_progress(void *ctx, const struct fg_progress *pr)
{
	struct plan *p = ctx;

	p->o->on_progress(p->o->ctx, pr);
}

/* Read the media once through every digest the plan wants.  windows_only:
 * the second pass that only computes the hash windows (damage was listed
 * by the first). */
static int run_stream(struct plan *p, int windows_only, struct fg_error *err)
{
	struct fg_verify_item *it = p->it;
	struct fg_image_read_opts ro;
	struct fg_image_read_stats st;
	struct fg_pipe *pipe = NULL;
	struct fg_consumer c;
	unsigned i;
	int rc;

	rc = fg_pipe_new(&pipe, fg_image_block_size(p->img),
			 fg_pipe_depth_for(fg_image_block_size(p->img)), err);
	if (rc != FG_OK)
		return rc;
	memset(&c, 0, sizeof(c));
	for (i = 0; i < 3 && !windows_only; i++) {
		unsigned alg = fg_hash_set[i];
		if (p->media_mask & alg) {
			if ((rc = fg_hash_new(&p->media[i], alg, err)) != FG_OK)
				goto out;
			c.name = fg_hash_name(alg);
			c.consume = consume_media;
			c.ctx = p->media[i];
			if (alg == FG_HASH_SHA256 &&
			    fg_verify_seg_files_riding(p)) {
				c.name = "sha256 of the media and the files";
				c.consume = fg_verify_consume_media_riding;
				c.ctx = p;
			}
			c.critical = alg == FG_HASH_MD5;
			fg_pipe_add_consumer(pipe, &c);
			c.critical = 0;
		}
		if (p->prefix_mask & alg) {
			if ((rc = fg_hash_new(&p->prefix[i].h, alg, err)) !=
			    FG_OK)
				goto out;
			p->prefix[i].end = p->prefix_len;
			c.name = "digest of the first bytes";
			c.consume = consume_prefix;
			c.ctx = &p->prefix[i];
			fg_pipe_add_consumer(pipe, &c);
		}
	}
	/* The tail after the hashed bytes must be zero (E01 padding). */
	for (i = 0; i < FG_NHASH; i++)
		if (p->prefix[i].h != NULL) {
			p->prefix[i].watch_tail = 1;
			break;
		}
	if (p->win_size > 0 && (windows_only || !p->win_deferred)) {
		if ((rc = fg_hashwin_new(&p->win.w, p->win_size, err)) != FG_OK)
			goto out;
		p->win.end = p->win_end;
		c.name = "hash windows";
		c.consume = consume_win;
		c.ctx = &p->win;
		fg_pipe_add_consumer(pipe, &c);
	}
	rc = fg_pipe_start(pipe, err);
	if (rc != FG_OK)
		goto out;
	memset(&ro, 0, sizeof(ro));
	ro.threads = p->o->threads;
	ro.stop = p->o->stop;
	ro.on_damage = windows_only ? NULL : fg_verify_on_damage;
	ro.on_past_end = windows_only ? NULL : fg_verify_on_past_end;
	ro.on_progress = p->o->on_progress != NULL ? on_progress : NULL;
	ro.ctx = p;
	rc = fg_image_stream(p->img, pipe, &ro, &st, err);
	if (rc == FG_OK) {
		rc = fg_pipe_finish(pipe, err);
	} else {
		struct fg_error perr;
		fg_error_clear(&perr);
		if (fg_pipe_finish(pipe, &perr) != FG_OK && rc != FG_EINTR)
			rc = fg_error_copy(err, &perr);
	}
	if (!windows_only) {
		it->chunks = st.chunks;
		it->chunks_libewf = st.chunks_libewf;
		it->damaged_bytes = st.damaged_bytes;
		it->unreadable_bytes = st.unreadable_bytes;
		it->past_end_bytes = st.past_end_bytes;
		it->past_end_damaged = p->past.damaged != NULL;
	}
	if (rc != FG_OK)
		goto out;
	{
		for (i = 0; i < FG_NHASH; i++) {
			/* The media followed by the bytes its last chunk
			 * holds past its end, before the media alone. */
			if (p->media[i] != NULL && p->past.n > 0 &&
			    !windows_only &&
			    fg_hash_peek_then(p->media[i], p->past.data,
					      p->past.n,
					      p->past.hex[i]) != FG_OK)
				p->oom = 1;
			if (p->media[i] != NULL)
				fg_hash_final(p->media[i], fg_media_hash_hex(
							       &it->computed, i, 0));
			if (p->prefix[i].h != NULL)
				fg_hash_final(p->prefix[i].h, p->prefix[i].hex);
		}
	}
	if (p->win.w != NULL)
		fg_hashwin_final(p->win.w);
out:
	fg_pipe_free(pipe);
	return rc;
}

/* ---- Comparing ----------------------------------------------------------- */

const char *fg_verify_computed_media(struct plan *p, const struct expect *e)
{
	int i = fg_hash_index(e->alg);

	if (e->length == 0 || e->length == p->img->media_size)
		return i == 0 ? p->it->computed.md5
		       : i == 1 ? p->it->computed.sha1
				: p->it->computed.sha256;
	if (e->length == p->prefix_len && p->prefix[i].hex[0] != '\0')
		return p->prefix[i].hex;
	return NULL;
}

/* The bytes the set holds past the media's end, as the examiner reads
 * them: the chunk that holds them, where it lies, and that it is no
 * damage of the media (or, a chunk of their own failing its checks, why
 * their bytes are not known). */
static void note_past_end(struct plan *p)
{
	const struct past_end *pe = &p->past;
	const uint64_t media = p->img->media_size;
	const uint32_t ss = p->img->sector_size ? p->img->sector_size : 512;
	const unsigned long long sectors = (unsigned long long)(media / ss);
	char where[600] = "", own[160];

	if (pe->n == 0 && pe->damaged == NULL)
		return;
	if (pe->file != NULL && pe->has_file_offset && pe->file_length > 0)
		snprintf(where, sizeof(where), " (%s at offset %llu-%llu)",
			 fg_path_base(pe->file),
			 (unsigned long long)pe->file_offset,
			 (unsigned long long)(pe->file_offset +
					      pe->file_length - 1));
	else if (pe->file != NULL)
		snprintf(where, sizeof(where), " (in %s)",
			 fg_path_base(pe->file));
	if (pe->chunk_offset < media) {
		NOTE(p, "chunk %llu%s holds %zu bytes: media bytes %llu-%llu "
			"and %zu byte%s past the media's end, which the set "
			"declares at %llu bytes (%llu sector%s of %u); its "
			"checksum holds over all %zu bytes, so the chunk is "
			"not damaged; the computed digests cover the media "
			"only",
		     (unsigned long long)pe->chunk, where, pe->chunk_bytes,
		     (unsigned long long)pe->chunk_offset,
		     (unsigned long long)(media - 1), pe->n,
		     pe->n == 1 ? "" : "s", (unsigned long long)media,
		     sectors, sectors == 1 ? "" : "s", ss, pe->chunk_bytes);
		return;
	}
	/* A chunk of their own, after a media of whole chunks. */
	snprintf(own, sizeof(own),
		 "chunk %llu%s, which the chunk tables list past the "
		 "media's last chunk (chunk %llu), ",
		 (unsigned long long)pe->chunk, where,
		 (unsigned long long)(pe->chunk - 1));
	if (pe->damaged != NULL) {
		NOTE(p, "%sfails its checks: %s; it holds no media bytes, "
			"so the media is not damaged, but the bytes it holds "
			"past the media's end (which the set declares at %llu "
			"bytes, %llu sector%s of %u) are not known, so no hash "
			"of the media and them can be checked",
		     own, pe->damaged, (unsigned long long)media, sectors,
		     sectors == 1 ? "" : "s", ss);
		return;
	}
	NOTE(p, "%sholds %zu byte%s past the media's end, which the set "
		"declares at %llu bytes (%llu sector%s of %u), and no media "
		"bytes; its checksum holds over %s, so the chunk is not "
		"damaged; the computed digests cover the media only",
	     own, pe->n, pe->n == 1 ? "" : "s", (unsigned long long)media,
	     sectors, sectors == 1 ? "" : "s", ss,
	     pe->n == 1 ? "it" : "all of them");
}

static void compare_media(struct plan *p)
{
	const struct past_end *pe = &p->past;
	size_t i;

	for (i = 0; i < p->nex; i++) {
		const struct expect *e = &p->ex[i];
		uint64_t len = e->length ? e->length : p->img->media_size;
		const char *got = fg_verify_computed_media(p, e);
		const char *with = pe->hex[fg_hash_index(e->alg)];
		const unsigned long long all =
			(unsigned long long)(p->img->media_size + pe->n);
		const char *name = fg_hash_name(e->alg);
		char what[128];
		int res;

		if (len == p->img->media_size)
			snprintf(what, sizeof(what), "media");
		else
			snprintf(what, sizeof(what), "media, first %llu bytes",
				 (unsigned long long)len);
		if (got == NULL || got[0] == '\0') {
			fg_verify_add_check(p, what, e->alg, e->hex, "",
					    e->source, FG_CHECK_UNVERIFIABLE);
			continue;
		}
		if (fg_verify_overlaps_unreadable(p->it, 0, len))
			res = FG_CHECK_UNVERIFIABLE;
		else
			res = strcmp(got, e->hex) == 0 ? FG_CHECK_MATCH
						       : FG_CHECK_MISMATCH;
		if (res == FG_CHECK_MISMATCH && len == p->img->media_size &&
		    pe->n > 0 && with[0] != '\0' &&
		    strcmp(with, e->hex) == 0) {
			/* The value is of the media and the bytes past
			 * its end: that is what it is checked against. */
			snprintf(what, sizeof(what),
				 "media and the %zu byte%s past its end (%llu "
				 "bytes)",
				 pe->n, pe->n == 1 ? "" : "s", all);
			fg_verify_add_check(p, what, e->alg, e->hex, with,
					    e->source, FG_CHECK_MATCH);
			NOTE(p, "%s %s from %s is the %s of all %llu bytes "
				"stored: the media's %llu and the %zu byte%s "
				"past its end; the %s of the %llu bytes the "
				"set declares as media is %s (the computed %s)",
			     name, e->hex, e->source, name, all,
			     (unsigned long long)p->img->media_size, pe->n,
			     pe->n == 1 ? "" : "s", name,
			     (unsigned long long)p->img->media_size, got,
			     name);
			continue;
		}
		fg_verify_add_check(p, what, e->alg, e->hex, got, e->source,
				    res);
		if (res == FG_CHECK_MISMATCH && len == p->img->media_size &&
		    pe->n > 0 && with[0] != '\0')
			NOTE(p, "%s of all %llu bytes stored (the media's "
				"%llu and the %zu byte%s past its end): %s; "
				"it does not match %s either",
			     name, all,
			     (unsigned long long)p->img->media_size, pe->n,
			     pe->n == 1 ? "" : "s", with, e->source);
	}
}

/* Which digests to compute over what, from the expectations. */
static void plan_digests(struct plan *p)
{
	size_t i;
	int other_length = 0;

	p->media_mask = FG_HASH_MD5 | FG_HASH_SHA256;
	for (i = 0; i < p->nex; i++) {
		const struct expect *e = &p->ex[i];
		if (e->length == 0 || e->length == p->img->media_size) {
			p->media_mask |= e->alg;
			continue;
		}
		if (p->prefix_len == 0 && e->length < p->img->media_size)
			p->prefix_len = e->length;
		if (e->length == p->prefix_len)
			p->prefix_mask |= e->alg;
		else
			other_length = 1;
	}
	if (p->img->stored.sha1[0] != '\0')
		p->media_mask |= FG_HASH_SHA1;
	if (other_length)
		NOTE(p, "expectations cover different lengths of the media; "
			"only the whole media and its first %llu bytes are "
			"hashed",
		     (unsigned long long)p->prefix_len);
	/* Hash windows localise damage.  When a media digest covers the
	 * same bytes, they are computed only if that digest does not
	 * match (a second pass): intact evidence is read once. */
	for (i = 0; i < p->nex && p->win_size > 0; i++) {
		uint64_t len = p->ex[i].length ? p->ex[i].length
					       : p->img->media_size;
		if (len == p->win_end)
			p->win_deferred = 1;
	}
}

/* Do the media digests over the first len bytes all match (so every window,
 * or raw segment file, over them is intact without recomputing it)? */
int fg_verify_digests_settled(const struct plan *p, uint64_t len_wanted)
{
	size_t i;
	int matched = 0;

	for (i = 0; i < p->it->nchecks; i++) {
		const struct fg_check *c = &p->it->checks[i];
		uint64_t len;
		if (c->alg == 0)
			continue;
		if (strcmp(c->what, "media") == 0)
			len = p->img->media_size;
		else if (strncmp(c->what, "media, first ", 13) == 0)
			len = strtoull(c->what + 13, NULL, 10);
		else
			continue;
		if (len != len_wanted)
			continue;
		if (c->result != FG_CHECK_MATCH)
			return 0;
		matched = 1;
	}
	return matched && p->it->damaged_bytes == 0 &&
	       p->it->unreadable_bytes == 0;
}

/* Sizes: what the expectations cover against what the media holds. */
static void check_lengths(struct plan *p)
{
	const struct fg_image *img = p->img;
	uint64_t seen_short = 0, seen_long = 0;
	size_t i;

	for (i = 0; i < p->nex; i++) {
		uint64_t len = p->ex[i].length;
		char exp[48], got[48];

		if (len == 0 || len == img->media_size)
			continue;
		snprintf(exp, sizeof(exp), "%llu bytes",
			 (unsigned long long)len);
		snprintf(got, sizeof(got), "%llu bytes",
			 (unsigned long long)img->media_size);
		if (len > img->media_size && seen_short != len) {
			seen_short = len;
			fg_verify_add_check(p, "media size", 0, exp, got,
					    p->ex[i].source,
					    FG_CHECK_UNVERIFIABLE);
			PROBLEM(p, "%s: the media holds %llu bytes, %s says "
				   "%llu: data is missing (a truncated or "
				   "missing segment)",
				p->it->input,
				(unsigned long long)img->media_size,
				p->ex[i].source, (unsigned long long)len);
		} else if (len < img->media_size && seen_long != len) {
			seen_long = len;
			/* An E01 pads its media to whole sectors. */
			if (img->kind == FG_CONTAINER_EWF &&
			    img->media_size - len < img->sector_size &&
			    img->media_size % img->sector_size == 0)
				continue;
			fg_verify_add_check(p, "media size", 0, exp, got,
					    p->ex[i].source, FG_CHECK_MISMATCH);
		}
	}
}

static void check_tail(struct plan *p)
{
	size_t i;

	for (i = 0; i < FG_NHASH; i++) {
		const struct range_hash *r = &p->prefix[i];
		char exp[64], got[96];
		if (!r->watch_tail)
			continue;
		if (p->img->kind != FG_CONTAINER_EWF)
			return;
		snprintf(exp, sizeof(exp), "zeros after byte %llu",
			 (unsigned long long)r->end);
		if (r->tail_nonzero_at == 0) {
			snprintf(got, sizeof(got), "%llu zero bytes",
				 (unsigned long long)(p->img->media_size -
						      r->end));
			fg_verify_add_check(p, "sector padding", 0, exp, got,
					    "EWF stores whole sectors",
					    FG_CHECK_MATCH);
		} else {
			snprintf(got, sizeof(got),
				 "a nonzero byte at media offset %llu",
				 (unsigned long long)(r->tail_nonzero_at - 1));
			fg_verify_add_check(p, "sector padding", 0, exp, got,
					    "EWF stores whole sectors",
					    FG_CHECK_MISMATCH);
		}
		return;
	}
}

static void set_mismatch(struct fg_verify_item *it, const struct fg_check *mis)
{
	if (it->damaged_bytes > 0)
		fg_error_set(&it->err, FG_EMISMATCH, 0,
			     "%s: damaged: %llu bytes of media in chunks that "
			     "fail their checks",
			     it->input, (unsigned long long)it->damaged_bytes);
	else if (mis != NULL)
		fg_error_set(&it->err, FG_EMISMATCH, 0,
			     "%s: %s%s%s differs from %s", it->input,
			     mis->alg ? fg_hash_name(mis->alg) : "",
			     mis->alg ? " of " : "", mis->what, mis->source);
	else
		fg_error_set(&it->err, FG_EMISMATCH, 0,
			     "%s: %zu hash window%s differ%s from the record",
			     it->input, it->windows_bad,
			     it->windows_bad == 1 ? "" : "s",
			     it->windows_bad == 1 ? "s" : "");
	it->status = FG_EMISMATCH;
}

static void decide(struct plan *p)
{
	struct fg_verify_item *it = p->it;
	size_t i, compared = 0;
	const struct fg_check *mis = NULL, *unv = NULL;

	for (i = 0; i < it->nchecks; i++) {
		const struct fg_check *c = &it->checks[i];
		if (c->result == FG_CHECK_MISMATCH && mis == NULL)
			mis = c;
		if (c->result == FG_CHECK_UNVERIFIABLE && unv == NULL)
			unv = c;
		if (c->alg != 0 && (c->result == FG_CHECK_MATCH ||
				    c->result == FG_CHECK_MISMATCH))
			compared++;
	}
	if (p->oom) {
		it->status = fg_error_set(&it->err, FG_ENOMEM, ENOMEM,
					  "out of memory");
		return;
	}
	/* Damage the container proves itself is news whatever else is
	 * missing; other differences are expected when data is missing, so
	 * then the evidence "cannot be verified". */
	if (it->damaged_bytes > 0 ||
	    (it->unreadable_bytes == 0 && it->nproblems == 0 && unv == NULL &&
	     (mis != NULL || it->windows_bad > 0))) {
		set_mismatch(it, mis);
		return;
	}
	if (it->unreadable_bytes > 0) {
		it->status = fg_error_set(&it->err, FG_EIO, 0,
					  "%s: %llu bytes of media could not "
					  "be read%s%s",
					  it->input,
					  (unsigned long long)
						  it->unreadable_bytes,
					  it->nproblems ? "; " : "",
					  it->nproblems ? it->problems[0]
							: "");
		return;
	}
	if (it->nproblems > 0) {
		/* Problems name their file. */
		it->status = fg_error_set(&it->err, FG_ESOURCE, 0, "%s",
					  it->problems[0]);
		return;
	}
	if (unv != NULL) {
		it->status = fg_error_set(&it->err, FG_ESOURCE, 0,
					  "%s: %s%s%s cannot be verified (%s): "
					  "%s",
					  it->input,
					  unv->alg ? fg_hash_name(unv->alg)
						   : "",
					  unv->alg ? " of " : "", unv->what,
					  unv->source, unv->computed);
		return;
	}
	if (compared == 0) {
		it->status = fg_error_set(
			&it->err, FG_EINVAL, 0,
			"%s: nothing to compare with: no hash stored in the "
			"image, no record or checksum file beside it, no "
			"--md5/--sha1/--sha256 given",
			it->input);
		return;
	}
	it->status = FG_OK;
	fg_error_clear(&it->err);
}

/* The name of file number k of the split set of path (ext: its last
 * extension, 3 digits or 2 letters of split(1)), malloc'd. */
static char *split_name(const char *path, const char *ext, unsigned k)
{
	int blen = (int)(ext - path);

	if (strlen(ext) == 4)
		return fg_strdup_printf("%.*s.%03u", blen, path, k);
	return fg_strdup_printf("%.*s.%c%c", blen, path, 'a' + (int)(k / 26),
				'a' + (int)(k % 26));
}

/* A raw image given by a later file of a split set whose first file is
 * missing (the names tell: NAME.002 without NAME.001 or NAME.000; NAME.ab
 * of split(1) without NAME.aa, after another file of the set or followed
 * by one no larger): its digests cannot be those of the media.
 * FG_ESOURCE (err set) when so, else FG_OK. */
static int split_set_incomplete(const char *path, struct fg_error *err)
{
	const char *b = fg_path_base(path), *ext = strrchr(b, '.');
	unsigned k, n, first;
	char *name = NULL, *start = NULL;
	struct stat st, sn;
	int rc = FG_OK, set = 0;

	if (ext == NULL || ext == b || stat(path, &st) != 0)
		return FG_OK;
	if (strlen(ext) == 4 && strspn(ext + 1, "0123456789") == 3) {
		n = (unsigned)strtoul(ext + 1, NULL, 10);
		first = 1;
		set = 1;
		if (n < 2)
			return FG_OK;
		name = split_name(path, ext, 0);
		if (name == NULL || access(name, F_OK) == 0)
			goto out;
	} else if (strlen(ext) == 3 && ext[1] >= 'a' && ext[1] <= 'z' &&
		   ext[2] >= 'a' && ext[2] <= 'z') {
		n = (unsigned)(ext[1] - 'a') * 26 + (unsigned)(ext[2] - 'a');
		first = 0;
		if (n == 0)
			return FG_OK;
		/* A file after it, no larger, says it is a set's. */
		if (n + 1 < 26 * 26) {
			name = split_name(path, ext, n + 1);
			set = name != NULL && stat(name, &sn) == 0 &&
			      S_ISREG(sn.st_mode) && sn.st_size <= st.st_size;
		}
	} else {
		return FG_OK;
	}
	free(name);
	name = split_name(path, ext, first);
	if (name == NULL || access(name, F_OK) == 0)
		goto out;
	/* The first file is missing: where does what is there start? */
	for (k = n; k > first; k--) {
		char *p = split_name(path, ext, k - 1);
		int there = p != NULL && access(p, F_OK) == 0;
		free(p);
		if (!there)
			break;
		set = 1;
	}
	if (!set)
		goto out;
	start = split_name(path, ext, k);
	if (start == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	rc = fg_error_set(err, FG_ESOURCE, ENOENT,
			  "the set is incomplete: %s is missing: the set "
			  "starts at %s",
			  fg_path_base(name), fg_path_base(start));
out:
	free(name);
	free(start);
	return rc;
}

/* Open, gather, stream, compare: the whole of one verification. */
static int verify_plan(struct plan *p, const char *input)
{
	struct fg_verify_item *it = p->it;
	struct fg_detect det;
	char *base = NULL;
	int rc;

	if (p->rec != NULL) {
		/* A record from elsewhere (the case database). */
		det.kind = FG_CONTAINER_RECORD;
		snprintf(det.description, sizeof(det.description),
			 "forage acquisition record from %s", p->rec_name);
	} else if (p->o->raw) {
		/* The examiner says: this file's own bytes are the media. */
		struct fg_error e;
		fg_error_clear(&e);
		rc = fg_container_detect(input, &det, &e);
		if (rc != FG_OK && rc != FG_EFORMAT)
			return fg_error_set(&it->err, rc, e.sys_errno, "%s",
					    e.msg);
		if (rc == FG_OK || det.kind == FG_CONTAINER_FOREIGN) {
			char what[sizeof(det.description)];
			snprintf(what, sizeof(what), "%s", det.description);
			snprintf(det.description, sizeof(det.description),
				 "%.200s; its own bytes hashed (--raw)",
				 what);
		} else
			snprintf(det.description, sizeof(det.description),
				 "the file's own bytes (--raw)");
		det.kind = FG_CONTAINER_RAW;
	} else {
		rc = fg_container_detect(input, &det, &it->err);
		if (rc != FG_OK)
			return rc;
	}
	it->description = strdup(det.description);
	if (it->description == NULL)
		return fg_error_set(&it->err, FG_ENOMEM, ENOMEM,
				    "out of memory");
	if (p->rec != NULL) {
		char *first;
		rc = fg_verify_open_record_evidence(p, p->search_dir,
						    p->also_dir, &it->err);
		if (rc != FG_OK)
			return rc;
		/* Name it by its evidence from now on. */
		first = strdup(p->img->segs[0].path);
		if (first == NULL)
			return fg_error_set(&it->err, FG_ENOMEM, ENOMEM,
					    "out of memory");
		free(it->input);
		it->input = first;
		base = strip_ext(p->img->segs[0].path);
	} else if (det.kind == FG_CONTAINER_RECORD) {
		rc = fg_verify_open_from_record(p, input, &it->err);
		if (rc != FG_OK)
			return rc;
		base = strip_ext(input);
	} else {
		if (det.kind == FG_CONTAINER_RAW ||
		    det.kind == FG_CONTAINER_SPLIT_RAW) {
			rc = split_set_incomplete(input, &it->err);
			if (rc != FG_OK)
				return rc;
		}
		rc = fg_image_open(&p->img, input, det.kind,
				   p->o->image_flags, &it->err);
		if (rc != FG_OK)
			return rc;
		base = strip_ext(p->img->segs[0].path);
		if (base == NULL)
			return fg_error_set(&it->err, FG_ENOMEM, ENOMEM,
					    "out of memory");
		rc = fg_verify_find_record(p, base, &it->err);
		if (rc != FG_OK)
			goto out;
		if (p->rec == NULL && p->o->copy > 1) {
			rc = fg_error_set(&it->err, FG_EINVAL, 0,
					  "--copy %u: %s has no record "
					  "beside it naming copies",
					  p->o->copy,
					  fg_path_base(p->img->segs[0].path));
			goto out;
		}
	}
	if (base == NULL)
		return fg_error_set(&it->err, FG_ENOMEM, ENOMEM,
				    "out of memory");
	fg_verify_copy_image_facts(p);
	/* Expectations, from the strongest source to the weakest. */
	if (p->o->expect_md5 != NULL)
		fg_verify_add_expect(p, FG_HASH_MD5, p->o->expect_md5, 0,
				     "the command line (--md5)");
	if (p->o->expect_sha1 != NULL)
		fg_verify_add_expect(p, FG_HASH_SHA1, p->o->expect_sha1, 0,
				     "the command line (--sha1)");
	if (p->o->expect_sha256 != NULL)
		fg_verify_add_expect(p, FG_HASH_SHA256, p->o->expect_sha256, 0,
				     "the command line (--sha256)");
	fg_verify_add_stored(p);
	if (p->rec != NULL)
		fg_verify_from_record(p);
	{
		char *md5 = fg_strdup_printf("%s.md5", base);
		char *sha = fg_strdup_printf("%s.sha256", base);
		if (md5 == NULL || sha == NULL)
			p->oom = 1;
		else if ((rc = fg_verify_load_sidecar(p, md5, FG_HASH_MD5,
						      &it->err)) == FG_OK)
			rc = fg_verify_load_sidecar(p, sha, FG_HASH_SHA256,
						    &it->err);
		free(md5);
		free(sha);
		if (rc == FG_ENOMEM)
			p->oom = 1;
		else if (rc != FG_OK)
			goto out;
	}
	if (p->oom) {
		rc = fg_error_set(&it->err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	plan_digests(p);
	check_lengths(p);
	fg_verify_seg_files_start(p);
	rc = run_stream(p, 0, &it->err);
	if (rc != FG_OK)
		goto out;
	note_past_end(p);
	compare_media(p);
	check_tail(p);
	fg_verify_compare_files(p);
	fg_verify_compare_seg_files(p);
	if (p->o->stop != NULL && *p->o->stop) {
		/* The files were being hashed: their checks are not whole. */
		rc = fg_error_set(&it->err, FG_EINTR, EINTR,
				  "interrupted while hashing the evidence "
				  "files");
		goto out;
	}
	if (p->win_deferred && !fg_verify_digests_settled(p, p->win_end)) {
		/* Something differs or is missing: a second pass to say
		 * which windows still prove intact. */
		rc = run_stream(p, 1, &it->err);
		if (rc != FG_OK)
			goto out;
	}
	fg_verify_compare_windows(p);
	{
		int i;
		for (i = 0; i < FG_NHASH; i++) {
			const char *c = fg_media_hash_hex(&it->computed, i, 0);
			size_t k;
			int expected = 0;
			if (c[0] == '\0')
				continue;
			for (k = 0; k < p->nex; k++)
				if (p->ex[k].alg == fg_hash_set[i])
					expected = 1;
			if (!expected)
				NOTE(p, "%s of the media: nothing to compare "
					"with (computed %s)",
				     fg_hash_name(fg_hash_set[i]), c);
		}
	}
	decide(p);
	rc = it->status;
out:
	free(base);
	return rc;
}

static int run_item(const struct fg_verify_opts *o, const char *input,
		    const char *record_json, const char *label,
		    const char *search_dir, const char *also_dir,
		    struct fg_verify_item **out)
{
	struct fg_verify_item *it;
	struct plan p;
	int rc;

	*out = NULL;
	it = calloc(1, sizeof(*it));
	if (it == NULL)
		return FG_ENOMEM;
	it->input = strdup(input);
	if (it->input == NULL) {
		free(it);
		return FG_ENOMEM;
	}
	fg_record_utc_now(it->started_utc, sizeof(it->started_utc));
	memset(&p, 0, sizeof(p));
	p.o = o;
	p.it = it;
	p.search_dir = search_dir;
	p.also_dir = also_dir;
	if (record_json != NULL) {
		rc = fg_record_parse(&p.rec, record_json, strlen(record_json),
				     label, &it->err);
		if (rc == FG_OK && (p.rec_name = strdup(label)) == NULL)
			rc = fg_error_set(&it->err, FG_ENOMEM, ENOMEM,
					  "out of memory");
		if (rc == FG_OK && (it->record_path = strdup(label)) == NULL)
			rc = fg_error_set(&it->err, FG_ENOMEM, ENOMEM,
					  "out of memory");
	} else {
		rc = FG_OK;
	}
	if (rc == FG_OK)
		rc = verify_plan(&p, input);
	if (rc != FG_OK && rc != FG_EMISMATCH) {
		it->status = rc;
		if (it->err.code == FG_OK)
			fg_error_set(&it->err, rc, 0, "%s: %s", input,
				     fg_status_name(rc));
	}
	if (rc != FG_OK && rc != FG_EINVAL && it->ncopies > 1 &&
	    it->copy != 0) {
		/* Say which copy it is about. */
		char msg[FG_ERRMSG_MAX];
		snprintf(msg, sizeof(msg), "%s", it->err.msg);
		fg_error_set(&it->err, it->err.code, it->err.sys_errno,
			     "copy %u of %u: %s", it->copy, it->ncopies, msg);
	}
	it->status = rc;
	fg_record_utc_now(it->finished_utc, sizeof(it->finished_utc));
	plan_free(&p);
	*out = it;
	return rc;
}

int fg_verify_item_run(const struct fg_verify_opts *o, const char *input,
		       struct fg_verify_item **out)
{
	return run_item(o, input, NULL, NULL, NULL, NULL, out);
}

int fg_verify_item_run_record(const struct fg_verify_opts *o,
			      const char *record_json, const char *label,
			      const char *search_dir, const char *also_dir,
			      struct fg_verify_item **out)
{
	return run_item(o, label, record_json, label, search_dir, also_dir,
			out);
}

/* ---- After an acquisition ---------------------------------------------- */

int fg_verify_written(const struct fg_outfile *files, size_t nfiles,
		      const char *format, const struct fg_media_hashes *h,
		      uint64_t bytes, unsigned threads, struct fg_record *rec,
		      const char *prefix, struct fg_error *err)
{
	return fg_verify_written_progress(files, nfiles, format, h, bytes,
					  threads, NULL, NULL, rec, prefix,
					  err);
}

int fg_verify_written_progress(
    const struct fg_outfile *files, size_t nfiles, const char *format,
    const struct fg_media_hashes *h, uint64_t bytes, unsigned threads,
    void (*progress)(void *ctx, const struct fg_progress *p), void *ctx,
    struct fg_record *rec, const char *prefix, struct fg_error *err)
{
	struct fg_verify_opts o;
	struct fg_verify_item *it;
	struct plan p;
	const char **paths = NULL;
	char key[128];
	size_t i;
	int rc;

	if (nfiles == 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "--verify: no evidence files to re-read");
	fg_verify_opts_init(&o);
	o.threads = threads;
	o.image_flags = FG_IMAGE_BYPASS_CACHE;
	o.on_progress = progress;
	o.ctx = ctx;
	it = calloc(1, sizeof(*it));
	paths = calloc(nfiles, sizeof(*paths));
	if (it == NULL || paths == NULL ||
	    (it->input = strdup(files[0].path)) == NULL) {
		free(paths);
		fg_verify_item_free(it);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	memset(&p, 0, sizeof(p));
	p.o = &o;
	p.it = it;
	fg_record_utc_now(it->started_utc, sizeof(it->started_utc));
	for (i = 0; i < nfiles; i++)
		paths[i] = files[i].path;
	if (fg_container_kind_of_format(format) == FG_CONTAINER_EWF) {
		rc = fg_image_open(&p.img, paths[0], FG_CONTAINER_EWF,
				   o.image_flags, &it->err);
		if (rc == FG_OK && p.img->nsegs != nfiles)
			PROBLEM(&p, "%s: the set found from it has %zu "
				    "segment files, the acquisition wrote %zu",
				paths[0], p.img->nsegs, nfiles);
	} else {
		rc = fg_image_open_raw_files(&p.img, paths, nfiles,
					     o.image_flags, &it->err);
	}
	if (rc != FG_OK)
		goto done;
	fg_verify_copy_image_facts(&p);
	for (i = 0; i < FG_NHASH; i++) {
		const char *given = fg_media_hash_hex(h, i, 0);

		if (given[0] != '\0')
			fg_verify_add_expect(&p, fg_hash_set[i], given, bytes,
					     "the acquisition's own digest");
	}
	fg_verify_add_stored(&p);
	plan_digests(&p);
	check_lengths(&p);
	rc = run_stream(&p, 0, &it->err);
	if (rc != FG_OK)
		goto done;
	compare_media(&p);
	check_tail(&p);
	decide(&p);
	rc = it->status;
done:
	if (rc != FG_OK && it->err.code == FG_OK)
		fg_error_set(&it->err, rc, 0, "%s", fg_status_name(rc));
	it->status = rc;
	fg_record_utc_now(it->finished_utc, sizeof(it->finished_utc));
	snprintf(key, sizeof(key), "%s.status", prefix);
	fg_record_set_str(rec, key,
			  rc == FG_OK ? "verified"
			  : rc == FG_EMISMATCH ? "mismatch"
					       : "cannot verify");
	snprintf(key, sizeof(key), "%s.method", prefix);
	fg_record_set_str(rec, key,
			  "re-read of the written evidence files after they "
			  "were final");
	snprintf(key, sizeof(key), "%s.page_cache_bypass", prefix);
	fg_record_set_str(rec, key, it->cache_bypass);
	snprintf(key, sizeof(key), "%s.started_utc", prefix);
	fg_record_set_str(rec, key, it->started_utc);
	snprintf(key, sizeof(key), "%s.finished_utc", prefix);
	fg_record_set_str(rec, key, it->finished_utc);
	for (i = 0; i < FG_NHASH; i++) {
		const char *c = NULL;
		size_t k;
		/* The digest over the bytes the acquisition hashed. */
		for (k = 0; k < p.nex; k++)
			if (p.ex[k].alg == fg_hash_set[i] &&
			    p.ex[k].length == bytes)
				c = fg_verify_computed_media(&p, &p.ex[k]);
		snprintf(key, sizeof(key), "%s.%s", prefix,
			 fg_hash_name(fg_hash_set[i]));
		if (c != NULL && c[0] != '\0')
			fg_record_set_str(rec, key, c);
	}
	snprintf(key, sizeof(key), "%s.bytes", prefix);
	fg_record_set_int(rec, key, (int64_t)bytes);
	snprintf(key, sizeof(key), "%s.checks", prefix);
	fg_verify_checks_to_record(rec, key, it);
	snprintf(key, sizeof(key), "%s.damage", prefix);
	fg_verify_damage_to_record(rec, key, it);
	for (i = 0; i < it->nproblems; i++) {
		snprintf(key, sizeof(key), "%s.problems", prefix);
		fg_record_append_str(rec, key, it->problems[i]);
	}
	snprintf(key, sizeof(key), "%s.message", prefix);
	fg_record_set_str(rec, key, rc != FG_OK ? it->err.msg : NULL);
	if (rc != FG_OK)
		fg_error_copy(err, &it->err);
	plan_free(&p);
	fg_verify_item_free(it);
	free(paths);
	return rc;
}
