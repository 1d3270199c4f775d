#include "finding.h"
#include "answers.h"
#include "sanitize.h"

#include "jsonutil.h"
#include <stdlib.h>
#include <string.h>

struct finding *
finding_add(struct findings *f, enum severity sev, const char *step,
    const char *field, const char *code, const char *fmt, ...)
{
	struct finding *x;
	va_list ap;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = xreallocarray(f->v, f->cap, sizeof *f->v);
	}
	x = &f->v[f->n++];
	x->sev = sev;
	x->step = xstrdup(step);
	x->field = field ? xstrdup(field) : NULL;
	x->code = strchr(code, '.') != NULL ? xstrdup(code) :
	    xasprintf("%s.%s", step, code);
	x->hint = NULL;
	va_start(ap, fmt);
	x->message = xvasprintf(fmt, ap);
	va_end(ap);
	return x;
}

struct finding *
finding_hint(struct finding *x, const char *fmt, ...)
{
	va_list ap;

	free(x->hint);
	va_start(ap, fmt);
	x->hint = xvasprintf(fmt, ap);
	va_end(ap);
	return x;
}

struct finding *
finding_set_hint(struct finding *x, const char *hint)
{
	free(x->hint);
	x->hint = hint != NULL ? xstrdup(hint) : NULL;
	return x;
}

void
findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].step);
		free(f->v[i].field);
		free(f->v[i].code);
		free(f->v[i].message);
		free(f->v[i].hint);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}

size_t
findings_count(const struct findings *f, enum severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += f->v[i].sev == sev;
	return n;
}

enum severity
findings_worst(const struct findings *f)
{
	enum severity w = SEV_OK;

	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].sev > w)
			w = f->v[i].sev;
	return w;
}

const struct finding *
findings_find(const struct findings *f, const char *code)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].code, code) == 0)
			return &f->v[i];
	return NULL;
}

static const char *const severity_names[] = {
	[SEV_OK] = "ok",
	[SEV_WARN] = "warn",
	[SEV_ERROR] = "error",
};

const char *
severity_name(enum severity s)
{
	return severity_names[s];
}

/* "FILE:LINE: " of the value a finding is about, or "". */
static char *
value_origin(const struct finding *x, const struct answers *from)
{
	const char *dot;
	char *section, *origin;
	int id;

	if (from == NULL || x->field == NULL ||
	    (dot = strchr(x->field, '.')) == NULL)
		return xstrdup("");
	section = xstrndup(x->field, (size_t)(dot - x->field));
	id = field_lookup(section, dot + 1);
	free(section);
	if (id < 0 || from->file[id] == NULL || from->line[id] <= 0)
		return xstrdup("");
	origin = xasprintf("%s:%d: ", from->file[id], from->line[id]);
	section = sanitize(origin, 0);
	free(origin);
	return section;
}

void
findings_print(FILE *fp, const struct findings *f, int use_color,
    const struct answers *from)
{
	static const char *const colors[] = {
		[SEV_OK] = "\033[32m",
		[SEV_WARN] = "\033[33m",
		[SEV_ERROR] = "\033[31m",
	};

	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		/* Messages quote answer values and what servers sent. */
		char *msg = sanitize(x->message, 0);
		char *hint = sanitize(x->hint, 0);
		char *origin = value_origin(x, from);

		fprintf(fp, "%s%s%-5s%s [%s] %s%s%s\n", origin, use_color ?
		    colors[x->sev] : "", severity_name(x->sev), use_color ?
		    "\033[0m" : "", x->code, x->field ? x->field : "",
		    x->field ? ": " : "", msg);
		if (hint != NULL && x->sev != SEV_OK)
			fprintf(fp, "      -> %s\n", hint);
		free(origin);
		free(msg);
		free(hint);
	}
}

char *
findings_to_json(const struct findings *f)
{
	json_t *a = json_array();
	char *s;

	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];

		json_t *o = json_object();

		json_object_set_new(o, "severity",
		    json_string(severity_name(x->sev)));
		json_object_set_new(o, "step", json_text(x->step));
		json_object_set_new(o, "field", json_text(x->field));
		json_object_set_new(o, "code", json_text(x->code));
		json_object_set_new(o, "message", json_text(x->message));
		json_object_set_new(o, "hint", json_text(x->hint));
		json_array_append_new(a, o);
	}
	s = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(a);
	return s;
}

void
findings_add_copy(struct findings *f, const struct finding *x)
{
	finding_set_hint(finding_add(f, x->sev, x->step, x->field, x->code,
	    "%s", x->message),
	    x->hint);
}
