/* The sanitiser, as a table: what reaches a terminal for what came in. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

static const struct {
	const char *in;
	int flags;
	const char *out;
} cases[] = {
	{ "plain text", 0, "plain text" },
	{ "two\nlines\tand tab", 0, "two\nlines\tand tab" },
	{ "two\nlines", SAN_LINE, "two lines" },
	{ "\033[2Jclear", 0, "\\x1b[2Jclear" },
	{ "bell\a del\x7f", 0, "bell\\x07 del\\x7f" },
	{ "c1 \xc2\x9b" "2J", 0, "c1 \\u009B2J" },
	{ "rlo \xe2\x80\xae" "gpj.exe", 0, "rlo \\u202Egpj.exe" },
	{ "isolate \xe2\x81\xa6x\xe2\x81\xa9", 0, "isolate \\u2066x\\u2069" },
	{ "bad \xff utf8 \xc0\xaf", 0, "bad \\xff utf8 \\xc0\\xaf" },
	{ "caf\xc3\xa9 \xe2\x9c\x93", 0, "caf\xc3\xa9 \xe2\x9c\x93" },
	{ "a|b", 0, "a|b" },
	{ "fake | perf=1;;;0\nnext", SAN_NAGIOS, "fake / perf=1;;;0 next" },
	{ "cr\r\n", SAN_LINE, "cr  " },
	{ "", 0, "" },
};

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = sanitize(cases[i].in, cases[i].flags);

		if (strcmp(got, cases[i].out) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, got,
			    cases[i].out);
		free(got);
	}
	assert_null(sanitize(NULL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
