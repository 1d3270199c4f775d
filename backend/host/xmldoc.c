/*
 * The XML reader of xmldoc.h: one pass over the text, no recursion (the
 * open elements are the current node's parents), every fault reported at
 * its byte offset with what to do about it.
 */
#include "xmldoc.h"
#include "utf.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- memory ------------------------------------------------------------ */

struct xchunk {
	struct xchunk *next;
	size_t used, cap;
	max_align_t data[];
};

/* The small example file fits in the first; 10k sites take a few dozen. */
#define CHUNK_FIRST (16u * 1024)
#define CHUNK_MAX (1024u * 1024)

static void *
mem_alloc(struct xdoc *d, size_t n)
{
	struct xchunk *c = d->mem;
	size_t align = _Alignof(max_align_t), cap;

	n = (n + align - 1) / align * align;
	if (c == NULL || c->cap - c->used < n) {
		cap = c == NULL ? CHUNK_FIRST : c->cap * 2;
		if (cap > CHUNK_MAX)
			cap = CHUNK_MAX;
		if (cap < n)
			cap = n;
		c = xmalloc(sizeof *c + cap);
		c->used = 0;
		c->cap = cap;
		c->next = d->mem;
		d->mem = c;
	}
	c->used += n;
	return (char *)c->data + c->used - n;
}

static const char *
mem_strndup(struct xdoc *d, const char *s, size_t n)
{
	char *p = mem_alloc(d, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
xdoc_free(struct xdoc *d)
{
	struct xchunk *c, *next;

	for (c = d->mem; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	d->mem = NULL;
	d->root = NULL;
}

void
xdoc_adopt(struct xdoc *into, struct xdoc *from)
{
	struct xchunk *tail = from->mem;

	if (tail == NULL)
		return;
	if (into->mem == NULL)
		into->mem = from->mem;
	else {
		/* Behind INTO's first chunk, which it goes on filling. */
		while (tail->next != NULL)
			tail = tail->next;
		tail->next = into->mem->next;
		into->mem->next = from->mem;
	}
	from->mem = NULL;
	from->root = NULL;
}

/* ---- the tree ---------------------------------------------------------- */

const struct xattr *
xnode_attr(const struct xnode *n, const char *name)
{
	for (size_t i = 0; i < n->nattrs; i++)
		if (strcmp(n->attrs[i].name, name) == 0)
			return &n->attrs[i];
	return NULL;
}

void
xnode_unlink(struct xnode *n)
{
	struct xnode *p = n->parent;

	if (p != NULL) {
		if (p->children == n)
			p->children = n->next;
		if (p->last == n)
			p->last = n->prev;
	}
	if (n->prev != NULL)
		n->prev->next = n->next;
	if (n->next != NULL)
		n->next->prev = n->prev;
	n->parent = n->prev = n->next = NULL;
}

void
xnode_append(struct xnode *parent, struct xnode *n)
{
	n->parent = parent;
	n->next = NULL;
	n->prev = parent->last;
	if (parent->last != NULL)
		parent->last->next = n;
	else
		parent->children = n;
	parent->last = n;
}

void
xnode_insert_before(struct xnode *next, struct xnode *n)
{
	n->parent = next->parent;
	n->next = next;
	n->prev = next->prev;
	if (next->prev != NULL)
		next->prev->next = n;
	else if (next->parent != NULL)
		next->parent->children = n;
	next->prev = n;
}

void
xnode_replace(struct xnode *old, struct xnode *n)
{
	n->parent = old->parent;
	n->prev = old->prev;
	n->next = old->next;
	if (old->prev != NULL)
		old->prev->next = n;
	else if (old->parent != NULL)
		old->parent->children = n;
	if (old->next != NULL)
		old->next->prev = n;
	else if (old->parent != NULL)
		old->parent->last = n;
	old->parent = old->prev = old->next = NULL;
}

/* ---- characters and names ---------------------------------------------- */

struct range {
	uint32_t lo, hi;
};

/* XML 1.0 fifth edition, NameStartChar past ASCII. */
static const struct range name_start_ranges[] = {
	{0xC0, 0xD6}, {0xD8, 0xF6}, {0xF8, 0x2FF}, {0x370, 0x37D},
	{0x37F, 0x1FFF}, {0x200C, 0x200D}, {0x2070, 0x218F},
	{0x2C00, 0x2FEF}, {0x3001, 0xD7FF}, {0xF900, 0xFDCF},
	{0xFDF0, 0xFFFD}, {0x10000, 0xEFFFF},
};

/* What NameChar adds past ASCII. */
static const struct range name_more_ranges[] = {
	{0xB7, 0xB7}, {0x300, 0x36F}, {0x203F, 0x2040},
};

static int
in_ranges(uint32_t c, const struct range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c >= r[i].lo && c <= r[i].hi)
			return 1;
	return 0;
}

static int
name_start(uint32_t c)
{
	if (c < 0x80)
		return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' ||
		    c == ':';
	return in_ranges(c, name_start_ranges, nitems(name_start_ranges));
}

static int
name_char(uint32_t c)
{
	if (c < 0x80)
		return name_start(c) || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.';
	return name_start(c) ||
	    in_ranges(c, name_more_ranges, nitems(name_more_ranges));
}

/* Char, for character references; the text itself is checked whole. */
static int
xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xA || c == 0xD ||
	    (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
	    (c >= 0x10000 && c <= 0x10FFFF);
}

static int
is_s(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ---- the parser -------------------------------------------------------- */

struct pattr {
	const char *name;
	const char *value;
	size_t at; /* of the name, for a duplicate's message */
};

struct px {
	const char *t;
	size_t n, i;
	struct xdoc *d;
	const struct xhooks *h;
	struct pattr *att; /* the start tag being read */
	size_t natt, catt;
	struct buf val; /* a value being decoded */
	size_t depth;
	int failed;
	size_t *at;
	char *why;
	size_t whylen;
};

static int PRINTFLIKE(3, 4)
fail(struct px *p, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed) {
		p->failed = 1;
		*p->at = at;
		va_start(ap, fmt);
		vsnprintf(p->why, p->whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Every byte UTF-8, every character one XML allows. */
static int
check_chars(struct px *p)
{
	const unsigned char *s = (const unsigned char *)p->t;
	uint32_t cp;
	size_t k;

	for (size_t i = 0; i < p->n; i += k) {
		k = 1;
		if (s[i] >= 0x20 && s[i] < 0x80)
			continue;
		if (s[i] < 0x20) {
			if (is_s(s[i]))
				continue;
			return fail(p, i, "control character U+%04X: XML "
			    "cannot hold it", s[i]);
		}
		if ((k = u8_decode(s + i, p->n - i, &cp)) == 0)
			return fail(p, i, "byte 0x%02X is not UTF-8 (the file "
			    "must be saved as UTF-8)", s[i]);
		if (!xml_char(cp))
			return fail(p, i, "U+%04X is not a character XML "
			    "allows", (unsigned)cp);
	}
	return 0;
}

static uint32_t
char_at(const struct px *p, size_t i, size_t *len)
{
	uint32_t c = (unsigned char)p->t[i];

	*len = 1;
	if (c >= 0x80 && (*len = u8_decode((const unsigned char *)p->t + i,
	    p->n - i, &c)) == 0) {
		*len = 1; /* not reached: check_chars passed */
		c = 0;
	}
	return c;
}

/* The length of the name at i, 0 when none starts there. */
static size_t
name_len(const struct px *p, size_t i)
{
	size_t k, j = i;

	if (j >= p->n || !name_start(char_at(p, j, &k)))
		return 0;
	for (j += k; j < p->n && name_char(char_at(p, j, &k)); j += k)
		;
	return j - i;
}

static size_t
skip_s(struct px *p)
{
	size_t from = p->i;

	while (p->i < p->n && is_s((unsigned char)p->t[p->i]))
		p->i++;
	return p->i - from;
}

static int
looking_at(const struct px *p, const char *s)
{
	size_t n = strlen(s);

	return p->n - p->i >= n && memcmp(p->t + p->i, s, n) == 0;
}

static const struct {
	const char *name;
	char c;
} predefined[] = {
	{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"apos", '\''}, {"quot", '"'},
};

/* &#N; or &#xH; at p->i (past "&#"): its character into out. */
static int
char_ref(struct px *p, size_t at, struct buf *out)
{
	int hex = p->i < p->n && p->t[p->i] == 'x';
	uint32_t v = 0;
	size_t digits = 0;
	char u[4];

	for (p->i += hex; p->i < p->n; p->i++, digits++) {
		int c = (unsigned char)p->t[p->i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		if (v <= 0x10FFFF)
			v = v * (hex ? 16 : 10) + (uint32_t)d;
	}
	if (digits == 0 || p->i >= p->n || p->t[p->i] != ';')
		return fail(p, at, "bad character reference: write &#N; or "
		    "&#xH; (or &amp; for a literal '&')");
	if (!xml_char(v))
		return fail(p, at, "character reference to a character XML "
		    "does not allow");
	p->i++;
	if (out != NULL)
		buf_add(out, u, u8_encode(u, v));
	return 0;
}

/* A reference at p->i ('&'): what it stands for into out (may be NULL). */
static int
ref(struct px *p, struct buf *out)
{
	size_t at = p->i++, k;

	if (p->i < p->n && p->t[p->i] == '#') {
		p->i++;
		return char_ref(p, at, out);
	}
	if ((k = name_len(p, p->i)) == 0 || p->i + k >= p->n ||
	    p->t[p->i + k] != ';')
		return fail(p, at, "'&' that starts no reference: write &amp; "
		    "for a literal '&'");
	for (size_t j = 0; j < nitems(predefined); j++) {
		if (strlen(predefined[j].name) == k &&
		    memcmp(p->t + p->i, predefined[j].name, k) == 0) {
			p->i += k + 1;
			if (out != NULL)
				buf_addc(out, predefined[j].c);
			return 0;
		}
	}
	return fail(p, at, "unknown entity &%.*s; (without a DTD only &lt; "
	    "&gt; &amp; &apos; &quot; exist)", (int)(k < 40 ? k : 40),
	    p->t + p->i);
}

/*
 * A quoted value at p->i, decoded: references replaced, each blank (a
 * CRLF counts as one) folded into a space, as XML reads attributes.
 */
static int
attr_value(struct px *p, const char **out)
{
	char q = p->i < p->n ? p->t[p->i] : '\0';
	const char *e, *s;
	size_t start, end, plain = 1;

	if (q != '"' && q != '\'')
		return fail(p, p->i, "an attribute value must be quoted");
	start = ++p->i;
	if ((e = memchr(p->t + start, q, p->n - start)) == NULL)
		return fail(p, start - 1, "attribute value without its "
		    "closing quote");
	end = (size_t)(e - p->t);
	for (s = p->t + start; s < e; s++) {
		if (*s == '<')
			return fail(p, (size_t)(s - p->t), "'<' in an "
			    "attribute value: write &lt;");
		if (*s == '&' || *s == '\t' || *s == '\n' || *s == '\r')
			plain = 0;
	}
	if (plain) {
		*out = mem_strndup(p->d, p->t + start, end - start);
		p->i = end + 1;
		return 0;
	}
	p->val.len = 0;
	while (p->i < end) {
		char c = p->t[p->i];

		if (c == '&') {
			if (ref(p, &p->val) != 0)
				return -1;
			continue;
		}
		if (c == '\r' && p->i + 1 < end && p->t[p->i + 1] == '\n')
			p->i++;
		buf_addc(&p->val, is_s((unsigned char)c) ? ' ' : c);
		p->i++;
	}
	*out = mem_strndup(p->d, p->val.len ? p->val.p : "", p->val.len);
	p->i = end + 1;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	const struct pattr *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Past a few attributes, sorting beats comparing every pair. */
#define DUP_LINEAR 16

static int
dup_check(struct px *p, const char *elem)
{
	struct pattr *s;
	size_t i, j, dup = SIZE_MAX, at = SIZE_MAX;

	if (p->natt <= DUP_LINEAR) {
		for (i = 1; i < p->natt && dup == SIZE_MAX; i++)
			for (j = 0; j < i; j++)
				if (strcmp(p->att[i].name, p->att[j].name) == 0)
					dup = i;
	} else {
		/* The first name, in the text, that was given before. */
		s = xreallocarray(NULL, p->natt, sizeof *s);
		memcpy(s, p->att, p->natt * sizeof *s);
		qsort(s, p->natt, sizeof *s, by_name);
		for (i = 1; i < p->natt; i++)
			if (strcmp(s[i].name, s[i - 1].name) == 0 &&
			    s[i].at < at)
				at = s[i].at;
		free(s);
		for (j = 0; j < p->natt && at != SIZE_MAX; j++)
			if (p->att[j].at == at)
				dup = j;
	}
	if (dup == SIZE_MAX)
		return 0;
	return fail(p, p->att[dup].at, "attribute %s given twice in <%s>",
	    p->att[dup].name, elem);
}

/* One attribute at p->i: name = value. */
static int
attribute(struct px *p, const char *elem)
{
	size_t at = p->i, k = name_len(p, at);
	struct pattr *a;

	if (k == 0)
		return fail(p, at, "expected an attribute name, '>' or '/>' "
		    "in <%s>", elem);
	if (p->natt == p->catt) {
		p->catt = p->catt ? p->catt * 2 : 16;
		p->att = xreallocarray(p->att, p->catt, sizeof *p->att);
	}
	a = &p->att[p->natt++];
	a->name = mem_strndup(p->d, p->t + at, k);
	a->at = at;
	a->value = "";
	p->i += k;
	skip_s(p);
	if (p->i >= p->n || p->t[p->i] != '=')
		return fail(p, p->i, "expected '=' after the attribute name "
		    "%s", a->name);
	p->i++;
	skip_s(p);
	return attr_value(p, &a->value);
}

/* A start tag at p->i ('<' and a name): the element, under parent. */
static struct xnode *
start_tag(struct px *p, struct xnode *parent, int *empty)
{
	size_t lt = p->i++, k = name_len(p, p->i), blanks;
	struct xnode *n = mem_alloc(p->d, sizeof *n);

	*n = (struct xnode){ .name = mem_strndup(p->d, p->t + p->i, k) };
	p->i += k;
	p->natt = 0;
	for (;;) {
		blanks = skip_s(p);
		if (p->i >= p->n) {
			fail(p, lt, "the file ends inside the start tag of "
			    "<%s>", n->name);
			return NULL;
		}
		if (p->t[p->i] == '>' || looking_at(p, "/>"))
			break;
		if (blanks == 0) {
			fail(p, p->i, "expected a blank, '>' or '/>' in <%s>",
			    n->name);
			return NULL;
		}
		if (attribute(p, n->name) != 0)
			return NULL;
	}
	*empty = p->t[p->i] == '/';
	p->i += *empty ? 2 : 1;
	if (dup_check(p, n->name) != 0)
		return NULL;
	n->nattrs = p->natt;
	n->attrs = p->natt ? mem_alloc(p->d, p->natt * sizeof *n->attrs) :
	    NULL;
	for (size_t j = 0; j < p->natt; j++)
		n->attrs[j] = (struct xattr){ p->att[j].name, p->att[j].value };
	if (parent != NULL)
		xnode_append(parent, n);
	if (p->h != NULL && p->h->start != NULL)
		p->h->start(p->h->arg, n, lt, p->i, *empty);
	if (*empty && p->h != NULL && p->h->end != NULL)
		p->h->end(p->h->arg, n, p->i, p->i);
	return n;
}

/* "</name>" at p->i, closing cur. */
static int
end_tag(struct px *p, struct xnode *cur)
{
	size_t lt = p->i, k, want = strlen(cur->name);

	p->i += 2;
	k = name_len(p, p->i);
	if (k != want || memcmp(p->t + p->i, cur->name, k) != 0)
		return fail(p, lt, "end tag </%.*s> where </%s> belongs",
		    (int)(k < 60 ? k : 60), p->t + p->i, cur->name);
	p->i += k;
	skip_s(p);
	if (p->i >= p->n || p->t[p->i] != '>')
		return fail(p, lt, "end tag </%s> not closed with '>'",
		    cur->name);
	p->i++;
	if (p->h != NULL && p->h->end != NULL)
		p->h->end(p->h->arg, cur, lt, p->i);
	return 0;
}

/* From p->i, the first TERM: p->i moves past it; -1 when there is none. */
static int
skip_past(struct px *p, const char *term)
{
	size_t tl = strlen(term);
	const char *s;

	while (p->n - p->i >= tl) {
		if ((s = memchr(p->t + p->i, term[0], p->n - p->i - tl + 1)) ==
		    NULL)
			break;
		p->i = (size_t)(s - p->t);
		if (memcmp(s, term, tl) == 0) {
			p->i += tl;
			return 0;
		}
		p->i++;
	}
	p->i = p->n;
	return -1;
}

/* "<!--" at p->i; no "--" inside. */
static int
comment(struct px *p)
{
	size_t at = p->i;
	const char *s;

	p->i += 4;
	while ((s = memchr(p->t + p->i, '-', p->n - p->i)) != NULL) {
		p->i = (size_t)(s - p->t) + 1;
		if (p->i < p->n && p->t[p->i] == '-') {
			if (p->i + 1 < p->n && p->t[p->i + 1] == '>') {
				p->i += 2;
				return 0;
			}
			return fail(p, p->i - 1, "\"--\" inside a comment "
			    "(only its end \"-->\" may hold it)");
		}
	}
	return fail(p, at, "comment not closed with \"-->\"");
}

/* "<?" at p->i: a processing instruction, not the XML declaration. */
static int
pi(struct px *p)
{
	size_t at = p->i, k;

	p->i += 2;
	if ((k = name_len(p, p->i)) == 0)
		return fail(p, at, "expected a name after \"<?\"");
	if (k == 3 && strncasecmp(p->t + p->i, "xml", 3) == 0)
		return fail(p, at, "an XML declaration (<?xml ...?>) belongs "
		    "only at the very start of the file");
	p->i += k;
	if (looking_at(p, "?>")) {
		p->i += 2;
		return 0;
	}
	if (skip_s(p) == 0)
		return fail(p, p->i, "expected a blank or \"?>\" after "
		    "\"<?%.*s\"", (int)(k < 40 ? k : 40), p->t + at + 2);
	if (skip_past(p, "?>") != 0)
		return fail(p, at, "processing instruction not closed with "
		    "\"?>\"");
	return 0;
}

/* Text between tags: references valid, no "]]>". */
static int
chardata(struct px *p)
{
	const char *lt = memchr(p->t + p->i, '<', p->n - p->i);
	size_t end = lt != NULL ? (size_t)(lt - p->t) : p->n;

	while (p->i < end) {
		char c = p->t[p->i];

		if (c == '&') {
			if (ref(p, NULL) != 0)
				return -1;
			continue;
		}
		if (c == ']' && p->i + 2 < p->n && p->t[p->i + 1] == ']' &&
		    p->t[p->i + 2] == '>')
			return fail(p, p->i, "\"]]>\" in text: write ]]&gt;");
		p->i++;
	}
	return 0;
}

/* Outside the root: blanks, comments and processing instructions. */
static int
misc(struct px *p, const char *where)
{
	for (;;) {
		skip_s(p);
		if (looking_at(p, "<!--")) {
			if (comment(p) != 0)
				return -1;
		} else if (looking_at(p, "<?")) {
			if (pi(p) != 0)
				return -1;
		} else if (looking_at(p, "<!DOCTYPE"))
			return fail(p, p->i, "a DOCTYPE is not allowed (DTDs "
			    "and entities are refused)");
		else if (p->i < p->n && p->t[p->i] != '<')
			return fail(p, p->i, "text %s the root element", where);
		else
			return 0;
	}
}

/* Name = "value" in the XML declaration; the value's span. */
static int
decl_pair(struct px *p, const char *name, size_t *v, size_t *vlen)
{
	const char *e;
	char q;

	if (!looking_at(p, name))
		return 0;
	p->i += strlen(name);
	skip_s(p);
	if (p->i >= p->n || p->t[p->i] != '=')
		return fail(p, p->i, "expected '=' after %s in the XML "
		    "declaration", name);
	p->i++;
	skip_s(p);
	q = p->i < p->n ? p->t[p->i] : '\0';
	if ((q != '"' && q != '\'') ||
	    (e = memchr(p->t + p->i + 1, q, p->n - p->i - 1)) == NULL)
		return fail(p, p->i, "%s in the XML declaration needs a "
		    "quoted value", name);
	*v = p->i + 1;
	*vlen = (size_t)(e - p->t) - *v;
	p->i = (size_t)(e - p->t) + 1;
	return 1;
}

static int
all_of(const char *s, size_t n, const char *set, size_t from)
{
	for (size_t i = from; i < n; i++)
		if (strchr(set, s[i]) == NULL)
			return 0;
	return 1;
}

#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/* <?xml version="1.x" encoding="..." standalone="..."?> at p->i. */
static int
xml_decl(struct px *p)
{
	size_t at = p->i, v, n;
	int r, blank;

	p->i += 5;
	skip_s(p);
	if ((r = decl_pair(p, "version", &v, &n)) <= 0)
		return r < 0 ? -1 : fail(p, p->i, "the XML declaration "
		    "needs version=\"1.0\" first");
	if (n < 2 || memcmp(p->t + v, "1.", 2) != 0 ||
	    !all_of(p->t + v, n, "0123456789", 2))
		return fail(p, v, "XML version \"%.*s\": only 1.x is XML 1.0",
		    (int)(n < 20 ? n : 20), p->t + v);
	blank = skip_s(p) > 0;
	if (blank && (r = decl_pair(p, "encoding", &v, &n)) != 0) {
		if (r < 0)
			return -1;
		if (n == 0 || strchr(ALNUM, p->t[v]) == NULL ||
		    p->t[v] <= '9' || !all_of(p->t + v, n, ALNUM "._-", 1))
			return fail(p, v, "bad encoding name in the XML "
			    "declaration");
		blank = skip_s(p) > 0;
	}
	if (blank && (r = decl_pair(p, "standalone", &v, &n)) != 0) {
		if (r < 0)
			return -1;
		if (!(n == 3 && memcmp(p->t + v, "yes", 3) == 0) &&
		    !(n == 2 && memcmp(p->t + v, "no", 2) == 0))
			return fail(p, v, "standalone must be \"yes\" or "
			    "\"no\"");
		skip_s(p);
	}
	if (!looking_at(p, "?>"))
		return fail(p, at, "the XML declaration is not closed with "
		    "\"?>\" (or holds something it may not)");
	p->i += 2;
	return 0;
}

/* Inside an element: until cur's end tag. */
static int
content(struct px *p, struct xnode *cur)
{
	struct xnode *n;
	int empty;

	while (cur != NULL) {
		if (chardata(p) != 0)
			return -1;
		if (p->i >= p->n)
			return fail(p, p->n, "the file ends inside <%s>",
			    cur->name);
		if (looking_at(p, "</")) {
			if (end_tag(p, cur) != 0)
				return -1;
			cur = cur->parent;
			p->depth--;
		} else if (looking_at(p, "<!--")) {
			if (comment(p) != 0)
				return -1;
		} else if (looking_at(p, "<![CDATA[")) {
			size_t at = p->i;

			if (skip_past(p, "]]>") != 0)
				return fail(p, at, "CDATA section not closed "
				    "with \"]]>\"");
		} else if (looking_at(p, "<?")) {
			if (pi(p) != 0)
				return -1;
		} else if (name_len(p, p->i + 1) == 0) {
			return fail(p, p->i, "'<' that starts no tag: write "
			    "&lt; for a literal '<'");
		} else {
			if (p->depth > XMLDOC_MAX_DEPTH)
				return fail(p, p->i, "elements nested too "
				    "deeply (more than %d open around one)",
				    XMLDOC_MAX_DEPTH);
			if ((n = start_tag(p, cur, &empty)) == NULL)
				return -1;
			if (!empty) {
				cur = n;
				p->depth++;
			}
		}
	}
	return 0;
}

static int
document(struct px *p)
{
	struct xnode *root;
	int empty;

	if (check_chars(p) != 0)
		return -1;
	if (looking_at(p, "\xef\xbb\xbf"))
		p->i = 3;
	if (looking_at(p, "<?xml") && p->n - p->i > 5 &&
	    is_s((unsigned char)p->t[p->i + 5]) && xml_decl(p) != 0)
		return -1;
	if (misc(p, "before") != 0)
		return -1;
	if (p->i >= p->n)
		return fail(p, p->n, "no root element");
	if (name_len(p, p->i + 1) == 0)
		return fail(p, p->i, "expected the root element's name after "
		    "'<'");
	if ((root = start_tag(p, NULL, &empty)) == NULL)
		return -1;
	p->d->root = root;
	p->depth = 1;
	if (!empty && content(p, root) != 0)
		return -1;
	if (misc(p, "after") != 0)
		return -1;
	if (p->i < p->n)
		return fail(p, p->i, "a second root element (a file has one)");
	return 0;
}

int
xdoc_parse(const char *text, size_t len, const struct xhooks *h,
    struct xdoc *d, size_t *at, char *why, size_t whylen)
{
	struct px p = {
		.t = text, .n = text != NULL ? len : 0, .d = d, .h = h,
		.at = at, .why = why, .whylen = whylen,
	};
	int rc;

	d->root = NULL;
	d->mem = NULL;
	rc = document(&p);
	free(p.att);
	buf_free(&p.val);
	if (rc != 0)
		xdoc_free(d);
	return rc;
}
