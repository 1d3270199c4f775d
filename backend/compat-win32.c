/*
 * Windows implementations of the POSIX calls compat.h maps. Each does
 * what our code needs of the POSIX call, no more; see compat.h for the
 * mapping and why.
 */
#include "compat.h"

/* Without winsock.h, whose gethostname compat.h renames. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <aclapi.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>

#include "util.h"

/* ---- UTF-8 inside, UTF-16 at the API (see compat.h) -------------------- */

wchar_t *
compat_wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	wchar_t *w = xcalloc((size_t)(n > 0 ? n : 1), sizeof *w);

	if (n > 0)
		MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
	return w;
}

char *
compat_narrow(const wchar_t *w, int n)
{
	int len = WideCharToMultiByte(CP_UTF8, 0, w, n, NULL, 0, NULL, NULL);
	char *s = xcalloc((size_t)(len > 0 ? len : 0) + 1, 1);

	if (len > 0)
		WideCharToMultiByte(CP_UTF8, 0, w, n, s, len, NULL, NULL);
	return s;
}

int
compat_mkdir(const char *path, int mode)
{
	wchar_t *w = compat_wide(path);
	DWORD a;
	int rc;

	(void)mode;
	if ((rc = _wmkdir(w)) != 0) {
		/* "C:" fails with EACCES; mkdir_p needs EEXIST for what is
		 * there. */
		a = GetFileAttributesW(w);
		if (a != INVALID_FILE_ATTRIBUTES &&
		    (a & FILE_ATTRIBUTE_DIRECTORY))
			errno = EEXIST;
	}
	free(w);
	return rc;
}

int
compat_fchmod(int fd, int mode)
{
	(void)fd;
	(void)mode;
	return 0;
}

/* GetLastError() to errno, for the messages that print strerror. */
static const struct {
	DWORD win;
	int err;
} errmap[] = {
	{ ERROR_FILE_NOT_FOUND, ENOENT },
	{ ERROR_PATH_NOT_FOUND, ENOENT },
	{ ERROR_ACCESS_DENIED, EACCES },
	{ ERROR_SHARING_VIOLATION, EACCES },
	{ ERROR_LOCK_VIOLATION, EACCES },
	{ ERROR_ALREADY_EXISTS, EEXIST },
	{ ERROR_FILE_EXISTS, EEXIST },
	{ ERROR_DISK_FULL, ENOSPC },
	{ ERROR_NOT_SAME_DEVICE, EXDEV },
	{ ERROR_INVALID_NAME, EINVAL },
};

static int
set_errno(void)
{
	DWORD e = GetLastError();

	errno = EIO;
	for (size_t i = 0; i < sizeof errmap / sizeof errmap[0]; i++)
		if (errmap[i].win == e)
			errno = errmap[i].err;
	return -1;
}

int
compat_rename(const char *from, const char *to)
{
	wchar_t *wf = compat_wide(from), *wt = compat_wide(to);
	int rc = 0;

	if (!MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING |
	    MOVEFILE_WRITE_THROUGH))
		rc = set_errno();
	free(wf);
	free(wt);
	return rc;
}

/* MSVCRT has no pread. Our one caller (journal.c) reads the last byte
 * of a file only it uses, in one thread: seek there and back. */
ssize_t
compat_pread(int fd, void *buf, size_t n, off_t off)
{
	off_t saved = lseek(fd, 0, SEEK_CUR);
	int got;

	if (saved == -1 || lseek(fd, off, SEEK_SET) == -1)
		return -1;
	got = _read(fd, buf, n > INT_MAX ? INT_MAX : (unsigned)n);
	lseek(fd, saved, SEEK_SET);
	return got;
}

ssize_t
compat_readlink(const char *path, char *buf, size_t n)
{
	wchar_t w[32768];
	DWORD got;
	char *u;

	if (strcmp(path, "/proc/self/exe") != 0 || n == 0) {
		errno = EINVAL;
		return -1;
	}
	got = GetModuleFileNameW(NULL, w, sizeof w / sizeof w[0]);
	if (got == 0 || got >= sizeof w / sizeof w[0]) {
		errno = ENAMETOOLONG;
		return -1;
	}
	u = compat_narrow(w, (int)got);
	got = (DWORD)strlen(u);
	if (got >= n) {
		free(u);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, u, got);
	free(u);
	/* Our callers split paths at '/'. */
	for (DWORD i = 0; i < got; i++)
		if (buf[i] == '\\')
			buf[i] = '/';
	return (ssize_t)got;
}

int
compat_kill(int pid, int sig)
{
	if (pid != getpid() || sig != SIGKILL) {
		errno = EINVAL;
		return -1;
	}
	/* 137 is what a shell reports for SIGKILL. */
	TerminateProcess(GetCurrentProcess(), 128 + SIGKILL);
	return 0;
}

/* A new folder of a unique name; mkstemp's XXXXXX rules. */
char *
compat_mkdtemp(char *tmpl)
{
	size_t n = strlen(tmpl);
	char *x = tmpl + n - 6;

	if (n < 6 || strcmp(x, "XXXXXX") != 0) {
		errno = EINVAL;
		return NULL;
	}
	for (int tries = 0; tries < 100; tries++) {
		unsigned long long r = GetTickCount64() ^
		    ((unsigned long long)GetCurrentProcessId() << 20) ^
		    (unsigned long long)tries * 2654435761u;

		for (int i = 0; i < 6; i++, r /= 36)
			x[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[r % 36];
		if (compat_mkdir(tmpl, 0700) == 0)
			return tmpl;
		if (errno != EEXIST)
			return NULL;
	}
	return NULL;
}

char *
compat_realpath(const char *path, char *resolved)
{
	wchar_t *w = compat_wide(path), *wfull = _wfullpath(NULL, w, 0);
	char *full = NULL;

	free(w);
	if (wfull == NULL)
		return NULL;
	if (GetFileAttributesW(wfull) == INVALID_FILE_ATTRIBUTES)
		errno = ENOENT;
	else
		full = compat_narrow(wfull, -1);
	free(wfull);
	if (full == NULL)
		return NULL;
	for (char *p = full; *p; p++)
		if (*p == '\\')
			*p = '/';
	if (resolved == NULL)
		return full;
	if (strlen(full) >= PATH_MAX) {
		free(full);
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(resolved, full);
	free(full);
	return resolved;
}

/* The memory streams open now: few, short-lived. */
static struct memstream {
	FILE *fp;
	char **ptr;
	size_t *size;
} memstreams[16];

FILE *
compat_open_memstream(char **ptr, size_t *size)
{
	wchar_t dir[MAX_PATH], path[MAX_PATH];
	FILE *fp;

	for (size_t i = 0; i < sizeof memstreams / sizeof memstreams[0];
	    i++) {
		if (memstreams[i].fp != NULL)
			continue;
		if (GetTempPathW(MAX_PATH, dir) == 0 ||
		    GetTempFileNameW(dir, L"nw", 0, path) == 0)
			return NULL;
		/* D: deleted when closed; T: kept in memory if it can be. */
		if ((fp = _wfopen(path, L"w+bDT")) == NULL)
			return NULL;
		memstreams[i] = (struct memstream){ fp, ptr, size };
		*ptr = NULL;
		*size = 0;
		return fp;
	}
	errno = EMFILE;
	return NULL;
}

#undef fclose
int
compat_fclose(FILE *fp)
{
	struct memstream *m = NULL;
	long n;

	for (size_t i = 0; i < sizeof memstreams / sizeof memstreams[0]; i++)
		if (memstreams[i].fp == fp && fp != NULL)
			m = &memstreams[i];
	if (m == NULL)
		return fclose(fp);
	m->fp = NULL;
	if (fflush(fp) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 ||
	    (*m->ptr = malloc((size_t)n + 1)) == NULL) {
		fclose(fp);
		return EOF;
	}
	*m->size = fread(*m->ptr, 1, (size_t)n, fp);
	(*m->ptr)[*m->size] = '\0';
	return fclose(fp);
}

int
compat_gethostname(char *name, int len)
{
	wchar_t w[256];
	DWORD n = sizeof w / sizeof w[0];
	char *u;
	int rc = 0;

	if (!GetComputerNameExW(ComputerNameDnsHostname, w, &n))
		return set_errno();
	u = compat_narrow(w, (int)n);
	if (len <= 0 || strlen(u) >= (size_t)len) {
		errno = ENAMETOOLONG;
		rc = -1;
	} else
		strcpy(name, u);
	free(u);
	return rc;
}

char *
compat_strsep(char **sp, const char *delim)
{
	char *s = *sp, *e;

	if (s == NULL)
		return NULL;
	e = s + strcspn(s, delim);
	if (*e != '\0') {
		*e = '\0';
		*sp = e + 1;
	} else
		*sp = NULL;
	return s;
}

int
compat_sigaction(int sig, const struct sigaction *sa, struct sigaction *old)
{
	void (*prev)(int);

	/* SIGHUP and friends do not exist here: nothing to catch. */
	if (sig != SIGINT && sig != SIGTERM && sig != SIGBREAK &&
	    sig != SIGABRT) {
		if (old != NULL)
			memset(old, 0, sizeof *old);
		return 0;
	}
	if (sa == NULL) {
		prev = signal(sig, SIG_DFL);
		signal(sig, prev);
	} else
		prev = signal(sig, sa->sa_handler);
	if (prev == SIG_ERR)
		return -1;
	if (old != NULL) {
		memset(old, 0, sizeof *old);
		old->sa_handler = prev;
	}
	return 0;
}

int
compat_mlock(const void *p, size_t n)
{
	return VirtualLock((LPVOID)p, n) ? 0 : -1;
}

int
compat_munlock(const void *p, size_t n)
{
	return VirtualUnlock((LPVOID)p, n) ? 0 : -1;
}

#define WER_FLAG_NOHEAP 1 /* WER_FAULT_REPORTING_FLAG_NOHEAP */

static void
wer_no_heap(void)
{
	typedef HRESULT (WINAPI *wersetflags)(DWORD);
	HMODULE k = GetModuleHandleW(L"kernel32.dll");
	wersetflags fn = k ? (wersetflags)(void *)GetProcAddress(k,
	    "WerSetFlags") : NULL;

	if (fn != NULL)
		fn(WER_FLAG_NOHEAP);
}

int
compat_setrlimit(int what, const struct rlimit *rl)
{
	if (what != RLIMIT_CORE || rl->rlim_cur != 0) {
		errno = EINVAL;
		return -1;
	}
	/* No crash dialog, and no Windows Error Reporting dump of the heap
	 * of a process that held secrets. WerSetFlags is looked up: Wine
	 * and old Windows may lack it, and then there is no WER anyway. */
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX |
	    SEM_NOOPENFILEERRORBOX);
	wer_no_heap();
	return 0;
}

static HANDLE
console_of(int fd)
{
	intptr_t h = _get_osfhandle(fd);

	return h == -1 ? INVALID_HANDLE_VALUE : (HANDLE)h;
}

int
compat_tcgetattr(int fd, struct termios *t)
{
	DWORD mode;

	if (!GetConsoleMode(console_of(fd), &mode)) {
		errno = ENOTTY;
		return -1;
	}
	memset(t, 0, sizeof *t);
	if (mode & ENABLE_ECHO_INPUT)
		t->c_lflag |= ECHO;
	if (mode & ENABLE_LINE_INPUT)
		t->c_lflag |= ICANON;
	if (mode & ENABLE_PROCESSED_INPUT)
		t->c_lflag |= ISIG;
	return 0;
}

int
compat_tcsetattr(int fd, int action, const struct termios *t)
{
	HANDLE h = console_of(fd);
	DWORD mode;

	if (!GetConsoleMode(h, &mode)) {
		errno = ENOTTY;
		return -1;
	}
	mode &= ~(DWORD)(ENABLE_ECHO_INPUT | ENABLE_LINE_INPUT |
	    ENABLE_PROCESSED_INPUT);
	if (t->c_lflag & ECHO)
		mode |= ENABLE_ECHO_INPUT;
	if (t->c_lflag & ICANON)
		mode |= ENABLE_LINE_INPUT;
	if (t->c_lflag & ISIG)
		mode |= ENABLE_PROCESSED_INPUT;
	if (action == TCSAFLUSH)
		FlushConsoleInputBuffer(h);
	return SetConsoleMode(h, mode) ? 0 : -1;
}

/* The codeset is the console's: UTF-8 once console_term below made it
 * so. The wizard hands curses wide characters, which its console driver
 * writes as UTF-16, so the C runtime's ANSI locale plays no part. */
const char *
compat_nl_langinfo(int item)
{
	static char cp[32];
	UINT n = GetConsoleOutputCP();

	if (item != CODESET)
		return "";
	if (n == 0)
		n = GetACP();
	if (n == CP_UTF8)
		return "UTF-8";
	snprintf(cp, sizeof cp, "CP%u", n);
	return cp;
}

/* The console's code pages as we found them, given back at exit: the
 * console is the user's (cmd.exe's) and outlives us. */
static UINT console_cp_in, console_cp_out;

static void
console_cp_restore(void)
{
	if (console_cp_out != 0)
		SetConsoleOutputCP(console_cp_out);
	if (console_cp_in != 0)
		SetConsoleCP(console_cp_in);
}

/*
 * On Windows the wizard's terminal is the console, which ncurses drives
 * with its win32con driver: the one it picks for TERM=#win32con. A
 * console session has no TERM at all, so say it for it, before main.
 * The console speaks UTF-8 while we run, so our UTF-8 output (stdio
 * writes bytes) shows as written, whatever the ANSI code page.
 */
__attribute__((constructor)) static void
console_term(void)
{
	const char *t = getenv("TERM");
	DWORD mode;

	if ((t == NULL || *t == '\0') &&
	    GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode))
		_putenv("TERM=#win32con");
	console_cp_out = GetConsoleOutputCP();
	console_cp_in = GetConsoleCP();
	if (console_cp_out == 0)
		return;	/* no console */
	SetConsoleOutputCP(CP_UTF8);
	SetConsoleCP(CP_UTF8);
	atexit(console_cp_restore);
}

/* One [...] class at p (after the '['); *end past its ']'. */
static int
class_match(const char *p, char c, const char **end)
{
	int neg = 0, hit = 0;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	do {
		if (p[1] == '-' && p[2] != ']' && p[2] != '\0') {
			hit |= c >= p[0] && c <= p[2];
			p += 3;
		} else
			hit |= c == *p++;
	} while (*p != ']' && *p != '\0');
	*end = *p == ']' ? p + 1 : p;
	return hit != neg;
}

int
compat_fnmatch(const char *p, const char *s, int flags)
{
	const char *end;

	(void)flags;
	for (; *p != '\0'; s++) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			for (const char *t = s;; t++) {
				if (compat_fnmatch(p, t, 0) == 0)
					return 0;
				if (*t == '\0')
					return FNM_NOMATCH;
			}
		}
		if (*s == '\0')
			return FNM_NOMATCH;
		if (*p == '?')
			p++;
		else if (*p == '[') {
			if (!class_match(p + 1, *s, &end))
				return FNM_NOMATCH;
			p = end;
		} else if (*p++ != *s)
			return FNM_NOMATCH;
	}
	return *s == '\0' ? 0 : FNM_NOMATCH;
}

/* UTF-8 text to the console as UTF-16: what the code page cannot say
 * still shows. */
static void
console_say(HANDLE out, const char *s)
{
	wchar_t *w = compat_wide(s);
	DWORD n;

	WriteConsoleW(out, w, (DWORD)wcslen(w), &n, NULL);
	free(w);
}

/* One character read from the console (a surrogate pair: two units)
 * appended to buf in UTF-8, cut at max as the bytes were before. */
static void
put_utf8(const wchar_t *u, int nu, char *buf, size_t max, size_t *len)
{
	char b[8];
	int got = WideCharToMultiByte(CP_UTF8, 0, u, nu, b, sizeof b, NULL,
	    NULL);

	for (int i = 0; i < got && *len < max; i++)
		buf[(*len)++] = b[i];
	SecureZeroMemory(b, sizeof b);
}

/* Read in UTF-16 (the console's own), handed over in UTF-8: a
 * passphrase with an accent means the same bytes it does on POSIX. */
int
compat_prompt_secret(const char *label, char *buf, size_t max, size_t *len)
{
	HANDLE in, out;
	DWORD mode, n;
	wchar_t u[2], c;
	int nu = 0;

	in = CreateFileW(L"CONIN$", GENERIC_READ | GENERIC_WRITE,
	    FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
	out = CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE,
	    FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
	if (in == INVALID_HANDLE_VALUE || out == INVALID_HANDLE_VALUE ||
	    !GetConsoleMode(in, &mode)) {
		if (in != INVALID_HANDLE_VALUE)
			CloseHandle(in);
		if (out != INVALID_HANDLE_VALUE)
			CloseHandle(out);
		return -1;
	}
	console_say(out, label);
	console_say(out, ": ");
	/* Line input without echo: the console still edits the line. */
	SetConsoleMode(in, (mode | ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT)
	    & ~(DWORD)ENABLE_ECHO_INPUT);
	*len = 0;
	while (ReadConsoleW(in, &c, 1, &n, NULL) && n == 1 && c != L'\n' &&
	    *len < max) {
		if (c == L'\r')
			continue;
		u[nu++] = c;
		/* The first half of a pair waits for the second. */
		if (nu == 1 && c >= 0xd800 && c <= 0xdbff)
			continue;
		put_utf8(u, nu, buf, max, len);
		nu = 0;
	}
	SecureZeroMemory(u, sizeof u);
	SecureZeroMemory(&c, sizeof c);
	SetConsoleMode(in, mode);
	console_say(out, "\r\n");
	CloseHandle(in);
	CloseHandle(out);
	return 0;
}

/* Zero-width: combining marks and joiners; two: the wide East Asian
 * blocks and emoji. Everything else printable is one column. */
static const struct {
	wchar_t lo, hi;
	int width;
} widths[] = {
	{ 0x0300, 0x036f, 0 }, { 0x0483, 0x0489, 0 }, { 0x0591, 0x05bd, 0 },
	{ 0x0610, 0x061a, 0 }, { 0x064b, 0x065f, 0 }, { 0x0e31, 0x0e31, 0 },
	{ 0x0e34, 0x0e3a, 0 }, { 0x1ab0, 0x1aff, 0 }, { 0x1dc0, 0x1dff, 0 },
	{ 0x200b, 0x200f, 0 }, { 0x20d0, 0x20ff, 0 }, { 0xfe00, 0xfe0f, 0 },
	{ 0xfe20, 0xfe2f, 0 }, { 0x1100, 0x115f, 2 }, { 0x2e80, 0x303e, 2 },
	{ 0x3041, 0x33ff, 2 }, { 0x3400, 0x4dbf, 2 }, { 0x4e00, 0x9fff, 2 },
	{ 0xa000, 0xa4cf, 2 }, { 0xac00, 0xd7a3, 2 }, { 0xf900, 0xfaff, 2 },
	{ 0xfe30, 0xfe4f, 2 }, { 0xff00, 0xff60, 2 }, { 0xffe0, 0xffe6, 2 },
};

int
compat_wcwidth(wchar_t c)
{
	if (c == 0)
		return 0;
	if (c < 0x20 || (c >= 0x7f && c < 0xa0))
		return -1;
	/* A lone surrogate is half of an emoji: the pair is two wide. */
	if (c >= 0xd800 && c <= 0xdbff)
		return 2;
	if (c >= 0xdc00 && c <= 0xdfff)
		return 0;
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
		if (c >= widths[i].lo && c <= widths[i].hi)
			return widths[i].width;
	return 1;
}

/* Whom the file's ACL lets read it: only its owner, SYSTEM and the
 * Administrators may, as mode 0600 means on POSIX (root reads all). */
static int
trusted_sid(PSID sid, PSID owner)
{
	static const WELL_KNOWN_SID_TYPE ok[] = { WinLocalSystemSid,
	    WinBuiltinAdministratorsSid };

	if (EqualSid(sid, owner))
		return 1;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (IsWellKnownSid(sid, ok[i]))
			return 1;
	return 0;
}

int
compat_file_private(const char *path)
{
	const ACCESS_MASK reads = FILE_READ_DATA | GENERIC_READ | GENERIC_ALL;
	PSECURITY_DESCRIPTOR sd = NULL;
	PSID owner = NULL;
	PACL dacl = NULL;
	int private = 1;

	wchar_t *w = compat_wide(path);
	DWORD got = GetNamedSecurityInfoW(w, SE_FILE_OBJECT,
	    OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
	    NULL, &dacl, NULL, &sd);

	free(w);
	if (got != ERROR_SUCCESS)
		return 0;
	/* No DACL at all: everyone may do anything. */
	if (dacl == NULL)
		private = 0;
	for (DWORD i = 0; private && dacl != NULL && i < dacl->AceCount;
	    i++) {
		ACCESS_ALLOWED_ACE *ace;

		if (!GetAce(dacl, i, (void **)&ace) ||
		    ace->Header.AceType != ACCESS_ALLOWED_ACE_TYPE)
			continue;
		if ((ace->Mask & reads) != 0 &&
		    !trusted_sid((PSID)&ace->SidStart, owner))
			private = 0;
	}
	LocalFree(sd);
	return private;
}

int
compat_lstat(const char *path, struct stat *st)
{
	wchar_t *w = compat_wide(path);
	DWORD a = GetFileAttributesW(w);

	free(w);
	if (stat(path, st) != 0) {
		/* A dangling reparse point still is one. */
		if (a == INVALID_FILE_ATTRIBUTES ||
		    !(a & FILE_ATTRIBUTE_REPARSE_POINT))
			return -1;
		memset(st, 0, sizeof *st);
	}
	if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_REPARSE_POINT))
		st->st_mode = (st->st_mode & ~0xF000) | S_IFLNK;
	return 0;
}

int
compat_flock(int fd, int op)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	OVERLAPPED ov = {0};
	DWORD flags = 0;

	if (h == INVALID_HANDLE_VALUE) {
		errno = EBADF;
		return -1;
	}
	if (op & LOCK_UN)
		return UnlockFileEx(h, 0, MAXDWORD, MAXDWORD, &ov) ? 0 :
		    set_errno();
	if (op & LOCK_EX)
		flags |= LOCKFILE_EXCLUSIVE_LOCK;
	if (op & LOCK_NB)
		flags |= LOCKFILE_FAIL_IMMEDIATELY;
	if (LockFileEx(h, flags, 0, MAXDWORD, MAXDWORD, &ov))
		return 0;
	if (GetLastError() == ERROR_LOCK_VIOLATION ||
	    GetLastError() == ERROR_IO_PENDING) {
		errno = EWOULDBLOCK;
		return -1;
	}
	return set_errno();
}

/* ---- folder handles for openat & co (see compat.h) --------------------- */

#define DIRFD_BASE	0x40000
#define DIRFD_MAX	64
static char *dirfds[DIRFD_MAX];

static const char *
dirfd_path(int fd)
{
	if (fd < DIRFD_BASE || fd >= DIRFD_BASE + DIRFD_MAX)
		return NULL;
	return dirfds[fd - DIRFD_BASE];
}

/* rel under dfd as a path (caller frees), or NULL + errno. *held: dfd is
 * a folder handle, under which reparse points are refused. */
static char *
at_path(int dfd, const char *rel, int *held)
{
	const char *dir = dirfd_path(dfd);
	char *p;

	*held = dir != NULL;
	if (dfd == AT_FDCWD)
		dir = NULL;
	else if (dir == NULL) {
		errno = EBADF;
		return NULL;
	}
	if (dir == NULL || strcmp(rel, ".") == 0)
		p = strdup(dir ? dir : rel);
	else if ((p = malloc(strlen(dir) + strlen(rel) + 2)) != NULL)
		sprintf(p, "%s/%s", dir, rel);
	if (p == NULL)
		errno = ENOMEM;
	return p;
}

/* Is path (under a held folder) a reparse point? Then ELOOP. */
static int
refuse_link(const char *path, int held)
{
	struct stat st;

	if (held && strchr(path, '/') != NULL &&
	    compat_lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		errno = ELOOP;
		return -1;
	}
	return 0;
}

int
compat_openat(int dfd, const char *rel, int flags, ...)
{
	struct stat st;
	int held, mode = 0, fd = -1;
	char *path = at_path(dfd, rel, &held);
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	if (path == NULL)
		return -1;
	if (refuse_link(path, held) == 0) {
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			fd = open(path, flags, mode);
		} else {
			for (int i = 0; fd == -1 && i < DIRFD_MAX; i++)
				if (dirfds[i] == NULL) {
					dirfds[i] = path;
					path = NULL;
					fd = DIRFD_BASE + i;
				}
			if (fd == -1)
				errno = EMFILE;
		}
	}
	free(path);
	return fd;
}

int
compat_fstatat(int dfd, const char *rel, struct stat *st, int flags)
{
	int held, rc;
	char *path = at_path(dfd, rel, &held);

	if (path == NULL)
		return -1;
	rc = flags & AT_SYMLINK_NOFOLLOW ? compat_lstat(path, st) :
	    stat(path, st);
	free(path);
	return rc;
}

int
compat_renameat(int a, const char *from, int b, const char *to)
{
	int held, rc = -1;
	char *p = at_path(a, from, &held), *q = at_path(b, to, &held);

	if (p != NULL && q != NULL)
		rc = compat_rename(p, q);
	free(p);
	free(q);
	return rc;
}

int
compat_unlinkat(int dfd, const char *rel, int flags)
{
	int held, rc = -1;
	char *path = at_path(dfd, rel, &held);

	if (path != NULL)
		rc = flags & AT_REMOVEDIR ? compat_rmdir(path) :
		    compat_unlink(path);
	free(path);
	return rc;
}

int
compat_mkdirat(int dfd, const char *rel, int mode)
{
	int held, rc = -1;
	char *path = at_path(dfd, rel, &held);

	if (path != NULL && refuse_link(path, held) == 0)
		rc = compat_mkdir(path, mode);
	free(path);
	return rc;
}

/* The handle is the DIR's now, as on POSIX: closedir releases both. */
DIR *
compat_fdopendir(int fd)
{
	const char *path = dirfd_path(fd);
	DIR *d;

	if (path == NULL) {
		errno = EBADF;
		return NULL;
	}
	d = opendir(path);
	compat_close(fd);
	return d;
}

int
compat_close(int fd)
{
	if (fd >= DIRFD_BASE && fd < DIRFD_BASE + DIRFD_MAX) {
		free(dirfds[fd - DIRFD_BASE]);
		dirfds[fd - DIRFD_BASE] = NULL;
		return 0;
	}
	return _close(fd);
}

int
compat_fsync(int fd)
{
	return dirfd_path(fd) != NULL ? 0 : _commit(fd);
}
