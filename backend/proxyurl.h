/*
 * The proxy URL rule of the [proxy] step (proxy.c), callable on its own so
 * that it can be fuzzed and unit tested without a whole answers set.
 */
#ifndef NDESWIZ_PROXYURL_H
#define NDESWIZ_PROXYURL_H

#include <stddef.h>

struct proxy_url {
	char scheme[8];
	char host[256];
	long long port;
};

/* scheme://host:port[/], nothing else. 0, or -1 with why. */
int proxy_url_parse(const char *, struct proxy_url *, char *why, size_t len);

#endif
