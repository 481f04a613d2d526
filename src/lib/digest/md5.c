/*
 * md5.c - MD5 (RFC 1321), written for the one stream every pass waits on.
 *
 * Why not OpenSSL's: MD5 cannot be split across cores, so its speed on one
 * core bounds every acquisition and verification (docs/design.md, "Speed").  An
 * MD5 step is a + f(b,c,d) + M[k] + K, rotated, plus b; only the path from
 * b (the previous step's result) counts, since everything else is known
 * earlier.  OpenSSL computes round 2's G = (b & d) | (c & ~d) with an OR
 * after the AND on b; the two halves never share a bit, so an ADD joins
 * them as well, and (c & ~d) can then be added before b is known: one
 * operation less on that path in 16 of the 64 steps, about 5% faster here
 * (bench/hashrate.c measures both).  The other rounds are the usual forms with
 * the terms that do not depend on b computed first.  Two digests can
 * share a pass (fg_md5_update_two), their steps interleaved: a split raw
 * image's media MD5 and its files' MD5 in one thread.
 *
 * Trust: fg_md5_selftest checks the RFC 1321 vectors, two digests at once
 * against one at a time, and a multi-block input against OpenSSL; hash.c
 * runs it once before the first MD5 and uses OpenSSL's MD5 if it ever
 * fails.  test_hash compares the two on many lengths, alignments and
 * splits.
 */
#include "config.h"

#include <string.h>

#include <openssl/evp.h>

#include "base/base_int.h"
#include "digest/digest_int.h"

#define ROTL(x, s) (((x) << (s)) | ((x) >> (32 - (s))))

/* Little-endian word k of the block, on any host (one load on x86). */
static inline uint32_t word(const unsigned char *p, int k)
{
	p += 4 * k;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* One step each, of data q; the part that waits for b comes last. */
#define F(a, b, c, d, q, k, t, s)                                              \
	a += word(q, k) + t;                                                   \
	a += ((c ^ d) & b) ^ d;                                                \
	a = ROTL(a, s) + b;
#define G(a, b, c, d, q, k, t, s)                                              \
	a += word(q, k) + t + (c & ~d);                                        \
	a += b & d;                                                            \
	a = ROTL(a, s) + b;
#define H(a, b, c, d, q, k, t, s)                                              \
	a += word(q, k) + t;                                                   \
	a += (c ^ d) ^ b;                                                      \
	a = ROTL(a, s) + b;
#define I(a, b, c, d, q, k, t, s)                                              \
	a += word(q, k) + t;                                                   \
	a += (b | ~d) ^ c;                                                     \
	a = ROTL(a, s) + b;

/* The 64 steps of a block, S(function, a, b, c, d, word, constant,
 * rotation) each: one table for one lane and for two. */
#define MD5_STEPS(S)                                                           \
	S(F, a, b, c, d, 0, 0xd76aa478, 7)                                     \
	S(F, d, a, b, c, 1, 0xe8c7b756, 12)                                    \
	S(F, c, d, a, b, 2, 0x242070db, 17)                                    \
	S(F, b, c, d, a, 3, 0xc1bdceee, 22)                                    \
	S(F, a, b, c, d, 4, 0xf57c0faf, 7)                                     \
	S(F, d, a, b, c, 5, 0x4787c62a, 12)                                    \
	S(F, c, d, a, b, 6, 0xa8304613, 17)                                    \
	S(F, b, c, d, a, 7, 0xfd469501, 22)                                    \
	S(F, a, b, c, d, 8, 0x698098d8, 7)                                     \
	S(F, d, a, b, c, 9, 0x8b44f7af, 12)                                    \
	S(F, c, d, a, b, 10, 0xffff5bb1, 17)                                   \
	S(F, b, c, d, a, 11, 0x895cd7be, 22)                                   \
	S(F, a, b, c, d, 12, 0x6b901122, 7)                                    \
	S(F, d, a, b, c, 13, 0xfd987193, 12)                                   \
	S(F, c, d, a, b, 14, 0xa679438e, 17)                                   \
	S(F, b, c, d, a, 15, 0x49b40821, 22)                                   \
	S(G, a, b, c, d, 1, 0xf61e2562, 5)                                     \
	S(G, d, a, b, c, 6, 0xc040b340, 9)                                     \
	S(G, c, d, a, b, 11, 0x265e5a51, 14)                                   \
	S(G, b, c, d, a, 0, 0xe9b6c7aa, 20)                                    \
	S(G, a, b, c, d, 5, 0xd62f105d, 5)                                     \
	S(G, d, a, b, c, 10, 0x02441453, 9)                                    \
	S(G, c, d, a, b, 15, 0xd8a1e681, 14)                                   \
	S(G, b, c, d, a, 4, 0xe7d3fbc8, 20)                                    \
	S(G, a, b, c, d, 9, 0x21e1cde6, 5)                                     \
	S(G, d, a, b, c, 14, 0xc33707d6, 9)                                    \
	S(G, c, d, a, b, 3, 0xf4d50d87, 14)                                    \
	S(G, b, c, d, a, 8, 0x455a14ed, 20)                                    \
	S(G, a, b, c, d, 13, 0xa9e3e905, 5)                                    \
	S(G, d, a, b, c, 2, 0xfcefa3f8, 9)                                     \
	S(G, c, d, a, b, 7, 0x676f02d9, 14)                                    \
	S(G, b, c, d, a, 12, 0x8d2a4c8a, 20)                                   \
	S(H, a, b, c, d, 5, 0xfffa3942, 4)                                     \
	S(H, d, a, b, c, 8, 0x8771f681, 11)                                    \
	S(H, c, d, a, b, 11, 0x6d9d6122, 16)                                   \
	S(H, b, c, d, a, 14, 0xfde5380c, 23)                                   \
	S(H, a, b, c, d, 1, 0xa4beea44, 4)                                     \
	S(H, d, a, b, c, 4, 0x4bdecfa9, 11)                                    \
	S(H, c, d, a, b, 7, 0xf6bb4b60, 16)                                    \
	S(H, b, c, d, a, 10, 0xbebfbc70, 23)                                   \
	S(H, a, b, c, d, 13, 0x289b7ec6, 4)                                    \
	S(H, d, a, b, c, 0, 0xeaa127fa, 11)                                    \
	S(H, c, d, a, b, 3, 0xd4ef3085, 16)                                    \
	S(H, b, c, d, a, 6, 0x04881d05, 23)                                    \
	S(H, a, b, c, d, 9, 0xd9d4d039, 4)                                     \
	S(H, d, a, b, c, 12, 0xe6db99e5, 11)                                   \
	S(H, c, d, a, b, 15, 0x1fa27cf8, 16)                                   \
	S(H, b, c, d, a, 2, 0xc4ac5665, 23)                                    \
	S(I, a, b, c, d, 0, 0xf4292244, 6)                                     \
	S(I, d, a, b, c, 7, 0x432aff97, 10)                                    \
	S(I, c, d, a, b, 14, 0xab9423a7, 15)                                   \
	S(I, b, c, d, a, 5, 0xfc93a039, 21)                                    \
	S(I, a, b, c, d, 12, 0x655b59c3, 6)                                    \
	S(I, d, a, b, c, 3, 0x8f0ccc92, 10)                                    \
	S(I, c, d, a, b, 10, 0xffeff47d, 15)                                   \
	S(I, b, c, d, a, 1, 0x85845dd1, 21)                                    \
	S(I, a, b, c, d, 8, 0x6fa87e4f, 6)                                     \
	S(I, d, a, b, c, 15, 0xfe2ce6e0, 10)                                   \
	S(I, c, d, a, b, 6, 0xa3014314, 15)                                    \
	S(I, b, c, d, a, 13, 0x4e0811a1, 21)                                   \
	S(I, a, b, c, d, 4, 0xf7537e82, 6)                                     \
	S(I, d, a, b, c, 11, 0xbd3af235, 10)                                   \
	S(I, c, d, a, b, 2, 0x2ad7d2bb, 15)                                    \
	S(I, b, c, d, a, 9, 0xeb86d391, 21)

/* One digest: the state in a, b, c, d, the block at p. */
#define ONE(f, a, b, c, d, k, t, s) f(a, b, c, d, p, k, t, s)

static void blocks(uint32_t st[4], const unsigned char *p, size_t n)
{
	uint32_t a = st[0], b = st[1], c = st[2], d = st[3];

	for (; n > 0; n--, p += 64) {
		const uint32_t a0 = a, b0 = b, c0 = c, d0 = d;

		MD5_STEPS(ONE)
		a += a0;
		b += b0;
		c += c0;
		d += d0;
	}
	st[0] = a;
	st[1] = b;
	st[2] = c;
	st[3] = d;
}

/* Two digests interleaved, step by step: ax.. of the blocks at p, ay.. of
 * those at q.  Each MD5 step waits on the one before (about 4.5 cycles a
 * byte here), which leaves most of the core idle; a second, independent
 * chain fills it: two digests at about 1.75 times one digest's rate
 * (bench/hashrate). */
#define TWO(f, a, b, c, d, k, t, s)                                            \
	f(a##x, b##x, c##x, d##x, p, k, t, s)                                  \
	    f(a##y, b##y, c##y, d##y, q, k, t, s)

static void blocks2(uint32_t sx[4], const unsigned char *p, uint32_t sy[4],
		    const unsigned char *q, size_t n)
{
	uint32_t ax = sx[0], bx = sx[1], cx = sx[2], dx = sx[3];
	uint32_t ay = sy[0], by = sy[1], cy = sy[2], dy = sy[3];

	for (; n > 0; n--, p += 64, q += 64) {
		const uint32_t ax0 = ax, bx0 = bx, cx0 = cx, dx0 = dx;
		const uint32_t ay0 = ay, by0 = by, cy0 = cy, dy0 = dy;

		MD5_STEPS(TWO)
		ax += ax0;
		bx += bx0;
		cx += cx0;
		dx += dx0;
		ay += ay0;
		by += by0;
		cy += cy0;
		dy += dy0;
	}
	sx[0] = ax;
	sx[1] = bx;
	sx[2] = cx;
	sx[3] = dx;
	sy[0] = ay;
	sy[1] = by;
	sy[2] = cy;
	sy[3] = dy;
}

void fg_md5_init(struct fg_md5 *m)
{
	m->st[0] = 0x67452301;
	m->st[1] = 0xefcdab89;
	m->st[2] = 0x98badcfe;
	m->st[3] = 0x10325476;
	m->len = 0;
}

static void blocks_of(void *st, const unsigned char *p, size_t n)
{
	blocks(st, p, n);
}

void fg_md5_update(struct fg_md5 *m, const void *data, size_t len)
{
	fg_blocks_feed(m->buf, &m->len, data, len, blocks_of, m->st);
}

static void blocks2_of(void *sx, const unsigned char *p, void *sy,
		       const unsigned char *q, size_t n)
{
	blocks2(sx, p, sy, q, n);
}

void fg_md5_update_two(struct fg_md5 *x, const void *px, struct fg_md5 *y,
		       const void *py, size_t len)
{
	size_t whole = fg_blocks_two(&x->len, x->st, px, &y->len, y->st, py,
				     len, blocks2_of);

	fg_md5_update(x, (const unsigned char *)px + whole, len - whole);
	fg_md5_update(y, (const unsigned char *)py + whole, len - whole);
}

void fg_md5_final(struct fg_md5 *m, unsigned char out[16])
{
	int i;

	fg_blocks_pad(m->buf, &m->len, 0, blocks_of, m->st);
	for (i = 0; i < 16; i++)
		out[i] = (unsigned char)(m->st[i / 4] >> (8 * (i % 4)));
}

static void md5_update_(void *m, const void *p, size_t n)
{
	fg_md5_update(m, p, n);
}

/* The RFC 1321 suite, one million 'a' in uneven pieces, two digests at
 * once against one at a time, and 3 blocks + 17 bytes of varied data fed
 * in two pieces against OpenSSL's MD5 (when OpenSSL offers one: not in
 * FIPS mode). */
int fg_md5_selftest(void)
{
	static const struct {
		const char *in, *hex;
	} rfc[] = {
	    {"", "d41d8cd98f00b204e9800998ecf8427e"},
	    {"a", "0cc175b9c0f1b6a831c399e269772661"},
	    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
	    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
	    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
	    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	     "d174ab98d277d9f5a5611c2c9f419d9f"},
	    {"1234567890123456789012345678901234567890"
	     "1234567890123456789012345678901234567890",
	     "57edf4a22be3c955ac49da2e2107b67a"},
	};
	static const unsigned char million_a[16] = {
	    0x77, 0x07, 0xd6, 0xae, 0x4e, 0x02, 0x7c, 0x70,
	    0xee, 0xa2, 0xa9, 0x35, 0xc2, 0x29, 0x6f, 0x21};
	unsigned char data[3 * 64 + 17], rev[sizeof(data)], mine[16], ref[16];
	unsigned char two[2][16], one[16];
	unsigned int n = 0;
	struct fg_md5 m, x, y;
	size_t i;

	for (i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++) {
		char hex[33];

		fg_md5_init(&m);
		fg_md5_update(&m, rfc[i].in, strlen(rfc[i].in));
		fg_md5_final(&m, mine);
		fg_hex(mine, 16, hex);
		if (strcmp(hex, rfc[i].hex) != 0)
			return 0;
	}
	fg_md5_init(&m);
	fg_feed_million_a(md5_update_, &m);
	fg_md5_final(&m, mine);
	if (memcmp(mine, million_a, 16) != 0)
		return 0;
	for (i = 0; i < sizeof(data); i++) {
		data[i] = (unsigned char)(i * 151 + (i >> 3) + 7);
		rev[sizeof(data) - 1 - i] = data[i];
	}
	fg_md5_init(&m);
	fg_md5_update(&m, data, 100);
	fg_md5_update(&m, data + 100, sizeof(data) - 100);
	fg_md5_final(&m, mine);
	/* Two digests at once agree with one at a time: x of the data, y of
	 * it reversed, 2 blocks then 1 block + 17 bytes; then x and y of the
	 * same bytes after 5 bytes each (unaligned: one at a time). */
	fg_md5_init(&x);
	fg_md5_init(&y);
	fg_md5_update_two(&x, data, &y, rev, 128);
	fg_md5_update_two(&x, data + 128, &y, rev + 128, sizeof(data) - 128);
	fg_md5_final(&x, two[0]);
	fg_md5_final(&y, two[1]);
	fg_md5_init(&m);
	fg_md5_update(&m, rev, sizeof(rev));
	fg_md5_final(&m, one);
	if (memcmp(two[0], mine, 16) != 0 || memcmp(two[1], one, 16) != 0)
		return 0;
	fg_md5_init(&x);
	fg_md5_init(&y);
	fg_md5_update(&x, data, 5);
	fg_md5_update(&y, data, 5);
	fg_md5_update_two(&x, data + 5, &y, data + 5, sizeof(data) - 5);
	fg_md5_final(&x, two[0]);
	fg_md5_final(&y, two[1]);
	if (memcmp(two[0], mine, 16) != 0 || memcmp(two[1], mine, 16) != 0)
		return 0;
	if (EVP_Digest(data, sizeof(data), ref, &n, EVP_md5(), NULL) != 1 ||
	    n != 16)
		return 2; /* no OpenSSL MD5 to compare with */
	return memcmp(mine, ref, 16) == 0;
}
