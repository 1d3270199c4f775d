/*
 * Devices send their SCEP request in the URL (PKIOperation by GET), and
 * with a long challenge it passes 30 KB. IIS and HTTP.sys refuse that by
 * default; this probe sends one that long and looks at how it is met.
 * The message is filler, so NDES itself is expected to reject it: any
 * answer that shows the request got through is a pass.
 */
#include "probe.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void
longurl_start(struct probe *p)
{
	char *msg, *url;

	if (p->env->scep_skip != NULL) {
		probe_skip(p, "skipped", "%s", p->env->scep_skip);
		return;
	}
	if (!answers_bool(&p->env->a, F_HEALTH_LONG_URL_PROBE)) {
		probe_skip(p, "off", "[health] long_url_probe = no");
		return;
	}
	/* Base64 letters only: nothing to escape, the length is exact. */
	msg = xmalloc(LONG_URL_BYTES + 1);
	for (size_t i = 0; i < LONG_URL_BYTES; i++)
		msg[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789"[i % 62];
	msg[LONG_URL_BYTES] = '\0';
	url = probe_scep_url(p, "PKIOperation", msg);
	xfer_queue(xfer_new(p, url, "a PKIOperation GET of ~31 KB", 4096));
	free(url);
	free(msg);
}

/* Statuses that mean the length, not the message, was refused. */
static const struct {
	long status;
	const char *must_say;	/* in the body, or NULL */
	const char *kind, *what, *hint;
} too_long[] = {
	{ 414, NULL, "414", "414: the URL is too long for the server",
	  "raise HTTP.sys MaxFieldLength and MaxRequestBytes to 65534 "
	  "(and reboot), and IIS maxUrl and maxQueryString to 65534" },
	{ 404, NULL, "404",
	  "404: IIS request filtering refused the URL (404.14 or 404.15)",
	  "raise IIS requestLimits maxUrl and maxQueryString to 65534 on "
	  "Default Web Site" },
	{ 400, "too long", "400",
	  "400: HTTP.sys says the request is too long",
	  "raise HTTP.sys MaxFieldLength and MaxRequestBytes to 65534, "
	  "then reboot" },
};

/* Does text hold word, in any case? */
static int
says(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (; *text != '\0'; text++)
		if (strncasecmp(text, word, n) == 0)
			return 1;
	return 0;
}

static void
longurl_done(struct probe *p, struct xfer *x)
{
	const char *body = x->body.p ? x->body.p : "";

	if (x->rc != CURLE_OK) {
		xfer_transport_finding(p, x);
		return;
	}
	for (size_t i = 0; i < nitems(too_long); i++) {
		if (too_long[i].status != x->status)
			continue;
		if (too_long[i].must_say != NULL &&
		    !says(body, too_long[i].must_say))
			continue;
		finding_set_hint(probe_add(p, SEV_ERROR, too_long[i].kind, NULL,
		    "%s", too_long[i].what),
		    too_long[i].hint);
		return;
	}
	probe_add(p, SEV_OK, "passed", NULL, "%s got through (the server "
	    "answered %ld to the filler message)", x->label, x->status);
}

const struct probe_def probe_longurl = {
	.name = "long-url",
	.title = "A ~31 KB SCEP request is not refused as too long",
	.start = longurl_start,
	.done = longurl_done,
};
