/*
 * blocks.c - the 64-byte block framing that forage's MD5 and SHA-256
 * share: buffering, two digests in one pass, padding, and the long test
 * vector of their self-tests (digest_int.h).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "digest/digest_int.h"

void fg_feed_million_a(void (*update)(void *ctx, const void *p, size_t n),
		       void *ctx)
{
	unsigned char a[333];
	size_t i, k;

	memset(a, 'a', sizeof(a));
	for (i = 0; i < 1000000; i += k) {
		k = (i / 1000) % 2 ? 333 : 61;
		if (k > 1000000 - i)
			k = 1000000 - i;
		update(ctx, a, k);
	}
}

void fg_blocks_pad(unsigned char buf[64], uint64_t *len, int big_endian,
		   fg_blocks_fn *blocks, void *state)
{
	static const unsigned char pad[64] = {0x80};
	const uint64_t bits = *len * 8;
	unsigned char tail[8];
	size_t have = (size_t)(*len & 63);
	int i;

	for (i = 0; i < 8; i++)
		tail[i] = (unsigned char)(bits >> (big_endian ? 56 - 8 * i
							      : 8 * i));
	fg_blocks_feed(buf, len, pad, have < 56 ? 56 - have : 120 - have,
		       blocks, state);
	fg_blocks_feed(buf, len, tail, 8, blocks, state);
}

size_t fg_blocks_two(uint64_t *lena, void *sa, const void *pa, uint64_t *lenb,
		     void *sb, const void *pb, size_t len,
		     fg_blocks2_fn *blocks2)
{
	size_t whole;

	if ((*lena & 63) != 0 || (*lenb & 63) != 0)
		return 0;
	whole = len & ~(size_t)63;
	blocks2(sa, pa, sb, pb, whole / 64);
	*lena += whole;
	*lenb += whole;
	return whole;
}

void fg_blocks_feed(unsigned char buf[64], uint64_t *len, const void *data,
		    size_t n, fg_blocks_fn *blocks, void *state)
{
	const unsigned char *p = data;
	size_t have = (size_t)(*len & 63);

	*len += n;
	if (have > 0) {
		size_t take = 64 - have < n ? 64 - have : n;

		memcpy(buf + have, p, take);
		p += take;
		n -= take;
		if (have + take < 64)
			return;
		blocks(state, buf, 1);
	}
	if (n >= 64) {
		blocks(state, p, n / 64);
		p += n & ~(size_t)63;
		n &= 63;
	}
	if (n > 0)
		memcpy(buf, p, n);
}
