/* test_sink_ewf.c - the E01 sink on its own, fed by a script: data of an
 * odd size with scripted unreadable ranges, read back by libewf's own
 * tools (ewfverify, ewfinfo -e); names refused before anything is
 * created; an aborted set stays incomplete under its working name.  The
 * acquisition engine and real devices are tested end to end in
 * tests/e2e/t01*.sh. */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <forage/hash.h>
#include <forage/record.h>
#include <forage/sink.h>

#include "sink/sink_int.h"
#include "unit.h"

static int have_tools;

struct run {
	const char *format;
	const char *compression;
	uint64_t size;
	uint64_t segment;
	unsigned hashes;
	struct fg_media_hashes mh;
	struct fg_ewf_options eo; /* params() fills it */
};

static const struct fg_case_meta case_meta = {
    .tool_name = "forage",
    .tool_version = "0.1.0",
    .case_number = "2026-041",
    .evidence_number = "HD1",
    .examiner = "Jo Smith",
    .description = "scripted\tsource",
    .notes = "line one\nline two",
    .source_kind = "block device",
    .model = "FAKE DISK 9000",
    .serial = "SN-0042",
};

static void params(struct fg_sink_params *p, struct run *x,
		   const char *outbase, const struct fg_case_meta *meta)
{
	memset(p, 0, sizeof(*p));
	p->outbase = outbase;
	p->media_size = x->size;
	p->sector_size = 512;
	p->segment_size = x->segment;
	memset(&x->eo, 0, sizeof(x->eo));
	x->eo.compression = x->compression;
	x->eo.ewf_format = x->format;
	p->ewf = &x->eo;
	p->hash_mask = x->hashes;
	p->threads = 2;
	p->meta = meta;
}

/* Write x->size bytes in uneven pieces, hashing them as the engine does;
 * returns the first failing status. */
static int feed(struct fg_sink *s, struct run *x)
{
	static const unsigned algs[3] = {FG_HASH_MD5, FG_HASH_SHA1,
					 FG_HASH_SHA256};
	char *dst[3] = {x->mh.md5, x->mh.sha1, x->mh.sha256};
	char *pad[3] = {x->mh.padded_md5, x->mh.padded_sha1,
			x->mh.padded_sha256};
	struct fg_hash *h[3] = {NULL, NULL, NULL};
	unsigned char buf[70001];
	uint64_t off = 0;
	int i, rc = FG_OK;

	memset(&x->mh, 0, sizeof(x->mh));
	x->mh.pad_bytes = x->size % 512 ? (uint32_t)(512 - x->size % 512) : 0;
	for (i = 0; i < 3; i++)
		if (x->hashes & algs[i])
			fg_hash_new(&h[i], algs[i], NULL);
	while (off < x->size && rc == FG_OK) {
		size_t n = sizeof(buf) - (size_t)(off % 977), k;
		if (n > x->size - off)
			n = (size_t)(x->size - off);
		for (k = 0; k < n; k++)
			buf[k] = unit_byte_at(off + k, 0);
		for (i = 0; i < 3; i++)
			if (h[i] != NULL)
				fg_hash_update(h[i], buf, n);
		rc = fg_sink_write(s, buf, n, off);
		off += n;
	}
	for (i = 0; i < 3; i++) {
		if (h[i] == NULL)
			continue;
		if (x->mh.pad_bytes)
			fg_hash_peek_padded(h[i], x->mh.pad_bytes, pad[i]);
		fg_hash_final(h[i], dst[i]);
		fg_hash_free(h[i]);
	}
	return rc;
}

/* Run a shell command, its output into out (NUL-terminated); returns the
 * exit status. */
static int run_cmd(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0;
	int st;

	out[0] = '\0';
	if (f == NULL)
		return -1;
	while (n + 1 < len) {
		size_t k = fread(out + n, 1, len - 1 - n, f);
		if (k == 0)
			break;
		n += k;
	}
	out[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The whole life of a set: 1 MiB + 700 bytes (padded to the next
 * sector), two scripted bad ranges, read back by libewf's tools. */
static void test_complete_set(void)
{
	struct run x = {.format = "encase6",
			.compression = "fast",
			.size = (1u << 20) + 700,
			.segment = 0,
			.hashes = FG_HASH_MD5 | FG_HASH_SHA1 | FG_HASH_SHA256};
	const struct fg_case_meta *meta = &case_meta;
	struct fg_record *desc = NULL;
	struct fg_sink_params p;
	struct fg_sink *s = NULL;
	char out[8192], hx[FG_NHASH][FG_HASH_HEX_MAX];
	int64_t v;

	CHECK(mkdir("ev", 0755) == 0);
	params(&p, &x, "ev/HD1", meta);
	CHECK(fg_sink_new(&s, "e01", NULL) == FG_OK);
	CHECK_MSG(fg_sink_open(s, &p) == FG_OK, &s->err);
	CHECK(exists("ev/HD1.E01.incomplete"));
	CHECK_MSG(feed(s, &x) == FG_OK, &s->err);
	CHECK_MSG(fg_sink_mark_bad(s, 10, 3) == FG_OK, &s->err);
	CHECK_MSG(fg_sink_mark_bad(s, 2000, 1) == FG_OK, &s->err);
	/* 2050 sectors, the last one padded. */
	CHECK(fg_sink_mark_bad(s, 2050, 1) == FG_EINVAL);
	CHECK(x.mh.pad_bytes == 512 - 700 % 512);
	CHECK_MSG(fg_sink_finish(s, &x.mh) == FG_OK, &s->err);
	CHECK(!exists("ev/HD1.E01.incomplete"));
	CHECK(s->nfiles == 1);
	if (s->nfiles == 1) {
		CHECK_STR(s->files[0].path, "ev/HD1.E01");
		CHECK(fg_hash_file("ev/HD1.E01", FG_HASH_MD5 | FG_HASH_SHA256,
				   hx, NULL, NULL) == FG_OK);
		CHECK_STR(s->files[0].md5, hx[0]);
		CHECK_STR(s->files[0].sha256, hx[2]);
	}
	CHECK(access("ev/HD1.E01", W_OK) != 0 || getuid() == 0);
	CHECK(fg_record_new(&desc) == FG_OK);
	CHECK(fg_sink_describe(s, desc, "container") == FG_OK);
	CHECK_STR(fg_record_get_str(desc, "container.hashes_stored"),
		  "MD5,SHA1");
	CHECK(fg_record_get_int(desc, "container.padding_bytes", &v) == FG_OK &&
	      v == 512 - 700 % 512);
	CHECK(fg_record_get_int(desc, "container.acquiry_errors", &v) ==
		  FG_OK &&
	      v == 2);
	fg_record_free(desc);
	fg_sink_free(s);
	if (!have_tools)
		return;
	CHECK(run_cmd("ewfverify -q ev/HD1.E01 2>&1", out, sizeof(out)) == 0);
	CHECK(strstr(out, x.mh.padded_md5) != NULL);
	CHECK(run_cmd("ewfinfo -e ev/HD1.E01 2>&1", out, sizeof(out)) == 0);
	CHECK(strstr(out, "total number: 2") != NULL);
	CHECK(strstr(out, "at sector(s): 10 - 12 number: 3") != NULL);
	CHECK(strstr(out, "at sector(s): 2000 - 2000 number: 1") != NULL);
	CHECK(run_cmd("ewfinfo ev/HD1.E01 2>&1", out, sizeof(out)) == 0);
	CHECK(strstr(out, "Case number:\t\t2026-041") != NULL);
	CHECK(strstr(out, "Description:\t\tscripted source") != NULL);
	CHECK(strstr(out, "Notes:\t\t\tline one line two") != NULL);
	CHECK(strstr(out, "Model:\t\t\tFAKE DISK 9000") != NULL);
	CHECK(strstr(out, "Serial number:\t\tSN-0042") != NULL);
	CHECK(strstr(out, "Is physical:\t\tyes") != NULL);
	CHECK(strstr(out, "Media type:\t\tfixed disk") != NULL);
	CHECK(strstr(out, "(1049600 bytes)") != NULL);
	CHECK(strstr(out, x.mh.padded_md5) != NULL);
	CHECK(strstr(out, x.mh.padded_sha1) != NULL);
	if (unit_failures)
		fprintf(stderr, "%s", out);
}

/* Every offered format writes a set its readers accept; those with an
 * error2 section list the bad range. */
static void test_formats(void)
{
	static const char *const fmts[] = {
	    "encase6", "encase5", "encase4", "encase3", "encase2", "linen6",
	    "linen5",  "ftk",	  "smart",   "ewf",	"ewfx"};
	static const int errors[] = {1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 1};
	size_t i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct run x = {.format = fmts[i],
				.compression = "fast",
				.size = 300000,
				.segment = 0,
				.hashes = FG_HASH_MD5 | FG_HASH_SHA256};
		const struct fg_case_meta *meta = &case_meta;
	struct fg_record *desc = NULL;
		struct fg_sink_params p;
		struct fg_sink *s = NULL;
		char base[64], cmd[256], out[8192];
		const char *ext = strcmp(fmts[i], "smart") == 0 ? "s01"
				  : strcmp(fmts[i], "ewf") == 0 ||
					  strcmp(fmts[i], "ewfx") == 0
				      ? "e01"
				      : "E01";

		snprintf(base, sizeof(base), "f-%s", fmts[i]);
		params(&p, &x, base, meta);
		CHECK(fg_sink_new(&s, "e01", NULL) == FG_OK);
		CHECK_MSG(fg_sink_open(s, &p) == FG_OK, &s->err);
		CHECK_MSG(feed(s, &x) == FG_OK, &s->err);
		CHECK_MSG(fg_sink_mark_bad(s, 7, 2) == FG_OK, &s->err);
		CHECK_MSG(fg_sink_finish(s, &x.mh) == FG_OK, &s->err);
		CHECK(fg_record_new(&desc) == FG_OK);
		CHECK(fg_sink_describe(s, desc, "c") == FG_OK);
		CHECK((fg_record_get_str(desc, "c.warning") != NULL) ==
		      !errors[i]);
		fg_record_free(desc);
		fg_sink_free(s);
		if (!have_tools)
			continue;
		/* ewfverify 20140813 cannot print a stored SHA-256 (its
		 * buffer is one byte short) unless it computes one too. */
		snprintf(cmd, sizeof(cmd), "ewfverify -q %s %s.%s 2>&1",
			 strcmp(fmts[i], "ewfx") == 0 ? "-d sha256" : "", base,
			 ext);
		if (run_cmd(cmd, out, sizeof(out)) != 0 ||
		    strstr(out, x.mh.padded_md5) == NULL) {
			CHECK(!"ewfverify accepts the set");
			fprintf(stderr, "%s: %s\n", fmts[i], out);
		}
		snprintf(cmd, sizeof(cmd), "ewfinfo -e %s.%s 2>&1", base, ext);
		run_cmd(cmd, out, sizeof(out));
		CHECK((strstr(out, "at sector(s): 7 - 8 number: 2") != NULL) ==
		      errors[i]);
	}
}

/* --chunk-size auto: 64 sectors up to 2^21 chunks (64 GiB of 512-byte
 * sectors), doubled past it up to 2M chunks, for EnCase 5 and later,
 * linen and ewfx; the older formats keep 64 sectors. */
static void test_auto_chunk(void)
{
	static const struct {
		const char *fmt;
		uint64_t media;
		uint32_t sector, spc;
	} t[] = {
	    {"encase6", 0, 512, 64},
	    {"encase6", 1, 512, 64},
	    {"encase6", (uint64_t)64 << 30, 512, 64},
	    {"encase6", ((uint64_t)64 << 30) + 512, 512, 128},
	    {"encase6", (uint64_t)100 << 30, 512, 128},
	    {"encase6", (uint64_t)1 << 40, 512, 1024},
	    {"encase6", ((uint64_t)1 << 40) + 1, 512, 2048},
	    {"encase6", (uint64_t)4 << 40, 512, 4096},
	    {"encase6", ((uint64_t)4 << 40) + 512, 512, 4096},
	    {"encase6", (uint64_t)64 << 40, 512, 4096},
	    /* 4Kn: 64 sectors are 256K already, up to 512 GiB. */
	    {"encase6", (uint64_t)512 << 30, 4096, 64},
	    {"encase6", (uint64_t)1 << 40, 4096, 128},
	    {"encase6", (uint64_t)16 << 40, 4096, 512},
	    /* 64K sectors: 64 of them are 4M, more than auto takes. */
	    {"encase6", (uint64_t)16 << 40, 65536, 64},
	    {"encase5", (uint64_t)1 << 40, 512, 1024},
	    {"linen5", (uint64_t)1 << 40, 512, 1024},
	    {"linen6", (uint64_t)1 << 40, 512, 1024},
	    {"ewfx", (uint64_t)1 << 40, 512, 1024},
	    {"encase4", (uint64_t)1 << 40, 512, 64},
	    {"encase3", (uint64_t)1 << 40, 512, 64},
	    {"encase2", (uint64_t)1 << 40, 512, 64},
	    {"ftk", (uint64_t)1 << 40, 512, 64},
	    {"smart", (uint64_t)1 << 40, 512, 64},
	    {"ewf", (uint64_t)1 << 40, 512, 64},
	    {"encase7", (uint64_t)1 << 40, 512, 0},
	    {"nonsense", 1, 512, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t got = fg_ewf_auto_sectors_per_chunk(
		    t[i].fmt, t[i].media, t[i].sector);
		if (got != t[i].spc) {
			CHECK(!"auto chunk size");
			fprintf(stderr,
				"%s, %llu bytes, %u-byte sectors: %u "
				"sectors a chunk, want %u\n",
				t[i].fmt, (unsigned long long)t[i].media,
				t[i].sector, got, t[i].spc);
		}
	}
}

/* Names are checked before anything is created: a taken segment name
 * (in any case, for FAT/exFAT destinations), a working folder left by an
 * earlier run, and options this libewf cannot honour. */
static void test_refusals(void)
{
	struct run x = {.format = "encase6",
			.compression = "fast",
			.size = 100000,
			.segment = 0,
			.hashes = FG_HASH_MD5};
	const struct fg_case_meta *meta = &case_meta;
	struct fg_sink_params p;
	struct fg_sink *s = NULL;
	FILE *f;

	CHECK(mkdir("a", 0755) == 0);
	f = fopen("a/HD1.e07", "w");
	if (f != NULL)
		fclose(f);
	params(&p, &x, "a/HD1", meta);
	fg_sink_new(&s, "e01", NULL);
	CHECK(fg_sink_open(s, &p) == FG_EEXIST);
	CHECK(strstr(s->err.msg, "a/HD1.e07") != NULL);
	CHECK(!exists("a/HD1.E01.incomplete"));
	fg_sink_free(s);
	/* Unrelated names are fine: the record's own, other bases. */
	unlink("a/HD1.e07");
	f = fopen("a/HD1.txt", "w");
	if (f != NULL)
		fclose(f);
	f = fopen("a/HD10.E01", "w");
	if (f != NULL)
		fclose(f);
	CHECK(mkdir("a/HD1.E01.incomplete", 0755) == 0);
	fg_sink_new(&s, "e01", NULL);
	CHECK(fg_sink_open(s, &p) == FG_EEXIST);
	CHECK(strstr(s->err.msg, "unfinished earlier run") != NULL);
	fg_sink_free(s);
	CHECK(rmdir("a/HD1.E01.incomplete") == 0);
	fg_sink_new(&s, "e01", NULL);
	CHECK_MSG(fg_sink_open(s, &p) == FG_OK, &s->err);
	fg_sink_free(s); /* aborts: nothing written yet */

	{
		static const struct {
			const char *fmt, *comp;
			uint64_t seg;
			unsigned hashes;
			const char *says;
		} bad[] = {
		    {"encase7", "fast", 0, FG_HASH_MD5, "EnCase 5"},
		    {"nope", "fast", 0, FG_HASH_MD5, "known: encase6"},
		    {"encase6", "zip", 0, FG_HASH_MD5, "--compression"},
		    {"encase6", "fast", 0, FG_HASH_SHA256, "include md5"},
		    {"encase6", "fast", 4096, FG_HASH_MD5, "at least 1M"},
		    {"encase5", "fast", 3ull << 30, FG_HASH_MD5, "at most"},
		};
		size_t i;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct run y = {.format = bad[i].fmt,
					.compression = bad[i].comp,
					.size = 100000,
					.segment = bad[i].seg,
					.hashes = bad[i].hashes};
			params(&p, &y, "b", meta);
			fg_sink_new(&s, "e01", NULL);
			CHECK(fg_sink_open(s, &p) == FG_EINVAL);
			CHECK(strstr(s->err.msg, bad[i].says) != NULL);
			if (strstr(s->err.msg, bad[i].says) == NULL)
				fprintf(stderr, "  %s\n", s->err.msg);
			fg_sink_free(s);
			CHECK(!exists("b.E01.incomplete"));
		}
	}
}

/* Stopped half way: no final name, and what stays in the working folder
 * does not verify. */
static void test_abort(void)
{
	struct run x = {
	    .format = "encase6",
	    .compression = "fast",
	    .size = 8u << 20, /* half written: more than the pool holds */
	    .segment = 0,
	    .hashes = FG_HASH_MD5};
	const struct fg_case_meta *meta = &case_meta;
	struct fg_sink_params p;
	struct fg_sink *s = NULL;
	unsigned char buf[65536];
	char out[4096];
	uint64_t off;

	params(&p, &x, "HD1", meta);
	fg_sink_new(&s, "e01", NULL);
	CHECK_MSG(fg_sink_open(s, &p) == FG_OK, &s->err);
	memset(buf, 0x33, sizeof(buf));
	for (off = 0; off < x.size / 2; off += sizeof(buf))
		CHECK(fg_sink_write(s, buf, sizeof(buf), off) == FG_OK);
	CHECK(fg_sink_write(s, buf, 512, off + 512) == FG_EINVAL);
	fg_sink_abort(s);
	CHECK(fg_sink_finish(s, &x.mh) == FG_ESTATE);
	fg_sink_free(s);
	CHECK(!exists("HD1.E01"));
	CHECK(exists("HD1.E01.incomplete/HD1.E01"));
	if (have_tools)
		CHECK(run_cmd("ewfverify -q HD1.E01.incomplete/HD1.E01 2>&1",
			      out, sizeof(out)) != 0);
}

/* Stopped after every byte was written (before finish, e.g. a failure
 * elsewhere): the set still does not verify, and an empty media leaves no
 * segment at all. */
static void test_abort_after_all(void)
{
	static const uint64_t sizes[2] = {16u << 20, 0}; /* > the pool */
	size_t i;

	for (i = 0; i < 2; i++) {
		struct run x = {.format = "encase6",
				.compression = "fast",
				.size = sizes[i],
				.hashes = FG_HASH_MD5};
		const struct fg_case_meta *meta = &case_meta;
		struct fg_sink_params p;
		struct fg_sink *s = NULL;
		char out[4096];

		params(&p, &x, "A", meta);
		fg_sink_new(&s, "e01", NULL);
		CHECK_MSG(fg_sink_open(s, &p) == FG_OK, &s->err);
		CHECK_MSG(feed(s, &x) == FG_OK, &s->err);
		fg_sink_abort(s);
		fg_sink_free(s);
		CHECK(!exists("A.E01"));
		if (sizes[i] == 0) {
			CHECK(!exists("A.E01.incomplete/A.E01"));
		} else {
			CHECK(exists("A.E01.incomplete/A.E01"));
			CHECK(
			    run_cmd("ewfverify -q A.E01.incomplete/A.E01 2>&1",
				    out, sizeof(out)) != 0);
		}
		system("rm -rf A.E01.incomplete");
	}
}

/* Several segments, none larger than asked, each named in order and
 * listed with its own hashes. */
static void test_segments(void)
{
	struct run x = {.format = "encase6",
			.compression = "none",
			.size = 5u << 20,
			.segment = 1u << 20,
			.hashes = FG_HASH_MD5};
	const struct fg_case_meta *meta = &case_meta;
	struct fg_sink_params p;
	struct fg_sink *s = NULL;
	char out[4096];
	size_t i;

	params(&p, &x, "S", meta);
	fg_sink_new(&s, "e01", NULL);
	CHECK_MSG(fg_sink_open(s, &p) == FG_OK, &s->err);
	CHECK_MSG(feed(s, &x) == FG_OK, &s->err);
	CHECK_MSG(fg_sink_finish(s, &x.mh) == FG_OK, &s->err);
	CHECK(s->nfiles >= 6);
	for (i = 0; i < s->nfiles; i++) {
		char want[32];
		struct stat st;
		snprintf(want, sizeof(want), "S.E%02zu", i + 1);
		CHECK_STR(s->files[i].path, want);
		CHECK(stat(want, &st) == 0 &&
		      (uint64_t)st.st_size == s->files[i].size);
		CHECK(s->files[i].size <= (1u << 20));
	}
	fg_sink_free(s);
	if (have_tools)
		CHECK(run_cmd("ewfverify -q S.E01 2>&1", out, sizeof(out)) ==
		      0);
}

int main(void)
{
	char out[256];

	have_tools = run_cmd("command -v ewfverify && command -v ewfinfo", out,
			     sizeof(out)) == 0;
	if (!have_tools) {
		printf("SKIP: needs ewfverify and ewfinfo (Debian ewf-tools)"
		       "\n");
		return 77;
	}
	unit_run("complete set: padding, bad ranges, header, hashes",
		 test_complete_set);
	unit_run("every offered format", test_formats);
	unit_run("auto chunk size", test_auto_chunk);
	unit_run("refusals before anything is created", test_refusals);
	unit_run("abort leaves an incomplete set only", test_abort);
	unit_run("abort after the last byte: still incomplete",
		 test_abort_after_all);
	unit_run("segments within the size asked", test_segments);
	return unit_done();
}
