/*
 * The "dir" driver: an offline target folder holding a Windows server's
 * state in Windows' own formats, so an admin can rehearse and review on
 * any machine, then carry the answer file to the server.
 *
 *   registry.reg            regedit 5.00 export (UTF-16LE, BOM, CRLF)
 *   applicationHost.config  IIS configuration (xmldoc.c reads it)
 *   features.txt ...        plain sorted lists (see listfiles[])
 *   certs/<Store>/<THUMBPRINT>.pem
 *   facts.ini               what the machine is (read-only)
 *   .ndeswiz/               last answers and the journal
 *
 * Every set rewrites the one file it touches, atomically, before it
 * returns: the journal depends on a change being durable. Within a batch
 * (host_ops.begin, what apply and rollback use) sets change the files as
 * held in memory only, and commit writes each changed file once.
 *
 * The target is never left: every file in it is opened relative to the
 * target's folder handle, one component at a time, without following a
 * symlink (util.h's *_at), so a symlink, FIFO or device planted after
 * open is refused by name, as scan_dir refuses one found at open.
 */
#include "host.h"
#include "facts.h"
#include "iiscfg.h"
#include "install.h"
#include "keyacl.h"
#include "pairs.h"
#include "regfile.h"
#include "sslbind.h"
#include "../fault.h"
#include "../lock.h"
#include "../bigmem.h"
#include "../retire.h"
#include "../secret.h"
#include "../util.h"
#include "../writeback.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* No fixed cap: as much as this machine's memory allows (bigmem.h). */
#define STATE_MAX state_file_limit()
#define SSL_KEY "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services" \
	"\\HTTP\\Parameters\\SslBindingInfo\\"

static const struct listfile {
	enum res_kind kind;
	const char *file;
	int two_columns; /* "A: B" lines */
	int map;         /* B is the value of A, not a member */
	const char *present;
} listfiles[] = {
	{ RES_FEATURE, "features.txt", 0, 0, "installed" },
	{ RES_GROUP, "groups.txt", 1, 0, "member" },
	{ RES_SPN, "spns.txt", 1, 0, "registered" },
	{ RES_RIGHT, "rights.txt", 1, 0, "granted" },
	{ RES_SERVICE, "services.txt", 1, 1, NULL },
	{ RES_ROLE, "roles.txt", 1, 1, NULL },
	{ RES_PROXY, "winhttp.txt", 1, 1, NULL },
};

/* The files held in memory, by number: registry, IIS, then listfiles. */
enum { DOC_REG, DOC_IIS, DOC_LIST, NDOCS = DOC_LIST + nitems(listfiles) };

/* A write a batch holds back: a certificate or a file (data NULL: the
 * file goes). */
struct pending {
	char *rel;
	char *data;
	mode_t mode;
	int cert; /* its empty folders go with it */
};

struct dirhost {
	char *root;
	char *state;
	struct regdb *reg;
	struct iiscfg *iis;
	struct pairs lists[nitems(listfiles)];
	int batch;                  /* sets stay in memory until commit */
	unsigned char dirty[NDOCS]; /* changed in memory, not on disk */
	struct pending *pend;
	size_t npend;
	struct host_facts facts;
	char pathbuf[4096];
	int broken; /* the state could not be re-read after a failed save */
	int lock;   /* the target's lock (lock.h), held until close */
	int dfd;    /* the target folder, held open until close */
	int sfd;    /* its state folder (.ndeswiz) */
};

static struct dirhost *
D(struct host *h)
{
	return h->priv;
}

static const struct listfile *
listfile_for(enum res_kind kind, size_t *idx)
{
	for (size_t i = 0; i < nitems(listfiles); i++)
		if (listfiles[i].kind == kind) {
			*idx = i;
			return &listfiles[i];
		}
	return NULL;
}

static const char *
special_kind(mode_t m)
{
	return S_ISLNK(m) ? "symlink" : S_ISFIFO(m) ? "FIFO" :
	    "device or socket";
}

/*
 * Why a file under the target could not be used (errno as the *_at calls
 * left it): the first part of rel that is not a regular file or folder,
 * by name, or else "cannot VERB ROOT/REL: strerror". Returns -1.
 */
static int
at_error(struct dirhost *d, const char *verb, const char *rel, char *err,
    size_t len)
{
	int saved = errno;
	char *part = xstrdup(rel), *path;
	struct stat st;

	for (size_t i = 0;; i++) {
		char c = part[i];

		if (c != '/' && c != '\0')
			continue;
		part[i] = '\0';
		if (fstatat(d->dfd, part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
			path = path_join(d->root, part);
			snprintf(err, len, "%s: is a %s; a target holds regular "
			    "files and folders only (remove it)", path,
			    special_kind(st.st_mode));
			free(path);
			free(part);
			return -1;
		}
		part[i] = c;
		if (c == '\0')
			break;
	}
	free(part);
	path = path_join(d->root, rel);
	snprintf(err, len, "cannot %s %s: %s", verb, path, strerror(saved));
	free(path);
	return -1;
}

static int
save_file(struct dirhost *d, const char *name, const void *data, size_t len,
    mode_t mode, char *err, size_t errlen)
{
	if (file_write_atomic_at(d->dfd, name, data, len, mode, 0755) != 0)
		return at_error(d, "write", name, err, errlen);
	return 0;
}

/* Doc i's name and bytes as they are in memory (caller frees). */
static char *
doc_format(struct dirhost *d, size_t i, const char **name, size_t *n)
{
	if (i == DOC_REG) {
		*name = "registry.reg";
		return (char *)regdb_format(d->reg, n);
	}
	if (i == DOC_IIS) {
		*name = "applicationHost.config";
		return iiscfg_format(d->iis, n);
	}
	*name = listfiles[i - DOC_LIST].file;
	char *data = pairs_format(&d->lists[i - DOC_LIST]);

	*n = strlen(data);
	return data;
}

/* Doc i was changed in memory: written now, or at commit in a batch. */
static int
touched(struct dirhost *d, size_t i, char *err, size_t len)
{
	const char *name;
	size_t n;
	char *data;
	int rc;

	if (d->batch) {
		d->dirty[i] = 1;
		return 0;
	}
	data = doc_format(d, i, &name, &n);
	rc = save_file(d, name, data, n, 0644, err, len);
	free(data);
	return rc;
}

/* ---- registry ---------------------------------------------------------- */

static int
regkey_get(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, char **v, char *err, size_t len)
{
	(void)kind;
	(void)err;
	(void)len;
	if (name != NULL && str_eq(name, HOST_REGKEY_EXISTS))
		*v = regdb_key_exists(d->reg, path) ? xstrdup("present") : NULL;
	else
		*v = regdb_key_listed(d->reg, path) ? xstrdup("present") : NULL;
	return 0;
}

static int
regkey_set(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, const char *v, char *err, size_t len)
{
	(void)kind;
	(void)name;
	if (v != NULL && !regdb_key_listed(d->reg, path))
		regdb_key_create(d->reg, path);
	else if (v == NULL && regdb_key_listed(d->reg, path) &&
	    regdb_key_unlist(d->reg, path) != 0) {
		snprintf(err, len, "key %s still holds values or subkeys",
		    path);
		return -1;
	}
	return touched(d, DOC_REG, err, len);
}

static int
reg_get(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, char **v, char *err, size_t len)
{
	const char *cur = regdb_get(d->reg, path, name ? name : "");

	(void)kind;
	(void)err;
	(void)len;
	*v = cur ? xstrdup(cur) : NULL;
	return 0;
}

static int
reg_set(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, const char *v, char *err, size_t len)
{
	(void)kind;
	if (v == NULL)
		regdb_delete(d->reg, path, name ? name : "");
	else if (regdb_set(d->reg, path, name ? name : "", v, err, len) != 0)
		return -1;
	return touched(d, DOC_REG, err, len);
}

/* ---- HTTP.sys SSL bindings live in the registry, as on Windows ---------- */

static int
sslbind_get(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, char **v, char *err, size_t len)
{
	char *key = xasprintf(SSL_KEY "%s", path);
	const char *hash, *store, *appid;
	struct buf b = {0};

	(void)kind;
	(void)name;
	(void)err;
	(void)len;
	*v = NULL;
	if (regdb_key_listed(d->reg, key)) {
		hash = regdb_get(d->reg, key, "SslCertHash");
		store = regdb_get(d->reg, key, "SslCertStoreName");
		appid = regdb_get(d->reg, key, "AppId");
		/* hex:aa,bb,... back to a thumbprint */
		buf_adds(&b, "hash=");
		if (hash != NULL && str_has_prefix(hash, "hex:"))
			for (const char *s = hash + 4; *s; s++)
				if (isxdigit((unsigned char)*s))
					buf_addc(&b, (char)toupper(
					    (unsigned char)*s));
		/* The values are REG_SZ on disk; the binding speaks plain
		 * text. */
		char *st = store ? regval_get_sz(store) : NULL;
		char *ap = appid ? regval_get_sz(appid) : NULL;

		buf_addf(&b, ";store=%s;appid=%s", st ? st : "", ap ? ap : "");
		free(st);
		free(ap);
		*v = buf_steal(&b);
	}
	free(key);
	return 0;
}

static int
sslbind_set(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, const char *v, char *err, size_t len)
{
	static const char *const vals[] = { "SslCertHash", "SslCertStoreName",
		"AppId" };
	char *key = xasprintf(SSL_KEY "%s", path);
	int rc = -1;

	(void)kind;
	(void)name;
	if (v == NULL) {
		for (size_t i = 0; i < nitems(vals); i++)
			regdb_delete(d->reg, key, vals[i]);
		regdb_key_unlist(d->reg, key);
	} else {
		struct sslbind sb;
		const char *hash, *store, *appid;
		char *data;
		unsigned char bytes[64];
		size_t n = 0;

		sslbind_parse(v, &sb);
		hash = sb.hash;
		store = sb.store;
		appid = sb.appid;

		for (const char *s = hash; s[0] && s[1] && n < sizeof bytes;
		    s += 2) {
			unsigned x;

			if (sscanf(s, "%2x", &x) != 1)
				break;
			bytes[n++] = (unsigned char)x;
		}
		if (!regdb_key_listed(d->reg, key))
			regdb_key_create(d->reg, key);
		data = regval_binary(bytes, n);
		rc = regdb_set(d->reg, key, "SslCertHash", data, err, len);
		free(data);
		data = regval_sz(store);
		if (rc == 0)
			rc = regdb_set(d->reg, key, "SslCertStoreName", data,
			    err, len);
		free(data);
		if (rc == 0 && *appid != '\0') {
			data = regval_sz(appid);
			rc = regdb_set(d->reg, key, "AppId", data, err, len);
			free(data);
		}
		sslbind_free(&sb);
		if (rc != 0) {
			free(key);
			return -1;
		}
	}
	free(key);
	return touched(d, DOC_REG, err, len);
}

/* ---- IIS --------------------------------------------------------------- */

static int
iiselem_get(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, char **v, char *err, size_t len)
{
	char why[256];
	int rc;

	(void)kind;
	if (str_eq(name, HOST_IIS_INDEX)) {
		rc = iiscfg_elem_index(d->iis, path, why, sizeof why);
		*v = rc >= 0 ? xasprintf("%d", rc) : NULL;
		if (rc == -2)
			snprintf(err, len, "%s", why);
		return rc == -2 ? -1 : 0;
	}
	rc = iiscfg_elem_exists(d->iis, path, why, sizeof why);
	*v = rc == 1 ? xstrdup("present") : NULL;
	if (rc < 0)
		snprintf(err, len, "bad IIS path %s", path);
	return rc < 0 ? -1 : 0;
}

/* A HOST_IIS_INDEX value: a small decimal number, else -1. */
static long
iis_index(const char *v)
{
	char *end;
	long k;

	if (v == NULL || !isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	k = strtol(v, &end, 10);
	return *end != '\0' || errno != 0 || k > 1000000 ? -1 : k;
}

static int
iiselem_set(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, const char *v, char *err, size_t len)
{
	int exists = iiscfg_elem_exists(d->iis, path, err, len);
	int at = str_eq(name, HOST_IIS_INDEX);
	long k = at ? iis_index(v) : -1;

	(void)kind;
	if (exists < 0)
		return -1;
	if (at && v != NULL && k < 0) {
		snprintf(err, len, "bad position '%s' for %s", v, path);
		return -1;
	}
	if (v != NULL && !exists && iiscfg_elem_create_at(d->iis, path,
	    k < 0 ? (size_t)-1 : (size_t)k, err, len) != 0)
		return -1;
	if (v == NULL && exists &&
	    iiscfg_elem_remove(d->iis, path, err, len) != 0)
		return -1;
	return touched(d, DOC_IIS, err, len);
}

static int
iis_get(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, char **v, char *err, size_t len)
{
	(void)kind;
	(void)err;
	(void)len;
	*v = iiscfg_attr_get(d->iis, path, name);
	return 0;
}

static int
iis_set(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, const char *v, char *err, size_t len)
{
	(void)kind;
	if (iiscfg_attr_set(d->iis, path, name, v, err, len) != 0)
		return -1;
	return touched(d, DOC_IIS, err, len);
}

/* ---- plain lists ------------------------------------------------------- */

static int
list_get(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, char **v, char *err, size_t len)
{
	size_t i = 0;
	const struct listfile *lf = listfile_for(kind, &i);
	struct pair *p;

	(void)err;
	(void)len;
	if (lf->map) {
		p = pairs_find(&d->lists[i], path, NULL, 1);
		*v = p && p->b ? xstrdup(p->b) : NULL;
	} else {
		p = pairs_find(&d->lists[i], path, lf->two_columns ? name :
		    NULL, 0);
		*v = p ? xstrdup(lf->present) : NULL;
	}
	return 0;
}

static int
list_set(struct dirhost *d, enum res_kind kind, const char *path,
    const char *name, const char *v, char *err, size_t len)
{
	size_t i = 0;
	const struct listfile *lf = listfile_for(kind, &i);
	struct pairs *ps = &d->lists[i];
	struct pair *p;

	if (strchr(path, '\n') || strchr(path, ':') ||
	    (name && strchr(name, '\n'))) {
		snprintf(err, len, "'%s' cannot be stored in %s", path,
		    lf->file);
		return -1;
	}
	if (lf->map) {
		if ((p = pairs_find(ps, path, NULL, 1)) != NULL)
			pairs_remove(ps, p);
		if (v != NULL)
			pairs_add(ps, path, v);
	} else {
		const char *b = lf->two_columns ? name : NULL;

		p = pairs_find(ps, path, b, 0);
		if (v == NULL && p != NULL)
			pairs_remove(ps, p);
		else if (v != NULL && p == NULL)
			pairs_add(ps, path, b);
	}
	return touched(d, DOC_LIST + i, err, len);
}

/* ---- certificates and files -------------------------------------------- */

/* The write a batch holds back for rel, or NULL. */
static struct pending *
pending_for(struct dirhost *d, const char *rel)
{
	for (size_t i = 0; i < d->npend; i++)
		if (strcmp(d->pend[i].rel, rel) == 0)
			return &d->pend[i];
	return NULL;
}

static void
pending_clear(struct dirhost *d)
{
	for (size_t i = 0; i < d->npend; i++) {
		free(d->pend[i].rel);
		/* A certificate's private key, perhaps. */
		if (d->pend[i].data != NULL)
			secure_zero(d->pend[i].data, strlen(d->pend[i].data));
		free(d->pend[i].data);
	}
	free(d->pend);
	d->pend = NULL;
	d->npend = 0;
}

/* Remove file rel, and for a certificate its folders left empty: a target
 * has one form per state, so an undone import leaves the same bytes and
 * folders as before. */
static int
remove_file(struct dirhost *d, const char *rel, int cert, char *err,
    size_t len)
{
	char *dir;

	if (file_remove_at(d->dfd, rel, 0) != 0 && errno != ENOENT)
		return at_error(d, "remove", rel, err, len);
	if (!cert)
		return 0;
	dir = xstrndup(rel, (size_t)(strrchr(rel, '/') - rel));
	if (file_remove_at(d->dfd, dir, 1) == 0)
		file_remove_at(d->dfd, "certs", 1);
	free(dir);
	return 0;
}

/* Write (v NULL: remove) file rel now, or at commit in a batch. */
static int
put_file(struct dirhost *d, const char *rel, const char *v, mode_t mode,
    int cert, char *err, size_t len)
{
	struct pending *p;

	if (!d->batch)
		return v == NULL ? remove_file(d, rel, cert, err, len) :
		    save_file(d, rel, v, strlen(v), mode, err, len);
	if ((p = pending_for(d, rel)) == NULL) {
		d->pend = xreallocarray(d->pend, d->npend + 1, sizeof *d->pend);
		p = &d->pend[d->npend++];
		p->rel = xstrdup(rel);
	} else if (p->data != NULL) {
		secure_zero(p->data, strlen(p->data));
		free(p->data);
	}
	p->data = v ? xstrdup(v) : NULL;
	p->mode = mode;
	p->cert = cert;
	return 0;
}

static int
read_optional(struct dirhost *d, const char *rel, char **v, char *err,
    size_t len)
{
	const struct pending *p = pending_for(d, rel);
	size_t n;

	*v = NULL;
	if (p != NULL) {
		*v = p->data ? xstrdup(p->data) : NULL;
		return 0;
	}
	if (file_read_at(d->dfd, rel, STATE_MAX, v, &n) == 0)
		return 0;
	if (errno == ENOENT)
		return 0;
	return at_error(d, "read", rel, err, len);
}

static char *
cert_rel(const char *store, const char *thumb)
{
	return xasprintf("certs/%s/%s.pem", store, thumb);
}

static int
cert_get(struct dirhost *d, enum res_kind kind, const char *store,
    const char *thumb, char **v, char *err, size_t len)
{
	char *rel;
	int rc;

	(void)kind;
	if (!str_plain_name(store) || !str_plain_name(thumb)) {
		snprintf(err, len, "bad certificate store or thumbprint");
		return -1;
	}
	rel = cert_rel(store, thumb);
	rc = read_optional(d, rel, v, err, len);
	free(rel);
	return rc;
}

static int
cert_set(struct dirhost *d, enum res_kind kind, const char *store,
    const char *thumb, const char *v, char *err, size_t len)
{
	char *rel;
	int rc;

	(void)kind;
	if (!str_plain_name(store) || !str_plain_name(thumb)) {
		snprintf(err, len, "bad certificate store or thumbprint");
		return -1;
	}
	rel = cert_rel(store, thumb);
	rc = put_file(d, rel, v, 0600, 1, err, len);
	free(rel);
	return rc;
}

/* Files the plan writes for the admin (runbooks, CSRs) sit in the target's
 * top folder: no subfolders, so an undo leaves nothing behind. */
static int
file_get(struct dirhost *d, enum res_kind kind, const char *name,
    const char *unused, char **v, char *err, size_t len)
{
	(void)kind;
	(void)unused;
	if (!str_plain_name(name)) {
		snprintf(err, len, "'%s' is not a plain file name", name);
		return -1;
	}
	return read_optional(d, name, v, err, len);
}

static int
file_set(struct dirhost *d, enum res_kind kind, const char *name,
    const char *unused, const char *v, char *err, size_t len)
{
	(void)kind;
	(void)unused;
	if (!str_plain_name(name)) {
		snprintf(err, len, "'%s' is not a plain file name", name);
		return -1;
	}
	return put_file(d, name, v, 0600, 0, err, len);
}

/* A certificate's key ACL, kept beside it as certs/STORE/THUMB.acl, read
 * and written like the certificate (a batch holds the write back). */
static int
keyacl_get(struct dirhost *d, enum res_kind kind, const char *path,
    const char *account, char **v, char *err, size_t len)
{
	char *rel = keyacl_rel(path, ".acl", err, len), *data = NULL;
	int rc;

	(void)kind;
	*v = NULL;
	if (rel == NULL)
		return -1;
	rc = read_optional(d, rel, &data, err, len);
	if (rc == 0 && keyacl_has(data, account))
		*v = xstrdup(KEYACL_READ);
	free(data);
	free(rel);
	return rc;
}

static int
keyacl_set(struct dirhost *d, enum res_kind kind, const char *path,
    const char *account, const char *v, char *err, size_t len)
{
	char *rel, *pem = NULL, *data = NULL, *next;
	int rc;

	(void)kind;
	if (keyacl_value_check(v, err, len) != 0 ||
	    keyacl_account_check(account, err, len) != 0 ||
	    (rel = keyacl_rel(path, ".pem", err, len)) == NULL)
		return -1;
	/* As on a server: no key to open to anyone without one. */
	rc = read_optional(d, rel, &pem, err, len);
	if (rc == 0 && v != NULL && (pem == NULL ||
	    strstr(pem, "PRIVATE KEY-----") == NULL)) {
		snprintf(err, len, "%s/%s: no certificate with its private key "
		    "there, so no key to let %s read", d->root, rel, path);
		rc = -1;
	}
	if (pem != NULL)
		secure_zero(pem, strlen(pem));
	free(pem);
	free(rel);
	if (rc != 0 || (rel = keyacl_rel(path, ".acl", err, len)) == NULL)
		return -1;
	if ((rc = read_optional(d, rel, &data, err, len)) == 0) {
		next = keyacl_edit(data, account, v != NULL);
		rc = put_file(d, rel, next, 0644, 1, err, len);
		free(next);
	}
	free(data);
	free(rel);
	return rc;
}

static int
install_get(struct dirhost *d, enum res_kind kind, const char *program,
    const char *installer, char **v, char *err, size_t len)
{
	(void)kind;
	(void)installer;
	(void)err;
	(void)len;
	return install_dir_get(d->reg, program, v);
}

static int
install_set(struct dirhost *d, enum res_kind kind, const char *program,
    const char *installer, const char *v, char *err, size_t len)
{
	(void)kind;
	if (install_dir_set(d->reg, program, installer, v, err, len) != 0)
		return -1;
	return touched(d, DOC_REG, err, len);
}

/* ---- the driver -------------------------------------------------------- */

static int list_list(struct dirhost *, enum res_kind, const char *, char ***,
    size_t *, char *, size_t);
static int regkey_list(struct dirhost *, enum res_kind, const char *,
    char ***, size_t *, char *, size_t);
static int reg_list(struct dirhost *, enum res_kind, const char *, char ***,
    size_t *, char *, size_t);
static int cert_list(struct dirhost *, enum res_kind, const char *, char ***,
    size_t *, char *, size_t);

/* Where each kind lives in the target; no list: it cannot be listed. */
static const struct dirres {
	int (*get)(struct dirhost *, enum res_kind, const char *path,
	    const char *name, char **, char *err, size_t len);
	int (*set)(struct dirhost *, enum res_kind, const char *path,
	    const char *name, const char *, char *err, size_t len);
	int (*list)(struct dirhost *, enum res_kind, const char *path,
	    char ***names, size_t *n, char *err, size_t len);
} dirres[RES__COUNT] = {
	[RES_REGKEY] = { regkey_get, regkey_set, regkey_list },
	[RES_REG] = { reg_get, reg_set, reg_list },
	[RES_FEATURE] = { list_get, list_set, list_list },
	[RES_GROUP] = { list_get, list_set, list_list },
	[RES_SPN] = { list_get, list_set, list_list },
	[RES_RIGHT] = { list_get, list_set, list_list },
	[RES_IISELEM] = { iiselem_get, iiselem_set, NULL },
	[RES_IIS] = { iis_get, iis_set, NULL },
	[RES_CERT] = { cert_get, cert_set, cert_list },
	[RES_SSLBIND] = { sslbind_get, sslbind_set, NULL },
	[RES_PROXY] = { list_get, list_set, list_list },
	[RES_SERVICE] = { list_get, list_set, list_list },
	[RES_ROLE] = { list_get, list_set, list_list },
	[RES_FILE] = { file_get, file_set, NULL },
	[RES_KEYACL] = { keyacl_get, keyacl_set, NULL },
	[RES_INSTALL] = { install_get, install_set, NULL },
};

static const struct dirres *
res_of(enum res_kind kind, char *err, size_t len)
{
	if ((int)kind < 0 || kind >= RES__COUNT || dirres[kind].get == NULL) {
		snprintf(err, len, "unknown resource kind %d", (int)kind);
		return NULL;
	}
	return &dirres[kind];
}

static int
dir_get(struct host *h, enum res_kind kind, const char *path,
    const char *name, char **v, char *err, size_t len)
{
	struct dirhost *d = D(h);
	const struct dirres *r;

	if (d->broken) {
		snprintf(err, len, "%s could not be read again after a failed "
		    "write", d->root);
		return -1;
	}
	if ((r = res_of(kind, err, len)) == NULL)
		return -1;
	return r->get(d, kind, path, name, v, err, len);
}

static int load_state(struct dirhost *, const char *, char *, size_t);
static void free_state(struct dirhost *);

/* Hold what the disk holds again, after a write that failed or to drop a
 * batch: what is in memory and not on disk goes. */
static void
reread(struct dirhost *d)
{
	char ignored[256];

	pending_clear(d);
	memset(d->dirty, 0, sizeof d->dirty);
	free_state(d);
	if (load_state(d, d->root, ignored, sizeof ignored) != 0) {
		free_state(d);
		d->broken = 1;
	}
}

static int
dir_set(struct host *h, enum res_kind kind, const char *path,
    const char *name, const char *v, char *err, size_t len)
{
	struct dirhost *d = D(h);
	const struct dirres *r = res_of(kind, err, len);
	char *cur = NULL, ignored[256];
	int rc;

	if (r == NULL)
		return -1;
	if (d->broken) {
		snprintf(err, len, "%s could not be read again after a failed "
		    "write; run ndeswiz again", d->root);
		return -1;
	}
	/* Nothing to change is nothing to write: undoing a change that never
	 * reached the disk must not need room on a full one. */
	if (dir_get(h, kind, path, name, &cur, ignored, sizeof ignored) == 0 &&
	    str_eq(cur, v)) {
		free(cur);
		return 0;
	}
	free(cur);
	rc = r->set(d, kind, path, name, v, err, len);
	/* The edit is in memory but not on disk: read the disk again, so
	 * that what we hold is what the target holds (in a batch, that
	 * drops the batch's edits too: the caller aborts it). */
	if (rc != 0)
		reread(d);
	return rc;
}

/* ---- batches: each changed file written once --------------------------- */

static void
dir_begin(struct host *h)
{
	D(h)->batch = 1;
}

static void
dir_abort(struct host *h)
{
	struct dirhost *d = D(h);
	int dirty = 0;

	d->batch = 0;
	for (size_t i = 0; i < NDOCS; i++)
		dirty |= d->dirty[i];
	/* Files held back are dropped; a file changed in memory is read
	 * again. */
	if (dirty)
		reread(d);
	pending_clear(d);
}

/* A new file staged beside the one it replaces, not yet in place. */
struct staged {
	const char *rel;
	char *tmp;
};

static int
stage_fill(struct dirhost *d, struct staged *st, size_t *ns, const char *rel,
    int (*fill)(int, void *), void *ctx, mode_t mode, char *err, size_t len)
{
	if (file_stage_fill_at(d->dfd, rel, fill, ctx, mode, 0755,
	    &st[*ns].tmp) != 0)
		return at_error(d, "write", rel, err, len);
	st[(*ns)++].rel = rel;
	return 0;
}

static int
stage(struct dirhost *d, struct staged *st, size_t *ns, const char *rel,
    const char *data, size_t n, mode_t mode, char *err, size_t len)
{
	return stage_fill(d, st, ns, rel, fd_fill_bytes,
	    &(struct fd_bytes){ data, n }, mode, err, len);
}

/* The registry's text going to its staged file (reg_fill). */
struct regsink {
	int fd;
	unsigned long long off;
	int err;		/* errno of a failed write */
};

static int
reg_put(void *ctx, const void *data, size_t n)
{
	struct regsink *s = ctx;

	if (fd_write_all(s->fd, data, n) != 0) {
		s->err = errno;
		return -1;
	}
	writeback_start(s->fd, s->off, n);
	s->off += n;
	return 0;
}

/* registry.reg, formatted into the file a chunk at a time: a big one is
 * never whole in memory, and the disk writes while the rest is made. */
static int
reg_fill(int fd, void *reg)
{
	struct regsink s = { fd, 0, 0 };

	if (regdb_format_to(reg, REG_CHUNK, reg_put, &s) == 0)
		return 0;
	errno = s.err;
	return -1;
}

/* Below this, a replaced file's cache is not worth a thread. */
#define RETIRE_MIN (8ULL << 20)

/* fsync each folder of a file the commit wrote or removed (and their
 * parents: a folder made or removed is an entry of its parent), once. */
static void
sync_folders(struct dirhost *d, const char *const *rels, size_t n)
{
	char **done = xcalloc(3 * n + 1, sizeof *done);
	size_t nd = 0;

	for (size_t i = 0; i < n; i++) {
		char *dir = xstrdup(rels[i]), *slash;
		size_t k;

		do {
			slash = strrchr(dir, '/');
			*(slash ? slash : dir) = '\0';
			for (k = 0; k < nd && strcmp(done[k], dir) != 0; k++)
				;
			if (k == nd) {
				/* As file_write_atomic: the renames are made;
				 * a folder removed since has nothing to sync. */
				(void)dir_sync_at(d->dfd, dir);
				done = xreallocarray(done, nd + 1,
				    sizeof *done);
				done[nd++] = xstrdup(dir);
			}
		} while (slash != NULL);
		free(dir);
	}
	str_list_free(done, nd);
}

/*
 * Every changed file is first written beside the one it replaces (a full
 * disk fails here, before any file changed), ready makes the journal
 * durable, each file is fsynced, then each is put in place and each
 * folder fsynced once. The journal undoes any mix of old and new files a
 * kill between two renames leaves. Written all before the first fsync,
 * the files and the journal go to the disk together, and each fsync
 * waits only for what is left of its own: an fsync right after each
 * write waited for them one after the other.
 */
static int
dir_commit(struct host *h, int (*ready)(void *, char *, size_t), void *ctx,
    char *err, size_t len)
{
	struct dirhost *d = D(h);
	struct staged *st = xcalloc(NDOCS + d->npend + 1, sizeof *st);
	const char **rels = xcalloc(NDOCS + d->npend + 1, sizeof *rels);
	size_t ns = 0, nr = 0, k = 0;
	struct retire *old = NULL;
	int rc = 0;

	d->batch = 0;
	/* The registry this replaces leaves the cache while its successor
	 * is written (retire.h). */
	if (d->dirty[DOC_REG])
		old = retire_start(d->dfd, "registry.reg", RETIRE_MIN);
	for (size_t i = 0; rc == 0 && i < NDOCS; i++) {
		const char *name;
		size_t n;
		char *data;

		if (!d->dirty[i])
			continue;
		if (i == DOC_REG) {
			rc = stage_fill(d, st, &ns, "registry.reg", reg_fill,
			    d->reg, 0644, err, len);
			continue;
		}
		data = doc_format(d, i, &name, &n);
		rc = stage(d, st, &ns, name, data, n, 0644, err, len);
		free(data);
	}
	for (size_t i = 0; rc == 0 && i < d->npend; i++)
		if (d->pend[i].data != NULL)
			rc = stage(d, st, &ns, d->pend[i].rel, d->pend[i].data,
			    strlen(d->pend[i].data), d->pend[i].mode, err, len);
	retire_wait(old);
	if (rc == 0 && ready != NULL)
		rc = ready(ctx, err, len);
	for (size_t i = 0; rc == 0 && i < ns; i++)
		if (file_stage_sync_at(d->dfd, st[i].tmp) != 0)
			rc = at_error(d, "write", st[i].rel, err, len);
	for (size_t i = 0; rc == 0 && i < ns; i++) {
		fault_point(FAULT_COMMIT, ++k);
		if (file_stage_rename_at(d->dfd, st[i].tmp, st[i].rel) != 0)
			rc = at_error(d, "write", st[i].rel, err, len);
		else {
			rels[nr++] = st[i].rel;
			free(st[i].tmp);
			st[i].tmp = NULL;
		}
	}
	for (size_t i = 0; rc == 0 && i < d->npend; i++) {
		if (d->pend[i].data != NULL)
			continue;
		fault_point(FAULT_COMMIT, ++k);
		rc = remove_file(d, d->pend[i].rel, d->pend[i].cert, err, len);
		if (rc == 0)
			rels[nr++] = d->pend[i].rel;
	}
	sync_folders(d, rels, nr);
	if (rc == 0)
		fault_point(FAULT_COMMIT, ++k);
	for (size_t i = 0; i < ns; i++)
		if (st[i].tmp != NULL) {
			(void)file_remove_at(d->dfd, st[i].tmp, 0);
			free(st[i].tmp);
		}
	free(st);
	free(rels);
	/* Failed: some files may be new, some old; hold what is there. */
	if (rc != 0)
		reread(d);
	memset(d->dirty, 0, sizeof d->dirty);
	pending_clear(d);
	return rc;
}

static char **
dup_names(char **src, size_t n)
{
	char **v = xcalloc(n + 1, sizeof *v);

	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(src[i]);
	return v;
}

static int
regkey_list(struct dirhost *d, enum res_kind kind, const char *path,
    char ***names, size_t *n, char *err, size_t len)
{
	(void)kind;
	(void)err;
	(void)len;
	*names = regdb_subkeys(d->reg, path, n);
	return 0;
}

static int
reg_list(struct dirhost *d, enum res_kind kind, const char *path,
    char ***names, size_t *n, char *err, size_t len)
{
	(void)kind;
	(void)err;
	(void)len;
	*names = regdb_values(d->reg, path, n);
	return 0;
}

/* The thumbprints of store as listed on disk, made what a batch holds:
 * its imports added, its removals taken away. */
static void
cert_list_pending(struct dirhost *d, const char *store, char ***names,
    size_t *n)
{
	for (size_t i = 0; i < d->npend; i++) {
		const struct pending *p = &d->pend[i];
		char *thumb, *rel;
		size_t k = 0;

		if (!p->cert)
			continue;
		thumb = xstrdup(strrchr(p->rel, '/') + 1);
		thumb[strlen(thumb) - 4] = '\0'; /* .pem */
		rel = cert_rel(store, thumb);
		while (k < *n && strcmp((*names)[k], thumb) != 0)
			k++;
		if (strcmp(rel, p->rel) != 0)
			free(thumb);
		else if (p->data != NULL && k == *n) {
			*names = xreallocarray(*names, *n + 1, sizeof **names);
			(*names)[(*n)++] = thumb;
		} else {
			if (p->data == NULL && k < *n) {
				free((*names)[k]);
				(*names)[k] = (*names)[--*n];
			}
			free(thumb);
		}
		free(rel);
	}
}

static int
cert_list(struct dirhost *d, enum res_kind kind, const char *path,
    char ***names, size_t *n, char *err, size_t len)
{
	char *rel = xasprintf("certs/%s", path);
	int fd = dir_open_at(d->dfd, rel, 0, 0);
	DIR *dp = fd == -1 ? NULL : fdopendir(fd);
	struct dirent *de;

	(void)kind;
	if (dp == NULL) {
		int rc = errno == ENOENT ? 0 : at_error(d, "list", rel, err,
		    len);

		if (fd != -1)
			close(fd);
		free(rel);
		if (rc == 0)
			cert_list_pending(d, path, names, n);
		return rc;
	}
	free(rel);
	while ((de = readdir(dp)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 4, ".pem") != 0)
			continue;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrndup(de->d_name, l - 4);
	}
	closedir(dp);
	cert_list_pending(d, path, names, n);
	return 0;
}

/* Paths (path NULL) or the members of one path. */
static int
list_list(struct dirhost *d, enum res_kind kind, const char *path,
    char ***names, size_t *n, char *err, size_t len)
{
	size_t i = 0;
	char **tmp;

	(void)err;
	(void)len;
	listfile_for(kind, &i);
	tmp = xcalloc(d->lists[i].n + 1, sizeof *tmp);
	for (size_t k = 0; k < d->lists[i].n; k++) {
		struct pair *p = &d->lists[i].v[k];

		if (path == NULL)
			tmp[(*n)++] = p->a;
		else if (str_ieq(p->a, path) && p->b != NULL)
			tmp[(*n)++] = p->b;
	}
	*names = dup_names(tmp, *n);
	free(tmp);
	return 0;
}

static int
dir_list(struct host *h, enum res_kind kind, const char *path, char ***names,
    size_t *n, char *err, size_t len)
{
	const struct dirres *r = res_of(kind, err, len);

	*names = NULL;
	*n = 0;
	if (r == NULL)
		return -1;
	if (r->list == NULL) {
		snprintf(err, len, "%s cannot be listed", res_kind_name(kind));
		return -1;
	}
	return r->list(D(h), kind, path, names, n, err, len);
}

/* ---- facts ------------------------------------------------------------- */

static int
dir_facts(struct host *h, struct host_facts *f)
{
	*f = D(h)->facts;
	return 0;
}

static int
load_facts(struct dirhost *d, char *err, size_t len)
{
	char *path = path_join(d->root, "facts.ini"), *data;
	size_t n;
	int rc;

	if (file_read_at(d->dfd, "facts.ini", STATE_MAX, &data, &n) != 0) {
		snprintf(err, len, "%s: cannot read it: %s (every target needs "
		    "its facts: what the machine is)", path, strerror(errno));
		free(path);
		return -1;
	}
	rc = facts_parse(path, data, n, &d->facts, err, len);
	free(data);
	free(path);
	return rc;
}

static int
load_whole(struct dirhost *d, const char *name, int map, char **data,
    size_t *n, char *err, size_t len)
{
	char *path = path_join(d->root, name);
	struct stat st;

	if ((map ? file_map_at : file_read_at)(d->dfd, name, STATE_MAX, data,
	    n) != 0) {
		if (errno == EFBIG && fstatat(d->dfd, name, &st,
		    AT_SYMLINK_NOFOLLOW) == 0)
			snprintf(err, len, "%s: cannot read: it is %jd bytes, "
			    "over this machine's limit of %zu for a target "
			    "file (a quarter of its memory, within 16 MiB and "
			    "1 GiB); "
			    "keep in the target only the keys the steps read, "
			    "or use a machine with more memory", path,
			    (intmax_t)st.st_size, STATE_MAX);
		else
			snprintf(err, len, "%s: cannot read: %s", path,
			    strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

static int
load_state(struct dirhost *d, const char *root, char *err, size_t len)
{
	char *data, *name;
	size_t n;
	int rc;

	/* The registry is mapped: a server's is 100 MB and more. */
	if (load_whole(d, "registry.reg", 1, &data, &n, err, len) != 0)
		return -1;
	name = path_join(root, "registry.reg");
	d->reg = regdb_new();
	rc = regdb_parse(d->reg, name, (unsigned char *)data, n, err, len);
	free(name);
	file_unmap(data, n);
	if (rc != 0)
		return -1;
	if (load_whole(d, "applicationHost.config", 0, &data, &n, err,
	    len) != 0)
		return -1;
	name = path_join(root, "applicationHost.config");
	d->iis = iiscfg_parse(name, data, n, err, len);
	free(name);
	free(data);
	if (d->iis == NULL)
		return -1;
	for (size_t i = 0; i < nitems(listfiles); i++) {
		if (load_whole(d, listfiles[i].file, 0, &data, &n, err,
		    len) != 0)
			return -1;
		name = path_join(root, listfiles[i].file);
		rc = pairs_parse(&d->lists[i], name, data, n, err, len);
		free(name);
		free(data);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static void
free_state(struct dirhost *d)
{
	if (d->reg)
		regdb_free(d->reg);
	if (d->iis)
		iiscfg_free(d->iis);
	d->reg = NULL;
	d->iis = NULL;
	for (size_t i = 0; i < nitems(listfiles); i++)
		pairs_free(&d->lists[i]);
}

/*
 * A target holds regular files and folders only. A symlink, FIFO or device
 * in it would make root read or write outside the target (or hang): name
 * it and stop. Temporary files a killed run left behind are removed here,
 * under the lock, so that no run sees another's, and so is a certificate
 * folder left empty (a commit killed after it made the folder for a
 * certificate it had not yet put in place): a target has no empty ones.
 */
static int
scan_dir(struct dirhost *d, const char *rel, int depth, char *err,
    size_t len)
{
	int fd = dir_open_at(d->dfd, rel, 0, 0);
	DIR *dp = fd == -1 ? NULL : fdopendir(dir_open_at(fd, "", 0, 0));
	struct dirent *de;
	int rc = 0;

	if (dp == NULL) {
		if (fd != -1)
			close(fd);
		return 0;
	}
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		char *path, *sub;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = *rel ? xasprintf("%s/%s", rel, de->d_name) :
		    xstrdup(de->d_name);
		path = path_join(d->root, sub);
		if (str_has_prefix(de->d_name, TEMP_PREFIX)) {
			if (unlinkat(fd, de->d_name, 0) != 0 &&
			    errno != ENOENT) {
				snprintf(err, len, "%s: cannot remove a "
				    "leftover temporary file: %s", path,
				    strerror(errno));
				rc = -1;
			}
		} else if (fstatat(fd, de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) != 0) {
			snprintf(err, len, "%s: %s", path, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (depth > 0)
				rc = scan_dir(d, sub, depth - 1, err, len);
		} else if (!S_ISREG(st.st_mode)) {
			snprintf(err, len, "%s: is a %s; a target holds "
			    "regular files and folders only (remove it)", path,
			    special_kind(st.st_mode));
			rc = -1;
		}
		free(sub);
		free(path);
	}
	closedir(dp);
	close(fd);
	if (rc == 0 && (strcmp(rel, "certs") == 0 ||
	    str_has_prefix(rel, "certs/")))
		(void)file_remove_at(d->dfd, rel, 1); /* when empty */
	return rc;
}

static void
dir_close(struct host *h)
{
	struct dirhost *d = D(h);

	if (d == NULL)
		return;
	state_unlock(d->lock);
	if (d->sfd != -1)
		close(d->sfd);
	if (d->dfd != -1)
		close(d->dfd);
	free_state(d);
	pending_clear(d);
	free(d->root);
	free(d->state);
	free(d);
	h->priv = NULL;
}

static int
dir_open(struct host *h, const char *where, char *err, size_t len)
{
	struct dirhost *d = xcalloc(1, sizeof *d);

	struct stat st;

	h->priv = d;
	d->lock = -1;
	d->dfd = d->sfd = -1;
	d->root = xstrdup(where);
	d->state = path_join(where, ".ndeswiz");
	if (!dir_exists(where)) {
		snprintf(err, len, "%s: no such target folder", where);
		goto fail;
	}
	if (lstat(d->state, &st) == 0 && !S_ISDIR(st.st_mode)) {
		snprintf(err, len, "%s: is not a folder; a target holds "
		    "regular files and folders only (remove it)", d->state);
		goto fail;
	}
	/* Lock first: the state read next is the one this run changes. From
	 * here on, every file is reached through the folders' handles. */
	if ((d->lock = state_lock(d->state, err, len)) == -1)
		goto fail;
	d->dfd = openat(AT_FDCWD, where, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->dfd == -1 ||
	    (d->sfd = dir_open_at(d->dfd, ".ndeswiz", 0, 0)) == -1) {
		snprintf(err, len, "%s: cannot open it: %s", d->dfd == -1 ?
		    where : d->state, strerror(errno));
		goto fail;
	}
	if (scan_dir(d, "", 3, err, len) != 0 ||
	    load_state(d, where, err, len) != 0 ||
	    load_facts(d, err, len) != 0)
		goto fail;
	return 0;
fail:
	dir_close(h);
	return -1;
}

static const char *
dir_state_dir(struct host *h)
{
	return D(h)->state;
}

static int
dir_state_fd(struct host *h)
{
	return D(h)->sfd;
}

static const char *
dir_file_path(struct host *h, const char *name)
{
	struct dirhost *d = D(h);

	snprintf(d->pathbuf, sizeof d->pathbuf, "%s/%s", d->root, name);
	return d->pathbuf;
}

const struct host_ops host_dir_ops = {
	.name = "dir",
	.open = dir_open,
	.close = dir_close,
	.facts = dir_facts,
	.get = dir_get,
	.set = dir_set,
	.list = dir_list,
	.state_dir = dir_state_dir,
	.state_fd = dir_state_fd,
	.file_path = dir_file_path,
	.begin = dir_begin,
	.commit = dir_commit,
	.abort = dir_abort,
};
