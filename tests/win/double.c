/*
 * A double of the Windows tools the win32 driver runs, for Wine (which
 * has none of them): one exe, copied under each tool's name into the
 * folder that ndeswiz-test.exe takes for System32 (NDESWIZ_TEST_SYSTEM32,
 * backend/host/testtools-win32.c). It answers as the tool named by its
 * own file name:
 *
 *   setspn.exe                              -l ACCOUNT, -s SPN ACCOUNT,
 *                                           -d SPN ACCOUNT
 *   inetsrv\appcmd.exe                      set|clear config [LOCATION]
 *                                           -section:S /OP /commit:apphost
 *   WindowsPowerShell\v1.0\powershell.exe   -EncodedCommand: the feature
 *                                           and NDES role scripts
 *
 * Each run takes its command line as Windows parses it (GetCommandLineW,
 * CommandLineToArgvW; PowerShell's -EncodedCommand decoded from base64
 * UTF-16LE here, not by the code that encoded it), reads all of stdin,
 * appends one JSON line to %DOUBLE_LOG%\calls.jsonl (tool, argv, script,
 * stdin, exit), and has the tool's effect on:
 *
 *   %DOUBLE_STATE%\features.txt   installed features, one a line
 *   %DOUBLE_STATE%\spns.txt       "ACCOUNT: SPN" lines
 *   %DOUBLE_STATE%\role.txt       the NDES role's parameters; and the
 *                                 role's HKLM\SOFTWARE\Microsoft\
 *                                 Cryptography\MSCEP key in the registry
 *   System32\inetsrv\config\applicationHost.config   (appcmd), with
 *   %DOUBLE_STATE%\appcmd-made.txt  the elements appcmd made on its own
 *                                 (as IIS does for an attribute set where
 *                                 the element is missing) and the
 *                                 attributes set on them, so that clearing
 *                                 the last one drops them again
 *
 * DOUBLE_FAIL=TOOL:N[,TOOL:N...] makes the N-th run of TOOL (counted in
 * %DOUBLE_LOG%\calls-TOOL.txt) fail: exit 1, no effect.
 */
#include "iiscfg.h"
#include "util.h"

#undef gethostname
#include <windows.h>
#include <shellapi.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSCEP L"SOFTWARE\\Microsoft\\Cryptography\\MSCEP"

static char *state_dir, *sys_dir;

/* ---- text ------------------------------------------------------------- */

static char *
utf8(const wchar_t *w, int n)
{
	int len = WideCharToMultiByte(CP_UTF8, 0, w, n, NULL, 0, NULL, NULL);
	char *s = xcalloc((size_t)len + 1, 1);

	WideCharToMultiByte(CP_UTF8, 0, w, n, s, len, NULL, NULL);
	return s;
}

static int
b64_val(int c)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(abc, c) : NULL;

	return p ? (int)(p - abc) : -1;
}

/* -EncodedCommand's text: base64 of UTF-16LE. NULL when it is not. */
static char *
ps_decode(const char *b64)
{
	size_t n = strlen(b64), k = 0;
	unsigned char *raw = xcalloc(n, 1);
	unsigned long acc = 0;
	int bits = 0, v;
	char *s;

	for (const char *p = b64; *p && *p != '='; p++) {
		if ((v = b64_val(*p)) < 0) {
			free(raw);
			return NULL;
		}
		acc = acc << 6 | (unsigned long)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			raw[k++] = (unsigned char)(acc >> bits);
		}
	}
	if (k % 2 != 0) {
		free(raw);
		return NULL;
	}
	/* UTF-16LE on a little-endian machine: the bytes are wchar_t. */
	s = utf8((const wchar_t *)(void *)raw, (int)(k / 2));
	free(raw);
	return s;
}

static void
json_str(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", c);
		else if (c < 0x20)
			buf_addf(b, "\\u%04x", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

/* ---- state files ------------------------------------------------------- */

static char *
state_path(const char *name)
{
	return xasprintf("%s\\%s", state_dir, name);
}

/* The file's lines but blank ones ('#' comments too: kept as they are,
 * and no name matches them); *n of them. */
static char **
lines_read(const char *name, size_t *n)
{
	char *path = state_path(name), *data = NULL, **v = NULL, *s, *e;
	size_t len;

	*n = 0;
	if (file_read(path, 1 << 20, &data, &len) == 0)
		for (s = data; *s; s = e + (*e != '\0')) {
			e = s + strcspn(s, "\r\n");
			if (e > s) {
				v = xreallocarray(v, *n + 1, sizeof *v);
				v[(*n)++] = xstrndup(s, (size_t)(e - s));
			}
		}
	free(data);
	free(path);
	return v;
}

static int
lines_write(const char *name, char **v, size_t n)
{
	struct buf b = {0};
	char *path = state_path(name);
	int rc;

	for (size_t i = 0; i < n; i++)
		if (v[i] != NULL)
			buf_addf(&b, "%s\n", v[i]);
	/* None left: no file, as before the first line came. */
	rc = b.len == 0 ? remove(path) != 0 && errno != ENOENT :
	    file_write_atomic(path, b.p, b.len, 0600);
	buf_free(&b);
	free(path);
	return rc;
}

/* Index of the line equal to s (case-insensitive), or -1. */
static long
lines_find(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] != NULL && str_ieq(v[i], s))
			return (long)i;
	return -1;
}

/* Add (add != 0) or drop the line s; 1 when that changed the file. */
static int
lines_edit(const char *name, const char *s, int add)
{
	size_t n;
	char **v = lines_read(name, &n);
	long at = lines_find(v, n, s);
	int changed = add ? at < 0 : at >= 0;

	if (add && at < 0) {
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup(s);
	} else if (!add && at >= 0) {
		free(v[at]);
		v[at] = NULL;
	}
	if (changed)
		lines_write(name, v, n);
	str_list_free(v, n);
	return changed;
}

/* ---- setspn ------------------------------------------------------------ */

static int
setspn(int argc, char **argv, const char *in)
{
	size_t n;
	char **v, *line;
	int rc = 0;

	(void)in;
	if (argc == 3 && str_eq(argv[1], "-l")) {
		v = lines_read("spns.txt", &n);
		printf("Registered ServicePrincipalNames for CN=%s:\r\n",
		    argv[2]);
		for (size_t i = 0; i < n; i++) {
			char *sep = strstr(v[i], ": ");

			if (sep && strlen(argv[2]) == (size_t)(sep - v[i]) &&
			    _strnicmp(v[i], argv[2], strlen(argv[2])) == 0)
				printf("\t%s\r\n", sep + 2);
		}
		str_list_free(v, n);
		return 0;
	}
	if (argc != 4 || (!str_eq(argv[1], "-s") && !str_eq(argv[1], "-d"))) {
		fprintf(stderr, "setspn double: usage: -l ACCOUNT | -s SPN "
		    "ACCOUNT | -d SPN ACCOUNT\n");
		return 1;
	}
	line = xasprintf("%s: %s", argv[3], argv[2]);
	if (str_eq(argv[1], "-s")) {
		/* -s checks for duplicates first, across accounts. */
		v = lines_read("spns.txt", &n);
		for (size_t i = 0; i < n && rc == 0; i++) {
			char *sep = strstr(v[i], ": ");

			if (sep && str_ieq(sep + 2, argv[2])) {
				printf("Duplicate SPN found, aborting "
				    "operation!\r\n");
				rc = 1;
			}
		}
		str_list_free(v, n);
		if (rc == 0)
			lines_edit("spns.txt", line, 1);
	} else if (!lines_edit("spns.txt", line, 0)) {
		printf("Unregistering ServicePrincipalNames for CN=%s\r\n"
		    "\t%s\r\nFailed to remove SPN, error 0x2077\r\n", argv[3],
		    argv[2]);
		rc = 1;
	}
	free(line);
	return rc;
}

/* ---- PowerShell -------------------------------------------------------- */

/* The PowerShell 'literal' at s (quotes doubled inside); NULL if none. */
static char *
ps_literal(const char *s)
{
	struct buf b = {0};

	if (s == NULL || *s != '\'')
		return NULL;
	for (s++; *s; s++) {
		if (*s == '\'' && s[1] == '\'')
			buf_addc(&b, *s++);
		else if (*s == '\'')
			return buf_steal(&b);
		else
			buf_addc(&b, *s);
	}
	buf_free(&b);
	return NULL;
}

static const char *
after(const char *s, const char *what)
{
	const char *p = strstr(s, what);

	return p ? p + strlen(what) : NULL;
}

static int
mscep_key(int present)
{
	HKEY k;
	LONG rc;

	if (!present) {
		rc = RegDeleteTreeW(HKEY_LOCAL_MACHINE, MSCEP);
		if (rc == ERROR_SUCCESS)
			rc = RegDeleteKeyW(HKEY_LOCAL_MACHINE, MSCEP);
		return rc == ERROR_SUCCESS || rc == ERROR_FILE_NOT_FOUND ? 0 :
		    -1;
	}
	if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, MSCEP, 0, NULL, 0,
	    KEY_WRITE, NULL, &k, NULL) != ERROR_SUCCESS)
		return -1;
	RegCloseKey(k);
	return 0;
}

static int
role(const char *script, const char *in, int install)
{
	char *path = state_path("role.txt"), *cur = NULL;
	const char *args;
	size_t n;
	int have = file_read(path, 65536, &cur, &n) == 0, rc = 1;

	if (install && have)
		fprintf(stderr, "Install-AdcsNetworkDeviceEnrollmentService: "
		    "the role is already configured\n");
	else if (!install && !have)
		fprintf(stderr, "Uninstall-AdcsNetworkDeviceEnrollmentService: "
		    "the role is not configured\n");
	else if (install && strstr(script, "$in.ReadLine()") &&
	    (in[0] == '\0' || in[0] == '\n' || !strchr(in, '\n')))
		fprintf(stderr, "ServiceAccountPassword: no line on stdin\n");
	else if (!install) {
		rc = mscep_key(0) == 0 && remove(path) == 0 ? 0 : 1;
	} else {
		args = after(script, "EnrollmentService");
		rc = mscep_key(1) == 0 && file_write_atomic(path, args,
		    strlen(args), 0600) == 0 ? 0 : 1;
	}
	free(cur);
	free(path);
	return rc;
}

static int
powershell(int argc, char **argv, const char *in, const char *script)
{
	static const char *const fixed[] = { "-NoLogo", "-NoProfile",
	    "-NonInteractive", "-ExecutionPolicy", "Bypass",
	    "-EncodedCommand" };
	const char *s;
	char *name = NULL;
	size_t nf;
	char **feat;
	int rc = 1;

	if (argc != 8) {
		fprintf(stderr, "powershell double: want the 6 fixed options "
		    "and one encoded script, got %d arguments\n", argc - 1);
		return 1;
	}
	for (int i = 0; i < 6; i++)
		if (!str_eq(argv[i + 1], fixed[i])) {
			fprintf(stderr, "powershell double: argument %d is "
			    "'%s', not '%s'\n", i + 1, argv[i + 1], fixed[i]);
			return 1;
		}
	if ((s = script) == NULL) {
		fprintf(stderr, "powershell double: not base64 UTF-16LE\n");
		return 1;
	}
	if (!str_has_prefix(s, "$ErrorActionPreference = 'Stop'; ")) {
		fprintf(stderr, "powershell double: the script does not stop "
		    "at its first error\n");
		return 1;
	}
	if (str_eq(s, "$ErrorActionPreference = 'Stop'; Get-WindowsFeature | "
	    "Where-Object { $_.InstallState -eq 'Installed' } | "
	    "ForEach-Object { $_.Name }")) {
		feat = lines_read("features.txt", &nf);
		for (size_t i = 0; i < nf; i++)
			printf("%s\r\n", feat[i]);
		str_list_free(feat, nf);
		rc = 0;
	} else if ((name = ps_literal(after(s, "$r = Install-WindowsFeature "
	    "-Name ")))) {
		lines_edit("features.txt", name, 1);
		rc = 0;
	} else if ((name = ps_literal(after(s, "$r = Uninstall-"
	    "WindowsFeature -Name ")))) {
		lines_edit("features.txt", name, 0);
		rc = 0;
	} else if (strstr(s, "Uninstall-AdcsNetworkDeviceEnrollmentService"))
		return role(s, in, 0);
	else if (strstr(s, "Install-AdcsNetworkDeviceEnrollmentService"))
		return role(s, in, 1);
	else
		fprintf(stderr, "powershell double: no script it knows\n");
	free(name);
	return rc;
}

/* ---- appcmd ------------------------------------------------------------ */

/* A collection item's element name, by its collection's. */
static const char *
item_name(const char *collection)
{
	static const char *const map[][2] = {
		{ "sites", "site" }, { "bindings", "binding" },
	};

	for (size_t i = 0; i < nitems(map); i++)
		if (str_eq(collection, map[i][0]))
			return map[i][1];
	return "add";
}

/*
 * appcmd's "a.[k='v',k2='v2'].b" (after the section) onto the config path
 * "LOCATION|SECTION": one /step each; an item [..] becomes
 * ITEM[@k='v'][@k2='v2'], ITEM the element of that name found there, or
 * the collection's usual one. *rest: what follows the path (":value").
 */
static char *
appcmd_path(struct iiscfg *c, const char *base, const char *op,
    const char **rest)
{
	struct buf p = {0};
	const char *s = op, *last = strrchr(base, '/');
	char *prev = xstrdup(last ? last + 1 : base);

	buf_adds(&p, base);
	while (*s && *s != ':') {
		if (*s == '[') {
			struct buf pred = {0};
			char **kids, *path;
			size_t nk;
			const char *name = NULL;
			char why[256];

			for (s++; *s && *s != ']'; s++) {
				const char *eq = strchr(s, '='), *ve;

				if (!eq || eq[1] != '\'' ||
				    !(ve = strchr(eq + 2, '\'')))
					goto bad;
				buf_addf(&pred, "[@%.*s=%.*s]", (int)(eq - s),
				    s, (int)(ve - eq), eq + 1);
				s = ve;
				if (s[1] == ',')
					s++;
			}
			if (*s++ != ']')
				goto bad;
			/* Which element: one already there that matches. */
			path = xstrdup(p.p);
			kids = iiscfg_children(c, path, &nk);
			for (size_t i = 0; i < nk && !name; i++) {
				const char *k = strrchr(kids[i], '/');
				char *cand, *kn = xstrndup(k + 1,
				    strcspn(k + 1, "["));

				cand = xasprintf("%s/%s%s", path, kn, pred.p);
				if (iiscfg_elem_exists(c, cand, why,
				    sizeof why) == 1)
					name = xstrdup(kn);
				free(cand);
				free(kn);
			}
			str_list_free(kids, nk);
			free(path);
			if (!name)
				name = xstrdup(item_name(prev));
			buf_addf(&p, "/%s%s", name, pred.p);
			free((char *)name);
			buf_free(&pred);
		} else {
			size_t n = strcspn(s, ".:");

			free(prev);
			prev = xstrndup(s, n);
			buf_addf(&p, "/%s", prev);
			s += n;
		}
		if (*s == '.')
			s++;
	}
	free(prev);
	*rest = s;
	return buf_steal(&p);
bad:
	free(prev);
	buf_free(&p);
	return NULL;
}

static char *
made_line(const char *kind, const char *path, const char *attr)
{
	return xasprintf("%s %s%s%s", kind, path, attr ? "\t" : "",
	    attr ? attr : "");
}

/* Make path's missing elements (IIS does, for an attribute set there);
 * the last one is noted as made by appcmd when implicit. */
static int
make_parents(struct iiscfg *c, const char *path, int implicit, char *err,
    size_t len)
{
	char *bar = strchr(path, '|'), *p;
	int rc = 0;

	for (char *s = bar; s && rc == 0; s = strchr(s + 1, '/')) {
		/* "LOCATION|" first, then each /step (quotes hold no '/'
		 * in what ndeswiz edits). */
		p = xstrndup(path, (size_t)(s - path) + (s == bar));
		if (s != bar || s > path) {
			if (iiscfg_elem_exists(c, p, err, len) == 0) {
				rc = iiscfg_elem_create(c, p, err, len);
				if (rc == 0) {
					char *l = made_line("E", p, NULL);
					lines_edit("appcmd-made.txt", l, 1);
					free(l);
				}
			}
		}
		free(p);
	}
	if (rc == 0 && iiscfg_elem_exists(c, path, err, len) == 0 &&
	    (rc = iiscfg_elem_create(c, path, err, len)) == 0 && implicit) {
		char *l = made_line("E", path, NULL);
		lines_edit("appcmd-made.txt", l, 1);
		free(l);
	}
	return rc;
}

/* Drop the elements appcmd made that nothing holds any more, leaf first. */
static void
prune(struct iiscfg *c)
{
	size_t n, nk;
	char **v = lines_read("appcmd-made.txt", &n), **kids, why[256];

	for (size_t i = n; i-- > 0;) {
		const char *path = v[i] + 2;
		int held = 0;

		if (v[i][0] != 'E')
			continue;
		for (size_t k = 0; k < n && !held; k++)
			held = v[k] && v[k][0] == 'A' &&
			    str_has_prefix(v[k] + 2, path) &&
			    v[k][2 + strlen(path)] == '\t';
		kids = iiscfg_children(c, path, &nk);
		str_list_free(kids, nk);
		if (!held && nk == 0 &&
		    iiscfg_elem_remove(c, path, why, sizeof why) == 0) {
			free(v[i]);
			v[i] = NULL;
		}
	}
	lines_write("appcmd-made.txt", v, n);
	str_list_free(v, n);
}

static int
appcmd(int argc, char **argv, const char *in)
{
	char *file = xasprintf("%s\\inetsrv\\config\\applicationHost.config",
	    sys_dir), *data = NULL, *base = NULL, *path = NULL, *out;
	struct iiscfg *c = NULL;
	const char *loc = "", *sec, *op, *rest;
	char err[512] = "";
	size_t n;
	int i = 3, set, rc = 1;

	(void)in;
	if (argc < 6 || (!str_eq(argv[1], "set") && !str_eq(argv[1],
	    "clear")) || !str_eq(argv[2], "config")) {
		snprintf(err, sizeof err, "want set|clear config ...");
		goto out;
	}
	set = str_eq(argv[1], "set");
	if (argv[i][0] != '-' && argv[i][0] != '/')
		loc = argv[i++];
	if (argc != i + 3 || !str_has_prefix(argv[i], "-section:") ||
	    argv[i + 1][0] != '/' || !str_eq(argv[i + 2], "/commit:apphost")) {
		snprintf(err, sizeof err, "want -section:S /OP "
		    "/commit:apphost");
		goto out;
	}
	sec = argv[i] + strlen("-section:");
	op = argv[i + 1] + 1;
	if (file_read(file, IISCFG_MAX_SIZE, &data, &n) != 0 ||
	    (c = iiscfg_parse(file, data, n, err, sizeof err)) == NULL) {
		if (!err[0])
			snprintf(err, sizeof err, "cannot read %s", file);
		goto out;
	}
	base = xasprintf("%s|%s", loc, sec);
	if (*op == '+' || *op == '-') {
		/* A collection item, added or removed. */
		if ((path = appcmd_path(c, base, op + 1, &rest)) == NULL ||
		    *rest != '\0' || !set)
			goto bad;
		rc = *op == '+' ? make_parents(c, path, 0, err, sizeof err) :
		    iiscfg_elem_remove(c, path, err, sizeof err);
	} else {
		/* path.attr[:value]: the attribute is the last step. */
		char *attr, *dot;

		if ((path = appcmd_path(c, base, op, &rest)) == NULL ||
		    (set != (*rest == ':')))
			goto bad;
		dot = strrchr(path, '/');
		attr = xstrdup(dot + 1);
		*dot = '\0';
		if (set && (rc = make_parents(c, path, 1, err,
		    sizeof err)) == 0)
			rc = iiscfg_attr_set(c, path, attr, rest + 1, err,
			    sizeof err);
		else if (!set)
			rc = iiscfg_attr_set(c, path, attr, NULL, err,
			    sizeof err);
		if (rc == 0) {
			char *l = made_line("A", path, attr);
			lines_edit("appcmd-made.txt", l, set);
			free(l);
			if (!set)
				prune(c);
		}
		free(attr);
	}
	if (rc == 0) {
		out = iiscfg_format(c, &n);
		if (file_write_atomic(file, out, n, 0644) != 0) {
			snprintf(err, sizeof err, "cannot write %s", file);
			rc = 1;
		}
		free(out);
		printf("Applied configuration changes to section \"%s\" for "
		    "\"MACHINE/WEBROOT/APPHOST%s%s\" at configuration commit "
		    "path \"MACHINE/WEBROOT/APPHOST\"\r\n", sec, *loc ? "/" :
		    "", loc);
	}
	goto out;
bad:
	snprintf(err, sizeof err, "cannot follow '%s'", argv[i + 1]);
out:
	if (rc != 0)
		printf("ERROR ( message:%s. )\r\n", err);
	iiscfg_free(c);
	free(path);
	free(base);
	free(data);
	free(file);
	return rc != 0;
}

/* ---- main -------------------------------------------------------------- */

/* Counted in the state folder; 1 when DOUBLE_FAIL names this run. */
static int
fail_now(const char *tool)
{
	char *name = xasprintf("calls-%s.txt", tool);
	char *path = xasprintf("%s\\%s", getenv("DOUBLE_LOG"), name);
	char *data = NULL, *want, *f = getenv("DOUBLE_FAIL");
	size_t n;
	long k = 0;
	int hit = 0;

	if (file_read(path, 64, &data, &n) == 0)
		k = strtol(data, NULL, 10);
	free(data);
	data = xasprintf("%ld\n", ++k);
	file_write_atomic(path, data, strlen(data), 0600);
	want = xasprintf("%s:%ld", tool, k);
	for (char *s = f; s && *s && !hit; s += strcspn(s, ","),
	    s += *s == ',')
		hit = strncmp(s, want, strlen(want)) == 0 &&
		    (s[strlen(want)] == ',' || s[strlen(want)] == '\0');
	free(want);
	free(data);
	free(path);
	free(name);
	return hit;
}

static char *
read_all(FILE *f)
{
	struct buf b = {0};
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	buf_addc(&b, '\0');
	return buf_steal(&b);
}

static void
record(const char *tool, int argc, char **argv, const char *script,
    const char *in, int rc)
{
	char *path = xasprintf("%s\\calls.jsonl", getenv("DOUBLE_LOG"));
	struct buf b = {0};
	FILE *f;

	buf_adds(&b, "{\"tool\":");
	json_str(&b, tool);
	buf_adds(&b, ",\"argv\":[");
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			buf_addc(&b, ',');
		json_str(&b, argv[i]);
	}
	buf_adds(&b, "],\"script\":");
	if (script)
		json_str(&b, script);
	else
		buf_adds(&b, "null");
	buf_adds(&b, ",\"stdin\":");
	json_str(&b, in);
	buf_addf(&b, ",\"exit\":%d}\n", rc);
	if ((f = fopen(path, "ab")) != NULL) {
		fwrite(b.p, 1, b.len, f);
		fclose(f);
	}
	buf_free(&b);
	free(path);
}

int
main(void)
{
	int argc, rc;
	wchar_t **wargv = CommandLineToArgvW(GetCommandLineW(), &argc);
	wchar_t self[MAX_PATH];
	char **argv, *tool, *in, *script = NULL, *p;

	if (wargv == NULL || getenv("DOUBLE_LOG") == NULL ||
	    getenv("DOUBLE_STATE") == NULL || getenv("NDESWIZ_TEST_SYSTEM32")
	    == NULL) {
		fprintf(stderr, "double: needs DOUBLE_LOG, DOUBLE_STATE and "
		    "NDESWIZ_TEST_SYSTEM32\n");
		return 2;
	}
	state_dir = getenv("DOUBLE_STATE");
	sys_dir = getenv("NDESWIZ_TEST_SYSTEM32");
	argv = xcalloc((size_t)argc + 1, sizeof *argv);
	for (int i = 0; i < argc; i++)
		argv[i] = utf8(wargv[i], -1);
	GetModuleFileNameW(NULL, self, MAX_PATH);
	tool = utf8(self, -1);
	memmove(tool, strrchr(tool, '\\') ? strrchr(tool, '\\') + 1 : tool,
	    strlen(strrchr(tool, '\\') ? strrchr(tool, '\\') + 1 : tool) + 1);
	if ((p = strrchr(tool, '.')) != NULL)
		*p = '\0';
	for (p = tool; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	in = read_all(stdin);
	if (str_eq(tool, "powershell") && argc == 8)
		script = ps_decode(argv[7]);
	if (fail_now(tool)) {
		printf("%s double: failing on demand (DOUBLE_FAIL)\r\n", tool);
		rc = 1;
	} else if (str_eq(tool, "setspn"))
		rc = setspn(argc, argv, in);
	else if (str_eq(tool, "appcmd"))
		rc = appcmd(argc, argv, in);
	else if (str_eq(tool, "powershell"))
		rc = powershell(argc, argv, in, script);
	else {
		fprintf(stderr, "double: no tool '%s'\n", tool);
		rc = 2;
	}
	record(tool, argc, argv, script, in, rc);
	fflush(stdout);
	return rc;
}
