/*
 * The server's own event log, through wevtapi: one EvtQuery per channel
 * with an XPath for the window and the levels (or the IDs) that count,
 * each event's system values rendered, its message formatted by its
 * provider. events_read applies the channel's filter afterwards, as for a
 * dir target; the XPath only keeps the rest from being read.
 */
#include "events.h"
#include "util.h"

#include <windows.h>
#include <winevt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVENTS_MAX 10000	/* per channel: a flood is summarised anyway */
#define FILETIME_UNIX_EPOCH 116444736000000000ULL

static char *
query_text(const struct event_channel *ch, time_t since)
{
	long long ms = ((long long)time(NULL) - (long long)since) * 1000;
	struct buf b = {0};
	const char *or = "";

	buf_addf(&b, "*[System[TimeCreated[timediff(@SystemTime) <= %lld] "
	    "and (", ms > 0 ? ms : 0);
	if (ch->max_level > 0)
		for (int lv = EVL_CRITICAL; lv <= ch->max_level; lv++) {
			buf_addf(&b, "%sLevel=%d", or, lv);
			or = " or ";
		}
	else
		for (size_t i = 0; i < event_rule_count; i++) {
			if (strcmp(event_rules[i].channel, ch->key) != 0 ||
			    event_rules[i].id == EVENT_ANY_ID)
				continue;
			buf_addf(&b, "%sEventID=%ld", or, event_rules[i].id);
			or = " or ";
		}
	buf_adds(&b, ")]]");
	return buf_steal(&b);
}

static enum events_rc
win_error(DWORD code, const struct event_channel *ch, char *err, size_t len)
{
	wchar_t msg[256];
	char *m;

	if (code == ERROR_EVT_CHANNEL_NOT_FOUND) {
		snprintf(err, len, "%s: no such channel", ch->name);
		return EVENTS_MISSING;
	}
	if (code == ERROR_SUCCESS) {
		/* Wine's wevtapi: no query handle, and no reason either. */
		snprintf(err, len, "%s: the event log API gave no result and "
		    "no error code: this system's event log cannot be "
		    "queried (Wine's wevtapi is a stub)", ch->name);
		return EVENTS_UNREADABLE;
	}
	if (FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM |
	    FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, msg,
	    (DWORD)nitems(msg), NULL) == 0)
		msg[0] = L'\0';
	m = compat_narrow(msg, -1);
	snprintf(err, len, "%s: error %lu %s", ch->name, (unsigned long)code,
	    str_trim(m));
	free(m);
	return EVENTS_UNREADABLE;
}

/* The provider's text for the event, or a note why there is none. */
static char *
message_of(EVT_HANDLE ev, const wchar_t *provider)
{
	EVT_HANDLE pm = EvtOpenPublisherMetadata(NULL, provider, NULL, 0, 0);
	DWORD used = 0;
	wchar_t *buf;
	char *s;

	if (pm == NULL)
		return xstrdup("(no message: the provider's texts are not "
		    "installed here)");
	if (!EvtFormatMessage(pm, ev, 0, 0, NULL, EvtFormatMessageEvent, 0,
	    NULL, &used) && GetLastError() == ERROR_INSUFFICIENT_BUFFER) {
		buf = xcalloc(used + 1, sizeof *buf);
		if (EvtFormatMessage(pm, ev, 0, 0, NULL,
		    EvtFormatMessageEvent, used, buf, &used)) {
			s = compat_narrow(buf, -1);
			free(buf);
			EvtClose(pm);
			return s;
		}
		free(buf);
	}
	EvtClose(pm);
	return xstrdup("(no message: the provider could not format it)");
}

/* One event's system values into e. 0, or -1 when they cannot be read. */
static int
render(EVT_HANDLE ctx, EVT_HANDLE ev, struct event *e)
{
	DWORD used = 0, count = 0;
	PEVT_VARIANT v;
	ULONGLONG ft;

	if (EvtRender(ctx, ev, EvtRenderEventValues, 0, NULL, &used,
	    &count) || GetLastError() != ERROR_INSUFFICIENT_BUFFER)
		return -1;
	v = xcalloc(1, used);
	if (!EvtRender(ctx, ev, EvtRenderEventValues, used, v, &used,
	    &count) || count <= EvtSystemTimeCreated) {
		free(v);
		return -1;
	}
	memset(e, 0, sizeof *e);
	e->id = v[EvtSystemEventID].Type == EvtVarTypeUInt16 ?
	    v[EvtSystemEventID].UInt16Val : 0;
	e->level = v[EvtSystemLevel].Type == EvtVarTypeByte ?
	    v[EvtSystemLevel].ByteVal : EVL_INFO;
	ft = v[EvtSystemTimeCreated].Type == EvtVarTypeFileTime ?
	    v[EvtSystemTimeCreated].FileTimeVal : 0;
	e->time = ft > FILETIME_UNIX_EPOCH ?
	    (time_t)((ft - FILETIME_UNIX_EPOCH) / 10000000ULL) : 0;
	if (v[EvtSystemProviderName].Type == EvtVarTypeString) {
		e->provider = compat_narrow(
		    v[EvtSystemProviderName].StringVal, -1);
		e->message = message_of(ev,
		    v[EvtSystemProviderName].StringVal);
	} else {
		e->provider = xstrdup("");
		e->message = xstrdup("(no provider)");
	}
	free(v);
	return 0;
}

enum events_rc
events_read_system(const struct event_channel *ch, time_t since,
    struct event_list *l, char *err, size_t len)
{
	wchar_t *wch = compat_wide(ch->name), *wq;
	char *q = query_text(ch, since);
	EVT_HANDLE query, ctx, got[32];
	enum events_rc rc = EVENTS_READ;
	DWORD n, code;

	wq = compat_wide(q);
	free(q);
	query = EvtQuery(NULL, wch, wq, EvtQueryChannelPath |
	    EvtQueryReverseDirection);
	free(wq);
	free(wch);
	if (query == NULL)
		return win_error(GetLastError(), ch, err, len);
	ctx = EvtCreateRenderContext(0, NULL, EvtRenderContextSystem);
	while (l->n < EVENTS_MAX) {
		if (!EvtNext(query, (DWORD)nitems(got), got, INFINITE, 0,
		    &n)) {
			code = GetLastError();
			if (code != ERROR_NO_MORE_ITEMS)
				rc = win_error(code, ch, err, len);
			break;
		}
		l->v = xreallocarray(l->v, l->n + n, sizeof *l->v);
		for (DWORD i = 0; i < n; i++) {
			if (ctx != NULL && render(ctx, got[i],
			    &l->v[l->n]) == 0)
				l->n++;
			EvtClose(got[i]);
		}
	}
	if (ctx != NULL)
		EvtClose(ctx);
	EvtClose(query);
	if (rc != EVENTS_READ)
		events_free(l);
	return rc;
}
