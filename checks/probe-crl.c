/*
 * The CRL distribution points NDES itself must reach: those of the RA
 * certificates in LocalMachine\My and of the CA certificate that issued
 * them. NDES checks revocation when it loads its RA certificates; a CRL it
 * cannot fetch (or one past its next update) is a common cause of HTTP
 * 500 answers. Each http(s) URL is fetched once, without a proxy, as the
 * server would.
 */
#include "host/host.h"
#include "probe.h"
#include "x509util.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#define CRL_MAX (8 * 1024 * 1024)

static const char *const ra_templates[] = {
	"EnrollmentAgentOffline", "CEPEncryption",
};
/* Where the issuing CA's certificate lives on the server. */
static const char *const ca_stores[] = { "CA", "Root" };

struct cdp {
	char *url;
	char *whose;	/* the certificate it came from, for messages */
};

struct cdps {
	struct cdp *v;
	size_t n;
	X509_NAME **issuers;	/* of the RA certificates */
	size_t nissuers;
};

static void
cdps_add(struct cdps *c, const char *url, X509 *x)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].url, url) == 0)
			return;
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	c->v[c->n].url = xstrdup(url);
	c->v[c->n].whose = x509_subject(x);
	c->n++;
}

/* The URIs of a certificate's CRL distribution points. */
static void
cdps_of(struct cdps *c, X509 *x)
{
	STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(x, NID_crl_distribution_points,
	    NULL, NULL);

	for (int i = 0; i < sk_DIST_POINT_num(dps); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);

		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		for (int k = 0; k < sk_GENERAL_NAME_num(dp->distpoint->name.fullname);
		    k++) {
			GENERAL_NAME *g = sk_GENERAL_NAME_value(
			    dp->distpoint->name.fullname, k);
			const unsigned char *s;
			char *url;

			if (g->type != GEN_URI)
				continue;
			s = ASN1_STRING_get0_data(g->d.uniformResourceIdentifier);
			url = xstrndup((const char *)s, (size_t)ASN1_STRING_length(
			    g->d.uniformResourceIdentifier));
			cdps_add(c, url, x);
			free(url);
		}
	}
	CRL_DIST_POINTS_free(dps);
}

static void
store_scan(struct host *h, const char *store,
    void (*each)(struct cdps *, const char *pem), struct cdps *c)
{
	char **names = NULL, *pem, err[256];
	size_t n = 0;

	if (h->ops->list == NULL || h->ops->list(h, RES_CERT, store, &names,
	    &n, err, sizeof err) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		pem = NULL;
		host_get(h, RES_CERT, store, names[i], &pem, err, sizeof err);
		if (pem != NULL)
			each(c, pem);
		free(pem);
	}
	str_list_free(names, n);
}

/* An RA certificate in date: its CDPs, and its issuer to look for. */
static void
each_ra(struct cdps *c, const char *pem)
{
	struct x509_facts xf;
	time_t now = time(NULL);
	X509 *x;
	int ra = 0;

	if (x509_pem_facts(pem, &xf) != 0 || xf.not_after < now ||
	    xf.not_before > now)
		return;
	for (size_t i = 0; i < nitems(ra_templates); i++)
		ra |= strcmp(xf.template_name, ra_templates[i]) == 0;
	if (!ra || (x = x509_from_pem(pem)) == NULL)
		return;
	cdps_of(c, x);
	c->issuers = xreallocarray(c->issuers, c->nissuers + 1,
	    sizeof *c->issuers);
	c->issuers[c->nissuers++] = X509_NAME_dup(X509_get_issuer_name(x));
	X509_free(x);
}

/* A CA certificate that issued an RA certificate: its own CDPs. */
static void
each_ca(struct cdps *c, const char *pem)
{
	X509 *x = x509_from_pem(pem);

	if (x == NULL)
		return;
	for (size_t i = 0; i < c->nissuers; i++)
		if (X509_NAME_cmp(c->issuers[i], X509_get_subject_name(x)) ==
		    0) {
			cdps_of(c, x);
			break;
		}
	X509_free(x);
}

static void
crl_start(struct probe *p)
{
	struct cdps c = {0};
	char *label;

	if (p->env->server == NULL) {
		probe_skip(p, "skipped", "no server to read the RA "
		    "certificates from: give the target folder (-t DIR), or "
		    "run ndeswiz check on the server itself");
		return;
	}
	if (!answers_list_has(&p->env->a, F_PREREQS_SCENARIOS, "scep")) {
		probe_skip(p, "skipped", "the answers choose no SCEP: NDES "
		    "checks no CRL here");
		return;
	}
	store_scan(p->env->server, "My", each_ra, &c);
	for (size_t i = 0; i < nitems(ca_stores); i++)
		store_scan(p->env->server, ca_stores[i], each_ca, &c);
	if (c.nissuers == 0)
		finding_hint(probe_add(p, SEV_WARN, "no-ra-cert", NULL,
		    "no RA certificate in date in LocalMachine\\My to take "
		    "CRL distribution points from"),
		    "Install the NDES role (it enrolls them) or renew them.");
	else if (c.n == 0)
		probe_add(p, SEV_OK, "none", NULL, "the RA certificates and "
		    "their CA name no CRL distribution point");
	for (size_t i = 0; i < c.n; i++) {
		if (strncasecmp(c.v[i].url, "http://", 7) != 0 &&
		    strncasecmp(c.v[i].url, "https://", 8) != 0)
			probe_add(p, SEV_OK, "not-http", NULL, "%s (of %s) is "
			    "not fetched: only http(s) CRLs are", c.v[i].url,
			    c.v[i].whose);
		else {
			label = xasprintf("%s (CDP of %s)", c.v[i].url,
			    c.v[i].whose);
			xfer_queue(xfer_new(p, c.v[i].url, label, CRL_MAX));
			free(label);
		}
		free(c.v[i].url);
		free(c.v[i].whose);
	}
	for (size_t i = 0; i < c.nissuers; i++)
		X509_NAME_free(c.issuers[i]);
	free(c.issuers);
	free(c.v);
}

static X509_CRL *
crl_parse(const struct buf *b)
{
	const unsigned char *d = (const unsigned char *)b->p;
	X509_CRL *crl;
	BIO *bio;

	if (b->len == 0)
		return NULL;
	if ((crl = d2i_X509_CRL(NULL, &d, (long)b->len)) != NULL)
		return crl;
	bio = BIO_new_mem_buf(b->p, (int)b->len);
	crl = bio ? PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	return crl;
}

static const char *const why_500 = "NDES cannot check revocation, and "
    "SCEP requests fail with HTTP 500";

static void
crl_done(struct probe *p, struct xfer *x)
{
	X509_CRL *crl;
	time_t next = 0;
	char *issuer;

	if (x->rc != CURLE_OK) {
		finding_hint(probe_add(p, SEV_ERROR, "unreachable", NULL,
		    "%s cannot be fetched (%s): %s", x->label,
		    x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->rc),
		    why_500),
		    "Make the CRL reachable from this server (publish it, "
		    "open the firewall) or fix the CA's CDP extension.");
		return;
	}
	if (x->status != 200) {
		finding_hint(probe_add(p, SEV_ERROR, "http", NULL,
		    "%s answers HTTP %ld: %s", x->label, x->status, why_500),
		    "Publish the CRL where the CDP says (certutil -CRL on "
		    "the CA).");
		return;
	}
	if (x->body_total > x->body_max || (crl = crl_parse(&x->body)) ==
	    NULL) {
		finding_hint(probe_add(p, SEV_ERROR, "not-a-crl", NULL,
		    "%s answers, but not with a CRL: %s", x->label, why_500),
		    "Publish the CRL itself (DER or PEM) at that URL.");
		return;
	}
	if (X509_CRL_get0_nextUpdate(crl) != NULL)
		x509_time(X509_CRL_get0_nextUpdate(crl), &next);
	issuer = X509_NAME_oneline(X509_CRL_get_issuer(crl), NULL, 0);
	if (next != 0 && next < time(NULL))
		finding_hint(probe_add(p, SEV_ERROR, "expired", NULL,
		    "%s: the CRL of %s is past its next update: %s", x->label,
		    issuer ? issuer : "?", why_500),
		    "Publish a new CRL (certutil -CRL on the CA) and check "
		    "the CA's publishing schedule.");
	else
		probe_add(p, SEV_OK, "ok", NULL, "%s: CRL of %s, %s", x->label,
		    issuer ? issuer : "?", next ? "in date" : "no next update");
	OPENSSL_free(issuer);
	X509_CRL_free(crl);
}

const struct probe_def probe_crl = {
	.name = "crl",
	.title = "NDES reaches the CRLs of its RA certificates and their CA",
	.start = crl_start,
	.done = crl_done,
};
