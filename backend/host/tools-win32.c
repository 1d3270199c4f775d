/*
 * What only Windows' tools change: features, SPNs, the NDES role
 * (PowerShell, setspn), and IIS (read the file, write through appcmd).
 */
#include "win32-priv.h"

#define MSCEP_KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography" \
	"\\MSCEP"

/* ---- features, SPNs, the NDES role: the tools --------------------------- */

void
toolcache_forget(struct toolcache *c)
{
	str_list_free(c->v, c->n);
	free(c->key);
	memset(c, 0, sizeof *c);
}

/* Is c the list read for key (accounts compare as Windows does, without
 * case)? */
static int
toolcache_for(const struct toolcache *c, const char *key)
{
	if (!c->read)
		return 0;
	if (key == NULL || c->key == NULL)
		return key == c->key;
	return str_ieq(key, c->key);
}

/* c keeps v (n names, now c's), the list read for key. */
static void
toolcache_keep(struct toolcache *c, const char *key, char **v, size_t n)
{
	toolcache_forget(c);
	c->key = key ? xstrdup(key) : NULL;
	c->v = v;
	c->n = n;
	c->read = 1;
}

static int
toolcache_holds(const struct toolcache *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (str_ieq(c->v[i], name))
			return 1;
	return 0;
}

int
feature_get(struct winhost *w, const char *name, const char *unused,
    char **v, char *err, size_t len)
{
	char *script, *out = NULL, **names;
	size_t n;
	int rc;

	(void)unused;
	if (!toolcache_for(&w->features, NULL)) {
		script = wincmd_features_installed();
		rc = powershell(w, script, NULL, 0, &out, err, len);
		free(script);
		if (rc != 0) {
			free(out);
			return rc;
		}
		names = str_split_any(out, "\r\n", &n);
		toolcache_keep(&w->features, NULL, names, n);
		free(out);
	}
	if (toolcache_holds(&w->features, name))
		*v = xstrdup("installed");
	return 0;
}

/* Installing one feature may install others (Web-Server brings its
 * defaults): what was read before is dropped, not edited. */
int
feature_set(struct winhost *w, const char *name, const char *unused,
    const char *v, char *err, size_t len)
{
	char *script = wincmd_feature_script(name, v != NULL);
	int rc = powershell(w, script, NULL, 0, NULL, err, len);

	(void)unused;
	toolcache_forget(&w->features);
	free(script);
	return rc;
}

int
spn_get(struct winhost *w, const char *account, const char *spn, char **v,
    char *err, size_t len)
{
	char *exe, *line, *out = NULL, **names;
	size_t n;
	int rc;

	if (!toolcache_for(&w->spns, account)) {
		exe = sys_tool(w, "setspn.exe");
		line = wincmd_setspn_list(exe, account);
		rc = run_checked(line, NULL, 0, &out, err, len);
		free(line);
		free(exe);
		if (rc != 0) {
			free(out);
			return rc;
		}
		names = wincmd_setspn_parse(out, &n);
		toolcache_keep(&w->spns, account, names, n);
		free(out);
	}
	if (toolcache_holds(&w->spns, spn))
		*v = xstrdup("registered");
	return 0;
}

/* Whether setspn -s or -d changed the account or refused (an SPN held by
 * another account), its list is read again. */
int
spn_set(struct winhost *w, const char *account, const char *spn,
    const char *v, char *err, size_t len)
{
	char *exe = sys_tool(w, "setspn.exe");
	char *line = wincmd_setspn(exe, account, spn, v != NULL);
	int rc = run_checked(line, NULL, 0, NULL, err, len);

	toolcache_forget(&w->spns);
	free(line);
	free(exe);
	return rc;
}

/* What was installed, as the role's value says it: Windows cannot say
 * which parameters a role was installed with, so we keep them. */
static char *
role_file(struct winhost *w, const char *role)
{
	return xasprintf("%s/role-%s.txt", w->state, role);
}

int
role_get(struct winhost *w, const char *role, const char *name,
    char **v, char *err, size_t len)
{
	char *present = NULL, *path = role_file(w, role), *data = NULL;
	size_t n;

	(void)name;
	/* Installed by ndeswiz: its parameters say so, whether or not the
	 * MSCEP key is still there (a rollback removes the key first). */
	if (file_read(path, 65536, &data, &n) == 0) {
		*v = data;
		free(path);
		return 0;
	}
	free(path);
	if (regkey_get(w, MSCEP_KEY, NULL, &present, err, len) != 0)
		return -1;
	if (present != NULL)
		*v = xstrdup("(configured, not by ndeswiz)");
	free(present);
	return 0;
}

int
role_set(struct winhost *w, const char *role, const char *name,
    const char *v, char *err, size_t len)
{
	char *script, *ref = NULL, *cur = NULL, *path = role_file(w, role);
	struct secret pw = {0};
	int rc = -1;

	(void)name;
	if (strcmp(role, "ADCS-Device-Enrollment") != 0) {
		snprintf(err, len, "ndeswiz configures no role '%s'", role);
		goto out;
	}
	if (role_get(w, role, NULL, &cur, err, len) != 0)
		goto out;
	/* A new configuration is a reinstall: the cmdlet has no "change". */
	if (cur != NULL) {
		script = wincmd_role_uninstall_script();
		rc = powershell(w, script, NULL, 0, NULL, err, len);
		free(script);
		if (rc != 0)
			goto out;
		remove(path);
	}
	rc = 0;
	if (v == NULL)
		goto out;
	if ((script = wincmd_role_install_script(v, &ref, err, len)) == NULL) {
		rc = -1;
		goto out;
	}
	if (ref != NULL && secret_resolve(ref,
	    fields_table[F_ACCOUNTS_NDES_SERVICE_PASSWORD].label, &pw, err,
	    len) != 0)
		rc = -1;
	/* The password is the one line the script reads from stdin (the
	 * buffer holds SECRET_MAX + 1 bytes: room for the newline). */
	if (rc == 0 && pw.p != NULL)
		pw.p[pw.len] = '\n';
	if (rc == 0)
		rc = powershell(w, script, pw.p, pw.p ? pw.len + 1 : 0, NULL,
		    err, len);
	secret_wipe(&pw);
	free(script);
	free(ref);
	if (rc == 0 && file_write_atomic(path, v, strlen(v), 0600) != 0) {
		snprintf(err, len, "cannot write %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
out:
	free(cur);
	free(path);
	return rc;
}

/* ---- IIS: read the config file, write through appcmd ------------------- */

static struct iiscfg *
iis_load(struct winhost *w, char *err, size_t len)
{
	char *path = xasprintf("%s/inetsrv/config/applicationHost.config",
	    w->sysdir), *data;
	struct iiscfg *c = NULL;
	size_t n;

	if (file_read(path, IISCFG_MAX_SIZE, &data, &n) == 0) {
		c = iiscfg_parse(path, data, n, err, len);
		free(data);
	} else if (errno != ENOENT)
		snprintf(err, len, "cannot read %s: %s", path,
		    strerror(errno));
	else
		err[0] = '\0'; /* no IIS: nothing is there */
	free(path);
	return c;
}

static int
iis_read(struct winhost *w, enum res_kind kind, const char *path,
    const char *name, char **v, char *err, size_t len)
{
	struct iiscfg *c = iis_load(w, err, len);
	int rc = 0;

	if (c == NULL)
		return err[0] ? -1 : 0;
	if (kind == RES_IISELEM && str_eq(name, HOST_IIS_INDEX)) {
		rc = iiscfg_elem_index(c, path, err, len);
		*v = rc >= 0 ? xasprintf("%d", rc) : NULL;
		rc = rc == -2 ? -1 : 0;
	} else if (kind == RES_IISELEM) {
		rc = iiscfg_elem_exists(c, path, err, len);
		*v = rc == 1 ? xstrdup("present") : NULL;
		rc = rc < 0 ? -1 : 0;
	} else
		*v = iiscfg_attr_get(c, path, name);
	iiscfg_free(c);
	return rc;
}

int
iis_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len)
{
	return iis_read(w, RES_IIS, path, name, v, err, len);
}

int
iiselem_get(struct winhost *w, const char *path, const char *name,
    char **v, char *err, size_t len)
{
	return iis_read(w, RES_IISELEM, path, name, v, err, len);
}

static int
iis_run(struct winhost *w, char *line, char *err, size_t len)
{
	int rc = line ? run_checked(line, NULL, 0, NULL, err, len) : -1;

	(void)w;
	free(line);
	return rc;
}

int
iis_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	char *exe = sys_tool(w, "inetsrv\\appcmd.exe");
	int rc = iis_run(w, wincmd_appcmd_attr(exe, path, name, v, err, len),
	    err, len);

	free(exe);
	return rc;
}

/* A collection item ends in [@key='value']: appcmd adds and removes it.
 * Any other element (a location, a section, requestLimits) appcmd makes
 * itself when an attribute is set in it, and drops when its last one is
 * cleared: there is no command of its own to run. */
static int
iis_is_item(const char *path)
{
	size_t n = strlen(path);

	return n > 0 && path[n - 1] == ']';
}

int
iiselem_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	char *exe, *script, *end;
	long at;
	int rc;

	if (!iis_is_item(path))
		return 0;
	/* name HOST_IIS_INDEX puts the element back at its position:
	 * appcmd's "/+" only appends, so that goes through PowerShell's
	 * Add-WebConfiguration -AtIndex. */
	if (v != NULL && str_eq(name, HOST_IIS_INDEX)) {
		at = strtol(v, &end, 10);
		if (end == v || *end != '\0' || at < 0 || at > 100000) {
			snprintf(err, len, "IIS position '%s' is not a "
			    "position", v);
			return -1;
		}
		script = wincmd_iis_insert_script(path, (int)at, err, len);
		if (script == NULL)
			return -1;
		rc = powershell(w, script, NULL, 0, NULL, err, len);
		free(script);
		return rc;
	}
	exe = sys_tool(w, "inetsrv\\appcmd.exe");
	rc = iis_run(w, wincmd_appcmd_elem(exe, path, v != NULL, err, len),
	    err, len);
	free(exe);
	return rc;
}
