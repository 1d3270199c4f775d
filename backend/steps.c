/* The step table: wizard order, and the loops every front end uses. */
#include "step.h"

#include <string.h>

extern const struct step step_prereqs, step_accounts, step_template,
    step_ndes, step_registry, step_binding, step_proxy, step_connector;

/* Wizard order: the order of the install documentation. Sign-in has no
 * step of its own here: it changes nothing on the server. */
const struct step *const steps[] = {
	&step_prereqs,
	&step_accounts,
	&step_template,
	&step_ndes,
	&step_registry,
	&step_binding,
	&step_proxy,
	&step_connector,
	NULL,
};


void
steps_validate(const struct answers *a, struct findings *f)
{
	for (size_t i = 0; steps[i] != NULL; i++)
		if (steps[i]->validate != NULL)
			steps[i]->validate(a, f);
}

void
steps_inspect(struct host *h, const struct answers *a, struct findings *f)
{
	for (size_t i = 0; steps[i] != NULL; i++)
		if (steps[i]->inspect != NULL)
			steps[i]->inspect(h, a, f);
}

void
steps_prefill(struct host *h, struct answers *a)
{
	for (size_t i = 0; steps[i] != NULL; i++)
		if (steps[i]->prefill != NULL)
			steps[i]->prefill(h, a);
}

void
steps_derive(struct answers *a)
{
	for (size_t i = 0; steps[i] != NULL; i++)
		if (steps[i]->derive != NULL)
			steps[i]->derive(a);
}

void
steps_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	for (size_t i = 0; steps[i] != NULL; i++)
		if (steps[i]->plan != NULL)
			steps[i]->plan(h, a, p, f);
	/* A read some step shrugged off (prefill included) means the plan
	 * may rest on a guess: no apply from it. */
	if (host_read_error(h) != NULL &&
	    findings_find(f, "host.read-failed") == NULL)
		finding_hint(finding_add(f, SEV_ERROR, "plan", NULL,
		    "host.read-failed", "%s", host_read_error(h)),
		    "Check that the target is readable and not damaged.");
}
