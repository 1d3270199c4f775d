/*
 * The Apply screen. journal_apply runs in a thread of its own so the screen
 * stays live (a change on a real server can take minutes); its observer
 * queues one event per change, and the page turns them into a progress
 * bar and one line per change. A failure shows what was undone. Apply is
 * never interrupted half-way: the journal makes it safe, not pretty.
 */
#include "wizard.h"
#include "journal.h"
#include "secret.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct event {
	enum apply_event ev;
	size_t i, n;
	char *title;
	char *err;
};

struct job {
	pthread_t thread;
	pthread_mutex_t lock;
	struct host *host;
	struct plan plan;
	/* Under the lock: */
	struct event *ev;
	size_t nev;
	int finished, threaded;
	enum apply_result result;
	char err[1024];
};

struct applyp {
	struct nw_widget *progress, *log;
	struct job *job;
	size_t seen, done, undone, failed;
	time_t started;
	int ran;
};

static struct applyp *
to_applyp(struct page *p)
{
	return p->priv;
}

/* ---- the worker ----------------------------------------------------- */

static void
observe(void *arg, enum apply_event ev, size_t i, size_t n,
    const struct change *c, const char *err)
{
	struct job *j = arg;
	struct event e = { ev, i, n, change_title(c),
	    err ? xstrdup(err) : NULL };

	pthread_mutex_lock(&j->lock);
	j->ev = xreallocarray(j->ev, j->nev + 1, sizeof *j->ev);
	j->ev[j->nev++] = e;
	pthread_mutex_unlock(&j->lock);
}

static void *
worker(void *arg)
{
	struct job *j = arg;
	struct apply_observer obs = { .event = observe, .arg = j };
	char err[sizeof j->err] = "";
	enum apply_result r;

	/* Keys and requests are made here, off the screen's thread and
	 * before the journal's first line: a failure changes nothing. */
	r = plan_generate(&j->plan, err, sizeof err) != 0 ? APPLY_REFUSED :
	    journal_apply(j->host, &j->plan, &obs, err, sizeof err);
	pthread_mutex_lock(&j->lock);
	j->result = r;
	memcpy(j->err, err, sizeof err);
	j->finished = 1;
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

static void
job_free(struct job *j)
{
	for (size_t i = 0; i < j->nev; i++) {
		free(j->ev[i].title);
		free(j->ev[i].err);
	}
	free(j->ev);
	plan_free(&j->plan);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

/* ---- the screen ----------------------------------------------------- */

static void
show_event(struct applyp *a, const struct event *e)
{
	static const struct {
		const char *word;
		enum nw_role role;
	} looks[] = {
		[APPLY_DONE] = { "done  ", NW_R_OK },
		[APPLY_FAILED] = { "FAILED", NW_R_ERROR },
		[APPLY_UNDONE] = { "undone", NW_R_WARN },
	};
	char *caption, *line;

	if (e->ev == APPLY_START) {
		caption = xasprintf("applying: %s", e->title);
		nw_progress_set(a->progress, a->done, e->n, caption);
		free(caption);
		return;
	}
	a->done += e->ev == APPLY_DONE;
	a->undone += e->ev == APPLY_UNDONE;
	a->failed += e->ev == APPLY_FAILED;
	line = xasprintf("[%zu/%zu] %s %s%s%s", e->i + 1, e->n,
	    looks[e->ev].word, e->title, e->err ? ": " : "",
	    e->err ? e->err : "");
	nw_text_add_hang(a->log, looks[e->ev].role, 0, 4, line);
	free(line);
	nw_progress_set(a->progress, a->done, e->n, NULL);
}

static void
finish_ok(struct wz *wz, struct page *p, size_t n, int reboot)
{
	struct applyp *a = to_applyp(p);
	char err[512];

	nw_progress_set(a->progress, n, n, "finished");
	nw_text_addf(a->log, NW_R_OK, 0, "Applied %zu change%s.%s", n,
	    n == 1 ? "" : "s", reboot ? " Reboot the server for them to take "
	    "effect." : "");
	p->state = NW_STEP_OK;
	wz->applied = (long)n;
	if (wz_save_last(wz, err, sizeof err) != 0) {
		nw_text_addf(a->log, NW_R_WARN, 0, "warning: applied, but %s",
		    err);
		p->state = NW_STEP_WARN;
	} else {
		nw_text_add(a->log, NW_R_DIM, 0, "The answers were saved in "
		    "the target: a rerun starts from them.");
		wz_mark_saved(wz);
	}
}

static void
finish(struct wz *wz, struct page *p)
{
	struct applyp *a = to_applyp(p);
	struct job *j = a->job;

	if (j->threaded)
		pthread_join(j->thread, NULL);
	a->job = NULL;
	switch (j->result) {
	case APPLY_OK:
		finish_ok(wz, p, j->plan.n, plan_reboot_required(&j->plan));
		break;
	case APPLY_ROLLED_BACK:
		nw_progress_set(a->progress, a->done, j->plan.n, "failed");
		nw_text_addf(a->log, NW_R_ERROR, 0, "Apply failed: %s. Every "
		    "change of this run was undone (%zu rolled back, listed "
		    "above); the target is as it was.", j->err, a->undone);
		p->state = NW_STEP_ERROR;
		break;
	case APPLY_BROKEN:
		nw_text_addf(a->log, NW_R_ERROR, 0, "Apply failed and undoing "
		    "it failed too: %s. Run 'ndeswiz rollback', then check the "
		    "target.", j->err);
		p->state = NW_STEP_ERROR;
		break;
	case APPLY_REFUSED:
		nw_text_addf(a->log, NW_R_ERROR, 0, "Not applied: %s", j->err);
		p->state = NW_STEP_ERROR;
		break;
	}
	nw_text_scroll_end(a->log);
	job_free(j);
}

static void
apply_tick(struct wz *wz, struct page *p)
{
	struct applyp *a = to_applyp(p);
	struct job *j = a->job;
	int done;
	char *caption;

	if (j == NULL)
		return;
	pthread_mutex_lock(&j->lock);
	for (; a->seen < j->nev; a->seen++)
		show_event(a, &j->ev[a->seen]);
	done = j->finished;
	pthread_mutex_unlock(&j->lock);
	if (done) {
		finish(wz, p);
		return;
	}
	/* Something moves even while one change takes long. */
	caption = xasprintf("%s %lds", nw_spinner(wz->tick),
	    (long)(time(NULL) - a->started));
	if (wz->signal_in_apply)
		nw_form_status(&p->form, NW_R_WARN, "Interrupted: the apply "
		    "finishes first, then the wizard ends and says what was "
		    "applied. %s", caption);
	else
		nw_form_status(&p->form, NW_R_HINT, "Applying... %s", caption);
	free(caption);
}

/* Plan again, as the answers are now. 0 when there is a run to make;
 * else the page already says why not. */
static int
apply_plan(struct wz *wz, struct page *p, struct job *j)
{
	struct applyp *a = to_applyp(p);
	char run[256];
	int unfinished;
	char why[512];
	int rc = -1;
	/* As "ndeswiz apply" does, with the same call; the run takes the
	 * plan with it into its thread. */
	enum severity worst = session_evaluate(&wz->c->s);

	session_take_plan(&wz->c->s, &j->plan);
	if (worst != SEV_ERROR &&
	    wz_ask_prompts(wz, why, sizeof why) != 0)
		nw_text_addf(a->log, NW_R_ERROR, 0, "Not applied: %s.", why);
	else if (worst == SEV_ERROR)
		nw_text_add(a->log, NW_R_ERROR, 0, "Not applied: the checks "
		    "found errors; see Review. Nothing was changed.");
	else if ((unfinished = journal_unfinished(wz->c->s.host, run,
	    sizeof run)) != 0)
		nw_text_addf(a->log, NW_R_ERROR, 0, unfinished > 0 ? "Not "
		    "applied: the apply of run %s did not finish; roll it back "
		    "first (Welcome, or 'ndeswiz rollback')." : "Not applied: "
		    "the journal cannot be read (%s); repair it or move it "
		    "aside.", run);
	else if (j->plan.n == 0) {
		nw_progress_set(a->progress, 0, 0, "nothing to do");
		nw_text_add(a->log, NW_R_OK, 0, "No changes: the target "
		    "already matches the answers.");
		finish_ok(wz, p, 0, 0);
	} else
		rc = 0;
	return rc;
}

/* Run the job in a thread, so the screen stays live. Passwords set to
 * "prompt" were asked for before (apply_plan): the thread never asks. */
static int
apply_run(struct wz *wz, struct page *p, struct job *j)
{
	struct applyp *a = to_applyp(p);

	j->host = wz->c->s.host;
	pthread_mutex_init(&j->lock, NULL);
	nw_progress_set(a->progress, 0, j->plan.n, "starting");
	a->started = time(NULL);
	a->job = j;
	p->state = NW_STEP_BUSY;
	if (pthread_create(&j->thread, NULL, worker, j) == 0) {
		j->threaded = 1;
		return 0;
	}
	a->job = NULL;
	p->state = NW_STEP_ERROR;
	nw_text_add(a->log, NW_R_ERROR, 0, "Not applied: cannot start a "
	    "thread for it.");
	pthread_mutex_destroy(&j->lock);
	return -1;
}

static void
apply_start(struct wz *wz, struct page *p)
{
	struct applyp *a = to_applyp(p);
	struct job *j = xcalloc(1, sizeof *j);

	nw_text_clear(a->log);
	nw_text_scroll_end(a->log);
	a->seen = a->done = a->undone = a->failed = 0;
	a->ran = 1;
	p->state = NW_STEP_ERROR;	/* until it went well */
	if (apply_plan(wz, p, j) == 0 && apply_run(wz, p, j) == 0)
		return;
	plan_free(&j->plan);
	free(j);
}

static void
apply_enter(struct wz *wz, struct page *p)
{
	struct applyp *a;

	if (!p->built) {
		p->priv = a = xcalloc(1, sizeof *a);
		a->progress = nw_progress_new();
		a->log = nw_text_new(1);
		nw_form_add(&p->form, a->progress);
		nw_form_add(&p->form, a->log);
		wz_footer(p, "Next");
		p->built = 1;
	}
	a = to_applyp(p);
	nw_form_status(&p->form, NW_R_NORMAL, NULL);
	nw_form_focus(&p->form, p->next);
	if (wz->apply_wanted) {
		wz->apply_wanted = 0;
		apply_start(wz, p);
	} else if (!a->ran) {
		nw_text_clear(a->log);
		nw_text_add(a->log, NW_R_NORMAL, 0, "Nothing applied yet: "
		    "review the plan first (PgUp), then choose Apply.");
	}
}

static int
apply_busy(struct wz *wz, struct page *p)
{
	(void)wz;
	return p->priv != NULL && to_applyp(p)->job != NULL ? 2 : 0;
}

static void
apply_tick_done(struct wz *wz, struct page *p)
{
	apply_tick(wz, p);
	if (!apply_busy(wz, p))
		nw_form_status(&p->form, NW_R_NORMAL, NULL);
}

static void
apply_free(struct wz *wz, struct page *p)
{
	struct applyp *a = to_applyp(p);

	(void)wz;
	if (a == NULL)
		return;
	if (a->job != NULL) {
		if (a->job->threaded)
			pthread_join(a->job->thread, NULL);
		job_free(a->job);
	}
	free(a);
}

const struct page_def page_apply = {
	.id = "apply",
	.name = "Apply",
	.title = "Apply",
	.intro = "The changes are made one by one, each journaled first; when "
	    "one fails, every change of the run is undone.",
	.ops = &(const struct page_ops){
		.enter = apply_enter,
		.busy = apply_busy,
		.tick = apply_tick_done,
		.free = apply_free,
	},
};
