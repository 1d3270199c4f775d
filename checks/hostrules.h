/*
 * The health check's host rules: what only the server itself can tell
 * (the connector's install, services, certificate and last contact, a
 * pending reboot), read through the host interface, so that an offline
 * target folder and the live server (win32 driver) answer the same way.
 * Each rule adds findings "health.<probe>-<kind>"; the probe rows of
 * checks.c carry them. Open here for the unit tests.
 */
#ifndef NDESWIZ_HOSTRULES_H
#define NDESWIZ_HOSTRULES_H

#include <time.h>

#include "answers.h"
#include "finding.h"
#include "host/host.h"

#define HKLM_SW "HKEY_LOCAL_MACHINE\\SOFTWARE\\"
#define CONNECTOR_KEY HKLM_SW "Microsoft\\MicrosoftIntune\\PFXCertificateConnector"
#define UNINSTALL_KEY HKLM_SW "Microsoft\\Windows\\CurrentVersion\\Uninstall"
#define UNINSTALL_KEY32 HKLM_SW "WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
#define CONNECTOR_NAME "Certificate Connector for Microsoft Intune"
#define CONNECTOR_CA "Microsoft Intune ImportPFX Connector CA"
/* The oldest supported release (Microsoft's connector lifecycle). */
#define CONNECTOR_MIN_VERSION "6.2406.0.1001"
#define LAST_CONTACT_MAX (24 * 3600)

struct host_rule {
	const char *probe;	/* the row: "connector", "services", ... */
	void (*run)(struct host *, const struct answers *, time_t now,
	    struct findings *);
};

extern const struct host_rule host_rules[];
extern const size_t host_rules_count;

/* Run every rule of one probe row. */
void host_rules_run(const char *probe, struct host *,
    const struct answers *, time_t now, struct findings *);

/* Is the connector installed (its uninstall entry)? *version (may be
 * NULL) gets its version or NULL; free it. */
int connector_installed(struct host *, char **version);

/* Dotted versions, numerically: <0, 0, >0; -2 when either does not parse. */
int version_cmp(const char *, const char *);
/* The connector's LastConnectionTime: ISO 8601 (Z or an offset, else
 * UTC) or .NET's en-US general form "M/D/YYYY h:mm:ss AM". 0 or -1. */
int last_contact_parse(const char *, time_t *);

#endif
