/*
 * hash.h - message digests over the media (OpenSSL EVP behind one wrapper).
 *
 * A struct fg_hash is one running digest of one algorithm.  The acquisition
 * and verification pipelines run each digest on its own thread over shared
 * read-only buffers; this module itself is not thread-aware and never copies
 * the data.  Hash windows (SHA-256 of every fixed-size window of the media)
 * localise damage later.
 */
#ifndef FORAGE_HASH_H
#define FORAGE_HASH_H

#include <signal.h>

#include <forage/forage.h>

enum fg_hash_alg {
	FG_HASH_MD5 = 1u << 0,
	FG_HASH_SHA1 = 1u << 1,
	FG_HASH_SHA256 = 1u << 2
};

#define FG_HASH_ALL (FG_HASH_MD5 | FG_HASH_SHA1 | FG_HASH_SHA256)
#define FG_HASH_HEX_MAX 129 /* hex digits of the longest digest + NUL */

/* ---- The hash set ------------------------------------------------------- */

/* Every digest forage knows, in the one order in which every list of
 * digests is kept and shown (records, sidecars, reports, the case
 * database).  Code that handles each digest loops over fg_hash_set[0 ..
 * FG_NHASH - 1] and indexes its arrays with fg_hash_index.  Adding a
 * digest: its FG_HASH_* bit above, its row in digest/hash.c's table, and
 * its member in the structs that name each digest (struct fg_media_hashes
 * in sink.h, struct fg_outfile in record.h) with fg_media_hash_hex. */
#define FG_NHASH 3
extern const unsigned fg_hash_set[FG_NHASH];

/* The position of alg (one FG_HASH_* bit) in fg_hash_set; -1 if none. */
int fg_hash_index(unsigned alg);

/* The digests of a media (hex, "" when not computed): what an acquisition
 * computed and hands its sinks, what an image stores, what a verification
 * computed. */
struct fg_media_hashes {
	char md5[FG_HASH_HEX_MAX];
	char sha1[FG_HASH_HEX_MAX];
	char sha256[FG_HASH_HEX_MAX];
	/* A container that stores whole sectors (E01) pads a media of odd
	 * size with pad_bytes zero bytes to the next sector; these are the
	 * digests of the media so padded ("" when pad_bytes is 0). */
	uint32_t pad_bytes;
	char padded_md5[FG_HASH_HEX_MAX];
	char padded_sha1[FG_HASH_HEX_MAX];
	char padded_sha256[FG_HASH_HEX_MAX];
};

/* The member of h that holds the digest of fg_hash_set[i] (padded: of the
 * padded media); NULL when i is outside the set.  The one place that maps
 * the set's order to the members' names.  (h is const for readers; a
 * writer may write through the result of its own, non-const h.) */
char *fg_media_hash_hex(const struct fg_media_hashes *h, int i, int padded);

struct fg_hash;
struct fg_hashwin;

/* ---- One digest --------------------------------------------------------- */

/* Start a digest of algorithm alg (one FG_HASH_* bit).  Returns FG_OK, or
 * FG_EINVAL for an unknown algorithm, FG_ENOMEM. */
int fg_hash_new(struct fg_hash **out, unsigned alg, struct fg_error *err);

/* Add len bytes.  Returns FG_OK, or FG_ESTATE after fg_hash_final. */
int fg_hash_update(struct fg_hash *h, const void *data, size_t len);
/* len bytes of pa into a and len bytes of pb into b: in one pass where
 * both are forage's own SHA-256 or both its own MD5 (two digests at once,
 * sha256.c, md5.c), else one after the other. */
int fg_hash_update_two(struct fg_hash *a, const void *pa, struct fg_hash *b,
		       const void *pb, size_t len);

/* Finish and write the lowercase hex digest into hex (FG_HASH_HEX_MAX).
 * Returns FG_OK, or FG_ESTATE when already finished. */
int fg_hash_final(struct fg_hash *h, char *hex);

/* The digest the data added so far would have if `zeros` zero bytes were
 * appended, into hex (FG_HASH_HEX_MAX), without changing h: it can still
 * be updated and finished.  For containers that store whole sectors (E01
 * pads a source of odd size to the next sector): both digests come from
 * one pass over the data.  Returns FG_OK, FG_ESTATE after fg_hash_final,
 * FG_ENOMEM. */
int fg_hash_peek_padded(const struct fg_hash *h, uint64_t zeros, char *hex);

/* The digest the data added so far would have if the len bytes at data
 * were appended, into hex, without changing h (bytes an EWF chunk holds
 * past the media's end, after the media).  As fg_hash_peek_padded
 * otherwise. */
int fg_hash_peek_then(const struct fg_hash *h, const void *data, size_t len,
		      char *hex);

/* Free (NULL is fine). */
void fg_hash_free(struct fg_hash *h);

/* Use OpenSSL's MD5 and SHA-256 only, not forage's own (a lab that must
 * use an OpenSSL FIPS provider, say; the tool's FORAGE_DIGESTS=openssl).
 * Call before the first digest: FG_OK, or FG_ESTATE after it. */
int fg_hash_openssl_only(void);

/* Which MD5 this process computes, for the records: forage's own
 * (src/lib/md5.c) once its self-test has passed, else OpenSSL's. */
const char *fg_hash_md5_implementation(void);
/* The same for SHA-256: forage's own (src/lib/sha256.c) on CPUs with the
 * x86 SHA extensions once its self-test has passed, else OpenSSL's. */
const char *fg_hash_sha256_implementation(void);

/* ---- Names and lists ---------------------------------------------------- */

/* "md5", "sha1", "sha256"; NULL for anything else. */
const char *fg_hash_name(unsigned alg);

/* The FG_HASH_* bit of a name as fg_hash_name gives it ("sha256"); 0 for
 * anything else. */
unsigned fg_hash_from_name(const char *name);

/* What a person calls alg ("SHA-256"), and CASE/UCO's hashMethod name
 * ("SHA256"); NULL for anything else. */
const char *fg_hash_label(unsigned alg);
const char *fg_hash_uco_name(unsigned alg);

/* Length in hex digits of alg's digest, 0 if unknown. */
size_t fg_hash_hexlen(unsigned alg);

/* Parse "md5,sha256[,sha1]" into a mask of FG_HASH_* bits.  Returns FG_OK
 * or FG_EINVAL naming the unknown word. */
int fg_hash_parse_list(const char *list, unsigned *mask,
		       struct fg_error *err);

/* One-shot digest of a whole file (for the file hashes of sidecars).
 * alg_mask selects the digests; hexes[i] receives the digest of
 * fg_hash_set[i] when it is selected (the others are left alone). */
int fg_hash_file(const char *path, unsigned alg_mask,
		 char hexes[FG_NHASH][FG_HASH_HEX_MAX], uint64_t *size,
		 struct fg_error *err);

/* The same, abandoned (FG_EINTR) between blocks once *stop is set (stop
 * may be NULL). */
int fg_hash_file_until(const char *path, unsigned alg_mask,
		       char hexes[FG_NHASH][FG_HASH_HEX_MAX], uint64_t *size,
		       volatile sig_atomic_t *stop, struct fg_error *err);

/* ---- Hash windows ------------------------------------------------------- */

/* SHA-256 of every window of window_size bytes (the last one may be
 * shorter).  Data must arrive in order. */
int fg_hashwin_new(struct fg_hashwin **out, uint64_t window_size,
		   struct fg_error *err);
int fg_hashwin_update(struct fg_hashwin *w, const void *data, size_t len);
/* fg_hashwin_update, and the same bytes into the SHA-256 digest also (of
 * the whole media, say): in one pass where forage's own SHA-256 can do
 * both (sha256.c), else one after the other. */
int fg_hashwin_update_with(struct fg_hashwin *w, struct fg_hash *also,
			   const void *data, size_t len);
/* Close the last window.  Afterwards fg_hashwin_count/get are valid. */
int fg_hashwin_final(struct fg_hashwin *w);
size_t fg_hashwin_count(const struct fg_hashwin *w);
uint64_t fg_hashwin_size(const struct fg_hashwin *w);
/* Hex SHA-256 of window i, or NULL when i is out of range. */
const char *fg_hashwin_get(const struct fg_hashwin *w, size_t i);
void fg_hashwin_free(struct fg_hashwin *w);

#endif
