/*
 * The RES_SSLBIND value (host.h), "hash=THUMB;store=NAME;appid={GUID}",
 * parsed and written in one place for the binding step and both drivers.
 */
#ifndef NDESWIZ_SSLBIND_H
#define NDESWIZ_SSLBIND_H

#include <stddef.h>

struct sslbind {
	char *hash, *store, *appid; /* "" when absent, never NULL */
};

/* Keys are case-insensitive; a value's surrounding double quotes (as a
 * registry string brings them) are dropped; the first of a key wins. */
void sslbind_parse(const char *v, struct sslbind *);
void sslbind_free(struct sslbind *);
/* One field of v into out ("" when absent), the same rules. */
void sslbind_field(const char *v, const char *name, char *out, size_t len);
/* The value for these fields. Caller frees. */
char *sslbind_format(const char *hash, const char *store, const char *appid);

#endif
