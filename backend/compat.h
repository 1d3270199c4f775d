/*
 * Portability: the few POSIX calls our code makes that Windows lacks or
 * spells differently. The Windows build force-includes this header into
 * every file (-include backend/compat.h), so shared files keep their POSIX
 * spelling and need no #ifdef; the headers Windows does not have at all
 * (termios.h, sys/mman.h, ...) are one-line shims in backend/compat/ that
 * come back here. On POSIX this header declares nothing.
 *
 * Only what our code uses is here, each with the Windows semantics it
 * gets; the implementations are in compat-win32.c.
 */
#ifndef NDESWIZ_COMPAT_H
#define NDESWIZ_COMPAT_H

#ifdef _WIN32

/* sigset_t, SIGHUP, SIGKILL, gmtime_r, clock_gettime: MinGW declares
 * them for POSIX builds. */
#ifndef _POSIX
#define _POSIX 1
#endif
#ifndef _POSIX_THREAD_SAFE_FUNCTIONS
#define _POSIX_THREAD_SAFE_FUNCTIONS 200112L
#endif

/* The system's declarations first: the macros below must not rename them. */
#include <direct.h>
#include <dirent.h>
#include <fcntl.h>
#include <io.h>
#include <process.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

/*
 * Text is UTF-8 inside the program and UTF-16 at the Windows API: the
 * one pair of converters every *-win32.c file uses. Both allocate (free
 * the result); n is a count of wide characters, -1 up to the NUL.
 * Out of memory aborts, as xmalloc does.
 */
wchar_t *compat_wide(const char *utf8);
char *compat_narrow(const wchar_t *w, int n);

/*
 * MSVCRT's narrow file calls read their paths in the ANSI code page, so
 * a path outside it (C:\Données\...) would not be found: each one our
 * code makes goes through its _w twin, the path converted from UTF-8.
 * open is object-like, as openat below: host ops have an .open member,
 * renamed alike everywhere.
 */
#define open		compat_open
#define fopen(p, m)	compat_fopen(p, m)
#define stat(p, st)	compat_stat(p, st)
#define access(p, m)	compat_access(p, m)
#define chmod(p, m)	compat_chmod(p, m)
#define remove(p)	compat_remove(p)
#define unlink(p)	compat_unlink(p)
#define rmdir(p)	compat_rmdir(p)
int compat_open(const char *, int, ...);
FILE *compat_fopen(const char *, const char *);
int compat_stat(const char *, struct stat *);
int compat_access(const char *, int);
int compat_chmod(const char *, int);
int compat_remove(const char *);
int compat_unlink(const char *);
int compat_rmdir(const char *);
/* Folders: _wopendir, names given back in UTF-8. */
struct compat_dirent {
	char d_name[3 * 260 + 1];	/* MAX_PATH UTF-16 units as UTF-8 */
};
typedef struct compat_dir compat_DIR;
#define DIR		compat_DIR
#define dirent		compat_dirent
#define opendir(p)	compat_opendir(p)
#define readdir(d)	compat_readdir(d)
#define closedir(d)	compat_closedir(d)
compat_DIR *compat_opendir(const char *);
struct compat_dirent *compat_readdir(compat_DIR *);
int compat_closedir(compat_DIR *);
/* The environment in UTF-8 (GetEnvironmentVariableW); the string stays
 * valid until the variable changes. */
#define getenv(n)	compat_getenv(n)
char *compat_getenv(const char *);
/* The command line in UTF-8 (CommandLineToArgvW), for main. */
void compat_utf8_args(int *argc, char ***argv);

/*
 * Text to the console: MSVCRT's stdio hands the console bytes that the
 * console reads in a code page of its own (and Wine's msvcrt in the ANSI
 * one), so what our code writes to stdout or stderr while they are the
 * console goes out as UTF-16 (WriteConsoleW); files and pipes get the
 * UTF-8 bytes as they are.
 */
#define printf(...)	compat_fprintf(stdout, __VA_ARGS__)
#define fprintf(...)	compat_fprintf(__VA_ARGS__)
#define vfprintf(f, fmt, ap) compat_vfprintf(f, fmt, ap)
#define fputs(s, f)	compat_fputs(s, f)
#define fputc(c, f)	compat_fputc(c, f)
#define fwrite(p, s, n, f) compat_fwrite(p, s, n, f)
int compat_fprintf(FILE *, const char *, ...)
    __attribute__((format(gnu_printf, 2, 3)));
int compat_vfprintf(FILE *, const char *, va_list)
    __attribute__((format(gnu_printf, 2, 0)));
int compat_fputs(const char *, FILE *);
int compat_fputc(int, FILE *);
size_t compat_fwrite(const void *, size_t, size_t, FILE *);

/*
 * open(): never inherited by the tools we start (appcmd, PowerShell), so
 * a journal or a secret file does not leak into them; and binary, as on
 * POSIX: no CRLF translation (every open of ours says O_CLOEXEC).
 */
#define O_CLOEXEC	(_O_NOINHERIT | _O_BINARY)
#define O_NOCTTY	0
#define O_DIRECTORY	0	/* folders cannot be opened: see fsync */

/* Folders hold no symlinks we make, and a FIFO cannot block a Windows
 * open: both flags mean nothing there (dir.c checks reparse points through
 * lstat below). */
#define O_NOFOLLOW	0
#define O_NONBLOCK	0
/* lstat: stat, plus S_IFLNK for a reparse point (a symlink or junction),
 * so that a target folder refuses them as on POSIX. */
#ifndef S_IFLNK
#define S_IFLNK		0xA000
#endif
#ifndef S_ISLNK
#define S_ISLNK(m)	(((m) & 0xF000) == S_IFLNK)
#endif
#define lstat(p, st)	compat_lstat(p, st)
int compat_lstat(const char *, struct stat *);
/* <sys/file.h>: flock is LockFileEx on the whole file. */
#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8
#define flock(fd, op)	compat_flock(fd, op)
int compat_flock(int, int);

/* mkdir takes no mode: the folder inherits its parent's ACL. */
#define mkdir(p, m)	compat_mkdir(p, m)
int compat_mkdir(const char *, int);
/* Modes are ACLs on Windows; the write bit is all that maps. */
#define fchmod(fd, m)	compat_fchmod(fd, m)
int compat_fchmod(int, int);
/* Data to the disk: _commit is FlushFileBuffers on the handle (a folder
 * handle, below, has nothing to flush: renames are write-through). */
#define fsync(fd)	compat_fsync(fd)
int compat_fsync(int);

/*
 * openat & co (util.h's *_at, the dir driver's target, the journal): a
 * folder cannot be opened on Windows, so openat of a folder gives a
 * handle from a small table that stands for its path, and each *at call
 * joins that path with its argument. Under a folder handle a reparse
 * point (symlink, junction) is refused as O_NOFOLLOW would (ELOOP); only
 * AT_FDCWD follows them. close and fsync know the table; fdopendir
 * takes the handle, as on POSIX.
 */
#define AT_FDCWD	(-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR	0x200
#define openat		compat_openat
#define fstatat(d, p, st, f) compat_fstatat(d, p, st, f)
#define renameat(a, p, b, q) compat_renameat(a, p, b, q)
#define unlinkat(d, p, f) compat_unlinkat(d, p, f)
#define mkdirat(d, p, m) compat_mkdirat(d, p, m)
#define fdopendir(d)	compat_fdopendir(d)
#define close(fd)	compat_close(fd)
int compat_openat(int, const char *, int, ...);
int compat_fstatat(int, const char *, struct stat *, int);
int compat_renameat(int, const char *, int, const char *);
int compat_unlinkat(int, const char *, int);
int compat_mkdirat(int, const char *, int);
DIR *compat_fdopendir(int);
int compat_close(int);
/* rename over an existing file: MoveFileEx with REPLACE_EXISTING and
 * WRITE_THROUGH, so the rename itself is durable when it returns (there
 * is no folder to fsync). */
#define rename(a, b)	compat_rename(a, b)
int compat_rename(const char *, const char *);
#define pread(fd, b, n, o) compat_pread(fd, b, n, o)
ssize_t compat_pread(int, void *, size_t, off_t);
/* Only "/proc/self/exe" is asked for: GetModuleFileName, with '/'. */
#define readlink(p, b, n) compat_readlink(p, b, n)
ssize_t compat_readlink(const char *, char *, size_t);
/* Only kill(getpid(), SIGKILL) (fault injection): TerminateProcess. */
#define kill(pid, sig)	compat_kill(pid, sig)
int compat_kill(int, int);

#define mkdtemp(t)	compat_mkdtemp(t)
char *compat_mkdtemp(char *);
/* realpath: _fullpath, and the file must exist, as POSIX wants. */
#define realpath(p, r)	compat_realpath(p, r)
char *compat_realpath(const char *, char *);
/*
 * open_memstream: a temporary file that fclose reads back into *ptr and
 * *size (MSVCRT has no memory streams). fclose passes every other FILE
 * straight through.
 */
#define open_memstream(p, s) compat_open_memstream(p, s)
#define fclose(f)	compat_fclose(f)
FILE *compat_open_memstream(char **, size_t *);
int compat_fclose(FILE *);
/* Winsock's would need WSAStartup: the computer's DNS host name. An
 * object-like macro with Winsock's own signature, so that <winsock2.h>
 * declares the same function when a file includes it after us (x64 has
 * one calling convention). */
#define gethostname	compat_gethostname
int compat_gethostname(char *, int);
#define strsep(sp, d)	compat_strsep(sp, d)
char *compat_strsep(char **, const char *);
#define timegm(tm)	_mkgmtime(tm)

/* Signals: MSVCRT has signal() for SIGINT/SIGTERM/SIGBREAK only. */
#ifndef SA_RESTART
#define SA_RESTART	0
#endif
struct sigaction {
	void (*sa_handler)(int);
	sigset_t sa_mask;
	int sa_flags;
};
#define sigemptyset(s)	compat_sigemptyset(s)
#define sigaddset(s, n)	compat_sigaddset(s, n)
static inline int
compat_sigemptyset(sigset_t *s)
{
	*s = 0;
	return 0;
}
static inline int
compat_sigaddset(sigset_t *s, int n)
{
	*s |= (sigset_t)1 << n;
	return 0;
}
#define sigaction(n, sa, old) compat_sigaction(n, sa, old)
int compat_sigaction(int, const struct sigaction *, struct sigaction *);

/* <sys/mman.h>: VirtualLock keeps the page in the working set. */
#define mlock(p, n)	compat_mlock(p, n)
#define munlock(p, n)	compat_munlock(p, n)
int compat_mlock(const void *, size_t);
int compat_munlock(const void *, size_t);

/* <sys/resource.h>: only "no core dumps", which on Windows means no
 * error dialogs and no Windows Error Reporting dump of our memory. */
#define RLIMIT_CORE	4
struct rlimit {
	unsigned long rlim_cur, rlim_max;
};
#define setrlimit(r, l)	compat_setrlimit(r, l)
int compat_setrlimit(int, const struct rlimit *);

/*
 * <termios.h>, on the console: ECHO is ENABLE_ECHO_INPUT, ICANON is
 * ENABLE_LINE_INPUT; flow control does not exist there. ncurses' <term.h>
 * brings its own struct termios for MinGW (ncurses_mingw.h): this one has
 * the same layout and takes that header's guard, so the two never meet.
 */
#define _NC_MINGWH
#define USE_CONSOLE_DRIVER 1
#undef TERMIOS
#define TERMIOS 1
typedef unsigned int tcflag_t;
typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned short otcflag_t;
typedef unsigned char ospeed_t;
#define NCCS		18
struct termios {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	char c_line;
	cc_t c_cc[NCCS];
	speed_t c_ispeed, c_ospeed;
};
#define IXON		0x0001
#define IXOFF		0x0002
#define ECHO		0x0008
#define ECHONL		0x0040
#define ICANON		0x0002
#define ISIG		0x0001
#define TCSANOW		0
#define TCSAFLUSH	2
#define tcgetattr(fd, t) compat_tcgetattr(fd, t)
#define tcsetattr(fd, a, t) compat_tcsetattr(fd, a, t)
int compat_tcgetattr(int, struct termios *);
int compat_tcsetattr(int, int, const struct termios *);

/* <langinfo.h>: CODESET is the console's output code page. */
#define CODESET		14
#define nl_langinfo(i)	compat_nl_langinfo(i)
const char *compat_nl_langinfo(int);

/* <wchar.h> has no wcwidth: columns of a code point on a terminal. */
#define wcwidth(c)	compat_wcwidth(c)
int compat_wcwidth(wchar_t);

/* <fnmatch.h>: '*', '?' and '[...]', no flags. */
#define FNM_NOMATCH	1
#define fnmatch(p, s, f) compat_fnmatch(p, s, f)
int compat_fnmatch(const char *, const char *, int);

/*
 * What has no POSIX spelling: is the file readable by its owner (and
 * SYSTEM and Administrators) only, by its ACL? 1 yes, 0 no or unknown.
 */
int compat_file_private(const char *path);

/*
 * What has no POSIX spelling: read a secret from the console without
 * echo (what secret.c does with /dev/tty and termios), into buf of max
 * bytes. 0, or -1 when there is no console.
 */
int compat_prompt_secret(const char *label, char *buf, size_t max,
    size_t *len);

#endif /* _WIN32 */
#endif
