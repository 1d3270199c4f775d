/*
 * An in-memory host driver for unit tests: resources in a flat table,
 * with a switch to make the n-th set fail.
 */
#ifndef NDESWIZ_TEST_MEMHOST_H
#define NDESWIZ_TEST_MEMHOST_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "host/host.h"
#include "util.h"

struct memres {
	int kind;
	char *path, *name, *value;
};

struct memhost {
	struct memres *v;
	size_t n;
	char state[256];
	int sfd; /* the state folder, as a driver holds it */
	int sets, fail_at;
	struct host_facts facts;
};

static struct memres *
mem_find(struct memhost *m, int kind, const char *path, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].kind == kind && str_ieq(m->v[i].path, path) &&
		    str_ieq(m->v[i].name, name))
			return &m->v[i];
	return NULL;
}

static int
mem_open(struct host *h, const char *where, char *err, size_t len)
{
	struct memhost *m = xcalloc(1, sizeof *m);

	(void)err;
	(void)len;
	snprintf(m->state, sizeof m->state, "%s", where);
	m->sfd = open(where, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	h->priv = m;
	return 0;
}

static void
mem_close(struct host *h)
{
	struct memhost *m = h->priv;

	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].path);
		free(m->v[i].name);
		free(m->v[i].value);
	}
	free(m->v);
	if (m->sfd != -1)
		close(m->sfd);
	free(m);
}

static int
mem_facts(struct host *h, struct host_facts *f)
{
	*f = ((struct memhost *)h->priv)->facts;
	return 0;
}

static int
mem_get(struct host *h, enum res_kind kind, const char *path,
    const char *name, char **value, char *err, size_t len)
{
	struct memhost *m = h->priv;
	struct memres *r = mem_find(m, kind, path, name);
	size_t n = strlen(path);

	(void)err;
	(void)len;
	/* A key exists when it or a key below it was set, as in a .reg. */
	if (kind == RES_REGKEY && name != NULL &&
	    str_eq(name, HOST_REGKEY_EXISTS)) {
		*value = NULL;
		for (size_t i = 0; i < m->n && *value == NULL; i++)
			if (m->v[i].kind == RES_REGKEY &&
			    strncasecmp(m->v[i].path, path, n) == 0 &&
			    (m->v[i].path[n] == '\0' ||
			    m->v[i].path[n] == '\\'))
				*value = xstrdup("present");
		return 0;
	}
	*value = r ? xstrdup(r->value) : NULL;
	return 0;
}

static int
mem_set(struct host *h, enum res_kind kind, const char *path,
    const char *name, const char *value, char *err, size_t len)
{
	struct memhost *m = h->priv;
	struct memres *r;

	if (++m->sets == m->fail_at) {
		snprintf(err, len, "memhost: set %d fails", m->sets);
		return -1;
	}
	r = mem_find(m, kind, path, name);
	if (r != NULL && value == NULL) {
		free(r->path);
		free(r->name);
		free(r->value);
		*r = m->v[--m->n];
	} else if (r != NULL) {
		free(r->value);
		r->value = xstrdup(value);
	} else if (value != NULL) {
		m->v = xreallocarray(m->v, m->n + 1, sizeof *m->v);
		m->v[m->n].kind = kind;
		m->v[m->n].path = xstrdup(path);
		m->v[m->n].name = name ? xstrdup(name) : NULL;
		m->v[m->n].value = xstrdup(value);
		m->n++;
	}
	return 0;
}

/* Certificates of a store; the keys right under a key (full paths, from
 * the keys and values held), as the drivers list them. */
static int
mem_list(struct host *h, enum res_kind kind, const char *path,
    char ***names, size_t *n, char *err, size_t len)
{
	struct memhost *m = h->priv;
	size_t plen = path ? strlen(path) : 0;

	*names = NULL;
	*n = 0;
	if (path == NULL || (kind != RES_CERT && kind != RES_REGKEY)) {
		snprintf(err, len, "memhost: %s cannot be listed",
		    res_kind_name(kind));
		return -1;
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct memres *r = &m->v[i];
		char *name;
		size_t k;

		if (kind == RES_CERT) {
			if (r->kind != RES_CERT || !str_ieq(r->path, path))
				continue;
			name = xstrdup(r->name);
		} else {
			const char *rest = r->path + plen, *slash;

			if ((r->kind != RES_REG && r->kind != RES_REGKEY) ||
			    strncasecmp(r->path, path, plen) != 0 ||
			    *rest != '\\' || rest[1] == '\0')
				continue;
			slash = strchr(rest + 1, '\\');
			name = xstrndup(r->path, slash ? (size_t)(slash -
			    r->path) : strlen(r->path));
		}
		for (k = 0; k < *n && !str_ieq((*names)[k], name); k++)
			;
		if (k < *n) {
			free(name);
			continue;
		}
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = name;
	}
	return 0;
}

static const char *
mem_state_dir(struct host *h)
{
	return ((struct memhost *)h->priv)->state;
}

static int
mem_state_fd(struct host *h)
{
	return ((struct memhost *)h->priv)->sfd;
}

static const struct host_ops memhost_ops = {
	.name = "mem",
	.open = mem_open,
	.close = mem_close,
	.facts = mem_facts,
	.get = mem_get,
	.set = mem_set,
	.list = mem_list,
	.state_dir = mem_state_dir,
	.state_fd = mem_state_fd,
};

/* A host whose state folder is a fresh temp directory. */
static struct host *
memhost_new(void)
{
	char tmpl[] = "/tmp/ndeswiz-unit.XXXXXX", err[128];

	if (mkdtemp(tmpl) == NULL)
		abort();
	return host_open_with(&memhost_ops, tmpl, err, sizeof err);
}

static void
memhost_free(struct host *h)
{
	char *cmd = xasprintf("rm -rf '%s'", host_state_dir(h));

	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", host_state_dir(h));
	free(cmd);
	host_close(h);
}

#endif
