/*
 * RSA keys without OpenSSL's decoders and encoders: the same key, and the
 * very bytes OpenSSL's encoder writes, for the forms taken; NULL for every
 * other, so that the caller's general path (and its reasons) applies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "certgen.h"
#include "certio.h"
#include "rsakey.h"
#include "util.h"

#include <openssl/core_names.h>

static char *
encoder_pem(EVP_PKEY *k, int traditional, const EVP_CIPHER *enc)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p, *s;
	long n;
	int ok = traditional ?
	    PEM_write_bio_PrivateKey_traditional(bio, k, enc, NULL, 0, NULL,
	    (void *)"secret") :
	    PEM_write_bio_PrivateKey(bio, k, enc, NULL, 0, NULL,
	    (void *)"secret");

	assert_int_equal(ok, 1);
	n = BIO_get_mem_data(bio, &p);
	s = xstrndup(p, (size_t)n);
	BIO_free(bio);
	return s;
}

static void
same_key(EVP_PKEY *a, EVP_PKEY *b)
{
	BIGNUM *x = NULL, *y = NULL;

	assert_non_null(b);
	assert_int_equal(EVP_PKEY_eq(a, b), 1);
	/* The private half too: eq compares the public one. */
	assert_int_equal(EVP_PKEY_get_bn_param(a, OSSL_PKEY_PARAM_RSA_D, &x),
	    1);
	assert_int_equal(EVP_PKEY_get_bn_param(b, OSSL_PKEY_PARAM_RSA_D, &y),
	    1);
	assert_int_equal(BN_cmp(x, y), 0);
	BN_free(x);
	BN_free(y);
}

/* Written as the encoder writes it; read back as the same key. */
static void
test_roundtrip(void **state)
{
	static const unsigned bits[] = {1024, 2048};

	(void)state;
	for (size_t i = 0; i < nitems(bits); i++) {
		EVP_PKEY *k = certgen_rsa(bits[i]), *r;
		char *ours = rsakey_to_pem(k), *theirs = encoder_pem(k, 0, NULL);
		char *pkcs1 = encoder_pem(k, 1, NULL);

		assert_non_null(ours);
		assert_string_equal(ours, theirs);
		r = rsakey_from_pem(ours, strlen(ours));
		same_key(k, r);
		EVP_PKEY_free(r);
		/* PKCS#1 ("RSA PRIVATE KEY") reads the same. */
		assert_non_null(strstr(pkcs1, "BEGIN RSA PRIVATE KEY"));
		r = rsakey_from_pem(pkcs1, strlen(pkcs1));
		same_key(k, r);
		EVP_PKEY_free(r);
		/* certio writes what it wrote before: the encoder's bytes. */
		certio_free_secret(ours);
		ours = certio_key_to_pem(k);
		assert_string_equal(ours, theirs);
		certio_free_secret(ours);
		free(theirs);
		free(pkcs1);
		EVP_PKEY_free(k);
	}
}

/* A certificate first, the key after it: the key block is found. */
static void
test_after_certificate(void **state)
{
	EVP_PKEY *k = certgen_rsa(1024), *r;
	struct certspec spec = { .cn = "a.example", .to_days = 1 };
	X509 *x = certgen_cert(&spec, k);
	char *pem = certio_to_pem(x, k), *key;

	(void)state;
	assert_non_null(pem);
	key = strstr(pem, "-----BEGIN PRIVATE KEY");
	assert_non_null(key);
	r = rsakey_from_pem(pem, strlen(pem));
	same_key(k, r);
	EVP_PKEY_free(r);
	/* certio_to_pem: the certificate, then the encoder's key bytes. */
	key = encoder_pem(k, 0, NULL);
	assert_string_equal(strstr(pem, "-----BEGIN PRIVATE KEY"), key);
	free(key);
	certio_free_secret(pem);
	X509_free(x);
	EVP_PKEY_free(k);
}

/* What is not taken here goes OpenSSL's way: NULL, never a wrong key. */
static void
test_not_taken(void **state)
{
	EVP_PKEY *rsa = certgen_rsa(1024), *ec = certgen_ec("P-256");
	EVP_PKEY_CTX *pss = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *three = NULL, *pssk = NULL;
	char *s;
	static const char *bad[] = {
		"", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
		"-----BEGIN RSA PRIVATE KEY-----\nMAMCAQA=\n"
		"-----END RSA PRIVATE KEY-----\n",
		"not PEM at all",
	};

	(void)state;
	assert_non_null(pss);
	assert_int_equal(EVP_PKEY_keygen_init(pss), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(pss, 1024), 1);
	assert_int_equal(EVP_PKEY_keygen(pss, &pssk), 1);
	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 1024), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_primes(ctx, 3), 1);
	assert_int_equal(EVP_PKEY_keygen(ctx, &three), 1);

	/* EC, RSA-PSS and three primes: not written here... */
	assert_null(rsakey_to_pem(ec));
	assert_null(rsakey_to_pem(pssk));
	assert_null(rsakey_to_pem(three));
	/* ...nor read, but certio still does both, through OpenSSL. */
	s = encoder_pem(ec, 0, NULL);
	assert_null(rsakey_from_pem(s, strlen(s)));
	free(s);
	s = encoder_pem(three, 0, NULL);
	assert_null(rsakey_from_pem(s, strlen(s)));
	free(s);
	s = certio_key_to_pem(three);
	assert_non_null(s);
	{
		EVP_PKEY *r = certio_key_from_pem(s);

		same_key(three, r);
		EVP_PKEY_free(r);
	}
	certio_free_secret(s);
	/* Encrypted, PKCS#8 and PKCS#1: not read here. */
	s = encoder_pem(rsa, 0, EVP_aes_128_cbc());
	assert_non_null(strstr(s, "ENCRYPTED PRIVATE KEY"));
	assert_null(rsakey_from_pem(s, strlen(s)));
	free(s);
	s = encoder_pem(rsa, 1, EVP_aes_128_cbc());
	assert_non_null(strstr(s, "Proc-Type"));
	assert_null(rsakey_from_pem(s, strlen(s)));
	free(s);
	for (size_t i = 0; i < nitems(bad); i++)
		assert_null(rsakey_from_pem(bad[i], strlen(bad[i])));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_CTX_free(pss);
	EVP_PKEY_free(three);
	EVP_PKEY_free(pssk);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(rsa);
}

/* An EC key first: that block decides, even with an RSA key after it. */
static void
test_first_key_decides(void **state)
{
	EVP_PKEY *rsa = certgen_rsa(1024), *ec = certgen_ec("P-256");
	char *a = encoder_pem(ec, 0, NULL), *b = rsakey_to_pem(rsa);
	char *both = xasprintf("%s%s", a, b);
	EVP_PKEY *r;

	(void)state;
	assert_null(rsakey_from_pem(both, strlen(both)));
	r = certio_key_from_pem(both);
	assert_non_null(r);
	assert_int_equal(EVP_PKEY_eq(r, ec), 1);
	EVP_PKEY_free(r);
	free(both);
	both = xasprintf("%s%s", b, a);
	r = rsakey_from_pem(both, strlen(both));
	same_key(rsa, r);
	EVP_PKEY_free(r);
	free(both);
	free(a);
	certio_free_secret(b);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(rsa);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_after_certificate),
		cmocka_unit_test(test_not_taken),
		cmocka_unit_test(test_first_key_decides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
