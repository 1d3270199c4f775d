/* The prerequisites step: the machine, features, TLS, IE ESC, Root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "stepcase.h"

extern const struct step step_prereqs;

#define HKLM "HKEY_LOCAL_MACHINE\\"
#define NDP HKLM "SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full"
#define TLS12 HKLM "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders" \
	"\\SCHANNEL\\Protocols\\TLS 1.2\\Client"
#define NETFX HKLM "SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319"
#define NETFX32 HKLM "SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework" \
	"\\v4.0.30319"
#define ESC HKLM "SOFTWARE\\Microsoft\\Active Setup\\Installed Components\\"
#define ESC_A ESC "{A509B1A7-37EF-4b3f-8CFC-4F3A74704073}"
#define ESC_U ESC "{A509B1A8-37EF-4b3f-8CFC-4F3A74704073}"
#define CONN HKLM "SOFTWARE\\Microsoft\\MicrosoftIntune\\PFXCertificateConnector"

static const char *const scep_features[] = {
	"ADCS-Device-Enrollment", "Web-Server", "Web-WebServer",
	"Web-Filtering", "Web-Net-Ext45", "Web-Asp-Net45",
	"NET-Framework-45-Core", "NET-Framework-45-Features",
	"NET-WCF-HTTP-Activation45", "Web-Metabase", "Web-WMI",
	"Web-Mgmt-Console",
};

static void
set(struct host *h, enum res_kind k, const char *path, const char *name,
    const char *v)
{
	char err[128];

	if (host_set(h, k, path, name, v, err, sizeof err) != 0)
		fail_msg("%s", err);
}

#define UNINST HKLM "SOFTWARE\\Microsoft\\Windows\\CurrentVersion" \
	"\\Uninstall\\{5A3F9D64-2B1E-4C7A-9E0D-3C8B7F1A6E42}"

/* A server that passes everything, its connector installed with the
 * example's features (scep, pkcs). */
static struct host *
good_host(void)
{
	struct host *h = memhost_new();
	struct memhost *m = h->priv;
	static const char *const dw[][2] = {
		{ NETFX, "SchUseStrongCrypto" },
		{ NETFX, "SystemDefaultTlsVersions" },
		{ NETFX32, "SchUseStrongCrypto" },
		{ NETFX32, "SystemDefaultTlsVersions" },
	};

	m->facts = (struct host_facts){ .hostname = "NDES01",
	    .fqdn = "ndes01.contoso.com", .domain = "contoso.com",
	    .domain_role = 3, .part_of_domain = 1, .os_major = 10,
	    .os_build = 20348, .elevated = 1, .os_caption = "WS2022" };
	set(h, RES_REG, NDP, "Release", "dword:00081041");
	for (size_t i = 0; i < nitems(dw); i++)
		set(h, RES_REG, dw[i][0], dw[i][1], "dword:00000001");
	set(h, RES_REG, ESC_A, "IsInstalled", "dword:00000000");
	set(h, RES_REG, ESC_U, "IsInstalled", "dword:00000000");
	for (size_t i = 0; i < nitems(scep_features); i++)
		set(h, RES_FEATURE, scep_features[i], NULL, "installed");
	set(h, RES_REG, UNINST, "DisplayName",
	    "\"Certificate Connector for Microsoft Intune\"");
	set(h, RES_REG, CONN, "EnableSCEP", "dword:00000001");
	set(h, RES_REG, CONN, "EnablePFxCreate", "dword:00000001");
	return h;
}

static struct findings
inspect(struct host *h, const struct answers *a)
{
	struct findings f = {0};

	step_prereqs.inspect(h, a, &f);
	return f;
}

static void
expect_only_ok_but(const struct findings *f, const char *code,
    enum severity sev)
{
	const struct finding *x = code ? findings_find(f, code) : NULL;

	if (code != NULL && x == NULL)
		fail_msg("no %s", code);
	if (x != NULL)
		assert_int_equal(x->sev, sev);
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].sev != SEV_OK && strcmp(f->v[i].code,
		    code ? code : "") != 0 && strcmp(f->v[i].code,
		    "prereqs.feature-optional") != 0)
			fail_msg("unexpected %s: %s", f->v[i].code,
			    f->v[i].message);
}

static void
check_fact(void (*mutate)(struct host_facts *), const char *code,
    enum severity sev)
{
	struct host *h = good_host();
	struct answers a;
	struct findings f;

	example_answers(&a);
	if (mutate != NULL)
		mutate(&((struct memhost *)h->priv)->facts);
	f = inspect(h, &a);
	expect_only_ok_but(&f, code, sev);
	findings_free(&f);
	answers_free(&a);
	memhost_free(h);
}

static void not_elevated(struct host_facts *f) { f->elevated = 0; }
static void os_2012(struct host_facts *f) { f->os_major = 6; f->os_minor = 2; }
static void os_2016(struct host_facts *f) { f->os_build = 14393; }
static void core(struct host_facts *f) { f->server_core = 1; }
static void workgroup(struct host_facts *f) { f->part_of_domain = 0; }
static void dc(struct host_facts *f) { f->domain_role = 5; }
static void skewed(struct host_facts *f) { f->clock_skew = -600; }
static void is_ca(struct host_facts *f)
{
	snprintf(f->fqdn, sizeof f->fqdn, "ca01.contoso.com");
}

static void
test_facts(void **state)
{
	(void)state;
	check_fact(NULL, NULL, SEV_OK);
	check_fact(not_elevated, "prereqs.not-elevated", SEV_ERROR);
	check_fact(os_2012, "prereqs.os-too-old", SEV_ERROR);
	check_fact(os_2016, "prereqs.os-old", SEV_WARN);
	check_fact(core, "prereqs.server-core", SEV_ERROR);
	check_fact(workgroup, "prereqs.not-joined", SEV_ERROR);
	check_fact(dc, "prereqs.domain-controller", SEV_ERROR);
	check_fact(skewed, "prereqs.clock-skew", SEV_ERROR);
	check_fact(is_ca, "prereqs.is-the-ca", SEV_ERROR);
}

/* The host changed in one resource, the example's answers with one
 * switch (off: that field "no", or F__COUNT for none). */
static void
check_host_off(enum field_id off, const char *code, enum severity sev,
    enum res_kind k, const char *path, const char *name, const char *v)
{
	struct host *h = good_host();
	struct answers a;
	struct findings f;

	example_answers(&a);
	if (off != F__COUNT)
		answers_put(&a, off, "no", SRC_SCREEN);
	set(h, k, path, name, v);
	f = inspect(h, &a);
	expect_only_ok_but(&f, code, sev);
	findings_free(&f);
	answers_free(&a);
	memhost_free(h);
}

static void
check_host(const char *code, enum severity sev, enum res_kind k,
    const char *path, const char *name, const char *v)
{
	check_host_off(F__COUNT, code, sev, k, path, name, v);
}

static void
test_registry_and_features(void **state)
{
	(void)state;
	/* 4.7.1 (461308) is too old; one script's 460798 bar is wrong. */
	check_host("prereqs.dotnet-old", SEV_ERROR, RES_REG, NDP, "Release",
	    "dword:000709fc");
	check_host(NULL, SEV_OK, RES_REG, NDP, "Release", "dword:00070bf0");
	/* What the answers let the plan put right is only noted (ok);
	 * with the switch off it is a warning, or for IE ESC and missing
	 * features, an error that stops the plan. */
	check_host("prereqs.tls12-off", SEV_OK, RES_REG, TLS12, "Enabled",
	    "dword:00000000");
	check_host_off(F_PREREQS_ENABLE_TLS12, "prereqs.tls12-off", SEV_WARN,
	    RES_REG, TLS12, "Enabled", "dword:00000000");
	check_host_off(F_PREREQS_ENABLE_TLS12, "prereqs.tls12-off", SEV_WARN,
	    RES_REG, TLS12, "DisabledByDefault", "dword:00000001");
	check_host("prereqs.strong-crypto-off", SEV_OK, RES_REG, NETFX32,
	    "SchUseStrongCrypto", NULL);
	check_host_off(F_PREREQS_ENABLE_TLS12, "prereqs.strong-crypto-off",
	    SEV_WARN, RES_REG, NETFX32, "SchUseStrongCrypto", NULL);
	/* Both IE ESC keys count, not only the administrators' one. */
	check_host("prereqs.ie-esc-on", SEV_OK, RES_REG, ESC_U,
	    "IsInstalled", "dword:00000001");
	check_host_off(F_PREREQS_DISABLE_IE_ESC, "prereqs.ie-esc-on",
	    SEV_ERROR, RES_REG, ESC_U, "IsInstalled", "dword:00000001");
	check_host("prereqs.feature-missing", SEV_OK, RES_FEATURE,
	    "Web-Filtering", NULL, NULL);
	check_host_off(F_PREREQS_INSTALL_FEATURES, "prereqs.feature-missing",
	    SEV_ERROR, RES_FEATURE, "Web-Filtering", NULL, NULL);
	check_host("prereqs.ca-installed", SEV_ERROR, RES_FEATURE,
	    "ADCS-Cert-Authority", NULL, "installed");
}

static void
test_pkcs_only_needs_no_iis(void **state)
{
	struct host *h = good_host();
	struct answers a;
	struct findings f = {0};
	struct plan p = {0};
	char err[128];
	int found;

	(void)state;
	example_answers(&a);
	answers_put(&a, F_PREREQS_SCENARIOS, "pkcs", SRC_SCREEN);
	set(h, RES_REG, CONN, "EnableSCEP", "dword:00000000");
	for (size_t i = 0; i < nitems(scep_features); i++)
		if (strncmp(scep_features[i], "NET-Framework-45", 16) != 0)
			host_set(h, RES_FEATURE, scep_features[i], NULL, NULL,
			    err, sizeof err);
	f = inspect(h, &a);
	expect_only_ok_but(&f, NULL, SEV_OK);
	step_prereqs.plan(h, &a, &p, &f);
	for (size_t i = 0; i < p.n; i++)
		assert_int_not_equal(p.v[i].kind, RES_FEATURE);
	/* The connector's own switches are its wizard's, never planned. */
	for (size_t i = 0; i < p.n; i++)
		assert_false(str_ieq(p.v[i].path, CONN));
	(void)found;
	plan_free(&p);
	findings_free(&f);
	answers_free(&a);
	memhost_free(h);
}

static void
test_plan_fresh(void **state)
{
	struct host *h = memhost_new();
	struct answers a;
	struct findings f = {0};
	struct plan p = {0};
	char err[128];
	int found;

	(void)state;
	example_answers(&a);
	set(h, RES_REG, TLS12, "Enabled", "dword:00000000");
	step_prereqs.plan(h, &a, &p, &f);
	for (size_t i = 0; i < nitems(scep_features); i++)
		assert_string_equal(plan_pending(&p, RES_FEATURE,
		    scep_features[i], NULL, &found), "installed");
	plan_pending(&p, RES_FEATURE, "NET-Framework-Core", NULL, &found);
	assert_false(found);
	assert_string_equal(plan_pending(&p, RES_REG, ESC_A, "IsInstalled",
	    &found), "dword:00000000");
	assert_string_equal(plan_pending(&p, RES_REG, ESC_U, "IsInstalled",
	    &found), "dword:00000000");
	assert_string_equal(plan_pending(&p, RES_REG, TLS12, "Enabled",
	    &found), "dword:00000001");
	assert_string_equal(plan_pending(&p, RES_REG, NETFX32,
	    "SystemDefaultTlsVersions", &found), "dword:00000001");
	assert_true(plan_reboot_required(&p));
	/* Apply it: the same plan again is empty. */
	for (size_t i = 0; i < p.n; i++)
		host_set(h, p.v[i].kind, p.v[i].path, p.v[i].name,
		    p.v[i].new, err, sizeof err);
	plan_free(&p);
	step_prereqs.plan(h, &a, &p, &f);
	assert_int_equal(p.n, 0);
	/* The answers can say no to each kind of change. */
	memhost_free(h);
	h = memhost_new();
	answers_put(&a, F_PREREQS_INSTALL_FEATURES, "no", SRC_SCREEN);
	answers_put(&a, F_PREREQS_DISABLE_IE_ESC, "no", SRC_SCREEN);
	answers_put(&a, F_PREREQS_ENABLE_TLS12, "no", SRC_SCREEN);
	step_prereqs.plan(h, &a, &p, &f);
	/* Nothing is left: no feature, no IE ESC, no TLS change of any
	 * kind, and never the connector's own switches. */
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);
	answers_free(&a);
	memhost_free(h);
}

/* Item 10: an installed connector's features against the scenarios,
 * read only; no connector, no finding. */
static void
test_connector_features(void **state)
{
	static const struct {
		int installed;
		const char *scenarios, *value, *data;
		const char *code; /* NULL: none of either code */
		enum severity sev;
	} cases[] = {
		{ 1, "scep", "EnableSCEP", "dword:00000001",
		  "prereqs.connector-feature", SEV_OK },
		{ 1, "scep", "EnableSCEP", "dword:00000000",
		  "prereqs.connector-feature-differs", SEV_WARN },
		{ 1, "scep", "EnablePFxImport", "dword:00000001",
		  "prereqs.connector-feature-differs", SEV_WARN },
		{ 1, "scep,revocation", "EnableRevocation", NULL,
		  "prereqs.connector-feature-differs", SEV_WARN },
		{ 0, "scep", "EnableSCEP", "dword:00000000", NULL, SEV_OK },
	};

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		struct host *h = good_host();
		struct answers a;
		struct findings f;
		const struct finding *x;
		struct plan p = {0};

		example_answers(&a);
		answers_put(&a, F_PREREQS_SCENARIOS, cases[i].scenarios,
		    SRC_SCREEN);
		if (!cases[i].installed)
			set(h, RES_REG, UNINST, "DisplayName", NULL);
		set(h, RES_REG, CONN, "EnableSCEP", "dword:00000001");
		set(h, RES_REG, CONN, cases[i].value, cases[i].data);
		f = inspect(h, &a);
		if (cases[i].code == NULL) {
			assert_null(findings_find(&f,
			    "prereqs.connector-feature"));
			assert_null(findings_find(&f,
			    "prereqs.connector-feature-differs"));
		} else {
			x = findings_find(&f, cases[i].code);
			if (x == NULL || x->sev != cases[i].sev)
				fail_msg("case %zu: no %s", i, cases[i].code);
			if (x->sev == SEV_WARN && (strstr(x->hint,
			    "configuration wizard") == NULL ||
			    strstr(x->hint, "Features page") == NULL))
				fail_msg("case %zu: hint %s", i, x->hint);
		}
		step_prereqs.plan(h, &a, &p, &f);
		for (size_t k = 0; k < p.n; k++)
			assert_false(str_ieq(p.v[k].path, CONN));
		plan_free(&p);
		findings_free(&f);
		answers_free(&a);
		memhost_free(h);
	}
}

static char *
make_cert(int self_issued)
{
	EVP_PKEY *k = EVP_RSA_gen(2048);
	X509 *x = X509_new();
	BIO *b = BIO_new(BIO_s_mem());
	char *pem;
	long n;

	X509_set_version(x, 2);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
	    MBSTRING_ASC, (const unsigned char *)"Sub", -1, -1, 0);
	X509_NAME_add_entry_by_txt(X509_get_issuer_name(x), "CN",
	    MBSTRING_ASC, (const unsigned char *)(self_issued ? "Sub" :
	    "Root"), -1, -1, 0);
	X509_set_pubkey(x, k);
	X509_sign(x, k, EVP_sha256());
	PEM_write_bio_X509(b, x);
	n = BIO_get_mem_data(b, &pem);
	pem = xstrndup(pem, (size_t)n);
	BIO_free(b);
	X509_free(x);
	EVP_PKEY_free(k);
	return pem;
}

static void
test_root_store(void **state)
{
	struct host *h = good_host();
	struct answers a;
	struct findings f;
	char *root = make_cert(1), *inter = make_cert(0);

	(void)state;
	example_answers(&a);
	set(h, RES_CERT, "Root", "AA11", root);
	f = inspect(h, &a);
	assert_null(findings_find(&f, "prereqs.root-not-self-issued"));
	findings_free(&f);
	set(h, RES_CERT, "Root", "BB22", inter);
	f = inspect(h, &a);
	assert_non_null(findings_find(&f, "prereqs.root-not-self-issued"));
	assert_non_null(strstr(findings_find(&f,
	    "prereqs.root-not-self-issued")->message, "BB22"));
	findings_free(&f);
	free(root);
	free(inter);
	answers_free(&a);
	memhost_free(h);
}

static const struct rule_case cases[] = {
	{ "prereqs.no-scenario", SEV_ERROR, "prereqs.scenarios",
	  { { F_PREREQS_SCENARIOS, "" } } },
	{ "prereqs.features-manual", SEV_OK, "prereqs.install_features",
	  { { F_PREREQS_INSTALL_FEATURES, "no" } } },
};

static void
test_validate(void **state)
{
	(void)state;
	assert_example_clean(&step_prereqs);
	run_rule_cases(&step_prereqs, cases, nitems(cases));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_registry_and_features),
		cmocka_unit_test(test_pkcs_only_needs_no_iis),
		cmocka_unit_test(test_plan_fresh),
		cmocka_unit_test(test_connector_features),
		cmocka_unit_test(test_root_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
