/*
 * The Health check screen: the [health] fields, then the probes, each
 * with a live state (waiting, running, pass, warn, fail, skipped) and
 * what its answer means. check_poll is driven with a short timeout from
 * the wizard's loop, so the screen keeps moving; Esc cancels.
 */
#include "wizard.h"
#include "checks.h"

#include <stdlib.h>
#include <string.h>

struct health {
	struct nw_widget *run_button, *results;
	struct check_run *run;
	int ran, cancelled;
};

static struct health *
to_health(struct page *p)
{
	return p->ext;
}

static const enum nw_role state_roles[] = {
	[PROBE_WAITING] = NW_R_DIM,
	[PROBE_RUNNING] = NW_R_HINT,
	[PROBE_PASS] = NW_R_OK,
	[PROBE_WARN] = NW_R_WARN,
	[PROBE_FAIL] = NW_R_ERROR,
	[PROBE_SKIPPED] = NW_R_DIM,
};

static void
show_probe(struct wz *wz, struct health *h, const struct probe_status *ps)
{
	char secs[32] = "", *line;

	if (ps->state >= PROBE_PASS && ps->seconds > 0)
		snprintf(secs, sizeof secs, "  %.1fs", ps->seconds);
	line = xasprintf("%-7s %s%s%s%s", probe_state_name(ps->state),
	    ps->title, secs, ps->state == PROBE_RUNNING ? " " : "",
	    ps->state == PROBE_RUNNING ? nw_spinner(wz->tick) : "");
	nw_text_add_hang(h->results, state_roles[ps->state], 0, 8, line);
	free(line);
	for (size_t i = 0; i < ps->findings.n; i++) {
		const struct finding *x = &ps->findings.v[i];
		char *msg = wz_unkey(wz, x->message);
		char *hint = wz_unkey(wz, x->hint);

		nw_text_addf(h->results, wz_sev_role(x->sev), 8, "%s", msg);
		if (hint != NULL && x->sev != SEV_OK)
			nw_text_addf(h->results, NW_R_HINT, 10, "%s %s",
			    nw_glyph(NW_G_HINT), hint);
		free(msg);
		free(hint);
	}
}

static void
show_results(struct wz *wz, struct page *p, int running)
{
	struct health *h = to_health(p);
	size_t n = check_probe_count(h->run), count[PROBE_SKIPPED + 1] = {0};

	nw_text_clear(h->results);
	for (size_t i = 0; i < n; i++)
		count[check_probe(h->run, i)->state]++;
	if (running)
		nw_text_addf(h->results, NW_R_STRONG, 0, "Checking %s  %zu of "
		    "%zu done (Esc cancels)", nw_spinner(wz->tick),
		    n - count[PROBE_WAITING] - count[PROBE_RUNNING], n);
	else
		nw_text_addf(h->results, NW_R_STRONG, 0, "%s: %zu pass, %zu "
		    "warn, %zu fail, %zu skipped", h->cancelled ? "Cancelled" :
		    "Done", count[PROBE_PASS], count[PROBE_WARN],
		    count[PROBE_FAIL], count[PROBE_SKIPPED]);
	for (size_t i = 0; i < n; i++)
		show_probe(wz, h, check_probe(h->run, i));
	p->own = running ? NW_STEP_BUSY : count[PROBE_FAIL] ? NW_STEP_ERROR :
	    count[PROBE_WARN] ? NW_STEP_WARN : NW_STEP_OK;
	/* The label says what Enter does now, not while it runs. */
	nw_button_set_label(h->run_button, running ? "Checking..." : h->ran ?
	    "Run the check again" : "Run the check");
	section_refresh(wz, p);
}

static void
health_start(struct wz *wz, struct page *p)
{
	struct health *h = to_health(p);
	struct check_options o = {
		.cacert = wz->c->cacert, .timeout = wz->c->timeout,
		.url = wz->c->url, .clouds_file = wz->c->clouds,
		.host = wz->c->s.host,
	};
	char err[512];

	if (section_commit(wz, p) > 0) {
		nw_form_status(&p->form, NW_R_ERROR, "Fix the values marked "
		    "above first.");
		return;
	}
	if (h->run != NULL)
		check_free(h->run);
	h->cancelled = 0;
	h->run = check_start(wz->a, &o, err, sizeof err);
	nw_text_clear(h->results);
	if (h->run == NULL) {
		nw_text_addf(h->results, NW_R_ERROR, 0, "error: %s", err);
		p->own = NW_STEP_ERROR;
		section_refresh(wz, p);
		return;
	}
	h->ran = 1;
	show_results(wz, p, 1);
}

static int
health_busy(struct wz *wz, struct page *p)
{
	(void)wz;
	return to_health(p) != NULL && to_health(p)->run != NULL &&
	    to_health(p)->ran == 1 ? 1 : 0;
}

static void
health_tick(struct wz *wz, struct page *p)
{
	struct health *h = to_health(p);
	int more = check_poll(h->run, 50);

	if (!more)
		h->ran = 2; /* finished: the results stay */
	show_results(wz, p, more);
}

static void
health_cancel(struct wz *wz, struct page *p)
{
	struct health *h = to_health(p);

	check_cancel(h->run);
	h->cancelled = 1;
	h->ran = 2;
	show_results(wz, p, 0);
}

static void
health_pressed(struct wz *wz, struct page *p, struct nw_widget *w)
{
	if (w == to_health(p)->run_button)
		health_start(wz, p);
}

static void
health_enter(struct wz *wz, struct page *p)
{
	struct health *h;

	if (p->built) {
		section_enter(wz, p);
		return;
	}
	section_build(wz, p);
	p->ext = h = xcalloc(1, sizeof *h);
	h->run_button = nw_button_new("Run the check");
	h->results = nw_text_new(0);
	nw_form_add(&p->form, nw_text_spacer());
	nw_form_add(&p->form, h->run_button);
	nw_text_focusable(h->results, 1);
	nw_form_add(&p->form, h->results);
	nw_text_add(h->results, NW_R_DIM, 0, "The probes ask the NDES URL "
	    "(mscep.dll, TLS, GetCACaps, GetCACert, a long URL) and the "
	    "connector's endpoints. Nothing is changed.");
	section_footer(wz, p);
	nw_form_focus(&p->form, h->run_button);
}

static void
health_free(struct wz *wz, struct page *p)
{
	struct health *h = to_health(p);

	if (h != NULL) {
		if (h->run != NULL)
			check_free(h->run);
		free(h);
	}
	section_free(wz, p);
}

const struct page_def page_health = {
	.id = "health",
	.name = "Health check",
	.title = "Health check",
	.section = "health",
	.intro = "Proves NDES answers as Intune needs it: a bare GET of "
	    "mscep.dll should get 403 (the policy module guards it).",
	.ops = &(const struct page_ops){
		.enter = health_enter,
		.leave = section_leave,
		.next = section_next,
		.pressed = health_pressed,
		.busy = health_busy,
		.tick = health_tick,
		.cancel = health_cancel,
		.help = section_help,
		.free = health_free,
	},
	.no_step = 1,
	.own_check = 1,
};
