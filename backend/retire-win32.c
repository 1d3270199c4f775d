/* retire.h on Windows: the replaced file's cache is not the caller's. */
#include "retire.h"

struct retire *
retire_start(int dfd, const char *name, unsigned long long min)
{
	(void)dfd;
	(void)name;
	(void)min;
	return 0;
}

void
retire_wait(struct retire *r)
{
	(void)r;
}
