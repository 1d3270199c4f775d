/*
 * Apply, the journal and rollback.
 *
 * Before each change is made, its old value is appended to the journal in
 * the target's state folder and fsync'd. A run that dies half-way (power,
 * SIGKILL) therefore leaves enough behind for "ndeswiz rollback" to put
 * every touched resource back. Records are JSON lines:
 *   {"op":"begin","run":ID,"time":T,"changes":N}
 *   {"op":"change","run":ID,"seq":K,"kind":..,"path":..,"name":..,"old":..,
 *    "new_sha256":..,"at":..}
 * "old" (or "old_hex" for bytes that are not UTF-8) is the value before;
 * "new_sha256" is the SHA-256 of the value the change wrote (null: it
 * removed it), so rollback can tell what was changed since, and a secret
 * or private key the run wrote is never in the journal. "at" (only for an
 * IIS element the change removes) is its position among its siblings, so
 * that rollback puts it back there.
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

enum apply_result journal_apply(struct host *, const struct plan *,
    const struct apply_observer *, char *err, size_t len);

enum rollback_result {
	ROLLBACK_OK,
	ROLLBACK_NOTHING,   /* no run to undo */
	ROLLBACK_FAILED,
	ROLLBACK_DAMAGED,   /* the journal is unreadable: nothing was done */
};

/*
 * Rollback is a reviewed change: first what it would do, then doing it.
 * undo: the changes, newest first (old: the value now, new: the value
 * restored), to show like a plan. kept: what is left alone, each with
 * its reason: changed since the apply (undone anyway with force), or a
 * registry key that now holds what others added.
 */
struct rollback_plan {
	char run[64];
	struct plan undo, kept;
};

/* The undo of the newest run that was not undone yet. info: the run id,
 * or why there is nothing to do, or "journal:LINE: damaged". */
enum rollback_result journal_rollback_plan(struct host *, int force,
    struct rollback_plan *, char *info, size_t len);
/* Make the undo. Private keys that go are kept in STATE/undone/ (0600). */
enum rollback_result journal_rollback_run(struct host *,
    const struct rollback_plan *, const struct apply_observer *,
    size_t *undone, char *info, size_t len);
void rollback_plan_free(struct rollback_plan *);

/* Both at once, without force. *undone counts changes. */
enum rollback_result journal_rollback(struct host *,
    const struct apply_observer *, size_t *undone, char *info, size_t len);

/* Has the newest run neither ended nor been rolled back? 1 (run: its id),
 * 0, or -1 when the journal cannot be read (run: why; an unreadable
 * journal blocks apply). */
int journal_unfinished(struct host *, char *run, size_t len);

/* Check a journal's text as rollback reads it (the fuzz harness): 0, or
 * -1 + "journal:LINE: damaged". */
int journal_scan_text(const char *data, size_t len, char *err, size_t errlen);

#endif
