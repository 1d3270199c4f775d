/*
 * [connector] installer: run the Certificate Connector's own installer,
 * once ndeswiz has checked that Microsoft signed it (authenticode.h),
 * then check what it left: the connector's uninstall entry at a
 * supported version (the health check's connector row reads the same).
 * No switches are passed: Microsoft documents no unattended install, so
 * the admin answers the installer's screens while apply waits.
 */
#include "step.h"
#include "authenticode.h"
#include "hostrules.h"
#include "host/install.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define STEP "connector"

static const char fetch_hint[] = "Download the installer again from the "
    "Intune admin center (Tenant administration > Connectors and tokens > "
    "Certificate connectors) and give its path; ndeswiz runs only a "
    "Windows program Microsoft Corporation signed.";

/* Each verdict of the signature check, as a finding. */
static const char *const verdict_codes[] = {
	[AC_UNREADABLE] = "installer-unreadable",
	[AC_NOT_PE] = "installer-not-program",
	[AC_UNSIGNED] = "installer-unsigned",
	[AC_BAD_SIGNATURE] = "installer-bad-signature",
	[AC_UNTRUSTED] = "installer-untrusted",
	[AC_NOT_MICROSOFT] = "installer-not-microsoft",
};

static int
ends_with_exe(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && strcasecmp(path + n - 4, ".exe") == 0;
}

static void
connector_validate(const struct answers *a, struct findings *f)
{
	const char *path = answers_get(a, F_CONNECTOR_INSTALLER);
	const char *field = field_name(F_CONNECTOR_INSTALLER);
	struct stat st;

	if (*path == '\0')
		return;
	if (stat(path, &st) != 0)
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "installer-missing", "'%s' does not exist", path),
		    "Give the path of the connector's installer on this "
		    "machine, or leave it empty to install it by hand.");
	else if (!S_ISREG(st.st_mode))
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "installer-not-file", "'%s' is not a file", path),
		    "Give the installer itself (an .exe), not a folder.");
	else if (access(path, R_OK) != 0)
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "installer-unreadable", "'%s' cannot be read", path),
		    "Run ndeswiz as an administrator, or copy the installer "
		    "where it can be read.");
	else if (!ends_with_exe(path))
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    "installer-not-exe", "'%s' is not an .exe", path),
		    "The connector's installer is an .exe "
		    "(IntuneCertificateConnector.exe).");
}

/* After the installer ran: its uninstall entry, at a supported
 * version. An error undoes the run (journal_apply). */
static int
verify_connector(struct host *h, const struct change *c, char *err,
    size_t len)
{
	char *ver = NULL;
	int rc = 0;

	if (!connector_installed(h, &ver)) {
		snprintf(err, len, "%s finished, but there is no uninstall "
		    "entry '%s'", c->name, CONNECTOR_NAME);
		rc = -1;
	} else if (version_cmp(ver, CONNECTOR_MIN_VERSION) < 0) {
		snprintf(err, len, "%s left the %s at version %s, older than "
		    "%s (or not a version)", c->name, CONNECTOR_NAME,
		    ver ? ver : "(none)", CONNECTOR_MIN_VERSION);
		rc = -1;
	}
	free(ver);
	return rc;
}

/* Is the connector there already? Then nothing runs (an installer
 * upgrades nothing here: the connector updates itself). */
static int
already_installed(struct host *h, struct findings *f)
{
	char *ver = NULL;
	int yes = connector_installed(h, &ver);

	if (yes && version_cmp(ver, CONNECTOR_MIN_VERSION) >= 0)
		finding_add(f, SEV_OK, STEP, field_name(F_CONNECTOR_INSTALLER),
		    "installer-not-needed", "the %s %s is installed: the "
		    "installer is not run", CONNECTOR_NAME, ver);
	else if (yes)
		finding_hint(finding_add(f, SEV_WARN, STEP,
		    field_name(F_CONNECTOR_INSTALLER), "installer-old-installed",
		    "the %s %s is installed, older than %s; ndeswiz runs the "
		    "installer only where none is installed", CONNECTOR_NAME,
		    ver ? ver : "(no version)", CONNECTOR_MIN_VERSION),
		    "Let the connector update itself, or run the new installer "
		    "by hand.");
	free(ver);
	return yes;
}

/*
 * Is there an installer to run, signed by Microsoft? 1 with ac filled,
 * else 0; what it found goes to f. The inspection shows it (the wizard's
 * Connector page, plan, check); plan asks again for ac, quietly.
 */
static int
installer_ok(struct host *h, const struct answers *a, struct findings *f,
    struct authenticode *ac)
{
	const char *path = answers_get(a, F_CONNECTOR_INSTALLER);
	const char *field = field_name(F_CONNECTOR_INSTALLER);
	enum authenticode_result r;
	char why[512];
	struct stat st;

	/* validate named what is wrong with the path itself. */
	if (*path == '\0' || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    !ends_with_exe(path) || already_installed(h, f))
		return 0;
	if ((r = authenticode_check(path, ac, why, sizeof why)) != AC_OK) {
		finding_hint(finding_add(f, SEV_ERROR, STEP, field,
		    verdict_codes[r], "'%s' is not run: %s", path, why),
		    "%s", fetch_hint);
		return 0;
	}
	if (ac->test_trust)
		finding_hint(finding_add(f, SEV_WARN, STEP, field,
		    "installer-test-trust", "the signature of '%s' was checked "
		    "against the CA in %s too", path, AUTHENTICODE_TEST_CA),
		    "Unset %s: it is for ndeswiz's tests (Windows never reads "
		    "it).", AUTHENTICODE_TEST_CA);
	if (strcmp(h->ops->name, "dir") == 0)
		finding_add(f, SEV_OK, STEP, field, "installer-recorded",
		    "a dir target does not run '%s': apply records the "
		    "uninstall entry it would leave, with the version it "
		    "carries", path);
	return 1;
}

static void
connector_inspect(struct host *h, const struct answers *a,
    struct findings *f)
{
	struct authenticode ac;

	installer_ok(h, a, f, &ac);
}

static void
connector_plan(struct host *h, const struct answers *a, struct plan *p,
    struct findings *f)
{
	const char *path = answers_get(a, F_CONNECTOR_INSTALLER);
	struct findings quiet = {0};
	struct authenticode ac;
	char *reason;
	int ok = installer_ok(h, a, &quiet, &ac);

	findings_free(&quiet);
	if (!ok)
		return;
	reason = xasprintf("run the connector installer %s (signed by %s, "
	    "verified) and wait for it; then its uninstall entry must show "
	    "version %s or newer", path, ac.publisher, CONNECTOR_MIN_VERSION);
	if (plan_want(p, h, f, STEP, RES_INSTALL, CONNECTOR_NAME, path,
	    INSTALL_PRESENT, 0, reason) == 1)
		p->v[p->n - 1].verify = verify_connector;
	free(reason);
}

const struct step step_connector = {
	.id = STEP,
	.title = "Connector installer",
	.section = "connector",
	.validate = connector_validate,
	.inspect = connector_inspect,
	.plan = connector_plan,
};
