/*
 * hashrate.c - one core's MD5 rate: OpenSSL's and forage's own (md5.c),
 * side by side, for bench/run.sh.  Prints "openssl-md5 MB/s" and
 * "forage-md5 MB/s" lines (median of 5 runs of about 0.3 s each) after
 * checking that both give the same digest.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "../src/lib/internal.h"

#define BUFSZ (1u << 20)
#define REPS 256

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	unsigned char *buf = malloc(BUFSZ), ours[16], ref[16];
	double t_ssl[5], t_own[5];
	unsigned int n = 0;
	uint32_t x = 1;
	size_t i;
	int r, k;

	if (buf == NULL)
		return 1;
	for (i = 0; i < BUFSZ; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (r = 0; r < 5; r++) {
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		struct fg_md5 m;
		double t0 = now();

		if (c == NULL || EVP_DigestInit_ex(c, EVP_md5(), NULL) != 1)
			return 1;
		for (k = 0; k < REPS; k++)
			EVP_DigestUpdate(c, buf, BUFSZ);
		EVP_DigestFinal_ex(c, ref, &n);
		EVP_MD_CTX_free(c);
		t_ssl[r] = now() - t0;
		t0 = now();
		fg_md5_init(&m);
		for (k = 0; k < REPS; k++)
			fg_md5_update(&m, buf, BUFSZ);
		fg_md5_final(&m, ours);
		t_own[r] = now() - t0;
		if (n != 16 || memcmp(ours, ref, 16) != 0) {
			fprintf(stderr, "hashrate: the MD5 digests differ\n");
			return 1;
		}
	}
	qsort(t_ssl, 5, sizeof(double), cmp);
	qsort(t_own, 5, sizeof(double), cmp);
	printf("openssl-md5 %.0f\nforage-md5 %.0f\n",
	       (double)BUFSZ * REPS / t_ssl[2] / 1e6,
	       (double)BUFSZ * REPS / t_own[2] / 1e6);
	free(buf);
	return 0;
}
