/*
 * One of a list: "< value >". Left and Right step through the choices,
 * typing picks the first choice that starts with what was typed, Space
 * opens the whole list in a box.
 */
#include "nw.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct choice {
	struct nw_widget base;
	const char *const *choices;
	size_t n, cur;
	char typed[64];	/* type-ahead so far */
	char *title;
};

static struct choice *
to_choice(struct nw_widget *w)
{
	return (struct choice *)w;
}

const char *
nw_choice_value(struct nw_widget *w)
{
	struct choice *c = to_choice(w);

	return c->n ? c->choices[c->cur] : "";
}

void
nw_choice_set(struct nw_widget *w, const char *v)
{
	struct choice *c = to_choice(w);

	for (size_t i = 0; i < c->n; i++)
		if (strcasecmp(c->choices[i], v) == 0)
			c->cur = i;
}

static int
choice_height(struct nw_widget *w, int width, int avail)
{
	(void)w, (void)width, (void)avail;
	return 1;
}

static void
choice_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	struct choice *c = to_choice(w);
	attr_t a = nw_attr(w->focused ? NW_R_INPUT_FOCUS : NW_R_NORMAL);
	int used;

	used = nw_put(win, y, x, width, nw_glyph(NW_G_LEFT), a);
	used += nw_put(win, y, x + used, width - used, " ", a);
	used += nw_put_clip(win, y, x + used, width - used - 2,
	    nw_choice_value(w), a);
	used += nw_put(win, y, x + used, width - used, " ", a);
	nw_put(win, y, x + used, width - used, nw_glyph(NW_G_RIGHT), a);
	if (w->focused) {
		w->cur_y = y;
		w->cur_x = x + 2;
	}
	(void)c;
}

/* First choice starting with the typed text, case-insensitively. */
static int
find_prefix(struct choice *c, const char *typed)
{
	size_t len = strlen(typed);

	for (size_t i = 0; i < c->n; i++)
		if (strncasecmp(c->choices[i], typed, len) == 0)
			return (int)i;
	return -1;
}

static void
type_ahead(struct choice *c, wint_t ch)
{
	size_t len = strlen(c->typed);
	int i;

	if (ch > 0x7e || len + 1 >= sizeof c->typed)
		return;
	c->typed[len] = (char)ch;
	c->typed[len + 1] = '\0';
	if ((i = find_prefix(c, c->typed)) < 0) {
		/* Start again from this letter. */
		c->typed[0] = (char)ch;
		c->typed[1] = '\0';
		i = find_prefix(c, c->typed);
	}
	if (i >= 0)
		c->cur = (size_t)i;
}

static enum nw_result
choice_key(struct nw_widget *w, struct nw_key k)
{
	struct choice *c = to_choice(w);
	int picked;

	if (nw_key_is(k, KEY_ENTER))
		return NW_NEXT;
	if (nw_key_is(k, KEY_LEFT)) {
		c->cur = (c->cur + c->n - 1) % c->n;
		c->typed[0] = '\0';
	} else if (nw_key_is(k, KEY_RIGHT)) {
		c->cur = (c->cur + 1) % c->n;
		c->typed[0] = '\0';
	} else if (nw_key_char(k, ' ') || nw_key_is(k, KEY_F(4))) {
		picked = nw_popup_choice(c->title, c->choices, (int)c->cur);
		if (picked >= 0)
			c->cur = (size_t)picked;
		c->typed[0] = '\0';
	} else if (nw_key_char(k, NW_CTRL('u')))
		c->typed[0] = '\0';
	else if (nw_key_printable(k))
		type_ahead(c, k.ch);
	else
		return NW_IGNORED;
	return NW_HANDLED;
}

static void
choice_focus(struct nw_widget *w, int on)
{
	(void)on;
	to_choice(w)->typed[0] = '\0';
}

static void
choice_free(struct nw_widget *w)
{
	free(to_choice(w)->title);
	free(w);
}

static char *
choice_get(struct nw_widget *w)
{
	return xstrdup(nw_choice_value(w));
}

static const struct nw_class choice_class = {
	.name = "choice",
	.height = choice_height,
	.draw = choice_draw,
	.key = choice_key,
	.free = choice_free,
	.get = choice_get,
	.set = nw_choice_set,
	.focus = choice_focus,
};

struct nw_widget *
nw_choice_new(const char *const *choices, const char *value,
    const char *title)
{
	struct choice *c = xcalloc(1, sizeof *c);

	c->base.cls = &choice_class;
	c->base.focusable = 1;
	c->choices = choices;
	while (choices[c->n] != NULL)
		c->n++;
	c->title = xstrdup(title ? title : "");
	nw_choice_set(&c->base, value ? value : "");
	return &c->base;
}

/* ---- the list box --------------------------------------------------- */

static void
popup_draw(const char *title, const char *const *items, int n, int sel,
    int *top)
{
	int w = nw_u8_width(title) + 6, h, y, x;
	WINDOW *win;

	for (int i = 0; i < n; i++)
		if (nw_u8_width(items[i]) + 6 > w)
			w = nw_u8_width(items[i]) + 6;
	w = w > COLS - 4 ? COLS - 4 : w;
	h = n + 2 > LINES - 4 ? LINES - 4 : n + 2;
	if (sel < *top)
		*top = sel;
	if (sel >= *top + h - 2)
		*top = sel - (h - 3);
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	win = newwin(h, w, y, x);
	if (win == NULL)
		return;
	nw_fill(win, 0, 0, h, w, NW_R_NORMAL);
	nw_box(win, 0, 0, h, w, title, NW_R_BORDER);
	for (int i = 0; i < h - 2 && *top + i < n; i++) {
		int k = *top + i;
		attr_t a = nw_attr(k == sel ? NW_R_SELECT : NW_R_NORMAL);

		wattrset(win, a);
		mvwhline(win, 1 + i, 1, ' ', w - 2);
		nw_put_clip(win, 1 + i, 2, w - 4, items[k], a);
	}
	wnoutrefresh(win);
	delwin(win);
	doupdate();
}

int
nw_popup_choice(const char *title, const char *const *items, int current)
{
	struct nw_key k;
	int n = 0, sel = current, top = 0;

	while (items[n] != NULL)
		n++;
	if (n == 0)
		return -1;
	curs_set(0);
	for (;;) {
		if (nw_size_ok())
			popup_draw(title, items, n, sel, &top);
		if (!nw_getkey(&k, 250))
			continue;
		if (nw_key_is(k, KEY_RESIZE))
			nw_redraw();
		else if (!nw_size_ok() && !nw_key_char(k, NW_ESC))
			continue;
		else if (nw_key_is(k, KEY_UP) && sel > 0)
			sel--;
		else if (nw_key_is(k, KEY_DOWN) && sel < n - 1)
			sel++;
		else if (nw_key_is(k, KEY_HOME))
			sel = 0;
		else if (nw_key_is(k, KEY_END))
			sel = n - 1;
		else if (nw_key_is(k, KEY_ENTER) || nw_key_char(k, ' '))
			return sel;
		else if (nw_key_char(k, NW_ESC))
			return -1;
	}
}
