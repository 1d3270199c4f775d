/*
 * The disk's share of an apply, as an anchor: commit-floor SRC DST REL...
 * puts each file REL of SRC into DST the way apply's commit does, and
 * nothing else: journal lines written, each file written beside its
 * place (writeback started at once), the journal fsynced (apply's
 * "ready"), each new file fsynced, renamed over its place, each folder
 * fsynced once, then the journal's end written and fsynced. No parsing,
 * no checks, no crypto: what is left of an apply's time over this and
 * its plan is the program, not the disk.
 *
 * It does not link libndeswiz's file functions on purpose: an anchor
 * made of the product's own code would carry that code's costs (its
 * symlink-safe walk opens each folder again for each file), which is
 * what the row is there to show beside the floor.
 *
 * A bench tool (tests/bench/run builds it), not part of ndeswiz.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
die(const char *what, const char *name)
{
	fprintf(stderr, "commit-floor: %s %s: %s\n", what, name,
	    strerror(errno));
	exit(1);
}

/* SRC/REL whole; *n its size. */
static char *
slurp(const char *src, const char *rel, size_t *n)
{
	char path[4096];
	struct stat st;
	char *buf;
	int fd;

	snprintf(path, sizeof path, "%s/%s", src, rel);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) != 0)
		die("read", path);
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL || read(fd, buf, (size_t)st.st_size) != st.st_size)
		die("read", path);
	close(fd);
	*n = (size_t)st.st_size;
	return buf;
}

/* mkdir -p of REL's folders under DST, as staging makes them. */
static void
folders(const char *dst, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dst, rel);
	for (char *p = path + strlen(dst) + 1; (p = strchr(p, '/')) != NULL;
	    p++) {
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			die("mkdir", path);
		*p = '/';
	}
}

static void
fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd == -1 || fsync(fd) != 0)
		die("fsync", path);
	close(fd);
}

int
main(int argc, char **argv)
{
	char jpath[4096], tmp[8200], dst[8200], dir[4096];
	int nf = argc - 3, jfd, nd = 0;
	char **done = NULL;
	int *fds;

	if (argc < 4) {
		fprintf(stderr, "usage: commit-floor SRC DST REL...\n");
		return 2;
	}
	if ((fds = calloc((size_t)nf, sizeof *fds)) == NULL)
		die("memory", argv[2]);
	snprintf(jpath, sizeof jpath, "%s/.ndeswiz/floor-journal", argv[2]);
	folders(argv[2], ".ndeswiz/floor-journal");
	jfd = open(jpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (jfd == -1)
		die("open", jpath);
	for (int i = 0; i < nf; i++) {
		size_t n;
		char *data = slurp(argv[1], argv[i + 3], &n);

		/* A stand-in for the old value apply's journal holds. */
		if (write(jfd, data, n > 512 ? 512 : n) < 0)
			die("write", jpath);
		folders(argv[2], argv[i + 3]);
		snprintf(tmp, sizeof tmp, "%s/%s.floor-tmp", argv[2],
		    argv[i + 3]);
		fds[i] = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0644);
		if (fds[i] == -1 || write(fds[i], data, n) != (ssize_t)n)
			die("write", tmp);
		(void)sync_file_range(fds[i], 0, (off_t)n,
		    SYNC_FILE_RANGE_WRITE);
		free(data);
	}
	if (fsync(jfd) != 0)
		die("fsync", jpath);
	for (int i = 0; i < nf; i++)
		if (fsync(fds[i]) != 0)
			die("fsync", argv[i + 3]);
	for (int i = 0; i < nf; i++) {
		close(fds[i]);
		snprintf(tmp, sizeof tmp, "%s/%s.floor-tmp", argv[2],
		    argv[i + 3]);
		snprintf(dst, sizeof dst, "%s/%s", argv[2], argv[i + 3]);
		if (rename(tmp, dst) != 0)
			die("rename", dst);
	}
	/* Each folder of a file, and each parent up to DST, once (apply's
	 * sync_folders). */
	for (int i = 0; i < nf; i++) {
		char *s;

		snprintf(dir, sizeof dir, "%s", argv[i + 3]);
		do {
			int k;

			s = strrchr(dir, '/');
			*(s ? s : dir) = '\0';
			for (k = 0; k < nd && strcmp(done[k], dir) != 0; k++)
				;
			if (k < nd)
				continue;
			done = realloc(done, (size_t)(nd + 1) * sizeof *done);
			if (done == NULL || (done[nd++] = strdup(dir)) == NULL)
				die("memory", dir);
			snprintf(dst, sizeof dst, "%s/%s", argv[2], dir);
			fsync_path(dst, O_RDONLY | O_DIRECTORY);
		} while (s != NULL);
	}
	if (write(jfd, "end\n", 4) != 4 || fsync(jfd) != 0)
		die("fsync", jpath);
	close(jfd);
	for (int k = 0; k < nd; k++)
		free(done[k]);
	free(done);
	free(fds);
	return 0;
}
