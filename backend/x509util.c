#include "x509util.h"
#include "certio.h"
#include "util.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

/* szOID_ENROLL_CERTTYPE_EXTENSION: the v1 template name, a BMPString. */
#define OID_TEMPLATE_NAME "1.3.6.1.4.1.311.20.2"

int
x509_time(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = timegm(&tm);
	return 0;
}

static void
template_name(X509 *x, char *out, size_t len)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(OID_TEMPLATE_NAME, 1);
	int idx = obj ? X509_get_ext_by_OBJ(x, obj, -1) : -1;
	ASN1_OCTET_STRING *data;
	const unsigned char *p;
	ASN1_STRING *s = NULL;
	unsigned char *utf8 = NULL;
	int n;

	out[0] = '\0';
	ASN1_OBJECT_free(obj);
	if (idx < 0)
		return;
	data = X509_EXTENSION_get_data(X509_get_ext(x, idx));
	p = ASN1_STRING_get0_data(data);
	s = d2i_ASN1_BMPSTRING(NULL, &p, ASN1_STRING_length(data));
	if (s != NULL && (n = ASN1_STRING_to_UTF8(&utf8, s)) >= 0) {
		snprintf(out, len, "%.*s", n, (char *)utf8);
		OPENSSL_free(utf8);
	}
	ASN1_STRING_free(s);
}

/* szOID_CERTIFICATE_TEMPLATE: a v2+ template's OID and version. */
#define OID_TEMPLATE_V2 "1.3.6.1.4.1.311.21.7"
/* szOID_ENROLLMENT_AGENT: Certificate Request Agent. */
#define OID_REQUEST_AGENT "1.3.6.1.4.1.311.20.2.1"

static int
has_ext(X509 *x, const char *oid)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	int idx = obj ? X509_get_ext_by_OBJ(x, obj, -1) : -1;

	ASN1_OBJECT_free(obj);
	return idx >= 0;
}

static int
has_eku(X509 *x, const char *oid)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage,
	    NULL, NULL);
	ASN1_OBJECT *want = OBJ_txt2obj(oid, 1);
	int yes = 0;

	for (int i = 0; eku != NULL && want != NULL &&
	    i < sk_ASN1_OBJECT_num(eku); i++)
		if (OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), want) == 0)
			yes = 1;
	ASN1_OBJECT_free(want);
	EXTENDED_KEY_USAGE_free(eku);
	return yes;
}

X509 *
x509_from_pem(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	return x;
}

int
x509_pem_facts(const char *pem, struct x509_facts *f)
{
	X509 *x = x509_from_pem(pem);

	memset(f, 0, sizeof *f);
	if (x == NULL)
		return -1;
	X509_NAME_oneline(X509_get_subject_name(x), f->subject,
	    sizeof f->subject);
	template_name(x, f->template_name, sizeof f->template_name);
	x509_time(X509_get0_notBefore(x), &f->not_before);
	x509_time(X509_get0_notAfter(x), &f->not_after);
	f->v2_template = has_ext(x, OID_TEMPLATE_V2);
	f->request_agent = has_eku(x, OID_REQUEST_AGENT);
	f->key_usage = (X509_get_extension_flags(x) & EXFLAG_KUSAGE) ?
	    (unsigned long)X509_get_key_usage(x) : 0;
	f->self_issued = X509_NAME_cmp(X509_get_subject_name(x),
	    X509_get_issuer_name(x)) == 0;
	f->has_key = strstr(pem, "PRIVATE KEY-----") != NULL ||
	    certio_key_held(pem, strlen(pem));
	X509_free(x);
	return 0;
}

int
x509_pem_self_issued(const char *pem)
{
	struct x509_facts f;

	if (x509_pem_facts(pem, &f) != 0)
		return -1;
	return f.self_issued;
}
