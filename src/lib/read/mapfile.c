/*
 * mapfile.c - the acquisition map and its GNU ddrescue mapfile text (see
 * mapfile.h).
 *
 * The map is a sorted array of extents covering [0, size) with no two
 * neighbours of one status.  fg_map_set replaces the extents it touches by
 * at most three (left rest, new, right rest), merged with the neighbours:
 * O(log n) to find, O(n) to move the tail, which is what ddrescue does too
 * and fine for the few thousand extents a failing drive gives.  Byte
 * totals per status are kept on the way, so progress is O(1).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <forage/mapfile.h>
#include <forage/record.h>

#define MAP_MAX_FILE  (256u << 20)
#define MAP_MAX_VALUE ((uint64_t)INT64_MAX) /* ddrescue's long long */

struct fg_map {
	uint64_t base, size;
	struct fg_map_extent *e;
	size_t n, cap;
	uint64_t bytes[5];
	uint64_t cur_pos;
	char cur_phase;
	unsigned cur_pass;
};

static const char block_statuses[] = "?*/-+";
static const char phase_statuses[] = "?*/-FG+";

static int st_index(char c)
{
	const char *p = c != '\0' ? strchr(block_statuses, c) : NULL;

	return p != NULL ? (int)(p - block_statuses) : -1;
}

static int grow(struct fg_map *m, size_t need)
{
	struct fg_map_extent *ne;
	size_t ncap;

	if (need <= m->cap)
		return FG_OK;
	ncap = m->cap ? m->cap : 16;
	while (ncap < need)
		ncap *= 2;
	ne = realloc(m->e, ncap * sizeof(*ne));
	if (ne == NULL)
		return FG_ENOMEM;
	m->e = ne;
	m->cap = ncap;
	return FG_OK;
}

int fg_map_new(struct fg_map **out, uint64_t base, uint64_t size,
	       struct fg_error *err)
{
	struct fg_map *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (m == NULL || grow(m, 16) != FG_OK) {
		free(m);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	m->base = base;
	m->size = size;
	m->cur_phase = FG_MAP_NONTRIED;
	m->cur_pass = 1;
	if (size > 0) {
		m->e[0].pos = 0;
		m->e[0].size = size;
		m->e[0].status = FG_MAP_NONTRIED;
		m->n = 1;
		m->bytes[0] = size;
	}
	*out = m;
	return FG_OK;
}

void fg_map_free(struct fg_map *m)
{
	if (m == NULL)
		return;
	free(m->e);
	free(m);
}

/* Index of the extent holding pos (pos < size, n > 0). */
static size_t find(const struct fg_map *m, uint64_t pos)
{
	size_t lo = 0, hi = m->n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (m->e[mid].pos <= pos)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

int fg_map_set(struct fg_map *m, uint64_t pos, uint64_t len, char st)
{
	struct fg_map_extent nw[3], out[3];
	size_t i, j, first, last, k = 0, kk = 0, t, cnt;
	uint64_t jend;

	if (st_index(st) < 0)
		return FG_EINVAL;
	if (len == 0)
		return FG_OK;
	if (pos > m->size || len > m->size - pos)
		return FG_EINVAL;
	i = find(m, pos);
	j = find(m, pos + len - 1);
	if (m->e[i].pos < pos) {
		nw[k].pos = m->e[i].pos;
		nw[k].size = pos - m->e[i].pos;
		nw[k++].status = m->e[i].status;
	}
	nw[k].pos = pos;
	nw[k].size = len;
	nw[k++].status = st;
	jend = m->e[j].pos + m->e[j].size;
	if (jend > pos + len) {
		nw[k].pos = pos + len;
		nw[k].size = jend - (pos + len);
		nw[k++].status = m->e[j].status;
	}
	/* Merge the pieces among themselves, then with the neighbours. */
	out[kk++] = nw[0];
	for (t = 1; t < k; t++) {
		if (nw[t].status == out[kk - 1].status)
			out[kk - 1].size += nw[t].size;
		else
			out[kk++] = nw[t];
	}
	first = i;
	last = j;
	if (first > 0 && m->e[first - 1].status == out[0].status) {
		first--;
		out[0].pos = m->e[first].pos;
		out[0].size += m->e[first].size;
	}
	if (last + 1 < m->n && m->e[last + 1].status == out[kk - 1].status) {
		last++;
		out[kk - 1].size += m->e[last].size;
	}
	cnt = last - first + 1;
	if (kk > cnt && grow(m, m->n - cnt + kk) != FG_OK)
		return FG_ENOMEM;
	for (t = first; t <= last; t++)
		m->bytes[st_index(m->e[t].status)] -= m->e[t].size;
	for (t = 0; t < kk; t++)
		m->bytes[st_index(out[t].status)] += out[t].size;
	memmove(m->e + first + kk, m->e + last + 1,
		(m->n - last - 1) * sizeof(*m->e));
	memcpy(m->e + first, out, kk * sizeof(*out));
	m->n = m->n - cnt + kk;
	return FG_OK;
}

void fg_map_set_current(struct fg_map *m, uint64_t pos, char phase,
			unsigned pass)
{
	m->cur_pos = pos;
	m->cur_phase = phase;
	m->cur_pass = pass > 0 ? pass : 1;
}

uint64_t fg_map_base(const struct fg_map *m)
{
	return m->base;
}

uint64_t fg_map_size(const struct fg_map *m)
{
	return m->size;
}

void fg_map_current(const struct fg_map *m, uint64_t *pos, char *phase,
		    unsigned *pass)
{
	*pos = m->cur_pos;
	*phase = m->cur_phase;
	*pass = m->cur_pass;
}

char fg_map_status(const struct fg_map *m, uint64_t pos, uint64_t *end)
{
	size_t i;

	if (pos >= m->size || m->n == 0) {
		if (end != NULL)
			*end = m->size;
		return '\0';
	}
	i = find(m, pos);
	if (end != NULL)
		*end = m->e[i].pos + m->e[i].size;
	return m->e[i].status;
}

int fg_map_next(const struct fg_map *m, uint64_t from, const char *statuses,
		uint64_t *pos, uint64_t *end)
{
	size_t i;

	if (from >= m->size || m->n == 0)
		return 0;
	for (i = find(m, from); i < m->n; i++) {
		if (strchr(statuses, m->e[i].status) == NULL)
			continue;
		*pos = m->e[i].pos > from ? m->e[i].pos : from;
		*end = m->e[i].pos + m->e[i].size;
		return 1;
	}
	return 0;
}

uint64_t fg_map_bytes(const struct fg_map *m, char st)
{
	int i = st_index(st);

	return i < 0 ? 0 : m->bytes[i];
}

size_t fg_map_count(const struct fg_map *m)
{
	return m->n;
}

const struct fg_map_extent *fg_map_extent(const struct fg_map *m, size_t i)
{
	return i < m->n ? &m->e[i] : NULL;
}

const char *fg_map_phase_text(char phase, unsigned pass, char *buf, size_t len)
{
	switch (phase) {
	case FG_MAP_NONTRIED:
		snprintf(buf, len,
			 "Copying non-tried blocks... Pass %u "
			 "(forwards)",
			 pass);
		break;
	case FG_MAP_NONTRIMMED:
		snprintf(buf, len, "Trimming failed blocks... (forwards)");
		break;
	case FG_MAP_NONSCRAPED:
		snprintf(buf, len, "Scraping failed blocks... (forwards)");
		break;
	case FG_MAP_BAD:
		snprintf(buf, len,
			 "Retrying bad sectors... Retry %u "
			 "(forwards)",
			 pass);
		break;
	case FG_MAP_PHASE_FILL:
		snprintf(buf, len, "Filling unreadable sectors...");
		break;
	case FG_MAP_FINISHED: snprintf(buf, len, "Finished"); break;
	default: snprintf(buf, len, "Status '%c'", phase);
	}
	return buf;
}

/* ---- Text -------------------------------------------------------------- */

struct tbuf {
	char *p;
	size_t len, cap;
	int failed;
};

static void tput(struct tbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void tput(struct tbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	for (;;) {
		size_t room = b->cap - b->len;
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = 1;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		{
			size_t ncap = b->cap * 2 + (size_t)n;
			char *np = realloc(b->p, ncap);
			if (np == NULL) {
				b->failed = 1;
				return;
			}
			b->p = np;
			b->cap = ncap;
		}
	}
}

char *fg_map_format(const struct fg_map *m, const char *comments)
{
	struct tbuf b = {NULL, 0, 0, 0};
	char phase[96];
	size_t i;

	b.cap = 256 + m->n * 40 + (comments ? strlen(comments) : 0);
	b.p = malloc(b.cap);
	if (b.p == NULL)
		return NULL;
	b.p[0] = '\0';
	if (comments != NULL)
		tput(&b, "%s", comments);
	tput(
	    &b, "# %s\n",
	    fg_map_phase_text(m->cur_phase, m->cur_pass, phase, sizeof(phase)));
	tput(&b, "# current_pos  current_status  current_pass\n");
	tput(&b, "0x%08" PRIX64 "     %c               %u\n",
	     m->base + m->cur_pos, m->cur_phase, m->cur_pass);
	tput(&b, "#      pos        size  status\n");
	for (i = 0; i < m->n; i++)
		tput(&b, "0x%08" PRIX64 "  0x%08" PRIX64 "  %c\n",
		     m->base + m->e[i].pos, m->e[i].size, m->e[i].status);
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* A non-negative integer as ddrescue reads them (strtoll base 0: decimal,
 * 0x hex, leading-0 octal), no sign, at most INT64_MAX.  0 or -1. */
static int parse_num(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (len == 0)
		return -1;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	for (; i < len; i++) {
		unsigned d;
		char c = s[i];
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		if (d >= base)
			return -1;
		if (v > (MAP_MAX_VALUE - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

struct tok {
	const char *p;
	size_t len;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Split line [p, end) into at most 4 tokens (a 4th means too many); a
 * token that starts with '#' ends the line.  Returns the count. */
static int split(const char *p, const char *end, struct tok *t)
{
	int n = 0;

	while (p < end && n < 4) {
		while (p < end && is_space(*p))
			p++;
		if (p == end || *p == '#')
			break;
		t[n].p = p;
		while (p < end && !is_space(*p))
			p++;
		t[n].len = (size_t)(p - t[n].p);
		n++;
	}
	return n;
}

/* Quote a token for a message: at most 40 bytes, non-printing as '?'. */
static const char *show(const struct tok *t, char *buf, size_t len)
{
	size_t i, n = t->len < 40 ? t->len : 40;

	if (len < n + 4)
		n = len - 4;
	for (i = 0; i < n; i++)
		buf[i] = (t->p[i] >= 0x20 && t->p[i] < 0x7f) ? t->p[i] : '?';
	if (n < t->len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

int fg_map_parse(struct fg_map **out, const char *text, size_t len,
		 const char *name, struct fg_error *err)
{
	struct fg_map *m = NULL;
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	int have_status = 0, rc;
	uint64_t cur_pos = 0, next = 0;
	unsigned cur_pass = 1;
	char cur_phase = FG_MAP_NONTRIED, sh[48];

	*out = NULL;
	if (memchr(text, '\0', len) != NULL)
		return fg_error_set(err, FG_EFORMAT, 0,
				    "%s: has a NUL byte: not a mapfile (a "
				    "text file)",
				    name);
	rc = fg_map_new(&m, 0, 0, err);
	if (rc != FG_OK)
		return rc;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl != NULL ? nl : end;
		struct tok t[4];
		int n = split(p, le, t);
		uint64_t a, b;

		lineno++;
		p = nl != NULL ? nl + 1 : end;
		if (n == 0)
			continue;
		if (!have_status) {
			if (n < 2 || n > 3) {
				rc = fg_error_set(err, FG_EFORMAT, 0,
						  "%s:%u: the status line must "
						  "be 'POSITION STATUS [PASS]'",
						  name, lineno);
				goto fail;
			}
			if (parse_num(t[0].p, t[0].len, &a) != 0) {
				rc = fg_error_set(err, FG_EFORMAT, 0,
						  "%s:%u: current position "
						  "'%s' is not a number",
						  name, lineno,
						  show(&t[0], sh, sizeof(sh)));
				goto fail;
			}
			if (t[1].len != 1 ||
			    strchr(phase_statuses, t[1].p[0]) == NULL) {
				rc = fg_error_set(err, FG_EFORMAT, 0,
						  "%s:%u: current status '%s' "
						  "is not one of ? * / - F G +",
						  name, lineno,
						  show(&t[1], sh, sizeof(sh)));
				goto fail;
			}
			if (n == 3) {
				int bad =
				    t[2].p[0] < '1' || t[2].p[0] > '9' ||
				    parse_num(t[2].p, t[2].len, &b) != 0 ||
				    b > 1000000;
				if (bad) {
					rc = fg_error_set(
					    err, FG_EFORMAT, 0,
					    "%s:%u: current pass '%s' is "
					    "not a decimal number from 1 "
					    "to 1000000",
					    name, lineno,
					    show(&t[2], sh, sizeof(sh)));
					goto fail;
				}
				cur_pass = (unsigned)b;
			}
			cur_pos = a;
			cur_phase = t[1].p[0];
			have_status = 1;
			continue;
		}
		if (n != 3) {
			rc = fg_error_set(err, FG_EFORMAT, 0,
					  "%s:%u: a block line must be "
					  "'POSITION SIZE STATUS' (found %s "
					  "field%s)",
					  name, lineno,
					  n > 3 ? "more than 3"
						: (n == 2 ? "2" : "1"),
					  n == 1 ? "" : "s");
			goto fail;
		}
		if (parse_num(t[0].p, t[0].len, &a) != 0) {
			rc = fg_error_set(err, FG_EFORMAT, 0,
					  "%s:%u: block position '%s' is not "
					  "a number",
					  name, lineno,
					  show(&t[0], sh, sizeof(sh)));
			goto fail;
		}
		if (parse_num(t[1].p, t[1].len, &b) != 0 || b == 0) {
			rc = fg_error_set(err, FG_EFORMAT, 0,
					  "%s:%u: block size '%s' is not a "
					  "number greater than 0",
					  name, lineno,
					  show(&t[1], sh, sizeof(sh)));
			goto fail;
		}
		if (t[2].len != 1 || st_index(t[2].p[0]) < 0) {
			rc = fg_error_set(err, FG_EFORMAT, 0,
					  "%s:%u: block status '%s' is not "
					  "one of ? * / - +",
					  name, lineno,
					  show(&t[2], sh, sizeof(sh)));
			goto fail;
		}
		if (m->n == 0 && m->size == 0) {
			m->base = a;
			next = a;
		}
		if (a != next) {
			rc = fg_error_set(err, FG_EFORMAT, 0,
					  "%s:%u: block at 0x%" PRIX64
					  " does not follow the previous "
					  "block, which ends at 0x%" PRIX64
					  " (blocks must be contiguous)",
					  name, lineno, a, next);
			goto fail;
		}
		if (b > MAP_MAX_VALUE - a) {
			rc = fg_error_set(err, FG_EFORMAT, 0,
					  "%s:%u: block at 0x%" PRIX64
					  " of size 0x%" PRIX64
					  " ends past the largest position",
					  name, lineno, a, b);
			goto fail;
		}
		/* Append (merging a neighbour of the same status). */
		if (m->n > 0 && m->e[m->n - 1].status == t[2].p[0]) {
			m->e[m->n - 1].size += b;
		} else {
			if (grow(m, m->n + 1) != FG_OK) {
				rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
						  "out of memory");
				goto fail;
			}
			m->e[m->n].pos = a - m->base;
			m->e[m->n].size = b;
			m->e[m->n].status = t[2].p[0];
			m->n++;
		}
		m->bytes[st_index(t[2].p[0])] += b;
		m->size += b;
		next = a + b;
	}
	if (!have_status) {
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "%s: no status line: not a mapfile", name);
		goto fail;
	}
	if (m->n == 0)
		m->base = cur_pos; /* an empty source: nothing to read */
	if (cur_pos < m->base || cur_pos > m->base + m->size) {
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "%s: current position 0x%" PRIX64
				  " is outside the blocks (0x%" PRIX64
				  " to 0x%" PRIX64 ")",
				  name, cur_pos, m->base, m->base + m->size);
		goto fail;
	}
	fg_map_set_current(m, cur_pos - m->base, cur_phase, cur_pass);
	*out = m;
	return FG_OK;
fail:
	fg_map_free(m);
	return rc;
}

int fg_map_write(const struct fg_map *m, const char *path, const char *comments,
		 int replace, struct fg_error *err)
{
	char *text = fg_map_format(m, comments);
	int rc;

	if (text == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	rc = fg_write_file_atomic(path, text, strlen(text), replace, err);
	free(text);
	return rc;
}

int fg_map_load(struct fg_map **out, const char *path, struct fg_error *err)
{
	struct stat st;
	char *text = NULL;
	ssize_t got;
	size_t len, done = 0;
	int fd, rc;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fg_error_set(err, FG_ESOURCE, errno,
				    "%s: cannot open mapfile: %s", path,
				    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = fg_error_set(err, FG_EFORMAT, errno,
				  "%s: mapfile is not a regular file", path);
		goto out;
	}
	if ((uint64_t)st.st_size > MAP_MAX_FILE) {
		rc = fg_error_set(err, FG_EFORMAT, 0,
				  "%s: mapfile of %lld bytes is larger than "
				  "the %u MiB forage reads",
				  path, (long long)st.st_size,
				  MAP_MAX_FILE >> 20);
		goto out;
	}
	len = (size_t)st.st_size;
	text = malloc(len + 1);
	if (text == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	while (done < len) {
		got = read(fd, text + done, len - done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = fg_error_set(err, FG_ESOURCE, errno,
					  "%s: cannot read mapfile: %s", path,
					  strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		done += (size_t)got;
	}
	rc = fg_map_parse(out, text, done, path, err);
out:
	free(text);
	close(fd);
	return rc;
}
