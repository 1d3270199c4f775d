/*
 * Prerequisites of the server itself: what the
 * machine is, the Windows features, TLS 1.2, IE ESC, the root store, and
 * which connector features the scenarios turn on.
 *
 * Rules and their sources: README.md, "The steps" (the prereqs row) and
 * "The rules about the server" (the prereqs.* rows, each with its public
 * source: Microsoft Learn, KB articles).
 */
#include "step.h"
#include "host/regfile.h"
#include "x509util.h"
#include "handover.h"
#include "hostrules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEP "prereqs"
#define HKLM "HKEY_LOCAL_MACHINE\\"
#define NDP_KEY HKLM "SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full"
#define TLS12_KEY HKLM "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders" \
	"\\SCHANNEL\\Protocols\\TLS 1.2\\Client"
#define NETFX_KEY HKLM "SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319"
#define NETFX32_KEY HKLM "SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework" \
	"\\v4.0.30319"
#define ESC_KEY HKLM "SOFTWARE\\Microsoft\\Active Setup\\Installed " \
	"Components\\"
#define NET472_RELEASE 461808
#define MAX_SKEW 300

/* Which Windows features a scenario needs. SCEP needs NDES and IIS; the
 * PKCS scenarios need only .NET. Optional ones only warn. */
static const struct feature {
	const char *name;
	int scep_only;
	int optional;
} features[] = {
	{ "ADCS-Device-Enrollment", 1, 0 },
	{ "Web-Server", 1, 0 },
	{ "Web-WebServer", 1, 0 },
	{ "Web-Filtering", 1, 0 },
	{ "Web-Net-Ext45", 1, 0 },
	{ "Web-Asp-Net45", 1, 0 },
	{ "NET-Framework-45-Core", 0, 0 },
	{ "NET-Framework-45-Features", 0, 0 },
	{ "NET-WCF-HTTP-Activation45", 1, 0 },
	{ "Web-Metabase", 1, 0 },
	{ "Web-WMI", 1, 0 },
	{ "Web-Mgmt-Console", 1, 0 },
	{ "NET-Framework-Features", 1, 1 },
	{ "NET-Framework-Core", 1, 1 },
	{ "NET-HTTP-Activation", 1, 1 },
	{ "Web-Asp-Net", 1, 1 },
};

/* Strong crypto for .NET: both registry views, both values. */
static const struct reg_want {
	const char *key, *name;
	unsigned long value;
} strong_crypto[] = {
	{ NETFX_KEY, "SchUseStrongCrypto", 1 },
	{ NETFX_KEY, "SystemDefaultTlsVersions", 1 },
	{ NETFX32_KEY, "SchUseStrongCrypto", 1 },
	{ NETFX32_KEY, "SystemDefaultTlsVersions", 1 },
};

/* IE Enhanced Security Configuration: admins and users. Most scripts
 * check only the first; the sign-in page needs both off. */
static const char *const esc_keys[] = {
	ESC_KEY "{A509B1A7-37EF-4b3f-8CFC-4F3A74704073}",
	ESC_KEY "{A509B1A8-37EF-4b3f-8CFC-4F3A74704073}",
};

/* "a, b" + ", c": the names one finding lists. */
static void
name_add(char **list, const char *name)
{
	char *s = xasprintf("%s%s%s", *list ? *list : "", *list ? ", " : "",
	    name);

	free(*list);
	*list = s;
}

static int
feature_applies(const struct answers *a, const struct feature *ft)
{
	return !ft->scep_only || answers_want_scep(a);
}

/* A DWORD from the host (or what the plan leaves), -1 when absent. */
static long long
reg_dword(struct host *h, const struct plan *p, const char *key,
    const char *name)
{
	unsigned long v;
	char *cur = NULL;
	long long out = -1;

	if (plan_current(p, h, RES_REG, key, name, &cur) == 0 &&
	    cur != NULL && regval_get_dword(cur, &v) == 0)
		out = (long long)v;
	free(cur);
	return out;
}

static int
feature_installed(struct host *h, const struct plan *p, const char *name)
{
	char *cur = NULL;
	int yes;

	plan_current(p, h, RES_FEATURE, name, NULL, &cur);
	yes = cur != NULL;
	free(cur);
	return yes;
}

static void
prereqs_validate(const struct answers *a, struct findings *f)
{
	size_t n;
	char **v = answers_list(a, F_PREREQS_SCENARIOS, &n);

	if (n == 0)
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_PREREQS_SCENARIOS), "no-scenario",
		    "no connector feature is chosen"),
		    "Choose at least one: scep, pkcs, pkcs-import, "
		    "revocation.");
	str_list_free(v, n);
	if (!answers_bool(a, F_PREREQS_INSTALL_FEATURES))
		finding_add(f, SEV_OK, STEP,
		    field_name(F_PREREQS_INSTALL_FEATURES), "features-manual",
		    "missing Windows features are reported, not installed");
}

/* ---- inspect: the machine ---------------------------------------------- */

static void
inspect_os(const struct host_facts *hf, struct findings *f)
{
	int ver = hf->os_major * 100 + hf->os_minor;

	if (!hf->elevated)
		finding_hint(finding_add(f, SEV_ERROR, STEP, NULL,
		    "not-elevated", "not running as a local administrator"),
		    "Run ndeswiz from an elevated prompt (Run as "
		    "administrator).");
	else
		finding_add(f, SEV_OK, STEP, NULL, "elevated", "running "
		    "elevated, as a local administrator");
	if (ver < 603)
		finding_hint(finding_add(f, SEV_ERROR, STEP, NULL, "os-too-old",
		    "Windows %d.%d is older than Windows Server 2012 R2 (6.3)",
		    hf->os_major, hf->os_minor),
		    "Use Windows Server 2012 R2 or later; 2019 or later is "
		    "recommended.");
	else if (ver < 1000 || (ver == 1000 && hf->os_build < 17763))
		finding_hint(finding_add(f, SEV_WARN, STEP, NULL, "os-old",
		    "Windows %d.%d build %d is older than Windows Server 2019 "
		    "(10.0.17763)", hf->os_major, hf->os_minor, hf->os_build),
		    "Plan an upgrade to Windows Server 2019 or later.");
	else
		finding_add(f, SEV_OK, STEP, NULL, "os", "%s (%d.%d.%d)",
		    hf->os_caption, hf->os_major, hf->os_minor, hf->os_build);
	if (hf->server_core)
		finding_hint(finding_add(f, SEV_ERROR, STEP, NULL,
		    "server-core", "Server Core is not supported by the "
		    "Certificate Connector"),
		    "Install Windows Server with the Desktop Experience.");
	else
		finding_add(f, SEV_OK, STEP, NULL, "desktop", "Windows "
		    "Server with the Desktop Experience (not Server Core)");
}

static void
inspect_domain(const struct host_facts *hf, const struct answers *a,
    struct findings *f)
{
	const char *ca = answers_get(a, F_NDES_CA_CONFIG), *bs;
	char *ca_host;

	if (!hf->part_of_domain)
		finding_hint(finding_add(f, SEV_ERROR, STEP, NULL, "not-joined",
		    "the server is not joined to a domain"),
		    "Join the server to the domain of the Enterprise CA.");
	if (hf->domain_role >= 4)
		finding_hint(finding_add(f, SEV_ERROR, STEP, NULL,
		    "domain-controller", "the server is a domain controller "
		    "(DomainRole %d); NDES and the connector must not run on "
		    "one", hf->domain_role),
		    "Use a member server.");
	if (hf->part_of_domain && hf->domain_role < 4)
		finding_add(f, SEV_OK, STEP, NULL, "member", "a member of %s, "
		    "not a domain controller (DomainRole %d)", hf->domain,
		    hf->domain_role);
	if ((bs = strchr(ca, '\\')) == NULL)
		return;
	ca_host = xstrndup(ca, (size_t)(bs - ca));
	if (str_ieq(ca_host, hf->hostname) || str_ieq(ca_host, hf->fqdn))
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_NDES_CA_CONFIG), "is-the-ca", "this server "
		    "(%s) is the issuing CA named in [ndes] ca_config",
		    hf->hostname),
		    "Use a separate member server for NDES.");
	free(ca_host);
}

static void
inspect_dotnet_tls(struct host *h, const struct answers *a,
    struct findings *f)
{
	/* What enable_tls12 = yes makes the plan put right is only noted. */
	enum severity tls = answers_bool(a, F_PREREQS_ENABLE_TLS12) ?
	    SEV_OK : SEV_WARN;
	char *off = NULL;

	long long rel = reg_dword(h, NULL, NDP_KEY, "Release");
	long long en = reg_dword(h, NULL, TLS12_KEY, "Enabled");
	long long dis = reg_dword(h, NULL, TLS12_KEY, "DisabledByDefault");

	if (rel < NET472_RELEASE)
		finding_hint(finding_add(f, SEV_ERROR, STEP, NULL, "dotnet-old",
		    ".NET Framework 4 Release is %lld; the connector needs "
		    "4.7.2 (%d) or later", rel, NET472_RELEASE),
		    "Install .NET Framework 4.7.2 or later.");
	else
		finding_add(f, SEV_OK, STEP, NULL, "dotnet", ".NET Framework "
		    "4 Release %lld", rel);
	if (en == 0 || dis == 1)
		finding_set_hint(finding_add(f, tls, STEP,
		    field_name(F_PREREQS_ENABLE_TLS12), "tls12-off",
		    "the TLS 1.2 client protocol is disabled in SCHANNEL"),
		    tls == SEV_OK ? "Apply the plan: it enables it; then "
		    "reboot." : "Let ndeswiz enable it ([prereqs] "
		    "enable_tls12 = yes), then reboot.");
	for (size_t i = 0; i < nitems(strong_crypto); i++)
		if (reg_dword(h, NULL, strong_crypto[i].key,
		    strong_crypto[i].name) != 1) {
			char *n = xasprintf("%s (%s)", strong_crypto[i].name,
			    strncmp(strong_crypto[i].key, NETFX32_KEY,
			    strlen(NETFX32_KEY)) == 0 ? "32-bit" : "64-bit");

			name_add(&off, n);
			free(n);
		}
	if (off != NULL)
		finding_set_hint(finding_add(f, tls, STEP,
		    field_name(F_PREREQS_ENABLE_TLS12), "strong-crypto-off",
		    ".NET strong crypto is not on: %s not 1 under "
		    ".NETFramework\\v4.0.30319", off),
		    tls == SEV_OK ? "Apply the plan: it sets them." :
		    "Let ndeswiz set them ([prereqs] enable_tls12 = yes).");
	free(off);
}

static void
inspect_features(struct host *h, const struct answers *a, struct findings *f)
{
	int install = answers_bool(a, F_PREREQS_INSTALL_FEATURES);
	char *missing = NULL, *optional = NULL;
	size_t needed = 0;

	if (feature_installed(h, NULL, "ADCS-Cert-Authority"))
		finding_hint(finding_add(f, SEV_ERROR, STEP, NULL,
		    "ca-installed", "the Certification Authority role is "
		    "installed on this server"),
		    "Install NDES and the connector on a server that is not "
		    "a CA.");
	for (size_t i = 0; i < nitems(features); i++) {
		const struct feature *ft = &features[i];

		if (!feature_applies(a, ft))
			continue;
		needed += !ft->optional;
		if (!feature_installed(h, NULL, ft->name))
			name_add(ft->optional ? &optional : &missing,
			    ft->name);
	}
	/* Optional ones are advice; required ones are installed by the
	 * plan, or stop it when nobody may install them. */
	if (missing == NULL)
		finding_add(f, SEV_OK, STEP,
		    field_name(F_PREREQS_INSTALL_FEATURES), "features",
		    "the %zu Windows features the scenarios need are installed",
		    needed);
	else
		finding_set_hint(finding_add(f, install ? SEV_OK : SEV_ERROR,
		    STEP, field_name(F_PREREQS_INSTALL_FEATURES),
		    "feature-missing", "Windows features not installed%s: %s",
		    install ? "" : " (and install_features = no)", missing),
		    install ? "Apply the plan: it installs them." :
		    "Install-WindowsFeature them, or set [prereqs] "
		    "install_features = yes.");
	if (optional != NULL)
		finding_hint(finding_add(f, SEV_OK, STEP,
		    field_name(F_PREREQS_INSTALL_FEATURES), "feature-optional",
		    "recommended Windows features not installed: %s", optional),
		    "Install-WindowsFeature them if you want them; ndeswiz "
		    "does not.");
	free(missing);
	free(optional);
}

static void
inspect_esc(struct host *h, const struct answers *a, struct findings *f)
{
	int off = answers_bool(a, F_PREREQS_DISABLE_IE_ESC);
	char *on = NULL;

	for (size_t i = 0; i < nitems(esc_keys); i++)
		if (reg_dword(h, NULL, esc_keys[i], "IsInstalled") != 0)
			name_add(&on, i == 0 ? "administrators" : "users");
	if (on == NULL)
		finding_add(f, SEV_OK, STEP,
		    field_name(F_PREREQS_DISABLE_IE_ESC), "ie-esc-off",
		    "IE Enhanced Security Configuration is off for "
		    "administrators and users");
	else
		finding_set_hint(finding_add(f, off ? SEV_OK : SEV_ERROR, STEP,
		    field_name(F_PREREQS_DISABLE_IE_ESC), "ie-esc-on",
		    "IE Enhanced Security Configuration is on for %s: the "
		    "connector's sign-in page will not load", on),
		    off ? "Apply the plan: it turns it off." : "Let ndeswiz "
		    "turn it off ([prereqs] disable_ie_esc = yes), or turn "
		    "it off in Server Manager.");
	free(on);
}

/* An intermediate CA in the Root store can crash the SCEP app pool. */
static void
inspect_root_store(struct host *h, struct findings *f)
{
	char **thumbs = NULL, err[256], *pem = NULL;
	size_t n = 0, bad = 0;

	if (h->ops->list == NULL || h->ops->list(h, RES_CERT, "Root", &thumbs,
	    &n, err, sizeof err) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (host_get(h, RES_CERT, "Root", thumbs[i], &pem, err,
		    sizeof err) == 0 && pem != NULL &&
		    x509_pem_self_issued(pem) == 0 && ++bad)
			finding_hint(finding_add(f, SEV_ERROR, STEP, NULL,
			    "root-not-self-issued", "LocalMachine\\Root holds "
			    "%s, which is not self-issued: the SCEP app pool "
			    "may fail (503)", thumbs[i]),
			    "Move it to the Intermediate Certification "
			    "Authorities store.");
		free(pem);
		pem = NULL;
	}
	if (bad == 0)
		finding_add(f, SEV_OK, STEP, NULL, "root-store",
		    "LocalMachine\\Root holds only self-issued certificates "
		    "(%zu)", n);
	str_list_free(thumbs, n);
}

/* An installed connector's features against the scenarios: what to
 * tick or untick in its configuration wizard. */
static void
inspect_connector(struct host *h, const struct answers *a,
    struct findings *f)
{
	char *ver = NULL, *steps;

	if (!connector_installed(h, &ver)) {
		steps = connector_handover_text(a);
		/* No field: it is about the server, and the long hint
		 * must not push the scenarios out of view. */
		finding_hint(finding_add(f, SEV_WARN, STEP, NULL,
		    "connector-not-installed",
		    "the Certificate Connector for Microsoft Intune is not "
		    "installed yet: it is the last step, after this plan is "
		    "applied"),
		    "Download it (Intune admin center > Tenant administration "
		    "> Connectors and tokens > Certificate connectors > Add), "
		    "install it, and in its configuration wizard choose: %s.",
		    steps);
		free(steps);
		return;
	}
	for (size_t i = 0; i < connector_features_count; i++) {
		const struct connector_feature *c = &connector_features[i];
		int want = answers_list_has(a, F_PREREQS_SCENARIOS,
		    c->scenario);
		int have = reg_dword(h, NULL, CONNECTOR_KEY, c->value) == 1;

		if (want == have)
			finding_add(f, SEV_OK, STEP,
			    field_name(F_PREREQS_SCENARIOS), "connector-feature",
			    "the connector has %s %s, as the scenarios say",
			    c->label, have ? "on" : "off");
		else
			finding_hint(finding_add(f, SEV_WARN, STEP,
			    field_name(F_PREREQS_SCENARIOS),
			    "connector-feature-differs", "the installed "
			    "connector (%s) has %s %s (%s = %d), but [prereqs] "
			    "scenarios %s %s", ver ? ver : "version unknown",
			    c->label, have ? "on" : "off", c->value, have,
			    want ? "includes" : "leaves out", c->scenario),
			    "Run the connector's configuration wizard (Start > "
			    "Certificate Connector for Microsoft Intune), and "
			    "on its Features page %s '%s'; ndeswiz does not "
			    "write the connector's own settings. Or change "
			    "[prereqs] scenarios.", want ? "select" : "clear",
			    c->label);
	}
	free(ver);
}

static void
prereqs_inspect(struct host *h, const struct answers *a, struct findings *f)
{
	struct host_facts hf;

	host_facts(h, &hf);
	inspect_os(&hf, f);
	inspect_domain(&hf, a, f);
	if (hf.clock_skew > MAX_SKEW || hf.clock_skew < -MAX_SKEW)
		finding_hint(finding_add(f, SEV_ERROR, STEP, NULL, "clock-skew",
		    "the clock is off by %lld seconds; more than 5 minutes "
		    "breaks sign-in and TLS", hf.clock_skew),
		    "Fix the time source (w32tm /resync).");
	inspect_dotnet_tls(h, a, f);
	inspect_features(h, a, f);
	inspect_esc(h, a, f);
	if (answers_want_scep(a))
		inspect_root_store(h, f);
	inspect_connector(h, a, f);
}

/* ---- plan -------------------------------------------------------------- */

static void
plan_dword(struct host *h, struct plan *p, struct findings *f,
    const char *key, const char *name, unsigned long v, int reboot,
    const char *reason)
{
	char *data = regval_dword(v);

	plan_want_reg(p, h, f, STEP, key, name, data, reboot, reason);
	free(data);
}

static void
plan_features(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	char *why;

	for (size_t i = 0; i < nitems(features); i++) {
		const struct feature *ft = &features[i];

		if (ft->optional || !feature_applies(a, ft) ||
		    feature_installed(h, p, ft->name))
			continue;
		why = xasprintf("required for %s", ft->scep_only ? "SCEP "
		    "(NDES and IIS)" : "the Certificate Connector");
		plan_want(p, h, f, STEP, RES_FEATURE, ft->name, NULL,
		    "installed", 0, why);
		free(why);
	}
}

static void
plan_tls(struct host *h, struct plan *p, struct findings *f)
{
	/* SCHANNEL: only undo an explicit "off"; absent means on. */
	if (reg_dword(h, p, TLS12_KEY, "Enabled") == 0)
		plan_dword(h, p, f, TLS12_KEY, "Enabled", 1, 1,
		    "the TLS 1.2 client protocol is switched off");
	if (reg_dword(h, p, TLS12_KEY, "DisabledByDefault") == 1)
		plan_dword(h, p, f, TLS12_KEY, "DisabledByDefault", 0, 1,
		    "TLS 1.2 is disabled by default for clients");
	for (size_t i = 0; i < nitems(strong_crypto); i++)
		plan_dword(h, p, f, strong_crypto[i].key,
		    strong_crypto[i].name, strong_crypto[i].value, 1,
		    ".NET must use TLS 1.2 and strong crypto to reach "
		    "Intune");
}

static void
prereqs_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	if (answers_bool(a, F_PREREQS_INSTALL_FEATURES))
		plan_features(h, a, p, f);
	if (answers_bool(a, F_PREREQS_DISABLE_IE_ESC))
		for (size_t i = 0; i < nitems(esc_keys); i++)
			if (reg_dword(h, p, esc_keys[i], "IsInstalled") != 0)
				plan_dword(h, p, f, esc_keys[i],
				    "IsInstalled", 0, 0, "the connector's "
				    "sign-in page needs IE ESC off");
	if (answers_bool(a, F_PREREQS_ENABLE_TLS12))
		plan_tls(h, p, f);
}

const struct step step_prereqs = {
	.id = STEP,
	.title = "Prerequisites",
	.section = "prereqs",
	.validate = prereqs_validate,
	.inspect = prereqs_inspect,
	.plan = prereqs_plan,
};
