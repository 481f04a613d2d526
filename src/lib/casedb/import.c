/*
 * import.c - a case moved between databases (see casedb.h, "Moving a case
 * between databases"): checking an export file ("forage-case-export-1",
 * written by export.c) alone, and importing it (imported.c re-checks the
 * chains imported, at the import and in the audit).
 *
 * The file is untrusted: it is read one line at a time (at most
 * FG_CASE_EXPORT_LINE_MAX bytes), each line parsed on its own, and every
 * refusal names the file, the line, the byte offset and the cause.  One
 * walker (cx_walk) checks the layout and recomputes the chain from event
 * 1; the import runs it once, inside its transaction, with callbacks that
 * write, so the chain is checked before the first row is added and a
 * refusal anywhere rolls everything back.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "casedb/casedb_int.h"

/* ---- Reading the file -------------------------------------------------- */

struct cx_reader {
	FILE *f;
	const char *name;
	char *buf;
	size_t len, cap;
	int64_t line;      /* the current line's number, from 1 */
	uint64_t off;      /* byte offset of the current line */
	uint64_t next_off; /* byte offset of the next line */
};

static int cx_bad(struct cx_reader *r, struct fg_error *err, int code,
		  uint64_t at, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int cx_bad(struct cx_reader *r, struct fg_error *err, int code,
		  uint64_t at, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return fg_error_set(err, code, 0,
			    "case export %s: line %lld (byte offset %llu): %s",
			    r->name, (long long)r->line,
			    (unsigned long long)at, why);
}

/* The next line into r->buf (NUL-ended, without its line feed).  Returns
 * 1 with a line, 0 at the end of the file, or an FG_E* status. */
static int cx_read_line(struct cx_reader *r, struct fg_error *err)
{
	int c;

	r->len = 0;
	r->line++;
	r->off = r->next_off;
	while ((c = getc(r->f)) != EOF) {
		r->next_off++;
		if (c == '\n')
			break;
		if (r->len + 1 >= r->cap) {
			size_t ncap = r->cap ? r->cap * 2 : 4096;
			char *nb;
			if (r->len >= FG_CASE_EXPORT_LINE_MAX)
				return cx_bad(r, err, FG_EFORMAT, r->off,
					      "longer than %u bytes",
					      FG_CASE_EXPORT_LINE_MAX);
			if (ncap > FG_CASE_EXPORT_LINE_MAX + 1)
				ncap = FG_CASE_EXPORT_LINE_MAX + 1;
			nb = realloc(r->buf, ncap);
			if (nb == NULL)
				return cdb_oom(err);
			r->buf = nb;
			r->cap = ncap;
		}
		r->buf[r->len++] = (char)c;
	}
	if (ferror(r->f))
		return fg_error_set(err, FG_EIO, errno,
				    "case export %s: cannot read: %s", r->name,
				    strerror(errno));
	if (c == EOF && r->len == 0)
		return 0;
	if (r->buf == NULL) { /* an empty line */
		r->buf = malloc(1);
		if (r->buf == NULL)
			return cdb_oom(err);
		r->cap = 1;
	}
	r->buf[r->len] = '\0';
	return 1;
}

/* The current line as a JSON object into *out (the caller's). */
static int cx_parse(struct cx_reader *r, json_t **out, struct fg_error *err)
{
	json_error_t je;

	*out = json_loadb(r->buf, r->len, JSON_REJECT_DUPLICATES, &je);
	if (*out == NULL)
		return cx_bad(r, err, FG_EFORMAT, r->off + (uint64_t)je.position,
			      "not JSON: %s", je.text);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "not a JSON object");
	}
	return FG_OK;
}

/* A member that must be a string (or null when nullable). */
static int cx_str(struct cx_reader *r, json_t *o, const char *key,
		  int nullable, const char **v, struct fg_error *err)
{
	json_t *j = json_object_get(o, key);

	*v = NULL;
	if (nullable && (j == NULL || json_is_null(j)))
		return FG_OK;
	if (!json_is_string(j))
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "\"%s\" is missing or not a string", key);
	if (strlen(json_string_value(j)) != json_string_length(j))
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "\"%s\" holds a NUL byte", key);
	*v = json_string_value(j);
	return FG_OK;
}

/* A member that must be an integer >= min (or null when nullable: *v 0). */
static int cx_int(struct cx_reader *r, json_t *o, const char *key,
		  int nullable, int64_t min, int64_t *v, struct fg_error *err)
{
	json_t *j = json_object_get(o, key);

	*v = 0;
	if (nullable && (j == NULL || json_is_null(j)))
		return FG_OK;
	if (!json_is_integer(j) || json_integer_value(j) < min)
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "\"%s\" is missing or not an integer of at "
			      "least %lld",
			      key, (long long)min);
	*v = json_integer_value(j);
	return FG_OK;
}

static int is_sha256_hex(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

/* ---- The walker -------------------------------------------------------- */

/* One event of the file, checked. */
struct cx_event {
	int64_t id, subject_id;
	const char *utc, *kind, *examiner, *case_id, *evidence_id, *details,
		*prev_sha256, *sha256;
};

struct cx_walk {
	struct cx_reader r;
	struct fg_case_export_info *info;
	/* Called after the header, for each event, for each row; a status
	 * other than FG_OK stops the walk (NULL: nothing to do). */
	int (*on_header)(void *ctx, struct cx_reader *r,
			 struct fg_error *err);
	int (*on_event)(void *ctx, struct cx_reader *r,
			const struct cx_event *e, struct fg_error *err);
	int (*on_row)(void *ctx, struct cx_reader *r, const char *table,
		      json_t *row, struct fg_error *err);
	void *ctx;
};

/* The tables an export holds rows of. */
static const char *const cx_tables[] = {
	"cases", "evidence", "amendments", "acquisitions", "outputs",
	"media_hashes", "hash_windows", "bad_ranges", "verifications",
	"verification_hashes", "verification_diffs", "custody", NULL};

static int cx_header(struct cx_walk *w, json_t *o, struct fg_error *err)
{
	struct fg_case_export_info *in = w->info;
	const char *fmt, *cid, *dbp, *utc, *hsha;
	json_t *head = json_object_get(o, "head");
	int rc;

	rc = cx_str(&w->r, o, "format", 0, &fmt, err);
	if (rc != FG_OK)
		return rc;
	if (strcmp(fmt, FG_CASE_EXPORT_FORMAT) != 0)
		return cx_bad(&w->r, err, FG_EFORMAT, w->r.off,
			      "format is not \"%s\"; not a case export",
			      FG_CASE_EXPORT_FORMAT);
	if ((rc = cx_str(&w->r, o, "case_id", 0, &cid, err)) != FG_OK ||
	    (rc = cx_str(&w->r, o, "database", 1, &dbp, err)) != FG_OK ||
	    (rc = cx_str(&w->r, o, "exported_utc", 1, &utc, err)) != FG_OK ||
	    (rc = cx_int(&w->r, o, "schema_version", 0, 1,
			 &in->schema_version, err)) != FG_OK)
		return rc;
	if (*cid == '\0' || strlen(cid) >= sizeof(in->case_id))
		return cx_bad(&w->r, err, FG_EFORMAT, w->r.off,
			      "case_id is empty or longer than %zu bytes",
			      sizeof(in->case_id) - 1);
	if (in->schema_version > FG_CASEDB_SCHEMA_VERSION)
		return cx_bad(&w->r, err, FG_EFORMAT, w->r.off,
			      "schema version %lld: made by a newer forage",
			      (long long)in->schema_version);
	if (!json_is_object(head))
		return cx_bad(&w->r, err, FG_EFORMAT, w->r.off,
			      "\"head\" is missing or not an object");
	if ((rc = cx_int(&w->r, head, "id", 0, 0, &in->head_id, err)) !=
		    FG_OK ||
	    (rc = cx_str(&w->r, head, "sha256", 0, &hsha, err)) != FG_OK)
		return rc;
	if (in->head_id > 0 && !is_sha256_hex(hsha))
		return cx_bad(&w->r, err, FG_EFORMAT, w->r.off,
			      "head.sha256 is not 64 lowercase hex digits");
	snprintf(in->case_id, sizeof(in->case_id), "%s", cid);
	snprintf(in->database, sizeof(in->database), "%s", dbp ? dbp : "");
	snprintf(in->exported_utc, sizeof(in->exported_utc), "%s",
		 utc ? utc : "");
	snprintf(in->head_sha256, sizeof(in->head_sha256), "%s", hsha);
	return FG_OK;
}

/* One event line: its fields, its place in the chain, its hash. */
static int cx_event_line(struct cx_walk *w, json_t *ev, char *prev,
			 struct fg_error *err)
{
	struct cx_reader *r = &w->r;
	struct cx_event e;
	char hex[FG_HASH_HEX_MAX];
	int64_t want = w->info->events + 1;
	int rc;

	if (!json_is_object(ev))
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "\"event\" is not an object");
	memset(&e, 0, sizeof(e));
	if ((rc = cx_int(r, ev, "id", 0, 1, &e.id, err)) != FG_OK ||
	    (rc = cx_str(r, ev, "utc", 0, &e.utc, err)) != FG_OK ||
	    (rc = cx_str(r, ev, "kind", 0, &e.kind, err)) != FG_OK ||
	    (rc = cx_str(r, ev, "examiner", 0, &e.examiner, err)) != FG_OK ||
	    (rc = cx_str(r, ev, "case_id", 1, &e.case_id, err)) != FG_OK ||
	    (rc = cx_str(r, ev, "evidence_id", 1, &e.evidence_id, err)) !=
		    FG_OK ||
	    (rc = cx_int(r, ev, "subject_id", 1, 1, &e.subject_id, err)) !=
		    FG_OK ||
	    (rc = cx_str(r, ev, "details", 0, &e.details, err)) != FG_OK ||
	    (rc = cx_str(r, ev, "prev_sha256", 0, &e.prev_sha256, err)) !=
		    FG_OK ||
	    (rc = cx_str(r, ev, "sha256", 0, &e.sha256, err)) != FG_OK)
		return rc;
	if (e.id != want)
		return cx_bad(r, err, FG_EMISMATCH, r->off,
			      "event %lld is missing (the export goes from "
			      "event %lld to %lld): removed",
			      (long long)want, (long long)want - 1,
			      (long long)e.id);
	if (strcmp(e.prev_sha256, prev) != 0)
		return cx_bad(r, err, FG_EMISMATCH, r->off,
			      "event %lld: its prev_sha256 is not the sha256 "
			      "of event %lld: the chain is broken here",
			      (long long)e.id, (long long)e.id - 1);
	rc = cdb_event_sha256(e.id, e.utc, e.kind, e.examiner, e.case_id,
			      e.evidence_id, e.subject_id, e.details,
			      e.prev_sha256, hex, err);
	if (rc != FG_OK)
		return rc;
	if (strcmp(hex, e.sha256) != 0)
		return cx_bad(r, err, FG_EMISMATCH, r->off,
			      "event %lld (%s): its content does not match "
			      "its sha256: edited after it was written",
			      (long long)e.id, e.kind);
	if (e.id == 1)
		snprintf(w->info->root_sha256, sizeof(w->info->root_sha256),
			 "%.64s", hex);
	snprintf(prev, FG_HASH_HEX_MAX, "%s", hex);
	w->info->events++;
	return w->on_event != NULL ? w->on_event(w->ctx, r, &e, err) : FG_OK;
}

/* One row line: a table of an export, a row of plain values. */
static int cx_row_line(struct cx_walk *w, json_t *o, struct fg_error *err)
{
	struct cx_reader *r = &w->r;
	const char *table, *k;
	json_t *row = json_object_get(o, "row"), *v;
	size_t i;
	int rc;

	rc = cx_str(r, o, "table", 0, &table, err);
	if (rc != FG_OK)
		return rc;
	for (i = 0; cx_tables[i] != NULL; i++)
		if (strcmp(cx_tables[i], table) == 0)
			break;
	if (cx_tables[i] == NULL)
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "\"%.60s\" is not a table of a case export",
			      table);
	if (!json_is_object(row) || json_object_size(o) != 2)
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "a row line is {\"table\": ..., \"row\": {...}}");
	json_object_foreach(row, k, v) {
		const char *c;
		for (c = k; *c != '\0'; c++)
			if (!((*c >= 'a' && *c <= 'z') || *c == '_' ||
			      (*c >= '0' && *c <= '9')))
				break;
		if (*c != '\0' || *k == '\0' || c - k > 64 ||
		    strcmp(k, "rowid") == 0 || strcmp(k, "oid") == 0 ||
		    strcmp(k, "_rowid_") == 0)
			return cx_bad(r, err, FG_EFORMAT, r->off,
				      "%s: a column name that is not one "
				      "forage makes",
				      table);
		if (json_is_object(v) || json_is_array(v) ||
		    (json_is_string(v) &&
		     strlen(json_string_value(v)) != json_string_length(v)))
			return cx_bad(r, err, FG_EFORMAT, r->off,
				      "%s.%s: not a plain value", table, k);
	}
	w->info->rows++;
	return w->on_row != NULL ? w->on_row(w->ctx, r, table, row, err)
				 : FG_OK;
}

/* The events are over: the last one is the head the header named. */
static int cx_head(struct cx_walk *w, const char *prev, struct fg_error *err)
{
	struct fg_case_export_info *in = w->info;

	if (in->events == in->head_id &&
	    (in->events == 0 || strcmp(prev, in->head_sha256) == 0))
		return FG_OK;
	return cx_bad(&w->r, err, FG_EMISMATCH, w->r.off,
		      "the chain ends at event %lld (sha256 %.12s...), but the "
		      "export's head is event %lld (sha256 %.12s...): events "
		      "were removed or rewritten",
		      (long long)in->events, prev, (long long)in->head_id,
		      in->head_sha256);
}

/* The end line: the counts of what came before it. */
static int cx_end(struct cx_walk *w, json_t *end, struct fg_error *err)
{
	struct cx_reader *r = &w->r;
	int64_t ne = 0, nr = 0;

	if (!json_is_object(end) ||
	    cx_int(r, end, "events", 0, 0, &ne, err) != FG_OK ||
	    cx_int(r, end, "rows", 0, 0, &nr, err) != FG_OK)
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "the end line is not {\"end\": {\"events\": N, "
			      "\"rows\": M}}");
	if (ne != w->info->events || nr != w->info->rows)
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "the end line counts %lld events and %lld rows, "
			      "the file holds %lld and %lld",
			      (long long)ne, (long long)nr,
			      (long long)w->info->events,
			      (long long)w->info->rows);
	return FG_OK;
}

static int cx_walk_run(struct cx_walk *w, struct fg_error *err)
{
	struct cx_reader *r = &w->r;
	struct fg_case_export_info *in = w->info;
	char prev[FG_HASH_HEX_MAX];
	json_t *o = NULL;
	int rc, stage = 0; /* 0 header, 1 events, 2 rows, 3 end seen */

	memset(in, 0, sizeof(*in));
	snprintf(prev, sizeof(prev), "%s", CDB_ZERO_SHA256);
	while ((rc = cx_read_line(r, err)) == 1) {
		json_t *ev, *end;
		if (stage == 3) {
			rc = cx_bad(r, err, FG_EFORMAT, r->off,
				    "a line after the end line");
			break;
		}
		rc = cx_parse(r, &o, err);
		if (rc != FG_OK)
			break;
		ev = json_object_get(o, "event");
		end = json_object_get(o, "end");
		if (stage == 0) {
			rc = cx_header(w, o, err);
			if (rc == FG_OK && w->on_header != NULL)
				rc = w->on_header(w->ctx, r, err);
			stage = 1;
		} else if (ev != NULL && stage == 1 &&
			   json_object_size(o) == 1) {
			rc = cx_event_line(w, ev, prev, err);
		} else if (ev != NULL) {
			rc = cx_bad(r, err, FG_EFORMAT, r->off,
				    "an event line out of place (the events "
				    "come right after the first line)");
		} else if (end != NULL) {
			if (stage == 1) /* no rows: the head first */
				rc = cx_head(w, prev, err);
			if (rc == FG_OK)
				rc = cx_end(w, end, err);
			stage = 3;
		} else {
			if (stage == 1)
				rc = cx_head(w, prev, err);
			stage = 2;
			if (rc == FG_OK)
				rc = cx_row_line(w, o, err);
		}
		json_decref(o);
		o = NULL;
		if (rc != FG_OK)
			break;
	}
	json_decref(o);
	if (rc < 0)
		return rc;
	if (stage == 0)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "case export %s: empty", r->name);
	if (stage != 3)
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "cut short: the end line is missing");
	if (in->events == 0)
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "no event: a case has at least its "
			      "case-created event");
	return FG_OK;
}

static int cx_walk(struct cx_walk *w, FILE *f, const char *name,
		   struct fg_case_export_info *info, struct fg_error *err)
{
	int rc;

	w->r.f = f;
	w->r.name = name;
	w->info = info;
	rc = cx_walk_run(w, err);
	free(w->r.buf);
	w->r.buf = NULL;
	return rc;
}

int fg_case_export_check(FILE *f, const char *name,
			 struct fg_case_export_info *info,
			 struct fg_error *err)
{
	struct cx_walk w;

	memset(&w, 0, sizeof(w));
	return cx_walk(&w, f, name, info, err);
}

/* ---- Importing --------------------------------------------------------- */

struct importer {
	struct fg_casedb *db;
	struct fg_case_export_info *info;
	struct fg_casedb_import_result *res;
	int64_t import_id;
	int64_t pending;      /* an acquisition added as running, or 0 */
	char pending_status[32]; /* ... and the status it really has */
	int64_t pending_rows; /* ... and its detail rows added */
	int saw_case;         /* the export's cases row was there */
};

/* How a table's rows are added: their own id given anew (own), and the
 * column that names a row of another table, given anew too. */
static const struct {
	const char *table;
	int own;              /* 1: a new id, mapped; 2: id dropped */
	const char *ref, *ref_table;
} row_rules[] = {
	{"amendments", 1, NULL, NULL},
	{"acquisitions", 1, NULL, NULL},
	{"outputs", 2, "acquisition_id", "acquisitions"},
	{"media_hashes", 0, "acquisition_id", "acquisitions"},
	{"hash_windows", 0, "acquisition_id", "acquisitions"},
	{"bad_ranges", 2, "acquisition_id", "acquisitions"},
	{"verifications", 1, "acquisition_id", "acquisitions"},
	{"verification_hashes", 2, "verification_id", "verifications"},
	{"verification_diffs", 2, "verification_id", "verifications"},
	{"custody", 1, NULL, NULL},
};

static void bind_json(struct cdb_st *st, int i, json_t *v)
{
	if (json_is_string(v))
		cdb_bind_textn(st, i, json_string_value(v),
			       json_string_length(v));
	else if (json_is_integer(v))
		cdb_bind_i64(st, i, json_integer_value(v));
	else if (json_is_real(v))
		cdb_bind_double(st, i, json_real_value(v));
	else if (json_is_boolean(v))
		cdb_bind_i64(st, i, json_is_true(v) ? 1 : 0);
	else
		cdb_bind_null(st, i);
}

/* The acquisition added last gets its real status, now that its detail
 * rows are in (they can be added only while it is running). */
static int finish_pending(struct importer *im, struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc;

	if (im->pending == 0)
		return FG_OK;
	if (strcmp(im->pending_status, "running") == 0) {
		/* Its rows come only with its completion. */
		im->pending = 0;
		if (im->pending_rows > 0)
			return fg_error_set(err, FG_EFORMAT, 0,
					    "case export: an acquisition "
					    "still running has outputs or "
					    "hashes; nothing imported");
		return FG_OK;
	}
	rc = cdb_prep(im->db, &st,
		      "UPDATE acquisitions SET status = ?1 WHERE id = ?2", err);
	if (rc != FG_OK)
		return rc;
	cdb_bind_text(st, 1, im->pending_status);
	cdb_bind_i64(st, 2, im->pending);
	im->pending = 0;
	return cdb_step_done(im->db, st, "adding an imported acquisition",
			     err);
}

/* Add row of table (its rule: rule), its ids given anew; *new_id the row's
 * id here when it is mapped (own 1), else 0.  A new id is one more than
 * the highest, as write.c gives it (NEXT_ID there: SQLite's rowid, and on
 * PostgreSQL no id skipped by a rolled-back import); the import holds the
 * write lock, so the row of max(id) is the one just added. */
static int insert_row(struct importer *im, struct cx_reader *r,
		      const char *table, json_t *row, int own,
		      int64_t *new_id, struct fg_error *err)
{
	struct fg_buf sql = {NULL, 0, 0, 0};
	struct cdb_st *st = NULL;
	const char *k;
	json_t *v;
	int n = 0, rc;

	fg_buf_printf(&sql, "INSERT INTO %s(%s", table, own != 0 ? "id" : "");
	json_object_foreach(row, k, v) {
		if (own != 0 && strcmp(k, "id") == 0)
			continue;
		fg_buf_printf(&sql, "%s\"%s\"", n++ || own != 0 ? ", " : "",
			      k);
	}
	fg_buf_puts(&sql, ") VALUES (");
	if (own != 0)
		fg_buf_printf(&sql, "(SELECT coalesce(max(id), 0) + 1 FROM %s)%s",
			      table, n > 0 ? ", " : "");
	while (n-- > 0)
		fg_buf_puts(&sql, n ? "?, " : "?");
	fg_buf_puts(&sql, ")");
	fg_buf_put(&sql, "", 1);
	if (sql.failed) {
		free(sql.p);
		return cdb_oom(err);
	}
	rc = cdb_prep(im->db, &st, sql.p, err);
	if (rc == FG_EDB)
		rc = cx_bad(r, err, FG_EFORMAT, r->off,
			    "a %s row this database cannot take: %s", table,
			    cdb_errmsg(im->db));
	if (rc != FG_OK) {
		free(sql.p);
		return rc;
	}
	free(sql.p);
	n = 0;
	json_object_foreach(row, k, v) {
		if (own != 0 && strcmp(k, "id") == 0)
			continue;
		n++;
		if (strcmp(table, "acquisitions") == 0 &&
		    strcmp(k, "status") == 0)
			cdb_bind_text(st, n, "running");
		else
			bind_json(st, n, v);
	}
	rc = cdb_step(st);
	if (rc != CDB_DONE) {
		rc = cx_bad(r, err, FG_EFORMAT, r->off,
			    "a %s row refused by this database: %s", table,
			    cdb_errmsg(im->db));
		cdb_fin(st);
		return rc;
	}
	cdb_fin(st);
	*new_id = 0;
	if (own == 1) {
		char *q = fg_strdup_printf("SELECT max(id) FROM %s", table);
		if (q == NULL)
			return cdb_oom(err);
		rc = cdb_pragma_int(im->db, q, new_id, err);
		free(q);
		if (rc != FG_OK)
			return rc;
	}
	im->res->rows_added++;
	return FG_OK;
}

static int add_mapping(struct importer *im, const char *table,
		       int64_t source_id, int64_t target_id,
		       struct fg_error *err)
{
	struct cdb_st *st = NULL;
	int rc = cdb_prep(im->db, &st,
			  "INSERT INTO imported_rows(import_id, tbl, "
			  "source_id, target_id) VALUES (?, ?, ?, ?)",
			  err);

	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, im->import_id);
	cdb_bind_text(st, 2, table);
	cdb_bind_i64(st, 3, source_id);
	cdb_bind_i64(st, 4, target_id);
	return cdb_step_done(im->db, st, "recording an imported row", err);
}

/* A case or an evidence item already here is kept when it is the same
 * (every column equal), else the import is refused. */
static int same_or_new(struct importer *im, struct cx_reader *r,
		       const char *table, json_t *row, int *exists,
		       struct fg_error *err)
{
	const char *ev = json_string_value(json_object_get(row, "evidence_id"));
	json_t *here = NULL;
	int rc;

	*exists = 0;
	if (strcmp(table, "cases") == 0)
		rc = cdb_details_case(im->db, im->info->case_id, &here, err);
	else if (ev != NULL)
		rc = cdb_details_evidence(im->db, im->info->case_id, ev, &here,
					  err);
	else
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "an evidence row without evidence_id");
	if (rc != FG_OK || here == NULL)
		return rc;
	*exists = 1;
	rc = json_equal(here, row)
		     ? FG_OK
		     : cx_bad(r, err, FG_EEXIST, r->off,
			      "%s %s%s%s is already in %s and is another one "
			      "(created %s by %s there, %s by %s in the "
			      "export): not the same %s; nothing imported",
			      strcmp(table, "cases") == 0 ? "case"
							  : "evidence item",
			      ev != NULL ? ev : im->info->case_id,
			      ev != NULL ? " of case " : "",
			      ev != NULL ? im->info->case_id : "",
			      im->db->path,
			      json_string_value(json_object_get(here,
								"created_utc")),
			      json_string_value(json_object_get(here,
								"examiner")),
			      json_string_value(json_object_get(row,
								"created_utc")),
			      json_string_value(json_object_get(row,
								"examiner")),
			      strcmp(table, "cases") == 0 ? "case" : "item");
	json_decref(here);
	return rc;
}

static int im_event(void *ctx, struct cx_reader *r, const struct cx_event *e,
		    struct fg_error *err)
{
	struct importer *im = ctx;
	struct cdb_st *st = NULL;
	int rc;

	if (e->id == 1) {
		/* The same case from the same source chain, imported
		 * before? */
		rc = cdb_prep(im->db, &st,
			      "SELECT id, head_id, head_sha256, utc FROM "
			      "imports WHERE case_id = ?1 AND root_sha256 = ?2",
			      err);
		if (rc != FG_OK)
			return rc;
		cdb_bind_text(st, 1, im->info->case_id);
		cdb_bind_text(st, 2, im->info->root_sha256);
		if (cdb_step(st) == CDB_ROW) {
			long long n = cdb_col_i64(st, 0);
			long long h = cdb_col_i64(st, 1);
			if (cdb_col_text(st, 2) != NULL &&
			    strcmp(cdb_col_text(st, 2),
				   im->info->head_sha256) == 0)
				rc = fg_error_set(
				    err, FG_EEXIST, 0,
				    "case export %s: already imported into "
				    "%s (import %lld, on %s): the same case "
				    "up to the same head; nothing done",
				    r->name, im->db->path, n,
				    cdb_col_text(st, 3));
			else
				rc = fg_error_set(
				    err, FG_EEXIST, 0,
				    "case export %s: case %s from the same "
				    "source was imported into %s already "
				    "(import %lld, up to event %lld); a "
				    "later export of it cannot be imported "
				    "over it; nothing done",
				    r->name, im->info->case_id, im->db->path,
				    n, h);
			cdb_fin(st);
			return rc;
		}
		cdb_fin(st);
	}
	rc = cdb_prep(im->db, &st,
		      "INSERT INTO imported_events(import_id, id, utc, kind, "
		      "examiner, case_id, evidence_id, subject_id, details, "
		      "prev_sha256, sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		      err);
	if (rc != FG_OK)
		return rc;
	cdb_bind_i64(st, 1, im->import_id);
	cdb_bind_i64(st, 2, e->id);
	cdb_bind_text(st, 3, e->utc);
	cdb_bind_text(st, 4, e->kind);
	cdb_bind_text(st, 5, e->examiner);
	cdb_bind_text(st, 6, e->case_id);
	cdb_bind_text(st, 7, e->evidence_id);
	if (e->subject_id > 0)
		cdb_bind_i64(st, 8, e->subject_id);
	else
		cdb_bind_null(st, 8);
	cdb_bind_text(st, 9, e->details);
	cdb_bind_text(st, 10, e->prev_sha256);
	cdb_bind_text(st, 11, e->sha256);
	return cdb_step_done(im->db, st, "keeping the imported chain", err);
}

static int im_row(void *ctx, struct cx_reader *r, const char *table,
		  json_t *row, struct fg_error *err)
{
	struct importer *im = ctx;
	json_t *c = json_object_get(row, "case_id");
	int64_t src = 0, ref = 0, id = 0;
	size_t i;
	int rc, exists;

	if (c != NULL && !json_is_null(c) &&
	    (!json_is_string(c) ||
	     strcmp(json_string_value(c), im->info->case_id) != 0))
		return cx_bad(r, err, FG_EFORMAT, r->off,
			      "a %s row of another case than %s", table,
			      im->info->case_id);
	if (strcmp(table, "cases") == 0 || strcmp(table, "evidence") == 0) {
		if ((c == NULL || json_is_null(c)))
			return cx_bad(r, err, FG_EFORMAT, r->off,
				      "a %s row without case_id", table);
		rc = same_or_new(im, r, table, row, &exists, err);
		if (rc != FG_OK)
			return rc;
		if (strcmp(table, "cases") == 0)
			im->saw_case = 1;
		if (exists) {
			im->res->rows_kept++;
			if (strcmp(table, "cases") == 0)
				im->res->merged = 1;
			return FG_OK;
		}
		return insert_row(im, r, table, row, 0, &id, err);
	}
	for (i = 0; i < sizeof(row_rules) / sizeof(row_rules[0]); i++)
		if (strcmp(row_rules[i].table, table) == 0)
			break;
	if (i == sizeof(row_rules) / sizeof(row_rules[0]))
		return cx_bad(r, err, FG_EFORMAT, r->off, "table %s", table);
	if (row_rules[i].ref == NULL || strcmp(row_rules[i].ref_table,
					       "acquisitions") != 0 ||
	    strcmp(table, "verifications") == 0) {
		rc = finish_pending(im, err);
		if (rc != FG_OK)
			return rc;
	}
	if (row_rules[i].own == 1) {
		json_t *j = json_object_get(row, "id");
		if (!json_is_integer(j) || json_integer_value(j) < 1)
			return cx_bad(r, err, FG_EFORMAT, r->off,
				      "a %s row without its id", table);
		src = json_integer_value(j);
	}
	if (row_rules[i].ref != NULL) {
		json_t *j = json_object_get(row, row_rules[i].ref);
		if (json_is_integer(j)) {
			rc = cdb_import_map_id(im->db, im->import_id,
				    row_rules[i].ref_table,
				    json_integer_value(j), 0, &ref, err);
			if (rc != FG_OK)
				return rc;
		}
		if (ref == 0 && !(json_is_null(j) &&
				  strcmp(table, "verifications") == 0))
			return cx_bad(r, err, FG_EFORMAT, r->off,
				      "a %s row whose %s is not a row of the "
				      "export before it",
				      table, row_rules[i].ref);
		if (strcmp(row_rules[i].ref_table, "acquisitions") == 0 &&
		    strcmp(table, "verifications") != 0 && ref != im->pending)
			return cx_bad(r, err, FG_EFORMAT, r->off,
				      "a %s row not right after its "
				      "acquisition",
				      table);
		if (ref != 0)
			json_object_set_new(row, row_rules[i].ref,
					    json_integer(ref));
	}
	rc = insert_row(im, r, table, row, row_rules[i].own, &id, err);
	if (rc == FG_OK && row_rules[i].own == 1)
		rc = add_mapping(im, table, src, id, err);
	if (rc == FG_OK && strcmp(table, "acquisitions") == 0) {
		const char *status =
			json_string_value(json_object_get(row, "status"));
		snprintf(im->pending_status, sizeof(im->pending_status), "%s",
			 status ? status : "");
		im->pending = id;
		im->pending_rows = 0;
	} else if (rc == FG_OK && im->pending != 0) {
		im->pending_rows++;
	}
	return rc;
}

static int add_import_row(struct importer *im, const char *file,
			  struct fg_error *err)
{
	struct cdb_st *st = NULL;
	char utc[32];
	int rc = cdb_prep(im->db, &st,
			  "INSERT INTO imports(id, case_id, file, "
			  "source_database, source_schema_version, "
			  "exported_utc, root_sha256, head_id, head_sha256, "
			  "events, rows_added, merged, utc, examiner) VALUES "
			  "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			  err);

	if (rc != FG_OK)
		return rc;
	fg_record_utc_now(utc, sizeof(utc));
	cdb_bind_i64(st, 1, im->import_id);
	cdb_bind_text(st, 2, im->info->case_id);
	cdb_bind_text(st, 3, file);
	cdb_bind_text(st, 4, im->info->database);
	cdb_bind_i64(st, 5, im->info->schema_version);
	cdb_bind_text(st, 6, im->info->exported_utc);
	cdb_bind_text(st, 7, im->info->root_sha256);
	cdb_bind_i64(st, 8, im->info->head_id);
	cdb_bind_text(st, 9, im->info->head_sha256);
	cdb_bind_i64(st, 10, im->info->events);
	cdb_bind_i64(st, 11, im->res->rows_added);
	cdb_bind_i64(st, 12, im->res->merged);
	cdb_bind_text(st, 13, utc);
	cdb_bind_text(st, 14, im->db->examiner);
	return cdb_step_done(im->db, st, "recording the import", err);
}

static int import_run(struct importer *im, FILE *f, const char *path,
		      struct fg_error *err)
{
	struct cx_walk w;
	char problem[512];
	int64_t events = 0;
	json_t *d = NULL;
	int intact = 0, rc;

	rc = cdb_pragma_int(im->db,
			    "SELECT coalesce(max(id), 0) + 1 FROM imports",
			    &im->import_id, err);
	if (rc != FG_OK)
		return rc;
	memset(&w, 0, sizeof(w));
	w.on_event = im_event;
	w.on_row = im_row;
	w.ctx = im;
	rc = cx_walk(&w, f, path, im->info, err);
	if (rc == FG_OK)
		rc = finish_pending(im, err);
	if (rc == FG_OK && !im->saw_case)
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "case export %s: no row of case %s (table "
				  "cases)",
				  path, im->info->case_id);
	if (rc == FG_OK)
		rc = add_import_row(im, path, err);
	/* Each event of the case against the rows it recorded, here. */
	if (rc == FG_OK)
		rc = cdb_import_check(im->db, im->import_id, im->info->case_id,
				  im->info->head_id, im->info->head_sha256,
				  &events, &intact, problem, sizeof(problem),
				  err);
	if (rc == FG_OK && !intact)
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "case export %s: %s; nothing imported", path,
				  problem);
	/* And each row by an event. */
	if (rc == FG_OK)
		rc = cdb_uncovered(im->db, problem, sizeof(problem), err);
	if (rc == FG_OK && problem[0] != '\0')
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "case export %s: once imported, %s; nothing "
				  "imported",
				  path, problem);
	if (rc == FG_OK)
		rc = cdb_details_import(im->db, im->import_id, &d, err);
	if (rc == FG_OK)
		rc = cdb_event_append(im->db, "case-imported",
				      im->info->case_id, NULL, im->import_id,
				      d, err);
	if (rc == FG_OK) {
		im->res->import_id = im->import_id;
		im->res->event_id = im->db->last_event;
	}
	return rc;
}

int fg_casedb_case_import(struct fg_casedb *db, const char *path,
			  struct fg_case_export_info *info,
			  struct fg_casedb_import_result *res,
			  struct fg_error *err)
{
	struct importer im;
	struct stat sb;
	FILE *f;
	int fd, rc;

	memset(res, 0, sizeof(*res));
	memset(info, 0, sizeof(*info));
	/* Not blocking on a FIFO before it is known not to be a file. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fg_error_set(err, FG_EINVAL, errno,
				    "case export %s: cannot open: %s", path,
				    strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return fg_error_set(err, FG_EFORMAT, 0,
				    "case export %s: not a regular file",
				    path);
	}
	f = fdopen(fd, "rb");
	if (f == NULL) {
		close(fd);
		return cdb_oom(err);
	}
	memset(&im, 0, sizeof(im));
	im.db = db;
	im.info = info;
	im.res = res;
	rc = cdb_tx_begin(db, err);
	if (rc == FG_OK)
		rc = cdb_exec(db,
			      db->pg != NULL ? "SET CONSTRAINTS ALL DEFERRED"
					     : "PRAGMA defer_foreign_keys = ON",
			      "deferring foreign keys", err);
	if (rc == FG_OK)
		rc = import_run(&im, f, path, err);
	if (rc == FG_OK)
		rc = cdb_tx_commit(db, err);
	else
		cdb_tx_rollback(db);
	fclose(f);
	if (rc != FG_OK)
		memset(res, 0, sizeof(*res));
	return rc;
}
