/*
 * What to choose in the connector's configuration wizard, page by page
 * (ndes-checklist §7: Features, service account, proxy, prerequisites,
 * sign-in with its environment), worked out from the answers, so that the
 * connector ends up with the settings ndeswiz then reads and checks
 * (prereqs.connector-feature, proxy.connector-proxy) and never writes.
 */
#include "handover.h"
#include "fields.h"
#include "hostrules.h"
#include "session.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const struct connector_feature connector_features[] = {
	{ "scep", "EnableSCEP", "SCEP" },
	{ "pkcs", "EnablePFxCreate", "PKCS" },
	{ "pkcs-import", "EnablePFxImport", "PKCS imported certificates" },
	{ "revocation", "EnableRevocation", "Certificate revocation" },
};
const size_t connector_features_count = nitems(connector_features);

/* The sign-in page's environment, by [signin] cloud. */
static const struct environment {
	const char *cloud, *label;
} environments[] = {
	{ "public", "the public commercial cloud (its default; GCC too)" },
	{ "gcc-high", "US Government GCC High" },
	{ "dod", "US Government DoD" },
	{ "china", "the cloud operated by 21Vianet (China)" },
	{ "custom", "the one of your [custom] cloud in assets/clouds.ini" },
};

static char *
features_line(const struct answers *a)
{
	struct buf on = {0}, off = {0};
	char *s;

	for (size_t i = 0; i < connector_features_count; i++) {
		const struct connector_feature *c = &connector_features[i];
		struct buf *b = answers_list_has(a, F_PREREQS_SCENARIOS,
		    c->scenario) ? &on : &off;

		buf_addf(b, "%s'%s'", b->len ? ", " : "", c->label);
	}
	s = xasprintf("Features: select %s%s%s", on.len ? on.p : "none",
	    off.len ? "; leave cleared " : "", off.len ? off.p : "");
	free(on.p);
	free(off.p);
	return s;
}

static char *
account_line(const struct answers *a)
{
	if (strcmp(answers_get(a, F_ACCOUNTS_CONNECTOR_ACCOUNT), "domain") ==
	    0)
		return xasprintf("Service account: 'Use a domain user account' "
		    "%s, with its password ([accounts] connector_password)",
		    answers_get(a, F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT));
	return xstrdup("Service account: 'Use the SYSTEM account'");
}

static char *
proxy_line(const struct answers *a)
{
	const char *user = answers_get(a, F_PROXY_USERNAME);

	if (!answers_bool(a, F_PROXY_ENABLED))
		return xstrdup("Proxy: leave 'Use proxy' cleared");
	return xasprintf("Proxy: select 'Use proxy', server %s (with its "
	    "scheme: without it the connector fails with a misleading "
	    "password error)%s%s%s", answers_get(a, F_PROXY_URL),
	    *user ? ", 'Proxy requires authentication', user " : "", user,
	    *user ? " and its password" : "");
}

static char *
signin_line(const struct answers *a)
{
	const char *cloud = answers_get(a, F_SIGNIN_CLOUD);
	const char *label = cloud;
	const char *tenant = answers_get(a, F_SIGNIN_TENANT);

	for (size_t i = 0; i < nitems(environments); i++)
		if (strcmp(environments[i].cloud, cloud) == 0)
			label = environments[i].label;
	return xasprintf("Sign in: environment %s, as a Global or Intune "
	    "administrator%s%s", label, *tenant ? " of " : "", tenant);
}

char **
connector_handover(const struct answers *a, size_t *n)
{
	char *(*const lines[])(const struct answers *) = {
		features_line, account_line, proxy_line, signin_line,
	};
	char **out = xcalloc(nitems(lines) + 1, sizeof *out);

	for (size_t i = 0; i < nitems(lines); i++)
		out[i] = lines[i](a);
	*n = nitems(lines);
	return out;
}

char *
connector_handover_text(const struct answers *a)
{
	size_t n;
	char **v = connector_handover(a, &n);
	struct buf b = {0};

	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? "; " : "", v[i]);
	str_list_free(v, n);
	return buf_steal(&b);
}

char **
session_connector_handover(struct session *s, size_t *n)
{
	*n = 0;
	if (s->host == NULL || connector_installed(s->host, NULL))
		return NULL;
	return connector_handover(&s->answers, n);
}
