/*
 * Registry purpose mapping and long URLs.
 *
 * NDES picks the template for a request by its key usage, from three
 * values under MSCEP. Each holds a template *name*; the classic mistake
 * is the display name (it has spaces), which NDES cannot find. SCEP URLs
 * carry query strings of up to ~40 KB, so HTTP.sys and IIS request limits
 * must be raised to at least 65534.
 *
 * Rules and their sources: README.md, "The steps" (the registry row) and
 * "The rules about the server" (the registry.* rows, each with its public
 * source: Microsoft Learn, KB articles).
 */
#include "step.h"
#include "host/regfile.h"
#include "iissite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEP "registry"
#define MSCEP_KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\\MSCEP"
#define HTTP_KEY "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services" \
	"\\HTTP\\Parameters"
#define REQ_LIMITS IISSITE_NAME "|system.webServer/security/" \
	"requestFiltering/requestLimits"
#define NDES_DEFAULT_TEMPLATE "IPSECIntermediateOffline"
#define LIMIT_MIN 65534

static const struct mscep_value {
	const char *purpose;
	const char *value;
	enum field_id field;
	const char *intune; /* how Intune's SCEP profile names the usage */
} mscep_values[] = {
	{ "signature", "SignatureTemplate", F_REGISTRY_SIGNATURE_TEMPLATE,
	  "Digital signature" },
	{ "encryption", "EncryptionTemplate", F_REGISTRY_ENCRYPTION_TEMPLATE,
	  "Key encipherment" },
	{ "signature-encryption", "GeneralPurposeTemplate",
	  F_REGISTRY_GENERAL_PURPOSE_TEMPLATE,
	  "Key encipherment + Digital signature" },
};

static const struct limit {
	enum field_id field;
	enum res_kind kind;
	const char *path;
	const char *name;
	long long builtin; /* what the server uses when nothing is set */
	int reboot;
	long long max;     /* the largest the server accepts, 0: no limit */
	const char *source;
} limits[] = {
	/* KB 820129 (Http.sys registry settings for Windows): the valid
	 * ranges are 64-65534 and 256-16777216 bytes. */
	{ F_REGISTRY_MAX_FIELD_LENGTH, RES_REG, HTTP_KEY, "MaxFieldLength",
	  16384, 1, 65534, "KB 820129" },
	{ F_REGISTRY_MAX_REQUEST_BYTES, RES_REG, HTTP_KEY, "MaxRequestBytes",
	  16384, 1, 16777216, "KB 820129" },
	{ F_REGISTRY_MAX_URL, RES_IIS, REQ_LIMITS, "maxUrl", 4096, 0, 0,
	  NULL },
	{ F_REGISTRY_MAX_QUERY_STRING, RES_IIS, REQ_LIMITS, "maxQueryString",
	  2048, 0, 0, NULL },
};

/*
 * The template a value should hold: the explicit [registry] answer, else
 * the template name for the purpose's value and, with all_purposes (the
 * default), for the other two as well, else NULL (left alone). Microsoft
 * documents only the purpose's value (Intune: Configure infrastructure
 * for SCEP, the MSCEP table); NDES picks the value by the key usage of
 * each request, so a profile whose key usage does not match the
 * template's purpose would reach NDES's default template instead. The
 * public installer richardhicks/ndes (Install-NdesServer.ps1, "Define
 * NDES certificate templates") writes the one template into all three.
 */
static const char *
wanted_template(const struct answers *a, const struct mscep_value *m)
{
	const char *explicit = answers_get(a, m->field);

	if (*explicit != '\0')
		return explicit;
	if (strcmp(answers_get(a, F_TEMPLATE_PURPOSE), m->purpose) == 0 ||
	    answers_bool(a, F_REGISTRY_ALL_PURPOSES))
		return answers_get(a, F_TEMPLATE_NAME);
	return NULL;
}

/* A value that only repeats [template] name for another purpose: its
 * findings would repeat the purpose's own. */
static int
echoes_purpose(const struct answers *a, const struct mscep_value *m)
{
	return *answers_get(a, m->field) == '\0' &&
	    strcmp(answers_get(a, F_TEMPLATE_PURPOSE), m->purpose) != 0;
}

static char *
strip_spaces(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			*o++ = *s;
	*o = '\0';
	return out;
}

static void
check_name(const struct answers *a, const struct mscep_value *m,
    const char *name, struct findings *f)
{
	const char *display = answers_get(a, F_TEMPLATE_DISPLAY_NAME);
	const char *field = *answers_get(a, m->field) ? field_name(m->field) :
	    field_name(F_TEMPLATE_NAME);
	char *guess, *hint;

	if (!str_has_space(name)) {
		if (str_ieq(name, NDES_DEFAULT_TEMPLATE))
			finding_hint(finding_add(f, SEV_WARN, STEP, field,
			    "default-template", "%s would stay at NDES's "
			    "default template %s, so Intune's '%s' requests "
			    "get the wrong certificate", m->value,
			    NDES_DEFAULT_TEMPLATE, m->intune),
			    "Give the name of the template you created for "
			    "Intune.");
		return;
	}
	guess = strip_spaces(name);
	hint = xasprintf("Use the template name (Certificate Templates "
	    "console: the template's General tab, 'Template name'), by "
	    "default the display name without spaces: '%s'.", guess);
	if (str_eq(name, display) || str_ieq(name, display))
		finding_set_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "display-name-given", "'%s' is the template's display "
		    "name; %s needs the template name, which has no spaces",
		    name, m->value),
		    hint);
	else
		finding_set_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "name-has-spaces", "'%s' has spaces: template names have "
		    "none, so NDES would not find it (is it a display name?)",
		    name),
		    hint);
	free(guess);
	free(hint);
}

static void
registry_validate(const struct answers *a, struct findings *f)
{
	if (!answers_want_scep(a))
		return;
	for (size_t i = 0; i < nitems(mscep_values); i++) {
		const struct mscep_value *m = &mscep_values[i];
		const char *name = wanted_template(a, m);

		if (name == NULL || echoes_purpose(a, m))
			continue;
		if (*name == '\0') {
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(F_TEMPLATE_NAME),
			    "template-name-missing", "no template name: %s "
			    "(for [template] purpose = %s) needs one", m->value,
			    m->purpose),
			    "Enter the name of the SCEP template, e.g. "
			    "NDESDeviceCert.");
			continue;
		}
		check_name(a, m, name, f);
	}
	for (size_t i = 0; i < nitems(limits); i++) {
		long long v = answers_int(a, limits[i].field);

		if (v < LIMIT_MIN)
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(limits[i].field), "limit-too-small",
			    "%s = %lld is below %d: SCEP requests with long "
			    "query strings would be refused (HTTP 414)",
			    limits[i].name, v, LIMIT_MIN),
			    "Use 65534 or more.");
		else if (limits[i].max != 0 && v > limits[i].max)
			finding_hint(finding_add(f, SEV_ERROR, STEP,
			    field_name(limits[i].field), "limit-too-large",
			    "%s = %lld is above %lld, the largest value "
			    "HTTP.sys accepts (%s); it would fall back to its "
			    "default", limits[i].name, v, limits[i].max,
			    limits[i].source),
			    "Use 65534: it is within the range and enough "
			    "for SCEP.");
	}
}

static long long
current_limit(struct host *h, const struct plan *p, const struct limit *l,
    int *set)
{
	char *cur = NULL;
	unsigned long dw;
	long long v = l->builtin;

	*set = 0;
	if (plan_current(p, h, l->kind, l->path, l->name, &cur) != 0 ||
	    cur == NULL)
		return v;
	if (l->kind == RES_REG && regval_get_dword(cur, &dw) == 0)
		v = (long long)dw, *set = 1;
	else if (l->kind == RES_IIS && str_to_long(cur, 0, 1LL << 40, &v) ==
	    0)
		*set = 1;
	free(cur);
	return v;
}

static void
registry_inspect(struct host *h, const struct answers *a, struct findings *f)
{
	char *cur = NULL, err[256];
	const char *want;

	if (!answers_want_scep(a))
		return;
	for (size_t i = 0; i < nitems(mscep_values); i++) {
		const struct mscep_value *m = &mscep_values[i];
		char *name;

		if (host_get(h, RES_REG, MSCEP_KEY, m->value, &cur, err,
		    sizeof err) != 0 || cur == NULL) {
			/* The role's install writes all three; the plan
			 * sets them (all_purposes) or the purpose's. */
			finding_hint(finding_add(f, SEV_OK, STEP, NULL,
			    "mscep-missing", "%s is not set (NDES not "
			    "installed yet?)", m->value),
			    "Install the NDES role first; it creates the "
			    "MSCEP key.");
			continue;
		}
		name = regval_get_sz(cur);
		want = wanted_template(a, m);
		if (name != NULL && str_ieq(name, NDES_DEFAULT_TEMPLATE) &&
		    strcmp(answers_get(a, F_TEMPLATE_PURPOSE), m->purpose) ==
		    0)
			finding_hint(finding_add(f, SEV_OK, STEP, NULL,
			    "default-template", "%s still holds NDES's "
			    "default %s", m->value, NDES_DEFAULT_TEMPLATE),
			    "Apply the plan: it sets the template name.");
		else if (want != NULL && *want != '\0' &&
		    !str_ieq(name ? name : cur, want))
			finding_hint(finding_add(f, SEV_OK, STEP,
			    field_name(m->field), "mscep-mismatch", "%s holds "
			    "'%s', not the template '%s' the answers name; "
			    "NDES would ask the CA for the wrong template",
			    m->value, name ? name : cur, want),
			    "Apply the plan: it writes the template name.");
		else
			finding_add(f, SEV_OK, STEP, NULL, "mscep", "%s = %s",
			    m->value, name ? name : cur);
		free(name);
		free(cur);
		cur = NULL;
	}
	for (size_t i = 0; i < nitems(limits); i++) {
		int set;
		long long v = current_limit(h, NULL, &limits[i], &set);

		if (v < LIMIT_MIN)
			finding_hint(finding_add(f, SEV_OK, STEP,
			    field_name(limits[i].field), "limit-low",
			    "%s is %lld%s; long SCEP URLs get HTTP 414",
			    limits[i].name, v, set ? "" : " (the built-in "
			    "default)"),
			    "Apply the plan, then reboot.");
		else
			finding_add(f, SEV_OK, STEP,
			    field_name(limits[i].field), "limit", "%s = %lld",
			    limits[i].name, v);
	}
}

/* What the server holds becomes the starting answer, where the admin has
 * not said otherwise. */
static void
registry_prefill(struct host *h, struct answers *a)
{
	char *cur = NULL, err[256];

	for (size_t i = 0; i < nitems(mscep_values); i++) {
		const struct mscep_value *m = &mscep_values[i];
		char *name;

		if (host_get(h, RES_REG, MSCEP_KEY, m->value, &cur, err,
		    sizeof err) != 0 || cur == NULL)
			continue;
		name = regval_get_sz(cur);
		if (name != NULL && !str_ieq(name, NDES_DEFAULT_TEMPLATE) &&
		    a->src[F_TEMPLATE_NAME] == SRC_DEFAULT) {
			answers_put(a, F_TEMPLATE_NAME, name, SRC_HOST);
			answers_put(a, F_TEMPLATE_PURPOSE, m->purpose,
			    SRC_HOST);
		}
		free(name);
		free(cur);
		cur = NULL;
	}
	for (size_t i = 0; i < nitems(limits); i++) {
		int set;
		long long v = current_limit(h, NULL, &limits[i], &set);
		char num[32];

		if (set && v >= LIMIT_MIN && v <= fields_table[
		    limits[i].field].max && a->src[limits[i].field] ==
		    SRC_DEFAULT) {
			snprintf(num, sizeof num, "%lld", v);
			answers_put(a, limits[i].field, num, SRC_HOST);
		}
	}
}

static void
plan_limit(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f, const struct limit *l)
{
	long long want = answers_int(a, l->field);
	int set;
	long long cur = current_limit(h, p, l, &set);
	char *value, *reason;

	/* Larger than asked is fine: never lower a limit. */
	if (set && cur >= want)
		return;
	reason = xasprintf("%s must be at least %lld for long SCEP URLs "
	    "(now %lld%s)", l->name, want, cur, set ? "" : ", built-in");
	if (l->kind == RES_REG) {
		value = regval_dword((unsigned long)want);
		plan_want_reg(p, h, f, STEP, l->path, l->name, value,
		    l->reboot, reason);
	} else {
		value = xasprintf("%lld", want);
		plan_want_iis(p, h, f, STEP, l->path, l->name, value,
		    l->reboot, reason);
	}
	free(value);
	free(reason);
}

static void
registry_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	enum iissite_state site;
	const char *what;

	if (!answers_want_scep(a))
		return;
	for (size_t i = 0; i < nitems(mscep_values); i++) {
		const struct mscep_value *m = &mscep_values[i];
		const char *name = wanted_template(a, m);
		char *value, *reason;

		if (name == NULL || *name == '\0')
			continue;
		value = regval_sz(name);
		reason = xasprintf("Intune's '%s' requests use %s: it must "
		    "name the template '%s'", m->intune, m->value, name);
		plan_want_reg(p, h, f, STEP, MSCEP_KEY, m->value, value, 1,
		    reason);
		free(value);
		free(reason);
	}
	/* No site, no location for IIS's limits: binding's plan says so
	 * (binding.no-default-site) and stops the apply. */
	site = iissite_state(h, &what);
	for (size_t i = 0; i < nitems(limits); i++)
		if (limits[i].kind != RES_IIS || site != IISSITE_MISSING)
			plan_limit(h, a, p, f, &limits[i]);
}

const struct step step_registry = {
	.id = STEP,
	.title = "Registry purpose mapping",
	.section = "registry",
	.validate = registry_validate,
	.inspect = registry_inspect,
	.prefill = registry_prefill,
	.plan = registry_plan,
};
