/*
 * The .reg value codec (regval.c): building values of each type, reading
 * them back, the human form, and which data is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regfile.h"
#include "util.h"

/* Value data helpers. */

static void
test_value_constructors(void **state)
{
	const char *multi[] = { "a", "b" }, *bad_multi[] = { "a", "" };
	const unsigned char bin[] = { 0x01, 0xab, 0x00 };
	struct {
		char *got;
		const char *want;
	} t[] = {
		{ regval_sz("plain"), "\"plain\"" },
		{ regval_sz("C:\\dir \"q\""), "\"C:\\\\dir \\\"q\\\"\"" },
		{ regval_sz(""), "\"\"" },
		{ regval_sz("a\nb"), "hex(1):61,00,0a,00,62,00,00,00" },
		{ regval_expand_sz("%SystemRoot%"),
		    "hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,"
		    "6f,00,6f,00,74,00,25,00,00,00" },
		{ regval_expand_sz("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
		    "hex(2):e9,00,ac,20,3d,d8,00,de,00,00" },
		{ regval_multi_sz(multi, 2),
		    "hex(7):61,00,00,00,62,00,00,00,00,00" },
		{ regval_multi_sz(NULL, 0), "hex(7):00,00" },
		{ regval_dword(0xfffe), "dword:0000fffe" },
		{ regval_dword(0xffffffffUL), "dword:ffffffff" },
		{ regval_qword(0x0102030405060708ULL),
		    "hex(b):08,07,06,05,04,03,02,01" },
		{ regval_binary(bin, sizeof bin), "hex:01,ab,00" },
		{ regval_binary(NULL, 0), "hex:" },
	};

	(void)state;
	for (size_t i = 0; i < nitems(t); i++) {
		assert_non_null(t[i].got);
		assert_string_equal(t[i].got, t[i].want);
		assert_int_equal(regval_check(t[i].got, NULL, 0), 0);
		free(t[i].got);
	}
	assert_null(regval_sz("\xc3\x28"));
	assert_null(regval_expand_sz("\xed\xa0\x80"));	/* a surrogate */
	assert_null(regval_multi_sz(bad_multi, 2));
}

static void
test_value_getters(void **state)
{
	const char *multi[] = { "WAS", "HTTP", "\xf0\x9f\x98\x80" };
	unsigned long dw;
	unsigned long long qw;
	unsigned char *bin;
	size_t n, len;
	char *s, **v;

	(void)state;
	assert_int_equal(regval_get_dword("dword:0000fffe", &dw), 0);
	assert_int_equal(dw, 0xfffe);
	assert_int_equal(regval_get_dword("dword:FFFFFFFF", &dw), 0);
	assert_int_equal(dw, 0xffffffffUL);
	assert_int_equal(regval_get_dword("\"1\"", &dw), -1);
	assert_int_equal(regval_get_dword("hex(4):01,00,00,00", &dw), -1);

	assert_int_equal(regval_get_qword("hex(b):08,07,06,05,04,03,02,01",
	    &qw), 0);
	assert_true(qw == 0x0102030405060708ULL);
	assert_int_equal(regval_get_qword("hex(b):01", &qw), -1);
	assert_int_equal(regval_get_qword("hex:01,02,03,04,05,06,07,08",
	    &qw), -1);

	s = regval_get_sz("\"a\\\\b\\\"c\"");
	assert_string_equal(s, "a\\b\"c");
	free(s);
	s = regval_get_sz("hex(2):25,00,41,00,25,00,00,00");
	assert_string_equal(s, "%A%");
	free(s);
	s = regval_get_sz("hex(1):61,00,0a,00,62,00,00,00");
	assert_string_equal(s, "a\nb");
	free(s);
	assert_null(regval_get_sz("dword:00000001"));
	assert_null(regval_get_sz("hex(2):00,d8,00,00"));	/* lone */
	assert_null(regval_get_sz("hex(2):41"));		/* odd */
	assert_null(regval_get_sz("hex(7):41,00,00,00"));

	s = regval_multi_sz(multi, nitems(multi));
	v = regval_get_multi_sz(s, &n);
	free(s);
	assert_non_null(v);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "WAS");
	assert_string_equal(v[1], "HTTP");
	assert_string_equal(v[2], "\xf0\x9f\x98\x80");
	str_list_free(v, n);
	v = regval_get_multi_sz("hex(7):00,00", &n);
	assert_non_null(v);
	assert_int_equal(n, 0);
	str_list_free(v, n);
	/* Windows accepts a list missing its final terminator. */
	v = regval_get_multi_sz("hex(7):61,00,00,00", &n);
	assert_int_equal(n, 1);
	str_list_free(v, n);
	assert_null(regval_get_multi_sz("hex(2):61,00,00,00", &n));
	assert_int_equal(n, 0);

	bin = regval_get_binary("hex(5):00,01,FF", &len);
	assert_int_equal(len, 3);
	assert_memory_equal(bin, "\x00\x01\xff", 3);
	free(bin);
	assert_null(regval_get_binary("\"x\"", &len));

	assert_int_equal(regval_type("\"x\""), REGT_SZ);
	assert_int_equal(regval_type("dword:1"), REGT_DWORD);
	assert_int_equal(regval_type("hex:"), REGT_BINARY);
	assert_int_equal(regval_type("hex(7):00,00"), REGT_MULTI_SZ);
	assert_int_equal(regval_type("hex(ffffffff):"), 0xffffffffL);
	assert_int_equal(regval_type("hex(g):"), -1);
}

static void
test_value_human(void **state)
{
	static const struct {
		const char *data, *want;
	} t[] = {
		{ "dword:0000fffe", "REG_DWORD 65534 (0x0000fffe)" },
		{ "\"x\"", "REG_SZ \"x\"" },
		{ "\"a\\\\b\"", "REG_SZ \"a\\\\b\"" },
		{ "hex(7):61,00,00,00,62,00,00,00,00,00",
		    "REG_MULTI_SZ a | b" },
		{ "hex(7):00,00", "REG_MULTI_SZ (empty)" },
		{ "hex(7):61,00,0a,00,00,00,00,00", "REG_MULTI_SZ a\\x0a" },
		{ "hex:01,02", "REG_BINARY 01 02" },
		{ "hex:", "REG_BINARY (empty)" },
		{ "hex(2):25,00,41,00,25,00,00,00", "REG_EXPAND_SZ \"%A%\"" },
		{ "hex(1):61,00,0a,00,00,00", "REG_SZ \"a\\x0a\"" },
		{ "hex(b):ff,00,00,00,00,00,00,00",
		    "REG_QWORD 255 (0x00000000000000ff)" },
		{ "hex(0):", "REG_NONE (empty)" },
		{ "hex(2):41", "REG_EXPAND_SZ 41" },
		{ "hex(20):aa", "REG_TYPE_0x20 aa" },
	};
	unsigned char big[40];
	char *s, *h;

	(void)state;
	for (size_t i = 0; i < nitems(t); i++) {
		h = regval_human(t[i].data);
		assert_non_null(h);
		assert_string_equal(h, t[i].want);
		free(h);
	}
	assert_null(regval_human("dword:"));
	memset(big, 0xab, sizeof big);
	s = regval_binary(big, sizeof big);
	h = regval_human(s);
	assert_non_null(strstr(h, "ab ab ... (40 bytes)"));
	free(h);
	free(s);
}

static void
test_value_check(void **state)
{
	static const char *good[] = {
		"\"\"", "\"x\" ", "dword:1", "DWORD:ABCDEF01", "hex:",
		"hex:1,2", "hex: 01 , 02 ", "HEX(B):00", "hex(000007):00,00",
		"\"tab\there\"",
	};
	static const struct {
		const char *data, *why;
	} bad[] = {
		{ "", "unknown value data" },
		{ "-", "value deletion" },
		{ "\"x", "unterminated string" },
		{ "\"x\\y\"", "bad escape" },
		{ "\"x\" y", "unexpected \"y\"" },
		{ "dword:", "no digits" },
		{ "dword:123456789", "9 digits" },
		{ "dword:12 3", "unexpected \"3\"" },
		{ "dword: 1", "no digits" },
		{ "\"abc\\", "unterminated string" },
		{ "dword:-1", "bad dword digit '-'" },
		{ "hex:01,", "ends with ','" },
		{ "hex:0g", "bad hex digit 'g'" },
		{ "hex:012", "more than two digits" },
		{ "hex(zz):", "bad value type" },
		{ "hex(123456789):", "bad value type" },
		{ "hex(2)01", "missing ':'" },
		{ "hex:01,\\", "bad hex digit '\\'" },
		{ "\"a\nb\"", "control character" },
		{ "\"\xff\"", "invalid UTF-8" },
	};
	static const struct {
		const char *data, *want;
	} canon[] = {
		{ "DWORD:FfFe", "dword:0000fffe" },
		{ "hex: 1 ,AB", "hex:01,ab" },
		{ "HEX(0B):01", "hex(b):01" },
		{ "\"x\"  ", "\"x\"" },
	};
	char err[256], *c;

	(void)state;
	for (size_t i = 0; i < nitems(good); i++)
		assert_int_equal(regval_check(good[i], err, sizeof err), 0);
	for (size_t i = 0; i < nitems(bad); i++) {
		err[0] = '\0';
		assert_int_equal(regval_check(bad[i].data, err, sizeof err),
		    -1);
		if (strstr(err, bad[i].why) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].data,
			    err, bad[i].why);
		assert_non_null(strstr(err, "; expected"));
	}
	for (size_t i = 0; i < nitems(canon); i++) {
		c = regval_canon(canon[i].data, NULL, 0);
		assert_string_equal(c, canon[i].want);
		free(c);
	}
	assert_null(regval_canon(NULL, err, sizeof err));
}

/* Files. */

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_constructors),
		cmocka_unit_test(test_value_getters),
		cmocka_unit_test(test_value_human),
		cmocka_unit_test(test_value_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
