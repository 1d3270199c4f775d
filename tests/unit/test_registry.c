/* The registry purpose mapping step: every rule both ways. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "host/regfile.h"
#include "memhost.h"
#include "step.h"

#define MSCEP "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\\MSCEP"
#define HTTPP "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services" \
	"\\HTTP\\Parameters"
#define LIMITS "Default Web Site|system.webServer/security/" \
	"requestFiltering/requestLimits"

extern const struct step step_registry;

static void
good_answers(struct answers *a)
{
	answers_init(a);
	answers_put(a, F_TEMPLATE_NAME, "NDESDeviceCert", SRC_SCREEN);
	answers_put(a, F_TEMPLATE_DISPLAY_NAME, "NDES Device Cert",
	    SRC_SCREEN);
}

static struct findings
validate(const struct answers *a)
{
	struct findings f = {0};

	step_registry.validate(a, &f);
	return f;
}

static void
test_good_answers_pass(void **state)
{
	struct answers a;
	struct findings f;

	(void)state;
	good_answers(&a);
	f = validate(&a);
	assert_int_equal(f.n, 0);
	findings_free(&f);
	answers_free(&a);
}

static const struct {
	enum field_id field;
	const char *value;
	const char *code;
	enum severity sev;
	const char *field_name;
} bad[] = {
	{ F_TEMPLATE_NAME, "NDES Device Cert", "registry.display-name-given",
	  SEV_ERROR, "template.name" },
	{ F_TEMPLATE_NAME, "My Template", "registry.name-has-spaces",
	  SEV_ERROR, "template.name" },
	{ F_TEMPLATE_NAME, "", "registry.template-name-missing", SEV_ERROR,
	  "template.name" },
	{ F_TEMPLATE_NAME, "IPSECIntermediateOffline",
	  "registry.default-template", SEV_WARN, "template.name" },
	{ F_REGISTRY_GENERAL_PURPOSE_TEMPLATE, "NDES Device Cert",
	  "registry.display-name-given", SEV_ERROR,
	  "registry.general_purpose_template" },
	{ F_REGISTRY_SIGNATURE_TEMPLATE, "Sig Template",
	  "registry.name-has-spaces", SEV_ERROR,
	  "registry.signature_template" },
	{ F_REGISTRY_MAX_FIELD_LENGTH, "16384", "registry.limit-too-small",
	  SEV_ERROR, "registry.max_field_length" },
	{ F_REGISTRY_MAX_REQUEST_BYTES, "65533", "registry.limit-too-small",
	  SEV_ERROR, "registry.max_request_bytes" },
	{ F_REGISTRY_MAX_URL, "4096", "registry.limit-too-small", SEV_ERROR,
	  "registry.max_url" },
	{ F_REGISTRY_MAX_QUERY_STRING, "2048", "registry.limit-too-small",
	  SEV_ERROR, "registry.max_query_string" },
};

static void
test_each_rule_fails(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(bad); i++) {
		struct answers a;
		struct findings f;
		const struct finding *x;

		good_answers(&a);
		answers_put(&a, bad[i].field, bad[i].value, SRC_SCREEN);
		f = validate(&a);
		x = findings_find(&f, bad[i].code);
		if (x == NULL)
			fail_msg("case %zu: no %s", i, bad[i].code);
		assert_int_equal(x->sev, bad[i].sev);
		assert_string_equal(x->field, bad[i].field_name);
		assert_non_null(x->hint);
		assert_int_equal(f.n, 1);
		findings_free(&f);
		answers_free(&a);
	}
}

static void
test_display_name_hint(void **state)
{
	struct answers a;
	struct findings f;

	(void)state;
	good_answers(&a);
	answers_put(&a, F_TEMPLATE_NAME, "NDES Device Cert", SRC_SCREEN);
	f = validate(&a);
	assert_non_null(strstr(f.v[0].hint, "'NDESDeviceCert'"));
	assert_non_null(strstr(f.v[0].message, "display name"));
	findings_free(&f);
	answers_free(&a);
}

static void
test_larger_limits_fine_and_pkcs_only(void **state)
{
	struct answers a;
	struct findings f;

	(void)state;
	good_answers(&a);
	answers_put(&a, F_REGISTRY_MAX_URL, "131072", SRC_SCREEN);
	f = validate(&a);
	assert_int_equal(f.n, 0);
	findings_free(&f);
	/* Without SCEP there is no NDES: no rule applies, nothing planned. */
	answers_put(&a, F_TEMPLATE_NAME, "bad name", SRC_SCREEN);
	answers_put(&a, F_PREREQS_SCENARIOS, "pkcs", SRC_SCREEN);
	f = validate(&a);
	assert_int_equal(f.n, 0);
	findings_free(&f);
	answers_free(&a);
}

static void
test_plan_fresh_host(void **state)
{
	struct host *h = memhost_new();
	struct answers a;
	struct findings f = {0};
	struct plan p = {0};
	int found;

	(void)state;
	good_answers(&a);
	step_registry.plan(h, &a, &p, &f);
	assert_int_equal(f.n, 0);
	assert_string_equal(plan_pending(&p, RES_REG, MSCEP,
	    "GeneralPurposeTemplate", &found), "\"NDESDeviceCert\"");
	assert_string_equal(plan_pending(&p, RES_REGKEY, MSCEP, NULL, &found),
	    "present");
	/* all_purposes (the default): the other two get it too. */
	assert_string_equal(plan_pending(&p, RES_REG, MSCEP,
	    "SignatureTemplate", &found), "\"NDESDeviceCert\"");
	assert_string_equal(plan_pending(&p, RES_REG, MSCEP,
	    "EncryptionTemplate", &found), "\"NDESDeviceCert\"");
	/* One name, one finding: no echo of the purpose's checks. */
	assert_int_equal(f.n, 0);
	plan_free(&p);
	/* all_purposes = no: only the purpose's value is managed. */
	answers_put(&a, F_REGISTRY_ALL_PURPOSES, "no", SRC_SCREEN);
	step_registry.plan(h, &a, &p, &f);
	assert_non_null(plan_pending(&p, RES_REG, MSCEP,
	    "GeneralPurposeTemplate", &found));
	plan_pending(&p, RES_REG, MSCEP, "SignatureTemplate", &found);
	assert_false(found);
	plan_pending(&p, RES_REG, MSCEP, "EncryptionTemplate", &found);
	assert_false(found);
	assert_string_equal(plan_pending(&p, RES_REG, HTTPP, "MaxFieldLength",
	    &found), "dword:0000fffe");
	assert_string_equal(plan_pending(&p, RES_REG, HTTPP,
	    "MaxRequestBytes", &found), "dword:0000fffe");
	assert_string_equal(plan_pending(&p, RES_IIS, LIMITS, "maxUrl",
	    &found), "65534");
	assert_string_equal(plan_pending(&p, RES_IIS, LIMITS,
	    "maxQueryString", &found), "65534");
	assert_true(plan_reboot_required(&p));
	plan_free(&p);
	answers_free(&a);
	memhost_free(h);
}

static void
test_plan_respects_host(void **state)
{
	struct host *h = memhost_new();
	struct answers a;
	struct findings f = {0};
	struct plan p = {0};
	char err[128];
	int found;

	(void)state;
	good_answers(&a);
	answers_put(&a, F_TEMPLATE_PURPOSE, "signature", SRC_SCREEN);
	answers_put(&a, F_REGISTRY_ENCRYPTION_TEMPLATE, "EncTemplate",
	    SRC_SCREEN);
	host_set(h, RES_REGKEY, MSCEP, NULL, "present", err, sizeof err);
	host_set(h, RES_REGKEY, HTTPP, NULL, "present", err, sizeof err);
	/* Larger than asked stays; smaller is raised. */
	host_set(h, RES_REG, HTTPP, "MaxFieldLength", "dword:00100000", err,
	    sizeof err);
	host_set(h, RES_REG, HTTPP, "MaxRequestBytes", "dword:00004000", err,
	    sizeof err);
	host_set(h, RES_IIS, LIMITS, "maxUrl", "70000", err, sizeof err);
	step_registry.plan(h, &a, &p, &f);
	plan_pending(&p, RES_REGKEY, MSCEP, NULL, &found);
	assert_false(found);
	plan_pending(&p, RES_REG, HTTPP, "MaxFieldLength", &found);
	assert_false(found);
	plan_pending(&p, RES_IIS, LIMITS, "maxUrl", &found);
	assert_false(found);
	assert_string_equal(plan_pending(&p, RES_REG, HTTPP,
	    "MaxRequestBytes", &found), "dword:0000fffe");
	assert_string_equal(plan_pending(&p, RES_REG, MSCEP,
	    "SignatureTemplate", &found), "\"NDESDeviceCert\"");
	assert_string_equal(plan_pending(&p, RES_REG, MSCEP,
	    "EncryptionTemplate", &found), "\"EncTemplate\"");
	/* Not set, so all_purposes fills it with the template name. */
	assert_string_equal(plan_pending(&p, RES_REG, MSCEP,
	    "GeneralPurposeTemplate", &found), "\"NDESDeviceCert\"");
	plan_free(&p);
	answers_free(&a);
	memhost_free(h);
}

static void
test_prefill_and_inspect(void **state)
{
	struct host *h = memhost_new();
	struct answers a;
	struct findings f = {0};
	char err[128];

	(void)state;
	answers_init(&a);
	host_set(h, RES_REG, MSCEP, "SignatureTemplate",
	    "\"IPSECIntermediateOffline\"", err, sizeof err);
	host_set(h, RES_REG, MSCEP, "EncryptionTemplate",
	    "\"IPSECIntermediateOffline\"", err, sizeof err);
	host_set(h, RES_REG, MSCEP, "GeneralPurposeTemplate",
	    "\"ContosoSCEP\"", err, sizeof err);
	host_set(h, RES_REG, HTTPP, "MaxFieldLength", "dword:00010000", err,
	    sizeof err);
	step_registry.prefill(h, &a);
	assert_string_equal(answers_get(&a, F_TEMPLATE_NAME), "ContosoSCEP");
	assert_int_equal(a.src[F_TEMPLATE_NAME], SRC_HOST);
	assert_string_equal(answers_get(&a, F_TEMPLATE_PURPOSE),
	    "signature-encryption");
	assert_string_equal(answers_get(&a, F_REGISTRY_MAX_FIELD_LENGTH),
	    "65536");
	/* Not set on the host: stays default. */
	assert_int_equal(a.src[F_REGISTRY_MAX_URL], SRC_DEFAULT);

	answers_put(&a, F_TEMPLATE_PURPOSE, "signature", SRC_SCREEN);
	step_registry.inspect(h, &a, &f);
	assert_non_null(findings_find(&f, "registry.default-template"));
	assert_non_null(findings_find(&f, "registry.limit-low"));
	assert_non_null(findings_find(&f, "registry.limit"));
	findings_free(&f);
	answers_free(&a);
	memhost_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_answers_pass),
		cmocka_unit_test(test_each_rule_fails),
		cmocka_unit_test(test_display_name_hint),
		cmocka_unit_test(test_larger_limits_fine_and_pkcs_only),
		cmocka_unit_test(test_plan_fresh_host),
		cmocka_unit_test(test_plan_respects_host),
		cmocka_unit_test(test_prefill_and_inspect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
