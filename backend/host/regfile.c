/*
 * Registry state as regedit's .reg text.
 *
 * Values are kept as canonical one-line .reg data, so regdb_get can hand
 * out a pointer and formatting only has to wrap hex. Keys live in one array
 * kept in export order; a key's descendants then follow it directly, which
 * makes "is an ancestor of a header" a binary search.
 */
#include "regfile.h"
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
/* How much of the user's text an error message quotes. */
#define SNIP_MAX	40

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

/* Decoded value data, the common ground of checking, canonical form and
 * the getters. */
enum dkind {
	D_SZ,			/* "text": bytes is the UTF-8 text */
	D_DWORD,
	D_HEX			/* hex: or hex(N): bytes is the data */
};

struct dval {
	enum dkind kind;
	unsigned long type;	/* REGT_* */
	int plain;		/* spelt hex: rather than hex(N): */
	uint32_t dword;
	struct buf bytes;
};

static const char hexchars[] = "0123456789abcdef";

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

static const char *const typenames[] = {
	"REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
	"REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ",
	"REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR",
	"REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD",
};

static void seterr(char *, size_t, const char *, ...) PRINTFLIKE(3, 4);

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * Room for n more bytes at the end of b, for loops that would otherwise
 * call buf_add once a character; buf_done then counts them in.
 */
static char *
buf_room(struct buf *b, size_t n)
{
	size_t cap;

	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	return b->p + b->len;
}

static void
buf_done(struct buf *b, const char *end)
{
	b->len = (size_t)(end - b->p);
	b->p[b->len] = '\0';
}

/*
 * Windows compares names by upper-casing them, and only ASCII is folded
 * here: that decides where '_' sorts against letters.
 */
static int
upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = upper(c);
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
blank(int c)
{
	return c == ' ' || c == '\t';
}

static const char *
skip_blanks(const char *s)
{
	while (blank((unsigned char)*s))
		s++;
	return s;
}

static int
name_eq(const char *a, const char *b)
{
	for (; *a != '\0' && upper((unsigned char)*a) ==
	    upper((unsigned char)*b); a++, b++)
		;
	return upper((unsigned char)*a) == upper((unsigned char)*b);
}

static int
prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++)
		if (upper((unsigned char)*s) != upper((unsigned char)*prefix))
			return 0;
	return 1;
}

/*
 * Where s stops being text we can store: invalid UTF-8 or a control
 * character (a tab is fine). NULL when all of it is fine.
 */
static const char *
text_bad(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n;
	uint32_t c;

	while (len > 0) {
		if (*p >= 0x20 && *p < 0x7f) {
			p++;
			len--;
			continue;
		}
		if ((n = utf8_decode(p, len, &c)) == 0 ||
		    (c < 0x20 && c != '\t') || c == 0x7f)
			return (const char *)p;
		p += n;
		len -= n;
	}
	return NULL;
}

/* UTF-8 to UTF-16LE with a terminating NUL; -1 on invalid UTF-8. */
static int
utf8_to_utf16(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n;
	uint32_t c;
	char *o = buf_room(out, 2 * len + 2);

	for (; len > 0; p += n, len -= n) {
		if ((n = utf8_decode(p, len, &c)) == 0)
			return -1;
		o += utf16le_encode(o, c);
	}
	o += utf16le_encode(o, 0);
	buf_done(out, o);
	return 0;
}

/*
 * UTF-16LE string data (REG_SZ, REG_EXPAND_SZ, one REG_MULTI_SZ item) to
 * UTF-8, from *i up to and past the next NUL. -1 when it is not UTF-16.
 */
static int
utf16_string(const unsigned char *p, size_t len, size_t *i, struct buf *out)
{
	uint32_t c;
	char *o = buf_room(out, (len - *i) / 2 * 3);

	while (*i < len) {
		if (utf16le_next(p, len, i, &c) != UTF16_OK)
			return -1;
		if (c == 0)
			break;
		o += utf8_encode(o, c);
	}
	buf_done(out, o);
	return 0;
}

/* A short quote of s for error messages, cut at a character boundary. */
static const char *
snip(const char *s, char *tmp, size_t tmplen)
{
	size_t n = strlen(s), cut = 0, k;
	uint32_t c;

	if (n <= SNIP_MAX && text_bad(s) == NULL)
		return s;
	while (cut < n && cut < SNIP_MAX) {
		k = utf8_decode((const unsigned char *)s + cut, n - cut, &c);
		if (k == 0 || c < 0x20 || c == 0x7f || cut + k > SNIP_MAX)
			break;
		cut += k;
	}
	snprintf(tmp, tmplen, "%.*s...", (int)cut, s);
	return tmp;
}

static void
escape_into(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\' && *s != '"')
			continue;
		buf_add(b, run, (size_t)(s - run));
		buf_addc(b, '\\');
		run = s;
	}
	buf_adds(b, run);
}

static void
hex_into(struct buf *b, const unsigned char *p, size_t len, char sep)
{
	char *o = buf_room(b, 3 * len);

	for (size_t i = 0; i < len; i++) {
		*o++ = hexchars[p[i] >> 4];
		*o++ = hexchars[p[i] & 0xf];
		if (i + 1 < len)
			*o++ = sep;
	}
	buf_done(b, o);
}

/* Key paths. */

static int
keychar(const char *s)
{
	/* A separator sorts before any character: component-wise order. */
	if (*s == '\\')
		return 1;
	return upper((unsigned char)*s);
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
		if (upper((unsigned char)*path) != upper((unsigned char)*key))
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

	if (text_bad(key) != NULL) {
		seterr(err, errlen, "key \"%s\" is not printable UTF-8; "
		    "expected a key path", snip(key, tmp, sizeof tmp));
		return NULL;
	}
	rest = strchr(key, '\\');
	rootlen = rest != NULL ? (size_t)(rest - key) : strlen(key);
	for (i = 0; i < nitems(roots); i++) {
		if ((strlen(roots[i].name) == rootlen &&
		    prefix_ci(key, roots[i].name)) ||
		    (strlen(roots[i].abbrev) == rootlen &&
		    prefix_ci(key, roots[i].abbrev)))
			break;
	}
	if (i == nitems(roots)) {
		seterr(err, errlen, "unknown root key in \"%s\"; expected "
		    "HKEY_LOCAL_MACHINE (HKLM), HKEY_CURRENT_USER (HKCU), "
		    "HKEY_CLASSES_ROOT (HKCR), HKEY_USERS (HKU) or "
		    "HKEY_CURRENT_CONFIG (HKCC)", snip(key, tmp, sizeof tmp));
		return NULL;
	}
	if (rest != NULL && (rest[1] == '\0' || strstr(rest, "\\\\") != NULL ||
	    rest[strlen(rest) - 1] == '\\')) {
		seterr(err, errlen, "empty name in key \"%s\"; expected "
		    "ROOT\\KEY\\SUBKEY without doubled or trailing "
		    "backslashes", snip(key, tmp, sizeof tmp));
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

/*
 * Value data. Each reader takes the text after its prefix and sets *errp to
 * where the data goes wrong, so the parser can name the line.
 */

/*
 * A quoted string at s; *end goes past the closing quote. The parser uses
 * this for names too.
 */
static int
read_quoted(const char *s, struct buf *text, const char **end,
    const char **errp, char *err, size_t errlen)
{
	const char *run = ++s;

	for (;; s++) {
		/* A '\' at the very end escapes nothing: still unterminated. */
		if (*s == '\\' && s[1] == '\0')
			s++;
		if (*s == '\0') {
			*errp = s;
			seterr(err, errlen, "unterminated string; expected a "
			    "closing '\"' before the end of the line");
			return -1;
		}
		if (*s == '"')
			break;
		if (*s != '\\')
			continue;
		if (s[1] != '\\' && s[1] != '"') {
			*errp = s;
			seterr(err, errlen, "bad escape '\\%c' in string; "
			    "expected only \\\\ and \\\" (use hex(1): for "
			    "other text)", s[1]);
			return -1;
		}
		buf_add(text, run, (size_t)(s - run));
		run = ++s;
	}
	/* Even "" leaves text->p set: buf_add allocates. */
	buf_add(text, run, (size_t)(s - run));
	*end = s + 1;
	return 0;
}

static int
data_end(const char *s, const char **errp, char *err, size_t errlen)
{
	char tmp[SNIP_MAX + 8];

	s = skip_blanks(s);
	if (*s == '\0')
		return 0;
	*errp = s;
	seterr(err, errlen, "unexpected \"%s\" after the value data; expected "
	    "the end of the line", snip(s, tmp, sizeof tmp));
	return -1;
}

static int
read_sz(const char *s, struct dval *d, const char **errp, char *err,
    size_t errlen)
{
	const char *end;

	d->kind = D_SZ;
	d->type = REGT_SZ;
	if (read_quoted(s, &d->bytes, &end, errp, err, errlen) == -1)
		return -1;
	return data_end(end, errp, err, errlen);
}

static int
read_dword(const char *s, struct dval *d, const char **errp, char *err,
    size_t errlen)
{
	const char *p;
	uint32_t v = 0;

	d->kind = D_DWORD;
	d->type = REGT_DWORD;
	for (p = s; hexval((unsigned char)*p) != -1; p++)
		v = v << 4 | (uint32_t)hexval((unsigned char)*p);
	*errp = s;
	if (p - s > 8) {
		seterr(err, errlen, "dword has %zu digits; expected at most 8 "
		    "hex digits", (size_t)(p - s));
		return -1;
	}
	if (p == s && (*p == '\0' || blank((unsigned char)*p))) {
		seterr(err, errlen, "dword has no digits; expected 1 to 8 hex "
		    "digits such as dword:0000fffe");
		return -1;
	}
	if (*p != '\0' && !blank((unsigned char)*p)) {
		*errp = p;
		seterr(err, errlen, "bad dword digit '%c'; expected 1 to 8 hex "
		    "digits such as dword:0000fffe", *p);
		return -1;
	}
	d->dword = v;
	return data_end(p, errp, err, errlen);
}

/* The N of hex(N):, in hex as regedit writes it. */
static int
read_hextype(const char **sp, struct dval *d, const char **errp, char *err,
    size_t errlen)
{
	const char *s = *sp, *p;
	char tmp[SNIP_MAX + 8];
	unsigned long t = 0;

	for (p = s; hexval((unsigned char)*p) != -1; p++)
		t = t << 4 | (unsigned long)hexval((unsigned char)*p);
	if (p == s || p - s > 8 || *p != ')') {
		*errp = s;
		seterr(err, errlen, "bad value type in \"hex(%s\"; expected "
		    "hex(N): with N in hex, such as hex(2): or hex(7):",
		    snip(s, tmp, sizeof tmp));
		return -1;
	}
	d->type = t;
	*sp = p + 1;
	return 0;
}

static int
read_bytes(const char *s, struct dval *d, const char **errp, char *err,
    size_t errlen)
{
	int hi, lo;
	unsigned char byte;

	s = skip_blanks(s);
	if (*s == '\0')
		return 0;
	for (;;) {
		s = skip_blanks(s);
		if ((hi = hexval((unsigned char)*s)) == -1) {
			*errp = s;
			if (*s == '\0')
				seterr(err, errlen, "hex data ends with ','; "
				    "expected another byte after it");
			else
				seterr(err, errlen, "bad hex digit '%c'; "
				    "expected bytes of two hex digits "
				    "separated by commas", *s);
			return -1;
		}
		byte = (unsigned char)hi;
		if ((lo = hexval((unsigned char)*++s)) != -1) {
			byte = (unsigned char)(hi << 4 | lo);
			s++;
		}
		*buf_room(&d->bytes, 1) = (char)byte;
		buf_done(&d->bytes, d->bytes.p + d->bytes.len + 1);
		s = skip_blanks(s);
		if (*s == '\0')
			return 0;
		if (*s++ != ',') {
			*errp = s - 1;
			if (hexval((unsigned char)s[-1]) != -1)
				seterr(err, errlen, "hex byte of more than "
				    "two digits; expected bytes of two hex "
				    "digits separated by commas");
			else
				seterr(err, errlen, "bad hex digit '%c'; "
				    "expected bytes of two hex digits "
				    "separated by commas", s[-1]);
			return -1;
		}
	}
}

static int
read_hex(const char *s, struct dval *d, const char **errp, char *err,
    size_t errlen)
{
	d->kind = D_HEX;
	d->type = REGT_BINARY;
	d->plain = 1;
	if (*s == '(') {
		s++;
		d->plain = 0;
		if (read_hextype(&s, d, errp, err, errlen) == -1)
			return -1;
	}
	if (*s != ':') {
		*errp = s;
		seterr(err, errlen, "missing ':' after hex%s; expected "
		    "hex:bytes or hex(N):bytes", d->plain ? "" : "(N)");
		return -1;
	}
	return read_bytes(s + 1, d, errp, err, errlen);
}

static const struct {
	const char *prefix;
	int (*read)(const char *, struct dval *, const char **, char *,
	    size_t);
	int keep;		/* the reader wants the prefix too */
} readers[] = {
	{ "\"", read_sz, 1 },
	{ "dword:", read_dword, 0 },
	{ "hex", read_hex, 0 },
};

/* Decode one-line data. d->bytes must be freed even on error. */
static int
dval_read(const char *s, struct dval *d, const char **errp, char *err,
    size_t errlen)
{
	const char *bad;
	char tmp[SNIP_MAX + 8];
	size_t i;

	memset(d, 0, sizeof *d);
	*errp = s;
	if ((bad = text_bad(s)) != NULL) {
		*errp = bad;
		seterr(err, errlen, "control character or invalid UTF-8 in "
		    "value data; expected printable text");
		return -1;
	}
	if (*s == '-' && *skip_blanks(s + 1) == '\0') {
		seterr(err, errlen, "value deletion (=-) is not allowed in a "
		    "state file; expected value data");
		return -1;
	}
	for (i = 0; i < nitems(readers); i++) {
		if (prefix_ci(s, readers[i].prefix))
			return readers[i].read(s + (readers[i].keep ? 0 :
			    strlen(readers[i].prefix)), d, errp, err, errlen);
	}
	seterr(err, errlen, "unknown value data \"%s\"; expected \"text\", "
	    "dword:, hex: or hex(N):", snip(s, tmp, sizeof tmp));
	return -1;
}

static void
dword_into(struct buf *b, uint32_t v)
{
	char *o = buf_room(b, 14);

	memcpy(o, "dword:", 6);
	for (int i = 0; i < 8; i++)
		o[6 + i] = hexchars[v >> (28 - 4 * i) & 0xf];
	buf_done(b, o + 14);
}

static void
dval_write(const struct dval *d, struct buf *out)
{
	switch (d->kind) {
	case D_SZ:
		buf_addc(out, '"');
		escape_into(out, d->bytes.p != NULL ? d->bytes.p : "");
		buf_addc(out, '"');
		break;
	case D_DWORD:
		dword_into(out, d->dword);
		break;
	case D_HEX:
		if (d->plain)
			buf_adds(out, "hex:");
		else
			buf_addf(out, "hex(%lx):", d->type);
		hex_into(out, (const unsigned char *)d->bytes.p, d->bytes.len,
		    ',');
		break;
	}
}

static char *
canon(const char *s, const char **errp, char *err, size_t errlen)
{
	struct dval d;
	struct buf out = { 0 };

	if (dval_read(s, &d, errp, err, errlen) == -1) {
		buf_free(&d.bytes);
		return NULL;
	}
	dval_write(&d, &out);
	buf_free(&d.bytes);
	return buf_steal(&out);
}

/* The data decoded, or -1 when it is not valid. */
static int
dval_get(const char *data, struct dval *d)
{
	const char *errp;

	memset(d, 0, sizeof *d);
	if (data != NULL && dval_read(data, d, &errp, NULL, 0) == 0)
		return 0;
	buf_free(&d->bytes);
	return -1;
}

/* Public value helpers. */

static char *
hex_value(const char *prefix, const unsigned char *p, size_t len)
{
	struct buf b = { 0 };

	buf_adds(&b, prefix);
	hex_into(&b, p, len, ',');
	return buf_steal(&b);
}

static char *
utf16_value(const char *prefix, const char *utf8)
{
	struct buf u = { 0 };
	char *r = NULL;

	if (utf8 != NULL && utf8_to_utf16(utf8, &u) == 0)
		r = hex_value(prefix, (unsigned char *)u.p, u.len);
	buf_free(&u);
	return r;
}

char *
regval_sz(const char *utf8)
{
	struct buf b = { 0 };

	if (utf8 == NULL || !utf8_valid(utf8))
		return NULL;
	/* A quoted string can't hold a line break; hex(1) can. */
	if (text_bad(utf8) != NULL)
		return utf16_value("hex(1):", utf8);
	buf_addc(&b, '"');
	escape_into(&b, utf8);
	buf_addc(&b, '"');
	return buf_steal(&b);
}

char *
regval_expand_sz(const char *utf8)
{
	return utf16_value("hex(2):", utf8);
}

char *
regval_multi_sz(const char *const *v, size_t n)
{
	struct buf u = { 0 };
	char *r = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] == NULL || *v[i] == '\0' ||
		    utf8_to_utf16(v[i], &u) == -1)
			break;
	}
	if (i == n) {
		buf_add(&u, "\0\0", 2);
		r = hex_value("hex(7):", (unsigned char *)u.p, u.len);
	}
	buf_free(&u);
	return r;
}

char *
regval_dword(unsigned long v)
{
	return xasprintf("dword:%08lx", v & 0xffffffffUL);
}

char *
regval_qword(unsigned long long v)
{
	unsigned char b[8];

	for (size_t i = 0; i < sizeof b; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return hex_value("hex(b):", b, sizeof b);
}

char *
regval_binary(const unsigned char *p, size_t len)
{
	return hex_value("hex:", p, len);
}

char *
regval_canon(const char *data, char *err, size_t errlen)
{
	const char *errp;

	if (data == NULL) {
		seterr(err, errlen, "no value data; expected \"text\", dword:, "
		    "hex: or hex(N):");
		return NULL;
	}
	return canon(data, &errp, err, errlen);
}

int
regval_check(const char *data, char *err, size_t errlen)
{
	char *c = regval_canon(data, err, errlen);

	free(c);
	return c != NULL ? 0 : -1;
}

long
regval_type(const char *data)
{
	struct dval d;

	if (dval_get(data, &d) == -1)
		return -1;
	buf_free(&d.bytes);
	return (long)d.type;
}

int
regval_get_dword(const char *data, unsigned long *out)
{
	struct dval d;

	if (dval_get(data, &d) == -1)
		return -1;
	buf_free(&d.bytes);
	if (d.kind != D_DWORD)
		return -1;
	*out = d.dword;
	return 0;
}

int
regval_get_qword(const char *data, unsigned long long *out)
{
	struct dval d;
	unsigned long long v = 0;
	int rc = -1;

	if (dval_get(data, &d) == -1)
		return -1;
	if (d.kind == D_HEX && d.type == REGT_QWORD && d.bytes.len == 8) {
		for (size_t i = 8; i-- > 0;)
			v = v << 8 | (unsigned char)d.bytes.p[i];
		*out = v;
		rc = 0;
	}
	buf_free(&d.bytes);
	return rc;
}

char *
regval_get_sz(const char *data)
{
	struct dval d;
	struct buf out = { 0 };
	size_t i = 0;
	char *r = NULL;

	if (dval_get(data, &d) == -1)
		return NULL;
	if (d.kind == D_SZ)
		r = buf_steal(&d.bytes);
	else if (d.kind == D_HEX && (d.type == REGT_SZ ||
	    d.type == REGT_EXPAND_SZ) &&
	    utf16_string((unsigned char *)d.bytes.p, d.bytes.len, &i,
	    &out) == 0)
		r = buf_steal(&out);
	buf_free(&out);
	buf_free(&d.bytes);
	return r;
}

char **
regval_get_multi_sz(const char *data, size_t *n)
{
	struct dval d;
	struct buf s = { 0 };
	char **v;
	size_t i = 0;

	*n = 0;
	if (dval_get(data, &d) == -1)
		return NULL;
	v = xcalloc(1, sizeof *v);
	if (d.kind != D_HEX || d.type != REGT_MULTI_SZ)
		goto fail;
	while (i < d.bytes.len) {
		if (utf16_string((unsigned char *)d.bytes.p, d.bytes.len, &i,
		    &s) == -1)
			goto fail;
		/* An empty string ends the list, as Windows reads it. */
		if (s.len == 0)
			break;
		v = xreallocarray(v, *n + 2, sizeof *v);
		v[(*n)++] = buf_steal(&s);
	}
	buf_free(&s);
	buf_free(&d.bytes);
	return v;
fail:
	buf_free(&s);
	buf_free(&d.bytes);
	str_list_free(v, *n);
	*n = 0;
	return NULL;
}

unsigned char *
regval_get_binary(const char *data, size_t *len)
{
	struct dval d;
	unsigned char *p;

	*len = 0;
	if (dval_get(data, &d) == -1)
		return NULL;
	if (d.kind != D_HEX) {
		buf_free(&d.bytes);
		return NULL;
	}
	*len = d.bytes.len;
	p = (unsigned char *)buf_steal(&d.bytes);
	return p;
}

/*
 * Text for one display line: control characters as \xNN; quoted, with
 * quotes and backslashes escaped, when quote is set.
 */
static void
show_text(struct buf *b, const char *s, int quote)
{
	if (quote)
		buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (quote && (*s == '"' || *s == '\\'))
			buf_addc(b, '\\');
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_addf(b, "\\x%02x", (unsigned char)*s);
		else
			buf_addc(b, *s);
	}
	if (quote)
		buf_addc(b, '"');
}

static void
human_hex(struct buf *b, const struct dval *d)
{
	enum { SHOWN = 32 };
	size_t n = d->bytes.len < SHOWN ? d->bytes.len : SHOWN;

	if (d->bytes.len == 0) {
		buf_adds(b, " (empty)");
		return;
	}
	buf_addc(b, ' ');
	hex_into(b, (const unsigned char *)d->bytes.p, n, ' ');
	if (n < d->bytes.len)
		buf_addf(b, " ... (%zu bytes)", d->bytes.len);
}

static void
human_typed(struct buf *b, const char *data, const struct dval *d)
{
	unsigned long long q;
	char *s, **v;
	size_t n, i;

	if ((d->type == REGT_SZ || d->type == REGT_EXPAND_SZ) &&
	    (s = regval_get_sz(data)) != NULL) {
		buf_addc(b, ' ');
		show_text(b, s, 1);
		free(s);
	} else if (d->type == REGT_MULTI_SZ &&
	    (v = regval_get_multi_sz(data, &n)) != NULL) {
		for (i = 0; i < n; i++) {
			buf_adds(b, i ? " | " : " ");
			show_text(b, v[i], 0);
		}
		if (n == 0)
			buf_adds(b, " (empty)");
		str_list_free(v, n);
	} else if (regval_get_qword(data, &q) == 0)
		buf_addf(b, " %llu (0x%016llx)", q, q);
	else
		human_hex(b, d);
}

char *
regval_human(const char *data)
{
	struct dval d;
	struct buf b = { 0 };

	if (dval_get(data, &d) == -1)
		return NULL;
	if (d.kind == D_SZ) {
		buf_adds(&b, "REG_SZ ");
		dval_write(&d, &b);
	} else if (d.kind == D_DWORD)
		buf_addf(&b, "REG_DWORD %lu (0x%08lx)", (unsigned long)d.dword,
		    (unsigned long)d.dword);
	else {
		if (d.type < nitems(typenames))
			buf_adds(&b, typenames[d.type]);
		else
			buf_addf(&b, "REG_TYPE_0x%lx", d.type);
		human_typed(&b, data, &d);
	}
	buf_free(&d.bytes);
	return buf_steal(&b);
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
	if (text_bad(name) != NULL) {
		seterr(err, errlen, "value name \"%s\" is not printable UTF-8; "
		    "expected a name without control characters",
		    snip(name, tmp, sizeof tmp));
		return -1;
	}
	if ((path = key_normalize(key, err, errlen)) == NULL)
		return -1;
	if (!regdb_key_exists(db, path)) {
		seterr(err, errlen, "no key \"%s\"; expected an existing key",
		    snip(path, tmp, sizeof tmp));
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
	o = buf_room(b, len + (len / 3 + 1) * 4);
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
	buf_done(b, o);
}

static void
format_value(struct buf *b, const struct regvalue *v)
{
	size_t start = b->len;

	if (*v->name == '\0')
		buf_addc(b, '@');
	else {
		buf_addc(b, '"');
		escape_into(b, v->name);
		buf_addc(b, '"');
	}
	buf_addc(b, '=');
	if (prefix_ci(v->data, "hex"))
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
	o = buf_room(&b, 2 + 4 * left);
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
		if ((n = utf8_decode(p, left, &c)) == 0) {
			n = 1;
			c = 0xfffd;
		}
		if (c == '\n')
			o += utf16le_encode(o, '\r');
		o += utf16le_encode(o, c);
	}
	buf_done(&b, o);
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
	seterr(p->err, p->errlen, "%s:%lu: %s", p->name, line, msg);
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
	char *o = buf_room(&b, len / 2 * 3);

	while (i < len) {
		if (len - i >= 2 && data[i + 1] == 0 && data[i] != 0 &&
		    data[i] < 0x80) {
			line += data[i] == '\n';
			*o++ = (char)data[i];
			i += 2;
			continue;
		}
		switch (utf16le_next(data, len, &i, &c)) {
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
		o += utf8_encode(o, c);
	}
	buf_done(&b, o);
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
		if ((n = utf8_decode(data + i, len - i, &c)) == 0)
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
	while (e > s && (e[-1] == '\r' || blank((unsigned char)e[-1])))
		e--;
	*e = '\0';
	s = (char *)skip_blanks(s);
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

	if (prefix_ci(s, "hex")) {
		if (gather_hex(p, s, &data) == -1) {
			buf_free(&data);
			return -1;
		}
	} else {
		p->nsegs = 0;
		buf_adds(&data, s);
	}
	if ((c = canon(data.p, &errp, msg, sizeof msg)) == NULL) {
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
	else if (read_quoted(s, &name, &s, &errp, msg, sizeof msg) == -1) {
		perr(p, p->line, "%s", msg);
		goto out;
	}
	s = skip_blanks(s);
	if (*s != '=') {
		perr(p, p->line, "missing '=' after the value name, at "
		    "\"%s\"; expected \"name\"=data", snip(s, tmp, sizeof tmp));
		goto out;
	}
	s = skip_blanks(s + 1);
	if (value_find(p->key, value_name(name.p)) != NULL) {
		perr(p, p->line, "value \"%s\" appears twice in [%s]; expected "
		    "each value once", name.p != NULL ? name.p : "@",
		    snip(p->key->path, tmp, sizeof tmp));
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
	    "\"name\"=data, @=data or a ; comment", snip(line, tmp,
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
