/* Parsing and describing values by their row in the field table. */
#include "fields.h"
#include "secret.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const bool_yes[] = { "yes", "true", "1", "on", NULL };
static const char *const bool_no[] = { "no", "false", "0", "off", NULL };

static int
in_list(const char *const *list, const char *v)
{
	for (; *list != NULL; list++)
		if (str_ieq(*list, v))
			return 1;
	return 0;
}

static void
join_sep(const char *const *choices, const char *sep, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; choices[i] != NULL && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s",
		    i ? sep : "", choices[i]);
}

static void
join_choices(const char *const *choices, char *out, size_t len)
{
	join_sep(choices, ", ", out, len);
}

void
field_describe(enum field_id id, char *out, size_t len)
{
	const struct field *f = &fields_table[id];
	char choices[512];

	switch (f->type) {
	case FT_BOOL:
		snprintf(out, len, "yes or no");
		break;
	case FT_ENUM:
		join_choices(f->choices, choices, sizeof choices);
		snprintf(out, len, "one of: %s", choices);
		break;
	case FT_INT:
		snprintf(out, len, "a whole number from %lld to %lld", f->min,
		    f->max);
		break;
	case FT_SECRET:
		snprintf(out, len, "env:NAME, file:PATH or prompt "
		    "(never the secret itself)");
		break;
	case FT_LIST:
		if (f->choices != NULL) {
			join_choices(f->choices, choices, sizeof choices);
			snprintf(out, len, "a comma-separated list of: %s",
			    choices);
		} else
			snprintf(out, len, "a comma-separated list");
		break;
	case FT_TEXT:
		if (f->choices != NULL) {
			join_choices(f->choices, choices, sizeof choices);
			snprintf(out, len, "text, such as: %s", choices);
		} else
			snprintf(out, len, "text");
		break;
	}
}

void
field_comment(enum field_id id, char *out, size_t len)
{
	const struct field *f = &fields_table[id];
	size_t used;

	out[0] = '\0';
	/* What an enum or a list takes, from its choices; a text field's
	 * choices are suggestions, and its comment says what it takes. */
	if (f->choices != NULL && f->type == FT_ENUM)
		join_sep(f->choices, " | ", out, len);
	else if (f->choices != NULL && f->type == FT_LIST) {
		snprintf(out, len, "any of: ");
		used = strlen(out);
		join_sep(f->choices, ", ", out + used, len - used);
	}
	used = strlen(out);
	if (f->comment != NULL && used + 1 < len)
		snprintf(out + used, len - used, "%s%s", used ? " " : "",
		    f->comment);
}

/* No control characters anywhere: they would corrupt the file we write. */
static int
printable(const char *v, char *why, size_t len)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(why, len, "contains a control character "
			    "(byte 0x%02x); use printable text only", *p);
			return 0;
		}
		/* inih reads " ;" as the start of a comment. */
		if (*p == ';' && ((const char *)p == v || p[-1] == ' ' ||
		    p[-1] == '\t')) {
			snprintf(why, len, "a ';' at the start or after a "
			    "space begins a comment in an INI file; remove it "
			    "or the space before it");
			return 0;
		}
	}
	return 1;
}

static char *
parse_list(const struct field *f, const char *v, char *why, size_t len)
{
	struct buf out = {0};
	char **items, choices[256];
	size_t n;

	items = str_split_list(v, &n);
	for (size_t i = 0; i < n; i++) {
		if (f->choices != NULL && !in_list(f->choices, items[i])) {
			join_choices(f->choices, choices, sizeof choices);
			snprintf(why, len, "'%s' is not one of: %s", items[i],
			    choices);
			str_list_free(items, n);
			buf_free(&out);
			return NULL;
		}
		/* A duplicate is harmless but would not round-trip. */
		int dup = 0;
		for (size_t j = 0; j < i; j++)
			dup |= str_ieq(items[i], items[j]);
		if (dup)
			continue;
		if (out.len)
			buf_adds(&out, ", ");
		buf_adds(&out, items[i]);
	}
	str_list_free(items, n);
	/* Joined with ", ", an item that starts with ';' would begin a
	 * comment in the file export writes. */
	if (out.len > 0 && !printable(out.p, why, len)) {
		buf_free(&out);
		return NULL;
	}
	return buf_steal(&out);
}

char *
field_parse(enum field_id id, const char *value, char *why, size_t len)
{
	const struct field *f = &fields_table[id];
	char desc[256];
	long long n;

	if (!printable(value, why, len))
		return NULL;
	switch (f->type) {
	case FT_BOOL:
		if (in_list(bool_yes, value))
			return xstrdup("yes");
		if (in_list(bool_no, value))
			return xstrdup("no");
		snprintf(why, len, "'%s' is not a boolean; use yes or no",
		    value);
		return NULL;
	case FT_ENUM:
		for (int i = 0; f->choices[i] != NULL; i++)
			if (str_ieq(f->choices[i], value))
				return xstrdup(f->choices[i]);
		field_describe(id, desc, sizeof desc);
		snprintf(why, len, "'%s' is not allowed; use %s", value, desc);
		return NULL;
	case FT_INT:
		if (str_to_long(value, f->min, f->max, &n) == 0)
			return xasprintf("%lld", n);
		snprintf(why, len, "'%s' is not a whole number from %lld to "
		    "%lld", value, f->min, f->max);
		return NULL;
	case FT_SECRET:
		if (secret_ref_check(value, why, len) != 0)
			return NULL;
		return xstrdup(value);
	case FT_LIST:
		return parse_list(f, value, why, len);
	case FT_TEXT:
		break;
	}
	if (f->check != NULL && f->check(value, why, len) != NULL)
		return NULL;
	return xstrdup(value);
}
