/*
 * The event channels the probe reads and what each event ID means: the
 * channels, IDs and sources are those the public validators query
 * (Validate-NewIntuneNDESConfig, the IntuneCertificateConnectorDiagnostics
 * module); the meanings are Microsoft's published ones, in our words, each
 * with the page it comes from. An ID without a rule falls to its channel's
 * fallback, which says so.
 *
 * Every finding is a warning: the log is history, not state. A request
 * that failed last Tuesday may be fixed; the probes of the live server
 * (mscep, tls, services, ...) are what fail a check.
 */
#include "events.h"

#include <string.h>

#define SRC_CONNECTOR "https://learn.microsoft.com/en-us/mem/intune/" \
	"protect/certificate-connector-overview#event-ids"
#define SRC_VALIDATOR "https://github.com/leonzhu/Validate-NewIntuneNDESConfig"
#define SRC_SCM "https://detection-wiki-staging.pages.dev/" \
	"service-control-manager/"
#define SRC_WAS "https://learn.microsoft.com/en-us/previous-versions/" \
	"windows/it-pro/windows-server-2008-R2-and-2008/cc735151(v=ws.10)"

#define CONNECTOR_MISSING \
	"the Certificate Connector is not installed, or is older than " \
	"6.2101.13.0 (which first wrote this log)", \
	"install the Certificate Connector, or update it"
#define WINDOWS_LOG_MISSING \
	"every Windows server has this log; on a dir target the profile " \
	"holds no events/<channel>.jsonl for it", \
	"on the server, check that the Windows Event Log service runs"

static const char *const app_providers[] = {
	"PFXCertificateConnectorSvc", "PKICertificateConnectorSvc",
	"PkiRevokeConnectorSvc", "NDESConnectorSvc",
	"Microsoft-Windows-NetworkDeviceEnrollmentService",
	"NetworkDeviceEnrollmentService", NULL,
};
static const char *const sys_providers[] = {
	"Service Control Manager", "Microsoft-Windows-WAS", NULL,
};
/* SCM names services by their display names; WAS names the pool. */
static const char *const sys_mentions[] = {
	"PFXCertificateConnectorSvc", "PKICertificateConnectorSvc",
	"PkiRevokeConnectorSvc", "Certificate Connector", "W3SVC",
	"World Wide Web Publishing", "Windows Process Activation", "'SCEP'",
	NULL,
};

const struct event_channel event_channels[] = {
	{ "Microsoft-Intune-CertificateConnectors/Admin", "admin",
	    "the connector's Admin log", 0, NULL, NULL, SEV_WARN,
	    CONNECTOR_MISSING },
	{ "Microsoft-Intune-CertificateConnectors/Operational", "operational",
	    "the connector's Operational log", EVL_WARNING, NULL, NULL,
	    SEV_WARN, CONNECTOR_MISSING },
	{ "Microsoft-AzureADConnect-AgentUpdater/Admin", "updater",
	    "the connector updater's Admin log", EVL_WARNING, NULL, NULL,
	    SEV_OK, "the connector's updater is not installed here; the "
	    "connector then updates only by hand", NULL },
	{ "Application", "application",
	    "the Application log (the connector's services and NDES)",
	    EVL_ERROR, app_providers, NULL, SEV_WARN,
	    WINDOWS_LOG_MISSING },
	{ "System", "system",
	    "the System log (the service manager on the connector, W3SVC, "
	    "WAS and the SCEP pool)", EVL_ERROR, sys_providers, sys_mentions,
	    SEV_WARN, WINDOWS_LOG_MISSING },
};
const size_t event_channel_count = nitems(event_channels);

#define CHECK_CA "check the issuing CA is reachable and the connector's " \
	"account may enroll for the template (Read + Enroll)"

const struct event_rule event_rules[] = {
	/* The connector's Admin log: one event per request; these IDs are
	 * the failures, and the only events of this log that count. */
	{ "admin", 1001, SEV_WARN,
	    "a PKCS certificate request could not be fulfilled or its "
	    "result could not be uploaded to Intune",
	    "read the message for the CA's answer; " CHECK_CA,
	    SRC_CONNECTOR },
	{ "admin", 1201, SEV_WARN,
	    "a PKCS re-encrypt request (re-encrypting a certificate for a "
	    "device's new key) failed",
	    "check the connector's encryption certificate and that the "
	    "service can reach Intune", SRC_CONNECTOR },
	{ "admin", 2001, SEV_WARN,
	    "a PKCS Import request from Intune could not be processed",
	    "check the imported PFX's key (the connector must hold the "
	    "private key the PFXs were encrypted to) and the PKCS Import "
	    "feature", SRC_CONNECTOR },
	{ "admin", 3001, SEV_WARN,
	    "downloading revocation requests from Intune failed",
	    "check the connection to Intune (proxy, firewall) and, for "
	    "revocation, Issue and Manage Certificates on the CA for the "
	    "connector's account", SRC_CONNECTOR },
	{ "admin", 4001, SEV_WARN,
	    "a SCEP request failed and Intune was told so (the device got "
	    "no certificate)",
	    "read the message: a failed verification points at the "
	    "request or the profile, a failed issue at the CA and the "
	    "template; " CHECK_CA, SRC_CONNECTOR },
	{ "admin", 4002, SEV_WARN,
	    "a SCEP certificate was issued but Intune could not be told "
	    "(the device may not show it as deployed)",
	    "check the connector's connection to Intune: proxy, firewall, "
	    "TLS inspection (see the endpoints probe)", SRC_CONNECTOR },
	{ "admin", EVENT_ANY_ID, SEV_WARN,
	    "an event ID this table does not know", "read its message",
	    NULL },
	/* Operational: every error and warning counts; the known ones. */
	{ "operational", 1003, SEV_WARN,
	    "downloading PKCS requests from Intune failed",
	    "check the connection to Intune (proxy, firewall)",
	    SRC_CONNECTOR },
	{ "operational", 1051, SEV_WARN,
	    "issuing a PKCS certificate failed; the connector tries again",
	    "if it repeats, " CHECK_CA, SRC_CONNECTOR },
	{ "operational", 1052, SEV_WARN,
	    "issuing a PKCS certificate failed for good", CHECK_CA,
	    SRC_CONNECTOR },
	{ "operational", 1101, SEV_WARN,
	    "uploading PKCS results to Intune failed",
	    "check the connection to Intune (proxy, firewall)",
	    SRC_CONNECTOR },
	{ "operational", 2203, SEV_WARN,
	    "downloading PKCS Import requests from Intune failed",
	    "check the connection to Intune (proxy, firewall)",
	    SRC_CONNECTOR },
	{ "operational", 2052, SEV_WARN,
	    "re-encrypting an imported certificate failed",
	    "check the private key the imported PFXs were encrypted to",
	    SRC_CONNECTOR },
	{ "operational", 3003, SEV_WARN,
	    "downloading revocation requests from Intune failed",
	    "check the connection to Intune (proxy, firewall)",
	    SRC_CONNECTOR },
	{ "operational", 3051, SEV_WARN,
	    "revoking a certificate failed",
	    "give the connector's account Issue and Manage Certificates "
	    "on the CA", SRC_CONNECTOR },
	{ "operational", 4005, SEV_WARN,
	    "Intune did not verify a SCEP request (the request does not "
	    "match what Intune sent the device)",
	    "check the SCEP profile and that the device's request is not "
	    "altered on the way (no TLS-inspecting proxy in front of NDES)",
	    SRC_CONNECTOR },
	{ "operational", 4007, SEV_WARN,
	    "the CA did not issue a certificate for a SCEP request",
	    "check the template in the registry (MSCEP values), its "
	    "permissions for the NDES service account, and the CA",
	    SRC_CONNECTOR },
	{ "operational", 4009, SEV_WARN,
	    "telling Intune the result of a SCEP request failed; the "
	    "connector tries again",
	    "if it repeats, check the connection to Intune", SRC_CONNECTOR },
	{ "operational", 4010, SEV_WARN,
	    "a SCEP result could not be saved to disk, so Intune will not "
	    "learn it",
	    "check free disk space and the connector's access to its "
	    "folder", SRC_CONNECTOR },
	{ "operational", EVENT_ANY_ID, SEV_WARN,
	    "an error or warning whose ID Microsoft's list does not give",
	    "read its message", NULL },
	{ "updater", EVENT_ANY_ID, SEV_WARN,
	    "the updater that keeps the connector current reported an "
	    "error or warning (its IDs are not published)",
	    "check that the server reaches autoupdate.msappproxy.net on "
	    "port 443, or update the connector by hand", SRC_VALIDATOR },
	{ "application", EVENT_ANY_ID, SEV_WARN,
	    "a connector service or NDES logged an error (their Application "
	    "IDs are not published)",
	    "read its message; the connector's services and NDES run as "
	    "the accounts the accounts step sets up", SRC_VALIDATOR },
	/* System: the service manager and WAS, about our services only. */
	{ "system", 7000, SEV_WARN, "a service failed to start",
	    "read the error in the message; for a logon failure check the "
	    "service account's password and Log on as a service", SRC_SCM },
	{ "system", 7001, SEV_WARN,
	    "a service did not start because a service it depends on failed",
	    "start the dependency first (for W3SVC: WAS)", SRC_SCM },
	{ "system", 7009, SEV_WARN,
	    "a service did not answer the service manager in time",
	    "look for a hung start: the connector's services reach Intune "
	    "when they start, so check the proxy", SRC_SCM },
	{ "system", 7011, SEV_WARN,
	    "a service did not answer a control request in time",
	    "restart the service; if it repeats, look for what blocks it",
	    SRC_SCM },
	{ "system", 7022, SEV_WARN, "a service hung while starting",
	    "restart it and read its own log (Application, connector logs)",
	    SRC_SCM },
	{ "system", 7023, SEV_WARN, "a service stopped with an error",
	    "read the error in the message", SRC_SCM },
	{ "system", 7024, SEV_WARN,
	    "a service stopped with an error of its own",
	    "read the service's own log for that error", SRC_SCM },
	{ "system", 5002, SEV_WARN,
	    "IIS disabled an application pool after a series of failures "
	    "(for the SCEP pool: mscep.dll answers 503)",
	    "fix what makes it fail (often the NDES service account's "
	    "password or rights), then start the pool", SRC_WAS },
	{ "system", 5009, SEV_WARN,
	    "a process serving an application pool ended unexpectedly",
	    "read the exit code in the message; if the pool is SCEP, check "
	    "the NDES service account", SRC_WAS },
	{ "system", EVENT_ANY_ID, SEV_WARN,
	    "an error about the connector's services, W3SVC, WAS or the "
	    "SCEP pool whose ID this table does not know",
	    "read its message", NULL },
};
const size_t event_rule_count = nitems(event_rules);

const struct event_rule *
event_rule_find(const char *key, long id)
{
	const struct event_rule *fallback = NULL;

	for (size_t i = 0; i < nitems(event_rules); i++) {
		if (strcmp(event_rules[i].channel, key) != 0)
			continue;
		if (event_rules[i].id == id)
			return &event_rules[i];
		if (event_rules[i].id == EVENT_ANY_ID)
			fallback = &event_rules[i];
	}
	return fallback;
}

const struct event_channel *
event_channel_find(const char *name)
{
	for (size_t i = 0; i < nitems(event_channels); i++)
		if (strcmp(event_channels[i].name, name) == 0)
			return &event_channels[i];
	return NULL;
}
