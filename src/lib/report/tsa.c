/*
 * tsa.c - RFC 3161 time-stamps (see sign.h): a request for the SHA-256 of
 * some bytes sent to a time-stamp authority over HTTP, its response kept
 * as a file (DER TimeStampResp, as `openssl ts -reply` writes it), and a
 * response checked against the file it stamps.  The only file of forage
 * that includes OpenSSL's TS and HTTP headers; their errors become
 * fg_error messages here.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include <forage/hash.h>
#include <forage/sign.h>

#include "report/report_int.h"

#define MAX_TSR (1u << 20)  /* a response larger than this is not one */
#define TSA_TIMEOUT 30      /* seconds for the whole exchange */

/* SHA-256 of data as 32 bytes, through forage's digest part. */
static int sha256_of(const void *data, size_t len, unsigned char out[32])
{
	struct fg_hash *h = NULL;
	char hex[65];
	int i;

	if (fg_hash_new(&h, FG_HASH_SHA256, NULL) != FG_OK)
		return -1;
	fg_hash_update(h, data, len);
	fg_hash_final(h, hex);
	fg_hash_free(h);
	for (i = 0; i < 32; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

static TS_REQ *make_request(const unsigned char digest[32], ASN1_INTEGER **nonce)
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	unsigned char rnd[8];
	BIGNUM *bn = NULL;
	int ok = 0;

	*nonce = NULL;
	if (req == NULL || mi == NULL || alg == NULL ||
	    RAND_bytes(rnd, sizeof(rnd)) != 1)
		goto out;
	rnd[0] &= 0x7f;
	bn = BN_bin2bn(rnd, sizeof(rnd), NULL);
	*nonce = bn != NULL ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
	ok = *nonce != NULL && TS_REQ_set_version(req, 1) == 1 &&
	     X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL,
			     NULL) == 1 &&
	     TS_MSG_IMPRINT_set_algo(mi, alg) == 1 &&
	     TS_MSG_IMPRINT_set_msg(mi, (unsigned char *)digest, 32) == 1 &&
	     TS_REQ_set_msg_imprint(req, mi) == 1 &&
	     TS_REQ_set_nonce(req, *nonce) == 1 &&
	     TS_REQ_set_cert_req(req, 1) == 1;
out:
	BN_free(bn);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	if (!ok) {
		TS_REQ_free(req);
		ASN1_INTEGER_free(*nonce);
		*nonce = NULL;
		return NULL;
	}
	return req;
}

/* The status of a response in words, NULL when granted. */
static const char *refused(TS_RESP *resp)
{
	TS_STATUS_INFO *si = TS_RESP_get_status_info(resp);
	long st = si != NULL ? ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si))
			     : -1;

	switch (st) {
	case 0:
	case 1:
		return NULL;
	case 2: return "rejection";
	case 3: return "waiting";
	case 4: return "revocation warning";
	case 5: return "revocation notification";
	default: return "an unknown status";
	}
}

int fg_tsa_stamp(const void *data, size_t len, const char *url,
		 unsigned char **tsr, size_t *tsrlen, struct fg_error *err)
{
	unsigned char digest[32], *der = NULL;
	char *host = NULL, *port = NULL, *path = NULL, why[256];
	ASN1_INTEGER *nonce = NULL;
	TS_REQ *req = NULL;
	TS_RESP *resp = NULL;
	TS_VERIFY_CTX *vc = NULL;
	BIO *rb = NULL, *ans = NULL;
	int ssl = 0, n, rc;
	const char *no;

	*tsr = NULL;
	*tsrlen = 0;
	ERR_clear_error();
	if (OSSL_HTTP_parse_url(url, &ssl, NULL, &host, &port, NULL, &path,
				NULL, NULL) != 1) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: not a time-stamp authority's address "
				  "(http://HOST[:PORT]/PATH)",
				  url);
		goto out;
	}
	if (ssl) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: https is not supported for the "
				  "time-stamp authority yet; give its http "
				  "address (the token is signed, the channel "
				  "need not be)",
				  url);
		goto out;
	}
	if (sha256_of(data, len, digest) != 0 ||
	    (req = make_request(digest, &nonce)) == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	n = i2d_TS_REQ(req, &der);
	rb = n > 0 ? BIO_new_mem_buf(der, n) : NULL;
	if (rb == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	ans = OSSL_HTTP_transfer(NULL, host, port, path, 0, NULL, NULL, NULL,
				 NULL, NULL, NULL, 0, NULL,
				 "application/timestamp-query", rb,
				 "application/timestamp-reply", 1, MAX_TSR,
				 TSA_TIMEOUT, 0);
	if (ans == NULL) {
		rc = fg_error_set(err, FG_EIO, 0,
				  "time-stamp authority %s: no answer: %s", url,
				  rpt_ossl_reason(why, sizeof(why)));
		goto out;
	}
	resp = d2i_TS_RESP_bio(ans, NULL);
	if (resp == NULL) {
		rc = fg_error_set(err, FG_EIO, 0,
				  "time-stamp authority %s: its answer is not "
				  "a time-stamp response: %s",
				  url, rpt_ossl_reason(why, sizeof(why)));
		goto out;
	}
	no = refused(resp);
	if (no != NULL) {
		rc = fg_error_set(err, FG_EIO, 0,
				  "time-stamp authority %s answered with %s",
				  url, no);
		goto out;
	}
	/* The token must be for these bytes and this request (imprint,
	 * nonce, version; its signature is checked by the audit against
	 * the TSA's certificate it is given). */
	vc = TS_REQ_to_TS_VERIFY_CTX(req, NULL);
	if (vc == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	TS_VERIFY_CTX_set_flags(vc, TS_VFY_VERSION | TS_VFY_IMPRINT |
					    TS_VFY_NONCE);
	if (TS_RESP_verify_response(vc, resp) != 1) {
		rc = fg_error_set(err, FG_EIO, 0,
				  "time-stamp authority %s: its token is not "
				  "for this seal: %s",
				  url, rpt_ossl_reason(why, sizeof(why)));
		goto out;
	}
	OPENSSL_free(der);
	der = NULL;
	n = i2d_TS_RESP(resp, &der);
	if (n <= 0 || (*tsr = malloc((size_t)n)) == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	memcpy(*tsr, der, (size_t)n);
	*tsrlen = (size_t)n;
	rc = FG_OK;
out:
	TS_VERIFY_CTX_free(vc);
	TS_RESP_free(resp);
	TS_REQ_free(req);
	ASN1_INTEGER_free(nonce);
	BIO_free(ans);
	BIO_free(rb);
	OPENSSL_free(der);
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	ERR_clear_error();
	return rc;
}

/* Subject of the certificate that signed the token, or "". */
static void tsa_name(TS_RESP *resp, char *buf, size_t len)
{
	PKCS7 *tok = TS_RESP_get_token(resp);
	STACK_OF(X509) *signers;

	buf[0] = '\0';
	if (tok == NULL)
		return;
	signers = PKCS7_get0_signers(tok, NULL, 0);
	if (signers != NULL && sk_X509_num(signers) > 0)
		X509_NAME_oneline(X509_get_subject_name(sk_X509_value(signers, 0)),
				  buf, (int)len);
	sk_X509_free(signers);
	ERR_clear_error();
}

/* The check of fg_tsa_check on open BIOs: tb, the response, and db, the
 * data (both freed here); data_path and tsr_path only name them. */
static int check_bios(BIO *tb, BIO *db, const char *data_path,
		      const char *tsr_path, const char *ca_path,
		      struct fg_tsa_info *info, struct fg_error *err)
{
	TS_RESP *resp = NULL;
	TS_VERIFY_CTX *vc = NULL;
	X509_STORE *store = NULL;
	X509 *ca = NULL;
	BIO *cb = NULL;
	char why[256];
	const char *no;
	int fd = -1, rc = FG_OK;

	resp = d2i_TS_RESP_bio(tb, NULL);
	if (resp == NULL) {
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "%s: not a time-stamp response (DER): %s",
				  tsr_path, rpt_ossl_reason(why, sizeof(why)));
		goto out;
	}
	no = refused(resp);
	if (no != NULL) {
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "%s: the authority answered with %s, not a "
				  "time-stamp",
				  tsr_path, no);
		goto out;
	}
	{
		TS_TST_INFO *ti = TS_RESP_get_tst_info(resp);
		const ASN1_GENERALIZEDTIME *t =
			ti != NULL ? TS_TST_INFO_get_time(ti) : NULL;
		struct tm tm;

		memset(&tm, 0, sizeof(tm));
		if (t != NULL && ASN1_TIME_to_tm(t, &tm) == 1)
			strftime(info->time, sizeof(info->time),
				 "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	tsa_name(resp, info->tsa, sizeof(info->tsa));
	vc = TS_VERIFY_CTX_new();
	if (vc == NULL) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
		goto out;
	}
	TS_VERIFY_CTX_set_data(vc, db);
	db = NULL; /* the context frees it */
	if (ca_path != NULL) {
		rc = fg_open_input(ca_path, 0, &fd, err);
		if (rc != FG_OK)
			goto out;
		cb = BIO_new_fd(fd, BIO_CLOSE);
		ca = cb != NULL ? PEM_read_bio_X509(cb, NULL, NULL, NULL)
				: NULL;
		if (cb == NULL)
			close(fd);
		store = X509_STORE_new();
		if (ca == NULL || store == NULL ||
		    X509_STORE_add_cert(store, ca) != 1) {
			rc = fg_error_set(err, FG_EINVAL, 0,
					  "%s: not a PEM certificate: %s",
					  ca_path, rpt_ossl_reason(why, sizeof(why)));
			goto out;
		}
		TS_VERIFY_CTX_set_store(vc, store);
		store = NULL; /* the context frees it */
		TS_VERIFY_CTX_set_flags(vc, TS_VFY_VERSION | TS_VFY_DATA |
						    TS_VFY_SIGNATURE |
						    TS_VFY_SIGNER);
	} else {
		TS_VERIFY_CTX_set_flags(vc, TS_VFY_VERSION | TS_VFY_DATA);
	}
	if (TS_RESP_verify_response(vc, resp) != 1) {
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "%s is NOT a time-stamp of %s%s%s: %s",
				  tsr_path, data_path,
				  ca_path != NULL ? " by an authority of " : "",
				  ca_path != NULL ? ca_path : "",
				  rpt_ossl_reason(why, sizeof(why)));
		goto out;
	}
	info->trusted = ca_path != NULL;
	rc = FG_OK;
out:
	TS_VERIFY_CTX_free(vc);
	X509_STORE_free(store);
	X509_free(ca);
	TS_RESP_free(resp);
	BIO_free(tb);
	BIO_free(db);
	BIO_free(cb);
	ERR_clear_error();
	return rc;
}

int fg_tsa_check(const char *data_path, const char *tsr_path,
		 const char *ca_path, struct fg_tsa_info *info,
		 struct fg_error *err)
{
	BIO *tb = NULL, *db = NULL;
	int fd = -1, rc;

	memset(info, 0, sizeof(*info));
	ERR_clear_error();
	rc = fg_open_input(tsr_path, 0, &fd, err);
	if (rc != FG_OK)
		return rc;
	tb = BIO_new_fd(fd, BIO_CLOSE);
	if (tb == NULL) {
		close(fd);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	rc = fg_open_input(data_path, 0, &fd, err);
	if (rc != FG_OK) {
		BIO_free(tb);
		return rc;
	}
	db = BIO_new_fd(fd, BIO_CLOSE);
	if (db == NULL) {
		close(fd);
		BIO_free(tb);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	return check_bios(tb, db, data_path, tsr_path, ca_path, info, err);
}

int fg_tsa_check_mem(const void *data, size_t len, const void *tsr,
		     size_t tsrlen, const char *name, const char *tsr_name,
		     const char *ca_path, struct fg_tsa_info *info,
		     struct fg_error *err)
{
	BIO *tb = NULL, *db = NULL;

	memset(info, 0, sizeof(*info));
	ERR_clear_error();
	if (len <= INT_MAX && tsrlen <= INT_MAX) {
		tb = BIO_new_mem_buf(tsr, (int)tsrlen);
		db = BIO_new_mem_buf(data, (int)len);
	}
	if (tb == NULL || db == NULL) {
		BIO_free(tb);
		BIO_free(db);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	return check_bios(tb, db, name, tsr_name, ca_path, info, err);
}
