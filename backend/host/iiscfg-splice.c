/*
 * One edit of applicationHost.config: a byte range of the text replaced,
 * and the tree and its spans brought up to date.
 *
 * Parsing the whole text again after each edit proved the file still
 * well-formed, but cost a full parse per change: with 10k sites, the eight
 * IIS changes of the example made apply six times its plan. Here only the
 * part that changed is parsed, inside a <configuration> wrapper: the start
 * tag whose attribute changed, the new element, or the one element that
 * holds the whole edit. Its tree takes the place of that part of the
 * document's tree, and every offset after the edit moves by the change in
 * length. The rest of the text is untouched and was well-formed, and the
 * part sits where an element (or an attribute) may, so the file is
 * well-formed when the part is.
 *
 * Where that reasoning might not hold (nesting near the reader's depth
 * limit, a file near its size limit) or the part does not parse, the whole
 * text is parsed as before: that path also gives a refused edit its line
 * number. Namespaces cannot make a part read differently alone than in
 * place: the reader takes names as written (xmldoc.h).
 */
#include "iiscfg-priv.h"
#include "iiscfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char wrap_open[] = "<configuration>";
static const char wrap_close[] = "</configuration>";
#define WRAP_LEN (sizeof wrap_open - 1)

/* Below XMLDOC_MAX_DEPTH, where the whole parse gives the reason. */
#define DEPTH_MARGIN (XMLDOC_MAX_DEPTH - 56)

/* ---- the text ---------------------------------------------------------- */

/* Replace text[a, b) with ins; what was there goes to *old. */
static void
text_splice(struct iiscfg *c, size_t a, size_t b, const struct buf *ins,
    struct saved *old)
{
	size_t len = c->len - (b - a) + ins->len;

	old->at = a;
	old->waslen = b - a;
	old->was = xmalloc(old->waslen + 1);
	memcpy(old->was, c->text + a, old->waslen);
	old->inslen = ins->len;
	if (len + 1 > c->cap) {
		c->cap = len + 1 + len / 8;
		c->text = xrealloc(c->text, c->cap);
	}
	memmove(c->text + a + ins->len, c->text + b, c->len - b + 1);
	if (ins->len > 0)
		memcpy(c->text + a, ins->p, ins->len);
	c->len = len;
}

void
iis_drop_saved(struct saved *old)
{
	free(old->was);
	old->was = NULL;
}

/*
 * Put the old bytes back and parse the whole text: it parsed before, so
 * it parses again. A check after an edit failing is rare; this is the
 * simple way back, not the fast one.
 */
void
iis_revert(struct iiscfg *c, struct saved *old)
{
	struct buf was = { .p = old->was, .len = old->waslen };
	struct saved redo;
	struct tree t;
	char err[256];

	text_splice(c, old->at, old->at + old->inslen, &was, &redo);
	iis_drop_saved(&redo);
	iis_drop_saved(old);
	if (iis_tree_parse(c->name, c->text, c->len, &t, err,
	    sizeof err) != 0) {
		fprintf(stderr, "ndeswiz: %s: cannot read back the text "
		    "before a refused edit: %s\n", c->name, err);
		abort();
	}
	iis_tree_free(&c->t);
	c->t = t;
}

/* The whole text after the edit, parsed; nothing changes on failure. */
static int
splice_whole(struct iiscfg *c, size_t a, size_t b, const struct buf *ins,
    struct saved *old, char *err, size_t errlen)
{
	struct buf nt = {0};
	struct tree t;
	char perr[256];

	buf_add(&nt, c->text, a);
	buf_add(&nt, ins->p, ins->len);
	buf_add(&nt, c->text + b, c->len - b);
	if (iis_tree_parse(c->name, nt.p, nt.len, &t, perr,
	    sizeof perr) != 0) {
		snprintf(err, errlen, "refused: the edit would break %s",
		    perr);
		buf_free(&nt);
		return -1;
	}
	buf_free(&nt);
	text_splice(c, a, b, ins, old);
	iis_tree_free(&c->t);
	c->t = t;
	return 0;
}

/* ---- the part parsed on its own ---------------------------------------- */

static int
depth_below(const struct xnode *n)
{
	int d = 0, sub;

	for (const struct xnode *ch = n->children; ch != NULL; ch = ch->next)
		if ((sub = depth_below(ch)) > d)
			d = sub;
	return d + 1;
}

static int
depth_of(const struct xnode *n)
{
	int d = 0;

	for (; n != NULL; n = n->parent)
		d++;
	return d;
}

/*
 * Parse TEXT (the part's) wrapped in <configuration>; *part is its one
 * element. 0, or -1 when it does not parse, is not one element, or would
 * nest near the depth limit where AT is.
 */
static int
part_parse(const struct iiscfg *c, const struct buf *text,
    const struct xnode *at, struct tree *ft, struct xnode **part)
{
	struct buf w = {0};
	char err[256];
	int rc = -1;

	buf_adds(&w, wrap_open);
	buf_add(&w, text->p, text->len);
	buf_adds(&w, wrap_close);
	if (iis_tree_parse(c->name, w.p, w.len, ft, err, sizeof err) != 0) {
		buf_free(&w);
		return -1;
	}
	buf_free(&w);
	*part = ft->doc.root->children;
	if (*part != NULL && (*part)->next == NULL &&
	    depth_of(at) + depth_below(*part) < DEPTH_MARGIN)
		rc = 0;
	if (rc != 0)
		iis_tree_free(ft);
	return rc;
}

/* ---- spans ------------------------------------------------------------- */

/* N's span and those of the elements under it are gone. */
static void
spans_kill(struct tree *t, struct xnode *n)
{
	iis_span_of(t, n)->node = NULL;
	for (struct xnode *ch = n->children; ch != NULL; ch = ch->next)
		spans_kill(t, ch);
}

/*
 * text[a, b) became d bytes longer. A '<' (start, etag) at or after b
 * moves; a '>' edge (stag_end, end) moves when past a and at or after b,
 * so that what ends where an insertion begins stays put.
 */
static void
spans_shift(struct tree *t, size_t a, size_t b, ptrdiff_t d)
{
	size_t r = b > a ? b : a + 1;

	for (size_t i = 0; i < t->nspans; i++) {
		struct span *s = &t->spans[i];

		if (s->node == NULL)
			continue;
		if (s->start >= b)
			s->start += (size_t)d;
		/* An empty element's etag is its stag_end, a '>' edge. */
		if (s->empty ? s->etag >= r : s->etag >= b)
			s->etag += (size_t)d;
		if (s->stag_end >= r)
			s->stag_end += (size_t)d;
		if (s->end >= r)
			s->end += (size_t)d;
	}
}

/*
 * N, from the part's tree FT, now in the document: give it and the
 * elements under it spans, FT's moved by BASE - WRAP_LEN.
 */
static void
spans_graft(struct tree *t, const struct tree *ft, struct xnode *n,
    size_t base)
{
	const struct span *fs = iis_span_of(ft, n);
	size_t i = iis_span_new(t); /* before taking spans: it may move them */
	struct span *s = &t->spans[i];

	s->start = fs->start - WRAP_LEN + base;
	s->stag_end = fs->stag_end - WRAP_LEN + base;
	s->etag = fs->etag - WRAP_LEN + base;
	s->end = fs->end - WRAP_LEN + base;
	s->empty = fs->empty;
	s->node = n;
	for (struct xnode *ch = n->children; ch != NULL; ch = ch->next)
		spans_graft(t, ft, ch, base);
	n->tag = i + 1; /* after FT's span is read */
}

/* ---- the edits --------------------------------------------------------- */

/* The text of the part after the edit: text[from, a) ins text[b, to). */
static void
part_text(const struct iiscfg *c, size_t from, size_t to, size_t a,
    size_t b, const struct buf *ins, struct buf *out)
{
	buf_add(out, c->text + from, a - from);
	buf_add(out, ins->p, ins->len);
	buf_add(out, c->text + b, to - b);
}

/* The part's nodes become the document's; its spans are done with. */
static void
part_adopt(struct iiscfg *c, struct tree *ft)
{
	xdoc_adopt(&c->t.doc, &ft->doc);
	iis_tree_free(ft);
}

/* The start tag, closed as an empty element, gives N its attributes. */
static int
tree_attr(struct iiscfg *c, size_t a, size_t b, const struct buf *ins,
    struct xnode *n, struct saved *old)
{
	const struct span *sp = iis_span_of(&c->t, n);
	struct buf text = {0};
	struct tree ft;
	struct xnode *part;
	size_t close = sp->empty ? sp->stag_end : sp->stag_end - 1;

	if (a < sp->start || b >= close)
		return -1;
	part_text(c, sp->start, close, a, b, ins, &text);
	buf_adds(&text, sp->empty ? "" : "/>");
	if (part_parse(c, &text, n, &ft, &part) != 0) {
		buf_free(&text);
		return -1;
	}
	buf_free(&text);
	text_splice(c, a, b, ins, old);
	spans_shift(&c->t, a, b, (ptrdiff_t)ins->len - (ptrdiff_t)(b - a));
	n->attrs = part->attrs;
	n->nattrs = part->nattrs;
	part_adopt(c, &ft);
	return 0;
}

/*
 * The part's element, moved into the document, takes the place of N
 * (EDIT_ELEM) or goes under N before NEXT (EDIT_INSERT).
 */
static int
tree_graft(struct iiscfg *c, size_t a, size_t b, const struct buf *ins,
    const struct edit *ed, struct saved *old)
{
	struct buf text = {0};
	struct tree ft;
	struct xnode *part, *n = ed->node;
	size_t base;

	if (ed->kind == EDIT_ELEM) {
		const struct span *sp = iis_span_of(&c->t, n);

		if (a < sp->start || b > sp->end)
			return -1;
		base = sp->start;
		part_text(c, sp->start, sp->end, a, b, ins, &text);
	} else {
		if (a != b)
			return -1;
		base = a;
		buf_add(&text, ins->p, ins->len);
	}
	if (part_parse(c, &text, n, &ft, &part) != 0) {
		buf_free(&text);
		return -1;
	}
	buf_free(&text);
	if (ed->kind == EDIT_ELEM)
		spans_kill(&c->t, n);
	text_splice(c, a, b, ins, old);
	spans_shift(&c->t, a, b, (ptrdiff_t)ins->len - (ptrdiff_t)(b - a));
	spans_graft(&c->t, &ft, part, base);
	xnode_unlink(part);
	part_adopt(c, &ft);
	if (ed->kind == EDIT_INSERT) {
		if (ed->next != NULL)
			xnode_insert_before(ed->next, part);
		else
			xnode_append(n, part);
		return 0;
	}
	xnode_replace(n, part);
	if (n == c->t.doc.root)
		c->t.doc.root = part;
	return 0;
}

/* The element and the blanks before it go; nothing is parsed. */
static int
tree_remove(struct iiscfg *c, size_t a, size_t b, const struct buf *ins,
    struct xnode *n, struct saved *old)
{
	const struct span *sp = iis_span_of(&c->t, n);

	if (ins->len != 0 || b != sp->end || a > sp->start ||
	    iis_ws_back(c->text, sp->start) > a || n == c->t.doc.root ||
	    n->children != NULL)
		return -1;
	spans_kill(&c->t, n);
	text_splice(c, a, b, ins, old);
	spans_shift(&c->t, a, b, -(ptrdiff_t)(b - a));
	xnode_unlink(n); /* its memory goes with the document's */
	return 0;
}

/*
 * Replace text[a, b) with ins, as ED says the tree changes. On success
 * the old bytes go to *old, for iis_drop_saved() or iis_revert(); on
 * failure nothing changed.
 */
int
iis_splice(struct iiscfg *c, size_t a, size_t b, const struct buf *ins,
    const struct edit *ed, struct saved *old, char *err, size_t errlen)
{
	size_t len = c->len - (b - a) + ins->len;
	int rc = -1;

	/* Near the limit the whole parse says why the file is refused. */
	if (len < IISCFG_MAX_SIZE) {
		switch (ed->kind) {
		case EDIT_ATTR:
			rc = tree_attr(c, a, b, ins, ed->node, old);
			break;
		case EDIT_INSERT:
		case EDIT_ELEM:
			rc = tree_graft(c, a, b, ins, ed, old);
			break;
		case EDIT_REMOVE:
			rc = tree_remove(c, a, b, ins, ed->node, old);
			break;
		case EDIT_WHOLE:
			break;
		}
	}
	if (rc == 0)
		return 0;
	return splice_whole(c, a, b, ins, old, err, errlen);
}
