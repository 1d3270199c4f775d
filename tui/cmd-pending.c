/*
 * Commands whose modules have not landed yet. They exist so that the
 * command line is complete and says so plainly, instead of "unknown
 * command". Each moves to its own file when its module lands.
 */
#include "cmd.h"

static int
not_yet(const char *what)
{
	fprintf(stderr, "ndeswiz: %s is not part of this build yet\n", what);
	return EXIT_USAGE;
}

static int
cmd_check_exec(struct cmd_ctx *c)
{
	(void)c;
	return not_yet("the health check (ndeswiz check)");
}

static int
cmd_signin_exec(struct cmd_ctx *c)
{
	(void)c;
	return not_yet("sign-in (ndeswiz signin)");
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "[-a FILE] [--url URL] [--cacert FILE] [--timeout SEC] "
	    "[--json | --nagios]",
	.summary = "run the health check",
	.exec = cmd_check_exec,
};

const struct cmd_entry cmd_signin_entry = {
	.name = "signin",
	.usage = "[-a FILE] [--json]",
	.summary = "sign in and list the tenant's certificate connectors",
	.exec = cmd_signin_exec,
};
