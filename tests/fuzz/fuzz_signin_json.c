/*
 * The sign-in's JSON (checks/signin-json.c): the device-code answer, the
 * token endpoint's answer, OAuth and Graph errors, /me, a page of
 * connectors and the judgement on it, and Graph's timestamps. The first
 * byte picks the parser, the rest is the body a server (or an attacker
 * in its place) sends.
 */
#include "fuzz.h"

#include "finding.h"
#include "signin-json.h"

/* A fixed "now", so that a run is repeatable. */
#define NOW ((time_t)1767225600)

int LLVMFuzzerInitialize(int *, char ***);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* As signin_start does: jansson's memory is wiped on release. */
	sj_wipe_on_free();
	return 0;
}

static void
devicecode(const char *body, size_t len)
{
	struct sj_devicecode d;
	char why[256] = "";

	if (sj_devicecode(body, len, &d, why, sizeof why) == 0) {
		FUZZ_CHECK(d.device_code != NULL && d.user_code != NULL &&
		    d.verification_uri != NULL, "accepted without its codes");
		sj_devicecode_free(&d);
	} else
		FUZZ_CHECK(why[0] != '\0' && d.device_code == NULL,
		    "refused without a reason, or kept the code");
}

static void
token(const char *body, size_t len)
{
	struct sj_token t;
	char why[256] = "";

	sj_token(body, len, &t, why, sizeof why);
	switch (t.kind) {
	case SJ_TOKEN_OK:
		FUZZ_CHECK(t.access_token != NULL && t.access_token_len ==
		    strlen(t.access_token) && t.access_token_len > 0,
		    "a token that is not one");
		break;
	case SJ_TOKEN_ERROR:
		FUZZ_CHECK(t.err.error != NULL && t.access_token == NULL,
		    "an error without its code");
		break;
	case SJ_TOKEN_MALFORMED:
		FUZZ_CHECK(why[0] != '\0' && t.access_token == NULL,
		    "malformed without a reason");
		break;
	}
	sj_token_free(&t);
}

static void
errors(const char *body, size_t len)
{
	struct sj_oauth_error e;
	char *code, *message;

	if (sj_oauth_error(body, len, &e) == 0)
		FUZZ_CHECK(e.error != NULL, "an OAuth error without a code");
	sj_oauth_error_free(&e);
	if (sj_graph_error(body, len, &code, &message) == 0)
		FUZZ_CHECK(code != NULL || message != NULL, "empty error");
	free(code);
	free(message);
}

static void
me(const char *body, size_t len)
{
	char why[256] = "", *user;

	if (sj_me(body, len, &user, why, sizeof why) == 0) {
		FUZZ_CHECK(user != NULL, "a user without a name");
		for (const unsigned char *p = (unsigned char *)user; *p; p++)
			FUZZ_CHECK(*p >= 0x20 && *p != 0x7f, "a control "
			    "character reaches the terminal");
		free(user);
	} else
		FUZZ_CHECK(why[0] != '\0' && user == NULL, "no reason");
}

static void
connectors(const char *body, size_t len)
{
	struct sj_connectors l = { NULL, 0 };
	struct findings f = {0};
	char why[256] = "", *next;

	if (sj_connectors(body, len, &l, &next, why, sizeof why) == 0) {
		sj_connectors_judge(&l, "ndes01.contoso.com", NOW, &f);
		sj_connectors_judge(&l, "", NOW, &f);
		free(next);
	} else
		FUZZ_CHECK(why[0] != '\0' && next == NULL, "no reason");
	findings_free(&f);
	sj_connectors_free(&l);
}

static void
strings(const char *body, size_t len)
{
	char *s = fuzz_cstr((const uint8_t *)body, len), *half;
	size_t n = strlen(s);
	time_t t;

	(void)sj_time_parse(s, &t);
	half = s + n / 2;
	(void)sj_same_machine(half, s);
	FUZZ_CHECK(sj_same_machine(s, half) == sj_same_machine(half, s),
	    "same_machine is not symmetric");
	sj_sanitize(s);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const char *, size_t) = {
		devicecode, token, errors, me, connectors, strings,
	};
	const char *body = (const char *)data + 1;

	if (size == 0)
		return 0;
	parsers[data[0] % 6](body, size - 1);
	return 0;
}
