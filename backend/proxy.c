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
#include "hostrules.h"
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
	/* The connector's own Proxy values are its configuration wizard's
	 * (ndes-checklist §7): proxy_inspect compares them. */
}

static char *
reg_text(struct host *h, const char *name)
{
	char *cur = NULL, *v, err[256];

	if (host_get(h, RES_REG, PROXY_KEY, name, &cur, err, sizeof err) !=
	    0 || cur == NULL)
		return NULL;
	v = regval_get_sz(cur);
	free(cur);
	return v;
}

/*
 * An installed connector's proxy against the answers: the server with
 * its scheme, the port, the user. What differs is said as what to enter
 * on the Proxy page of its configuration wizard.
 */
static void
proxy_inspect(struct host *h, const struct answers *a, struct findings *f)
{
	const char *url = answers_get(a, F_PROXY_URL);
	const char *user = answers_get(a, F_PROXY_USERNAME);
	int on = answers_bool(a, F_PROXY_ENABLED);
	char *server, *who, *port_v = NULL, err[256], why[256];
	unsigned long port = 0;
	struct proxy_url u;
	int same;

	/* Answers that say nothing about a proxy do not judge the one the
	 * connector has. */
	if (a->src[F_PROXY_ENABLED] == SRC_DEFAULT ||
	    !connector_installed(h, NULL) || (on && proxy_url_parse(url, &u,
	    why, sizeof why) != 0))
		return;
	server = reg_text(h, "ProxyServer");
	who = reg_text(h, "Username");
	if (host_get(h, RES_REG, PROXY_KEY, "Port", &port_v, err,
	    sizeof err) == 0 && port_v != NULL)
		regval_get_dword(port_v, &port);
	if (on)
		same = server != NULL && str_ieq(server, url) &&
		    port == (unsigned long)u.port && str_ieq(who ? who : "",
		    user);
	else
		same = server == NULL || *server == '\0';
	if (same)
		finding_add(f, SEV_OK, STEP, field_name(F_PROXY_URL),
		    "connector-proxy", "the connector's proxy is %s",
		    on ? url : "off");
	else if (on)
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_PROXY_URL), "connector-proxy-differs",
		    "the installed connector's proxy is %s port %lu%s%s, not "
		    "%s port %lld%s%s as the answers say", server ? server :
		    "(none)", port, who ? " user " : "", who ? who : "", url,
		    u.port, *user ? " user " : "", user),
		    "Run the connector's configuration wizard (Start > "
		    "Certificate Connector for Microsoft Intune); on its "
		    "Proxy page select 'Use proxy', Proxy server: %s (with "
		    "the scheme), Port: %lld%s%s%s. ndeswiz does not write "
		    "the connector's own settings.", url, u.port,
		    *user ? ", 'Proxy requires authentication', user " : "",
		    user, *user ? " and its password" : "");
	else
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_PROXY_ENABLED), "connector-proxy-differs",
		    "the installed connector uses the proxy %s, but [proxy] "
		    "enabled = no", server),
		    "Run the connector's configuration wizard; on its Proxy "
		    "page clear 'Use proxy'. Or set [proxy] enabled = yes "
		    "with that proxy.");
	free(port_v);
	free(who);
	free(server);
}

const struct step step_proxy = {
	.id = STEP,
	.title = "Proxy",
	.section = "proxy",
	.validate = proxy_validate,
	.inspect = proxy_inspect,
	.plan = proxy_plan,
};
