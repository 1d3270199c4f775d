/* Physical memory, Windows. */
#include "memlimit.h"

#include <windows.h>

unsigned long long
mem_physical(void)
{
	MEMORYSTATUSEX m = { .dwLength = sizeof m };

	return GlobalMemoryStatusEx(&m) ? m.ullTotalPhys : 0;
}
