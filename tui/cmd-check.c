/*
 * ndeswiz check: the health check, for people (text), for scripts
 * (--json) and for monitoring (--nagios, the plugin convention).
 *
 * It needs no target: the answers come from -a. When a target folder
 * exists already (-t DIR, or the default one), the answers saved by its
 * last apply lie under the -a file, so "check" right after "apply" probes
 * what was applied. A missing default target is fine and is never made:
 * a check changes nothing.
 */
#include "cmd.h"
#include "cli-out.h"
#include "checks.h"
#include "jsonutil.h"
#include "sanitize.h"
#include "step.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define POLL_MS 200

enum nagios_status {
	NAGIOS_OK,
	NAGIOS_WARNING,
	NAGIOS_CRITICAL,
	NAGIOS_UNKNOWN,
};

static const char *const nagios_names[] = {
	[NAGIOS_OK] = "OK",
	[NAGIOS_WARNING] = "WARNING",
	[NAGIOS_CRITICAL] = "CRITICAL",
	[NAGIOS_UNKNOWN] = "UNKNOWN",
};

/* A run that cannot start: usage (2), or UNKNOWN (3) for Nagios. */
static int
cannot_run(struct cmd_ctx *c, const char *why)
{
	char *safe = sanitize(why, c->nagios ? SAN_NAGIOS : 0);

	if (c->nagios)
		printf("NDES %s - %s\n", nagios_names[NAGIOS_UNKNOWN], safe);
	else
		cli_error("check: %s", safe);
	free(safe);
	return c->nagios ? NAGIOS_UNKNOWN : EXIT_USAGE;
}

static int
cmd_check_preflight(struct cmd_ctx *c)
{
	struct answers a;
	char err[1024];
	int bad;

	if (c->json && c->nagios)
		return cannot_run(c, "--json and --nagios exclude each other");
	if (c->target != NULL && !dir_exists(c->target)) {
		snprintf(err, sizeof err, "%s: no such target folder (check "
		    "makes none)", c->target);
		return cannot_run(c, err);
	}
	/* A monitoring system reads exit 2 as CRITICAL: a broken answer
	 * file must be UNKNOWN, so look at it before the common code. */
	if (c->nagios && c->answers_path != NULL) {
		answers_init(&a);
		bad = answerfile_load(&a, c->answers_path, err, sizeof err);
		answers_free(&a);
		if (bad)
			return cannot_run(c, err);
	}
	return EXIT_OK;
}

/* The answers in their layers, over the target when one exists (a check
 * makes none): "check" right after "apply" probes what was applied. */
static int
open_existing_target(struct cmd_ctx *c, char *err, size_t len)
{
	struct session_opts o = {
		.answers_path = c->answers_path,
		.target = c->target,
		.host = SESSION_HOST_EXISTING,
	};

	session_close(&c->s);
	if (session_open(&c->s, &o, err, len) == 0)
		return 0;
#ifdef _WIN32
	/* On the server the machine itself is the host (its event logs,
	 * its state folder); a check that cannot open it still probes
	 * what it can. */
	if (c->target == NULL) {
		o.host = SESSION_NO_HOST;
		session_close(&c->s);
		return session_open(&c->s, &o, err, len);
	}
#endif
	return -1;
}

/*
 * One row of the table: a probe of the check run, or the host inspection
 * of one step (its findings, its state from the worst of them).
 */
struct row {
	const char *name, *title, *source;
	enum probe_state state;
	double seconds;
	const struct findings *f;
};

struct table {
	struct row *v;
	size_t n;
	size_t count[PROBE_SKIPPED + 1];
	struct findings inspect;	/* every step's, in step order */
	struct findings *bystep;	/* one per step, borrowed strings */
};

/* The overall verdict, in the words the public validators use. */
static const char *
verdict(const struct table *t)
{
	if (t->count[PROBE_FAIL])
		return "FAIL";
	return t->count[PROBE_WARN] ? "PASS-WITH-WARNINGS" : "PASS";
}

/* Outside text (server answers, event messages) on one terminal line. */
static void
print_clean(const char *fmt, const char *s)
{
	char *clean = sanitize(s, SAN_LINE);

	printf(fmt, clean);
	free(clean);
}

static void
table_add(struct table *t, const struct row *r)
{
	t->v = xreallocarray(t->v, t->n + 1, sizeof *t->v);
	t->v[t->n++] = *r;
	t->count[r->state]++;
}

static void
table_make(struct cmd_ctx *c, struct check_run *r, struct table *t)
{
	static const enum probe_state by_severity[] = {
		[SEV_OK] = PROBE_PASS,
		[SEV_WARN] = PROBE_WARN,
		[SEV_ERROR] = PROBE_FAIL,
	};
	size_t nsteps = 0;

	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < check_probe_count(r); i++) {
		const struct probe_status *s = check_probe(r, i);
		struct row row = { s->name, s->title, "probe", s->state,
		    s->seconds, &s->findings };

		table_add(t, &row);
	}
	session_inspect_only(&c->s, &t->inspect);
	while (steps[nsteps] != NULL)
		nsteps++;
	t->bystep = xcalloc(nsteps + 1, sizeof *t->bystep);
	for (size_t k = 0; k < nsteps; k++) {
		struct findings *sf = &t->bystep[k];
		struct row row = { steps[k]->id, steps[k]->title, "inspect",
		    PROBE_PASS, 0, sf };

		/* Shallow copies: the strings stay t->inspect's. What the
		 * plan would still change ("ok" with the change as its hint)
		 * is, to a validator of a configured server, a deviation. */
		for (size_t i = 0; i < t->inspect.n; i++)
			if (strcmp(t->inspect.v[i].step, steps[k]->id) == 0) {
				sf->v = xreallocarray(sf->v, sf->n + 1,
				    sizeof *sf->v);
				sf->v[sf->n] = t->inspect.v[i];
				if (sf->v[sf->n].sev == SEV_OK &&
				    sf->v[sf->n].hint != NULL)
					sf->v[sf->n].sev = SEV_WARN;
				sf->n++;
			}
		if (sf->n == 0)
			continue;
		row.state = by_severity[findings_worst(sf)];
		table_add(t, &row);
	}
}

static void
table_free(struct table *t)
{
	for (size_t k = 0; steps[k] != NULL; k++)
		free(t->bystep[k].v);
	free(t->bystep);
	findings_free(&t->inspect);
	free(t->v);
}

static void
print_text(struct cmd_ctx *c, struct check_run *r, const struct table *t)
{
	static const char *const colors[] = {
		[PROBE_PASS] = "\033[32m",
		[PROBE_WARN] = "\033[33m",
		[PROBE_FAIL] = "\033[31m",
		[PROBE_SKIPPED] = "\033[2m",
	};
	const char *on, *off;

	if (check_url(r) != NULL)
		print_clean("Health check of %s\n", check_url(r));
	for (size_t i = 0; i < t->n; i++) {
		const struct row *s = &t->v[i];

		on = c->color && colors[s->state] ? colors[s->state] : "";
		off = *on ? "\033[0m" : "";
		if (strcmp(s->source, "probe") != 0 ||
		    s->state == PROBE_SKIPPED)
			printf("%s%-7s%s %-14s    -    %s\n", on,
			    probe_state_name(s->state), off, s->name,
			    s->title);
		else
			printf("%s%-7s%s %-14s %6.2fs  %s\n", on,
			    probe_state_name(s->state), off, s->name,
			    s->seconds, s->title);
		for (size_t k = 0; k < s->f->n; k++) {
			const struct finding *f = &s->f->v[k];

			printf("        %-5s [%s] ", severity_name(f->sev),
			    f->code);
			print_clean("%s\n", f->message);
			if (f->hint != NULL && f->sev != SEV_OK)
				print_clean("              -> %s\n", f->hint);
		}
	}
	printf("check: %s (%zu pass, %zu warn, %zu fail, %zu skipped)\n",
	    verdict(t), t->count[PROBE_PASS], t->count[PROBE_WARN], t->count[PROBE_FAIL],
	    t->count[PROBE_SKIPPED]);
}

static json_t *
check_json(struct check_run *r, const struct table *t)
{
	json_t *root = json_object(), *probes = json_array(), *o;
	const char *status = t->count[PROBE_FAIL] ? "fail" :
	    t->count[PROBE_WARN] ? "warn" : "pass";
	char *fj;

	json_object_set_new(root, "url", json_text(check_url(r)));
	json_object_set_new(root, "status", json_string(status));
	json_object_set_new(root, "verdict", json_string(verdict(t)));
	for (size_t i = 0; i < t->n; i++) {
		const struct row *s = &t->v[i];

		o = json_object();
		json_object_set_new(o, "name", json_text(s->name));
		json_object_set_new(o, "title", json_text(s->title));
		json_object_set_new(o, "source", json_text(s->source));
		json_object_set_new(o, "state",
		    json_string(probe_state_name(s->state)));
		json_object_set_new(o, "seconds", json_real(s->seconds));
		fj = findings_to_json(s->f);
		json_object_set_new(o, "findings", json_loads(fj, 0, NULL));
		free(fj);
		json_array_append_new(probes, o);
	}
	json_object_set_new(root, "probes", probes);
	o = json_object();
	json_object_set_new(o, "pass", json_integer(t->count[PROBE_PASS]));
	json_object_set_new(o, "warn", json_integer(t->count[PROBE_WARN]));
	json_object_set_new(o, "fail", json_integer(t->count[PROBE_FAIL]));
	json_object_set_new(o, "skipped",
	    json_integer(t->count[PROBE_SKIPPED]));
	json_object_set_new(o, "verdict", json_string(verdict(t)));
	json_object_set_new(root, "summary", o);
	return root;
}

static void
print_json(struct check_run *r, const struct table *t)
{
	json_t *root = check_json(r, t);

	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
}

/* Run the health check to its end with the context's options and host. */
struct check_run *
cmd_check_run(struct cmd_ctx *c, char *err, size_t len)
{
	struct check_options o = {
		.url = c->url,
		.cacert = c->cacert,
		.timeout = c->timeout,
		.clouds_file = c->clouds,
		.host = c->s.host,
	};
	struct check_run *r;

	if ((r = check_start(&c->s.answers, &o, err, len)) != NULL)
		while (check_poll(r, POLL_MS))
			;
	return r;
}

/* check --json's document for a finished run (caller frees). */
char *
cmd_check_json(struct cmd_ctx *c, struct check_run *r)
{
	struct table t;
	json_t *root;
	char *s;

	table_make(c, r, &t);
	root = check_json(r, &t);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	table_free(&t);
	return s;
}

/* The worst finding, to name the trouble in the status line. */
static const struct finding *
worst_finding(const struct table *t, const char **row)
{
	const struct finding *w = NULL;

	for (size_t i = 0; i < t->n; i++)
		for (size_t k = 0; k < t->v[i].f->n; k++)
			if (w == NULL || t->v[i].f->v[k].sev > w->sev) {
				w = &t->v[i].f->v[k];
				*row = t->v[i].name;
			}
	return w;
}

/* Plugin output: "NDES STATUS - text | perfdata", '|' kept out of text. */
static int
print_nagios(const struct table *t)
{
	enum nagios_status st = NAGIOS_OK;
	const struct finding *w;
	const char *row = "";
	size_t ran, problems;
	char *text, *safe;

	ran = t->count[PROBE_PASS] + t->count[PROBE_WARN] +
	    t->count[PROBE_FAIL];
	problems = t->count[PROBE_WARN] + t->count[PROBE_FAIL];
	if (t->count[PROBE_FAIL])
		st = NAGIOS_CRITICAL;
	else if (t->count[PROBE_WARN])
		st = NAGIOS_WARNING;
	else if (ran == 0)
		st = NAGIOS_UNKNOWN;
	w = worst_finding(t, &row);
	if (st == NAGIOS_OK || st == NAGIOS_UNKNOWN || w == NULL)
		text = xasprintf("%zu probe(s) pass, %zu skipped", ran,
		    t->count[PROBE_SKIPPED]);
	else
		text = xasprintf("%s: [%s] %s%s", row, w->code, w->message,
		    problems > 1 ? " (and more, see ndeswiz check)" : "");
	safe = sanitize(text, SAN_NAGIOS);
	printf("NDES %s - %s |", nagios_names[st], safe);
	free(safe);
	free(text);
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].source, "probe") == 0 &&
		    t->v[i].state != PROBE_SKIPPED)
			printf(" %s=%.3fs;;;0", t->v[i].name,
			    t->v[i].seconds);
	printf("\n");
	return st;
}

static int
cmd_check_exec(struct cmd_ctx *c)
{
	struct check_run *r;
	struct table t;
	char err[1024];
	int rc;

	if (open_existing_target(c, err, sizeof err) != 0)
		return cannot_run(c, strncmp(err, "ndeswiz: ", 9) == 0 ?
		    err + 9 : err);
	if ((r = cmd_check_run(c, err, sizeof err)) == NULL)
		return cannot_run(c, err);
	table_make(c, r, &t);
	if (c->nagios)
		rc = print_nagios(&t);
	else {
		if (c->json)
			print_json(r, &t);
		else
			print_text(c, r, &t);
		rc = t.count[PROBE_FAIL] ? EXIT_FINDINGS : EXIT_OK;
	}
	table_free(&t);
	check_free(r);
	return rc;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.options = CLI_OPT(CLI_ANSWERS) | CLI_OPT(CLI_TARGET) |
	    CLI_CHECK_OPTIONS | CLI_OPT(CLI_JSON) | CLI_OPT(CLI_NAGIOS),
	.summary = "run the health check",
	.preflight = cmd_check_preflight,
	.exec = cmd_check_exec,
};
