/*
 * casedb.h - the case database: one SQLite file per case that keeps the
 * whole story of the evidence (docs/design.md, "Case database"): cases,
 * evidence items, acquisitions with their outputs, media hashes, hash
 * windows and bad ranges, later verifications, custody events, and a
 * hash-chained, append-only event log that `forage case audit` recomputes.
 *
 * Only src/lib/casedb/ includes sqlite3.h; every SQLite failure comes back
 * as an FG_E* status with a message naming the database file, what was
 * being done and SQLite's own words: FG_ENOSPC when the disk is full,
 * FG_EDB otherwise.  A writer called on a handle opened read-only returns
 * FG_ESTATE and writes nothing.
 *
 * Who writes: an acquisition comes in through fg_casedb_acquisition_begin
 * and fg_casedb_acquisition_end with its record, from the acquisition
 * sequence (src/lib/run/); a verification through
 * fg_casedb_verification_add, from the verification sequence (also in
 * src/lib/run/: `forage verify` and `acquire --verify`); cases and custody
 * from `forage case`.
 *
 * Promises:
 *  - Opening never changes a file it refuses: a file that is not SQLite, a
 *    corrupt database, a database of another program, a database with a
 *    newer schema than this forage knows, or a read-only file is refused
 *    with FG_EDB before anything is written to it (no journal-mode change,
 *    no migration, no checkpoint of a log another program left).  A
 *    read-only handle never writes the database; like any SQLite reader of
 *    a WAL database it may leave the (empty) PATH-wal and PATH-shm files.
 *  - A database is in WAL mode with foreign keys on, synchronous=FULL, and
 *    a busy timeout (FG_CASEDB_BUSY_MS; a wait ends sooner, FG_EINTR, once
 *    the stop flag of fg_casedb_set_stop is set), so that several
 *    processes (two acquisitions, a verification) can write one case at
 *    once.  Every write is one short BEGIN IMMEDIATE transaction: after a
 *    crash or kill -9 the database holds either all or nothing of each
 *    call.
 *  - The schema version is PRAGMA user_version (FG_CASEDB_SCHEMA_VERSION);
 *    an older forage database is migrated forward, inside one transaction,
 *    when it is opened for writing.  PRAGMA application_id is
 *    FG_CASEDB_APPLICATION_ID.
 *  - Every event (case created, evidence added, acquisition started and
 *    completed, verification, custody) is a row of the table "events" that
 *    carries the SHA-256 of the previous event row and of its own canonical
 *    content (below); triggers refuse UPDATE and DELETE on it.  The facts
 *    of each event (an acquisition's result and hashes, a custody transfer)
 *    are in the event's details as well as in their own tables (whole
 *    records and the hash windows by their SHA-256), so the audit can check
 *    the tables against the chain.
 *  - Every event names its examiner: the one set with
 *    fg_casedb_set_examiner(), or "unknown" when none was given (recorded as
 *    such, never guessed).
 *  - Nothing is invented: a fact not known is NULL in the database.
 *
 * A handle is used by one thread at a time.  Several handles (in one or
 * several processes) may use the same file at once.
 *
 * ---- Canonical content of an event (version 1) --------------------------
 *
 * The SHA-256 of an event is computed over these bytes:
 *
 *     "forage-event-1\n"
 *     then for each field, in this order:
 *         id, utc, kind, examiner, case_id, evidence_id, subject_id,
 *         details, prev_sha256
 *     the field's name, ":", the length in bytes of its value as a decimal
 *     number, ":", the value's bytes exactly as stored, "\n";
 *     a NULL value is written as the name followed by ":-\n".
 *
 * id and subject_id are written in decimal without leading zeros; strings
 * are their UTF-8 bytes as stored in the database (no escaping, no
 * normalisation: the length prefix makes the encoding unambiguous).
 * sha256 is the lowercase hex digest of those bytes.  prev_sha256 is the
 * sha256 of the event with the next lower id, and 64 "0" digits for the
 * first event.  Event ids start at 1 and have no gaps.
 *
 * For example the event (1, "2026-11-25T13:00:43Z", "case-created", "Jo",
 * "2026-041", NULL, NULL, "{}", "000...0") is hashed over
 *
 *     forage-event-1\nid:1:1\nutc:20:2026-11-25T13:00:43Z\n
 *     kind:12:case-created\nexaminer:2:Jo\ncase_id:8:2026-041\n
 *     evidence_id:-\nsubject_id:-\ndetails:2:{}\nprev_sha256:64:000...0\n
 *
 * so that a third party can recompute the chain with sqlite3 and sha256sum.
 *
 * ---- Event kinds and their subjects ---------------------------------------
 *
 *   "case-created"           subject: NULL
 *   "evidence-added"         subject: NULL
 *   "acquisition-started"    subject: acquisitions.id
 *   "acquisition-completed"  subject: acquisitions.id
 *   "verification"           subject: verifications.id
 *   "custody"                subject: custody.id
 *   "amended"                subject: amendments.id (schema version 3)
 *   "case-imported"          subject: imports.id (schema version 4): a case
 *                            imported from an export; details: the imports
 *                            row, which names the source chain's head
 *
 * ---- Tables (schema version 3; column names are part of the promise,
 *      tests and third parties query them with sqlite3) ---------------------
 *
 *   cases(case_id PK, description, created_utc, examiner)
 *   evidence(case_id, evidence_id, description, created_utc, examiner;
 *            PK (case_id, evidence_id))
 *   acquisitions(id PK, case_id, evidence_id, examiner, status, exit_code,
 *            message, started_utc, finished_utc, tool_name, tool_version,
 *            host, pid, command_line, source_path, source_kind,
 *            source_size, source_total_size, source_offset,
 *            logical_sector_size, physical_sector_size, model, serial,
 *            format, parameters (JSON), write_block (JSON),
 *            no_write_block, bytes, sectors_filled, record_start (JSON),
 *            record_final (JSON), ...)
 *            status: "running" | "success" | "completed with errors" |
 *            "failed" | "interrupted" (as the record's result.status)
 *   outputs(acquisition_id, path, size, md5, sha256)
 *   media_hashes(acquisition_id, algorithm, hex)   algorithm: md5|sha1|sha256
 *   hash_windows(acquisition_id, idx, offset, length, algorithm, hex)
 *   bad_ranges(acquisition_id, first_lba, count)   count in sectors of the
 *            acquisition's logical_sector_size
 *   verifications(id PK, acquisition_id, case_id, evidence_id, examiner,
 *            started_utc, finished_utc, target, method, result, exit_code,
 *            message, record (JSON))
 *   verification_hashes(verification_id, file, algorithm, expected,
 *            computed, match, what, source)
 *            what: the subject compared, as forage verify names it
 *            ("media", "media, first 3000001 bytes", "file HD1.E02");
 *            source: where the expected value came from ("the record
 *            HD1.json (hashes.md5)", "the image HD1.E01 (the hash stored
 *            in it)").  Both NULL in rows written before schema version 2
 *            (and whenever not known).
 *   verification_diffs(verification_id, file, offset, length, what)
 *   custody(id PK, case_id, evidence_id, utc, examiner, action, from_party,
 *            to_party, location, reason, happened_utc)
 *            utc: when it was entered; happened_utc: when the handover
 *            happened, as the examiner said (--at), NULL when not said
 *   amendments(id PK, case_id, evidence_id, field, value, utc, examiner,
 *            reason)   field: "description"; evidence_id NULL amends the
 *            case; the latest row of a field is its current value
 *   events(id PK, utc, kind, examiner, case_id, evidence_id, subject_id,
 *            details (JSON), prev_sha256, sha256)
 *   seals(id PK, name, utc, head_event, head_sha256, document (BLOB),
 *            signature (BLOB), tsr (BLOB))   each seal of the log's head
 *            as written beside the database (anchor.h); append-only; no
 *            event records one
 *   imports(id PK, case_id, file, source_database, source_schema_version,
 *            exported_utc, root_sha256, head_id, head_sha256, events,
 *            rows_added, merged, utc, examiner)   a case imported (schema
 *            version 4); root_sha256: the source's event 1, head_*: the
 *            source's head; UNIQUE(case_id, root_sha256)
 *   imported_events(import_id, id, utc, kind, examiner, case_id,
 *            evidence_id, subject_id, details, prev_sha256, sha256)   the
 *            source's chain, verbatim (schema version 4)
 *   imported_rows(import_id, tbl, source_id, target_id)   the new id of each
 *            row an import numbered anew (schema version 4)
 *
 * Rows of outputs, media_hashes, hash_windows and bad_ranges are written
 * only with the completion of their acquisition (fg_casedb_acquisition_end,
 * from the final record); triggers refuse them once it is completed.
 *
 * ---- Schema versions ------------------------------------------------------
 *
 *   1  the tables above, without verification_hashes.what and .source
 *   2  verification_hashes gains what and source (ALTER TABLE ADD COLUMN:
 *      rows already there get NULL; triggers and events are unchanged)
 *   3  indexes on verification_hashes(verification_id),
 *      verification_diffs(verification_id), verifications(case_id,
 *      evidence_id), custody(case_id, evidence_id); custody gains
 *      happened_utc (NULL in rows already there); the table amendments
 *      and its guard triggers.  A custody event's details carry
 *      happened_utc only when it is not NULL, so older events still match.
 *   4  the table seals (case seal), the tables imports, imported_events,
 *      imported_rows (case import) and their guard triggers; the event
 *      kind "case-imported".
 *
 * A verification event's details list its hashes as the rows say; "what"
 * and "source" are in an entry only when not NULL, so the events written
 * by schema version 1 still match their rows after the migration (the
 * audit compares them) and a value added later to an old row is noticed.
 */
#ifndef FORAGE_CASEDB_H
#define FORAGE_CASEDB_H

#include <signal.h>
#include <stdio.h>

#include <forage/forage.h>

#ifdef __cplusplus
extern "C" {
#endif

struct fg_casedb;
struct fg_record;

#define FG_CASEDB_SCHEMA_VERSION 4
#define FG_CASEDB_APPLICATION_ID 0x46474442 /* "FGDB" */
#define FG_CASEDB_BUSY_MS 60000             /* wait for other writers */
#define FG_CASEDB_DEFAULT_NAME "case.db"
#define FG_CASEDB_EXAMINER_UNKNOWN "unknown"

/* ---- Opening and closing ----------------------------------------------- */

enum fg_casedb_flags {
	/* Create the database when the file does not exist (or is empty). */
	FG_CASEDB_CREATE = 1u << 0,
	/* Open for reading only (list, show, audit, report): nothing is
	 * written, no migration; a database of an older schema is read as
	 * it is, what it lacks read as NULL (schema 1: the verified hashes'
	 * what and source). */
	FG_CASEDB_READONLY = 1u << 1,
	/* A database found by default (beside the outputs or the evidence),
	 * not named: a symbolic link at the path, even a dangling one, or at
	 * its -wal or -shm, is refused (FG_EDB) rather than followed. */
	FG_CASEDB_NOFOLLOW = 1u << 2
};

/* Open the case database at path.  Without FG_CASEDB_READONLY the database
 * is opened for writing: a missing file is FG_EDB unless FG_CASEDB_CREATE;
 * a file that cannot be written (read-only file system, a file without
 * write permission bits, even for root: an archived case is meant to stay
 * as it is) is FG_EDB naming the file and why.
 * Refused with FG_EDB, the file untouched: not a regular file; not an
 * SQLite database (the first bytes are named); corrupt (PRAGMA
 * quick_check); another program's database (foreign application_id, or
 * tables but no forage schema, or a schema version without forage's
 * application_id); user_version newer than FG_CASEDB_SCHEMA_VERSION ("made
 * by a newer forage"); a negative user_version ("not one forage makes").
 * Returns FG_OK with *out set, FG_EDB, FG_EINVAL or FG_ENOMEM. */
int fg_casedb_open(struct fg_casedb **out, const char *path, unsigned flags,
		   struct fg_error *err);

/* The same, and a wait for another program's lock while opening (the
 * checks read the database) ends soon after *stop is set (FG_EINTR): then
 * fg_casedb_set_stop(db, stop) holds from the start. */
int fg_casedb_open_stop(struct fg_casedb **out, const char *path,
			unsigned flags, volatile sig_atomic_t *stop,
			struct fg_error *err);

/* Close (NULL is fine). */
void fg_casedb_close(struct fg_casedb *db);

/* path names a case database on a PostgreSQL server (a libpq URI:
 * postgresql://... or postgres://...), not a file: it has no folder, is
 * never made absolute, and its outputs are not beside it.  A password in
 * it is refused when opened (it would be written to records and logs):
 * libpq's ~/.pgpass or $PGPASSFILE holds it. */
int fg_casedb_is_server(const char *path);

/* The database at path as records name it: a file's absolute path, a
 * server's URI as it is; malloc'd, NULL when it cannot be resolved (errno
 * set). */
char *fg_casedb_absolute(const char *path);

/* The folder of a file database (malloc'd), or NULL: for a database on a
 * server (*none set), or when out of memory. */
char *fg_casedb_dir(const char *path, int *none);

/* The path given to fg_casedb_open. */
const char *fg_casedb_path(const struct fg_casedb *db);

/* The examiner recorded on every event written through db from now on
 * (copied).  NULL or "" records FG_CASEDB_EXAMINER_UNKNOWN.  Returns FG_OK
 * or FG_ENOMEM. */
int fg_casedb_set_examiner(struct fg_casedb *db, const char *examiner);

/* From now on a query of db ends soon after *stop is set (by a SIGINT or
 * SIGTERM handler): the call returns FG_EINTR, its transaction rolled back.
 * NULL: never. */
void fg_casedb_set_stop(struct fg_casedb *db, volatile sig_atomic_t *stop);

/* The id of the last event this handle wrote, and its sha256 into sha256
 * (65 bytes, may be NULL); 0 and "" when it wrote none.  Read it right
 * after a call that succeeded: the acquisition record keeps the ids and
 * hashes of its events, so the chain is anchored outside the database too
 * (an attacker who rewrites the log and every later hash is caught against
 * them). */
int64_t fg_casedb_last_event(const struct fg_casedb *db, char *sha256);

/* The case database of folder dir, as git finds .git: "case.db" in dir
 * ("dir/case.db"; "." gives "case.db") or, when dir has none, in the
 * nearest of its parents that has one of this user's (owned by the
 * effective uid: one another user left in a shared parent such as /tmp is
 * passed over), not across a file system boundary; when none has one,
 * "dir/case.db", where a new one
 * goes.  A symbolic link counts as found (opened with FG_CASEDB_NOFOLLOW
 * it is then refused, not followed).  *where (may be NULL): 0 none found,
 * 1 found in dir, 2 found in a parent.  malloc'd; NULL when out of
 * memory. */
char *fg_casedb_find(const char *dir, int *where);

/* The default database for outputs at outbase: fg_casedb_find of outbase's
 * folder ("dir/HD1" -> "dir/case.db" or a parent's, "HD1" -> "case.db" or
 * a parent's).  malloc'd; NULL when out of memory. */
char *fg_casedb_default_path(const char *outbase);

/* ---- Cases and evidence items ------------------------------------------ */

/* Create case case_id (event "case-created").  *created (may be NULL) is
 * set to 1 when it was created, 0 when it existed (then nothing changes:
 * the description of an existing case is never rewritten).
 * Returns FG_OK, FG_EINVAL (empty id), FG_EDB. */
int fg_casedb_case_ensure(struct fg_casedb *db, const char *case_id,
			  const char *description, int *created,
			  struct fg_error *err);

/* Create evidence item evidence_id of case case_id (event
 * "evidence-added"), creating the case first when it does not exist.
 * *created as above.  Returns FG_OK, FG_EINVAL, FG_EDB. */
int fg_casedb_evidence_ensure(struct fg_casedb *db, const char *case_id,
			      const char *evidence_id,
			      const char *description, int *created,
			      struct fg_error *err);

/* The one case in the database, when there is exactly one: *case_id is
 * set to a malloc'd copy.  Otherwise *case_id is NULL and *ncases says how
 * many there are (0, or more than one).  For commands where --case may be
 * left out because "one SQLite file per case" leaves no doubt. */
int fg_casedb_only_case(struct fg_casedb *db, char **case_id,
			int64_t *ncases, struct fg_error *err);

/* Where evidence item evidence_id is, for commands that name an item
 * without its case: *ncases cases hold an item of that id, named in
 * *cases ("A, B", malloc'd; NULL when none), and *nunfiled acquisitions
 * name it under no case (acquire --evidence without --case). */
int fg_casedb_evidence_cases(struct fg_casedb *db, const char *evidence_id,
			     char **cases, int64_t *ncases,
			     int64_t *nunfiled, struct fg_error *err);

/* ---- Acquisitions ------------------------------------------------------ */

/* Record the start of an acquisition from its record (record.h): the row
 * is written with status "running" and the event "acquisition-started",
 * in one transaction.  The case and evidence item are created on first use
 * when the record names them (case.case_id, case.evidence_id); when it
 * does not, the acquisition is stored with NULL case/evidence (never
 * guessed).  Columns come from the record's keys (source.*, tool.*, run.*,
 * parameters.*, write_block.*, case.*); the whole record is kept as
 * record_start.  The process id and host are kept, so that a reader can
 * tell a run still in progress from one that was killed.
 * *acq_id receives the new row's id.  Returns FG_OK, FG_EDB, FG_ENOMEM. */
int fg_casedb_acquisition_begin(struct fg_casedb *db,
				const struct fg_record *rec, int64_t *acq_id,
				struct fg_error *err);

/* Complete acquisition acq_id from its final record (result.status one of
 * success, completed with errors, failed, interrupted; FG_EINVAL if not),
 * in one transaction:
 * status, exit code, message and end time (result.*, run.finished_utc),
 * the output files (outputs[]), the media hashes (hashes.md5/sha1/
 * sha256), the hash windows (hash_windows.*), the bad ranges
 * (bad_ranges[]), reading statistics, record_final, and the event
 * "acquisition-completed" whose details repeat the result, the hashes, the
 * outputs and the bad ranges.  Only a "running" row can be completed:
 * FG_ESTATE otherwise.  Returns FG_OK, FG_ESTATE, FG_EDB, FG_ENOMEM. */
int fg_casedb_acquisition_end(struct fg_casedb *db, int64_t acq_id,
			      const struct fg_record *rec,
			      struct fg_error *err);

/* ---- Verifications ----------------------------------------------------- */

/* One digest compared: file is the path checked, or NULL for the media. */
struct fg_casedb_verify_hash {
	const char *file;
	const char *algorithm;  /* "md5", "sha1", "sha256" */
	const char *expected;   /* NULL when nothing was expected */
	const char *computed;   /* NULL when it could not be computed */
	int match;              /* 1 equal, 0 not */
	const char *what;       /* the subject: "media", "media, first 3000001
				 * bytes", "file HD1.E02"; NULL: not known */
	const char *source;     /* where expected came from: "the record
				 * HD1.json (hashes.md5)"; NULL: not known */
};

/* Where it differed: a byte range of file (NULL: the media), e.g. a hash
 * window that did not match or a segment that could not be read. */
struct fg_casedb_verify_diff {
	const char *file;
	uint64_t offset, length;
	const char *what;       /* "hash window 12 differs", ... */
};

struct fg_casedb_verification {
	int64_t acquisition_id;  /* the acquisition verified, 0 if none */
	const char *case_id;     /* NULL: the acquisition's */
	const char *evidence_id; /* NULL: the acquisition's */
	const char *started_utc; /* NULL: now */
	const char *finished_utc;/* NULL: now */
	const char *target;      /* what was checked, as given (paths) */
	const char *method;      /* e.g. "forage verify" with its version */
	const char *result;      /* "match" | "mismatch" | "error" */
	int exit_code;
	const char *message;     /* NULL or why, for a person */
	const char *record_json; /* NULL or the verification's own record */
};

/* Record a verification with its hashes and differences in one
 * transaction, with the event "verification" (examiner: the handle's).
 * *ver_id (may be NULL) receives its id.  Returns FG_OK, FG_EINVAL (result
 * not one of the three words, unknown acquisition), FG_EDB. */
int fg_casedb_verification_add(struct fg_casedb *db,
			       const struct fg_casedb_verification *v,
			       const struct fg_casedb_verify_hash *hashes,
			       size_t nhashes,
			       const struct fg_casedb_verify_diff *diffs,
			       size_t ndiffs, int64_t *ver_id,
			       struct fg_error *err);

/* ---- Custody ----------------------------------------------------------- */

/* The custody actions (NULL-terminated): received, transferred,
 * checked-out, checked-in, stored, returned, disposed. */
extern const char *const fg_casedb_custody_actions[];

/* 1 when action is one of fg_casedb_custody_actions, else 0. */
int fg_casedb_custody_action_valid(const char *action);

struct fg_casedb_custody {
	int64_t id;              /* filled in when read */
	const char *case_id;     /* required */
	const char *evidence_id; /* required; the item is created on first
				  * use (evidence may arrive before it is
				  * acquired) */
	const char *utc;         /* NULL: now */
	const char *examiner;    /* filled in when read (the handle's) */
	const char *action;      /* one of fg_casedb_custody_actions */
	const char *from_party, *to_party, *location, *reason; /* may be NULL */
	const char *happened_utc; /* when the handover happened, as said
				   * ("YYYY-MM-DDTHH:MM:SSZ"); NULL: not said
				   * (utc is when it was entered) */
	int new_item;            /* 1: the item may be new and is created;
				  * 0: an item the case does not have is
				  * refused (a mistyped id) */
};

/* Append a custody event (table custody + event "custody").  *id (may be
 * NULL) receives its id.  Returns FG_OK, FG_EINVAL (unknown action, missing
 * ids; an item the case does not have and not new_item), FG_EDB. */
int fg_casedb_custody_add(struct fg_casedb *db,
			  const struct fg_casedb_custody *c, int64_t *id,
			  struct fg_error *err);

/* Amend field ("description") of case case_id, or of its item evidence_id
 * when not NULL, to value (table amendments + event "amended"; the row
 * first recorded is kept, the latest amendment is the current value).
 * reason may be NULL.  *id (may be NULL) receives its id.  Returns FG_OK,
 * FG_EINVAL (unknown field, no such case or item), FG_EDB. */
int fg_casedb_amend(struct fg_casedb *db, const char *case_id,
		    const char *evidence_id, const char *field,
		    const char *value, const char *reason, int64_t *id,
		    struct fg_error *err);

/* ---- Audit ------------------------------------------------------------- */

struct fg_casedb_audit {
	int64_t events;          /* events found intact */
	int64_t first_bad_id;    /* the first broken link; 0 when the chain
				  * is intact (a problem not tied to one
				  * event is still FG_EMISMATCH, with
				  * first_bad_id 0 and problem set) */
	char head_sha256[65];    /* sha256 of the last event ("" if none) */
	char problem[512];       /* what is wrong with first_bad_id, or with
				  * the database (missing triggers, a table
				  * row that disagrees with its event) */
};

/* Recompute the chain from event 1: ids without gaps, each prev_sha256
 * equal to the previous event's sha256, each sha256 equal to the digest of
 * the canonical content; check that the triggers refusing UPDATE/DELETE are
 * in place; check the acquisitions, media hashes, outputs, bad ranges,
 * custody and verification rows against the events that recorded them.
 * Returns FG_OK (all a->events intact), FG_EMISMATCH (a->first_bad_id
 * and a->problem say where; err has the same message), or FG_EDB. */
int fg_casedb_audit(struct fg_casedb *db, struct fg_casedb_audit *a,
		    struct fg_error *err);

/* The canonical content (see above) of one event as malloc'd bytes, *len
 * set; for tests and third-party checks.  NULL when out of memory. */
char *fg_casedb_event_canonical(int64_t id, const char *utc,
				const char *kind, const char *examiner,
				const char *case_id, const char *evidence_id,
				int64_t subject_id, const char *details,
				const char *prev_sha256, size_t *len);

/* ---- Reading ----------------------------------------------------------- */

/* Callbacks see rows one at a time; strings are valid during the call
 * only.  A callback returns 0 to go on or non-zero to stop (that value is
 * then returned by the iterator).  Iterators return FG_OK, FG_EDB or the
 * callback's value. */

/* description is the current one (the latest amendment, else as the case
 * was made); amended counts its amendments (0 before schema version 3). */
struct fg_casedb_case {
	const char *case_id, *description, *created_utc, *examiner;
	int64_t evidence_items, acquisitions;
	int64_t amended;
};
typedef int (*fg_casedb_case_fn)(void *ctx, const struct fg_casedb_case *c);
int fg_casedb_cases_each(struct fg_casedb *db, fg_casedb_case_fn fn,
			 void *ctx, struct fg_error *err);

struct fg_casedb_evidence {
	const char *case_id, *evidence_id, *description, *created_utc,
		*examiner;
	int64_t amended; /* as for a case */
};

/* The amendments of a case (evidence_id NULL) or of one item, oldest
 * first; none before schema version 3. */
struct fg_casedb_amendment {
	int64_t id;
	const char *case_id, *evidence_id, *field, *value, *utc, *examiner,
		*reason;
	const char *before; /* the value it replaced */
};
typedef int (*fg_casedb_amendment_fn)(void *ctx,
				      const struct fg_casedb_amendment *m);
int fg_casedb_amendments_each(struct fg_casedb *db, const char *case_id,
			      const char *evidence_id,
			      fg_casedb_amendment_fn fn, void *ctx,
			      struct fg_error *err);
typedef int (*fg_casedb_evidence_fn)(void *ctx,
				     const struct fg_casedb_evidence *e);
/* case_id NULL: all cases. */
int fg_casedb_evidence_each(struct fg_casedb *db, const char *case_id,
			    fg_casedb_evidence_fn fn, void *ctx,
			    struct fg_error *err);

struct fg_casedb_acquisition {
	int64_t id;
	const char *case_id, *evidence_id;  /* NULL when not given */
	const char *examiner;
	const char *status;        /* as stored ("running" until completed) */
	/* What a person should be told: status, except that a "running" row
	 * whose process is gone (another boot, or no such process on this
	 * host) reads "interrupted"; never_completed is then 1.  A running
	 * row of another host stays "running" (cannot be checked). */
	const char *state;
	int never_completed;
	int exit_code;             /* -1 while not completed */
	const char *message;       /* NULL or why it failed */
	const char *started_utc, *finished_utc;
	const char *tool_name, *tool_version, *host, *command_line;
	const char *source_path, *source_kind, *model, *serial;
	uint64_t source_size, source_offset;
	uint32_t logical_sector_size, physical_sector_size;
	const char *format;
	const char *parameters;    /* JSON object text */
	const char *write_block;   /* JSON object text */
	const char *write_block_state; /* its "state", for a person */
	int no_write_block;
	uint64_t bytes, sectors_filled;
	const char *md5, *sha1, *sha256; /* media hashes, NULL if none */
	const char *record_final;  /* JSON text, NULL while not completed */
};
typedef int (*fg_casedb_acquisition_fn)(
	void *ctx, const struct fg_casedb_acquisition *a);
/* case_id / evidence_id NULL: no filter; acq_id 0: all. */
int fg_casedb_acquisitions_each(struct fg_casedb *db, const char *case_id,
				const char *evidence_id, int64_t acq_id,
				fg_casedb_acquisition_fn fn, void *ctx,
				struct fg_error *err);

struct fg_casedb_output {
	int64_t acquisition_id;
	const char *path, *md5, *sha256;
	uint64_t size;
};
typedef int (*fg_casedb_output_fn)(void *ctx,
				   const struct fg_casedb_output *o);
int fg_casedb_outputs_each(struct fg_casedb *db, int64_t acq_id,
			   fg_casedb_output_fn fn, void *ctx,
			   struct fg_error *err);

struct fg_casedb_window {
	int64_t acquisition_id;
	uint64_t index, offset, length;
	const char *algorithm, *hex;
};
typedef int (*fg_casedb_window_fn)(void *ctx,
				   const struct fg_casedb_window *w);
int fg_casedb_hash_windows_each(struct fg_casedb *db, int64_t acq_id,
				fg_casedb_window_fn fn, void *ctx,
				struct fg_error *err);

struct fg_casedb_bad_range {
	int64_t acquisition_id;
	uint64_t first_lba, count;
};
typedef int (*fg_casedb_bad_range_fn)(void *ctx,
				      const struct fg_casedb_bad_range *b);
int fg_casedb_bad_ranges_each(struct fg_casedb *db, int64_t acq_id,
			      fg_casedb_bad_range_fn fn, void *ctx,
			      struct fg_error *err);

/* Custody events of a case (evidence_id NULL: all items), oldest first. */
typedef int (*fg_casedb_custody_fn)(void *ctx,
				    const struct fg_casedb_custody *c);
int fg_casedb_custody_each(struct fg_casedb *db, const char *case_id,
			   const char *evidence_id, fg_casedb_custody_fn fn,
			   void *ctx, struct fg_error *err);

/* Verifications (filled in as written, plus id); hashes and diffs are
 * in the JSON export, hashes also through fg_casedb_verify_hashes_each. */
struct fg_casedb_verification_row {
	int64_t id;
	struct fg_casedb_verification v;
	const char *examiner;
};
typedef int (*fg_casedb_verification_fn)(
	void *ctx, const struct fg_casedb_verification_row *v);
int fg_casedb_verifications_each(struct fg_casedb *db, const char *case_id,
				 const char *evidence_id,
				 fg_casedb_verification_fn fn, void *ctx,
				 struct fg_error *err);

/* The hashes compared by verification ver_id, in the order written (what
 * and source NULL in rows of a database older than schema version 2).
 * fn returns nonzero to stop.  Returns FG_OK, FG_EDB. */
typedef int (*fg_casedb_verify_hash_fn)(
	void *ctx, const struct fg_casedb_verify_hash *h);
int fg_casedb_verify_hashes_each(struct fg_casedb *db, int64_t ver_id,
				 fg_casedb_verify_hash_fn fn, void *ctx,
				 struct fg_error *err);

struct fg_casedb_event {
	int64_t id;
	const char *utc, *kind, *examiner, *case_id, *evidence_id;
	int64_t subject_id;        /* 0 when NULL */
	const char *details, *prev_sha256, *sha256;
};
typedef int (*fg_casedb_event_fn)(void *ctx,
				  const struct fg_casedb_event *e);
/* All events in id order (case_id NULL), or those of one case. */
int fg_casedb_events_each(struct fg_casedb *db, const char *case_id,
			  fg_casedb_event_fn fn, void *ctx,
			  struct fg_error *err);

/* ---- Seals (schema version 4) ------------------------------------------ */

/* A seal of the log's head as written beside the database (anchor.h):
 * its file name, the head it names, the seal document's bytes, its
 * detached CMS signature and its RFC 3161 time-stamp token (NULL, 0 when
 * it has none). */
struct fg_casedb_seal {
	int64_t id;
	const char *name, *utc;
	int64_t head_event;
	const char *head_sha256;
	const void *document, *signature, *tsr;
	size_t document_len, signature_len, tsr_len;
};

/* Append a seal (s->id is ignored; *id, when not NULL, is set to the new
 * row's).  The table is append-only; no event records a seal.  Returns
 * FG_OK, FG_EINVAL (no name or document), FG_ESTATE (read-only handle,
 * or a database of schema version below 4 opened read-only), FG_EDB. */
int fg_casedb_seal_add(struct fg_casedb *db, const struct fg_casedb_seal *s,
		       int64_t *id, struct fg_error *err);

/* Every seal stored, oldest first; none before schema version 4. */
typedef int (*fg_casedb_seal_fn)(void *ctx, const struct fg_casedb_seal *s);
int fg_casedb_seals_each(struct fg_casedb *db, fg_casedb_seal_fn fn,
			 void *ctx, struct fg_error *err);

/* The errors fg_casedb_export_json gives for what it is asked for, without
 * reading anything else: an unknown case, a case without that item
 * (FG_EINVAL naming them), FG_EDB.  (An item named without its case is
 * looked for everywhere: fg_casedb_evidence_cases.)  A reader that streams
 * rows (case show) checks this first. */
int fg_casedb_check_named(struct fg_casedb *db, const char *case_id,
			  const char *evidence_id, struct fg_error *err);

/* ---- Export ------------------------------------------------------------ */

enum fg_casedb_export_flags {
	FG_CASEDB_EXPORT_WINDOWS = 1u << 0, /* hash windows (can be many) */
	FG_CASEDB_EXPORT_RECORDS = 1u << 1, /* whole acquisition records */
	FG_CASEDB_EXPORT_EVENTS = 1u << 2,  /* the event log */
	FG_CASEDB_EXPORT_CAP = 1u << 3      /* cut long lists (below) */
};

/* With FG_CASEDB_EXPORT_CAP, every list that can be long holds at most
 * FG_CASEDB_EXPORT_CAP_ROWS rows: the custody of an item and the event
 * log (lists that only grow), the outputs, bad ranges and hash windows of
 * an acquisition, the verifications (and unfiled verifications) of an
 * item, a case or the export, and the hashes and diffs of a verification.
 * Of a longer one the first and the last FG_CASEDB_EXPORT_CAP_ROWS / 2 in
 * order, and beside it the member KEY_omitted ("custody_omitted",
 * "bad_ranges_omitted", ...) says what is left out between them:
 * {"count": N rows left out, "after": the rows listed before them}.
 * Evidence items and acquisitions are never cut.
 * Without it, a list is always whole and no such member is written.  (The
 * reports use it, and say where a list is cut; case show does not.) */
#define FG_CASEDB_EXPORT_CAP_ROWS 10000

/* Everything the database knows about case_id (NULL: every case), or only
 * evidence item evidence_id of it (case_id NULL: of every case that holds
 * it, and the acquisitions under no case that name it), as one JSON
 * document (malloc'd, *json):
 *   {"format":"forage-case-1","database":PATH,"schema_version":N,
 *    "exported_utc":..., "cases":[{case fields, "evidence":[{item fields,
 *    "acquisitions":[{columns, "state", "never_completed", "outputs":[],
 *    "media_hashes":{alg:hex}, "bad_ranges":[], "hash_windows":[]?,
 *    "record":{}?}], "verifications":[{..., "hashes":[], "diffs":[]}],
 *    "custody":[]}]}], "unfiled_acquisitions":[...], "events":[]?}
 * Acquisitions without an evidence item are listed under
 * "unfiled_acquisitions" (of the case when they name one, else at the top
 * level).  From schema version 3 a case and an item have "description"
 * (the current one), "description_recorded" (as first recorded) and
 * "amendments":[{id, utc, examiner, field, value, reason}], and each
 * custody entry "happened_utc" (NULL when not said) beside "utc" (when it
 * was entered).  Returns FG_OK, FG_EINVAL (unknown case or evidence item),
 * FG_EDB, FG_ENOMEM.  Its memory grows with the database: a reader that
 * can take the document as it comes uses fg_casedb_export_json_put. */
int fg_casedb_export_json(struct fg_casedb *db, const char *case_id,
			  const char *evidence_id, unsigned flags, char **json,
			  struct fg_error *err);

/* Where the export goes as it is read: n bytes at s.  Returns FG_OK, or an
 * error it has set in err (the export then stops with it). */
typedef int (*fg_casedb_put_fn)(void *ctx, const char *s, size_t n,
				struct fg_error *err);

/* The same document, byte for byte (without a line feed at its end),
 * handed to put as it is read, in one snapshot: memory holds one row at a
 * time (an acquisition: its row, media hashes and record), whatever the
 * number of rows.  What is named is checked before anything is written
 * (fg_casedb_check_named).  A later failure (FG_EDB, FG_EINTR once the
 * stop flag is set, FG_ENOMEM, or put's own error) ends the document
 * where it stands and is returned. */
int fg_casedb_export_json_put(struct fg_casedb *db, const char *case_id,
			      const char *evidence_id, unsigned flags,
			      fg_casedb_put_fn put, void *ctx,
			      struct fg_error *err);

/* ---- Moving a case between databases (export.c, import.c) --------------
 *
 * `forage case export` writes one case as "forage-case-export-1": JSON
 * Lines (one compact JSON object per line; jq reads it), backend-neutral
 * (tables and columns by name, values as JSON):
 *   line 1   {"format": "forage-case-export-1", "case_id", "database",
 *            "schema_version", "exported_utc",
 *            "head": {"id", "sha256"}}           the source's chain head
 *   then     {"event": {id, utc, kind, examiner, case_id, evidence_id,
 *            subject_id, details, prev_sha256, sha256}}   every event of
 *            the source's chain, verbatim, in order from event 1 (the chain
 *            is one for the whole database and can only be re-checked
 *            whole: an export of one case of a database of several holds
 *            the other cases' events too)
 *   then     {"table": NAME, "row": {column: value}}   the case's rows:
 *            cases, evidence, amendments, then each acquisition followed
 *            by its outputs, media_hashes, hash_windows and bad_ranges,
 *            each verification followed by its verification_hashes and
 *            verification_diffs, custody
 *   last     {"end": {"events": N, "rows": M}}  (a cut file is refused)
 * A line is at most FG_CASE_EXPORT_LINE_MAX bytes.
 *
 * `forage case import` checks the file alone first (the chain recomputed
 * from event 1 as the audit does, the head, the counts, the layout), then
 * in one transaction adds the rows with new ids where ids are numbers
 * (acquisitions, verifications, custody, amendments and their detail
 * rows), keeps the source's events verbatim in imported_events and the id
 * map in imported_rows (schema version 4), checks each event of the case
 * against the rows it recorded (through the id map), and appends the event
 * "case-imported" naming the source's head.  A case already in the
 * database is merged only when its row is the same (case_id, description,
 * created_utc, examiner): the same case; an evidence item likewise. */

#define FG_CASE_EXPORT_FORMAT "forage-case-export-1"
#define FG_CASE_EXPORT_LINE_MAX (64u << 20)

/* Write case case_id (NULL: the only case) of db to put as above, in one
 * snapshot, one row in memory at a time.  Returns FG_OK, FG_EINVAL (no
 * such case, or not exactly one when NULL, or a case holding rows a case
 * import brought: their imported chain is not carried yet), FG_EDB,
 * FG_ENOMEM or put's error. */
int fg_casedb_case_export(struct fg_casedb *db, const char *case_id,
			  fg_casedb_put_fn put, void *ctx,
			  struct fg_error *err);

/* What an export file says of itself. */
struct fg_case_export_info {
	char case_id[256];
	char database[512];   /* the source database's path, as written */
	char exported_utc[32];
	int64_t schema_version;
	int64_t events, rows;
	int64_t head_id;
	char head_sha256[65];
	char root_sha256[65]; /* sha256 of event 1: the chain's identity */
};

/* Check an export read from f (named name in messages) alone: the layout,
 * each line's JSON (at most FG_CASE_EXPORT_LINE_MAX bytes), the chain
 * from event 1, the head, the counts.  Memory holds one line.  Returns
 * FG_OK with *info filled, FG_EMISMATCH (the chain is broken: the event is
 * named), FG_EFORMAT (not an export, or damaged: name, line, byte offset
 * and cause), FG_EIO, FG_ENOMEM. */
int fg_case_export_check(FILE *f, const char *name,
			 struct fg_case_export_info *info,
			 struct fg_error *err);

/* What an import did. */
struct fg_casedb_import_result {
	int64_t import_id;
	int merged;  /* the case was already there (the same case) */
	int64_t rows_added, rows_kept; /* kept: already there, the same */
	int64_t event_id; /* the "case-imported" event */
};

/* Import the export at path into db (opened for writing), as above.
 * Refused, nothing written: FG_EMISMATCH when the file's chain is broken,
 * or an event of the case disagrees with its rows (the event named);
 * FG_EEXIST when this export (the same case and source head) was imported
 * already, or the case exists and is another case, or an earlier export
 * of the same case from the same source chain was imported; FG_EFORMAT,
 * FG_EIO, FG_EDB, FG_ENOMEM. */
int fg_casedb_case_import(struct fg_casedb *db, const char *path,
			  struct fg_case_export_info *info,
			  struct fg_casedb_import_result *res,
			  struct fg_error *err);

/* One imported chain and its audit (fg_casedb_imports_audit). */
struct fg_casedb_import_audit {
	int64_t import_id;
	const char *case_id, *file, *source_database, *utc, *head_sha256;
	int64_t head_id, events; /* events: found intact */
	int intact;
	const char *problem; /* when not intact */
};

/* Re-check every imported chain of db (schema version 4 on; none before):
 * each event's hash and link from event 1, the head the import recorded,
 * each event of the imported case against its rows; fn is called for each
 * (a non-zero return stops, and is returned).  *broken counts the chains
 * not intact.  Returns FG_OK or FG_EDB/FG_ENOMEM. */
int fg_casedb_imports_audit(struct fg_casedb *db,
			    int (*fn)(void *ctx,
				      const struct fg_casedb_import_audit *a),
			    void *ctx, int64_t *broken, struct fg_error *err);

#ifdef __cplusplus
}
#endif
#endif
