/*
 * Registry state as regedit's .reg text: writing it and reading it, each in
 * one pass over the text (the database is regdb.c's).
 *
 * Values are kept as canonical one-line .reg data, so regdb_get can hand
 * out a pointer and formatting only has to wrap hex. The UTF-16LE text is
 * written straight from the database into one buffer sized from the lengths
 * the database keeps (regdb_format), or into one chunk-sized buffer handed
 * on each time it fills (regdb_format_to, which the dir driver streams into
 * the file), and read a line at a time into one reused buffer: a 100 MB
 * export costs its own size once more at most, not four times.
 */
#include "regfile.h"
#include "regdb.h"
#include "regint.h"
#include "util.h"
#include "utf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define HEADER5		"Windows Registry Editor Version 5.00"
#define HEADER4		"REGEDIT4"
/* Regedit starts a new line once a hex line reaches this column. */
#define WRAP_COLUMN	76

/* Formatting: UTF-8 with LF, or UTF-16LE with CRLF, from the same code. */

struct out {
	struct buf b;
	int u16;
	/* Streamed (put not NULL): the text goes to put whenever the buffer
	 * is full, so that it is never all in memory at once and the file
	 * being written gets it while the rest is formatted. */
	int (*put)(void *ctx, const void *, size_t);
	void *ctx;
	int failed;		/* put failed: the rest is dropped */
};

/* What is in the buffer goes to put, and the buffer is empty again. */
static void
out_flush(struct out *o)
{
	if (o->b.len > 0 && !o->failed && o->put(o->ctx, o->b.p, o->b.len) != 0)
		o->failed = 1;
	o->b.len = 0;
}

/*
 * Room for n bytes of UTF-8 text, a line end counted as 2: UTF-16 takes at
 * most twice the bytes (a 4-byte character is a surrogate pair).
 */
static char *
out_room(struct out *o, size_t n)
{
	n = o->u16 ? 2 * n : n;
	if (o->b.cap - o->b.len > n)
		return o->b.p + o->b.len;
	if (o->put != NULL)
		out_flush(o);
	return reg_buf_room(&o->b, n);
}

/* What was written up to p counts in (the NUL comes at the end). */
static void
out_done(struct out *o, char *p)
{
	o->b.len = (size_t)(p - o->b.p);
}

static char *
put_char(struct out *o, char *p, char c)
{
	*p++ = c;
	if (o->u16)
		*p++ = '\0';
	return p;
}

/*
 * The leading ASCII of s[0..n) widened to UTF-16LE at *pp, sixteen bytes
 * at a time where SSE2 is (all x86-64); how many bytes it took.
 */
static size_t
widen_ascii(char **pp, const char *s, size_t n)
{
	size_t i = 0;
	char *p = *pp;
#ifdef __SSE2__
	const __m128i zero = _mm_setzero_si128();
	__m128i v;

	for (; n - i >= 16; i += 16, p += 32) {
		v = _mm_loadu_si128((const void *)(s + i));
		if (_mm_movemask_epi8(v) != 0)
			break;
		_mm_storeu_si128((void *)p, _mm_unpacklo_epi8(v, zero));
		_mm_storeu_si128((void *)(p + 16), _mm_unpackhi_epi8(v, zero));
	}
#endif
	for (; i < n && (unsigned char)s[i] < 0x80; i++) {
		*p++ = s[i];
		*p++ = '\0';
	}
	*pp = p;
	return i;
}

/* ASCII text. */
static char *
put_ascii(struct out *o, char *p, const char *s, size_t n)
{
	if (!o->u16) {
		memcpy(p, s, n);
		return p + n;
	}
	widen_ascii(&p, s, n);
	return p;
}

/* Any stored text: checked to be UTF-8 on the way in. */
static char *
put_text(struct out *o, char *p, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t c;

	if (!o->u16) {
		memcpy(p, s, n);
		return p + n;
	}
	while ((i += widen_ascii(&p, s + i, n - i)) < n) {
		if ((k = u8_decode(u + i, n - i, &c)) == 0) {
			k = 1;
			c = 0xfffd;
		}
		p += u16le_encode(p, c);
		i += k;
	}
	return p;
}

static char *
put_nl(struct out *o, char *p)
{
	if (!o->u16) {
		*p = '\n';
		return p + 1;
	}
	return memcpy(p, "\r\0\n\0", 4), p + 4;
}

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

/* A name in quotes, \ and " escaped. */
static char *
put_name(struct out *o, char *p, const char *s, size_t n)
{
	const char *run = s, *end = s + n;

	p = put_char(o, p, '"');
	/* The name ends in a NUL: strcspn stops there at the latest. */
	for (; (s += strcspn(s, "\\\"")) < end; s++) {
		p = put_text(o, p, run, (size_t)(s - run));
		p = put_char(o, p, '\\');
		run = s;
	}
	p = put_text(o, p, run, (size_t)(end - run));
	return put_char(o, p, '"');
}

/* The columns of a value's "name"= (as put_name writes it). */
static size_t
name_columns(const struct regvalue *v)
{
	size_t col = v->namelen == 0 ? 2 : 3 + columns(v->name, v->namelen);

	for (const char *s = v->name; *(s += strcspn(s, "\\\"")); s++)
		col++;
	return col;
}

/* Hex bytes go on lines of about 80 columns, joined by ",\" as regedit's. */
static char *
put_hex(struct out *o, char *p, const char *data, size_t len, size_t col)
{
	const char *s = strchr(data, ':') + 1, *end = data + len;

	p = put_ascii(o, p, data, (size_t)(s - data));
	col += (size_t)(s - data);
	while (s < end) {
		p = put_ascii(o, p, s, s + 2 < end ? 3 : 2);
		if ((s += 3) >= end)
			break;
		if ((col += 3) >= WRAP_COLUMN) {
			p = put_ascii(o, p, "\\", 1);
			p = put_nl(o, p);
			p = put_ascii(o, p, "  ", 2);
			col = 2;
		}
	}
	return p;
}

static void
format_value(struct out *o, const struct regvalue *v)
{
	/* Escapes double a name; a line break at most every 24 bytes. */
	char *p = out_room(o, 2 * v->namelen + v->datalen +
	    6 * (2 + v->datalen / 72) + 8);

	if (v->namelen == 0)
		p = put_char(o, p, '@');
	else
		p = put_name(o, p, v->name, v->namelen);
	p = put_char(o, p, '=');
	/* Stored data is canonical: "hex" in lower case. */
	if (v->datalen >= 3 && memcmp(v->data, "hex", 3) == 0)
		p = put_hex(o, p, v->data, v->datalen, name_columns(v));
	else
		p = put_text(o, p, v->data, v->datalen);
	out_done(o, put_nl(o, p));
}

static void
format_key(struct out *o, const struct regkey *k)
{
	char *p = out_room(o, k->pathlen + 4);

	p = put_char(o, p, '[');
	p = put_text(o, p, k->path, k->pathlen);
	p = put_char(o, p, ']');
	out_done(o, put_nl(o, p));
	for (const struct regvalue *v = regvalue_at(k->values.first);
	    v != NULL; v = regvalue_at(v->l.next))
		format_value(o, v);
	out_done(o, put_nl(o, out_room(o, 2)));
}

/* The whole text into o, begun with room for first bytes of UTF-8 (and
 * for the header, at least). */
static void
format_into(struct out *o, const struct regdb *db, size_t first)
{
	char *p = out_room(o, first > sizeof HEADER5 + 8 ? first :
	    sizeof HEADER5 + 8);

	if (o->u16) {
		memcpy(p, "\xff\xfe", 2);
		p += 2;
	}
	p = put_ascii(o, p, HEADER5, strlen(HEADER5));
	p = put_nl(o, p);
	out_done(o, put_nl(o, p));
	for (const struct regkey *k = regkey_at(db->order.first); k != NULL &&
	    !o->failed; k = regkey_at(k->l.next))
		format_key(o, k);
}

static char *
format(const struct regdb *db, int u16, size_t *len)
{
	struct out o = { .u16 = u16 };

	/* All of it in one allocation, as a rule: the text, the punctuation
	 * of each line, and the hex line breaks (5 in 75 columns). */
	format_into(&o, db, db->textlen + db->textlen / 12 + 8 * db->nlisted +
	    8 * db->nvalues + sizeof HEADER5 + 8);
	/* out_room always leaves a byte more. */
	o.b.p[o.b.len] = '\0';
	*len = o.b.len;
	return buf_steal(&o.b);
}

int
regdb_format_to(const struct regdb *db, size_t chunk,
    int (*put)(void *, const void *, size_t), void *ctx)
{
	struct out o = { .u16 = 1, .put = put, .ctx = ctx };

	/* A chunk's room (UTF-16: twice the UTF-8 asked for), used again
	 * and again: no page of it faults in twice. */
	format_into(&o, db, chunk / 2 > 1 ? chunk / 2 - 1 : 1);
	out_flush(&o);
	buf_free(&o.b);
	return o.failed ? -1 : 0;
}

char *
regdb_format_utf8(const struct regdb *db)
{
	size_t len;

	return format(db, 0, &len);
}

unsigned char *
regdb_format(const struct regdb *db, size_t *len)
{
	return (unsigned char *)format(db, 1, len);
}

/* Parsing. */

struct parser {
	const char *name;
	char *err;
	size_t errlen;
	const unsigned char *data;	/* the file */
	size_t len, pos;		/* its size; where the next line starts */
	int u16;			/* UTF-16LE, else UTF-8 */
	struct buf text;		/* the line last read, as UTF-8 */
	int ctl;			/* it may hold a control character */
	size_t ncr;			/* the CRs of it the UTF-16 reader saw */
	struct buf path, vname;		/* a key path and a value name */
	unsigned long line;		/* its number */
	struct regdb *db;
	struct regkey *key;		/* the key the values go to */
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

/*
 * Printable ASCII units from *sp on (not past se) as bytes at o, eight at
 * a time: that is nearly all of an export. Without SSE2 (all x86-64 has
 * it), the caller's loop does it a unit at a time.
 */
static char *
ascii_run(char *o, const unsigned char **sp, const unsigned char *se)
{
#ifdef __SSE2__
	const unsigned char *s = *sp;
	const __m128i lo = _mm_set1_epi16(0x1f), hi = _mm_set1_epi16(0x7f);
	__m128i v;

	/* 0x20-0x7e as signed 16-bit: a unit of 0x8000 up is below. */
	for (; se - s >= 16; s += 16, o += 8) {
		v = _mm_loadu_si128((const void *)s);
		if (_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi16(v, lo),
		    _mm_cmplt_epi16(v, hi))) != 0xffff)
			break;
		_mm_storel_epi64((void *)o, _mm_packus_epi16(v, v));
	}
	*sp = s;
#else
	(void)sp;
	(void)se;
#endif
	return o;
}

/*
 * The next line of UTF-16LE text as UTF-8, its '\n' dropped. Runs of ASCII,
 * nearly all of an export, are copied a byte a unit in a tight loop.
 */
static int
read_utf16(struct parser *p)
{
	const unsigned char *d = p->data, *s, *se;
	size_t i = p->pos, len = p->len, n;
	char *o;
	uint32_t c;

	for (;;) {
		/* Room for a run, and for one character more. */
		o = reg_buf_room(&p->text, 4096);
		n = (len - i) / 2 < 4092 ? (len - i) / 2 : 4092;
		s = d + i;
		se = s + 2 * n;
		o = ascii_run(o, &s, se);
		for (; s < se && s[1] == 0 && s[0] - 1u < 0x7fu &&
		    s[0] != '\n'; s += 2) {
			if (s[0] < 0x20 || s[0] == 0x7f) {
				if (s[0] == '\r')
					p->ncr++;
				else if (s[0] != '\t')
					p->ctl = 1;
			}
			*o++ = (char)s[0];
		}
		i = (size_t)(s - d);
		if (i == len)
			break;
		if (len - i >= 2 && s[0] == '\n' && s[1] == 0) {
			i += 2;
			break;
		}
		switch (u16le_next(d, len, &i, &c)) {
		case UTF16_ODD:
			return perr(p, p->line, "UTF-16 text has an odd number "
			    "of bytes (truncated file?); expected whole 2-byte "
			    "code units");
		case UTF16_SURROGATE:
			return perr(p, p->line, "unpaired UTF-16 surrogate at "
			    "byte %zu; expected valid UTF-16LE text", i);
		case UTF16_OK:
			break;
		}
		if (c == 0)
			return perr(p, p->line, "NUL character; expected text");
		p->ctl |= c == 0x7f || c < 0x20;
		o += u8_encode(o, c);
		reg_buf_done(&p->text, o);
	}
	reg_buf_done(&p->text, o);
	p->pos = i;
	return 0;
}

/* The next line of UTF-8 text, checked, its '\n' dropped. */
static int
read_utf8(struct parser *p)
{
	const unsigned char *d = p->data + p->pos, *nl;
	size_t n = p->len - p->pos, i, k;
	uint32_t c;

	if ((nl = memchr(d, '\n', n)) != NULL)
		n = (size_t)(nl - d);
	for (i = 0; i < n; i += k) {
		k = 1;
		if (d[i] >= 0x80)
			k = u8_decode(d + i, n - i, &c);
		else if (d[i] == '\0')
			return perr(p, p->line, "NUL byte; expected UTF-8 text, "
			    "or UTF-16LE text that starts with a byte order "
			    "mark");
		if (k == 0)
			return perr(p, p->line, "invalid UTF-8 byte 0x%02x; "
			    "expected UTF-8 or UTF-16LE text", d[i]);
	}
	memcpy(reg_buf_room(&p->text, n), d, n);
	reg_buf_done(&p->text, p->text.p + n);
	p->pos += n + (nl != NULL);
	return 0;
}

/*
 * The next line with its end and surrounding blanks cut off, or NULL at the
 * end of the text. Control characters are refused here, once for all. The
 * line lives in p->text until the next call.
 */
static int
next_line(struct parser *p, char **linep)
{
	char *s, *e;

	*linep = NULL;
	/* Text after the last newline is a line only when it is not empty. */
	if (p->pos >= p->len)
		return 0;
	p->line++;
	p->text.len = 0;
	/* The UTF-8 reader leaves the check to the loop below. */
	p->ctl = !p->u16;
	p->ncr = 0;
	if ((p->u16 ? read_utf16(p) : read_utf8(p)) == -1)
		return -1;
	s = p->text.p;
	e = s + p->text.len;
	while (e > s && (e[-1] == '\r' || reg_blank((unsigned char)e[-1]))) {
		if (e[-1] == '\r' && p->ncr > 0)
			p->ncr--;
		e--;
	}
	*e = '\0';
	s = (char *)reg_skip_blanks(s);
	for (e = s; (p->ctl || p->ncr > 0) && *e != '\0'; e++) {
		if (((unsigned char)*e < 0x20 && *e != '\t') || *e == 0x7f)
			return perr(p, p->line, "control character 0x%02x; "
			    "expected printable text (hex(1): holds strings "
			    "with line breaks)", (unsigned char)*e);
	}
	*linep = s;
	return 0;
}

/* Where the text starts, and in which encoding; -1 when it cannot be read. */
static int
start(struct parser *p)
{
	const unsigned char *d = p->data;

	if (p->len >= 2 && d[0] == 0xff && d[1] == 0xfe) {
		p->u16 = 1;
		p->pos = 2;
	} else if (p->len >= 2 && d[0] == 0xfe && d[1] == 0xff)
		return perr(p, 1, "UTF-16 big-endian text; expected UTF-16LE "
		    "or UTF-8");
	else if (p->len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0)
		p->pos = 3;
	return 0;
}

static int
parse_header(struct parser *p)
{
	char *line;

	if (start(p) == -1 || next_line(p, &line) == -1)
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
	char msg[512];

	if (line[1] == '-')
		return perr(p, p->line, "key deletion [-...] is not allowed in "
		    "a state file; expected [KEY]");
	if (line[len - 1] != ']')
		return perr(p, p->line, "unterminated key header; expected "
		    "']' at the end of the line");
	line[len - 1] = '\0';
	if (regdb_normalize_into(&p->path, line + 1, 1, msg, sizeof msg) == -1)
		return perr(p, p->line, "%s", msg);
	p->key = regdb_list(p->db, p->path.p, p->path.len, 1);
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
lowhex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/*
 * Whether s is canonical data already, as regedit writes nearly all of it:
 * then it is stored as it is, without reg_canon's decoding and rewriting.
 * The line is checked UTF-8 without control characters by now.
 */
static int
canonical(const char *s, size_t n)
{
	const char *e = s + n;

	if (*s == '"') {
		/* Escapes only of \ and ", the closing quote last. */
		for (s++;; s += 2) {
			s += strcspn(s, "\\\"");
			if (*s != '\\')
				return *s == '"' && s == e - 1;
			if (s[1] != '\\' && s[1] != '"')
				return 0;
		}
	}
	if (n == 14 && memcmp(s, "dword:", 6) == 0) {
		for (s += 6; s < e && lowhex(*s); s++)
			;
		return s == e;
	}
	if (n >= 4 && memcmp(s, "hex", 3) == 0) {
		s += 3;
		if (*s == '(') {
			/* hex(N): in lower case without leading zeros. */
			if (*++s == '0' && s[1] != ')')
				return 0;
			while (s < e && lowhex(*s) && s - (e - n) < 12)
				s++;
			if (s[-1] == '(' || *s++ != ')')
				return 0;
		}
		if (s >= e || *s++ != ':')
			return 0;
		/* Bytes of two digits, joined by single commas. */
		for (; s < e; s += 3)
			if (e - s < 2 || !lowhex(s[0]) || !lowhex(s[1]) ||
			    (e - s > 2 && s[2] != ','))
				return 0;
		return (n == 4 || e[-1] != ',');
	}
	return 0;
}

static int
parse_data(struct parser *p, const char *name, size_t namelen, const char *s)
{
	struct buf data = { 0 };
	const char *errp;
	char msg[512], *c;
	int rc = -1;

	p->nsegs = 0;
	if (reg_prefix_ci(s, "hex")) {
		if (gather_hex(p, s, &data) == -1)
			goto out;
		s = data.p;
	}
	if (canonical(s, strlen(s))) {
		regdb_value_add(p->db, p->key, name, namelen, s, strlen(s));
		rc = 0;
	} else if ((c = reg_canon(s, &errp, msg, sizeof msg)) != NULL) {
		regdb_value_add(p->db, p->key, name, namelen, c, strlen(c));
		free(c);
		rc = 0;
	} else
		perr(p, p->nsegs ? seg_line(p, (size_t)(errp - s)) : p->line,
		    "%s", msg);
out:
	buf_free(&data);
	return rc;
}

static int
parse_value(struct parser *p, char *line)
{
	struct buf *name = &p->vname;
	const char *s = line, *errp;
	char msg[512], tmp[SNIP_MAX + 8];

	if (p->key == NULL)
		return perr(p, p->line, "value outside a key; expected a [KEY] "
		    "header before the first value");
	name->len = 0;
	buf_add(name, "", 0);
	if (*s == '@')
		s++;
	else if (reg_read_quoted(s, name, &s, &errp, msg, sizeof msg) == -1)
		return perr(p, p->line, "%s", msg);
	s = reg_skip_blanks(s);
	if (*s != '=')
		return perr(p, p->line, "missing '=' after the value name, at "
		    "\"%s\"; expected \"name\"=data", reg_snip(s, tmp,
		    sizeof tmp));
	s = reg_skip_blanks(s + 1);
	if (regdb_value_find(p->db, p->key, name->p, name->len) != NULL)
		return perr(p, p->line, "value \"%s\" appears twice in [%s]; "
		    "expected each value once", name->len > 0 ? name->p : "@",
		    reg_snip(p->key->path, tmp, sizeof tmp));
	return parse_data(p, name->p, name->len, s);
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
	int rc = -1;

	p.name = name != NULL ? name : "<input>";
	p.err = err;
	p.errlen = errlen;
	p.db = &tmp;
	p.data = data;
	p.len = data != NULL ? len : 0;
	if (parse_text(&p) == 0) {
		regdb_clear(db);
		*db = tmp;
		memset(&tmp, 0, sizeof tmp);
		rc = 0;
	}
	regdb_clear(&tmp);
	buf_free(&p.text);
	buf_free(&p.path);
	buf_free(&p.vname);
	free(p.segs);
	return rc;
}
