/*
 * The evidence bundle `ndeswiz collect` writes: its members, the answers
 * with every secret left a reference, and the manifest of names, sizes
 * and SHA-256 hashes.
 */
#ifndef NDESWIZ_BUNDLE_H
#define NDESWIZ_BUNDLE_H

#include <stddef.h>

#include "zipout.h"

struct bundle {
	struct zip_member *v;
	size_t n;
};

/* Add a member; the bundle owns data (len bytes) from now on. */
void bundle_add(struct bundle *, const char *name, char *data, size_t len);
/* Add manifest.json: every member so far, with size and SHA-256. */
void bundle_add_manifest(struct bundle *);
void bundle_free(struct bundle *);

/* An answer file's text with anything that may be a secret redacted:
 * a secret field keeps only an env:, file: or prompt reference, and any
 * key whose name says password, secret, token or passphrase likewise.
 * Caller frees. */
char *bundle_redact_answers(const char *text);

#endif
