/*
 * RSA keys read without OpenSSL's decoders (backend/rsakey.c): whatever
 * text is given, a key read back is one OpenSSL's own reader sees the same
 * way, and writing it and reading that again gives the same key.
 */
#include "fuzz.h"

#include "rsakey.h"

#include <openssl/err.h>
#include <openssl/pem.h>

static int
no_prompt(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	EVP_PKEY *k = rsakey_from_pem((const char *)data, size), *o, *r;
	BIO *bio;
	char *pem;

	if (k == NULL)
		return 0;
	bio = BIO_new_mem_buf(data, (int)size);
	o = PEM_read_bio_PrivateKey(bio, NULL, no_prompt, NULL);
	BIO_free(bio);
	FUZZ_CHECK(o != NULL && EVP_PKEY_eq(k, o) == 1, "a key OpenSSL's "
	    "reader does not find the same");
	pem = rsakey_to_pem(k);
	FUZZ_CHECK(pem != NULL, "a key read cannot be written");
	r = rsakey_from_pem(pem, strlen(pem));
	FUZZ_CHECK(r != NULL && EVP_PKEY_eq(k, r) == 1, "written, it reads "
	    "as another key");
	OPENSSL_cleanse(pem, strlen(pem));
	free(pem);
	EVP_PKEY_free(r);
	EVP_PKEY_free(o);
	EVP_PKEY_free(k);
	ERR_clear_error();
	return 0;
}
