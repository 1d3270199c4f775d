/*
 * ndeswiz signin: device-code sign-in, who signed in, and the tenant's
 * certificate connectors with this machine's row marked.
 *
 * The prompt and the countdown go to standard error, as the Azure CLI
 * does, so they reach the admin even when the result (the table, or
 * --json) is redirected.
 */
#include "cmd.h"
#include "cli-out.h"
#include "jsonutil.h"
#include "signin-json.h"
#include "signin.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SIGNIN_STEP_MS 250 /* how often the countdown line is redrawn */
#define COLUMN_MAX 40

static volatile sig_atomic_t signin_interrupted;

static void
signin_on_signal(int sig)
{
	(void)sig;
	signin_interrupted = 1;
}

/* Ctrl-C cancels cleanly: the token is wiped and the findings say so. */
static void
signin_catch(struct sigaction *old_int, struct sigaction *old_term)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = signin_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, old_int);
	sigaction(SIGTERM, &sa, old_term);
}

/* The name the connector registered is the server's: [binding] fqdn when
 * given, else the host name. */
static char *
signin_machine(struct cmd_ctx *c)
{
	const char *fqdn = answers_get(&c->s.answers, F_BINDING_FQDN);
	char host[256];

	if (*fqdn != '\0')
		return xstrdup(fqdn);
	if (gethostname(host, sizeof host) != 0)
		return NULL;
	host[sizeof host - 1] = '\0';
	return xstrdup(host);
}

struct waiter {
	int tty;        /* redraw one countdown line */
	int shown;      /* the prompt was printed */
	int interval;   /* last interval shown */
	long left;      /* last seconds shown */
	int line;       /* a countdown line is on screen */
};

static void
wait_prompt(struct waiter *w, const struct signin_prompt *p)
{
	cli_note("\n%s\n\n  code: %s\n  page: %s\n\n", p->message, p->user_code,
	    p->verification_uri);
	if (!w->tty)
		cli_note("Waiting for the sign-in: the code expires in "
		    "%ld:%02ld; checking every %d s.\n",
		    (long)(p->expires_at - time(NULL)) / 60,
		    (long)(p->expires_at - time(NULL)) % 60, p->interval);
	w->interval = p->interval;
	w->shown = 1;
}

static void
wait_show(struct waiter *w, const struct signin_run *run)
{
	const struct signin_prompt *p = signin_prompt(run);
	long left;

	if (p == NULL)
		return;
	if (!w->shown)
		wait_prompt(w, p);
	if (signin_state(run) != SIGNIN_WAITING) {
		if (w->line)
			cli_progress("%s", "");
		w->line = 0;
		return;
	}
	left = (long)(p->expires_at - time(NULL));
	if (left < 0)
		left = 0;
	if (w->tty && (left != w->left || p->interval != w->interval)) {
		cli_progress("  Waiting for the sign-in: %ld:%02ld left "
		    "(checking every %d s)", left / 60, left % 60,
		    p->interval);
		w->line = 1;
	} else if (!w->tty && p->interval != w->interval)
		cli_note("The server asked to slow down: checking every %d "
		    "s.\n", p->interval);
	w->left = left;
	w->interval = p->interval;
}

/* --- the connector table ------------------------------------------ */

static const char *
cell_text(const char *s)
{
	return s != NULL && *s != '\0' ? s : "-";
}

/* At most COLUMN_MAX bytes, never cutting a UTF-8 sequence. */
static int
cell_len(const char *s)
{
	size_t n = strlen(s);

	if (n <= COLUMN_MAX)
		return (int)n;
	n = COLUMN_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

/* "2024-05-01 10:20 UTC (3 h ago)" */
static void
when_text(const char *iso, char *out, size_t len)
{
	time_t t, age;
	struct tm tm;
	char day[32];

	if (sj_time_parse(iso, &t) != 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(out, len, "%s", cell_text(iso));
		return;
	}
	strftime(day, sizeof day, "%Y-%m-%d %H:%M UTC", &tm);
	age = time(NULL) - t;
	if (age < 0)
		snprintf(out, len, "%s", day);
	else if (age < 3600)
		snprintf(out, len, "%s (%lld min ago)", day,
		    (long long)age / 60);
	else if (age < 2 * 86400)
		snprintf(out, len, "%s (%lld h ago)", day,
		    (long long)age / 3600);
	else
		snprintf(out, len, "%s (%lld d ago)", day,
		    (long long)age / 86400);
}

enum { COL_NAME, COL_MACHINE, COL_STATE, COL_VERSION, COL__COUNT };

static const char *const col_titles[COL__COUNT] = {
	"NAME", "MACHINE", "STATE", "VERSION",
};

static const char *
col_value(const struct ndes_connector *x, int col)
{
	const char *const v[COL__COUNT] = {
		x->display_name, x->machine_name, x->state, x->version,
	};

	return cell_text(v[col]);
}

static void
table_row(FILE *fp, const int *width, const char *mark,
    const char *const *cells, const char *last)
{
	fprintf(fp, "%s", mark);
	for (int k = 0; k < COL__COUNT; k++)
		fprintf(fp, " %-*.*s ", width[k], cell_len(cells[k]),
		    cells[k]);
	fprintf(fp, " %s\n", last);
}

static void
print_table(FILE *fp, const struct signin_run *run, const char *machine)
{
	size_t n = signin_connector_count(run);
	int width[COL__COUNT], mine = 0;
	const char *cells[COL__COUNT];
	char when[96];

	fprintf(fp, "\nCertificate connectors in the tenant: %zu\n", n);
	if (n == 0)
		return;
	for (int k = 0; k < COL__COUNT; k++)
		width[k] = (int)strlen(col_titles[k]);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < COL__COUNT; k++) {
			int l = cell_len(col_value(signin_connector(run, i),
			    k));

			if (l > width[k])
				width[k] = l;
		}
	table_row(fp, width, " ", col_titles, "LAST CONNECTION");
	for (size_t i = 0; i < n; i++) {
		const struct ndes_connector *x = signin_connector(run, i);

		for (int k = 0; k < COL__COUNT; k++)
			cells[k] = col_value(x, k);
		when_text(x->last_connection, when, sizeof when);
		table_row(fp, width, x->this_machine ? "*" : " ", cells,
		    when);
		mine += x->this_machine;
	}
	if (mine > 0)
		fprintf(fp, "(* this machine: %s)\n", machine);
}

/* --- --json ------------------------------------------------------- */

static const char *const state_names[] = {
	[SIGNIN_REQUESTING] = "requesting",
	[SIGNIN_WAITING] = "waiting",
	[SIGNIN_FETCHING] = "fetching",
	[SIGNIN_DONE] = "done",
	[SIGNIN_FAILED] = "failed",
	[SIGNIN_CANCELLED] = "cancelled",
};

static json_t *
json_prompt(const struct signin_prompt *p)
{
	json_t *o;
	struct tm tm;
	char when[32];

	if (p == NULL)
		return json_null();
	gmtime_r(&p->expires_at, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_object();
	json_object_set_new(o, "user_code", json_text(p->user_code));
	json_object_set_new(o, "verification_uri",
	    json_text(p->verification_uri));
	json_object_set_new(o, "message", json_text(p->message));
	json_object_set_new(o, "expires_at", json_string(when));
	json_object_set_new(o, "interval", json_integer(p->interval));
	return o;
}

static json_t *
json_connector(const struct ndes_connector *x)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_text(x->id));
	json_object_set_new(o, "display_name", json_text(x->display_name));
	json_object_set_new(o, "machine_name", json_text(x->machine_name));
	json_object_set_new(o, "state", json_text(x->state));
	json_object_set_new(o, "version", json_text(x->version));
	json_object_set_new(o, "last_connection",
	    json_text(x->last_connection));
	json_object_set_new(o, "this_machine",
	    json_boolean(x->this_machine));
	return o;
}

static void
print_json(const struct signin_run *run, const char *machine)
{
	json_t *root = json_object(), *list = json_array();
	char *fj = findings_to_json(signin_findings(run));

	json_object_set_new(root, "state",
	    json_string(state_names[signin_state(run)]));
	json_object_set_new(root, "user", json_text(signin_user(run)));
	json_object_set_new(root, "machine", json_text(machine));
	json_object_set_new(root, "prompt", json_prompt(signin_prompt(run)));
	for (size_t i = 0; i < signin_connector_count(run); i++)
		json_array_append_new(list,
		    json_connector(signin_connector(run, i)));
	json_object_set_new(root, "connectors", list);
	json_object_set_new(root, "findings", json_loads(fj, 0, NULL));
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
	free(fj);
}

/* --- the command -------------------------------------------------- */

static void
signin_wait(struct signin_run *run)
{
	struct sigaction old_int, old_term;
	struct waiter w = { .tty = isatty(STDERR_FILENO), .left = -1 };

	signin_interrupted = 0;
	signin_catch(&old_int, &old_term);
	while (signin_poll(run, SIGNIN_STEP_MS)) {
		if (signin_interrupted)
			signin_cancel(run);
		wait_show(&w, run);
	}
	wait_show(&w, run);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
}

static int
cmd_signin_exec(struct cmd_ctx *c)
{
	struct signin_options o = { .clouds_file = c->clouds,
	    .cacert = c->cacert };
	struct signin_run *run;
	char err[1024], *machine = signin_machine(c);
	int rc;

	o.machine = machine;
	if ((run = signin_start(&c->s.answers, &o, err, sizeof err)) == NULL) {
		cli_error("%s", err);
		free(machine);
		return EXIT_USAGE;
	}
	if (c->timeout > 0)
		signin_set_timeout(run, c->timeout);
	cli_note("Signing in to the %s cloud, tenant %s.\n",
	    answers_get(&c->s.answers, F_SIGNIN_CLOUD),
	    *answers_get(&c->s.answers, F_SIGNIN_TENANT) != '\0' ? answers_get(&c->s.answers, F_SIGNIN_TENANT) :
	    "(any)");
	signin_wait(run);
	rc = signin_state(run) == SIGNIN_DONE &&
	    findings_worst(signin_findings(run)) != SEV_ERROR ?
	    EXIT_OK : EXIT_FINDINGS;
	if (c->json)
		print_json(run, machine);
	else {
		if (signin_user(run) != NULL)
			printf("Signed in as %s\n", signin_user(run));
		if (signin_state(run) == SIGNIN_DONE)
			print_table(stdout, run, machine);
		fflush(stdout);
		cmd_print_findings(c, stderr, signin_findings(run));
	}
	signin_free(run);
	free(machine);
	return rc;
}

const struct cmd_entry cmd_signin_entry = {
	.name = "signin",
	.options = CLI_OPT(CLI_ANSWERS) | CLI_OPT(CLI_JSON) | CLI_OPT(CLI_CLOUDS) |
	    CLI_OPT(CLI_CACERT) | CLI_OPT(CLI_TIMEOUT),
	.summary = "sign in and list the tenant's certificate connectors",
	.exec = cmd_signin_exec,
};
