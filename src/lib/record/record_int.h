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

#endif
