/* writeback.h on Windows: nothing to start; FlushFileBuffers (fsync)
 * writes the file all the same. */
#include "writeback.h"

void
writeback_start(int fd, unsigned long long off, size_t n)
{
	(void)fd;
	(void)off;
	(void)n;
}
