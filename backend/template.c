/*
 * The certificate template. It lives on the CA, not on
 * this server, so the plan cannot apply it: it writes a runbook for the CA
 * administrator into the target instead, and checks what can be checked
 * here. The MSCEP registry needs the template *name*; the registry step
 * owns that check when SCEP is on.
 *
 * Rules and their sources: README.md, "The steps" (the template row)
 * and "The CA runbook".
 */
#include "runbook.h"
#include "step.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEP "template"
#define RUNBOOK "ca-runbook.txt"
#define MIN_VALIDITY 5

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
	    "purpose '%s'", answers_get(a, F_TEMPLATE_PURPOSE));
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

static void
template_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	struct host_facts hf;
	char *text;

	if (!runbook_wanted(a) || (template_used(a) &&
	    *answers_get(a, F_TEMPLATE_NAME) == '\0'))
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
