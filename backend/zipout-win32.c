/*
 * The Windows build has no zip library yet (its libraries are built from
 * Debian's sources by tests/win/build-deps.sh, which does not build
 * libzip and zlib), so `collect` says so instead of writing a bundle.
 */
#include "zipout.h"

#include <stdio.h>

int
zipout_available(void)
{
	return 0;
}

int
zipout_write(const char *path, const struct zip_member *m, size_t n,
    char *err, size_t len)
{
	(void)m;
	(void)n;
	snprintf(err, len, "%s: this Windows build cannot write zip files",
	    path);
	return -1;
}
