/*
 * sign.c - detached CMS signatures of reports (see sign.h).  The only file
 * of forage that includes the OpenSSL CMS headers; OpenSSL's errors are
 * turned into fg_error messages here.
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
#include <openssl/pem.h> /* before cms.h: it declares PEM_read_bio_CMS */
#include <openssl/cms.h>
#include <openssl/x509.h>

#include <forage/sign.h>

#include "report/report_int.h"


const char *rpt_ossl_reason(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();

	buf[0] = '\0';
	if (e != 0)
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

/* Never prompt for a pass phrase: an encrypted key is refused. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* The caller's pass phrase source, for OpenSSL, remembering whether it
 * was asked and whether it gave one. */
struct pass_req {
	fg_sign_pass_fn fn;
	void *ctx;
	int asked, given;
};

static int ask_passphrase(char *buf, int size, int rwflag, void *u)
{
	struct pass_req *p = u;
	int n;

	(void)rwflag;
	p->asked = 1;
	if (p->fn == NULL)
		return -1;
	n = p->fn(buf, size, p->ctx);
	if (n < 0 || n > size)
		return -1;
	p->given = 1;
	return n;
}

/* An input file as a BIO: a FIFO or a device (/dev/zero) given as the
 * report, the signature or the certificate is refused by name instead of
 * blocking or being read without end (base_int.h, fg_open_input). */
static int open_bio(const char *path, const char *what, BIO **out,
		    struct fg_error *err)
{
	struct fg_error e;
	int fd, rc;

	*out = NULL;
	fg_error_clear(&e);
	rc = fg_open_input(path, 0, &fd, &e);
	if (rc != FG_OK)
		return fg_error_set(err, rc, e.sys_errno, "%s: %s", what,
				    e.msg);
	*out = BIO_new_fd(fd, BIO_CLOSE);
	if (*out == NULL) {
		close(fd);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	return FG_OK;
}

/* A certificate in PEM, or else DER. */
static int load_cert(const char *path, X509 **out, struct fg_error *err)
{
	BIO *b;
	char why[256];
	X509 *x;
	int rc;

	*out = NULL;
	rc = open_bio(path, "the certificate", &b, err);
	if (rc != FG_OK)
		return rc;
	x = PEM_read_bio_X509(b, NULL, no_passphrase, NULL);
	if (x == NULL) {
		ERR_clear_error();
		(void)BIO_reset(b);
		x = d2i_X509_bio(b, NULL);
	}
	BIO_free(b);
	if (x == NULL)
		return fg_error_set(err, FG_EINVAL, 0,
				    "%s: not an X.509 certificate (PEM or "
				    "DER): %s",
				    path, rpt_ossl_reason(why, sizeof(why)));
	*out = x;
	return FG_OK;
}

int fg_sign_detached(const void *data, size_t len, const char *key_path,
		     const char *cert_path, unsigned char **sig,
		     size_t *siglen, struct fg_error *err)
{
	return fg_sign_detached_pass(data, len, key_path, cert_path, NULL,
				     NULL, sig, siglen, err);
}

int fg_sign_detached_pass(const void *data, size_t len, const char *key_path,
			  const char *cert_path, fg_sign_pass_fn pass,
			  void *pass_ctx, unsigned char **sig, size_t *siglen,
			  struct fg_error *err)
{
	struct pass_req preq = {pass, pass_ctx, 0, 0};
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	BIO *kb = NULL, *in = NULL;
	CMS_ContentInfo *cms = NULL;
	unsigned char *der = NULL;
	char why[256];
	int n, rc;

	*sig = NULL;
	*siglen = 0;
	rc = load_cert(cert_path, &cert, err);
	if (rc != FG_OK)
		goto out;
	kb = BIO_new_file(key_path, "rb");
	if (kb == NULL) {
		rc = fg_error_set(err, FG_EINVAL, errno,
				  "%s: cannot open the signing key: %s",
				  key_path, strerror(errno));
		goto out;
	}
	key = PEM_read_bio_PrivateKey(kb, NULL, ask_passphrase, &preq);
	if (key == NULL && preq.asked && !preq.given) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: the key is encrypted and no pass "
				  "phrase was given",
				  key_path);
		ERR_clear_error();
		goto out;
	}
	if (key == NULL && preq.given) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: the pass phrase does not decrypt the "
				  "key: %s",
				  key_path, rpt_ossl_reason(why, sizeof(why)));
		goto out;
	}
	if (key == NULL) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s: not a PEM private key: %s", key_path,
				  rpt_ossl_reason(why, sizeof(why)));
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "%s does not belong to the certificate %s",
				  key_path, cert_path);
		ERR_clear_error();
		goto out;
	}
	if (len > (size_t)INT32_MAX) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "report too large to sign (%zu bytes)", len);
		goto out;
	}
	in = BIO_new_mem_buf(data, (int)len);
	if (in == NULL)
		goto nomem;
	cms = CMS_sign(cert, key, NULL, in, CMS_DETACHED | CMS_BINARY);
	if (cms == NULL) {
		rc = fg_error_set(err, FG_EINVAL, 0,
				  "cannot sign with %s: %s", key_path,
				  rpt_ossl_reason(why, sizeof(why)));
		goto out;
	}
	n = i2d_CMS_ContentInfo(cms, &der);
	if (n <= 0)
		goto nomem;
	*sig = malloc((size_t)n);
	if (*sig == NULL)
		goto nomem;
	memcpy(*sig, der, (size_t)n);
	*siglen = (size_t)n;
	rc = FG_OK;
	goto out;
nomem:
	rc = fg_error_set(err, FG_ENOMEM, ENOMEM, "signing: out of memory");
	ERR_clear_error();
out:
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(kb);
	EVP_PKEY_free(key);
	X509_free(cert);
	return rc;
}

/* A signature in DER, or else PEM; NULL when the file is neither. */
int fg_sign_write_file(const char *path, const void *data, size_t len,
		       const char *key_path, const char *cert_path,
		       char **sig_path, int *written, struct fg_error *err)
{
	return fg_sign_write_file_pass(path, data, len, key_path, cert_path,
				       NULL, NULL, sig_path, written, err);
}

int fg_sign_write_file_pass(const char *path, const void *data, size_t len,
			    const char *key_path, const char *cert_path,
			    fg_sign_pass_fn pass, void *pass_ctx,
			    char **sig_path, int *written,
			    struct fg_error *err)
{
	unsigned char *sig = NULL;
	size_t siglen = 0;
	char *sigpath = NULL;
	int rc = FG_OK;

	if (sig_path != NULL)
		*sig_path = NULL;
	if (written != NULL)
		*written = 0;
	if (key_path != NULL) {
		sigpath = fg_strdup_printf("%s.p7s", path);
		if (sigpath == NULL)
			return fg_error_set(err, FG_ENOMEM, 0, "out of memory");
		/* Sign first: a report is not left unsigned by a bad key. */
		rc = fg_sign_detached_pass(data, len, key_path, cert_path,
					   pass, pass_ctx, &sig, &siglen, err);
		if (rc == FG_OK && access(sigpath, F_OK) == 0)
			rc = fg_error_set(err, FG_EEXIST, 0,
					  "%s: exists already; forage never "
					  "overwrites",
					  sigpath);
	}
	if (rc == FG_OK)
		rc = fg_write_file_atomic(path, data, len, 0, err);
	if (rc == FG_OK && written != NULL)
		*written = 1;
	if (rc == FG_OK && sig != NULL)
		rc = fg_write_file_atomic(sigpath, sig, siglen, 0, err);
	free(sig);
	if (rc == FG_OK && sig_path != NULL) {
		*sig_path = sigpath;
		sigpath = NULL;
	}
	free(sigpath);
	return rc;
}

static CMS_ContentInfo *read_cms(BIO *b)
{
	CMS_ContentInfo *cms = d2i_CMS_bio(b, NULL);

	if (cms == NULL) {
		ERR_clear_error();
		(void)BIO_reset(b);
		cms = PEM_read_bio_CMS(b, NULL, no_passphrase, NULL);
	}
	return cms;
}

/* The signing time of the first signer, as ISO 8601 UTC. */
static void signing_time(CMS_ContentInfo *cms, char *buf, size_t len)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	CMS_SignerInfo *si;
	X509_ATTRIBUTE *attr;
	ASN1_TYPE *t;
	struct tm tm;
	int i;

	buf[0] = '\0';
	if (sis == NULL || sk_CMS_SignerInfo_num(sis) < 1)
		return;
	si = sk_CMS_SignerInfo_value(sis, 0);
	i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	if (i < 0)
		return;
	attr = CMS_signed_get_attr(si, i);
	t = attr ? X509_ATTRIBUTE_get0_type(attr, 0) : NULL;
	if (t == NULL ||
	    (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME))
		return;
	memset(&tm, 0, sizeof(tm));
	if (ASN1_TIME_to_tm((const ASN1_TIME *)t->value.asn1_string, &tm) == 1)
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The check of fg_sign_verify on open BIOs (freed here); data_path and
 * sig_path only name them in messages. */
static int verify_bios(BIO *content, BIO *sb, const char *data_path,
		       const char *sig_path, const char *cert_path,
		       struct fg_sign_info *info, struct fg_error *err)
{
	CMS_ContentInfo *cms = NULL;
	X509 *cert = NULL;
	X509_STORE *store = NULL;
	STACK_OF(X509) *certs = NULL, *signers = NULL;
	char why[256];
	int rc = FG_OK;

	if (cert_path != NULL) {
		rc = load_cert(cert_path, &cert, err);
		if (rc != FG_OK)
			goto out;
	}
	cms = read_cms(sb);
	if (cms == NULL) {
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "%s: not a CMS signature (DER or PEM): %s",
				  sig_path, rpt_ossl_reason(why, sizeof(why)));
		goto out;
	}
	store = X509_STORE_new();
	certs = sk_X509_new_null();
	if (store == NULL || certs == NULL ||
	    (cert != NULL && (X509_STORE_add_cert(store, cert) != 1 ||
			      sk_X509_push(certs, cert) <= 0))) {
		rc = fg_error_set(err, FG_ENOMEM, ENOMEM,
				  "verifying: out of memory");
		goto out;
	}
	/* A report is checked long after it was signed. */
	X509_STORE_set_flags(store, X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	/* Without a certificate to trust: the one the signature carries,
	 * which proves the bytes unchanged since signing, not who signed. */
	if (CMS_verify(cms, certs, store, content, NULL,
		       CMS_BINARY |
			       (cert == NULL ? CMS_NO_SIGNER_CERT_VERIFY : 0)) !=
	    1) {
		rc = fg_error_set(err, FG_EMISMATCH, 0,
				  "%s is NOT a valid signature of %s%s%s: "
				  "%s",
				  sig_path, data_path,
				  cert_path != NULL ? " by " : "",
				  cert_path != NULL ? cert_path : "",
				  rpt_ossl_reason(why, sizeof(why)));
		goto out;
	}
	if (info != NULL) {
		signers = CMS_get0_signers(cms);
		if (signers != NULL && sk_X509_num(signers) > 0)
			X509_NAME_oneline(X509_get_subject_name(
						  sk_X509_value(signers, 0)),
					  info->signer, sizeof(info->signer));
		signing_time(cms, info->signing_time,
			     sizeof(info->signing_time));
	}
	rc = FG_OK;
out:
	sk_X509_free(signers);
	sk_X509_free(certs);
	X509_STORE_free(store);
	CMS_ContentInfo_free(cms);
	BIO_free(sb);
	BIO_free(content);
	X509_free(cert);
	ERR_clear_error();
	return rc;
}

int fg_sign_verify(const char *data_path, const char *sig_path,
		   const char *cert_path, struct fg_sign_info *info,
		   struct fg_error *err)
{
	BIO *sb = NULL, *content = NULL;
	int rc;

	if (info != NULL)
		memset(info, 0, sizeof(*info));
	ERR_clear_error();
	rc = open_bio(data_path, "the report", &content, err);
	if (rc == FG_OK)
		rc = open_bio(sig_path, "the signature", &sb, err);
	if (rc != FG_OK) {
		BIO_free(content);
		return rc;
	}
	return verify_bios(content, sb, data_path, sig_path, cert_path, info,
			   err);
}

int fg_sign_verify_mem(const void *data, size_t len, const void *sig,
		       size_t siglen, const char *name, const char *sig_name,
		       const char *cert_path, struct fg_sign_info *info,
		       struct fg_error *err)
{
	BIO *content, *sb;

	if (info != NULL)
		memset(info, 0, sizeof(*info));
	ERR_clear_error();
	content = len <= INT_MAX ? BIO_new_mem_buf(data, (int)len) : NULL;
	sb = siglen <= INT_MAX ? BIO_new_mem_buf(sig, (int)siglen) : NULL;
	if (content == NULL || sb == NULL) {
		BIO_free(content);
		BIO_free(sb);
		return fg_error_set(err, FG_ENOMEM, ENOMEM, "out of memory");
	}
	return verify_bios(content, sb, name, sig_name, cert_path, info, err);
}
