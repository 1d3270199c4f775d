/*
 * Writing a big file so that the disk works while the rest of it is made:
 * each piece, once written, is sent on its way to the disk at once, so
 * the fsync that makes the file durable waits for the last pieces only,
 * not for all of it.
 */
#ifndef NDESWIZ_WRITEBACK_H
#define NDESWIZ_WRITEBACK_H

#include <stddef.h>

/* Start writing fd's bytes [off, off + n) to disk, without waiting for it
 * (Linux: sync_file_range); elsewhere nothing: the fsync that must follow
 * writes them all the same. Advice only: it cannot fail. */
void writeback_start(int fd, unsigned long long off, size_t n);

#endif
