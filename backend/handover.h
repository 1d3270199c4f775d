/*
 * Handing over to the Certificate Connector: what to choose in its
 * configuration wizard, from the answers (issue 14 item 12).
 */
#ifndef NDESWIZ_HANDOVER_H
#define NDESWIZ_HANDOVER_H

#include <stddef.h>

#include "answers.h"

/*
 * The connector's feature switches and the [prereqs] scenarios they
 * follow (§7). Its configuration wizard writes them (its Features page);
 * ndeswiz reads and compares them, never writes them.
 */
struct connector_feature {
	const char *scenario;
	const char *value;   /* under PFXCertificateConnector */
	const char *label;   /* as its Features page names it */
};
extern const struct connector_feature connector_features[];
extern const size_t connector_features_count;

/* One line per page of its wizard (Features, service account, proxy,
 * sign-in); free with str_list_free. */
char **connector_handover(const struct answers *, size_t *n);

/* The same lines joined with "; ", for a finding's hint; free(). */
char *connector_handover_text(const struct answers *);

struct session;
/* The lines for the session's target when the connector is not installed
 * there; NULL when it is, or when there is no target. */
char **session_connector_handover(struct session *, size_t *n);

#endif
