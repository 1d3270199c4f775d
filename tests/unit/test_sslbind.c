/* The RES_SSLBIND value codec (backend/host/sslbind.c), as a table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sslbind.h"

#include <stdlib.h>
#include <string.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *v, *hash, *store, *appid;
} cases[] = {
	{ "hash=AB12;store=MY;appid={4dc3e181-e14b-4a21-b022-59fc669b0914}",
	  "AB12", "MY", "{4dc3e181-e14b-4a21-b022-59fc669b0914}" },
	/* Keys in any case, in any order. */
	{ "APPID={x};Store=Root;HASH=cd", "cd", "Root", "{x}" },
	/* A registry string's quotes are dropped; a lone quote is kept. */
	{ "hash=\"AB\";store=\"MY\";appid=\"\"", "AB", "MY", "" },
	{ "hash=\";store=MY", "\"", "MY", "" },
	/* Absent fields are empty; the first of a repeated key wins. */
	{ "hash=AB", "AB", "", "" },
	{ "", "", "", "" },
	{ "hash=1;hash=2", "1", "", "" },
	/* A key is whole: "hashx" is not "hash"; empty items are skipped. */
	{ "hashx=1;;hash=2;;", "2", "", "" },
	{ "store=", "", "", "" },
};

static void
test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		struct sslbind b;
		char out[8];

		sslbind_parse(cases[i].v, &b);
		assert_string_equal(b.hash, cases[i].hash);
		assert_string_equal(b.store, cases[i].store);
		assert_string_equal(b.appid, cases[i].appid);
		sslbind_free(&b);
		/* The buffer form agrees, truncating to the buffer. */
		sslbind_field(cases[i].v, "store", out, sizeof out);
		assert_int_equal(strncmp(out, cases[i].store, sizeof out - 1),
		    0);
	}
}

static void
test_format_roundtrip(void **state)
{
	struct sslbind b;
	char *v;

	(void)state;
	v = sslbind_format("0123ABCD", "MY", "{4dc3e181-e14b-4a21-b022-"
	    "59fc669b0914}");
	assert_string_equal(v, "hash=0123ABCD;store=MY;appid={4dc3e181-"
	    "e14b-4a21-b022-59fc669b0914}");
	sslbind_parse(v, &b);
	assert_string_equal(b.hash, "0123ABCD");
	assert_string_equal(b.store, "MY");
	assert_string_equal(b.appid, "{4dc3e181-e14b-4a21-b022-59fc669b0914}");
	sslbind_free(&b);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_format_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
