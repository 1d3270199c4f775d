/* ndeswiz: option parsing and dispatch. */
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

enum {
	OPT_JSON = 256,
	OPT_NAGIOS,
	OPT_URL,
	OPT_CACERT,
	OPT_TIMEOUT,
	OPT_NO_COLOR,
	OPT_ASCII,
	OPT_PROFILE,
	OPT_CLOUDS,
	OPT_FACT,
	OPT_FORCE,
};

static const struct option long_options[] = {
	{ "answers", required_argument, NULL, 'a' },
	{ "target", required_argument, NULL, 't' },
	{ "output", required_argument, NULL, 'o' },
	{ "yes", no_argument, NULL, 'y' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "nagios", no_argument, NULL, OPT_NAGIOS },
	{ "url", required_argument, NULL, OPT_URL },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "clouds", required_argument, NULL, OPT_CLOUDS },
	{ "fact", required_argument, NULL, OPT_FACT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ndeswiz [OPTIONS] [COMMAND]\n\n"
	    "Without a command: the interactive wizard.\n\nCommands:\n");
	for (size_t i = 0; cmd_table[i] != NULL; i++)
		fprintf(fp, "  %-9s %s\n", cmd_table[i]->name,
		    cmd_table[i]->summary);
	fprintf(fp, "\nOptions:\n"
	    "  -a, --answers FILE   answer file to read\n"
	    "  -t, --target DIR     offline target folder (default "
	    "./" HOST_DEFAULT_TARGET ")\n"
	    "      --profile NAME   host profile for a new target (default "
	    HOST_DEFAULT_PROFILE ")\n"
	    "      --fact KEY=VALUE a fact of the new target's facts.ini "
	    "(repeatable)\n"
	    "  -o, --output FILE    where export writes\n"
	    "  -y, --yes            confirm apply or rollback\n"
	    "      --force          rollback: restore what was changed since "
	    "the apply too\n"
	    "      --json           machine-readable output\n"
	    "      --nagios         check: one status line, exit 0-3\n"
	    "      --url URL        check: probe this mscep.dll URL\n"
	    "      --cacert FILE    check: trust these CAs\n"
	    "      --timeout SEC    check: per-probe timeout\n"
	    "      --clouds FILE    the clouds table (default "
	    "assets/clouds.ini)\n"
	    "      --no-color       no colours (also NO_COLOR)\n"
	    "      --ascii          ASCII line drawing\n"
	    "  -h, --help           this text\n"
	    "  -V, --version        the version\n\n"
	    "Exit: 0 ok, 1 errors found, 2 usage or input error (nothing "
	    "changed),\n3 apply failed and was rolled back.\n");
}

static int
parse_options(struct cmd_ctx *c, int argc, char **argv)
{
	char err[512];
	long long n;
	int ch;

	while ((ch = getopt_long(argc, argv, "+a:t:o:yhV", long_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'a': c->answers_path = optarg; break;
		case 't': c->target = optarg; break;
		case 'o': c->output = optarg; break;
		case 'y': c->yes = 1; break;
		case OPT_JSON: c->json = 1; break;
		case OPT_NAGIOS: c->nagios = 1; break;
		case OPT_URL: c->url = optarg; break;
		case OPT_CACERT: c->cacert = optarg; break;
		case OPT_NO_COLOR: c->color = 0; break;
		case OPT_ASCII: c->ascii = 1; break;
		case OPT_PROFILE: c->profile = optarg; break;
		case OPT_CLOUDS: c->clouds = optarg; break;
		case OPT_FACT:
			if (host_new_fact(optarg, err, sizeof err) != 0) {
				fprintf(stderr, "ndeswiz: --fact: %s\n", err);
				return -1;
			}
			break;
		case OPT_FORCE: c->force = 1; break;
		case OPT_TIMEOUT:
			if (str_to_long(optarg, 1, 300, &n) != 0) {
				fprintf(stderr, "ndeswiz: --timeout: '%s' is "
				    "not a number of seconds from 1 to 300\n",
				    optarg);
				return -1;
			}
			c->timeout = (int)n;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case 'V':
			printf("ndeswiz %s\n", VERSION);
			exit(EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	return 0;
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
	int rc;

	setlocale(LC_ALL, "");
	secret_harden_process();
	if (getenv("NO_COLOR") != NULL && *getenv("NO_COLOR") != '\0')
		c.color = 0;
	/* Options go before or after the command: parse around it. */
	if (parse_options(&c, argc, argv) != 0)
		return EXIT_USAGE;
	if (optind < argc) {
		if ((cmd = find_command(argv[optind])) == NULL) {
			fprintf(stderr, "ndeswiz: unknown command '%s'\n",
			    argv[optind]);
			usage(stderr);
			return EXIT_USAGE;
		}
		optind++;
		if (parse_options(&c, argc, argv) != 0)
			return EXIT_USAGE;
		if (optind < argc) {
			fprintf(stderr, "ndeswiz: unexpected argument '%s'\n",
			    argv[optind]);
			return EXIT_USAGE;
		}
	}
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
