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
			if (nv == FG_SIDECAR_MAX_LINES) {
				free(nm);
				rc = fg_error_set(err, FG_EFORMAT, 0,
						  "%s, line %zu: more than %u "
						  "checksum lines",
						  name, line,
						  FG_SIDECAR_MAX_LINES);
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
	e = src != NULL ? fg_grow(p->ex, p->nex, sizeof(*e)) : NULL;
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

	va_start(ap, fmt);
	if (vasprintf(&src, fmt, ap) < 0)
		src = NULL;
	va_end(ap);
	f = src != NULL && nm != NULL
		    ? fg_grow(p->fx, p->nfx, sizeof(*f))
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
	f->seg = fg_verify_seg_named(p, name);
}

/* ---- The copies a record names ----------------------------------------- */

#define MAX_COPIES 16

/* path without its last extension ("/a/X.E01" -> "/a/X"), malloc'd. */
static char *stem_of(const char *path)
{
	const char *b = fg_path_base(path), *dot = strrchr(b, '.');

	return dot != NULL && dot != b ? strndup(path, (size_t)(dot - path))
				       : strdup(path);
}

/* A record written before outputs[].copy: its outputs are copy 1's files
 * then copy 2's (--second-output), told apart by their folders and names
 * when the two runs of files have two different stems, the second named
 * as --second-output was, and as many files each. */
static int infer_copies(struct plan *p, const char *second,
			struct fg_error *err)
{
	size_t i, j = 0, n = p->nout;
	char *s0 = NULL, *sj = NULL;
	int ok = n >= 2 && n % 2 == 0;

	for (i = 0; ok && i < n; i++) {
		const char *o = fg_record_array_str(p->rec, "outputs", i,
						    "path");
		char *st = o != NULL ? stem_of(o) : NULL;
		if (st == NULL) {
			ok = 0;
		} else if (i == 0) {
			s0 = st;
			st = NULL;
		} else if (j == 0 && strcmp(st, s0) != 0) {
			j = i;
			sj = st;
			st = NULL;
		} else if (strcmp(st, j == 0 ? s0 : sj) != 0) {
			ok = 0;
		}
		free(st);
	}
	ok = ok && j == n / 2 && sj != NULL &&
	     strcmp(fg_path_base(sj), fg_path_base(second)) == 0;
	free(s0);
	free(sj);
	if (!ok)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s names two copies (--second-output "
				    "%s) but not which of its %zu outputs "
				    "belong to which, and their names do not "
				    "tell; verify each copy by its first file",
				    p->rec_name, second, n);
	for (i = 0; i < n; i++)
		p->out_copy[i] = i < j ? 1 : 2;
	p->ncopies = 2;
	NOTE(p, "%s does not say which outputs belong to which copy (written "
		"before outputs[].copy); told by their names: copy 1 the "
		"first %zu, copy 2 the last %zu",
	     p->rec_name, j, n - j);
	return FG_OK;
}

int fg_verify_map_copies(struct plan *p, struct fg_error *err)
{
	const struct fg_record *r = p->rec;
	const char *second = fg_record_get_str(r, "parameters.second_output");
	size_t i, have = 0;
	unsigned seen[MAX_COPIES + 1];

	p->nout = fg_record_array_size(r, "outputs");
	p->ncopies = 1;
	free(p->out_copy);
	p->out_copy = calloc(p->nout + 1, sizeof(*p->out_copy));
	if (p->out_copy == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < p->nout; i++) {
		int64_t c = 0;
		if (fg_record_array_int(r, "outputs", i, "copy", &c) != FG_OK)
			continue;
		if (c < 1 || c > MAX_COPIES)
			return fg_error_set(err, FG_EFORMAT, 0,
					    "%s: outputs[%zu].copy is %lld, "
					    "not a copy (1 to %d)",
					    p->rec_name, i, (long long)c,
					    MAX_COPIES);
		p->out_copy[i] = (unsigned)c;
		seen[c] = 1;
		if ((unsigned)c > p->ncopies)
			p->ncopies = (unsigned)c;
		have++;
	}
	if (have == p->nout) {
		for (i = 1; i <= p->ncopies; i++)
			if (!seen[i])
				return fg_error_set(
				    err, FG_EFORMAT, 0,
				    "%s: its outputs name copy %u but no "
				    "file of copy %zu",
				    p->rec_name, p->ncopies, i);
		return FG_OK;
	}
	if (have > 0)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: some outputs say which copy they "
				    "belong to, not all",
				    p->rec_name);
	if (second == NULL || second[0] == '\0') {
		for (i = 0; i < p->nout; i++)
			p->out_copy[i] = 1;
		return FG_OK;
	}
	return infer_copies(p, second, err);
}

/* Is the output of index i one of the copy verified? */
static int of_copy(const struct plan *p, size_t i)
{
	return p->copy != 0 && i < p->nout && p->out_copy[i] == p->copy;
}

/* Do the files at a and b exist and are they one file? */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Which copy of p->rec the image given is: the copy whose outputs hold
 * its first file where they were written, else the only copy with a file
 * of its name, else the one whose folder has its folder's name; else not
 * known (0), said in a note. */
static unsigned copy_of_image(struct plan *p)
{
	const char *img = p->img->segs[0].path;
	unsigned by_name = 0, by_dir = 0;
	int names = 0, dirs = 0;
	char *idir = fg_path_dir(img);
	size_t i;

	for (i = 0; i < p->nout; i++) {
		const char *o = fg_record_array_str(p->rec, "outputs", i,
						    "path");
		char *odir;
		if (o == NULL)
			continue;
		if (same_file(o, img)) {
			free(idir);
			return p->out_copy[i];
		}
		if (strcmp(fg_path_base(o), fg_path_base(img)) != 0)
			continue;
		if (by_name != p->out_copy[i])
			names++;
		by_name = p->out_copy[i];
		odir = fg_path_dir(o);
		if (idir != NULL && odir != NULL &&
		    strcmp(fg_path_base(odir), fg_path_base(idir)) == 0) {
			if (by_dir != p->out_copy[i])
				dirs++;
			by_dir = p->out_copy[i];
		}
		free(odir);
	}
	free(idir);
	if (names == 1)
		return by_name;
	if (dirs == 1)
		return by_dir;
	NOTE(p, "%s names %u copies, and which of them %s is cannot be told "
		"(moved, and named alike): the record's outputs are not "
		"compared with its files",
	     p->rec_name, p->ncopies, fg_path_base(img));
	return 0;
}

/* ---- Gathering expectations --------------------------------------------- */

int fg_verify_load_sidecar(struct plan *p, const char *path, unsigned alg,
			   struct fg_error *ferr)
{
	struct fg_sidecar_entry *e = NULL;
	struct fg_error err;
	struct stat st;
	size_t n = 0, i;
	char *text = NULL;
	ssize_t got;
	size_t len;
	int fd, rc;

	fg_error_clear(&err);
	/* Anyone may plant a file beside the evidence: a FIFO or a device
	 * would block or never end, so only a regular file is read. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return FG_OK;
		return fg_error_set(ferr, FG_ESOURCE, errno,
				    "%s: cannot open the checksum file: %s",
				    path, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		int en = errno;

		close(fd);
		return fg_error_set(ferr, FG_ESOURCE, 0,
				    "%s: the checksum file beside the evidence "
				    "is not a regular file (%s)",
				    path,
				    S_ISFIFO(st.st_mode)  ? "a FIFO"
				    : S_ISDIR(st.st_mode) ? "a directory"
				    : S_ISCHR(st.st_mode) ? "a character device"
				    : S_ISBLK(st.st_mode) ? "a block device"
				    : S_ISSOCK(st.st_mode) ? "a socket"
				    : en != 0 ? strerror(en)
							  : "not a file");
	}
	text = malloc(MAX_SIDECAR_BYTES + 1);
	if (text == NULL) {
		close(fd);
		return FG_ENOMEM;
	}
	got = fg_fd_pread_full(fd, text, MAX_SIDECAR_BYTES + 1, 0);
	close(fd);
	if (got < 0) {
		free(text);
		return fg_error_set(ferr, FG_ESOURCE, errno,
				    "%s: cannot read the checksum file: %s",
				    path, strerror(errno));
	}
	len = (size_t)got;
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
	for (i = 0; i < n && !(p->o->stop != NULL && *p->o->stop); i++)
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
	if (n > FG_RECORD_MAX_OUTPUTS) {
		PROBLEM(p, "%s lists %zu output files, more than %u: its "
			   "outputs are not checked",
			p->rec_name, n, FG_RECORD_MAX_OUTPUTS);
		n = 0;
	}
	for (i = 0; i < n && !(p->o->stop != NULL && *p->o->stop); i++) {
		const char *path = fg_record_array_str(r, "outputs", i, "path");
		const char *md5 = fg_record_array_str(r, "outputs", i, "md5");
		const char *sha = fg_record_array_str(r, "outputs", i,
						      "sha256");
		int64_t size = -1;

		if (path == NULL || !of_copy(p, i))
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
	fg_error_clear(&e);
	if (fg_verify_map_copies(p, &e) != FG_OK) {
		if (e.code == FG_ENOMEM)
			return fg_error_set(err, FG_ENOMEM, ENOMEM,
					    "out of memory");
		NOTE(p, "%s; the record's outputs are not compared with the "
			"files",
		     e.msg);
		p->copy = 0;
	} else {
		p->copy = p->ncopies > 1 ? copy_of_image(p) : 1;
	}
	p->it->ncopies = p->ncopies;
	p->it->copy = p->copy;
	if (p->o->copy != 0 && p->copy != 0 && p->o->copy != p->copy)
		return fg_error_set(err, FG_EINVAL, 0,
				    "--copy %u: %s is copy %u of %s",
				    p->o->copy,
				    fg_path_base(p->img->segs[0].path),
				    p->copy, p->rec_name);
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

/* Which copy's files the folder dir holds (dir NULL: 0): the copy whose
 * first file dir holds where it was written, else the only copy whose
 * first file is in dir by name and was written in a folder of dir's name;
 * 1 when the record names one copy; else 0. */
static unsigned folder_copy(const struct plan *p, const char *dir)
{
	unsigned c, by_name = 0, names = 0;
	size_t i;

	if (dir == NULL)
		return 0;
	if (p->ncopies <= 1)
		return 1;
	for (c = 1; c <= p->ncopies; c++) {
		const char *o = NULL;
		char *cand, *odir;
		for (i = 0; i < p->nout && o == NULL; i++)
			if (p->out_copy[i] == c)
				o = fg_record_array_str(p->rec, "outputs", i,
							"path");
		if (o == NULL)
			continue;
		cand = fg_strdup_printf("%s/%s", dir, fg_path_base(o));
		odir = fg_path_dir(o);
		if (cand != NULL && same_file(cand, o)) {
			free(cand);
			free(odir);
			return c;
		}
		if (cand != NULL && odir != NULL && file_exists(cand) &&
		    strcmp(fg_path_base(odir), fg_path_base(dir)) == 0) {
			by_name = c;
			names++;
		}
		free(cand);
		free(odir);
	}
	return names == 1 ? by_name : 0;
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

/* Whether o, an output of another copy than the one in the record's
 * folder (copy beside, 0: none), is a file --second-output wrote: one of
 * the same name as a file of the copy beside the record, in another
 * folder.  Only such a file is read outside a record's folder. */
static int twin_output(const struct plan *p, unsigned beside, const char *o)
{
	size_t i;

	if (beside == 0)
		return 0;
	for (i = 0; i < p->nout; i++) {
		const char *q;

		if (p->out_copy[i] != beside)
			continue;
		q = fg_record_array_str(p->rec, "outputs", i, "path");
		if (q != NULL && strcmp(fg_path_base(q), fg_path_base(o)) == 0)
			return 1;
	}
	return 0;
}

/* Open the evidence the record p->rec names (its outputs); of several
 * copies, the files of copy p->copy.  A record file's are read beside it
 * (confined_output), except the files of a second copy written elsewhere
 * by the names of the copy beside it (twin_output), read where they were
 * written; a record from elsewhere's are looked for in dir, where they
 * were written, then in also, dir and also only when they hold that
 * copy. */
int fg_verify_open_record_evidence(struct plan *p, const char *dir,
				   const char *also, struct fg_error *err)
{
	const struct fg_record *r = p->rec;
	const char *format;
	char **paths = NULL;
	size_t n, i;
	int rc = FG_OK;

	unsigned dir_copy, also_copy;
	size_t k;

	n = fg_record_array_size(r, "outputs");
	if (n == 0) {
		const char *st = fg_record_get_str(r, "result.status");
		return fg_error_set(err, FG_ESOURCE, 0,
				    "%s lists no evidence files (result: %s)",
				    p->rec_name, st ? st : "unknown");
	}
	rc = fg_verify_map_copies(p, err);
	if (rc != FG_OK)
		return rc;
	p->copy = p->o->copy != 0 ? p->o->copy : 1;
	p->it->ncopies = p->ncopies;
	if (p->copy > p->ncopies)
		return fg_error_set(err, FG_EINVAL, 0,
				    "--copy %u: %s names %u cop%s", p->copy,
				    p->rec_name, p->ncopies,
				    p->ncopies == 1 ? "y" : "ies");
	p->it->copy = p->copy;
	p->it->all_copies = p->o->copy == 0 && p->ncopies > 1;
	dir_copy = folder_copy(p, dir);
	also_copy = folder_copy(p, also);
	paths = calloc(n, sizeof(*paths));
	if (paths == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	for (i = 0, k = n, n = 0; i < k; i++) {
		const char *o = fg_record_array_str(r, "outputs", i, "path");
		char looked[1024];

		if (!of_copy(p, i))
			continue;

		if (o == NULL) {
			rc = fg_error_set(err, FG_EFORMAT, 0,
					  "%s: outputs[%zu] has no path",
					  p->rec_name, i);
			goto out;
		}
		if (p->rec_dir != NULL &&
		    (dir_copy == p->copy || !twin_output(p, dir_copy, o))) {
			rc = confined_output(p, o, i, &paths[n], err);
			if (rc != FG_OK)
				goto out;
			n++;
			continue;
		}
		paths[n] = find_output(o, dir_copy == p->copy ? dir : NULL,
				       also_copy == p->copy ? also : NULL,
				       looked, sizeof(looked));
		if (paths[n++] == NULL) {
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
			PROBLEM(p, "%s names %zu segment files%s, the set "
				   "found from %s has %zu",
				p->rec_name, n,
				p->ncopies > 1 ? " of this copy" : "",
				fg_path_base(paths[0]), p->img->nsegs);
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
