/*
 * Can the connector reach its cloud? One HTTPS request to each host of
 * the chosen cloud (login, graph, intune, update), through the [proxy]
 * when it is on, as the connector would go. Besides reachability: a
 * certificate we do not trust or that names another host means something
 * in between inspects TLS, which Intune does not work through; and the
 * Date header tells whether this clock is close enough for sign-in.
 */
#include "probe.h"
#include "secret.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *role;
	size_t off;
} endpoint_roles[] = {
	{ "login", offsetof(struct cloud, login) },
	{ "graph", offsetof(struct cloud, graph) },
	{ "intune", offsetof(struct cloud, intune) },
	{ "update", offsetof(struct cloud, update) },
};

#define NROLES nitems(endpoint_roles)

/*
 * The CAs that issue Microsoft's own certificates on these clouds: any
 * other issuer, even one this server trusts, is most likely a proxy that
 * re-signs. A warning only, as issuers can change.
 */
static const char *const microsoft_clouds[] = { "public", "gcc-high",
    "dod" };
static const char *const microsoft_issuers[] = { "Microsoft", "DigiCert" };

struct endpoint {
	char hostport[256];	/* as the clouds table says */
	char host[256];		/* without the port */
	char roles[64];		/* "login, graph" when they share it */
};

struct endpoints {
	struct endpoint v[NROLES];
	size_t n;
};

long
date_skew(const char *date, time_t at, int *ok)
{
	time_t t = date != NULL ? curl_getdate(date, NULL) : -1;

	*ok = t != -1;
	return *ok ? (long)(t - at) : 0;
}

static void
host_of(const char *hostport, char *host, size_t len)
{
	const char *colon = strrchr(hostport, ':');
	size_t n;

	if (hostport[0] == '[') {
		n = strcspn(hostport + 1, "]");
		snprintf(host, len, "%.*s", (int)n, hostport + 1);
	} else if (colon != NULL && strchr(hostport, ':') == colon)
		snprintf(host, len, "%.*s", (int)(colon - hostport), hostport);
	else
		snprintf(host, len, "%s", hostport);
}

/* The cloud's hosts, each once, with the roles it plays. */
static void
collect(const struct cloud *cl, struct endpoints *e)
{
	memset(e, 0, sizeof *e);
	for (size_t r = 0; r < NROLES; r++) {
		const char *hp = *(char *const *)((const char *)cl +
		    endpoint_roles[r].off);
		struct endpoint *ep = NULL;

		for (size_t i = 0; i < e->n; i++)
			if (strcmp(e->v[i].hostport, hp) == 0)
				ep = &e->v[i];
		if (ep == NULL) {
			ep = &e->v[e->n++];
			snprintf(ep->hostport, sizeof ep->hostport, "%s", hp);
			host_of(hp, ep->host, sizeof ep->host);
		}
		snprintf(ep->roles + strlen(ep->roles), sizeof ep->roles -
		    strlen(ep->roles), "%s%s", ep->roles[0] ? ", " : "",
		    endpoint_roles[r].role);
	}
}

static void
via_proxy(struct xfer *x, const struct proxy_conf *pc, const char *shown,
    const struct secret *pw)
{
	curl_easy_setopt(x->h, CURLOPT_PROXY, pc->url);
	curl_easy_setopt(x->h, CURLOPT_NOPROXY, "");
	curl_easy_setopt(x->h, CURLOPT_HTTPPROXYTUNNEL, 1L);
	if (pc->user != NULL) {
		curl_easy_setopt(x->h, CURLOPT_PROXYUSERNAME, pc->user);
		curl_easy_setopt(x->h, CURLOPT_PROXYPASSWORD,
		    pw->p != NULL ? pw->p : "");
		curl_easy_setopt(x->h, CURLOPT_PROXYAUTH, CURLAUTH_ANY);
	}
	x->proxy = xstrdup(shown);
}

static void
endpoints_start(struct probe *p)
{
	struct proxy_conf pc;
	struct secret pw = {0};
	struct endpoints *e;
	char why[256], *shown = NULL, *url, *label;
	struct xfer *x;

	if (p->env->endpoints_skip != NULL) {
		probe_skip(p, "skipped", "%s", p->env->endpoints_skip);
		return;
	}
	proxy_conf_load(&pc, &p->env->a);
	if (pc.enabled && pc.url == NULL) {
		finding_hint(probe_add(p, SEV_ERROR, "proxy-url", "proxy.url",
		    "[proxy] enabled = yes, but no url"),
		    "give [proxy] url as http://host:port, or turn the proxy "
		    "off");
		goto out;
	}
	/* Resolved only now, wiped as soon as libcurl holds it. */
	if (pc.enabled && pc.user != NULL && secret_resolve(pc.password_ref ?
	    pc.password_ref : "", fields_table[F_PROXY_PASSWORD].label, &pw,
	    why, sizeof why) !=
	    0) {
		finding_hint(probe_add(p, SEV_ERROR, "proxy-password",
		    "proxy.password", "%s", why),
		    "give [proxy] password as env:NAME or file:PATH");
		goto out;
	}
	if (pc.enabled)
		shown = proxy_display(pc.url);
	p->data = e = xcalloc(1, sizeof *e);
	collect(p->env->cloud, e);
	for (size_t i = 0; i < e->n; i++) {
		url = xasprintf("https://%s/", e->v[i].hostport);
		label = xasprintf("%s %s", e->v[i].roles, e->v[i].hostport);
		x = xfer_new(p, url, label, 0);
		xfer_inspect_tls(x);
		x->tag = (int)i;
		if (pc.enabled && !proxy_bypassed(&pc, e->v[i].host))
			via_proxy(x, &pc, shown, &pw);
		xfer_queue(x);
		free(label);
		free(url);
	}
out:
	secret_wipe(&pw);
	proxy_conf_free(&pc);
	free(shown);
}

static int
is_microsoft_cloud(const char *name)
{
	for (size_t i = 0; i < nitems(microsoft_clouds); i++)
		if (strcmp(name, microsoft_clouds[i]) == 0)
			return 1;
	return 0;
}

static int
issued_by_microsoft(X509 *leaf)
{
	char *org = x509_issuer_org(leaf);
	int found = 0;

	for (size_t i = 0; i < nitems(microsoft_issuers); i++)
		if (strstr(org, microsoft_issuers[i]) != NULL)
			found = 1;
	free(org);
	return found;
}

/* The certificate tells whether we talk to the host or to a middlebox. */
static void
judge_certificate(struct probe *p, struct xfer *x, const struct endpoint *ep,
    X509 *leaf, STACK_OF(X509) *chain, const char *issuer)
{
	const struct cloud *cl = p->env->cloud;
	int v, not_yet;

	v = x509_verify_chain(chain, cl->ca_file);
	if (v != X509_V_OK)
		finding_hint(probe_add(p, SEV_ERROR, "tls-intercepted", NULL,
		    "%s: the certificate comes from %s, which is not trusted "
		    "here (%s): something in between inspects TLS", x->label,
		    issuer, X509_verify_cert_error_string(v)),
		    "exempt the cloud's hosts from TLS inspection on the "
		    "proxy or firewall; if nothing inspects, bring this "
		    "server's trusted root certificates up to date");
	else if (is_microsoft_cloud(cl->name) && !issued_by_microsoft(leaf))
		finding_hint(probe_add(p, SEV_WARN, "unexpected-issuer", NULL,
		    "%s: the certificate comes from %s, not from the CAs "
		    "Microsoft uses", x->label, issuer),
		    "if a proxy inspects TLS, exempt the cloud's hosts");
	if (!x509_covers(leaf, ep->host))
		finding_hint(probe_add(p, SEV_ERROR, "tls-name-mismatch", NULL,
		    "%s: the certificate does not name %s", x->label, ep->host),
		    "something in between answers for this host: a captive "
		    "portal or an inspecting proxy");
	if (x509_days_left(leaf, time(NULL), &not_yet) < 0 || not_yet)
		finding_hint(probe_add(p, SEV_ERROR, "tls-expired", NULL,
		    "%s: the certificate is out of date", x->label),
		    "check this server's clock; else something in between "
		    "answers with an old certificate");
}

static void
judge_clock(struct probe *p, struct xfer *x, struct buf *note)
{
	long skew;
	int ok;

	skew = date_skew(x->date, x->date_at, &ok);
	if (!ok) {
		buf_adds(note, "; no Date header to compare clocks");
		return;
	}
	if (labs(skew) > SKEW_MAX)
		finding_hint(probe_add(p, SEV_ERROR, "clock-skew", NULL,
		    "%s: this clock is %ld s %s the server's", x->label,
		    labs(skew), skew > 0 ? "behind" : "ahead of"),
		    "set this server's time right (w32tm /resync, or its NTP "
		    "source): sign-in and tokens fail past five minutes");
	else
		buf_addf(note, "; clocks agree within %ld s", labs(skew));
}

static void
endpoints_done(struct probe *p, struct xfer *x)
{
	const struct endpoints *e = p->data;
	const struct endpoint *ep = &e->v[x->tag];
	STACK_OF(X509) *chain;
	struct buf note = {0};
	char *issuer = NULL;
	size_t before = p->st.findings.n;

	if (x->rc != CURLE_OK) {
		xfer_transport_finding(p, x);
		return;
	}
	if ((chain = x509_chain_from_certinfo(x->h)) != NULL) {
		issuer = x509_issuer(sk_X509_value(chain, 0));
		judge_certificate(p, x, ep, sk_X509_value(chain, 0), chain,
		    issuer);
		buf_addf(&note, "; certificate from %s", issuer);
	}
	judge_clock(p, x, &note);
	if (p->st.findings.n == before)
		probe_add(p, SEV_OK, "reachable", NULL, "%s: reachable%s%s%s",
		    x->label, x->proxy ? " through " : " directly",
		    x->proxy ? x->proxy : "", note.p ? note.p : "");
	buf_free(&note);
	free(issuer);
	if (chain != NULL)
		sk_X509_pop_free(chain, X509_free);
}

const struct probe_def probe_endpoints = {
	.name = "endpoints",
	.title = "The cloud's hosts reachable, no TLS inspection, clock",
	.start = endpoints_start,
	.done = endpoints_done,
};
