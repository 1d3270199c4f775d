/*
 * Zip archives through libzip (Debian's libzip-dev), built in a memory
 * source and written with file_write_atomic, so a bundle is either whole
 * or not there.
 */
#include "zipout.h"
#include "util.h"
#include "zip-load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

int
zipout_available(void)
{
	return 1;
}

/* The finished archive's bytes out of its memory source. */
static int
source_bytes(zip_source_t *src, char **out, size_t *n)
{
	zip_stat_t st;
	zip_int64_t got;

	zip_stat_init(&st);
	if (zip_source_stat(src, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    zip_source_open(src) != 0)
		return -1;
	*out = xmalloc(st.size ? st.size : 1);
	got = zip_source_read(src, *out, st.size);
	zip_source_close(src);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		free(*out);
		return -1;
	}
	*n = (size_t)st.size;
	return 0;
}

int
zipout_write(const char *path, const struct zip_member *m, size_t n,
    char *err, size_t len)
{
	zip_error_t ze;
	zip_source_t *src, *part;
	zip_t *za;
	char *bytes = NULL;
	size_t nbytes = 0;
	int rc = -1;

	if (zip_load("writing a zip", err, len) != 0)
		return -1;
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL ||
	    (zip_source_keep(src), (za = zip_open_from_source(src,
	    ZIP_TRUNCATE, &ze)) == NULL)) {
		snprintf(err, len, "cannot start a zip: %s",
		    zip_error_strerror(&ze));
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&ze);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		part = zip_source_buffer(za, m[i].data, m[i].len, 0);
		if (part == NULL || zip_file_add(za, m[i].name, part,
		    ZIP_FL_ENC_UTF_8) < 0) {
			snprintf(err, len, "%s: %s", m[i].name,
			    zip_strerror(za));
			zip_source_free(part);
			zip_discard(za);
			goto out;
		}
	}
	if (zip_close(za) != 0) {
		snprintf(err, len, "cannot finish the zip: %s",
		    zip_strerror(za));
		zip_discard(za);
		goto out;
	}
	if (source_bytes(src, &bytes, &nbytes) != 0)
		snprintf(err, len, "cannot read the zip back from memory");
	else if (file_write_atomic(path, bytes, nbytes, 0600) != 0)
		snprintf(err, len, "%s: %s", path, strerror(errno));
	else
		rc = 0;
out:
	free(bytes);
	zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}
