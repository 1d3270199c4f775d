/*
 * Modal boxes: a message with buttons, and a scrollable text (help).
 * Each runs its own small key loop; a resize repaints the screen behind
 * through the redraw hook, then the box again.
 */
#include "nw.h"
#include "secret.h"

#include <limits.h>
#include <stdlib.h>
#include <wchar.h>
#include <string.h>
#include <wctype.h>

struct box {
	WINDOW *win;
	int h, w;
};

static int
box_open(struct box *b, int h, int w)
{
	if (w > COLS - 2)
		w = COLS - 2;
	if (h > LINES - 2)
		h = LINES - 2;
	b->h = h;
	b->w = w;
	b->win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	if (b->win == NULL)
		return -1;
	nw_fill(b->win, 0, 0, h, w, NW_R_NORMAL);
	return 0;
}

static void
box_show(struct box *b)
{
	wnoutrefresh(b->win);
	delwin(b->win);
	b->win = NULL;
	doupdate();
}

static int
box_width(int want)
{
	int max = COLS - 4 < want ? COLS - 4 : want;

	return max < 20 ? 20 : max;
}

static void
msgbox_draw(const char *title, const char *text,
    const char *const *buttons, int nb, int sel)
{
	int tw = box_width(64), h, bw = 0, col;
	size_t n;
	char **lines = nw_wrap(text, tw - 4, &n);
	struct box b;

	h = (int)n + 4;
	if (box_open(&b, h, tw) != 0) {
		str_list_free(lines, n);
		return;
	}
	nw_box(b.win, 0, 0, b.h, b.w, title, NW_R_BORDER);
	for (size_t i = 0; i < n && (int)i < b.h - 4; i++)
		nw_put(b.win, 1 + (int)i, 2, b.w - 4, lines[i],
		    nw_attr(NW_R_NORMAL));
	for (int i = 0; i < nb; i++)
		bw += nw_u8_width(buttons[i]) + 6;
	col = (b.w - bw) / 2;
	for (int i = 0; i < nb; i++) {
		col += nw_putf(b.win, b.h - 2, col, b.w - col, nw_attr(i ==
		    sel ? NW_R_BUTTON_FOCUS : NW_R_BUTTON), "[ %s ]",
		    buttons[i]) + 2;
	}
	box_show(&b);
	str_list_free(lines, n);
}

/* A button whose first letter was typed, when only one starts so. */
static int
hotkey(const char *const *buttons, int nb, wint_t ch)
{
	int found = -1;

	for (int i = 0; i < nb; i++) {
		if (towlower((wint_t)(unsigned char)buttons[i][0]) !=
		    towlower(ch))
			continue;
		if (found >= 0)
			return -1;
		found = i;
	}
	return found;
}

int
nw_msgbox(const char *title, const char *text, const char *const *buttons,
    int def)
{
	struct nw_key k;
	int nb = 0, sel = def, hk;

	while (buttons[nb] != NULL)
		nb++;
	curs_set(0);
	for (;;) {
		if (nw_size_ok())
			msgbox_draw(title, text, buttons, nb, sel);
		if (!nw_getkey(&k, 250))
			continue;
		if (nw_key_is(k, KEY_RESIZE))
			nw_redraw();
		else if (nw_key_char(k, NW_ESC))
			return -1;
		else if (!nw_size_ok())
			continue;
		else if (nw_key_is(k, KEY_ENTER) || nw_key_char(k, ' '))
			return sel;
		else if (nw_key_is(k, KEY_LEFT) || nw_key_is(k, KEY_BTAB))
			sel = (sel + nb - 1) % nb;
		else if (nw_key_is(k, KEY_RIGHT) || nw_key_char(k, NW_TAB))
			sel = (sel + 1) % nb;
		else if (nw_key_printable(k) &&
		    (hk = hotkey(buttons, nb, k.ch)) >= 0)
			return hk;
	}
}

static void
text_draw(const char *title, char **lines, size_t n, int *top)
{
	struct box b;
	int rows, max;

	if (box_open(&b, (int)n + 3, box_width(78)) != 0)
		return;
	rows = b.h - 3;
	max = (int)n - rows;
	if (*top > max)
		*top = max;
	if (*top < 0)
		*top = 0;
	nw_box(b.win, 0, 0, b.h, b.w, title, NW_R_BORDER);
	for (int i = 0; i < rows && *top + i < (int)n; i++)
		nw_put(b.win, 1 + i, 2, b.w - 4, lines[*top + i],
		    nw_attr(NW_R_NORMAL));
	nw_putf(b.win, b.h - 2, 2, b.w - 4, nw_attr(NW_R_DIM),
	    "%s Esc or Enter: close", (int)n > rows ?
	    "Up/Down, Space, b: scroll." : "");
	box_show(&b);
}

void
nw_popup_text(const char *title, const char *text)
{
	struct nw_key k;
	size_t n = 0;
	char **lines = NULL;
	int top = 0, width = -1;

	curs_set(0);
	for (;;) {
		if (nw_size_ok()) {
			int tw = box_width(78) - 4;

			if (tw != width) {
				if (lines != NULL)
					str_list_free(lines, n);
				lines = nw_wrap(text, tw, &n);
				width = tw;
			}
			text_draw(title, lines, n, &top);
		}
		if (!nw_getkey(&k, 250))
			continue;
		if (nw_key_is(k, KEY_RESIZE))
			nw_redraw();
		else if (nw_key_char(k, NW_ESC) || nw_key_is(k, KEY_ENTER) ||
		    nw_key_char(k, 'q') || nw_key_is(k, KEY_F(1)))
			break;
		else if (nw_key_is(k, KEY_UP))
			top--;
		else if (nw_key_is(k, KEY_DOWN))
			top++;
		else if (nw_key_char(k, ' ') || nw_key_is(k, KEY_NPAGE))
			top += LINES / 2;
		else if (nw_key_char(k, 'b') || nw_key_is(k, KEY_PPAGE))
			top -= LINES / 2;
		else if (nw_key_is(k, KEY_HOME))
			top = 0;
		else if (nw_key_is(k, KEY_END))
			top = (int)n;
	}
	if (lines != NULL)
		str_list_free(lines, n);
}

/* ---- a masked one-line input, for passwords ------------------------- */

static void
secretbox_draw(const char *title, const char *text, size_t chars)
{
	int tw = box_width(64), col;
	size_t n;
	char **lines = nw_wrap(text, tw - 4, &n);
	struct box b;

	if (box_open(&b, (int)n + 6, tw) != 0) {
		str_list_free(lines, n);
		return;
	}
	nw_box(b.win, 0, 0, b.h, b.w, title, NW_R_BORDER);
	for (size_t i = 0; i < n && (int)i < b.h - 6; i++)
		nw_put(b.win, 1 + (int)i, 2, b.w - 4, lines[i],
		    nw_attr(NW_R_NORMAL));
	/* One mask per character typed: the length shows, the text never. */
	nw_fill(b.win, b.h - 4, 2, 1, b.w - 4, NW_R_INPUT_FOCUS);
	col = 2;
	for (size_t i = 0; i < chars && col < b.w - 3; i++)
		col += nw_put(b.win, b.h - 4, col, 1, nw_glyph(NW_G_MASK),
		    nw_attr(NW_R_INPUT_FOCUS));
	nw_put(b.win, b.h - 2, 2, b.w - 4, "Enter accept   Esc cancel",
	    nw_attr(NW_R_NORMAL));
	box_show(&b);
	str_list_free(lines, n);
}

/* Drop the last UTF-8 character of buf. */
static void
secret_backspace(char *buf, size_t *len, size_t *chars)
{
	if (*len == 0)
		return;
	do
		buf[--*len] = '\0';
	while (*len > 0 && ((unsigned char)buf[*len] & 0xc0) == 0x80);
	(*chars)--;
}

int
nw_secretbox(const char *title, const char *text, char *buf, size_t max,
    size_t *len)
{
	struct nw_key k;
	size_t chars = 0;
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	*len = 0;
	buf[0] = '\0';
	curs_set(0);
	for (;;) {
		if (nw_size_ok())
			secretbox_draw(title, text, chars);
		if (!nw_getkey(&k, 250))
			continue;
		if (nw_key_is(k, KEY_RESIZE))
			nw_redraw();
		else if (nw_key_char(k, NW_ESC)) {
			secure_zero(buf, max);
			*len = 0;
			return -1;
		} else if (nw_key_is(k, KEY_ENTER) || nw_key_char(k, '\n') ||
		    nw_key_char(k, '\r'))
			return 0;
		else if (nw_key_is(k, KEY_BACKSPACE) || nw_key_char(k, 0x7f) ||
		    nw_key_char(k, NW_CTRL('h')))
			secret_backspace(buf, len, &chars);
		else if (nw_key_printable(k)) {
			memset(&st, 0, sizeof st);
			n = wcrtomb(mb, (wchar_t)k.ch, &st);
			if (n != (size_t)-1 && *len + n < max) {
				memcpy(buf + *len, mb, n);
				*len += n;
				buf[*len] = '\0';
				chars++;
			}
			secure_zero(mb, sizeof mb);
		}
	}
}
