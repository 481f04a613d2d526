/*
 * anchor.c - seals of the case database's event log and the audit of the
 * log against its anchors (see anchor.h).  A seal is a small JSON file:
 *
 *   {"seal_format": "forage-seal-1",
 *    "tool": {"name": "forage", "version": "0.1.0"},
 *    "case_db": {"path": "/cases/2026-041/case.db"},
 *    "chain": {"first_event_sha256": "...", "head_event": 42,
 *              "head_event_sha256": "..."},
 *    "cases": ["2026-041"], "sealed_utc": "...", "examiner": "..."}
 *
 * Beside it: SEAL.p7s, its CMS signature, and SEAL.tsr, an RFC 3161
 * time-stamp of it; the same three in the database's table seals
 * (docs/schema/seal.schema.json is the document's schema).  An anchor is
 * any pair of members NAME_event (an integer) and NAME_event_sha256 (64
 * hex digits) in such a file, in an acquisition record's case_db object,
 * or in a report's audit object (JSON, or HTML's <meta
 * name="forage-anchor">): the same rule finds the head of a seal, the
 * started/completed/read-back events of a record and a report's head.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include <forage/anchor.h>
#include <forage/record.h>
#include <forage/report.h>
#include <forage/sign.h>

#include "base/base_int.h"

#define SEAL_FORMAT "forage-seal-1"
#define REPORT_FORMAT "forage-report-1" /* report_json.c */
#define STORED " (stored in the database)"
#define HTML_ANCHOR_MARK FG_REPORT_HTML_ANCHOR
#define MAX_ANCHOR_FILE (64u << 20) /* as a record */
#define MAX_FOUND 10000             /* files looked at in the folders */

/* ---- the log's head ----------------------------------------------------- */

/* The head itself comes from the audit that precedes a seal (an intact
 * chain has ids 1..N without gaps); the first event and the cases are
 * read here. */
struct head {
	char first[65];
	json_t *cases;
};

/* The first event's hash, then stop the walk. */
static int note_first(void *ctx, const struct fg_casedb_event *e)
{
	struct head *h = ctx;

	fg_copy_str(h->first, sizeof(h->first),
		    e->sha256 != NULL ? e->sha256 : "");
	return 1;
}

static int note_case(void *ctx, const struct fg_casedb_case *c)
{
	struct head *h = ctx;

	return json_array_append_new(h->cases, json_string(c->case_id)) != 0;
}

/* ---- seals --------------------------------------------------------------- */

void fg_seal_result_free(struct fg_seal_result *r)
{
	if (r == NULL)
		return;
	free(r->path);
	free(r->sig_path);
	free(r->tsr_path);
	r->path = r->sig_path = r->tsr_path = NULL;
}

/* DB.seal-EVENT-STAMP.json, or with -2, -3, ... when a seal of the same
 * head was made in the same second (by another verb's --seal): a name
 * none of whose three files is there.  NULL when out of memory (or 99
 * seals of one head in one second). */
static char *seal_name(const char *db, int64_t event, const char *stamp)
{
	int i;

	for (i = 1; i < 100; i++) {
		char *p = i == 1 ? fg_strdup_printf("%s.seal-%lld-%s.json", db,
						    (long long)event, stamp)
				 : fg_strdup_printf("%s.seal-%lld-%s-%d.json",
						    db, (long long)event,
						    stamp, i);
		char *sig = p != NULL ? fg_strdup_printf("%s.p7s", p) : NULL;
		char *tsr = p != NULL ? fg_strdup_printf("%s.tsr", p) : NULL;
		int taken = sig == NULL || tsr == NULL || fg_path_taken(p) ||
			    fg_path_taken(sig) || fg_path_taken(tsr);
		free(sig);
		free(tsr);
		if (!taken || p == NULL)
			return p;
		free(p);
	}
	return NULL;
}

int fg_seal_make(struct fg_casedb *db, const struct fg_seal_opts *o,
		 struct fg_seal_result *r, struct fg_error *err)
{
	struct fg_casedb_audit au;
	struct head h;
	char utc[32], stamp[32], *abs = NULL, *text = NULL, *path = NULL;
	json_t *doc = NULL;
	unsigned char *tsr = NULL, *sig = NULL;
	size_t i, k, n, tsrlen = 0, siglen = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&h, 0, sizeof(h));
	memset(&au, 0, sizeof(au));
	if (fg_casedb_is_server(fg_casedb_path(db)))
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: sealing a case database on a "
				    "server is not supported yet (a seal is "
				    "written beside an SQLite case database)",
				    fg_casedb_path(db));
	rc = fg_casedb_audit(db, &au, err);
	if (rc != FG_OK)
		return rc; /* a broken chain is not sealed */
	h.cases = json_array();
	if (h.cases == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	rc = fg_casedb_events_each(db, NULL, note_first, &h, err);
	if (rc == 1 || rc == FG_OK)
		rc = fg_casedb_cases_each(db, note_case, &h, err);
	if (rc != FG_OK)
		goto out;
	if (au.events == 0) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: the event log is empty: nothing to "
				  "seal",
				  fg_casedb_path(db));
		goto out;
	}
	abs = fg_casedb_absolute(fg_casedb_path(db));
	fg_record_utc_now(utc, sizeof(utc));
	/* 2026-12-07T15:04:05Z -> 20261207T150405Z for the file name. */
	for (i = 0, k = 0; utc[i] != '\0' && k + 1 < sizeof(stamp); i++)
		if (utc[i] != '-' && utc[i] != ':')
			stamp[k++] = utc[i];
	stamp[k] = '\0';
	doc = json_pack("{s:s, s:{s:s, s:s}, s:{s:s?}, s:{s:s, s:I, s:s}, "
			"s:O, s:s, s:s}",
			"seal_format", SEAL_FORMAT, "tool", "name", "forage",
			"version",
			o->tool_version != NULL ? o->tool_version : "",
			"case_db", "path", abs, "chain", "first_event_sha256",
			h.first, "head_event", (json_int_t)au.events,
			"head_event_sha256", au.head_sha256, "cases", h.cases,
			"sealed_utc", utc, "examiner",
			o->examiner != NULL && o->examiner[0] != '\0'
				? o->examiner
				: FG_CASEDB_EXAMINER_UNKNOWN);
	text = doc != NULL ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
			   : NULL;
	path = seal_name(fg_casedb_path(db), au.events, stamp);
	if (text == NULL || path == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	n = strlen(text);
	text[n++] = '\n'; /* json_dumps leaves room for its NUL */
	/* The authority and the key first: a seal either is whole or is
	 * not written. */
	if (o->tsa_url != NULL)
		rc = fg_tsa_stamp(text, n, o->tsa_url, &tsr, &tsrlen, err);
	if (rc == FG_OK && o->key_path != NULL && o->cert_path != NULL)
		rc = fg_sign_detached_pass(text, n, o->key_path, o->cert_path,
					   o->pass, o->pass_ctx, &sig,
					   &siglen, err);
	if (rc != FG_OK)
		goto out;
	if ((sig != NULL &&
	     (r->sig_path = fg_strdup_printf("%s.p7s", path)) == NULL) ||
	    (tsr != NULL &&
	     (r->tsr_path = fg_strdup_printf("%s.tsr", path)) == NULL)) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	rc = fg_write_file_atomic(path, text, n, 0, err);
	if (rc == FG_OK && sig != NULL)
		rc = fg_write_file_atomic(r->sig_path, sig, siglen, 0, err);
	if (rc == FG_OK && tsr != NULL)
		rc = fg_write_file_atomic(r->tsr_path, tsr, tsrlen, 0, err);
	if (rc != FG_OK)
		goto out;
	if (tsr != NULL) {
		struct fg_tsa_info ti;
		struct fg_error e;
		fg_error_clear(&e);
		if (fg_tsa_check_mem(text, n, tsr, tsrlen, path, r->tsr_path,
				     NULL, &ti, &e) == FG_OK)
			fg_copy_str(r->ts_time, sizeof(r->ts_time), ti.time);
	}
	/* And the same bytes in the database. */
	{
		struct fg_casedb_seal st;
		memset(&st, 0, sizeof(st));
		st.name = fg_path_base(path);
		st.utc = utc;
		st.head_event = au.events;
		st.head_sha256 = au.head_sha256;
		st.document = text;
		st.document_len = n;
		st.signature = sig;
		st.signature_len = siglen;
		st.tsr = tsr;
		st.tsr_len = tsrlen;
		rc = fg_casedb_seal_add(db, &st, &r->stored, err);
		if (rc != FG_OK)
			goto out;
	}
	r->event = au.events;
	fg_copy_str(r->sha256, sizeof(r->sha256), au.head_sha256);
	r->path = path;
	path = NULL;
out:
	if (rc != FG_OK) {
		free(r->sig_path);
		free(r->tsr_path);
		r->sig_path = r->tsr_path = NULL;
	}
	free(tsr);
	free(sig);
	free(path);
	free(text);
	free(abs);
	json_decref(doc);
	json_decref(h.cases);
	return rc;
}

/* ---- anchors in files --------------------------------------------------- */

struct found {
	struct fg_anchor *a;
	size_t n;
};

static int is_sha256(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

static int add_anchor(struct found *f, const char *file, const char *kind,
		      int64_t event, const char *sha)
{
	struct fg_anchor *x = fg_grow(f->a, f->n + 1, sizeof(*f->a));

	if (x == NULL)
		return FG_ENOMEM;
	f->a = x;
	x = &f->a[f->n];
	memset(x, 0, sizeof(*x));
	x->file = strdup(file);
	if (x->file == NULL)
		return FG_ENOMEM;
	x->kind = kind;
	x->event = event;
	fg_copy_str(x->sha256, sizeof(x->sha256), sha);
	f->n++;
	return FG_OK;
}

/* Every NAME_event / NAME_event_sha256 pair in o and the objects in it,
 * depth-limited. */
static int pairs(struct found *f, const char *file, const char *kind,
		 json_t *o, int depth, size_t *nfound)
{
	const char *key;
	json_t *v;
	int rc;

	if (depth > 4 || !json_is_object(o))
		return FG_OK;
	json_object_foreach(o, key, v)
	{
		size_t kl = strlen(key);
		if (json_is_object(v)) {
			rc = pairs(f, file, kind, v, depth + 1, nfound);
			if (rc != FG_OK)
				return rc;
		} else if (json_is_integer(v) && kl > 6 &&
			   strcmp(key + kl - 6, "_event") == 0 &&
			   json_integer_value(v) > 0) {
			char sk[256];
			json_t *s;

			snprintf(sk, sizeof(sk), "%s_sha256", key);
			s = json_object_get(o, sk);
			if (json_is_string(s) &&
			    is_sha256(json_string_value(s))) {
				rc = add_anchor(f, file, kind,
						(int64_t)json_integer_value(v),
						json_string_value(s));
				if (rc != FG_OK)
					return rc;
				(*nfound)++;
			}
		}
	}
	return FG_OK;
}

/* Load a JSON file as an input (never a FIFO or a device, at most
 * MAX_ANCHOR_FILE bytes) into *out.  Returns FG_OK, FG_EINVAL, FG_EIO,
 * FG_ENOMEM. */
static int load_json(const char *path, json_t **out, struct fg_error *err)
{
	json_error_t je;
	struct stat st;
	FILE *fp;
	int fd, rc;

	*out = NULL;
	rc = fg_open_input(path, FG_OPEN_NOFOLLOW, &fd, err);
	if (rc != FG_OK)
		return rc;
	if (fstat(fd, &st) != 0 || st.st_size > (off_t)MAX_ANCHOR_FILE) {
		close(fd);
		return fg_error_set(err, FG_EINVAL, EFBIG,
				    "%s: larger than %u MiB: not an anchor "
				    "forage wrote",
				    path, MAX_ANCHOR_FILE >> 20);
	}
	fp = fdopen(fd, "r");
	if (fp == NULL) {
		close(fd);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	*out = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
	fclose(fp);
	if (*out == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: not JSON (line %d, column %d: %s)",
				    path, je.line, je.column, je.text);
	return FG_OK;
}

/* The database a seal or record names, or NULL. */
static const char *named_db(json_t *j)
{
	return json_string_value(json_object_get(
		json_object_get(j, "case_db"), "path"));
}

/* Anchors of one file: a seal or a record.  explicit: given by the user
 * (anything else is an error); otherwise a file found in a folder, taken
 * only when it is a seal or record naming db_abs (*other counts those
 * naming another database). */
static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);

	return a >= b && strcmp(s + a - b, tail) == 0;
}

static int slurp(const char *path, unsigned char **buf, size_t *len,
		 struct fg_error *err);

/* The anchor an HTML report carries (report.h, FG_REPORT_HTML_ANCHOR):
 * the JSON in its <meta name="forage-anchor">, into *out.  Returns FG_OK,
 * FG_EINVAL (none there, or not JSON), FG_EIO, FG_ENOMEM. */
static int load_html(const char *path, json_t **out, struct fg_error *err)
{
	static const char mark[] = HTML_ANCHOR_MARK;
	static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"},
		{"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
	unsigned char *buf = NULL;
	char *a, *b, *w, *start;
	size_t len = 0, k;
	int rc;

	*out = NULL;
	rc = slurp(path, &buf, &len, err);
	if (rc != FG_OK)
		return rc;
	a = buf != NULL ? strstr((char *)buf, mark) : NULL;
	b = a != NULL ? strchr(a + sizeof(mark) - 1, '"') : NULL;
	if (b != NULL) {
		/* The entities back to their characters, in place. */
		start = w = a += sizeof(mark) - 1;
		while (a < b) {
			for (k = 0; k < sizeof(ent) / sizeof(ent[0]); k++)
				if (strncmp(a, ent[k][0], strlen(ent[k][0])) ==
				    0)
					break;
			if (k < sizeof(ent) / sizeof(ent[0])) {
				*w++ = ent[k][1][0];
				a += strlen(ent[k][0]);
			} else {
				*w++ = *a++;
			}
		}
		*out = json_loadb(start, (size_t)(w - start),
				  JSON_REJECT_DUPLICATES, NULL);
	}
	free(buf);
	if (*out == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: no anchor of forage in this HTML "
				    "file",
				    path);
	return FG_OK;
}

/* Whether the database a verification names (its case_db.path) is db_abs:
 * verify writes the path it opened, relative when it was given so; a
 * relative one is taken from the folder of the file that holds it (where
 * a saved output of verify is looked for: the case folder). */
static int same_db(const char *named, const char *file, const char *db_abs)
{
	char *dir, *p, *abs;
	int same;

	if (named[0] == '/')
		return strcmp(named, db_abs) == 0;
	dir = fg_path_dir(file);
	p = dir != NULL ? fg_strdup_printf("%s/%s", dir, named) : NULL;
	abs = p != NULL ? fg_path_absolute(p) : NULL;
	same = abs != NULL && strcmp(abs, db_abs) == 0;
	free(abs);
	free(p);
	free(dir);
	return same;
}

/* The anchors of a saved `forage verify --json` (verify.schema.json): the
 * event each verification wrote to the log, in its case_db object (an
 * item verified without a database has none).  Found in a folder, only the
 * verifications naming db_abs are taken (*other counts a file with none of
 * them and some naming another database); given, every one, with a note
 * on those naming another. */
static int verify_anchors(struct found *f, const char *path, json_t *j,
			  const char *db_abs, int explicit, size_t *other,
			  struct fg_error *err)
{
	json_t *v;
	size_t i, n = 0, first, elsewhere = 0;
	int rc = FG_OK;

	json_array_foreach(json_object_get(j, "verifications"), i, v) {
		json_t *cd = json_object_get(v, "case_db");
		const char *named = json_string_value(json_object_get(cd, "path"));
		int same = named != NULL && same_db(named, path, db_abs);

		if (!same && named != NULL)
			elsewhere++;
		if (!explicit && !same)
			continue;
		first = f->n;
		rc = pairs(f, path, "verification", cd, 0, &n);
		if (rc != FG_OK)
			return fg_error_set(err, rc, ENOMEM, "out of memory");
		for (; !same && first < f->n; first++)
			snprintf(f->a[first].note, sizeof(f->a[first].note),
				 "it names the database %s",
				 named != NULL ? named : "(none)");
	}
	if (!explicit && n == 0 && elsewhere > 0)
		(*other)++;
	if (explicit && n == 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: this output of verify holds no event "
				    "of a case database's log",
				    path);
	return FG_OK;
}

static int anchors_of(struct found *f, const char *path, const char *db_abs,
		      int explicit, size_t *other, struct fg_error *err)
{
	struct fg_error e;
	const char *kind, *named;
	size_t n = 0, first = f->n;
	json_t *j;
	int rc;

	fg_error_clear(&e);
	rc = ends_with(path, ".html")
		     ? load_html(path, &j, explicit ? err : &e)
		     : load_json(path, &j, explicit ? err : &e);
	if (rc != FG_OK)
		return explicit || rc == FG_ENOMEM ? rc : FG_OK;
	if (json_is_string(json_object_get(j, "seal_format")))
		kind = "seal";
	else if (json_is_string(json_object_get(j, "record_format")))
		kind = "record";
	else if (strcmp(json_string_value(json_object_get(j, "format")) != NULL
				? json_string_value(json_object_get(j, "format"))
				: "",
			REPORT_FORMAT) == 0)
		kind = "report";
	else if (json_is_array(json_object_get(j, "verifications")) &&
		 json_is_object(json_object_get(j, "result"))) {
		rc = verify_anchors(f, path, j, db_abs, explicit, other, err);
		json_decref(j);
		return rc;
	} else
		kind = NULL;
	named = named_db(j);
	if (!explicit && (kind == NULL || named == NULL ||
			  strcmp(named, db_abs) != 0)) {
		if (kind != NULL && named != NULL)
			(*other)++;
		json_decref(j);
		return FG_OK;
	}
	if (kind == NULL) {
		json_decref(j);
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: neither a seal, an acquisition "
				    "record nor a JSON report of forage",
				    path);
	}
	rc = pairs(f, path, kind,
		   json_object_get(j, strcmp(kind, "seal") == 0     ? "chain"
				      : strcmp(kind, "report") == 0 ? "audit"
								    : "case_db"),
		   0, &n);
	if (rc == FG_OK && n == 0 && explicit)
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: this %s holds no event of a case "
				  "database's log",
				  path, kind);
	else if (rc != FG_OK)
		rc = fg_error_set(err, rc, ENOMEM, "out of memory");
	for (; rc == FG_OK && first < f->n; first++)
		if (named != NULL && strcmp(named, db_abs) != 0)
			snprintf(f->a[first].note, sizeof(f->a[first].note),
				 "it names the database %s", named);
	json_decref(j);
	return rc;
}

/* Seals and records under dir, depth levels down. */
static int scan(struct found *f, const char *dir, int depth,
		const char *db_abs, size_t *looked, size_t *other,
		struct fg_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = FG_OK;

	if (d == NULL)
		return FG_OK;
	while (rc == FG_OK && (de = readdir(d)) != NULL &&
	       *looked < MAX_FOUND) {
		struct stat st;
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = strcmp(dir, ".") == 0
			    ? strdup(de->d_name)
			    : fg_strdup_printf("%s/%s", dir, de->d_name);
		if (p == NULL) {
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
			break;
		}
		if (lstat(p, &st) != 0)
			st.st_mode = 0; /* gone meanwhile: neither */
		if (S_ISDIR(st.st_mode) && depth > 0)
			rc = scan(f, p, depth - 1, db_abs, looked, other, err);
		else if (S_ISREG(st.st_mode) &&
			 (ends_with(de->d_name, ".json") ||
			  ends_with(de->d_name, ".html"))) {
			(*looked)++;
			rc = anchors_of(f, p, db_abs, 0, other, err);
		}
		free(p);
	}
	closedir(d);
	return rc;
}

/* ---- signatures ---------------------------------------------------------- */

/* A whole file of at most MAX_ANCHOR_FILE bytes into *buf (malloc'd,
 * *len bytes); *buf NULL when nothing is there.  Returns FG_OK, FG_EINVAL,
 * FG_EIO, FG_ENOMEM (err says which file). */
static int slurp(const char *path, unsigned char **buf, size_t *len,
		 struct fg_error *err)
{
	struct stat st;
	ssize_t got;
	int fd, rc;

	*buf = NULL;
	*len = 0;
	if (!fg_path_taken(path))
		return FG_OK;
	rc = fg_open_input(path, FG_OPEN_NOFOLLOW, &fd, err);
	if (rc != FG_OK)
		return rc;
	if (fstat(fd, &st) != 0 || st.st_size > (off_t)MAX_ANCHOR_FILE) {
		close(fd);
		return fg_error_set(err, FG_EINVAL, EFBIG, "%s: too large",
				    path);
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (*buf == NULL) {
		close(fd);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	got = fg_fd_pread_full(fd, *buf, (size_t)st.st_size, 0);
	close(fd);
	if (got < 0) {
		free(*buf);
		*buf = NULL;
		return fg_error_set(err, FG_EIO, errno, "%s: %s", path,
				    strerror(errno));
	}
	(*buf)[got] = '\0';
	*len = (size_t)got;
	return FG_OK;
}

/* A seal's bytes: its document, signature and time-stamp (NULL: none),
 * and the names they are known by in messages. */
struct seal_bytes {
	const unsigned char *doc, *sig, *tsr;
	size_t doclen, siglen, tsrlen;
	const char *sig_name, *tsr_name;
};

/* x->sig and x->ts: whether the seal's signature and time-stamp, when it
 * has them, verify (the time-stamp of a seal whose signature fails is not
 * looked at); x->note why not. */
static void check_seal(struct fg_anchor *x, const struct seal_bytes *b,
		       const char *trust_cert, const char *tsa_cert)
{
	struct fg_sign_info info;
	struct fg_tsa_info ti;
	struct fg_error e;
	int rc;

	fg_error_clear(&e);
	if (b->sig != NULL) {
		rc = fg_sign_verify_mem(b->doc, b->doclen, b->sig, b->siglen,
					x->file, b->sig_name, trust_cert,
					&info, &e);
		x->sig = rc == FG_OK ? 1 : -1;
		x->signer_trusted = rc == FG_OK && trust_cert != NULL;
		if (rc == FG_OK)
			fg_copy_str(x->signer, sizeof(x->signer),
				    info.signer);
	}
	if (b->tsr != NULL && x->sig >= 0) {
		rc = fg_tsa_check_mem(b->doc, b->doclen, b->tsr, b->tsrlen,
				      x->file, b->tsr_name, tsa_cert, &ti, &e);
		x->ts = rc == FG_OK ? 1 : -1;
		x->tsa_trusted = rc == FG_OK && ti.trusted;
		fg_copy_str(x->ts_time, sizeof(x->ts_time), ti.time);
		fg_copy_str(x->tsa, sizeof(x->tsa), ti.tsa);
	}
	if (x->sig < 0 || x->ts < 0)
		fg_copy_str(x->note, sizeof(x->note), e.msg);
}

/* A seal file with its SEAL.p7s and SEAL.tsr beside it, read once (a file
 * changed between two reads cannot pass one check and fail another). */
struct seal_file {
	unsigned char *doc, *sig, *tsr;
	size_t doclen, siglen, tsrlen;
	char *sig_name, *tsr_name;
};

static void seal_file_free(struct seal_file *sf)
{
	free(sf->doc);
	free(sf->sig);
	free(sf->tsr);
	free(sf->sig_name);
	free(sf->tsr_name);
	memset(sf, 0, sizeof(*sf));
}

static int seal_file_read(const char *file, struct seal_file *sf,
			  struct fg_error *err)
{
	int rc;

	memset(sf, 0, sizeof(*sf));
	sf->sig_name = fg_strdup_printf("%s.p7s", file);
	sf->tsr_name = fg_strdup_printf("%s.tsr", file);
	if (sf->sig_name == NULL || sf->tsr_name == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	rc = slurp(file, &sf->doc, &sf->doclen, err);
	if (rc == FG_OK)
		rc = slurp(sf->sig_name, &sf->sig, &sf->siglen, err);
	if (rc == FG_OK)
		rc = slurp(sf->tsr_name, &sf->tsr, &sf->tsrlen, err);
	if (rc == FG_OK && sf->doc == NULL)
		rc = fg_error_set(err, FG_EINVAL, ENOENT, "%s: gone", file);
	return rc;
}

static int same_bytes(const void *a, size_t alen, const void *b, size_t blen)
{
	if (a == NULL || b == NULL)
		return a == NULL && b == NULL;
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* ---- seals stored in the database ------------------------------------------ */

struct stored {
	struct found *f;
	size_t nfiles;         /* the anchors read from files, before these */
	struct seal_file *files; /* their bytes, for the seals among them */
	const char *db_abs, *trust_cert, *tsa_cert;
	char problem[1024];
	struct fg_error *err;
};

/* One stored seal: nothing more when a seal file of its name holds the
 * same bytes (that file is checked); else an anchor of its own. */
static int stored_seal(void *ctx, const struct fg_casedb_seal *s)
{
	struct stored *c = ctx;
	struct found *f = c->f;
	struct seal_bytes b;
	json_error_t je;
	const char *named;
	char *display, *sig_name, *tsr_name;
	size_t i, first = f->n, n = 0;
	json_t *j;
	int rc;

	for (i = 0; i < c->nfiles; i++) {
		const struct seal_file *sf = &c->files[i];
		if (sf->doc == NULL ||
		    strcmp(fg_path_base(f->a[i].file), s->name) != 0)
			continue;
		if (same_bytes(sf->doc, sf->doclen, s->document,
			       s->document_len) &&
		    same_bytes(sf->sig, sf->siglen, s->signature,
			       s->signature_len) &&
		    same_bytes(sf->tsr, sf->tsrlen, s->tsr, s->tsr_len)) {
			if (f->a[i].note[0] == '\0')
				fg_copy_str(f->a[i].note, sizeof(f->a[i].note),
					    "also stored in the database");
			return 0;
		}
	}
	display = fg_strdup_printf("%s" STORED, s->name);
	sig_name = fg_strdup_printf("%s: its signature" STORED, s->name);
	tsr_name = fg_strdup_printf("%s: its time-stamp" STORED, s->name);
	if (display == NULL || sig_name == NULL || tsr_name == NULL) {
		rc = fg_error_set(c->err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	j = json_loadb(s->document, s->document_len, JSON_REJECT_DUPLICATES,
		       &je);
	if (j == NULL || !json_is_string(json_object_get(j, "seal_format"))) {
		snprintf(c->problem, sizeof(c->problem),
			 "the seal %s (row %lld of the table seals) is not a "
			 "seal document of forage",
			 display, (long long)s->id);
		json_decref(j);
		rc = 1;
		goto out;
	}
	rc = pairs(f, display, "seal", json_object_get(j, "chain"), 0, &n);
	named = named_db(j);
	memset(&b, 0, sizeof(b));
	b.doc = s->document;
	b.doclen = s->document_len;
	b.sig = s->signature;
	b.siglen = s->signature_len;
	b.tsr = s->tsr;
	b.tsrlen = s->tsr_len;
	b.sig_name = sig_name;
	b.tsr_name = tsr_name;
	for (; rc == FG_OK && first < f->n; first++) {
		struct fg_anchor *x = &f->a[first];
		x->stored = 1;
		check_seal(x, &b, c->trust_cert, c->tsa_cert);
		if (x->note[0] == '\0' && named != NULL &&
		    strcmp(named, c->db_abs) != 0)
			snprintf(x->note, sizeof(x->note),
				 "it names the database %s", named);
	}
	if (rc == FG_OK && n == 0) {
		snprintf(c->problem, sizeof(c->problem),
			 "the seal %s (row %lld of the table seals) names no "
			 "event of the log",
			 display, (long long)s->id);
		rc = 1;
	} else if (rc != FG_OK) {
		rc = fg_error_set(c->err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	json_decref(j);
out:
	free(display);
	free(sig_name);
	free(tsr_name);
	return rc;
}

/* ---- the audit ------------------------------------------------------------ */

/* In event order; at one event, by name (qsort is not stable: the same
 * anchors are listed in the same order every time). */
static int by_event(const void *a, const void *b)
{
	const struct fg_anchor *x = a, *y = b;

	if (x->event != y->event)
		return x->event < y->event ? -1 : 1;
	return strcmp(x->file, y->file);
}

/* What an anchor proves, for naming the one that anchors the log: a seal
 * time-stamped by an authority (dated by a third party), then a signed
 * seal, then any other (a record, a report, an unsigned seal). */
static int strength(const struct fg_anchor *x)
{
	return x->ts > 0 ? 2 : x->sig > 0 ? 1 : 0;
}

struct walk {
	struct fg_anchor_audit *au;
	size_t next;           /* the first anchor not yet met */
};

/* Each event against the anchors that name it (sorted by event). */
static int meet(void *ctx, const struct fg_casedb_event *e)
{
	struct walk *w = ctx;
	struct fg_anchor_audit *au = w->au;

	au->head = e->id;
	for (; w->next < au->n && au->a[w->next].event <= e->id; w->next++) {
		struct fg_anchor *x = &au->a[w->next];
		if (x->event < e->id)
			continue; /* a gap: the chain audit names it */
		if (e->sha256 == NULL || strcmp(x->sha256, e->sha256) != 0) {
			snprintf(au->problem, sizeof(au->problem),
				 "the %s %s says event %lld has SHA-256 %s; "
				 "the database's event %lld has %s: the log "
				 "was changed after the anchor was made",
				 x->kind, x->file, (long long)x->event,
				 x->sha256, (long long)e->id,
				 e->sha256 != NULL ? e->sha256 : "none");
			return 1;
		}
		if (x->sig >= 0 &&
		    (x->event > au->anchored ||
		     (au->by != NULL && x->event == au->anchored &&
		      strength(x) > strength(au->by)))) {
			au->anchored = x->event;
			au->by = x;
		}
	}
	return w->next == au->n ? 2 : 0; /* every anchor met: stop */
}

void fg_anchor_audit_free(struct fg_anchor_audit *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		free(a->a[i].file);
	free(a->a);
	memset(a, 0, sizeof(*a));
}

int fg_anchor_audit(struct fg_casedb *db, const char *const *files,
		    size_t nfiles, const char *trust_cert, const char *tsa_cert,
		    struct fg_anchor_audit *au, struct fg_error *err)
{
	struct found f;
	struct walk w;
	struct seal_file *sfs = NULL;
	char *abs = NULL, *dir = NULL;
	size_t i, looked = 0, nsf = 0;
	int rc = FG_OK, none = 0;

	memset(au, 0, sizeof(*au));
	memset(&f, 0, sizeof(f));
	abs = fg_casedb_absolute(fg_casedb_path(db));
	dir = fg_casedb_dir(fg_casedb_path(db), &none);
	if (abs == NULL || (dir == NULL && !none)) {
		rc = fg_error_set(err, FG_EIO, errno,
				  "%s: cannot resolve its folder: %s",
				  fg_casedb_path(db), strerror(errno));
		goto out;
	}
	for (i = 0; rc == FG_OK && i < nfiles; i++)
		rc = anchors_of(&f, files[i], abs, 1, &au->skipped, err);
	if (rc == FG_OK && dir != NULL)
		rc = scan(&f, dir, 2, abs, &looked, &au->skipped, err);
	if (rc != FG_OK)
		goto out;
	/* The same file found twice (given and found): keep one. */
	au->a = f.a;
	au->n = f.n;
	f.a = NULL;
	for (i = 0; i < au->n; i++) {
		size_t k;
		int dup = 0;
		for (k = 0; k < i && !dup; k++)
			dup = au->a[k].event == au->a[i].event &&
			      strcmp(au->a[k].sha256, au->a[i].sha256) == 0 &&
			      strcmp(fg_path_base(au->a[k].file),
				     fg_path_base(au->a[i].file)) == 0;
		if (dup) {
			free(au->a[i].file);
			au->a[i] = au->a[--au->n];
			i--;
			continue;
		}
	}
	/* Each seal file read once, checked; then the seals stored in the
	 * database that are not the same bytes as one of them. */
	sfs = au->n > 0 ? calloc(au->n, sizeof(*sfs)) : NULL;
	if (au->n > 0 && sfs == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	nsf = au->n;
	for (i = 0; i < nsf; i++) {
		struct seal_bytes b;
		if (strcmp(au->a[i].kind, "seal") != 0)
			continue;
		rc = seal_file_read(au->a[i].file, &sfs[i], err);
		if (rc != FG_OK)
			goto out;
		memset(&b, 0, sizeof(b));
		b.doc = sfs[i].doc;
		b.doclen = sfs[i].doclen;
		b.sig = sfs[i].sig;
		b.siglen = sfs[i].siglen;
		b.tsr = sfs[i].tsr;
		b.tsrlen = sfs[i].tsrlen;
		b.sig_name = sfs[i].sig_name;
		b.tsr_name = sfs[i].tsr_name;
		check_seal(&au->a[i], &b, trust_cert, tsa_cert);
	}
	{
		struct stored c;
		memset(&c, 0, sizeof(c));
		f.a = au->a;
		f.n = au->n;
		c.f = &f;
		c.nfiles = nsf;
		c.files = sfs;
		c.db_abs = abs;
		c.trust_cert = trust_cert;
		c.tsa_cert = tsa_cert;
		c.err = err;
		rc = fg_casedb_seals_each(db, stored_seal, &c, err);
		au->a = f.a;
		au->n = f.n;
		f.a = NULL;
		if (rc == 1) {
			fg_copy_str(au->problem, sizeof(au->problem),
				    c.problem);
			rc = fg_error_set(err, FG_EMISMATCH, 0, "%s",
					  au->problem);
		}
		if (rc != FG_OK)
			goto out;
	}
	if (au->n > 1)
		qsort(au->a, au->n, sizeof(*au->a), by_event);
	for (i = 0; i < au->n; i++)
		if (au->a[i].sig < 0 || au->a[i].ts < 0) {
			snprintf(au->problem, sizeof(au->problem),
				 "the seal %s: its %s does not verify: %s",
				 au->a[i].file,
				 au->a[i].sig < 0 ? "signature" : "time-stamp",
				 au->a[i].note);
			rc = fg_error_set(err, FG_EMISMATCH, 0, "%s",
					  au->problem);
			goto out;
		}
	w.au = au;
	w.next = 0;
	/* The log is read only as far as the last anchor, and not at all
	 * without one (the chain audit before has read it whole). */
	rc = au->n > 0 ? fg_casedb_events_each(db, NULL, meet, &w, err) : FG_OK;
	if (rc == 2)
		rc = FG_OK;
	if (rc == 1) {
		rc = fg_error_set(err, FG_EMISMATCH, 0, "%s", au->problem);
		goto out;
	}
	if (rc != FG_OK)
		goto out;
	if (w.next < au->n) {
		const struct fg_anchor *x = &au->a[au->n - 1];
		snprintf(au->problem, sizeof(au->problem),
			 "the %s %s names event %lld (SHA-256 %s), but the "
			 "database's log ends at event %lld: events were "
			 "removed after the anchor was made",
			 x->kind, x->file, (long long)x->event, x->sha256,
			 (long long)au->head);
		rc = fg_error_set(err, FG_EMISMATCH, 0, "%s", au->problem);
	}
out:
	for (i = 0; i < nsf; i++)
		seal_file_free(&sfs[i]);
	free(sfs);
	free(f.a);
	free(abs);
	free(dir);
	return rc;
}
