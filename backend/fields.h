/*
 * The field table: one row per setting of the answer file. It is the single
 * source of truth for the INI reader and writer, the wizard's forms and the
 * unattended validation (tmux's options-table.c is the model).
 */
#ifndef NDESWIZ_FIELDS_H
#define NDESWIZ_FIELDS_H

#include <stddef.h>

enum field_type {
	FT_TEXT,
	FT_BOOL,
	FT_ENUM,
	FT_INT,
	FT_SECRET, /* a reference only: env:NAME, file:PATH or prompt */
	FT_LIST,   /* comma-separated; items from choices when choices != NULL */
};

#define FF_REQUIRED 0x1 /* a step needs a non-empty value */
#define FF_SECRET 0x2

/*
 * A per-field syntax check, run when a value is read from any source.
 * Returns NULL when the value is fine, else a message naming what is wrong
 * and what is allowed, written into why.
 */
typedef const char *(*field_check_fn)(const char *value, char *why,
    size_t len);

struct field {
	const char *section;
	const char *key;
	enum field_type type;
	/* NULL-terminated; FT_ENUM and FT_LIST take only these, FT_TEXT
	 * offers them and takes any other text too. */
	const char *const *choices;
	long long min, max;         /* FT_INT bounds */
	const char *def;            /* default, in canonical form */
	/* One line, written by export after the choices of an enum or a
	 * list (field_comment); may be NULL when the choices say it all. */
	const char *comment;
	const char *label;          /* short label for forms */
	const char *help;           /* help id: assets/help/<help>.txt */
	int flags;
	field_check_fn check;
};

/* Indexes into fields_table; keep in table order. */
enum field_id {
	F_PREREQS_SCENARIOS,
	F_PREREQS_INSTALL_FEATURES,
	F_PREREQS_DISABLE_IE_ESC,
	F_PREREQS_ENABLE_TLS12,

	F_ACCOUNTS_NDES_SERVICE_ACCOUNT,
	F_ACCOUNTS_NDES_SERVICE_PASSWORD,
	F_ACCOUNTS_CONNECTOR_ACCOUNT,
	F_ACCOUNTS_CONNECTOR_DOMAIN_ACCOUNT,
	F_ACCOUNTS_CONNECTOR_PASSWORD,
	F_ACCOUNTS_SPN_NAMES,

	F_TEMPLATE_NAME,
	F_TEMPLATE_DISPLAY_NAME,
	F_TEMPLATE_PURPOSE,
	F_TEMPLATE_VALIDITY_DAYS,
	F_TEMPLATE_KEY_SIZE,
	F_TEMPLATE_APPLE_DEVICES,
	F_TEMPLATE_REQUESTER_VALIDITY,

	F_NDES_CA_CONFIG,
	F_NDES_APP_POOL_IDENTITY,
	F_NDES_RA_NAME,
	F_NDES_RA_COUNTRY,
	F_NDES_RA_COMPANY,
	F_NDES_RA_DEPARTMENT,
	F_NDES_RA_CITY,
	F_NDES_RA_STATE,
	F_NDES_RA_EMAIL,
	F_NDES_SIGNING_CSP,
	F_NDES_SIGNING_KEY_LENGTH,
	F_NDES_ENCRYPTION_CSP,
	F_NDES_ENCRYPTION_KEY_LENGTH,

	F_REGISTRY_SIGNATURE_TEMPLATE,
	F_REGISTRY_ENCRYPTION_TEMPLATE,
	F_REGISTRY_GENERAL_PURPOSE_TEMPLATE,
	F_REGISTRY_ALL_PURPOSES,
	F_REGISTRY_MAX_FIELD_LENGTH,
	F_REGISTRY_MAX_REQUEST_BYTES,
	F_REGISTRY_MAX_URL,
	F_REGISTRY_MAX_QUERY_STRING,

	F_BINDING_FQDN,
	F_BINDING_EXTERNAL_NAMES,
	F_BINDING_CERTIFICATE,
	F_BINDING_PFX_PASSWORD,
	F_BINDING_PORT,
	F_BINDING_REMOVE_HTTP_BINDING,
	F_BINDING_HIDE_MSCEP_ADMIN,

	F_SIGNIN_CLOUD,
	F_SIGNIN_TENANT,
	F_SIGNIN_CLIENT_ID,

	F_PROXY_ENABLED,
	F_PROXY_URL,
	F_PROXY_BYPASS,
	F_PROXY_USERNAME,
	F_PROXY_PASSWORD,

	F_CONNECTOR_INSTALLER,

	F_HEALTH_URL,
	F_HEALTH_TIMEOUT_SECONDS,
	F_HEALTH_CA_BUNDLE,
	F_HEALTH_LONG_URL_PROBE,
	F_HEALTH_EVENT_DAYS,

	F__COUNT
};

extern const struct field fields_table[F__COUNT];

/* The sections in file order, NULL-terminated (without "meta"). */
extern const char *const fields_sections[];

#define ANSWERS_VERSION 1

int field_lookup(const char *section, const char *key); /* -1: none */
int field_section_known(const char *section);
/* "section.key", in a static buffer per id. */
const char *field_name(enum field_id);

/*
 * Check a value against its row and bring it to canonical form (booleans
 * to yes/no, lists to "a, b", numbers without leading zeros). Returns the
 * canonical value (caller frees) or NULL with a message in why.
 */
char *field_parse(enum field_id, const char *value, char *why, size_t len);

/* The comment export writes above the key: an enum's or a list's
 * choices, then the row's comment. */
void field_comment(enum field_id, char *out, size_t len);

/* Describe what a field accepts ("yes or no", "one of: a, b", ...). */
void field_describe(enum field_id, char *out, size_t len);

#endif
