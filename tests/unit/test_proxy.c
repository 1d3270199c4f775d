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
	/* The connector's own Proxy values are its wizard's: not planned. */
	for (size_t i = 0; i < p.n; i++)
		assert_false(str_ieq(p.v[i].path, PROXY_KEY));
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

#define UNINST "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows" \
	"\\CurrentVersion\\Uninstall\\{5A3F9D64}"

/* Item 10: an installed connector's proxy against the answers. */
static void
test_connector_proxy(void **state)
{
	static const struct {
		int installed;
		const char *enabled, *user;
		const char *server, *port, *reg_user;
		const char *code; /* NULL: neither code */
		enum severity sev;
		const char *words; /* in the hint */
	} cases[] = {
		{ 1, "yes", "", "\"http://proxy.contoso.com:8080\"",
		  "dword:00001f90", NULL, "proxy.connector-proxy", SEV_OK, NULL },
		{ 1, "yes", "", "\"proxy.contoso.com:8080\"", "dword:00001f90",
		  NULL, "proxy.connector-proxy-differs", SEV_WARN,
		  "Proxy server: http://proxy.contoso.com:8080" },
		{ 1, "yes", "", "\"http://proxy.contoso.com:8080\"",
		  "dword:00000050", NULL, "proxy.connector-proxy-differs",
		  SEV_WARN, "Port: 8080" },
		{ 1, "yes", "CONTOSO\\pu", "\"http://proxy.contoso.com:8080\"",
		  "dword:00001f90", NULL, "proxy.connector-proxy-differs",
		  SEV_WARN, "requires authentication" },
		{ 1, "no", "", "\"http://proxy.contoso.com:8080\"", NULL, NULL,
		  "proxy.connector-proxy-differs", SEV_WARN,
		  "clear 'Use proxy'" },
		{ 1, "no", "", NULL, NULL, NULL, "proxy.connector-proxy",
		  SEV_OK, NULL },
		{ 0, "yes", "", "\"proxy.contoso.com\"", NULL, NULL, NULL,
		  SEV_OK, NULL },
		/* no [proxy] enabled in the answers: not judged */
		{ 1, NULL, "", "\"http://proxy.contoso.com:8080\"", NULL,
		  NULL, NULL, SEV_OK, NULL },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		struct host *h = memhost_new();
		struct answers a;
		struct findings f = {0};
		const struct finding *x;

		example_answers(&a);
		if (cases[i].enabled != NULL)
			answers_put(&a, F_PROXY_ENABLED, cases[i].enabled,
			    SRC_SCREEN);
		else
			answers_put(&a, F_PROXY_ENABLED, "no", SRC_DEFAULT);
		answers_put(&a, F_PROXY_USERNAME, cases[i].user, SRC_SCREEN);
		if (cases[i].installed)
			host_set(h, RES_REG, UNINST, "DisplayName", "\"Certificate "
			    "Connector for Microsoft Intune\"", err, sizeof err);
		host_set(h, RES_REG, PROXY_KEY, "ProxyServer",
		    cases[i].server, err, sizeof err);
		host_set(h, RES_REG, PROXY_KEY, "Port", cases[i].port, err,
		    sizeof err);
		step_proxy.inspect(h, &a, &f);
		if (cases[i].code == NULL)
			assert_int_equal(f.n, 0);
		else {
			x = findings_find(&f, cases[i].code);
			if (x == NULL || x->sev != cases[i].sev || f.n != 1)
				fail_msg("case %zu: no %s", i, cases[i].code);
			if (cases[i].words != NULL &&
			    strstr(x->hint, cases[i].words) == NULL)
				fail_msg("case %zu: hint %s", i, x->hint);
		}
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
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_connector_proxy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
