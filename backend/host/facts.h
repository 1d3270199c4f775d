/*
 * What a machine is (struct host_facts), checked like answers: one table
 * of the facts, their types and what they may hold. The dir driver reads
 * facts.ini through it (an unknown or impossible value is refused with
 * facts.ini:LINE:, never guessed); every driver's facts pass facts_check
 * when the target is opened.
 */
#ifndef NDESWIZ_FACTS_H
#define NDESWIZ_FACTS_H

#include <stddef.h>

#include "host.h"

struct facts_reader {
	struct host_facts f;
	unsigned long seen; /* one bit per table row */
	char why[256];      /* why the last line was refused */
};

/* One "key = value" line of [host]: 0, or -1 with r->why. */
int facts_read(struct facts_reader *, const char *section, const char *key,
    const char *value);
/* After the last line: 0, or -1 + err naming a required fact missing. */
int facts_complete(const struct facts_reader *, char *err, size_t len);
/* A whole facts.ini (data: n bytes, NUL-terminated; name for messages)
 * into f: 0, or -1 + err "NAME:LINE: what is wrong" (or a missing
 * fact). */
int facts_parse(const char *name, const char *data, size_t n,
    struct host_facts *f, char *err, size_t len);
/* Every fact within its bounds (what a driver read from the system):
 * 0, or -1 + err naming the first that is not. */
int facts_check(const struct host_facts *, char *err, size_t len);

/* facts.ini's text for f: [host] and one line per fact of the table,
 * which facts_read reads back to f (caller frees). */
char *facts_format(const struct host_facts *f);

#endif
