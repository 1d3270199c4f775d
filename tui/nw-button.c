/* A push button: "[ Next ]". Enter or Space presses it. */
#include "nw.h"

#include <stdlib.h>

struct button {
	struct nw_widget base;
	char *label;
};

static struct button *
to_button(struct nw_widget *w)
{
	return (struct button *)w;
}

void
nw_button_set_label(struct nw_widget *w, const char *label)
{
	free(to_button(w)->label);
	to_button(w)->label = xstrdup(label);
}

static int
button_height(struct nw_widget *w, int width, int avail)
{
	(void)w, (void)width, (void)avail;
	return 1;
}

static int
button_width(struct nw_widget *w)
{
	return nw_u8_width(to_button(w)->label) + 4;
}

static void
button_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	attr_t a = nw_attr(w->focused ? NW_R_BUTTON_FOCUS : NW_R_BUTTON);

	nw_putf(win, y, x, width, a, "[ %s ]", to_button(w)->label);
	/* The cursor goes where the focus is, as dialog does: on the
	 * label, not left behind on the last text field. */
	if (w->focused) {
		w->cur_y = y;
		w->cur_x = x + 2;
	}
}

static enum nw_result
button_key(struct nw_widget *w, struct nw_key k)
{
	(void)w;
	if (nw_key_is(k, KEY_ENTER) || nw_key_char(k, ' '))
		return NW_ACTIVATE;
	return NW_IGNORED;
}

static void
button_free(struct nw_widget *w)
{
	free(to_button(w)->label);
	free(w);
}

static const struct nw_class button_class = {
	.name = "button",
	.height = button_height,
	.width = button_width,
	.draw = button_draw,
	.key = button_key,
	.free = button_free,
};

struct nw_widget *
nw_button_new(const char *label)
{
	struct button *b = xcalloc(1, sizeof *b);

	b->base.cls = &button_class;
	b->base.focusable = 1;
	b->label = xstrdup(label);
	return &b->base;
}
