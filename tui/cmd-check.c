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
#include "checks.h"
#include "jsonutil.h"
#include "sanitize.h"

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
		fprintf(stderr, "ndeswiz: check: %s\n", safe);
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
		bad = answers_load(&a, c->answers_path, err, sizeof err);
		answers_free(&a);
		if (bad)
			return cannot_run(c, err);
	}
	return EXIT_OK;
}

/* Put the target's saved answers under those of the -a file. */
static int
layer_last_answers(struct cmd_ctx *c, char *err, size_t len)
{
	const char *target = c->target ? c->target : HOST_DEFAULT_TARGET;
	struct answers merged;
	char *path;
	int created;

	if (!dir_exists(target))
		return 0;
	if ((c->host = host_open(target, NULL, &created, err, len)) == NULL)
		return -1;
	path = cmd_last_answers_path(c);
	if (!file_exists(path)) {
		free(path);
		return 0;
	}
	answers_init(&merged);
	if (answers_load(&merged, path, err, len) != 0) {
		answers_free(&merged);
		free(path);
		return -1;
	}
	free(path);
	for (int i = 0; i < F__COUNT; i++) {
		if (merged.src[i] == SRC_FILE)
			merged.src[i] = SRC_LAST;
		if (c->answers.src[i] == SRC_FILE)
			answers_put(&merged, (enum field_id)i,
			    c->answers.val[i], SRC_FILE);
	}
	answers_free(&c->answers);
	c->answers = merged;
	return 0;
}

struct tally {
	size_t n[PROBE_SKIPPED + 1];
};

static void
count(struct check_run *r, struct tally *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < check_probe_count(r); i++)
		t->n[check_probe(r, i)->state]++;
}

static void
print_text(struct cmd_ctx *c, struct check_run *r, const struct tally *t)
{
	static const char *const colors[] = {
		[PROBE_PASS] = "\033[32m",
		[PROBE_WARN] = "\033[33m",
		[PROBE_FAIL] = "\033[31m",
		[PROBE_SKIPPED] = "\033[2m",
	};
	const char *on, *off;

	if (check_url(r) != NULL) {
		char *url = sanitize(check_url(r), SAN_LINE);

		printf("Health check of %s\n", url);
		free(url);
	}
	for (size_t i = 0; i < check_probe_count(r); i++) {
		const struct probe_status *s = check_probe(r, i);

		on = c->color && colors[s->state] ? colors[s->state] : "";
		off = *on ? "\033[0m" : "";
		if (s->state == PROBE_SKIPPED)
			printf("%s%-7s%s %-12s    -    %s\n", on,
			    probe_state_name(s->state), off, s->name,
			    s->title);
		else
			printf("%s%-7s%s %-12s %6.2fs  %s\n", on,
			    probe_state_name(s->state), off, s->name,
			    s->seconds, s->title);
		for (size_t k = 0; k < s->findings.n; k++) {
			const struct finding *f = &s->findings.v[k];

			char *msg = sanitize(f->message, 0);
			char *hint = sanitize(f->hint, 0);

			printf("        %-5s [%s] %s\n", severity_name(f->sev),
			    f->code, msg);
			if (hint != NULL && f->sev != SEV_OK)
				printf("              -> %s\n", hint);
			free(msg);
			free(hint);
		}
	}
	printf("check: %zu pass, %zu warn, %zu fail, %zu skipped\n",
	    t->n[PROBE_PASS], t->n[PROBE_WARN], t->n[PROBE_FAIL],
	    t->n[PROBE_SKIPPED]);
}

static void
print_json(struct check_run *r, const struct tally *t)
{
	json_t *root = json_object(), *probes = json_array(), *o;
	const char *status = t->n[PROBE_FAIL] ? "fail" : t->n[PROBE_WARN] ?
	    "warn" : "pass";
	char *fj;

	json_object_set_new(root, "url", json_text(check_url(r)));
	json_object_set_new(root, "status", json_string(status));
	for (size_t i = 0; i < check_probe_count(r); i++) {
		const struct probe_status *s = check_probe(r, i);

		o = json_object();
		json_object_set_new(o, "name", json_text(s->name));
		json_object_set_new(o, "title", json_text(s->title));
		json_object_set_new(o, "state",
		    json_string(probe_state_name(s->state)));
		json_object_set_new(o, "seconds", json_real(s->seconds));
		fj = findings_to_json(&s->findings);
		json_object_set_new(o, "findings", json_loads(fj, 0, NULL));
		free(fj);
		json_array_append_new(probes, o);
	}
	json_object_set_new(root, "probes", probes);
	o = json_object();
	json_object_set_new(o, "pass", json_integer(t->n[PROBE_PASS]));
	json_object_set_new(o, "warn", json_integer(t->n[PROBE_WARN]));
	json_object_set_new(o, "fail", json_integer(t->n[PROBE_FAIL]));
	json_object_set_new(o, "skipped",
	    json_integer(t->n[PROBE_SKIPPED]));
	json_object_set_new(root, "summary", o);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
}

/* The worst finding, to name the trouble in the status line. */
static const struct finding *
worst_finding(struct check_run *r, const char **probe)
{
	const struct finding *w = NULL;

	for (size_t i = 0; i < check_probe_count(r); i++) {
		const struct probe_status *s = check_probe(r, i);

		for (size_t k = 0; k < s->findings.n; k++)
			if (w == NULL || s->findings.v[k].sev > w->sev) {
				w = &s->findings.v[k];
				*probe = s->name;
			}
	}
	return w;
}

/* Plugin output: "NDES STATUS - text | perfdata", '|' kept out of text. */
static int
print_nagios(struct check_run *r, const struct tally *t)
{
	enum nagios_status st = NAGIOS_OK;
	const struct finding *w;
	const char *probe = "";
	size_t ran, problems;
	char *text, *safe;

	ran = t->n[PROBE_PASS] + t->n[PROBE_WARN] + t->n[PROBE_FAIL];
	problems = t->n[PROBE_WARN] + t->n[PROBE_FAIL];
	if (t->n[PROBE_FAIL])
		st = NAGIOS_CRITICAL;
	else if (t->n[PROBE_WARN])
		st = NAGIOS_WARNING;
	else if (ran == 0)
		st = NAGIOS_UNKNOWN;
	w = worst_finding(r, &probe);
	if (st == NAGIOS_OK || st == NAGIOS_UNKNOWN || w == NULL)
		text = xasprintf("%zu probe(s) pass, %zu skipped", ran,
		    t->n[PROBE_SKIPPED]);
	else
		text = xasprintf("%s: [%s] %s%s", probe, w->code, w->message,
		    problems > 1 ? " (and more, see ndeswiz check)" : "");
	safe = sanitize(text, SAN_NAGIOS);
	printf("NDES %s - %s |", nagios_names[st], safe);
	free(safe);
	free(text);
	for (size_t i = 0; i < check_probe_count(r); i++) {
		const struct probe_status *s = check_probe(r, i);

		if (s->state != PROBE_SKIPPED)
			printf(" %s=%.3fs;;;0", s->name, s->seconds);
	}
	printf("\n");
	return st;
}

static int
cmd_check_exec(struct cmd_ctx *c)
{
	struct check_options o = {
		.url = c->url,
		.cacert = c->cacert,
		.timeout = c->timeout,
		.clouds_file = c->clouds,
	};
	struct check_run *r;
	struct tally t;
	char err[1024];
	int rc;

	if (layer_last_answers(c, err, sizeof err) != 0)
		return cannot_run(c, err);
	if ((r = check_start(&c->answers, &o, err, sizeof err)) == NULL)
		return cannot_run(c, err);
	while (check_poll(r, POLL_MS))
		;
	count(r, &t);
	if (c->nagios)
		rc = print_nagios(r, &t);
	else {
		if (c->json)
			print_json(r, &t);
		else
			print_text(c, r, &t);
		rc = t.n[PROBE_FAIL] ? EXIT_FINDINGS : EXIT_OK;
	}
	check_free(r);
	return rc;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "[-a FILE] [-t DIR] [--url URL] [--cacert FILE] "
	    "[--timeout SEC] [--clouds FILE] [--json | --nagios]",
	.summary = "run the health check",
	.preflight = cmd_check_preflight,
	.exec = cmd_check_exec,
};
