/*
 * The XML reader: what XML 1.0 allows is read, with the elements, their
 * decoded attributes and their tags' offsets; what it forbids is refused
 * at the byte that breaks it, with a reason. tests/fuzz/fuzz_xmldoc.c
 * holds the verdicts to libxml2's; these pin the ones the wizard's
 * messages rely on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xmldoc.h"

/* The tree as text: name(attr=value,...)[children], for comparing. */
static void
show(const struct xnode *n, struct buf *b)
{
	buf_adds(b, n->name);
	if (n->nattrs > 0) {
		buf_addc(b, '(');
		for (size_t i = 0; i < n->nattrs; i++)
			buf_addf(b, "%s%s=%s", i ? "," : "", n->attrs[i].name,
			    n->attrs[i].value);
		buf_addc(b, ')');
	}
	if (n->children != NULL) {
		buf_addc(b, '[');
		for (const struct xnode *c = n->children; c; c = c->next) {
			assert_ptr_equal(c->parent, n);
			show(c, b);
			if (c->next != NULL)
				buf_addc(b, ' ');
		}
		buf_addc(b, ']');
	}
}

static char *
read_tree(const char *text)
{
	struct xdoc d;
	struct buf b = {0};
	char why[200] = "";
	size_t at = 0;

	if (xdoc_parse(text, strlen(text), NULL, &d, &at, why,
	    sizeof why) != 0)
		fail_msg("refused at %zu: %s\n%s", at, why, text);
	show(d.root, &b);
	xdoc_free(&d);
	return buf_steal(&b);
}

static void
test_accepted(void **state)
{
	static const char *docs[][2] = {
		{"<a/>", "a"},
		{"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
		 "<a x='1' y=\"2\" ></a >", "a(x=1,y=2)"},
		{"<?xml version='1.1' standalone='no'?><a/>", "a"},
		{"<!-- c --><?pi x?><a><!----><?q?><b/>t&amp;<![CDATA[<&]]>"
		 "<c><d/></c></a><!-- end -->\n", "a[b c[d]]"},
		/* References decoded, blanks folded, CRLF one blank. */
		{"<a v=\"&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x20AC;\" "
		 "w=\"1\r\n2\t3\n4\" z=\"&#9;&#xA;\"/>",
		 "a(v=<>&'\"AB\xe2\x82\xac,w=1 2 3 4,z=\t\n)"},
		{"<\xc3\xa9l\xc2\xb7 \xc3\xa9=\"\xe2\x82\xac\"/>",
		 "\xc3\xa9l\xc2\xb7(\xc3\xa9=\xe2\x82\xac)"},
		{"<a xdt:b=\"1\" xmlns:xdt=\"u\"><x:y/></a>",
		 "a(xdt:b=1,xmlns:xdt=u)[x:y]"},
		{"<a v='>'/>", "a(v=>)"},
	};
	char *got;

	(void)state;
	for (size_t i = 0; i < nitems(docs); i++) {
		got = read_tree(docs[i][0]);
		if (strcmp(got, docs[i][1]) != 0)
			fail_msg("doc %zu: %s, not %s", i, got, docs[i][1]);
		free(got);
	}
}

struct refusal {
	const char *text;
	size_t at;       /* where the fault is */
	const char *why; /* part of the message */
};

static void
test_refused(void **state)
{
	static const struct refusal docs[] = {
		{"", 0, "no root element"},
		{"  \n ", 4, "no root element"},
		{"<!DOCTYPE a><a/>", 0, "DOCTYPE"},
		{"<a>&nosuch;</a>", 3, "unknown entity &nosuch;"},
		{"<a v='&#0;'/>", 6, "character reference"},
		{"<a v='&#x110000;'/>", 6, "character reference"},
		{"<a>& b</a>", 3, "write &amp;"},
		{"<a v='<'/>", 6, "'<' in an attribute value"},
		{"<a v=1/>", 5, "quoted"},
		{"<a v='1'w='2'/>", 8, "expected a blank"},
		{"<a v='1' v='2'/>", 9, "attribute v given twice in <a>"},
		{"<a><b></a>", 6, "</a> where </b> belongs"},
		{"<a>", 3, "the file ends inside <a>"},
		{"<a/><b/>", 4, "a second root element"},
		{"<a/>x", 4, "text after the root element"},
		{"x<a/>", 0, "text before the root element"},
		{"<a>]]></a>", 3, "\"]]>\" in text"},
		{"<a><!-- x -- y --></a>", 10, "\"--\" inside a comment"},
		{"<a><!-- x </a>", 3, "comment not closed"},
		{"<a><?xml version='1.0'?></a>", 3, "XML declaration"},
		{" <?xml version='1.0'?><a/>", 1, "XML declaration"},
		{"<?xml version='2.0'?><a/>", 15, "version"},
		{"<?xml version='1.0' encoding='8bit'?><a/>", 30, "encoding"},
		{"<a>< b/></a>", 3, "'<' that starts no tag"},
		{"<a v='\xe9'/>", 6, "not UTF-8"},
		{"<a>\x01</a>", 3, "control character U+0001"},
		{"<a>\xef\xbf\xbe</a>", 3, "U+FFFE"},
		{"<a><![CDATA[x</a>", 3, "CDATA section not closed"},
		{"<a><?pi x</a>", 3, "processing instruction not closed"},
	};
	struct xdoc d;
	char why[200];
	size_t at;

	(void)state;
	for (size_t i = 0; i < nitems(docs); i++) {
		why[0] = '\0';
		at = SIZE_MAX;
		if (xdoc_parse(docs[i].text, strlen(docs[i].text), NULL, &d,
		    &at, why, sizeof why) == 0) {
			xdoc_free(&d);
			fail_msg("doc %zu accepted: %s", i, docs[i].text);
		}
		assert_null(d.root);
		if (strstr(why, docs[i].why) == NULL || at != docs[i].at)
			fail_msg("doc %zu: at %zu \"%s\", not at %zu \"%s\"", i,
			    at, why, docs[i].at, docs[i].why);
	}
}

/* libxml2's limit: 256 elements open around the deepest one. */
static void
test_depth(void **state)
{
	struct buf b = {0};
	struct xdoc d;
	char why[200];
	size_t at;

	(void)state;
	for (int i = 0; i < 256; i++)
		buf_adds(&b, "<a>");
	buf_adds(&b, "<b/>");
	for (int i = 0; i < 256; i++)
		buf_adds(&b, "</a>");
	assert_int_equal(xdoc_parse(b.p, b.len, NULL, &d, &at, why,
	    sizeof why), 0);
	xdoc_free(&d);
	b.len = 0;
	for (int i = 0; i < 257; i++)
		buf_adds(&b, "<a>");
	buf_adds(&b, "<b/>");
	assert_int_equal(xdoc_parse(b.p, b.len, NULL, &d, &at, why,
	    sizeof why), -1);
	assert_non_null(strstr(why, "nested too deeply"));
	assert_int_equal(at, 257 * 3);
	buf_free(&b);
}

struct tags {
	size_t n;
	size_t v[8][4];
};

static void
on_start(void *arg, struct xnode *n, size_t start, size_t stag_end,
    int empty)
{
	struct tags *t = arg;

	assert_true(t->n < 8);
	n->tag = ++t->n;
	t->v[n->tag - 1][0] = start;
	t->v[n->tag - 1][1] = stag_end;
	(void)empty;
}

static void
on_end(void *arg, struct xnode *n, size_t etag, size_t end)
{
	struct tags *t = arg;

	t->v[n->tag - 1][2] = etag;
	t->v[n->tag - 1][3] = end;
}

/* Where the tags are: what the editor splices at. */
static void
test_offsets(void **state)
{
	static const char doc[] = "<a x='>'>\n <b/>\n <c ></c\n></a >";
	/* start, past the start tag, end tag (or past "/>"), past it */
	static const size_t want[3][4] = {
		{0, 9, 26, 31},  /* <a x='>'> ... </a > */
		{11, 15, 15, 15}, /* <b/>: empty */
		{17, 21, 21, 26}, /* <c ></c\n> */
	};
	struct tags t = {0};
	struct xhooks h = { on_start, on_end, &t };
	struct xdoc d;
	char why[200];
	size_t at;

	(void)state;
	assert_int_equal(xdoc_parse(doc, sizeof doc - 1, &h, &d, &at, why,
	    sizeof why), 0);
	assert_int_equal(t.n, 3);
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 4; j++)
			if (t.v[i][j] != want[i][j])
				fail_msg("element %zu, offset %zu: %zu, not %zu",
				    i, j, t.v[i][j], want[i][j]);
	xdoc_free(&d);
}

/* The tree edits the splicer makes, and a part's nodes moved over. */
static void
test_edits(void **state)
{
	struct xdoc d, part;
	struct buf b = {0};
	struct xnode *b_, *c, *x;
	char why[200];
	size_t at;

	(void)state;
	assert_int_equal(xdoc_parse("<a><b/><c/></a>", 15, NULL, &d, &at, why,
	    sizeof why), 0);
	assert_int_equal(xdoc_parse("<w><x k='v'/></w>", 17, NULL, &part,
	    &at, why, sizeof why), 0);
	b_ = d.root->children;
	c = b_->next;
	x = part.root->children;
	xnode_unlink(x);
	xdoc_adopt(&d, &part);
	assert_null(part.mem);
	xnode_insert_before(c, x);
	show(d.root, &b);
	assert_string_equal(b.p, "a[b x(k=v) c]");
	xnode_unlink(b_);
	xnode_unlink(c);
	b.len = 0;
	show(d.root, &b);
	assert_string_equal(b.p, "a[x(k=v)]");
	assert_ptr_equal(d.root->last, x);
	xnode_replace(x, c);
	xnode_append(c, b_);
	b.len = 0;
	show(d.root, &b);
	assert_string_equal(b.p, "a[c[b]]");
	assert_string_equal(xnode_attr(x, "k")->value, "v");
	assert_null(xnode_attr(x, "j"));
	buf_free(&b);
	xdoc_free(&d);
}

/* Many attributes: a duplicate found by sorting, at the later one. */
static void
test_many_attrs(void **state)
{
	struct buf b = {0};
	struct xdoc d;
	char why[200];
	size_t at, dup = 0;

	(void)state;
	buf_adds(&b, "<a");
	for (int i = 0; i < 500; i++)
		buf_addf(&b, " a%d='%d'", i, i);
	assert_int_equal(xdoc_parse(b.p, b.len, NULL, &d, &at, why,
	    sizeof why), -1);
	assert_non_null(strstr(why, "the file ends inside the start tag"));
	buf_adds(&b, "/>");
	assert_int_equal(xdoc_parse(b.p, b.len, NULL, &d, &at, why,
	    sizeof why), 0);
	assert_int_equal(d.root->nattrs, 500);
	assert_string_equal(xnode_attr(d.root, "a499")->value, "499");
	xdoc_free(&d);
	b.len -= 2;
	dup = b.len + 1;
	buf_adds(&b, " a7='x' a3='y'/>");
	assert_int_equal(xdoc_parse(b.p, b.len, NULL, &d, &at, why,
	    sizeof why), -1);
	assert_non_null(strstr(why, "attribute a7 given twice"));
	assert_int_equal(at, dup);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_many_attrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
