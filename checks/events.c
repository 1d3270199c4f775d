/*
 * Events as data: the JSON-lines files of a dir target, the window and
 * filters of a channel, and the grouping the probe reports by.
 */
#include "events.h"
#include "isotime.h"
#include "jsonutil.h"
#include "util.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const level_names[] = {
	[EVL_ALWAYS] = "always",
	[EVL_CRITICAL] = "critical",
	[EVL_ERROR] = "error",
	[EVL_WARNING] = "warning",
	[EVL_INFO] = "information",
	[EVL_VERBOSE] = "verbose",
};

const char *
event_level_name(int level)
{
	if (level < 0 || (size_t)level >= nitems(level_names))
		return "?";
	return level_names[level];
}

int
event_time_parse(const char *s, time_t *out)
{
	return iso_time_parse(s, 0, out);
}

void
event_time_format(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "?");
}

/* "level" is a name or Windows' number. */
static int
level_parse(json_t *v, int *out)
{
	const char *s;

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0 ||
		    json_integer_value(v) > EVL_VERBOSE)
			return -1;
		*out = (int)json_integer_value(v);
		return 0;
	}
	if ((s = json_string_value(v)) == NULL)
		return -1;
	for (size_t i = 0; i < nitems(level_names); i++)
		if (str_ieq(s, level_names[i])) {
			*out = (int)i;
			return 0;
		}
	if (str_ieq(s, "info")) {
		*out = EVL_INFO;
		return 0;
	}
	return -1;
}

/* One line into ev; NULL, or what is wrong with it. */
static const char *
parse_line(const char *line, size_t len, struct event *ev)
{
	json_error_t je;
	json_t *o, *v;
	const char *why = NULL;
	json_int_t id;

	memset(ev, 0, sizeof *ev);
	if ((o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return "not a JSON object";
	if (!json_is_object(o))
		why = "not a JSON object";
	else if ((v = json_object_get(o, "time")) == NULL ||
	    !json_is_string(v) ||
	    event_time_parse(json_string_value(v), &ev->time) != 0)
		why = "\"time\" must be an ISO 8601 UTC time such as "
		    "2026-05-01T10:00:00Z";
	else if ((v = json_object_get(o, "id")) == NULL ||
	    !json_is_integer(v) || (id = json_integer_value(v)) < 0 ||
	    id > 65535)
		why = "\"id\" must be an event ID, a number from 0 to 65535";
	else if ((v = json_object_get(o, "level")) == NULL ||
	    level_parse(v, &ev->level) != 0)
		why = "\"level\" must be critical, error, warning, "
		    "information or verbose (or Windows' number, 1-5)";
	else if ((v = json_object_get(o, "provider")) == NULL ||
	    !json_is_string(v))
		why = "\"provider\" must be a string";
	else if (json_object_get(o, "message") == NULL ||
	    !json_is_string(json_object_get(o, "message")))
		why = "\"message\" must be a string";
	else {
		ev->id = (long)id;
		ev->provider = xstrdup(json_string_value(v));
		ev->message = xstrdup(json_string_value(
		    json_object_get(o, "message")));
	}
	json_decref(o);
	return why;
}

int
events_parse(const char *file, const char *text, size_t len,
    struct event_list *l, char *err, size_t errlen)
{
	size_t lineno = 0, cap = 0;
	const char *p = text, *end = text + len, *nl;
	struct event ev;
	const char *why;

	memset(l, 0, sizeof *l);
	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		/* Blank lines (and a CRLF file's CRs) are allowed. */
		if (strspn(p, " \t\r") < (size_t)(nl - p)) {
			if (memchr(p, '\0', (size_t)(nl - p)) != NULL)
				why = "holds a NUL byte";
			else
				why = parse_line(p, (size_t)(nl - p), &ev);
			if (why != NULL) {
				snprintf(err, errlen, "%s:%zu: %s; each line "
				    "is one event: {\"time\": ..., \"id\": "
				    "..., \"level\": ..., \"provider\": ..., "
				    "\"message\": ...}", file, lineno, why);
				events_free(l);
				return -1;
			}
			if (l->n == cap) {
				cap = cap ? cap * 2 : 16;
				l->v = xreallocarray(l->v, cap, sizeof *l->v);
			}
			l->v[l->n++] = ev;
		}
		p = nl + 1;
	}
	return 0;
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

static int
listed(const char *const *list, const char *s, int substring)
{
	if (list == NULL)
		return 1;
	for (size_t i = 0; list[i] != NULL; i++)
		if (substring ? contains_ci(s, list[i]) :
		    str_ieq(s, list[i]))
			return 1;
	return 0;
}

static int
counts(const struct event_channel *ch, const struct event *e)
{
	const struct event_rule *r;

	if (ch->max_level == 0) {
		r = event_rule_find(ch->key, e->id);
		if (r == NULL || r->id == EVENT_ANY_ID)
			return 0;
	} else if (e->level < EVL_CRITICAL || e->level > ch->max_level)
		return 0;
	return listed(ch->providers, e->provider, 0) &&
	    listed(ch->mentions, e->message, 1);
}

void
events_filter(const struct event_channel *ch, time_t since,
    struct event_list *l)
{
	size_t k = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].time >= since && counts(ch, &l->v[i]))
			l->v[k++] = l->v[i];
		else {
			free(l->v[i].provider);
			free(l->v[i].message);
		}
	}
	l->n = k;
}

void
events_free(struct event_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].provider);
		free(l->v[i].message);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

char *
event_to_json(const struct event *e)
{
	json_t *o = json_object();
	char t[32], *s;

	event_time_format(e->time, t, sizeof t);
	json_object_set_new(o, "time", json_string(t));
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "level", json_string(
	    event_level_name(e->level)));
	json_object_set_new(o, "provider", json_text(e->provider));
	json_object_set_new(o, "message", json_text(e->message));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

size_t
events_group(const struct event_list *l, struct event_group **out)
{
	struct event_group *g = NULL;
	size_t n = 0, k;

	for (size_t i = 0; i < l->n; i++) {
		const struct event *e = &l->v[i];

		/* In ID order: find the place, insert when new. */
		for (k = 0; k < n && g[k].id < e->id; k++)
			;
		if (k == n || g[k].id != e->id) {
			g = xreallocarray(g, n + 1, sizeof *g);
			memmove(&g[k + 1], &g[k], (n - k) * sizeof *g);
			g[k] = (struct event_group){ .id = e->id };
			n++;
		}
		g[k].count++;
		if (g[k].newest == NULL || e->time >= g[k].newest->time)
			g[k].newest = e;
	}
	*out = g;
	return n;
}
