/*
 * The step list at the side: each step's name and state in words (ok,
 * warn, err), the current one marked. With the focus (F2) Up and Down
 * select, Enter asks to go there.
 */
#include "nw.h"

#include <stdlib.h>

struct step_item {
	char *name;
	enum nw_step_state state;
	int visited;
};

struct steplist {
	struct nw_widget base;
	struct step_item *v;
	size_t n, current, selected;
};

static const struct {
	const char *word;
	enum nw_role role;
} state_look[] = {
	[NW_STEP_NEW] = { "", NW_R_DIM },
	[NW_STEP_OK] = { "ok", NW_R_OK },
	[NW_STEP_WARN] = { "warn", NW_R_WARN },
	[NW_STEP_ERROR] = { "err", NW_R_ERROR },
	[NW_STEP_BUSY] = { "...", NW_R_HINT },
	[NW_STEP_NOTRUN] = { "not run", NW_R_DIM },
};

static struct steplist *
to_steplist(struct nw_widget *w)
{
	return (struct steplist *)w;
}

void
nw_steplist_add(struct nw_widget *w, const char *name)
{
	struct steplist *s = to_steplist(w);

	s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
	s->v[s->n++] = (struct step_item){ .name = xstrdup(name) };
}

void
nw_steplist_set(struct nw_widget *w, size_t i, enum nw_step_state st,
    int visited)
{
	if (i < to_steplist(w)->n) {
		to_steplist(w)->v[i].state = st;
		to_steplist(w)->v[i].visited = visited;
	}
}

void
nw_steplist_current(struct nw_widget *w, size_t i)
{
	to_steplist(w)->current = i;
}

size_t
nw_steplist_selected(struct nw_widget *w)
{
	return to_steplist(w)->selected;
}

void
nw_steplist_select(struct nw_widget *w, size_t i)
{
	if (i < to_steplist(w)->n)
		to_steplist(w)->selected = i;
}

static int
steplist_height(struct nw_widget *w, int width, int avail)
{
	(void)width, (void)avail;
	return (int)to_steplist(w)->n;
}

static void
steplist_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	struct steplist *s = to_steplist(w);

	for (size_t i = 0; i < s->n; i++) {
		struct step_item *it = &s->v[i];
		int cur = i == s->current;
		int sel = w->focused && i == s->selected;
		enum nw_role r = sel ? NW_R_SELECT : cur ? NW_R_STRONG :
		    it->visited ? NW_R_NORMAL : NW_R_DIM;
		const char *word = state_look[it->state].word;
		int ww = nw_u8_width(word);

		wattrset(win, nw_attr(r));
		mvwhline(win, y + (int)i, x, ' ', width);
		nw_put(win, y + (int)i, x, 2, cur ? nw_glyph(NW_G_CURRENT) :
		    " ", nw_attr(r));
		nw_put_clip(win, y + (int)i, x + 2, width - 3 - ww, it->name,
		    nw_attr(r));
		nw_put(win, y + (int)i, x + width - ww, ww, word,
		    nw_attr(sel ? NW_R_SELECT : state_look[it->state].role));
	}
}

static enum nw_result
steplist_key(struct nw_widget *w, struct nw_key k)
{
	struct steplist *s = to_steplist(w);

	if (nw_key_is(k, KEY_UP) && s->selected > 0)
		s->selected--;
	else if (nw_key_is(k, KEY_DOWN) && s->selected + 1 < s->n)
		s->selected++;
	else if (nw_key_is(k, KEY_HOME))
		s->selected = 0;
	else if (nw_key_is(k, KEY_END))
		s->selected = s->n ? s->n - 1 : 0;
	else if (nw_key_is(k, KEY_ENTER))
		return NW_ACTIVATE;
	else
		return NW_IGNORED;
	return NW_HANDLED;
}

static void
steplist_free(struct nw_widget *w)
{
	struct steplist *s = to_steplist(w);

	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	free(s);
}

static const struct nw_class steplist_class = {
	.name = "steplist",
	.height = steplist_height,
	.draw = steplist_draw,
	.key = steplist_key,
	.free = steplist_free,
};

struct nw_widget *
nw_steplist_new(void)
{
	struct steplist *s = xcalloc(1, sizeof *s);

	s->base.cls = &steplist_class;
	s->base.focusable = 1;
	return &s->base;
}
