#include "secret.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define SECRET_MAX 4096

#ifdef _WIN32
/* Windows keeps who may read a file in its ACL; stat's mode says
 * nothing about that (compat-win32.c reads the ACL). */
#define owner_only(path, st) compat_file_private(path)
/* chmod 600's counterpart: drop the inherited ACEs (the folder's, which
 * let Users read), grant the owner only; an explicit grant stays. */
#define PRIVATE_RULE "that only its owner, SYSTEM and Administrators may " \
	"read (icacls \"%s\" /inheritance:r /grant:r \"%%USERNAME%%:R\", " \
	"then remove any other user or group that 'icacls FILE' lists)"
#else
#define owner_only(path, st) (((st)->st_mode & 077) == 0)
#define PRIVATE_RULE "readable by its owner only (chmod 600 %s)"
#endif
#ifdef _WIN32
#define owned_by_us(st) 1 /* the ACL check above covers it */
#else
/* Someone else's file could be swapped under us: ours or root's only. */
#define owned_by_us(st) ((st)->st_uid == geteuid() || (st)->st_uid == 0)
#endif

void
secure_zero(void *p, size_t n)
{
	if (p != NULL && n > 0)
		OPENSSL_cleanse(p, n);
}

static int
env_name_ok(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

int
secret_ref_check(const char *ref, char *why, size_t len)
{
	if (*ref == '\0' || strcmp(ref, "prompt") == 0)
		return 0;
	if (str_has_prefix(ref, "env:")) {
		if (env_name_ok(ref + 4))
			return 0;
		snprintf(why, len, "env: needs a variable name (letters, "
		    "digits, _), e.g. env:NDES_SVC_PASSWORD");
		return -1;
	}
	if (str_has_prefix(ref, "file:")) {
		if (ref[5] != '\0')
			return 0;
		snprintf(why, len, "file: needs a path, e.g. "
		    "file:/root/ndes-svc.pw (mode 0600)");
		return -1;
	}
	snprintf(why, len, "secrets are never written inline; use env:NAME, "
	    "file:PATH (mode 0600) or prompt");
	return -1;
}

static char *
secret_alloc(void)
{
	char *p = xcalloc(1, SECRET_MAX + 1);

	/* Best effort: keep it out of swap. */
	(void)mlock(p, SECRET_MAX + 1);
	return p;
}

static int
from_env(const char *name, struct secret *out, char *why, size_t len)
{
	const char *v = getenv(name);

	if (v == NULL) {
		snprintf(why, len, "environment variable %s is not set; "
		    "export it before the run", name);
		return -1;
	}
	if (strlen(v) > SECRET_MAX) {
		snprintf(why, len, "environment variable %s is longer than "
		    "%d bytes", name, SECRET_MAX);
		return -1;
	}
	out->p = secret_alloc();
	out->len = strlen(v);
	memcpy(out->p, v, out->len);
	return 0;
}

static int
from_file(const char *path, struct secret *out, char *why, size_t len)
{
	struct stat st;
	ssize_t n;
	int fd;

	/* Non-blocking: a FIFO opens at once and fails the checks below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1 || fstat(fd, &st) == -1) {
		snprintf(why, len, "cannot read secret file %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || !owner_only(path, &st)) {
		snprintf(why, len, "secret file %s must be a regular file "
		    PRIVATE_RULE, path, path);
		close(fd);
		return -1;
	}
	if (!owned_by_us(&st)) {
		snprintf(why, len, "secret file %s belongs to uid %ld, not to "
		    "the user running ndeswiz (chown it, or use a file of "
		    "yours)", path, (long)st.st_uid);
		close(fd);
		return -1;
	}
	out->p = secret_alloc();
	n = read(fd, out->p, SECRET_MAX);
	close(fd);
	if (n < 0) {
		snprintf(why, len, "cannot read secret file %s: %s", path,
		    strerror(errno));
		secret_wipe(out);
		return -1;
	}
	out->len = (size_t)n;
	/* One trailing newline is the editor's, not the password's. */
	if (out->len > 0 && out->p[out->len - 1] == '\n')
		out->p[--out->len] = '\0';
	if (out->len > 0 && out->p[out->len - 1] == '\r')
		out->p[--out->len] = '\0';
	return 0;
}

#ifdef _WIN32
/* Windows has no /dev/tty: the console itself (compat-win32.c). */
static int
from_prompt(const char *label, struct secret *out, char *why, size_t len)
{
	out->p = secret_alloc();
	if (compat_prompt_secret(label, out->p, SECRET_MAX, &out->len) == 0)
		return 0;
	secret_wipe(out);
	snprintf(why, len, "%s is set to prompt but there is no console; "
	    "use env:NAME or file:PATH instead", label);
	return -1;
}
#else
/*
 * While echo is off, a signal that ends the run must not leave the
 * terminal without echo: put it back, then die of the signal as asked.
 */
static struct termios prompt_saved;
static volatile sig_atomic_t prompt_fd = -1;
static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction prompt_prev[3];

static void
prompt_restore(int sig)
{
	if (prompt_fd >= 0)
		tcsetattr(prompt_fd, TCSAFLUSH, &prompt_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
prompt_guard(int fd, const struct termios *saved)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = prompt_restore;
	sigemptyset(&sa.sa_mask);
	prompt_saved = *saved;
	prompt_fd = fd;
	for (size_t i = 0; i < nitems(prompt_signals); i++)
		sigaction(prompt_signals[i], &sa, &prompt_prev[i]);
}

static void
prompt_unguard(void)
{
	prompt_fd = -1;
	for (size_t i = 0; i < nitems(prompt_signals); i++)
		sigaction(prompt_signals[i], &prompt_prev[i], NULL);
}

static int
from_prompt(const char *label, struct secret *out, char *why, size_t len)
{
	struct termios old, quiet;
	int fd, c;
	FILE *tty;

	fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd == -1 || (tty = fdopen(fd, "r+")) == NULL) {
		snprintf(why, len, "%s is set to prompt but there is no "
		    "terminal; use env:NAME or file:PATH instead", label);
		if (fd != -1)
			close(fd);
		return -1;
	}
	setvbuf(tty, NULL, _IONBF, 0);
	tcgetattr(fd, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	prompt_guard(fd, &old);
	tcsetattr(fd, TCSAFLUSH, &quiet);
	/* Only now the prompt: what is typed once it shows is not echoed. */
	fprintf(tty, "%s: ", label);
	out->p = secret_alloc();
	while ((c = fgetc(tty)) != EOF && c != '\n' && out->len < SECRET_MAX)
		out->p[out->len++] = (char)c;
	tcsetattr(fd, TCSAFLUSH, &old);
	prompt_unguard();
	fprintf(tty, "\n");
	fclose(tty);
	return 0;
}
#endif

static secret_prompt_fn prompt_hook;
static void *prompt_arg;

/* Typed secrets of this run, by label (see secret_forget). */
static struct kept {
	char label[128];
	struct secret s;
} kept[8];

void
secret_set_prompt(secret_prompt_fn fn, void *arg)
{
	prompt_hook = fn;
	prompt_arg = arg;
}

void
secret_forget(void)
{
	for (size_t i = 0; i < nitems(kept); i++) {
		secret_wipe(&kept[i].s);
		kept[i].label[0] = '\0';
	}
}

static void
copy_secret(struct secret *dst, const struct secret *src)
{
	dst->p = secret_alloc();
	memcpy(dst->p, src->p, src->len);
	dst->len = src->len;
}

static int
from_hook(const char *label, struct secret *out, char *why, size_t len)
{
	out->p = secret_alloc();
	if (prompt_hook(prompt_arg, label, out->p, SECRET_MAX, &out->len) ==
	    0 && out->len <= SECRET_MAX) {
		out->p[out->len] = '\0';
		return 0;
	}
	secret_wipe(out);
	snprintf(why, len, "%s: cancelled", label);
	return -1;
}

static int
prompt_once(const char *label, struct secret *out, char *why, size_t len)
{
	struct kept *slot = NULL;
	int rc;

	for (size_t i = 0; i < nitems(kept); i++) {
		if (kept[i].label[0] != '\0' && strcasecmp(kept[i].label,
		    label) == 0) {
			copy_secret(out, &kept[i].s);
			return 0;
		}
		if (slot == NULL && kept[i].label[0] == '\0')
			slot = &kept[i];
	}
	rc = prompt_hook != NULL ? from_hook(label, out, why, len) :
	    from_prompt(label, out, why, len);
	if (rc == 0 && slot != NULL) {
		snprintf(slot->label, sizeof slot->label, "%s", label);
		copy_secret(&slot->s, out);
	}
	return rc;
}

int
secret_resolve(const char *ref, const char *label, struct secret *out,
    char *why, size_t len)
{
	memset(out, 0, sizeof *out);
	if (secret_ref_check(ref, why, len) != 0)
		return -1;
	if (*ref == '\0')
		return 0;
	if (strcmp(ref, "prompt") == 0)
		return prompt_once(label, out, why, len);
	if (str_has_prefix(ref, "env:"))
		return from_env(ref + 4, out, why, len);
	return from_file(ref + 5, out, why, len);
}

void
secret_wipe(struct secret *s)
{
	if (s->p != NULL) {
		secure_zero(s->p, SECRET_MAX + 1);
		munlock(s->p, SECRET_MAX + 1);
		free(s->p);
	}
	s->p = NULL;
	s->len = 0;
}

void
secret_harden_process(void)
{
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
#ifdef __linux__
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}
