/*
 * Big memory: big blocks, mapped files, and how large a state file the dir
 * driver reads (a target's registry.reg,
 * applicationHost.config, ...), from how much memory the machine has.
 *
 * A file is held whole, parsed and, when it changes, written out whole:
 * reading a .reg export takes about twice its size at the peak (the file,
 * the database of about its size); a batch's commit streams the text into
 * the file a chunk at a time, and only a set outside a batch holds it whole
 * as well, three times the size. A quarter of the
 * physical memory keeps that inside it with room for the rest; the bound of
 * 1 GiB is past any real server's export (a full HKLM is 100-300 MB) and
 * keeps a runaway file from taking 3 GiB; 16 MiB, the old fixed cap, is the
 * least it gives, so a small machine is not worse off than before.
 */
#ifndef NDESWIZ_BIGMEM_H
#define NDESWIZ_BIGMEM_H

#include <stddef.h>

#define STATE_FILE_MIN	((size_t)16 << 20)
#define STATE_FILE_MAX	((size_t)1 << 30)

/*
 * A big block for an arena (the registry's keys and values): where the
 * system has transparent huge pages, asked for, so that filling 100 MB
 * takes fifty page faults rather than 25 000. NULL when there is none
 * (the caller falls back on malloc); big_free takes the size.
 */
void *big_alloc(size_t);
void big_free(void *, size_t);

/*
 * A regular file under the folder dfd (rel: one name, not followed when a
 * symlink) in memory, read-only: mapped where the system can (no copy, the
 * page cache's own pages), else read. At most max bytes (EFBIG). 0, or -1
 * with errno as file_read_at's. Give it back with file_unmap.
 */
int file_map_at(int dfd, const char *rel, size_t max, char **data,
    size_t *len);
void file_unmap(char *data, size_t len);

/* Physical memory in bytes, 0 when it cannot be told. */
unsigned long long mem_physical(void);
/* A quarter of it, within [STATE_FILE_MIN, STATE_FILE_MAX]. */
size_t state_file_limit(void);

#endif
