/*
 * ewf_map.c - where an EWF segment set keeps its chunks, read from the
 * section descriptors and 'table' sections of the files themselves.
 *
 * libewf reads the media; it does not say in which segment file and at
 * which offset a chunk lies, nor why a set is incomplete.  This walker
 * does, for the messages an examiner needs ("chunk 17 in HD1.E02 at offset
 * 563214", "HD1.E01 ends with a 'next' section: HD1.E02 is missing").  It
 * never fails on damage: what it cannot read becomes a problem with a file
 * and an offset, and locations it cannot know stay unknown.
 *
 * Memory stays bounded whatever the media size: it keeps one small entry
 * per 'table' section (a table covers up to 16375 chunks) and the entries
 * of one table at a time.
 *
 * EWF-E01/S01 layout (libewf's documentation of the format): a 13-byte file
 * header (signature, segment number), then sections, each starting with a
 * 76-byte descriptor (type[16], next u64, size u64, padding, adler32); a
 * 'table' section holds a 24-byte header (entries u32, padding, base
 * offset u64, padding, adler32) and then one u32 per chunk: bit 31 the
 * compression flag, the rest the offset from the base.  The set ends with
 * a 'done' section; every segment but the last ends with 'next'.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "base/base_int.h"
#include "ewf/ewf_int.h"

#define DESC_SIZE 76
#define TABLE_HEADER 24
#define MAX_SECTIONS 1000000u
#define MAX_ENTRIES (1u << 24)

static const unsigned char evf_sig[8] = {'E', 'V', 'F', 0x09,
					 0x0d, 0x0a, 0xff, 0x00};

struct table {
	size_t seg;
	uint64_t section_offset;
	uint64_t entries_offset;
	uint64_t base;
	uint64_t first_chunk; /* in the media, once placed */
	uint64_t rel_chunk;   /* from the first chunk of its segment */
	int placed;
	uint32_t nentries;
	uint64_t data_end; /* where the data of the last entry ends */
	int bad_copies;    /* copies whose entries fail their checksum */
};

struct fg_ewf_map {
	char **paths;
	struct fg_ewf_seginfo *segs;
	size_t nsegs;
	struct table *tables;
	size_t ntables, tcap;
	size_t *placed;   /* indexes of the placed tables, in chunk order */
	size_t nplaced;
	uint64_t nchunks;
	uint64_t counted; /* chunks [0, counted) are where counting puts them */
	int missing_next;
	struct fg_ewf_problem *problems;
	size_t nproblems, pcap;
	/* The entries of one table, loaded on demand. */
	size_t cur_table; /* index + 1; 0: none */
	uint32_t *entries;
	uint32_t sane;    /* entries [0, sane) have rising offsets */
	/* One open segment file. */
	int fd;
	size_t fd_seg;
	/* Told of every section whose descriptor holds (fg_ewf_map_walk). */
	int (*visit)(void *ctx, const struct fg_ewf_section *s);
	void *visit_ctx;
};

#define le32 fg_le32
#define le64 fg_le64

static uint32_t ewf_adler(const unsigned char *p, size_t n)
{
	return (uint32_t)adler32(1L, p, (uInt)n);
}

/* The walker's own name for it. */
#define add_problem fg_ewf_map_add_problem
int fg_ewf_map_add_problem(struct fg_ewf_map *m, size_t seg, uint64_t offset,
			   const char *fmt, ...)
{
	va_list ap;
	char *text = NULL;

	if (m->nproblems == m->pcap) {
		size_t ncap = m->pcap ? m->pcap * 2 : 8;
		void *p = realloc(m->problems, ncap * sizeof(*m->problems));
		if (p == NULL)
			return FG_ENOMEM;
		m->problems = p;
		m->pcap = ncap;
	}
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (text == NULL)
		return FG_ENOMEM;
	m->problems[m->nproblems].seg = seg;
	m->problems[m->nproblems].offset = offset;
	m->problems[m->nproblems].text = text;
	m->nproblems++;
	return FG_OK;
}

static int add_table(struct fg_ewf_map *m, const struct table *t)
{
	if (m->ntables == m->tcap) {
		size_t ncap = m->tcap ? m->tcap * 2 : 16;
		void *p = realloc(m->tables, ncap * sizeof(*m->tables));
		if (p == NULL)
			return FG_ENOMEM;
		m->tables = p;
		m->tcap = ncap;
	}
	m->tables[m->ntables++] = *t;
	return FG_OK;
}

/* Do the n entries at off (of a table section at sec, size ssize) hold
 * the Adler-32 stored after them?  1 yes, 0 no, -1 none is stored. */
static int entries_sum(int fd, uint64_t off, uint32_t n, uint64_t sec,
		       uint64_t ssize, uint64_t file_size)
{
	unsigned char buf[65536], sum[4];
	uint64_t left = (uint64_t)n * 4, at = off;
	uLong a = adler32(0L, Z_NULL, 0);

	if (ssize < DESC_SIZE + TABLE_HEADER + left + 4 ||
	    off + left + 4 > file_size)
		return -1;
	while (left > 0) {
		size_t k = left < sizeof(buf) ? (size_t)left : sizeof(buf);
		if (fg_fd_pread_full(fd, buf, k, at) != (ssize_t)k)
			return 0;
		a = adler32(a, buf, (uInt)k);
		at += k;
		left -= k;
	}
	(void)sec;
	if (fg_fd_pread_full(fd, sum, 4, at) != 4)
		return 0;
	return le32(sum) == (uint32_t)a;
}

/* Is the section descriptor at off of fd whole (its checksum holds)? */
static int desc_whole(int fd, uint64_t off)
{
	unsigned char d[DESC_SIZE];

	return fg_fd_pread_full(fd, d, DESC_SIZE, off) == DESC_SIZE &&
	       le32(d + 72) == ewf_adler(d, 72);
}

/* Walk the sections of segment file i. */
static int walk_segment(struct fg_ewf_map *m, size_t i)
{
	struct fg_ewf_seginfo *sg = &m->segs[i];
	const char *name = fg_path_base(m->paths[i]);
	unsigned char d[DESC_SIZE], hdr[13];
	uint64_t off = 13, size, bad_table_at = 0;
	size_t bad_entries = (size_t)-1; /* the table whose entries fail */
	uint64_t bad_entries_at = 0;
	unsigned nsec = 0;
	struct stat st;
	int fd, rc = FG_OK;

	fd = open(m->paths[i], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = add_problem(m, i, 0, "%s: cannot open: %s", name,
				 strerror(errno));
		if (fd >= 0)
			close(fd);
		sg->broken = 1;
		return rc;
	}
	size = (uint64_t)st.st_size;
	sg->file_size = size;
	if (fg_fd_pread_full(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr) ||
	    memcmp(hdr, evf_sig, sizeof(evf_sig)) != 0) {
		rc = add_problem(m, i, 0,
				 "%s: not an EWF segment file (no EVF "
				 "signature at offset 0)",
				 name);
		sg->broken = 1;
		goto out;
	}
	sg->number = (unsigned)hdr[9] | (unsigned)hdr[10] << 8;
	for (;;) {
		char type[16 * 4 + 1];
		uint64_t next, ssize;

		if (++nsec > MAX_SECTIONS) {
			rc = add_problem(m, i, off,
					 "%s: more than %u sections; the "
					 "section chain is damaged",
					 name, MAX_SECTIONS);
			sg->broken = 1;
			break;
		}
		if (off + DESC_SIZE > size) {
			rc = add_problem(m, i, off,
					 "%s: truncated: the section descriptor "
					 "at offset %llu needs %d bytes, the "
					 "file ends at %llu",
					 name, (unsigned long long)off,
					 DESC_SIZE, (unsigned long long)size);
			sg->truncated = 1;
			break;
		}
		if (fg_fd_pread_full(fd, d, DESC_SIZE, off) != DESC_SIZE) {
			rc = add_problem(m, i, off,
					 "%s: read error at offset %llu: %s",
					 name, (unsigned long long)off,
					 strerror(errno));
			sg->broken = 1;
			break;
		}
		/* The type as it is shown in every message: a file may
		 * put anything there.  A known type reads the same. */
		fg_printable(type, sizeof(type), (const char *)d,
			     strnlen((const char *)d, 16), 0);
		next = le64(d + 16);
		ssize = le64(d + 24);
		if (le32(d + 72) != ewf_adler(d, 72)) {
			rc = add_problem(m, i, off,
					 "%s: the section descriptor at offset "
					 "%llu is damaged (checksum mismatch)",
					 name, (unsigned long long)off);
			/* A 'sectors' section holds only chunk data, whose
			 * places the tables give: when its type still reads
			 * so and the section it names next is whole, the
			 * walk goes on there (as libewf's does), and the
			 * tables after it are used.  libewf, which counts
			 * chunks, is then not asked for this segment's. */
			if (rc == FG_OK && strcmp(type, "sectors") == 0 &&
			    next > off && next <= size - DESC_SIZE &&
			    desc_whole(fd, next)) {
				sg->skipped_desc = 1;
				off = next;
				continue;
			}
			sg->broken = 1;
			break;
		}
		snprintf(sg->last_type, sizeof(sg->last_type), "%s", type);
		sg->last_offset = off;
		if (m->visit != NULL) {
			struct fg_ewf_section s = {m, i, fd, m->paths[i], type,
						   off, ssize, next, size};
			if ((rc = m->visit(m->visit_ctx, &s)) != FG_OK)
				break;
		}
		if (strcmp(type, "table") == 0) {
			unsigned char th[TABLE_HEADER];
			struct table t;

			memset(&t, 0, sizeof(t));
			if (off + DESC_SIZE + TABLE_HEADER > size) {
				rc = add_problem(m, i, off,
						 "%s: truncated: the 'table' "
						 "section at offset %llu "
						 "ends past the end of the "
						 "file (%llu bytes)",
						 name, (unsigned long long)off,
						 (unsigned long long)size);
				sg->truncated = 1;
				break;
			}
			if (fg_fd_pread_full(fd, th, TABLE_HEADER,
					     off + DESC_SIZE) != TABLE_HEADER)
				break;
			t.seg = i;
			t.section_offset = off;
			t.entries_offset = off + DESC_SIZE + TABLE_HEADER;
			t.nentries = le32(th);
			t.base = le64(th + 8);
			t.rel_chunk = sg->nchunks;
			t.data_end = off;
			if (sg->bad_table || sg->lost_tables > 0) {
				/* The chunks before this table are not all
				 * known: its place in the segment is not. */
				sg->lost_tables += sg->bad_table;
				sg->bad_table = 0;
				sg->after_lost = 1;
			}
			bad_table_at = off;
			if (le32(th + 20) != ewf_adler(th, 20) ||
			    t.nentries > MAX_ENTRIES) {
				rc = add_problem(m, i, off,
						 "%s: the 'table' section at "
						 "offset %llu is damaged (header "
						 "checksum mismatch)",
						 name, (unsigned long long)off);
				if (rc != FG_OK)
					break;
				/* libewf falls back on 'table2'; so do
				 * the chunk counts below. */
				t.nentries = 0;
				sg->bad_table = 1;
			} else if (t.entries_offset +
					   (uint64_t)t.nentries * 4 >
				   size) {
				rc = add_problem(m, i, off,
						 "%s: truncated: the 'table' "
						 "section at offset %llu lists "
						 "%u chunks, the file ends at "
						 "%llu",
						 name, (unsigned long long)off,
						 t.nentries,
						 (unsigned long long)size);
				sg->truncated = 1;
				break;
			}
			/* Some flavours (SMART, EWF) store no checksum after
			 * the entries, nor a 'table2': the entries are
			 * called damaged only when a 'table2' follows. */
			if (t.nentries > 0 && !sg->bad_table &&
			    !sg->after_lost &&
			    entries_sum(fd, t.entries_offset, t.nentries, off,
					ssize, size) == 0) {
				bad_entries = m->ntables;
				bad_entries_at = off;
			}
			if (rc == FG_OK && t.nentries > 0 && !sg->after_lost) {
				rc = add_table(m, &t);
				m->nchunks += t.nentries;
				sg->nchunks += t.nentries;
			}
		} else if (strcmp(type, "table2") == 0 &&
			   bad_entries != (size_t)-1) {
			/* The copy of a table whose entries fail their
			 * checksum: used when its own entries hold it. */
			struct table *bt = &m->tables[bad_entries];
			unsigned char th[TABLE_HEADER];

			bad_entries = (size_t)-1;
			rc = add_problem(m, i, bad_entries_at,
					 "%s: the 'table' section at offset "
					 "%llu is damaged (its entries fail "
					 "their checksum)",
					 name,
					 (unsigned long long)bad_entries_at);
			if (rc != FG_OK)
				break;
			if (off + DESC_SIZE + TABLE_HEADER <= size &&
			    fg_fd_pread_full(fd, th, TABLE_HEADER,
					     off + DESC_SIZE) == TABLE_HEADER &&
			    le32(th + 20) == ewf_adler(th, 20) &&
			    le32(th) == bt->nentries &&
			    entries_sum(fd, off + DESC_SIZE + TABLE_HEADER,
					bt->nentries, off, ssize, size) == 1) {
				bt->entries_offset =
					off + DESC_SIZE + TABLE_HEADER;
				bt->base = le64(th + 8);
				bt->bad_copies = 0;
			} else {
				bt->bad_copies = 2;
				rc = add_problem(m, i, off,
						 "%s: its copy, the 'table2' "
						 "section at offset %llu, is "
						 "damaged too",
						 name, (unsigned long long)off);
			}
		} else if (strcmp(type, "table2") == 0 && sg->bad_table) {
			/* Use the copy for the damaged table. */
			unsigned char th[TABLE_HEADER];
			struct table t;

			memset(&t, 0, sizeof(t));
			sg->bad_table = 0;
			sg->lost_tables++;
			if (off + DESC_SIZE + TABLE_HEADER <= size &&
			    fg_fd_pread_full(fd, th, TABLE_HEADER,
					     off + DESC_SIZE) == TABLE_HEADER &&
			    le32(th + 20) == ewf_adler(th, 20) &&
			    le32(th) <= MAX_ENTRIES &&
			    off + DESC_SIZE + TABLE_HEADER +
					    (uint64_t)le32(th) * 4 <=
				    size) {
				t.seg = i;
				t.section_offset = off;
				t.entries_offset =
					off + DESC_SIZE + TABLE_HEADER;
				t.nentries = le32(th);
				t.base = le64(th + 8);
				t.rel_chunk = sg->nchunks;
				/* Chunk data ends where the damaged
				 * 'table' began. */
				t.data_end = bad_table_at;
				sg->lost_tables--;
				if (t.nentries > 0 && !sg->after_lost) {
					rc = add_table(m, &t);
					m->nchunks += t.nentries;
					sg->nchunks += t.nentries;
				}
			}
		}
		if (rc != FG_OK)
			break;
		if (strcmp(type, "done") == 0 || strcmp(type, "next") == 0) {
			sg->ended = 1;
			break;
		}
		if (next <= off) {
			rc = add_problem(m, i, off,
					 "%s: the section at offset %llu "
					 "points back to offset %llu; the "
					 "section chain is damaged",
					 name, (unsigned long long)off,
					 (unsigned long long)next);
			sg->broken = 1;
			break;
		}
		if (next > size) {
			rc = add_problem(m, i, off,
					 "%s: truncated: the '%s' section at "
					 "offset %llu (%llu bytes) continues "
					 "to offset %llu, the file ends at "
					 "%llu",
					 name, type, (unsigned long long)off,
					 (unsigned long long)ssize,
					 (unsigned long long)next,
					 (unsigned long long)size);
			sg->truncated = 1;
			break;
		}
		off = next;
	}
out:
	close(fd);
	/* A damaged 'table' with no 'table2' after it is lost as well. */
	sg->lost_tables += sg->bad_table;
	sg->bad_table = 0;
	return rc;
}

/* Does the segment list all its chunks in tables that hold? */
static int seg_complete(const struct fg_ewf_seginfo *sg)
{
	return sg->ended && !sg->truncated && !sg->broken &&
	       sg->lost_tables == 0;
}

/* Where is each segment's first chunk in the media?  A segment's tables
 * give the number of chunks it holds, not where they start: the first
 * segment starts at chunk 0, and each later one where the one before it
 * ends, as long as every segment before it lists all its chunks.  From
 * the last segment that does not, the set is placed from its end, the
 * media's number of chunks (total, when has_total), backwards.  A segment
 * neither way reaches is not placed: its chunks' places are not known. */
static int place_segments(struct fg_ewf_map *m, uint64_t total,
			  int has_total, int final)
{
	size_t i, k, first_bad = m->nsegs, last_bad = 0, nbad = 0;
	uint64_t pos = 0;
	int rc = FG_OK;

	for (i = 0; i < m->nsegs; i++) {
		struct fg_ewf_seginfo *sg = &m->segs[i];

		sg->placed = 0;
		sg->first_chunk = 0;
		if (!seg_complete(sg)) {
			if (nbad++ == 0)
				first_bad = i;
			last_bad = i;
		}
	}
	/* Forwards, up to and with the first incomplete segment. */
	for (i = 0; i < m->nsegs && i <= first_bad; i++) {
		m->segs[i].first_chunk = pos;
		m->segs[i].placed = 1;
		pos += m->segs[i].nchunks;
	}
	m->counted = nbad == 0 ? UINT64_MAX : pos;
	/* libewf counts the chunks of a segment whose 'sectors' descriptor
	 * was stepped over otherwise than its tables place them. */
	for (i = 0; i < m->nsegs; i++)
		if (m->segs[i].skipped_desc && m->segs[i].placed) {
			if (m->segs[i].first_chunk < m->counted)
				m->counted = m->segs[i].first_chunk;
			break;
		}
	/* Backwards, from the end of the set to the last incomplete one. */
	if (nbad > 0 && has_total && final && !m->missing_next) {
		uint64_t end = total, need = 0;

		for (i = m->nsegs; i > last_bad + 1; i--)
			need += m->segs[i - 1].nchunks;
		/* The chunks the tables of the segments before them list. */
		pos = m->segs[first_bad].first_chunk;
		for (i = first_bad; i <= last_bad; i++)
			pos += m->segs[i].nchunks;
		if (need > end || end - need < pos) {
			rc = add_problem(
				m, last_bad, 0,
				"%s: the chunk tables of the segments after "
				"it list %llu chunks, the media has %llu, of "
				"which %llu lie before them: the places of "
				"the chunks after it cannot be known",
				fg_path_base(m->paths[last_bad]),
				(unsigned long long)need,
				(unsigned long long)total,
				(unsigned long long)pos);
		} else {
			for (i = m->nsegs; i > last_bad + 1; i--) {
				end -= m->segs[i - 1].nchunks;
				m->segs[i - 1].first_chunk = end;
				m->segs[i - 1].placed = 1;
			}
		}
	}
	for (i = 0; i < m->nsegs && rc == FG_OK && final; i++)
		if (!m->segs[i].placed && m->segs[i].nchunks > 0)
			rc = add_problem(
				m, i, 0,
				"%s: its chunk tables list %llu chunks, but "
				"where they lie in the media cannot be known "
				"(the chunk tables of segments before and "
				"after it are lost)",
				fg_path_base(m->paths[i]),
				(unsigned long long)m->segs[i].nchunks);
	/* The placed tables, in chunk order. */
	m->nplaced = 0;
	for (k = 0; k < m->ntables; k++) {
		struct table *t = &m->tables[k];
		const struct fg_ewf_seginfo *sg = &m->segs[t->seg];

		t->placed = sg->placed;
		t->first_chunk = sg->first_chunk + t->rel_chunk;
		if (t->placed)
			m->placed[m->nplaced++] = k;
	}
	return rc;
}

int fg_ewf_map_place(struct fg_ewf_map *m, uint64_t total, int has_total)
{
	return place_segments(m, total, has_total, 1);
}

uint64_t fg_ewf_map_counted(const struct fg_ewf_map *m)
{
	return m->counted;
}

int fg_ewf_map_open(struct fg_ewf_map **out, const char *const *paths,
		    size_t n, struct fg_error *err)
{
	return fg_ewf_map_walk(out, paths, n, NULL, NULL, err);
}

int fg_ewf_map_walk(struct fg_ewf_map **out, const char *const *paths,
		    size_t n,
		    int (*visit)(void *ctx, const struct fg_ewf_section *s),
		    void *ctx, struct fg_error *err)
{
	struct fg_ewf_map *m;
	size_t i;
	int rc = FG_OK;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	m->fd = -1;
	m->visit = visit;
	m->visit_ctx = ctx;
	m->paths = calloc(n + 1, sizeof(*m->paths));
	m->segs = calloc(n + 1, sizeof(*m->segs));
	if (m->paths == NULL || m->segs == NULL)
		goto nomem;
	m->nsegs = n;
	for (i = 0; i < n; i++)
		if ((m->paths[i] = strdup(paths[i])) == NULL)
			goto nomem;
	for (i = 0; i < n && rc == FG_OK; i++)
		rc = walk_segment(m, i);
	if (rc != FG_OK)
		goto nomem;
	if (m->ntables > 0 &&
	    (m->placed = calloc(m->ntables, sizeof(*m->placed))) == NULL)
		goto nomem;
	/* Segment numbers and the ends of the set. */
	for (i = 0; i < n; i++) {
		const struct fg_ewf_seginfo *sg = &m->segs[i];
		const char *name = fg_path_base(m->paths[i]);

		if (sg->broken || sg->truncated)
			continue;
		if (sg->number != i + 1)
			rc = add_problem(m, i, 9,
					 "%s: its header says segment %u, it "
					 "is file %zu of the set",
					 name, sg->number, i + 1);
		else if (i + 1 < n && strcmp(sg->last_type, "done") == 0)
			rc = add_problem(m, i, sg->last_offset,
					 "%s: ends the set (section 'done' "
					 "at offset %llu), but more segment "
					 "files follow it",
					 name,
					 (unsigned long long)sg->last_offset);
		else if (i + 1 == n && strcmp(sg->last_type, "next") == 0)
			m->missing_next = 1;
		else if (i + 1 == n && strcmp(sg->last_type, "done") != 0)
			rc = add_problem(m, i, sg->last_offset,
					 "%s: the last section is '%s' at "
					 "offset %llu, not 'done'",
					 name, sg->last_type,
					 (unsigned long long)sg->last_offset);
		if (rc != FG_OK)
			goto nomem;
	}
	/* Forwards only: fg_ewf_map_place adds the media's chunk count. */
	if (place_segments(m, 0, 0, 0) != FG_OK)
		goto nomem;
	*out = m;
	return FG_OK;
nomem:
	fg_ewf_map_free(m);
	return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
}

int fg_ewf_map_missing_next(const struct fg_ewf_map *m)
{
	return m->missing_next;
}

const struct fg_ewf_seginfo *fg_ewf_map_seg(const struct fg_ewf_map *m,
					    size_t i)
{
	return i < m->nsegs ? &m->segs[i] : NULL;
}

const char *fg_ewf_map_path(const struct fg_ewf_map *m, size_t i)
{
	return i < m->nsegs ? m->paths[i] : NULL;
}

uint64_t fg_ewf_map_chunks(const struct fg_ewf_map *m)
{
	return m->nchunks;
}

size_t fg_ewf_map_problem_count(const struct fg_ewf_map *m)
{
	return m->nproblems;
}

const struct fg_ewf_problem *fg_ewf_map_problem(const struct fg_ewf_map *m,
						size_t i)
{
	return i < m->nproblems ? &m->problems[i] : NULL;
}

static int seg_fd(struct fg_ewf_map *m, size_t seg)
{
	if (m->fd >= 0 && m->fd_seg == seg)
		return m->fd;
	if (m->fd >= 0)
		close(m->fd);
	m->fd = open(m->paths[seg], O_RDONLY | O_CLOEXEC);
	m->fd_seg = seg;
	return m->fd;
}

static int load_table(struct fg_ewf_map *m, size_t ti)
{
	const struct table *t = &m->tables[ti];
	size_t bytes = (size_t)t->nentries * 4;
	unsigned char *raw;
	uint32_t *e;
	size_t k;
	int fd;

	if (m->cur_table == ti + 1)
		return FG_OK;
	fd = seg_fd(m, t->seg);
	if (fd < 0)
		return FG_EIO;
	raw = malloc(bytes);
	e = realloc(m->entries, bytes);
	if (raw == NULL || e == NULL) {
		free(raw);
		if (e != NULL)
			m->entries = e;
		return FG_ENOMEM;
	}
	m->entries = e;
	m->cur_table = 0;
	if (fg_fd_pread_full(fd, raw, bytes, t->entries_offset) !=
	    (ssize_t)bytes) {
		free(raw);
		return FG_EIO;
	}
	for (k = 0; k < t->nentries; k++)
		e[k] = le32(raw + 4 * k);
	free(raw);
	/* Offsets rise within a table.  Past 2 GiB in one file EnCase lets
	 * them overflow into the compression bit; from the first fall on, a
	 * location is not known rather than guessed. */
	m->sane = t->nentries;
	for (k = 1; k < t->nentries; k++)
		if ((e[k] & 0x7fffffffu) < (e[k - 1] & 0x7fffffffu)) {
			m->sane = (uint32_t)k;
			break;
		}
	m->cur_table = ti + 1;
	return FG_OK;
}

/* The placed table whose range holds chunk, or NULL. */
static const struct table *table_of(const struct fg_ewf_map *m,
				    uint64_t chunk, size_t *index)
{
	size_t lo = 0, hi = m->nplaced;
	const struct table *t;

	if (m->nplaced == 0)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->tables[m->placed[mid]].first_chunk <= chunk)
			lo = mid;
		else
			hi = mid;
	}
	t = &m->tables[m->placed[lo]];
	if (chunk < t->first_chunk || chunk - t->first_chunk >= t->nentries)
		return NULL;
	*index = m->placed[lo];
	return t;
}

int fg_ewf_map_locate(struct fg_ewf_map *m, uint64_t chunk,
		      struct fg_ewf_loc *loc)
{
	const struct table *t;
	uint64_t k, start, end;
	size_t ti = 0;

	memset(loc, 0, sizeof(*loc));
	t = table_of(m, chunk, &ti);
	if (t == NULL)
		return FG_EINVAL;
	if (load_table(m, ti) != FG_OK)
		return FG_EIO;
	k = chunk - t->first_chunk;
	if (k >= m->sane)
		return FG_EINVAL;
	loc->seg = t->seg;
	loc->path = m->paths[t->seg];
	loc->compressed = (m->entries[k] >> 31) & 1;
	loc->table_bad = t->bad_copies;
	start = t->base + (m->entries[k] & 0x7fffffffu);
	loc->offset = start;
	/* The data of the last entry ends where the table section starts
	 * (chunk data precedes its table, in 'sectors' or directly).  A
	 * size larger than any chunk is kept as it is: the reader refuses
	 * it by its size rather than let libewf allocate that much. */
	end = k + 1 < m->sane ? t->base + (m->entries[k + 1] & 0x7fffffffu)
	      : k + 1 == t->nentries ? t->data_end
				     : 0;
	if (end > start) {
		loc->size = end - start;
		loc->size_known = 1;
	}
	return FG_OK;
}

/* What happened to segment i's chunk table, for a reason. */
static void seg_loss(const struct fg_ewf_map *m, size_t i, char *buf,
		     size_t len)
{
	const struct fg_ewf_seginfo *sg = &m->segs[i];
	const char *name = fg_path_base(m->paths[i]);

	if (sg->truncated)
		snprintf(buf, len,
			 "%s is truncated at offset %llu, after its '%s' "
			 "section at offset %llu: the chunk table that "
			 "lists this chunk is lost",
			 name, (unsigned long long)sg->file_size,
			 sg->last_type, (unsigned long long)sg->last_offset);
	else if (sg->broken)
		snprintf(buf, len,
			 "the section chain of %s is damaged after its '%s' "
			 "section at offset %llu: the chunk table that "
			 "lists this chunk is lost",
			 name, sg->last_type,
			 (unsigned long long)sg->last_offset);
	else
		snprintf(buf, len,
			 "both copies of the chunk table that lists this "
			 "chunk in %s fail their checksum",
			 name);
}

int fg_ewf_map_why(const struct fg_ewf_map *m, uint64_t chunk, size_t *seg,
		   char *buf, size_t len)
{
	size_t i, before = m->nsegs, after = m->nsegs;
	const struct fg_ewf_seginfo *sg;

	*seg = (size_t)-1;
	/* The placed segments around the chunk. */
	for (i = 0; i < m->nsegs; i++) {
		sg = &m->segs[i];
		if (!sg->placed)
			continue;
		if (sg->first_chunk <= chunk)
			before = i;
		else if (after == m->nsegs)
			after = i;
	}
	if (before == m->nsegs) {
		snprintf(buf, len, "no chunk table of the set lists this "
				   "chunk");
		return 0;
	}
	sg = &m->segs[before];
	if (chunk - sg->first_chunk < sg->nchunks) {
		*seg = before;
		snprintf(buf, len,
			 "its entry in the chunk table of %s cannot be "
			 "used: the offsets before it do not rise",
			 fg_path_base(m->paths[before]));
		return 1;
	}
	if (after == before + 1 && !seg_complete(sg)) {
		*seg = before;
		seg_loss(m, before, buf, len);
		return 1;
	}
	if (after == m->nsegs && seg_complete(sg) && before + 1 == m->nsegs) {
		snprintf(buf, len, "no chunk table of the set lists this "
				   "chunk");
		return 0;
	}
	if (after < m->nsegs)
		snprintf(buf, len,
			 "it lies in one of %s to %s, whose chunk tables "
			 "are lost: where in them cannot be known",
			 fg_path_base(m->paths[before]),
			 fg_path_base(m->paths[after - 1]));
	else
		snprintf(buf, len,
			 "it lies in %s or a segment after it, whose chunk "
			 "tables are lost or do not agree with the media "
			 "values: where cannot be known",
			 fg_path_base(m->paths[before]));
	return 1;
}

void fg_ewf_map_free(struct fg_ewf_map *m)
{
	size_t i;

	if (m == NULL)
		return;
	if (m->fd >= 0)
		close(m->fd);
	for (i = 0; m->paths != NULL && i < m->nsegs; i++)
		free(m->paths[i]);
	for (i = 0; i < m->nproblems; i++)
		free(m->problems[i].text);
	free(m->problems);
	free(m->paths);
	free(m->segs);
	free(m->tables);
	free(m->placed);
	free(m->entries);
	free(m);
}
