/* test_mapfile.c - the acquisition map against a byte-per-byte model, the
 * GNU ddrescue mapfile text both ways, exact rejections (file, line,
 * cause), and a cheap fuzz of the parser (random and mutated mapfiles;
 * run under ASan/UBSan by test-all.sh). */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include <forage/mapfile.h>

#include "unit.h"

/* Extents cover [0, size) in order, no empty ones, no two neighbours of
 * one status, totals right. */
static int map_ok(const struct fg_map *m)
{
	uint64_t pos = 0, tot[256] = {0};
	size_t i;
	const char *s;

	for (i = 0; i < fg_map_count(m); i++) {
		const struct fg_map_extent *e = fg_map_extent(m, i);
		if (e->pos != pos || e->size == 0 ||
		    strchr("?*/-+", e->status) == NULL)
			return 0;
		if (i > 0 && fg_map_extent(m, i - 1)->status == e->status)
			return 0;
		tot[(unsigned char)e->status] += e->size;
		pos += e->size;
	}
	if (pos != fg_map_size(m))
		return 0;
	for (s = "?*/-+"; *s; s++)
		if (fg_map_bytes(m, *s) != tot[(unsigned char)*s])
			return 0;
	return 1;
}

static unsigned rnd_state = 12345;
static unsigned rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) & 0x7fff;
}

static void test_set_against_model(void)
{
	enum { N = 997 };
	static char model[N];
	struct fg_map *m = NULL;
	struct fg_error err;
	int k, bad = 0;
	uint64_t p, end;

	CHECK(fg_map_new(&m, 4096, N, &err) == FG_OK);
	memset(model, '?', sizeof(model));
	CHECK(map_ok(m) && fg_map_count(m) == 1);
	for (k = 0; k < 20000 && !bad; k++) {
		uint64_t pos = rnd() % N, len = rnd() % 40;
		char st = "?*/-+"[rnd() % 5];
		if (k % 500 == 0) {
			pos = 0;
			len = N; /* the whole map now and then */
		}
		if (pos + len > N)
			len = N - pos;
		if (fg_map_set(m, pos, len, st) != FG_OK) {
			bad = 1;
			break;
		}
		memset(model + pos, st, len);
		if (!map_ok(m))
			bad = 1;
		for (p = 0; p < N && !bad; p = end) {
			char got = fg_map_status(m, p, &end);
			uint64_t q;
			for (q = p; q < end; q++)
				if (model[q] != got)
					bad = 1;
		}
	}
	CHECK(!bad);
	/* Out of range and unknown statuses leave the map alone. */
	CHECK(fg_map_set(m, N - 1, 2, '+') == FG_EINVAL);
	CHECK(fg_map_set(m, 0, 1, 'x') == FG_EINVAL);
	CHECK(fg_map_set(m, N, 0, '+') == FG_OK);
	CHECK(map_ok(m));
	fg_map_free(m);
}

static void test_next(void)
{
	struct fg_map *m = NULL;
	struct fg_error err;
	uint64_t a, e;

	CHECK(fg_map_new(&m, 0, 1000, &err) == FG_OK);
	fg_map_set(m, 0, 1000, '+');
	fg_map_set(m, 100, 10, '-');
	fg_map_set(m, 500, 20, '*');
	fg_map_set(m, 520, 5, '/');
	CHECK(fg_map_next(m, 0, "-", &a, &e) == 1 && a == 100 && e == 110);
	CHECK(fg_map_next(m, 105, "-", &a, &e) == 1 && a == 105 && e == 110);
	CHECK(fg_map_next(m, 110, "-", &a, &e) == 0);
	CHECK(fg_map_next(m, 0, "*/", &a, &e) == 1 && a == 500 && e == 520);
	CHECK(fg_map_next(m, 520, "*/", &a, &e) == 1 && a == 520 && e == 525);
	CHECK(fg_map_next(m, 1000, "+", &a, &e) == 0);
	CHECK(fg_map_bytes(m, '+') == 965);
	fg_map_free(m);
}

static void test_round_trip(void)
{
	struct fg_map *m = NULL, *m2 = NULL;
	struct fg_error err;
	char *text;
	uint64_t pos;
	char ph;
	unsigned pass;
	size_t i;

	CHECK(fg_map_new(&m, 1048576, 8 * 1048576, &err) == FG_OK);
	fg_map_set(m, 0, 3 * 1048576, '+');
	fg_map_set(m, 1048576, 512, '-');
	fg_map_set(m, 4 * 1048576, 1048576, '*');
	fg_map_set_current(m, 4 * 1048576, '-', 2);
	text = fg_map_format(m, "# Mapfile. Created by a test\n");
	CHECK(text != NULL);
	CHECK(strstr(text, "# Retrying bad sectors... Retry 2 (forwards)") !=
	      NULL);
	CHECK(strstr(text, "\n0x00500000     -               2\n") != NULL);
	CHECK(strstr(text, "\n0x00200000  0x00000200  -\n") != NULL);
	CHECK_MSG(fg_map_parse(&m2, text, strlen(text), "t.map", &err) == FG_OK,
		  &err);
	CHECK(fg_map_base(m2) == 1048576 && fg_map_size(m2) == 8 * 1048576);
	CHECK(fg_map_count(m2) == fg_map_count(m));
	for (i = 0; i < fg_map_count(m); i++) {
		const struct fg_map_extent *a = fg_map_extent(m, i);
		const struct fg_map_extent *b = fg_map_extent(m2, i);
		CHECK(a->pos == b->pos && a->size == b->size &&
		      a->status == b->status);
	}
	fg_map_current(m2, &pos, &ph, &pass);
	CHECK(pos == 4 * 1048576 && ph == '-' && pass == 2);
	/* Write and load through a file. */
	CHECK_MSG(fg_map_write(m, "t.map", "# x\n", 0, &err) == FG_OK, &err);
	CHECK(fg_map_write(m, "t.map", "# x\n", 0, &err) == FG_EEXIST);
	CHECK_MSG(fg_map_write(m, "t.map", "# y\n", 1, &err) == FG_OK, &err);
	fg_map_free(m2);
	m2 = NULL;
	CHECK_MSG(fg_map_load(&m2, "t.map", &err) == FG_OK, &err);
	CHECK(m2 != NULL && fg_map_count(m2) == fg_map_count(m));
	fg_map_free(m2);
	m2 = NULL;
	CHECK(fg_map_load(&m2, "missing.map", &err) == FG_ESOURCE);
	CHECK(strstr(err.msg, "missing.map: cannot open mapfile: No such "
			      "file") != NULL);
	mkdir("dir.map", 0755);
	CHECK(fg_map_load(&m2, "dir.map", &err) == FG_EFORMAT);
	free(text);
	fg_map_free(m);
}

/* What ddrescue writes, and what its manual allows: comments after
 * whitespace, an old two-field status line, decimal and octal, CRLF. */
static void test_accepts(void)
{
	static const char *ok[] = {
	    "# Mapfile. Created by GNU ddrescue version 1.27\n"
	    "# Command line: ddrescue -d /dev/sdb img map\n"
	    "# current_pos  current_status  current_pass\n"
	    "0x00120000     ?               1\n"
	    "#      pos        size  status\n"
	    "0x00000000  0x00100000  +\n"
	    "0x00100000  0x00010000  *\n"
	    "0x00110000  0x00EF0000  ?\n",
	    "0x200 -\n0 512 + # the first sector\n512 01000 -\n",
	    "\r\n  1024\t+\t1\r\n0x0 0x400 +\r\n",
	    "0 + 1\n",
	};
	struct fg_map *m = NULL;
	struct fg_error err;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_MSG(fg_map_parse(&m, ok[i], strlen(ok[i]), "ok.map",
				       &err) == FG_OK,
			  &err);
		CHECK(m != NULL && map_ok(m));
		fg_map_free(m);
		m = NULL;
	}
	CHECK(fg_map_parse(&m, ok[1], strlen(ok[1]), "ok.map", &err) == FG_OK);
	CHECK(fg_map_size(m) == 1024 && fg_map_bytes(m, '-') == 512);
	fg_map_free(m);
	CHECK(fg_map_parse(&m, ok[3], strlen(ok[3]), "ok.map", &err) == FG_OK);
	CHECK(fg_map_size(m) == 0);
	fg_map_free(m);
}

static void test_rejects(void)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"", "bad.map: no status line"},
	    {"# only comments\n", "bad.map: no status line"},
	    {"0x0 0x200 +\n", "bad.map:1: current status '0x200'"},
	    {"0 ? 1 2\n", "bad.map:1: the status line must be"},
	    {"zz ? 1\n", "bad.map:1: current position 'zz' is not a"},
	    {"0 x 1\n", "bad.map:1: current status 'x' is not one of"},
	    {"0 ? 0\n", "bad.map:1: current pass '0'"},
	    {"0 ? 0x2\n", "bad.map:1: current pass '0x2'"},
	    {"0 ?\n0 512\n", "bad.map:2: a block line must be"},
	    {"0 ?\n0 512 + x\n", "bad.map:2: a block line must be"},
	    {"0 ?\n0 512 F\n", "bad.map:2: block status 'F'"},
	    {"0 ?\n0 0 +\n", "bad.map:2: block size '0'"},
	    {"0 ?\n0 -5 +\n", "bad.map:2: block size '-5'"},
	    {"0 ?\n0 512 +\n1024 512 -\n",
	     "bad.map:3: block at 0x400 does not follow the previous "
	     "block, which ends at 0x200"},
	    {"0 ?\n0 512 +\n256 512 -\n", "bad.map:3: block at 0x100"},
	    {"0 ?\n0 0x8000000000000000 +\n", "bad.map:2: block size"},
	    {"0 ?\n0x7fffffffffffffff 2 +\n", "ends past the largest"},
	    {"0 ?\n09 512 +\n", "bad.map:2: block position '09'"},
	    {"4096 ?\n0 512 +\n", "current position 0x1000 is outside"},
	    {"0 ?\n0 512 +\n\n\n1 2 3\n", "bad.map:5: block status '3'"},
	    {"0 ?\n0 512\0 +\n", "NUL byte"},
	};
	struct fg_map *m = NULL;
	struct fg_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i].text);
		if (strstr(bad[i].msg, "NUL") != NULL)
			len = 14;
		fg_error_clear(&err);
		CHECK(fg_map_parse(&m, bad[i].text, len, "bad.map", &err) ==
		      FG_EFORMAT);
		CHECK(m == NULL);
		if (strstr(err.msg, bad[i].msg) == NULL) {
			fprintf(stderr, "case %zu: message '%s', want '%s'\n",
				i, err.msg, bad[i].msg);
			unit_failures++;
		}
	}
}

/* Random bytes and mutations of a good mapfile: never a crash (ASan),
 * and whatever parses is a sound map that survives a round trip. */
static void test_fuzz(void)
{
	static const char good[] =
	    "# Mapfile\n0x00120000 ? 1\n0x00000000 0x00100000 +\n"
	    "0x00100000 0x00010000 *\n0x00110000 0x00000200 -\n"
	    "0x00110200 0x00EEFE00 ?\n";
	static const char alphabet[] = "0123456789abcdefxX?*/-+FG# \t\r\n";
	char buf[512];
	int k, parsed = 0, unsound = 0;

	for (k = 0; k < 30000; k++) {
		struct fg_map *m = NULL, *m2 = NULL;
		struct fg_error err;
		size_t len, j, n;

		if (k % 3 == 0) {
			len = rnd() % sizeof(buf);
			for (j = 0; j < len; j++)
				buf[j] = k % 2
					     ? (char)rnd()
					     : alphabet[rnd() %
							(sizeof(alphabet) - 1)];
		} else {
			len = sizeof(good) - 1;
			memcpy(buf, good, len);
			for (n = 1 + rnd() % 4; n > 0 && len > 0; n--) {
				size_t at = rnd() % len;
				switch (rnd() % 4) {
				case 0: /* replace */
					buf[at] =
					    alphabet[rnd() %
						     (sizeof(alphabet) - 1)];
					break;
				case 1: /* delete */
					memmove(buf + at, buf + at + 1,
						len - at - 1);
					len--;
					break;
				case 2: /* insert */
					if (len + 1 < sizeof(buf)) {
						memmove(buf + at + 1, buf + at,
							len - at);
						buf[at] =
						    alphabet[rnd() %
							     (sizeof(alphabet) -
							      1)];
						len++;
					}
					break;
				default: /* truncate */ len = at;
				}
			}
		}
		/* An exact-size heap copy: ASan sees any overread. */
		{
			char *copy = malloc(len ? len : 1);
			memcpy(copy, buf, len);
			if (fg_map_parse(&m, copy, len, "fuzz.map", &err) ==
			    FG_OK) {
				char *text;
				parsed++;
				if (!map_ok(m))
					unsound++;
				text = fg_map_format(m, NULL);
				if (text == NULL ||
				    fg_map_parse(&m2, text, strlen(text),
						 "again.map", &err) != FG_OK ||
				    fg_map_count(m2) != fg_map_count(m) ||
				    fg_map_size(m2) != fg_map_size(m))
					unsound++;
				free(text);
			} else if (strncmp(err.msg, "fuzz.map", 8) != 0) {
				unsound++; /* a rejection names the file */
			}
			free(copy);
		}
		fg_map_free(m);
		fg_map_free(m2);
	}
	CHECK(unsound == 0);
	CHECK(parsed > 100); /* the mutations reach the accepting paths */
}

int main(void)
{
	unit_run("map set against a byte model", test_set_against_model);
	unit_run("map next", test_next);
	unit_run("mapfile text round trip, write and load", test_round_trip);
	unit_run("mapfile: what ddrescue writes is read", test_accepts);
	unit_run("mapfile: bad input rejected with line and cause",
		 test_rejects);
	unit_run("mapfile parser fuzz", test_fuzz);
	return unit_done();
}
