/*
 * acquire_int.h - what the files of the acquisition share (acquire.c, the
 * sequence; acquire_record.c, acquire_db.c, acquire_map.c,
 * acquire_verify_source.c): the state of one run and the steps each file
 * gives the sequence.  Nothing outside them includes it.
 */
#ifndef FORAGE_ACQUIRE_INT_H
#define FORAGE_ACQUIRE_INT_H

#include <time.h>
#include <forage/acquire.h>

struct fg_block;
struct fg_case_meta;
struct fg_casedb;
struct fg_guard;
struct fg_hash;
struct fg_hashwin;
struct fg_map;
struct fg_outfile;
struct fg_pipe;
struct fg_progress;
struct fg_reader_stats;
struct fg_record;
struct fg_source;

#define MAX_COPIES 2
#define DEFAULT_BLOCK (1u << 20)

struct fg_acq_copy {
	const char *outbase;
	char *json, *txt, *md5, *sha256;
	struct fg_sink *sink;
	int record_written; /* OUTBASE.json exists, written by this run */
	int verified;	    /* --verify read it back; verify_rc says how */
	int verify_rc;
};

struct fg_acq_bad {
	uint64_t (*r)[2];
	size_t n, cap;
	int oom;
};

struct fg_acq {
	const struct fg_acquire_opts *o;
	struct fg_record *rec;
	struct fg_source *src;
	struct fg_guard *guard;
	struct fg_acq_copy copies[MAX_COPIES];
	unsigned ncopies;
	struct fg_hash *hash[FG_NHASH];
	struct fg_hashwin *win;
	uint64_t win_size;      /* the hash window in force (0: none) */
	struct fg_acq_bad bad;
	time_t t_start;
	char *db_path;          /* the case database */
	int db_default;         /* found beside the outputs, not named */
	struct fg_casedb *db;
	int64_t db_acq;         /* its acquisition row, 0 before it exists */
	/* Failing drives (acquire_map.c). */
	struct fg_map *map;          /* what was read; always kept */
	char map_started[32];        /* UTC start, for the mapfile header */
	uint64_t earlier_retries;    /* spent by runs this one resumes */
	uint64_t earlier_errors;
	uint64_t in_order;           /* bytes hashed while reading */
	int read_in_order;           /* a sink needs the media in order */
	unsigned verifying;          /* the copy --verify re-reads */
	int health_read;             /* health.before is in the record */
	/* Room for the final record and database (acquire_space.c). */
	char *reserve[MAX_COPIES + 2];
	size_t nreserve;
};

/* ---- acquire.c ---------------------------------------------------------- */

/* The pipeline of --block-size blocks (memory: see fg_pipe_depth_for). */
int fg_acq_new_pipe(const struct fg_acquire_opts *o, struct fg_pipe **pipe,
		    struct fg_error *err);
/* A pipeline consumer feeding the digest ctx (a struct fg_hash). */
int fg_acq_consume_hash(void *ctx, const struct fg_block *b,
			struct fg_error *err);
/* Progress to the caller's on_progress (ctx: the run). */
void fg_acq_on_progress(void *ctx, const struct fg_progress *p);
/* A re-read pass's own progress (--verify, --verify-source), its phase
 * named. */
void fg_acq_pass_progress(struct fg_acq *r, const struct fg_progress *p,
			  const char *phase);
/* The media digests and hash windows as consumers (see acquire.c). */
void fg_acq_add_digests(struct fg_acq *r, struct fg_pipe *pipe,
			int md5_taken);
/* outbase's folder exists and takes files; FG_EOUTPUT or FG_EINVAL. */
int fg_acq_check_folder(const char *outbase, struct fg_error *err);
/* path does not exist; FG_EEXIST. */
int fg_acq_check_free(const char *path, struct fg_error *err);

/* ---- acquire_record.c --------------------------------------------------- */

void fg_acq_record_start(struct fg_acq *r);
void fg_acq_record_executable(struct fg_record *rec);
void fg_acq_record_end(struct fg_acq *r, int status,
		       const struct fg_error *err);
void fg_acq_case_meta(struct fg_case_meta *m, const struct fg_record *rec);
int fg_acq_write_record(struct fg_acq *r, int final, struct fg_error *err);
int fg_acq_write_sidecars(struct fg_acq *r, struct fg_error *err);
char *fg_acq_absolute_path(struct fg_acq *r, const char *path);
void fg_acq_record_output(struct fg_acq *r, const struct fg_outfile *f);
void fg_acq_record_reading(struct fg_acq *r,
			   const struct fg_reader_stats *st);

/* ---- acquire_db.c ------------------------------------------------------- */

int fg_acq_db_open(struct fg_acq *r, int create, struct fg_error *err);
void fg_acq_db_anchor(struct fg_acq *r, const char *which);
void fg_acq_db_end(struct fg_acq *r, struct fg_error *dberr);
void fg_acq_db_verifications(struct fg_acq *r);

/* ---- acquire_map.c ------------------------------------------------------ */

int fg_acq_map_prepare(struct fg_acq *r, struct fg_error *err);
int fg_acq_map_save(struct fg_acq *r, const struct fg_map *m, int first,
		    struct fg_error *err);
int fg_acq_map_checkpoint(void *ctx, const struct fg_map *m,
			  struct fg_error *err);
int fg_acq_rehash_image(struct fg_acq *r, struct fg_error *err);

/* ---- acquire_space.c ---------------------------------------------------- */

/* Bytes set aside in each file system of the record and the database:
 * FG_ACQ_RESERVE, and FG_ACQ_RESERVE_WIN for each hash window (its line
 * in the record, its text record and its database row). */
#define FG_ACQ_RESERVE ((uint64_t)4 << 20)
#define FG_ACQ_RESERVE_WIN ((uint64_t)512)
/* Free space for the outputs, before anything is created: FG_ENOSPC for a
 * raw image that cannot fit, a warning for an E01 that may not. */
int fg_acq_space_check(struct fg_acq *r, struct fg_error *err);
/* Set the reserve aside (OUTBASE.reserve.incomplete), or give it back. */
int fg_acq_reserve(struct fg_acq *r, struct fg_error *err);
void fg_acq_reserve_release(struct fg_acq *r);

/* ---- acquire_verify_source.c -------------------------------------------- */

int fg_acq_verify_source(struct fg_acq *r, const struct fg_media_hashes *h,
			 struct fg_error *err);

#endif
