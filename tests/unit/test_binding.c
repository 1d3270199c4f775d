/*
 * The certificate binding step: every rule both ways, every source, the
 * request path and the plan. Certificates are made here, in memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "certgen.h"
#include "certio.h"
#include "memhost.h"
#include "step.h"
#include "x509check.h"

#define FQDN "ndes01.contoso.com"
#define EXT "scep.contoso.com"
#define SITE "|system.applicationHost/sites/site[@name='Default Web Site']"
#define HTTPS SITE "/bindings/binding[@protocol='https']" \
	"[@bindingInformation='*:443:']"
#define HTTP SITE "/bindings/binding[@protocol='http']" \
	"[@bindingInformation='*:80:']"
#define ADMIN SITE "/application[@path='/CertSrv/mscep_admin']"
#define HIDDEN "Default Web Site|system.webServer/security/" \
	"requestFiltering/hiddenSegments/add[@segment='mscep_admin']"
#define APPID "{4dc3e181-e14b-4a21-b022-59fc669b0914}"
#define SSLKEY "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services" \
	"\\HTTP\\Parameters\\SslBindingInfo\\"

extern const struct step step_binding;

/* Made once for the whole run: key generation is the slow part. */
static struct {
	char dir[64];
	EVP_PKEY *ca_key, *key, *other_key, *small_key, *ec_key;
	X509 *ca, *other_ca, *inter;
	char *ca_file, *other_ca_file;
} fx;

static char *
tmp(const char *name)
{
	return xasprintf("%s/%s", fx.dir, name);
}

static int
setup(void **state)
{
	struct certspec ca = { .cn = "Contoso Root CA", .ca = 1,
	    .ku = "critical,keyCertSign,cRLSign", .from_days = -30,
	    .to_days = 3650 };
	struct certspec other = ca, inter = ca;

	(void)state;
	snprintf(fx.dir, sizeof fx.dir, "/tmp/ndeswiz-binding.XXXXXX");
	if (mkdtemp(fx.dir) == NULL)
		return -1;
	/* RSA only where a case needs it: under valgrind, RSA key
	 * generation is most of the run. */
	fx.ca_key = certgen_ec("P-384");
	fx.key = certgen_rsa(2048);
	fx.other_key = certgen_ec("P-256");
	fx.small_key = certgen_rsa(1024);
	fx.ec_key = certgen_ec("P-256");
	fx.ca = certgen_cert(&ca, fx.ca_key);
	other.cn = "Fabrikam Root CA";
	fx.other_ca = certgen_cert(&other, fx.other_key);
	inter.cn = "Contoso Issuing CA";
	inter.issuer = fx.ca;
	inter.issuer_key = fx.ca_key;
	fx.inter = certgen_cert(&inter, fx.ec_key);
	fx.ca_file = tmp("ca.pem");
	fx.other_ca_file = tmp("other-ca.pem");
	certgen_write_pem(fx.ca_file, fx.ca, NULL, NULL);
	certgen_write_pem(fx.other_ca_file, fx.other_ca, NULL, NULL);
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", fx.dir);

	(void)state;
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fx.dir);
	free(cmd);
	free(fx.ca_file);
	free(fx.other_ca_file);
	X509_free(fx.ca);
	X509_free(fx.other_ca);
	X509_free(fx.inter);
	EVP_PKEY_free(fx.ca_key);
	EVP_PKEY_free(fx.key);
	EVP_PKEY_free(fx.other_key);
	EVP_PKEY_free(fx.small_key);
	EVP_PKEY_free(fx.ec_key);
	return 0;
}

/* A certificate that meets every rule for FQDN and EXT. */
static struct certspec
good_spec(void)
{
	struct certspec s = {
		.cn = FQDN,
		.san = "DNS:" FQDN ",DNS:" EXT,
		.eku = "serverAuth",
		.ku = "critical,digitalSignature,keyEncipherment",
		.from_days = -1,
		.to_days = 365,
		.issuer = fx.ca,
		.issuer_key = fx.ca_key,
	};

	return s;
}

static void
good_answers(struct answers *a)
{
	answers_init(a);
	answers_put(a, F_BINDING_FQDN, FQDN, SRC_SCREEN);
	answers_put(a, F_BINDING_EXTERNAL_NAMES, EXT, SRC_SCREEN);
}

/* Write cert (+ more) and key as PEM files; point the answers at them. */
static void
use_pem(struct answers *a, const char *name, X509 *x, X509 *more,
    EVP_PKEY *key)
{
	char *crt = xasprintf("%s/%s.crt", fx.dir, name);
	char *k = xasprintf("%s/%s.key", fx.dir, name);
	char *v = xasprintf("pem:%s,%s", crt, k);

	certgen_write_pem(crt, x, more, NULL);
	certgen_write_pem(k, NULL, NULL, key);
	answers_put(a, F_BINDING_CERTIFICATE, v, SRC_SCREEN);
	free(v);
	free(k);
	free(crt);
}

static void
set(struct host *h, enum res_kind kind, const char *path, const char *name,
    const char *value)
{
	char err[256];

	if (host_set(h, kind, path, name, value, err, sizeof err) != 0)
		fail_msg("host_set %s: %s", path, err);
}

/* Default Web Site as a fresh server has it: the http binding only. */
static struct host *
fresh_host(void)
{
	struct host *h = memhost_new();

	set(h, RES_IISELEM, "|system.applicationHost", NULL, "present");
	set(h, RES_IISELEM, "|system.applicationHost/sites", NULL, "present");
	set(h, RES_IISELEM, SITE, NULL, "present");
	set(h, RES_IISELEM, SITE "/bindings", NULL, "present");
	set(h, RES_IISELEM, HTTP, NULL, "present");
	return h;
}

static void
apply(struct host *h, const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		set(h, p->v[i].kind, p->v[i].path, p->v[i].name, p->v[i].new);
}

static void
plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	memset(p, 0, sizeof *p);
	memset(f, 0, sizeof *f);
	step_binding.plan(h, a, p, f);
}

static const struct change *
find_change(const struct plan *p, enum res_kind kind, const char *path)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == kind && strcmp(p->v[i].path, path) == 0)
			return &p->v[i];
	return NULL;
}

static size_t
change_index(const struct plan *p, const struct change *c)
{
	return (size_t)(c - p->v);
}

static void
thumb_of(X509 *x, char *out)
{
	assert_int_equal(x509check_thumbprint(x, out), 0);
}

/* ---- validate ---------------------------------------------------------- */

static void
test_validate_good(void **state)
{
	struct answers a;
	struct findings f = {0};

	(void)state;
	good_answers(&a);
	step_binding.validate(&a, &f);
	assert_int_equal(f.n, 0);
	/* Wildcards are names clients may use; 80 is no conflict without
	 * http, only a warning that Intune documents 443 (issue 14). */
	answers_put(&a, F_BINDING_EXTERNAL_NAMES, "*.contoso.com, "
	    "scep.fabrikam.com", SRC_SCREEN);
	answers_put(&a, F_BINDING_PORT, "80", SRC_SCREEN);
	answers_put(&a, F_BINDING_REMOVE_HTTP_BINDING, "yes", SRC_SCREEN);
	/* As certlm.msc copies it: LRM first, spaces, lower case. */
	answers_put(&a, F_BINDING_CERTIFICATE, "store:\xe2\x80\x8e"
	    "a9 99 3e 36 47 06 81 6a ba 3e 25 71 78 50 c2 6c 9c d0 d8 9d",
	    SRC_SCREEN);
	step_binding.validate(&a, &f);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].code, "binding.port-not-443");
	findings_free(&f);
	/* Without SCEP there is no NDES site to bind. */
	answers_put(&a, F_BINDING_FQDN, "", SRC_SCREEN);
	answers_put(&a, F_PREREQS_SCENARIOS, "pkcs", SRC_SCREEN);
	step_binding.validate(&a, &f);
	assert_int_equal(f.n, 0);
	answers_free(&a);
}

static const struct {
	enum field_id field;
	const char *value;
	const char *code;
	enum severity sev;
	const char *field_name;
	const char *words; /* in the message */
} bad_answers[] = {
	{ F_BINDING_FQDN, "", "binding.fqdn-missing", SEV_ERROR,
	  "binding.fqdn", "no server FQDN" },
	{ F_BINDING_FQDN, "ndes01", "binding.fqdn-not-qualified", SEV_ERROR,
	  "binding.fqdn", "'ndes01' is a short name" },
	{ F_BINDING_FQDN, "ndes_01.contoso.com", "binding.fqdn-invalid",
	  SEV_ERROR, "binding.fqdn", "is not a DNS name" },
	{ F_BINDING_FQDN, "*.contoso.com", "binding.fqdn-invalid", SEV_ERROR,
	  "binding.fqdn", "is a wildcard" },
	{ F_BINDING_FQDN, "10.0.0.5", "binding.fqdn-invalid", SEV_ERROR,
	  "binding.fqdn", "IP address" },
	{ F_BINDING_FQDN, "ndes01.contoso.com.", "binding.fqdn-invalid",
	  SEV_ERROR, "binding.fqdn", "'ndes01.contoso.com.'" },
	{ F_BINDING_EXTERNAL_NAMES, EXT ", bad..name",
	  "binding.external-name-invalid", SEV_ERROR,
	  "binding.external_names", "'bad..name' is not a DNS name" },
	{ F_BINDING_EXTERNAL_NAMES, "s*.contoso.com",
	  "binding.external-name-invalid", SEV_ERROR,
	  "binding.external_names", "not a usable wildcard" },
	{ F_BINDING_EXTERNAL_NAMES, "*.com", "binding.external-name-invalid",
	  SEV_ERROR, "binding.external_names", "two labels after it" },
	{ F_BINDING_EXTERNAL_NAMES, "192.168.1.10",
	  "binding.external-name-invalid", SEV_ERROR,
	  "binding.external_names", "IP address" },
	{ F_BINDING_CERTIFICATE, "store:1234", "binding.thumbprint-invalid",
	  SEV_ERROR, "binding.certificate", "'store:1234'" },
	{ F_BINDING_CERTIFICATE,
	  "store:G9993E364706816ABA3E25717850C26C9CD0D89D",
	  "binding.thumbprint-invalid", SEV_ERROR, "binding.certificate",
	  "store: source" },
	{ F_BINDING_CERTIFICATE, "pem:server.pem",
	  "binding.pem-source-invalid", SEV_ERROR, "binding.certificate",
	  "'pem:server.pem'" },
	{ F_BINDING_CERTIFICATE, "pem:server.pem, ",
	  "binding.pem-source-invalid", SEV_ERROR, "binding.certificate",
	  "pem: source" },
	{ F_BINDING_CERTIFICATE, "", "binding.certificate-missing", SEV_ERROR,
	  "binding.certificate", "no certificate source" },
	/* A secret reference is not repeated in messages. */
	{ F_BINDING_PFX_PASSWORD, "env:PFX_PW", "binding.pfx-password-unused",
	  SEV_WARN, "binding.pfx_password", "does not come from a .pfx" },
	{ F_BINDING_PORT, "80", "binding.port-conflict", SEV_ERROR,
	  "binding.port", "port 80" },
};

static void
test_validate_each_rule(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(bad_answers); i++) {
		struct answers a;
		struct findings f = {0};
		const struct finding *x;

		good_answers(&a);
		answers_put(&a, bad_answers[i].field, bad_answers[i].value,
		    SRC_SCREEN);
		step_binding.validate(&a, &f);
		x = findings_find(&f, bad_answers[i].code);
		if (x == NULL || f.n != 1)
			fail_msg("case %zu (%s): %zu findings, no %s", i,
			    bad_answers[i].value, f.n, bad_answers[i].code);
		assert_int_equal(x->sev, bad_answers[i].sev);
		assert_string_equal(x->field, bad_answers[i].field_name);
		assert_non_null(x->hint);
		if (strstr(x->message, bad_answers[i].words) == NULL)
			fail_msg("case %zu: %s", i, x->message);
		findings_free(&f);
		answers_free(&a);
	}
}

/* ---- name matching (RFC 6125) ------------------------------------------ */

static void
test_name_covers(void **state)
{
	static const struct {
		const char *pattern, *name;
		enum x509check_match want;
	} cases[] = {
		{ "scep.contoso.com", "SCEP.Contoso.COM", X509CHECK_MATCH },
		{ "*.contoso.com", "scep.contoso.com", X509CHECK_MATCH },
		{ "*.Contoso.com", "SCEP.contoso.com", X509CHECK_MATCH },
		{ "*.contoso.com", "a.b.contoso.com",
		  X509CHECK_WILDCARD_DEPTH },
		{ "s*.contoso.com", "scep.contoso.com",
		  X509CHECK_WILDCARD_PARTIAL },
		{ "*p.contoso.com", "scep.contoso.com",
		  X509CHECK_WILDCARD_PARTIAL },
		{ "*.com", "contoso.com", X509CHECK_WILDCARD_BROAD },
		{ "*.contoso.com", "contoso.com", X509CHECK_NO_MATCH },
		{ "*.contoso.com", "scep.contoso.org", X509CHECK_NO_MATCH },
		{ "*.*.com", "a.b.com", X509CHECK_NO_MATCH },
		{ "*", "host", X509CHECK_NO_MATCH },
		{ "*.contoso.com", "*.contoso.com", X509CHECK_MATCH },
		{ "scep.contoso.com", "*.contoso.com", X509CHECK_NO_MATCH },
		{ "*.sub.contoso.com", "*.contoso.com", X509CHECK_NO_MATCH },
	};

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++)
		if (x509check_name_covers(cases[i].pattern, cases[i].name) !=
		    cases[i].want)
			fail_msg("%s vs %s: got %d, want %d", cases[i].pattern,
			    cases[i].name, x509check_name_covers(
			    cases[i].pattern, cases[i].name), cases[i].want);
}

/* ---- certificate rules, through a pem: source -------------------------- */

static void t_expired(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->from_days = -400; s->to_days = -1; }
static void t_future(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->from_days = 2; s->to_days = 400; }
static void t_soon(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->from_days = -300; s->to_days = 10; }
static void t_client(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->eku = "clientAuth"; }
static void t_no_eku(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->eku = NULL; }
static void t_ku(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->ku = "critical,nonRepudiation"; }
static void t_cn(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->cn = "www.contoso.com"; }
static void t_cn_ext(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->cn = EXT; }
static void t_cn_ext_nosan(struct certspec *s, EVP_PKEY **k,
    struct answers *a)
{ (void)k; (void)a; s->cn = EXT; s->san = "DNS:" EXT; }
static void t_no_cn(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->cn = NULL; }
static void t_no_san(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->san = NULL; }
static void t_san_fqdn(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->san = "DNS:" FQDN; }
static void t_depth(struct certspec *s, EVP_PKEY **k, struct answers *a)
{
	(void)k;
	s->san = "DNS:" FQDN ",DNS:*.contoso.com";
	answers_put(a, F_BINDING_EXTERNAL_NAMES, "scep.dmz.contoso.com",
	    SRC_SCREEN);
}
static void t_partial(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->san = "DNS:" FQDN ",DNS:s*.contoso.com"; }
static void t_wild_want(struct certspec *s, EVP_PKEY **k, struct answers *a)
{
	(void)k;
	s->san = "DNS:" FQDN ",DNS:scep.contoso.com";
	answers_put(a, F_BINDING_EXTERNAL_NAMES, "*.contoso.com", SRC_SCREEN);
}
static void t_small(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)s; (void)a; *k = fx.small_key; }
static void t_self(struct certspec *s, EVP_PKEY **k, struct answers *a)
{ (void)k; (void)a; s->issuer = NULL; s->issuer_key = NULL; }
static void t_untrusted(struct certspec *s, EVP_PKEY **k, struct answers *a)
{
	(void)s;
	(void)k;
	answers_put(a, F_HEALTH_CA_BUNDLE, fx.other_ca_file, SRC_SCREEN);
}
static void t_bundle(struct certspec *s, EVP_PKEY **k, struct answers *a)
{
	char *missing = tmp("no-such-bundle.pem");

	(void)s;
	(void)k;
	answers_put(a, F_HEALTH_CA_BUNDLE, missing, SRC_SCREEN);
	free(missing);
}

static const struct rule_case {
	const char *name;
	void (*tweak)(struct certspec *, EVP_PKEY **, struct answers *);
	const char *code;
	enum severity sev;
	const char *words; /* in the message */
} rule_cases[] = {
	{ "expired", t_expired, "binding.expired", SEV_ERROR, "expired on" },
	{ "not yet valid", t_future, "binding.not-yet-valid", SEV_ERROR,
	  "not valid before" },
	{ "expires soon", t_soon, "binding.expires-soon", SEV_WARN,
	  "expires in" },
	{ "wrong EKU", t_client, "binding.eku-missing", SEV_ERROR,
	  "Client Authentication" },
	{ "no EKU", t_no_eku, "binding.eku-absent", SEV_WARN,
	  "no Enhanced Key Usage" },
	{ "key usage", t_ku, "binding.key-usage", SEV_ERROR, "Key Usage" },
	{ "CN mismatch", t_cn, "binding.cn-mismatch", SEV_ERROR,
	  "'www.contoso.com'" },
	{ "CN the external name", t_cn_ext, "binding.cn-external", SEV_OK,
	  "classic NDES layout" },
	{ "CN external, SAN lacks the FQDN", t_cn_ext_nosan,
	  "binding.san-name-missing", SEV_ERROR, FQDN },
	{ "no CN", t_no_cn, "binding.cn-mismatch", SEV_ERROR, "no CN" },
	{ "no SAN", t_no_san, "binding.san-missing", SEV_ERROR,
	  "Subject Alternative Name" },
	{ "SAN lacks external", t_san_fqdn, "binding.san-name-missing",
	  SEV_ERROR, EXT },
	{ "wildcard across dots", t_depth, "binding.san-name-missing",
	  SEV_ERROR, "exactly one label" },
	{ "partial wildcard", t_partial, "binding.san-name-missing",
	  SEV_ERROR, "whole left-most label" },
	{ "wanted wildcard", t_wild_want, "binding.san-name-missing",
	  SEV_ERROR, "*.contoso.com" },
	{ "1024-bit key", t_small, "binding.key-too-small", SEV_ERROR,
	  "1024-bit" },
	{ "self-signed", t_self, "binding.self-signed", SEV_WARN,
	  "self-signed" },
	{ "unrelated CA", t_untrusted, "binding.untrusted", SEV_ERROR,
	  "does not chain" },
	{ "unreadable bundle", t_bundle, "binding.ca-bundle-unreadable",
	  SEV_ERROR, "no-such-bundle.pem" },
};

/* Make the case's certificate, plan with it, return the findings. */
static void
plan_case(const struct rule_case *rc, struct findings *f, struct plan *p)
{
	struct certspec s = good_spec();
	EVP_PKEY *key = fx.key;
	struct host *h = fresh_host();
	struct answers a;
	X509 *x;

	good_answers(&a);
	if (rc != NULL)
		rc->tweak(&s, &key, &a);
	x = certgen_cert(&s, key);
	use_pem(&a, "case", x, NULL, key);
	plan(h, &a, p, f);
	X509_free(x);
	answers_free(&a);
	memhost_free(h);
}

static void
test_good_certificate(void **state)
{
	struct findings f;
	struct plan p;
	const struct finding *ok;

	(void)state;
	plan_case(NULL, &f, &p);
	/* The other way of every rule: the good certificate trips none. */
	for (size_t i = 0; i < nitems(rule_cases); i++)
		if (findings_find(&f, rule_cases[i].code) != NULL)
			fail_msg("good certificate: %s", rule_cases[i].code);
	assert_int_equal(f.n, 1);
	ok = findings_find(&f, "binding.cert-ok");
	assert_non_null(ok);
	assert_int_equal(ok->sev, SEV_OK);
	assert_non_null(strstr(ok->message, "RSA 2048"));
	assert_true(p.n > 0);
	plan_free(&p);
	findings_free(&f);
}

static void
test_each_certificate_rule(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(rule_cases); i++) {
		const struct rule_case *rc = &rule_cases[i];
		const struct finding *x;
		struct findings f;
		struct plan p;
		int bound;

		plan_case(rc, &f, &p);
		x = findings_find(&f, rc->code);
		if (x == NULL)
			fail_msg("%s: no %s", rc->name, rc->code);
		if (x->sev != rc->sev || strstr(x->message, rc->words) ==
		    NULL || x->hint == NULL)
			fail_msg("%s: %s: %s", rc->name, severity_name(x->sev),
			    x->message);
		/* An error stops the import and the binding; a warning
		 * does not. */
		bound = find_change(&p, RES_SSLBIND, "0.0.0.0:443") != NULL;
		if (bound != (rc->sev != SEV_ERROR))
			fail_msg("%s: bound = %d", rc->name, bound);
		plan_free(&p);
		findings_free(&f);
	}
}

static void
test_rules_that_pass(void **state)
{
	struct certspec s = good_spec();
	struct host *h = fresh_host();
	struct answers a;
	struct findings f;
	struct plan p;
	X509 *x;

	(void)state;
	/* A wildcard of one whole label covers the external name. */
	good_answers(&a);
	answers_put(&a, F_BINDING_EXTERNAL_NAMES, "scep.contoso.com, "
	    "Portal.Contoso.com", SRC_SCREEN);
	s.san = "DNS:" FQDN ",DNS:*.contoso.com";
	x = certgen_cert(&s, fx.key);
	use_pem(&a, "wild", x, NULL, fx.key);
	answers_put(&a, F_HEALTH_CA_BUNDLE, fx.ca_file, SRC_SCREEN);
	plan(h, &a, &p, &f);
	assert_int_equal(f.n, 1);
	assert_non_null(findings_find(&f, "binding.cert-ok"));
	plan_free(&p);
	findings_free(&f);
	X509_free(x);

	/* EC P-256 is strong enough; the key usage EC needs. */
	s.ku = "critical,digitalSignature";
	x = certgen_cert(&s, fx.ec_key);
	use_pem(&a, "ec", x, NULL, fx.ec_key);
	plan(h, &a, &p, &f);
	if (f.n != 1 || strstr(f.v[0].message, "EC prime256v1") == NULL)
		fail_msg("EC P-256: %s", f.v[0].message);
	assert_non_null(find_change(&p, RES_SSLBIND, "0.0.0.0:443"));
	plan_free(&p);
	findings_free(&f);
	X509_free(x);
	answers_free(&a);
	memhost_free(h);
}

static void
test_key_rules(void **state)
{
	struct certspec s = good_spec();
	struct host *h = fresh_host();
	EVP_PKEY *small_ec = certgen_ec("P-224");
	EVP_PKEY *k1 = certgen_ec("secp256k1");
	struct answers a;
	struct findings f;
	struct plan p;
	X509 *x;

	(void)state;
	good_answers(&a);
	/* The key file holds another key than the certificate's. */
	x = certgen_cert(&s, fx.key);
	use_pem(&a, "mismatch", x, NULL, fx.small_key);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.key-mismatch"));
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);
	X509_free(x);

	s.ku = "critical,digitalSignature";
	x = certgen_cert(&s, small_ec);
	use_pem(&a, "p224", x, NULL, small_ec);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.key-too-small"));
	plan_free(&p);
	findings_free(&f);
	X509_free(x);

	/* A curve Windows' TLS does not offer. */
	x = certgen_cert(&s, k1);
	use_pem(&a, "k1", x, NULL, k1);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.key-unsupported"));
	assert_null(findings_find(&f, "binding.key-too-small"));
	plan_free(&p);
	findings_free(&f);
	X509_free(x);
	EVP_PKEY_free(small_ec);
	EVP_PKEY_free(k1);
	answers_free(&a);
	memhost_free(h);
}

/* Leaf from an issuing CA: trusted through the chain the file carries;
 * the issuing CA goes to LocalMachine\CA, the root nowhere. */
static void
test_chain(void **state)
{
	struct certspec s = good_spec();
	struct host *h = fresh_host();
	char inter[X509CHECK_THUMB_LEN + 1], root[X509CHECK_THUMB_LEN + 1];
	struct answers a;
	struct findings f;
	struct plan p;
	int found;
	X509 *x;

	(void)state;
	s.issuer = fx.inter;
	s.issuer_key = fx.ec_key;
	x = certgen_cert(&s, fx.key);
	good_answers(&a);
	answers_put(&a, F_HEALTH_CA_BUNDLE, fx.ca_file, SRC_SCREEN);
	use_pem(&a, "chain", x, fx.inter, fx.key);
	plan(h, &a, &p, &f);
	assert_null(findings_find(&f, "binding.untrusted"));
	assert_non_null(findings_find(&f, "binding.cert-ok"));
	thumb_of(fx.inter, inter);
	thumb_of(fx.ca, root);
	assert_non_null(plan_pending(&p, RES_CERT, "CA", inter, &found));
	plan_pending(&p, RES_CERT, "Root", root, &found);
	assert_false(found);
	plan_free(&p);
	findings_free(&f);

	/* Without the issuing CA in the file, the chain breaks. */
	use_pem(&a, "nochain", x, NULL, fx.key);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.untrusted"));
	plan_free(&p);
	findings_free(&f);
	X509_free(x);
	answers_free(&a);
	memhost_free(h);
}

/* ---- sources ----------------------------------------------------------- */

static void
test_pem_plan(void **state)
{
	struct certspec s = good_spec();
	struct host *h = fresh_host();
	char thumb[X509CHECK_THUMB_LEN + 1], *want, *bind;
	const struct change *c;
	struct certbundle b;
	struct answers a;
	struct findings f;
	struct plan p;
	char err[256];
	X509 *x;

	(void)state;
	x = certgen_cert(&s, fx.key);
	thumb_of(x, thumb);
	good_answers(&a);
	use_pem(&a, "server", x, NULL, fx.key);
	plan(h, &a, &p, &f);
	assert_int_equal(findings_worst(&f), SEV_OK);
	/* 1: import with the key; 2: the IIS binding; 3: HTTP.sys. */
	assert_int_equal(p.n, 3);
	c = find_change(&p, RES_CERT, "My");
	assert_non_null(c);
	assert_string_equal(c->name, thumb);
	assert_true(c->secret);
	assert_int_equal(certio_parse_pem(c->new, strlen(c->new), &b, err,
	    sizeof err), CERTIO_OK);
	assert_int_equal(X509_cmp(b.cert, x), 0);
	assert_int_equal(EVP_PKEY_eq(b.key, fx.key), 1);
	/* The certificate comes first, then its key. */
	assert_true(strstr(c->new, "BEGIN CERTIFICATE") <
	    strstr(c->new, "BEGIN PRIVATE KEY"));
	certbundle_free(&b);
	c = find_change(&p, RES_IISELEM, HTTPS);
	assert_non_null(c);
	assert_string_equal(c->new, "present");
	assert_null(c->old);
	c = find_change(&p, RES_SSLBIND, "0.0.0.0:443");
	assert_non_null(c);
	want = xasprintf("hash=%s;store=MY;appid=%s", thumb, APPID);
	assert_string_equal(c->new, want);
	free(want);
	/* The http binding stays unless asked; nothing else is touched. */
	assert_null(find_change(&p, RES_IISELEM, HTTP));

	/* Applied, a second plan has nothing left to do. */
	apply(h, &p);
	plan_free(&p);
	findings_free(&f);
	plan(h, &a, &p, &f);
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);

	/* Another port: a binding of its own. */
	answers_put(&a, F_BINDING_PORT, "8443", SRC_SCREEN);
	plan(h, &a, &p, &f);
	assert_int_equal(p.n, 2);
	assert_non_null(find_change(&p, RES_IISELEM, SITE "/bindings/"
	    "binding[@protocol='https'][@bindingInformation='*:8443:']"));
	assert_non_null(find_change(&p, RES_SSLBIND, "0.0.0.0:8443"));
	plan_free(&p);
	findings_free(&f);

	/* A different certificate bound on 443 is replaced. */
	bind = xasprintf("hash=%s;store=MY;appid=%s",
	    "0000000000000000000000000000000000000000", APPID);
	set(h, RES_SSLBIND, "0.0.0.0:443", NULL, bind);
	answers_put(&a, F_BINDING_PORT, "443", SRC_SCREEN);
	plan(h, &a, &p, &f);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].old, bind);
	free(bind);
	plan_free(&p);
	findings_free(&f);
	X509_free(x);
	answers_free(&a);
	memhost_free(h);
}

/*
 * Item 9: with a certificate to bind, the site is never planned. IIS not
 * installed (no site yet): the https binding under it is planned, the
 * site and <sites> are not. IIS installed without the site: an error and
 * no binding at all.
 */
static void
test_no_default_site(void **state)
{
	struct certspec s = good_spec();
	static const struct { int iis; int err; } cases[] = {
		{ 0, 0 }, { 1, 1 },
	};
	X509 *x;

	(void)state;
	x = certgen_cert(&s, fx.key);
	for (size_t i = 0; i < nitems(cases); i++) {
		struct host *h = memhost_new();
		struct answers a;
		struct findings f;
		struct plan p;

		if (cases[i].iis)
			set(h, RES_FEATURE, "Web-Server", NULL, "present");
		good_answers(&a);
		use_pem(&a, "server", x, NULL, fx.key);
		plan(h, &a, &p, &f);
		assert_null(find_change(&p, RES_IISELEM, SITE));
		assert_null(find_change(&p, RES_IISELEM,
		    "|system.applicationHost/sites"));
		assert_int_equal(findings_find(&f, "binding.no-default-site")
		    != NULL, cases[i].err);
		assert_int_equal(find_change(&p, RES_IISELEM, HTTPS) == NULL,
		    cases[i].err);
		plan_free(&p);
		findings_free(&f);
		answers_free(&a);
		memhost_free(h);
	}
	X509_free(x);
}

static void
test_pem_unreadable(void **state)
{
	struct certspec s = good_spec();
	struct host *h = fresh_host();
	char *crt = tmp("only.crt"), *key = tmp("locked.key");
	char *junk = tmp("junk.key"), *locked, *v;
	struct answers a;
	struct findings f;
	struct plan p;
	X509 *x = certgen_cert(&s, fx.key);

	(void)state;
	good_answers(&a);
	certgen_write_pem(crt, x, NULL, NULL);
	locked = certgen_locked_key_pem(fx.key, "pass phrase");
	certgen_write(key, locked, strlen(locked));
	certgen_write(junk, "not a key\n", 10);

	answers_put(&a, F_BINDING_CERTIFICATE, "pem:/nonexistent/a.crt,"
	    "/nonexistent/a.key", SRC_SCREEN);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.cert-unreadable"));
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);

	v = xasprintf("pem:%s,%s", crt, key);
	answers_put(&a, F_BINDING_CERTIFICATE, v, SRC_SCREEN);
	free(v);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.key-encrypted"));
	plan_free(&p);
	findings_free(&f);

	v = xasprintf("pem:%s,%s", crt, junk);
	answers_put(&a, F_BINDING_CERTIFICATE, v, SRC_SCREEN);
	free(v);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.key-unreadable"));
	plan_free(&p);
	findings_free(&f);

	/* A key file in place of the certificate. */
	v = xasprintf("pem:%s,%s", junk, junk);
	answers_put(&a, F_BINDING_CERTIFICATE, v, SRC_SCREEN);
	free(v);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.cert-unreadable"));
	plan_free(&p);
	findings_free(&f);

	certio_free_secret(locked);
	free(crt);
	free(key);
	free(junk);
	X509_free(x);
	answers_free(&a);
	memhost_free(h);
}

/* A CA may hand out the certificate in DER (.cer). */
static void
test_pem_der_certificate(void **state)
{
	struct certspec s = good_spec();
	struct host *h = fresh_host();
	char *crt = tmp("server.cer"), *key = tmp("server-der.key"), *v;
	unsigned char *der = NULL;
	struct answers a;
	struct findings f;
	struct plan p;
	X509 *x = certgen_cert(&s, fx.key);
	int n = i2d_X509(x, &der);

	(void)state;
	certgen_write(crt, der, (size_t)n);
	certgen_write_pem(key, NULL, NULL, fx.key);
	good_answers(&a);
	v = xasprintf("pem:%s, %s", crt, key);
	answers_put(&a, F_BINDING_CERTIFICATE, v, SRC_SCREEN);
	plan(h, &a, &p, &f);
	assert_int_equal(findings_worst(&f), SEV_OK);
	assert_int_equal(p.n, 3);
	plan_free(&p);
	findings_free(&f);
	OPENSSL_free(der);
	free(v);
	free(crt);
	free(key);
	X509_free(x);
	answers_free(&a);
	memhost_free(h);
}

static void
test_pfx(void **state)
{
	struct certspec s = good_spec();
	struct host *h = fresh_host();
	char *pfx = tmp("server.pfx"), *v, thumb[X509CHECK_THUMB_LEN + 1];
	struct answers a;
	struct findings f;
	struct plan p;
	X509 *x;
	int found;

	(void)state;
	s.issuer = fx.inter;
	s.issuer_key = fx.ec_key;
	x = certgen_cert(&s, fx.key);
	thumb_of(x, thumb);
	certgen_write_pfx(pfx, x, fx.key, fx.inter, "Pa55 word");
	good_answers(&a);
	v = xasprintf("pfx:%s", pfx);
	answers_put(&a, F_BINDING_CERTIFICATE, v, SRC_SCREEN);
	answers_put(&a, F_BINDING_PFX_PASSWORD, "env:NDESWIZ_TEST_PFX_PW",
	    SRC_SCREEN);
	answers_put(&a, F_HEALTH_CA_BUNDLE, fx.ca_file, SRC_SCREEN);

	setenv("NDESWIZ_TEST_PFX_PW", "Pa55 word", 1);
	plan(h, &a, &p, &f);
	assert_int_equal(findings_worst(&f), SEV_OK);
	assert_non_null(plan_pending(&p, RES_CERT, "My", thumb, &found));
	assert_non_null(find_change(&p, RES_CERT, "CA"));
	assert_non_null(find_change(&p, RES_SSLBIND, "0.0.0.0:443"));
	plan_free(&p);
	findings_free(&f);

	setenv("NDESWIZ_TEST_PFX_PW", "wrong", 1);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.pfx-password"));
	assert_string_equal(findings_find(&f, "binding.pfx-password")->field,
	    "binding.pfx_password");
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);

	unsetenv("NDESWIZ_TEST_PFX_PW");
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.pfx-password-unavailable"));
	plan_free(&p);
	findings_free(&f);

	/* Not a PKCS#12 file at all. */
	certgen_write(pfx, "hello", 5);
	setenv("NDESWIZ_TEST_PFX_PW", "Pa55 word", 1);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.cert-unreadable"));
	plan_free(&p);
	findings_free(&f);
	unsetenv("NDESWIZ_TEST_PFX_PW");

	/* Exported without a password: no reference needed. */
	certgen_write_pfx(pfx, x, fx.key, fx.inter, "");
	answers_put(&a, F_BINDING_PFX_PASSWORD, "", SRC_SCREEN);
	plan(h, &a, &p, &f);
	assert_null(findings_find(&f, "binding.pfx-password"));
	assert_non_null(plan_pending(&p, RES_CERT, "My", thumb, &found));
	plan_free(&p);
	findings_free(&f);
	free(v);
	free(pfx);
	X509_free(x);
	answers_free(&a);
	memhost_free(h);
}

static void
test_store(void **state)
{
	struct certspec s = good_spec();
	struct host *h = fresh_host();
	char thumb[X509CHECK_THUMB_LEN + 1], *pem, *v, *lower;
	struct answers a;
	struct findings f;
	struct plan p;
	X509 *x = certgen_cert(&s, fx.key);

	(void)state;
	thumb_of(x, thumb);
	good_answers(&a);
	/* As certlm.msc shows it: lower case, with spaces. */
	lower = xstrdup(thumb);
	for (char *q = lower; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	v = xasprintf("store:%.8s %s", lower, lower + 8);
	answers_put(&a, F_BINDING_CERTIFICATE, v, SRC_SCREEN);

	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.store-cert-missing"));
	assert_non_null(strstr(findings_find(&f,
	    "binding.store-cert-missing")->message, thumb));
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);

	/* In the store without its key: IIS could not use it. */
	pem = certgen_pem(x, NULL);
	set(h, RES_CERT, "My", thumb, pem);
	free(pem);
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.key-missing"));
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);

	/* With its key: nothing to import, only to bind. */
	pem = certgen_pem(x, fx.key);
	set(h, RES_CERT, "My", thumb, pem);
	free(pem);
	plan(h, &a, &p, &f);
	assert_int_equal(findings_worst(&f), SEV_OK);
	assert_null(find_change(&p, RES_CERT, "My"));
	assert_non_null(find_change(&p, RES_IISELEM, HTTPS));
	assert_non_null(strstr(find_change(&p, RES_SSLBIND,
	    "0.0.0.0:443")->new, thumb));
	plan_free(&p);
	findings_free(&f);
	free(lower);
	free(v);
	X509_free(x);
	answers_free(&a);
	memhost_free(h);
}

/* ---- csr --------------------------------------------------------------- */

static X509_REQ *
read_csr(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509_REQ *req = PEM_read_bio_X509_REQ(bio, NULL, NULL, NULL);

	BIO_free(bio);
	return req;
}

static char *
req_pem(X509_REQ *req)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *s;
	long n;

	assert_int_equal(PEM_write_bio_X509_REQ(bio, req), 1);
	n = BIO_get_mem_data(bio, &data);
	s = xstrndup(data, (size_t)n);
	BIO_free(bio);
	return s;
}

static void
assert_csr_names(X509_REQ *req, const char *const *want, size_t n)
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
	X509_NAME *subj = X509_REQ_get_subject_name(req);
	char cn[256];
	GENERAL_NAMES *gens = NULL;
	int i;

	assert_true(X509_NAME_get_text_by_NID(subj, NID_commonName, cn,
	    sizeof cn) > 0);
	assert_string_equal(cn, FQDN);
	for (i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);

		if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) ==
		    NID_subject_alt_name)
			gens = X509V3_EXT_d2i(e);
	}
	assert_non_null(gens);
	assert_int_equal(sk_GENERAL_NAME_num(gens), (int)n);
	for (i = 0; i < (int)n; i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		assert_int_equal(g->type, GEN_DNS);
		assert_string_equal((const char *)ASN1_STRING_get0_data(
		    g->d.dNSName), want[i]);
	}
	GENERAL_NAMES_free(gens);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
}

static void
test_csr(void **state)
{
	static const char *const names[] = { FQDN, EXT };
	static const char *const more[] = { FQDN, EXT, "*.dmz.contoso.com" };
	struct host *h = fresh_host();
	const struct change *key, *csr;
	const struct finding *pending;
	struct answers a;
	struct findings f;
	struct plan p;
	X509_REQ *req;
	EVP_PKEY *k;
	char err[256];

	(void)state;
	good_answers(&a);
	/* "csr" is the default: no certificate yet. */
	assert_string_equal(answers_get(&a, F_BINDING_CERTIFICATE), "csr");
	answers_put(&a, F_BINDING_REMOVE_HTTP_BINDING, "yes", SRC_SCREEN);
	plan(h, &a, &p, &f);
	pending = findings_find(&f, "binding.csr-pending");
	assert_non_null(pending);
	assert_int_equal(pending->sev, SEV_WARN);
	assert_non_null(strstr(pending->message, "ndes-server.csr"));
	assert_non_null(strstr(pending->hint, "Web Server"));
	assert_non_null(strstr(pending->hint, "pem:"));
	/* Nothing to bind yet, so the http binding must stay. */
	assert_non_null(findings_find(&f, "binding.http-kept"));
	assert_int_equal(findings_worst(&f), SEV_WARN);
	assert_int_equal(p.n, 2);
	assert_null(find_change(&p, RES_CERT, "My"));
	assert_null(find_change(&p, RES_SSLBIND, "0.0.0.0:443"));
	assert_null(find_change(&p, RES_IISELEM, HTTP));
	key = find_change(&p, RES_FILE, "ndes-server.key");
	csr = find_change(&p, RES_FILE, "ndes-server.csr");
	assert_non_null(key);
	assert_non_null(csr);
	assert_true(key->secret);
	assert_false(csr->secret);
	/* Planned, not made: the plan says what apply will make. */
	assert_non_null(key->gen);
	assert_non_null(csr->gen);
	assert_null(certio_key_from_pem(key->new));
	assert_non_null(strstr(key->reason, "RSA-2048"));
	assert_non_null(strstr(key->reason, "CN=" FQDN));
	assert_non_null(strstr(csr->new, "SAN=" FQDN "," EXT));
	assert_int_equal(plan_generate(&p, err, sizeof err), 0);
	assert_null(key->gen);
	assert_null(csr->gen);

	k = certio_key_from_pem(key->new);
	assert_non_null(k);
	assert_true(EVP_PKEY_get_bits(k) >= 2048);
	assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_RSA);
	req = read_csr(csr->new);
	assert_non_null(req);
	assert_int_equal(X509_REQ_verify(req, k), 1);
	assert_int_equal(EVP_PKEY_eq(X509_REQ_get0_pubkey(req), k), 1);
	assert_csr_names(req, names, nitems(names));
	X509_REQ_free(req);

	/* Once written, a second plan reuses the key: nothing new. */
	apply(h, &p);
	plan_free(&p);
	findings_free(&f);
	plan(h, &a, &p, &f);
	assert_int_equal(p.n, 0);
	assert_non_null(findings_find(&f, "binding.csr-pending"));
	plan_free(&p);
	findings_free(&f);

	/* Another name: a new request, with the same key. */
	answers_put(&a, F_BINDING_EXTERNAL_NAMES, EXT ", *.dmz.contoso.com",
	    SRC_SCREEN);
	plan(h, &a, &p, &f);
	assert_int_equal(p.n, 1);
	csr = find_change(&p, RES_FILE, "ndes-server.csr");
	assert_non_null(csr);
	req = read_csr(csr->new);
	assert_int_equal(EVP_PKEY_eq(X509_REQ_get0_pubkey(req), k), 1);
	assert_csr_names(req, more, nitems(more));
	X509_REQ_free(req);
	plan_free(&p);
	findings_free(&f);

	/* A damaged key file is reported, never silently replaced. */
	set(h, RES_FILE, "ndes-server.key", NULL, "garbage\n");
	plan(h, &a, &p, &f);
	assert_non_null(findings_find(&f, "binding.csr-key-unreadable"));
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);
	EVP_PKEY_free(k);
	answers_free(&a);
	memhost_free(h);
}

/*
 * What decides whether a plan signs a new request: certio_csr_asks,
 * which signs nothing. Each way a request can differ from what
 * [binding] asks for is one the plan must not take for the same.
 */
static void
test_csr_asks(void **state)
{
	char *const names[] = { EXT }, *const other[] = { "other.contoso.com" };
	EVP_PKEY *k = certgen_ec("P-256"), *k2 = certgen_ec("P-256");
	char err[256], *pem, *bad;
	const ASN1_BIT_STRING *csig;
	ASN1_BIT_STRING *sig;
	struct host *h = fresh_host();
	const struct change *csr;
	struct answers a;
	struct findings f;
	struct plan p;
	X509_REQ *req;

	(void)state;
	pem = certio_make_csr(k, FQDN, names, 1, err, sizeof err);
	assert_non_null(pem);
	assert_int_equal(certio_csr_asks(pem, k, FQDN, names, 1), 1);
	/* The names alone (the key stayed on the server). */
	assert_int_equal(certio_csr_asks(pem, NULL, FQDN, names, 1), 1);
	assert_int_equal(certio_csr_asks(pem, k2, FQDN, names, 1), 0);
	assert_int_equal(certio_csr_asks(pem, k, FQDN, other, 1), 0);
	assert_int_equal(certio_csr_asks(pem, NULL, FQDN, other, 1), 0);
	assert_int_equal(certio_csr_asks(pem, k, "ndes02.contoso.com", names,
	    1), 0);
	assert_int_equal(certio_csr_asks(pem, k, FQDN, NULL, 0), 0);
	assert_int_equal(certio_csr_asks("garbage\n", k, FQDN, names, 1), 0);
	/* A signature that does not hold: its last byte (the end of the
	 * ECDSA s, still DER) changed. */
	req = read_csr(pem);
	assert_non_null(req);
	X509_REQ_get0_signature(req, &csig, NULL);
	sig = (ASN1_BIT_STRING *)csig;
	sig->data[sig->length - 1] ^= 1;
	bad = req_pem(req);
	X509_REQ_free(req);
	req = read_csr(bad);
	assert_non_null(req);
	assert_int_equal(X509_REQ_verify(req, k), 0);
	X509_REQ_free(req);
	assert_int_equal(certio_csr_asks(bad, k, FQDN, names, 1), 0);

	/* Through the plan: a request of another key is made again, signed
	 * by the key there. */
	good_answers(&a);
	plan(h, &a, &p, &f);
	assert_int_equal(plan_generate(&p, err, sizeof err), 0);
	apply(h, &p);
	plan_free(&p);
	findings_free(&f);
	set(h, RES_FILE, "ndes-server.csr", NULL, pem);
	plan(h, &a, &p, &f);
	assert_int_equal(p.n, 1);
	csr = find_change(&p, RES_FILE, "ndes-server.csr");
	assert_non_null(csr);
	req = read_csr(csr->new);
	assert_non_null(req);
	/* The target's RSA key, not the EC one of the request there. */
	assert_int_equal(EVP_PKEY_get_base_id(X509_REQ_get0_pubkey(req)),
	    EVP_PKEY_RSA);
	assert_int_equal(X509_REQ_verify(req, X509_REQ_get0_pubkey(req)), 1);
	X509_REQ_free(req);
	plan_free(&p);
	findings_free(&f);
	/* ...and one whose signature fails likewise. */
	set(h, RES_FILE, "ndes-server.csr", NULL, bad);
	plan(h, &a, &p, &f);
	assert_int_equal(p.n, 1);
	assert_non_null(find_change(&p, RES_FILE, "ndes-server.csr"));
	plan_free(&p);
	findings_free(&f);
	free(bad);
	free(pem);
	EVP_PKEY_free(k);
	EVP_PKEY_free(k2);
	answers_free(&a);
	memhost_free(h);
}

/* Defined with inspect below: a server with a certificate bound. */
static struct host *bound_host(X509 *, EVP_PKEY *, char *);

/* "csr" on a server that already serves a fit certificate: nothing. */
static void
test_csr_not_needed(void **state)
{
	struct certspec s = good_spec();
	char thumb[X509CHECK_THUMB_LEN + 1], *key;
	X509 *x = certgen_cert(&s, fx.key), *soon;
	struct host *h = bound_host(x, fx.key, thumb);
	const struct finding *ok;
	struct answers a;
	struct findings f;
	struct plan p;

	(void)state;
	good_answers(&a);
	plan(h, &a, &p, &f);
	ok = findings_find(&f, "binding.csr-not-needed");
	assert_non_null(ok);
	assert_non_null(strstr(ok->message, thumb));
	assert_null(findings_find(&f, "binding.csr-pending"));
	assert_int_equal(findings_worst(&f), SEV_OK);
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);
	memhost_free(h);

	/* Due for renewal: the request is made after all. */
	s.from_days = -300;
	s.to_days = 5;
	soon = certgen_cert(&s, fx.key);
	h = bound_host(soon, fx.key, thumb);
	/* Its key is there already: no new one to make. */
	key = certgen_pem(NULL, fx.key);
	set(h, RES_FILE, "ndes-server.key", NULL, key);
	free(key);
	plan(h, &a, &p, &f);
	assert_null(findings_find(&f, "binding.csr-not-needed"));
	assert_non_null(findings_find(&f, "binding.csr-pending"));
	assert_non_null(find_change(&p, RES_FILE, "ndes-server.csr"));
	assert_null(find_change(&p, RES_FILE, "ndes-server.key"));
	plan_free(&p);
	findings_free(&f);
	memhost_free(h);
	X509_free(soon);
	X509_free(x);
	answers_free(&a);
}

/* ---- hardening --------------------------------------------------------- */

static void
test_remove_http_binding(void **state)
{
	struct certspec s = good_spec();
	struct host *h = fresh_host();
	const struct change *add, *del, *attr;
	struct answers a;
	struct findings f;
	struct plan p;
	X509 *x = certgen_cert(&s, fx.key);

	(void)state;
	good_answers(&a);
	use_pem(&a, "http", x, NULL, fx.key);
	answers_put(&a, F_BINDING_REMOVE_HTTP_BINDING, "yes", SRC_SCREEN);
	set(h, RES_IIS, HTTP, "sslFlags", "0");
	plan(h, &a, &p, &f);
	assert_int_equal(findings_worst(&f), SEV_OK);
	add = find_change(&p, RES_IISELEM, HTTPS);
	attr = find_change(&p, RES_IIS, HTTP);
	del = find_change(&p, RES_IISELEM, HTTP);
	assert_non_null(add);
	assert_non_null(attr);
	assert_non_null(del);
	assert_null(del->new);
	assert_string_equal(del->old, "present");
	/* https first, the attribute before its element: rollback puts
	 * the element back whole. */
	assert_true(change_index(&p, add) < change_index(&p, del));
	assert_true(change_index(&p, attr) < change_index(&p, del));
	apply(h, &p);
	plan_free(&p);
	findings_free(&f);
	plan(h, &a, &p, &f);
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);
	X509_free(x);
	answers_free(&a);
	memhost_free(h);
}

static void
test_hide_mscep_admin(void **state)
{
	struct certspec s = good_spec();
	struct host *h = fresh_host();
	const struct change *c;
	struct answers a;
	struct findings f;
	struct plan p;
	X509 *x = certgen_cert(&s, fx.key);
	size_t before;

	(void)state;
	good_answers(&a);
	assert_true(answers_bool(&a, F_BINDING_HIDE_MSCEP_ADMIN));
	use_pem(&a, "admin", x, NULL, fx.key);
	/* A fresh server has no mscep_admin: nothing to hide. */
	plan(h, &a, &p, &f);
	assert_null(find_change(&p, RES_IISELEM, HIDDEN));
	before = p.n;
	plan_free(&p);
	findings_free(&f);

	set(h, RES_IISELEM, ADMIN, NULL, "present");
	plan(h, &a, &p, &f);
	c = find_change(&p, RES_IISELEM, HIDDEN);
	assert_non_null(c);
	assert_string_equal(c->new, "present");
	/* The location and every missing ancestor come first. */
	assert_non_null(find_change(&p, RES_IISELEM, "Default Web Site|"));
	assert_non_null(find_change(&p, RES_IISELEM, "Default Web Site|"
	    "system.webServer/security/requestFiltering/hiddenSegments"));
	assert_int_equal(p.n, before + 6);
	apply(h, &p);
	plan_free(&p);
	findings_free(&f);
	plan(h, &a, &p, &f);
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);

	/* hide_mscep_admin = no leaves it alone. */
	set(h, RES_IISELEM, HIDDEN, NULL, NULL);
	answers_put(&a, F_BINDING_HIDE_MSCEP_ADMIN, "no", SRC_SCREEN);
	plan(h, &a, &p, &f);
	assert_null(find_change(&p, RES_IISELEM, HIDDEN));
	plan_free(&p);
	findings_free(&f);
	X509_free(x);
	answers_free(&a);
	memhost_free(h);
}

/* ---- inspect and prefill ----------------------------------------------- */

/* A server with x bound on 0.0.0.0:443 from My. */
static struct host *
bound_host(X509 *x, EVP_PKEY *key, char *thumb)
{
	struct host *h = fresh_host();
	char *pem = certgen_pem(x, key), *v;

	thumb_of(x, thumb);
	set(h, RES_CERT, "My", thumb, pem);
	set(h, RES_IISELEM, HTTPS, NULL, "present");
	v = xasprintf("hash=%s;store=MY;appid=%s", thumb, APPID);
	set(h, RES_SSLBIND, "0.0.0.0:443", NULL, v);
	free(v);
	free(pem);
	return h;
}

static void
test_inspect(void **state)
{
	struct certspec s = good_spec();
	char thumb[X509CHECK_THUMB_LEN + 1];
	X509 *x = certgen_cert(&s, fx.key), *old;
	struct host *h = bound_host(x, fx.key, thumb);
	struct answers a;
	struct findings f = {0};

	(void)state;
	good_answers(&a);
	answers_put(&a, F_BINDING_REMOVE_HTTP_BINDING, "yes", SRC_SCREEN);
	step_binding.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "binding.cert-ok"));
	assert_non_null(strstr(findings_find(&f, "binding.cert-ok")->message,
	    thumb));
	assert_non_null(findings_find(&f, "binding.iis-https"));
	/* The plan removes it (an https binding is there): noted. */
	assert_int_equal(findings_find(&f, "binding.http-present")->sev,
	    SEV_OK);
	assert_non_null(findings_find(&f, "binding.http-present")->hint);
	assert_int_equal(findings_worst(&f), SEV_OK);
	findings_free(&f);

	/* Kept on purpose: said, not warned. */
	answers_put(&a, F_BINDING_REMOVE_HTTP_BINDING, "no", SRC_SCREEN);
	step_binding.inspect(h, &a, &f);
	assert_int_equal(findings_find(&f, "binding.http-present")->sev,
	    SEV_OK);
	assert_int_equal(findings_worst(&f), SEV_OK);
	findings_free(&f);

	/* mscep_admin still reachable. */
	set(h, RES_IISELEM, ADMIN, NULL, "present");
	step_binding.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "binding.mscep-admin-visible"));
	findings_free(&f);
	set(h, RES_IISELEM, HIDDEN, NULL, "present");
	step_binding.inspect(h, &a, &f);
	assert_null(findings_find(&f, "binding.mscep-admin-visible"));
	findings_free(&f);

	/* The bound certificate has left the store. */
	set(h, RES_CERT, "My", thumb, NULL);
	step_binding.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "binding.bound-cert-missing"));
	findings_free(&f);

	/* An expired certificate is bound. */
	s.from_days = -400;
	s.to_days = -2;
	old = certgen_cert(&s, fx.key);
	memhost_free(h);
	h = bound_host(old, fx.key, thumb);
	step_binding.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "binding.expired"));
	/* What the answers replace never stops the plan. */
	assert_int_equal(findings_find(&f, "binding.expired")->sev, SEV_WARN);
	assert_non_null(strstr(findings_find(&f, "binding.expired")->message,
	    "bound to 0.0.0.0:443"));
	findings_free(&f);
	memhost_free(h);

	/* Nothing bound at all. */
	h = fresh_host();
	step_binding.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "binding.not-bound"));
	assert_non_null(findings_find(&f, "binding.iis-https-missing"));
	findings_free(&f);
	memhost_free(h);
	X509_free(old);
	X509_free(x);
	answers_free(&a);
}

static void
test_prefill(void **state)
{
	struct certspec s = good_spec();
	char thumb[X509CHECK_THUMB_LEN + 1], *want;
	X509 *x = certgen_cert(&s, fx.key);
	struct host *h = bound_host(x, fx.key, thumb);
	struct memhost *m = h->priv;
	struct answers a;

	(void)state;
	snprintf(m->facts.fqdn, sizeof m->facts.fqdn, "%s", FQDN);
	answers_init(&a);
	step_binding.prefill(h, &a);
	want = xasprintf("store:%s", thumb);
	assert_string_equal(answers_get(&a, F_BINDING_CERTIFICATE), want);
	assert_int_equal(a.src[F_BINDING_CERTIFICATE], SRC_HOST);
	assert_string_equal(answers_get(&a, F_BINDING_FQDN), FQDN);
	assert_int_equal(a.src[F_BINDING_FQDN], SRC_HOST);
	assert_string_equal(answers_get(&a, F_BINDING_PORT), "443");
	answers_free(&a);

	/* What the admin said stays. */
	answers_init(&a);
	answers_put(&a, F_BINDING_CERTIFICATE, "csr", SRC_FILE);
	step_binding.prefill(h, &a);
	assert_string_equal(answers_get(&a, F_BINDING_CERTIFICATE), "csr");
	answers_free(&a);

	/* A binding to a certificate that is gone is not an answer. */
	set(h, RES_CERT, "My", thumb, NULL);
	answers_init(&a);
	step_binding.prefill(h, &a);
	assert_string_equal(answers_get(&a, F_BINDING_CERTIFICATE), "csr");
	assert_int_equal(a.src[F_BINDING_CERTIFICATE], SRC_DEFAULT);
	answers_free(&a);
	free(want);
	X509_free(x);
	memhost_free(h);
}

/* ---- against the offline target ---------------------------------------- */

static struct host *
dir_host(const char *name)
{
	char *target = tmp(name), err[512];
	struct host *h;

	if (host_dir_create(target, "assets/hosts/ws2022-fresh", err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	h = host_open_with(&host_dir_ops, target, err, sizeof err);
	if (h == NULL)
		fail_msg("%s", err);
	free(target);
	return h;
}

/* The IIS paths must be ones applicationHost.config understands. */
static void
test_dir_target(void **state)
{
	struct certspec s = good_spec();
	struct host *h = dir_host("target");
	X509 *x = certgen_cert(&s, fx.key);
	struct answers a;
	struct findings f;
	struct plan p;
	char err[512];

	(void)state;
	good_answers(&a);
	use_pem(&a, "dir", x, NULL, fx.key);
	answers_put(&a, F_BINDING_REMOVE_HTTP_BINDING, "yes", SRC_SCREEN);
	plan(h, &a, &p, &f);
	assert_int_equal(findings_worst(&f), SEV_OK);
	/* The profile has the site and its http binding: import, https
	 * binding, SSL binding, http binding removed. */
	assert_int_equal(p.n, 4);
	assert_null(p.v[1].old);
	assert_string_equal(p.v[1].path, HTTPS);
	assert_string_equal(p.v[3].path, HTTP);
	assert_string_equal(p.v[3].old, "present");
	for (size_t i = 0; i < p.n; i++)
		if (p.v[i].kind != RES_SSLBIND && host_set(h, p.v[i].kind,
		    p.v[i].path, p.v[i].name, p.v[i].new, err,
		    sizeof err) != 0)
			fail_msg("change %zu: %s", i, err);
	plan_free(&p);
	findings_free(&f);
	plan(h, &a, &p, &f);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.v[0].kind, RES_SSLBIND);
	plan_free(&p);
	findings_free(&f);
	X509_free(x);
	answers_free(&a);
	host_close(h);
}

/* Prefill finds a binding on another port where Windows keeps it. */
static void
test_dir_prefill_port(void **state)
{
	struct certspec s = good_spec();
	struct host *h = dir_host("target-8443");
	X509 *x = certgen_cert(&s, fx.key);
	char thumb[X509CHECK_THUMB_LEN + 1], *pem, *hex, *v;
	unsigned char raw[20];
	struct answers a;

	(void)state;
	thumb_of(x, thumb);
	pem = certgen_pem(x, fx.key);
	set(h, RES_CERT, "My", thumb, pem);
	set(h, RES_IISELEM, SITE "/bindings/binding[@protocol='https']"
	    "[@bindingInformation='*:8443:']", NULL, "present");
	for (int i = 0; i < 20; i++) {
		unsigned b;

		sscanf(thumb + 2 * i, "%2x", &b);
		raw[i] = (unsigned char)b;
	}
	set(h, RES_REGKEY, SSLKEY "0.0.0.0:8443", NULL, "present");
	hex = xstrdup("hex:");
	for (int i = 0; i < 20; i++) {
		v = xasprintf("%s%s%02x", hex, i ? "," : "", raw[i]);
		free(hex);
		hex = v;
	}
	set(h, RES_REG, SSLKEY "0.0.0.0:8443", "SslCertHash", hex);
	set(h, RES_REG, SSLKEY "0.0.0.0:8443", "SslCertStoreName", "\"MY\"");
	answers_init(&a);
	step_binding.prefill(h, &a);
	assert_string_equal(answers_get(&a, F_BINDING_PORT), "8443");
	assert_int_equal(a.src[F_BINDING_PORT], SRC_HOST);
	v = xasprintf("store:%s", thumb);
	assert_string_equal(answers_get(&a, F_BINDING_CERTIFICATE), v);
	assert_string_equal(answers_get(&a, F_BINDING_FQDN), FQDN);
	free(v);
	free(hex);
	free(pem);
	X509_free(x);
	answers_free(&a);
	host_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_good),
		cmocka_unit_test(test_validate_each_rule),
		cmocka_unit_test(test_name_covers),
		cmocka_unit_test(test_good_certificate),
		cmocka_unit_test(test_each_certificate_rule),
		cmocka_unit_test(test_rules_that_pass),
		cmocka_unit_test(test_key_rules),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_pem_plan),
		cmocka_unit_test(test_no_default_site),
		cmocka_unit_test(test_pem_unreadable),
		cmocka_unit_test(test_pem_der_certificate),
		cmocka_unit_test(test_pfx),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_csr),
		cmocka_unit_test(test_csr_asks),
		cmocka_unit_test(test_csr_not_needed),
		cmocka_unit_test(test_remove_http_binding),
		cmocka_unit_test(test_hide_mscep_admin),
		cmocka_unit_test(test_inspect),
		cmocka_unit_test(test_prefill),
		cmocka_unit_test(test_dir_target),
		cmocka_unit_test(test_dir_prefill_port),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
