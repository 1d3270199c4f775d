/*
 * GetCACert: the CA certificate and, from NDES, the two RA certificates
 * (EnrollmentAgentOffline, CEPEncryption). An expired RA certificate
 * makes NDES fail every request with 500, so it is worth a warning well
 * before it happens.
 */
#include "probe.h"

#include <stdlib.h>

#define CACERT_MAX (1024 * 1024)

static void
getcacert_start(struct probe *p)
{
	char *url;

	if (p->env->scep_skip != NULL) {
		probe_skip(p, "skipped", "%s", p->env->scep_skip);
		return;
	}
	url = probe_scep_url(p, "GetCACert", "default");
	xfer_queue(xfer_new(p, url, url, CACERT_MAX));
	free(url);
}

/* How each certificate's dates are judged, by its role. */
static const struct {
	int is_ca;
	const char *expired, *expiring, *hint;
} cert_roles[] = {
	{ 0, "ra-expired", "ra-expiring",
	  "renew the RA certificates (EnrollmentAgentOffline, "
	  "CEPEncryption) in LocalMachine\\My and restart IIS" },
	{ 1, "ca-expired", "ca-expiring",
	  "renew the CA certificate, then the RA certificates NDES "
	  "holds from it" },
};

static void
judge(struct probe *p, const struct cacert_entry *e)
{
	const char *role = e->is_ca ? "CA" : "RA";
	size_t r = e->is_ca ? 1 : 0;

	if (e->days_left < 0)
		finding_set_hint(probe_add(p, SEV_ERROR, cert_roles[r].expired,
		    NULL, "%s certificate %s expired %ld day(s) ago", role,
		    e->subject, -e->days_left),
		    cert_roles[r].hint);
	else if (e->days_left < DAYS_WARN)
		finding_set_hint(probe_add(p, SEV_WARN, cert_roles[r].expiring,
		    NULL, "%s certificate %s expires in %ld day(s)", role,
		    e->subject, e->days_left),
		    cert_roles[r].hint);
	else if (e->not_yet)
		finding_hint(probe_add(p, SEV_WARN, "not-yet-valid", NULL,
		    "%s certificate %s is not valid yet", role, e->subject),
		    "check this machine's clock");
}

static void
getcacert_done(struct probe *p, struct xfer *x)
{
	struct cacert_list l;
	size_t ra = 0;
	char err[256];

	if (x->rc != CURLE_OK) {
		xfer_transport_finding(p, x);
		return;
	}
	if (x->status != 200) {
		finding_hint(probe_add(p, SEV_ERROR, "http-error", NULL,
		    "GetCACert answered %ld, not 200", x->status),
		    "see the mscep probe for what this status means");
		return;
	}
	if (x->body_total > x->body.len) {
		finding_hint(probe_add(p, SEV_ERROR, "too-large", NULL,
		    "GetCACert answered more than %d bytes", CACERT_MAX),
		    "something other than NDES answers at this URL");
		return;
	}
	if (cacert_parse(xfer_content_type(x),
	    (const unsigned char *)x->body.p, x->body.len, time(NULL), &l,
	    err, sizeof err) != 0) {
		finding_hint(probe_add(p, SEV_ERROR, "bad-answer", NULL, "%s",
		    err),
		    "something other than NDES answers at this URL");
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		probe_add(p, SEV_OK, "cert", NULL, "%s %s, issued by %s, %ld "
		    "day(s) left", l.v[i].is_ca ? "CA" : "RA", l.v[i].subject,
		    l.v[i].issuer, l.v[i].days_left);
		judge(p, &l.v[i]);
		ra += !l.v[i].is_ca;
	}
	if (l.pkcs7 && ra == 0)
		finding_hint(probe_add(p, SEV_WARN, "no-ra", NULL,
		    "the answer holds no RA certificate"),
		    "check the RA certificates in LocalMachine\\My on the "
		    "NDES server");
	cacert_free(&l);
}

const struct probe_def probe_getcacert = {
	.name = "getcacert",
	.title = "SCEP GetCACert: CA and RA certificates in date",
	.start = getcacert_start,
	.done = getcacert_done,
};
