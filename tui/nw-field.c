/*
 * A labelled input with its messages under it:
 *
 *   RA country            US
 *     error: 'USA' is not a 2-letter country code (ISO 3166, e.g. US)
 *       -> Allowed: text
 */
#include "nw.h"

#include <stdlib.h>
#include <string.h>

struct msg {
	enum nw_role role;
	char *text;
};

struct field {
	struct nw_widget base;
	char *label;
	int label_width;
	struct nw_widget *input;
	struct msg *msgs;
	size_t nmsgs;
};

static struct field *
to_field(struct nw_widget *w)
{
	return (struct field *)w;
}

/* How a message starts, by its role: words first, colour second. */
static const char *
msg_prefix(enum nw_role r)
{
	switch (r) {
	case NW_R_ERROR: return "error: ";
	case NW_R_WARN: return "warning: ";
	case NW_R_OK: return "ok: ";
	default: return "";
	}
}

struct nw_widget *
nw_field_input(struct nw_widget *w)
{
	return to_field(w)->input;
}

void
nw_field_clear_msgs(struct nw_widget *w)
{
	struct field *f = to_field(w);

	for (size_t i = 0; i < f->nmsgs; i++)
		free(f->msgs[i].text);
	free(f->msgs);
	f->msgs = NULL;
	f->nmsgs = 0;
}

void
nw_field_add_msg(struct nw_widget *w, enum nw_role r, const char *text)
{
	struct field *f = to_field(w);

	f->msgs = xreallocarray(f->msgs, f->nmsgs + 1, sizeof *f->msgs);
	f->msgs[f->nmsgs++] = (struct msg){ r, xasprintf("%s%s%s",
	    r == NW_R_HINT ? nw_glyph(NW_G_HINT) : msg_prefix(r),
	    r == NW_R_HINT ? " " : "", text) };
}

/* Messages are indented by 2, hints by 4. */
static int
msg_indent(const struct msg *m)
{
	return m->role == NW_R_HINT ? 4 : 2;
}

static int
field_height(struct nw_widget *w, int width, int avail)
{
	struct field *f = to_field(w);
	int h = nw_widget_height(f->input, width - f->label_width - 1,
	    avail);

	for (size_t i = 0; i < f->nmsgs; i++) {
		size_t n;
		char **lines = nw_wrap(f->msgs[i].text,
		    width - msg_indent(&f->msgs[i]), &n);

		h += (int)n;
		str_list_free(lines, n);
	}
	return h;
}

static void
field_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	struct field *f = to_field(w);
	int lw = f->label_width, row;

	nw_put_clip(win, y, x, lw, f->label,
	    nw_attr(w->focused ? NW_R_LABEL_FOCUS : NW_R_LABEL));
	f->input->focused = w->focused;
	nw_widget_draw(f->input, win, y, x + lw + 1, width - lw - 1);
	w->cur_y = f->input->cur_y;
	w->cur_x = f->input->cur_x;
	w->focus_row = f->input->focus_row;
	row = y + nw_widget_height(f->input, width - lw - 1, 1);
	for (size_t i = 0; i < f->nmsgs; i++) {
		struct msg *m = &f->msgs[i];
		int ind = msg_indent(m);
		size_t n;
		char **lines = nw_wrap(m->text, width - ind, &n);

		for (size_t j = 0; j < n; j++)
			nw_put(win, row++, x + ind, width - ind, lines[j],
			    nw_attr(m->role));
		str_list_free(lines, n);
	}
}

static enum nw_result
field_key(struct nw_widget *w, struct nw_key k)
{
	return nw_widget_key(to_field(w)->input, k);
}

static void
field_focus(struct nw_widget *w, int on)
{
	nw_widget_focus(to_field(w)->input, on);
}

static void
field_free(struct nw_widget *w)
{
	struct field *f = to_field(w);

	nw_field_clear_msgs(w);
	nw_widget_free(f->input);
	free(f->label);
	free(f);
}

static char *
field_get(struct nw_widget *w)
{
	return nw_value(to_field(w)->input);
}

static void
field_set(struct nw_widget *w, const char *v)
{
	nw_set_value(to_field(w)->input, v);
}

static const struct nw_class field_class = {
	.name = "field",
	.height = field_height,
	.draw = field_draw,
	.key = field_key,
	.free = field_free,
	.get = field_get,
	.set = field_set,
	.focus = field_focus,
};

struct nw_widget *
nw_field_new(const char *label, struct nw_widget *input, int label_width)
{
	struct field *f = xcalloc(1, sizeof *f);

	f->base.cls = &field_class;
	f->base.focusable = 1;
	f->label = xstrdup(label);
	f->label_width = label_width;
	f->input = input;
	return &f->base;
}
