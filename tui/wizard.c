/*
 * The interactive wizard: the page list, the screen layout and the key
 * loop. Pages come from page-*.c; a section of the field table that has
 * no page of its own still gets a generic form, and a step of the backend
 * lends its title to its page whenever it is registered.
 */
#include "wizard.h"
#include "cli-out.h"
#include "journal.h"
#include "secret.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define SIDE_WIDTH 22

/* Section pages, found by their section; the others are placed by hand. */
static const struct page_def *const section_pages[] = {
	&page_prereqs, &page_accounts, &page_template, &page_ndes,
	&page_registry, &page_binding, &page_signin, &page_proxy,
};

/* ---- pages ---------------------------------------------------------- */

static void
add_page(struct wz *wz, const struct page_def *def)
{
	struct page *p = xcalloc(1, sizeof *p);

	p->def = def;
	p->own = def->own_check ? NW_STEP_NOTRUN : NW_STEP_NEW;
	p->step = session_step_of_section(def->section);
	p->title = p->step != NULL && p->step->title != NULL ?
	    p->step->title : def->title;
	nw_form_init(&p->form);
	wz->pages = xreallocarray(wz->pages, wz->npages + 1,
	    sizeof *wz->pages);
	wz->pages[wz->npages++] = p;
	nw_steplist_add(wz->steps, def->name);
}

/* A page for a section that has none of its own: its fields, its step's
 * title when the backend has one. */
static const struct page_def *
generic_def(const char *section)
{
	struct page_def *d = xcalloc(1, sizeof *d);
	const struct step *s = session_step_of_section(section);
	char *name = xstrdup(section);

	name[0] = (char)(name[0] >= 'a' && name[0] <= 'z' ? name[0] - 32 :
	    name[0]);
	d->id = section;
	d->section = section;
	d->name = name;
	d->title = s != NULL && s->title != NULL ? s->title : name;
	d->intro = "";
	d->ops = &page_section_ops;
	return d;
}

static const struct page_def *
section_def(const char *section)
{
	for (size_t i = 0; i < nitems(section_pages); i++)
		if (strcmp(section_pages[i]->section, section) == 0)
			return section_pages[i];
	return generic_def(section);
}

static void
build_pages(struct wz *wz)
{
	wz->steps = nw_steplist_new();
	add_page(wz, &page_welcome);
	for (size_t i = 0; fields_sections[i] != NULL; i++) {
		/* Health has its own screen after Apply. */
		if (strcmp(fields_sections[i], page_health.section) == 0)
			continue;
		add_page(wz, section_def(fields_sections[i]));
	}
	add_page(wz, &page_review);
	add_page(wz, &page_apply);
	add_page(wz, &page_health);
	add_page(wz, &page_finish);
}

static int
is_generic(const struct page_def *d)
{
	for (size_t i = 0; i < nitems(section_pages); i++)
		if (section_pages[i] == d)
			return 0;
	return d->ops == &page_section_ops;
}

static void
free_pages(struct wz *wz)
{
	for (size_t i = 0; i < wz->npages; i++) {
		struct page *p = wz->pages[i];

		if (p->def->ops->free != NULL)
			p->def->ops->free(wz, p);
		nw_form_free(&p->form);
		if (is_generic(p->def)) {
			free((char *)p->def->name);
			free((struct page_def *)p->def);
		}
		free(p);
	}
	free(wz->pages);
	nw_widget_free(wz->steps);
}

int
wz_find(struct wz *wz, const char *id)
{
	for (size_t i = 0; i < wz->npages; i++)
		if (strcmp(wz->pages[i]->def->id, id) == 0)
			return (int)i;
	return -1;
}

static struct page *
cur_page(struct wz *wz)
{
	return wz->pages[wz->cur];
}

static int
page_busy(struct wz *wz, struct page *p)
{
	return p->def->ops->busy != NULL ? p->def->ops->busy(wz, p) : 0;
}

void
wz_goto(struct wz *wz, size_t i)
{
	struct page *p = cur_page(wz);

	if (i >= wz->npages)
		return;
	if (p->def->ops->leave != NULL)
		p->def->ops->leave(wz, p);
	wz->cur = i;
	p = cur_page(wz);
	p->visited = 1;
	if (p->def->ops->enter != NULL)
		p->def->ops->enter(wz, p);
	wz_revalidate(wz);
	if (wz->return_to >= 0 && (size_t)wz->return_to != i)
		nw_form_status(&p->form, NW_R_HINT, "Next brings you back to "
		    "%s.", wz->pages[wz->return_to]->def->name);
}

void
wz_footer(struct page *p, const char *next_label)
{
	p->back = nw_button_new("Back");
	p->next = nw_button_new(next_label);
	nw_form_add_footer(&p->form, p->back);
	nw_form_add_footer(&p->form, p->next);
	p->form.enter_target = p->next;
}

char *
wz_field_where(struct wz *wz, const char *name)
{
	const char *dot = strchr(name, '.');
	char *section;
	int id, pi;

	if (dot == NULL)
		return xstrdup(name);
	section = xstrndup(name, (size_t)(dot - name));
	id = field_lookup(section, dot + 1);
	pi = -1;
	for (size_t i = 0; i < wz->npages; i++)
		if (str_eq(wz->pages[i]->def->section, section))
			pi = (int)i;
	free(section);
	if (id < 0)
		return xstrdup(name);
	if (pi < 0)
		return xstrdup(fields_table[id].label);
	return xasprintf("%s (%s)", fields_table[id].label,
	    wz->pages[pi]->def->name);
}

enum nw_role
wz_sev_role(enum severity s)
{
	static const enum nw_role roles[] = {
		[SEV_OK] = NW_R_OK,
		[SEV_WARN] = NW_R_WARN,
		[SEV_ERROR] = NW_R_ERROR,
	};

	return roles[s];
}

/* ---- findings and states ------------------------------------------- */

static int
section_has_page(struct wz *wz, const char *section, size_t len)
{
	for (size_t i = 0; i < wz->npages; i++) {
		const char *ps = wz->pages[i]->def->section;

		if (ps != NULL && strlen(ps) == len &&
		    strncmp(ps, section, len) == 0)
			return 1;
	}
	return 0;
}

int
wz_concerns(struct wz *wz, const struct page *p, const struct finding *x)
{
	const char *sec = p->def->section, *dot;

	if (sec == NULL)
		return 0;
	dot = x->field != NULL ? strchr(x->field, '.') : NULL;
	/* A field's finding goes where the field is, whoever raised it. */
	if (dot != NULL && section_has_page(wz, x->field,
	    (size_t)(dot - x->field)))
		return strlen(sec) == (size_t)(dot - x->field) &&
		    strncmp(sec, x->field, (size_t)(dot - x->field)) == 0;
	return p->step != NULL && str_eq(x->step, p->step->id);
}

enum nw_step_state
wz_state(enum severity worst, enum nw_step_state own)
{
	/* Worst first: an error, a check running, a warning, a check not
	 * run yet; ok only when nothing says otherwise. */
	static const enum nw_step_state order[] = {
		NW_STEP_ERROR, NW_STEP_BUSY, NW_STEP_WARN, NW_STEP_NOTRUN,
	};
	enum nw_step_state mine = worst == SEV_ERROR ? NW_STEP_ERROR :
	    worst == SEV_WARN ? NW_STEP_WARN : NW_STEP_OK;

	for (size_t i = 0; i < nitems(order); i++)
		if (mine == order[i] || own == order[i])
			return order[i];
	return NW_STEP_OK;
}

void
wz_revalidate(struct wz *wz)
{
	findings_free(&wz->valid);
	session_validate_to(&wz->c->s, &wz->valid);
	for (size_t i = 0; i < wz->npages; i++)
		if (wz->pages[i]->def->section != NULL)
			section_refresh(wz, wz->pages[i]);
}

/* ---- answers: saved or not ------------------------------------------ */

int
wz_unsaved(struct wz *wz)
{
	return !answers_equal(wz->a, &wz->saved);
}

void
wz_mark_saved(struct wz *wz)
{
	answers_free(&wz->saved);
	answers_copy(&wz->saved, wz->a);
}

int
wz_save_last(struct wz *wz, char *err, size_t len)
{
	return session_save_last(&wz->c->s, err, len);
}

/*
 * A secret set to "prompt" is asked for in a masked box on the wizard's
 * own screen (the backend calls this hook); what is typed is kept in
 * locked memory for the rest of the run (secret.c), so it is asked once.
 */
static int
wz_secret_prompt(void *arg, const char *label, char *buf, size_t max,
    size_t *len)
{
	char *text = xasprintf("%s is set to 'prompt'. Type it here: it is "
	    "not shown, stays in memory for this run only and is never "
	    "saved.", label);
	int rc;

	(void)arg;
	rc = nw_secretbox("Password", text, buf, max, len);
	free(text);
	nw_redraw();
	return rc;
}

void
wz_prompt_install(struct wz *wz)
{
	secret_set_prompt(wz_secret_prompt, wz);
}

int
wz_ask_prompts(struct wz *wz, char *err, size_t len)
{
	struct secret s;

	for (int i = 0; i < F__COUNT; i++) {
		if (fields_table[i].type != FT_SECRET ||
		    strcmp(answers_get(wz->a, (enum field_id)i), "prompt") != 0)
			continue;
		if (secret_resolve("prompt", fields_table[i].label, &s, err,
		    len) != 0)
			return -1;
		secret_wipe(&s);
	}
	return 0;
}

/* ---- drawing -------------------------------------------------------- */

/* What the bottom line offers, by situation. */
static const char *
key_hints(struct wz *wz)
{
	if (wz->in_steps)
		return "Up/Down choose  Enter go there  Esc back to the page  "
		    "F10 quit";
	switch (page_busy(wz, cur_page(wz))) {
	case 1:
		return "Esc cancel  F10 quit";
	case 2:
		return "working: this cannot be interrupted safely";
	}
	if (wz->hub)
		return "F1 help  F2 steps  F3 review  PgDn next  PgUp back  "
		    "F10 quit";
	return "F1 help  F2 steps  Tab field  PgDn next  PgUp/Esc back  "
	    "F10 quit";
}

/* The path keeps its end (the target's name) when it must be cut. */
static char *
left_cut(const char *path, int width)
{
	const char *s = path;

	if (width < 2)
		return xstrdup("");
	while (*s != '\0' && nw_u8_width(s) > width - 1)
		do
			s++;
		while ((*s & 0xc0) == 0x80);
	return s == path ? xstrdup(path) : xasprintf("%s%s",
	    nw_glyph(NW_G_ELLIPSIS), s);
}

static const char title_name[] = "ndeswiz " VERSION " - NDES and the "
    "Intune Certificate Connector";

static void
draw_title(struct wz *wz)
{
	static const char shortname[] = "ndeswiz " VERSION;
	const char *left = title_name, *where = wz->c->s.host->where;
	char *path, *right;
	int rw;

	/* The live driver's target is the machine itself (no folder). */
	if (where == NULL || *where == '\0')
		where = "this server";
	/* The title gives way to the target: the short name, then the
	 * path cut from the left, never the two run into each other. */
	if (nw_u8_width(title_name) + 12 + nw_u8_width(where) + 2 > COLS)
		left = shortname;
	path = left_cut(where, COLS - nw_u8_width(left) - 13);
	right = xasprintf("target: %s ", path);
	rw = nw_u8_width(right);
	nw_fill(stdscr, 0, 0, 1, COLS, NW_R_BAR);
	nw_put_clip(stdscr, 0, 1, COLS - rw - 3, left, nw_attr(NW_R_BAR));
	nw_put(stdscr, 0, COLS - rw, rw, right, nw_attr(NW_R_BAR));
	free(right);
	free(path);
}

static void
draw_side(struct wz *wz)
{
	int h = LINES - 2;

	for (size_t i = 0; i < wz->npages; i++)
		nw_steplist_set(wz->steps, i, wz->pages[i]->state,
		    wz->pages[i]->visited);
	nw_steplist_current(wz->steps, wz->cur);
	wz->steps->focused = wz->in_steps;
	nw_box(stdscr, 1, 0, h, SIDE_WIDTH, "Steps", NW_R_BORDER);
	nw_widget_draw(wz->steps, stdscr, 2, 1, SIDE_WIDTH - 2);
	if ((int)wz->npages + 4 < h)
		nw_put(stdscr, LINES - 3, 2, SIDE_WIDTH - 4, "F2: go to a step",
		    nw_attr(NW_R_DIM));
}

void
wz_draw(struct wz *wz)
{
	struct page *p = cur_page(wz);
	int cx = SIDE_WIDTH, cw = COLS - SIDE_WIDTH, h = LINES - 2;
	char *title;

	werase(stdscr);
	if (!nw_size_ok())
		return;
	draw_title(wz);
	draw_side(wz);
	title = xasprintf("%s  (%zu/%zu)", p->title, wz->cur + 1,
	    wz->npages);
	nw_box(stdscr, 1, cx, h, cw, title, NW_R_BORDER);
	free(title);
	nw_form_draw(&p->form, 2, cx + 2, h - 2, cw - 4);
	nw_fill(stdscr, LINES - 1, 0, 1, COLS, NW_R_BAR);
	nw_put_clip(stdscr, LINES - 1, 1, COLS - 2, key_hints(wz),
	    nw_attr(NW_R_BAR));
	wnoutrefresh(stdscr);
	nw_form_refresh(&p->form);
	if (wz->in_steps)
		curs_set(0);	/* the step list has the focus, not a field */
	doupdate();
}

/*
 * The frame before the target is read. On a server, reading it (facts,
 * features, IIS, the certificate stores) takes seconds; the admin sees
 * the wizard at once and what it is doing. Nothing here needs the target.
 */
static void
draw_reading(const struct cmd_ctx *c)
{
#ifdef _WIN32
	const char *what = c->target ? c->target : "this server";
#else
	const char *what = c->target ? c->target : HOST_DEFAULT_TARGET;
#endif
	int w = COLS > 64 ? 60 : COLS - 4, y = LINES / 2 - 2;

	werase(stdscr);
	if (!nw_size_ok())
		return;
	nw_fill(stdscr, 0, 0, 1, COLS, NW_R_BAR);
	nw_put_clip(stdscr, 0, 1, COLS - 2, title_name, nw_attr(NW_R_BAR));
	nw_box(stdscr, y, (COLS - w) / 2, 5, w, "Starting", NW_R_BORDER);
	nw_putf(stdscr, y + 2, (COLS - w) / 2 + 2, w - 4, nw_attr(NW_R_NORMAL),
	    "Reading %s%s", what, nw_glyph(NW_G_ELLIPSIS));
	nw_fill(stdscr, LINES - 1, 0, 1, COLS, NW_R_BAR);
	nw_put_clip(stdscr, LINES - 1, 1, COLS - 2, "Ctrl-C quit",
	    nw_attr(NW_R_BAR));
	wnoutrefresh(stdscr);
	doupdate();
}

static void
redraw_hook(void *arg)
{
	wz_draw(arg);
}

/* ---- actions -------------------------------------------------------- */

static void
do_next(struct wz *wz)
{
	struct page *p = cur_page(wz);
	size_t to;

	if (p->def->ops->next != NULL && p->def->ops->next(wz, p) != 0)
		return;
	to = wz->return_to >= 0 ? (size_t)wz->return_to : wz->cur + 1;
	wz->return_to = -1;
	if (to < wz->npages)
		wz_goto(wz, to);
}

static void
do_back(struct wz *wz)
{
	if (wz->cur > 0)
		wz_goto(wz, wz->cur - 1);
}

void
wz_quit(struct wz *wz)
{
	static const char *const buttons[] = { "Quit", "Stay", NULL };
	struct page *p = cur_page(wz);

	if (page_busy(wz, p) == 2) {
		nw_form_status(&p->form, NW_R_WARN, "Wait: this cannot be "
		    "interrupted safely; it finishes, or undoes itself.");
		return;
	}
	if (p->def->ops->leave != NULL)
		p->def->ops->leave(wz, p);
	if (wz_unsaved(wz) && nw_msgbox("Quit", "Some answers were changed "
	    "and are neither applied nor exported. Quit anyway and lose "
	    "them?", buttons, 1) != 0)
		return;
	if (page_busy(wz, p) == 1 && p->def->ops->cancel != NULL)
		p->def->ops->cancel(wz, p);
	wz->quit = 1;
}

static char *
read_help(const char *id)
{
	char *path = xasprintf("%s/help/%s.txt", assets_dir(), id), *text;
	size_t len;

	if (file_read(path, 65536, &text, &len) != 0)
		text = xasprintf("No help text for %s (%s is missing).", id,
		    path);
	free(path);
	return text;
}

static const char *const source_words[] = {
	[SRC_DEFAULT] = "the default",
	[SRC_HOST] = "the target's current state",
	[SRC_LAST] = "the last answers saved in the target",
	[SRC_FILE] = "the answer file",
	[SRC_SCREEN] = "this screen",
};

static char *
field_help(struct wz *wz, int id)
{
	const struct field *f = &fields_table[id];
	char desc[256], *text = read_help(f->help), *out, *from;
	int secret = f->type == FT_SECRET;

	field_describe((enum field_id)id, desc, sizeof desc);
	if (wz->a->src[id] == SRC_FILE && wz->a->file[id] != NULL)
		from = xasprintf("the answer file %s:%d", wz->a->file[id],
		    wz->a->line[id]);
	else
		from = xstrdup(source_words[wz->a->src[id]]);
	/* The label is the popup's title; the answer-file key is the
	 * README's and the export's business, not the screen's. */
	out = xasprintf("%s\n\nAllowed: %s\nDefault: %s\n"
	    "Now: %s (from %s)", text, desc,
	    *f->def ? f->def : "(empty)", secret ? "a reference, shown on "
	    "the form" : *wz->a->val[id] ? wz->a->val[id] : "(empty)", from);
	free(text);
	free(from);
	return out;
}

/* The key table: what F1 shows with no field focused, and the README. */
static const struct {
	const char *keys, *what;
} key_list[] = {
	{ "Tab, Down, Enter", "next field (Enter on the last: Next)" },
	{ "Shift-Tab, Up", "previous field" },
	{ "Left, Right", "move in a value; step through a choice" },
	{ "Space", "toggle a checkbox; open a choice list; press a button" },
	{ "y, n", "set a yes/no field" },
	{ "+, -", "step a number" },
	{ "Ctrl-U", "clear the field" },
	{ "PgDn", "next step (checks this one first)" },
	{ "Esc", "cancel the edit of the field (its value comes back); "
	    "again: previous step, or cancel a running check" },
	{ "PgUp", "previous step" },
	{ "F1", "help for the field" },
	{ "F2", "the step list: jump to a visited step (any step when the "
	    "answers are complete: a rerun, or -a)" },
	{ "F3", "Review, from any step (answers complete)" },
	{ "Ctrl-L", "redraw the screen" },
	{ "F10, Ctrl-Q", "quit (asks when answers are not saved)" },
	{ "Ctrl-C", "quit the same way; during the apply: after it" },
};

static void
do_help(struct wz *wz)
{
	struct page *p = cur_page(wz);
	const char *id = p->def->ops->help ? p->def->ops->help(wz, p) : NULL;
	struct buf b = {0};
	char *text;
	int fid = -1;

	for (int i = 0; id != NULL && i < F__COUNT; i++)
		if (strcmp(fields_table[i].help, id) == 0)
			fid = i;
	if (fid >= 0) {
		text = field_help(wz, fid);
		nw_popup_text(fields_table[fid].label, text);
		free(text);
		return;
	}
	buf_addf(&b, "%s\n\nKeys:\n", p->def->intro && *p->def->intro ?
	    p->def->intro : p->title);
	for (size_t i = 0; i < nitems(key_list); i++)
		buf_addf(&b, "  %-18s %s\n", key_list[i].keys,
		    key_list[i].what);
	text = buf_steal(&b);
	nw_popup_text("Help", text);
	free(text);
}

static void
steplist_key(struct wz *wz, struct nw_key k)
{
	size_t sel;

	if (nw_key_char(k, NW_ESC) || nw_key_is(k, KEY_F(2)) ||
	    nw_key_char(k, NW_TAB)) {
		wz->in_steps = 0;
		return;
	}
	if (nw_widget_key(wz->steps, k) != NW_ACTIVATE)
		return;
	sel = nw_steplist_selected(wz->steps);
	wz->in_steps = 0;
	if (!wz->pages[sel]->visited && !wz->hub) {
		nw_form_status(&cur_page(wz)->form, NW_R_WARN, "%s was not "
		    "visited yet: go there with Next (PgDn).",
		    wz->pages[sel]->def->name);
		return;
	}
	wz->return_to = -1;
	if (sel != wz->cur)
		wz_goto(wz, sel);
}

/* F3, with complete answers: Review, one key from anywhere. */
static void
goto_review(struct wz *wz)
{
	struct page *p = cur_page(wz);
	int r = wz_find(wz, "review");

	if (!wz->hub) {
		nw_form_status(&p->form, NW_R_WARN, "Review is reached with "
		    "Next (PgDn) until every step was answered once.");
		return;
	}
	if (p->def->section != NULL && section_commit(wz, p) > 0) {
		wz_revalidate(wz);
		nw_form_status(&p->form, NW_R_ERROR, "Fix the value marked "
		    "on this page first.");
		return;
	}
	wz->return_to = -1;
	if (r >= 0 && (size_t)r != wz->cur)
		wz_goto(wz, (size_t)r);
}

/* Keys that work everywhere, before the page sees them. */
static int
global_key(struct wz *wz, struct nw_key k)
{
	struct page *p = cur_page(wz);

	if (nw_key_is(k, KEY_F(10)) || nw_key_char(k, NW_CTRL('q')))
		wz_quit(wz);
	else if (nw_key_char(k, NW_CTRL('l')))
		clearok(curscr, TRUE);
	else if (!nw_size_ok() || nw_key_is(k, KEY_RESIZE))
		;
	else if (nw_key_is(k, KEY_F(1)))
		do_help(wz);
	else if (nw_key_is(k, KEY_F(2)) && !page_busy(wz, p)) {
		wz->in_steps = 1;
		nw_steplist_select(wz->steps, wz->cur);
	} else if (nw_key_is(k, KEY_F(3)) && !page_busy(wz, p))
		goto_review(wz);
	else
		return 0;
	return 1;
}

/* While a long action runs the page can still be read (Tab, arrows),
 * but not left; Esc cancels what may be cancelled. */
static int
busy_key(struct wz *wz, struct page *p, struct nw_key k)
{
	int busy = page_busy(wz, p);

	if (nw_key_char(k, NW_ESC) && busy == 1 && p->def->ops->cancel) {
		p->def->ops->cancel(wz, p);
		return 1;
	}
	if (!nw_key_is(k, KEY_NPAGE) && !nw_key_is(k, KEY_PPAGE) &&
	    !nw_key_char(k, NW_ESC) && !nw_key_is(k, KEY_ENTER) &&
	    !nw_key_char(k, ' '))
		return 0;
	nw_form_status(&p->form, NW_R_WARN, busy == 1 ? "Still working: "
	    "Esc cancels." : "Still working: this cannot be interrupted "
	    "safely; it finishes, or undoes itself.");
	return 1;
}

static void
page_key(struct wz *wz, struct nw_key k)
{
	struct page *p = cur_page(wz);
	struct nw_widget *pressed;

	if (page_busy(wz, p) && busy_key(wz, p, k))
		return;
	switch (nw_form_key(&p->form, k, &pressed)) {
	case NW_ACTIVATE:
		if (pressed == p->next)
			do_next(wz);
		else if (pressed == p->back)
			do_back(wz);
		else if (p->def->ops->pressed != NULL)
			p->def->ops->pressed(wz, p, pressed);
		return;
	case NW_HANDLED:
	case NW_NEXT:
		return;
	case NW_IGNORED:
		break;
	}
	if (p->def->ops->key != NULL && p->def->ops->key(wz, p, k))
		return;
	/* Esc first cancels the edit of the focused field, as in dialog
	 * and nmtui; a second Esc goes back. */
	if (nw_key_char(k, NW_ESC) && p->def->section != NULL &&
	    section_revert(wz, p)) {
		wz_revalidate(wz);
		return;
	}
	if (nw_key_is(k, KEY_NPAGE))
		do_next(wz);
	else if (nw_key_is(k, KEY_PPAGE) || nw_key_char(k, NW_ESC))
		do_back(wz);
}

/* The line left on the terminal when a signal ends the wizard: where it
 * was, what was not saved, what was applied and whether the target is
 * half-changed. */
static void
say_interrupted(struct wz *wz, int sig)
{
	char run[256];
	int unfinished = journal_unfinished(wz->c->s.host, run, sizeof run);

	fprintf(stderr, "ndeswiz: interrupted (signal %d) %s %s; %s", sig,
	    wz->signal_in_apply ? "during the apply, on" : "on",
	    cur_page(wz)->def->name, wz_unsaved(wz) ? "answers changed on "
	    "the screens were not saved; " : "");
	if (wz->applied > 0)
		fprintf(stderr, "the apply of this session ran to its end: "
		    "%ld change%s applied ('ndeswiz rollback' undoes them); ",
		    wz->applied, wz->applied == 1 ? "" : "s");
	else if (wz->applied == 0)
		fprintf(stderr, "the apply of this session found nothing to "
		    "change; ");
	if (unfinished > 0)
		fprintf(stderr, "the apply of run %s did not finish: 'ndeswiz "
		    "rollback' undoes it.\n", run);
	else if (unfinished < 0)
		fprintf(stderr, "the journal cannot be read (%s).\n", run);
	else
		fprintf(stderr, "nothing is half-applied.\n");
}

static void
die_interrupted(struct wz *wz, int sig)
{
	secret_forget();
	nw_end();
	say_interrupted(wz, sig);
	nw_die_by_signal(sig);
}

/* Called from the main loop (nw_getkey), never from the handler. An
 * apply in flight finishes first: its journal then records a clean end
 * instead of a run that needs a rollback. Ctrl-C with unsaved answers
 * is a question the loop asks (signal_pending); the rest ends now. */
static void
on_signal(int sig, void *arg)
{
	struct wz *wz = arg;
	struct page *p = cur_page(wz);

	if (page_busy(wz, p) == 2) {
		if (!wz->signal_pending)
			nw_form_status(&p->form, NW_R_WARN, "Interrupted: the "
			    "apply finishes first (stopping half-way would "
			    "leave the target half-changed), then the wizard "
			    "ends and says what was applied.");
		wz->signal_pending = sig;
		wz->signal_in_apply = 1;
		return;
	}
	/* A value typed and not yet left counts as an edit, as for F10. */
	if (sig == SIGINT && p->def->section != NULL)
		section_commit(wz, p);
	if (sig == SIGINT && wz_unsaved(wz)) {
		wz->signal_pending = sig;
		return;
	}
	die_interrupted(wz, sig);
}

/* The loop's side of on_signal, once no apply runs. */
static void
signal_pending(struct wz *wz)
{
	static const char *const buttons[] = { "Yes", "No", NULL };
	struct page *p = cur_page(wz);
	int sig = wz->signal_pending;

	wz->signal_pending = 0;
	if (wz->signal_in_apply || sig != SIGINT || !wz_unsaved(wz))
		die_interrupted(wz, sig);
	if (nw_msgbox("Ctrl-C", "Some answers were changed and are neither "
	    "applied nor exported. Quit and lose them?", buttons, 1) != 0) {
		nw_form_status(&p->form, NW_R_HINT, "Not quit: the changed "
		    "answers are still here.");
		return;
	}
	if (page_busy(wz, p) == 1 && p->def->ops->cancel != NULL)
		p->def->ops->cancel(wz, p);
	die_interrupted(wz, sig);
}

static void
handle_key(struct wz *wz, struct nw_key k)
{
	if (global_key(wz, k) || !nw_size_ok())
		return;
	if (wz->in_steps)
		steplist_key(wz, k);
	else
		page_key(wz, k);
}

static void
run(struct wz *wz)
{
	struct nw_key k;
	struct page *p;
	int busy;

	while (!wz->quit) {
		p = cur_page(wz);
		busy = page_busy(wz, p);
		if (busy && p->def->ops->tick != NULL)
			p->def->ops->tick(wz, p);
		if (wz->signal_pending && page_busy(wz, p) != 2)
			signal_pending(wz);
		wz_draw(wz);
		wz->tick++;
		if (!nw_getkey(&k, busy ? 100 : 1000))
			continue;
		/* Take every key already typed before the next tick: a long
		 * action must not slow the keyboard down. */
		do
			handle_key(wz, k);
		while (!wz->quit && nw_getkey(&k, 0));
	}
}

/* ---- start and end -------------------------------------------------- */

/* Complete answers (a rerun, or -a) that validate: every step is one
 * key away, as in a hub. */
static int
is_rerun(struct wz *wz)
{
	struct findings f = {0};
	int complete = wz->c->answers_path != NULL;

	for (int i = 0; i < F__COUNT; i++)
		complete |= wz->a->src[i] == SRC_LAST;
	if (complete) {
		session_validate_to(&wz->c->s, &f);
		complete = findings_worst(&f) != SEV_ERROR;
		findings_free(&f);
	}
	return complete;
}

static void
wz_free(struct wz *wz)
{
	free_pages(wz);
	findings_free(&wz->valid);
	answers_free(&wz->saved);
}

int
wizard_main(struct cmd_ctx *c)
{
	struct nw_options o = { .color = c->color, .ascii = c->ascii };
	struct wz wz = { .c = c, .return_to = -1, .applied = -1 };
	char err[512];
	int rc;

	/* Refuse an unusable terminal before anything is opened or made. */
	if (nw_check_terminal(err, sizeof err) != 0) {
		fprintf(stderr, "ndeswiz: %s\n", err);
		return EXIT_USAGE;
	}
	if (nw_init(&o, err, sizeof err) != 0) {
		fprintf(stderr, "ndeswiz: %s\n", err);
		return EXIT_USAGE;
	}
	draw_reading(c);
	if ((rc = cmd_prepare_quiet(c, CMD_NEEDS_HOST, err, sizeof err)) !=
	    EXIT_OK) {
		nw_end();
		cli_error("%s", err);
		cmd_finish(c);
		return rc;
	}
	wz.a = &c->s.answers;
	answers_copy(&wz.saved, wz.a);
	wz.have_facts = host_facts(c->s.host, &wz.facts) == 0;
	build_pages(&wz);
	nw_set_redraw(redraw_hook, &wz);
	nw_set_signal_hook(on_signal, &wz);
	wz_prompt_install(&wz);
	wz.pages[0]->visited = 1;
	wz.hub = is_rerun(&wz);
	page_welcome.ops->enter(&wz, wz.pages[0]);
	wz_revalidate(&wz);
	run(&wz);
	nw_end();
	secret_set_prompt(NULL, NULL);
	secret_forget();
	nw_set_signal_hook(NULL, NULL);
	wz_free(&wz);
	cmd_finish(c);
	return EXIT_OK;
}
