/*
 * What the server's event logs recorded: the connector's own channels,
 * its updater's, and the Application and System errors of the services
 * NDES and the connector run as. The events probe reads them over a
 * look-back window and says, per channel and event ID, what it means and
 * what to do; `ndeswiz collect` puts the same events in its bundle.
 *
 * On Windows the events come from the event log API (wevtapi); on a dir
 * target from files the profile may hold, events/<channel>.jsonl, one
 * JSON object a line: {"time": "2026-05-01T10:00:00Z", "id": 4001,
 * "level": "error", "provider": "...", "message": "..."}.
 */
#ifndef NDESWIZ_EVENTS_H
#define NDESWIZ_EVENTS_H

#include <stddef.h>
#include <time.h>

#include "finding.h"

struct host;

/* Windows' event levels (the System/Level element). */
enum event_level {
	EVL_ALWAYS = 0,
	EVL_CRITICAL = 1,
	EVL_ERROR = 2,
	EVL_WARNING = 3,
	EVL_INFO = 4,
	EVL_VERBOSE = 5,
};

struct event {
	time_t time;		/* UTC */
	long id;
	int level;		/* enum event_level */
	char *provider;
	char *message;		/* exactly as recorded */
};

struct event_list {
	struct event *v;
	size_t n;
};

/* A channel the probe reads, and which of its events count. */
struct event_channel {
	const char *name;	/* as wevtutil names it */
	const char *key;	/* short, in finding codes */
	const char *title;	/* for people */
	/* Events at this level or more severe count (1-3); 0: only the IDs
	 * the rule table names for this channel. */
	int max_level;
	const char *const *providers;	/* NULL-terminated; NULL: any */
	/* The message must name one of these (case-insensitive); NULL: any.
	 * System errors count only when they are about our services. */
	const char *const *mentions;
	enum severity missing_sev;	/* the channel is not there */
	const char *missing_why;
	const char *missing_hint;
};

/* What one event ID of a channel means. */
struct event_rule {
	const char *channel;	/* event_channel.key */
	long id;		/* EVENT_ANY_ID: the channel's fallback */
	enum severity sev;
	const char *meaning;
	const char *action;
	const char *source;	/* where the meaning comes from, or NULL */
};
#define EVENT_ANY_ID (-1L)

extern const struct event_channel event_channels[];
extern const size_t event_channel_count;
extern const struct event_rule event_rules[];
extern const size_t event_rule_count;

/* The rule for this ID, else the channel's fallback (never NULL for a
 * channel of the table). */
const struct event_rule *event_rule_find(const char *key, long id);
const struct event_channel *event_channel_find(const char *name);

/* One JSON-lines file. 0, or -1 with "FILE:LINE: what is wrong" in err;
 * on error the list is left empty. */
int events_parse(const char *file, const char *text, size_t len,
    struct event_list *, char *err, size_t errlen);
/* Keep only what the channel counts, from since on. */
void events_filter(const struct event_channel *, time_t since,
    struct event_list *);
void events_free(struct event_list *);

/* ISO 8601 UTC ("2026-05-01T10:00:00Z", fractions and +hh:mm read too). */
int event_time_parse(const char *, time_t *);
void event_time_format(time_t, char *buf, size_t len);
const char *event_level_name(int);
/* One event as a JSON line (no newline), the format events_parse reads. */
char *event_to_json(const struct event *);

/* events_read's results. */
enum events_rc {
	EVENTS_READ,
	EVENTS_MISSING,		/* the channel is not there */
	EVENTS_UNREADABLE,	/* there, but cannot be read: err */
	EVENTS_MALFORMED,	/* a dir target's file: err is FILE:LINE */
};
/* Does the host hold event logs at all? (A dir target without events/
 * does not; the server always does.) */
int events_available(struct host *);
/* The channel's events from since on, filtered (events_filter). */
enum events_rc events_read(struct host *, const struct event_channel *,
    time_t since, struct event_list *, char *err, size_t len);
/* Windows: the machine's own log (eventlog-win32.c). */
enum events_rc events_read_system(const struct event_channel *,
    time_t since, struct event_list *, char *err, size_t len);

/* Events grouped by ID: how many, and the newest of each. */
struct event_group {
	long id;
	size_t count;
	const struct event *newest;
};
/* Groups in ID order; caller frees *out. Returns how many. */
size_t events_group(const struct event_list *, struct event_group **out);

#endif
