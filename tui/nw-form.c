/*
 * A form: a column of widgets that scrolls (drawn into a curses pad, so a
 * widget never needs to know it is half visible), a status line, and a
 * fixed row of buttons at the bottom.
 */
#include "nw.h"

#include <stdlib.h>
#include <string.h>

void
nw_form_init(struct nw_form *f)
{
	memset(f, 0, sizeof *f);
	f->focus = -1;
}

void
nw_form_free(struct nw_form *f)
{
	for (size_t i = 0; i < f->n; i++)
		nw_widget_free(f->w[i]);
	free(f->w);
	free(f->ypos);
	free(f->status);
	if (f->pad != NULL)
		delwin(f->pad);
	nw_form_init(f);
}

static void
add(struct nw_form *f, struct nw_widget *w)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->w = xreallocarray(f->w, f->cap, sizeof *f->w);
	}
	f->w[f->n++] = w;
}

void
nw_form_add(struct nw_form *f, struct nw_widget *w)
{
	/* Body widgets come before the footer's. */
	add(f, w);
	memmove(f->w + f->nbody + 1, f->w + f->nbody,
	    (f->n - 1 - f->nbody) * sizeof *f->w);
	f->w[f->nbody++] = w;
}

void
nw_form_add_footer(struct nw_form *f, struct nw_widget *w)
{
	add(f, w);
}

struct nw_widget *
nw_form_focused(struct nw_form *f)
{
	return f->focus >= 0 && (size_t)f->focus < f->n ? f->w[f->focus] :
	    NULL;
}

static int
can_focus(struct nw_widget *w)
{
	return w->focusable && !w->hidden;
}

void
nw_form_focus(struct nw_form *f, struct nw_widget *w)
{
	struct nw_widget *old = nw_form_focused(f);

	if (old == w)
		return;
	if (old != NULL)
		nw_widget_focus(old, 0);
	f->focus = -1;
	for (size_t i = 0; i < f->n; i++)
		if (f->w[i] == w)
			f->focus = (int)i;
	if (w != NULL && f->focus >= 0)
		nw_widget_focus(w, 1);
}

void
nw_form_focus_first(struct nw_form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		if (can_focus(f->w[i])) {
			nw_form_focus(f, f->w[i]);
			return;
		}
	}
}

void
nw_form_status(struct nw_form *f, enum nw_role r, const char *fmt, ...)
{
	va_list ap;

	free(f->status);
	f->status = NULL;
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	f->status = xvasprintf(fmt, ap);
	va_end(ap);
	f->status_role = r;
}

/* ---- layout and drawing --------------------------------------------- */

static void
layout(struct nw_form *f, int w, int vh)
{
	int y = 0;

	f->ypos = xreallocarray(f->ypos, f->nbody ? f->nbody : 1,
	    sizeof *f->ypos);
	/* A widget that fills the view gets what is left below the ones
	 * before it. */
	for (size_t i = 0; i < f->nbody; i++) {
		f->ypos[i] = y;
		y += nw_widget_height(f->w[i], w, vh - y > 3 ? vh - y : 3);
	}
	f->total = y;
}

static void
ensure_pad(struct nw_form *f, int h, int w)
{
	if (h < 1)
		h = 1;
	if (f->pad != NULL && f->padh >= h && f->padw == w)
		return;
	if (f->pad != NULL)
		delwin(f->pad);
	f->padh = h + 16; /* room to grow without a new pad each time */
	f->padw = w;
	f->pad = newpad(f->padh, f->padw);
}

/* Scroll so that the focused widget (or at least its focus row) shows;
 * at the first widget show the top, with any text above it. */
static void
scroll_to_focus(struct nw_form *f)
{
	struct nw_widget *w = nw_form_focused(f);
	int first = 1, y, h;

	if (w != NULL && (size_t)f->focus < f->nbody) {
		for (int i = 0; i < f->focus; i++)
			first &= !can_focus(f->w[i]);
		y = f->ypos[f->focus];
		h = (f->focus + 1 < (int)f->nbody ? f->ypos[f->focus + 1] :
		    f->total) - y;
		if (first)
			f->top = 0;
		if (h > f->vh)
			y += w->focus_row, h = 1;
		if (y < f->top)
			f->top = y;
		if (y + h > f->top + f->vh)
			f->top = y + h - f->vh;
	}
	if (f->top > f->total - f->vh)
		f->top = f->total - f->vh;
	if (f->top < 0)
		f->top = 0;
}

static int
status_rows(struct nw_form *f, int w)
{
	size_t n;
	char **lines;

	if (f->status == NULL)
		return 1;
	lines = nw_wrap(f->status, w, &n);
	str_list_free(lines, n);
	return n > 2 ? 2 : (int)(n ? n : 1);
}

static void
draw_footer(struct nw_form *f, int y, int x, int w)
{
	int col = 0;

	wattrset(stdscr, A_NORMAL);
	mvwhline(stdscr, y, x, ' ', w);
	for (size_t i = f->nbody; i < f->n; i++) {
		struct nw_widget *b = f->w[i];
		int bw = b->cls->width ? b->cls->width(b) : 10;

		if (b->hidden)
			continue;
		nw_widget_draw(b, stdscr, y, x + col, bw);
		col += bw + 2;
	}
	/* Say when there is more above or below. */
	if (f->top > 0 || f->top + f->vh < f->total) {
		const char *more = f->top + f->vh < f->total ?
		    (f->top > 0 ? "more above and below" : "more below") :
		    "more above";

		nw_put(stdscr, y, x + w - nw_u8_width(more), nw_u8_width(more),
		    more, nw_attr(NW_R_DIM));
	}
}

static void
draw_status(struct nw_form *f, int y, int x, int w, int rows)
{
	size_t n = 0;
	char **lines = NULL;

	if (f->status != NULL)
		lines = nw_wrap(f->status, w, &n);
	wattrset(stdscr, A_NORMAL);
	for (int i = 0; i < rows; i++) {
		mvwhline(stdscr, y + i, x, ' ', w);
		if ((size_t)i < n)
			nw_put(stdscr, y + i, x, w, lines[i],
			    nw_attr(f->status_role));
	}
	str_list_free(lines, n);
}

void
nw_form_draw(struct nw_form *f, int y, int x, int h, int w)
{
	int srows = status_rows(f, w);

	f->vy = y;
	f->vx = x;
	f->vw = w;
	f->vh = h - srows - (f->n > f->nbody ? 1 : 0);
	if (f->vh < 1)
		f->vh = 1;
	layout(f, w, f->vh);
	ensure_pad(f, f->total > f->vh ? f->total : f->vh, w);
	if (f->pad == NULL)
		return;
	werase(f->pad);
	for (size_t i = 0; i < f->nbody; i++)
		nw_widget_draw(f->w[i], f->pad, f->ypos[i], 0, w);
	scroll_to_focus(f);
	draw_status(f, y + f->vh, x, w, srows);
	if (f->n > f->nbody)
		draw_footer(f, y + h - 1, x, w);
}

void
nw_form_refresh(struct nw_form *f)
{
	struct nw_widget *w = nw_form_focused(f);
	int cy, show = 0;

	if (f->pad == NULL)
		return;
	if (w != NULL && (size_t)f->focus < f->nbody && w->cur_y >= 0) {
		cy = w->cur_y - f->top;
		show = cy >= 0 && cy < f->vh;
		if (show)
			wmove(f->pad, w->cur_y, w->cur_x);
	}
	pnoutrefresh(f->pad, f->top, 0, f->vy, f->vx, f->vy + f->vh - 1,
	    f->vx + f->vw - 1);
	/* A footer button is drawn on stdscr: the cursor goes there. Its
	 * lines were refreshed already, so this only moves the cursor. */
	if (w != NULL && (size_t)f->focus >= f->nbody && w->cur_y >= 0) {
		wmove(stdscr, w->cur_y, w->cur_x);
		wnoutrefresh(stdscr);
		show = 1;
	}
	curs_set(show ? 1 : 0);
}

/* ---- keys ----------------------------------------------------------- */

/* The next focusable widget from i in direction dir; -1: none. */
static int
step_from(struct nw_form *f, int i, int dir, int wrap)
{
	int n = (int)f->n;

	for (int k = 1; k <= n; k++) {
		int j = i + dir * k;

		if (!wrap && (j < 0 || j >= n))
			return -1;
		j = ((j % n) + n) % n;
		if (can_focus(f->w[j]))
			return j;
	}
	return -1;
}

static int
move_focus(struct nw_form *f, int to)
{
	struct nw_widget *old = nw_form_focused(f);

	if (to < 0 || to == f->focus)
		return 0;
	nw_form_focus(f, f->w[to]);
	/* Called after the move, so the page may move the focus again. */
	if (old != NULL && f->on_leave != NULL)
		f->on_leave(f, old, f->arg);
	return 1;
}

enum nw_result
nw_form_key(struct nw_form *f, struct nw_key k, struct nw_widget **pressed)
{
	struct nw_widget *w = nw_form_focused(f);
	int in_footer = f->focus >= (int)f->nbody;
	enum nw_result r = w ? nw_widget_key(w, k) : NW_IGNORED;
	int next;

	*pressed = NULL;
	switch (r) {
	case NW_HANDLED:
		return NW_HANDLED;
	case NW_ACTIVATE:
		*pressed = w;
		return NW_ACTIVATE;
	case NW_NEXT:
		next = step_from(f, f->focus, 1, 0);
		if ((next < 0 || next >= (int)f->nbody) &&
		    f->enter_target != NULL)
			for (size_t i = 0; i < f->n; i++)
				if (f->w[i] == f->enter_target)
					next = (int)i;
		move_focus(f, next);
		return NW_HANDLED;
	case NW_IGNORED:
		break;
	}
	if (nw_key_char(k, NW_TAB))
		return move_focus(f, step_from(f, f->focus, 1, 1)) ?
		    NW_HANDLED : NW_IGNORED;
	if (nw_key_is(k, KEY_BTAB))
		return move_focus(f, step_from(f, f->focus, -1, 1)) ?
		    NW_HANDLED : NW_IGNORED;
	if (nw_key_is(k, KEY_DOWN) || (in_footer && nw_key_is(k, KEY_RIGHT)))
		return move_focus(f, step_from(f, f->focus, 1, 0)) ?
		    NW_HANDLED : NW_IGNORED;
	if (nw_key_is(k, KEY_UP) || (in_footer && nw_key_is(k, KEY_LEFT)))
		return move_focus(f, step_from(f, f->focus, -1, 0)) ?
		    NW_HANDLED : NW_IGNORED;
	return NW_IGNORED;
}
