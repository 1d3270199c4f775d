/* Big memory, POSIX: sysconf's pages (glibc, musl, the BSDs), mmap. */
#include "bigmem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

unsigned long long
mem_physical(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || size <= 0)
		return 0;
	return (unsigned long long)pages * (unsigned long long)size;
}

void *
big_alloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	/* Advice only: without it, small pages as before. */
	madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

void
big_free(void *p, size_t n)
{
	munmap(p, n);
}

#ifndef MAP_POPULATE
#define MAP_POPULATE 0		/* Linux's; elsewhere pages come as read */
#endif

/* An empty file maps to this (mmap refuses a length of 0). */
static char empty[1];

int
file_map_at(int dfd, const char *rel, size_t max, char **data, size_t *len)
{
	struct stat st;
	void *p;
	int fd, saved;

	/* As util.c's read_fd: no symlink, no blocking on a FIFO. */
	fd = openat(dfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
	    O_NOFOLLOW);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	if ((uintmax_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	*len = (size_t)st.st_size;
	*data = empty;
	if (*len > 0) {
		/* Populated at once: one fault for it all, not one a page. */
		p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
		    fd, 0);
		if (p == MAP_FAILED)
			goto fail;
		*data = p;
	}
	close(fd);
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

void
file_unmap(char *data, size_t len)
{
	if (data != empty)
		munmap(data, len);
}
