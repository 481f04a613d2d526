/*
 * record_text.c - the records as text for a person: OUTBASE.txt, the
 * acquisition record as an imaging log an examiner reads and signs, and
 * the plain rendering of any record (forage info, and the log's last
 * section).
 *
 * The log is laid out as the logs of other imaging tools are (a header,
 * the case, the source's identity, the result with the hashes, then the
 * errors, the verifications, the files written, the parameters, the run,
 * a signature block): what an examiner checks and signs is in its first
 * thirty lines, in words and units.  The JSON keeps every value; so does
 * the log: each value it does not show in its place is printed under
 * "OTHER RECORDED VALUES" (a copy of the record is emptied as the log
 * shows its values, and what is left is printed there).  Every string a
 * device, a file or a person gave is shown through fg_printable, so that
 * it cannot drive the terminal the log is read on.  Lines stay within 80
 * columns, long values wrapped, but for the plain rendering of that last
 * section.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "record/record_int.h"

/* ---- The plain rendering ------------------------------------------------ */

/* "first_lba" -> "First lba": keys read as labels. */
static void label(struct fg_buf *b, const char *key)
{
	size_t i;

	for (i = 0; key[i] != '\0'; i++) {
		char c = key[i] == '_' ? ' ' : key[i];
		if (i == 0 && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		fg_buf_put(b, &c, 1);
	}
}

/* A string as text (malloc'd): what a device, a file or a person said,
 * shown so that it cannot drive the terminal the text is read on.  NULL
 * when out of memory. */
static char *shown(const char *s, size_t n)
{
	char *t = n < SIZE_MAX / 4 ? malloc(4 * n + 1) : NULL;

	if (t != NULL)
		fg_printable(t, 4 * n + 1, s, n, FG_PRINTABLE_TEXT);
	return t;
}

static void render_scalar(struct fg_buf *b, json_t *v, const char *nullw)
{
	switch (json_typeof(v)) {
	case JSON_STRING: {
		char *t = shown(json_string_value(v), json_string_length(v));

		if (t == NULL) {
			b->failed = 1;
			break;
		}
		fg_buf_puts(b, t);
		free(t);
		break;
	}
	case JSON_INTEGER:
		fg_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		fg_buf_printf(b, "%.3f", json_real_value(v));
		break;
	case JSON_TRUE:
		fg_buf_put(b, "yes", 3);
		break;
	case JSON_FALSE:
		fg_buf_put(b, "no", 2);
		break;
	case JSON_NULL:
		fg_buf_puts(b, nullw);
		break;
	default:
		break;
	}
}

static void render(struct fg_buf *b, json_t *v, int depth,
		   const char *nullw);

/* What a null says in a top-level section: a fact about the source that
 * could not be learned is "unknown"; a value the examiner did not give, a
 * parameter not used, or no message is "none" (saying "unknown" there
 * would misstate it). */
static const char *null_word_for(const char *section)
{
	static const char *const given[] = {"case", "parameters", "result",
					    NULL};
	size_t i;

	for (i = 0; given[i] != NULL; i++)
		if (strcmp(section, given[i]) == 0)
			return "none";
	return "unknown";
}

static void indent(struct fg_buf *b, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fg_buf_put(b, "  ", 2);
}

static void render_object(struct fg_buf *b, json_t *obj, int depth,
			  const char *nullw)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		if (depth == 0)
			nullw = null_word_for(key);
		indent(b, depth);
		label(b, key);
		if (json_is_object(v) || json_is_array(v)) {
			fg_buf_put(b, ":\n", 2);
			if ((json_is_array(v) && json_array_size(v) == 0) ||
			    (json_is_object(v) && json_object_size(v) == 0)) {
				indent(b, depth + 1);
				fg_buf_put(b, "(none)\n", 7);
			} else {
				render(b, v, depth + 1, nullw);
			}
		} else {
			fg_buf_put(b, ": ", 2);
			render_scalar(b, v, nullw);
			fg_buf_put(b, "\n", 1);
		}
	}
}

static void render(struct fg_buf *b, json_t *v, int depth,
		   const char *nullw)
{
	size_t i;
	json_t *e;

	if (json_is_object(v)) {
		render_object(b, v, depth, nullw);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			if (json_is_object(e)) {
				indent(b, depth);
				fg_buf_printf(b, "[%zu]\n", i + 1);
				render_object(b, e, depth + 1, nullw);
			} else {
				indent(b, depth);
				fg_buf_put(b, "- ", 2);
				render_scalar(b, e, nullw);
				fg_buf_put(b, "\n", 1);
			}
		}
	} else {
		indent(b, depth);
		render_scalar(b, v, nullw);
		fg_buf_put(b, "\n", 1);
	}
}

char *fg_record_dump_text(const struct fg_record *r)
{
	struct fg_buf b = {NULL, 0, 0, 0};

	render(&b, fg_record_root(r), 0, "unknown");
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p != NULL ? b.p : strdup("");
}

/* ---- The imaging log: values ---------------------------------------------- */

#define LOG_WIDTH 80
#define LOG_COL 16	     /* where a value starts */
#define LOG_MAX_RANGES 500   /* unreadable ranges listed one a line */
#define LOG_MAX_CHECKS 64    /* checks of one verification listed */

struct log {
	struct fg_buf *b;
	json_t *root; /* the record */
	json_t *rest; /* a copy: what the log has not shown yet */
};

/* The value at key (dotted) under obj, or NULL. */
static json_t *at(json_t *obj, const char *key)
{
	const char *p = key, *dot;
	char part[128];

	while (obj != NULL && (dot = strchr(p, '.')) != NULL) {
		size_t n = (size_t)(dot - p);
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, p, n);
		part[n] = '\0';
		obj = json_object_get(obj, part);
		p = dot + 1;
	}
	return json_is_object(obj) ? json_object_get(obj, p) : NULL;
}

/* The value at key, now shown: it leaves the copy of what is left. */
static json_t *take(struct log *l, const char *key)
{
	const char *leaf = strrchr(key, '.');
	json_t *parent = l->rest;

	if (leaf != NULL) {
		char head[256];
		size_t n = (size_t)(leaf - key);
		if (n >= sizeof(head))
			return at(l->root, key);
		memcpy(head, key, n);
		head[n] = '\0';
		parent = at(l->rest, head);
		leaf++;
	} else {
		leaf = key;
	}
	if (json_is_object(parent))
		json_object_del(parent, leaf);
	return at(l->root, key);
}

/* A string at key (taken), or NULL when it is not a string. */
static const char *take_str(struct log *l, const char *key)
{
	return json_string_value(take(l, key));
}

/* An integer at key (taken): 1 and *v, or 0. */
static int take_int(struct log *l, const char *key, int64_t *v)
{
	json_t *j = take(l, key);

	if (!json_is_integer(j))
		return 0;
	*v = (int64_t)json_integer_value(j);
	return 1;
}

/* A boolean at key (taken): 1 true, 0 false, -1 neither. */
static int take_bool(struct log *l, const char *key)
{
	json_t *j = take(l, key);

	return json_is_boolean(j) ? json_is_true(j) : -1;
}

/* Remove the objects left empty in the copy, at every depth. */
static void prune(json_t *obj)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(obj, tmp, key, v) {
		if (!json_is_object(v))
			continue;
		prune(v);
		if (json_object_size(v) == 0)
			json_object_del(obj, key);
	}
}

/* n with thousands separators ("4,194,304"). */
static void commas(char *out, size_t len, uint64_t n)
{
	char d[32];
	size_t nd, i, o = 0;

	snprintf(d, sizeof(d), "%" PRIu64, n);
	nd = strlen(d);
	for (i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = d[i];
	}
	out[o] = '\0';
}

/* A number with two decimals, its trailing zeros dropped ("1.5"). */
static void decimal(char *out, size_t len, double v)
{
	size_t n;

	snprintf(out, len, "%.2f", v);
	n = strlen(out);
	while (n > 0 && out[n - 1] == '0')
		out[--n] = '\0';
	if (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
}

/* A size set in binary units, as options take it: "32 KiB", "1 MiB",
 * "1.5 GiB (1,610,612,736 bytes)", "700 bytes". */
static void size_set(char *out, size_t len, uint64_t v)
{
	static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB",
					   "TiB", "PiB"};
	unsigned u = 0;
	char num[32], all[32];

	while (u + 1 < sizeof(unit) / sizeof(unit[0]) &&
	       v >= ((uint64_t)1 << (10 * (u + 1))))
		u++;
	if (u == 0 || v % ((uint64_t)1 << (10 * u)) == 0) {
		snprintf(out, len, "%" PRIu64 " %s", v >> (10 * u), unit[u]);
		return;
	}
	decimal(num, sizeof(num), (double)v / (double)((uint64_t)1 << (10 * u)));
	commas(all, sizeof(all), v);
	snprintf(out, len, "%s %s (%s bytes)", num, unit[u], all);
}

/* A medium's size in decimal and binary units: "4.19 MB, 4 MiB". */
static void size_both(char *out, size_t len, uint64_t v)
{
	static const char *const dec[] = {"bytes", "kB", "MB", "GB", "TB",
					  "PB"};
	static const char *const bin[] = {"bytes", "KiB", "MiB", "GiB",
					  "TiB", "PiB"};
	unsigned d = 0, b = 0;
	double dv = (double)v, bv = (double)v;
	char dn[32], bn[32];

	while (d + 1 < 6 && dv >= 1000.0) {
		dv /= 1000.0;
		d++;
	}
	while (b + 1 < 6 && bv >= 1024.0) {
		bv /= 1024.0;
		b++;
	}
	decimal(dn, sizeof(dn), dv);
	decimal(bn, sizeof(bn), bv);
	snprintf(out, len, "%s %s, %s %s", dn, dec[d], bn, bin[b]);
}

/* "2026-12-07T14:40:42Z" as "2026-12-07 14:40:42 UTC"; anything else as
 * it is, made printable. */
static void utc_words(char *out, size_t len, const char *t)
{
	if (t != NULL && strlen(t) == 20 && t[10] == 'T' && t[19] == 'Z') {
		snprintf(out, len, "%.10s %.8s UTC", t, t + 11);
		return;
	}
	fg_printable(out, len, t != NULL ? t : "unknown", (size_t)-1, 0);
}

/* ---- The imaging log: lines ------------------------------------------------ */

static void heading(struct log *l, const char *title)
{
	size_t n = strlen(title);

	fg_buf_printf(l->b, "\n---- %s ", title);
	for (n += 6; n < LOG_WIDTH - 4; n++)
		fg_buf_put(l->b, "-", 1);
	fg_buf_put(l->b, "\n", 1);
}

/* Put text (printable already) wrapped to the width: each line after the
 * first starts at column col; a line feed in the text starts a new line;
 * a break falls after a space or a slash where one is near the end. */
static void wrapped(struct fg_buf *b, const char *text, size_t start,
		    size_t col)
{
	size_t room = LOG_WIDTH > start ? LOG_WIDTH - start : 20;
	const char *p = text;

	for (;;) {
		size_t n = 0, cols = 0, brk = 0, i;

		/* n: bytes that fit in room columns (UTF-8: columns are
		 * the bytes that start a character). */
		while (p[n] != '\0' && p[n] != '\n') {
			if (((unsigned char)p[n] & 0xc0) != 0x80) {
				if (cols == room)
					break;
				cols++;
			}
			n++;
		}
		if (p[n] != '\0' && p[n] != '\n') {
			for (i = n; i > n / 2; i--)
				if (p[i - 1] == ' ' || p[i - 1] == '/') {
					brk = i;
					break;
				}
			if (brk != 0)
				n = brk;
		}
		{
			size_t w = n;
			while (w > 0 && p[w - 1] == ' ')
				w--;
			fg_buf_put(b, p, w);
		}
		fg_buf_put(b, "\n", 1);
		p += n;
		if (*p == '\n')
			p++;
		else
			while (*p == ' ')
				p++;
		if (*p == '\0')
			break;
		for (i = 0; i < col; i++)
			fg_buf_put(b, " ", 1);
		room = LOG_WIDTH > col ? LOG_WIDTH - col : 20;
	}
}

/* "Label:         value", the value (printable already) wrapped. */
static void field(struct log *l, const char *lab, const char *value)
{
	size_t n = strlen(lab);

	fg_buf_puts(l->b, lab);
	if (n > 0) {
		fg_buf_put(l->b, ":", 1);
		n++;
	}
	do {
		fg_buf_put(l->b, " ", 1);
		n++;
	} while (n < LOG_COL);
	wrapped(l->b, value, n, LOG_COL);
}

static void fieldf(struct log *l, const char *lab, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fieldf(struct log *l, const char *lab, const char *fmt, ...)
{
	char *v;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	v = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (v == NULL) {
		l->b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(v, (size_t)n + 1, fmt, ap);
	va_end(ap);
	field(l, lab, v);
	free(v);
}

/* A sentence or a note (printable already), wrapped, indented by col. */
static void para(struct log *l, size_t col, const char *text)
{
	size_t i;

	for (i = 0; i < col; i++)
		fg_buf_put(l->b, " ", 1);
	wrapped(l->b, text, col, col);
}

/* A string the record holds, made printable (malloc'd); the word when it
 * is absent or null. */
static char *str_or(const char *s, const char *word)
{
	char *t = shown(s != NULL ? s : word, strlen(s != NULL ? s : word));

	return t;
}

/* "Label: the string at key" (taken), the word when absent or null. */
static void field_key(struct log *l, const char *lab, const char *key,
		      const char *word)
{
	char *t = str_or(take_str(l, key), word);

	if (t == NULL) {
		l->b->failed = 1;
		return;
	}
	field(l, lab, t);
	free(t);
}

/* The same, only when the record holds a string there. */
static void field_key_if(struct log *l, const char *lab, const char *key)
{
	if (json_is_string(at(l->root, key)))
		field_key(l, lab, key, "");
	else
		take(l, key);
}

/* ---- The imaging log: sections -------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Is s 64 hex digits (a SHA-256)? */
static int is_sha256(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 64)
		return 0;
	for (i = 0; i < 64; i++)
		if (strchr("0123456789abcdefABCDEF", s[i]) == NULL)
			return 0;
	return 1;
}

static void log_header(struct log *l, const char *txt_path)
{
	const char *name = take_str(l, "tool.name");
	const char *version = take_str(l, "tool.version");
	char *n = str_or(name, "forage"), *v = str_or(version, "unknown");
	json_t *tool = at(l->root, "tool");
	const char *key;
	json_t *val;
	char when[32], utc[40];

	fg_buf_puts(l->b, "FORAGE ACQUISITION LOG\n======================\n");
	if (n != NULL && v != NULL)
		fieldf(l, "Tool", "%s %s", n, v);
	free(n);
	free(v);
	/* The program's own digest, under whatever name the record keeps
	 * it: any other SHA-256 of the tool. */
	json_object_foreach(tool, key, val) {
		char k[160];
		if (strcmp(key, "sha256") == 0 ||
		    !is_sha256(json_string_value(val)))
			continue;
		field(l, "Program SHA-256", json_string_value(val));
		snprintf(k, sizeof(k), "tool.%s", key);
		take(l, k);
	}
	if (txt_path != NULL) {
		const char *b = base_name(txt_path);
		size_t nb = strlen(b);
		char *rec = NULL, *t;
		if (nb > 4 && strcmp(b + nb - 4, ".txt") == 0)
			rec = fg_strdup_printf("%.*s.json", (int)(nb - 4), b);
		t = rec != NULL ? shown(rec, strlen(rec)) : NULL;
		if (t != NULL)
			fieldf(l, "Record", "%s (every value; this log is its "
					    "summary)",
			       t);
		free(t);
		free(rec);
	}
	fg_record_utc_now(when, sizeof(when));
	utc_words(utc, sizeof(utc), when);
	field(l, "Log written", utc);
}

static void log_case(struct log *l)
{
	heading(l, "CASE");
	field_key(l, "Case number", "case.case_id", "none given");
	field_key(l, "Evidence", "case.evidence_id", "none given");
	field_key(l, "Examiner", "case.examiner", "none given");
	field_key(l, "Description", "case.description", "none given");
	field_key(l, "Notes", "case.notes", "none");
}

/* The source's identity: one of the summary facts (model ..), or the
 * word "unknown" (a file has none: not shown). */
static void identity(struct log *l, const char *lab, const char *key,
		     int device)
{
	json_t *v = at(l->root, key);

	if (json_is_string(v) || device)
		field_key(l, lab, key, "unknown");
	else
		take(l, key);
}

/* A partition source's place on its disk, and a disk's partitions. */
static void partitions(struct log *l)
{
	json_t *parts = at(l->root, "source.partitions"), *v;
	const char *name;
	int64_t num, off, size;
	char o[32], z[32], k[200];

	if (take_int(l, "source.partition.number", &num)) {
		char *d = str_or(take_str(l, "source.partition.disk"), "?");
		off = size = 0;
		take_int(l, "source.partition.offset_bytes", &off);
		take_int(l, "source.partition.size_bytes", &size);
		commas(o, sizeof(o), (uint64_t)off);
		commas(z, sizeof(z), (uint64_t)size);
		if (d != NULL)
			fieldf(l, "Partition", "number %" PRId64 " of %s, "
					       "from byte %s, %s bytes",
			       num, d, o, z);
		free(d);
	}
	json_object_foreach(parts, name, v) {
		char *n = str_or(name, "?"), *c;
		const char *ct;

		num = off = size = 0;
		snprintf(k, sizeof(k), "source.partitions.%s.number", name);
		take_int(l, k, &num);
		snprintf(k, sizeof(k), "source.partitions.%s.offset_bytes",
			 name);
		take_int(l, k, &off);
		snprintf(k, sizeof(k), "source.partitions.%s.size_bytes",
			 name);
		take_int(l, k, &size);
		snprintf(k, sizeof(k), "source.partitions.%s.content", name);
		ct = take_str(l, k);
		c = str_or(ct, "content unknown");
		commas(o, sizeof(o), (uint64_t)off);
		commas(z, sizeof(z), (uint64_t)size);
		if (n != NULL && c != NULL)
			fieldf(l, "Partition", "%s (number %" PRId64 "): from "
					       "byte %s, %s bytes; %s",
			       n, num, o, z, c);
		free(n);
		free(c);
	}
}

static void log_source(struct log *l)
{
	const char *kind = take_str(l, "source.kind");
	int device = kind != NULL && strcmp(kind, "block device") == 0;
	int64_t size = 0, total = 0, off = 0, ss = 0, pss = 0;
	char *path = str_or(take_str(l, "source.path"), "unknown");
	char *k = str_or(kind, "unknown");
	char a[40], b[40], c[96];

	heading(l, "SOURCE");
	if (path != NULL && k != NULL)
		fieldf(l, "Source", "%s (%s)", path, k);
	free(path);
	free(k);
	identity(l, "Vendor", "source.vendor", 0);
	identity(l, "Model", "source.model", device);
	identity(l, "Serial number", "source.serial", device);
	identity(l, "Firmware", "source.firmware_revision", device);
	identity(l, "Transport", "source.transport", 0);
	take_int(l, "source.size", &size);
	take_int(l, "source.total_size", &total);
	take_int(l, "source.offset", &off);
	take_int(l, "source.logical_sector_size", &ss);
	take_int(l, "source.physical_sector_size", &pss);
	commas(a, sizeof(a), (uint64_t)size);
	size_both(c, sizeof(c), (uint64_t)size);
	fieldf(l, "Size", "%s bytes (%s)", a, c);
	if (ss > 0) {
		commas(b, sizeof(b), (uint64_t)(size / ss));
		if (size % ss == 0)
			fieldf(l, "Sectors", "%s x %" PRId64 " bytes", b, ss);
		else
			fieldf(l, "Sectors", "%s x %" PRId64 " bytes, and %" PRId64
					     " bytes more",
			       b, ss, size % ss);
	}
	if (pss > 0 && pss != ss)
		fieldf(l, "Physical sector", "%" PRId64 " bytes", pss);
	if (off != 0 || total != size) {
		char t[40], o[40];
		commas(t, sizeof(t), (uint64_t)total);
		commas(o, sizeof(o), (uint64_t)off);
		fieldf(l, "Part read", "from byte %s of the source's %s bytes",
		       o, t);
	}
}

/* A hidden area (HPA, DCO) as a sentence. */
static void hidden_area(struct log *l, const char *lab, const char *p,
			const char *name)
{
	char k[64], hid[40], first[40];
	const char *state, *note;
	int64_t hidden = 0, lba = 0, shows = 0, max = 0;
	char *t;

	if (at(l->root, p) == NULL) {
		field(l, lab, "not examined");
		return;
	}
	snprintf(k, sizeof(k), "%s.state", p);
	state = take_str(l, k);
	snprintf(k, sizeof(k), "%s.note", p);
	note = take_str(l, k);
	snprintf(k, sizeof(k), "%s.hidden_sectors", p);
	take_int(l, k, &hidden);
	snprintf(k, sizeof(k), "%s.hidden_first_lba", p);
	take_int(l, k, &lba);
	snprintf(k, sizeof(k), "%s.user_addressable_sectors", p);
	take_int(l, k, &shows);
	snprintf(k, sizeof(k), "%s.native_max_sectors", p);
	if (!take_int(l, k, &max)) {
		snprintf(k, sizeof(k), "%s.factory_max_sectors", p);
		take_int(l, k, &max);
	}
	commas(hid, sizeof(hid), (uint64_t)hidden);
	commas(first, sizeof(first), (uint64_t)lba);
	if (state != NULL && strcmp(state, "present") == 0) {
		fieldf(l, lab, "present: the %s hides %s sectors from LBA %s "
			       "on; they were not acquired.",
		       name, hid, first);
	} else if (state != NULL && strcmp(state, "absent") == 0) {
		char m[40];
		commas(m, sizeof(m), (uint64_t)max);
		if (max > 0)
			fieldf(l, lab, "none: the drive shows all its %s "
				       "sectors.",
			       m);
		else
			field(l, lab, "none.");
	} else if (state != NULL && strcmp(state, "not supported") == 0) {
		fieldf(l, lab, "the drive does not support the %s feature.",
		       name);
	} else {
		t = str_or(note, "no reason recorded");
		if (t != NULL)
			fieldf(l, lab, "not known: %s.", t);
		free(t);
	}
}

/* One sentence for one device of the write-block scope. */
static void wb_device(struct log *l, const char *name)
{
	char k[200];
	const char *node, *role;
	int before, set, after, ro;
	char *n, *r;
	struct fg_buf s = {NULL, 0, 0, 0};

	snprintf(k, sizeof(k), "write_block.devices.%s.node", name);
	node = take_str(l, k);
	snprintf(k, sizeof(k), "write_block.devices.%s.role", name);
	role = take_str(l, k);
	snprintf(k, sizeof(k), "write_block.devices.%s.readonly_before", name);
	before = take_bool(l, k);
	snprintf(k, sizeof(k), "write_block.devices.%s.flag_set_by_forage",
		 name);
	set = take_bool(l, k);
	snprintf(k, sizeof(k), "write_block.devices.%s.readonly_after", name);
	after = take_bool(l, k);
	snprintf(k, sizeof(k), "write_block.devices.%s.readonly", name);
	ro = take_bool(l, k);
	n = str_or(node, name);
	r = str_or(role, "in the scope");
	if (n == NULL || r == NULL) {
		l->b->failed = 1;
		free(n);
		free(r);
		return;
	}
	fg_buf_printf(&s, "%s (%s): ", n, r);
	if (before == 1)
		fg_buf_puts(&s, "kernel read-only flag already set before the "
				"run");
	else if (set == 1)
		fg_buf_puts(&s, "kernel read-only flag set by forage");
	else if (ro == 1)
		fg_buf_puts(&s, "kernel read-only flag set");
	else if (set == 0 || ro == 0)
		fg_buf_puts(&s, "kernel read-only flag NOT set");
	else
		fg_buf_puts(&s, "kernel read-only flag unknown");
	if (after == 1)
		fg_buf_puts(&s, "; still set after the run.");
	else if (after == 0)
		fg_buf_puts(&s, "; cleared after the run.");
	else
		fg_buf_puts(&s, ".");
	if (s.failed) {
		l->b->failed = 1;
	} else {
		fg_buf_puts(l->b, "  ");
		wrapped(l->b, s.p, 2, 4);
	}
	free(s.p);
	free(n);
	free(r);
}

/* The strings of an array (taken), one a line under lab. */
static void str_list(struct log *l, const char *lab, const char *key)
{
	json_t *a = take(l, key), *e;
	size_t i;

	json_array_foreach(a, i, e) {
		char *t = json_is_string(e) ? str_or(json_string_value(e), "")
					    : NULL;
		if (t == NULL)
			continue;
		field(l, lab, t);
		free(t);
	}
}

static void log_protection(struct log *l)
{
	json_t *devs = at(l->root, "write_block.devices");
	const char *name;
	json_t *v;
	int app, nwb, excl, held;

	heading(l, "SOURCE DETAILS");
	partitions(l);
	if (json_is_string(at(l->root, "source.content")))
		field_key(l, "Content", "source.content", "");
	else if (json_is_string(at(l->root, "source.content_note")))
		field_key(l, "Content", "source.content_note", "");
	take(l, "source.content");
	str_list(l, "Identity note", "source.identity_notes");
	hidden_area(l, "HPA", "source.hpa", "host protected area");
	hidden_area(l, "DCO", "source.dco", "device configuration overlay");
	app = take_bool(l, "write_block.applicable");
	nwb = take_bool(l, "write_block.no_write_block");
	if (nwb == 1)
		field(l, "Write block",
		      "NOT used: --no-write-block was given; the kernel "
		      "read-only flag was not set.");
	if (json_is_string(at(l->root, "write_block.state")))
		field_key(l, nwb == 1 ? "State" : "Write block",
			  "write_block.state", "");
	else if (app == 0)
		field(l, "Write block", "not a block device: no kernel flag "
					"applies.");
	take(l, "write_block.state");
	take_bool(l, "write_block.readonly_before");
	take_bool(l, "write_block.readonly_after");
	json_object_foreach(devs, name, v) wb_device(l, name);
	excl = take_bool(l, "write_block.exclusive_open");
	if (excl != -1)
		field(l, "Exclusive open",
		      excl ? "yes: no other program could open the source "
			     "while it was read (O_EXCL)."
			   : "no.");
	held = take_bool(l, "write_block.held_by_others");
	if (held == 1)
		field(l, "Held by others", "yes: another program held the "
					   "device open.");
	str_list(l, "Mounted rw", "write_block.mounted_read_write");
	str_list(l, "Mounted ro", "write_block.mounted_read_only");
	str_list(l, "Attached as", "write_block.attached_as");
	str_list(l, "Stacked on it", "write_block.stacked");
	str_list(l, "Holder", "write_block.holders");
	str_list(l, "Warning", "write_block.warnings");
	str_list(l, "Note", "write_block.notes");
}

/* ---- The result ----------------------------------------------------------- */

/* The unreadable sectors and ranges of the record. */
static void bad_totals(struct log *l, uint64_t *sectors, size_t *ranges)
{
	json_t *a = at(l->root, "bad_ranges"), *e;
	size_t i;

	*sectors = 0;
	*ranges = json_is_array(a) ? json_array_size(a) : 0;
	json_array_foreach(a, i, e) {
		json_t *c = json_object_get(e, "count");
		if (json_is_integer(c) && json_integer_value(c) > 0)
			*sectors += (uint64_t)json_integer_value(c);
	}
}

static int fill_byte(struct log *l)
{
	json_t *f = at(l->root, "parameters.fill_byte");

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

static void log_status(struct log *l)
{
	const char *st = take_str(l, "result.status");
	const char *msg = take_str(l, "result.message");
	const char *word = NULL;
	char *m = NULL, *s;
	uint64_t sectors;
	size_t ranges, i;

	for (i = 0; st != NULL && i < sizeof(status_words) /
					      sizeof(status_words[0]);
	     i++)
		if (strcmp(st, status_words[i].word) == 0)
			word = status_words[i].shown;
	s = str_or(st, "unknown");
	bad_totals(l, &sectors, &ranges);
	if (msg != NULL)
		m = str_or(msg, "");
	if (s == NULL || (msg != NULL && m == NULL)) {
		l->b->failed = 1;
	} else if (word == NULL) {
		fieldf(l, "Status", "%s%s%s", s, m != NULL ? ": " : "",
		       m != NULL ? m : "");
	} else if (strcmp(st, "completed with errors") == 0) {
		char n[32];
		commas(n, sizeof(n), sectors);
		fieldf(l, "Status", "%s: %s unreadable sector%s filled with "
				    "0x%02X",
		       word, n, sectors == 1 ? "" : "s", fill_byte(l));
	} else if (strcmp(st, "running") == 0) {
		fieldf(l, "Status", "%s: the record was never ended (the "
				    "run stopped or is still running)",
		       word);
	} else if (m != NULL) {
		fieldf(l, "Status", "%s: %s", word, m);
	} else if (strcmp(st, "interrupted") == 0) {
		fieldf(l, "Status", "%s: stopped before the end", word);
	} else {
		field(l, "Status", word);
	}
	free(s);
	free(m);
}

static void log_times(struct log *l)
{
	char t[48];
	int64_t d;

	utc_words(t, sizeof(t), take_str(l, "run.started_utc"));
	field(l, "Started", t);
	if (json_is_string(at(l->root, "run.finished_utc"))) {
		utc_words(t, sizeof(t), take_str(l, "run.finished_utc"));
		if (take_int(l, "run.duration_seconds", &d) && d >= 0)
			fieldf(l, "Finished", "%s (duration %" PRId64
					      ":%02d:%02d)",
			       t, d / 3600, (int)(d / 60 % 60), (int)(d % 60));
		else
			field(l, "Finished", t);
	} else {
		take(l, "run.finished_utc");
		field(l, "Finished", "not recorded");
	}
}

/* The digests of the media, or why there are none. */
static void log_hashes(struct log *l)
{
	int64_t bytes;
	const char *md5 = take_str(l, "hashes.md5");
	const char *sha1 = take_str(l, "hashes.sha1");
	const char *sha256 = take_str(l, "hashes.sha256");

	/* The bytes hashed, when they are not the source's size. */
	if (take_int(l, "hashes.bytes", &bytes)) {
		char a[40];
		json_t *s = at(l->root, "source.size");
		if (!json_is_integer(s) || json_integer_value(s) != bytes) {
			commas(a, sizeof(a), (uint64_t)bytes);
			fieldf(l, "Data hashed", "%s bytes", a);
		}
	}
	if (md5 == NULL && sha1 == NULL && sha256 == NULL)
		field(l, "Hashes", "none: the acquisition did not finish");
	if (md5 != NULL)
		field(l, "MD5", md5);
	if (sha1 != NULL)
		field(l, "SHA-1", sha1);
	if (sha256 != NULL)
		field(l, "SHA-256", sha256);
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
		json_array_foreach(checks, i, c) {
			const char *a = json_string_value(
			    json_object_get(c, "algorithm"));
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
			 k == 0 ? "" : k + 1 == n ? " and " : ", ", names[k]);
	}
}

/* One line for a --verify read-back (the details are under
 * VERIFICATION). */
static void verify_line(struct log *l, const char *lab, const char *key,
			int asked)
{
	json_t *v = at(l->root, key);
	const char *st = json_string_value(json_object_get(v, "status"));
	char algs[64];

	if (!json_is_object(v)) {
		field(l, lab, asked ? "not done (the run did not get that far)"
				    : "not asked (no --verify)");
		return;
	}
	matched_algs(v, algs, sizeof(algs));
	if (st != NULL && strcmp(st, "verified") == 0)
		fieldf(l, lab, "VERIFIED: the image read back gives the same "
			       "%s",
		       algs[0] != '\0' ? algs : "digests");
	else if (st != NULL && strcmp(st, "mismatch") == 0)
		field(l, lab, "MISMATCH: the image read back differs (see "
			      "VERIFICATION)");
	else
		field(l, lab, "CANNOT VERIFY (see VERIFICATION)");
}

static void log_result(struct log *l)
{
	json_t *vs = at(l->root, "verify_source");
	int verify = json_is_true(at(l->root, "parameters.verify"));
	int vsrc = json_is_true(at(l->root, "parameters.verify_source"));
	uint64_t sectors;
	size_t ranges;

	heading(l, "RESULT");
	log_status(l);
	log_times(l);
	log_hashes(l);
	bad_totals(l, &sectors, &ranges);
	if (ranges == 0) {
		field(l, "Unreadable", json_is_string(at(l->root, "hashes.md5")) ||
					       json_is_string(
						   at(l->root, "hashes.sha256"))
					   ? "none: every sector was read"
					   : "none recorded");
	} else {
		char n[32], r[32];
		commas(n, sizeof(n), sectors);
		commas(r, sizeof(r), (uint64_t)ranges);
		fieldf(l, "Unreadable", "%s sector%s in %s range%s, filled "
					"with 0x%02X (see ERRORS)",
		       n, sectors == 1 ? "" : "s", r, ranges == 1 ? "" : "s",
		       fill_byte(l));
	}
	verify_line(l, "Image re-read", "verification", verify);
	if (at(l->root, "verification_second_output") != NULL ||
	    json_is_string(at(l->root, "parameters.second_output")))
		verify_line(l, "Copy 2 re-read", "verification_second_output",
			    verify);
	if (json_is_object(vs)) {
		const char *st =
		    json_string_value(json_object_get(vs, "status"));
		if (st != NULL && strcmp(st, "match") == 0)
			field(l, "Source re-read",
			      "MATCH: the source read again gives the same "
			      "digests");
		else if (st != NULL && strcmp(st, "mismatch") == 0)
			field(l, "Source re-read",
			      "MISMATCH: the source read again gives other "
			      "digests (see VERIFICATION)");
		else
			fieldf(l, "Source re-read", "%s (see VERIFICATION)",
			       st != NULL && strcmp(st, "interrupted") == 0
				   ? "INTERRUPTED"
				   : "FAILED");
	} else {
		field(l, "Source re-read",
		      vsrc ? "not done (the run did not get that far)"
			   : "not asked (no --verify-source)");
	}
}

/* ---- Errors --------------------------------------------------------------- */

static void log_errors(struct log *l)
{
	json_t *a = take(l, "bad_ranges"), *e;
	uint64_t sectors, more = 0;
	size_t ranges, i;
	int64_t v;

	heading(l, "ERRORS");
	bad_totals(l, &sectors, &ranges);
	take(l, "reading.bad_ranges");
	take(l, "reading.sectors_filled");
	if (ranges == 0) {
		para(l, 0, "No unreadable sectors.");
	} else {
		char n[32], r[32];
		commas(n, sizeof(n), sectors);
		commas(r, sizeof(r), (uint64_t)ranges);
		fg_buf_printf(l->b, "%s unreadable sector%s in %s range%s, "
				    "each sector filled with 0x%02X:\n",
			      n, sectors == 1 ? "" : "s", r,
			      ranges == 1 ? "" : "s", fill_byte(l));
	}
	json_array_foreach(a, i, e) {
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
			fg_buf_printf(l->b, "  LBA %" PRId64 " (1 sector)\n", first);
		else
			fg_buf_printf(l->b,
				      "  LBA %" PRId64 " - %" PRId64
				      " (%" PRId64 " sectors)\n",
				      first, first + count - 1, count);
	}
	if (ranges > LOG_MAX_RANGES) {
		char r[32], s[32], t[200];
		commas(r, sizeof(r), (uint64_t)(ranges - LOG_MAX_RANGES));
		commas(s, sizeof(s), more);
		snprintf(t, sizeof(t),
			 "... and %s more ranges (%s sectors): the JSON "
			 "record lists every range (bad_ranges).",
			 r, s);
		para(l, 2, t);
	}
	if (take_int(l, "reading.read_errors", &v)) {
		char n[32];
		commas(n, sizeof(n), (uint64_t)v);
		fieldf(l, "Read errors", "%s read%s failed", n,
		       v == 1 ? "" : "s");
	}
	if (take_int(l, "reading.retries", &v)) {
		char n[32];
		commas(n, sizeof(n), (uint64_t)v);
		fieldf(l, "Retries", "%s read%s retried", n, v == 1 ? "" : "s");
	}
	if (take_int(l, "reading.bytes_not_read", &v) && v > 0) {
		char n[32];
		commas(n, sizeof(n), (uint64_t)v);
		fieldf(l, "Not read", "%s bytes were never read (the run "
				      "stopped first)",
		       n);
	}
}

/* ---- Verification details ------------------------------------------------- */

/* "md5" -> "MD5". */
static const char *alg_name(const char *alg)
{
	if (strcmp(alg, "md5") == 0)
		return "MD5";
	if (strcmp(alg, "sha1") == 0)
		return "SHA-1";
	if (strcmp(alg, "sha256") == 0)
		return "SHA-256";
	return alg;
}

static void check_lines(struct log *l, json_t *checks)
{
	json_t *c;
	size_t i;

	json_array_foreach(checks, i, c) {
		const char *what =
		    json_string_value(json_object_get(c, "what"));
		const char *alg =
		    json_string_value(json_object_get(c, "algorithm"));
		const char *res =
		    json_string_value(json_object_get(c, "result"));
		const char *src =
		    json_string_value(json_object_get(c, "source"));
		char *w = str_or(what, "?"), *a = str_or(alg, "-"),
		     *r = str_or(res, "?"), *s = str_or(src, "unknown"), *t;

		if (i >= LOG_MAX_CHECKS) {
			free(w), free(a), free(r), free(s);
			fg_buf_printf(l->b, "  ... and %zu more checks in the "
					    "JSON record\n",
				      json_array_size(checks) - i);
			break;
		}
		t = w != NULL && a != NULL && r != NULL && s != NULL
			? alg != NULL
				  ? fg_strdup_printf("%s of %s: %s (against %s)",
						     alg_name(alg), w, r, s)
				  : fg_strdup_printf("%s: %s (%s)", w, r, s)
			: NULL;
		if (t != NULL) {
			fg_buf_puts(l->b, "  ");
			wrapped(l->b, t, 2, 4);
		} else {
			l->b->failed = 1;
		}
		free(t), free(w), free(a), free(r), free(s);
	}
}

/* The details of a --verify read-back: key is "verification" or
 * "verification_second_output". */
static void verification_details(struct log *l, const char *key,
				 const char *title)
{
	char k[96];
	json_t *v = at(l->root, key);
	char t1[48], t2[48];

	if (!json_is_object(v))
		return;
	fg_buf_printf(l->b, "%s:\n", title);
	snprintf(k, sizeof(k), "%s.status", key);
	field_key(l, "  Outcome", k, "unknown");
	snprintf(k, sizeof(k), "%s.started_utc", key);
	utc_words(t1, sizeof(t1), take_str(l, k));
	snprintf(k, sizeof(k), "%s.finished_utc", key);
	utc_words(t2, sizeof(t2), take_str(l, k));
	fieldf(l, "  Read back", "%s to %s", t1, t2);
	snprintf(k, sizeof(k), "%s.method", key);
	field_key(l, "  Method", k, "unknown");
	snprintf(k, sizeof(k), "%s.page_cache_bypass", key);
	field_key(l, "  Page cache", k, "not kept out");
	snprintf(k, sizeof(k), "%s.message", key);
	if (json_is_string(at(l->root, k)))
		field_key(l, "  Why", k, "");
	else
		take(l, k);
	snprintf(k, sizeof(k), "%s.checks", key);
	check_lines(l, take(l, k));
	snprintf(k, sizeof(k), "%s.problems", key);
	str_list(l, "  Problem", k);
	/* The digests read back are the checks' "computed"; the damage
	 * ranges stay in their own lines below (OTHER) when there are
	 * any. */
	snprintf(k, sizeof(k), "%s.md5", key);
	take(l, k);
	snprintf(k, sizeof(k), "%s.sha1", key);
	take(l, k);
	snprintf(k, sizeof(k), "%s.sha256", key);
	take(l, k);
	snprintf(k, sizeof(k), "%s.bytes", key);
	take(l, k);
	snprintf(k, sizeof(k), "%s.damage", key);
	if (json_array_size(at(l->root, k)) == 0)
		take(l, k);
}

static void log_verification(struct log *l)
{
	json_t *vs = at(l->root, "verify_source");
	char t1[48], t2[48];
	int64_t n;

	if (!json_is_object(at(l->root, "verification")) &&
	    !json_is_object(at(l->root, "verification_second_output")) &&
	    !json_is_object(vs))
		return;
	heading(l, "VERIFICATION");
	verification_details(l, "verification", "Image read back (--verify)");
	verification_details(l, "verification_second_output",
			     "Second copy read back (--verify)");
	if (!json_is_object(vs))
		return;
	fg_buf_puts(l->b, "Source read again (--verify-source):\n");
	field_key(l, "  Outcome", "verify_source.status", "not recorded");
	utc_words(t1, sizeof(t1), take_str(l, "verify_source.started_utc"));
	utc_words(t2, sizeof(t2), take_str(l, "verify_source.finished_utc"));
	fieldf(l, "  Read again", "%s to %s", t1, t2);
	field_key(l, "  Method", "verify_source.method", "unknown");
	if (json_is_string(at(l->root, "verify_source.message")))
		field_key(l, "  Why", "verify_source.message", "");
	else
		take(l, "verify_source.message");
	field_key_if(l, "  MD5", "verify_source.md5");
	field_key_if(l, "  SHA-1", "verify_source.sha1");
	field_key_if(l, "  SHA-256", "verify_source.sha256");
	if (take_int(l, "verify_source.sectors_filled", &n) && n > 0)
		fieldf(l, "  Unreadable", "%" PRId64 " sectors could not be "
					  "read again",
		       n);
}

/* ---- Outputs -------------------------------------------------------------- */

static void output_files(struct log *l, unsigned copy)
{
	json_t *a = at(l->root, "outputs"), *e;
	size_t i;

	json_array_foreach(a, i, e) {
		json_t *c = json_object_get(e, "copy");
		unsigned ec = json_is_integer(c)
				  ? (unsigned)json_integer_value(c)
				  : 1;
		json_t *size = json_object_get(e, "size");
		const char *md5 =
		    json_string_value(json_object_get(e, "md5"));
		const char *sha =
		    json_string_value(json_object_get(e, "sha256"));
		char *p;

		if (ec != copy)
			continue;
		p = str_or(json_string_value(json_object_get(e, "path")),
			   "unknown");
		if (p == NULL) {
			l->b->failed = 1;
			return;
		}
		para(l, 2, p);
		free(p);
		if (json_is_integer(size)) {
			char n[32];
			commas(n, sizeof(n),
			       (uint64_t)json_integer_value(size));
			fieldf(l, "    Size", "%s bytes", n);
		}
		if (md5 != NULL)
			field(l, "    MD5", md5);
		if (sha != NULL)
			field(l, "    SHA-256", sha);
	}
}

/* An E01 container written (key "container" or "second_container"). */
static void container(struct log *l, const char *key)
{
	char k[64], a[40];
	int64_t n = 0, cs = 0, pad = 0, thr = 0, errs = -1, media;
	const char *ewf, *comp, *compr, *stored, *mt;
	int phys;
	char *e, *c, *cr, *s;

	if (!json_is_object(at(l->root, key)))
		return;
	snprintf(k, sizeof(k), "%s.ewf_format", key);
	ewf = take_str(l, k);
	snprintf(k, sizeof(k), "%s.format", key);
	take(l, k);
	snprintf(k, sizeof(k), "%s.segment_files", key);
	take_int(l, k, &n);
	snprintf(k, sizeof(k), "%s.chunk_size", key);
	take_int(l, k, &cs);
	snprintf(k, sizeof(k), "%s.compression", key);
	comp = take_str(l, k);
	snprintf(k, sizeof(k), "%s.compressor", key);
	compr = take_str(l, k);
	snprintf(k, sizeof(k), "%s.compression_threads", key);
	take_int(l, k, &thr);
	snprintf(k, sizeof(k), "%s.hashes_stored", key);
	stored = take_str(l, k);
	snprintf(k, sizeof(k), "%s.padding_bytes", key);
	take_int(l, k, &pad);
	snprintf(k, sizeof(k), "%s.acquiry_errors", key);
	take_int(l, k, &errs);
	e = str_or(ewf, "unknown");
	c = str_or(comp, "none");
	cr = str_or(compr, "unknown");
	s = str_or(stored, "none");
	size_set(a, sizeof(a), (uint64_t)cs);
	if (e != NULL && c != NULL && cr != NULL && s != NULL) {
		fieldf(l, "  Container", "E01 (%s), %" PRId64 " segment "
					 "file%s, chunks of %s",
		       e, n, n == 1 ? "" : "s", a);
		fieldf(l, "  Compression", "%s (%s, %" PRId64 " thread%s)", c,
		       cr, thr, thr == 1 ? "" : "s");
		if (errs >= 0)
			fieldf(l, "  Stored in it",
			       "hashes: %s; %" PRId64 " unreadable range%s", s,
			       errs, errs == 1 ? "" : "s");
		else
			fieldf(l, "  Stored in it",
			       "hashes: %s; no place for unreadable ranges", s);
	} else {
		l->b->failed = 1;
	}
	free(e), free(c), free(cr), free(s);
	snprintf(k, sizeof(k), "%s.media_size", key);
	if (take_int(l, k, &media)) {
		char m[32];
		commas(m, sizeof(m), (uint64_t)media);
		fieldf(l, "  Media size", "%s bytes", m);
	}
	snprintf(k, sizeof(k), "%s.media_type", key);
	mt = take_str(l, k);
	snprintf(k, sizeof(k), "%s.physical", key);
	phys = take_bool(l, k);
	if (mt != NULL) {
		char *m = str_or(mt, "");
		if (m != NULL)
			fieldf(l, "  Media type", "%s%s", m,
			       phys == 1   ? ", a physical device"
			       : phys == 0 ? ", not marked as a physical device"
					   : "");
		free(m);
	}
	if (pad > 0) {
		char p[32];
		commas(p, sizeof(p), (uint64_t)pad);
		fieldf(l, "  Padding", "%s zero bytes to a whole sector (the "
				       "E01 only); its media's digests:",
		       p);
		if (strcmp(key, "container") == 0) {
			field_key_if(l, "    MD5", "hashes.e01_padded.md5");
			field_key_if(l, "    SHA-1", "hashes.e01_padded.sha1");
			field_key_if(l, "    SHA-256",
				     "hashes.e01_padded.sha256");
			take(l, "hashes.e01_padded.over");
			take(l, "hashes.e01_padded.bytes");
		} else {
			field(l, "    Digests", "as copy 1's");
		}
	}
	snprintf(k, sizeof(k), "%s.bytes_per_sector", key);
	take(l, k);
	snprintf(k, sizeof(k), "%s.sectors_per_chunk", key);
	take(l, k);
	snprintf(k, sizeof(k), "%s.libewf_version", key);
	field_key_if(l, "  libewf", k);
	snprintf(k, sizeof(k), "%s.set_identifier", key);
	field_key_if(l, "  Set id", k);
	snprintf(k, sizeof(k), "%s.warning", key);
	field_key_if(l, "  Warning", k);
}

static void log_outputs(struct log *l, const char *txt_path)
{
	const char *second = json_string_value(
	    at(l->root, "parameters.second_output"));
	json_t *a = take(l, "outputs");
	size_t i;
	unsigned maxc = 1;
	json_t *e;

	heading(l, "OUTPUT FILES");
	json_array_foreach(a, i, e) {
		json_t *c = json_object_get(e, "copy");
		if (json_is_integer(c) && json_integer_value(c) > maxc &&
		    json_integer_value(c) < 16)
			maxc = (unsigned)json_integer_value(c);
	}
	if (json_array_size(a) == 0)
		para(l, 0, "None: the evidence files were not finished "
			   "(their names end in .incomplete).");
	else
		fg_buf_puts(l->b, maxc > 1 ? "Copy 1:\n" : "Evidence files:\n");
	output_files(l, 1);
	container(l, "container");
	if (txt_path != NULL) {
		const char *b = base_name(txt_path);
		size_t nb = strlen(b);
		if (nb > 4 && strcmp(b + nb - 4, ".txt") == 0) {
			char *t = fg_strdup_printf("%.*s.md5, %.*s.sha256 "
						   "(sha256sum -c checks the "
						   "files where they lie)",
						   (int)(nb - 4), b,
						   (int)(nb - 4), b);
			char *p = t != NULL ? shown(t, strlen(t)) : NULL;
			if (p != NULL)
				field(l, "  Checksums", p);
			free(p);
			free(t);
		}
	}
	if (maxc > 1 || second != NULL) {
		char *s = str_or(second, "");
		if (s != NULL)
			fg_buf_printf(l->b, "Copy 2 (--second-output %s):\n",
				      s);
		free(s);
		output_files(l, 2);
		container(l, "second_container");
	}
}

/* ---- Parameters ----------------------------------------------------------- */

/* "value (default)" when value is the documented default. */
static void param(struct log *l, const char *lab, const char *value,
		  int is_default)
{
	size_t n = strlen(value);

	if (is_default && n > 0 && value[n - 1] == ')')
		fieldf(l, lab, "%.*s, default)", (int)(n - 1), value);
	else if (is_default)
		fieldf(l, lab, "%s (default)", value);
	else
		field(l, lab, value);
}

static void param_bool(struct log *l, const char *lab, const char *key,
		       const char *yes, const char *no)
{
	int v = take_bool(l, key);

	if (v == 1)
		field(l, lab, yes);
	else if (v == 0)
		param(l, lab, no, 1);
}

static void log_parameters(struct log *l)
{
	const char *fmt = take_str(l, "parameters.format");
	int e01 = fmt != NULL && strcmp(fmt, "e01") == 0;
	const char *hashes = take_str(l, "parameters.hashes");
	const char *s;
	int64_t v;
	char buf[96];
	char *t;

	heading(l, "PARAMETERS");
	t = str_or(fmt, "unknown");
	if (t != NULL)
		param(l, "Format", e01 ? "E01" : t, e01);
	free(t);
	if (hashes != NULL) {
		struct fg_buf h = {NULL, 0, 0, 0};
		const char *p = hashes;
		while (*p != '\0') {
			size_t n = strcspn(p, ",");
			if (h.len > 0)
				fg_buf_puts(&h, ", ");
			if (n == 3 && strncmp(p, "md5", 3) == 0)
				fg_buf_puts(&h, "MD5");
			else if (n == 4 && strncmp(p, "sha1", 4) == 0)
				fg_buf_puts(&h, "SHA-1");
			else if (n == 6 && strncmp(p, "sha256", 6) == 0)
				fg_buf_puts(&h, "SHA-256");
			else
				fg_buf_printf(&h, "%.*s", (int)n, p);
			p += n;
			if (*p == ',')
				p++;
		}
		t = h.p != NULL && !h.failed ? shown(h.p, h.len) : NULL;
		if (t != NULL)
			param(l, "Digests", t,
			      strcmp(hashes, "md5,sha256") == 0);
		free(t);
		free(h.p);
	}
	if (take_int(l, "parameters.block_size", &v)) {
		size_set(buf, sizeof(buf), (uint64_t)(v ? v : 1048576));
		param(l, "Block size", buf, v == 0 || v == 1048576);
	}
	if (take_int(l, "parameters.retries", &v)) {
		snprintf(buf, sizeof(buf), "%" PRId64 " extra read%s of a "
					   "failing sector",
			 v, v == 1 ? "" : "s");
		param(l, "Retries", buf, v == 3);
	}
	if (take_int(l, "parameters.fill_byte", &v)) {
		snprintf(buf, sizeof(buf), "0x%02X for unreadable sectors",
			 (unsigned)(v & 0xff));
		param(l, "Fill", buf, v == 0);
	}
	if (take_int(l, "parameters.segment_size", &v)) {
		json_t *lim = at(l->root, "container.segment_size_limit");
		if (v > 0) {
			size_set(buf, sizeof(buf), (uint64_t)v);
			param(l, "Segment size", buf, 0);
		} else if (e01 && json_is_integer(lim)) {
			size_set(buf, sizeof(buf),
				 (uint64_t)json_integer_value(lim));
			param(l, "Segment size", buf, 1);
		} else {
			param(l, "Segment size", e01 ? "libewf's" : "not split",
			      1);
		}
		take(l, "container.segment_size_limit");
		take(l, "second_container.segment_size_limit");
	}
	if ((s = take_str(l, "parameters.compression")) != NULL) {
		t = str_or(s, "");
		if (t != NULL)
			param(l, "Compression", t, strcmp(s, "fast") == 0);
		free(t);
	}
	if ((s = take_str(l, "parameters.ewf_format")) != NULL) {
		t = str_or(s, "");
		if (t != NULL)
			param(l, "EWF format", t, strcmp(s, "encase6") == 0);
		free(t);
	}
	if (take_int(l, "parameters.chunk_size", &v)) {
		json_t *cs = at(l->root, "container.chunk_size");
		if (v > 0) {
			size_set(buf, sizeof(buf), (uint64_t)v);
			field(l, "Chunk size", buf);
		} else if (json_is_integer(cs)) {
			size_set(buf, sizeof(buf),
				 (uint64_t)json_integer_value(cs));
			fieldf(l, "Chunk size", "%s (auto, the default)", buf);
		} else {
			field(l, "Chunk size", "auto (default)");
		}
	}
	if (take_int(l, "parameters.offset", &v)) {
		commas(buf, sizeof(buf), (uint64_t)v);
		if (v == 0)
			param(l, "Offset", "0: from the first byte", 1);
		else
			fieldf(l, "Offset", "byte %s", buf);
	}
	if (take_int(l, "parameters.length", &v)) {
		commas(buf, sizeof(buf), (uint64_t)v);
		if (v == 0)
			param(l, "Length", "to the end", 1);
		else
			fieldf(l, "Length", "%s bytes", buf);
	}
	if (take_int(l, "parameters.hash_window", &v)) {
		if (v == 0) {
			field(l, "Hash windows", "none");
		} else {
			json_t *w = at(l->root, "hash_windows.sha256");
			size_set(buf, sizeof(buf), (uint64_t)v);
			fieldf(l, "Hash windows", "a SHA-256 of every %s (%zu, "
						  "listed in the JSON record)",
			       buf, json_array_size(w));
			take(l, "hash_windows.sha256");
			take(l, "hash_windows.size");
			take(l, "hash_windows.algorithm");
		}
	}
	param_bool(l, "Verify image", "parameters.verify",
		   "yes (--verify)", "no");
	param_bool(l, "Verify source", "parameters.verify_source",
		   "yes (--verify-source)", "no");
	param_bool(l, "Write block", "parameters.no_write_block",
		   "OFF (--no-write-block)", "on");
	if ((s = take_str(l, "parameters.second_output")) != NULL) {
		t = str_or(s, "");
		if (t != NULL)
			field(l, "Second output", t);
		free(t);
	} else {
		take(l, "parameters.second_output");
		param(l, "Second output", "none", 1);
	}
	if ((s = take_str(l, "parameters.mapfile")) != NULL) {
		t = str_or(s, "");
		if (t != NULL)
			field(l, "Mapfile", t);
		free(t);
	} else if (at(l->root, "parameters.mapfile") != NULL) {
		take(l, "parameters.mapfile");
		param(l, "Mapfile", "none", 1);
	}
	param_bool(l, "Resume", "parameters.resume", "yes (--resume)", "no");
	if ((s = take_str(l, "parameters.profile")) != NULL) {
		t = str_or(s, "");
		if (t != NULL)
			field(l, "Profile", t);
		free(t);
		field_key_if(l, "Profile hash", "parameters.profile_sha256");
	}
}

/* ---- The run -------------------------------------------------------------- */

/* A --verify read-back's row in the case database. */
static void db_row(struct log *l, const char *p, const char *lab)
{
	char k[96];
	int64_t id;

	snprintf(k, sizeof(k), "case_db.%s_id", p);
	if (take_int(l, k, &id))
		fieldf(l, lab, "row %" PRId64 " of the verifications", id);
	snprintf(k, sizeof(k), "case_db.%s_error", p);
	if (json_is_string(at(l->root, k)))
		field_key(l, lab, k, "");
}

/* An event of the case database's log, with its SHA-256 (which anchors
 * the log outside the database). */
static void db_event(struct log *l, const char *p, const char *what)
{
	char k[96];
	int64_t id;
	const char *sha;

	snprintf(k, sizeof(k), "case_db.%s_event", p);
	if (!take_int(l, k, &id))
		return;
	snprintf(k, sizeof(k), "case_db.%s_event_sha256", p);
	sha = take_str(l, k);
	fieldf(l, "Logged event", "%" PRId64 ", %s; its SHA-256:", id, what);
	if (sha != NULL && is_sha256(sha))
		field(l, "", sha);
}

static void log_run(struct log *l)
{
	json_t *runs = at(l->root, "run.earlier_runs");
	int64_t id;

	heading(l, "RUN");
	if (take_int(l, "result.exit_code", &id))
		fieldf(l, "Exit status", "%" PRId64, id);
	field_key(l, "Host", "run.host", "unknown");
	field_key(l, "Folder", "run.working_directory", "unknown");
	field_key(l, "Command", "run.command_line", "unknown");
	if (json_array_size(runs) > 0)
		str_list(l, "Resumes run", "run.earlier_runs");
	field_key_if(l, "Reading", "reading.mode");
	take(l, "reading.bytes");
	take(l, "reading.sectors_read");
	field_key_if(l, "Hashes cover", "hashes.over");
	field_key_if(l, "Hashed", "hashes.computed");
	if (take_int(l, "hashes.image_reread_from", &id)) {
		char n[32];
		commas(n, sizeof(n), (uint64_t)id);
		fieldf(l, "Re-read from", "byte %s of the image on", n);
	}
	field_key_if(l, "MD5 code", "tool.md5");
	field_key_if(l, "SHA-256 code", "tool.sha256");
	if (json_is_object(at(l->root, "case_db"))) {
		field_key_if(l, "Case database", "case_db.path");
		int rec = take_bool(l, "case_db.recorded");
		if (take_int(l, "case_db.acquisition_id", &id))
			fieldf(l, "Acquisition", "%" PRId64
						 " in the case database%s",
			       id, rec == 1 ? ", completed at the end" : "");
		if (json_is_string(at(l->root, "case_db.error")))
			field_key(l, "Not recorded", "case_db.error", "");
		db_row(l, "verification", "Verification");
		db_row(l, "verification_second_output", "Verification 2");
		db_event(l, "started", "acquisition started");
		db_event(l, "completed", "acquisition completed");
		db_event(l, "verification", "verification");
		db_event(l, "verification_second_output",
			 "verification of copy 2");
	}
}

/* ---- The whole log -------------------------------------------------------- */

static void log_other(struct log *l)
{
	struct fg_buf b = {NULL, 0, 0, 0};
	char *p, *e;

	take(l, "record_format");
	prune(l->rest);
	if (json_object_size(l->rest) == 0)
		return;
	heading(l, "OTHER RECORDED VALUES");
	render(&b, l->rest, 0, "unknown");
	if (b.failed)
		l->b->failed = 1;
	/* Each line wrapped, its continuation indented under its value. */
	for (p = b.p; p != NULL && *p != '\0'; p = e + 1) {
		size_t ind = strspn(p, " ");
		e = strchr(p, '\n');
		if (e == NULL)
			break;
		*e = '\0';
		wrapped(l->b, p, 0, ind + 4);
	}
	free(b.p);
}

static void log_signature(struct log *l)
{
	heading(l, "SIGNATURE");
	para(l, 0, "I acquired the evidence described above; this log is a "
		   "true record of the acquisition.");
	fg_buf_puts(l->b, "\nExaminer: ______________________________  "
			  "Date: ________________\n\n"
			  "Signature: _____________________________\n");
}

char *fg_record_dump_log(const struct fg_record *r, const char *txt_path)
{
	struct fg_buf b = {NULL, 0, 0, 0};
	struct log l;

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
	log_verification(&l);
	log_outputs(&l, txt_path);
	log_parameters(&l);
	log_run(&l);
	log_other(&l);
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
