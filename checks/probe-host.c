/*
 * The probes that read the server itself rather than talk HTTP: the
 * connector's install, its services, its certificate, its last contact,
 * a pending reboot. Their rules live in hostrules.c; these rows run them
 * on the host the front end opened (a target folder, or the server with
 * the win32 driver). Without one they say why they do not run.
 */
#include "hostrules.h"
#include "probe.h"

#include <string.h>

static void
host_start(struct probe *p)
{
	if (p->env->server == NULL) {
		probe_skip(p, "skipped", "no server to read: give the target "
		    "folder (-t DIR), or run ndeswiz check on the server "
		    "itself");
		return;
	}
	host_rules_run(p->def->name, p->env->server, &p->env->a, time(NULL),
	    &p->st.findings);
}

static void
host_done(struct probe *p, struct xfer *x)
{
	(void)p;
	(void)x;
}

#define HOST_PROBE(var, id, text) \
const struct probe_def var = { \
	.name = id, \
	.title = text, \
	.start = host_start, \
	.done = host_done, \
}

HOST_PROBE(probe_connector, "connector", "The Certificate Connector is "
    "installed and current, with no legacy or AD connector beside it");
HOST_PROBE(probe_services, "services", "The connector's services (as the "
    "scenarios need them) are running");
HOST_PROBE(probe_connector_cert, "connector-cert", "The connector's own "
    "certificate is in date");
HOST_PROBE(probe_lastcontact, "last-contact", "The connector reached "
    "Intune in the last 24 hours");
HOST_PROBE(probe_reboot, "reboot", "No reboot pending (HTTP.sys limits "
    "apply after one)");
