/*
 * The certificate template (ndes-checklist §3). It lives on the CA, not on
 * this server, so the plan cannot apply it: it writes a runbook for the CA
 * administrator into the target instead, and checks what can be checked
 * here. The MSCEP registry needs the template *name*; the registry step
 * owns that check when SCEP is on.
 */
#include "step.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEP "template"
#define RUNBOOK "ca-runbook.txt"
#define MIN_VALIDITY 5

static const struct purpose_text {
	const char *purpose;
	const char *request_handling; /* the console's wording */
	const char *key_usage;
} purposes[] = {
	{ "signature", "Signature", "Digital signature" },
	{ "encryption", "Encryption", "Key encipherment" },
	{ "signature-encryption", "Signature and encryption",
	  "Digital signature, Key encipherment" },
};

static const struct purpose_text *
purpose_of(const struct answers *a)
{
	for (size_t i = 0; i < nitems(purposes); i++)
		if (strcmp(purposes[i].purpose, answers_get(a,
		    F_TEMPLATE_PURPOSE)) == 0)
			return &purposes[i];
	return &purposes[2];
}

static int
template_used(const struct answers *a)
{
	return answers_want_scep(a) || answers_list_has(a,
	    F_PREREQS_SCENARIOS, "pkcs");
}

static void
template_validate(const struct answers *a, struct findings *f)
{
	const char *name = answers_get(a, F_TEMPLATE_NAME);
	long long days = answers_int(a, F_TEMPLATE_VALIDITY_DAYS);

	if (!template_used(a))
		return;
	/* With SCEP the registry step checks the name it writes. */
	if (!answers_want_scep(a) && *name == '\0')
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_TEMPLATE_NAME), "name-missing",
		    "no template name"),
		    "Enter the template name (no spaces).");
	else if (!answers_want_scep(a) && str_has_space(name))
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_TEMPLATE_NAME), "name-has-spaces", "'%s' has "
		    "spaces: that is a display name", name),
		    "Use the template name, by default the display name "
		    "without spaces.");
	if (days < MIN_VALIDITY)
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_TEMPLATE_VALIDITY_DAYS), "validity-short",
		    "a validity of %lld day%s is shorter than Intune's "
		    "renewal window", days, days == 1 ? "" : "s"),
		    "Use 5 days or more.");
	if (answers_int(a, F_TEMPLATE_KEY_SIZE) < 2048)
		finding_hint(finding_add(f, SEV_ERROR, STEP,
		    field_name(F_TEMPLATE_KEY_SIZE), "key-too-small",
		    "a %lld-bit key is too weak",
		    answers_int(a, F_TEMPLATE_KEY_SIZE)),
		    "Use 2048 or more.");
	finding_add(f, SEV_OK, STEP, field_name(F_TEMPLATE_PURPOSE), "purpose",
	    "purpose '%s' (Request Handling: %s)",
	    answers_get(a, F_TEMPLATE_PURPOSE),
	    purpose_of(a)->request_handling);
}

/* The template name the CA console derives from a display name. */
static char *
derived_name(const char *display)
{
	char *out = xmalloc(strlen(display) + 1), *o = out;

	for (; *display; display++)
		if (*display != ' ')
			*o++ = *display;
	*o = '\0';
	return out;
}

static void
template_derive(struct answers *a)
{
	char *name;

	if (*answers_get(a, F_TEMPLATE_NAME) != '\0' ||
	    *answers_get(a, F_TEMPLATE_DISPLAY_NAME) == '\0')
		return;
	name = derived_name(answers_get(a, F_TEMPLATE_DISPLAY_NAME));
	answers_put(a, F_TEMPLATE_NAME, name, a->src[F_TEMPLATE_DISPLAY_NAME]);
	free(name);
}

/* "DC=contoso,DC=com" from the server's DNS domain. */
static char *
domain_dn(const char *domain)
{
	struct buf b = {0};
	char *copy = xstrdup(*domain ? domain : "example.com"), *p = copy;
	char *label;

	while ((label = strsep(&p, ".")) != NULL)
		buf_addf(&b, "%sDC=%s", b.len ? "," : "", label);
	free(copy);
	return buf_steal(&b);
}

static void
runbook_template(struct buf *b, const struct answers *a)
{
	const char *name = answers_get(a, F_TEMPLATE_NAME);
	const char *display = answers_get(a, F_TEMPLATE_DISPLAY_NAME);

	buf_addf(b, "1. Certificate Templates console (certtmpl.msc): "
	    "duplicate 'User'.\n\n"
	    "   Compatibility:  Certification Authority and recipient "
	    "Windows Server 2008 R2\n                   or later "
	    "(a version 2 template or later).\n"
	    "   General:        display name '%s', template name '%s'.\n"
	    "                   Validity period: %lld days. Do NOT "
	    "publish in Active Directory.\n"
	    "   Request Handling: purpose '%s'.\n"
	    "   Cryptography:   minimum key size %lld.\n"
	    "   Subject Name:   'Supply in the request' (Intune sends the "
	    "subject).\n"
	    "   Extensions:     Application Policies must include Client "
	    "Authentication\n                   (1.3.6.1.5.5.7.3.2). Key "
	    "Usage: %s.\n", *display ? display : name, name,
	    answers_int(a, F_TEMPLATE_VALIDITY_DAYS),
	    purpose_of(a)->request_handling,
	    answers_int(a, F_TEMPLATE_KEY_SIZE), purpose_of(a)->key_usage);
	if (answers_bool(a, F_TEMPLATE_APPLE_DEVICES))
		buf_adds(b, "                   For iOS/macOS: clear 'Signature "
		    "is proof of origin (nonrepudiation)'.\n");
}

static void
runbook_security(struct buf *b, const struct answers *a,
    const struct host_facts *hf)
{
	const char *svc = answers_get(a, F_ACCOUNTS_NDES_SERVICE_ACCOUNT);
	char *dn = domain_dn(hf->domain);

	buf_addf(b, "   Security:       %s: Read and Enroll.\n"
	    "                   The admins who create Intune profiles: "
	    "Read.\n\n"
	    "   The same from a command line (run on a domain-joined "
	    "machine):\n"
	    "     dsacls \"CN=%s,CN=Certificate Templates,CN=Public Key "
	    "Services,CN=Services,CN=Configuration,%s\" /G \"%s:GR\"\n"
	    "     dsacls \"CN=%s,CN=Certificate Templates,CN=Public Key "
	    "Services,CN=Services,CN=Configuration,%s\" /G \"%s:CA;Enroll\"\n",
	    *svc ? svc : "the NDES service account",
	    answers_get(a, F_TEMPLATE_NAME), dn, svc,
	    answers_get(a, F_TEMPLATE_NAME), dn, svc);
	free(dn);
}

static void
runbook_ca(struct buf *b, const struct answers *a)
{
	const char *ca = answers_get(a, F_NDES_CA_CONFIG);

	buf_addf(b, "\n2. On the issuing CA (%s), publish the template:\n"
	    "     certutil -config \"%s\" -SetCATemplates +%s\n",
	    *ca ? ca : "see [ndes] ca_config", *ca ? ca : "CAhost\\CA Name",
	    answers_get(a, F_TEMPLATE_NAME));
	if (answers_bool(a, F_TEMPLATE_REQUESTER_VALIDITY))
		buf_adds(b, "\n3. Let Intune set the validity period "
		    "(requester_validity = yes):\n"
		    "     certutil -setreg Policy\\EditFlags "
		    "+EDITF_ATTRIBUTEENDDATE\n"
		    "     net stop certsvc && net start certsvc\n");
}

static char *
runbook_text(const struct answers *a, const struct host_facts *hf)
{
	struct buf b = {0};

	buf_addf(&b, "ndeswiz: CA runbook for the template '%s'\n"
	    "This is done on the CA by its administrator; ndeswiz cannot "
	    "apply it from here.\n\n", answers_get(a, F_TEMPLATE_NAME));
	runbook_template(&b, a);
	runbook_security(&b, a, hf);
	runbook_ca(&b, a);
	return buf_steal(&b);
}

static void
template_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	struct host_facts hf;
	char *text;

	if (!template_used(a) || *answers_get(a, F_TEMPLATE_NAME) == '\0')
		return;
	host_facts(h, &hf);
	text = runbook_text(a, &hf);
	if (plan_want(p, h, f, STEP, RES_FILE, RUNBOOK, NULL, text, 0,
	    "the template lives on the CA: these are the steps for its "
	    "administrator") >= 0 && h->ops->file_path != NULL)
		finding_add(f, SEV_OK, STEP, NULL, "runbook", "CA runbook: %s",
		    h->ops->file_path(h, RUNBOOK));
	free(text);
}

const struct step step_template = {
	.id = STEP,
	.title = "Certificate template",
	.section = "template",
	.validate = template_validate,
	.derive = template_derive,
	.plan = template_plan,
};
