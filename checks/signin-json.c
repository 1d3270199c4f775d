/*
 * What the answers of Entra ID and Graph mean. Token responses hold
 * secrets (access, refresh and id tokens): every string of such a
 * document is wiped inside jansson before it is released, and messages
 * never quote a body.
 */
#include "signin-json.h"
#include "secret.h"
#include "util.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#define SJ_DAY (24 * 60 * 60)

char *
sj_secret_dup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);

	/* Best effort: keep it out of swap. */
	(void)mlock(p, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
sj_secret_free(char *p, size_t len)
{
	if (p == NULL)
		return;
	secure_zero(p, len + 1);
	munlock(p, len + 1);
	free(p);
}

#if defined(__GLIBC__)
/* malloc's own block, so memory jansson hands out may still be released
 * with free() (json_dumps' callers do), and the other way round. */
static void
sj_wiping_free(void *p)
{
	if (p != NULL)
		secure_zero(p, malloc_usable_size(p));
	free(p);
}
#endif

void
sj_wipe_on_free(void)
{
#if defined(__GLIBC__)
	json_set_alloc_funcs(malloc, sj_wiping_free);
#endif
}

void
sj_sanitize(char *s)
{
	unsigned char *p;

	if (s == NULL)
		return;
	for (p = (unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
		/* U+0080..U+009F: C1 controls, which some terminals obey
		 * (0x9b is CSI). */
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			p[0] = p[1] = '?';
			p++;
		}
	}
}

static json_t *
sj_load(const char *body, size_t len)
{
	json_error_t e;

	if (body == NULL)
		return NULL;
	return json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
}

/* Every string value of an object (one level down) overwritten in place:
 * jansson frees without wiping. */
static void
sj_wipe_strings(json_t *o)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		if (json_is_string(v))
			secure_zero((char *)json_string_value(v),
			    json_string_length(v));
	}
}

static char *
sj_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	char *s;

	if (!json_is_string(v))
		return NULL;
	s = xstrdup(json_string_value(v));
	sj_sanitize(s);
	return s;
}

/* A number, as Entra ID's v2 endpoint sends it, or a numeric string as
 * the older v1 endpoint did. */
static int
sj_long(json_t *o, const char *key, long min, long max, long *out)
{
	json_t *v = json_object_get(o, key);
	long long n;

	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (!json_is_string(v) ||
	    str_to_long(json_string_value(v), LLONG_MIN, LLONG_MAX, &n) != 0)
		return -1;
	if (n < min || n > max)
		return -1;
	*out = (long)n;
	return 0;
}

static int
sj_devicecode_fields(json_t *o, struct sj_devicecode *d, char *why,
    size_t wlen)
{
	json_t *dc = json_object_get(o, "device_code");

	if (!json_is_string(dc) || json_string_length(dc) == 0) {
		snprintf(why, wlen, "no device_code");
		return -1;
	}
	d->device_code = sj_secret_dup(json_string_value(dc),
	    json_string_length(dc));
	d->user_code = sj_str(o, "user_code");
	d->verification_uri = sj_str(o, "verification_uri");
	if (d->verification_uri == NULL) /* Entra ID v1 spelling */
		d->verification_uri = sj_str(o, "verification_url");
	d->message = sj_str(o, "message");
	if (d->user_code == NULL || *d->user_code == '\0') {
		snprintf(why, wlen, "no user_code");
		return -1;
	}
	if (d->verification_uri == NULL ||
	    !str_has_prefix(d->verification_uri, "https://")) {
		snprintf(why, wlen, "verification_uri is missing or not an "
		    "https URL");
		return -1;
	}
	if (sj_long(o, "expires_in", 1, SJ_DAY, &d->expires_in) != 0) {
		snprintf(why, wlen, "expires_in is missing or not a number "
		    "of seconds up to a day");
		return -1;
	}
	/* RFC 8628 3.2: absent means 5 seconds. */
	d->interval = 5;
	if (json_object_get(o, "interval") != NULL &&
	    sj_long(o, "interval", 1, 600, &d->interval) != 0) {
		snprintf(why, wlen, "interval is not a number of seconds "
		    "from 1 to 600");
		return -1;
	}
	return 0;
}

int
sj_devicecode(const char *body, size_t len, struct sj_devicecode *d,
    char *why, size_t wlen)
{
	json_t *o = sj_load(body, len);
	int rc;

	memset(d, 0, sizeof *d);
	if (!json_is_object(o)) {
		snprintf(why, wlen, "the answer is not a JSON object");
		json_decref(o);
		return -1;
	}
	rc = sj_devicecode_fields(o, d, why, wlen);
	sj_wipe_strings(o);
	json_decref(o);
	if (rc != 0)
		sj_devicecode_free(d);
	return rc;
}

void
sj_devicecode_free(struct sj_devicecode *d)
{
	if (d->device_code != NULL)
		sj_secret_free(d->device_code, strlen(d->device_code));
	free(d->user_code);
	free(d->verification_uri);
	free(d->message);
	memset(d, 0, sizeof *d);
}

static int
sj_oauth_error_of(json_t *o, struct sj_oauth_error *e)
{
	memset(e, 0, sizeof *e);
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "error")))
		return -1;
	e->error = sj_str(o, "error");
	e->description = sj_str(o, "error_description");
	return 0;
}

int
sj_oauth_error(const char *body, size_t len, struct sj_oauth_error *e)
{
	json_t *o = sj_load(body, len);
	int rc;

	rc = sj_oauth_error_of(o, e);
	if (json_is_object(o))
		sj_wipe_strings(o);
	json_decref(o);
	return rc;
}

void
sj_oauth_error_free(struct sj_oauth_error *e)
{
	free(e->error);
	free(e->description);
	memset(e, 0, sizeof *e);
}

static void
sj_token_fields(json_t *o, struct sj_token *t, char *why, size_t wlen)
{
	json_t *at = json_object_get(o, "access_token");
	json_t *tt = json_object_get(o, "token_type");

	if (sj_oauth_error_of(o, &t->err) == 0) {
		t->kind = SJ_TOKEN_ERROR;
		return;
	}
	t->kind = SJ_TOKEN_MALFORMED;
	if (!json_is_string(at) || json_string_length(at) == 0) {
		snprintf(why, wlen, "neither access_token nor error");
		return;
	}
	/* Only a bearer token goes into an Authorization: Bearer header. */
	if (tt != NULL && (!json_is_string(tt) ||
	    strcasecmp(json_string_value(tt), "Bearer") != 0)) {
		snprintf(why, wlen, "token_type is not Bearer");
		return;
	}
	t->access_token = sj_secret_dup(json_string_value(at),
	    json_string_length(at));
	t->access_token_len = json_string_length(at);
	t->kind = SJ_TOKEN_OK;
}

void
sj_token(const char *body, size_t len, struct sj_token *t, char *why,
    size_t wlen)
{
	json_t *o = sj_load(body, len);

	memset(t, 0, sizeof *t);
	if (!json_is_object(o)) {
		t->kind = SJ_TOKEN_MALFORMED;
		snprintf(why, wlen, "the answer is not a JSON object");
	} else {
		sj_token_fields(o, t, why, wlen);
		sj_wipe_strings(o);
	}
	json_decref(o);
}

void
sj_token_free(struct sj_token *t)
{
	sj_secret_free(t->access_token, t->access_token_len);
	sj_oauth_error_free(&t->err);
	memset(t, 0, sizeof *t);
}

int
sj_graph_error(const char *body, size_t len, char **code, char **message)
{
	json_t *o = sj_load(body, len), *e;
	int rc = -1;

	*code = *message = NULL;
	e = json_is_object(o) ? json_object_get(o, "error") : NULL;
	if (json_is_object(e)) {
		*code = sj_str(e, "code");
		*message = sj_str(e, "message");
		rc = *code != NULL || *message != NULL ? 0 : -1;
	}
	json_decref(o);
	return rc;
}

int
sj_me(const char *body, size_t len, char **user, char *why, size_t wlen)
{
	static const char *const keys[] = {
		"userPrincipalName", "mail", "displayName",
	};
	json_t *o = sj_load(body, len);

	*user = NULL;
	if (!json_is_object(o)) {
		snprintf(why, wlen, "the answer is not a JSON object");
		json_decref(o);
		return -1;
	}
	for (size_t i = 0; i < nitems(keys) && *user == NULL; i++)
		*user = sj_str(o, keys[i]);
	json_decref(o);
	if (*user == NULL) {
		snprintf(why, wlen, "no userPrincipalName, mail or "
		    "displayName");
		return -1;
	}
	return 0;
}

static const struct {
	const char *key;
	size_t off;
} connector_keys[] = {
	{ "id", offsetof(struct ndes_connector, id) },
	{ "displayName", offsetof(struct ndes_connector, display_name) },
	{ "machineName", offsetof(struct ndes_connector, machine_name) },
	{ "state", offsetof(struct ndes_connector, state) },
	{ "connectorVersion", offsetof(struct ndes_connector, version) },
	{ "lastConnectionDateTime",
	    offsetof(struct ndes_connector, last_connection) },
};

static void
sj_connector_fill(json_t *o, struct ndes_connector *c)
{
	memset(c, 0, sizeof *c);
	for (size_t k = 0; k < nitems(connector_keys); k++)
		*(char **)((char *)c + connector_keys[k].off) =
		    sj_str(o, connector_keys[k].key);
}

static void
sj_connector_clear(struct ndes_connector *c)
{
	for (size_t k = 0; k < nitems(connector_keys); k++)
		free(*(char **)((char *)c + connector_keys[k].off));
	memset(c, 0, sizeof *c);
}

int
sj_connectors(const char *body, size_t len, struct sj_connectors *l,
    char **next_link, char *why, size_t wlen)
{
	json_t *o = sj_load(body, len), *a, *e;
	size_t i;

	*next_link = NULL;
	a = json_is_object(o) ? json_object_get(o, "value") : NULL;
	if (!json_is_array(a)) {
		snprintf(why, wlen, "no \"value\" list of connectors");
		json_decref(o);
		return -1;
	}
	json_array_foreach(a, i, e) {
		if (!json_is_object(e)) {
			snprintf(why, wlen, "connector %zu is not an object",
			    i + 1);
			json_decref(o);
			return -1;
		}
	}
	l->v = xreallocarray(l->v, l->n + json_array_size(a), sizeof *l->v);
	json_array_foreach(a, i, e)
		sj_connector_fill(e, &l->v[l->n++]);
	*next_link = sj_str(o, "@odata.nextLink");
	json_decref(o);
	return 0;
}

void
sj_connectors_free(struct sj_connectors *l)
{
	for (size_t i = 0; i < l->n; i++)
		sj_connector_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int
sj_offset(const char *p, long *off)
{
	int h, m, n = 0;

	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		*off = 0;
		return 0;
	}
	if ((*p != '+' && *p != '-') ||
	    sscanf(p + 1, "%2d:%2d%n", &h, &m, &n) != 2 || p[1 + n] != '\0' ||
	    h > 23 || m > 59)
		return -1;
	*off = (h * 60L + m) * 60L * (*p == '-' ? -1 : 1);
	return 0;
}

int
sj_time_parse(const char *s, time_t *out)
{
	struct tm tm;
	long off;
	int n = 0;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof tm);
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != 19 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	s += n;
	if (*s == '.') /* Graph writes up to 7 digits of fraction */
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	if (sj_offset(s, &off) != 0)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm) - off;
	return 0;
}

/* short is a single label and the first label of fqdn. */
static int
sj_first_label(const char *shortname, const char *fqdn)
{
	size_t n = strlen(shortname);

	return strchr(shortname, '.') == NULL && n > 0 &&
	    strncasecmp(shortname, fqdn, n) == 0 && fqdn[n] == '.';
}

int
sj_same_machine(const char *a, const char *b)
{
	size_t la, lb;

	if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
		return 0;
	la = strlen(a) - (a[strlen(a) - 1] == '.');
	lb = strlen(b) - (b[strlen(b) - 1] == '.');
	if (la == lb && strncasecmp(a, b, la) == 0)
		return 1;
	return sj_first_label(a, b) || sj_first_label(b, a);
}

static const char *
sj_name(const struct ndes_connector *c)
{
	if (c->display_name != NULL && *c->display_name != '\0')
		return c->display_name;
	if (c->machine_name != NULL && *c->machine_name != '\0')
		return c->machine_name;
	return c->id != NULL ? c->id : "(unnamed)";
}

static void
sj_judge_one(const struct ndes_connector *c, time_t now,
    struct findings *f)
{
	enum severity sev = c->this_machine ? SEV_ERROR : SEV_WARN;
	time_t t;

	if (str_ieq(c->state, "inactive"))
		finding_set_hint(finding_add(f, sev, "signin", NULL,
		    "connector-inactive", "connector %s (%s) is inactive%s",
		    sj_name(c), c->machine_name ? c->machine_name : "?",
		    c->this_machine ? " on this machine" : ""),
		    c->this_machine ? "on this server: check the connector "
		    "service and its log (Event Viewer > Applications and "
		    "Services Logs > Microsoft > Intune > "
		    "CertificateConnectors), then its proxy and the Intune "
		    "endpoints" : "check that server, or remove the "
		    "connector in Intune if it is gone");
	if (sj_time_parse(c->last_connection, &t) == 0 && now - t > SJ_DAY)
		finding_hint(finding_add(f, SEV_WARN, "signin", NULL,
		    "connector-stale", "connector %s last connected %lld "
		    "hours ago (%s)", sj_name(c), (long long)(now - t) / 3600,
		    c->last_connection),
		    "a connector checks in with Intune several times a day; "
		    "a silent one is stopped or cannot reach the service");
}

void
sj_connectors_judge(struct sj_connectors *l, const char *machine,
    time_t now, struct findings *f)
{
	size_t mine = 0;

	if (l->n == 0) {
		finding_hint(finding_add(f, SEV_WARN, "signin", NULL,
		    "no-connectors", "no certificate connector is registered "
		    "in this tenant"),
		    "install the Certificate Connector for Microsoft Intune "
		    "on this server and finish its configuration wizard");
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		l->v[i].this_machine = sj_same_machine(machine,
		    l->v[i].machine_name);
		mine += l->v[i].this_machine;
		sj_judge_one(&l->v[i], now, f);
	}
	if (machine != NULL && *machine != '\0' && mine == 0)
		finding_hint(finding_add(f, SEV_WARN, "signin", NULL,
		    "machine-not-registered", "%zu connector%s registered, "
		    "none on this machine (%s)", l->n, l->n == 1 ? "" : "s",
		    machine),
		    "install the Certificate Connector on this server, or "
		    "check that the machine name is the one the connector "
		    "registered");
	else if (mine > 0)
		finding_add(f, SEV_OK, "signin", NULL, "connector-registered",
		    "this machine's connector is registered");
}
