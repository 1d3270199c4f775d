/*
 * Issue 14's validate rules, each both ways, on the example answers:
 * the HTTP.sys ranges (KB 820129), the port Intune documents (443), and
 * the CA named by one of this server's names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "stepcase.h"

extern const struct step step_registry, step_binding, step_ndes;

static const struct step_cases {
	const struct step *step;
	struct rule_case c;
} cases[] = {
	/* 4. MaxFieldLength: 64-65534; NDES needs the top of it. */
	{ &step_registry, { NULL, 0, NULL,
	  { { F_REGISTRY_MAX_FIELD_LENGTH, "65534" } } } },
	{ &step_registry, { "registry.limit-too-large", SEV_ERROR,
	  "registry.max_field_length",
	  { { F_REGISTRY_MAX_FIELD_LENGTH, "65535" } } } },
	{ &step_registry, { "registry.limit-too-large", SEV_ERROR,
	  "registry.max_field_length",
	  { { F_REGISTRY_MAX_FIELD_LENGTH, "131072" } } } },
	/* MaxRequestBytes: 256-16777216. */
	{ &step_registry, { NULL, 0, NULL,
	  { { F_REGISTRY_MAX_REQUEST_BYTES, "16777216" } } } },
	{ &step_registry, { "registry.limit-too-large", SEV_ERROR,
	  "registry.max_request_bytes",
	  { { F_REGISTRY_MAX_REQUEST_BYTES, "16777217" } } } },
	/* IIS's own limits have no such ceiling. */
	{ &step_registry, { NULL, 0, NULL,
	  { { F_REGISTRY_MAX_URL, "16777217" } } } },
	/* 5. 443 only is documented. */
	{ &step_binding, { NULL, 0, NULL, { { F_BINDING_PORT, "443" } } } },
	{ &step_binding, { "binding.port-not-443", SEV_WARN, "binding.port",
	  { { F_BINDING_PORT, "8443" } } } },
	{ &step_binding, { "binding.port-not-443", SEV_WARN, "binding.port",
	  { { F_BINDING_PORT, "80" },
	    { F_BINDING_REMOVE_HTTP_BINDING, "yes" } } } },
	/* 7. The CA by this server's FQDN, short name or alias. */
	{ &step_ndes, { "ndes.ca-is-this-server", SEV_ERROR, "ndes.ca_config",
	  { { F_NDES_CA_CONFIG, "NDES01.contoso.com\\Contoso CA" } } } },
	{ &step_ndes, { "ndes.ca-is-this-server", SEV_ERROR, "ndes.ca_config",
	  { { F_NDES_CA_CONFIG, "ndes01\\Contoso CA" } } } },
	{ &step_ndes, { "ndes.ca-is-this-server", SEV_ERROR, "ndes.ca_config",
	  { { F_NDES_CA_CONFIG, "scep.contoso.com\\Contoso CA" } } } },
	{ &step_ndes, { "ndes.ca-is-this-server", SEV_ERROR, "ndes.ca_config",
	  { { F_NDES_CA_CONFIG, "pki.contoso.com\\Contoso CA" },
	    { F_BINDING_EXTERNAL_NAMES, "scep.contoso.com, pki.contoso.com" }
	  } } },
	/* Another host, even one sharing the first label elsewhere. */
	{ &step_ndes, { NULL, 0, NULL,
	  { { F_NDES_CA_CONFIG, "ca01\\Contoso CA" } } } },
	{ &step_ndes, { NULL, 0, NULL,
	  { { F_NDES_CA_CONFIG, "ndes01.fabrikam.com\\Fabrikam CA" } } } },
};

static void
test_rules(void **state)
{
	(void)state;
	/* stepcase.h brings the memory host; validate needs none. */
	(void)memhost_new;
	(void)memhost_free;
	assert_example_clean(&step_registry);
	assert_example_clean(&step_binding);
	assert_example_clean(&step_ndes);
	for (size_t i = 0; i < nitems(cases); i++)
		run_rule_cases(cases[i].step, &cases[i].c, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
