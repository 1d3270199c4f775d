/*
 * The proxy bypass list, one semantics for every caller: validation of
 * [proxy] bypass (proxy.c), the endpoints health check (proxyconf.c) and
 * the sign-in (signin.c). See bypass.c for the rules and their source.
 */
#ifndef NDESWIZ_BYPASS_H
#define NDESWIZ_BYPASS_H

#include <stddef.h>

/* A list as netsh takes it: entries separated by ';' or ',', trimmed,
 * empty ones dropped. Caller frees with str_list_free. */
char **bypass_split(const char *list, size_t *n);
/* Is e one entry the matcher understands: <local>, a host, an address,
 * or a pattern with '*'? */
int bypass_entry_ok(const char *e);
/* Does host (a name or address, no port, no brackets) match entry e? */
int bypass_match(const char *e, const char *host);
/* Does host match any of the n entries? */
int bypass_list_match(char *const *v, size_t n, const char *host);

#endif
