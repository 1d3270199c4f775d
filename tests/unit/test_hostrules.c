/*
 * The health check's host rules, table-driven: a healthy server (the
 * connector installed and current, its services running, its certificate
 * in date, a recent last contact, no reboot pending) passes every rule;
 * each case breaks it one way and expects one code at one severity.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* certgen.h serves many tests; this one needs a few of its helpers. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "certgen.h"
#include "hostrules.h"
#include "memhost.h"
#include "regfile.h"

#define UNINSTALL_ENTRY UNINSTALL_KEY "\\{5A3F9D64-2B1E-4C7A-9E0D-3C8B7F1A6E42}"
#define CONN_THUMB "00112233445566778899AABBCCDDEEFF00112233"
#define NOW ((time_t)1767225600) /* 2026-01-01T00:00:00Z */

static void
put(struct host *h, enum res_kind k, const char *path, const char *name,
    const char *v)
{
	char err[256];

	assert_int_equal(host_set(h, k, path, name, v, err, sizeof err), 0);
}

static void
put_sz(struct host *h, const char *path, const char *name, const char *v)
{
	char *data = regval_sz(v);

	put(h, RES_REG, path, name, data);
	free(data);
}

/* A certificate of the connector's CA, valid from..to days from NOW. */
/* Two keys for every case: RSA key generation is slow under valgrind. */
static EVP_PKEY *ck, *k;

static char *
connector_pem(long from, long to)
{
	struct certspec ca = { .cn = CONNECTOR_CA, .from_days = -1,
	    .to_days = 3650, .ca = 1 };
	X509 *cax = certgen_cert(&ca, ck), *x;
	long shift = (long)((NOW - time(NULL)) / 86400);
	struct certspec leaf = { .cn = "NDES01-PFXConnector",
	    .from_days = from + shift, .to_days = to + shift, .issuer = cax,
	    .issuer_key = ck };
	char *pem;

	x = certgen_cert(&leaf, k);
	pem = certgen_pem(x, k);
	X509_free(x);
	X509_free(cax);
	return pem;
}

static void
put_conn_cert(struct host *h, long from, long to)
{
	char *pem = connector_pem(from, to);

	put(h, RES_CERT, "My", CONN_THUMB, pem);
	free(pem);
}

static struct host *
healthy(void)
{
	struct host *h = memhost_new();

	put_sz(h, UNINSTALL_ENTRY, "DisplayName", CONNECTOR_NAME);
	put_sz(h, UNINSTALL_ENTRY, "DisplayVersion", "6.2406.0.1001");
	put(h, RES_SERVICE, "PFXCertificateConnectorSvc", NULL, "running");
	put(h, RES_SERVICE, "PKICertificateConnectorSvc", NULL, "running");
	put_conn_cert(h, -30, 300);
	put_sz(h, CONNECTOR_KEY, "EncryptionCertThumbprint", CONN_THUMB);
	put_sz(h, CONNECTOR_KEY "\\ConnectionStatus", "LastConnectionTime",
	    "2025-12-31T22:00:00Z");
	return h;
}

/* ---- the ways to break it ----------------------------------------------- */

static void
svc_stopped(struct host *h)
{
	put(h, RES_SERVICE, "PKICertificateConnectorSvc", NULL, "stopped");
}

static void
svc_missing(struct host *h)
{
	put(h, RES_SERVICE, "PFXCertificateConnectorSvc", NULL, NULL);
}

static void
not_installed(struct host *h)
{
	put(h, RES_REG, UNINSTALL_ENTRY, "DisplayName", NULL);
	put(h, RES_REG, UNINSTALL_ENTRY, "DisplayVersion", NULL);
}

static void
too_old(struct host *h)
{
	put_sz(h, UNINSTALL_ENTRY, "DisplayVersion", "6.2101.13.0");
}

static void
newer(struct host *h)
{
	put_sz(h, UNINSTALL_ENTRY, "DisplayVersion", "6.2501.10.1");
}

static void
bad_version(struct host *h)
{
	put_sz(h, UNINSTALL_ENTRY, "DisplayVersion", "six");
}

static void
wow64_entry(struct host *h)
{
	not_installed(h);
	put_sz(h, UNINSTALL_KEY32 "\\{X}", "DisplayName", CONNECTOR_NAME);
	put_sz(h, UNINSTALL_KEY32 "\\{X}", "DisplayVersion", "6.2406.0.1001");
}

static void
legacy_ndes(struct host *h)
{
	put_sz(h, UNINSTALL_KEY "\\{L}", "DisplayName",
	    "Microsoft Intune Connector");
}

static void
legacy_pfx(struct host *h)
{
	put_sz(h, UNINSTALL_KEY32 "\\{P}", "DisplayName",
	    "PFX Certificate Connector for Microsoft Intune");
}

static void
legacy_service(struct host *h)
{
	put(h, RES_SERVICE, "NDESConnectorSvc", NULL, "stopped");
}

static void
ad_connector(struct host *h)
{
	put_sz(h, UNINSTALL_KEY "\\{A}", "DisplayName",
	    "Intune Connector for Active Directory");
}

static void
cert_expired(struct host *h)
{
	put_conn_cert(h, -400, -1);
}

static void
cert_expiring(struct host *h)
{
	put_conn_cert(h, -300, 10);
}

static void
cert_gone(struct host *h)
{
	put(h, RES_CERT, "My", CONN_THUMB, NULL);
}

/* No thumbprint recorded: found by its issuer all the same. */
static void
cert_by_issuer(struct host *h)
{
	put(h, RES_REG, CONNECTOR_KEY, "EncryptionCertThumbprint", NULL);
}

static void
cert_none(struct host *h)
{
	cert_by_issuer(h);
	cert_gone(h);
}

static void
contact_stale(struct host *h)
{
	put_sz(h, CONNECTOR_KEY "\\ConnectionStatus", "LastConnectionTime",
	    "2025-12-30T23:00:00Z");
}

static void
contact_us_form(struct host *h)
{
	put_sz(h, CONNECTOR_KEY "\\ConnectionStatus", "LastConnectionTime",
	    "12/31/2025 11:30:00 PM");
}

static void
contact_none(struct host *h)
{
	put(h, RES_REG, CONNECTOR_KEY "\\ConnectionStatus",
	    "LastConnectionTime", NULL);
}

static void
contact_garbage(struct host *h)
{
	put_sz(h, CONNECTOR_KEY "\\ConnectionStatus", "LastConnectionTime",
	    "yesterday");
}

static void
reboot_cbs(struct host *h)
{
	put(h, RES_REGKEY, HKLM_SW "Microsoft\\Windows\\CurrentVersion\\"
	    "Component Based Servicing\\RebootPending", NULL, "present");
}

static void
reboot_wu(struct host *h)
{
	put(h, RES_REGKEY, HKLM_SW "Microsoft\\Windows\\CurrentVersion\\"
	    "WindowsUpdate\\Auto Update\\RebootRequired", NULL, "present");
}

static const char *const renames[] = { "\\??\\C:\\a", "" };

static void
reboot_rename(struct host *h)
{
	char *v = regval_multi_sz(renames, 1);

	put(h, RES_REG, "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\"
	    "Control\\Session Manager", "PendingFileRenameOperations", v);
	free(v);
}

/* An empty list is no pending rename. */
static void
reboot_rename_empty(struct host *h)
{
	char *v = regval_multi_sz(renames, 0);

	put(h, RES_REG, "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\"
	    "Control\\Session Manager", "PendingFileRenameOperations", v);
	free(v);
}

static const struct hostcase {
	const char *what;
	void (*breakit)(struct host *);
	const char *scenarios;	/* NULL: scep, pkcs */
	const char *probe;
	const char *code;
	enum severity sev;
} cases[] = {
	{ "healthy: connector", NULL, NULL, "connector",
	  "health.connector-installed", SEV_OK },
	{ "healthy: alone", NULL, NULL, "connector",
	  "health.connector-alone", SEV_OK },
	{ "healthy: services", NULL, NULL, "services",
	  "health.services-running", SEV_OK },
	{ "healthy: cert", NULL, NULL, "connector-cert",
	  "health.connector-cert-valid", SEV_OK },
	{ "healthy: contact", NULL, NULL, "last-contact",
	  "health.last-contact-recent", SEV_OK },
	{ "healthy: reboot", NULL, NULL, "reboot", "health.reboot-none",
	  SEV_OK },
	{ "service stopped", svc_stopped, NULL, "services",
	  "health.services-stopped", SEV_ERROR },
	{ "service missing", svc_missing, NULL, "services",
	  "health.services-missing", SEV_ERROR },
	{ "revocation needs its service", NULL, "scep, revocation",
	  "services", "health.services-missing", SEV_ERROR },
	{ "pkcs-import only: no PKI service needed", svc_stopped,
	  "pkcs-import", "services", "health.services-running", SEV_OK },
	{ "not installed", not_installed, NULL, "connector",
	  "health.connector-missing", SEV_ERROR },
	{ "below the minimum", too_old, NULL, "connector",
	  "health.connector-old", SEV_WARN },
	{ "newer than the minimum", newer, NULL, "connector",
	  "health.connector-installed", SEV_OK },
	{ "unreadable version", bad_version, NULL, "connector",
	  "health.connector-version-unknown", SEV_WARN },
	{ "32-bit uninstall entry", wow64_entry, NULL, "connector",
	  "health.connector-installed", SEV_OK },
	{ "legacy NDES connector", legacy_ndes, NULL, "connector",
	  "health.connector-legacy", SEV_ERROR },
	{ "legacy PFX connector", legacy_pfx, NULL, "connector",
	  "health.connector-legacy", SEV_ERROR },
	{ "legacy connector's service", legacy_service, NULL, "connector",
	  "health.connector-legacy", SEV_ERROR },
	{ "AD connector", ad_connector, NULL, "connector",
	  "health.connector-ad-connector", SEV_WARN },
	{ "cert expired", cert_expired, NULL, "connector-cert",
	  "health.connector-cert-expired", SEV_ERROR },
	{ "cert expiring", cert_expiring, NULL, "connector-cert",
	  "health.connector-cert-expiring", SEV_WARN },
	{ "cert named but gone", cert_gone, NULL, "connector-cert",
	  "health.connector-cert-missing", SEV_ERROR },
	{ "cert found by its issuer", cert_by_issuer, NULL,
	  "connector-cert", "health.connector-cert-valid", SEV_OK },
	{ "no cert at all", cert_none, NULL, "connector-cert",
	  "health.connector-cert-missing", SEV_WARN },
	{ "contact stale", contact_stale, NULL, "last-contact",
	  "health.last-contact-stale", SEV_WARN },
	{ "contact in .NET's US form", contact_us_form, NULL,
	  "last-contact", "health.last-contact-recent", SEV_OK },
	{ "no contact", contact_none, NULL, "last-contact",
	  "health.last-contact-none", SEV_WARN },
	{ "contact unreadable", contact_garbage, NULL, "last-contact",
	  "health.last-contact-unreadable", SEV_WARN },
	{ "reboot: CBS", reboot_cbs, NULL, "reboot", "health.reboot-pending",
	  SEV_WARN },
	{ "reboot: Windows Update", reboot_wu, NULL, "reboot",
	  "health.reboot-pending", SEV_WARN },
	{ "reboot: renames", reboot_rename, NULL, "reboot",
	  "health.reboot-pending", SEV_WARN },
	{ "reboot: empty renames", reboot_rename_empty, NULL, "reboot",
	  "health.reboot-none", SEV_OK },
};

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct hostcase *c = &cases[i];
		struct host *h = healthy();
		struct findings f = {0};
		const struct finding *got;
		struct answers a;

		answers_init(&a);
		answers_put(&a, F_PREREQS_SCENARIOS, c->scenarios ?
		    c->scenarios : "scep, pkcs", SRC_SCREEN);
		if (c->breakit != NULL)
			c->breakit(h);
		host_rules_run(c->probe, h, &a, NOW, &f);
		got = findings_find(&f, c->code);
		if (got == NULL || got->sev != c->sev) {
			for (size_t k = 0; k < f.n; k++)
				print_message("  %s %s: %s\n",
				    severity_name(f.v[k].sev), f.v[k].code,
				    f.v[k].message);
			fail_msg("%s: want %s (%s)", c->what, c->code,
			    severity_name(c->sev));
		}
		/* The healthy server has nothing worse than the case. */
		if (findings_worst(&f) != c->sev)
			fail_msg("%s: worst is %s, want %s", c->what,
			    severity_name(findings_worst(&f)),
			    severity_name(c->sev));
		findings_free(&f);
		answers_free(&a);
		memhost_free(h);
	}
}

static void
test_version_cmp(void **state)
{
	(void)state;
	assert_int_equal(version_cmp("6.2406.0.1001", "6.2406.0.1001"), 0);
	assert_int_equal(version_cmp("6.2406.0.999", "6.2406.0.1001"), -1);
	assert_int_equal(version_cmp("6.2501.1.0", "6.2406.0.1001"), 1);
	assert_int_equal(version_cmp("6.2406", "6.2406.0.0"), 0);
	assert_int_equal(version_cmp("6.x", "6.1"), -2);
	assert_int_equal(version_cmp("", "6.1"), -2);
	assert_int_equal(version_cmp("1.2.3.4.5", "1"), -2);
	assert_int_equal(version_cmp(NULL, "1"), -2);
}

static void
test_last_contact_parse(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(last_contact_parse("2026-01-01T00:00:00Z", &t), 0);
	assert_true(t == NOW);
	assert_int_equal(last_contact_parse("2026-01-01T02:00:00.1234567"
	    "+02:00", &t), 0);
	assert_true(t == NOW);
	assert_int_equal(last_contact_parse("2026-01-01 00:00:00", &t), 0);
	assert_true(t == NOW);
	assert_int_equal(last_contact_parse("1/1/2026 12:00:00 AM", &t), 0);
	assert_true(t == NOW);
	assert_int_equal(last_contact_parse("12/31/2025 1:00:00 PM", &t), 0);
	assert_true(t == NOW - 11 * 3600);
	assert_int_equal(last_contact_parse("2026-13-01T00:00:00Z", &t), -1);
	assert_int_equal(last_contact_parse("2026-01-01T00:00:00Q", &t), -1);
	assert_int_equal(last_contact_parse("13/1/2026 1:00:00 PM", &t), -1);
	assert_int_equal(last_contact_parse("1/1/2026 13:00:00 PM", &t), -1);
	assert_int_equal(last_contact_parse("", &t), -1);
	assert_int_equal(last_contact_parse(NULL, &t), -1);
}

static int
keys_make(void **state)
{
	(void)state;
	ck = certgen_rsa(2048);
	k = certgen_rsa(2048);
	return 0;
}

static int
keys_free(void **state)
{
	(void)state;
	EVP_PKEY_free(ck);
	EVP_PKEY_free(k);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_version_cmp),
		cmocka_unit_test(test_last_contact_parse),
	};

	return cmocka_run_group_tests(tests, keys_make, keys_free);
}
