/*
 * The rules a TLS server certificate for NDES must meet (README.md, "The
 * rules about the server": the binding.* rows), with OpenSSL 3. The binding step checks the certificate it is
 * about to bind, the health check the one the server presents: both get
 * the same findings, coded "<step>.<rule>" (binding.expired,
 * health.expired), so an admin reads the same words in both places.
 */
#ifndef NDESWIZ_X509CHECK_H
#define NDESWIZ_X509CHECK_H

#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "finding.h"

/* Warn when fewer days than this are left. */
#define X509CHECK_WARN_DAYS 30
/* SHA-1 of the DER certificate, upper-case hex, as Windows shows it. */
#define X509CHECK_THUMB_LEN 40

struct x509check {
	const char *step;      /* finding step, and the codes' prefix */
	const char *field;     /* the field findings point at, or NULL */
	const char *what;      /* how messages name it: "the certificate in
	                          a.pem"; NULL: "the certificate" */
	const char *fqdn;      /* CN must be it, SAN must cover it; NULL or
	                          empty: names are not checked */
	char *const *names;    /* more names the SAN must cover */
	size_t nnames;
	const char *ca_file;   /* PEM file of trusted roots; NULL or empty:
	                          the chain is not checked */
	const char *ca_field;  /* the field that named ca_file */
	STACK_OF(X509) *chain; /* intermediates that came with it, or NULL */
	EVP_PKEY *key;         /* its private key, or NULL */
	int need_key;          /* a missing key is an error (binding) */
	int key_held;          /* no key given, but the store holds it
	                          (CERTIO_KEY_HELD): present, not compared */
	time_t now;            /* 0: the current time (tests set it) */
};

/*
 * Run every rule and add a finding for each problem, and one ok finding
 * when there is none. Returns the number of errors added.
 */
int x509check_run(const struct x509check *, X509 *, struct findings *);

/* Thumbprint into out (X509CHECK_THUMB_LEN + 1 bytes); 0 or -1. */
int x509check_thumbprint(X509 *, char *out);

/*
 * Does a SAN dNSName cover a name clients use? RFC 6125 with the strict
 * reading: a wildcard is only "*" as the whole left-most label, stands
 * for exactly one label, and needs at least two labels after it. A
 * wanted name that is itself a wildcard is covered only by the same
 * wildcard. Case-insensitive.
 */
enum x509check_match {
	X509CHECK_MATCH,
	X509CHECK_NO_MATCH,
	X509CHECK_WILDCARD_DEPTH,   /* "*.a.com" against "x.y.a.com" */
	X509CHECK_WILDCARD_PARTIAL, /* "w*.a.com": not a whole label */
	X509CHECK_WILDCARD_BROAD,   /* "*.com": too few labels after it */
};
enum x509check_match x509check_name_covers(const char *pattern,
    const char *name);

/* "RSA 3072", "EC P-256", ... for messages. */
void x509check_key_desc(EVP_PKEY *, char *out, size_t len);

#endif
