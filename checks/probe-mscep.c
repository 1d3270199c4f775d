/*
 * The first thing to ask NDES: a bare GET of mscep.dll. With the Intune
 * policy module in front, NDES refuses a request that carries no SCEP
 * operation, so 403 is the healthy answer; every other answer points at
 * one part of the set-up.
 */
#include "probe.h"

#include <stdlib.h>

static const struct status_rule mscep_rules[] = {
	{ 403, 403, SEV_OK, "403",
	  "403 Forbidden: the Intune policy module guards NDES (healthy)",
	  NULL },
	{ 200, 200, SEV_ERROR, "200",
	  "200 OK, NDES's own page: NDES works but the Intune policy "
	  "module is not in front of it",
	  "install the Certificate Connector for Intune with the SCEP "
	  "feature; when it is installed, reboot the server (the module "
	  "loads only after a reboot)" },
	{ 300, 399, SEV_ERROR, "redirect",
	  "a redirect: devices do not follow it",
	  "NDES must answer at this URL itself: check for an http-to-https "
	  "rule, a load balancer or an IIS redirect on the site" },
	{ 401, 401, SEV_ERROR, "401",
	  "401: the server asks devices to log in",
	  "turn Anonymous Authentication on (and Windows Authentication "
	  "off) for Default Web Site/CertSrv/mscep" },
	{ 404, 404, SEV_ERROR, "404",
	  "404: nothing at this path, the NDES application is not there",
	  "check the URL, that the NDES role service is installed and "
	  "configured, and that this site and port are the ones IIS "
	  "serves it on" },
	{ 414, 414, SEV_ERROR, "414",
	  "414: the server refuses long URLs",
	  "raise HTTP.sys MaxFieldLength and MaxRequestBytes and IIS "
	  "maxUrl and maxQueryString to 65534, then reboot" },
	{ 500, 500, SEV_ERROR, "500",
	  "500: NDES fails inside",
	  "check the NDES service account: member of IIS_IUSRS, not locked "
	  "out, password not expired; and the RA certificates "
	  "(EnrollmentAgentOffline, CEPEncryption) in LocalMachine\\My: "
	  "present with their keys and not expired" },
	{ 503, 503, SEV_ERROR, "503",
	  "503: the SCEP application pool is stopped or keeps crashing",
	  "start the SCEP app pool; if it stops again look at the service "
	  "account's rights, intermediate CA certificates in "
	  "LocalMachine\\Root (they belong in Intermediate), and whether "
	  "the CA's CRL can be fetched" },
	{ 0, 0, SEV_ERROR, "http-other",
	  "an answer NDES does not give",
	  "something else answers at this URL: look at the IIS logs and "
	  "at anything between here and the server" },
};

const struct status_rule *
mscep_status_rule(long status)
{
	size_t i;

	for (i = 0; i < nitems(mscep_rules) - 1; i++)
		if (status >= mscep_rules[i].lo && status <= mscep_rules[i].hi)
			return &mscep_rules[i];
	return &mscep_rules[i];
}

static void
mscep_start(struct probe *p)
{
	if (p->env->scep_skip != NULL) {
		probe_skip(p, "skipped", "%s", p->env->scep_skip);
		return;
	}
	xfer_queue(xfer_new(p, p->env->url, p->env->url, 4096));
}

static void
mscep_done(struct probe *p, struct xfer *x)
{
	const struct status_rule *r;
	char *loc = NULL;

	if (x->rc != CURLE_OK) {
		xfer_transport_finding(p, x);
		return;
	}
	r = mscep_status_rule(x->status);
	if (r->lo == 300)
		curl_easy_getinfo(x->h, CURLINFO_REDIRECT_URL, &loc);
	if (loc != NULL)
		finding_set_hint(probe_add(p, r->sev, r->kind, NULL,
		    "%s: %s (%ld to %s)", x->label, r->what, x->status, loc),
		    r->hint);
	else if (r->lo == 0)
		finding_set_hint(probe_add(p, r->sev, r->kind, NULL,
		    "%s: %s (%ld)", x->label, r->what, x->status),
		    r->hint);
	else
		finding_set_hint(probe_add(p, r->sev, r->kind, NULL, "%s: %s",
		    x->label, r->what),
		    r->hint);
}

const struct probe_def probe_mscep = {
	.name = "mscep",
	.title = "NDES answers a bare request with 403",
	.start = mscep_start,
	.done = mscep_done,
};
