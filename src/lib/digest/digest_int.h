/*
 * digest_int.h - what the digest part's files share: forage's own MD5
 * and SHA-256 and the 64-byte block framing both use.  Everything else
 * reaches digests through <forage/hash.h>.
 */
#ifndef FORAGE_DIGEST_INT_H
#define FORAGE_DIGEST_INT_H

#include <stddef.h>
#include <stdint.h>

/* MD5 (md5.c): forage's own, faster than OpenSSL's on the one stream that
 * bounds a pass; hash.c decides which is used (fg_md5_selftest). */
struct fg_md5 {
	uint32_t st[4];
	uint64_t len;
	unsigned char buf[64];
};
void fg_md5_init(struct fg_md5 *m);
void fg_md5_update(struct fg_md5 *m, const void *data, size_t len);
/* Two digests in one pass (of the same bytes or of others), at about
 * 1.75 times one digest's rate; the same digests as fg_md5_update. */
void fg_md5_update_two(struct fg_md5 *x, const void *px, struct fg_md5 *y,
		       const void *py, size_t len);
void fg_md5_final(struct fg_md5 *m, unsigned char out[16]);
/* 1 when the RFC 1321 vectors, one million 'a' and a check against
 * OpenSSL's MD5 pass; 2 when all but the last pass because OpenSSL offers
 * no MD5 (FIPS mode); 0 when any fails. */
int fg_md5_selftest(void);

/* SHA-256 (sha256.c): forage's own, with the x86 SHA extensions; it
 * computes two digests in one pass, at about 1.8 times one digest's rate.
 * hash.c decides which is used (fg_sha256_selftest). */
struct fg_sha256 {
	uint32_t st[8];
	uint64_t len;
	unsigned char buf[64];
};
void fg_sha256_init(struct fg_sha256 *s);
void fg_sha256_update(struct fg_sha256 *s, const void *data, size_t len);
/* len bytes of pa into a and len bytes of pb into b, in one pass while
 * both are at a block boundary, else one after the other. */
void fg_sha256_update_two(struct fg_sha256 *a, const void *pa,
			  struct fg_sha256 *b, const void *pb, size_t len);
void fg_sha256_final(struct fg_sha256 *s, unsigned char out[32]);
/* -1 when this CPU has no SHA extensions (or this build no code for them);
 * else 1 when the FIPS 180-4 examples, one million 'a', a check against
 * OpenSSL and the two-digest passes all give the right digests, 0 if not. */
int fg_sha256_selftest(void);

/* One million 'a' to update(ctx, ...) in uneven pieces (the long test
 * vector of RFC 1321's and FIPS 180's suites), for the self-tests. */
void fg_feed_million_a(void (*update)(void *ctx, const void *p, size_t n),
		       void *ctx);

/* Feeds n bytes to a hash of 64-byte blocks: completes the block buffered
 * in buf, hands whole blocks to blocks(state, p, count) and keeps the rest
 * in buf; *len counts all bytes fed (its low 6 bits: the bytes in buf). */
typedef void fg_blocks_fn(void *state, const unsigned char *p, size_t count);
void fg_blocks_feed(unsigned char buf[64], uint64_t *len, const void *data,
		    size_t n, fg_blocks_fn *blocks, void *state);
/* Two such hashes fed len bytes each (pa into sa, pb into sb) in one pass:
 * when both are at a block boundary, their whole blocks go through
 * blocks2 and *lena, *lenb count them.  Returns how many bytes of each it
 * took (0 or len rounded down to a block); the caller feeds the rest. */
typedef void fg_blocks2_fn(void *sa, const unsigned char *pa, void *sb,
			   const unsigned char *pb, size_t count);
size_t fg_blocks_two(uint64_t *lena, void *sa, const void *pa, uint64_t *lenb,
		     void *sb, const void *pb, size_t len,
		     fg_blocks2_fn *blocks2);
/* The end of such a hash (MD5, SHA-256): 0x80, zeros, and the bit length
 * in 8 bytes, little-endian (MD5) or big-endian (SHA-256). */
void fg_blocks_pad(unsigned char buf[64], uint64_t *len, int big_endian,
		   fg_blocks_fn *blocks, void *state);

#endif
