/* The proxy step: the URL rules, the bypass list, what is planned. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "stepcase.h"

extern const struct step step_proxy;

#define PROXY_KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MicrosoftIntune" \
	"\\PFXCertificateConnector\\Proxy"

static const struct rule_case cases[] = {
	{ NULL, 0, NULL, { { F_PROXY_URL, "https://proxy.contoso.com:3128/" } } },
	{ "proxy.scheme-missing", SEV_ERROR, "proxy.url",
	  { { F_PROXY_URL, "proxy.contoso.com:8080" } } },
	{ "proxy.url-syntax", SEV_ERROR, "proxy.url",
	  { { F_PROXY_URL, "socks5://proxy.contoso.com:1080" } } },
	{ "proxy.url-syntax", SEV_ERROR, "proxy.url",
	  { { F_PROXY_URL, "http://proxy.contoso.com" } } },
	{ "proxy.url-syntax", SEV_ERROR, "proxy.url",
	  { { F_PROXY_URL, "http://proxy.contoso.com:0" } } },
	{ "proxy.url-syntax", SEV_ERROR, "proxy.url",
	  { { F_PROXY_URL, "http://proxy.contoso.com:70000" } } },
	{ "proxy.url-syntax", SEV_ERROR, "proxy.url",
	  { { F_PROXY_URL, "http://user:pw@proxy.contoso.com:8080" } } },
	{ "proxy.url-syntax", SEV_ERROR, "proxy.url",
	  { { F_PROXY_URL, "http://proxy.contoso.com:8080/path" } } },
	{ "proxy.url-syntax", SEV_ERROR, "proxy.url",
	  { { F_PROXY_URL, "http://:8080" } } },
	{ "proxy.url-missing", SEV_ERROR, "proxy.url",
	  { { F_PROXY_URL, "" } } },
	{ "proxy.bypass-syntax", SEV_ERROR, "proxy.bypass",
	  { { F_PROXY_BYPASS, "<local>, http://x.contoso.com" } } },
	{ "proxy.bypass-syntax", SEV_ERROR, "proxy.bypass",
	  { { F_PROXY_BYPASS, "a b" } } },
	{ NULL, 0, NULL, { { F_PROXY_BYPASS, "*.contoso.com, 10.*, <local>" } } },
	/* netsh's own list syntax and case (issues #15, #20). */
	{ NULL, 0, NULL, { { F_PROXY_BYPASS, "<local>;*.fabrikam.com" } } },
	{ NULL, 0, NULL, { { F_PROXY_BYPASS, "<LOCAL>, .contoso.com" } } },
	{ "proxy.bypass-syntax", SEV_ERROR, "proxy.bypass",
	  { { F_PROXY_BYPASS, "<local>;<intranet>" } } },
	{ "proxy.authenticated", SEV_WARN, "proxy.username",
	  { { F_PROXY_USERNAME, "CONTOSO\\proxyuser" },
	  { F_PROXY_PASSWORD, "env:PROXY_PW" } } },
	{ "proxy.password-missing", SEV_ERROR, "proxy.password",
	  { { F_PROXY_USERNAME, "CONTOSO\\proxyuser" } } },
	/* Off: nothing is checked. */
	{ NULL, 0, NULL, { { F_PROXY_ENABLED, "no" },
	  { F_PROXY_URL, "proxy:8080" } } },
};

static void
test_rules(void **state)
{
	(void)state;
	assert_example_clean(&step_proxy);
	run_rule_cases(&step_proxy, cases, nitems(cases));
}

static void
test_plan(void **state)
{
	struct host *h = memhost_new();
	struct answers a;
	struct findings f = {0};
	struct plan p = {0};
	int found;

	(void)state;
	example_answers(&a);
	answers_put(&a, F_PROXY_USERNAME, "CONTOSO\\pu", SRC_SCREEN);
	answers_put(&a, F_PROXY_PASSWORD, "env:PROXY_PW", SRC_SCREEN);
	step_proxy.plan(h, &a, &p, &f);
	assert_string_equal(plan_pending(&p, RES_PROXY, "winhttp", NULL,
	    &found), "proxy.contoso.com:8080|<local>;*.contoso.com");
	assert_string_equal(plan_pending(&p, RES_REG, PROXY_KEY,
	    "ProxyServer", &found), "\"http://proxy.contoso.com:8080\"");
	assert_string_equal(plan_pending(&p, RES_REG, PROXY_KEY, "Port",
	    &found), "dword:00001f90");
	assert_string_equal(plan_pending(&p, RES_REG, PROXY_KEY, "Username",
	    &found), "\"CONTOSO\\\\pu\"");
	/* No password anywhere in the plan. */
	for (size_t i = 0; i < p.n; i++)
		assert_null(p.v[i].new ? strstr(p.v[i].new, "PROXY_PW") : NULL);
	plan_free(&p);
	answers_put(&a, F_PROXY_ENABLED, "no", SRC_SCREEN);
	step_proxy.plan(h, &a, &p, &f);
	assert_int_equal(p.n, 0);
	plan_free(&p);
	findings_free(&f);
	answers_free(&a);
	memhost_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
