/* The CA file as a blob, read by its UTF-8 path (see curl-ca.h). */
#include "curl-ca.h"
#include "util.h"

#include <stdlib.h>

#define CA_FILE_MAX (16 * 1024 * 1024)

void
curl_ca_file(CURL *h, const char *path)
{
	struct curl_blob b;
	char *data;
	size_t n;

	/* Unreadable: curl tries it and says why, as it would have. */
	if (file_read(path, CA_FILE_MAX, &data, &n) != 0) {
		curl_easy_setopt(h, CURLOPT_CAINFO, path);
		return;
	}
	b = (struct curl_blob){ .data = data, .len = n,
	    .flags = CURL_BLOB_COPY };
	curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &b);
	free(data);
}
