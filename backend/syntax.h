/* Syntax rules shared by the steps: DNS names, account names, countries. */
#ifndef NDESWIZ_SYNTAX_H
#define NDESWIZ_SYNTAX_H

#include <stddef.h>

/* A DNS host name: labels of 1-63 letters, digits and hyphens (not at
 * either end), 253 characters at most. With allow_wildcard, a lone "*"
 * may stand as the whole left-most label. */
int dns_name_ok(const char *, int allow_wildcard);

/* A NetBIOS (pre-Windows 2000) domain or computer name: 1-15 letters,
 * digits, "-", "_" or ".". */
int netbios_ok(const char *);

/* Is name the DNS domain itself or a name under it (case-insensitive)?
 * Never for an empty domain. */
int dns_in_domain(const char *name, const char *domain);

enum account_form {
	ACCOUNT_BAD,
	ACCOUNT_DOMAIN_USER, /* DOMAIN\user */
	ACCOUNT_UPN,         /* user@domain.tld */
	ACCOUNT_GMSA,        /* DOMAIN\name$ */
};

struct account {
	enum account_form form;
	char domain[256];
	char user[256];
};

/* Parse an account name; on ACCOUNT_BAD, why says what is wrong. */
enum account_form account_parse(const char *, struct account *, char *why,
    size_t len);
#define ACCOUNT_FORMS "DOMAIN\\user, user@domain.tld or DOMAIN\\gmsa$"

/* ISO 3166-1 alpha-2, case-insensitive. */
int country_code_ok(const char *);

#endif
