/* jansson helpers shared by everything that prints JSON. */
#ifndef NDESWIZ_JSONUTIL_H
#define NDESWIZ_JSONUTIL_H

#include <jansson.h>

/* A string, or null for NULL. Bytes that are not UTF-8 (host data can
 * hold anything) become '?', so a record is never dropped. */
json_t *json_text(const char *);

#endif
