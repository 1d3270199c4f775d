/* ndeswiz plan: the changes the answers still need, as a diff. */
#include "cmd.h"
#include "cli-out.h"
#include "plan.h"

#include <jansson.h>
#include <stdlib.h>

char *
cmd_plan_json(const struct findings *f, const struct plan *p)
{
	char *fj = findings_to_json(f), *pj = plan_to_json(p), *s;
	json_t *root = json_object();

	json_object_set_new(root, "findings", json_loads(fj, 0, NULL));
	json_object_set_new(root, "plan", json_loads(pj, 0, NULL));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	free(fj);
	free(pj);
	return s;
}

static void
print_json(const struct findings *f, const struct plan *p)
{
	char *s = cmd_plan_json(f, p);

	printf("%s\n", s);
	free(s);
}

static int
cmd_plan_exec(struct cmd_ctx *c)
{
	int rc = EXIT_OK;

	if (session_evaluate(&c->s) == SEV_ERROR)
		rc = EXIT_FINDINGS;
	if (c->json)
		print_json(&c->s.findings, &c->s.plan);
	else {
		cmd_print_findings(c, stderr, &c->s.findings);
		if (rc == EXIT_OK)
			plan_print(stdout, &c->s.plan, c->color);
		else
			cli_note("No plan: fix the errors above first; "
			    "nothing was changed.\n");
	}
	/* For scripts (terraform's convention): is there anything to do? */
	if (rc == EXIT_OK && c->detailed_exitcode && c->s.plan.n > 0)
		rc = EXIT_CHANGES;
	return rc;
}

const struct cmd_entry cmd_plan_entry = {
	.name = "plan",
	.options = CLI_OPT(CLI_ANSWERS) | CLI_HOST_OPTIONS | CLI_OPT(CLI_JSON) |
	    CLI_OPT(CLI_DETAILED_EXITCODE),
	.summary = "print the changes the answers still need (a diff)",
	.flags = CMD_NEEDS_HOST,
	.exec = cmd_plan_exec,
};
