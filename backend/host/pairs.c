#include "pairs.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int
pair_cmp(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;
	int c = strcasecmp(p->a, q->a);

	if (c != 0)
		return c;
	if (p->b == NULL || q->b == NULL)
		return (p->b != NULL) - (q->b != NULL);
	return strcasecmp(p->b, q->b);
}

int
pairs_parse(struct pairs *ps, const char *name, const char *data, size_t len,
    char *err, size_t errlen)
{
	char *text = xstrndup(data, len), *line, *save, *colon;
	int lineno = 0;

	memset(ps, 0, sizeof *ps);
	if (memchr(data, '\0', len) != NULL) {
		snprintf(err, errlen, "%s: contains a NUL byte", name);
		free(text);
		return -1;
	}
	for (char *p = text; (line = strtok_r(p, "\n", &save)) != NULL;
	    p = NULL) {
		lineno++;
		line = str_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		colon = strchr(line, ':');
		if (colon != NULL) {
			*colon = '\0';
			if (*str_trim(colon + 1) == '\0' ||
			    *str_trim(line) == '\0') {
				snprintf(err, errlen, "%s:%d: expected "
				    "'NAME: VALUE'", name, lineno);
				pairs_free(ps);
				free(text);
				return -1;
			}
			pairs_add(ps, str_trim(line), str_trim(colon + 1));
		} else
			pairs_add(ps, line, NULL);
	}
	free(text);
	return 0;
}

char *
pairs_format(const struct pairs *ps)
{
	struct buf b = {0};

	for (size_t i = 0; i < ps->n; i++) {
		if (ps->v[i].b != NULL)
			buf_addf(&b, "%s: %s\n", ps->v[i].a, ps->v[i].b);
		else
			buf_addf(&b, "%s\n", ps->v[i].a);
	}
	return buf_steal(&b);
}

void
pairs_free(struct pairs *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].a);
		free(ps->v[i].b);
	}
	free(ps->v);
	memset(ps, 0, sizeof *ps);
}

struct pair *
pairs_find(const struct pairs *ps, const char *a, const char *b, int any_b)
{
	for (size_t i = 0; i < ps->n; i++) {
		struct pair *p = &ps->v[i];

		if (strcasecmp(p->a, a) != 0)
			continue;
		if (any_b || str_ieq(p->b, b))
			return p;
	}
	return NULL;
}

void
pairs_add(struct pairs *ps, const char *a, const char *b)
{
	ps->v = xreallocarray(ps->v, ps->n + 1, sizeof *ps->v);
	ps->v[ps->n].a = xstrdup(a);
	ps->v[ps->n].b = b ? xstrdup(b) : NULL;
	ps->n++;
	qsort(ps->v, ps->n, sizeof *ps->v, pair_cmp);
}

void
pairs_remove(struct pairs *ps, struct pair *p)
{
	size_t i = (size_t)(p - ps->v);

	free(p->a);
	free(p->b);
	memmove(&ps->v[i], &ps->v[i + 1], (ps->n - i - 1) * sizeof *ps->v);
	ps->n--;
}
