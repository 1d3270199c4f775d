/*
 * Apply, the journal and rollback.
 *
 * Before each change is made, its old value is appended to the journal in
 * the target's state folder and fsync'd. A run that dies half-way (power,
 * SIGKILL) therefore leaves enough behind for "ndeswiz rollback" to put
 * every touched resource back. Records are JSON lines:
 *   {"op":"begin","run":ID,"time":T,"changes":N}
 *   {"op":"change","run":ID,"seq":K,"kind":..,"path":..,"name":..,"old":..}
 *   {"op":"end","run":ID,"status":"ok"|"rolled-back"}
 *   {"op":"rollback","run":ID}
 */
#ifndef NDESWIZ_JOURNAL_H
#define NDESWIZ_JOURNAL_H

#include "plan.h"

enum apply_event {
	APPLY_START,   /* change i is about to be made */
	APPLY_DONE,    /* change i was made */
	APPLY_FAILED,  /* change i failed: err says why */
	APPLY_UNDONE,  /* rollback restored change i */
};

struct apply_observer {
	void (*event)(void *arg, enum apply_event, size_t i, size_t n,
	    const struct change *, const char *err);
	void *arg;
};

enum apply_result {
	APPLY_OK,
	APPLY_ROLLED_BACK,  /* a change failed; this run was undone */
	APPLY_BROKEN,       /* failed and the undo failed too: see err */
	APPLY_REFUSED,      /* an earlier run is unfinished, or no journal */
};

enum apply_result plan_apply(struct host *, const struct plan *,
    const struct apply_observer *, char *err, size_t len);

enum rollback_result {
	ROLLBACK_OK,
	ROLLBACK_NOTHING,   /* no run to undo */
	ROLLBACK_FAILED,
};

/* Undo the newest run that was not undone yet. *undone counts changes. */
enum rollback_result journal_rollback(struct host *,
    const struct apply_observer *, size_t *undone, char *info, size_t len);

/* Has the newest run neither ended nor been rolled back? */
int journal_unfinished(struct host *, char *run, size_t len);

#endif
