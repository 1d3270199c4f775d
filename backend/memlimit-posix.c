/* Physical memory, POSIX: sysconf's pages (glibc, musl, the BSDs). */
#include "memlimit.h"

#include <unistd.h>

unsigned long long
mem_physical(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || size <= 0)
		return 0;
	return (unsigned long long)pages * (unsigned long long)size;
}
