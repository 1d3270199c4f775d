/*
 * Text from outside (event messages, server answers) made safe to print
 * on a terminal: no control characters that move the cursor or change
 * colours, no bidirectional overrides that reorder what is shown.
 */
#ifndef NDESWIZ_SANITIZE_H
#define NDESWIZ_SANITIZE_H

/* A copy of s for one line of a terminal: tab, CR and LF become one space
 * each; other C0 controls, DEL, C1 controls (U+0080-U+009F), the bidi
 * embeddings and overrides U+202A-U+202E and isolates U+2066-U+2069, and
 * bytes that are not UTF-8 become '?'. Caller frees; NULL gives NULL. */
char *sanitize_text(const char *s);

#endif
