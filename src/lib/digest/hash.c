/*
 * hash.c - digests through OpenSSL EVP (the only file that includes it for
 * hashing; MD5 and SHA-256 are forage's own, md5.c and sha256.c, once their
 * self-tests have passed), hash lists, file digests and hash windows.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <forage/hash.h>

#include "base/base_int.h"
#include "digest/digest_int.h"

struct fg_hash {
	unsigned alg;
	EVP_MD_CTX *ctx;      /* NULL when forage's own md5 or sha256 is used */
	struct fg_md5 md5;
	struct fg_sha256 sha256;
	int finished;
};

/* MD5 and SHA-256 are forage's own (md5.c, sha256.c) when they pass their
 * self-tests, run once per process; OpenSSL's otherwise.  md5_own,
 * sha256_own: the self-tests' answers, or OWN_OFF when the caller asked
 * for OpenSSL's only (fg_hash_openssl_only). */
#define OWN_OFF (-2)
static pthread_once_t own_once = PTHREAD_ONCE_INIT;
static int md5_own, sha256_own, openssl_only, own_checked;

static void own_check(void)
{
	own_checked = 1;
	if (openssl_only) {
		md5_own = sha256_own = OWN_OFF;
		return;
	}
	md5_own = fg_md5_selftest();
	sha256_own = fg_sha256_selftest();
}

int fg_hash_openssl_only(void)
{
	if (own_checked)
		return FG_ESTATE;
	openssl_only = 1;
	return FG_OK;
}

struct fg_hashwin {
	uint64_t window_size;
	uint64_t in_window;   /* bytes in the current window */
	struct fg_hash *cur;  /* NULL between windows */
	char (*hex)[65];
	size_t count, cap;
	int finished;
};

static const EVP_MD *md_for(unsigned alg)
{
	switch (alg) {
	case FG_HASH_MD5: return EVP_md5();
	case FG_HASH_SHA1: return EVP_sha1();
	case FG_HASH_SHA256: return EVP_sha256();
	}
	return NULL;
}

/* The hash set (hash.h): one row a digest, in fg_hash_set's order. */
static const struct {
	const char *name, *alias; /* as in --hash lists and records */
	const char *label;        /* as a person reads it */
	const char *uco;          /* CASE/UCO's uco-types:hashMethod */
	size_t hexlen;
} hash_rows[FG_NHASH] = {
	{"md5", NULL, "MD5", "MD5", 32},
	{"sha1", NULL, "SHA-1", "SHA1", 40},
	{"sha256", "sha-256", "SHA-256", "SHA256", 64},
};
const unsigned fg_hash_set[FG_NHASH] = {FG_HASH_MD5, FG_HASH_SHA1,
					FG_HASH_SHA256};

int fg_hash_index(unsigned alg)
{
	int i;

	for (i = 0; i < FG_NHASH; i++)
		if (fg_hash_set[i] == alg)
			return i;
	return -1;
}

char *fg_media_hash_hex(const struct fg_media_hashes *h, int i, int padded)
{
	struct fg_media_hashes *m = (struct fg_media_hashes *)h;

	if (i < 0 || i >= FG_NHASH)
		return NULL;
	switch (fg_hash_set[i]) {
	case FG_HASH_MD5: return padded ? m->padded_md5 : m->md5;
	case FG_HASH_SHA1: return padded ? m->padded_sha1 : m->sha1;
	case FG_HASH_SHA256: return padded ? m->padded_sha256 : m->sha256;
	}
	return NULL;
}

const char *fg_hash_name(unsigned alg)
{
	int i = fg_hash_index(alg);

	return i < 0 ? NULL : hash_rows[i].name;
}

unsigned fg_hash_from_name(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < FG_NHASH; i++)
		if (strcmp(name, hash_rows[i].name) == 0)
			return fg_hash_set[i];
	return 0;
}

const char *fg_hash_label(unsigned alg)
{
	int i = fg_hash_index(alg);

	return i < 0 ? NULL : hash_rows[i].label;
}

const char *fg_hash_uco_name(unsigned alg)
{
	int i = fg_hash_index(alg);

	return i < 0 ? NULL : hash_rows[i].uco;
}

size_t fg_hash_hexlen(unsigned alg)
{
	int i = fg_hash_index(alg);

	return i < 0 ? 0 : hash_rows[i].hexlen;
}

int fg_hash_new(struct fg_hash **out, unsigned alg, struct fg_error *err)
{
	const EVP_MD *md = md_for(alg);
	struct fg_hash *h;

	*out = NULL;
	if (md == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "unknown hash algorithm %#x", alg);
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	h->alg = alg;
	pthread_once(&own_once, own_check);
	if (alg == FG_HASH_MD5 && md5_own > 0) {
		fg_md5_init(&h->md5);
		*out = h;
		return FG_OK;
	}
	if (alg == FG_HASH_SHA256 && sha256_own == 1) {
		fg_sha256_init(&h->sha256);
		*out = h;
		return FG_OK;
	}
	h->ctx = EVP_MD_CTX_new();
	if (h->ctx == NULL || EVP_DigestInit_ex(h->ctx, md, NULL) != 1) {
		fg_hash_free(h);
		return fg_error_set(err, FG_ENOMEM, 0,
				    "cannot start %s digest (OpenSSL)",
				    fg_hash_name(alg));
	}
	*out = h;
	return FG_OK;
}

int fg_hash_update(struct fg_hash *h, const void *data, size_t len)
{
	if (h->finished)
		return FG_ESTATE;
	if (h->ctx != NULL) {
		if (len > 0 && EVP_DigestUpdate(h->ctx, data, len) != 1)
			return FG_EINVAL;
	} else if (h->alg == FG_HASH_MD5)
		fg_md5_update(&h->md5, data, len);
	else
		fg_sha256_update(&h->sha256, data, len);
	return FG_OK;
}

/* Both forage's own and of one algorithm: they can share a pass. */
static int pairable(const struct fg_hash *a, const struct fg_hash *b)
{
	return a->ctx == NULL && b->ctx == NULL && a->alg == b->alg &&
	       (a->alg == FG_HASH_SHA256 || a->alg == FG_HASH_MD5);
}

int fg_hash_update_two(struct fg_hash *a, const void *pa, struct fg_hash *b,
		       const void *pb, size_t len)
{
	int rc;

	if (a->finished || b->finished)
		return FG_ESTATE;
	if (pairable(a, b)) {
		if (a->alg == FG_HASH_MD5)
			fg_md5_update_two(&a->md5, pa, &b->md5, pb, len);
		else
			fg_sha256_update_two(&a->sha256, pa, &b->sha256, pb,
					     len);
		return FG_OK;
	}
	rc = fg_hash_update(a, pa, len);
	return rc == FG_OK ? fg_hash_update(b, pb, len) : rc;
}

int fg_hash_final(struct fg_hash *h, char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (h->finished)
		return FG_ESTATE;
	h->finished = 1;
	if (h->ctx == NULL && h->alg == FG_HASH_MD5) {
		fg_md5_final(&h->md5, md);
		n = 16;
	} else if (h->ctx == NULL) {
		fg_sha256_final(&h->sha256, md);
		n = 32;
	} else if (EVP_DigestFinal_ex(h->ctx, md, &n) != 1)
		return FG_EINVAL;
	fg_hex(md, n, hex);
	return FG_OK;
}

/* The digest of what h holds followed by len bytes of data, or by len
 * zeros when data is NULL, into hex; h is left as it is. */
static int peek_followed(const struct fg_hash *h, const void *data,
			 uint64_t len, char *hex)
{
	static const unsigned char zero[4096];
	struct fg_hash copy;
	int rc = FG_OK;

	if (h->finished)
		return FG_ESTATE;
	copy = *h;
	if (h->ctx != NULL) {
		copy.ctx = EVP_MD_CTX_new();
		if (copy.ctx == NULL ||
		    EVP_MD_CTX_copy_ex(copy.ctx, h->ctx) != 1) {
			EVP_MD_CTX_free(copy.ctx);
			return FG_ENOMEM;
		}
	}
	if (data != NULL)
		rc = fg_hash_update(&copy, data, (size_t)len);
	while (data == NULL && len > 0 && rc == FG_OK) {
		size_t k = len < sizeof(zero) ? (size_t)len : sizeof(zero);

		rc = fg_hash_update(&copy, zero, k);
		len -= k;
	}
	if (rc == FG_OK)
		rc = fg_hash_final(&copy, hex);
	EVP_MD_CTX_free(copy.ctx);
	return rc;
}

int fg_hash_peek_padded(const struct fg_hash *h, uint64_t zeros, char *hex)
{
	return peek_followed(h, NULL, zeros, hex);
}

int fg_hash_peek_then(const struct fg_hash *h, const void *data, size_t len,
		      char *hex)
{
	return peek_followed(h, data != NULL ? data : "",
			     data != NULL ? len : 0, hex);
}

const char *fg_hash_md5_implementation(void)
{
	pthread_once(&own_once, own_check);
	if (md5_own == 1)
		return "forage md5.c (its self-test against RFC 1321 and "
		       "OpenSSL passed)";
	if (md5_own == 2)
		return "forage md5.c (its self-test against RFC 1321 passed; "
		       "OpenSSL offers no MD5 to compare with)";
	if (md5_own == OWN_OFF)
		return "OpenSSL (forage's own not used, as asked)";
	return "OpenSSL (forage's own failed its self-test)";
}

const char *fg_hash_sha256_implementation(void)
{
	pthread_once(&own_once, own_check);
	if (sha256_own == 1)
		return "forage sha256.c with the x86 SHA extensions (its "
		       "self-test against FIPS 180-4 and OpenSSL passed)";
	if (sha256_own == OWN_OFF)
		return "OpenSSL (forage's own not used, as asked)";
	if (sha256_own < 0)
		return "OpenSSL (this CPU has no x86 SHA extensions for "
		       "forage's own)";
	return "OpenSSL (forage's own failed its self-test)";
}

void fg_hash_free(struct fg_hash *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

/* The n bytes at p are the word w (NULL: no word). */
static int word_is(const char *p, size_t n, const char *w)
{
	return w != NULL && strlen(w) == n && strncmp(p, w, n) == 0;
}

int fg_hash_parse_list(const char *list, unsigned *mask, struct fg_error *err)
{
	const char *p = list;
	unsigned m = 0;

	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		int i;

		for (i = 0; i < FG_NHASH; i++)
			if (word_is(p, n, hash_rows[i].name) ||
			    word_is(p, n, hash_rows[i].alias))
				break;
		if (i == FG_NHASH)
			return fg_error_set(err, FG_EINVAL, 0,
					    "unknown hash '%.*s' in '%s' "
					    "(known: md5, sha1, sha256)",
					    (int)n, p, list);
		m |= fg_hash_set[i];
		p += n;
		if (*p == ',')
			p++;
	}
	if (m == 0)
		return fg_error_set(err, FG_EINVAL, 0, "empty hash list");
	*mask = m;
	return FG_OK;
}

int fg_hash_file(const char *path, unsigned alg_mask,
		 char hexes[FG_NHASH][FG_HASH_HEX_MAX], uint64_t *size,
		 struct fg_error *err)
{
	return fg_hash_file_until(path, alg_mask, hexes, size, NULL, err);
}

int fg_hash_file_until(const char *path, unsigned alg_mask,
		       char hexes[FG_NHASH][FG_HASH_HEX_MAX], uint64_t *size,
		       volatile sig_atomic_t *stop, struct fg_error *err)
{
	struct fg_hash *h[FG_NHASH] = {NULL};
	unsigned char *buf = NULL;
	uint64_t total = 0;
	int fd = -1, rc = FG_OK, i;
	const size_t bufsize = 1 << 20;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = fg_error_set(err, FG_EIO, errno, "%s: cannot open: %s",
				  path, strerror(errno));
		goto out;
	}
	buf = malloc(bufsize);
	if (buf == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < FG_NHASH; i++)
		if ((alg_mask & fg_hash_set[i]) &&
		    (rc = fg_hash_new(&h[i], fg_hash_set[i], err)) != FG_OK)
			goto out;
	for (;;) {
		ssize_t n;

		if (stop != NULL && __atomic_load_n(stop, __ATOMIC_RELAXED)) {
			rc = fg_error_set(err, FG_EINTR, 0,
					  "%s: hashing abandoned at offset "
					  "%llu",
					  path, (unsigned long long)total);
			goto out;
		}
		n = read(fd, buf, bufsize);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = fg_error_set(err, FG_EIO, errno,
					  "%s: read error at offset %llu: %s",
					  path, (unsigned long long)total,
					  strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		for (i = 0; i < FG_NHASH; i++)
			if (h[i] != NULL)
				fg_hash_update(h[i], buf, (size_t)n);
		total += (uint64_t)n;
	}
	for (i = 0; i < FG_NHASH; i++)
		if (h[i] != NULL)
			fg_hash_final(h[i], hexes[i]);
	if (size != NULL)
		*size = total;
out:
	for (i = 0; i < FG_NHASH; i++)
		fg_hash_free(h[i]);
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* ---- Hash windows ------------------------------------------------------- */

int fg_hashwin_new(struct fg_hashwin **out, uint64_t window_size,
		   struct fg_error *err)
{
	struct fg_hashwin *w;

	*out = NULL;
	if (window_size == 0)
		return fg_error_set(err, FG_EINVAL, 0,
				    "hash window size must be > 0");
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	w->window_size = window_size;
	*out = w;
	return FG_OK;
}

static int hashwin_close_one(struct fg_hashwin *w)
{
	char hex[FG_HASH_HEX_MAX];

	if (w->count == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 64;
		void *p = realloc(w->hex, ncap * sizeof(*w->hex));
		if (p == NULL)
			return FG_ENOMEM;
		w->hex = p;
		w->cap = ncap;
	}
	fg_hash_final(w->cur, hex);
	memcpy(w->hex[w->count++], hex, 65);
	fg_hash_free(w->cur);
	w->cur = NULL;
	w->in_window = 0;
	return FG_OK;
}

int fg_hashwin_update(struct fg_hashwin *w, const void *data, size_t len)
{
	return fg_hashwin_update_with(w, NULL, data, len);
}

int fg_hashwin_update_with(struct fg_hashwin *w, struct fg_hash *also,
			   const void *data, size_t len)
{
	const unsigned char *p = data;
	int rc;

	if (w->finished || (also != NULL && also->finished))
		return FG_ESTATE;
	while (len > 0) {
		uint64_t room;
		size_t n;

		if (w->cur == NULL &&
		    (rc = fg_hash_new(&w->cur, FG_HASH_SHA256, NULL)) != FG_OK)
			return rc;
		room = w->window_size - w->in_window;
		n = len < room ? len : (size_t)room;
		if (also != NULL)
			fg_hash_update_two(w->cur, p, also, p, n);
		else
			fg_hash_update(w->cur, p, n);
		w->in_window += n;
		p += n;
		len -= n;
		if (w->in_window == w->window_size &&
		    (rc = hashwin_close_one(w)) != FG_OK)
			return rc;
	}
	return FG_OK;
}

int fg_hashwin_final(struct fg_hashwin *w)
{
	int rc = FG_OK;

	if (w->finished)
		return FG_ESTATE;
	if (w->cur != NULL && w->in_window > 0)
		rc = hashwin_close_one(w);
	w->finished = 1;
	return rc;
}

size_t fg_hashwin_count(const struct fg_hashwin *w)
{
	return w->count;
}

uint64_t fg_hashwin_size(const struct fg_hashwin *w)
{
	return w->window_size;
}

const char *fg_hashwin_get(const struct fg_hashwin *w, size_t i)
{
	return i < w->count ? w->hex[i] : NULL;
}

void fg_hashwin_free(struct fg_hashwin *w)
{
	if (w == NULL)
		return;
	fg_hash_free(w->cur);
	free(w->hex);
	free(w);
}
