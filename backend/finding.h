/*
 * Findings: what every validator, inspection and health probe says.
 * A finding always carries the reason (message) and the next thing to do
 * (hint); the front ends only render them.
 */
#ifndef NDESWIZ_FINDING_H
#define NDESWIZ_FINDING_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

enum severity { SEV_OK, SEV_WARN, SEV_ERROR };

struct finding {
	enum severity sev;
	char *step;    /* "registry", "health", ... */
	char *field;   /* "section.key" or NULL */
	char *code;    /* stable, e.g. "registry.name-has-spaces" */
	char *message; /* what holds or what is wrong */
	char *hint;    /* what to do; may be NULL for SEV_OK */
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

/*
 * Add a finding and return it, for finding_hint() on the next line:
 *	finding_hint(finding_add(f, SEV_ERROR, STEP, field, "port-conflict",
 *	    "port %d is taken", port),
 *	    "Use 443.");
 * A code without a dot is the step's own: "port-conflict" of step "binding"
 * is "binding.port-conflict"; a code with a dot ("host.read-failed") is kept.
 */
struct finding *finding_add(struct findings *, enum severity,
    const char *step, const char *field, const char *code, const char *fmt,
    ...) PRINTFLIKE(6, 7);
/* Set what to do next; returns x. */
struct finding *finding_hint(struct finding *x, const char *fmt, ...)
    PRINTFLIKE(2, 3);
/* The same with a ready text, which may be NULL (no hint). */
struct finding *finding_set_hint(struct finding *x, const char *hint);
/* Add a copy of x (from another list). */
void findings_add_copy(struct findings *, const struct finding *x);
void findings_free(struct findings *);
size_t findings_count(const struct findings *, enum severity);
enum severity findings_worst(const struct findings *);
const struct finding *findings_find(const struct findings *, const char *code);
const char *severity_name(enum severity);

/* Human text: one block per finding; color if use_color. A finding on a
 * field whose value came from a file starts "FILE:LINE: " when from is
 * given (the answers the findings were made from; may be NULL). */
struct answers;
void findings_print(FILE *, const struct findings *, int use_color,
    const struct answers *from);
/* JSON array (jansson); caller frees with free(). */
char *findings_to_json(const struct findings *);

#endif
