/* ndeswiz check: the health check. The probes arrive with checks/; until
 * then the command says so plainly. */
#include "cmd.h"

static int
cmd_check_exec(struct cmd_ctx *c)
{
	(void)c;
	fprintf(stderr, "ndeswiz: the health check is not part of this build "
	    "yet\n");
	return EXIT_USAGE;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "[-a FILE] [--url URL] [--cacert FILE] [--timeout SEC] "
	    "[--json | --nagios]",
	.summary = "run the health check",
	.exec = cmd_check_exec,
};
