/* The template step: rules, the derived name, the CA runbook. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "stepcase.h"

extern const struct step step_template;

static const struct rule_case cases[] = {
	{ "template.validity-short", SEV_WARN, "template.validity_days",
	  { { F_TEMPLATE_VALIDITY_DAYS, "4" } } },
	{ NULL, 0, NULL, { { F_TEMPLATE_VALIDITY_DAYS, "5" } } },
	{ "template.key-too-small", SEV_ERROR, "template.key_size",
	  { { F_TEMPLATE_KEY_SIZE, "1024" } } },
	{ "template.purpose", SEV_OK, "template.purpose",
	  { { F_TEMPLATE_PURPOSE, "encryption" } } },
	/* Without SCEP the registry step is off: this step checks the
	 * name itself. With SCEP, it leaves that to the registry step. */
	{ "template.name-has-spaces", SEV_ERROR, "template.name",
	  { { F_PREREQS_SCENARIOS, "pkcs" }, { F_TEMPLATE_NAME, "A B" } } },
	{ "template.name-missing", SEV_ERROR, "template.name",
	  { { F_PREREQS_SCENARIOS, "pkcs" }, { F_TEMPLATE_NAME, "" } } },
	{ NULL, 0, NULL, { { F_TEMPLATE_NAME, "A B" } } },
	/* Import-only: no template of ours in play. */
	{ NULL, 0, NULL, { { F_PREREQS_SCENARIOS, "pkcs-import" },
	  { F_TEMPLATE_KEY_SIZE, "1024" } } },
};

static void
test_rules(void **state)
{
	(void)state;
	assert_example_clean(&step_template);
	run_rule_cases(&step_template, cases, nitems(cases));
}

static void
test_derive_name(void **state)
{
	struct answers a;

	(void)state;
	answers_init(&a);
	answers_put(&a, F_TEMPLATE_DISPLAY_NAME, "NDES Device Cert",
	    SRC_FILE);
	step_template.derive(&a);
	assert_string_equal(answers_get(&a, F_TEMPLATE_NAME),
	    "NDESDeviceCert");
	/* An explicit name is never overwritten. */
	answers_put(&a, F_TEMPLATE_NAME, "Other", SRC_FILE);
	step_template.derive(&a);
	assert_string_equal(answers_get(&a, F_TEMPLATE_NAME), "Other");
	answers_free(&a);
}

static const char *
runbook(struct host *h, struct answers *a, struct plan *p)
{
	struct findings f = {0};
	int found;
	const char *text;

	step_template.plan(h, a, p, &f);
	text = plan_pending(p, RES_FILE, "ca-runbook.txt", NULL, &found);
	assert_true(found);
	findings_free(&f);
	return text;
}

static void
test_runbook(void **state)
{
	struct host *h = memhost_new();
	struct memhost *m = h->priv;
	struct answers a;
	struct plan p = {0};
	const char *t;
	char err[128];
	static const char *const must[] = {
		"template name 'NDESDeviceCert'",
		"display name 'NDES Device Cert'",
		"Validity period: 365 days",
		"Do NOT publish in Active Directory",
		"Supply in the request",
		"Client Authentication",
		"(1.3.6.1.5.5.7.3.2)",
		"purpose 'Signature and encryption'",
		"NDES needs a version 2 template",
		"\"Windows Server 2003\" compatibility",
		"Allow private key to be exported",
		"Remove 'Domain Users' (Enroll)",
		"/R \"CONTOSO\\Domain Users\"",
		"clear 'Signature is proof of origin (nonrepudiation)'",
		"CONTOSO\\svc-ndes: Read and Enroll",
		"DC=contoso,DC=com\" /G \"CONTOSO\\svc-ndes:CA;Enroll\"",
		/* PKCS: the connector (SYSTEM) enrolls as the computer. */
		"CONTOSO\\NDES01$: Read and Enroll",
		"/G \"CONTOSO\\NDES01$:CA;Enroll\"",
		"give CONTOSO\\NDES01$",
		"Issue and Manage Certificates and Request Certificates",
		"certutil -config \"ca01.contoso.com\\Contoso Issuing CA\" "
		    "-SetCATemplates +NDESDeviceCert",
	};

	(void)state;
	snprintf(m->facts.domain, sizeof m->facts.domain, "contoso.com");
	snprintf(m->facts.hostname, sizeof m->facts.hostname, "ndes01");
	example_answers(&a);
	t = runbook(h, &a, &p);
	for (size_t i = 0; i < nitems(must); i++)
		if (strstr(t, must[i]) == NULL)
			fail_msg("runbook lacks '%s':\n%s", must[i], t);
	assert_null(strstr(t, "EDITF_ATTRIBUTEENDDATE"));
	plan_free(&p);
	/* requester_validity adds the CA flag; Apple off drops the line. */
	answers_put(&a, F_TEMPLATE_REQUESTER_VALIDITY, "yes", SRC_SCREEN);
	answers_put(&a, F_TEMPLATE_APPLE_DEVICES, "no", SRC_SCREEN);
	t = runbook(h, &a, &p);
	assert_non_null(strstr(t, "certutil -setreg Policy\\EditFlags "
	    "+EDITF_ATTRIBUTEENDDATE"));
	assert_non_null(strstr(t, "net stop certsvc && net start certsvc"));
	assert_null(strstr(t, "proof of origin"));
	/* Written once, the same answers plan nothing more. */
	host_set(h, RES_FILE, "ca-runbook.txt", NULL, t, err, sizeof err);
	plan_free(&p);
	{
		struct findings f = {0};

		step_template.plan(h, &a, &p, &f);
		assert_int_equal(p.n, 0);
		findings_free(&f);
	}
	plan_free(&p);
	answers_free(&a);
	memhost_free(h);
}

/*
 * Item by item, per scenario: each part of the runbook appears for the
 * scenarios that need it, with its principal, and never an empty one.
 */
static const struct scenario_case {
	struct setting set[4];
	const char *must[5];
	const char *never[4];
} scenario_cases[] = {
	{ { { F_PREREQS_SCENARIOS, "scep" } },
	  { "CONTOSO\\svc-ndes: Read and Enroll", "version 2 template",
	    "SetCATemplates +NDESDeviceCert" },
	  { "Allow private key", "certsrv.msc", "Imported PFX",
	    "NDES01$: Read and Enroll" } },
	/* The built-in pool identity reaches the CA as the computer. */
	{ { { F_PREREQS_SCENARIOS, "scep" },
	    { F_NDES_APP_POOL_IDENTITY, "app-pool" },
	    { F_ACCOUNTS_NDES_SERVICE_ACCOUNT, "" } },
	  { "/G \"CONTOSO\\NDES01$:CA;Enroll\"",
	    "built-in application pool identity" },
	  { "svc-ndes", "NDES service account the SCEP", "\":GR\"" } },
	/* The reported bug: pkcs + revocation without an NDES account. */
	{ { { F_PREREQS_SCENARIOS, "pkcs, revocation" },
	    { F_ACCOUNTS_NDES_SERVICE_ACCOUNT, "" } },
	  { "/G \"CONTOSO\\NDES01$:GR\"", "Allow private key to be "
	    "exported", "Issue and Manage Certificates and Request",
	    "revocation: the connector revokes", "Windows Server 2008 R2" },
	  { "\":GR\"", "NDES (SCEP)", "version 2 template: the",
	    "Imported PFX" } },
	{ { { F_PREREQS_SCENARIOS, "revocation" } },
	  { "give CONTOSO\\NDES01$", "Issue and Manage Certificates "
	    "(revocation" },
	  { "certtmpl.msc", "SetCATemplates", "Request Certificates",
	    "Imported PFX" } },
	{ { { F_PREREQS_SCENARIOS, "pkcs-import" } },
	  { "Imported PFX", "Give CONTOSO\\NDES01$ Read access" },
	  { "certtmpl.msc", "certsrv.msc" } },
	/* A domain account for the connector is the principal instead. */
	{ { { F_PREREQS_SCENARIOS, "pkcs" },
	    { F_ACCOUNTS_CONNECTOR_ACCOUNT, "domain" },
	    { F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT, "CONTOSO\\svc-conn" } },
	  { "/G \"CONTOSO\\svc-conn:CA;Enroll\"", "give CONTOSO\\svc-conn",
	    "the connector's domain account" },
	  { "NDES01$" } },
};

static void
test_runbook_scenarios(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(scenario_cases); i++) {
		const struct scenario_case *c = &scenario_cases[i];
		struct host *h = memhost_new();
		struct memhost *m = h->priv;
		struct answers a;
		struct plan p = {0};
		const char *t;

		snprintf(m->facts.domain, sizeof m->facts.domain,
		    "contoso.com");
		snprintf(m->facts.hostname, sizeof m->facts.hostname,
		    "ndes01");
		example_answers(&a);
		apply_settings(&a, c->set);
		t = runbook(h, &a, &p);
		for (size_t k = 0; k < nitems(c->must) && c->must[k]; k++)
			if (strstr(t, c->must[k]) == NULL)
				fail_msg("case %zu lacks '%s':\n%s", i,
				    c->must[k], t);
		for (size_t k = 0; k < nitems(c->never) && c->never[k]; k++)
			if (strstr(t, c->never[k]) != NULL)
				fail_msg("case %zu has '%s':\n%s", i,
				    c->never[k], t);
		plan_free(&p);
		answers_free(&a);
		memhost_free(h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_derive_name),
		cmocka_unit_test(test_runbook),
		cmocka_unit_test(test_runbook_scenarios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
