#ifndef NDESWIZ_ASSETS_EMBED_H
#define NDESWIZ_ASSETS_EMBED_H

#include <stddef.h>

/* The assets the Windows exe carries inside it (tests/win/embed-assets.sh
 * writes the table; a path relative to assets/, then its bytes). */
struct embedded_asset {
	const char *path;
	const unsigned char *data;
	size_t len;
};

extern const struct embedded_asset embedded_assets[];

/* Writes the embedded assets into a folder of the user's own
 * (%LOCALAPPDATA%\ndeswiz\assets-VERSION) and returns it with '/'
 * separators, or NULL when it cannot. */
const char *assets_unpack(void);

#endif
