/*
 * container.h - evidence containers on the reading side: what a file is
 * (recognised from its content, not only its name) and the media it holds,
 * read in order into the pipeline.
 *
 * Kinds: EWF segment sets (E01, s01 ... written by libewf, FTK Imager,
 * EnCase; ewf_read.c is the only reading-side file that includes libewf.h),
 * raw images (one file), split raw images (NAME.001, .002 ... or NAME.000,
 * .001 ..., found from the first segment), and forage's acquisition record
 * (OUTBASE.json), which is not a container but names one.
 *
 * Promise: evidence files are opened O_RDONLY and never changed.  A damaged
 * container is read to the end: every chunk whose checksum fails and every
 * range that cannot be read is reported through on_damage with its media
 * range and, where it can be known, the segment file and the offset in it.
 * Data whose checksum fails is handed on as stored (so a damaged checksum
 * over intact data still hashes right, and damaged data hashes wrong);
 * where nothing usable was read it is handed on as zeros and the damage
 * says so (zero_filled).  Either way the stream keeps the media's length
 * and later data keeps its place.
 */
#ifndef FORAGE_CONTAINER_H
#define FORAGE_CONTAINER_H

#include <signal.h>
#include <forage/forage.h>
#include <forage/sink.h>

struct fg_pipe;
struct fg_progress;

enum fg_container_kind {
	FG_CONTAINER_UNKNOWN = 0,
	FG_CONTAINER_EWF,       /* .E01 ... (EWF-E01, EWF-S01 signature) */
	FG_CONTAINER_RAW,       /* one file (or a block device) */
	FG_CONTAINER_SPLIT_RAW, /* NAME.000/.001, .002 ... */
	FG_CONTAINER_RECORD,    /* forage's OUTBASE.json */
	FG_CONTAINER_FOREIGN    /* a container forage does not read (AFF,
				 * AFF4, QCOW2, VMDK, VHD(X), VDI, an archive
				 * or a compressed file): refused */
};

/* ---- Recognising a file ------------------------------------------------- */

struct fg_detect {
	int kind;                 /* FG_CONTAINER_* */
	char description[256];    /* what the content is, for a person */
	char format[16];          /* FG_CONTAINER_FOREIGN: its short name
				   * ("AFF4", "QCOW2", "gzip"); else "" */
};

/* What path holds, from its content first (the EWF signature, a forage
 * record, the signatures of the containers forage does not read: AFF,
 * AFF4, QCOW2, VMDK, VHD (also a fixed VHD's footer), VHDX, VDI, ZIP, 7z,
 * tar, gzip, xz, bzip2, zstd) and then its name and libmagic's
 * description (which also names those containers).  Returns FG_OK with d
 * filled, or, naming path and the reason: FG_ESOURCE (missing,
 * unreadable, a directory), FG_EFORMAT (empty, a text file named .E01, a
 * format forage does not read, not evidence at all).  A foreign container
 * is FG_EFORMAT with d->kind FG_CONTAINER_FOREIGN, d->format and
 * d->description saying which, and the message saying what to use
 * instead. */
int fg_container_detect(const char *path, struct fg_detect *d,
			struct fg_error *err);

/* The same decision from the first len bytes of a file of size bytes
 * called name (no file is opened; the description comes from libmagic).
 * For a record, head must hold the whole file. */
int fg_container_detect_buf(const char *name, const void *head, size_t len,
			    uint64_t size, struct fg_detect *d,
			    struct fg_error *err);

struct fg_record;

/* For `forage info` on a regular file: what it is as evidence, under
 * "evidence." in rec (a forage-info-1 record): its kind, format and
 * description, whether forage verify reads it and, if not, why and what
 * to use instead; for an image, its media size, sector and chunk size and
 * files; for an EWF set, what forage's own metadata reader finds (sectors,
 * compression, stored MD5 and SHA-1, acquiry errors, the writing program
 * and system, the header values).  Adds nothing for a device or a file
 * that cannot be opened (the source's own facts say so).  Returns FG_OK,
 * or FG_ENOMEM. */
int fg_container_info(const char *path, struct fg_record *rec,
		      struct fg_error *err);

/* A short name of a kind: "EWF", "raw", "split raw", "forage record",
 * "foreign container". */
const char *fg_container_kind_name(int kind);

/* The kind of container an acquisition's output format writes (the sink
 * table's format names, the record's parameters.format): "e01" ->
 * FG_CONTAINER_EWF, "raw" -> FG_CONTAINER_RAW (one file or split), any
 * other or NULL -> FG_CONTAINER_UNKNOWN. */
int fg_container_kind_of_format(const char *format);

/* ---- An opened image ------------------------------------------------------ */

struct fg_image_segment {
	char *path;
	uint64_t size;            /* bytes of the file */
	uint64_t media_start;     /* raw: media offset of its first byte */
	uint64_t media_len;       /* raw: bytes of media it holds; EWF: 0 */
};

struct fg_image_meta {
	char *key;                /* "case_number", "examiner_name" ... */
	char *value;
};

/* One problem found while opening that does not stop reading (a
 * truncated segment, a damaged section): media reads will say where. */
struct fg_image_problem {
	char *file;
	uint64_t offset;
	char *text;
};

struct fg_image_ops;

struct fg_image {
	const struct fg_image_ops *ops;
	void *priv;
	int kind;                 /* FG_CONTAINER_* */
	char *format;             /* "EWF (EnCase 6)", "raw", "split raw" */
	uint64_t media_size;      /* bytes of media the container holds */
	uint32_t sector_size;
	uint32_t chunk_size;      /* EWF: bytes per chunk; raw: 0 */
	struct fg_image_segment *segs;
	size_t nsegs;
	/* Hashes the container stores itself (EWF), hex, "" when absent. */
	struct fg_media_hashes stored;
	/* Container metadata (EWF header values), in a fixed order. */
	struct fg_image_meta *meta;
	size_t nmeta;
	/* Ranges the acquiring tool recorded as unreadable (EWF acquiry
	 * errors), in sectors. */
	uint64_t (*acquiry_errors)[2];
	size_t nacquiry_errors;
	struct fg_image_problem *problems;
	size_t nproblems;
	/* How the reads bypass the page cache (fg_image_open flags). */
	const char *cache_bypass;
};

enum fg_image_open_flags {
	/* Read the files from the device, not from the page cache: O_DIRECT
	 * where the file system allows it, else fsync + posix_fadvise
	 * (DONTNEED) before reading (after an acquisition). */
	FG_IMAGE_BYPASS_CACHE = 1u << 0
};

/* Open the container at path (the first segment file) as kind (0: detect
 * it).  Finds the other segments (libewf_glob for EWF; NAME.002 ... for
 * split raw).  Returns FG_OK, or FG_ESOURCE / FG_EFORMAT naming the file
 * and the cause (missing segment, not EWF, unreadable ...). */
int fg_image_open(struct fg_image **out, const char *path, int kind,
		  unsigned flags, struct fg_error *err);

/* Open a raw image made of the given files in order (for a record's list
 * of outputs); n == 1 is a single raw image. */
int fg_image_open_raw_files(struct fg_image **out, const char *const *paths,
			    size_t n, unsigned flags, struct fg_error *err);

/* The kind of damage a read reports. */
enum fg_damage_kind {
	FG_DAMAGE_CHECKSUM = 1,   /* data read, but its checksum fails */
	FG_DAMAGE_UNREADABLE      /* data could not be read at all */
};

struct fg_damage {
	int kind;                 /* FG_DAMAGE_* */
	uint64_t offset, length;  /* media bytes */
	uint64_t chunk;           /* EWF chunk number; raw: 0 */
	int has_chunk;
	const char *file;         /* segment file, NULL when unknown */
	uint64_t file_offset, file_length;
	int has_file_offset;
	int zero_filled;          /* zeros were handed on for it */
	const char *detail;       /* the cause, for a person */
};

/* Bytes an EWF set stores past the media's end, its checksum holding
 * over all of them: the media the set declares (whole sectors) ends inside
 * its last chunk, the chunk holding every byte written, or the tables list
 * a chunk past the media's last one, holding only such bytes
 * (ewfacquirestream writes a source that is not whole sectors so: 4097
 * bytes as the first, 32769 as the second).  They are not damage, and not
 * media: the stream hands on the media only. */
struct fg_past_end {
	uint64_t chunk;           /* the chunk that holds them */
	uint64_t chunk_offset;    /* media offset of its first byte (the
				   * media size for a chunk of their own) */
	size_t chunk_bytes;       /* bytes it holds, media and past */
	const unsigned char *data;/* the bytes past the media's end */
	size_t length;
	/* A chunk of their own whose checks fail: why (its bytes are not
	 * known, data NULL, length 0); else NULL.  Not media, so not
	 * reported as damage of the media. */
	const char *damaged;
	const char *file;         /* segment file, NULL when unknown */
	uint64_t file_offset, file_length; /* the chunk as stored there */
	int has_file_offset;
};

struct fg_image_read_opts {
	unsigned threads;             /* decompression threads, 0: cores */
	unsigned reopen_chunks;       /* EWF: open the set afresh once
				       * libewf has read N chunks (bounds
				       * its memory); 0: 65536, or a 64th
				       * of the media when more */
	int via_libewf;               /* EWF: read every chunk through
				       * libewf, none straight from the
				       * files (tests compare the two) */
	volatile sig_atomic_t *stop;  /* set by a signal handler */
	/* A damaged range, called on the reading thread, in media order. */
	void (*on_damage)(void *ctx, const struct fg_damage *d);
	/* Bytes stored past the media's end (see fg_past_end), called on
	 * the reading thread after the damage of the media's last block;
	 * data is valid during the call only. */
	void (*on_past_end)(void *ctx, const struct fg_past_end *x);
	/* Progress, a few times a second and once at the end. */
	void (*on_progress)(void *ctx, const struct fg_progress *p);
	void *ctx;
};

struct fg_image_read_stats {
	uint64_t bytes;           /* media bytes handed on */
	uint64_t damaged_bytes;   /* of which with a failing checksum */
	uint64_t unreadable_bytes;/* of which unreadable (zeros handed on) */
	uint64_t chunks;          /* EWF chunks read */
	uint64_t chunks_libewf;   /* of which through libewf (the others
				   * straight from the segment files) */
	uint64_t past_end_bytes;  /* stored past the media's end, not
				   * handed on (see fg_past_end) */
};

/* Read all of the media in order into pipe (whose block size this picks:
 * see fg_image_block_size).  Returns FG_OK when the end was reached, even
 * with damage (see stats and on_damage), FG_EINTR when *stop was set, or
 * the pipeline's failure. */
int fg_image_stream(struct fg_image *img, struct fg_pipe *pipe,
		    const struct fg_image_read_opts *o,
		    struct fg_image_read_stats *st, struct fg_error *err);

/* The pipeline block size fg_image_stream wants for img. */
size_t fg_image_block_size(const struct fg_image *img);

/* The segment file holding media offset off (raw kinds), or NULL. */
const struct fg_image_segment *fg_image_segment_at(const struct fg_image *img,
						   uint64_t off);

/* Close and free (NULL is fine). */
void fg_image_close(struct fg_image *img);

#endif
