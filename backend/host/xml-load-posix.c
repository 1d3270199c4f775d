/*
 * libxml2 through dlopen (see xml-load.h, dynload.h). Every libxml2
 * function iiscfg.c (and its unit test) calls is defined here, with the prototype libxml2's
 * headers declare, and forwards to libxml2.so.2; so is xmlFree, a
 * variable libxml2 exports, copied once the library is there. The
 * executable does not export these names, so libxml2's own calls and
 * its own xmlFree never land here.
 */
#include "xml-load.h"
#include "../dynload.h"
#include "../util.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

/* FN(name): one function of libxml2 this program calls. */
#define XML_FUNCTIONS(FN) \
	FN(xmlInitParser) FN(xmlCreateMemoryParserCtxt) \
	FN(xmlCtxtUseOptions) FN(xmlParseDocument) FN(xmlStopParser) \
	FN(xmlByteConsumed) FN(xmlFreeParserCtxt) FN(xmlFreeDoc) \
	FN(xmlDocGetRootElement) FN(xmlNodeListGetString) \
	FN(xmlSAX2StartElementNs) FN(xmlSAX2EndElementNs) \
	FN(xmlCleanupParser) FN(xmlDocCopyNode) FN(xmlAddChild) \
	FN(xmlAddPrevSibling) FN(xmlReplaceNode) FN(xmlUnlinkNode) \
	FN(xmlFreeNode) FN(xmlCopyPropList) FN(xmlFreePropList)

static struct {
	XML_FUNCTIONS(DYNLOAD_FIELD)
	xmlFreeFunc *xmlFree; /* libxml2's variable */
} fn;

static const struct dynsym syms[] = {
	XML_FUNCTIONS(DYNLOAD_SYM)
	{ "xmlFree", (void **)&fn.xmlFree },
};

/* What libxml2.h declares "extern": NULL until the library is loaded,
 * as nothing libxml2 allocated exists before. */
xmlFreeFunc xmlFree;

static void
loaded(void)
{
	xmlFree = *fn.xmlFree;
}

static struct dynlib lib = {
	.soname = "libxml2.so.2",
	.label = "libxml2",
	.package = "libxml2",
	.syms = syms,
	.nsyms = nitems(syms),
	.loaded = loaded,
};

int
xml_load(const char *what, char *err, size_t len)
{
	return dynlib_load(&lib, what, err, len);
}

DYNLOAD_FORWARD_VOID(xmlInitParser, (void), ())
DYNLOAD_FORWARD(xmlParserCtxtPtr, xmlCreateMemoryParserCtxt,
    (const char *buf, int size), (buf, size))
DYNLOAD_FORWARD(int, xmlCtxtUseOptions, (xmlParserCtxtPtr ctxt, int options),
    (ctxt, options))
DYNLOAD_FORWARD(int, xmlParseDocument, (xmlParserCtxtPtr ctxt), (ctxt))
DYNLOAD_FORWARD_VOID(xmlStopParser, (xmlParserCtxtPtr ctxt), (ctxt))
DYNLOAD_FORWARD(long, xmlByteConsumed, (xmlParserCtxtPtr ctxt), (ctxt))
DYNLOAD_FORWARD_VOID(xmlFreeParserCtxt, (xmlParserCtxtPtr ctxt), (ctxt))
DYNLOAD_FORWARD_VOID(xmlFreeDoc, (xmlDocPtr doc), (doc))
DYNLOAD_FORWARD(xmlNodePtr, xmlDocGetRootElement, (const xmlDoc *doc), (doc))
DYNLOAD_FORWARD(xmlChar *, xmlNodeListGetString,
    (xmlDocPtr doc, const xmlNode *list, int inLine), (doc, list, inLine))
DYNLOAD_FORWARD_VOID(xmlSAX2StartElementNs,
    (void *ctx, const xmlChar *local, const xmlChar *prefix,
	const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
	int ndef, const xmlChar **attrs),
    (ctx, local, prefix, uri, nns, ns, nattrs, ndef, attrs))
DYNLOAD_FORWARD_VOID(xmlSAX2EndElementNs,
    (void *ctx, const xmlChar *local, const xmlChar *prefix,
	const xmlChar *uri),
    (ctx, local, prefix, uri))
DYNLOAD_FORWARD_VOID(xmlCleanupParser, (void), ())
DYNLOAD_FORWARD(xmlNodePtr, xmlDocCopyNode,
    (xmlNodePtr node, xmlDocPtr doc, int recursive), (node, doc, recursive))
DYNLOAD_FORWARD(xmlNodePtr, xmlAddChild, (xmlNodePtr parent, xmlNodePtr cur),
    (parent, cur))
DYNLOAD_FORWARD(xmlNodePtr, xmlAddPrevSibling,
    (xmlNodePtr cur, xmlNodePtr elem), (cur, elem))
DYNLOAD_FORWARD(xmlNodePtr, xmlReplaceNode, (xmlNodePtr old, xmlNodePtr cur),
    (old, cur))
DYNLOAD_FORWARD_VOID(xmlUnlinkNode, (xmlNodePtr cur), (cur))
DYNLOAD_FORWARD_VOID(xmlFreeNode, (xmlNodePtr cur), (cur))
DYNLOAD_FORWARD(xmlAttrPtr, xmlCopyPropList,
    (xmlNodePtr target, xmlAttrPtr cur), (target, cur))
DYNLOAD_FORWARD_VOID(xmlFreePropList, (xmlAttrPtr cur), (cur))
