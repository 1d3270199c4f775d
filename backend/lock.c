/* The target's lock: see lock.h. */
#include "lock.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char label[64] = "ndeswiz";

void
state_lock_set_label(const char *s)
{
	snprintf(label, sizeof label, "ndeswiz %s", s);
}

static int
wait_seconds(void)
{
	const char *s = getenv("NDESWIZ_LOCK_WAIT");
	long long v;

	if (s != NULL && str_to_long(s, 0, 3600, &v) == 0)
		return (int)v;
	return STATE_LOCK_WAIT;
}

static void
nap(void)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* "pid 123 (ndeswiz apply)", from the holder's own note. */
static void
holder(int fd, char *who, size_t len)
{
	ssize_t n = pread(fd, who, len - 1, 0);

	who[n > 0 ? n : 0] = '\0';
	who[strcspn(who, "\r\n")] = '\0';
	for (char *p = who; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			*p = '?';
	if (*who == '\0')
		snprintf(who, len, "another ndeswiz");
}

int
state_lock(const char *state_dir, char *err, size_t len)
{
	char *path = path_join(state_dir, "lock"), who[128], note[128];
	struct stat st;
	int fd, tries = wait_seconds() * 10;

	if (mkdir_p(state_dir, 0700) != 0) {
		snprintf(err, len, "cannot make the state folder %s: %s",
		    state_dir, strerror(errno));
		free(path);
		return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
	    0600);
	/* A state folder of someone else's: a lock read-only still locks
	 * (the run then stops where it would write). */
	if (fd == -1 && errno == EACCES)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
		    O_NONBLOCK);
	if (fd == -1 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s: cannot open the lock file: %s (remove "
		    "it if it is not a plain file)", path, fd == -1 ?
		    strerror(errno) : "not a regular file");
		if (fd != -1)
			close(fd);
		free(path);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if ((errno != EWOULDBLOCK && errno != EAGAIN && errno !=
		    EINTR) || tries-- <= 0) {
			holder(fd, who, sizeof who);
			snprintf(err, len, "the target is busy: %s holds %s; "
			    "try again when it has finished", who, path);
			close(fd);
			free(path);
			return -1;
		}
		nap();
	}
	snprintf(note, sizeof note, "pid %ld (%s)\n", (long)getpid(), label);
	/* Over the last note, then cut to length: a file cut to nothing
	 * first is flushed at close on ext4 (its guard for truncate and
	 * rewrite), which cost every run a quarter of a millisecond. */
	if (lseek(fd, 0, SEEK_SET) == 0 &&
	    write(fd, note, strlen(note)) == (ssize_t)strlen(note))
		(void)!ftruncate(fd, (off_t)strlen(note));
	free(path);
	return fd;
}

void
state_unlock(int fd)
{
	if (fd < 0)
		return;
	/* The note stays: it is only read while the lock is held. */
	flock(fd, LOCK_UN);
	close(fd);
}
