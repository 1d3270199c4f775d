/*
 * The health check's parsers and tables: GetCACaps text, GetCACert as
 * DER and as PKCS#7 (both made here with OpenSSL), what each status and
 * each transport error means, the proxy bypass list, the clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include "probe.h"

/* --- GetCACaps ------------------------------------------------------ */

static void
test_cacaps_ndes(void **state)
{
	/* As NDES on Server 2022 answers: CRLF, mixed case. */
	const char *s = "POSTPKIOperation\r\nRenewal\r\nSHA-512\r\nSHA-256\r\n"
	    "SHA-1\r\nDES3\r\n";
	struct cacaps c;

	(void)state;
	cacaps_parse(s, strlen(s), &c);
	assert_int_equal(c.n, 6);
	assert_int_equal(c.unknown, 0);
	assert_true(c.known & CACAP_POSTPKIOPERATION);
	assert_true(c.known & CACAP_SHA256);
	assert_true(c.known & CACAP_SHA512);
	assert_false(c.known & CACAP_AES);
}

static void
test_cacaps_case_and_blanks(void **state)
{
	const char *s = "\n  postpkioperation \n\tsha-256\t\nAes\n\nFrobnicate"
	    "\nSHA-2567\n";
	struct cacaps c;

	(void)state;
	cacaps_parse(s, strlen(s), &c);
	assert_int_equal(c.n, 5);
	assert_int_equal(c.unknown, 2);
	assert_int_equal(c.known, CACAP_POSTPKIOPERATION | CACAP_SHA256 |
	    CACAP_AES);
	assert_string_equal(cacaps_name(CACAP_SHA256), "SHA-256");
	assert_null(cacaps_name(0x8000));
}

static void
test_cacaps_empty_and_binary(void **state)
{
	const char bin[] = { 'A', 'E', 'S', '\0', '\n', 'D', 'E', 'S', '3' };
	struct cacaps c;

	(void)state;
	cacaps_parse("", 0, &c);
	assert_int_equal(c.n, 0);
	cacaps_parse(" \r\n\r\n", 5, &c);
	assert_int_equal(c.n, 0);
	/* A NUL is blank space, not an end: the length rules. */
	cacaps_parse(bin, sizeof bin, &c);
	assert_int_equal(c.known, CACAP_AES | CACAP_DES3);
}

/* --- GetCACert ------------------------------------------------------ */

static EVP_PKEY *
new_key(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

	assert_non_null(k);
	return k;
}

/* A certificate valid from now+from to now+to days, signed by issuer
 * (NULL: itself). */
static X509 *
new_cert(const char *cn, int ca, long from, long to, X509 *issuer,
    EVP_PKEY *key, EVP_PKEY *issuer_key)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	X509V3_CTX v3;
	X509_EXTENSION *ext;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(random() & 0xffff));
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509_NAME_free(n);
	X509_gmtime_adj(X509_getm_notBefore(x), from * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), to * 86400);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints,
	    ca ? "critical,CA:TRUE" : "CA:FALSE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	assert_true(X509_sign(x, issuer_key ? issuer_key : key,
	    EVP_sha256()) > 0);
	return x;
}

struct pki {
	EVP_PKEY *ca_key, *ra_key;
	X509 *ca, *ra_good, *ra_soon, *ra_old;
};

static int
pki_setup(void **state)
{
	struct pki *p = calloc(1, sizeof *p);

	p->ca_key = new_key();
	p->ra_key = new_key();
	p->ca = new_cert("Unit CA", 1, -1, 3650, NULL, p->ca_key, NULL);
	p->ra_good = new_cert("UNIT-RA", 0, -1, 365, p->ca, p->ra_key,
	    p->ca_key);
	p->ra_soon = new_cert("UNIT-RA-SOON", 0, -1, 10, p->ca, p->ra_key,
	    p->ca_key);
	p->ra_old = new_cert("UNIT-RA-OLD", 0, -400, -35, p->ca, p->ra_key,
	    p->ca_key);
	*state = p;
	return 0;
}

static int
pki_teardown(void **state)
{
	struct pki *p = *state;

	X509_free(p->ca);
	X509_free(p->ra_good);
	X509_free(p->ra_soon);
	X509_free(p->ra_old);
	EVP_PKEY_free(p->ca_key);
	EVP_PKEY_free(p->ra_key);
	free(p);
	return 0;
}

static unsigned char *
der_of(X509 *x, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);

	assert_true(n > 0);
	*len = (size_t)n;
	return der;
}

/* A degenerate SignedData: certificates, no signers, as NDES sends. */
static unsigned char *
pkcs7_of(X509 **certs, size_t n, size_t *len)
{
	PKCS7 *p7 = PKCS7_new();
	unsigned char *der = NULL;
	int k;

	assert_int_equal(PKCS7_set_type(p7, NID_pkcs7_signed), 1);
	assert_int_equal(PKCS7_content_new(p7, NID_pkcs7_data), 1);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(PKCS7_add_certificate(p7, certs[i]), 1);
	k = i2d_PKCS7(p7, &der);
	assert_true(k > 0);
	PKCS7_free(p7);
	*len = (size_t)k;
	return der;
}

static void
test_cacert_der(void **state)
{
	struct pki *p = *state;
	struct cacert_list l;
	unsigned char *der;
	char err[256];
	size_t len;

	der = der_of(p->ca, &len);
	assert_int_equal(cacert_parse("application/x-x509-ca-cert", der, len,
	    time(NULL), &l, err, sizeof err), 0);
	assert_int_equal(l.n, 1);
	assert_false(l.pkcs7);
	assert_true(l.v[0].is_ca);
	assert_string_equal(l.v[0].subject, "CN=Unit CA");
	assert_true(l.v[0].days_left >= 3649 && l.v[0].days_left <= 3650);
	cacert_free(&l);

	/* Parameters and case in the media type do not matter. */
	assert_int_equal(cacert_parse("Application/X-X509-CA-Cert; x=1", der,
	    len, time(NULL), &l, err, sizeof err), 0);
	cacert_free(&l);

	/* Trailing bytes, a cut answer, the wrong type: refused. */
	der = realloc(der, len + 1);
	der[len] = 0;
	assert_int_equal(cacert_parse("application/x-x509-ca-cert", der,
	    len + 1, time(NULL), &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "not one DER certificate"));
	assert_int_equal(cacert_parse("application/x-x509-ca-cert", der,
	    len / 2, time(NULL), &l, err, sizeof err), -1);
	assert_int_equal(cacert_parse("text/html", der, len, time(NULL), &l,
	    err, sizeof err), -1);
	assert_non_null(strstr(err, "'text/html'"));
	assert_int_equal(cacert_parse(NULL, der, len, time(NULL), &l, err,
	    sizeof err), -1);
	assert_int_equal(l.n, 0);
	OPENSSL_free(der);
}

static void
test_cacert_pkcs7(void **state)
{
	struct pki *p = *state;
	X509 *certs[] = { p->ca, p->ra_soon, p->ra_good, p->ra_old };
	struct cacert_list l;
	unsigned char *der;
	char err[256];
	size_t len;

	der = pkcs7_of(certs, nitems(certs), &len);
	assert_int_equal(cacert_parse("application/x-x509-ca-ra-cert", der,
	    len, time(NULL), &l, err, sizeof err), 0);
	assert_true(l.pkcs7);
	assert_int_equal(l.n, 4);
	assert_true(l.v[0].is_ca);
	assert_false(l.v[1].is_ca);
	assert_string_equal(l.v[1].subject, "CN=UNIT-RA-SOON");
	assert_string_equal(l.v[1].issuer, "CN=Unit CA");
	assert_true(l.v[1].days_left >= 9 && l.v[1].days_left <= 10);
	assert_true(l.v[2].days_left >= 364);
	assert_true(l.v[3].days_left < 0);
	assert_true(l.v[3].days_left >= -36 && l.v[3].days_left <= -35);
	cacert_free(&l);

	/* A DER certificate is not a PKCS#7, and an empty one is no use. */
	OPENSSL_free(der);
	der = der_of(p->ca, &len);
	assert_int_equal(cacert_parse("application/x-x509-ca-ra-cert", der,
	    len, time(NULL), &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a PKCS#7"));
	OPENSSL_free(der);
	der = pkcs7_of(NULL, 0, &len);
	assert_int_equal(cacert_parse("application/x-x509-ca-ra-cert", der,
	    len, time(NULL), &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "no certificate"));
	OPENSSL_free(der);
}

static void
test_x509_helpers(void **state)
{
	struct pki *p = *state;
	time_t now = time(NULL);
	int not_yet;
	X509 *later;

	assert_true(x509_days_left(p->ra_soon, now, &not_yet) >= 9);
	assert_false(not_yet);
	/* A minute past the end is already "-1 days". */
	assert_int_equal(x509_days_left(p->ra_soon, now + 10 * 86400 + 60,
	    &not_yet), -1);
	later = new_cert("LATER", 0, 2, 30, p->ca, p->ra_key, p->ca_key);
	x509_days_left(later, now, &not_yet);
	assert_true(not_yet);
	X509_free(later);
	assert_false(x509_covers(p->ca, "127.0.0.1"));
	assert_false(x509_covers(p->ca, "ndes.example.com"));
}

/* --- what the answers mean ------------------------------------------ */

static void
test_mscep_status_table(void **state)
{
	static const struct {
		long status;
		enum severity sev;
		const char *kind;
	} cases[] = {
		{ 403, SEV_OK, "403" },
		{ 200, SEV_ERROR, "200" },
		{ 301, SEV_ERROR, "redirect" },
		{ 302, SEV_ERROR, "redirect" },
		{ 308, SEV_ERROR, "redirect" },
		{ 401, SEV_ERROR, "401" },
		{ 404, SEV_ERROR, "404" },
		{ 414, SEV_ERROR, "414" },
		{ 500, SEV_ERROR, "500" },
		{ 503, SEV_ERROR, "503" },
		{ 502, SEV_ERROR, "http-other" },
		{ 204, SEV_ERROR, "http-other" },
		{ 0, SEV_ERROR, "http-other" },
	};

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		const struct status_rule *r;

		r = mscep_status_rule(cases[i].status);

		assert_non_null(r);
		assert_string_equal(r->kind, cases[i].kind);
		assert_int_equal(r->sev, cases[i].sev);
		assert_non_null(r->what);
		/* Every trouble says what to do next. */
		if (r->sev != SEV_OK)
			assert_non_null(r->hint);
	}
}

static void
test_transport_table(void **state)
{
	static const struct {
		CURLcode rc;
		long verify;
		int os_errno;
		long connect_code;
		int proxied;
		const char *kind;
	} cases[] = {
		{ CURLE_COULDNT_RESOLVE_HOST, 0, 0, 0, 0, "dns" },
		{ CURLE_COULDNT_CONNECT, 0, ECONNREFUSED, 0, 0, "refused" },
		{ CURLE_COULDNT_CONNECT, 0, EHOSTUNREACH, 0, 0, "unreachable" },
		{ CURLE_COULDNT_CONNECT, 0, ECONNREFUSED, 0, 1,
		  "proxy-unreachable" },
		{ CURLE_COULDNT_RESOLVE_PROXY, 0, 0, 0, 1, "proxy-dns" },
		{ CURLE_OPERATION_TIMEDOUT, 0, 0, 0, 0, "timeout" },
		{ CURLE_PEER_FAILED_VERIFICATION, X509_V_OK, 0, 0, 0,
		  "tls-name-mismatch" },
		{ CURLE_PEER_FAILED_VERIFICATION, X509_V_ERR_UNSPECIFIED, 0, 0,
		  0, "tls-name-mismatch" },
		{ CURLE_PEER_FAILED_VERIFICATION, X509_V_ERR_CERT_HAS_EXPIRED,
		  0, 0, 0, "tls-expired" },
		{ CURLE_PEER_FAILED_VERIFICATION,
		  X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0, 0, 0,
		  "tls-untrusted" },
		{ CURLE_PEER_FAILED_VERIFICATION,
		  X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 0, 0, 0,
		  "tls-untrusted" },
		{ CURLE_SSL_CONNECT_ERROR, 0, 0, 0, 0, "tls-handshake" },
		{ CURLE_GOT_NOTHING, 0, 0, 0, 0, "reset" },
		{ CURLE_RECV_ERROR, 0, ECONNRESET, 0, 0, "reset" },
		{ CURLE_RECV_ERROR, 0, 0, 407, 1, "proxy-auth" },
		{ CURLE_RECV_ERROR, 0, 0, 401, 1, "proxy-auth" },
		{ CURLE_RECV_ERROR, 0, 0, 403, 1, "proxy-denied" },
		/* Not through a proxy, a CONNECT code cannot matter. */
		{ CURLE_RECV_ERROR, 0, 0, 407, 0, "reset" },
		{ CURLE_UNSUPPORTED_PROTOCOL, 0, 0, 0, 0, "transport" },
	};

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		const struct transport_rule *t = transport_classify(
		    cases[i].rc, cases[i].verify, cases[i].os_errno,
		    cases[i].connect_code, cases[i].proxied);

		assert_string_equal(t->kind, cases[i].kind);
		assert_non_null(t->hint);
	}
}

/* The Windows build's curl (Schannel) gives no verify code: its words
 * are read instead, and classify as the OpenSSL codes would. */
static void
test_schannel_words(void **state)
{
	static const struct {
		const char *msg, *kind;
	} cases[] = {
		{ "schannel: CertGetNameString() failed to match connection "
		  "hostname (127.0.0.1) against server certificate names",
		  "tls-name-mismatch" },
		{ "schannel: SEC_E_WRONG_PRINCIPAL (0x80090322)",
		  "tls-name-mismatch" },
		{ "schannel: CertGetCertificateChain trust error "
		  "CERT_TRUST_IS_PARTIAL_CHAIN", "tls-untrusted" },
		{ "schannel: SEC_E_UNTRUSTED_ROOT (0x80090325) - The "
		  "certificate chain was issued by an authority that is not "
		  "trusted.", "tls-untrusted" },
		{ "schannel: CertGetCertificateChain trust error "
		  "CERT_TRUST_IS_NOT_TIME_VALID", "tls-expired" },
		{ "schannel: SEC_E_CERT_EXPIRED (0x80090328)", "tls-expired" },
		{ "schannel: CertGetCertificateChain trust error "
		  "CERT_TRUST_IS_REVOKED", "tls-revoked" },
		{ "schannel: something new", "tls-untrusted" },
		{ "", "tls-untrusted" },
	};

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++)
		assert_string_equal(transport_classify(
		    CURLE_PEER_FAILED_VERIFICATION,
		    schannel_verify_result(cases[i].msg), 0, 0, 0)->kind,
		    cases[i].kind);
	assert_string_equal(transport_classify(CURLE_PEER_FAILED_VERIFICATION,
	    schannel_verify_result(NULL), 0, 0, 0)->kind, "tls-untrusted");
}

static void
test_proxy_bypass(void **state)
{
	struct proxy_conf pc = {0};
	char *list[] = { "<local>", "*.contoso.com", ".fabrikam.net",
	    "exact.example.org" };
	char *shown;

	(void)state;
	pc.bypass = list;
	pc.nbypass = nitems(list);
	assert_true(proxy_bypassed(&pc, "ndes01"));
	assert_false(proxy_bypassed(&pc, "ndes01.corp"));
	assert_true(proxy_bypassed(&pc, "ca.contoso.com"));
	assert_true(proxy_bypassed(&pc, "A.B.CONTOSO.COM"));
	assert_false(proxy_bypassed(&pc, "contoso.com"));
	assert_false(proxy_bypassed(&pc, "evilcontoso.com"));
	assert_true(proxy_bypassed(&pc, "x.fabrikam.net"));
	assert_true(proxy_bypassed(&pc, "exact.example.org"));
	assert_false(proxy_bypassed(&pc, "login.microsoftonline.com"));
	pc.nbypass = 0;
	assert_false(proxy_bypassed(&pc, "ndes01"));

	/* Credentials in the URL never reach a message. */
	shown = proxy_display("http://user:pa55word@proxy.contoso.com:8080");
	assert_null(strstr(shown, "pa55word"));
	assert_null(strstr(shown, "user"));
	assert_non_null(strstr(shown, "proxy.contoso.com:8080"));
	free(shown);
}

static void
test_date_skew(void **state)
{
	const char *d = "Sun, 06 Nov 1994 08:49:37 GMT";
	time_t t = 784111777;
	int ok;

	(void)state;
	assert_int_equal(date_skew(d, t, &ok), 0);
	assert_true(ok);
	/* Our clock ten minutes ahead: the server is "behind" by -600. */
	assert_int_equal(date_skew(d, t + 600, &ok), -600);
	assert_int_equal(date_skew(d, t - 301, &ok), 301);
	assert_int_equal(date_skew("yesterday-ish", t, &ok), 0);
	assert_false(ok);
	assert_int_equal(date_skew(NULL, t, &ok), 0);
	assert_false(ok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cacaps_ndes),
		cmocka_unit_test(test_cacaps_case_and_blanks),
		cmocka_unit_test(test_cacaps_empty_and_binary),
		cmocka_unit_test(test_cacert_der),
		cmocka_unit_test(test_cacert_pkcs7),
		cmocka_unit_test(test_x509_helpers),
		cmocka_unit_test(test_mscep_status_table),
		cmocka_unit_test(test_transport_table),
		cmocka_unit_test(test_schannel_words),
		cmocka_unit_test(test_proxy_bypass),
		cmocka_unit_test(test_date_skew),
	};

	return cmocka_run_group_tests_name("check parsers", tests,
	    pki_setup, pki_teardown);
}
