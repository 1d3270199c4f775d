/*
 * The registry, through advapi32: keys and values in .reg syntax.
 */
#include "win32-priv.h"

/* ---- registry ---------------------------------------------------------- */

static const struct {
	const char *name;
	HKEY key;
} reg_roots[] = {
	{ "HKEY_LOCAL_MACHINE", HKEY_LOCAL_MACHINE },
	{ "HKLM", HKEY_LOCAL_MACHINE },
	{ "HKEY_CURRENT_USER", HKEY_CURRENT_USER },
	{ "HKCU", HKEY_CURRENT_USER },
	{ "HKEY_CLASSES_ROOT", HKEY_CLASSES_ROOT },
	{ "HKCR", HKEY_CLASSES_ROOT },
	{ "HKEY_USERS", HKEY_USERS },
	{ "HKU", HKEY_USERS },
	{ "HKEY_CURRENT_CONFIG", HKEY_CURRENT_CONFIG },
	{ "HKCC", HKEY_CURRENT_CONFIG },
};

/* "HKLM\\A\\B" -> root and L"A\\B". */
static int
reg_path(const char *path, HKEY *root, wchar_t **sub, char *err, size_t len)
{
	size_t n = strcspn(path, "\\");

	for (size_t i = 0; i < nitems(reg_roots); i++)
		if (strlen(reg_roots[i].name) == n &&
		    strncasecmp(path, reg_roots[i].name, n) == 0) {
			*root = reg_roots[i].key;
			*sub = wide(path[n] ? path + n + 1 : "");
			return 0;
		}
	snprintf(err, len, "registry path %s has no known root key", path);
	return -1;
}

static LSTATUS
reg_open(const char *path, REGSAM sam, HKEY *key, char *err, size_t len)
{
	HKEY root;
	wchar_t *sub;
	LSTATUS rc;

	if (reg_path(path, &root, &sub, err, len) != 0)
		return ERROR_INVALID_PARAMETER;
	/* The 64-bit view: what the server's software reads. */
	rc = RegOpenKeyExW(root, sub, 0, sam | KEY_WOW64_64KEY, key);
	free(sub);
	return rc;
}

int
regkey_get(struct winhost *w, const char *path, const char *name,
    char **v, char *err, size_t len)
{
	HKEY k;
	LSTATUS rc = reg_open(path, KEY_READ, &k, err, len);

	(void)w;
	(void)name;
	if (rc == ERROR_SUCCESS) {
		RegCloseKey(k);
		*v = xstrdup("present");
		return 0;
	}
	if (rc == ERROR_FILE_NOT_FOUND)
		return 0;
	return win_err(err, len, (DWORD)rc, "cannot open", path);
}

int
regkey_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	HKEY root, k;
	wchar_t *sub;
	DWORD values = 0;
	LSTATUS rc;

	(void)w;
	(void)name;
	if (reg_path(path, &root, &sub, err, len) != 0)
		return -1;
	if (v != NULL) {
		rc = RegCreateKeyExW(root, sub, 0, NULL, 0, KEY_WRITE |
		    KEY_WOW64_64KEY, NULL, &k, NULL);
		if (rc == ERROR_SUCCESS)
			RegCloseKey(k);
	} else {
		rc = RegOpenKeyExW(root, sub, 0, KEY_READ | KEY_WOW64_64KEY,
		    &k);
		if (rc == ERROR_FILE_NOT_FOUND) {
			free(sub);
			return 0;
		}
		if (rc == ERROR_SUCCESS) {
			RegQueryInfoKeyW(k, NULL, NULL, NULL, NULL, NULL, NULL,
			    &values, NULL, NULL, NULL, NULL);
			RegCloseKey(k);
		}
		/* As the dir driver: a key that holds values stays. */
		if (rc == ERROR_SUCCESS && values > 0) {
			free(sub);
			snprintf(err, len, "key %s still holds values or "
			    "subkeys", path);
			return -1;
		}
		if (rc == ERROR_SUCCESS)
			rc = RegDeleteKeyExW(root, sub, KEY_WOW64_64KEY, 0);
	}
	free(sub);
	if (rc == ERROR_ACCESS_DENIED && v == NULL) {
		snprintf(err, len, "key %s still holds values or subkeys",
		    path);
		return -1;
	}
	if (rc != ERROR_SUCCESS)
		return win_err(err, len, (DWORD)rc, v ? "cannot create" :
		    "cannot delete", path);
	/* Registry writes are lazily flushed; the journal needs them on
	 * disk before the next change. */
	if (reg_path(path, &root, &sub, err, len) == 0) {
		RegFlushKey(root);
		free(sub);
	}
	return 0;
}

static const wchar_t *
value_name(const char *name, wchar_t **tmp)
{
	if (name == NULL || *name == '\0' || strcmp(name, "@") == 0) {
		*tmp = NULL;
		return NULL; /* the default value */
	}
	return *tmp = wide(name);
}

/* Windows' bytes to the one-line syntax, canonical as regdb keeps it. */
static char *
reg_format(DWORD type, const unsigned char *data, DWORD n)
{
	struct buf b = {0};
	char *out, err[64];

	if (type == REG_SZ) {
		char *s = narrow((const wchar_t *)data, (int)(n / 2));

		out = regval_sz(s);
		free(s);
		return out;
	}
	if (type == REG_DWORD && n == 4)
		return regval_dword((unsigned long)data[0] |
		    (unsigned long)data[1] << 8 | (unsigned long)data[2] << 16 |
		    (unsigned long)data[3] << 24);
	if (type == REG_BINARY)
		buf_adds(&b, "hex:");
	else
		buf_addf(&b, "hex(%lx):", (unsigned long)type);
	for (DWORD i = 0; i < n; i++)
		buf_addf(&b, "%s%02x", i ? "," : "", data[i]);
	out = regval_canon(b.p, err, sizeof err);
	buf_free(&b);
	return out;
}

int
reg_get(struct winhost *w, const char *path, const char *name, char **v,
    char *err, size_t len)
{
	HKEY k;
	DWORD type, n = 0;
	wchar_t *tmp;
	const wchar_t *wn = value_name(name, &tmp);
	unsigned char *data = NULL;
	LSTATUS rc = reg_open(path, KEY_READ, &k, err, len);

	(void)w;
	if (rc == ERROR_FILE_NOT_FOUND) {
		free(tmp);
		return 0;
	}
	if (rc != ERROR_SUCCESS) {
		free(tmp);
		return win_err(err, len, (DWORD)rc, "cannot open", path);
	}
	rc = RegQueryValueExW(k, wn, NULL, &type, NULL, &n);
	if (rc == ERROR_SUCCESS) {
		data = xcalloc(n + 2, 1);
		rc = RegQueryValueExW(k, wn, NULL, &type, data, &n);
	}
	RegCloseKey(k);
	free(tmp);
	if (rc == ERROR_FILE_NOT_FOUND) {
		free(data);
		return 0;
	}
	if (rc != ERROR_SUCCESS) {
		free(data);
		return win_err(err, len, (DWORD)rc, "cannot read", path);
	}
	/* REG_SZ data holds its terminating NUL. */
	if (type == REG_SZ && n >= 2 && data[n - 1] == 0 && data[n - 2] == 0)
		n -= 2;
	*v = reg_format(type, data, n);
	free(data);
	return 0;
}

/* The one-line syntax to a type and Windows' bytes. */
static unsigned char *
reg_bytes(const char *v, DWORD *type, size_t *n, char *err, size_t len)
{
	long t = regval_type(v);
	unsigned long dw;
	unsigned char *p;

	if (t < 0 || regval_check(v, err, len) != 0) {
		if (t < 0)
			snprintf(err, len, "'%.40s' is not registry data", v);
		return NULL;
	}
	*type = (DWORD)t;
	if (t == REGT_DWORD && regval_get_dword(v, &dw) == 0) {
		p = xmalloc(4);
		for (int i = 0; i < 4; i++)
			p[i] = (unsigned char)(dw >> (8 * i));
		*n = 4;
		return p;
	}
	if (t == REGT_SZ && v[0] == '"') {
		char *s = regval_get_sz(v);
		wchar_t *w = wide(s);

		*n = (wcslen(w) + 1) * sizeof *w;
		free(s);
		return (unsigned char *)w;
	}
	return regval_get_binary(v, n);
}

int
reg_set(struct winhost *w, const char *path, const char *name,
    const char *v, char *err, size_t len)
{
	HKEY k;
	wchar_t *tmp;
	const wchar_t *wn;
	unsigned char *data = NULL;
	size_t n = 0;
	DWORD type = REG_NONE;
	LSTATUS rc;

	(void)w;
	if (v != NULL && (data = reg_bytes(v, &type, &n, err, len)) == NULL)
		return -1;
	rc = reg_open(path, KEY_SET_VALUE, &k, err, len);
	if (rc == ERROR_FILE_NOT_FOUND && v == NULL)
		return 0;
	if (rc != ERROR_SUCCESS) {
		free(data);
		return win_err(err, len, (DWORD)rc, "cannot open", path);
	}
	wn = value_name(name, &tmp);
	if (v == NULL) {
		rc = RegDeleteValueW(k, wn);
		if (rc == ERROR_FILE_NOT_FOUND)
			rc = ERROR_SUCCESS;
	} else
		rc = RegSetValueExW(k, wn, 0, type, data, (DWORD)n);
	if (rc == ERROR_SUCCESS)
		RegFlushKey(k);
	RegCloseKey(k);
	free(tmp);
	free(data);
	if (rc != ERROR_SUCCESS)
		return win_err(err, len, (DWORD)rc, "cannot write", path);
	return 0;
}

/*
 * The value names of path (keys 0), or the full paths of the keys right
 * under it (keys 1: the uninstall entries).
 */
int
reg_enum(const char *path, int keys, char ***names, size_t *n, char *err,
    size_t len)
{
	HKEY k;
	wchar_t name[16384];
	DWORD nl;
	LSTATUS rc = reg_open(path, KEY_READ, &k, err, len);
	char *sub;

	if (rc == ERROR_FILE_NOT_FOUND)
		return 0;
	if (rc != ERROR_SUCCESS)
		return win_err(err, len, (DWORD)rc, "cannot open", path);
	for (DWORD i = 0;; i++) {
		nl = sizeof name / sizeof name[0];
		if ((keys ? RegEnumKeyExW(k, i, name, &nl, NULL, NULL, NULL,
		    NULL) : RegEnumValueW(k, i, name, &nl, NULL, NULL, NULL,
		    NULL)) != ERROR_SUCCESS)
			break;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		if (!keys) {
			(*names)[(*n)++] = nl ? narrow(name, (int)nl) :
			    xstrdup("@");
			continue;
		}
		sub = narrow(name, (int)nl);
		(*names)[(*n)++] = xasprintf("%s\\%s", path, sub);
		free(sub);
	}
	RegCloseKey(k);
	return 0;
}
