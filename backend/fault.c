#include "fault.h"
#include "util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct {
	const char *prefix;
	enum fault_kind kind;
} fault_names[] = {
	{ "kill-before:", FAULT_BEFORE_CHANGE },
	{ "kill-after:", FAULT_AFTER_CHANGE },
	{ "fail-set:", FAULT_HOST_SET },
	{ "kill-generate:", FAULT_GENERATE },
	{ "slow-change:", FAULT_SLOW },
	{ "kill-commit:", FAULT_COMMIT },
};

static int
fault_config(enum fault_kind *kind, long long *k)
{
	const char *v = getenv("NDESWIZ_TEST_FAULT");

	if (v == NULL)
		return 0;
	for (size_t i = 0; i < nitems(fault_names); i++) {
		size_t n = strlen(fault_names[i].prefix);

		if (strncmp(v, fault_names[i].prefix, n) == 0 &&
		    str_to_long(v + n, 1, 1000000, k) == 0) {
			*kind = fault_names[i].kind;
			return 1;
		}
	}
	return 0;
}

void
fault_point(enum fault_kind what, size_t k)
{
	enum fault_kind kind;
	long long at;

	if (!fault_config(&kind, &at))
		return;
	if (kind == FAULT_SLOW && what == FAULT_BEFORE_CHANGE) {
		struct timespec ts = { at / 1000, at % 1000 * 1000000L };

		while (nanosleep(&ts, &ts) != 0)
			;	/* a signal (Ctrl-C) does not shorten it */
	} else if (kind == what && (size_t)at == k)
		kill(getpid(), SIGKILL);
}

int
fault_host_set(void)
{
	static long long calls;
	enum fault_kind kind;
	long long at;

	if (!fault_config(&kind, &at) || kind != FAULT_HOST_SET)
		return 0;
	return ++calls == at;
}
