/*
 * The [proxy] answers as the endpoints probe uses them: which hosts go
 * through the proxy, and the proxy's address fit to print (never with
 * credentials in it).
 */
#include "probe.h"
#include "bypass.h"

#include <string.h>
#include <strings.h>

void
proxy_conf_load(struct proxy_conf *pc, const struct answers *a)
{
	const char *v;

	memset(pc, 0, sizeof *pc);
	pc->enabled = answers_bool(a, F_PROXY_ENABLED);
	if ((v = answers_get(a, F_PROXY_URL)) != NULL && *v != '\0')
		pc->url = xstrdup(v);
	pc->bypass = bypass_split(answers_get(a, F_PROXY_BYPASS),
	    &pc->nbypass);
	if ((v = answers_get(a, F_PROXY_USERNAME)) != NULL && *v != '\0')
		pc->user = xstrdup(v);
	if ((v = answers_get(a, F_PROXY_PASSWORD)) != NULL && *v != '\0')
		pc->password_ref = xstrdup(v);
}

void
proxy_conf_free(struct proxy_conf *pc)
{
	free(pc->url);
	str_list_free(pc->bypass, pc->nbypass);
	free(pc->user);
	free(pc->password_ref);
	memset(pc, 0, sizeof *pc);
}

/* The one bypass matcher (backend/bypass.c). */
int
proxy_bypassed(const struct proxy_conf *pc, const char *host)
{
	return bypass_list_match(pc->bypass, pc->nbypass, host);
}

char *
proxy_display(const char *url)
{
	CURLU *u = curl_url();
	char *s = NULL, *out;

	/* A URL may carry user:password@; a message never does. */
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_GUESS_SCHEME) !=
	    CURLUE_OK) {
		curl_url_cleanup(u);
		return xstrdup("(the [proxy] url)");
	}
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	if (curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK)
		out = xstrdup("(the [proxy] url)");
	else
		out = xstrdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return out;
}
