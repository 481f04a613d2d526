/* test_hash.c - digests: known vectors, empty input, odd lengths, split
 * updates, lists, file digests, hash windows; forage's MD5 and SHA-256
 * against OpenSSL's. */
#include "config.h"

#include <openssl/evp.h>

#include <forage/acquire.h>
#include <forage/hash.h>

#include "base/base_int.h"
#include "digest/digest_int.h"

#include "unit.h"

static void hex_of(unsigned alg, const void *data, size_t len, char *hex)
{
	struct fg_hash *h = NULL;
	struct fg_error err;

	CHECK_MSG(fg_hash_new(&h, alg, &err) == FG_OK, &err);
	CHECK(fg_hash_update(h, data, len) == FG_OK);
	CHECK(fg_hash_final(h, hex) == FG_OK);
	fg_hash_free(h);
}

static void test_vectors(void)
{
	char hex[FG_HASH_HEX_MAX];

	/* RFC 1321, FIPS 180-2 test vectors. */
	hex_of(FG_HASH_MD5, "", 0, hex);
	CHECK_STR(hex, "d41d8cd98f00b204e9800998ecf8427e");
	hex_of(FG_HASH_MD5, "abc", 3, hex);
	CHECK_STR(hex, "900150983cd24fb0d6963f7d28e17f72");
	hex_of(FG_HASH_SHA1, "abc", 3, hex);
	CHECK_STR(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	hex_of(FG_HASH_SHA256, "", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb924"
		       "27ae41e4649b934ca495991b7852b855");
	hex_of(FG_HASH_SHA256, "abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223"
		       "b00361a396177a9cb410ff61f20015ad");
	hex_of(FG_HASH_SHA256,
	       "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	       hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039"
		       "a33ce45964ff2167f6ecedd419db06c1");
}

/* Input that is not a multiple of the block size, fed in odd pieces, gives
 * the digest of the whole. */
static void test_split_updates(void)
{
	static unsigned char buf[100003];
	char whole[FG_HASH_HEX_MAX], parts[FG_HASH_HEX_MAX];
	struct fg_hash *h = NULL;
	size_t i, off = 0, step = 1;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + (i >> 8));
	hex_of(FG_HASH_SHA256, buf, sizeof(buf), whole);
	CHECK(fg_hash_new(&h, FG_HASH_SHA256, NULL) == FG_OK);
	while (off < sizeof(buf)) {
		size_t n = step < sizeof(buf) - off ? step : sizeof(buf) - off;
		fg_hash_update(h, buf + off, n);
		off += n;
		step = step * 3 + 1;
	}
	fg_hash_final(h, parts);
	CHECK_STR(parts, whole);
	/* Finished is finished. */
	CHECK(fg_hash_update(h, buf, 1) == FG_ESTATE);
	CHECK(fg_hash_final(h, parts) == FG_ESTATE);
	fg_hash_free(h);
	/* One million 'a': the FIPS long vector, in 1000-byte pieces. */
	memset(buf, 'a', 1000);
	CHECK(fg_hash_new(&h, FG_HASH_MD5, NULL) == FG_OK);
	for (i = 0; i < 1000; i++)
		fg_hash_update(h, buf, 1000);
	fg_hash_final(h, parts);
	CHECK_STR(parts, "7707d6ae4e027c70eea2a935c2296f21");
	fg_hash_free(h);
}

static void test_lists(void)
{
	struct fg_error err;
	unsigned m = 0;

	CHECK(fg_hash_parse_list("md5,sha256", &m, &err) == FG_OK);
	CHECK(m == (FG_HASH_MD5 | FG_HASH_SHA256));
	CHECK(fg_hash_parse_list("sha1,md5,sha256", &m, &err) == FG_OK);
	CHECK(m == FG_HASH_ALL);
	CHECK(fg_hash_parse_list("md5,crc32", &m, &err) == FG_EINVAL);
	CHECK(strstr(err.msg, "crc32") != NULL);
	CHECK(fg_hash_parse_list("", &m, &err) == FG_EINVAL);
	{
		struct fg_hash *h = NULL;
		CHECK(fg_hash_new(&h, 0x80, &err) == FG_EINVAL);
		CHECK(h == NULL);
	}
	CHECK_STR(fg_hash_name(FG_HASH_SHA256), "sha256");
	CHECK(fg_hash_hexlen(FG_HASH_SHA1) == 40);
}

static void test_file(void)
{
	char hx[FG_NHASH][FG_HASH_HEX_MAX];
	struct fg_error err;
	uint64_t size = 0;
	FILE *f = fopen("abc", "w");

	fputs("abc", f);
	fclose(f);
	CHECK_MSG(fg_hash_file("abc", FG_HASH_ALL, hx, &size, &err) == FG_OK,
		  &err);
	CHECK(size == 3);
	CHECK_STR(hx[0], "900150983cd24fb0d6963f7d28e17f72");
	CHECK_STR(hx[1], "a9993e364706816aba3e25717850c26c9cd0d89d");
	CHECK(fg_hash_file("missing", FG_HASH_MD5, hx, NULL, &err) == FG_EIO);
	CHECK(strstr(err.msg, "missing") != NULL);
	/* Asked to stop (an interrupted verify): abandoned, and said so. */
	{
		volatile sig_atomic_t stop = 0;

		CHECK(fg_hash_file_until("abc", FG_HASH_MD5, hx, &size, &stop,
					 &err) == FG_OK);
		CHECK_STR(hx[0], "900150983cd24fb0d6963f7d28e17f72");
		stop = 1;
		CHECK(fg_hash_file_until("abc", FG_HASH_MD5, hx, &size, &stop,
					 &err) == FG_EINTR);
		CHECK(strstr(err.msg, "abc: hashing abandoned at offset 0") !=
		      NULL);
	}
}

static void test_windows(void)
{
	static unsigned char buf[10000];
	struct fg_hashwin *w = NULL;
	char want[FG_HASH_HEX_MAX];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i ^ (i >> 3));
	CHECK(fg_hashwin_new(&w, 4096, NULL) == FG_OK);
	/* Pieces that straddle window ends. */
	fg_hashwin_update(w, buf, 3000);
	fg_hashwin_update(w, buf + 3000, 5000);
	fg_hashwin_update(w, buf + 8000, 2000);
	CHECK(fg_hashwin_final(w) == FG_OK);
	CHECK(fg_hashwin_count(w) == 3);
	hex_of(FG_HASH_SHA256, buf, 4096, want);
	CHECK_STR(fg_hashwin_get(w, 0), want);
	hex_of(FG_HASH_SHA256, buf + 4096, 4096, want);
	CHECK_STR(fg_hashwin_get(w, 1), want);
	hex_of(FG_HASH_SHA256, buf + 8192, 10000 - 8192, want);
	CHECK_STR(fg_hashwin_get(w, 2), want);
	CHECK(fg_hashwin_get(w, 3) == NULL);
	fg_hashwin_free(w);
	/* Exactly one window, and no data at all. */
	CHECK(fg_hashwin_new(&w, 4096, NULL) == FG_OK);
	fg_hashwin_update(w, buf, 4096);
	fg_hashwin_final(w);
	CHECK(fg_hashwin_count(w) == 1);
	fg_hashwin_free(w);
	CHECK(fg_hashwin_new(&w, 4096, NULL) == FG_OK);
	fg_hashwin_final(w);
	CHECK(fg_hashwin_count(w) == 0);
	fg_hashwin_free(w);
	CHECK(fg_hashwin_new(&w, 0, NULL) == FG_EINVAL);
}

/* The default window of raw images: 64 MiB up to 16384 windows (1 TiB),
 * then doubled as often as it takes. */
static void test_default_window(void)
{
	const uint64_t M = 1 << 20, T = (uint64_t)1 << 40;

	CHECK(fg_acquire_default_hash_window(0) == 64 * M);
	CHECK(fg_acquire_default_hash_window(1) == 64 * M);
	CHECK(fg_acquire_default_hash_window(T) == 64 * M);
	CHECK(fg_acquire_default_hash_window(T + 1) == 128 * M);
	CHECK(fg_acquire_default_hash_window(2 * T) == 128 * M);
	CHECK(fg_acquire_default_hash_window(16 * T) == 1024 * M);
	CHECK(fg_acquire_default_hash_window(16 * T + 512) == 2048 * M);
	/* 2^64 - 1 bytes: 16384 windows of 2^50 bytes, no overflow. */
	CHECK(fg_acquire_default_hash_window(UINT64_MAX) == (uint64_t)1 << 50);
}

/* The padded digest equals the digest of the data plus the zeros, for
 * each algorithm and several pad lengths (one more than the 4096-byte
 * zero buffer too), and leaves the running digest untouched. */
static void test_peek_padded(void)
{
	static const unsigned algs[3] = {FG_HASH_MD5, FG_HASH_SHA1,
					 FG_HASH_SHA256};
	static const size_t pads[4] = {0, 1, 511, 4097};
	static unsigned char buf[1000 + 4097];
	size_t a, k;

	for (k = 0; k < 1000; k++)
		buf[k] = (unsigned char)(k * 13 + 5);
	for (a = 0; a < 3; a++) {
		for (k = 0; k < 4; k++) {
			char peek[FG_HASH_HEX_MAX], want[FG_HASH_HEX_MAX];
			char plain[FG_HASH_HEX_MAX], after[FG_HASH_HEX_MAX];
			struct fg_hash *h = NULL;

			CHECK(fg_hash_new(&h, algs[a], NULL) == FG_OK);
			CHECK(fg_hash_update(h, buf, 1000) == FG_OK);
			CHECK(fg_hash_peek_padded(h, pads[k], peek) == FG_OK);
			CHECK(fg_hash_final(h, after) == FG_OK);
			CHECK(fg_hash_peek_padded(h, 1, plain) == FG_ESTATE);
			fg_hash_free(h);
			hex_of(algs[a], buf, 1000 + pads[k], want);
			hex_of(algs[a], buf, 1000, plain);
			CHECK_STR(peek, want);
			CHECK_STR(after, plain);
		}
	}
}

/* The digest of the data followed by more bytes equals the digest of
 * both, for each algorithm and several lengths, and leaves the running
 * digest untouched. */
static void test_peek_then(void)
{
	static const unsigned algs[3] = {FG_HASH_MD5, FG_HASH_SHA1,
					 FG_HASH_SHA256};
	static const size_t more[4] = {0, 1, 160, 32767};
	static unsigned char buf[1000 + 32767];
	size_t a, k;

	for (k = 0; k < sizeof(buf); k++)
		buf[k] = (unsigned char)(k * 31 + 7);
	for (a = 0; a < 3; a++) {
		for (k = 0; k < 4; k++) {
			char peek[FG_HASH_HEX_MAX], want[FG_HASH_HEX_MAX];
			char plain[FG_HASH_HEX_MAX], after[FG_HASH_HEX_MAX];
			struct fg_hash *h = NULL;

			CHECK(fg_hash_new(&h, algs[a], NULL) == FG_OK);
			CHECK(fg_hash_update(h, buf, 1000) == FG_OK);
			CHECK(fg_hash_peek_then(h, buf + 1000, more[k],
						peek) == FG_OK);
			CHECK(fg_hash_final(h, after) == FG_OK);
			CHECK(fg_hash_peek_then(h, buf, 1, plain) ==
			      FG_ESTATE);
			fg_hash_free(h);
			hex_of(algs[a], buf, 1000 + more[k], want);
			hex_of(algs[a], buf, 1000, plain);
			CHECK_STR(peek, want);
			CHECK_STR(after, plain);
		}
	}
}

/* One of forage's own digests, as the test sees it. */
struct own_digest {
	const char *name;
	unsigned alg;
	const EVP_MD *(*evp)(void);
	size_t size;
	void (*init)(void *ctx);
	void (*update)(void *ctx, const void *data, size_t len);
	void (*update_two)(void *a, const void *pa, void *b, const void *pb,
			   size_t len);
	void (*final)(void *ctx, unsigned char *out);
};

static void md5_init_(void *c)
{
	fg_md5_init(c);
}
static void md5_update_(void *c, const void *d, size_t n)
{
	fg_md5_update(c, d, n);
}
static void md5_update_two_(void *a, const void *pa, void *b, const void *pb,
			    size_t n)
{
	fg_md5_update_two(a, pa, b, pb, n);
}
static void md5_final_(void *c, unsigned char *out)
{
	fg_md5_final(c, out);
}
static void sha256_init_(void *c)
{
	fg_sha256_init(c);
}
static void sha256_update_(void *c, const void *d, size_t n)
{
	fg_sha256_update(c, d, n);
}
static void sha256_update_two_(void *a, const void *pa, void *b, const void *pb,
			       size_t n)
{
	fg_sha256_update_two(a, pa, b, pb, n);
}
static void sha256_final_(void *c, unsigned char *out)
{
	fg_sha256_final(c, out);
}

static unsigned char big_buf[(1 << 20) + 64];

static void fill_big_buf(void)
{
	uint32_t x = 12345;
	size_t i;

	for (i = 0; i < sizeof(big_buf); i++) {
		x = x * 1103515245u + 12345u;
		big_buf[i] = (unsigned char)(x >> 16);
	}
}

/* The digest gives OpenSSL's for every length from 0 to 1100 (all the
 * ways a message ends in a block), at every alignment mod 8, fed whole and
 * in uneven pieces, and for a few large inputs; fg_hash's digest of that
 * algorithm (which uses it) agrees as well. */
static void own_against_openssl(const struct own_digest *d)
{
	static const size_t big[] = {4095, 65536, 65537, 1 << 20};
	union {
		struct fg_md5 md5;
		struct fg_sha256 sha256;
	} ctx;
	size_t len, al;

	fill_big_buf();
	for (len = 0; len <= 1100 + 4; len++) {
		size_t n = len <= 1100 ? len : big[len - 1101];

		for (al = 0; al < 8; al++) {
			const unsigned char *p = big_buf + al;
			unsigned char ref[32], whole[32], parts[32];
			char hex[FG_HASH_HEX_MAX], refhex[65];
			unsigned int rn = 0;
			size_t off = 0, step = 1 + (n + al) % 97;

			CHECK(EVP_Digest(p, n, ref, &rn, d->evp(), NULL) == 1);
			d->init(&ctx);
			d->update(&ctx, p, n);
			d->final(&ctx, whole);
			d->init(&ctx);
			while (off < n) {
				size_t take = step < n - off ? step : n - off;
				d->update(&ctx, p + off, take);
				off += take;
				step = (step * 5 + 3) % 131;
			}
			d->final(&ctx, parts);
			if (memcmp(whole, ref, d->size) != 0 ||
			    memcmp(parts, ref, d->size) != 0) {
				fprintf(stderr,
					"%s differs: len %zu align %zu\n",
					d->name, n, al);
				CHECK(0);
				return;
			}
			if (al != 0 && n > 4096)
				continue;
			hex_of(d->alg, p, n, hex);
			fg_hex(ref, d->size, refhex);
			CHECK_STR(hex, refhex);
		}
	}
}

/* OpenSSL's digest of head[0, hlen) then 70000 bytes of data. */
static void openssl_head_then(const struct own_digest *d,
			      const unsigned char *head, size_t hlen,
			      const unsigned char *data, unsigned char *out)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int n = 0;

	CHECK(c != NULL && EVP_DigestInit_ex(c, d->evp(), NULL) == 1 &&
	      EVP_DigestUpdate(c, head, hlen) == 1 &&
	      EVP_DigestUpdate(c, data, 70000) == 1 &&
	      EVP_DigestFinal_ex(c, out, &n) == 1 && n == d->size);
	EVP_MD_CTX_free(c);
}

/* Two digests fed at once (update_two) give OpenSSL's digest of what each
 * was fed: a has seen heads[h] bytes before, b heads[k] (so that the two
 * are at the same place in a block or not); then both get 70000 bytes in
 * uneven pieces, the same bytes or each bytes of its own. */
static void own_pairs(const struct own_digest *d)
{
	static const size_t heads[] = {0, 1, 63, 64, 65, 128, 200};
	const unsigned char *data = big_buf + 300;
	size_t h, k;
	int same;

	for (same = 0; same < 2; same++)
		for (h = 0; h < sizeof(heads) / sizeof(heads[0]); h++)
			for (k = 0; k < sizeof(heads) / sizeof(heads[0]); k++) {
				const unsigned char *other =
				    same ? data : big_buf + 90001;
				unsigned char ga[32], gb[32], wa[32], wb[32];
				union {
					struct fg_md5 md5;
					struct fg_sha256 sha256;
				} a, b;
				size_t off = 0, step = same ? 1 : 64;

				d->init(&a);
				d->update(&a, big_buf, heads[h]);
				d->init(&b);
				d->update(&b, big_buf + 7, heads[k]);
				while (off < 70000) {
					size_t take = step < 70000 - off
							  ? step
							  : 70000 - off;
					d->update_two(&a, data + off, &b,
						      other + off, take);
					off += take;
					step = step * 3 + 1;
				}
				d->final(&a, ga);
				d->final(&b, gb);
				openssl_head_then(d, big_buf, heads[h], data,
						  wa);
				openssl_head_then(d, big_buf + 7, heads[k],
						  other, wb);
				if (memcmp(ga, wa, d->size) != 0 ||
				    memcmp(gb, wb, d->size) != 0) {
					fprintf(stderr,
						"%s pair differs: %s bytes, "
						"heads %zu %zu\n",
						d->name,
						same ? "same" : "different",
						heads[h], heads[k]);
					CHECK(0);
					return;
				}
			}
}

/* forage's own MD5 (md5.c) passes its self-test, gives OpenSSL's digests,
 * and two at once (fg_md5_update_two) give each one's. */
static void test_md5_against_openssl(void)
{
	static const struct own_digest d = {
	    "md5",     FG_HASH_MD5, EVP_md5,	     16,
	    md5_init_, md5_update_, md5_update_two_, md5_final_};

	CHECK(fg_md5_selftest() == 1);
	own_against_openssl(&d);
	own_pairs(&d);
}

/* forage's own SHA-256 (sha256.c), where this CPU has the SHA extensions:
 * its self-test passes, it gives OpenSSL's digests, and two at once
 * (fg_sha256_update_two) give each one's. */
static void test_sha256_against_openssl(void)
{
	static const struct own_digest d = {
	    "sha256",	  FG_HASH_SHA256, EVP_sha256,	      32,
	    sha256_init_, sha256_update_, sha256_update_two_, sha256_final_};

	CHECK(fg_sha256_selftest() == 1);
	CHECK(strncmp(fg_hash_sha256_implementation(), "forage sha256.c", 15) ==
	      0);
	own_against_openssl(&d);
	own_pairs(&d);
}

/* fg_hash_update_two: two SHA-256 digests and two MD5 (in one pass), and
 * an MD5 with a SHA-256 (one after the other), give each digest of its
 * own bytes. */
static void test_update_two(void)
{
	static const unsigned algs[3][2] = {{FG_HASH_SHA256, FG_HASH_SHA256},
					    {FG_HASH_MD5, FG_HASH_MD5},
					    {FG_HASH_MD5, FG_HASH_SHA256}};
	size_t i;

	fill_big_buf();
	for (i = 0; i < 3; i++) {
		struct fg_hash *a = NULL, *b = NULL;
		char ga[FG_HASH_HEX_MAX], gb[FG_HASH_HEX_MAX];
		char wa[FG_HASH_HEX_MAX], wb[FG_HASH_HEX_MAX];

		CHECK(fg_hash_new(&a, algs[i][0], NULL) == FG_OK);
		CHECK(fg_hash_new(&b, algs[i][1], NULL) == FG_OK);
		CHECK(fg_hash_update_two(a, big_buf, b, big_buf + 5, 100) ==
		      FG_OK);
		CHECK(fg_hash_update_two(a, big_buf + 100, b, big_buf + 105,
					 200000) == FG_OK);
		CHECK(fg_hash_final(a, ga) == FG_OK);
		CHECK(fg_hash_update_two(a, big_buf, b, big_buf, 1) ==
		      FG_ESTATE);
		CHECK(fg_hash_final(b, gb) == FG_OK);
		hex_of(algs[i][0], big_buf, 200100, wa);
		hex_of(algs[i][1], big_buf + 5, 200100, wb);
		CHECK_STR(ga, wa);
		CHECK_STR(gb, wb);
		fg_hash_free(a);
		fg_hash_free(b);
	}
}

/* Windows fed with the media's SHA-256 (fg_hashwin_update_with) give the
 * same windows and media digest as when fed apart, for window sizes that
 * are and are not multiples of a SHA-256 block. */
static void test_windows_with_media(void)
{
	static const uint64_t sizes[] = {4096, 5000, 65536};
	size_t si;

	fill_big_buf();
	for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
		struct fg_hashwin *w = NULL, *v = NULL;
		struct fg_hash *m = NULL;
		char got[FG_HASH_HEX_MAX], want[FG_HASH_HEX_MAX];
		size_t off = 0, step = 100, i;

		CHECK(fg_hashwin_new(&w, sizes[si], NULL) == FG_OK);
		CHECK(fg_hashwin_new(&v, sizes[si], NULL) == FG_OK);
		CHECK(fg_hash_new(&m, FG_HASH_SHA256, NULL) == FG_OK);
		while (off < 300000) {
			size_t take = step < 300000 - off ? step : 300000 - off;

			CHECK(fg_hashwin_update_with(w, m, big_buf + off,
						     take) == FG_OK);
			CHECK(fg_hashwin_update(v, big_buf + off, take) ==
			      FG_OK);
			off += take;
			step = (step * 7 + 13) % 70001;
		}
		CHECK(fg_hashwin_final(w) == FG_OK);
		CHECK(fg_hashwin_final(v) == FG_OK);
		CHECK(fg_hashwin_count(w) == fg_hashwin_count(v));
		CHECK(fg_hashwin_count(w) ==
		      (300000 + sizes[si] - 1) / sizes[si]);
		for (i = 0; i < fg_hashwin_count(v); i++)
			CHECK_STR(fg_hashwin_get(w, i), fg_hashwin_get(v, i));
		CHECK(fg_hash_final(m, got) == FG_OK);
		hex_of(FG_HASH_SHA256, big_buf, 300000, want);
		CHECK_STR(got, want);
		CHECK(fg_hashwin_update_with(w, m, big_buf, 1) == FG_ESTATE);
		fg_hashwin_free(w);
		fg_hashwin_free(v);
		fg_hash_free(m);
	}
}

/* OpenSSL's digests only: refused once a digest has been made (the
 * choice is made once per process, before the first). */
static void test_openssl_only_late(void)
{
	char hex[FG_HASH_HEX_MAX];

	hex_of(FG_HASH_MD5, "abc", 3, hex);
	CHECK(fg_hash_openssl_only() == FG_ESTATE);
	CHECK(strncmp(fg_hash_md5_implementation(), "forage md5.c", 12) == 0);
}

/* The hash set is one table: every member has its bit, a name that parses
 * back to it, a label, a CASE/UCO name, a hex length that a digest of it
 * really has, and a member of struct fg_media_hashes of its own. */
static void test_hash_set(void)
{
	struct fg_media_hashes mh;
	unsigned all = 0;
	int i, j;

	memset(&mh, 0, sizeof(mh));
	CHECK(FG_NHASH == 3);
	CHECK(fg_hash_set[0] == FG_HASH_MD5 && fg_hash_set[1] == FG_HASH_SHA1 &&
	      fg_hash_set[2] == FG_HASH_SHA256);
	for (i = 0; i < FG_NHASH; i++) {
		unsigned alg = fg_hash_set[i], m = 0;
		char hex[FG_HASH_HEX_MAX];
		struct fg_error err;

		all |= alg;
		CHECK(fg_hash_index(alg) == i);
		CHECK(fg_hash_from_name(fg_hash_name(alg)) == alg);
		CHECK(fg_hash_parse_list(fg_hash_name(alg), &m, &err) == FG_OK);
		CHECK(m == alg);
		CHECK(fg_hash_label(alg) != NULL && fg_hash_uco_name(alg) != NULL);
		hex_of(alg, "abc", 3, hex);
		CHECK(strlen(hex) == fg_hash_hexlen(alg));
		CHECK(fg_media_hash_hex(&mh, i, 0) != NULL);
		CHECK(fg_media_hash_hex(&mh, i, 1) != NULL);
		for (j = 0; j < i; j++) {
			CHECK(fg_media_hash_hex(&mh, i, 0) !=
			      fg_media_hash_hex(&mh, j, 0));
			CHECK(fg_media_hash_hex(&mh, i, 1) !=
			      fg_media_hash_hex(&mh, j, 1));
		}
	}
	CHECK(all == FG_HASH_ALL);
	CHECK(fg_media_hash_hex(&mh, 0, 0) == mh.md5);
	CHECK(fg_media_hash_hex(&mh, 2, 1) == mh.padded_sha256);
	CHECK(fg_media_hash_hex(&mh, FG_NHASH, 0) == NULL);
	CHECK(fg_media_hash_hex(&mh, -1, 0) == NULL);
	CHECK(fg_hash_index(0x80) == -1 && fg_hash_from_name("crc32") == 0);
	CHECK(fg_hash_label(0x80) == NULL);
	CHECK_STR(fg_hash_label(FG_HASH_SHA1), "SHA-1");
	CHECK_STR(fg_hash_uco_name(FG_HASH_SHA256), "SHA256");
	{
		unsigned m = 0;
		struct fg_error err;

		CHECK(fg_hash_parse_list("sha-256", &m, &err) == FG_OK);
		CHECK(m == FG_HASH_SHA256);
	}
}

int main(void)
{
	unit_run("the hash set", test_hash_set);
	unit_run("known vectors", test_vectors);
	unit_run("split updates, odd lengths", test_split_updates);
	unit_run("hash lists", test_lists);
	unit_run("file digests", test_file);
	unit_run("hash windows", test_windows);
	unit_run("default hash window by media size", test_default_window);
	unit_run("padded digest from the running one", test_peek_padded);
	unit_run("digest with more bytes from the running one",
		 test_peek_then);
	unit_run("forage's MD5 against OpenSSL's", test_md5_against_openssl);
	if (fg_sha256_selftest() != -1)
		unit_run("forage's SHA-256 against OpenSSL's",
			 test_sha256_against_openssl);
	else
		printf("skip forage's SHA-256 against OpenSSL's: this CPU has "
		       "no x86 SHA extensions, OpenSSL's is used (%s)\n",
		       fg_hash_sha256_implementation());
	unit_run("two digests of different bytes at once", test_update_two);
	unit_run("OpenSSL only, asked too late", test_openssl_only_late);
	unit_run("hash windows with the media's SHA-256",
		 test_windows_with_media);
	return unit_done();
}
