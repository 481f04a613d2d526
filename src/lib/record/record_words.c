/*
 * record_words.c - the record's facts put into words once, for every
 * place forage tells them to a person: the imaging log beside the
 * evidence (record_log.c) and the text, HTML and PDF reports
 * (report_words.c).  An examiner reads both; they say the same thing in
 * the same words.  These functions only read the record's values; the
 * JSON keeps them as they are.
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

/* ---- Small readers -------------------------------------------------------- */

static const char *wstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int wint(json_t *o, const char *key, int64_t *v)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_integer(j))
		return 0;
	*v = json_integer_value(j);
	return 1;
}

/* key as a boolean: 1, 0, or -1 when not a boolean. */
static int wbool(json_t *o, const char *key)
{
	json_t *j = json_object_get(o, key);

	return json_is_boolean(j) ? json_is_true(j) : -1;
}

/* ---- HPA and DCO ----------------------------------------------------------- */

char *fg_record_hidden_area_words(json_t *v, const char *name,
				  const char *kind)
{
	const char *st, *note;
	int64_t hidden = 0, first = 0, shown = 0, max = 0;
	char h[32], f[32], s[32], m[32];

	if (v == NULL || json_is_null(v))
		return strdup(kind != NULL && strcmp(kind, "block device") != 0
				  ? "not applicable: the source is not a "
				    "block device."
				  : "not examined.");
	if (json_is_string(v))
		return fg_strdup_printf("%s.", json_string_value(v));
	st = wstr(v, "state");
	note = wstr(v, "note");
	if (st != NULL && strcmp(st, "present") == 0) {
		wint(v, "hidden_sectors", &hidden);
		wint(v, "hidden_first_lba", &first);
		wint(v, "user_addressable_sectors", &shown);
		if (!wint(v, "native_max_sectors", &max))
			wint(v, "factory_max_sectors", &max);
		fg_commas(h, sizeof(h), (uint64_t)hidden);
		fg_commas(f, sizeof(f), (uint64_t)first);
		fg_commas(s, sizeof(s), (uint64_t)shown);
		fg_commas(m, sizeof(m), (uint64_t)max);
		if (shown > 0 && max > 0)
			return fg_strdup_printf(
			    "PRESENT: the %s hides %s sectors from LBA %s on "
			    "(the drive shows %s of %s); they were not "
			    "acquired.",
			    name, h, f, s, m);
		return fg_strdup_printf("PRESENT: the %s hides %s sectors "
					"from LBA %s on; they were not "
					"acquired.",
					name, h, f);
	}
	if (st != NULL && strcmp(st, "absent") == 0) {
		if (!wint(v, "native_max_sectors", &max))
			wint(v, "factory_max_sectors", &max);
		if (max <= 0)
			return strdup("none: the drive shows all its sectors.");
		fg_commas(m, sizeof(m), (uint64_t)max);
		return fg_strdup_printf("none: the drive shows all its %s "
					"sectors.",
					m);
	}
	if (st != NULL && strcmp(st, "not supported") == 0)
		return fg_strdup_printf("the drive does not support the %s "
					"feature.",
					name);
	if (st == NULL || strcmp(st, "unknown") == 0)
		return fg_strdup_printf("not known: %s.",
					note ? note : "no reason recorded");
	return fg_strdup_printf("%s%s%s.", st, note ? ": " : "",
				note ? note : "");
}

/* ---- Write block ------------------------------------------------------------ */

const char *fg_record_readonly_words(json_t *dev)
{
	int before = wbool(dev, "readonly_before");
	int set = wbool(dev, "flag_set_by_forage");
	int after = wbool(dev, "readonly_after");
	int ro = wbool(dev, "readonly");

	if (before == 1 && after == 1)
		return "kernel read-only flag already set before the run; "
		       "still set after it";
	if (before == 1 && after == 0)
		return "kernel read-only flag already set before the run, "
		       "but it did not hold: cleared after it";
	if (before == 1)
		return "kernel read-only flag already set before the run";
	if (set == 1 && after == 1)
		return "kernel read-only flag set by forage; still set after "
		       "the run";
	if (set == 1 && after == 0)
		return "kernel read-only flag set by forage, but it did not "
		       "hold: cleared after the run";
	if (set == 1)
		return "kernel read-only flag set by forage";
	if (ro == 1)
		return "kernel read-only flag set";
	if (set == 0 || ro == 0)
		return "kernel read-only flag NOT set";
	return "kernel read-only flag unknown";
}

const char *fg_record_write_block_words(json_t *wb)
{
	json_t *st = json_object_get(wb, "state");

	if (json_is_true(json_object_get(wb, "no_write_block")))
		return "NOT used: --no-write-block was given; the kernel "
		       "read-only flag was not set.";
	if (json_is_string(st))
		return json_string_value(st);
	if (json_is_false(json_object_get(wb, "applicable")))
		return "not a block device: no kernel flag applies.";
	return NULL;
}

/* Is d a partition in the same state as the source's (grouped with it)? */
static int grouped(json_t *d, const char *src_state)
{
	const char *role = wstr(d, "role");

	return src_state != NULL && role != NULL &&
	       strcmp(role, "partition") == 0 &&
	       strcmp(fg_record_readonly_words(d), src_state) == 0;
}

char *fg_record_devices_words(json_t *devs)
{
	struct fg_buf o = {NULL, 0, 0, 0};
	const char *name, *src_state = NULL, *role;
	json_t *d, *e;
	size_t same = 0, left;

	json_object_foreach(devs, name, d) {
		role = wstr(d, "role");
		if (src_state == NULL && role != NULL &&
		    strcmp(role, "source") == 0)
			src_state = fg_record_readonly_words(d);
	}
	json_object_foreach(devs, name, d)
		if (grouped(d, src_state))
			same++;
	json_object_foreach(devs, name, d) {
		const char *k;

		if (grouped(d, src_state))
			continue;
		role = wstr(d, "role") ?: "in the scope";
		fg_buf_printf(&o, "%s%s (%s)", o.len ? "\n" : "",
			      wstr(d, "node") ?: name, role);
		if (strcmp(role, "source") == 0 && same > 0) {
			fg_buf_printf(&o, " and its %zu partition%s (", same,
				      same == 1 ? "" : "s");
			left = same;
			json_object_foreach(devs, k, e)
				if (grouped(e, src_state))
					fg_buf_printf(&o, "%s%s",
						      wstr(e, "node") ?: k,
						      --left > 0 ? ", " : ")");
		}
		fg_buf_printf(&o, ": %s.", fg_record_readonly_words(d));
	}
	if (o.failed || o.len == 0) {
		free(o.p);
		return o.failed ? NULL : strdup("");
	}
	return o.p;
}

/* ---- The acquisition's settings -------------------------------------------- */

/* p.key as a boolean (a number counts: the case database may keep it so):
 * 1, 0, or -1 when absent. */
static int pbool(json_t *p, const char *key)
{
	json_t *v = json_object_get(p, key);

	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	return json_is_boolean(v) ? json_is_true(v) : -1;
}

/* p.key as an integer, or dflt when absent. */
static int64_t pint(json_t *p, const char *key, int64_t dflt)
{
	int64_t v;

	return wint(p, key, &v) ? v : dflt;
}

struct walk {
	json_t *p;
	fg_record_setting_fn fn;
	void *arg;
	int n;
};

/* Hand one setting to the caller: value, with "(default)" (inside its
 * own closing parenthesis when it has one) when it is the default. */
static void give(struct walk *w, const char *key, const char *key2,
		 const char *label, const char *value, int is_default,
		 int always)
{
	struct fg_record_setting s;
	char *t = NULL;
	size_t n = value != NULL ? strlen(value) : 0;

	if (is_default && n > 0 && value[n - 1] == ')')
		t = fg_strdup_printf("%.*s, default)", (int)(n - 1), value);
	else if (is_default && n > 0)
		t = fg_strdup_printf("%s (default)", value);
	s.key = key;
	s.key2 = key2;
	s.label = label;
	s.value = t != NULL ? t : value;
	s.bare = value;
	s.is_default = is_default;
	s.always = always;
	s.recorded = json_object_get(w->p, key) != NULL ||
		     (key2 != NULL && json_object_get(w->p, key2) != NULL);
	w->fn(w->arg, &s);
	w->n++;
	free(t);
}

const char *fg_log_alg_name(const char *alg)
{
	if (strcmp(alg, "md5") == 0)
		return "MD5";
	if (strcmp(alg, "sha1") == 0)
		return "SHA-1";
	if (strcmp(alg, "sha256") == 0)
		return "SHA-256";
	return alg;
}

/* The digests of "md5,sha256" as "MD5, SHA-256" (malloc'd), or NULL. */
static char *digest_words(const char *list)
{
	struct fg_buf h = {NULL, 0, 0, 0};
	char *dup = strdup(list), *tok, *save = NULL;

	if (dup == NULL)
		return NULL;
	for (tok = strtok_r(dup, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save))
		fg_buf_printf(&h, "%s%s", h.len ? ", " : "",
			      fg_log_alg_name(tok));
	free(dup);
	if (h.failed) {
		free(h.p);
		return NULL;
	}
	return h.p;
}

/* The settings that say how the image was made. */
static void settings_image(struct walk *w, json_t *rec, int e01)
{
	json_t *p = w->p, *cont = json_object_get(rec, "container");
	char b1[96], b2[40];
	const char *sv;
	int64_t v, c;

	if (e01) {
		v = pint(p, "chunk_size", 0);
		if (v > 0) {
			fg_size_binary(b1, sizeof(b1), (uint64_t)v);
		} else if (wint(cont, "chunk_size", &c) && c > 0) {
			fg_size_binary(b2, sizeof(b2), (uint64_t)c);
			snprintf(b1, sizeof(b1), "%s (auto)", b2);
		} else {
			snprintf(b1, sizeof(b1), "auto");
		}
		give(w, "chunk_size", NULL, "Chunk size", b1, v <= 0, 1);
		sv = wstr(p, "compression");
		give(w, "compression", NULL, "Compression", sv,
		     sv == NULL || strcmp(sv, "fast") == 0, 0);
		sv = wstr(p, "ewf_format");
		give(w, "ewf_format", NULL, "E01 flavour", sv,
		     sv == NULL || strcmp(sv, "encase6") == 0, 0);
	}
	v = pint(p, "segment_size", 0);
	if (v > 0) {
		fg_size_binary(b2, sizeof(b2), (uint64_t)v);
		snprintf(b1, sizeof(b1), "split into files of at most %s", b2);
	} else if (e01 && wint(cont, "segment_size_limit", &c) && c > 0) {
		fg_size_binary(b2, sizeof(b2), (uint64_t)c);
		snprintf(b1, sizeof(b1), "at most %s a file", b2);
	} else {
		snprintf(b1, sizeof(b1), "not split");
	}
	give(w, "segment_size", NULL, "Segment size", b1, v <= 0, 1);
	sv = wstr(p, "second_output");
	give(w, "second_output", NULL, "Second copy", sv ? sv : "none",
	     sv == NULL, 1);
}

/* The settings that say how the source was read. */
static void settings_reading(struct walk *w, json_t *rec)
{
	json_t *p = w->p;
	char b1[160], b2[40], o[32], n[32];
	int64_t v, len;
	size_t nwin;

	v = pint(p, "retries", 3);
	snprintf(b1, sizeof(b1), "%" PRId64 " extra read%s of a failing sector",
		 v, v == 1 ? "" : "s");
	give(w, "retries", NULL, "Retries", b1, v == 3, 1);
	v = pint(p, "fill_byte", 0);
	snprintf(b1, sizeof(b1), "0x%02X%s", (unsigned)(v & 0xff),
		 v == 0 ? " (zero bytes)" : "");
	give(w, "fill_byte", NULL, "Unreadable sectors filled with", b1, v == 0,
	     1);
	v = pint(p, "block_size", 0);
	fg_size_binary(b1, sizeof(b1), (uint64_t)(v > 0 ? v : 1048576));
	give(w, "block_size", NULL, "Read size", b1, v <= 0 || v == 1048576,
	     0);
	v = pint(p, "offset", 0);
	len = pint(p, "length", 0);
	fg_commas(o, sizeof(o), (uint64_t)v);
	fg_commas(n, sizeof(n), (uint64_t)len);
	if (v == 0 && len == 0)
		snprintf(b1, sizeof(b1), "the whole source");
	else if (len == 0)
		snprintf(b1, sizeof(b1), "from byte %s to the end", o);
	else
		snprintf(b1, sizeof(b1), "%s bytes from byte %s", n, o);
	give(w, "offset", "length", "Range acquired", b1, v == 0 && len == 0,
	     0);
	v = pint(p, "hash_window", 0);
	nwin = json_array_size(
	    json_object_get(json_object_get(rec, "hash_windows"), "sha256"));
	if (v > 0) {
		fg_size_binary(b2, sizeof(b2), (uint64_t)v);
		if (nwin > 0)
			snprintf(b1, sizeof(b1),
				 "a SHA-256 of every %s (%zu, listed in the "
				 "JSON record)",
				 b2, nwin);
		else
			snprintf(b1, sizeof(b1), "a SHA-256 of every %s", b2);
	}
	give(w, "hash_window", NULL, "Hash windows", v > 0 ? b1 : "none",
	     v <= 0, 0);
}

int fg_record_settings_words(json_t *p, json_t *rec, fg_record_setting_fn fn,
			     void *arg)
{
	struct walk w = {p, fn, arg, 0};
	const char *fmt = wstr(p, "format");
	int e01 = fmt != NULL && strcmp(fmt, "e01") == 0;
	const char *sv;
	char *t;
	int v;

	if (!json_is_object(p))
		return 0;
	give(&w, "format", NULL, "Image format",
	     fmt == NULL ? NULL : e01 ? "E01 (Expert Witness)" : "raw (dd)",
	     e01, 1);
	sv = wstr(p, "hashes");
	t = sv != NULL ? digest_words(sv) : NULL;
	give(&w, "hashes", NULL, "Hashes", t ? t : sv,
	     sv != NULL && strcmp(sv, "md5,sha256") == 0, 1);
	free(t);
	settings_image(&w, rec, e01);
	settings_reading(&w, rec);
	v = pbool(p, "verify");
	give(&w, "verify", NULL, "Evidence re-read after writing (--verify)",
	     v == 1 ? "yes" : v == 0 ? "no" : NULL, v != 1, 0);
	v = pbool(p, "verify_source");
	give(&w, "verify_source", NULL, "Source re-read (--verify-source)",
	     v == 1 ? "yes" : v == 0 ? "no" : NULL, v != 1, 0);
	v = pbool(p, "no_write_block");
	give(&w, "no_write_block", NULL, "Write block",
	     v == 1 ? "DISABLED (--no-write-block)" : "on", v != 1, 0);
	sv = wstr(p, "mapfile");
	give(&w, "mapfile", NULL, "Mapfile", sv ? sv : "none", sv == NULL, 0);
	v = pbool(p, "resume");
	give(&w, "resume", NULL, "Resumed run", v == 1 ? "yes" : "no", v != 1,
	     0);
	return w.n;
}
