/*
 * Account names (DOMAIN\user, user@domain.tld, DOMAIN\gmsa$) and the DNS
 * and country rules beside them in syntax.c. An accepted account written
 * back in its own form must parse to the same parts.
 */
#include "fuzz.h"

#include "syntax.h"

static void
check_accepted(const char *s, const struct account *a)
{
	struct account again;
	char why[512], text[600];

	FUZZ_CHECK(a->domain[0] != '\0' && a->user[0] != '\0', "'%s': empty "
	    "part", s);
	if (a->form == ACCOUNT_UPN)
		snprintf(text, sizeof text, "%s@%s", a->user, a->domain);
	else
		snprintf(text, sizeof text, "%s\\%s", a->domain, a->user);
	FUZZ_CHECK(account_parse(text, &again, why, sizeof why) == a->form,
	    "'%s' written back as '%s' parses otherwise: %s", s, text, why);
	FUZZ_CHECK(strcmp(again.domain, a->domain) == 0 &&
	    strcmp(again.user, a->user) == 0, "'%s' written back as '%s' "
	    "has other parts", s, text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct account a;
	char why[512] = "", *s = fuzz_cstr(data, size);
	enum account_form form;

	form = account_parse(s, &a, why, sizeof why);
	FUZZ_CHECK(form == a.form, "returned %d, kept %d", form, a.form);
	if (form != ACCOUNT_BAD)
		check_accepted(s, &a);
	else
		FUZZ_CHECK(why[0] != '\0', "refused without a reason");
	/* A wildcard allowance can only let more names through. */
	FUZZ_CHECK(!dns_name_ok(s, 0) || dns_name_ok(s, 1), "'%s'", s);
	(void)country_code_ok(s);
	free(s);
	return 0;
}
