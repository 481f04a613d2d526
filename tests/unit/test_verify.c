/* test_verify.c - the checksum-file and record parsers (also fed thousands
 * of mutated inputs: a status, never a crash), and the verification engine
 * on raw evidence it makes itself: a match, a mismatch, a prefix, a
 * missing file, the record of --verify. */
#include "config.h"

#include <fcntl.h>

#include <stdint.h>

#include <forage/container.h>
#include <forage/hash.h>
#include <forage/record.h>
#include <forage/verify.h>

#include "base/base_int.h"
#include "unit.h"

static uint32_t rng_state = 777;
static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

#define H64 "0add63db3dc87ee60438e0fb94b526462502ba9f87e7a78bb0efe858668b1108"
#define H32 "3ebb0b7dcd6b5fcd59a0020625d70994"

static void test_sidecar_parse(void)
{
	const char *ok = H64 "  HD1.001\n"
			 H64 " *HD1.002\r\n"
			 "\n# a comment\n"
			 "\\" H64 "  a\\\\b\\nc\n"
			 "SHA256 (HD1 003) = " H64 "\n"
			 "0ADD63DB3DC87EE60438E0FB94B526462502BA9F87E7A78BB0EFE"
			 "858668B1108  upper";
	struct fg_sidecar_entry *e = NULL;
	struct fg_error err;
	size_t n = 0;

	fg_error_clear(&err);
	CHECK_MSG(fg_sidecar_parse(ok, strlen(ok), FG_HASH_SHA256, "x.sha256",
				   &e, &n, &err) == FG_OK,
		  &err);
	CHECK(n == 5);
	if (n == 5) {
		CHECK_STR(e[0].name, "HD1.001");
		CHECK_STR(e[1].name, "HD1.002");
		CHECK_STR(e[2].name, "a\\b\nc");
		CHECK_STR(e[3].name, "HD1 003");
		CHECK_STR(e[4].name, "upper");
		CHECK_STR(e[4].hex, H64);
		CHECK(e[3].line == 6);
	}
	fg_sidecar_free(e, n);
	CHECK(fg_sidecar_parse(H32 "  HD1.raw\n", strlen(H32 "  HD1.raw\n"),
			       FG_HASH_MD5, "x.md5", &e, &n, &err) == FG_OK &&
	      n == 1);
	fg_sidecar_free(e, n);
	/* Broken lines are named. */
	CHECK(fg_sidecar_parse(H32 "  a\nxyz  b\n", 41, FG_HASH_MD5, "x.md5",
			       &e, &n, &err) == FG_EFORMAT);
	CHECK_STR(err.msg, "x.md5, line 2: not a md5 checksum line (\"HEX  "
			   "NAME\" with 32 hex digits)");
	CHECK(fg_sidecar_parse(H32 "  \n", 35, FG_HASH_MD5, "x.md5", &e, &n,
			       &err) == FG_EFORMAT);
	CHECK(fg_sidecar_parse(H64 "  a\n", 68, FG_HASH_MD5, "x.md5", &e, &n,
			       &err) == FG_EFORMAT);
	CHECK(fg_sidecar_parse("\\" H32 "  a\\q\n",
			       strlen("\\" H32 "  a\\q\n"), FG_HASH_MD5,
			       "x.md5", &e, &n, &err) == FG_EFORMAT);
	CHECK(fg_sidecar_parse(H32 "  a\0b\n", 38, FG_HASH_MD5, "x.md5", &e,
			       &n, &err) == FG_EFORMAT);
	CHECK(fg_sidecar_parse("", 0, FG_HASH_MD5, "x.md5", &e, &n, &err) ==
		      FG_OK &&
	      n == 0);
}

static void test_sidecar_fuzz(void)
{
	const char *seed = H64 "  HD1.001\n"
			   "SHA256 (HD1.002) = " H64 "\n"
			   "\\" H64 "  a\\nb\n";
	char buf[512];
	int i, bad = 0;

	for (i = 0; i < 20000; i++) {
		struct fg_sidecar_entry *e = NULL;
		struct fg_error err;
		size_t len = strlen(seed), k, n = 0;
		int rc;

		memcpy(buf, seed, len);
		for (k = 0; k < 1 + rnd() % 4; k++)
			buf[rnd() % len] = (char)("0a \\*()=\nS#\r\0z"[rnd() %
								      15]);
		if (rnd() % 4 == 0)
			len = rnd() % (len + 1);
		fg_error_clear(&err);
		rc = fg_sidecar_parse(buf, len, FG_HASH_SHA256, "f.sha256",
				      &e, &n, &err);
		if (rc == FG_OK) {
			for (k = 0; k < n; k++)
				if (strlen(e[k].hex) != 64 ||
				    e[k].name[0] == '\0')
					bad++;
		} else if (rc != FG_EFORMAT || strstr(err.msg, "line") == NULL) {
			bad++;
		}
		fg_sidecar_free(e, n);
	}
	CHECK(bad == 0);
}

static void test_record_fuzz(void)
{
	struct fg_record *r = NULL;
	char *text;
	size_t len;
	int i, bad = 0;

	CHECK(fg_record_new(&r) == FG_OK);
	fg_record_set_str(r, "record_format", "forage-acquisition-1");
	fg_record_set_str(r, "hashes.md5", H32);
	fg_record_set_int(r, "hashes.bytes", 102400);
	fg_record_set_int(r, "hash_windows.size", 65536);
	fg_record_append_str(r, "hash_windows.sha256", H64);
	fg_record_append_str(r, "hash_windows.sha256", H64);
	text = fg_record_dump(r);
	fg_record_free(r);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	len = strlen(text);
	for (i = 0; i < 5000; i++) {
		char *m = malloc(len + 1);
		struct fg_record *p = NULL;
		struct fg_error err;
		size_t k, n;
		int64_t v;

		memcpy(m, text, len + 1);
		for (k = 0; k < 1 + rnd() % 3; k++)
			m[rnd() % len] = "{}[]\",:0a \n"[rnd() % 12];
		n = rnd() % 5 == 0 ? rnd() % (len + 1) : len;
		fg_error_clear(&err);
		if (fg_record_parse(&p, m, n, "r.json", &err) == FG_OK) {
			/* Whatever parsed, the accessors hold. */
			(void)fg_record_get_str(p, "hashes.md5");
			(void)fg_record_get_int(p, "hashes.bytes", &v);
			for (k = 0; k < fg_record_array_size(
						p, "hash_windows.sha256");
			     k++)
				(void)fg_record_array_str(
					p, "hash_windows.sha256", k, NULL);
			(void)fg_record_array_str(p, "outputs", 0, "path");
			(void)fg_record_array_int(p, "outputs", 0, "size", &v);
			fg_record_free(p);
		} else if (strstr(err.msg, "r.json") == NULL) {
			bad++;
		}
		free(m);
	}
	free(text);
	CHECK(bad == 0);
}

/* ---- The engine on raw evidence --------------------------------------- */

static void make_raw(const char *path, size_t len,
		     struct fg_media_hashes *h)
{
	char hx[FG_NHASH][FG_HASH_HEX_MAX];
	struct fg_error e;

	unit_write_pattern(path, len, 5);
	memset(h, 0, sizeof(*h));
	CHECK(fg_hash_file(path, FG_HASH_MD5 | FG_HASH_SHA256, hx, NULL, &e) ==
	      FG_OK);
	memcpy(h->md5, hx[0], sizeof(h->md5));
	memcpy(h->sha256, hx[2], sizeof(h->sha256));
}

static void test_written(void)
{
	struct fg_outfile f;
	struct fg_media_hashes h, bad;
	struct fg_record *rec = NULL;
	struct fg_error e;

	make_raw("HD1.raw", 300001, &h);
	memset(&f, 0, sizeof(f));
	f.path = "HD1.raw";
	f.size = 300001;
	CHECK(fg_record_new(&rec) == FG_OK);
	fg_error_clear(&e);
	CHECK_MSG(fg_verify_written(&f, 1, "raw", &h, 300001, 1, rec,
				    "verification", &e) == FG_OK,
		  &e);
	CHECK_STR(fg_record_get_str(rec, "verification.status"), "verified");
	CHECK_STR(fg_record_get_str(rec, "verification.md5"), h.md5);
	CHECK_STR(fg_record_get_str(rec, "verification.sha256"), h.sha256);
	CHECK(fg_record_array_size(rec, "verification.checks") == 2);
	CHECK(fg_record_get_str(rec, "verification.page_cache_bypass") != NULL);

	bad = h;
	bad.md5[0] = bad.md5[0] == '0' ? '1' : '0';
	CHECK(fg_verify_written(&f, 1, "raw", &bad, 300001, 1, rec, "again",
				&e) == FG_EMISMATCH);
	CHECK_STR(fg_record_get_str(rec, "again.status"), "mismatch");
	CHECK(strstr(e.msg, "md5 of media differs") != NULL);
	CHECK_STR(fg_record_array_str(rec, "again.checks", 0, "result"),
		  "MISMATCH");
	CHECK_STR(fg_record_array_str(rec, "again.checks", 1, "result"),
		  "match");
	/* Hashes over fewer bytes than a raw image holds: extra data. */
	CHECK(fg_verify_written(&f, 1, "raw", &h, 300000, 1, rec, "short",
				&e) == FG_EMISMATCH);
	/* A file gone: cannot verify, the file named. */
	f.path = "gone.raw";
	CHECK(fg_verify_written(&f, 1, "raw", &h, 300001, 1, rec, "gone", &e) ==
	      FG_ESOURCE);
	CHECK(strstr(e.msg, "gone.raw: cannot open") != NULL);
	CHECK_STR(fg_record_get_str(rec, "gone.status"), "cannot verify");
	fg_record_free(rec);
}

static void test_item(void)
{
	struct fg_verify_opts o;
	struct fg_verify_item *it = NULL;
	struct fg_media_hashes h;
	struct fg_record *r;
	FILE *f;

	make_raw("ev.dd", 70000, &h);
	fg_verify_opts_init(&o);
	/* Nothing to compare with: cannot verify, hashes still computed. */
	CHECK(fg_verify_item_run(&o, "ev.dd", &it) == FG_EINVAL);
	CHECK(it != NULL && strcmp(it->computed.md5, h.md5) == 0);
	CHECK(it != NULL && strstr(it->err.msg, "nothing to compare") != NULL);
	fg_verify_item_free(it);
	/* Given values. */
	o.expect_md5 = h.md5;
	o.expect_sha256 = h.sha256;
	CHECK(fg_verify_item_run(&o, "ev.dd", &it) == FG_OK);
	CHECK(it != NULL && it->nchecks == 2 &&
	      it->checks[0].result == FG_CHECK_MATCH);
	r = it != NULL ? fg_verify_item_record(it, &o) : NULL;
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_STR(fg_record_get_str(r, "record_format"),
			  "forage-verification-1");
		CHECK_STR(fg_record_get_str(r, "result.status"), "verified");
		CHECK_STR(fg_record_array_str(r, "checks", 0, "source"),
			  "the command line (--md5)");
	}
	fg_record_free(r);
	fg_verify_item_free(it);
	/* A sidecar beside it that disagrees. */
	f = fopen("ev.sha256", "w");
	fprintf(f, "%s  ev.dd\n", H64);
	fclose(f);
	CHECK(fg_verify_item_run(&o, "ev.dd", &it) == FG_EMISMATCH);
	CHECK(it != NULL && strstr(it->err.msg, "ev.sha256, line 1") != NULL);
	fg_verify_item_free(it);
	/* Interrupted (the signal handler's flag): status interrupted. */
	{
		volatile sig_atomic_t stop = 1;

		o.stop = &stop;
		CHECK(fg_verify_item_run(&o, "ev.dd", &it) == FG_EINTR);
		CHECK_STR(fg_verify_status_word(FG_EINTR), "interrupted");
		fg_verify_item_free(it);
		o.stop = NULL;
	}
	/* A record whose evidence is gone. */
	f = fopen("HD9.json", "w");
	fprintf(f, "{\"record_format\": \"forage-acquisition-1\", "
		   "\"result\": {\"status\": \"success\"}, "
		   "\"parameters\": {\"format\": \"raw\"}, "
		   "\"outputs\": [{\"path\": \"/nowhere/HD9.raw\", "
		   "\"size\": 5}]}\n");
	fclose(f);
	fg_verify_opts_init(&o);
	CHECK(fg_verify_item_run(&o, "HD9.json", &it) == FG_ESOURCE);
	CHECK(it != NULL && strstr(it->err.msg, "segment missing") != NULL &&
	      strstr(it->err.msg, "/nowhere/HD9.raw") != NULL);
	fg_verify_item_free(it);
}

/* A split raw set verifies by its media digests and leaves the process's
 * files alone: fd 0 is still open afterwards (freeing the plan of a split
 * raw set once closed it). */
static void test_split_raw(void)
{
	struct fg_verify_opts o;
	struct fg_verify_item *it = NULL;
	struct fg_media_hashes h;
	static unsigned char buf[300001];
	int saved = dup(0), null = open("/dev/null", O_RDONLY);
	FILE *f;

	CHECK(saved >= 0 && null >= 0 && dup2(null, 0) == 0);
	make_raw("whole.bin", sizeof(buf), &h);
	f = fopen("whole.bin", "rb");
	CHECK(f != NULL && fread(buf, 1, sizeof(buf), f) == sizeof(buf));
	fclose(f);
	f = fopen("sp.001", "wb");
	fwrite(buf, 1, 200000, f);
	fclose(f);
	f = fopen("sp.002", "wb");
	fwrite(buf + 200000, 1, sizeof(buf) - 200000, f);
	fclose(f);
	fg_verify_opts_init(&o);
	o.expect_md5 = h.md5;
	CHECK(fg_verify_item_run(&o, "sp.001", &it) == FG_OK);
	CHECK(it != NULL && it->nchecks == 1 &&
	      it->checks[0].result == FG_CHECK_MATCH);
	fg_verify_item_free(it);
	CHECK(fcntl(0, F_GETFD) != -1);
	dup2(saved, 0);
	close(saved);
	close(null);
}

/* fg_grow: the lists a verification builds (checks, expectations, damage)
 * grow by powers of two, keeping what they hold; 100,000 additions. */
static void test_grow(void)
{
	size_t *a = NULL, n, reallocs = 0;
	int ok = 1;

	for (n = 0; n < 100000; n++) {
		size_t *b = fg_grow(a, n, sizeof(*a));
		if (b == NULL) {
			ok = 0;
			break;
		}
		if (b != a || (n & (n - 1)) == 0)
			reallocs++;
		a = b;
		a[n] = n * 7;
	}
	for (size_t i = 0; ok && i < n; i++)
		ok = a[i] == i * 7;
	CHECK(ok && n == 100000);
	/* Once for 0, then at each power of two: 18 for 100,000. */
	CHECK(reallocs == 18);
	/* After a shrink, it still has room. */
	n = 5;
	a = fg_grow(a, n, sizeof(*a));
	CHECK(a != NULL && a[4] == 28);
	free(a);
}

int main(void)
{
	unit_run("sidecar_parse", test_sidecar_parse);
	unit_run("sidecar_fuzz", test_sidecar_fuzz);
	unit_run("record_fuzz", test_record_fuzz);
	unit_run("written", test_written);
	unit_run("item", test_item);
	unit_run("split raw", test_split_raw);
	unit_run("grow", test_grow);
	return unit_done();
}
