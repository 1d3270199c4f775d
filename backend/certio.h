/*
 * Certificates and keys in and out of their file formats (OpenSSL 3): PEM
 * (or DER) files, PKCS#12 (.pfx), the PEM text a certificate store entry
 * holds, new keys and certificate requests.
 *
 * Nothing here prompts: an encrypted key or a wrong password is reported,
 * never asked for on the terminal behind the caller's back.
 */
#ifndef NDESWIZ_CERTIO_H
#define NDESWIZ_CERTIO_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* A certificate with what came with it. */
struct certbundle {
	X509 *cert;
	EVP_PKEY *key;         /* NULL: no private key came with it */
	STACK_OF(X509) *chain; /* the other certificates, or NULL */
	int key_held;          /* no key here, but the store holds it (the
	                          CERTIO_KEY_HELD marker) */
};

/*
 * A certificate store entry whose private key exists but is not exported
 * (a snapshot never copies keys; Windows keeps the RA keys unexportable)
 * carries this line after its certificate. It counts as "key present";
 * there is no key to compare with the certificate.
 */
#define CERTIO_KEY_HELD "# ndeswiz: private key present (not exported)"
/* Does the PEM text carry the marker? */
int certio_key_held(const char *pem, size_t n);

void certbundle_free(struct certbundle *);

enum certio_status {
	CERTIO_OK,
	CERTIO_NO_FILE,      /* cannot read the file */
	CERTIO_NO_CERT,      /* no certificate in it */
	CERTIO_BAD_KEY,      /* no usable private key in the key file */
	CERTIO_KEY_LOCKED,   /* the key is encrypted */
	CERTIO_BAD_PASSWORD, /* the PKCS#12 password does not open it */
	CERTIO_BAD_PFX,      /* not a PKCS#12 file */
};

/* PEM text: every certificate (the first is the one), and a key. */
enum certio_status certio_parse_pem(const char *, size_t,
    struct certbundle *, char *err, size_t len);
/* A certificate file (PEM or DER; more PEM certificates are the chain)
 * and a PEM key file. */
enum certio_status certio_load_pem(const char *certfile, const char *keyfile,
    struct certbundle *, char *err, size_t len);
/* A PKCS#12 file; password NULL or "" tries the empty password. */
enum certio_status certio_load_pfx(const char *path, const char *password,
    struct certbundle *, char *err, size_t len);

/* PEM text of a certificate, then its key (PKCS#8) when key != NULL.
 * Free with certio_free_secret: it may hold a key. */
char *certio_to_pem(X509 *, EVP_PKEY *key);
/* PEM (PKCS#8, unencrypted) of a private key; free with
 * certio_free_secret. */
char *certio_key_to_pem(EVP_PKEY *);
/* A PEM private key (unencrypted), or NULL. */
EVP_PKEY *certio_key_from_pem(const char *);

/* A new RSA key; NULL on failure. */
EVP_PKEY *certio_new_rsa(unsigned bits);
/*
 * A PEM certificate request signed with key: CN = cn, and a SAN with cn
 * and names as dNSNames (duplicates dropped). NULL + err on failure.
 * Deterministic for a given RSA key, so a second plan sees no change.
 * With no key it only checks that the names make a request: "" or NULL.
 */
char *certio_make_csr(EVP_PKEY *, const char *cn, char *const *names,
    size_t n, char *err, size_t len);

/*
 * 1 when the request in old_pem asks for what certio_make_csr(key, cn,
 * names, n) would (subject and extensions; the public key of key, unless
 * key is NULL: the key stayed on the server) and its signature holds,
 * else 0. Nothing is signed: a plan that finds the request it wants makes
 * no private-key operation (an RSA-2048 signature: most of a millisecond).
 */
int certio_csr_asks(const char *old_pem, EVP_PKEY *key, const char *cn,
    char *const *names, size_t n);

/* Wipe and free text that may hold a private key. */
void certio_free_secret(char *);

#endif
