/*
 * verify_plan.c - a case's re-verification cut into one task per evidence
 * item, for a batch system (see verify.h, "A plan"): the plan made from
 * the case database and written as a text file, read back, and what
 * became of each item, from the verifications the database recorded
 * since the plan was written.  Running a task is fg_verify_case_in with
 * the item's id: nothing here verifies.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <forage/casedb.h>
#include <forage/record.h>
#include <forage/verify.h>

#include "base/base_int.h"

/* Longest line a plan may hold, and most items: a plan forage wrote stays
 * far below both; anything beyond is not one. */
#define PLAN_LINE_MAX 65536
#define PLAN_ITEMS_MAX 1000000

void fg_verify_plan_free(struct fg_verify_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nitems; i++) {
		free(p->items[i].evidence_id);
		free(p->items[i].first_file);
	}
	free(p->items);
	for (i = 0; i < p->nnot_planned; i++)
		free(p->not_planned[i]);
	free(p->not_planned);
	free(p->case_db);
	free(p->case_id);
	free(p->search_dir);
	free(p->written_utc);
	free(p);
}

static int add_item(struct fg_verify_plan *p, const char *evidence_id,
		    int64_t acq, const char *first_file)
{
	struct fg_verify_plan_item *v =
	    fg_grow(p->items, p->nitems, sizeof(*v));

	if (v == NULL)
		return FG_ENOMEM;
	p->items = v;
	v = &p->items[p->nitems];
	memset(v, 0, sizeof(*v));
	v->task = (unsigned)p->nitems + 1;
	v->acquisition_id = acq;
	v->evidence_id = strdup(evidence_id);
	v->first_file = strdup(first_file);
	p->nitems++;
	return v->evidence_id != NULL && v->first_file != NULL ? FG_OK
							       : FG_ENOMEM;
}

static int add_not_planned(struct fg_verify_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int add_not_planned(struct fg_verify_plan *p, const char *fmt, ...)
{
	char **v = fg_grow(p->not_planned, p->nnot_planned, sizeof(*v));
	va_list ap;
	char *s = NULL;

	if (v == NULL)
		return FG_ENOMEM;
	p->not_planned = v;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s == NULL)
		return FG_ENOMEM;
	/* One line each in the plan. */
	for (char *c = s; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	v[p->nnot_planned++] = s;
	return FG_OK;
}

/* ---- Making a plan ------------------------------------------------------- */

struct make {
	struct fg_casedb *db;
	struct fg_error *err;
	/* The items, then per item its latest completed acquisition. */
	char **ids;
	int64_t *acq;
	size_t n;
	int found_case;
	const char *case_id;
	char *first;         /* outputs_each: the first output's path */
	int oom;
};

static int make_case(void *ctx, const struct fg_casedb_case *cs)
{
	struct make *m = ctx;

	if (strcmp(cs->case_id, m->case_id) == 0)
		m->found_case = 1;
	return 0;
}

static int make_item(void *ctx, const struct fg_casedb_evidence *e)
{
	struct make *m = ctx;
	char **ids = fg_grow(m->ids, m->n, sizeof(*ids));
	int64_t *acq = ids != NULL ? fg_grow(m->acq, m->n, sizeof(*acq))
				   : NULL;

	if (ids != NULL)
		m->ids = ids;
	if (acq != NULL)
		m->acq = acq;
	if (ids == NULL || acq == NULL ||
	    (m->ids[m->n] = strdup(e->evidence_id)) == NULL) {
		m->oom = 1;
		return FG_ENOMEM;
	}
	m->acq[m->n++] = 0;
	return 0;
}

static int make_acq(void *ctx, const struct fg_casedb_acquisition *a)
{
	struct make *m = ctx;
	size_t i;

	if (a->evidence_id == NULL || a->record_final == NULL ||
	    a->state == NULL ||
	    (strcmp(a->state, "success") != 0 &&
	     strcmp(a->state, "completed with errors") != 0))
		return 0;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->ids[i], a->evidence_id) == 0 && a->id > m->acq[i])
			m->acq[i] = a->id;
	return 0;
}

static int make_output(void *ctx, const struct fg_casedb_output *o)
{
	struct make *m = ctx;

	if (m->first != NULL || o->path == NULL)
		return 0;
	m->first = strdup(o->path);
	if (m->first == NULL) {
		m->oom = 1;
		return FG_ENOMEM;
	}
	return 0;
}

static int make_verif(void *ctx, const struct fg_casedb_verification_row *v)
{
	int64_t *max = ctx;

	if (v->id > *max)
		*max = v->id;
	return 0;
}

static int regular_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Where the first file written is now: in search_dir, where it was
 * written, beside the database (the order fg_verify_case_in looks in);
 * malloc'd, NULL when not found (*oom set when out of memory). */
static char *find_first(const char *written, const char *search_dir,
			const char *dbdir, int *oom)
{
	const char *base = fg_path_base(written);
	const char *dirs[3];
	size_t i;

	dirs[0] = search_dir;
	dirs[1] = NULL; /* as written */
	dirs[2] = dbdir;
	for (i = 0; i < 3; i++) {
		char *p;
		if (i != 1 && dirs[i] == NULL)
			continue;
		p = i == 1 ? strdup(written)
			   : fg_strdup_printf("%s/%s", dirs[i], base);
		if (p == NULL) {
			*oom = 1;
			return NULL;
		}
		if (regular_file(p))
			return p;
		free(p);
	}
	return NULL;
}

static int has_line_break(const char *s)
{
	return s != NULL && strpbrk(s, "\n\r") != NULL;
}

static int plan_items(struct make *m, struct fg_verify_plan *p,
		      const char *search_dir, const char *dbdir)
{
	size_t i;
	int rc;

	for (i = 0; i < m->n; i++) {
		char *at;
		int oom = 0;

		if (m->acq[i] == 0) {
			rc = add_not_planned(p, "%s: no completed acquisition "
					     "of this item is recorded",
					     m->ids[i]);
			if (rc != FG_OK)
				return rc;
			continue;
		}
		free(m->first);
		m->first = NULL;
		rc = fg_casedb_outputs_each(m->db, m->acq[i], make_output, m,
					    m->err);
		if (rc != FG_OK)
			return rc;
		if (m->oom)
			return FG_ENOMEM;
		if (m->first == NULL) {
			rc = add_not_planned(p, "%s: acquisition %" PRId64
					     " lists no output file",
					     m->ids[i], m->acq[i]);
			if (rc != FG_OK)
				return rc;
			continue;
		}
		at = find_first(m->first, search_dir, dbdir, &oom);
		if (oom)
			return FG_ENOMEM;
		if (at != NULL && (strchr(m->ids[i], '\t') != NULL ||
				   has_line_break(m->ids[i]) ||
				   has_line_break(at))) {
			rc = add_not_planned(p, "%s: its id or the path %s "
					     "holds a tab or a line break, "
					     "which a plan line cannot",
					     m->ids[i], at);
		} else if (at == NULL) {
			rc = add_not_planned(p, "%s: no evidence on disk: %s "
					     "of acquisition %" PRId64
					     " is not where it was written "
					     "(%s)%s%s, nor beside the case "
					     "database",
					     m->ids[i], fg_path_base(m->first),
					     m->acq[i], m->first,
					     search_dir ? " nor in " : "",
					     search_dir ? search_dir : "");
		} else {
			rc = add_item(p, m->ids[i], m->acq[i], at);
		}
		free(at);
		if (rc != FG_OK)
			return rc;
	}
	return FG_OK;
}

int fg_verify_plan_make(const char *path, const struct fg_verify_opts *o,
			const char *case_id, const char *search_dir,
			struct fg_verify_plan **out, struct fg_error *err)
{
	struct fg_verify_plan *p = calloc(1, sizeof(*p));
	struct make m;
	char now[32], *dbdir = NULL, *found = NULL;
	int none = 0;
	size_t i;
	int rc;

	*out = NULL;
	memset(&m, 0, sizeof(m));
	m.case_id = case_id;
	m.err = err;
	if (path == NULL)
		path = found = fg_casedb_find(".", NULL);
	if (p == NULL || path == NULL) {
		free(p);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	fg_record_utc_now(now, sizeof(now));
	p->case_db = fg_casedb_absolute(path);
	p->case_id = strdup(case_id);
	p->search_dir = search_dir ? fg_path_absolute(search_dir) : NULL;
	p->written_utc = strdup(now);
	dbdir = p->case_db ? fg_casedb_dir(p->case_db, &none) : NULL;
	if (p->case_db == NULL || p->case_id == NULL ||
	    (dbdir == NULL && !none) ||
	    (search_dir != NULL && p->search_dir == NULL) ||
	    p->written_utc == NULL) {
		rc = fg_error_set(err, errno == ENOMEM ? FG_ENOMEM : FG_EINVAL,
				  errno, "%s: %s",
				  p->case_db == NULL ? path : search_dir,
				  strerror(errno));
		goto out;
	}
	if (has_line_break(p->case_db) || has_line_break(p->case_id) ||
	    has_line_break(p->search_dir)) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "the case database's path, the case id or "
				  "the search folder holds a line break, "
				  "which a plan cannot hold");
		goto out;
	}
	rc = fg_casedb_open_stop(&m.db, p->case_db, FG_CASEDB_READONLY,
				 o->stop, err);
	if (rc == FG_OK)
		rc = fg_casedb_cases_each(m.db, make_case, &m, err);
	if (rc == FG_OK && !m.found_case)
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: the case database knows no case '%s'",
				  p->case_db, case_id);
	if (rc == FG_OK)
		rc = fg_casedb_evidence_each(m.db, case_id, make_item, &m, err);
	if (rc == FG_OK && !m.oom)
		rc = fg_casedb_acquisitions_each(m.db, case_id, NULL, 0,
						 make_acq, &m, err);
	/* Every verification of the database, not only the case's: a task
	 * records into this database, whichever case. */
	if (rc == FG_OK && !m.oom)
		rc = fg_casedb_verifications_each(m.db, NULL, NULL, make_verif,
						  &p->after_verification, err);
	if (rc == FG_OK && !m.oom)
		rc = plan_items(&m, p, p->search_dir, dbdir);
	if (rc == FG_ENOMEM || (rc == FG_OK && m.oom))
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	if (rc == FG_OK && p->nitems == 0)
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: nothing to plan: case '%s' has no "
				  "evidence item with evidence on disk%s%s",
				  p->case_db, case_id,
				  p->nnot_planned ? "; first: " : "",
				  p->nnot_planned ? p->not_planned[0] : "");
out:
	fg_casedb_close(m.db);
	for (i = 0; i < m.n; i++)
		free(m.ids[i]);
	free(m.ids);
	free(m.acq);
	free(m.first);
	free(dbdir);
	free(found);
	if (rc != FG_OK) {
		fg_verify_plan_free(p);
		return rc;
	}
	*out = p;
	return FG_OK;
}

/* ---- The file ------------------------------------------------------------ */

int fg_verify_plan_write(const struct fg_verify_plan *p, const char *path,
			 struct fg_error *err)
{
	struct fg_buf b = {NULL, 0, 0, 0};
	size_t i;
	int rc;

	fg_buf_printf(&b, "%s\n# case-db: %s\n# case: %s\n", FG_VERIFY_PLAN_MAGIC,
		      p->case_db, p->case_id);
	if (p->search_dir != NULL)
		fg_buf_printf(&b, "# search-dir: %s\n", p->search_dir);
	fg_buf_printf(&b, "# written: %s\n# after-verification: %" PRId64 "\n",
		      p->written_utc, p->after_verification);
	for (i = 0; i < p->nnot_planned; i++)
		fg_buf_printf(&b, "# not planned: %s\n", p->not_planned[i]);
	for (i = 0; i < p->nitems; i++) {
		const struct fg_verify_plan_item *v = &p->items[i];
		if (strchr(v->evidence_id, '\t') || has_line_break(v->evidence_id) ||
		    has_line_break(v->first_file)) {
			free(b.p);
			return fg_error_set(err, FG_EINVAL, 0,
					    "%s: item %u: a tab or line break "
					    "in its id or path",
					    path, v->task);
		}
		fg_buf_printf(&b, "%u\t%s\t%" PRId64 "\t%s\n", v->task,
			      v->evidence_id, v->acquisition_id,
			      v->first_file);
	}
	if (b.failed) {
		free(b.p);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	rc = fg_write_file_atomic(path, b.p, b.len, 0, err);
	free(b.p);
	return rc;
}

static int bad_line(const char *path, unsigned line, const char *why,
		    struct fg_error *err)
{
	return fg_error_set(err, FG_EINVAL, 0, "%s, line %u: %s", path, line,
			    why);
}

/* A header line "# key: value": set *field (once). */
static int header(struct fg_verify_plan *p, const char *s, int *oom)
{
	static const char *const keys[] = {"case-db", "case", "search-dir",
					   "written", "not planned"};
	char **fields[4];
	size_t i, k;

	fields[0] = &p->case_db;
	fields[1] = &p->case_id;
	fields[2] = &p->search_dir;
	fields[3] = &p->written_utc;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		k = strlen(keys[i]);
		if (strncmp(s, keys[i], k) != 0 || strncmp(s + k, ": ", 2) != 0)
			continue;
		s += k + 2;
		if (i == 4) {
			if (add_not_planned(p, "%s", s) != FG_OK)
				*oom = 1;
			return 0;
		}
		if (*fields[i] != NULL)
			return -1;
		*fields[i] = strdup(s);
		if (*fields[i] == NULL)
			*oom = 1;
		return 0;
	}
	if (strncmp(s, "after-verification: ", 20) == 0) {
		char *end;
		long long v;
		errno = 0;
		v = strtoll(s + 20, &end, 10);
		if (errno != 0 || *end != '\0' || end == s + 20 || v < 0)
			return -1;
		p->after_verification = v;
		return 0;
	}
	return 0; /* another comment */
}

/* "task<TAB>id<TAB>acquisition<TAB>path": the next item. */
static int item_line(struct fg_verify_plan *p, char *s)
{
	char *f[4], *end;
	unsigned long task;
	long long acq;
	size_t i;

	for (i = 0; i < 3; i++) {
		f[i] = s;
		s = strchr(s, '\t');
		if (s == NULL)
			return -1;
		*s++ = '\0';
	}
	f[3] = s;
	errno = 0;
	task = strtoul(f[0], &end, 10);
	if (errno != 0 || *end != '\0' || task != p->nitems + 1)
		return -1;
	acq = strtoll(f[2], &end, 10);
	if (errno != 0 || *end != '\0' || acq <= 0 || f[1][0] == '\0' ||
	    f[3][0] == '\0')
		return -1;
	return add_item(p, f[1], acq, f[3]) == FG_OK ? 0 : -2;
}

int fg_verify_plan_read(const char *path, struct fg_verify_plan **out,
			struct fg_error *err)
{
	struct fg_verify_plan *p = NULL;
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned n = 0;
	int rc = FG_OK, oom = 0;

	*out = NULL;
	f = fopen(path, "re");
	if (f == NULL)
		return fg_error_set(err, FG_EIO, errno, "%s: %s", path,
				    strerror(errno));
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		n++;
		if (len > PLAN_LINE_MAX) {
			rc = bad_line(path, n, "line too long for a plan", err);
			goto out;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if ((size_t)len != strlen(line)) {
			rc = bad_line(path, n, "a NUL byte", err);
			goto out;
		}
		if (n == 1) {
			if (strcmp(line, FG_VERIFY_PLAN_MAGIC) != 0) {
				rc = fg_error_set(err, FG_EINVAL, 0,
						  "%s: not a forage "
						  "verification plan (its "
						  "first line is not '%s')",
						  path, FG_VERIFY_PLAN_MAGIC);
				goto out;
			}
			continue;
		}
		if (line[0] == '\0')
			continue;
		if (strncmp(line, "# ", 2) == 0) {
			if (header(p, line + 2, &oom) != 0) {
				rc = bad_line(path, n, "a header given twice "
					      "or not a number", err);
				goto out;
			}
		} else if (p->nitems >= PLAN_ITEMS_MAX) {
			rc = bad_line(path, n, "too many items", err);
			goto out;
		} else {
			int r = item_line(p, line);
			if (r == -2)
				oom = 1;
			else if (r != 0) {
				rc = bad_line(path, n,
					      "not 'TASK<tab>EVIDENCE<tab>"
					      "ACQUISITION<tab>PATH' with "
					      "the next task number",
					      err);
				goto out;
			}
		}
		if (oom)
			break;
	}
	if (oom) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	if (ferror(f)) {
		rc = fg_error_set(err, FG_EIO, errno, "%s: reading: %s", path,
				  strerror(errno));
		goto out;
	}
	if (n == 0 || p->case_db == NULL || p->case_id == NULL ||
	    p->written_utc == NULL)
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: not a complete verification plan (it "
				  "lacks its first line, case-db, case or "
				  "written)",
				  path);
	else if (p->nitems == 0)
		rc = fg_error_set(err, FG_EINVAL, 0, "%s: the plan lists no "
				  "item", path);
out:
	free(line);
	fclose(f);
	if (rc != FG_OK) {
		fg_verify_plan_free(p);
		return rc;
	}
	*out = p;
	return FG_OK;
}

/* ---- What became of each item -------------------------------------------- */

/* The latest verification of one acquisition since the plan. */
struct latest {
	int64_t acq, id;
	char *result, *finished, *message;
};

struct states {
	const struct fg_verify_plan *p;
	const struct fg_verify_plan_item *item;
	struct latest *l;
	size_t n;
	unsigned count;
	int oom;
};

static void latest_clear(struct states *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->l[i].result);
		free(s->l[i].finished);
		free(s->l[i].message);
	}
	free(s->l);
	s->l = NULL;
	s->n = 0;
	s->count = 0;
}

static char *dup_or_null(const char *s, int *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*oom = 1;
	return d;
}

static int state_verif(void *ctx, const struct fg_casedb_verification_row *v)
{
	struct states *s = ctx;
	struct latest *l = NULL;
	size_t i;

	if (v->id <= s->p->after_verification)
		return 0;
	s->count++;
	for (i = 0; i < s->n; i++)
		if (s->l[i].acq == v->v.acquisition_id)
			l = &s->l[i];
	if (l == NULL) {
		l = fg_grow(s->l, s->n, sizeof(*l));
		if (l == NULL) {
			s->oom = 1;
			return FG_ENOMEM;
		}
		s->l = l;
		l = &s->l[s->n++];
		memset(l, 0, sizeof(*l));
		l->acq = v->v.acquisition_id;
	}
	/* Rows come in id order: the last one read is the latest. */
	free(l->result);
	free(l->finished);
	free(l->message);
	l->id = v->id;
	l->result = dup_or_null(v->v.result ? v->v.result : "error", &s->oom);
	l->finished = dup_or_null(v->v.finished_utc, &s->oom);
	l->message = dup_or_null(v->v.message, &s->oom);
	return s->oom ? FG_ENOMEM : 0;
}

static int rank(const char *result)
{
	return strcmp(result, "mismatch") == 0 ? 3
	       : strcmp(result, "match") == 0  ? 1
					       : 2;
}

int fg_verify_plan_states(const struct fg_verify_plan *p, const char *path,
			  const struct fg_verify_opts *o,
			  fg_verify_plan_state_fn fn, void *ctx,
			  struct fg_error *err)
{
	struct fg_casedb *db = NULL;
	struct states s;
	size_t i, k;
	int rc;

	memset(&s, 0, sizeof(s));
	s.p = p;
	rc = fg_casedb_open_stop(&db, path != NULL ? path : p->case_db,
				 FG_CASEDB_READONLY, o->stop, err);
	for (i = 0; rc == FG_OK && i < p->nitems; i++) {
		struct fg_verify_plan_state st;
		const struct latest *w = NULL;

		s.item = &p->items[i];
		rc = fg_casedb_verifications_each(db, p->case_id,
						  s.item->evidence_id,
						  state_verif, &s, err);
		if (rc == FG_ENOMEM || s.oom)
			rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
					  "out of memory");
		if (rc != FG_OK)
			break;
		for (k = 0; k < s.n; k++)
			if (w == NULL || rank(s.l[k].result) > rank(w->result) ||
			    (rank(s.l[k].result) == rank(w->result) &&
			     s.l[k].id > w->id))
				w = &s.l[k];
		memset(&st, 0, sizeof(st));
		st.item = s.item;
		st.nverifications = s.count;
		if (w != NULL) {
			st.result = w->result;
			st.verification_id = w->id;
			st.finished_utc = w->finished;
			st.message = w->message;
		}
		fn(ctx, &st);
		latest_clear(&s);
	}
	latest_clear(&s);
	fg_casedb_close(db);
	return rc;
}
