/*
 * Issue 14 item 9: Default Web Site is IIS's to make. Table-driven over
 * what the target holds, through the binding and registry steps' plans.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "iissite.h"
#include "memhost.h"
#include "step.h"

extern const struct step step_binding, step_registry;

#define SITES "|system.applicationHost/sites"
#define ROOT IISSITE_PATH "/application[@path='/']"
#define LIMITS "Default Web Site|system.webServer/security/" \
	"requestFiltering/requestLimits"

enum { IIS = 1, SITE = 2, ID = 4, ROOTAPP = 8 };

static const struct site_case {
	const char *name;
	int has;
	enum iissite_state want;
} cases[] = {
	{ "whole site, IIS installed", IIS | SITE | ID | ROOTAPP, IISSITE_OK },
	{ "whole site, IIS not yet", SITE | ID | ROOTAPP, IISSITE_OK },
	{ "no IIS, no site: IIS makes it", 0, IISSITE_COMING },
	{ "IIS, no site", IIS, IISSITE_MISSING },
	{ "IIS, site without id", IIS | SITE | ROOTAPP, IISSITE_MISSING },
	{ "IIS, site without root", IIS | SITE | ID, IISSITE_MISSING },
};

static void
put(struct host *h, enum res_kind k, const char *path, const char *name,
    const char *v)
{
	char err[256];

	if (host_set(h, k, path, name, v, err, sizeof err) != 0)
		fail_msg("%s: %s", path, err);
}

static struct host *
host_with(int has)
{
	struct host *h = memhost_new();

	put(h, RES_IISELEM, "|system.applicationHost", NULL, "present");
	put(h, RES_IISELEM, SITES, NULL, "present");
	if (has & IIS)
		put(h, RES_FEATURE, "Web-Server", NULL, "present");
	if (has & SITE)
		put(h, RES_IISELEM, IISSITE_PATH, NULL, "present");
	if (has & ID)
		put(h, RES_IIS, IISSITE_PATH, "id", "1");
	if (has & ROOTAPP)
		put(h, RES_IISELEM, ROOT, NULL, "present");
	return h;
}

static void
example_answers(struct answers *a)
{
	char err[512];

	answers_init(a);
	if (answerfile_load(a, "assets/examples/contoso.ini", err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	steps_derive(a);
}

/* The plan never creates the site or what holds it. */
static void
assert_no_site_made(const struct plan *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == RES_IISELEM && p->v[i].new != NULL &&
		    (str_ieq(p->v[i].path, IISSITE_PATH) ||
		    str_ieq(p->v[i].path, SITES)))
			fail_msg("%s: plans %s", name, p->v[i].path);
}

static void
test_site_states(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		const struct site_case *c = &cases[i];
		struct host *h = host_with(c->has);
		struct answers a;
		struct findings f = {0};
		struct plan p = {0};
		const char *what;
		const struct finding *x;
		int found;

		if (iissite_state(h, &what) != c->want)
			fail_msg("%s: state %d", c->name, (int)c->want);
		assert_true((what == NULL) == (c->want == IISSITE_OK));
		example_answers(&a);
		step_registry.plan(h, &a, &p, &f);
		step_binding.plan(h, &a, &p, &f);
		x = findings_find(&f, "binding.no-default-site");
		if (c->want == IISSITE_MISSING) {
			if (x == NULL || x->sev != SEV_ERROR)
				fail_msg("%s: no error", c->name);
			assert_non_null(strstr(x->message, what));
			assert_non_null(strstr(x->hint, "Default Web Site"));
			assert_non_null(strstr(x->hint, "appcmd restore"));
			/* No limit at the site's location either. */
			plan_pending(&p, RES_IIS, LIMITS, "maxUrl", &found);
			assert_false(found);
		} else {
			if (x != NULL)
				fail_msg("%s: %s", c->name, x->message);
			assert_non_null(plan_pending(&p, RES_IIS, LIMITS,
			    "maxUrl", &found));
		}
		assert_no_site_made(&p, c->name);
		plan_free(&p);
		findings_free(&f);
		answers_free(&a);
		memhost_free(h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_site_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
