/*
 * schema.c - the case database's schema (see casedb.h): the SQL of each
 * version's migration and the guard triggers the audit checks are there.
 * One version's SQL is never changed once released: a database made by it
 * must compare equal to the reference schema casedb.c builds from these.
 */
#include "config.h"

#include "casedb/casedb_int.h"

/* ---- Schema ------------------------------------------------------------ */

/* The triggers that keep the log and the facts append-only.  The audit
 * checks that each of them is still there. */
const char *const cdb_guard_triggers[] = {
	"events_no_update", "events_no_delete",
	"cases_no_update", "cases_no_delete",
	"evidence_no_update", "evidence_no_delete",
	"acquisitions_no_delete", "acquisitions_only_running_update",
	"outputs_no_change", "outputs_no_update", "outputs_no_delete",
	"media_hashes_no_change", "media_hashes_no_update", "media_hashes_no_delete",
	"hash_windows_no_change", "hash_windows_no_update", "hash_windows_no_delete",
	"bad_ranges_no_change", "bad_ranges_no_update", "bad_ranges_no_delete",
	"verifications_no_update", "verifications_no_delete",
	"verification_hashes_no_update", "verification_hashes_no_delete",
	"verification_diffs_no_update", "verification_diffs_no_delete",
	"custody_no_update", "custody_no_delete", NULL};

/* The guard triggers schema version 3 added (amendments). */
const char *const cdb_guard_triggers_v3[] = {
	"amendments_no_update", "amendments_no_delete", NULL};

/* The guard triggers schema version 4 added (seals). */
const char *const cdb_guard_triggers_v4[] = {
	"seals_no_update", "seals_no_delete", NULL};

/* The guard triggers schema version 4 added for case import. */
const char *const cdb_guard_triggers_v4_import[] = {
	"imports_no_update", "imports_no_delete",
	"imported_events_no_update", "imported_events_no_delete",
	"imported_rows_no_update", "imported_rows_no_delete", NULL};

#define APPEND_ONLY(t)                                                       \
	"CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t " BEGIN "        \
	"SELECT RAISE(ABORT, '" t " is append-only: UPDATE refused'); END;\n" \
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t " BEGIN "        \
	"SELECT RAISE(ABORT, '" t " is append-only: DELETE refused'); END;\n"

/* Rows of a running acquisition's detail tables may be added, never
 * changed; none may be added once the acquisition is completed. */
#define DETAIL_GUARD(t)                                                      \
	"CREATE TRIGGER " t "_no_change BEFORE INSERT ON " t " WHEN "         \
	"(SELECT status FROM acquisitions WHERE id = NEW.acquisition_id) "   \
	"IS NOT 'running' BEGIN SELECT RAISE(ABORT, '" t ": the acquisition " \
	"is not running'); END;\n"                                            \
	"CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t " BEGIN "        \
	"SELECT RAISE(ABORT, '" t " is append-only: UPDATE refused'); END;\n" \
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t " BEGIN "        \
	"SELECT RAISE(ABORT, '" t " is append-only: DELETE refused'); END;\n"

/* Version 0 -> 1. */
static const char schema_v1[] =
	"CREATE TABLE cases(\n"
	"  case_id TEXT PRIMARY KEY NOT NULL CHECK(length(case_id) > 0),\n"
	"  description TEXT,\n"
	"  created_utc TEXT NOT NULL,\n"
	"  examiner TEXT NOT NULL);\n"
	"CREATE TABLE evidence(\n"
	"  case_id TEXT NOT NULL REFERENCES cases(case_id),\n"
	"  evidence_id TEXT NOT NULL CHECK(length(evidence_id) > 0),\n"
	"  description TEXT,\n"
	"  created_utc TEXT NOT NULL,\n"
	"  examiner TEXT NOT NULL,\n"
	"  PRIMARY KEY(case_id, evidence_id));\n"
	"CREATE TABLE acquisitions(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  case_id TEXT REFERENCES cases(case_id),\n"
	"  evidence_id TEXT,\n"
	"  examiner TEXT NOT NULL,\n"
	"  status TEXT NOT NULL CHECK(status IN ('running', 'success',\n"
	"    'completed with errors', 'failed', 'interrupted')),\n"
	"  exit_code INTEGER,\n"
	"  message TEXT,\n"
	"  started_utc TEXT NOT NULL,\n"
	"  finished_utc TEXT,\n"
	"  duration_seconds INTEGER,\n"
	"  tool_name TEXT,\n"
	"  tool_version TEXT,\n"
	"  host TEXT,\n"
	"  pid INTEGER,\n"
	"  boot_id TEXT,\n"
	"  proc_start INTEGER,\n"
	"  command_line TEXT,\n"
	"  source_path TEXT,\n"
	"  source_kind TEXT,\n"
	"  source_size INTEGER,\n"
	"  source_total_size INTEGER,\n"
	"  source_offset INTEGER,\n"
	"  logical_sector_size INTEGER,\n"
	"  physical_sector_size INTEGER,\n"
	"  model TEXT,\n"
	"  serial TEXT,\n"
	"  format TEXT,\n"
	"  parameters TEXT,\n"
	"  write_block TEXT,\n"
	"  no_write_block INTEGER,\n"
	"  bytes INTEGER,\n"
	"  sectors_filled INTEGER,\n"
	"  record_start TEXT,\n"
	"  record_final TEXT,\n"
	"  FOREIGN KEY(case_id, evidence_id)\n"
	"    REFERENCES evidence(case_id, evidence_id));\n"
	"CREATE INDEX acquisitions_by_item ON acquisitions(case_id,\n"
	"  evidence_id);\n"
	"CREATE TABLE outputs(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),\n"
	"  path TEXT NOT NULL,\n"
	"  size INTEGER NOT NULL,\n"
	"  md5 TEXT,\n"
	"  sha256 TEXT);\n"
	"CREATE INDEX outputs_by_acq ON outputs(acquisition_id);\n"
	"CREATE TABLE media_hashes(\n"
	"  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),\n"
	"  algorithm TEXT NOT NULL CHECK(algorithm IN ('md5', 'sha1',\n"
	"    'sha256')),\n"
	"  hex TEXT NOT NULL,\n"
	"  PRIMARY KEY(acquisition_id, algorithm));\n"
	"CREATE TABLE hash_windows(\n"
	"  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),\n"
	"  algorithm TEXT NOT NULL,\n"
	"  idx INTEGER NOT NULL,\n"
	"  offset INTEGER NOT NULL,\n"
	"  length INTEGER NOT NULL,\n"
	"  hex TEXT NOT NULL,\n"
	"  PRIMARY KEY(acquisition_id, algorithm, idx));\n"
	"CREATE TABLE bad_ranges(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),\n"
	"  first_lba INTEGER NOT NULL,\n"
	"  count INTEGER NOT NULL CHECK(count > 0));\n"
	"CREATE INDEX bad_ranges_by_acq ON bad_ranges(acquisition_id);\n"
	"CREATE TABLE verifications(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  acquisition_id INTEGER REFERENCES acquisitions(id),\n"
	"  case_id TEXT,\n"
	"  evidence_id TEXT,\n"
	"  examiner TEXT NOT NULL,\n"
	"  started_utc TEXT NOT NULL,\n"
	"  finished_utc TEXT NOT NULL,\n"
	"  target TEXT,\n"
	"  method TEXT,\n"
	"  result TEXT NOT NULL CHECK(result IN ('match', 'mismatch',\n"
	"    'error')),\n"
	"  exit_code INTEGER,\n"
	"  message TEXT,\n"
	"  record TEXT);\n"
	"CREATE TABLE verification_hashes(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  verification_id INTEGER NOT NULL REFERENCES verifications(id),\n"
	"  file TEXT,\n"
	"  algorithm TEXT NOT NULL,\n"
	"  expected TEXT,\n"
	"  computed TEXT,\n"
	"  match INTEGER NOT NULL);\n"
	"CREATE TABLE verification_diffs(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  verification_id INTEGER NOT NULL REFERENCES verifications(id),\n"
	"  file TEXT,\n"
	"  offset INTEGER NOT NULL,\n"
	"  length INTEGER NOT NULL,\n"
	"  what TEXT);\n"
	"CREATE TABLE custody(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  case_id TEXT NOT NULL,\n"
	"  evidence_id TEXT NOT NULL,\n"
	"  utc TEXT NOT NULL,\n"
	"  examiner TEXT NOT NULL,\n"
	"  action TEXT NOT NULL CHECK(action IN ('received', 'transferred',\n"
	"    'checked-out', 'checked-in', 'stored', 'returned',\n"
	"    'disposed')),\n"
	"  from_party TEXT,\n"
	"  to_party TEXT,\n"
	"  location TEXT,\n"
	"  reason TEXT,\n"
	"  FOREIGN KEY(case_id, evidence_id)\n"
	"    REFERENCES evidence(case_id, evidence_id));\n"
	"CREATE TABLE events(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  utc TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  examiner TEXT NOT NULL,\n"
	"  case_id TEXT,\n"
	"  evidence_id TEXT,\n"
	"  subject_id INTEGER,\n"
	"  details TEXT NOT NULL,\n"
	"  prev_sha256 TEXT NOT NULL,\n"
	"  sha256 TEXT NOT NULL);\n"
	"CREATE INDEX events_by_subject ON events(kind, subject_id);\n"
	APPEND_ONLY("events")
	APPEND_ONLY("cases")
	APPEND_ONLY("evidence")
	"CREATE TRIGGER acquisitions_no_delete BEFORE DELETE ON acquisitions\n"
	"  BEGIN SELECT RAISE(ABORT, 'acquisitions: DELETE refused'); END;\n"
	"CREATE TRIGGER acquisitions_only_running_update BEFORE UPDATE ON\n"
	"  acquisitions WHEN OLD.status IS NOT 'running' BEGIN\n"
	"  SELECT RAISE(ABORT, 'acquisitions: a completed acquisition is\n"
	"  never changed'); END;\n"
	DETAIL_GUARD("outputs")
	DETAIL_GUARD("media_hashes")
	DETAIL_GUARD("hash_windows")
	DETAIL_GUARD("bad_ranges")
	APPEND_ONLY("verifications")
	APPEND_ONLY("verification_hashes")
	APPEND_ONLY("verification_diffs")
	APPEND_ONLY("custody");

/* Version 1 -> 2: which digest each verified hash is, and where its
 * expected value came from.  ADD COLUMN rewrites no row (old rows read
 * NULL), so neither the append-only triggers nor the event chain are
 * touched. */
static const char schema_v2[] =
	"ALTER TABLE verification_hashes ADD COLUMN what TEXT;\n"
	"ALTER TABLE verification_hashes ADD COLUMN source TEXT;\n";

/* Version 2 -> 3: an index for every lookup by a row's owner that had
 * none (a report of many verifications read all their hashes and diffs
 * once per verification); when a custody handover happened, beside when
 * it was entered (utc); amendments of a case's or an item's description,
 * each recorded by an event "amended".  Indexes and ADD COLUMN rewrite no
 * row and fire no trigger: the event chain is untouched. */
static const char schema_v3[] =
	"CREATE INDEX verification_hashes_by_verification ON\n"
	"  verification_hashes(verification_id);\n"
	"CREATE INDEX verification_diffs_by_verification ON\n"
	"  verification_diffs(verification_id);\n"
	"CREATE INDEX verifications_by_item ON verifications(case_id,\n"
	"  evidence_id);\n"
	"CREATE INDEX custody_by_item ON custody(case_id, evidence_id);\n"
	"ALTER TABLE custody ADD COLUMN happened_utc TEXT;\n"
	"CREATE TABLE amendments(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  case_id TEXT NOT NULL REFERENCES cases(case_id),\n"
	"  evidence_id TEXT,\n"
	"  field TEXT NOT NULL CHECK(field IN ('description')),\n"
	"  value TEXT NOT NULL,\n"
	"  utc TEXT NOT NULL,\n"
	"  examiner TEXT NOT NULL,\n"
	"  reason TEXT,\n"
	"  FOREIGN KEY(case_id, evidence_id)\n"
	"    REFERENCES evidence(case_id, evidence_id));\n"
	"CREATE INDEX amendments_by_item ON amendments(case_id, evidence_id);\n"
	APPEND_ONLY("amendments");

/* Version 3 -> 4, seals: each seal of the log's head (`forage case
 * seal`, anchor.c) as it was written beside the database: its file name,
 * the head it names, the seal document's bytes, its CMS signature and its
 * RFC 3161 time-stamp token.  Append-only; no event records a seal (a
 * seal is checked by its own signature, and an event for it would move
 * the head it seals).  A new table: no row rewritten, no trigger fired. */
#define SCHEMA_V4_SEALS                                                      \
	"CREATE TABLE seals(\n"                                              \
	"  id INTEGER PRIMARY KEY,\n"                                        \
	"  name TEXT NOT NULL,\n"                                            \
	"  utc TEXT NOT NULL,\n"                                             \
	"  head_event INTEGER NOT NULL,\n"                                   \
	"  head_sha256 TEXT NOT NULL,\n"                                     \
	"  document BLOB NOT NULL,\n"                                        \
	"  signature BLOB,\n"                                                \
	"  tsr BLOB);\n"                                                     \
	APPEND_ONLY("seals")

/* Version 3 -> 4 (case import): a case imported from another database
 * (forage case export/import) keeps its source's event chain verbatim
 * (imported_events), which rows it added under which new ids
 * (imported_rows), and the import itself (imports), each append-only; the
 * import is an event "case-imported" of this database's chain. */
#define SCHEMA_V4_IMPORT \
	"CREATE TABLE imports(\n" \
	"  id INTEGER PRIMARY KEY,\n" \
	"  case_id TEXT NOT NULL REFERENCES cases(case_id),\n" \
	"  file TEXT,\n" \
	"  source_database TEXT,\n" \
	"  source_schema_version INTEGER,\n" \
	"  exported_utc TEXT,\n" \
	"  root_sha256 TEXT NOT NULL,\n" \
	"  head_id INTEGER NOT NULL,\n" \
	"  head_sha256 TEXT NOT NULL,\n" \
	"  events INTEGER NOT NULL,\n" \
	"  rows_added INTEGER NOT NULL,\n" \
	"  merged INTEGER NOT NULL,\n" \
	"  utc TEXT NOT NULL,\n" \
	"  examiner TEXT NOT NULL,\n" \
	"  UNIQUE(case_id, root_sha256));\n" \
	"CREATE TABLE imported_events(\n" \
	"  import_id INTEGER NOT NULL REFERENCES imports(id),\n" \
	"  id INTEGER NOT NULL,\n" \
	"  utc TEXT,\n" \
	"  kind TEXT,\n" \
	"  examiner TEXT,\n" \
	"  case_id TEXT,\n" \
	"  evidence_id TEXT,\n" \
	"  subject_id INTEGER,\n" \
	"  details TEXT,\n" \
	"  prev_sha256 TEXT NOT NULL,\n" \
	"  sha256 TEXT NOT NULL,\n" \
	"  PRIMARY KEY(import_id, id));\n" \
	"CREATE INDEX imported_events_by_subject ON imported_events(kind,\n" \
	"  subject_id);\n" \
	"CREATE TABLE imported_rows(\n" \
	"  import_id INTEGER NOT NULL REFERENCES imports(id),\n" \
	"  tbl TEXT NOT NULL,\n" \
	"  source_id INTEGER NOT NULL,\n" \
	"  target_id INTEGER NOT NULL,\n" \
	"  PRIMARY KEY(import_id, tbl, source_id));\n" \
	"CREATE INDEX imported_rows_by_target ON imported_rows(tbl,\n" \
	"  target_id);\n" \
	APPEND_ONLY("imports") \
	APPEND_ONLY("imported_events") \
	APPEND_ONLY("imported_rows")

/* Version 3 -> 4: each part's own statements, one macro each. */
static const char schema_v4[] = SCHEMA_V4_SEALS SCHEMA_V4_IMPORT;

const char *const cdb_migrations[FG_CASEDB_SCHEMA_VERSION] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
};
