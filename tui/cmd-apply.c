/* ndeswiz apply: make the planned changes, journaled, undone on failure. */
#include "cmd.h"
#include "cli-out.h"
#include "journal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void
progress(void *arg, enum apply_event ev, size_t i, size_t n,
    const struct change *c, const char *err)
{
	static const char *const words[] = {
		[APPLY_DONE] = "done",
		[APPLY_FAILED] = "FAILED",
		[APPLY_UNDONE] = "undone",
	};
	char *title;

	(void)arg;
	if (ev == APPLY_START)
		return;
	title = change_title(c);
	printf("[%zu/%zu] %-6s %s%s%s\n", i + 1, n, words[ev], title,
	    err ? ": " : "", err ? err : "");
	free(title);
	fflush(stdout);
}

static int
save_last_answers(struct cmd_ctx *c)
{
	char err[1024];

	if (session_save_last(&c->s, err, sizeof err) == 0)
		return 0;
	cli_error("applied, but %s", err);
	return -1;
}

static int
cmd_apply_exec(struct cmd_ctx *c)
{
	struct apply_observer obs = { .event = progress };
	struct plan *p = &c->s.plan;
	char err[1024] = "", run[512];
	int rc = EXIT_OK, unfinished;

	/* Even with nothing left to do, a run that died half-way must be
	 * looked at first: its journal is the only record of it. */
	if ((unfinished = journal_unfinished(c->s.host, run, sizeof run))) {
		if (unfinished < 0)
			cli_error("%s; nothing was applied", run);
		else
			cli_error("the apply of run %s did not finish; run "
			    "'ndeswiz rollback' first, then apply again", run);
		return unfinished < 0 ? EXIT_USAGE : EXIT_FINDINGS;
	}
	c->s.ask_secrets = 1;
	session_evaluate(&c->s);
	cmd_print_findings(c, stderr, &c->s.findings);
	if (findings_worst(&c->s.findings) == SEV_ERROR) {
		cli_note("Nothing applied: fix the errors above first; "
		    "nothing was changed.\n");
		return EXIT_FINDINGS;
	}
	if (p->n == 0) {
		printf("No changes: the target already matches the "
		    "answers.\n");
		save_last_answers(c);
		return rc;
	}
	/* Keys and requests are made now, before the journal's first line:
	 * a failure here changes nothing. */
	if (plan_generate(p, err, sizeof err) != 0) {
		cli_error("%s; nothing was applied", err);
		return EXIT_APPLY;
	}
	switch (journal_apply(c->s.host, p, &obs, err, sizeof err)) {
	case APPLY_OK:
		printf("Applied %zu change%s.%s\n", p->n, p->n == 1 ? "" :
		    "s", plan_reboot_required(p) ? " Reboot the server for them "
		    "to take effect." : "");
		if (save_last_answers(c) != 0)
			rc = EXIT_FINDINGS;
		break;
	case APPLY_ROLLED_BACK:
		cli_error("apply failed: %s\nEvery change of this run was "
		    "undone.", err);
		rc = EXIT_APPLY;
		break;
	case APPLY_BROKEN:
		cli_error("apply failed: %s", err);
		rc = EXIT_APPLY;
		break;
	case APPLY_REFUSED:
		cli_error("%s\nNothing was applied.", err);
		rc = EXIT_FINDINGS;
		break;
	}
	return rc;
}

static int
cmd_apply_preflight(struct cmd_ctx *c)
{
	if (!c->yes) {
		cli_error("apply changes the target; add --yes to confirm "
		    "(or review it first with 'ndeswiz plan')");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

const struct cmd_entry cmd_apply_entry = {
	.name = "apply",
	.options = CLI_OPT(CLI_ANSWERS) | CLI_HOST_OPTIONS | CLI_OPT(CLI_YES),
	.summary = "apply the planned changes unattended",
	.flags = CMD_NEEDS_HOST,
	.preflight = cmd_apply_preflight,
	.exec = cmd_apply_exec,
};
