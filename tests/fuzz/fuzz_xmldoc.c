/*
 * The XML reader (backend/host/xmldoc.c) held to libxml2's verdict: what
 * one accepts the other must accept, and the two trees must hold the same
 * elements with the same attributes and decoded values. libxml2 is only
 * the oracle here; ndeswiz does not use it.
 *
 * Where the two differ on purpose, only ours is checked:
 * - a DOCTYPE: ours refuses every one, libxml2 reads DTDs;
 * - text that is not UTF-8 or holds a character XML does not allow
 *   (NUL among them): ours refuses it all, libxml2 lets some through in
 *   places it does not decode.
 * - namespaces: ours reads names as written; libxml2's namespace errors
 *   are mostly warnings (so both accept), but a prefix bound twice to one
 *   URI can make two attributes the same: with a declaration in the text
 *   (xmlns), libxml2 may refuse what ours accepts.
 * The trees are compared only when no name can hold a colon.
 */
#include "fuzz.h"

#include "utf.h"
#include "util.h"
#include "xmldoc.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

/* As ndeswiz read the file with libxml2 before: namespaces on. */
#define ORACLE_OPTIONS                                                     \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |       \
	    XML_PARSE_IGNORE_ENC)

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Every byte UTF-8, every character one XML allows. */
static int
xml_text(const uint8_t *s, size_t n)
{
	uint32_t c;
	size_t k;

	for (size_t i = 0; i < n; i += k) {
		if ((k = u8_decode(s + i, n - i, &c)) == 0)
			return 0;
		if (!(c == 0x9 || c == 0xA || c == 0xD ||
		    (c >= 0x20 && c <= 0xD7FF) ||
		    (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000))
			return 0;
	}
	return 1;
}

static int
holds(const uint8_t *s, size_t n, const char *what)
{
	size_t k = strlen(what);

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(s + i, what, k) == 0)
			return 1;
	return 0;
}

static void
same_node(const struct xnode *a, xmlNodePtr b)
{
	const struct xnode *ac;
	xmlNodePtr bc;
	xmlAttrPtr ba;
	size_t i = 0;

	FUZZ_CHECK(strcmp(a->name, (const char *)b->name) == 0,
	    "element <%s> here, <%s> in libxml2", a->name, b->name);
	for (ba = b->properties; ba != NULL; ba = ba->next, i++) {
		xmlChar *v = xmlNodeListGetString(b->doc, ba->children, 1);

		FUZZ_CHECK(i < a->nattrs, "<%s>: %zu attributes here, more in "
		    "libxml2", a->name, a->nattrs);
		FUZZ_CHECK(strcmp(a->attrs[i].name, (const char *)ba->name) ==
		    0, "<%s>: attribute %s here, %s in libxml2", a->name,
		    a->attrs[i].name, ba->name);
		FUZZ_CHECK(strcmp(a->attrs[i].value,
		    v != NULL ? (const char *)v : "") == 0,
		    "<%s %s>: value \"%s\" here, \"%s\" in libxml2", a->name,
		    a->attrs[i].name, a->attrs[i].value, v);
		xmlFree(v);
	}
	FUZZ_CHECK(i == a->nattrs, "<%s>: %zu attributes here, %zu in "
	    "libxml2", a->name, a->nattrs, i);
	ac = a->children;
	for (bc = b->children; bc != NULL; bc = bc->next) {
		if (bc->type != XML_ELEMENT_NODE)
			continue;
		FUZZ_CHECK(ac != NULL, "<%s>: fewer children here", a->name);
		FUZZ_CHECK(ac->parent == a, "<%s>: a child's parent is wrong",
		    a->name);
		same_node(ac, bc);
		ac = ac->next;
	}
	FUZZ_CHECK(ac == NULL, "<%s>: more children here", a->name);
}

/* The hooks see every element once, in order, within the text. */
struct seen {
	size_t n, last, len;
};

static void
on_start(void *arg, struct xnode *n, size_t start, size_t stag_end,
    int empty)
{
	struct seen *s = arg;

	(void)empty;
	FUZZ_CHECK(start >= s->last && stag_end > start && stag_end <= s->len,
	    "<%s>: start tag at %zu-%zu", n->name, start, stag_end);
	s->last = start;
	n->tag = ++s->n;
}

static void
on_end(void *arg, struct xnode *n, size_t etag, size_t end)
{
	struct seen *s = arg;

	FUZZ_CHECK(n->tag != 0 && etag <= end && end <= s->len,
	    "<%s>: end at %zu-%zu", n->name, etag, end);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct seen seen = { .len = size };
	struct xhooks h = { on_start, on_end, &seen };
	struct xdoc d;
	xmlDocPtr doc;
	char why[200];
	size_t at;
	int ours;

	if (!init) {
		xmlInitParser();
		xmlSetGenericErrorFunc(NULL, quiet);
		init = 1;
	}
	ours = xdoc_parse((const char *)data, size, &h, &d, &at, why,
	    sizeof why) == 0;
	FUZZ_CHECK(ours || (at <= size && why[0] != '\0'), "refused at %zu "
	    "of %zu without a reason", at, size);
	if (memchr(data, '\0', size) != NULL || !xml_text(data, size)) {
		FUZZ_CHECK(!ours, "accepted text that is not XML's");
		xdoc_free(&d);
		return 0;
	}
	doc = xmlReadMemory((const char *)data, (int)size, NULL, NULL,
	    ORACLE_OPTIONS);
	FUZZ_CHECK(ours == (doc != NULL) ||
	    (!ours && holds(data, size, "<!DOCTYPE")) ||
	    (ours && holds(data, size, "xmlns")), "%s here (%s at %zu), %s "
	    "by libxml2", ours ? "accepted" : "refused", ours ? "" : why,
	    ours ? 0 : at, doc != NULL ? "accepted" : "refused");
	if (ours && memchr(data, ':', size) == NULL)
		same_node(d.root, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	xdoc_free(&d);
	return 0;
}
