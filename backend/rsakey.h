/*
 * RSA private keys in and out of PEM without OpenSSL 3.0's decoders and
 * encoders. Those build their whole chain (every decoder of every
 * provider, matched against every key type) on each call: about 4M
 * instructions to read a key and 3.5M to write one, together a third of
 * an apply with a pem certificate. Here the ASN.1 is OpenSSL's plain
 * template code and the key is made from its numbers (EVP_PKEY_fromdata).
 *
 * Only the common forms are taken: an unencrypted PKCS#8 "PRIVATE KEY" or
 * PKCS#1 "RSA PRIVATE KEY" holding a two-prime RSA key. For anything else
 * (EC, RSA-PSS, multi-prime, encrypted, malformed) these return NULL and
 * the caller goes OpenSSL's general way, which also gives the reasons.
 * What is written is byte for byte what OpenSSL's encoder writes
 * (tests/unit/test_binding.c compares them).
 */
#ifndef NDESWIZ_RSAKEY_H
#define NDESWIZ_RSAKEY_H

#include <stddef.h>

#include <openssl/evp.h>

/* The first private key block of the PEM text, or NULL (see above). */
EVP_PKEY *rsakey_from_pem(const char *pem, size_t n);
/* KEY as unencrypted PKCS#8 PEM, or NULL. Free with certio_free_secret. */
char *rsakey_to_pem(EVP_PKEY *key);

#endif
