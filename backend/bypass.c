/*
 * The proxy bypass list as WinHTTP reads it (netsh winhttp set proxy
 * proxy-server=... bypass-list=...). Source: "WINHTTP_PROXY_INFO
 * structure", learn.microsoft.com/en-us/windows/win32/api/winhttp/
 * ns-winhttp-winhttp_proxy_info: the bypass list holds server names
 * separated by semicolons or white space, and "<local>" stands for every
 * server whose name holds no period. The rules, one place:
 *
 *   <local>        a name without a dot (an IPv6 literal is no name)
 *   *.contoso.com  '*' matches any run of characters, dots included:
 *                  a.contoso.com, a.b.contoso.com; not contoso.com
 *   .contoso.com   not documented by Microsoft; read here as
 *                  *.contoso.com (names under it, not contoso.com
 *                  itself), as curl's NO_PROXY reads it
 *   *              every host
 *   anything else  that host exactly
 *
 * Matching is case-insensitive and on the host only, never the port.
 * Lists are separated by ';' (netsh's) or ',' (the answer file's list
 * syntax); white space around an entry is dropped, but not taken as a
 * separator (WinHTTP allows it; an entry "a b" is more likely a typo, and
 * validation says so).
 */
#include "bypass.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char **
bypass_split(const char *list, size_t *n)
{
	return str_split_any(list != NULL ? list : "", ";,", n);
}

int
bypass_entry_ok(const char *e)
{
	if (strcasecmp(e, "<local>") == 0)
		return 1;
	for (const char *p = e; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("*.-:", *p) !=
		    NULL))
			return 0;
	return *e != '\0';
}

/* '*' matches any run of characters; everything else one character,
 * case-insensitively. Iterative, with one backtrack point: linear for
 * the patterns a bypass list holds. */
static int
glob_ieq(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s != '\0') {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p != '\0' && tolower((unsigned char)*p) ==
		    tolower((unsigned char)*s)) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star + 1;
			s = ++resume;
		} else
			return 0;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int
bypass_match(const char *e, const char *host)
{
	if (*host == '\0')
		return 0;
	if (strcasecmp(e, "<local>") == 0)
		return strchr(host, '.') == NULL && strchr(host, ':') == NULL;
	if (e[0] == '.')
		return e[1] != '\0' && strlen(host) > strlen(e) &&
		    strcasecmp(host + strlen(host) - strlen(e), e) == 0;
	return glob_ieq(e, host);
}

int
bypass_list_match(char *const *v, size_t n, const char *host)
{
	for (size_t i = 0; i < n; i++)
		if (bypass_match(v[i], host))
			return 1;
	return 0;
}
