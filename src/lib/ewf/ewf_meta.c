/*
 * ewf_meta.c - the metadata of an EWF segment set, read by forage itself:
 * media values, stored digests, acquiry errors and header values, the
 * values ewf_read.c takes from libewf today.
 *
 * One walk of the section chain (ewf_map.c's walker, with a visitor);
 * each metadata section is read when it is met and let go, so memory is
 * bounded by the largest metadata section (capped), never by the chunk
 * count.  Every checksum the format has is checked: the descriptors (the
 * walker), the 'volume'/'disk'/'data', 'hash', 'digest' and 'error2'
 * sections (Adler-32 of their bytes), the header texts (zlib's Adler-32).
 * What is damaged, truncated or missing becomes a problem with the file
 * and the offset, and its values stay unset: never a default passed off
 * as read.
 *
 * Layout (libewf's documentation of the format; offsets in the section's
 * data, after its 76-byte descriptor):
 *   volume/disk/data, 1052 bytes: media type u8 @0, chunks u32 @4,
 *     sectors per chunk u32 @8, bytes per sector u32 @12, sectors u64
 *     @16, media flags u8 @36, compression level u8 @52, error
 *     granularity u32 @56, set identifier (GUID) @64, Adler-32 @1048;
 *   volume, SMART / EWF-S01 layout, 94 bytes: chunks u32 @4, sectors per
 *     chunk @8, bytes per sector @12, sectors u32 @16, signature @85,
 *     Adler-32 @90;
 *   hash, 36 bytes: MD5 @0, Adler-32 @32;
 *   digest, 80 bytes: MD5 @0, SHA-1 @16, Adler-32 @76;
 *   error2: count u32 @0, Adler-32 @516 of the 516 bytes before it, then
 *     count entries (first sector u32, sectors u32) and the Adler-32 of
 *     the entries;
 *   header: zlib, ASCII text; header2: zlib, UTF-16LE text.  The text is
 *     lines: "1" or "3", "main", the value types and the values, both
 *     tab-separated.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "base/base_int.h"
#include "ewf/ewf_int.h"

#define DESC 76
#define VOLUME_SIZE 1052
#define SMART_SIZE 94
#define HASH_SIZE 36
#define DIGEST_SIZE 80
#define ERROR2_HEADER 520
#define MAX_ERRORS (1u << 24)
/* Header texts are a few KiB; far past that the section is not one. */
#define MAX_HEADER_PACKED (4u << 20)
#define MAX_HEADER_TEXT (16u << 20)

const char *const fg_ewf_header_ids[FG_EWF_NHEADER] = {
	"case_number", "evidence_number", "examiner_name",
	"description", "notes", "acquiry_date", "system_date",
	"acquiry_operating_system", "acquiry_software",
	"acquiry_software_version", "model", "serial_number"};

/* What the walk keeps between sections. */
struct walk {
	struct fg_ewf_meta *m;
	char *text[2];         /* first 'header' (0) and 'header2' (1), UTF-8 */
	size_t text_seg[2];
	uint64_t text_off[2];
	/* The first later copy whose text differs from the first's: its
	 * Adler-32 cannot show which of the two is damaged (a flip in the
	 * deflate stream can leave it right), so the values they give
	 * differently are withheld. */
	char *other[2];
	size_t other_seg[2];
	uint64_t other_off[2];
	int md5_from_hash;     /* the MD5 came from a 'hash' section */
	int have_data;         /* a 'data' section to compare */
	/* The flavour as libewf decides it while it reads the sections. */
	uint8_t format;        /* libewf starts from EnCase 5 */
	int format_set;        /* something in the set decided it */
	int format_lost;       /* a deciding section gave a problem */
	int s01, l01;          /* the last volume: SMART layout, logical */
	int has_xheader;
	unsigned nheaders;     /* header, header2, xheader read so far */
	size_t other_problems; /* problems of the other sections */
	struct fg_ewf_meta data;
	size_t data_seg;
	uint64_t data_off;
};

#define le32 fg_le32
#define le64 fg_le64

static uint32_t adler(const unsigned char *p, size_t n)
{
	return (uint32_t)adler32(1L, p, (uInt)n);
}

static int all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

#define PROBLEM(s, ...)                                                      \
	fg_ewf_map_add_problem((s)->map, (s)->seg, (s)->offset, __VA_ARGS__)

/* The data of section s (its size less the descriptor) into a new
 * buffer of exactly want bytes (0: whatever the size says, up to max).
 * Returns FG_OK with *buf set, FG_OK with *buf NULL after adding a
 * problem, or FG_ENOMEM. */
static int section_data(const struct fg_ewf_section *s, size_t want,
			size_t max, unsigned char **buf, size_t *len)
{
	const char *name = fg_path_base(s->path);
	uint64_t size = s->size;
	unsigned char *p;

	*buf = NULL;
	*len = 0;
	if (size == 0)
		size = s->next - s->offset;
	if (s->next != s->offset + size) {
		/* The walker follows next; a size that disagrees is damage. */
		return PROBLEM(s,
			       "%s: the '%s' section at offset %llu says it "
			       "is %llu bytes long, but the next section "
			       "starts at offset %llu",
			       name, s->type, (unsigned long long)s->offset,
			       (unsigned long long)size,
			       (unsigned long long)s->next);
	}
	if (s->offset + size > s->file_size)
		return FG_OK; /* the walker reports the truncation */
	if (size < DESC + (want ? want : 1) || (want && size != DESC + want))
		return PROBLEM(s,
			       "%s: the '%s' section at offset %llu is %llu "
			       "bytes long, %s %zu",
			       name, s->type, (unsigned long long)s->offset,
			       (unsigned long long)size,
			       want ? "its layout has" : "less than",
			       want ? want + DESC : (size_t)DESC + 1);
	if (size - DESC > max)
		return PROBLEM(s,
			       "%s: the '%s' section at offset %llu is %llu "
			       "bytes long, more than forage reads for it "
			       "(%zu)",
			       name, s->type, (unsigned long long)s->offset,
			       (unsigned long long)size, max);
	*len = (size_t)(size - DESC);
	p = malloc(*len);
	if (p == NULL)
		return FG_ENOMEM;
	if (fg_fd_pread_full(s->fd, p, *len, s->offset + DESC) !=
	    (ssize_t)*len) {
		int e = errno;
		free(p);
		*len = 0;
		return PROBLEM(s, "%s: read error at offset %llu: %s", name,
			       (unsigned long long)(s->offset + DESC),
			       strerror(e));
	}
	*buf = p;
	return FG_OK;
}

static int checksum_problem(const struct fg_ewf_section *s, uint64_t at,
			    uint32_t stored, uint32_t computed)
{
	return fg_ewf_map_add_problem(
		s->map, s->seg, s->offset,
		"%s: the '%s' section at offset %llu is damaged: Adler-32 "
		"at offset %llu is 0x%08x, its bytes give 0x%08x",
		fg_path_base(s->path), s->type, (unsigned long long)s->offset,
		(unsigned long long)at, stored, computed);
}

/* ---- volume, disk, data ------------------------------------------------ */

static int read_volume(struct walk *w, const struct fg_ewf_section *s,
		       int is_data)
{
	struct fg_ewf_meta *m = is_data ? &w->data : w->m;
	unsigned char *d = NULL;
	size_t len = 0;
	uint32_t sum;
	int rc, smart;
	uint64_t size = s->size ? s->size : s->next - s->offset;

	smart = !is_data && size == DESC + SMART_SIZE;
	rc = section_data(s, smart ? SMART_SIZE : VOLUME_SIZE, VOLUME_SIZE, &d,
			  &len);
	if (rc != FG_OK || d == NULL)
		return rc;
	sum = adler(d, len - 4);
	/* libewf skips the check of a 'data' section whose sum is 0. */
	if (le32(d + len - 4) != sum && !(is_data && le32(d + len - 4) == 0)) {
		rc = checksum_problem(s, s->offset + DESC + len - 4,
				      le32(d + len - 4), sum);
		free(d);
		return rc;
	}
	memset(m->guid, 0, sizeof(m->guid));
	m->number_of_chunks = le32(d + 4);
	m->sectors_per_chunk = le32(d + 8);
	m->bytes_per_sector = le32(d + 12);
	if (smart) {
		m->smart_layout = 1;
		m->has_media_type = 0;
		m->media_type = 0;
		m->media_flags = 0;
		m->compression_level = 0;
		m->error_granularity = 0;
		m->number_of_sectors = le32(d + 16);
		m->has_guid = 0;
	} else {
		m->smart_layout = 0;
		m->has_media_type = 1;
		m->media_type = d[0];
		m->media_flags = d[36];
		m->compression_level = d[52];
		m->error_granularity = le32(d + 56);
		m->number_of_sectors = le64(d + 16);
		memcpy(m->guid, d + 64, 16);
		m->has_guid = !all_zero(m->guid, 16);
	}
	free(d);
	m->chunk_size = (uint64_t)m->sectors_per_chunk * m->bytes_per_sector;
	m->media_size = m->number_of_sectors * m->bytes_per_sector;
	m->has_volume = 1;
	if (is_data) {
		w->have_data = 1;
		w->data_seg = s->seg;
		w->data_off = s->offset;
		return FG_OK;
	}
	if (m->sectors_per_chunk == 0 || m->bytes_per_sector == 0 ||
	    m->chunk_size > INT32_MAX || m->number_of_chunks > INT32_MAX ||
	    (m->number_of_sectors != 0 &&
	     m->media_size / m->number_of_sectors != m->bytes_per_sector)) {
		m->has_volume = 0;
		return PROBLEM(s,
			       "%s: the '%s' section at offset %llu has "
			       "unusable media values: %u sectors per chunk, "
			       "%u bytes per sector, %u chunks, %llu sectors",
			       fg_path_base(s->path), s->type,
			       (unsigned long long)s->offset,
			       m->sectors_per_chunk, m->bytes_per_sector,
			       m->number_of_chunks,
			       (unsigned long long)m->number_of_sectors);
	}
	return FG_OK;
}

/* A 'data' section repeats the volume's values; 0 means not stated. */
static int compare_data(struct walk *w)
{
	const struct fg_ewf_meta *v = w->m, *d = &w->data;
	const char *what = NULL;

	if (!w->have_data || !v->has_volume)
		return FG_OK;
	if (d->media_type != 0 && d->media_type != v->media_type)
		what = "media type";
	else if (d->number_of_chunks != 0 &&
		 d->number_of_chunks != v->number_of_chunks)
		what = "number of chunks";
	else if (d->sectors_per_chunk != 0 &&
		 d->sectors_per_chunk != v->sectors_per_chunk)
		what = "sectors per chunk";
	else if (d->bytes_per_sector != 0 &&
		 d->bytes_per_sector != v->bytes_per_sector)
		what = "bytes per sector";
	else if (d->number_of_sectors != 0 &&
		 d->number_of_sectors != v->number_of_sectors)
		what = "number of sectors";
	else if (d->media_flags != 0 && d->media_flags != v->media_flags)
		what = "media flags";
	else if (d->has_guid && memcmp(d->guid, v->guid, 16) != 0)
		what = "set identifier";
	if (what == NULL)
		return FG_OK;
	return fg_ewf_map_add_problem(
		v->map, w->data_seg, w->data_off,
		"%s: the 'data' section at offset %llu gives another %s "
		"than the 'volume' section",
		fg_path_base(fg_ewf_map_path(v->map, w->data_seg)),
		(unsigned long long)w->data_off, what);
}

/* ---- hash, digest ---------------------------------------------------- */

static int read_hash(struct walk *w, const struct fg_ewf_section *s,
		     int digest)
{
	struct fg_ewf_meta *m = w->m;
	const size_t want = digest ? DIGEST_SIZE : HASH_SIZE;
	unsigned char *d = NULL;
	size_t len = 0;
	uint32_t sum;
	int rc;

	rc = section_data(s, want, want, &d, &len);
	if (rc != FG_OK || d == NULL)
		return rc;
	sum = adler(d, len - 4);
	if (le32(d + len - 4) != sum) {
		rc = checksum_problem(s, s->offset + DESC + len - 4,
				      le32(d + len - 4), sum);
		free(d);
		return rc;
	}
	/* libewf: the 'hash' MD5 before the 'digest' one; all zeros is
	 * none. */
	if (!all_zero(d, 16) && (!digest || !w->md5_from_hash)) {
		fg_hex(d, 16, m->md5);
		m->has_md5 = 1;
		if (!digest)
			w->md5_from_hash = 1;
	}
	if (digest && !all_zero(d + 16, 20)) {
		fg_hex(d + 16, 20, m->sha1);
		m->has_sha1 = 1;
	}
	free(d);
	return FG_OK;
}

/* ---- error2 ------------------------------------------------------------ */

static int cmp_range(const void *a, const void *b)
{
	const struct fg_ewf_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static int read_error2(struct walk *w, const struct fg_ewf_section *s)
{
	struct fg_ewf_meta *m = w->m;
	unsigned char *d = NULL;
	size_t len = 0, i, k;
	uint32_t n, sum;
	struct fg_ewf_range *r;
	int rc;

	rc = section_data(s, 0, ERROR2_HEADER + (size_t)MAX_ERRORS * 8 + 4,
			  &d, &len);
	if (rc != FG_OK || d == NULL)
		return rc;
	if (len < ERROR2_HEADER) {
		rc = PROBLEM(s,
			     "%s: the 'error2' section at offset %llu holds "
			     "%zu bytes, its header needs %d",
			     fg_path_base(s->path),
			     (unsigned long long)s->offset, len,
			     ERROR2_HEADER);
		goto out;
	}
	sum = adler(d, ERROR2_HEADER - 4);
	if (le32(d + ERROR2_HEADER - 4) != sum) {
		rc = checksum_problem(s, s->offset + DESC + ERROR2_HEADER - 4,
				      le32(d + ERROR2_HEADER - 4), sum);
		goto out;
	}
	n = le32(d);
	if (n > 0 && (n > MAX_ERRORS ||
		      len < ERROR2_HEADER + (size_t)n * 8 + 4)) {
		rc = PROBLEM(s,
			     "%s: the 'error2' section at offset %llu lists "
			     "%u errors, its %zu bytes hold fewer",
			     fg_path_base(s->path),
			     (unsigned long long)s->offset, n, len);
		goto out;
	}
	if (n > 0) {
		const unsigned char *e = d + ERROR2_HEADER;
		sum = adler(e, (size_t)n * 8);
		if (le32(e + (size_t)n * 8) != sum) {
			rc = checksum_problem(
				s,
				s->offset + DESC + ERROR2_HEADER +
					(uint64_t)n * 8,
				le32(e + (size_t)n * 8), sum);
			goto out;
		}
	}
	/* A later 'error2' replaces an earlier one (as libewf). */
	r = n > 0 ? calloc(n, sizeof(*r)) : NULL;
	if (n > 0 && r == NULL) {
		rc = FG_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		r[i].first = le32(d + ERROR2_HEADER + 8 * i);
		r[i].count = le32(d + ERROR2_HEADER + 8 * i + 4);
	}
	/* libewf keeps them in a range list: sorted, overlapping and
	 * touching ranges as one, empty ones dropped. */
	if (n > 1)
		qsort(r, n, sizeof(*r), cmp_range);
	for (i = 0, k = 0; i < n; i++) {
		if (r[i].count == 0)
			continue;
		if (k > 0 && r[i].first <= r[k - 1].first + r[k - 1].count) {
			uint64_t end = r[i].first + r[i].count;
			if (end > r[k - 1].first + r[k - 1].count)
				r[k - 1].count = end - r[k - 1].first;
			continue;
		}
		r[k++] = r[i];
	}
	free(m->errors);
	m->errors = r;
	m->nerrors = k;
out:
	free(d);
	return rc;
}

/* ---- header, header2 ----------------------------------------------------- */

/* Append code point c to t as UTF-8. */
static void put_utf8(struct fg_buf *t, uint32_t c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	fg_buf_put(t, u, n);
}

/* The text of a header (ASCII: other bytes become U+FFFD, as libewf's
 * ASCII codepage) or header2 (UTF-16LE, a byte-order mark dropped) as
 * UTF-8, up to the first NUL.  NULL when out of memory. */
static char *header_text(const unsigned char *p, size_t n, int utf16)
{
	struct fg_buf t;
	size_t i = 0;

	memset(&t, 0, sizeof(t));
	if (!utf16) {
		for (i = 0; i < n && p[i] != 0; i++)
			put_utf8(&t, p[i] < 0x80 ? p[i] : 0xfffd);
	} else {
		if (n >= 2 && p[0] == 0xff && p[1] == 0xfe)
			i = 2;
		for (; i + 1 < n; i += 2) {
			uint32_t c = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8;
			if (c == 0)
				break;
			if (c >= 0xd800 && c < 0xdc00 && i + 3 < n) {
				uint32_t lo = (uint32_t)p[i + 2] |
					      (uint32_t)p[i + 3] << 8;
				if (lo >= 0xdc00 && lo < 0xe000) {
					c = 0x10000 + ((c - 0xd800) << 10) +
					    (lo - 0xdc00);
					i += 2;
				} else {
					c = 0xfffd;
				}
			} else if (c >= 0xd800 && c < 0xe000) {
				c = 0xfffd;
			}
			put_utf8(&t, c);
		}
	}
	if (t.failed) {
		free(t.p);
		return NULL;
	}
	return t.p != NULL ? t.p : strdup("");
}

/* kind 0: 'header', 1: 'header2', 2: 'xheader' (checked, not kept). */
static int read_header(struct walk *w, const struct fg_ewf_section *s,
		       int kind)
{
	const char *name = fg_path_base(s->path);
	unsigned char *d = NULL, *out = NULL;
	size_t len = 0, cap = 0;
	z_stream z;
	int rc, zr;

	rc = section_data(s, 0, MAX_HEADER_PACKED, &d, &len);
	if (rc != FG_OK || d == NULL)
		return rc;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		free(d);
		return FG_ENOMEM;
	}
	z.next_in = d;
	z.avail_in = (uInt)len;
	do {
		unsigned char *p;
		size_t ncap = cap ? cap * 2 : len * 4 + 64;
		if (ncap > MAX_HEADER_TEXT)
			ncap = MAX_HEADER_TEXT;
		if (ncap <= cap) {
			zr = Z_BUF_ERROR;
			break;
		}
		p = realloc(out, ncap);
		if (p == NULL) {
			rc = FG_ENOMEM;
			goto out;
		}
		out = p;
		z.next_out = out + cap;
		z.avail_out = (uInt)(ncap - cap);
		cap = ncap;
		zr = inflate(&z, Z_FINISH);
	} while (zr == Z_BUF_ERROR && z.avail_out == 0);
	if (zr != Z_STREAM_END) {
		rc = PROBLEM(s,
			     "%s: the '%s' section at offset %llu is damaged: "
			     "%s",
			     name, s->type, (unsigned long long)s->offset,
			     zr == Z_DATA_ERROR && z.msg != NULL &&
					     strcmp(z.msg,
						    "incorrect data check") == 0
				     ? "Adler-32 mismatch of its text"
			     : zr == Z_BUF_ERROR && z.avail_in == 0
				     ? "its compressed text ends early"
			     : zr == Z_BUF_ERROR
				     ? "its text is larger than forage reads"
				     : "its compressed text cannot be inflated");
		goto out;
	}
	if (z.avail_in != 0) {
		/* libewf inflates the section whole and refuses leftovers. */
		rc = PROBLEM(s,
			     "%s: the '%s' section at offset %llu is damaged: "
			     "%u bytes follow the end of its compressed text",
			     name, s->type, (unsigned long long)s->offset,
			     z.avail_in);
		goto out;
	}
	/* Keep the first of each kind, and the first later copy that
	 * differs from it. */
	if (kind < 2 && (w->text[kind] == NULL || w->other[kind] == NULL)) {
		char *t = header_text(out, cap - z.avail_out, kind);
		if (t == NULL) {
			rc = FG_ENOMEM;
			goto out;
		}
		if (w->text[kind] == NULL) {
			w->text[kind] = t;
			w->text_seg[kind] = s->seg;
			w->text_off[kind] = s->offset;
		} else if (strcmp(t, w->text[kind]) != 0) {
			w->other[kind] = t;
			w->other_seg[kind] = s->seg;
			w->other_off[kind] = s->offset;
		} else {
			free(t);
		}
	}
	w->nheaders++;
	if (kind == 2)
		w->has_xheader = 1;
out:
	inflateEnd(&z);
	free(out);
	free(d);
	return rc;
}

/* ---- dates ------------------------------------------------------------- */

/* A decimal number of digits only, at most max. */
static int decimal(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	size_t i;

	*v = 0;
	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (*v > (max - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

/* Local time of t as libewf's ISO 8601 date: libewf goes from the stored
 * value to "YYYY MM DD hh mm ss" (local time) and, when asked, back
 * through mktime to local time again; the round trip is kept, so that a
 * time in a daylight-saving change comes out as libewf gives it. */
static int iso_date(time_t t, char *out, size_t len)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 10000 ||
	    tm.tm_year + 1900 < 1900 || tm.tm_sec > 59)
		return -1;
	tm.tm_isdst = -1;
	tm.tm_wday = 0;
	t = mktime(&tm);
	if (t == (time_t)-1 || localtime_r(&t, &tm) == NULL ||
	    tm.tm_year + 1900 > 10000 || tm.tm_year + 1900 < 1900)
		return -1;
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

/* A header date: "2026 2 13 9 41 0" (local time, header) or seconds
 * since 1970 (header2); NULL when libewf would not read it either. */
static char *header_date(const char *v)
{
	char buf[40];
	uint64_t x;
	time_t t;

	if (strchr(v, ' ') != NULL) {
		static const uint64_t lo[6] = {1900, 1, 1, 0, 0, 0};
		static const uint64_t hi[6] = {11899, 12, 31, 23, 59, 59};
		uint64_t f[6];
		struct tm tm;
		const char *p = v;
		int i;

		for (i = 0; i < 6; i++) {
			const char *e = strchr(p, ' ');
			size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
			if ((i == 5) != (e == NULL))
				return NULL;
			if ((i == 0 ? n < 4 : n < 1 || n > 2) ||
			    decimal(p, n, UINT32_MAX, &f[i]) != 0 ||
			    f[i] < lo[i] || f[i] > hi[i])
				return NULL;
			p = e != NULL ? e + 1 : p + n;
		}
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = (int)(f[0] - 1900);
		tm.tm_mon = (int)f[1] - 1;
		tm.tm_mday = (int)f[2];
		tm.tm_hour = (int)f[3];
		tm.tm_min = (int)f[4];
		tm.tm_sec = (int)f[5];
		tm.tm_isdst = -1;
		t = mktime(&tm);
		if (t == (time_t)-1)
			return NULL;
	} else {
		if (decimal(v, strlen(v), UINT64_MAX, &x) != 0 ||
		    x > (uint64_t)INT64_MAX)
			return NULL;
		t = (time_t)x;
	}
	if (iso_date(t, buf, sizeof(buf)) != 0)
		return NULL;
	return strdup(buf);
}

/* ---- header values ---------------------------------------------------- */

static int header_index(const char *id)
{
	int i;

	for (i = 0; i < FG_EWF_NHEADER; i++)
		if (strcmp(fg_ewf_header_ids[i], id) == 0)
			return i;
	return -1;
}

/* The identifier libewf gives a type of the header text, or NULL. */
static const char *type_id(const char *t)
{
	static const char *const map[][2] = {
		{"a", "description"},   {"c", "case_number"},
		{"e", "examiner_name"}, {"n", "evidence_number"},
		{"t", "notes"},		{"m", "acquiry_date"},
		{"u", "system_date"},	{"av", "acquiry_software_version"},
		{"ov", "acquiry_operating_system"},
		{"md", "model"},	{"sn", "serial_number"}};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], t) == 0)
			return map[i][1];
	return NULL;
}

/* The next field of *p up to sep (or the end), cut in place. */
static char *field(char **p, char sep)
{
	char *s = *p, *e;

	if (s == NULL)
		return NULL;
	e = strchr(s, sep);
	if (e != NULL) {
		*e = '\0';
		*p = e + 1;
	} else {
		*p = NULL;
	}
	return s;
}

static void drop_cr(char *s)
{
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '\r')
		s[n - 1] = '\0';
}

/* Set vals[] from one header text (kind 0: header, 1: header2), the one
 * at offset off of segment seg.  *whole is 0 when its lines are not a
 * header text's (a problem says so, no value is set). */
static int parse_header(struct walk *w, int kind, char *text, size_t seg,
			uint64_t off, char *vals[FG_EWF_NHEADER], int *whole)
{
	struct fg_ewf_meta *m = w->m;
	const char *what = kind ? "header2" : "header";
	char *p = text, *l[4], *tp, *vp;
	const char *why = NULL;
	size_t nt = 0, nv = 0;
	int i, rc = FG_OK;

	*whole = 0;
	for (i = 0; i < 4; i++) {
		l[i] = field(&p, '\n');
		if (l[i] == NULL) {
			why = "fewer than 4 lines";
			goto bad;
		}
	}
	drop_cr(l[0]);
	drop_cr(l[1]);
	if (strcmp(l[0], "1") != 0 && strcmp(l[0], "3") != 0) {
		why = "its first line is not \"1\" or \"3\"";
		goto bad;
	}
	if (strcmp(l[1], "main") != 0) {
		why = "its second line is not \"main\"";
		goto bad;
	}
	for (tp = l[2]; tp != NULL; nt++)
		field(&tp, '\t');
	for (vp = l[3]; vp != NULL; nv++)
		field(&vp, '\t');
	if (nt != nv) {
		why = "it has not as many values as value types";
		goto bad;
	}
	/* The fields are now NUL-separated in place. */
	*whole = 1;
	tp = l[2];
	vp = l[3];
	for (; nt > 0; nt--) {
		char *t = tp, *v = vp, *val;
		const char *id;
		int k;

		tp += strlen(tp) + 1;
		vp += strlen(vp) + 1;
		drop_cr(t);
		if (v[0] == '\0')
			continue; /* empty: not set */
		drop_cr(v);
		id = type_id(t);
		if (id == NULL || (k = header_index(id)) < 0)
			continue;
		if (strcmp(id, "acquiry_date") == 0 ||
		    strcmp(id, "system_date") == 0) {
			val = header_date(v);
			if (val == NULL) {
				char shown[60 * 4 + 1];

				fg_printable(shown, sizeof(shown), v,
					     strnlen(v, 60), 0);
				rc = fg_ewf_map_add_problem(
					m->map, seg, off,
					"%s: the '%s' section at offset %llu "
					"has a %s that is not a date: \"%s\"",
					fg_path_base(
						fg_ewf_map_path(m->map, seg)),
					what, (unsigned long long)off, id,
					shown);
				if (rc != FG_OK)
					return rc;
				continue;
			}
		} else {
			val = strdup(v);
			if (val == NULL)
				return FG_ENOMEM;
		}
		free(vals[k]);
		vals[k] = val;
	}
	return FG_OK;
bad:
	return fg_ewf_map_add_problem(
		m->map, seg, off, "%s: the '%s' section at offset %llu is damaged: %s",
		fg_path_base(fg_ewf_map_path(m->map, seg)), what,
		(unsigned long long)off, why);
}

static int same_value(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* The values of one kind of header text: the first copy's, over what
 * m holds; where a later copy differs, a problem names both, and each
 * value the two give differently is withheld.  disputed[] collects
 * those values over both kinds. */
static int set_header_values(struct walk *w, int kind,
			     int disputed[FG_EWF_NHEADER])
{
	struct fg_ewf_meta *m = w->m;
	char *second[FG_EWF_NHEADER];
	const char *what = kind ? "header2" : "header";
	size_t nd = 0;
	int k, rc, whole1, whole2 = 0;

	rc = parse_header(w, kind, w->text[kind], w->text_seg[kind],
			  w->text_off[kind], m->header, &whole1);
	if (rc != FG_OK || w->other[kind] == NULL)
		return rc;
	memset(second, 0, sizeof(second));
	/* Start the second from the same base (the 'header' values under
	 * a 'header2'), so that only what the two texts set is compared. */
	for (k = 0; k < FG_EWF_NHEADER && rc == FG_OK; k++)
		if (m->header[k] != NULL &&
		    (second[k] = strdup(m->header[k])) == NULL)
			rc = FG_ENOMEM;
	if (rc == FG_OK)
		rc = parse_header(w, kind, w->other[kind], w->other_seg[kind],
				  w->other_off[kind], second, &whole2);
	for (k = 0; k < FG_EWF_NHEADER; k++) {
		/* A copy that is not a header text at all was named by
		 * parse_header and is the damaged one: the other stands. */
		if (rc == FG_OK && !whole1 && whole2) {
			free(m->header[k]);
			m->header[k] = second[k];
			second[k] = NULL;
		} else if (rc == FG_OK && whole1 && whole2 &&
			   !same_value(m->header[k], second[k])) {
			disputed[k] = 1;
			nd++;
		}
		free(second[k]);
	}
	if (rc != FG_OK || !whole1 || !whole2)
		return rc;
	return fg_ewf_map_add_problem(
		m->map, w->other_seg[kind], w->other_off[kind],
		"%s: the '%s' section at offset %llu differs from the copy at "
		"offset %llu of %s: one of them is damaged; %zu value%s they "
		"give differently %s withheld",
		fg_path_base(fg_ewf_map_path(m->map, w->other_seg[kind])), what,
		(unsigned long long)w->other_off[kind],
		(unsigned long long)w->text_off[kind],
		fg_path_base(fg_ewf_map_path(m->map, w->text_seg[kind])), nd,
		nd == 1 ? "" : "s", nd == 1 ? "is" : "are");
}

/* ---- flavour ------------------------------------------------------------- */

/* libewf 20140813 names the flavour (libewf_handle_get_format) from what
 * it meets while opening the set, each step overwriting the last:
 *   - it starts from EnCase 5;
 *   - a 'volume'/'disk' of the 1052-byte layout met after exactly one
 *     header section (header, header2 or xheader, counting copies) gives
 *     EnCase 1, unless its media type is logical (0x0e);
 *   - then the first 'header' text: "3" on its first line gives linen 5,
 *     "1" EnCase 1; then, type by type in order: "av" as the 6th type
 *     linen 5, "md" as the 6th linen 6, "l" linen 7, "r" as the 9th
 *     EnCase 1, "r" as the 11th FTK Imager when no type so far ended with
 *     a carriage return, else EnCase 2 or 3 by the first character of the
 *     "av" value (neither when it is another);
 *   - then the first 'header2' text: "av" as the 6th type EnCase 4 ("1"
 *     on the first line) or EnCase 5 ("3"), "md" as the 6th EnCase 6,
 *     "l" EnCase 7;
 *   - an 'xheader' gives EWFX;
 *   - a 94-byte SMART (EWF-S01) 'volume' last gives SMART, whatever its
 *     signature says.
 * libewf gives up on a header text whose first line is not "1" or "3",
 * whose second is not "main", that has fewer than 4 lines or an empty
 * type; forage then decides nothing. */

/* The next tab-separated field of a line; 0 when there is none. */
struct fields {
	const char *p;
	size_t left;
	int done;
};

static int next_field(struct fields *c, const char **f, size_t *n)
{
	const char *t;

	if (c->done)
		return 0;
	*f = c->p;
	t = memchr(c->p, '\t', c->left);
	if (t == NULL) {
		*n = c->left;
		c->done = 1;
	} else {
		*n = (size_t)(t - c->p);
		c->left -= *n + 1;
		c->p = t + 1;
	}
	return 1;
}

/* Apply one header text (kind 0: header, 1: header2) to *fmt as libewf
 * does; *set when it assigned one.  -1 when libewf would not parse it. */
static int text_format(const char *text, int kind, uint8_t *fmt, int *set)
{
	const char *line[4], *p = text, *t, *v;
	size_t len[4], tn, vn, i;
	struct fields tf, vf;
	char version = 0, sections;
	int cr = 0;

	for (i = 0; i < 4; i++) {
		const char *e;
		if (p == NULL)
			return -1; /* fewer than 4 lines */
		e = strchr(p, '\n');
		line[i] = p;
		len[i] = e != NULL ? (size_t)(e - p) : strlen(p);
		p = e != NULL ? e + 1 : NULL;
	}
	for (i = 0; i < 2; i++) {
		if (len[i] == 0)
			return -1;
		if (line[i][len[i] - 1] == '\r')
			len[i]--;
	}
	if (len[0] != 1 || (line[0][0] != '1' && line[0][0] != '3') ||
	    len[1] != 4 || memcmp(line[1], "main", 4) != 0)
		return -1;
	sections = line[0][0];
	if (kind == 0) {
		*fmt = sections == '3' ? FG_EWF_FORMAT_LINEN5
				       : FG_EWF_FORMAT_ENCASE1;
		*set = 1;
	}
	tf.p = line[2];
	tf.left = len[2];
	tf.done = 0;
	vf.p = line[3];
	vf.left = len[3];
	vf.done = 0;
	for (i = 0; next_field(&tf, &t, &tn); i++) {
		if (tn == 0)
			return -1; /* an empty type */
		if (t[tn - 1] == '\r') {
			tn--;
			cr = 1;
		}
		if (!next_field(&vf, &v, &vn))
			vn = 0;
		else if (vn > 0 && v[vn - 1] == '\r')
			vn--;
		if (tn == 2 && memcmp(t, "av", 2) == 0) {
			if (i == 5 && kind == 0) {
				*fmt = FG_EWF_FORMAT_LINEN5;
				*set = 1;
			} else if (i == 5 && sections == '1') {
				*fmt = FG_EWF_FORMAT_ENCASE4;
				*set = 1;
			} else if (i == 5) {
				*fmt = FG_EWF_FORMAT_ENCASE5;
				*set = 1;
			}
			if (vn > 0)
				version = v[0];
		} else if (tn == 2 && memcmp(t, "md", 2) == 0 && i == 5) {
			*fmt = kind == 0 ? FG_EWF_FORMAT_LINEN6
					 : FG_EWF_FORMAT_ENCASE6;
			*set = 1;
		} else if (tn == 1 && t[0] == 'l') {
			*fmt = kind == 0 ? FG_EWF_FORMAT_LINEN7
					 : FG_EWF_FORMAT_ENCASE7;
			*set = 1;
		} else if (tn == 1 && t[0] == 'r' && kind == 0 && i == 8) {
			*fmt = FG_EWF_FORMAT_ENCASE1;
		} else if (tn == 1 && t[0] == 'r' && kind == 0 && i == 10) {
			if (!cr)
				*fmt = FG_EWF_FORMAT_FTK_IMAGER;
			else if (version == '2')
				*fmt = FG_EWF_FORMAT_ENCASE2;
			else if (version == '3')
				*fmt = FG_EWF_FORMAT_ENCASE3;
		}
	}
	return 0;
}

/* A 'volume'/'disk' read without a problem, as libewf goes on from it. */
static void volume_format(struct walk *w)
{
	const struct fg_ewf_meta *m = w->m;

	w->s01 = m->smart_layout;
	w->l01 = !m->smart_layout && m->media_type == 0x0e;
	if (!w->s01 && !w->l01 && w->nheaders == 1) {
		w->format = FG_EWF_FORMAT_ENCASE1;
		w->format_set = 1;
	}
}

/* The flavour once the walk is over, or 0 when it cannot be decided. */
static uint8_t decide_format(struct walk *w, const struct fg_ewf_map *map)
{
	uint8_t fmt = w->format;
	int set = w->format_set, k;

	/* A problem the other sections do not account for is one of the
	 * walker's (a descriptor, a truncation, the set's order): a
	 * section that decides could be the one not read. */
	if (w->format_lost ||
	    fg_ewf_map_problem_count(map) != w->other_problems ||
	    fg_ewf_map_missing_next(map) || !w->m->has_volume || w->l01)
		return 0;
	for (k = 0; k < 2; k++)
		if (w->text[k] != NULL &&
		    text_format(w->text[k], k, &fmt, &set) != 0)
			return 0;
	if (w->has_xheader) {
		fmt = FG_EWF_FORMAT_EWFX;
		set = 1;
	}
	if (w->s01) {
		fmt = FG_EWF_FORMAT_SMART;
		set = 1;
	}
	return set ? fmt : 0;
}

/* ---- table2 ------------------------------------------------------------- */

/* The walker reads a 'table2' only in place of a damaged 'table'; its
 * header checksum is checked here, as libewf does. */
static int check_table2(const struct fg_ewf_section *s)
{
	unsigned char th[24];
	uint32_t sum;

	if (s->offset + DESC + sizeof(th) > s->file_size ||
	    s->next < s->offset + DESC + sizeof(th))
		return FG_OK; /* the walker reports it */
	if (fg_fd_pread_full(s->fd, th, sizeof(th), s->offset + DESC) !=
	    (ssize_t)sizeof(th))
		return PROBLEM(s, "%s: read error at offset %llu: %s",
			       fg_path_base(s->path),
			       (unsigned long long)(s->offset + DESC),
			       strerror(errno));
	sum = adler(th, 20);
	if (le32(th + 20) == sum)
		return FG_OK;
	return checksum_problem(s, s->offset + DESC + 20, le32(th + 20), sum);
}

/* ---- the walk ------------------------------------------------------------ */

static int visit_section(struct walk *w, const struct fg_ewf_section *s)
{
	if (strcmp(s->type, "volume") == 0 || strcmp(s->type, "disk") == 0)
		return read_volume(w, s, 0);
	if (strcmp(s->type, "data") == 0)
		return read_volume(w, s, 1);
	if (strcmp(s->type, "hash") == 0)
		return read_hash(w, s, 0);
	if (strcmp(s->type, "digest") == 0)
		return read_hash(w, s, 1);
	if (strcmp(s->type, "error2") == 0)
		return read_error2(w, s);
	if (strcmp(s->type, "header") == 0)
		return read_header(w, s, 0);
	if (strcmp(s->type, "header2") == 0)
		return read_header(w, s, 1);
	if (strcmp(s->type, "xheader") == 0)
		return read_header(w, s, 2);
	if (strcmp(s->type, "table2") == 0)
		return check_table2(s);
	return FG_OK;
}

/* Each section, and what it means for the flavour. */
static int visit(void *ctx, const struct fg_ewf_section *s)
{
	struct walk *w = ctx;
	size_t before = fg_ewf_map_problem_count(s->map), added;
	int rc = visit_section(w, s), volume, header;

	volume = strcmp(s->type, "volume") == 0 ||
		 strcmp(s->type, "disk") == 0;
	header = strcmp(s->type, "header") == 0 ||
		 strcmp(s->type, "header2") == 0 ||
		 strcmp(s->type, "xheader") == 0;
	added = fg_ewf_map_problem_count(s->map) - before;
	if (added > 0 && (volume || header))
		w->format_lost = 1;
	else if (added > 0)
		w->other_problems += added;
	else if (volume && rc == FG_OK)
		volume_format(w);
	return rc;
}

static void free_texts(struct walk *w)
{
	int k;

	for (k = 0; k < 2; k++) {
		free(w->text[k]);
		free(w->other[k]);
	}
}

int fg_ewf_meta_open(struct fg_ewf_meta **out, const char *const *paths,
		     size_t n, struct fg_error *err)
{
	struct walk w;
	struct fg_ewf_map *map = NULL;
	int disputed[FG_EWF_NHEADER] = {0};
	int rc, k;

	*out = NULL;
	memset(&w, 0, sizeof(w));
	w.format = FG_EWF_FORMAT_ENCASE5;
	w.m = calloc(1, sizeof(*w.m));
	if (w.m == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	rc = fg_ewf_map_walk(&map, paths, n, visit, &w, err);
	if (rc != FG_OK)
		goto fail;
	w.m->map = map;
	w.m->format = decide_format(&w, map);
	if (n > 0 && !w.m->has_volume &&
	    fg_ewf_map_add_problem(map, 0, 0,
				   "%s: the set has no readable 'volume' or "
				   "'disk' section: no media values",
				   fg_path_base(paths[0])) != FG_OK)
		goto nomem;
	if (compare_data(&w) != FG_OK)
		goto nomem;
	/* The segments after a damaged one, placed from the end of the set:
	 * the media's number of chunks, when its two statements agree. */
	if (fg_ewf_map_place(map, w.m->number_of_chunks,
			     w.m->has_volume && w.m->chunk_size > 0 &&
				     w.m->number_of_chunks ==
					     (w.m->media_size +
					      w.m->chunk_size - 1) /
						     w.m->chunk_size) != FG_OK)
		goto nomem;
	if (n > 0 && w.text[0] == NULL && w.text[1] == NULL &&
	    fg_ewf_map_add_problem(map, 0, 0,
				   "%s: the set has no readable 'header' or "
				   "'header2' section: no header values",
				   fg_path_base(paths[0])) != FG_OK)
		goto nomem;
	/* header first, then header2 over it (as libewf). */
	for (k = 0; k < 2; k++) {
		if (w.text[k] == NULL)
			continue;
		if (k == 0)
			w.m->has_header = 1;
		else
			w.m->has_header2 = 1;
		if (set_header_values(&w, k, disputed) != FG_OK)
			goto nomem;
	}
	for (k = 0; k < FG_EWF_NHEADER; k++)
		if (disputed[k]) {
			free(w.m->header[k]);
			w.m->header[k] = NULL;
		}
	free_texts(&w);
	*out = w.m;
	return FG_OK;
nomem:
	rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
fail:
	free_texts(&w);
	w.m->map = map;
	fg_ewf_meta_free(w.m);
	return rc;
}

const char *fg_ewf_meta_header(const struct fg_ewf_meta *m, const char *id)
{
	int k = header_index(id);

	return k < 0 ? NULL : m->header[k];
}

void fg_ewf_meta_free(struct fg_ewf_meta *m)
{
	int i;

	if (m == NULL)
		return;
	for (i = 0; i < FG_EWF_NHEADER; i++)
		free(m->header[i]);
	free(m->errors);
	fg_ewf_map_free(m->map);
	free(m);
}
