/*
 * A number entry: digits only, + and - step by one within the bounds.
 * The bounds come from the caller (the field table); the widget only
 * keeps typing inside digits, the backend decides what is valid.
 */
#include "nw.h"

#include <stdlib.h>

struct number {
	struct nw_widget base;
	struct nw_widget *entry;
	long long min, max;
};

static struct number *
to_number(struct nw_widget *w)
{
	return (struct number *)w;
}

static int
number_height(struct nw_widget *w, int width, int avail)
{
	(void)w, (void)width, (void)avail;
	return 1;
}

static void
number_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	struct number *n = to_number(w);

	n->entry->focused = w->focused;
	nw_widget_draw(n->entry, win, y, x, width);
	w->cur_y = n->entry->cur_y;
	w->cur_x = n->entry->cur_x;
}

static void
step(struct number *n, int by)
{
	long long v;
	char buf[32];

	if (str_to_long(nw_entry_text(n->entry), n->min, n->max, &v) != 0)
		v = n->min;
	else if ((by > 0 && v < n->max) || (by < 0 && v > n->min))
		v += by;
	snprintf(buf, sizeof buf, "%lld", v);
	nw_entry_set_text(n->entry, buf);
	nw_widget_focus(n->entry, 1);
}

static enum nw_result
number_key(struct nw_widget *w, struct nw_key k)
{
	struct number *n = to_number(w);

	if (nw_key_char(k, '+')) {
		step(n, 1);
		return NW_HANDLED;
	}
	if (nw_key_char(k, '-')) {
		step(n, -1);
		return NW_HANDLED;
	}
	return nw_widget_key(n->entry, k);
}

static void
number_focus(struct nw_widget *w, int on)
{
	nw_widget_focus(to_number(w)->entry, on);
}

static void
number_free(struct nw_widget *w)
{
	nw_widget_free(to_number(w)->entry);
	free(w);
}

static char *
number_get(struct nw_widget *w)
{
	return nw_value(to_number(w)->entry);
}

static void
number_set(struct nw_widget *w, const char *v)
{
	nw_entry_set_text(to_number(w)->entry, v);
}

static const struct nw_class number_class = {
	.name = "number",
	.height = number_height,
	.draw = number_draw,
	.key = number_key,
	.free = number_free,
	.get = number_get,
	.set = number_set,
	.focus = number_focus,
};

struct nw_widget *
nw_number_new(const char *text, long long min, long long max)
{
	struct number *n = xcalloc(1, sizeof *n);

	n->base.cls = &number_class;
	n->base.focusable = 1;
	n->entry = nw_entry_new(text, NW_ENTRY_DIGITS);
	n->min = min;
	n->max = max;
	return &n->base;
}
