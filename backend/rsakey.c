/*
 * RSA private keys through ASN.1 templates rather than decoders and
 * encoders. See rsakey.h. Every buffer that held the key's numbers is
 * wiped before it is freed.
 */
#include "rsakey.h"
#include "util.h"

#include <limits.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* RSAPrivateKey's numbers after its version, in order (RFC 8017, A.1.2). */
static const char *const rsa_params[] = {
	OSSL_PKEY_PARAM_RSA_N,
	OSSL_PKEY_PARAM_RSA_E,
	OSSL_PKEY_PARAM_RSA_D,
	OSSL_PKEY_PARAM_RSA_FACTOR1,
	OSSL_PKEY_PARAM_RSA_FACTOR2,
	OSSL_PKEY_PARAM_RSA_EXPONENT1,
	OSSL_PKEY_PARAM_RSA_EXPONENT2,
	OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
};
#define NPARAMS nitems(rsa_params)

static void
seq_free(ASN1_SEQUENCE_ANY *seq)
{
	ASN1_TYPE *t;

	for (int i = 0; i < sk_ASN1_TYPE_num(seq); i++) {
		t = sk_ASN1_TYPE_value(seq, i);
		if ((t->type == V_ASN1_INTEGER ||
		    t->type == V_ASN1_NEG_INTEGER) && t->value.integer != NULL)
			OPENSSL_cleanse(t->value.integer->data,
			    (size_t)t->value.integer->length);
	}
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
}

static int
is_int(const ASN1_TYPE *t)
{
	return t->type == V_ASN1_INTEGER && t->value.integer != NULL;
}

/* The key from its numbers: the keymgmt's import, no decoder. */
static EVP_PKEY *
from_numbers(ASN1_SEQUENCE_ANY *seq)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIGNUM *bn[NPARAMS] = {0};
	ASN1_TYPE *t;
	int ok = bld != NULL;

	for (size_t i = 0; ok && i < NPARAMS; i++) {
		t = sk_ASN1_TYPE_value(seq, (int)i + 1);
		ok = is_int(t) && (bn[i] = BN_secure_new()) != NULL &&
		    ASN1_INTEGER_to_BN(t->value.integer, bn[i]) != NULL &&
		    OSSL_PARAM_BLD_push_BN(bld, rsa_params[i], bn[i]) == 1;
	}
	ok = ok && (params = OSSL_PARAM_BLD_to_param(bld)) != NULL &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) != NULL &&
	    EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) == 1;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params); /* wipes the secure part */
	OSSL_PARAM_BLD_free(bld);
	for (size_t i = 0; i < NPARAMS; i++)
		BN_clear_free(bn[i]);
	if (!ok) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	return key;
}

/*
 * Does OBJ, encoded again, give exactly der[0, len)? The generic decoders
 * here are lenient (a primitive SEQUENCE passes); what is not canonical
 * DER goes OpenSSL's strict way instead.
 */
static int
canonical(const void *obj, int (*i2d)(const void *, unsigned char **),
    const unsigned char *der, long len)
{
	unsigned char *again = NULL;
	int n = i2d(obj, &again), same;

	same = n == len && memcmp(again, der, (size_t)n) == 0;
	OPENSSL_clear_free(again, n > 0 ? (size_t)n : 0);
	return same;
}

static int
i2d_seq(const void *seq, unsigned char **out)
{
	return i2d_ASN1_SEQUENCE_ANY(seq, out);
}

static int
i2d_p8(const void *p8, unsigned char **out)
{
	return i2d_PKCS8_PRIV_KEY_INFO(p8, out);
}

/* A two-prime RSAPrivateKey (PKCS#1 DER). */
static EVP_PKEY *
from_pkcs1(const unsigned char *der, long len)
{
	const unsigned char *p = der;
	ASN1_SEQUENCE_ANY *seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, len);
	EVP_PKEY *key = NULL;
	ASN1_TYPE *v;

	/* Version 0; 1 would add more primes. */
	if (seq != NULL && p == der + len &&
	    canonical(seq, i2d_seq, der, len) &&
	    sk_ASN1_TYPE_num(seq) == (int)NPARAMS + 1 &&
	    is_int(v = sk_ASN1_TYPE_value(seq, 0)) &&
	    ASN1_INTEGER_get(v->value.integer) == 0)
		key = from_numbers(seq);
	seq_free(seq);
	return key;
}

/* PKCS#8 PrivateKeyInfo (DER) holding an rsaEncryption key. */
static EVP_PKEY *
from_pkcs8(const unsigned char *der, long len)
{
	const unsigned char *p = der, *pk;
	PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, len);
	const ASN1_OBJECT *obj;
	const X509_ALGOR *alg;
	EVP_PKEY *key = NULL;
	int pklen;

	/* Freeing p8 wipes the key it holds (OpenSSL's own callback). */
	if (p8 != NULL && p == der + len && canonical(p8, i2d_p8, der, len) &&
	    PKCS8_pkey_get0(&obj, &pk, &pklen, &alg, p8) == 1 &&
	    OBJ_obj2nid(obj) == NID_rsaEncryption)
		key = from_pkcs1(pk, pklen);
	PKCS8_PRIV_KEY_INFO_free(p8);
	return key;
}

/* Does the PEM block's name say it holds a private key? */
static int
key_block(const char *name)
{
	size_t n = strlen(name), k = strlen("PRIVATE KEY");

	return n >= k && strcmp(name + n - k, "PRIVATE KEY") == 0;
}

/*
 * The first block that names a private key decides, as it does for
 * PEM_read_bio_PrivateKey; a certificate before it is passed over.
 */
EVP_PKEY *
rsakey_from_pem(const char *pem, size_t n)
{
	char *name = NULL, *header = NULL;
	unsigned char *der = NULL;
	long len = 0;
	EVP_PKEY *key = NULL;
	int done = 0;
	BIO *bio;

	if (n > INT_MAX || (bio = BIO_new_mem_buf(pem, (int)n)) == NULL)
		return NULL;
	while (!done && PEM_read_bio(bio, &name, &header, &der, &len) == 1) {
		if (key_block(name)) {
			done = 1;
			/* A header (Proc-Type, DEK-Info): encrypted, not ours. */
			if (header[0] == '\0' && strcmp(name, "PRIVATE KEY") == 0)
				key = from_pkcs8(der, len);
			else if (header[0] == '\0' &&
			    strcmp(name, "RSA PRIVATE KEY") == 0)
				key = from_pkcs1(der, len);
		}
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_clear_free(der, (size_t)len);
		name = header = NULL;
		der = NULL;
	}
	BIO_free(bio);
	ERR_clear_error();
	return key;
}

/* A non-negative INTEGER (0 when bn is NULL) at the end of seq. */
static int
push_int(ASN1_SEQUENCE_ANY *seq, const BIGNUM *bn)
{
	ASN1_TYPE *t = ASN1_TYPE_new();
	ASN1_INTEGER *ai = bn != NULL ? BN_to_ASN1_INTEGER(bn, NULL) :
	    ASN1_INTEGER_new();

	if (t == NULL || ai == NULL) {
		ASN1_TYPE_free(t);
		ASN1_INTEGER_free(ai);
		return 0;
	}
	ASN1_TYPE_set(t, V_ASN1_INTEGER, ai);
	if (sk_ASN1_TYPE_push(seq, t) <= 0) {
		ASN1_TYPE_free(t);
		return 0;
	}
	return 1;
}

/* KEY's RSAPrivateKey (DER), or -1 when it is not a two-prime RSA key. */
static int
to_pkcs1(EVP_PKEY *key, unsigned char **der)
{
	ASN1_SEQUENCE_ANY *seq;
	BIGNUM *bn = NULL;
	int ok, len = -1;

	if (!EVP_PKEY_is_a(key, "RSA") ||
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_FACTOR3, &bn)) {
		BN_clear_free(bn);
		return -1;
	}
	ok = (seq = sk_ASN1_TYPE_new_null()) != NULL && push_int(seq, NULL);
	for (size_t i = 0; ok && i < NPARAMS; i++) {
		ok = EVP_PKEY_get_bn_param(key, rsa_params[i], &bn) == 1 &&
		    push_int(seq, bn);
		BN_clear_free(bn);
		bn = NULL;
	}
	if (ok)
		len = i2d_ASN1_SEQUENCE_ANY(seq, der);
	seq_free(seq);
	return len > 0 ? len : -1;
}

char *
rsakey_to_pem(EVP_PKEY *key)
{
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	unsigned char *der = NULL, *d8 = NULL;
	int dl, l8 = 0;
	BIO *bio = NULL;
	char *s = NULL, *p;
	long n;

	if ((dl = to_pkcs1(key, &der)) < 0) {
		ERR_clear_error();
		return NULL;
	}
	/* p8 takes der (and wipes it when freed). */
	if ((p8 = PKCS8_PRIV_KEY_INFO_new()) != NULL &&
	    PKCS8_pkey_set0(p8, OBJ_nid2obj(NID_rsaEncryption), 0,
	    V_ASN1_NULL, NULL, der, dl) == 1)
		der = NULL;
	if (der == NULL && (l8 = i2d_PKCS8_PRIV_KEY_INFO(p8, &d8)) > 0 &&
	    (bio = BIO_new(BIO_s_secmem())) != NULL &&
	    PEM_write_bio(bio, "PRIVATE KEY", "", d8, l8) > 0 &&
	    (n = BIO_get_mem_data(bio, &p)) > 0)
		s = xstrndup(p, (size_t)n);
	BIO_free(bio);
	OPENSSL_clear_free(d8, l8 > 0 ? (size_t)l8 : 0);
	OPENSSL_clear_free(der, der != NULL ? (size_t)dl : 0);
	PKCS8_PRIV_KEY_INFO_free(p8);
	ERR_clear_error();
	return s;
}
