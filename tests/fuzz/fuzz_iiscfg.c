/*
 * The applicationHost.config reader (backend/host/xmldoc.c). What parses must
 * keep the file's bytes, every child path it lists must name something,
 * and the edits apply and rollback make (create an element, set an
 * attribute, then undo them in reverse) must give the same bytes back,
 * whether the edit was made or refused. An edit parses only the part it
 * changed: after each one, a fresh parse of the text must list the same
 * element paths and read the same attribute.
 */
#include "fuzz.h"

#include "iiscfg.h"
#include "util.h"

#define WALK_MAX 64  /* element paths visited per input */
#define EDIT_MAX 6   /* of which edited and undone */

struct walk {
	char *paths[WALK_MAX];
	size_t n;
};

static void
same_text(const struct iiscfg *c, const char *data, size_t size,
    const char *after)
{
	size_t n;
	char *text = iiscfg_format(c, &n);

	FUZZ_CHECK(n == size && memcmp(text, data, size) == 0, "the text "
	    "changed after %s (%zu bytes, was %zu)", after, n, size);
	free(text);
}

static void
walk(const struct iiscfg *c, const char *path, struct walk *w, int depth)
{
	char err[256], **kids;
	size_t n;

	if (w->n == WALK_MAX || depth > 6)
		return;
	FUZZ_CHECK(iiscfg_elem_exists(c, path, err, sizeof err) != 0,
	    "listed child %s does not exist", path);
	w->paths[w->n++] = xstrdup(path);
	if ((kids = iiscfg_children(c, path, &n)) == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		walk(c, kids[i], w, depth + 1);
	str_list_free(kids, n);
}

static void
walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->paths[i]);
	w->n = 0;
}

/* C, kept up to date edit by edit, answers as a fresh parse of its text. */
static void
same_tree(const struct iiscfg *c, const char *path, const char *attr)
{
	struct walk a = { .n = 0 }, b = { .n = 0 };
	struct iiscfg *r;
	char err[512], *text, *va, *vb;
	size_t n;

	text = iiscfg_format(c, &n);
	r = iiscfg_parse("fuzz.config", text, n, err, sizeof err);
	FUZZ_CHECK(r != NULL, "the edited text does not parse: %s", err);
	free(text);
	walk(c, "|", &a, 0);
	walk(r, "|", &b, 0);
	FUZZ_CHECK(a.n == b.n, "%zu element paths after an edit, %zu in a "
	    "fresh parse", a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		FUZZ_CHECK(strcmp(a.paths[i], b.paths[i]) == 0, "path %s after "
		    "an edit, %s in a fresh parse", a.paths[i], b.paths[i]);
	va = iiscfg_attr_get_raw(c, path, attr);
	vb = iiscfg_attr_get_raw(r, path, attr);
	FUZZ_CHECK((va == NULL) == (vb == NULL) &&
	    (va == NULL || strcmp(va, vb) == 0), "%s of %s reads otherwise "
	    "in a fresh parse", attr, path);
	free(va);
	free(vb);
	walk_free(&a);
	walk_free(&b);
	iiscfg_free(r);
}

static char *
child_of(const char *path)
{
	size_t n = strlen(path);

	/* "|" and "LOCATION|" take their first element without a slash. */
	if (n > 0 && path[n - 1] == '|')
		return xasprintf("%sfuzzChild[@name='a&b']", path);
	return xasprintf("%s/fuzzChild[@name='a&b']", path);
}

/* Elements only: "|" and "LOCATION|" name no attribute holder here. */
static void
attr_and_undo(struct iiscfg *c, const char *path, const char *data,
    size_t size)
{
	char err[256], *old;

	if (path[strlen(path) - 1] == '|')
		return;
	old = iiscfg_attr_get_raw(c, path, "fuzzAttr");
	if (iiscfg_attr_set(c, path, "fuzzAttr", "<\"x\" & 'y'>\n", err,
	    sizeof err) == 0) {
		same_tree(c, path, "fuzzAttr");
		FUZZ_CHECK(old != NULL || iiscfg_attr_set(c, path, "fuzzAttr",
		    NULL, err, sizeof err) == 0, "cannot remove: %s", err);
		FUZZ_CHECK(old == NULL || iiscfg_attr_set_raw(c, path,
		    "fuzzAttr", old, err, sizeof err) == 0, "cannot restore: "
		    "%s", err);
	}
	free(old);
	same_text(c, data, size, "setting an attribute and undoing it");
}

static void
edit_and_undo(struct iiscfg *c, const char *path, const char *data,
    size_t size)
{
	char err[256], *child;

	if (iiscfg_elem_exists(c, path, err, sizeof err) != 1)
		return;
	attr_and_undo(c, path, data, size);
	child = child_of(path);
	if (iiscfg_elem_exists(c, child, err, sizeof err) == 0 &&
	    iiscfg_elem_create(c, child, err, sizeof err) == 0) {
		same_tree(c, child, "name");
		FUZZ_CHECK(iiscfg_elem_remove(c, child, err, sizeof err) == 0,
		    "cannot remove the element it made: %s", err);
		same_tree(c, path, "fuzzAttr");
	}
	same_text(c, data, size, "creating an element and removing it");
	free(child);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iiscfg *c;
	struct walk w = { .n = 0 };
	char err[512];

	c = iiscfg_parse("fuzz.config", (const char *)data, size, err,
	    sizeof err);
	if (c == NULL)
		return 0;
	same_text(c, (const char *)data, size, "parsing");
	walk(c, "|", &w, 0);
	for (size_t i = 0; i < w.n; i++) {
		if (i < EDIT_MAX)
			edit_and_undo(c, w.paths[i], (const char *)data, size);
		free(w.paths[i]);
	}
	iiscfg_free(c);
	return 0;
}
