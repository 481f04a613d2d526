/* test_hash.c - digests: known vectors, empty input, odd lengths, split
 * updates, lists, file digests, hash windows; forage's MD5 against
 * OpenSSL's. */
#include "config.h"

#include <openssl/evp.h>

#include <forage/hash.h>

#include "../../src/lib/internal.h"

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
	char hx[3][FG_HASH_HEX_MAX];
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

/* forage's own MD5 (md5.c) passes its self-test and gives OpenSSL's digest
 * for every length from 0 to 1100 (all the ways a message ends in a
 * block), at every alignment mod 8, fed whole and in uneven pieces, and for
 * a few large inputs; fg_hash's MD5 (which uses it) agrees as well. */
static void test_md5_against_openssl(void)
{
	static unsigned char buf[(1 << 20) + 64];
	static const size_t big[] = {4095, 65536, 65537, 1 << 20};
	uint32_t x = 12345;
	size_t i, len, al;

	CHECK(fg_md5_selftest() == 1);
	for (i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (len = 0; len <= 1100 + 4; len++) {
		size_t n = len <= 1100 ? len : big[len - 1101];

		for (al = 0; al < 8; al++) {
			const unsigned char *p = buf + al;
			unsigned char ref[16], whole[16], parts[16];
			char hex[FG_HASH_HEX_MAX], refhex[33];
			unsigned int rn = 0;
			struct fg_md5 m;
			size_t off = 0, step = 1 + (n + al) % 97;
			int k;

			CHECK(EVP_Digest(p, n, ref, &rn, EVP_md5(), NULL) == 1);
			fg_md5_init(&m);
			fg_md5_update(&m, p, n);
			fg_md5_final(&m, whole);
			fg_md5_init(&m);
			while (off < n) {
				size_t take = step < n - off ? step : n - off;
				fg_md5_update(&m, p + off, take);
				off += take;
				step = (step * 5 + 3) % 131;
			}
			fg_md5_final(&m, parts);
			if (memcmp(whole, ref, 16) != 0 ||
			    memcmp(parts, ref, 16) != 0) {
				fprintf(stderr, "md5 differs: len %zu align %zu\n",
					n, al);
				CHECK(0);
				return;
			}
			if (al != 0 && n > 4096)
				continue;
			hex_of(FG_HASH_MD5, p, n, hex);
			for (k = 0; k < 16; k++)
				snprintf(refhex + 2 * k, 3, "%02x", ref[k]);
			CHECK_STR(hex, refhex);
		}
	}
}

int main(void)
{
	unit_run("known vectors", test_vectors);
	unit_run("split updates, odd lengths", test_split_updates);
	unit_run("hash lists", test_lists);
	unit_run("file digests", test_file);
	unit_run("hash windows", test_windows);
	unit_run("padded digest from the running one", test_peek_padded);
	unit_run("forage's MD5 against OpenSSL's", test_md5_against_openssl);
	return unit_done();
}
