/*
 * The one sink for what the command line says on stderr: errors (always
 * "ndeswiz: " first), the notes that follow them, and progress. Every text
 * passes through sanitize(): an error may quote a file name or a server's
 * words.
 */
#ifndef NDESWIZ_CLI_OUT_H
#define NDESWIZ_CLI_OUT_H

#include "util.h"

/* "ndeswiz: TEXT\n". */
void cli_error(const char *fmt, ...) PRINTFLIKE(1, 2);
/* TEXT as given (no prefix, no newline added): progress ("\r" rewrites
 * the line), or what follows an error or findings ("Nothing was
 * applied.\n"). */
void cli_note(const char *fmt, ...) PRINTFLIKE(1, 2);

/* "\r" TEXT and a clear to the end of the line: a terminal's progress
 * line that the next one rewrites. */
void cli_progress(const char *fmt, ...) PRINTFLIKE(1, 2);

#endif
