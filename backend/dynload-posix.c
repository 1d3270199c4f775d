/* Libraries loaded on demand (see dynload.h). */
#include "dynload.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* One lock for every library: each is loaded at most once a run. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int
open_lib(struct dynlib *l)
{
	/* Lazy: the functions we call are resolved below by dlsym, each
	 * checked; the rest of the library's need not be bound first. */
	void *h = dlopen(l->soname, RTLD_LAZY | RTLD_LOCAL);

	if (h == NULL) {
		snprintf(l->why, sizeof l->why, "%s", dlerror());
		return -1;
	}
	for (size_t i = 0; i < l->nsyms; i++) {
		if ((*l->syms[i].slot = dlsym(h, l->syms[i].name)) == NULL) {
			snprintf(l->why, sizeof l->why,
			    "%s has no %s (too old?)", l->soname,
			    l->syms[i].name);
			/* Kept open: a library cannot be half unloaded. */
			return -1;
		}
	}
	if (l->loaded != NULL)
		l->loaded();
	return 0;
}

int
dynlib_load(struct dynlib *l, const char *what, char *err, size_t len)
{
	int st = atomic_load_explicit(&l->state, memory_order_acquire);

	if (st == 0) {
		pthread_mutex_lock(&lock);
		st = atomic_load_explicit(&l->state, memory_order_relaxed);
		if (st == 0) {
			st = open_lib(l) == 0 ? 1 : -1;
			atomic_store_explicit(&l->state, st,
			    memory_order_release);
		}
		pthread_mutex_unlock(&lock);
	}
	if (st == 1)
		return 0;
	snprintf(err, len, "%s needs %s, which cannot be loaded (%s); "
	    "install it (Debian: apt-get install %s)", what, l->label, l->why,
	    l->package);
	return -1;
}

void
dynlib_need_slow(struct dynlib *l)
{
	char err[768];

	if (dynlib_load(l, "this part of ndeswiz", err, sizeof err) != 0) {
		fprintf(stderr, "ndeswiz: %s\n", err);
		exit(2);
	}
}
