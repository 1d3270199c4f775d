/*
 * The Review screen: what every step found, then the plan as the diff
 * "ndeswiz plan" prints (the same call, plan_print), with the reboot
 * flag. Apply is refused while any step reports an error.
 */
#include "wizard.h"
#include "journal.h"
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct review {
	struct nw_widget *text;
	/* The session's, as its last evaluate left them. */
	const struct findings *f;
	const struct plan *p;
	int unfinished;
	char run[256];
};

static struct review *
to_review(struct page *p)
{
	return p->priv;
}

/* The plan's own text, coloured by what each line is. */
static enum nw_role
plan_line_role(const char *line)
{
	static const struct {
		const char *prefix;
		enum nw_role role;
	} looks[] = {
		{ "    - ", NW_R_DEL }, { "    + ", NW_R_ADD },
		{ "    why:", NW_R_DIM }, { "+ ", NW_R_STRONG },
		{ "~ ", NW_R_STRONG }, { "- ", NW_R_STRONG },
		{ "No changes", NW_R_OK },
	};

	for (size_t i = 0; i < nitems(looks); i++)
		if (str_has_prefix(line, looks[i].prefix))
			return looks[i].role;
	return NW_R_NORMAL;
}

/* The text of plan_print: its first line (the summary) or the rest. */
static void
add_plan_text(struct review *r, int summary)
{
	char *text = NULL, *line, *nl;
	size_t len = 0, n = 0;
	FILE *fp = open_memstream(&text, &len);

	if (fp == NULL)
		return;
	plan_print(fp, r->p, 0);
	fclose(fp);
	for (line = text; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line) - 1;
		else
			*nl = '\0';
		if ((n++ == 0) != summary)
			continue;
		/* Long names wrap under the change, not under its mark. */
		nw_text_add_hang(r->text, plan_line_role(line), 0,
		    *line == ' ' ? 6 : 2, line);
	}
	free(text);
}

static void
add_findings(struct wz *wz, struct review *r)
{
	static const char *const words[] = {
		[SEV_WARN] = "warning", [SEV_ERROR] = "error",
	};
	size_t errors = findings_count(r->f, SEV_ERROR);

	if (errors > 0)
		nw_text_addf(r->text, NW_R_ERROR, 0, "%zu error%s the "
		    "apply; fix %s on %s step (PgUp, or F2 for the step "
		    "list):", errors, errors == 1 ? " stops" : "s stop",
		    errors == 1 ? "it" : "them", errors == 1 ? "its" : "their");
	for (size_t i = 0; i < r->f->n; i++) {
		const struct finding *x = &r->f->v[i];
		char *where, *msg, *hint;

		if (x->sev == SEV_OK)
			continue;
		/* The field names its step; else the step's own name. */
		where = x->field ? wz_field_where(wz, x->field) :
		    wz_step_name(wz, x->step);
		msg = wz_unkey(wz, x->message);
		hint = wz_unkey(wz, x->hint);
		nw_text_addf(r->text, wz_sev_role(x->sev), 0, "%s: %s: %s",
		    words[x->sev], where, msg);
		if (hint != NULL)
			nw_text_addf(r->text, NW_R_HINT, 2, "%s %s",
			    nw_glyph(NW_G_HINT), hint);
		free(where);
		free(msg);
		free(hint);
	}
	if (r->f->n > 0 && findings_worst(r->f) != SEV_OK)
		nw_text_add(r->text, NW_R_NORMAL, 0, "");
}

static void
review_compute(struct wz *wz, struct page *p)
{
	struct review *r = to_review(p);
	enum severity worst;

	nw_text_clear(r->text);
	/* As "ndeswiz plan" does, with the same call. */
	session_evaluate(&wz->c->s);
	r->f = &wz->c->s.findings;
	r->p = &wz->c->s.plan;
	r->unfinished = journal_unfinished(wz->c->s.host, r->run,
	    sizeof r->run);
	worst = findings_worst(r->f);
	/* What will happen first, then what the steps say, then how. */
	if (worst != SEV_ERROR) {
		add_plan_text(r, 1);
		/* The summary line says whether a reboot is needed: once. */
		nw_text_add(r->text, NW_R_NORMAL, 0, "");
	}
	add_findings(wz, r);
	if (r->unfinished > 0)
		nw_text_addf(r->text, NW_R_ERROR, 0, "error: the apply of run "
		    "%s did not finish; roll it back first (Welcome, or "
		    "'ndeswiz rollback').", r->run);
	else if (r->unfinished < 0)
		nw_text_addf(r->text, NW_R_ERROR, 0, "error: the journal cannot "
		    "be read (%s); nothing can be applied until it is repaired "
		    "or moved aside.", r->run);
	if (worst == SEV_ERROR)
		nw_text_add(r->text, NW_R_STRONG, 0, "No plan: fix the errors "
		    "above first.");
	else
		add_plan_text(r, 0);
	p->state = worst == SEV_ERROR || r->unfinished ? NW_STEP_ERROR :
	    worst == SEV_WARN ? NW_STEP_WARN : NW_STEP_OK;
}

static void
review_enter(struct wz *wz, struct page *p)
{
	if (!p->built) {
		p->priv = xcalloc(1, sizeof(struct review));
		to_review(p)->text = nw_text_new(1);
		nw_form_add(&p->form, to_review(p)->text);
		wz_footer(p, "Apply");
		p->built = 1;
	}
	review_compute(wz, p);
	nw_form_status(&p->form, NW_R_NORMAL, NULL);
	/* The diff has the focus: the arrows scroll it; PgDn applies. */
	nw_form_focus(&p->form, to_review(p)->text);
}

static int
review_next(struct wz *wz, struct page *p)
{
	static const char *const buttons[] = { "Apply", "Cancel", NULL };
	struct review *r = to_review(p);
	size_t errors;
	char *q;
	int yes;

	review_compute(wz, p);
	errors = findings_count(r->f, SEV_ERROR);
	if (errors > 0 || r->unfinished) {
		nw_form_status(&p->form, NW_R_ERROR, "Cannot apply: %s; see "
		    "above.", r->unfinished > 0 ? "an earlier apply did not "
		    "finish" : r->unfinished < 0 ? "the journal cannot be read" :
		    errors == 1 ? "1 error" : "there are errors");
		return -1;
	}
	if (r->p->n > 0) {
		q = xasprintf("Apply %zu change%s to %s? Each change is "
		    "journaled first; if one fails, the whole run is undone.%s",
		    r->p->n, r->p->n == 1 ? "" : "s", wz->c->s.host->where,
		    plan_reboot_required(r->p) ? " A reboot is needed "
		    "afterwards." : "");
		/* It changes the server: Enter alone does not. */
		yes = nw_msgbox("Apply", q, buttons, 1) == 0;
		free(q);
		if (!yes) {
			nw_form_status(&p->form, NW_R_NORMAL, "Not applied.");
			return -1;
		}
	}
	wz->apply_wanted = 1;
	return 0;
}

static void
review_free(struct wz *wz, struct page *p)
{
	(void)wz;
	if (p->priv == NULL)
		return;
	free(p->priv);
}

const struct page_def page_review = {
	.id = "review",
	.name = "Review",
	.title = "Review the changes",
	.intro = "Every change the answers still need, with the value the "
	    "target holds now, the value it will hold and why. The same as "
	    "'ndeswiz plan'.",
	.ops = &(const struct page_ops){
		.enter = review_enter,
		.next = review_next,
		.free = review_free,
	},
};
