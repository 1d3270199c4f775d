/* ndeswiz: option parsing and dispatch. */
#include "cli-out.h"
#include "cmd.h"
#include "lock.h"
#include "secret.h"

#include <getopt.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef VERSION
#define VERSION "0.1.0"
#endif

extern const struct cmd_entry cmd_plan_entry, cmd_apply_entry,
    cmd_check_entry, cmd_export_entry, cmd_rollback_entry, cmd_signin_entry,
    cmd_collect_entry, cmd_snapshot_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_plan_entry,
	&cmd_apply_entry,
	&cmd_check_entry,
	&cmd_export_entry,
	&cmd_rollback_entry,
	&cmd_signin_entry,
	&cmd_collect_entry,
	&cmd_snapshot_entry,
	NULL,
};

int wizard_main(struct cmd_ctx *);

/*
 * Every option once: its spelling, its help line and the bit a command's
 * .options names it by (cmd.h). The usage text is made from this table and
 * the commands' entries.
 */
struct cli_option {
	const char *name;
	int letter;        /* short form, or 0 */
	const char *arg;   /* its argument's name, or NULL */
	const char *help;
};

static const struct cli_option cli_options[CLI_OPT_COUNT] = {
	[CLI_ANSWERS] = { "answers", 'a', "FILE", "answer file to read" },
	[CLI_TARGET] = { "target", 't', "DIR", "offline target folder "
	    "(default ./" HOST_DEFAULT_TARGET ")" },
	[CLI_PROFILE] = { "profile", 0, "NAME", "host profile for a new "
	    "target (default " HOST_DEFAULT_PROFILE ")" },
	[CLI_FACT] = { "fact", 0, "KEY=VALUE", "a fact of the new target's "
	    "facts.ini (repeatable)" },
	[CLI_OUTPUT] = { "output", 'o', "FILE", "where export or collect "
	    "writes" },
	[CLI_YES] = { "yes", 'y', NULL, "confirm apply or rollback" },
	[CLI_FORCE] = { "force", 0, NULL, "rollback: restore what was "
	    "changed since the apply too; export: overwrite -o FILE" },
	[CLI_JSON] = { "json", 0, NULL, "machine-readable output" },
	[CLI_NAGIOS] = { "nagios", 0, NULL, "check: one status line, exit "
	    "0-3" },
	[CLI_URL] = { "url", 0, "URL", "check: probe this mscep.dll URL" },
	[CLI_CACERT] = { "cacert", 0, "FILE", "check, signin: trust these "
	    "CAs" },
	[CLI_TIMEOUT] = { "timeout", 0, "SEC", "check, signin: per-probe "
	    "timeout" },
	[CLI_CLOUDS] = { "clouds", 0, "FILE", "the clouds table (default "
	    "assets/clouds.ini)" },
	[CLI_DETAILED_EXITCODE] = { "detailed-exitcode", 0, NULL, "plan: "
	    "exit 4 when there are changes, 0 when none" },
	[CLI_NO_COLOR] = { "no-color", 0, NULL, "no colours (also "
	    "NO_COLOR)" },
	[CLI_ASCII] = { "ascii", 0, NULL, "ASCII line drawing" },
	[CLI_HELP] = { "help", 'h', NULL, "this text" },
	[CLI_VERSION] = { "version", 'V', NULL, "the version" },
};

/* What the wizard (no command) takes. */
#define WIZARD_OPTIONS (CLI_HOST_OPTIONS | CLI_CHECK_OPTIONS | \
    CLI_OPT(CLI_ANSWERS) | CLI_OPT(CLI_ASCII))
/* What every command takes. */
#define COMMON_OPTIONS (CLI_OPT(CLI_NO_COLOR) | CLI_OPT(CLI_HELP) | \
    CLI_OPT(CLI_VERSION))

static void
option_text(char *buf, size_t len, enum cli_opt o)
{
	const struct cli_option *x = &cli_options[o];

	if (x->letter != 0)
		snprintf(buf, len, "-%c, --%s%s%s", x->letter, x->name,
		    x->arg ? " " : "", x->arg ? x->arg : "");
	else
		snprintf(buf, len, "    --%s%s%s", x->name, x->arg ? " " : "",
		    x->arg ? x->arg : "");
}

/* "[-a FILE] [--json]": the options a command takes, from its mask,
 * wrapped under the summary. */
static void
command_usage(FILE *fp, unsigned mask)
{
	char opt[64], word[80];
	int col = 11;

	for (int o = 0; o < CLI_OPT_COUNT; o++) {
		if (!(mask & CLI_OPT(o)) || (COMMON_OPTIONS & CLI_OPT(o)))
			continue;
		option_text(opt, sizeof opt, o);
		/* "-a, --answers FILE" -> "-a FILE"; "    --json" -> "--json" */
		if (cli_options[o].letter != 0)
			snprintf(word, sizeof word, " [-%c%s%s]",
			    cli_options[o].letter, cli_options[o].arg ? " " : "",
			    cli_options[o].arg ? cli_options[o].arg : "");
		else
			snprintf(word, sizeof word, " [%s]", opt + 4);
		if (col + (int)strlen(word) > 78) {
			fputs("\n           ", fp);
			col = 11;
		}
		fputs(word, fp);
		col += (int)strlen(word);
	}
}

static void
usage(FILE *fp)
{
	char opt[64];

	fprintf(fp, "usage: ndeswiz [OPTIONS] [COMMAND]\n\n"
	    "Without a command: the interactive wizard.\n\nCommands:\n");
	for (size_t i = 0; cmd_table[i] != NULL; i++) {
		fprintf(fp, "  %-9s %s\n           ", cmd_table[i]->name,
		    cmd_table[i]->summary);
		command_usage(fp, cmd_table[i]->options);
		fputc('\n', fp);
	}
	fprintf(fp, "\nOptions:\n");
	for (int o = 0; o < CLI_OPT_COUNT; o++) {
		option_text(opt, sizeof opt, o);
		fprintf(fp, "  %-22s %s\n", opt, cli_options[o].help);
	}
	fprintf(fp, "\nAn option a command does not take is a usage error.\n"
	    "Exit: 0 ok, 1 errors found, 2 usage or input error (nothing "
	    "changed),\n3 apply failed and was rolled back (check --nagios: "
	    "3 UNKNOWN),\n4 plan --detailed-exitcode: changes pending.\n");
}

static struct option long_options[CLI_OPT_COUNT + 1];

static void
make_long_options(char *shorts, size_t len)
{
	size_t k = 0;

	shorts[k++] = '+';
	for (int o = 0; o < CLI_OPT_COUNT; o++) {
		const struct cli_option *x = &cli_options[o];

		long_options[o] = (struct option){ x->name,
		    x->arg ? required_argument : no_argument, NULL,
		    x->letter ? x->letter : 256 + o };
		if (x->letter != 0 && k + 3 < len) {
			shorts[k++] = (char)x->letter;
			if (x->arg)
				shorts[k++] = ':';
		}
	}
	shorts[k] = '\0';
}

static int
option_of(int ch)
{
	if (ch >= 256)
		return ch - 256;
	for (int o = 0; o < CLI_OPT_COUNT; o++)
		if (cli_options[o].letter == ch)
			return o;
	return -1;
}

static int
set_option(struct cmd_ctx *c, int o, const char *arg)
{
	char err[512];
	long long n;

	switch (o) {
	case CLI_ANSWERS: c->answers_path = arg; break;
	case CLI_TARGET: c->target = arg; break;
	case CLI_OUTPUT: c->output = arg; break;
	case CLI_YES: c->yes = 1; break;
	case CLI_JSON: c->json = 1; break;
	case CLI_NAGIOS: c->nagios = 1; break;
	case CLI_URL: c->url = arg; break;
	case CLI_CACERT: c->cacert = arg; break;
	case CLI_NO_COLOR: c->color = 0; break;
	case CLI_ASCII: c->ascii = 1; break;
	case CLI_PROFILE: c->profile = arg; break;
	case CLI_CLOUDS: c->clouds = arg; break;
	case CLI_FORCE: c->force = 1; break;
	case CLI_DETAILED_EXITCODE: c->detailed_exitcode = 1; break;
	case CLI_FACT:
		if (host_new_fact(arg, err, sizeof err) != 0) {
			cli_error("--fact: %s", err);
			return -1;
		}
		break;
	case CLI_TIMEOUT:
		if (str_to_long(arg, 1, 300, &n) != 0) {
			cli_error("--timeout: '%s' is not a number of "
			    "seconds from 1 to 300", arg);
			return -1;
		}
		c->timeout = (int)n;
		break;
	case CLI_HELP:
		usage(stdout);
		exit(EXIT_OK);
	case CLI_VERSION:
		printf("ndeswiz %s\n", VERSION);
		exit(EXIT_OK);
	}
	return 0;
}

/* Parse up to the command (or the end); the options seen go to *seen. */
static int
parse_options(struct cmd_ctx *c, int argc, char **argv, unsigned *seen)
{
	static char shorts[64];
	int ch, o;

	if (shorts[0] == '\0')
		make_long_options(shorts, sizeof shorts);
	while ((ch = getopt_long(argc, argv, shorts, long_options,
	    NULL)) != -1) {
		if ((o = option_of(ch)) < 0) {
			usage(stderr);
			return -1;
		}
		*seen |= CLI_OPT(o);
		if (set_option(c, o, optarg) != 0)
			return -1;
	}
	return 0;
}

/* A usage error for the first option seen that the command does not take;
 * under --nagios an UNKNOWN status line as well. */
static int
check_options(const struct cmd_ctx *c, const char *name, unsigned takes,
    unsigned seen)
{
	for (int o = 0; o < CLI_OPT_COUNT; o++) {
		if (!(seen & CLI_OPT(o)) || (takes & CLI_OPT(o)))
			continue;
		cli_error("%s does not take --%s", name, cli_options[o].name);
		if (c->nagios && (takes & CLI_OPT(CLI_NAGIOS))) {
			printf("NDES UNKNOWN - %s does not take --%s\n", name,
			    cli_options[o].name);
			return EXIT_NAGIOS_UNKNOWN;
		}
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static const struct cmd_entry *
find_command(const char *name)
{
	for (size_t i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	struct cmd_ctx c = { .color = 1 };
	const struct cmd_entry *cmd = NULL;
	unsigned seen = 0;
	int rc;

#ifdef _WIN32
	/* The ANSI code page's argv would lose C:\Données-Ω: UTF-8. */
	compat_utf8_args(&argc, &argv);
#endif
	setlocale(LC_ALL, "");
	secret_harden_process();
	if (getenv("NO_COLOR") != NULL && *getenv("NO_COLOR") != '\0')
		c.color = 0;
	/* Options go before or after the command: parse around it. */
	if (parse_options(&c, argc, argv, &seen) != 0)
		return EXIT_USAGE;
	if (optind < argc) {
		if ((cmd = find_command(argv[optind])) == NULL) {
			cli_error("unknown command '%s'", argv[optind]);
			usage(stderr);
			return EXIT_USAGE;
		}
		optind++;
		if (parse_options(&c, argc, argv, &seen) != 0)
			return EXIT_USAGE;
		if (optind < argc) {
			cli_error("unexpected argument '%s'", argv[optind]);
			return EXIT_USAGE;
		}
	}
	if ((rc = check_options(&c, cmd ? cmd->name : "the wizard",
	    cmd ? cmd->options | COMMON_OPTIONS :
	    WIZARD_OPTIONS | COMMON_OPTIONS, seen)) != EXIT_OK)
		return rc;
	if (!isatty(STDOUT_FILENO) && cmd != NULL)
		c.color = 0;
	state_lock_set_label(cmd ? cmd->name : "wizard");
	if (cmd == NULL)
		return wizard_main(&c);
	if (cmd->preflight != NULL && (rc = cmd->preflight(&c)) != EXIT_OK)
		return rc;
	rc = cmd_prepare(&c, cmd->flags);
	if (rc == EXIT_OK)
		rc = cmd->exec(&c);
	cmd_finish(&c);
	secret_forget();
	return rc;
}
