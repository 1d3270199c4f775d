/*
 * Registry value data in .reg syntax (regfile.h): reading, the canonical
 * form, building and reading values of each type, the human form; and the
 * text helpers the key and file code in regfile.c shares (regint.h).
 */
#include "regfile.h"
#include "regint.h"
#include "utf.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char *const typenames[] = {
	"REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
	"REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ",
	"REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR",
	"REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD",
};


void
reg_seterr(char *err, size_t errlen, const char *fmt, ...)
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
char *
reg_buf_room(struct buf *b, size_t n)
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

void
reg_buf_done(struct buf *b, const char *end)
{
	b->len = (size_t)(end - b->p);
	b->p[b->len] = '\0';
}

/*
 * Windows compares names by upper-casing them, and only ASCII is folded
 * here: that decides where '_' sorts against letters.
 */
int
reg_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = reg_upper(c);
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
reg_blank(int c)
{
	return c == ' ' || c == '\t';
}

const char *
reg_skip_blanks(const char *s)
{
	while (reg_blank((unsigned char)*s))
		s++;
	return s;
}

int
reg_prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++)
		if (reg_upper((unsigned char)*s) != reg_upper((unsigned char)*prefix))
			return 0;
	return 1;
}

/*
 * Where s stops being text we can store: invalid UTF-8 or a control
 * character (a tab is fine). NULL when all of it is fine.
 */
const char *
reg_text_bad(const char *s)
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
		if ((n = u8_decode(p, len, &c)) == 0 ||
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
	char *o = reg_buf_room(out, 2 * len + 2);

	for (; len > 0; p += n, len -= n) {
		if ((n = u8_decode(p, len, &c)) == 0)
			return -1;
		o += u16le_encode(o, c);
	}
	o += u16le_encode(o, 0);
	reg_buf_done(out, o);
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
	char *o = reg_buf_room(out, (len - *i) / 2 * 3);

	while (*i < len) {
		if (u16le_next(p, len, i, &c) != UTF16_OK)
			return -1;
		if (c == 0)
			break;
		o += u8_encode(o, c);
	}
	reg_buf_done(out, o);
	return 0;
}

/* A short quote of s for error messages, cut at a character boundary. */
const char *
reg_snip(const char *s, char *tmp, size_t tmplen)
{
	size_t n = strlen(s), cut = 0, k;
	uint32_t c;

	if (n <= SNIP_MAX && reg_text_bad(s) == NULL)
		return s;
	while (cut < n && cut < SNIP_MAX) {
		k = u8_decode((const unsigned char *)s + cut, n - cut, &c);
		if (k == 0 || c < 0x20 || c == 0x7f || cut + k > SNIP_MAX)
			break;
		cut += k;
	}
	snprintf(tmp, tmplen, "%.*s...", (int)cut, s);
	return tmp;
}

void
reg_escape_into(struct buf *b, const char *s)
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
	char *o = reg_buf_room(b, 3 * len);

	for (size_t i = 0; i < len; i++) {
		*o++ = hexchars[p[i] >> 4];
		*o++ = hexchars[p[i] & 0xf];
		if (i + 1 < len)
			*o++ = sep;
	}
	reg_buf_done(b, o);
}

/*
 * Value data. Each reader takes the text after its prefix and sets *errp to
 * where the data goes wrong, so the parser can name the line.
 */

/*
 * A quoted string at s; *end goes past the closing quote. The parser uses
 * this for names too.
 */
int
reg_read_quoted(const char *s, struct buf *text, const char **end,
    const char **errp, char *err, size_t errlen)
{
	const char *run = ++s;

	for (;; s++) {
		/* A '\' at the very end escapes nothing: still unterminated. */
		if (*s == '\\' && s[1] == '\0')
			s++;
		if (*s == '\0') {
			*errp = s;
			reg_seterr(err, errlen, "unterminated string; expected a "
			    "closing '\"' before the end of the line");
			return -1;
		}
		if (*s == '"')
			break;
		if (*s != '\\')
			continue;
		if (s[1] != '\\' && s[1] != '"') {
			*errp = s;
			reg_seterr(err, errlen, "bad escape '\\%c' in string; "
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

	s = reg_skip_blanks(s);
	if (*s == '\0')
		return 0;
	*errp = s;
	reg_seterr(err, errlen, "unexpected \"%s\" after the value data; expected "
	    "the end of the line", reg_snip(s, tmp, sizeof tmp));
	return -1;
}

static int
read_sz(const char *s, struct dval *d, const char **errp, char *err,
    size_t errlen)
{
	const char *end;

	d->kind = D_SZ;
	d->type = REGT_SZ;
	if (reg_read_quoted(s, &d->bytes, &end, errp, err, errlen) == -1)
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
		reg_seterr(err, errlen, "dword has %zu digits; expected at most 8 "
		    "hex digits", (size_t)(p - s));
		return -1;
	}
	if (p == s && (*p == '\0' || reg_blank((unsigned char)*p))) {
		reg_seterr(err, errlen, "dword has no digits; expected 1 to 8 hex "
		    "digits such as dword:0000fffe");
		return -1;
	}
	if (*p != '\0' && !reg_blank((unsigned char)*p)) {
		*errp = p;
		reg_seterr(err, errlen, "bad dword digit '%c'; expected 1 to 8 hex "
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
		reg_seterr(err, errlen, "bad value type in \"hex(%s\"; expected "
		    "hex(N): with N in hex, such as hex(2): or hex(7):",
		    reg_snip(s, tmp, sizeof tmp));
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

	s = reg_skip_blanks(s);
	if (*s == '\0')
		return 0;
	for (;;) {
		s = reg_skip_blanks(s);
		if ((hi = hexval((unsigned char)*s)) == -1) {
			*errp = s;
			if (*s == '\0')
				reg_seterr(err, errlen, "hex data ends with ','; "
				    "expected another byte after it");
			else
				reg_seterr(err, errlen, "bad hex digit '%c'; "
				    "expected bytes of two hex digits "
				    "separated by commas", *s);
			return -1;
		}
		byte = (unsigned char)hi;
		if ((lo = hexval((unsigned char)*++s)) != -1) {
			byte = (unsigned char)(hi << 4 | lo);
			s++;
		}
		*reg_buf_room(&d->bytes, 1) = (char)byte;
		reg_buf_done(&d->bytes, d->bytes.p + d->bytes.len + 1);
		s = reg_skip_blanks(s);
		if (*s == '\0')
			return 0;
		if (*s++ != ',') {
			*errp = s - 1;
			if (hexval((unsigned char)s[-1]) != -1)
				reg_seterr(err, errlen, "hex byte of more than "
				    "two digits; expected bytes of two hex "
				    "digits separated by commas");
			else
				reg_seterr(err, errlen, "bad hex digit '%c'; "
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
		reg_seterr(err, errlen, "missing ':' after hex%s; expected "
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
	if ((bad = reg_text_bad(s)) != NULL) {
		*errp = bad;
		reg_seterr(err, errlen, "control character or invalid UTF-8 in "
		    "value data; expected printable text");
		return -1;
	}
	if (*s == '-' && *reg_skip_blanks(s + 1) == '\0') {
		reg_seterr(err, errlen, "value deletion (=-) is not allowed in a "
		    "state file; expected value data");
		return -1;
	}
	for (i = 0; i < nitems(readers); i++) {
		if (reg_prefix_ci(s, readers[i].prefix))
			return readers[i].read(s + (readers[i].keep ? 0 :
			    strlen(readers[i].prefix)), d, errp, err, errlen);
	}
	reg_seterr(err, errlen, "unknown value data \"%s\"; expected \"text\", "
	    "dword:, hex: or hex(N):", reg_snip(s, tmp, sizeof tmp));
	return -1;
}

static void
dword_into(struct buf *b, uint32_t v)
{
	char *o = reg_buf_room(b, 14);

	memcpy(o, "dword:", 6);
	for (int i = 0; i < 8; i++)
		o[6 + i] = hexchars[v >> (28 - 4 * i) & 0xf];
	reg_buf_done(b, o + 14);
}

static void
dval_write(const struct dval *d, struct buf *out)
{
	switch (d->kind) {
	case D_SZ:
		buf_addc(out, '"');
		reg_escape_into(out, d->bytes.p != NULL ? d->bytes.p : "");
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

char *
reg_canon(const char *s, const char **errp, char *err, size_t errlen)
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

	if (utf8 == NULL || !u8_valid(utf8))
		return NULL;
	/* A quoted string can't hold a line break; hex(1) can. */
	if (reg_text_bad(utf8) != NULL)
		return utf16_value("hex(1):", utf8);
	buf_addc(&b, '"');
	reg_escape_into(&b, utf8);
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
		reg_seterr(err, errlen, "no value data; expected \"text\", dword:, "
		    "hex: or hex(N):");
		return NULL;
	}
	return reg_canon(data, &errp, err, errlen);
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
