#include "assets-embed.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every run writes every file anew (a few hundred KiB): a copy left from
 * another version, or edited, is replaced rather than trusted; to change
 * an asset, put an assets folder beside the exe instead. The folder is
 * the user's own profile's, which other users cannot write.
 */
const char *
assets_unpack(void)
{
	static char dir[1024];
	const char *base = getenv("LOCALAPPDATA");
	int bad = 0;

	if (dir[0] != '\0')
		return dir;
	if (base == NULL || *base == '\0')
		base = getenv("TEMP");
	if (base == NULL || *base == '\0')
		return NULL;
	if ((size_t)snprintf(dir, sizeof dir, "%s/ndeswiz/assets-%s", base,
	    VERSION) >= sizeof dir) {
		dir[0] = '\0';
		return NULL;
	}
	for (char *p = dir; *p != '\0'; p++)
		if (*p == '\\')
			*p = '/';
	for (const struct embedded_asset *a = embedded_assets;
	    !bad && a->path != NULL; a++) {
		char *path = path_join(dir, a->path), *slash;

		slash = strrchr(path, '/');
		*slash = '\0';
		bad = mkdir_p(path, 0700) != 0;
		*slash = '/';
		bad = bad || file_write_atomic(path, a->data, a->len, 0600) != 0;
		free(path);
	}
	if (bad)
		dir[0] = '\0';
	return bad ? NULL : dir;
}
