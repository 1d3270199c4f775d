/*
 * RES_KEYACL on the server: may an account read a certificate's private
 * key? The key's own security descriptor says: for a CNG key its
 * NCRYPT_SECURITY_DESCR_PROPERTY, for a CryptoAPI key (NDES's RA keys,
 * made with CryptoAPI CSPs) PP_KEYSET_SEC_DESCR, which is the ACL of the
 * key container's file under %ProgramData%\Microsoft\Crypto\RSA
 * \MachineKeys, read and written by the CSP itself (no path guessing).
 * "read" is an allow ACE for the account's SID with read access; a grant
 * adds GENERIC_READ, a revoke removes the account's ACEs (the ones the
 * grant added: the plan only grants where the account had none).
 */
#include "win32-priv.h"
#include "keyacl.h"

#include <ncrypt.h>

struct winkey {
	HCERTSTORE store;
	PCCERT_CONTEXT cert;
	HCRYPTPROV_OR_NCRYPT_KEY_HANDLE h;
	DWORD spec;
	BOOL free_h;
};

static void
key_close(struct winkey *k)
{
	if (k->h != 0 && k->free_h) {
		if (k->spec == CERT_NCRYPT_KEY_SPEC)
			NCryptFreeObject(k->h);
		else
			CryptReleaseContext(k->h, 0);
	}
	if (k->cert != NULL)
		CertFreeCertificateContext(k->cert);
	if (k->store != NULL)
		CertCloseStore(k->store, 0);
}

/* Open the key of certificate STORE\THUMB in LocalMachine. */
static int
key_open(const char *path, struct winkey *k, char *err, size_t len)
{
	char *store = NULL, *thumb = NULL;
	unsigned char hash[20];
	CRYPT_HASH_BLOB blob = { sizeof hash, hash };
	wchar_t *ws;
	int rc = -1;

	memset(k, 0, sizeof *k);
	if (keyacl_split(path, &store, &thumb) != 0 ||
	    thumb_bytes(thumb, hash) != 0) {
		snprintf(err, len, "'%s' is not STORE\\THUMBPRINT", path);
		goto out;
	}
	ws = wide(store);
	k->store = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
	    CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_STORE_OPEN_EXISTING_FLAG,
	    ws);
	free(ws);
	if (k->store == NULL) {
		win_err(err, len, GetLastError(), "cannot open store", store);
		goto out;
	}
	k->cert = CertFindCertificateInStore(k->store, X509_ASN_ENCODING |
	    PKCS_7_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, &blob, NULL);
	if (k->cert == NULL) {
		snprintf(err, len, "no certificate %s in LocalMachine\\%s",
		    thumb, store);
		goto out;
	}
	if (!CryptAcquireCertificatePrivateKey(k->cert,
	    CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG | CRYPT_ACQUIRE_SILENT_FLAG,
	    NULL, &k->h, &k->spec, &k->free_h)) {
		win_err(err, len, GetLastError(), "cannot open the private key "
		    "of", path);
		goto out;
	}
	rc = 0;
out:
	free(store);
	free(thumb);
	return rc;
}

/* The key's security descriptor (DACL), self-relative; caller frees. */
static PSECURITY_DESCRIPTOR
key_sd_get(struct winkey *k, const char *path, char *err, size_t len)
{
	DWORD n = 0;
	BYTE *sd;

	if (k->spec == CERT_NCRYPT_KEY_SPEC) {
		SECURITY_STATUS st = NCryptGetProperty(k->h,
		    NCRYPT_SECURITY_DESCR_PROPERTY, NULL, 0, &n,
		    DACL_SECURITY_INFORMATION);

		sd = st == ERROR_SUCCESS ? xmalloc(n) : NULL;
		if (sd != NULL && (st = NCryptGetProperty(k->h,
		    NCRYPT_SECURITY_DESCR_PROPERTY, sd, n, &n,
		    DACL_SECURITY_INFORMATION)) == ERROR_SUCCESS)
			return sd;
		free(sd);
		win_err(err, len, (DWORD)st, "cannot read the key ACL of",
		    path);
		return NULL;
	}
	if (CryptGetProvParam(k->h, PP_KEYSET_SEC_DESCR, NULL, &n,
	    DACL_SECURITY_INFORMATION)) {
		sd = xmalloc(n);
		if (CryptGetProvParam(k->h, PP_KEYSET_SEC_DESCR, sd, &n,
		    DACL_SECURITY_INFORMATION))
			return sd;
		free(sd);
	}
	win_err(err, len, GetLastError(), "cannot read the key ACL of", path);
	return NULL;
}

static int
key_sd_set(struct winkey *k, PSECURITY_DESCRIPTOR sd, DWORD n,
    const char *path, char *err, size_t len)
{
	if (k->spec == CERT_NCRYPT_KEY_SPEC) {
		SECURITY_STATUS st = NCryptSetProperty(k->h,
		    NCRYPT_SECURITY_DESCR_PROPERTY, sd, n,
		    DACL_SECURITY_INFORMATION);

		return st == ERROR_SUCCESS ? 0 : win_err(err, len, (DWORD)st,
		    "cannot write the key ACL of", path);
	}
	if (!CryptSetProvParam(k->h, PP_KEYSET_SEC_DESCR, sd,
	    DACL_SECURITY_INFORMATION))
		return win_err(err, len, GetLastError(),
		    "cannot write the key ACL of", path);
	return 0;
}

/* The account's SID; caller frees. */
static PSID
account_sid(const char *account, char *err, size_t len)
{
	wchar_t *wa = wide(account), dom[256];
	DWORD n = 0, dn = sizeof dom / sizeof dom[0];
	SID_NAME_USE use;
	PSID sid = NULL;

	LookupAccountNameW(NULL, wa, NULL, &n, dom, &dn, &use);
	if (n > 0) {
		sid = xmalloc(n);
		dn = sizeof dom / sizeof dom[0];
		if (!LookupAccountNameW(NULL, wa, sid, &n, dom, &dn, &use)) {
			free(sid);
			sid = NULL;
		}
	}
	if (sid == NULL)
		win_err(err, len, GetLastError(), "cannot find the account",
		    account);
	free(wa);
	return sid;
}

static int
dacl_of(PSECURITY_DESCRIPTOR sd, PACL *dacl)
{
	BOOL present = FALSE, defaulted = FALSE;

	*dacl = NULL;
	return GetSecurityDescriptorDacl(sd, &present, dacl, &defaulted) ?
	    0 : -1;
}

/* Does an allow ACE give sid read access? */
static int
sid_may_read(PACL dacl, PSID sid)
{
	const ACCESS_MASK read = GENERIC_READ | GENERIC_ALL | FILE_READ_DATA;

	for (DWORD i = 0; dacl != NULL && i < dacl->AceCount; i++) {
		ACCESS_ALLOWED_ACE *ace;

		if (!GetAce(dacl, i, (void **)&ace) ||
		    ace->Header.AceType != ACCESS_ALLOWED_ACE_TYPE)
			continue;
		if (EqualSid((PSID)&ace->SidStart, sid) &&
		    (ace->Mask & read) != 0)
			return 1;
	}
	return 0;
}

/* What both get and set need: the key, its descriptor and DACL, and the
 * account's SID. 0, or -1 + err (with what was opened closed). */
struct keyview {
	struct winkey k;
	PSECURITY_DESCRIPTOR sd;
	PSID sid;
	PACL dacl;
};

static void
view_close(struct keyview *kv)
{
	free(kv->sid);
	free(kv->sd);
	key_close(&kv->k);
}

static int
view_open(const char *path, const char *account, struct keyview *kv,
    char *err, size_t len)
{
	memset(kv, 0, sizeof *kv);
	if (key_open(path, &kv->k, err, len) != 0 ||
	    (kv->sd = key_sd_get(&kv->k, path, err, len)) == NULL ||
	    (kv->sid = account_sid(account, err, len)) == NULL)
		goto fail;
	if (dacl_of(kv->sd, &kv->dacl) == 0)
		return 0;
	win_err(err, len, GetLastError(), "cannot read the DACL of", path);
fail:
	view_close(kv);
	return -1;
}

int
keyacl_get(struct winhost *w, const char *path, const char *account,
    char **v, char *err, size_t len)
{
	struct keyview kv;

	(void)w;
	*v = NULL;
	if (view_open(path, account, &kv, err, len) != 0)
		return -1;
	if (sid_may_read(kv.dacl, kv.sid))
		*v = xstrdup(KEYACL_READ);
	view_close(&kv);
	return 0;
}

/* The key's DACL with the account's read granted or its ACEs revoked,
 * as a self-relative descriptor (caller frees). */
static PSECURITY_DESCRIPTOR
new_sd(PACL old, PSID sid, int grant, DWORD *n, char *err, size_t len)
{
	EXPLICIT_ACCESS_W ea;
	SECURITY_DESCRIPTOR abs;
	PSECURITY_DESCRIPTOR rel = NULL;
	PACL acl = NULL;
	DWORD rc;

	memset(&ea, 0, sizeof ea);
	ea.grfAccessPermissions = GENERIC_READ;
	ea.grfAccessMode = grant ? GRANT_ACCESS : REVOKE_ACCESS;
	ea.grfInheritance = NO_INHERITANCE;
	ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
	ea.Trustee.TrusteeType = TRUSTEE_IS_UNKNOWN;
	ea.Trustee.ptstrName = (LPWSTR)sid;
	if ((rc = SetEntriesInAclW(1, &ea, old, &acl)) != ERROR_SUCCESS) {
		win_err(err, len, rc, "cannot build the key ACL", "");
		return NULL;
	}
	*n = 0;
	if (InitializeSecurityDescriptor(&abs, SECURITY_DESCRIPTOR_REVISION) &&
	    SetSecurityDescriptorDacl(&abs, TRUE, acl, FALSE)) {
		MakeSelfRelativeSD(&abs, NULL, n);
		rel = *n > 0 ? xmalloc(*n) : NULL;
		if (rel != NULL && !MakeSelfRelativeSD(&abs, rel, n)) {
			free(rel);
			rel = NULL;
		}
	}
	if (rel == NULL)
		win_err(err, len, GetLastError(), "cannot build the key ACL",
		    "");
	LocalFree(acl);
	return rel;
}

int
keyacl_set(struct winhost *w, const char *path, const char *account,
    const char *v, char *err, size_t len)
{
	struct keyview kv;
	PSECURITY_DESCRIPTOR next;
	DWORD n;
	int rc = -1;

	(void)w;
	if (keyacl_value_check(v, err, len) != 0)
		return -1;
	if (view_open(path, account, &kv, err, len) != 0)
		return -1;
	if ((next = new_sd(kv.dacl, kv.sid, v != NULL, &n, err, len)) != NULL)
		rc = key_sd_set(&kv.k, next, n, path, err, len);
	free(next);
	view_close(&kv);
	return rc;
}
