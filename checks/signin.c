/*
 * Sign-in with the device authorization grant (RFC 8628), then two Graph
 * reads: who signed in, and the tenant's NDES connectors.
 *
 * One libcurl easy handle on one multi handle, reused for every request:
 * the requests are strictly one after the other, the connection is kept,
 * and the proxy password is handed to libcurl once and wiped here at once.
 * signin_poll only ever waits in curl_multi_poll, bounded by its caller.
 *
 * The scope asks for User.Read and DeviceManagementConfiguration.Read.All
 * on the cloud's own Graph host (a national cloud's token is only good
 * for its own Graph), and deliberately not offline_access: the run needs
 * one access token for a few minutes, and a refresh token would be a
 * long-lived credential held for nothing.
 */
#include "signin.h"
#include "curl-load.h"
#include "curl-ca.h"
#include "clouds.h"
#include "secret.h"
#include "signin-json.h"
#include "probe.h"
#include "util.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#ifndef VERSION
#define VERSION "0.1.0"
#endif

#define SIGNIN_TIMEOUT 30           /* seconds per request by default */
#define SIGNIN_BODY_MAX (4 << 20)   /* no answer of ours is near this */
#define SIGNIN_PAGES_MAX 50
#define SIGNIN_SLOW_DOWN 5          /* RFC 8628 3.5: +5 s per slow_down */

#define GRANT_DEVICE_CODE "urn:ietf:params:oauth:grant-type:device_code"

enum req_kind {
	REQ_NONE,
	REQ_DEVICECODE,
	REQ_TOKEN,
	REQ_ME,
	REQ_CONNECTORS,
};

/* A body buffer that never leaves a stale copy behind when it grows:
 * token answers pass through it. */
struct sbuf {
	char *p;
	size_t len, cap;
};

struct signin_run {
	struct clouds clouds;
	const struct cloud *cloud;
	char *tenant, *client_id, *scope, *machine;
	char *proxy;  /* NULL: direct */
	struct proxy_conf pc; /* the [proxy] answers, as the checks read them */

	CURLM *multi;
	CURL *easy;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	enum req_kind req; /* in flight, or REQ_NONE */
	int via_proxy;     /* that request goes through the proxy */
	struct sbuf form;  /* a POST's body: may hold the device code */
	struct sbuf body;  /* the answer: may hold tokens */
	long timeout;

	enum signin_state state;
	struct sj_devicecode dc;
	struct signin_prompt prompt;
	char *fallback_message;
	int64_t next_poll, expires; /* monotonic ms */
	char *token;
	size_t token_len;

	int fetch; /* 0: /me next, 1: connectors next, 2: judged */
	char *user;
	struct sj_connectors conn;
	char *next_link;
	int pages;
	struct findings findings;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sbuf_reset(struct sbuf *b)
{
	secure_zero(b->p, b->cap);
	free(b->p);
	memset(b, 0, sizeof *b);
}

static int
sbuf_add(struct sbuf *b, const char *p, size_t n)
{
	char *bigger;
	size_t cap;

	if (n > SIGNIN_BODY_MAX - b->len)
		return -1;
	if (b->len + n + 1 > b->cap) {
		for (cap = b->cap ? b->cap : 4096; cap < b->len + n + 1; )
			cap *= 2;
		bigger = xmalloc(cap);
		if (b->len > 0)
			memcpy(bigger, b->p, b->len);
		secure_zero(b->p, b->cap);
		free(b->p);
		b->p = bigger;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static size_t
signin_write(char *p, size_t size, size_t n, void *arg)
{
	struct signin_run *r = arg;

	if (sbuf_add(&r->body, p, size * n) != 0)
		return 0; /* CURLE_WRITE_ERROR: too large */
	return size * n;
}

static void
signin_fail(struct signin_run *r, const char *code, const char *hint,
    const char *fmt, ...) PRINTFLIKE(4, 5);

static void
signin_forget(struct signin_run *r)
{
	sj_secret_free(r->token, r->token_len);
	r->token = NULL;
	r->token_len = 0;
	if (r->dc.device_code != NULL) {
		sj_secret_free(r->dc.device_code, strlen(r->dc.device_code));
		r->dc.device_code = NULL;
	}
}

static void
signin_fail(struct signin_run *r, const char *code, const char *hint,
    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	finding_set_hint(finding_add(&r->findings, SEV_ERROR, "signin", NULL,
	    code, "%s", msg),
	    hint);
	free(msg);
	r->state = SIGNIN_FAILED;
	signin_forget(r);
}

/* --- set-up ------------------------------------------------------- */

static int
chars_ok(const char *s, const char *extra, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (; *s != '\0'; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && strchr(extra, *s) == NULL)
			return 0;
	return 1;
}

static int
signin_cloud(struct signin_run *r, const struct answers *a,
    const struct signin_options *o, char *err, size_t len)
{
	const char *name = answers_get(a, F_SIGNIN_CLOUD);
	const char *file = o->clouds_file ? o->clouds_file : "clouds.ini";

	if (clouds_load(&r->clouds, o->clouds_file, err, len) != 0)
		return -1;
	if ((r->cloud = clouds_find(&r->clouds, name)) == NULL) {
		snprintf(err, len, "%s: no [%s] cloud; [signin] cloud must "
		    "name one of its sections", file, name);
		return -1;
	}
	/* Hosts go into URLs: host or host:port, nothing that could
	 * change a URL's meaning. */
	if (!chars_ok(r->cloud->login, ".-:[]", 260) ||
	    !chars_ok(r->cloud->graph, ".-:[]", 260)) {
		snprintf(err, len, "%s: [%s] login and graph must be host "
		    "names (host or host:port)", file, name);
		return -1;
	}
	return 0;
}

/* Only what the answers say: [proxy] enabled = no means direct, and the
 * environment's https_proxy is not consulted either. */
static void
signin_proxy(struct signin_run *r, const struct answers *a)
{
	struct secret pw;
	char why[512];

	proxy_conf_load(&r->pc, a);
	if (!r->pc.enabled)
		return;
	if (r->pc.url == NULL || strstr(r->pc.url, "://") == NULL) {
		signin_fail(r, "signin.proxy-url", "set [proxy] url to "
		    "http://host:port, or [proxy] enabled = no",
		    "the proxy is enabled but its URL is %s",
		    r->pc.url == NULL ? "empty" : "missing a scheme");
		return;
	}
	r->proxy = xstrdup(r->pc.url);
	if (r->pc.user == NULL)
		return;
	if (secret_resolve(r->pc.password_ref != NULL ? r->pc.password_ref :
	    "", fields_table[F_PROXY_PASSWORD].label, &pw, why,
	    sizeof why) != 0) {
		signin_fail(r, "signin.proxy-password", "set [proxy] "
		    "password to env:NAME, file:PATH or prompt", "%s", why);
		return;
	}
	curl_easy_setopt(r->easy, CURLOPT_PROXYUSERNAME, r->pc.user);
	curl_easy_setopt(r->easy, CURLOPT_PROXYPASSWORD,
	    pw.p != NULL ? pw.p : "");
	curl_easy_setopt(r->easy, CURLOPT_PROXYAUTH, (long)CURLAUTH_ANY);
	secret_wipe(&pw);
}

static void
signin_answers(struct signin_run *r, const struct answers *a)
{
	const char *tenant = answers_get(a, F_SIGNIN_TENANT);
	const char *client = answers_get(a, F_SIGNIN_CLIENT_ID);

	/* No tenant: any work or school account ("organizations"). No
	 * client id: the field's default, the Graph CLI's public app. */
	r->tenant = xstrdup(*tenant != '\0' ? tenant : "organizations");
	r->client_id = xstrdup(*client != '\0' ? client :
	    fields_table[F_SIGNIN_CLIENT_ID].def);
	r->scope = xasprintf("https://%s/DeviceManagementConfiguration."
	    "Read.All https://%s/User.Read", r->cloud->graph,
	    r->cloud->graph);
	if (!chars_ok(r->tenant, ".-", 253))
		signin_fail(r, "signin.tenant", "use the tenant's domain "
		    "(contoso.onmicrosoft.com) or its id (a GUID)",
		    "[signin] tenant '%s' is not a domain name or tenant id",
		    r->tenant);
	else if (!chars_ok(r->client_id, ".-_", 100))
		signin_fail(r, "signin.client-id", "leave [signin] client_id "
		    "empty for Microsoft Graph Command Line Tools, or give "
		    "an application (client) id",
		    "[signin] client_id is not an application id");
}

static void
signin_curl(struct signin_run *r, const struct signin_options *o)
{
	const char *ca = o->cacert;

	if (ca == NULL && r->cloud->ca_file != NULL &&
	    *r->cloud->ca_file != '\0')
		ca = r->cloud->ca_file;
	r->multi = curl_multi_init();
	r->easy = curl_easy_init();
	if (r->multi == NULL || r->easy == NULL)
		abort(); /* out of memory, as xmalloc would */
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(r->easy, CURLOPT_SSLVERSION,
	    (long)CURL_SSLVERSION_TLSv1_2);
	if (ca != NULL)
		curl_ca_file(r->easy, ca);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "ndeswiz/" VERSION);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, signin_write);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
}

struct signin_run *
signin_start(const struct answers *a, const struct signin_options *o,
    char *err, size_t len)
{
	static const struct signin_options none;
	struct signin_run *r;

	if (o == NULL)
		o = &none;
	if (curl_load("sign-in", err, len) != 0)
		return NULL;
	sj_wipe_on_free();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	r = xcalloc(1, sizeof *r);
	r->timeout = SIGNIN_TIMEOUT;
	r->state = SIGNIN_REQUESTING;
	if (o->machine != NULL)
		r->machine = xstrdup(o->machine);
	if (signin_cloud(r, a, o, err, len) != 0) {
		signin_free(r);
		return NULL;
	}
	signin_curl(r, o);
	signin_answers(r, a);
	if (r->state != SIGNIN_FAILED)
		signin_proxy(r, a);
	return r;
}

void
signin_set_timeout(struct signin_run *r, int seconds)
{
	if (seconds > 0)
		r->timeout = seconds;
}

/* --- requests ----------------------------------------------------- */

static char *
host_only(const char *hostport)
{
	const char *end;

	if (*hostport == '[' && (end = strchr(hostport, ']')) != NULL)
		return xstrndup(hostport + 1, (size_t)(end - hostport - 1));
	end = strchr(hostport, ':');
	if (end != NULL && strchr(end + 1, ':') == NULL)
		return xstrndup(hostport, (size_t)(end - hostport));
	return xstrdup(hostport);
}

/* The host of host:port or [v6]:port goes to the one bypass matcher
 * (backend/bypass.c), as the endpoints check's does. */
static int
signin_bypassed(struct signin_run *r, const char *hostport)
{
	char *host = host_only(hostport);
	int hit = proxy_bypassed(&r->pc, host);

	free(host);
	return hit;
}

static void
wipe_headers(struct curl_slist *h)
{
	for (struct curl_slist *p = h; p != NULL; p = p->next)
		secure_zero(p->data, strlen(p->data));
	curl_slist_free_all(h);
}

static void
request_clear(struct signin_run *r)
{
	wipe_headers(r->headers);
	r->headers = NULL;
	sbuf_reset(&r->body);
	r->errbuf[0] = '\0';
}

/* Sends url; a POST when form holds anything (its memory is taken over
 * and wiped once the answer is in). */
static void
request_send(struct signin_run *r, enum req_kind kind, const char *host,
    const char *url, struct sbuf *form)
{
	CURL *h = r->easy;
	char *auth;

	request_clear(r);
	r->headers = curl_slist_append(NULL, "Accept: application/json");
	if (kind == REQ_ME || kind == REQ_CONNECTORS) {
		auth = xasprintf("Authorization: Bearer %s", r->token);
		r->headers = curl_slist_append(r->headers, auth);
		secure_zero(auth, strlen(auth));
		free(auth);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, r->timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, r->timeout);
	r->via_proxy = r->proxy != NULL && !signin_bypassed(r, host);
	curl_easy_setopt(h, CURLOPT_PROXY, r->via_proxy ? r->proxy : "");
	sbuf_reset(&r->form);
	if (form != NULL && form->len > 0) {
		r->form = *form;
		memset(form, 0, sizeof *form);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)r->form.len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, r->form.p);
	} else
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	r->req = kind;
	if (curl_multi_add_handle(r->multi, h) != CURLM_OK)
		signin_fail(r, "signin.transport", NULL, "cannot start the "
		    "request to %s", host);
}

/* "k=v&k=v" with every value escaped, in wiped memory. */
static void
form_add(struct signin_run *r, struct sbuf *b, const char *k,
    const char *v)
{
	char *e = curl_easy_escape(r->easy, v, 0);

	if (b->len > 0)
		sbuf_add(b, "&", 1);
	sbuf_add(b, k, strlen(k));
	sbuf_add(b, "=", 1);
	sbuf_add(b, e, strlen(e));
	secure_zero(e, strlen(e));
	curl_free(e);
}

static void
send_devicecode(struct signin_run *r)
{
	struct sbuf form = {0};
	char *url;

	form_add(r, &form, "client_id", r->client_id);
	form_add(r, &form, "scope", r->scope);
	url = xasprintf("https://%s/%s/oauth2/v2.0/devicecode",
	    r->cloud->login, r->tenant);
	request_send(r, REQ_DEVICECODE, r->cloud->login, url, &form);
	free(url);
}

static void
send_token(struct signin_run *r)
{
	struct sbuf form = {0};
	char *url;

	form_add(r, &form, "grant_type", GRANT_DEVICE_CODE);
	form_add(r, &form, "client_id", r->client_id);
	form_add(r, &form, "device_code", r->dc.device_code);
	url = xasprintf("https://%s/%s/oauth2/v2.0/token", r->cloud->login,
	    r->tenant);
	request_send(r, REQ_TOKEN, r->cloud->login, url, &form);
	free(url);
}

static void
send_graph(struct signin_run *r, enum req_kind kind, const char *path)
{
	char *url;

	url = xasprintf("https://%s%s", r->cloud->graph, path);
	request_send(r, kind, r->cloud->graph, url, NULL);
	free(url);
}

/* --- answers ------------------------------------------------------ */

/* RFC 8628 3.5 and Entra ID's own errors, from the token endpoint. */
enum poll_action {
	POLL_WAIT,
	POLL_SLOWER,
	POLL_FAIL,
};

static const struct oauth_error_row {
	const char *error;
	enum poll_action action;
	const char *code, *what, *hint;
} oauth_errors[] = {
	{ "authorization_pending", POLL_WAIT, NULL, NULL, NULL },
	{ "slow_down", POLL_SLOWER, NULL, NULL, NULL },
	{ "authorization_declined", POLL_FAIL, "signin.declined",
	    "the sign-in was declined",
	    "run the sign-in again and approve it; an account the app may "
	    "not be used by cannot sign in here" },
	{ "access_denied", POLL_FAIL, "signin.declined",
	    "the sign-in was declined",
	    "run the sign-in again and approve it; an account the app may "
	    "not be used by cannot sign in here" },
	{ "expired_token", POLL_FAIL, "signin.expired",
	    "the code expired before the sign-in was finished",
	    "run the sign-in again and enter the code before it expires" },
	{ "code_expired", POLL_FAIL, "signin.expired",
	    "the code expired before the sign-in was finished",
	    "run the sign-in again and enter the code before it expires" },
	{ "bad_verification_code", POLL_FAIL, "signin.bad-code",
	    "the server does not know this device code",
	    "run the sign-in again; if it repeats, a proxy may be altering "
	    "the requests" },
	{ "invalid_client", POLL_FAIL, "signin.client",
	    "the app is not allowed to sign in with a device code",
	    "[signin] client_id must be a public client app with \"Allow "
	    "public client flows\" on; empty uses Microsoft Graph Command "
	    "Line Tools" },
	{ "unauthorized_client", POLL_FAIL, "signin.client",
	    "the app is not allowed to sign in with a device code",
	    "[signin] client_id must be a public client app with \"Allow "
	    "public client flows\" on; empty uses Microsoft Graph Command "
	    "Line Tools" },
	{ "invalid_scope", POLL_FAIL, "signin.scope",
	    "the permissions asked for were refused",
	    "the app needs the delegated Graph permissions User.Read and "
	    "DeviceManagementConfiguration.Read.All; ask an administrator "
	    "to grant consent" },
	{ "invalid_grant", POLL_FAIL, "signin.refused",
	    "the sign-in was refused",
	    "read the server's reason; conditional access or MFA policies "
	    "are the usual cause" },
	{ "invalid_request", POLL_FAIL, "signin.refused",
	    "the request was refused",
	    "check [signin] tenant (a domain or tenant id of this cloud) "
	    "and client_id" },
};

static const struct oauth_error_row *
oauth_error_find(const char *error)
{
	static const struct oauth_error_row other = { NULL, POLL_FAIL,
	    "signin.refused", "the sign-in was refused",
	    "read the server's reason; check [signin] tenant and "
	    "client_id" };

	for (size_t i = 0; i < nitems(oauth_errors); i++)
		if (strcmp(oauth_errors[i].error, error) == 0)
			return &oauth_errors[i];
	return &other;
}

static void
oauth_fail(struct signin_run *r, const struct sj_oauth_error *e)
{
	const struct oauth_error_row *row = oauth_error_find(e->error);

	signin_fail(r, row->code, row->hint, "%s (%s%s%s)", row->what,
	    e->error, e->description != NULL ? ": " : "",
	    e->description != NULL ? e->description : "");
}

/* Not an answer we know: say what came, never the body itself. */
static void
http_fail(struct signin_run *r, const char *host, const char *what,
    long status)
{
	signin_fail(r, "signin.http", status >= 500 ? "the service has a "
	    "problem or a proxy is in the way; try again later" :
	    "check [signin] and [proxy], and that this is the cloud's "
	    "endpoint", "%s answered HTTP %ld to %s", host, status, what);
}

static void
done_devicecode(struct signin_run *r, long status)
{
	struct sj_oauth_error e;
	char why[256];

	if (status == 200) {
		if (sj_devicecode(r->body.p, r->body.len, &r->dc, why,
		    sizeof why) != 0) {
			signin_fail(r, "signin.malformed", "a proxy or a "
			    "wrong [signin] cloud may be answering instead "
			    "of Entra ID", "the device code answer from %s "
			    "is not usable: %s", r->cloud->login, why);
			return;
		}
		r->prompt.user_code = r->dc.user_code;
		r->prompt.verification_uri = r->dc.verification_uri;
		if (r->dc.message == NULL)
			r->fallback_message = xasprintf("To sign in, open "
			    "%s and enter the code %s.", r->dc.verification_uri,
			    r->dc.user_code);
		r->prompt.message = r->dc.message != NULL ? r->dc.message :
		    r->fallback_message;
		r->prompt.interval = (int)r->dc.interval;
		r->prompt.expires_at = time(NULL) + r->dc.expires_in;
		r->expires = now_ms() + r->dc.expires_in * 1000;
		r->next_poll = now_ms() + r->dc.interval * 1000;
		r->state = SIGNIN_WAITING;
	} else if (sj_oauth_error(r->body.p, r->body.len, &e) == 0) {
		oauth_fail(r, &e);
		sj_oauth_error_free(&e);
	} else
		http_fail(r, r->cloud->login, "the device code request",
		    status);
}

static void
token_error(struct signin_run *r, const struct sj_oauth_error *e)
{
	const struct oauth_error_row *row = oauth_error_find(e->error);

	switch (row->action) {
	case POLL_SLOWER:
		r->dc.interval += SIGNIN_SLOW_DOWN;
		r->prompt.interval = (int)r->dc.interval;
		/* FALLTHROUGH */
	case POLL_WAIT:
		r->next_poll = now_ms() + r->dc.interval * 1000;
		break;
	case POLL_FAIL:
		oauth_fail(r, e);
		break;
	}
}

static void
done_token(struct signin_run *r, long status)
{
	struct sj_token t;
	char why[256] = "";

	sj_token(r->body.p, r->body.len, &t, why, sizeof why);
	if (t.kind == SJ_TOKEN_ERROR)
		token_error(r, &t.err);
	else if (status != 200)
		http_fail(r, r->cloud->login, "the token request", status);
	else if (t.kind == SJ_TOKEN_MALFORMED)
		signin_fail(r, "signin.malformed", "a proxy or a wrong "
		    "[signin] cloud may be answering instead of Entra ID",
		    "the token answer from %s is not usable: %s",
		    r->cloud->login, why);
	else {
		r->token = t.access_token;
		r->token_len = t.access_token_len;
		t.access_token = NULL;
		t.access_token_len = 0;
		sj_secret_free(r->dc.device_code, strlen(r->dc.device_code));
		r->dc.device_code = NULL;
		r->state = SIGNIN_FETCHING;
	}
	sj_token_free(&t);
}

/* "HTTP 403 (Forbidden: Application is not authorized...)" */
static char *
graph_reason(struct signin_run *r, long status)
{
	char *code, *msg, *s;

	if (sj_graph_error(r->body.p, r->body.len, &code, &msg) != 0)
		return xasprintf("HTTP %ld", status);
	s = xasprintf("HTTP %ld (%s%s%s)", status, code ? code : "",
	    code && msg ? ": " : "", msg ? msg : "");
	free(code);
	free(msg);
	return s;
}

static void
done_me(struct signin_run *r, long status)
{
	char why[256], *reason;

	r->fetch = 1;
	if (status == 200 && sj_me(r->body.p, r->body.len, &r->user, why,
	    sizeof why) == 0)
		return;
	reason = status == 200 ? xstrdup(why) : graph_reason(r, status);
	finding_hint(finding_add(&r->findings, SEV_WARN, "signin", NULL,
	    "me-failed", "who signed in could not be read from %s: %s",
	    r->cloud->graph, reason),
	    "the app needs the User.Read permission");
	free(reason);
}

static void
connectors_next(struct signin_run *r)
{
	char *prefix = xasprintf("https://%s/", r->cloud->graph);

	/* Graph pages with absolute links; follow them only on the same
	 * host, where the token is meant to go. */
	if (r->next_link != NULL && !str_has_prefix(r->next_link, prefix)) {
		finding_hint(finding_add(&r->findings, SEV_WARN, "signin", NULL,
		    "graph-paging", "Graph's next page is on another host; "
		    "not followed"),
		    "the list shown is incomplete");
		free(r->next_link);
		r->next_link = NULL;
	} else if (r->next_link != NULL && r->pages >= SIGNIN_PAGES_MAX) {
		finding_hint(finding_add(&r->findings, SEV_WARN, "signin", NULL,
		    "graph-paging", "more than %d pages of connectors; "
		    "stopped there", SIGNIN_PAGES_MAX),
		    "the list shown is incomplete");
		free(r->next_link);
		r->next_link = NULL;
	}
	if (r->next_link == NULL)
		r->fetch = 2;
	free(prefix);
}

static void
done_connectors(struct signin_run *r, long status)
{
	char why[256], *reason;

	free(r->next_link);
	r->next_link = NULL;
	r->pages++;
	if (status == 200) {
		if (sj_connectors(r->body.p, r->body.len, &r->conn,
		    &r->next_link, why, sizeof why) == 0)
			connectors_next(r);
		else
			signin_fail(r, "signin.malformed", "a proxy may be "
			    "answering instead of Graph", "the connector "
			    "list from %s is not usable: %s",
			    r->cloud->graph, why);
		return;
	}
	reason = graph_reason(r, status);
	if (status == 401 || status == 403)
		signin_fail(r, "signin.graph-forbidden", "sign in as an "
		    "Intune Administrator (or a role that reads Intune "
		    "configuration) and make sure the app has the "
		    "DeviceManagementConfiguration.Read.All permission",
		    "Graph refused the connector list: %s", reason);
	else
		signin_fail(r, "signin.graph-http", status >= 500 ? "the "
		    "service has a problem; try again later" : "check the "
		    "[signin] cloud", "Graph answered the connector list "
		    "with %s", reason);
	free(reason);
}

static const struct req_type {
	const char *what;
	int graph; /* which host: 0 login, 1 graph */
	void (*done)(struct signin_run *, long);
} req_types[] = {
	[REQ_DEVICECODE] = { "the device code request", 0, done_devicecode },
	[REQ_TOKEN] = { "the token request", 0, done_token },
	[REQ_ME] = { "the request for the signed-in user", 1, done_me },
	[REQ_CONNECTORS] = { "the request for the connectors", 1,
	    done_connectors },
};

static const struct curl_error_row {
	CURLcode rc;
	const char *code, *hint;
} curl_errors[] = {
	{ CURLE_OPERATION_TIMEDOUT, "signin.timeout",
	    "the server did not answer in time; check the network path and "
	    "[proxy], or allow longer with --timeout" },
	{ CURLE_COULDNT_RESOLVE_HOST, "signin.connect",
	    "check DNS, and [proxy] if this server must use one" },
	{ CURLE_COULDNT_CONNECT, "signin.connect",
	    "check the firewall, and [proxy] if this server must use one" },
	{ CURLE_COULDNT_RESOLVE_PROXY, "signin.proxy",
	    "check [proxy] url" },
	{ CURLE_PEER_FAILED_VERIFICATION, "signin.tls",
	    "the server's certificate does not verify (unknown issuer or "
	    "another name); a TLS-inspecting proxy needs its CA in the "
	    "cloud's ca_file or --cacert" },
	{ CURLE_SSL_CONNECT_ERROR, "signin.tls",
	    "the TLS handshake failed; check the proxy and the TLS 1.2 "
	    "settings" },
	{ CURLE_SSL_CACERT_BADFILE, "signin.tls",
	    "the CA file cannot be read; check the cloud's ca_file" },
	{ CURLE_WRITE_ERROR, "signin.too-large",
	    "no answer of these services is that large; something else is "
	    "answering" },
};

static void
transport_fail(struct signin_run *r, const struct req_type *t,
    CURLcode rc)
{
	const char *host = t->graph ? r->cloud->graph : r->cloud->login;
	const char *code = "signin.transport", *hint = "check the network "
	    "path to the host and [proxy]";
	long connect = 0;

	for (size_t i = 0; i < nitems(curl_errors); i++)
		if (curl_errors[i].rc == rc) {
			code = curl_errors[i].code;
			hint = curl_errors[i].hint;
		}
	/* Through a proxy, "cannot connect" and a refused CONNECT are
	 * the proxy's doing. */
	curl_easy_getinfo(r->easy, CURLINFO_HTTP_CONNECTCODE, &connect);
	if (connect == 407) {
		code = "signin.proxy-auth";
		hint = "check [proxy] username and password";
	} else if (r->via_proxy && (connect != 0 ||
	    rc == CURLE_COULDNT_CONNECT)) {
		code = "signin.proxy";
		hint = "check [proxy] url, and that the proxy lets this "
		    "server reach the host";
	}
	signin_fail(r, code, hint, "%s to %s failed: %s", t->what, host,
	    rc == CURLE_WRITE_ERROR ? "the answer is larger than 4 MiB" :
	    r->errbuf[0] != '\0' ? r->errbuf : curl_easy_strerror(rc));
}

static void
request_done(struct signin_run *r, CURLcode rc)
{
	const struct req_type *t = &req_types[r->req];
	long status = 0;
	char *where = NULL;

	curl_multi_remove_handle(r->multi, r->easy);
	r->req = REQ_NONE;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK)
		transport_fail(r, t, rc);
	else if (status >= 300 && status < 400) {
		curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_URL, &where);
		signin_fail(r, "signin.redirect", "a proxy or captive portal "
		    "may be in the way; redirects are not followed with "
		    "credentials", "%s was redirected (HTTP %ld) to %s",
		    t->what, status, where != NULL ? where : "nowhere");
	} else
		t->done(r, status);
	request_clear(r);
	sbuf_reset(&r->form);
}

/* --- the steps ---------------------------------------------------- */

static void
signin_finish(struct signin_run *r)
{
	sj_connectors_judge(&r->conn, r->machine, time(NULL), &r->findings);
	finding_add(&r->findings, SEV_OK, "signin", NULL, "signed-in",
	    "signed in to %s as %s",
	    r->cloud->title ? r->cloud->title : r->cloud->name,
	    r->user != NULL ? r->user : "(unknown user)");
	r->state = SIGNIN_DONE;
	signin_forget(r); /* both Graph reads are done */
}

/* Start what comes next, if its time has come. */
static void
signin_next(struct signin_run *r)
{
	switch (r->state) {
	case SIGNIN_REQUESTING:
		send_devicecode(r);
		break;
	case SIGNIN_WAITING:
		if (now_ms() >= r->expires)
			signin_fail(r, "signin.expired", "run the sign-in "
			    "again and enter the code before it expires",
			    "the code expired before the sign-in was "
			    "finished");
		else if (now_ms() >= r->next_poll)
			send_token(r);
		break;
	case SIGNIN_FETCHING:
		if (r->fetch == 0)
			send_graph(r, REQ_ME, "/v1.0/me?$select="
			    "userPrincipalName,mail,displayName");
		else if (r->fetch == 1 && r->next_link != NULL)
			request_send(r, REQ_CONNECTORS, r->cloud->graph,
			    r->next_link, NULL);
		else if (r->fetch == 1)
			send_graph(r, REQ_CONNECTORS,
			    "/beta/deviceManagement/ndesConnectors");
		else
			signin_finish(r);
		break;
	default:
		break;
	}
}

static int
signin_finished(const struct signin_run *r)
{
	return r->state == SIGNIN_DONE || r->state == SIGNIN_FAILED ||
	    r->state == SIGNIN_CANCELLED;
}

static void
signin_perform(struct signin_run *r)
{
	CURLMsg *m;
	int running, left;

	curl_multi_perform(r->multi, &running);
	while ((m = curl_multi_info_read(r->multi, &left)) != NULL)
		if (m->msg == CURLMSG_DONE && r->req != REQ_NONE)
			request_done(r, m->data.result);
}

int
signin_poll(struct signin_run *r, int timeout_ms)
{
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int64_t wait;

	for (;;) {
		if (!signin_finished(r) && r->req == REQ_NONE)
			signin_next(r);
		if (!signin_finished(r) && r->req != REQ_NONE)
			signin_perform(r);
		if (signin_finished(r))
			return 0;
		if (r->req == REQ_NONE && r->state != SIGNIN_WAITING)
			continue; /* the next step starts at once */
		wait = deadline - now_ms();
		if (wait <= 0)
			return 1;
		if (r->req == REQ_NONE && r->next_poll - now_ms() < wait)
			wait = r->next_poll - now_ms();
		if (wait > 0)
			curl_multi_poll(r->multi, NULL, 0, (int)wait, NULL);
	}
}

enum signin_state
signin_state(const struct signin_run *r)
{
	return r->state;
}

const struct signin_prompt *
signin_prompt(const struct signin_run *r)
{
	return r->prompt.user_code != NULL ? &r->prompt : NULL;
}

const char *
signin_user(const struct signin_run *r)
{
	return r->user;
}

size_t
signin_connector_count(const struct signin_run *r)
{
	return r->conn.n;
}

const struct ndes_connector *
signin_connector(const struct signin_run *r, size_t i)
{
	return i < r->conn.n ? &r->conn.v[i] : NULL;
}

const struct findings *
signin_findings(const struct signin_run *r)
{
	return &r->findings;
}

void
signin_cancel(struct signin_run *r)
{
	if (signin_finished(r))
		return;
	if (r->req != REQ_NONE) {
		curl_multi_remove_handle(r->multi, r->easy);
		r->req = REQ_NONE;
	}
	request_clear(r);
	sbuf_reset(&r->form);
	finding_hint(finding_add(&r->findings, SEV_WARN, "signin", NULL,
	    "cancelled", "the sign-in was cancelled"),
	    "run the sign-in again when ready");
	r->state = SIGNIN_CANCELLED;
	signin_forget(r);
}

void
signin_free(struct signin_run *r)
{
	if (r == NULL)
		return;
	if (r->req != REQ_NONE)
		curl_multi_remove_handle(r->multi, r->easy);
	request_clear(r);
	sbuf_reset(&r->form);
	signin_forget(r);
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	if (r->multi != NULL)
		curl_multi_cleanup(r->multi);
	sj_devicecode_free(&r->dc);
	free(r->fallback_message);
	free(r->tenant);
	free(r->client_id);
	free(r->scope);
	free(r->machine);
	free(r->proxy);
	proxy_conf_free(&r->pc);
	free(r->user);
	free(r->next_link);
	sj_connectors_free(&r->conn);
	findings_free(&r->findings);
	clouds_free(&r->clouds);
	free(r);
	curl_global_cleanup();
}
