/*
 * What only the Windows server itself can tell: a reboot still pending
 * after the HTTP.sys changes, the connector's services, and when the
 * connector last reached Intune. The rows are in the table now so the
 * screens and the JSON keep their shape; on an offline target (and until
 * the win32 host lands) they say why they do not run.
 */
#include "probe.h"

static const char *const not_here =
    "needs the Windows server itself; an offline target folder has no "
    "live services or pending reboot to read";

static void
windows_start(struct probe *p)
{
	probe_skip(p, "skipped", "%s", not_here);
}

static void
windows_done(struct probe *p, struct xfer *x)
{
	(void)p;
	(void)x;
}

const struct probe_def probe_reboot = {
	.name = "reboot",
	.title = "No reboot pending (HTTP.sys limits apply after one)",
	.start = windows_start,
	.done = windows_done,
};

const struct probe_def probe_services = {
	.name = "services",
	.title = "The connector's services are running",
	.start = windows_start,
	.done = windows_done,
};

const struct probe_def probe_lastcontact = {
	.name = "last-contact",
	.title = "The connector reached Intune in the last 24 hours",
	.start = windows_start,
	.done = windows_done,
};
