/*
 * applicationHost.config, read by xmldoc.c and edited by splicing the text.
 *
 * The project needs the file back byte for byte after an undo, so nothing
 * writes it out of a tree: the reader notes where each element's tags sit
 * in the text, the tree answers queries, and an edit replaces one byte
 * range; the part it changed is parsed again and the offsets after it
 * move (iiscfg-splice.c).
 * An edit that would not leave a well-formed file is refused.
 *
 * Whitespace, chosen so that removing what was created restores the text:
 *
 * - A new element goes after the last non-blank content of its parent,
 *   preceded by the line break and indentation of the parent's last child
 *   element (or the parent's own plus one indentation step).
 * - Removing an element removes it and the blank run just before it. As
 *   insertion happens right after a non-blank byte, that run is exactly
 *   what creation added.
 * - Giving a child to an empty element "<p a="1" />" opens it: the last
 *   space before "/>" goes ("<p a="1">"), the child follows, then P's own
 *   line break and indentation ("trail"), then "</p>". If there was no
 *   space before "/>" ("<p/>"), a space goes after the child instead.
 * - Removing the last child element looks at what is left between the
 *   tags: trail -> put the space back and close ("<p a="1" />"); a space
 *   and trail -> close as is ("<p/>"); n >= 2 spaces and trail -> drop two
 *   spaces. So an open element without child elements whose content is k
 *   spaces and trail gets two spaces after its first child, and comes back
 *   as it was. Those spaces end a line, where nobody sees them.
 */
#include "iiscfg.h"
#include "iiscfg-priv.h"
#include "util.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char empty_config[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<configuration />\r\n";

struct pred {
	char *attr;
	char *value;
};

struct cpath_step {
	char *name;
	struct pred *preds;
	size_t npreds;
};

struct cpath {
	const char *text; /* as given, for messages */
	char *loc;
	struct cpath_step *steps;
	size_t nsteps;
};

struct rawattr {
	size_t name, nlen; /* the name as written */
	size_t val, vlen;  /* between the quotes */
	char quote;
};

struct stag {
	size_t name_end;  /* past the element name */
	size_t attrs_end; /* past the last attribute's closing quote */
	struct rawattr *a;
	size_t n;
};

/* ---- text helpers ------------------------------------------------------ */

static int
is_ws(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static int
is_namestart(int ch)
{
	return isalpha(ch) || ch == '_' || ch == ':' || ch >= 0x80;
}

static int
is_namech(int ch)
{
	return is_namestart(ch) || isdigit(ch) || ch == '.' || ch == '-';
}

size_t
iis_ws_back(const char *t, size_t off)
{
	while (off > 0 && is_ws((unsigned char)t[off - 1]))
		off--;
	return off;
}

static size_t
line_of(const char *t, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++)
		if (t[i] == '\n')
			line++;
	return line;
}

/*
 * The line break and indentation in front of the tag at off: the break
 * ("\n" or "\r\n") starts at *nl, the indentation at *ind. 0 when the tag
 * does not begin a line.
 */
static int
lead(const char *t, size_t off, size_t *nl, size_t *ind)
{
	size_t i = off;

	while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
		i--;
	if (i == 0 || t[i - 1] != '\n')
		return 0;
	*ind = i--;
	if (i > 0 && t[i - 1] == '\r')
		i--;
	*nl = i;
	return 1;
}

/* The file's line break, from its first line; CRLF, as Windows, if none. */
static const char *
file_nl(const struct iiscfg *c)
{
	const char *lf = memchr(c->text, '\n', c->len);

	if (lf != NULL && lf > c->text && lf[-1] != '\r')
		return "\n";
	return "\r\n";
}

static void
esc_attr(struct buf *b, const char *v, char quote)
{
	for (; *v != '\0'; v++) {
		switch (*v) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, quote == '"' ? "&quot;" : "\"");
			break;
		case '\'':
			buf_adds(b, quote == '\'' ? "&apos;" : "'");
			break;
		/* Escaped, or the parser would fold them into spaces. */
		case '\t':
			buf_adds(b, "&#x9;");
			break;
		case '\n':
			buf_adds(b, "&#xA;");
			break;
		case '\r':
			buf_adds(b, "&#xD;");
			break;
		default:
			buf_addc(b, *v);
			break;
		}
	}
}

/* ---- parsing ----------------------------------------------------------- */

size_t
iis_span_new(struct tree *t)
{
	if (t->nspans == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->spans = xreallocarray(t->spans, t->cap, sizeof *t->spans);
	}
	memset(&t->spans[t->nspans], 0, sizeof *t->spans);
	return t->nspans++;
}

static void
on_start(void *arg, struct xnode *n, size_t start, size_t stag_end,
    int empty)
{
	struct tree *t = arg;
	size_t i = iis_span_new(t); /* before taking spans: it may move them */
	struct span *sp = &t->spans[i];

	sp->start = start;
	sp->stag_end = stag_end;
	sp->etag = stag_end;
	sp->empty = empty;
	sp->node = n;
	n->tag = t->nspans;
}

static void
on_end(void *arg, struct xnode *n, size_t etag, size_t end)
{
	struct span *sp = iis_span_of(arg, n);

	sp->etag = etag;
	sp->end = end;
}

void
iis_tree_free(struct tree *t)
{
	free(t->spans);
	xdoc_free(&t->doc);
	memset(t, 0, sizeof *t);
}

/* Refuse early what is not worth reading. */
static int
precheck(const char *name, const char *text, size_t len, char *err,
    size_t errlen)
{
	const char *nul;

	if (len == 0) {
		snprintf(err, errlen, "%s:1: empty file", name);
		return -1;
	}
	if (len > IISCFG_MAX_SIZE) {
		snprintf(err, errlen, "%s:1: too large (%zu bytes, at most %u)",
		    name, len, IISCFG_MAX_SIZE);
		return -1;
	}
	if ((nul = memchr(text, '\0', len)) != NULL) {
		snprintf(err, errlen,
		    "%s:%zu: NUL byte: binary data, or not UTF-8", name,
		    line_of(text, (size_t)(nul - text)));
		return -1;
	}
	return 0;
}

int
iis_tree_parse(const char *name, const char *text, size_t len, struct tree *t,
    char *err, size_t errlen)
{
	struct xhooks h = { on_start, on_end, t };
	char why[200];
	size_t at;

	memset(t, 0, sizeof *t);
	if (precheck(name, text, len, err, errlen) != 0)
		return -1;
	if (xdoc_parse(text, len, &h, &t->doc, &at, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s:%zu: %s", name, line_of(text, at),
		    why);
		iis_tree_free(t);
		return -1;
	}
	if (strcmp(t->doc.root->name, "configuration") != 0) {
		snprintf(err, errlen,
		    "%s:%zu: root element is <%s>, not <configuration>", name,
		    line_of(text, t->spans[0].start), t->doc.root->name);
		iis_tree_free(t);
		return -1;
	}
	return 0;
}

/* ---- the object -------------------------------------------------------- */

struct iiscfg *
iiscfg_parse(const char *name, const char *data, size_t len, char *err,
    size_t errlen)
{
	struct iiscfg *c;
	struct tree t;

	if (name == NULL)
		name = "applicationHost.config";
	if (data == NULL)
		len = 0;
	if (iis_tree_parse(name, data, len, &t, err, errlen) != 0)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->name = xstrdup(name);
	c->text = xstrndup(data, len);
	c->len = len;
	c->cap = len + 1;
	c->t = t;
	return c;
}

struct iiscfg *
iiscfg_new_empty(void)
{
	char err[1024];
	struct iiscfg *c = iiscfg_parse("applicationHost.config",
	    empty_config, sizeof empty_config - 1, err, sizeof err);

	/* The text is ours and well-formed: it cannot fail. */
	if (c == NULL) {
		fprintf(stderr, "ndeswiz: %s\n", err);
		exit(2);
	}
	return c;
}

void
iiscfg_free(struct iiscfg *c)
{
	if (c == NULL)
		return;
	free(c->text); /* before the tree: see tree_free */
	iis_tree_free(&c->t);
	free(c->name);
	free(c);
}

char *
iiscfg_format(const struct iiscfg *c, size_t *len)
{
	if (len != NULL)
		*len = c->len;
	return xstrndup(c->text, c->len);
}

/* ---- paths ------------------------------------------------------------- */

static void
path_free(struct cpath *p)
{
	for (size_t i = 0; i < p->nsteps; i++) {
		for (size_t j = 0; j < p->steps[i].npreds; j++) {
			free(p->steps[i].preds[j].attr);
			free(p->steps[i].preds[j].value);
		}
		free(p->steps[i].preds);
		free(p->steps[i].name);
	}
	free(p->steps);
	free(p->loc);
	memset(p, 0, sizeof *p);
}

static int
path_err(struct cpath *p, size_t at, const char *what, char *err,
    size_t errlen)
{
	snprintf(err, errlen, "bad path \"%s\": %s at offset %zu", p->text,
	    what, at);
	path_free(p);
	return -1;
}

/* Length of the XML name at s, 0 if there is none. */
static size_t
name_len(const char *s)
{
	size_t n = 0;

	if (!is_namestart((unsigned char)s[0]))
		return 0;
	while (is_namech((unsigned char)s[n]))
		n++;
	return n;
}

static char *
read_name(const char *s, size_t *i)
{
	size_t n = name_len(s + *i);

	if (n == 0)
		return NULL;
	*i += n;
	return xstrndup(s + *i - n, n);
}

/* One [@attr='value'], *i on its '['. */
static int
parse_pred(struct cpath *p, size_t *i, struct cpath_step *st, char *err,
    size_t errlen)
{
	const char *s = p->text;
	size_t open = *i, vstart;
	struct pred pr;
	char q;

	if (s[++*i] != '@')
		return path_err(p, *i, s[*i] == '\0' ?
		    "unbalanced '[' (no ']')" : "expected '@' after '['",
		    err, errlen);
	(*i)++;
	if ((pr.attr = read_name(s, i)) == NULL)
		return path_err(p, *i, s[*i] == '\0' ?
		    "unbalanced '[' (no ']')" : "empty or bad attribute name",
		    err, errlen);
	if (s[*i] != '=' || (s[*i + 1] != '\'' && s[*i + 1] != '"')) {
		free(pr.attr);
		return path_err(p, *i, s[*i] == '\0' ?
		    "unbalanced '[' (no ']')" : "expected ='value'", err,
		    errlen);
	}
	q = s[++*i];
	vstart = ++*i;
	while (s[*i] != '\0' && s[*i] != q)
		(*i)++;
	if (s[*i] == '\0') {
		free(pr.attr);
		return path_err(p, vstart - 1, "missing closing quote", err,
		    errlen);
	}
	if (s[*i + 1] != ']') {
		free(pr.attr);
		return path_err(p, open, "unbalanced '[' (no ']')", err,
		    errlen);
	}
	pr.value = xstrndup(s + vstart, *i - vstart);
	*i += 2;
	st->preds = xreallocarray(st->preds, st->npreds + 1,
	    sizeof *st->preds);
	st->preds[st->npreds++] = pr;
	return 0;
}

static int
parse_step(struct cpath *p, size_t *i, char *err, size_t errlen)
{
	const char *s = p->text;
	struct cpath_step *st;
	char what[64];

	p->steps = xreallocarray(p->steps, p->nsteps + 1, sizeof *p->steps);
	st = &p->steps[p->nsteps++];
	memset(st, 0, sizeof *st);
	if (s[*i] == '\0' || s[*i] == '/' || s[*i] == '[')
		return path_err(p, *i, "empty element name", err, errlen);
	if ((st->name = read_name(s, i)) == NULL) {
		snprintf(what, sizeof what, "bad character '%c' in a name",
		    s[*i]);
		return path_err(p, *i, what, err, errlen);
	}
	while (s[*i] == '[')
		if (parse_pred(p, i, st, err, errlen) != 0)
			return -1;
	if (s[*i] == ']')
		return path_err(p, *i, "unbalanced ']'", err, errlen);
	if (s[*i] != '\0' && s[*i] != '/') {
		snprintf(what, sizeof what, "unexpected '%c'", s[*i]);
		return path_err(p, *i, what, err, errlen);
	}
	return 0;
}

/* "LOCATION|a/b[@k='v']". On error, err and nothing to free. */
static int
path_parse(const char *text, struct cpath *p, char *err, size_t errlen)
{
	const char *bar;
	size_t i;

	memset(p, 0, sizeof *p);
	p->text = text != NULL ? text : "";
	if ((bar = strchr(p->text, '|')) == NULL)
		return path_err(p, strlen(p->text),
		    "no '|' between location and elements", err, errlen);
	p->loc = xstrndup(p->text, (size_t)(bar - p->text));
	i = (size_t)(bar - p->text) + 1;
	if (p->text[i] == '\0')
		return 0;
	for (;;) {
		if (parse_step(p, &i, err, errlen) != 0)
			return -1;
		if (p->text[i] == '\0')
			return 0;
		i++; /* '/' */
	}
}

/* ---- finding elements -------------------------------------------------- */

/* Compared in place: a predicate is tried on every sibling (10k sites). */
static int
attr_is(const struct xnode *n, const char *name, const char *value, int icase)
{
	const struct xattr *a = xnode_attr(n, name);

	if (a == NULL)
		return 0;
	return icase ? str_ieq(a->value, value) : strcmp(a->value, value) == 0;
}

static int
step_matches(struct xnode *n, const struct cpath_step *st)
{
	if (strcmp(n->name, st->name) != 0)
		return 0;
	for (size_t i = 0; i < st->npreds; i++)
		if (!attr_is(n, st->preds[i].attr, st->preds[i].value, 0))
			return 0;
	return 1;
}

/* How many children match (0, 1, or 2 for "more"); the first in *out. */
static int
find_step(struct xnode *parent, const struct cpath_step *st, struct xnode **out)
{
	int k = 0;

	for (struct xnode *n = parent->children; n != NULL && k < 2;
	    n = n->next) {
		if (step_matches(n, st)) {
			if (k++ == 0)
				*out = n;
		}
	}
	return k;
}

static int
find_location(struct xnode *root, const char *loc, struct xnode **out)
{
	int k = 0;

	for (struct xnode *n = root->children; n != NULL && k < 2; n = n->next) {
		if (strcmp(n->name, "location") == 0 &&
		    attr_is(n, "path", loc, 1)) {
			if (k++ == 0)
				*out = n;
		}
	}
	return k;
}

/* Follow the first depth steps: 1 found (*out), 0 absent, -1 ambiguous. */
static int
resolve(const struct tree *t, const struct cpath *p, size_t depth,
    struct xnode **out, char *err, size_t errlen)
{
	struct xnode *n = t->doc.root;

	if (p->loc[0] != '\0') {
		switch (find_location(t->doc.root, p->loc, &n)) {
		case 0:
			return 0;
		case 1:
			break;
		default:
			snprintf(err, errlen, "ambiguous path \"%s\": more "
			    "than one <location path=\"%s\">", p->text, p->loc);
			return -1;
		}
	}
	for (size_t i = 0; i < depth; i++) {
		switch (find_step(n, &p->steps[i], &n)) {
		case 0:
			return 0;
		case 1:
			break;
		default:
			snprintf(err, errlen, "ambiguous path \"%s\": more "
			    "than one element matches step %zu (%s)", p->text,
			    i + 1, p->steps[i].name);
			return -1;
		}
	}
	*out = n;
	return 1;
}

static int
lookup(const struct iiscfg *c, const char *path, struct xnode **out, char *err,
    size_t errlen)
{
	struct cpath p;
	int rc;

	if (path_parse(path, &p, err, errlen) != 0)
		return -1;
	rc = resolve(&c->t, &p, p.nsteps, out, err, errlen);
	path_free(&p);
	return rc;
}

static struct xnode *
last_elem_child(struct xnode *n)
{
	for (struct xnode *ch = n->last; ch != NULL; ch = ch->prev)
		return ch;
	return NULL;
}

static int
has_elem_child(struct xnode *n, struct xnode *except)
{
	for (struct xnode *ch = n->children; ch != NULL; ch = ch->next)
		if (ch != except)
			return 1;
	return 0;
}

int
iiscfg_elem_exists(const struct iiscfg *c, const char *path, char *err,
    size_t errlen)
{
	struct xnode *n;

	return lookup(c, path, &n, err, errlen);
}

int
iiscfg_elem_index(const struct iiscfg *c, const char *path, char *err,
    size_t errlen)
{
	struct xnode *n;
	int k = 0, rc;

	err[0] = '\0';
	if ((rc = lookup(c, path, &n, err, errlen)) != 1 || n->parent == NULL)
		return rc < 0 ? -2 : -1;
	for (struct xnode *ch = n->parent->children; ch != n; ch = ch->next)
		if (k < INT_MAX)
			k++;
	return k;
}

/* ---- creating and removing elements ------------------------------------ */

/*
 * The line break and indentation of the line the tag at off is on (the
 * file's line break on the first line).
 */
static void
add_line_lead(const struct iiscfg *c, size_t off, struct buf *b)
{
	const char *t = c->text;
	size_t nl, ind, end;

	if (lead(t, off, &nl, &ind)) {
		buf_add(b, t + nl, off - nl);
		return;
	}
	for (ind = off; ind > 0 && t[ind - 1] != '\n'; ind--)
		;
	if (ind == 0)
		buf_adds(b, file_nl(c));
	else {
		nl = ind - 1;
		if (nl > 0 && t[nl - 1] == '\r')
			nl--;
		buf_add(b, t + nl, ind - nl);
	}
	for (end = ind; end < off && (t[end] == ' ' || t[end] == '\t'); end++)
		;
	buf_add(b, t + ind, end - ind);
}

/* P's line break and indentation: what comes back before its "</p>". */
static void
add_trail(const struct iiscfg *c, struct xnode *p, struct buf *b)
{
	add_line_lead(c, iis_span_of(&c->t, p)->start, b);
}

/*
 * One indentation step: what P adds to its parent's indentation, else what
 * the first indented child of <configuration> uses, else four spaces (IIS).
 */
static void
add_unit(const struct iiscfg *c, struct xnode *p, struct buf *b)
{
	const char *t = c->text;
	struct xnode *q = p->parent;
	size_t pnl, pind, qnl, qind, plen, qlen;
	const struct span *sp = iis_span_of(&c->t, p), *sq;

	if (q != NULL &&
	    lead(t, sp->start, &pnl, &pind)) {
		sq = iis_span_of(&c->t, q);
		if (lead(t, sq->start, &qnl, &qind)) {
			plen = sp->start - pind;
			qlen = sq->start - qind;
			if (plen > qlen &&
			    memcmp(t + pind, t + qind, qlen) == 0) {
				buf_add(b, t + pind + qlen, plen - qlen);
				return;
			}
		}
	}
	for (q = c->t.doc.root->children; q != NULL; q = q->next) {
		sq = iis_span_of(&c->t, q);
		if (lead(t, sq->start, &qnl, &qind) && sq->start > qind) {
			buf_add(b, t + qind, sq->start - qind);
			return;
		}
	}
	buf_adds(b, "    ");
}

/* Line break and indentation for a first child of P. */
static void
add_child_lead(const struct iiscfg *c, struct xnode *p, struct buf *b)
{
	add_trail(c, p, b);
	add_unit(c, p, b);
}

/* Content "k spaces + trail": k, else -1. */
static int
trail_level(const char *r, size_t n, const struct buf *trail)
{
	size_t k = 0;

	while (k < n && r[k] == ' ')
		k++;
	if (n - k != trail->len || memcmp(r + k, trail->p, trail->len) != 0 ||
	    k > INT_MAX)
		return -1;
	return (int)k;
}

/* "<p a="1" />" becomes "<p a="1">", the child, trail, "</p>". */
static int
add_to_empty(struct iiscfg *c, struct xnode *p, const char *tag,
    struct saved *old, char *err, size_t errlen)
{
	const struct span *sp = iis_span_of(&c->t, p);
	const char *t = c->text;
	size_t head = sp->stag_end - 2, name_end = sp->start + 1;
	int space = t[head - 1] == ' ';
	struct buf b = {0};
	int rc;

	while (is_namech((unsigned char)t[name_end]))
		name_end++;
	buf_add(&b, t + sp->start, head - sp->start - (space ? 1 : 0));
	buf_addc(&b, '>');
	add_child_lead(c, p, &b);
	buf_adds(&b, tag);
	if (!space)
		buf_addc(&b, ' ');
	add_trail(c, p, &b);
	buf_adds(&b, "</");
	buf_add(&b, t + sp->start + 1, name_end - sp->start - 1);
	buf_addc(&b, '>');
	rc = iis_splice(c, sp->start, sp->end, &b,
	    &(struct edit){ EDIT_ELEM, p, NULL }, old, err, errlen);
	buf_free(&b);
	return rc;
}

/* The k-th child element of n (from 0), NULL when it has fewer. */
static struct xnode *
nth_elem_child(struct xnode *n, size_t k)
{
	for (struct xnode *ch = n->children; ch != NULL; ch = ch->next)
		if (k-- == 0)
			return ch;
	return NULL;
}

/*
 * TAG right before the sibling NEXT, with the blanks NEXT has in front:
 * the inverse of remove_elem on an element that was not the last child.
 */
static int
add_before(struct iiscfg *c, struct xnode *next, const char *tag,
    struct saved *old, char *err, size_t errlen)
{
	const struct span *ns = iis_span_of(&c->t, next);
	size_t r = iis_ws_back(c->text, ns->start);
	struct buf b = {0};
	int rc;

	buf_add(&b, c->text + r, ns->start - r);
	buf_adds(&b, tag);
	rc = iis_splice(c, r, r, &b,
	    &(struct edit){ EDIT_INSERT, next->parent, next }, old, err,
	    errlen);
	buf_free(&b);
	return rc;
}

static int
add_child(struct iiscfg *c, struct xnode *p, const char *tag, struct saved *old,
    char *err, size_t errlen)
{
	const struct span *sp = iis_span_of(&c->t, p), *ls;
	const char *t = c->text;
	struct xnode *last = last_elem_child(p);
	struct buf b = {0}, trail = {0};
	size_t q = iis_ws_back(t, sp->etag), nl, ind, r;
	int rc;

	if (sp->empty)
		return add_to_empty(c, p, tag, old, err, errlen);
	if (last != NULL) {
		ls = iis_span_of(&c->t, last);
		r = lead(t, ls->start, &nl, &ind) ? nl : iis_ws_back(t, ls->start);
		buf_add(&b, t + r, ls->start - r);
		buf_adds(&b, tag);
	} else {
		add_child_lead(c, p, &b);
		buf_adds(&b, tag);
		add_trail(c, p, &trail);
		/* Else removing the child would close P as "<p />". */
		if (q == sp->stag_end && trail_level(t + sp->stag_end,
		    sp->etag - sp->stag_end, &trail) >= 0)
			buf_adds(&b, "  ");
		buf_free(&trail);
	}
	rc = iis_splice(c, q, q, &b, &(struct edit){ EDIT_INSERT, p, NULL },
	    old, err, errlen);
	buf_free(&b);
	return rc;
}

/* Remove E and the blanks before it; undo what add_child did to P. */
static int
remove_elem(struct iiscfg *c, struct xnode *e, struct saved *old, char *err,
    size_t errlen)
{
	const struct span *es = iis_span_of(&c->t, e), *ps;
	const char *t = c->text;
	struct xnode *p = e->parent;
	size_t a = iis_ws_back(t, es->start);
	struct buf rest = {0}, trail = {0}, b = {0};
	int level = -1, rc;
	struct edit elem = { EDIT_ELEM, p, NULL };

	if (!has_elem_child(p, e)) {
		ps = iis_span_of(&c->t, p);
		buf_add(&rest, t + ps->stag_end, a - ps->stag_end);
		buf_add(&rest, t + es->end, ps->etag - es->end);
		add_trail(c, p, &trail);
		level = trail_level(rest.p, rest.len, &trail);
	}
	if (level == 0 || level == 1) {
		buf_adds(&b, level == 0 ? " />" : "/>");
		rc = iis_splice(c, ps->stag_end - 1, ps->end, &b, &elem, old,
		    err, errlen);
	} else if (level >= 2) {
		buf_add(&b, rest.p + 2, rest.len - 2);
		rc = iis_splice(c, ps->stag_end, ps->etag, &b, &elem, old,
		    err, errlen);
	} else
		rc = iis_splice(c, a, es->end, &b,
		    &(struct edit){ EDIT_REMOVE, e, NULL }, old, err, errlen);
	buf_free(&rest);
	buf_free(&trail);
	buf_free(&b);
	return rc;
}

/* "<name a="1" b="2" />" from the last step, or a <location>. */
static int
new_tag(const struct cpath *p, struct buf *b, char *err, size_t errlen)
{
	const struct cpath_step *st;

	if (p->nsteps == 0) {
		buf_adds(b, "<location path=\"");
		esc_attr(b, p->loc, '"');
		buf_adds(b, "\" />");
		return 0;
	}
	st = &p->steps[p->nsteps - 1];
	buf_addf(b, "<%s", st->name);
	for (size_t i = 0; i < st->npreds; i++) {
		for (size_t j = 0; j < i; j++) {
			if (strcmp(st->preds[i].attr, st->preds[j].attr) == 0) {
				snprintf(err, errlen, "cannot create \"%s\": "
				    "attribute %s given twice", p->text,
				    st->preds[i].attr);
				return -1;
			}
		}
		buf_addf(b, " %s=\"", st->preds[i].attr);
		esc_attr(b, st->preds[i].value, '"');
		buf_addc(b, '"');
	}
	buf_adds(b, " />");
	return 0;
}

/* The parent of the element path names, which must not exist yet. */
static int
create_parent(const struct iiscfg *c, const struct cpath *p,
    struct xnode **parent, char *err, size_t errlen)
{
	struct xnode *n;
	int k;

	if (p->nsteps == 0) {
		if (p->loc[0] == '\0') {
			snprintf(err, errlen, "<configuration> always exists");
			return -1;
		}
		*parent = c->t.doc.root;
		k = find_location(c->t.doc.root, p->loc, &n);
	} else {
		k = resolve(&c->t, p, p->nsteps - 1, parent, err, errlen);
		if (k < 0)
			return -1;
		if (k == 0) {
			snprintf(err, errlen, "cannot create \"%s\": its "
			    "parent does not exist", p->text);
			return -1;
		}
		k = find_step(*parent, &p->steps[p->nsteps - 1], &n);
	}
	if (k != 0) {
		snprintf(err, errlen, "cannot create \"%s\": it %s", p->text,
		    k == 1 ? "already exists" : "is ambiguous");
		return -1;
	}
	return 0;
}

int
iiscfg_elem_create(struct iiscfg *c, const char *path, char *err,
    size_t errlen)
{
	return iiscfg_elem_create_at(c, path, (size_t)-1, err, errlen);
}

int
iiscfg_elem_create_at(struct iiscfg *c, const char *path, size_t index,
    char *err, size_t errlen)
{
	struct cpath p;
	struct buf tag = {0};
	struct saved old;
	struct xnode *parent, *n, *next = NULL;
	int rc = -1;

	if (path_parse(path, &p, err, errlen) != 0)
		return -1;
	if (create_parent(c, &p, &parent, err, errlen) != 0 ||
	    new_tag(&p, &tag, err, errlen) != 0)
		goto out;
	if (index != (size_t)-1)
		next = nth_elem_child(parent, index);
	if ((next != NULL ? add_before(c, next, tag.p, &old, err, errlen) :
	    add_child(c, parent, tag.p, &old, err, errlen)) != 0)
		goto out;
	if (resolve(&c->t, &p, p.nsteps, &n, err, errlen) != 1) {
		snprintf(err, errlen, "cannot create \"%s\": the new element "
		    "does not match the path", p.text);
		iis_revert(c, &old);
		goto out;
	}
	iis_drop_saved(&old);
	rc = 0;
out:
	buf_free(&tag);
	path_free(&p);
	return rc;
}

int
iiscfg_elem_remove(struct iiscfg *c, const char *path, char *err,
    size_t errlen)
{
	struct saved old;
	struct xnode *n;
	int rc;

	if ((rc = lookup(c, path, &n, err, errlen)) <= 0) {
		if (rc == 0)
			snprintf(err, errlen, "cannot remove \"%s\": no such "
			    "element", path);
		return -1;
	}
	if (n == c->t.doc.root) {
		snprintf(err, errlen, "cannot remove <configuration>");
		return -1;
	}
	if (has_elem_child(n, NULL)) {
		snprintf(err, errlen, "cannot remove \"%s\": it has child "
		    "elements (remove them first)", path);
		return -1;
	}
	if (remove_elem(c, n, &old, err, errlen) != 0)
		return -1;
	if (lookup(c, path, &n, err, errlen) != 0) {
		snprintf(err, errlen, "cannot remove \"%s\": it is still "
		    "there", path);
		iis_revert(c, &old);
		return -1;
	}
	iis_drop_saved(&old);
	return 0;
}

/* ---- attributes -------------------------------------------------------- */

static void
stag_free(struct stag *st)
{
	free(st->a);
	memset(st, 0, sizeof *st);
}

static size_t
skip_ws(const char *t, size_t i, size_t end)
{
	while (i < end && is_ws((unsigned char)t[i]))
		i++;
	return i;
}

/* One name="value" at *i; the reader has checked the tag is well-formed. */
static int
scan_attr(const char *t, size_t *i, size_t end, struct rawattr *ra)
{
	ra->name = *i;
	while (*i < end && is_namech((unsigned char)t[*i]))
		(*i)++;
	ra->nlen = *i - ra->name;
	*i = skip_ws(t, *i, end);
	if (ra->nlen == 0 || *i >= end || t[*i] != '=')
		return -1;
	*i = skip_ws(t, *i + 1, end);
	if (*i >= end || (t[*i] != '"' && t[*i] != '\''))
		return -1;
	ra->quote = t[(*i)++];
	ra->val = *i;
	while (*i < end && t[*i] != ra->quote)
		(*i)++;
	if (*i >= end)
		return -1;
	ra->vlen = (*i)++ - ra->val;
	return 0;
}

/* Where the attributes of a start tag are written. */
static int
stag_scan(const char *t, const struct span *sp, struct stag *st)
{
	size_t i = sp->start + 1, end = sp->stag_end;
	struct rawattr ra;

	memset(st, 0, sizeof *st);
	while (i < end && is_namech((unsigned char)t[i]))
		i++;
	st->name_end = st->attrs_end = i;
	for (;;) {
		i = skip_ws(t, i, end);
		if (i >= end)
			break;
		if (t[i] == '>' || t[i] == '/')
			return 0;
		if (scan_attr(t, &i, end, &ra) != 0)
			break;
		st->a = xreallocarray(st->a, st->n + 1, sizeof *st->a);
		st->a[st->n++] = ra;
		st->attrs_end = i;
	}
	stag_free(st);
	return -1;
}

static const struct rawattr *
stag_find(const char *t, const struct stag *st, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < st->n; i++)
		if (st->a[i].nlen == n &&
		    memcmp(t + st->a[i].name, name, n) == 0)
			return &st->a[i];
	return NULL;
}

static int
check_attr_name(const char *attr, char *err, size_t errlen)
{
	if (attr == NULL || name_len(attr) == 0 ||
	    attr[name_len(attr)] != '\0') {
		snprintf(err, errlen, "bad attribute name \"%s\"",
		    attr != NULL ? attr : "");
		return -1;
	}
	if (strncmp(attr, "xmlns", 5) == 0 &&
	    (attr[5] == '\0' || attr[5] == ':')) {
		snprintf(err, errlen, "will not edit namespace declarations");
		return -1;
	}
	return 0;
}

static int
check_value(const char *v, char *err, size_t errlen)
{
	for (const unsigned char *s = (const unsigned char *)v; *s; s++) {
		if (*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r') {
			snprintf(err, errlen, "value holds control character "
			    "0x%02x, which XML cannot hold", *s);
			return -1;
		}
	}
	return 0;
}

/* A raw value must not end its quotes early or open a tag. */
static int
check_raw(const char *raw, char quote, char *err, size_t errlen)
{
	if (strchr(raw, quote) != NULL || strchr(raw, '<') != NULL) {
		snprintf(err, errlen, "raw value holds '%c' or '<'", quote);
		return -1;
	}
	return 0;
}

static char *
raw_value(const struct iiscfg *c, struct xnode *n, const char *attr)
{
	struct stag st;
	const struct rawattr *ra;
	char *v = NULL;

	if (stag_scan(c->text, iis_span_of(&c->t, n), &st) != 0)
		return NULL;
	if ((ra = stag_find(c->text, &st, attr)) != NULL)
		v = xstrndup(c->text + ra->val, ra->vlen);
	stag_free(&st);
	return v;
}

static char *
value_of(const struct iiscfg *c, struct xnode *n, const char *attr, int raw)
{
	const struct xattr *a;

	if (raw)
		return raw_value(c, n, attr);
	return (a = xnode_attr(n, attr)) != NULL ? xstrdup(a->value) : NULL;
}

/* The element that now starts where n started. */
static struct xnode *
node_at(const struct tree *t, size_t start)
{
	for (size_t i = 0; i < t->nspans; i++)
		if (t->spans[i].start == start && t->spans[i].node != NULL)
			return t->spans[i].node;
	return NULL;
}

/* The text of an attribute write: into b, replacing text[*a, *z). */
static int
attr_text(const struct iiscfg *c, const struct stag *st, const char *attr,
    const char *value, int raw, struct buf *b, size_t *a, size_t *z,
    char *err, size_t errlen)
{
	const struct rawattr *ra = stag_find(c->text, st, attr);
	char quote = ra != NULL ? ra->quote : '"';

	if (value == NULL) {
		if (ra == NULL) {
			snprintf(err, errlen, "no attribute %s to remove", attr);
			return -1;
		}
		*a = iis_ws_back(c->text, ra->name);
		*z = ra->val + ra->vlen + 1;
		return 0;
	}
	if (raw && check_raw(value, quote, err, errlen) != 0)
		return -1;
	if (ra != NULL) {
		*a = ra->val;
		*z = ra->val + ra->vlen;
	} else {
		*a = *z = st->attrs_end;
		buf_addf(b, " %s=\"", attr);
	}
	if (raw)
		buf_adds(b, value);
	else
		esc_attr(b, value, quote);
	if (ra == NULL)
		buf_addc(b, '"');
	return 0;
}

static int
edit_attr(struct iiscfg *c, struct xnode *n, const char *attr,
    const char *value, int raw, struct saved *old, char *err, size_t errlen)
{
	struct stag st;
	struct buf b = {0};
	size_t a, z;
	int rc;

	if (stag_scan(c->text, iis_span_of(&c->t, n), &st) != 0 ||
	    (stag_find(c->text, &st, attr) == NULL) !=
	    (xnode_attr(n, attr) == NULL)) {
		snprintf(err, errlen, "cannot read the start tag of <%s>",
		    n->name);
		return -1;
	}
	rc = attr_text(c, &st, attr, value, raw, &b, &a, &z, err, errlen);
	if (rc == 0)
		rc = iis_splice(c, a, z, &b, &(struct edit){ EDIT_ATTR, n, NULL },
		    old, err, errlen);
	buf_free(&b);
	stag_free(&st);
	return rc;
}

static int
set_attr(struct iiscfg *c, const char *path, const char *attr,
    const char *value, int raw, char *err, size_t errlen)
{
	struct saved old;
	struct xnode *n;
	size_t start;
	char *cur;
	int rc, same;

	if (check_attr_name(attr, err, errlen) != 0 ||
	    (value != NULL && check_value(value, err, errlen) != 0))
		return -1;
	if ((rc = lookup(c, path, &n, err, errlen)) <= 0) {
		if (rc == 0)
			snprintf(err, errlen, "cannot set %s: no element "
			    "\"%s\"", attr, path);
		return -1;
	}
	cur = value_of(c, n, attr, raw);
	same = str_eq(cur, value);
	free(cur);
	if (same)
		return 0;
	start = iis_span_of(&c->t, n)->start;
	if (edit_attr(c, n, attr, value, raw, &old, err, errlen) != 0)
		return -1;
	/* Read it back: the edit must have hit that attribute and no other. */
	n = node_at(&c->t, start);
	cur = n != NULL ? value_of(c, n, attr, raw) : NULL;
	same = n != NULL && str_eq(cur, value);
	free(cur);
	if (!same) {
		snprintf(err, errlen, "cannot set %s on \"%s\": the value "
		    "does not read back", attr, path);
		iis_revert(c, &old);
		return -1;
	}
	iis_drop_saved(&old);
	return 0;
}

int
iiscfg_attr_set(struct iiscfg *c, const char *path, const char *attr,
    const char *value, char *err, size_t errlen)
{
	return set_attr(c, path, attr, value, 0, err, errlen);
}

int
iiscfg_attr_set_raw(struct iiscfg *c, const char *path, const char *attr,
    const char *raw, char *err, size_t errlen)
{
	return set_attr(c, path, attr, raw, 1, err, errlen);
}

char *
iiscfg_attr_get(const struct iiscfg *c, const char *path, const char *attr)
{
	char err[256];
	struct xnode *n;

	if (attr == NULL || lookup(c, path, &n, err, sizeof err) != 1)
		return NULL;
	return value_of(c, n, attr, 0);
}

char *
iiscfg_attr_get_raw(const struct iiscfg *c, const char *path,
    const char *attr)
{
	char err[256];
	struct xnode *n;

	if (attr == NULL || lookup(c, path, &n, err, sizeof err) != 1)
		return NULL;
	return value_of(c, n, attr, 1);
}

/* ---- children ---------------------------------------------------------- */

static void
add_pred(struct buf *b, const struct pred *pr)
{
	char q = strchr(pr->value, '\'') != NULL ? '"' : '\'';

	buf_addf(b, "[@%s=%c%s%c]", pr->attr, q, pr->value, q);
}

/*
 * A step naming ch among its siblings: the name, then its attributes in
 * order until no sibling shares them all. A value holding both kinds of
 * quote cannot be written in a path and is left out.
 */
static char *
child_step(struct xnode *parent, struct xnode *ch)
{
	struct cpath_step st = {0};
	struct buf b = {0};
	struct pred *pr;
	struct xnode *first;

	st.name = xstrdup(ch->name);
	for (size_t i = 0; i < ch->nattrs &&
	    find_step(parent, &st, &first) > 1; i++) {
		st.preds = xreallocarray(st.preds, st.npreds + 1,
		    sizeof *st.preds);
		pr = &st.preds[st.npreds++];
		pr->attr = xstrdup(ch->attrs[i].name);
		pr->value = xstrdup(ch->attrs[i].value);
		if (strchr(pr->value, '\'') != NULL &&
		    strchr(pr->value, '"') != NULL) {
			free(pr->attr);
			free(pr->value);
			st.npreds--;
		}
	}
	buf_adds(&b, st.name);
	for (size_t i = 0; i < st.npreds; i++) {
		add_pred(&b, &st.preds[i]);
		free(st.preds[i].attr);
		free(st.preds[i].value);
	}
	free(st.preds);
	free(st.name);
	return buf_steal(&b);
}

/* A <location> under <configuration> as "LOCATION|", if that names it. */
static char *
location_path(struct xnode *root, struct xnode *ch)
{
	const struct xattr *a;
	struct xnode *n;
	char *v, *s = NULL;

	if (strcmp(ch->name, "location") != 0 ||
	    (a = xnode_attr(ch, "path")) == NULL)
		return NULL;
	v = xstrdup(a->value);
	if (v[0] != '\0' && strchr(v, '|') == NULL &&
	    find_location(root, v, &n) == 1)
		s = xasprintf("%s|", v);
	free(v);
	return s;
}

char **
iiscfg_children(const struct iiscfg *c, const char *path, size_t *n)
{
	struct cpath p;
	char err[256], **v = NULL, *step, *s;
	struct xnode *node;
	int top;

	*n = 0;
	if (path_parse(path, &p, err, sizeof err) != 0)
		return NULL;
	if (resolve(&c->t, &p, p.nsteps, &node, err, sizeof err) != 1) {
		path_free(&p);
		return NULL;
	}
	top = p.loc[0] == '\0' && p.nsteps == 0;
	v = xcalloc(1, sizeof *v);
	for (struct xnode *ch = node->children; ch != NULL; ch = ch->next) {
		s = top ? location_path(node, ch) : NULL;
		if (s == NULL) {
			step = child_step(node, ch);
			s = xasprintf("%s%s%s", path, p.nsteps ? "/" : "",
			    step);
			free(step);
		}
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = s;
	}
	path_free(&p);
	return v;
}
