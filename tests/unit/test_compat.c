/*
 * The POSIX calls backend/compat.h maps on Windows: the same cases run
 * on the system's own calls here and on compat-win32.c's under Wine, so
 * the Windows versions are held to what POSIX does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#endif

static char *
tmpdir(void)
{
#ifdef _WIN32
	const char *base = getenv("TEMP");
	char *t = xasprintf("%s/compat.XXXXXX", base ? base : ".");
#else
	char *t = xstrdup("/tmp/compat.XXXXXX");
#endif

	assert_non_null(mkdtemp(t));
	assert_true(dir_exists(t));
	return t;
}

static void
test_fnmatch(void **state)
{
	static const struct {
		const char *pat, *s;
		int match;
	} cases[] = {
		{ "*.contoso.com", "ndes.contoso.com", 1 },
		{ "*.contoso.com", "contoso.com", 0 },
		{ "*", "", 1 },
		{ "a?c", "abc", 1 },
		{ "a?c", "ac", 0 },
		{ "10.0.*", "10.0.0.1", 1 },
		{ "[a-c]x", "bx", 1 },
		{ "[!a-c]x", "bx", 0 },
		{ "login.*.com", "login.microsoftonline.com", 1 },
		{ "exact", "exact", 1 },
		{ "exact", "exactly", 0 },
	};

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++)
		if ((fnmatch(cases[i].pat, cases[i].s, 0) == 0) !=
		    cases[i].match)
			fail_msg("fnmatch(%s, %s)", cases[i].pat, cases[i].s);
}

static void
test_strsep(void **state)
{
	char buf[] = "a,,b,c", *p = buf;

	(void)state;
	assert_string_equal(strsep(&p, ","), "a");
	assert_string_equal(strsep(&p, ","), "");
	assert_string_equal(strsep(&p, ","), "b");
	assert_string_equal(strsep(&p, ","), "c");
	assert_null(p);
	assert_null(strsep(&p, ","));
}

static void
test_time(void **state)
{
	struct tm tm = { .tm_year = 2024 - 1900, .tm_mon = 1, .tm_mday = 29,
	    .tm_hour = 12 }, out;
	time_t t = timegm(&tm);

	(void)state;
	assert_int_equal((long long)t, 1709208000LL);
	assert_non_null(gmtime_r(&t, &out));
	assert_int_equal(out.tm_mday, 29);
	assert_int_equal(out.tm_hour, 12);
}

/* file_write_atomic over an existing file (rename onto it), and pread
 * leaves the offset where it was. */
static void
test_files(void **state)
{
	char *dir = tmpdir(), *path = path_join(dir, "f"), *data, *real;
	char c;
	size_t n;
	int fd;

	(void)state;
	assert_int_equal(file_write_atomic(path, "one\r\n", 5, 0600), 0);
	assert_int_equal(file_write_atomic(path, "two\r\n", 5, 0600), 0);
	assert_int_equal(file_read(path, 100, &data, &n), 0);
	/* Binary: no CRLF translation either way. */
	assert_int_equal(n, 5);
	assert_memory_equal(data, "two\r\n", 5);
	free(data);
	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	assert_true(fd != -1);
	assert_int_equal(pread(fd, &c, 1, 4), 1);
	assert_int_equal(c, '\n');
	assert_int_equal(write(fd, "x", 1), 1);
	assert_int_equal(fsync(fd), 0);
	close(fd);
	assert_int_equal(file_read(path, 100, &data, &n), 0);
	assert_int_equal(n, 6);
	free(data);
	real = realpath(path, NULL);
	assert_non_null(real);
	assert_non_null(strstr(real, "compat."));
	free(real);
	assert_null(realpath("/no/such/file/here", NULL));
	assert_int_equal(mkdir_p(dir, 0700), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	free(path);
	free(dir);
}

/*
 * Names outside any ANSI code page (Ω) and inside one (é): every path
 * call keeps the UTF-8 it is given, and a folder lists the names back
 * as the same UTF-8 (on Windows, through the _w calls).
 */
static void
test_unicode_names(void **state)
{
	char *dir = tmpdir(), *sub = path_join(dir, "Donn\u00e9es-\u03a9");
	char *a = path_join(sub, "fichier-\u00e8.txt");
	char *b = path_join(sub, "renomm\u00e9-\u03a9.txt");
	char *real, line[16];
	struct dirent *e;
	struct stat st;
	FILE *fp;
	DIR *d;
	int fd, seen = 0;

	(void)state;
	assert_int_equal(mkdir(sub, 0700), 0);
	fd = open(a, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, "svc-nd\u00e8s\n", 10), 10);
	close(fd);
	assert_int_equal(stat(a, &st), 0);
	assert_int_equal(st.st_size, 10);
	assert_int_equal(access(a, R_OK), 0);
	assert_int_equal(rename(a, b), 0);
	assert_int_equal(access(a, F_OK), -1);
	fp = fopen(b, "rb");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof line, fp));
	fclose(fp);
	assert_string_equal(line, "svc-nd\u00e8s\n");
	d = opendir(sub);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, "renomm\u00e9-\u03a9.txt") == 0)
			seen++;
	closedir(d);
	assert_int_equal(seen, 1);
	real = realpath(b, NULL);
	assert_non_null(real);
	assert_non_null(strstr(real, "Donn\u00e9es-\u03a9/renomm\u00e9"));
	free(real);
	assert_int_equal(remove(b), 0);
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(dir), 0);
	free(a);
	free(b);
	free(sub);
	free(dir);
}

/* An environment value outside the ANSI code page (a profile folder
 * such as C:\Users\Zoë-Ω) comes back as the same UTF-8. */
static void
test_unicode_env(void **state)
{
	(void)state;
#ifdef _WIN32
	/* Set as Windows would: in UTF-16, by the system. */
	assert_true(SetEnvironmentVariableW(L"NDESWIZ_TEST_DIR",
	    L"C:\\Users\\Zo\u00eb-\u03a9"));
#else
	assert_int_equal(setenv("NDESWIZ_TEST_DIR",
	    "C:\\Users\\Zo\u00eb-\u03a9", 1), 0);
#endif
	assert_non_null(getenv("NDESWIZ_TEST_DIR"));
	assert_string_equal(getenv("NDESWIZ_TEST_DIR"),
	    "C:\\Users\\Zo\u00eb-\u03a9");
	assert_null(getenv("NDESWIZ_TEST_NO_SUCH_VARIABLE"));
}

static void
test_memstream(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	(void)state;
	assert_non_null(fp);
	fprintf(fp, "plan: %d change%s\n", 2, "s");
	fputs("line two\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(text);
	assert_int_equal(len, strlen("plan: 2 changes\nline two\n"));
	assert_string_equal(text, "plan: 2 changes\nline two\n");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnmatch),
		cmocka_unit_test(test_strsep),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_unicode_names),
		cmocka_unit_test(test_unicode_env),
		cmocka_unit_test(test_memstream),
	};

	return cmocka_run_group_tests_name("compat", tests, NULL, NULL);
}
