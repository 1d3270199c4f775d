/* A zip archive written in one go, atomically, mode 0600 (collect). */
#ifndef NDESWIZ_ZIPOUT_H
#define NDESWIZ_ZIPOUT_H

#include <stddef.h>

struct zip_member {
	char *name;		/* path inside the archive */
	char *data;
	size_t len;
};

/* Can this build write zips? (The Windows build has no zip library.) */
int zipout_available(void);
/* Write the members to path: built in memory, then a temporary file in
 * path's folder, fsync, rename. 0, or -1 with the reason in err. */
int zipout_write(const char *path, const struct zip_member *, size_t n,
    char *err, size_t len);

#endif
