/*
 * The Welcome screen: the target, what the machine is (host_facts), and
 * where the answers were filled from.
 */
#include "wizard.h"
#include "journal.h"

#include <stdlib.h>
#include <string.h>

/* Win32_ComputerSystem DomainRole, in words. */
static const char *const domain_roles[] = {
	"standalone workstation", "member workstation", "standalone server",
	"member server", "backup domain controller",
	"primary domain controller",
};

static size_t
count_source(const struct answers *a, enum answer_source src)
{
	size_t n = 0;

	for (int i = 0; i < F__COUNT; i++)
		n += a->src[i] == src;
	return n;
}

static void
row(struct nw_widget *t, const char *label, const char *value)
{
	char *s = xasprintf("%-9s %s", label, value);

	nw_text_add_hang(t, NW_R_NORMAL, 0, 10, s);
	free(s);
}

static void
facts_rows(struct wz *wz, struct nw_widget *t)
{
	const struct host_facts *f = &wz->facts;
	char *s;

	if (!wz->have_facts) {
		row(t, "Machine", "(the target does not say what it is)");
		return;
	}
	s = xasprintf("%s (%s)", f->hostname, f->fqdn);
	row(t, "Machine", s);
	free(s);
	if (f->part_of_domain)
		s = xasprintf("%s (%s), %s", f->domain, f->netbios_domain,
		    f->domain_role >= 0 && f->domain_role < 6 ?
		    domain_roles[f->domain_role] : "unknown role");
	else
		s = xstrdup("not joined to a domain");
	row(t, "Domain", s);
	free(s);
	s = xasprintf("%s (%d.%d.%d)%s", f->os_caption, f->os_major,
	    f->os_minor, f->os_build, f->server_core ? ", Server Core" : "");
	row(t, "Windows", s);
	free(s);
	row(t, "Elevated", f->elevated ? "yes" : "no");
}

static void
answers_rows(struct wz *wz, struct nw_widget *t)
{
	struct cmd_ctx *c = wz->c;
	char *s;

	if (c->answers_path != NULL)
		s = xasprintf("%s: %zu values", c->answers_path,
		    count_source(wz->a, SRC_FILE));
	else
		s = xstrdup("no answer file (-a)");
	row(t, "Answers", s);
	free(s);
	s = xasprintf("%zu from the last answers saved in the target",
	    count_source(wz->a, SRC_LAST));
	row(t, "", s);
	free(s);
	s = xasprintf("%zu from the target's state",
	    count_source(wz->a, SRC_HOST));
	row(t, "", s);
	free(s);
	nw_text_add(t, NW_R_DIM, 10, "Later wins: default, the target's "
	    "state, the last answers, the answer file, the screens.");
}

struct welcome {
	struct nw_widget *text;		/* the target, machine, answers */
	struct nw_widget *journal;	/* the last run, first when it matters */
	struct nw_widget *undo;		/* the rollback button */
};

/* The last run, in words: unfinished (and why nothing more applies),
 * an unreadable journal (the reason), or one that can be undone. */
static int
journal_rows(struct wz *wz, struct welcome *w, struct nw_widget *t)
{
	struct nw_widget *undo = w->undo;
	char run[256], why[256];
	int unfinished = journal_unfinished(wz->c->s.host, run, sizeof run);

	undo->hidden = 1;
	if (unfinished < 0) {
		nw_text_addf(t, NW_R_ERROR, 0, "error: the journal in %s cannot "
		    "be read (%s); nothing can be applied until it is repaired "
		    "or moved aside.", host_state_shown(wz->c->s.host), run);
		return unfinished;
	}
	if (unfinished > 0) {
		nw_text_addf(t, NW_R_ERROR, 0, "error: the apply of run %s did "
		    "not finish; nothing more can be applied until it is rolled "
		    "back.", run);
		nw_button_set_label(undo, "Review the rollback");
		undo->hidden = 0;
		nw_text_add(t, NW_R_STRONG, 0, "Press Enter to see what the "
		    "rollback undoes (it asks before changing anything), or "
		    "PgDn to go on without it.");
		return unfinished;
	}
	if (wz_rollback_available(wz, why, sizeof why)) {
		nw_button_set_label(undo, "Roll back the last apply");
		undo->hidden = 0;
	}
	(void)t;
	return 0;
}

static void
welcome_fill(struct wz *wz, struct page *p)
{
	struct welcome *w = p->priv;
	struct nw_widget *t = w->text;
	char *s;
	int unfinished;

	nw_text_clear(w->journal);
	if ((unfinished = journal_rows(wz, w, w->journal)) != 0)
		nw_text_add(w->journal, NW_R_NORMAL, 0, "");
	nw_text_clear(t);
	nw_text_add(t, NW_R_NORMAL, 0, "ndeswiz prepares this server for "
	    "NDES and the Certificate Connector for Microsoft Intune. Answer "
	    "each step, review the changes, apply them (journaled, so they "
	    "can be undone), check the result, and export the answers for "
	    "the next server.");
	nw_text_add(t, NW_R_NORMAL, 0, "");
	s = xasprintf("%s%s%s%s", wz->c->s.host->where,
	    wz->c->s.target_created ? " (new, made from the profile " : "",
	    wz->c->s.target_created ? (wz->c->profile ? wz->c->profile :
	    HOST_DEFAULT_PROFILE) : "", wz->c->s.target_created ? ")" : "");
	row(t, "Target", s);
	free(s);
	facts_rows(wz, t);
	answers_rows(wz, t);
	if (unfinished <= 0) {
		nw_text_add(t, NW_R_NORMAL, 0, "");
		nw_text_add(t, NW_R_STRONG, 0, "Press Enter or PgDn to "
		    "begin.");
	}
	/* An unfinished run: Enter reviews its rollback. */
	nw_form_focus(&p->form, unfinished > 0 ? w->undo : p->next);
}

static void
welcome_build(struct wz *wz, struct page *p)
{
	struct welcome *w = xcalloc(1, sizeof *w);

	p->priv = w;
	w->journal = nw_text_new(0);
	w->undo = nw_button_new("Roll back the last apply");
	w->text = nw_text_new(1);
	nw_form_add(&p->form, w->journal);
	nw_form_add(&p->form, w->undo);
	nw_form_add(&p->form, w->text);
	wz_footer(p, "Next");
	p->back->hidden = 1;
	p->built = 1;
	welcome_fill(wz, p);
}

static void
welcome_enter(struct wz *wz, struct page *p)
{
	if (!p->built)
		welcome_build(wz, p);
	p->state = NW_STEP_OK;
}

static void
welcome_pressed(struct wz *wz, struct page *p, struct nw_widget *w)
{
	char result[1536];
	int rc;

	if (w != ((struct welcome *)p->priv)->undo)
		return;
	rc = wz_rollback(wz, result, sizeof result);
	welcome_fill(wz, p);
	nw_form_status(&p->form, rc < 0 ? NW_R_ERROR : rc > 0 ? NW_R_OK :
	    NW_R_NORMAL, "%s", result);
}

static void
welcome_free(struct wz *wz, struct page *p)
{
	(void)wz;
	free(p->priv);
	p->priv = NULL;
}

static int
welcome_key(struct wz *wz, struct page *p, struct nw_key k)
{
	(void)wz, (void)p;
	/* Nothing is before the first page: Esc does not leave it. */
	return nw_key_char(k, NW_ESC);
}

const struct page_def page_welcome = {
	.id = "welcome",
	.name = "Welcome",
	.title = "Welcome",
	.intro = "The target, the machine, and where the answers come from.",
	.ops = &(const struct page_ops){
		.enter = welcome_enter,
		.pressed = welcome_pressed,
		.key = welcome_key,
		.free = welcome_free,
	},
};
