/*
 * ndeswiz collect -o FILE.zip: the evidence bundle for a support case.
 * What it holds, and nothing else: the check's JSON, the plan, the facts,
 * the last answers (secrets only as references), the journal, the newest
 * IIS logs of Default Web Site and the events the events probe counts;
 * manifest.json lists each with its size and SHA-256. Written atomically,
 * mode 0600.
 */
#include "bundle.h"
#include "checks.h"
#include "cmd.h"
#include "cli-out.h"
#include "events.h"
#include "facts.h"
#include "plan.h"
#include "step.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IIS_LOGS 3		/* as many as the public validator takes */
#define IIS_LOG_DIR "inetpub/logs/LogFiles/W3SVC1"	/* Default Web Site */
#define MEMBER_MAX (64u << 20)

static int
cmd_collect_preflight(struct cmd_ctx *c)
{
	if (!zipout_available()) {
		cli_error("collect: this Windows build cannot write zip "
		    "files yet; copy the target (or the server's state "
		    "folder and logs) to a POSIX machine and run collect "
		    "there");
		return EXIT_USAGE;
	}
	if (c->output == NULL || strcmp(c->output, "-") == 0) {
		cli_error("collect needs -o FILE.zip (it is not written to "
		    "standard output, so that it always gets mode 0600)");
		return EXIT_USAGE;
	}
	if (c->target != NULL && !dir_exists(c->target)) {
		cli_error("collect: %s: no such target folder (collect makes "
		    "none)", c->target);
		return EXIT_USAGE;
	}
	if (c->target == NULL && !dir_exists(HOST_DEFAULT_TARGET)) {
		cli_error("collect: no target: give -t DIR (collect makes "
		    "none)");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static void
add_text(struct bundle *b, const char *name, char *text)
{
	bundle_add(b, name, text, strlen(text));
}

/* A file of the target's state folder, when it is there. */
static int
add_state_file(struct bundle *b, struct cmd_ctx *c, const char *file,
    const char *name, int redact, char *err, size_t len)
{
	char *path = path_join(host_state_dir(c->s.host), file), *data;
	size_t n;

	if (file_read(path, MEMBER_MAX, &data, &n) != 0) {
		if (errno != ENOENT) {
			snprintf(err, len, "%s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
	} else if (redact) {
		add_text(b, name, bundle_redact_answers(data));
		free(data);
	} else
		bundle_add(b, name, data, n);
	free(path);
	return 0;
}

static void
add_check(struct bundle *b, struct cmd_ctx *c)
{
	struct check_run *r;
	json_t *o;
	char err[1024];

	if ((r = cmd_check_run(c, err, sizeof err)) != NULL) {
		add_text(b, "check.json", cmd_check_json(c, r));
		check_free(r);
		return;
	}
	o = json_pack("{s:s}", "error", err);
	add_text(b, "check.json", json_dumps(o, JSON_INDENT(2)));
	json_decref(o);
}

static void
add_plan(struct bundle *b, struct cmd_ctx *c)
{
	session_evaluate(&c->s);
	add_text(b, "plan.json", cmd_plan_json(&c->s.findings, &c->s.plan));
}

static void
add_facts(struct bundle *b, struct cmd_ctx *c)
{
	struct host_facts f = {0};

	/* In facts.ini's own form (facts.c writes it for snapshot too), so
	 * the bundle's copy reads back as a target's facts. */
	host_facts(c->s.host, &f);
	add_text(b, "facts.ini", facts_format(&f));
}

struct logfile {
	char *name;
	time_t mtime;
};

static int
newest_first(const void *a, const void *b)
{
	const struct logfile *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	return strcmp(y->name, x->name);
}

/* The newest IIS_LOGS *.log files of Default Web Site. */
static int
add_iis_logs(struct bundle *b, struct cmd_ctx *c, char *err, size_t len)
{
	char *dir = path_join(c->s.host->where, IIS_LOG_DIR), *path, *data;
	struct logfile *v = NULL;
	size_t n = 0, sz;
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int rc = 0;

	if ((dp = opendir(dir)) == NULL) {
		free(dir);
		return 0;
	}
	while ((d = readdir(dp)) != NULL) {
		sz = strlen(d->d_name);
		path = path_join(dir, d->d_name);
		if (sz > 4 && strcmp(d->d_name + sz - 4, ".log") == 0 &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n++] = (struct logfile){ xstrdup(d->d_name),
			    st.st_mtime };
		}
		free(path);
	}
	closedir(dp);
	qsort(v, n, sizeof *v, newest_first);
	for (size_t i = 0; i < n; i++) {
		path = path_join(dir, v[i].name);
		if (i < IIS_LOGS && rc == 0) {
			if (file_read(path, MEMBER_MAX, &data, &sz) != 0) {
				snprintf(err, len, "%s: %s", path,
				    strerror(errno));
				rc = -1;
			} else {
				free(path);
				path = xasprintf("iis/W3SVC1/%s", v[i].name);
				bundle_add(b, path, data, sz);
			}
		}
		free(path);
		free(v[i].name);
	}
	free(v);
	free(dir);
	return rc;
}

/* The events the probe counts, one JSON-lines file per channel read. */
static void
add_events(struct bundle *b, struct cmd_ctx *c)
{
	int days = (int)answers_int(&c->s.answers, F_HEALTH_EVENT_DAYS);
	time_t since = time(NULL) - (time_t)days * 86400;
	struct event_list l;
	struct buf text;
	char err[1024], *line, *name;

	if (!events_available(c->s.host))
		return;
	for (size_t i = 0; i < event_channel_count; i++) {
		if (events_read(c->s.host, &event_channels[i], since, &l, err,
		    sizeof err) != EVENTS_READ)
			continue;
		memset(&text, 0, sizeof text);
		for (size_t k = 0; k < l.n; k++) {
			line = event_to_json(&l.v[k]);
			buf_addf(&text, "%s\n", line);
			free(line);
		}
		name = xasprintf("events/%s.jsonl", event_channels[i].name);
		bundle_add(b, name, buf_steal(&text), 0);
		b->v[b->n - 1].len = strlen(b->v[b->n - 1].data);
		free(name);
		events_free(&l);
	}
}

static int
cmd_collect_exec(struct cmd_ctx *c)
{
	struct bundle b = {0};
	char err[1024];
	int rc = EXIT_OK;

	add_check(&b, c);
	add_plan(&b, c);
	add_facts(&b, c);
	if (add_state_file(&b, c, "answers.ini", "answers.ini", 1, err,
	    sizeof err) != 0 || add_state_file(&b, c, "journal", "journal",
	    0, err, sizeof err) != 0 || add_iis_logs(&b, c, err,
	    sizeof err) != 0) {
		cli_error("collect: %s (nothing was written)", err);
		bundle_free(&b);
		return EXIT_USAGE;
	}
	add_events(&b, c);
	bundle_add_manifest(&b);
	if (zipout_write(c->output, b.v, b.n, err, sizeof err) != 0) {
		cli_error("collect: %s (nothing was written)", err);
		rc = EXIT_USAGE;
	} else if (!c->json) {
		printf("Wrote %s (mode 0600): %zu files, listed with their "
		    "SHA-256 in manifest.json.\n", c->output, b.n);
	}
	bundle_free(&b);
	return rc;
}

const struct cmd_entry cmd_collect_entry = {
	.name = "collect",
	.options = CLI_OPT(CLI_ANSWERS) | CLI_OPT(CLI_TARGET) |
	    CLI_OPT(CLI_OUTPUT) | CLI_CHECK_OPTIONS | CLI_OPT(CLI_JSON),
	.summary = "write an evidence bundle for a support case (zip)",
	.flags = CMD_NEEDS_HOST,
	.preflight = cmd_collect_preflight,
	.exec = cmd_collect_exec,
};
