/*
 * Certificates and keys in and out of their file formats. See certio.h.
 */
#include "certio.h"
#include "rsakey.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509v3.h>

#define CERT_FILE_MAX (1024 * 1024)

void
certbundle_free(struct certbundle *b)
{
	X509_free(b->cert);
	EVP_PKEY_free(b->key);
	sk_X509_pop_free(b->chain, X509_free);
	memset(b, 0, sizeof *b);
}

void
certio_free_secret(char *s)
{
	if (s != NULL) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

/* OpenSSL's last reason, for messages; clears its error queue. */
static const char *
ossl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return r ? r : "not in a known format";
}

/* Never let OpenSSL prompt for a pass phrase: note that one was wanted. */
static int
no_prompt(char *buf, int size, int rwflag, void *locked)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	if (locked != NULL)
		*(int *)locked = 1;
	return -1;
}

static void
read_certs(const char *data, size_t n, struct certbundle *b)
{
	BIO *bio = BIO_new_mem_buf(data, (int)n);
	X509 *x;

	/* PEM_read_bio_X509 skips blocks of other kinds (keys). */
	while ((x = PEM_read_bio_X509(bio, NULL, no_prompt, NULL)) != NULL) {
		if (b->cert == NULL)
			b->cert = x;
		else {
			if (b->chain == NULL)
				b->chain = sk_X509_new_null();
			sk_X509_push(b->chain, x);
		}
	}
	ERR_clear_error();
	BIO_free(bio);
}

/* Does tag occur in data? (The data need not end in a NUL.) */
static int
has_tag(const char *data, size_t n, const char *tag)
{
	size_t t = strlen(tag);

	for (size_t i = 0; i + t <= n; i++)
		if (data[i] == tag[0] && memcmp(data + i, tag, t) == 0)
			return 1;
	return 0;
}

/* Is there a key block at all? */
static int
has_key_block(const char *data, size_t n)
{
	return has_tag(data, n, "PRIVATE KEY-----");
}

int
certio_key_held(const char *pem, size_t n)
{
	return has_tag(pem, n, CERTIO_KEY_HELD);
}

static enum certio_status
read_key(const char *data, size_t n, EVP_PKEY **key, char *err, size_t len)
{
	BIO *bio;
	int locked = 0;

	if ((*key = rsakey_from_pem(data, n)) != NULL)
		return CERTIO_OK;
	bio = BIO_new_mem_buf(data, (int)n);
	*key = PEM_read_bio_PrivateKey(bio, NULL, no_prompt, &locked);
	BIO_free(bio);
	if (*key != NULL)
		return CERTIO_OK;
	if (locked) {
		ERR_clear_error();
		snprintf(err, len, "the private key is encrypted");
		return CERTIO_KEY_LOCKED;
	}
	snprintf(err, len, "no usable private key (%s)", ossl_reason());
	return CERTIO_BAD_KEY;
}

enum certio_status
certio_parse_pem(const char *data, size_t n, struct certbundle *b, char *err,
    size_t len)
{
	enum certio_status st = CERTIO_OK;

	memset(b, 0, sizeof *b);
	read_certs(data, n, b);
	if (b->cert == NULL) {
		snprintf(err, len, "no PEM certificate in it");
		return CERTIO_NO_CERT;
	}
	if (has_key_block(data, n))
		st = read_key(data, n, &b->key, err, len);
	else
		b->key_held = certio_key_held(data, n);
	if (st != CERTIO_OK)
		certbundle_free(b);
	return st;
}

static enum certio_status
read_file(const char *path, char **data, size_t *n, char *err, size_t len)
{
	if (file_read(path, CERT_FILE_MAX, data, n) == 0)
		return CERTIO_OK;
	snprintf(err, len, "cannot read %s: %s", path, strerror(errno));
	return CERTIO_NO_FILE;
}

/* A CA hands out .cer files in DER as often as in PEM. */
static X509 *
read_der(const char *data, size_t n)
{
	const unsigned char *p = (const unsigned char *)data;
	X509 *x = d2i_X509(NULL, &p, (long)n);

	ERR_clear_error();
	return x;
}

enum certio_status
certio_load_pem(const char *certfile, const char *keyfile,
    struct certbundle *b, char *err, size_t len)
{
	enum certio_status st;
	char *data;
	size_t n;

	memset(b, 0, sizeof *b);
	if ((st = read_file(certfile, &data, &n, err, len)) != CERTIO_OK)
		return st;
	read_certs(data, n, b);
	if (b->cert == NULL)
		b->cert = read_der(data, n);
	free(data);
	if (b->cert == NULL) {
		snprintf(err, len, "%s holds no certificate (PEM or DER)",
		    certfile);
		return CERTIO_NO_CERT;
	}
	if ((st = read_file(keyfile, &data, &n, err, len)) != CERTIO_OK) {
		certbundle_free(b);
		return st;
	}
	if (!has_key_block(data, n)) {
		snprintf(err, len, "%s holds no PEM private key", keyfile);
		st = CERTIO_BAD_KEY;
	} else
		st = read_key(data, n, &b->key, err, len);
	OPENSSL_cleanse(data, n);
	free(data);
	if (st != CERTIO_OK)
		certbundle_free(b);
	return st;
}

/*
 * Which password opens it. Windows exports an empty password as either
 * "" or no password at all; try both when none was given.
 */
static int
pfx_password(PKCS12 *p12, const char *given, const char **pass)
{
	*pass = given;
	if (!PKCS12_mac_present(p12))
		return 0;
	if (given != NULL && *given != '\0')
		return PKCS12_verify_mac(p12, given, -1) ? 0 : -1;
	*pass = "";
	if (PKCS12_verify_mac(p12, "", 0))
		return 0;
	*pass = NULL;
	if (PKCS12_verify_mac(p12, NULL, 0))
		return 0;
	return -1;
}

/*
 * Older Windows exports encrypt the certificates with RC2-40, which
 * OpenSSL 3 keeps in its legacy provider: load it only for that retry.
 */
static int
pfx_parse(PKCS12 *p12, const char *pass, struct certbundle *b)
{
	OSSL_PROVIDER *legacy;
	int ok;

	if (PKCS12_parse(p12, pass, &b->key, &b->cert, &b->chain))
		return 1;
	ERR_clear_error();
	/* retain_fallbacks: the default provider stays in use. */
	legacy = OSSL_PROVIDER_try_load(NULL, "legacy", 1);
	ok = legacy != NULL && PKCS12_parse(p12, pass, &b->key, &b->cert,
	    &b->chain);
	if (legacy != NULL)
		OSSL_PROVIDER_unload(legacy);
	return ok;
}

enum certio_status
certio_load_pfx(const char *path, const char *password, struct certbundle *b,
    char *err, size_t len)
{
	enum certio_status st;
	const char *pass;
	PKCS12 *p12;
	BIO *bio;
	char *data;
	size_t n;

	memset(b, 0, sizeof *b);
	if ((st = read_file(path, &data, &n, err, len)) != CERTIO_OK)
		return st;
	bio = BIO_new_mem_buf(data, (int)n);
	p12 = d2i_PKCS12_bio(bio, NULL);
	BIO_free(bio);
	free(data);
	if (p12 == NULL) {
		snprintf(err, len, "%s is not a PKCS#12 (.pfx) file (%s)",
		    path, ossl_reason());
		return CERTIO_BAD_PFX;
	}
	if (pfx_password(p12, password, &pass) != 0) {
		ERR_clear_error();
		snprintf(err, len, "the password does not open %s", path);
		st = CERTIO_BAD_PASSWORD;
	} else if (!pfx_parse(p12, pass, b)) {
		snprintf(err, len, "cannot read %s (%s)", path, ossl_reason());
		st = CERTIO_BAD_PFX;
	} else if (b->cert == NULL) {
		snprintf(err, len, "%s holds no certificate of its own key",
		    path);
		st = CERTIO_NO_CERT;
	}
	PKCS12_free(p12);
	if (st != CERTIO_OK)
		certbundle_free(b);
	return st;
}

/* Secure memory: the text may hold a key, wiped when the BIO goes. */
static char *
bio_text(BIO *bio)
{
	char *p;
	long n = BIO_get_mem_data(bio, &p);

	return n > 0 ? xstrndup(p, (size_t)n) : xstrdup("");
}

char *
certio_key_to_pem(EVP_PKEY *key)
{
	BIO *bio;
	char *s;

	if ((s = rsakey_to_pem(key)) != NULL)
		return s;
	bio = BIO_new(BIO_s_secmem());
	if (PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) ==
	    1)
		s = bio_text(bio);
	BIO_free(bio);
	ERR_clear_error();
	return s;
}

char *
certio_to_pem(X509 *cert, EVP_PKEY *key)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	char *s = NULL, *k = NULL;

	/* The key's text joins the certificate's in the secure BIO. */
	if (PEM_write_bio_X509(bio, cert) == 1 && (key == NULL ||
	    ((k = certio_key_to_pem(key)) != NULL && BIO_puts(bio, k) > 0)))
		s = bio_text(bio);
	certio_free_secret(k);
	BIO_free(bio);
	ERR_clear_error();
	return s;
}

EVP_PKEY *
certio_key_from_pem(const char *pem)
{
	EVP_PKEY *key;
	char err[160];

	(void)read_key(pem, strlen(pem), &key, err, sizeof err);
	ERR_clear_error();
	return key;
}

EVP_PKEY *
certio_new_rsa(unsigned bits)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);

	ERR_clear_error();
	return key;
}

static int
seen_before(char *const *names, size_t i, const char *cn)
{
	if (str_ieq(names[i], cn))
		return 1;
	for (size_t j = 0; j < i; j++)
		if (str_ieq(names[i], names[j]))
			return 1;
	return 0;
}

static int
add_dns(GENERAL_NAMES *gens, const char *name)
{
	GENERAL_NAME *g = GENERAL_NAME_new();
	ASN1_IA5STRING *s = ASN1_IA5STRING_new();

	if (g == NULL || s == NULL || !ASN1_STRING_set(s, name, -1)) {
		GENERAL_NAME_free(g);
		ASN1_IA5STRING_free(s);
		return -1;
	}
	GENERAL_NAME_set0_value(g, GEN_DNS, s);
	sk_GENERAL_NAME_push(gens, g);
	return 0;
}

static int
add_san(X509_REQ *req, const char *cn, char *const *names, size_t n)
{
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
	X509_EXTENSION *ext;
	int rc = add_dns(gens, cn);

	for (size_t i = 0; i < n && rc == 0; i++)
		if (!seen_before(names, i, cn))
			rc = add_dns(gens, names[i]);
	if (rc == 0 && (ext = X509V3_EXT_i2d(NID_subject_alt_name, 0,
	    gens)) != NULL) {
		sk_X509_EXTENSION_push(exts, ext);
		rc = X509_REQ_add_extensions(req, exts) == 1 ? 0 : -1;
	} else
		rc = -1;
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	GENERAL_NAMES_free(gens);
	return rc;
}

/* The request for cn and names, with key's public half when there is a
 * key, not signed; NULL + err when a name cannot go in. */
static X509_REQ *
req_build(EVP_PKEY *key, const char *cn, char *const *names, size_t n,
    char *err, size_t len)
{
	X509_REQ *req = X509_REQ_new();

	if (req != NULL && X509_NAME_add_entry_by_txt(
	    X509_REQ_get_subject_name(req), "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0) == 1 &&
	    add_san(req, cn, names, n) == 0 &&
	    (key == NULL || X509_REQ_set_pubkey(req, key) == 1))
		return req;
	snprintf(err, len, "cannot make the request (%s)", ossl_reason());
	X509_REQ_free(req);
	return NULL;
}

char *
certio_make_csr(EVP_PKEY *key, const char *cn, char *const *names, size_t n,
    char *err, size_t len)
{
	X509_REQ *req = req_build(key, cn, names, n, err, len);
	BIO *bio;
	char *s = NULL;

	/* Without a key only the names are put in: the check plan makes
	 * before apply makes the key. */
	if (req == NULL || key == NULL) {
		X509_REQ_free(req);
		return req ? xstrdup("") : NULL;
	}
	bio = BIO_new(BIO_s_mem());
	if (X509_REQ_sign(req, key, EVP_sha256()) > 0 &&
	    PEM_write_bio_X509_REQ(bio, req) == 1)
		s = bio_text(bio);
	else
		snprintf(err, len, "cannot make the request (%s)",
		    ossl_reason());
	BIO_free(bio);
	X509_REQ_free(req);
	return s;
}

static X509_REQ *
req_from_pem(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509_REQ *req = PEM_read_bio_X509_REQ(bio, NULL, no_prompt, NULL);

	BIO_free(bio);
	ERR_clear_error();
	return req;
}

/* DER of the requested extensions; 0 bytes when there are none. */
static int
req_exts_der(X509_REQ *req, unsigned char **der)
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
	int n = 0;

	*der = NULL;
	if (exts != NULL && sk_X509_EXTENSION_num(exts) > 0)
		n = i2d_X509_EXTENSIONS(exts, der);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	return n;
}

int
certio_csr_asks(const char *old_pem, EVP_PKEY *key, const char *cn,
    char *const *names, size_t n)
{
	char err[8];
	X509_REQ *a = req_from_pem(old_pem);
	X509_REQ *b = req_build(NULL, cn, names, n, err, sizeof err);
	unsigned char *da = NULL, *db = NULL;
	int same = 0, na, nb;

	if (a != NULL && b != NULL &&
	    X509_NAME_cmp(X509_REQ_get_subject_name(a),
	    X509_REQ_get_subject_name(b)) == 0 &&
	    (key == NULL || EVP_PKEY_eq(X509_REQ_get0_pubkey(a), key) == 1) &&
	    X509_REQ_verify(a, X509_REQ_get0_pubkey(a)) == 1) {
		na = req_exts_der(a, &da);
		nb = req_exts_der(b, &db);
		same = na >= 0 && na == nb && (na == 0 ||
		    memcmp(da, db, (size_t)na) == 0);
	}
	OPENSSL_free(da);
	OPENSSL_free(db);
	X509_REQ_free(a);
	X509_REQ_free(b);
	ERR_clear_error();
	return same;
}

