/*
 * A small XML 1.0 reader for applicationHost.config: the elements and
 * their attributes, and where each element's tags sit in the text.
 *
 * Why not libxml2: it was loaded (with ICU and libstdc++) by every command
 * that reads a target, and that load was a third of a plan's time; what
 * the IIS file needs is far less than libxml2 offers. This reader checks
 * well-formedness (XML 1.0, fifth edition: characters, names, tags,
 * attributes, references, comments, processing instructions, CDATA) but
 * keeps nothing besides elements and attributes; the text between them is
 * checked and dropped, as the editor takes whitespace from the text, never
 * from the tree. tests/fuzz/fuzz_xmldoc.c holds its verdict to libxml2's.
 *
 * Refused outright: a DOCTYPE (so DTDs and entities: only the five
 * predefined references and character references exist), text that is
 * not UTF-8, nesting deeper than XMLDOC_MAX_DEPTH. The encoding declaration
 * is read but not acted on: the text must be UTF-8 whatever it says.
 * Names are taken as written ("xdt:Transform"): no namespace processing,
 * so no part of a file reads differently because of a declaration
 * elsewhere in it.
 */
#ifndef NDESWIZ_XMLDOC_H
#define NDESWIZ_XMLDOC_H

#include <stddef.h>

/*
 * How many elements may be open around one being read: libxml2's default
 * limit, so that what parsed before still parses (the root is at 0).
 */
#define XMLDOC_MAX_DEPTH 256

struct xattr {
	const char *name;  /* as written */
	const char *value; /* decoded: references replaced, blanks folded */
};

struct xnode {
	const char *name; /* as written */
	struct xattr *attrs;
	size_t nattrs;
	struct xnode *parent, *children, *last, *prev, *next;
	size_t tag; /* the caller's: iiscfg keeps its span index + 1 here */
};

struct xchunk;

/* Nodes, names and values live in the document's chunks, freed at once. */
struct xdoc {
	struct xnode *root;
	struct xchunk *mem;
};

/*
 * Called for each element as its tags are read. START is its '<',
 * STAG_END is past its start tag's '>' ("/>" when EMPTY); ETAG is the '<'
 * of its end tag (STAG_END when empty) and END is past the element.
 */
struct xhooks {
	void (*start)(void *arg, struct xnode *n, size_t start,
	    size_t stag_end, int empty);
	void (*end)(void *arg, struct xnode *n, size_t etag, size_t end);
	void *arg;
};

/*
 * Parse text[0, len). 0, or -1 with *at the offset of the fault and WHY
 * what is wrong there (the document is then empty).
 */
int xdoc_parse(const char *text, size_t len, const struct xhooks *h,
    struct xdoc *d, size_t *at, char *why, size_t whylen);
void xdoc_free(struct xdoc *d);
/* FROM's nodes become INTO's, to be freed with it; FROM is left empty. */
void xdoc_adopt(struct xdoc *into, struct xdoc *from);

/* The first attribute named NAME, or NULL. */
const struct xattr *xnode_attr(const struct xnode *n, const char *name);
/* Take N out of its parent's children (N and its subtree stay). */
void xnode_unlink(struct xnode *n);
/* N, unlinked, as PARENT's last child, or as the sibling before NEXT. */
void xnode_append(struct xnode *parent, struct xnode *n);
void xnode_insert_before(struct xnode *next, struct xnode *n);
/* N, unlinked, in OLD's place; OLD is left unlinked. */
void xnode_replace(struct xnode *old, struct xnode *n);

#endif
