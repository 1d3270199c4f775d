/*
 * curl built on Schannel (the Windows build) reports no X.509 verify
 * result: CURLINFO_SSL_VERIFYRESULT stays 0, which the transport table
 * would read as "the certificate does not name this host" for every
 * failed check. Its message names what failed, in Windows' own words
 * (a SEC_E_ / CERT_E_ code or a CERT_TRUST_ flag, or curl's own name
 * check); this table turns those into the X.509 code the table knows.
 */
#include "probe.h"

#include <openssl/x509_vfy.h>
#include <string.h>

static const struct {
	const char *words;
	long verify;
} schannel_words[] = {
	{ "failed to match connection hostname", X509_V_ERR_HOSTNAME_MISMATCH },
	{ "CERT_E_CN_NO_MATCH", X509_V_ERR_HOSTNAME_MISMATCH },
	{ "SEC_E_WRONG_PRINCIPAL", X509_V_ERR_HOSTNAME_MISMATCH },
	{ "CERT_TRUST_IS_NOT_TIME_VALID", X509_V_ERR_CERT_HAS_EXPIRED },
	{ "CERT_E_EXPIRED", X509_V_ERR_CERT_HAS_EXPIRED },
	{ "SEC_E_CERT_EXPIRED", X509_V_ERR_CERT_HAS_EXPIRED },
	{ "CERT_TRUST_IS_REVOKED", X509_V_ERR_CERT_REVOKED },
	{ "CRYPT_E_REVOKED", X509_V_ERR_CERT_REVOKED },
};

long
schannel_verify_result(const char *msg)
{
	for (size_t i = 0; msg != NULL && i < nitems(schannel_words); i++)
		if (strstr(msg, schannel_words[i].words) != NULL)
			return schannel_words[i].verify;
	/* An untrusted root, a partial chain, a bad signature, or words
	 * we do not know: the chain is what failed. */
	return X509_V_ERR_CERT_UNTRUSTED;
}
