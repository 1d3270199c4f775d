/* The one UTF-8/UTF-16LE codec (backend/utf.c), as tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "utf.h"

#include <string.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *s;
	size_t len;	/* strict: 0 = ill-formed */
	uint32_t cp;
} decode_cases[] = {
	{ "A", 1, 'A' },
	{ "\xc3\xa9", 2, 0xe9 },
	{ "\xe2\x80\xa6", 3, 0x2026 },
	{ "\xf0\x9f\x98\x80", 4, 0x1f600 },
	{ "\xf4\x8f\xbf\xbf", 4, 0x10ffff },
	{ "\xc0\x80", 0, 0 },		/* overlong NUL */
	{ "\xe0\x80\xaf", 0, 0 },	/* overlong '/' */
	{ "\xed\xa0\x80", 0, 0 },	/* a surrogate */
	{ "\xf4\x90\x80\x80", 0, 0 },	/* past U+10FFFF */
	{ "\xc3", 0, 0 },		/* cut short */
	{ "\xe2\x80", 0, 0 },
	{ "\xc3\x41", 0, 0 },		/* no continuation */
	{ "\x80", 0, 0 },		/* a lone continuation */
	{ "\xff", 0, 0 },
};

static void
test_decode_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(decode_cases); i++) {
		const unsigned char *s =
		    (const unsigned char *)decode_cases[i].s;
		size_t len = strlen(decode_cases[i].s);
		uint32_t cp = 0;
		char out[4];

		if (u8_decode(s, len, &cp) != decode_cases[i].len)
			fail_msg("case %zu: strict length", i);
		if (decode_cases[i].len == 0) {
			/* Lax: one byte, U+FFFD. */
			assert_int_equal(u8_decode_lax(s, len, &cp), 1);
			assert_int_equal(cp, 0xfffd);
			assert_false(u8_valid(decode_cases[i].s));
			continue;
		}
		assert_int_equal(cp, decode_cases[i].cp);
		assert_int_equal(u8_decode_lax(s, len, &cp),
		    decode_cases[i].len);
		assert_true(u8_valid(decode_cases[i].s));
		/* Encoding gives the same bytes back. */
		assert_int_equal(u8_encode(out, cp), decode_cases[i].len);
		assert_memory_equal(out, s, decode_cases[i].len);
	}
	assert_int_equal(u8_decode_lax((const unsigned char *)"", 0, NULL),
	    0);
}

static void
test_utf16_table(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		enum utf16_status st;
		uint32_t cp;
		size_t next;
	} t[] = {
		{ "A\0", 2, UTF16_OK, 'A', 2 },
		{ "\xe9\0", 2, UTF16_OK, 0xe9, 2 },
		{ "\x3d\xd8\x00\xde", 4, UTF16_OK, 0x1f600, 4 },
		{ "A", 1, UTF16_ODD, 0, 0 },
		{ "\x3d\xd8\x00", 3, UTF16_ODD, 0, 0 },
		{ "\x3d\xd8", 2, UTF16_SURROGATE, 0, 0 },
		{ "\x00\xde", 2, UTF16_SURROGATE, 0, 0 },
		{ "\x3d\xd8\x41\x00", 4, UTF16_SURROGATE, 0, 0 },
	};
	char out[4];

	(void)state;
	for (size_t i = 0; i < nitems(t); i++) {
		size_t at = 0;
		uint32_t cp = 0;

		if (u16le_next((const unsigned char *)t[i].bytes, t[i].len,
		    &at, &cp) != t[i].st)
			fail_msg("utf16 case %zu", i);
		if (t[i].st != UTF16_OK)
			continue;
		assert_int_equal(cp, t[i].cp);
		assert_int_equal(at, t[i].next);
		assert_int_equal(u16le_encode(out, cp), t[i].len);
		assert_memory_equal(out, t[i].bytes, t[i].len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_utf16_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
