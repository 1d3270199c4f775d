/*
 * The Windows build's INI reader (backend/ini-win32.c) must read every
 * file as the POSIX build's libinih does: both parse the same inputs here
 * and every callback and return code is compared. The Windows reader is
 * compiled into this test under other names, beside the real libinih.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define ini_parse win_ini_parse
#define ini_parse_file win_ini_parse_file
#define ini_parse_stream win_ini_parse_stream
#define ini_parse_string win_ini_parse_string
#define ini_allow_multiline win_ini_allow_multiline
#define ini_allow_bom win_ini_allow_bom
#define ini_start_comment_prefixes win_ini_start_comment_prefixes
#define ini_allow_inline_comments win_ini_allow_inline_comments
#define ini_inline_comment_prefixes win_ini_inline_comment_prefixes
#define ini_use_stack win_ini_use_stack
#define ini_max_line win_ini_max_line
#define ini_allow_realloc win_ini_allow_realloc
#define ini_initial_alloc win_ini_initial_alloc
#define ini_stop_on_first_error win_ini_stop_on_first_error
#define ini_allow_no_value win_ini_allow_no_value
#include "../../backend/ini-win32.c"
#undef ini_parse
#undef ini_parse_file
#undef ini_parse_stream
#undef ini_parse_string
#undef ini_allow_multiline
#undef ini_allow_bom
#undef ini_start_comment_prefixes
#undef ini_allow_inline_comments
#undef ini_inline_comment_prefixes
#undef ini_use_stack
#undef ini_max_line
#undef ini_allow_realloc
#undef ini_initial_alloc
#undef ini_stop_on_first_error
#undef ini_allow_no_value

/* The settings answerfile.c and others may set, applied to both. */
struct settings {
	const char *name;
	bool multiline, bom, inline_comments, use_stack, realloc_ok,
	    stop_first, no_value;
	int max_line, initial_alloc;
};

static const struct settings settings[] = {
	{ "defaults", true, true, true, true, false, false, false, 200, 200 },
	{ "answer file", false, true, true, false, true, true, false, 520,
	    200 },
	{ "no value", true, false, false, true, false, false, true, 200,
	    200 },
	{ "heap, fixed", true, true, true, false, false, false, false, 200,
	    64 },
	{ "heap, grows", true, true, true, false, true, false, false, 300,
	    32 },
};

static void
apply(const struct settings *c)
{
	ini_allow_multiline = win_ini_allow_multiline = c->multiline;
	ini_allow_bom = win_ini_allow_bom = c->bom;
	ini_allow_inline_comments = win_ini_allow_inline_comments =
	    c->inline_comments;
	ini_use_stack = win_ini_use_stack = c->use_stack;
	ini_allow_realloc = win_ini_allow_realloc = c->realloc_ok;
	ini_stop_on_first_error = win_ini_stop_on_first_error = c->stop_first;
	ini_allow_no_value = win_ini_allow_no_value = c->no_value;
	ini_max_line = win_ini_max_line = c->max_line;
	ini_initial_alloc = win_ini_initial_alloc = c->initial_alloc;
}

struct trace {
	struct buf b;
	int refuse_key; /* handler returns 0 for key "bad" */
};

static int
record(void *user, const char *section, const char *name, const char *value)
{
	struct trace *t = user;

	buf_addf(&t->b, "[%s] <%s> = <%s>\n", section, name,
	    value ? value : "(null)");
	return !(t->refuse_key && strcmp(name, "bad") == 0);
}

/* Both parsers over text: "rc\ncallbacks". */
static char *
run(int (*parse)(const char *, ini_handler, void *), const char *text)
{
	struct trace t = { .refuse_key = 1 };
	int rc = parse(text, record, &t);

	buf_addf(&t.b, "rc=%d\n", rc);
	return buf_steal(&t.b);
}

#define LONG100 "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ" \
	"KLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopq"

static const char *const inputs[] = {
	"",
	"\n\n",
	"[meta]\nversion = 1\n",
	"\xef\xbb\xbf[meta]\r\nversion=1\r\n",
	"key outside = section\n[s]\nk=v\n",
	"; comment\n# comment\n[s]\n  ; indented comment\nk = v ; inline\n",
	"[s]\nk = v;not a comment\nk2 = a ;comment\n",
	"[s]\nk = first\n  continued\n\tand more ; c\nother=x\n",
	"[s]\n  indented = line\n",
	"[s]\nk: colon\nk2 : v : w\n",
	"[s]\nno equals here\nk=v\n",
	"[unclosed\nk=v\n",
	"[s] trailing\nk=v\n",
	"[s]\nbad = refused\nk=v\nbad=again\n",
	"[s]\n=empty name\nk=\n",
	"[s]\nk = v\xc3\xbc \t \n",
	"[a very long section name that is longer than fifty bytes for sure]"
	    "\nk=v\n",
	"[s]\na very long key name that is longer than fifty bytes surely "
	    "= v\n",
	"[s]\nk=0123456789012345678901234567890123456789012345678901234567890"
	    "1234567890123456789012345678901234567890123456789012345678901234"
	    "5678901234567890123456789012345678901234567890123456789012345678"
	    "9012345678901234567890123456789012345678901234567890\nnext=1\n",
	"[s]\nk=v\n[t]\n  cont\n",
	"[s]\r\nk = v\r\n\r\n  cont\r\n",
	"[s]\nk = v\nlast line without newline",
	"[s]\nbare name\nk=v\n",
	"[s]\nk=v\nbare after ok\n[bad\nbare after error\n",
	"[s]\nlong=" LONG100 LONG100 LONG100 "\nafter=1\n",
	"[s]\nlonger=" LONG100 LONG100 LONG100 LONG100 LONG100 LONG100
	    "\nafter=1\n",
	"[s]\n  " LONG100 LONG100 "\n",
};

static void
test_same_as_libinih(void **state)
{
	(void)state;
	for (size_t c = 0; c < nitems(settings); c++) {
		apply(&settings[c]);
		for (size_t i = 0; i < nitems(inputs); i++) {
			char *want = run(ini_parse_string, inputs[i]);
			char *got = run(win_ini_parse_string, inputs[i]);

			if (strcmp(want, got) != 0)
				fail_msg("%s, input %zu:\nlibinih:\n%s"
				    "win32:\n%s", settings[c].name, i, want,
				    got);
			free(want);
			free(got);
		}
	}
	apply(&settings[0]);
}

/* Through a file, as answerfile.c and dir.c read them. */
static void
test_file(void **state)
{
	char path[] = "/tmp/ini-win32.XXXXXX";
	int fd = mkstemp(path);
	struct trace a = {0}, b = {0};
	FILE *fp;

	(void)state;
	assert_true(fd != -1);
	fp = fdopen(fd, "w");
	fputs(inputs[7], fp);
	fputs(inputs[18], fp);
	fclose(fp);
	assert_int_equal(ini_parse(path, record, &a),
	    win_ini_parse(path, record, &b));
	assert_string_equal(a.b.p, b.b.p);
	assert_int_equal(win_ini_parse("/nonexistent/x.ini", record, &b), -1);
	unlink(path);
	buf_free(&a.b);
	buf_free(&b.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_libinih),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests_name("ini_win32", tests, NULL, NULL);
}
