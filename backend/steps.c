/* The step table: wizard order, and the loops every front end uses. */
#include "step.h"

#include <string.h>

extern const struct step step_registry;

const struct step *const steps[] = {
	&step_registry,
	NULL,
};

const struct step *
step_find(const char *id)
{
	for (size_t i = 0; steps[i] != NULL; i++)
		if (strcmp(steps[i]->id, id) == 0)
			return steps[i];
	return NULL;
}

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
steps_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	for (size_t i = 0; steps[i] != NULL; i++)
		if (steps[i]->plan != NULL)
			steps[i]->plan(h, a, p, f);
}

int
answers_want_scep(const struct answers *a)
{
	return answers_list_has(a, F_PREREQS_SCENARIOS, "scep");
}
