/* test_deflate.c - chunk compression: every stream inflates (with zlib,
 * as libewf reads it) to exactly the input and carries the input's
 * Adler-32; what does not shrink is stored as is with its checksum; the
 * pool hands chunks back in order whatever the number of threads, and
 * stops on the first failure. */
#include "config.h"

#include <stdint.h>
#include <zlib.h>

#include <forage/deflate.h>

#include "unit.h"

/* Chunk contents by kind: zeros, one repeated byte, text-like, noise. */
static void fill(unsigned char *p, size_t len, unsigned kind, unsigned seed)
{
	size_t i;
	uint32_t x = seed * 2654435761u + 7;

	for (i = 0; i < len; i++) {
		switch (kind % 4) {
		case 0: p[i] = 0; break;
		case 1: p[i] = 0x5a; break;
		case 2:
			p[i] =
			    (unsigned char)"forage evidence "[(i + seed) % 16];
			break;
		default:
			x = x * 1103515245u + 12345u;
			p[i] = (unsigned char)(x >> 16);
		}
	}
}

/* Inflate a zlib stream with zlib and compare with want. */
static int inflates_to(const unsigned char *z, size_t zlen,
		       const unsigned char *want, size_t len)
{
	unsigned char *out = malloc(len + 16);
	uLongf outlen = (uLongf)(len + 16);
	int ok;

	if (out == NULL)
		return 0;
	ok = uncompress(out, &outlen, z, (uLong)zlen) == Z_OK &&
	     outlen == len && memcmp(out, want, len) == 0;
	free(out);
	return ok;
}

static void test_roundtrip(void)
{
	static const enum fg_zmode modes[2] = {FG_Z_FAST, FG_Z_BEST};
	static const size_t sizes[5] = {1, 512, 1000, 32768, 262144};
	size_t m, k, kind;

	for (m = 0; m < 2; m++) {
		struct fg_deflate *d = NULL;
		struct fg_error err;

		CHECK_MSG(fg_deflate_new(&d, modes[m], &err) == FG_OK, &err);
		for (k = 0; k < 5; k++) {
			for (kind = 0; kind < 4; kind++) {
				size_t len = sizes[k];
				size_t cap = fg_deflate_bound(len);
				unsigned char *in = malloc(len);
				unsigned char *z = malloc(cap);
				ssize_t n;
				uint32_t a;

				fill(in, len, (unsigned)kind, (unsigned)k);
				n = fg_deflate_zlib(d, in, len, z, cap);
				CHECK(n > 6);
				if (n > 6) {
					/* RFC 1950 header, Adler-32 trailer */
					CHECK((z[0] & 0x0f) == 8);
					CHECK(((z[0] << 8) | z[1]) % 31 == 0);
					a = fg_adler32(in, len);
					CHECK(z[n - 4] == (a >> 24) &&
					      z[n - 3] == ((a >> 16) & 255) &&
					      z[n - 2] == ((a >> 8) & 255) &&
					      z[n - 1] == (a & 255));
					CHECK(
					    inflates_to(z, (size_t)n, in, len));
				}
				if (kind == 3 && len >= 512) {
					/* Noise does not shrink. */
					CHECK(fg_deflate_zlib(d, in, len, z,
							      len - 1) == 0);
				}
				if (kind == 0 && len == 32768)
					CHECK(n > 0 && n < 200);
				free(in);
				free(z);
			}
		}
		fg_deflate_free(d);
	}
	CHECK(fg_deflate_new(&(struct fg_deflate *){NULL}, FG_Z_NONE, NULL) ==
	      FG_EINVAL);
}

static void test_adler(void)
{
	unsigned char buf[70000];

	fill(buf, sizeof(buf), 3, 9);
	CHECK(fg_adler32(buf, 0) == 1);
	CHECK(fg_adler32(buf, sizeof(buf)) ==
	      (uint32_t)adler32(adler32(0L, Z_NULL, 0), buf, sizeof(buf)));
	CHECK(fg_adler32("abc", 3) == 0x024d0127);
}

/* ---- The pool ---------------------------------------------------------- */

#define CHUNK	 4096
#define NCHUNKS	 101
#define LAST_LEN 1000

/* The pool's chunk size and chunk count in force: CHUNK and NCHUNKS, or
 * chunks from 1 MiB on, where each worker owns the output buffer and
 * copies the stream back into the slot (test_pool_lean). */
static size_t g_chunk = CHUNK;
static uint64_t g_nchunks = NCHUNKS;

struct expect {
	enum fg_zmode mode;
	int always;
	uint64_t next; /* index expected next */
	unsigned bad;  /* wrong order, content or storage */
	unsigned compressed;
	uint64_t fail_at; /* return FG_EIO at this index (0: never) */
};

static size_t chunk_len(uint64_t i)
{
	return i == g_nchunks - 1 ? LAST_LEN : g_chunk;
}

static int check_chunk(void *ctx, const struct fg_zchunk *c,
		       struct fg_error *err)
{
	struct expect *x = ctx;
	unsigned char *want;
	size_t len = chunk_len(c->index);
	int want_z = -1;

	if (x->fail_at != 0 && c->index == x->fail_at)
		return fg_error_set(err, FG_EIO, 0, "scripted failure at %llu",
				    (unsigned long long)c->index);
	want = malloc(len);
	if (want == NULL)
		return fg_error_set(err, FG_ENOMEM, 0, "out of memory");
	fill(want, len, (unsigned)(c->index % 4), (unsigned)c->index);
	if (c->index != x->next++ || c->raw_len != len)
		x->bad++;
	if (c->compressed) {
		x->compressed++;
		if (!inflates_to(c->data, c->len, want, len) ||
		    c->checksum_buf != NULL)
			x->bad++;
		if (!x->always && c->len >= len)
			x->bad++; /* stored compressed but not smaller */
	} else {
		if (c->len != len || memcmp(c->data, want, len) != 0 ||
		    c->checksum != fg_adler32(want, len) ||
		    c->checksum_buf != c->data + c->len)
			x->bad++;
		/* The spare bytes take the checksum. */
		memcpy(c->checksum_buf, &c->checksum, 4);
	}
	/* What each mode must do with each kind of chunk. */
	if (x->always || x->mode == FG_Z_FAST || x->mode == FG_Z_BEST)
		want_z = (c->index % 4) != 3 || x->always;
	else if (x->mode == FG_Z_NONE)
		want_z = 0;
	else if (x->mode == FG_Z_EMPTY_BLOCK)
		want_z = (c->index % 4) < 2;
	if (want_z >= 0 && want_z != c->compressed)
		x->bad++;
	free(want);
	return FG_OK;
}

static int run_pool(struct expect *x, unsigned threads, struct fg_error *err)
{
	struct fg_zpool_opts o;
	struct fg_zpool *z = NULL;
	uint64_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	o.mode = x->mode;
	o.always_compress = x->always;
	o.chunk_size = g_chunk;
	o.threads = threads;
	o.emit = check_chunk;
	o.ctx = x;
	rc = fg_zpool_new(&z, &o, err);
	if (rc != FG_OK)
		return rc;
	for (i = 0; i < g_nchunks && rc == FG_OK; i++) {
		unsigned char *buf;
		rc = fg_zpool_get(z, &buf, err);
		if (rc != FG_OK)
			break;
		fill(buf, chunk_len(i), (unsigned)(i % 4), (unsigned)i);
		rc = fg_zpool_put(z, chunk_len(i), err);
	}
	if (rc == FG_OK)
		rc = fg_zpool_flush(z, err);
	fg_zpool_free(z);
	return rc;
}

static void test_pool_modes(void)
{
	static const enum fg_zmode modes[4] = {FG_Z_NONE, FG_Z_EMPTY_BLOCK,
					       FG_Z_FAST, FG_Z_BEST};
	static const unsigned threads[4] = {1, 2, 5, 0};
	size_t m, t;

	for (m = 0; m < 4; m++) {
		for (t = 0; t < 4; t++) {
			struct expect x;
			struct fg_error err;
			memset(&x, 0, sizeof(x));
			x.mode = modes[m];
			CHECK_MSG(run_pool(&x, threads[t], &err) == FG_OK,
				  &err);
			CHECK(x.next == NCHUNKS);
			CHECK(x.bad == 0);
			if (modes[m] == FG_Z_NONE)
				CHECK(x.compressed == 0);
			else
				CHECK(x.compressed > 0);
		}
	}
}

/* EWF-S01 stores every chunk compressed, noise included. */
static void test_pool_always(void)
{
	struct expect x;
	struct fg_error err;

	memset(&x, 0, sizeof(x));
	x.mode = FG_Z_NONE;
	x.always = 1;
	CHECK_MSG(run_pool(&x, 3, &err) == FG_OK, &err);
	CHECK(x.next == NCHUNKS);
	CHECK(x.bad == 0);
	CHECK(x.compressed == NCHUNKS);
}

/* 1 MiB chunks and more: a lean pool (no output buffer a slot), every
 * mode and always-compress, each kind of chunk, one to three workers. */
static void test_pool_lean(void)
{
	static const enum fg_zmode modes[4] = {FG_Z_NONE, FG_Z_EMPTY_BLOCK,
					       FG_Z_FAST, FG_Z_BEST};
	static const size_t chunks[2] = {(size_t)1 << 20, (size_t)2 << 20};
	size_t m, c;
	unsigned t;

	g_nchunks = 11;
	for (c = 0; c < 2; c++) {
		g_chunk = chunks[c];
		for (m = 0; m < 5; m++) {
			for (t = 1; t <= 3; t += 2) {
				struct expect x;
				struct fg_error err;
				memset(&x, 0, sizeof(x));
				x.mode = m < 4 ? modes[m] : FG_Z_NONE;
				x.always = m == 4;
				CHECK_MSG(run_pool(&x, t, &err) == FG_OK,
					  &err);
				CHECK(x.next == g_nchunks);
				CHECK(x.bad == 0);
				CHECK(x.compressed ==
				      (x.always ? g_nchunks
				       : m == 0 ? 0
				       : m == 1 ? 6 /* chunks 0, 1, 4, 5, 8, 9 */
						: 9)); /* all but 3 and 7 */
			}
		}
	}
	g_chunk = CHUNK;
	g_nchunks = NCHUNKS;
}

/* The first failing emit stops the pool; every later call says so. */
static void test_pool_failure(void)
{
	struct fg_zpool_opts o;
	struct fg_zpool *z = NULL;
	struct expect x;
	struct fg_error err;
	unsigned char *buf;
	uint64_t i;
	int rc = FG_OK;

	memset(&x, 0, sizeof(x));
	x.mode = FG_Z_FAST;
	x.fail_at = 7;
	memset(&o, 0, sizeof(o));
	o.mode = FG_Z_FAST;
	o.chunk_size = CHUNK;
	o.threads = 2;
	o.emit = check_chunk;
	o.ctx = &x;
	CHECK(fg_zpool_new(&z, &o, &err) == FG_OK);
	for (i = 0; i < NCHUNKS && rc == FG_OK; i++) {
		rc = fg_zpool_get(z, &buf, &err);
		if (rc == FG_OK) {
			fill(buf, chunk_len(i), (unsigned)(i % 4), (unsigned)i);
			rc = fg_zpool_put(z, chunk_len(i), &err);
		}
	}
	CHECK(rc == FG_EIO);
	CHECK(strstr(err.msg, "scripted failure at 7") != NULL);
	CHECK(x.next == 7 && x.bad == 0);
	CHECK(fg_zpool_flush(z, &err) == FG_EIO);
	CHECK(fg_zpool_get(z, &buf, &err) == FG_EIO);
	fg_zpool_free(z);
	/* Bad arguments. */
	o.chunk_size = 0;
	CHECK(fg_zpool_new(&z, &o, NULL) == FG_EINVAL);
	CHECK(z == NULL);
}

int main(void)
{
	printf("# deflate backend: %s\n", fg_deflate_backend());
	unit_run("streams inflate to the input", test_roundtrip);
	unit_run("adler-32", test_adler);
	unit_run("pool: order and storage per mode and thread count",
		 test_pool_modes);
	unit_run("pool: always compress (EWF-S01)", test_pool_always);
	unit_run("pool: 1M and 2M chunks, workers' own output buffers",
		 test_pool_lean);
	unit_run("pool: first failure stops it", test_pool_failure);
	return unit_done();
}
