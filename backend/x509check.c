/*
 * The rules a TLS server certificate for NDES must meet. See x509check.h.
 *
 * Each rule is one small function in rules[]; a rule adds findings and
 * never stops the others, so an admin sees every problem of a certificate
 * in one run instead of fixing them one at a time.
 */
#include "x509check.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

struct run {
	const struct x509check *c;
	struct findings *f;
	const char *what;
	time_t now;
	int errors;
};

static void add(struct run *, enum severity, const char *rule,
    const char *hint, const char *fmt, ...) PRINTFLIKE(5, 6);
static void add_at(struct run *, const char *field, const char *rule,
    const char *hint, const char *fmt, ...) PRINTFLIKE(5, 6);

static void
vadd(struct run *r, enum severity sev, const char *field, const char *rule,
    const char *hint, const char *fmt, va_list ap)
{
	char *msg = xvasprintf(fmt, ap);

	/* rule has no dot: finding_add makes the code "<step>.<rule>" */
	finding_set_hint(finding_add(r->f, sev, r->c->step, field, rule, "%s",
	    msg),
	    hint);
	r->errors += sev == SEV_ERROR;
	free(msg);
}

static void
add(struct run *r, enum severity sev, const char *rule, const char *hint,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(r, sev, r->c->field, rule, hint, fmt, ap);
	va_end(ap);
}

/* An error about another field than the certificate's. */
static void
add_at(struct run *r, const char *field, const char *rule, const char *hint,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(r, SEV_ERROR, field, rule, hint, fmt, ap);
	va_end(ap);
}

/* "2026-03-01 12:00 UTC" */
static void
time_text(const ASN1_TIME *t, char *out, size_t len)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(out, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(out, len, "(unreadable date)");
}

int
x509check_thumbprint(X509 *x, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (X509_digest(x, EVP_sha1(), md, &n) != 1 || n != 20)
		return -1;
	for (unsigned int i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02X", md[i]);
	return 0;
}

void
x509check_key_desc(EVP_PKEY *pk, char *out, size_t len)
{
	char group[64];
	size_t glen = 0;

	if (pk == NULL)
		snprintf(out, len, "no key");
	else if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC &&
	    EVP_PKEY_get_group_name(pk, group, sizeof group, &glen) == 1)
		snprintf(out, len, "EC %s", group);
	else
		snprintf(out, len, "%s %d", EVP_PKEY_get0_type_name(pk) ?
		    EVP_PKEY_get0_type_name(pk) : "unknown",
		    EVP_PKEY_get_bits(pk));
}

/* ---- names ------------------------------------------------------------- */

/* name ends with suffix (which starts with a dot), case-insensitively. */
static int
ends_with_label(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && strcasecmp(name + n - s, suffix) == 0;
}

enum x509check_match
x509check_name_covers(const char *pattern, const char *name)
{
	const char *prest = strchr(pattern, '.'), *nrest = strchr(name, '.');
	size_t plabel;

	/* A wildcard the clients use needs the very same wildcard. */
	if (strchr(pattern, '*') == NULL || name[0] == '*')
		return strcasecmp(pattern, name) == 0 ? X509CHECK_MATCH :
		    X509CHECK_NO_MATCH;
	if (prest == NULL || nrest == NULL || strchr(prest, '*') != NULL)
		return X509CHECK_NO_MATCH;
	plabel = (size_t)(prest - pattern);
	if (strcasecmp(prest, nrest) == 0) {
		if (plabel != 1)
			return X509CHECK_WILDCARD_PARTIAL;
		/* "*.com" would stand for a whole top-level domain. */
		if (strchr(prest + 1, '.') == NULL)
			return X509CHECK_WILDCARD_BROAD;
		return X509CHECK_MATCH;
	}
	if (plabel == 1 && ends_with_label(name, prest))
		return X509CHECK_WILDCARD_DEPTH;
	return X509CHECK_NO_MATCH;
}

/* The dNSNames of the SAN, or NULL when it has none. */
static char **
san_dns_names(X509 *x, size_t *n)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
	    NULL);
	char **v = NULL;

	*n = 0;
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const ASN1_IA5STRING *s;
		int len;

		if (g->type != GEN_DNS)
			continue;
		s = g->d.dNSName;
		len = ASN1_STRING_length(s);
		/* An embedded NUL is an old trick to fool name checks. */
		if (len <= 0 || memchr(ASN1_STRING_get0_data(s), '\0',
		    (size_t)len) != NULL)
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrndup((const char *)ASN1_STRING_get0_data(s),
		    (size_t)len);
	}
	GENERAL_NAMES_free(gens);
	ERR_clear_error();
	return v;
}

static char *
join(char *const *v, size_t n)
{
	struct buf b = {0};

	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", v[i]);
	return b.len ? buf_steal(&b) : xstrdup("none");
}

/* The last CN of the subject (the most specific one), or NULL. */
static char *
subject_cn(X509 *x)
{
	X509_NAME *nm = X509_get_subject_name(x);
	int i = -1, last = -1;
	unsigned char *utf8 = NULL;
	char *cn;
	int len;

	while ((i = X509_NAME_get_index_by_NID(nm, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0)
		return NULL;
	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(
	    X509_NAME_get_entry(nm, last)));
	if (len < 0)
		return NULL;
	cn = xstrndup((char *)utf8, (size_t)len);
	OPENSSL_free(utf8);
	return cn;
}

static const char *const miss_words[] = {
	[X509CHECK_WILDCARD_DEPTH] = "a wildcard stands for exactly one "
	    "label, never for several",
	[X509CHECK_WILDCARD_PARTIAL] = "a wildcard must be the whole "
	    "left-most label (\"*.\"), not part of one",
	[X509CHECK_WILDCARD_BROAD] = "a wildcard needs at least two labels "
	    "after it",
};

static void
check_san_name(struct run *r, char *const *san, size_t nsan,
    const char *name)
{
	enum x509check_match best = X509CHECK_NO_MATCH, m;
	const char *near = NULL;
	char *all;

	for (size_t i = 0; i < nsan; i++) {
		if ((m = x509check_name_covers(san[i], name)) ==
		    X509CHECK_MATCH)
			return;
		if (m != X509CHECK_NO_MATCH && near == NULL) {
			best = m;
			near = san[i];
		}
	}
	all = join(san, nsan);
	if (near != NULL)
		add(r, SEV_ERROR, "san-name-missing", "Have the certificate "
		    "reissued with this name in its Subject Alternative Name.",
		    "%s does not cover %s: its SAN entry %s does not match "
		    "(%s); SAN DNS names: %s", r->what, name, near,
		    miss_words[best], all);
	else
		add(r, SEV_ERROR, "san-name-missing", "Have the certificate "
		    "reissued with this name in its Subject Alternative Name.",
		    "%s does not cover %s, a name clients use; SAN DNS names: "
		    "%s", r->what, name, all);
	free(all);
}

static int
listed_before(const struct x509check *c, size_t i)
{
	if (str_ieq(c->names[i], c->fqdn))
		return 1;
	for (size_t j = 0; j < i; j++)
		if (str_ieq(c->names[i], c->names[j]))
			return 1;
	return 0;
}

/*
 * The CN may be the server's FQDN or one of the external names: the
 * classic NDES page (Intune: Configure infrastructure to support SCEP,
 * 2017) asks for the external name as CN with the internal one in the
 * SAN; the current page calls CN = the server's FQDN "a good
 * configuration". Devices match the SAN (RFC 6125), which must hold
 * every name either way; an external CN is only noted.
 */
static void
rule_cn(struct run *r, const char *cn)
{
	const struct x509check *c = r->c;

	if (cn != NULL && str_ieq(cn, c->fqdn))
		return;
	for (size_t i = 0; cn != NULL && i < c->nnames; i++)
		if (str_ieq(cn, c->names[i])) {
			add(r, SEV_OK, "cn-external", "Nothing to do: the SAN "
			    "must hold every name, which the SAN rule checks.",
			    "%s has the external name %s as subject CN (the "
			    "classic NDES layout: CN the external name, the "
			    "internal %s in the SAN); either CN is valid",
			    r->what, cn, c->fqdn);
			return;
		}
	add(r, SEV_ERROR, "cn-mismatch", "Use a certificate whose subject "
	    "CN is the server's FQDN or one of [binding] external_names, or "
	    "correct those answers.", "%s has %s%s%s as subject CN, neither "
	    "%s nor an external name", r->what, cn ? "'" : "",
	    cn ? cn : "no CN", cn ? "'" : "", c->fqdn);
}

static void
rule_names(struct run *r, X509 *x)
{
	const struct x509check *c = r->c;
	char *cn, **san;
	size_t nsan;

	if (c->fqdn == NULL || *c->fqdn == '\0')
		return;
	cn = subject_cn(x);
	rule_cn(r, cn);
	free(cn);
	san = san_dns_names(x, &nsan);
	if (nsan == 0)
		add(r, SEV_ERROR, "san-missing", "Request it again with a "
		    "Subject Alternative Name holding every name clients use.",
		    "%s has no DNS names in a Subject Alternative Name: "
		    "devices ignore the CN and would refuse it", r->what);
	else {
		check_san_name(r, san, nsan, c->fqdn);
		for (size_t i = 0; i < c->nnames; i++)
			if (!listed_before(c, i))
				check_san_name(r, san, nsan, c->names[i]);
	}
	str_list_free(san, nsan);
}

/* ---- usage ------------------------------------------------------------- */

static void
rule_eku(struct run *r, X509 *x)
{
	EXTENDED_KEY_USAGE *eku;
	struct buf b = {0};
	char name[80], *list;
	int crit = 0;

	eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit, NULL);
	if (eku == NULL && crit == -1) {
		add(r, SEV_WARN, "eku-absent", "Prefer a certificate from a "
		    "Web Server template (EKU Server Authentication).",
		    "%s names no Enhanced Key Usage: Windows lets it serve "
		    "TLS, some clients do not", r->what);
		return;
	}
	for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
		int nid = OBJ_obj2nid(o);

		if (nid == NID_server_auth || nid == NID_anyExtendedKeyUsage) {
			EXTENDED_KEY_USAGE_free(eku);
			return;
		}
		OBJ_obj2txt(name, sizeof name, o, 0);
		buf_addf(&b, "%s%s", b.len ? ", " : "", name);
	}
	EXTENDED_KEY_USAGE_free(eku);
	ERR_clear_error();
	list = b.len ? buf_steal(&b) : xstrdup("none readable");
	add(r, SEV_ERROR, "eku-missing", "Use a certificate issued from a "
	    "Web Server template: its EKU holds Server Authentication "
	    "(1.3.6.1.5.5.7.3.1).", "%s is not for TLS servers: its Enhanced "
	    "Key Usage lacks Server Authentication (it has: %s)", r->what,
	    list);
	free(list);
}

static void
rule_key_usage(struct run *r, X509 *x)
{
	uint32_t ku = X509_get_key_usage(x);
	int ec = EVP_PKEY_get_base_id(X509_get0_pubkey(x)) == EVP_PKEY_EC;
	uint32_t need = ec ? KU_DIGITAL_SIGNATURE :
	    KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT;

	/* UINT32_MAX: no Key Usage extension, so nothing is restricted. */
	if (ku == UINT32_MAX || (ku & need) != 0)
		return;
	add(r, SEV_ERROR, "key-usage", "Use a certificate from a Web Server "
	    "template: its Key Usage allows Digital Signature and Key "
	    "Encipherment.", "%s has a Key Usage without %s: a TLS handshake "
	    "with it fails", r->what, ec ? "Digital Signature" :
	    "Digital Signature or Key Encipherment");
}

/* ---- time -------------------------------------------------------------- */

static void
rule_time(struct run *r, X509 *x)
{
	const ASN1_TIME *nb = X509_get0_notBefore(x);
	const ASN1_TIME *na = X509_get0_notAfter(x);
	ASN1_TIME *now = ASN1_TIME_set(NULL, r->now);
	int days = 0, secs = 0;
	char when[40];

	if (X509_cmp_time(nb, &r->now) > 0) {
		time_text(nb, when, sizeof when);
		add(r, SEV_ERROR, "not-yet-valid", "Check the clock of this "
		    "machine and of the CA, or wait until it is valid.",
		    "%s is not valid before %s", r->what, when);
	} else if (X509_cmp_time(na, &r->now) < 0) {
		time_text(na, when, sizeof when);
		add(r, SEV_ERROR, "expired", "Renew it (same names, new "
		    "validity) and bind the new one.", "%s expired on %s",
		    r->what, when);
	} else if (now != NULL && ASN1_TIME_diff(&days, &secs, now, na) ==
	    1 && days < X509CHECK_WARN_DAYS) {
		time_text(na, when, sizeof when);
		add(r, SEV_WARN, "expires-soon", "Renew it now; devices "
		    "cannot enroll once it has expired.", "%s expires in %d "
		    "day%s (%s)", r->what, days, days == 1 ? "" : "s", when);
	}
	ASN1_TIME_free(now);
}

/* ---- keys -------------------------------------------------------------- */

/* Curves Windows' TLS stack offers, smallest first. */
static const char *const good_curves[] = {
	"prime256v1", "secp384r1", "secp521r1",
};

static void
rule_key_strength(struct run *r, X509 *x)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	int id = pk ? EVP_PKEY_get_base_id(pk) : EVP_PKEY_NONE;
	int bits = pk ? EVP_PKEY_get_bits(pk) : 0;
	char group[64] = "", desc[80];
	size_t glen;

	x509check_key_desc(pk, desc, sizeof desc);
	if (id == EVP_PKEY_RSA) {
		if (bits < 2048)
			add(r, SEV_ERROR, "key-too-small", "Request a new "
			    "certificate with a key of 2048 bits or more.",
			    "%s has a %d-bit RSA key; at least 2048 bits are "
			    "needed", r->what, bits);
		return;
	}
	if (id == EVP_PKEY_EC && EVP_PKEY_get_group_name(pk, group,
	    sizeof group, &glen) == 1) {
		for (size_t i = 0; i < nitems(good_curves); i++)
			if (strcmp(group, good_curves[i]) == 0)
				return;
		if (bits < 256) {
			add(r, SEV_ERROR, "key-too-small", "Use EC P-256 or "
			    "larger, or RSA 2048 or more.", "%s has a %d-bit "
			    "EC key (%s); at least P-256 is needed", r->what,
			    bits, group);
			return;
		}
	}
	add(r, SEV_ERROR, "key-unsupported", "Use an RSA key (2048 bits or "
	    "more) or EC P-256, P-384 or P-521.", "%s has a key Windows' TLS "
	    "cannot serve (%s)", r->what, desc);
}

static void
rule_private_key(struct run *r, X509 *x)
{
	if (r->c->key == NULL) {
		if (r->c->need_key && !r->c->key_held)
			add(r, SEV_ERROR, "key-missing", "Import it together "
			    "with its private key (a .pfx, or pem:CERT,KEY).",
			    "%s comes without its private key: IIS cannot "
			    "serve TLS with it", r->what);
		return;
	}
	if (EVP_PKEY_eq(X509_get0_pubkey(x), r->c->key) != 1) {
		ERR_clear_error();
		add(r, SEV_ERROR, "key-mismatch", "Give the key file that "
		    "was made with this certificate's request.",
		    "the private key given does not belong to %s", r->what);
	}
}

/* ---- trust ------------------------------------------------------------- */

static void
rule_self_signed(struct run *r, X509 *x)
{
	if (X509_self_signed(x, 1) != 1) {
		ERR_clear_error();
		return;
	}
	add(r, SEV_WARN, "self-signed", "Use a certificate from your CA; "
	    "else every device needs this one as a trusted certificate.",
	    "%s is self-signed: devices do not trust it", r->what);
}

/* The leaf's own dates are rule_time's business: report them once. */
static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	int e = X509_STORE_CTX_get_error(ctx);

	if (!ok && X509_STORE_CTX_get_error_depth(ctx) == 0 &&
	    (e == X509_V_ERR_CERT_HAS_EXPIRED ||
	    e == X509_V_ERR_CERT_NOT_YET_VALID))
		return 1;
	return ok;
}

static void
rule_chain(struct run *r, X509 *x)
{
	const struct x509check *c = r->c;
	X509_STORE *store;
	X509_STORE_CTX *ctx;
	char *hint;

	if (c->ca_file == NULL || *c->ca_file == '\0')
		return;
	store = X509_STORE_new();
	if (X509_STORE_load_file(store, c->ca_file) != 1) {
		ERR_clear_error();
		add_at(r, c->ca_field, "ca-bundle-unreadable", "Give a "
		    "readable PEM file of the CA certificates to trust.",
		    "cannot read CA certificates from %s", c->ca_file);
		X509_STORE_free(store);
		return;
	}
	ctx = X509_STORE_CTX_new();
	X509_STORE_CTX_init(ctx, store, x, c->chain);
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), r->now);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	if (X509_verify_cert(ctx) != 1) {
		hint = xasprintf("Use a certificate issued by a CA in %s, or "
		    "add the issuing CA's chain to that file.", c->ca_file);
		add(r, SEV_ERROR, "untrusted", hint, "%s does not chain to a "
		    "CA in %s: %s", r->what, c->ca_file,
		    X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
		free(hint);
	}
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
}

static void (*const rules[])(struct run *, X509 *) = {
	rule_time,
	rule_eku,
	rule_key_usage,
	rule_names,
	rule_key_strength,
	rule_private_key,
	rule_self_signed,
	rule_chain,
};

static void
summary(struct run *r, X509 *x)
{
	char thumb[X509CHECK_THUMB_LEN + 1] = "?", until[40], key[80];
	char *cn = subject_cn(x);

	x509check_thumbprint(x, thumb);
	time_text(X509_get0_notAfter(x), until, sizeof until);
	x509check_key_desc(X509_get0_pubkey(x), key, sizeof key);
	/* The thumbprint once: a store certificate is named by it. */
	add(r, SEV_OK, "cert-ok", NULL, "%s (%s%sCN %s, %s) is valid until "
	    "%s", r->what, strstr(r->what, thumb) ? "" : thumb,
	    strstr(r->what, thumb) ? "" : ", ", cn ? cn : "(none)", key,
	    until);
	free(cn);
}

int
x509check_run(const struct x509check *c, X509 *x, struct findings *f)
{
	struct run r = { .c = c, .f = f, .now = c->now ? c->now : time(NULL),
	    .what = c->what ? c->what : "the certificate" };

	for (size_t i = 0; i < nitems(rules); i++)
		rules[i](&r, x);
	if (r.errors == 0)
		summary(&r, x);
	return r.errors;
}
