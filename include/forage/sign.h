/*
 * sign.h - detached signatures of reports (OpenSSL CMS behind one wrapper:
 * only src/lib/report/sign.c includes the CMS headers).
 *
 * A signature is a CMS (PKCS #7) SignedData in DER, detached (it does not
 * hold the report), over the report's exact bytes (binary: no line-ending
 * conversion), with SHA-256, the signer's certificate and the signing time.
 * A third party checks it with
 *     openssl cms -verify -binary -inform DER -in REPORT.p7s \
 *         -content REPORT -CAfile CERT -purpose any -out /dev/null
 *
 * Promise: verification answers one of three ways, never "good" by default:
 * good (FG_OK), bad (FG_EMISMATCH: the report or the signature was changed,
 * the signature is not a CMS signature, or it was not made with CERT or a
 * certificate CERT issued), or cannot check (files missing or unreadable,
 * CERT not a certificate).  The validity dates of the certificates are not
 * checked: a report is checked years after it was signed; the signing time
 * is reported instead.
 */
#ifndef FORAGE_SIGN_H
#define FORAGE_SIGN_H

#include <forage/forage.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Signing ------------------------------------------------------------ */

/* Sign len bytes of data with the private key at key_path (PEM, not
 * encrypted) and the certificate at cert_path (PEM) that belongs to it.
 * *sig receives the DER signature (malloc'd), *siglen its length.
 * Returns FG_OK; FG_EINVAL naming the file when the key or the certificate
 * cannot be read, is encrypted, or they do not belong together; FG_ENOMEM. */
int fg_sign_detached(const void *data, size_t len, const char *key_path,
		     const char *cert_path, unsigned char **sig,
		     size_t *siglen, struct fg_error *err);

/* Asked for the pass phrase of an encrypted key, only when the key is
 * encrypted: write it (without a line feed) into buf, at most size bytes,
 * and return its length, or -1 when there is none. */
typedef int (*fg_sign_pass_fn)(char *buf, int size, void *ctx);

/* fg_sign_detached for a key that may be encrypted: pass (may be NULL:
 * an encrypted key is refused) gives its pass phrase.  FG_EINVAL says
 * whether no pass phrase was given or it did not decrypt the key. */
int fg_sign_detached_pass(const void *data, size_t len, const char *key_path,
			  const char *cert_path, fg_sign_pass_fn pass,
			  void *pass_ctx, unsigned char **sig, size_t *siglen,
			  struct fg_error *err);

/* Write data (len bytes) to path, a new file (fg_write_file_atomic), and,
 * when key_path is given, its signature (fg_sign_detached with key_path
 * and cert_path) to path.p7s, a new file too.  The signature is made
 * first, and a path.p7s already there is refused, before anything is
 * written: a bad key leaves no unsigned report behind.  *sig_path (may be
 * NULL) receives the malloc'd name of the signature on success (NULL when
 * unsigned).  *written (may be NULL) is set to 1 once path is written, so
 * that a failure with *written set means the report is there but not its
 * signature.  Returns FG_OK; FG_EEXIST naming the file already there; the
 * errors of fg_sign_detached and fg_write_file_atomic; FG_ENOMEM. */
int fg_sign_write_file(const char *path, const void *data, size_t len,
		       const char *key_path, const char *cert_path,
		       char **sig_path, int *written, struct fg_error *err);
/* The same with a key that may be encrypted (fg_sign_detached_pass). */
int fg_sign_write_file_pass(const char *path, const void *data, size_t len,
			    const char *key_path, const char *cert_path,
			    fg_sign_pass_fn pass, void *pass_ctx,
			    char **sig_path, int *written,
			    struct fg_error *err);

/* ---- Verifying ------------------------------------------------------------ */

struct fg_sign_info {
	char signer[512];      /* subject of the signer's certificate */
	char signing_time[32]; /* "2026-11-27T10:00:00Z", "" if none */
};

/* Check that sig_path (DER or PEM) is a signature of the file data_path
 * made with the certificate at cert_path (PEM or DER) or one it issued.
 * cert_path NULL: with the certificate the signature carries, which shows
 * the file unchanged since it was signed, not who signed it.
 * info (may be NULL) is filled in when the answer is good.
 * Returns FG_OK (good), FG_EMISMATCH (bad: err says why), or FG_EIO /
 * FG_EINVAL (cannot check: err names the file and the cause). */
int fg_sign_verify(const char *data_path, const char *sig_path,
		   const char *cert_path, struct fg_sign_info *info,
		   struct fg_error *err);
/* The same for data and a signature in memory; name and sig_name name
 * them in messages (a seal stored in the case database). */
int fg_sign_verify_mem(const void *data, size_t len, const void *sig,
		       size_t siglen, const char *name, const char *sig_name,
		       const char *cert_path,
		       struct fg_sign_info *info, struct fg_error *err);

/* ---- Time-stamps (RFC 3161) ----------------------------------------------- */

/* Ask the time-stamp authority at url (http://HOST[:PORT]/PATH) for a
 * time-stamp of the SHA-256 of data (len bytes), with a nonce and its
 * certificate; the answer must grant it, for these bytes and this nonce.
 * *tsr receives the DER TimeStampResp (malloc'd; what `openssl ts -reply`
 * writes), *tsrlen its length.  Returns FG_OK; FG_EINVAL (not an http
 * address); FG_EIO naming the authority and what went wrong (no answer
 * within 30 s, not a response, refused, a token for other bytes);
 * FG_ENOMEM. */
int fg_tsa_stamp(const void *data, size_t len, const char *url,
		 unsigned char **tsr, size_t *tsrlen, struct fg_error *err);

struct fg_tsa_info {
	char tsa[512];         /* subject of the certificate that signed it */
	char time[32];         /* "2026-12-07T15:00:00Z" */
	int trusted;           /* its signature checked against ca_path */
};

/* Check that the response at tsr_path is a granted time-stamp of the file
 * data_path; with ca_path (PEM), also that an authority certified by it
 * signed it (its certificate for time-stamping).  Without ca_path the
 * signature is not checked: info->trusted is 0.  info is filled in as far
 * as the token says (also when it does not match).  Returns FG_OK,
 * FG_EMISMATCH (err says why), FG_EINVAL/FG_EIO (cannot be read), FG_ENOMEM. */
int fg_tsa_check(const char *data_path, const char *tsr_path,
		 const char *ca_path, struct fg_tsa_info *info,
		 struct fg_error *err);
/* The same for data and a response in memory; name and tsr_name name
 * them in messages (a seal stored in the case database). */
int fg_tsa_check_mem(const void *data, size_t len, const void *tsr,
		     size_t tsrlen, const char *name, const char *tsr_name,
		     const char *ca_path,
		     struct fg_tsa_info *info, struct fg_error *err);

#ifdef __cplusplus
}
#endif
#endif
