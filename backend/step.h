/*
 * A step of the wizard, as the backend sees it. validate is pure (answers
 * to findings); inspect reads the host and reports what already holds;
 * prefill copies the host's current state into answers; plan appends the
 * changes still needed. The TUI, the CLI and unattended mode call these
 * and nothing else.
 */
#ifndef NDESWIZ_STEP_H
#define NDESWIZ_STEP_H

#include "answers.h"
#include "finding.h"
#include "plan.h"

struct step {
	const char *id;      /* "registry" */
	const char *title;   /* "Registry purpose mapping" */
	const char *section; /* answer-file section it owns */
	void (*validate)(const struct answers *, struct findings *);
	void (*inspect)(struct host *, const struct answers *,
	    struct findings *);
	void (*prefill)(struct host *, struct answers *);
	void (*plan)(struct host *, const struct answers *, struct plan *,
	    struct findings *);
	/* Fill answers that follow from others (the template name from its
	 * display name); runs after every layer, and when a screen changes. */
	void (*derive)(struct answers *);
};

/* In wizard order, NULL-terminated. */
extern const struct step *const steps[];


/* Run every step's validate / inspect / prefill / plan in order. */
void steps_validate(const struct answers *, struct findings *);
void steps_inspect(struct host *, const struct answers *, struct findings *);
void steps_prefill(struct host *, struct answers *);
void steps_derive(struct answers *);
void steps_plan(struct host *, const struct answers *, struct plan *,
    struct findings *);

#endif
