/*
 * A plan: the ordered changes the answers still need, each with the value
 * the host holds now, the value it should hold and why. Planning reads the
 * host and changes nothing; a second plan after apply is empty.
 */
#ifndef NDESWIZ_PLAN_H
#define NDESWIZ_PLAN_H

#include <stddef.h>

#include "finding.h"
#include "host/host.h"

struct plan;

struct change {
	enum res_kind kind;
	char *path;
	char *name;   /* may be NULL */
	char *old;    /* NULL: absent */
	char *new;    /* NULL: remove */
	char *step;   /* the step that planned it */
	char *reason; /* why, in the admin's terms */
	int reboot;   /* takes effect only after a reboot */
	int secret;   /* value holds a secret reference: do not show it */
	/* A value made at apply, not at plan (an RSA key takes 100+ ms and
	 * plan must stay a read): until plan_generate calls gen, new holds
	 * what will be made, in words, and gen_arg what gen needs. */
	int (*gen)(const struct plan *, struct change *, char *err,
	    size_t len);
	char *gen_arg;
	/* An address known only at apply (an RA certificate the role install
	 * in this plan makes): until journal_apply calls resolve, right before
	 * the change is journaled, path says what it will be, in words;
	 * resolve sets path and old from the host as it is then, with
	 * gen_arg's help. */
	int (*resolve)(struct host *, struct change *, char *err, size_t len);
	/* Checked right after the change is made (an installer's result):
	 * an error there fails the apply, and the run is undone. */
	int (*verify)(struct host *, const struct change *, char *err,
	    size_t len);
	char *at;     /* undo of an IIS element removal: the position it had
	               * among its siblings (HOST_IIS_INDEX), NULL: the end */
};

struct plan {
	struct change *v;
	size_t n, cap;
};

void plan_free(struct plan *);

/*
 * Make the values planned to be made at apply (keys, requests), in plan
 * order, so a change may use one made before it. Called by apply before
 * anything is journaled or written: a failure, or a kill, leaves the
 * target untouched. 0, or -1 with err.
 */
int plan_generate(struct plan *, char *err, size_t len);
/* Mark the change plan_want just added as made at apply. */
void plan_made_at_apply(struct plan *, int (*gen)(const struct plan *,
    struct change *, char *, size_t), const char *arg);
int plan_reboot_required(const struct plan *);
/* Add a change whose address is found at apply (see resolve): nothing is
 * read now, old is taken as absent until then. */
void plan_want_at_apply(struct plan *, const char *step, enum res_kind,
    const char *what, const char *name, const char *value,
    const char *reason, int (*resolve)(struct host *, struct change *,
    char *, size_t), const char *arg);

/*
 * Plan one resource to hold value: reads the host (and what this plan
 * already changes) and adds a change only when they differ.
 * Returns 1 when a change was added, 0 when none was needed, -1 when the
 * host could not be read (a finding is added).
 */
int plan_want(struct plan *, struct host *, struct findings *,
    const char *step, enum res_kind, const char *path, const char *name,
    const char *value, int reboot, const char *reason);
/* A registry value, creating its key first when missing. */
int plan_want_reg(struct plan *, struct host *, struct findings *,
    const char *step, const char *key, const char *name, const char *value,
    int reboot, const char *reason);
/* An IIS attribute, creating its element first when missing. */
int plan_want_iis(struct plan *, struct host *, struct findings *,
    const char *step, const char *elem, const char *attr, const char *value,
    int reboot, const char *reason);

/* The value this plan leaves a resource with (NULL: absent). *found=0 when
 * the plan does not touch it. */
const char *plan_pending(const struct plan *, enum res_kind, const char *path,
    const char *name, int *found);

/* What the resource holds once this plan ran: the plan's pending value,
 * else the host's (plan NULL: the host's). 0 + *value (caller frees, NULL
 * absent), or -1. */
int plan_current(const struct plan *, struct host *, enum res_kind,
    const char *path, const char *name, char **value);

/* "set HKLM\...\MSCEP [SignatureTemplate]" and a readable value. */
char *change_title(const struct change *);
char *change_value_text(enum res_kind, const char *value);

void plan_print(FILE *, const struct plan *, int use_color);
char *plan_to_json(const struct plan *);

#endif
