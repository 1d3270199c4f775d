/*
 * The plain list files of a dir target (features.txt, groups.txt, ...):
 * one "A: B" or "A" per line, '#' comments, kept sorted so the same state
 * always gives the same bytes.
 */
#ifndef NDESWIZ_PAIRS_H
#define NDESWIZ_PAIRS_H

#include <stddef.h>

struct pair {
	char *a, *b; /* b NULL for one-column files */
};

struct pairs {
	struct pair *v;
	size_t n;
};

int pairs_parse(struct pairs *, const char *name, const char *data,
    size_t len, char *err, size_t errlen);
char *pairs_format(const struct pairs *);
void pairs_free(struct pairs *);
/* b NULL matches any b when any_b; else b must match (NULL == NULL). */
struct pair *pairs_find(const struct pairs *, const char *a, const char *b,
    int any_b);
void pairs_add(struct pairs *, const char *a, const char *b);
void pairs_remove(struct pairs *, struct pair *);

#endif
