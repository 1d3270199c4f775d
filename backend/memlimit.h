/*
 * How large a state file the dir driver reads (a target's registry.reg,
 * applicationHost.config, ...), from how much memory the machine has.
 *
 * A file is held whole, parsed and, when it changes, written out whole:
 * reading a .reg export takes about three times its size at the peak (the
 * file, the database of about its size, the text written). A quarter of the
 * physical memory keeps that inside it with room for the rest; the bound of
 * 1 GiB is past any real server's export (a full HKLM is 100-300 MB) and
 * keeps a runaway file from taking 3 GiB; 16 MiB, the old fixed cap, is the
 * least it gives, so a small machine is not worse off than before.
 */
#ifndef NDESWIZ_MEMLIMIT_H
#define NDESWIZ_MEMLIMIT_H

#include <stddef.h>

#define STATE_FILE_MIN	((size_t)16 << 20)
#define STATE_FILE_MAX	((size_t)1 << 30)

/* Physical memory in bytes, 0 when it cannot be told. */
unsigned long long mem_physical(void);
/* A quarter of it, within [STATE_FILE_MIN, STATE_FILE_MAX]. */
size_t state_file_limit(void);

#endif
