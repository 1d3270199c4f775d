/*
 * Making a dir target from a host profile (assets/hosts/<name>/). Every
 * file goes through its own reader and writer, so a target starts in the
 * canonical form that later writes keep: byte comparisons then mean
 * something. The folder appears whole or not at all (temp + rename).
 */
#include "host.h"
#include "iiscfg.h"
#include "pairs.h"
#include "regfile.h"
#include "../bigmem.h"
#include "../util.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A profile's files become a target's: the same bound (bigmem.h). */
#define PROFILE_MAX state_file_limit()

typedef int (*canon_fn)(const char *name, const char *in, size_t n,
    char **out, size_t *outlen, char *err, size_t len);

static int
canon_reg(const char *name, const char *in, size_t n, char **out,
    size_t *outlen, char *err, size_t len)
{
	struct regdb *db = regdb_new();
	int rc = regdb_parse(db, name, (const unsigned char *)in, n, err, len);

	if (rc == 0)
		*out = (char *)regdb_format(db, outlen);
	regdb_free(db);
	return rc;
}

static int
canon_iis(const char *name, const char *in, size_t n, char **out,
    size_t *outlen, char *err, size_t len)
{
	struct iiscfg *c = iiscfg_parse(name, in, n, err, len);

	if (c == NULL)
		return -1;
	*out = iiscfg_format(c, outlen);
	iiscfg_free(c);
	return 0;
}

static int
canon_list(const char *name, const char *in, size_t n, char **out,
    size_t *outlen, char *err, size_t len)
{
	struct pairs ps;

	if (pairs_parse(&ps, name, in, n, err, len) != 0)
		return -1;
	*out = pairs_format(&ps);
	*outlen = strlen(*out);
	pairs_free(&ps);
	return 0;
}

static int
canon_copy(const char *name, const char *in, size_t n, char **out,
    size_t *outlen, char *err, size_t len)
{
	(void)name;
	(void)err;
	(void)len;
	*out = xmalloc(n + 1);
	memcpy(*out, in, n);
	*outlen = n;
	return 0;
}

/* ---- --fact KEY=VALUE -------------------------------------------------- */

#define NEW_FACTS_MAX 32

static struct new_fact {
	char *key, *value;
} new_facts[NEW_FACTS_MAX];
static size_t n_new_facts;

/* The --fact given for key, or -1. */
static int
new_fact_index(const char *key)
{
	for (size_t i = 0; i < n_new_facts; i++)
		if (strcmp(new_facts[i].key, key) == 0)
			return (int)i;
	return -1;
}

int
host_new_fact(const char *kv, char *err, size_t len)
{
	const char *eq = strchr(kv, '=');
	char *key;
	size_t i;

	if (eq == NULL || eq == kv) {
		snprintf(err, len, "'%s' is not KEY=VALUE", kv);
		return -1;
	}
	key = xstrndup(kv, (size_t)(eq - kv));
	if (host_fact_check(key, eq + 1, err, len) != 0) {
		free(key);
		return -1;
	}
	i = new_fact_index(key) < 0 ? n_new_facts : (size_t)new_fact_index(key);
	if (i == NEW_FACTS_MAX) {
		free(key);
		snprintf(err, len, "too many facts");
		return -1;
	}
	if (i == n_new_facts)
		new_facts[n_new_facts++].key = key;
	else
		free(key);
	free(new_facts[i].value);
	new_facts[i].value = xstrdup(eq + 1);
	return 0;
}

size_t
host_new_fact_count(void)
{
	return n_new_facts;
}

/* The key of a "key = value" line, in buf; 0 when it is no such line. */
static int
line_key(const char *line, size_t n, char *buf, size_t len)
{
	size_t a = 0, b;

	while (a < n && (line[a] == ' ' || line[a] == '\t'))
		a++;
	for (b = a; b < n && line[b] != '=' && line[b] != ' ' &&
	    line[b] != '\t'; b++)
		;
	if (b == a || b - a >= len || memchr(line + b, '=', n - b) == NULL ||
	    strchr(";#[", line[a]) != NULL)
		return 0;
	memcpy(buf, line + a, b - a);
	buf[b - a] = '\0';
	return 1;
}

/* The value of key in facts.ini text, trimmed, into out ("" if none). */
static void
text_fact(const char *text, const char *key, char *out, size_t len)
{
	char k[64];

	*out = '\0';
	for (const char *p = text; *p != '\0';) {
		size_t ln = strcspn(p, "\n");

		if (line_key(p, ln, k, sizeof k) && strcmp(k, key) == 0) {
			char *v = xstrndup(p, ln);

			snprintf(out, len, "%s", str_trim(strchr(v, '=') + 1));
			free(v);
		}
		p += ln + (p[ln] == '\n');
	}
}

/*
 * facts.ini with the --fact values: a key the profile has keeps its line,
 * with the new value; others are added at the end (its one section). The
 * names must then agree with each other.
 */
static int
canon_facts(const char *name, const char *in, size_t n, char **out,
    size_t *outlen, char *err, size_t len)
{
	struct buf b = {0};
	char key[64], why[512], host[256], fqdn[256], domain[256];
	int used[NEW_FACTS_MAX] = {0}, i;

	for (const char *p = in, *end = in + n; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);

		i = line_key(p, ln, key, sizeof key) ? new_fact_index(key) : -1;
		if (i >= 0) {
			buf_addf(&b, "%s = %s\n", key, new_facts[i].value);
			used[i] = 1;
		} else {
			buf_add(&b, p, ln);
			buf_addc(&b, '\n');
		}
		p += ln + 1;
	}
	for (size_t k = 0; k < n_new_facts; k++)
		if (!used[k])
			buf_addf(&b, "%s = %s\n", new_facts[k].key,
			    new_facts[k].value);
	*outlen = b.len;
	*out = buf_steal(&b);
	text_fact(*out, "hostname", host, sizeof host);
	text_fact(*out, "fqdn", fqdn, sizeof fqdn);
	text_fact(*out, "domain", domain, sizeof domain);
	if (n_new_facts > 0 &&
	    host_facts_agree(host, fqdn, domain, why, sizeof why) != 0) {
		snprintf(err, len, "--fact: %s (%s: the profile's values, "
		    "unless given with --fact)", why, name);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static const struct {
	const char *file;
	canon_fn canon;
} profile_files[] = {
	{ "registry.reg", canon_reg },
	{ "applicationHost.config", canon_iis },
	{ "features.txt", canon_list },
	{ "groups.txt", canon_list },
	{ "spns.txt", canon_list },
	{ "rights.txt", canon_list },
	{ "services.txt", canon_list },
	{ "roles.txt", canon_list },
	{ "winhttp.txt", canon_list },
	{ "facts.ini", canon_facts },
};

static int
copy_one(const char *from_dir, const char *to_dir, const char *file,
    canon_fn canon, mode_t mode, char *err, size_t len)
{
	char *src = path_join(from_dir, file), *dst = path_join(to_dir, file);
	char *in = NULL, *out = NULL;
	size_t n, outlen;
	int rc = -1;

	if (file_read(src, PROFILE_MAX, &in, &n) != 0) {
		snprintf(err, len, "%s: cannot read: %s", src,
		    strerror(errno));
		goto done;
	}
	if (canon(src, in, n, &out, &outlen, err, len) != 0)
		goto done;
	if (file_write_atomic(dst, out, outlen, mode) != 0) {
		snprintf(err, len, "%s: cannot write: %s", dst,
		    strerror(errno));
		goto done;
	}
	rc = 0;
done:
	free(in);
	free(out);
	free(src);
	free(dst);
	return rc;
}

static int
is_state_file(const char *name)
{
	for (size_t i = 0; i < nitems(profile_files); i++)
		if (strcmp(profile_files[i].file, name) == 0)
			return 1;
	return 0;
}

/* Any other plain file of the profile (a runbook or CSR a configured
 * server already has) comes along as it is, private like RES_FILE. */
static int
copy_extra_files(const char *from, const char *to, char *err, size_t len)
{
	DIR *dp = opendir(from);
	struct dirent *de;
	int rc = 0;

	if (dp == NULL)
		return 0;
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		char *path = path_join(from, de->d_name);

		if (de->d_name[0] != '.' && !is_state_file(de->d_name) &&
		    file_exists(path))
			rc = copy_one(from, to, de->d_name, canon_copy, 0600,
			    err, len);
		free(path);
	}
	closedir(dp);
	return rc;
}

/* certs/<Store>/<THUMBPRINT>.pem, copied as they are. */
static int
copy_certs(const char *from, const char *to, char *err, size_t len)
{
	char *src = path_join(from, "certs");
	DIR *stores = opendir(src);
	struct dirent *st, *ce;
	int rc = 0;

	if (stores == NULL) {
		free(src);
		return 0;
	}
	while (rc == 0 && (st = readdir(stores)) != NULL) {
		if (st->d_name[0] == '.')
			continue;
		char *sfrom = xasprintf("%s/%s", src, st->d_name);
		char *sto = xasprintf("%s/certs/%s", to, st->d_name);
		DIR *certs = opendir(sfrom);

		/* Folders only for stores that hold something: an empty one
		 * would not survive an import and its undo. */
		while (rc == 0 && certs && (ce = readdir(certs)) != NULL) {
			if (ce->d_name[0] == '.')
				continue;
			if (mkdir_p(sto, 0755) != 0) {
				snprintf(err, len, "%s: cannot create: %s",
				    sto, strerror(errno));
				rc = -1;
			} else
				rc = copy_one(sfrom, sto, ce->d_name,
				    canon_copy, 0600, err, len);
		}
		if (certs)
			closedir(certs);
		free(sfrom);
		free(sto);
	}
	closedir(stores);
	free(src);
	return rc;
}

void
host_dir_remove(const char *path)
{
	DIR *dp = opendir(path);
	struct dirent *de;

	if (dp == NULL) {
		unlink(path);
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *child = path_join(path, de->d_name);
		host_dir_remove(child);
		free(child);
	}
	closedir(dp);
	rmdir(path);
}

int
host_dir_create(const char *target, const char *profile_dir, char *err,
    size_t len)
{
	char *tmp, *parent = xstrdup(target);
	int rc = 0;

	if (!dir_exists(profile_dir)) {
		snprintf(err, len, "host profile %s does not exist",
		    profile_dir);
		free(parent);
		return -1;
	}
	if (mkdir_p(dirname(parent), 0755) != 0) {
		snprintf(err, len, "cannot create the folder for %s: %s",
		    target, strerror(errno));
		free(parent);
		return -1;
	}
	free(parent);
	tmp = xasprintf("%s.new.XXXXXX", target);
	if (mkdtemp(tmp) == NULL) {
		snprintf(err, len, "cannot create %s: %s", target,
		    strerror(errno));
		free(tmp);
		return -1;
	}
	chmod(tmp, 0755);
	for (size_t i = 0; rc == 0 && i < nitems(profile_files); i++)
		rc = copy_one(profile_dir, tmp, profile_files[i].file,
		    profile_files[i].canon, 0644, err, len);
	if (rc == 0)
		rc = copy_certs(profile_dir, tmp, err, len);
	if (rc == 0)
		rc = copy_extra_files(profile_dir, tmp, err, len);
	if (rc == 0 && rename(tmp, target) != 0) {
		snprintf(err, len, "cannot create %s: %s", target,
		    strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		host_dir_remove(tmp);
	free(tmp);
	return rc;
}
