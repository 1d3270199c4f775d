/*
 * The wizard speaks in the labels of its forms, not in answer-file keys:
 * a backend message written for the CLI and the answer file ("set
 * [binding] certificate = ...") shows "Certificate (Binding)" on the
 * screens, the name the admin sees next to the field.
 */
#include "wizard.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The field whose "[section] key" starts at s, or -1; its length in
 * *len. The key must end there (not "[proxy] url_extra"). */
static int
key_at(const char *s, size_t *len)
{
	for (int i = 0; i < F__COUNT; i++) {
		const struct field *f = &fields_table[i];
		size_t ns = strlen(f->section), nk = strlen(f->key);

		if (s[0] != '[' || strncmp(s + 1, f->section, ns) != 0 ||
		    strncmp(s + 1 + ns, "] ", 2) != 0 ||
		    strncmp(s + 3 + ns, f->key, nk) != 0)
			continue;
		if (isalnum((unsigned char)s[3 + ns + nk]) ||
		    s[3 + ns + nk] == '_')
			continue;
		*len = 3 + ns + nk;
		return i;
	}
	return -1;
}

char *
wz_unkey(struct wz *wz, const char *text)
{
	struct buf b = {0};
	size_t len;
	int id;

	if (text == NULL)
		return NULL;
	while (*text != '\0') {
		if (*text == '[' && (id = key_at(text, &len)) >= 0) {
			char *where = wz_field_where(wz, field_name(
			    (enum field_id)id));

			buf_adds(&b, where);
			free(where);
			text += len;
		} else
			buf_addc(&b, *text++);
	}
	return buf_steal(&b);
}

char *
wz_step_name(struct wz *wz, const char *step)
{
	for (size_t i = 0; step != NULL && i < wz->npages; i++) {
		const struct page_def *d = wz->pages[i]->def;

		if (str_eq(d->section, step) || str_eq(d->id, step))
			return xstrdup(d->name);
	}
	return xstrdup(step ? step : "");
}
