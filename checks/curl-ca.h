/*
 * The CA file curl verifies against (CURLOPT_CAINFO). The Windows build's
 * curl (Schannel) opens that file with the ANSI CreateFileA, which cannot
 * name a path outside the code page (C:\Données\ca.pem): there the file
 * is read here, by its UTF-8 path, and handed to curl as a blob.
 */
#ifndef NDESWIZ_CURL_CA_H
#define NDESWIZ_CURL_CA_H

#include <curl/curl.h>

#ifdef _WIN32
void curl_ca_file(CURL *h, const char *path);
#else
static inline void
curl_ca_file(CURL *h, const char *path)
{
	curl_easy_setopt(h, CURLOPT_CAINFO, path);
}
#endif

#endif
