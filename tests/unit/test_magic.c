/* test_magic.c - content identification through libmagic: a boot
 * sector, an EWF container, an empty medium, and the record of a source's
 * first sectors (read through the source, with its --offset). */
#include "config.h"

#include <errno.h>

#include <forage/magic.h>
#include <forage/record.h>
#include <forage/source.h>

#include "unit.h"

static void mbr(uint8_t *b)
{
	memset(b, 0, 512);
	/* One Linux partition at sector 2048, 8192 sectors. */
	b[446 + 4] = 0x83;
	b[446 + 8] = 0x00;
	b[446 + 9] = 0x08;
	b[446 + 13] = 0x20;
	b[510] = 0x55;
	b[511] = 0xaa;
}

static void test_buffers(void)
{
	uint8_t b[4096];
	/* The first bytes of every EWF segment file (EVF signature). */
	const uint8_t evf[16] = {'E', 'V', 'F', 0x09, 0x0d, 0x0a, 0xff, 0x00,
				 0x01, 0x01, 0x00, 0x00, 0x00, 'h', 'e', 'a'};
	struct fg_magic *m = NULL;
	struct fg_error err;
	char out[512];

	mbr(b);
	CHECK_MSG(fg_magic_describe(b, 512, out, sizeof(out), &err) == FG_OK,
		  &err);
	CHECK(strstr(out, "DOS/MBR boot sector") != NULL);
	CHECK_MSG(fg_magic_open(&m, &err) == FG_OK, &err);
	CHECK_MSG(fg_magic_buffer(m, evf, sizeof(evf), out, sizeof(out),
				  &err) == FG_OK,
		  &err);
	CHECK_STR(out, "EWF/Expert Witness/EnCase image file format");
	CHECK_MSG(fg_magic_buffer(m, b, 0, out, sizeof(out), &err) == FG_OK,
		  &err);
	CHECK_STR(out, "empty");
	memset(b, 0, sizeof(b));
	CHECK_MSG(fg_magic_buffer(m, b, sizeof(b), out, sizeof(out), &err) ==
			  FG_OK,
		  &err);
	CHECK_STR(out, "data");
	/* A short output buffer is cut, still terminated. */
	mbr(b);
	CHECK(fg_magic_buffer(m, b, 512, out, 8, &err) == FG_OK);
	CHECK(strlen(out) == 7);
	fg_magic_close(m);
	fg_magic_close(NULL);
}

static void test_source_content(void)
{
	uint8_t b[512];
	struct fg_source *src = NULL;
	struct fg_record *rec = NULL;
	struct fg_error err;
	int64_t v = 0;
	FILE *f;

	/* 4096 bytes of zeros, then a boot sector: the whole file is
	 * "data"; from --offset 4096 on it is a boot sector. */
	f = fopen("disk.img", "wb");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	memset(b, 0, sizeof(b));
	for (int i = 0; i < 8; i++)
		fwrite(b, 1, sizeof(b), f);
	mbr(b);
	fwrite(b, 1, sizeof(b), f);
	fclose(f);

	CHECK_MSG(fg_source_open(&src, "disk.img", 0, 0, &err) == FG_OK,
		  &err);
	CHECK(fg_record_new(&rec) == FG_OK);
	CHECK(fg_magic_describe_source(src, rec) == FG_OK);
	CHECK_STR(fg_record_get_str(rec, "source.content"), "data");
	CHECK(fg_record_get_int(rec, "source.content_bytes_examined", &v) ==
		      FG_OK &&
	      v == 4608);
	fg_record_free(rec);
	fg_source_close(src);

	CHECK_MSG(fg_source_open(&src, "disk.img", 4096, 0, &err) == FG_OK,
		  &err);
	CHECK(fg_record_new(&rec) == FG_OK);
	/* fg_source_describe records the content with the geometry. */
	CHECK(fg_source_describe(src, rec) == FG_OK);
	CHECK(fg_record_get_str(rec, "source.content") != NULL &&
	      strstr(fg_record_get_str(rec, "source.content"),
		     "DOS/MBR boot sector") != NULL);
	CHECK(fg_record_get_int(rec, "source.content_bytes_examined", &v) ==
		      FG_OK &&
	      v == 512);
	fg_record_free(rec);
	fg_source_close(src);

	/* An empty file. */
	f = fopen("empty.img", "wb");
	CHECK(f != NULL);
	if (f != NULL)
		fclose(f);
	CHECK_MSG(fg_source_open(&src, "empty.img", 0, 0, &err) == FG_OK,
		  &err);
	CHECK(fg_record_new(&rec) == FG_OK);
	CHECK(fg_magic_describe_source(src, rec) == FG_OK);
	CHECK_STR(fg_record_get_str(rec, "source.content"), "empty");
	fg_record_free(rec);
	fg_source_close(src);
}

/* A source whose first sectors cannot be read: content unknown, and why. */
static ssize_t bad_pread(struct fg_source *src, void *buf, size_t len,
			 uint64_t off)
{
	(void)src;
	(void)buf;
	(void)len;
	(void)off;
	errno = EIO;
	return -1;
}

static void test_unreadable(void)
{
	static const struct fg_source_ops ops = {.kind = "scripted",
						 .pread = bad_pread};
	struct fg_source src;
	struct fg_record *rec = NULL;
	char path[] = "bad-disk";
	const char *note;

	memset(&src, 0, sizeof(src));
	src.ops = &ops;
	src.path = path;
	src.total_size = src.size = 1 << 20;
	src.sector_size = src.physical_sector_size = 512;
	CHECK(fg_record_new(&rec) == FG_OK);
	CHECK(fg_magic_describe_source(&src, rec) == FG_OK);
	CHECK(fg_record_get_str(rec, "source.content") == NULL);
	note = fg_record_get_str(rec, "source.content_note");
	CHECK(note != NULL &&
	      strstr(note, "bad-disk: the first 65536 bytes could not be "
			   "read: Input/output error") != NULL);
	fg_record_free(rec);
}

int main(void)
{
	unit_run("libmagic on buffers", test_buffers);
	unit_run("content of a source's first sectors", test_source_content);
	unit_run("unreadable first sectors", test_unreadable);
	return unit_done();
}
