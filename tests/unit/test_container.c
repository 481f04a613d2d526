/* test_container.c - recognising evidence from its content, the EWF
 * section walker on a synthetic segment file (and on thousands of mutated
 * copies of it: never a crash, never a read past what it owns), and raw
 * sets read back exactly, also with the page cache bypassed and blocks
 * that straddle odd-sized segments. */
#include "config.h"

#include <errno.h>
#include <stdint.h>

#include <zlib.h>

#include <forage/container.h>
#include <forage/hash.h>
#include <forage/pipeline.h>

#include "ewf/ewf_int.h"
#include "unit.h"

static const unsigned char evf[8] = {'E', 'V', 'F', 0x09,
				     0x0d, 0x0a, 0xff, 0x00};

/* A repeatable pseudo-random stream for the mutations. */
static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static int detect(const char *name, const void *buf, size_t len,
		  struct fg_detect *d, struct fg_error *e)
{
	fg_error_clear(e);
	return fg_container_detect_buf(name, buf, len, len, d, e);
}

static void test_detect(void)
{
	struct fg_detect d;
	struct fg_error e;
	unsigned char head[64];
	const char *rec = "{\"record_format\": \"forage-acquisition-1\", "
			  "\"outputs\": []}\n";
	unsigned char bin[4096];
	size_t i;

	memset(head, 0, sizeof(head));
	memcpy(head, evf, 8);
	head[8] = 1;
	head[9] = 2; /* segment 2 */
	CHECK_MSG(detect("x.E02", head, sizeof(head), &d, &e) == FG_OK, &e);
	CHECK(d.kind == FG_CONTAINER_EWF);
	CHECK(strstr(d.description, "segment 2") != NULL);
	/* Content wins over the name. */
	CHECK(detect("image.bin", head, sizeof(head), &d, &e) == FG_OK &&
	      d.kind == FG_CONTAINER_EWF);

	CHECK(detect("text.E01", "hello world\n", 12, &d, &e) == FG_EFORMAT);
	CHECK(strstr(e.msg, "text.E01: not an EWF segment file") != NULL);
	CHECK(strstr(e.msg, "ASCII text") != NULL);
	CHECK(detect("x.s01", "hello world\n", 12, &d, &e) == FG_EFORMAT);
	CHECK(detect("x.Ex01", "hello world\n", 12, &d, &e) == FG_EFORMAT);
	CHECK(detect("x.EAB", "hello world\n", 12, &d, &e) == FG_EFORMAT);
	/* EWF names as libewf gives them, past .EZZ and for EWF2 (ewf_name.c);
	 * not .EXE, nor a lower-case name that would claim a raw image. */
	CHECK(detect("x.FAA", "hello world\n", 12, &d, &e) == FG_EFORMAT);
	CHECK(strstr(e.msg, "x.FAA: not an EWF segment file") != NULL);
	CHECK(detect("x.ExAA", "hello world\n", 12, &d, &e) == FG_EFORMAT);
	CHECK(detect("x.e05", "hello world\n", 12, &d, &e) == FG_EFORMAT);
	CHECK(detect("x.EXE", "hello world\n", 12, &d, &e) == FG_EFORMAT);
	CHECK(strstr(e.msg, "not an EWF segment file") == NULL);
	{
		const unsigned char z[16] = {0};
		CHECK(detect("x.img", z, sizeof(z), &d, &e) == FG_OK &&
		      d.kind == FG_CONTAINER_RAW);
	}

	CHECK(fg_container_kind_of_format("e01") == FG_CONTAINER_EWF);
	CHECK(fg_container_kind_of_format("raw") == FG_CONTAINER_RAW);
	CHECK(fg_container_kind_of_format("E01") == FG_CONTAINER_UNKNOWN);
	CHECK(fg_container_kind_of_format(NULL) == FG_CONTAINER_UNKNOWN);

	CHECK(detect("empty.E01", "", 0, &d, &e) == FG_EFORMAT);
	CHECK_STR(e.msg, "empty.E01: empty file (0 bytes): not evidence");

	CHECK_MSG(detect("HD1.json", rec, strlen(rec), &d, &e) == FG_OK, &e);
	CHECK(d.kind == FG_CONTAINER_RECORD);
	CHECK(detect("other.json", "{\"a\": 1}", 8, &d, &e) == FG_EFORMAT);
	CHECK(strstr(e.msg, "not a forage acquisition record") != NULL);
	CHECK(detect("broken.json", "{\"a\": ", 6, &d, &e) == FG_EFORMAT);
	CHECK(strstr(e.msg, "line 1") != NULL);
	CHECK(detect("list.json", "[1, 2]", 6, &d, &e) == FG_EFORMAT);

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)rnd();
	CHECK(detect("disk.dd", bin, sizeof(bin), &d, &e) == FG_OK &&
	      d.kind == FG_CONTAINER_RAW);
	CHECK(detect("disk.001", bin, sizeof(bin), &d, &e) == FG_OK &&
	      d.kind == FG_CONTAINER_SPLIT_RAW);
	CHECK(detect("disk.000", bin, sizeof(bin), &d, &e) == FG_OK &&
	      d.kind == FG_CONTAINER_SPLIT_RAW);
	CHECK(detect("unnamed", bin, sizeof(bin), &d, &e) == FG_OK &&
	      d.kind == FG_CONTAINER_RAW);
	CHECK(detect("notes.txt", "some notes\n", 11, &d, &e) == FG_EFORMAT);
	CHECK(strstr(e.msg, "not recognised as evidence") != NULL);
	CHECK(detect("HD1.sha256", bin, sizeof(bin), &d, &e) == FG_EFORMAT);

	memcpy(head, "LVF\x09\x0d\x0a\xff\x00", 8);
	CHECK(detect("x.L01", head, sizeof(head), &d, &e) == FG_EFORMAT);
	CHECK(strstr(e.msg, "logical evidence") != NULL);
	memcpy(head, "EVF2\x0d\x0a\x81\x00", 8);
	CHECK(detect("x.Ex01", head, sizeof(head), &d, &e) == FG_EFORMAT);
	CHECK(strstr(e.msg, "EWF2") != NULL);
}

/* Mutated inputs of every kind: a status, never a crash; OK means a
 * kind. */
static void test_detect_fuzz(void)
{
	static const char *const names[] = {"x.E01", "x.json", "x.raw",
					    "x.001", "x", "x.txt", "x.E99"};
	const char *rec = "{\"record_format\": \"forage-acquisition-1\", "
			  "\"hashes\": {\"md5\": \"00\"}, \"outputs\": "
			  "[{\"path\": \"x.raw\", \"size\": 5}]}";
	unsigned char buf[512];
	int i, bad = 0;

	for (i = 0; i < 3000; i++) {
		struct fg_detect d;
		struct fg_error e;
		size_t len, k, n;
		int rc;

		switch (i % 3) {
		case 0:
			len = strlen(rec);
			memcpy(buf, rec, len);
			break;
		case 1:
			memset(buf, 0, 64);
			memcpy(buf, evf, 8);
			len = 64;
			break;
		default:
			len = 100;
			for (k = 0; k < len; k++)
				buf[k] = (unsigned char)("abc {}\"\n:,"[rnd() %
								       11]);
		}
		n = 1 + rnd() % 4;
		for (k = 0; k < n; k++)
			buf[rnd() % len] = (unsigned char)rnd();
		if (rnd() % 4 == 0)
			len = rnd() % (len + 1);
		rc = fg_container_detect_buf(names[rnd() % 7], buf, len, len,
					     &d, &e);
		if ((rc == FG_OK) != (d.kind != FG_CONTAINER_UNKNOWN) ||
		    (rc != FG_OK && e.msg[0] == '\0'))
			bad++;
	}
	CHECK(bad == 0);
}

/* ---- A synthetic EWF segment file ------------------------------------ */

/* Containers forage does not read, by their own signatures (issue 18):
 * refused, named, and what to use instead; look-alikes stay raw. */
static void test_detect_foreign(void)
{
	static const struct {
		const char *sig;
		size_t len, at;
		const char *format, *use;
	} c[] = {
		{"AFF10\r\n\0", 8, 0, "AFF", "affconvert -r"},
		{"QFI\xfb\0\0\0\3", 8, 0, "QCOW2", "qemu-img convert -O raw"},
		{"KDMV\1\0\0\0", 8, 0, "VMDK", "qemu-img convert -O raw"},
		{"# Disk DescriptorFile\n", 22, 0, "VMDK", "qemu-img"},
		{"conectix", 8, 0, "VHD", "qemu-img convert -O raw"},
		{"vhdxfile", 8, 0, "VHDX", "qemu-img convert -O raw"},
		{"\x7f\x10\xda\xbe", 4, 64, "VDI", "qemu-img convert -O raw"},
		{"PK\3\4", 4, 0, "ZIP", "unzip"},
		{"7z\xbc\xaf\x27\x1c", 6, 0, "7z", "7z x"},
		{"ustar\0" "00", 8, 257, "tar", "tar -xf"},
		{"\x1f\x8b\x08\0", 4, 0, "gzip", "gunzip"},
		{"\xfd" "7zXZ\0", 6, 0, "xz", "unxz"},
		{"BZh91AY&SY", 10, 0, "bzip2", "bunzip2"},
		{"\x28\xb5\x2f\xfd", 4, 0, "zstd", "unzstd"},
		{"EVF2\r\n\x81\0", 8, 0, "EWF2", "EWF2"},
		{"LVF\t\r\n\xff\0", 8, 0, "L01", "files, not media"},
	};
	unsigned char buf[1024];
	struct fg_detect d;
	struct fg_error e;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(buf, 0xa5, sizeof(buf));
		memcpy(buf + c[i].at, c[i].sig, c[i].len);
		/* Under a raw name too: content wins. */
		CHECK(detect("ev.dd", buf, sizeof(buf), &d, &e) ==
		      FG_EFORMAT);
		CHECK(d.kind == FG_CONTAINER_FOREIGN);
		CHECK(strcmp(d.format, c[i].format) == 0);
		CHECK(strstr(e.msg, "ev.dd: ") == e.msg);
		CHECK(strstr(e.msg, c[i].use) != NULL);
		if (strcmp(c[i].format, "EWF2") != 0 &&
		    strcmp(c[i].format, "L01") != 0) {
			CHECK(strstr(e.msg, "forage does not read") != NULL);
			CHECK(strstr(e.msg, "--raw") != NULL);
		}
		if (d.kind != FG_CONTAINER_FOREIGN ||
		    strcmp(d.format, c[i].format) != 0)
			fprintf(stderr, "  case %zu (%s): %s / %s\n", i,
				c[i].format, d.format, e.msg);
	}
	/* AFF4: a ZIP whose members describe an AFF4 volume. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "PK\3\4", 4);
	memcpy(buf + 30, "container.description", 21);
	CHECK(detect("ev.aff4", buf, sizeof(buf), &d, &e) == FG_EFORMAT);
	CHECK(strcmp(d.format, "AFF4") == 0);
	CHECK(strstr(e.msg, "ev.aff4: AFF4 image") == e.msg);
	CHECK(strstr(e.msg, "aff4imager") != NULL);
	memcpy(buf + 30, "information.turtle\0\0\0", 21);
	CHECK(detect("ev.zip", buf, sizeof(buf), &d, &e) == FG_EFORMAT &&
	      strcmp(d.format, "AFF4") == 0);
	/* Look-alikes: "ustar" and "conectix" elsewhere, an MBR: raw. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 100, "ustar", 5);
	memcpy(buf + 512, "conectix", 8);
	CHECK(detect("ev.dd", buf, sizeof(buf), &d, &e) == FG_OK &&
	      d.kind == FG_CONTAINER_RAW && d.format[0] == '\0');
	memset(buf, 0, sizeof(buf));
	buf[446 + 4] = 0x83;
	buf[446 + 8] = 0x00;
	buf[446 + 9] = 0x08;
	buf[446 + 12] = 0x00;
	buf[446 + 13] = 0x40;
	buf[510] = 0x55;
	buf[511] = 0xaa;
	CHECK(detect("ev.dd", buf, sizeof(buf), &d, &e) == FG_OK &&
	      d.kind == FG_CONTAINER_RAW);
	CHECK(strcmp(fg_container_kind_name(FG_CONTAINER_FOREIGN),
		     "foreign container") == 0);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* A section descriptor at p: type, next, size, checksum. */
static void desc(unsigned char *p, const char *type, uint64_t at,
		 uint64_t size, int last)
{
	memset(p, 0, 76);
	memcpy(p, type, strlen(type));
	put64(p + 16, last ? at : at + size);
	put64(p + 24, size);
	put32(p + 72, (uint32_t)adler32(1L, p, 72));
}

#define NCHUNK 6
#define CHUNK 1000 /* stored bytes per chunk, checksum included */

/* Segment number seg, ending with 'done' or 'next'.  Returns its size. */
static size_t make_segment(unsigned char *f, unsigned seg, const char *end)
{
	size_t off = 13, sectors, table, k;
	unsigned char *th;

	memcpy(f, evf, 8);
	f[8] = 1;
	f[9] = (unsigned char)seg;
	f[10] = 0;
	f[11] = f[12] = 0;
	sectors = off;
	desc(f + sectors, "sectors", sectors, 76 + NCHUNK * CHUNK, 0);
	for (k = 0; k < NCHUNK * CHUNK; k++)
		f[sectors + 76 + k] = (unsigned char)(k * 7 + seg);
	table = sectors + 76 + NCHUNK * CHUNK;
	desc(f + table, "table", table, 76 + 24 + 4 * NCHUNK + 4, 0);
	th = f + table + 76;
	memset(th, 0, 24);
	put32(th, NCHUNK);
	put64(th + 8, sectors);
	put32(th + 20, (uint32_t)adler32(1L, th, 20));
	for (k = 0; k < NCHUNK; k++)
		put32(th + 24 + 4 * k,
		      (uint32_t)(76 + k * CHUNK) | (k % 2 ? 0x80000000u : 0));
	put32(th + 24 + 4 * NCHUNK, 0);
	off = table + 76 + 24 + 4 * NCHUNK + 4;
	desc(f + off, end, off, 0, 1);
	return off + 76;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, len, f) != len) {
		perror(path);
		exit(99);
	}
	fclose(f);
}

static void test_ewf_map(void)
{
	static unsigned char f[16384];
	const char *one[] = {"a.E01"};
	const char *two[] = {"b.E01", "b.E02"};
	struct fg_ewf_map *m = NULL;
	struct fg_ewf_loc loc;
	struct fg_error e;
	size_t n, k;

	n = make_segment(f, 1, "done");
	write_file("a.E01", f, n);
	fg_error_clear(&e);
	CHECK_MSG(fg_ewf_map_open(&m, one, 1, &e) == FG_OK, &e);
	CHECK(fg_ewf_map_chunks(m) == NCHUNK);
	CHECK(fg_ewf_map_problem_count(m) == 0);
	CHECK(!fg_ewf_map_missing_next(m));
	for (k = 0; k < NCHUNK; k++) {
		CHECK(fg_ewf_map_locate(m, k, &loc) == FG_OK);
		CHECK(loc.seg == 0 && loc.offset == 13 + 76 + k * CHUNK);
		CHECK(loc.size_known && loc.size == CHUNK);
		CHECK(loc.compressed == (int)(k % 2));
	}
	CHECK(fg_ewf_map_locate(m, NCHUNK, &loc) == FG_EINVAL);
	fg_ewf_map_free(m);

	/* Two segments; the first alone is missing its successor. */
	n = make_segment(f, 1, "next");
	write_file("b.E01", f, n);
	n = make_segment(f, 2, "done");
	write_file("b.E02", f, n);
	CHECK_MSG(fg_ewf_map_open(&m, two, 2, &e) == FG_OK, &e);
	CHECK(fg_ewf_map_chunks(m) == 2 * NCHUNK);
	CHECK(!fg_ewf_map_missing_next(m));
	CHECK(fg_ewf_map_locate(m, NCHUNK + 2, &loc) == FG_OK &&
	      loc.seg == 1 && strcmp(loc.path, "b.E02") == 0 &&
	      loc.offset == 13 + 76 + 2 * CHUNK);
	fg_ewf_map_free(m);
	CHECK_MSG(fg_ewf_map_open(&m, two, 1, &e) == FG_OK, &e);
	CHECK(fg_ewf_map_missing_next(m));
	fg_ewf_map_free(m);

	/* Offsets that fall (EnCase's overflow past 2 GiB): unknown, never
	 * guessed. */
	n = make_segment(f, 1, "done");
	{
		size_t table = 13 + 76 + NCHUNK * CHUNK;
		put32(f + table + 76 + 24 + 4 * 3, 5);
		put32(f + table + 76 + 24 + 4 * NCHUNK,
		      (uint32_t)adler32(1L, f + table + 76 + 24, 4 * NCHUNK));
	}
	write_file("a.E01", f, n);
	CHECK_MSG(fg_ewf_map_open(&m, one, 1, &e) == FG_OK, &e);
	CHECK(fg_ewf_map_locate(m, 2, &loc) == FG_OK && !loc.size_known);
	CHECK(fg_ewf_map_locate(m, 3, &loc) == FG_EINVAL);
	CHECK(fg_ewf_map_locate(m, 5, &loc) == FG_EINVAL);
	CHECK(fg_ewf_map_locate(m, 1, &loc) == FG_OK && loc.size == CHUNK);
	fg_ewf_map_free(m);

	/* Truncated in the table: a problem naming the file and offset. */
	n = make_segment(f, 1, "done");
	write_file("a.E01", f, n - 76 - 30);
	CHECK_MSG(fg_ewf_map_open(&m, one, 1, &e) == FG_OK, &e);
	CHECK(fg_ewf_map_problem_count(m) == 1);
	CHECK(fg_ewf_map_problem_count(m) == 1 &&
	      strstr(fg_ewf_map_problem(m, 0)->text, "a.E01: truncated") !=
		      NULL);
	fg_ewf_map_free(m);
}

/* Thousands of damaged copies: statuses, never a crash. */
static void test_ewf_map_fuzz(void)
{
	static unsigned char f[16384], g[16384];
	const char *one[] = {"f.E01"};
	size_t n = make_segment(f, 1, "done");
	int i, bad = 0;

	for (i = 0; i < 1500; i++) {
		struct fg_ewf_map *m = NULL;
		struct fg_ewf_loc loc;
		struct fg_error e;
		size_t len = n, k, flips = 1 + rnd() % 6;
		uint64_t c;

		memcpy(g, f, n);
		for (k = 0; k < flips; k++) {
			/* Aim at the structure more than at the data. */
			size_t at = rnd() % 3 ? (rnd() % 2 ? rnd() % 120
							   : n - 300 +
								     rnd() % 300)
					      : rnd() % n;
			g[at] = (unsigned char)rnd();
			/* Keep some descriptors valid so tables are read. */
			if (rnd() % 2)
				put32(g + 13 + 72,
				      (uint32_t)adler32(1L, g + 13, 72));
		}
		if (rnd() % 5 == 0)
			len = rnd() % n;
		write_file("f.E01", g, len);
		fg_error_clear(&e);
		if (fg_ewf_map_open(&m, one, 1, &e) != FG_OK) {
			bad++;
			continue;
		}
		for (c = 0; c < fg_ewf_map_chunks(m) && c < 64; c++) {
			int rc = fg_ewf_map_locate(m, c, &loc);
			if (rc != FG_OK && rc != FG_EINVAL && rc != FG_EIO)
				bad++;
		}
		fg_ewf_map_free(m);
	}
	CHECK(bad == 0);
}

/* ---- Raw sets read back exactly ----------------------------------------- */

static int hash_consume(void *ctx, const struct fg_block *b,
			struct fg_error *err)
{
	(void)err;
	return fg_hash_update(ctx, b->data, b->len);
}

/* The media's MD5 streamed from img; returns how many chunks libewf read. */
static uint64_t stream_md5_every(struct fg_image *img, char *hex,
				 unsigned reopen_chunks, int via_libewf)
{
	struct fg_pipe *pipe = NULL;
	struct fg_hash *h = NULL;
	struct fg_consumer c;
	struct fg_image_read_opts o;
	struct fg_image_read_stats st;
	struct fg_error e;

	fg_error_clear(&e);
	CHECK(fg_pipe_new(&pipe, fg_image_block_size(img), 4, &e) == FG_OK);
	CHECK(fg_hash_new(&h, FG_HASH_MD5, &e) == FG_OK);
	c.name = "md5";
	c.consume = hash_consume;
	c.ctx = h;
	fg_pipe_add_consumer(pipe, &c);
	CHECK(fg_pipe_start(pipe, &e) == FG_OK);
	memset(&o, 0, sizeof(o));
	o.reopen_chunks = reopen_chunks;
	o.via_libewf = via_libewf;
	CHECK_MSG(fg_image_stream(img, pipe, &o, &st, &e) == FG_OK, &e);
	CHECK_MSG(fg_pipe_finish(pipe, &e) == FG_OK, &e);
	CHECK(st.bytes == img->media_size && st.unreadable_bytes == 0);
	fg_hash_final(h, hex);
	fg_hash_free(h);
	fg_pipe_free(pipe);
	return st.chunks_libewf;
}

static void stream_md5(struct fg_image *img, char *hex)
{
	(void)stream_md5_every(img, hex, 0, 0);
}

/* An EWF set read straight from its files (the default) and read through
 * libewf, opened afresh after every block or every 3 chunks (the stream
 * does so once libewf has read 65536 chunks, to bound its memory): the
 * same media. */
static void test_ewf_reopen(void)
{
	const char *fx = getenv("FG_FIXTURES");
	const char *names[] = {"dfvfs-ext2.split.E01", "tsk-image.E01"};
	size_t i;

	if (fx == NULL || *fx == '\0') {
		fprintf(stderr, "  (not run: FG_FIXTURES is not set)\n");
		return;
	}
	for (i = 0; i < 2; i++) {
		char path[4096], a[FG_HASH_HEX_MAX], b[FG_HASH_HEX_MAX];
		struct fg_image *img = NULL;
		struct fg_error e;

		snprintf(path, sizeof(path), "%s/%s", fx, names[i]);
		fg_error_clear(&e);
		CHECK_MSG(fg_image_open(&img, path, FG_CONTAINER_EWF, 0, &e) ==
				  FG_OK,
			  &e);
		if (img == NULL)
			continue;
		CHECK(img->stored.md5[0] != '\0');
		/* An intact set: every chunk straight from the files. */
		CHECK(stream_md5_every(img, a, 0, 0) == 0);
		CHECK_STR(a, img->stored.md5);
		CHECK(stream_md5_every(img, b, 1, 1) > 0);
		CHECK_STR(b, img->stored.md5);
		CHECK(stream_md5_every(img, b, 3, 1) > 0);
		CHECK_STR(b, img->stored.md5);
		fg_image_close(img);
	}
}

static void test_raw_sets(void)
{
	/* Odd sizes: blocks straddle files at unaligned places. */
	static const size_t sizes[3] = {1000003, 1000003, 777};
	const char *paths[3] = {"r.001", "r.002", "r.003"};
	char whole[FG_NHASH][FG_HASH_HEX_MAX], got[FG_HASH_HEX_MAX];
	struct fg_image *img = NULL;
	struct fg_error e;
	FILE *all = fopen("all.bin", "wb");
	size_t i, k;

	for (i = 0; i < 3; i++) {
		FILE *f = fopen(paths[i], "wb");
		for (k = 0; k < sizes[i]; k++) {
			int ch = (int)(rnd() & 0xff);
			fputc(ch, f);
			fputc(ch, all);
		}
		fclose(f);
	}
	fclose(all);
	fg_error_clear(&e);
	CHECK(fg_hash_file("all.bin", FG_HASH_MD5, whole, NULL, &e) == FG_OK);
	CHECK_MSG(fg_image_open_raw_files(&img, paths, 3, 0, &e) == FG_OK,
		  &e);
	CHECK(img->media_size == 2000783 && img->kind == FG_CONTAINER_SPLIT_RAW);
	CHECK(fg_image_segment_at(img, 1000003) == &img->segs[1]);
	CHECK(fg_image_segment_at(img, 2000782) == &img->segs[2]);
	CHECK(fg_image_segment_at(img, 2000783) == NULL);
	stream_md5(img, got);
	CHECK_STR(got, whole[0]);
	fg_image_close(img);
	/* The same past the page cache (O_DIRECT where allowed). */
	CHECK_MSG(fg_image_open_raw_files(&img, paths, 3,
					  FG_IMAGE_BYPASS_CACHE, &e) == FG_OK,
		  &e);
	CHECK(strcmp(img->cache_bypass, "none") != 0);
	stream_md5(img, got);
	CHECK_STR(got, whole[0]);
	fg_image_close(img);
	/* A set from its first name; a later segment is refused. */
	CHECK_MSG(fg_image_open(&img, "r.001", 0, 0, &e) == FG_OK, &e);
	CHECK(img != NULL && img->nsegs == 3);
	fg_image_close(img);
	img = NULL;
	CHECK(fg_image_open(&img, "r.002", 0, 0, &e) == FG_EINVAL);
	CHECK(strstr(e.msg, "give r.001") != NULL);
	CHECK(img == NULL);
	/* A gap is a missing segment. */
	CHECK(rename("r.002", "r.004") == 0);
	CHECK(fg_image_open(&img, "r.001", 0, 0, &e) == FG_ESOURCE);
	CHECK(strstr(e.msg, "r.002: segment missing") != NULL);
}

int main(void)
{
	unit_run("detect", test_detect);
	unit_run("detect_foreign", test_detect_foreign);
	unit_run("detect_fuzz", test_detect_fuzz);
	unit_run("ewf_map", test_ewf_map);
	unit_run("ewf_map_fuzz", test_ewf_map_fuzz);
	unit_run("raw_sets", test_raw_sets);
	unit_run("ewf_reopen", test_ewf_reopen);
	return unit_done();
}
