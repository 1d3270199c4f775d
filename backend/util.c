#include "util.h"
#include "writeback.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
oom(void)
{
	static const char msg[] = "ndeswiz: out of memory\n";

	(void)!write(STDERR_FILENO, msg, sizeof msg - 1);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom();
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *p;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		oom();
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	buf_adds(b, s);
	free(s);
}

char *
buf_steal(struct buf *b)
{
	char *p = b->p ? b->p : xstrdup("");

	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

char *
str_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
str_ieq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcasecmp(a, b) == 0;
}

int
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
str_has_space(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s))
			return 1;
	return 0;
}

char **
str_split_list(const char *s, size_t *n)
{
	return str_split_any(s, ",", n);
}

char **
str_split_any(const char *s, const char *seps, size_t *n)
{
	char **v = NULL;
	char *copy = xstrdup(s), *p = copy, *item;

	*n = 0;
	while ((item = strsep(&p, seps)) != NULL) {
		item = str_trim(item);
		if (*item == '\0')
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(item);
	}
	free(copy);
	return v;
}

void
str_list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
str_to_long(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Room for more at the end of b (a file that grew since its fstat). */
static void
file_buf_grow(struct buf *b)
{
	b->cap = b->cap < 65536 ? 65536 : 2 * b->cap;
	b->p = xrealloc(b->p, b->cap);
}

/* Non-blocking open: a FIFO or a device opens at once and fails the
 * regular-file test below, instead of waiting for a writer forever. */
static int
read_fd(int dfd, const char *path, int flags, size_t max, char **data,
    size_t *len)
{
	struct stat st;
	struct buf b = {0};
	ssize_t n;
	int fd, saved;

	fd = openat(dfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | flags);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((uintmax_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	/* Straight into a buffer of the file's size (one byte more, to see
	 * the end at once): a big file is copied once, not regrown. */
	b.cap = (size_t)st.st_size + 2;
	b.p = xmalloc(b.cap);
	for (;;) {
		if (b.len + 1 == b.cap)
			file_buf_grow(&b);
		n = read(fd, b.p + b.len, b.cap - 1 - b.len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			errno = EFBIG;
			goto fail;
		}
		b.len += (size_t)n;
	}
	b.p[b.len] = '\0';
	close(fd);
	*len = b.len;
	*data = buf_steal(&b);
	return 0;
fail:
	saved = errno;
	close(fd);
	buf_free(&b);
	errno = saved;
	return -1;
}

int
file_read(const char *path, size_t max, char **data, size_t *len)
{
	return read_fd(AT_FDCWD, path, 0, max, data, len);
}

int
fd_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A regular file, or nothing, at base: else errno says what is there. */
static int
regular_or_absent(int pfd, const char *base)
{
	struct stat st;

	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISREG(st.st_mode)) {
		errno = S_ISLNK(st.st_mode) ? ELOOP : S_ISDIR(st.st_mode) ?
		    EISDIR : EINVAL;
		return -1;
	}
	return 0;
}

int
fd_fill_bytes(int fd, void *bytes)
{
	const struct fd_bytes *b = bytes;

	if (fd_write_all(fd, b->data, b->n) != 0)
		return -1;
	writeback_start(fd, 0, b->n);
	return 0;
}

/*
 * The first half of an atomic write of base in the folder pfd: a
 * temporary file beside it, under a name the dir driver sweeps at open (a
 * run killed mid-write leaves nothing that stays), written by fill; *tmp:
 * its name. strict: base must be a regular file when it exists (a
 * target's files). durable: fsynced; else the caller fsyncs it later,
 * with the other files of its batch (fill has started the writeback of
 * what it wrote), once they all are on their way to the disk.
 */
static int
stage_in(int pfd, const char *base, int (*fill)(int, void *), void *ctx,
    mode_t mode, int strict, int durable, char **tmp)
{
	static unsigned seq;
	int fd = -1, saved;

	*tmp = NULL;
	if (strict && regular_or_absent(pfd, base) != 0)
		return -1;
	/* mkstemp's job, in a folder we hold by its handle. */
	for (int tries = 0; fd == -1 && tries < 100; tries++) {
		free(*tmp);
		*tmp = xasprintf(TEMP_PREFIX "%s.%lx%04x", base,
		    (unsigned long)getpid(), seq++ & 0xffff);
		fd = openat(pfd, *tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1 && errno != EEXIST)
			goto fail;
	}
	if (fd == -1)
		goto fail;
	if (fchmod(fd, mode) == -1 || fill(fd, ctx) == -1 ||
	    (durable && fsync(fd) == -1))
		goto fail_unlink;
	if (close(fd) == -1) {
		fd = -1;
		goto fail_unlink;
	}
	return 0;
fail_unlink:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlinkat(pfd, *tmp, 0);
	errno = saved;
fail:
	saved = errno;
	free(*tmp);
	*tmp = NULL;
	errno = saved;
	return -1;
}

/* Does base, a regular file of the folder pfd, hold exactly data, with
 * mode? */
static int
holds(int pfd, const char *base, const void *data, size_t n, mode_t mode)
{
	struct stat st;
	char *have;
	size_t len;
	int same;

	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISREG(st.st_mode) || (st.st_mode & 07777) != mode ||
	    (uintmax_t)st.st_size != (uintmax_t)n ||
	    read_fd(pfd, base, O_NOFOLLOW, n, &have, &len) != 0)
		return 0;
	same = len == n && memcmp(have, data, n) == 0;
	free(have);
	return same;
}

/* Write base in the folder pfd atomically: stage_in, rename over base,
 * fsync the folder. A file that holds the bytes already is left as it is:
 * an apply that changes nothing rewrote its answers with two fsyncs. */
static int
write_in(int pfd, const char *base, const void *data, size_t n, mode_t mode,
    int strict)
{
	struct fd_bytes b = { data, n };
	char *tmp;
	int saved;

	if (holds(pfd, base, data, n, mode))
		return 0;
	if (stage_in(pfd, base, fd_fill_bytes, &b, mode, strict, 1, &tmp) != 0)
		return -1;
	if (renameat(pfd, tmp, pfd, base) == -1) {
		saved = errno;
		unlinkat(pfd, tmp, 0);
		free(tmp);
		errno = saved;
		return -1;
	}
	fsync(pfd);
	free(tmp);
	return 0;
}

int
file_write_atomic(const char *path, const void *data, size_t n, mode_t mode)
{
	const char *slash = strrchr(path, '/'), *bs = strrchr(path, '\\');
	char *dir;
	int pfd, rc, saved;

	if (bs != NULL && (slash == NULL || bs > slash))
		slash = bs;
	dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") :
	    xstrndup(path, (size_t)(slash - path));
	pfd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (pfd == -1)
		return -1;
	rc = write_in(pfd, slash ? slash + 1 : path, data, n, mode, 0);
	saved = errno;
	close(pfd);
	errno = saved;
	return rc;
}

int
dir_open_at(int dfd, const char *rel, int create, mode_t mode)
{
	char *p = xstrdup(rel ? rel : ""), *s = p, *c;
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), next;
	int saved;

	while (fd != -1 && (c = strsep(&s, "/")) != NULL) {
		if (*c == '\0')
			continue;
		next = -1;
		if (!create || mkdirat(fd, c, mode) == 0 || errno == EEXIST)
			next = openat(fd, c, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		saved = errno;
		close(fd);
		errno = saved;
		fd = next;
	}
	free(p);
	return fd;
}

/* The folder part of rel, held (dir_open_at); *base: the last part. */
static int
parent_at(int dfd, const char *rel, int create, mode_t mode,
    const char **base)
{
	const char *slash = strrchr(rel, '/');
	char *dir = xstrndup(rel, slash ? (size_t)(slash - rel) : 0);
	int fd = dir_open_at(dfd, dir, create, mode);

	free(dir);
	*base = slash ? slash + 1 : rel;
	return fd;
}

/* rc with errno kept across closing fd. */
static int
close_keep(int fd, int rc)
{
	int saved = errno;

	if (fd != -1)
		close(fd);
	errno = saved;
	return rc;
}

int
file_read_at(int dfd, const char *rel, size_t max, char **data, size_t *len)
{
	const char *base;
	int pfd = parent_at(dfd, rel, 0, 0, &base);

	if (pfd == -1)
		return -1;
	return close_keep(pfd, read_fd(pfd, base, O_NOFOLLOW, max, data,
	    len));
}

int
file_write_atomic_at(int dfd, const char *rel, const void *data, size_t n,
    mode_t mode, mode_t dirmode)
{
	const char *base;
	int pfd = parent_at(dfd, rel, 1, dirmode, &base);

	if (pfd == -1)
		return -1;
	return close_keep(pfd, write_in(pfd, base, data, n, mode, 1));
}

int
file_stage_fill_at(int dfd, const char *rel, int (*fill)(int, void *),
    void *ctx, mode_t mode, mode_t dirmode, char **tmp)
{
	const char *base, *slash = strrchr(rel, '/');
	int pfd = parent_at(dfd, rel, 1, dirmode, &base), rc;
	char *name;

	*tmp = NULL;
	if (pfd == -1)
		return -1;
	rc = close_keep(pfd, stage_in(pfd, base, fill, ctx, mode, 1, 0, &name));
	if (rc == 0) {
		*tmp = xasprintf("%.*s%s", slash ? (int)(slash - rel + 1) : 0,
		    rel, name);
		free(name);
	}
	return rc;
}

int
file_stage_sync_at(int dfd, const char *tmp)
{
	const char *base;
	int pfd = parent_at(dfd, tmp, 0, 0, &base), fd;

	if (pfd == -1)
		return -1;
	/* Written for Windows' sake, where a flush needs a handle that may
	 * write. */
	fd = openat(pfd, base, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return close_keep(pfd, -1);
	return close_keep(pfd, close_keep(fd, fsync(fd)));
}

int
file_stage_rename_at(int dfd, const char *tmp, const char *rel)
{
	const char *base, *tbase = strrchr(tmp, '/');
	int pfd = parent_at(dfd, rel, 0, 0, &base), rc = -1;

	if (pfd == -1)
		return -1;
	/* Planted since it was staged: refused all the same. */
	if (regular_or_absent(pfd, base) == 0)
		rc = renameat(pfd, tbase ? tbase + 1 : tmp, pfd, base);
	return close_keep(pfd, rc);
}

int
dir_sync_at(int dfd, const char *rel)
{
	int fd = dir_open_at(dfd, rel, 0, 0);

	if (fd == -1)
		return -1;
	return close_keep(fd, fsync(fd));
}

int
file_remove_at(int dfd, const char *rel, int folder)
{
	const char *base;
	struct stat st;
	int pfd = parent_at(dfd, rel, 0, 0, &base), rc = -1;

	if (pfd == -1)
		return -1;
	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (folder ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode))
			rc = unlinkat(pfd, base, folder ? AT_REMOVEDIR : 0);
		else
			errno = S_ISLNK(st.st_mode) ? ELOOP : folder ?
			    ENOTDIR : EINVAL;
	}
	return close_keep(pfd, rc);
}

int
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int
dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
dir_is_empty(const char *path)
{
	DIR *dp = opendir(path);
	struct dirent *de;
	int empty = 1;

	if (dp == NULL)
		return 0;
	while (empty && (de = readdir(dp)) != NULL)
		empty = strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0;
	closedir(dp);
	return empty;
}

int
mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) == -1 && errno != EEXIST)
			rc = -1;
		*s = '/';
		if (rc)
			break;
	}
	if (rc == 0 && mkdir(p, mode) == -1 && errno != EEXIST)
		rc = -1;
	if (rc == 0 && !dir_exists(p)) {
		errno = ENOTDIR;
		rc = -1;
	}
	free(p);
	return rc;
}

char *
path_join(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n > 0 && a[n - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

int
str_plain_name(const char *s)
{
	if (s == NULL || *s == '\0' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' &&
		    *s != '.')
			return 0;
	return 1;
}
