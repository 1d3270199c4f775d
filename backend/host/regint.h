/*
 * What regfile.c (keys, database, file format) and regval.c (value data)
 * share: the text helpers of .reg syntax. Internal to those two files.
 */
#ifndef NDESWIZ_REGINT_H
#define NDESWIZ_REGINT_H

#include "util.h"

#include <stddef.h>

/* How much of the user's text an error message quotes. */
#define SNIP_MAX	40

void reg_seterr(char *, size_t, const char *, ...) PRINTFLIKE(3, 4);
/* Room for n more bytes at the end of b; reg_buf_done counts them in. */
char *reg_buf_room(struct buf *, size_t n);
void reg_buf_done(struct buf *, const char *end);
/* ASCII upper case: Windows compares names so. */
int reg_upper(int);
int reg_blank(int);
const char *reg_skip_blanks(const char *);
int reg_prefix_ci(const char *s, const char *prefix);
/* Where s stops being storable text, or NULL. */
const char *reg_text_bad(const char *);
/* A short, printable quote of s for messages (in tmp when cut). */
const char *reg_snip(const char *s, char *tmp, size_t tmplen);
/* s with \ and " escaped, appended to b. */
void reg_escape_into(struct buf *, const char *);
/* A quoted string at s; *end past the closing quote. */
int reg_read_quoted(const char *s, struct buf *text, const char **end,
    const char **errp, char *err, size_t errlen);
/* Value data in canonical form, or NULL with *errp and err. */
char *reg_canon(const char *s, const char **errp, char *err, size_t errlen);

#endif
