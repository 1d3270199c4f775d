/*
 * libcurl through dlopen (see curl-load.h). Every curl_* function the
 * code calls is defined here, with the prototype curl.h declares, and
 * forwards to the one libcurl.so.4 holds: the call sites stay as they
 * were, and curl.h still checks them. The executable does not export
 * these names, so libcurl's own calls never land here.
 */
#include "curl-load.h"
#include "dynload.h"
#include "util.h"

#include <stdarg.h>

#include <curl/curl.h>

/* FN(name): one function of libcurl this program calls. */
#define CURL_FUNCTIONS(FN) \
	FN(curl_global_init) FN(curl_global_cleanup) \
	FN(curl_easy_init) FN(curl_easy_cleanup) FN(curl_easy_setopt) \
	FN(curl_easy_getinfo) FN(curl_easy_strerror) FN(curl_easy_escape) \
	FN(curl_free) FN(curl_getdate) \
	FN(curl_slist_append) FN(curl_slist_free_all) \
	FN(curl_url) FN(curl_url_cleanup) FN(curl_url_set) FN(curl_url_get) \
	FN(curl_multi_init) FN(curl_multi_cleanup) FN(curl_multi_add_handle) \
	FN(curl_multi_remove_handle) FN(curl_multi_perform) \
	FN(curl_multi_poll) FN(curl_multi_info_read)

static struct {
	CURL_FUNCTIONS(DYNLOAD_FIELD)
} fn;

static const struct dynsym syms[] = { CURL_FUNCTIONS(DYNLOAD_SYM) };

static struct dynlib lib = {
	.soname = "libcurl.so.4",
	.label = "libcurl",
	.package = "libcurl4",
	.syms = syms,
	.nsyms = nitems(syms),
};

int
curl_load(const char *what, char *err, size_t len)
{
	return dynlib_load(&lib, what, err, len);
}

/* A call that no curl_load came before (a unit test's parser). */
static void
need(void)
{
	dynlib_need(&lib);
}

/* The names in parentheses: curl.h makes some of them macros. */
CURLcode (curl_global_init)(long flags)
{
	need();
	return fn.curl_global_init(flags);
}

void (curl_global_cleanup)(void)
{
	need();
	fn.curl_global_cleanup();
}

CURL *(curl_easy_init)(void)
{
	need();
	return fn.curl_easy_init();
}

void (curl_easy_cleanup)(CURL *h)
{
	need();
	fn.curl_easy_cleanup(h);
}

/* As libcurl reads it: a long, an object or function pointer, or a
 * curl_off_t, by the option's range. */
CURLcode (curl_easy_setopt)(CURL *h, CURLoption opt, ...)
{
	va_list ap;
	CURLcode rc;

	need();
	va_start(ap, opt);
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = (fn.curl_easy_setopt)(h, opt, va_arg(ap, long));
	else if (opt < CURLOPTTYPE_OFF_T)
		rc = (fn.curl_easy_setopt)(h, opt, va_arg(ap, void *));
	else
		rc = (fn.curl_easy_setopt)(h, opt, va_arg(ap, curl_off_t));
	va_end(ap);
	return rc;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode (curl_easy_getinfo)(CURL *h, CURLINFO info, ...)
{
	va_list ap;
	CURLcode rc;

	need();
	va_start(ap, info);
	rc = (fn.curl_easy_getinfo)(h, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

const char *(curl_easy_strerror)(CURLcode c)
{
	need();
	return fn.curl_easy_strerror(c);
}

char *(curl_easy_escape)(CURL *h, const char *s, int n)
{
	need();
	return fn.curl_easy_escape(h, s, n);
}

void (curl_free)(void *p)
{
	need();
	fn.curl_free(p);
}

time_t (curl_getdate)(const char *p, const time_t *unused)
{
	need();
	return fn.curl_getdate(p, unused);
}

struct curl_slist *(curl_slist_append)(struct curl_slist *l, const char *s)
{
	need();
	return fn.curl_slist_append(l, s);
}

void (curl_slist_free_all)(struct curl_slist *l)
{
	need();
	fn.curl_slist_free_all(l);
}

CURLU *(curl_url)(void)
{
	need();
	return fn.curl_url();
}

void (curl_url_cleanup)(CURLU *u)
{
	need();
	fn.curl_url_cleanup(u);
}

CURLUcode (curl_url_set)(CURLU *u, CURLUPart what, const char *part,
    unsigned int flags)
{
	need();
	return fn.curl_url_set(u, what, part, flags);
}

CURLUcode (curl_url_get)(CURLU *u, CURLUPart what, char **part,
    unsigned int flags)
{
	need();
	return fn.curl_url_get(u, what, part, flags);
}

CURLM *(curl_multi_init)(void)
{
	need();
	return fn.curl_multi_init();
}

CURLMcode (curl_multi_cleanup)(CURLM *m)
{
	need();
	return fn.curl_multi_cleanup(m);
}

CURLMcode (curl_multi_add_handle)(CURLM *m, CURL *h)
{
	need();
	return fn.curl_multi_add_handle(m, h);
}

CURLMcode (curl_multi_remove_handle)(CURLM *m, CURL *h)
{
	need();
	return fn.curl_multi_remove_handle(m, h);
}

CURLMcode (curl_multi_perform)(CURLM *m, int *running)
{
	need();
	return fn.curl_multi_perform(m, running);
}

CURLMcode (curl_multi_poll)(CURLM *m, struct curl_waitfd extra[],
    unsigned int nextra, int timeout_ms, int *numfds)
{
	need();
	return fn.curl_multi_poll(m, extra, nextra, timeout_ms, numfds);
}

CURLMsg *(curl_multi_info_read)(CURLM *m, int *left)
{
	need();
	return fn.curl_multi_info_read(m, left);
}
