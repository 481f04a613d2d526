/*
 * record.c - the acquisition record as a JSON tree (jansson, the only JSON
 * library in forage), the coreutils sidecars and the atomic file writer
 * they all use; its text for a person is in record_text.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "record/record_int.h"

struct fg_record {
	json_t *root;
	char msg[FG_ERRMSG_MAX]; /* the last key refused */
};

/* Is key (a value of type, an FG_RT_* bit) in r's document?  A record
 * names its document in "record_format", set first; until then, as in a
 * record built to become an array's element, any document's key is
 * allowed, loosely (fg_record_key_find).  A key the table does not hold
 * is a programming error: it is refused with FG_EINVAL and said on
 * stderr, since a caller that ignores the status would otherwise lose the
 * fact without a word. */
static int key_ok(struct fg_record *r, const char *key, unsigned type)
{
	json_t *f = json_object_get(r->root, "record_format");
	unsigned doc = fg_record_doc_of_format(json_string_value(f));
	static const char *const tname[] = {"string", "integer", "boolean",
					    "null",   "object",	 "array"};
	size_t t;

	if (key != NULL &&
	    fg_record_key_find(key, doc != 0 ? doc : ~0u, type, doc == 0) !=
		NULL)
		return FG_OK;
	for (t = 0; t < 5 && !(type & (1u << t)); t++)
		;
	snprintf(r->msg, sizeof(r->msg),
		 "record: key \"%s\" (%s) is not in the key table of %s "
		 "(src/lib/record/record_keys.c)",
		 key != NULL ? key : "(null)", tname[t],
		 doc != 0 ? json_string_value(f) : "any document");
	fprintf(stderr, "forage: internal error: %s\n", r->msg);
	return FG_EINVAL;
}

int fg_record_new(struct fg_record **out)
{
	struct fg_record *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (r == NULL)
		return FG_ENOMEM;
	r->root = json_object();
	if (r->root == NULL) {
		free(r);
		return FG_ENOMEM;
	}
	*out = r;
	return FG_OK;
}

void fg_record_free(struct fg_record *r)
{
	if (r == NULL)
		return;
	json_decref(r->root);
	free(r);
}

/* The object that holds the last component of key, creating objects on the
 * way when create is set; *leaf points at the last component. */
static json_t *walk(json_t *root, const char *key, int create,
		    const char **leaf)
{
	json_t *cur = root;
	const char *p = key;
	const char *dot;

	while ((dot = strchr(p, '.')) != NULL) {
		char part[128];
		size_t n = (size_t)(dot - p);
		json_t *next;

		if (n == 0 || n >= sizeof(part))
			return NULL;
		memcpy(part, p, n);
		part[n] = '\0';
		next = json_object_get(cur, part);
		if (next == NULL) {
			if (!create)
				return NULL;
			next = json_object();
			if (next == NULL || json_object_set_new(cur, part, next))
				return NULL;
		}
		if (!json_is_object(next))
			return NULL;
		cur = next;
		p = dot + 1;
	}
	*leaf = p;
	return cur;
}

static int set_value(struct fg_record *r, const char *key, unsigned type,
		     json_t *v)
{
	const char *leaf;
	json_t *obj;

	if (v == NULL)
		return FG_ENOMEM;
	if (key_ok(r, key, type) != FG_OK) {
		json_decref(v);
		return FG_EINVAL;
	}
	obj = walk(r->root, key, 1, &leaf);
	if (obj == NULL) {
		json_decref(v);
		return FG_EINVAL;
	}
	return json_object_set_new(obj, leaf, v) == 0 ? FG_OK : FG_ENOMEM;
}

int fg_record_set_str(struct fg_record *r, const char *key, const char *v)
{
	return set_value(r, key, FG_RT_STR,
			 v != NULL ? json_string(v) : json_null());
}

int fg_record_set_int(struct fg_record *r, const char *key, int64_t v)
{
	return set_value(r, key, FG_RT_INT, json_integer((json_int_t)v));
}

int fg_record_set_bool(struct fg_record *r, const char *key, int v)
{
	return set_value(r, key, FG_RT_BOOL, json_boolean(v));
}

int fg_record_set_null(struct fg_record *r, const char *key)
{
	return set_value(r, key, FG_RT_NULL, json_null());
}

/* The array at key, created on first use, for elements of type (FG_RT_*):
 * the table holds the elements as "key[]". */
static json_t *array_at(struct fg_record *r, const char *key, unsigned type)
{
	char k[160];
	const char *leaf;
	json_t *obj, *arr;

	snprintf(k, sizeof(k), "%s[]", key);
	if (key_ok(r, k, type) != FG_OK)
		return NULL;
	obj = walk(r->root, key, 1, &leaf);
	if (obj == NULL)
		return NULL;
	arr = json_object_get(obj, leaf);
	if (arr == NULL) {
		arr = json_array();
		if (arr == NULL || json_object_set_new(obj, leaf, arr) != 0)
			return NULL;
	}
	return json_is_array(arr) ? arr : NULL;
}

int fg_record_append_str(struct fg_record *r, const char *key, const char *v)
{
	json_t *arr = array_at(r, key, FG_RT_STR);

	if (arr == NULL)
		return FG_EINVAL;
	return json_array_append_new(arr, json_string(v)) == 0 ? FG_OK
							       : FG_ENOMEM;
}

int fg_record_add_bad_range(struct fg_record *r, uint64_t lba, uint64_t count)
{
	json_t *arr = array_at(r, "bad_ranges", FG_RT_OBJECT);

	if (arr == NULL)
		return FG_EINVAL;
	return json_array_append_new(
		       arr, json_pack("{s:I,s:I}", "first_lba",
				      (json_int_t)lba, "count",
				      (json_int_t)count)) == 0
		       ? FG_OK
		       : FG_ENOMEM;
}

int fg_record_add_output(struct fg_record *r, const struct fg_outfile *f)
{
	json_t *arr = array_at(r, "outputs", FG_RT_OBJECT);

	if (arr == NULL)
		return FG_EINVAL;
	return json_array_append_new(
		       arr, json_pack("{s:s,s:I,s:s,s:s}", "path", f->path,
				      "size", (json_int_t)f->size, "md5",
				      f->md5, "sha256", f->sha256)) == 0
		       ? FG_OK
		       : FG_ENOMEM;
}

int fg_record_add_output_copy(struct fg_record *r, const struct fg_outfile *f,
			      unsigned copy)
{
	json_t *arr;
	int rc;

	if (key_ok(r, "outputs[].copy", FG_RT_INT) != FG_OK)
		return FG_EINVAL;
	rc = fg_record_add_output(r, f);
	if (rc != FG_OK)
		return rc;
	arr = array_at(r, "outputs", FG_RT_OBJECT);
	return arr != NULL &&
		       json_object_set_new(
			   json_array_get(arr, json_array_size(arr) - 1),
			   "copy", json_integer((json_int_t)copy)) == 0
		   ? FG_OK
		   : FG_ENOMEM;
}

json_t *fg_record_root(const struct fg_record *r)
{
	return r->root;
}

const char *fg_record_errmsg(const struct fg_record *r)
{
	return r->msg;
}

void fg_record_utc_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *fg_record_json_at(json_t *root, const char *key)
{
	const char *leaf;
	json_t *obj = walk(root, key, 0, &leaf);

	return obj != NULL ? json_object_get(obj, leaf) : NULL;
}

static json_t *get_at(const struct fg_record *r, const char *key)
{
	return fg_record_json_at(r->root, key);
}

const char *fg_record_get_str(const struct fg_record *r, const char *key)
{
	json_t *v = get_at(r, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int fg_record_get_int(const struct fg_record *r, const char *key, int64_t *v)
{
	json_t *j = get_at(r, key);

	if (!json_is_integer(j))
		return FG_EINVAL;
	*v = (int64_t)json_integer_value(j);
	return FG_OK;
}

int fg_record_get_bool(const struct fg_record *r, const char *key, int *v)
{
	json_t *j = get_at(r, key);

	if (!json_is_boolean(j))
		return FG_EINVAL;
	*v = json_is_true(j) ? 1 : 0;
	return FG_OK;
}

const char *fg_record_get_array_str(const struct fg_record *r,
				    const char *key, size_t i)
{
	json_t *a = get_at(r, key);

	if (!json_is_array(a))
		return NULL;
	return json_string_value(json_array_get(a, i));
}

int fg_record_load(struct fg_record **out, const char *path,
		   struct fg_error *err)
{
	json_error_t je;
	json_t *root;
	struct fg_record *r;
	struct stat st;
	FILE *f;
	int fd, rc;

	*out = NULL;
	/* A FIFO or a device planted at the name must not block the run or
	 * feed it endless bytes; a file beside the evidence may be anything:
	 * a record is never read past what one can be. */
	rc = fg_open_input(path, 0, &fd, err);
	if (rc != FG_OK)
		return rc == FG_ENOMEM ? rc : FG_EFORMAT;
	if (fstat(fd, &st) == 0 && (uint64_t)st.st_size > FG_RECORD_MAX_BYTES) {
		close(fd);
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: %llu bytes, more than a record can "
				    "be (%llu MiB); not read",
				    path, (unsigned long long)st.st_size,
				    (unsigned long long)(FG_RECORD_MAX_BYTES >>
							 20));
	}
	/* Through stdio: jansson reads a descriptor a byte a read(2), which
	 * took 24 s for a record of 10 MB. */
	f = fdopen(fd, "r");
	if (f == NULL) {
		int e = errno;
		close(fd);
		return fg_error_set(err, FG_ENOMEM, e, "%s: %s", path,
				    strerror(e));
	}
	root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (root == NULL)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: not a forage record: line %d, "
				    "column %d: %s",
				    path, je.line, je.column, je.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: not a forage record: top level is "
				    "not an object",
				    path);
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		json_decref(root);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	r->root = root;
	*out = r;
	return FG_OK;
}

char *fg_record_dump(const struct fg_record *r)
{
	return json_dumps(r->root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

char *fg_record_dump_at(const struct fg_record *r, const char *key)
{
	json_t *v = get_at(r, key);

	if (v == NULL)
		return NULL;
	return json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
				 JSON_ENCODE_ANY);
}

/* ---- Atomic files ------------------------------------------------------- */

int fg_record_write_json(const struct fg_record *r, const char *path,
			 int replace, struct fg_error *err)
{
	char *text = fg_record_dump(r);
	size_t n;
	int rc;

	if (text == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	n = strlen(text);
	/* One line feed at the end, as text files have. */
	{
		char *t2 = realloc(text, n + 2);
		if (t2 == NULL) {
			free(text);
			return fg_error_set(err, FG_ENOMEM, ENOMEM,
					    "out of memory");
		}
		text = t2;
		text[n++] = '\n';
		text[n] = '\0';
	}
	rc = fg_write_file_atomic(path, text, n, replace, err);
	free(text);
	return rc;
}

/* ---- Coreutils sidecars ------------------------------------------------- */

int fg_sidecar_write(const char *path, unsigned alg,
		     const struct fg_outfile *files, size_t nfiles,
		     struct fg_error *err)
{
	struct fg_buf b = {NULL, 0, 0, 0};
	size_t i;
	int rc;

	if (alg != FG_HASH_MD5 && alg != FG_HASH_SHA256)
		return fg_error_set(err, FG_EINVAL, 0,
				    "sidecar: unsupported algorithm");
	for (i = 0; i < nfiles; i++) {
		const char *name = strrchr(files[i].path, '/');
		const char *hex =
			alg == FG_HASH_MD5 ? files[i].md5 : files[i].sha256;

		name = name != NULL ? name + 1 : files[i].path;
		if (strpbrk(name, "\\\n") != NULL) {
			free(b.p);
			return fg_error_set(err, FG_EINVAL, 0,
					    "%s: file name has a backslash "
					    "or new line; not written to a "
					    "checksum file",
					    files[i].path);
		}
		fg_buf_printf(&b, "%s  %s\n", hex, name);
	}
	if (b.failed) {
		free(b.p);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	rc = fg_write_file_atomic(path, b.p != NULL ? b.p : "", b.len, 0, err);
	free(b.p);
	return rc;
}

/* ---- More reading and nesting (verify) ----------------------------------- */

/* A parsed document as a record, or the parse error named. */
static int adopt(struct fg_record **out, json_t *root, const json_error_t *je,
		 const char *name, struct fg_error *err)
{
	struct fg_record *r;

	*out = NULL;
	if (root == NULL)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: not a forage record: line %d, "
				    "column %d: %s",
				    name, je->line, je->column, je->text);
	if (!json_is_object(root)) {
		json_decref(root);
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: not a forage record: top level is "
				    "not an object",
				    name);
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		json_decref(root);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	r->root = root;
	*out = r;
	return FG_OK;
}

int fg_record_parse(struct fg_record **out, const char *text, size_t len,
		    const char *name, struct fg_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);

	return adopt(out, root, &je, name, err);
}

static json_t *array_elem(const struct fg_record *r, const char *key,
			  size_t i, const char *field)
{
	json_t *a = get_at(r, key);
	json_t *e;

	if (!json_is_array(a))
		return NULL;
	e = json_array_get(a, i);
	if (field == NULL || e == NULL)
		return e;
	return json_is_object(e) ? json_object_get(e, field) : NULL;
}

size_t fg_record_array_size(const struct fg_record *r, const char *key)
{
	json_t *a = get_at(r, key);

	return json_is_array(a) ? json_array_size(a) : 0;
}

const char *fg_record_array_str(const struct fg_record *r, const char *key,
				size_t i, const char *field)
{
	json_t *v = array_elem(r, key, i, field);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int fg_record_array_int(const struct fg_record *r, const char *key, size_t i,
			const char *field, int64_t *v)
{
	json_t *j = array_elem(r, key, i, field);

	if (!json_is_integer(j))
		return FG_EINVAL;
	*v = (int64_t)json_integer_value(j);
	return FG_OK;
}

int fg_record_append_record(struct fg_record *r, const char *key,
			    const struct fg_record *item)
{
	json_t *arr = array_at(r, key, FG_RT_OBJECT);
	json_t *copy;

	if (arr == NULL)
		return FG_EINVAL;
	copy = json_deep_copy(item->root);
	if (copy == NULL)
		return FG_ENOMEM;
	return json_array_append_new(arr, copy) == 0 ? FG_OK : FG_ENOMEM;
}

int fg_record_set_record(struct fg_record *r, const char *key,
			 const struct fg_record *item)
{
	return set_value(r, key, FG_RT_OBJECT, json_deep_copy(item->root));
}
