/* One run's flow: answers layered and derived, validated, the host
 * inspected, the plan made. Every front end goes through here. */
#include "session.h"
#include "secret.h"
#include "step.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* The fields src set from its file win over dst, recorded as coming from
 * as (the last answers are a file, but a layer of their own). */
static void
overlay(struct answers *dst, const struct answers *src,
    enum answer_source as)
{
	for (int i = 0; i < F__COUNT; i++) {
		if (src->src[i] != SRC_FILE)
			continue;
		answers_put(dst, (enum field_id)i, src->val[i], as);
		dst->line[i] = src->line[i];
		dst->file[i] = src->file[i] ? xstrdup(src->file[i]) : NULL;
	}
}

char *
session_last_answers_path(struct session *s)
{
	return path_join(host_state_dir(s->host), "answers.ini");
}

static int
open_host(struct session *s, const struct session_opts *o, char *err,
    size_t len)
{
	const char *target = o->target;

	if (o->host == SESSION_NO_HOST)
		return 0;
	if (o->host == SESSION_HOST_EXISTING) {
#ifdef _WIN32
		/* On the server the machine itself exists. */
		if (target == NULL)
			goto open;
#endif
		if (target == NULL)
			target = HOST_DEFAULT_TARGET;
		if (!dir_exists(target))
			return 0;
	}
#ifdef _WIN32
open:
#endif
	s->host = host_open(target, o->profile, &s->target_created, err,
	    len);
	return s->host == NULL ? -1 : 0;
}

/* The target's own state, then the answers its last apply saved. */
static int
host_layers(struct session *s, char *err, size_t len)
{
	struct answers last;
	char msg[1024], *path;
	int rc = 0;

	steps_prefill(s->host, &s->answers);
	/* Prefill shrugs off a failed read, and what it missed would pass
	 * for the default: stop here instead. */
	if (host_read_error(s->host) != NULL) {
		snprintf(err, len, "%s; nothing was changed",
		    host_read_error(s->host));
		return 1;
	}
	path = session_last_answers_path(s);
	if (file_exists(path)) {
		answers_init(&last);
		if (answerfile_load(&last, path, msg, sizeof msg) != 0) {
			snprintf(err, len, "%s\n(the saved answers are "
			    "damaged; remove the file or export new ones)",
			    msg);
			rc = 2;
		} else
			overlay(&s->answers, &last, SRC_LAST);
		answers_free(&last);
	}
	free(path);
	return rc;
}

int
session_open(struct session *s, const struct session_opts *o, char *err,
    size_t len)
{
	struct answers filed;
	char msg[1024];
	int rc = 0;

	memset(s, 0, sizeof *s);
	answers_init(&s->answers);
	answers_init(&filed);
	/* Said before OpenSSL's first use, which decides: no teardown at
	 * exit (OPENSSL_cleanup took 0.1 ms of each run, for memory the
	 * system takes back anyway). */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
	/* The -a file first: a bad one stops before the target is made. */
	if (o->answers_path != NULL &&
	    answerfile_load(&filed, o->answers_path, err, len) != 0)
		rc = 2;
	else if (open_host(s, o, msg, sizeof msg) != 0) {
		snprintf(err, len, "%s", msg);
		rc = 2;
	} else if (s->host != NULL)
		rc = host_layers(s, err, len);
	if (rc == 0) {
		overlay(&s->answers, &filed, SRC_FILE);
		steps_derive(&s->answers);
	}
	answers_free(&filed);
	return rc;
}

void
session_close(struct session *s)
{
	host_close(s->host);
	s->host = NULL;
	answers_free(&s->answers);
	findings_free(&s->findings);
	plan_free(&s->plan);
}


/* A read some rule shrugged off means the findings (and any plan) may
 * rest on a guess: no apply from it. */
static void
read_errors(struct session *s, struct findings *f)
{
	if (s->host != NULL && host_read_error(s->host) != NULL &&
	    findings_find(f, "host.read-failed") == NULL)
		finding_hint(finding_add(f, SEV_ERROR, "plan", NULL,
		    "host.read-failed", "%s", host_read_error(s->host)),
		    "Check that the target is readable and not damaged.");
}

enum severity
session_validate(struct session *s)
{
	findings_free(&s->findings);
	plan_free(&s->plan);
	return session_validate_to(s, &s->findings);
}

enum severity
session_validate_to(const struct session *s, struct findings *f)
{
	steps_validate(&s->answers, f);
	return findings_worst(f);
}

enum severity
session_inspect_only(struct session *s, struct findings *f)
{
	if (s->host == NULL)
		return findings_worst(f);
	host_forget(s->host);
	steps_inspect(s->host, &s->answers, f);
	read_errors(s, f);
	return findings_worst(f);
}

enum severity
session_evaluate(struct session *s)
{
	session_validate(s);
	session_inspect_only(s, &s->findings);
	if (s->host != NULL && findings_worst(&s->findings) != SEV_ERROR) {
		steps_plan(s->host, &s->answers, &s->plan, &s->findings);
		/* A reference that does not resolve would stop the apply
		 * half-way on the server: say so before anything changes. */
		secrets_check(&s->answers, &s->plan, s->ask_secrets,
		    &s->findings);
	}
	return findings_worst(&s->findings);
}

void
session_take_plan(struct session *s, struct plan *out)
{
	*out = s->plan;
	memset(&s->plan, 0, sizeof s->plan);
}

void
session_step_findings(struct session *s, const struct step *st,
    struct findings *checks, struct findings *host)
{
	if (st == NULL)
		return;
	if (st->validate != NULL)
		st->validate(&s->answers, checks);
	if (st->inspect != NULL && s->host != NULL) {
		host_forget(s->host);
		st->inspect(s->host, &s->answers, host ? host : checks);
	}
}

int
session_save_last(struct session *s, char *err, size_t len)
{
	char *path, *text = answerfile_format(&s->answers);
	int rc = 0;

	/* Through the state folder the driver holds, never by its path. */
	if (file_write_atomic_at(host_state_fd(s->host), "answers.ini", text,
	    strlen(text), 0600, 0700) != 0) {
		path = session_last_answers_path(s);
		snprintf(err, len, "could not save the answers to %s: %s",
		    path, strerror(errno));
		free(path);
		rc = -1;
	}
	free(text);
	return rc;
}

const struct step *
session_step_of_section(const char *section)
{
	for (size_t i = 0; section != NULL && steps[i] != NULL; i++)
		if (steps[i]->section != NULL &&
		    strcmp(steps[i]->section, section) == 0)
			return steps[i];
	return NULL;
}
