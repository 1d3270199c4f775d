/*
 * The wizard's pieces that need no terminal: every field has its F1 help
 * text (and no help text is orphaned), and the widget layer's text and
 * editing rules (UTF-8, wrapping, entries, checkboxes, choices).
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

#include "fields.h"
#include "nw.h"
#include "util.h"

#define HELP_DIR "assets/help"
#define HELP_COLS 72	/* the help box's text width at 80 columns */

static int
valid_utf8(const char *s)
{
	unsigned cp;
	size_t n;

	while ((n = nw_u8_decode(s, &cp)) > 0) {
		if (cp == 0xfffd)
			return 0;
		s += n;
	}
	return 1;
}

static void
check_help_text(const char *id, const char *text, size_t len)
{
	const char *line = text, *nl;

	if (len == 0 || text[len - 1] != '\n')
		fail_msg("%s: empty, or no newline at the end", id);
	if (strlen(text) != len || !valid_utf8(text))
		fail_msg("%s: not UTF-8 text", id);
	for (; *line != '\0'; line = nl + 1) {
		char *one;

		nl = strchr(line, '\n');
		one = xstrndup(line, (size_t)(nl - line));
		if (nw_u8_width(one) > HELP_COLS || strchr(one, '\t') != NULL)
			fail_msg("%s: line wider than %d columns, or a "
			    "tab: %s", id, HELP_COLS, one);
		free(one);
	}
}

static void
test_every_field_has_help(void **state)
{
	(void)state;
	for (int i = 0; i < F__COUNT; i++) {
		const struct field *f = &fields_table[i];
		char *path, *text;
		size_t len;

		assert_non_null(f->help);
		path = xasprintf("%s/%s.txt", HELP_DIR, f->help);
		if (file_read(path, 65536, &text, &len) != 0)
			fail_msg("%s: no help text for field %s.%s", path,
			    f->section, f->key);
		check_help_text(f->help, text, len);
		free(text);
		free(path);
	}
}

static void
test_no_orphan_help(void **state)
{
	DIR *d = opendir(HELP_DIR);
	struct dirent *e;
	size_t n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		int known = 0;

		if (e->d_name[0] == '.')
			continue;
		for (int i = 0; i < F__COUNT; i++) {
			const char *h = fields_table[i].help;

			known |= len == strlen(h) + 4 &&
			    strncmp(e->d_name, h, strlen(h)) == 0 &&
			    strcmp(e->d_name + strlen(h), ".txt") == 0;
		}
		if (!known)
			fail_msg("%s/%s belongs to no field", HELP_DIR,
			    e->d_name);
		n++;
	}
	closedir(d);
	assert_int_equal(n, F__COUNT);
}

static void
test_utf8_and_wrap(void **state)
{
	char **lines;
	size_t n;
	unsigned cp;

	(void)state;
	assert_int_equal(nw_u8_decode("\xc3\xa9", &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(nw_u8_decode("\xe2\x80\xa6", &cp), 3);
	assert_int_equal(cp, 0x2026);
	assert_int_equal(nw_u8_decode("\xff", &cp), 1);
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(nw_u8_decode("\xc3", &cp), 1); /* cut short */
	assert_int_equal(nw_u8_width("abc"), 3);

	lines = nw_wrap("the quick brown fox jumps", 10, &n);
	assert_int_equal(n, 3);
	assert_string_equal(lines[0], "the quick");
	assert_string_equal(lines[1], "brown fox");
	assert_string_equal(lines[2], "jumps");
	str_list_free(lines, n);
	/* A word longer than the width is cut; newlines are kept. */
	lines = nw_wrap("abcdefghij\n\nxy", 4, &n);
	assert_int_equal(n, 5);
	assert_string_equal(lines[0], "abcd");
	assert_string_equal(lines[2], "ij");
	assert_string_equal(lines[3], "");
	assert_string_equal(lines[4], "xy");
	str_list_free(lines, n);
}

static struct nw_key
ch(wint_t c)
{
	return (struct nw_key){ .ch = c };
}

static struct nw_key
fn(int code)
{
	return (struct nw_key){ .fn = code };
}

/* A widget's value, kept until the next call. */
static const char *
val(struct nw_widget *w)
{
	static char *last;

	free(last);
	last = nw_value(w);
	return last;
}

static void
type(struct nw_widget *w, const char *s)
{
	for (; *s; s++)
		nw_widget_key(w, ch((unsigned char)*s));
}

static void
test_entry_editing(void **state)
{
	struct nw_widget *e = nw_entry_new("abc", 0);

	(void)state;
	nw_widget_focus(e, 1);
	type(e, "d");
	assert_string_equal(nw_entry_text(e), "abcd");
	nw_widget_key(e, fn(KEY_LEFT));
	nw_widget_key(e, fn(KEY_BACKSPACE));
	assert_string_equal(nw_entry_text(e), "abd");
	nw_widget_key(e, ch(NW_CTRL('a')));
	type(e, "x");
	assert_string_equal(nw_entry_text(e), "xabd");
	nw_widget_key(e, ch(NW_CTRL('k')));
	assert_string_equal(nw_entry_text(e), "x");
	/* UTF-8: one key, two bytes; Backspace removes both. */
	nw_widget_key(e, ch(0xe9));
	assert_string_equal(nw_entry_text(e), "x\xc3\xa9");
	nw_widget_key(e, fn(KEY_BACKSPACE));
	assert_string_equal(nw_entry_text(e), "x");
	nw_widget_key(e, ch(NW_CTRL('u')));
	assert_string_equal(nw_entry_text(e), "");
	assert_int_equal(nw_widget_key(e, fn(KEY_ENTER)), NW_NEXT);
	assert_int_equal(nw_widget_key(e, ch(NW_TAB)), NW_IGNORED);
	nw_widget_free(e);

	e = nw_number_new("10", 1, 12);
	type(e, "a1");
	assert_string_equal(val(e), "101");
	nw_set_value(e, "11");
	type(e, "++");
	assert_string_equal(val(e), "12");
	type(e, "-");
	assert_string_equal(val(e), "11");
	nw_widget_free(e);
}

static void
test_secret_entry_wipes(void **state)
{
	struct nw_widget *e = nw_entry_new("", NW_ENTRY_SECRET);
	const char *buf;

	(void)state;
	buf = nw_entry_text(e);
	type(e, "hunter2");
	/* Typed into where it was made: it never moves (a moved secret is
	 * left in freed heap; test_secret_wipe looks at that). */
	assert_ptr_equal(nw_entry_text(e), buf);
	for (int i = 0; i < 2 * 4096; i++)
		type(e, "x");
	assert_ptr_equal(nw_entry_text(e), buf);
	assert_memory_equal(buf, "hunter2", 7);
	nw_entry_wipe(e);
	/* The same bytes, zeroed where they were: nothing moved. */
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(buf[i], 0);
	nw_widget_free(e);
}

static void
test_checkbox_choice_checklist(void **state)
{
	static const char *const purposes[] = { "signature", "encryption",
		"signature-encryption", NULL };
	static const char *const scen[] = { "scep", "pkcs", "pkcs-import",
		"revocation", NULL };
	struct nw_widget *w;
	char *v;

	(void)state;
	w = nw_checkbox_new(0);
	type(w, "yes");
	assert_true(nw_checkbox_on(w));
	type(w, "no");
	assert_false(nw_checkbox_on(w));
	nw_widget_key(w, ch(' '));
	assert_string_equal(val(w), "yes");
	nw_widget_free(w);

	w = nw_choice_new(purposes, "encryption", "Purpose");
	type(w, "signature-");
	assert_string_equal(nw_choice_value(w), "signature-encryption");
	nw_widget_key(w, ch(NW_CTRL('u')));
	type(w, "e");
	assert_string_equal(nw_choice_value(w), "encryption");
	nw_widget_key(w, fn(KEY_RIGHT));
	assert_string_equal(nw_choice_value(w), "signature-encryption");
	nw_widget_free(w);

	w = nw_checklist_new(scen, "scep");
	nw_widget_key(w, ch(NW_CTRL('u')));
	type(w, "pkcs-i ");
	type(w, "rev ");
	v = nw_checklist_value(w);
	assert_string_equal(v, "pkcs-import, revocation");
	free(v);
	nw_widget_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_field_has_help),
		cmocka_unit_test(test_no_orphan_help),
		cmocka_unit_test(test_utf8_and_wrap),
		cmocka_unit_test(test_entry_editing),
		cmocka_unit_test(test_secret_entry_wipes),
		cmocka_unit_test(test_checkbox_choice_checklist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
