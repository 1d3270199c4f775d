/*
 * The health check's engine: the probe table, one libcurl multi handle
 * that carries every probe's transfers at once, and the states the front
 * ends read between two check_poll calls.
 */
#include "probe.h"
#include "curl-load.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* In the order people read them: NDES itself, then what it serves, then
 * the connector's way out and the CRLs NDES needs, then what only the
 * server can tell. */
static const struct probe_def *const probe_table[] = {
	&probe_mscep,
	&probe_tls,
	&probe_getcacaps,
	&probe_getcacert,
	&probe_longurl,
	&probe_endpoints,
	&probe_crl,
	&probe_connector,
	&probe_services,
	&probe_connector_cert,
	&probe_lastcontact,
	&probe_reboot,
	&probe_events,
};

struct check_run {
	struct check_env env;
	CURLM *multi;
	struct probe probes[nitems(probe_table)];
	int started;
};

static const char *const probe_state_names[] = {
	[PROBE_WAITING] = "waiting",
	[PROBE_RUNNING] = "running",
	[PROBE_PASS] = "pass",
	[PROBE_WARN] = "warn",
	[PROBE_FAIL] = "fail",
	[PROBE_SKIPPED] = "skipped",
};

const char *
probe_state_name(enum probe_state s)
{
	if ((size_t)s >= nitems(probe_state_names))
		return "?";
	return probe_state_names[s];
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct finding *
probe_add(struct probe *p, enum severity sev, const char *kind,
    const char *field, const char *fmt, ...)
{
	struct finding *x;
	char *code, *msg;
	va_list ap;

	code = xasprintf("health.%s-%s", p->def->name, kind);
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	x = finding_add(&p->st.findings, sev, "health", field, code, "%s",
	    msg);
	free(msg);
	free(code);
	return x;
}

void
probe_skip(struct probe *p, const char *kind, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	probe_add(p, SEV_OK, kind, NULL, "%s", msg);
	free(msg);
	p->skipped = 1;
}

char *
probe_scep_url(const struct probe *p, const char *op, const char *msg)
{
	const char *url = p->env->url;

	return xasprintf("%s%coperation=%s&message=%s", url,
	    strchr(url, '?') != NULL ? '&' : '?', op, msg);
}

void
check_queue(struct probe *p, struct xfer *x)
{
	p->xv = xreallocarray(p->xv, p->nx + 1, sizeof *p->xv);
	p->xv[p->nx++] = x;
	curl_multi_add_handle(p->run->multi, x->h);
}

static void
xfer_release(struct check_run *r, struct xfer *x)
{
	curl_multi_remove_handle(r->multi, x->h);
	curl_easy_cleanup(x->h);
	free(x->url);
	free(x->label);
	free(x->proxy);
	free(x->date);
	buf_free(&x->body);
	free(x);
}

static void
probe_end(struct probe *p)
{
	static const enum probe_state by_severity[] = {
		[SEV_OK] = PROBE_PASS,
		[SEV_WARN] = PROBE_WARN,
		[SEV_ERROR] = PROBE_FAIL,
	};

	p->ended = 1;
	p->st.seconds = p->run->started ? now_seconds() - p->t0 : 0;
	if (p->skipped)
		p->st.state = PROBE_SKIPPED;
	else
		p->st.state = by_severity[findings_worst(&p->st.findings)];
}

/* Hand every finished transfer to its probe; end probes that are done. */
static void
drain(struct check_run *r)
{
	struct xfer *x;
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(r->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &x);
		x->rc = m->data.result;
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
		x->p->def->done(x->p, x);
		for (size_t i = 0; i < x->p->nx; i++)
			if (x->p->xv[i] == x)
				x->p->xv[i] = NULL;
		x->p->ndone++;
		if (x->p->ndone == x->p->nx)
			probe_end(x->p);
		xfer_release(r, x);
	}
}

static int
all_ended(const struct check_run *r)
{
	for (size_t i = 0; i < nitems(r->probes); i++)
		if (!r->probes[i].ended)
			return 0;
	return 1;
}

/* The mscep.dll URL and its host, from --url, [health] url or the FQDN. */
static int
env_url(struct check_env *e, const struct check_options *o, char *err,
    size_t len)
{
	const char *fqdn = answers_get(&e->a, F_BINDING_FQDN);
	const char *hurl = answers_get(&e->a, F_HEALTH_URL);
	long long port = answers_int(&e->a, F_BINDING_PORT);
	char *scheme = NULL, *host = NULL;
	CURLU *u;
	int rc = -1;

	if (o->url != NULL && *o->url != '\0')
		e->url = xstrdup(o->url);
	else if (hurl != NULL && *hurl != '\0')
		e->url = xstrdup(hurl);
	else if (fqdn != NULL && *fqdn != '\0')
		e->url = port == 443 || port == 0 ?
		    xasprintf("https://%s/certsrv/mscep/mscep.dll", fqdn) :
		    xasprintf("https://%s:%lld/certsrv/mscep/mscep.dll", fqdn,
		    port);
	else {
		snprintf(err, len, "no URL to probe: give --url, or [binding] "
		    "fqdn or [health] url in the answers (-a FILE)");
		return -1;
	}
	u = curl_url();
	if (curl_url_set(u, CURLUPART_URL, e->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		snprintf(err, len, "'%s' is not a URL (want https://NAME/"
		    "certsrv/mscep/mscep.dll)", e->url);
	else if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0)
		snprintf(err, len, "'%s': only https:// (or http://) URLs can "
		    "be probed", e->url);
	else {
		/* An IPv6 literal comes back in brackets. */
		if (host[0] == '[')
			e->host = xstrndup(host + 1, strcspn(host + 1, "]"));
		else
			e->host = xstrdup(host);
		rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

/* Which cloud the endpoints probe talks to, or why it does not run. */
static int
env_cloud(struct check_env *e, const struct check_options *o, char *err,
    size_t len)
{
	const char *name = answers_get(&e->a, F_SIGNIN_CLOUD);

	/*
	 * --url alone is how a monitoring host watches NDES from outside;
	 * the endpoints only tell something on the connector server, whose
	 * answers name the cloud.
	 */
	if (o->url != NULL && e->a.src[F_SIGNIN_CLOUD] == SRC_DEFAULT &&
	    o->clouds_file == NULL) {
		e->endpoints_skip = "only --url was given: the cloud "
		    "endpoints are checked on the connector server, with its "
		    "answers (-a FILE, [signin] cloud) or --clouds FILE";
		return 0;
	}
	if (clouds_load(&e->clouds, o->clouds_file, err, len) != 0)
		return -1;
	if ((e->cloud = clouds_find(&e->clouds, name)) == NULL) {
		snprintf(err, len, "[signin] cloud '%s' is not in the clouds "
		    "table%s%s", name, o->clouds_file ? " " : "",
		    o->clouds_file ? o->clouds_file : "");
		return -1;
	}
	/* Unreadable, it would make every host look intercepted. */
	if (e->cloud->ca_file != NULL && *e->cloud->ca_file != '\0' &&
	    access(e->cloud->ca_file, R_OK) != 0) {
		snprintf(err, len, "[%s] ca_file %s of the clouds table cannot "
		    "be read", name, e->cloud->ca_file);
		return -1;
	}
	return 0;
}

static int
env_init(struct check_env *e, const struct answers *a,
    const struct check_options *o, char *err, size_t len)
{
	const char *bundle = answers_get(a, F_HEALTH_CA_BUNDLE);
	int scep;

	answers_copy(&e->a, a);
	e->server = o->host;
	e->timeout_ms = 1000L * (o->timeout > 0 ? o->timeout :
	    answers_int(a, F_HEALTH_TIMEOUT_SECONDS));
	if (e->timeout_ms <= 0)
		e->timeout_ms = 10000;
	if (o->cacert != NULL)
		e->cacert = xstrdup(o->cacert);
	else if (bundle != NULL && *bundle != '\0')
		e->cacert = xstrdup(bundle);
	if (e->cacert != NULL && (!file_exists(e->cacert) ||
	    access(e->cacert, R_OK) != 0)) {
		snprintf(err, len, "%s: cannot read this CA bundle (a PEM file "
		    "of the CAs to trust)", e->cacert);
		return -1;
	}
	/* An explicit URL is probed whatever the scenarios say. */
	scep = o->url != NULL || answers_list_has(a, F_PREREQS_SCENARIOS,
	    "scep");
	if (!scep)
		e->scep_skip = "the answers choose no SCEP ([prereqs] "
		    "scenarios) and no --url was given";
	else if (env_url(e, o, err, len) != 0)
		return -1;
	return env_cloud(e, o, err, len);
}

static void
env_free(struct check_env *e)
{
	answers_free(&e->a);
	free(e->url);
	free(e->host);
	free(e->cacert);
	clouds_free(&e->clouds);
	memset(e, 0, sizeof *e);
}

struct check_run *
check_start(const struct answers *a, const struct check_options *o,
    char *err, size_t len)
{
	static const struct check_options none;
	struct check_run *r;

	if (o == NULL)
		o = &none;
	if (curl_load("the health check", err, len) != 0)
		return NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, len, "cannot start libcurl");
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	if (env_init(&r->env, a, o, err, len) != 0) {
		env_free(&r->env);
		free(r);
		curl_global_cleanup();
		return NULL;
	}
	r->multi = curl_multi_init();
	for (size_t i = 0; i < nitems(probe_table); i++) {
		struct probe *p = &r->probes[i];

		p->def = probe_table[i];
		p->run = r;
		p->env = &r->env;
		p->st.name = p->def->name;
		p->st.title = p->def->title;
		p->st.state = PROBE_WAITING;
		p->def->start(p);
		if (p->nx == 0)
			probe_end(p);
	}
	return r;
}

int
check_poll(struct check_run *r, int timeout_ms)
{
	double deadline = now_seconds() + (timeout_ms > 0 ? timeout_ms : 0) /
	    1000.0;
	double left;
	int running;

	if (!r->started) {
		r->started = 1;
		for (size_t i = 0; i < nitems(r->probes); i++) {
			r->probes[i].t0 = now_seconds();
			if (!r->probes[i].ended)
				r->probes[i].st.state = PROBE_RUNNING;
		}
	}
	for (;;) {
		curl_multi_perform(r->multi, &running);
		drain(r);
		if (all_ended(r))
			return 0;
		left = (deadline - now_seconds()) * 1000;
		if (left <= 0)
			return 1;
		/* Returns early on activity or when libcurl's own timer
		 * (a probe's timeout) is due. */
		curl_multi_poll(r->multi, NULL, 0, left < 1 ? 1 : (int)left,
		    NULL);
	}
}

size_t
check_probe_count(const struct check_run *r)
{
	return nitems(r->probes);
}

const struct probe_status *
check_probe(const struct check_run *r, size_t i)
{
	if (i >= nitems(r->probes))
		return NULL;
	return &r->probes[i].st;
}

void
check_cancel(struct check_run *r)
{
	for (size_t i = 0; i < nitems(r->probes); i++) {
		struct probe *p = &r->probes[i];

		if (p->ended)
			continue;
		for (size_t k = 0; k < p->nx; k++)
			if (p->xv[k] != NULL) {
				xfer_release(r, p->xv[k]);
				p->xv[k] = NULL;
			}
		probe_skip(p, "cancelled", "stopped before it finished");
		probe_end(p);
	}
}

void
check_free(struct check_run *r)
{
	if (r == NULL)
		return;
	check_cancel(r);
	for (size_t i = 0; i < nitems(r->probes); i++) {
		findings_free(&r->probes[i].st.findings);
		free(r->probes[i].xv);
		free(r->probes[i].data);
	}
	curl_multi_cleanup(r->multi);
	env_free(&r->env);
	free(r);
	curl_global_cleanup();
}

const char *
check_url(const struct check_run *r)
{
	return r->env.url;
}
