/*
 * Certificate stores (crypt32): PEM in, PEM out, keys through PFX.
 */
#include "win32-priv.h"

/* ---- certificate stores ------------------------------------------------ */

/*
 * A LocalMachine store. Reading a store that does not exist yet gives
 * *s NULL and 0 (it holds nothing); writing makes it.
 */
static int
store_open(const char *name, int write, HCERTSTORE *s, char *err,
    size_t len)
{
	wchar_t *w = wide(name);
	DWORD e;

	*s = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
	    CERT_SYSTEM_STORE_LOCAL_MACHINE | (write ? 0 :
	    CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG), w);
	e = GetLastError();
	free(w);
	if (*s != NULL || (!write && (e == ERROR_FILE_NOT_FOUND ||
	    e == ERROR_PATH_NOT_FOUND)))
		return 0;
	return win_err(err, len, e, "cannot open certificate store "
	    "LocalMachine\\", name);
}

int
thumb_bytes(const char *thumb, unsigned char out[20])
{
	if (strlen(thumb) != 40)
		return -1;
	for (int i = 0; i < 20; i++) {
		unsigned x;

		if (!isxdigit((unsigned char)thumb[2 * i]) ||
		    !isxdigit((unsigned char)thumb[2 * i + 1]) ||
		    sscanf(thumb + 2 * i, "%2x", &x) != 1)
			return -1;
		out[i] = (unsigned char)x;
	}
	return 0;
}

static PCCERT_CONTEXT
cert_find(HCERTSTORE s, const char *thumb)
{
	unsigned char hash[20];
	CRYPT_HASH_BLOB blob = { sizeof hash, hash };

	if (thumb_bytes(thumb, hash) != 0)
		return NULL;
	return CertFindCertificateInStore(s, X509_ASN_ENCODING |
	    PKCS_7_ASN_ENCODING, 0, CERT_FIND_SHA1_HASH, &blob, NULL);
}

/* The private key of a PKCS#12, from its shrouded key bag only: Windows
 * encrypts the certificate bag with RC2, which OpenSSL keeps in its
 * legacy provider, and we have the certificate already. */
static EVP_PKEY *
pfx_key(const unsigned char *der, long n)
{
	const unsigned char *p = der;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, n);
	STACK_OF(PKCS7) *safes = p12 ? PKCS12_unpack_authsafes(p12) : NULL;
	EVP_PKEY *key = NULL;

	for (int i = 0; key == NULL && i < sk_PKCS7_num(safes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags;

		if (OBJ_obj2nid(p7->type) != NID_pkcs7_data)
			continue; /* the encrypted one holds certificates */
		bags = PKCS12_unpack_p7data(p7);
		for (int j = 0; key == NULL && j < sk_PKCS12_SAFEBAG_num(bags);
		    j++) {
			PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, j);
			PKCS8_PRIV_KEY_INFO *p8;

			if (PKCS12_SAFEBAG_get_nid(bag) !=
			    NID_pkcs8ShroudedKeyBag)
				continue;
			p8 = PKCS12_decrypt_skey(bag, "", 0);
			if (p8 != NULL)
				key = EVP_PKCS82PKEY(p8);
			PKCS8_PRIV_KEY_INFO_free(p8);
		}
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	PKCS12_free(p12);
	return key;
}

/* The key, when Windows lets it go (we import keys exportable). */
static EVP_PKEY *
cert_key(PCCERT_CONTEXT c)
{
	HCERTSTORE mem = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
	CRYPT_DATA_BLOB pfx = { 0, NULL };
	EVP_PKEY *key = NULL;
	DWORD size = 0;

	if (mem == NULL)
		return NULL;
	if (CertGetCertificateContextProperty(c, CERT_KEY_PROV_INFO_PROP_ID,
	    NULL, &size) && CertAddCertificateContextToStore(mem, c,
	    CERT_STORE_ADD_ALWAYS, NULL) &&
	    PFXExportCertStoreEx(mem, &pfx, L"", NULL, EXPORT_PRIVATE_KEYS)) {
		pfx.pbData = xmalloc(pfx.cbData);
		if (PFXExportCertStoreEx(mem, &pfx, L"", NULL,
		    EXPORT_PRIVATE_KEYS))
			key = pfx_key(pfx.pbData, (long)pfx.cbData);
		OPENSSL_cleanse(pfx.pbData, pfx.cbData);
	}
	free(pfx.pbData);
	CertCloseStore(mem, 0);
	return key;
}

/* Is there a private key Windows will not export (the RA keys)? Asked
 * silently, without export; the cached handle goes with the context. */
static int
key_held(PCCERT_CONTEXT c)
{
	HCRYPTPROV_OR_NCRYPT_KEY_HANDLE k = 0;
	DWORD spec = 0;
	BOOL free_it = FALSE;

	return CryptAcquireCertificatePrivateKey(c, CRYPT_ACQUIRE_CACHE_FLAG |
	    CRYPT_ACQUIRE_SILENT_FLAG | CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG,
	    NULL, &k, &spec, &free_it) != 0;
}

static char *
cert_pem(PCCERT_CONTEXT c)
{
	const unsigned char *p = c->pbCertEncoded;
	X509 *x = d2i_X509(NULL, &p, (long)c->cbCertEncoded);
	EVP_PKEY *key;
	char *pem;

	if (x == NULL)
		return NULL;
	key = cert_key(c);
	pem = certio_to_pem(x, key);
	if (key == NULL && key_held(c)) {
		char *marked = xasprintf("%s%s\n", pem, CERTIO_KEY_HELD);

		certio_free_secret(pem);
		pem = marked;
	}
	EVP_PKEY_free(key);
	X509_free(x);
	return pem;
}

int
cert_get(struct winhost *w, const char *store, const char *thumb,
    char **v, char *err, size_t len)
{
	HCERTSTORE s;
	PCCERT_CONTEXT c;

	(void)w;
	if (store_open(store, 0, &s, err, len) != 0)
		return -1;
	if (s == NULL)
		return 0;
	if ((c = cert_find(s, thumb)) != NULL) {
		*v = cert_pem(c);
		CertFreeCertificateContext(c);
	}
	CertCloseStore(s, 0);
	return 0;
}

/* A certificate with its key: through PKCS#12, the one way in. */
static PCCERT_CONTEXT
import_with_key(const struct certbundle *cb, char *err, size_t len)
{
	/* 3DES, which every Windows (and Wine) imports; OpenSSL 3's
	 * default AES is known from Windows Server 2019 on only. */
	PKCS12 *p12 = PKCS12_create("", NULL, cb->key, cb->cert, NULL,
	    NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
	    NID_pbe_WithSHA1And3_Key_TripleDES_CBC, 0, 0, 0);
	unsigned char *der = NULL;
	int n = p12 ? i2d_PKCS12(p12, &der) : -1;
	CRYPT_DATA_BLOB blob;
	HCERTSTORE tmp;
	PCCERT_CONTEXT c = NULL;

	PKCS12_free(p12);
	if (n <= 0) {
		snprintf(err, len, "cannot make a PKCS#12 of the certificate");
		return NULL;
	}
	blob.cbData = (DWORD)n;
	blob.pbData = der;
	tmp = PFXImportCertStore(&blob, L"", CRYPT_MACHINE_KEYSET |
	    CRYPT_EXPORTABLE);
	OPENSSL_clear_free(der, (size_t)n);
	if (tmp == NULL) {
		win_err(err, len, GetLastError(), "cannot import", "the key");
		return NULL;
	}
	c = CertEnumCertificatesInStore(tmp, NULL);
	if (c != NULL)
		c = CertDuplicateCertificateContext(c);
	CertCloseStore(tmp, 0);
	return c;
}

static int
cert_put(HCERTSTORE s, const char *thumb, const char *pem, char *err,
    size_t len)
{
	struct certbundle cb = {0};
	unsigned char *der = NULL, md[20], want[20];
	unsigned int mdlen = 0;
	PCCERT_CONTEXT c = NULL;
	int n, ok = 0;

	if (certio_parse_pem(pem, strlen(pem), &cb, err, len) != CERTIO_OK)
		return -1;
	n = i2d_X509(cb.cert, &der);
	X509_digest(cb.cert, EVP_sha1(), md, &mdlen);
	if (n <= 0 || thumb_bytes(thumb, want) != 0 ||
	    memcmp(md, want, sizeof md) != 0) {
		snprintf(err, len, "the certificate's thumbprint is not %s",
		    thumb);
		goto out;
	}
	if (cb.key != NULL) {
		if ((c = import_with_key(&cb, err, len)) == NULL)
			goto out;
		ok = CertAddCertificateContextToStore(s, c,
		    CERT_STORE_ADD_REPLACE_EXISTING, NULL);
		CertFreeCertificateContext(c);
	} else
		ok = CertAddEncodedCertificateToStore(s, X509_ASN_ENCODING, der,
		    (DWORD)n, CERT_STORE_ADD_REPLACE_EXISTING, NULL);
	if (!ok)
		win_err(err, len, GetLastError(), "cannot add certificate",
		    thumb);
out:
	OPENSSL_free(der);
	certbundle_free(&cb);
	return ok ? 0 : -1;
}

int
cert_set(struct winhost *w, const char *store, const char *thumb,
    const char *v, char *err, size_t len)
{
	HCERTSTORE s;
	PCCERT_CONTEXT c;
	int rc = 0;

	(void)w;
	if (store_open(store, 1, &s, err, len) != 0)
		return -1;
	if (v != NULL)
		rc = cert_put(s, thumb, v, err, len);
	else if ((c = cert_find(s, thumb)) != NULL &&
	    !CertDeleteCertificateFromStore(c))
		rc = win_err(err, len, GetLastError(), "cannot remove "
		    "certificate", thumb);
	/* Persist now: the journal's next record assumes it. */
	if (rc == 0)
		CertControlStore(s, 0, CERT_STORE_CTRL_COMMIT, NULL);
	CertCloseStore(s, 0);
	return rc;
}

int
cert_list(const char *store, char ***names, size_t *n, char *err, size_t len)
{
	HCERTSTORE s;
	PCCERT_CONTEXT c = NULL;
	unsigned char hash[20];
	DWORD hl;

	if (store_open(store, 0, &s, err, len) != 0)
		return -1;
	if (s == NULL)
		return 0;
	while ((c = CertEnumCertificatesInStore(s, c)) != NULL) {
		struct buf b = {0};

		hl = sizeof hash;
		if (!CertGetCertificateContextProperty(c, CERT_HASH_PROP_ID,
		    hash, &hl) || hl != sizeof hash)
			continue;
		for (DWORD i = 0; i < hl; i++)
			buf_addf(&b, "%02X", hash[i]);
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = buf_steal(&b);
	}
	CertCloseStore(s, 0);
	return 0;
}
