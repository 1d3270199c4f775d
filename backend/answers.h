/*
 * The admin's decisions, one canonical string per field of the table.
 * Layered: defaults, then the host's current state, then the last answers
 * saved in the target, then the answer file given with -a, then the screen.
 */
#ifndef NDESWIZ_ANSWERS_H
#define NDESWIZ_ANSWERS_H

#include <stddef.h>

#include "fields.h"

enum answer_source {
	SRC_DEFAULT,
	SRC_HOST,
	SRC_LAST,
	SRC_FILE,
	SRC_SCREEN,
};

struct answers {
	char *val[F__COUNT];
	enum answer_source src[F__COUNT];
	int line[F__COUNT]; /* line in the file it came from, or 0 */
	char *file[F__COUNT];
};

void answers_init(struct answers *); /* all defaults */
void answers_free(struct answers *);
void answers_copy(struct answers *dst, const struct answers *src);
int answers_equal(const struct answers *, const struct answers *);

const char *answers_get(const struct answers *, enum field_id);
int answers_bool(const struct answers *, enum field_id);
long long answers_int(const struct answers *, enum field_id);
/* A list field as an array; free with str_list_free. */
char **answers_list(const struct answers *, enum field_id, size_t *n);
int answers_list_has(const struct answers *, enum field_id, const char *);

/* Set a raw value through field_parse; -1 + why when it is not valid. */
int answers_set(struct answers *, enum field_id, const char *value,
    enum answer_source, char *why, size_t len);
/* Set an already canonical value (host prefill, tests). */
void answers_put(struct answers *, enum field_id, const char *value,
    enum answer_source);

/* Does the SCEP part (NDES, IIS, registry) apply to these answers? */
int answers_want_scep(const struct answers *);

/* Reading and writing the answer file: answerfile.h. */
#include "answerfile.h"

#endif
