/*
 * The steps' side of a snapshot (host/snapshot.c writes it): every read
 * the session makes of its host is remembered while it prefills,
 * evaluates and inspects, so that the snapshot holds what this run's
 * steps read on top of the fixed table.
 */
#include "session.h"
#include "step.h"
#include "host/snapshot.h"

#include <stdio.h>

long
session_snapshot(struct session *s, const char *dir, char *err, size_t len)
{
	struct answers scratch;
	struct findings f = {0};

	if (s->host == NULL) {
		snprintf(err, len, "no target to snapshot");
		return -1;
	}
	snapshot_record_start(s->host);
	answers_init(&scratch);
	host_forget(s->host);
	steps_prefill(s->host, &scratch);
	answers_free(&scratch);
	session_evaluate(s);
	session_inspect_only(s, &f);
	findings_free(&f);
	return snapshot_write(s->host, dir, err, len);
}
