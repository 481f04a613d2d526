/*
 * damage.c - damage as the reader reports it, merged into ranges as it
 * comes, and the hash windows of a record that localise it (see
 * verify_int.h).
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

/* ---- Damage, merged as it comes ----------------------------------------- */

/* The part of a detail before its numbers: "Adler-32 checksum mismatch". */
static size_t detail_class(const char *d)
{
	const char *p = strstr(d, " (");

	return p != NULL ? (size_t)(p - d) : strlen(d);
}

void fg_verify_on_damage(void *ctx, const struct fg_damage *d)
{
	struct plan *p = ctx;
	struct fg_verify_item *it = p->it;
	struct fg_verify_damage *last = it->ndamage ? &it->damage[it->ndamage - 1]
						    : NULL;
	const uint32_t ss = p->img->sector_size ? p->img->sector_size : 512;
	const char *detail = d->detail != NULL ? d->detail : "";
	struct fg_verify_damage *n;
	int kind = d->kind == FG_DAMAGE_CHECKSUM ? FG_VDAMAGE_CHECKSUM
						  : FG_VDAMAGE_UNREADABLE;

	if (last != NULL && last->kind == kind &&
	    last->offset + last->length == d->offset &&
	    ((last->file == NULL && d->file == NULL) ||
	     (last->file != NULL && d->file != NULL &&
	      strcmp(last->file, d->file) == 0)) &&
	    last->has_file_offset == d->has_file_offset &&
	    last->zero_filled == d->zero_filled &&
	    (!d->has_file_offset ||
	     last->file_offset + last->file_length == d->file_offset) &&
	    detail_class(last->detail) == detail_class(detail) &&
	    strncmp(last->detail, detail, detail_class(detail)) == 0) {
		last->length += d->length;
		last->sectors = (last->offset + last->length + ss - 1) / ss -
				last->first_lba;
		last->file_length += d->file_length;
		if (d->has_chunk)
			last->chunks++;
		/* The numbers of the first one do not hold for all. */
		if (strcmp(last->detail, detail) != 0)
			last->detail[detail_class(last->detail)] = '\0';
		return;
	}
	n = fg_grow(it->damage, it->ndamage, sizeof(*n));
	if (n == NULL) {
		p->oom = 1;
		return;
	}
	it->damage = n;
	n = &it->damage[it->ndamage];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->offset = d->offset;
	n->length = d->length;
	n->first_lba = d->offset / ss;
	n->sectors = (d->offset + d->length + ss - 1) / ss - n->first_lba;
	if (d->has_chunk) {
		n->first_chunk = d->chunk;
		n->chunks = 1;
	}
	n->has_file_offset = d->has_file_offset;
	n->zero_filled = d->zero_filled;
	n->file_offset = d->file_offset;
	n->file_length = d->file_length;
	n->file = d->file != NULL ? strdup(d->file) : NULL;
	n->detail = strdup(detail);
	if (n->detail == NULL || (d->file != NULL && n->file == NULL)) {
		free(n->file);
		free(n->detail);
		p->oom = 1;
		return;
	}
	it->ndamage++;
}

void fg_verify_on_past_end(void *ctx, const struct fg_past_end *x)
{
	struct plan *p = ctx;
	struct past_end *pe = &p->past;

	/* Only one chunk can hold them, the media's last or one of their
	 * own: one call. */
	if (pe->n != 0 || pe->damaged != NULL ||
	    (x->length == 0 && x->damaged == NULL))
		return;
	pe->data = x->length > 0 ? malloc(x->length) : NULL;
	pe->file = x->file != NULL ? strdup(x->file) : NULL;
	pe->damaged = x->damaged != NULL ? strdup(x->damaged) : NULL;
	if ((x->length > 0 && pe->data == NULL) ||
	    (x->file != NULL && pe->file == NULL) ||
	    (x->damaged != NULL && pe->damaged == NULL)) {
		free(pe->data);
		free(pe->file);
		free(pe->damaged);
		pe->data = NULL;
		pe->file = NULL;
		pe->damaged = NULL;
		p->oom = 1;
		return;
	}
	if (x->length > 0)
		memcpy(pe->data, x->data, x->length);
	pe->n = x->length;
	pe->chunk = x->chunk;
	pe->chunk_offset = x->chunk_offset;
	pe->chunk_bytes = x->chunk_bytes;
	pe->file_offset = x->file_offset;
	pe->file_length = x->file_length;
	pe->has_file_offset = x->has_file_offset;
}

static int add_window_damage(struct plan *p, size_t w, const char *exp,
			     const char *got)
{
	struct fg_verify_item *it = p->it;
	const uint32_t ss = p->img->sector_size ? p->img->sector_size : 512;
	uint64_t start = (uint64_t)w * p->win_size;
	uint64_t end = start + p->win_size < p->win_end ? start + p->win_size
							: p->win_end;
	const struct fg_image_segment *s = fg_image_segment_at(p->img, start);
	struct fg_verify_damage *n;
	char more[600] = "";

	n = fg_grow(it->damage, it->ndamage, sizeof(*n));
	if (n == NULL)
		return FG_ENOMEM;
	it->damage = n;
	n = &it->damage[it->ndamage];
	memset(n, 0, sizeof(*n));
	n->kind = FG_VDAMAGE_WINDOW;
	n->window = w;
	n->offset = start;
	n->length = end - start;
	n->first_lba = start / ss;
	n->sectors = (end + ss - 1) / ss - n->first_lba;
	if (s != NULL) {
		const struct fg_image_segment *last = s;
		uint64_t seg_end = s->media_start + s->media_len;
		n->file = strdup(s->path);
		n->file_offset = start - s->media_start;
		n->file_length = (end < seg_end ? end : seg_end) - start;
		n->has_file_offset = 1;
		if (n->file == NULL)
			return FG_ENOMEM;
		/* A window may run on into the next segment files. */
		while (end > last->media_start + last->media_len &&
		       last + 1 < p->img->segs + p->img->nsegs) {
			size_t used = strlen(more);
			uint64_t e2;
			last++;
			e2 = end < last->media_start + last->media_len
				     ? end
				     : last->media_start + last->media_len;
			snprintf(more + used, sizeof(more) - used,
				 "%s %s at offset 0-%llu",
				 used ? "," : "; it runs on into", fg_path_base(last->path),
				 (unsigned long long)(e2 - last->media_start -
						      1));
		}
	}
	n->detail = fg_strdup_printf("SHA-256 of the window differs from "
				     "the record: expected %s, computed %s%s",
				     exp, got, more);
	if (n->detail == NULL) {
		free(n->file);
		return FG_ENOMEM;
	}
	it->ndamage++;
	return FG_OK;
}

/* Does [start, end) overlap a range whose data is not known (unreadable,
 * or damaged past use and hashed as zeros)? */
int fg_verify_overlaps_unreadable(const struct fg_verify_item *it,
				  uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < it->ndamage; i++) {
		const struct fg_verify_damage *d = &it->damage[i];
		if ((d->kind == FG_VDAMAGE_UNREADABLE || d->zero_filled) &&
		    d->offset < end &&
		    start < d->offset + d->length)
			return 1;
	}
	return 0;
}

void fg_verify_compare_windows(struct plan *p)
{
	struct fg_verify_item *it = p->it;
	size_t i, got;
	char exp[64], com[96], src[600];

	if (p->win_size == 0)
		return;
	it->window_size = p->win_size;
	it->windows = p->nwin;
	snprintf(src, sizeof(src), "%s (hash_windows)", p->rec_name);
	snprintf(exp, sizeof(exp), "%zu windows of %llu bytes", p->nwin,
		 (unsigned long long)p->win_size);
	if (p->win.w == NULL) {
		/* Deferred and settled: the media digests over the same
		 * bytes match the record. */
		fg_verify_add_check(
		    p, "hash windows", FG_HASH_SHA256, exp,
		    "not recomputed: the media digests over the same "
		    "bytes match, so every window's data is the data "
		    "the record hashed",
		    src, FG_CHECK_NOT_NEEDED);
		return;
	}
	got = fg_hashwin_count(p->win.w);
	for (i = 0; i < p->nwin; i++) {
		const char *e = fg_record_array_str(p->rec,
						    "hash_windows.sha256", i,
						    NULL);
		const char *c = fg_hashwin_get(p->win.w, i);
		uint64_t start = (uint64_t)i * p->win_size;
		uint64_t end = start + p->win_size < p->win_end
				       ? start + p->win_size
				       : p->win_end;

		if (c == NULL || e == NULL ||
		    fg_verify_overlaps_unreadable(it, start, end)) {
			it->windows_unverifiable++;
			continue;
		}
		if (strcasecmp(e, c) != 0) {
			it->windows_bad++;
			if (add_window_damage(p, i, e, c) != FG_OK)
				p->oom = 1;
			continue;
		}
		/* Intact: extend the last run or start one. */
		if (it->nintact > 0 && it->intact[it->nintact - 1][1] + 1 == i) {
			it->intact[it->nintact - 1][1] = i;
		} else {
			void *q = fg_grow(it->intact, it->nintact,
					  sizeof(*it->intact));
			if (q == NULL) {
				p->oom = 1;
				continue;
			}
			it->intact = q;
			it->intact[it->nintact][0] = i;
			it->intact[it->nintact][1] = i;
			it->nintact++;
		}
	}
	snprintf(com, sizeof(com), "%zu windows: %zu match, %zu differ%s",
		 got, p->nwin - it->windows_bad - it->windows_unverifiable,
		 it->windows_bad,
		 it->windows_unverifiable ? ", some not verifiable" : "");
	fg_verify_add_check(p, "hash windows", FG_HASH_SHA256, exp, com, src,
			    it->windows_bad ? FG_CHECK_MISMATCH
			    : (it->windows_unverifiable || got != p->nwin)
				? FG_CHECK_UNVERIFIABLE
				: FG_CHECK_MATCH);
}
