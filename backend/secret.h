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

/*
 * Who asks for a "prompt" secret. By default the terminal (/dev/tty, echo
 * off); the wizard installs its own masked box. The hook fills buf (max
 * bytes at most) and returns 0, or -1 when the admin cancelled.
 */
typedef int (*secret_prompt_fn)(void *arg, const char *label, char *buf,
    size_t max, size_t *len);
void secret_set_prompt(secret_prompt_fn, void *arg);
/*
 * A secret typed at a prompt is kept, in locked memory, for the rest of
 * the run, so that one run asks for it once however many steps need it.
 * secret_forget wipes every kept one; front ends call it before exit.
 */
void secret_forget(void);

/*
 * Resolve every secret reference the plan needs (env:, file:; "prompt"
 * too when ask: apply asks before it starts) and add an error naming the
 * field and what is wrong: unset, unreadable, wrong owner or mode, empty.
 */
struct answers;
struct plan;
struct findings;
void secrets_check(const struct answers *, const struct plan *, int ask,
    struct findings *);

/* Process-wide: no core dumps, not ptrace-readable by others. */
void secret_harden_process(void);

#endif
