/* The clouds table (assets/clouds.ini): which hosts each cloud uses. */
#ifndef NDESWIZ_CLOUDS_H
#define NDESWIZ_CLOUDS_H

#include <stddef.h>

struct cloud {
	char *name;    /* public, gcc-high, dod, china, custom */
	char *title;
	char *login;   /* host or host:port */
	char *graph;
	char *intune;
	char *update;
	char *ca_file; /* NULL or empty: the system store */
};

struct clouds {
	struct cloud *v;
	size_t n;
};

/* path NULL: <assets>/clouds.ini. -1 + "FILE:LINE: ..." on error. */
int clouds_load(struct clouds *, const char *path, char *err, size_t len);
void clouds_free(struct clouds *);
const struct cloud *clouds_find(const struct clouds *, const char *name);

#endif
