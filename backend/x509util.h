/* Small certificate facts the steps need, from PEM text (OpenSSL). */
#ifndef NDESWIZ_X509UTIL_H
#define NDESWIZ_X509UTIL_H

#include <stddef.h>
#include <time.h>

#include <openssl/asn1.h>

struct x509_facts {
	char subject[256];
	char template_name[64]; /* Microsoft v1 template name, if any */
	time_t not_before, not_after;
	int has_key;            /* the PEM holds a private key too, or the
	                           store does (CERTIO_KEY_HELD) */
	int self_issued;
	int v2_template;        /* has szOID_CERTIFICATE_TEMPLATE (a template
	                           OID, no name: 1.3.6.1.4.1.311.21.7) */
	int request_agent;      /* EKU Certificate Request Agent
	                           (1.3.6.1.4.1.311.20.2.1) */
	unsigned long key_usage; /* X509v3_KU_* bits; 0 when absent */
};

/* An ASN1_TIME as seconds since the epoch: 0, or -1 when it has none. */
int x509_time(const ASN1_TIME *, time_t *out);
/* The first certificate of pem, or NULL (caller frees). */
X509 *x509_from_pem(const char *pem);
/* 0 and facts from the first certificate of pem, or -1. */
int x509_pem_facts(const char *pem, struct x509_facts *);
/* 1 self-issued (subject = issuer), 0 not, -1 not a certificate. */
int x509_pem_self_issued(const char *pem);

#endif
