/*
 * Keys and certificates made in memory for the unit tests (OpenSSL 3), so
 * that every case says in code what it is and no binary fixture can go
 * stale or expire.
 */
#ifndef NDESWIZ_TEST_CERTGEN_H
#define NDESWIZ_TEST_CERTGEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "util.h"

/* Not every test uses every helper. */
#define CERTGEN_FN static __attribute__((unused))

struct certspec {
	const char *cn;         /* NULL: no CN */
	const char *san;        /* "DNS:a,DNS:b"; NULL: no SAN */
	const char *eku;        /* "serverAuth"; NULL: no EKU extension */
	const char *ku;         /* "digitalSignature"; NULL: no Key Usage */
	long from_days;         /* validity, in days from now */
	long to_days;
	int ca;                 /* a CA certificate */
	X509 *issuer;           /* NULL: self-signed */
	EVP_PKEY *issuer_key;
};

CERTGEN_FN EVP_PKEY *
certgen_rsa(unsigned bits)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);

	if (k == NULL)
		abort();
	return k;
}

CERTGEN_FN EVP_PKEY *
certgen_ec(const char *curve)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);

	if (k == NULL)
		abort();
	return k;
}

CERTGEN_FN void
certgen_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (ext == NULL || !X509_add_ext(x, ext, -1))
		abort();
	X509_EXTENSION_free(ext);
}

CERTGEN_FN X509 *
certgen_cert(const struct certspec *s, EVP_PKEY *key)
{
	static long serial = 1000;
	X509 *x = X509_new();
	X509 *issuer = s->issuer ? s->issuer : x;
	EVP_PKEY *ikey = s->issuer_key ? s->issuer_key : key;
	X509_NAME *nm = X509_get_subject_name(x);

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), s->from_days * 86400L);
	X509_gmtime_adj(X509_getm_notAfter(x), s->to_days * 86400L);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(nm, "O", MBSTRING_UTF8,
	    (const unsigned char *)"ndeswiz tests", -1, -1, 0);
	if (s->cn != NULL)
		X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8,
		    (const unsigned char *)s->cn, -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(issuer));
	certgen_ext(x, issuer, NID_subject_key_identifier, "hash");
	certgen_ext(x, issuer, NID_authority_key_identifier, "keyid:always");
	if (s->ca)
		certgen_ext(x, issuer, NID_basic_constraints,
		    "critical,CA:TRUE");
	if (s->ku != NULL)
		certgen_ext(x, issuer, NID_key_usage, s->ku);
	if (s->eku != NULL)
		certgen_ext(x, issuer, NID_ext_key_usage, s->eku);
	if (s->san != NULL)
		certgen_ext(x, issuer, NID_subject_alt_name, s->san);
	if (X509_sign(x, ikey, EVP_sha256()) <= 0)
		abort();
	return x;
}

CERTGEN_FN char *
certgen_pem(X509 *x, EVP_PKEY *key)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p, *s;
	long n;

	if (x != NULL)
		PEM_write_bio_X509(bio, x);
	if (key != NULL)
		PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL);
	n = BIO_get_mem_data(bio, &p);
	s = n > 0 ? xstrndup(p, (size_t)n) : xstrdup("");
	BIO_free(bio);
	return s;
}

/* A key encrypted with a pass phrase, as some CAs hand them out. */
CERTGEN_FN char *
certgen_locked_key_pem(EVP_PKEY *key, const char *pass)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p, *s;
	long n;

	PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), pass,
	    (int)strlen(pass), NULL, NULL);
	n = BIO_get_mem_data(bio, &p);
	s = xstrndup(p, (size_t)n);
	BIO_free(bio);
	return s;
}

CERTGEN_FN void
certgen_write(const char *path, const void *data, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(data, 1, n, fp) != n || fclose(fp) != 0)
		abort();
}

CERTGEN_FN void
certgen_write_pem(const char *path, X509 *x, X509 *more, EVP_PKEY *key)
{
	char *a = certgen_pem(x, key), *b = certgen_pem(more, NULL);
	char *s = xasprintf("%s%s", a, more ? b : "");

	certgen_write(path, s, strlen(s));
	free(s);
	free(b);
	free(a);
}

CERTGEN_FN void
certgen_write_pfx(const char *path, X509 *x, EVP_PKEY *key, X509 *more,
    const char *pass)
{
	STACK_OF(X509) *ca = NULL;
	PKCS12 *p12;
	unsigned char *der = NULL;
	int n;

	if (more != NULL) {
		ca = sk_X509_new_null();
		sk_X509_push(ca, more);
	}
	p12 = PKCS12_create(pass, "ndeswiz test", key, x, ca, 0, 0, 0, 0, 0);
	if (p12 == NULL || (n = i2d_PKCS12(p12, &der)) <= 0)
		abort();
	certgen_write(path, der, (size_t)n);
	OPENSSL_free(der);
	PKCS12_free(p12);
	sk_X509_free(ca);
}

#endif
