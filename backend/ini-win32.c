/*
 * The INI reader of the Windows build: the inih API (ini.h, version 55,
 * as Debian's libinih-dev ships it, with its settings as variables) in
 * our own code, because Debian's archive serves libinih's .dsc but not
 * its tarballs, so it cannot be cross-built like our other libraries
 * (tests/win/build-deps.sh).
 *
 * It must read every file exactly as the POSIX build's libinih does (the
 * answer file's error lines depend on it): tests/unit/test_ini_win32.c
 * runs a table of inputs, under several settings, through both and
 * compares every callback and return code. What it follows:
 *   - lines are read in pieces of the buffer's size (a longer line goes
 *     on as the next "line"); the buffer is INI_MAX_LINE bytes on the
 *     stack, or ini_initial_alloc on the heap, grown up to ini_max_line
 *     when ini_allow_realloc;
 *   - a UTF-8 BOM on the first line is skipped (ini_allow_bom);
 *   - a line starting with one of ini_start_comment_prefixes, or empty,
 *     is skipped;
 *   - an indented line adds to the previous name, as it is, inline
 *     comment and all (ini_allow_multiline);
 *   - one of ini_inline_comment_prefixes after a blank ends a name =
 *     value line or a [section] line (ini_allow_inline_comments);
 *   - section and name are kept to 49 bytes;
 *   - a line without '=' or ':' is an error, or, with ini_allow_no_value
 *     and no error so far, a name with a NULL value;
 *   - parsing goes on after an error unless ini_stop_on_first_error, and
 *     the first error's line is returned.
 */
#include <ini.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 50

bool ini_allow_multiline = INI_ALLOW_MULTILINE;
bool ini_allow_bom = INI_ALLOW_BOM;
char *ini_start_comment_prefixes = INI_START_COMMENT_PREFIXES;
bool ini_allow_inline_comments = INI_ALLOW_INLINE_COMMENTS;
char *ini_inline_comment_prefixes = INI_INLINE_COMMENT_PREFIXES;
bool ini_use_stack = INI_USE_STACK;
int ini_max_line = INI_MAX_LINE;
bool ini_allow_realloc = INI_ALLOW_REALLOC;
int ini_initial_alloc = INI_INITIAL_ALLOC;
bool ini_stop_on_first_error = INI_STOP_ON_FIRST_ERROR;
bool ini_allow_no_value = INI_ALLOW_NO_VALUE;

/* Where a value or header ends: one of stop, or an inline comment (a
 * prefix that follows white space), or the end of the string. */
static char *
value_end(char *s, const char *stop)
{
	int after_blank = 0;

	for (; *s != '\0'; s++) {
		if (stop != NULL && strchr(stop, *s) != NULL)
			break;
		if (ini_allow_inline_comments && after_blank &&
		    strchr(ini_inline_comment_prefixes, *s) != NULL)
			break;
		after_blank = isspace((unsigned char)*s);
	}
	return s;
}

static char *
skip_blanks(char *s)
{
	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	return s;
}

static char *
trim_end(char *s)
{
	char *e = s + strlen(s);

	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void
copy_name(char *dst, const char *src)
{
	snprintf(dst, NAME_MAX_LEN, "%s", src);
}

struct ini_state {
	char section[NAME_MAX_LEN];
	char prev[NAME_MAX_LEN]; /* the name a continuation line adds to */
	ini_handler handler;
	void *user;
	int error, lineno;
};

static void
note_error(struct ini_state *st)
{
	if (st->error == 0)
		st->error = st->lineno;
}

static void
call(struct ini_state *st, const char *name, const char *value)
{
	if (!st->handler(st->user, st->section, name, value))
		note_error(st);
}

static void
pair_line(struct ini_state *st, char *s)
{
	char *end = value_end(s, "=:"), *value;

	if (*end != '=' && *end != ':') {
		/* A bare name is one only while there was no error. */
		if (st->error != 0)
			return;
		if (!ini_allow_no_value) {
			note_error(st);
			return;
		}
		*end = '\0';
		call(st, trim_end(s), NULL);
		return;
	}
	*end = '\0';
	trim_end(s);
	value = end + 1;
	*value_end(value, NULL) = '\0';
	value = trim_end(skip_blanks(value));
	copy_name(st->prev, s);
	call(st, s, value);
}

static void
one_line(struct ini_state *st, char *line)
{
	char *s = line, *end;

	if (ini_allow_bom && st->lineno == 1 &&
	    (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb &&
	    (unsigned char)s[2] == 0xbf)
		s += 3;
	s = skip_blanks(trim_end(s));
	if (*s == '\0' || strchr(ini_start_comment_prefixes, *s) != NULL)
		return;
	if (ini_allow_multiline && st->prev[0] != '\0' && s > line) {
		/* Indented: one more line of the previous value. */
		call(st, st->prev, s);
	} else if (*s == '[') {
		end = value_end(s + 1, "]");
		if (*end != ']') {
			note_error(st);
			return;
		}
		*end = '\0';
		copy_name(st->section, s + 1);
		st->prev[0] = '\0';
	} else
		pair_line(st, s);
}

/* The rest of a line longer than the buffer, into a grown buffer (heap
 * with realloc): up to ini_max_line bytes. */
static char *
read_rest(ini_reader reader, void *stream, char *line, int *size)
{
	size_t off = strlen(line);
	char *bigger;

	while (off == (size_t)*size - 1 && line[off - 1] != '\n') {
		*size = *size * 2 > ini_max_line ? ini_max_line : *size * 2;
		if ((bigger = realloc(line, (size_t)*size)) == NULL) {
			free(line);
			return NULL;
		}
		line = bigger;
		if (reader(line + off, *size - (int)off, stream) == NULL ||
		    *size >= ini_max_line)
			break;
		off += strlen(line + off);
	}
	return line;
}

int
ini_parse_stream(ini_reader reader, void *stream, ini_handler handler,
    void *user)
{
	struct ini_state st = { .handler = handler, .user = user };
	char stack[INI_MAX_LINE], *line = stack;
	int size = INI_MAX_LINE;

	if (!ini_use_stack) {
		size = ini_initial_alloc;
		if ((line = malloc((size_t)size)) == NULL)
			return -2;
	}
	while (reader(line, size, stream) != NULL) {
		if (!ini_use_stack && ini_allow_realloc &&
		    (line = read_rest(reader, stream, line, &size)) == NULL)
			return -2;
		st.lineno++;
		one_line(&st, line);
		if (ini_stop_on_first_error && st.error != 0)
			break;
	}
	if (line != stack)
		free(line);
	return st.error;
}

static char *
file_reader(char *buf, int n, void *stream)
{
	return fgets(buf, n, stream);
}

int
ini_parse_file(FILE *fp, ini_handler handler, void *user)
{
	return ini_parse_stream(file_reader, fp, handler, user);
}

int
ini_parse(const char *path, ini_handler handler, void *user)
{
	FILE *fp = fopen(path, "rb");
	int rc;

	if (fp == NULL)
		return -1;
	rc = ini_parse_file(fp, handler, user);
	fclose(fp);
	return rc;
}

/* Like fgets, over a string. */
static char *
string_reader(char *buf, int n, void *stream)
{
	const char **sp = stream, *s = *sp;
	int i = 0;

	if (*s == '\0' || n < 2)
		return NULL;
	while (i < n - 1 && s[i] != '\0') {
		buf[i] = s[i];
		if (s[i++] == '\n')
			break;
	}
	buf[i] = '\0';
	*sp = s + i;
	return buf;
}

int
ini_parse_string(const char *text, ini_handler handler, void *user)
{
	const char *s = text;

	return ini_parse_stream(string_reader, &s, handler, user);
}
