/*
 * Lines of text, each with a role and an indent, wrapped to the width.
 * Plain text takes as many rows as it needs; scrolled text takes a fixed
 * viewport, takes the focus, and scrolls with Up, Down, Home, End, Space
 * and b, with a "lines 1-17 of 52" line when it does not fit.
 */
#include "nw.h"

#include <stdlib.h>
#include <string.h>

struct line {
	enum nw_role role;
	int indent, hang;	/* first row; the rows it wraps to */
	char *text;
};

struct row {
	enum nw_role role;
	int indent;
	char *text;
};

struct text {
	struct nw_widget base;
	struct line *v;
	size_t n;
	int scroll;
	int top;		/* scrolled: first row shown */
	int stick_end;		/* keep the last row in view */
	int page;		/* rows shown, from the last draw */
	int alloc;		/* rows given, from the last layout */
	int row;		/* plain text with the focus: the row read */
	struct row *wrapped;	/* cache for wrapped_width */
	size_t nwrapped;
	int wrapped_width;
	int width;		/* from the last draw */
};

static struct text *
to_text(struct nw_widget *w)
{
	return (struct text *)w;
}

static void
drop_wrapped(struct text *t)
{
	for (size_t i = 0; i < t->nwrapped; i++)
		free(t->wrapped[i].text);
	free(t->wrapped);
	t->wrapped = NULL;
	t->nwrapped = 0;
	t->wrapped_width = -1;
}

static void
rewrap(struct text *t, int width)
{
	if (t->wrapped_width == width)
		return;
	drop_wrapped(t);
	for (size_t i = 0; i < t->n; i++) {
		struct line *l = &t->v[i];
		int in = l->hang > l->indent ? l->hang : l->indent;
		size_t n;
		char **lines = nw_wrap(l->text, width - in, &n);

		t->wrapped = xreallocarray(t->wrapped, t->nwrapped + n,
		    sizeof *t->wrapped);
		for (size_t j = 0; j < n; j++)
			t->wrapped[t->nwrapped++] = (struct row){ l->role,
			    j == 0 ? l->indent : in, lines[j] };
		free(lines);
	}
	t->wrapped_width = width;
}

void
nw_text_clear(struct nw_widget *w)
{
	struct text *t = to_text(w);

	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].text);
	free(t->v);
	t->v = NULL;
	t->n = 0;
	t->top = 0;
	/* The row read stays: live text is rebuilt while it is read. */
	drop_wrapped(t);
}

void
nw_text_add_hang(struct nw_widget *w, enum nw_role r, int indent, int hang,
    const char *s)
{
	struct text *t = to_text(w);

	t->v = xreallocarray(t->v, t->n + 1, sizeof *t->v);
	t->v[t->n++] = (struct line){ r, indent, hang, xstrdup(s) };
	drop_wrapped(t);
}

void
nw_text_add(struct nw_widget *w, enum nw_role r, int indent, const char *s)
{
	nw_text_add_hang(w, r, indent, indent, s);
}

void
nw_text_addf(struct nw_widget *w, enum nw_role r, int indent,
    const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	nw_text_add(w, r, indent, s);
	free(s);
}

void
nw_text_scroll_end(struct nw_widget *w)
{
	to_text(w)->stick_end = 1;
}

void
nw_text_focusable(struct nw_widget *w, int on)
{
	w->focusable = on;
}

static int
text_height(struct nw_widget *w, int width, int avail)
{
	struct text *t = to_text(w);

	rewrap(t, width);
	if (!t->scroll)
		t->alloc = (int)t->nwrapped;
	else
		t->alloc = avail > 3 ? avail : 3;
	return t->alloc;
}

static void
clamp(struct text *t, int shown)
{
	int max = (int)t->nwrapped - shown;

	if (t->stick_end)
		t->top = max;
	if (t->top > max)
		t->top = max;
	if (t->top < 0)
		t->top = 0;
}

static void
text_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	struct text *t = to_text(w);
	int h, shown, more;

	rewrap(t, width);
	t->width = width;
	h = t->scroll ? t->alloc : (int)t->nwrapped;
	shown = h;

	if (!t->scroll) {
		t->top = 0;
		if (t->row >= (int)t->nwrapped)
			t->row = t->nwrapped ? (int)t->nwrapped - 1 : 0;
		w->focus_row = t->row;
		if (w->focused) {
			w->cur_y = y + t->row;
			w->cur_x = x;
		}
	}
	more = t->scroll && (int)t->nwrapped > h;
	if (more)
		shown = h - 1;
	clamp(t, shown);
	t->page = shown;
	for (int i = 0; i < shown && t->top + i < (int)t->nwrapped; i++) {
		struct row *r = &t->wrapped[t->top + i];

		attr_t at = nw_attr(r->role);

		/* Plain text with the focus shows where it is: its row. */
		if (!t->scroll && w->focused && t->top + i == t->row)
			at |= A_REVERSE;
		nw_put(win, y + i, x + r->indent, width - r->indent, r->text,
		    at);
	}
	if (more)
		nw_putf(win, y + h - 1, x, width, nw_attr(w->focused ?
		    NW_R_BUTTON_FOCUS : NW_R_DIM), "lines %d-%d of %zu  "
		    "(Up/Down, Space, b)", t->top + 1, t->top + shown,
		    t->nwrapped);
	if (t->scroll)
		w->focus_row = 0;
}

/* Plain text that takes the focus: Up and Down walk its rows, and the
 * form scrolls along, so long results can be read. */
static enum nw_result
plain_key(struct text *t, struct nw_key k)
{
	/* Live text may have been rebuilt since it was drawn. */
	if (t->width > 0)
		rewrap(t, t->width);
	if (nw_key_is(k, KEY_UP) && t->row > 0)
		t->row--;
	else if (nw_key_is(k, KEY_DOWN) && t->row + 1 < (int)t->nwrapped)
		t->row++;
	else
		return NW_IGNORED;
	return NW_HANDLED;
}

static enum nw_result
text_key(struct nw_widget *w, struct nw_key k)
{
	struct text *t = to_text(w);
	int before = t->top, page = t->page > 1 ? t->page - 1 : 1;

	if (!t->scroll)
		return plain_key(t, k);
	t->stick_end = 0;
	if (nw_key_is(k, KEY_UP) || nw_key_is(k, KEY_SR))
		t->top--;
	else if (nw_key_is(k, KEY_DOWN) || nw_key_is(k, KEY_SF))
		t->top++;
	else if (nw_key_char(k, ' '))
		t->top += page;
	else if (nw_key_char(k, 'b'))
		t->top -= page;
	else if (nw_key_is(k, KEY_HOME))
		t->top = 0;
	else if (nw_key_is(k, KEY_END))
		t->top = (int)t->nwrapped;
	else
		return NW_IGNORED;
	clamp(t, t->page);
	/* At either end Up and Down go on to the next widget. */
	if (t->top == before && (nw_key_is(k, KEY_UP) ||
	    nw_key_is(k, KEY_DOWN)))
		return NW_IGNORED;
	return NW_HANDLED;
}

static void
text_free(struct nw_widget *w)
{
	nw_text_clear(w);
	free(w);
}

static const struct nw_class text_class = {
	.name = "text",
	.height = text_height,
	.draw = text_draw,
	.key = text_key,
	.free = text_free,
};

/* An empty row between groups of a form. */
struct nw_widget *
nw_text_spacer(void)
{
	struct nw_widget *w = nw_text_new(0);

	nw_text_add(w, NW_R_NORMAL, 0, "");
	return w;
}

struct nw_widget *
nw_text_new(int scroll)
{
	struct text *t = xcalloc(1, sizeof *t);

	t->base.cls = &text_class;
	t->base.focusable = scroll;
	t->scroll = scroll;
	t->wrapped_width = -1;
	return &t->base;
}
