/* Small helpers every layer uses: memory, strings, files. */
#ifndef NDESWIZ_UTIL_H
#define NDESWIZ_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__MINGW32__)
/* MinGW's "printf" is MSVCRT's, which knows no %zu; ours is C99's. */
#define PRINTFLIKE(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__)
#define PRINTFLIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTFLIKE(f, a)
#endif

/* Allocation failure is not recoverable in a CLI tool: these abort. */
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) PRINTFLIKE(1, 2);
char *xvasprintf(const char *, va_list);

/* A growable string. */
struct buf {
	char *p;
	size_t len, cap;
};
void buf_add(struct buf *, const void *, size_t);
void buf_adds(struct buf *, const char *);
void buf_addf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
void buf_addc(struct buf *, char);
char *buf_steal(struct buf *); /* NUL-terminated; buf is reset */
void buf_free(struct buf *);

/* String helpers. */
char *str_trim(char *);            /* in place, returns start */
int str_eq(const char *, const char *); /* NULL-safe */
int str_ieq(const char *, const char *);
int str_has_prefix(const char *, const char *);
int str_has_space(const char *);
/* Split a comma-separated list; trims items, drops empty ones. */
char **str_split_list(const char *, size_t *n);
/* The same with any of seps between items. */
char **str_split_any(const char *, const char *seps, size_t *n);
void str_list_free(char **, size_t);
/* A file or folder name of letters, digits, '-', '_' and '.', not
 * starting with '.': no path, no "..", nothing hidden. NULL-safe. */
int str_plain_name(const char *);
/* Parse a decimal integer in [min, max]; 0 on success. */
int str_to_long(const char *, long long min, long long max, long long *out);

/*
 * Files. file_read refuses anything that is not a regular file and anything
 * over max bytes, so a stray directory or a huge file gives a clean error.
 * Returns 0, or -1 with errno set (EISDIR, EFBIG, ...).
 */
int file_read(const char *path, size_t max, char **data, size_t *len);
/* Temporary files of file_write_atomic start with this. */
#define TEMP_PREFIX ".ndeswiz-tmp-"
/*
 * Write a whole file atomically: temp file in the same folder, fsync,
 * rename over the target, fsync the folder. On any failure the old file
 * is untouched and the temp file is removed. Returns 0 or -1 (errno).
 */
int file_write_atomic(const char *path, const void *, size_t, mode_t);
/*
 * Files under a folder held by its handle dfd (a target): rel is
 * "a/b/name", opened one component at a time relative to dfd, never
 * following a symlink (errno ELOOP) and never blocking on a FIFO; a
 * file that is not regular is refused (EINVAL; EISDIR for a folder).
 * dir_open_at: the folder rel ("" for dfd itself) as a new handle,
 * making missing folders (mode) when create. file_write_atomic_at makes
 * rel's folders (dirmode) and writes as file_write_atomic. file_remove_at
 * removes a regular file, or an empty folder when folder.
 */
int dir_open_at(int dfd, const char *rel, int create, mode_t mode);
int file_read_at(int dfd, const char *rel, size_t max, char **data,
    size_t *len);
int file_write_atomic_at(int dfd, const char *rel, const void *, size_t,
    mode_t mode, mode_t dirmode);
int file_remove_at(int dfd, const char *rel, int folder);
/*
 * file_write_atomic_at in parts, for writing several files as one:
 * file_stage_fill_at writes rel's new bytes to a temporary file beside it
 * (making rel's folders) by fill(fd, ctx) (0, or -1 with errno: bytes held
 * whole with fd_fill_bytes, or a file made as it is written; either
 * starts the writeback of what it wrote, writeback.h), and gives its name
 * (*tmp, relative to dfd; caller frees);
 * file_stage_sync_at makes it durable (fsync), once all are written;
 * file_stage_rename_at puts it in place of rel (a rel that is not a
 * regular file is refused), without the folder's fsync: dir_sync_at
 * fsyncs a folder once, after all its renames. A staged file not renamed
 * is removed with file_remove_at.
 */
int file_stage_fill_at(int dfd, const char *rel, int (*fill)(int, void *),
    void *ctx, mode_t mode, mode_t dirmode, char **tmp);
int file_stage_sync_at(int dfd, const char *tmp);
int file_stage_rename_at(int dfd, const char *tmp, const char *rel);
/* write(2) until all of data is written (EINTR retried); 0 or -1. */
int fd_write_all(int fd, const void *data, size_t n);
/* Bytes given whole, and the filler (file_stage_fill_at) that writes
 * them and starts their writeback: fd_fill_bytes(fd, &(struct fd_bytes){
 * data, n }). */
struct fd_bytes {
	const void *data;
	size_t n;
};
int fd_fill_bytes(int fd, void *bytes);
int dir_sync_at(int dfd, const char *rel);
int file_exists(const char *path);
int dir_exists(const char *path);
/* A folder with no entries at all (not even hidden ones). */
int dir_is_empty(const char *path);
int mkdir_p(const char *path, mode_t);
char *path_join(const char *, const char *);

#endif
