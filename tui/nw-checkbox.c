/*
 * A yes/no checkbox: Space toggles, y and n set it. It reads "[x] yes" or
 * "[ ] no", so the state is plain without colour.
 */
#include "nw.h"

#include <stdlib.h>
#include <string.h>

struct checkbox {
	struct nw_widget base;
	int on;
};

static struct checkbox *
to_checkbox(struct nw_widget *w)
{
	return (struct checkbox *)w;
}

int
nw_checkbox_on(struct nw_widget *w)
{
	return to_checkbox(w)->on;
}

static int
checkbox_height(struct nw_widget *w, int width, int avail)
{
	(void)w, (void)width, (void)avail;
	return 1;
}

static void
checkbox_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	attr_t a = nw_attr(w->focused ? NW_R_INPUT_FOCUS : NW_R_NORMAL);

	nw_put(win, y, x, width, to_checkbox(w)->on ? "[x] yes" : "[ ] no", a);
	if (w->focused) {
		w->cur_y = y;
		w->cur_x = x + 1;
	}
}

static enum nw_result
checkbox_key(struct nw_widget *w, struct nw_key k)
{
	static const struct {
		wint_t ch;
		int value; /* -1: toggle */
	} keys[] = {
		{ ' ', -1 }, { 'y', 1 }, { 'Y', 1 }, { 'n', 0 }, { 'N', 0 },
		{ 'x', -1 }, { '1', 1 }, { '0', 0 },
	};

	if (nw_key_is(k, KEY_ENTER))
		return NW_NEXT;
	if (k.fn != 0)
		return NW_IGNORED;
	for (size_t i = 0; i < nitems(keys); i++) {
		if (keys[i].ch != k.ch)
			continue;
		to_checkbox(w)->on = keys[i].value < 0 ?
		    !to_checkbox(w)->on : keys[i].value;
		return NW_HANDLED;
	}
	/* The rest of a typed word ("yes", "no") and Ctrl-U: no-ops. */
	return nw_key_printable(k) || nw_key_char(k, NW_CTRL('u')) ?
	    NW_HANDLED : NW_IGNORED;
}

static void
checkbox_free(struct nw_widget *w)
{
	free(w);
}

static char *
checkbox_get(struct nw_widget *w)
{
	return xstrdup(to_checkbox(w)->on ? "yes" : "no");
}

static void
checkbox_set(struct nw_widget *w, const char *v)
{
	to_checkbox(w)->on = strcmp(v, "yes") == 0;
}

static const struct nw_class checkbox_class = {
	.name = "checkbox",
	.height = checkbox_height,
	.draw = checkbox_draw,
	.key = checkbox_key,
	.free = checkbox_free,
	.get = checkbox_get,
	.set = checkbox_set,
};

struct nw_widget *
nw_checkbox_new(int on)
{
	struct checkbox *c = xcalloc(1, sizeof *c);

	c->base.cls = &checkbox_class;
	c->base.focusable = 1;
	c->on = on != 0;
	return &c->base;
}
