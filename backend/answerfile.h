/*
 * The answer file (INI, schema v1): read over a set of answers, and
 * written from one (answerfile.c).
 */
#ifndef NDESWIZ_ANSWERFILE_H
#define NDESWIZ_ANSWERFILE_H

#include <stddef.h>

struct answers;

/*
 * Read an answer file over the current answers. On error nothing is kept,
 * and err holds one line "FILE:LINE: what is wrong; what is allowed".
 * Returns 0 or -1.
 */
int answerfile_load(struct answers *, const char *path, char *err,
    size_t len);
/* Same, from memory; name is used in messages. */
int answerfile_load_buffer(struct answers *, const char *name,
    const char *data, size_t size, char *err, size_t len);

/* The file's text: every key with its one-line comment; secrets only as
 * their references. Caller frees. */
char *answerfile_format(const struct answers *);
/* Write it atomically with mode 0600. -1 with errno on failure. */
int answerfile_save(const struct answers *, const char *path);

#endif
