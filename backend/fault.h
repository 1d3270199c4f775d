/*
 * Fault injection for the regression tests, driven by the environment:
 *   NDESWIZ_TEST_FAULT=kill-before:K  SIGKILL before change K is made
 *                                     (after its record is journaled; in
 *                                     a batch, before the journal)
 *   NDESWIZ_TEST_FAULT=kill-after:K   SIGKILL right after change K is made
 *                                     (in a batch: in memory)
 *   NDESWIZ_TEST_FAULT=kill-commit:K  SIGKILL in a batch's commit, before
 *                                     its K-th file is put in place (one
 *                                     past the last: after them all)
 *   NDESWIZ_TEST_FAULT=kill-generate:K SIGKILL half-way through making
 *                                     the K-th value made at apply (a
 *                                     key, a request), before the journal
 *   NDESWIZ_TEST_FAULT=fail-set:K     the K-th host write fails
 *   NDESWIZ_TEST_FAULT=slow-change:MS every change waits MS ms first (a
 *                                     long apply, to interrupt)
 *   NDESWIZ_TEST_FAULT=host-op:K      the K-th host get, set or commit
 *                                     fails
 *   NDESWIZ_TEST_FAULT=host-stop:K    SIGSTOP before the K-th get or set
 * (the last two: the faulty driver, backend/host/faulty.c)
 * It changes nothing unless that variable is set.
 */
#ifndef NDESWIZ_FAULT_H
#define NDESWIZ_FAULT_H

#include <stddef.h>

enum fault_kind {
	FAULT_BEFORE_CHANGE, FAULT_AFTER_CHANGE, FAULT_HOST_SET, FAULT_GENERATE,
	FAULT_SLOW, FAULT_COMMIT
};

/* Kills the process when the configured fault matches; before a change,
 * FAULT_SLOW waits instead. */
void fault_point(enum fault_kind, size_t k);
/* For FAULT_HOST_SET: counts calls, 1 when this one must fail. */
int fault_host_set(void);

#endif
