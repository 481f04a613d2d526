/*
 * record.h - the acquisition record: everything about one run (who, what,
 * when, which device, which parameters, which hashes, which sectors failed,
 * the result), written as OUTBASE.json for programs and OUTBASE.txt for a
 * person, plus the coreutils sidecars OUTBASE.md5 and OUTBASE.sha256.
 *
 * The record is a tree of named values addressed by dotted keys
 * ("source.model", "hashes.md5").  Modules add what they know; a value set
 * twice keeps the last one.  Keys keep the order they were first set in.
 *
 * Promise: every sidecar is written to a temporary name, fsynced, renamed
 * without replacing an existing file, and the folder fsynced; an existing
 * sidecar is FG_EEXIST and is left alone (fg_record_write_* with
 * replace=1 is only for the record of the run being written, see below).
 */
#ifndef FORAGE_RECORD_H
#define FORAGE_RECORD_H

#include <forage/forage.h>
#include <forage/sink.h>

struct fg_record;

/* ---- Building ------------------------------------------------------------ */

int fg_record_new(struct fg_record **out);
void fg_record_free(struct fg_record *r);

/* Set a value at a dotted key, creating the objects on the way.  The key
 * must be one of the document's keys, with that type, in the key table
 * (src/lib/record/record_keys.c; docs/schema/ holds the JSON Schemas made
 * from it); a record names its document in "record_format", set first.
 * Each returns FG_OK or FG_ENOMEM / FG_EINVAL (a key not in the table,
 * said by fg_record_errmsg and on stderr, or a key through a non-object).
 * set_str with v NULL sets null where the table allows a string. */
int fg_record_set_str(struct fg_record *r, const char *key, const char *v);
int fg_record_set_int(struct fg_record *r, const char *key, int64_t v);
int fg_record_set_bool(struct fg_record *r, const char *key, int v);
/* Set "unknown" explicitly (JSON null): never invent a fact. */
int fg_record_set_null(struct fg_record *r, const char *key);

/* Append to the array at key (created on first use); the table holds its
 * elements as "key[]". */
int fg_record_append_str(struct fg_record *r, const char *key, const char *v);
/* Append an object {"first_lba":..,"count":..} to "bad_ranges". */
int fg_record_add_bad_range(struct fg_record *r, uint64_t lba,
			    uint64_t count);
/* Append an output file (path, size, md5, sha256) to "outputs". */
int fg_record_add_output(struct fg_record *r, const struct fg_outfile *f);
/* The same, and which copy of the evidence it belongs to ("copy": 1, or
 * 2 for --second-output's files). */
int fg_record_add_output_copy(struct fg_record *r, const struct fg_outfile *f,
			      unsigned copy);

/* Why the last key was refused ("" when none was). */
const char *fg_record_errmsg(const struct fg_record *r);

/* UTC now as "2026-11-25T13:00:43Z" into buf (>= 21 bytes). */
void fg_record_utc_now(char *buf, size_t len);

/* ---- Reading ------------------------------------------------------------ */

/* The string at key, or NULL (absent, null or not a string). */
const char *fg_record_get_str(const struct fg_record *r, const char *key);
/* The integer at key into *v; FG_OK or FG_EINVAL when absent. */
int fg_record_get_int(const struct fg_record *r, const char *key,
		      int64_t *v);
/* The boolean at key into *v (0 or 1); FG_OK or FG_EINVAL when absent or
 * not a boolean. */
int fg_record_get_bool(const struct fg_record *r, const char *key, int *v);
/* The i-th element of the array at key if it is a string, else NULL. */
const char *fg_record_get_array_str(const struct fg_record *r,
				    const char *key, size_t i);

/* The most a record file can be: a larger file is not read (64 MiB). */
#define FG_RECORD_MAX_BYTES ((uint64_t)64 << 20)

/* Load a record written by fg_record_write_json.  FG_EFORMAT names the
 * line and column of a parse error, or the size of a file larger than
 * FG_RECORD_MAX_BYTES (not read). */
int fg_record_load(struct fg_record **out, const char *path,
		   struct fg_error *err);

/* Parse a record from len bytes of text; name is used in messages only.
 * FG_EFORMAT names the line and column of a parse error. */
int fg_record_parse(struct fg_record **out, const char *text, size_t len,
		    const char *name, struct fg_error *err);

/* Arrays (read side): the number of elements of the array at key (0 when
 * absent or not an array); element i as a string (field NULL) or, when the
 * elements are objects, its member field as a string / integer.  NULL or
 * FG_EINVAL when absent or of another type. */
size_t fg_record_array_size(const struct fg_record *r, const char *key);
const char *fg_record_array_str(const struct fg_record *r, const char *key,
				size_t i, const char *field);
int fg_record_array_int(const struct fg_record *r, const char *key, size_t i,
			const char *field, int64_t *v);

/* Append a copy of the whole of item, as an object, to the array at key
 * (created on first use); set a copy of item as the object at key. */
int fg_record_append_record(struct fg_record *r, const char *key,
			    const struct fg_record *item);
int fg_record_set_record(struct fg_record *r, const char *key,
			 const struct fg_record *item);

/* ---- Writing ------------------------------------------------------------ */

/* OUTBASE.json.  replace: 0 refuses an existing file (FG_EEXIST); 1
 * replaces a file this run wrote earlier (the "running" record is
 * rewritten as "completed"/"failed"/"interrupted" at the end). */
int fg_record_write_json(const struct fg_record *r, const char *path,
			 int replace, struct fg_error *err);

/* OUTBASE.txt at path: the acquisition record as an imaging log a
 * person reads and signs (fg_record_dump_log). */
int fg_record_write_text(const struct fg_record *r, const char *path,
			 int replace, struct fg_error *err);

/* The acquisition record as an imaging log (malloc'd): the case, the
 * source, the result with the hashes first, then the errors, the
 * verifications, the files, the parameters and the run, in words and
 * units within 80 columns; every value it does not show in its place
 * under "OTHER RECORDED VALUES"; a signature block last.  txt_path (may
 * be NULL) is the log's own file: it names the record and the checksum
 * files beside it.  NULL when out of memory. */
char *fg_record_dump_log(const struct fg_record *r, const char *txt_path);

/* The whole record as JSON text (malloc'd), for the case database. */
char *fg_record_dump(const struct fg_record *r);

/* The value at key (an object, an array or a scalar) as JSON text
 * (malloc'd, in the same form as fg_record_dump); NULL when absent or out
 * of memory.  For one part of a record kept on its own (a verification's
 * subtree in the case database). */
char *fg_record_dump_at(const struct fg_record *r, const char *key);

/* The whole record as text for a person (malloc'd): every key as a
 * label, in the record's order (forage info); NULL when out of memory. */
char *fg_record_dump_text(const struct fg_record *r);

/* A coreutils checksum file ("HEX  NAME\n" per file, NAME relative to the
 * sidecar's folder) for alg (FG_HASH_MD5 or FG_HASH_SHA256). */
int fg_sidecar_write(const char *path, unsigned alg,
		     const struct fg_outfile *files, size_t nfiles,
		     struct fg_error *err);

/* ---- Words ---------------------------------------------------------------- */

/* The record's facts put into words once, for the imaging log and the
 * reports alike (an examiner reads both).  v, dev and devs are parts of a
 * record's JSON tree (jansson's json_t); these functions only read them. */
struct json_t;

/* A hidden area, the record's source.hpa or source.dco (an object with
 * its state, or a string as an older record kept it), as one sentence:
 * "PRESENT: the host protected area hides 2,048 sectors from LBA 10,000
 * on (the drive shows 10,000 of 12,048); they were not acquired."  name
 * is the area's name in words ("host protected area"); kind the source's
 * kind (source.kind; NULL when unknown) says why v is absent (NULL).
 * malloc'd; NULL when out of memory. */
char *fg_record_hidden_area_words(struct json_t *v, const char *name,
				  const char *kind);

/* The write block as a whole (the record's write_block), in one
 * sentence: NOT used (--no-write-block), its state as recorded, or not a
 * block device; NULL when the record says none of these.  Static, or a
 * string of wb. */
const char *fg_record_write_block_words(struct json_t *wb);

/* The state of one device's kernel read-only flag (an object of the
 * record's write_block.devices), as words for a sentence ("kernel
 * read-only flag set by forage; still set after the run").  Static. */
const char *fg_record_readonly_words(struct json_t *dev);

/* Every device of write_block.devices in a sentence of its own, one a
 * line: "NODE (ROLE): STATE."; the source's partitions in the same state
 * as the source in the source's sentence ("/dev/sdb (source) and its 2
 * partitions (/dev/sdb1, /dev/sdb2): ...").  "" when there is none.
 * malloc'd; NULL when out of memory. */
char *fg_record_devices_words(struct json_t *devs);

/* One setting of an acquisition in words, as fg_record_settings_words
 * hands it over. */
struct fg_record_setting {
	const char *key;   /* the parameters key it says ("chunk_size") */
	const char *key2;  /* a second one it says too, or NULL */
	const char *label; /* "Chunk size" */
	const char *value; /* "32 KiB (auto, default)"; NULL when unknown */
	const char *bare;  /* the same without the default's mark */
	int is_default;	   /* left at its documented default */
	int always;	   /* worth telling even at its default */
	int recorded;	   /* the parameters hold key (else a default) */
};
typedef void (*fg_record_setting_fn)(void *arg,
				     const struct fg_record_setting *s);

/* The acquisition's settings p (a record's parameters object) with their
 * human labels, one call of fn a setting, in one order; rec (the record's
 * root, may be NULL) gives the values libewf chose (container) and the
 * number of hash windows.  A value at its default ends in "(default)".
 * The strings last for the call.  Returns the number of settings told;
 * 0 when p is not an object. */
int fg_record_settings_words(struct json_t *p, struct json_t *rec,
			     fg_record_setting_fn fn, void *arg);

#endif
