/*
 * nw core: the terminal, colours and glyphs, UTF-8 text, keys, signals.
 */
#include "nw.h"
#include "utf.h"

#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct nw_display nw_display;

static SCREEN *nw_screen;
static WINDOW *nw_input;	/* never drawn: reading from it moves nothing */
static volatile sig_atomic_t nw_caught;
static void (*signal_hook)(int, void *);
static void *signal_arg;
static void (*redraw_fn)(void *);
static void *redraw_arg;

/*
 * Roles: a colour pair for colour terminals, attributes for monochrome
 * ones. Colour is never the only carrier of meaning: messages also say
 * "error:" or "warning:" in words.
 */
static const struct role_style {
	short fg, bg;
	attr_t color_attr;
	attr_t mono_attr;
} role_styles[NW_R__COUNT] = {
	[NW_R_NORMAL] = { -1, -1, 0, 0 },
	[NW_R_TITLE] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[NW_R_BAR] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[NW_R_BORDER] = { COLOR_BLUE, -1, 0, 0 },
	[NW_R_LABEL] = { -1, -1, 0, 0 },
	[NW_R_LABEL_FOCUS] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[NW_R_INPUT] = { -1, -1, A_UNDERLINE, A_UNDERLINE },
	[NW_R_INPUT_FOCUS] = { COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
	[NW_R_BUTTON] = { -1, -1, 0, 0 },
	[NW_R_BUTTON_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE },
	[NW_R_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[NW_R_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[NW_R_OK] = { COLOR_GREEN, -1, 0, 0 },
	[NW_R_HINT] = { COLOR_CYAN, -1, 0, 0 },
	[NW_R_DIM] = { -1, -1, A_DIM, A_DIM },
	[NW_R_ADD] = { COLOR_GREEN, -1, 0, A_BOLD },
	[NW_R_DEL] = { COLOR_RED, -1, 0, 0 },
	[NW_R_SELECT] = { COLOR_BLACK, COLOR_WHITE, A_BOLD, A_REVERSE },
	[NW_R_STRONG] = { -1, -1, A_BOLD, A_BOLD },
};

/* Glyphs: Unicode, then the ASCII stand-in. */
static const char *const glyphs[NW_G__COUNT][2] = {
	[NW_G_CURRENT] = { "\u25b6", ">" },
	[NW_G_ELLIPSIS] = { "\u2026", "~" },
	[NW_G_BAR_FULL] = { "\u2588", "#" },
	[NW_G_BAR_EMPTY] = { "\u2591", "." },
	[NW_G_MASK] = { "\u2022", "*" },
	[NW_G_HINT] = { "\u2192", "->" },
	[NW_G_YES] = { "\u2713", "+" },
	[NW_G_NO] = { "\u2717", "x" },
	[NW_G_LEFT] = { "\u2039", "<" },
	[NW_G_RIGHT] = { "\u203a", ">" },
};

static const char *const spin_utf8[] = {
	"\u280b", "\u2819", "\u2839", "\u2838", "\u283c", "\u2834", "\u2826",
	"\u2827", "\u2807", "\u280f",
};
static const char *const spin_ascii[] = { "|", "/", "-", "\\" };

attr_t
nw_attr(enum nw_role r)
{
	if (nw_display.color)
		return COLOR_PAIR(r + 1) | role_styles[r].color_attr;
	return role_styles[r].mono_attr;
}

const char *
nw_glyph(enum nw_glyph g)
{
	return glyphs[g][nw_display.ascii ? 1 : 0];
}

const char *
nw_spinner(unsigned tick)
{
	if (nw_display.ascii)
		return spin_ascii[tick % nitems(spin_ascii)];
	return spin_utf8[tick % nitems(spin_utf8)];
}

static void
theme_init(int want)
{
	nw_display.color = 0;
	if (!want || !has_colors() || start_color() == ERR)
		return;
	if (COLOR_PAIRS < NW_R__COUNT + 1)
		return;
	/* Without default colours, -1 means nothing: assume white on
	 * black, as most terminals start. */
	int defaults = use_default_colors() == OK;

	for (int r = 0; r < NW_R__COUNT; r++) {
		short fg = role_styles[r].fg, bg = role_styles[r].bg;

		if (!defaults) {
			fg = fg == -1 ? COLOR_WHITE : fg;
			bg = bg == -1 ? COLOR_BLACK : bg;
		}
		init_pair((short)(r + 1), fg, bg);
	}
	nw_display.color = 1;
}

int
nw_check_terminal(char *err, size_t len)
{
	const char *term = getenv("TERM");

	if (term == NULL || *term == '\0') {
		snprintf(err, len, "the wizard needs a terminal that can draw "
		    "screens, and TERM is not set; set it (e.g. "
		    "TERM=xterm-256color) or use the commands "
		    "(ndeswiz --help)");
		return -1;
	}
	if (strcmp(term, "dumb") == 0) {
		snprintf(err, len, "the wizard needs a terminal that can draw "
		    "screens, and TERM is 'dumb'; use a full terminal or the "
		    "commands (ndeswiz --help)");
		return -1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, len, "the wizard needs a terminal on standard "
		    "input and output; for scripts use the commands (ndeswiz "
		    "--help)");
		return -1;
	}
	/* Look the type up now, so an unknown one stops us before
	 * anything is opened or made. */
	if (!nw_term_known(term)) {
		snprintf(err, len, "cannot use terminal type '%s' (curses "
		    "does not know it); set TERM to a known type, e.g. "
		    "xterm-256color", term);
		return -1;
	}
	return 0;
}

/* Ctrl-Q and Ctrl-S are ours, not flow control. curses keeps the
 * original modes and endwin() brings them back. */
static void
no_flow_control(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
	def_prog_mode();
}

int
nw_init(const struct nw_options *o, char *err, size_t len)
{
	const char *cs = nl_langinfo(CODESET);

	if (nw_check_terminal(err, len) != 0)
		return -1;
	nw_display.utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
	/* Without UTF-8, Unicode glyphs would print as garbage. */
	nw_display.ascii = o->ascii || !nw_display.utf8;
	nw_signals_install();
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	nw_screen = newterm(NULL, stdout, stdin);
	if (nw_screen == NULL) {
		snprintf(err, len, "cannot use terminal type '%s' (curses "
		    "does not know it); set TERM to a known type, e.g. "
		    "xterm-256color", getenv("TERM"));
		return -1;
	}
	set_term(nw_screen);
	atexit(nw_end);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nw_input = newwin(1, 1, 0, 0);
	keypad(nw_input, TRUE);
	no_flow_control();
	theme_init(o->color);
	curs_set(0);
	return 0;
}

void
nw_end(void)
{
	if (nw_screen == NULL)
		return;
	if (!isendwin()) {
		curs_set(1);
		endwin();
	}
	fflush(stdout);
}

void
nw_suspend(void)
{
	if (nw_screen == NULL || isendwin())
		return;
	def_prog_mode();
	curs_set(1);
	endwin();
	fflush(stdout);
}

void
nw_resume(void)
{
	if (nw_screen == NULL || !isendwin())
		return;
	reset_prog_mode();
	clearok(curscr, TRUE);
	curs_set(0);
}

/* ---- boxes ---------------------------------------------------------- */

void
nw_fill(WINDOW *win, int y, int x, int h, int w, enum nw_role r)
{
	attr_t a = nw_attr(r);

	for (int i = 0; i < h; i++) {
		wattrset(win, a);
		mvwhline(win, y + i, x, ' ', w);
	}
	wattrset(win, A_NORMAL);
}

void
nw_box(WINDOW *win, int y, int x, int h, int w, const char *title,
    enum nw_role r)
{
	int a = nw_display.ascii;

	if (h < 2 || w < 2)
		return;
	wattrset(win, nw_attr(r));
	mvwhline(win, y, x + 1, a ? '-' : ACS_HLINE, w - 2);
	mvwhline(win, y + h - 1, x + 1, a ? '-' : ACS_HLINE, w - 2);
	mvwvline(win, y + 1, x, a ? '|' : ACS_VLINE, h - 2);
	mvwvline(win, y + 1, x + w - 1, a ? '|' : ACS_VLINE, h - 2);
	mvwaddch(win, y, x, a ? '+' : ACS_ULCORNER);
	mvwaddch(win, y, x + w - 1, a ? '+' : ACS_URCORNER);
	mvwaddch(win, y + h - 1, x, a ? '+' : ACS_LLCORNER);
	mvwaddch(win, y + h - 1, x + w - 1, a ? '+' : ACS_LRCORNER);
	wattrset(win, A_NORMAL);
	if (title != NULL && *title != '\0' && w > 6) {
		mvwaddch(win, y, x + 1, ' ');
		int used = nw_put_clip(win, y, x + 2, w - 5, title,
		    nw_attr(NW_R_TITLE));
		mvwaddch(win, y, x + 2 + used, ' ');
	}
}

/* ---- text ----------------------------------------------------------- */

/* The TUI shows whatever text it is given: ill-formed bytes as U+FFFD
 * (utf.c's lax reading). 0 at the end of s. */
size_t
nw_u8_decode(const char *s, unsigned *cp)
{
	uint32_t c = 0;
	size_t n = u8_decode_lax((const unsigned char *)s, strnlen(s, 4),
	    &c);

	*cp = c;
	return n;
}

int
nw_cp_width(unsigned cp)
{
	int w;

	if (cp < 0x20 || cp == 0x7f)
		return 1; /* shown as a space */
	if (cp < 0x7f || !nw_display.utf8)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int
nw_u8_width(const char *s)
{
	int w = 0;
	unsigned cp;
	size_t n;

	while ((n = nw_u8_decode(s, &cp)) > 0) {
		w += nw_cp_width(cp);
		s += n;
	}
	return w;
}

/*
 * A code point past ASCII, as UTF-8 bytes s[0..n). On Windows curses
 * would read the bytes in the C runtime's ANSI code page: it gets the
 * UTF-16 instead, which its console driver writes as it is.
 */
static void
put_multibyte(WINDOW *win, const char *s, size_t n, unsigned cp)
{
#ifdef _WIN32
	wchar_t w[2] = { (wchar_t)cp, 0 };
	int k = 1;

	(void)s;
	(void)n;
	if (cp > 0xffff) {
		w[0] = (wchar_t)(0xd800 + ((cp - 0x10000) >> 10));
		w[1] = (wchar_t)(0xdc00 + ((cp - 0x10000) & 0x3ff));
		k = 2;
	}
	waddnwstr(win, w, k);
#else
	(void)cp;
	waddnstr(win, s, (int)n);
#endif
}

/* Put one code point; what the terminal cannot show becomes '?'. */
static void
put_cp(WINDOW *win, const char *s, size_t n, unsigned cp)
{
	if (cp < 0x20 || cp == 0x7f)
		waddch(win, ' ');
	else if (cp < 0x80)
		waddch(win, (chtype)cp);
	else if (!nw_display.utf8 || cp == 0xfffd || nw_cp_width(cp) == 0)
		waddch(win, '?');
	else
		put_multibyte(win, s, n, cp);
}

int
nw_put(WINDOW *win, int y, int x, int w, const char *s, attr_t a)
{
	int used = 0, cw;
	unsigned cp;
	size_t n;

	if (w <= 0 || s == NULL)
		return 0;
	wmove(win, y, x);
	wattrset(win, a);
	while ((n = nw_u8_decode(s, &cp)) > 0) {
		cw = nw_cp_width(cp);
		if (used + cw > w)
			break;
		put_cp(win, s, n, cp);
		used += cw;
		s += n;
	}
	wattrset(win, A_NORMAL);
	return used;
}

int
nw_put_clip(WINDOW *win, int y, int x, int w, const char *s, attr_t a)
{
	const char *ell = nw_glyph(NW_G_ELLIPSIS);
	int ew = nw_u8_width(ell), used;

	if (nw_u8_width(s) <= w || w <= ew)
		return nw_put(win, y, x, w, s, a);
	used = nw_put(win, y, x, w - ew, s, a);
	return used + nw_put(win, y, x + used, ew, ell, a);
}

int
nw_putf(WINDOW *win, int y, int x, int w, attr_t a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int used;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	used = nw_put(win, y, x, w, s, a);
	free(s);
	return used;
}

static void
wrap_add(char ***lines, size_t *n, const char *s, size_t len)
{
	*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
	(*lines)[(*n)++] = xstrndup(s, len);
}

/* Wrap one paragraph (no newlines). */
static void
wrap_para(const char *s, size_t len, int width, char ***lines, size_t *n)
{
	const char *end = s + len;

	if (len == 0) {
		wrap_add(lines, n, "", 0);
		return;
	}
	while (s < end) {
		const char *p = s, *brk = NULL;
		int w = 0;
		unsigned cp;
		size_t k;

		while (p < end) {
			k = nw_u8_decode(p, &cp);
			if (k == 0 || w + nw_cp_width(cp) > width)
				break;
			if (cp == ' ')
				brk = p;
			w += nw_cp_width(cp);
			p += k;
		}
		if (p >= end) {
			wrap_add(lines, n, s, (size_t)(end - s));
			return;
		}
		if (brk == NULL || brk == s)
			brk = p == s ? p + nw_u8_decode(p, &cp) : p;
		wrap_add(lines, n, s, (size_t)(brk - s));
		s = brk;
		while (s < end && *s == ' ')
			s++;
	}
}

char **
nw_wrap(const char *s, int width, size_t *n)
{
	char **lines = NULL;
	const char *nl;

	*n = 0;
	if (width < 1)
		width = 1;
	for (;;) {
		nl = strchr(s, '\n');
		wrap_para(s, nl ? (size_t)(nl - s) : strlen(s), width,
		    &lines, n);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return lines;
}

/* ---- keys and signals ----------------------------------------------- */

int
nw_key_is(struct nw_key k, int fn)
{
	return k.fn == fn;
}

int
nw_key_char(struct nw_key k, wint_t ch)
{
	return k.fn == 0 && k.ch == ch;
}

int
nw_key_printable(struct nw_key k)
{
	return k.fn == 0 && k.ch >= 0x20 && k.ch != 0x7f;
}

static void
on_signal(int sig)
{
	nw_caught = sig;
}

void
nw_signals_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a read in progress returns, and the loop sees
	 * the signal at once. */
	for (size_t i = 0; i < nitems(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

void
nw_set_signal_hook(void (*fn)(int, void *), void *arg)
{
	signal_hook = fn;
	signal_arg = arg;
}

void
nw_die_by_signal(int sig)
{
	nw_end();
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

static void
deliver_signal(void)
{
	int sig = nw_caught;

	if (sig == 0)
		return;
	nw_caught = 0;
	if (signal_hook != NULL)
		signal_hook(sig, signal_arg);
	else
		nw_die_by_signal(sig);
}

/* Keys as the widgets want them: one Enter, one Backspace. */
static void
normalise(struct nw_key *k)
{
	if (k->fn == 0 && (k->ch == '\r' || k->ch == '\n'))
		*k = (struct nw_key){ .fn = KEY_ENTER };
	else if (k->fn == 0 && (k->ch == 0x7f || k->ch == 0x08))
		*k = (struct nw_key){ .fn = KEY_BACKSPACE };
}

int
nw_getkey(struct nw_key *k, int timeout_ms)
{
	wint_t ch;
	int rc;

	deliver_signal();
#ifdef _WIN32
	/* Keys beyond ASCII, which ncurses' console driver would lose. */
	switch (nw_console_key(&ch, timeout_ms)) {
	case 1:
		memset(k, 0, sizeof *k);
		k->ch = ch;
		normalise(k);
		return 1;
	case -1:
		return 0;
	}
#endif
	wtimeout(nw_input, timeout_ms);
	rc = wget_wch(nw_input, &ch);
	deliver_signal();
	if (rc == ERR)
		return 0;
	memset(k, 0, sizeof *k);
	if (rc == KEY_CODE_YES)
		k->fn = (int)ch;
	else
		k->ch = ch;
	normalise(k);
	return 1;
}

void
nw_set_redraw(void (*fn)(void *), void *arg)
{
	redraw_fn = fn;
	redraw_arg = arg;
}

void
nw_redraw(void)
{
	if (redraw_fn != NULL)
		redraw_fn(redraw_arg);
}

int
nw_size_ok(void)
{
	char *msg, **lines;
	size_t n;
	int y;

	if (COLS >= NW_MIN_COLS && LINES >= NW_MIN_LINES)
		return 1;
	werase(stdscr);
	msg = xasprintf("Make the window at least %dx%d (it is %dx%d).",
	    NW_MIN_COLS, NW_MIN_LINES, COLS, LINES);
	lines = nw_wrap(msg, COLS > 2 ? COLS - 2 : 1, &n);
	y = LINES / 2 - (int)n / 2;
	if (y < 0 || (int)n >= LINES - 1)
		y = 0;
	for (size_t i = 0; i < n; i++)
		nw_put(stdscr, y + (int)i, 1, COLS - 2, lines[i],
		    nw_attr(NW_R_STRONG));
	if (LINES > 2)
		nw_put(stdscr, LINES - 1, 0, COLS, "F10 or Ctrl-Q: quit",
		    nw_attr(NW_R_DIM));
	str_list_free(lines, n);
	free(msg);
	curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
	return 0;
}

/* ---- the widget base ------------------------------------------------ */

void
nw_widget_free(struct nw_widget *w)
{
	if (w != NULL)
		w->cls->free(w);
}

int
nw_widget_height(struct nw_widget *w, int width, int avail)
{
	if (w->hidden)
		return 0;
	return w->cls->height(w, width, avail);
}

void
nw_widget_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	w->cur_y = w->cur_x = -1;
	if (!w->hidden)
		w->cls->draw(w, win, y, x, width);
}

enum nw_result
nw_widget_key(struct nw_widget *w, struct nw_key k)
{
	if (w->cls->key == NULL)
		return NW_IGNORED;
	return w->cls->key(w, k);
}

void
nw_widget_focus(struct nw_widget *w, int on)
{
	w->focused = on;
	if (w->cls->focus != NULL)
		w->cls->focus(w, on);
}

char *
nw_value(struct nw_widget *w)
{
	if (w->cls->get == NULL)
		return xstrdup("");
	return w->cls->get(w);
}

void
nw_set_value(struct nw_widget *w, const char *v)
{
	if (w->cls->set != NULL)
		w->cls->set(w, v);
}
