/*
 * Certificate binding.
 *
 * Devices reach NDES over https, so IIS must serve a certificate they
 * accept: one for TLS servers (EKU serverAuth), naming every name they
 * use, in date, with a strong key that the server holds. The certificate
 * comes from the server's own store, a .pfx, PEM files or, while there is
 * none yet, a key and a request this step writes for the CA to sign. It
 * is imported into LocalMachine\My and bound to https on Default Web Site
 * twice over: the IIS site binding, and the HTTP.sys SSL binding that
 * tells the kernel which certificate to present on the port.
 *
 * Rules and their sources: README.md, "The steps" (the binding row) and
 * "The rules about the server" (the binding.* rows, each with its public
 * source: Microsoft Learn, KB articles).
 */
#include "step.h"
#include "certio.h"
#include "iissite.h"
#include "secret.h"
#include "syntax.h"
#include "x509check.h"
#include "host/sslbind.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STEP "binding"
#define SITE IISSITE_PATH
#define BINDING_FMT SITE "/bindings/binding[@protocol='%s']" \
	"[@bindingInformation='*:%lld:']"
#define MSCEP_ADMIN SITE "/application[@path='/CertSrv/mscep_admin']"
/* Request filtering answers 404 for any URL with this segment. */
#define HIDDEN_ADMIN "Default Web Site|system.webServer/security/" \
	"requestFiltering/hiddenSegments/add[@segment='mscep_admin']"
/* The AppId IIS itself registers its SSL bindings under. */
#define IIS_APPID "{4dc3e181-e14b-4a21-b022-59fc669b0914}"
#define SSL_KEY "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services" \
	"\\HTTP\\Parameters\\SslBindingInfo\\"
#define CSR_KEY_FILE "ndes-server.key"
#define CSR_FILE "ndes-server.csr"
#define CSR_KEY_BITS 2048
#define HTTP_PORT 80
#define HTTPS_PORT 443

enum cert_kind { CK_CSR, CK_STORE, CK_PFX, CK_PEM };

struct source {
	enum cert_kind kind;
	char thumb[X509CHECK_THUMB_LEN + 1]; /* store: */
	char *file, *keyfile;                /* pfx:, pem: */
};

static int parse_store(const char *, struct source *);
static int parse_pfx(const char *, struct source *);
static int parse_pem(const char *, struct source *);

static const struct source_kind {
	const char *prefix;
	enum cert_kind kind;
	int (*parse)(const char *rest, struct source *);
	const char *code; /* when parse fails */
	const char *hint;
} source_kinds[] = {
	{ "store:", CK_STORE, parse_store, "binding.thumbprint-invalid",
	  "Copy the thumbprint from the certificate's Details tab "
	  "(certlm.msc): 40 hexadecimal digits; spaces are fine." },
	{ "pfx:", CK_PFX, parse_pfx, "binding.pfx-source-invalid",
	  "Write pfx:PATH, the path of a .pfx (PKCS#12) file." },
	{ "pem:", CK_PEM, parse_pem, "binding.pem-source-invalid",
	  "Write pem:CERT,KEY: the certificate file, a comma, then the "
	  "private key file." },
};

/* ---- the certificate source ------------------------------------------- */

/*
 * Thumbprints are copied from certlm.msc with spaces between the bytes
 * and, notoriously, an invisible left-to-right mark (U+200E) in front.
 */
static int
parse_store(const char *s, struct source *src)
{
	size_t n = 0;

	for (; *s; s++) {
		if (strncmp(s, "\xe2\x80\x8e", 3) == 0) {
			s += 2;
			continue;
		}
		if (*s == ' ' || *s == ':')
			continue;
		if (!isxdigit((unsigned char)*s) || n == X509CHECK_THUMB_LEN)
			return -1;
		src->thumb[n++] = (char)toupper((unsigned char)*s);
	}
	src->thumb[n] = '\0';
	return n == X509CHECK_THUMB_LEN ? 0 : -1;
}

static int
parse_pfx(const char *s, struct source *src)
{
	if (*s == '\0')
		return -1;
	src->file = xstrdup(s);
	return 0;
}

static char *
trim_dup(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static int
parse_pem(const char *s, struct source *src)
{
	const char *comma = strchr(s, ',');

	if (comma == NULL)
		return -1;
	src->file = trim_dup(s, (size_t)(comma - s));
	src->keyfile = trim_dup(comma + 1, strlen(comma + 1));
	return *src->file != '\0' && *src->keyfile != '\0' ? 0 : -1;
}

static void
source_free(struct source *src)
{
	free(src->file);
	free(src->keyfile);
	memset(src, 0, sizeof *src);
}

/* 0, or -1 with the failing row in *bad (NULL: empty or unknown). */
static int
source_parse(const char *v, struct source *src,
    const struct source_kind **bad)
{
	memset(src, 0, sizeof *src);
	*bad = NULL;
	if (strcmp(v, "csr") == 0) {
		src->kind = CK_CSR;
		return 0;
	}
	for (size_t i = 0; i < nitems(source_kinds); i++) {
		const struct source_kind *k = &source_kinds[i];

		if (!str_has_prefix(v, k->prefix))
			continue;
		src->kind = k->kind;
		if (k->parse(v + strlen(k->prefix), src) == 0)
			return 0;
		*bad = k;
		source_free(src);
		return -1;
	}
	return -1;
}

/* ---- validate ---------------------------------------------------------- */

/* Why a name is no DNS name clients can use, or NULL when it is one. */
static const char *
dns_problem(const char *s, int allow_wildcard)
{
	const char *last = strrchr(s, '.');

	if (!allow_wildcard && strchr(s, '*') != NULL)
		return "is a wildcard; the server's own name is one host name";
	if (!dns_name_ok(s, allow_wildcard))
		return strchr(s, '*') != NULL ? "is not a usable wildcard: "
		    "\"*\" must be the whole left-most label, with at least "
		    "two labels after it (*.contoso.com)" : "is not a DNS "
		    "name: labels of letters, digits and hyphens (not at "
		    "either end), separated by dots";
	last = last ? last + 1 : s;
	if (strspn(last, "0123456789") == strlen(last))
		return "looks like an IP address; certificates and clients "
		    "here need a DNS name";
	return NULL;
}

static void
validate_fqdn(const struct answers *a, struct findings *f)
{
	const char *fqdn = answers_get(a, F_BINDING_FQDN);
	const char *field = field_name(F_BINDING_FQDN), *why;

	if (*fqdn == '\0')
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "fqdn-missing", "no server FQDN: the certificate's CN "
		    "and the health check need it"),
		    "Enter the server's full DNS name, e.g. "
		    "ndes01.contoso.com.");
	else if ((why = dns_problem(fqdn, 0)) != NULL)
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "fqdn-invalid", "'%s' %s", fqdn, why),
		    "Enter the server's full DNS name, e.g. "
		    "ndes01.contoso.com.");
	else if (strchr(fqdn, '.') == NULL)
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "fqdn-not-qualified", "'%s' is a short name; the "
		    "certificate and devices need the full name", fqdn),
		    "Add the DNS domain: e.g. ndes01.contoso.com rather than "
		    "ndes01.");
}

static void
validate_names(const struct answers *a, struct findings *f)
{
	size_t n;
	char **names = answers_list(a, F_BINDING_EXTERNAL_NAMES, &n);
	const char *why;

	for (size_t i = 0; i < n; i++)
		if ((why = dns_problem(names[i], 1)) != NULL)
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(F_BINDING_EXTERNAL_NAMES),
			    "external-name-invalid", "'%s' %s", names[i], why),
			    "List the DNS names clients use, "
			    "comma-separated, e.g. scep.contoso.com.");
	str_list_free(names, n);
}

static void
validate_source(const struct answers *a, struct findings *f)
{
	const char *v = answers_get(a, F_BINDING_CERTIFICATE);
	const char *field = field_name(F_BINDING_CERTIFICATE);
	const struct source_kind *bad;
	struct source src;

	if (source_parse(v, &src, &bad) != 0) {
		if (bad != NULL)
			finding_set_hint(finding_add(f, SEV_ERROR, STEP, field,
			    bad->code, "'%s' is not a usable %s source", v,
			    bad->prefix),
			    bad->hint);
		else
			finding_hint(finding_add(f, SEV_ERROR, STEP, field,
			    "certificate-missing", "no certificate source "
			    "given"),
			    "Use store:THUMBPRINT, pfx:PATH, pem:CERT,KEY, "
			    "or csr to have a request made.");
		return;
	}
	if (src.kind != CK_PFX &&
	    *answers_get(a, F_BINDING_PFX_PASSWORD) != '\0')
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_BINDING_PFX_PASSWORD), "pfx-password-unused",
		    "a PFX password is given but the certificate does not "
		    "come from a .pfx"),
		    "Clear it, or use pfx:PATH if you meant the .pfx.");
	source_free(&src);
}

static void
validate_port(const struct answers *a, struct findings *f)
{
	if (answers_int(a, F_BINDING_PORT) == HTTP_PORT &&
	    !answers_bool(a, F_BINDING_REMOVE_HTTP_BINDING))
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_BINDING_PORT), "port-conflict", "port %d is "
		    "taken by the site's http binding", HTTP_PORT),
		    "Use 443, or set remove_http_binding = yes.");
	/* Microsoft documents NDES for Intune on 443 only (Learn:
	 * "Configure infrastructure to support SCEP with Intune"). */
	else if (answers_int(a, F_BINDING_PORT) != HTTPS_PORT)
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_BINDING_PORT), "port-not-443", "port %lld: "
		    "NDES for Intune is documented on 443 only, and devices "
		    "and the connector expect the URL without a port",
		    answers_int(a, F_BINDING_PORT)),
		    "Use port 443 unless a proxy in front of the server maps "
		    "443 to this port.");
}

static void
binding_validate(const struct answers *a, struct findings *f)
{
	if (!answers_want_scep(a))
		return;
	validate_fqdn(a, f);
	validate_names(a, f);
	validate_source(a, f);
	validate_port(a, f);
}

/* ---- loading and checking the certificate ------------------------------ */

struct cert {
	struct certbundle b;
	char thumb[X509CHECK_THUMB_LEN + 1];
	char *what; /* how messages name it */
};

static void
cert_free(struct cert *c)
{
	certbundle_free(&c->b);
	free(c->what);
	memset(c, 0, sizeof *c);
}

/* What a load failure means to the admin, by status. */
static const struct load_error {
	enum certio_status st;
	const char *code;
	enum field_id field;
	const char *hint;
} load_errors[] = {
	{ CERTIO_NO_FILE, "binding.cert-unreadable", F_BINDING_CERTIFICATE,
	  "Check the path and that this user may read the file." },
	{ CERTIO_NO_CERT, "binding.cert-unreadable", F_BINDING_CERTIFICATE,
	  "Give the certificate file the CA returned (PEM or DER)." },
	{ CERTIO_BAD_PFX, "binding.cert-unreadable", F_BINDING_CERTIFICATE,
	  "Export the certificate again with its private key as .pfx." },
	{ CERTIO_BAD_KEY, "binding.key-unreadable", F_BINDING_CERTIFICATE,
	  "Give the PEM private key that belongs to the certificate." },
	{ CERTIO_KEY_LOCKED, "binding.key-encrypted", F_BINDING_CERTIFICATE,
	  "Decrypt it first (openssl pkey -in KEY -out PLAIN, mode 0600), "
	  "or export a .pfx and use pfx:PATH." },
	{ CERTIO_BAD_PASSWORD, "binding.pfx-password", F_BINDING_PFX_PASSWORD,
	  "Give the password the .pfx was exported with in "
	  "[binding] pfx_password." },
};

static void
load_failed(enum certio_status st, const char *err, struct findings *f)
{
	for (size_t i = 0; i < nitems(load_errors); i++)
		if (load_errors[i].st == st) {
			finding_set_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(load_errors[i].field),
			    load_errors[i].code, "%s", err),
			    load_errors[i].hint);
			return;
		}
}

static int
load_store(struct host *h, const struct plan *p, const struct source *src,
    struct cert *c, struct findings *f)
{
	const char *field = field_name(F_BINDING_CERTIFICATE);
	char *pem = NULL, err[256];
	enum certio_status st;

	if (plan_current(p, h, RES_CERT, "My", src->thumb, &pem) != 0) {
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "host.read-failed", "cannot read certificate %s of "
		    "LocalMachine\\My", src->thumb),
		    "Check that the target is readable and not damaged.");
		return -1;
	}
	if (pem == NULL) {
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "store-cert-missing", "LocalMachine\\My holds no "
		    "certificate with thumbprint %s", src->thumb),
		    "Check the thumbprint (certlm.msc, Personal), or import "
		    "the certificate with pfx:PATH or pem:CERT,KEY.");
		return -1;
	}
	st = certio_parse_pem(pem, strlen(pem), &c->b, err, sizeof err);
	certio_free_secret(pem);
	if (st != CERTIO_OK) {
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "cert-unreadable", "certificate %s of LocalMachine\\My: %s",
		    src->thumb, err),
		    "Import it again, with its private key.");
		return -1;
	}
	c->what = xasprintf("certificate %s in LocalMachine\\My", src->thumb);
	return 0;
}

static int
load_pfx(const struct answers *a, const struct source *src, struct cert *c,
    struct findings *f)
{
	struct secret pw;
	enum certio_status st;
	char err[512];

	if (secret_resolve(answers_get(a, F_BINDING_PFX_PASSWORD),
	    fields_table[F_BINDING_PFX_PASSWORD].label, &pw, err,
	    sizeof err) != 0) {
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_BINDING_PFX_PASSWORD),
		    "pfx-password-unavailable", "%s", err),
		    "Make the password available as [binding] pfx_password "
		    "says, or change that reference.");
		return -1;
	}
	st = certio_load_pfx(src->file, pw.p, &c->b, err, sizeof err);
	secret_wipe(&pw);
	if (st != CERTIO_OK) {
		load_failed(st, err, f);
		return -1;
	}
	c->what = xasprintf("the certificate in %s", src->file);
	return 0;
}

static int
load_pem(const struct source *src, struct cert *c, struct findings *f)
{
	enum certio_status st;
	char err[512];

	st = certio_load_pem(src->file, src->keyfile, &c->b, err, sizeof err);
	if (st != CERTIO_OK) {
		load_failed(st, err, f);
		return -1;
	}
	c->what = xasprintf("the certificate in %s", src->file);
	return 0;
}

static int
load_source(struct host *h, const struct plan *p, const struct answers *a,
    const struct source *src, struct cert *c, struct findings *f)
{
	int rc;

	memset(c, 0, sizeof *c);
	if (src->kind == CK_STORE)
		rc = load_store(h, p, src, c, f);
	else if (src->kind == CK_PFX)
		rc = load_pfx(a, src, c, f);
	else
		rc = load_pem(src, c, f);
	if (rc == 0 && x509check_thumbprint(c->b.cert, c->thumb) != 0) {
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_BINDING_CERTIFICATE), "cert-unreadable",
		    "cannot compute the thumbprint of %s", c->what),
		    "Give another copy of it.");
		rc = -1;
	}
	if (rc != 0)
		cert_free(c);
	return rc;
}

/* Every rule of x509check; returns the number of errors. */
static int
check_cert(const struct answers *a, const struct certbundle *b,
    const char *what, struct findings *f)
{
	size_t n;
	char **names = answers_list(a, F_BINDING_EXTERNAL_NAMES, &n);
	struct x509check xc = {
		.step = STEP,
		.field = field_name(F_BINDING_CERTIFICATE),
		.what = what,
		.fqdn = answers_get(a, F_BINDING_FQDN),
		.names = names,
		.nnames = n,
		.ca_file = answers_get(a, F_HEALTH_CA_BUNDLE),
		.ca_field = field_name(F_HEALTH_CA_BUNDLE),
		.chain = b->chain,
		.key = b->key,
		.need_key = 1,
		.key_held = b->key_held,
	};
	int errors = x509check_run(&xc, b->cert, f);

	str_list_free(names, n);
	return errors;
}

/* ---- host state helpers ------------------------------------------------ */

static char *
binding_path(const char *protocol, long long port)
{
	return xasprintf(BINDING_FMT, protocol, port);
}

/* Does the resource exist once this plan ran? -1: unreadable. */
static int
exists(const struct plan *p, struct host *h, enum res_kind kind,
    const char *path, const char *name)
{
	char *v = NULL;

	if (plan_current(p, h, kind, path, name, &v) != 0)
		return -1;
	free(v);
	return v != NULL;
}

/* The certificate store an SSL binding names, as a RES_CERT path. */
static void
sslbind_store(const char *v, char *out, size_t len)
{
	sslbind_field(v, "store", out, len);
	if (*out == '\0' || strcasecmp(out, "MY") == 0)
		snprintf(out, len, "My");
}

static int
sslbind_is(const char *v, const char *thumb)
{
	char hash[128], store[64];

	if (v == NULL)
		return 0;
	sslbind_field(v, "hash", hash, sizeof hash);
	sslbind_store(v, store, sizeof store);
	return strcasecmp(hash, thumb) == 0 && strcmp(store, "My") == 0;
}

static int
want_prefix(struct plan *p, struct host *h, struct findings *f,
    const char *elem, size_t len, const char *reason)
{
	char *prefix = xstrndup(elem, len);
	int rc = plan_want(p, h, f, STEP, RES_IISELEM, prefix, NULL,
	    "present", 0, reason);

	free(prefix);
	return rc;
}

/* Default Web Site and what holds it are IIS's to make, never ours: a
 * bare <site> has no id and no root application (iissite.c). */
static int
site_or_above(const char *elem, size_t len)
{
	return len <= strlen(SITE) && strncmp(elem, SITE, len) == 0;
}

/*
 * An IIS element by its presence, its missing ancestors first, as
 * plan_want_iis does for an attribute's element: each is a change of its
 * own, so rollback removes exactly what apply added. (The element's
 * predicates are its attributes; setting one of them through
 * plan_want_iis would make rollback lose the element's name.)
 */
static int
want_elem(struct plan *p, struct host *h, struct findings *f,
    const char *elem, const char *reason)
{
	const char *bar = strchr(elem, '|');
	int depth = 0, rc = 0;

	if (bar == NULL)
		return -1;
	if (bar != elem)
		rc = want_prefix(p, h, f, elem, (size_t)(bar - elem) + 1,
		    "the configuration location must exist");
	for (const char *s = bar + 1; rc >= 0 && *s != '\0'; s++) {
		if (*s == '[')
			depth++;
		else if (*s == ']')
			depth--;
		else if (*s == '/' && depth == 0 &&
		    !site_or_above(elem, (size_t)(s - elem)))
			rc = want_prefix(p, h, f, elem, (size_t)(s - elem),
			    "the configuration element must exist");
	}
	if (rc < 0)
		return -1;
	return plan_want(p, h, f, STEP, RES_IISELEM, elem, NULL, "present", 0,
	    reason);
}

static const char *
target_file(struct host *h, const char *name)
{
	return h->ops->file_path != NULL ? h->ops->file_path(h, name) : name;
}

/* ---- plan -------------------------------------------------------------- */

/* Already in the store with its key? Then there is nothing to import. */
static int
in_store(struct plan *p, struct host *h, const char *store,
    const struct cert *c)
{
	struct certbundle have;
	char *pem = NULL, err[128];
	int same = 0;

	if (plan_current(p, h, RES_CERT, store, c->thumb, &pem) != 0 ||
	    pem == NULL)
		return 0;
	if (certio_parse_pem(pem, strlen(pem), &have, err, sizeof err) ==
	    CERTIO_OK) {
		same = X509_cmp(have.cert, c->b.cert) == 0 && (c->b.key ==
		    NULL || (have.key != NULL && EVP_PKEY_eq(have.key,
		    c->b.key) == 1));
		certbundle_free(&have);
	}
	certio_free_secret(pem);
	return same;
}

/*
 * IIS sends the intermediate CAs along with its own certificate when
 * they are in LocalMachine\CA. Roots are left alone: what to trust is
 * the admin's call, and an intermediate in Root breaks the SCEP pool.
 */
static void
plan_chain(struct host *h, struct plan *p, struct findings *f,
    const struct cert *c)
{
	for (int i = 0; i < sk_X509_num(c->b.chain); i++) {
		X509 *x = sk_X509_value(c->b.chain, i);
		struct cert ca = { .b = { .cert = x } };
		char *pem;

		if (X509_self_signed(x, 0) == 1 ||
		    x509check_thumbprint(x, ca.thumb) != 0 ||
		    in_store(p, h, "CA", &ca))
			continue;
		pem = certio_to_pem(x, NULL);
		plan_want(p, h, f, STEP, RES_CERT, "CA", ca.thumb, pem, 0,
		    "IIS sends the issuing CA's certificate with its own "
		    "when it is in LocalMachine\\CA; devices need the whole "
		    "chain");
		free(pem);
	}
}

static void
plan_import(struct host *h, struct plan *p, struct findings *f,
    const struct cert *c)
{
	char *pem, *reason;

	if (!in_store(p, h, "My", c)) {
		pem = certio_to_pem(c->b.cert, c->b.key);
		reason = xasprintf("IIS serves a certificate from "
		    "LocalMachine\\My, with its private key (%s)", c->what);
		if (pem != NULL && plan_want(p, h, f, STEP, RES_CERT, "My",
		    c->thumb, pem, 0, reason) == 1)
			p->v[p->n - 1].secret = 1;
		certio_free_secret(pem);
		free(reason);
	}
	plan_chain(h, p, f, c);
}

static void
plan_https(struct host *h, struct plan *p, struct findings *f,
    long long port, const struct cert *c)
{
	char *elem = binding_path("https", port), *cur = NULL, *want, *reason;
	char *ipport = xasprintf("0.0.0.0:%lld", port);

	reason = xasprintf("Default Web Site must answer https on port %lld "
	    "for devices to reach NDES", port);
	want_elem(p, h, f, elem, reason);
	free(reason);
	if (plan_current(p, h, RES_SSLBIND, ipport, NULL, &cur) == 0 &&
	    !sslbind_is(cur, c->thumb)) {
		want = sslbind_format(c->thumb, "MY", IIS_APPID);
		reason = xasprintf("HTTP.sys presents this certificate on "
		    "port %lld (%s)", port, c->what);
		plan_want(p, h, f, STEP, RES_SSLBIND, ipport, NULL, want, 0,
		    reason);
		free(want);
		free(reason);
	}
	free(cur);
	free(ipport);
	free(elem);
}

static void
csr_pending(struct host *h, const struct answers *a, struct findings *f)
{
	char *csr = xstrdup(target_file(h, CSR_FILE));
	char *key = xstrdup(target_file(h, CSR_KEY_FILE));
	char *hint;

	hint = xasprintf("Have your CA sign %s with a Web Server template "
	    "(certreq -submit -attrib \"CertificateTemplate:WebServer\" %s "
	    "ndes-server.cer), then set [binding] certificate = "
	    "pem:ndes-server.cer,%s and run ndeswiz again.", CSR_FILE, CSR_FILE,
	    key);
	finding_set_hint(finding_add(f, SEV_WARN, STEP,
	    field_name(F_BINDING_CERTIFICATE), "csr-pending", "no certificate "
	    "to bind yet: apply writes a request for %s to %s and its private "
	    "key to %s; nothing is imported or bound until the CA has signed "
	    "it", answers_get(a, F_BINDING_FQDN), csr, key),
	    hint);
	free(hint);
	free(key);
	free(csr);
}

/* The names of the request, "CN,SAN,SAN..." (the CN is a SAN too): what
 * gen_csr signs and the plan shows. */
static char *
csr_subject(const struct answers *a)
{
	const char *ext = answers_get(a, F_BINDING_EXTERNAL_NAMES);

	return xasprintf("%s%s%s", answers_get(a, F_BINDING_FQDN),
	    ext && *ext ? "," : "", ext ? ext : "");
}

/* Apply makes the key (plan_generate): 100+ ms of RSA is no plan's. */
static int
gen_key(const struct plan *p, struct change *c, char *err, size_t len)
{
	EVP_PKEY *key = certio_new_rsa(CSR_KEY_BITS);
	char *pem = key ? certio_key_to_pem(key) : NULL;

	(void)p;
	EVP_PKEY_free(key);
	if (pem == NULL) {
		snprintf(err, len, "cannot make an RSA-%d key for %s; check "
		    "that OpenSSL has a working random source", CSR_KEY_BITS,
		    CSR_KEY_FILE);
		return -1;
	}
	free(c->new);
	c->new = pem;
	return 0;
}

/* ...and the request, signed by the key made just before it. */
static int
gen_csr(const struct plan *p, struct change *c, char *err, size_t len)
{
	int found = 0;
	const char *pem = plan_pending(p, RES_FILE, CSR_KEY_FILE, NULL,
	    &found);
	EVP_PKEY *key = found && pem ? certio_key_from_pem(pem) : NULL;
	size_t n;
	char **names, *csr;

	if (key == NULL) {
		snprintf(err, len, "no key to sign %s with", CSR_FILE);
		return -1;
	}
	names = str_split_list(c->gen_arg, &n);
	csr = certio_make_csr(key, names[0], names + 1, n - 1, err, len);
	str_list_free(names, n);
	EVP_PKEY_free(key);
	if (csr == NULL)
		return -1;
	free(c->new);
	c->new = csr;
	return 0;
}

/*
 * The key is made once, by apply, and kept in the target: a later plan
 * reuses it, so the request stays the same and planning stays idempotent.
 * NULL with *later = 1: apply makes it (plan_generate).
 */
static EVP_PKEY *
csr_key(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f, int *later, int *held)
{
	char *cur = NULL, *what, *subject;
	EVP_PKEY *key;

	*later = *held = 0;
	if (plan_current(p, h, RES_FILE, CSR_KEY_FILE, NULL, &cur) != 0) {
		finding_hint(finding_add(f, SEV_ERROR, STEP, NULL,
		    "host.read-failed", "cannot read %s",
		    target_file(h, CSR_KEY_FILE)),
		    "Check that the target is readable and not damaged.");
		return NULL;
	}
	/* A snapshot: the key exists, on the server it was taken from. */
	*held = cur != NULL && certio_key_held(cur, strlen(cur)) &&
	    strstr(cur, "PRIVATE KEY-----") == NULL;
	if (*held) {
		certio_free_secret(cur);
		return NULL;
	}
	if (cur != NULL) {
		if ((key = certio_key_from_pem(cur)) == NULL)
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(F_BINDING_CERTIFICATE),
			    "csr-key-unreadable", "%s holds no usable private "
			    "key", target_file(h, CSR_KEY_FILE)),
			    "Move the file away; the next plan makes a new "
			    "key.");
		certio_free_secret(cur);
		return key;
	}
	subject = csr_subject(a);
	what = xasprintf("make an RSA-%d key and a CSR for CN=%s, SAN=%s: "
	    "the private key of the server certificate request (mode 0600); "
	    "keep it for the certificate the CA returns", CSR_KEY_BITS,
	    answers_get(a, F_BINDING_FQDN), subject);
	if (plan_want(p, h, f, STEP, RES_FILE, CSR_KEY_FILE, NULL,
	    "(made at apply: a new RSA-2048 private key)", 0, what) == 1) {
		p->v[p->n - 1].secret = 1;
		plan_made_at_apply(p, gen_key, NULL);
		*later = 1;
	}
	free(what);
	free(subject);
	return NULL;
}

static void
csr_failed(struct findings *f, const char *err)
{
	finding_hint(finding_add(f, SEV_ERROR, STEP, NULL, "csr-failed", "%s",
	    err), "Check the names in [binding].");
}

static void
plan_csr(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	const char *fqdn = answers_get(a, F_BINDING_FQDN);
	char *csr, *cur = NULL, err[256], *subject, *what;
	EVP_PKEY *key;
	size_t n;
	char **names;
	int later, held;

	csr_pending(h, a, f);
	key = csr_key(h, a, p, f, &later, &held);
	if (key == NULL && !later && !held)
		return;
	names = answers_list(a, F_BINDING_EXTERNAL_NAMES, &n);
	/* The names first, with no key: apply makes the request, or the one
	 * there asks for them already; it is signed only when it changes. */
	csr = certio_make_csr(NULL, fqdn, names, n, err, sizeof err);
	if (csr == NULL)
		csr_failed(f, err);
	else if (held) {
		/* The key stayed on the server a snapshot was taken from: the
		 * request there must still ask for the names. */
		if (plan_current(p, h, RES_FILE, CSR_FILE, NULL, &cur) == 0 &&
		    (cur == NULL || !certio_csr_asks(cur, NULL, fqdn, names,
		    n)))
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(F_BINDING_FQDN), "csr-key-held",
			    "%s asks for other names than [binding], and its "
			    "key stayed on the server this snapshot was taken "
			    "from", target_file(h, CSR_FILE)),
			    "Plan on the server itself: only it holds the "
			    "key a new request must be signed with.");
	} else if (later) {
		subject = csr_subject(a);
		what = xasprintf("(made at apply: a request for CN=%s, SAN=%s, "
		    "signed by the new key)", fqdn, subject);
		if (plan_want(p, h, f, STEP, RES_FILE, CSR_FILE, NULL, what,
		    0, "the request for the server certificate (CN and SAN "
		    "from [binding]), for the CA to sign") == 1)
			plan_made_at_apply(p, gen_csr, subject);
		free(what);
		free(subject);
	} else if (plan_current(p, h, RES_FILE, CSR_FILE, NULL, &cur) == 0 &&
	    (cur == NULL || !certio_csr_asks(cur, key, fqdn, names, n))) {
		free(csr);
		if ((csr = certio_make_csr(key, fqdn, names, n, err,
		    sizeof err)) == NULL)
			csr_failed(f, err);
		else
			plan_want(p, h, f, STEP, RES_FILE, CSR_FILE, NULL, csr,
			    0, "the request for the server certificate (CN "
			    "and SAN from [binding]), for the CA to sign");
	}
	free(cur);
	free(csr);
	str_list_free(names, n);
	EVP_PKEY_free(key);
}

/* Attributes an http binding may carry besides its name: removed first
 * so that rollback puts the element back whole. */
static const char *const binding_attrs[] = { "sslFlags" };

static void
plan_remove_http(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	char *http = binding_path("http", HTTP_PORT);
	char *https = binding_path("https", answers_int(a, F_BINDING_PORT));

	if (!answers_bool(a, F_BINDING_REMOVE_HTTP_BINDING) ||
	    exists(p, h, RES_IISELEM, http, NULL) != 1)
		goto out;
	if (exists(p, h, RES_IISELEM, https, NULL) != 1) {
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_BINDING_REMOVE_HTTP_BINDING), "http-kept",
		    "the http binding stays for now: without an https "
		    "binding the site would answer nothing at all"),
		    "Bind a certificate first; the http binding goes in the "
		    "same run.");
		goto out;
	}
	for (size_t i = 0; i < nitems(binding_attrs); i++)
		if (exists(p, h, RES_IIS, http, binding_attrs[i]) == 1)
			plan_want(p, h, f, STEP, RES_IIS, http,
			    binding_attrs[i], NULL, 0, "removed with the http "
			    "binding");
	plan_want(p, h, f, STEP, RES_IISELEM, http, NULL, NULL, 0,
	    "remove_http_binding = yes: NDES is reached over https only");
out:
	free(https);
	free(http);
}

static void
plan_hide_admin(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	if (!answers_bool(a, F_BINDING_HIDE_MSCEP_ADMIN) ||
	    exists(p, h, RES_IISELEM, MSCEP_ADMIN, NULL) != 1)
		return;
	want_elem(p, h, f, HIDDEN_ADMIN, "hide_mscep_admin = yes: "
	    "CertSrv/mscep_admin hands out enrollment passwords and is not "
	    "needed with Intune; request filtering answers 404 for it");
}

/*
 * "csr" asks for a request because there is no certificate yet. When the
 * port already serves one from My that meets every rule without even a
 * warning, there is nothing to request: go on as with store:THUMBPRINT,
 * so a configured server plans nothing. A certificate due for renewal,
 * self-signed or wrong in any way still gets its request.
 */
static int
bound_is_fit(struct host *h, struct plan *p, const struct answers *a,
    struct source *src, struct findings *f)
{
	char *ipport = xasprintf("0.0.0.0:%lld",
	    answers_int(a, F_BINDING_PORT)), *bound = NULL;
	struct findings scratch = {0};
	struct source store = { .kind = CK_STORE };
	char hash[128], store_name[64];
	struct cert c;
	int fit = 0;

	if (plan_current(p, h, RES_SSLBIND, ipport, NULL, &bound) != 0 ||
	    bound == NULL)
		goto out;
	sslbind_field(bound, "hash", hash, sizeof hash);
	sslbind_store(bound, store_name, sizeof store_name);
	if (strcmp(store_name, "My") != 0 || parse_store(hash, &store) != 0 ||
	    load_source(h, p, a, &store, &c, &scratch) != 0)
		goto out;
	fit = check_cert(a, &c.b, c.what,
	    &scratch) == 0 && findings_count(&scratch, SEV_WARN) == 0;
	if (fit) {
		*src = store;
		finding_add(f, SEV_OK, STEP, field_name(F_BINDING_CERTIFICATE),
		    "csr-not-needed", "no request is made: %s already serves "
		    "%s, which meets every rule", ipport, c.what);
	}
	cert_free(&c);
out:
	findings_free(&scratch);
	free(bound);
	free(ipport);
	return fit;
}

/*
 * The names clients use against the server's own domain (facts.ini): a
 * binding FQDN in another domain is either an alias that needs DNS, a
 * certificate and an SPN of its own, or a sign that the facts are not
 * this server's (a target made from a profile of another domain).
 */
static void
plan_name_domains(struct host *h, const struct answers *a,
    struct findings *f)
{
	struct host_facts hf;
	size_t n;
	char **names;

	memset(&hf, 0, sizeof hf);
	if (host_facts(h, &hf) != 0 || hf.domain[0] == '\0')
		return;
	names = answers_list(a, F_BINDING_EXTERNAL_NAMES, &n);
	for (size_t i = 0; i <= n; i++) {
		const char *name = i < n ? names[i] :
		    answers_get(a, F_BINDING_FQDN);
		const char *fld = field_name(i < n ? F_BINDING_EXTERNAL_NAMES :
		    F_BINDING_FQDN);

		if (*name == '\0' || dns_in_domain(name, hf.domain) ||
		    strchr(name, '.') == NULL)
			continue;
		finding_hint(finding_add(f, SEV_WARN, STEP, fld,
		    "name-other-domain", "%s is not in the server's domain %s "
		    "(the server is %s)", name, hf.domain,
		    hf.fqdn[0] ? hf.fqdn : hf.hostname),
		    "If clients use this name, give it a DNS record that "
		    "points at this server, cover it in the certificate and "
		    "list it in [accounts] spn_names; if the server itself "
		    "is in that domain, its facts are wrong: make the target "
		    "with --fact fqdn=... --fact domain=...");
	}
	str_list_free(names, n);
}

static void
binding_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	const struct source_kind *bad;
	struct source src;
	struct cert c;

	if (!answers_want_scep(a))
		return;
	plan_name_domains(h, a, f);
	if (iissite_require(h, f, STEP) != 0)
		return;
	if (source_parse(answers_get(a, F_BINDING_CERTIFICATE), &src,
	    &bad) != 0)
		return;
	if (src.kind == CK_CSR && !bound_is_fit(h, p, a, &src, f))
		plan_csr(h, a, p, f);
	else if (load_source(h, p, a, &src, &c, f) == 0) {
		if (check_cert(a, &c.b, c.what,
		    f) == 0) {
			if (src.kind != CK_STORE)
				plan_import(h, p, f, &c);
			plan_https(h, p, f, answers_int(a, F_BINDING_PORT),
			    &c);
		}
		cert_free(&c);
	}
	plan_remove_http(h, a, p, f);
	plan_hide_admin(h, a, p, f);
	source_free(&src);
}

/* ---- inspect ----------------------------------------------------------- */

static void
inspect_bound_cert(struct host *h, const struct answers *a,
    const char *ipport, const char *bound, struct findings *f)
{
	char hash[128], store[64], *pem = NULL, *what, err[256];
	struct findings seen = {0};
	struct certbundle b;

	sslbind_field(bound, "hash", hash, sizeof hash);
	sslbind_store(bound, store, sizeof store);
	if (host_get(h, RES_CERT, store, hash, &pem, err, sizeof err) != 0 ||
	    pem == NULL) {
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_BINDING_CERTIFICATE), "bound-cert-missing",
		    "%s is bound to certificate %s, which LocalMachine\\%s "
		    "does not hold", ipport, hash, store),
		    "Bind a certificate that is in the store: set [binding] "
		    "certificate and apply.");
		return;
	}
	what = xasprintf("the certificate bound to %s (%s)", ipport, hash);
	if (certio_parse_pem(pem, strlen(pem), &b, err, sizeof err) !=
	    CERTIO_OK)
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_BINDING_CERTIFICATE), "cert-unreadable",
		    "%s: %s", what, err),
		    "Import it again, with its private key.");
	else {
		check_cert(a, &b, what, &seen);
		/* What is wrong with the certificate in place is what the
		 * answers replace: a warning, never a stop (the plan binds
		 * the new one, or makes its request). */
		for (size_t i = 0; i < seen.n; i++) {
			if (seen.v[i].sev == SEV_ERROR)
				seen.v[i].sev = SEV_WARN;
			findings_add_copy(f, &seen.v[i]);
		}
		findings_free(&seen);
		certbundle_free(&b);
	}
	free(what);
	certio_free_secret(pem);
}

/* What binds the certificate: the plan, unless the answers only request
 * one (then binding.csr-pending says what comes next). */
static const char *
bind_hint(const struct answers *a)
{
	return str_has_prefix(answers_get(a, F_BINDING_CERTIFICATE), "csr") ?
	    "Bind the certificate once the CA has signed the request." :
	    "Apply the plan: it binds the certificate.";
}

static void
inspect_sslbind(struct host *h, const struct answers *a, long long port,
    struct findings *f)
{
	char *ipport = xasprintf("0.0.0.0:%lld", port), *bound = NULL;
	char err[256];

	if (host_get(h, RES_SSLBIND, ipport, NULL, &bound, err,
	    sizeof err) != 0)
		finding_hint(finding_add(f, SEV_ERROR, STEP, NULL,
		    "host.read-failed", "cannot read the SSL binding of %s: %s",
		    ipport, err),
		    "Check that the target is readable and not damaged.");
	else if (bound == NULL)
		finding_set_hint(finding_add(f, SEV_OK, STEP,
		    field_name(F_BINDING_PORT), "not-bound", "no certificate "
		    "is bound to %s yet: https on port %lld cannot work",
		    ipport, port),
		    bind_hint(a));
	else
		inspect_bound_cert(h, a, ipport, bound, f);
	free(bound);
	free(ipport);
}

static void
inspect_site(struct host *h, const struct answers *a, long long port,
    struct findings *f)
{
	struct plan none = {0};
	char *https = binding_path("https", port);
	char *http = binding_path("http", HTTP_PORT);

	if (exists(&none, h, RES_IISELEM, https, NULL) == 1)
		finding_add(f, SEV_OK, STEP, field_name(F_BINDING_PORT),
		    "iis-https", "Default Web Site has an https binding on "
		    "port %lld", port);
	else
		finding_set_hint(finding_add(f, SEV_OK, STEP,
		    field_name(F_BINDING_PORT), "iis-https-missing", "Default "
		    "Web Site has no https binding on port %lld", port),
		    bind_hint(a));
	if (exists(&none, h, RES_IISELEM, http, NULL) == 1) {
		if (answers_bool(a, F_BINDING_REMOVE_HTTP_BINDING))
			finding_hint(finding_add(f, SEV_OK, STEP,
			    field_name(F_BINDING_REMOVE_HTTP_BINDING),
			    "http-present", "Default Web Site still answers "
			    "plain http on port %d", HTTP_PORT),
			    "Apply the plan: it removes the http binding.");
		else
			finding_add(f, SEV_OK, STEP,
			    field_name(F_BINDING_REMOVE_HTTP_BINDING),
			    "http-present", "Default Web Site also answers "
			    "plain http on port %d (kept: remove_http_binding "
			    "= no)", HTTP_PORT);
	}
	if (exists(&none, h, RES_IISELEM, MSCEP_ADMIN, NULL) == 1 &&
	    answers_bool(a, F_BINDING_HIDE_MSCEP_ADMIN) &&
	    exists(&none, h, RES_IISELEM, HIDDEN_ADMIN, NULL) != 1)
		finding_hint(finding_add(f, SEV_OK, STEP,
		    field_name(F_BINDING_HIDE_MSCEP_ADMIN),
		    "mscep-admin-visible", "CertSrv/mscep_admin is reachable"),
		    "Apply the plan: it hides the application.");
	free(http);
	free(https);
}

static void
binding_inspect(struct host *h, const struct answers *a, struct findings *f)
{
	long long port = answers_int(a, F_BINDING_PORT);

	if (!answers_want_scep(a))
		return;
	inspect_sslbind(h, a, port, f);
	inspect_site(h, a, port, f);
}

/* ---- prefill ----------------------------------------------------------- */

/* The port of an "0.0.0.0:PORT" binding, or 0. */
static long long
ipport_port(const char *s)
{
	long long port;

	if (!str_has_prefix(s, "0.0.0.0:") || str_to_long(s + 8, 1, 65535,
	    &port) != 0)
		return 0;
	return port;
}

/*
 * The ports HTTP.sys has certificates bound to. A driver may list SSL
 * bindings itself; else they are the keys under SslBindingInfo, where
 * Windows keeps them.
 */
static long long *
bound_ports(struct host *h, size_t *n)
{
	char **names = NULL, err[128];
	size_t nn = 0, plen = 0;
	long long *ports, port;

	*n = 0;
	if (h->ops->list == NULL)
		return NULL;
	if (h->ops->list(h, RES_SSLBIND, NULL, &names, &nn, err,
	    sizeof err) != 0) {
		plen = strlen(SSL_KEY);
		if (h->ops->list(h, RES_REGKEY, NULL, &names, &nn, err,
		    sizeof err) != 0)
			return NULL;
	}
	ports = xcalloc(nn + 1, sizeof *ports);
	for (size_t i = 0; i < nn; i++) {
		if (strlen(names[i]) <= plen ||
		    strncasecmp(names[i], SSL_KEY, plen) != 0)
			continue;
		if ((port = ipport_port(names[i] + plen)) != 0)
			ports[(*n)++] = port;
	}
	str_list_free(names, nn);
	return ports;
}

/* The https port in use: 443 when bound, else the first bound port
 * that Default Web Site has an https binding for; 0 when none. */
static long long
current_port(struct host *h)
{
	struct plan none = {0};
	char *ipport = xasprintf("0.0.0.0:%d", HTTPS_PORT), *elem;
	long long port = 0, *ports;
	size_t n;

	if (exists(&none, h, RES_SSLBIND, ipport, NULL) == 1)
		port = HTTPS_PORT;
	free(ipport);
	if (port != 0)
		return port;
	ports = bound_ports(h, &n);
	for (size_t i = 0; i < n && port == 0; i++) {
		elem = binding_path("https", ports[i]);
		if (exists(&none, h, RES_IISELEM, elem, NULL) == 1)
			port = ports[i];
		free(elem);
	}
	free(ports);
	return port;
}

static void
prefill_certificate(struct host *h, struct answers *a, long long port)
{
	struct plan none = {0};
	char *ipport = xasprintf("0.0.0.0:%lld", port), *bound = NULL, *v;
	char hash[128], store[64];
	struct source src;
	const struct source_kind *bad;

	memset(&src, 0, sizeof src);
	if (plan_current(&none, h, RES_SSLBIND, ipport, NULL, &bound) != 0 ||
	    bound == NULL)
		goto out;
	sslbind_field(bound, "hash", hash, sizeof hash);
	sslbind_store(bound, store, sizeof store);
	v = xasprintf("store:%s", hash);
	/* Only a certificate that is there: else the answer would be an
	 * error the admin did not make. */
	if (strcmp(store, "My") == 0 && source_parse(v, &src, &bad) == 0 &&
	    exists(&none, h, RES_CERT, "My", src.thumb) == 1)
		answers_put(a, F_BINDING_CERTIFICATE, v, SRC_HOST);
	source_free(&src);
	free(v);
out:
	free(bound);
	free(ipport);
}

static void
binding_prefill(struct host *h, struct answers *a)
{
	struct host_facts hf;
	long long port = answers_int(a, F_BINDING_PORT);
	char num[16];

	memset(&hf, 0, sizeof hf);
	if (a->src[F_BINDING_FQDN] == SRC_DEFAULT && host_facts(h, &hf) ==
	    0 && hf.fqdn[0] != '\0' && dns_problem(hf.fqdn, 0) == NULL)
		answers_put(a, F_BINDING_FQDN, hf.fqdn, SRC_HOST);
	if (a->src[F_BINDING_PORT] == SRC_DEFAULT &&
	    (port = current_port(h)) != 0 && port != HTTPS_PORT) {
		snprintf(num, sizeof num, "%lld", port);
		answers_put(a, F_BINDING_PORT, num, SRC_HOST);
	}
	if (port != 0 && a->src[F_BINDING_CERTIFICATE] == SRC_DEFAULT)
		prefill_certificate(h, a, port);
}

const struct step step_binding = {
	.id = STEP,
	.title = "Certificate binding",
	.section = "binding",
	.validate = binding_validate,
	.inspect = binding_inspect,
	.prefill = binding_prefill,
	.plan = binding_plan,
};
