/*
 * test_sink_raw.c - a split raw image's per-file digests computed by the
 * sink's pipeline consumers (fg_sink_digest_consumers): with the media's
 * MD5 handed over, one consumer computes it and the files' MD5 in one
 * pass; blocks in order give every digest, a block out of order stops the
 * media's MD5 there and makes the sink read its files again at finish.
 * Real files, a real pipeline; digests against OpenSSL.
 */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <forage/hash.h>
#include <forage/pipeline.h>
#include <forage/sink.h>

#include "unit.h"

#define SEG   12288 /* three files of 12 KiB and one of 4 KiB */
#define SIZE  40960
#define BLOCK 8192

static unsigned char media[SIZE];

static void md5_hex(const unsigned char *p, size_t n, char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	static const char digits[] = "0123456789abcdef";
	unsigned int len = 0, i;

	CHECK(EVP_Digest(p, n, md, &len, EVP_md5(), NULL) == 1);
	for (i = 0; i < len; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * len] = '\0';
}

static int consume_sink(void *ctx, const struct fg_block *b,
			struct fg_error *err)
{
	(void)err;
	return fg_sink_write(ctx, b->data, b->len, b->offset);
}

static struct fg_sink *open_split(const char *outbase)
{
	struct fg_sink_params p;
	struct fg_sink *s = NULL;
	struct fg_error err;

	memset(&p, 0, sizeof(p));
	p.outbase = outbase;
	p.media_size = SIZE;
	p.sector_size = 512;
	p.segment_size = SEG;
	p.hash_mask = FG_HASH_MD5 | FG_HASH_SHA256;
	CHECK(fg_sink_new(&s, "raw", &err) == FG_OK);
	CHECK_MSG(fg_sink_open(s, &p) == FG_OK, &s->err);
	return s;
}

/* Write the media through a pipeline as acquire does (the sink's writer
 * and the sink's digest consumers), the block at late_at (if any) last,
 * as the failing-drive passes hand on a hole; a block is out of order,
 * as the reader marks it, when it does not continue the media from its
 * start. */
static void run(const char *outbase, int with_media, size_t late_at,
		const char *want_media_md5)
{
	struct fg_sink *s;
	struct fg_pipe *pipe = NULL;
	struct fg_hash *md5 = NULL;
	struct fg_consumer c, dc[2];
	struct fg_media_hashes mh;
	struct fg_error err;
	size_t n, off, i, in_order = 0;
	int took = -1;
	char got[FG_HASH_HEX_MAX];

	CHECK(fg_hash_new(&md5, FG_HASH_MD5, &err) == FG_OK);
	s = open_split(outbase);
	n = fg_sink_digest_consumers(s, dc, 2, with_media ? md5 : NULL, &took);
	CHECK(n == 2);
	CHECK(took == with_media);
	CHECK(dc[0].critical == with_media && !dc[1].critical);
	CHECK_STR(dc[0].name, with_media ? "md5 of the media and the files"
					 : "md5 of the files");
	CHECK(fg_pipe_new(&pipe, BLOCK, 3, &err) == FG_OK);
	memset(&c, 0, sizeof(c));
	c.name = "writer";
	c.consume = consume_sink;
	c.ctx = s;
	CHECK(fg_pipe_add_consumer(pipe, &c) == FG_OK);
	for (i = 0; i < n; i++)
		CHECK(fg_pipe_add_consumer(pipe, &dc[i]) == FG_OK);
	CHECK(fg_pipe_start(pipe, &err) == FG_OK);
	for (i = 0; i <= SIZE / BLOCK; i++) {
		struct fg_block *b;

		off = i < SIZE / BLOCK ? i * BLOCK : late_at;
		if ((i < SIZE / BLOCK && off == late_at) ||
		    (i == SIZE / BLOCK && late_at >= SIZE))
			continue;
		b = fg_pipe_get(pipe);
		CHECK(b != NULL);
		if (b == NULL)
			break;
		memcpy(b->data, media + off, BLOCK);
		b->offset = off;
		b->len = BLOCK;
		b->out_of_order = off != in_order;
		if (!b->out_of_order)
			in_order += BLOCK;
		fg_pipe_put(pipe, b);
	}
	CHECK(fg_pipe_finish(pipe, &err) == FG_OK);
	fg_pipe_free(pipe);
	if (with_media) {
		CHECK(fg_hash_final(md5, got) == FG_OK);
		CHECK_STR(got, want_media_md5);
	}
	memset(&mh, 0, sizeof(mh));
	md5_hex(media, SIZE, mh.md5);
	CHECK_MSG(fg_sink_finish(s, &mh) == FG_OK, &s->err);
	CHECK(s->nfiles == 4);
	for (i = 0; i < s->nfiles && i < 4; i++) {
		size_t len = i < 3 ? SEG : SIZE - 3 * SEG;

		md5_hex(media + i * SEG, len, got);
		CHECK_STR(s->files[i].md5, got);
		CHECK(s->files[i].size == len);
	}
	fg_sink_free(s);
	fg_hash_free(md5);
}

/* In order: the media's MD5 and the files' come from the one pass. */
static void test_in_order(void)
{
	char want[FG_HASH_HEX_MAX];

	md5_hex(media, SIZE, want);
	run("inorder", 1, SIZE, want);
	run("nomedia", 0, SIZE, want);
}

/* The block at 16K comes last: those at 24K and 32K are out of order,
 * the late one continues the media's first 16K, so the media's MD5 covers
 * 24K (acquire finishes it from the image); the files' digests are read
 * from the files at finish and are still right. */
static void test_out_of_order(void)
{
	char want[FG_HASH_HEX_MAX];

	md5_hex(media, 3 * BLOCK, want);
	run("late", 1, 2 * BLOCK, want);
}

/* A second copy cut the same takes the first's per-file digests, so long
 * as both were written in order: its second file, changed behind its
 * back before finish, still gets the first's digests (which shows they
 * were taken, not read).  Written out of order, it reads its own files:
 * the change then shows in its digest.  A copy cut otherwise refuses. */
static void run_two(int dst_in_order)
{
	struct fg_sink *src = open_split(dst_in_order ? "first" : "first-b");
	struct fg_sink *dst = open_split(dst_in_order ? "second" : "late");
	struct fg_sink *other = NULL;
	struct fg_sink_params p;
	struct fg_consumer dc[2];
	struct fg_media_hashes mh;
	struct fg_error err;
	struct fg_block b;
	size_t n, i, k;
	int took = 0, fd;
	char want[FG_HASH_HEX_MAX];
	unsigned char changed[SEG];

	n = fg_sink_digest_consumers(src, dc, 2, NULL, &took);
	CHECK(n == 2 && took == 0);
	CHECK(fg_sink_share_digests(dst, src) == FG_OK);
	/* A copy cut in 8K files cannot share 12K files' digests. */
	memset(&p, 0, sizeof(p));
	p.outbase = dst_in_order ? "other" : "other-b";
	p.media_size = SIZE;
	p.sector_size = 512;
	p.segment_size = 8192;
	p.hash_mask = FG_HASH_MD5 | FG_HASH_SHA256;
	CHECK(fg_sink_new(&other, "raw", &err) == FG_OK);
	CHECK_MSG(fg_sink_open(other, &p) == FG_OK, &other->err);
	CHECK(fg_sink_share_digests(other, src) == FG_EINVAL);
	fg_sink_abort(other);
	fg_sink_free(other);
	for (i = 0; i < SIZE / BLOCK; i++) {
		size_t j = dst_in_order ? i : SIZE / BLOCK - 1 - i;

		memset(&b, 0, sizeof(b));
		b.data = media + i * BLOCK;
		b.offset = i * BLOCK;
		b.len = BLOCK;
		CHECK(fg_sink_write(src, b.data, BLOCK, b.offset) == FG_OK);
		for (k = 0; k < n; k++)
			CHECK(dc[k].consume(dc[k].ctx, &b, &err) == FG_OK);
		CHECK(fg_sink_write(dst, media + j * BLOCK, BLOCK, j * BLOCK) ==
		      FG_OK);
	}
	for (i = 0; i < SEG; i++)
		changed[i] = (unsigned char)(media[SEG + i] ^ 0x5a);
	fd =
	    open(dst_in_order ? "second.002.incomplete" : "late.002.incomplete",
		 O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, changed, SEG, 0) == SEG);
	if (fd >= 0)
		close(fd);
	memset(&mh, 0, sizeof(mh));
	md5_hex(media, SIZE, mh.md5);
	CHECK_MSG(fg_sink_finish(src, &mh) == FG_OK, &src->err);
	CHECK_MSG(fg_sink_finish(dst, &mh) == FG_OK, &dst->err);
	CHECK(src->nfiles == 4 && dst->nfiles == 4);
	for (i = 0; i < 4 && i < dst->nfiles; i++) {
		if (i == 1 && !dst_in_order) {
			md5_hex(changed, SEG, want);
			CHECK_STR(dst->files[i].md5, want);
			CHECK(strcmp(dst->files[i].sha256,
				     src->files[i].sha256) != 0);
			continue;
		}
		CHECK_STR(dst->files[i].md5, src->files[i].md5);
		CHECK_STR(dst->files[i].sha256, src->files[i].sha256);
	}
	for (i = 0; i < 4 && i < src->nfiles; i++) {
		size_t len = i < 3 ? SEG : SIZE - 3 * SEG;

		md5_hex(media + i * SEG, len, want);
		CHECK_STR(src->files[i].md5, want);
	}
	fg_sink_free(src);
	fg_sink_free(dst);
}

static void test_second_copy(void)
{
	run_two(1);
	run_two(0);
}

/* What the sink table says of each format, before any sink is made. */
static void test_format_table(void)
{
	struct fg_sink *s = NULL;
	struct fg_error err;

	CHECK(fg_sink_format("raw") != NULL);
	CHECK(fg_sink_format_flags("raw") == 0);
	CHECK(fg_sink_format("e01") != NULL);
	CHECK(fg_sink_format_flags("e01") ==
	      (FG_SINK_WHOLE_SECTORS | FG_SINK_CHUNK_CHECKSUMS |
	       FG_SINK_EWF_OPTIONS | FG_SINK_SIZE_VARIES));
	CHECK(fg_sink_format("zip") == NULL);
	CHECK(fg_sink_format_flags("zip") == 0);
	fg_error_clear(&err);
	CHECK(fg_sink_new(&s, "zip", &err) == FG_EINVAL && s == NULL);
	CHECK(strstr(err.msg, "unknown format 'zip'") != NULL);
	CHECK(fg_sink_new(&s, "raw", &err) == FG_OK && s != NULL &&
	      strcmp(s->ops->format, "raw") == 0);
	fg_sink_free(s);
}

/* A symbolic link at an image name, dangling or not, is refused by name
 * before any file is created (issue 19). */
static void test_symlink_refused(void)
{
	static const char *const names[] = {"L.002", "L.003.incomplete",
					     "L.001"};
	struct fg_sink_params p;
	struct fg_sink *s = NULL;
	struct fg_error err;
	struct stat st;
	size_t i;

	memset(&p, 0, sizeof(p));
	p.outbase = "L";
	p.media_size = SIZE;
	p.sector_size = 512;
	p.segment_size = SEG;
	p.hash_mask = FG_HASH_MD5;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char want[128];
		CHECK(symlink("nowhere/x", names[i]) == 0);
		CHECK(fg_sink_new(&s, "raw", &err) == FG_OK);
		CHECK(fg_sink_open(s, &p) == FG_EEXIST);
		snprintf(want, sizeof(want),
			 "%s: is a symbolic link; forage never writes an "
			 "output through one (move it away)",
			 names[i]);
		CHECK(strcmp(s->err.msg, want) == 0);
		fg_sink_free(s);
		s = NULL;
		CHECK(lstat("L.001.incomplete", &st) != 0);
		CHECK(lstat("nowhere", &st) != 0);
		CHECK(unlink(names[i]) == 0);
	}
}

int main(void)
{
	size_t i;
	uint32_t x = 99;

	for (i = 0; i < SIZE; i++) {
		x = x * 1103515245u + 12345u;
		media[i] = (unsigned char)(x >> 16);
	}
	unit_run("the sink table", test_format_table);
	unit_run("a symbolic link at an image name is refused",
		 test_symlink_refused);
	unit_run("split raw, in order: media and files' MD5 in one pass",
		 test_in_order);
	unit_run("split raw, a block out of order", test_out_of_order);
	unit_run("split raw, a second copy takes the first's digests",
		 test_second_copy);
	return unit_done();
}
