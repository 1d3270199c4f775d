/*
 * What a fact of facts.ini may hold, one rule per key, and whether a
 * machine's names agree with each other. --fact KEY=VALUE goes through
 * here before a target is made (profile.c).
 */
#include "host.h"
#include "../syntax.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum fact_kind {
	FK_HOSTNAME, /* a computer name: NetBIOS, not all digits */
	FK_FQDN,     /* a DNS name of at least two labels */
	FK_DOMAIN,   /* a DNS name, or empty: not joined */
	FK_NETBIOS,  /* a NetBIOS domain name, or empty */
	FK_INT,
	FK_BOOL,     /* yes or no */
	FK_TEXT,     /* printable, one line */
};

static const struct fact_rule {
	const char *key;
	enum fact_kind kind;
	long long min, max;
	const char *allowed;
} fact_rules[] = {
	{ "hostname", FK_HOSTNAME, 0, 0, "a computer name: 1-15 letters, "
	    "digits or hyphens, not only digits (NDES01)" },
	{ "fqdn", FK_FQDN, 0, 0, "the full DNS name (ndes01.contoso.com)" },
	{ "domain", FK_DOMAIN, 0, 0, "the DNS domain (contoso.com), empty "
	    "when not joined" },
	{ "netbios_domain", FK_NETBIOS, 0, 0, "the NetBIOS domain name: "
	    "1-15 letters, digits, '-', '_' or '.' (CONTOSO)" },
	{ "domain_role", FK_INT, 0, 5, "Win32_ComputerSystem DomainRole, "
	    "0 to 5 (3: member server)" },
	{ "part_of_domain", FK_BOOL, 0, 0, "yes or no" },
	{ "os_major", FK_INT, 5, 99, "a number from 5 to 99 (10)" },
	{ "os_minor", FK_INT, 0, 99, "a number from 0 to 99" },
	{ "os_build", FK_INT, 0, 999999, "a build number (20348)" },
	{ "server_core", FK_BOOL, 0, 0, "yes or no" },
	{ "elevated", FK_BOOL, 0, 0, "yes or no" },
	{ "clock_skew", FK_INT, -1000000000, 1000000000, "seconds, a "
	    "whole number" },
	{ "os_caption", FK_TEXT, 0, 127, "one line of at most 127 "
	    "printable characters" },
};

static int
all_digits(const char *s)
{
	return strspn(s, "0123456789") == strlen(s);
}

static int
text_ok(const char *s, size_t max)
{
	if (strlen(s) > max)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int
value_ok(const struct fact_rule *r, const char *v)
{
	long long n;

	switch (r->kind) {
	case FK_HOSTNAME:
		return netbios_ok(v) && strpbrk(v, "_.") == NULL &&
		    !all_digits(v);
	case FK_FQDN:
		return dns_name_ok(v, 0) && strchr(v, '.') != NULL;
	case FK_DOMAIN:
		return *v == '\0' || dns_name_ok(v, 0);
	case FK_NETBIOS:
		return *v == '\0' || netbios_ok(v);
	case FK_INT:
		return str_to_long(v, r->min, r->max, &n) == 0;
	case FK_BOOL:
		return str_ieq(v, "yes") || str_ieq(v, "no");
	case FK_TEXT:
		return text_ok(v, (size_t)r->max);
	}
	return 0;
}

int
host_fact_check(const char *key, const char *value, char *err, size_t len)
{
	char known[256] = "";

	for (size_t i = 0; i < nitems(fact_rules); i++) {
		const struct fact_rule *r = &fact_rules[i];

		if (strcmp(r->key, key) != 0)
			continue;
		if (value_ok(r, value))
			return 0;
		snprintf(err, len, "fact %s: '%s' is not allowed; %s", key,
		    value, r->allowed);
		return -1;
	}
	for (size_t i = 0; i < nitems(fact_rules); i++)
		snprintf(known + strlen(known), sizeof known - strlen(known),
		    "%s%s", i ? ", " : "", fact_rules[i].key);
	snprintf(err, len, "unknown fact '%s' (known: %s)", key, known);
	return -1;
}

int
host_facts_agree(const char *hostname, const char *fqdn, const char *domain,
    char *err, size_t len)
{
	const char *dot = strchr(fqdn, '.');
	size_t n = dot ? (size_t)(dot - fqdn) : strlen(fqdn);

	if (strlen(hostname) != n || strncasecmp(fqdn, hostname, n) != 0) {
		snprintf(err, len, "fqdn '%s' does not start with hostname "
		    "'%s': the fqdn is hostname.domain", fqdn, hostname);
		return -1;
	}
	if (dot == NULL ? *domain != '\0' : !str_ieq(dot + 1, domain)) {
		snprintf(err, len, "fqdn '%s' is not in domain '%s': the fqdn "
		    "is hostname.domain", fqdn, domain);
		return -1;
	}
	return 0;
}
