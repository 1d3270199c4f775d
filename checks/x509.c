/*
 * Certificates as the probes see them: the chain a server presented (from
 * libcurl's certinfo), verified against our CAs, names and dates judged
 * one at a time so each trouble is its own finding.
 */
#include "probe.h"
#include "x509util.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

STACK_OF(X509) *
x509_chain_from_certinfo(CURL *h)
{
	struct curl_certinfo *ci = NULL;
	STACK_OF(X509) *chain;
	X509 *x;
	BIO *b;

	if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci) != CURLE_OK ||
	    ci == NULL || ci->num_of_certs <= 0)
		return NULL;
	chain = sk_X509_new_null();
	for (int i = 0; i < ci->num_of_certs; i++) {
		for (struct curl_slist *s = ci->certinfo[i]; s; s = s->next) {
			if (strncmp(s->data, "Cert:", 5) != 0)
				continue;
			b = BIO_new_mem_buf(s->data + 5, -1);
			x = PEM_read_bio_X509(b, NULL, NULL, NULL);
			BIO_free(b);
			if (x != NULL)
				sk_X509_push(chain, x);
		}
	}
	if (sk_X509_num(chain) == 0) {
		sk_X509_free(chain);
		return NULL;
	}
	return chain;
}

int
x509_verify_chain(STACK_OF(X509) *chain, const char *cafile)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int loaded, err = X509_V_ERR_UNSPECIFIED;

	if (store == NULL || ctx == NULL || sk_X509_num(chain) == 0)
		goto out;
	if (cafile != NULL && *cafile != '\0')
		loaded = X509_STORE_load_file(store, cafile);
	else
		loaded = X509_STORE_set_default_paths(store);
	if (loaded != 1 || X509_STORE_CTX_init(ctx, store,
	    sk_X509_value(chain, 0), chain) != 1)
		goto out;
	/* Dates are judged apart: "expired" and "untrusted" are two
	 * different repairs. */
	X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
	    X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
	if (X509_verify_cert(ctx) == 1)
		err = X509_V_OK;
	else
		err = X509_STORE_CTX_get_error(ctx);
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return err;
}

int
x509_covers(X509 *x, const char *name)
{
	unsigned char addr[16];

	if (inet_pton(AF_INET, name, addr) == 1 ||
	    inet_pton(AF_INET6, name, addr) == 1)
		return X509_check_ip_asc(x, name, 0) == 1;
	return X509_check_host(x, name, 0,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
}

long
x509_days_left(X509 *x, time_t now, int *not_yet)
{
	time_t end, begin;
	long long d;

	*not_yet = x509_time(X509_get0_notBefore(x), &begin) == 0 &&
	    begin > now;
	if (x509_time(X509_get0_notAfter(x), &end) != 0)
		return -1;
	d = (long long)end - (long long)now;
	/* Whole days, rounded down: one second past the end is -1. */
	if (d >= 0)
		return (long)(d / 86400);
	return (long)(-1 - (-d - 1) / 86400);
}

static char *
name_line(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *s;
	long len;

	X509_NAME_print_ex(b, n, 0, XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN |
	    (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB));
	len = BIO_get_mem_data(b, &p);
	s = xstrndup(p, len > 0 ? (size_t)len : 0);
	BIO_free(b);
	return s;
}

char *
x509_subject(X509 *x)
{
	return name_line(X509_get_subject_name(x));
}

char *
x509_issuer(X509 *x)
{
	return name_line(X509_get_issuer_name(x));
}

char *
x509_issuer_org(X509 *x)
{
	char org[256];

	if (X509_NAME_get_text_by_NID(X509_get_issuer_name(x),
	    NID_organizationName, org, sizeof org) < 0)
		org[0] = '\0';
	return xstrdup(org);
}
