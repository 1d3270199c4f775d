/*
 * The proxy URL parser of the [proxy] step (backend/proxyurl.h). What it
 * accepts must be what it promises, and written back as scheme://host:port
 * it must parse to the same thing.
 */
#include "fuzz.h"

#include "proxyurl.h"
#include "syntax.h"

static void
check_accepted(const struct proxy_url *u)
{
	struct proxy_url again;
	char why[512], *s;
	int n;

	FUZZ_CHECK(strcmp(u->scheme, "http") == 0 ||
	    strcmp(u->scheme, "https") == 0, "scheme '%s'", u->scheme);
	FUZZ_CHECK(dns_name_ok(u->host, 0), "host '%s'", u->host);
	FUZZ_CHECK(u->port >= 1 && u->port <= 65535, "port %lld", u->port);
	n = snprintf(NULL, 0, "%s://%s:%lld", u->scheme, u->host, u->port);
	s = malloc((size_t)n + 1);
	if (s == NULL)
		abort();
	snprintf(s, (size_t)n + 1, "%s://%s:%lld", u->scheme, u->host,
	    u->port);
	FUZZ_CHECK(proxy_url_parse(s, &again, why, sizeof why) == 0,
	    "'%s' written back does not parse: %s", s, why);
	FUZZ_CHECK(strcmp(again.scheme, u->scheme) == 0 &&
	    strcmp(again.host, u->host) == 0 && again.port == u->port,
	    "'%s' parses to something else", s);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxy_url u;
	char why[512] = "", *s = fuzz_cstr(data, size);

	if (proxy_url_parse(s, &u, why, sizeof why) == 0)
		check_accepted(&u);
	else
		FUZZ_CHECK(why[0] != '\0', "refused without a reason");
	free(s);
	return 0;
}
