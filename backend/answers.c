/* The answers model: one canonical value per field. */
#include "answers.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void
answers_init(struct answers *a)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < F__COUNT; i++)
		a->val[i] = xstrdup(fields_table[i].def);
}

void
answers_free(struct answers *a)
{
	for (int i = 0; i < F__COUNT; i++) {
		free(a->val[i]);
		free(a->file[i]);
	}
	memset(a, 0, sizeof *a);
}

void
answers_copy(struct answers *dst, const struct answers *src)
{
	*dst = *src;
	for (int i = 0; i < F__COUNT; i++) {
		dst->val[i] = xstrdup(src->val[i]);
		dst->file[i] = src->file[i] ? xstrdup(src->file[i]) : NULL;
	}
}

int
answers_equal(const struct answers *a, const struct answers *b)
{
	for (int i = 0; i < F__COUNT; i++)
		if (strcmp(a->val[i], b->val[i]) != 0)
			return 0;
	return 1;
}

const char *
answers_get(const struct answers *a, enum field_id id)
{
	return a->val[id];
}

int
answers_bool(const struct answers *a, enum field_id id)
{
	return strcmp(a->val[id], "yes") == 0;
}

long long
answers_int(const struct answers *a, enum field_id id)
{
	long long v;

	if (str_to_long(a->val[id], fields_table[id].min, fields_table[id].max,
	    &v) != 0)
		return fields_table[id].min;
	return v;
}

char **
answers_list(const struct answers *a, enum field_id id, size_t *n)
{
	return str_split_list(a->val[id], n);
}

int
answers_list_has(const struct answers *a, enum field_id id, const char *item)
{
	size_t n;
	char **v = answers_list(a, id, &n);
	int found = 0;

	for (size_t i = 0; i < n; i++)
		found |= str_ieq(v[i], item);
	str_list_free(v, n);
	return found;
}

void
answers_put(struct answers *a, enum field_id id, const char *value,
    enum answer_source src)
{
	char *copy = xstrdup(value);

	free(a->val[id]);
	a->val[id] = copy;
	a->src[id] = src;
	a->line[id] = 0;
	free(a->file[id]);
	a->file[id] = NULL;
}

int
answers_set(struct answers *a, enum field_id id, const char *value,
    enum answer_source src, char *why, size_t len)
{
	char *copy = xstrdup(value), *canon;
	int rc = -1;

	canon = field_parse(id, str_trim(copy), why, len);
	if (canon != NULL) {
		answers_put(a, id, canon, src);
		free(canon);
		rc = 0;
	}
	free(copy);
	return rc;
}

int
answers_want_scep(const struct answers *a)
{
	return answers_list_has(a, F_PREREQS_SCENARIOS, "scep");
}
