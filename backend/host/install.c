/* RES_INSTALL on a dir target: the uninstall entry, recorded. */
#include "install.h"
#include "regfile.h"
#include "../pe.h"
#include "../util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define INSTALLER_MAX ((size_t)1 << 30)

/* The uninstall key whose DisplayName is program (caller frees), or
 * NULL. */
static char *
entry_of(struct regdb *reg, const char *program)
{
	static const char *const roots[] = { INSTALL_UNINSTALL,
		INSTALL_UNINSTALL32 };
	size_t n;
	char **keys = regdb_keys(reg, &n), *hit = NULL;

	for (size_t i = 0; i < n && hit == NULL; i++)
		for (size_t r = 0; r < nitems(roots) && hit == NULL; r++) {
			size_t l = strlen(roots[r]);
			const char *raw;
			char *name;

			if (strncasecmp(keys[i], roots[r], l) != 0 ||
			    keys[i][l] != '\\' ||
			    strchr(keys[i] + l + 1, '\\') != NULL ||
			    (raw = regdb_get(reg, keys[i], "DisplayName")) ==
			    NULL)
				continue;
			name = regval_get_sz(raw);
			if (str_ieq(name, program))
				hit = xstrdup(keys[i]);
			free(name);
		}
	str_list_free(keys, n);
	return hit;
}

int
install_dir_get(struct regdb *reg, const char *program, char **v)
{
	char *key = entry_of(reg, program);

	*v = key ? xstrdup(INSTALL_PRESENT) : NULL;
	free(key);
	return 0;
}

static char *
recorded_key(const char *program)
{
	char *key = xasprintf(INSTALL_UNINSTALL "\\" INSTALL_RECORDED "%s",
	    program);

	for (char *p = key + strlen(INSTALL_UNINSTALL) + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			*p = '-';
	return key;
}

static int
put_sz(struct regdb *reg, const char *key, const char *name,
    const char *text, char *err, size_t len)
{
	char *v = regval_sz(text);
	int rc = v ? regdb_set(reg, key, name, v, err, len) : -1;

	if (v == NULL)
		snprintf(err, len, "'%s' is not UTF-8 text", text);
	free(v);
	return rc;
}

/* The entry the installer would leave, with the version it carries. */
static int
record(struct regdb *reg, const char *program, const char *installer,
    char *err, size_t len)
{
	char *data, *key, version[64], *note;
	size_t n;
	int rc;

	if (file_read(installer, INSTALLER_MAX, &data, &n) != 0) {
		snprintf(err, len, "cannot read %s: %s", installer,
		    strerror(errno));
		return -1;
	}
	rc = pe_product_version((unsigned char *)data, n, version,
	    sizeof version);
	free(data);
	if (rc != 0) {
		snprintf(err, len, "%s has no version resource: there is no "
		    "version to record", installer);
		return -1;
	}
	key = recorded_key(program);
	note = xasprintf("recorded by ndeswiz on a dir target: %s was not "
	    "run", installer);
	rc = regdb_key_create(reg, key) == 0 &&
	    put_sz(reg, key, "DisplayName", program, err, len) == 0 &&
	    put_sz(reg, key, "DisplayVersion", version, err, len) == 0 &&
	    put_sz(reg, key, "Comments", note, err, len) == 0 ? 0 : -1;
	free(note);
	free(key);
	return rc;
}

int
install_value_check(const char *v, char *err, size_t len)
{
	if (v == NULL || strcmp(v, INSTALL_PRESENT) == 0)
		return 0;
	snprintf(err, len, "'%s' is not a program state (only "
	    INSTALL_PRESENT ")", v);
	return -1;
}

int
install_dir_set(struct regdb *reg, const char *program,
    const char *installer, const char *v, char *err, size_t len)
{
	char *key = entry_of(reg, program), *ours = recorded_key(program);
	static const char *const values[] = { "DisplayName", "DisplayVersion",
		"Comments" };
	int rc = 0;

	if (install_value_check(v, err, len) != 0)
		rc = -1;
	else if (v != NULL && key == NULL)
		rc = record(reg, program, installer, err, len);
	else if (v == NULL && key != NULL && !str_ieq(key, ours)) {
		snprintf(err, len, "%s was installed by its own installer, not "
		    "recorded by ndeswiz: uninstall it on the server", program);
		rc = -1;
	} else if (v == NULL && key != NULL) {
		for (size_t i = 0; i < nitems(values); i++)
			regdb_delete(reg, key, values[i]);
		regdb_key_unlist(reg, key);
	}
	free(key);
	free(ours);
	return rc;
}
