/*
 * mapfile.h - the map of an acquisition: which bytes of the source were
 * read, which failed and how far the reader got, kept in memory while
 * reading and written as a GNU ddrescue mapfile (--mapfile) so that an
 * interrupted run can be resumed (--resume) and other tools (ddrescuelog)
 * can read it.
 *
 * The map covers the acquired range [base, base + size) of the source
 * without gaps or overlaps; every byte has one status:
 *
 *   '?' non-tried     not read yet
 *   '*' non-trimmed   a large read over it failed; not split yet
 *   '/' non-scraped   (ddrescue's; read from foreign mapfiles, treated as '*')
 *   '-' bad sector    failed when read alone; retried, then filled
 *   '+' finished      read and handed on
 *
 * and the status line says where the reader was: a position, the phase
 * ('?' copying, '*' trimming, '/' scraping (splitting to sectors), '-'
 * retrying, 'F' filling, '+' finished) and the pass within the phase.
 *
 * Promise: a map is always complete and consistent (neighbouring extents
 * of one status are merged); fg_map_set either succeeds or leaves the map
 * unchanged.  The parser accepts what the ddrescue manual ("Mapfile
 * structure") describes and rejects anything else with the file, the line
 * and the cause.  Positions in the mapfile are source positions (base
 * included), as ddrescue writes input positions.
 */
#ifndef FORAGE_MAPFILE_H
#define FORAGE_MAPFILE_H

#include <forage/forage.h>

#define FG_MAP_NONTRIED	  '?'
#define FG_MAP_NONTRIMMED '*'
#define FG_MAP_NONSCRAPED '/'
#define FG_MAP_BAD	  '-'
#define FG_MAP_FINISHED	  '+'
/* Phases only (status line). */
#define FG_MAP_PHASE_FILL     'F'
#define FG_MAP_PHASE_GENERATE 'G'

struct fg_map;

struct fg_map_extent {
	uint64_t pos;  /* relative to base */
	uint64_t size; /* > 0 */
	char status;
};

/* ---- Building and changing -------------------------------------------- */

/* A map of size bytes at source offset base, all non-tried, phase '?'
 * pass 1 at position 0.  size may be 0 (nothing to read).  Returns FG_OK
 * or FG_ENOMEM. */
int fg_map_new(struct fg_map **out, uint64_t base, uint64_t size,
	       struct fg_error *err);

/* Free (NULL is fine). */
void fg_map_free(struct fg_map *m);

/* Give [pos, pos + len) (relative) the status st.  Returns FG_OK, FG_EINVAL
 * (outside the map, or not a block status) or FG_ENOMEM; on failure the
 * map is unchanged. */
int fg_map_set(struct fg_map *m, uint64_t pos, uint64_t len, char st);

/* Remember where the reader is: relative position, phase, pass (>= 1). */
void fg_map_set_current(struct fg_map *m, uint64_t pos, char phase,
			unsigned pass);

/* ---- Reading ----------------------------------------------------------- */

uint64_t fg_map_base(const struct fg_map *m);
uint64_t fg_map_size(const struct fg_map *m);
void fg_map_current(const struct fg_map *m, uint64_t *pos, char *phase,
		    unsigned *pass);

/* The status of the byte at pos; *end (may be NULL) receives the end of
 * its extent.  pos must be inside the map. */
char fg_map_status(const struct fg_map *m, uint64_t pos, uint64_t *end);

/* The first extent at or after from whose status is one of statuses:
 * *pos = max(from, its start), *end = its end.  Returns 1, or 0 when there
 * is none. */
int fg_map_next(const struct fg_map *m, uint64_t from, const char *statuses,
		uint64_t *pos, uint64_t *end);

/* Bytes with status st (kept up to date, O(1)). */
uint64_t fg_map_bytes(const struct fg_map *m, char st);

/* The extents, in order: 0 <= i < fg_map_count(m). */
size_t fg_map_count(const struct fg_map *m);
const struct fg_map_extent *fg_map_extent(const struct fg_map *m, size_t i);

/* A one-line description of the phase ("Retrying bad sectors... Retry 2
 * (forwards)"), as ddrescue puts in its heading comments. */
const char *fg_map_phase_text(char phase, unsigned pass, char *buf, size_t len);

/* ---- Text -------------------------------------------------------------- */

/* The mapfile text (malloc'd; NULL when out of memory).  comments: lines
 * that start with "# ", put first (may be NULL). */
char *fg_map_format(const struct fg_map *m, const char *comments);

/* Parse a mapfile held in text[0..len).  name is used in messages
 * ("NAME:LINE: cause").  The map's base is the first block's position.
 * Returns FG_OK, FG_EFORMAT (with file, line and cause) or FG_ENOMEM. */
int fg_map_parse(struct fg_map **out, const char *text, size_t len,
		 const char *name, struct fg_error *err);

/* Write the mapfile to path through a temporary name (fsync, rename, fsync
 * the folder).  replace 0 refuses an existing file (FG_EEXIST). */
int fg_map_write(const struct fg_map *m, const char *path, const char *comments,
		 int replace, struct fg_error *err);

/* Read and parse the mapfile at path (at most 256 MiB).  FG_ESOURCE when
 * it cannot be read, else as fg_map_parse. */
int fg_map_load(struct fg_map **out, const char *path, struct fg_error *err);

#endif
