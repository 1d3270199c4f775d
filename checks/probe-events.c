/*
 * The events probe: what the server's event logs recorded in the last
 * [health] event_days days, per channel and event ID, each with what the
 * ID means and what to do (events-table.c). It reads the host, so it
 * runs where check has one: the server itself, or a dir target (-t) that
 * holds events/<channel>.jsonl files.
 */
#include "events.h"
#include "host.h"
#include "probe.h"

#include <stdlib.h>
#include <string.h>

static void
report_groups(struct probe *p, const struct event_channel *ch,
    const struct event_list *l, int days)
{
	struct event_group *g;
	const struct event_rule *r;
	char when[32], *kind, *hint;
	size_t n = events_group(l, &g);

	if (n == 0)
		probe_add(p, SEV_OK, ch->key, NULL, "%s: nothing that counts "
		    "in the last %d day(s)", ch->title, days);
	for (size_t i = 0; i < n; i++) {
		r = event_rule_find(ch->key, g[i].id);
		event_time_format(g[i].newest->time, when, sizeof when);
		kind = xasprintf("%s-%ld", ch->key, g[i].id);
		hint = r->source != NULL ?
		    xasprintf("%s (source: %s)", r->action, r->source) :
		    xasprintf("%s (this meaning has no published source)",
		    r->action);
		finding_set_hint(probe_add(p, r->sev, kind, NULL, "%s: event "
		    "%ld (%s) %zu time(s) in %d day(s), newest %s from %s: "
		    "%s. Newest message: %s", ch->title, g[i].id,
		    event_level_name(g[i].newest->level), g[i].count, days,
		    when, g[i].newest->provider, r->meaning,
		    g[i].newest->message),
		    hint);
		free(hint);
		free(kind);
	}
	free(g);
}

/* A channel that could not be read: its finding. */
static const struct {
	const char *kind;
	enum severity sev;
	const char *hint;
} trouble[] = {
	[EVENTS_UNREADABLE] = { "unreadable", SEV_WARN,
	    "run check as an administrator (reading some logs needs it)" },
	[EVENTS_MALFORMED] = { "malformed", SEV_ERROR,
	    "fix or remove the file (README, Health check, gives its "
	    "format)" },
};

static void
read_channel(struct probe *p, const struct event_channel *ch, time_t since,
    int days)
{
	enum events_rc rc;
	struct event_list l;
	char err[1024], *kind, *msg;

	rc = events_read(p->env->server, ch, since, &l, err, sizeof err);
	if (rc == EVENTS_READ)
		report_groups(p, ch, &l, days);
	else if (rc == EVENTS_MISSING) {
		kind = xasprintf("%s-missing", ch->key);
		finding_set_hint(probe_add(p, ch->missing_sev, kind, NULL,
		    "%s (%s) is not there: %s", ch->title, ch->name,
		    ch->missing_why),
		    ch->missing_hint);
		free(kind);
	} else {
		/* A malformed file's error starts with FILE:LINE, as every
		 * input error does. */
		msg = rc == EVENTS_MALFORMED ? xstrdup(err) :
		    xasprintf("%s cannot be read: %s", ch->title, err);
		kind = xasprintf("%s-%s", ch->key, trouble[rc].kind);
		finding_set_hint(probe_add(p, trouble[rc].sev, kind, NULL, "%s",
		    msg),
		    trouble[rc].hint);
		free(kind);
		free(msg);
	}
	events_free(&l);
}

static void
events_start(struct probe *p)
{
	struct host *h = p->env->server;
	int days = (int)answers_int(&p->env->a, F_HEALTH_EVENT_DAYS);
	time_t since = time(NULL) - (time_t)days * 86400;

	if (h == NULL) {
		probe_skip(p, "no-host", "no target to read event logs from: "
		    "run check on the server, or give -t DIR (a target with "
		    "events/<channel>.jsonl files)");
		return;
	}
	if (!events_available(h)) {
		probe_skip(p, "no-logs", "the target %s holds no event logs "
		    "(events/<channel>.jsonl)", h->where);
		return;
	}
	for (size_t i = 0; i < event_channel_count; i++)
		read_channel(p, &event_channels[i], since, days);
}

static void
events_done(struct probe *p, struct xfer *x)
{
	(void)p;
	(void)x;
}

const struct probe_def probe_events = {
	.name = "events",
	.title = "The event logs: connector, updater, services "
	    "([health] event_days)",
	.start = events_start,
	.done = events_done,
};
