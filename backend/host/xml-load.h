/*
 * libxml2, loaded when applicationHost.config is first parsed rather than
 * at every start: with ICU and libstdc++, which it pulls in, it is the
 * largest of the libraries (see dynload.h). The POSIX build dlopens it
 * (xml-load-posix.c); the Windows build links it statically.
 */
#ifndef NDESWIZ_XML_LOAD_H
#define NDESWIZ_XML_LOAD_H

#include <stddef.h>

#ifdef _WIN32
static inline int
xml_load(const char *what, char *err, size_t len)
{
	(void)what;
	(void)err;
	(void)len;
	return 0;
}
#else
/* Load libxml2 once. 0, or -1 with err saying that WHAT needs it, the
 * package that has it, and why dlopen failed. */
int xml_load(const char *what, char *err, size_t len);
#endif

#endif
