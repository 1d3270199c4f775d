/*
 * The facts table: what each fact of a machine may hold. facts.ini, the
 * win32 driver's readings and --fact KEY=VALUE all go through it.
 */
#include "facts.h"
#include "../syntax.h"
#include "../util.h"

#include <ini.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum fact_type { FACT_TEXT, FACT_INT, FACT_BOOL, FACT_SKEW };

/* What a text fact must look like, beyond fitting its buffer. */
enum fact_syntax { SYN_ANY, SYN_HOSTNAME, SYN_FQDN, SYN_DOMAIN, SYN_NETBIOS,
	SYN_LINE };

static const struct fact_def {
	const char *key;
	enum fact_type type;
	size_t off, size;     /* size: FACT_TEXT's buffer */
	long long min, max;   /* FACT_INT, FACT_SKEW */
	int required;
	const char *allowed;  /* said when a value is refused */
	enum fact_syntax syntax; /* FACT_TEXT */
} fact_defs[] = {
#define T(k, m, req, syn, what) { k, FACT_TEXT, \
	offsetof(struct host_facts, m), sizeof(((struct host_facts *)0)->m), \
	0, 0, req, what, syn }
#define N(k, m, lo, hi, req, what) { k, FACT_INT, \
	offsetof(struct host_facts, m), 0, lo, hi, req, what, SYN_ANY }
#define B(k, m) { k, FACT_BOOL, offsetof(struct host_facts, m), 0, 0, 1, 1, \
	"yes or no", SYN_ANY }
	T("hostname", hostname, 1, SYN_HOSTNAME, "a computer name: 1-15 "
	    "letters, digits or hyphens, not only digits (NDES01)"),
	T("fqdn", fqdn, 1, SYN_FQDN, "the full DNS name "
	    "(ndes01.contoso.com)"),
	T("domain", domain, 0, SYN_DOMAIN, "the DNS domain (contoso.com), "
	    "empty when not joined"),
	T("netbios_domain", netbios_domain, 0, SYN_NETBIOS, "the NetBIOS "
	    "domain name: 1-15 letters, digits, '-', '_' or '.' (CONTOSO)"),
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
	    "clock, -1000000000 to 1000000000", SYN_ANY },
	T("os_caption", os_caption, 0, SYN_LINE, "the product name: one "
	    "line of printable characters"),
#undef T
#undef N
#undef B
};

static int
printable_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int
syntax_ok(enum fact_syntax syn, const char *v)
{
	switch (syn) {
	case SYN_HOSTNAME:
		return netbios_ok(v) && strpbrk(v, "_.") == NULL &&
		    strspn(v, "0123456789") != strlen(v);
	case SYN_FQDN:
		return dns_name_ok(v, 0) && strchr(v, '.') != NULL;
	case SYN_DOMAIN:
		return *v == '\0' || dns_name_ok(v, 0);
	case SYN_NETBIOS:
		return *v == '\0' || netbios_ok(v);
	case SYN_LINE:
		return printable_line(v);
	case SYN_ANY:
		break;
	}
	return 1;
}

static int
parse_value(const struct fact_def *d, char *p, const char *value)
{
	long long v;

	switch (d->type) {
	case FACT_TEXT:
		if (strlen(value) >= d->size || !syntax_ok(d->syntax, value))
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

static void
unknown_fact(const char *key, char *err, size_t len)
{
	char known[256] = "";

	for (size_t i = 0; i < nitems(fact_defs); i++)
		snprintf(known + strlen(known), sizeof known - strlen(known),
		    "%s%s", i ? ", " : "", fact_defs[i].key);
	snprintf(err, len, "unknown fact '%.64s' (known: %s)", key, known);
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
	unknown_fact(key, r->why, sizeof r->why);
	return -1;
}

/* facts.ini's lines through the table. */
static int
fact_handler(void *user, const char *section, const char *key,
    const char *value)
{
	struct facts_reader *r = user;
	char first[sizeof r->why];

	/* inih reads on after a bad line and names the first: so do we. */
	memcpy(first, r->why, sizeof first);
	if (facts_read(r, section, key, value) == 0)
		return 1;
	if (first[0] != '\0')
		memcpy(r->why, first, sizeof first);
	return 0;
}

int
facts_parse(const char *name, const char *data, size_t n,
    struct host_facts *f, char *err, size_t len)
{
	struct facts_reader r = {0};
	char why[300];
	int rc = strlen(data) != n ? -2 : ini_parse_string(data, fact_handler,
	    &r);

	if (rc == -2)
		snprintf(err, len, "%s: holds a NUL byte", name);
	else if (rc != 0)
		snprintf(err, len, "%s:%d: %s", name, rc, r.why[0] ? r.why :
		    "not a line of an INI file");
	else if (facts_complete(&r, why, sizeof why) != 0) {
		snprintf(err, len, "%s: %s", name, why);
		rc = -1;
	} else
		*f = r.f;
	return rc == 0 ? 0 : -1;
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

char *
facts_format(const struct host_facts *f)
{
	struct buf b = {0};

	buf_adds(&b, "[host]\n");
	for (size_t i = 0; i < nitems(fact_defs); i++) {
		const struct fact_def *d = &fact_defs[i];
		const char *p = (const char *)f + d->off;

		buf_addf(&b, "%s = ", d->key);
		if (d->type == FACT_TEXT)
			buf_adds(&b, p);
		else if (d->type == FACT_BOOL)
			buf_adds(&b, *(const int *)p ? "yes" : "no");
		else if (d->type == FACT_SKEW)
			buf_addf(&b, "%lld", *(const long long *)p);
		else
			buf_addf(&b, "%d", *(const int *)p);
		buf_addc(&b, '\n');
	}
	return buf_steal(&b);
}

int
host_fact_check(const char *key, const char *value, char *err, size_t len)
{
	struct host_facts scratch;

	for (size_t i = 0; i < nitems(fact_defs); i++) {
		const struct fact_def *d = &fact_defs[i];

		if (!str_eq(d->key, key))
			continue;
		if (parse_value(d, (char *)&scratch + d->off, value) == 0)
			return 0;
		snprintf(err, len, "fact %s: '%.64s' is not allowed; it takes "
		    "%s", key, value, d->allowed);
		return -1;
	}
	unknown_fact(key, err, len);
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
