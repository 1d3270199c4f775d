/*
 * GetCACaps: what the SCEP server says it can do. Intune's devices post
 * their requests (POSTPKIOperation) and sign with SHA-256; a server that
 * does not offer them works, but worse, and tells of an old set-up.
 */
#include "probe.h"

#include <stdlib.h>

static void
getcacaps_start(struct probe *p)
{
	char *url;

	if (p->env->scep_skip != NULL) {
		probe_skip(p, "skipped", "%s", p->env->scep_skip);
		return;
	}
	url = probe_scep_url(p, "GetCACaps", "default");
	xfer_queue(xfer_new(p, url, url, 16384));
	free(url);
}

/* What a missing capability costs. */
static const struct {
	unsigned bit;
	const char *kind;
	const char *what;
	const char *hint;
} wanted_caps[] = {
	{ CACAP_POSTPKIOPERATION, "no-post",
	  "POSTPKIOperation is not offered: requests travel in the URL",
	  "a current NDES offers it; check that the URL reaches NDES and "
	  "not an older SCEP server" },
	{ CACAP_SHA256, "no-sha256",
	  "SHA-256 is not offered: devices fall back to SHA-1",
	  "check the NDES server's CSP and the CA: both should offer "
	  "SHA-256" },
};

static void
getcacaps_done(struct probe *p, struct xfer *x)
{
	struct cacaps c;
	struct buf list = {0};

	if (x->rc != CURLE_OK) {
		xfer_transport_finding(p, x);
		return;
	}
	if (x->status != 200) {
		finding_hint(probe_add(p, SEV_ERROR, "http-error", NULL,
		    "GetCACaps answered %ld, not 200", x->status),
		    "see the mscep probe for what this status means");
		return;
	}
	cacaps_parse(x->body.p ? x->body.p : "", x->body.len, &c);
	if (c.n == 0) {
		finding_hint(probe_add(p, SEV_ERROR, "empty", NULL,
		    "GetCACaps answered 200 with no capability"),
		    "something other than NDES answers at this URL");
		return;
	}
	for (size_t i = 0; i < nitems(wanted_caps); i++)
		if (!(c.known & wanted_caps[i].bit))
			finding_set_hint(probe_add(p, SEV_WARN,
			    wanted_caps[i].kind, NULL, "%s",
			    wanted_caps[i].what),
			    wanted_caps[i].hint);
	for (unsigned bit = 1; bit != 0 && bit <= CACAP_UPDATE; bit <<= 1)
		if ((c.known & bit) && cacaps_name(bit) != NULL)
			buf_addf(&list, "%s%s", list.len ? ", " : "",
			    cacaps_name(bit));
	probe_add(p, SEV_OK, "caps", NULL, "capabilities: %s%s",
	    list.len ? list.p : "none we know", c.unknown ? " (and some we do "
	    "not know)" : "");
	buf_free(&list);
}

const struct probe_def probe_getcacaps = {
	.name = "getcacaps",
	.title = "SCEP GetCACaps: POSTPKIOperation and SHA-256 offered",
	.start = getcacaps_start,
	.done = getcacaps_done,
};
