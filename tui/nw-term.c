/*
 * Whether the terminal database knows a terminal type, asked before
 * curses starts. Apart from nw-core.c because <term.h> defines every
 * capability name (lines, columns, ...) as a macro.
 */
#include <curses.h>
#include <term.h>
#include <unistd.h>

/* Declared in nw.h, which cannot be included with <term.h>. */
int nw_term_known(const char *);

int
nw_term_known(const char *term)
{
	TERMINAL *saved = cur_term;
	int err = 0, ok;

	ok = setupterm((char *)term, STDOUT_FILENO, &err) == OK && err == 1;
	/* Only a question: leave no terminal set up behind. */
	if (cur_term != saved) {
		del_curterm(cur_term);
		set_curterm(saved);
	}
	return ok;
}
