/*
 * Secrets (passwords, tokens) never live in the answer file: only a
 * reference does. They are resolved at the moment of use into locked
 * memory and wiped right after.
 */
#ifndef NDESWIZ_SECRET_H
#define NDESWIZ_SECRET_H

#include <stddef.h>

struct secret {
	char *p; /* NUL-terminated; NULL when empty */
	size_t len;
};

/* 0 when ref is empty, "prompt", env:NAME or file:PATH; else -1 + why.
 * The message never repeats the value: it may be the secret itself. */
int secret_ref_check(const char *ref, char *why, size_t len);

/*
 * Resolve a reference. label names the secret in prompts and messages.
 * file: refuses files readable or writable by group or other.
 * Returns 0 (out filled; empty ref gives len 0) or -1 with why.
 */
int secret_resolve(const char *ref, const char *label, struct secret *out,
    char *why, size_t len);
void secret_wipe(struct secret *);
/* Overwrite memory in a way the compiler cannot drop. */
void secure_zero(void *, size_t);

/* Process-wide: no core dumps, not ptrace-readable by others. */
void secret_harden_process(void);

#endif
