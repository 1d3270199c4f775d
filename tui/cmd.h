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
#include "session.h"
#include "host/host.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1, /* validation or health errors */
	EXIT_USAGE = 2,    /* bad option or input; nothing changed */
	EXIT_APPLY = 3,    /* apply failed and was rolled back */
	EXIT_NAGIOS_UNKNOWN = 3, /* check --nagios: UNKNOWN */
	EXIT_CHANGES = 4,  /* plan --detailed-exitcode: changes pending */
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
	int detailed_exitcode; /* plan: 4 when there are changes */

	/* The run: answers, target, findings, plan (backend/session.h). */
	struct session s;
};

/* The options (main.c's table); a command's .options has a bit for each
 * one it takes, and any other is a usage error. */
enum cli_opt {
	CLI_ANSWERS,
	CLI_TARGET,
	CLI_PROFILE,
	CLI_FACT,
	CLI_OUTPUT,
	CLI_YES,
	CLI_FORCE,
	CLI_JSON,
	CLI_NAGIOS,
	CLI_URL,
	CLI_CACERT,
	CLI_TIMEOUT,
	CLI_CLOUDS,
	CLI_DETAILED_EXITCODE,
	CLI_NO_COLOR,
	CLI_ASCII,
	CLI_HELP,
	CLI_VERSION,
	CLI_OPT_COUNT
};
#define CLI_OPT(o) (1u << (o))
/* A target to open or make (-t, and --profile/--fact for a new one). */
#define CLI_HOST_OPTIONS (CLI_OPT(CLI_TARGET) | CLI_OPT(CLI_PROFILE) | \
    CLI_OPT(CLI_FACT))
/* The health check's network options. */
#define CLI_CHECK_OPTIONS (CLI_OPT(CLI_URL) | CLI_OPT(CLI_CACERT) | \
    CLI_OPT(CLI_TIMEOUT) | CLI_OPT(CLI_CLOUDS))

#define CMD_NEEDS_HOST 0x1     /* open the target, make it when missing */
#define CMD_EXISTING_HOST 0x2  /* open the target only when it exists */

struct cmd_entry {
	const char *name;
	unsigned options;    /* CLI_OPT() of each option it takes */
	const char *summary; /* one line for --help */
	int flags;
	/* Checks of the command line alone, before anything is opened or
	 * made: a usage error must not create a target. */
	int (*preflight)(struct cmd_ctx *);
	int (*exec)(struct cmd_ctx *);
};

extern const struct cmd_entry *const cmd_table[];

/*
 * Open the run's session (answers in their layers, the target) for a
 * command's CMD_* flags; prints why not. Returns an exit code.
 */
int cmd_prepare(struct cmd_ctx *, int flags);
/* The same, the error left in err instead of printed (the wizard shows
 * its first frame first, and prints once the screen is given back). */
int cmd_prepare_quiet(struct cmd_ctx *, int flags, char *err, size_t len);
void cmd_finish(struct cmd_ctx *);

/* cmd-check.c: run the health check to its end with the context's
 * options and host; NULL + err when it cannot start. Then its --json
 * document, the steps' host inspection among its rows (caller frees). */
struct check_run;
struct check_run *cmd_check_run(struct cmd_ctx *, char *err, size_t len);
char *cmd_check_json(struct cmd_ctx *, struct check_run *);
/* cmd-plan.c: plan --json's document (caller frees). */
struct plan;
char *cmd_plan_json(const struct findings *, const struct plan *);

/* Print what is not ok. */
void cmd_print_findings(struct cmd_ctx *, FILE *, const struct findings *);

#endif
