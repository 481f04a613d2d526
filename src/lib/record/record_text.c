/*
 * record_text.c - records as text for a person: the plain rendering of
 * any record (forage info, and the last section of the imaging log), and
 * the helpers the imaging log (record_log.c, record_log_setup.c) makes
 * its lines with.
 *
 * Every string a device, a file or a person gave is shown through
 * fg_printable, so that it cannot drive the terminal the text is read
 * on.  The log's lines stay within 80 columns: a value starts at column
 * 16 and wraps under itself, after a space or a slash where one is near
 * the end of the line.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "record/record_int.h"

/* ---- The plain rendering ------------------------------------------------ */

/* "first_lba" -> "First lba": keys read as labels; with spelt, the words
 * forage abbreviates spelt as they are written ("First LBA", "Started
 * event SHA-256"), as the imaging log shows them (forage info's text
 * keeps the plain form, which scripts may read). */
static void label(struct fg_buf *b, const char *key, int spelt)
{
	static const char *const word[][2] = {
	    {"md5", "MD5"},	 {"sha1", "SHA-1"}, {"sha256", "SHA-256"},
	    {"utc", "(UTC)"},	 {"lba", "LBA"},    {"db", "database"},
	    {"ata", "ATA"},	 {"hpa", "HPA"},    {"dco", "DCO"},
	    {"scsi", "SCSI"},	 {"ewf", "EWF"},    {"e01", "E01"},
	    {"wwn", "WWN"},	 {"wwid", "WWID"},  {"io", "I/O"},
	    {"mmc", "MMC"},	 {"cid", "CID"},    {"naa", "NAA"},
	    {"id", "ID"},	 {"dm", "DM"},	    {"udev", "udev"},
	    {"libewf", "libewf"}};
	const char *p = key;
	int first = 1;

	while (*p != '\0') {
		size_t n = strcspn(p, "_"), i;
		const char *w = NULL;

		for (i = 0; spelt && i < sizeof(word) / sizeof(word[0]); i++)
			if (strlen(word[i][0]) == n &&
			    strncmp(p, word[i][0], n) == 0)
				w = word[i][1];
		if (!first)
			fg_buf_put(b, " ", 1);
		if (w != NULL) {
			fg_buf_puts(b, w);
		} else if (n > 0) {
			char c = p[0];
			if (first && c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			fg_buf_put(b, &c, 1);
			fg_buf_put(b, p + 1, n - 1);
		}
		first = 0;
		p += n;
		if (*p == '_')
			p++;
	}
}

/* A string as text (malloc'd): what a device, a file or a person said,
 * shown so that it cannot drive the terminal the text is read on.  NULL
 * when out of memory. */
char *fg_log_shown(const char *s, size_t n)
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
		char *t =
		    fg_log_shown(json_string_value(v), json_string_length(v));

		if (t == NULL) {
			b->failed = 1;
			break;
		}
		fg_buf_puts(b, t);
		free(t);
		break;
	}
	case JSON_INTEGER:
		fg_buf_printf(b, "%" JSON_INTEGER_FORMAT,
			      json_integer_value(v));
		break;
	case JSON_REAL: fg_buf_printf(b, "%.3f", json_real_value(v)); break;
	case JSON_TRUE: fg_buf_put(b, "yes", 3); break;
	case JSON_FALSE: fg_buf_put(b, "no", 2); break;
	case JSON_NULL: fg_buf_puts(b, nullw); break;
	default: break;
	}
}

static void render(struct fg_buf *b, json_t *v, int depth, const char *nullw,
		   int spelt);

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
			  const char *nullw, int spelt)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		if (depth == 0)
			nullw = null_word_for(key);
		indent(b, depth);
		label(b, key, spelt);
		if (json_is_object(v) || json_is_array(v)) {
			fg_buf_put(b, ":\n", 2);
			if ((json_is_array(v) && json_array_size(v) == 0) ||
			    (json_is_object(v) && json_object_size(v) == 0)) {
				indent(b, depth + 1);
				fg_buf_put(b, "(none)\n", 7);
			} else {
				render(b, v, depth + 1, nullw, spelt);
			}
		} else if (strcmp(key, "base64") == 0 && json_is_string(v)) {
			/* A drive's page as it came (raw_pages): pages of
			 * base64 are for programs, in the JSON. */
			fg_buf_printf(b, ": (%zu characters of base64: in the "
					 "JSON)\n",
				      json_string_length(v));
		} else {
			fg_buf_put(b, ": ", 2);
			render_scalar(b, v, nullw);
			fg_buf_put(b, "\n", 1);
		}
	}
}

static void render(struct fg_buf *b, json_t *v, int depth, const char *nullw,
		   int spelt)
{
	size_t i;
	json_t *e;

	if (json_is_object(v)) {
		render_object(b, v, depth, nullw, spelt);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
		{
			if (json_is_object(e)) {
				indent(b, depth);
				fg_buf_printf(b, "[%zu]\n", i + 1);
				render_object(b, e, depth + 1, nullw, spelt);
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

	render(&b, fg_record_root(r), 0, "unknown", 0);
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p != NULL ? b.p : strdup("");
}

/* ---- The imaging log: values ----------------------------------------------
 */

const char *fg_log_sub(struct fg_log *l, const char *fmt, const char *s)
{
	const char *p = strstr(fmt, "%s");

	if (p == NULL)
		fg_copy_str(l->key, sizeof(l->key), fmt);
	else
		snprintf(l->key, sizeof(l->key), "%.*s%s%s", (int)(p - fmt),
			 fmt, s, p + 2);
	return l->key;
}

/* The value at key, now shown: it leaves the copy of what is left. */
json_t *fg_log_take(struct fg_log *l, const char *key)
{
	const char *leaf = strrchr(key, '.');
	json_t *parent = l->rest;

	if (leaf != NULL) {
		char head[256];
		size_t n = (size_t)(leaf - key);
		if (n >= sizeof(head))
			return fg_record_json_at(l->root, key);
		memcpy(head, key, n);
		head[n] = '\0';
		parent = fg_record_json_at(l->rest, head);
		leaf++;
	} else {
		leaf = key;
	}
	if (json_is_object(parent))
		json_object_del(parent, leaf);
	return fg_record_json_at(l->root, key);
}

/* A string at key (taken), or NULL when it is not a string. */
const char *fg_log_str(struct fg_log *l, const char *key)
{
	return json_string_value(fg_log_take(l, key));
}

/* An integer at key (taken): 1 and *v, or 0. */
int fg_log_int(struct fg_log *l, const char *key, int64_t *v)
{
	json_t *j = fg_log_take(l, key);

	if (!json_is_integer(j))
		return 0;
	*v = (int64_t)json_integer_value(j);
	return 1;
}

/* A boolean at key (taken): 1 true, 0 false, -1 neither. */
int fg_log_bool(struct fg_log *l, const char *key)
{
	json_t *j = fg_log_take(l, key);

	return json_is_boolean(j) ? json_is_true(j) : -1;
}

/* Remove the objects left empty in the copy, at every depth. */
static void prune(json_t *obj)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(obj, tmp, key, v)
	{
		if (!json_is_object(v))
			continue;
		prune(v);
		if (json_object_size(v) == 0)
			json_object_del(obj, key);
	}
}

/* "2026-12-07T14:40:42Z" as "2026-12-07 14:40:42 UTC"; anything else as
 * it is, made printable. */
void fg_log_utc(char *out, size_t len, const char *t)
{
	if (t != NULL && strlen(t) == 20 && t[10] == 'T' && t[19] == 'Z') {
		snprintf(out, len, "%.10s %.8s UTC", t, t + 11);
		return;
	}
	fg_printable(out, len, t != NULL ? t : "unknown", (size_t)-1, 0);
}

/* ---- The imaging log: lines ------------------------------------------------
 */

void fg_log_heading(struct fg_log *l, const char *title)
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
void fg_log_wrap(struct fg_buf *b, const char *text, size_t start, size_t col)
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
void fg_log_field(struct fg_log *l, const char *lab, const char *value)
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
	fg_log_wrap(l->b, value, n, LOG_COL);
}

void fg_log_fieldf(struct fg_log *l, const char *lab, const char *fmt, ...)
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
	fg_log_field(l, lab, v);
	free(v);
}

/* A sentence or a note (printable already), wrapped, indented by col. */
void fg_log_para(struct fg_log *l, size_t col, const char *text)
{
	size_t i;

	for (i = 0; i < col; i++)
		fg_buf_put(l->b, " ", 1);
	fg_log_wrap(l->b, text, col, col);
}

/* A string the record holds, made printable (malloc'd); the word when it
 * is absent or null. */
char *fg_log_shown_or(const char *s, const char *word)
{
	char *t =
	    fg_log_shown(s != NULL ? s : word, strlen(s != NULL ? s : word));

	return t;
}

/* "Label: the string at key" (taken), the word when absent or null. */
void fg_log_key(struct fg_log *l, const char *lab, const char *key,
		const char *word)
{
	char *t = fg_log_shown_or(fg_log_str(l, key), word);

	if (t == NULL) {
		l->b->failed = 1;
		return;
	}
	fg_log_field(l, lab, t);
	free(t);
}

/* The same, only when the record holds a string there. */
void fg_log_key_if(struct fg_log *l, const char *lab, const char *key)
{
	if (json_is_string(fg_record_json_at(l->root, key)))
		fg_log_key(l, lab, key, "");
	else
		fg_log_take(l, key);
}

/* Is s 64 hex digits (a SHA-256)? */
int fg_log_is_sha256(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 64)
		return 0;
	for (i = 0; i < 64; i++)
		if (strchr("0123456789abcdefABCDEF", s[i]) == NULL)
			return 0;
	return 1;
}

/* The strings of an array (taken), one a line under lab. */
void fg_log_list(struct fg_log *l, const char *lab, const char *key)
{
	json_t *a = fg_log_take(l, key), *e;
	size_t i;

	json_array_foreach(a, i, e)
	{
		char *t = json_is_string(e)
			      ? fg_log_shown_or(json_string_value(e), "")
			      : NULL;
		if (t == NULL)
			continue;
		fg_log_field(l, lab, t);
		free(t);
	}
}

void fg_log_other(struct fg_log *l)
{
	struct fg_buf b = {NULL, 0, 0, 0};
	char *p, *e;

	fg_log_take(l, "record_format");
	prune(l->rest);
	if (json_object_size(l->rest) == 0)
		return;
	fg_log_heading(l, "OTHER RECORDED VALUES");
	render(&b, l->rest, 0, "unknown", 1);
	if (b.failed)
		l->b->failed = 1;
	/* Each line wrapped, its continuation indented under its value. */
	for (p = b.p; p != NULL && *p != '\0'; p = e + 1) {
		size_t ind = strspn(p, " ");
		e = strchr(p, '\n');
		if (e == NULL)
			break;
		*e = '\0';
		fg_log_wrap(l->b, p, 0, ind + 4);
	}
	free(b.p);
}
