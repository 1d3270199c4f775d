/*
 * The HTTP.sys SSL binding as one text value, the shape `netsh http show
 * sslcert` reports it in: certificate hash, store name, application id.
 */
#include "sslbind.h"
#include "../util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where name's value starts in v and how long it is, or NULL. */
static const char *
find(const char *v, const char *name, size_t *w)
{
	size_t n = strlen(name);

	for (const char *s = v; s != NULL && *s != '\0'; s = strchr(s, ';')) {
		s += *s == ';';
		if (strncasecmp(s, name, n) != 0 || s[n] != '=')
			continue;
		s += n + 1;
		*w = strcspn(s, ";");
		if (*w >= 2 && s[0] == '"' && s[*w - 1] == '"') {
			s++;
			*w -= 2;
		}
		return s;
	}
	return NULL;
}

static char *
field_dup(const char *v, const char *name)
{
	size_t w;
	const char *s = find(v, name, &w);

	return s != NULL ? xstrndup(s, w) : xstrdup("");
}

void
sslbind_parse(const char *v, struct sslbind *b)
{
	b->hash = field_dup(v, "hash");
	b->store = field_dup(v, "store");
	b->appid = field_dup(v, "appid");
}

void
sslbind_free(struct sslbind *b)
{
	free(b->hash);
	free(b->store);
	free(b->appid);
	memset(b, 0, sizeof *b);
}

void
sslbind_field(const char *v, const char *name, char *out, size_t len)
{
	size_t w;
	const char *s = find(v, name, &w);

	if (len == 0)
		return;
	if (s == NULL)
		out[0] = '\0';
	else
		snprintf(out, len, "%.*s", (int)w, s);
}

char *
sslbind_format(const char *hash, const char *store, const char *appid)
{
	return xasprintf("hash=%s;store=%s;appid=%s", hash, store, appid);
}
