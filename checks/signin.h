/*
 * Sign-in with the OAuth 2.0 device authorization grant (RFC 8628), then
 * the signed-in user and the tenant's certificate connectors from Graph.
 * Step-driven like the health check, so the wizard can show the code and a
 * countdown while it polls, and Esc can cancel. The access token lives in
 * memory only and is wiped when the run is freed.
 */
#ifndef NDESWIZ_SIGNIN_H
#define NDESWIZ_SIGNIN_H

#include <stddef.h>
#include <time.h>

#include "answers.h"
#include "finding.h"

enum signin_state {
	SIGNIN_REQUESTING, /* asking for a device code */
	SIGNIN_WAITING,    /* the admin signs in elsewhere; we poll */
	SIGNIN_FETCHING,   /* signed in; reading /me and the connectors */
	SIGNIN_DONE,
	SIGNIN_FAILED,     /* see the findings */
	SIGNIN_CANCELLED,
};

struct signin_options {
	const char *clouds_file; /* --clouds; NULL: assets/clouds.ini */
	const char *cacert;      /* extra CAs; NULL: the cloud's ca_file */
	const char *machine;     /* this machine's name, to mark its row */
};

struct signin_prompt {
	const char *user_code;
	const char *verification_uri;
	const char *message;  /* the server's own words */
	time_t expires_at;
	int interval;         /* seconds between polls, as now in force */
};

struct ndes_connector {
	const char *id, *display_name, *machine_name, *state, *version;
	const char *last_connection; /* ISO 8601 */
	int this_machine;
};

struct signin_run;

struct signin_run *signin_start(const struct answers *,
    const struct signin_options *, char *err, size_t len);
/* Drive it for at most timeout_ms; 1 while not finished. */
int signin_poll(struct signin_run *, int timeout_ms);
enum signin_state signin_state(const struct signin_run *);
/* Valid from SIGNIN_WAITING on; NULL before. */
const struct signin_prompt *signin_prompt(const struct signin_run *);
const char *signin_user(const struct signin_run *); /* UPN, when known */
size_t signin_connector_count(const struct signin_run *);
const struct ndes_connector *signin_connector(const struct signin_run *,
    size_t);
const struct findings *signin_findings(const struct signin_run *);
void signin_cancel(struct signin_run *);
/* Added: the limit of each request in seconds (default 30), e.g. from
 * --timeout; takes effect from the next request. */
void signin_set_timeout(struct signin_run *, int seconds);
void signin_free(struct signin_run *);

#endif
