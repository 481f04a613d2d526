/*
 * record_int.h - the key table of forage's JSON documents (record_keys.c),
 * shared by the record tree (record.c) and its unit test.
 *
 * Every document forage writes through struct fg_record has one table of
 * keys: the acquisition record (OUTBASE.json), `forage info --json`, one
 * verification and the list `forage verify --json` prints.  A key is a
 * dotted path; a component "*" stands for one name forage makes up at run
 * time (a device, a partition, a udev property), "[]" for every element of
 * an array.  The setters refuse a key that is not in the table, or a value
 * of a type the table does not allow there (strictly once the record has
 * its record_format, loosely before: see fg_record_key_find); docs/schema/
 * holds the JSON Schemas generated from this table (fg_record_schema).
 */
#ifndef FORAGE_RECORD_INT_H
#define FORAGE_RECORD_INT_H

#include <stddef.h>
#include <stdint.h>

/* The documents (struct fg_record_key.docs; a key may be in several). */
#define FG_RDOC_ACQ    0x01u /* the acquisition record, OUTBASE.json */
#define FG_RDOC_INFO   0x02u /* forage info --json */
#define FG_RDOC_VERIFY 0x04u /* one verification (forage verify --json) */
#define FG_RDOC_VLIST  0x08u /* what forage verify --json prints */

/* The JSON types a key may hold (struct fg_record_key.types). */
#define FG_RT_STR    0x01u
#define FG_RT_INT    0x02u
#define FG_RT_BOOL   0x04u
#define FG_RT_NULL   0x08u
#define FG_RT_OBJECT 0x10u
#define FG_RT_ARRAY  0x20u
/* Not a type: the key is always there when its parent object is. */
#define FG_RT_REQUIRED 0x100u

struct fg_record_key {
	const char *key;  /* dotted; "*" one made-up name, "[]" elements */
	unsigned docs;	  /* FG_RDOC_* */
	unsigned types;	  /* FG_RT_* */
	const char *form; /* NULL, "md5", "sha1", "sha256", "utc", or
			   * "enum:a|b|c" (the only words allowed) */
	const char *meaning;
};

/* The table, and the number of its entries. */
extern const struct fg_record_key fg_record_keys[];
extern const size_t fg_record_nkeys;

/* The JSON tree of r (jansson's json_t), for record_text.c: r keeps it. */
struct fg_record;
struct json_t;
struct json_t *fg_record_root(const struct fg_record *r);

/* The value at a dotted key ("source.ata.model") under root, or NULL. */
struct json_t *fg_record_json_at(struct json_t *root, const char *key);

/* The document named by a record_format value (FG_RDOC_*), 0 when none. */
unsigned fg_record_doc_of_format(const char *record_format);

/* The entry for key in the documents docs whose types include type
 * (FG_RT_*), or NULL.  With loose set, a key also matches when its last
 * components match the last components of an entry (not starting at a
 * "*"): for a record that names no document, as an array's element is
 * built ("what" for "checks[].what") or a part a caller will place under
 * a prefix of its choosing ("v.status" for "verification.status"). */
const struct fg_record_key *fg_record_key_find(const char *key, unsigned docs,
					       unsigned type, int loose);

/* The JSON Schema (draft 2020-12) of the document doc, generated from the
 * table, as JSON text (malloc'd); NULL when out of memory. */
char *fg_record_schema(unsigned doc);

/* ---- The imaging log (record_text.c, record_log.c, record_log_setup.c) - */

#define LOG_WIDTH 80
#define LOG_COL 16	   /* where a value starts */
#define LOG_MAX_RANGES 500 /* unreadable ranges listed one a line */
#define LOG_MAX_CHECKS 64  /* checks of one verification listed */

struct fg_buf;

/* The log being written. */
struct fg_log {
	struct fg_buf *b;
	struct json_t *root; /* the record */
	struct json_t *rest; /* a copy: what the log has not shown yet */
	char key[256];	     /* fg_log_sub's key */
};

/* The key fmt names with s for its "%s" ("%s.chunk_size", "container"),
 * in l->key: good until the next call. */
const char *fg_log_sub(struct fg_log *l, const char *fmt, const char *s);

/* The value at key in the record, now shown: it leaves l->rest.  Then
 * the same for a string (NULL when not a string), an integer (1 and *v,
 * or 0), a boolean (1, 0, or -1 when not a boolean). */
struct json_t *fg_log_take(struct fg_log *l, const char *key);
const char *fg_log_str(struct fg_log *l, const char *key);
int fg_log_int(struct fg_log *l, const char *key, int64_t *v);
int fg_log_bool(struct fg_log *l, const char *key);

/* A digest's name for a person: "md5" -> "MD5" (record_words.c); an
 * unknown name as it is. */
const char *fg_log_alg_name(const char *alg);

/* Is s 64 hex digits (a SHA-256)? */
int fg_log_is_sha256(const char *s);

/* A record's UTC time as "2026-12-07 14:40:42 UTC" (numbers and sizes in
 * words: fg_commas, fg_size_binary, fg_size_both in base/). */
void fg_log_utc(char *out, size_t len, const char *t);

/* s (n bytes) made printable, malloc'd; s or else word, the same; NULL
 * when out of memory. */
char *fg_log_shown(const char *s, size_t n);
char *fg_log_shown_or(const char *s, const char *word);

/* The lines: a section's heading; text (printable already) wrapped from
 * column start, its continuation lines from column col; "Label:   value"
 * (the value printable already); the same formatted; a paragraph from
 * column col; "Label: the string at key" (taken; word when absent or
 * null), the same only when a string is there; each string of the array
 * at key as "Label: string". */
void fg_log_heading(struct fg_log *l, const char *title);
void fg_log_wrap(struct fg_buf *b, const char *text, size_t start,
		 size_t col);
void fg_log_field(struct fg_log *l, const char *lab, const char *value);
void fg_log_fieldf(struct fg_log *l, const char *lab, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void fg_log_para(struct fg_log *l, size_t col, const char *text);
void fg_log_key(struct fg_log *l, const char *lab, const char *key,
		const char *word);
void fg_log_key_if(struct fg_log *l, const char *lab, const char *key);
void fg_log_list(struct fg_log *l, const char *lab, const char *key);

/* record_log_health.c: each page of the object at key (raw_pages) as
 * "Label: name, N bytes from ..., SHA-256 ..."; the drive's health before
 * and after, under "DRIVE HEALTH". */
void fg_log_raw_pages(struct fg_log *l, const char *lab, const char *key);
void fg_log_health(struct fg_log *l);

/* What the log has not shown, under "OTHER RECORDED VALUES" (the plain
 * rendering, wrapped). */
void fg_log_other(struct fg_log *l);

/* The sections of record_log_setup.c: the --verify and --verify-source
 * details, the files of each copy (txt_path names the checksum files
 * beside them; may be NULL), the parameters, the run. */
void fg_log_verification(struct fg_log *l);
void fg_log_outputs(struct fg_log *l, const char *txt_path);
void fg_log_parameters(struct fg_log *l);
void fg_log_run(struct fg_log *l);

#endif
