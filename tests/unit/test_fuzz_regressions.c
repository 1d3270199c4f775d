/*
 * Inputs the fuzzers (tests/fuzz/) found to crash or to break a promise,
 * inline, each with the parser call that failed. The ASan + UBSan run of
 * the unit tests is where most of these would show again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "syntax.h"

/*
 * fuzz_account, crash-c346c687ce0636bb455aea36240b2ab9e7a0a506: "uC".
 * country_code_ok walked its table of codes three bytes at a time until
 * a NUL; the last code has only its NUL after it, so an unknown code
 * stepped over it and read past the end of the array (ASan:
 * global-buffer-overflow). A ra_country the table lacks did the same.
 */
static void
test_country_unknown_code(void **state)
{
	static const char crash[] = { 0x75, 0x43, 0 }; /* "uC" */

	(void)state;
	assert_false(country_code_ok(crash));
	assert_false(country_code_ok("XX"));
	assert_false(country_code_ok("ZZ"));
	assert_true(country_code_ok("ZW"));  /* the last code */
	assert_true(country_code_ok("ad"));  /* the first */
	assert_true(country_code_ok("us"));
}

/* Every two-letter pair: none reads past the table, each known code is
 * found, and only those. */
static void
test_country_every_pair(void **state)
{
	char s[3] = { 0, 0, 0 };
	int known = 0;

	(void)state;
	for (int a = 'A'; a <= 'Z'; a++)
		for (int b = 'A'; b <= 'Z'; b++) {
			s[0] = (char)a;
			s[1] = (char)b;
			known += country_code_ok(s);
		}
	/* ISO 3166-1 alpha-2 has 249 officially assigned codes. */
	assert_int_equal(known, 249);
}

/*
 * fuzz_answers, crash-d01821de53165eaff64e2e63e3de3b43fc0c15e1, minimised:
 * the export of what loaded did not load back the same. A list item that
 * starts with ';' passed (no space before it in ",;"), but the canonical
 * value joins items with ", ", and " ;" begins a comment in the exported
 * file: spn_names came back empty. Such an item is now refused on input.
 */
static void
test_list_item_semicolon(void **state)
{
	static const char crash[] = "[meta]\nversion=1\n[accounts]\n"
	    "spn_names=,;";
	static const char *const more[] = { "a,;b", "a.contoso.com,;", ";" };
	struct answers a, again;
	char err[512], why[512], *text;

	(void)state;
	answers_init(&a);
	assert_int_equal(answerfile_load_buffer(&a, "crash.ini", crash,
	    sizeof crash - 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "crash.ini:4: [accounts] spn_names: "));
	assert_non_null(strstr(err, "comment"));
	for (size_t i = 0; i < sizeof more / sizeof *more; i++)
		assert_int_equal(answers_set(&a, F_ACCOUNTS_SPN_NAMES, more[i],
		    SRC_FILE, why, sizeof why), -1);
	/* What is accepted still goes round. */
	assert_int_equal(answers_set(&a, F_ACCOUNTS_SPN_NAMES, "a;b, c",
	    SRC_FILE, why, sizeof why), 0);
	text = answerfile_format(&a);
	answers_init(&again);
	assert_int_equal(answerfile_load_buffer(&again, "export.ini", text,
	    strlen(text), err, sizeof err), 0);
	assert_true(answers_equal(&a, &again));
	free(text);
	answers_free(&again);
	answers_free(&a);
}

/*
 * fuzz_answers, crash-7bc85a6b2737dc768ab8872741ab32be9828d55d, minimised:
 * the export did not load ("unknown section [c]"). inih reads a line
 * longer than its first buffer (200 bytes) in pieces, and the loader took
 * every piece for a line of its own: it counted one line too many and
 * checked the piece for a [section] header. Here the export's ", " made
 * the list line 203 bytes long, and its second piece began with "[c".
 */
static void
test_long_line_pieces(void **state)
{
	static const char crash[] = "[meta]\nversion=1\n[accounts]\n"
	    "spn_names=byppe,cndescs,`n_na,es = s]c[[[[[[,[c[[[[[[c][[[]][[,"
	    "[c][[[[,[ c][[[c]c[[[[[[[[,c],[c[[[[[[c][[[c][,][[[c][[[,c[][[[,"
	    "[c[[[[[[,[c[[[[[[[[c][[[c],[c[[[[[c][[[c]c],[c[[[[[[c][[[c]";
	struct answers a, again;
	char err[512], line[512], *text;
	int n;

	(void)state;
	answers_init(&a);
	assert_int_equal(answerfile_load_buffer(&a, "crash.ini", crash,
	    sizeof crash - 1, err, sizeof err), 0);
	text = answerfile_format(&a);
	answers_init(&again);
	assert_int_equal(answerfile_load_buffer(&again, "export.ini", text,
	    strlen(text), err, sizeof err), 0);
	assert_true(answers_equal(&a, &again));
	free(text);
	answers_free(&again);

	/* A piece that looks like a header is part of its line... */
	n = snprintf(line, sizeof line, "[meta]\nversion = 1\n[accounts]\n"
	    "spn_names = %0187d[x]\n", 0);
	assert_true(n > 0 && (size_t)n < sizeof line);
	assert_int_equal(answerfile_load_buffer(&a, "long.ini", line,
	    (size_t)n, err, sizeof err), 0);
	assert_non_null(strstr(answers_get(&a, F_ACCOUNTS_SPN_NAMES),
	    "0[x]"));
	/* ... and errors after a long line name their own line. */
	n = snprintf(line, sizeof line, "[meta]\nversion = 1\n[proxy]\n"
	    "bypass = %0300d\nfrobnicate = 1\n", 0);
	assert_true(n > 0 && (size_t)n < sizeof line);
	assert_int_equal(answerfile_load_buffer(&a, "long.ini", line,
	    (size_t)n, err, sizeof err), -1);
	assert_non_null(strstr(err, "long.ini:5: unknown key 'frobnicate'"));
	answers_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_country_unknown_code),
		cmocka_unit_test(test_country_every_pair),
		cmocka_unit_test(test_list_item_semicolon),
		cmocka_unit_test(test_long_line_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
