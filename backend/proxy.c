/*
 * The outbound proxy: the WinHTTP default proxy and
 * the connector's own Proxy registry values. The connector fails with a
 * misleading password error when its proxy lacks the scheme, so that is
 * the rule said loudest here.
 *
 * Rules and their sources: README.md, "The steps" (the proxy row);
 * the scheme rule is the connector's (Microsoft Learn, "Certificate
 * Connector for Microsoft Intune" prerequisites).
 */
#include "step.h"
#include "bypass.h"
#include "host/regfile.h"
#include "proxyurl.h"
#include "syntax.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEP "proxy"
#define PROXY_KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MicrosoftIntune" \
	"\\PFXCertificateConnector\\Proxy"

int
proxy_url_parse(const char *s, struct proxy_url *u, char *why, size_t len)
{
	const char *p = strstr(s, "://"), *colon, *end;
	size_t hlen;
	char *port;

	memset(u, 0, sizeof *u);
	if (p == NULL) {
		snprintf(why, len, "'%s' has no scheme: write http://%s (the "
		    "connector otherwise fails with a misleading password "
		    "error)", s, s);
		return -1;
	}
	if ((size_t)(p - s) >= sizeof u->scheme || (strncmp(s, "http", 4) !=
	    0 || (p - s != 4 && strncmp(s, "https", 5) != 0) || p - s > 5)) {
		snprintf(why, len, "the scheme must be http:// or https://");
		return -1;
	}
	memcpy(u->scheme, s, (size_t)(p - s));
	p += 3;
	end = p + strcspn(p, "/");
	if (*end == '/' && end[1] != '\0') {
		snprintf(why, len, "a proxy URL has no path: use "
		    "%s://host:port", u->scheme);
		return -1;
	}
	colon = memchr(p, ':', (size_t)(end - p));
	hlen = (size_t)((colon ? colon : end) - p);
	if (hlen == 0 || hlen >= sizeof u->host) {
		snprintf(why, len, "the proxy URL has no host");
		return -1;
	}
	memcpy(u->host, p, hlen);
	if (strchr(u->host, '@') != NULL || !dns_name_ok(u->host, 0)) {
		snprintf(why, len, "'%s' is not a host name (credentials go in "
		    "username and password, not the URL)", u->host);
		return -1;
	}
	if (colon == NULL) {
		snprintf(why, len, "the proxy URL needs a port: %s://%s:PORT",
		    u->scheme, u->host);
		return -1;
	}
	port = xstrndup(colon + 1, (size_t)(end - colon - 1));
	if (str_to_long(port, 1, 65535, &u->port) != 0) {
		snprintf(why, len, "'%s' is not a port from 1 to 65535", port);
		free(port);
		return -1;
	}
	free(port);
	return 0;
}

static void
proxy_validate(const struct answers *a, struct findings *f)
{
	struct proxy_url u;
	char why[512], **v;
	size_t n;

	if (!answers_bool(a, F_PROXY_ENABLED))
		return;
	if (*answers_get(a, F_PROXY_URL) == '\0')
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_PROXY_URL), "url-missing", "the proxy is on "
		    "but has no URL"),
		    "Enter it as http://host:port.");
	else if (proxy_url_parse(answers_get(a, F_PROXY_URL), &u, why,
	    sizeof why) != 0)
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_PROXY_URL), strstr(why, "no scheme" ) ?
		    "proxy.scheme-missing" : "proxy.url-syntax", "%s", why),
		    "Write it as http://host:port.");
	v = bypass_split(answers_get(a, F_PROXY_BYPASS), &n);
	for (size_t i = 0; i < n; i++)
		if (!bypass_entry_ok(v[i]))
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(F_PROXY_BYPASS), "bypass-syntax",
			    "'%s' is not a bypass entry", v[i]),
			    "Use <local>, host names or patterns like "
			    "*.contoso.com, separated by ';' or ','.");
	str_list_free(v, n);
	if (*answers_get(a, F_PROXY_USERNAME) == '\0')
		return;
	finding_hint(finding_add(f, SEV_WARN, STEP,
	    field_name(F_PROXY_USERNAME), "authenticated", "an authenticated "
	    "proxy: Intune needs unauthenticated access to some of its "
	    "endpoints"),
	    "Let the proxy pass manage.microsoft.com and graph.microsoft.com "
	    "without authentication.");
	if (*answers_get(a, F_PROXY_PASSWORD) == '\0')
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_PROXY_PASSWORD), "password-missing",
		    "a proxy user needs a password"),
		    "Give env:NAME, file:PATH or prompt.");
}

/* "host:port|bypass;bypass": the WinHTTP default proxy, as netsh sets
 * it (proxy-server without scheme, bypass list with semicolons). */
static char *
winhttp_value(const struct answers *a, const struct proxy_url *u)
{
	struct buf b = {0};
	size_t n;
	char **v = bypass_split(answers_get(a, F_PROXY_BYPASS), &n);

	buf_addf(&b, "%s:%lld|", u->host, u->port);
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? ";" : "", v[i]);
	str_list_free(v, n);
	return buf_steal(&b);
}

static void
proxy_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	const char *user = answers_get(a, F_PROXY_USERNAME);
	struct proxy_url u;
	char why[256], *v;

	if (!answers_bool(a, F_PROXY_ENABLED) ||
	    proxy_url_parse(answers_get(a, F_PROXY_URL), &u, why,
	    sizeof why) != 0)
		return;
	v = winhttp_value(a, &u);
	plan_want(p, h, f, STEP, RES_PROXY, "winhttp", NULL, v, 0,
	    "the connector and .NET reach Intune through the WinHTTP proxy");
	free(v);
	v = regval_sz(answers_get(a, F_PROXY_URL));
	plan_want_reg(p, h, f, STEP, PROXY_KEY, "ProxyServer", v, 0,
	    "the connector's proxy, with its scheme");
	free(v);
	v = regval_dword((unsigned long)u.port);
	plan_want_reg(p, h, f, STEP, PROXY_KEY, "Port", v, 0,
	    "the connector's proxy port");
	free(v);
	if (*user != '\0') {
		v = regval_sz(user);
		plan_want_reg(p, h, f, STEP, PROXY_KEY, "Username", v, 0,
		    "the connector's proxy user (its password is set in the "
		    "connector, never here)");
		free(v);
	}
}

const struct step step_proxy = {
	.id = STEP,
	.title = "Proxy",
	.section = "proxy",
	.validate = proxy_validate,
	.plan = proxy_plan,
};
