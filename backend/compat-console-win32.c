/*
 * stdout and stderr on the console, in UTF-16 (see compat.h). Anything
 * else, and the console's own streams when redirected, goes to the C
 * runtime's calls unchanged.
 */
#include "compat.h"

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include "util.h"

#undef printf
#undef fprintf
#undef vfprintf
#undef fputs
#undef fputc
#undef fwrite

#define CHUNK 4096	/* UTF-16 units per WriteConsoleW */

/* The bytes of a UTF-8 sequence a write left unfinished, per stream:
 * fputc sends a character a byte at a time. */
static struct pending {
	char b[4];
	size_t n;
} pending[2];
static SRWLOCK console_lock = SRWLOCK_INIT;

/* fp's console, or NULL when fp is not stdout or stderr on one. */
static HANDLE
console_of_stream(FILE *fp)
{
	HANDLE h;
	DWORD mode;

	if (fp != stdout && fp != stderr)
		return NULL;
	h = (HANDLE)_get_osfhandle(_fileno(fp));
	return h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode) ? h :
	    NULL;
}

/* How many bytes at the end of s[0..n) start a sequence not yet whole. */
static size_t
unfinished(const char *s, size_t n)
{
	for (size_t i = 1; i <= 3 && i <= n; i++) {
		unsigned char c = (unsigned char)s[n - i];

		if ((c & 0xc0) == 0x80)
			continue;
		if (c < 0xc0)
			return 0;
		return (size_t)(c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) > i ? i : 0;
	}
	return 0;
}

static void
write_wide(HANDLE h, const wchar_t *w, size_t n)
{
	DWORD put;

	while (n > 0) {
		DWORD k = n > CHUNK ? CHUNK : (DWORD)n;

		/* Never half a surrogate pair. */
		if (k < n && w[k - 1] >= 0xd800 && w[k - 1] <= 0xdbff)
			k--;
		if (!WriteConsoleW(h, w, k, &put, NULL) || put == 0)
			return;
		w += put;
		n -= put;
	}
}

static void
console_put(FILE *fp, HANDLE h, const char *s, size_t n)
{
	struct pending *p;
	size_t total, keep;
	char *buf;

	fflush(fp);	/* what the C runtime holds goes first */
	AcquireSRWLockExclusive(&console_lock);
	p = &pending[fp == stderr];
	total = p->n + n;
	buf = xmalloc(total + 1);
	memcpy(buf, p->b, p->n);
	memcpy(buf + p->n, s, n);
	keep = unfinished(buf, total);
	memcpy(p->b, buf + total - keep, keep);
	p->n = keep;
	buf[total - keep] = '\0';
	if (total > keep) {
		wchar_t *w = compat_wide(buf);

		write_wide(h, w, wcslen(w));
		free(w);
	}
	ReleaseSRWLockExclusive(&console_lock);
	free(buf);
}

int
compat_vfprintf(FILE *fp, const char *fmt, va_list ap)
{
	HANDLE h = console_of_stream(fp);
	char *s;
	int n;

	if (h == NULL)
		return vfprintf(fp, fmt, ap);
	s = xvasprintf(fmt, ap);
	n = (int)strlen(s);
	console_put(fp, h, s, (size_t)n);
	free(s);
	return n;
}

int
compat_fprintf(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = compat_vfprintf(fp, fmt, ap);
	va_end(ap);
	return n;
}

int
compat_fputs(const char *s, FILE *fp)
{
	HANDLE h = console_of_stream(fp);

	if (h == NULL)
		return fputs(s, fp);
	console_put(fp, h, s, strlen(s));
	return 0;
}

int
compat_fputc(int c, FILE *fp)
{
	HANDLE h = console_of_stream(fp);
	char b = (char)c;

	if (h == NULL)
		return fputc(c, fp);
	console_put(fp, h, &b, 1);
	return (unsigned char)c;
}

size_t
compat_fwrite(const void *p, size_t size, size_t n, FILE *fp)
{
	HANDLE h = console_of_stream(fp);

	if (h == NULL)
		return fwrite(p, size, n, fp);
	if (size != 0 && n != 0)
		console_put(fp, h, p, size * n);
	return n;
}
