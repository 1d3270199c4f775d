/* The state file bound of bigmem.h; the memory figure is per system. */
#include "bigmem.h"

size_t
state_file_limit(void)
{
	unsigned long long q = mem_physical() / 4;

	if (q < STATE_FILE_MIN)
		return STATE_FILE_MIN;
	return q > STATE_FILE_MAX ? STATE_FILE_MAX : (size_t)q;
}
