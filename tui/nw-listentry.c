/*
 * A list entry: comma-separated items typed on one line. While it is not
 * focused it shows the items with a count, so a long list is still
 * readable at a glance.
 */
#include "nw.h"

#include <stdlib.h>
#include <string.h>

struct listentry {
	struct nw_widget base;
	struct nw_widget *entry;
};

static struct listentry *
to_listentry(struct nw_widget *w)
{
	return (struct listentry *)w;
}

size_t
nw_listentry_count(struct nw_widget *w)
{
	size_t n;
	char **items = str_split_list(nw_entry_text(to_listentry(w)->entry),
	    &n);

	str_list_free(items, n);
	return n;
}

static int
listentry_height(struct nw_widget *w, int width, int avail)
{
	(void)w, (void)width, (void)avail;
	return 1;
}

static void
listentry_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	struct listentry *l = to_listentry(w);
	size_t n = nw_listentry_count(w);
	char count[32];
	int cw = 0;

	/* "(3)" after the items, when there are several. */
	if (n > 1 && width > 12) {
		snprintf(count, sizeof count, " (%zu)", n);
		cw = (int)strlen(count);
		nw_put(win, y, x + width - cw, cw, count, nw_attr(NW_R_DIM));
	}
	l->entry->focused = w->focused;
	nw_widget_draw(l->entry, win, y, x, width - cw);
	w->cur_y = l->entry->cur_y;
	w->cur_x = l->entry->cur_x;
}

static enum nw_result
listentry_key(struct nw_widget *w, struct nw_key k)
{
	return nw_widget_key(to_listentry(w)->entry, k);
}

static void
listentry_focus(struct nw_widget *w, int on)
{
	nw_widget_focus(to_listentry(w)->entry, on);
}

static void
listentry_free(struct nw_widget *w)
{
	nw_widget_free(to_listentry(w)->entry);
	free(w);
}

static char *
listentry_get(struct nw_widget *w)
{
	return nw_value(to_listentry(w)->entry);
}

static void
listentry_set(struct nw_widget *w, const char *v)
{
	nw_entry_set_text(to_listentry(w)->entry, v);
}

static const struct nw_class listentry_class = {
	.name = "listentry",
	.height = listentry_height,
	.draw = listentry_draw,
	.key = listentry_key,
	.free = listentry_free,
	.get = listentry_get,
	.set = listentry_set,
	.focus = listentry_focus,
};

struct nw_widget *
nw_listentry_new(const char *text)
{
	struct listentry *l = xcalloc(1, sizeof *l);

	l->base.cls = &listentry_class;
	l->base.focusable = 1;
	l->entry = nw_entry_new(text, 0);
	return &l->base;
}
