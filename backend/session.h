/*
 * One run, as every front end sees it: the answers in their layers, the
 * target, and what the steps say about them. The CLI commands and the
 * wizard's pages ask the session for findings and the plan; none of them
 * strings the steps together itself, so no front end can leave a rule out
 * (four copies of "validate, then plan" is how host inspection was lost).
 *
 *   session_open      load the -a file (a bad file stops before the target
 *                     is touched), open the target, prefill from its
 *                     state, the last answers, the -a file, derive
 *   session_evaluate  validate, inspect the host, plan (only when nothing
 *                     is an error)
 */
#ifndef NDESWIZ_SESSION_H
#define NDESWIZ_SESSION_H

#include "answers.h"
#include "finding.h"
#include "plan.h"
#include "host/host.h"

struct step;

enum session_host {
	SESSION_NO_HOST,       /* answers only (signin) */
	SESSION_HOST,          /* open the target; make it when missing */
	SESSION_HOST_EXISTING, /* open the target only when it exists (check) */
};

struct session_opts {
	const char *answers_path; /* -a FILE, or NULL */
	const char *target;       /* NULL: the platform default */
	const char *profile;      /* for a new dir target */
	enum session_host host;
};

struct session {
	struct answers answers;
	struct host *host;        /* NULL without a target */
	int target_created;
	struct findings findings; /* of the last evaluate */
	struct plan plan;         /* of the last evaluate; empty on errors */
	int ask_secrets;          /* evaluate asks "prompt" secrets too (an
	                             apply about to start) */
};

/* Exit-code-like results: 0 ok, 1 the target could not be read, 2 bad
 * input (answer file, target). err holds the message. */
int session_open(struct session *, const struct session_opts *, char *err,
    size_t len);
void session_close(struct session *);

/* Validate every step, inspect the host, plan when nothing is an error,
 * and resolve every secret reference the plan needs (secrets_check).
 * Returns the worst severity; findings and plan in the session. */
enum severity session_evaluate(struct session *);
/* Move the plan of the last evaluate to out (an apply in a thread of its
 * own); the session's is left empty. */
void session_take_plan(struct session *, struct plan *out);
/* Validate only (export: the answers, not the machine). */
enum severity session_validate(struct session *);
/* Validate only, into f, leaving the session's findings and plan alone
 * (the wizard, each time a field is left: validate is pure and cheap). */
enum severity session_validate_to(const struct session *, struct findings *f);
/* Inspect the host only, into f (the health check's host rules). */
enum severity session_inspect_only(struct session *, struct findings *f);
/* One step's validate (into checks) and inspect (into host; NULL: into
 * checks too), for the wizard page of that step. */
void session_step_findings(struct session *, const struct step *,
    struct findings *checks, struct findings *host);

/* The saved last answers (the target's state folder). */
char *session_last_answers_path(struct session *);
int session_save_last(struct session *, char *err, size_t len);

/* snapshot.c: write the target's state as the steps read it (with this
 * session's answers) into the new dir target dir; host/snapshot.h. The
 * number of resources written, or -1 + err. */
long session_snapshot(struct session *, const char *dir, char *err,
    size_t len);

/* The step that owns an answer-file section, or NULL (wizard pages). */
const struct step *session_step_of_section(const char *section);

#endif
