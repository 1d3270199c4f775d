/* The field table, the answer file reader and writer, secret references. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "answers.h"
#include "secret.h"
#include "util.h"

static void
test_table_complete(void **state)
{
	(void)state;
	for (int i = 0; i < F__COUNT; i++) {
		const struct field *f = &fields_table[i];
		char why[256], *canon;

		assert_non_null(f->section);
		assert_non_null(f->key);
		field_comment((enum field_id)i, why, sizeof why);
		assert_true(why[0] != '\0');
		assert_non_null(f->label);
		assert_true(field_section_known(f->section));
		assert_int_equal(field_lookup(f->section, f->key), i);
		/* Defaults are valid and already canonical. */
		canon = field_parse((enum field_id)i, f->def, why, sizeof why);
		assert_non_null(canon);
		assert_string_equal(canon, f->def);
		free(canon);
	}
	assert_int_equal(field_lookup("proxy", "colour"), -1);
	assert_string_equal(field_name(F_NDES_RA_COUNTRY), "ndes.ra_country");
}

struct parse_case {
	enum field_id id;
	const char *in;
	const char *out; /* NULL: refused */
	const char *why; /* part of the message when refused */
};

static const struct parse_case parse_cases[] = {
	{ F_PROXY_ENABLED, "TRUE", "yes", NULL },
	{ F_PROXY_ENABLED, "0", "no", NULL },
	{ F_PROXY_ENABLED, "maybe", NULL, "not a boolean" },
	{ F_TEMPLATE_PURPOSE, "Signature", "signature", NULL },
	{ F_TEMPLATE_PURPOSE, "sign", NULL, "one of: signature" },
	{ F_BINDING_PORT, "0443", "443", NULL },
	{ F_BINDING_PORT, "65536", NULL, "from 1 to 65535" },
	{ F_BINDING_PORT, "44 3", NULL, "not a whole number" },
	{ F_PREREQS_SCENARIOS, "scep,pkcs , SCEP", "scep, pkcs", NULL },
	{ F_PREREQS_SCENARIOS, "scep, ndes", NULL, "'ndes' is not one of" },
	{ F_BINDING_EXTERNAL_NAMES, " a.b ,, c.d ", "a.b, c.d", NULL },
	{ F_NDES_RA_COUNTRY, "de", "de", NULL },
	{ F_NDES_RA_COUNTRY, "D1", NULL, "2-letter country code" },
	{ F_BINDING_CERTIFICATE, "store:AB12", "store:AB12", NULL },
	{ F_BINDING_CERTIFICATE, "pfx:", NULL, "not a certificate source" },
	{ F_ACCOUNTS_NDES_SERVICE_PASSWORD, "env:NDES_PW", "env:NDES_PW", NULL },
	{ F_ACCOUNTS_NDES_SERVICE_PASSWORD, "prompt", "prompt", NULL },
	{ F_ACCOUNTS_NDES_SERVICE_PASSWORD, "file:/root/pw", "file:/root/pw",
	  NULL },
	{ F_ACCOUNTS_NDES_SERVICE_PASSWORD, "hunter2", NULL, "never written "
	  "inline" },
	{ F_ACCOUNTS_NDES_SERVICE_PASSWORD, "env:", NULL, "variable name" },
	{ F_NDES_RA_NAME, "a\tb", NULL, "control character" },
	{ F_NDES_RA_NAME, "a ;b", NULL, "begins a comment" },
	{ F_NDES_RA_NAME, "a;b", "a;b", NULL },
};

static void
test_field_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		char why[256] = "", *out;

		out = field_parse(c->id, c->in, why, sizeof why);
		if (c->out == NULL) {
			if (out != NULL)
				fail_msg("case %zu: '%s' accepted as '%s'", i,
				    c->in, out);
			if (strstr(why, c->why) == NULL)
				fail_msg("case %zu: '%s' not in '%s'", i,
				    c->why, why);
		} else {
			if (out == NULL)
				fail_msg("case %zu: '%s' refused: %s", i,
				    c->in, why);
			assert_string_equal(out, c->out);
			free(out);
		}
	}
}

static void
test_inline_secret_not_echoed(void **state)
{
	struct answers a;
	char err[512];
	const char *text = "[meta]\nversion = 1\n[proxy]\n"
	    "password = S3cr3t-Value\n";

	(void)state;
	answers_init(&a);
	assert_int_equal(answerfile_load_buffer(&a, "x.ini", text,
	    strlen(text), err, sizeof err), -1);
	assert_non_null(strstr(err, "x.ini:4: [proxy] password:"));
	assert_null(strstr(err, "S3cr3t"));
	answers_free(&a);
}

static void
test_load_good_and_layers(void **state)
{
	struct answers a;
	char err[512];
	const char *text = "\xef\xbb\xbf; comment\n[meta]\nversion = 1\n\n"
	    "[ndes]\nra_name = CONTOSO-RA ; inline comment\n"
	    "ra_country = us\n[proxy]\nenabled = true\n";

	(void)state;
	answers_init(&a);
	assert_int_equal(answerfile_load_buffer(&a, "g.ini", text,
	    strlen(text), err, sizeof err), 0);
	assert_string_equal(answers_get(&a, F_NDES_RA_NAME), "CONTOSO-RA");
	assert_int_equal(a.src[F_NDES_RA_NAME], SRC_FILE);
	assert_int_equal(a.line[F_NDES_RA_NAME], 6);
	assert_string_equal(answers_get(&a, F_PROXY_ENABLED), "yes");
	assert_true(answers_bool(&a, F_PROXY_ENABLED));
	/* Keys not in the file keep what they had. */
	assert_int_equal(a.src[F_BINDING_PORT], SRC_DEFAULT);
	assert_int_equal(answers_int(&a, F_BINDING_PORT), 443);
	answers_free(&a);
}

static void
test_error_keeps_nothing(void **state)
{
	struct answers a, before;
	char err[512];
	/* A good value, then a bad one: the good one must not stick. */
	const char *text = "[meta]\nversion = 1\n[ndes]\nra_name = NEW\n"
	    "ra_country = USA\n";

	(void)state;
	answers_init(&a);
	answers_put(&a, F_NDES_RA_NAME, "OLD", SRC_SCREEN);
	answers_copy(&before, &a);
	assert_int_equal(answerfile_load_buffer(&a, "e.ini", text,
	    strlen(text), err, sizeof err), -1);
	assert_string_equal(err, "e.ini:5: [ndes] ra_country: 'USA' is not a "
	    "2-letter country code (ISO 3166, e.g. US, DE, GB)");
	assert_true(answers_equal(&a, &before));
	assert_string_equal(answers_get(&a, F_NDES_RA_NAME), "OLD");
	answers_free(&a);
	answers_free(&before);
}

static void
test_garbage(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *want;
	} cases[] = {
#define T(x) x, sizeof(x) - 1
		{ T(""), "g:1: the file is empty" },
		{ T("[meta]\nversion = 1\n\x01\x02\x03\n"),
		  "g:3: not a [section] header" },
		{ T("[meta]\nversion = 1\n[ndes]\nra_name = a\0b\n"),
		  "g:4: contains a NUL byte" },
		{ T("[meta]\r\nversion = 1\r\n[proxy]\r\nenabled = yes\r\n"),
		  NULL },
		{ T("[meta]\nversion = 1\n[ndes]\n   indented = x\n"),
		  "g:4: unknown key 'indented' in [ndes]" },
		{ T("[meta]\nversion = 1\n[]\nx = 1\n"),
		  "g:4: unknown section []" },
		{ T("\xfe\xff\x00["), "g:1: the file is UTF-16" },
		{ T("[meta]\nversion = 1\n[ndes]\nra_city = \xc3\n"),
		  "g:4: not valid UTF-8" },
		{ T("[meta]\nversion = 1\n[ndes]\nra_city = \xc3("),
		  "g:4: not valid UTF-8" },
#undef T
	};
	char err[512];

	(void)state;
	for (size_t i = 0; i < nitems(cases); i++) {
		struct answers a;
		int rc;

		answers_init(&a);
		err[0] = '\0';
		rc = answerfile_load_buffer(&a, "g", cases[i].text,
		    cases[i].len, err, sizeof err);
		if (cases[i].want == NULL) {
			if (rc != 0)
				fail_msg("case %zu refused: %s", i, err);
		} else if (rc == 0 || strncmp(err, cases[i].want,
		    strlen(cases[i].want)) != 0)
			fail_msg("case %zu: want '%s', got '%s'", i,
			    cases[i].want, err);
		answers_free(&a);
	}
}

static void
test_round_trip(void **state)
{
	struct answers a, b;
	char err[512], *text, *again;

	(void)state;
	answers_init(&a);
	/* Defaults first. */
	text = answerfile_format(&a);
	answers_init(&b);
	answers_put(&b, F_NDES_RA_NAME, "something else", SRC_SCREEN);
	assert_int_equal(answerfile_load_buffer(&b, "rt", text, strlen(text),
	    err, sizeof err), 0);
	assert_true(answers_equal(&a, &b));
	/* Every key appears with a comment line before it. */
	for (int i = 0; i < F__COUNT; i++) {
		char comment[512], *line;

		field_comment((enum field_id)i, comment, sizeof comment);
		line = xasprintf("\n; %s\n%s =", comment, fields_table[i].key);

		assert_non_null(strstr(text, line));
		free(line);
	}
	free(text);
	/* Then odd but valid values. */
	answers_put(&a, F_NDES_RA_COMPANY, "Contoso; Fabrikam & Co \"x\"",
	    SRC_SCREEN);
	answers_put(&a, F_TEMPLATE_DISPLAY_NAME, "NDES Gerät Zertifikat",
	    SRC_SCREEN);
	answers_put(&a, F_PROXY_PASSWORD, "file:/etc/ndeswiz/proxy.pw",
	    SRC_SCREEN);
	text = answerfile_format(&a);
	assert_int_equal(answerfile_load_buffer(&b, "rt", text, strlen(text),
	    err, sizeof err), 0);
	assert_true(answers_equal(&a, &b));
	again = answerfile_format(&b);
	assert_string_equal(text, again);
	free(text);
	free(again);
	answers_free(&a);
	answers_free(&b);
}

static void
test_save_atomic_0600(void **state)
{
	char dir[] = "/tmp/ndeswiz-ans.XXXXXX", *path, *bad;
	struct answers a;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = path_join(dir, "a.ini");
	answers_init(&a);
	umask(022);
	assert_int_equal(answerfile_save(&a, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	bad = path_join(dir, "no/such/dir/a.ini");
	assert_int_equal(answerfile_save(&a, bad), -1);
	/* Only the file itself is left: no temp files. */
	char *cmd = xasprintf("test $(ls -A '%s' | wc -l) -eq 1", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(bad);
	free(path);
	answers_free(&a);
}

static void
test_secret_resolve(void **state)
{
	char dir[] = "/tmp/ndeswiz-sec.XXXXXX", why[512], *pw, *ref;
	struct secret s;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("NDESWIZ_UNIT_PW", "from-env", 1);
	assert_int_equal(secret_resolve("env:NDESWIZ_UNIT_PW", "pw", &s, why,
	    sizeof why), 0);
	assert_string_equal(s.p, "from-env");
	assert_int_equal(s.len, 8);
	secret_wipe(&s);
	assert_null(s.p);
	assert_int_equal(s.len, 0);
	assert_int_equal(secret_resolve("env:NDESWIZ_UNIT_UNSET", "pw", &s,
	    why, sizeof why), -1);
	assert_non_null(strstr(why, "NDESWIZ_UNIT_UNSET is not set"));

	pw = path_join(dir, "pw");
	fp = fopen(pw, "w");
	fputs("from-file\n", fp);
	fclose(fp);
	ref = xasprintf("file:%s", pw);
	chmod(pw, 0644);
	assert_int_equal(secret_resolve(ref, "pw", &s, why, sizeof why), -1);
	assert_non_null(strstr(why, "chmod 600"));
	chmod(pw, 0600);
	assert_int_equal(secret_resolve(ref, "pw", &s, why, sizeof why), 0);
	assert_string_equal(s.p, "from-file");
	secret_wipe(&s);
	assert_int_equal(secret_resolve("", "pw", &s, why, sizeof why), 0);
	assert_int_equal(s.len, 0);
	unlink(pw);
	rmdir(dir);
	free(pw);
	free(ref);
}

static int prompt_calls;

static int
fake_prompt(void *arg, const char *label, char *buf, size_t max, size_t *len)
{
	(void)arg;
	prompt_calls++;
	if (strcmp(label, "Cancel me") == 0)
		return -1;
	*len = (size_t)snprintf(buf, max, "typed-%d", prompt_calls);
	return 0;
}

/* A prompted secret is asked once a run, by label; forget wipes it. */
static void
test_prompt_hook(void **state)
{
	struct secret a, b;
	char why[256];

	(void)state;
	prompt_calls = 0;
	secret_set_prompt(fake_prompt, NULL);
	assert_int_equal(secret_resolve("prompt", "Proxy password", &a, why,
	    sizeof why), 0);
	assert_int_equal(secret_resolve("prompt", "proxy PASSWORD", &b, why,
	    sizeof why), 0);
	assert_int_equal(prompt_calls, 1);
	assert_string_equal(a.p, "typed-1");
	assert_string_equal(b.p, "typed-1");
	secret_wipe(&a);
	secret_wipe(&b);
	assert_int_equal(secret_resolve("prompt", "PFX password", &a, why,
	    sizeof why), 0);
	assert_string_equal(a.p, "typed-2");
	secret_wipe(&a);
	assert_int_equal(secret_resolve("prompt", "Cancel me", &a, why,
	    sizeof why), -1);
	assert_non_null(strstr(why, "Cancel me: cancelled"));
	assert_null(a.p);
	secret_forget();
	assert_int_equal(secret_resolve("prompt", "Proxy password", &a, why,
	    sizeof why), 0);
	assert_string_equal(a.p, "typed-4");
	secret_wipe(&a);
	secret_forget();
	secret_set_prompt(NULL, NULL);
}

static void
test_secure_zero(void **state)
{
	char buf[32];

	(void)state;
	memset(buf, 'x', sizeof buf);
	secure_zero(buf, sizeof buf);
	for (size_t i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_field_parse),
		cmocka_unit_test(test_inline_secret_not_echoed),
		cmocka_unit_test(test_load_good_and_layers),
		cmocka_unit_test(test_error_keeps_nothing),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_save_atomic_0600),
		cmocka_unit_test(test_secret_resolve),
		cmocka_unit_test(test_prompt_hook),
		cmocka_unit_test(test_secure_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
