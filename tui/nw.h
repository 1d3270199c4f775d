/*
 * nw: the wizard's small widget layer on curses (nmtui's libnmt-newt is
 * the model). Widgets know nothing of NDES: pages build them from the
 * field table and read their values back. One header for the layer; one
 * file per widget.
 */
#ifndef NDESWIZ_NW_H
#define NDESWIZ_NW_H

#include <curses.h>
#include <stdarg.h>
#include <stddef.h>
#include <wchar.h>

#include "util.h"

/* ---- display: colours, line drawing, glyphs (nw-core.c) ------------- */

enum nw_role {
	NW_R_NORMAL,
	NW_R_TITLE,
	NW_R_BAR,		/* title and key bars */
	NW_R_BORDER,
	NW_R_LABEL,
	NW_R_LABEL_FOCUS,
	NW_R_INPUT,
	NW_R_INPUT_FOCUS,
	NW_R_BUTTON,
	NW_R_BUTTON_FOCUS,
	NW_R_ERROR,
	NW_R_WARN,
	NW_R_OK,
	NW_R_HINT,
	NW_R_DIM,
	NW_R_ADD,
	NW_R_DEL,
	NW_R_SELECT,
	NW_R_STRONG,
	NW_R__COUNT
};

enum nw_glyph {
	NW_G_CURRENT,	/* the current step */
	NW_G_ELLIPSIS,
	NW_G_BAR_FULL,
	NW_G_BAR_EMPTY,
	NW_G_MASK,	/* one masked character of a secret */
	NW_G_HINT,	/* before a hint: what to do */
	NW_G_YES,	/* a requirement the server meets */
	NW_G_NO,	/* one it does not (yet) */
	NW_G_LEFT,	/* more text to the left/right of an entry */
	NW_G_RIGHT,
	NW_G__COUNT
};

struct nw_options {
	int color;	/* colours wanted (NO_COLOR, --no-color say no) */
	int ascii;	/* ASCII line drawing and marks */
};

struct nw_display {
	int color;	/* colours in use */
	int ascii;
	int utf8;	/* the locale speaks UTF-8 */
};
extern struct nw_display nw_display;

/*
 * Start curses on the terminal. Refuses (-1 + err, nothing drawn) when
 * there is no usable terminal: not a tty, TERM unset or "dumb", or a
 * terminal type curses does not know.
 */
int nw_check_terminal(char *err, size_t len);
/* Does the terminal database know this type? (nw-term.c) */
int nw_term_known(const char *term);
int nw_init(const struct nw_options *, char *err, size_t len);
/* Give the terminal back as it was; safe to call twice. */
void nw_end(void);
/* Lend the terminal to something that talks to it directly (a password
 * prompt), then take it back and repaint. */
void nw_suspend(void);
void nw_resume(void);

attr_t nw_attr(enum nw_role);
const char *nw_glyph(enum nw_glyph);
const char *nw_spinner(unsigned tick);

/* A box with an optional title in its top border. */
void nw_box(WINDOW *, int y, int x, int h, int w, const char *title,
    enum nw_role);
void nw_fill(WINDOW *, int y, int x, int h, int w, enum nw_role);

/* ---- text: UTF-8 widths, clipped printing, wrapping (nw-core.c) ------ */

/* One code point: bytes used (>= 1 unless at the end); bad bytes give
 * U+FFFD one byte at a time. */
size_t nw_u8_decode(const char *, unsigned *cp);
int nw_cp_width(unsigned cp);
int nw_u8_width(const char *);
/* Print at most w columns; control characters show as spaces. Returns
 * the columns used. */
int nw_put(WINDOW *, int y, int x, int w, const char *, attr_t);
/* Same, ending in an ellipsis when it does not fit. */
int nw_put_clip(WINDOW *, int y, int x, int w, const char *, attr_t);
int nw_putf(WINDOW *, int y, int x, int w, attr_t, const char *, ...)
    PRINTFLIKE(6, 7);
/* Word-wrap to width columns; newlines are kept. Free with
 * str_list_free(lines, n). */
char **nw_wrap(const char *, int width, size_t *n);

/* ---- keys and signals (nw-core.c) ------------------------------------ */

struct nw_key {
	int fn;		/* a KEY_* code, or 0 for a character */
	wint_t ch;	/* the character when fn == 0 */
};

#define NW_CTRL(c) ((c) & 0x1f)
#define NW_ESC 0x1b
#define NW_TAB '\t'

int nw_key_is(struct nw_key, int fn);		/* a function key */
int nw_key_char(struct nw_key, wint_t ch);	/* a character */
int nw_key_printable(struct nw_key);

/*
 * Wait at most timeout_ms for a key: 1 and *k, or 0 when none came.
 * A SIGINT, SIGTERM or SIGHUP that arrived meanwhile is handed to the
 * signal hook first (by default: restore the terminal and die by it).
 */
int nw_getkey(struct nw_key *, int timeout_ms);
#ifdef _WIN32
/* nw-input-win32.c: a key beyond ASCII read from the console (1), the
 * next event left for ncurses (0), or nothing within timeout_ms (-1). */
int nw_console_key(wint_t *ch, int timeout_ms);
#endif
void nw_signals_install(void);
void nw_set_signal_hook(void (*)(int sig, void *), void *);
/* Restore the terminal and end the process by sig. */
void nw_die_by_signal(int sig);

/*
 * The screen behind a modal box: called to paint everything again after
 * a resize. nw_redraw() calls it and flushes.
 */
void nw_set_redraw(void (*)(void *), void *);
void nw_redraw(void);
/* Is the terminal big enough for the layout? Paints a notice when not. */
int nw_size_ok(void);
#define NW_MIN_COLS 80
#define NW_MIN_LINES 24

/* ---- widgets -------------------------------------------------------- */

enum nw_result {
	NW_IGNORED,	/* not for this widget; the form may use it */
	NW_HANDLED,
	NW_NEXT,	/* Enter: move on to the next widget */
	NW_ACTIVATE,	/* a button was pressed */
};

struct nw_widget;

struct nw_class {
	const char *name;
	/* Rows needed at this width; avail is the viewport's height. */
	int (*height)(struct nw_widget *, int width, int avail);
	/* Natural width, for widgets in a row (buttons). */
	int (*width)(struct nw_widget *);
	void (*draw)(struct nw_widget *, WINDOW *, int y, int x, int w);
	enum nw_result (*key)(struct nw_widget *, struct nw_key);
	void (*free)(struct nw_widget *);
	/* Inputs: the value as text (caller frees), and setting it. */
	char *(*get)(struct nw_widget *);
	void (*set)(struct nw_widget *, const char *);
	/* The focus arrives (on) or leaves. */
	void (*focus)(struct nw_widget *, int on);
};

struct nw_widget {
	const struct nw_class *cls;
	int focusable;
	int focused;
	int hidden;
	/* Where the terminal cursor should be when focused; -1: hidden. */
	int cur_y, cur_x;
	/* Row within the widget that must be visible (scrolling forms). */
	int focus_row;
	void *user;
	long tag;
};

void nw_widget_free(struct nw_widget *);
int nw_widget_height(struct nw_widget *, int width, int avail);
void nw_widget_draw(struct nw_widget *, WINDOW *, int y, int x, int w);
enum nw_result nw_widget_key(struct nw_widget *, struct nw_key);
void nw_widget_focus(struct nw_widget *, int on);

/* Single-line text entry (nw-entry.c). */
#define NW_ENTRY_SECRET 0x1	/* masked; wiped when cleared or freed */
#define NW_ENTRY_DIGITS 0x2	/* accepts 0-9 only */
/* With SECRET: the field may hold a reference to the secret (env:NAME,
 * file:PATH, prompt), which is no secret: shown in clear while it does. */
#define NW_ENTRY_REFS 0x4
struct nw_widget *nw_entry_new(const char *text, int flags);
const char *nw_entry_text(struct nw_widget *);
void nw_entry_set_text(struct nw_widget *, const char *);
/* Overwrite the text with zeros and empty it. */
void nw_entry_wipe(struct nw_widget *);
/* Was anything typed since the last wipe? */
int nw_entry_edited(struct nw_widget *);
/* Secret entries show this instead of bullets when not focused (a
 * reference that is not itself a secret); NULL: bullets. */
void nw_entry_set_shown(struct nw_widget *, const char *);
/* F4 offers these (NULL-terminated) in a list; any other text may still
 * be typed. */
void nw_entry_set_suggestions(struct nw_widget *, const char *const *items,
    const char *title);

/* Number entry: digits, + and - step within [min, max] (nw-number.c). */
struct nw_widget *nw_number_new(const char *text, long long min,
    long long max);

/* Comma-separated list entry (nw-listentry.c). */
struct nw_widget *nw_listentry_new(const char *text);
size_t nw_listentry_count(struct nw_widget *);

/* A widget with a text value, whatever its kind: entries, number, list,
 * checkbox, choice, checklist. Caller frees. */
char *nw_value(struct nw_widget *);
void nw_set_value(struct nw_widget *, const char *);

/* Yes/no checkbox (nw-checkbox.c). */
struct nw_widget *nw_checkbox_new(int on);
int nw_checkbox_on(struct nw_widget *);

/* One of a list; left/right, type-ahead, Space for a list (nw-choice.c). */
struct nw_widget *nw_choice_new(const char *const *choices, const char *value,
    const char *title);
const char *nw_choice_value(struct nw_widget *);
void nw_choice_set(struct nw_widget *, const char *);
/* A modal list: the index picked, or -1 (Esc). */
int nw_popup_choice(const char *title, const char *const *items, int current);

/* Any of a list, as a row of checkboxes (nw-checklist.c). */
struct nw_widget *nw_checklist_new(const char *const *choices,
    const char *value);
char *nw_checklist_value(struct nw_widget *); /* "a, b"; caller frees */
void nw_checklist_set(struct nw_widget *, const char *);

/* A push button (nw-button.c). */
struct nw_widget *nw_button_new(const char *label);
void nw_button_set_label(struct nw_widget *, const char *);

/* A labelled input with messages under it (nw-field.c). */
struct nw_widget *nw_field_new(const char *label, struct nw_widget *input,
    int label_width);
struct nw_widget *nw_field_input(struct nw_widget *);
void nw_field_clear_msgs(struct nw_widget *);
void nw_field_add_msg(struct nw_widget *, enum nw_role, const char *);

/* Lines of text; wrapped, optionally scrolled in a fixed viewport
 * (nw-text.c). */
struct nw_widget *nw_text_new(int scroll);
struct nw_widget *nw_text_spacer(void);
void nw_text_clear(struct nw_widget *);
void nw_text_add(struct nw_widget *, enum nw_role, int indent, const char *);
/* Wrapped rows after the first start at hang (a label column). */
void nw_text_add_hang(struct nw_widget *, enum nw_role, int indent,
    int hang, const char *);
void nw_text_addf(struct nw_widget *, enum nw_role, int indent,
    const char *, ...) PRINTFLIKE(4, 5);
void nw_text_scroll_end(struct nw_widget *);
/* Plain text that can take the focus, to be read row by row. */
void nw_text_focusable(struct nw_widget *, int);

/* A progress bar with a caption (nw-progress.c). */
struct nw_widget *nw_progress_new(void);
void nw_progress_set(struct nw_widget *, size_t done, size_t total,
    const char *caption);

/* The step list at the side (nw-steplist.c). */
enum nw_step_state {
	NW_STEP_NEW,	/* not visited */
	NW_STEP_OK,
	NW_STEP_WARN,
	NW_STEP_ERROR,
	NW_STEP_BUSY,
	NW_STEP_NOTRUN,	/* a check of the step's own has not run */
};
struct nw_widget *nw_steplist_new(void);
void nw_steplist_add(struct nw_widget *, const char *name);
void nw_steplist_set(struct nw_widget *, size_t i, enum nw_step_state,
    int visited);
void nw_steplist_current(struct nw_widget *, size_t i);
size_t nw_steplist_selected(struct nw_widget *);
void nw_steplist_select(struct nw_widget *, size_t i);

/* ---- forms (nw-form.c) ---------------------------------------------- */

/*
 * A form: a scrolled column of widgets (the body) above a fixed row
 * (the footer: buttons) and a status line. Tab, Shift-Tab, Up and Down
 * move the focus; leaving a widget calls on_leave, so the page can check
 * the value at once.
 */
struct nw_form {
	struct nw_widget **w;
	size_t n, cap;
	size_t nbody;		/* w[0..nbody) body, the rest footer */
	int focus;		/* index into w, -1: none */
	int top;		/* first body row shown */
	int *ypos;		/* body rows, from the last layout */
	int total;		/* body height, from the last layout */
	WINDOW *pad;
	int padh, padw;
	int vy, vx, vh, vw;	/* the body's viewport on the screen */
	char *status;
	enum nw_role status_role;
	/* Enter on the last body widget moves here (the Next button). */
	struct nw_widget *enter_target;
	void (*on_leave)(struct nw_form *, struct nw_widget *, void *);
	void *arg;
};

void nw_form_init(struct nw_form *);
void nw_form_free(struct nw_form *);	/* frees the widgets too */
void nw_form_add(struct nw_form *, struct nw_widget *);
void nw_form_add_footer(struct nw_form *, struct nw_widget *);
/* Draw in the region; nw_form_refresh() shows the body after the rest
 * of the screen was wnoutrefresh'd. */
void nw_form_draw(struct nw_form *, int y, int x, int h, int w);
void nw_form_refresh(struct nw_form *);
enum nw_result nw_form_key(struct nw_form *, struct nw_key,
    struct nw_widget **);
struct nw_widget *nw_form_focused(struct nw_form *);
/* Move the focus (no on_leave call). */
void nw_form_focus(struct nw_form *, struct nw_widget *);
void nw_form_focus_first(struct nw_form *);
void nw_form_status(struct nw_form *, enum nw_role, const char *, ...)
    PRINTFLIKE(3, 4);

/* ---- modal boxes (nw-msgbox.c) -------------------------------------- */

/* A message with buttons; the index pressed, or -1 for Esc. */
int nw_msgbox(const char *title, const char *text,
    const char *const *buttons, int def);
/* A masked one-line input (passwords): what is typed goes to buf, never
 * to the screen. 0 on Enter, -1 on Esc (buf wiped). */
int nw_secretbox(const char *title, const char *text, char *buf,
    size_t max, size_t *len);
/* A scrollable text box closed with Esc, Enter or q (help). */
void nw_popup_text(const char *title, const char *text);

#endif
