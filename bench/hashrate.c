/*
 * hashrate.c - one core's MD5 and SHA-256 rates: OpenSSL's and forage's own
 * (md5.c, sha256.c), side by side, for bench/run.sh.  Prints lines "NAME
 * MB/s" (median of 5 runs of 256 MiB each) after checking that the digests
 * agree: openssl-md5, forage-md5, forage-md5x2 (two digests of the same
 * bytes at once; MB/s of data), and where this CPU has the SHA
 * extensions openssl-sha256, forage-sha256 and forage-sha256x2 (two at
 * once, likewise).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "digest/digest_int.h"

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

/* One timed run of each contender over REPS x BUFSZ bytes; digests of
 * the same algorithm must agree. */
enum { SSL_MD5, OWN_MD5, OWN_MD52, SSL_SHA, OWN_SHA, OWN_SHA2, NT };

static double run(int which, const unsigned char *buf, unsigned char *out)
{
	static const char *const evp_name[NT] = {"MD5", NULL, NULL, "SHA256"};
	double t0 = now();
	int k;

	if (which == SSL_MD5 || which == SSL_SHA) {
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		unsigned int n = 0;

		if (c == NULL || EVP_DigestInit_ex(c, EVP_get_digestbyname(
						   evp_name[which]),
					   NULL) != 1)
			exit(1);
		for (k = 0; k < REPS; k++)
			EVP_DigestUpdate(c, buf, BUFSZ);
		EVP_DigestFinal_ex(c, out, &n);
		EVP_MD_CTX_free(c);
	} else if (which == OWN_MD5 || which == OWN_MD52) {
		struct fg_md5 m, n;

		fg_md5_init(&m);
		fg_md5_init(&n);
		for (k = 0; k < REPS; k++)
			if (which == OWN_MD5)
				fg_md5_update(&m, buf, BUFSZ);
			else
				fg_md5_update_two(&m, buf, &n, buf, BUFSZ);
		fg_md5_final(&m, out);
		fg_md5_final(&n, out + 16);
		if (which == OWN_MD52 && memcmp(out, out + 16, 16) != 0)
			exit(1);
	} else {
		struct fg_sha256 s, t;

		fg_sha256_init(&s);
		fg_sha256_init(&t);
		for (k = 0; k < REPS; k++)
			if (which == OWN_SHA)
				fg_sha256_update(&s, buf, BUFSZ);
			else
				fg_sha256_update_two(&s, buf, &t, buf, BUFSZ);
		fg_sha256_final(&s, out);
		fg_sha256_final(&t, out + 32);
		if (which == OWN_SHA2 && memcmp(out, out + 32, 32) != 0)
			exit(1);
	}
	return now() - t0;
}

int main(void)
{
	static const char *const label[NT] = {
	    "openssl-md5",    "forage-md5",    "forage-md5x2",
	    "openssl-sha256", "forage-sha256", "forage-sha256x2"};
	unsigned char *buf = malloc(BUFSZ), out[NT][64];
	double t[NT][5];
	int have_sha = fg_sha256_selftest() == 1;
	uint32_t x = 1;
	size_t i;
	int r, w;

	if (buf == NULL)
		return 1;
	for (i = 0; i < BUFSZ; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (r = 0; r < 5; r++)
		for (w = 0; w < NT; w++)
			if (have_sha || w < OWN_SHA)
				t[w][r] = run(w, buf, out[w]);
	if (memcmp(out[SSL_MD5], out[OWN_MD5], 16) != 0 ||
	    memcmp(out[SSL_MD5], out[OWN_MD52], 16) != 0 ||
	    (have_sha && (memcmp(out[SSL_SHA], out[OWN_SHA], 32) != 0 ||
			  memcmp(out[SSL_SHA], out[OWN_SHA2], 32) != 0))) {
		fprintf(stderr, "hashrate: the digests differ\n");
		return 1;
	}
	for (w = 0; w < NT; w++) {
		if (!have_sha && w >= OWN_SHA)
			continue;
		qsort(t[w], 5, sizeof(double), cmp);
		printf("%s %.0f\n", label[w],
		       (double)BUFSZ * REPS / t[w][2] / 1e6);
	}
	free(buf);
	return 0;
}
