/*
 * test_ewf_diff.c - forage's own EWF reader against libewf, chunk by chunk
 * (issue 18 item 2): on every intact fixture ($FG_FIXTURES, when there)
 * and on damaged copies of sets ewfacquire makes here (each segment cut at
 * several points, a flipped byte in a chunk, in 'table', in 'table2', in a
 * section descriptor), both must agree on which chunks are readable and on
 * the bytes of every chunk both read, as libewf_handle_read_buffer reads
 * them chunk by chunk (as ewfexport does).  Where they disagree on purpose
 * the case is named: past a truncated segment libewf reads nothing, and
 * with both copies of a table damaged it gives up on the whole table;
 * there forage's finer answer is checked against the media written.
 * Whatever forage calls readable equals the media, always.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libewf.h>

#include <forage/container.h>
#include <forage/pipeline.h>

#include "ewf/ewf_int.h"
#include "unit.h"

/* libewf 20140813 leaks the buffer of a chunk it fails to read
 * (libewf_chunk_data_initialize, on the damaged sets here); that leak is
 * libewf's, not forage's: LeakSanitizer is told of it, and only of it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libewf_chunk_data_initialize\n";
}

#define MAXSEG 16
#define MAXCHUNKS 4096

struct readout {
	int opened;
	uint64_t media_size;
	uint32_t chunk;
	uint64_t nchunks;
	unsigned char *data;
	unsigned char bad[MAXCHUNKS];
};

static void readout_free(struct readout *r)
{
	free(r->data);
	memset(r, 0, sizeof(*r));
}

/* ---- forage ---------------------------------------------------------- */

static int copy_consume(void *ctx, const struct fg_block *b,
			struct fg_error *err)
{
	struct readout *r = ctx;

	(void)err;
	if (b->offset + b->len <= r->media_size)
		memcpy(r->data + b->offset, b->data, b->len);
	return FG_OK;
}

static void on_damage(void *ctx, const struct fg_damage *d)
{
	struct readout *r = ctx;
	uint64_t c;

	for (c = d->offset / r->chunk;
	     c < MAXCHUNKS && c * r->chunk < d->offset + d->length; c++)
		r->bad[c] = 1;
}

static void forage_read(const char *first, struct readout *r)
{
	struct fg_image *img = NULL;
	struct fg_pipe *pipe = NULL;
	struct fg_consumer c;
	struct fg_image_read_opts o;
	struct fg_image_read_stats st;
	struct fg_error e;

	memset(r, 0, sizeof(*r));
	fg_error_clear(&e);
	if (fg_image_open(&img, first, FG_CONTAINER_EWF, 0, &e) != FG_OK)
		return;
	r->opened = 1;
	r->media_size = img->media_size;
	r->chunk = img->chunk_size;
	r->nchunks = (r->media_size + r->chunk - 1) / r->chunk;
	r->data = calloc(1, r->media_size + 1);
	CHECK(r->data != NULL && r->nchunks <= MAXCHUNKS);
	CHECK(fg_pipe_new(&pipe, fg_image_block_size(img), 4, &e) == FG_OK);
	c.name = "copy";
	c.consume = copy_consume;
	c.ctx = r;
	fg_pipe_add_consumer(pipe, &c);
	CHECK(fg_pipe_start(pipe, &e) == FG_OK);
	memset(&o, 0, sizeof(o));
	o.threads = 2;
	o.on_damage = on_damage;
	o.ctx = r;
	CHECK_MSG(fg_image_stream(img, pipe, &o, &st, &e) == FG_OK, &e);
	CHECK_MSG(fg_pipe_finish(pipe, &e) == FG_OK, &e);
	fg_pipe_free(pipe);
	fg_image_close(img);
}

/* ---- libewf, chunk by chunk ----------------------------------------- */

static void libewf_read(const char *first, struct readout *r)
{
	libewf_handle_t *h = NULL;
	char **names = NULL;
	int n = 0;
	size64_t media = 0;
	uint32_t chunk = 0, bps = 0, ncs = 0, i;
	uint64_t c;

	memset(r, 0, sizeof(*r));
	if (libewf_glob(first, strlen(first), LIBEWF_FORMAT_UNKNOWN, &names,
			&n, NULL) != 1)
		return;
	if (libewf_handle_initialize(&h, NULL) != 1)
		goto out;
	if (libewf_handle_open(h, names, n, LIBEWF_OPEN_READ, NULL) != 1 ||
	    libewf_handle_get_media_size(h, &media, NULL) != 1 ||
	    libewf_handle_get_chunk_size(h, &chunk, NULL) != 1 ||
	    libewf_handle_get_bytes_per_sector(h, &bps, NULL) != 1 ||
	    chunk == 0 || bps == 0)
		goto out;
	r->opened = 1;
	r->media_size = media;
	r->chunk = chunk;
	r->nchunks = (media + chunk - 1) / chunk;
	r->data = calloc(1, media + 1);
	CHECK(r->data != NULL && r->nchunks <= MAXCHUNKS);
	for (c = 0; c < r->nchunks && c < MAXCHUNKS; c++) {
		size_t len = media - c * chunk < chunk
				     ? (size_t)(media - c * chunk)
				     : chunk;
		ssize_t got;

		if (libewf_handle_seek_offset(h, (off64_t)(c * chunk),
					      SEEK_SET, NULL) !=
		    (off64_t)(c * chunk)) {
			r->bad[c] = 1;
			continue;
		}
		got = libewf_handle_read_buffer(h, r->data + c * chunk, len,
						NULL);
		if (got != (ssize_t)len)
			r->bad[c] = 1;
	}
	/* The chunks whose checksum failed (read as stored). */
	if (libewf_handle_get_number_of_checksum_errors(h, &ncs, NULL) == 1)
		for (i = 0; i < ncs; i++) {
			uint64_t s = 0, k = 0, x;
			if (libewf_handle_get_checksum_error(h, i, &s, &k,
							     NULL) != 1)
				continue;
			for (x = s * bps / chunk;
			     x < MAXCHUNKS && x * chunk < (s + k) * bps; x++)
				r->bad[x] = 1;
		}
out:
	if (h != NULL) {
		libewf_handle_close(h, NULL);
		libewf_handle_free(&h, NULL);
	}
	if (names != NULL)
		libewf_glob_free(names, n, NULL);
}

/* ---- the comparison -------------------------------------------------- */

enum purpose {
	AGREE,       /* both must agree exactly */
	LIBEWF_LESS, /* libewf may read fewer chunks (named case) */
	/* A 'sectors' descriptor whose checksum fails: both walk on by
	 * its 'next' and read every chunk.  Named: libewf reads other
	 * chunks' bytes (it places chunks by counting them): there its
	 * bytes must differ from the media's, and forage's be the
	 * media's. */
	SECTORS_DESC,
};
static uint64_t libewf_wrong;

/* Compare the two on the set whose first file is first; truth is the
 * media (NULL when not known).  Returns how many chunks libewf did not
 * read and forage did (the named disagreements). */
static uint64_t compare(const char *what, const char *first,
			const unsigned char *truth, uint64_t truth_size,
			enum purpose purpose)
{
	struct readout f, l;
	uint64_t c, finer = 0;
	int bad = 0;

	forage_read(first, &f);
	libewf_read(first, &l);
	if (!f.opened || !l.opened) {
		/* forage opens a damaged set through libewf: when one of
		 * them cannot open it, neither can. */
		if (f.opened != l.opened) {
			fprintf(stderr, "  %s: forage %s it, libewf %s\n",
				what, f.opened ? "opens" : "refuses",
				l.opened ? "opens" : "refuses");
			bad++;
		}
		goto out;
	}
	if (f.media_size != l.media_size || f.chunk != l.chunk) {
		fprintf(stderr, "  %s: media %llu/%u against libewf's "
				"%llu/%u\n",
			what, (unsigned long long)f.media_size, f.chunk,
			(unsigned long long)l.media_size, l.chunk);
		bad++;
		goto out;
	}
	if (truth != NULL && truth_size != f.media_size) {
		fprintf(stderr, "  %s: media size %llu, written %llu\n", what,
			(unsigned long long)f.media_size,
			(unsigned long long)truth_size);
		bad++;
		goto out;
	}
	for (c = 0; c < f.nchunks && c < MAXCHUNKS; c++) {
		uint64_t off = c * f.chunk;
		size_t len = f.media_size - off < f.chunk
				     ? (size_t)(f.media_size - off)
				     : f.chunk;

		if (!f.bad[c] && truth != NULL &&
		    memcmp(f.data + off, truth + off, len) != 0) {
			fprintf(stderr, "  %s: chunk %llu: forage calls it "
					"readable, its bytes are not the "
					"media's\n",
				what, (unsigned long long)c);
			bad++;
		}
		if (!f.bad[c] && !l.bad[c] && purpose == SECTORS_DESC &&
		    truth != NULL &&
		    memcmp(f.data + off, l.data + off, len) != 0 &&
		    memcmp(l.data + off, truth + off, len) != 0) {
			libewf_wrong++;
		} else if (!f.bad[c] && !l.bad[c] &&
		    memcmp(f.data + off, l.data + off, len) != 0) {
			fprintf(stderr, "  %s: chunk %llu: forage and libewf "
					"read other bytes\n",
				what, (unsigned long long)c);
			bad++;
		}
		if (f.bad[c] && !l.bad[c]) {
			fprintf(stderr, "  %s: chunk %llu: libewf reads it, "
					"forage does not\n",
				what, (unsigned long long)c);
			bad++;
		}
		if (!f.bad[c] && l.bad[c]) {
			finer++;
			if (purpose == AGREE) {
				fprintf(stderr, "  %s: chunk %llu: forage "
						"reads it, libewf does not\n",
					what, (unsigned long long)c);
				bad++;
			}
		}
	}
out:
	CHECK(bad == 0);
	if (bad != 0)
		fprintf(stderr, "  (%s)\n", what);
	readout_free(&f);
	readout_free(&l);
	return finer;
}

/* ---- sets and damage ------------------------------------------------- */

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = NULL;
	struct stat st;

	*len = 0;
	if (f == NULL || fstat(fileno(f), &st) != 0) {
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	b = malloc((size_t)st.st_size + 1);
	if (b != NULL && fread(b, 1, (size_t)st.st_size, f) ==
				 (size_t)st.st_size)
		*len = (size_t)st.st_size;
	fclose(f);
	return b;
}

static void spit(const char *path, const unsigned char *b, size_t len)
{
	FILE *f = fopen(path, "wb");

	CHECK(f != NULL && fwrite(b, 1, len, f) == len);
	if (f != NULL)
		fclose(f);
}

struct seg {
	char name[32];
	unsigned char *b;
	size_t len;
	/* Offsets of the sections found: sectors, table, table2, and the
	 * descriptor of the 'sectors' section. */
	uint64_t sectors, table, table2;
};

static void find_sections(struct seg *s)
{
	uint64_t off = 13;
	unsigned k;

	s->sectors = s->table = s->table2 = 0;
	for (k = 0; k < 1000 && off + 76 <= s->len; k++) {
		const unsigned char *d = s->b + off;
		uint64_t next = fg_le64(d + 16);

		if (memcmp(d, "sectors", 8) == 0 && s->sectors == 0)
			s->sectors = off;
		else if (memcmp(d, "table2", 7) == 0 && s->table2 == 0)
			s->table2 = off;
		else if (memcmp(d, "table", 6) == 0 && s->table == 0)
			s->table = off;
		if (memcmp(d, "done", 5) == 0 || memcmp(d, "next", 5) == 0 ||
		    next <= off)
			break;
		off = next;
	}
}

static void restore(struct seg *segs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		spit(segs[i].name, segs[i].b, segs[i].len);
}

/* Every damaged variant of the set segs (written in the cwd), against
 * truth. */
static void damage_all(const char *set, struct seg *segs, size_t n,
		       const unsigned char *truth, size_t truth_size)
{
	char what[512];
	size_t i, k;
	uint64_t finer = 0;

	for (i = 0; i < n; i++)
		find_sections(&segs[i]);
	for (i = 0; i < n; i++) {
		struct seg *s = &segs[i];
		static const unsigned pct[] = {1, 25, 50, 75, 99};

		/* Cut short at several points. */
		for (k = 0; k < sizeof(pct) / sizeof(pct[0]); k++) {
			size_t cut = s->len * pct[k] / 100;

			restore(segs, n);
			CHECK(truncate(s->name, (off_t)cut) == 0);
			snprintf(what, sizeof(what), "%.40s: %.40s cut at %zu", set,
				 s->name, cut);
			finer += compare(what, segs[0].name, truth, truth_size,
					 LIBEWF_LESS);
		}
		/* A flipped byte in the data of a chunk. */
		if (s->sectors != 0 && s->sectors + 76 + 1000 < s->len) {
			restore(segs, n);
			s->b[s->sectors + 76 + 1000] ^= 0xff;
			spit(s->name, s->b, s->len);
			s->b[s->sectors + 76 + 1000] ^= 0xff;
			snprintf(what, sizeof(what), "%.40s: %.40s chunk byte", set,
				 s->name);
			(void)compare(what, segs[0].name, truth, truth_size,
				      AGREE);
		}
		/* A flipped byte in an entry of 'table', of 'table2', of
		 * both.  Named cases: with both copies damaged libewf gives
		 * up on the whole table; with 'table' alone damaged libewf,
		 * on 'table2', still fails chunks (seen: the set's last).
		 * forage's answer is checked against the media there. */
		for (k = 0; k < 3 && s->table != 0 && s->table2 != 0; k++) {
			uint64_t a = s->table + 76 + 24 + 4 * 2 + 1;
			uint64_t b = s->table2 + 76 + 24 + 4 * 2 + 1;

			restore(segs, n);
			if (k != 1)
				s->b[a] ^= 0x10;
			if (k != 0)
				s->b[b] ^= 0x10;
			spit(s->name, s->b, s->len);
			if (k != 1)
				s->b[a] ^= 0x10;
			if (k != 0)
				s->b[b] ^= 0x10;
			snprintf(what, sizeof(what), "%.40s: %.40s %s entry", set,
				 s->name,
				 k == 0 ? "table" : k == 1 ? "table2" : "both "
								       "tables'");
			finer += compare(what, segs[0].name, truth,
					 truth_size,
					 k == 1 ? AGREE : LIBEWF_LESS);
		}
		/* A flipped byte in a section descriptor. */
		if (s->sectors != 0) {
			restore(segs, n);
			s->b[s->sectors + 30] ^= 0x01;
			spit(s->name, s->b, s->len);
			s->b[s->sectors + 30] ^= 0x01;
			snprintf(what, sizeof(what), "%.40s: %.40s descriptor", set,
				 s->name);
			finer += compare(what, segs[0].name, truth, truth_size,
					 SECTORS_DESC);
		}
	}
	restore(segs, n);
	/* The named disagreements happen, and forage's answer held. */
	CHECK(finer > 0);
	printf("  %s: %llu chunks forage reads where libewf gives up; past a "
	       "damaged 'sectors' descriptor, %llu chunks libewf reads with "
	       "the wrong bytes (forage's are the media's)\n",
	       set, (unsigned long long)finer,
	       (unsigned long long)libewf_wrong);
}

static int have_ewfacquire(void)
{
	return system("command -v ewfacquire >/dev/null 2>&1") == 0;
}

static void test_made_sets(void)
{
	static const char *const how[] = {"none", "fast"};
	size_t h;

	if (!have_ewfacquire()) {
		printf("  (no ewfacquire: sets not made)\n");
		return;
	}
	for (h = 0; h < 2; h++) {
		struct seg segs[MAXSEG];
		unsigned char *truth;
		size_t tlen, n = 0, i;
		char cmd[256];

		memset(segs, 0, sizeof(segs));
		unit_write_pattern("src.bin", 3 * 1024 * 1024 + 4096, 7);
		snprintf(cmd, sizeof(cmd),
			 "ewfacquire -u -t D -c %s -S 1MiB -b 64 src.bin "
			 ">acq.log 2>&1",
			 how[h]);
		CHECK(system(cmd) == 0);
		truth = slurp("src.bin", &tlen);
		CHECK(truth != NULL);
		for (n = 0; n < MAXSEG; n++) {
			snprintf(segs[n].name, sizeof(segs[n].name),
				 "D.E%02zu", n + 1);
			segs[n].b = slurp(segs[n].name, &segs[n].len);
			if (segs[n].b == NULL)
				break;
		}
		CHECK(n >= 3);
		(void)compare(how[h], "D.E01", truth, tlen, AGREE);
		damage_all(how[h], segs, n, truth, tlen);
		for (i = 0; i < n; i++) {
			free(segs[i].b);
			unlink(segs[i].name);
		}
		free(truth);
	}
}

static void test_fixtures(void)
{
	static const char *const sets[][3] = {
		{"dfvfs-ext2.E01", NULL, NULL},
		{"dfvfs-ext2.split.E01", "dfvfs-ext2.split.E02", NULL},
		{"tsk-image.E01", NULL, NULL},
		{"tsk-imageformat_mmls_1.E01", NULL, NULL},
	};
	const char *dir = getenv("FG_FIXTURES");
	size_t i;

	if (dir == NULL || access(dir, R_OK) != 0) {
		printf("  (no $FG_FIXTURES)\n");
		return;
	}
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char path[1024];

		snprintf(path, sizeof(path), "%s/%s", dir, sets[i][0]);
		if (access(path, R_OK) != 0)
			continue;
		(void)compare(sets[i][0], path, NULL, 0, AGREE);
	}
}

int main(void)
{
	unit_run("made_sets", test_made_sets);
	unit_run("fixtures", test_fixtures);
	return unit_done();
}
