/*
 * The command-line front end. Each command is one file exporting a
 * const struct cmd_entry (tmux's cmd-*.c is the model); main.c parses the
 * options once and dispatches.
 */
#ifndef NDESWIZ_CMD_H
#define NDESWIZ_CMD_H

#include <stdio.h>

#include "answers.h"
#include "finding.h"
#include "host/host.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1, /* validation or health errors */
	EXIT_USAGE = 2,    /* bad option or input; nothing changed */
	EXIT_APPLY = 3,    /* apply failed and was rolled back */
};

struct cmd_ctx {
	const char *answers_path;
	const char *target;
	const char *profile;
	const char *output;
	const char *url;
	const char *cacert;
	const char *clouds; /* --clouds FILE: the clouds table */
	int timeout;
	int yes, json, nagios, color, ascii, force;

	struct answers answers;
	struct host *host;
	int target_created;
};

#define CMD_NEEDS_HOST 0x1

struct cmd_entry {
	const char *name;
	const char *usage;   /* options after the name */
	const char *summary; /* one line for --help */
	int flags;
	/* Checks of the command line alone, before anything is opened or
	 * made: a usage error must not create a target. */
	int (*preflight)(struct cmd_ctx *);
	int (*exec)(struct cmd_ctx *);
};

extern const struct cmd_entry *const cmd_table[];

/*
 * Load the answers in their layers (defaults, host state, last answers,
 * the -a file) and open the target. The -a file is read first, so a bad
 * file stops the run before the target is touched. Returns an exit code.
 */
int cmd_prepare(struct cmd_ctx *, int needs_host);
void cmd_finish(struct cmd_ctx *);

/* Path of the saved last answers in the target's state folder. */
char *cmd_last_answers_path(struct cmd_ctx *);

/* Validate every step; print what is not ok. Returns worst severity. */
enum severity cmd_validate(struct cmd_ctx *, struct findings *);
void cmd_print_findings(struct cmd_ctx *, FILE *, const struct findings *);

#endif
