/*
 * The NDES role: the parameters of
 * Install-AdcsNetworkDeviceEnrollmentService, and what a working install
 * leaves behind (the SCEP app pool, the RA certificates).
 *
 * Rules and their sources: README.md, "The steps" (the ndes row) and
 * "The rules about the server" (the ndes.* rows, each with its public
 * source: Microsoft Learn, KB articles).
 */
#include "step.h"
#include "syntax.h"
#include "x509util.h"
#include "host/keyacl.h"

#include <openssl/x509v3.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define STEP "ndes"
#define ROLE "ADCS-Device-Enrollment"
#define SCEP_POOL "|system.applicationHost/applicationPools/add[@name='SCEP']"

/* NDES signs and decrypts with CryptoAPI; CNG key storage providers do
 * not work. The known CSPs (the fields' choices) pass quietly; another
 * name (an HSM's CSP, say) is a warning, since we cannot tell from here. */
static const struct csp_field {
	enum field_id csp, length;
	const char *what;
} csp_fields[] = {
	{ F_NDES_SIGNING_CSP, F_NDES_SIGNING_KEY_LENGTH, "signing" },
	{ F_NDES_ENCRYPTION_CSP, F_NDES_ENCRYPTION_KEY_LENGTH, "encryption" },
};

/*
 * The RA certificates the role enrolls, by their v1 template names, and
 * what marks a copy made from a version 2 template (the way to renew
 * them with longer keys or autoenrollment): such a certificate carries
 * the template's OID (1.3.6.1.4.1.311.21.7), which is forest-specific,
 * not a name. Both default RA templates have the EKU Certificate Request
 * Agent (1.3.6.1.4.1.311.20.2.1; Microsoft Core Infrastructure and
 * Security blog, "The Nightmare of renewing NDES Enrollment Agent
 * Certificates", 2026); the purpose tells them apart: Exchange
 * Enrollment Agent (Offline request) signs (digital signature), CEP
 * Encryption decrypts (key encipherment). A second, independent source
 * maps them the same way: the public RA renewal script of the
 * ADCS-Labor collection (Sleepw4lker/ADCS-Labor,
 * NDESAutoRenew/Get-NDESRACertificates.ps1) requests the enrollment
 * agent copy with key usage DigitalSignature and the CEP encryption copy
 * with KeyEncipherment, and finds them again by 1.3.6.1.4.1.311.21.7. A
 * v2 copy with both or neither usage is not recognised: no reliable
 * mapping exists for it.
 */
static const struct ra_template {
	const char *name;
	unsigned long ku;   /* the one key usage of a v2 copy */
} ra_templates[] = {
	{ "EnrollmentAgentOffline", KU_DIGITAL_SIGNATURE },
	{ "CEPEncryption", KU_KEY_ENCIPHERMENT },
};

/* Is this certificate an RA certificate of template t? */
static int
is_ra_cert(const struct x509_facts *xf, const struct ra_template *t)
{
	unsigned long both = KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT;

	if (strcmp(xf->template_name, t->name) == 0)
		return 1;
	return xf->template_name[0] == '\0' && xf->v2_template &&
	    xf->request_agent && (xf->key_usage & both) == t->ku;
}

/* The first DNS label, as a short computer name compares. */
static int
same_short(const char *x, const char *y)
{
	size_t nx = strcspn(x, "."), ny = strcspn(y, ".");

	return nx == ny && nx > 0 && strncasecmp(x, y, nx) == 0;
}

static int
list_names(const struct answers *a, enum field_id id, const char *host)
{
	size_t n;
	char **v = str_split_list(answers_get(a, id), &n);
	int hit = 0;

	for (size_t i = 0; i < n && !hit; i++)
		hit = str_ieq(v[i], host);
	str_list_free(v, n);
	return hit;
}

/* Is host this server: its FQDN, its short name, or one of its aliases? */
static int
names_this_server(const struct answers *a, const char *host)
{
	const char *fqdn = answers_get(a, F_BINDING_FQDN);

	if (str_ieq(host, fqdn) || (strchr(host, '.') == NULL &&
	    same_short(host, fqdn)))
		return 1;
	return list_names(a, F_BINDING_EXTERNAL_NAMES, host) ||
	    list_names(a, F_ACCOUNTS_SPN_NAMES, host);
}

static void
check_ca_config(const struct answers *a, struct findings *f)
{
	const char *v = answers_get(a, F_NDES_CA_CONFIG), *bs = strchr(v, '\\');
	char *host;
	int ok;

	if (*v == '\0') {
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_NDES_CA_CONFIG), "ca-config-missing",
		    "the CA is not set"),
		    "Give it as CAhost\\CA Common Name, e.g. "
		    "ca01.contoso.com\\Contoso Issuing CA.");
		return;
	}
	host = bs ? xstrndup(v, (size_t)(bs - v)) : xstrdup("");
	ok = bs != NULL && dns_name_ok(host, 0) && bs[1] != '\0' &&
	    strchr(bs + 1, '\\') == NULL && !isspace((unsigned char)bs[1]);
	if (!ok)
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_NDES_CA_CONFIG), "ca-config-syntax",
		    "'%s' is not host\\CA name", v),
		    "Use CAhost\\CA Common Name (certutil -dump shows the "
		    "'Config' of each CA).");
	else if (names_this_server(a, host))
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_NDES_CA_CONFIG), "ca-is-this-server",
		    "the CA host %s is this server (its name, FQDN or an "
		    "alias)", host),
		    "NDES must run on a server that is not the CA: give the "
		    "CA's own host.");
	free(host);
}

static void
check_ra(const struct answers *a, struct findings *f)
{
	const char *country = answers_get(a, F_NDES_RA_COUNTRY);
	const char *email = answers_get(a, F_NDES_RA_EMAIL);

	if (*answers_get(a, F_NDES_RA_NAME) == '\0')
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_NDES_RA_NAME), "ra-name-missing",
		    "the RA certificates need a name"),
		    "Enter a name, e.g. CONTOSO-NDES-RA.");
	if (*country == '\0')
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_NDES_RA_COUNTRY), "ra-country-missing",
		    "the RA country is not set"),
		    "Enter the 2-letter code, e.g. US.");
	else if (!country_code_ok(country))
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_NDES_RA_COUNTRY), "ra-country-unknown",
		    "'%s' is not an ISO 3166 country code", country),
		    "Use an ISO 3166 code: US, GB, DE, FR, ...");
	if (*email != '\0' && (strchr(email, '@') == NULL ||
	    !dns_name_ok(strchr(email, '@') + 1, 0)))
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_NDES_RA_EMAIL), "ra-email-syntax", "'%s' is "
		    "not an e-mail address", email),
		    "Use name@domain or leave it empty.");
}

static int
known_csp(const char *name)
{
	const char *const *known = fields_table[F_NDES_SIGNING_CSP].choices;

	for (size_t i = 0; known[i] != NULL; i++)
		if (str_ieq(known[i], name))
			return 1;
	return 0;
}

static void
check_csps(const struct answers *a, struct findings *f)
{
	for (size_t i = 0; i < nitems(csp_fields); i++) {
		const struct csp_field *c = &csp_fields[i];
		const char *name = answers_get(a, c->csp);
		long long len = answers_int(a, c->length);

		if (strstr(name, "Key Storage Provider") != NULL ||
		    strstr(name, "Platform Crypto Provider") != NULL)
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(c->csp), "csp-is-cng", "'%s' is a CNG "
			    "key storage provider; NDES works only with "
			    "CryptoAPI CSPs", name),
			    "Use a CryptoAPI CSP such as Microsoft Strong "
			    "Cryptographic Provider.");
		else if (*name == '\0')
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(c->csp), "csp-missing", "no %s CSP",
			    c->what),
			    "Use Microsoft Strong Cryptographic Provider.");
		else if (!known_csp(name))
			finding_hint(finding_add(f, SEV_WARN, STEP,
			    field_name(c->csp), "csp-unknown", "'%s' is not a "
			    "CSP ndeswiz knows", name),
			    "Check the name with 'certutil -csplist'; it "
			    "must be a CryptoAPI CSP.");
		if (len != 2048 && len != 3072 && len != 4096)
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(c->length), "key-length", "a %s key of "
			    "%lld bits is not supported", c->what, len),
			    "Use 2048, 3072 or 4096.");
	}
}

static void
ndes_validate(const struct answers *a, struct findings *f)
{
	if (!answers_want_scep(a))
		return;
	check_ca_config(a, f);
	check_ra(a, f);
	check_csps(a, f);
}

/*
 * A gMSA has no password to give the role: it installs with the built-in
 * pool identity, and the SCEP pool then runs as the gMSA (as the public
 * Install-NdesServer script does with -GroupManagedServiceAccount).
 */
static int
pool_runs_as_gmsa(const struct answers *a)
{
	struct account ac;
	char why[128];

	return strcmp(answers_get(a, F_NDES_APP_POOL_IDENTITY),
	    "service-account") == 0 && account_parse(answers_get(a,
	    F_ACCOUNTS_NDES_SERVICE_ACCOUNT), &ac, why, sizeof why) ==
	    ACCOUNT_GMSA;
}

/*
 * The role's configuration as PowerShell parameters. The password is only
 * its reference: the host driver resolves it when it runs the install, and
 * hands it over through stdin, never the command line.
 */
static char *
role_config(const struct answers *a)
{
	static const struct {
		const char *param;
		enum field_id field;
	} params[] = {
		{ "CAConfig", F_NDES_CA_CONFIG },
		{ "RAName", F_NDES_RA_NAME },
		{ "RACountry", F_NDES_RA_COUNTRY },
		{ "RACompany", F_NDES_RA_COMPANY },
		{ "RADepartment", F_NDES_RA_DEPARTMENT },
		{ "RACity", F_NDES_RA_CITY },
		{ "RAState", F_NDES_RA_STATE },
		{ "RAEmail", F_NDES_RA_EMAIL },
		{ "SigningProviderName", F_NDES_SIGNING_CSP },
		{ "SigningKeyLength", F_NDES_SIGNING_KEY_LENGTH },
		{ "EncryptionProviderName", F_NDES_ENCRYPTION_CSP },
		{ "EncryptionKeyLength", F_NDES_ENCRYPTION_KEY_LENGTH },
	};
	struct buf b = {0};

	if (strcmp(answers_get(a, F_NDES_APP_POOL_IDENTITY), "app-pool") == 0
	    || pool_runs_as_gmsa(a))
		buf_adds(&b, "-ApplicationPoolIdentity");
	else
		buf_addf(&b, "-ServiceAccountName '%s' "
		    "-ServiceAccountPassword <%s>",
		    answers_get(a, F_ACCOUNTS_NDES_SERVICE_ACCOUNT),
		    answers_get(a, F_ACCOUNTS_NDES_SERVICE_PASSWORD));
	for (size_t i = 0; i < nitems(params); i++) {
		const char *v = answers_get(a, params[i].field);

		if (*v != '\0')
			buf_addf(&b, " -%s '%s'", params[i].param, v);
	}
	return buf_steal(&b);
}

/* What one template's RA certificates in My are: the valid one with its
 * key NDES uses (good), else the one that tells why none is (bad, with
 * its finding's code). */
struct ra_scan {
	const char *good, *bad, *code;
	int found;
};

static void
inspect_ra_template(struct host *h, char **thumbs, size_t n,
    const struct ra_template *t, struct ra_scan *r)
{
	char err[256], *pem;
	time_t now = time(NULL);

	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < n && r->good == NULL; i++) {
		struct x509_facts xf;

		pem = NULL;
		if (host_get(h, RES_CERT, "My", thumbs[i], &pem, err,
		    sizeof err) != 0 || pem == NULL ||
		    x509_pem_facts(pem, &xf) != 0 || !is_ra_cert(&xf, t)) {
			free(pem);
			continue;
		}
		free(pem);
		r->found = 1;
		if (xf.not_after < now || xf.not_before > now) {
			if (r->code == NULL || !xf.has_key) {
				r->code = "ndes.ra-cert-expired";
				r->bad = thumbs[i];
			}
		} else if (!xf.has_key) {
			r->code = "ndes.ra-cert-no-key";
			r->bad = thumbs[i];
		} else
			r->good = thumbs[i];
	}
}

static int
list_my(struct host *h, char ***thumbs, size_t *n)
{
	char err[256];

	*thumbs = NULL;
	*n = 0;
	return h->ops->list == NULL || h->ops->list(h, RES_CERT, "My", thumbs,
	    n, err, sizeof err) != 0 ? -1 : 0;
}

/* The thumbprint of the RA certificate of t that NDES uses now (caller
 * frees), or NULL. */
static char *
ra_cert_in_use(struct host *h, const struct ra_template *t)
{
	char **thumbs;
	size_t n;
	struct ra_scan r;
	char *good;

	if (list_my(h, &thumbs, &n) != 0)
		return NULL;
	inspect_ra_template(h, thumbs, n, t, &r);
	good = r.good ? xstrdup(r.good) : NULL;
	str_list_free(thumbs, n);
	return good;
}

/*
 * The RA certificates of a configured NDES (the role and its pool are
 * there): without a valid one, every request fails. NDES uses the newest
 * valid RA certificate of each template; renewed ones leave the old,
 * expired ones in the store. So one valid certificate with its key
 * passes, and an expired or keyless one is only a finding when no valid
 * one stands beside it. Where the role is recorded but its pool is not
 * (a role install that did not finish, or an offline target that does
 * not model it), a missing one is only a warning.
 */
static void
inspect_ra_certs(struct host *h, int configured, struct findings *f)
{
	char **thumbs;
	size_t n;

	if (list_my(h, &thumbs, &n) != 0)
		return;
	for (size_t t = 0; t < nitems(ra_templates); t++) {
		struct ra_scan r;

		inspect_ra_template(h, thumbs, n, &ra_templates[t], &r);
		if (r.good != NULL)
			finding_add(f, SEV_OK, STEP, NULL, "ra-cert",
			    "the %s RA certificate %s is valid",
			    ra_templates[t].name, r.good);
		else if (r.code != NULL && strcmp(r.code,
		    "ndes.ra-cert-expired") == 0)
			finding_hint(finding_add(f, SEV_ERROR, STEP, NULL,
			    r.code, "no %s RA certificate is valid now (%s is "
			    "not)", ra_templates[t].name, r.bad),
			    "Renew the RA certificates (an expired one gives "
			    "HTTP 500).");
		else if (r.code != NULL)
			finding_hint(finding_add(f, SEV_ERROR, STEP, NULL,
			    r.code, "the %s RA certificate %s has no private "
			    "key here", ra_templates[t].name, r.bad),
			    "Re-enroll it on this server.");
		else if (!r.found)
			finding_set_hint(finding_add(f,
			    configured ? SEV_ERROR : SEV_WARN, STEP, NULL,
			    "ra-cert-missing", "no %s RA certificate in "
			    "LocalMachine\\My", ra_templates[t].name),
			    configured ? "Enroll the RA certificates again "
			    "(reinstall the role, or request them from the CA "
			    "with the EnrollmentAgentOffline and CEPEncryption "
			    "templates)." : "Installing the role enrolls it; "
			    "check the CA if it stays missing.");
	}
	str_list_free(thumbs, n);
}

/* 1 when the role's SCEP pool is there (NDES is configured), else 0. */
static int
inspect_pool(struct host *h, const struct answers *a, struct findings *f)
{
	char *pool = NULL, *user = NULL, err[256];
	const char *acct = answers_get(a, F_ACCOUNTS_NDES_SERVICE_ACCOUNT);

	host_get(h, RES_IISELEM, SCEP_POOL, NULL, &pool, err, sizeof err);
	if (pool == NULL) {
		finding_hint(finding_add(f, SEV_WARN, STEP, NULL,
		    "pool-missing", "there is no SCEP application pool in IIS"),
		    "Reinstall the role, or check IIS: the role is recorded "
		    "as configured but its pool is not there.");
		return 0;
	}
	free(pool);
	host_get(h, RES_IIS, SCEP_POOL "/processModel", "userName", &user,
	    err, sizeof err);
	/* A gMSA's pool is ours to set: the plan does it. */
	if (pool_runs_as_gmsa(a) && !str_ieq(user, acct))
		finding_hint(finding_add(f, SEV_OK, STEP,
		    field_name(F_ACCOUNTS_NDES_SERVICE_ACCOUNT),
		    "pool-identity", "the SCEP app pool runs as %s, not the "
		    "gMSA %s", user ? user : "its built-in identity", acct),
		    "Apply the plan: it sets the SCEP pool to the gMSA.");
	else if (strcmp(answers_get(a, F_NDES_APP_POOL_IDENTITY),
	    "service-account") == 0 && !str_ieq(user, acct))
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_ACCOUNTS_NDES_SERVICE_ACCOUNT),
		    "pool-identity", "the SCEP app pool runs as %s, not %s",
		    user ? user : "its built-in identity", acct),
		    "Reinstall the role with the right account, or fix the "
		    "pool's identity in IIS.");
	free(user);
	return 1;
}

static void
ndes_inspect(struct host *h, const struct answers *a, struct findings *f)
{
	char *cur = NULL, err[256];

	if (!answers_want_scep(a))
		return;
	host_get(h, RES_ROLE, ROLE, NULL, &cur, err, sizeof err);
	if (cur == NULL) {
		finding_hint(finding_add(f, SEV_OK, STEP, NULL, "not-installed",
		    "the NDES role is not configured yet"),
		    "Apply the plan: it installs and configures the role.");
		return;
	}
	free(cur);
	inspect_ra_certs(h, inspect_pool(h, a, f), f);
}

static const char gmsa_key_why[] = "the SCEP pool runs as the gMSA, "
    "which must open the RA certificate's private key to sign and decrypt "
    "SCEP messages";

static const struct ra_template *
ra_template_named(const char *name)
{
	for (size_t i = 0; i < nitems(ra_templates); i++)
		if (str_eq(ra_templates[i].name, name))
			return &ra_templates[i];
	return NULL;
}

/*
 * At apply, once the role install before it has enrolled the RA
 * certificates: the change's address becomes the one of template
 * gen_arg NDES uses. None there is an error, and apply undoes the run.
 */
static int
resolve_ra_key(struct host *h, struct change *c, char *err, size_t len)
{
	const struct ra_template *t = ra_template_named(c->gen_arg);
	char *thumb = t ? ra_cert_in_use(h, t) : NULL;

	if (thumb == NULL) {
		snprintf(err, len, "no valid %s RA certificate with its key in "
		    "LocalMachine\\My after the role install, so %s cannot "
		    "be given Read on its key (check that the CA issued it; a dir "
		    "target does not enroll: put the RA certificates in "
		    "certs/My, as the ws2022-ndes profile has)",
		    c->gen_arg ? c->gen_arg : "?", c->name);
		return -1;
	}
	free(c->path);
	c->path = xasprintf("My\\%s", thumb);
	free(thumb);
	free(c->old);
	c->old = NULL;
	return host_get(h, RES_KEYACL, c->path, c->name, &c->old, err, len);
}

/*
 * Read on each RA certificate's private key for the gMSA. When this plan
 * (re)installs the role, the certificates it will use are enrolled by
 * that install: their addresses are found at apply (resolve_ra_key).
 */
static void
plan_gmsa_keys(struct host *h, const char *gmsa, int role_changes,
    struct plan *p, struct findings *f)
{
	for (size_t i = 0; i < nitems(ra_templates); i++) {
		const char *name = ra_templates[i].name;
		char *thumb, *what;

		if (role_changes) {
			what = xasprintf("My\\(the %s RA certificate the role "
			    "install enrolls)", name);
			plan_want_at_apply(p, STEP, RES_KEYACL, what, gmsa,
			    KEYACL_READ, gmsa_key_why, resolve_ra_key, name);
			free(what);
			continue;
		}
		if ((thumb = ra_cert_in_use(h, &ra_templates[i])) == NULL) {
			finding_hint(finding_add(f, SEV_WARN, STEP,
			    field_name(F_ACCOUNTS_NDES_SERVICE_ACCOUNT),
			    "gmsa-ra-keys", "no valid %s RA certificate with "
			    "its key: nothing for %s to read yet", name, gmsa),
			    "Enroll the RA certificates (see ndes.ra-cert-*), "
			    "then plan again: the plan lets the gMSA read "
			    "their keys.");
			continue;
		}
		what = xasprintf("My\\%s", thumb);
		plan_want(p, h, f, STEP, RES_KEYACL, what, gmsa, KEYACL_READ, 0,
		    gmsa_key_why);
		free(what);
		free(thumb);
	}
}

static void
plan_gmsa_pool(struct host *h, const struct answers *a, int role_changes,
    struct plan *p, struct findings *f)
{
	const char *gmsa = answers_get(a, F_ACCOUNTS_NDES_SERVICE_ACCOUNT);
	static const char why[] = "a gMSA has no password: the role "
	    "installs with the pool identity, then the SCEP pool runs as the "
	    "gMSA (Windows fetches its password)";

	plan_want_iis(p, h, f, STEP, SCEP_POOL "/processModel",
	    "identityType", "SpecificUser", 0, why);
	plan_want_iis(p, h, f, STEP, SCEP_POOL "/processModel", "userName",
	    gmsa, 0, why);
	plan_gmsa_keys(h, gmsa, role_changes, p, f);
}

static void
ndes_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	char *cfg;
	int role;

	if (!answers_want_scep(a))
		return;
	cfg = role_config(a);
	role = plan_want(p, h, f, STEP, RES_ROLE, ROLE, NULL, cfg, 1,
	    "Install-AdcsNetworkDeviceEnrollmentService with these "
	    "parameters");
	free(cfg);
	if (pool_runs_as_gmsa(a) && role >= 0)
		plan_gmsa_pool(h, a, role == 1, p, f);
}

const struct step step_ndes = {
	.id = STEP,
	.title = "NDES role",
	.section = "ndes",
	.validate = ndes_validate,
	.inspect = ndes_inspect,
	.plan = ndes_plan,
};
