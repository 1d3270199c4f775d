/*
 * The registry written a chunk at a time (regdb_format_to, what the dir
 * driver streams into registry.reg) gives the very bytes regdb_format
 * gives, wherever the chunks are cut; a failing writer stops it. And the
 * arena the keys and values live in (regdb.c) keeps every value right
 * through replacements, removals and big data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regfile.h"
#include "regdb.h"
#include "util.h"

/* Chunk sizes: odd ones cut UTF-16 units, CRLFs and hex lines apart. */
static const size_t chunks[] = { 1, 2, 3, 5, 16, 77, 1000, 4096, 65536,
    REG_CHUNK };

struct sink {
	struct buf b;
	size_t calls, fail_at, largest;
};

static int
put(void *ctx, const void *data, size_t n)
{
	struct sink *s = ctx;

	s->calls++;
	if (s->fail_at != 0 && s->calls >= s->fail_at)
		return -1;
	assert_true(n > 0);
	if (n > s->largest)
		s->largest = n;
	buf_add(&s->b, data, n);
	return 0;
}

/* Every chunk size gives regdb_format's bytes; with the file's chunk,
 * put gets at most MOST bytes at once. */
static void
assert_chunks_same(const struct regdb *db, const char *what, size_t most)
{
	size_t len;
	unsigned char *whole = regdb_format(db, &len);

	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		struct sink s = { { 0 }, 0, 0, 0 };

		assert_int_equal(regdb_format_to(db, chunks[i], put, &s),
		    0);
		if (s.b.len != len || memcmp(s.b.p, whole, len) != 0)
			fail_msg("%s: chunks of %zu: %zu bytes, not the %zu "
			    "of regdb_format", what, chunks[i], s.b.len, len);
		buf_free(&s.b);
	}
	{
		struct sink s = { { 0 }, 0, 0, 0 };

		assert_int_equal(regdb_format_to(db, REG_CHUNK, put, &s), 0);
		assert_int_equal(s.b.len, len);
		assert_memory_equal(s.b.p, whole, len);
		assert_true(s.largest <= most);
		buf_free(&s.b);
	}
	free(whole);
}

/* tests/unit/test_regstream.c -> tests/ */
static char *
tests_dir(void)
{
	char *dir = xstrdup(__FILE__), *slash;

	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if ((slash = strrchr(dir, '/')) != NULL)
		slash[1] = '\0';
	else
		strcpy(dir, "tests/");
	return dir;
}

/* Each .reg file of folder (under tests/), read, written in chunks;
 * how many. */
static size_t
corpus(const char *folder)
{
	char *top = tests_dir(), *dirpath = xasprintf("%s%s", top, folder);
	DIR *d = opendir(dirpath);
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		fail_msg("cannot open %s", dirpath);
	while ((e = readdir(d)) != NULL) {
		char *path, *data, err[512];
		size_t len;
		struct regdb *db;

		if (strstr(e->d_name, ".reg") == NULL)
			continue;
		path = xasprintf("%s/%s", dirpath, e->d_name);
		if (file_read(path, 1 << 24, &data, &len) == -1)
			fail_msg("cannot read %s", path);
		db = regdb_new();
		if (regdb_parse(db, path, (unsigned char *)data, len, err,
		    sizeof err) != 0)
			fail_msg("%s", err);
		assert_chunks_same(db, path, REG_CHUNK);
		regdb_free(db);
		free(data);
		free(path);
		n++;
	}
	closedir(d);
	free(dirpath);
	free(top);
	return n;
}

static void
test_chunks_corpus(void **state)
{
	(void)state;
	/* A corpus that went missing would prove nothing. */
	assert_true(corpus("fuzz/corpus/regfile") >= 4);
	assert_true(corpus("data/reg") >= 1);
}

/* Long hex lines, text past the BMP, names with escapes, a value bigger
 * than a chunk, keys added after the file was read. */
static void
test_chunks_generated(void **state)
{
	struct regdb *db = regdb_new();
	struct buf big = { 0 };
	char key[64], name[32];
	unsigned char bytes[300];

	(void)state;
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(i * 7);
	for (int k = 0; k < 200; k++) {
		char *bin = regval_binary(bytes, (size_t)k + 1);
		char *sz = regval_sz(k % 2 ? "caf\xc3\xa9 \xf0\x9f\x94\x91 x"
		    : "plain \\ \"quoted\"");

		snprintf(key, sizeof key, "HKLM\\SOFTWARE\\G\\K%03d", k);
		assert_int_equal(regdb_key_create(db, key), 0);
		snprintf(name, sizeof name, "v\"%d\\", k);
		assert_int_equal(regdb_set(db, key, name, bin, NULL, 0), 0);
		assert_int_equal(regdb_set(db, key, "@", sz, NULL, 0), 0);
		assert_int_equal(regdb_set(db, key, "d", "dword:0000fffe",
		    NULL, 0), 0);
		free(bin);
		free(sz);
	}
	/* A REG_SZ of 3 MiB: one line longer than a chunk. */
	buf_add(&big, "\"", 1);
	for (int i = 0; i < (3 << 20) / 64; i++)
		buf_adds(&big, "0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcdef");
	buf_add(&big, "\"", 1);
	assert_int_equal(regdb_key_create(db, "HKLM\\SOFTWARE\\Big"), 0);
	assert_int_equal(regdb_set(db, "HKLM\\SOFTWARE\\Big", "big", big.p,
	    NULL, 0), 0);
	/* The big line is one piece: a chunk's room grows to hold it. */
	assert_chunks_same(db, "generated", (size_t)8 << 20);
	buf_free(&big);
	regdb_free(db);
}

/* A writer that fails stops the text: -1, and put is not called again. */
static void
test_put_fails(void **state)
{
	struct regdb *db = regdb_new();
	struct sink s = { { 0 }, 0, 3, 0 };
	char key[64];

	(void)state;
	for (int k = 0; k < 100; k++) {
		snprintf(key, sizeof key, "HKLM\\SOFTWARE\\F\\K%03d", k);
		assert_int_equal(regdb_key_create(db, key), 0);
		assert_int_equal(regdb_set(db, key, "x", "\"a value of some "
		    "length, to fill chunks\"", NULL, 0), 0);
	}
	assert_int_equal(regdb_format_to(db, 64, put, &s), -1);
	assert_int_equal(s.calls, 3);
	/* What went out is a beginning of the whole text. */
	{
		size_t len;
		unsigned char *whole = regdb_format(db, &len);

		assert_true(s.b.len > 0 && s.b.len < len);
		assert_memory_equal(s.b.p, whole, s.b.len);
		free(whole);
	}
	buf_free(&s.b);
	regdb_free(db);
}

/*
 * The arena: a value replaced many times (old data stays in the arena
 * until the db goes), data bigger than a chunk of it, a key with a table
 * of values emptied, removed and made again, and a file read over it all.
 * Leaks and stray frees show under the asan and valgrind variants.
 */
static void
test_arena_churn(void **state)
{
	struct regdb *db = regdb_new();
	struct buf data = { 0 };
	char name[32], want[32], **names;
	const char *wide = "HKLM\\SOFTWARE\\Wide";
	unsigned char *text;
	size_t n, len;

	(void)state;
	assert_int_equal(regdb_key_create(db, "HKLM\\SOFTWARE\\A"), 0);
	for (int i = 0; i < 20000; i++) {
		snprintf(want, sizeof want, "dword:%08x", i);
		assert_int_equal(regdb_set(db, "HKLM\\SOFTWARE\\A", "v", want,
		    NULL, 0), 0);
	}
	assert_string_equal(regdb_get(db, "HKLM\\SOFTWARE\\A", "v"),
	    "dword:00004e1f");
	/* 2 MiB of hex: more than the arena's chunk, memory of its own. */
	buf_adds(&data, "hex:00");
	for (int i = 1; i < (2 << 20) / 3; i++)
		buf_adds(&data, ",7f");
	assert_int_equal(regdb_set(db, "HKLM\\SOFTWARE\\A", "bin", data.p,
	    NULL, 0), 0);
	assert_string_equal(regdb_get(db, "HKLM\\SOFTWARE\\A", "bin"), data.p);
	assert_int_equal(regdb_set(db, "HKLM\\SOFTWARE\\A", "bin", "hex:01",
	    NULL, 0), 0);
	assert_string_equal(regdb_get(db, "HKLM\\SOFTWARE\\A", "bin"),
	    "hex:01");
	for (int round = 0; round < 3; round++) {
		assert_int_equal(regdb_key_create(db, wide), 0);
		for (int v = 0; v < 40; v++) {
			snprintf(name, sizeof name, "w%d", v);
			snprintf(want, sizeof want, "dword:%08x", v + round);
			assert_int_equal(regdb_set(db, wide, name, want, NULL,
			    0), 0);
		}
		assert_string_equal(regdb_get(db, wide, "W39"), want);
		names = regdb_values(db, wide, &n);
		assert_int_equal(n, 40);
		str_list_free(names, n);
		for (int v = 0; v < 40; v++) {
			snprintf(name, sizeof name, "W%d", v);
			assert_int_equal(regdb_delete(db, wide, name), 0);
		}
		assert_null(regdb_get(db, wide, "w0"));
		assert_int_equal(regdb_key_delete(db, wide), 0);
		assert_false(regdb_key_exists(db, wide));
	}
	assert_chunks_same(db, "churned", REG_CHUNK);
	/* Read over it: the old arena goes, the file's takes its place. */
	text = regdb_format(db, &len);
	assert_int_equal(regdb_parse(db, "again.reg", text, len, NULL, 0), 0);
	assert_string_equal(regdb_get(db, "HKLM\\SOFTWARE\\A", "v"),
	    "dword:00004e1f");
	free(text);
	buf_free(&data);
	regdb_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chunks_corpus),
		cmocka_unit_test(test_chunks_generated),
		cmocka_unit_test(test_put_fails),
		cmocka_unit_test(test_arena_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
