/* ndeswiz export: write an answer file (0600, atomic, no secrets). */
#include "cmd.h"
#include "cli-out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
cmd_export_preflight(struct cmd_ctx *c)
{
	if (c->output == NULL || strcmp(c->output, "-") == 0) {
		cli_error("export needs -o FILE (it is not written to "
		    "standard output, so that it always gets mode 0600)");
		return EXIT_USAGE;
	}
	/* An answer file is work: replacing one takes a word from the
	 * admin. */
	if (!c->force && access(c->output, F_OK) == 0) {
		cli_error("%s exists; export does not overwrite it without "
		    "--force (nothing was written)", c->output);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int
cmd_export_exec(struct cmd_ctx *c)
{
	const struct findings *f = &c->s.findings;

	if (answerfile_save(&c->s.answers, c->output) != 0) {
		cli_error("cannot write %s: %s (nothing was changed)",
		    c->output, strerror(errno));
		return EXIT_USAGE;
	}
	session_validate(&c->s);
	if (c->json) {
		char *s = findings_to_json(f);

		printf("%s\n", s);
		free(s);
	} else {
		cmd_print_findings(c, stderr, f);
		printf("Wrote %s (mode 0600; secrets only as env:, file: or "
		    "prompt references).\n", c->output);
	}
	return EXIT_OK;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.options = CLI_OPT(CLI_ANSWERS) | CLI_HOST_OPTIONS | CLI_OPT(CLI_OUTPUT) |
	    CLI_OPT(CLI_FORCE) | CLI_OPT(CLI_JSON),
	.summary = "write an answer file from the last answers and the target",
	.flags = CMD_NEEDS_HOST,
	.preflight = cmd_export_preflight,
	.exec = cmd_export_exec,
};
