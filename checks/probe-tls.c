/*
 * The certificate the server presents on the mscep.dll URL, judged on its
 * own: is the chain trusted, does it name every host clients use, how
 * long until it expires. Each is its own finding, because each has its
 * own repair.
 */
#include "probe.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void
tls_start(struct probe *p)
{
	struct xfer *x;

	if (p->env->scep_skip != NULL) {
		probe_skip(p, "skipped", "%s", p->env->scep_skip);
		return;
	}
	if (strncasecmp(p->env->url, "https:", 6) != 0) {
		probe_skip(p, "plain-http", "%s is plain http: there is no "
		    "certificate to look at", p->env->url);
		return;
	}
	x = xfer_new(p, p->env->url, p->env->url, 0);
	xfer_inspect_tls(x);
	/* The handshake is all this probe needs. */
	curl_easy_setopt(x->h, CURLOPT_CONNECT_ONLY, 1L);
	xfer_queue(x);
}

/* A name clients use, and the answer it comes from. */
struct tls_name {
	const char *name;
	const char *field;
};

static void
check_name(struct probe *p, X509 *leaf, const struct tls_name *n,
    struct buf *covered)
{
	if (x509_covers(leaf, n->name)) {
		buf_addf(covered, "%s%s", covered->len ? ", " : "", n->name);
		return;
	}
	finding_hint(probe_add(p, SEV_ERROR, "name-mismatch", n->field,
	    "the certificate does not cover %s", n->name),
	    "enroll a certificate whose subject alternative names hold every "
	    "name clients use, and bind it");
}

static void
check_names(struct probe *p, X509 *leaf, struct buf *covered)
{
	const struct answers *a = &p->env->a;
	const char *fqdn = answers_get(a, F_BINDING_FQDN);
	struct tls_name n = { p->env->host, NULL };
	char **ext;
	size_t next;

	check_name(p, leaf, &n, covered);
	if (fqdn != NULL && *fqdn != '\0' && strcasecmp(fqdn, n.name) != 0) {
		n.name = fqdn;
		n.field = "binding.fqdn";
		check_name(p, leaf, &n, covered);
	}
	ext = answers_list(a, F_BINDING_EXTERNAL_NAMES, &next);
	for (size_t i = 0; i < next; i++) {
		if (strcasecmp(ext[i], p->env->host) == 0 ||
		    (fqdn != NULL && strcasecmp(ext[i], fqdn) == 0))
			continue;
		n.name = ext[i];
		n.field = "binding.external_names";
		check_name(p, leaf, &n, covered);
	}
	str_list_free(ext, next);
}

static void
check_dates(struct probe *p, STACK_OF(X509) *chain, X509 *leaf, long *left)
{
	time_t now = time(NULL);
	int not_yet;

	*left = x509_days_left(leaf, now, &not_yet);
	if (not_yet)
		finding_hint(probe_add(p, SEV_ERROR, "not-yet-valid", NULL,
		    "the certificate is not valid yet"),
		    "check this machine's clock, or the certificate's start "
		    "date");
	else if (*left < 0)
		finding_hint(probe_add(p, SEV_ERROR, "expired", NULL,
		    "the certificate expired %ld day(s) ago", -*left),
		    "renew the server certificate and bind the new one");
	else if (*left < DAYS_WARN)
		finding_hint(probe_add(p, SEV_WARN, "expiring", NULL,
		    "the certificate expires in %ld day(s)", *left),
		    "renew the server certificate before it runs out");
	/* The intermediates the server sends count too. */
	for (int i = 1; i < sk_X509_num(chain); i++) {
		X509 *c = sk_X509_value(chain, i);
		char *s;

		if (x509_days_left(c, now, &not_yet) >= 0)
			continue;
		s = x509_subject(c);
		finding_hint(probe_add(p, SEV_ERROR, "chain-expired", NULL,
		    "the chain holds an expired CA certificate: %s", s),
		    "install the CA's current certificate on the server "
		    "(Intermediate store) and send that one");
		free(s);
	}
}

static void
tls_done(struct probe *p, struct xfer *x)
{
	STACK_OF(X509) *chain;
	struct buf covered = {0};
	char *subject, *issuer;
	X509 *leaf;
	long left;
	int v;

	if (x->rc != CURLE_OK) {
		xfer_transport_finding(p, x);
		return;
	}
	if ((chain = x509_chain_from_certinfo(x->h)) == NULL) {
		finding_hint(probe_add(p, SEV_ERROR, "no-certificate", NULL,
		    "%s: the server showed no certificate", x->label),
		    "check the https binding of the site");
		return;
	}
	leaf = sk_X509_value(chain, 0);
	subject = x509_subject(leaf);
	issuer = x509_issuer(leaf);
	if ((v = x509_verify_chain(chain, p->env->cacert)) != X509_V_OK)
		finding_hint(probe_add(p, SEV_ERROR, "untrusted", NULL,
		    "the chain does not verify: %s (issuer %s)",
		    X509_verify_cert_error_string(v), issuer),
		    "bind a certificate from a CA that devices trust and "
		    "send the intermediates; for a private CA pass its "
		    "certificate with --cacert or [health] ca_bundle");
	check_names(p, leaf, &covered);
	check_dates(p, chain, leaf, &left);
	probe_add(p, SEV_OK, "certificate", NULL, "%s, issued by %s, %ld "
	    "day(s) left; covers %s", subject, issuer, left,
	    covered.len ? covered.p : "none of the names");
	buf_free(&covered);
	free(subject);
	free(issuer);
	sk_X509_pop_free(chain, X509_free);
}

const struct probe_def probe_tls = {
	.name = "tls",
	.title = "The server certificate: trusted, right names, in date",
	.start = tls_start,
	.done = tls_done,
};
