#include "clouds.h"
#include "host/host.h"
#include "util.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cloud_loader {
	struct clouds *c;
	char *bad;
};

static const struct {
	const char *key;
	size_t off;
} cloud_keys[] = {
	{ "title", offsetof(struct cloud, title) },
	{ "login", offsetof(struct cloud, login) },
	{ "graph", offsetof(struct cloud, graph) },
	{ "intune", offsetof(struct cloud, intune) },
	{ "update", offsetof(struct cloud, update) },
	{ "ca_file", offsetof(struct cloud, ca_file) },
};

static struct cloud *
cloud_get(struct clouds *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, name) == 0)
			return &c->v[i];
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	memset(&c->v[c->n], 0, sizeof c->v[c->n]);
	c->v[c->n].name = xstrdup(name);
	return &c->v[c->n++];
}

static int
cloud_handler(void *user, const char *section, const char *key,
    const char *value)
{
	struct cloud_loader *l = user;
	struct cloud *cl;

	if (*section == '\0') {
		l->bad = xasprintf("'%s' is outside any [cloud] section", key);
		return 0;
	}
	cl = cloud_get(l->c, section);
	for (size_t i = 0; i < nitems(cloud_keys); i++) {
		char **slot = (char **)((char *)cl + cloud_keys[i].off);

		if (strcmp(cloud_keys[i].key, key) != 0)
			continue;
		free(*slot);
		*slot = xstrdup(value);
		return 1;
	}
	l->bad = xasprintf("unknown key '%s' in [%s]", key, section);
	return 0;
}

int
clouds_load(struct clouds *c, const char *path, char *err, size_t len)
{
	struct cloud_loader l = { .c = c };
	char *def = NULL;
	int rc;

	memset(c, 0, sizeof *c);
	if (path == NULL)
		path = def = path_join(assets_dir(), "clouds.ini");
	rc = ini_parse(path, cloud_handler, &l);
	if (rc == 0) {
		for (size_t i = 0; i < c->n && rc == 0; i++)
			if (!c->v[i].login || !c->v[i].graph ||
			    !c->v[i].intune || !c->v[i].update) {
				snprintf(err, len, "%s: [%s] needs login, "
				    "graph, intune and update", path,
				    c->v[i].name);
				rc = -2;
			}
	} else if (rc < 0)
		snprintf(err, len, "%s: cannot read the clouds table", path);
	else
		snprintf(err, len, "%s:%d: %s", path, rc, l.bad ? l.bad :
		    "not a [section] or 'key = value' line");
	free(l.bad);
	free(def);
	if (rc != 0)
		clouds_free(c);
	return rc == 0 ? 0 : -1;
}

void
clouds_free(struct clouds *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct cloud *cl = &c->v[i];

		free(cl->name);
		for (size_t k = 0; k < nitems(cloud_keys); k++)
			free(*(char **)((char *)cl + cloud_keys[k].off));
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

const struct cloud *
clouds_find(const struct clouds *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, name) == 0)
			return &c->v[i];
	return NULL;
}
