/*
 * The health check: a table of probes, run concurrently (libcurl multi),
 * each with its own timeout, each speaking findings. The wizard's Health
 * screen and "ndeswiz check" drive the same run through this interface;
 * check_poll never blocks longer than asked, so a screen stays live.
 */
#ifndef NDESWIZ_CHECKS_H
#define NDESWIZ_CHECKS_H

#include <stddef.h>

#include "answers.h"
#include "finding.h"

struct host;

enum probe_state {
	PROBE_WAITING,
	PROBE_RUNNING,
	PROBE_PASS,
	PROBE_WARN,
	PROBE_FAIL,
	PROBE_SKIPPED, /* does not apply (e.g. no scep), or not on this host */
};

struct check_options {
	const char *url;         /* --url: mscep.dll URL; NULL: from answers */
	const char *cacert;      /* --cacert; NULL: [health] ca_bundle/system */
	int timeout;             /* --timeout seconds; 0: [health] */
	const char *clouds_file; /* --clouds; NULL: assets/clouds.ini */
	/* The server to read (target folder or this machine); NULL: the
	 * probes that read it say why they do not run. Borrowed: it must
	 * outlive the run. */
	struct host *host;
};

struct probe_status {
	const char *name;  /* "mscep", "tls", "getcacaps", ... */
	const char *title; /* one line for people */
	enum probe_state state;
	double seconds;    /* wall time of the probe, when done */
	struct findings findings;
};

struct check_run;

/* Set the probes up and start them. NULL + err when the options or
 * answers cannot give a URL to probe. */
struct check_run *check_start(const struct answers *,
    const struct check_options *, char *err, size_t len);
/* Drive the probes for at most timeout_ms. 1 while any still runs, 0 when
 * all are done. */
int check_poll(struct check_run *, int timeout_ms);
size_t check_probe_count(const struct check_run *);
const struct probe_status *check_probe(const struct check_run *, size_t);
/* Stop what still runs; those probes end as PROBE_SKIPPED. */
void check_cancel(struct check_run *);
void check_free(struct check_run *);

const char *probe_state_name(enum probe_state);

/* Added with the probes: the mscep.dll URL the run probes (NULL when the
 * SCEP probes do not apply). */
const char *check_url(const struct check_run *);

#endif
