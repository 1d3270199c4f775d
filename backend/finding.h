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

void findings_add(struct findings *, enum severity, const char *step,
    const char *field, const char *code, const char *hint, const char *fmt,
    ...) PRINTFLIKE(7, 8);
/* Add a copy of x (from another list). */
void findings_add_copy(struct findings *, const struct finding *x);
void findings_free(struct findings *);
size_t findings_count(const struct findings *, enum severity);
enum severity findings_worst(const struct findings *);
const struct finding *findings_find(const struct findings *, const char *code);
const char *severity_name(enum severity);

/* Human text: one block per finding; color if use_color. */
void findings_print(FILE *, const struct findings *, int use_color);
/* JSON array (jansson); caller frees with free(). */
char *findings_to_json(const struct findings *);

#endif
