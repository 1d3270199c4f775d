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

#define TEXT(s, k, d, c, l, fl)                                            \
	{ .section = s, .key = k, .type = FT_TEXT, .def = d, .comment = c, \
	  .label = l, .help = s "." k, .flags = fl }
#define BOOL(s, k, d, c, l)                                                \
	{ .section = s, .key = k, .type = FT_BOOL, .def = d, .comment = c, \
	  .label = l, .help = s "." k }
#define SECRET(s, k, c, l)                                                 \
	{ .section = s, .key = k, .type = FT_SECRET, .def = "",            \
	  .comment = c, .label = l, .help = s "." k, .flags = FF_SECRET }
#define INT(s, k, lo, hi, d, c, l)                                         \
	{ .section = s, .key = k, .type = FT_INT, .min = lo, .max = hi,    \
	  .def = d, .comment = c, .label = l, .help = s "." k }
#define ENUM(s, k, ch, d, c, l)                                            \
	{ .section = s, .key = k, .type = FT_ENUM, .choices = ch,          \
	  .def = d, .comment = c, .label = l, .help = s "." k }
#define LIST(s, k, ch, d, c, l)                                            \
	{ .section = s, .key = k, .type = FT_LIST, .choices = ch,          \
	  .def = d, .comment = c, .label = l, .help = s "." k }

#define DWORD_MAX 4294967295LL

const struct field fields_table[F__COUNT] = {
	[F_PREREQS_SCENARIOS] = LIST("prereqs", "scenarios", scenario_choices,
	    "scep", "any of: scep, pkcs, pkcs-import, revocation",
	    "Connector features"),
	[F_PREREQS_INSTALL_FEATURES] = BOOL("prereqs", "install_features",
	    "yes", "install missing Windows features",
	    "Install missing features"),
	[F_PREREQS_DISABLE_IE_ESC] = BOOL("prereqs", "disable_ie_esc", "yes",
	    "turn IE Enhanced Security Configuration off (sign-in needs it)",
	    "Turn IE ESC off"),
	[F_PREREQS_ENABLE_TLS12] = BOOL("prereqs", "enable_tls12", "yes",
	    "enable TLS 1.2 and strong crypto for .NET",
	    "Enable TLS 1.2"),

	[F_ACCOUNTS_NDES_SERVICE_ACCOUNT] = TEXT("accounts",
	    "ndes_service_account", "",
	    "DOMAIN\\user, user@domain or DOMAIN\\gmsa$",
	    "NDES service account", FF_REQUIRED),
	[F_ACCOUNTS_NDES_SERVICE_PASSWORD] = SECRET("accounts",
	    "ndes_service_password",
	    "env:NAME, file:PATH or prompt; none for a gMSA",
	    "NDES account password"),
	[F_ACCOUNTS_CONNECTOR_ACCOUNT] = ENUM("accounts", "connector_account",
	    connector_account_choices, "system", "system | domain",
	    "Connector runs as"),
	[F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT] = TEXT("accounts",
	    "connector_domain_account", "",
	    "when connector_account = domain", "Connector account", 0),
	[F_ACCOUNTS_CONNECTOR_PASSWORD] = SECRET("accounts",
	    "connector_password", "env:NAME, file:PATH or prompt",
	    "Connector password"),
	[F_ACCOUNTS_SPN_NAMES] = LIST("accounts", "spn_names", NULL, "",
	    "alias names clients use (CNAME / load balancer)",
	    "Alias names (SPN)"),

	[F_TEMPLATE_NAME] = TEXT("template", "name", "",
	    "the template NAME (no spaces), not its display name",
	    "Template name", FF_REQUIRED),
	[F_TEMPLATE_DISPLAY_NAME] = TEXT("template", "display_name", "",
	    "the name shown in the console", "Display name", 0),
	[F_TEMPLATE_PURPOSE] = ENUM("template", "purpose", purpose_choices,
	    "signature-encryption",
	    "signature | encryption | signature-encryption", "Purpose"),
	[F_TEMPLATE_VALIDITY_DAYS] = INT("template", "validity_days", 1,
	    36500, "365", "validity period in days", "Validity (days)"),
	[F_TEMPLATE_KEY_SIZE] = INT("template", "key_size", 512, 16384,
	    "2048", "minimum key size, 2048 or more", "Key size"),
	[F_TEMPLATE_APPLE_DEVICES] = BOOL("template", "apple_devices", "yes",
	    "iOS/macOS: 'signature is proof of origin' off", "Apple devices"),
	[F_TEMPLATE_REQUESTER_VALIDITY] = BOOL("template",
	    "requester_validity", "no",
	    "EDITF_ATTRIBUTEENDDATE on the CA (validity set by Intune)",
	    "Validity from Intune"),

	[F_NDES_CA_CONFIG] = TEXT("ndes", "ca_config", "",
	    "CAhost\\CA Common Name", "CA configuration", FF_REQUIRED),
	[F_NDES_APP_POOL_IDENTITY] = ENUM("ndes", "app_pool_identity",
	    app_pool_choices, "service-account", "service-account | app-pool",
	    "App pool identity"),
	[F_NDES_RA_NAME] = TEXT("ndes", "ra_name", "",
	    "name of the registration authority", "RA name", FF_REQUIRED),
	[F_NDES_RA_COUNTRY] = { .section = "ndes", .key = "ra_country",
	    .type = FT_TEXT, .def = "", .comment = "2-letter country code",
	    .label = "RA country", .help = "ndes.ra_country",
	    .flags = FF_REQUIRED, .check = check_country },
	[F_NDES_RA_COMPANY] = TEXT("ndes", "ra_company", "", "optional",
	    "RA company", 0),
	[F_NDES_RA_DEPARTMENT] = TEXT("ndes", "ra_department", "", "optional",
	    "RA department", 0),
	[F_NDES_RA_CITY] = TEXT("ndes", "ra_city", "", "optional", "RA city",
	    0),
	[F_NDES_RA_STATE] = TEXT("ndes", "ra_state", "", "optional",
	    "RA state", 0),
	[F_NDES_RA_EMAIL] = TEXT("ndes", "ra_email", "", "optional",
	    "RA e-mail", 0),
	[F_NDES_SIGNING_CSP] = TEXT("ndes", "signing_csp",
	    "Microsoft Strong Cryptographic Provider",
	    "a CryptoAPI CSP (CNG providers are not supported)",
	    "Signing CSP", FF_REQUIRED),
	[F_NDES_SIGNING_KEY_LENGTH] = INT("ndes", "signing_key_length", 512,
	    16384, "2048", "2048, 3072 or 4096", "Signing key length"),
	[F_NDES_ENCRYPTION_CSP] = TEXT("ndes", "encryption_csp",
	    "Microsoft Strong Cryptographic Provider",
	    "a CryptoAPI CSP (CNG providers are not supported)",
	    "Encryption CSP", FF_REQUIRED),
	[F_NDES_ENCRYPTION_KEY_LENGTH] = INT("ndes", "encryption_key_length",
	    512, 16384, "2048", "2048, 3072 or 4096",
	    "Encryption key length"),

	[F_REGISTRY_SIGNATURE_TEMPLATE] = TEXT("registry",
	    "signature_template", "",
	    "empty: derived from [template] purpose", "SignatureTemplate", 0),
	[F_REGISTRY_ENCRYPTION_TEMPLATE] = TEXT("registry",
	    "encryption_template", "",
	    "empty: derived from [template] purpose", "EncryptionTemplate", 0),
	[F_REGISTRY_GENERAL_PURPOSE_TEMPLATE] = TEXT("registry",
	    "general_purpose_template", "",
	    "empty: derived from [template] purpose",
	    "GeneralPurposeTemplate", 0),
	[F_REGISTRY_ALL_PURPOSES] = BOOL("registry", "all_purposes", "yes",
	    "an empty value above gets the template too", "All three values"),
	[F_REGISTRY_MAX_FIELD_LENGTH] = INT("registry", "max_field_length", 1,
	    DWORD_MAX, "65534", "HTTP.sys MaxFieldLength, >= 65534",
	    "MaxFieldLength"),
	[F_REGISTRY_MAX_REQUEST_BYTES] = INT("registry", "max_request_bytes",
	    1, DWORD_MAX, "65534", "HTTP.sys MaxRequestBytes, >= 65534",
	    "MaxRequestBytes"),
	[F_REGISTRY_MAX_URL] = INT("registry", "max_url", 1, DWORD_MAX,
	    "65534", "IIS requestLimits maxUrl, >= 65534", "maxUrl"),
	[F_REGISTRY_MAX_QUERY_STRING] = INT("registry", "max_query_string", 1,
	    DWORD_MAX, "65534", "IIS requestLimits maxQueryString, >= 65534",
	    "maxQueryString"),

	[F_BINDING_FQDN] = TEXT("binding", "fqdn", "",
	    "the name in the server certificate's CN", "Server FQDN",
	    FF_REQUIRED),
	[F_BINDING_EXTERNAL_NAMES] = LIST("binding", "external_names", NULL,
	    "", "every other name clients use", "External names"),
	[F_BINDING_CERTIFICATE] = { .section = "binding",
	    .key = "certificate", .type = FT_TEXT, .def = "csr",
	    .comment = "store:THUMBPRINT | pfx:PATH | pem:CERT,KEY | csr",
	    .label = "Certificate", .help = "binding.certificate",
	    .check = check_certificate_source },
	[F_BINDING_PFX_PASSWORD] = SECRET("binding", "pfx_password",
	    "env:NAME, file:PATH or prompt (for pfx:)", "PFX password"),
	[F_BINDING_PORT] = INT("binding", "port", 1, 65535, "443",
	    "HTTPS port", "Port"),
	[F_BINDING_REMOVE_HTTP_BINDING] = BOOL("binding",
	    "remove_http_binding", "no", "remove the plain http binding",
	    "Remove http binding"),
	[F_BINDING_HIDE_MSCEP_ADMIN] = BOOL("binding", "hide_mscep_admin",
	    "yes", "hide the CertSrv/mscep_admin application",
	    "Hide mscep_admin"),

	[F_SIGNIN_CLOUD] = ENUM("signin", "cloud", cloud_choices, "public",
	    "public | gcc-high | dod | china | custom (assets/clouds.ini)",
	    "Cloud"),
	[F_SIGNIN_TENANT] = TEXT("signin", "tenant", "",
	    "tenant domain or id", "Tenant", 0),
	[F_SIGNIN_CLIENT_ID] = TEXT("signin", "client_id",
	    "14d82eec-204b-4c2f-b7e8-296a70dab67e",
	    "app (client) id for sign-in; default: Microsoft Graph "
	    "Command Line Tools", "Client id", 0),

	[F_PROXY_ENABLED] = BOOL("proxy", "enabled", "no",
	    "use a proxy for outbound connections", "Use a proxy"),
	[F_PROXY_URL] = TEXT("proxy", "url", "",
	    "scheme required: http://host:port", "Proxy URL", 0),
	[F_PROXY_BYPASS] = LIST("proxy", "bypass", NULL, "",
	    "hosts that skip the proxy; <local> = plain names", "Bypass list"),
	[F_PROXY_USERNAME] = TEXT("proxy", "username", "",
	    "empty: unauthenticated proxy", "Proxy user", 0),
	[F_PROXY_PASSWORD] = SECRET("proxy", "password",
	    "env:/file:/prompt when username is set", "Proxy password"),

	[F_HEALTH_URL] = TEXT("health", "url", "",
	    "default https://<fqdn>/certsrv/mscep/mscep.dll", "Probe URL", 0),
	[F_HEALTH_TIMEOUT_SECONDS] = INT("health", "timeout_seconds", 1, 300,
	    "10", "per-probe timeout", "Timeout (s)"),
	[F_HEALTH_CA_BUNDLE] = TEXT("health", "ca_bundle", "",
	    "PEM file of CAs to trust; empty: system store", "CA bundle", 0),
	[F_HEALTH_LONG_URL_PROBE] = BOOL("health", "long_url_probe", "yes",
	    "probe a ~31 KB SCEP URL (catches 414)", "Long-URL probe"),
	[F_HEALTH_EVENT_DAYS] = INT("health", "event_days", 1, 365, "7",
	    "days of event logs the events probe reads", "Event days"),
};

const char *const fields_sections[] = {
	"prereqs", "accounts", "template", "ndes", "registry", "binding",
	"signin", "proxy", "health", NULL
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
