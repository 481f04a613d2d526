/*
 * record_log.c - OUTBASE.txt: the acquisition record as an imaging log an
 * examiner reads and signs, laid out as the logs of other imaging tools
 * are: a header, the case, the source's identity, the result with the
 * hashes (in the first thirty lines), the source's details (hidden areas,
 * write block), the unreadable ranges, then what record_log_setup.c
 * writes (verifications, files, parameters, the run), every value not
 * shown in its place, and a signature block.
 *
 * The JSON keeps every value; so does the log: a copy of the record is
 * emptied as the log shows its values (fg_log_take), and what is left is
 * printed under "OTHER RECORDED VALUES".  The lines are made by the
 * helpers of record_text.c: 80 columns, every string escaped.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "record/record_int.h"

/* ---- The imaging log: sections --------------------------------------------
 */

static void log_header(struct fg_log *l, const char *txt_path)
{
	const char *name = fg_log_str(l, "tool.name");
	const char *version = fg_log_str(l, "tool.version");
	char *n = fg_log_shown_or(name, "forage"),
	     *v = fg_log_shown_or(version, "unknown");
	json_t *tool = fg_record_json_at(l->root, "tool");
	const char *key;
	json_t *val;
	char when[32], utc[40];

	fg_buf_puts(l->b, "FORAGE ACQUISITION LOG\n======================\n");
	if (n != NULL && v != NULL)
		fg_log_fieldf(l, "Tool", "%s %s", n, v);
	free(n);
	free(v);
	/* The program's own digest, under whatever name the record keeps
	 * it: any other SHA-256 of the tool. */
	json_object_foreach(tool, key, val)
	{
		if (strcmp(key, "sha256") == 0 ||
		    !fg_log_is_sha256(json_string_value(val)))
			continue;
		fg_log_field(l, "Tool SHA-256", json_string_value(val));
		fg_log_take(l, fg_log_sub(l, "tool.%s", key));
	}
	if (txt_path != NULL) {
		const char *b = fg_path_base(txt_path);
		size_t nb = strlen(b);
		char *rec = NULL, *t;
		if (nb > 4 && strcmp(b + nb - 4, ".txt") == 0)
			rec = fg_strdup_printf("%.*s.json", (int)(nb - 4), b);
		t = rec != NULL ? fg_log_shown(rec, strlen(rec)) : NULL;
		if (t != NULL)
			fg_log_fieldf(l, "Record",
				      "%s (every value; this log is its "
				      "summary)",
				      t);
		free(t);
		free(rec);
	}
	fg_record_utc_now(when, sizeof(when));
	fg_log_utc(utc, sizeof(utc), when);
	fg_log_field(l, "Log written", utc);
}

static void log_case(struct fg_log *l)
{
	fg_log_heading(l, "CASE");
	fg_log_key(l, "Case number", "case.case_id", "none given");
	fg_log_key(l, "Evidence", "case.evidence_id", "none given");
	fg_log_key(l, "Examiner", "case.examiner", "none given");
	fg_log_key(l, "Description", "case.description", "none given");
	fg_log_key(l, "Notes", "case.notes", "none");
}

/* The source's identity: one of the summary facts (model ..), or the
 * word "unknown" (a file has none: not shown). */
static void identity(struct fg_log *l, const char *lab, const char *key,
		     int device)
{
	json_t *v = fg_record_json_at(l->root, key);

	if (json_is_string(v) || device)
		fg_log_key(l, lab, key, "unknown");
	else
		fg_log_take(l, key);
}

/* A partition source's place on its disk, and a disk's partitions. */
static void partitions(struct fg_log *l)
{
	json_t *parts = fg_record_json_at(l->root, "source.partitions"), *v;
	const char *name;
	int64_t num, off, size;
	char o[32], z[32];

	if (fg_log_int(l, "source.partition.number", &num)) {
		char *d = fg_log_shown_or(
		    fg_log_str(l, "source.partition.disk"), "?");
		off = size = 0;
		fg_log_int(l, "source.partition.offset_bytes", &off);
		fg_log_int(l, "source.partition.size_bytes", &size);
		fg_commas(o, sizeof(o), (uint64_t)off);
		fg_commas(z, sizeof(z), (uint64_t)size);
		if (d != NULL)
			fg_log_fieldf(l, "Partition",
				      "number %" PRId64 " of %s, "
				      "from byte %s, %s bytes",
				      num, d, o, z);
		free(d);
	}
	json_object_foreach(parts, name, v)
	{
		char *n = fg_log_shown_or(name, "?"), *c;
		const char *ct;

		num = off = size = 0;
		fg_log_int(l,
			   fg_log_sub(l, "source.partitions.%s.number", name),
			   &num);
		fg_log_int(
		    l, fg_log_sub(l, "source.partitions.%s.offset_bytes", name),
		    &off);
		fg_log_int(
		    l, fg_log_sub(l, "source.partitions.%s.size_bytes", name),
		    &size);
		ct = fg_log_str(
		    l, fg_log_sub(l, "source.partitions.%s.content", name));
		c = fg_log_shown_or(ct, "content unknown");
		fg_commas(o, sizeof(o), (uint64_t)off);
		fg_commas(z, sizeof(z), (uint64_t)size);
		if (n != NULL && c != NULL)
			fg_log_fieldf(l, "Partition",
				      "%s (number %" PRId64 "): from "
				      "byte %s, %s bytes; %s",
				      n, num, o, z, c);
		free(n);
		free(c);
	}
}

static void log_source(struct fg_log *l)
{
	const char *kind = fg_log_str(l, "source.kind");
	int device = kind != NULL && strcmp(kind, "block device") == 0;
	int64_t size = 0, total = 0, off = 0, ss = 0, pss = 0;
	char *path = fg_log_shown_or(fg_log_str(l, "source.path"), "unknown");
	char *k = fg_log_shown_or(kind, "unknown");
	char a[40], b[40], c[96];

	fg_log_heading(l, "SOURCE");
	if (path != NULL && k != NULL)
		fg_log_fieldf(l, "Source", "%s (%s)", path, k);
	free(path);
	free(k);
	identity(l, "Vendor", "source.vendor", 0);
	identity(l, "Model", "source.model", device);
	identity(l, "Serial number", "source.serial", device);
	identity(l, "Firmware", "source.firmware_revision", device);
	identity(l, "Transport", "source.transport", 0);
	fg_log_int(l, "source.size", &size);
	fg_log_int(l, "source.total_size", &total);
	fg_log_int(l, "source.offset", &off);
	fg_log_int(l, "source.logical_sector_size", &ss);
	fg_log_int(l, "source.physical_sector_size", &pss);
	fg_commas(a, sizeof(a), (uint64_t)size);
	fg_size_both(c, sizeof(c), (uint64_t)size);
	fg_log_fieldf(l, "Size", "%s bytes (%s)", a, c);
	if (ss > 0) {
		fg_commas(b, sizeof(b), (uint64_t)(size / ss));
		if (size % ss == 0)
			fg_log_fieldf(l, "Sectors", "%s x %" PRId64 " bytes", b,
				      ss);
		else
			fg_log_fieldf(l, "Sectors",
				      "%s x %" PRId64 " bytes, and %" PRId64
				      " bytes more",
				      b, ss, size % ss);
	}
	if (pss > 0 && pss != ss)
		fg_log_fieldf(l, "Physical sector", "%" PRId64 " bytes", pss);
	if (off != 0 || total != size) {
		char t[40], o[40];
		fg_commas(t, sizeof(t), (uint64_t)total);
		fg_commas(o, sizeof(o), (uint64_t)off);
		fg_log_fieldf(l, "Part read",
			      "from byte %s of the source's %s bytes", o, t);
	}
}

/* A hidden area (HPA, DCO) as a sentence (fg_record_hidden_area_words);
 * the values it puts into words are shown. */
static void hidden_area(struct fg_log *l, const char *lab, const char *p,
			const char *name)
{
	static const char *const keys[] = {
	    "state", "note", "hidden_sectors", "hidden_first_lba",
	    "user_addressable_sectors", "native_max_sectors"};
	json_t *v = fg_record_json_at(l->root, p);
	char *w = fg_record_hidden_area_words(
	    v, name,
	    json_string_value(fg_record_json_at(l->root, "source.kind")));
	char *t = w != NULL ? fg_log_shown(w, strlen(w)) : NULL;
	char k[64];
	size_t i;

	if (t == NULL)
		l->b->failed = 1;
	else
		fg_log_field(l, lab, t);
	free(t);
	free(w);
	if (json_is_string(v))
		fg_log_take(l, p);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(k, sizeof(k), "%s.%s", p, keys[i]);
		fg_log_take(l, k);
	}
	/* The DCO's maximum, or the HPA's when it has no native one. */
	snprintf(k, sizeof(k), "%s.native_max_sectors", p);
	if (fg_record_json_at(l->root, k) == NULL) {
		snprintf(k, sizeof(k), "%s.factory_max_sectors", p);
		fg_log_take(l, k);
	}
}

/* Each device of the write-block scope in a sentence of its own
 * (fg_record_devices_words); the values it puts into words are shown. */
static void wb_devices(struct fg_log *l, json_t *devs)
{
	static const char *const keys[] = {
	    "node", "role", "readonly_before", "flag_set_by_forage",
	    "readonly_after", "readonly"};
	char *w = fg_record_devices_words(devs), *line, *save = NULL, *t;
	const char *name;
	json_t *v;
	size_t i;

	if (w == NULL) {
		l->b->failed = 1;
		return;
	}
	for (line = strtok_r(w, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		t = fg_log_shown(line, strlen(line));
		if (t == NULL) {
			l->b->failed = 1;
			continue;
		}
		fg_buf_puts(l->b, "  ");
		fg_log_wrap(l->b, t, 2, 4);
		free(t);
	}
	free(w);
	json_object_foreach(devs, name, v)
	{
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			char k[256];
			snprintf(k, sizeof(k), "write_block.devices.%s.%s",
				 name, keys[i]);
			fg_log_take(l, k);
		}
	}
}

static void log_protection(struct fg_log *l)
{
	json_t *devs = fg_record_json_at(l->root, "write_block.devices");
	const char *lead;
	int excl, held;

	fg_log_heading(l, "SOURCE DETAILS");
	partitions(l);
	if (json_is_string(fg_record_json_at(l->root, "source.content")))
		fg_log_key(l, "Content", "source.content", "");
	else if (json_is_string(
		     fg_record_json_at(l->root, "source.content_note")))
		fg_log_key(l, "Content", "source.content_note", "");
	fg_log_take(l, "source.content");
	fg_log_list(l, "Identity note", "source.identity_notes");
	hidden_area(l, "HPA", "source.hpa", "host protected area");
	hidden_area(l, "DCO", "source.dco", "device configuration overlay");
	fg_log_raw_pages(l, "Identity page", "source.raw_pages");
	lead = fg_record_write_block_words(
	    fg_record_json_at(l->root, "write_block"));
	if (lead != NULL) {
		char *t = fg_log_shown(lead, strlen(lead));
		if (t == NULL)
			l->b->failed = 1;
		else
			fg_log_field(l, "Write block", t);
		free(t);
	}
	fg_log_take(l, "write_block.applicable");
	fg_log_take(l, "write_block.no_write_block");
	fg_log_take(l, "write_block.state");
	fg_log_bool(l, "write_block.readonly_before");
	fg_log_bool(l, "write_block.readonly_after");
	wb_devices(l, devs);
	excl = fg_log_bool(l, "write_block.exclusive_open");
	if (excl != -1)
		fg_log_field(
		    l, "Exclusive open",
		    excl ? "yes: no other program could open the source "
			   "while it was read (O_EXCL)."
			 : "no.");
	held = fg_log_bool(l, "write_block.held_by_others");
	if (held == 1)
		fg_log_field(l, "Held by others",
			     "yes: another program held the "
			     "device open.");
	fg_log_list(l, "Mounted rw", "write_block.mounted_read_write");
	fg_log_list(l, "Mounted ro", "write_block.mounted_read_only");
	fg_log_list(l, "Attached as", "write_block.attached_as");
	fg_log_list(l, "Stacked on it", "write_block.stacked");
	fg_log_list(l, "Holder", "write_block.holders");
	fg_log_list(l, "Warning", "write_block.warnings");
	fg_log_list(l, "Note", "write_block.notes");
}

/* ---- The result -----------------------------------------------------------
 */

/* The unreadable sectors and ranges of the record. */
static void bad_totals(struct fg_log *l, uint64_t *sectors, size_t *ranges)
{
	json_t *a = fg_record_json_at(l->root, "bad_ranges"), *e;
	size_t i;

	*sectors = 0;
	*ranges = json_is_array(a) ? json_array_size(a) : 0;
	json_array_foreach(a, i, e)
	{
		json_t *c = json_object_get(e, "count");
		if (json_is_integer(c) && json_integer_value(c) > 0)
			*sectors += (uint64_t)json_integer_value(c);
	}
}

static int fill_byte(struct fg_log *l)
{
	json_t *f = fg_record_json_at(l->root, "parameters.fill_byte");

	return json_is_integer(f) ? (int)(json_integer_value(f) & 0xff) : 0;
}

static const struct {
	const char *word, *shown;
} status_words[] = {
    {"success", "COMPLETE"},
    {"completed with errors", "COMPLETE WITH ERRORS"},
    {"interrupted", "INTERRUPTED"},
    {"verification failed", "VERIFICATION FAILED"},
    {"failed", "FAILED"},
    {"running", "NOT FINISHED"},
};

static void log_status(struct fg_log *l)
{
	const char *st = fg_log_str(l, "result.status");
	const char *msg = fg_log_str(l, "result.message");
	const char *word = NULL;
	char *m = NULL, *s;
	uint64_t sectors;
	size_t ranges, i;

	for (i = 0;
	     st != NULL && i < sizeof(status_words) / sizeof(status_words[0]);
	     i++)
		if (strcmp(st, status_words[i].word) == 0)
			word = status_words[i].shown;
	s = fg_log_shown_or(st, "unknown");
	bad_totals(l, &sectors, &ranges);
	if (msg != NULL)
		m = fg_log_shown_or(msg, "");
	if (s == NULL || (msg != NULL && m == NULL)) {
		l->b->failed = 1;
	} else if (word == NULL) {
		fg_log_fieldf(l, "Status", "%s%s%s", s, m != NULL ? ": " : "",
			      m != NULL ? m : "");
	} else if (strcmp(st, "completed with errors") == 0) {
		char n[32];
		fg_commas(n, sizeof(n), sectors);
		fg_log_fieldf(l, "Status",
			      "%s: %s unreadable sector%s filled with "
			      "0x%02X",
			      word, n, sectors == 1 ? "" : "s", fill_byte(l));
	} else if (strcmp(st, "running") == 0) {
		fg_log_fieldf(l, "Status",
			      "%s: the record was never ended (the "
			      "run stopped or is still running)",
			      word);
	} else if (m != NULL) {
		fg_log_fieldf(l, "Status", "%s: %s", word, m);
	} else if (strcmp(st, "interrupted") == 0) {
		fg_log_fieldf(l, "Status", "%s: stopped before the end", word);
	} else {
		fg_log_field(l, "Status", word);
	}
	free(s);
	free(m);
}

static void log_times(struct fg_log *l)
{
	char t[48];
	int64_t d;

	fg_log_utc(t, sizeof(t), fg_log_str(l, "run.started_utc"));
	fg_log_field(l, "Started", t);
	if (json_is_string(fg_record_json_at(l->root, "run.finished_utc"))) {
		fg_log_utc(t, sizeof(t), fg_log_str(l, "run.finished_utc"));
		if (fg_log_int(l, "run.duration_seconds", &d) && d >= 0)
			fg_log_fieldf(l, "Finished",
				      "%s (duration %" PRId64 ":%02d:%02d)", t,
				      d / 3600, (int)(d / 60 % 60),
				      (int)(d % 60));
		else
			fg_log_field(l, "Finished", t);
	} else {
		fg_log_take(l, "run.finished_utc");
		fg_log_field(l, "Finished", "not recorded");
	}
}

/* The digests of the media, or why there are none. */
static void log_hashes(struct fg_log *l)
{
	int64_t bytes;
	const char *md5 = fg_log_str(l, "hashes.md5");
	const char *sha1 = fg_log_str(l, "hashes.sha1");
	const char *sha256 = fg_log_str(l, "hashes.sha256");

	/* The bytes hashed, when they are not the source's size. */
	if (fg_log_int(l, "hashes.bytes", &bytes)) {
		char a[40];
		json_t *s = fg_record_json_at(l->root, "source.size");
		if (!json_is_integer(s) || json_integer_value(s) != bytes) {
			fg_commas(a, sizeof(a), (uint64_t)bytes);
			fg_log_fieldf(l, "Data hashed", "%s bytes", a);
		}
	}
	if (md5 == NULL && sha1 == NULL && sha256 == NULL)
		fg_log_field(l, "Hashes",
			     "none: the acquisition did not finish");
	if (md5 != NULL)
		fg_log_field(l, "MD5", md5);
	if (sha1 != NULL)
		fg_log_field(l, "SHA-1", sha1);
	if (sha256 != NULL)
		fg_log_field(l, "SHA-256", sha256);
}

/* The algorithms of a verification's checks that matched: "MD5 and
 * SHA-256". */
static void matched_algs(json_t *v, char *out, size_t len)
{
	static const char *const alg[][2] = {
	    {"md5", "MD5"}, {"sha1", "SHA-1"}, {"sha256", "SHA-256"}};
	json_t *checks = json_object_get(v, "checks"), *c;
	size_t i, k, n = 0;
	const char *names[3];

	out[0] = '\0';
	for (k = 0; k < 3; k++) {
		int seen = 0;
		json_array_foreach(checks, i, c)
		{
			const char *a =
			    json_string_value(json_object_get(c, "algorithm"));
			const char *r =
			    json_string_value(json_object_get(c, "result"));
			if (a != NULL && r != NULL &&
			    strcmp(a, alg[k][0]) == 0 &&
			    strcmp(r, "match") == 0)
				seen = 1;
		}
		if (seen)
			names[n++] = alg[k][1];
	}
	for (k = 0; k < n; k++) {
		size_t o = strlen(out);
		snprintf(out + o, len - o, "%s%s",
			 k == 0	      ? ""
			 : k + 1 == n ? " and "
				      : ", ",
			 names[k]);
	}
}

/* One line for a --verify read-back (the details are under
 * VERIFICATION). */
static void verify_line(struct fg_log *l, const char *lab, const char *key,
			int asked)
{
	json_t *v = fg_record_json_at(l->root, key);
	const char *st = json_string_value(json_object_get(v, "status"));
	char algs[64];

	if (!json_is_object(v)) {
		fg_log_field(l, lab,
			     asked ? "not done (the run did not get that far)"
				   : "not asked (no --verify)");
		return;
	}
	matched_algs(v, algs, sizeof(algs));
	if (st != NULL && strcmp(st, "verified") == 0)
		fg_log_fieldf(l, lab,
			      "VERIFIED: the image read back gives the same "
			      "%s",
			      algs[0] != '\0' ? algs : "digests");
	else if (st != NULL && strcmp(st, "mismatch") == 0)
		fg_log_field(l, lab,
			     "MISMATCH: the image read back differs (see "
			     "VERIFICATION)");
	else
		fg_log_field(l, lab, "CANNOT VERIFY (see VERIFICATION)");
}

static void log_result(struct fg_log *l)
{
	json_t *vs = fg_record_json_at(l->root, "verify_source");
	int verify =
	    json_is_true(fg_record_json_at(l->root, "parameters.verify"));
	int vsrc = json_is_true(
	    fg_record_json_at(l->root, "parameters.verify_source"));
	uint64_t sectors;
	size_t ranges;

	fg_log_heading(l, "RESULT");
	log_status(l);
	log_times(l);
	log_hashes(l);
	bad_totals(l, &sectors, &ranges);
	if (ranges == 0) {
		fg_log_field(
		    l, "Unreadable",
		    json_is_string(fg_record_json_at(l->root, "hashes.md5")) ||
			    json_is_string(
				fg_record_json_at(l->root, "hashes.sha256"))
			? "none: every sector was read"
			: "none recorded");
	} else {
		char n[32], r[32];
		fg_commas(n, sizeof(n), sectors);
		fg_commas(r, sizeof(r), (uint64_t)ranges);
		fg_log_fieldf(l, "Unreadable",
			      "%s sector%s in %s range%s, filled "
			      "with 0x%02X (see ERRORS)",
			      n, sectors == 1 ? "" : "s", r,
			      ranges == 1 ? "" : "s", fill_byte(l));
	}
	verify_line(l, "Image re-read", "verification", verify);
	if (fg_record_json_at(l->root, "verification_second_output") != NULL ||
	    json_is_string(
		fg_record_json_at(l->root, "parameters.second_output")))
		verify_line(l, "Copy 2 re-read", "verification_second_output",
			    verify);
	if (json_is_object(vs)) {
		const char *st =
		    json_string_value(json_object_get(vs, "status"));
		if (st != NULL && strcmp(st, "match") == 0)
			fg_log_field(
			    l, "Source re-read",
			    "MATCH: the source read again gives the same "
			    "digests");
		else if (st != NULL && strcmp(st, "mismatch") == 0)
			fg_log_field(
			    l, "Source re-read",
			    "MISMATCH: the source read again gives other "
			    "digests (see VERIFICATION)");
		else
			fg_log_fieldf(
			    l, "Source re-read", "%s (see VERIFICATION)",
			    st != NULL && strcmp(st, "interrupted") == 0
				? "INTERRUPTED"
				: "FAILED");
	} else {
		fg_log_field(l, "Source re-read",
			     vsrc ? "not done (the run did not get that far)"
				  : "not asked (no --verify-source)");
	}
}

/* ---- Errors ---------------------------------------------------------------
 */

static void log_errors(struct fg_log *l)
{
	json_t *a = fg_log_take(l, "bad_ranges"), *e;
	uint64_t sectors, more = 0;
	size_t ranges, i;
	int64_t v;

	fg_log_heading(l, "ERRORS");
	bad_totals(l, &sectors, &ranges);
	fg_log_take(l, "reading.bad_ranges");
	fg_log_take(l, "reading.sectors_filled");
	if (ranges == 0) {
		fg_log_para(l, 0,
			    json_is_object(fg_record_json_at(l->root, "hashes"))
				? "No unreadable sectors."
				: "No unreadable sectors in what was read.");
	} else {
		char n[32], r[32];
		fg_commas(n, sizeof(n), sectors);
		fg_commas(r, sizeof(r), (uint64_t)ranges);
		fg_buf_printf(l->b,
			      "%s unreadable sector%s in %s range%s, "
			      "each sector filled with 0x%02X:\n",
			      n, sectors == 1 ? "" : "s", r,
			      ranges == 1 ? "" : "s", fill_byte(l));
	}
	json_array_foreach(a, i, e)
	{
		json_t *f = json_object_get(e, "first_lba");
		json_t *c = json_object_get(e, "count");
		int64_t first, count;

		if (!json_is_integer(f) || !json_is_integer(c))
			continue;
		first = json_integer_value(f);
		count = json_integer_value(c);
		if (i >= LOG_MAX_RANGES) {
			more += (uint64_t)count;
			continue;
		}
		/* LBAs as other tools print them (ddrescuelog, ewfinfo):
		 * digits alone, to be compared. */
		if (count == 1)
			fg_buf_printf(l->b, "  LBA %" PRId64 " (1 sector)\n",
				      first);
		else
			fg_buf_printf(l->b,
				      "  LBA %" PRId64 " - %" PRId64
				      " (%" PRId64 " sectors)\n",
				      first, first + count - 1, count);
	}
	if (ranges > LOG_MAX_RANGES) {
		char r[32], s[32], t[200];
		fg_commas(r, sizeof(r),
			      (uint64_t)(ranges - LOG_MAX_RANGES));
		fg_commas(s, sizeof(s), more);
		snprintf(t, sizeof(t),
			 "... and %s more ranges (%s sectors): the JSON "
			 "record lists every range (bad_ranges).",
			 r, s);
		fg_log_para(l, 2, t);
	}
	if (fg_log_int(l, "reading.read_errors", &v)) {
		char n[32];
		fg_commas(n, sizeof(n), (uint64_t)v);
		fg_log_fieldf(l, "Read errors", "%s read%s failed", n,
			      v == 1 ? "" : "s");
	}
	if (fg_log_int(l, "reading.retries", &v)) {
		char n[32];
		fg_commas(n, sizeof(n), (uint64_t)v);
		fg_log_fieldf(l, "Retries", "%s read%s retried", n,
			      v == 1 ? "" : "s");
	}
	if (fg_log_int(l, "reading.bytes_not_read", &v) && v > 0) {
		char n[32];
		fg_commas(n, sizeof(n), (uint64_t)v);
		fg_log_fieldf(l, "Not read",
			      "%s bytes were never read (the run "
			      "stopped first)",
			      n);
	}
}

/* ---- The whole log --------------------------------------------------------
 */

static void log_signature(struct fg_log *l)
{
	fg_log_heading(l, "SIGNATURE");
	fg_log_para(l, 0,
		    "I acquired the evidence described above; this log is a "
		    "true record of the acquisition.");
	fg_buf_puts(l->b, "\nExaminer: ______________________________  "
			  "Date: ________________\n\n"
			  "Signature: _____________________________\n");
}

char *fg_record_dump_log(const struct fg_record *r, const char *txt_path)
{
	struct fg_buf b = {NULL, 0, 0, 0};
	struct fg_log l;

	l.b = &b;
	l.root = fg_record_root(r);
	l.rest = json_deep_copy(l.root);
	if (l.rest == NULL)
		return NULL;
	log_header(&l, txt_path);
	log_case(&l);
	log_source(&l);
	log_result(&l);
	log_protection(&l);
	log_errors(&l);
	fg_log_health(&l);
	fg_log_verification(&l);
	fg_log_outputs(&l, txt_path);
	fg_log_parameters(&l);
	fg_log_run(&l);
	fg_log_other(&l);
	log_signature(&l);
	json_decref(l.rest);
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

int fg_record_write_text(const struct fg_record *r, const char *path,
			 int replace, struct fg_error *err)
{
	char *text = fg_record_dump_log(r, path);
	int rc;

	if (text == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	rc = fg_write_file_atomic(path, text, strlen(text), replace, err);
	free(text);
	return rc;
}
