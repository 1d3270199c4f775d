/*
 * ndeswiz snapshot -o DIR: the machine's state, as the steps read it, as a
 * new dir target (backend/host/snapshot.c), so that a support engineer or
 * a change board can plan on it anywhere. No private key and no secret is
 * written: certificates keep their public part.
 */
#include "cli-out.h"
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
cmd_snapshot_preflight(struct cmd_ctx *c)
{
	struct stat st;

	if (c->output == NULL || strcmp(c->output, "-") == 0) {
		cli_error("snapshot needs -o DIR, a new folder for the "
		    "snapshot target");
		return EXIT_USAGE;
	}
	if (lstat(c->output, &st) == 0) {
		cli_error("snapshot: %s exists; a snapshot makes a new folder "
		    "(give another -o, or move it away); nothing was written",
		    c->output);
		return EXIT_USAGE;
	}
#ifndef _WIN32
	/* On the server the machine itself is the source. */
	if (!dir_exists(c->target ? c->target : HOST_DEFAULT_TARGET)) {
		cli_error("snapshot: %s: no such target folder (give -t DIR; "
		    "snapshot makes none)",
		    c->target ? c->target : HOST_DEFAULT_TARGET);
		return EXIT_USAGE;
	}
#endif
	return EXIT_OK;
}

static int
cmd_snapshot_exec(struct cmd_ctx *c)
{
	char err[2048];
	long n = session_snapshot(&c->s, c->output, err, sizeof err);

	if (n < 0) {
		cli_error("snapshot: %s (nothing was written)", err);
		return EXIT_USAGE;
	}
	printf("Wrote %s: %ld resources of %s, private keys not "
	    "exported. Plan on it with: ndeswiz plan -t %s\n", c->output, n,
	    c->s.host->where, c->output);
	return EXIT_OK;
}

const struct cmd_entry cmd_snapshot_entry = {
	.name = "snapshot",
	.options = CLI_OPT(CLI_OUTPUT) | CLI_OPT(CLI_ANSWERS) |
	    CLI_OPT(CLI_TARGET),
	.summary = "copy the machine's state as the steps read it into a new "
	    "target folder (no private keys)",
	.flags = CMD_EXISTING_HOST,
	.preflight = cmd_snapshot_preflight,
	.exec = cmd_snapshot_exec,
};
