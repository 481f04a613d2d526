/* test_record.c - the record tree, its JSON and text files, the coreutils
 * sidecars and the never-overwrite rule. */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include <forage/record.h>

#include "base/base_int.h"
#include "record/record_int.h"
#include "unit.h"

/* The schemas generated from the key table, and where they are kept. */
static const struct {
	const char *name;
	unsigned doc;
} schemas[] = {{"record", FG_RDOC_ACQ},
	       {"info", FG_RDOC_INFO},
	       {"verify", FG_RDOC_VLIST}};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[65536];
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_tree(void)
{
	struct fg_record *r = NULL, *back = NULL;
	struct fg_error err;
	int64_t v = 0;

	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_record_set_str(r, "case.examiner", "A. Examiner") == FG_OK);
	CHECK(fg_record_set_int(r, "source.size", 513) == FG_OK);
	CHECK(fg_record_set_null(r, "source.serial") == FG_OK);
	CHECK(fg_record_set_null(r, "case.notes") == FG_OK);
	CHECK(fg_record_set_str(r, "case.examiner", "B. Examiner") == FG_OK);
	CHECK(fg_record_add_bad_range(r, 2049, 3) == FG_OK);
	/* A key through a non-object is refused. */
	CHECK(fg_record_set_str(r, "source.size.x", "no") == FG_EINVAL);
	CHECK_STR(fg_record_get_str(r, "case.examiner"), "B. Examiner");
	CHECK(fg_record_get_str(r, "source.serial") == NULL);
	CHECK(fg_record_get_int(r, "source.size", &v) == FG_OK && v == 513);
	CHECK(fg_record_write_json(r, "rec.json", 0, &err) == FG_OK);
	/* Never overwritten, unless the caller owns it. */
	CHECK(fg_record_write_json(r, "rec.json", 0, &err) == FG_EEXIST);
	CHECK(strstr(err.msg, "rec.json") != NULL);
	CHECK(fg_record_write_json(r, "rec.json", 1, &err) == FG_OK);
	CHECK(fg_record_load(&back, "rec.json", &err) == FG_OK);
	CHECK_STR(fg_record_get_str(back, "case.examiner"), "B. Examiner");
	CHECK(fg_record_get_int(back, "source.size", &v) == FG_OK && v == 513);
	CHECK(fg_record_write_text(r, "rec.txt", 0, &err) == FG_OK);
	{
		const char *t = slurp("rec.txt");
		CHECK(t != NULL &&
		      strstr(t, "\nExaminer:       B. Examiner\n") != NULL);
		/* Not given is not unknown. */
		CHECK(t != NULL && strstr(t, "\nNotes:          none\n") != NULL);
		CHECK(t != NULL &&
		      strstr(t, "\n  LBA 2049 - 2051 (3 sectors)\n") != NULL);
		CHECK(t != NULL && strstr(t, "\nRecord:         rec.json ") !=
				       NULL);
	}
	fg_record_free(back);
	fg_record_free(r);
}

/* The longest line of text, in columns (UTF-8 continuation bytes do not
 * count). */
static size_t widest(const char *t)
{
	size_t w = 0, n = 0;

	for (; *t != '\0'; t++) {
		if (*t == '\n') {
			n = 0;
			continue;
		}
		if (((unsigned char)*t & 0xc0) != 0x80 && ++n > w)
			w = n;
	}
	return w;
}

/* The imaging log of an acquisition with many unreadable ranges and a
 * hostile examiner: the status and the hashes at the top, the ranges
 * listed up to the cap and the rest said in a sentence, control bytes
 * escaped, every value the log has no place for under OTHER, 80
 * columns. */
static void test_log(void)
{
	struct fg_record *r = NULL;
	const char *md5 = "0123456789abcdef0123456789abcdef";
	const char *sha = "00112233445566778899aabbccddeeff"
			  "00112233445566778899aabbccddeeff";
	char *t, *p;
	uint64_t i;

	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_record_set_str(r, "record_format", "forage-acquisition-1") ==
	      FG_OK);
	CHECK(fg_record_set_str(r, "tool.name", "forage") == FG_OK);
	CHECK(fg_record_set_str(r, "tool.version", "9.9") == FG_OK);
	CHECK(fg_record_set_str(r, "case.case_id", "2026-041") == FG_OK);
	CHECK(fg_record_set_str(r, "case.examiner", "X\033[2J\a") == FG_OK);
	CHECK(fg_record_set_null(r, "case.notes") == FG_OK);
	CHECK(fg_record_set_str(r, "source.path", "/dev/sdz") == FG_OK);
	CHECK(fg_record_set_str(r, "source.kind", "block device") == FG_OK);
	CHECK(fg_record_set_int(r, "source.size", 1048576) == FG_OK);
	CHECK(fg_record_set_int(r, "source.total_size", 1048576) == FG_OK);
	CHECK(fg_record_set_int(r, "source.offset", 0) == FG_OK);
	CHECK(fg_record_set_int(r, "source.logical_sector_size", 512) ==
	      FG_OK);
	CHECK(fg_record_set_int(r, "source.inode", 4242) == FG_OK);
	CHECK(fg_record_set_str(r, "source.sysfs.wwid", "naa.5000") == FG_OK);
	CHECK(fg_record_set_str(r, "source.model", "Disk\033]0;T\a") ==
	      FG_OK);
	CHECK(fg_record_set_int(r, "parameters.fill_byte", 0xee) == FG_OK);
	CHECK(fg_record_set_str(r, "run.started_utc", "2026-12-07T10:00:00Z") ==
	      FG_OK);
	CHECK(fg_record_set_str(r, "result.status", "completed with errors") ==
	      FG_OK);
	CHECK(fg_record_set_str(r, "hashes.md5", md5) == FG_OK);
	CHECK(fg_record_set_str(r, "hashes.sha256", sha) == FG_OK);
	/* The source and its partitions in the same state: one sentence. */
	{
		static const char *const dev[][2] = {{"sdz", "source"},
						     {"sdz1", "partition"},
						     {"sdz2", "partition"}};
		char k[96], node[32];
		for (i = 0; i < 3; i++) {
			snprintf(k, sizeof(k), "write_block.devices.%s.node",
				 dev[i][0]);
			snprintf(node, sizeof(node), "/dev/%s", dev[i][0]);
			CHECK(fg_record_set_str(r, k, node) == FG_OK);
			snprintf(k, sizeof(k), "write_block.devices.%s.role",
				 dev[i][0]);
			CHECK(fg_record_set_str(r, k, dev[i][1]) == FG_OK);
			snprintf(k, sizeof(k),
				 "write_block.devices.%s.flag_set_by_forage",
				 dev[i][0]);
			CHECK(fg_record_set_bool(r, k, 1) == FG_OK);
			snprintf(k, sizeof(k),
				 "write_block.devices.%s.readonly_after",
				 dev[i][0]);
			CHECK(fg_record_set_bool(r, k, 0) == FG_OK);
		}
	}
	/* A --verify read-back that found the image changed. */
	{
		struct fg_record *c = NULL;
		CHECK(fg_record_new(&c) == FG_OK);
		CHECK(fg_record_set_str(c, "what", "media") == FG_OK);
		CHECK(fg_record_set_str(c, "algorithm", "md5") == FG_OK);
		CHECK(fg_record_set_str(c, "expected", md5) == FG_OK);
		CHECK(fg_record_set_str(c, "computed", "ffff") == FG_OK);
		CHECK(fg_record_set_str(c, "source", "the acquisition's own "
						      "digest") == FG_OK);
		CHECK(fg_record_set_str(c, "result", "MISMATCH") == FG_OK);
		CHECK(fg_record_set_bool(r, "parameters.verify", 1) == FG_OK);
		CHECK(fg_record_set_str(r, "verification.status",
					"mismatch") == FG_OK);
		CHECK(fg_record_append_record(r, "verification.checks", c) ==
		      FG_OK);
		fg_record_free(c);
	}
	for (i = 0; i < 600; i++)
		CHECK(fg_record_add_bad_range(r, 10 * i + 7, 1 + i % 2) ==
		      FG_OK);
	t = fg_record_dump_log(r, "out/HD1.txt");
	CHECK(t != NULL);
	if (t == NULL) {
		fg_record_free(r);
		return;
	}
	/* The status and the hashes in the first 30 lines. */
	for (p = t, i = 0; p != NULL && i < 30; i++)
		p = strchr(p + 1, '\n');
	CHECK(p != NULL);
	if (p != NULL)
		*p = '\0';
	CHECK(strstr(t, "\nStatus:         COMPLETE WITH ERRORS: 900 "
			"unreadable sectors filled with 0xEE\n") != NULL);
	CHECK(strstr(t, "\nMD5:            0123456789abcdef") != NULL);
	CHECK(strstr(t, "\nSHA-256:        001122") != NULL);
	CHECK(strstr(t, "\nUnreadable:     900 sectors in 600 ranges") !=
	      NULL);
	CHECK(strstr(t, "\nImage re-read:  MISMATCH: the image read back "
			"differs (see VERIFICATION)\n") != NULL);
	if (p != NULL)
		*p = '\n';
	CHECK(strstr(t, "\nExaminer:       X\\x1b[2J\\x07\n") != NULL);
	CHECK(strstr(t, "\nModel:          Disk\\x1b]0;T\\x07\n") != NULL);
	CHECK(strchr(t, '\033') == NULL && strchr(t, '\a') == NULL);
	CHECK(strstr(t, "\n  MD5 of media: MISMATCH (against the acquisition's "
			"own digest)\n    Expected:   0123456789abcdef") != NULL);
	CHECK(strstr(t, "\n    Computed:   ffff\n") != NULL);
	/* Up to the cap, one a line; then a sentence. */
	CHECK(strstr(t, "\n  LBA 7 (1 sector)\n  LBA 17 - 18 (2 sectors)\n") !=
	      NULL);
	CHECK(strstr(t, "\n  LBA 4997 - 4998 (2 sectors)\n") != NULL);
	CHECK(strstr(t, "LBA 5007 ") == NULL);
	CHECK(strstr(t, "\n  ... and 100 more ranges (150 sectors): the JSON "
			"record lists every range\n  (bad_ranges).\n") != NULL);
	CHECK(strstr(t, "\n  /dev/sdz (source) and its 2 partitions "
			"(/dev/sdz1, /dev/sdz2): kernel\n    read-only flag set "
			"by forage, but it did not hold: cleared after the "
			"run.\n") != NULL);
	p = strstr(t, "sdz1");
	CHECK(p != NULL && strstr(p + 1, "sdz1") == NULL);
	/* What the log has no place for. */
	CHECK(strstr(t, "\n---- OTHER RECORDED VALUES ----") != NULL);
	CHECK(strstr(t, "\n  Inode: 4242\n") != NULL);
	CHECK(strstr(t, "\n  Sysfs:\n    WWID: naa.5000\n") != NULL);
	CHECK(strstr(t, "\nExaminer: ____") != NULL);
	CHECK(strchr(t, '{') == NULL && strchr(t, '}') == NULL);
	CHECK(widest(t) <= 80);
	free(t);
	fg_record_free(r);
}


/* The drive's health in the log: the readings, what changed, each
 * attribute with its raw value after where it moved, the pages by size
 * and SHA-256 (their base64 stays in the JSON). */
static void test_log_health(void)
{
	struct fg_record *r = NULL;
	const char *sha = "00112233445566778899aabbccddeeff"
			  "00112233445566778899aabbccddeeff";
	char *t;

	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_record_set_str(r, "record_format", "forage-acquisition-1") ==
	      FG_OK);
	CHECK(fg_record_set_str(r, "source.kind", "block device") == FG_OK);
	CHECK(fg_record_set_str(r, "source.raw_pages.ata_identify.from",
				"ATA IDENTIFY DEVICE") == FG_OK);
	CHECK(fg_record_set_int(r, "source.raw_pages.ata_identify.bytes",
				512) == FG_OK);
	CHECK(fg_record_set_str(r, "source.raw_pages.ata_identify.sha256",
				sha) == FG_OK);
	CHECK(fg_record_set_str(r, "source.raw_pages.ata_identify.base64",
				"QUJD") == FG_OK);
	CHECK(fg_record_set_bool(r, "health.before.available", 1) == FG_OK);
	CHECK(fg_record_set_str(r, "health.before.read_utc",
				"2026-12-07T10:00:00Z") == FG_OK);
	CHECK(fg_record_set_str(r, "health.before.via", "ATA SMART") ==
	      FG_OK);
	CHECK(fg_record_set_int(r, "health.before.ata.attributes.5.id", 5) ==
	      FG_OK);
	CHECK(fg_record_set_str(r, "health.before.ata.attributes.5.name",
				"Reallocated sector count") == FG_OK);
	CHECK(fg_record_set_int(r, "health.before.ata.attributes.5.value",
				100) == FG_OK);
	CHECK(fg_record_set_int(r, "health.before.ata.attributes.5.worst",
				99) == FG_OK);
	CHECK(fg_record_set_int(r, "health.before.ata.attributes.5.raw", 0) ==
	      FG_OK);
	CHECK(fg_record_set_int(r, "health.before.ata.attributes.5.flags",
				0x33) == FG_OK);
	CHECK(fg_record_set_int(r, "health.after.ata.attributes.5.raw", 8) ==
	      FG_OK);
	CHECK(fg_record_set_bool(r, "health.after.available", 0) == FG_OK);
	CHECK(fg_record_set_str(r, "health.after.note", "gone") == FG_OK);
	CHECK(fg_record_set_str(r, "health.before.raw_pages.smart_read_data."
				   "base64",
				"QUJD") == FG_OK);
	CHECK(fg_record_append_str(r, "health.changes",
				   "Reallocated sector count grew from 0 to 8 "
				   "during acquisition") == FG_OK);
	t = fg_record_dump_log(r, NULL);
	CHECK(t != NULL);
	if (t == NULL) {
		fg_record_free(r);
		return;
	}
	CHECK(strstr(t, "\nIdentity page:  ata_identify, 512 bytes from ATA "
			"IDENTIFY DEVICE, SHA-256\n") != NULL);
	CHECK(strstr(t, "\n---- DRIVE HEALTH ----") != NULL);
	CHECK(strstr(t, "\nBefore:         read at 2026-12-07 10:00:00 UTC: ATA "
			"SMART\n") != NULL);
	CHECK(strstr(t, "\nAfter:          not available: gone\n") != NULL);
	CHECK(strstr(t, "\nChange:         Reallocated sector count grew from "
			"0 to 8 during acquisition\n") != NULL);
	CHECK(strstr(t, "\nAttribute:        5 Reallocated sector count: "
			"value 100, worst 99, raw 0, flags\n                0033; raw 8 after\n") != NULL);
	CHECK(strstr(t, "QUJD") == NULL);
	CHECK(widest(t) <= 80);
	free(t);
	/* forage info's text: the page's bytes are left to the JSON. */
	t = fg_record_dump_text(r);
	CHECK(t != NULL && strstr(t, "QUJD") == NULL &&
	      strstr(t, ": (4 characters of base64: in the JSON)\n") != NULL);
	free(t);
	fg_record_free(r);
}

static void test_load_errors(void)
{
	struct fg_record *r = NULL;
	struct fg_error err;
	FILE *f = fopen("bad.json", "w");

	fputs("{\"a\": 1,\n \"b\": }\n", f);
	fclose(f);
	CHECK(fg_record_load(&r, "bad.json", &err) == FG_EFORMAT);
	CHECK(r == NULL);
	CHECK(strstr(err.msg, "bad.json") != NULL &&
	      strstr(err.msg, "line 2") != NULL);
	CHECK(fg_record_load(&r, "absent.json", &err) == FG_EFORMAT);
	f = fopen("array.json", "w");
	fputs("[1,2]\n", f);
	fclose(f);
	CHECK(fg_record_load(&r, "array.json", &err) == FG_EFORMAT);
	/* A FIFO at the name is refused at once, not waited on (issue 19);
	 * /dev/zero is not read without end. */
	alarm(60); /* a regression fails instead of hanging */
	CHECK(mkfifo("fifo.json", 0600) == 0);
	CHECK(fg_record_load(&r, "fifo.json", &err) == FG_EFORMAT);
	CHECK(r == NULL);
	CHECK(strcmp(err.msg, "fifo.json: is a FIFO, not a regular file") ==
	      0);
	CHECK(fg_record_load(&r, "/dev/zero", &err) == FG_EFORMAT);
	CHECK(strstr(err.msg, "is a character device") != NULL);
	alarm(0);
}

static void test_sidecar(void)
{
	struct fg_outfile files[2];
	struct fg_error err;
	struct stat st;
	const char *t;

	memset(files, 0, sizeof(files));
	files[0].path = "/cases/x/HD1.001";
	strcpy(files[0].md5, "900150983cd24fb0d6963f7d28e17f72"); /* checksrc:ok */
	strcpy(files[0].sha256, "ab"); /* checksrc:ok */
	files[1].path = "HD1.002";
	strcpy(files[1].md5, "d41d8cd98f00b204e9800998ecf8427e"); /* checksrc:ok */
	CHECK_MSG(fg_sidecar_write("HD1.md5", FG_HASH_MD5, files, 2, &err) ==
			  FG_OK,
		  &err);
	t = slurp("HD1.md5");
	CHECK_STR(t, "900150983cd24fb0d6963f7d28e17f72  HD1.001\n"
		     "d41d8cd98f00b204e9800998ecf8427e  HD1.002\n");
	/* Read-only evidence file, no temporary left. */
	CHECK(stat("HD1.md5", &st) == 0 && (st.st_mode & 0222) == 0);
	CHECK(system("ls | grep -q tmp") != 0);
	CHECK(fg_sidecar_write("HD1.md5", FG_HASH_MD5, files, 2, &err) ==
	      FG_EEXIST);
	files[1].path = "bad\nname";
	CHECK(fg_sidecar_write("X.md5", FG_HASH_MD5, files, 2, &err) ==
	      FG_EINVAL);
	CHECK(access("X.md5", F_OK) != 0);
	/* coreutils agrees with what we write. */
	{
		struct fg_outfile one;
		memset(&one, 0, sizeof(one));
		one.path = "abc";
		FILE *f = fopen("abc", "w");
		fputs("abc", f);
		fclose(f);
		strcpy(one.md5, "900150983cd24fb0d6963f7d28e17f72"); /* checksrc:ok */
		CHECK(fg_sidecar_write("abc.md5", FG_HASH_MD5, &one, 1,
				       &err) == FG_OK);
		CHECK(system("md5sum --status -c abc.md5") == 0);
	}
}

static void test_atomic_folder_missing(void)
{
	struct fg_error err;

	CHECK(fg_write_file_atomic("nope/x.txt", "x", 1, 0, &err) != FG_OK);
	CHECK(strstr(err.msg, "nope/x.txt") != NULL);
}

/* A record of doc: with its record_format when it has one. */
static struct fg_record *doc_record(unsigned doc)
{
	static const char *const format[] = {"forage-acquisition-1",
					     "forage-info-1",
					     "forage-verification-1"};
	struct fg_record *r = NULL;
	size_t i;

	if (fg_record_new(&r) != FG_OK)
		return NULL;
	for (i = 0; i < 3; i++)
		if (doc == (1u << i))
			CHECK(fg_record_set_str(r, "record_format",
						format[i]) == FG_OK);
	return r;
}

static void test_unknown_key(void)
{
	struct fg_record *r = doc_record(FG_RDOC_ACQ);

	CHECK(r != NULL);
	CHECK(fg_record_set_str(r, "source.model", "WDC") == FG_OK);
	CHECK_STR(fg_record_errmsg(r), "");
	/* A mistyped key is refused, said, and not written. */
	CHECK(fg_record_set_str(r, "source.modle", "WDC") == FG_EINVAL);
	CHECK(strstr(fg_record_errmsg(r), "\"source.modle\"") != NULL);
	CHECK(fg_record_get_str(r, "source.modle") == NULL);
	CHECK(fg_record_set_int(r, "reading.sector_filled", 1) == FG_EINVAL);
	CHECK(fg_record_append_str(r, "write_block.note", "x") == FG_EINVAL);
	CHECK(fg_record_add_bad_range(r, 1, 1) == FG_OK);
	/* A known key with a type the table does not allow there. */
	CHECK(fg_record_set_int(r, "source.model", 1) == FG_EINVAL);
	CHECK(strstr(fg_record_errmsg(r), "integer") != NULL);
	CHECK(fg_record_set_bool(r, "hashes.md5", 1) == FG_EINVAL);
	/* A key of another document. */
	CHECK(fg_record_set_str(r, "image.kind", "raw") == FG_EINVAL);
	CHECK(fg_record_set_str(r, "examined_utc", "x") == FG_EINVAL);
	/* Made-up names go where the table has "*", one component. */
	CHECK(fg_record_set_bool(r, "write_block.devices.sdb1.readonly_after",
				 1) == FG_OK);
	CHECK(fg_record_set_bool(r, "write_block.devices.readonly_after", 1) ==
	      FG_EINVAL);
	fg_record_free(r);
	/* Before its record_format, or as an array's element, a record
	 * takes any document's keys and none else. */
	CHECK(fg_record_new(&r) == FG_OK);
	CHECK(fg_record_set_str(r, "what", "the media") == FG_OK);
	CHECK(fg_record_set_int(r, "first_window", 3) == FG_OK);
	CHECK(fg_record_set_str(r, "wat", "the media") == FG_EINVAL);
	fg_record_free(r);
}

/* Each entry takes the setter of each type it lists and refuses the
 * others: an example key per entry ("x" for "*"), in a record of its
 * document, or, for an element's field, in the element's own record. */
static void test_table_types(void)
{
	size_t i, d;
	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	/* The refusals are expected here: not on the test's log. */
	fflush(stderr);
	dup2(null, 2);

	for (i = 0; i < fg_record_nkeys; i++) {
		const struct fg_record_key *e = &fg_record_keys[i];
		char key[160], *p;
		const char *k = e->key, *last;
		size_t n;
		int is_item = 0;

		CHECK(e->meaning != NULL && e->meaning[0] != '\0');
		CHECK((e->types & 0x3fu) != 0);
		for (last = k; (p = strstr(last, "[].")) != NULL;
		     last = p + 3)
			;
		if (last != k) {
			k = last;
			is_item = 1;
		}
		snprintf(key, sizeof(key), "%s", k);
		for (p = key; (p = strchr(p, '*')) != NULL; p++)
			*p = 'x';
		n = strlen(key);
		for (d = 0; d < 4; d++) {
			unsigned doc = 1u << d;
			struct fg_record *r, *item = NULL;
			unsigned t, want;
			int got;
			/* No record_format: any document's keys. */
			int loose = is_item || doc == FG_RDOC_VLIST;

			if (!(e->docs & doc))
				continue;
			r = doc_record(is_item ? 0 : doc);
			CHECK(fg_record_new(&item) == FG_OK);
			if (n > 2 && strcmp(key + n - 2, "[]") == 0) {
				key[n - 2] = '\0';
				got = fg_record_append_str(r, key, "v");
				CHECK((got == FG_OK) ==
				      ((e->types & FG_RT_STR) != 0));
				got = fg_record_append_record(r, key, item);
				CHECK((got == FG_OK) ==
				      ((e->types & FG_RT_OBJECT) != 0));
				key[n - 2] = '[';
				fg_record_free(item);
				fg_record_free(r);
				continue;
			}
			for (t = 0; t < 5; t++) {
				want = (e->types & (1u << t)) != 0;
				/* Another entry may take the type. */
				if (!want &&
				    fg_record_key_find(key, loose ? ~0u : doc,
						       1u << t, loose) != NULL)
					continue;
				got = t == 0   ? fg_record_set_str(r, key, "v")
				      : t == 1 ? fg_record_set_int(r, key, 1)
				      : t == 2 ? fg_record_set_bool(r, key, 1)
				      : t == 3 ? fg_record_set_null(r, key)
						 : fg_record_set_record(
						       r, key, item);
				if ((got == FG_OK) != want)
					fprintf(stderr, "  %s (doc %u): type "
							"%u gives %d\n",
						e->key, doc, t, got);
				CHECK((got == FG_OK) == want);
			}
			fg_record_free(item);
			fg_record_free(r);
		}
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
}

static char *schema_path(const char *name)
{
	static char path[4096];
	const char *top = getenv("FG_SRCDIR");

	snprintf(path, sizeof(path), "%s/docs/schema/%s.schema.json",
		 top != NULL ? top : "../..", name);
	return path;
}

/* The committed schemas are the ones the table makes. */
static void test_schemas_committed(void)
{
	size_t i;

	for (i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		char *want = fg_record_schema(schemas[i].doc);
		FILE *f = fopen(schema_path(schemas[i].name), "r");
		static char have[1 << 20];
		size_t n = 0;

		CHECK(want != NULL);
		CHECK(f != NULL);
		if (f != NULL) {
			n = fread(have, 1, sizeof(have) - 1, f);
			fclose(f);
		}
		have[n] = '\0';
		if (want != NULL && n > 0 && have[n - 1] == '\n')
			have[--n] = '\0';
		if (want == NULL || strcmp(want, have) != 0)
			fprintf(stderr,
				"  %s differs from the key table: run "
				"tests/unit/test_record --schema %s > %s\n",
				schema_path(schemas[i].name), schemas[i].name,
				schema_path(schemas[i].name));
		CHECK(want != NULL && strcmp(want, have) == 0);
		free(want);
	}
}

/* The words the imaging log and the report share (record_words.c). */
static void setting_cb(void *arg, const struct fg_record_setting *st)
{
	struct fg_buf *b = arg;

	fg_buf_printf(b, "%s=%s|%s|%d%d%d\n", st->label,
		      st->value ? st->value : "-", st->bare ? st->bare : "-",
		      st->is_default, st->always, st->recorded);
}

static void test_words(void)
{
	json_t *v = json_pack("{s:s, s:I, s:I, s:I, s:I}", "state", "present",
			      "hidden_sectors", (json_int_t)2048,
			      "hidden_first_lba", (json_int_t)10000,
			      "user_addressable_sectors", (json_int_t)10000,
			      "native_max_sectors", (json_int_t)12048);
	json_t *devs, *p;
	struct fg_buf b = {NULL, 0, 0, 0};
	char *w;

	w = fg_record_hidden_area_words(v, "host protected area", NULL);
	CHECK(w != NULL &&
	      strcmp(w, "PRESENT: the host protected area hides 2,048 sectors "
			"from LBA 10,000 on (the drive shows 10,000 of "
			"12,048); they were not acquired.") == 0);
	free(w);
	json_decref(v);
	v = json_pack("{s:s, s:I}", "state", "absent", "factory_max_sectors",
		      (json_int_t)1000);
	w = fg_record_hidden_area_words(v, "device configuration overlay",
					NULL);
	CHECK(w != NULL &&
	      strcmp(w, "none: the drive shows all its 1,000 sectors.") == 0);
	free(w);
	json_decref(v);
	v = json_pack("{s:s}", "state", "not supported");
	w = fg_record_hidden_area_words(v, "device configuration overlay",
					NULL);
	CHECK(w != NULL && strcmp(w, "the drive does not support the device "
				     "configuration overlay feature.") == 0);
	free(w);
	json_decref(v);
	v = json_pack("{s:n, s:s}", "state", "note", "frozen");
	w = fg_record_hidden_area_words(v, "host protected area", NULL);
	CHECK(w != NULL && strcmp(w, "not known: frozen.") == 0);
	free(w);
	json_decref(v);
	w = fg_record_hidden_area_words(NULL, "host protected area", "file");
	CHECK(w != NULL && strcmp(w, "not applicable: the source is not a "
				     "block device.") == 0);
	free(w);
	/* The source and a partition in its state in one sentence; another
	 * partition in another state in its own. */
	devs = json_pack(
	    "{s:{s:s, s:s, s:b, s:b, s:b}, s:{s:s, s:s, s:b, s:b, s:b},"
	    " s:{s:s, s:s, s:b, s:b}}",
	    "sdb", "node", "/dev/sdb", "role", "source", "readonly_before", 0,
	    "flag_set_by_forage", 1, "readonly_after", 1, "sdb1", "node",
	    "/dev/sdb1", "role", "partition", "readonly_before", 0,
	    "flag_set_by_forage", 1, "readonly_after", 1, "sdb2", "node",
	    "/dev/sdb2", "role", "partition", "readonly_before", 0,
	    "flag_set_by_forage", 0);
	w = fg_record_devices_words(devs);
	CHECK(w != NULL &&
	      strcmp(w, "/dev/sdb (source) and its 1 partition (/dev/sdb1): "
			"kernel read-only flag set by forage; still set after "
			"the run.\n/dev/sdb2 (partition): kernel read-only "
			"flag NOT set.") == 0);
	free(w);
	json_decref(devs);
	/* The write block as a whole: disabled in one sentence, not the
	 * state again; a file's. */
	v = json_pack("{s:b, s:s}", "no_write_block", 1, "state",
		      "disabled by --no-write-block: the kernel read-only "
		      "flag was not set");
	CHECK(strcmp(fg_record_write_block_words(v),
		     "NOT used: --no-write-block was given; the kernel "
		     "read-only flag was not set.") == 0);
	json_decref(v);
	v = json_pack("{s:b}", "applicable", 0);
	CHECK(strcmp(fg_record_write_block_words(v),
		     "not a block device: no kernel flag applies.") == 0);
	json_decref(v);
	/* The settings: labels, the default marked (or bare), only what
	 * the parameters hold counted as recorded. */
	p = json_pack("{s:s, s:s, s:I, s:I}", "format", "raw", "hashes",
		      "md5,sha1", "retries", (json_int_t)3, "segment_size",
		      (json_int_t)1048576);
	CHECK(fg_record_settings_words(p, NULL, setting_cb, &b) == 14);
	CHECK(b.p != NULL &&
	      strstr(b.p, "Image format=raw (dd)|raw (dd)|011\n") != NULL);
	CHECK(b.p != NULL &&
	      strstr(b.p, "Hashes=MD5, SHA-1|MD5, SHA-1|011\n") != NULL);
	CHECK(b.p != NULL &&
	      strstr(b.p, "Segment size=split into files of at most 1 MiB|"
			  "split into files of at most 1 MiB|011\n") != NULL);
	CHECK(b.p != NULL &&
	      strstr(b.p, "Retries=3 extra reads of a failing sector "
			  "(default)|3 extra reads of a failing sector|111\n") !=
		  NULL);
	CHECK(b.p != NULL &&
	      strstr(b.p, "Unreadable sectors filled with=0x00 (zero bytes, "
			  "default)|0x00 (zero bytes)|110\n") != NULL);
	CHECK(b.p != NULL && strstr(b.p, "Chunk size") == NULL);
	free(b.p);
	json_decref(p);
}

int main(int argc, char **argv)
{
	size_t i;

	/* --schema NAME: print the schema made from the key table. */
	if (argc == 3 && strcmp(argv[1], "--schema") == 0) {
		for (i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
			char *text;
			if (strcmp(argv[2], schemas[i].name) != 0)
				continue;
			text = fg_record_schema(schemas[i].doc);
			if (text == NULL)
				return 1;
			printf("%s\n", text);
			free(text);
			return 0;
		}
		fprintf(stderr, "usage: test_record [--schema "
				"record|info|verify]\n");
		return 2;
	}
	unit_run("record tree and files", test_tree);
	unit_run("a key not in the table is refused", test_unknown_key);
	unit_run("each key takes the types of its table entry",
		 test_table_types);
	unit_run("docs/schema is made from the key table",
		 test_schemas_committed);
	unit_run("the imaging log (OUTBASE.txt)", test_log);
	unit_run("the imaging log: drive health", test_log_health);
	unit_run("the words the log and the report share", test_words);
	unit_run("record load errors", test_load_errors);
	unit_run("coreutils sidecars", test_sidecar);
	unit_run("atomic write into a missing folder",
		 test_atomic_folder_missing);
	return unit_done();
}
