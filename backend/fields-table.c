/*
 * Every setting of the answer file, defined once. The INI reader and writer,
 * the wizard's forms and unattended validation all read this table.
 * Rules that need more than one field, or the host, live in the steps.
 */
#include "fields.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const scenario_choices[] = {
	"scep", "pkcs", "pkcs-import", "revocation", NULL
};
static const char *const connector_account_choices[] = {
	"system", "domain", NULL
};
static const char *const purpose_choices[] = {
	"signature", "encryption", "signature-encryption", NULL
};
static const char *const app_pool_choices[] = {
	"service-account", "app-pool", NULL
};
/* The CryptoAPI CSPs NDES can use (Windows' own; an HSM's CSP is typed
 * in: the choices of a text field are suggestions, not a limit). */
static const char *const cryptoapi_csp_choices[] = {
	"Microsoft Strong Cryptographic Provider",
	"Microsoft Enhanced Cryptographic Provider v1.0",
	"Microsoft Base Cryptographic Provider v1.0",
	"Microsoft Enhanced RSA and AES Cryptographic Provider",
	"Microsoft RSA SChannel Cryptographic Provider",
	"Microsoft Base Smart Card Crypto Provider",
	NULL
};
static const char *const cloud_choices[] = {
	"public", "gcc-high", "dod", "china", "custom", NULL
};

static const char *
check_country(const char *v, char *why, size_t len)
{
	if (*v == '\0')
		return NULL;
	if (strlen(v) == 2 && isalpha((unsigned char)v[0]) &&
	    isalpha((unsigned char)v[1]))
		return NULL;
	snprintf(why, len, "'%s' is not a 2-letter country code "
	    "(ISO 3166, e.g. US, DE, GB)", v);
	return why;
}

static const char *
check_certificate_source(const char *v, char *why, size_t len)
{
	static const char *const prefixes[] = { "store:", "pfx:", "pem:" };

	if (*v == '\0' || strcmp(v, "csr") == 0)
		return NULL;
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t n = strlen(prefixes[i]);

		if (strncmp(v, prefixes[i], n) == 0 && v[n] != '\0')
			return NULL;
	}
	snprintf(why, len, "'%s' is not a certificate source; use "
	    "store:THUMBPRINT, pfx:PATH, pem:CERT,KEY or csr", v);
	return why;
}

#define DWORD_MAX 4294967295LL

const struct field fields_table[F__COUNT] = {
	[F_PREREQS_SCENARIOS] = {
	    .section = "prereqs",
	    .key = "scenarios",
	    .type = FT_LIST,
	    .choices = scenario_choices,
	    .def = "scep",
	    .label = "Connector features",
	    .help = "prereqs.scenarios",
	},
	[F_PREREQS_INSTALL_FEATURES] = {
	    .section = "prereqs",
	    .key = "install_features",
	    .type = FT_BOOL,
	    .def = "yes",
	    .comment = "install missing Windows features",
	    .label = "Install missing features",
	    .help = "prereqs.install_features",
	},
	[F_PREREQS_DISABLE_IE_ESC] = {
	    .section = "prereqs",
	    .key = "disable_ie_esc",
	    .type = FT_BOOL,
	    .def = "yes",
	    .comment = "turn IE Enhanced Security Configuration off (sign-in "
		"needs it)",
	    .label = "Turn IE ESC off",
	    .help = "prereqs.disable_ie_esc",
	},
	[F_PREREQS_ENABLE_TLS12] = {
	    .section = "prereqs",
	    .key = "enable_tls12",
	    .type = FT_BOOL,
	    .def = "yes",
	    .comment = "enable TLS 1.2 and strong crypto for .NET",
	    .label = "Enable TLS 1.2",
	    .help = "prereqs.enable_tls12",
	},

	[F_ACCOUNTS_NDES_SERVICE_ACCOUNT] = {
	    .section = "accounts",
	    .key = "ndes_service_account",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "DOMAIN\\user, user@domain or DOMAIN\\gmsa$",
	    .label = "NDES service account",
	    .help = "accounts.ndes_service_account",
	    .flags = FF_REQUIRED,
	},
	[F_ACCOUNTS_NDES_SERVICE_PASSWORD] = {
	    .section = "accounts",
	    .key = "ndes_service_password",
	    .type = FT_SECRET,
	    .def = "",
	    .comment = "env:NAME, file:PATH or prompt; none for a gMSA",
	    .label = "NDES account password",
	    .help = "accounts.ndes_service_password",
	    .flags = FF_SECRET,
	},
	[F_ACCOUNTS_CONNECTOR_ACCOUNT] = {
	    .section = "accounts",
	    .key = "connector_account",
	    .type = FT_ENUM,
	    .choices = connector_account_choices,
	    .def = "system",
	    .label = "Connector runs as",
	    .help = "accounts.connector_account",
	},
	[F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT] = {
	    .section = "accounts",
	    .key = "connector_domain_account",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "when connector_account = domain",
	    .label = "Connector account",
	    .help = "accounts.connector_domain_account",
	},
	[F_ACCOUNTS_CONNECTOR_PASSWORD] = {
	    .section = "accounts",
	    .key = "connector_password",
	    .type = FT_SECRET,
	    .def = "",
	    .comment = "env:NAME, file:PATH or prompt",
	    .label = "Connector password",
	    .help = "accounts.connector_password",
	    .flags = FF_SECRET,
	},
	[F_ACCOUNTS_SPN_NAMES] = {
	    .section = "accounts",
	    .key = "spn_names",
	    .type = FT_LIST,
	    .def = "",
	    .comment = "alias names clients use (CNAME / load balancer)",
	    .label = "Alias names (SPN)",
	    .help = "accounts.spn_names",
	},

	[F_TEMPLATE_NAME] = {
	    .section = "template",
	    .key = "name",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "the template NAME (no spaces), not its display name",
	    .label = "Template name",
	    .help = "template.name",
	    .flags = FF_REQUIRED,
	},
	[F_TEMPLATE_DISPLAY_NAME] = {
	    .section = "template",
	    .key = "display_name",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "the name shown in the console",
	    .label = "Display name",
	    .help = "template.display_name",
	},
	[F_TEMPLATE_PURPOSE] = {
	    .section = "template",
	    .key = "purpose",
	    .type = FT_ENUM,
	    .choices = purpose_choices,
	    .def = "signature-encryption",
	    .label = "Purpose",
	    .help = "template.purpose",
	},
	[F_TEMPLATE_VALIDITY_DAYS] = {
	    .section = "template",
	    .key = "validity_days",
	    .type = FT_INT,
	    .min = 1,
	    .max = 36500,
	    .def = "365",
	    .comment = "validity period in days",
	    .label = "Validity (days)",
	    .help = "template.validity_days",
	},
	[F_TEMPLATE_KEY_SIZE] = {
	    .section = "template",
	    .key = "key_size",
	    .type = FT_INT,
	    .min = 512,
	    .max = 16384,
	    .def = "2048",
	    .comment = "minimum key size, 2048 or more",
	    .label = "Key size",
	    .help = "template.key_size",
	},
	[F_TEMPLATE_APPLE_DEVICES] = {
	    .section = "template",
	    .key = "apple_devices",
	    .type = FT_BOOL,
	    .def = "yes",
	    .comment = "iOS/macOS: 'signature is proof of origin' off",
	    .label = "Apple devices",
	    .help = "template.apple_devices",
	},
	[F_TEMPLATE_REQUESTER_VALIDITY] = {
	    .section = "template",
	    .key = "requester_validity",
	    .type = FT_BOOL,
	    .def = "no",
	    .comment = "EDITF_ATTRIBUTEENDDATE on the CA (validity set by "
		"Intune)",
	    .label = "Validity from Intune",
	    .help = "template.requester_validity",
	},

	[F_NDES_CA_CONFIG] = {
	    .section = "ndes",
	    .key = "ca_config",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "CAhost\\CA Common Name",
	    .label = "CA configuration",
	    .help = "ndes.ca_config",
	    .flags = FF_REQUIRED,
	},
	[F_NDES_APP_POOL_IDENTITY] = {
	    .section = "ndes",
	    .key = "app_pool_identity",
	    .type = FT_ENUM,
	    .choices = app_pool_choices,
	    .def = "service-account",
	    .label = "App pool identity",
	    .help = "ndes.app_pool_identity",
	},
	[F_NDES_RA_NAME] = {
	    .section = "ndes",
	    .key = "ra_name",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "name of the registration authority",
	    .label = "RA name",
	    .help = "ndes.ra_name",
	    .flags = FF_REQUIRED,
	},
	[F_NDES_RA_COUNTRY] = { .section = "ndes", .key = "ra_country",
	    .type = FT_TEXT, .def = "", .comment = "2-letter country code",
	    .label = "RA country", .help = "ndes.ra_country",
	    .flags = FF_REQUIRED, .check = check_country },
	[F_NDES_RA_COMPANY] = {
	    .section = "ndes",
	    .key = "ra_company",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "optional",
	    .label = "RA company",
	    .help = "ndes.ra_company",
	},
	[F_NDES_RA_DEPARTMENT] = {
	    .section = "ndes",
	    .key = "ra_department",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "optional",
	    .label = "RA department",
	    .help = "ndes.ra_department",
	},
	[F_NDES_RA_CITY] = {
	    .section = "ndes",
	    .key = "ra_city",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "optional",
	    .label = "RA city",
	    .help = "ndes.ra_city",
	},
	[F_NDES_RA_STATE] = {
	    .section = "ndes",
	    .key = "ra_state",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "optional",
	    .label = "RA state",
	    .help = "ndes.ra_state",
	},
	[F_NDES_RA_EMAIL] = {
	    .section = "ndes",
	    .key = "ra_email",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "optional",
	    .label = "RA e-mail",
	    .help = "ndes.ra_email",
	},
	[F_NDES_SIGNING_CSP] = { .section = "ndes", .key = "signing_csp",
	    .type = FT_TEXT, .choices = cryptoapi_csp_choices,
	    .def = "Microsoft Strong Cryptographic Provider",
	    .comment = "a CryptoAPI CSP (CNG providers are not supported)",
	    .label = "Signing CSP", .help = "ndes.signing_csp", .flags = FF_REQUIRED },
	[F_NDES_SIGNING_KEY_LENGTH] = {
	    .section = "ndes",
	    .key = "signing_key_length",
	    .type = FT_INT,
	    .min = 512,
	    .max = 16384,
	    .def = "2048",
	    .comment = "2048, 3072 or 4096",
	    .label = "Signing key length",
	    .help = "ndes.signing_key_length",
	},
	[F_NDES_ENCRYPTION_CSP] = { .section = "ndes", .key = "encryption_csp",
	    .type = FT_TEXT, .choices = cryptoapi_csp_choices,
	    .def = "Microsoft Strong Cryptographic Provider",
	    .comment = "a CryptoAPI CSP (CNG providers are not supported)",
	    .label = "Encryption CSP", .help = "ndes.encryption_csp", .flags = FF_REQUIRED },
	[F_NDES_ENCRYPTION_KEY_LENGTH] = {
	    .section = "ndes",
	    .key = "encryption_key_length",
	    .type = FT_INT,
	    .min = 512,
	    .max = 16384,
	    .def = "2048",
	    .comment = "2048, 3072 or 4096",
	    .label = "Encryption key length",
	    .help = "ndes.encryption_key_length",
	},

	[F_REGISTRY_SIGNATURE_TEMPLATE] = {
	    .section = "registry",
	    .key = "signature_template",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "empty: derived from [template] purpose",
	    .label = "SignatureTemplate",
	    .help = "registry.signature_template",
	},
	[F_REGISTRY_ENCRYPTION_TEMPLATE] = {
	    .section = "registry",
	    .key = "encryption_template",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "empty: derived from [template] purpose",
	    .label = "EncryptionTemplate",
	    .help = "registry.encryption_template",
	},
	[F_REGISTRY_GENERAL_PURPOSE_TEMPLATE] = {
	    .section = "registry",
	    .key = "general_purpose_template",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "empty: derived from [template] purpose",
	    .label = "GeneralPurposeTemplate",
	    .help = "registry.general_purpose_template",
	},
	[F_REGISTRY_ALL_PURPOSES] = {
	    .section = "registry",
	    .key = "all_purposes",
	    .type = FT_BOOL,
	    .def = "yes",
	    .comment = "an empty value above gets the template too",
	    .label = "All three values",
	    .help = "registry.all_purposes",
	},
	[F_REGISTRY_MAX_FIELD_LENGTH] = {
	    .section = "registry",
	    .key = "max_field_length",
	    .type = FT_INT,
	    .min = 1,
	    .max = DWORD_MAX,
	    .def = "65534",
	    .comment = "HTTP.sys MaxFieldLength, >= 65534",
	    .label = "MaxFieldLength",
	    .help = "registry.max_field_length",
	},
	[F_REGISTRY_MAX_REQUEST_BYTES] = {
	    .section = "registry",
	    .key = "max_request_bytes",
	    .type = FT_INT,
	    .min = 1,
	    .max = DWORD_MAX,
	    .def = "65534",
	    .comment = "HTTP.sys MaxRequestBytes, >= 65534",
	    .label = "MaxRequestBytes",
	    .help = "registry.max_request_bytes",
	},
	[F_REGISTRY_MAX_URL] = {
	    .section = "registry",
	    .key = "max_url",
	    .type = FT_INT,
	    .min = 1,
	    .max = DWORD_MAX,
	    .def = "65534",
	    .comment = "IIS requestLimits maxUrl, >= 65534",
	    .label = "maxUrl",
	    .help = "registry.max_url",
	},
	[F_REGISTRY_MAX_QUERY_STRING] = {
	    .section = "registry",
	    .key = "max_query_string",
	    .type = FT_INT,
	    .min = 1,
	    .max = DWORD_MAX,
	    .def = "65534",
	    .comment = "IIS requestLimits maxQueryString, >= 65534",
	    .label = "maxQueryString",
	    .help = "registry.max_query_string",
	},

	[F_BINDING_FQDN] = {
	    .section = "binding",
	    .key = "fqdn",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "the name in the server certificate's CN",
	    .label = "Server FQDN",
	    .help = "binding.fqdn",
	    .flags = FF_REQUIRED,
	},
	[F_BINDING_EXTERNAL_NAMES] = {
	    .section = "binding",
	    .key = "external_names",
	    .type = FT_LIST,
	    .def = "",
	    .comment = "every other name clients use",
	    .label = "External names",
	    .help = "binding.external_names",
	},
	[F_BINDING_CERTIFICATE] = { .section = "binding",
	    .key = "certificate", .type = FT_TEXT, .def = "csr",
	    .comment = "store:THUMBPRINT | pfx:PATH | pem:CERT,KEY | csr",
	    .label = "Certificate", .help = "binding.certificate",
	    .check = check_certificate_source },
	[F_BINDING_PFX_PASSWORD] = {
	    .section = "binding",
	    .key = "pfx_password",
	    .type = FT_SECRET,
	    .def = "",
	    .comment = "env:NAME, file:PATH or prompt (for pfx:)",
	    .label = "PFX password",
	    .help = "binding.pfx_password",
	    .flags = FF_SECRET,
	},
	[F_BINDING_PORT] = {
	    .section = "binding",
	    .key = "port",
	    .type = FT_INT,
	    .min = 1,
	    .max = 65535,
	    .def = "443",
	    .comment = "HTTPS port",
	    .label = "Port",
	    .help = "binding.port",
	},
	[F_BINDING_REMOVE_HTTP_BINDING] = {
	    .section = "binding",
	    .key = "remove_http_binding",
	    .type = FT_BOOL,
	    .def = "no",
	    .comment = "remove the plain http binding",
	    .label = "Remove http binding",
	    .help = "binding.remove_http_binding",
	},
	[F_BINDING_HIDE_MSCEP_ADMIN] = {
	    .section = "binding",
	    .key = "hide_mscep_admin",
	    .type = FT_BOOL,
	    .def = "yes",
	    .comment = "hide the CertSrv/mscep_admin application",
	    .label = "Hide mscep_admin",
	    .help = "binding.hide_mscep_admin",
	},

	[F_SIGNIN_CLOUD] = {
	    .section = "signin",
	    .key = "cloud",
	    .type = FT_ENUM,
	    .choices = cloud_choices,
	    .def = "public",
	    .comment = "(assets/clouds.ini)",
	    .label = "Cloud",
	    .help = "signin.cloud",
	},
	[F_SIGNIN_TENANT] = {
	    .section = "signin",
	    .key = "tenant",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "tenant domain or id",
	    .label = "Tenant",
	    .help = "signin.tenant",
	},
	[F_SIGNIN_CLIENT_ID] = {
	    .section = "signin",
	    .key = "client_id",
	    .type = FT_TEXT,
	    .def = "14d82eec-204b-4c2f-b7e8-296a70dab67e",
	    .comment = "app (client) id for sign-in; default: Microsoft "
		"Graph Command Line Tools",
	    .label = "Client id",
	    .help = "signin.client_id",
	},

	[F_PROXY_ENABLED] = {
	    .section = "proxy",
	    .key = "enabled",
	    .type = FT_BOOL,
	    .def = "no",
	    .comment = "use a proxy for outbound connections",
	    .label = "Use a proxy",
	    .help = "proxy.enabled",
	},
	[F_PROXY_URL] = {
	    .section = "proxy",
	    .key = "url",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "scheme required: http://host:port",
	    .label = "Proxy URL",
	    .help = "proxy.url",
	},
	[F_PROXY_BYPASS] = {
	    .section = "proxy",
	    .key = "bypass",
	    .type = FT_LIST,
	    .def = "",
	    .comment = "hosts that skip the proxy; <local> = plain names",
	    .label = "Bypass list",
	    .help = "proxy.bypass",
	},
	[F_PROXY_USERNAME] = {
	    .section = "proxy",
	    .key = "username",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "empty: unauthenticated proxy",
	    .label = "Proxy user",
	    .help = "proxy.username",
	},
	[F_PROXY_PASSWORD] = {
	    .section = "proxy",
	    .key = "password",
	    .type = FT_SECRET,
	    .def = "",
	    .comment = "env:/file:/prompt when username is set",
	    .label = "Proxy password",
	    .help = "proxy.password",
	    .flags = FF_SECRET,
	},

	[F_CONNECTOR_INSTALLER] = {
	    .section = "connector",
	    .key = "installer",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "the connector's installer (.exe) to run; empty: "
		"install it by hand",
	    .label = "Installer",
	    .help = "connector.installer",
	},

	[F_HEALTH_URL] = {
	    .section = "health",
	    .key = "url",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "default https://<fqdn>/certsrv/mscep/mscep.dll",
	    .label = "Probe URL",
	    .help = "health.url",
	},
	[F_HEALTH_TIMEOUT_SECONDS] = {
	    .section = "health",
	    .key = "timeout_seconds",
	    .type = FT_INT,
	    .min = 1,
	    .max = 300,
	    .def = "10",
	    .comment = "per-probe timeout",
	    .label = "Timeout (s)",
	    .help = "health.timeout_seconds",
	},
	[F_HEALTH_CA_BUNDLE] = {
	    .section = "health",
	    .key = "ca_bundle",
	    .type = FT_TEXT,
	    .def = "",
	    .comment = "PEM file of CAs to trust; empty: system store",
	    .label = "CA bundle",
	    .help = "health.ca_bundle",
	},
	[F_HEALTH_LONG_URL_PROBE] = {
	    .section = "health",
	    .key = "long_url_probe",
	    .type = FT_BOOL,
	    .def = "yes",
	    .comment = "probe a ~31 KB SCEP URL (catches 414)",
	    .label = "Long-URL probe",
	    .help = "health.long_url_probe",
	},
	[F_HEALTH_EVENT_DAYS] = {
	    .section = "health",
	    .key = "event_days",
	    .type = FT_INT,
	    .min = 1,
	    .max = 365,
	    .def = "7",
	    .comment = "days of event logs the events probe reads",
	    .label = "Event days",
	    .help = "health.event_days",
	},
};

const char *const fields_sections[] = {
	"prereqs", "accounts", "template", "ndes", "registry", "binding",
	"signin", "proxy", "connector", "health", NULL
};

int
field_lookup(const char *section, const char *key)
{
	for (int i = 0; i < F__COUNT; i++)
		if (strcmp(fields_table[i].section, section) == 0 &&
		    strcmp(fields_table[i].key, key) == 0)
			return i;
	return -1;
}

int
field_section_known(const char *section)
{
	for (int i = 0; fields_sections[i] != NULL; i++)
		if (strcmp(fields_sections[i], section) == 0)
			return 1;
	return 0;
}

const char *
field_name(enum field_id id)
{
	static char names[F__COUNT][64];

	if (names[id][0] == '\0')
		snprintf(names[id], sizeof names[id], "%s.%s",
		    fields_table[id].section, fields_table[id].key);
	return names[id];
}
