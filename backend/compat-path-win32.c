/*
 * The C runtime's narrow path calls, environment and command line, in
 * UTF-8 (see compat.h): MSVCRT reads a char path in the ANSI code page,
 * so each call here converts to UTF-16 and makes the _w twin.
 */
#include "compat.h"

#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <shellapi.h>

#include <errno.h>
#include <stdarg.h>

#include "util.h"

/* One wide path in, the _w call's result out. */
#define WIDE_CALL(type, call, path)					\
	do {								\
		wchar_t *w_ = compat_wide(path);			\
		type r_ = call;						\
		int e_ = errno;						\
									\
		free(w_);						\
		errno = e_;						\
		return r_;						\
	} while (0)

int
compat_open(const char *path, int flags, ...)
{
	int mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	WIDE_CALL(int, _wopen(w_, flags, mode), path);
}

FILE *
compat_fopen(const char *path, const char *mode)
{
	wchar_t *wp = compat_wide(path), *wm = compat_wide(mode);
	FILE *fp = _wfopen(wp, wm);
	int e = errno;

	free(wp);
	free(wm);
	errno = e;
	return fp;
}

/* struct stat is MSVCRT's 32-bit-size one: fill it from the 64-bit call,
 * and refuse what it cannot hold. */
int
compat_stat(const char *path, struct stat *st)
{
	struct _stat64 s;
	wchar_t *w = compat_wide(path);
	int rc = _wstat64(w, &s), e = errno;

	free(w);
	errno = e;
	if (rc != 0)
		return rc;
	if (s.st_size > (__int64)0x7fffffff) {
		errno = EOVERFLOW;
		return -1;
	}
	memset(st, 0, sizeof *st);
	st->st_dev = s.st_dev;
	st->st_ino = s.st_ino;
	st->st_mode = s.st_mode;
	st->st_nlink = s.st_nlink;
	st->st_uid = s.st_uid;
	st->st_gid = s.st_gid;
	st->st_rdev = s.st_rdev;
	st->st_size = (_off_t)s.st_size;
	st->st_atime = s.st_atime;
	st->st_mtime = s.st_mtime;
	st->st_ctime = s.st_ctime;
	return 0;
}

int
compat_access(const char *path, int mode)
{
	WIDE_CALL(int, _waccess(w_, mode), path);
}

int
compat_chmod(const char *path, int mode)
{
	WIDE_CALL(int, _wchmod(w_, mode), path);
}

int
compat_remove(const char *path)
{
	WIDE_CALL(int, _wremove(w_), path);
}

int
compat_unlink(const char *path)
{
	WIDE_CALL(int, _wunlink(w_), path);
}

int
compat_rmdir(const char *path)
{
	WIDE_CALL(int, _wrmdir(w_), path);
}

/* ---- folders ------------------------------------------------------------ */

struct compat_dir {
	_WDIR *w;
	struct compat_dirent e;
};

compat_DIR *
compat_opendir(const char *path)
{
	compat_DIR *d = xcalloc(1, sizeof *d);
	wchar_t *w = compat_wide(path);
	int e;

	d->w = _wopendir(w);
	e = errno;
	free(w);
	if (d->w == NULL) {
		free(d);
		errno = e;
		return NULL;
	}
	return d;
}

/* A name too long for d_name (it cannot be: MAX_PATH UTF-16 units) is
 * skipped rather than cut to another file's name. */
struct compat_dirent *
compat_readdir(compat_DIR *d)
{
	struct _wdirent *we;

	while ((we = _wreaddir(d->w)) != NULL) {
		int n = WideCharToMultiByte(CP_UTF8, 0, we->d_name, -1,
		    d->e.d_name, (int)sizeof d->e.d_name, NULL, NULL);

		if (n > 0)
			return &d->e;
	}
	return NULL;
}

int
compat_closedir(compat_DIR *d)
{
	int rc = _wclosedir(d->w);

	free(d);
	return rc;
}

/* ---- environment and command line --------------------------------------- */

/* What getenv gave out, kept while the value stays the same; an old value
 * is kept too (a caller may still hold it): the environment changes a
 * handful of times in a run, at most. */
static struct envval {
	char *name, *value;
	struct envval *next;
} *envvals;
static SRWLOCK envlock = SRWLOCK_INIT;

static char *
env_read(const wchar_t *name)
{
	DWORD n = GetEnvironmentVariableW(name, NULL, 0), got;
	wchar_t *v;
	char *s;

	if (n == 0)
		return NULL;
	v = xcalloc(n, sizeof *v);
	got = GetEnvironmentVariableW(name, v, n);
	s = got < n ? compat_narrow(v, (int)got) : NULL;
	free(v);
	return s;
}

char *
compat_getenv(const char *name)
{
	wchar_t *w = compat_wide(name);
	char *now = env_read(w), *ret = NULL;
	struct envval *e;

	free(w);
	if (now == NULL)
		return NULL;
	AcquireSRWLockExclusive(&envlock);
	for (e = envvals; e != NULL && ret == NULL; e = e->next)
		if (strcmp(e->name, name) == 0 && strcmp(e->value, now) == 0)
			ret = e->value;
	if (ret == NULL) {
		e = xcalloc(1, sizeof *e);
		*e = (struct envval){ xstrdup(name), now, envvals };
		envvals = e;
		ret = now;
		now = NULL;
	}
	ReleaseSRWLockExclusive(&envlock);
	free(now);
	return ret;
}

/* main's argv as the C runtime made it is in the ANSI code page: make it
 * again from the UTF-16 command line. Kept for the run, as argv is. */
void
compat_utf8_args(int *argc, char ***argv)
{
	int n;
	wchar_t **wv = CommandLineToArgvW(GetCommandLineW(), &n);
	char **v;

	if (wv == NULL)
		return;
	v = xcalloc((size_t)n + 1, sizeof *v);
	for (int i = 0; i < n; i++)
		v[i] = compat_narrow(wv[i], -1);
	LocalFree(wv);
	*argc = n;
	*argv = v;
}
