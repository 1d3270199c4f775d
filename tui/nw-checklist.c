/*
 * Any of a list, as one row of checkboxes: "[x] scep  [ ] pkcs". Left and
 * Right move between the items, Space toggles, typing moves to the item
 * that starts with what was typed, Ctrl-U clears every box. Rows wrap
 * when the items do not fit the width.
 */
#include "nw.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct checklist {
	struct nw_widget base;
	const char *const *choices;
	size_t n, cur;
	int *on;
	char typed[64];
};

static struct checklist *
to_checklist(struct nw_widget *w)
{
	return (struct checklist *)w;
}

void
nw_checklist_set(struct nw_widget *w, const char *value)
{
	struct checklist *c = to_checklist(w);
	size_t n;
	char **items = str_split_list(value, &n);

	for (size_t i = 0; i < c->n; i++) {
		c->on[i] = 0;
		for (size_t j = 0; j < n; j++)
			c->on[i] |= strcasecmp(items[j], c->choices[i]) == 0;
	}
	str_list_free(items, n);
}

char *
nw_checklist_value(struct nw_widget *w)
{
	struct checklist *c = to_checklist(w);
	struct buf b = {0};

	for (size_t i = 0; i < c->n; i++) {
		if (!c->on[i])
			continue;
		if (b.len)
			buf_adds(&b, ", ");
		buf_adds(&b, c->choices[i]);
	}
	return buf_steal(&b);
}

/* Columns of item i: "[x] name" and two spaces. */
static int
item_width(struct checklist *c, size_t i)
{
	return 4 + nw_u8_width(c->choices[i]) + 2;
}

/* Lay the items out in rows; calls place for each when given. */
static int
layout(struct checklist *c, int width,
    void (*place)(struct checklist *, size_t, int, int, void *), void *arg)
{
	int row = 0, col = 0;

	for (size_t i = 0; i < c->n; i++) {
		if (col > 0 && col + item_width(c, i) - 2 > width) {
			row++;
			col = 0;
		}
		if (place != NULL)
			place(c, i, row, col, arg);
		col += item_width(c, i);
	}
	return row + 1;
}

static int
checklist_height(struct nw_widget *w, int width, int avail)
{
	(void)avail;
	return layout(to_checklist(w), width, NULL, NULL);
}

struct draw_at {
	WINDOW *win;
	int y, x, w;
};

static void
place_item(struct checklist *c, size_t i, int row, int col, void *arg)
{
	struct draw_at *d = arg;
	int focused = c->base.focused && i == c->cur;
	attr_t a = nw_attr(focused ? NW_R_INPUT_FOCUS : NW_R_NORMAL);
	char *s = xasprintf("[%c] %s", c->on[i] ? 'x' : ' ', c->choices[i]);

	nw_put(d->win, d->y + row, d->x + col, d->w - col, s, a);
	if (focused) {
		c->base.cur_y = d->y + row;
		c->base.cur_x = d->x + col + 1;
		c->base.focus_row = row;
	}
	free(s);
}

static void
checklist_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	struct draw_at d = { win, y, x, width };

	layout(to_checklist(w), width, place_item, &d);
}

static void
type_ahead(struct checklist *c, wint_t ch)
{
	size_t len = strlen(c->typed);

	if (ch > 0x7e || len + 1 >= sizeof c->typed)
		return;
	c->typed[len] = (char)ch;
	c->typed[len + 1] = '\0';
	for (int again = 0; again < 2; again++) {
		len = strlen(c->typed);
		for (size_t i = 0; i < c->n; i++) {
			if (strncasecmp(c->choices[i], c->typed, len) == 0) {
				c->cur = i;
				return;
			}
		}
		c->typed[0] = (char)ch;
		c->typed[1] = '\0';
	}
}

static enum nw_result
checklist_key(struct nw_widget *w, struct nw_key k)
{
	struct checklist *c = to_checklist(w);

	if (nw_key_is(k, KEY_ENTER))
		return NW_NEXT;
	if (nw_key_is(k, KEY_LEFT) && c->cur > 0)
		c->cur--;
	else if (nw_key_is(k, KEY_RIGHT) && c->cur + 1 < c->n)
		c->cur++;
	else if (nw_key_is(k, KEY_LEFT) || nw_key_is(k, KEY_RIGHT))
		;
	else if (nw_key_char(k, ' '))
		c->on[c->cur] = !c->on[c->cur];
	else if (nw_key_char(k, NW_CTRL('u'))) {
		memset(c->on, 0, c->n * sizeof *c->on);
		c->cur = 0;
	} else if (nw_key_printable(k)) {
		type_ahead(c, k.ch);
		return NW_HANDLED;
	} else
		return NW_IGNORED;
	c->typed[0] = '\0';
	return NW_HANDLED;
}

static void
checklist_focus(struct nw_widget *w, int on)
{
	(void)on;
	to_checklist(w)->typed[0] = '\0';
}

static void
checklist_free(struct nw_widget *w)
{
	free(to_checklist(w)->on);
	free(w);
}

static const struct nw_class checklist_class = {
	.name = "checklist",
	.height = checklist_height,
	.draw = checklist_draw,
	.key = checklist_key,
	.free = checklist_free,
	.get = nw_checklist_value,
	.set = nw_checklist_set,
	.focus = checklist_focus,
};

struct nw_widget *
nw_checklist_new(const char *const *choices, const char *value)
{
	struct checklist *c = xcalloc(1, sizeof *c);

	c->base.cls = &checklist_class;
	c->base.focusable = 1;
	c->choices = choices;
	while (choices[c->n] != NULL)
		c->n++;
	c->on = xcalloc(c->n ? c->n : 1, sizeof *c->on);
	nw_checklist_set(&c->base, value ? value : "");
	return &c->base;
}
