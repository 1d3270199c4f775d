/* ndeswiz plan: the changes the answers still need, as a diff. */
#include "cmd.h"
#include "plan.h"
#include "secret.h"
#include "step.h"

#include <jansson.h>
#include <stdlib.h>

static void
print_json(const struct findings *f, const struct plan *p)
{
	char *fj = findings_to_json(f), *pj = plan_to_json(p);
	json_t *root = json_object();

	json_object_set_new(root, "findings", json_loads(fj, 0, NULL));
	json_object_set_new(root, "plan", json_loads(pj, 0, NULL));
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
	free(fj);
	free(pj);
}

static int
cmd_plan_exec(struct cmd_ctx *c)
{
	struct findings f = {0};
	struct plan p = {0};
	int rc = EXIT_OK;

	if (cmd_validate(c, &f) != SEV_ERROR)
		steps_plan(c->host, &c->answers, &p, &f);
	secrets_check(&c->answers, &p, 0, &f);
	if (findings_worst(&f) == SEV_ERROR)
		rc = EXIT_FINDINGS;
	if (c->json)
		print_json(&f, &p);
	else {
		cmd_print_findings(c, stderr, &f);
		if (rc == EXIT_OK)
			plan_print(stdout, &p, c->color);
		else
			fprintf(stderr, "No plan: fix the errors above "
			    "first.\n");
	}
	plan_free(&p);
	findings_free(&f);
	return rc;
}

const struct cmd_entry cmd_plan_entry = {
	.name = "plan",
	.usage = "[-a FILE] [-t DIR] [--json]",
	.summary = "print the changes the answers still need (a diff)",
	.flags = CMD_NEEDS_HOST,
	.exec = cmd_plan_exec,
};
