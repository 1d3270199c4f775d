/* The host interface: driver selection and the calls every layer uses. */
#include "host.h"
#include "facts.h"
#include "keyacl.h"
#include "../fault.h"
#include "../util.h"
#ifdef _WIN32
#include "../assets-embed.h"
#endif

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ASSETDIR
#define ASSETDIR "/usr/local/share/ndeswiz"
#endif

static const char *const res_kind_names[RES__COUNT] = {
	[RES_REGKEY] = "regkey",
	[RES_REG] = "reg",
	[RES_FEATURE] = "feature",
	[RES_GROUP] = "group",
	[RES_SPN] = "spn",
	[RES_RIGHT] = "right",
	[RES_IISELEM] = "iiselem",
	[RES_IIS] = "iis",
	[RES_CERT] = "cert",
	[RES_SSLBIND] = "sslbind",
	[RES_PROXY] = "proxy",
	[RES_SERVICE] = "service",
	[RES_ROLE] = "role",
	[RES_FILE] = "file",
	[RES_KEYACL] = "keyacl",
	[RES_INSTALL] = "install",
};

const char *
res_kind_name(enum res_kind k)
{
	return res_kind_names[k];
}

int
res_kind_from_name(const char *name)
{
	for (int i = 0; i < RES__COUNT; i++)
		if (str_eq(res_kind_names[i], name))
			return i;
	return -1;
}

static int
plain_text(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || n >= max)
			return 0;
	return 1;
}

/* Kinds kept as "path: name" lines (dir.c's list files): a ':' in path
 * would split it, an empty member would not read back. */
static const unsigned char pair_kind[RES__COUNT] = {
	[RES_FEATURE] = 1, [RES_GROUP] = 2, [RES_SPN] = 2, [RES_RIGHT] = 2,
	[RES_SERVICE] = 1, [RES_ROLE] = 1, [RES_PROXY] = 1,
};

int
res_check(int kind, const char *path, const char *name, char *why,
    size_t len)
{
	const char *bad = NULL;

	if (kind < 0 || kind >= RES__COUNT)
		bad = "unknown kind";
	else if (path == NULL || *path == '\0' || !plain_text(path, 4096))
		bad = "path is empty, too long or holds control characters";
	else if (name != NULL && !plain_text(name, 4096))
		bad = "name is too long or holds control characters";
	else if (kind == RES_CERT && (!str_plain_name(path) ||
	    !str_plain_name(name)))
		bad = "certificate store or thumbprint is not a plain name";
	else if (kind == RES_FILE && (!str_plain_name(path) || name != NULL))
		bad = "file is not a plain name in the target's top folder";
	else if (kind == RES_KEYACL && (keyacl_split(path, NULL, NULL) != 0 ||
	    name == NULL || *name == '\0'))
		bad = "key is not STORE\\THUMBPRINT, or no account";
	else if (kind == RES_INSTALL && (name == NULL || *name == '\0'))
		bad = "no installer";
	else if (pair_kind[kind] && strchr(path, ':') != NULL)
		bad = "path holds a ':'";
	else if (pair_kind[kind] == 2 && (name == NULL || *name == '\0'))
		bad = "member name is empty";
	else if (name != NULL && *name == '\0' && kind != RES_REG)
		bad = "name is empty";
	if (bad != NULL)
		snprintf(why, len, "%s", bad);
	return bad ? -1 : 0;
}

/*
 * Assets: NDESWIZ_ASSETS, else assets/ beside the binary (a build tree),
 * else the installed ASSETDIR; on Windows, else the ones the exe carries.
 */
const char *
assets_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX], *slash, *candidate;
	ssize_t n;

	if (dir[0] != '\0')
		return dir;
	if (getenv("NDESWIZ_ASSETS") != NULL) {
		snprintf(dir, sizeof dir, "%s", getenv("NDESWIZ_ASSETS"));
		return dir;
	}
	snprintf(dir, sizeof dir, "%s", ASSETDIR);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return dir;
	exe[n] = '\0';
	/* The binary sits at the top of the tree or in build/<variant>/. */
	for (int up = 0; up < 3 && (slash = strrchr(exe, '/')) != NULL;
	    up++) {
		*slash = '\0';
		candidate = path_join(exe, "assets/hosts");
		if (dir_exists(candidate) && strlen(exe) + 8 < sizeof dir) {
			memcpy(dir, exe, strlen(exe));
			memcpy(dir + strlen(exe), "/assets", 8);
			free(candidate);
			break;
		}
		free(candidate);
	}
#ifdef _WIN32
	/* No assets folder beside the exe: the ones inside it. */
	if (strcmp(dir, ASSETDIR) == 0 && !dir_exists(dir)) {
		const char *own = assets_unpack();

		if (own != NULL)
			snprintf(dir, sizeof dir, "%s", own);
	}
#endif
	return dir;
}

struct host *
host_open_with(const struct host_ops *ops, const char *target, char *err,
    size_t len)
{
	struct host *h = xcalloc(1, sizeof *h);

	h->ops = ops;
	h->where = xstrdup(target);
	if (ops->open(h, target, err, len) != 0) {
		free(h->where);
		free(h);
		return NULL;
	}
	return h;
}

/* What the driver read about the machine is checked like answers: an
 * impossible fact stops the run before anything is planned. */
static struct host *
facts_checked(struct host *h, const char *target, char *err, size_t len)
{
	struct host_facts f;
	char why[512];

	if (h == NULL)
		return NULL;
	snprintf(why, sizeof why, "cannot read what the machine is (its "
	    "facts)");
	if (host_facts(h, &f) != 0 || facts_check(&f, why, sizeof why) != 0) {
		snprintf(err, len, "%s: %s", *target ? target : "this server",
		    why);
		host_close(h);
		return NULL;
	}
	return h;
}

struct host *
host_open(const char *target, const char *profile, int *created, char *err,
    size_t len)
{
	char *pdir;
	int fresh;

	*created = 0;
#ifdef _WIN32
	/* On the server itself, the server is the default target. */
	if (target == NULL && host_new_fact_count() > 0) {
		snprintf(err, len, "--fact sets the facts of a new target "
		    "folder (-t DIR); this machine's facts are read, not set");
		return NULL;
	}
	if (target == NULL && profile != NULL) {
		snprintf(err, len, "--profile makes a new target folder "
		    "(-t DIR); this machine is what it is");
		return NULL;
	}
	if (target == NULL)
		return facts_checked(host_open_with(&host_win32_ops, "", err,
		    len), "", err, len);
#endif
	if (target == NULL)
		target = HOST_DEFAULT_TARGET;
	/* An empty folder (made beforehand, or a mount point) is a new
	 * target: the profile fills it. */
	fresh = !dir_exists(target) || dir_is_empty(target);
	if (!fresh && profile != NULL) {
		snprintf(err, len, "--profile makes a new target only: %s "
		    "exists, and its profile cannot change (make a new one "
		    "with -t NEWDIR, or leave --profile out)", target);
		return NULL;
	}
	if (!fresh && host_new_fact_count() > 0) {
		snprintf(err, len, "--fact sets the facts of a new target only: "
		    "%s exists, and the facts of an existing target are not "
		    "changed this way (make a new one with -t NEWDIR)", target);
		return NULL;
	}
#ifdef _WIN32
	/* MoveFile does not replace a folder, even an empty one. */
	if (fresh && dir_exists(target))
		rmdir(target);
#endif
	if (fresh) {
		if (profile == NULL)
			profile = HOST_DEFAULT_PROFILE;
		if (strchr(profile, '/') != NULL || profile[0] == '.') {
			snprintf(err, len, "host profile '%s' is not a "
			    "profile name (see %s/hosts)", profile,
			    assets_dir());
			return NULL;
		}
		pdir = xasprintf("%s/hosts/%s", assets_dir(), profile);
		if (host_dir_create(target, pdir, err, len) != 0) {
			free(pdir);
			return NULL;
		}
		free(pdir);
		*created = 1;
	}
	return facts_checked(host_open_with(host_fault_wrap(&host_dir_ops),
	    target, err, len), target, err, len);
}

void
host_close(struct host *h)
{
	if (h == NULL)
		return;
	/* Parenthesised: on Windows close() is a macro (compat.h). */
	(h->ops->close)(h);
	free(h->where);
	free(h);
}

int
host_get(struct host *h, enum res_kind kind, const char *path,
    const char *name, char **value, char *err, size_t len)
{
	int rc;

	*value = NULL;
	rc = h->ops->get(h, kind, path, name, value, err, len);
	if (rc != 0 && !h->read_failed++)
		snprintf(h->read_err, sizeof h->read_err, "cannot read %s "
		    "%s%s%s: %s", res_kind_name(kind), path, name ? " " : "",
		    name ? name : "", err);
	return rc;
}

const char *
host_read_error(const struct host *h)
{
	return h->read_failed ? h->read_err : NULL;
}

int
host_set(struct host *h, enum res_kind kind, const char *path,
    const char *name, const char *value, char *err, size_t len)
{
	if (fault_host_set()) {
		snprintf(err, len, "injected failure (NDESWIZ_TEST_FAULT)");
		return -1;
	}
	return h->ops->set(h, kind, path, name, value, err, len);
}

int
host_list(struct host *h, enum res_kind kind, const char *path,
    char ***names, size_t *n, char *err, size_t len)
{
	*names = NULL;
	*n = 0;
	if (h->ops->list == NULL) {
		snprintf(err, len, "the %s driver lists nothing", h->ops->name);
		return -1;
	}
	return h->ops->list(h, kind, path, names, n, err, len);
}

int
host_begin(struct host *h)
{
	if (h->ops->begin == NULL)
		return 0;
	h->ops->begin(h);
	return 1;
}

int
host_commit_after(struct host *h, int (*ready)(void *, char *, size_t),
    void *ctx, char *err, size_t len)
{
	if (h->ops->commit == NULL)
		return ready != NULL ? ready(ctx, err, len) : 0;
	return h->ops->commit(h, ready, ctx, err, len);
}

int
host_commit(struct host *h, char *err, size_t len)
{
	return host_commit_after(h, NULL, NULL, err, len);
}

void
host_abort(struct host *h)
{
	if (h->ops->abort != NULL)
		h->ops->abort(h);
}

void
host_forget(struct host *h)
{
	if (h->ops->forget != NULL)
		h->ops->forget(h);
}

int
host_facts(struct host *h, struct host_facts *f)
{
	memset(f, 0, sizeof *f);
	return h->ops->facts(h, f);
}

const char *
host_state_dir(struct host *h)
{
	return h->ops->state_dir(h);
}

const char *
host_state_shown(struct host *h)
{
	snprintf(h->state_shown, sizeof h->state_shown, "%s",
	    h->ops->state_dir(h));
#ifdef _WIN32
	for (char *p = h->state_shown; *p; p++)
		if (*p == '/')
			*p = '\\';
#endif
	return h->state_shown;
}

int
host_state_fd(struct host *h)
{
	return h->ops->state_fd(h);
}
