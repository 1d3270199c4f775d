/*
 * A big file about to be replaced (a 64 MB registry.reg): a second thread
 * drops its cached pages while the new one is written. The rename that
 * replaces it otherwise drops them itself, in line: 4-5 ms of its 14 ms
 * for 64 MB here (the rest is freeing the blocks, which this disk's
 * discard mount option waits for). Advice only: nothing changes but the
 * cache (a dirty page is written, not dropped), and a thread that cannot
 * start costs nothing but the time. POSIX (retire-posix.c); on Windows
 * nothing (retire-win32.c).
 */
#ifndef NDESWIZ_RETIRE_H
#define NDESWIZ_RETIRE_H

struct retire;

/* name, a regular file in the folder dfd (not followed if a link), of
 * at least min bytes: start. NULL when it is not, or nothing started. */
struct retire *retire_start(int dfd, const char *name,
    unsigned long long min);
/* Wait until it is done, and free (NULL: nothing). */
void retire_wait(struct retire *);

#endif
