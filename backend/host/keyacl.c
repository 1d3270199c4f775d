/* RES_KEYACL's address, and the dir driver's copy of a key's ACL. */
#include "keyacl.h"
#include "../util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACL_MAX (64 * 1024)

int
keyacl_split(const char *path, char **store, char **thumb)
{
	const char *bs = path ? strchr(path, '\\') : NULL;
	char *s, *t;
	int ok;

	if (bs == NULL)
		return -1;
	s = xstrndup(path, (size_t)(bs - path));
	t = xstrdup(bs + 1);
	ok = str_plain_name(s) && str_plain_name(t);
	if (ok && store != NULL)
		*store = s;
	else
		free(s);
	if (ok && thumb != NULL)
		*thumb = t;
	else
		free(t);
	return ok ? 0 : -1;
}

/* certs/STORE/THUMB<ext>, or NULL + err when path is no address. */
static char *
rel_of(const char *path, const char *ext, char *err, size_t len)
{
	char *store, *thumb, *rel;

	if (keyacl_split(path, &store, &thumb) != 0) {
		snprintf(err, len, "'%s' is not STORE\\THUMBPRINT", path);
		return NULL;
	}
	rel = xasprintf("certs/%s/%s%s", store, thumb, ext);
	free(store);
	free(thumb);
	return rel;
}

/* The accounts of an .acl file (NULL-terminated; none when it is not
 * there), or -1 + err. */
static int
read_accounts(int dfd, const char *root, const char *rel, char ***v,
    size_t *n, char *err, size_t len)
{
	char *data = NULL;
	size_t size;

	*v = NULL;
	*n = 0;
	if (file_read_at(dfd, rel, ACL_MAX, &data, &size) != 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, len, "cannot read %s/%s: %s", root, rel,
		    strerror(errno));
		return -1;
	}
	for (char *line = data, *nl; *line; line = nl) {
		nl = line + strcspn(line, "\n");
		if (*nl == '\n')
			*nl++ = '\0';
		if (*line == '\0')
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrdup(line);
	}
	free(data);
	return 0;
}

static size_t
find_account(char **v, size_t n, const char *account)
{
	size_t i = 0;

	while (i < n && !str_ieq(v[i], account))
		i++;
	return i;
}

int
keyacl_dir_get(int dfd, const char *root, const char *path,
    const char *account, char **v, char *err, size_t len)
{
	char *rel = rel_of(path, ".acl", err, len), **acc;
	size_t n;
	int rc;

	*v = NULL;
	if (rel == NULL)
		return -1;
	rc = read_accounts(dfd, root, rel, &acc, &n, err, len);
	if (rc == 0 && find_account(acc, n, account) < n)
		*v = xstrdup(KEYACL_READ);
	str_list_free(acc, n);
	free(rel);
	return rc;
}

/* Does the certificate exist here with its private key? As on a server,
 * there is no key to open to anyone without one. */
static int
key_present(int dfd, const char *root, const char *path, char *err,
    size_t len)
{
	char *rel = rel_of(path, ".pem", err, len), *pem = NULL;
	size_t n;
	int ok;

	if (rel == NULL)
		return -1;
	ok = file_read_at(dfd, rel, 16 * 1024 * 1024, &pem, &n) == 0 &&
	    strstr(pem, "PRIVATE KEY-----") != NULL;
	if (!ok)
		snprintf(err, len, "%s/%s: no certificate with its private key "
		    "there, so no key to let %s read", root, rel, path);
	free(pem);
	free(rel);
	return ok ? 0 : -1;
}

int
keyacl_value_check(const char *v, char *err, size_t len)
{
	if (v == NULL || strcmp(v, KEYACL_READ) == 0)
		return 0;
	snprintf(err, len, "'%s' is not a key access ndeswiz sets (only "
	    KEYACL_READ ")", v);
	return -1;
}

int
keyacl_dir_set(int dfd, const char *root, const char *path,
    const char *account, const char *v, char *err, size_t len)
{
	char *rel, **acc;
	size_t n, at;
	struct buf b = {0};
	int rc;

	if (keyacl_value_check(v, err, len) != 0)
		return -1;
	if (strchr(account, '\n') != NULL || *account == '\0') {
		snprintf(err, len, "'%s' is not an account name", account);
		return -1;
	}
	if (v != NULL && key_present(dfd, root, path, err, len) != 0)
		return -1;
	if ((rel = rel_of(path, ".acl", err, len)) == NULL)
		return -1;
	if (read_accounts(dfd, root, rel, &acc, &n, err, len) != 0) {
		free(rel);
		return -1;
	}
	at = find_account(acc, n, account);
	for (size_t i = 0; i < n; i++)
		if (i != at)
			buf_addf(&b, "%s\n", acc[i]);
	if (v != NULL)
		buf_addf(&b, "%s\n", account);
	/* No empty file: an undone grant leaves the folder as it was. */
	if (b.len == 0)
		rc = file_remove_at(dfd, rel, 0) == 0 || errno == ENOENT ? 0 :
		    -1;
	else
		rc = file_write_atomic_at(dfd, rel, b.p, b.len, 0644, 0755);
	if (rc != 0)
		snprintf(err, len, "cannot write %s/%s: %s", root, rel,
		    strerror(errno));
	free(b.p);
	str_list_free(acc, n);
	free(rel);
	return rc;
}
