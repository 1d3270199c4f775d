/*
 * One run at a time per target. The wizard, plan, apply and rollback all
 * open the target through a driver, and every driver's open takes an
 * exclusive lock on STATE/lock (flock on POSIX, LockFileEx on Windows):
 * two applies can no longer interleave their changes or their journal
 * records. The holder writes "pid PID (ndeswiz COMMAND)" into the file so
 * that the one that waits can say who holds it.
 */
#ifndef NDESWIZ_LOCK_H
#define NDESWIZ_LOCK_H

#include <stddef.h>

/* Seconds a second run waits before it gives up (NDESWIZ_LOCK_WAIT). */
#define STATE_LOCK_WAIT 5

/* Make state_dir (0700) and lock it. Returns the lock's descriptor, or
 * -1 + err (who holds it, or why the lock file cannot be made). */
int state_lock(const char *state_dir, char *err, size_t len);
void state_unlock(int fd);
/* What the lock file names as this run (main sets the command name). */
void state_lock_set_label(const char *);

#endif
