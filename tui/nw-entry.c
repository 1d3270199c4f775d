/*
 * A single-line text entry, UTF-8 aware, scrolling sideways when the text
 * is wider than the entry. A secret entry masks what is typed, keeps its
 * buffer in one locked allocation that never moves (so no stray copies
 * are left behind by realloc) and wipes it when cleared or freed.
 */
#include "nw.h"
#include "secret.h"
#include "utf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SECRET_CAP 4096

struct entry {
	struct nw_widget base;
	char *buf;
	size_t len, cap;
	size_t cur;	/* byte offset of the cursor */
	size_t first;	/* byte offset of the first character shown */
	int flags;
	int edited;	/* typed into since the last wipe */
	char *shown;	/* secret: text shown while not focused */
	const char *const *suggest; /* F4 offers these; NULL: none */
	const char *title;
};

static const struct nw_class entry_class;

static struct entry *
to_entry(struct nw_widget *w)
{
	return (struct entry *)w;
}

static size_t
prev_cp(const char *s, size_t at)
{
	if (at == 0)
		return 0;
	do
		at--;
	while (at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80);
	return at;
}

static size_t
next_cp(const char *s, size_t at)
{
	unsigned cp;
	size_t n = nw_u8_decode(s + at, &cp);

	return at + n;
}

static int
reserve(struct entry *e, size_t extra)
{
	if (e->len + extra + 1 <= e->cap)
		return 0;
	if (e->flags & NW_ENTRY_SECRET)
		return -1; /* fixed: never moved */
	while (e->len + extra + 1 > e->cap)
		e->cap *= 2;
	e->buf = xrealloc(e->buf, e->cap);
	return 0;
}

static void
insert(struct entry *e, const char *s, size_t n)
{
	if (reserve(e, n) != 0)
		return;
	memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
	memcpy(e->buf + e->cur, s, n);
	e->len += n;
	e->cur += n;
}

static void
delete_range(struct entry *e, size_t from, size_t to)
{
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	/* What moved out of the end must not linger (secrets). */
	memset(e->buf + e->len, 0, to - from);
	e->cur = from;
	if (e->first > e->cur)
		e->first = e->cur;
}

void
nw_entry_wipe(struct nw_widget *w)
{
	struct entry *e = to_entry(w);

	secure_zero(e->buf, e->cap);
	e->len = e->cur = e->first = 0;
	e->edited = 0;
}

int
nw_entry_edited(struct nw_widget *w)
{
	return to_entry(w)->edited;
}

void
nw_entry_set_text(struct nw_widget *w, const char *text)
{
	struct entry *e = to_entry(w);

	nw_entry_wipe(w);
	insert(e, text, strlen(text));
	e->first = 0;
}

const char *
nw_entry_text(struct nw_widget *w)
{
	return to_entry(w)->buf;
}

void
nw_entry_set_shown(struct nw_widget *w, const char *shown)
{
	struct entry *e = to_entry(w);

	free(e->shown);
	e->shown = shown ? xstrdup(shown) : NULL;
}

struct nw_widget *
nw_entry_new(const char *text, int flags)
{
	struct entry *e = xcalloc(1, sizeof *e);

	e->base.cls = &entry_class;
	e->base.focusable = 1;
	e->flags = flags;
	e->cap = (flags & NW_ENTRY_SECRET) ? SECRET_CAP : 64;
	e->buf = xcalloc(1, e->cap);
	if (flags & NW_ENTRY_SECRET)
		(void)mlock(e->buf, e->cap); /* best effort: not to swap */
	nw_entry_set_text(&e->base, text ? text : "");
	return &e->base;
}

static void
entry_free(struct nw_widget *w)
{
	struct entry *e = to_entry(w);

	nw_entry_wipe(w);
	if (e->flags & NW_ENTRY_SECRET)
		munlock(e->buf, e->cap);
	free(e->buf);
	free(e->shown);
	free(e);
}

static int
entry_height(struct nw_widget *w, int width, int avail)
{
	(void)w, (void)width, (void)avail;
	return 1;
}

/*
 * Is what the entry holds drawn as masks? A secret is; a reference to one
 * (REFS entries only) is not: the admin must see which variable or file
 * it names, and a password is never accepted in such a field anyway.
 */
static int
masked(const struct entry *e)
{
	const char *b = e->buf;

	if (!(e->flags & NW_ENTRY_SECRET))
		return 0;
	return !(e->flags & NW_ENTRY_REFS) || !(str_has_prefix(b, "env:") ||
	    str_has_prefix(b, "file:") || strcmp(b, "prompt") == 0);
}

/* Columns from byte a to byte b, as drawn. */
static int
span_width(struct entry *e, size_t a, size_t b)
{
	int wd = 0;
	unsigned cp;

	while (a < b) {
		a += nw_u8_decode(e->buf + a, &cp);
		wd += masked(e) ? 1 : nw_cp_width(cp);
	}
	return wd;
}

static void
draw_masked(struct entry *e, WINDOW *win, int y, int x, int w, attr_t a)
{
	const char *mask = nw_glyph(NW_G_MASK);
	size_t at = e->first;
	int used = 0;

	while (at < e->len && used < w) {
		nw_put(win, y, x + used, 1, mask, a);
		at = next_cp(e->buf, at);
		used++;
	}
}

static void
entry_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	struct entry *e = to_entry(w);
	attr_t a = nw_attr(w->focused ? NW_R_INPUT_FOCUS : NW_R_INPUT);

	wattrset(win, a);
	mvwhline(win, y, x, ' ', width);
	wattrset(win, A_NORMAL);
	/* Unfocused, a value shows its start. Focused, the cursor stays
	 * inside, clear of the column of the '>' mark at the end and (past
	 * the start) of the '<' mark at the left. */
	if (!w->focused)
		e->first = 0;
	else {
		if (e->cur < e->first)
			e->first = e->cur;
		if (e->first > 0 && e->first == e->cur)
			e->first = prev_cp(e->buf, e->first);
		while (span_width(e, e->first, e->cur) > width - 2 &&
		    e->first < e->cur)
			e->first = next_cp(e->buf, e->first);
	}
	if ((e->flags & NW_ENTRY_SECRET) && !w->focused && e->shown != NULL) {
		nw_put(win, y, x, width, e->shown, a);
		if (nw_u8_width(e->shown) > width)
			nw_put(win, y, x + width - 1, 1, nw_glyph(NW_G_RIGHT),
			    a | A_BOLD);
		return;
	}
	if (masked(e))
		draw_masked(e, win, y, x, width, a);
	else
		nw_put(win, y, x, width, e->buf + e->first, a);
	/* A value wider than its box says which end is hidden. */
	if (e->first > 0)
		nw_put(win, y, x, 1, nw_glyph(NW_G_LEFT), a | A_BOLD);
	if (span_width(e, e->first, e->len) > width)
		nw_put(win, y, x + width - 1, 1, nw_glyph(NW_G_RIGHT),
		    a | A_BOLD);
	if (w->focused) {
		w->cur_y = y;
		w->cur_x = x + span_width(e, e->first, e->cur);
	}
}

static void
kill_word(struct entry *e)
{
	size_t at = e->cur;

	while (at > 0 && e->buf[prev_cp(e->buf, at)] == ' ')
		at = prev_cp(e->buf, at);
	while (at > 0 && e->buf[prev_cp(e->buf, at)] != ' ')
		at = prev_cp(e->buf, at);
	delete_range(e, at, e->cur);
}

static void ed_left(struct entry *e) { e->cur = prev_cp(e->buf, e->cur); }
static void ed_home(struct entry *e) { e->cur = 0; }
static void ed_end(struct entry *e) { e->cur = e->len; }
static void ed_clear(struct entry *e) { nw_entry_wipe(&e->base); }
static void ed_kill_end(struct entry *e) { delete_range(e, e->cur, e->len); }
static void ed_kill_word(struct entry *e) { kill_word(e); }

static void
ed_right(struct entry *e)
{
	if (e->cur < e->len)
		e->cur = next_cp(e->buf, e->cur);
}

static void
ed_backspace(struct entry *e)
{
	if (e->cur > 0)
		delete_range(e, prev_cp(e->buf, e->cur), e->cur);
}

static void
ed_delete(struct entry *e)
{
	if (e->cur < e->len)
		delete_range(e, e->cur, next_cp(e->buf, e->cur));
}

/* Editing keys, emacs-style as in a shell; a table, not a ladder. */
static const struct edit_key {
	int fn;
	wint_t ch;
	void (*fn_edit)(struct entry *);
} edit_keys[] = {
	{ KEY_LEFT, 0, ed_left },
	{ KEY_RIGHT, 0, ed_right },
	{ KEY_HOME, 0, ed_home },
	{ KEY_END, 0, ed_end },
	{ KEY_BACKSPACE, 0, ed_backspace },
	{ KEY_DC, 0, ed_delete },
	{ 0, NW_CTRL('a'), ed_home },
	{ 0, NW_CTRL('e'), ed_end },
	{ 0, NW_CTRL('b'), ed_left },
	{ 0, NW_CTRL('f'), ed_right },
	{ 0, NW_CTRL('d'), ed_delete },
	{ 0, NW_CTRL('u'), ed_clear },
	{ 0, NW_CTRL('k'), ed_kill_end },
	{ 0, NW_CTRL('w'), ed_kill_word },
};

/* F4: one of the suggestions replaces the text (as nw-choice's list). */
static void
pick_suggestion(struct nw_widget *w, struct entry *e)
{
	int cur = 0, picked;

	for (int i = 0; e->suggest[i] != NULL; i++)
		if (strcmp(e->suggest[i], nw_entry_text(w)) == 0)
			cur = i;
	picked = nw_popup_choice(e->title, e->suggest, cur);
	if (picked >= 0) {
		nw_entry_set_text(w, e->suggest[picked]);
		e->edited = 1;
	}
}

void
nw_entry_set_suggestions(struct nw_widget *w, const char *const *items,
    const char *title)
{
	to_entry(w)->suggest = items;
	to_entry(w)->title = title;
}

static enum nw_result
entry_key(struct nw_widget *w, struct nw_key k)
{
	struct entry *e = to_entry(w);
	char u[4];

	if (nw_key_is(k, KEY_ENTER))
		return NW_NEXT;
	if (e->suggest != NULL && nw_key_is(k, KEY_F(4))) {
		pick_suggestion(w, e);
		return NW_HANDLED;
	}
	for (size_t i = 0; i < nitems(edit_keys); i++) {
		if (edit_keys[i].fn != k.fn)
			continue;
		if (k.fn == 0 && edit_keys[i].ch != k.ch)
			continue;
		edit_keys[i].fn_edit(e);
		e->edited = 1;
		return NW_HANDLED;
	}
	if (!nw_key_printable(k))
		return NW_IGNORED;
	if ((e->flags & NW_ENTRY_DIGITS) && (k.ch < '0' || k.ch > '9'))
		return NW_IGNORED;
	insert(e, u, u8_encode(u, (uint32_t)k.ch));
	e->edited = 1;
	return NW_HANDLED;
}

static void
entry_focus(struct nw_widget *w, int on)
{
	struct entry *e = to_entry(w);

	if (on)
		e->cur = e->len;
	e->first = 0;
}

static char *
entry_get(struct nw_widget *w)
{
	return xstrdup(to_entry(w)->buf);
}

static const struct nw_class entry_class = {
	.name = "entry",
	.height = entry_height,
	.draw = entry_draw,
	.key = entry_key,
	.free = entry_free,
	.get = entry_get,
	.set = nw_entry_set_text,
	.focus = entry_focus,
};
