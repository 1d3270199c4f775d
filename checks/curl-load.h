/*
 * libcurl, loaded when a command first needs the network (check, signin,
 * the wizard's Health and Sign-in screens) rather than at every start:
 * it and the libraries it pulls in cost about half of the start-up time
 * and memory of a command that never talks to anyone (plan, apply,
 * --version). The POSIX build dlopens it (curl-load-posix.c); the
 * Windows build links it statically and has nothing to load.
 */
#ifndef NDESWIZ_CURL_LOAD_H
#define NDESWIZ_CURL_LOAD_H

#include <stddef.h>

#ifdef _WIN32
static inline int
curl_load(const char *what, char *err, size_t len)
{
	(void)what;
	(void)err;
	(void)len;
	return 0;
}
#else
/*
 * Load libcurl once. 0, or -1 with err saying that WHAT ("the health
 * check", "sign-in") needs libcurl, the package that has it, and why
 * dlopen failed.
 */
int curl_load(const char *what, char *err, size_t len);
#endif

#endif
