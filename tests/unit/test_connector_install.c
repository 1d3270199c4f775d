/*
 * Issue 14 item 12 through the step: [connector] installer is checked
 * (the file, then Microsoft's Authenticode signature) before the plan
 * lists it, and after the install the connector's uninstall entry and
 * version are. Table-driven, on throwaway programs signed by a throwaway
 * CA (tests/tools/make-installers.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* stepcase.h is a kit: this test uses part of it. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "stepcase.h"
#include "authenticode.h"
#include "hostrules.h"
#include "host/install.h"
#include "regfile.h"

extern const struct step step_connector;

static char dir[] = "/tmp/ndeswiz-installers.XXXXXX";

static int
make_installers(void **state)
{
	char *cmd, *notexe;
	int rc;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	cmd = xasprintf("sh tests/tools/make-installers.sh '%s'", dir);
	rc = system(cmd);
	free(cmd);
	/* An .exe that is no Windows program. */
	notexe = xasprintf("cp README.md '%s/readme.exe'", dir);
	rc = rc == 0 ? system(notexe) : rc;
	free(notexe);
	return rc == 0 ? 0 : -1;
}

static int
remove_installers(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);

	(void)state;
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static char *
fixture(const char *name)
{
	return *name == '/' || *name == '\0' || strchr(name, '/') ?
	    xstrdup(name) : xasprintf("%s/%s", dir, name);
}

/* The connector's uninstall entry at version (NULL: none). */
static void
put_connector(struct host *h, const char *version)
{
	static const char key[] = INSTALL_UNINSTALL "\\{C}";
	char err[256], *v;

	if (version == NULL)
		return;
	assert_int_equal(host_set(h, RES_REGKEY, key, NULL, "present", err,
	    sizeof err), 0);
	v = regval_sz(CONNECTOR_NAME);
	assert_int_equal(host_set(h, RES_REG, key, "DisplayName", v, err,
	    sizeof err), 0);
	free(v);
	v = regval_sz(version);
	assert_int_equal(host_set(h, RES_REG, key, "DisplayVersion", v, err,
	    sizeof err), 0);
	free(v);
}

static const struct installer_case {
	const char *file;      /* a fixture, a path, or "" */
	int test_ca;           /* trust the throwaway CA */
	const char *installed; /* the connector's version now, or NULL */
	const char *code;      /* the finding expected, or NULL */
	enum severity sev;
	int planned;           /* the install is in the plan */
} cases[] = {
	{ "", 1, NULL, NULL, SEV_OK, 0 },
	{ "ms.exe", 1, NULL, "connector.installer-test-trust", SEV_WARN, 1 },
	{ "ms.exe", 0, NULL, "connector.installer-untrusted", SEV_ERROR, 0 },
	{ "contoso.exe", 1, NULL, "connector.installer-not-microsoft",
	  SEV_ERROR, 0 },
	{ "unsigned.exe", 1, NULL, "connector.installer-unsigned", SEV_ERROR,
	  0 },
	{ "tampered.exe", 1, NULL, "connector.installer-bad-signature",
	  SEV_ERROR, 0 },
	/* Refused, and under ASan and valgrind nothing lost on the way. */
	{ "baddigest.exe", 1, NULL, "connector.installer-bad-signature",
	  SEV_ERROR, 0 },
	{ "selfsigned.exe", 1, NULL, "connector.installer-untrusted",
	  SEV_ERROR, 0 },
	{ "readme.exe", 1, NULL, "connector.installer-not-program", SEV_ERROR,
	  0 },
	{ "/nonexistent/IntuneCertificateConnector.exe", 1, NULL,
	  "connector.installer-missing", SEV_ERROR, 0 },
	{ "./tests", 1, NULL, "connector.installer-not-file", SEV_ERROR, 0 },
	{ "./README.md", 1, NULL, "connector.installer-not-exe", SEV_ERROR, 0 },
	{ "ms.exe", 1, "6.2406.0.1001", "connector.installer-not-needed",
	  SEV_OK, 0 },
	{ "ms.exe", 1, "6.2300.0.1", "connector.installer-old-installed",
	  SEV_WARN, 0 },
	/* Already installed: the file is not even opened. */
	{ "unsigned.exe", 1, "6.2406.0.1001", "connector.installer-not-needed",
	  SEV_OK, 0 },
};

static void
test_installer(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		const struct installer_case *c = &cases[i];
		struct host *h = memhost_new();
		char *path = fixture(c->file), *ca = fixture("ca.pem");
		struct answers a;
		struct findings f = {0};
		struct plan p = {0};
		const struct finding *x;
		int found;

		if (c->test_ca)
			setenv(AUTHENTICODE_TEST_CA, ca, 1);
		else
			unsetenv(AUTHENTICODE_TEST_CA);
		put_connector(h, c->installed);
		example_answers(&a);
		answers_put(&a, F_CONNECTOR_INSTALLER, path, SRC_SCREEN);
		/* As session_evaluate runs a step: the signature is the
		 * inspection's (the wizard's page shows it), plan asks again
		 * quietly. */
		step_connector.validate(&a, &f);
		step_connector.inspect(h, &a, &f);
		step_connector.plan(h, &a, &p, &f);
		if (c->code == NULL)
			assert_int_equal(f.n, 0);
		else if ((x = findings_find(&f, c->code)) == NULL)
			fail_msg("case %zu (%s): no %s", i, c->file, c->code);
		else
			assert_int_equal(x->sev, c->sev);
		assert_int_equal(plan_pending(&p, RES_INSTALL, CONNECTOR_NAME,
		    path, &found) != NULL, c->planned);
		assert_int_equal(p.n, (size_t)c->planned);
		if (c->planned) {
			assert_non_null(p.v[0].verify);
			assert_non_null(strstr(p.v[0].reason, "run the "
			    "connector installer"));
			assert_non_null(strstr(p.v[0].reason, "(signed by "
			    "Microsoft Corporation, verified)"));
		}
		plan_free(&p);
		findings_free(&f);
		answers_free(&a);
		memhost_free(h);
		free(path);
		free(ca);
	}
	unsetenv(AUTHENTICODE_TEST_CA);
}

/* After the installer ran: the entry must be there, at 6.2406.0.1001 or
 * newer; anything else fails the apply (and undoes the run). */
static void
test_verify(void **state)
{
	static const struct {
		const char *version;
		int rc;
		const char *why;
	} checks[] = {
		{ "6.2406.0.1001", 0, NULL },
		{ "6.2502.0.12", 0, NULL },
		{ "6.2300.0.1", -1, "older than 6.2406.0.1001" },
		{ NULL, -1, "no uninstall entry" },
	};
	char *path = fixture("ms.exe"), *ca = fixture("ca.pem");

	(void)state;
	setenv(AUTHENTICODE_TEST_CA, ca, 1);
	for (size_t i = 0; i < nitems(checks); i++) {
		struct host *h = memhost_new();
		struct answers a;
		struct findings f = {0};
		struct plan p = {0};
		char err[512] = "";

		example_answers(&a);
		answers_put(&a, F_CONNECTOR_INSTALLER, path, SRC_SCREEN);
		step_connector.plan(h, &a, &p, &f);
		assert_int_equal(p.n, 1);
		put_connector(h, checks[i].version);
		assert_int_equal(p.v[0].verify(h, &p.v[0], err, sizeof err),
		    checks[i].rc);
		if (checks[i].why != NULL)
			assert_non_null(strstr(err, checks[i].why));
		plan_free(&p);
		findings_free(&f);
		answers_free(&a);
		memhost_free(h);
	}
	unsetenv(AUTHENTICODE_TEST_CA);
	free(path);
	free(ca);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installer),
		cmocka_unit_test(test_verify),
	};

	return cmocka_run_group_tests(tests, make_installers,
	    remove_installers);
}
