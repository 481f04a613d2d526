/*
 * verify.h - re-verifying evidence: read a container to the end, recompute
 * its hashes and compare them with everything that claims a value (the
 * hashes stored in an E01, forage's record OUTBASE.json and its hash
 * windows, the .md5/.sha256 sidecars, values the examiner gives), and
 * localise any damage (EWF chunks whose checksum fails, unreadable ranges,
 * hash windows that differ) as LBA ranges and segment-file offsets.
 *
 * Promise: evidence is only read.  Every comparison is kept with its
 * algorithm, expected and computed value, the source of the expectation
 * and its result.  A hash is never called a match when part of the data it
 * covers could not be read.  The status says it all: FG_OK (every
 * comparison matched, at least one was made), FG_EMISMATCH (a hash
 * differs or the container's own checksums fail), or a failure meaning the
 * evidence could not be verified (missing or truncated segment, unreadable
 * data, not evidence, nothing to compare with), with err naming the file.
 */
#ifndef FORAGE_VERIFY_H
#define FORAGE_VERIFY_H

#include <signal.h>
#include <forage/forage.h>
#include <forage/hash.h>
#include <forage/sink.h>

struct fg_record;
struct fg_progress;

/* ---- What to verify and how -------------------------------------------- */

struct fg_verify_opts {
	/* Values the examiner gives for the media (hex; NULL: none). */
	const char *expect_md5, *expect_sha1, *expect_sha256;
	unsigned threads;             /* decompression, 0: all cores */
	unsigned image_flags;         /* FG_IMAGE_* of container.h */
	int raw;                      /* hash the input file's own bytes as
				       * one raw image, whatever its content
				       * (verify --raw) */
	const char *command_line;     /* recorded as given */
	const char *examiner;         /* who verifies, recorded */
	/* Which copy of a record that names several (--second-output) to
	 * verify: 1, 2, ...; 0: copy 1, and the item says the others are
	 * to be verified too (all_copies). */
	unsigned copy;
	volatile sig_atomic_t *stop;
	void (*on_progress)(void *ctx, const struct fg_progress *p);
	void *ctx;
};

void fg_verify_opts_init(struct fg_verify_opts *o);

/* ---- The result of one verification ------------------------------------- */

enum fg_check_result {
	FG_CHECK_MATCH = 0,
	FG_CHECK_MISMATCH,
	FG_CHECK_UNVERIFIABLE, /* data it covers missing or unreadable */
	FG_CHECK_NOT_NEEDED    /* settled by another check (hash windows
				* when the media digests over the same
				* bytes match); not recomputed */
};

struct fg_check {
	char *what;      /* "media", "media, first 1000 bytes", "file HD1.001" */
	unsigned alg;    /* FG_HASH_*; 0 for sizes and hash windows */
	char *expected;
	char *computed;
	char *source;    /* where the expected value comes from */
	int result;      /* FG_CHECK_* */
};

enum fg_verify_damage_kind {
	FG_VDAMAGE_CHECKSUM = 1, /* an EWF chunk fails its checks: checksum,
				  * deflate data, stored size */
	FG_VDAMAGE_UNREADABLE,   /* could not be read */
	FG_VDAMAGE_WINDOW        /* a hash window differs from the record */
};

struct fg_verify_damage {
	int kind;                /* FG_VDAMAGE_* */
	uint64_t offset, length; /* media bytes */
	uint64_t first_lba, sectors;
	uint64_t first_chunk, chunks; /* EWF; chunks 0: not chunk-based */
	uint64_t window;         /* FG_VDAMAGE_WINDOW: window number */
	char *file;              /* segment file, NULL when unknown */
	uint64_t file_offset, file_length;
	int has_file_offset;
	int zero_filled;         /* nothing usable read: zeros were hashed */
	char *detail;
};

struct fg_verify_item {
	char *input;             /* as given */
	char *record_path;       /* the record used, NULL if none */
	int kind;                /* FG_CONTAINER_* of the image */
	char *format;            /* "EWF (EnCase 6) through libewf ..." */
	char *description;       /* what the content is (libmagic) */
	uint64_t media_size;
	uint32_t sector_size, chunk_size;
	char **files;            /* the evidence files read */
	uint64_t *file_sizes;
	size_t nfiles;
	char *cache_bypass;
	char **meta_keys, **meta_values; /* container metadata */
	size_t nmeta;
	struct fg_media_hashes computed; /* over the whole media */
	struct fg_check *checks;
	size_t nchecks;
	struct fg_verify_damage *damage;
	size_t ndamage;
	char **problems;         /* found while opening; reading went on */
	size_t nproblems;
	char **notes;            /* facts for the examiner, not failures */
	size_t nnotes;
	uint64_t chunks, damaged_bytes, unreadable_bytes;
	uint64_t chunks_libewf; /* of the chunks, read through libewf */
	uint64_t past_end_bytes; /* EWF: bytes the set holds past the
				  * media's end, in the media's last chunk
				  * or in one of their own, its checks
				  * holding (not media, not damage) */
	uint64_t past_end_damaged; /* EWF: chunks the tables list past the
				    * media's last one that fail their
				    * checks (no media in them) */
	uint64_t window_size;
	size_t windows, windows_bad, windows_unverifiable;
	/* Runs of windows that match the record: the data they cover is
	 * proven intact ([first, last] window numbers). */
	uint64_t (*intact)[2];
	size_t nintact;
	char started_utc[32], finished_utc[32];
	int status;              /* FG_OK, FG_EMISMATCH or why not verified */
	struct fg_error err;     /* the reason when status is not FG_OK */
	/* What the record used says of its case database (NULL/0: nothing),
	 * and where this verification was recorded (see below). */
	char *record_case_db;
	int64_t record_acquisition_id;
	char *case_db;           /* recorded in, NULL: not recorded */
	int64_t acquisition_id;  /* the acquisition verified, 0: unknown */
	int64_t verification_id;
	/* The copies the record names (0: no record) and the one verified
	 * (1, 2, ...; 0: the record does not say which copy the image
	 * given is, and its outputs were not compared).  all_copies: the
	 * input is a record, o->copy was 0 and ncopies > 1: the caller
	 * verifies copies 2..ncopies too, each with o->copy set, each its
	 * own item. */
	unsigned copy, ncopies;
	int all_copies;
};

/* ---- Running --------------------------------------------------------------- */

/* Verify one input: an image (first segment file) or forage's record.
 * *out is always set (NULL only when out of memory) and holds everything
 * found, also when the evidence cannot be verified.  Returns (*out)->status. */
int fg_verify_item_run(const struct fg_verify_opts *o, const char *input,
		       struct fg_verify_item **out);

void fg_verify_item_free(struct fg_verify_item *it);

/* The verification as a record (JSON for programs and the case database):
 * "record_format": "forage-verification-1".  NULL when out of memory. */
struct fg_record *fg_verify_item_record(const struct fg_verify_item *it,
					const struct fg_verify_opts *o);

/* A word for a status: "verified", "MISMATCH", "cannot verify". */
const char *fg_verify_status_word(int status);

/* ---- The case database ------------------------------------------------------ */

struct fg_casedb;

/* Verify the evidence an acquisition record given as JSON text names (the
 * case database keeps each acquisition's final record).  label says where
 * the record comes from, for the sources of expectations ("the case
 * database case.db, acquisition 3").  The files are looked for in
 * search_dir (NULL: not), where the record says they were written, then in
 * also_dir (NULL: not).  As fg_verify_item_run otherwise. */
int fg_verify_item_run_record(const struct fg_verify_opts *o,
			      const char *record_json, const char *label,
			      const char *search_dir, const char *also_dir,
			      struct fg_verify_item **out);

/* Record a verification fg_verify_item_run made in the case database it
 * belongs in: the one at path when it is named (created when missing),
 * else the one its record names (case_db.path, where it is, else beside
 * the record) or case.db beside the first evidence file, when that file
 * exists; else nowhere.  An interrupted verification (it->status
 * FG_EINTR) is not recorded.  Recorded: the verification row (examiner
 * o->examiner, when, which files, method, result, the whole verification
 * record), one row per hash compared and one per place it differed, and
 * the "verification" event, all through fg_casedb_verification_add.  The
 * acquisition verified is it->acquisition_id when set, else the one the
 * record names when the database is its own, else the latest acquisition
 * that wrote the first evidence file (same name and size), else none;
 * it->case_db, it->acquisition_id and it->verification_id are set.
 * note (notelen bytes) says for a person where it went ("verification 4
 * of acquisition 2 in dir/case.db", "verification 5 in case.db (no
 * acquisition there wrote HD1.E01)") or why not ("not recorded: no case
 * database (none at dir/case.db; --case-db names one)", "NOT recorded:
 * WHY"); "" when interrupted.
 * Returns FG_OK when it was recorded or there was nothing to record it
 * in, FG_ENOMEM (err set) when out of memory before a database was
 * chosen.  A database that could not be written sets err; its failure
 * (FG_EDB, FG_ENOSPC, FG_ENOMEM) is returned when it was named by path,
 * FG_OK when it was found by default: the verification stands, and the
 * examiner is to be told err. */
int fg_verify_item_record_casedb(struct fg_verify_item *it,
				 const struct fg_verify_opts *o,
				 const char *path, char *note, size_t notelen,
				 struct fg_error *err);

/* One evidence item of a case, verified (or why not). */
struct fg_verify_case_entry {
	const char *case_db;     /* the case database, as opened */
	const char *case_id, *evidence_id; /* evidence_id NULL: unfiled */
	int64_t acquisition_id;  /* 0: the item has no acquisition */
	const char *state;       /* the acquisition's state */
	struct fg_verify_item *item; /* NULL when nothing was verified */
	int status;              /* FG_OK, FG_EMISMATCH, or a failure */
	int skipped;             /* an acquisition that never completed,
				  * beside one of the item that did */
	const char *note;        /* why not verified or not recorded */
};

typedef void (*fg_verify_case_fn)(void *ctx,
				  const struct fg_verify_case_entry *e);

/* Open the case database at path (NULL: FG_CASEDB_DEFAULT_NAME, case.db
 * in the current folder; it must exist) and re-verify every acquisition of
 * case_id (evidence_id: only that item) it knows, each from its final
 * record, the files looked for in search_dir, where they were written,
 * then beside the database; record each verification in it (examiner
 * o->examiner), as fg_verify_item_record_casedb does; call fn for each
 * (items without an acquisition too).  An acquisition that never
 * completed is reported and skipped when its item has another that did.
 * Returns FG_OK (everything verified), FG_EMISMATCH (something differs),
 * FG_ESOURCE (something could not be verified), FG_EINVAL (no such case or
 * item, nothing acquired), FG_EDB (the database cannot be opened, or
 * read). */
int fg_verify_case_in(const char *path, const struct fg_verify_opts *o,
		      const char *case_id, const char *evidence_id,
		      const char *search_dir, fg_verify_case_fn fn, void *ctx,
		      struct fg_error *err);

/* ---- A plan: a case's items verified one per batch task ------------------- */

/* A plan is a text file, one line per evidence item of a case that has
 * evidence on disk, so that a batch system (a Slurm job array) verifies
 * each item in a task of its own: task N verifies line N, with
 * fg_verify_case_in and the item's id, into the case database.  The plan
 * keeps the highest verification id the database held when it was
 * written, so that what a task recorded afterwards can be told from what
 * was there before: an item with nothing recorded since was not run.
 *
 *   # forage verification plan 1
 *   # case-db: /lab/C1/case.db
 *   # case: C1
 *   # search-dir: /lab/moved          (only when given)
 *   # written: 2026-12-07T18:00:00Z
 *   # after-verification: 12
 *   # not planned: HD4: ...           (one per item left out, and why)
 *   1<TAB>HD1<TAB>3<TAB>/lab/C1/HD1.E01
 *
 * Fields of an item line: task, evidence item id, the acquisition whose
 * files were found, the path of its first file (segment .E01/.001, or
 * the .raw). */

#define FG_VERIFY_PLAN_MAGIC "# forage verification plan 1"

struct fg_verify_plan_item {
	unsigned task;           /* 1, 2, ... */
	char *evidence_id;
	int64_t acquisition_id;  /* its latest completed acquisition */
	char *first_file;        /* where the first file was found */
};

struct fg_verify_plan {
	char *case_db;           /* absolute path */
	char *case_id;
	char *search_dir;        /* NULL: none */
	char *written_utc;
	int64_t after_verification; /* highest verification id then, 0: none */
	struct fg_verify_plan_item *items;
	size_t nitems;
	char **not_planned;      /* "HD4: why", one per item left out */
	size_t nnot_planned;
};

/* Make the plan of case case_id in the case database at path (NULL: the
 * one fg_casedb_find finds from the current folder; it must
 * exist): every evidence item with a completed acquisition whose first
 * file is found (in search_dir, where it was written, then beside the
 * database, as fg_verify_case_in looks), in the order the database lists
 * the items; the others in not_planned with the reason.  Nothing is
 * written to the database.  Returns FG_OK with *out set (free with
 * fg_verify_plan_free), FG_EINVAL (no such case, or no item to plan),
 * FG_EDB, FG_EINTR (o->stop), FG_ENOMEM. */
int fg_verify_plan_make(const char *path, const struct fg_verify_opts *o,
			const char *case_id, const char *search_dir,
			struct fg_verify_plan **out, struct fg_error *err);

/* Write p to the new file path (never replaced: fg_write_file_atomic).
 * Returns FG_OK, FG_EINVAL (a text that cannot stand on a line of its
 * own: a line feed in a path or id), FG_EIO, FG_ENOSPC, FG_ENOMEM. */
int fg_verify_plan_write(const struct fg_verify_plan *p, const char *path,
			 struct fg_error *err);

/* Read the plan at path.  Returns FG_OK with *out set, FG_EIO (cannot be
 * read), FG_EINVAL (not a plan, or a line that does not parse: named),
 * FG_ENOMEM. */
int fg_verify_plan_read(const char *path, struct fg_verify_plan **out,
			struct fg_error *err);

/* Free (NULL is fine). */
void fg_verify_plan_free(struct fg_verify_plan *p);

/* What became of one item of a plan: the verifications recorded for it
 * since the plan was written, the latest of each acquisition, the worst
 * of those shown (mismatch, then error, then match). */
struct fg_verify_plan_state {
	const struct fg_verify_plan_item *item;
	const char *result;       /* "match", "mismatch", "error"; NULL:
				   * nothing recorded since: not run */
	int64_t verification_id;  /* the one shown, 0 when not run */
	const char *finished_utc; /* of it */
	const char *message;      /* its message, NULL if none */
	unsigned nverifications;  /* recorded since the plan, all */
};
typedef void (*fg_verify_plan_state_fn)(void *ctx,
					const struct fg_verify_plan_state *s);

/* Read the case database at path (NULL: the plan's), read-only, and call
 * fn once for each item of p, in task order.  Returns FG_OK, FG_EDB,
 * FG_EINTR (o->stop), FG_ENOMEM. */
int fg_verify_plan_states(const struct fg_verify_plan *p, const char *path,
			  const struct fg_verify_opts *o,
			  fg_verify_plan_state_fn fn, void *ctx,
			  struct fg_error *err);

/* ---- After an acquisition (--verify) -------------------------------------- */

/* Re-read the evidence files a sink just made final, bypassing the page
 * cache, hash them and compare with the run's media hashes h (over the
 * first `bytes` bytes of the media; an E01 may hold zero padding after
 * them).  format: "raw" or "e01".  Records the outcome under prefix
 * ("verification") in rec: status, method, hashes, time, message.
 * Returns FG_OK, FG_EMISMATCH, or a failure with err set. */
int fg_verify_written(const struct fg_outfile *files, size_t nfiles,
		      const char *format, const struct fg_media_hashes *h,
		      uint64_t bytes, unsigned threads, struct fg_record *rec,
		      const char *prefix, struct fg_error *err);
/* The same, reporting the re-read's progress to on_progress (NULL: none)
 * with ctx. */
int fg_verify_written_progress(
    const struct fg_outfile *files, size_t nfiles, const char *format,
    const struct fg_media_hashes *h, uint64_t bytes, unsigned threads,
    void (*on_progress)(void *ctx, const struct fg_progress *p), void *ctx,
    struct fg_record *rec, const char *prefix, struct fg_error *err);

/* Record the verification fg_verify_written made (its outcome under prefix
 * in rec) as a row of the verifications table of acquisition acq_id, with
 * the event "verification": target the evidence files re-read as the
 * record names them (rec's outputs[first_output] and the noutputs after
 * it), method "PACKAGE VERSION acquire --verify: ...", result match /
 * mismatch / error from prefix.status, exit code that of status (what
 * fg_verify_written returned), message prefix.message, the digests of
 * prefix.checks[] that name an algorithm (file NULL for the media), the
 * places of prefix.damage[], and record_json prefix's own subtree.
 * *ver_id receives the row's id.  Returns FG_OK, FG_EINVAL (rec holds no
 * outcome under prefix, or lacks those outputs), FG_EDB, FG_ENOMEM. */
int fg_verify_written_to_casedb(struct fg_casedb *db, int64_t acq_id,
				const struct fg_record *rec, const char *prefix,
				size_t first_output, size_t noutputs,
				int status, int64_t *ver_id,
				struct fg_error *err);

/* ---- Coreutils checksum files (read side) ---------------------------------- */

struct fg_sidecar_entry {
	char *name;              /* file name as written */
	char hex[FG_HASH_HEX_MAX];
	size_t line;
};

/* The most checksum lines a checksum file may hold, and the most files a
 * record's outputs may list (an E01 set has at most 14,971 segments). */
#define FG_SIDECAR_MAX_LINES 100000u
#define FG_RECORD_MAX_OUTPUTS 100000u

/* Parse a checksum file of alg (FG_HASH_MD5/SHA1/SHA256): GNU lines
 * "HEX  NAME" / "HEX *NAME" (with coreutils' backslash escapes) and BSD
 * lines "SHA256 (NAME) = HEX"; blank lines and '#' comments are skipped.
 * Returns FG_OK, or FG_EFORMAT naming `name` and the line (also past
 * FG_SIDECAR_MAX_LINES checksum lines). */
int fg_sidecar_parse(const char *text, size_t len, unsigned alg,
		     const char *name, struct fg_sidecar_entry **out,
		     size_t *n, struct fg_error *err);
void fg_sidecar_free(struct fg_sidecar_entry *e, size_t n);

#endif
