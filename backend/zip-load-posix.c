/*
 * libzip through dlopen (see zip-load.h, dynload.h). Every zip_*
 * function zipout-posix.c calls is defined here, with the prototype
 * zip.h declares, and forwards to libzip.so.4. The executable does not
 * export these names, so libzip's own calls never land here.
 */
#include "zip-load.h"
#include "dynload.h"
#include "util.h"

#include <zip.h>

/* FN(name): one function of libzip this program calls. */
#define ZIP_FUNCTIONS(FN) \
	FN(zip_error_init) FN(zip_error_fini) FN(zip_error_strerror) \
	FN(zip_strerror) FN(zip_open_from_source) FN(zip_file_add) \
	FN(zip_close) FN(zip_discard) FN(zip_stat_init) \
	FN(zip_source_buffer) FN(zip_source_buffer_create) \
	FN(zip_source_keep) FN(zip_source_free) FN(zip_source_stat) \
	FN(zip_source_open) FN(zip_source_read) FN(zip_source_close)

static struct {
	ZIP_FUNCTIONS(DYNLOAD_FIELD)
} fn;

static const struct dynsym syms[] = { ZIP_FUNCTIONS(DYNLOAD_SYM) };

static struct dynlib lib = {
	.soname = "libzip.so.4",
	.label = "libzip",
	.package = "libzip4",
	.syms = syms,
	.nsyms = nitems(syms),
};

int
zip_load(const char *what, char *err, size_t len)
{
	return dynlib_load(&lib, what, err, len);
}

DYNLOAD_FORWARD_VOID(zip_error_init, (zip_error_t *ze), (ze))
DYNLOAD_FORWARD_VOID(zip_error_fini, (zip_error_t *ze), (ze))
DYNLOAD_FORWARD(const char *, zip_error_strerror, (zip_error_t *ze), (ze))
DYNLOAD_FORWARD(const char *, zip_strerror, (zip_t *za), (za))
DYNLOAD_FORWARD(zip_t *, zip_open_from_source,
    (zip_source_t *src, int flags, zip_error_t *ze), (src, flags, ze))
DYNLOAD_FORWARD(zip_int64_t, zip_file_add,
    (zip_t *za, const char *name, zip_source_t *src, zip_flags_t flags),
    (za, name, src, flags))
DYNLOAD_FORWARD(int, zip_close, (zip_t *za), (za))
DYNLOAD_FORWARD_VOID(zip_discard, (zip_t *za), (za))
DYNLOAD_FORWARD_VOID(zip_stat_init, (zip_stat_t *st), (st))
DYNLOAD_FORWARD(zip_source_t *, zip_source_buffer,
    (zip_t *za, const void *data, zip_uint64_t len, int freep),
    (za, data, len, freep))
DYNLOAD_FORWARD(zip_source_t *, zip_source_buffer_create,
    (const void *data, zip_uint64_t len, int freep, zip_error_t *ze),
    (data, len, freep, ze))
DYNLOAD_FORWARD_VOID(zip_source_keep, (zip_source_t *src), (src))
DYNLOAD_FORWARD_VOID(zip_source_free, (zip_source_t *src), (src))
DYNLOAD_FORWARD(int, zip_source_stat, (zip_source_t *src, zip_stat_t *st),
    (src, st))
DYNLOAD_FORWARD(int, zip_source_open, (zip_source_t *src), (src))
DYNLOAD_FORWARD(zip_int64_t, zip_source_read,
    (zip_source_t *src, void *buf, zip_uint64_t len), (src, buf, len))
DYNLOAD_FORWARD(int, zip_source_close, (zip_source_t *src), (src))
