/*
 * Authenticode on Windows, for a PE file with a certificate table
 * (authenticode.c): WinVerifyTrust judges the file (signature, image
 * hash, chain to a trusted root, timestamps), then the signer's chain
 * must end at a Microsoft root (CERT_CHAIN_POLICY_MICROSOFT_ROOT); the
 * signer's subject O is compared in authenticode.c. No environment
 * variable is read here: the tests' CA is the POSIX check's only.
 */
#include "authenticode.h"
#include "host/win32-priv.h"

#include <softpub.h>
#include <wintrust.h>

static enum authenticode_result
verdict(LONG st, char *why, size_t len)
{
	switch ((DWORD)st) {
	case TRUST_E_NOSIGNATURE:
	case TRUST_E_SUBJECT_FORM_UNKNOWN:
	case TRUST_E_PROVIDER_UNKNOWN:
		snprintf(why, len, "it carries no Authenticode signature "
		    "(0x%08lx)", (unsigned long)st);
		return AC_UNSIGNED;
	case TRUST_E_BAD_DIGEST:
	case CRYPT_E_BAD_MSG:
		snprintf(why, len, "the file was changed after it was signed "
		    "(0x%08lx)", (unsigned long)st);
		return AC_BAD_SIGNATURE;
	default:
		snprintf(why, len, "Windows does not trust its signature "
		    "(WinVerifyTrust 0x%08lx)", (unsigned long)st);
		return AC_UNTRUSTED;
	}
}

static void
cert_attr(PCCERT_CONTEXT c, const char *oid, char *out, size_t len)
{
	wchar_t w[256];
	char *s;

	out[0] = '\0';
	if (CertGetNameStringW(c, CERT_NAME_ATTR_TYPE, 0, (void *)oid, w,
	    sizeof w / sizeof w[0]) <= 1)
		return;
	s = narrow(w, -1);
	snprintf(out, len, "%s", s);
	free(s);
}

/* The signer of a verified file: its names, and a chain to a Microsoft
 * root. */
static enum authenticode_result
check_signer(HANDLE state, struct authenticode *ac, char *why, size_t len)
{
	CRYPT_PROVIDER_DATA *prov = WTHelperProvDataFromStateData(state);
	CRYPT_PROVIDER_SGNR *sgnr = prov ? WTHelperGetProvSignerFromChain(prov,
	    0, FALSE, 0) : NULL;
	CERT_CHAIN_POLICY_PARA para = { sizeof para, 0, NULL };
	CERT_CHAIN_POLICY_STATUS status = { sizeof status, 0, 0, 0, NULL };

	if (sgnr == NULL || sgnr->csCertChain == 0 ||
	    sgnr->pChainContext == NULL) {
		snprintf(why, len, "its signer cannot be read (WinVerifyTrust "
		    "passed it but named no signer)");
		return AC_BAD_SIGNATURE;
	}
	cert_attr(sgnr->pasCertChain[0].pCert, szOID_ORGANIZATION_NAME,
	    ac->publisher, sizeof ac->publisher);
	cert_attr(sgnr->pasCertChain[0].pCert, szOID_COMMON_NAME, ac->signer,
	    sizeof ac->signer);
	if (!CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_MICROSOFT_ROOT,
	    sgnr->pChainContext, &para, &status) || status.dwError != 0) {
		snprintf(why, len, "the signer '%s' does not chain to a "
		    "Microsoft root (0x%08lx)", ac->signer,
		    (unsigned long)status.dwError);
		return AC_UNTRUSTED;
	}
	return AC_OK;
}

/* d is not read: Windows reads the file again, by its path. */
enum authenticode_result
authenticode_verify(const char *path, const unsigned char *d,
    const struct pe_layout *l, struct authenticode *ac, char *why,
    size_t len)
{
	GUID action = WINTRUST_ACTION_GENERIC_VERIFY_V2;
	WINTRUST_FILE_INFO fi;
	WINTRUST_DATA wd;
	wchar_t *wpath = wide(path);
	enum authenticode_result r;
	LONG st;

	(void)d;
	(void)l;
	memset(&fi, 0, sizeof fi);
	fi.cbStruct = sizeof fi;
	fi.pcwszFilePath = wpath;
	memset(&wd, 0, sizeof wd);
	wd.cbStruct = sizeof wd;
	wd.dwUIChoice = WTD_UI_NONE;
	wd.fdwRevocationChecks = WTD_REVOKE_NONE;
	wd.dwUnionChoice = WTD_CHOICE_FILE;
	wd.pFile = &fi;
	wd.dwStateAction = WTD_STATEACTION_VERIFY;
	st = WinVerifyTrust(NULL, &action, &wd);
	r = st == ERROR_SUCCESS ? check_signer(wd.hWVTStateData, ac, why,
	    len) : verdict(st, why, len);
	wd.dwStateAction = WTD_STATEACTION_CLOSE;
	WinVerifyTrust(NULL, &action, &wd);
	free(wpath);
	return r;
}
