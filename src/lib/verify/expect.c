/*
 * expect.c - what a verification compares with: the acquisition record
 * (beside the image, named as the input, or from the case database), the
 * coreutils checksum files beside the image, the digests given on the
 * command line and those the image stores; and finding and opening the
 * evidence a record names (see verify_int.h).
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

#define MAX_SIDECAR_BYTES (16u << 20)

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

void fg_verify_add_expect(struct plan *p, unsigned alg, const char *hex,
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

/* ---- Gathering expectations --------------------------------------------- */

int fg_verify_load_sidecar(struct plan *p, const char *path, unsigned alg)
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
		fg_verify_add_check(p, fg_path_base(path), 0, "a checksum file",
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
		fg_verify_add_check(p, fg_path_base(path), 0,
				    "well-formed checksum lines", err.msg,
				    "sidecar", FG_CHECK_MISMATCH);
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

void fg_verify_from_record(struct plan *p)
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
	for (i = 0; i < FG_NHASH; i++) {
		char key[32];
		const char *v;
		unsigned alg = fg_hash_set[i];

		snprintf(key, sizeof(key), "hashes.%s", fg_hash_name(alg));
		v = fg_record_get_str(r, key);
		if (v == NULL)
			continue;
		if (!hex_valid(v, fg_hash_hexlen(alg))) {
			fg_verify_add_check(p, "media", alg, v, "", p->rec_name,
					    FG_CHECK_MISMATCH);
			PROBLEM(p, "%s: %s is not a %s digest", p->rec_name,
				key, fg_hash_name(alg));
			continue;
		}
		fg_verify_add_expect(p, alg, v,
				     bytes >= 0 ? (uint64_t)bytes : 0,
				     "%s (%s)", p->rec_name, key);
	}
	/* An E01 of a source that is not whole sectors holds the media
	 * padded with zeros; the record also gives the digests of that. */
	if (fg_record_get_int(r, "hashes.e01_padded.bytes", &pbytes) ==
		    FG_OK &&
	    pbytes > 0) {
		for (i = 0; i < FG_NHASH; i++) {
			char key[48];
			const char *v;
			unsigned alg = fg_hash_set[i];

			snprintf(key, sizeof(key), "hashes.e01_padded.%s",
				 fg_hash_name(alg));
			v = fg_record_get_str(r, key);
			if (v != NULL && hex_valid(v, fg_hash_hexlen(alg)))
				fg_verify_add_expect(
				    p, alg, v, (uint64_t)pbytes, "%s (%s)",
				    p->rec_name, key);
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

/* A record file forage can read: one of its acquisition records, and the
 * parts a verification relies on of the type they must have.  FG_EFORMAT
 * with the file and the key otherwise, never accepted silently. */
static int record_usable(const struct fg_record *r, const char *path,
			 struct fg_error *err)
{
	const char *f = fg_record_get_str(r, "record_format");
	char *hw = fg_record_dump_at(r, "hash_windows");
	const char *alg;
	int64_t size;
	size_t i, n;
	int rc = FG_OK;

	if (f == NULL || strcmp(f, "forage-acquisition-1") != 0) {
		char *v = fg_record_dump_at(r, "record_format");
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "%s: record_format %s: not a record this "
				  "forage reads (forage-acquisition-1)",
				  path, v != NULL ? v : "missing");
		free(v);
		goto out;
	}
	if (hw == NULL || strcmp(hw, "null") == 0)
		goto out;
	alg = fg_record_get_str(r, "hash_windows.algorithm");
	if (fg_record_get_int(r, "hash_windows.size", &size) != FG_OK ||
	    size <= 0) {
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "%s: hash_windows.size: not a positive "
				  "whole number of bytes",
				  path);
		goto out;
	}
	if (alg == NULL || strcmp(alg, "sha256") != 0) {
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "%s: hash_windows.algorithm: not \"sha256\"",
				  path);
		goto out;
	}
	n = fg_record_array_size(r, "hash_windows.sha256");
	{
		char *a = fg_record_dump_at(r, "hash_windows.sha256");
		int list = a != NULL && a[0] == '[';
		free(a);
		if (!list) {
			rc = fg_error_set(err, FG_EFORMAT, 0,
					  "%s: hash_windows.sha256: not a "
					  "list",
					  path);
			goto out;
		}
	}
	for (i = 0; i < n; i++)
		if (!hex_valid(fg_record_get_array_str(
				   r, "hash_windows.sha256", i),
			       64)) {
			rc = fg_error_set(err, FG_EFORMAT, 0,
					  "%s: hash_windows.sha256[%zu]: not "
					  "a SHA-256 in hex",
					  path, i);
			goto out;
		}
out:
	free(hw);
	return rc;
}

/* The record beside an image (same base name), if it names the image. */
int fg_verify_find_record(struct plan *p, const char *base,
			  struct fg_error *err)
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
	if (fg_record_load(&r, path, &e) != FG_OK ||
	    record_usable(r, path, &e) != FG_OK) {
		PROBLEM(p, "%s", e.msg);
		fg_record_free(r);
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

/* Where a record file's outputs[i] (recorded path o) is read: beside the
 * record (p->rec_dir), never elsewhere.  A record travels with the
 * evidence and anyone who can write beside it can plant one; its paths
 * must not make forage read and hash any file of the system
 * ("../../../../etc/passwd").  *out is malloc'd; FG_ESOURCE when it is
 * not there, FG_EINVAL when the record names a file elsewhere that it
 * would have had forage read. */
static int confined_output(struct plan *p, const char *o, size_t i,
			   char **out, struct fg_error *err)
{
	const char *base = fg_path_base(o);
	char *cand;

	*out = NULL;
	if (base[0] == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: outputs[%zu].path '%s' names no "
				    "file",
				    p->rec_name, i, o);
	cand = fg_strdup_printf("%s/%s", p->rec_dir, base);
	if (cand == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	if (file_exists(cand)) {
		*out = cand;
		return FG_OK;
	}
	if (file_exists(o)) {
		char *rd = realpath(p->rec_dir, NULL);
		char *od = fg_path_dir(o);
		char *ord = od != NULL ? realpath(od, NULL) : NULL;
		int beside = rd != NULL && ord != NULL && strcmp(rd, ord) == 0;
		free(rd);
		free(od);
		free(ord);
		if (!beside) {
			int rc = fg_error_set(
			    err, FG_EINVAL, 0,
			    "%s points outside its folder: outputs[%zu] is "
			    "%s, not beside it in %s; forage reads only the "
			    "files beside a record (move them there)",
			    p->rec_name, i, o, p->rec_dir);
			free(cand);
			return rc;
		}
	}
	free(cand);
	return fg_error_set(err, FG_ESOURCE, ENOENT,
			    "%s: segment missing: %s names it "
			    "(outputs[%zu], written as %s); not found beside "
			    "it in %s",
			    base, p->rec_name, i, o, p->rec_dir);
}

/* Open the evidence the record p->rec names (its outputs): a record file's
 * beside it only (confined_output), a record from elsewhere's looked for
 * in dir, where they were written, then in also. */
int fg_verify_open_record_evidence(struct plan *p, const char *dir,
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
		if (p->rec_dir != NULL) {
			rc = confined_output(p, o, i, &paths[i], err);
			if (rc != FG_OK)
				goto out;
			continue;
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
	if (fg_container_kind_of_format(format) == FG_CONTAINER_EWF) {
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
	fg_verify_strv_free(paths, n);
	return rc;
}

/* The evidence a record file names: its outputs, where they lie beside
 * the record, else where they were written. */
int fg_verify_open_from_record(struct plan *p, const char *input,
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
	else if ((rc = record_usable(p->rec, input, err)) == FG_OK) {
		p->rec_dir = dir;
		rc = fg_verify_open_record_evidence(p, dir, NULL, err);
		p->rec_dir = NULL;
	}
	free(dir);
	return rc;
}

void fg_verify_copy_image_facts(struct plan *p)
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
void fg_verify_add_stored(struct plan *p)
{
	const struct fg_media_hashes *h = &p->img->stored;
	int i;

	for (i = 0; i < FG_NHASH; i++)
		if (fg_media_hash_hex(h, i, 0)[0] != '\0')
			fg_verify_add_expect(
			    p, fg_hash_set[i], fg_media_hash_hex(h, i, 0), 0,
			    "the image %s (the hash stored in it)",
			    fg_path_base(p->img->segs[0].path));
}
