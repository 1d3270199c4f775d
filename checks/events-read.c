/*
 * Where a host's events come from: the server's event log (wevtapi, in
 * eventlog-win32.c), or a dir target's events/<channel>.jsonl files. The
 * channel's filter is applied here, to both, so a rule tested on a dir
 * target is the rule the server gets.
 */
#include "events.h"
#include "host.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EVENT_FILE_MAX (64u << 20)

static int
on_the_server(struct host *h)
{
#ifdef _WIN32
	return h->ops == &host_win32_ops;
#else
	(void)h;
	return 0;
#endif
}

static char *
channel_file(struct host *h, const struct event_channel *ch)
{
	return xasprintf("%s/events/%s.jsonl", h->where, ch->name);
}

int
events_available(struct host *h)
{
	char *dir;
	int ok;

	if (on_the_server(h))
		return 1;
	dir = path_join(h->where, "events");
	ok = dir_exists(dir);
	free(dir);
	return ok;
}

enum events_rc
events_read(struct host *h, const struct event_channel *ch, time_t since,
    struct event_list *l, char *err, size_t len)
{
	enum events_rc rc = EVENTS_READ;
	char *path, *text;
	size_t n;

	memset(l, 0, sizeof *l);
	if (on_the_server(h))
		rc = events_read_system(ch, since, l, err, len);
	else {
		path = channel_file(h, ch);
		if (file_read(path, EVENT_FILE_MAX, &text, &n) != 0) {
			rc = errno == ENOENT ? EVENTS_MISSING :
			    EVENTS_UNREADABLE;
			snprintf(err, len, "%s: %s", path, errno == EFBIG ?
			    "larger than 64 MB" : strerror(errno));
		} else {
			if (events_parse(path, text, n, l, err, len) != 0)
				rc = EVENTS_MALFORMED;
			free(text);
		}
		free(path);
	}
	if (rc == EVENTS_READ)
		events_filter(ch, since, l);
	return rc;
}
