/* RES_KEYACL's address, and the dir driver's copy of a key's ACL. */
#include "keyacl.h"
#include "../util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
char *
keyacl_rel(const char *path, const char *ext, char *err, size_t len)
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

/* Each line of data in turn: fn(line, n, arg); stops when fn says 1. */
static int
each_account(const char *data, int (*fn)(const char *, size_t, void *),
    void *arg)
{
	for (const char *line = data, *nl; line && *line; line = nl) {
		size_t n = strcspn(line, "\n");

		nl = line + n + (line[n] == '\n');
		if (n > 0 && fn(line, n, arg))
			return 1;
	}
	return 0;
}

/* Account names compare as Windows names do: case aside. */
static int
same_account(const char *line, size_t n, void *account)
{
	return strlen(account) == n && strncasecmp(line, account, n) == 0;
}

int
keyacl_has(const char *data, const char *account)
{
	return each_account(data, same_account, (void *)account);
}

struct edit {
	struct buf b;
	const char *account;
};

static int
keep_other(const char *line, size_t n, void *arg)
{
	struct edit *e = arg;

	if (!same_account(line, n, (void *)e->account)) {
		buf_add(&e->b, line, n);
		buf_addc(&e->b, '\n');
	}
	return 0;
}

char *
keyacl_edit(const char *data, const char *account, int grant)
{
	struct edit e = { .account = account };

	each_account(data, keep_other, &e);
	if (grant)
		buf_addf(&e.b, "%s\n", account);
	/* No empty file: an undone grant leaves the folder as it was. */
	if (e.b.len == 0) {
		buf_free(&e.b);
		return NULL;
	}
	return buf_steal(&e.b);
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
keyacl_account_check(const char *account, char *err, size_t len)
{
	if (*account != '\0' && strchr(account, '\n') == NULL)
		return 0;
	snprintf(err, len, "'%s' is not an account name", account);
	return -1;
}
