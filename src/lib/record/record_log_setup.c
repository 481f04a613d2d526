/*
 * record_log_setup.c - the imaging log's (record_log.c) account of what
 * was checked, written and set: the --verify and --verify-source details,
 * the files of each copy with their hashes and the E01 container, the
 * parameters in words and units with the defaults marked (in the words
 * of the report: fg_record_settings_words), and the run
 * (host, command, how the hashes were made, the case database).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "record/record_int.h"

/* ---- Verification details -------------------------------------------------
 */

/* "Label: the string at field of the check c", when there is one. */
static void check_value(struct fg_log *l, const char *lab, json_t *c,
			const char *field)
{
	char *v = fg_log_shown_or(json_string_value(json_object_get(c, field)),
				  "none");

	if (v == NULL) {
		l->b->failed = 1;
		return;
	}
	fg_log_field(l, lab, v);
	free(v);
}

static void check_lines(struct fg_log *l, json_t *checks)
{
	json_t *c;
	size_t i;

	json_array_foreach(checks, i, c)
	{
		const char *what =
		    json_string_value(json_object_get(c, "what"));
		const char *alg =
		    json_string_value(json_object_get(c, "algorithm"));
		const char *res =
		    json_string_value(json_object_get(c, "result"));
		const char *src =
		    json_string_value(json_object_get(c, "source"));
		char *w = fg_log_shown_or(what, "?"),
		     *a = fg_log_shown_or(alg, "-"),
		     *r = fg_log_shown_or(res, "?"),
		     *s = fg_log_shown_or(src, "unknown"), *t;

		if (i >= LOG_MAX_CHECKS) {
			free(w), free(a), free(r), free(s);
			fg_buf_printf(l->b,
				      "  ... and %zu more checks in the "
				      "JSON record\n",
				      json_array_size(checks) - i);
			break;
		}
		t = w != NULL && a != NULL && r != NULL && s != NULL
			? alg != NULL
			      ? fg_strdup_printf("%s of %s: %s (against %s)",
						 fg_log_alg_name(alg), w, r, s)
			      : fg_strdup_printf("%s: %s (%s)", w, r, s)
			: NULL;
		if (t != NULL) {
			fg_buf_puts(l->b, "  ");
			fg_log_wrap(l->b, t, 2, 4);
		} else {
			l->b->failed = 1;
		}
		/* A comparison that did not match: both sides. */
		if (res != NULL && strcmp(res, "match") != 0) {
			check_value(l, "    Expected", c, "expected");
			check_value(l, "    Computed", c, "computed");
		}
		free(t), free(w), free(a), free(r), free(s);
	}
}

/* The details of a --verify read-back: key is "verification" or
 * "verification_second_output". */
static void verification_details(struct fg_log *l, const char *key,
				 const char *title)
{
	char k[96];
	json_t *v = fg_record_json_at(l->root, key);
	char t1[48], t2[48];

	if (!json_is_object(v))
		return;
	fg_buf_printf(l->b, "%s:\n", title);
	fg_log_key(l, "  Outcome", fg_log_sub(l, "%s.status", key), "unknown");
	fg_log_utc(t1, sizeof(t1),
		   fg_log_str(l, fg_log_sub(l, "%s.started_utc", key)));
	fg_log_utc(t2, sizeof(t2),
		   fg_log_str(l, fg_log_sub(l, "%s.finished_utc", key)));
	fg_log_fieldf(l, "  Read back", "%s to %s", t1, t2);
	fg_log_key(l, "  Method", fg_log_sub(l, "%s.method", key), "unknown");
	fg_log_key(l, "  Page cache",
		   fg_log_sub(l, "%s.page_cache_bypass", key), "not kept out");
	snprintf(k, sizeof(k), "%s.message", key);
	if (json_is_string(fg_record_json_at(l->root, k)))
		fg_log_key(l, "  Why", k, "");
	else
		fg_log_take(l, k);
	check_lines(l, fg_log_take(l, fg_log_sub(l, "%s.checks", key)));
	fg_log_list(l, "  Problem", fg_log_sub(l, "%s.problems", key));
	/* The digests read back are the checks' "computed"; the damage
	 * ranges stay in their own lines below (OTHER) when there are
	 * any. */
	fg_log_take(l, fg_log_sub(l, "%s.md5", key));
	fg_log_take(l, fg_log_sub(l, "%s.sha1", key));
	fg_log_take(l, fg_log_sub(l, "%s.sha256", key));
	fg_log_take(l, fg_log_sub(l, "%s.bytes", key));
	snprintf(k, sizeof(k), "%s.damage", key);
	if (json_array_size(fg_record_json_at(l->root, k)) == 0)
		fg_log_take(l, k);
}

void fg_log_verification(struct fg_log *l)
{
	json_t *vs = fg_record_json_at(l->root, "verify_source");
	char t1[48], t2[48];
	int64_t n;

	if (!json_is_object(fg_record_json_at(l->root, "verification")) &&
	    !json_is_object(
		fg_record_json_at(l->root, "verification_second_output")) &&
	    !json_is_object(vs))
		return;
	fg_log_heading(l, "VERIFICATION");
	verification_details(l, "verification", "Image read back (--verify)");
	verification_details(l, "verification_second_output",
			     "Second copy read back (--verify)");
	if (!json_is_object(vs))
		return;
	fg_buf_puts(l->b, "Source read again (--verify-source):\n");
	fg_log_key(l, "  Outcome", "verify_source.status", "not recorded");
	fg_log_utc(t1, sizeof(t1), fg_log_str(l, "verify_source.started_utc"));
	fg_log_utc(t2, sizeof(t2), fg_log_str(l, "verify_source.finished_utc"));
	fg_log_fieldf(l, "  Read again", "%s to %s", t1, t2);
	fg_log_key(l, "  Method", "verify_source.method", "unknown");
	if (json_is_string(fg_record_json_at(l->root, "verify_source.message")))
		fg_log_key(l, "  Why", "verify_source.message", "");
	else
		fg_log_take(l, "verify_source.message");
	fg_log_key_if(l, "  MD5", "verify_source.md5");
	fg_log_key_if(l, "  SHA-1", "verify_source.sha1");
	fg_log_key_if(l, "  SHA-256", "verify_source.sha256");
	if (fg_log_int(l, "verify_source.sectors_filled", &n) && n > 0)
		fg_log_fieldf(l, "  Unreadable",
			      "%" PRId64 " sectors could not be "
			      "read again",
			      n);
}

/* ---- Outputs --------------------------------------------------------------
 */

static void output_files(struct fg_log *l, unsigned copy)
{
	json_t *a = fg_record_json_at(l->root, "outputs"), *e;
	size_t i;

	json_array_foreach(a, i, e)
	{
		json_t *c = json_object_get(e, "copy");
		unsigned ec =
		    json_is_integer(c) ? (unsigned)json_integer_value(c) : 1;
		json_t *size = json_object_get(e, "size");
		const char *md5 = json_string_value(json_object_get(e, "md5"));
		const char *sha =
		    json_string_value(json_object_get(e, "sha256"));
		char *p;

		if (ec != copy)
			continue;
		p = fg_log_shown_or(
		    json_string_value(json_object_get(e, "path")), "unknown");
		if (p == NULL) {
			l->b->failed = 1;
			return;
		}
		fg_log_para(l, 2, p);
		free(p);
		if (json_is_integer(size)) {
			char n[32];
			fg_commas(n, sizeof(n),
				      (uint64_t)json_integer_value(size));
			fg_log_fieldf(l, "    Size", "%s bytes", n);
		}
		if (md5 != NULL)
			fg_log_field(l, "    MD5", md5);
		if (sha != NULL)
			fg_log_field(l, "    SHA-256", sha);
	}
}

/* An E01 container written (key "container" or "second_container"). */
static void container(struct fg_log *l, const char *key)
{
	char a[40];
	int64_t n = 0, cs = 0, pad = 0, thr = 0, errs = -1, media;
	const char *ewf, *comp, *compr, *stored, *mt;
	int phys;
	char *e, *c, *cr, *s;

	if (!json_is_object(fg_record_json_at(l->root, key)))
		return;
	ewf = fg_log_str(l, fg_log_sub(l, "%s.ewf_format", key));
	fg_log_take(l, fg_log_sub(l, "%s.format", key));
	fg_log_int(l, fg_log_sub(l, "%s.segment_files", key), &n);
	fg_log_int(l, fg_log_sub(l, "%s.chunk_size", key), &cs);
	comp = fg_log_str(l, fg_log_sub(l, "%s.compression", key));
	compr = fg_log_str(l, fg_log_sub(l, "%s.compressor", key));
	fg_log_int(l, fg_log_sub(l, "%s.compression_threads", key), &thr);
	stored = fg_log_str(l, fg_log_sub(l, "%s.hashes_stored", key));
	fg_log_int(l, fg_log_sub(l, "%s.padding_bytes", key), &pad);
	fg_log_int(l, fg_log_sub(l, "%s.acquiry_errors", key), &errs);
	e = fg_log_shown_or(ewf, "unknown");
	c = fg_log_shown_or(comp, "none");
	cr = fg_log_shown_or(compr, "unknown");
	s = fg_log_shown_or(stored, "none");
	fg_size_binary(a, sizeof(a), (uint64_t)cs);
	if (e != NULL && c != NULL && cr != NULL && s != NULL) {
		fg_log_fieldf(l, "  Container",
			      "E01 (%s), %" PRId64 " segment "
			      "file%s, chunks of %s",
			      e, n, n == 1 ? "" : "s", a);
		fg_log_fieldf(l, "  Compression",
			      "%s (%s, %" PRId64 " thread%s)", c, cr, thr,
			      thr == 1 ? "" : "s");
		if (errs >= 0)
			fg_log_fieldf(l, "  Stored in it",
				      "hashes: %s; %" PRId64
				      " unreadable range%s",
				      s, errs, errs == 1 ? "" : "s");
		else
			fg_log_fieldf(
			    l, "  Stored in it",
			    "hashes: %s; no place for unreadable ranges", s);
	} else {
		l->b->failed = 1;
	}
	free(e), free(c), free(cr), free(s);
	if (fg_log_int(l, fg_log_sub(l, "%s.media_size", key), &media)) {
		char m[32];
		fg_commas(m, sizeof(m), (uint64_t)media);
		fg_log_fieldf(l, "  Media size", "%s bytes", m);
	}
	mt = fg_log_str(l, fg_log_sub(l, "%s.media_type", key));
	phys = fg_log_bool(l, fg_log_sub(l, "%s.physical", key));
	if (mt != NULL) {
		char *m = fg_log_shown_or(mt, "");
		if (m != NULL)
			fg_log_fieldf(l, "  Media type", "%s%s", m,
				      phys == 1 ? ", a physical device"
				      : phys == 0
					  ? ", not marked as a physical device"
					  : "");
		free(m);
	}
	if (pad > 0) {
		char p[32];
		fg_commas(p, sizeof(p), (uint64_t)pad);
		fg_log_fieldf(l, "  Padding",
			      "%s zero bytes to a whole sector (the "
			      "E01 only); its media's digests:",
			      p);
		if (strcmp(key, "container") == 0) {
			fg_log_key_if(l, "    MD5", "hashes.e01_padded.md5");
			fg_log_key_if(l, "    SHA-1", "hashes.e01_padded.sha1");
			fg_log_key_if(l, "    SHA-256",
				      "hashes.e01_padded.sha256");
			fg_log_take(l, "hashes.e01_padded.over");
			fg_log_take(l, "hashes.e01_padded.bytes");
		} else {
			fg_log_field(l, "    Digests", "as copy 1's");
		}
	}
	fg_log_take(l, fg_log_sub(l, "%s.bytes_per_sector", key));
	fg_log_take(l, fg_log_sub(l, "%s.sectors_per_chunk", key));
	fg_log_key_if(l, "  libewf", fg_log_sub(l, "%s.libewf_version", key));
	fg_log_key_if(l, "  Set id", fg_log_sub(l, "%s.set_identifier", key));
	fg_log_key_if(l, "  Warning", fg_log_sub(l, "%s.warning", key));
}

void fg_log_outputs(struct fg_log *l, const char *txt_path)
{
	const char *second = json_string_value(
	    fg_record_json_at(l->root, "parameters.second_output"));
	json_t *a = fg_log_take(l, "outputs");
	size_t i;
	unsigned maxc = 1;
	json_t *e;

	fg_log_heading(l, "OUTPUT FILES");
	json_array_foreach(a, i, e)
	{
		json_t *c = json_object_get(e, "copy");
		if (json_is_integer(c) && json_integer_value(c) > maxc &&
		    json_integer_value(c) < 16)
			maxc = (unsigned)json_integer_value(c);
	}
	if (json_array_size(a) == 0)
		fg_log_para(l, 0,
			    "None: the evidence files were not finished "
			    "(their names end in .incomplete).");
	else
		fg_buf_puts(l->b, maxc > 1 ? "Copy 1:\n" : "Evidence files:\n");
	output_files(l, 1);
	container(l, "container");
	if (txt_path != NULL && json_array_size(a) > 0) {
		const char *b = fg_path_base(txt_path);
		size_t nb = strlen(b);
		if (nb > 4 && strcmp(b + nb - 4, ".txt") == 0) {
			char *t = fg_strdup_printf("%.*s.md5, %.*s.sha256 "
						   "(sha256sum -c checks the "
						   "files where they lie)",
						   (int)(nb - 4), b,
						   (int)(nb - 4), b);
			char *p = t != NULL ? fg_log_shown(t, strlen(t)) : NULL;
			if (p != NULL)
				fg_log_field(l, "  Checksums", p);
			free(p);
			free(t);
		}
	}
	if (maxc > 1 || second != NULL) {
		char *s = fg_log_shown_or(second, "");
		if (s != NULL)
			fg_buf_printf(l->b, "Copy 2 (--second-output %s):\n",
				      s);
		free(s);
		output_files(l, 2);
		container(l, "second_container");
	}
}

/* ---- Parameters -----------------------------------------------------------
 */

/* One setting, in the words the report uses too: shown when the record
 * holds it, its keys taken. */
static void param(void *arg, const struct fg_record_setting *s)
{
	struct fg_log *l = arg;
	char k[96];
	char *t;

	if (!s->recorded)
		return;
	snprintf(k, sizeof(k), "parameters.%s", s->key);
	fg_log_take(l, k);
	if (s->key2 != NULL) {
		snprintf(k, sizeof(k), "parameters.%s", s->key2);
		fg_log_take(l, k);
	}
	t = fg_log_shown_or(s->value, "unknown");
	if (t == NULL)
		l->b->failed = 1;
	else
		fg_log_field(l, s->label, t);
	free(t);
}

void fg_log_parameters(struct fg_log *l)
{
	const char *s;
	char *t;

	fg_log_heading(l, "PARAMETERS");
	fg_record_settings_words(fg_record_json_at(l->root, "parameters"),
				 l->root, param, l);
	/* The sizes libewf chose and the windows, told above. */
	fg_log_take(l, "container.segment_size_limit");
	fg_log_take(l, "second_container.segment_size_limit");
	if (json_array_size(fg_record_json_at(l->root, "hash_windows.sha256")) >
	    0) {
		fg_log_take(l, "hash_windows.sha256");
		fg_log_take(l, "hash_windows.size");
		fg_log_take(l, "hash_windows.algorithm");
	}
	if ((s = fg_log_str(l, "parameters.profile")) != NULL) {
		t = fg_log_shown_or(s, "");
		if (t != NULL)
			fg_log_field(l, "Profile", t);
		free(t);
		fg_log_key_if(l, "Profile hash", "parameters.profile_sha256");
	}
}

/* ---- The run --------------------------------------------------------------
 */

/* A --verify read-back's row in the case database. */
static void db_row(struct fg_log *l, const char *p, const char *lab)
{
	char k[96];
	int64_t id;

	if (fg_log_int(l, fg_log_sub(l, "case_db.%s_id", p), &id))
		fg_log_fieldf(l, lab, "row %" PRId64 " of the verifications",
			      id);
	snprintf(k, sizeof(k), "case_db.%s_error", p);
	if (json_is_string(fg_record_json_at(l->root, k)))
		fg_log_key(l, lab, k, "");
}

/* An event of the case database's log, with its SHA-256 (which anchors
 * the log outside the database). */
static void db_event(struct fg_log *l, const char *p, const char *what)
{
	int64_t id;
	const char *sha;

	if (!fg_log_int(l, fg_log_sub(l, "case_db.%s_event", p), &id))
		return;
	sha = fg_log_str(l, fg_log_sub(l, "case_db.%s_event_sha256", p));
	fg_log_fieldf(l, "Logged event", "%" PRId64 ", %s; its SHA-256:", id,
		      what);
	if (sha != NULL && fg_log_is_sha256(sha))
		fg_log_field(l, "", sha);
}

void fg_log_run(struct fg_log *l)
{
	json_t *runs = fg_record_json_at(l->root, "run.earlier_runs");
	int64_t id;

	fg_log_heading(l, "RUN");
	if (fg_log_int(l, "result.exit_code", &id))
		fg_log_fieldf(l, "Exit status", "%" PRId64, id);
	fg_log_key(l, "Host", "run.host", "unknown");
	fg_log_key(l, "Folder", "run.working_directory", "unknown");
	fg_log_key(l, "Command", "run.command_line", "unknown");
	if (json_array_size(runs) > 0)
		fg_log_list(l, "Resumes run", "run.earlier_runs");
	fg_log_key_if(l, "Reading", "reading.mode");
	fg_log_take(l, "reading.bytes");
	fg_log_take(l, "reading.sectors_read");
	fg_log_key_if(l, "Hashes cover", "hashes.over");
	fg_log_key_if(l, "Hashed", "hashes.computed");
	if (fg_log_int(l, "hashes.image_reread_from", &id)) {
		char n[32];
		fg_commas(n, sizeof(n), (uint64_t)id);
		fg_log_fieldf(l, "Re-read from", "byte %s of the image on", n);
	}
	fg_log_key_if(l, "MD5 code", "tool.md5");
	fg_log_key_if(l, "SHA-256 code", "tool.sha256");
	if (json_is_object(fg_record_json_at(l->root, "case_db"))) {
		fg_log_key_if(l, "Case database", "case_db.path");
		int rec = fg_log_bool(l, "case_db.recorded");
		if (fg_log_int(l, "case_db.acquisition_id", &id))
			fg_log_fieldf(l, "Acquisition",
				      "%" PRId64 " in the case database%s", id,
				      rec == 1 ? ", completed at the end" : "");
		if (json_is_string(fg_record_json_at(l->root, "case_db.error")))
			fg_log_key(l, "Not recorded", "case_db.error", "");
		db_row(l, "verification", "Verification");
		db_row(l, "verification_second_output", "Verification 2");
		db_event(l, "started", "acquisition started");
		db_event(l, "completed", "acquisition completed");
		db_event(l, "verification", "verification");
		db_event(l, "verification_second_output",
			 "verification of copy 2");
	}
}
