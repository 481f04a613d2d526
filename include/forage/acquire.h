/*
 * acquire.h - the acquisition engine: source -> guard -> reader -> digests
 * and sinks -> record (docs/design.md, "Pipeline").  Only this module knows the
 * order; the others do not call each other sideways.
 *
 * Promise: the source is never written; no output is overwritten; the
 * record OUTBASE.json is written "running" before the first read and
 * rewritten with the result at the end, so a crash leaves an honest record.
 */
#ifndef FORAGE_ACQUIRE_H
#define FORAGE_ACQUIRE_H

#include <signal.h>
#include <forage/forage.h>
#include <forage/reader.h>
#include <forage/sink.h>
#include <forage/guard.h>

struct fg_acquire_opts {
	/* what */
	const char *source;
	uint64_t offset, length;      /* bytes; length 0: to the end */
	/* where */
	const char *outbase;
	const char *second_outbase;   /* NULL: one copy */
	const char *format;           /* "raw" | "e01" */
	uint64_t segment_size;        /* 0: format default */
	struct fg_ewf_options ewf;    /* the E01 sink's options (sink.h) */
	const char *case_db;          /* NULL: default */
	/* who and why */
	const char *case_id, *evidence_id, *examiner, *description, *notes;
	/* how */
	unsigned hash_mask;           /* FG_HASH_* bits */
	unsigned retries;
	int fill_byte;
	size_t block_size;            /* 0: 1 MiB */
	uint64_t hash_window;         /* 0: none; FG_HASH_WINDOW_AUTO: by format */
	unsigned threads;             /* 0: all cores */
	int verify, verify_source, no_write_block, resume;
	const char *mapfile;
	/* recorded as given */
	const char *command_line;
	const char *profile_name, *profile_sha256;
	/* run-time */
	volatile sig_atomic_t *stop;
	void (*on_progress)(void *ctx, const struct fg_progress *p);
	fg_warn_fn warn;              /* warnings for a person */
	void *ctx;
};

/* The default hash window: 64 MiB for raw images, doubled as often as it
 * takes to make at most FG_HASH_WINDOWS_DEFAULT_MAX windows (sources over
 * 1 TiB), so that their memory stays bounded; none for E01, whose chunks
 * each carry a checksum that localises damage to 32 KiB.  A window asked
 * for is refused if it makes more than FG_HASH_WINDOWS_MAX windows (each
 * takes some 600 bytes of memory until the end). */
#define FG_HASH_WINDOW_AUTO UINT64_MAX
#define FG_HASH_WINDOW_RAW ((uint64_t)64 << 20)
#define FG_HASH_WINDOWS_DEFAULT_MAX ((uint64_t)16384)
#define FG_HASH_WINDOWS_MAX ((uint64_t)262144)

/* The default hash window of a raw image of media_size bytes. */
uint64_t fg_acquire_default_hash_window(uint64_t media_size);

struct fg_acquire_result {
	int status;                   /* FG_OK, FG_EBADSECT, FG_EINTR, ... */
	struct fg_media_hashes hashes;
	uint64_t bytes;
	uint64_t sectors_filled;
	char record_path[4096];       /* OUTBASE.json, "" if none written */
	char case_db[4096];           /* the case database, "" if not opened */
	int64_t case_db_acquisition;  /* its acquisition row, 0 if none */
	int verified;                 /* --verify: 1 match, -1 mismatch,
				       * 0 not done */
	int source_verified;          /* --verify-source: the same */
	/* Nodes that keep the kernel read-only flag the run set, separated
	 * by spaces ("" if none; fg_guard_flags_left). */
	char flags_left[1024];
};

struct fg_casedb;

/* What fg_acquire_file_record did. */
struct fg_acquire_filed {
	int64_t acquisition_id;  /* the row the record names */
	int already;             /* it was complete before: nothing written */
	int64_t completed_event; /* the event "acquisition-completed" */
	int64_t event;           /* the last event written, and its sha256 */
	char event_sha256[65];
	/* The record's --verify outcomes ("verification",
	 * "verification_second_output") filed as verifications, and those
	 * not filed ("cannot verify": a later 'forage verify' records one),
	 * separated by ", "; "" if none. */
	char filed[128], not_filed[128];
};

/* File the end of an acquisition into db from its final record at path,
 * when the run could not (the database could not be written as it ended:
 * the record says case_db.recorded false).  The row the record names
 * (case_db.acquisition_id) must be this run's (the same start time, host
 * and process) and still "running"; it is completed exactly as the run
 * would have (fg_casedb_acquisition_end), one event, and each --verify
 * outcome of the record that verified or found a mismatch becomes its
 * verification row and event, as the run would have written them
 * (fg_verify_written_to_casedb).  A row already
 * completed is left as it is (f->already).  FG_EINVAL: the record is not
 * a final acquisition record of a case database; FG_EMISMATCH: the row is
 * another run's; FG_EDB, FG_EFORMAT, FG_ENOMEM. */
int fg_acquire_file_record(struct fg_casedb *db, const char *path,
			   struct fg_acquire_filed *f, struct fg_error *err);

/* Fill o with the defaults of docs/design.md. */
void fg_acquire_opts_init(struct fg_acquire_opts *o);

/* Run one acquisition.  Returns res->status: FG_OK, FG_EBADSECT (done,
 * some sectors filled), FG_EINTR, or a failure with err set. */
int fg_acquire_run(const struct fg_acquire_opts *o,
		   struct fg_acquire_result *res, struct fg_error *err);

#endif
