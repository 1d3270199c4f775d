/* The NDES role step: parameters, CSPs, what an install leaves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "stepcase.h"
#include "syntax.h"

extern const struct step step_ndes;

#define SCEP_POOL_PM "|system.applicationHost/applicationPools/" \
    "add[@name='SCEP']/processModel"

static const struct rule_case cases[] = {
	{ NULL, 0, NULL, { { F_NDES_CA_CONFIG, "CA01\\Contoso CA" } } },
	{ "ndes.ca-config-syntax", SEV_ERROR, "ndes.ca_config",
	  { { F_NDES_CA_CONFIG, "Contoso Issuing CA" } } },
	{ "ndes.ca-config-syntax", SEV_ERROR, "ndes.ca_config",
	  { { F_NDES_CA_CONFIG, "ca01.contoso.com\\" } } },
	{ "ndes.ca-config-syntax", SEV_ERROR, "ndes.ca_config",
	  { { F_NDES_CA_CONFIG, "ca01 contoso\\CA" } } },
	{ "ndes.ca-config-missing", SEV_ERROR, "ndes.ca_config",
	  { { F_NDES_CA_CONFIG, "" } } },
	{ "ndes.ca-is-this-server", SEV_ERROR, "ndes.ca_config",
	  { { F_NDES_CA_CONFIG, "ndes01.contoso.com\\Contoso CA" } } },
	{ "ndes.ra-country-unknown", SEV_ERROR, "ndes.ra_country",
	  { { F_NDES_RA_COUNTRY, "XX" } } },
	{ NULL, 0, NULL, { { F_NDES_RA_COUNTRY, "de" } } },
	{ "ndes.ra-country-missing", SEV_ERROR, "ndes.ra_country",
	  { { F_NDES_RA_COUNTRY, "" } } },
	{ "ndes.ra-name-missing", SEV_ERROR, "ndes.ra_name",
	  { { F_NDES_RA_NAME, "" } } },
	{ "ndes.ra-email-syntax", SEV_ERROR, "ndes.ra_email",
	  { { F_NDES_RA_EMAIL, "pki-at-contoso" } } },
	{ "ndes.csp-is-cng", SEV_ERROR, "ndes.signing_csp",
	  { { F_NDES_SIGNING_CSP,
	  "Microsoft Software Key Storage Provider" } } },
	{ "ndes.csp-is-cng", SEV_ERROR, "ndes.encryption_csp",
	  { { F_NDES_ENCRYPTION_CSP, "Microsoft Platform Crypto Provider" } } },
	{ "ndes.csp-unknown", SEV_WARN, "ndes.signing_csp",
	  { { F_NDES_SIGNING_CSP, "SafeNet Luna CSP" } } },
	{ NULL, 0, NULL, { { F_NDES_SIGNING_CSP,
	  "Microsoft Enhanced RSA and AES Cryptographic Provider" } } },
	{ "ndes.key-length", SEV_ERROR, "ndes.signing_key_length",
	  { { F_NDES_SIGNING_KEY_LENGTH, "1024" } } },
	{ "ndes.key-length", SEV_ERROR, "ndes.encryption_key_length",
	  { { F_NDES_ENCRYPTION_KEY_LENGTH, "2049" } } },
	{ NULL, 0, NULL, { { F_NDES_SIGNING_KEY_LENGTH, "4096" },
	  { F_NDES_ENCRYPTION_KEY_LENGTH, "3072" } } },
	/* PKCS only: no NDES, no rules. */
	{ NULL, 0, NULL, { { F_PREREQS_SCENARIOS, "pkcs" },
	  { F_NDES_CA_CONFIG, "" }, { F_NDES_RA_COUNTRY, "XX" } } },
};

static void
test_rules(void **state)
{
	(void)state;
	assert_example_clean(&step_ndes);
	run_rule_cases(&step_ndes, cases, nitems(cases));
	assert_true(country_code_ok("us"));
	assert_true(country_code_ok("GB"));
	assert_false(country_code_ok("UK"));
	assert_false(country_code_ok("U"));
}

static void
test_plan_parameters(void **state)
{
	struct host *h = memhost_new();
	struct answers a;
	struct findings f = {0};
	struct plan p = {0};
	const char *cfg;
	int found;

	(void)state;
	setenv("NDES_SVC_PASSWORD", "Sup3r-Secret", 1);
	example_answers(&a);
	step_ndes.plan(h, &a, &p, &f);
	cfg = plan_pending(&p, RES_ROLE, "ADCS-Device-Enrollment", NULL,
	    &found);
	assert_non_null(cfg);
	assert_non_null(strstr(cfg, "-ServiceAccountName 'CONTOSO\\svc-ndes'"));
	assert_non_null(strstr(cfg, "-ServiceAccountPassword "
	    "<env:NDES_SVC_PASSWORD>"));
	assert_non_null(strstr(cfg, "-CAConfig 'ca01.contoso.com\\Contoso "
	    "Issuing CA'"));
	assert_non_null(strstr(cfg, "-RACountry 'US'"));
	assert_non_null(strstr(cfg, "-SigningProviderName 'Microsoft Strong "
	    "Cryptographic Provider'"));
	assert_non_null(strstr(cfg, "-EncryptionKeyLength '2048'"));
	/* Only the reference, never the password itself. */
	assert_null(strstr(cfg, "Sup3r-Secret"));
	plan_free(&p);
	answers_put(&a, F_NDES_APP_POOL_IDENTITY, "app-pool", SRC_SCREEN);
	answers_put(&a, F_NDES_RA_CITY, "", SRC_SCREEN);
	step_ndes.plan(h, &a, &p, &f);
	cfg = plan_pending(&p, RES_ROLE, "ADCS-Device-Enrollment", NULL,
	    &found);
	assert_true(str_has_prefix(cfg, "-ApplicationPoolIdentity "));
	assert_null(strstr(cfg, "ServiceAccount"));
	assert_null(strstr(cfg, "RACity"));
	/* The built-in identity: no pool change of ours, no key warning. */
	assert_null(plan_pending(&p, RES_IIS, SCEP_POOL_PM, "userName",
	    &found));
	assert_null(findings_find(&f, "ndes.gmsa-ra-keys"));
	plan_free(&p);
	findings_free(&f);
	answers_free(&a);
	memhost_free(h);
}

#define RA_DIR "assets/hosts/ws2022-ndes/certs/My/"
#define RA_EA "448CEC793CC225E4088F77B5C77E2054F88FE4E1"
#define RA_CEP "8ECCB5325D75BFD65FB8FDA30A2E76D246429727"
#define GMSA "CONTOSO\\gmsa-ndes$"

/* The configured profile's certificates in My: its two RA certificates
 * (with their keys) and two that are not RA certificates. */
static void
put_profile_certs(struct host *h)
{
	static const char *const thumbs[] = { RA_EA, RA_CEP,
		"51EA655084E3664FF0F4E943799E12972B4AA241",
		"B0C57C5E27AFE49BECD30916F7615D8708EBBB94" };
	char err[256], *pem, *path;
	size_t n;

	for (size_t i = 0; i < nitems(thumbs); i++) {
		path = xasprintf(RA_DIR "%s.pem", thumbs[i]);
		if (file_read(path, 1 << 20, &pem, &n) != 0)
			fail_msg("cannot read %s", path);
		assert_int_equal(host_set(h, RES_CERT, "My", thumbs[i], pem,
		    err, sizeof err), 0);
		free(pem);
		free(path);
	}
}

static void
account_answers(struct answers *a, const char *account, const char *password)
{
	example_answers(a);
	answers_put(a, F_ACCOUNTS_NDES_SERVICE_ACCOUNT, account, SRC_SCREEN);
	answers_put(a, F_ACCOUNTS_NDES_SERVICE_PASSWORD, password, SRC_SCREEN);
}

/* The key changes of a plan: how many, and how many wait for apply. */
static size_t
key_changes(const struct plan *p, size_t *at_apply)
{
	size_t n = 0;

	*at_apply = 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == RES_KEYACL) {
			n++;
			*at_apply += p->v[i].resolve != NULL;
			assert_string_equal(p->v[i].name, GMSA);
			assert_string_equal(p->v[i].new, "read");
		}
	return n;
}

/*
 * Issue 14 item 2, both ways: a gMSA has no password, so the role installs
 * with the pool identity, the SCEP pool is then set to the gMSA, and the
 * gMSA gets Read on each RA certificate's key: found at apply when this
 * plan installs the role (its install enrolls them), planned by
 * thumbprint when the role stays, a warning when there is none. A plain
 * account keeps the service-account parameters and no key change.
 */
static void
test_plan_gmsa(void **state)
{
	static const struct {
		const char *account, *password;
		int gmsa, role_there, certs, keys, at_apply, warn;
	} cases[] = {
		{ GMSA, "", 1, 0, 0, 2, 2, 0 },
		{ GMSA, "", 1, 0, 1, 2, 2, 0 },
		{ GMSA, "", 1, 1, 1, 2, 0, 0 },
		{ GMSA, "", 1, 1, 0, 0, 0, 1 },
		{ "CONTOSO\\svc-ndes", "env:NDES_SVC_PASSWORD", 0, 0, 1, 0, 0,
		  0 },
		{ "CONTOSO\\svc-ndes", "env:NDES_SVC_PASSWORD", 0, 1, 1, 0, 0,
		  0 },
	};

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		struct host *h = memhost_new();
		struct answers a;
		struct findings f = {0};
		struct plan p = {0};
		const char *cfg, *user;
		char err[256];
		size_t at_apply;
		int found;

		account_answers(&a, cases[i].account, cases[i].password);
		if (cases[i].certs)
			put_profile_certs(h);
		step_ndes.plan(h, &a, &p, &f);
		cfg = plan_pending(&p, RES_ROLE, "ADCS-Device-Enrollment",
		    NULL, &found);
		if (cases[i].role_there) {
			/* The role as this plan installs it: it stays. */
			assert_int_equal(host_set(h, RES_ROLE,
			    "ADCS-Device-Enrollment", NULL, cfg, err,
			    sizeof err), 0);
			plan_free(&p);
			findings_free(&f);
			step_ndes.plan(h, &a, &p, &f);
			assert_null(plan_pending(&p, RES_ROLE,
			    "ADCS-Device-Enrollment", NULL, &found));
			cfg = NULL;
			host_get(h, RES_ROLE, "ADCS-Device-Enrollment", NULL,
			    (char **)&cfg, err, sizeof err);
		}
		user = plan_pending(&p, RES_IIS, SCEP_POOL_PM, "userName",
		    &found);
		if (cases[i].gmsa) {
			assert_true(str_has_prefix(cfg,
			    "-ApplicationPoolIdentity "));
			assert_null(strstr(cfg, "ServiceAccountPassword"));
			assert_non_null(user);
			assert_string_equal(user, cases[i].account);
			assert_string_equal(plan_pending(&p, RES_IIS,
			    SCEP_POOL_PM, "identityType", &found),
			    "SpecificUser");
		} else {
			assert_non_null(strstr(cfg, "-ServiceAccountPassword "
			    "<env:NDES_SVC_PASSWORD>"));
			assert_null(user);
		}
		if (cases[i].role_there)
			free((char *)cfg);
		assert_int_equal(key_changes(&p, &at_apply), cases[i].keys);
		assert_int_equal(at_apply, cases[i].at_apply);
		if (cases[i].keys && !cases[i].at_apply) {
			assert_string_equal(plan_pending(&p, RES_KEYACL,
			    "My\\" RA_EA, GMSA, &found), "read");
			assert_string_equal(plan_pending(&p, RES_KEYACL,
			    "My\\" RA_CEP, GMSA, &found), "read");
		}
		assert_int_equal(findings_find(&f, "ndes.gmsa-ra-keys") !=
		    NULL, cases[i].warn);
		plan_free(&p);
		findings_free(&f);
		answers_free(&a);
		memhost_free(h);
	}
}

/* A key change waiting for apply finds its certificate then: the one of
 * its template in My, or an error when the role install left none. */
static void
test_resolve_at_apply(void **state)
{
	static const struct {
		int certs;
		int rc;
	} cases[] = { { 1, 0 }, { 0, -1 } };

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		struct host *h = memhost_new();
		struct answers a;
		struct findings f = {0};
		struct plan p = {0};
		char err[512] = "";
		size_t at_apply, seen = 0;

		account_answers(&a, GMSA, "");
		step_ndes.plan(h, &a, &p, &f);
		assert_int_equal(key_changes(&p, &at_apply), 2);
		/* What the role install enrolls, after plan. */
		if (cases[i].certs)
			put_profile_certs(h);
		for (size_t k = 0; k < p.n; k++) {
			struct change *c = &p.v[k];

			if (c->resolve == NULL)
				continue;
			assert_non_null(strstr(c->path, "role install"));
			assert_int_equal(c->resolve(h, c, err, sizeof err),
			    cases[i].rc);
			if (cases[i].rc != 0) {
				assert_non_null(strstr(err, "no valid"));
				continue;
			}
			assert_string_equal(c->path, seen++ == 0 ?
			    "My\\" RA_EA : "My\\" RA_CEP);
			assert_null(c->old);
		}
		plan_free(&p);
		findings_free(&f);
		answers_free(&a);
		memhost_free(h);
	}
}

static void
test_inspect(void **state)
{
	struct host *h = memhost_new();
	struct answers a;
	struct findings f = {0};
	char err[128];

	(void)state;
	example_answers(&a);
	step_ndes.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "ndes.not-installed"));
	findings_free(&f);
	host_set(h, RES_ROLE, "ADCS-Device-Enrollment", NULL, "-x", err,
	    sizeof err);
	step_ndes.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "ndes.pool-missing"));
	findings_free(&f);
	host_set(h, RES_IISELEM, "|system.applicationHost/applicationPools/"
	    "add[@name='SCEP']", NULL, "present", err, sizeof err);
	host_set(h, RES_IIS, "|system.applicationHost/applicationPools/"
	    "add[@name='SCEP']/processModel", "userName", "CONTOSO\\other",
	    err, sizeof err);
	step_ndes.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "ndes.pool-identity"));
	findings_free(&f);
	answers_free(&a);
	memhost_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_plan_parameters),
		cmocka_unit_test(test_plan_gmsa),
		cmocka_unit_test(test_resolve_at_apply),
		cmocka_unit_test(test_inspect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
