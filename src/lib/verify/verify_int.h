/*
 * verify_int.h - what the files of the verify part share: the plan of one
 * verification (its expectations, digests and segment files) and the steps
 * the files lend each other.
 *
 *   verify.c    the plan of one verification and its sequence: read and
 *               hash, compare the media, decide; after an acquisition
 *   expect.c    the expectations: the record (beside the image, named by
 *               it, or from the case database), checksum files, the
 *               command line, the hashes an image stores; finding and
 *               opening the evidence a record names
 *   segfiles.c  the evidence files' own digests and sizes (E01 segments,
 *               split raw files)
 *   damage.c    damage as the reader reports it, and the hash windows
 *   result.c    a verification as a record (verify JSON)
 */
#ifndef FORAGE_VERIFY_INT_H
#define FORAGE_VERIFY_INT_H

#include <stdint.h>
#include <forage/container.h>
#include <forage/filehash.h>
#include <forage/hash.h>
#include <forage/pipeline.h>
#include <forage/record.h>
#include <forage/verify.h>

/* ---- The plan of one verification ---------------------------------------- */

struct expect {
	unsigned alg;
	char hex[FG_HASH_HEX_MAX];
	uint64_t length; /* bytes covered; 0: the whole media */
	char *source;
};

struct fexpect {
	char *name;      /* as listed */
	const struct fg_image_segment *seg; /* NULL: not in the set */
	unsigned alg;    /* 0: a size */
	char hex[FG_HASH_HEX_MAX];
	uint64_t size;
	char *source;
	int recorded;    /* from the acquisition record (outputs) */
};

/* A digest over media [0, end), watching that [end, media) is zero. */
struct range_hash {
	struct fg_hash *h;
	uint64_t end;
	int watch_tail;
	uint64_t tail_nonzero_at; /* first nonzero byte after end + 1 */
	char hex[FG_HASH_HEX_MAX];
};

struct win_hash {
	struct fg_hashwin *w;
	uint64_t end;
};

/* Bytes an EWF set holds past the media's end, in the media's last chunk
 * or in a chunk of their own, their checks holding (the reader's
 * on_past_end), and the digests of the media followed by them. */
struct past_end {
	unsigned char *data;
	size_t n;                /* 0: none */
	char *damaged;           /* a chunk of their own failing its checks:
				  * why (n 0); else NULL */
	uint64_t chunk, chunk_offset;
	size_t chunk_bytes;
	char *file;              /* NULL when not known */
	uint64_t file_offset, file_length;
	int has_file_offset;
	char hex[FG_NHASH][FG_HASH_HEX_MAX]; /* "" when not computed */
};

struct seg_files;

struct plan {
	const struct fg_verify_opts *o;
	struct fg_verify_item *it;
	struct fg_image *img;
	struct fg_record *rec;
	char *rec_name;          /* for sources: "the record HD1.json", "the
				  * case database case.db, acquisition 3" */
	struct expect *ex;
	size_t nex;
	struct fexpect *fx;
	size_t nfx;
	/* windows from the record */
	uint64_t win_size, win_end;
	size_t nwin;
	int win_deferred; /* only when the media hashes do not settle it */
	/* computing */
	unsigned media_mask;
	struct fg_hash *media[FG_NHASH];
	uint64_t prefix_len;
	unsigned prefix_mask;
	struct range_hash prefix[FG_NHASH];
	struct win_hash win;
	struct past_end past;
	struct seg_files *segf;  /* segment files (E01, split raw) */
	/* segfiles.c's indexes, so that nothing is quadratic in the number
	 * of files: the segments by base name, and the expectations of
	 * files by segment (fx_of[fx_at[i] .. fx_at[i + 1]) for segment i),
	 * built when first needed. */
	size_t *seg_by_name;
	size_t *fx_of, *fx_at;
	size_t fx_indexed; /* nfx when fx_of was built */
	const char *search_dir, *also_dir; /* a record from elsewhere */
	/* The record's copies: out_copy[i] the copy outputs[i] belongs to
	 * (nout of them), ncopies of them; copy the one verified (0: not
	 * known, the outputs are not used). */
	unsigned *out_copy;
	size_t nout;
	unsigned copy, ncopies;
	const char *rec_dir; /* a record file: its folder, the only place
			      * the files it names are read from */
	int oom;
};

/* Append a printf'd string to a vector; sets *oom on failure (verify.c). */
void fg_verify_strv_add(char ***v, size_t *n, int *oom, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void fg_verify_strv_free(char **v, size_t n);

#define NOTE(p, ...)                                                         \
	fg_verify_strv_add(&(p)->it->notes, &(p)->it->nnotes, &(p)->oom,     \
			   __VA_ARGS__)
#define PROBLEM(p, ...)                                                      \
	fg_verify_strv_add(&(p)->it->problems, &(p)->it->nproblems,          \
			   &(p)->oom, __VA_ARGS__)

/* ---- verify.c ----------------------------------------------------------- */

/* Add a check to the item (on failure p->oom is set). */
void fg_verify_add_check(struct plan *p, const char *what, unsigned alg,
			 const char *expected, const char *computed,
			 const char *source, int result);
/* The digest computed over the bytes e covers; NULL when none was. */
const char *fg_verify_computed_media(struct plan *p, const struct expect *e);
/* Do the media digests over the first len bytes all match (so every
 * window, or raw segment file, over them is intact without recomputing
 * it)? */
int fg_verify_digests_settled(const struct plan *p, uint64_t len_wanted);

/* ---- expect.c ----------------------------------------------------------- */

void fg_verify_add_expect(struct plan *p, unsigned alg, const char *hex,
			  uint64_t length, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The file expectations of a coreutils checksum file, if path exists:
 * FG_OK (a damaged file is a failed check), FG_ENOMEM, or FG_ESOURCE on
 * err when it cannot be read or is not a regular file (a FIFO planted
 * beside the evidence is never opened for a blocking read). */
int fg_verify_load_sidecar(struct plan *p, const char *path, unsigned alg,
			   struct fg_error *err);
/* The expectations p->rec holds. */
void fg_verify_from_record(struct plan *p);
/* Which copy each of p->rec's outputs belongs to (p->out_copy,
 * p->ncopies): FG_OK, or FG_EFORMAT/FG_ENOMEM (err) when the record does
 * not tell. */
int fg_verify_map_copies(struct plan *p, struct fg_error *err);
/* The record beside an image (same base name), if it names the image. */
int fg_verify_find_record(struct plan *p, const char *base,
			  struct fg_error *err);
/* Open the evidence the record p->rec names (its outputs), looked for in
 * dir, where they were written, then in also. */
int fg_verify_open_record_evidence(struct plan *p, const char *dir,
				   const char *also, struct fg_error *err);
/* The evidence a record file names: its outputs, where they lie beside
 * the record, else where they were written. */
int fg_verify_open_from_record(struct plan *p, const char *input,
			       struct fg_error *err);
/* What the image is (kind, files, metadata, problems) into the item. */
void fg_verify_copy_image_facts(struct plan *p);
/* The hashes the container stores itself (EWF). */
void fg_verify_add_stored(struct plan *p);

/* ---- segfiles.c --------------------------------------------------------- */

/* Plan the segment files; for an E01, start hashing them. */
void fg_verify_seg_files_start(struct plan *p);
void fg_verify_seg_files_free(struct plan *p);
/* The segment whose base name is name's (the last of them), or NULL. */
const struct fg_image_segment *fg_verify_seg_named(struct plan *p,
						   const char *name);
void fg_verify_files_index_free(struct plan *p);
/* Are the segment files hashed by the media's SHA-256 consumer? */
int fg_verify_seg_files_riding(const struct plan *p);
/* That consumer (ctx: the plan). */
int fg_verify_consume_media_riding(void *ctx, const struct fg_block *b,
				   struct fg_error *err);
/* The checks of the files' sizes and, for one raw file, its digests. */
void fg_verify_compare_files(struct plan *p);
/* The checks of the segment files' digests. */
void fg_verify_compare_seg_files(struct plan *p);

/* ---- damage.c ----------------------------------------------------------- */

/* The reader's on_damage (ctx: the plan): merged into the item's list. */
void fg_verify_on_damage(void *ctx, const struct fg_damage *d);
/* The reader's on_past_end (ctx: the plan): kept in p->past. */
void fg_verify_on_past_end(void *ctx, const struct fg_past_end *x);
/* Does [start, end) overlap a range whose data is not known (unreadable,
 * or damaged past use and hashed as zeros)? */
int fg_verify_overlaps_unreadable(const struct fg_verify_item *it,
				  uint64_t start, uint64_t end);
/* The check of the hash windows, and the damage of those that differ. */
void fg_verify_compare_windows(struct plan *p);

/* ---- result.c ----------------------------------------------------------- */

/* The item's checks / damage as an array of objects at key of r:
 * FG_OK or FG_ENOMEM. */
int fg_verify_checks_to_record(struct fg_record *r, const char *key,
			       const struct fg_verify_item *it);
int fg_verify_damage_to_record(struct fg_record *r, const char *key,
			       const struct fg_verify_item *it);

#endif
