/* test_casedb.c - the case database: opening and refusing (new, reopened,
 * non-SQLite, empty, corrupt, newer schema, read-only, missing), cases and
 * evidence created on first use, an acquisition from start to end through
 * records (outputs, media hashes, hash windows, bad ranges), verifications,
 * custody, the canonical event content and the hash chain, the audit, an
 * interrupted run, and the JSON export. */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <forage/casedb.h>
#include <forage/hash.h>
#include <forage/record.h>

#include "casedb/casedb_int.h"
#include "unit.h"

static const char zeros[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* SHA-256 of a whole file (to prove a refused file was not touched). */
static void file_sha(const char *path, char hex[FG_HASH_HEX_MAX])
{
	char h[FG_NHASH][FG_HASH_HEX_MAX];
	struct fg_error err;
	uint64_t size;

	hex[0] = '\0';
	if (fg_hash_file(path, FG_HASH_SHA256, h, &size, &err) == FG_OK)
		snprintf(hex, FG_HASH_HEX_MAX, "%s", h[0]);
}

static void write_bytes(const char *path, const void *data, size_t len,
			long off)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	if (fd < 0 || pwrite(fd, data, len, off) != (ssize_t)len) {
		perror(path);
		exit(99);
	}
	close(fd);
}

/* A small finished record, as the engine would leave it. */
static struct fg_record *make_record(const char *case_id, const char *ev,
				     const char *status)
{
	struct fg_record *r = NULL;
	struct fg_outfile f;
	char host[256] = "";

	if (fg_record_new(&r) != FG_OK)
		exit(99);
	fg_record_set_str(r, "tool.name", "forage");
	fg_record_set_str(r, "tool.version", "0.1.0");
	/* This host: a reader can then tell whether the run still lives. */
	if (gethostname(host, sizeof(host)) != 0)
		exit(99);
	host[sizeof(host) - 1] = '\0';
	fg_record_set_str(r, "run.host", host);
	fg_record_set_str(r, "run.command_line", "forage acquire src -o HD1");
	fg_record_set_str(r, "run.started_utc", "2026-11-25T13:00:00Z");
	fg_record_set_str(r, "case.case_id", case_id);
	fg_record_set_str(r, "case.evidence_id", ev);
	fg_record_set_str(r, "case.description", "a test disk");
	fg_record_set_str(r, "source.path", "/dev/sdz");
	fg_record_set_str(r, "source.kind", "block device");
	fg_record_set_int(r, "source.size", 10240);
	fg_record_set_int(r, "source.total_size", 10240);
	fg_record_set_int(r, "source.offset", 0);
	fg_record_set_int(r, "source.logical_sector_size", 512);
	fg_record_set_int(r, "source.physical_sector_size", 4096);
	fg_record_set_str(r, "source.model", "TESTDISK 1");
	fg_record_set_null(r, "source.serial");
	fg_record_set_str(r, "parameters.format", "raw");
	fg_record_set_bool(r, "parameters.no_write_block", 0);
	fg_record_set_str(r, "write_block.state", "read-only flag set");
	fg_record_set_str(r, "result.status", "running");
	if (status == NULL)
		return r;
	fg_record_set_str(r, "run.finished_utc", "2026-11-25T13:00:05Z");
	fg_record_set_int(r, "run.duration_seconds", 5);
	fg_record_set_str(r, "result.status", status);
	fg_record_set_int(r, "result.exit_code", 3);
	fg_record_set_int(r, "reading.bytes", 10240);
	fg_record_set_int(r, "reading.sectors_filled", 3);
	fg_record_set_str(r, "hashes.md5", "0123456789abcdef0123456789abcdef");
	fg_record_set_str(r, "hashes.sha256", zeros);
	fg_record_set_int(r, "hashes.bytes", 10240);
	fg_record_set_int(r, "hash_windows.size", 4096);
	fg_record_append_str(r, "hash_windows.sha256", "aa");
	fg_record_append_str(r, "hash_windows.sha256", "bb");
	fg_record_append_str(r, "hash_windows.sha256", "cc");
	fg_record_add_bad_range(r, 7, 2);
	fg_record_add_bad_range(r, 12, 1);
	memset(&f, 0, sizeof(f));
	f.path = "HD1.raw";
	f.size = 10240;
	snprintf(f.md5, sizeof(f.md5), "%s",
		 "0123456789abcdef0123456789abcdef");
	snprintf(f.sha256, sizeof(f.sha256), "%s", zeros);
	fg_record_add_output(r, &f);
	return r;
}

static void test_open_new(void)
{
	struct fg_casedb *db = NULL;
	struct fg_error err;
	char *c = NULL;
	int64_t n = 0;

	fg_error_clear(&err);
	/* Missing without CREATE: refused, nothing made. */
	CHECK(fg_casedb_open(&db, "case.db", 0, &err) == FG_EDB);
	CHECK(strstr(err.msg, "does not exist") != NULL);
	CHECK(access("case.db", F_OK) != 0);
	CHECK(fg_casedb_open(&db, "case.db", FG_CASEDB_READONLY, &err) ==
	      FG_EDB);
	CHECK(access("case.db", F_OK) != 0);
	CHECK_MSG(fg_casedb_open(&db, "case.db", FG_CASEDB_CREATE, &err) ==
			  FG_OK,
		  &err);
	CHECK_STR(fg_casedb_path(db), "case.db");
	CHECK(fg_casedb_only_case(db, &c, &n, &err) == FG_OK && c == NULL &&
	      n == 0);
	fg_casedb_close(db);
	/* Reopened: still fine, in both modes. */
	CHECK_MSG(fg_casedb_open(&db, "case.db", 0, &err) == FG_OK, &err);
	fg_casedb_close(db);
	CHECK_MSG(fg_casedb_open(&db, "case.db", FG_CASEDB_READONLY, &err) ==
			  FG_OK,
		  &err);
	fg_casedb_close(db);
	/* The header says which schema and whose file: user_version at
	 * offset 60, application_id at 68, both big-endian. */
	{
		unsigned char h[100];
		FILE *f = fopen("case.db", "rb");
		CHECK(f != NULL && fread(h, 1, 100, f) == 100);
		if (f)
			fclose(f);
		CHECK(h[60] == 0 && h[61] == 0 && h[62] == 0 &&
		      h[63] == FG_CASEDB_SCHEMA_VERSION);
		CHECK(h[68] == 'F' && h[69] == 'G' && h[70] == 'D' &&
		      h[71] == 'B');
		/* WAL mode is recorded in the header (bytes 18, 19 = 2). */
		CHECK(h[18] == 2 && h[19] == 2);
	}
	/* An empty file is a new database. */
	CHECK(close(open("empty.db", O_CREAT | O_WRONLY, 0644)) == 0);
	CHECK_MSG(fg_casedb_open(&db, "empty.db", FG_CASEDB_CREATE, &err) ==
			  FG_OK,
		  &err);
	fg_casedb_close(db);
	{
		char *p = fg_casedb_default_path("/cases/2026-041/HD1");
		CHECK_STR(p, "/cases/2026-041/case.db");
		free(p);
		p = fg_casedb_default_path("HD1");
		CHECK_STR(p, "case.db");
		free(p);
	}
}

static void test_refused(void)
{
	static const char text[] = "This is not a database, it is a note.\n";
	struct fg_casedb *db = NULL;
	struct fg_error err;
	char before[FG_HASH_HEX_MAX], after[FG_HASH_HEX_MAX];
	unsigned char v99[4] = {0, 0, 0, 99};
	char page[512];

	fg_error_clear(&err);
	/* Not SQLite: named, untouched, no -wal/-shm beside it. */
	write_bytes("note.db", text, sizeof(text) - 1, 0);
	file_sha("note.db", before);
	CHECK(fg_casedb_open(&db, "note.db", FG_CASEDB_CREATE, &err) ==
	      FG_EDB);
	CHECK(db == NULL);
	CHECK(strstr(err.msg, "note.db: not an SQLite database") != NULL);
	file_sha("note.db", after);
	CHECK_STR(after, before);
	CHECK(access("note.db-wal", F_OK) != 0);
	CHECK(access("note.db-shm", F_OK) != 0);
	{
		/* Long enough to have a header, but not SQLite's. */
		char junk[4096];
		memset(junk, 'x', sizeof(junk));
		write_bytes("junk.db", junk, sizeof(junk), 0);
		CHECK(fg_casedb_open(&db, "junk.db", 0, &err) == FG_EDB);
		CHECK(strstr(err.msg, "begins 78 78 78") != NULL);
	}
	/* A folder is not a database. */
	CHECK(mkdir("dir.db", 0755) == 0);
	CHECK(fg_casedb_open(&db, "dir.db", FG_CASEDB_CREATE, &err) ==
	      FG_EDB);
	CHECK(strstr(err.msg, "not a regular file") != NULL);

	/* A newer schema: refused for writing and reading, untouched. */
	CHECK(fg_casedb_open(&db, "new.db", FG_CASEDB_CREATE, &err) == FG_OK);
	fg_casedb_close(db);
	write_bytes("new.db", v99, 4, 60);
	file_sha("new.db", before);
	CHECK(fg_casedb_open(&db, "new.db", FG_CASEDB_CREATE, &err) ==
	      FG_EDB);
	CHECK(strstr(err.msg, "schema version 99 was made by a newer "
			      "forage") != NULL);
	CHECK(fg_casedb_open(&db, "new.db", FG_CASEDB_READONLY, &err) ==
	      FG_EDB);
	file_sha("new.db", after);
	CHECK_STR(after, before);

	/* Corrupt: a page overwritten with garbage. */
	CHECK(fg_casedb_open(&db, "bad.db", FG_CASEDB_CREATE, &err) == FG_OK);
	CHECK(fg_casedb_case_ensure(db, "C1", NULL, NULL, &err) == FG_OK);
	fg_casedb_close(db);
	memset(page, 0xa5, sizeof(page));
	write_bytes("bad.db", page, sizeof(page), 4096 + 8);
	file_sha("bad.db", before);
	CHECK(fg_casedb_open(&db, "bad.db", 0, &err) == FG_EDB);
	CHECK(strstr(err.msg, "damaged") != NULL);
	file_sha("bad.db", after);
	CHECK_STR(after, before);

	/* Read-only (mode 0444): refused for writing even as root, readable
	 * for list/show/audit. */
	CHECK(fg_casedb_open(&db, "ro.db", FG_CASEDB_CREATE, &err) == FG_OK);
	fg_casedb_close(db);
	CHECK(chmod("ro.db", 0444) == 0);
	file_sha("ro.db", before);
	CHECK(fg_casedb_open(&db, "ro.db", FG_CASEDB_CREATE, &err) == FG_EDB);
	CHECK(strstr(err.msg, "ro.db: read-only (mode 0444)") != NULL);
	CHECK_MSG(fg_casedb_open(&db, "ro.db", FG_CASEDB_READONLY, &err) ==
			  FG_OK,
		  &err);
	/* A read-only handle never writes. */
	CHECK(db != NULL && fg_casedb_case_ensure(db, "C", NULL, NULL,
						  &err) == FG_ESTATE);
	fg_casedb_close(db);
	file_sha("ro.db", after);
	CHECK_STR(after, before);
}

static void test_cases(void)
{
	struct fg_casedb *db = NULL;
	struct fg_error err;
	int created = -1;
	char *c = NULL;
	int64_t n = 0;

	fg_error_clear(&err);
	CHECK(fg_casedb_open(&db, "case.db", FG_CASEDB_CREATE, &err) == FG_OK);
	if (db == NULL)
		return;
	CHECK(fg_casedb_case_ensure(db, "", NULL, NULL, &err) == FG_EINVAL);
	CHECK(fg_casedb_case_ensure(db, "2026-041", "burglary", &created,
				    &err) == FG_OK &&
	      created == 1);
	CHECK(fg_casedb_case_ensure(db, "2026-041", "other", &created,
				    &err) == FG_OK &&
	      created == 0);
	CHECK(fg_casedb_only_case(db, &c, &n, &err) == FG_OK && n == 1);
	CHECK_STR(c, "2026-041");
	free(c);
	/* The item makes its case on first use. */
	CHECK(fg_casedb_evidence_ensure(db, "2026-042", "HD1", "disk",
					&created, &err) == FG_OK &&
	      created == 1);
	CHECK(fg_casedb_evidence_ensure(db, "2026-042", "HD1", NULL, &created,
					&err) == FG_OK &&
	      created == 0);
	CHECK(fg_casedb_only_case(db, &c, &n, &err) == FG_OK && c == NULL &&
	      n == 2);
	fg_casedb_close(db);
}

struct acq_seen {
	int n;
	char state[32], status[32], md5[64], case_id[32];
	int never, exit_code;
	uint64_t bytes;
};

static int see_acq(void *ctx, const struct fg_casedb_acquisition *a)
{
	struct acq_seen *s = ctx;

	s->n++;
	snprintf(s->state, sizeof(s->state), "%s", a->state);
	snprintf(s->status, sizeof(s->status), "%s", a->status);
	snprintf(s->md5, sizeof(s->md5), "%s", a->md5 ? a->md5 : "");
	snprintf(s->case_id, sizeof(s->case_id), "%s",
		 a->case_id ? a->case_id : "(null)");
	s->never = a->never_completed;
	s->exit_code = a->exit_code;
	s->bytes = a->bytes;
	return 0;
}

static int count_output(void *ctx, const struct fg_casedb_output *o)
{
	(void)o;
	(*(int *)ctx)++;
	return 0;
}

static int count_custody(void *ctx, const struct fg_casedb_custody *c)
{
	(void)c;
	(*(int *)ctx)++;
	return 0;
}

static int count_verif(void *ctx,
		       const struct fg_casedb_verification_row *v)
{
	(void)v;
	(*(int *)ctx)++;
	return 0;
}

static int see_bad(void *ctx, const struct fg_casedb_bad_range *b)
{
	char *s = ctx;
	size_t k = strlen(s);

	snprintf(s + k, 256 - k, "%llu+%llu ", (unsigned long long)b->first_lba,
		 (unsigned long long)b->count);
	return 0;
}

static int see_window(void *ctx, const struct fg_casedb_window *w)
{
	char *s = ctx;
	size_t k = strlen(s);

	snprintf(s + k, 256 - k, "%llu:%llu:%llu:%s ",
		 (unsigned long long)w->index, (unsigned long long)w->offset,
		 (unsigned long long)w->length, w->hex);
	return 0;
}

/* Recompute every event's sha256 from the header's definition. */
struct chain {
	char prev[FG_HASH_HEX_MAX];
	int n, bad;
};

static int check_link(void *ctx, const struct fg_casedb_event *e)
{
	struct chain *c = ctx;
	struct fg_hash *h = NULL;
	struct fg_error err;
	char hex[FG_HASH_HEX_MAX];
	size_t len;
	char *canon = fg_casedb_event_canonical(
		e->id, e->utc, e->kind, e->examiner, e->case_id,
		e->evidence_id, e->subject_id, e->details, e->prev_sha256,
		&len);

	c->n++;
	if (canon == NULL || fg_hash_new(&h, FG_HASH_SHA256, &err) != FG_OK) {
		c->bad++;
		free(canon);
		return 0;
	}
	fg_hash_update(h, canon, len);
	fg_hash_final(h, hex);
	fg_hash_free(h);
	free(canon);
	if (strcmp(hex, e->sha256) != 0 || strcmp(c->prev, e->prev_sha256) != 0
	    || e->id != c->n || strcmp(e->examiner, "Jo Smith") != 0)
		c->bad++;
	snprintf(c->prev, sizeof(c->prev), "%s", e->sha256);
	return 0;
}

static void test_acquisition(void)
{
	struct fg_casedb *db = NULL;
	struct fg_record *start = NULL, *fin = NULL;
	struct fg_casedb_audit a;
	struct fg_error err;
	struct acq_seen seen;
	int64_t id = 0, id2 = 0;
	char list[256] = "";
	int n = 0;

	fg_error_clear(&err);
	CHECK(fg_casedb_open(&db, "case.db", FG_CASEDB_CREATE, &err) == FG_OK);
	if (db == NULL)
		return;
	CHECK(fg_casedb_set_examiner(db, "Jo Smith") == FG_OK);
	start = make_record("2026-041", "HD1", NULL);
	CHECK_MSG(fg_casedb_acquisition_begin(db, start, &id, &err) == FG_OK,
		  &err);
	CHECK(id == 1);
	{
		/* case-created, evidence-added, acquisition-started */
		char hex[65];
		CHECK(fg_casedb_last_event(db, hex) == 3 && strlen(hex) == 64);
	}
	/* Running, and this process is alive: "running". */
	memset(&seen, 0, sizeof(seen));
	CHECK(fg_casedb_acquisitions_each(db, "2026-041", "HD1", 0, see_acq,
					  &seen, &err) == FG_OK);
	CHECK(seen.n == 1);
	CHECK_STR(seen.status, "running");
	CHECK_STR(seen.state, "running");
	CHECK(seen.exit_code == -1 && seen.never == 0);
	/* The end from the final record, with a third bad range (as a
	 * failing-device run would report it). */
	fin = make_record("2026-041", "HD1", "completed with errors");
	fg_record_add_bad_range(fin, 100, 4);
	CHECK_MSG(fg_casedb_acquisition_end(db, id, fin, &err) == FG_OK, &err);
	/* Completed rows are never changed; an unknown one is refused. */
	CHECK(fg_casedb_acquisition_end(db, id, fin, &err) == FG_ESTATE);
	CHECK(fg_casedb_acquisition_end(db, 99, fin, &err) == FG_ESTATE);
	memset(&seen, 0, sizeof(seen));
	CHECK(fg_casedb_acquisitions_each(db, NULL, NULL, id, see_acq, &seen,
					  &err) == FG_OK);
	CHECK_STR(seen.state, "completed with errors");
	CHECK(seen.exit_code == 3 && seen.bytes == 10240);
	CHECK_STR(seen.md5, "0123456789abcdef0123456789abcdef");
	CHECK(fg_casedb_bad_ranges_each(db, id, see_bad, list, &err) == FG_OK);
	CHECK_STR(list, "7+2 12+1 100+4 ");
	list[0] = '\0';
	CHECK(fg_casedb_hash_windows_each(db, id, see_window, list, &err) ==
	      FG_OK);
	CHECK_STR(list, "0:0:4096:aa 1:4096:4096:bb 2:8192:2048:cc ");
	CHECK(fg_casedb_outputs_each(db, id, count_output, &n,
				     &err) == FG_OK &&
	      n == 1);

	/* An acquisition that names no case: stored without one. */
	fg_record_free(start);
	start = make_record("", "", NULL);
	CHECK(fg_casedb_acquisition_begin(db, start, &id2, &err) == FG_OK);
	/* Only a final result completes a row. */
	CHECK(fg_casedb_acquisition_end(db, id2, start, &err) == FG_EINVAL);
	CHECK(strstr(err.msg, "'running' is not a final result") != NULL);
	memset(&seen, 0, sizeof(seen));
	CHECK(fg_casedb_acquisitions_each(db, NULL, NULL, id2, see_acq, &seen,
					  &err) == FG_OK);
	CHECK_STR(seen.case_id, "(null)");

	/* Every event chained as casedb.h defines it, all by Jo Smith. */
	{
		struct chain c;
		memset(&c, 0, sizeof(c));
		snprintf(c.prev, sizeof(c.prev), "%s", zeros);
		CHECK(fg_casedb_events_each(db, NULL, check_link, &c, &err) ==
		      FG_OK);
		/* case, item, started, completed, started */
		CHECK(c.n == 5 && c.bad == 0);
	}
	CHECK_MSG(fg_casedb_audit(db, &a, &err) == FG_OK, &err);
	CHECK(a.events == 5 && a.first_bad_id == 0 && strlen(a.head_sha256) ==
								  64);
	fg_record_free(start);
	fg_record_free(fin);
	fg_casedb_close(db);
}

static void test_interrupted(void)
{
	struct fg_casedb *db = NULL;
	struct fg_record *start = make_record("C", "E", NULL);
	struct fg_error err;
	struct acq_seen seen;
	pid_t pid;
	int st = 0;

	fg_error_clear(&err);
	CHECK(fg_casedb_open(&db, "case.db", FG_CASEDB_CREATE, &err) == FG_OK);
	fg_casedb_close(db);
	db = NULL;
	/* A run that starts and dies without a word. */
	pid = fork();
	if (pid == 0) {
		int64_t id;
		if (fg_casedb_open(&db, "case.db", 0, &err) != FG_OK ||
		    fg_casedb_acquisition_begin(db, start, &id, &err) != FG_OK)
			_exit(1);
		_exit(0); /* no end, no close */
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0);
	CHECK(fg_casedb_open(&db, "case.db", FG_CASEDB_READONLY, &err) ==
	      FG_OK);
	if (db != NULL) {
		memset(&seen, 0, sizeof(seen));
		CHECK(fg_casedb_acquisitions_each(db, NULL, NULL, 0, see_acq,
						  &seen, &err) == FG_OK);
		CHECK(seen.n == 1);
		CHECK_STR(seen.status, "running");     /* as stored */
		CHECK_STR(seen.state, "interrupted");  /* as told */
		CHECK(seen.never == 1);
	}
	fg_casedb_close(db);
	fg_record_free(start);
}

/* What fg_casedb_export_json_put hands over, up to limit bytes (0: no
 * limit) and then an error of its own. */
struct collect {
	char buf[65536];
	size_t len, limit;
};

static int put_collect(void *ctx, const char *s, size_t n,
		       struct fg_error *err)
{
	struct collect *c = ctx;

	if ((c->limit && c->len + n > c->limit) ||
	    c->len + n >= sizeof(c->buf))
		return fg_error_set(err, FG_EOUTPUT, 0, "collect: full");
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->buf[c->len] = '\0';
	return FG_OK;
}

/* The text after the "exported_utc" member (the time may differ). */
static const char *after_time(const char *doc)
{
	const char *p = doc ? strstr(doc, "\"exported_utc\"") : NULL;

	return p ? strchr(p, '\n') : NULL;
}

static void test_verification_custody(void)
{
	struct fg_casedb *db = NULL;
	struct fg_record *rec = make_record("C", "E", NULL);
	struct fg_casedb_verification v;
	struct fg_casedb_verify_hash h[2];
	struct fg_casedb_verify_diff d;
	struct fg_casedb_custody k;
	struct fg_casedb_audit a;
	struct fg_error err;
	int64_t acq = 0, vid = 0, kid = 0;
	char *json = NULL;
	int n = 0;

	fg_error_clear(&err);
	CHECK(fg_casedb_open(&db, "case.db", FG_CASEDB_CREATE, &err) == FG_OK);
	if (db == NULL)
		return;
	CHECK(fg_casedb_set_examiner(db, NULL) == FG_OK); /* "unknown" */
	CHECK(fg_casedb_acquisition_begin(db, rec, &acq, &err) == FG_OK);
	memset(&v, 0, sizeof(v));
	v.acquisition_id = acq;
	v.target = "HD1.raw";
	v.method = "forage verify 0.1.0";
	v.result = "mismatch";
	v.exit_code = 1;
	v.message = "sha256 differs";
	memset(h, 0, sizeof(h));
	h[0].file = "HD1.raw";
	h[0].algorithm = "sha256";
	h[0].expected = zeros;
	h[0].computed = "11";
	h[0].match = 0;
	h[1].algorithm = "md5";
	h[1].expected = h[1].computed = "22";
	h[1].match = 1;
	d.file = "HD1.raw";
	d.offset = 4096;
	d.length = 4096;
	d.what = "hash window 1 differs";
	CHECK_MSG(fg_casedb_verification_add(db, &v, h, 2, &d, 1, &vid,
					     &err) == FG_OK,
		  &err);
	CHECK(vid == 1);
	v.result = "fine";
	CHECK(fg_casedb_verification_add(db, &v, NULL, 0, NULL, 0, NULL,
					 &err) == FG_EINVAL);
	v.result = "match";
	v.acquisition_id = 42;
	CHECK(fg_casedb_verification_add(db, &v, NULL, 0, NULL, 0, NULL,
					 &err) == FG_EINVAL);

	memset(&k, 0, sizeof(k));
	k.case_id = "C";
	k.evidence_id = "E2"; /* arrives before it is acquired */
	k.new_item = 1;
	k.action = "received";
	k.from_party = "Officer K";
	k.to_party = "Lab";
	k.location = "Evidence room 2";
	k.reason = "seized under warrant 17";
	CHECK_MSG(fg_casedb_custody_add(db, &k, &kid, &err) == FG_OK, &err);
	CHECK(kid == 1);
	k.action = "lost";
	CHECK(fg_casedb_custody_add(db, &k, NULL, &err) == FG_EINVAL);
	CHECK(strstr(err.msg, "'lost'") != NULL);
	CHECK(fg_casedb_custody_action_valid("checked-out") == 1);
	CHECK(fg_casedb_custody_each(db, "C", "E2",
				     count_custody, &n,
				     &err) == FG_OK &&
	      n == 1);
	n = 0;
	CHECK(fg_casedb_verifications_each(
		      db, "C", "E", count_verif, &n,
		      &err) == FG_OK &&
	      n == 1);
	CHECK_MSG(fg_casedb_audit(db, &a, &err) == FG_OK, &err);
	/* case, E, started, verification, E2, custody */
	CHECK(a.events == 6);

	CHECK_MSG(fg_casedb_export_json(db, "C", NULL,
					FG_CASEDB_EXPORT_EVENTS, &json,
					&err) == FG_OK,
		  &err);
	CHECK(json != NULL && strstr(json, "\"hash window 1 differs\"") != NULL);
	CHECK(json != NULL && strstr(json, "\"seized under warrant 17\"") !=
				      NULL);
	CHECK(json != NULL && strstr(json, "\"examiner\": \"unknown\"") !=
				      NULL);
	CHECK(json != NULL && strstr(json, "\"kind\": \"custody\"") != NULL);
	/* Written as it is read: the same bytes; a failure of put ends it
	 * there; what is named is checked before anything is written. */
	{
		static struct collect c;
		unsigned all = FG_CASEDB_EXPORT_EVENTS |
			       FG_CASEDB_EXPORT_WINDOWS |
			       FG_CASEDB_EXPORT_RECORDS;

		free(json);
		json = NULL;
		CHECK_MSG(fg_casedb_export_json(db, NULL, NULL, all, &json,
						&err) == FG_OK,
			  &err);
		memset(&c, 0, sizeof(c));
		CHECK_MSG(fg_casedb_export_json_put(db, NULL, NULL, all,
						    put_collect, &c,
						    &err) == FG_OK,
			  &err);
		CHECK(json != NULL && c.len == strlen(json));
		CHECK(after_time(json) != NULL && after_time(c.buf) != NULL);
		CHECK(json != NULL && after_time(json) != NULL &&
		      after_time(c.buf) != NULL &&
		      strcmp(after_time(json), after_time(c.buf)) == 0);
		memset(&c, 0, sizeof(c));
		c.limit = 300;
		CHECK(fg_casedb_export_json_put(db, NULL, NULL, all,
						put_collect, &c,
						&err) == FG_EOUTPUT);
		CHECK(strstr(err.msg, "collect: full") != NULL);
		CHECK(c.len > 0 && c.len <= 300 && json != NULL &&
		      strncmp(json, c.buf, 100) == 0);
		memset(&c, 0, sizeof(c));
		CHECK(fg_casedb_export_json_put(db, "C", "nope", 0,
						put_collect, &c,
						&err) == FG_EINVAL);
		CHECK(c.len == 0);
	}
	free(json);
	json = NULL;
	CHECK(fg_casedb_export_json(db, "nope", NULL, 0, &json, &err) ==
	      FG_EINVAL);
	CHECK(fg_casedb_export_json(db, "C", "nope", 0, &json, &err) ==
	      FG_EINVAL);
	CHECK(json == NULL);
	fg_casedb_close(db);
	fg_record_free(rec);
}

static void test_canonical(void)
{
	static const char want[] =
		"forage-event-1\nid:1:1\nutc:20:2026-11-25T13:00:43Z\n"
		"kind:12:case-created\nexaminer:2:Jo\ncase_id:8:2026-041\n"
		"evidence_id:-\nsubject_id:-\ndetails:2:{}\n"
		"prev_sha256:64:"
		"0000000000000000000000000000000000000000000000000000000000000000"
		"\n";
	size_t len = 0;
	char *c = fg_casedb_event_canonical(1, "2026-11-25T13:00:43Z",
					    "case-created", "Jo", "2026-041",
					    NULL, 0, "{}", zeros, &len);

	CHECK(c != NULL && len == strlen(want));
	CHECK_STR(c, want);
	free(c);
	/* Lengths are bytes, not characters, and nothing is escaped. */
	c = fg_casedb_event_canonical(12, "t", "custody", "J\xc3\xb6rg\n", NULL,
				      "a:b", 7, "x", "p", &len);
	CHECK(c != NULL && strstr(c, "id:2:12\n") != NULL);
	CHECK(c != NULL && strstr(c, "examiner:6:J\xc3\xb6rg\n\n") != NULL);
	CHECK(c != NULL && strstr(c, "case_id:-\nevidence_id:3:a:b\n"
				     "subject_id:1:7\n") != NULL);
	free(c);
}

/* A query ends once the stop flag is set (a SIGINT or SIGTERM handler sets
 * it): FG_EINTR, nothing written. */
static void test_stop(void)
{
	static volatile sig_atomic_t stop;
	struct fg_casedb *db = NULL;
	struct fg_error err;
	char *c = NULL;
	int64_t n = -1;

	fg_error_clear(&err);
	CHECK(fg_casedb_open(&db, "stop.db", FG_CASEDB_CREATE, &err) == FG_OK);
	if (db == NULL)
		return;
	CHECK(fg_casedb_case_ensure(db, "C1", NULL, NULL, &err) == FG_OK);
	fg_casedb_set_stop(db, &stop);
	stop = 1;
	CHECK(fg_casedb_case_ensure(db, "C2", NULL, NULL, &err) == FG_EINTR);
	CHECK(strstr(err.msg, "stop.db") != NULL &&
	      strstr(err.msg, "interrupted") != NULL);
	stop = 0;
	CHECK(fg_casedb_only_case(db, &c, &n, &err) == FG_OK && n == 1);
	CHECK_STR(c, "C1");
	free(c);
	fg_casedb_close(db);
}

/* Waiting for another program's lock ends once the stop flag is set (a
 * SIGTERM), not after the busy timeout of 60 s: another connection holds
 * the write lock; the flag is set by SIGALRM a second into the wait. */
static volatile sig_atomic_t lock_stop;
static void on_alarm(int sig)
{
	(void)sig;
	lock_stop = 1;
}

static void test_stop_while_locked(void)
{
	struct fg_casedb *db = NULL;
	struct fg_error err;
	struct sigaction sa, old;
	sqlite3 *other = NULL;
	int rc;

	fg_error_clear(&err);
	CHECK(fg_casedb_open(&db, "lock.db", FG_CASEDB_CREATE, &err) == FG_OK);
	if (db == NULL)
		return;
	CHECK(fg_casedb_case_ensure(db, "C1", NULL, NULL, &err) == FG_OK);
	CHECK(sqlite3_open("lock.db", &other) == SQLITE_OK &&
	      sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
		      SQLITE_OK);
	lock_stop = 0;
	fg_casedb_set_stop(db, &lock_stop);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, &old);
	alarm(1);
	rc = fg_casedb_case_ensure(db, "C2", NULL, NULL, &err);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	CHECK(rc == FG_EINTR);
	CHECK(strstr(err.msg, "lock.db") != NULL &&
	      strstr(err.msg, "interrupted") != NULL);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	fg_casedb_close(db);
}

/* A running acquisition is told from a killed one by its process's start
 * time: field 22 of /proc/PID/stat, which does not change while the
 * process runs (field 23, its virtual size, does: it grows here by 256
 * MiB, and under ASan it is terabytes). */
static void test_proc_start(void)
{
	char buf[1024], *p, *tok, *save = NULL;
	long long want = -1;
	int field = 3;
	int64_t before, after;
	size_t n;
	FILE *f = fopen("/proc/self/stat", "re");
	void *big;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	CHECK(p != NULL);
	if (p == NULL)
		return;
	for (tok = strtok_r(p + 1, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save), field++)
		if (field == 22)
			want = strtoll(tok, NULL, 10);
	before = cdb_proc_start_time((long)getpid());
	big = malloc(256u << 20);
	after = cdb_proc_start_time((long)getpid());
	free(big);
	CHECK(want >= 0 && before == want);
	CHECK(after == before);
	CHECK(cdb_proc_start_time(-1) == -1);
}

/* Check text as an export file; the error's message into msg. */
static int check_text(const char *text, struct fg_case_export_info *in,
		      char *msg, size_t len)
{
	struct fg_error err;
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	fg_error_clear(&err);
	if (f == NULL)
		return FG_EIO;
	rc = fg_case_export_check(f, "x.jsonl", in, &err);
	fclose(f);
	snprintf(msg, len, "%s", rc == FG_OK ? "" : err.msg);
	return rc;
}

/* text with its n-th line (from 1) left out, into out. */
static void drop_line(const char *text, int n, char *out, size_t len)
{
	const char *p = text, *nl;
	int i;

	out[0] = '\0';
	for (i = 1; *p != '\0'; i++, p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		if (i != n)
			strncat(out, p, (size_t)(nl - p + 1) <
						len - strlen(out) - 1
					    ? (size_t)(nl - p + 1)
					    : len - strlen(out) - 1);
	}
}

static void test_case_export_import(void)
{
	static struct collect c, bad;
	struct fg_casedb *db = NULL, *lab = NULL;
	struct fg_case_export_info in;
	struct fg_casedb_import_result res;
	struct fg_casedb_audit a;
	struct fg_error err;
	char msg[1100], head[FG_HASH_HEX_MAX], *p;
	int64_t broken = 9;
	FILE *f;

	fg_error_clear(&err);
	CHECK(fg_casedb_open(&db, "field.db", FG_CASEDB_CREATE, &err) ==
	      FG_OK);
	if (db == NULL)
		return;
	CHECK(fg_casedb_evidence_ensure(db, "C", "E", "disk", NULL, &err) ==
	      FG_OK);
	fg_casedb_last_event(db, head);
	CHECK(fg_casedb_case_export(db, NULL, put_collect, &c, &err) ==
	      FG_OK);
	fg_casedb_close(db);
	/* The file alone: its header, its chain, its counts. */
	CHECK_MSG(check_text(c.buf, &in, msg, sizeof(msg)) == FG_OK, &err);
	CHECK_STR(in.case_id, "C");
	CHECK(in.events == 2 && in.rows == 2 && in.head_id == 2);
	CHECK_STR(in.head_sha256, head);
	/* An event left out, an event edited, the end left out, another
	 * format. */
	drop_line(c.buf, 2, bad.buf, sizeof(bad.buf));
	CHECK(check_text(bad.buf, &in, msg, sizeof(msg)) == FG_EMISMATCH);
	CHECK(strstr(msg, "line 2 (byte offset ") != NULL &&
	      strstr(msg, "event 1 is missing") != NULL);
	memcpy(bad.buf, c.buf, c.len + 1);
	p = strstr(strstr(bad.buf, "\"id\":2,"), "disk");
	CHECK(p != NULL);
	if (p != NULL)
		p[0] = 'D';
	CHECK(check_text(bad.buf, &in, msg, sizeof(msg)) == FG_EMISMATCH);
	CHECK(strstr(msg, "event 2 (evidence-added): its content does not "
			  "match its sha256") != NULL);
	drop_line(c.buf, 6, bad.buf, sizeof(bad.buf));
	CHECK(check_text(bad.buf, &in, msg, sizeof(msg)) == FG_EFORMAT);
	CHECK(strstr(msg, "cut short") != NULL);
	/* A head that is not the chain's end. */
	memcpy(bad.buf, c.buf, c.len + 1);
	p = strstr(bad.buf, "\"head\":{\"id\":2");
	CHECK(p != NULL);
	if (p != NULL)
		p[13] = '3';
	CHECK(check_text(bad.buf, &in, msg, sizeof(msg)) == FG_EMISMATCH);
	CHECK(strstr(msg, "the chain ends at event 2") != NULL &&
	      strstr(msg, "head is event 3") != NULL);
	CHECK(check_text("{\"format\":\"forage-case-1\"}\n", &in, msg,
			 sizeof(msg)) == FG_EFORMAT);
	CHECK(strstr(msg, "not a case export") != NULL);
	CHECK(check_text("", &in, msg, sizeof(msg)) == FG_EFORMAT);
	/* Imported once; the second time refused; the audit sees both
	 * chains. */
	f = fopen("x.jsonl", "w");
	CHECK(f != NULL && fwrite(c.buf, 1, c.len, f) == c.len);
	if (f != NULL)
		fclose(f);
	CHECK(fg_casedb_open(&lab, "lab.db", FG_CASEDB_CREATE, &err) ==
	      FG_OK);
	if (lab == NULL)
		return;
	CHECK_MSG(fg_casedb_case_import(lab, "x.jsonl", &in, &res, &err) ==
			  FG_OK,
		  &err);
	CHECK(res.rows_added == 2 && res.rows_kept == 0 && !res.merged &&
	      res.import_id == 1 && res.event_id == 1);
	CHECK(fg_casedb_case_import(lab, "x.jsonl", &in, &res, &err) ==
	      FG_EEXIST);
	CHECK(strstr(err.msg, "already imported") != NULL);
	CHECK_MSG(fg_casedb_audit(lab, &a, &err) == FG_OK, &err);
	CHECK(a.events == 1);
	CHECK(fg_casedb_imports_audit(lab, NULL, NULL, &broken, &err) ==
	      FG_OK && broken == 0);
	fg_casedb_close(lab);
}

int main(void)
{
	unit_run("canonical event content", test_canonical);
	unit_run("open: new, reopen, empty, missing", test_open_new);
	unit_run("open: refused files stay untouched", test_refused);
	unit_run("cases and evidence on first use", test_cases);
	unit_run("acquisition start to end, chain, audit", test_acquisition);
	unit_run("killed run reads as interrupted", test_interrupted);
	unit_run("verifications, custody, export", test_verification_custody);
	unit_run("a query ends once the stop flag is set", test_stop);
	unit_run("a wait for a lock ends once the stop flag is set",
		 test_stop_while_locked);
	unit_run("a process's start time is its start time", test_proc_start);
	unit_run("a case exported, checked, imported", test_case_export_import);
	return unit_done();
}
