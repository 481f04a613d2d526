/*
 * ewf_int.h - the EWF format as forage reads it itself: the section walker
 * (ewf_map.c), the metadata (ewf_meta.c), the sizes of chunks and the
 * names of segment files (ewf_name.c).  Used by the EWF image reader, the
 * recognition of files and the EWF sink; nothing here includes libewf.
 */
#ifndef FORAGE_EWF_INT_H
#define FORAGE_EWF_INT_H

#include <stddef.h>
#include <stdint.h>
#include <forage/forage.h>

/* The EWF section walker (ewf_map.c). */
struct fg_ewf_map;
struct fg_ewf_problem {
	size_t seg;
	uint64_t offset;
	char *text;
};
struct fg_ewf_seginfo {
	unsigned number;     /* segment number in the file header */
	uint64_t file_size;
	uint64_t nchunks;    /* chunks its tables list (those before a lost
			      * table: the place of later ones is not known) */
	uint64_t first_chunk; /* in the media, when placed */
	int placed;          /* where its chunks lie in the media is known */
	char last_type[65];  /* type of the last section walked, printable */
	uint64_t last_offset;
	int truncated, broken;
	int skipped_desc;    /* a damaged 'sectors' descriptor stepped over */
	int ended;           /* the walk reached its 'next' or 'done' */
	unsigned lost_tables; /* tables whose copies all fail their checks */
	/* Walk state: a damaged 'table' not yet replaced by its 'table2';
	 * a table was lost before the current one. */
	int bad_table, after_lost;
};
struct fg_ewf_loc {
	size_t seg;
	const char *path;
	uint64_t offset;     /* of the chunk data in the segment file */
	uint64_t size;       /* stored bytes (with the checksum) */
	int size_known;
	int compressed;
	/* The copies of the table that lists it whose entries fail their
	 * checksum: 2 both ('table' and 'table2'), 1 the only one; 0. */
	int table_bad;
};
/* Walk every segment file.  Damage becomes problems, never a failure:
 * returns FG_OK or FG_ENOMEM. */
int fg_ewf_map_open(struct fg_ewf_map **out, const char *const *paths,
		    size_t n, struct fg_error *err);
/* The last file ends with 'next': the set continues in a missing file. */
int fg_ewf_map_missing_next(const struct fg_ewf_map *m);
const struct fg_ewf_seginfo *fg_ewf_map_seg(const struct fg_ewf_map *m,
					    size_t i);
uint64_t fg_ewf_map_chunks(const struct fg_ewf_map *m);
size_t fg_ewf_map_problem_count(const struct fg_ewf_map *m);
const struct fg_ewf_problem *fg_ewf_map_problem(const struct fg_ewf_map *m,
						size_t i);
/* Where chunk lies: FG_OK, FG_EINVAL (no placed table lists it), FG_EIO.
 * Chunks are placed by their segment's place in the set, never by
 * counting the chunks of damaged segments: the first segment starts at
 * chunk 0, each later one where the one before ends while every segment
 * before it lists all its chunks; after that, from the end of the set
 * backwards once fg_ewf_map_place gave the media's number of chunks. */
int fg_ewf_map_locate(struct fg_ewf_map *m, uint64_t chunk,
		      struct fg_ewf_loc *loc);
/* Place the segments after the last damaged one from total, the media's
 * number of chunks (when has_total), and make each segment that stays
 * unplaced a problem: FG_OK or FG_ENOMEM.  A total the tables contradict
 * is a problem too, and those segments stay unplaced.  Call it once. */
int fg_ewf_map_place(struct fg_ewf_map *m, uint64_t total, int has_total);
/* Chunks [0, counted) are where counting the chunks the tables list puts
 * them (as libewf does); UINT64_MAX when no table of the set is lost. */
uint64_t fg_ewf_map_counted(const struct fg_ewf_map *m);
/* Why chunk cannot be located, into buf: returns 1 when a table of the
 * set should list it (its table is lost or its place is not known), 0
 * when none does.  *seg is the segment file it lies in, when that is
 * known, else (size_t)-1. */
int fg_ewf_map_why(const struct fg_ewf_map *m, uint64_t chunk, size_t *seg,
		   char *buf, size_t len);
void fg_ewf_map_free(struct fg_ewf_map *m);
/* The little-endian integers of the EWF format. */
static inline uint32_t fg_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static inline uint64_t fg_le64(const unsigned char *p)
{
	return (uint64_t)fg_le32(p) | (uint64_t)fg_le32(p + 4) << 32;
}
/* A section the walker met, its descriptor's checksum good. */
struct fg_ewf_section {
	struct fg_ewf_map *map;
	size_t seg;
	int fd;              /* the segment file, open for reading */
	const char *path;
	const char *type;    /* printable (\xHH escapes): shown as is */
	uint64_t offset;     /* of the descriptor */
	uint64_t size;       /* the descriptor's size field (with itself) */
	uint64_t next;       /* the descriptor's next-section offset */
	uint64_t file_size;
};
/* fg_ewf_map_open, telling visit of every section as it is met; visit
 * returns FG_OK, or FG_ENOMEM to stop the walk (the open fails). */
int fg_ewf_map_walk(struct fg_ewf_map **out, const char *const *paths,
		    size_t n,
		    int (*visit)(void *ctx, const struct fg_ewf_section *s),
		    void *ctx, struct fg_error *err);
/* The path of segment file i (NULL past the end). */
const char *fg_ewf_map_path(const struct fg_ewf_map *m, size_t i);
/* Add a problem at offset of segment file seg: FG_OK or FG_ENOMEM. */
int fg_ewf_map_add_problem(struct fg_ewf_map *m, size_t seg, uint64_t offset,
			   const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* EWF metadata read by forage itself (ewf_meta.c): media values, stored
 * digests, acquiry errors and header values, from one walk of the set;
 * memory bounded by the metadata sections, never by the chunk count.
 * Damage is a problem (file, offset) on the walk's map, never a default:
 * a value that cannot be read is not set. */
#define FG_EWF_NHEADER 12
extern const char *const fg_ewf_header_ids[FG_EWF_NHEADER];
struct fg_ewf_range {
	uint64_t first, count;
};
struct fg_ewf_meta {
	/* 'volume' / 'disk' section (the last one of the set). */
	int has_volume;
	int smart_layout;      /* the 94-byte EWF-S01 (SMART) volume */
	int has_media_type;    /* the SMART layout stores neither */
	uint8_t media_type, media_flags;
	uint8_t compression_level;
	uint32_t number_of_chunks, sectors_per_chunk, bytes_per_sector;
	uint32_t error_granularity;
	uint64_t number_of_sectors;
	uint64_t chunk_size, media_size; /* spc * bps, sectors * bps */
	int has_guid;          /* set identifier, not all zeros */
	unsigned char guid[16];
	/* 'hash' / 'digest': all zeros counts as none stored (as libewf). */
	int has_md5, has_sha1;
	char md5[33], sha1[41];
	/* 'error2' (the last one), sorted, overlapping ones merged. */
	struct fg_ewf_range *errors;
	size_t nerrors;
	/* From 'header' then 'header2' (the first of each in the set),
	 * fg_ewf_header_ids order; NULL when not stored.  Dates as libewf
	 * gives them in ISO 8601 (local time, "2026-02-13T09:41:00"). */
	char *header[FG_EWF_NHEADER];
	int has_header, has_header2;
	/* The flavour libewf_handle_get_format gives right after opening
	 * the set (a FG_EWF_FORMAT_* value, libewf's LIBEWF_FORMAT_*), as
	 * libewf 20140813 decides it from the header texts, the 'xheader'
	 * and the 'volume' layout; 0 when it cannot be decided: a deciding
	 * section damaged, a part of the set not walked, header texts libewf
	 * would not parse, or nothing in the set that decides it. */
	uint8_t format;
	struct fg_ewf_map *map; /* problems, segment files, chunk tables */
};
/* libewf's LIBEWF_FORMAT_* values, for fg_ewf_meta.format. */
#define FG_EWF_FORMAT_ENCASE1 0x01
#define FG_EWF_FORMAT_ENCASE2 0x02
#define FG_EWF_FORMAT_ENCASE3 0x03
#define FG_EWF_FORMAT_ENCASE4 0x04
#define FG_EWF_FORMAT_ENCASE5 0x05
#define FG_EWF_FORMAT_ENCASE6 0x06
#define FG_EWF_FORMAT_ENCASE7 0x07
#define FG_EWF_FORMAT_SMART 0x0e
#define FG_EWF_FORMAT_FTK_IMAGER 0x0f
#define FG_EWF_FORMAT_LINEN5 0x25
#define FG_EWF_FORMAT_LINEN6 0x26
#define FG_EWF_FORMAT_LINEN7 0x27
#define FG_EWF_FORMAT_EWFX 0x71
/* Walk the set: FG_OK (damage is problems on ->map) or FG_ENOMEM. */
int fg_ewf_meta_open(struct fg_ewf_meta **out, const char *const *paths,
		     size_t n, struct fg_error *err);
/* A header value by its libewf identifier ("case_number"), or NULL. */
const char *fg_ewf_meta_header(const struct fg_ewf_meta *m, const char *id);
void fg_ewf_meta_free(struct fg_ewf_meta *m);

/* ---- Segment file names (ewf_name.c) ------------------------------------
 * As libewf names them.  A family is named by the extension of its first
 * segment: "E01" (EWF-E01: .E01 .. .E99, .EAA .. .EZZ, .FAA .. .ZZZ),
 * "e01" (libewf's EWF and EWFX formats, the same in lower case), "s01"
 * (EWF-S01, SMART: .s01 .. .s99, .saa .. .zzz), "L01" (EWF-L01), "Ex01"
 * and "Lx01" (EWF2: .Ex01 .. .Ex99, .ExAA .. .ExZZ, .FxAA .. .ZxZZ).
 * Extensions are written without their dot. */
#define FG_EWF_EXT_MAX 5 /* "Ex01" and its NUL */

/* The extension of segment n (1 ..) of family into ext (len bytes).
 * Returns 0, or -1 when family is not one, n is 0 or past the family's
 * last name, or len is too small. */
int fg_ewf_segment_ext(char *ext, size_t len, const char *family, unsigned n);

/* How many segments family can name (14971 for "E01": .ZZZ); 0 when
 * family is not one. */
unsigned fg_ewf_segment_max(const char *family);

/* The segment number ext gives in family's scheme: 1 .., 0 for the digit
 * form 00 (which names no segment), or -1 when ext is not shaped like the
 * family's names.  The letter (and 'x') of a digit form may be in either
 * case (.e01 is of "E01"); letter forms only in the family's (.EAA is,
 * .eaa is not). */
long fg_ewf_segment_number(const char *ext, const char *family);

/* The path of the segment after path in the set whose first segment file
 * is first (HD1.E01: HD1.E99 -> HD1.EAA, HD1.EZZ -> HD1.FAA), malloc'd;
 * NULL when first does not end in a family's digit form, path is not one
 * of its names, the scheme has no next name, or out of memory. */
char *fg_ewf_segment_next(const char *first, const char *path);

#endif
