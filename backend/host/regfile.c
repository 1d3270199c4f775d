/*
 * Registry state as regedit's .reg text.
 *
 * Values are kept as canonical one-line .reg data, so regdb_get can hand
 * out a pointer and formatting only has to wrap hex. Keys live in one array
 * kept in export order; a key's descendants then follow it directly, which
 * makes "is an ancestor of a header" a binary search.
 */
#include "regfile.h"
#include "regint.h"
#include "util.h"
#include "utf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER5		"Windows Registry Editor Version 5.00"
#define HEADER4		"REGEDIT4"
/* Regedit starts a new line once a hex line reaches this column. */
#define WRAP_COLUMN	76

struct regvalue {
	char *name;		/* "" for the default value */
	char *data;		/* canonical one-line data */
};

struct regkey {
	char *path;		/* long root name, then components as given */
	struct regvalue *v;	/* the default value, when set, is v[0] */
	size_t n, cap;
};

struct regdb {
	struct regkey **k;	/* sorted by keycmp */
	size_t n, cap;
};

static const struct {
	const char *name;
	const char *abbrev;
} roots[] = {
	{ "HKEY_LOCAL_MACHINE", "HKLM" },
	{ "HKEY_CURRENT_USER", "HKCU" },
	{ "HKEY_CLASSES_ROOT", "HKCR" },
	{ "HKEY_USERS", "HKU" },
	{ "HKEY_CURRENT_CONFIG", "HKCC" },
};


static int
name_eq(const char *a, const char *b)
{
	for (; *a != '\0' && reg_upper((unsigned char)*a) ==
	    reg_upper((unsigned char)*b); a++, b++)
		;
	return reg_upper((unsigned char)*a) == reg_upper((unsigned char)*b);
}

/* Key paths. */

static int
keychar(const char *s)
{
	/* A separator sorts before any character: component-wise order. */
	if (*s == '\\')
		return 1;
	return reg_upper((unsigned char)*s);
}

static int
keycmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = keychar(a), y = keychar(b);

		if (x != y || x == 0)
			return x - y;
	}
}

/* path lies below key. */
static int
key_below(const char *path, const char *key)
{
	for (; *key != '\0'; path++, key++)
		if (reg_upper((unsigned char)*path) != reg_upper((unsigned char)*key))
			return 0;
	return *path == '\\';
}

/* A key path in stored form (long root name), or NULL and why not. */
static char *
key_normalize(const char *key, char *err, size_t errlen)
{
	const char *rest;
	char tmp[SNIP_MAX + 8];
	size_t rootlen, i;

	if (reg_text_bad(key) != NULL) {
		reg_seterr(err, errlen, "key \"%s\" is not printable UTF-8; "
		    "expected a key path", reg_snip(key, tmp, sizeof tmp));
		return NULL;
	}
	rest = strchr(key, '\\');
	rootlen = rest != NULL ? (size_t)(rest - key) : strlen(key);
	for (i = 0; i < nitems(roots); i++) {
		if ((strlen(roots[i].name) == rootlen &&
		    reg_prefix_ci(key, roots[i].name)) ||
		    (strlen(roots[i].abbrev) == rootlen &&
		    reg_prefix_ci(key, roots[i].abbrev)))
			break;
	}
	if (i == nitems(roots)) {
		reg_seterr(err, errlen, "unknown root key in \"%s\"; expected "
		    "HKEY_LOCAL_MACHINE (HKLM), HKEY_CURRENT_USER (HKCU), "
		    "HKEY_CLASSES_ROOT (HKCR), HKEY_USERS (HKU) or "
		    "HKEY_CURRENT_CONFIG (HKCC)", reg_snip(key, tmp, sizeof tmp));
		return NULL;
	}
	if (rest != NULL && (rest[1] == '\0' || strstr(rest, "\\\\") != NULL ||
	    rest[strlen(rest) - 1] == '\\')) {
		reg_seterr(err, errlen, "empty name in key \"%s\"; expected "
		    "ROOT\\KEY\\SUBKEY without doubled or trailing "
		    "backslashes", reg_snip(key, tmp, sizeof tmp));
		return NULL;
	}
	return xasprintf("%s%s", roots[i].name, rest != NULL ? rest : "");
}

/* Index of the first key that does not sort before path. */
static size_t
key_bound(const struct regdb *db, const char *path)
{
	size_t lo = 0, hi = db->n, mid;

	/* Files arrive sorted: check the end before searching. */
	if (db->n == 0 || keycmp(db->k[db->n - 1]->path, path) < 0)
		return db->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (keycmp(db->k[mid]->path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct regkey *
key_find(const struct regdb *db, const char *path)
{
	size_t i = key_bound(db, path);

	if (i < db->n && keycmp(db->k[i]->path, path) == 0)
		return db->k[i];
	return NULL;
}

static struct regkey *
key_add(struct regdb *db, const char *path)
{
	struct regkey *k;
	size_t i = key_bound(db, path);

	if (i < db->n && keycmp(db->k[i]->path, path) == 0)
		return db->k[i];
	if (db->n == db->cap) {
		db->cap = db->cap ? db->cap * 2 : 32;
		db->k = xreallocarray(db->k, db->cap, sizeof *db->k);
	}
	memmove(db->k + i + 1, db->k + i, (db->n - i) * sizeof *db->k);
	k = xcalloc(1, sizeof *k);
	k->path = xstrdup(path);
	db->k[i] = k;
	db->n++;
	return k;
}

static void
key_free(struct regkey *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].name);
		free(k->v[i].data);
	}
	free(k->v);
	free(k->path);
	free(k);
}

/* Values. */

static const char *
value_name(const char *name)
{
	return name == NULL || strcmp(name, "@") == 0 ? "" : name;
}

static struct regvalue *
value_find(const struct regkey *k, const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (name_eq(k->v[i].name, name))
			return &k->v[i];
	return NULL;
}

/* Add a new value: the default value goes first, as regedit writes it. */
static void
value_add(struct regkey *k, const char *name, char *data)
{
	size_t at = *name == '\0' ? 0 : k->n;

	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 4;
		k->v = xreallocarray(k->v, k->cap, sizeof *k->v);
	}
	memmove(k->v + at + 1, k->v + at, (k->n - at) * sizeof *k->v);
	k->v[at].name = xstrdup(name);
	k->v[at].data = data;
	k->n++;
}

/* The database. */

struct regdb *
regdb_new(void)
{
	return xcalloc(1, sizeof (struct regdb));
}

static void
regdb_clear(struct regdb *db)
{
	for (size_t i = 0; i < db->n; i++)
		key_free(db->k[i]);
	free(db->k);
	memset(db, 0, sizeof *db);
}

void
regdb_free(struct regdb *db)
{
	if (db == NULL)
		return;
	regdb_clear(db);
	free(db);
}

int
regdb_key_exists(const struct regdb *db, const char *key)
{
	char *path = key_normalize(key, NULL, 0);
	size_t i;
	int found;

	if (path == NULL)
		return 0;
	/* Descendants sort right after the key itself. */
	i = key_bound(db, path);
	found = i < db->n && (keycmp(db->k[i]->path, path) == 0 ||
	    key_below(db->k[i]->path, path));
	free(path);
	return found;
}

int
regdb_key_create(struct regdb *db, const char *key)
{
	char *path = key_normalize(key, NULL, 0);

	if (path == NULL)
		return -1;
	key_add(db, path);
	free(path);
	return 0;
}

/* Remove the header at i when it holds no values; with leaf_only, only
 * when no listed subkey follows it either. */
static int
key_remove_header(struct regdb *db, const char *key, int leaf_only)
{
	char *path = key_normalize(key, NULL, 0);
	size_t i;
	int rc = -1;

	if (path == NULL)
		return -1;
	i = key_bound(db, path);
	if (i < db->n && keycmp(db->k[i]->path, path) == 0 &&
	    db->k[i]->n == 0 && (!leaf_only || i + 1 == db->n ||
	    !key_below(db->k[i + 1]->path, path))) {
		key_free(db->k[i]);
		memmove(db->k + i, db->k + i + 1,
		    (db->n - i - 1) * sizeof *db->k);
		db->n--;
		rc = 0;
	}
	free(path);
	return rc;
}

int
regdb_key_delete(struct regdb *db, const char *key)
{
	return key_remove_header(db, key, 1);
}

int
regdb_key_listed(const struct regdb *db, const char *key)
{
	char *path = key_normalize(key, NULL, 0);
	size_t i;
	int found;

	if (path == NULL)
		return 0;
	i = key_bound(db, path);
	found = i < db->n && keycmp(db->k[i]->path, path) == 0;
	free(path);
	return found;
}

int
regdb_key_unlist(struct regdb *db, const char *key)
{
	return key_remove_header(db, key, 0);
}

static struct regkey *
key_lookup(const struct regdb *db, const char *key)
{
	char *path = key_normalize(key, NULL, 0);
	struct regkey *k;

	if (path == NULL)
		return NULL;
	k = key_find(db, path);
	free(path);
	return k;
}

const char *
regdb_get(const struct regdb *db, const char *key, const char *name)
{
	struct regkey *k = key_lookup(db, key);
	struct regvalue *v;

	if (k == NULL || (v = value_find(k, value_name(name))) == NULL)
		return NULL;
	return v->data;
}

int
regdb_set(struct regdb *db, const char *key, const char *name,
    const char *data, char *err, size_t errlen)
{
	struct regkey *k;
	struct regvalue *v;
	char *path, *c, tmp[SNIP_MAX + 8];

	name = value_name(name);
	if (reg_text_bad(name) != NULL) {
		reg_seterr(err, errlen, "value name \"%s\" is not printable UTF-8; "
		    "expected a name without control characters",
		    reg_snip(name, tmp, sizeof tmp));
		return -1;
	}
	if ((path = key_normalize(key, err, errlen)) == NULL)
		return -1;
	if (!regdb_key_exists(db, path)) {
		reg_seterr(err, errlen, "no key \"%s\"; expected an existing key",
		    reg_snip(path, tmp, sizeof tmp));
		free(path);
		return -1;
	}
	if ((c = regval_canon(data, err, errlen)) == NULL) {
		free(path);
		return -1;
	}
	k = key_add(db, path);
	free(path);
	if ((v = value_find(k, name)) != NULL) {
		free(v->data);
		v->data = c;
	} else
		value_add(k, name, c);
	return 0;
}

int
regdb_delete(struct regdb *db, const char *key, const char *name)
{
	struct regkey *k = key_lookup(db, key);
	struct regvalue *v;
	size_t i;

	if (k == NULL || (v = value_find(k, value_name(name))) == NULL)
		return 1;
	i = (size_t)(v - k->v);
	free(v->name);
	free(v->data);
	memmove(k->v + i, k->v + i + 1, (k->n - i - 1) * sizeof *k->v);
	k->n--;
	return 0;
}

char **
regdb_keys(const struct regdb *db, size_t *n)
{
	char **v;

	*n = db->n;
	if (db->n == 0)
		return NULL;
	v = xreallocarray(NULL, db->n, sizeof *v);
	for (size_t i = 0; i < db->n; i++)
		v[i] = xstrdup(db->k[i]->path);
	return v;
}

char **
regdb_values(const struct regdb *db, const char *key, size_t *n)
{
	struct regkey *k = key_lookup(db, key);
	char **v;

	*n = 0;
	if (k == NULL || k->n == 0)
		return NULL;
	v = xreallocarray(NULL, k->n, sizeof *v);
	for (size_t i = 0; i < k->n; i++)
		v[i] = xstrdup(*k->v[i].name == '\0' ? "@" : k->v[i].name);
	*n = k->n;
	return v;
}

/* Formatting. */

/* Width in UTF-16 units, as regedit counts columns. */
static size_t
columns(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xc0) != 0x80)
			n += (c & 0xf8) == 0xf0 ? 2 : 1;
	}
	return n;
}

/* Hex bytes go on lines of about 80 columns, joined by ",\" as regedit's. */
static void
format_hex(struct buf *b, size_t linestart, const char *data)
{
	const char *p = strchr(data, ':') + 1;
	size_t col, len = strlen(p);
	char *o;

	buf_add(b, data, (size_t)(p - data));
	col = columns(b->p + linestart, b->len - linestart);
	/* Any "xx," may be followed by a 4-byte line break. */
	o = reg_buf_room(b, len + (len / 3 + 1) * 4);
	while (*p != '\0') {
		*o++ = p[0];
		*o++ = p[1];
		if (p[2] == '\0')
			break;
		*o++ = ',';
		p += 3;
		col += 3;
		if (col >= WRAP_COLUMN) {
			memcpy(o, "\\\n  ", 4);
			o += 4;
			col = 2;
		}
	}
	reg_buf_done(b, o);
}

static void
format_value(struct buf *b, const struct regvalue *v)
{
	size_t start = b->len;

	if (*v->name == '\0')
		buf_addc(b, '@');
	else {
		buf_addc(b, '"');
		reg_escape_into(b, v->name);
		buf_addc(b, '"');
	}
	buf_addc(b, '=');
	if (reg_prefix_ci(v->data, "hex"))
		format_hex(b, start, v->data);
	else
		buf_adds(b, v->data);
	buf_addc(b, '\n');
}

char *
regdb_format_utf8(const struct regdb *db)
{
	struct buf b = { 0 };

	buf_adds(&b, HEADER5 "\n\n");
	for (size_t i = 0; i < db->n; i++) {
		const struct regkey *k = db->k[i];

		buf_addc(&b, '[');
		buf_adds(&b, k->path);
		buf_adds(&b, "]\n");
		for (size_t j = 0; j < k->n; j++)
			format_value(&b, &k->v[j]);
		buf_addc(&b, '\n');
	}
	return buf_steal(&b);
}

unsigned char *
regdb_format(const struct regdb *db, size_t *len)
{
	char *text = regdb_format_utf8(db);
	const unsigned char *p = (unsigned char *)text;
	size_t left = strlen(text), n;
	struct buf b = { 0 };
	char *o;
	uint32_t c;

	/* A byte of UTF-8 is at most 4 bytes out, for "\n" to CR LF. */
	o = reg_buf_room(&b, 2 + 4 * left);
	*o++ = '\xff';
	*o++ = '\xfe';
	for (; left > 0; p += n, left -= n) {
		if (*p < 0x80 && *p != '\n') {
			*o++ = (char)*p;
			*o++ = '\0';
			n = 1;
			continue;
		}
		/* Everything stored was checked to be UTF-8 on the way in. */
		if ((n = u8_decode(p, left, &c)) == 0) {
			n = 1;
			c = 0xfffd;
		}
		if (c == '\n')
			o += u16le_encode(o, '\r');
		o += u16le_encode(o, c);
	}
	reg_buf_done(&b, o);
	free(text);
	*len = b.len;
	return (unsigned char *)buf_steal(&b);
}

/* Parsing. */

struct parser {
	const char *name;
	char *err;
	size_t errlen;
	char *next;		/* the unread rest of the text */
	unsigned long line;	/* number of the line last read */
	struct regdb *db;
	struct regkey *key;	/* the key the values go to */
	/* Where each line of a continued value starts within it. */
	struct seg {
		size_t off;
		unsigned long line;
	} *segs;
	size_t nsegs, capsegs;
};

static int perr(struct parser *, unsigned long, const char *, ...)
    PRINTFLIKE(3, 4);

static int
perr(struct parser *p, unsigned long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	reg_seterr(p->err, p->errlen, "%s:%lu: %s", p->name, line, msg);
	return -1;
}

/* The text, as UTF-8 without NULs, from UTF-16LE with its BOM. */
static char *
decode_utf16(struct parser *p, const unsigned char *data, size_t len)
{
	struct buf b = { 0 };
	unsigned long line = 1;
	size_t i = 2;
	uint32_t c;
	char *o = reg_buf_room(&b, len / 2 * 3);

	while (i < len) {
		if (len - i >= 2 && data[i + 1] == 0 && data[i] != 0 &&
		    data[i] < 0x80) {
			line += data[i] == '\n';
			*o++ = (char)data[i];
			i += 2;
			continue;
		}
		switch (u16le_next(data, len, &i, &c)) {
		case UTF16_ODD:
			perr(p, line, "UTF-16 text has an odd number of bytes "
			    "(truncated file?); expected whole 2-byte code "
			    "units");
			goto fail;
		case UTF16_SURROGATE:
			perr(p, line, "unpaired UTF-16 surrogate at byte %zu; "
			    "expected valid UTF-16LE text", i);
			goto fail;
		case UTF16_OK:
			break;
		}
		if (c == 0) {
			perr(p, line, "NUL character; expected text");
			goto fail;
		}
		o += u8_encode(o, c);
	}
	reg_buf_done(&b, o);
	return buf_steal(&b);
fail:
	buf_free(&b);
	return NULL;
}

static char *
decode_utf8(struct parser *p, const unsigned char *data, size_t len)
{
	unsigned long line = 1;
	size_t i = 0, n;
	uint32_t c;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (; i < len; i += n) {
		if (data[i] == '\0')
			return perr(p, line, "NUL byte; expected UTF-8 text, "
			    "or UTF-16LE text that starts with a byte order "
			    "mark"), NULL;
		if ((n = u8_decode(data + i, len - i, &c)) == 0)
			return perr(p, line, "invalid UTF-8 byte 0x%02x; "
			    "expected UTF-8 or UTF-16LE text", data[i]), NULL;
		line += c == '\n';
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		return xstrndup((const char *)data + 3, len - 3);
	return xstrndup((const char *)data, len);
}

static char *
decode(struct parser *p, const unsigned char *data, size_t len)
{
	if (len >= 2 && data[0] == 0xff && data[1] == 0xfe)
		return decode_utf16(p, data, len);
	if (len >= 2 && data[0] == 0xfe && data[1] == 0xff)
		return perr(p, 1, "UTF-16 big-endian text; expected UTF-16LE "
		    "or UTF-8"), NULL;
	return decode_utf8(p, data, len);
}

/*
 * The next line with its end and surrounding blanks cut off, or NULL at the
 * end of the text. Control characters are refused here, once for all.
 */
static int
next_line(struct parser *p, char **linep)
{
	char *s = p->next, *nl, *e;

	*linep = NULL;
	/* Text after the last newline is a line only when it is not empty. */
	if (s == NULL || *s == '\0')
		return 0;
	p->line++;
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		p->next = nl + 1;
	} else
		p->next = NULL;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\r' || reg_blank((unsigned char)e[-1])))
		e--;
	*e = '\0';
	s = (char *)reg_skip_blanks(s);
	for (e = s; *e != '\0'; e++) {
		if (((unsigned char)*e < 0x20 && *e != '\t') || *e == 0x7f)
			return perr(p, p->line, "control character 0x%02x; "
			    "expected printable text (hex(1): holds strings "
			    "with line breaks)", (unsigned char)*e);
	}
	*linep = s;
	return 0;
}

static int
parse_header(struct parser *p)
{
	char *line;

	if (next_line(p, &line) == -1)
		return -1;
	if (p->line == 0)
		p->line = 1;
	if (line == NULL || (strcmp(line, HEADER5) != 0 &&
	    strcmp(line, HEADER4) != 0))
		return perr(p, p->line, "missing header; expected \"" HEADER5
		    "\" (or \"" HEADER4 "\") on the first line");
	return 0;
}

static int
parse_key(struct parser *p, char *line)
{
	size_t len = strlen(line);
	char msg[512], *path;

	if (line[1] == '-')
		return perr(p, p->line, "key deletion [-...] is not allowed in "
		    "a state file; expected [KEY]");
	if (line[len - 1] != ']')
		return perr(p, p->line, "unterminated key header; expected "
		    "']' at the end of the line");
	line[len - 1] = '\0';
	if ((path = key_normalize(line + 1, msg, sizeof msg)) == NULL)
		return perr(p, p->line, "%s", msg);
	p->key = key_add(p->db, path);
	free(path);
	return 0;
}

static void
seg_add(struct parser *p, size_t off)
{
	if (p->nsegs == p->capsegs) {
		p->capsegs = p->capsegs ? p->capsegs * 2 : 8;
		p->segs = xreallocarray(p->segs, p->capsegs, sizeof *p->segs);
	}
	p->segs[p->nsegs].off = off;
	p->segs[p->nsegs++].line = p->line;
}

/*
 * Hex data may go on over lines ending in '\'; gather it into one line and
 * remember where each piece came from for error messages.
 */
static int
gather_hex(struct parser *p, const char *first, struct buf *data)
{
	unsigned long start = p->line;
	char *line;

	p->nsegs = 0;
	seg_add(p, 0);
	buf_adds(data, first);
	while (data->len > 0 && data->p[data->len - 1] == '\\') {
		data->p[--data->len] = '\0';
		if (next_line(p, &line) == -1)
			return -1;
		if (line == NULL)
			return perr(p, p->line, "hex data of the value on line "
			    "%lu goes on past the end of the file; expected "
			    "another line of bytes after ',\\'", start);
		seg_add(p, data->len);
		buf_adds(data, line);
	}
	return 0;
}

static unsigned long
seg_line(const struct parser *p, size_t off)
{
	size_t i = p->nsegs;

	while (i > 1 && p->segs[i - 1].off > off)
		i--;
	return p->segs[i - 1].line;
}

static int
parse_data(struct parser *p, const char *name, const char *s)
{
	struct buf data = { 0 };
	const char *errp;
	char msg[512], *c;

	if (reg_prefix_ci(s, "hex")) {
		if (gather_hex(p, s, &data) == -1) {
			buf_free(&data);
			return -1;
		}
	} else {
		p->nsegs = 0;
		buf_adds(&data, s);
	}
	if ((c = reg_canon(data.p, &errp, msg, sizeof msg)) == NULL) {
		perr(p, p->nsegs ? seg_line(p, (size_t)(errp - data.p)) :
		    p->line, "%s", msg);
		buf_free(&data);
		return -1;
	}
	buf_free(&data);
	value_add(p->key, name, c);
	return 0;
}

static int
parse_value(struct parser *p, char *line)
{
	struct buf name = { 0 };
	const char *s = line, *errp;
	char msg[512], tmp[SNIP_MAX + 8];
	int rc = -1;

	if (p->key == NULL)
		return perr(p, p->line, "value outside a key; expected a [KEY] "
		    "header before the first value");
	if (*s == '@')
		s++;
	else if (reg_read_quoted(s, &name, &s, &errp, msg, sizeof msg) == -1) {
		perr(p, p->line, "%s", msg);
		goto out;
	}
	s = reg_skip_blanks(s);
	if (*s != '=') {
		perr(p, p->line, "missing '=' after the value name, at "
		    "\"%s\"; expected \"name\"=data", reg_snip(s, tmp, sizeof tmp));
		goto out;
	}
	s = reg_skip_blanks(s + 1);
	if (value_find(p->key, value_name(name.p)) != NULL) {
		perr(p, p->line, "value \"%s\" appears twice in [%s]; expected "
		    "each value once", name.p != NULL ? name.p : "@",
		    reg_snip(p->key->path, tmp, sizeof tmp));
		goto out;
	}
	rc = parse_data(p, value_name(name.p), s);
out:
	buf_free(&name);
	return rc;
}

static int
parse_line(struct parser *p, char *line)
{
	char tmp[SNIP_MAX + 8];

	switch (*line) {
	case '\0':
	case ';':
		return 0;
	case '[':
		return parse_key(p, line);
	case '"':
	case '@':
		return parse_value(p, line);
	}
	return perr(p, p->line, "unexpected \"%s\"; expected [KEY], "
	    "\"name\"=data, @=data or a ; comment", reg_snip(line, tmp,
	    sizeof tmp));
}

static int
parse_text(struct parser *p)
{
	char *line;

	if (parse_header(p) == -1)
		return -1;
	for (;;) {
		if (next_line(p, &line) == -1)
			return -1;
		if (line == NULL)
			return 0;
		if (parse_line(p, line) == -1)
			return -1;
	}
}

int
regdb_parse(struct regdb *db, const char *name, const unsigned char *data,
    size_t len, char *err, size_t errlen)
{
	struct parser p = { 0 };
	struct regdb tmp = { 0 };
	char *text;
	int rc = -1;

	p.name = name != NULL ? name : "<input>";
	p.err = err;
	p.errlen = errlen;
	p.db = &tmp;
	if (data == NULL)
		len = 0;
	if ((text = decode(&p, len ? data : (const unsigned char *)"",
	    len)) == NULL)
		return -1;
	p.next = text;
	if (parse_text(&p) == 0) {
		regdb_clear(db);
		*db = tmp;
		memset(&tmp, 0, sizeof tmp);
		rc = 0;
	}
	regdb_clear(&tmp);
	free(p.segs);
	free(text);
	return rc;
}
