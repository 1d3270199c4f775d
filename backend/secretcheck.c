/*
 * Secrets resolved at plan time: a reference the plan will need (a typo
 * in env:NAME, a file: of the wrong owner) stops plan, Review and apply
 * before anything changes, instead of failing at the role install after
 * the features are in.
 */
#include "secret.h"
#include "answers.h"
#include "fields.h"
#include "plan.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does a change of the plan carry <ref> (a value the driver resolves when
 * it makes the change)? */
static int
plan_needs(const struct plan *p, const char *ref)
{
	char *tag = xasprintf("<%s>", ref);
	int found = 0;

	for (size_t i = 0; i < p->n && !found; i++)
		found = p->v[i].new != NULL && strstr(p->v[i].new, tag) != NULL;
	free(tag);
	return found;
}

void
secrets_check(const struct answers *a, const struct plan *p, int ask,
    struct findings *f)
{
	for (int id = 0; id < F__COUNT; id++) {
		const struct field *fd = &fields_table[id];
		const char *ref = answers_get(a, (enum field_id)id);
		struct secret s;
		char why[512];

		if (!(fd->flags & FF_SECRET) || *ref == '\0' ||
		    !plan_needs(p, ref))
			continue;
		/* "prompt" is asked before apply starts, not by plan. */
		if (strcmp(ref, "prompt") == 0 && !ask)
			continue;
		if (secret_resolve(ref, fd->label, &s, why, sizeof why) != 0)
			finding_hint(finding_add(f, SEV_ERROR, fd->section,
			    field_name((enum field_id)id), "secret-unresolved",
			    "%s", why),
			    "fix the reference, then plan again");
		else if (s.len == 0)
			finding_hint(finding_add(f, SEV_ERROR, fd->section,
			    field_name((enum field_id)id), "secret-empty",
			    "%s resolves to an empty secret", ref),
			    "put the secret in it, then plan again");
		secret_wipe(&s);
	}
}
