/*
 * anchor.h - anchors of the case database's event log: seals, and the
 * audit of the log against every anchor found or given.
 *
 * Promise: the hash chain of the event log proves only that the log is
 * consistent with itself; whoever can write the database file can remove
 * its newest events or recompute the chain after an edit.  An anchor is a
 * copy of one event's id and SHA-256 kept outside the database: a seal
 * (`forage case seal`, a small JSON file beside the database, signed as
 * detached CMS with the examiner's key when one is given), or an
 * acquisition record, which holds the hashes of the events it wrote.
 * fg_anchor_audit checks the log against each: an anchor whose event is
 * missing or differs is a broken log, naming the anchor, the event and
 * what differs; a seal whose signature does not verify is broken too.
 * An audit without anchors says plainly that it proves self-consistency
 * only.
 */
#ifndef FORAGE_ANCHOR_H
#define FORAGE_ANCHOR_H

#include <stddef.h>
#include <stdint.h>

#include <forage/casedb.h>
#include <forage/forage.h>
#include <forage/sign.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Seals ------------------------------------------------------------- */

struct fg_seal_opts {
	const char *examiner;  /* NULL: unknown */
	const char *key_path;  /* with cert_path: sign the seal; NULL: not */
	const char *cert_path;
	const char *tsa_url;   /* time-stamp it there (RFC 3161); NULL: not */
	const char *tool_version;
	fg_sign_pass_fn pass;  /* asks for the key's passphrase; NULL: none */
	void *pass_ctx;
};

struct fg_seal_result {
	int64_t event;         /* the head sealed */
	char sha256[65];
	char *path;            /* the seal file, malloc'd */
	char *sig_path;        /* its signature, malloc'd; NULL if unsigned */
	char *tsr_path;        /* its time-stamp, malloc'd; NULL if none */
	char ts_time[32];      /* the time the authority gave */
	int64_t stored;        /* its row in the database's seals table */
};

/* The name a seal of a database on a server (PostgreSQL) is written under,
 * in the current folder: case-db.seal-EVENT-UTC.json. */
#define FG_SEAL_SERVER_NAME "case-db"

/* Seal the head of db's log: audit the chain first (a broken chain is not
 * sealed: FG_EMISMATCH), then write DB.seal-EVENT-UTC.json beside the
 * database (a database on a server: FG_SEAL_SERVER_NAME in the current
 * folder; never over another file) and, with a key, its signature
 * .json.p7s, and with a TSA its RFC 3161 time-stamp .json.tsr (asked for
 * before anything is written: an authority that fails leaves no seal),
 * then store the three in the database's table seals (schema version 4;
 * db must be open for writing).  A log without events cannot be sealed
 * (FG_EINVAL).
 * Returns FG_OK, FG_EMISMATCH, FG_EINVAL, FG_EEXIST, FG_EIO, FG_EDB,
 * FG_ENOMEM; r's strings are freed with fg_seal_result_free. */
int fg_seal_make(struct fg_casedb *db, const struct fg_seal_opts *o,
		 struct fg_seal_result *r, struct fg_error *err);
void fg_seal_result_free(struct fg_seal_result *r);

/* ---- Audit against anchors ---------------------------------------------- */

struct fg_anchor {
	char *file;            /* where it was found (malloc'd); a seal
				* stored in the database: "NAME (stored in
				* the database)" */
	const char *kind;      /* "seal", "record", "report" or
				* "verification" (a saved verify --json) */
	int stored;            /* a seal read from the table seals */
	int64_t event;
	char sha256[65];
	int sig;               /* 0 none, 1 verified, -1 does not verify */
	char signer[512];      /* the signing certificate's subject */
	int signer_trusted;    /* checked against the --trust-cert given */
	int ts;                /* 0 no time-stamp, 1 it matches, -1 not */
	char ts_time[32], tsa[512];
	int tsa_trusted;       /* its signature checked against --tsa-cert */
	char note[512];        /* e.g. "sealed as /old/case.db" */
};

struct fg_anchor_audit {
	struct fg_anchor *a;   /* every anchor checked, in event order */
	size_t n;
	size_t skipped;        /* files found that anchor another database */
	int64_t head;          /* the last event read: the log's last when an
				* anchor names one past it (the walk stops at
				* the last anchor) */
	int64_t anchored;      /* the highest event an anchor confirms */
	const struct fg_anchor *by; /* that anchor */
	char problem[1024];    /* what is broken ("" when nothing) */
};

/* Check the log of db against the anchors found beside it (seals of this
 * database in its folder, acquisition records in its folder and the
 * folders below, two levels deep, that name this database; forage's JSON
 * reports of it there, by the head they state; saved outputs of verify
 * --json there, by the event each verification of this database wrote),
 * the seals stored in the
 * database (a stored seal the same, byte for byte, as the file of its name
 * is checked once; one that differs, or has no file, on its own) and the
 * files given (seals, records, reports or outputs of verify, checked
 * whatever database they name).  A
 * seal's signature is checked with trust_cert (PEM or DER) when given,
 * else against the certificate it carries (integrity only; said so); its
 * time-stamp (SEAL.tsr) against the seal, and with tsa_cert (PEM) also
 * the authority's signature.
 * Call after fg_casedb_audit has found the chain intact.
 * Returns FG_OK (every anchor agrees; a->n may be 0), FG_EMISMATCH
 * (a->problem and err say which anchor, which event and what differs),
 * FG_EINVAL (a given file unreadable or not an anchor), FG_EDB,
 * FG_ENOMEM.  Free with fg_anchor_audit_free. */
int fg_anchor_audit(struct fg_casedb *db, const char *const *files,
		    size_t nfiles, const char *trust_cert, const char *tsa_cert,
		    struct fg_anchor_audit *a, struct fg_error *err);
void fg_anchor_audit_free(struct fg_anchor_audit *a);

#ifdef __cplusplus
}
#endif

#endif
