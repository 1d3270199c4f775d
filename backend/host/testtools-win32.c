/*
 * The test build's stand-in machine (ndeswiz-test.exe, built with
 * -DNDESWIZ_TEST_TOOLS; the Makefile never links this file into
 * ndeswiz.exe, and tests/win/run checks that the release exe holds none
 * of it). Under Wine there is no appcmd, setspn or PowerShell and the
 * machine is in no domain, so tests/win/run's live case points the
 * driver at its doubles (tests/win/double.c) and at facts of its own:
 *
 *   NDESWIZ_TEST_SYSTEM32  the folder that stands for %windir%\System32:
 *                          the tools (setspn.exe, inetsrv\appcmd.exe,
 *                          WindowsPowerShell\v1.0\powershell.exe) and
 *                          IIS's inetsrv\config\applicationHost.config
 *   NDESWIZ_TEST_FACTS     a facts.ini (the dir driver's format, whole)
 *                          that replaces what the machine says it is
 *   NDESWIZ_TEST_GROUPS    local groups as "Group: member" lines (the
 *                          dir driver's groups.txt): Wine's netapi32
 *                          says yes to NetLocalGroupAddMembers and keeps
 *                          nothing, so a member added is never seen
 */
#ifndef NDESWIZ_TEST_TOOLS
#error "testtools-win32.c is the test build's only (NDESWIZ_TEST_TOOLS)"
#endif
#include "win32-priv.h"
#include "facts.h"

void
testtools_sysdir(char **sysdir)
{
	const char *d = getenv("NDESWIZ_TEST_SYSTEM32");

	if (d == NULL || *d == '\0')
		return;
	free(*sysdir);
	*sysdir = xstrdup(d);
}

int
testtools_facts(struct host_facts *f)
{
	const char *path = getenv("NDESWIZ_TEST_FACTS");
	char *data, err[512];
	size_t n;
	int rc;

	if (path == NULL || *path == '\0')
		return 0;
	if (file_read(path, 65536, &data, &n) != 0) {
		fprintf(stderr, "NDESWIZ_TEST_FACTS: cannot read %s: %s\n",
		    path, strerror(errno));
		return -1;
	}
	if ((rc = facts_parse(path, data, n, f, err, sizeof err)) != 0)
		fprintf(stderr, "NDESWIZ_TEST_FACTS: %s\n", err);
	free(data);
	return rc;
}

/* ---- local groups, in a file --------------------------------------- */

static char **
group_lines(const char *path, size_t *n)
{
	char *data = NULL, **v = NULL, *s, *e;
	size_t len;

	*n = 0;
	if (file_read(path, 1 << 20, &data, &len) == 0)
		for (s = data; *s; s = e + (*e != '\0')) {
			e = s + strcspn(s, "\r\n");
			v = xreallocarray(v, *n + 1, sizeof *v);
			v[(*n)++] = xstrndup(s, (size_t)(e - s));
		}
	free(data);
	return v;
}

static long
group_find(char **v, size_t n, const char *line)
{
	for (size_t i = 0; i < n; i++)
		if (str_ieq(v[i], line))
			return (long)i;
	return -1;
}

static int
file_group_get(struct winhost *w, const char *group, const char *member,
    char **v, char *err, size_t len)
{
	char *line = xasprintf("%s: %s", group, member), **l;
	size_t n;

	(void)w;
	(void)err;
	(void)len;
	l = group_lines(getenv("NDESWIZ_TEST_GROUPS"), &n);
	if (group_find(l, n, line) >= 0)
		*v = xstrdup("member");
	str_list_free(l, n);
	free(line);
	return 0;
}

static int
file_group_set(struct winhost *w, const char *group, const char *member,
    const char *v, char *err, size_t len)
{
	const char *path = getenv("NDESWIZ_TEST_GROUPS");
	char *line = xasprintf("%s: %s", group, member), **l;
	size_t n;
	long at;
	struct buf b = {0};
	int rc = 0;

	(void)w;
	l = group_lines(path, &n);
	at = group_find(l, n, line);
	for (size_t i = 0; i < n; i++)
		if ((long)i != at || v != NULL)
			buf_addf(&b, "%s\n", l[i]);
	if (v != NULL && at < 0)
		buf_addf(&b, "%s\n", line);
	if (file_write_atomic(path, b.p ? b.p : "", b.len, 0600) != 0) {
		snprintf(err, len, "cannot write %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	buf_free(&b);
	str_list_free(l, n);
	free(line);
	return rc;
}

int
testtools_res(enum res_kind kind, winres_get_fn *get, winres_set_fn *set)
{
	const char *g = getenv("NDESWIZ_TEST_GROUPS");

	if (kind != RES_GROUP || g == NULL || *g == '\0')
		return 0;
	*get = file_group_get;
	*set = file_group_set;
	return 1;
}

/* ---- a tool that does not start ------------------------------------- */

int
testtools_spawn_fails(DWORD *code)
{
	static long long starts;
	const char *v = getenv("NDESWIZ_TEST_SPAWN_FAIL");
	long long n;
	unsigned long c;

	if (v == NULL || sscanf(v, "%lld:%lu", &n, &c) != 2 || ++starts > n)
		return 0;
	*code = (DWORD)c;
	return 1;
}
