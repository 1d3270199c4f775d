/* applicationHost.config: parse, query, edit, and undo to the same bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "iiscfg.h"
#include "util.h"

static const char *fixtures[] = {
	"iis10-bom-crlf.config",
	"iis-2space-lf.config",
	"oddities.config",
};

/* ---- helpers ----------------------------------------------------------- */

/* tests/unit/test_iiscfg.c -> tests/data/iis/NAME */
static char *
load(const char *name, size_t *len)
{
	char *dir = xstrdup(__FILE__), *slash, *path, *data = NULL;

	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if ((slash = strrchr(dir, '/')) != NULL)
		slash[1] = '\0';
	else
		strcpy(dir, "tests/");
	path = xasprintf("%sdata/iis/%s", dir, name);
	if (file_read(path, 1 << 24, &data, len) != 0)
		fail_msg("cannot read %s", path);
	free(path);
	free(dir);
	return data;
}

static struct iiscfg *
parse_ok(const char *name, const char *data, size_t len)
{
	char err[512] = "";
	struct iiscfg *c = iiscfg_parse(name, data, len, err, sizeof err);

	if (c == NULL)
		fail_msg("%s: %s", name, err);
	return c;
}

static struct iiscfg *
load_cfg(const char *name, char **data, size_t *len)
{
	*data = load(name, len);
	return parse_ok(name, *data, *len);
}

static void
assert_bytes(const struct iiscfg *c, const char *want, size_t wantlen)
{
	size_t n;
	char *got = iiscfg_format(c, &n);

	if (n != wantlen || memcmp(got, want, n) != 0) {
		size_t i = 0;

		while (i < n && i < wantlen && got[i] == want[i])
			i++;
		free(got);
		fail_msg("text differs at byte %zu (lengths %zu, %zu)", i, n,
		    wantlen);
	}
	free(got);
}

static char *
text_of(const struct iiscfg *c)
{
	size_t n;

	return iiscfg_format(c, &n);
}

/* ---- every edit twice ---------------------------------------------------
 *
 * An edit keeps the tree and the tag offsets up to date by parsing only
 * the part it changed. Each edit the tests make through the helpers below
 * is also made on a fresh parse of the same text; both must leave the same
 * bytes and answer every query alike, so offsets that drifted show as a
 * later edit that writes elsewhere, or a query that answers otherwise.
 */

/* What the tree answers, as text: every element's path, its index and
 * the attributes the tests use, as read and as written. */
static void
dump(const struct iiscfg *c, const char *path, struct buf *b)
{
	static const char *attrs[] = {"name", "id", "path", "value",
	    "enabled", "bindingInformation", "managedRuntimeVersion",
	    "allowed", "new1", "new2", "xdt:Transform", "name0", "name1",
	    "name2", "path0", "path1", "path2", "k0", "k1", "k2", "value0",
	    "value1", "value2", "protocol", "physicalPath",
	    "applicationPool", "maxUrl", "maxQueryString", "overrideMode",
	    "sslFlags", "a", "x"};
	char err[256], **v, *s;
	size_t n;

	buf_addf(b, "%s #%d", path, iiscfg_elem_index(c, path, err,
	    sizeof err));
	for (size_t i = 0; i < nitems(attrs); i++) {
		if ((s = iiscfg_attr_get(c, path, attrs[i])) != NULL)
			buf_addf(b, " %s=[%s]", attrs[i], s);
		free(s);
		if ((s = iiscfg_attr_get_raw(c, path, attrs[i])) != NULL)
			buf_addf(b, " raw %s=[%s]", attrs[i], s);
		free(s);
	}
	buf_addc(b, '\n');
	if ((v = iiscfg_children(c, path, &n)) == NULL) {
		buf_adds(b, "(children unknown)\n");
		return;
	}
	for (size_t i = 0; i < n; i++)
		dump(c, v[i], b);
	str_list_free(v, n);
}

static void
assert_same(const struct iiscfg *c, const struct iiscfg *r)
{
	struct buf dc = {0}, dr = {0};
	size_t n;
	char *t = iiscfg_format(r, &n);

	static unsigned count;

	assert_bytes(c, t, n);
	free(t);
	/* The walk is slow under valgrind: the bytes of every edit, the
	 * answers of every 16th (a drift shows in later bytes as well). */
	if (count++ % 16 != 0)
		return;
	dump(c, "|", &dc);
	dump(r, "|", &dr);
	buf_addc(&dc, '\0');
	buf_addc(&dr, '\0');
	assert_string_equal(dc.p, dr.p);
	buf_free(&dc);
	buf_free(&dr);
}

/* 'E' create, 'R' remove, 'A' set (value NULL: remove the attribute). */
static int
edit_once(struct iiscfg *c, char kind, const char *path, const char *attr,
    const char *v, int raw, char *err, size_t errlen)
{
	if (kind == 'E')
		return iiscfg_elem_create(c, path, err, errlen);
	if (kind == 'R')
		return iiscfg_elem_remove(c, path, err, errlen);
	return raw ? iiscfg_attr_set_raw(c, path, attr, v, err, errlen) :
	    iiscfg_attr_set(c, path, attr, v, err, errlen);
}

static int
edit(struct iiscfg *c, char kind, const char *path, const char *attr,
    const char *v, int raw, char *err, size_t errlen)
{
	size_t n;
	char *t = iiscfg_format(c, &n), rerr[512];
	struct iiscfg *r;
	int rc;

	/* test_large_file makes thousands of edits: once each is enough. */
	if (n > 64 * 1024) {
		free(t);
		return edit_once(c, kind, path, attr, v, raw, err, errlen);
	}
	r = iiscfg_parse("twin", t, n, rerr, sizeof rerr);
	free(t);
	if (r == NULL)
		fail_msg("the text does not parse again: %s", rerr);
	rc = edit_once(c, kind, path, attr, v, raw, err, errlen);
	assert_int_equal(edit_once(r, kind, path, attr, v, raw, rerr,
	    sizeof rerr), rc);
	assert_same(c, r);
	iiscfg_free(r);
	return rc;
}

static void
create_ok(struct iiscfg *c, const char *path)
{
	char err[512] = "";

	if (edit(c, 'E', path, NULL, NULL, 0, err, sizeof err) != 0)
		fail_msg("create %s: %s", path, err);
	assert_int_equal(iiscfg_elem_exists(c, path, err, sizeof err), 1);
}

static void
remove_ok(struct iiscfg *c, const char *path)
{
	char err[512] = "";

	if (edit(c, 'R', path, NULL, NULL, 0, err, sizeof err) != 0)
		fail_msg("remove %s: %s", path, err);
	assert_int_equal(iiscfg_elem_exists(c, path, err, sizeof err), 0);
}

static void
set_ok(struct iiscfg *c, const char *path, const char *attr, const char *v)
{
	char err[512] = "", *got;

	if (edit(c, 'A', path, attr, v, 0, err, sizeof err) != 0)
		fail_msg("set %s %s: %s", path, attr, err);
	got = iiscfg_attr_get(c, path, attr);
	if (v == NULL)
		assert_null(got);
	else if (got == NULL || strcmp(got, v) != 0)
		fail_msg("set %s %s: reads back as %s", path, attr,
		    got != NULL ? got : "(absent)");
	free(got);
}

/* Replace the first once of from in s with to. */
static char *
replaced(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);

	assert_non_null(at);
	return xasprintf("%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
}

/* CRLF to LF, or LF to CRLF. */
static char *
relined(const char *s, size_t len, int crlf, size_t *outlen)
{
	struct buf b = {0};

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n' && !crlf)
			continue;
		if (s[i] == '\n' && crlf && (i == 0 || s[i - 1] != '\r'))
			buf_addc(&b, '\r');
		buf_addc(&b, s[i]);
	}
	*outlen = b.len;
	return buf_steal(&b);
}

static int
has_prefix_line(const char *err, const char *name)
{
	size_t n = strlen(name);
	char *end;

	if (strncmp(err, name, n) != 0 || err[n] != ':')
		return 0;
	if (strtol(err + n + 1, &end, 10) < 0 || end == err + n + 1)
		return 0;
	return end[0] == ':' && end[1] == ' ';
}

/* ---- round trips ------------------------------------------------------- */

static void
test_roundtrip_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(fixtures); i++) {
		size_t len;
		char *data;
		struct iiscfg *c = load_cfg(fixtures[i], &data, &len);

		assert_bytes(c, data, len);
		iiscfg_free(c);
		free(data);
	}
}

/* With and without BOM, CRLF and LF, from the same two fixtures. */
static void
test_roundtrip_variants(void **state)
{
	size_t len, vlen;
	char *data = load("iis10-bom-crlf.config", &len), *v, *w;
	struct iiscfg *c;

	(void)state;
	assert_memory_equal(data, "\xef\xbb\xbf<?xml", 8);
	assert_non_null(strstr(data, "\r\n    <configSections>\r\n"));

	v = relined(data + 3, len - 3, 0, &vlen);	/* no BOM, LF */
	c = parse_ok("v1", v, vlen);
	assert_bytes(c, v, vlen);
	iiscfg_free(c);
	free(v);

	v = relined(data + 3, len - 3, 1, &vlen);	/* no BOM, CRLF */
	c = parse_ok("v2", v, vlen);
	assert_bytes(c, v, vlen);
	iiscfg_free(c);
	free(v);
	free(data);

	data = load("iis-2space-lf.config", &len);
	v = relined(data, len, 1, &vlen);
	w = xasprintf("\xef\xbb\xbf%s", v);		/* BOM, CRLF */
	c = parse_ok("v3", w, vlen + 3);
	assert_bytes(c, w, vlen + 3);
	iiscfg_free(c);
	free(w);
	free(v);
	free(data);
}

static void
test_new_empty(void **state)
{
	static const char skel[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "\r\n<configuration />\r\n";
	static const char grown[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "\r\n<configuration>\r\n    <system.webServer>\r\n        "
	    "<security />\r\n    </system.webServer>\r\n</configuration>\r\n";
	struct iiscfg *c = iiscfg_new_empty();
	char err[256];

	(void)state;
	assert_non_null(c);
	assert_bytes(c, skel, sizeof skel - 1);
	assert_int_equal(iiscfg_elem_exists(c, "|", err, sizeof err), 1);
	create_ok(c, "|system.webServer");
	create_ok(c, "|system.webServer/security");
	assert_bytes(c, grown, sizeof grown - 1);
	remove_ok(c, "|system.webServer/security");
	remove_ok(c, "|system.webServer");
	assert_bytes(c, skel, sizeof skel - 1);
	iiscfg_free(c);
}

/* An element on the first line takes the file's line break. */
static void
test_first_line(void **state)
{
	static const char lf[] = "<configuration><a/></configuration>\n";
	/* "<a/>" had no space before "/>": the child line ends in one. */
	static const char want[] = "<configuration><a>\n    <x /> \n</a>"
	    "</configuration>\n";
	struct iiscfg *c = parse_ok("lf", lf, sizeof lf - 1);

	(void)state;
	create_ok(c, "|a/x");
	assert_bytes(c, want, sizeof want - 1);
	remove_ok(c, "|a/x");
	assert_bytes(c, lf, sizeof lf - 1);
	iiscfg_free(c);
}

/* ---- attributes -------------------------------------------------------- */

static void
test_attr_get(void **state)
{
	size_t len;
	char *data, *v;
	struct iiscfg *c = load_cfg("iis10-bom-crlf.config", &data, &len);
	const char *site =
	    "|system.applicationHost/sites/site[@name='Default Web Site']";
	const char *isapi = "|system.webServer/security/isapiCgiRestriction/"
	    "add[@path='%windir%\\system32\\certsrv\\mscep\\mscep.dll']";

	(void)state;
	v = iiscfg_attr_get(c, site, "id");
	assert_string_equal(v, "1");
	free(v);
	v = iiscfg_attr_get(c, isapi, "description");
	assert_string_equal(v, "NDES & SCEP \"mscep\"");
	free(v);
	v = iiscfg_attr_get_raw(c, isapi, "description");
	assert_string_equal(v, "NDES &amp; SCEP &quot;mscep&quot;");
	free(v);
	v = iiscfg_attr_get(c, "Default Web Site/CertSrv|system.webServer/"
	    "security/access", "sslFlags");
	assert_string_equal(v, "Ssl");
	free(v);
	/* The location path is matched without regard to case. */
	v = iiscfg_attr_get(c, "default web site/certsrv|system.webServer/"
	    "security/access", "sslFlags");
	assert_string_equal(v, "Ssl");
	free(v);
	/* An empty LOCATION is the top level, not <location path="">. */
	v = iiscfg_attr_get(c, "|system.webServer/modules/"
	    "add[@name='IsapiModule']", "lockItem");
	assert_null(v);
	assert_null(iiscfg_attr_get(c, site, "nosuch"));
	assert_null(iiscfg_attr_get(c, "|system.applicationHost/sites/"
	    "site[@name='Nope']", "id"));
	assert_null(iiscfg_attr_get(c, "|nosuch", "id"));
	iiscfg_free(c);
	free(data);
}

/* Replacing keeps the position; adding appends; both undo to the bytes. */
static void
test_attr_set_and_undo(void **state)
{
	size_t len;
	char *data, *want, *got;
	struct iiscfg *c = load_cfg("iis10-bom-crlf.config", &data, &len);
	const char *site =
	    "|system.applicationHost/sites/site[@name='Default Web Site']";
	const char *pool = "|system.applicationHost/applicationPools/"
	    "add[@name='DefaultAppPool']";

	(void)state;
	set_ok(c, site, "id", "2");
	want = replaced(data, "<site name=\"Default Web Site\" id=\"1\">",
	    "<site name=\"Default Web Site\" id=\"2\">");
	got = text_of(c);
	assert_string_equal(got, want);
	free(got);
	free(want);
	set_ok(c, site, "serverAutoStart", "true");
	got = text_of(c);
	assert_non_null(strstr(got, "<site name=\"Default Web Site\" id=\"2\" "
	    "serverAutoStart=\"true\">\r\n"));
	free(got);
	set_ok(c, pool, "managedRuntimeVersion", "");
	got = text_of(c);
	assert_non_null(strstr(got, "<add name=\"DefaultAppPool\" "
	    "managedRuntimeVersion=\"\" />\r\n"));
	free(got);

	set_ok(c, pool, "managedRuntimeVersion", NULL);
	set_ok(c, site, "serverAutoStart", NULL);
	set_ok(c, site, "id", "1");
	assert_bytes(c, data, len);
	iiscfg_free(c);
	free(data);
}

static void
test_attr_remove_existing(void **state)
{
	size_t len;
	char *data, *want, *got;
	struct iiscfg *c = load_cfg("iis-2space-lf.config", &data, &len);
	const char *lim = "Default Web Site/CertSrv/mscep|system.webServer/"
	    "security/requestFiltering/requestLimits";
	char err[256];

	(void)state;
	set_ok(c, lim, "maxQueryString", NULL);
	want = replaced(data, "<requestLimits maxQueryString=\"65534\" "
	    "maxUrl=\"65534\" />", "<requestLimits maxUrl=\"65534\" />");
	got = text_of(c);
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* Removing what is not there is not an error, and changes nothing. */
	assert_int_equal(iiscfg_attr_set(c, lim, "maxQueryString", NULL, err,
	    sizeof err), 0);
	assert_int_equal(iiscfg_attr_set(c, "|nosuch", "a", "1", err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "no element"));
	iiscfg_free(c);
	free(data);
}

static void
test_attr_escaping(void **state)
{
	size_t len, n;
	char *data, *got, *v, **list;
	struct iiscfg *c = load_cfg("oddities.config", &data, &len);
	const char *site =
	    "|system.applicationHost/sites/site[@name='Default Web Site']";
	const char *quoted = "|system.applicationHost/applicationPools/"
	    "add[@name='\"Quoted\" pool']";
	char err[256];

	(void)state;
	set_ok(c, site, "note", "a&b<c>\"d'e\tf\ng\rh caf\xc3\xa9");
	got = text_of(c);
	assert_non_null(strstr(got, " note=\"a&amp;b&lt;c&gt;&quot;d'e&#x9;f"
	    "&#xA;g&#xD;h caf\xc3\xa9\">"));
	free(got);
	/* A single-quoted value keeps its quotes and escapes them. */
	assert_int_equal(iiscfg_attr_set(c, quoted, "name", "it's \"x\"", err,
	    sizeof err), 0);
	assert_int_equal(iiscfg_elem_exists(c, quoted, err, sizeof err), 0);
	got = text_of(c);
	assert_non_null(strstr(got, "<add name='it&apos;s \"x\"' "
	    "autoStart=\"true\"/>"));
	free(got);
	/* A path cannot hold both quotes: children() names it otherwise. */
	list = iiscfg_children(c, "|system.applicationHost/applicationPools",
	    &n);
	assert_true(n == 3);
	assert_string_equal(list[0], "|system.applicationHost/"
	    "applicationPools/add[@autoStart='true']");
	v = iiscfg_attr_get(c, list[0], "name");
	assert_string_equal(v, "it's \"x\"");
	free(v);
	str_list_free(list, n);
	/* Predicate values are escaped when an element is created. */
	create_ok(c, "|system.webServer/httpProtocol/customHeaders/"
	    "add[@name='A&B <x>'][@value='\"q\"']");
	got = text_of(c);
	assert_non_null(strstr(got, "<add name=\"A&amp;B &lt;x&gt;\" "
	    "value=\"&quot;q&quot;\" />"));
	free(got);
	/* What XML cannot hold is refused, nothing changes. */
	got = text_of(c);
	assert_int_equal(iiscfg_attr_set(c, site, "bell", "a\007b", err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "control character"));
	assert_bytes(c, got, strlen(got));
	assert_int_equal(iiscfg_attr_set(c, site, "bad", "\xff\xfe", err,
	    sizeof err), -1);
	assert_bytes(c, got, strlen(got));
	free(got);
	iiscfg_free(c);
	free(data);
}

static void
test_attr_bad_names(void **state)
{
	struct iiscfg *c = iiscfg_new_empty();
	char err[256];
	const char *bad[] = {"", "a b", "1x", "a=b", "a\"", "xmlns",
	    "xmlns:x"};

	(void)state;
	for (size_t i = 0; i < nitems(bad); i++) {
		err[0] = '\0';
		assert_int_equal(iiscfg_attr_set(c, "|", bad[i], "v", err,
		    sizeof err), -1);
		assert_true(err[0] != '\0');
	}
	assert_int_equal(iiscfg_attr_set(c, "|", NULL, "v", err,
	    sizeof err), -1);
	iiscfg_free(c);
}

/* Setting the value an attribute has leaves its spelling alone. */
static void
test_attr_same_value_noop(void **state)
{
	size_t len;
	char *data;
	struct iiscfg *c = load_cfg("oddities.config", &data, &len);
	const char *p = "|system.applicationHost/applicationPools/"
	    "add[@name='Caf\xc3\xa9 \"pool\"']";
	char *v;

	(void)state;
	assert_null(iiscfg_attr_get(c, p, "name"));
	p = "|system.applicationHost/applicationPools/"
	    "add[@name=\"Caf\xc3\xa9 'pool'\"]";
	v = iiscfg_attr_get(c, p, "name");
	assert_string_equal(v, "Caf\xc3\xa9 'pool'");
	set_ok(c, p, "name", v);
	assert_bytes(c, data, len);
	free(v);
	iiscfg_free(c);
	free(data);
}

/* Values written with unusual escapes come back exactly through raw. */
static void
test_attr_raw_restore(void **state)
{
	size_t len;
	char *data, *raw, *raw2;
	struct iiscfg *c = load_cfg("oddities.config", &data, &len);
	const char *hdr = "|system.webServer/httpProtocol/customHeaders/"
	    "add[@name='X-Note']";
	const char *pool = "|system.applicationHost/applicationPools/"
	    "add[@name='A > B & C']";
	char err[256];

	(void)state;
	raw = iiscfg_attr_get_raw(c, hdr, "value");
	assert_string_equal(raw, "tab&#9;and&#10;newline");
	raw2 = iiscfg_attr_get_raw(c, pool, "name");
	assert_string_equal(raw2, "A > B &amp; C");
	set_ok(c, hdr, "value", "other");
	set_ok(c, pool, "startMode", "AlwaysRunning");
	assert_int_equal(iiscfg_attr_set(c, pool, "name", "renamed", err,
	    sizeof err), 0);
	pool = "|system.applicationHost/applicationPools/add[@name='renamed']";
	assert_int_equal(iiscfg_attr_set_raw(c, pool, "name", raw2, err,
	    sizeof err), 0);
	pool = "|system.applicationHost/applicationPools/"
	    "add[@name='A > B & C']";
	assert_int_equal(iiscfg_attr_set(c, pool, "startMode", "OnDemand",
	    err, sizeof err), 0);
	assert_int_equal(iiscfg_attr_set_raw(c, hdr, "value", raw, err,
	    sizeof err), 0);
	assert_bytes(c, data, len);
	/* A raw value that would break the tag is refused. */
	assert_int_equal(iiscfg_attr_set_raw(c, hdr, "value", "a\"b", err,
	    sizeof err), -1);
	assert_int_equal(iiscfg_attr_set_raw(c, hdr, "value", "a<b", err,
	    sizeof err), -1);
	assert_int_equal(iiscfg_attr_set_raw(c, hdr, "value", "&nosuch;", err,
	    sizeof err), -1);
	assert_bytes(c, data, len);
	free(raw);
	free(raw2);
	iiscfg_free(c);
	free(data);
}

/* ---- elements ---------------------------------------------------------- */

#define DWS_RF "Default Web Site|system.webServer/security/requestFiltering"
static const char *lim_chain[] = {
	"Default Web Site|",
	"Default Web Site|system.webServer",
	"Default Web Site|system.webServer/security",
	DWS_RF,
	DWS_RF "/requestLimits",
};

static void
test_location_chain(void **state)
{
	size_t len;
	char *data, *got;
	struct iiscfg *c = load_cfg("iis10-bom-crlf.config", &data, &len);
	const char *lim = lim_chain[nitems(lim_chain) - 1];
	char err[256];
	static const char want[] =
	    "    </location>\r\n"
	    "    <location path=\"Default Web Site\">\r\n"
	    "        <system.webServer>\r\n"
	    "            <security>\r\n"
	    "                <requestFiltering>\r\n"
	    "                    <requestLimits maxUrl=\"65534\" "
	    "maxQueryString=\"65534\" />\r\n"
	    "                </requestFiltering>\r\n"
	    "            </security>\r\n"
	    "        </system.webServer>\r\n"
	    "    </location>\r\n"
	    "</configuration>\r\n";

	(void)state;
	/* Ancestors first: a missing parent is an error. */
	assert_int_equal(iiscfg_elem_create(c, lim, err, sizeof err), -1);
	assert_non_null(strstr(err, "parent"));
	assert_int_equal(iiscfg_elem_create(c, lim_chain[1], err, sizeof err),
	    -1);
	for (size_t i = 0; i < nitems(lim_chain); i++) {
		assert_int_equal(iiscfg_elem_exists(c, lim_chain[i], err,
		    sizeof err), 0);
		create_ok(c, lim_chain[i]);
	}
	set_ok(c, lim, "maxUrl", "65534");
	set_ok(c, lim, "maxQueryString", "65534");
	got = text_of(c);
	assert_true(strlen(got) > sizeof want);
	assert_string_equal(got + strlen(got) - (sizeof want - 1), want);
	free(got);
	/* Creating what exists is refused; removing a parent too. */
	assert_int_equal(iiscfg_elem_create(c, lim_chain[0], err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "already exists"));
	assert_int_equal(iiscfg_elem_create(c, "DEFAULT WEB SITE|", err,
	    sizeof err), -1);
	assert_int_equal(iiscfg_elem_remove(c, lim_chain[3], err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "child"));

	set_ok(c, lim, "maxQueryString", NULL);
	set_ok(c, lim, "maxUrl", NULL);
	for (size_t i = nitems(lim_chain); i-- > 0;)
		remove_ok(c, lim_chain[i]);
	assert_bytes(c, data, len);
	iiscfg_free(c);
	free(data);
}

/* The examples of the project's paths, on the 2-space LF file. */
static void
test_create_examples(void **state)
{
	size_t len;
	char *data, *got;
	struct iiscfg *c = load_cfg("iis-2space-lf.config", &data, &len);
	const char *https = "|system.applicationHost/sites/site[@name='Default "
	    "Web Site']/bindings/binding[@protocol='https']"
	    "[@bindingInformation='*:443:']";
	const char *pool = "|system.applicationHost/applicationPools/"
	    "add[@name='NDES Pool']";
	const char *app = "|system.applicationHost/sites/site[@name='Default "
	    "Web Site']/application[@path='/CertSrv/mscep_admin']";
	char *pm = xasprintf("%s/processModel", pool);
	char *vd = xasprintf("%s/virtualDirectory[@path='/']", app);

	(void)state;
	create_ok(c, https);
	set_ok(c, https, "sslFlags", "0");
	create_ok(c, pool);
	create_ok(c, pm);
	set_ok(c, pm, "identityType", "SpecificUser");
	set_ok(c, pm, "userName", "CONTOSO\\svc-ndes");
	create_ok(c, app);
	create_ok(c, vd);
	set_ok(c, vd, "physicalPath", "C:\\Windows\\system32\\CertSrv\\mscep");
	got = text_of(c);
	assert_non_null(strstr(got,
	    "          <binding protocol=\"http\" "
	    "bindingInformation=\"*:8080:\" />\n"
	    "          <binding protocol=\"https\" "
	    "bindingInformation=\"*:443:\" sslFlags=\"0\" />\n"
	    "        </bindings>\n"));
	assert_non_null(strstr(got,
	    "      </applicationPoolDefaults>\n"
	    "      <add name=\"NDES Pool\">\n"
	    "        <processModel identityType=\"SpecificUser\" "
	    "userName=\"CONTOSO\\svc-ndes\" />\n"
	    "      </add>\n"
	    "    </applicationPools>\n"));
	assert_non_null(strstr(got,
	    "        </bindings>\n"
	    "        <application path=\"/CertSrv/mscep_admin\">\n"
	    "          <virtualDirectory path=\"/\" physicalPath=\"C:\\Windows"
	    "\\system32\\CertSrv\\mscep\" />\n"
	    "        </application>\n"
	    "      </site>\n"));
	free(got);

	remove_ok(c, vd);
	remove_ok(c, app);
	remove_ok(c, pm);
	remove_ok(c, pool);
	set_ok(c, https, "sslFlags", NULL);
	remove_ok(c, https);
	assert_bytes(c, data, len);
	free(pm);
	free(vd);
	iiscfg_free(c);
	free(data);
}

/* Every shape a parent can have, in the file with tabs and odd forms. */
static void
test_create_in_odd_parents(void **state)
{
	static const struct {
		const char *path;
		const char *after; /* expected text once created */
	} cases[] = {
		{"|system.applicationHost/applicationPools/"
		 "add[@name='\"Quoted\" pool']/processModel",
		 "<add name='\"Quoted\" pool' autoStart=\"true\">\n\t\t\t\t"
		 "<processModel /> \n\t\t\t</add>\n"},
		{"|system.applicationHost/applicationPools/"
		 "add[@name='A > B & C']/recycling",
		 "     startMode=\"OnDemand\">\n\t\t\t\t<recycling />\n\t\t\t"
		 "</add>\n"},
		{"|system.applicationHost/sites/site/bindings/"
		 "binding[@protocol='https']",
		 "<bindings>\n\t\t\t\t\t<binding protocol=\"https\" />"
		 "</bindings>\n"},
		{"|system.applicationHost/sites/site/limits/x",
		 "<limits>\n\t\t\t\t\t<x />  \n\t\t\t\t</limits>\n"},
		{"|system.applicationHost/sites/site/"
		 "traceFailedRequestsLogging/y",
		 "<traceFailedRequestsLogging enabled=\"false\">\n\t\t\t\t\t"
		 "<y /></traceFailedRequestsLogging >\n"},
		{"|system.applicationHost/sites/site/logFile/z",
		 "<!-- nothing here yet -->\n\t\t\t\t\t<z />\n\t\t\t\t"
		 "</logFile>\n"},
		{"|system.applicationHost/sites/site/application/"
		 "virtualDirectory[@path='/x']",
		 "physicalPath=\"C:\\inetpub\\wwwroot\"/><virtualDirectory "
		 "path=\"/x\" /></application>\n"},
		{"|system.webServer/rewrite/rules/rule/match/x",
		 "<match url=\"^(.*)$\">\n\t\t\t<x />\n\t\t</match>"
		 "<action type=\"None\"/>"},
		{"|system.webServer/rewrite/rules/rule/conditions",
		 "<action type=\"None\"/><conditions /></rule>"},
		{"|system.webServer/defaultDocument/files",
		 "<![CDATA[ <not a tag> & stuff ]]>\n\t\t\t<files />"
		 "</defaultDocument>\n"},
		{"Default Web Site|system.webServer/directoryBrowse/q",
		 "<directoryBrowse enabled=\"false\">\n\t\t\t\t<q />\n\t\t\t"
		 "</directoryBrowse>\n"},
		{"|system.webServer/httpProtocol/customHeaders/"
		 "add[@name='X-Other']",
		 "newline\" />\n\t\t\t\t<add name=\"X-Other\" />\n\t\t\t"
		 "</customHeaders>\n"},
	};
	size_t len;
	char *data, *got;
	struct iiscfg *c = load_cfg("oddities.config", &data, &len);

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		create_ok(c, cases[i].path);
		got = text_of(c);
		if (strstr(got, cases[i].after) == NULL)
			fail_msg("case %zu: no \"%s\" in\n%s", i,
			    cases[i].after, got);
		free(got);
		remove_ok(c, cases[i].path);
		assert_bytes(c, data, len);
	}
	/* All at once, then undone in reverse. */
	for (size_t i = 0; i < nitems(cases); i++)
		create_ok(c, cases[i].path);
	for (size_t i = nitems(cases); i-- > 0;)
		remove_ok(c, cases[i].path);
	assert_bytes(c, data, len);
	iiscfg_free(c);
	free(data);
}

/* Two children given to an empty element, and to an open empty one. */
static void
test_second_child(void **state)
{
	static const char *paths[] = {
		"|system.applicationHost/configHistory",
		"|system.applicationHost/webLimits/a",
		"|system.applicationHost/webLimits/b",
		"|system.webServer/caching/profiles",
		"|system.webServer/caching/profiles/add[@extension='.x']",
		"|system.webServer/caching/profiles/add[@extension='.y']",
		"|system.webServer/caching/more",
	};
	size_t len;
	char *data, *got;
	struct iiscfg *c = load_cfg("iis10-bom-crlf.config", &data, &len);

	(void)state;
	for (size_t i = 0; i < nitems(paths); i++)
		create_ok(c, paths[i]);
	got = text_of(c);
	/* The blank line before <webLimits /> is not copied. */
	assert_non_null(strstr(got, "\r\n        </webLimits>\r\n"
	    "        <configHistory />\r\n\r\n    </system.applicationHost>"));
	assert_non_null(strstr(got, "        <webLimits>\r\n"
	    "            <a />\r\n            <b />\r\n"
	    "        </webLimits>\r\n"));
	assert_non_null(strstr(got,
	    "        <caching enabled=\"true\" enableKernelCache=\"true\">\r\n"
	    "            <profiles>\r\n"
	    "                <add extension=\".x\" />\r\n"
	    "                <add extension=\".y\" />\r\n"
	    "            </profiles>\r\n"
	    "            <more />  \r\n"
	    "        </caching>\r\n"));
	free(got);
	for (size_t i = nitems(paths); i-- > 0;)
		remove_ok(c, paths[i]);
	assert_bytes(c, data, len);
	iiscfg_free(c);
	free(data);
}

/* Remove an element that has siblings and create it again where
 * iiscfg_elem_index said it stood: the bytes come back, in the middle
 * of a collection as at its ends. */
static void
test_restore_at(void **state)
{
	static const char *parents[] = {
		"|system.applicationHost/webLimits",
		"|system.webServer/caching/profiles",
	};
	static const char *leaves[] = {
		"|system.applicationHost/webLimits/a",
		"|system.applicationHost/webLimits/b",
		"|system.applicationHost/webLimits/c",
		"|system.webServer/caching/profiles/add[@extension='.x']",
		"|system.webServer/caching/profiles/add[@extension='.y']",
		"|system.webServer/caching/profiles/add[@extension='.z']",
	};
	size_t len, n;
	char *data, *all, err[256];
	struct iiscfg *c = load_cfg("iis10-bom-crlf.config", &data, &len);
	int k;

	(void)state;
	create_ok(c, parents[1]);
	for (size_t i = 0; i < nitems(leaves); i++)
		create_ok(c, leaves[i]);
	all = iiscfg_format(c, &n);
	for (size_t i = 0; i < nitems(leaves); i++) {
		k = iiscfg_elem_index(c, leaves[i], err, sizeof err);
		assert_int_equal(k, (int)(i % 3));
		remove_ok(c, leaves[i]);
		assert_int_equal(iiscfg_elem_index(c, leaves[i], err,
		    sizeof err), -1);
		if (iiscfg_elem_create_at(c, leaves[i], (size_t)k, err,
		    sizeof err) != 0)
			fail_msg("create_at %s %d: %s", leaves[i], k, err);
		assert_bytes(c, all, n);
	}
	/* Past the end is the end; a bad path is an error. */
	remove_ok(c, leaves[2]);
	assert_int_equal(iiscfg_elem_create_at(c, leaves[2], 99, err,
	    sizeof err), 0);
	assert_bytes(c, all, n);
	assert_int_equal(iiscfg_elem_index(c, "|a[", err, sizeof err), -2);
	assert_int_equal(iiscfg_elem_create_at(c, leaves[0], 0, err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "already exists"));
	free(all);
	iiscfg_free(c);
	free(data);
}

static void
test_remove_errors(void **state)
{
	size_t len;
	char *data;
	struct iiscfg *c = load_cfg("iis10-bom-crlf.config", &data, &len);
	char err[256];

	(void)state;
	assert_int_equal(iiscfg_elem_remove(c, "|system.applicationHost/sites",
	    err, sizeof err), -1);
	assert_non_null(strstr(err, "child elements"));
	assert_int_equal(iiscfg_elem_remove(c, "|system.nosuch", err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "no such element"));
	assert_int_equal(iiscfg_elem_remove(c, "|", err, sizeof err), -1);
	assert_int_equal(iiscfg_elem_create(c, "|", err, sizeof err), -1);
	assert_bytes(c, data, len);
	/* Removing an original element takes its line with it. */
	remove_ok(c, "|system.applicationHost/webLimits");
	{
		char *want = replaced(data, "\r\n\r\n        <webLimits />",
		    "");
		char *got = text_of(c);

		assert_string_equal(got, want);
		free(got);
		free(want);
	}
	iiscfg_free(c);
	free(data);
}

static void
test_ambiguous(void **state)
{
	static const char two[] = "<configuration>\n"
	    "  <location path=\"Site\"><a /></location>\n"
	    "  <location path=\"SITE\"><a /></location>\n</configuration>\n";
	size_t len;
	char *data;
	struct iiscfg *c = load_cfg("iis10-bom-crlf.config", &data, &len);
	const char *files = "|system.webServer/defaultDocument/files/add";
	char err[256];

	(void)state;
	assert_int_equal(iiscfg_elem_exists(c, files, err, sizeof err), -1);
	assert_non_null(strstr(err, "ambiguous"));
	assert_null(iiscfg_attr_get(c, files, "value"));
	assert_int_equal(iiscfg_attr_set(c, files, "value", "x", err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "ambiguous"));
	assert_int_equal(iiscfg_elem_remove(c, files, err, sizeof err), -1);
	assert_int_equal(iiscfg_elem_create(c, "|system.webServer/"
	    "defaultDocument/files/add/x", err, sizeof err), -1);
	assert_non_null(strstr(err, "ambiguous"));
	assert_int_equal(iiscfg_elem_create(c, files, err, sizeof err), -1);
	assert_null(iiscfg_children(c, files, &len));
	/* A predicate makes it unique. */
	assert_int_equal(iiscfg_elem_exists(c, "|system.webServer/"
	    "defaultDocument/files/add[@value='index.htm']", err, sizeof err),
	    1);
	iiscfg_free(c);
	free(data);

	c = parse_ok("two", two, sizeof two - 1);
	assert_int_equal(iiscfg_elem_exists(c, "site|a", err, sizeof err), -1);
	assert_non_null(strstr(err, "ambiguous"));
	assert_int_equal(iiscfg_elem_create(c, "Site|", err, sizeof err), -1);
	iiscfg_free(c);
}

static void
test_bad_paths(void **state)
{
	static const struct {
		const char *path;
		const char *why;
	} bad[] = {
		{"system.webServer", "no '|'"},
		{"", "no '|'"},
		{"|a/b[@name='x'", "unbalanced '['"},
		{"|a/b[", "unbalanced '['"},
		{"|a/b[@name", "unbalanced '['"},
		{"|a/b[@name='x'/c", "unbalanced '['"},
		{"|a/b[@name='x]", "missing closing quote"},
		{"|a/b[@name=\"x']", "missing closing quote"},
		{"|a//b", "empty element name"},
		{"|/a", "empty element name"},
		{"|a/", "empty element name"},
		{"|[@name='x']", "empty element name"},
		{"X|/", "empty element name"},
		{"|a]", "unbalanced ']'"},
		{"|a[name='x']", "expected '@'"},
		{"|a[@name=x]", "expected ='value'"},
		{"|a[@='x']", "attribute name"},
		{"|a b", "unexpected ' '"},
		{"|a/1b", "bad character"},
	};
	struct iiscfg *c = iiscfg_new_empty();
	char err[256], *pre = text_of(c);
	size_t n;

	(void)state;
	for (size_t i = 0; i < nitems(bad); i++) {
		err[0] = '\0';
		assert_int_equal(iiscfg_elem_exists(c, bad[i].path, err,
		    sizeof err), -1);
		if (strstr(err, bad[i].why) == NULL ||
		    strstr(err, "bad path") == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].path,
			    err, bad[i].why);
		assert_int_equal(iiscfg_elem_create(c, bad[i].path, err,
		    sizeof err), -1);
		assert_int_equal(iiscfg_elem_remove(c, bad[i].path, err,
		    sizeof err), -1);
		assert_int_equal(iiscfg_attr_set(c, bad[i].path, "a", "1",
		    err, sizeof err), -1);
		assert_null(iiscfg_attr_get(c, bad[i].path, "a"));
		assert_null(iiscfg_children(c, bad[i].path, &n));
		assert_int_equal(n, 0);
	}
	assert_int_equal(iiscfg_elem_exists(c, NULL, err, sizeof err), -1);
	assert_bytes(c, pre, strlen(pre));
	free(pre);
	iiscfg_free(c);
}

/* Values may hold spaces, '/', ':', '*', ']' and '|'. */
static void
test_predicate_values(void **state)
{
	struct iiscfg *c = iiscfg_new_empty();
	const char *p = "|a[@x='/a b/c:*'][@y=\"it's ]|[\"]";
	char err[256], *v;

	(void)state;
	create_ok(c, "|a[@x='/a b/c:*'][@y=\"it's ]|[\"]");
	v = iiscfg_attr_get(c, p, "y");
	assert_string_equal(v, "it's ]|[");
	free(v);
	assert_int_equal(iiscfg_elem_exists(c, "|a[@x='/a b/c:*'][@y='x']",
	    err, sizeof err), 0);
	assert_int_equal(iiscfg_elem_exists(c, "|a[@x='/A B/C:*']", err,
	    sizeof err), 0);
	assert_int_equal(iiscfg_elem_exists(c, "|a[@x='/a b/c:*']", err,
	    sizeof err), 1);
	assert_int_equal(iiscfg_elem_create(c, "|b[@x='1'][@x='2']", err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "twice"));
	iiscfg_free(c);
}

/* ---- children ---------------------------------------------------------- */

static void
test_children(void **state)
{
	size_t len, n;
	char *data, **v;
	struct iiscfg *c = load_cfg("iis-2space-lf.config", &data, &len);
	const char *site =
	    "|system.applicationHost/sites/site[@name='Default Web Site']";
	char *bindings = xasprintf("%s/bindings", site);

	(void)state;
	v = iiscfg_children(c, site, &n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "|system.applicationHost/sites/"
	    "site[@name='Default Web Site']/application[@path='/']");
	assert_string_equal(v[1], "|system.applicationHost/sites/"
	    "site[@name='Default Web Site']/application[@path='/CertSrv/"
	    "mscep']");
	assert_string_equal(v[2], "|system.applicationHost/sites/"
	    "site[@name='Default Web Site']/bindings");
	str_list_free(v, n);
	v = iiscfg_children(c, bindings, &n);
	assert_int_equal(n, 2);
	assert_string_equal(v[1], "|system.applicationHost/sites/"
	    "site[@name='Default Web Site']/bindings/binding[@protocol='http']"
	    "[@bindingInformation='*:8080:']");
	str_list_free(v, n);
	v = iiscfg_children(c, "|", &n);
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "|configSections");
	assert_string_equal(v[3], "Default Web Site/CertSrv/mscep|");
	str_list_free(v, n);
	v = iiscfg_children(c, "Default Web Site/CertSrv/mscep|", &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0],
	    "Default Web Site/CertSrv/mscep|system.webServer");
	str_list_free(v, n);
	v = iiscfg_children(c, "|system.applicationHost/applicationPools/"
	    "add[@name='DefaultAppPool']", &n);
	assert_non_null(v);
	assert_int_equal(n, 0);
	free(v);
	assert_null(iiscfg_children(c, "|nosuch", &n));
	free(bindings);
	iiscfg_free(c);
	free(data);
}

/* Every path children() gives names exactly its element. */
static size_t
walk(const struct iiscfg *c, const char *path)
{
	char err[256], **v;
	size_t n, count = 1;

	assert_int_equal(iiscfg_elem_exists(c, path, err, sizeof err), 1);
	v = iiscfg_children(c, path, &n);
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		count += walk(c, v[i]);
	str_list_free(v, n);
	return count;
}

static void
test_children_walk(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(fixtures); i++) {
		size_t len;
		char *data;
		struct iiscfg *c = load_cfg(fixtures[i], &data, &len);

		assert_true(walk(c, "|") > 20);
		iiscfg_free(c);
		free(data);
	}
}

/* ---- garbage ----------------------------------------------------------- */

static uint64_t
rnd(uint64_t *s)
{
	/* splitmix64: small, seedable, the same everywhere. */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
refused(const char *name, const char *data, size_t len, const char *why)
{
	char err[512] = "";
	struct iiscfg *c = iiscfg_parse(name, data, len, err, sizeof err);

	if (c != NULL) {
		iiscfg_free(c);
		fail_msg("%s: accepted", name);
	}
	if (!has_prefix_line(err, name))
		fail_msg("%s: error \"%s\" is not NAME:LINE: ...", name, err);
	if (why != NULL && strstr(err, why) == NULL)
		fail_msg("%s: error \"%s\" does not say \"%s\"", name, err,
		    why);
}

static void
test_garbage(void **state)
{
	static const char *docs[][2] = {
		{"<!DOCTYPE configuration [<!ENTITY a \"aaaaaaaaaa\">"
		 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
		 "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
		 "<configuration>&c;</configuration>", "DOCTYPE"},
		{"<?xml version=\"1.0\"?>\n<!DOCTYPE configuration [\n"
		 "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
		 "<configuration a=\"&xxe;\"/>", "DOCTYPE"},
		{"<!DOCTYPE configuration SYSTEM \"http://example.com/x.dtd\">"
		 "<configuration/>", "DOCTYPE"},
		{"<configuration>&nosuch;</configuration>", NULL},
		{"<configuration><a></b></configuration>", NULL},
		{"<foo><configuration/></foo>", "not <configuration>"},
		{"<configuration/><configuration/>", NULL},
		{"<configuration a=\"\xe9t\xe9\"/>", NULL},
		{"   \n\n  ", NULL},
		{"<configuration><a x='1' x='2'/></configuration>", NULL},
	};
	size_t len, n;
	char *data, *buf, name[64];
	uint64_t seed = 42;

	(void)state;
	for (size_t i = 0; i < nitems(docs); i++) {
		snprintf(name, sizeof name, "doc%zu", i);
		refused(name, docs[i][0], strlen(docs[i][0]), docs[i][1]);
	}
	refused("empty", "", 0, "empty");
	refused("null", NULL, 0, "empty");
	refused("utf16", "\xff\xfe<\0c\0/\0>\0", 10, "NUL");

	/* Random bytes, with and without NULs. */
	buf = xmalloc(4096);
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < 4096; i++) {
			buf[i] = (char)rnd(&seed);
			if (round % 2 && buf[i] == '\0')
				buf[i] = '<';
		}
		refused("random", buf, 4096, NULL);
	}
	free(buf);

	/* Every truncation of a real file. */
	data = load("iis-2space-lf.config", &len);
	for (n = 0; n + 1 < len; n++)
		refused("cut", data, n, NULL);
	free(data);

	/* 1 MB of "<a>", and more than the size limit. */
	n = 1024 * 1024;
	buf = xmalloc(n);
	for (size_t i = 0; i + 3 <= n; i += 3)
		memcpy(buf + i, "<a>", 3);
	memset(buf + n - n % 3, ' ', n % 3);
	refused("deep", buf, n, NULL);
	free(buf);
	n = IISCFG_MAX_SIZE + 1;
	buf = xmalloc(n);
	memset(buf, ' ', n);
	memcpy(buf, "<configuration/>", 16);
	refused("huge", buf, n, "too large");
	free(buf);
}

/* A large but sane file parses, and edits at its end undo. */
static void
test_large_file(void **state)
{
	struct buf b = {0};
	struct iiscfg *c;
	char err[256];
	const char *p = "|system.webServer/staticContent/"
	    "mimeMap[@fileExtension='.e19999']";

	(void)state;
	buf_adds(&b, "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "\r\n<configuration>\r\n    <system.webServer>\r\n"
	    "        <staticContent>\r\n");
	for (int i = 0; i < 20000; i++)
		buf_addf(&b, "            <mimeMap fileExtension=\".e%d\" "
		    "mimeType=\"application/x-%d\" />\r\n", i, i);
	buf_adds(&b, "        </staticContent>\r\n    </system.webServer>\r\n"
	    "</configuration>\r\n");
	c = parse_ok("large", b.p, b.len);
	assert_int_equal(iiscfg_elem_exists(c, p, err, sizeof err), 1);
	set_ok(c, p, "mimeType", "text/plain");
	set_ok(c, p, "mimeType", "application/x-19999");
	assert_bytes(c, b.p, b.len);
	iiscfg_free(c);
	buf_free(&b);
}

/* ---- undo sequences ---------------------------------------------------- */

struct op {
	char kind; /* 'E' create (if absent), 'A' set attribute */
	const char *path, *attr, *value;
};

#define SITE "|system.applicationHost/sites/site[@name='Default Web Site']"
#define POOLS "|system.applicationHost/applicationPools"
#define SCEPPOOL POOLS "/add[@name='SCEP']"
#define MSCEP SITE "/application[@path='/CertSrv/mscep']"
#define ADMIN SITE "/application[@path='/CertSrv/mscep_admin']"
#define LOC "Default Web Site/CertSrv/mscep|system.webServer"
#define SEC "|system.webServer/security"

static const struct op ndes_setup[] = {
	{'E', "|system.applicationHost", NULL, NULL},
	{'E', POOLS, NULL, NULL},
	{'E', "|system.applicationHost/sites", NULL, NULL},
	{'E', SITE, NULL, NULL},
	{'E', SCEPPOOL, NULL, NULL},
	{'A', SCEPPOOL, "managedRuntimeVersion", "v4.0"},
	{'E', SCEPPOOL "/processModel", NULL, NULL},
	{'A', SCEPPOOL "/processModel", "identityType", "SpecificUser"},
	{'A', SCEPPOOL "/processModel", "userName", "CONTOSO\\svc-ndes"},
	{'A', SCEPPOOL "/processModel", "password",
	    "[enc:IISCngProvider:AbC+/=&<>\"':enc]"},
	{'E', MSCEP, NULL, NULL},
	{'A', MSCEP, "applicationPool", "SCEP"},
	{'E', MSCEP "/virtualDirectory[@path='/']", NULL, NULL},
	{'A', MSCEP "/virtualDirectory[@path='/']", "physicalPath",
	    "C:\\Windows\\system32\\CertSrv\\mscep"},
	{'E', ADMIN, NULL, NULL},
	{'E', ADMIN "/virtualDirectory[@path='/']", NULL, NULL},
	{'E', SITE "/bindings", NULL, NULL},
	{'E', SITE "/bindings/binding[@protocol='https']"
	    "[@bindingInformation='*:443:']", NULL, NULL},
	{'A', SITE "/bindings/binding[@protocol='https']"
	    "[@bindingInformation='*:443:']", "sslFlags", "0"},
	{'A', SITE, "id", "7"},
	{'E', "Default Web Site/CertSrv/mscep|", NULL, NULL},
	{'A', "Default Web Site/CertSrv/mscep|", "overrideMode", "Allow"},
	{'E', LOC, NULL, NULL},
	{'E', LOC "/security", NULL, NULL},
	{'E', LOC "/security/requestFiltering", NULL, NULL},
	{'E', LOC "/security/requestFiltering/requestLimits", NULL, NULL},
	{'A', LOC "/security/requestFiltering/requestLimits", "maxUrl",
	    "65534"},
	{'A', LOC "/security/requestFiltering/requestLimits",
	    "maxQueryString", "65534"},
	{'E', "|system.webServer", NULL, NULL},
	{'E', SEC, NULL, NULL},
	{'E', SEC "/authentication", NULL, NULL},
	{'E', SEC "/authentication/windowsAuthentication", NULL, NULL},
	{'A', SEC "/authentication/windowsAuthentication", "enabled", "true"},
	{'E', SEC "/requestFiltering", NULL, NULL},
	{'E', SEC "/requestFiltering/requestLimits", NULL, NULL},
	{'A', SEC "/requestFiltering/requestLimits",
	    "maxAllowedContentLength", "4294967295"},
	{'A', SEC "/requestFiltering/requestLimits",
	    "maxAllowedContentLength", "1"},
};

/* Only new things: works on every file, even the empty one. */
static const struct op fresh_tree[] = {
	{'E', "|system.webServer", NULL, NULL},
	{'E', "|system.webServer/ndesTest", NULL, NULL},
	{'E', "|system.webServer/ndesTest/one[@k='1']", NULL, NULL},
	{'E', "|system.webServer/ndesTest/one[@k='2']", NULL, NULL},
	{'E', "|system.webServer/ndesTest/one[@k='2']/deep", NULL, NULL},
	{'A', "|system.webServer/ndesTest/one[@k='2']/deep", "v", "x"},
	{'A', "|system.webServer/ndesTest", "a", "1"},
	{'A', "|system.webServer/ndesTest", "a", "2"},
	{'E', "Zeta|", NULL, NULL},
	{'E', "Zeta|a", NULL, NULL},
	{'E', "Zeta|a/b", NULL, NULL},
	{'E', "Zeta|a/b/c", NULL, NULL},
	{'E', "Zeta|z", NULL, NULL},
	{'A', "|", "note", "root"},
};

struct undo {
	char kind;
	char *path, *attr, *old;
	char *before;
	size_t beforelen;
};

static void
undo_all(struct iiscfg *c, struct undo *u, size_t n, int raw)
{
	char err[512];

	while (n-- > 0) {
		if (u[n].kind == 'E')
			remove_ok(c, u[n].path);
		else if (raw && u[n].old != NULL) {
			if (edit(c, 'A', u[n].path, u[n].attr, u[n].old, 1,
			    err, sizeof err) != 0)
				fail_msg("restore %s: %s", u[n].path, err);
		} else
			set_ok(c, u[n].path, u[n].attr, u[n].old);
		assert_bytes(c, u[n].before, u[n].beforelen);
		free(u[n].path);
		free(u[n].attr);
		free(u[n].old);
		free(u[n].before);
	}
}

/* Do one op, noting how to undo it; 0 if there was nothing to do. */
static int
do_op(struct iiscfg *c, char kind, const char *path, const char *attr,
    const char *value, int raw, struct undo *u)
{
	char err[512];

	if (kind == 'E' && iiscfg_elem_exists(c, path, err, sizeof err) != 0)
		return 0;
	memset(u, 0, sizeof *u);
	u->kind = kind;
	u->path = xstrdup(path);
	u->before = iiscfg_format(c, &u->beforelen);
	if (kind == 'E')
		create_ok(c, path);
	else {
		u->attr = xstrdup(attr);
		u->old = raw ? iiscfg_attr_get_raw(c, path, attr) :
		    iiscfg_attr_get(c, path, attr);
		set_ok(c, path, attr, value);
	}
	return 1;
}

static void
run_script(struct iiscfg *c, const struct op *ops, size_t nops, int raw)
{
	struct undo *u = xcalloc(nops, sizeof *u);
	size_t n = 0;

	for (size_t i = 0; i < nops; i++)
		n += do_op(c, ops[i].kind, ops[i].path, ops[i].attr,
		    ops[i].value, raw, &u[n]);
	assert_true(n > 0);
	undo_all(c, u, n, raw);
	free(u);
}

static void
test_undo_scripts(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(fixtures); i++) {
		size_t len;
		char *data;
		struct iiscfg *c = load_cfg(fixtures[i], &data, &len);
		int raw = strcmp(fixtures[i], "oddities.config") == 0;

		run_script(c, ndes_setup, nitems(ndes_setup), raw);
		assert_bytes(c, data, len);
		run_script(c, fresh_tree, nitems(fresh_tree), raw);
		assert_bytes(c, data, len);
		iiscfg_free(c);
		free(data);
	}
	{
		struct iiscfg *c = iiscfg_new_empty();
		char *pre = text_of(c);

		run_script(c, fresh_tree, nitems(fresh_tree), 0);
		run_script(c, ndes_setup, nitems(ndes_setup), 0);
		assert_bytes(c, pre, strlen(pre));
		free(pre);
		iiscfg_free(c);
	}
}

/* ---- randomized undo --------------------------------------------------- */

static const char *
pick(uint64_t *s, const char **v, size_t n)
{
	return v[rnd(s) % n];
}

/* A value with the characters that need care, but never both quotes. */
static char *
rnd_value(uint64_t *s)
{
	static const char *bits[] = {"a", "Z", "0", " ", "&", "<", ">", "\"",
	    "'", "\t", "\n", "\r", "/", ":", "*", "]", "|", "\xc3\xa9", "&amp;",
	    "[", "="};
	struct buf b = {0};
	size_t n = rnd(s) % 10;
	char *v;

	buf_adds(&b, "");
	for (size_t i = 0; i < n; i++)
		buf_adds(&b, pick(s, bits, nitems(bits)));
	v = buf_steal(&b);
	if (strchr(v, '"') != NULL && strchr(v, '\'') != NULL)
		*strchr(v, '"') = 'q';
	return v;
}

/* A random element that a path names exactly, by walking children(). */
static char *
rnd_elem(const struct iiscfg *c, uint64_t *s)
{
	char *path = xstrdup("|"), **v, err[256];
	size_t n;

	for (;;) {
		v = iiscfg_children(c, path, &n);
		if (v == NULL) {
			/* Twins without attributes: no path tells apart. */
			assert_int_equal(iiscfg_elem_exists(c, path, err,
			    sizeof err), -1);
			free(path);
			return NULL;
		}
		if (n == 0 || rnd(s) % 4 == 0) {
			str_list_free(v, n);
			break;
		}
		free(path);
		path = xstrdup(v[rnd(s) % n]);
		str_list_free(v, n);
	}
	if (iiscfg_elem_exists(c, path, err, sizeof err) != 1) {
		free(path);
		return NULL;
	}
	return path;
}

static char *
rnd_child_path(const char *parent, uint64_t *s)
{
	static const char *names[] = {"add", "alpha", "processModel",
	    "security", "x:y", "binding", "location"};
	static const char *attrs[] = {"name", "path", "k", "value"};
	struct buf b = {0};
	size_t np = rnd(s) % 3;

	buf_adds(&b, parent);
	if (parent[strlen(parent) - 1] != '|')
		buf_addc(&b, '/');
	buf_adds(&b, pick(s, names, nitems(names)));
	for (size_t i = 0; i < np; i++) {
		char *v = rnd_value(s);
		char q = strchr(v, '\'') != NULL ? '"' : '\'';

		buf_addf(&b, "[@%s%zu=%c%s%c]", pick(s, attrs, nitems(attrs)),
		    i, q, v, q);
		free(v);
	}
	return buf_steal(&b);
}

static size_t
rnd_op(struct iiscfg *c, uint64_t *s, int raw, struct undo *u)
{
	static const char *attrs[] = {"name", "id", "path", "value",
	    "enabled", "bindingInformation", "managedRuntimeVersion",
	    "allowed", "new1", "new2", "xdt:Transform"};
	char *path = rnd_elem(c, s), *child, *v, *loc, *pat;
	const char *attr;
	size_t done = 0;

	if (path == NULL)
		return 0;
	switch (rnd(s) % 3) {
	case 0:
		/* Not an attribute the path itself names the element by. */
		attr = pick(s, attrs, nitems(attrs));
		pat = xasprintf("[@%s=", attr);
		if (strstr(path, pat) == NULL && (strcmp(attr, "path") != 0 ||
		    path[strlen(path) - 1] != '|')) {
			v = rnd_value(s);
			done = do_op(c, 'A', path, attr, v, raw, u);
			free(v);
		}
		free(pat);
		break;
	case 1:
		/* A chain of new elements under path. */
		for (int depth = rnd(s) % 3; depth >= 0; depth--) {
			child = rnd_child_path(path, s);
			if (iiscfg_elem_exists(c, child, (char[64]){0}, 64) ||
			    !do_op(c, 'E', child, NULL, NULL, raw, &u[done])) {
				free(child);
				break;
			}
			done++;
			free(path);
			path = child;
		}
		break;
	default:
		loc = xasprintf("Loc %u/x|", (unsigned)(rnd(s) % 5));
		if (do_op(c, 'E', loc, NULL, NULL, raw, u)) {
			done = 1;
			child = rnd_child_path(loc, s);
			done += do_op(c, 'E', child, NULL, NULL, raw, &u[1]);
			free(child);
		}
		free(loc);
		break;
	}
	free(path);
	return done;
}

static void
random_rounds(const char *name, const char *data, size_t len, uint64_t seed,
    int raw)
{
	struct iiscfg *c = parse_ok(name, data, len);
	struct undo u[64 * 3];
	size_t total = 0;

	for (int round = 0; round < 12; round++) {
		size_t n = 0, nops = 1 + rnd(&seed) % 40;

		for (size_t i = 0; i < nops; i++)
			n += rnd_op(c, &seed, raw, &u[n]);
		total += n;
		undo_all(c, u, n, raw);
		assert_bytes(c, data, len);
	}
	assert_true(total > 100);
	iiscfg_free(c);
}

static void
test_random_undo(void **state)
{
	const char *oneline = "<?xml version=\"1.0\"?><configuration>"
	    "<a x=\"1\"/><b></b></configuration>";

	(void)state;
	for (size_t i = 0; i < nitems(fixtures); i++) {
		size_t len;
		char *data = load(fixtures[i], &len);
		int raw = strcmp(fixtures[i], "oddities.config") == 0;

		random_rounds(fixtures[i], data, len, 0x5eed + i, raw);
		free(data);
	}
	random_rounds("empty", "<configuration/>", 16, 7, 0);
	random_rounds("oneline", oneline, strlen(oneline), 8, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_fixtures),
		cmocka_unit_test(test_roundtrip_variants),
		cmocka_unit_test(test_new_empty),
		cmocka_unit_test(test_first_line),
		cmocka_unit_test(test_attr_get),
		cmocka_unit_test(test_attr_set_and_undo),
		cmocka_unit_test(test_attr_remove_existing),
		cmocka_unit_test(test_attr_escaping),
		cmocka_unit_test(test_attr_bad_names),
		cmocka_unit_test(test_attr_same_value_noop),
		cmocka_unit_test(test_attr_raw_restore),
		cmocka_unit_test(test_location_chain),
		cmocka_unit_test(test_create_examples),
		cmocka_unit_test(test_create_in_odd_parents),
		cmocka_unit_test(test_second_child),
		cmocka_unit_test(test_restore_at),
		cmocka_unit_test(test_remove_errors),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_predicate_values),
		cmocka_unit_test(test_children),
		cmocka_unit_test(test_children_walk),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_large_file),
		cmocka_unit_test(test_undo_scripts),
		cmocka_unit_test(test_random_undo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
