/*
 * A shared library loaded when a command first needs it, not at every
 * start (POSIX only; the Windows build links its libraries statically).
 * libcurl and libzip cost about half of the start-up time and memory of
 * a command that never uses them (--version, a plan's own work). Each
 * user keeps a table of the functions it calls and defines them under
 * their own names, forwarding to the library (checks/curl-load-posix.c,
 * backend/zip-load-posix.c): the call sites stay as they were and the
 * library's header still checks them.
 */
#ifndef NDESWIZ_DYNLOAD_H
#define NDESWIZ_DYNLOAD_H

#include <stdatomic.h>
#include <stddef.h>

struct dynsym {
	const char *name;
	void **slot;
};

struct dynlib {
	const char *soname;  /* "libzip.so.4" */
	const char *label;   /* "libzip", for messages */
	const char *package; /* Debian's package that holds it */
	const struct dynsym *syms;
	size_t nsyms;
	void (*loaded)(void); /* after every symbol is there, or NULL */
	atomic_int state;     /* 0 not tried, 1 loaded, -1 cannot be */
	char why[512];        /* dlerror's words, when -1 */
};

/* The FN(name) lists of the users: a field of the table of pointers,
 * typed by the library's own prototype, and its entry in dynsym[]. */
#define DYNLOAD_FIELD(name) __typeof__(name) *name;
#define DYNLOAD_SYM(name) { #name, (void **)&fn.name },

/* RET NAME(PARAMS) { load or exit 2; return the library's NAME(ARGS); }
 * with the including file's own `lib` (struct dynlib) and `fn` table. */
#define DYNLOAD_FORWARD(ret, name, params, args)                           \
	ret name params                                                    \
	{                                                                  \
		dynlib_need(&lib);                                         \
		return fn.name args;                                       \
	}
#define DYNLOAD_FORWARD_VOID(name, params, args)                           \
	void name params                                                   \
	{                                                                  \
		dynlib_need(&lib);                                         \
		fn.name args;                                              \
	}

/*
 * Load the library once (any thread). 0, or -1 with err saying that WHAT
 * ("the health check", "reading X") needs it, why it cannot be loaded,
 * and the package to install.
 */
int dynlib_load(struct dynlib *, const char *what, char *err, size_t len);

/* For the forwarding functions: load now, or say why not on stderr and
 * exit 2, as nothing can go on without it (a call no dynlib_load came
 * before: a unit test, a path that has no way to report). */
void dynlib_need_slow(struct dynlib *);

static inline void
dynlib_need(struct dynlib *l)
{
	if (atomic_load_explicit(&l->state, memory_order_acquire) != 1)
		dynlib_need_slow(l);
}

#endif
