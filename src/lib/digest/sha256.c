/*
 * sha256.c - SHA-256 (FIPS 180-4) with the x86 SHA extensions, able to
 * compute two digests in one pass.
 *
 * Why: a raw acquisition computes the media's SHA-256 and, by default, the
 * SHA-256 of every 64 MiB hash window, over the same bytes; a verification
 * of an E01 computes the media's and the segment files'.  On one core the
 * SHA extensions run a single digest at the latency of the SHA256RNDS2
 * chain (two rounds wait for the two before); a second digest whose rounds
 * are interleaved with the first fills the gaps.  So two digests run at
 * about 1.8 times one digest's rate (bench/hashrate measures it), and the
 * core that MD5 does not need is no longer the one that limits the pass.
 * One digest alone runs at OpenSSL's speed.
 *
 * Only for x86-64 CPUs with the SHA extensions (and SSSE3, SSE4.1); the
 * code is compiled for them with target attributes and chosen at run time.
 * Elsewhere fg_sha256_selftest returns -1 and hash.c uses OpenSSL's SHA-256.
 *
 * Trust: fg_sha256_selftest checks the FIPS 180-4 examples, one million 'a'
 * fed in uneven pieces, a multi-block input against OpenSSL, and the
 * two-digest passes against single ones; hash.c runs it once and uses
 * OpenSSL's SHA-256 if it ever fails.  test_hash compares the two on many
 * lengths, alignments and splits.
 */
#include "config.h"

#include <string.h>

#include <openssl/evp.h>

#include "base/base_int.h"
#include "digest/digest_int.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI_CODE 1
#endif

static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
			       0xa54ff53a, 0x510e527f, 0x9b05688c,
			       0x1f83d9ab, 0x5be0cd19};

#ifdef HAVE_SHA_NI_CODE

/* The first 32 bits of the fractional parts of the cube roots of the first
 * 64 primes (FIPS 180-4, 4.2.2). */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define NI __attribute__((target("sha,sse4.1,ssse3")))

/* The state a..h as SHA256RNDS2 wants it: one register with A, B, E, F
 * (A in the top lane), one with C, D, G, H. */
NI static inline void load_state(const uint32_t s[8], __m128i *abef,
				 __m128i *cdgh)
{
	__m128i dcba = _mm_loadu_si128((const __m128i *)s);
	__m128i hgfe = _mm_loadu_si128((const __m128i *)(s + 4));
	__m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
	__m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);

	*abef = _mm_alignr_epi8(cdab, efgh, 8);
	*cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
}

NI static inline void store_state(uint32_t s[8], __m128i abef, __m128i cdgh)
{
	__m128i feba = _mm_shuffle_epi32(abef, 0x1B);
	__m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);

	_mm_storeu_si128((__m128i *)s, _mm_blend_epi16(feba, dchg, 0xF0));
	_mm_storeu_si128((__m128i *)(s + 4), _mm_alignr_epi8(dchg, feba, 8));
}

/* Message words 4g..4g+3 from the four groups before them. */
#define NEXT_W(w0, w1, w2, w3)                                                 \
	_mm_sha256msg2_epu32(                                                  \
	    _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1),                        \
			  _mm_alignr_epi8(w3, w2, 4)),                         \
	    w3)

/* Load a block's first 16 words, big-endian. */
#define LOAD_W(p)                                                              \
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,             \
					     0x0405060700010203LL);            \
	__m128i w0 = _mm_shuffle_epi8(                                         \
	    _mm_loadu_si128((const __m128i *)(p)), bswap);                     \
	__m128i w1 = _mm_shuffle_epi8(                                         \
	    _mm_loadu_si128((const __m128i *)((p) + 16)), bswap);              \
	__m128i w2 = _mm_shuffle_epi8(                                         \
	    _mm_loadu_si128((const __m128i *)((p) + 32)), bswap);              \
	__m128i w3 = _mm_shuffle_epi8(                                         \
	    _mm_loadu_si128((const __m128i *)((p) + 48)), bswap)

NI static void blocks1(uint32_t s[8], const unsigned char *p, size_t n)
{
	__m128i abef, cdgh;

	load_state(s, &abef, &cdgh);
	for (; n > 0; n--, p += 64) {
		const __m128i abef0 = abef, cdgh0 = cdgh;
		LOAD_W(p);
		int g;

#pragma GCC unroll 16
		for (g = 0; g < 16; g++) {
			__m128i m = _mm_add_epi32(
			    w0, _mm_loadu_si128((const __m128i *)(K + 4 * g)));
			__m128i next = NEXT_W(w0, w1, w2, w3);

			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
			abef = _mm_sha256rnds2_epu32(
			    abef, cdgh, _mm_shuffle_epi32(m, 0x0E));
			w0 = w1;
			w1 = w2;
			w2 = w3;
			w3 = next;
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	store_state(s, abef, cdgh);
}

/* Blocks into two states, p's into s and q's into t (the same blocks or
 * others): two round chains interleaved, each with its schedule. */
NI static void blocks2x(uint32_t s[8], const unsigned char *p, uint32_t t[8],
			const unsigned char *q, size_t n)
{
	__m128i abef, cdgh, abef2, cdgh2;

	load_state(s, &abef, &cdgh);
	load_state(t, &abef2, &cdgh2);
	for (; n > 0; n--, p += 64, q += 64) {
		const __m128i abef0 = abef, cdgh0 = cdgh;
		const __m128i abef20 = abef2, cdgh20 = cdgh2;
		LOAD_W(p);
		__m128i v0 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)q), bswap);
		__m128i v1 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)(q + 16)), bswap);
		__m128i v2 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)(q + 32)), bswap);
		__m128i v3 = _mm_shuffle_epi8(
		    _mm_loadu_si128((const __m128i *)(q + 48)), bswap);
		int g;

#pragma GCC unroll 16
		for (g = 0; g < 16; g++) {
			const __m128i k =
			    _mm_loadu_si128((const __m128i *)(K + 4 * g));
			__m128i m = _mm_add_epi32(w0, k);
			__m128i m2 = _mm_add_epi32(v0, k);
			__m128i next = NEXT_W(w0, w1, w2, w3);
			__m128i next2 = NEXT_W(v0, v1, v2, v3);

			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
			cdgh2 = _mm_sha256rnds2_epu32(cdgh2, abef2, m2);
			abef = _mm_sha256rnds2_epu32(
			    abef, cdgh, _mm_shuffle_epi32(m, 0x0E));
			abef2 = _mm_sha256rnds2_epu32(
			    abef2, cdgh2, _mm_shuffle_epi32(m2, 0x0E));
			w0 = w1;
			w1 = w2;
			w2 = w3;
			w3 = next;
			v0 = v1;
			v1 = v2;
			v2 = v3;
			v3 = next2;
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
		abef2 = _mm_add_epi32(abef2, abef20);
		cdgh2 = _mm_add_epi32(cdgh2, cdgh20);
	}
	store_state(s, abef, cdgh);
	store_state(t, abef2, cdgh2);
}

static int cpu_has_sha_ni(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) ||
	    !(c & bit_SSE4_1))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b & bit_SHA) != 0;
}

#else /* no SHA extensions code for this target */

static void blocks1(uint32_t s[8], const unsigned char *p, size_t n)
{
	(void)s;
	(void)p;
	(void)n;
}

static void blocks2x(uint32_t s[8], const unsigned char *p, uint32_t t[8],
		     const unsigned char *q, size_t n)
{
	(void)s;
	(void)p;
	(void)t;
	(void)q;
	(void)n;
}

static int cpu_has_sha_ni(void)
{
	return 0;
}

#endif

static void blocks_of(void *st, const unsigned char *p, size_t n)
{
	blocks1(st, p, n);
}

void fg_sha256_init(struct fg_sha256 *s)
{
	memcpy(s->st, iv, sizeof(iv));
	s->len = 0;
}

void fg_sha256_update(struct fg_sha256 *s, const void *data, size_t len)
{
	fg_blocks_feed(s->buf, &s->len, data, len, blocks_of, s->st);
}

static void blocks2_of(void *s, const unsigned char *p, void *t,
		       const unsigned char *q, size_t n)
{
	blocks2x(s, p, t, q, n);
}

void fg_sha256_update_two(struct fg_sha256 *a, const void *pa,
			  struct fg_sha256 *b, const void *pb, size_t len)
{
	size_t whole = fg_blocks_two(&a->len, a->st, pa, &b->len, b->st, pb,
				     len, blocks2_of);

	fg_sha256_update(a, (const unsigned char *)pa + whole, len - whole);
	fg_sha256_update(b, (const unsigned char *)pb + whole, len - whole);
}

void fg_sha256_final(struct fg_sha256 *s, unsigned char out[32])
{
	int i;

	fg_blocks_pad(s->buf, &s->len, 1, blocks_of, s->st);
	for (i = 0; i < 32; i++)
		out[i] = (unsigned char)(s->st[i / 4] >> (24 - 8 * (i % 4)));
}

static void sha256_update_(void *s, const void *p, size_t n)
{
	fg_sha256_update(s, p, n);
}

static int digest_is(struct fg_sha256 *s, const char *hex)
{
	unsigned char md[32];
	char got[65];

	fg_sha256_final(s, md);
	fg_hex(md, 32, got);
	return strcmp(got, hex) == 0;
}

/* FIPS 180-4's examples (as in its example documents), one million 'a' in
 * uneven pieces, 5 blocks + 13 bytes of varied data against OpenSSL, that
 * data fed to two digests at once, in pieces on and off block boundaries,
 * against one digest at a time, and two digests of different data at once
 * against OpenSSL. */
int fg_sha256_selftest(void)
{
	static const struct {
		const char *in, *hex;
	} fips[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb924"
		     "27ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223"
			"b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039"
		 "a33ce45964ff2167f6ecedd419db06c1"},
	};
	unsigned char data[5 * 64 + 13], rev[320], mine[32], ref[32];
	unsigned char pair[2][32];
	struct fg_sha256 s, t, u;
	unsigned int n = 0;
	size_t i;

	if (!cpu_has_sha_ni())
		return -1;
	for (i = 0; i < sizeof(fips) / sizeof(fips[0]); i++) {
		fg_sha256_init(&s);
		fg_sha256_update(&s, fips[i].in, strlen(fips[i].in));
		if (!digest_is(&s, fips[i].hex))
			return 0;
	}
	fg_sha256_init(&s);
	fg_feed_million_a(sha256_update_, &s);
	if (!digest_is(&s, "cdc76e5c9914fb9281a1c7e284d73e67"
			   "f1809a48a497200e046d39ccc7112cd0"))
		return 0;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 151 + (i >> 3) + 7);
	fg_sha256_init(&s);
	fg_sha256_update(&s, data, 100);
	fg_sha256_update(&s, data + 100, sizeof(data) - 100);
	fg_sha256_final(&s, mine);
	if (EVP_Digest(data, sizeof(data), ref, &n, EVP_sha256(), NULL) != 1 ||
	    n != 32 || memcmp(mine, ref, 32) != 0)
		return 0;
	/* Two digests of the same bytes at once: t of all the data, u from
	 * byte 128 on, both fed from byte 128 as a block (one pass), 7 bytes
	 * and the rest (off a block boundary: one after the other). */
	fg_sha256_init(&t);
	fg_sha256_update(&t, data, 128);
	fg_sha256_init(&u);
	fg_sha256_update_two(&t, data + 128, &u, data + 128, 64);
	fg_sha256_update_two(&t, data + 192, &u, data + 192, 7);
	fg_sha256_update_two(&t, data + 199, &u, data + 199,
			     sizeof(data) - 199);
	fg_sha256_final(&t, pair[0]);
	fg_sha256_final(&u, pair[1]);
	fg_sha256_init(&s);
	fg_sha256_update(&s, data + 128, sizeof(data) - 128);
	fg_sha256_final(&s, mine);
	if (memcmp(pair[0], ref, 32) != 0 || memcmp(pair[1], mine, 32) != 0)
		return 0;
	/* Two digests of different bytes at once: t of all the data, u of
	 * its first 320 bytes reversed, fed as 64 + 256 bytes. */
	for (i = 0; i < 320; i++)
		rev[i] = data[319 - i];
	fg_sha256_init(&t);
	fg_sha256_init(&u);
	fg_sha256_update_two(&t, data, &u, rev, 64);
	fg_sha256_update_two(&t, data + 64, &u, rev + 64, 256);
	fg_sha256_update(&t, data + 320, sizeof(data) - 320);
	fg_sha256_final(&t, pair[0]);
	fg_sha256_final(&u, pair[1]);
	if (EVP_Digest(rev, 320, mine, &n, EVP_sha256(), NULL) != 1)
		return 0;
	return memcmp(pair[0], ref, 32) == 0 && memcmp(pair[1], mine, 32) == 0;
}
