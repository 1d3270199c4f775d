/* The accounts step: every rule both ways. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "stepcase.h"
#include "syntax.h"

extern const struct step step_accounts;

static const struct rule_case cases[] = {
	/* Accepted forms pass. */
	{ NULL, 0, NULL, { { F_ACCOUNTS_NDES_SERVICE_ACCOUNT,
	  "svc-ndes@contoso.com" } } },
	{ NULL, 0, NULL, { { F_ACCOUNTS_NDES_SERVICE_ACCOUNT,
	  "CONTOSO\\gmsa-ndes$" }, { F_ACCOUNTS_NDES_SERVICE_PASSWORD,
	  "" } } },
	{ NULL, 0, NULL, { { F_ACCOUNTS_CONNECTOR_ACCOUNT, "domain" },
	  { F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT, "CONTOSO\\svc-conn" },
	  { F_ACCOUNTS_CONNECTOR_PASSWORD, "env:CONN_PW" } } },
	/* Anything else is refused with the forms. */
	{ "accounts.account-syntax", SEV_ERROR,
	  "accounts.ndes_service_account",
	  { { F_ACCOUNTS_NDES_SERVICE_ACCOUNT, "svc-ndes" } } },
	{ "accounts.account-syntax", SEV_ERROR,
	  "accounts.ndes_service_account",
	  { { F_ACCOUNTS_NDES_SERVICE_ACCOUNT, "CONTOSO\\a\\b" } } },
	{ "accounts.account-syntax", SEV_ERROR,
	  "accounts.ndes_service_account",
	  { { F_ACCOUNTS_NDES_SERVICE_ACCOUNT, "user@localhost" } } },
	{ "accounts.account-syntax", SEV_ERROR,
	  "accounts.ndes_service_account",
	  { { F_ACCOUNTS_NDES_SERVICE_ACCOUNT,
	  "CONTOSO\\name-longer-than-twenty" } } },
	{ "accounts.account-syntax", SEV_ERROR,
	  "accounts.ndes_service_account",
	  { { F_ACCOUNTS_NDES_SERVICE_ACCOUNT,
	  "CONTOSO\\gmsa-name-too-long$" } } },
	{ "accounts.account-missing", SEV_ERROR,
	  "accounts.ndes_service_account",
	  { { F_ACCOUNTS_NDES_SERVICE_ACCOUNT, "" } } },
	/* A gMSA takes no password; a user needs one. */
	{ "accounts.gmsa-password", SEV_ERROR,
	  "accounts.ndes_service_password",
	  { { F_ACCOUNTS_NDES_SERVICE_ACCOUNT, "CONTOSO\\gmsa-ndes$" } } },
	{ "accounts.password-missing", SEV_ERROR,
	  "accounts.ndes_service_password",
	  { { F_ACCOUNTS_NDES_SERVICE_PASSWORD, "" } } },
	/* The connector account. */
	{ "accounts.account-missing", SEV_ERROR,
	  "accounts.connector_domain_account",
	  { { F_ACCOUNTS_CONNECTOR_ACCOUNT, "domain" } } },
	{ "accounts.password-missing", SEV_ERROR,
	  "accounts.connector_password",
	  { { F_ACCOUNTS_CONNECTOR_ACCOUNT, "domain" },
	  { F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT, "CONTOSO\\svc-conn" } } },
	{ "accounts.connector-account-ignored", SEV_WARN,
	  "accounts.connector_domain_account",
	  { { F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT, "CONTOSO\\svc-conn" } } },
	{ "accounts.spn-name-syntax", SEV_ERROR, "accounts.spn_names",
	  { { F_ACCOUNTS_SPN_NAMES, "scep.contoso.com, bad_name" } } },
	/* PKCS only, or the app pool's own identity: no NDES account. */
	{ NULL, 0, NULL, { { F_PREREQS_SCENARIOS, "pkcs" },
	  { F_ACCOUNTS_NDES_SERVICE_ACCOUNT, "" } } },
	{ NULL, 0, NULL, { { F_NDES_APP_POOL_IDENTITY, "app-pool" },
	  { F_ACCOUNTS_NDES_SERVICE_ACCOUNT, "" } } },
};

static void
test_rules(void **state)
{
	(void)state;
	assert_example_clean(&step_accounts);
	run_rule_cases(&step_accounts, cases, nitems(cases));
}

static void
test_account_parse(void **state)
{
	struct account ac;
	char why[256];

	(void)state;
	assert_int_equal(account_parse("CONTOSO\\svc", &ac, why, sizeof why),
	    ACCOUNT_DOMAIN_USER);
	assert_string_equal(ac.domain, "CONTOSO");
	assert_string_equal(ac.user, "svc");
	assert_int_equal(account_parse("svc@contoso.com", &ac, why,
	    sizeof why), ACCOUNT_UPN);
	assert_string_equal(ac.domain, "contoso.com");
	assert_int_equal(account_parse("CONTOSO\\gm$", &ac, why, sizeof why),
	    ACCOUNT_GMSA);
	assert_int_equal(account_parse("@contoso.com", &ac, why, sizeof why),
	    ACCOUNT_BAD);
	assert_non_null(strstr(why, ACCOUNT_FORMS));
	assert_int_equal(account_parse("CON TOSO\\x", &ac, why, sizeof why),
	    ACCOUNT_BAD);
	assert_int_equal(account_parse("a@b@c.com", &ac, why, sizeof why),
	    ACCOUNT_BAD);
}

static void
test_plan_and_inspect(void **state)
{
	struct host *h = memhost_new();
	struct memhost *m = h->priv;
	struct answers a;
	struct findings f = {0};
	struct plan p = {0};
	char err[128];
	int found;

	(void)state;
	snprintf(m->facts.fqdn, sizeof m->facts.fqdn, "ndes01.contoso.com");
	snprintf(m->facts.hostname, sizeof m->facts.hostname, "NDES01");
	example_answers(&a);
	/* The real host name needs no SPN; the alias needs two. */
	answers_put(&a, F_ACCOUNTS_SPN_NAMES, "ndes01.contoso.com, "
	    "scep.contoso.com", SRC_SCREEN);
	answers_put(&a, F_ACCOUNTS_CONNECTOR_ACCOUNT, "domain", SRC_SCREEN);
	answers_put(&a, F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT, "CONTOSO\\conn",
	    SRC_SCREEN);
	step_accounts.plan(h, &a, &p, &f);
	assert_string_equal(plan_pending(&p, RES_GROUP, "IIS_IUSRS",
	    "CONTOSO\\svc-ndes", &found), "member");
	assert_non_null(plan_pending(&p, RES_SPN, "CONTOSO\\svc-ndes",
	    "HTTP/scep.contoso.com", &found));
	assert_non_null(plan_pending(&p, RES_SPN, "CONTOSO\\svc-ndes",
	    "HTTP/scep", &found));
	plan_pending(&p, RES_SPN, "CONTOSO\\svc-ndes",
	    "HTTP/ndes01.contoso.com", &found);
	assert_false(found);
	assert_string_equal(plan_pending(&p, RES_RIGHT, "SeServiceLogonRight",
	    "CONTOSO\\conn", &found), "granted");
	assert_int_equal(p.n, 4);
	/* Inspect: missing membership and SPNs, and a local admin. */
	host_set(h, RES_GROUP, "Administrators", "CONTOSO\\svc-ndes",
	    "member", err, sizeof err);
	step_accounts.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "accounts.not-in-iis-iusrs"));
	assert_non_null(findings_find(&f, "accounts.ndes-is-admin"));
	assert_non_null(findings_find(&f, "accounts.spn-missing"));
	findings_free(&f);
	/* After the changes, inspect is quiet and the plan empty. */
	for (size_t i = 0; i < p.n; i++)
		host_set(h, p.v[i].kind, p.v[i].path, p.v[i].name,
		    p.v[i].new, err, sizeof err);
	host_set(h, RES_GROUP, "Administrators", "CONTOSO\\svc-ndes", NULL,
	    err, sizeof err);
	step_accounts.inspect(h, &a, &f);
	assert_int_equal(f.n, 0);
	plan_free(&p);
	step_accounts.plan(h, &a, &p, &f);
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);
	answers_free(&a);
	memhost_free(h);
}

/* Item 3: the SPNs do not depend on which name [binding] fqdn holds
 * (the classic layout puts the external name there); facts name the
 * machine by FQDN, or only by short name and domain. */
static void
test_spns_not_from_binding_fqdn(void **state)
{
	static const struct {
		const char *fqdn, *host, *domain, *binding;
	} cases[] = {
		{ "ndes01.contoso.com", "NDES01", "contoso.com",
		  "ndes01.contoso.com" },
		{ "ndes01.contoso.com", "NDES01", "contoso.com",
		  "scep.contoso.com" },
		{ "", "NDES01", "contoso.com", "ndes01.contoso.com" },
		{ "", "NDES01", "contoso.com", "scep.contoso.com" },
	};

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		struct host *h = memhost_new();
		struct memhost *m = h->priv;
		struct answers a;
		struct findings f = {0};
		struct plan p = {0};
		int found;

		snprintf(m->facts.fqdn, sizeof m->facts.fqdn, "%s",
		    cases[i].fqdn);
		snprintf(m->facts.hostname, sizeof m->facts.hostname, "%s",
		    cases[i].host);
		snprintf(m->facts.domain, sizeof m->facts.domain, "%s",
		    cases[i].domain);
		example_answers(&a);
		answers_put(&a, F_BINDING_FQDN, cases[i].binding, SRC_SCREEN);
		answers_put(&a, F_ACCOUNTS_SPN_NAMES, "ndes01.contoso.com, "
		    "scep.contoso.com", SRC_SCREEN);
		step_accounts.plan(h, &a, &p, &f);
		if (plan_pending(&p, RES_SPN, "CONTOSO\\svc-ndes",
		    "HTTP/scep.contoso.com", &found), !found)
			fail_msg("case %zu: no alias SPN", i);
		if (plan_pending(&p, RES_SPN, "CONTOSO\\svc-ndes",
		    "HTTP/ndes01.contoso.com", &found), found)
			fail_msg("case %zu: SPN for the host's own name", i);
		plan_free(&p);
		findings_free(&f);
		answers_free(&a);
		memhost_free(h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_account_parse),
		cmocka_unit_test(test_plan_and_inspect),
		cmocka_unit_test(test_spns_not_from_binding_fqdn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
