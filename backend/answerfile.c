/*
 * The answer file on disk: read with inih, written by us. Reading is strict:
 * the first problem stops it with one "FILE:LINE: ..." line and nothing is
 * kept, so a typo never half-applies.
 */
#include "answerfile.h"
#include "answers.h"
#include "utf.h"
#include "util.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ANSWERS_MAX_SIZE (1024 * 1024)
#define ANSWERS_MAX_LINE 4096

struct reader {
	const char *p, *end;
	int line;
	int headers; /* lines that opened a [section] */
	int partial; /* the last piece handed out ended mid-line */
};



struct loader {
	struct reader rd; /* first: the reader callback gets the loader */
	struct answers next;
	const char *name;
	char *err;
	size_t errlen;
	int failed;
	int version;     /* 0 until [meta] version is read */
	int seen[F__COUNT];
};

static int PRINTFLIKE(2, 3)
fail(struct loader *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->failed)
		return 0;
	l->failed = 1;
	n = snprintf(l->err, l->errlen, "%s:%d: ", l->name, l->rd.line);
	if (n >= 0 && (size_t)n < l->errlen) {
		va_start(ap, fmt);
		vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return 0;
}

static int section_check(struct loader *, const char *line);

/* inih asks for one line at a time; counting them here gives line numbers
 * without depending on how the library was built. Section headers are
 * checked here too, so that an unknown one is named at its own line even
 * when no key follows it. A line longer than inih's buffer comes in
 * pieces: only the first starts a line. */
static char *
reader_gets(char *str, int num, void *stream)
{
	struct loader *l = stream;
	struct reader *r = &l->rd;
	size_t n = 0;
	int first = !r->partial;

	if (r->p >= r->end || l->failed)
		return NULL;
	while (r->p < r->end && n + 1 < (size_t)num) {
		char c = *r->p++;

		str[n++] = c;
		if (c == '\n')
			break;
	}
	str[n] = '\0';
	r->partial = n > 0 && str[n - 1] != '\n';
	if (!first)
		return str;
	r->line++;
	return section_check(l, str) ? str : NULL;
}

static int
section_check(struct loader *l, const char *line)
{
	const char *s = line, *end;
	char *name;
	int ok = 1;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '[' || (end = strchr(s, ']')) == NULL)
		return 1;
	l->rd.headers++;
	name = xstrndup(s + 1, (size_t)(end - s - 1));
	if (*name != '\0' && strcmp(name, "meta") != 0 &&
	    !field_section_known(name))
		ok = fail(l, "unknown section [%s]; known sections: meta, "
		    "prereqs, accounts, template, ndes, registry, binding, "
		    "signin, proxy, health", name);
	else if (*name != '\0' && strcmp(name, "meta") != 0 &&
	    l->version == 0)
		ok = fail(l, "[meta] version = %d must come before [%s]",
		    ANSWERS_VERSION, name);
	free(name);
	return ok;
}

static int
handle_meta(struct loader *l, const char *key, const char *value)
{
	long long v;

	if (strcmp(key, "version") != 0)
		return fail(l, "unknown key '%s' in [meta]; only 'version' "
		    "belongs there", key);
	if (l->version != 0)
		return fail(l, "[meta] version is set twice");
	if (str_to_long(value, 1, 1000000, &v) != 0)
		return fail(l, "[meta] version: '%s' is not a version number; "
		    "use version = %d", value, ANSWERS_VERSION);
	if (v > ANSWERS_VERSION)
		return fail(l, "[meta] version %lld is newer than this ndeswiz "
		    "understands (%d); use a newer ndeswiz or export the file "
		    "again", v, ANSWERS_VERSION);
	l->version = (int)v;
	return 1;
}

static void
known_keys(const char *section, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < F__COUNT && used < len; i++)
		if (strcmp(fields_table[i].section, section) == 0)
			used += (size_t)snprintf(out + used, len - used,
			    "%s%s", used ? ", " : "", fields_table[i].key);
}

static int
handle_value(struct loader *l, enum field_id id, const char *value)
{
	const struct field *f = &fields_table[id];
	char why[512], desc[256];

	if (l->seen[id])
		return fail(l, "[%s] %s is set twice (first on line %d)",
		    f->section, f->key, l->seen[id]);
	l->seen[id] = l->rd.line;
	if (*value == '\0' && (f->type == FT_BOOL || f->type == FT_ENUM ||
	    f->type == FT_INT)) {
		field_describe(id, desc, sizeof desc);
		return fail(l, "[%s] %s: needs a value: %s", f->section,
		    f->key, desc);
	}
	if (answers_set(&l->next, id, value, SRC_FILE, why, sizeof why) != 0)
		return fail(l, "[%s] %s: %s", f->section, f->key, why);
	l->next.line[id] = l->rd.line;
	l->next.file[id] = xstrdup(l->name);
	return 1;
}

static int
handler(void *user, const char *section, const char *key, const char *value)
{
	struct loader *l = user;
	char keys[512];
	int id;

	if (l->failed)
		return 0;
	if (*section == '\0' && l->rd.headers == 0)
		return fail(l, "'%s' is outside any [section]; start the file "
		    "with [meta] version = %d", key, ANSWERS_VERSION);
	if (strcmp(section, "meta") == 0)
		return handle_meta(l, key, value);
	if (l->version == 0 && *section != '\0')
		return fail(l, "[meta] version = %d must come before [%s]",
		    ANSWERS_VERSION, section);
	if (!field_section_known(section))
		return fail(l, "unknown section [%s]; known sections: meta, "
		    "prereqs, accounts, template, ndes, registry, binding, "
		    "signin, proxy, health", section);
	id = field_lookup(section, key);
	if (id < 0) {
		known_keys(section, keys, sizeof keys);
		return fail(l, "unknown key '%s' in [%s] (known keys: %s)",
		    key, section, keys);
	}
	return handle_value(l, (enum field_id)id, value);
}

/* Valid UTF-8, no NUL, lines of sane length: checked before inih sees it,
 * so that every refusal can name its line. */
static int
prescan(struct loader *l, const unsigned char *p, size_t n)
{
	size_t col = 0;

	l->rd.line = 1;
	if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
	    (p[0] == 0xfe && p[1] == 0xff)))
		return fail(l, "the file is UTF-16; save it as UTF-8 "
		    "(Notepad: Save As, Encoding UTF-8)");
	for (size_t i = 0; i < n; i++, col++) {
		unsigned char c = p[i];
		size_t extra;
		uint32_t cp;

		if (c == '\n') {
			l->rd.line++;
			col = 0;
			continue;
		}
		if (c == '\0')
			return fail(l, "contains a NUL byte: this is not a "
			    "text answer file");
		if (col >= ANSWERS_MAX_LINE)
			return fail(l, "line longer than %d characters; an "
			    "answer file holds short key = value lines",
			    ANSWERS_MAX_LINE);
		if (c < 0x80)
			continue;
		/* A lead byte whose sequence the file's end cuts off. */
		extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
		if (c >= 0xc2 && c <= 0xf4 && i + extra >= n)
			return fail(l, "not valid UTF-8 text (cut short); "
			    "save the file as UTF-8");
		if ((extra = u8_decode(p + i, n - i, &cp)) == 0)
			return fail(l, "not valid UTF-8 text (byte 0x%02x); "
			    "save the file as UTF-8", c);
		i += extra - 1;
	}
	return 1;
}

static void
inih_configure(void)
{
	ini_allow_multiline = false;
	ini_allow_bom = true;
	ini_allow_inline_comments = true;
	ini_stop_on_first_error = true;
	ini_allow_no_value = false;
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_max_line = ANSWERS_MAX_LINE + 8;
}

int
answerfile_load_buffer(struct answers *a, const char *name, const char *data,
    size_t size, char *err, size_t len)
{
	struct loader l = { .name = name, .err = err, .errlen = len };
	int rc;

	answers_copy(&l.next, a);
	if (!prescan(&l, (const unsigned char *)data, size))
		goto failed;
	l.rd.p = data;
	l.rd.end = data + size;
	l.rd.line = 0;
	inih_configure();
	rc = ini_parse_stream(reader_gets, &l, handler, &l);
	if (l.failed)
		goto failed;
	if (rc > 0) {
		l.rd.line = rc;
		fail(&l, "not a [section] header or a 'key = value' line");
		goto failed;
	}
	if (rc < 0) {
		l.rd.line = 0;
		fail(&l, "cannot be read (out of memory)");
		goto failed;
	}
	if (l.version == 0) {
		l.rd.line = 1;
		fail(&l, "%s; an answer file starts with [meta] version = %d",
		    size == 0 ? "the file is empty" : "no [meta] version",
		    ANSWERS_VERSION);
		goto failed;
	}
	answers_free(a);
	*a = l.next;
	return 0;
failed:
	answers_free(&l.next);
	return -1;
}

int
answerfile_load(struct answers *a, const char *path, char *err, size_t len)
{
	char *data;
	size_t size;
	int rc;

	if (file_read(path, ANSWERS_MAX_SIZE, &data, &size) != 0) {
		const char *why = errno == EISDIR ? "is a directory, not an "
		    "answer file" : errno == EFBIG ? "is larger than 1 MiB; an "
		    "answer file is a few KB" : errno == EINVAL ? "is not a "
		    "regular file" : strerror(errno);

		snprintf(err, len, "%s: cannot read: %s", path, why);
		return -1;
	}
	rc = answerfile_load_buffer(a, path, data, size, err, len);
	free(data);
	return rc;
}

char *
answerfile_format(const struct answers *a)
{
	struct buf b = {0};
	const char *section = NULL;
	char comment[512];

	buf_addf(&b, "; ndeswiz answer file (schema version %d).\n"
	    "; Secrets are never stored here, only where to find them:\n"
	    "; env:NAME, file:PATH (mode 0600) or prompt.\n\n"
	    "[meta]\n; schema version of this file\nversion = %d\n",
	    ANSWERS_VERSION, ANSWERS_VERSION);
	for (int i = 0; i < F__COUNT; i++) {
		const struct field *f = &fields_table[i];

		if (section == NULL || strcmp(section, f->section) != 0) {
			section = f->section;
			buf_addf(&b, "\n[%s]\n", section);
		}
		field_comment((enum field_id)i, comment, sizeof comment);
		buf_addf(&b, "; %s\n%s =%s%s\n", comment, f->key,
		    *a->val[i] ? " " : "", a->val[i]);
	}
	return buf_steal(&b);
}

int
answerfile_save(const struct answers *a, const char *path)
{
	char *text = answerfile_format(a);
	int rc;

	rc = file_write_atomic(path, text, strlen(text), 0600);
	free(text);
	return rc;
}
