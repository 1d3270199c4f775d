#include "syntax.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int
dns_name_ok(const char *s, int allow_wildcard)
{
	size_t total = strlen(s), label = 0;
	const char *p;

	if (total == 0 || total > 253 || s[total - 1] == '.')
		return 0;
	if (allow_wildcard && s[0] == '*') {
		/* "*.example.com": the wildcard is one whole label, and
		 * something with a dot must follow it. */
		if (s[1] != '.' || strchr(s + 2, '.') == NULL)
			return 0;
		s += 2;
	}
	for (p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return 0;
			if (*p == '\0')
				return 1;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
		if (label == 0 && *p == '-')
			return 0;
		label++;
	}
}

/* Characters Active Directory refuses in a sAMAccountName. */
static int
sam_char_ok(char c)
{
	return (unsigned char)c >= 0x20 && strchr("\"/\\[]:;|=,+*?<>@", c) ==
	    NULL;
}

static int
sam_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || s[n - 1] == '.' || s[n - 1] == ' ')
		return 0;
	for (; *s; s++)
		if (!sam_char_ok(*s))
			return 0;
	return 1;
}

int
netbios_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 15)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && strchr("-_.", *s) == NULL)
			return 0;
	return 1;
}

static enum account_form
parse_backslash(const char *s, const char *bs, struct account *a, char *why,
    size_t len)
{
	size_t dlen = (size_t)(bs - s), ulen = strlen(bs + 1);

	if (dlen >= sizeof a->domain || ulen >= sizeof a->user) {
		snprintf(why, len, "the name is too long");
		return ACCOUNT_BAD;
	}
	memcpy(a->domain, s, dlen);
	a->domain[dlen] = '\0';
	memcpy(a->user, bs + 1, ulen + 1);
	if (!netbios_ok(a->domain)) {
		snprintf(why, len, "'%s' is not a NetBIOS domain name (1-15 "
		    "letters, digits, - or _)", a->domain);
		return ACCOUNT_BAD;
	}
	if (ulen > 1 && a->user[ulen - 1] == '$') {
		/* A gMSA's sAMAccountName is at most 15 characters + $. */
		a->user[ulen - 1] = '\0';
		if (!sam_ok(a->user, 15)) {
			snprintf(why, len, "'%s$' is not a group managed "
			    "service account name (1-15 characters and $)",
			    a->user);
			return ACCOUNT_BAD;
		}
		a->user[ulen - 1] = '$';
		return a->form = ACCOUNT_GMSA;
	}
	if (!sam_ok(a->user, 20)) {
		snprintf(why, len, "'%s' is not a user name (1-20 characters, "
		    "none of \" / \\ [ ] : ; | = , + * ? < > @)", a->user);
		return ACCOUNT_BAD;
	}
	return a->form = ACCOUNT_DOMAIN_USER;
}

enum account_form
account_parse(const char *s, struct account *a, char *why, size_t len)
{
	const char *bs = strchr(s, '\\'), *at = strchr(s, '@');

	memset(a, 0, sizeof *a);
	if (bs != NULL && at == NULL && strchr(bs + 1, '\\') == NULL)
		return parse_backslash(s, bs, a, why, len);
	if (at != NULL && bs == NULL && strchr(at + 1, '@') == NULL &&
	    at != s && (size_t)(at - s) < sizeof a->user &&
	    strlen(at + 1) < sizeof a->domain) {
		memcpy(a->user, s, (size_t)(at - s));
		strcpy(a->domain, at + 1);
		for (const char *p = a->user; *p; p++)
			if (!sam_char_ok(*p) || *p == ' ')
				goto bad;
		if (!dns_name_ok(a->domain, 0) || strchr(a->domain, '.') ==
		    NULL)
			goto bad;
		return a->form = ACCOUNT_UPN;
	}
bad:
	snprintf(why, len, "'%s' is not an account name; use " ACCOUNT_FORMS,
	    s);
	return a->form = ACCOUNT_BAD;
}

/* ISO 3166-1 alpha-2, officially assigned codes. */
static const char iso3166[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH "
    "BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL "
    "CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET "
    "FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU "
    "GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE "
    "KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC "
    "MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC "
    "NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT "
    "PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR "
    "SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA "
    "UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

int
country_code_ok(const char *s)
{
	char code[3];

	if (strlen(s) != 2 || !isalpha((unsigned char)s[0]) ||
	    !isalpha((unsigned char)s[1]))
		return 0;
	code[0] = (char)toupper((unsigned char)s[0]);
	code[1] = (char)toupper((unsigned char)s[1]);
	code[2] = '\0';
	/* By index: stepping a pointer by 3 jumps over the final NUL. */
	for (size_t i = 0; i + 2 < sizeof iso3166; i += 3)
		if (iso3166[i] == code[0] && iso3166[i + 1] == code[1])
			return 1;
	return 0;
}

int
dns_in_domain(const char *name, const char *domain)
{
	size_t n = strlen(name), d = strlen(domain);

	if (d == 0)
		return 0;
	if (n == d)
		return strcasecmp(name, domain) == 0;
	return n > d && name[n - d - 1] == '.' &&
	    strcasecmp(name + n - d, domain) == 0;
}
