/* The sign-in's JSON: device code, token and error answers, Graph's
 * /me and connector pages, malformed input of every kind; and what the
 * connector list says about this machine. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "signin-json.h"
#include "util.h"

#define S(x) x, strlen(x)

static const char dc_ok[] =
    "{\"device_code\":\"DC-1\",\"user_code\":\"ABCD-EFGH\","
    "\"verification_uri\":\"https://microsoft.com/devicelogin\","
    "\"expires_in\":900,\"interval\":5,"
    "\"message\":\"To sign in\\u001b[2J, open it\\u009b31m.\"}";

static void
test_devicecode_ok(void **state)
{
	struct sj_devicecode d;
	char why[256];

	(void)state;
	assert_int_equal(sj_devicecode(S(dc_ok), &d, why, sizeof why), 0);
	assert_string_equal(d.device_code, "DC-1");
	assert_string_equal(d.user_code, "ABCD-EFGH");
	assert_string_equal(d.verification_uri,
	    "https://microsoft.com/devicelogin");
	assert_int_equal(d.expires_in, 900);
	assert_int_equal(d.interval, 5);
	/* ESC and the C1 CSI are gone; the words stay. */
	assert_string_equal(d.message, "To sign in [2J, open it??31m.");
	sj_devicecode_free(&d);
	assert_null(d.device_code);
}

static void
test_devicecode_v1_spelling(void **state)
{
	static const char body[] = "{\"device_code\":\"x\",\"user_code\":\"U\","
	    "\"verification_url\":\"https://aka.ms/devicelogin\","
	    "\"expires_in\":\"900\"}";
	struct sj_devicecode d;
	char why[256];

	(void)state;
	assert_int_equal(sj_devicecode(S(body), &d, why, sizeof why), 0);
	assert_string_equal(d.verification_uri, "https://aka.ms/devicelogin");
	assert_int_equal(d.expires_in, 900);
	assert_int_equal(d.interval, 5); /* RFC 8628: absent means 5 */
	assert_null(d.message);
	sj_devicecode_free(&d);
}

struct bad_case {
	const char *body;
	const char *why;
};

static const struct bad_case dc_bad[] = {
	{ "", "not a JSON object" },
	{ "{\"device_code\":", "not a JSON object" },
	{ "[1,2]", "not a JSON object" },
	{ "\"text\"", "not a JSON object" },
	{ "{\"device_code\":\"a\",\"device_code\":\"b\"}",
	    "not a JSON object" }, /* duplicate keys refused */
	{ "{\"user_code\":\"U\"}", "no device_code" },
	{ "{\"device_code\":\"\",\"user_code\":\"U\"}", "no device_code" },
	{ "{\"device_code\":7}", "no device_code" },
	{ "{\"device_code\":\"d\"}", "no user_code" },
	{ "{\"device_code\":\"d\",\"user_code\":\"U\","
	    "\"verification_uri\":\"http://x/\",\"expires_in\":9}",
	    "not an https URL" },
	{ "{\"device_code\":\"d\",\"user_code\":\"U\","
	    "\"verification_uri\":\"https://x/\"}", "expires_in" },
	{ "{\"device_code\":\"d\",\"user_code\":\"U\","
	    "\"verification_uri\":\"https://x/\",\"expires_in\":0}",
	    "expires_in" },
	{ "{\"device_code\":\"d\",\"user_code\":\"U\","
	    "\"verification_uri\":\"https://x/\",\"expires_in\":\"9x\"}",
	    "expires_in" },
	{ "{\"device_code\":\"d\",\"user_code\":\"U\","
	    "\"verification_uri\":\"https://x/\",\"expires_in\":9,"
	    "\"interval\":0}", "interval" },
	{ "{\"device_code\":\"d\",\"user_code\":\"U\","
	    "\"verification_uri\":\"https://x/\",\"expires_in\":9,"
	    "\"interval\":1.5}", "interval" },
};

static void
test_devicecode_bad(void **state)
{
	struct sj_devicecode d;
	char why[256];

	(void)state;
	for (size_t i = 0; i < nitems(dc_bad); i++) {
		why[0] = '\0';
		assert_int_equal(sj_devicecode(S(dc_bad[i].body), &d, why,
		    sizeof why), -1);
		if (strstr(why, dc_bad[i].why) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, why,
			    dc_bad[i].why);
		assert_null(d.device_code);
		assert_null(d.user_code);
	}
	assert_int_equal(sj_devicecode(NULL, 0, &d, why, sizeof why), -1);
}

static void
test_token_ok(void **state)
{
	static const char body[] = "{\"token_type\":\"Bearer\","
	    "\"access_token\":\"eyJ0.secret.sig\",\"expires_in\":3599,"
	    "\"refresh_token\":\"r\",\"id_token\":\"i\"}";
	struct sj_token t;
	char why[256] = "";

	(void)state;
	sj_token(S(body), &t, why, sizeof why);
	assert_int_equal(t.kind, SJ_TOKEN_OK);
	assert_string_equal(t.access_token, "eyJ0.secret.sig");
	assert_int_equal(t.access_token_len, strlen("eyJ0.secret.sig"));
	assert_null(t.err.error);
	sj_token_free(&t);
	assert_null(t.access_token);
}

struct token_error_case {
	const char *body;
	const char *error;
	const char *description;
};

static const struct token_error_case token_errors[] = {
	{ "{\"error\":\"authorization_pending\"}", "authorization_pending",
	    NULL },
	{ "{\"error\":\"slow_down\",\"error_description\":\"wait\"}",
	    "slow_down", "wait" },
	{ "{\"error\":\"authorization_declined\",\"error_description\":"
	    "\"AADSTS70000: no\",\"error_codes\":[70000]}",
	    "authorization_declined", "AADSTS70000: no" },
	{ "{\"error\":\"expired_token\",\"error_description\":7}",
	    "expired_token", NULL },
	{ "{\"error\":\"bad_verification_code\",\"access_token\":\"x\"}",
	    "bad_verification_code", NULL }, /* an error wins */
};

static void
test_token_errors(void **state)
{
	struct sj_token t;
	char why[256];

	(void)state;
	for (size_t i = 0; i < nitems(token_errors); i++) {
		sj_token(S(token_errors[i].body), &t, why, sizeof why);
		assert_int_equal(t.kind, SJ_TOKEN_ERROR);
		assert_string_equal(t.err.error, token_errors[i].error);
		if (token_errors[i].description == NULL)
			assert_null(t.err.description);
		else
			assert_string_equal(t.err.description,
			    token_errors[i].description);
		assert_null(t.access_token);
		sj_token_free(&t);
	}
}

static const struct bad_case token_bad[] = {
	{ "{not json", "not a JSON object" },
	{ "", "not a JSON object" },
	{ "null", "not a JSON object" },
	{ "[]", "not a JSON object" },
	{ "{}", "neither access_token nor error" },
	{ "{\"access_token\":\"\"}", "neither access_token nor error" },
	{ "{\"access_token\":12}", "neither access_token nor error" },
	{ "{\"error\":3}", "neither access_token nor error" },
	{ "{\"access_token\":\"a\",\"token_type\":\"mac\"}", "Bearer" },
	{ "{\"access_token\":\"a\",\"token_type\":null}", "Bearer" },
};

static void
test_token_bad(void **state)
{
	struct sj_token t;
	char why[256];

	(void)state;
	for (size_t i = 0; i < nitems(token_bad); i++) {
		why[0] = '\0';
		sj_token(S(token_bad[i].body), &t, why, sizeof why);
		assert_int_equal(t.kind, SJ_TOKEN_MALFORMED);
		if (strstr(why, token_bad[i].why) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, why,
			    token_bad[i].why);
		/* never the body itself: it may hold a token */
		assert_null(strstr(why, "\"a\""));
		assert_null(t.access_token);
		sj_token_free(&t);
	}
	/* lower-case bearer is fine (RFC 6749: case-insensitive) */
	sj_token(S("{\"access_token\":\"a\",\"token_type\":\"bearer\"}"), &t,
	    why, sizeof why);
	assert_int_equal(t.kind, SJ_TOKEN_OK);
	sj_token_free(&t);
}

static void
test_oauth_error(void **state)
{
	struct sj_oauth_error e;

	(void)state;
	assert_int_equal(sj_oauth_error(S("{\"error\":\"invalid_client\","
	    "\"error_description\":\"AADSTS7000218\"}"), &e), 0);
	assert_string_equal(e.error, "invalid_client");
	assert_string_equal(e.description, "AADSTS7000218");
	sj_oauth_error_free(&e);
	assert_int_equal(sj_oauth_error(S("<html>500</html>"), &e), -1);
	assert_null(e.error);
	assert_int_equal(sj_oauth_error(S("{\"error\":{\"code\":\"x\"}}"),
	    &e), -1);
	assert_int_equal(sj_oauth_error(NULL, 0, &e), -1);
}

static void
test_graph_error(void **state)
{
	char *code, *msg;

	(void)state;
	assert_int_equal(sj_graph_error(S("{\"error\":{\"code\":\"Forbidden\","
	    "\"message\":\"no\\u0007\"}}"), &code, &msg), 0);
	assert_string_equal(code, "Forbidden");
	assert_string_equal(msg, "no ");
	free(code);
	free(msg);
	assert_int_equal(sj_graph_error(S("{\"error\":\"x\"}"), &code, &msg),
	    -1);
	assert_int_equal(sj_graph_error(S("{\"error\":{}}"), &code, &msg),
	    -1);
	assert_int_equal(sj_graph_error(S("nope"), &code, &msg), -1);
	assert_null(code);
	assert_null(msg);
}

static void
test_me(void **state)
{
	char *user, why[256];

	(void)state;
	assert_int_equal(sj_me(S("{\"displayName\":\"A\",\"userPrincipalName\""
	    ":\"a@contoso.com\"}"), &user, why, sizeof why), 0);
	assert_string_equal(user, "a@contoso.com");
	free(user);
	assert_int_equal(sj_me(S("{\"displayName\":\"A\",\"mail\":\"m@c\"}"),
	    &user, why, sizeof why), 0);
	assert_string_equal(user, "m@c");
	free(user);
	assert_int_equal(sj_me(S("{\"id\":\"1\"}"), &user, why, sizeof why),
	    -1);
	assert_non_null(strstr(why, "userPrincipalName"));
	assert_int_equal(sj_me(S("{\"userPrincipalName\""), &user, why,
	    sizeof why), -1);
	assert_null(user);
}

static const char page1[] = "{\"@odata.context\":\"x\",\"value\":["
    "{\"id\":\"1\",\"displayName\":\"NDES01\",\"machineName\":"
    "\"ndes01.contoso.com\",\"state\":\"active\",\"connectorVersion\":"
    "\"6.2301.1.0\",\"lastConnectionDateTime\":"
    "\"2024-05-01T10:00:00.1234567Z\",\"enrolledDateTime\":\"x\"},"
    "{\"id\":\"2\"}],"
    "\"@odata.nextLink\":\"https://graph.microsoft.com/beta/x?$skip=2\"}";

static void
test_connectors(void **state)
{
	struct sj_connectors l = {0};
	char *next, why[256];

	(void)state;
	assert_int_equal(sj_connectors(S(page1), &l, &next, why, sizeof why),
	    0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].display_name, "NDES01");
	assert_string_equal(l.v[0].machine_name, "ndes01.contoso.com");
	assert_string_equal(l.v[0].state, "active");
	assert_string_equal(l.v[0].version, "6.2301.1.0");
	assert_string_equal(l.v[0].last_connection,
	    "2024-05-01T10:00:00.1234567Z");
	assert_string_equal(l.v[1].id, "2");
	assert_null(l.v[1].display_name); /* absent stays absent */
	assert_string_equal(next, "https://graph.microsoft.com/beta/x?$skip=2");
	free(next);
	/* A second page is appended. */
	assert_int_equal(sj_connectors(S("{\"value\":[{\"id\":\"3\"}]}"), &l,
	    &next, why, sizeof why), 0);
	assert_int_equal(l.n, 3);
	assert_null(next);
	assert_int_equal(sj_connectors(S("{\"value\":[]}"), &l, &next, why,
	    sizeof why), 0);
	assert_int_equal(l.n, 3);
	sj_connectors_free(&l);
	assert_int_equal(l.n, 0);
}

static const struct bad_case conn_bad[] = {
	{ "", "no \"value\" list" },
	{ "{", "no \"value\" list" },
	{ "[]", "no \"value\" list" },
	{ "{\"value\":{}}", "no \"value\" list" },
	{ "{\"value\":null}", "no \"value\" list" },
	{ "{\"value\":[{\"id\":\"1\"},3]}", "connector 2 is not an object" },
};

static void
test_connectors_bad(void **state)
{
	struct sj_connectors l = {0};
	char *next, why[256];

	(void)state;
	for (size_t i = 0; i < nitems(conn_bad); i++) {
		assert_int_equal(sj_connectors(S(conn_bad[i].body), &l, &next,
		    why, sizeof why), -1);
		if (strstr(why, conn_bad[i].why) == NULL)
			fail_msg("case %zu: '%s'", i, why);
		assert_int_equal(l.n, 0); /* nothing half-added */
		assert_null(next);
	}
	sj_connectors_free(&l);
}

struct time_case {
	const char *s;
	long long t; /* -1: refused */
};

static const struct time_case times[] = {
	{ "1970-01-01T00:00:00Z", 0 },
	{ "2024-05-01T10:00:00Z", 1714557600 },
	{ "2024-05-01T10:00:00.1234567Z", 1714557600 },
	{ "2024-05-01T12:00:00+02:00", 1714557600 },
	{ "2024-05-01T05:30:00-04:30", 1714557600 },
	{ "0001-01-01T00:00:00Z", -62135596800LL },
	{ "2024-05-01 10:00:00Z", -1 },
	{ "2024-05-01T10:00:00", -1 },
	{ "2024-13-01T10:00:00Z", -1 },
	{ "2024-05-01T10:00:00Zjunk", -1 },
	{ "2024-05-01T10:00:00+0200", -1 },
	{ "yesterday", -1 },
	{ "", -1 },
};

static void
test_time(void **state)
{
	time_t t;

	(void)state;
	for (size_t i = 0; i < nitems(times); i++) {
		int rc = sj_time_parse(times[i].s, &t);

		if (times[i].t == -1 && rc == 0)
			fail_msg("'%s' accepted", times[i].s);
		if (times[i].t != -1 && (rc != 0 ||
		    (long long)t != times[i].t))
			fail_msg("'%s': rc %d, %lld", times[i].s, rc,
			    (long long)t);
	}
	assert_int_equal(sj_time_parse(NULL, &t), -1);
}

struct machine_case {
	const char *a, *b;
	int same;
};

static const struct machine_case machines[] = {
	{ "ndes01.contoso.com", "NDES01.CONTOSO.COM", 1 },
	{ "ndes01.contoso.com", "ndes01", 1 },
	{ "NDES01", "ndes01.contoso.com", 1 },
	{ "ndes01", "NDES01", 1 },
	{ "ndes01.contoso.com.", "ndes01.contoso.com", 1 },
	{ "ndes01.contoso.com", "ndes01.fabrikam.com", 0 },
	{ "ndes01", "ndes012.contoso.com", 0 },
	{ "ndes0", "ndes01", 0 },
	{ "ndes01.contoso.com", "contoso.com", 0 },
	{ "", "", 0 },
	{ NULL, "ndes01", 0 },
	{ "ndes01", NULL, 0 },
};

static void
test_same_machine(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(machines); i++)
		if (sj_same_machine(machines[i].a, machines[i].b) !=
		    machines[i].same)
			fail_msg("'%s' vs '%s'", machines[i].a ?
			    machines[i].a : "NULL", machines[i].b ?
			    machines[i].b : "NULL");
}

#define NOW 1714557600 /* 2024-05-01T10:00:00Z */

static void
add(struct sj_connectors *l, const char *name, const char *machine,
    const char *st, const char *last)
{
	char *body, *next, why[256];

	body = xasprintf("{\"value\":[{\"displayName\":\"%s\","
	    "\"machineName\":\"%s\",\"state\":\"%s\","
	    "\"lastConnectionDateTime\":\"%s\"}]}", name, machine, st, last);
	assert_int_equal(sj_connectors(S(body), l, &next, why, sizeof why),
	    0);
	free(body);
}

static void
test_judge(void **state)
{
	struct sj_connectors l = {0};
	struct findings f = {0};
	const struct finding *x;

	(void)state;
	/* None at all. */
	sj_connectors_judge(&l, "ndes01", NOW, &f);
	assert_non_null(findings_find(&f, "signin.no-connectors"));
	assert_int_equal(findings_worst(&f), SEV_WARN);
	findings_free(&f);

	/* Active here, inactive and silent elsewhere. */
	add(&l, "NDES01", "NDES01.contoso.com", "active",
	    "2024-05-01T09:00:00Z");
	add(&l, "NDES02", "ndes02.contoso.com", "inactive",
	    "2024-04-28T10:00:00Z");
	sj_connectors_judge(&l, "ndes01", NOW, &f);
	assert_true(l.v[0].this_machine);
	assert_false(l.v[1].this_machine);
	assert_int_equal(findings_worst(&f), SEV_WARN);
	assert_non_null(findings_find(&f, "signin.connector-registered"));
	x = findings_find(&f, "signin.connector-inactive");
	assert_non_null(x);
	assert_int_equal(x->sev, SEV_WARN);
	x = findings_find(&f, "signin.connector-stale");
	assert_non_null(x);
	assert_non_null(strstr(x->message, "NDES02 last connected 72 hours"));
	assert_null(findings_find(&f, "signin.machine-not-registered"));
	findings_free(&f);

	/* Seen from NDES02: inactive here is an error. */
	sj_connectors_judge(&l, "ndes02.contoso.com", NOW, &f);
	assert_false(l.v[0].this_machine);
	assert_true(l.v[1].this_machine);
	x = findings_find(&f, "signin.connector-inactive");
	assert_int_equal(x->sev, SEV_ERROR);
	findings_free(&f);

	/* Another machine: not registered here. */
	sj_connectors_judge(&l, "ndes03", NOW, &f);
	assert_non_null(findings_find(&f, "signin.machine-not-registered"));
	findings_free(&f);

	/* No machine name known: no claim about this machine. */
	sj_connectors_judge(&l, NULL, NOW, &f);
	assert_null(findings_find(&f, "signin.machine-not-registered"));
	assert_null(findings_find(&f, "signin.connector-registered"));
	findings_free(&f);

	/* Exactly 24 h is not stale; an unreadable time is not judged. */
	sj_connectors_free(&l);
	add(&l, "A", "a", "active", "2024-04-30T10:00:00Z");
	add(&l, "B", "b", "active", "garbage");
	sj_connectors_judge(&l, "a", NOW, &f);
	assert_null(findings_find(&f, "signin.connector-stale"));
	findings_free(&f);
	sj_connectors_free(&l);
}

static void
test_sanitize_and_secrets(void **state)
{
	char s[] = "a\tb\x1b[0m\x7f\xc2\x9b\xc3\xa9";
	json_t *o;
	char *p;

	(void)state;
	sj_sanitize(s);
	assert_string_equal(s, "a b [0m ??\xc3\xa9"); /* é stays */
	sj_sanitize(NULL);
	p = sj_secret_dup("tok", 3);
	assert_string_equal(p, "tok");
	sj_secret_free(p, 3);
	sj_secret_free(NULL, 0);
	/* The wiping free stays compatible with plain malloc/free. */
	sj_wipe_on_free();
	o = json_pack("{s:s}", "a", "b");
	p = json_dumps(o, 0);
	assert_string_equal(p, "{\"a\": \"b\"}");
	free(p);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_devicecode_ok),
		cmocka_unit_test(test_devicecode_v1_spelling),
		cmocka_unit_test(test_devicecode_bad),
		cmocka_unit_test(test_token_ok),
		cmocka_unit_test(test_token_errors),
		cmocka_unit_test(test_token_bad),
		cmocka_unit_test(test_oauth_error),
		cmocka_unit_test(test_graph_error),
		cmocka_unit_test(test_me),
		cmocka_unit_test(test_connectors),
		cmocka_unit_test(test_connectors_bad),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_same_machine),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_sanitize_and_secrets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
