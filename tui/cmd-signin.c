/* ndeswiz signin: device-code sign-in and the tenant's connectors. Until
 * checks/signin.c lands the command says so plainly. */
#include "cmd.h"

static int
cmd_signin_exec(struct cmd_ctx *c)
{
	(void)c;
	fprintf(stderr, "ndeswiz: sign-in is not part of this build yet\n");
	return EXIT_USAGE;
}

const struct cmd_entry cmd_signin_entry = {
	.name = "signin",
	.usage = "[-a FILE] [--json]",
	.summary = "sign in and list the tenant's certificate connectors",
	.exec = cmd_signin_exec,
};
