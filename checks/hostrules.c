/*
 * Host rules of the health check. The facts (names, keys, the minimum
 * version) come from Microsoft's connector documentation and the public
 * validators; README.md's table ("Host rules") names the source of each.
 */
#include "hostrules.h"
#include "isotime.h"
#include "regfile.h"
#include "util.h"
#include "x509util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define DAYS_WARN 30

/* ---- reading ------------------------------------------------------------ */

static char *
reg_sz(struct host *h, const char *key, const char *name)
{
	char *raw = NULL, *v, err[256];

	if (host_get(h, RES_REG, key, name, &raw, err, sizeof err) != 0 ||
	    raw == NULL)
		return NULL;
	v = regval_get_sz(raw);
	free(raw);
	return v;
}

static int
present(struct host *h, enum res_kind kind, const char *path,
    const char *name)
{
	char *v = NULL, err[256];
	int yes;

	host_get(h, kind, path, name, &v, err, sizeof err);
	yes = v != NULL && *v != '\0';
	free(v);
	return yes;
}

/* An installed program, as Programs and Features lists it. */
struct program {
	char *name, *version;
};

struct programs {
	struct program *v;
	size_t n;
};

static void
programs_load(struct host *h, struct programs *ps)
{
	static const char *const roots[] = { UNINSTALL_KEY, UNINSTALL_KEY32 };
	char **keys, err[256];
	size_t n;

	memset(ps, 0, sizeof *ps);
	if (h->ops->list == NULL)
		return;
	for (size_t r = 0; r < nitems(roots); r++) {
		keys = NULL;
		n = 0;
		if (h->ops->list(h, RES_REGKEY, roots[r], &keys, &n, err,
		    sizeof err) != 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			char *name = reg_sz(h, keys[i], "DisplayName");

			if (name == NULL)
				continue;
			ps->v = xreallocarray(ps->v, ps->n + 1, sizeof *ps->v);
			ps->v[ps->n].name = name;
			ps->v[ps->n].version = reg_sz(h, keys[i],
			    "DisplayVersion");
			ps->n++;
		}
		str_list_free(keys, n);
	}
}

static void
programs_free(struct programs *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].name);
		free(ps->v[i].version);
	}
	free(ps->v);
}

static const struct program *
programs_find(const struct programs *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++)
		if (str_ieq(ps->v[i].name, name))
			return &ps->v[i];
	return NULL;
}

int
connector_installed(struct host *h, char **version)
{
	struct programs ps;
	const struct program *c;
	int yes;

	programs_load(h, &ps);
	c = programs_find(&ps, CONNECTOR_NAME);
	yes = c != NULL;
	if (version != NULL)
		*version = c != NULL && c->version != NULL ?
		    xstrdup(c->version) : NULL;
	programs_free(&ps);
	return yes;
}

/* ---- pure helpers ------------------------------------------------------- */

static int
version_parts(const char *s, long v[4])
{
	char *end;
	int n = 0;

	memset(v, 0, 4 * sizeof *v);
	if (s == NULL || *s == '\0')
		return -1;
	for (;;) {
		if (*s < '0' || *s > '9' || n == 4)
			return -1;
		v[n++] = strtol(s, &end, 10);
		if (*end == '\0')
			return 0;
		if (*end != '.')
			return -1;
		s = end + 1;
	}
}

int
version_cmp(const char *a, const char *b)
{
	long x[4], y[4];

	if (version_parts(a, x) != 0 || version_parts(b, y) != 0)
		return -2;
	for (int i = 0; i < 4; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/* .NET's en-US general date: "M/D/YYYY h:mm:ss AM". */
static int
us_time(const char *s, time_t *out)
{
	int mo, d, y, h, mi, sec, n = 0;
	char ampm[3] = "";

	if (sscanf(s, "%2d/%2d/%4d %2d:%2d:%2d %2s%n", &mo, &d, &y, &h, &mi,
	    &sec, ampm, &n) != 7 || s[n] != '\0' || h < 1 || h > 12)
		return -1;
	if (strcasecmp(ampm, "AM") == 0)
		h = h == 12 ? 0 : h;
	else if (strcasecmp(ampm, "PM") == 0)
		h = h == 12 ? 12 : h + 12;
	else
		return -1;
	return utc_time(y, mo, d, h, mi, sec, out);
}

int
last_contact_parse(const char *s, time_t *out)
{
	if (s == NULL)
		return -1;
	return iso_time_parse(s, ISO_SPACE | ISO_ZONE_OPTIONAL, out) == 0 ||
	    us_time(s, out) == 0 ? 0 : -1;
}

/* ---- connector: installed, its version, what must not be beside it ----- */

static void
rule_connector(struct host *h, const struct answers *a, time_t now,
    struct findings *f)
{
	struct programs ps;
	const struct program *c;

	(void)a;
	(void)now;
	programs_load(h, &ps);
	if ((c = programs_find(&ps, CONNECTOR_NAME)) == NULL)
		finding_hint(finding_add(f, SEV_ERROR, "health", NULL,
		    "connector-missing", "the %s is not installed (no "
		    "uninstall entry of that name)", CONNECTOR_NAME),
		    "Install the connector (Intune admin center > Tenant "
		    "administration > Connectors and tokens > Certificate "
		    "connectors), then run its configuration wizard.");
	else if (version_cmp(c->version, CONNECTOR_MIN_VERSION) == -2)
		finding_hint(finding_add(f, SEV_WARN, "health", NULL,
		    "connector-version-unknown", "the %s is installed, but "
		    "its version '%s' cannot be read", CONNECTOR_NAME,
		    c->version ? c->version : ""),
		    "Reinstall the connector; its uninstall entry is damaged.");
	else if (version_cmp(c->version, CONNECTOR_MIN_VERSION) < 0)
		finding_hint(finding_add(f, SEV_WARN, "health", NULL,
		    "connector-old", "the %s is version %s, below the oldest "
		    "supported %s", CONNECTOR_NAME, c->version,
		    CONNECTOR_MIN_VERSION),
		    "Let it update itself (it needs "
		    "autoupdate.msappproxy.net on 443) or install the "
		    "current release; older releases may stop working at any "
		    "time.");
	else
		finding_add(f, SEV_OK, "health", NULL, "connector-installed",
		    "the %s %s is installed", CONNECTOR_NAME, c->version);
	programs_free(&ps);
}

/* What must not run beside the connector: a program or its service. */
static const struct unwanted {
	const char *program;
	const char *service;
	enum severity sev;
	const char *kind;
	const char *why;
	const char *hint;
} unwanted[] = {
	{ "Microsoft Intune Connector", "NDESConnectorSvc", SEV_ERROR,
	  "legacy", "the legacy NDES connector (Microsoft Intune Connector) "
	  "is installed; its support ended with the Certificate Connector",
	  "Uninstall it (Apps and Features) before configuring the "
	  "Certificate Connector." },
	{ "PFX Certificate Connector for Microsoft Intune", NULL, SEV_ERROR,
	  "legacy", "the legacy PFX Certificate Connector is installed; its "
	  "support ended with the Certificate Connector",
	  "Uninstall it (Apps and Features) before configuring the "
	  "Certificate Connector." },
	{ "Intune Connector for Active Directory", "ODJConnectorSvc",
	  SEV_WARN, "ad-connector", "the Intune Connector for Active "
	  "Directory (Autopilot hybrid join) is installed on this server",
	  "Move it to another server; it does not belong beside the "
	  "certificate connector." },
};

static void
rule_unwanted(struct host *h, const struct answers *a, time_t now,
    struct findings *f)
{
	struct programs ps;
	char *code;
	int any = 0;

	(void)a;
	(void)now;
	programs_load(h, &ps);
	for (size_t i = 0; i < nitems(unwanted); i++) {
		const struct unwanted *u = &unwanted[i];

		if (programs_find(&ps, u->program) == NULL &&
		    (u->service == NULL || !present(h, RES_SERVICE,
		    u->service, NULL)))
			continue;
		code = xasprintf("health.connector-%s", u->kind);
		finding_set_hint(finding_add(f, u->sev, "health", NULL, code,
		    "%s", u->why),
		    u->hint);
		free(code);
		any = 1;
	}
	if (!any)
		finding_add(f, SEV_OK, "health", NULL, "connector-alone",
		    "no legacy connector and no Intune Connector for Active "
		    "Directory on this server");
	programs_free(&ps);
}

/* ---- services ----------------------------------------------------------- */

/* Which service each chosen scenario needs (any one listed). */
static const struct service_need {
	const char *name;
	const char *scenarios[4];
	const char *what;
} service_needs[] = {
	{ "PFXCertificateConnectorSvc",
	  { "scep", "pkcs", "pkcs-import", "revocation" },
	  "the connector's own service" },
	{ "PKICertificateConnectorSvc", { "scep", "pkcs" },
	  "certificate requests (SCEP, PKCS)" },
	{ "PkiRevokeConnectorSvc", { "revocation" }, "revocation" },
};

static int
needed(const struct answers *a, const struct service_need *s)
{
	for (size_t i = 0; i < nitems(s->scenarios) && s->scenarios[i]; i++)
		if (answers_list_has(a, F_PREREQS_SCENARIOS, s->scenarios[i]))
			return 1;
	return 0;
}

static void
rule_services(struct host *h, const struct answers *a, time_t now,
    struct findings *f)
{
	char *st, err[256];

	(void)now;
	for (size_t i = 0; i < nitems(service_needs); i++) {
		const struct service_need *s = &service_needs[i];

		if (!needed(a, s))
			continue;
		st = NULL;
		if (host_get(h, RES_SERVICE, s->name, NULL, &st, err,
		    sizeof err) != 0)
			finding_hint(finding_add(f, SEV_ERROR, "health", NULL,
			    "services-unreadable", "the service %s (%s) cannot "
			    "be read: %s", s->name, s->what, err),
			    "Run check as an administrator.");
		else if (st == NULL)
			finding_hint(finding_add(f, SEV_ERROR, "health", NULL,
			    "services-missing", "the service %s (%s) is not "
			    "installed", s->name, s->what),
			    "Install the connector and tick this feature in "
			    "its configuration wizard.");
		else if (strcmp(st, "running") != 0)
			finding_hint(finding_add(f, SEV_ERROR, "health", NULL,
			    "services-stopped", "the service %s (%s) is %s",
			    s->name, s->what, st),
			    "Start it (Start-Service) and read the "
			    "connector's event log if it stops again.");
		else
			finding_add(f, SEV_OK, "health", NULL,
			    "services-running", "%s is running", s->name);
		free(st);
	}
}

/* ---- the connector's own certificate ------------------------------------ */

static int
issued_by_connector_ca(X509 *x)
{
	char cn[256];

	return X509_NAME_get_text_by_NID(X509_get_issuer_name(x),
	    NID_commonName, cn, sizeof cn) > 0 && str_ieq(cn, CONNECTOR_CA);
}

/* The certificate EncryptionCertThumbprint names, else the first one in
 * My that the connector's CA issued. */
static X509 *
connector_cert(struct host *h, char **thumb)
{
	char **names = NULL, *pem, err[256];
	size_t n = 0;
	X509 *x = NULL;

	*thumb = reg_sz(h, CONNECTOR_KEY, "EncryptionCertThumbprint");
	if (*thumb != NULL && **thumb != '\0') {
		pem = NULL;
		host_get(h, RES_CERT, "My", *thumb, &pem, err, sizeof err);
		x = pem ? x509_from_pem(pem) : NULL;
		free(pem);
		return x;
	}
	free(*thumb);
	*thumb = NULL;
	if (h->ops->list == NULL || h->ops->list(h, RES_CERT, "My", &names,
	    &n, err, sizeof err) != 0)
		return NULL;
	for (size_t i = 0; i < n && x == NULL; i++) {
		pem = NULL;
		host_get(h, RES_CERT, "My", names[i], &pem, err, sizeof err);
		if (pem != NULL && (x = x509_from_pem(pem)) != NULL &&
		    !issued_by_connector_ca(x)) {
			X509_free(x);
			x = NULL;
		}
		if (x != NULL)
			*thumb = xstrdup(names[i]);
		free(pem);
	}
	str_list_free(names, n);
	return x;
}

static void
rule_connector_cert(struct host *h, const struct answers *a, time_t now,
    struct findings *f)
{
	char *thumb;
	X509 *x = connector_cert(h, &thumb);
	time_t nb, na;
	long days;

	(void)a;
	if (x == NULL) {
		if (thumb != NULL)
			finding_hint(finding_add(f, SEV_ERROR, "health", NULL,
			    "connector-cert-missing", "the connector's "
			    "certificate %s (EncryptionCertThumbprint) is not "
			    "in LocalMachine\\My", thumb),
			    "Run the connector's configuration wizard again "
			    "(sign in): it enrolls a new one.");
		else
			finding_hint(finding_add(f, SEV_WARN, "health", NULL,
			    "connector-cert-missing", "no certificate issued "
			    "by %s in LocalMachine\\My: the connector has not "
			    "been configured", CONNECTOR_CA),
			    "Run the connector's configuration wizard (sign "
			    "in): it enrolls the certificate.");
		free(thumb);
		return;
	}
	if (x509_time(X509_get0_notBefore(x), &nb) != 0 ||
	    x509_time(X509_get0_notAfter(x), &na) != 0)
		nb = na = 0;
	days = (long)((na - now) / 86400);
	if (na <= now || nb > now)
		finding_hint(finding_add(f, SEV_ERROR, "health", NULL,
		    "connector-cert-expired", "the connector's certificate %s "
		    "is not valid now", thumb),
		    "Run the connector's configuration wizard again (sign "
		    "in) to enroll a new one; the connector cannot reach "
		    "Intune without it.");
	else if (days < DAYS_WARN)
		finding_hint(finding_add(f, SEV_WARN, "health", NULL,
		    "connector-cert-expiring", "the connector's certificate "
		    "%s expires in %ld day(s)", thumb, days),
		    "The connector renews it itself; if it does not, run its "
		    "configuration wizard again.");
	else
		finding_add(f, SEV_OK, "health", NULL, "connector-cert-valid",
		    "the connector's certificate %s is valid for %ld more days",
		    thumb, days);
	X509_free(x);
	free(thumb);
}

/* ---- last contact ------------------------------------------------------- */

static void
rule_last_contact(struct host *h, const struct answers *a, time_t now,
    struct findings *f)
{
	char *v = reg_sz(h, CONNECTOR_KEY "\\ConnectionStatus",
	    "LastConnectionTime");
	time_t t;

	(void)a;
	if (v == NULL)
		finding_hint(finding_add(f, SEV_WARN, "health", NULL,
		    "last-contact-none", "the connector has recorded no "
		    "contact with Intune (no "
		    "ConnectionStatus\\LastConnectionTime)"),
		    "Run the connector's configuration wizard (sign in) and "
		    "check that the server reaches the cloud's endpoints.");
	else if (last_contact_parse(v, &t) != 0)
		finding_hint(finding_add(f, SEV_WARN, "health", NULL,
		    "last-contact-unreadable", "LastConnectionTime '%s' is "
		    "not a time ndeswiz can read", v),
		    "Look at the connector's status in the Intune admin "
		    "center.");
	else if (now - t > LAST_CONTACT_MAX)
		finding_hint(finding_add(f, SEV_WARN, "health", NULL,
		    "last-contact-stale", "the connector last reached Intune "
		    "%s, %lld hour(s) ago", v, (long long)(now - t) / 3600),
		    "Check the services, the proxy and the endpoints probe; "
		    "the connector's event log "
		    "(Microsoft-Intune-CertificateConnectors/Admin) says why.");
	else
		finding_add(f, SEV_OK, "health", NULL, "last-contact-recent",
		    "the connector last reached Intune %s", v);
	free(v);
}

/* ---- reboot pending ----------------------------------------------------- */

static const struct reboot_marker {
	enum res_kind kind;
	const char *path, *name;
	const char *what;
} reboot_markers[] = {
	{ RES_REGKEY, HKLM_SW "Microsoft\\Windows\\CurrentVersion\\"
	  "Component Based Servicing\\RebootPending", NULL,
	  "component servicing (CBS)" },
	{ RES_REGKEY, HKLM_SW "Microsoft\\Windows\\CurrentVersion\\"
	  "WindowsUpdate\\Auto Update\\RebootRequired", NULL,
	  "Windows Update" },
	{ RES_REG, "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\"
	  "Session Manager", "PendingFileRenameOperations",
	  "file renames (PendingFileRenameOperations)" },
};

static int
marker_set(struct host *h, const struct reboot_marker *m)
{
	char *v = NULL, err[256], **list;
	size_t n = 0;
	int yes;

	host_get(h, m->kind, m->path, m->name, &v, err, sizeof err);
	if (v == NULL || m->kind != RES_REG)
		yes = v != NULL;
	else if ((list = regval_get_multi_sz(v, &n)) != NULL) {
		yes = n > 0;
		str_list_free(list, n);
	} else
		yes = 1; /* any other type: set */
	free(v);
	return yes;
}

static void
rule_reboot(struct host *h, const struct answers *a, time_t now,
    struct findings *f)
{
	int any = 0;

	(void)a;
	(void)now;
	for (size_t i = 0; i < nitems(reboot_markers); i++)
		if (marker_set(h, &reboot_markers[i])) {
			finding_hint(finding_add(f, SEV_WARN, "health", NULL,
			    "reboot-pending", "a reboot is pending: %s",
			    reboot_markers[i].what),
			    "Reboot the server: the HTTP.sys limits and the "
			    "policy module only take effect after one.");
			any = 1;
		}
	if (!any)
		finding_add(f, SEV_OK, "health", NULL, "reboot-none",
		    "no reboot pending (CBS, Windows Update, file renames)");
}

/* ---- the table ---------------------------------------------------------- */

const struct host_rule host_rules[] = {
	{ "connector", rule_connector },
	{ "connector", rule_unwanted },
	{ "services", rule_services },
	{ "connector-cert", rule_connector_cert },
	{ "last-contact", rule_last_contact },
	{ "reboot", rule_reboot },
};
const size_t host_rules_count = nitems(host_rules);

void
host_rules_run(const char *probe, struct host *h, const struct answers *a,
    time_t now, struct findings *f)
{
	for (size_t i = 0; i < host_rules_count; i++)
		if (strcmp(host_rules[i].probe, probe) == 0)
			host_rules[i].run(h, a, now, f);
}
