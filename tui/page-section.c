/*
 * The form of one section of the field table: a widget per field, chosen
 * by the field's type, pre-filled from the answers. A value is checked as
 * the admin leaves its field (field_parse, through answers_set), the
 * step's validate runs on Next, and each finding shows under its field.
 * Nothing here decides what is valid: the table and the step do.
 */
#include "wizard.h"
#include "secret.h"

#include <stdlib.h>
#include <string.h>

struct section {
	struct wz *wz;
	struct nw_widget *intro;
	struct nw_widget *field[F__COUNT];	/* NULL: not on this page */
	char *bad[F__COUNT];	/* why the typed value was refused */
	struct nw_widget *general;	/* findings about other places */
	struct nw_widget *server;	/* the host list (Prerequisites) */
	struct findings found;	/* the step's checks, then the server's
				   warnings and errors */
	struct findings host;	/* everything the inspection said */
	size_t nchecks;		/* found's first entries: the checks' */
	int checked;		/* the step's checks ran: keep them fresh */
};

static struct section *
to_section(struct page *p)
{
	return p->priv;
}

/* ---- one input per type --------------------------------------------- */

static struct nw_widget *
make_text(const struct field *f, const char *v)
{
	struct nw_widget *e = nw_entry_new(v, 0);

	if (f->choices != NULL)
		nw_entry_set_suggestions(e, f->choices, f->label);
	return e;
}

static struct nw_widget *
make_bool(const struct field *f, const char *v)
{
	(void)f;
	return nw_checkbox_new(strcmp(v, "yes") == 0);
}

static struct nw_widget *
make_enum(const struct field *f, const char *v)
{
	return nw_choice_new(f->choices, v, f->label);
}

static struct nw_widget *
make_int(const struct field *f, const char *v)
{
	return nw_number_new(v, f->min, f->max);
}

static struct nw_widget *
make_secret(const struct field *f, const char *v)
{
	struct nw_widget *e = nw_entry_new(v, NW_ENTRY_SECRET |
	    NW_ENTRY_REFS);

	(void)f;
	/* What the answers hold is a reference, never the secret. */
	nw_entry_set_shown(e, v);
	return e;
}

static struct nw_widget *
make_list(const struct field *f, const char *v)
{
	if (f->choices != NULL)
		return nw_checklist_new(f->choices, v);
	return nw_listentry_new(v);
}

static struct nw_widget *(*const makers[])(const struct field *,
    const char *) = {
	[FT_TEXT] = make_text,
	[FT_BOOL] = make_bool,
	[FT_ENUM] = make_enum,
	[FT_INT] = make_int,
	[FT_SECRET] = make_secret,
	[FT_LIST] = make_list,
};

/* ---- messages ------------------------------------------------------- */

static int
on_page(struct section *s, const char *name)
{
	for (int i = 0; name != NULL && i < F__COUNT; i++)
		if (s->field[i] != NULL && strcmp(field_name(i), name) == 0)
			return 1;
	return 0;
}

static void
field_msgs(struct section *s, int id)
{
	struct nw_widget *fw = s->field[id];
	char desc[256], *allowed, *msg, *hint;

	nw_field_clear_msgs(fw);
	if (s->bad[id] != NULL) {
		nw_field_add_msg(fw, NW_R_ERROR, s->bad[id]);
		/* A text field's own message already says what it takes. */
		if (fields_table[id].type != FT_TEXT) {
			field_describe((enum field_id)id, desc, sizeof desc);
			allowed = xasprintf("Allowed: %s", desc);
			nw_field_add_msg(fw, NW_R_HINT, allowed);
			free(allowed);
		}
	}
	for (size_t i = 0; i < s->found.n; i++) {
		const struct finding *x = &s->found.v[i];

		if (x->field == NULL || strcmp(x->field, field_name(id)) != 0)
			continue;
		msg = wz_unkey(s->wz, x->message);
		hint = wz_unkey(s->wz, x->hint);
		nw_field_add_msg(fw, wz_sev_role(x->sev), msg);
		if (hint != NULL && x->sev != SEV_OK)
			nw_field_add_msg(fw, NW_R_HINT, hint);
		free(msg);
		free(hint);
	}
	if (fields_table[id].type == FT_SECRET &&
	    strcmp(answers_get(s->wz->a, (enum field_id)id), "prompt") == 0)
		nw_field_add_msg(fw, NW_R_DIM, "You will be asked for it, "
		    "masked, when it is needed; it stays in memory only and is "
		    "never saved.");
}

static void
general_msgs(struct section *s)
{
	static const char *const words[] = {
		[SEV_OK] = "ok", [SEV_WARN] = "warning", [SEV_ERROR] = "error",
	};

	nw_text_clear(s->general);
	for (size_t i = 0; i < s->found.n; i++) {
		const struct finding *x = &s->found.v[i];
		char *where, *msg, *hint;

		if (on_page(s, x->field) || (s->server != NULL &&
		    i >= s->nchecks && x->field == NULL))
			continue;
		where = x->field ? wz_field_where(s->wz, x->field) : NULL;
		msg = wz_unkey(s->wz, x->message);
		hint = wz_unkey(s->wz, x->hint);
		nw_text_addf(s->general, wz_sev_role(x->sev), 0, "%s: %s%s%s",
		    words[x->sev], where ? where : "", where ? ": " : "", msg);
		if (hint != NULL && x->sev != SEV_OK)
			nw_text_addf(s->general, NW_R_HINT, 2, "%s %s",
			    nw_glyph(NW_G_HINT), hint);
		free(where);
		free(msg);
		free(hint);
	}
}

/* Where a finding goes in the server's list: what it meets first, what
 * the plan puts right, then warnings, and errors last, next to the fields
 * the page opens on. */
static int
server_rank(const struct finding *x)
{
	if (x->sev == SEV_OK)
		return x->hint != NULL;
	return x->sev == SEV_WARN ? 2 : 3;
}

/* The server as the step's inspection sees it: each thing it met, and
 * each it did not, with the reason and what to do. */
static void
server_msgs(struct section *s)
{
	if (s->server == NULL)
		return;
	nw_text_clear(s->server);
	if (s->wz->c->s.host == NULL || !s->checked)
		return;
	nw_text_add(s->server, NW_R_STRONG, 0, "This server:");
	for (int rank = 0; rank < 4; rank++)
		for (size_t i = 0; i < s->host.n; i++) {
			const struct finding *x = &s->host.v[i];
			char *line;

			if (server_rank(x) != rank)
				continue;
			line = xasprintf("%s %s", nw_glyph(rank == 0 ?
			    NW_G_YES : NW_G_NO), x->message);
			nw_text_add_hang(s->server, rank == 0 ? NW_R_OK :
			    rank == 1 ? NW_R_NORMAL : wz_sev_role(x->sev), 0,
			    2, line);
			free(line);
			if (x->hint != NULL)
				nw_text_addf(s->server, NW_R_HINT, 2, "%s %s",
				    nw_glyph(NW_G_HINT), x->hint);
		}
	nw_text_add(s->server, NW_R_NORMAL, 0, "");
}

static void
all_msgs(struct page *p)
{
	struct section *s = to_section(p);
	enum severity worst = findings_worst(&s->found);

	for (int i = 0; i < F__COUNT; i++)
		if (s->field[i] != NULL) {
			field_msgs(s, i);
			if (s->bad[i] != NULL)
				worst = SEV_ERROR;
		}
	general_msgs(s);
	server_msgs(s);
	p->state = wz_state(worst, p->own);
}

/* What the server holds, from this step's inspection (it reads the
 * target: on entering, leaving and Next, not on every field). */
static void
inspect_host(struct wz *wz, struct page *p)
{
	struct section *s = to_section(p);
	struct findings scratch = {0};

	findings_free(&s->host);
	if (p->step != NULL && p->step->inspect != NULL)
		session_step_findings(&wz->c->s, p->step, &scratch, &s->host);
	findings_free(&scratch);
	s->checked = 1;
}

/* The page's findings: every validate finding about its fields (or its
 * step, for none), whichever step raised it, then the server's. */
static void
gather(struct wz *wz, struct page *p)
{
	struct section *s = to_section(p);

	findings_free(&s->found);
	for (size_t i = 0; i < wz->valid.n; i++)
		if (wz_concerns(wz, p, &wz->valid.v[i]))
			findings_add_copy(&s->found, &wz->valid.v[i]);
	s->nchecks = s->found.n;
	/* What holds on the server is not news under a field; what is
	 * wrong there is, and an error stops Next like any other. */
	for (size_t i = 0; i < s->host.n; i++)
		if (s->host.v[i].sev != SEV_OK)
			findings_add_copy(&s->found, &s->host.v[i]);
}

void
section_refresh(struct wz *wz, struct page *p)
{
	enum severity worst = SEV_OK;

	if (!p->built) {
		/* Not built yet: its state only, once it may be reached. */
		for (size_t i = 0; i < wz->valid.n; i++)
			if (wz_concerns(wz, p, &wz->valid.v[i]) &&
			    wz->valid.v[i].sev > worst)
				worst = wz->valid.v[i].sev;
		p->state = p->visited || wz->hub ? wz_state(worst, p->own) :
		    p->own == NW_STEP_NOTRUN ? NW_STEP_NOTRUN : NW_STEP_NEW;
		return;
	}
	gather(wz, p);
	all_msgs(p);
	/* A refusal of Next that no longer holds goes. */
	if (p->form.status_role == NW_R_ERROR && p->state != NW_STEP_ERROR)
		nw_form_status(&p->form, NW_R_NORMAL, NULL);
}

/* ---- values --------------------------------------------------------- */

static void
show_value(struct wz *wz, struct section *s, int id)
{
	struct nw_widget *in = nw_field_input(s->field[id]);
	const char *v = answers_get(wz->a, (enum field_id)id);

	nw_set_value(in, v);
	if (fields_table[id].type == FT_SECRET)
		nw_entry_set_shown(in, v);
}

/* Take the field's value into the answers. */
static void
commit(struct wz *wz, struct section *s, int id)
{
	struct nw_widget *in = nw_field_input(s->field[id]);
	int secret = fields_table[id].type == FT_SECRET;
	char why[512], *v;

	/* A refused secret was wiped: its empty entry is not an answer. */
	if (secret && s->bad[id] != NULL && !nw_entry_edited(in))
		return;
	v = nw_value(in);

	if (strcmp(v, answers_get(wz->a, (enum field_id)id)) != 0 ||
	    s->bad[id] != NULL) {
		free(s->bad[id]);
		s->bad[id] = NULL;
		if (answers_set(wz->a, (enum field_id)id, v, SRC_SCREEN, why,
		    sizeof why) != 0) {
			s->bad[id] = xstrdup(why);
			/* What was typed may be the password itself. */
			if (secret) {
				nw_entry_wipe(in);
				nw_entry_set_shown(in, NULL);
			}
		} else
			show_value(wz, s, id);
	}
	if (secret)
		secure_zero(v, strlen(v));
	free(v);
}

int
section_commit(struct wz *wz, struct page *p)
{
	struct section *s = to_section(p);
	int bad = 0;

	for (int i = 0; i < F__COUNT; i++) {
		if (s->field[i] == NULL)
			continue;
		commit(wz, s, i);
		bad += s->bad[i] != NULL;
	}
	return bad;
}

static void
on_leave(struct nw_form *form, struct nw_widget *w, void *arg)
{
	struct page *p = arg;
	struct section *s = to_section(p);

	for (int i = 0; i < F__COUNT; i++) {
		if (s->field[i] != w)
			continue;
		commit(s->wz, s, i);
		/* The whole validate (pure, cheap): a value here may settle
		 * or raise a finding on another page too. */
		wz_revalidate(s->wz);
	}
	(void)form;
}

int
section_revert(struct wz *wz, struct page *p)
{
	struct section *s = to_section(p);
	struct nw_widget *w = nw_form_focused(&p->form), *in;
	char *v;
	int changed;

	for (int id = 0; s != NULL && w != NULL && id < F__COUNT; id++) {
		if (s->field[id] != w)
			continue;
		in = nw_field_input(w);
		v = nw_value(in);
		changed = strcmp(v, answers_get(wz->a, (enum field_id)id)) !=
		    0 || s->bad[id] != NULL;
		secure_zero(v, strlen(v));
		free(v);
		if (!changed)
			return 0;
		free(s->bad[id]);
		s->bad[id] = NULL;
		if (fields_table[id].type == FT_SECRET)
			nw_entry_wipe(in);
		show_value(wz, s, id);
		nw_form_status(&p->form, NW_R_HINT, "Edit cancelled: %s is "
		    "as it was. Esc again goes back.", fields_table[id].label);
		return 1;
	}
	return 0;
}

/* ---- the page ------------------------------------------------------- */

void
section_build(struct wz *wz, struct page *p)
{
	struct section *s = xcalloc(1, sizeof *s);
	const char *sec = p->def->section;
	int lw = WZ_LABEL_WIDTH;

	p->priv = s;
	s->wz = wz;
	s->intro = nw_text_new(0);
	if (p->def->intro != NULL && *p->def->intro != '\0')
		nw_text_add(s->intro, NW_R_NORMAL, 0, p->def->intro);
	if (!p->def->no_step && (p->step == NULL ||
	    p->step->validate == NULL))
		nw_text_add(s->intro, NW_R_DIM, 0, "This build has no checks "
		    "for this step yet: only the form of each value is "
		    "checked.");
	nw_text_add(s->intro, NW_R_NORMAL, 0, "");
	nw_form_add(&p->form, s->intro);
	if (p->def->host_list) {
		s->server = nw_text_new(0);
		nw_form_add(&p->form, s->server);
	}
	/* Findings about no field of this page (the server's, mostly) go
	 * first, where the page opens: never below the fold. */
	s->general = nw_text_new(0);
	nw_form_add(&p->form, s->general);
	/* Labels as wide as the page's longest, within reason. */
	for (int i = 0; i < F__COUNT; i++)
		if (strcmp(fields_table[i].section, sec) == 0 &&
		    nw_u8_width(fields_table[i].label) + 1 > lw)
			lw = nw_u8_width(fields_table[i].label) + 1;
	lw = lw > WZ_LABEL_MAX ? WZ_LABEL_MAX : lw;
	for (int i = 0; i < F__COUNT; i++) {
		const struct field *f = &fields_table[i];

		if (strcmp(f->section, sec) != 0)
			continue;
		s->field[i] = nw_field_new(f->label, makers[f->type](f,
		    answers_get(wz->a, (enum field_id)i)), lw);
		s->field[i]->tag = i;
		nw_form_add(&p->form, s->field[i]);
		field_msgs(s, i);
	}
	p->form.on_leave = on_leave;
	p->form.arg = p;
	p->built = 1;
}

void
section_footer(struct wz *wz, struct page *p)
{
	(void)wz;
	wz_footer(p, "Next");
	nw_form_focus_first(&p->form);
}

void
section_enter(struct wz *wz, struct page *p)
{
	struct section *s;

	if (!p->built) {
		section_build(wz, p);
		section_footer(wz, p);
		/* The server's list is there from the first look. */
		inspect_host(wz, p);
		return;	/* wz_goto refreshes the findings */
	}
	/* Other pages may have changed what the checks see. */
	s = to_section(p);
	for (int i = 0; i < F__COUNT; i++)
		if (s->field[i] != NULL && s->bad[i] == NULL)
			show_value(wz, s, i);
	inspect_host(wz, p);
}

void
section_leave(struct wz *wz, struct page *p)
{
	if (!p->built)
		return;
	section_commit(wz, p);
	inspect_host(wz, p);
}

/* The first field that stops Next: a refused value or an error. */
static struct nw_widget *
first_problem(struct page *p)
{
	struct section *s = to_section(p);

	for (size_t i = 0; i < p->form.nbody; i++) {
		for (int id = 0; id < F__COUNT; id++) {
			if (s->field[id] != p->form.w[i])
				continue;
			if (s->bad[id] != NULL)
				return s->field[id];
			for (size_t k = 0; k < s->found.n; k++)
				if (s->found.v[k].sev == SEV_ERROR &&
				    str_eq(s->found.v[k].field,
				    field_name((enum field_id)id)))
					return s->field[id];
		}
	}
	return NULL;
}

int
section_next(struct wz *wz, struct page *p)
{
	struct section *s = to_section(p);
	int bad = section_commit(wz, p);
	size_t errors;
	struct nw_widget *w;

	inspect_host(wz, p);
	wz_revalidate(wz);
	errors = findings_count(&s->found, SEV_ERROR);
	if (bad == 0 && errors == 0) {
		nw_form_status(&p->form, NW_R_NORMAL, NULL);
		return 0;
	}
	if (bad > 0)
		nw_form_status(&p->form, NW_R_ERROR, "Cannot go on: %d "
		    "value%s %s not valid; see the message%s under the "
		    "field%s.", bad, bad == 1 ? "" : "s", bad == 1 ? "is" :
		    "are", bad == 1 ? "" : "s", bad == 1 ? "" : "s");
	else
		nw_form_status(&p->form, NW_R_ERROR, "Cannot go on: the "
		    "checks of this step found %zu error%s; see the "
		    "messages on this page.", errors, errors == 1 ? "" : "s");
	if ((w = first_problem(p)) != NULL)
		nw_form_focus(&p->form, w);
	return -1;
}

const char *
section_help(struct wz *wz, struct page *p)
{
	struct nw_widget *w = nw_form_focused(&p->form);
	struct section *s = to_section(p);

	(void)wz;
	for (int i = 0; w != NULL && s != NULL && i < F__COUNT; i++)
		if (s->field[i] == w)
			return fields_table[i].help;
	return NULL;
}

void
section_free(struct wz *wz, struct page *p)
{
	struct section *s = to_section(p);

	(void)wz;
	if (s == NULL)
		return;
	for (int i = 0; i < F__COUNT; i++)
		free(s->bad[i]);
	findings_free(&s->found);
	findings_free(&s->host);
	free(s);
	p->priv = NULL;
}

const struct page_ops page_section_ops = {
	.enter = section_enter,
	.leave = section_leave,
	.next = section_next,
	.help = section_help,
	.free = section_free,
};
