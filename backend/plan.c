/* Planning: compare what the answers want with what the host holds. */
#include "plan.h"
#include "host/regfile.h"
#include "sanitize.h"
#include "secret.h"
#include "fault.h"

#include "jsonutil.h"
#include <stdlib.h>
#include <string.h>

void
plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct change *c = &p->v[i];

		if (c->secret) {
			secure_zero(c->old, c->old ? strlen(c->old) : 0);
			secure_zero(c->new, c->new ? strlen(c->new) : 0);
		}
		free(c->path);
		free(c->name);
		free(c->old);
		free(c->new);
		free(c->step);
		free(c->reason);
		free(c->gen_arg);
		free(c->at);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

int
plan_generate(struct plan *p, char *err, size_t len)
{
	size_t made = 0;

	for (size_t i = 0; i < p->n; i++) {
		struct change *c = &p->v[i];

		if (c->gen == NULL)
			continue;
		if (c->gen(p, c, err, len) != 0)
			return -1;
		c->gen = NULL;
		/* Made, not yet written: what a kill here must leave alone. */
		fault_point(FAULT_GENERATE, ++made);
	}
	return 0;
}

void
plan_made_at_apply(struct plan *p, int (*gen)(const struct plan *,
    struct change *, char *, size_t), const char *arg)
{
	struct change *c = &p->v[p->n - 1];

	c->gen = gen;
	free(c->gen_arg);
	c->gen_arg = arg ? xstrdup(arg) : NULL;
}

int
plan_reboot_required(const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].reboot)
			return 1;
	return 0;
}

static int
same_resource(const struct change *c, enum res_kind kind, const char *path,
    const char *name)
{
	return c->kind == kind && str_ieq(c->path, path) &&
	    str_ieq(c->name, name);
}

const char *
plan_pending(const struct plan *p, enum res_kind kind, const char *path,
    const char *name, int *found)
{
	/* The latest change to a resource wins. */
	for (size_t i = p->n; i-- > 0;) {
		if (same_resource(&p->v[i], kind, path, name)) {
			*found = 1;
			return p->v[i].new;
		}
	}
	*found = 0;
	return NULL;
}

int
plan_current(const struct plan *p, struct host *h, enum res_kind kind,
    const char *path, const char *name, char **value)
{
	char err[256];
	const char *pending = NULL;
	int found = 0;

	if (p != NULL)
		pending = plan_pending(p, kind, path, name, &found);
	if (found) {
		*value = pending ? xstrdup(pending) : NULL;
		return 0;
	}
	return host_get(h, kind, path, name, value, err, sizeof err);
}

/* Append a change (old absent) and return it. */
static struct change *
plan_add(struct plan *p, const char *step, enum res_kind kind,
    const char *path, const char *name, const char *value,
    const char *reason)
{
	struct change *c;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	c = &p->v[p->n++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->path = xstrdup(path);
	c->name = name ? xstrdup(name) : NULL;
	c->new = value ? xstrdup(value) : NULL;
	c->step = xstrdup(step);
	c->reason = xstrdup(reason);
	return c;
}

int
plan_want(struct plan *p, struct host *h, struct findings *f,
    const char *step, enum res_kind kind, const char *path, const char *name,
    const char *value, int reboot, const char *reason)
{
	struct change *c;
	char *cur = NULL, err[512];
	const char *pending;
	int found;

	pending = plan_pending(p, kind, path, name, &found);
	if (found)
		cur = pending ? xstrdup(pending) : NULL;
	else if (host_get(h, kind, path, name, &cur, err, sizeof err) != 0) {
		finding_hint(finding_add(f, SEV_ERROR, step, NULL,
		    "host.read-failed", "cannot read %s %s%s%s: %s",
		    res_kind_name(kind), path, name ? " " : "", name ? name :
		    "", err),
		    "Check that the target is readable and not damaged.");
		return -1;
	}
	if (str_eq(cur, value)) {
		free(cur);
		return 0;
	}
	c = plan_add(p, step, kind, path, name, value, reason);
	c->old = cur;
	c->reboot = reboot;
	return 1;
}

void
plan_want_at_apply(struct plan *p, const char *step, enum res_kind kind,
    const char *what, const char *name, const char *value,
    const char *reason, int (*resolve)(struct host *, struct change *,
    char *, size_t), const char *arg)
{
	struct change *c = plan_add(p, step, kind, what, name, value, reason);

	c->resolve = resolve;
	c->gen_arg = arg ? xstrdup(arg) : NULL;
}

int
plan_want_reg(struct plan *p, struct host *h, struct findings *f,
    const char *step, const char *key, const char *name, const char *value,
    int reboot, const char *reason)
{
	const char *s = strchr(key, '\\');
	char *up, *cur = NULL, err[512];
	int rc = 0;

	/* Windows makes every missing ancestor with the key: each is a
	 * change of its own (outermost first), so that rollback takes away
	 * exactly what apply made. */
	while (rc >= 0 && s != NULL && (s = strchr(s + 1, '\\')) != NULL) {
		up = xstrndup(key, (size_t)(s - key));
		if (host_get(h, RES_REGKEY, up, HOST_REGKEY_EXISTS, &cur, err,
		    sizeof err) == 0 && cur == NULL)
			rc = plan_want(p, h, f, step, RES_REGKEY, up, NULL,
			    "present", 0, "a key above the value's must exist "
			    "first");
		free(cur);
		cur = NULL;
		free(up);
	}
	if (rc < 0 || plan_want(p, h, f, step, RES_REGKEY, key, NULL,
	    "present", 0, "the value's key must exist first") < 0)
		return -1;
	return plan_want(p, h, f, step, RES_REG, key, name, value, reboot,
	    reason);
}

/*
 * IIS paths are "LOCATION|a/b[@k='v']/c". Every missing ancestor becomes a
 * change of its own, so that rollback removes exactly what apply added.
 */
int
plan_want_iis(struct plan *p, struct host *h, struct findings *f,
    const char *step, const char *elem, const char *attr, const char *value,
    int reboot, const char *reason)
{
	const char *bar = strchr(elem, '|'), *s;
	char *prefix;
	int depth = 0;

	if (bar == NULL)
		return -1;
	if (bar != elem) {
		prefix = xstrndup(elem, (size_t)(bar - elem) + 1);
		if (plan_want(p, h, f, step, RES_IISELEM, prefix, NULL,
		    "present", 0, "the configuration location must exist") < 0)
			depth = -1;
		free(prefix);
	}
	for (s = bar + 1; depth >= 0; s++) {
		if (*s == '[')
			depth++;
		else if (*s == ']')
			depth--;
		else if ((*s == '/' && depth == 0) || *s == '\0') {
			prefix = xstrndup(elem, (size_t)(s - elem));
			if (plan_want(p, h, f, step, RES_IISELEM, prefix,
			    NULL, "present", 0,
			    "the configuration element must exist") < 0)
				depth = -1;
			free(prefix);
			if (*s == '\0')
				break;
		}
	}
	if (depth < 0)
		return -1;
	return plan_want(p, h, f, step, RES_IIS, elem, attr, value, reboot,
	    reason);
}

/* How a change reads, by kind. Presence kinds have no value worth showing:
 * "present" only says the thing exists. */
static const struct kind_words {
	const char *noun;
	const char *add, *remove;
	int presence;
} kind_words[RES__COUNT] = {
	[RES_REGKEY] = { "registry key", "create", "delete", 1 },
	[RES_REG] = { "registry value", "set", "delete", 0 },
	[RES_FEATURE] = { "Windows feature", "install", "remove", 1 },
	[RES_GROUP] = { "local group member", "add", "remove", 1 },
	[RES_SPN] = { "SPN", "register", "remove", 1 },
	[RES_RIGHT] = { "user right", "grant", "revoke", 1 },
	[RES_IISELEM] = { "IIS element", "create", "remove", 1 },
	[RES_IIS] = { "IIS attribute", "set", "remove", 0 },
	[RES_CERT] = { "certificate", "import", "remove", 0 },
	[RES_SSLBIND] = { "HTTP.sys SSL binding", "bind", "unbind", 0 },
	[RES_PROXY] = { "WinHTTP proxy", "set", "reset", 0 },
	[RES_SERVICE] = { "service", "set", "remove", 0 },
	[RES_ROLE] = { "role", "install", "uninstall", 0 },
	[RES_FILE] = { "file", "write", "delete", 0 },
	[RES_KEYACL] = { "private key access", "grant", "revoke", 0 },
	[RES_INSTALL] = { "program", "install", "uninstall", 0 },
};

char *
change_title(const struct change *c)
{
	const struct kind_words *w = &kind_words[c->kind];
	const char *verb = c->new == NULL ? w->remove : c->old == NULL ?
	    w->add : "change";

	if (c->name != NULL)
		return xasprintf("%s %s %s [%s]", verb, w->noun, c->path,
		    c->name);
	return xasprintf("%s %s %s", verb, w->noun, c->path);
}

char *
change_value_text(enum res_kind kind, const char *value)
{
	if (value == NULL)
		return xstrdup("(absent)");
	if (kind == RES_REG)
		return regval_human(value);
	if (kind == RES_CERT || kind == RES_FILE) {
		size_t lines = 0;

		for (const char *s = value; *s; s++)
			lines += *s == '\n';
		return xasprintf("(%zu bytes, %zu lines)", strlen(value),
		    lines);
	}
	return xasprintf("%s", value);
}

static const char *
change_mark(const struct change *c)
{
	if (c->old == NULL)
		return "+";
	if (c->new == NULL)
		return "-";
	return "~";
}

/* Answer values reach the plan as they were typed: no raw controls. */
static char *
safe_text(char *s)
{
	char *safe = sanitize(s, 0);

	free(s);
	return safe;
}

void
plan_print(FILE *fp, const struct plan *p, int use_color)
{
	const char *red = use_color ? "\033[31m" : "";
	const char *green = use_color ? "\033[32m" : "";
	const char *bold = use_color ? "\033[1m" : "";
	const char *off = use_color ? "\033[0m" : "";

	if (p->n == 0) {
		fprintf(fp, "No changes: the target already matches the "
		    "answers.\n");
		return;
	}
	fprintf(fp, "%zu change%s planned%s.\n", p->n, p->n == 1 ? "" : "s",
	    plan_reboot_required(p) ? "; a reboot is needed afterwards" : "");
	for (size_t i = 0; i < p->n; i++) {
		const struct change *c = &p->v[i];
		char *title = safe_text(change_title(c));
		char *old = safe_text(change_value_text(c->kind, c->old));
		/* What apply will make is said in words: it is not made yet. */
		char *new = safe_text(c->gen ? xstrdup(c->new) :
		    change_value_text(c->kind, c->new));
		char *why = sanitize(c->reason, 0);

		fprintf(fp, "\n%s%s %s%s  (%s)%s\n", bold, change_mark(c),
		    title, off, c->step, c->reboot ? "  [reboot]" : "");
		if (c->old != NULL && !kind_words[c->kind].presence)
			fprintf(fp, "    %s- %s%s\n", red, old, off);
		if (c->new != NULL && !kind_words[c->kind].presence)
			fprintf(fp, "    %s+ %s%s\n", green, new, off);
		fprintf(fp, "    why: %s\n", why);
		free(why);
		free(title);
		free(old);
		free(new);
	}
}

char *
plan_to_json(const struct plan *p)
{
	json_t *root = json_object(), *a = json_array();
	char *s;

	for (size_t i = 0; i < p->n; i++) {
		const struct change *c = &p->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "step", json_text(c->step));
		json_object_set_new(o, "kind", json_text(res_kind_name(c->kind)));
		json_object_set_new(o, "path", json_text(c->path));
		json_object_set_new(o, "name", json_text(c->name));
		/* A private key is no one's business in a plan. */
		json_object_set_new(o, "old", c->secret && c->old ?
		    json_string("(secret)") : json_text(c->old));
		json_object_set_new(o, "new", c->secret && c->new &&
		    c->gen == NULL ? json_string("(secret)") :
		    json_text(c->new));
		if (c->gen != NULL)
			json_object_set_new(o, "made_at_apply", json_true());
		json_object_set_new(o, "reason", json_text(c->reason));
		json_object_set_new(o, "reboot", json_boolean(c->reboot));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "changes", a);
	json_object_set_new(root, "reboot_required",
	    json_boolean(plan_reboot_required(p)));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return s;
}
