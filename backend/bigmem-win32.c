/* Big memory, Windows: malloc, and files read rather than mapped. */
#include "bigmem.h"
#include "util.h"

#include <stdlib.h>
#include <windows.h>

unsigned long long
mem_physical(void)
{
	MEMORYSTATUSEX m = { .dwLength = sizeof m };

	return GlobalMemoryStatusEx(&m) ? m.ullTotalPhys : 0;
}

void *
big_alloc(size_t n)
{
	return malloc(n);
}

void
big_free(void *p, size_t n)
{
	(void)n;
	free(p);
}

int
file_map_at(int dfd, const char *rel, size_t max, char **data, size_t *len)
{
	return file_read_at(dfd, rel, max, data, len);
}

void
file_unmap(char *data, size_t len)
{
	(void)len;
	free(data);
}
