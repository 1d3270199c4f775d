/* retire.h on POSIX: posix_fadvise(DONTNEED) on a thread of its own. */
#include "retire.h"
#include "util.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct retire {
	pthread_t thread;
	int fd;
};

static void *
drop(void *arg)
{
	struct retire *r = arg;

	(void)posix_fadvise(r->fd, 0, 0, POSIX_FADV_DONTNEED);
	return NULL;
}

struct retire *
retire_start(int dfd, const char *name, unsigned long long min)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	struct retire *r;
	sigset_t all, old;
	struct stat st;
	int rc;

	if (fd == -1)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size < min) {
		close(fd);
		return NULL;
	}
	r = xmalloc(sizeof *r);
	r->fd = fd;
	/* No signal for it: they stay the main thread's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&r->thread, NULL, drop, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		close(fd);
		free(r);
		return NULL;
	}
	return r;
}

void
retire_wait(struct retire *r)
{
	if (r == NULL)
		return;
	pthread_join(r->thread, NULL);
	close(r->fd);
	free(r);
}
