/*
 * Table-driven rule tests for a step: start from the example answers
 * (all rules pass), change some fields, validate, and expect one code.
 */
#ifndef NDESWIZ_TEST_STEPCASE_H
#define NDESWIZ_TEST_STEPCASE_H

#include <stdio.h>
#include <string.h>

#include "memhost.h"
#include "step.h"

#define EXAMPLE "assets/examples/contoso.ini"

struct setting {
	enum field_id field;
	const char *value;
};

struct rule_case {
	const char *code;     /* NULL: no finding but "ok" ones expected */
	enum severity sev;
	const char *field;    /* the finding's field, or NULL */
	struct setting set[4];
};

static void
example_answers(struct answers *a)
{
	char err[512];

	answers_init(a);
	if (answerfile_load(a, EXAMPLE, err, sizeof err) != 0)
		fail_msg("%s", err);
	steps_derive(a);
}

static void
apply_settings(struct answers *a, const struct setting *set)
{
	for (size_t k = 0; k < 4 && set[k].value != NULL; k++)
		answers_put(a, set[k].field, set[k].value, SRC_SCREEN);
}

/* The example passes the step's validation without warnings. */
static void
assert_example_clean(const struct step *st)
{
	struct answers a;
	struct findings f = {0};

	example_answers(&a);
	st->validate(&a, &f);
	for (size_t i = 0; i < f.n; i++)
		if (f.v[i].sev != SEV_OK)
			fail_msg("example: %s: %s", f.v[i].code,
			    f.v[i].message);
	findings_free(&f);
	answers_free(&a);
}

static void
run_rule_cases(const struct step *st, const struct rule_case *cases,
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct rule_case *c = &cases[i];
		const struct finding *x;
		struct answers a;
		struct findings f = {0};

		example_answers(&a);
		apply_settings(&a, c->set);
		st->validate(&a, &f);
		if (c->code == NULL) {
			for (size_t k = 0; k < f.n; k++)
				if (f.v[k].sev != SEV_OK)
					fail_msg("case %zu: unexpected %s", i,
					    f.v[k].code);
		} else {
			x = findings_find(&f, c->code);
			if (x == NULL)
				fail_msg("case %zu: no %s (got %zu findings, "
				    "first %s)", i, c->code, f.n,
				    f.n ? f.v[0].code : "-");
			if (x->sev != c->sev)
				fail_msg("case %zu: %s has severity %s", i,
				    c->code, severity_name(x->sev));
			if (c->field && !str_eq(x->field, c->field))
				fail_msg("case %zu: %s on field %s", i,
				    c->code, x->field ? x->field : "-");
			if (x->sev != SEV_OK && (x->hint == NULL ||
			    *x->hint == '\0'))
				fail_msg("case %zu: %s has no hint", i,
				    c->code);
		}
		findings_free(&f);
		answers_free(&a);
	}
}

#endif
