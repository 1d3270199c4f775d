/* writeback.h on POSIX: sync_file_range where the system has it (Linux). */
#define _GNU_SOURCE
#include "writeback.h"

#include <fcntl.h>

void
writeback_start(int fd, unsigned long long off, size_t n)
{
#ifdef SYNC_FILE_RANGE_WRITE
	/* Advice: a failure leaves the bytes to the fsync. */
	(void)sync_file_range(fd, (off_t)off, (off_t)n,
	    SYNC_FILE_RANGE_WRITE);
#else
	(void)fd;
	(void)off;
	(void)n;
#endif
}
