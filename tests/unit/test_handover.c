/*
 * Issue 14 item 12: what to choose in the connector's configuration
 * wizard, from the answers. Table-driven: each case changes answers of
 * the example and names words each line must hold, or must not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handover.h"
#include "memhost.h"
#include "step.h"

struct set { enum field_id f; const char *v; };

static const struct handover_case {
	const char *name;
	struct set set[4];
	const char *want[4], *unwanted;
} cases[] = {
	{ "example", { { F__COUNT, NULL } },
	  { "select 'SCEP', 'PKCS'; leave cleared 'PKCS imported "
	    "certificates', 'Certificate revocation'",
	    "'Use the SYSTEM account'",
	    "'Use proxy', server http://proxy.contoso.com:8080 (with its "
	    "scheme", "public commercial cloud" }, "authentication" },
	{ "domain account, proxy user, GCC High",
	  { { F_ACCOUNTS_CONNECTOR_ACCOUNT, "domain" },
	    { F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT, "CONTOSO\\svc-conn" },
	    { F_PROXY_USERNAME, "CONTOSO\\pu" },
	    { F_SIGNIN_CLOUD, "gcc-high" } },
	  { "'Use a domain user account' CONTOSO\\svc-conn",
	    "'Proxy requires authentication', user CONTOSO\\pu",
	    "US Government GCC High", "Features:" }, "SYSTEM" },
	{ "no proxy, every feature",
	  { { F_PROXY_ENABLED, "no" },
	    { F_PREREQS_SCENARIOS, "scep, pkcs, pkcs-import, revocation" },
	    { F__COUNT, NULL } },
	  { "leave 'Use proxy' cleared", "'Certificate revocation'",
	    "'PKCS imported certificates'", NULL }, "leave cleared '" },
};

static void
test_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		const struct handover_case *c = &cases[i];
		struct answers a;
		char err[512], *text;

		answers_init(&a);
		if (answerfile_load(&a, "assets/examples/contoso.ini", err,
		    sizeof err) != 0)
			fail_msg("%s", err);
		for (size_t k = 0; k < 4 && c->set[k].f != F__COUNT; k++)
			answers_put(&a, c->set[k].f, c->set[k].v, SRC_SCREEN);
		text = connector_handover_text(&a);
		for (size_t k = 0; k < 4 && c->want[k] != NULL; k++)
			if (strstr(text, c->want[k]) == NULL)
				fail_msg("%s: no '%s' in %s", c->name,
				    c->want[k], text);
		if (strstr(text, c->unwanted) != NULL)
			fail_msg("%s: has '%s': %s", c->name, c->unwanted,
			    text);
		free(text);
		answers_free(&a);
	}
}

/* Only where the connector is not installed. */
static void
test_only_without_connector(void **state)
{
	struct host *h = memhost_new();
	struct answers a;
	struct findings f = {0};
	char err[512];
	extern const struct step step_prereqs;

	(void)state;
	answers_init(&a);
	if (answerfile_load(&a, "assets/examples/contoso.ini", err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	step_prereqs.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "prereqs.connector-not-installed"));
	assert_non_null(strstr(findings_find(&f,
	    "prereqs.connector-not-installed")->hint, "Features: select"));
	findings_free(&f);
	host_set(h, RES_REG, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows"
	    "\\CurrentVersion\\Uninstall\\{X}", "DisplayName",
	    "\"Certificate Connector for Microsoft Intune\"", err, sizeof err);
	step_prereqs.inspect(h, &a, &f);
	assert_null(findings_find(&f, "prereqs.connector-not-installed"));
	findings_free(&f);
	answers_free(&a);
	memhost_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_only_without_connector),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
