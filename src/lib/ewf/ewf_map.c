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
	uint64_t first_chunk;
	uint32_t nentries;
	uint64_t data_end; /* where the data of the last entry ends */
};

struct fg_ewf_map {
	char **paths;
	struct fg_ewf_seginfo *segs;
	size_t nsegs;
	struct table *tables;
	size_t ntables, tcap;
	uint64_t nchunks;
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

/* Walk the sections of segment file i. */
static int walk_segment(struct fg_ewf_map *m, size_t i)
{
	struct fg_ewf_seginfo *sg = &m->segs[i];
	const char *name = fg_path_base(m->paths[i]);
	unsigned char d[DESC_SIZE], hdr[13];
	uint64_t off = 13, size, bad_table_at = 0;
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
			t.first_chunk = m->nchunks;
			t.data_end = off;
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
			if (t.nentries > 0) {
				rc = add_table(m, &t);
				m->nchunks += t.nentries;
				sg->nchunks += t.nentries;
			}
		} else if (strcmp(type, "table2") == 0 && sg->bad_table) {
			/* Use the copy for the damaged table. */
			unsigned char th[TABLE_HEADER];
			struct table t;

			memset(&t, 0, sizeof(t));
			sg->bad_table = 0;
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
				t.first_chunk = m->nchunks;
				/* Chunk data ends where the damaged
				 * 'table' began. */
				t.data_end = bad_table_at;
				if (t.nentries > 0) {
					rc = add_table(m, &t);
					m->nchunks += t.nentries;
					sg->nchunks += t.nentries;
				}
			}
		}
		if (rc != FG_OK)
			break;
		if (strcmp(type, "done") == 0 || strcmp(type, "next") == 0)
			break;
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
	return rc;
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

int fg_ewf_map_locate(struct fg_ewf_map *m, uint64_t chunk,
		      struct fg_ewf_loc *loc)
{
	size_t lo = 0, hi = m->ntables, ti;
	const struct table *t;
	uint64_t k, start, end;

	memset(loc, 0, sizeof(*loc));
	if (chunk >= m->nchunks)
		return FG_EINVAL;
	/* The table whose range holds chunk (tables are in chunk order). */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->tables[mid].first_chunk <= chunk)
			lo = mid;
		else
			hi = mid;
	}
	ti = lo;
	t = &m->tables[ti];
	if (chunk < t->first_chunk || chunk - t->first_chunk >= t->nentries)
		return FG_EINVAL;
	if (load_table(m, ti) != FG_OK)
		return FG_EIO;
	k = chunk - t->first_chunk;
	if (k >= m->sane)
		return FG_EINVAL;
	loc->seg = t->seg;
	loc->path = m->paths[t->seg];
	loc->compressed = (m->entries[k] >> 31) & 1;
	start = t->base + (m->entries[k] & 0x7fffffffu);
	loc->offset = start;
	/* The data of the last entry ends where the table section starts
	 * (chunk data precedes its table, in 'sectors' or directly). */
	end = k + 1 < m->sane ? t->base + (m->entries[k + 1] & 0x7fffffffu)
	      : k + 1 == t->nentries ? t->data_end
				     : 0;
	if (end > start && end - start <= (1u << 30)) {
		loc->size = end - start;
		loc->size_known = 1;
	}
	return FG_OK;
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
	free(m->entries);
	free(m);
}
