/*
 * A host driver for fault injection: it forwards every call to the real
 * driver, counts the gets and sets, and makes one of them misbehave, so
 * that a regression test can fail each host operation of a run in turn.
 * Chosen by the environment, like backend/fault.c:
 *
 *   NDESWIZ_TEST_FAULT=host-op:K    the K-th get, set or commit (of a
 *                                   batch) fails with an error (K = 0:
 *                                   none fails, only count)
 *   NDESWIZ_TEST_FAULT=host-stop:K  the process stops itself (SIGSTOP)
 *                                   before the K-th get or set, so that a
 *                                   test can look at it while it runs;
 *                                   SIGCONT resumes it
 *
 * With either set, one line on standard error at exit says how many
 * operations the run made and which one failed, so that the test knows
 * when it has tried them all. Without the variable host_fault_wrap gives
 * back the driver it was handed: the wrapper is not even in the path.
 */
#include "host.h"
#include "../util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fault_mode { FAULT_FAIL, FAULT_STOP };

static const struct host_ops *inner;
static struct host_ops wrapped;
static enum fault_mode mode;
static long long fault_at, ops;
static const char *fired; /* "get", "set", "commit" once it happened */
static char fired_what[512];  /* and of what, for the test's messages */

static int
fault_parse(void)
{
	const char *v = getenv("NDESWIZ_TEST_FAULT");
	long long k;

	if (v == NULL)
		return 0;
	if (str_has_prefix(v, "host-op:"))
		mode = FAULT_FAIL;
	else if (str_has_prefix(v, "host-stop:"))
		mode = FAULT_STOP;
	else
		return 0;
	if (str_to_long(strchr(v, ':') + 1, 0, 1000000000, &k) != 0)
		return 0;
	fault_at = k;
	return 1;
}

/* Standard error only: stdout is what the tests compare. */
static void
fault_report(void)
{
	fprintf(stderr, "ndeswiz-test: %lld host operations; %s%s%s\n", ops,
	    fired ? "injected at a " : "none injected", fired ? fired : "",
	    fired_what);
}

/* 1 when this operation is the one that must fail; of: what it is on. */
static int
fault_hit(const char *what, const char *of)
{
	if (++ops != fault_at)
		return 0;
	fired = what;
	snprintf(fired_what, sizeof fired_what, "%s", of);
	if (mode == FAULT_STOP) {
#ifdef SIGSTOP /* not on Windows */
		raise(SIGSTOP);
#endif
		return 0;
	}
	return 1;
}

/* " of KIND PATH NAME", for the report. */
static const char *
of_res(enum res_kind kind, const char *path, const char *name)
{
	static char of[512];

	snprintf(of, sizeof of, " of %s %s%s%s", res_kind_name(kind), path,
	    name ? " " : "", name ? name : "");
	return of;
}

static int
faulty_get(struct host *h, enum res_kind kind, const char *path,
    const char *name, char **value, char *err, size_t len)
{
	if (fault_hit("get", of_res(kind, path, name))) {
		*value = NULL;
		snprintf(err, len, "injected failure of host operation %lld "
		    "(NDESWIZ_TEST_FAULT)", ops);
		return -1;
	}
	return inner->get(h, kind, path, name, value, err, len);
}

static int
faulty_set(struct host *h, enum res_kind kind, const char *path,
    const char *name, const char *value, char *err, size_t len)
{
	if (fault_hit("set", of_res(kind, path, name))) {
		snprintf(err, len, "injected failure of host operation %lld "
		    "(NDESWIZ_TEST_FAULT)", ops);
		return -1;
	}
	return inner->set(h, kind, path, name, value, err, len);
}

/* A commit that fails once every file of it is in place (the folders'
 * fsync failing, say): the worst case for the undo, which then has each
 * of them to put back. */
static int
faulty_commit(struct host *h, int (*ready)(void *, char *, size_t),
    void *ctx, char *err, size_t len)
{
	if (fault_hit("commit", " of the batch")) {
		if (inner->commit(h, ready, ctx, err, len) != 0)
			return -1;
		snprintf(err, len, "injected failure of host operation %lld "
		    "(NDESWIZ_TEST_FAULT)", ops);
		return -1;
	}
	return inner->commit(h, ready, ctx, err, len);
}

const struct host_ops *
host_fault_wrap(const struct host_ops *ops_in)
{
	if (inner != NULL)
		return ops_in == inner ? &wrapped : ops_in;
	if (!fault_parse())
		return ops_in;
	inner = ops_in;
	wrapped = *ops_in;
	wrapped.get = faulty_get;
	wrapped.set = faulty_set;
	if (ops_in->commit != NULL)
		wrapped.commit = faulty_commit;
	atexit(fault_report);
	return &wrapped;
}
