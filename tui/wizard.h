/*
 * The interactive wizard: pages (one file each, page-*.c) on the nw
 * widget layer, driven by wizard.c. Pages hold no rules: values are
 * checked by field_parse/answers_set and the steps' validate, and every
 * change goes through the same backend calls as the command line.
 */
#ifndef NDESWIZ_WIZARD_H
#define NDESWIZ_WIZARD_H

#include "cmd.h"
#include "nw.h"
#include "step.h"

struct wz;
struct page;

struct page_ops {
	/* The page is shown (first time: build its widgets). */
	void (*enter)(struct wz *, struct page *);
	/* The page is left for another one, forwards or back. */
	void (*leave)(struct wz *, struct page *);
	/* Next: 0 to go on, -1 refused (the reason is on the page). */
	int (*next)(struct wz *, struct page *);
	/* A button of the page's own was pressed. */
	void (*pressed)(struct wz *, struct page *, struct nw_widget *);
	/* Keys the form did not use; 1 when the page used it. */
	int (*key)(struct wz *, struct page *, struct nw_key);
	/* Long actions: 0 idle, 1 running (Esc cancels), 2 running and not
	 * to be interrupted. tick() is called often while running. */
	int (*busy)(struct wz *, struct page *);
	void (*tick)(struct wz *, struct page *);
	void (*cancel)(struct wz *, struct page *);
	/* Help id of what has the focus, or NULL. */
	const char *(*help)(struct wz *, struct page *);
	void (*free)(struct wz *, struct page *);
};

struct page_def {
	const char *id;
	const char *name;	/* in the step list, at most 13 columns */
	const char *title;	/* when no step of the backend gives one */
	const char *section;	/* the field table's section, or NULL */
	const char *intro;
	const struct page_ops *ops;
	int no_step;		/* its section has no step, by design */
	/* Show everything the step's inspection found on the server, each
	 * with a mark (met, or not and why): the Prerequisites screen. */
	int host_list;
	/* It runs a check of its own (sign-in, health): "not run" until
	 * it has. */
	int own_check;
};

struct page {
	const struct page_def *def;
	const struct step *step;	/* the backend's step, or NULL */
	const char *title;
	struct nw_form form;
	struct nw_widget *back, *next;
	enum nw_step_state state;	/* shown: the worst of findings and own */
	enum nw_step_state own;	/* the page's own check (sign-in, health):
				   NW_STEP_NEW when it has none */
	int visited, built;
	void *priv;	/* the section form's, or the page's own */
	void *ext;	/* what a page adds to a section form */
};

#define WZ_LABEL_WIDTH 16	/* at least */
#define WZ_LABEL_MAX 26

struct wz {
	struct cmd_ctx *c;
	struct answers *a;
	struct answers saved;	/* as last applied or exported */
	struct host_facts facts;
	int have_facts;
	struct page **pages;
	size_t npages, cur;
	struct findings valid;	/* validate of the answers as they are now */
	int hub;		/* the answers were complete at the start (a
				   rerun, -a): F2 reaches any step, F3 Review */
	int return_to;		/* page to come back to after Next, or -1 */
	int apply_wanted;	/* Review confirmed: Apply starts a run */
	struct nw_widget *steps;
	int in_steps;		/* the step list has the focus (F2) */
	int quit;
	int signal_pending;	/* caught; the loop acts on it */
	int signal_in_apply;	/* it came while the apply ran */
	long applied;		/* changes of this session's apply, or -1 */
	unsigned tick;
};

/* Pages, in the order they appear when present. */
extern const struct page_def page_welcome, page_prereqs, page_accounts,
    page_template, page_ndes, page_registry, page_binding, page_signin,
    page_proxy, page_review, page_apply, page_health, page_finish;
/* Any other section of the field table gets this generic form. */
extern const struct page_ops page_section_ops;

/* The generic section form, for pages that add to it (page-section.c). */
void section_enter(struct wz *, struct page *);
void section_leave(struct wz *, struct page *);
int section_next(struct wz *, struct page *);
const char *section_help(struct wz *, struct page *);
void section_free(struct wz *, struct page *);
/* Build only the fields and intro, without the footer. */
void section_build(struct wz *, struct page *);
void section_footer(struct wz *, struct page *);
/* Commit every field of the page; the number that are not valid. */
int section_commit(struct wz *, struct page *);
/* Show wz->valid's findings of this page and set its state. */
void section_refresh(struct wz *, struct page *);
/* Esc on a field: put back the value the answers hold. 1 when the
 * focused field had an edit to cancel. */
int section_revert(struct wz *, struct page *);

/* Wizard services for pages (wizard.c). */
void wz_goto(struct wz *, size_t);
/* Quit, asking first when answers are not saved. */
void wz_quit(struct wz *);
int wz_find(struct wz *, const char *id);	/* page index or -1 */
int wz_unsaved(struct wz *);
/* Validate the whole answers again and refresh every page's findings
 * and state: a finding shows on the page of the field it concerns,
 * whichever step raised it. */
void wz_revalidate(struct wz *);
/* Does finding x belong on page p? */
int wz_concerns(struct wz *, const struct page *, const struct finding *);
/* The state of a page: the worst of its findings and its own check. */
enum nw_step_state wz_state(enum severity worst, enum nw_step_state own);
void wz_mark_saved(struct wz *);
/*
 * A secret given as "prompt" is asked for by the backend itself, on the
 * terminal, when it is needed (masked, into locked memory, wiped after
 * use). Calls that may need one run between these two: the screen is
 * lent to the prompt and taken back. 1 from begin when it was lent.
 */
/* Passwords set to "prompt": asked in a masked box through a hook the
 * backend calls; wz_ask_prompts asks every one now (before work that runs
 * off the screen's thread). -1 + err when the admin cancelled. */
void wz_prompt_install(struct wz *);
int wz_ask_prompts(struct wz *, char *err, size_t len);
/* Add Back and Next (label) to a page's footer. */
void wz_footer(struct page *, const char *next_label);
/* "Label (Page)" of a "section.key" name, for messages elsewhere. */
char *wz_field_where(struct wz *, const char *name);
/* A step's name on the screens (its page's), for a step id. */
char *wz_step_name(struct wz *, const char *step);
/* text with every "[section] key" of the answer file put as the label
 * the forms show (wz-words.c); NULL for NULL. Caller frees. */
char *wz_unkey(struct wz *, const char *text);
/* The finding's severity as a text role. */
enum nw_role wz_sev_role(enum severity);
/* Where the answers are written after an apply (the target's state). */
int wz_save_last(struct wz *, char *err, size_t len);
/* Rollback (wz-rollback.c): is there a run to undo (run: its id)? */
int wz_rollback_available(struct wz *, char *run, size_t len);
/* Preview, confirm (default Cancel), undo. 1 rolled back, 0 nothing
 * done, -1 failed; result says which in a sentence. */
int wz_rollback(struct wz *, char *result, size_t len);
/* Draw the whole screen now (long actions between keys). */
void wz_draw(struct wz *);

#endif
