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

#define MAX_SIDECAR_BYTES (16u << 20)

static const unsigned hash_order[3] = {FG_HASH_MD5, FG_HASH_SHA1,
				       FG_HASH_SHA256};

static int alg_index(unsigned alg)
{
	return alg == FG_HASH_MD5 ? 0 : alg == FG_HASH_SHA1 ? 1 : 2;
}

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

/* The folder of path ("." when none). */

static int file_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static int hex_valid(const char *s, size_t len)
{
	size_t i;

	if (s == NULL || strlen(s) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return 1;
}

static void lower_hex(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src[i] != '\0' && i + 1 < FG_HASH_HEX_MAX; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'F')
				 ? (char)(src[i] - 'A' + 'a')
				 : src[i];
	dst[i] = '\0';
}

/* ---- Coreutils checksum files ------------------------------------------- */

void fg_sidecar_free(struct fg_sidecar_entry *e, size_t n)
{
	size_t i;

	for (i = 0; e != NULL && i < n; i++)
		free(e[i].name);
	free(e);
}

/* Undo coreutils' escaping of a name ("\\" and "\n"); NULL when broken. */
static char *unescape_name(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t i, k = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			out[k++] = s[i];
			continue;
		}
		if (i + 1 >= n || (s[i + 1] != '\\' && s[i + 1] != 'n')) {
			free(out);
			return NULL;
		}
		out[k++] = s[i + 1] == 'n' ? '\n' : '\\';
		i++;
	}
	out[k] = '\0';
	return out;
}

static const char *bsd_tag(unsigned alg)
{
	return alg == FG_HASH_MD5 ? "MD5" : alg == FG_HASH_SHA1 ? "SHA1"
								: "SHA256";
}

int fg_sidecar_parse(const char *text, size_t len, unsigned alg,
		     const char *name, struct fg_sidecar_entry **out,
		     size_t *n, struct fg_error *err)
{
	const size_t hexlen = fg_hash_hexlen(alg);
	struct fg_sidecar_entry *v = NULL;
	size_t nv = 0, cap = 0, pos = 0, line = 0;
	int rc = FG_OK;

	*out = NULL;
	*n = 0;
	if (hexlen == 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: unknown checksum algorithm", name);
	while (pos < len) {
		const char *l = text + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t ll = nl != NULL ? (size_t)(nl - l) : len - pos;
		const char *hex = NULL, *fname = NULL;
		size_t fnlen = 0;
		int escaped = 0;
		char *nm;

		pos += ll + (nl != NULL ? 1 : 0);
		line++;
		if (ll > 0 && l[ll - 1] == '\r')
			ll--;
		if (ll == 0 || l[0] == '#')
			continue;
		if (memchr(l, '\0', ll) != NULL)
			goto bad;
		if (l[0] == '\\') {
			escaped = 1;
			l++;
			ll--;
		}
		{
			const char *tag = bsd_tag(alg);
			size_t tl = strlen(tag);
			if (ll > tl + 2 && memcmp(l, tag, tl) == 0 &&
			    l[tl] == ' ' && l[tl + 1] == '(') {
				/* BSD: TAG (NAME) = HEX */
				const char *close;
				if (ll < tl + 2 + 1 + 4 + hexlen)
					goto bad;
				close = l + ll - hexlen - 4;
				if (memcmp(close, ") = ", 4) != 0)
					goto bad;
				fname = l + tl + 2;
				fnlen = (size_t)(close - fname);
				hex = l + ll - hexlen;
			} else {
				/* GNU: HEX  NAME or HEX *NAME */
				if (ll < hexlen + 3 || l[hexlen] != ' ' ||
				    (l[hexlen + 1] != ' ' &&
				     l[hexlen + 1] != '*'))
					goto bad;
				hex = l;
				fname = l + hexlen + 2;
				fnlen = ll - hexlen - 2;
			}
		}
		if (fnlen == 0)
			goto bad;
		{
			char h[FG_HASH_HEX_MAX];
			memcpy(h, hex, hexlen);
			h[hexlen] = '\0';
			if (!hex_valid(h, hexlen))
				goto bad;
			nm = escaped ? unescape_name(fname, fnlen)
				     : strndup(fname, fnlen);
			if (nm == NULL) {
				if (escaped)
					goto bad;
				rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
						  "out of memory");
				goto out;
			}
			if (nv == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				void *p = realloc(v, ncap * sizeof(*v));
				if (p == NULL) {
					free(nm);
					rc = fg_error_set(err, FG_ENOMEM,
							  ENOMEM,
							  "out of memory");
					goto out;
				}
				v = p;
				cap = ncap;
			}
			v[nv].name = nm;
			lower_hex(v[nv].hex, h);
			v[nv].line = line;
			nv++;
		}
		continue;
bad:
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "%s, line %zu: not a %s checksum line "
				  "(\"HEX  NAME\" with %zu hex digits)",
				  name, line, fg_hash_name(alg), hexlen);
		goto out;
	}
out:
	if (rc != FG_OK) {
		fg_sidecar_free(v, nv);
		return rc;
	}
	*out = v;
	*n = nv;
	return FG_OK;
}

/* ---- The item ------------------------------------------------------------ */

static void free_strv(char **v, size_t n)
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
	free_strv(it->files, it->nfiles);
	free(it->file_sizes);
	free(it->cache_bypass);
	free_strv(it->meta_keys, it->nmeta);
	free_strv(it->meta_values, it->nmeta);
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
	free_strv(it->problems, it->nproblems);
	free_strv(it->notes, it->nnotes);
	free(it->record_case_db);
	free(it->case_db);
	free(it->intact);
	free(it);
}

/* Append a printf'd string to a vector; sets *oom on failure. */
static void strv_add(char ***v, size_t *n, int *oom, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void strv_add(char ***v, size_t *n, int *oom, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	char **nv;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	nv = s != NULL ? realloc(*v, (*n + 1) * sizeof(**v)) : NULL;
	if (nv == NULL) {
		free(s);
		*oom = 1;
		return;
	}
	*v = nv;
	nv[(*n)++] = s;
}

/* ---- The plan of one verification ---------------------------------------- */

struct expect {
	unsigned alg;
	char hex[FG_HASH_HEX_MAX];
	uint64_t length; /* bytes covered; 0: the whole media */
	char *source;
};

struct fexpect {
	char *name;      /* as listed */
	const struct fg_image_segment *seg; /* NULL: not in the set */
	unsigned alg;    /* 0: a size */
	char hex[FG_HASH_HEX_MAX];
	uint64_t size;
	char *source;
	int recorded;    /* from the acquisition record (outputs) */
};

/* A digest over media [0, end), watching that [end, media) is zero. */
struct range_hash {
	struct fg_hash *h;
	uint64_t end;
	int watch_tail;
	uint64_t tail_nonzero_at; /* first nonzero byte after end + 1 */
	char hex[FG_HASH_HEX_MAX];
};

struct win_hash {
	struct fg_hashwin *w;
	uint64_t end;
};

struct seg_files;
struct plan;
static void seg_files_free(struct plan *p);
static int seg_files_riding(const struct plan *p);
static int consume_media_riding(void *ctx, const struct fg_block *b,
				struct fg_error *err);
static int digests_settled(const struct plan *p, uint64_t len_wanted);

struct plan {
	const struct fg_verify_opts *o;
	struct fg_verify_item *it;
	struct fg_image *img;
	struct fg_record *rec;
	char *rec_name;          /* for sources: "the record HD1.json", "the
				  * case database case.db, acquisition 3" */
	struct expect *ex;
	size_t nex;
	struct fexpect *fx;
	size_t nfx;
	/* windows from the record */
	uint64_t win_size, win_end;
	size_t nwin;
	int win_deferred; /* only when the media hashes do not settle it */
	/* computing */
	unsigned media_mask;
	struct fg_hash *media[3];
	uint64_t prefix_len;
	unsigned prefix_mask;
	struct range_hash prefix[3];
	struct win_hash win;
	struct seg_files *segf;  /* segment files (E01, split raw) */
	const char *search_dir, *also_dir; /* a record from elsewhere */
	int oom;
};

static void plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nex; i++)
		free(p->ex[i].source);
	free(p->ex);
	for (i = 0; i < p->nfx; i++) {
		free(p->fx[i].name);
		free(p->fx[i].source);
	}
	free(p->fx);
	for (i = 0; i < 3; i++) {
		fg_hash_free(p->media[i]);
		fg_hash_free(p->prefix[i].h);
	}
	fg_hashwin_free(p->win.w);
	seg_files_free(p);
	fg_record_free(p->rec);
	free(p->rec_name);
	fg_image_close(p->img);
}

static void add_expect(struct plan *p, unsigned alg, const char *hex,
		       uint64_t length, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void add_expect(struct plan *p, unsigned alg, const char *hex,
		       uint64_t length, const char *fmt, ...)
{
	struct expect *e;
	va_list ap;
	char *src = NULL;

	va_start(ap, fmt);
	if (vasprintf(&src, fmt, ap) < 0)
		src = NULL;
	va_end(ap);
	e = src != NULL ? realloc(p->ex, (p->nex + 1) * sizeof(*e)) : NULL;
	if (e == NULL) {
		free(src);
		p->oom = 1;
		return;
	}
	p->ex = e;
	e = &p->ex[p->nex++];
	e->alg = alg;
	lower_hex(e->hex, hex);
	e->length = length;
	e->source = src;
}

static void add_fexpect(struct plan *p, const char *name, unsigned alg,
			const char *hex, uint64_t size, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void add_fexpect(struct plan *p, const char *name, unsigned alg,
			const char *hex, uint64_t size, const char *fmt, ...)
{
	struct fexpect *f;
	va_list ap;
	char *src = NULL;
	char *nm = strdup(name);
	size_t i;

	va_start(ap, fmt);
	if (vasprintf(&src, fmt, ap) < 0)
		src = NULL;
	va_end(ap);
	f = src != NULL && nm != NULL
		    ? realloc(p->fx, (p->nfx + 1) * sizeof(*f))
		    : NULL;
	if (f == NULL) {
		free(src);
		free(nm);
		p->oom = 1;
		return;
	}
	p->fx = f;
	f = &p->fx[p->nfx++];
	memset(f, 0, sizeof(*f));
	f->name = nm;
	f->alg = alg;
	if (hex != NULL)
		lower_hex(f->hex, hex);
	f->size = size;
	f->source = src;
	/* The file is the segment of the same name. */
	for (i = 0; i < p->img->nsegs; i++)
		if (strcmp(fg_path_base(p->img->segs[i].path), fg_path_base(name)) ==
		    0)
			f->seg = &p->img->segs[i];
}

static void add_check(struct plan *p, const char *what, unsigned alg,
		      const char *expected, const char *computed,
		      const char *source, int result)
{
	struct fg_verify_item *it = p->it;
	struct fg_check *c;

	c = realloc(it->checks, (it->nchecks + 1) * sizeof(*c));
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

#define NOTE(p, ...) strv_add(&(p)->it->notes, &(p)->it->nnotes, &(p)->oom, \
			      __VA_ARGS__)
#define PROBLEM(p, ...)                                                      \
	strv_add(&(p)->it->problems, &(p)->it->nproblems, &(p)->oom,         \
		 __VA_ARGS__)

/* ---- Damage, merged as it comes ----------------------------------------- */

/* The part of a detail before its numbers: "Adler-32 checksum mismatch". */
static size_t detail_class(const char *d)
{
	const char *p = strstr(d, " (");

	return p != NULL ? (size_t)(p - d) : strlen(d);
}

static void on_damage(void *ctx, const struct fg_damage *d)
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
		last->detail[detail_class(last->detail)] = '\0';
		return;
	}
	n = realloc(it->damage, (it->ndamage + 1) * sizeof(*n));
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

	n = realloc(it->damage, (it->ndamage + 1) * sizeof(*n));
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
static int overlaps_unreadable(const struct fg_verify_item *it, uint64_t start,
			       uint64_t end)
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
		unsigned alg = hash_order[i];
		if (p->media_mask & alg) {
			if ((rc = fg_hash_new(&p->media[i], alg, err)) != FG_OK)
				goto out;
			c.name = fg_hash_name(alg);
			c.consume = consume_media;
			c.ctx = p->media[i];
			if (alg == FG_HASH_SHA256 && seg_files_riding(p)) {
				c.name = "sha256 of the media and the files";
				c.consume = consume_media_riding;
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
	for (i = 0; i < 3; i++)
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
	ro.on_damage = windows_only ? NULL : on_damage;
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
	}
	if (rc != FG_OK)
		goto out;
	{
		char *dst[3] = {it->computed.md5, it->computed.sha1,
				it->computed.sha256};
		for (i = 0; i < 3; i++) {
			if (p->media[i] != NULL)
				fg_hash_final(p->media[i], dst[i]);
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

static const char *computed_media(struct plan *p, const struct expect *e)
{
	int i = alg_index(e->alg);

	if (e->length == 0 || e->length == p->img->media_size)
		return i == 0 ? p->it->computed.md5
		       : i == 1 ? p->it->computed.sha1
				: p->it->computed.sha256;
	if (e->length == p->prefix_len && p->prefix[i].hex[0] != '\0')
		return p->prefix[i].hex;
	return NULL;
}

static void compare_media(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nex; i++) {
		const struct expect *e = &p->ex[i];
		uint64_t len = e->length ? e->length : p->img->media_size;
		const char *got = computed_media(p, e);
		char what[96];
		int res;

		if (len == p->img->media_size)
			snprintf(what, sizeof(what), "media");
		else
			snprintf(what, sizeof(what), "media, first %llu bytes",
				 (unsigned long long)len);
		if (got == NULL || got[0] == '\0') {
			add_check(p, what, e->alg, e->hex, "",
				  e->source, FG_CHECK_UNVERIFIABLE);
			continue;
		}
		if (overlaps_unreadable(p->it, 0, len))
			res = FG_CHECK_UNVERIFIABLE;
		else
			res = strcmp(got, e->hex) == 0 ? FG_CHECK_MATCH
						       : FG_CHECK_MISMATCH;
		add_check(p, what, e->alg, e->hex, got, e->source, res);
	}
}

/* Is s shorter than an expectation says it was written? */
static int file_short(const struct plan *p, const struct fg_image_segment *s)
{
	size_t i;

	for (i = 0; i < p->nfx; i++)
		if (p->fx[i].seg == s && p->fx[i].alg == 0 &&
		    s->size < p->fx[i].size)
			return 1;
	return 0;
}

static void compare_files(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nfx; i++) {
		const struct fexpect *f = &p->fx[i];
		const struct fg_image_segment *s = f->seg;
		char what[300], num[2][32];
		const char *got = NULL;

		snprintf(what, sizeof(what), "%s %s", f->alg ? "file" : "size of",
			 fg_path_base(f->name));
		if (s == NULL) {
			add_check(p, what, f->alg,
				  f->alg ? f->hex : "", "(file missing)",
				  f->source, FG_CHECK_UNVERIFIABLE);
			continue;
		}
		if (f->alg == 0) {
			snprintf(num[0], sizeof(num[0]), "%llu",
				 (unsigned long long)f->size);
			snprintf(num[1], sizeof(num[1]), "%llu",
				 (unsigned long long)s->size);
			add_check(p, what, 0, num[0], num[1], f->source,
				  s->size == f->size ? FG_CHECK_MATCH
				  : s->size < f->size
					  ? FG_CHECK_UNVERIFIABLE
					  : FG_CHECK_MISMATCH);
			continue;
		}
		if (p->img->kind == FG_CONTAINER_EWF || p->img->nsegs > 1) {
			/* Filled in by compare_seg_files. */
			continue;
		}
		got = computed_media(p, &(struct expect){f->alg, "", 0, NULL});
		if (got == NULL || got[0] == '\0') {
			add_check(p, what, f->alg, f->hex, "", f->source,
				  FG_CHECK_UNVERIFIABLE);
			continue;
		}
		add_check(p, what, f->alg, f->hex, got, f->source,
			  (overlaps_unreadable(p->it, s->media_start,
					       s->media_start + s->media_len) ||
			   file_short(p, s))
				  ? FG_CHECK_UNVERIFIABLE
			  : strcmp(got, f->hex) == 0 ? FG_CHECK_MATCH
						     : FG_CHECK_MISMATCH);
	}
}

/* ---- Segment files, hashed as files ---------------------------------------
 *
 * The files of an E01 set, and of a raw image split in several, have digests
 * of their own (record, checksum files).
 *
 * E01: a thread hashes the files while the media is streamed (the two
 * compete only for CPU).  A file's MD5 is not recomputed when its SHA-256
 * is and every MD5 expected of it is the one the record holds: if the
 * SHA-256 then matches, the bytes are those the record hashed; if it does
 * not, the MD5 is computed after all.
 *
 * Split raw: the files are the media cut at the recorded sizes.  When the
 * media digests match, a file has its recorded size and every digest
 * expected of it is the one the record holds, it is settled without being
 * read again; any other file is hashed after the media pass. */

struct seg_digest {
	unsigned mask; /* computed */
	char hx[3][FG_HASH_HEX_MAX];
	int rc;
	struct fg_error e;
};

struct seg_files {
	const struct fg_image *img;
	struct seg_digest *d;
	volatile sig_atomic_t *stop; /* the verification's (may be NULL) */
	pthread_t th;
	int started;
	/* Riding: when an E01's files need only their SHA-256 and the media's
	 * is computed, the media's SHA-256 consumer reads the files and
	 * hashes them beside the media, two digests at once (sha256.c: about
	 * 1.8 times one digest's rate); ride_finish hashes what is left
	 * after the media pass. */
	int ride;
	size_t ride_i;           /* the file being read */
	int ride_fd;             /* -1: none open */
	uint64_t ride_off;       /* bytes of it read */
	struct fg_hash *ride_h;
	unsigned char *ride_buf; /* RIDE_BUF bytes */
	size_t ride_len, ride_pos;
};

#define RIDE_BUF (1u << 20)

/* Is there a recorded expectation of segment s for alg (0: its size), and
 * do all the others agree with it? */
static int record_agrees(const struct plan *p,
			 const struct fg_image_segment *s, unsigned alg)
{
	const struct fexpect *first = NULL;
	int recorded = 0;
	size_t k;

	for (k = 0; k < p->nfx; k++) {
		const struct fexpect *f = &p->fx[k];
		if (f->seg != s || f->alg != alg)
			continue;
		recorded |= f->recorded;
		if (first != NULL && (alg == 0 ? first->size != f->size
					       : strcmp(first->hex, f->hex) != 0))
			return 0;
		first = f;
	}
	return recorded;
}

/* The digests expected of segment s; with lean (E01), without an MD5 that
 * its SHA-256 can settle. */
static unsigned seg_file_mask(const struct plan *p,
			      const struct fg_image_segment *s, int lean)
{
	unsigned mask = 0;
	size_t k;

	for (k = 0; k < p->nfx; k++)
		if (p->fx[k].seg == s)
			mask |= p->fx[k].alg;
	if (lean && (mask & FG_HASH_SHA256) && (mask & FG_HASH_MD5) &&
	    record_agrees(p, s, FG_HASH_MD5))
		mask &= ~(unsigned)FG_HASH_MD5;
	return mask;
}

/* stop (may be NULL) abandons the file between blocks: FG_EINTR. */
static void hash_one_file(const char *path, unsigned mask,
			  volatile sig_atomic_t *stop, struct seg_digest *d)
{
	fg_error_clear(&d->e);
	d->mask = mask;
	if (mask == (FG_HASH_MD5 | FG_HASH_SHA256)) {
		/* MD5 and SHA-256 on two threads. */
		struct fg_outfile of;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		memset(&of, 0, sizeof(of));
		if (fd < 0) {
			d->rc = fg_error_set(&d->e, FG_EIO, errno,
					     "%s: cannot open: %s", path,
					     strerror(errno));
			return;
		}
		d->rc = fg_filehash_fd(fd, path, &of, stop, &d->e);
		close(fd);
		memcpy(d->hx[0], of.md5, sizeof(d->hx[0]));
		memcpy(d->hx[2], of.sha256, sizeof(d->hx[2]));
	} else {
		d->rc = fg_hash_file_until(path, mask, d->hx, NULL, stop,
					   &d->e);
	}
}

/* Done with the file being read: on to the next. */
static void ride_close(struct seg_files *sf)
{
	if (sf->ride_fd >= 0)
		close(sf->ride_fd);
	sf->ride_fd = -1;
	fg_hash_free(sf->ride_h);
	sf->ride_h = NULL;
	sf->ride_len = sf->ride_pos = 0;
	sf->ride_off = 0;
	sf->ride_i++;
}

/* Unhashed bytes of the file being read in ride_buf (1), or every file
 * done (0).  A file is opened when reached, its digest written into its
 * seg_digest at its end; a file that cannot be read gets the error. */
static int ride_ready(struct seg_files *sf)
{
	while (sf->ride_i < sf->img->nsegs) {
		struct seg_digest *d = &sf->d[sf->ride_i];
		const char *path = sf->img->segs[sf->ride_i].path;
		ssize_t n;

		if (d->mask == 0) {
			sf->ride_i++;
			continue;
		}
		if (sf->ride_pos < sf->ride_len)
			return 1;
		if (sf->ride_fd < 0) {
			fg_error_clear(&d->e);
			sf->ride_fd = open(path, O_RDONLY | O_CLOEXEC);
			if (sf->ride_fd < 0) {
				d->rc = fg_error_set(&d->e, FG_EIO, errno,
						     "%s: cannot open: %s",
						     path, strerror(errno));
				ride_close(sf);
				continue;
			}
			d->rc = fg_hash_new(&sf->ride_h, FG_HASH_SHA256,
					    &d->e);
			if (d->rc != FG_OK) {
				ride_close(sf);
				continue;
			}
		}
		n = read(sf->ride_fd, sf->ride_buf, RIDE_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			d->rc = fg_error_set(&d->e, FG_EIO, errno,
					     "%s: read error at offset %llu: "
					     "%s",
					     path,
					     (unsigned long long)sf->ride_off,
					     strerror(errno));
			ride_close(sf);
			continue;
		}
		if (n == 0) {
			fg_hash_final(sf->ride_h, d->hx[2]);
			d->rc = FG_OK;
			ride_close(sf);
			continue;
		}
		sf->ride_len = (size_t)n;
		sf->ride_pos = 0;
		sf->ride_off += (uint64_t)n;
		return 1;
	}
	return 0;
}

static int seg_files_riding(const struct plan *p)
{
	return p->segf != NULL && p->segf->ride;
}

/* The media's SHA-256, and the files' beside it while they last. */
static int consume_media_riding(void *ctx, const struct fg_block *b,
				struct fg_error *err)
{
	struct plan *p = ctx;
	struct seg_files *sf = p->segf;
	const unsigned char *data = b->data;
	size_t len = b->len;

	(void)err;
	while (len > 0 && ride_ready(sf)) {
		size_t k = sf->ride_len - sf->ride_pos;

		if (k > len)
			k = len;
		fg_hash_update_two(p->media[2], data, sf->ride_h,
				   sf->ride_buf + sf->ride_pos, k);
		sf->ride_pos += k;
		data += k;
		len -= k;
	}
	return fg_hash_update(p->media[2], data, len);
}

/* After the media pass: the rest of the files, alone.  An interrupt leaves
 * the files not yet finished with the reason. */
static void ride_finish(struct seg_files *sf)
{
	for (;;) {
		if (sf->stop != NULL && *sf->stop) {
			for (; sf->ride_i < sf->img->nsegs;) {
				struct seg_digest *d = &sf->d[sf->ride_i];
				if (d->mask != 0)
					d->rc = fg_error_set(
					    &d->e, FG_EINTR, 0,
					    "%s: hashing abandoned at "
					    "offset %llu",
					    sf->img->segs[sf->ride_i].path,
					    (unsigned long long)(sf->ride_off -
								 sf->ride_len +
								 sf->ride_pos));
				ride_close(sf);
			}
			return;
		}
		if (!ride_ready(sf))
			return;
		fg_hash_update(sf->ride_h, sf->ride_buf + sf->ride_pos,
			       sf->ride_len - sf->ride_pos);
		sf->ride_pos = sf->ride_len;
	}
}

static void *seg_files_main(void *arg)
{
	struct seg_files *sf = arg;
	size_t i;

	for (i = 0; i < sf->img->nsegs; i++)
		if (sf->d[i].mask != 0)
			hash_one_file(sf->img->segs[i].path, sf->d[i].mask,
				      sf->stop, &sf->d[i]);
	return NULL;
}

static void *seg_files_thread(void *arg)
{
	fg_thread_give_way(); /* it runs beside the media pass */
	return seg_files_main(arg);
}

/* Plan the segment files; for an E01, start hashing them (if no thread
 * can be started, seg_files_join hashes them). */
static void seg_files_start(struct plan *p)
{
	struct seg_files *sf;
	int ewf = p->img->kind == FG_CONTAINER_EWF;
	size_t i;

	if (!ewf && p->img->nsegs < 2)
		return; /* one raw file: its digests are the media's */
	sf = calloc(1, sizeof(*sf));
	if (sf == NULL ||
	    (sf->d = calloc(p->img->nsegs, sizeof(*sf->d))) == NULL) {
		free(sf);
		p->oom = 1;
		return;
	}
	sf->img = p->img;
	sf->stop = p->o->stop;
	sf->ride_fd = -1;
	p->segf = sf;
	if (!ewf)
		return;
	sf->ride = (p->media_mask & FG_HASH_SHA256) != 0;
	for (i = 0; i < p->img->nsegs; i++) {
		sf->d[i].mask = seg_file_mask(p, &p->img->segs[i], 1);
		if (sf->d[i].mask & ~(unsigned)FG_HASH_SHA256)
			sf->ride = 0;
	}
	if (sf->ride && (sf->ride_buf = malloc(RIDE_BUF)) != NULL)
		return; /* run_stream's SHA-256 consumer reads them */
	sf->ride = 0;
	sf->started = pthread_create(&sf->th, NULL, seg_files_thread, sf) == 0;
	if (!sf->started)
		seg_files_main(sf);
}

static void seg_files_join(struct plan *p)
{
	if (p->segf != NULL && p->segf->started) {
		pthread_join(p->segf->th, NULL);
		p->segf->started = 0;
	}
}

static void seg_files_free(struct plan *p)
{
	if (p->segf == NULL)
		return;
	seg_files_join(p);
	if (p->segf->ride_fd >= 0)
		close(p->segf->ride_fd);
	fg_hash_free(p->segf->ride_h);
	free(p->segf->ride_buf);
	free(p->segf->d);
	free(p->segf);
	p->segf = NULL;
}

/* Does the SHA-256 computed for segment i match all that is expected? */
static int seg_sha_holds(const struct plan *p, size_t i)
{
	const struct seg_digest *d = &p->segf->d[i];
	size_t k;

	if (d->rc != FG_OK || !(d->mask & FG_HASH_SHA256))
		return 0;
	for (k = 0; k < p->nfx; k++)
		if (p->fx[k].seg == &p->img->segs[i] &&
		    p->fx[k].alg == FG_HASH_SHA256 &&
		    strcmp(p->fx[k].hex, d->hx[2]) != 0)
			return 0;
	return 1;
}

/* A split raw file settled by the media digests (see above)? */
static int raw_file_settled(const struct plan *p,
			    const struct fg_image_segment *s, unsigned want)
{
	unsigned i;
	size_t k;

	if (!record_agrees(p, s, 0))
		return 0;
	for (k = 0; k < p->nfx; k++)
		if (p->fx[k].seg == s && p->fx[k].alg == 0 &&
		    p->fx[k].size != s->size)
			return 0;
	for (i = 0; i < 3; i++)
		if ((want & hash_order[i]) && !record_agrees(p, s, hash_order[i]))
			return 0;
	return 1;
}

static void compare_seg_files(struct plan *p)
{
	const int ewf = p->img->kind == FG_CONTAINER_EWF;
	int media_ok;
	size_t i, k;

	if (p->segf == NULL)
		return;
	seg_files_join(p);
	if (p->segf->ride)
		ride_finish(p->segf);
	media_ok = !ewf && digests_settled(p, p->img->media_size);
	for (i = 0; i < p->img->nsegs; i++) {
		const struct fg_image_segment *s = &p->img->segs[i];
		struct seg_digest *d = &p->segf->d[i];
		unsigned want = seg_file_mask(p, s, 0), settled = 0;
		const char *why;
		char what[300];

		if (want == 0)
			continue;
		if (!ewf && media_ok && raw_file_settled(p, s, want)) {
			settled = want;
		} else if (!ewf) {
			hash_one_file(s->path, want, p->segf->stop, d);
		} else if ((want & ~d->mask) == FG_HASH_MD5) {
			if (seg_sha_holds(p, i)) {
				settled = FG_HASH_MD5;
			} else {
				/* Something differs: the MD5 after all. */
				struct seg_digest m;
				memset(&m, 0, sizeof(m));
				hash_one_file(s->path, FG_HASH_MD5,
					      p->segf->stop, &m);
				memcpy(d->hx[0], m.hx[0], sizeof(d->hx[0]));
				if (m.rc != FG_OK && d->rc == FG_OK) {
					d->rc = m.rc;
					d->e = m.e;
				}
				d->mask |= FG_HASH_MD5;
			}
		}
		why = ewf ? "not recomputed: the SHA-256 of the same file "
			    "matches, and this is the MD5 the record holds "
			    "for it"
			  : "not recomputed: the media digests match, the "
			    "file has its recorded size, and this is the "
			    "digest the record holds for it";
		snprintf(what, sizeof(what), "file %s", fg_path_base(s->path));
		for (k = 0; k < p->nfx; k++) {
			const struct fexpect *f = &p->fx[k];
			const char *got;
			if (f->seg != s || f->alg == 0)
				continue;
			got = d->hx[alg_index(f->alg)];
			if (settled & f->alg)
				add_check(p, what, f->alg, f->hex, why,
					  f->source, FG_CHECK_NOT_NEEDED);
			else if (d->rc != FG_OK)
				add_check(p, what, f->alg, f->hex, d->e.msg,
					  f->source, FG_CHECK_UNVERIFIABLE);
			else
				add_check(p, what, f->alg, f->hex, got,
					  f->source,
					  (!ewf &&
					   (overlaps_unreadable(
						    p->it, s->media_start,
						    s->media_start +
							    s->media_len) ||
					    file_short(p, s)))
						  ? FG_CHECK_UNVERIFIABLE
					  : strcmp(got, f->hex) == 0
						  ? FG_CHECK_MATCH
						  : FG_CHECK_MISMATCH);
		}
	}
}

static void compare_windows(struct plan *p)
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
		add_check(p, "hash windows", FG_HASH_SHA256, exp,
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
		    overlaps_unreadable(it, start, end)) {
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
			void *q = realloc(it->intact, (it->nintact + 1) *
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
	add_check(p, "hash windows", FG_HASH_SHA256, exp, com, src,
		  it->windows_bad ? FG_CHECK_MISMATCH
		  : (it->windows_unverifiable || got != p->nwin)
			  ? FG_CHECK_UNVERIFIABLE
			  : FG_CHECK_MATCH);
}

/* ---- Gathering expectations --------------------------------------------- */

static int load_sidecar(struct plan *p, const char *path, unsigned alg)
{
	struct fg_sidecar_entry *e = NULL;
	struct fg_error err;
	size_t n = 0, i;
	char *text = NULL;
	FILE *f;
	size_t len;
	int rc;

	fg_error_clear(&err);
	f = fopen(path, "rb");
	if (f == NULL)
		return FG_OK;
	text = malloc(MAX_SIDECAR_BYTES + 1);
	if (text == NULL) {
		fclose(f);
		return FG_ENOMEM;
	}
	len = fread(text, 1, MAX_SIDECAR_BYTES + 1, f);
	fclose(f);
	if (len > MAX_SIDECAR_BYTES) {
		add_check(p, fg_path_base(path), 0, "a checksum file",
			  "larger than 16 MiB", "sidecar",
			  FG_CHECK_MISMATCH);
		free(text);
		return FG_OK;
	}
	rc = fg_sidecar_parse(text, len, alg, fg_path_base(path), &e, &n, &err);
	free(text);
	if (rc == FG_ENOMEM)
		return rc;
	if (rc != FG_OK) {
		/* A damaged sidecar is damaged evidence. */
		add_check(p, fg_path_base(path), 0, "well-formed checksum lines",
			  err.msg, "sidecar", FG_CHECK_MISMATCH);
		return FG_OK;
	}
	for (i = 0; i < n; i++)
		add_fexpect(p, e[i].name, alg, e[i].hex, 0,
			    "the checksum file %s, line %zu", fg_path_base(path),
			    e[i].line);
	if (n == 0)
		NOTE(p, "%s lists no files", fg_path_base(path));
	fg_sidecar_free(e, n);
	return FG_OK;
}

static void from_record(struct plan *p)
{
	const struct fg_record *r = p->rec;
	const char *status = fg_record_get_str(r, "result.status");
	const char *db = fg_record_get_str(r, "case_db.path");
	int64_t bytes = -1, wsize = 0, acq = 0, pbytes = 0;
	size_t i, n;

	if (db != NULL && p->it->record_case_db == NULL &&
	    (p->it->record_case_db = strdup(db)) == NULL)
		p->oom = 1;
	if (fg_record_get_int(r, "case_db.acquisition_id", &acq) == FG_OK &&
	    acq > 0)
		p->it->record_acquisition_id = acq;

	if (status == NULL || (strcmp(status, "success") != 0 &&
			       strcmp(status, "completed with errors") != 0)) {
		const char *msg = fg_record_get_str(r, "result.message");
		PROBLEM(p, "%s says the acquisition did not finish "
			   "(status: %s%s%s)",
			p->rec_name, status ? status : "missing",
			msg ? ": " : "", msg ? msg : "");
	}
	if (fg_record_get_int(r, "hashes.bytes", &bytes) != FG_OK ||
	    bytes < 0)
		bytes = -1;
	for (i = 0; i < 3; i++) {
		char key[32];
		const char *v;
		unsigned alg = hash_order[i];

		snprintf(key, sizeof(key), "hashes.%s", fg_hash_name(alg));
		v = fg_record_get_str(r, key);
		if (v == NULL)
			continue;
		if (!hex_valid(v, fg_hash_hexlen(alg))) {
			add_check(p, "media", alg, v, "", p->rec_name,
				  FG_CHECK_MISMATCH);
			PROBLEM(p, "%s: %s is not a %s digest", p->rec_name,
				key, fg_hash_name(alg));
			continue;
		}
		add_expect(p, alg, v, bytes >= 0 ? (uint64_t)bytes : 0,
			   "%s (%s)", p->rec_name, key);
	}
	/* An E01 of a source that is not whole sectors holds the media
	 * padded with zeros; the record also gives the digests of that. */
	if (fg_record_get_int(r, "hashes.e01_padded.bytes", &pbytes) ==
		    FG_OK &&
	    pbytes > 0) {
		for (i = 0; i < 3; i++) {
			char key[48];
			const char *v;
			unsigned alg = hash_order[i];

			snprintf(key, sizeof(key), "hashes.e01_padded.%s",
				 fg_hash_name(alg));
			v = fg_record_get_str(r, key);
			if (v != NULL && hex_valid(v, fg_hash_hexlen(alg)))
				add_expect(p, alg, v, (uint64_t)pbytes,
					   "%s (%s)", p->rec_name, key);
		}
	}
	n = fg_record_array_size(r, "outputs");
	for (i = 0; i < n; i++) {
		const char *path = fg_record_array_str(r, "outputs", i, "path");
		const char *md5 = fg_record_array_str(r, "outputs", i, "md5");
		const char *sha = fg_record_array_str(r, "outputs", i,
						      "sha256");
		int64_t size = -1;

		if (path == NULL)
			continue;
		if (fg_record_array_int(r, "outputs", i, "size", &size) ==
			    FG_OK &&
		    size >= 0) {
			add_fexpect(p, path, 0, NULL, (uint64_t)size,
				    "%s (outputs)", p->rec_name);
			if (!p->oom)
				p->fx[p->nfx - 1].recorded = 1;
		}
		if (md5 != NULL && hex_valid(md5, 32)) {
			add_fexpect(p, path, FG_HASH_MD5, md5, 0,
				    "%s (outputs)", p->rec_name);
			if (!p->oom)
				p->fx[p->nfx - 1].recorded = 1;
		}
		if (sha != NULL && hex_valid(sha, 64)) {
			add_fexpect(p, path, FG_HASH_SHA256, sha, 0,
				    "%s (outputs)", p->rec_name);
			if (!p->oom)
				p->fx[p->nfx - 1].recorded = 1;
		}
	}
	if (fg_record_get_int(r, "hash_windows.size", &wsize) == FG_OK &&
	    wsize > 0 && fg_record_array_size(r, "hash_windows.sha256") > 0) {
		p->win_size = (uint64_t)wsize;
		p->nwin = fg_record_array_size(r, "hash_windows.sha256");
		p->win_end = bytes >= 0 ? (uint64_t)bytes : p->img->media_size;
		if (p->win_end > p->img->media_size)
			p->win_end = p->img->media_size;
	}
}

/* The record beside an image (same base name), if it names the image. */
static int find_record(struct plan *p, const char *base, struct fg_error *err)
{
	char *path = fg_strdup_printf("%s.json", base);
	struct fg_record *r = NULL;
	struct fg_error e;
	size_t i, n;
	int named = 0;

	if (path == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	if (!file_exists(path)) {
		free(path);
		return FG_OK;
	}
	fg_error_clear(&e);
	if (fg_record_load(&r, path, &e) != FG_OK) {
		PROBLEM(p, "%s", e.msg);
		free(path);
		return FG_OK;
	}
	n = fg_record_array_size(r, "outputs");
	for (i = 0; i < n; i++) {
		const char *o = fg_record_array_str(r, "outputs", i, "path");
		if (o != NULL &&
		    strcmp(fg_path_base(o), fg_path_base(p->img->segs[0].path)) == 0)
			named = 1;
	}
	if (!named) {
		NOTE(p, "%s is not used: it does not name %s among its outputs",
		     fg_path_base(path), fg_path_base(p->img->segs[0].path));
		fg_record_free(r);
		free(path);
		return FG_OK;
	}
	p->rec = r;
	p->rec_name = fg_strdup_printf("the record %s", fg_path_base(path));
	p->it->record_path = path;
	if (p->rec_name == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	return FG_OK;
}

/* The first of dir/NAME (dir not NULL), the recorded path, also/NAME
 * that exists, malloc'd; NULL with *looked saying where it looked. */
static char *find_output(const char *recorded, const char *dir,
			 const char *also, char *looked, size_t len)
{
	const char *cand[3];
	char *p[3] = {NULL, NULL, NULL};
	size_t i, n = 0, used = 0;
	char *found = NULL;

	if (dir != NULL)
		p[0] = fg_strdup_printf("%s/%s", dir, fg_path_base(recorded));
	if (also != NULL)
		p[2] = fg_strdup_printf("%s/%s", also, fg_path_base(recorded));
	if (dir != NULL)
		cand[n++] = p[0];
	cand[n++] = recorded;
	if (also != NULL)
		cand[n++] = p[2];
	looked[0] = '\0';
	for (i = 0; i < n && found == NULL; i++) {
		int w;
		size_t k, seen = 0;
		if (cand[i] == NULL)
			continue;
		for (k = 0; k < i; k++)
			if (cand[k] != NULL && strcmp(cand[k], cand[i]) == 0)
				seen = 1;
		if (seen)
			continue;
		if (file_exists(cand[i])) {
			found = strdup(cand[i]);
			break;
		}
		w = snprintf(looked + used, len - used, "%s%s",
			     used ? ", " : "", cand[i]);
		if (w > 0 && (size_t)w < len - used)
			used += (size_t)w;
	}
	free(p[0]);
	free(p[2]);
	return found;
}

/* Open the evidence the record p->rec names (its outputs), looked for in
 * dir, where they were written, then in also. */
static int open_record_evidence(struct plan *p, const char *dir,
				const char *also, struct fg_error *err)
{
	const struct fg_record *r = p->rec;
	const char *format;
	char **paths = NULL;
	size_t n, i;
	int rc = FG_OK;

	n = fg_record_array_size(r, "outputs");
	if (n == 0) {
		const char *st = fg_record_get_str(r, "result.status");
		return fg_error_set(err, FG_ESOURCE, 0,
				    "%s lists no evidence files (result: %s)",
				    p->rec_name, st ? st : "unknown");
	}
	paths = calloc(n, sizeof(*paths));
	if (paths == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		const char *o = fg_record_array_str(r, "outputs", i, "path");
		char looked[1024];

		if (o == NULL) {
			rc = fg_error_set(err, FG_EFORMAT, 0,
					  "%s: outputs[%zu] has no path",
					  p->rec_name, i);
			goto out;
		}
		paths[i] = find_output(o, dir, also, looked, sizeof(looked));
		if (paths[i] == NULL) {
			rc = fg_error_set(err, FG_ESOURCE, ENOENT,
					  "%s: segment missing: %s names it "
					  "(outputs[%zu]); not found at %s",
					  fg_path_base(o), p->rec_name, i,
					  looked);
			goto out;
		}
	}
	format = fg_record_get_str(r, "parameters.format");
	if (format != NULL && strcmp(format, "e01") == 0) {
		rc = fg_image_open(&p->img, paths[0], FG_CONTAINER_EWF,
				   p->o->image_flags, err);
		if (rc == FG_OK && p->img->nsegs != n)
			PROBLEM(p, "%s names %zu segment files, the set found "
				   "from %s has %zu",
				p->rec_name, n, fg_path_base(paths[0]),
				p->img->nsegs);
	} else {
		rc = fg_image_open_raw_files(&p->img,
					     (const char *const *)paths, n,
					     p->o->image_flags, err);
	}
out:
	free_strv(paths, n);
	return rc;
}

/* The evidence a record file names: its outputs, where they lie beside
 * the record, else where they were written. */
static int open_from_record(struct plan *p, const char *input,
			    struct fg_error *err)
{
	char *dir;
	int rc;

	rc = fg_record_load(&p->rec, input, err);
	if (rc != FG_OK)
		return rc;
	p->rec_name = fg_strdup_printf("the record %s", fg_path_base(input));
	p->it->record_path = strdup(input);
	dir = fg_path_dir(input);
	if (p->rec_name == NULL || p->it->record_path == NULL || dir == NULL)
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	else
		rc = open_record_evidence(p, dir, NULL, err);
	free(dir);
	return rc;
}

static void copy_image_facts(struct plan *p)
{
	struct fg_verify_item *it = p->it;
	const struct fg_image *img = p->img;
	size_t i;

	it->kind = img->kind;
	it->format = strdup(img->format ? img->format : "");
	it->media_size = img->media_size;
	it->sector_size = img->sector_size;
	it->chunk_size = img->chunk_size;
	it->cache_bypass = strdup(img->cache_bypass ? img->cache_bypass : "");
	it->files = calloc(img->nsegs + 1, sizeof(*it->files));
	it->file_sizes = calloc(img->nsegs + 1, sizeof(*it->file_sizes));
	it->meta_keys = calloc(img->nmeta + 1, sizeof(char *));
	it->meta_values = calloc(img->nmeta + 1, sizeof(char *));
	if (it->format == NULL || it->cache_bypass == NULL ||
	    it->files == NULL || it->file_sizes == NULL ||
	    it->meta_keys == NULL || it->meta_values == NULL) {
		p->oom = 1;
		return;
	}
	for (i = 0; i < img->nsegs; i++) {
		it->files[i] = strdup(img->segs[i].path);
		it->file_sizes[i] = img->segs[i].size;
		if (it->files[i] == NULL) {
			p->oom = 1;
			return;
		}
		it->nfiles++;
	}
	for (i = 0; i < img->nmeta; i++) {
		it->meta_keys[i] = strdup(img->meta[i].key);
		it->meta_values[i] = strdup(img->meta[i].value);
		if (it->meta_keys[i] == NULL || it->meta_values[i] == NULL) {
			free(it->meta_keys[i]);
			free(it->meta_values[i]);
			p->oom = 1;
			return;
		}
		it->nmeta++;
	}
	for (i = 0; i < img->nproblems; i++)
		PROBLEM(p, "%s", img->problems[i].text);
	if (img->nacquiry_errors > 0) {
		char buf[512] = "";
		size_t k, len = 0;
		for (k = 0; k < img->nacquiry_errors && k < 8; k++) {
			int w = snprintf(buf + len, sizeof(buf) - len,
					 "%sLBA %llu-%llu", k ? ", " : "",
					 (unsigned long long)
						 img->acquiry_errors[k][0],
					 (unsigned long long)(
						 img->acquiry_errors[k][0] +
						 img->acquiry_errors[k][1] -
						 1));
			if (w < 0 || (size_t)w >= sizeof(buf) - len)
				break;
			len += (size_t)w;
		}
		NOTE(p, "the image records %zu range%s its acquiring tool "
			"could not read (filled when acquired): %s%s",
		     img->nacquiry_errors,
		     img->nacquiry_errors == 1 ? "" : "s", buf,
		     img->nacquiry_errors > 8 ? ", ..." : "");
	}
}

/* The hashes the container stores itself (EWF). */
static void add_stored(struct plan *p)
{
	const struct fg_media_hashes *h = &p->img->stored;
	const char *const hex[3] = {h->md5, h->sha1, h->sha256};
	int i;

	for (i = 0; i < 3; i++)
		if (hex[i][0] != '\0')
			add_expect(p, hash_order[i], hex[i], 0,
				   "the image %s (the hash stored in it)",
				   fg_path_base(p->img->segs[0].path));
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
static int digests_settled(const struct plan *p, uint64_t len_wanted)
{
	size_t i;
	int matched = 0;

	for (i = 0; i < p->it->nchecks; i++) {
		const struct fg_check *c = &p->it->checks[i];
		uint64_t len;
		if (strncmp(c->what, "media", 5) != 0 || c->alg == 0)
			continue;
		len = strcmp(c->what, "media") == 0
			      ? p->img->media_size
			      : strtoull(c->what + strlen("media, first "),
					 NULL, 10);
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
			add_check(p, "media size", 0, exp, got,
				  p->ex[i].source, FG_CHECK_UNVERIFIABLE);
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
			add_check(p, "media size", 0, exp, got,
				  p->ex[i].source, FG_CHECK_MISMATCH);
		}
	}
}

static void check_tail(struct plan *p)
{
	size_t i;

	for (i = 0; i < 3; i++) {
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
			add_check(p, "sector padding", 0, exp, got,
				  "EWF stores whole sectors", FG_CHECK_MATCH);
		} else {
			snprintf(got, sizeof(got),
				 "a nonzero byte at media offset %llu",
				 (unsigned long long)(r->tail_nonzero_at - 1));
			add_check(p, "sector padding", 0, exp, got,
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
		rc = open_record_evidence(p, p->search_dir, p->also_dir,
					  &it->err);
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
		rc = open_from_record(p, input, &it->err);
		if (rc != FG_OK)
			return rc;
		base = strip_ext(input);
	} else {
		rc = fg_image_open(&p->img, input, det.kind,
				   p->o->image_flags, &it->err);
		if (rc != FG_OK)
			return rc;
		base = strip_ext(p->img->segs[0].path);
		if (base == NULL)
			return fg_error_set(&it->err, FG_ENOMEM, ENOMEM,
					    "out of memory");
		rc = find_record(p, base, &it->err);
		if (rc != FG_OK)
			goto out;
	}
	if (base == NULL)
		return fg_error_set(&it->err, FG_ENOMEM, ENOMEM,
				    "out of memory");
	copy_image_facts(p);
	/* Expectations, from the strongest source to the weakest. */
	if (p->o->expect_md5 != NULL)
		add_expect(p, FG_HASH_MD5, p->o->expect_md5, 0,
			   "the command line (--md5)");
	if (p->o->expect_sha1 != NULL)
		add_expect(p, FG_HASH_SHA1, p->o->expect_sha1, 0,
			   "the command line (--sha1)");
	if (p->o->expect_sha256 != NULL)
		add_expect(p, FG_HASH_SHA256, p->o->expect_sha256, 0,
			   "the command line (--sha256)");
	add_stored(p);
	if (p->rec != NULL)
		from_record(p);
	{
		char *md5 = fg_strdup_printf("%s.md5", base);
		char *sha = fg_strdup_printf("%s.sha256", base);
		if (md5 == NULL || sha == NULL ||
		    load_sidecar(p, md5, FG_HASH_MD5) != FG_OK ||
		    load_sidecar(p, sha, FG_HASH_SHA256) != FG_OK)
			p->oom = 1;
		free(md5);
		free(sha);
	}
	if (p->oom) {
		rc = fg_error_set(&it->err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	plan_digests(p);
	check_lengths(p);
	seg_files_start(p);
	rc = run_stream(p, 0, &it->err);
	if (rc != FG_OK)
		goto out;
	compare_media(p);
	check_tail(p);
	compare_files(p);
	compare_seg_files(p);
	if (p->o->stop != NULL && *p->o->stop) {
		/* The files were being hashed: their checks are not whole. */
		rc = fg_error_set(&it->err, FG_EINTR, EINTR,
				  "interrupted while hashing the evidence "
				  "files");
		goto out;
	}
	if (p->win_deferred && !digests_settled(p, p->win_end)) {
		/* Something differs or is missing: a second pass to say
		 * which windows still prove intact. */
		rc = run_stream(p, 1, &it->err);
		if (rc != FG_OK)
			goto out;
	}
	compare_windows(p);
	{
		int i;
		const char *c[3] = {it->computed.md5, it->computed.sha1,
				    it->computed.sha256};
		for (i = 0; i < 3; i++) {
			size_t k;
			int expected = 0;
			if (c[i][0] == '\0')
				continue;
			for (k = 0; k < p->nex; k++)
				if (p->ex[k].alg == hash_order[i])
					expected = 1;
			if (!expected)
				NOTE(p, "%s of the media: nothing to compare "
					"with (computed %s)",
				     fg_hash_name(hash_order[i]), c[i]);
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

/* ---- The verification as a record ------------------------------------ */

static const char *result_word(int r)
{
	return r == FG_CHECK_MATCH	   ? "match"
	       : r == FG_CHECK_MISMATCH   ? "MISMATCH"
	       : r == FG_CHECK_NOT_NEEDED ? "not needed"
					  : "not verifiable";
}

static int checks_to_record(struct fg_record *r, const char *key,
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

static int damage_to_record(struct fg_record *r, const char *key,
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
	rc |= checks_to_record(r, "checks", it);
	rc |= damage_to_record(r, "damage", it);
	if (it->kind == FG_CONTAINER_EWF) {
		rc |= fg_record_set_int(r, "chunks", (int64_t)it->chunks);
		rc |= fg_record_set_int(r, "chunks_read_through_libewf",
					(int64_t)it->chunks_libewf);
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

/* ---- After an acquisition ---------------------------------------------- */

int fg_verify_written(const struct fg_outfile *files, size_t nfiles,
		      const char *format, const struct fg_media_hashes *h,
		      uint64_t bytes, unsigned threads, struct fg_record *rec,
		      const char *prefix, struct fg_error *err)
{
	struct fg_verify_opts o;
	struct fg_verify_item *it;
	struct plan p;
	const char *const given[3] = {h->md5, h->sha1, h->sha256};
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
	if (strcmp(format, "e01") == 0) {
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
	copy_image_facts(&p);
	for (i = 0; i < 3; i++)
		if (given[i][0] != '\0')
			add_expect(&p, hash_order[i], given[i], bytes,
				   "the acquisition's own digest");
	add_stored(&p);
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
	for (i = 0; i < 3; i++) {
		const char *c = NULL;
		size_t k;
		/* The digest over the bytes the acquisition hashed. */
		for (k = 0; k < p.nex; k++)
			if (p.ex[k].alg == hash_order[i] &&
			    p.ex[k].length == bytes)
				c = computed_media(&p, &p.ex[k]);
		snprintf(key, sizeof(key), "%s.%s", prefix,
			 fg_hash_name(hash_order[i]));
		if (c != NULL && c[0] != '\0')
			fg_record_set_str(rec, key, c);
	}
	snprintf(key, sizeof(key), "%s.bytes", prefix);
	fg_record_set_int(rec, key, (int64_t)bytes);
	snprintf(key, sizeof(key), "%s.checks", prefix);
	checks_to_record(rec, key, it);
	snprintf(key, sizeof(key), "%s.damage", prefix);
	damage_to_record(rec, key, it);
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
