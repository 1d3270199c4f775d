/* The proxy bypass matcher (backend/bypass.c), once, as a table: every
 * caller (validation, the endpoints check, the sign-in) uses it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "bypass.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *entry, *host;
	int hit;
} match_cases[] = {
	/* <local>: a name without a dot, any case of the keyword. */
	{ "<local>", "ndes01", 1 },
	{ "<LOCAL>", "ndes01", 1 },
	{ "<Local>", "NDES01", 1 },
	{ "<local>", "ndes01.corp", 0 },
	{ "<local>", "127.0.0.1", 0 },
	{ "<local>", "::1", 0 },
	{ "<local>", "", 0 },
	/* *.domain: names under it, at any depth; not the domain. */
	{ "*.contoso.com", "ca.contoso.com", 1 },
	{ "*.contoso.com", "A.B.CONTOSO.COM", 1 },
	{ "*.CONTOSO.com", "ca.contoso.com", 1 },
	{ "*.contoso.com", "contoso.com", 0 },
	{ "*.contoso.com", "evilcontoso.com", 0 },
	{ "*.contoso.com", "ca.contoso.com.evil.net", 0 },
	/* .domain: read as *.domain (the choice bypass.c documents). */
	{ ".fabrikam.net", "x.fabrikam.net", 1 },
	{ ".fabrikam.net", "X.Y.FABRIKAM.NET", 1 },
	{ ".fabrikam.net", "fabrikam.net", 0 },
	{ ".fabrikam.net", "evilfabrikam.net", 0 },
	{ ".", "x.", 0 },
	/* Wildcards elsewhere: addresses and prefixes. */
	{ "10.*", "10.1.2.3", 1 },
	{ "10.*", "110.1.2.3", 0 },
	{ "127.0.0.*", "127.0.0.1", 1 },
	{ "ndes*", "ndes01.corp", 1 },
	{ "*ndes*", "my-ndes-01", 1 },
	{ "a*b*c", "aXbYc", 1 },
	{ "a*b*c", "aXbY", 0 },
	{ "*", "anything.example", 1 },
	{ "**", "x", 1 },
	/* Anything else: that host exactly, case-insensitively. */
	{ "exact.example.org", "exact.example.org", 1 },
	{ "exact.example.org", "EXACT.example.ORG", 1 },
	{ "exact.example.org", "a.exact.example.org", 0 },
	{ "exact.example.org", "exact.example.or", 0 },
	{ "exact.example.org", "login.microsoftonline.com", 0 },
};

static void
test_match_table(void **state)
{
	char msg[256];

	(void)state;
	for (size_t i = 0; i < nitems(match_cases); i++) {
		int got = bypass_match(match_cases[i].entry,
		    match_cases[i].host);

		snprintf(msg, sizeof msg, "'%s' vs '%s': want %d, got %d",
		    match_cases[i].entry, match_cases[i].host,
		    match_cases[i].hit, got);
		if (got != match_cases[i].hit)
			fail_msg("%s", msg);
	}
}

static const struct {
	const char *entry;
	int ok;
} entry_cases[] = {
	{ "<local>", 1 }, { "<LOCAL>", 1 }, { "*.contoso.com", 1 },
	{ ".contoso.com", 1 }, { "10.*", 1 }, { "host-01", 1 },
	{ "fe80::1", 1 }, { "*", 1 },
	{ "", 0 }, { "a b", 0 }, { "http://x.contoso.com", 0 },
	{ "<localhost>", 0 }, { "x/y", 0 }, { "a;b", 0 }, { "a,b", 0 },
};

static void
test_entry_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(entry_cases); i++)
		if (bypass_entry_ok(entry_cases[i].entry) != entry_cases[i].ok)
			fail_msg("entry '%s': want %d", entry_cases[i].entry,
			    entry_cases[i].ok);
}

static const struct {
	const char *list;
	size_t n;
	const char *items[4];
} split_cases[] = {
	{ "<local>;*.fabrikam.com", 2, { "<local>", "*.fabrikam.com" } },
	{ "<local>, *.contoso.com", 2, { "<local>", "*.contoso.com" } },
	{ " a ; b , c ", 3, { "a", "b", "c" } },
	{ ";;,", 0, { NULL } },
	{ "", 0, { NULL } },
	{ "a b", 1, { "a b" } },
};

static void
test_split_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(split_cases); i++) {
		size_t n;
		char **v = bypass_split(split_cases[i].list, &n);

		if (n != split_cases[i].n)
			fail_msg("'%s': %zu items, want %zu",
			    split_cases[i].list, n, split_cases[i].n);
		for (size_t j = 0; j < n; j++)
			assert_string_equal(v[j], split_cases[i].items[j]);
		str_list_free(v, n);
	}
}

static void
test_list(void **state)
{
	char *v[] = { "<local>", "*.contoso.com" };

	(void)state;
	assert_true(bypass_list_match(v, 2, "ndes01"));
	assert_true(bypass_list_match(v, 2, "ca.contoso.com"));
	assert_false(bypass_list_match(v, 2, "login.microsoftonline.com"));
	assert_false(bypass_list_match(v, 0, "ndes01"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_table),
		cmocka_unit_test(test_entry_table),
		cmocka_unit_test(test_split_table),
		cmocka_unit_test(test_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
