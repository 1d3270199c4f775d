/*
 * A GetCACert answer (RFC 8894, 4.2.1): one DER certificate when the CA
 * answers alone (application/x-x509-ca-cert), or a degenerate PKCS#7
 * SignedData holding the CA and the RA certificates
 * (application/x-x509-ca-ra-cert), which is what NDES sends.
 */
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

static void
add_cert(struct cacert_list *l, X509 *x, time_t now)
{
	struct cacert_entry *e;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	e = &l->v[l->n++];
	e->subject = x509_subject(x);
	e->issuer = x509_issuer(x);
	/* RA certificates are end entities; X509_check_ca says which. */
	e->is_ca = X509_check_ca(x) != 0;
	e->days_left = x509_days_left(x, now, &e->not_yet);
}

/* "Type/Sub; charset=..." equals want, ignoring case and parameters. */
static int
media_is(const char *ct, const char *want)
{
	size_t n = strlen(want);

	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, want, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int
parse_der(const unsigned char *data, size_t len, time_t now,
    struct cacert_list *l, char *err, size_t errlen)
{
	const unsigned char *p = data;
	X509 *x;

	x = d2i_X509(NULL, &p, (long)len);
	if (x == NULL || p != data + len) {
		snprintf(err, errlen, "the answer is not one DER certificate "
		    "(%zu bytes)", len);
		X509_free(x);
		return -1;
	}
	add_cert(l, x, now);
	X509_free(x);
	return 0;
}

static int
parse_pkcs7(const unsigned char *data, size_t len, time_t now,
    struct cacert_list *l, char *err, size_t errlen)
{
	const unsigned char *p = data;
	STACK_OF(X509) *certs;
	PKCS7 *p7;

	p7 = d2i_PKCS7(NULL, &p, (long)len);
	if (p7 == NULL || !PKCS7_type_is_signed(p7) ||
	    p7->d.sign == NULL) {
		snprintf(err, errlen, "the answer is not a PKCS#7 SignedData "
		    "(%zu bytes)", len);
		PKCS7_free(p7);
		return -1;
	}
	certs = p7->d.sign->cert;
	for (int i = 0; i < sk_X509_num(certs); i++)
		add_cert(l, sk_X509_value(certs, i), now);
	PKCS7_free(p7);
	if (l->n == 0) {
		snprintf(err, errlen, "the PKCS#7 answer holds no "
		    "certificate");
		return -1;
	}
	return 0;
}

int
cacert_parse(const char *content_type, const unsigned char *data,
    size_t len, time_t now, struct cacert_list *l, char *err, size_t errlen)
{
	int rc = -1;

	memset(l, 0, sizeof *l);
	if (content_type == NULL)
		content_type = "";
	if (media_is(content_type, "application/x-x509-ca-cert"))
		rc = parse_der(data, len, now, l, err, errlen);
	else if (media_is(content_type, "application/x-x509-ca-ra-cert")) {
		l->pkcs7 = 1;
		rc = parse_pkcs7(data, len, now, l, err, errlen);
	} else
		snprintf(err, errlen, "Content-Type '%s' is not a SCEP "
		    "certificate answer (application/x-x509-ca-cert or "
		    "application/x-x509-ca-ra-cert)", content_type);
	if (rc != 0)
		cacert_free(l);
	return rc;
}

void
cacert_free(struct cacert_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].subject);
		free(l->v[i].issuer);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}
