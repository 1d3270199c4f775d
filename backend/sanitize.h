/*
 * Nothing raw reaches a terminal. Text from outside (a server's headers,
 * answer values, file contents) may hold escape sequences that move the
 * cursor or retitle the window, C1 controls that some terminals obey, or
 * bidi overrides (U+202E) that show a name backwards. Every human output
 * passes its text through here; --json keeps the exact text.
 */
#ifndef NDESWIZ_SANITIZE_H
#define NDESWIZ_SANITIZE_H

enum {
	SAN_LINE = 0x1,   /* one line: newlines and tabs become spaces */
	SAN_NAGIOS = 0x2, /* a Nagios status text: one line, '|' becomes '/'
	                     (it would start the performance data) */
};

/*
 * A copy of s (NULL: NULL) where C0 controls but newline and tab, DEL,
 * C1 controls and bytes that are not UTF-8 show as \xNN, and bidi
 * controls as \u202E. Caller frees.
 */
char *sanitize(const char *s, int flags);

#endif
