/*
 * Authenticode with OpenSSL, for dir targets and the tests: the PE's
 * certificate table holds a WIN_CERTIFICATE whose PKCS#7 SignedData
 * signs an SpcIndirectDataContent, which carries the digest of the
 * image (the file but its CheckSum, the certificate table's directory
 * entry and the table itself). The chain ends in this machine's roots or
 * Microsoft's own (assets/trust/microsoft-roots.pem). Timestamps are not
 * read: the chain is judged at today's date, so a file whose signing
 * certificate has expired since is refused here (Windows, which reads
 * the timestamp, takes it).
 */
#include "authenticode.h"
#include "pe.h"
#include "host/host.h"
#include "util.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPC_INDIRECT_DATA "1.3.6.1.4.1.311.2.1.4"
#define WIN_CERT_PKCS7 0x0002

/* The digest Authenticode signs: the file up to the table, without the
 * CheckSum and the directory entry that points at the table. */
static int
image_digest(const unsigned char *d, const struct pe_layout *l,
    const EVP_MD *md, unsigned char *out, unsigned *outlen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx != NULL && EVP_DigestInit_ex(ctx, md, NULL) &&
	    EVP_DigestUpdate(ctx, d, l->checksum_off) &&
	    EVP_DigestUpdate(ctx, d + l->checksum_off + 4, l->secdir_off -
	    l->checksum_off - 4) &&
	    EVP_DigestUpdate(ctx, d + l->secdir_off + 8, l->cert_off -
	    l->secdir_off - 8) &&
	    EVP_DigestFinal_ex(ctx, out, outlen);

	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* The SignedData's content: its DER, and the part after the SEQUENCE
 * header (what the signature covers). */
static int
signed_content(PKCS7 *p7, const unsigned char **all, long *alllen,
    const unsigned char **inner, long *innerlen)
{
	ASN1_TYPE *t;
	const unsigned char *p;
	long len;
	int tag, xclass;
	char oid[64];

	if (!PKCS7_type_is_signed(p7) || p7->d.sign->contents == NULL)
		return -1;
	OBJ_obj2txt(oid, sizeof oid, p7->d.sign->contents->type, 1);
	t = p7->d.sign->contents->d.other;
	if (strcmp(oid, SPC_INDIRECT_DATA) != 0 || t == NULL ||
	    t->type != V_ASN1_SEQUENCE)
		return -1;
	*all = p = t->value.sequence->data;
	*alllen = t->value.sequence->length;
	if (ASN1_get_object(&p, &len, &tag, &xclass, *alllen) & 0x80)
		return -1;
	*inner = p;
	*innerlen = len;
	return len <= *alllen - (p - *all) ? 0 : -1;
}

/* SpcIndirectDataContent ::= SEQUENCE { data, messageDigest DigestInfo }:
 * the DigestInfo (an X509_SIG's shape). */
static X509_SIG *
indirect_digest(const unsigned char *inner, long len)
{
	const unsigned char *p = inner;
	long l;
	int tag, xclass;

	if (ASN1_get_object(&p, &l, &tag, &xclass, len) & 0x80 ||
	    l > len - (p - inner))
		return NULL;
	p += l;
	return d2i_X509_SIG(NULL, &p, len - (p - inner));
}

static int
digest_matches(const unsigned char *d, const struct pe_layout *l,
    X509_SIG *sig, char *why, size_t len)
{
	const X509_ALGOR *alg;
	const ASN1_OCTET_STRING *want;
	const EVP_MD *md;
	unsigned char got[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	X509_SIG_get0(sig, &alg, &want);
	if ((md = EVP_get_digestbyobj(alg->algorithm)) == NULL) {
		snprintf(why, len, "the signature uses a digest ndeswiz does "
		    "not know");
		return -1;
	}
	if (image_digest(d, l, md, got, &n) != 0 ||
	    (int)n != ASN1_STRING_length(want) ||
	    memcmp(got, ASN1_STRING_get0_data(want), n) != 0) {
		snprintf(why, len, "the file was changed after it was signed "
		    "(its digest does not match the signature's)");
		return -1;
	}
	return 0;
}

/* This machine's roots, and Microsoft's code-signing and time-stamping
 * roots (assets/trust: no Debian package carries them; Windows has them
 * in its own store). */
static X509_STORE *
trust_store(struct authenticode *ac)
{
	X509_STORE *st = X509_STORE_new();
	const char *test = getenv(AUTHENTICODE_TEST_CA);
	char *ms = path_join(assets_dir(), "trust/microsoft-roots.pem");

	X509_STORE_set_default_paths(st);
	if (!X509_STORE_load_file(st, ms))
		ERR_clear_error();
	free(ms);
	if (test != NULL && *test != '\0' && X509_STORE_load_file(st, test))
		ac->test_trust = 1;
	return st;
}

static void
name_part(X509 *x, int nid, char *out, size_t len)
{
	X509_NAME *n = X509_get_subject_name(x);

	out[0] = '\0';
	if (X509_NAME_get_text_by_NID(n, nid, out, (int)len) < 0)
		out[0] = '\0';
}

/* The signed content for PKCS7_verify, read through a buffer: given a
 * memory BIO, OpenSSL 3.0 copies it into a new one that it loses when
 * the signature names a digest it cannot set up (found by fuzz_pe; the
 * same leak CMS_verify had). NULL when out of memory. */
static BIO *
content_bio(const unsigned char *inner, long innerlen)
{
	BIO *mem = BIO_new_mem_buf(inner, (int)innerlen);
	BIO *buf = BIO_new(BIO_f_buffer());

	if (mem == NULL || buf == NULL) {
		BIO_free(mem);
		BIO_free(buf);
		return NULL;
	}
	return BIO_push(buf, mem);
}

/* The signature over the content, then the signer's chain and EKU. */
static enum authenticode_result
check_signer(PKCS7 *p7, const unsigned char *inner, long innerlen,
    struct authenticode *ac, char *why, size_t len)
{
	X509_STORE *st = trust_store(ac);
	BIO *in = content_bio(inner, innerlen);
	STACK_OF(X509) *signers = NULL;
	X509_STORE_CTX *ctx = NULL;
	X509 *leaf;
	enum authenticode_result r = AC_BAD_SIGNATURE;

	if (in == NULL || !PKCS7_verify(p7, NULL, st, in, NULL,
	    PKCS7_NOVERIFY) ||
	    (signers = PKCS7_get0_signers(p7, NULL, 0)) == NULL ||
	    sk_X509_num(signers) != 1) {
		snprintf(why, len, "the signature does not verify");
		goto out;
	}
	leaf = sk_X509_value(signers, 0);
	name_part(leaf, NID_organizationName, ac->publisher,
	    sizeof ac->publisher);
	name_part(leaf, NID_commonName, ac->signer, sizeof ac->signer);
	r = AC_UNTRUSTED;
	ctx = X509_STORE_CTX_new();
	if (ctx == NULL || !X509_STORE_CTX_init(ctx, st, leaf,
	    p7->d.sign->cert) || X509_verify_cert(ctx) != 1) {
		snprintf(why, len, "the signer '%s' does not chain to a root "
		    "this machine trusts (%s)%s", ac->signer, ctx ?
		    X509_verify_cert_error_string(X509_STORE_CTX_get_error(
		    ctx)) : "out of memory", ctx && X509_STORE_CTX_get_error(
		    ctx) == X509_V_ERR_CERT_HAS_EXPIRED ? "; this check does "
		    "not read the file's timestamp: on the server, Windows "
		    "(WinVerifyTrust) does" : "");
		goto out;
	}
	if (!(X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) ||
	    !(X509_get_extended_key_usage(leaf) & XKU_CODE_SIGN)) {
		snprintf(why, len, "the signer '%s' is not a code-signing "
		    "certificate", ac->signer);
		goto out;
	}
	r = AC_OK;
out:
	sk_X509_free(signers);
	X509_STORE_CTX_free(ctx);
	BIO_free_all(in);
	X509_STORE_free(st);
	ERR_clear_error();
	return r;
}

static enum authenticode_result
check_table(const unsigned char *d, const struct pe_layout *l,
    struct authenticode *ac, char *why, size_t len)
{
	const unsigned char *p = d + l->cert_off, *all, *inner;
	uint32_t wlen = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	long alllen, innerlen;
	PKCS7 *p7;
	X509_SIG *sig = NULL;
	enum authenticode_result r = AC_BAD_SIGNATURE;

	if (l->cert_len < 8 || wlen < 8 || wlen > l->cert_len ||
	    (p[6] | p[7] << 8) != WIN_CERT_PKCS7) {
		snprintf(why, len, "the certificate table holds no PKCS#7 "
		    "signature");
		return AC_BAD_SIGNATURE;
	}
	p += 8;
	p7 = d2i_PKCS7(NULL, &p, (long)wlen - 8);
	if (p7 == NULL || signed_content(p7, &all, &alllen, &inner,
	    &innerlen) != 0 || (sig = indirect_digest(inner, innerlen)) ==
	    NULL)
		snprintf(why, len, "the signature is not Authenticode "
		    "SignedData");
	else if (digest_matches(d, l, sig, why, len) == 0)
		r = check_signer(p7, inner, innerlen, ac, why, len);
	X509_SIG_free(sig);
	PKCS7_free(p7);
	ERR_clear_error();
	return r;
}

/* The file has a certificate table (authenticode.c decided that). */
enum authenticode_result
authenticode_verify(const char *path, const unsigned char *d,
    const struct pe_layout *l, struct authenticode *ac, char *why,
    size_t len)
{
	(void)path;
	return check_table(d, l, ac, why, len);
}
