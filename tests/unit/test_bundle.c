/*
 * The evidence bundle's redaction and manifest: a secret keeps only its
 * reference, anything that looks like a secret goes, the rest is kept;
 * the manifest's hashes are SHA-256 of each member.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "util.h"

static void
test_redact(void **state)
{
	const char *in =
	    "[meta]\nversion = 1\n"
	    "[accounts]\nndes_service_password = env:NDES_SVC\n"
	    "connector_password = hunter2-inline\n"
	    "; a comment keeps its text = yes\n"
	    "[proxy]\r\npassword = file:/etc/ndes/proxy.pw\r\n"
	    "username = CONTOSO\\proxy\n"
	    "[binding]\npfx_password = prompt\n"
	    "[custom]\napi_token = abc123\nMyPassphrase = s3cr3t\n"
	    "empty_secret =\n";
	const char *want =
	    "[meta]\nversion = 1\n"
	    "[accounts]\nndes_service_password = env:NDES_SVC\n"
	    "connector_password = <redacted: not a reference>\n"
	    "; a comment keeps its text = yes\n"
	    "[proxy]\npassword = file:/etc/ndes/proxy.pw\n"
	    "username = CONTOSO\\proxy\n"
	    "[binding]\npfx_password = prompt\n"
	    "[custom]\napi_token = <redacted: not a reference>\n"
	    "MyPassphrase = <redacted: not a reference>\n"
	    "empty_secret = \n";
	char *out;

	(void)state;
	out = bundle_redact_answers(in);
	assert_string_equal(out, want);
	assert_null(strstr(out, "hunter2"));
	free(out);
}

static void
test_manifest(void **state)
{
	struct bundle b = {0};
	json_t *m, *f;
	json_error_t je;

	(void)state;
	bundle_add(&b, "a.txt", xstrdup("abc"), 3);
	bundle_add(&b, "empty", xstrdup(""), 0);
	bundle_add_manifest(&b);
	assert_int_equal(b.n, 3);
	assert_string_equal(b.v[2].name, "manifest.json");
	m = json_loadb(b.v[2].data, b.v[2].len, 0, &je);
	assert_non_null(m);
	f = json_object_get(m, "files");
	assert_int_equal(json_array_size(f), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(f, 0), "sha256")), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(f, 0), "size")), 3);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(f, 1), "sha256")), "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	json_decref(m);
	bundle_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_manifest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
