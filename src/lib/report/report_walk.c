/*
 * report_walk.c - the walk over the export that text and HTML share: it
 * talks to a small table of output operations (struct fg_report_ops, see
 * report_text.c and report_html.c), so that both say the same things in
 * the same order.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/record.h>

#include "report/report_int.h"

/* ---- Text and HTML: the walk ------------------------------------------- */

/* A member that holds JSON either as an object or as JSON text (columns
 * such as write_block and parameters); *owned is set when the caller
 * must json_decref the result. */
static json_t *jobj(json_t *obj, const char *key, int *owned)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	*owned = 0;
	if (json_is_object(v))
		return v;
	if (json_is_string(v)) {
		json_t *p = json_loads(json_string_value(v), 0, NULL);
		if (json_is_object(p)) {
			*owned = 1;
			return p;
		}
		json_decref(p);
	}
	return NULL;
}

/* A field from a member of obj. */
static void field_from(struct fg_report *r, const char *label, json_t *obj,
		       const char *key, unsigned flags)
{
	char buf[64];

	FIELD(r, label, jtext(obj, key, buf, sizeof(buf)), flags);
}

static void media_hash_field(void *ctx, const char *alg, const char *hex)
{
	struct fg_report *r = ctx;
	char *lab = fg_strdup_printf("Media %s", fg_report_hash_label(alg));

	if (lab == NULL) {
		r->o.failed = 1;
		return;
	}
	FIELD(r, lab, hex, F_HASH);
	free(lab);
}

/* How many rows a cut list has and which are listed, before the list. */
static void listed_of(struct fg_report *r, json_t *obj, const char *key,
		      const char *label, int64_t omitted, size_t after)
{
	size_t size = json_array_size(jarr(obj, key));
	char *s = fg_strdup_printf(
		"%" PRId64 " in the case database; only the first %zu and "
		"the last %zu are listed below",
		omitted + (int64_t)size, after, size - after);

	if (s == NULL)
		r->o.failed = 1;
	FIELD(r, label, s, F_ALERT);
	free(s);
}

/* Before the list key of obj (an acquisition, a verification, an item):
 * when the export cut it, how many rows it has and which are listed,
 * under label.  Returns the rows left out (0: the list is whole). */
static int64_t cut_begins(struct fg_report *r, json_t *obj, const char *key,
			  const char *label)
{
	size_t after;
	int64_t omitted = fg_report_omitted(obj, key, &after);

	if (omitted > 0)
		listed_of(r, obj, key, label, omitted, after);
	return omitted;
}

/* Before row i of that list (i: its size, after the last row): where the
 * export cut it, an alert says what is not listed and which command lists
 * it, out of the table of n cols when one is open (closed and opened
 * again when rows follow). */
static void cut_here(struct fg_report *r, json_t *obj, const char *key,
		     size_t i, const char *case_id, const char *evidence_id,
		     const char *const *cols, int n)
{
	int failed = 0;
	char *s = fg_report_cut_at(obj, key, i, case_id, evidence_id,
				   &failed);

	if (failed)
		r->o.failed = 1;
	if (s == NULL)
		return;
	if (cols != NULL)
		r->ops->table_end(r);
	FIELD(r, "Not listed", s, F_ALERT);
	if (cols != NULL && i < json_array_size(jarr(obj, key)))
		r->ops->table(r, cols, n);
	free(s);
}

static void bad_ranges(struct fg_report *r, json_t *acq)
{
	static const char *const cols[] = {"First LBA", "Last LBA", "Sectors",
					   "Byte offset", "Bytes"};
	static const unsigned fl[] = {F_ALERT, F_ALERT, F_ALERT, 0, 0};
	json_t *arr = jarr(acq, "bad_ranges"), *b;
	int64_t ss = 0, size = 0;
	size_t i;

	if (!jint(acq, "logical_sector_size", &ss) || ss <= 0)
		ss = 0;
	if (json_array_size(arr) == 0) {
		FIELD(r, "Unreadable sectors", "none recorded", F_GOOD);
		return;
	}
	r->ops->heading(r, 4, "Unreadable sectors (filled in the image)", 0);
	if (ss > 0 && jint(acq, "source_size", &size) && size / ss > 0)
		r->ops->sector_map(r, acq, size / ss);
	cut_begins(r, acq, "bad_ranges", "Bad ranges");
	r->ops->table(r, cols, 5);
	json_array_foreach(arr, i, b) {
		int64_t lba = 0, cnt = 0;
		char s0[32], s1[32], s2[32], s3[32], s4[32];
		const char *cells[5] = {NULL, NULL, NULL, NULL, NULL};

		cut_here(r, acq, "bad_ranges", i, jstr(acq, "case_id"),
			 jstr(acq, "evidence_id"), cols, 5);

		if (jint(b, "first_lba", &lba)) {
			snprintf(s0, sizeof(s0), "%" PRId64, lba);
			cells[0] = s0;
		}
		if (jint(b, "count", &cnt)) {
			snprintf(s2, sizeof(s2), "%" PRId64, cnt);
			cells[2] = s2;
		}
		if (cells[0] && cells[2] && cnt > 0) {
			snprintf(s1, sizeof(s1), "%" PRId64, lba + cnt - 1);
			cells[1] = s1;
		}
		if (cells[0] && cells[2] && ss > 0) {
			snprintf(s3, sizeof(s3), "%" PRId64, lba * ss);
			snprintf(s4, sizeof(s4), "%" PRId64, cnt * ss);
			cells[3] = s3;
			cells[4] = s4;
		}
		r->ops->row(r, cells, fl);
	}
	r->ops->table_end(r);
	cut_here(r, acq, "bad_ranges", i, jstr(acq, "case_id"),
		 jstr(acq, "evidence_id"), NULL, 0);
}

/* Output files one by one, one hash a line: hashes are never squeezed
 * side by side into narrow columns (they must print whole). */
static void outputs(struct fg_report *r, json_t *acq)
{
	json_t *arr = jarr(acq, "outputs"), *f;
	size_t i;
	char b[64];

	if (json_array_size(arr) == 0) {
		FIELD(r, "Output files", "none recorded", 0);
		return;
	}
	cut_begins(r, acq, "outputs", "Output files");
	json_array_foreach(arr, i, f) {
		cut_here(r, acq, "outputs", i, jstr(acq, "case_id"),
			 jstr(acq, "evidence_id"), NULL, 0);
		snprintf(b, sizeof(b), "Output file %zu", i + 1);
		r->ops->heading(r, 4, b, 0);
		FIELD(r, "File", jstr(f, "path"), F_CODE);
		field_from(r, "Size (bytes)", f, "size", 0);
		FIELD(r, "MD5", jstr(f, "md5"), F_HASH);
		FIELD(r, "SHA-256", jstr(f, "sha256"), F_HASH);
	}
	cut_here(r, acq, "outputs", i, jstr(acq, "case_id"),
		 jstr(acq, "evidence_id"), NULL, 0);
}

static void hash_windows(struct fg_report *r, json_t *acq)
{
	static const char *const cols[] = {"Window", "Offset", "Length",
					   "Algorithm", "Digest"};
	static const unsigned fl[] = {0, 0, 0, 0, F_HASH};
	json_t *arr = jarr(acq, "hash_windows"), *w;
	size_t i;

	if (json_array_size(arr) == 0)
		return;
	r->ops->heading(r, 4, "Hash windows", 0);
	cut_begins(r, acq, "hash_windows", "Hash windows");
	r->ops->table(r, cols, 5);
	json_array_foreach(arr, i, w) {
		char b0[32], b1[32], b2[32];
		const char *cells[5];

		cut_here(r, acq, "hash_windows", i, jstr(acq, "case_id"),
			 jstr(acq, "evidence_id"), cols, 5);

		cells[0] = fg_report_window_index(w, b0, sizeof(b0));
		cells[1] = jtext(w, "offset", b1, sizeof(b1));
		cells[2] = jtext(w, "length", b2, sizeof(b2));
		cells[3] = jstr(w, "algorithm");
		cells[4] = jstr(w, "hex");
		r->ops->row(r, cells, fl);
	}
	r->ops->table_end(r);
	cut_here(r, acq, "hash_windows", i, jstr(acq, "case_id"),
		 jstr(acq, "evidence_id"), NULL, 0);
}

/* A re-read the record names under label: its status (good when it is
 * good), how and when it finished; 1 when the record has it. */
static int reread(struct fg_report *r, const char *label, json_t *v,
		  const char *good)
{
	const char *st = jstr(v, "status");

	if (!json_is_object(v)) {
		FIELD(r, label, "not asked for", 0);
		return 0;
	}
	FIELD(r, label, st, st && strcmp(st, good) == 0 ? F_GOOD : F_ALERT);
	field_from(r, "  how", v, "method", 0);
	field_from(r, "  finished (UTC)", v, "finished_utc", 0);
	return 1;
}

/* What the acquisition record says of the notes and of the re-reads
 * --verify and --verify-source made. */
static void rereads(struct fg_report *r, json_t *acq)
{
	json_t *rec = json_object_get(acq, "record");
	json_t *v = json_object_get(rec, "verification");
	json_t *vs = json_object_get(rec, "verify_source");

	if (jstr(json_object_get(rec, "case"), "notes") != NULL)
		FIELD(r, "Notes", jstr(json_object_get(rec, "case"), "notes"),
		      0);
	if (reread(r, "Evidence re-read (--verify)", v, "verified") &&
	    jstr(v, "message") != NULL)
		field_from(r, "  message", v, "message", F_ALERT);
	if (reread(r, "Source re-read (--verify-source)", vs, "match")) {
		field_from(r, "  MD5 of the re-read", vs, "md5", F_HASH);
		field_from(r, "  SHA-256 of the re-read", vs, "sha256",
			   F_HASH);
		field_from(r, "  sectors filled", vs, "sectors_filled", 0);
	}
}

static void acquisition(struct fg_report *r, json_t *acq)
{
	char b[64], b2[64], *s;
	const char *state = jstr(acq, "state");
	const char *status = jstr(acq, "status"), *kind;
	int64_t ls = 0, ps = 0, never = 0, total = -1, off = 0, len = 0;
	json_t *v;
	int owned;

	s = fg_strdup_printf("Acquisition %s",
			     jtext(acq, "id", b, sizeof(b)) ?: UNKNOWN);
	r->ops->heading(r, 3, s ? s : "Acquisition", 0);
	free(s);
	if (state == NULL)
		state = status;
	jint(acq, "never_completed", &never);
	if (json_is_true(json_object_get(acq, "never_completed")))
		never = 1;
	FIELD(r, "Result", state,
	      state && strcmp(state, "success") == 0 ? F_GOOD : F_ALERT);
	if (never)
		FIELD(r, "Completed", "no: the run never recorded its end",
		      F_ALERT);
	field_from(r, "Exit code", acq, "exit_code", 0);
	if (jstr(acq, "message") != NULL)
		field_from(r, "Message", acq, "message", 0);
	field_from(r, "Examiner", acq, "examiner", 0);
	rereads(r, acq);
	field_from(r, "Started (UTC)", acq, "started_utc", 0);
	field_from(r, "Finished (UTC)", acq, "finished_utc", 0);
	field_from(r, "Duration (seconds)", acq, "duration_seconds", 0);
	{
		const char *tn = jstr(acq, "tool_name");
		const char *tv = jstr(acq, "tool_version");
		s = tn || tv ? fg_strdup_printf("%s %s", tn ? tn : UNKNOWN,
						tv ? tv : "(version unknown)")
			     : NULL;
		FIELD(r, "Tool", s, 0);
		free(s);
	}
	field_from(r, "Host", acq, "host", 0);
	field_from(r, "Command line", acq, "command_line", F_CODE);
	field_from(r, "Source", acq, "source_path", F_CODE);
	field_from(r, "Source kind", acq, "source_kind", 0);
	field_from(r, "Device model", acq, "model", 0);
	field_from(r, "Device serial", acq, "serial", 0);
	if (!jint(acq, "logical_sector_size", &ls) || ls <= 0)
		ls = 0;
	if (jint(acq, "source_total_size", &total)) {
		s = fg_report_size_words(total, ls);
		if (s == NULL)
			r->o.failed = 1;
		FIELD(r, "Source size", s, 0);
		free(s);
	} else {
		FIELD(r, "Source size", NULL, 0);
	}
	if (jint(acq, "source_offset", &off) && off != 0)
		field_from(r, "Acquired from byte", acq, "source_offset", 0);
	if (jint(acq, "source_size", &len) && len != total) {
		s = fg_report_size_words(len, ls);
		if (s == NULL)
			r->o.failed = 1;
		FIELD(r, "Acquired length", s, F_ALERT);
		free(s);
	}
	if (!jint(acq, "logical_sector_size", &ls) || ls <= 0)
		FIELD(r, "Logical sector size", NULL, 0);
	else
		field_from(r, "Logical sector size", acq,
			   "logical_sector_size", 0);
	if (!jint(acq, "physical_sector_size", &ps) || ps <= 0)
		FIELD(r, "Physical sector size", NULL, 0);
	else
		field_from(r, "Physical sector size", acq,
			   "physical_sector_size", 0);
	/* HPA and DCO in the words of the imaging log; the record's source
	 * kind says why one is absent. */
	kind = jstr(json_object_get(json_object_get(acq, "record"), "source"),
		    "kind");
	v = fg_report_source_fact(acq, "hpa");
	s = v != NULL || kind != NULL
		? fg_record_hidden_area_words(v, "host protected area", kind)
		: NULL;
	FIELD(r, "HPA", s, 0);
	free(s);
	v = fg_report_source_fact(acq, "dco");
	s = v != NULL || kind != NULL
		? fg_record_hidden_area_words(
		      v, "device configuration overlay", kind)
		: NULL;
	FIELD(r, "DCO", s, 0);
	free(s);
	s = fg_report_health_words(acq);
	if (s != NULL) {
		json_t *ch = json_object_get(
		    json_object_get(json_object_get(acq, "record"), "health"),
		    "changes");
		size_t i;

		FIELD(r, "Drive health (SMART)", s, 0);
		for (i = 0; i < json_array_size(ch); i++)
			FIELD(r, "Health change",
			      json_string_value(json_array_get(ch, i)),
			      F_ALERT);
	}
	free(s);
	v = jobj(acq, "write_block", &owned);
	s = fg_report_write_block_words(v);
	{
		const char *nwb = jtext(acq, "no_write_block", b2, sizeof(b2));
		int wb_off = nwb && (strcmp(nwb, "yes") == 0 ||
				     strcmp(nwb, "1") == 0);
		FIELD(r, "Write block",
		      s != NULL	  ? s
		      : nwb == NULL ? NULL
		      : wb_off	    ? "DISABLED (--no-write-block)"
				    : "not disabled (no --no-write-block)",
		      wb_off ? F_ALERT : 0);
	}
	free(s);
	if (owned)
		json_decref(v);
	field_from(r, "Bytes acquired", acq, "bytes", 0);
	field_from(r, "Sectors filled", acq, "sectors_filled", 0);
	v = jobj(acq, "parameters", &owned);
	if (v != NULL) {
		r->ops->heading(r, 4, "Settings", 0);
		fg_report_settings(r, acq, v, 0);
	}
	if (owned)
		json_decref(v);
	r->ops->heading(r, 4, "Hashes", 0);
	if (!json_is_object(json_object_get(acq, "media_hashes")) ||
	    json_object_size(json_object_get(acq, "media_hashes")) == 0)
		FIELD(r, "Media hashes", NULL, 0);
	fg_report_each_media_hash(acq, media_hash_field, r);
	bad_ranges(r, acq);
	outputs(r, acq);
	hash_windows(r, acq);
}

static void verification(struct fg_report *r, json_t *ver)
{
	static const char *const dcols[] = {"File", "Offset", "Length",
					    "What"};
	static const unsigned dfl[] = {F_CODE, F_ALERT, F_ALERT, F_ALERT};
	char b[64];
	const char *res = jstr(ver, "result");
	json_t *arr, *e;
	size_t i;
	char *s;

	s = fg_strdup_printf("Verification %s",
			     jtext(ver, "id", b, sizeof(b)) ?: UNKNOWN);
	r->ops->heading(r, 4, s ? s : "Verification", 0);
	free(s);
	FIELD(r, "Result", res,
	      res && strcmp(res, "match") == 0 ? F_GOOD : F_ALERT);
	field_from(r, "Exit code", ver, "exit_code", 0);
	if (jstr(ver, "message") != NULL)
		field_from(r, "Message", ver, "message", 0);
	field_from(r, "Acquisition", ver, "acquisition_id", 0);
	field_from(r, "Examiner", ver, "examiner", 0);
	field_from(r, "Started (UTC)", ver, "started_utc", 0);
	field_from(r, "Finished (UTC)", ver, "finished_utc", 0);
	field_from(r, "Target", ver, "target", F_CODE);
	field_from(r, "Method", ver, "method", 0);
	arr = jarr(ver, "hashes");
	if (json_array_size(arr) == 0)
		FIELD(r, "Hashes compared", "none recorded", 0);
	cut_begins(r, ver, "hashes", "Hashes compared");
	json_array_foreach(arr, i, e) {
		const char *alg = jstr(e, "algorithm");
		const char *m = jtext(e, "match", b, sizeof(b));
		int yes = m && (strcmp(m, "1") == 0 || strcmp(m, "yes") == 0);
		/* The subject as verify named it ("media, first 3000001
		 * bytes" and "media" are two digests of one E01); rows of a
		 * database before schema version 2 have only the file. */
		char *what = fg_strdup_printf("%s of %s",
					      alg ? fg_report_hash_label(alg) : UNKNOWN,
					      jstr(e, "what") ?: jstr(e, "file")
					      ?: "the media");
		char *l1 = fg_strdup_printf("%s: expected", what ?: "");
		char *l4 = fg_strdup_printf("%s: expected from", what ?: "");
		char *l2 = fg_strdup_printf("%s: computed", what ?: "");
		char *l3 = fg_strdup_printf("%s: equal", what ?: "");

		cut_here(r, ver, "hashes", i, jstr(ver, "case_id"),
			 jstr(ver, "evidence_id"), NULL, 0);
		if (what == NULL || l1 == NULL || l2 == NULL || l3 == NULL ||
		    l4 == NULL)
			r->o.failed = 1;
		else if (yes && jstr(e, "expected") && jstr(e, "computed") &&
			 strcmp(jstr(e, "expected"), jstr(e, "computed")) == 0) {
			/* Equal: one line, the digest once. */
			char *l = fg_strdup_printf(
				"%s: equal to %s", what,
				jstr(e, "source") ?: "the expected digest");
			if (l == NULL)
				r->o.failed = 1;
			FIELD(r, l ? l : what, jstr(e, "computed"), F_HASH);
			free(l);
		} else {
			FIELD(r, l1, jstr(e, "expected"), F_HASH);
			FIELD(r, l4, jstr(e, "source"), 0);
			FIELD(r, l2, jstr(e, "computed"), F_HASH);
			FIELD(r, l3, m == NULL ? NULL : yes ? "yes" : "NO",
			      yes ? F_GOOD : F_ALERT);
		}
		free(what);
		free(l1);
		free(l2);
		free(l3);
		free(l4);
	}
	cut_here(r, ver, "hashes", i, jstr(ver, "case_id"),
		 jstr(ver, "evidence_id"), NULL, 0);
	arr = jarr(ver, "diffs");
	if (json_array_size(arr) > 0) {
		cut_begins(r, ver, "diffs", "Differences");
		r->ops->table(r, dcols, 4);
		json_array_foreach(arr, i, e) {
			char b1[32], b2[32];
			const char *cells[4];

			cut_here(r, ver, "diffs", i, jstr(ver, "case_id"),
				 jstr(ver, "evidence_id"), dcols, 4);

			cells[0] = jstr(e, "file") ?: "(the media)";
			cells[1] = jtext(e, "offset", b1, sizeof(b1));
			cells[2] = jtext(e, "length", b2, sizeof(b2));
			cells[3] = jstr(e, "what");
			r->ops->row(r, cells, dfl);
		}
		r->ops->table_end(r);
		cut_here(r, ver, "diffs", i, jstr(ver, "case_id"),
			 jstr(ver, "evidence_id"), NULL, 0);
	}
}

/* The verifications of obj, its array member key, of case_id and
 * evidence_id (for the command that lists them all when the export cut
 * them). */
static void verifications(struct fg_report *r, json_t *obj, const char *key,
			  const char *case_id, const char *evidence_id)
{
	json_t *x;
	size_t k;

	cut_begins(r, obj, key, "Verifications");
	json_array_foreach(jarr(obj, key), k, x) {
		cut_here(r, obj, key, k, case_id, evidence_id, NULL, 0);
		verification(r, x);
	}
	cut_here(r, obj, key, k, case_id, evidence_id, NULL, 0);
}

/* Where the export cut a list (FG_CASEDB_EXPORT_CAP): said as loud as an
 * alert, never left for the reader to guess. */
static void not_listed(struct fg_report *r, json_t *obj, const char *key,
		       const char *what, const char *see)
{
	char *s = fg_report_omitted_sentence(obj, key, what, see);

	if (s == NULL)
		r->o.failed = 1;
	FIELD(r, "Not listed", s, F_ALERT);
	free(s);
}

/* The custody of obj (an item), its member "custody"; see: the command
 * that lists all of it, when the export cut it. */
static void custody(struct fg_report *r, json_t *obj, int with_item,
		    const char *see)
{
	static const char *const cols[] = {"#", "When (UTC)", "Action", "From",
					   "To", "Location", "Reason",
					   "Recorded by", "Item"};
	static const unsigned fl[] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
	json_t *arr = jarr(obj, "custody"), *c;
	size_t i, after;
	int64_t omitted = fg_report_omitted(obj, "custody", &after);
	int n = with_item ? 9 : 8;

	r->ops->heading(r, 3, "Chain of custody", 0);
	if (json_array_size(arr) == 0 && omitted == 0) {
		r->ops->note(r, "No custody event is recorded.");
		return;
	}
	if (omitted > 0)
		listed_of(r, obj, "custody", "Custody entries", omitted,
			  after);
	r->ops->table(r, cols, n);
	json_array_foreach(arr, i, c) {
		char b[32], *when;
		const char *cells[9];

		if (omitted > 0 && i == after) {
			r->ops->table_end(r);
			not_listed(r, obj, "custody", "custody entries", see);
			r->ops->table(r, cols, n);
		}
		cells[0] = jtext(c, "id", b, sizeof(b));
		when = fg_report_custody_when(c);
		if (when == NULL)
			r->o.failed = 1;
		cells[1] = when;
		cells[2] = jstr(c, "action");
		cells[3] = jstr(c, "from_party");
		cells[4] = jstr(c, "to_party");
		cells[5] = jstr(c, "location");
		cells[6] = jstr(c, "reason");
		cells[7] = jstr(c, "examiner");
		cells[8] = jstr(c, "evidence_id");
		r->ops->row(r, cells, fl);
		free(when);
	}
	r->ops->table_end(r);
	if (omitted > 0 && after == json_array_size(arr))
		not_listed(r, obj, "custody", "custody entries", see);
}

static void unfiled(struct fg_report *r, json_t *arr, const char *title)
{
	json_t *a;
	size_t i;

	if (json_array_size(arr) == 0)
		return;
	r->ops->block(r, 1);
	r->ops->heading(r, 2, title, 1);
	json_array_foreach(arr, i, a)
		acquisition(r, a);
	r->ops->block(r, 0);
}

/* The event log as an appendix a person reads: time, who, what, the
 * event's digest shortened (the JSON export holds every digest whole, and
 * the audit above recomputed them all). */
static void event_log(struct fg_report *r)
{
	static const char *const cols[] = {"#", "Time (UTC)", "By", "Item",
					   "What", "SHA-256 (start)"};
	static const unsigned fl[] = {0, 0, 0, 0, 0, F_HASH};
	json_t *arr = json_object_get(r->doc, "events"), *e;
	size_t i, after;
	int64_t omitted = fg_report_omitted(r->doc, "events", &after);
	char *see = fg_report_see(r->in->case_id, r->in->evidence_id, 1);

	r->ops->block(r, 1);
	r->ops->heading(r, 1, "Appendix: event log", 1);
	if (see == NULL)
		r->o.failed = 1;
	if (!json_is_array(arr)) {
		r->ops->note(r, "The export holds no event log: unknown.");
		r->ops->block(r, 0);
		free(see);
		return;
	}
	r->ops->note(r,
		     "Every event carries the SHA-256 of the previous event "
		     "and of its own canonical content, so that a third "
		     "party can recompute the chain with the database's "
		     "client (sqlite3, or psql for PostgreSQL) and "
		     "sha256sum (forage case audit does; the summary gives "
		     "its verdict).  The digests are shortened here; the JSON "
		     "export (forage report --format json) holds them whole.");
	if (json_array_size(arr) == 0 && omitted == 0)
		r->ops->note(r, "No event is recorded.");
	if (omitted > 0)
		listed_of(r, r->doc, "events", "Events", omitted, after);
	if (json_array_size(arr) > 0)
		r->ops->table(r, cols, 6);
	json_array_foreach(arr, i, e) {
		char id[32], hs[16];
		const char *cells[6], *h = jstr(e, "sha256");
		char *what;

		if (omitted > 0 && i == after) {
			r->ops->table_end(r);
			not_listed(r, r->doc, "events", "events",
				   see ? see : "forage case show --json");
			r->ops->table(r, cols, 6);
		}
		what = fg_report_event_words(e);
		if (what == NULL)
			r->o.failed = 1;
		snprintf(hs, sizeof(hs), "%.8s", h ? h : "");
		cells[0] = jtext(e, "id", id, sizeof(id));
		cells[1] = jstr(e, "utc");
		cells[2] = jstr(e, "examiner");
		cells[3] = jstr(e, "evidence_id") ?: "-";
		cells[4] = what;
		cells[5] = h ? hs : NULL;
		r->ops->row(r, cells, fl);
		free(what);
	}
	if (json_array_size(arr) > 0)
		r->ops->table_end(r);
	if (omitted > 0 && after == json_array_size(arr))
		not_listed(r, r->doc, "events", "events",
			   see ? see : "forage case show --json");
	free(see);
	r->ops->block(r, 0);
}

/* The settings every acquisition left at their defaults. */
static void acq_defaults(void *ctx, json_t *c, json_t *e, json_t *a)
{
	struct fg_report *r = ctx;
	char b[32], *h;
	int owned;
	json_t *p = jobj(a, "parameters", &owned);

	(void)c;
	if (p != NULL) {
		h = fg_strdup_printf("Acquisition %s%s%s",
				     jtext(a, "id", b, sizeof(b)) ?: UNKNOWN,
				     e ? " of " : "",
				     e ? jstr(e, "evidence_id") ?: "" : "");
		r->ops->heading(r, 3, h ? h : "Acquisition", 0);
		free(h);
		if (fg_report_settings(r, a, p, 1) == 0)
			r->ops->note(r, "Every setting was given.");
	}
	if (owned)
		json_decref(p);
}

static void defaults_appendix(struct fg_report *r)
{
	r->ops->block(r, 1);
	r->ops->heading(r, 1, "Appendix: settings left at their defaults", 1);
	r->ops->note(r, "The details of each acquisition state the settings "
			"that were given or that matter; these are the others, "
			"as they were in force.");
	fg_report_each_acquisition(r->doc, acq_defaults, r);
	r->ops->block(r, 0);
}

/* The lists of items, acquisitions and verifications the export can
 * cut; lists of the same rows (unfiled_acquisitions, acquisitions) are
 * counted in the slot of the first (fg_report_list_what names them). */
static const char *const sub_lists[] = {
	"evidence", "acquisitions", "unfiled_acquisitions", "outputs",
	"bad_ranges", "hash_windows", "hashes", "diffs", "verifications",
	"unfiled_verifications", NULL};
#define SUB_LISTS 10

static size_t slot_of(size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(fg_report_list_what(sub_lists[j]),
			   fg_report_list_what(sub_lists[i])) == 0)
			return j;
	return i;
}

/* Rows left out of those lists anywhere in v, added to n[]. */
static void count_cut(json_t *v, int64_t *n)
{
	const char *key;
	json_t *x;
	size_t i, after;

	if (json_is_array(v))
		json_array_foreach(v, i, x)
			count_cut(x, n);
	if (!json_is_object(v))
		return;
	for (i = 0; sub_lists[i] != NULL; i++)
		n[slot_of(i)] += fg_report_omitted(v, sub_lists[i], &after);
	json_object_foreach(v, key, x)
		count_cut(x, n);
}

/* In the summary: which lists the export cut, if any, so that
 * nobody reads the report as whole when it is not. */
void fg_report_cut_lists(struct fg_report *r)
{
	json_t *c, *e;
	size_t i, j, after;
	int64_t items = 0, rows = 0, n, events, sub[SUB_LISTS] = {0};
	int parts = 0, said = 0;
	struct fg_buf t = {NULL, 0, 0, 0};

	json_array_foreach(jarr(r->doc, "cases"), i, c) {
		json_array_foreach(jarr(c, "evidence"), j, e) {
			n = fg_report_omitted(e, "custody", &after);
			if (n > 0) {
				items++;
				rows += n;
			}
		}
	}
	events = fg_report_omitted(r->doc, "events", &after);
	count_cut(r->doc, sub);
	parts = (items > 0) + (events > 0);
	for (i = 0; i < SUB_LISTS; i++)
		parts += sub[i] > 0;
	if (parts == 0)
		return;
	fg_buf_puts(&t, "yes: ");
	/* Parts joined by ", " and the last by " and ". */
#define SEP (++said == 1 ? "" : said == parts ? " and " : ", ")
	if (items > 0)
		fg_buf_printf(&t,
			      "%s%" PRId64 " custody entries of %" PRId64
			      " evidence item(s)",
			      SEP, rows, items);
	for (i = 0; i < SUB_LISTS; i++)
		if (sub[i] > 0)
			fg_buf_printf(&t, "%s%" PRId64 " %s", SEP, sub[i],
				      fg_report_list_what(sub_lists[i]));
	if (events > 0)
		fg_buf_printf(&t, "%s%" PRId64 " events of the event log",
			      SEP, events);
#undef SEP
	fg_buf_puts(&t, " are not listed (each list says where it is cut); "
			"forage case show lists them all, the event log with "
			"--json");
	if (parts > (items > 0) + (events > 0))
		fg_buf_puts(&t, "; the lists of acquisitions and "
				"verifications with --json too");
	if (t.failed)
		r->o.failed = 1;
	FIELD(r, "Lists cut short", t.p, F_ALERT);
	free(t.p);
}

/* What the report is made from, for whoever checks it. */
static void about(struct fg_report *r)
{
	const struct fg_report_input *in = r->in;

	r->ops->block(r, 1);
	r->ops->heading(r, 1, "About this report", 1);
	FIELD(r, "Case", in->case_id ? in->case_id : "all cases", 0);
	FIELD(r, "Evidence item",
	      in->evidence_id ? in->evidence_id : "all items", 0);
	FIELD(r, "Report ID", r->report_id, 0);
	FIELD(r, "Generated (UTC)", r->generated, 0);
	FIELD(r, "Generated by", fg_version(), 0);
	field_from(r, "Case database", r->doc, "database", F_CODE);
	field_from(r, "Schema version", r->doc, "schema_version", 0);
	field_from(r, "Exported (UTC)", r->doc, "exported_utc", 0);
	r->ops->note(r, "Every statement of this report comes from the case "
			"database; what it does not hold reads \"unknown\".  "
			"Times are UTC unless said otherwise.  The report ID "
			"is the start of the SHA-256 of the database's export "
			"and of the time of generation: the same report has "
			"the same ID.");
}

static void seals_appendix(struct fg_report *r);

int fg_report_walk(struct fg_report *r)
{
	const struct fg_report_input *in = r->in;
	json_t *cases = jarr(r->doc, "cases"), *c, *e, *x;
	size_t i, j, k;
	char *title, *see;
	char b[32];

	title = fg_strdup_printf("Evidence report: case %s",
				 in->case_id ? in->case_id : "(all cases)");
	r->ops->begin(r, title ? title : "Evidence report");
	free(title);
	fg_report_summary(r);

	json_array_foreach(cases, i, c) {
		char *h;

		/* The case's own facts head the page of its first item (a
		 * page of their own would be nearly blank). */
		if (json_array_size(jarr(c, "evidence")) > 0)
			r->ops->block(r, 1);
		h = fg_strdup_printf("Details: case %s",
				     jstr(c, "case_id") ?: UNKNOWN);
		r->ops->heading(r, 1, h ? h : "Case", 0);
		free(h);
		field_from(r, "Description", c, "description", 0);
		field_from(r, "Opened (UTC)", c, "created_utc", 0);
		field_from(r, "Opened by", c, "examiner", 0);
		{
			size_t after;
			FIELD(r, "Evidence items",
			      (snprintf(b, sizeof(b), "%" PRId64,
					(int64_t)json_array_size(
						jarr(c, "evidence")) +
						fg_report_omitted(c, "evidence",
								  &after)),
			       b),
			      0);
		}
		cut_begins(r, c, "evidence", "Evidence items");
		json_array_foreach(jarr(c, "evidence"), j, e) {
			cut_here(r, c, "evidence", j, jstr(c, "case_id"), NULL,
				 NULL, 0);
			if (j > 0)
				r->ops->block(r, 1);
			h = fg_strdup_printf("Evidence item %s",
					     jstr(e, "evidence_id") ?: UNKNOWN);
			r->ops->heading(r, 2, h ? h : "Evidence item", 1);
			free(h);
			field_from(r, "Case", c, "case_id", 0);
			field_from(r, "Description", e, "description", 0);
			field_from(r, "Added (UTC)", e, "created_utc", 0);
			field_from(r, "Added by", e, "examiner", 0);
			if (json_array_size(jarr(e, "acquisitions")) == 0)
				r->ops->note(r, "No acquisition is recorded "
						"for this item.");
			cut_begins(r, e, "acquisitions", "Acquisitions");
			json_array_foreach(jarr(e, "acquisitions"), k, x) {
				cut_here(r, e, "acquisitions", k,
					 jstr(c, "case_id"),
					 jstr(e, "evidence_id"), NULL, 0);
				acquisition(r, x);
			}
			cut_here(r, e, "acquisitions", k, jstr(c, "case_id"),
				 jstr(e, "evidence_id"), NULL, 0);
			r->ops->heading(r, 3, "Verifications", 0);
			if (json_array_size(jarr(e, "verifications")) == 0)
				r->ops->note(r, "No verification is "
						"recorded.");
			verifications(r, e, "verifications",
				      jstr(c, "case_id"),
				      jstr(e, "evidence_id"));
			see = fg_report_see(jstr(c, "case_id"),
					    jstr(e, "evidence_id"), 0);
			if (see == NULL)
				r->o.failed = 1;
			custody(r, e, 0, see ? see : "forage case show");
			free(see);
			r->ops->block(r, 0);
		}
		cut_here(r, c, "evidence", j, jstr(c, "case_id"), NULL, NULL,
			 0);
		/* Verifications and custody kept at case level, if any. */
		if (json_array_size(jarr(c, "verifications")) > 0) {
			r->ops->heading(r, 3, "Verifications of the case", 0);
			verifications(r, c, "verifications",
				      jstr(c, "case_id"), NULL);
		}
		if (json_array_size(jarr(c, "custody")) > 0)
			custody(r, c, 1, "forage case show");
		h = fg_strdup_printf("Acquisitions of case %s not filed "
				     "under an evidence item",
				     jstr(c, "case_id") ?: UNKNOWN);
		unfiled(r, jarr(c, "unfiled_acquisitions"),
			h ? h : "Unfiled acquisitions");
		free(h);
		if (json_array_size(jarr(c, "unfiled_verifications")) > 0) {
			r->ops->heading(r, 3, "Verifications not filed under "
					      "an evidence item",
					0);
			verifications(r, c, "unfiled_verifications",
				      jstr(c, "case_id"), NULL);
		}
	}
	unfiled(r, jarr(r->doc, "unfiled_acquisitions"),
		"Acquisitions not filed under any case");
	if (json_array_size(jarr(r->doc, "unfiled_verifications")) > 0) {
		r->ops->heading(r, 2, "Verifications not filed under any case",
				0);
		verifications(r, r->doc, "unfiled_verifications",
			      r->in->case_id, r->in->evidence_id);
	}
	defaults_appendix(r);
	event_log(r);
	seals_appendix(r);
	about(r); /* opens the last page's block: the attestation follows */
	fg_report_attestation(r);
	r->ops->block(r, 0);
	r->ops->end(r);
	return FG_OK;
}

/* The seals of the log's head stored in the database (forage case seal,
 * --seal), a short list: name, time, head, whether signed and
 * time-stamped.  The audit in the summary checked each against the log;
 * the JSON export lists them whole (the SHA-256 of each document). */
static void seals_appendix(struct fg_report *r)
{
	static const char *const cols[] = {"Seal", "Time (UTC)", "Event",
					   "SHA-256 (start)", "Signed",
					   "Time-stamped"};
	static const unsigned fl[] = {F_CODE, 0, 0, F_HASH, 0, 0};
	json_t *arr = json_object_get(r->doc, "seals"), *s;
	size_t i, after;
	int64_t omitted = fg_report_omitted(r->doc, "seals", &after);

	r->ops->block(r, 1);
	r->ops->heading(r, 1, "Appendix: seals of the event log", 1);
	if (!json_is_array(arr)) {
		r->ops->note(r, "The export holds no list of seals: unknown.");
		r->ops->block(r, 0);
		return;
	}
	r->ops->note(r, "Each seal is a copy of the log's head at the time "
			"(signed with the examiner's key when made with one), "
			"kept as a file (beside an SQLite database, in the "
			"current folder for one on a server) and in the "
			"database (forage case "
			"seal); forage case audit checks the log against "
			"every one.");
	if (json_array_size(arr) == 0 && omitted == 0)
		r->ops->note(r, "No seal is stored in the case database.");
	if (omitted > 0)
		listed_of(r, r->doc, "seals", "Seals", omitted, after);
	if (json_array_size(arr) > 0)
		r->ops->table(r, cols, 6);
	json_array_foreach(arr, i, s) {
		char ev[32], hs[16];
		const char *cells[6], *h = jstr(s, "head_sha256");

		if (omitted > 0 && i == after) {
			r->ops->table_end(r);
			not_listed(r, r->doc, "seals", "seals",
				   "forage case show --json");
			r->ops->table(r, cols, 6);
		}
		snprintf(hs, sizeof(hs), "%.8s", h ? h : "");
		cells[0] = jstr(s, "name");
		cells[1] = jstr(s, "utc");
		cells[2] = jtext(s, "head_event", ev, sizeof(ev));
		cells[3] = h ? hs : NULL;
		cells[4] = json_is_true(json_object_get(s, "has_signature"))
				   ? "yes"
				   : "no";
		cells[5] = json_is_true(json_object_get(s, "has_timestamp"))
				   ? "yes"
				   : "no";
		r->ops->row(r, cells, fl);
	}
	if (json_array_size(arr) > 0)
		r->ops->table_end(r);
	if (omitted > 0 && after == json_array_size(arr))
		not_listed(r, r->doc, "seals", "seals",
			   "forage case show --json");
	r->ops->block(r, 0);
}
