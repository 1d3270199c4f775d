/* The evidence bundle's members, manifest and redaction (see bundle.h). */
#include "bundle.h"
#include "fields.h"
#include "util.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REDACTED "<redacted: not a reference>"

void
bundle_add(struct bundle *b, const char *name, char *data, size_t len)
{
	b->v = xreallocarray(b->v, b->n + 1, sizeof *b->v);
	b->v[b->n++] = (struct zip_member){ xstrdup(name), data, len };
}

static void
sha256_hex(const char *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}

void
bundle_add_manifest(struct bundle *b)
{
	json_t *root = json_object(), *files = json_array(), *o;
	char hex[65], *s;

	for (size_t i = 0; i < b->n; i++) {
		sha256_hex(b->v[i].data, b->v[i].len, hex);
		o = json_object();
		json_object_set_new(o, "name", json_string(b->v[i].name));
		json_object_set_new(o, "size", json_integer(
		    (json_int_t)b->v[i].len));
		json_object_set_new(o, "sha256", json_string(hex));
		json_array_append_new(files, o);
	}
	json_object_set_new(root, "files", files);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	bundle_add(b, "manifest.json", s, strlen(s));
}

void
bundle_free(struct bundle *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].name);
		free(b->v[i].data);
	}
	free(b->v);
	memset(b, 0, sizeof *b);
}

static int
secret_like_key(const char *section, const char *key)
{
	static const char *const words[] = {
		"password", "secret", "token", "passphrase",
	};
	int id = field_lookup(section, key);

	if (id >= 0 && fields_table[id].type == FT_SECRET)
		return 1;
	for (size_t i = 0; i < nitems(words); i++)
		for (const char *p = key; *p != '\0'; p++)
			if (strncasecmp(p, words[i], strlen(words[i])) == 0)
				return 1;
	return 0;
}

static int
is_reference(const char *v)
{
	return *v == '\0' || str_has_prefix(v, "env:") ||
	    str_has_prefix(v, "file:") || strcmp(v, "prompt") == 0;
}

/* One line: "key = value" of a secret kind keeps only a reference. */
static void
redact_line(struct buf *out, char *line, char *section)
{
	char *eq = strchr(line, '='), *key, *val, *t;

	t = str_trim(line);
	if (*t == '[' && strchr(t, ']') != NULL) {
		snprintf(section, 64, "%.*s", (int)(strchr(t, ']') - t - 1),
		    t + 1);
		buf_adds(out, t);
	} else if (*t == ';' || *t == '#' || eq == NULL)
		buf_adds(out, t);
	else {
		*eq = '\0';
		key = str_trim(line);
		val = str_trim(eq + 1);
		buf_addf(out, "%s = %s", key, secret_like_key(section, key) &&
		    !is_reference(val) ? REDACTED : val);
	}
	buf_addc(out, '\n');
}

char *
bundle_redact_answers(const char *text)
{
	struct buf out = {0};
	char section[64] = "", *copy = xstrdup(text), *p = copy, *nl;

	while (*p != '\0') {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		redact_line(&out, p, section);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(copy);
	return buf_steal(&out);
}
