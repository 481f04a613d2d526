/*
 * sink.h - where the acquired media goes: an evidence container.  A sink is
 * a function table; a new container format is one new table.
 *
 * Life cycle (every sink): NEW --open--> OPEN --write*--> --finish--> DONE
 *                                          \--abort--> ABORTED
 * (a sink that can resume also goes NEW --reopen--> OPEN).
 * Promise: until finish() succeeds, nothing a sink leaves on disk can pass
 * for complete evidence (it writes under an ".incomplete" name and renames
 * without replacing at the end), and no existing file is ever overwritten:
 * open() fails with FG_EEXIST when a final output name is taken; reopen()
 * takes up only the ".incomplete" files, and only while the final names
 * are free.
 */
#ifndef FORAGE_SINK_H
#define FORAGE_SINK_H

#include <forage/forage.h>
#include <forage/hash.h>
#include <forage/pipeline.h>

struct fg_record;

/* One file a sink produced, with its own hashes (for the .md5/.sha256
 * sidecars: coreutils checks the files where they lie). */
struct fg_outfile {
	char *path;
	uint64_t size;
	char md5[FG_HASH_HEX_MAX];
	char sha256[FG_HASH_HEX_MAX];
};

/* The case and its source as a container's headers name them (an E01's
 * header values, media type and flags, set identifier), filled once by
 * the acquisition from its record (the record key each comes from is
 * given).  Strings are borrowed; NULL (or "") when not known.  A sink
 * reads them in open() only. */
struct fg_case_meta {
	/* the case */
	const char *case_number;     /* case.case_id */
	const char *evidence_number; /* case.evidence_id */
	const char *examiner;        /* case.examiner */
	const char *description;     /* case.description */
	const char *notes;           /* case.notes */
	/* the source */
	const char *source_path;     /* source.path */
	const char *source_kind;     /* source.kind: "block device", ... */
	int removable;               /* source.removable is true */
	const char *model;           /* source.model */
	const char *serial;          /* source.serial */
	/* the run */
	const char *tool_name;       /* tool.name */
	const char *tool_version;    /* tool.version */
	const char *started_utc;     /* run.started_utc */
	const char *host;            /* run.host */
	const char *command_line;    /* run.command_line */
};

/* The E01 sink's own options (a format's options: read by the sink of
 * that format only; see FG_SINK_EWF_OPTIONS).  NULL or 0: the default. */
struct fg_ewf_options {
	const char *compression;  /* none|empty-block|fast|best (fast) */
	const char *ewf_format;   /* encase6 ... (encase6) */
	uint64_t chunk_size;      /* bytes a chunk, 0: auto (more than 64
				   * sectors for a large media) */
};

/* What a sink is asked to make.  Strings are borrowed for the sink's life. */
struct fg_sink_params {
	const char *outbase;      /* "/cases/2026-041/HD1" */
	uint64_t media_size;      /* exact bytes that will be written */
	uint32_t sector_size;
	uint64_t segment_size;    /* 0: one file (raw) / format default */
	unsigned hash_mask;       /* digests asked for (FG_HASH_*) */
	unsigned threads;         /* workers a sink may use, 0: all cores */
	const struct fg_case_meta *meta; /* for container headers; NULL:
					  * nothing known */
	/* Format options, each read by its own format only (NULL: the
	 * format's defaults). */
	const struct fg_ewf_options *ewf;
};

struct fg_sink;

/* What a format is, for the engine to ask before it makes a sink
 * (fg_sink_ops.flags, fg_sink_format_flags). */
/* It stores whole sectors: a media of odd size is padded with zeros to
 * the next sector, and the container's digests are those of the padded
 * media (E01). */
#define FG_SINK_WHOLE_SECTORS 1u
/* Each chunk it stores carries its own checksum, which localises damage
 * without hash windows (E01). */
#define FG_SINK_CHUNK_CHECKSUMS 2u
/* It reads fg_sink_params.ewf (the acquisition records those options). */
#define FG_SINK_EWF_OPTIONS 4u
/* Its files' size depends on the media (compression): the free space it
 * needs is not known before the end (E01). */
#define FG_SINK_SIZE_VARIES 8u

struct fg_sink_ops {
	const char *format; /* "raw", "e01" */
	unsigned flags;     /* FG_SINK_* */
	/* Check final names are free and create the working files. */
	int (*open)(struct fg_sink *s, const struct fg_sink_params *p);
	/* Write len bytes at media offset off.  Offsets arrive in order
	 * unless the sink sets random_access. */
	int (*write)(struct fg_sink *s, const void *buf, size_t len,
		     uint64_t off);
	/* Note an unreadable range (already written as fill). */
	int (*mark_bad)(struct fg_sink *s, uint64_t lba, uint64_t count);
	/* Make the evidence final: flush, fsync, rename to final names,
	 * fill in s->files.  After FG_OK the evidence is complete. */
	int (*finish)(struct fg_sink *s, const struct fg_media_hashes *h);
	/* Stop; leave only ".incomplete" names behind (kept for resume). */
	void (*abort)(struct fg_sink *s);
	void (*free_priv)(struct fg_sink *s);
	/* Add what the container holds (format, stored hashes, ...) to the
	 * record under key; after finish.  May be NULL. */
	int (*describe)(struct fg_sink *s, struct fg_record *rec,
			const char *key);
	/* Optional (NULL: the format cannot do it). */
	/* Instead of open: take up the ".incomplete" files an interrupted
	 * run left (--resume); final names must still be free. */
	int (*reopen)(struct fg_sink *s, const struct fg_sink_params *p);
	/* Read back len bytes at media offset off of what was written (the
	 * failing-drive passes finish the hashes from the image). */
	int (*read)(struct fg_sink *s, void *buf, size_t len, uint64_t off);
	/* Make everything written so far durable (before a mapfile says
	 * it is written). */
	int (*sync)(struct fg_sink *s);
	/* Pipeline consumers (up to max, into c) that compute the per-file
	 * digests from the blocks write() is given, each on a thread of its
	 * own; the sink then leaves that hashing to them.  Returns how many
	 * (0: the sink hashes as it writes, or has nothing to hash).  The
	 * sink may take media_md5 (not NULL: the media's MD5, to be fed the
	 * blocks in media order, none out of order) into one of them and
	 * set *took; the caller then adds no MD5 consumer of its own. */
	size_t (*digest_consumers)(struct fg_sink *s, struct fg_consumer *c,
				   size_t max, struct fg_hash *media_md5,
				   int *took);
	/* A second copy: take the per-file digests of from (a sink of the
	 * same format, cut the same, given the same writes, whose digest
	 * consumers run and whose finish() comes first) instead of hashing
	 * the same bytes again; where finish() finds they do not apply (a
	 * write out of order), it reads its own files.  FG_OK, or FG_EINVAL
	 * when it cannot (then ask for its digest consumers). */
	int (*share_digests)(struct fg_sink *s, const struct fg_sink *from);
};

struct fg_sink {
	const struct fg_sink_ops *ops;
	void *priv;
	int random_access;          /* write() accepts any offset */
	struct fg_outfile *files;   /* valid after finish() */
	size_t nfiles;
	struct fg_error err;        /* why the last call failed */
};

/* ---- Constructors ------------------------------------------------------- */

/* A raw sink: OUTBASE.raw, or OUTBASE.001, .002 ... with a segment size. */
int fg_sink_new_raw(struct fg_sink **out, struct fg_error *err);

/* An E01 sink through libewf (see sink_ewf.c). */
int fg_sink_new_ewf(struct fg_sink **out, struct fg_error *err);

/* By format name: "raw" or "e01".  FG_EINVAL for anything else. */
int fg_sink_new(struct fg_sink **out, const char *format,
		struct fg_error *err);

/* The table of the format named format ("raw", "e01"), NULL for a name
 * no sink has: what the engine may ask of a format before it has a sink
 * (its flags). */
const struct fg_sink_ops *fg_sink_format(const char *format);

/* The FG_SINK_* flags of the format named format; 0 for an unknown one. */
unsigned fg_sink_format_flags(const char *format);

/* ---- Calls through the table (check state, keep the error) ------------ */

int fg_sink_open(struct fg_sink *s, const struct fg_sink_params *p);
int fg_sink_write(struct fg_sink *s, const void *buf, size_t len,
		  uint64_t off);
int fg_sink_mark_bad(struct fg_sink *s, uint64_t lba, uint64_t count);
int fg_sink_finish(struct fg_sink *s, const struct fg_media_hashes *h);
void fg_sink_abort(struct fg_sink *s);
void fg_sink_free(struct fg_sink *s);
/* After a successful finish: the container's own facts into the record
 * under key (e.g. "container"); FG_OK when the sink has none. */
int fg_sink_describe(struct fg_sink *s, struct fg_record *rec,
		     const char *key);
/* Resume (NEW -> OPEN); FG_EINVAL naming the format when it cannot. */
int fg_sink_reopen(struct fg_sink *s, const struct fg_sink_params *p);
/* Read back (OPEN); FG_EINVAL when the format cannot. */
int fg_sink_read(struct fg_sink *s, void *buf, size_t len, uint64_t off);
/* Make durable (OPEN); FG_OK when the format has nothing to do. */
int fg_sink_sync(struct fg_sink *s);
/* OPEN, before the pipeline starts: the consumers that compute the
 * per-file digests beside the writes (see the op); 0 when none.  *took
 * (set to 0 or 1) says whether one of them took media_md5 (may be NULL). */
size_t fg_sink_digest_consumers(struct fg_sink *s, struct fg_consumer *c,
				size_t max, struct fg_hash *media_md5,
				int *took);

/* OPEN, before the pipeline starts, after from's digest consumers: see
 * the op.  FG_OK when s takes from's per-file digests. */
int fg_sink_share_digests(struct fg_sink *s, const struct fg_sink *from);

/* Helper for sinks: add a produced file (path copied). */
int fg_sink_add_file(struct fg_sink *s, const char *path);

#endif
