/* The facts table: what each fact of a machine may hold. */
#include "facts.h"
#include "../util.h"

#include <stdio.h>
#include <string.h>

enum fact_type { FACT_TEXT, FACT_INT, FACT_BOOL, FACT_SKEW };

static const struct fact_def {
	const char *key;
	enum fact_type type;
	size_t off, size;     /* size: FACT_TEXT's buffer */
	long long min, max;   /* FACT_INT, FACT_SKEW */
	int required;
	const char *allowed;  /* said when a value is refused */
} fact_defs[] = {
#define T(k, m, req, what) { k, FACT_TEXT, offsetof(struct host_facts, m), \
	sizeof(((struct host_facts *)0)->m), 0, 0, req, what }
#define N(k, m, lo, hi, req, what) { k, FACT_INT, \
	offsetof(struct host_facts, m), 0, lo, hi, req, what }
#define B(k, m) { k, FACT_BOOL, offsetof(struct host_facts, m), 0, 0, 1, 1, \
	"yes or no" }
	T("hostname", hostname, 1, "the short host name"),
	T("fqdn", fqdn, 1, "the fully qualified name"),
	T("domain", domain, 0, "the DNS domain, empty when not joined"),
	T("netbios_domain", netbios_domain, 0, "the NetBIOS domain name"),
	N("domain_role", domain_role, 0, 5, 1, "Win32_ComputerSystem."
	    "DomainRole, a number from 0 to 5 (0 standalone workstation, "
	    "1 member workstation, 2 standalone server, 3 member server, "
	    "4 backup DC, 5 primary DC)"),
	B("part_of_domain", part_of_domain),
	N("os_major", os_major, 5, 99, 1, "the major Windows version, "
	    "5 to 99 (10 for Windows Server 2016 to 2025)"),
	N("os_minor", os_minor, 0, 99, 1, "the minor Windows version, "
	    "0 to 99"),
	N("os_build", os_build, 0, 999999, 1, "the build number, 0 to "
	    "999999"),
	B("server_core", server_core),
	B("elevated", elevated),
	{ "clock_skew", FACT_SKEW, offsetof(struct host_facts, clock_skew),
	    0, -1000000000, 1000000000, 0, "seconds against a reference "
	    "clock, -1000000000 to 1000000000" },
	T("os_caption", os_caption, 0, "the product name"),
#undef T
#undef N
#undef B
};

static int
parse_value(const struct fact_def *d, char *p, const char *value)
{
	long long v;

	switch (d->type) {
	case FACT_TEXT:
		if (strlen(value) >= d->size)
			return -1;
		memcpy(p, value, strlen(value) + 1);
		return 0;
	case FACT_BOOL:
		if (!str_eq(value, "yes") && !str_eq(value, "no"))
			return -1;
		*(int *)p = str_eq(value, "yes");
		return 0;
	case FACT_SKEW:
		if (str_to_long(value, d->min, d->max, &v) != 0)
			return -1;
		*(long long *)p = v;
		return 0;
	case FACT_INT:
		if (str_to_long(value, d->min, d->max, &v) != 0)
			return -1;
		*(int *)p = (int)v;
		return 0;
	}
	return -1;
}

int
facts_read(struct facts_reader *r, const char *section, const char *key,
    const char *value)
{
	if (!str_eq(section, "host")) {
		snprintf(r->why, sizeof r->why, "[%s]: facts go in [host]",
		    section);
		return -1;
	}
	for (size_t i = 0; i < nitems(fact_defs); i++) {
		const struct fact_def *d = &fact_defs[i];

		if (!str_eq(d->key, key))
			continue;
		if (r->seen & (1UL << i)) {
			snprintf(r->why, sizeof r->why, "%s is given twice",
			    key);
			return -1;
		}
		if (parse_value(d, (char *)&r->f + d->off, value) != 0) {
			snprintf(r->why, sizeof r->why, "%s = '%.64s' is not "
			    "allowed; it takes %s", key, value, d->allowed);
			return -1;
		}
		r->seen |= 1UL << i;
		return 0;
	}
	snprintf(r->why, sizeof r->why, "unknown fact '%.64s' (known: "
	    "hostname, fqdn, domain, netbios_domain, domain_role, "
	    "part_of_domain, os_major, os_minor, os_build, server_core, "
	    "elevated, clock_skew, os_caption)", key);
	return -1;
}

int
facts_complete(const struct facts_reader *r, char *err, size_t len)
{
	for (size_t i = 0; i < nitems(fact_defs); i++)
		if (fact_defs[i].required && !(r->seen & (1UL << i))) {
			snprintf(err, len, "the fact %s is missing; it takes "
			    "%s", fact_defs[i].key, fact_defs[i].allowed);
			return -1;
		}
	return 0;
}

int
facts_check(const struct host_facts *f, char *err, size_t len)
{
	for (size_t i = 0; i < nitems(fact_defs); i++) {
		const struct fact_def *d = &fact_defs[i];
		const char *p = (const char *)f + d->off;
		long long v = d->type == FACT_SKEW ? *(const long long *)p :
		    d->type == FACT_TEXT ? 0 : *(const int *)p;

		if (d->type == FACT_TEXT ? d->required && *p == '\0' :
		    v < d->min || v > d->max) {
			snprintf(err, len, "the machine's %s is not known or "
			    "not possible (%lld); it takes %s", d->key, v,
			    d->allowed);
			return -1;
		}
	}
	return 0;
}
