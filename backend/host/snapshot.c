/*
 * ndeswiz snapshot: the machine's state, as the steps read it, into a new
 * dir target. What is copied is the union of
 *
 *   - what a run of the steps read (snapshot_record_start wraps the
 *     source's get and list while the command evaluates), which covers IIS
 *     and whatever a step reads for the answers given, and
 *   - a fixed table of what the steps and the check's probes read for any
 *     answers: registry subtrees, the plain lists, the certificate stores.
 *
 * Everything is read through the host interface, so a live server and a
 * dir target snapshot alike, and written through the dir driver's own
 * set, so the snapshot has the form every dir target has. No private key
 * is written: a certificate keeps its public part and, when it had a key,
 * the CERTIO_KEY_HELD line; a file holding a key is left out.
 */
#include "snapshot.h"
#include "facts.h"
#include "iiscfg.h"
#include "regfile.h"
#include "../certio.h"
#include "../util.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HKLM "HKEY_LOCAL_MACHINE\\"
#define SW HKLM "SOFTWARE\\"

/* Registry the steps and probes read; deep: with every subkey. */
static const struct regroot {
	const char *key;
	const char *value; /* NULL: every value of the key */
	int deep;
} regroots[] = {
	{ SW "Microsoft\\.NETFramework\\v4.0.30319", NULL, 0 },
	{ SW "WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319", NULL, 0 },
	{ SW "Microsoft\\NET Framework Setup\\NDP\\v4\\Full", NULL, 0 },
	{ SW "Microsoft\\Active Setup\\Installed Components\\"
	    "{A509B1A7-37EF-4b3f-8CFC-4F3A74704073}", NULL, 0 },
	{ SW "Microsoft\\Active Setup\\Installed Components\\"
	    "{A509B1A8-37EF-4b3f-8CFC-4F3A74704073}", NULL, 0 },
	{ SW "Microsoft\\Cryptography", NULL, 0 },
	{ SW "Microsoft\\Cryptography\\MSCEP", NULL, 1 },
	{ SW "Microsoft\\MicrosoftIntune", NULL, 1 },
	{ SW "Microsoft\\Windows NT\\CurrentVersion", NULL, 0 },
	{ SW "Microsoft\\Windows\\CurrentVersion\\Uninstall", NULL, 1 },
	{ SW "WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
	    NULL, 1 },
	{ SW "Microsoft\\Windows\\CurrentVersion\\Component Based "
	    "Servicing\\RebootPending", NULL, 0 },
	{ SW "Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto "
	    "Update\\RebootRequired", NULL, 0 },
	{ HKLM "SYSTEM\\CurrentControlSet\\Control\\Session Manager",
	    "PendingFileRenameOperations", 0 },
	{ HKLM "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"
	    "\\SCHANNEL", NULL, 1 },
	{ HKLM "SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters", NULL,
	    1 },
};

/* Lists read whole (where the driver can list them); members: the kind
 * has names under each path. */
static const struct listkind {
	enum res_kind kind;
	int members;
} listkinds[] = {
	{ RES_FEATURE, 0 }, { RES_GROUP, 1 }, { RES_SPN, 1 },
	{ RES_RIGHT, 1 }, { RES_SERVICE, 0 }, { RES_ROLE, 0 },
	{ RES_PROXY, 0 }, { RES_SSLBIND, 0 },
};

static const char *const cert_stores[] = { "My", "Root", "CA" };

/* The files of an empty dir target (dir.c reads each). */
static const char *const empty_lists[] = { "features.txt", "groups.txt",
	"spns.txt", "rights.txt", "services.txt", "roles.txt", "winhttp.txt" };

/* Written kind by kind: keys before values, elements before attributes. */
static const enum res_kind write_order[] = { RES_REGKEY, RES_REG,
	RES_SSLBIND, RES_IISELEM, RES_IIS, RES_FEATURE, RES_GROUP, RES_SPN,
	RES_RIGHT, RES_SERVICE, RES_ROLE, RES_PROXY, RES_CERT, RES_FILE };

struct want {
	enum res_kind kind;
	char *path, *name;
};

static struct {
	struct want *v;
	size_t n;
} wants;

static const struct host_ops *rec_inner;
static struct host_ops rec_ops;
static struct host *rec_host;

static void
want(enum res_kind kind, const char *path, const char *name)
{
	if (path == NULL)
		return;
	wants.v = xreallocarray(wants.v, wants.n + 1, sizeof *wants.v);
	wants.v[wants.n++] = (struct want){ kind, xstrdup(path),
	    name ? xstrdup(name) : NULL };
}

static void
wants_free(void)
{
	for (size_t i = 0; i < wants.n; i++) {
		free(wants.v[i].path);
		free(wants.v[i].name);
	}
	free(wants.v);
	wants.v = NULL;
	wants.n = 0;
}

/* What a list call names, as the gets that read it. */
static void
want_listed(enum res_kind kind, const char *path, char **names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (kind == RES_REG || kind == RES_CERT ||
		    (path != NULL && kind != RES_REGKEY))
			want(kind, path, names[i]);
		else if (kind != RES_REGKEY || path != NULL)
			want(kind, names[i], NULL);
	}
}

static int
rec_get(struct host *h, enum res_kind kind, const char *path,
    const char *name, char **value, char *err, size_t len)
{
	want(kind, path, name);
	return rec_inner->get(h, kind, path, name, value, err, len);
}

static int
rec_list(struct host *h, enum res_kind kind, const char *path,
    char ***names, size_t *n, char *err, size_t len)
{
	int rc = rec_inner->list(h, kind, path, names, n, err, len);

	if (rc == 0)
		want_listed(kind, path, *names, *n);
	return rc;
}

void
snapshot_record_start(struct host *h)
{
	rec_inner = h->ops;
	rec_ops = *h->ops;
	rec_ops.get = rec_get;
	if (rec_ops.list != NULL)
		rec_ops.list = rec_list;
	rec_host = h;
	h->ops = &rec_ops;
}

static void
record_stop(void)
{
	if (rec_host != NULL)
		rec_host->ops = rec_inner;
	rec_host = NULL;
}

/* ---- the fixed table ---------------------------------------------------- */

static int
walk_key(struct host *h, const char *key, int deep, char *err, size_t len)
{
	char **names = NULL, *present = NULL;
	size_t n = 0;
	int rc = 0;

	want(RES_REGKEY, key, NULL);
	if (host_list(h, RES_REG, key, &names, &n, err, len) != 0) {
		/* A key that is not there cannot be listed on Windows. */
		if (host_get(h, RES_REGKEY, key, NULL, &present, err,
		    len) == 0 && present == NULL)
			return 0;
		free(present);
		return -1;
	}
	want_listed(RES_REG, key, names, n);
	str_list_free(names, n);
	if (!deep)
		return 0;
	names = NULL;
	n = 0;
	if (host_list(h, RES_REGKEY, key, &names, &n, err, len) != 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = walk_key(h, names[i], 1, err, len);
	str_list_free(names, n);
	return rc;
}

static int
want_table(struct host *h, char *err, size_t len)
{
	char **names;
	size_t n;

	for (size_t i = 0; i < nitems(regroots); i++) {
		if (regroots[i].value != NULL)
			want(RES_REG, regroots[i].key, regroots[i].value);
		else if (walk_key(h, regroots[i].key, regroots[i].deep, err,
		    len) != 0)
			return -1;
	}
	/* The live server lists some kinds only (win32.c); the others come
	 * from what the steps read. */
	for (size_t i = 0; i < nitems(listkinds); i++) {
		names = NULL;
		n = 0;
		if (host_list(h, listkinds[i].kind, NULL, &names, &n, err,
		    len) != 0)
			continue;
		for (size_t k = 0; k < n; k++) {
			char **members = NULL;
			size_t m = 0;

			if (!listkinds[i].members)
				want(listkinds[i].kind, names[k], NULL);
			else if (host_list(h, listkinds[i].kind, names[k],
			    &members, &m, err, len) == 0)
				want_listed(listkinds[i].kind, names[k],
				    members, m);
			str_list_free(members, m);
		}
		str_list_free(names, n);
	}
	for (size_t i = 0; i < nitems(cert_stores); i++) {
		names = NULL;
		n = 0;
		if (host_list(h, RES_CERT, cert_stores[i], &names, &n, err,
		    len) != 0)
			return -1;
		want_listed(RES_CERT, cert_stores[i], names, n);
		str_list_free(names, n);
	}
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

/* A store entry without its key: the certificate, and the marker when a
 * key was there (given or itself held). NULL: not a certificate. */
static char *
public_part(const char *pem)
{
	struct certbundle b;
	char err[256], *out, *cert;

	if (certio_parse_pem(pem, strlen(pem), &b, err, sizeof err) !=
	    CERTIO_OK)
		return NULL;
	cert = certio_to_pem(b.cert, NULL);
	out = b.key || b.key_held ? xasprintf("%s%s\n", cert,
	    CERTIO_KEY_HELD) : xstrdup(cert);
	free(cert);
	certbundle_free(&b);
	return out;
}

/* Each element of an IIS path, outermost first ("LOC|a/b[@k='x/y']/c"
 * gives "LOC|", "LOC|a", "LOC|a/b[@k='x/y']", then the whole path). */
static int
set_iis_elements(struct host *dst, const char *elem, char *err, size_t len)
{
	const char *bar = strchr(elem, '|');
	int depth = 0, rc = 0;
	char *prefix;

	if (bar == NULL)
		return 0;
	if (bar != elem) {
		prefix = xstrndup(elem, (size_t)(bar - elem) + 1);
		rc = host_set(dst, RES_IISELEM, prefix, NULL, "present", err,
		    len);
		free(prefix);
	}
	for (const char *s = bar + 1; rc == 0; s++) {
		if (*s == '[')
			depth++;
		else if (*s == ']')
			depth--;
		else if ((*s == '/' && depth == 0) || *s == '\0') {
			prefix = xstrndup(elem, (size_t)(s - elem));
			rc = host_set(dst, RES_IISELEM, prefix, NULL,
			    "present", err, len);
			free(prefix);
			if (*s == '\0')
				break;
		}
	}
	return rc;
}

/* One resource from src to dst: 1 written, 0 absent or withheld, -1. */
static int
copy_one(struct host *src, struct host *dst, const struct want *w, char *err,
    size_t len)
{
	char *v = NULL, *out = NULL;
	int rc = 0;

	if (host_get(src, w->kind, w->path, w->name, &v, err, len) != 0)
		return -1;
	if (v == NULL)
		return 0;
	if (w->kind == RES_CERT)
		out = public_part(v);
	else if (strstr(v, "PRIVATE KEY-----") != NULL)
		out = xstrdup(CERTIO_KEY_HELD "\n"); /* a key file */
	else
		out = xstrdup(v);
	certio_free_secret(v);
	if (out == NULL)
		return 0; /* a store entry that is no certificate */
	if (w->kind == RES_REG)
		rc = host_set(dst, RES_REGKEY, w->path, NULL, "present", err,
		    len);
	else if (w->kind == RES_IISELEM || w->kind == RES_IIS)
		rc = set_iis_elements(dst, w->path, err, len);
	if (rc == 0 && (w->kind != RES_IISELEM))
		rc = host_set(dst, w->kind, w->path, w->name, out, err, len);
	free(out);
	return rc == 0 ? 1 : -1;
}

static int
write_empty_target(const char *dir, const struct host_facts *f, char *err,
    size_t len)
{
	struct regdb *reg = regdb_new();
	struct iiscfg *iis = iiscfg_new_empty();
	size_t n;
	unsigned char *regdata = regdb_format(reg, &n);
	char *iisdata, *facts = facts_format(f), *path;
	int rc;

	path = path_join(dir, "registry.reg");
	rc = file_write_atomic(path, regdata, n, 0644);
	free(path);
	iisdata = iiscfg_format(iis, &n);
	path = path_join(dir, "applicationHost.config");
	if (rc == 0)
		rc = file_write_atomic(path, iisdata, n, 0644);
	free(path);
	path = path_join(dir, "facts.ini");
	if (rc == 0)
		rc = file_write_atomic(path, facts, strlen(facts), 0644);
	free(path);
	for (size_t i = 0; rc == 0 && i < nitems(empty_lists); i++) {
		path = path_join(dir, empty_lists[i]);
		rc = file_write_atomic(path, "", 0, 0644);
		free(path);
	}
	if (rc != 0)
		snprintf(err, len, "cannot write in %s: %s", dir,
		    strerror(errno));
	free(regdata);
	free(iisdata);
	free(facts);
	regdb_free(reg);
	iiscfg_free(iis);
	return rc;
}

static long
fill(struct host *src, const char *tmp, char *err, size_t len)
{
	struct host_facts f = {0};
	struct host *dst;
	long count = 0;
	int rc = 0;

	if (host_facts(src, &f) != 0) {
		snprintf(err, len, "cannot read what the machine is (its "
		    "facts)");
		return -1;
	}
	if (write_empty_target(tmp, &f, err, len) != 0 ||
	    (dst = host_open_with(&host_dir_ops, tmp, err, len)) == NULL)
		return -1;
	/* In memory, then each file written once (a folder of our own: no
	 * journal needed). */
	host_begin(dst);
	for (size_t k = 0; k < nitems(write_order); k++)
		for (size_t i = 0; rc >= 0 && i < wants.n; i++)
			if (wants.v[i].kind == write_order[k] &&
			    (rc = copy_one(src, dst, &wants.v[i], err,
			    len)) > 0)
				count++;
	if (rc >= 0 && host_commit(dst, err, len) != 0)
		rc = -1;
	host_close(dst);
	return rc < 0 ? -1 : count;
}

long
snapshot_write(struct host *src, const char *dir, char *err, size_t len)
{
	char *tmp, *parent = xstrdup(dir);
	struct stat st;
	long count = -1;

	record_stop();
	if (lstat(dir, &st) == 0) {
		snprintf(err, len, "%s exists; a snapshot makes a new folder "
		    "(give another -o, or move it away)", dir);
	} else if (mkdir_p(dirname(parent), 0755) != 0) {
		snprintf(err, len, "cannot create the folder for %s: %s", dir,
		    strerror(errno));
	} else if (want_table(src, err, len) == 0) {
		tmp = xasprintf("%s.snap.XXXXXX", dir);
		if (mkdtemp(tmp) == NULL) {
			snprintf(err, len, "cannot create %s: %s", tmp,
			    strerror(errno));
		} else {
			chmod(tmp, 0755);
			count = fill(src, tmp, err, len);
			if (count >= 0 && rename(tmp, dir) != 0) {
				snprintf(err, len, "cannot create %s: %s",
				    dir, strerror(errno));
				count = -1;
			}
			if (count < 0)
				host_dir_remove(tmp);
		}
		free(tmp);
	}
	free(parent);
	wants_free();
	return count;
}
