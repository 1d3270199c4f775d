/*
 * The .reg reader and writer: value syntax in files, encodings, the exact
 * text regedit writes, every parse error with its line, and round trips
 * over random databases and random garbage. The value codec on its own:
 * test_regval.c.
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

#define H5	"Windows Registry Editor Version 5.00\n\n"

/* Helpers. */

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* xorshift64*: the same seed gives the same cases on every run. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static size_t
rnd(size_t n)
{
	return (size_t)(rng() % n);
}

static int
parse_raw(struct regdb *db, const void *data, size_t len, char *err,
    size_t errlen)
{
	return regdb_parse(db, "t.reg", data, len, err, errlen);
}

static void
parse_ok(struct regdb *db, const char *text)
{
	char err[512] = "";
	int rc = parse_raw(db, text, strlen(text), err, sizeof err);

	if (rc != 0)
		print_error("unexpected parse error: %s\n", err);
	assert_int_equal(rc, 0);
}

static struct regdb *
db_from(const char *text)
{
	struct regdb *db = regdb_new();

	parse_ok(db, text);
	return db;
}

static void
assert_format(const struct regdb *db, const char *want)
{
	char *got = regdb_format_utf8(db);

	assert_string_equal(got, want);
	free(got);
}

/*
 * Our own UTF-8 to UTF-16LE (BOM, LF to CRLF), kept apart from the code
 * under test so the two can disagree.
 */
static void
u16_unit(struct buf *b, unsigned u)
{
	unsigned char c[2] = { (unsigned char)(u & 0xff),
		(unsigned char)(u >> 8) };

	buf_add(b, c, 2);
}

static void
u16_text(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long c;

	while (*p != '\0') {
		if (*p < 0x80)
			c = *p++;
		else if (*p < 0xe0) {
			c = (p[0] & 0x1fUL) << 6 | (p[1] & 0x3f);
			p += 2;
		} else if (*p < 0xf0) {
			c = (p[0] & 0x0fUL) << 12 | (p[1] & 0x3fUL) << 6 |
			    (p[2] & 0x3f);
			p += 3;
		} else {
			c = (p[0] & 0x07UL) << 18 | (p[1] & 0x3fUL) << 12 |
			    (p[2] & 0x3fUL) << 6 | (p[3] & 0x3f);
			p += 4;
		}
		if (c == '\n')
			u16_unit(b, '\r');
		if (c >= 0x10000) {
			c -= 0x10000;
			u16_unit(b, 0xd800 | (unsigned)(c >> 10));
			u16_unit(b, 0xdc00 | (unsigned)(c & 0x3ff));
		} else
			u16_unit(b, (unsigned)c);
	}
}

static void
u16_doc(struct buf *b, const char *s)
{
	buf_add(b, "\xff\xfe", 2);
	u16_text(b, s);
}

static int
db_equal(const struct regdb *a, const struct regdb *b)
{
	char **ka, **kb, **va, **vb;
	size_t nka, nkb, nva, nvb, i, j;
	int eq;

	ka = regdb_keys(a, &nka);
	kb = regdb_keys(b, &nkb);
	eq = nka == nkb;
	for (i = 0; eq && i < nka; i++) {
		eq = strcmp(ka[i], kb[i]) == 0;
		va = regdb_values(a, ka[i], &nva);
		vb = regdb_values(b, kb[i], &nvb);
		eq = eq && nva == nvb;
		for (j = 0; eq && j < nva; j++)
			eq = strcmp(va[j], vb[j]) == 0 &&
			    str_eq(regdb_get(a, ka[i], va[j]),
			    regdb_get(b, kb[i], vb[j]));
		str_list_free(va, nva);
		str_list_free(vb, nvb);
	}
	str_list_free(ka, nka);
	str_list_free(kb, nkb);
	return eq;
}

static const char types_text[] =
    H5
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\T]\n"
    "@=\"default\"\n"
    "\"sz\"=\"C:\\\\x \\\"y\\\"\"\n"
    "\"dw\"=dword:0000fffe\n"
    "\"qw\"=hex(b):08,07,06,05,04,03,02,01\n"
    "\"bin\"=hex:01,ab\n"
    "\"exp\"=hex(2):25,00,41,00,25,00,00,00\n"
    "\"multi\"=hex(7):61,00,00,00,62,00,00,00,00,00\n"
    "\"none\"=hex(0):\n"
    "\"lines\"=hex(1):61,00,0a,00,00,00\n"
    "\n";

static void
test_types_both_ways(void **state)
{
	const char *key = "HKLM\\SOFTWARE\\T", *multi[] = { "a", "b" };
	const unsigned char bin[] = { 0x01, 0xab };
	struct regdb *db = regdb_new(), *back;
	struct {
		const char *name;
		char *data;
	} v[] = {
		{ "sz", regval_sz("C:\\x \"y\"") },
		{ "dw", regval_dword(0xfffe) },
		{ "qw", regval_qword(0x0102030405060708ULL) },
		{ "bin", regval_binary(bin, sizeof bin) },
		{ "exp", regval_expand_sz("%A%") },
		{ "multi", regval_multi_sz(multi, 2) },
		{ "none", xstrdup("hex(0):") },
		{ "lines", regval_sz("a\n") },
		{ "@", regval_sz("default") },
	};
	char err[256];

	(void)state;
	assert_int_equal(regdb_key_create(db, key), 0);
	for (size_t i = 0; i < nitems(v); i++) {
		assert_int_equal(regdb_set(db, key, v[i].name, v[i].data, err,
		    sizeof err), 0);
	}
	assert_format(db, types_text);
	back = db_from(types_text);
	assert_true(db_equal(db, back));
	for (size_t i = 0; i < nitems(v); i++) {
		assert_string_equal(regdb_get(back, key, v[i].name),
		    v[i].data);
		free(v[i].data);
	}
	regdb_free(back);
	regdb_free(db);
}

static void
test_utf16_output(void **state)
{
	struct regdb *db = db_from(types_text);
	struct buf want = { 0 };
	unsigned char *got;
	size_t len;

	(void)state;
	u16_doc(&want, types_text);
	got = regdb_format(db, &len);
	assert_int_equal(len, want.len);
	assert_memory_equal(got, want.p, len);
	assert_memory_equal(got, "\xff\xfeW\0i\0", 6);
	free(got);
	buf_free(&want);
	regdb_free(db);
}

static void
test_utf16_input(void **state)
{
	const char *text = H5
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Caf\xc3\xa9]\n"
	    "\"\xe2\x82\xac\"=\"\xf0\x9f\x98\x80 smile\"\n"
	    "\"exp\"=hex(2):25,00,41,00,25,00,\\\n"
	    "  00,00\n"
	    "\n";
	struct regdb *db = regdb_new();
	struct buf in = { 0 };
	char err[256], *s;

	(void)state;
	u16_doc(&in, text);
	assert_int_equal(parse_raw(db, in.p, in.len, err, sizeof err), 0);
	assert_string_equal(regdb_get(db, "HKLM\\SOFTWARE\\CAF\xc3\xa9",
	    "\xe2\x82\xac"), "\"\xf0\x9f\x98\x80 smile\"");
	s = regval_get_sz(regdb_get(db, "HKLM\\SOFTWARE\\Caf\xc3\xa9", "exp"));
	assert_string_equal(s, "%A%");
	free(s);
	buf_free(&in);
	regdb_free(db);
}

static void
test_utf8_line_ends(void **state)
{
	const char *lf = H5 "[HKLM\\A]\n\"x\"=dword:1\n\"y\"=hex:01,\\\n  02\n";
	const char *crlf = "Windows Registry Editor Version 5.00\r\n\r\n"
	    "[HKLM\\A]\r\n\"x\"=dword:1\r\n\"y\"=hex:01,\\\r\n  02\r\n";
	const char *want = H5 "[HKEY_LOCAL_MACHINE\\A]\n"
	    "\"x\"=dword:00000001\n\"y\"=hex:01,02\n\n";
	struct buf bom = { 0 };
	struct regdb *db = regdb_new();
	char err[256];

	(void)state;
	parse_ok(db, lf);
	assert_format(db, want);
	parse_ok(db, crlf);
	assert_format(db, want);
	buf_adds(&bom, "\xef\xbb\xbf");
	buf_adds(&bom, crlf);
	assert_int_equal(parse_raw(db, bom.p, bom.len, err, sizeof err), 0);
	assert_format(db, want);
	/* REGEDIT4 is read, and written back as 5.00. */
	parse_ok(db, "REGEDIT4\n\n[HKLM\\A]\n\"x\"=dword:1\n\"y\"=hex:01,02\n");
	assert_format(db, want);
	buf_free(&bom);
	regdb_free(db);
}

static void
test_continuation_and_wrap(void **state)
{
	/* Wrapped as regedit wraps it: ",\" and two blanks, ~80 columns. */
	const char *exported = H5
	    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\"
	    "CurrentVersion]\n"
	    "\"ProductId\"=hex:a4,00,00,00,03,00,00,00,30,30,33,37,31,2d,31,"
	    "32,36,2d,30,30,\\\n"
	    "  30,30,30,30,36,2d,38,35,35,35,33,00,5a,00,00,00,41,32,32,2d,30,"
	    "30,30,30,31,\\\n"
	    "  00\n"
	    "\n";
	const char *sloppy = H5
	    "[HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\n"
	    "\"ProductId\"=hex:a4,00,00,00,03,00,00,00,30,30,33,37,31,2d,31,"
	    "32,36,2d,30,30,\\\n"
	    "30,30,30,30,36,2d,38,35,35,35,33,00,5a,00,00,00,\\   \n"
	    "\t\t41,32,32,2d,30,30,30,30,31,\\\n"
	    "    00\n";
	struct regdb *a = db_from(exported), *b = db_from(sloppy);
	unsigned char *bin;
	size_t len;
	char *text, *line, *save;

	(void)state;
	assert_format(a, exported);
	assert_format(b, exported);
	bin = regval_get_binary(regdb_get(a, "HKLM\\SOFTWARE\\Microsoft\\"
	    "Windows NT\\CurrentVersion", "ProductId"), &len);
	assert_int_equal(len, 46);
	assert_int_equal(bin[45], 0);
	assert_int_equal(bin[0], 0xa4);
	free(bin);

	/* No line over 80 columns, whatever the value's length. */
	for (size_t n = 0; n < 300; n += 7) {
		unsigned char *data = xcalloc(1, n + 1);
		char *v = regval_binary(data, n);

		assert_int_equal(regdb_set(a, "HKLM\\SOFTWARE", "v", v,
		    NULL, 0), 0);
		text = regdb_format_utf8(a);
		for (line = strtok_r(text, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			assert_true(strlen(line) <= 80);
		free(text);
		regdb_free(b);
		b = regdb_new();
		text = regdb_format_utf8(a);
		parse_ok(b, text);
		free(text);
		assert_string_equal(regdb_get(b, "HKLM\\SOFTWARE", "v"), v);
		free(v);
		free(data);
	}
	regdb_free(a);
	regdb_free(b);
}

static void
test_escaping(void **state)
{
	const char *text = H5
	    "[HKEY_LOCAL_MACHINE\\E]\n"
	    "\"a \\\"quoted\\\" \\\\name\"=\"C:\\\\Program Files\\\\\"\n"
	    "\"[not a key]\"=\"; not a comment\"\n"
	    "\"=\"=\"@\"\n"
	    "\n";
	struct regdb *db = db_from(text);
	char *s;
	char **names;
	size_t n;

	(void)state;
	assert_format(db, text);
	names = regdb_values(db, "HKLM\\E", &n);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "a \"quoted\" \\name");
	assert_string_equal(names[1], "[not a key]");
	assert_string_equal(names[2], "=");
	str_list_free(names, n);
	s = regval_get_sz(regdb_get(db, "HKLM\\E", "a \"quoted\" \\name"));
	assert_string_equal(s, "C:\\Program Files\\");
	free(s);
	regdb_free(db);
}

static void
test_case_insensitive(void **state)
{
	struct regdb *db = db_from(H5 "[HKEY_LOCAL_MACHINE\\Software\\Foo]\n"
	    "\"MaxFieldLength\"=dword:1\n");
	char **keys, **names;
	size_t n;

	(void)state;
	assert_string_equal(regdb_get(db, "hklm\\SOFTWARE\\fOO",
	    "maxfieldlength"), "dword:00000001");
	assert_true(regdb_key_exists(db, "HKEY_LOCAL_MACHINE\\SOFTWARE"));
	assert_int_equal(regdb_set(db, "HKLM\\SOFTWARE\\FOO", "MAXFIELDLENGTH",
	    "dword:2", NULL, 0), 0);
	assert_int_equal(regdb_key_create(db, "HKLM\\SOFTWARE\\FOO"), 0);
	keys = regdb_keys(db, &n);
	assert_int_equal(n, 1);
	assert_string_equal(keys[0], "HKEY_LOCAL_MACHINE\\Software\\Foo");
	str_list_free(keys, n);
	names = regdb_values(db, "hklm\\software\\foo", &n);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "MaxFieldLength");
	str_list_free(names, n);
	assert_string_equal(regdb_get(db, "HKLM\\Software\\Foo",
	    "MaxFieldLength"), "dword:00000002");
	assert_int_equal(regdb_delete(db, "HKLM\\Software\\Foo", "MAXfield"
	    "LENGTH"), 0);
	assert_null(regdb_get(db, "HKLM\\Software\\Foo", "MaxFieldLength"));
	regdb_free(db);
}

static void
test_root_names(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "HKLM\\a", "HKEY_LOCAL_MACHINE\\a" },
		{ "hkcu\\b", "HKEY_CURRENT_USER\\b" },
		{ "HKCR\\.reg", "HKEY_CLASSES_ROOT\\.reg" },
		{ "HKU\\S-1-5-18", "HKEY_USERS\\S-1-5-18" },
		{ "HKCC\\System", "HKEY_CURRENT_CONFIG\\System" },
		{ "hkey_local_machine\\c", "HKEY_LOCAL_MACHINE\\c" },
		{ "HKLM", "HKEY_LOCAL_MACHINE" },
	};
	static const char *bad[] = {
		"HKXX\\a", "", "\\HKLM\\a", "HKLM\\", "HKLM\\\\a", "HKLM\\a\\",
		"HKLMa", "HKLM\\a\nb",
	};
	struct regdb *db = regdb_new();
	char **keys, err[256];
	size_t n;

	(void)state;
	for (size_t i = 0; i < nitems(t); i++) {
		assert_int_equal(regdb_key_create(db, t[i].in), 0);
		assert_true(regdb_key_exists(db, t[i].out));
		assert_true(regdb_key_exists(db, t[i].in));
	}
	keys = regdb_keys(db, &n);
	assert_int_equal(n, nitems(t));
	for (size_t i = 0; i < nitems(t); i++) {
		size_t j;

		for (j = 0; j < n && strcmp(keys[j], t[i].out) != 0; j++)
			;
		assert_true(j < n);
	}
	str_list_free(keys, n);
	for (size_t i = 0; i < nitems(bad); i++) {
		assert_int_equal(regdb_key_create(db, bad[i]), -1);
		assert_false(regdb_key_exists(db, bad[i]));
		assert_int_equal(regdb_set(db, bad[i], "x", "dword:1", err,
		    sizeof err), -1);
		assert_non_null(strstr(err, "; expected"));
	}
	regdb_free(db);
}

static const char base_text[] =
    H5
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\\MSCEP]\n"
    "\"EncryptionTemplate\"=\"NDES\"\n"
    "\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\\MSCEP\\"
    "CAType]\n"
    "@=dword:00000001\n"
    "\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\"
    "Parameters]\n"
    "\"MaxFieldLength\"=dword:0000fffe\n"
    "\n";

static void
test_create_delete_identity(void **state)
{
	static const char *keys[] = {
		"HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MSCEP\\Zeta",
		"HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MSCEP\\CAType\\Sub",
		"HKLM\\SOFTWARE\\A",
		"HKLM\\SYSTEM\\CurrentControlSet\\Services\\W3SVC",
		"HKLM\\ZZZ\\Deep\\Er",
		"HKCU\\Software\\X",
	};
	struct regdb *db = db_from(base_text);
	unsigned char *before, *after;
	size_t blen, alen;

	(void)state;
	before = regdb_format(db, &blen);
	for (size_t i = 0; i < nitems(keys); i++) {
		assert_false(regdb_key_exists(db, keys[i]));
		assert_int_equal(regdb_key_create(db, keys[i]), 0);
		assert_true(regdb_key_exists(db, keys[i]));
		assert_int_equal(regdb_set(db, keys[i], "v", "dword:1", NULL,
		    0), 0);
		assert_int_equal(regdb_set(db, keys[i], "@", "\"d\"", NULL,
		    0), 0);
		after = regdb_format(db, &alen);
		assert_true(alen > blen);
		free(after);
		assert_int_equal(regdb_delete(db, keys[i], "v"), 0);
		assert_int_equal(regdb_delete(db, keys[i], ""), 0);
		assert_int_equal(regdb_key_delete(db, keys[i]), 0);
		after = regdb_format(db, &alen);
		assert_int_equal(alen, blen);
		assert_memory_equal(after, before, blen);
		free(after);
	}
	/* A value added to an existing key and removed again. */
	assert_int_equal(regdb_set(db, "HKLM\\SYSTEM\\CurrentControlSet\\"
	    "Services\\HTTP\\Parameters", "MaxRequestBytes", "dword:fffe",
	    NULL, 0), 0);
	assert_int_equal(regdb_delete(db, "HKLM\\SYSTEM\\CurrentControlSet\\"
	    "Services\\HTTP\\Parameters", "MaxRequestBytes"), 0);
	after = regdb_format(db, &alen);
	assert_int_equal(alen, blen);
	assert_memory_equal(after, before, blen);
	free(after);
	free(before);
	regdb_free(db);
}

static void
test_key_delete_refusals(void **state)
{
	struct regdb *db = db_from(base_text);
	const char *mscep = "HKLM\\SOFTWARE\\Microsoft\\Cryptography\\MSCEP";
	char *cat;

	(void)state;
	/* Has values. */
	assert_int_equal(regdb_key_delete(db, mscep), -1);
	/* Has an explicit subkey once its values are gone. */
	assert_int_equal(regdb_delete(db, mscep, "EncryptionTemplate"), 0);
	assert_int_equal(regdb_key_delete(db, mscep), -1);
	/* Only an ancestor: no header of its own. */
	assert_int_equal(regdb_key_delete(db, "HKLM\\SOFTWARE"), -1);
	/* Absent, or not a key path. */
	assert_int_equal(regdb_key_delete(db, "HKLM\\Nope"), -1);
	assert_int_equal(regdb_key_delete(db, "HKXX\\Nope"), -1);
	/* Emptied from the bottom up, it goes. */
	cat = xasprintf("%s\\CAType", mscep);
	assert_int_equal(regdb_delete(db, cat, "@"), 0);
	assert_int_equal(regdb_delete(db, cat, "@"), 1);
	assert_int_equal(regdb_key_delete(db, cat), 0);
	assert_int_equal(regdb_key_delete(db, mscep), 0);
	assert_false(regdb_key_exists(db, cat));
	assert_false(regdb_key_exists(db, "HKLM\\SOFTWARE"));
	assert_true(regdb_key_exists(db, "HKLM\\SYSTEM"));
	free(cat);
	regdb_free(db);
}

static void
test_ancestors(void **state)
{
	struct regdb *db = db_from(H5 "[HKLM\\A\\B\\C]\n[HKLM\\A B]\n");
	char **keys, err[256];
	size_t n;

	(void)state;
	assert_true(regdb_key_exists(db, "HKLM"));
	assert_true(regdb_key_exists(db, "HKLM\\A"));
	assert_true(regdb_key_exists(db, "HKLM\\a\\b"));
	assert_true(regdb_key_exists(db, "HKLM\\A B"));
	assert_false(regdb_key_exists(db, "HKLM\\A\\B\\C\\D"));
	assert_false(regdb_key_exists(db, "HKLM\\A\\BC"));
	assert_false(regdb_key_exists(db, "HKLM\\A\\"));
	assert_false(regdb_key_exists(db, "HKCU"));
	keys = regdb_keys(db, &n);
	assert_int_equal(n, 2);
	str_list_free(keys, n);
	/* Setting a value on an ancestor gives it a header. */
	assert_int_equal(regdb_set(db, "HKLM\\A", "x", "dword:1", err,
	    sizeof err), 0);
	keys = regdb_keys(db, &n);
	assert_int_equal(n, 3);
	assert_string_equal(keys[0], "HKEY_LOCAL_MACHINE\\A");
	str_list_free(keys, n);
	assert_int_equal(regdb_set(db, "HKLM\\Q", "x", "dword:1", err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "no key"));
	assert_null(regdb_values(db, "HKLM\\Q", &n));
	assert_int_equal(n, 0);
	regdb_free(db);
}

static void
test_sorted_output(void **state)
{
	/* In the order regedit writes them. */
	static const char *sorted[] = {
		"HKEY_CLASSES_ROOT\\x",
		"HKEY_CURRENT_USER\\x",
		"HKEY_LOCAL_MACHINE\\A",
		"HKEY_LOCAL_MACHINE\\a\\B",	/* a sub-key before "A B" */
		"HKEY_LOCAL_MACHINE\\A\\c",
		"HKEY_LOCAL_MACHINE\\A B",
		"HKEY_LOCAL_MACHINE\\A-B",
		"HKEY_LOCAL_MACHINE\\AB",
		"HKEY_LOCAL_MACHINE\\Ab\\x",
		"HKEY_LOCAL_MACHINE\\b",
		"HKEY_LOCAL_MACHINE\\Z",
		"HKEY_LOCAL_MACHINE\\_",	/* '_' after letters */
		"HKEY_LOCAL_MACHINE\\\xc3\xa9",
		"HKEY_USERS\\x",
	};
	size_t order[nitems(sorted)], n, i, j, t;
	char **keys, *text, *p;

	(void)state;
	for (int round = 0; round < 20; round++) {
		struct regdb *db = regdb_new();

		for (i = 0; i < nitems(sorted); i++)
			order[i] = i;
		for (i = nitems(sorted) - 1; i > 0; i--) {
			j = rnd(i + 1);
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		for (i = 0; i < nitems(sorted); i++)
			assert_int_equal(regdb_key_create(db,
			    sorted[order[i]]), 0);
		keys = regdb_keys(db, &n);
		assert_int_equal(n, nitems(sorted));
		for (i = 0; i < n; i++)
			assert_string_equal(keys[i], sorted[i]);
		str_list_free(keys, n);
		text = regdb_format_utf8(db);
		p = text;
		for (i = 0; i < nitems(sorted); i++) {
			char *hdr = xasprintf("[%s]\n", sorted[i]);

			p = strstr(p, hdr);
			assert_non_null(p);
			free(hdr);
		}
		free(text);
		regdb_free(db);
	}
}

static void
test_value_order(void **state)
{
	struct regdb *db = regdb_new();
	char **names, err[256];
	size_t n;

	(void)state;
	assert_int_equal(regdb_key_create(db, "HKLM\\K"), 0);
	assert_int_equal(regdb_set(db, "HKLM\\K", "z", "dword:1", NULL, 0), 0);
	assert_int_equal(regdb_set(db, "HKLM\\K", "a", "dword:2", NULL, 0), 0);
	assert_int_equal(regdb_set(db, "HKLM\\K", "@", "\"d\"", NULL, 0), 0);
	assert_int_equal(regdb_set(db, "HKLM\\K", "m", "dword:3", NULL, 0), 0);
	/* Replacing keeps the place. */
	assert_int_equal(regdb_set(db, "HKLM\\K", "Z", "dword:4", NULL, 0), 0);
	names = regdb_values(db, "HKLM\\K", &n);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "@");
	assert_string_equal(names[1], "z");
	assert_string_equal(names[2], "a");
	assert_string_equal(names[3], "m");
	str_list_free(names, n);
	assert_format(db, H5 "[HKEY_LOCAL_MACHINE\\K]\n@=\"d\"\n"
	    "\"z\"=dword:00000004\n\"a\"=dword:00000002\n"
	    "\"m\"=dword:00000003\n\n");
	assert_string_equal(regdb_get(db, "HKLM\\K", ""), "\"d\"");
	assert_string_equal(regdb_get(db, "HKLM\\K", NULL), "\"d\"");
	assert_int_equal(regdb_set(db, "HKLM\\K", "x", "dword:", err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "no digits"));
	assert_null(regdb_get(db, "HKLM\\K", "x"));
	assert_int_equal(regdb_set(db, "HKLM\\K", "a\tb\n", "dword:1", err,
	    sizeof err), -1);
	assert_int_equal(regdb_delete(db, "HKLM\\K", "nope"), 1);
	assert_int_equal(regdb_delete(db, "HKLM\\Nokey", "a"), 1);
	assert_int_equal(regdb_delete(db, "HKLM\\K", "a"), 0);
	assert_int_equal(regdb_delete(db, "HKLM\\K", "a"), 1);
	regdb_free(db);
}

static void
test_parse_replaces(void **state)
{
	struct regdb *db = db_from(base_text);
	char *before = regdb_format_utf8(db), err[256];
	const char *bad = H5 "[HKLM\\New]\n\"x\"=dword:zz\n";

	(void)state;
	assert_int_equal(parse_raw(db, bad, strlen(bad), err, sizeof err), -1);
	assert_format(db, before);
	parse_ok(db, H5 "[HKLM\\New]\n");
	assert_format(db, H5 "[HKEY_LOCAL_MACHINE\\New]\n\n");
	/* Headers given twice merge; comments and blank lines go. */
	parse_ok(db, H5 "; state\n[HKLM\\A]\n\"x\"=dword:1\n\n\n[HKLM\\B]\n"
	    "  ; indented comment\n[hklm\\a]\n\"y\"=dword:2\n");
	assert_format(db, H5 "[HKEY_LOCAL_MACHINE\\A]\n\"x\"=dword:00000001\n"
	    "\"y\"=dword:00000002\n\n[HKEY_LOCAL_MACHINE\\B]\n\n");
	/* An empty file is not a state file. */
	assert_int_equal(parse_raw(db, NULL, 0, err, sizeof err), -1);
	assert_string_equal(err, "t.reg:1: missing header; expected \""
	    "Windows Registry Editor Version 5.00\" (or \"REGEDIT4\") on the "
	    "first line");
	free(before);
	regdb_free(db);
}

/* Every class of error, with the line it is on. */

struct bad_input {
	const char *text;	/* UTF-8, or a UTF-16LE document when u16 */
	size_t len;		/* 0: strlen */
	int u16;
	const char *raw;	/* bytes appended after the text */
	size_t rawlen;
	unsigned line;
	const char *why;
};

static const struct bad_input bad_inputs[] = {
	{ "", 0, 0, NULL, 0, 1, "missing header" },
	{ "REGEDIT5\n\n[HKLM\\A]\n", 0, 0, NULL, 0, 1, "missing header" },
	{ "\n" H5, 0, 0, NULL, 0, 1, "missing header" },
	{ H5 "[-HKLM\\A]\n", 0, 0, NULL, 0, 3, "key deletion" },
	{ H5 "[HKLM\\A]\n\"x\"=-\n", 0, 0, NULL, 0, 4, "value deletion" },
	{ H5 "[HKLM\\A]\n\"x\"=\"abc\n", 0, 0, NULL, 0, 4,
	    "unterminated string" },
	{ H5 "[HKLM\\A]\n\"x=\"abc\"\n", 0, 0, NULL, 0, 4,
	    "missing '='" },
	{ H5 "[HKLM\\A]\n\"x\n", 0, 0, NULL, 0, 4, "unterminated string" },
	{ H5 "[HKLM\\A]\n\"x\"=hex:01,0g\n", 0, 0, NULL, 0, 4,
	    "bad hex digit 'g'" },
	{ H5 "[HKLM\\A]\n\"x\"=dword:000000001\n", 0, 0, NULL, 0, 4,
	    "dword has 9 digits" },
	{ H5 "[HKLM\\A]\n\"x\"=dword:\n", 0, 0, NULL, 0, 4, "no digits" },
	{ H5 "[HKLM\\A]\n\"x\"=dword:1234567z\n", 0, 0, NULL, 0, 4,
	    "bad dword digit 'z'" },
	{ H5 "\"x\"=dword:1\n", 0, 0, NULL, 0, 3, "value outside a key" },
	{ H5 "@=\"x\"\n", 0, 0, NULL, 0, 3, "value outside a key" },
	{ H5 "[HKLM\\A]", 0, 1, "\x41", 1, 3, "odd number of bytes" },
	{ H5 "[HKLM\\A]\n\"x\"=\"", 0, 1, "\x00\xd8\x22\x00", 4, 4,
	    "unpaired UTF-16 surrogate" },
	{ H5 "[HKLM\\A]\n\"x\"=\"", 0, 1, "\x00\xdc", 2, 4,
	    "unpaired UTF-16 surrogate" },
	{ H5 "[HKLM\\A]\n\"x\"=\"", 0, 1, "\x00\xd8", 2, 4,
	    "unpaired UTF-16 surrogate" },
	{ H5 "[HKLM\\A]\n\"x\"=\"", 0, 1, "\x00\x00", 2, 4, "NUL character" },
	{ H5 "[HKLM\\A]\n\"x\"=\"", 0, 0, "\x00\"\n", 3, 4, "NUL byte" },
	{ "W\0i\0n\0", 6, 0, NULL, 0, 1, "NUL byte" },
	{ "\xfe\xff\0W", 4, 0, NULL, 0, 1, "big-endian" },
	{ H5 "[HKLM\\A]\n\"x\"=\"\xc3\x28\"\n", 0, 0, NULL, 0, 4,
	    "invalid UTF-8" },
	{ H5 "[HKLM\\A]\n\"x\"=\"\xed\xa0\x80\"\n", 0, 0, NULL, 0, 4,
	    "invalid UTF-8" },
	{ H5 "[HKLM\\A]\n\"x\"=hex(zz):01\n", 0, 0, NULL, 0, 4,
	    "bad value type in \"hex(zz):01\"" },
	{ H5 "[HKLM\\A]\n\"x\"=hex(2)01\n", 0, 0, NULL, 0, 4,
	    "missing ':'" },
	{ H5 "[HKLM\\A]\n\"x\" \"y\"\n", 0, 0, NULL, 0, 4, "missing '='" },
	{ H5 "[HKLM\\A]\nfoo=bar\n", 0, 0, NULL, 0, 4,
	    "unexpected \"foo=bar\"" },
	{ H5 "[HKXX\\A]\n", 0, 0, NULL, 0, 3, "unknown root key" },
	{ H5 "[HKLM\\A\n", 0, 0, NULL, 0, 3, "unterminated key header" },
	{ H5 "[HKLM\\A] x\n", 0, 0, NULL, 0, 3, "unterminated key header" },
	{ H5 "[HKLM\\\\A]\n", 0, 0, NULL, 0, 3, "empty name in key" },
	{ H5 "[HKLM\\A\\]\n", 0, 0, NULL, 0, 3, "empty name in key" },
	{ H5 "[HKLM\\A]\n\"x\"=hex:01,\\\n", 0, 0, NULL, 0, 4,
	    "on line 4 goes on past the end of the file" },
	{ H5 "[HKLM\\A]\n\"x\"=hex:01,\\\n  02,\\\n  0x\n", 0, 0, NULL, 0, 6,
	    "bad hex digit 'x'" },
	{ H5 "[HKLM\\A]\n\"x\"=hex:01,\\\n\n", 0, 0, NULL, 0, 5,
	    "ends with ','" },
	{ H5 "[HKLM\\A]\n\"x\"=hex:01,0g,\\\n  02,\\\n  03\n", 0, 0, NULL, 0,
	    4, "bad hex digit 'g'" },
	{ H5 "[HKLM\\A]\n\"x\"=hex:01,\\\n  02,0g,\\\n  03\n", 0, 0, NULL, 0,
	    5, "bad hex digit 'g'" },
	{ H5 "[HKLM\\A]\n\"x\"=\"\xc0\xaf\"\n", 0, 0, NULL, 0, 4,
	    "invalid UTF-8" },
	{ H5 "[HKLM\\A]\n\"x\"=\"\xf4\x90\x80\x80\"\n", 0, 0, NULL, 0, 4,
	    "invalid UTF-8" },
	{ H5 "[HKLM\\A]\n\"x\"=\"\xe2\x82\"\n", 0, 0, NULL, 0, 4,
	    "invalid UTF-8" },
	{ H5 "[HKLM\\A]\n\"x\"=hex:01,\n", 0, 0, NULL, 0, 4, "ends with ','" },
	{ H5 "[HKLM\\A]\n\"x\"=hex:012\n", 0, 0, NULL, 0, 4,
	    "more than two digits" },
	{ H5 "[HKLM\\A]\n\"x\"=\"a\\nb\"\n", 0, 0, NULL, 0, 4, "bad escape" },
	{ H5 "[HKLM\\A]\n\"x\"=\"a\"b\n", 0, 0, NULL, 0, 4,
	    "unexpected \"b\"" },
	{ H5 "[HKLM\\A]\n\"x\"=1\n", 0, 0, NULL, 0, 4, "unknown value data" },
	{ H5 "[HKLM\\A]\n\"x\"=\n", 0, 0, NULL, 0, 4, "unknown value data" },
	{ H5 "[HKLM\\A]\n\"x\"=dword:1\n\"X\"=dword:2\n", 0, 0, NULL, 0, 5,
	    "appears twice" },
	{ H5 "[HKLM\\A]\n@=dword:1\n\"\"=dword:2\n", 0, 0, NULL, 0, 5,
	    "appears twice" },
	{ H5 "[HKLM\\A]\n\"x\"=\"a\rb\"\n", 0, 0, NULL, 0, 4,
	    "control character 0x0d" },
	{ H5 "[HKLM\\A]\n\"x\"=\"a\x01\"\n", 0, 0, NULL, 0, 4,
	    "control character 0x01" },
	/* UTF-16: a control character inside a long run of ASCII, DEL, a CR
	 * inside a line, lone surrogates and a cut unit after such runs. */
	{ H5 "[HKLM\\A]\n\"x\"=\"abcdefghijklmnop\x01qrstuvwxyz\"\n", 0, 1,
	    NULL, 0, 4, "control character 0x01" },
	{ H5 "[HKLM\\A]\n\"x\"=\"abcdefgh\x7fijkl\"\n", 0, 1, NULL, 0, 4,
	    "control character 0x7f" },
	{ H5 "[HKLM\\A]\n\"x\"=\"abcdefgh\rijkl\"\n", 0, 1, NULL, 0, 4,
	    "control character 0x0d" },
	{ H5 "[HKLM\\A]\n\"x\"=\"abcdefghijklmnopqrstuvwxyz", 0, 1,
	    "\x00\xdcz\x00", 4, 4, "unpaired UTF-16 surrogate" },
	{ H5 "[HKLM\\A]\n\"x\"=\"abcdefghijklmnopqrstuvwxyz", 0, 1, "\x41", 1,
	    4, "odd number of bytes" },
	{ H5 "[HKLM\\A]\n\"x\"=\"abcdefghijklmnopqrstuvwxyz", 0, 1,
	    "\x00\xd8\x41\x00", 4, 4, "unpaired UTF-16 surrogate" },
	/* CR alone is no line end: the first line then holds one. */
	{ "Windows Registry Editor Version 5.00\r\r[HKLM\\A]\r", 0, 1, NULL,
	    0, 1, "control character 0x0d" },
	/* UTF-16 without its byte order mark. */
	{ "W\0i\0n\0d\0o\0w\0s\0", 14, 0, NULL, 0, 1, "NUL byte" },
};

static void
test_parse_errors(void **state)
{
	struct regdb *db = regdb_new();
	struct buf in = { 0 };
	char err[512], want[32];

	(void)state;
	for (size_t i = 0; i < nitems(bad_inputs); i++) {
		const struct bad_input *t = &bad_inputs[i];

		buf_free(&in);
		if (t->u16)
			u16_doc(&in, t->text);
		else
			buf_add(&in, t->text,
			    t->len ? t->len : strlen(t->text));
		if (t->raw != NULL)
			buf_add(&in, t->raw, t->rawlen);
		err[0] = '\0';
		assert_int_equal(parse_raw(db, in.p, in.len, err, sizeof err),
		    -1);
		snprintf(want, sizeof want, "t.reg:%u: ", t->line);
		if (strncmp(err, want, strlen(want)) != 0 ||
		    strstr(err, t->why) == NULL ||
		    strstr(err, "; expected") == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s%s\"", i, err,
			    want, t->why);
	}
	/* Nothing got in. */
	assert_null(regdb_keys(db, &(size_t){ 0 }));
	/* A short err buffer is cut, not overrun. */
	assert_int_equal(parse_raw(db, "x", 1, err, 8), -1);
	assert_string_equal(err, "t.reg:1");
	assert_int_equal(parse_raw(db, "x", 1, NULL, 0), -1);
	buf_free(&in);
	regdb_free(db);
}

/* A long line and a long file parse; a huge bad line gives a short error. */
static void
test_huge_input(void **state)
{
	struct regdb *db = regdb_new();
	struct buf in = { 0 };
	char err[512];

	(void)state;
	buf_adds(&in, H5 "[HKLM\\A]\n\"x\"=\"");
	for (int i = 0; i < 100000; i++)
		buf_adds(&in, "\xc3\xa9xyz");
	buf_adds(&in, "\"\n[HKLM\\");
	for (int i = 0; i < 100000; i++)
		buf_adds(&in, "k");
	buf_adds(&in, "]\n");
	assert_int_equal(parse_raw(db, in.p, in.len, err, sizeof err), 0);
	assert_int_equal(strlen(regdb_get(db, "HKLM\\A", "x")), 500002);
	buf_free(&in);
	buf_adds(&in, H5 "[HKLM\\A]\n\"x\"=");
	for (int i = 0; i < 100000; i++)
		buf_adds(&in, "zzzz");
	assert_int_equal(parse_raw(db, in.p, in.len, err, sizeof err), -1);
	assert_true(strlen(err) < 300);
	assert_non_null(strstr(err, "t.reg:4: unknown value data \"zzzz"));
	buf_free(&in);
	regdb_free(db);
}

static void
check_stable(const struct regdb *db)
{
	struct regdb *again = regdb_new();
	unsigned char *a, *b;
	size_t alen, blen;
	char err[512] = "";
	int rc;

	a = regdb_format(db, &alen);
	rc = parse_raw(again, a, alen, err, sizeof err);
	if (rc != 0)
		fail_msg("own output does not parse: %s", err);
	assert_true(db_equal(db, again));
	b = regdb_format(again, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);
	regdb_free(again);
}

/* Random bytes and damaged files: an answer, never a crash. */
static void
test_garbage(void **state)
{
	struct regdb *db = db_from(types_text);
	unsigned char *good, *in;
	size_t goodlen, len, i, k;
	char err[512], want[16];
	unsigned long line;
	int rc, parsed = 0;

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	good = regdb_format(db, &goodlen);
	for (int iter = 0; iter < 3000; iter++) {
		if (iter % 3 == 0) {
			len = rnd(200);
			in = xmalloc(len + 1);
			for (i = 0; i < len; i++)
				in[i] = (unsigned char)rng();
		} else {
			/* Damage a good file: UTF-16 or as UTF-8. */
			char *u8 = regdb_format_utf8(db);

			len = iter % 3 == 1 ? goodlen : strlen(u8);
			in = xmalloc(len + 1);
			memcpy(in, iter % 3 == 1 ? (char *)good : u8, len);
			free(u8);
			for (k = 1 + rnd(4); k > 0; k--)
				in[rnd(len)] = (unsigned char)rng();
			if (rnd(4) == 0)
				len = rnd(len);
		}
		err[0] = '\0';
		rc = parse_raw(db, in, len, err, sizeof err);
		assert_true(rc == 0 || rc == -1);
		if (rc == 0) {
			parsed++;
			check_stable(db);
		} else {
			assert_int_equal(strncmp(err, "t.reg:", 6), 0);
			line = strtoul(err + 6, NULL, 10);
			snprintf(want, sizeof want, ":%lu: ", line);
			assert_true(line >= 1 && line <= len + 1);
			assert_non_null(strstr(err, want));
		}
		free(in);
	}
	/* Some damage is harmless (a changed letter); most of it is not. */
	assert_true(parsed > 0);
	free(good);
	regdb_free(db);
}

/* The round-trip property over random databases. */

static const char *pieces[] = {
	"a", "B", "z", "Q", "_", "-", " ", "1", "\"", "@", "=", ";", "[", "]",
	"\t", ".", "{", "}", "\xc3\xa9", "\xc3\x89", "\xe2\x82\xac",
	"\xf0\x9f\x98\x80",
};

static char *
random_text(size_t min, size_t max, int backslash)
{
	struct buf b = { 0 };
	size_t n = min + rnd(max - min + 1);

	for (size_t i = 0; i < n; i++) {
		if (backslash && rnd(10) == 0)
			buf_addc(&b, '\\');
		else
			buf_adds(&b, pieces[rnd(nitems(pieces))]);
	}
	return buf_steal(&b);
}

static char *
random_key(void)
{
	static const char *roots[] = {
		"HKLM", "hklm", "HKEY_LOCAL_MACHINE", "HKCU", "HKU", "HKCR",
	};
	struct buf b = { 0 };
	size_t depth = 1 + rnd(4);

	buf_adds(&b, roots[rnd(nitems(roots))]);
	for (size_t i = 0; i < depth; i++) {
		/* A small alphabet, so keys share parents and collide. */
		char *c = rnd(3) ? xasprintf("%c", "abAB"[rnd(4)]) :
		    random_text(1, 6, 0);

		buf_addf(&b, "\\%s", c);
		free(c);
	}
	return buf_steal(&b);
}

static char *
random_data(void)
{
	unsigned char bytes[300];
	const char *v[4];
	char *s[4], *r, *h;
	size_t n = rnd(sizeof bytes), i;

	for (i = 0; i < n; i++)
		bytes[i] = (unsigned char)rng();
	switch (rnd(8)) {
	case 0:
		s[0] = random_text(0, 20, 1);
		if (rnd(4) == 0) {
			r = xasprintf("%s\n%s", s[0], s[0]);
			free(s[0]);
			s[0] = r;
		}
		r = regval_sz(s[0]);
		free(s[0]);
		return r;
	case 1:
		s[0] = random_text(0, 20, 1);
		r = regval_expand_sz(s[0]);
		free(s[0]);
		return r;
	case 2:
		n = rnd(4);
		for (i = 0; i < n; i++)
			v[i] = s[i] = random_text(1, 10, 1);
		r = regval_multi_sz(v, n);
		for (i = 0; i < n; i++)
			free(s[i]);
		return r;
	case 3:
		return regval_dword((unsigned long)rng());
	case 4:
		return regval_qword(rng());
	case 5:
		return regval_binary(bytes, n);
	default:
		h = regval_binary(bytes, n);
		r = xasprintf("hex(%lx):%s", (unsigned long)rnd(0x20),
		    h + strlen("hex:"));
		free(h);
		return r;
	}
}

static struct regdb *
random_db(void)
{
	struct regdb *db = regdb_new();
	size_t nkeys = rnd(30), nvals, i, j;
	char *key, *name, *data, err[512];

	for (i = 0; i < nkeys; i++) {
		key = random_key();
		assert_int_equal(regdb_key_create(db, key), 0);
		nvals = rnd(6);
		for (j = 0; j < nvals; j++) {
			name = rnd(6) == 0 ? xstrdup("@") :
			    random_text(0, 8, 1);
			data = random_data();
			assert_non_null(data);
			if (regdb_set(db, key, name, data, err, sizeof err))
				fail_msg("set %s %s=%s: %s", key, name, data,
				    err);
			assert_string_equal(regdb_get(db, key, name), data);
			free(name);
			free(data);
		}
		free(key);
	}
	return db;
}

static void
test_roundtrip_property(void **state)
{
	struct regdb *db, *copy;
	unsigned char *before, *after;
	size_t blen, alen;
	char *u8, *key;

	(void)state;
	rng_state = 0x243f6a8885a308d3ULL;
	for (int iter = 0; iter < 400; iter++) {
		db = random_db();
		/* parse(format(db)) == db, and the bytes are a fixpoint. */
		check_stable(db);
		/* The UTF-8 rendering reads back the same. */
		copy = regdb_new();
		u8 = regdb_format_utf8(db);
		parse_ok(copy, u8);
		assert_true(db_equal(db, copy));
		free(u8);
		regdb_free(copy);
		/* A new key and value, taken away again, leave no trace. */
		before = regdb_format(db, &blen);
		key = random_key();
		if (!regdb_key_exists(db, key)) {
			assert_int_equal(regdb_key_create(db, key), 0);
			assert_int_equal(regdb_set(db, key, "n", "dword:1",
			    NULL, 0), 0);
			assert_int_equal(regdb_delete(db, key, "N"), 0);
			assert_int_equal(regdb_key_delete(db, key), 0);
		}
		after = regdb_format(db, &alen);
		assert_int_equal(alen, blen);
		assert_memory_equal(after, before, blen);
		free(key);
		free(before);
		free(after);
		regdb_free(db);
	}
}

/* A file written the way regedit writes it comes back byte for byte. */
static void
test_seed_file(void **state)
{
	char *path, *data, *dir = xstrdup(__FILE__), *slash;
	unsigned char *out;
	size_t len, outlen;
	struct regdb *db = regdb_new();
	char err[512], *s, **v;
	size_t n;

	(void)state;
	/* tests/unit/test_regfile.c -> tests/data/reg/ndes-state.reg */
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if ((slash = strrchr(dir, '/')) != NULL)
		slash[1] = '\0';
	else
		strcpy(dir, "");
	path = xasprintf("%s%sdata/reg/ndes-state.reg", dir,
	    *dir == '\0' ? "tests/" : "");
	if (file_read(path, 1 << 20, &data, &len) == -1)
		fail_msg("cannot read %s", path);
	assert_int_equal(parse_raw(db, data, len, err, sizeof err), 0);
	out = regdb_format(db, &outlen);
	assert_int_equal(outlen, len);
	assert_memory_equal(out, data, len);
	s = regval_get_sz(regdb_get(db, "HKLM\\SYSTEM\\CurrentControlSet\\"
	    "Services\\W3SVC", "ImagePath"));
	assert_string_equal(s, "%windir%\\system32\\svchost.exe -k iissvcs");
	free(s);
	v = regval_get_multi_sz(regdb_get(db, "HKLM\\SYSTEM\\"
	    "CurrentControlSet\\Services\\W3SVC", "DependOnService"), &n);
	assert_int_equal(n, 2);
	assert_string_equal(v[1], "HTTP");
	str_list_free(v, n);
	assert_string_equal(regdb_get(db, "HKLM\\SOFTWARE\\Microsoft\\"
	    "Cryptography\\MSCEP\\PasswordVDir", "@"),
	    "\"CertSrv\\\\mscep_admin\"");
	free(out);
	free(data);
	free(path);
	free(dir);
	regdb_free(db);
}

/* A file out of export order comes back as it was; new keys go among the
 * keys they sort with, and taking them away again restores the bytes. */
static void
test_file_order(void **state)
{
	static const char text[] = H5
	    "[HKEY_LOCAL_MACHINE\\Z]\n\"z\"=dword:00000001\n\n"
	    "[HKEY_LOCAL_MACHINE\\A\\Child]\n\n"
	    "[HKEY_LOCAL_MACHINE\\a]\n@=\"x\"\n\n"
	    "[HKEY_CURRENT_USER\\K]\n\n";
	static const char *order[] = {
		"HKEY_LOCAL_MACHINE\\Z", "HKEY_LOCAL_MACHINE\\A\\Child",
		"HKEY_LOCAL_MACHINE\\a", "HKEY_CURRENT_USER\\K",
	};
	struct regdb *db = regdb_new();
	struct buf in = { 0 };
	unsigned char *out, *again;
	size_t n, len, alen;
	char **keys, err[256], *u8;

	(void)state;
	u16_doc(&in, text);
	assert_int_equal(parse_raw(db, in.p, in.len, err, sizeof err), 0);
	out = regdb_format(db, &len);
	assert_int_equal(len, in.len);
	assert_memory_equal(out, in.p, len);
	assert_format(db, text);
	keys = regdb_keys(db, &n);
	assert_int_equal(n, nitems(order));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(keys[i], order[i]);
	str_list_free(keys, n);

	/* Under a listed ancestor: at the end of its block. */
	assert_int_equal(regdb_key_create(db, "HKLM\\A\\B"), 0);
	/* No listed ancestor, file out of order: before the first key that
	 * sorts after it, not after whatever came last. */
	assert_int_equal(regdb_key_create(db, "HKLM\\M"), 0);
	u8 = regdb_format_utf8(db);
	assert_string_equal(u8, H5
	    "[HKEY_LOCAL_MACHINE\\M]\n\n"
	    "[HKEY_LOCAL_MACHINE\\Z]\n\"z\"=dword:00000001\n\n"
	    "[HKEY_LOCAL_MACHINE\\A\\Child]\n\n"
	    "[HKEY_LOCAL_MACHINE\\a]\n@=\"x\"\n\n"
	    "[HKEY_LOCAL_MACHINE\\A\\B]\n\n"
	    "[HKEY_CURRENT_USER\\K]\n\n");
	free(u8);
	assert_int_equal(regdb_key_delete(db, "hklm\\a\\b"), 0);
	assert_int_equal(regdb_key_delete(db, "HKEY_LOCAL_MACHINE\\m"), 0);
	again = regdb_format(db, &alen);
	assert_int_equal(alen, len);
	assert_memory_equal(again, out, len);
	free(again);
	free(out);
	buf_free(&in);
	regdb_free(db);
}

/* Many keys and values: every one is found in any case, in order. */
static void
test_many(void **state)
{
	enum { KEYS = 3000, VALS = 7, WIDE = 5000 };
	struct buf text = { 0 }, in = { 0 };
	struct regdb *db = regdb_new();
	char err[256], **names, **subs, key[64], name[32], want[32];
	size_t n;

	(void)state;
	buf_adds(&text, H5);
	for (int k = 0; k < KEYS; k++) {
		buf_addf(&text, "[HKEY_LOCAL_MACHINE\\Soft\\K%05d]\n", k);
		for (int v = 0; v < VALS; v++)
			buf_addf(&text, "\"Value%d\"=dword:%08x\n", v, k * VALS + v);
		buf_adds(&text, "\n");
	}
	buf_adds(&text, "[HKEY_LOCAL_MACHINE\\Wide]\n");
	for (int v = 0; v < WIDE; v++)
		buf_addf(&text, "\"w%d\"=\"%d\"\n", v, v);
	buf_adds(&text, "\n");
	u16_doc(&in, text.p);
	assert_int_equal(parse_raw(db, in.p, in.len, err, sizeof err), 0);
	assert_format(db, text.p);
	for (int k = 0; k < KEYS; k += 7) {
		snprintf(key, sizeof key, "hklm\\SOFT\\k%05d", k);
		for (int v = 0; v < VALS; v++) {
			snprintf(name, sizeof name, "VALUE%d", v);
			snprintf(want, sizeof want, "dword:%08x", k * VALS + v);
			assert_string_equal(regdb_get(db, key, name), want);
		}
		assert_null(regdb_get(db, key, "Value7"));
	}
	names = regdb_values(db, "HKLM\\Wide", &n);
	assert_int_equal(n, WIDE);
	for (int v = 0; v < WIDE; v++) {
		snprintf(name, sizeof name, "w%d", v);
		assert_string_equal(names[v], name);
		snprintf(want, sizeof want, "\"%d\"", v);
		assert_string_equal(regdb_get(db, "HKLM\\WIDE", name), want);
	}
	str_list_free(names, n);
	/* Out and back in: the end of the list; the default goes first. */
	assert_int_equal(regdb_delete(db, "HKLM\\Wide", "W0"), 0);
	assert_int_equal(regdb_set(db, "HKLM\\Wide", "w0", "dword:1", NULL, 0),
	    0);
	assert_int_equal(regdb_set(db, "HKLM\\Wide", "@", "dword:2", NULL, 0),
	    0);
	names = regdb_values(db, "HKLM\\Wide", &n);
	assert_int_equal(n, WIDE + 1);
	assert_string_equal(names[0], "@");
	assert_string_equal(names[1], "w1");
	assert_string_equal(names[WIDE], "w0");
	str_list_free(names, n);
	subs = regdb_subkeys(db, "HKLM\\soft", &n);
	assert_int_equal(n, KEYS);
	assert_string_equal(subs[0], "HKEY_LOCAL_MACHINE\\Soft\\K00000");
	assert_string_equal(subs[KEYS - 1], "HKEY_LOCAL_MACHINE\\Soft\\K02999");
	str_list_free(subs, n);
	subs = regdb_subkeys(db, "HKLM\\Soft\\K00001", &n);
	assert_int_equal(n, 0);
	free(subs);
	subs = regdb_subkeys(db, "HKLM", &n);
	assert_int_equal(n, 1);
	assert_string_equal(subs[0], "HKEY_LOCAL_MACHINE\\Wide");
	str_list_free(subs, n);
	buf_free(&in);
	buf_free(&text);
	regdb_free(db);
}

/* Line ends as they come: CRLF, LF, CR CR LF, blanks before them. */
static void
test_line_end_variants(void **state)
{
	const char *mixed = "Windows Registry Editor Version 5.00\r\n\n"
	    "[HKLM\\A]\r\r\n\"x\"=\"a\tb\"  \r\n\"y\"=hex:01,\\ \r\n  02\n";
	const char *want = H5 "[HKEY_LOCAL_MACHINE\\A]\n\"x\"=\"a\tb\"\n"
	    "\"y\"=hex:01,02\n\n";
	struct regdb *db = regdb_new();
	struct buf in = { 0 };
	char err[256];

	(void)state;
	parse_ok(db, mixed);
	assert_format(db, want);
	u16_doc(&in, mixed);
	assert_int_equal(parse_raw(db, in.p, in.len, err, sizeof err), 0);
	assert_format(db, want);
	buf_free(&in);
	regdb_free(db);
}

/* Data stored as read when it is canonical already, else canonicalised:
 * either way what regval_canon makes of it. */
static void
test_data_as_read(void **state)
{
	static const char *data[] = {
		"\"plain\"", "\"C:\\\\x \\\"y\\\"\"", "\"\"", "dword:0000fffe",
		"dword:0000FFFE", "DWORD:1", "dword:00000001", "hex:", "hex:01",
		"hex:01,ab", "hex:01,AB", "HEX:01", "hex:1", "hex:01, 02",
		"hex(2):25,00", "hex(02):25,00", "hex(0):", "hex(00):",
		"hex(b):01,02,03,04,05,06,07,08", "hex(B):01", "hex(ffffffff):01",
		"hex(7fffffff):", "hex(2) :01",
	};
	static const char *bad[] = {
		"hex(000000000):01", "hex(123456789):01", "hex():01", "hex:01,",
		"\"a\\\"", "\"a\"b\"", "hex(2:01",
	};
	struct regdb *db = regdb_new();
	char err[256], *text, *c;

	(void)state;
	for (size_t i = 0; i < nitems(data); i++) {
		text = xasprintf(H5 "[HKLM\\A]\n\"v\"=%s\n", data[i]);
		c = regval_canon(data[i], err, sizeof err);
		if (c == NULL)
			assert_int_equal(parse_raw(db, text, strlen(text), err,
			    sizeof err), -1);
		else {
			parse_ok(db, text);
			assert_string_equal(regdb_get(db, "HKLM\\A", "v"), c);
		}
		free(c);
		free(text);
	}
	for (size_t i = 0; i < nitems(bad); i++) {
		text = xasprintf(H5 "[HKLM\\A]\n\"v\"=%s\n", bad[i]);
		if (parse_raw(db, text, strlen(text), err, sizeof err) != -1)
			fail_msg("%s was read", bad[i]);
		assert_null(regval_canon(bad[i], NULL, 0));
		free(text);
	}
	regdb_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types_both_ways),
		cmocka_unit_test(test_utf16_output),
		cmocka_unit_test(test_utf16_input),
		cmocka_unit_test(test_utf8_line_ends),
		cmocka_unit_test(test_continuation_and_wrap),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_root_names),
		cmocka_unit_test(test_create_delete_identity),
		cmocka_unit_test(test_key_delete_refusals),
		cmocka_unit_test(test_ancestors),
		cmocka_unit_test(test_sorted_output),
		cmocka_unit_test(test_value_order),
		cmocka_unit_test(test_parse_replaces),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_huge_input),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_roundtrip_property),
		cmocka_unit_test(test_seed_file),
		cmocka_unit_test(test_file_order),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_line_end_variants),
		cmocka_unit_test(test_data_as_read),
	};

	rng_state = 0x853c49e6748fea9bULL;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
