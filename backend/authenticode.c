/*
 * What both builds decide alike, before the platform's check: the file
 * is read, must be a PE program and must carry a certificate table; the
 * signer must then be Microsoft Corporation. Windows' own WinVerifyTrust
 * is not asked whether a file is signed at all: under Wine it has passed
 * a file with no table (a stale last error taken for success), and the
 * answer "unsigned" must not depend on that.
 */
#include "authenticode.h"
#include "pe.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An installer is read whole (the POSIX check hashes it); the connector's
 * is about 100 MB. */
#define INSTALLER_MAX ((size_t)1 << 30)

enum authenticode_result
authenticode_check(const char *path, struct authenticode *ac, char *why,
    size_t len)
{
	unsigned char *d = NULL;
	size_t n;
	struct pe_layout l;
	enum authenticode_result r;

	memset(ac, 0, sizeof *ac);
	if (file_read(path, INSTALLER_MAX, (char **)&d, &n) != 0) {
		snprintf(why, len, "cannot read it: %s", strerror(errno));
		return AC_UNREADABLE;
	}
	if (pe_layout(d, n, &l, why, len) != 0)
		r = AC_NOT_PE;
	else if (l.cert_len == 0) {
		snprintf(why, len, "it carries no Authenticode signature");
		r = AC_UNSIGNED;
	} else
		r = authenticode_verify(path, d, &l, ac, why, len);
	if (r == AC_OK && strcmp(ac->publisher, AUTHENTICODE_PUBLISHER) != 0) {
		snprintf(why, len, "it is signed by '%s' (O=%s), not by "
		    AUTHENTICODE_PUBLISHER, ac->signer, ac->publisher);
		r = AC_NOT_MICROSOFT;
	}
	free(d);
	return r;
}
