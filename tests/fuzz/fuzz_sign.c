/*
 * fuzz_sign.c - the report signature checker (fg_sign_verify,
 * report/sign.c), as `forage report verify-signature` runs it on a report,
 * its signature and a certificate, all three from the input (cut by
 * fz_split: the report, the certificate, then the rest is the signature).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <forage/sign.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *part[3];
	size_t plen[3];
	char report[1024], cert[1024], sig[1024];
	struct fg_sign_info info;
	struct fg_error err;
	int rc;

	if (fz_split(data, size, part, plen, 3) != 3)
		return 0;
	fz_write("report.html", part[0], plen[0], report, sizeof(report));
	fz_write("cert.pem", part[1], plen[1], cert, sizeof(cert));
	fz_write("report.html.p7s", part[2], plen[2], sig, sizeof(sig));
	memset(&info, 0, sizeof(info));
	fg_error_clear(&err);
	rc = fg_sign_verify(report, sig, cert, &info, &err);
	if (getenv("FZ_VERBOSE") != NULL)
		fprintf(stderr, "fuzz_sign: %d %s %s\n", rc,
			rc == FG_OK ? info.signer : err.msg,
			rc == FG_OK ? info.signing_time : "");
	fz_clean();
	return 0;
}
