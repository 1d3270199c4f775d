/*
 * What iiscfg.c (queries, paths, the text of edits) and iiscfg-splice.c
 * (making an edit: the text, the tree and the spans) share.
 */
#ifndef NDESWIZ_IISCFG_PRIV_H
#define NDESWIZ_IISCFG_PRIV_H

#include "util.h"

#include <stddef.h>

#include "xmldoc.h"

/* Where an element's tags sit in the text, as byte offsets. */
struct span {
	size_t start;    /* '<' of the start tag */
	size_t stag_end; /* past the start tag */
	size_t etag;     /* '<' of the end tag; stag_end when empty */
	size_t end;      /* past the element */
	int empty;       /* written <name ... /> */
	struct xnode *node; /* NULL once the element is gone */
};

/*
 * One parse of one text, kept up to date by the edits: each element's
 * tag is its span index + 1. Spans are in document order after a
 * parse; an edit appends the spans of what it adds and leaves those of
 * what it removes dead (node NULL), so nothing may rely on their order.
 */
struct tree {
	struct xdoc doc; /* doc.root is <configuration> */
	struct span *spans;
	size_t nspans, cap;
};

struct iiscfg {
	char *name;
	char *text; /* NUL-terminated */
	size_t len, cap;
	struct tree t;
};

/* What an edit replaced, to go back to if a check fails. */
struct saved {
	size_t at;
	char *was; /* the bytes that were at [at, at + waslen) */
	size_t waslen;
	size_t inslen; /* what took their place */
};

/*
 * What a text edit does to the tree, so that only that part is parsed
 * again (iiscfg-splice.c). WHOLE parses the whole text.
 */
enum edit_kind {
	EDIT_WHOLE,
	EDIT_ATTR,   /* inside NODE's start tag */
	EDIT_INSERT, /* one new element under NODE, before NEXT (or last) */
	EDIT_REMOVE, /* NODE, without child elements, and the blanks before */
	EDIT_ELEM    /* anything inside NODE, which stays one element */
};

struct edit {
	enum edit_kind kind;
	struct xnode *node;
	struct xnode *next;
};

int iis_tree_parse(const char *name, const char *text, size_t len,
    struct tree *t, char *err, size_t errlen);
void iis_tree_free(struct tree *t);

/* A new zeroed span at the end of t's table: its index. */
size_t iis_span_new(struct tree *t);
/* Where the run of blanks that ends at off begins. */
size_t iis_ws_back(const char *t, size_t off);

static inline struct span *
iis_span_of(const struct tree *t, const struct xnode *n)
{
	return &t->spans[n->tag - 1];
}

int iis_splice(struct iiscfg *c, size_t a, size_t b, const struct buf *ins,
    const struct edit *ed, struct saved *old, char *err, size_t errlen);
void iis_drop_saved(struct saved *old);
void iis_revert(struct iiscfg *c, struct saved *old);

#endif
