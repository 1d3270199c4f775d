/*
 * The Sign-in screen: the [signin] fields, then a device-code sign-in
 * that shows the code, the page to enter it on and a countdown while it
 * polls; then the signed-in user and the tenant's certificate connectors.
 * Sign-in changes nothing and may be skipped. Behind a proxy it is not a
 * dead end: when it cannot get through, it offers to set the proxy first
 * and comes back here after it.
 */
#include "wizard.h"
#include "signin.h"
#include "handover.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct signin {
	struct nw_widget *go, *proxy, *results, *handover;
	struct signin_run *run;
};

static struct signin *
to_signin(struct page *p)
{
	return p->ext;
}

static void
show_findings(struct signin *g, const struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];

		nw_text_addf(g->results, wz_sev_role(x->sev), 0, "%s%s",
		    x->sev == SEV_ERROR ? "error: " : x->sev == SEV_WARN ?
		    "warning: " : "", x->message);
		if (x->hint != NULL && x->sev != SEV_OK)
			nw_text_addf(g->results, NW_R_HINT, 2, "%s %s",
			    nw_glyph(NW_G_HINT), x->hint);
	}
}

static void
show_waiting(struct wz *wz, struct signin *g)
{
	const struct signin_prompt *sp = signin_prompt(g->run);
	long left;

	if (sp == NULL)
		return;
	left = (long)(sp->expires_at - time(NULL));
	if (left < 0)
		left = 0;
	if (sp->message != NULL)
		nw_text_add(g->results, NW_R_NORMAL, 0, sp->message);
	nw_text_addf(g->results, NW_R_STRONG, 0, "Code: %s   at: %s",
	    sp->user_code, sp->verification_uri);
	nw_text_addf(g->results, NW_R_HINT, 0, "%s waiting for you to sign "
	    "in; the code expires in %ld:%02ld (Esc cancels)",
	    nw_spinner(wz->tick), left / 60, left % 60);
}

static void
show_connectors(struct signin *g)
{
	size_t n = signin_connector_count(g->run);

	nw_text_addf(g->results, NW_R_OK, 0, "Signed in as %s.",
	    signin_user(g->run) ? signin_user(g->run) : "(unknown user)");
	nw_text_addf(g->results, NW_R_STRONG, 0, "%zu certificate "
	    "connector%s in the tenant%s", n, n == 1 ? "" : "s",
	    n ? ":" : ".");
	for (size_t i = 0; i < n; i++) {
		const struct ndes_connector *c = signin_connector(g->run, i);

		nw_text_addf(g->results, c->this_machine ? NW_R_STRONG :
		    NW_R_NORMAL, 2, "%s %s on %s: %s, version %s, last "
		    "contact %s", c->this_machine ? "*" : "-",
		    c->display_name ? c->display_name : "?",
		    c->machine_name ? c->machine_name : "?",
		    c->state ? c->state : "?", c->version ? c->version : "?",
		    c->last_connection ? c->last_connection : "never");
	}
}

/* What the run says now, in words. */
static void
show_run(struct wz *wz, struct page *p)
{
	struct signin *g = to_signin(p);
	enum signin_state st = signin_state(g->run);

	nw_text_clear(g->results);
	g->proxy->hidden = 1;
	p->own = NW_STEP_BUSY;
	switch (st) {
	case SIGNIN_REQUESTING:
		nw_text_addf(g->results, NW_R_HINT, 0, "%s asking for a "
		    "sign-in code (Esc cancels)", nw_spinner(wz->tick));
		break;
	case SIGNIN_WAITING:
		show_waiting(wz, g);
		break;
	case SIGNIN_FETCHING:
		nw_text_addf(g->results, NW_R_HINT, 0, "%s signed in; reading "
		    "the tenant's connectors", nw_spinner(wz->tick));
		break;
	case SIGNIN_DONE:
		show_connectors(g);
		show_findings(g, signin_findings(g->run));
		p->own = NW_STEP_OK;
		break;
	case SIGNIN_FAILED:
		nw_text_add(g->results, NW_R_ERROR, 0, "The sign-in did not "
		    "get through.");
		show_findings(g, signin_findings(g->run));
		nw_text_add(g->results, NW_R_NORMAL, 0, "No way through? If "
		    "this server reaches the internet through a proxy, set or "
		    "check it first; you come back here after it.");
		g->proxy->hidden = 0;
		p->own = NW_STEP_WARN;
		break;
	case SIGNIN_CANCELLED:
		nw_text_add(g->results, NW_R_WARN, 0, "Cancelled. Sign in "
		    "again when ready, or go on without it.");
		p->own = NW_STEP_WARN;
		break;
	}
	section_refresh(wz, p);
}

static void
signin_go(struct wz *wz, struct page *p)
{
	struct signin *g = to_signin(p);
	struct signin_options o = {
		.clouds_file = wz->c->clouds,
		.machine = wz->have_facts ? wz->facts.hostname : NULL,
	};
	char err[512];
	if (section_commit(wz, p) > 0) {
		nw_form_status(&p->form, NW_R_ERROR, "Fix the values marked "
		    "above first.");
		return;
	}
	signin_free(g->run);
	g->run = signin_start(wz->a, &o, err, sizeof err);
	if (g->run == NULL) {
		nw_text_clear(g->results);
		nw_text_addf(g->results, NW_R_ERROR, 0, "error: %s", err);
		p->own = NW_STEP_WARN;
		section_refresh(wz, p);
		return;
	}
	if (wz->c->timeout > 0)
		signin_set_timeout(g->run, wz->c->timeout);
	nw_button_set_label(g->go, "Sign in again");
	show_run(wz, p);
}

static int
running(struct signin *g)
{
	if (g == NULL || g->run == NULL)
		return 0;
	switch (signin_state(g->run)) {
	case SIGNIN_REQUESTING:
	case SIGNIN_WAITING:
	case SIGNIN_FETCHING:
		return 1;
	default:
		return 0;
	}
}

static int
signin_busy(struct wz *wz, struct page *p)
{
	(void)wz;
	return running(to_signin(p));
}

static void
signin_tick(struct wz *wz, struct page *p)
{
	signin_poll(to_signin(p)->run, 50);
	show_run(wz, p);
}

static void
signin_cancel_run(struct wz *wz, struct page *p)
{
	signin_cancel(to_signin(p)->run);
	show_run(wz, p);
}

static void
signin_pressed(struct wz *wz, struct page *p, struct nw_widget *w)
{
	struct signin *g = to_signin(p);
	int proxy = wz_find(wz, "proxy");

	if (w == g->go)
		signin_go(wz, p);
	else if (w == g->proxy && proxy >= 0) {
		wz->return_to = (int)wz->cur;
		wz_goto(wz, (size_t)proxy);
	}
}

/*
 * Where the connector is not installed yet, what to choose in its
 * configuration wizard, from the answers as they are now (issue 14 item
 * 12); nothing where it is.
 */
static void
show_handover(struct wz *wz, struct signin *g)
{
	size_t n;
	char **v = session_connector_handover(&wz->c->s, &n);

	nw_text_clear(g->handover);
	g->handover->hidden = v == NULL;
	if (v == NULL)
		return;
	nw_text_add(g->handover, NW_R_WARN, 0, "The Certificate Connector is "
	    "not installed on this server yet. After the apply, install it "
	    "(Intune admin center > Tenant administration > Connectors and "
	    "tokens) and in its configuration wizard choose:");
	for (size_t i = 0; i < n; i++)
		nw_text_addf(g->handover, NW_R_HINT, 2, "%s", v[i]);
	str_list_free(v, n);
}

static void
signin_enter(struct wz *wz, struct page *p)
{
	struct signin *g;

	if (p->built) {
		section_enter(wz, p);
		show_handover(wz, to_signin(p));
		return;
	}
	section_build(wz, p);
	p->ext = g = xcalloc(1, sizeof *g);
	g->go = nw_button_new("Sign in");
	g->proxy = nw_button_new("Set the proxy first");
	g->proxy->hidden = 1;
	g->results = nw_text_new(0);
	nw_text_add(g->results, NW_R_DIM, 0, "Optional: sign in (device "
	    "code) to check the tenant is reachable and to list its "
	    "certificate connectors. Nothing is changed.");
	g->handover = nw_text_new(0);
	show_handover(wz, g);
	nw_form_add(&p->form, nw_text_spacer());
	nw_form_add(&p->form, g->go);
	nw_form_add(&p->form, g->proxy);
	nw_text_focusable(g->results, 1);
	nw_form_add(&p->form, g->results);
	/* Below the sign-in's own results, which must stay in view. */
	nw_form_add(&p->form, g->handover);
	section_footer(wz, p);
}

static void
signin_page_free(struct wz *wz, struct page *p)
{
	struct signin *g = to_signin(p);

	if (g != NULL) {
		signin_free(g->run);
		free(g);
	}
	section_free(wz, p);
}

const struct page_def page_signin = {
	.id = "signin",
	.name = "Sign-in",
	.title = "Sign-in",
	.section = "signin",
	.intro = "The cloud and tenant the connector signs in to. Signing in "
	    "here proves the path to Microsoft works and lists the tenant's "
	    "certificate connectors.",
	.ops = &(const struct page_ops){
		.enter = signin_enter,
		.leave = section_leave,
		.next = section_next,
		.pressed = signin_pressed,
		.busy = signin_busy,
		.tick = signin_tick,
		.cancel = signin_cancel_run,
		.help = section_help,
		.free = signin_page_free,
	},
	.no_step = 1,
	.own_check = 1,
};
